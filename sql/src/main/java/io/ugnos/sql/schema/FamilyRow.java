package io.ugnos.sql.schema;

import org.apache.calcite.runtime.FlatLists;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A row of a family scan as Calcite's {@code LIST} row format wants it (a {@link
 * FlatLists.ComparableList}) over an array of its column values.
 *
 * <p>Why not an {@code Object[]} (Calcite's usual {@code ARRAY} format): Avatica reads every value
 * of a row through {@code PositionedCursor.ArrayGetter}, which first asks {@code row instanceof
 * List}. For an array that is a failed interface check, which Java 17 answers by scanning the
 * array class's interfaces (20-50 ns, uncached), once per value read: half the time of a query
 * returning 45,000 rows of 12 columns. For this class the check succeeds from the class's cache (1 ns).
 */
@SuppressWarnings("rawtypes")
public final class FamilyRow extends AbstractList<Comparable> implements FlatLists.ComparableList<Comparable>, RandomAccess {
    private final Object[] values;

    /** @param values the column values (Long, Double, String or null); kept, not copied */
    FamilyRow(Object[] values) {
        this.values = values;
    }

    @Override
    public Comparable get(int index) {
        return (Comparable) values[index];
    }

    @Override
    public int size() {
        return values.length;
    }

    /** Column by column, NULL first, then the shorter row first: as Calcite's own comparable lists compare. */
    @Override
    @SuppressWarnings("unchecked")
    public int compareTo(List o) {
        int n = Math.min(values.length, o.size());
        for (int i = 0; i < n; i++) {
            Comparable a = get(i);
            Object b = o.get(i);
            int c = a == b ? 0 : a == null ? -1 : b == null ? 1 : a.compareTo(b);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(values.length, o.size());
    }
}
