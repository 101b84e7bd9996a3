package io.ugnos.engine.wal;

import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.format.ByteReader;
import io.ugnos.engine.format.Strings;
import io.ugnos.engine.index.TagSet;

import java.util.Map;

/** Encodes a batch with its sequence number as a WAL record payload, and back (see {@link WalFormat}). */
public final class WalRecord {
    private WalRecord() {
    }

    /** Bytes before the batch: u64 sequence number, u64 durable offset of the log when appended. */
    public static final int PREFIX_BYTES = 16;

    /** What a record says about itself besides the batch. */
    public record Header(long seq, long durableBefore) {
    }

    /**
     * At least the bytes {@link #encode} appends for {@code batch}: exact for the points and tag
     * sets, an upper bound for series names (3 UTF-8 bytes per char) and counts (a full varint).
     */
    public static long sizeBound(WriteBatch batch) {
        long n = PREFIX_BYTES + 10;
        for (Map.Entry<String, Map<TagSet, WriteBatch.Run>> s : batch.runs().entrySet()) {
            n += 10 + 3L * s.getKey().length() + 10;
            for (WriteBatch.Run r : s.getValue().values()) {
                n += 10 + r.encodedTagsSize() + 16L * r.size();
            }
        }
        return n;
    }

    /**
     * Encodes with placeholders for sequence number and durable offset, which the writer patches in.
     * Empty runs (left by {@link WriteBatch#reset}) are not written, nor series with no point.
     */
    public static void encode(long seq, WriteBatch batch, EncodeBuffer out) {
        out.reserve(sizeBound(batch));
        out.writeLong(seq);
        out.writeLong(0);
        int series = 0;
        for (Map<TagSet, WriteBatch.Run> runs : batch.runs().values()) {
            if (nonEmpty(runs) > 0) {
                series++;
            }
        }
        out.writeVarLong(series);
        for (Map.Entry<String, Map<TagSet, WriteBatch.Run>> s : batch.runs().entrySet()) {
            int nonEmpty = nonEmpty(s.getValue());
            if (nonEmpty == 0) {
                continue;
            }
            Strings.write(out, s.getKey());
            out.writeVarLong(nonEmpty);
            for (WriteBatch.Run r : s.getValue().values()) {
                if (r.size() == 0) {
                    continue;
                }
                r.writeTags(out);
                out.writeVarLong(r.size());
                r.writePoints(out);
            }
        }
    }

    private static int nonEmpty(Map<TagSet, WriteBatch.Run> runs) {
        int n = 0;
        for (WriteBatch.Run r : runs.values()) {
            if (r.size() > 0) {
                n++;
            }
        }
        return n;
    }

    /** Decodes a payload; throws {@link io.ugnos.engine.format.FormatException} when it is malformed. */
    public static Header decode(ByteReader in, WriteBatch into) {
        long seq = in.i64();
        long durableBefore = in.i64();
        int series = in.count(in.remaining());
        for (int s = 0; s < series; s++) {
            String name = in.string();
            int runs = in.count(in.remaining());
            for (int r = 0; r < runs; r++) {
                int tags = in.count(in.remaining() / 2);
                String[] kv = new String[tags * 2];
                for (int i = 0; i < kv.length; i++) {
                    kv[i] = in.string();
                }
                WriteBatch.Run run = into.run(name, TagSet.of(kv));
                int n = in.count(in.remaining() / 16);
                for (int i = 0; i < n; i++) {
                    run.add(in.i64(), in.f64());
                }
            }
        }
        return new Header(seq, durableBefore);
    }

    /** The durable offset stored in the record whose payload starts at {@code payload}. */
    public static long durableBefore(byte[] bytes, int payload) {
        if (payload + PREFIX_BYTES > bytes.length) {
            return Long.MAX_VALUE; // too short to be one of ours: treat the damage before it as corruption
        }
        return io.ugnos.engine.format.ByteReader.i64At(bytes, payload + 8);
    }
}
