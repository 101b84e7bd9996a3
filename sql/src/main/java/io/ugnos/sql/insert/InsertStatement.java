package io.ugnos.sql.insert;

import java.util.List;

/**
 * A parsed {@code INSERT INTO series (columns) VALUES … | SELECT …}. For VALUES made of literals
 * and {@code ?} parameters, {@code rows} holds each row's cells: a constant (null for NULL) or a
 * {@link Param}; otherwise {@code query} holds the source as SQL for Calcite to run (its {@code ?}
 * parameters numbered as in the whole statement).
 */
public record InsertStatement(String series, List<String> columns, List<Object[]> rows, String query, int parameterCount) {
    /** The {@code index}-th (from 0) {@code ?} of the statement. */
    public record Param(int index) {
    }

    public boolean isQuery() {
        return query != null;
    }
}
