package io.ugnos.sql.session;

import org.apache.calcite.avatica.util.Cursor;
import org.joou.UByte;
import org.joou.UInteger;
import org.joou.ULong;
import org.joou.UShort;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Struct;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

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
 * <p>{@link TimestampAccessors#install} decides per result set whether the zones allow it.
 */
final class UtcTimestampAccessor implements Cursor.Accessor {
    /**
     * 1583-01-01T00:00:00Z. From here on {@code java.util.Date} (inside {@code Timestamp.valueOf})
     * uses the Gregorian calendar, so its field arithmetic agrees with {@code LocalDateTime}'s.
     */
    static final long FIRST_GREGORIAN_MILLIS = -12_212_553_600_000L;
    /** 9999-12-31T23:59:59.999Z: a conservative end for four-digit years; later values go to Avatica. */
    static final long LAST_FAST_MILLIS = 253_402_300_799_999L;

    private final Cursor.Accessor avatica;
    /** The result set's session calendar (UTC), for which the offset is known to be zero. */
    private final Calendar sessionCalendar;

    UtcTimestampAccessor(Cursor.Accessor avatica, Calendar sessionCalendar) {
        this.avatica = avatica;
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

    // ------------------------------------------------------------------ the rest as Avatica does it

    @Override
    public boolean wasNull() throws SQLException {
        return avatica.wasNull();
    }

    @Override
    public String getString() throws SQLException {
        return avatica.getString();
    }

    @Override
    public boolean getBoolean() throws SQLException {
        return avatica.getBoolean();
    }

    @Override
    public byte getByte() throws SQLException {
        return avatica.getByte();
    }

    @Override
    public UByte getUByte() throws SQLException {
        return avatica.getUByte();
    }

    @Override
    public short getShort() throws SQLException {
        return avatica.getShort();
    }

    @Override
    public UShort getUShort() throws SQLException {
        return avatica.getUShort();
    }

    @Override
    public int getInt() throws SQLException {
        return avatica.getInt();
    }

    @Override
    public UInteger getUInt() throws SQLException {
        return avatica.getUInt();
    }

    @Override
    public long getLong() throws SQLException {
        return avatica.getLong();
    }

    @Override
    public ULong getULong() throws SQLException {
        return avatica.getULong();
    }

    @Override
    public float getFloat() throws SQLException {
        return avatica.getFloat();
    }

    @Override
    public double getDouble() throws SQLException {
        return avatica.getDouble();
    }

    @Override
    public BigDecimal getBigDecimal() throws SQLException {
        return avatica.getBigDecimal();
    }

    @Override
    public BigDecimal getBigDecimal(int scale) throws SQLException {
        return avatica.getBigDecimal(scale);
    }

    @Override
    public byte[] getBytes() throws SQLException {
        return avatica.getBytes();
    }

    @Override
    public InputStream getAsciiStream() throws SQLException {
        return avatica.getAsciiStream();
    }

    @Override
    public InputStream getUnicodeStream() throws SQLException {
        return avatica.getUnicodeStream();
    }

    @Override
    public InputStream getBinaryStream() throws SQLException {
        return avatica.getBinaryStream();
    }

    @Override
    public Reader getCharacterStream() throws SQLException {
        return avatica.getCharacterStream();
    }

    @Override
    public Object getObject(Map<String, Class<?>> map) throws SQLException {
        return avatica.getObject(map);
    }

    @Override
    public Ref getRef() throws SQLException {
        return avatica.getRef();
    }

    @Override
    public Blob getBlob() throws SQLException {
        return avatica.getBlob();
    }

    @Override
    public Clob getClob() throws SQLException {
        return avatica.getClob();
    }

    @Override
    public Array getArray() throws SQLException {
        return avatica.getArray();
    }

    @Override
    public Struct getStruct() throws SQLException {
        return avatica.getStruct();
    }

    @Override
    public Date getDate(Calendar calendar) throws SQLException {
        return avatica.getDate(calendar);
    }

    @Override
    public Time getTime(Calendar calendar) throws SQLException {
        return avatica.getTime(calendar);
    }

    @Override
    public URL getURL() throws SQLException {
        return avatica.getURL();
    }

    @Override
    public NClob getNClob() throws SQLException {
        return avatica.getNClob();
    }

    @Override
    public SQLXML getSQLXML() throws SQLException {
        return avatica.getSQLXML();
    }

    @Override
    public String getNString() throws SQLException {
        return avatica.getNString();
    }

    @Override
    public Reader getNCharacterStream() throws SQLException {
        return avatica.getNCharacterStream();
    }

    @Override
    public <T> T getObject(Class<T> type) throws SQLException {
        return avatica.getObject(type);
    }
}
