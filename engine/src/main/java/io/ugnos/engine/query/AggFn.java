package io.ugnos.engine.query;

/** Aggregate functions the engine computes per bucket and group. */
public enum AggFn {
    COUNT, SUM, MIN, MAX, AVG,
    /** The value at the earliest timestamp. */
    FIRST,
    /** The value at the latest timestamp. */
    LAST
}
