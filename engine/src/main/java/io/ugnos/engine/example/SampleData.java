package io.ugnos.engine.example;

import io.ugnos.engine.Database;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;

import java.time.Instant;
import java.util.Random;

/**
 * The examples' data: six hours of 10-second readings from 2026-01-01T00:00Z for three series
 * ({@code cpu.usage_user}, {@code cpu.usage_system}, {@code mem.used_percent}) and four hosts tagged
 * {@code host}, {@code role} (web or db) and {@code region}; values in 0..100 from a fixed seed.
 */
public final class SampleData {
    public static final long SECOND = 1_000_000_000L;
    public static final long HOUR = 3600 * SECOND;
    /** The first timestamp, 2026-01-01T00:00:00Z, in epoch nanoseconds. */
    public static final long START = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * SECOND;
    public static final int HOURS = 6;
    static final String[] HOSTS = {"web-1", "web-2", "db-1", "db-2"};
    static final String[] SERIES = {"cpu.usage_user", "cpu.usage_system", "mem.used_percent"};

    private SampleData() {
    }

    /** Writes the data, one batch (and so one level-0 segment once flushed) per hour; returns the points written. */
    public static long write(Database db) {
        Random rnd = new Random(42);
        long points = 0;
        for (int hour = 0; hour < HOURS; hour++) {
            WriteBatch batch = new WriteBatch();
            for (String s : SERIES) {
                for (String h : HOSTS) {
                    TagSet tags = TagSet.of("host", h, "role", h.startsWith("web") ? "web" : "db", "region", "eu-west-1");
                    WriteBatch.Run run = batch.run(s, tags);
                    for (long t = START + hour * HOUR; t < START + (hour + 1) * HOUR; t += 10 * SECOND) {
                        run.add(t, Math.round(rnd.nextDouble() * 1000) / 10.0);
                    }
                }
            }
            points += batch.pointCount();
            db.write(batch);
        }
        return points;
    }
}
