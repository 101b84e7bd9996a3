package io.ugnos.sql.ddl;

import java.sql.SQLDataException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration strings of {@code RETENTION} settings: a positive whole number and a unit, with or
 * without a space ({@code '30d'}, {@code '12h'}, {@code '15m'}, {@code '45s'}, {@code '500ms'},
 * {@code '2w'}, {@code '7 days'}, {@code '1 hour'}), or ISO-8601 ({@code 'P30D'}, {@code 'PT12H'}).
 * Months and years are not accepted: their length varies, and a retention is a fixed span.
 *
 * <pre>{@code
 * RetentionDurations.parse("7 days") // PT168H
 * }</pre>
 */
public final class RetentionDurations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*([a-z]+)");
    static final String FORMATS = "a number and a unit (ms, s, m, h, d, w, or seconds, minutes, hours, days, weeks),"
            + " e.g. '30d', '12h', '7 days', or ISO-8601 such as 'P30D' or 'PT12H'";

    private RetentionDurations() {
    }

    public static Duration parse(String text) throws SQLDataException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else {
                Matcher m = SHORT.matcher(t);
                if (!m.matches()) {
                    throw bad(text, null);
                }
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms", "millisecond", "milliseconds" -> Duration.ofMillis(n);
                    case "s", "sec", "second", "seconds" -> Duration.ofSeconds(n);
                    case "m", "min", "minute", "minutes" -> Duration.ofMinutes(n);
                    case "h", "hour", "hours" -> Duration.ofHours(n);
                    case "d", "day", "days" -> Duration.ofDays(n);
                    case "w", "week", "weeks" -> Duration.ofDays(Math.multiplyExact(n, 7));
                    default -> throw bad(text, null);
                };
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw bad(text, e);
        }
        if (d.isNegative() || d.isZero()) {
            throw new SQLDataException("retention '" + text + "' must be positive; use NONE to keep everything", "22023");
        }
        return d;
    }

    private static SQLDataException bad(String text, Exception cause) {
        return new SQLDataException("invalid retention '" + text + "': expected " + FORMATS, "22007", cause);
    }

    /** The shortest of the accepted forms for {@code d}, as SHOW RETENTION prints it. */
    public static String format(Duration d) {
        if (d.toNanos() % 1_000_000 != 0) {
            return d.toString(); // set through the engine's API with sub-millisecond precision
        }
        long ms = d.toMillis();
        long[] units = {7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000};
        String[] names = {"w", "d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }
}
