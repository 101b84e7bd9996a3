package io.ugnos.bench.load;

/** What a load client does in one step; latencies are reported per kind. */
enum OperationKind {
    /** One {@code executeBatch} of rows into one series. */
    INSERT,
    /** One tag, a few milliseconds of time: an aggregate the engine answers from a small range. */
    SELECTIVE,
    /** An aggregate grouped over a whole series. */
    SCAN,
    /** {@code ALTER SERIES … SET RETENTION}, {@code FLUSH} or {@code COMPACT}, in turn. */
    DDL
}
