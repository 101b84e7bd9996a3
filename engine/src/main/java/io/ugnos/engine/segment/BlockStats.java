package io.ugnos.engine.segment;

/**
 * Order of doubles used by every min/max in ugnos, matching PostgreSQL and DuckDB: NaN sorts above
 * every other value, so {@code max} is NaN when any value is NaN and {@code min} ignores NaN unless all are.
 */
public final class BlockStats {
    private BlockStats() {
    }

    public static double min(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        if (Double.isNaN(b)) {
            return a;
        }
        return Math.min(a, b);
    }

    public static double max(double a, double b) {
        return Math.max(a, b); // Math.max already propagates NaN
    }
}
