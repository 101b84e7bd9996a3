package io.ugnos.bench.query;

/**
 * What one run of a query cost ugnos's engine, from its counters: deterministic, unlike latency on a
 * shared machine, and the reason a query is fast or slow.
 *
 * @param blocksDecoded     blocks read from disk and decoded
 * @param blocksFromHeaders blocks whose aggregate was folded from their index entry without reading them
 */
public record EngineWork(long blocksDecoded, long blocksFromHeaders) {
}
