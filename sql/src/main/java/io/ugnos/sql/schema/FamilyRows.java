package io.ugnos.sql.schema;

import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a family scan as primitive columns, turned into Calcite's rows only as they are
 * read. Holding the fields in primitive arrays instead of 10 {@link Double}s and an array per row
 * makes the scan allocate little, and building each row right before the result set
 * reads it keeps it in the cache: reading rows built long before, scattered over the heap (and
 * shuffled by an {@code ORDER BY}), cost more than building them.
 *
 * <p>A field is read unboxed by the result set ({@link FamilyRow#getDouble}): one array load.
 *
 * <p>Filled per tag set, ascending in time within one ({@link #tagSet}, {@link #add}); then
 * optionally given an output order ({@link #order}); then read, any number of times, through
 * {@link #arrays} or {@link #lists}. Every row read is a new object, and the columns do not change
 * once read: whatever Calcite keeps above the scan (a sort, a join) is never overwritten. Not
 * thread-safe while filled.
 */
public final class FamilyRows {
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final byte TS = 0;
    private static final byte TS_NS = 1;
    private static final byte FIELD = 2;
    private static final byte TAG = 3;

    private final byte[] kind; // per output column
    private final int[] arg; // per output column: its field's slot in a row's values, or its tag key index
    private final int[] slotField; // per slot: the field whose value it holds
    private final int stride; // slots per row
    private final List<Object[]> tagValues = new ArrayList<>(); // per tag set, in the order visited
    private long[] ns;
    private int[] tagSet;
    // row-major: row r's slot s at r * stride + s. Sorted output reads the rows in an order unrelated
    // to the arrays': a row's fields then sit in one or two cache lines, where column arrays would
    // need a line per field (high-cpu-all read as fast either way, its order being regular enough
    // for the prefetchers: 16-20 ms in both, QueryLoop, alternating)
    private double[] values;
    private boolean[] present; // likewise: whether that field has a point at the row's timestamp
    private int size;
    private int[] order; // row numbers in output order, or null for the order added

    /**
     * @param layout   the table's columns
     * @param cols     the output columns, table column numbers
     * @param capacity rows expected; more are taken too
     */
    FamilyRows(FamilyTable.Layout layout, int[] cols, int capacity) {
        kind = new byte[cols.length];
        arg = new int[cols.length];
        int slots = 0;
        int[] fields = new int[cols.length];
        for (int i = 0; i < cols.length; i++) {
            int c = cols[i];
            if (layout.isTs(c)) {
                kind[i] = TS;
            } else if (layout.isTsNanos(c)) {
                kind[i] = TS_NS;
            } else if (layout.field(c) >= 0) {
                kind[i] = FIELD;
                fields[slots] = layout.field(c);
                arg[i] = slots++;
            } else {
                kind[i] = TAG;
                arg[i] = c - 1 - layout.fields().size();
            }
        }
        slotField = Arrays.copyOf(fields, slots);
        stride = slots;
        int cap = Math.max(16, capacity);
        ns = new long[cap];
        tagSet = new int[cap];
        values = new double[cap * stride];
        present = new boolean[cap * stride];
    }

    /** Starts the rows of the next tag set, whose tag column values (per tag key of the layout) are {@code values}. */
    void tagSet(Object[] values) {
        tagValues.add(values);
    }

    /**
     * Adds a row of the current tag set at {@code ts}: {@code fieldValues[f]} is field f's value
     * where {@code fieldPresent[f]}; only the output fields are kept.
     */
    void add(long ts, double[] fieldValues, boolean[] fieldPresent) {
        ensure(size + 1);
        ns[size] = ts;
        tagSet[size] = tagValues.size() - 1;
        int at = size * stride;
        for (int s = 0; s < stride; s++) {
            int f = slotField[s];
            boolean p = fieldPresent[f];
            present[at + s] = p;
            values[at + s] = p ? fieldValues[f] : 0.0;
        }
        size++;
    }

    /**
     * Adds a row of the current tag set at each of {@code ts[0..n)}, every field absent until
     * {@link #setField} fills it: the column-wise form of {@link #add}, which reads each source
     * array in one pass instead of a step of every field's arrays per row.
     *
     * @return the number of the first row added
     */
    int addRows(long[] ts, int n) {
        ensure(size + n);
        int first = size;
        System.arraycopy(ts, 0, ns, first, n);
        Arrays.fill(tagSet, first, first + n, tagValues.size() - 1);
        size += n;
        return first; // values and presence are 0 and false: never written before
    }

    /**
     * Fills field {@code field} of rows {@code first..first+n)}, added by {@link #addRows} at the
     * ascending timestamps {@code ts}: the field has value {@code pv[j]} where {@code pts[j]} (of
     * {@code pn} ascending timestamps) equals a row's timestamp, and is absent elsewhere.
     */
    void setField(int field, int first, long[] ts, int n, long[] pts, double[] pv, int pn) {
        if (n == pn && Arrays.equals(ts, 0, n, pts, 0, pn)) { // the usual case: a point at every row, no search
            setFieldAtEveryRow(field, first, pv, n);
            return;
        }
        for (int s = 0; s < stride; s++) {
            if (slotField[s] != field) {
                continue;
            }
            int j = 0;
            for (int i = 0; i < n; i++) {
                long t = ts[i];
                while (j < pn && pts[j] < t) {
                    j++;
                }
                if (j < pn && pts[j] == t) {
                    int at = (first + i) * stride + s;
                    present[at] = true;
                    values[at] = pv[j];
                }
            }
        }
    }

    /**
     * Fills field {@code field} of rows {@code first..first+n)} with {@code pv[0..n)}: the field has
     * a point at each of those rows (the caller knows their timestamps are the field's).
     */
    void setFieldAtEveryRow(int field, int first, double[] pv, int n) {
        for (int s = 0; s < stride; s++) {
            if (slotField[s] == field) {
                for (int i = 0, at = first * stride + s; i < n; i++, at += stride) {
                    present[at] = true;
                    values[at] = pv[i];
                }
            }
        }
    }

    private void ensure(int rows) {
        if (rows > ns.length) {
            int cap = Math.max(rows, ns.length * 2);
            ns = Arrays.copyOf(ns, cap);
            tagSet = Arrays.copyOf(tagSet, cap);
            values = Arrays.copyOf(values, cap * stride);
            present = Arrays.copyOf(present, cap * stride);
        }
    }

    /** How many rows there are. */
    public int size() {
        return size;
    }

    /** Puts the rows in {@code order}'s order; the rows are then complete. */
    void order(FamilyOrder order, FamilyTable.Layout layout) {
        this.order = order.sort(layout, size, ns, tagSet, tagValues);
    }

    /** The rows as arrays of column values (Calcite's {@code ARRAY} row format), each built when an enumerator reaches it. */
    public Enumerable<Object[]> arrays() {
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                return new RowEnumerator<>(false);
            }
        };
    }

    /** The rows as {@link FamilyRow}s (Calcite's {@code LIST} row format), each built when an enumerator reaches it. */
    public Enumerable<FamilyRow> lists() {
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<FamilyRow> enumerator() {
                return new RowEnumerator<>(true);
            }
        };
    }

    /** Column {@code i} of row {@code r}, boxed; {@code millis} and {@code nanos} are the row's time, boxed already. */
    Object value(int r, int i, Long millis, Long nanos) {
        return switch (kind[i]) {
            case TS -> millis;
            case TS_NS -> nanos;
            case FIELD -> {
                int at = r * stride + arg[i];
                yield present[at] ? (Object) values[at] : null;
            }
            default -> tagValues.get(tagSet[r])[arg[i]];
        };
    }

    /** Whether column {@code i} is a field: a DOUBLE that {@link #fieldValue} reads unboxed. */
    boolean isField(int i) {
        return kind[i] == FIELD;
    }

    /** Field column {@code i} of row {@code r}, unboxed: 0 with {@code wasNull[0]} set when NULL, else cleared. */
    double fieldValue(int r, int i, boolean[] wasNull) {
        int at = r * stride + arg[i];
        boolean p = present[at];
        wasNull[0] = !p;
        return p ? values[at] : 0.0;
    }

    /** How many columns a row has. */
    int width() {
        return kind.length;
    }

    /**
     * Steps through the rows in output order; consecutive rows at the same time share the boxed
     * timestamp (Longs are immutable).
     *
     * @param <R> {@code Object[]} (boxed at once), or {@link FamilyRow} when {@code lists} (boxed when read)
     */
    private final class RowEnumerator<R> implements Enumerator<R> {
        private final boolean lists;
        private int pos = -1;
        private R current;
        private long lastNs = Long.MIN_VALUE;
        private Long lastMillis;
        private Long lastNanos;

        RowEnumerator(boolean lists) {
            this.lists = lists;
        }

        @Override
        public R current() {
            return current;
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean moveNext() {
            if (pos + 1 >= size) {
                pos = size;
                current = null;
                return false;
            }
            pos++;
            int r = order == null ? pos : order[pos];
            long t = ns[r];
            if (t != lastNs || lastMillis == null) {
                lastNs = t;
                lastMillis = Math.floorDiv(t, NANOS_PER_MILLI);
                lastNanos = t;
            }
            if (lists) {
                current = (R) new FamilyRow(FamilyRows.this, r, lastMillis, lastNanos);
                return true;
            }
            Object[] row = new Object[kind.length];
            for (int i = 0; i < row.length; i++) {
                row[i] = value(r, i, lastMillis, lastNanos);
            }
            current = (R) row;
            return true;
        }

        @Override
        public void reset() {
            pos = -1;
            current = null;
        }

        @Override
        public void close() {
        }
    }
}
