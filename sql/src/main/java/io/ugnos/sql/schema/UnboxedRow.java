package io.ugnos.sql.schema;

import org.apache.calcite.runtime.FlatLists;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A row in Calcite's {@code LIST} row format (a {@link FlatLists.ComparableList}) that computes its
 * values when asked and gives its {@code DOUBLE} columns unboxed ({@link #getDouble}), which the
 * result set reads directly ({@code RowColumnAccessor}). A scan's rows ({@link FamilyRow}) and an
 * aggregate's are such rows.
 *
 * <p>An abstract class, not an interface: the result set asks every row it reads whether it is
 * one, and a failed interface check is a scan of the row class's interfaces (uncached), where a
 * class check is one comparison.
 */
@SuppressWarnings("rawtypes")
public abstract class UnboxedRow extends AbstractList<Comparable> implements FlatLists.ComparableList<Comparable>, RandomAccess {
    /** Whether column {@code index} is a DOUBLE that {@link #getDouble} reads without boxing. */
    public abstract boolean isDouble(int index);

    /**
     * Column {@code index}, a DOUBLE ({@link #isDouble}), unboxed: the value, or 0 when it is NULL;
     * {@code wasNull[0]} is set to whether it is NULL (as a JDBC cursor reports it). The same value
     * as {@link #get}, unboxed.
     */
    public abstract double getDouble(int index, boolean[] wasNull);

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
