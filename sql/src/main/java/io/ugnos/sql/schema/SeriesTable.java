package io.ugnos.sql.schema;

import io.ugnos.engine.Database;
import io.ugnos.engine.SeriesNotFoundException;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import io.ugnos.sql.rules.PredicateTranslator;
import io.ugnos.sql.rules.PushedScan;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ProjectableFilterableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;

/**
 * One series as a table: {@code ts TIMESTAMP} (UTC, milliseconds), {@code value DOUBLE}, one nullable
 * {@code VARCHAR} per tag key seen in the series (sorted), and {@code ts_ns BIGINT} with the exact
 * nanoseconds. Time-range and tag predicates are pushed into the engine scan; Calcite evaluates the
 * rest.
 */
public final class SeriesTable extends AbstractTable implements ProjectableFilterableTable {
    static final String TS = "ts";
    static final String VALUE = "value";
    static final String TS_NS = "ts_ns";

    private final Database db;
    private final String series;

    public SeriesTable(Database db, String series) {
        this.db = db;
        this.series = series;
    }

    public String series() {
        return series;
    }

    /** The column layout at this moment: tag keys can be added by later writes. */
    public record Layout(List<String> tagKeys) implements PredicateTranslator.Columns {
        public int columnCount() {
            return tagKeys.size() + 3;
        }

        @Override
        public boolean isTs(int i) {
            return i == 0;
        }

        public boolean isValue(int i) {
            return i == 1;
        }

        @Override
        public boolean isTsNanos(int i) {
            return i == tagKeys.size() + 2;
        }

        @Override
        public String tagKey(int i) {
            return i >= 2 && i < tagKeys.size() + 2 ? tagKeys.get(i - 2) : null;
        }
    }

    public Layout layout() {
        try {
            return new Layout(List.copyOf(db.tagKeys(series)));
        } catch (SeriesNotFoundException e) {
            return new Layout(List.of());
        }
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory f) {
        Layout l = layout();
        RelDataTypeFactory.Builder b = f.builder();
        b.add(TS, f.createSqlType(SqlTypeName.TIMESTAMP, 3));
        b.add(VALUE, f.createSqlType(SqlTypeName.DOUBLE));
        for (String k : l.tagKeys()) {
            b.add(k, f.createTypeWithNullability(f.createSqlType(SqlTypeName.VARCHAR), true));
        }
        b.add(TS_NS, f.createSqlType(SqlTypeName.BIGINT));
        return b.build();
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters, int[] projects) {
        Layout layout = layout();
        PushedScan pushed = new PredicateTranslator(layout, root).translate(filters);
        int[] cols = projects != null ? projects : identity(layout.columnCount());
        if (pushed.isEmpty() || !db.hasSeries(series)) {
            return Linq4j.emptyEnumerable();
        }
        boolean needTs = false;
        boolean needValues = false;
        for (int c : cols) {
            needTs |= layout.isTs(c) || layout.isTsNanos(c);
            needValues |= layout.isValue(c);
        }
        // Calcite still applies the filters left in the list, which may read any column
        ScanRequest request = new ScanRequest(series, pushed.range(), pushed.tags(), needTs || !filters.isEmpty(),
                needValues || !filters.isEmpty(), ScanRequest.DEFAULT_BATCH);
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                return new RowEnumerator(db.scan(request), layout, cols);
            }
        };
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Rows from engine batches, one Object[] per point with the projected columns. */
    private static final class RowEnumerator implements Enumerator<Object[]> {
        private final ScanCursor cursor;
        private final Layout layout;
        private final int[] cols;
        private PointBatch batch;
        private int pos;
        private Object[] current;
        private final List<Object[]> tagCache = new ArrayList<>(); // per tag-set id: the tag column values

        RowEnumerator(ScanCursor cursor, Layout layout, int[] cols) {
            this.cursor = cursor;
            this.layout = layout;
            this.cols = cols;
        }

        @Override
        public Object[] current() {
            return current;
        }

        @Override
        public boolean moveNext() {
            while (batch == null || pos >= batch.size()) {
                if (!cursor.next()) {
                    return false;
                }
                batch = cursor.batch();
                pos = 0;
            }
            Object[] tags = tags(batch.tagSetId());
            long ns = batch.timestamps()[pos];
            Object[] row = new Object[cols.length];
            for (int i = 0; i < cols.length; i++) {
                int c = cols[i];
                if (layout.isTs(c)) {
                    row[i] = Math.floorDiv(ns, 1_000_000L);
                } else if (layout.isValue(c)) {
                    row[i] = batch.values()[pos];
                } else if (layout.isTsNanos(c)) {
                    row[i] = ns;
                } else {
                    row[i] = tags[c - 2];
                }
            }
            pos++;
            current = row;
            return true;
        }

        private Object[] tags(int id) {
            while (tagCache.size() <= id) {
                tagCache.add(null);
            }
            Object[] t = tagCache.get(id);
            if (t == null) {
                TagSet ts = cursor.tagSet(id);
                t = new Object[layout.tagKeys().size()];
                for (int i = 0; i < t.length; i++) {
                    t[i] = ts.get(layout.tagKeys().get(i));
                }
                tagCache.set(id, t);
            }
            return t;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("a scan cannot be restarted");
        }

        @Override
        public void close() {
            cursor.close();
        }
    }
}
