package io.ugnos.engine.format;

import io.ugnos.engine.CorruptionException;
import io.ugnos.engine.codec.EncodeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The header every ugnos file starts with, written and checked by one helper so that no file kind
 * escapes checking (after Lucene's {@code CodecUtil}).
 *
 * <pre>
 * offset size field
 *      0    4 magic  "UGNS"
 *      4    4 kind   four ASCII letters: "SEGM" (segment), "MANI" (manifest), "WLOG" (write-ahead log)
 *      8    4 format version, little-endian u32
 *     12    4 CRC32C of bytes 0..11, little-endian
 * </pre>
 * All multi-byte integers in ugnos files are little-endian.
 */
public final class FileFormat {
    public static final int HEADER_BYTES = 16;
    static final byte[] MAGIC = "UGNS".getBytes(StandardCharsets.US_ASCII);

    private FileFormat() {
    }

    public static void writeHeader(EncodeBuffer out, String kind, int version) {
        int start = out.size();
        out.writeBytes(MAGIC, 0, 4);
        byte[] k = kind.getBytes(StandardCharsets.US_ASCII);
        if (k.length != 4) {
            throw new IllegalArgumentException("kind must be four ASCII letters: " + kind);
        }
        out.writeBytes(k, 0, 4);
        out.writeInt(version);
        out.writeInt(crc32c(out.array(), start, 12));
    }

    /**
     * Checks a header read from {@code file}; returns the format version.
     *
     * @param maxVersion newest version this code reads
     */
    public static int checkHeader(Path file, byte[] header, String kind, int maxVersion) {
        if (header.length < HEADER_BYTES) {
            throw new CorruptionException(file, 0, "file is " + header.length + " bytes long, shorter than the "
                    + HEADER_BYTES + "-byte header (truncated?)");
        }
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            if (header[i] != MAGIC[i]) {
                throw new CorruptionException(file, 0, "not an ugnos file (bad magic number)");
            }
        }
        if (b.getInt(12) != crc32c(header, 0, 12)) {
            throw new CorruptionException(file, 12, "header checksum mismatch");
        }
        String actualKind = new String(header, 4, 4, StandardCharsets.US_ASCII);
        if (!actualKind.equals(kind)) {
            throw new CorruptionException(file, 4, "expected a " + kind + " file, found " + actualKind);
        }
        int version = b.getInt(8);
        if (version < 1 || version > maxVersion) {
            throw new CorruptionException(file, 8, "format version " + version + " is not supported (this build reads "
                    + kind + " versions 1.." + maxVersion + "); upgrade ugnos");
        }
        return version;
    }

    public static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }
}
