package io.ugnos.engine.format;

import io.ugnos.engine.CorruptionException;
import io.ugnos.engine.codec.EncodeBuffer;

import java.nio.file.Path;

/**
 * The record framing shared by the manifest and the write-ahead log, and the one place that decides
 * what a damaged tail means.
 *
 * <pre>
 * u32 payloadLength
 * u32 crc32c(payload)
 * u32 crc32c(the previous 8 bytes)   -- a damaged length cannot pass for a torn tail
 * payload
 * </pre>
 * Reading stops at a <em>torn tail</em>, what a crash during an append leaves: fewer bytes than a
 * record header, a header of zeros, a record longer than the rest of the file, or a bad payload
 * checksum on the very last record. Any other checksum failure is corruption.
 */
public final class RecordLog {
    public static final int HEADER_BYTES = 12;

    /** Receives each intact record's payload {@code bytes[offset..offset+length)}, at file offset {@code position}. */
    public interface Visitor {
        void record(byte[] bytes, int offset, int length, int position);
    }

    /** Where reading stopped: the end of the last intact record, and the bytes of torn tail after it. */
    public record Scan(int end, int tornBytes, long records) {
    }

    private RecordLog() {
    }

    /** Appends {@code payload[0..len)} framed as a record. */
    public static void frame(EncodeBuffer out, byte[] payload, int off, int len) {
        int start = out.size();
        out.writeInt(len);
        out.writeInt(FileFormat.crc32c(payload, off, len));
        out.writeInt(0);
        out.putInt(start + 8, FileFormat.crc32c(out.array(), start, 8));
        out.writeBytes(payload, off, len);
    }

    /** Frames a payload written in place: reserve the header with {@link #begin}, write, then {@link #end}. */
    public static int begin(EncodeBuffer out) {
        int start = out.size();
        out.writeInt(0);
        out.writeInt(0);
        out.writeInt(0);
        return start;
    }

    public static void end(EncodeBuffer out, int start) {
        int len = out.size() - start - HEADER_BYTES;
        out.putInt(start, len);
        out.putInt(start + 4, FileFormat.crc32c(out.array(), start + HEADER_BYTES, len));
        out.putInt(start + 8, FileFormat.crc32c(out.array(), start, 8));
    }

    /** Visits the records of {@code bytes} from {@code from}; {@code what} names the file kind in errors. */
    public static Scan scan(Path file, String what, byte[] bytes, int from, Visitor visitor) {
        int pos = from;
        long records = 0;
        while (pos < bytes.length) {
            int remaining = bytes.length - pos;
            if (remaining < HEADER_BYTES) {
                return new Scan(pos, remaining, records);
            }
            int len = ByteReader.i32At(bytes, pos);
            if (ByteReader.i32At(bytes, pos + 8) != FileFormat.crc32c(bytes, pos, 8)) {
                if (zeros(bytes, pos)) {
                    return new Scan(pos, remaining, records); // the file grew but the record was never written
                }
                throw new CorruptionException(file, pos, what + " record header checksum mismatch");
            }
            if (len < 0 || len > remaining - HEADER_BYTES) {
                return new Scan(pos, remaining, records); // a record cut short by a crash
            }
            int payload = pos + HEADER_BYTES;
            if (ByteReader.i32At(bytes, pos + 4) != FileFormat.crc32c(bytes, payload, len)) {
                if (payload + len == bytes.length) {
                    return new Scan(pos, remaining, records); // the last record, partly written when the process died
                }
                throw new CorruptionException(file, pos, what + " record checksum mismatch with "
                        + (bytes.length - payload - len) + " bytes of later records after it");
            }
            visitor.record(bytes, payload, len, pos);
            records++;
            pos = payload + len;
        }
        return new Scan(pos, 0, records);
    }

    private static boolean zeros(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
