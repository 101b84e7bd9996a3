package io.ugnos.sql.rel;

import io.ugnos.sql.schema.UnboxedRow;

/** An {@link UnboxedRow} of values computed up front (boxed): no column is read unboxed. */
final class ArrayRow extends UnboxedRow {
    private final Object[] values;

    ArrayRow(Object[] values) {
        this.values = values;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Comparable get(int index) {
        return (Comparable) values[index];
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean isDouble(int index) {
        return false;
    }

    @Override
    public double getDouble(int index, boolean[] wasNull) {
        throw new UnsupportedOperationException("no column of this row is read unboxed");
    }
}
