package io.ugnos.sql.ddl;

import java.sql.ResultSet;

/**
 * What a {@link DdlCommand} produced: rows (SHOW) or an update count (everything else, 0 since the
 * engine does not count what a DDL statement touches).
 */
public record DdlResult(long updateCount, ResultSet rows) {
    public static DdlResult count(long n) {
        return new DdlResult(n, null);
    }

    public static DdlResult rows(ResultSet rs) {
        return new DdlResult(-1, rs);
    }

    public boolean hasRows() {
        return rows != null;
    }
}
