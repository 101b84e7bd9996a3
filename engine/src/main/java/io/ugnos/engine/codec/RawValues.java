package io.ugnos.engine.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * RAW values: the fallback that bounds every block.
 * <pre>
 * u8      codec id 1
 * n x i64 raw IEEE-754 bits (doubleToRawLongBits), little-endian
 * </pre>
 */
final class RawValues {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RawValues() {
    }

    static long size(int n) {
        return 1 + 8L * n;
    }

    static void encode(double[] values, int off, int n, EncodeBuffer out) {
        out.writeByte(ValueCodec.RAW);
        for (int i = off; i < off + n; i++) {
            out.writeLong(Double.doubleToRawLongBits(values[i]));
        }
    }

    /** {@code pos} is just after the codec id. */
    static int decode(byte[] src, int pos, int limit, int n, double[] dst, int dstOff) {
        if ((limit - pos) / 8 < n) {
            throw new CodecException(n + " raw values need " + 8L * n + " bytes at position " + pos
                    + " but only " + (limit - pos) + " remain");
        }
        for (int i = dstOff; i < dstOff + n; i++, pos += 8) {
            dst[i] = Double.longBitsToDouble((long) LONG_LE.get(src, pos));
        }
        return pos;
    }
}
