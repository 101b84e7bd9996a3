package io.ugnos.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class EncodeBufferTest {
    @Test
    void writesLittleEndianAndGrowsFromZero() {
        EncodeBuffer out = new EncodeBuffer(0);
        out.writeByte(0x1FF);
        out.writeShort(0xBEEF);
        out.writeInt(0xCAFEBABE);
        out.writeLong(0x0102030405060708L);
        double nan = Double.longBitsToDouble(0x7FF0_0000_0000_0123L);
        out.writeDouble(nan);
        out.writeBytes(new byte[] {9, 8, 7, 6}, 1, 2);
        ByteBuffer b = ByteBuffer.wrap(out.array(), 0, out.size()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(out.size()).isEqualTo(1 + 2 + 4 + 8 + 8 + 2);
        assertThat(b.get()).isEqualTo((byte) 0xFF);
        assertThat(b.getShort()).isEqualTo((short) 0xBEEF);
        assertThat(b.getInt()).isEqualTo(0xCAFEBABE);
        assertThat(b.getLong()).isEqualTo(0x0102030405060708L);
        assertThat(b.getLong()).isEqualTo(0x7FF0_0000_0000_0123L);
        assertThat(b.get()).isEqualTo((byte) 8);
        assertThat(b.get()).isEqualTo((byte) 7);
    }

    @Test
    void longsAreTheSameBytesAsOneWriteEach() {
        long[] v = {Long.MIN_VALUE, -1, 0, 42, Long.MAX_VALUE, Double.doubleToRawLongBits(Double.NaN)};
        EncodeBuffer one = new EncodeBuffer(3);
        one.writeByte(7); // need not start aligned
        for (int i = 1; i < 5; i++) {
            one.writeLong(v[i]);
        }
        EncodeBuffer bulk = new EncodeBuffer(0);
        bulk.writeByte(7);
        bulk.writeLongs(v, 1, 4);
        assertThat(bulk.size()).isEqualTo(1 + 4 * 8);
        assertThat(java.util.Arrays.copyOf(bulk.array(), bulk.size()))
                .isEqualTo(java.util.Arrays.copyOf(one.array(), one.size()));
        assertThatThrownBy(() -> bulk.writeLongs(v, 4, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(bulk.size()).isEqualTo(1 + 4 * 8); // nothing written by the refused call
    }

    @Test
    void packedDeltasAreTheBitsABitWriterWrites() {
        java.util.Random rnd = new java.util.Random(7);
        for (int width = 0; width < 64; width++) {
            for (int n : new int[]{1, 2, 3, 17, 64, 65, 1024}) {
                long bias = rnd.nextInt(1000) - 500;
                long[] m = new long[n];
                m[0] = rnd.nextLong() >> 12;
                for (int i = 1; i < n; i++) {
                    long field = width == 0 ? 0 : rnd.nextLong() >>> (64 - width);
                    m[i] = m[i - 1] + bias + field;
                }
                EncodeBuffer bits = new EncodeBuffer(0);
                bits.writeByte(1);
                BitWriter w = bits.bits();
                for (int i = 1; i < n; i++) {
                    w.write(m[i] - m[i - 1] - bias, width);
                }
                w.flush();
                EncodeBuffer packed = new EncodeBuffer(0);
                packed.writeByte(1);
                packed.writePackedDeltas(m, n, bias, width);
                assertThat(java.util.Arrays.copyOf(packed.array(), packed.size())).as("width %d, n %d", width, n)
                        .isEqualTo(java.util.Arrays.copyOf(bits.array(), bits.size()));
            }
        }
    }

    @Test
    void reserveGrowsOnceToWhatIsAskedFor() {
        EncodeBuffer out = new EncodeBuffer(16);
        out.writeInt(1);
        out.reserve(1_000_000);
        assertThat(out.capacity()).isEqualTo(4 + 1_000_000);
        byte[] before = out.array();
        out.reserve(10); // room already
        assertThat(out.array()).isSameAs(before);
        assertThat(out.size()).isEqualTo(4);
        assertThatThrownBy(() -> out.reserve(Integer.MAX_VALUE)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void varLongIsUnsignedLeb128() {
        long[] samples = {0, 1, 127, 128, 300, 1L << 35, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        for (long v : samples) {
            EncodeBuffer out = new EncodeBuffer(1);
            out.writeVarLong(v);
            assertThat(out.size()).as("size of %d", v).isEqualTo(ByteInput.varLongSize(v));
            assertThat(ByteInput.varLongEnd(out.array(), 0, out.size())).isEqualTo(out.size());
            assertThat(ByteInput.varLongAt(out.array(), 0)).isEqualTo(v);
        }
        EncodeBuffer out = new EncodeBuffer(4);
        out.writeVarLong(300);
        assertThat(out.array()[0]).isEqualTo((byte) 0xAC);
        assertThat(out.array()[1]).isEqualTo((byte) 0x02);
    }

    @Test
    void putIntBackPatchesAndClearKeepsCapacity() {
        EncodeBuffer out = new EncodeBuffer(2);
        out.writeInt(0);
        out.writeLong(-1);
        out.putInt(0, 12);
        assertThat(ByteBuffer.wrap(out.array()).order(ByteOrder.LITTLE_ENDIAN).getInt(0)).isEqualTo(12);
        assertThatThrownBy(() -> out.putInt(9, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        byte[] before = out.array();
        out.clear();
        assertThat(out.size()).isZero();
        assertThat(out.array()).isSameAs(before);
        assertThatThrownBy(() -> out.putInt(0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void bitWriterPacksLsbFirstAcrossWords() {
        EncodeBuffer out = new EncodeBuffer(0);
        BitWriter bits = out.bits();
        long[] values = {1, 0x3FF, -1L, 0x5, 0x123456789ABCDEFL, 0, -2L};
        int[] widths = {1, 10, 64, 3, 57, 0, 64};
        for (int i = 0; i < values.length; i++) {
            bits.write(values[i], widths[i]);
        }
        bits.flush();
        long bitPos = 0;
        for (int i = 0; i < values.length; i++) {
            long read = BitInput.readWide(out.array(), 0, out.size(), bitPos, widths[i]);
            assertThat(read).as("field %d", i).isEqualTo(values[i] & BitInput.mask(widths[i]));
            bitPos += widths[i];
        }
        assertThat(out.size()).isEqualTo(BitInput.bytesFor(bitPos));
    }

    @Test
    void rejectsNegativeCapacity() {
        assertThatThrownBy(() -> new EncodeBuffer(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
