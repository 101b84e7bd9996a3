package io.ugnos.jdbc.importer;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The unit of integer timestamps in imported files; ISO-8601 text is read as it says. */
public enum TimestampPrecision {
    NS(1), US(1_000), MS(1_000_000), S(1_000_000_000);

    private final long nanos;

    TimestampPrecision(long nanos) {
        this.nanos = nanos;
    }

    public static TimestampPrecision parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision must be one of ns, us, ms, s; got '" + s + "'");
        }
    }

    /** Epoch nanoseconds of an integer in this unit. */
    public long toNanos(long t) {
        return Math.multiplyExact(t, nanos);
    }

    /**
     * Reads an integer in this unit, or an ISO-8601 instant ({@code 2026-01-01T00:00:00Z}, or a zone-less
     * {@code 2026-01-01 00:00:00.5}, taken as UTC).
     */
    public long parseTimestamp(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new ImportException("empty timestamp");
        }
        if (isInteger(t)) {
            try {
                return toNanos(Long.parseLong(t));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new ImportException("timestamp " + t + " " + name().toLowerCase(Locale.ROOT) + " is out of range");
            }
        }
        try {
            String iso = t.replace(' ', 'T');
            boolean zoned = iso.endsWith("Z") || iso.matches(".*T.*[+-]\\d\\d:\\d\\d$");
            Instant i = zoned ? OffsetDateTime.parse(iso).toInstant() : LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new ImportException("'" + t + "' is neither an integer timestamp nor an ISO-8601 date-time");
        }
    }

    private static boolean isInteger(String t) {
        int start = t.charAt(0) == '-' ? 1 : 0;
        if (start == t.length()) {
            return false;
        }
        for (int i = start; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
