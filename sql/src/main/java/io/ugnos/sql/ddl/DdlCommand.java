package io.ugnos.sql.ddl;

import java.time.Duration;

/**
 * A parsed ugnos statement that Calcite does not handle; {@link DdlParser} makes them and
 * {@link DdlExecutor} runs them. Series names are as written (quotes removed); the executor resolves
 * them case-insensitively against existing series.
 */
public sealed interface DdlCommand {
    /** Whether the command returns rows (the SHOW commands) rather than an update count. */
    default boolean returnsRows() {
        return false;
    }

    /**
     * A retention setting: {@code keep} is the time to live, or null for {@code DEFAULT} (a series
     * inherits the database's); {@code NONE} is {@link Duration#ZERO}, keep everything.
     */
    record Retention(Duration keep) {
        public static final Retention NONE = new Retention(Duration.ZERO);
        public static final Retention DEFAULT = new Retention(null);
    }

    /** {@code CREATE SERIES [IF NOT EXISTS] name [WITH (retention = '30d')]}; retention null when not given. */
    record CreateSeries(String series, boolean ifNotExists, Retention retention) implements DdlCommand {
    }

    /** {@code DROP SERIES [IF EXISTS] name}. */
    record DropSeries(String series, boolean ifExists) implements DdlCommand {
    }

    /** {@code ALTER SERIES name SET RETENTION '7d' | NONE | DEFAULT}. */
    record AlterSeriesRetention(String series, Retention retention) implements DdlCommand {
    }

    /** {@code ALTER DATABASE SET RETENTION '30d' | NONE}. */
    record AlterDatabaseRetention(Retention retention) implements DdlCommand {
    }

    /** {@code DELETE FROM name WHERE ts < TIMESTAMP '…'} or {@code … WHERE ts_ns < nanos}. */
    record DeleteBefore(String series, long timestampNanos) implements DdlCommand {
    }

    /** {@code COMPACT [SERIES name]}; series null for the whole database. */
    record Compact(String series) implements DdlCommand {
    }

    /** {@code FLUSH}. */
    record Flush() implements DdlCommand {
    }

    /** {@code SHOW SERIES}: one row per series. */
    record ShowSeries() implements DdlCommand {
        @Override
        public boolean returnsRows() {
            return true;
        }
    }

    /** {@code SHOW RETENTION}: the database's and every series' retention. */
    record ShowRetention() implements DdlCommand {
        @Override
        public boolean returnsRows() {
            return true;
        }
    }

    /** {@code SHOW STATS}: the engine's counters as name/value rows. */
    record ShowStats() implements DdlCommand {
        @Override
        public boolean returnsRows() {
            return true;
        }
    }
}
