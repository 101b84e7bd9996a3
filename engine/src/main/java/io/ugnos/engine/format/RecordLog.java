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
 * Reading stops at a <em>torn tail</em>: damage (a short or bad header, a short record, a bad payload
 * checksum) with no intact record anywhere after it, which is all a crash or power loss can leave
 * behind, since only what followed the last sync can be lost. Damage followed by an intact record is
 * corruption of durable data and is reported with the file and offset, never skipped.
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

    /** How far a record's file was durable when the record was written: from its payload, or unknown. */
    public interface DurableBefore {
        long of(byte[] bytes, int payload);
    }

    /**
     * Visits the records of a log whose every append is fsynced before the next (the manifest): an
     * intact record after damage proves the damaged bytes had been durable.
     */
    public static Scan scan(Path file, String what, byte[] bytes, int from, Visitor visitor) {
        return scan(file, what, bytes, from, (b, p) -> Long.MAX_VALUE, visitor);
    }

    /**
     * Visits the records of {@code bytes} from {@code from}; {@code what} names the file kind in errors.
     * {@code durableBefore} tells, for an intact record after damage at offset X, whether X had been
     * fsynced before that record was written: if any later record says so, the damage is corruption;
     * otherwise it is what a crash or power loss leaves of unsynced data (possibly with later pages
     * surviving), and the log is cut there.
     */
    public static Scan scan(Path file, String what, byte[] bytes, int from, DurableBefore durableBefore, Visitor visitor) {
        int pos = from;
        long records = 0;
        while (pos < bytes.length) {
            int remaining = bytes.length - pos;
            String damage = damageAt(bytes, pos);
            if (damage != null) {
                // A crash or power loss damages only what was not yet fsynced. An intact later record
                // written after these bytes were fsynced proves they were durable: that is corruption.
                for (int next = nextIntactRecord(bytes, pos + 1); next >= 0;
                     next = nextIntactRecord(bytes, next + HEADER_BYTES + ByteReader.i32At(bytes, next))) {
                    if (durableBefore.of(bytes, next + HEADER_BYTES) > pos) {
                        throw new CorruptionException(file, pos, what + " " + damage + ", with an intact record at offset "
                                + next + " written after this part of the file was made durable");
                    }
                }
                return new Scan(pos, remaining, records);
            }
            int len = ByteReader.i32At(bytes, pos);
            int payload = pos + HEADER_BYTES;
            visitor.record(bytes, payload, len, pos);
            records++;
            pos = payload + len;
        }
        return new Scan(pos, 0, records);
    }

    /** What is wrong with the record at {@code pos}, or null when it is intact. */
    private static String damageAt(byte[] bytes, int pos) {
        int remaining = bytes.length - pos;
        if (remaining < HEADER_BYTES) {
            return "record header cut short";
        }
        if (ByteReader.i32At(bytes, pos + 8) != FileFormat.crc32c(bytes, pos, 8)) {
            return "record header checksum mismatch";
        }
        int len = ByteReader.i32At(bytes, pos);
        if (len < 0 || len > remaining - HEADER_BYTES) {
            return "record cut short";
        }
        if (ByteReader.i32At(bytes, pos + 4) != FileFormat.crc32c(bytes, pos + HEADER_BYTES, len)) {
            return "record checksum mismatch";
        }
        return null;
    }

    /** Offset of the first intact record at or after {@code from}, or -1. Only runs when a log is damaged. */
    private static int nextIntactRecord(byte[] bytes, int from) {
        for (int p = from; p + HEADER_BYTES <= bytes.length; p++) {
            if (ByteReader.i32At(bytes, p + 8) == FileFormat.crc32c(bytes, p, 8) && damageAt(bytes, p) == null
                    && !zeros(bytes, p, p + HEADER_BYTES)) {
                return p;
            }
        }
        return -1;
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
