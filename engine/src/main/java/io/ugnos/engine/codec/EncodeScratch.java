package io.ugnos.engine.codec;

/**
 * Working memory of the encoders, owned by an {@link EncodeBuffer} and reused block after block.
 * An encoder's analysis pass leaves its plan here (the {@code for*}, {@code dec*} and {@code split*}
 * fields), and its encode pass writes by that plan, so the analysis is not repeated.
 */
final class EncodeScratch {
    /** Largest SPLIT dictionary. */
    static final int MAX_DICT = 8;

    // DeltaForTimestamps plan
    long forMinDelta;
    long forGcd;
    int forWidth;

    // DecimalValues plan
    int decExponent;
    long decMinDelta;
    int decWidth;
    /**
     * Whether the last DECIMAL analysis found integers ({@code e = 0}) small enough that every partial
     * sum is exact in a double ({@code n * max|m| <= 2^53}); then the block's min, max and sum are
     * {@code decMin}, {@code decMax} and {@code decSum} as doubles, bit for bit what a loop over the
     * doubles gives, and the block writer need not run that loop.
     */
    boolean decIntegerStats;
    long decMin;
    long decMax;
    long decSum;

    // SplitValues plan
    int splitLeftBits;
    int splitDictBits;
    int splitExceptions;
    final int[] splitDict = new int[MAX_DICT];

    // SplitValues working arrays
    /** Histograms of the low and the high byte of the 16-bit keys. */
    final int[] radixCounts = new int[512];
    final int[] topCounts = new int[MAX_DICT];
    final int[] topKeys = new int[MAX_DICT];
    private int[] keys = new int[0];
    private int[] keysTmp = new int[0];
    private byte[] dictIndex = new byte[0];
    // DecimalValues integers
    private long[] mantissas = new long[0];

    int[] keys(int n) {
        if (keys.length < n) {
            keys = new int[n];
        }
        return keys;
    }

    int[] keysTmp(int n) {
        if (keysTmp.length < n) {
            keysTmp = new int[n];
        }
        return keysTmp;
    }

    long[] mantissas(int n) {
        if (mantissas.length < n) {
            mantissas = new long[n];
        }
        return mantissas;
    }

    byte[] dictIndex(int n) {
        if (dictIndex.length < n) {
            dictIndex = new byte[n];
        }
        return dictIndex;
    }
}
