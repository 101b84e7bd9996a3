package io.ugnos.bench.query;

import io.ugnos.bench.tsbs.Host;
import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.sql.UgnosSql;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * ugnos through its SQL layer ({@link UgnosSql#connect}): each metric is a series
 * {@code cpu.<metric>} with the host's ten tags. Loaded with {@link Database#write} in batches of
 * one hour of data (all hosts and metrics), then flushed and fully compacted.
 */
public final class UgnosTarget implements QueryTarget {
    private static final long HOUR = 3_600_000_000_000L;

    private final DatabaseOptions options;
    private Database db;
    private Connection connection;
    private double flushSeconds;
    private double compactSeconds;

    /** With {@link DatabaseOptions#defaults()}. */
    public UgnosTarget() {
        this(DatabaseOptions.defaults());
    }

    /** With other options (LoadRounds compares memtable sizes with it). */
    public UgnosTarget(DatabaseOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "ugnos";
    }

    @Override
    public QueryDialect dialect() {
        return NarrowDialect.ugnos();
    }

    @Override
    public LoadFigures load(TsbsDevopsGenerator data, Path dir) throws Exception {
        long t0 = System.nanoTime();
        db = Database.open(dir, options);
        List<Host> hosts = data.hosts();
        TagSet[] tags = hosts.stream().map(h -> TagSet.of(h.tags())).toArray(TagSet[]::new);
        List<String> metrics = TsbsDevopsGenerator.METRICS;
        String[] series = metrics.stream().map(m -> "cpu." + m).toArray(String[]::new);
        // One batch for the whole load, reset after each hour's write: its runs (and their validated
        // series and tag sets) are made once, and adding points grows no arrays after the first hour.
        WriteBatch batch = new WriteBatch();
        WriteBatch.Run[][] runs = new WriteBatch.Run[metrics.size()][hosts.size()];
        for (int m = 0; m < series.length; m++) {
            for (int i = 0; i < tags.length; i++) {
                runs[m][i] = batch.run(series[m], tags[i]);
            }
        }
        long[] currentHour = {Long.MIN_VALUE};
        data.forEachRow((ts, h, values) -> {
            long hour = Math.floorDiv(ts - data.startEpochNanos(), HOUR);
            if (hour != currentHour[0]) {
                if (currentHour[0] != Long.MIN_VALUE) {
                    db.write(batch);
                    batch.reset();
                }
                currentHour[0] = hour;
            }
            for (int m = 0; m < values.length; m++) {
                runs[m][h].add(ts, values[m]);
            }
        });
        db.write(batch);
        long tail0 = System.nanoTime();
        db.flush();
        long flushed = System.nanoTime();
        db.compact(true);
        long t1 = System.nanoTime();
        flushSeconds = (flushed - tail0) / 1e9;
        compactSeconds = (t1 - flushed) / 1e9;
        double seconds = (t1 - t0) / 1e9;
        Database.StorageSummary s = db.storage();
        connection = UgnosSql.connect(db);
        return new LoadFigures(seconds, DiskUsage.allocatedBytes(dir), DiskUsage.bytes(dir), data.rows(), data.points(),
                "Database.write, one batch per hour of data (one WriteBatch reused with reset(); " + s.segments() + " segment(s), "
                        + String.format(java.util.Locale.ROOT, "%,d", s.blocks()) + " blocks after full compaction)");
    }

    /** Seconds the last {@link #load}'s final {@code flush()} took: the serial end of the load, with {@link #compactSeconds}. */
    public double flushSeconds() {
        return flushSeconds;
    }

    /** Seconds the last {@link #load}'s {@code compact(true)} took. */
    public double compactSeconds() {
        return compactSeconds;
    }

    /** Points in the loaded database's segments (after {@link #load}). */
    public long storedPoints() {
        return db.storage().points();
    }

    /** Runs {@code sql} once and returns the engine work it caused (the counters are database-wide: run nothing else meanwhile). */
    public EngineWork work(String sql) throws Exception {
        long decoded = db.stats().get("blocks_decoded");
        long headers = db.stats().get("blocks_from_headers");
        execute(sql, false);
        return new EngineWork(db.stats().get("blocks_decoded") - decoded, db.stats().get("blocks_from_headers") - headers);
    }

    @Override
    public Execution execute(String sql, boolean keepRows) throws Exception {
        return JdbcRun.execute(connection, sql, keepRows);
    }

    @Override
    public void close() throws Exception {
        try {
            if (connection != null) {
                connection.close();
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }
}
