package io.ugnos.sql;

import java.sql.SQLDataException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Calendar;

/**
 * Converts the timestamp values SQL statements and JDBC parameters carry into epoch nanoseconds, the
 * engine's timestamps. A value without a zone is UTC, so the JVM's default time zone never shifts a
 * stored instant; a {@link Timestamp} or {@link java.util.Date} is the instant it holds.
 *
 * <pre>{@code
 * TimestampValues.parse("2024-01-01 00:00:00.000000001") // 1704067200000000001
 * }</pre>
 */
public final class TimestampValues {
    /** {@code yyyy-MM-dd[( |T)HH:mm[:ss[.fraction]]][zone]}: SQL's literal form and ISO-8601. */
    private static final DateTimeFormatter TEXT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().optionalStart().appendLiteral(' ').optionalEnd().optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm").optionalStart().appendPattern(":ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalEnd()
            .toFormatter();

    private TimestampValues() {
    }

    /** Parses timestamp text; without a zone or offset it is UTC. */
    public static long parse(String text) throws SQLDataException {
        String t = text.trim();
        try {
            var parsed = TEXT.parse(t);
            LocalDate date = LocalDate.from(parsed);
            LocalDateTime ldt = parsed.isSupported(ChronoField.HOUR_OF_DAY)
                    ? date.atTime(java.time.LocalTime.from(parsed)) : date.atStartOfDay();
            ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(parsed) : ZoneOffset.UTC;
            return nanos(ldt.toInstant(offset));
        } catch (DateTimeException e) {
            throw new SQLDataException("invalid timestamp '" + text + "': expected yyyy-MM-dd[ HH:mm[:ss[.fffffffff]]]"
                    + " with an optional offset such as Z or +02:00 (no offset means UTC)", "22007", e);
        }
    }

    /** Epoch nanoseconds of {@code i}; a data error when it lies outside the engine's range (years 1677 to 2262). */
    public static long nanos(Instant i) throws SQLDataException {
        try {
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
        } catch (ArithmeticException e) {
            throw new SQLDataException("timestamp " + i + " is outside the range of epoch nanoseconds"
                    + " (1677-09-21 to 2262-04-11)", "22008", e);
        }
    }

    /**
     * The epoch nanoseconds of a JDBC timestamp value: {@link Timestamp}, {@link java.util.Date},
     * {@link Instant}, {@link OffsetDateTime}, {@link ZonedDateTime}, {@link LocalDateTime} (UTC),
     * {@link LocalDate} (UTC midnight) or timestamp text. Null when {@code v} is not one of these.
     */
    public static Long toNanos(Object v) throws SQLDataException {
        if (v instanceof Timestamp t) {
            return nanos(t.toInstant());
        } else if (v instanceof java.sql.Date d) {
            return nanos(d.toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant());
        } else if (v instanceof java.util.Date d) {
            return nanos(d.toInstant());
        } else if (v instanceof Instant i) {
            return nanos(i);
        } else if (v instanceof OffsetDateTime o) {
            return nanos(o.toInstant());
        } else if (v instanceof ZonedDateTime z) {
            return nanos(z.toInstant());
        } else if (v instanceof LocalDateTime l) {
            return nanos(l.toInstant(ZoneOffset.UTC));
        } else if (v instanceof LocalDate d) {
            return nanos(d.atStartOfDay(ZoneOffset.UTC).toInstant());
        } else if (v instanceof String s) {
            return parse(s);
        }
        return null;
    }

    /**
     * JDBC's {@code setTimestamp(i, ts, cal)}: the wall-clock time of {@code ts} (as the default zone
     * shows it) read in the calendar's zone.
     */
    public static Timestamp inCalendar(Timestamp ts, Calendar cal) {
        if (cal == null) {
            return ts;
        }
        return Timestamp.from(ts.toLocalDateTime().atZone(cal.getTimeZone().toZoneId()).toInstant());
    }
}
