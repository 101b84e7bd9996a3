package io.ugnos.bench.query;

import java.util.List;

/**
 * One run of one query: time to plan (parse, validate, optimise, compile), time to execute and read
 * every row, and the rows themselves when they were kept (for the cross-check).
 *
 * @param planNanos planning time: JDBC {@code prepareStatement}, QuestDB {@code compile}
 * @param execNanos execution time: {@code executeQuery} (or {@code getCursor}) and reading every column of every row
 * @param rowCount  rows returned
 * @param rows      the rows as {@link ResultRows} values, or {@code null} when not kept
 */
public record Execution(long planNanos, long execNanos, long rowCount, List<List<Object>> rows) {
    /** Planning plus execution. */
    public long totalNanos() {
        return planNanos + execNanos;
    }
}
