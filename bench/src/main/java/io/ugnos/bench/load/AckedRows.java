package io.ugnos.bench.load;

import java.util.BitSet;

/**
 * The rows one client wrote, per series, by row number: those whose batch returned successfully
 * (acknowledged: they must be readable exactly once) and those whose batch failed (unknown: present
 * at most once, or not at all).
 */
final class AckedRows {
    final String client;
    private final BitSet[] acked;
    private final BitSet[] unknown;

    AckedRows(String client, int series) {
        this.client = client;
        this.acked = new BitSet[series];
        this.unknown = new BitSet[series];
        for (int i = 0; i < series; i++) {
            acked[i] = new BitSet();
            unknown[i] = new BitSet();
        }
    }

    void acknowledge(int series, long fromSeq, long toSeq) {
        acked[series].set(Math.toIntExact(fromSeq), Math.toIntExact(toSeq));
    }

    void markUnknown(int series, long fromSeq, long toSeq) {
        unknown[series].set(Math.toIntExact(fromSeq), Math.toIntExact(toSeq));
    }

    BitSet acked(int series) {
        return acked[series];
    }

    BitSet unknown(int series) {
        return unknown[series];
    }

    long ackedCount() {
        long n = 0;
        for (BitSet b : acked) {
            n += b.cardinality();
        }
        return n;
    }

    /** Acknowledged rows of {@code series} with row numbers in [from, to). */
    int ackedBetween(int series, int from, int to) {
        return acked[series].get(from, to).cardinality();
    }
}
