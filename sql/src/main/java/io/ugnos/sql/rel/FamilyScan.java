package io.ugnos.sql.rel;

import io.ugnos.sql.schema.FamilyOrder;
import io.ugnos.sql.schema.FamilyTable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A scan of a family table run by ugnos instead of Calcite's interpreter: the fields aligned by
 * tag set and time ({@link FamilyTable#rows}), optionally in an {@code ORDER BY} order of time and
 * tag columns, which its collation trait declares so that Calcite drops its own sort. Built by
 * {@link io.ugnos.sql.rules.FamilyScanRule} directly in the enumerable convention; conjuncts the
 * scan may not apply exactly stay in a filter above it.
 */
public final class FamilyScan extends AbstractRelNode implements EnumerableRel {
    /** Rows the planner assumes a scan without conjuncts returns: few, so that a filter above costs little. */
    public static final double ROWS = 10;
    private static final double COST = 12;

    private final FamilyScanSpec spec;
    private final RelDataType type;
    private final double rows;

    /**
     * @param traits the enumerable convention, with the collation of {@code spec}'s order in output columns
     * @param rows   the row count the planner assumes: {@link #ROWS} times the selectivity of the exact conjuncts
     */
    public FamilyScan(RelOptCluster cluster, RelTraitSet traits, FamilyScanSpec spec, RelDataType type, double rows) {
        super(cluster, traits);
        this.spec = spec;
        this.type = type;
        this.rows = rows;
    }

    public FamilyScanSpec spec() {
        return spec;
    }

    @Override
    protected RelDataType deriveRowType() {
        return type;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new FamilyScan(getCluster(), traitSet, spec, type, rows);
    }

    @Override
    public String getRelTypeName() {
        return "FamilyScan";
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
        return rows;
    }

    /**
     * The planner's cost of a scan: below Calcite's interpreted scan of the same table (which it
     * replaces; 25 to 50 rows in the planner's units), lower the more conjuncts it is given and the
     * fewer columns it reads, and
     * slightly higher when it orders its rows, which is still far below a sort by Calcite. It stays
     * above a {@link FamilyAggregate} (10 rows), which computes an aggregate without the scan.
     * Volcano compares costs by their row counts only, hence the constants.
     */
    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        double width = (spec.columns().length + 2.0) / (spec.table().layout().columnCount() + 2.0);
        double cost = COST * (1 - 0.01 * Math.min(spec.conjuncts().size(), 10)) * (0.9 + 0.1 * width)
                * (spec.order() == null ? 1 : 1.001);
        return planner.getCostFactory().makeCost(cost, cost, 0);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        FamilyTable.Layout l = spec.table().layout();
        pw.item("family", spec.table().family());
        if (!spec.conjuncts().isEmpty()) {
            pw.item("filter", l.withColumnNames(spec.conjuncts().stream().map(Object::toString).collect(Collectors.joining(" AND "))));
        }
        pw.item("columns", Arrays.stream(spec.columns()).mapToObj(c -> l.columnName(c)).toList().toString());
        if (spec.order() != null) {
            pw.item("order", spec.order().keys().stream()
                    .map(k -> l.columnName(k.column()) + (k.descending() ? " DESC" : "")
                            + (l.tagKey(k.column()) == null || k.nullsFirst() == k.descending() ? "" : k.nullsFirst() ? " NULLS FIRST" : " NULLS LAST"))
                    .collect(Collectors.joining(", ")));
        }
        return pw;
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        boolean scalar = getRowType().getFieldCount() == 1; // Calcite's row of one column is the value
        // LIST, not ARRAY: Avatica reads a list row's values several times faster (see FamilyRow)
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
                scalar ? JavaRowFormat.SCALAR : JavaRowFormat.LIST, false);
        Expression specExpr = implementor.stash(spec, FamilyScanSpec.class);
        Expression rowsExpr = Expressions.call(FamilyScanRuntime.class, scalar ? "executeScalar" : "execute",
                implementor.getRootExpression(), specExpr);
        return implementor.result(physType, Blocks.toBlock(rowsExpr));
    }

}
