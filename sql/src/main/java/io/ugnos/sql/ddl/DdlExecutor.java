package io.ugnos.sql.ddl;

import io.ugnos.engine.Database;
import io.ugnos.engine.SeriesNotFoundException;
import io.ugnos.sql.EngineErrors;
import io.ugnos.sql.SeriesNames;

import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link DdlCommand}s against a {@link Database}. Series names resolve exactly, or else
 * case-insensitively when exactly one series matches (as SQL's unquoted names do in Calcite).
 * Engine failures surface as {@link SQLException}s through {@link EngineErrors}.
 *
 * <pre>{@code
 * DdlResult r = new DdlExecutor(db).execute(DdlParser.parse("ALTER SERIES cpu SET RETENTION '7d'"));
 * }</pre>
 */
public final class DdlExecutor {
    private static final List<RowsResult.Column> SERIES_COLUMNS = List.of(new RowsResult.Column("name", Types.VARCHAR));
    private static final List<RowsResult.Column> RETENTION_COLUMNS = List.of(
            new RowsResult.Column("series", Types.VARCHAR), new RowsResult.Column("retention", Types.VARCHAR),
            new RowsResult.Column("retention_ns", Types.BIGINT), new RowsResult.Column("delete_before_ns", Types.BIGINT));
    private static final List<RowsResult.Column> STATS_COLUMNS = List.of(
            new RowsResult.Column("name", Types.VARCHAR), new RowsResult.Column("value", Types.BIGINT));

    private final Database db;

    public DdlExecutor(Database db) {
        this.db = db;
    }

    public DdlResult execute(DdlCommand command) throws SQLException {
        try {
            return run(command);
        } catch (RuntimeException e) {
            throw EngineErrors.toSql(e);
        }
    }

    private DdlResult run(DdlCommand command) throws SQLException {
        if (command instanceof DdlCommand.CreateSeries c) {
            String existing = resolveOrNull(c.series());
            if (existing != null) {
                if (c.ifNotExists()) {
                    return DdlResult.count(0);
                }
                throw new SQLSyntaxErrorException("series " + existing + " already exists; use CREATE SERIES IF NOT EXISTS", "42S01");
            }
            db.createSeries(c.series(), c.retention() == null ? null : c.retention().keep());
        } else if (command instanceof DdlCommand.DropSeries c) {
            String s = resolveOrNull(c.series());
            if (s == null) {
                if (c.ifExists()) {
                    return DdlResult.count(0);
                }
                throw notFound(c.series());
            }
            db.dropSeries(s);
        } else if (command instanceof DdlCommand.AlterSeriesRetention c) {
            db.setSeriesTtl(resolve(c.series()), c.retention().keep());
        } else if (command instanceof DdlCommand.AlterDatabaseRetention c) {
            db.setDatabaseTtl(c.retention().keep());
        } else if (command instanceof DdlCommand.DeleteBefore c) {
            db.deleteBefore(resolve(c.series()), c.timestampNanos());
        } else if (command instanceof DdlCommand.Compact c) {
            if (c.series() != null) {
                resolve(c.series()); // the engine compacts whole partitions, which hold every series: check the name only
            }
            db.compact(true);
        } else if (command instanceof DdlCommand.Flush) {
            db.flush();
        } else if (command instanceof DdlCommand.ShowSeries) {
            List<Object[]> rows = new ArrayList<>();
            for (String s : db.series()) {
                rows.add(new Object[] {s});
            }
            return DdlResult.rows(RowsResult.of(SERIES_COLUMNS, rows));
        } else if (command instanceof DdlCommand.ShowRetention) {
            return DdlResult.rows(RowsResult.of(RETENTION_COLUMNS, retentionRows()));
        } else if (command instanceof DdlCommand.ShowStats) {
            List<Object[]> rows = new ArrayList<>();
            for (Map.Entry<String, Long> e : db.stats().snapshot().entrySet()) {
                rows.add(new Object[] {e.getKey(), e.getValue()});
            }
            return DdlResult.rows(RowsResult.of(STATS_COLUMNS, rows));
        }
        return DdlResult.count(0);
    }

    /**
     * One row for the database (series NULL) and one per series: the retention in effect as text
     * ("30d", "none", or "default (30d)" when inherited), the same in nanoseconds (0 = none), and the
     * explicit delete-before watermark (NULL when never set).
     */
    private List<Object[]> retentionRows() {
        List<Object[]> rows = new ArrayList<>();
        long dbTtl = db.databaseTtlNanos();
        rows.add(new Object[] {null, describe(dbTtl), dbTtl, null});
        for (String s : db.series()) {
            Long own;
            long deleteBefore;
            try {
                own = db.seriesTtlNanos(s);
                deleteBefore = db.deleteBeforeWatermark(s);
            } catch (SeriesNotFoundException e) {
                continue; // dropped meanwhile
            }
            String text = own == null ? "default (" + describe(dbTtl) + ")" : describe(own);
            rows.add(new Object[] {s, text, own == null ? dbTtl : own, deleteBefore == Long.MIN_VALUE ? null : deleteBefore});
        }
        return rows;
    }

    private static String describe(long ttlNanos) {
        return ttlNanos == 0 ? "none" : RetentionDurations.format(Duration.ofNanos(ttlNanos));
    }

    private String resolve(String name) throws SQLException {
        return SeriesNames.resolve(db, name);
    }

    private String resolveOrNull(String name) throws SQLException {
        return SeriesNames.resolveOrNull(db, name);
    }

    private static SQLSyntaxErrorException notFound(String name) {
        return SeriesNames.notFound(name);
    }
}
