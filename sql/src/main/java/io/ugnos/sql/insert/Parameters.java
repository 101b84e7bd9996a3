package io.ugnos.sql.insert;

import io.ugnos.sql.TimestampValues;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

/**
 * The parameter values of a prepared INSERT: set by the {@code set*} methods, copied by
 * {@code addBatch}. Values are kept as given; {@link PointTarget} converts them per column.
 */
public final class Parameters {
    /** Marks a parameter that was never set, unlike one set to NULL. */
    static final Object UNSET = new Object();

    private final Object[] values;
    private final List<Object[]> batch = new ArrayList<>();

    public Parameters(int count) {
        values = new Object[count];
        clear();
    }

    public int count() {
        return values.length;
    }

    /** Sets parameter {@code index} (from 1, as in JDBC). */
    public void set(int index, Object value) throws SQLException {
        if (index < 1 || index > values.length) {
            throw new SQLException("parameter index " + index + " is out of range: the statement has " + values.length
                    + " parameters", "07009");
        }
        values[index - 1] = value;
    }

    /** JDBC's {@code setTimestamp} with a calendar: the wall-clock time of {@code ts} read in the calendar's zone. */
    public void setTimestamp(int index, Timestamp ts, Calendar cal) throws SQLException {
        set(index, ts == null ? null : TimestampValues.inCalendar(ts, cal));
    }

    public void clear() {
        Arrays.fill(values, UNSET);
    }

    public Object[] current() {
        return values.clone();
    }

    public void addBatch() {
        batch.add(values.clone());
    }

    public List<Object[]> batch() {
        return batch;
    }

    public void clearBatch() {
        batch.clear();
    }
}
