package io.ugnos.sql.session;

import org.apache.calcite.avatica.util.Cursor;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * Reads a {@code TIMESTAMP} column that Calcite hands over as epoch milliseconds, giving the same
 * {@link Timestamp}s as Avatica's own accessor with far less work. Avatica builds each value as
 * {@code Timestamp.valueOf(LocalDateTime)} (a calendar computation in the JVM's default zone) and
 * then shifts it back by two zone offsets; when both zones Avatica consults (its
 * {@code DateTimeUtils.DEFAULT_ZONE} and the JVM default) are UTC, and the instant is after the
 * Gregorian cutover, that is exactly {@code new Timestamp(millis - offset)}, the offset being the
 * requested calendar's. Anything else (other zones, instants before 1583 where
 * {@code java.util.Date} switches to the Julian calendar) goes to Avatica's accessor, as does every
 * other conversion ({@code getString}, {@code getDate}, …).
 *
 * <p>{@link ResultAccessors#install} decides per result set whether the zones allow it.
 */
final class UtcTimestampAccessor extends DelegatingAccessor {
    /**
     * 1583-01-01T00:00:00Z. From here on {@code java.util.Date} (inside {@code Timestamp.valueOf})
     * uses the Gregorian calendar, so its field arithmetic agrees with {@code LocalDateTime}'s.
     */
    static final long FIRST_GREGORIAN_MILLIS = -12_212_553_600_000L;
    /** 9999-12-31T23:59:59.999Z: a conservative end for four-digit years; later values go to Avatica. */
    static final long LAST_FAST_MILLIS = 253_402_300_799_999L;

    /** The result set's session calendar (UTC), for which the offset is known to be zero. */
    private final Calendar sessionCalendar;

    UtcTimestampAccessor(Cursor.Accessor avatica, Calendar sessionCalendar) {
        super(avatica);
        this.sessionCalendar = sessionCalendar;
    }

    @Override
    public Timestamp getTimestamp(Calendar calendar) throws SQLException {
        long millis = avatica.getLong(); // the raw epoch milliseconds; 0 and wasNull for SQL NULL
        if (avatica.wasNull()) {
            return null;
        }
        if (millis < FIRST_GREGORIAN_MILLIS || millis > LAST_FAST_MILLIS) {
            return avatica.getTimestamp(calendar);
        }
        if (calendar == null || calendar == sessionCalendar) {
            return new Timestamp(millis);
        }
        return new Timestamp(millis - calendar.getTimeZone().getOffset(millis));
    }

    /** Avatica's {@code getObject()} is {@code getTimestamp} in the session calendar. */
    @Override
    public Object getObject() throws SQLException {
        return getTimestamp(sessionCalendar);
    }
}
