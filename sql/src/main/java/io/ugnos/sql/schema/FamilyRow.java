package io.ugnos.sql.schema;

import org.apache.calcite.runtime.FlatLists;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A row of a family scan as Calcite's {@code LIST} row format wants it (a {@link
 * FlatLists.ComparableList}), reading its values from the scan's {@link FamilyRows} when asked.
 *
 * <p>Why not an {@code Object[]} (Calcite's usual {@code ARRAY} format): Avatica reads every value
 * of a row through {@code PositionedCursor.ArrayGetter}, which first asks {@code row instanceof
 * List}. For an array that is a failed interface check, which Java 17 answers by scanning the
 * array class's interfaces (20-50 ns, uncached), once per value read: half the time of a query
 * returning 45,000 rows of 12 columns. For this class the check succeeds from the class's cache (1 ns).
 *
 * <p>Why boxed when read: a {@code getDouble} then unboxes the {@link Double} right away, which
 * the JIT can often do without allocating it, and a row is one small object instead of an array
 * and a box per value.
 */
@SuppressWarnings("rawtypes")
public final class FamilyRow extends AbstractList<Comparable> implements FlatLists.ComparableList<Comparable>, RandomAccess {
    private final FamilyRows rows;
    private final int row;
    private final Long millis;
    private final Long nanos;

    /** Row {@code row} of {@code rows}, whose time is {@code millis} and {@code nanos}, boxed (shared with other rows). */
    FamilyRow(FamilyRows rows, int row, Long millis, Long nanos) {
        this.rows = rows;
        this.row = row;
        this.millis = millis;
        this.nanos = nanos;
    }

    @Override
    public Comparable get(int index) {
        if (index < 0 || index >= rows.width()) {
            throw new IndexOutOfBoundsException("column " + index + " of a row of " + rows.width());
        }
        return (Comparable) rows.value(row, index, millis, nanos);
    }

    /** Whether column {@code index} is a DOUBLE field that {@link #getDouble} reads without boxing. */
    public boolean isDouble(int index) {
        return index >= 0 && index < rows.width() && rows.isField(index);
    }

    /**
     * Column {@code index}, a DOUBLE field ({@link #isDouble}), unboxed: the value, or 0 when it is
     * NULL; {@code wasNull[0]} is set to whether it is NULL (as a JDBC cursor reports it).
     */
    public double getDouble(int index, boolean[] wasNull) {
        return rows.fieldValue(row, index, wasNull);
    }

    @Override
    public int size() {
        return rows.width();
    }

    /** Column by column, NULL first, then the shorter row first: as Calcite's own comparable lists compare. */
    @Override
    @SuppressWarnings("unchecked")
    public int compareTo(List o) {
        int n = Math.min(size(), o.size());
        for (int i = 0; i < n; i++) {
            Comparable a = get(i);
            Object b = o.get(i);
            int c = a == b ? 0 : a == null ? -1 : b == null ? 1 : a.compareTo(b);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(size(), o.size());
    }
}
