package io.ugnos.sql.rel;

import io.ugnos.sql.rules.PredicateTranslator;
import io.ugnos.sql.rules.PushedScan;
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

import java.util.List;
import java.util.stream.Collectors;

/**
 * An aggregate over a family table computed by the engine: one aggregate request per field series,
 * merged by group ({@link FamilyAggregateRuntime}), in place of Calcite's aggregate over the
 * family's aligned rows. Built by {@link io.ugnos.sql.rules.FamilyAggregateRule} directly in the
 * enumerable convention (nothing is pushed into it afterwards). {@code EXPLAIN} shows the request.
 */
public final class FamilyAggregate extends AbstractRelNode implements EnumerableRel {

    private final FamilyAggregateSpec spec;
    private final RelDataType type;

    public FamilyAggregate(RelOptCluster cluster, RelTraitSet traits, FamilyAggregateSpec spec, RelDataType type) {
        super(cluster, traits);
        this.spec = spec;
        this.type = type;
    }

    public FamilyAggregateSpec spec() {
        return spec;
    }

    @Override
    protected RelDataType deriveRowType() {
        return type;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new FamilyAggregate(getCluster(), traitSet, spec, type);
    }

    @Override
    public String getRelTypeName() {
        return "FamilyAggregate";
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
        return spec.global() ? 1 : 10;
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        // one engine aggregate per field, mostly answered from block headers: far below reading
        // and aligning the family's rows, whatever the planner thinks their number is
        double n = spec.layout().fields().size();
        return planner.getCostFactory().makeCost(estimateRowCount(mq), n, 0);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        pw.item("family", spec.table().family());
        if (!spec.filters().isEmpty()) {
            pw.item("filter", spec.layout().withColumnNames(spec.filters().stream().map(Object::toString).collect(Collectors.joining(" AND "))));
            if (pw.getDetailLevel() != org.apache.calcite.sql.SqlExplainLevel.DIGEST_ATTRIBUTES) {
                try {
                    PushedScan known = new PredicateTranslator(spec.layout(), null).translatePushed(spec.filters());
                    pw.item("time", known.isEmpty() ? "none" : range(known.range()));
                    pw.item("tags", known.tags().toString());
                } catch (IllegalArgumentException dependsOnParameters) {
                    // known when the statement runs
                }
            }
        }
        pw.item("group", spec.keys().stream().map(Object::toString).collect(Collectors.joining(", ")));
        pw.item("aggregate", spec.calls().stream().map(c -> c.describe(spec.layout())).collect(Collectors.joining(", ")));
        pw.itemIf("from", "latest points", spec.endpointsOnly());
        // fields only counted for group existence: blocks whose span holds no new group are not read
        List<Integer> presence = spec.presenceOnlyFields();
        pw.itemIf("presence", presence.stream().map(f -> spec.layout().fields().get(f)).collect(Collectors.joining(", ")),
                !presence.isEmpty());
        return pw;
    }

    private static String range(io.ugnos.engine.TimeRange r) {
        return "[" + (r.start() == Long.MIN_VALUE ? "-inf" : instant(r.start())) + ", "
                + (r.end() == Long.MAX_VALUE ? "+inf" : instant(r.end())) + "]";
    }

    private static String instant(long nanos) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        boolean scalar = getRowType().getFieldCount() == 1; // Calcite's row of one column is the value
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
                scalar ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY, false);
        Expression specExpr = implementor.stash(spec, FamilyAggregateSpec.class);
        Expression rows = Expressions.call(FamilyAggregateRuntime.class, scalar ? "executeScalar" : "execute",
                implementor.getRootExpression(), specExpr);
        return implementor.result(physType, Blocks.toBlock(rows));
    }
}
