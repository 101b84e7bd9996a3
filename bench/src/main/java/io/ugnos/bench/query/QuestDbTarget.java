package io.ugnos.bench.query;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.ColumnType;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.cairo.sql.RecordMetadata;
import io.questdb.griffin.SqlCompiler;
import io.questdb.griffin.SqlExecutionContext;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.std.str.Utf8Sequence;
import io.ugnos.bench.tsbs.Host;
import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * QuestDB embedded ({@link CairoEngine}, no server): TSBS's wide {@code cpu} table with the ten tags
 * as {@code SYMBOL} columns (not indexed, as QuestDB's line protocol creates them), designated
 * timestamp {@code ts} (µs), {@code PARTITION BY DAY BYPASS WAL}, loaded row by row through a
 * {@link TableWriter} (its fastest embedded path) with one commit per hour of data. Queries run
 * single-threaded: an embedded engine without worker pools does not parallelise.
 */
public final class QuestDbTarget implements QueryTarget {
    private static final long HOUR = 3_600_000_000_000L;
    /** QuestDB's {@code LogFactory.CONFIG_SYSTEM_PROPERTY}, not referenced to keep LogFactory unloaded. */
    private static final String LOG_CONFIG_PROPERTY = "out";

    private CairoEngine engine;
    private SqlExecutionContext context;
    private SqlCompiler compiler;

    @Override
    public String name() {
        return "QuestDB";
    }

    @Override
    public QueryDialect dialect() {
        return WideDialect.questDb();
    }

    @Override
    public LoadFigures load(TsbsDevopsGenerator data, Path dir) throws Exception {
        quietLogs(dir);
        Path root = Files.createDirectories(dir.resolve("db"));
        long s0 = System.nanoTime();
        engine = new CairoEngine(new DefaultCairoConfiguration(root.toAbsolutePath().toString()));
        context = new SqlExecutionContextImpl(engine, 1).with(AllowAllSecurityContext.INSTANCE);
        // the first engine of a JVM spends seconds loading its function library: not part of loading data
        double startSeconds = (System.nanoTime() - s0) / 1e9;
        long t0 = System.nanoTime();
        StringBuilder ddl = new StringBuilder("CREATE TABLE cpu (ts TIMESTAMP");
        Host.TAG_KEYS.forEach(k -> ddl.append(", ").append(k).append(" SYMBOL"));
        TsbsDevopsGenerator.METRICS.forEach(m -> ddl.append(", ").append(m).append(" DOUBLE"));
        ddl.append(") TIMESTAMP(ts) PARTITION BY DAY BYPASS WAL");
        engine.execute(ddl, context);
        TableToken table = engine.verifyTableName("cpu");
        String[][] tags = data.hosts().stream()
                .map(h -> Host.TAG_KEYS.stream().map(h.tags()::get).toArray(String[]::new))
                .toArray(String[][]::new);
        int firstMetric = 1 + tags[0].length;
        try (TableWriter writer = engine.getWriter(table, "tsbs load")) {
            long[] currentHour = {Long.MIN_VALUE};
            data.forEachRow((ts, h, values) -> {
                long hour = Math.floorDiv(ts - data.startEpochNanos(), HOUR);
                if (hour != currentHour[0]) {
                    if (currentHour[0] != Long.MIN_VALUE) {
                        writer.commit();
                    }
                    currentHour[0] = hour;
                }
                TableWriter.Row row = writer.newRow(Math.floorDiv(ts, 1000L));
                String[] t = tags[h];
                for (int i = 0; i < t.length; i++) {
                    row.putSym(1 + i, t[i]);
                }
                for (int m = 0; m < values.length; m++) {
                    row.putDouble(firstMetric + m, values[m]);
                }
                row.append();
            });
            writer.commit();
        }
        engine.releaseAllWriters(); // really closes the pooled writer, which trims the column files
        double seconds = (System.nanoTime() - t0) / 1e9;
        compiler = engine.getSqlCompiler();
        Path tableDir = root.resolve(table.getDirName());
        return new LoadFigures(seconds, DiskUsage.allocatedBytes(tableDir), DiskUsage.bytes(tableDir), data.rows(),
                data.points(),
                String.format(java.util.Locale.ROOT, "TableWriter (embedded), SYMBOL tags, PARTITION BY DAY BYPASS WAL, "
                        + "commit per hour of data; engine start (%.2f s) not included", startSeconds));
    }

    /**
     * Keeps QuestDB's log (every query at INFO on stdout by default) to errors, unless the caller set
     * its configuration file ({@code -Dout=...}). Must run before QuestDB's first class loads.
     */
    private static void quietLogs(Path dir) throws java.io.IOException {
        if (System.getProperty(LOG_CONFIG_PROPERTY) == null) {
            Path conf = dir.resolve("questdb-log.conf");
            Files.writeString(conf, "writers=stdout\nw.stdout.class=io.questdb.log.LogConsoleWriter\n"
                    + "w.stdout.level=ERROR,CRITICAL\n");
            System.setProperty(LOG_CONFIG_PROPERTY, conf.toAbsolutePath().toString());
        }
    }

    @Override
    public Execution execute(String sql, boolean keepRows) throws Exception {
        long t0 = System.nanoTime();
        try (RecordCursorFactory factory = compiler.compile(sql, context).getRecordCursorFactory()) {
            long t1 = System.nanoTime();
            RecordMetadata md = factory.getMetadata();
            int n = md.getColumnCount();
            int[] types = new int[n];
            for (int i = 0; i < n; i++) {
                types[i] = md.getColumnType(i);
            }
            List<List<Object>> rows = keepRows ? new ArrayList<>() : null;
            long count = 0;
            try (RecordCursor cursor = factory.getCursor(context)) {
                Record r = cursor.getRecord();
                while (cursor.hasNext()) {
                    count++;
                    if (keepRows) {
                        List<Object> row = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            row.add(value(r, i, types[i]));
                        }
                        rows.add(row);
                    } else {
                        for (int i = 0; i < n; i++) {
                            touch(r, i, types[i]);
                        }
                    }
                }
            }
            long t2 = System.nanoTime();
            return new Execution(t1 - t0, t2 - t1, count, rows);
        }
    }

    private static Object value(Record r, int i, int type) {
        if (ColumnType.isTimestamp(type)) {
            long v = r.getTimestamp(i);
            if (v == Long.MIN_VALUE) {
                return null;
            }
            return ResultRows.micros(ColumnType.isTimestampNano(type) ? Math.floorDiv(v, 1000L) : v);
        }
        switch (ColumnType.tagOf(type)) {
            case ColumnType.DOUBLE -> {
                double d = r.getDouble(i);
                return Double.isNaN(d) ? null : d;
            }
            case ColumnType.LONG -> {
                long l = r.getLong(i);
                return l == Long.MIN_VALUE ? null : (double) l;
            }
            case ColumnType.SYMBOL -> {
                CharSequence s = r.getSymA(i);
                return s == null ? null : s.toString();
            }
            case ColumnType.VARCHAR -> {
                Utf8Sequence s = r.getVarcharA(i);
                return s == null ? null : s.toString();
            }
            case ColumnType.STRING -> {
                CharSequence s = r.getStrA(i);
                return s == null ? null : s.toString();
            }
            default -> throw new IllegalStateException("column " + i + ": unexpected QuestDB type "
                    + ColumnType.nameOf(type));
        }
    }

    private static void touch(Record r, int i, int type) {
        if (ColumnType.isTimestamp(type)) {
            r.getTimestamp(i);
            return;
        }
        switch (ColumnType.tagOf(type)) {
            case ColumnType.DOUBLE -> r.getDouble(i);
            case ColumnType.LONG -> r.getLong(i);
            case ColumnType.SYMBOL -> r.getSymA(i);
            case ColumnType.VARCHAR -> r.getVarcharA(i);
            default -> r.getStrA(i);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (compiler != null) {
                compiler.close();
            }
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
    }
}
