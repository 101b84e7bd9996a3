package io.ugnos.engine;

import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.format.Strings;
import io.ugnos.engine.index.TagSet;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Points to write together, grouped by series and tag set as they are added. Not thread-safe; one
 * batch per writer thread.
 *
 * <pre>{@code
 * WriteBatch b = new WriteBatch();
 * b.add("cpu.usage_user", TagSet.of("host", "web-1"), ts, 42.0);
 * WriteBatch.Run run = b.run("cpu.usage_user", TagSet.of("host", "web-2")); // fast path for many points
 * run.add(ts, 17.0);
 * db.write(b);
 * }</pre>
 */
public final class WriteBatch {
    /**
     * The points of one (series, tag set) in this batch, in the order added. Stored interleaved,
     * timestamp then value bits, in one array: adding a point touches one cache line rather than
     * two, and the write-ahead log stores the points in this very layout.
     */
    /** A tag set's id in a series catalog (compared by identity). */
    record Interned(Object catalog, int id) {
    }

    public static final class Run {
        final String series;
        final TagSet tags;
        long[] points = new long[32]; // point i: timestamp at 2i, raw value bits at 2i + 1
        int size;
        /**
         * The tag set as a WAL record stores it, encoded on the first write (a reused batch's runs
         * encode it once). Volatile: a reference published by a plain write could reach another
         * thread before the array's bytes do.
         */
        private volatile byte[] encodedTags;
        /**
         * The tag set's id in the catalog of the series it was last written to: a reused batch's runs
         * are looked up once per database, not once per write. A dropped and recreated series has a
         * new catalog, so the identity check also catches that. One immutable pair, so that threads
         * writing the same batch to different databases never see one's catalog with another's id.
         */
        volatile Interned interned;

        Run(String series, TagSet tags) {
            this.series = series;
            this.tags = tags;
        }

        public Run add(long timestamp, double value) {
            int at = 2 * size;
            if (at == points.length) {
                points = Arrays.copyOf(points, at * 2);
            }
            points[at] = timestamp;
            points[at + 1] = Double.doubleToRawLongBits(value);
            size++;
            return this;
        }

        public String series() {
            return series;
        }

        public TagSet tags() {
            return tags;
        }

        public int size() {
            return size;
        }

        public long timestamp(int i) {
            java.util.Objects.checkIndex(i, size);
            return points[2 * i];
        }

        public double value(int i) {
            java.util.Objects.checkIndex(i, size);
            return Double.longBitsToDouble(points[2 * i + 1]);
        }

        /**
         * Appends the points to {@code out} as (i64 timestamp, f64 value) pairs, little-endian: the
         * form a write-ahead log record stores them in.
         */
        public void writePoints(EncodeBuffer out) {
            out.writeLongs(points, 0, 2 * size);
        }

        /**
         * Appends the tag set as a write-ahead log record stores it: varint tag count, then each key
         * and value as a string ({@link Strings#write}). Encoded once per run and copied after that.
         */
        public void writeTags(EncodeBuffer out) {
            byte[] b = encodedTags();
            out.writeBytes(b, 0, b.length);
        }

        /** The bytes {@link #writeTags} appends. */
        public int encodedTagsSize() {
            return encodedTags().length;
        }

        private byte[] encodedTags() {
            byte[] b = encodedTags;
            if (b == null) { // a benign race if two threads write the batch: both encode the same bytes
                EncodeBuffer e = new EncodeBuffer(64);
                e.writeVarLong(tags.size());
                for (int i = 0; i < tags.size(); i++) {
                    Strings.write(e, tags.key(i));
                    Strings.write(e, tags.value(i));
                }
                b = Arrays.copyOf(e.array(), e.size());
                encodedTags = b;
            }
            return b;
        }
    }

    private final Map<String, Map<TagSet, Run>> runs = new LinkedHashMap<>();
    private Run last;

    /** The run for (series, tags), validating both the first time they appear in this batch. */
    public Run run(String series, TagSet tags) {
        Map<TagSet, Run> bySeries = runs.get(series);
        if (bySeries == null) {
            Names.checkSeries(series);
            bySeries = new LinkedHashMap<>();
            runs.put(series, bySeries);
        }
        Run r = bySeries.get(tags);
        if (r == null) {
            tags.validate(series);
            r = new Run(series, tags);
            bySeries.put(tags, r);
        }
        return r;
    }

    public WriteBatch add(String series, TagSet tags, long timestamp, double value) {
        Run r = last;
        if (r == null || !r.series.equals(series) || !r.tags.equals(tags)) {
            r = run(series, tags);
            last = r;
        }
        r.add(timestamp, value);
        return this;
    }

    public WriteBatch add(String series, Map<String, String> tags, long timestamp, double value) {
        return add(series, TagSet.of(tags), timestamp, value);
    }

    /** Points in the batch, duplicates included. */
    public long pointCount() {
        long n = 0;
        for (Map<TagSet, Run> m : runs.values()) {
            for (Run r : m.values()) {
                n += r.size;
            }
        }
        return n;
    }

    public boolean isEmpty() {
        return pointCount() == 0;
    }

    public Map<String, Map<TagSet, Run>> runs() {
        return runs;
    }

    /** Removes every run and point. Handles returned by {@link #run} no longer belong to this batch. */
    public void clear() {
        runs.clear();
        last = null;
    }

    /**
     * Removes every point but keeps the runs, their arrays and the validation of their series and tag
     * sets, so that a loader writing the same (series, tag set)s batch after batch reuses one batch:
     * handles returned by {@link #run} stay valid, and adding points no longer grows arrays. Call it
     * after {@link Database#write} returns (the database has copied the points by then). Runs left
     * empty are skipped by the write.
     */
    public void reset() {
        for (Map<TagSet, Run> m : runs.values()) {
            for (Run r : m.values()) {
                r.size = 0;
            }
        }
    }
}
