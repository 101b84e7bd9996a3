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
 * An accessor that answers every request with Avatica's accessor of the same column; subclasses
 * take over the few reads they can answer faster with the same result. Avatica's accessor also
 * keeps the cursor's {@code wasNull} state for everything it answers.
 */
abstract class DelegatingAccessor implements Cursor.Accessor {
    /** Avatica's accessor of the column, for everything not overridden. */
    protected final Cursor.Accessor avatica;

    DelegatingAccessor(Cursor.Accessor avatica) {
        this.avatica = avatica;
    }

    @Override
    public Object getObject() throws SQLException {
        return avatica.getObject();
    }

    @Override
    public Timestamp getTimestamp(Calendar calendar) throws SQLException {
        return avatica.getTimestamp(calendar);
    }

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
