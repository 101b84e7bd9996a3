package io.ugnos.engine.manifest;

import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.format.ByteReader;
import io.ugnos.engine.format.FormatException;
import io.ugnos.engine.format.Strings;
import io.ugnos.engine.index.TagSet;

import java.util.ArrayList;
import java.util.List;

/**
 * One atomic change of the database's durable state: the unit appended to the manifest. Either all
 * of its operations are in effect after a crash or none is.
 */
public final class VersionEdit {
    /** One operation of an edit. */
    public sealed interface Op {
    }

    public record AddSeries(String series) implements Op {
    }

    public record DropSeries(String series) implements Op {
    }

    public record AddTagSet(String series, int id, TagSet tags) implements Op {
    }

    public record AddSegment(SegmentDesc segment) implements Op {
    }

    public record RemoveSegment(long id) implements Op {
    }

    /** Database-wide time to live in nanoseconds; 0 means none. */
    public record DatabaseTtl(long ttlNanos) implements Op {
    }

    /** Per-series time to live in nanoseconds; 0 means none, -1 means inherit the database's. */
    public record SeriesTtl(String series, long ttlNanos) implements Op {
    }

    /** Points of {@code series} older than {@code timestamp} are deleted. */
    public record DeleteBefore(String series, long timestamp) implements Op {
    }

    public record NextSegmentId(long id) implements Op {
    }

    public record PersistedSeq(long seq) implements Op {
    }

    private static final int ADD_SERIES = 1, DROP_SERIES = 2, ADD_TAGSET = 3, ADD_SEGMENT = 4, REMOVE_SEGMENT = 5,
            DB_TTL = 6, SERIES_TTL = 7, DELETE_BEFORE = 8, NEXT_SEGMENT_ID = 9, PERSISTED_SEQ = 10;

    private final List<Op> ops = new ArrayList<>();

    public VersionEdit add(Op op) {
        ops.add(op);
        return this;
    }

    public List<Op> ops() {
        return ops;
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /** Serialises the operations: varint count, then per op a one-byte code and its fields. */
    public void encode(EncodeBuffer out) {
        out.writeVarLong(ops.size());
        for (Op op : ops) {
            if (op instanceof AddSeries o) {
                out.writeByte(ADD_SERIES);
                Strings.write(out, o.series());
            } else if (op instanceof DropSeries o) {
                out.writeByte(DROP_SERIES);
                Strings.write(out, o.series());
            } else if (op instanceof AddTagSet o) {
                out.writeByte(ADD_TAGSET);
                Strings.write(out, o.series());
                out.writeVarLong(o.id());
                out.writeVarLong(o.tags().size());
                for (int i = 0; i < o.tags().size(); i++) {
                    Strings.write(out, o.tags().key(i));
                    Strings.write(out, o.tags().value(i));
                }
            } else if (op instanceof AddSegment o) {
                SegmentDesc s = o.segment();
                out.writeByte(ADD_SEGMENT);
                out.writeLong(s.id());
                out.writeByte(s.level());
                out.writeLong(s.partition());
                out.writeLong(s.minTs());
                out.writeLong(s.maxTs());
                out.writeLong(s.minSeq());
                out.writeLong(s.maxSeq());
                out.writeLong(s.points());
                out.writeLong(s.bytes());
            } else if (op instanceof RemoveSegment o) {
                out.writeByte(REMOVE_SEGMENT);
                out.writeLong(o.id());
            } else if (op instanceof DatabaseTtl o) {
                out.writeByte(DB_TTL);
                out.writeLong(o.ttlNanos());
            } else if (op instanceof SeriesTtl o) {
                out.writeByte(SERIES_TTL);
                Strings.write(out, o.series());
                out.writeLong(o.ttlNanos());
            } else if (op instanceof DeleteBefore o) {
                out.writeByte(DELETE_BEFORE);
                Strings.write(out, o.series());
                out.writeLong(o.timestamp());
            } else if (op instanceof NextSegmentId o) {
                out.writeByte(NEXT_SEGMENT_ID);
                out.writeLong(o.id());
            } else if (op instanceof PersistedSeq o) {
                out.writeByte(PERSISTED_SEQ);
                out.writeLong(o.seq());
            }
        }
    }

    public static VersionEdit decode(ByteReader in) {
        VersionEdit e = new VersionEdit();
        int n = in.count(in.remaining());
        for (int i = 0; i < n; i++) {
            int code = in.u8();
            switch (code) {
                case ADD_SERIES -> e.add(new AddSeries(in.string()));
                case DROP_SERIES -> e.add(new DropSeries(in.string()));
                case ADD_TAGSET -> {
                    String series = in.string();
                    int id = in.count(Integer.MAX_VALUE);
                    int tags = in.count(in.remaining() / 2);
                    String[] kv = new String[tags * 2];
                    for (int t = 0; t < kv.length; t++) {
                        kv[t] = in.string();
                    }
                    e.add(new AddTagSet(series, id, TagSet.of(kv)));
                }
                case ADD_SEGMENT -> e.add(new AddSegment(new SegmentDesc(in.i64(), in.u8(), in.i64(), in.i64(), in.i64(),
                        in.i64(), in.i64(), in.i64(), in.i64())));
                case REMOVE_SEGMENT -> e.add(new RemoveSegment(in.i64()));
                case DB_TTL -> e.add(new DatabaseTtl(in.i64()));
                case SERIES_TTL -> e.add(new SeriesTtl(in.string(), in.i64()));
                case DELETE_BEFORE -> e.add(new DeleteBefore(in.string(), in.i64()));
                case NEXT_SEGMENT_ID -> e.add(new NextSegmentId(in.i64()));
                case PERSISTED_SEQ -> e.add(new PersistedSeq(in.i64()));
                default -> throw new FormatException("unknown manifest operation code " + code);
            }
        }
        return e;
    }
}
