package io.ugnos.sql.session;

import io.ugnos.sql.schema.FamilyRow;
import org.apache.calcite.avatica.util.Cursor;
import org.apache.calcite.avatica.util.IteratorCursor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads a {@code DOUBLE} or {@code VARCHAR} column of the current row straight from the row
 * object, where Avatica's accessor goes through a getter that asks the row's type, boxes and casts
 * on every value: 15 ns a value, a third of a 12-column, 873-row high-cpu-1 query's time. A scan
 * row ({@link FamilyRow}) gives a field as an unboxed {@code double}; any other list row (Avatica
 * hands Calcite's array rows over as lists too) gives its element as Avatica's getter does.
 *
 * <p>It answers exactly what Avatica's accessor would: it is installed ({@link ResultAccessors})
 * only in front of Avatica's plain {@code DoubleAccessor} or {@code StringAccessor} whose getter
 * reads element {@code column} of a list or array row, and it sets the cursor's {@code wasNull} as
 * that getter does. A row of another kind, a value of an unexpected class, or a cursor not on a
 * row (whose error Avatica reports) goes to Avatica's accessor; so does every other conversion.
 */
abstract class RowColumnAccessor extends DelegatingAccessor {
    /** {@code IteratorCursor.current}: the row the cursor is on, null before the first and after the last. */
    static final VarHandle CURRENT = currentHandle();
    /** Not a value: {@link #value}'s answer when the row is not one read here. */
    private static final Object NOT_READ = new Object();

    private final IteratorCursor<?> cursor;
    /** The element of the row this column reads. */
    protected final int column;
    /** The cursor's {@code wasNull} state, shared with its getters ({@code AbstractCursor.wasNull}). */
    protected final boolean[] wasNull;

    RowColumnAccessor(Cursor.Accessor avatica, IteratorCursor<?> cursor, int column, boolean[] wasNull) {
        super(avatica);
        this.cursor = cursor;
        this.column = column;
        this.wasNull = wasNull;
    }

    private static VarHandle currentHandle() {
        try {
            return MethodHandles.privateLookupIn(IteratorCursor.class, MethodHandles.lookup())
                    .findVarHandle(IteratorCursor.class, "current", Object.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another Avatica version: result sets keep Avatica's accessors
        }
    }

    /**
     * The column's value as Avatica's getter gives it, with {@code wasNull} set; {@code fallback}
     * when the row is not one read here (then nothing is set).
     */
    protected final Object value(Object fallback) {
        if (!(row() instanceof List<?> l) || column >= l.size()) { // a FamilyRow is a list too
            return fallback;
        }
        Object o = l.get(column);
        wasNull[0] = o == null;
        return o;
    }

    /** The row the cursor is on, or null. */
    protected final Object row() {
        return CURRENT.get(cursor);
    }

    @Override
    public Object getObject() throws SQLException {
        Object o = value(NOT_READ);
        return o == NOT_READ ? avatica.getObject() : o;
    }

    /** A {@code DOUBLE} column (in front of Avatica's {@code DoubleAccessor}). */
    static final class DoubleColumn extends RowColumnAccessor {
        DoubleColumn(Cursor.Accessor avatica, IteratorCursor<?> cursor, int column, boolean[] wasNull) {
            super(avatica, cursor, column, wasNull);
        }

        @Override
        public double getDouble() throws SQLException {
            Object row = row();
            if (row instanceof FamilyRow f && f.isDouble(column)) {
                return f.getDouble(column, wasNull);
            }
            if (row instanceof List<?> l && column < l.size()) {
                Object o = l.get(column);
                if (o == null) {
                    wasNull[0] = true;
                    return 0d;
                }
                if (o instanceof Double d) {
                    wasNull[0] = false;
                    return d;
                }
            }
            return avatica.getDouble();
        }
    }

    /** A {@code VARCHAR} column (in front of Avatica's {@code StringAccessor}). */
    static final class StringColumn extends RowColumnAccessor {
        StringColumn(Cursor.Accessor avatica, IteratorCursor<?> cursor, int column, boolean[] wasNull) {
            super(avatica, cursor, column, wasNull);
        }

        @Override
        public String getString() throws SQLException {
            Object o = value(NOT_READ);
            if (o == NOT_READ) {
                return avatica.getString();
            }
            return o == null ? null : o instanceof String s ? s : o.toString();
        }
    }
}
