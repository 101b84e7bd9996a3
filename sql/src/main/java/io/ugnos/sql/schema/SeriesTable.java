package io.ugnos.sql.schema;

import io.ugnos.engine.Database;
import io.ugnos.engine.SeriesNotFoundException;
import io.ugnos.sql.rel.QuerySpec;
import io.ugnos.sql.rel.UgnosQuery;
import io.ugnos.sql.rules.PredicateTranslator;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.List;

/**
 * One series as a table: {@code ts TIMESTAMP} (UTC, milliseconds), {@code value DOUBLE}, one nullable
 * {@code VARCHAR} per tag key seen in the series (sorted), and {@code ts_ns BIGINT} with the exact
 * nanoseconds. The planner starts every query on it from a {@link UgnosQuery} that its rules grow
 * into one engine request (time range, tags, projection, aggregation, limit); Calcite evaluates the rest.
 */
public final class SeriesTable extends AbstractTable implements TranslatableTable {
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

    public Database database() {
        return db;
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
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
        RelOptCluster cluster = context.getCluster();
        return new UgnosQuery(cluster, cluster.traitSetOf(Convention.NONE),
                QuerySpec.scanOf(this, layout()), relOptTable.getRowType());
    }
}
