package io.ugnos.sql.rel;

import io.ugnos.engine.TimeRange;
import io.ugnos.sql.rules.PredicateTranslator;
import io.ugnos.sql.rules.PushedScan;
import io.ugnos.sql.rules.UgnosRules;
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
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One engine request over one series: the leaf the planner grows by absorbing the Filter, Project,
 * Aggregate and Sort+Limit above it ({@link UgnosRules}). The rules work on it in the logical
 * convention; {@link Executable}, its enumerable twin, runs it, so the rest of the plan runs in
 * Calcite as usual. {@code EXPLAIN} shows what it asks of the engine.
 */
public class UgnosQuery extends AbstractRelNode {
    /** Rows Calcite assumes a series has: the costs only compare plans, they need not be true. */
    private static final double SERIES_ROWS = 1e6;
    private static final Pattern INPUT_REF = Pattern.compile("\\$(\\d+)");

    private final QuerySpec spec;
    private final RelDataType type;
    private String filterText;
    private String timeText;
    private String tagsText;

    public UgnosQuery(RelOptCluster cluster, RelTraitSet traits, QuerySpec spec, RelDataType type) {
        super(cluster, traits);
        this.spec = spec;
        this.type = type;
    }

    public QuerySpec spec() {
        return spec;
    }

    /** The same query, asking more of the engine, with {@code type} as its row type. */
    public UgnosQuery with(QuerySpec next, RelDataType nextType, RelTraitSet traits) {
        return traits.getConvention() == org.apache.calcite.adapter.enumerable.EnumerableConvention.INSTANCE
                ? new Executable(getCluster(), traits, next, nextType)
                : new UgnosQuery(getCluster(), traits, next, nextType);
    }

    @Override
    protected RelDataType deriveRowType() {
        return type;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return with(spec, type, traitSet);
    }

    @Override
    public String getRelTypeName() {
        return "UgnosQuery";
    }

    @Override
    public void register(RelOptPlanner planner) {
        UgnosRules.register(planner);
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
        double rows = SERIES_ROWS;
        for (int i = 0; i < spec.filters().size(); i++) {
            rows *= 0.1;
        }
        if (spec.aggregation() != null) {
            rows = spec.aggregation().global() ? 1 : Math.max(1, rows * 0.01);
        }
        if (spec.limit() != null && spec.limit().fetch() instanceof RexLiteral l) {
            Number n = l.getValueAs(Number.class);
            rows = Math.min(rows, n == null ? rows : n.doubleValue());
        }
        return rows;
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        // what the engine reads: fewer rows for every pushed filter and limit, fewer columns for a
        // projection; an aggregate answers from block headers where it can
        double read = estimateRowCount(mq);
        if (spec.aggregation() != null) {
            read = Math.max(1, read * 0.1);
        }
        double width = spec.aggregation() != null ? 1 : (double) spec.columns().size() / spec.layout().columnCount();
        return planner.getCostFactory().makeCost(read, read * (0.5 + width), 0);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        pw.item("series", spec.table().series());
        if (!spec.filters().isEmpty()) {
            if (filterText == null) { // the digest asks for it often; the spec never changes
                filterText = named(spec.filters().stream().map(Object::toString)
                        .collect(java.util.stream.Collectors.joining(" AND ")));
            }
            pw.item("filter", filterText);
            // time and tags follow from the filter: for EXPLAIN only, not for the planner's digest
            if (pw.getDetailLevel() != org.apache.calcite.sql.SqlExplainLevel.DIGEST_ATTRIBUTES) {
                if (timeText == null && tagsText == null) {
                    PushedScan known = resolvedNow();
                    if (known != null) {
                        timeText = known.isEmpty() ? "none" : range(known.range());
                        tagsText = known.tags().toString();
                    }
                }
                pw.itemIf("time", timeText, timeText != null);
                pw.itemIf("tags", tagsText, tagsText != null);
            }
        }
        if (spec.aggregation() != null) {
            QuerySpec.Aggregation a = spec.aggregation();
            pw.item("group", a.keys().toString());
            pw.item("aggregate", a.calls().toString());
        } else {
            pw.item("columns", spec.columns().stream().map(spec::columnName).toList().toString());
        }
        if (spec.limit() != null) {
            String order = named(spec.limit().toString());
            pw.item("order", spec.aggregation() != null ? order.replaceFirst("^ts", "bucket") : order);
        }
        return pw;
    }

    /** The engine request's range and tags when no parameter decides them, else null. */
    private PushedScan resolvedNow() {
        try {
            return new PredicateTranslator(spec.layout(), null).translatePushed(spec.filters());
        } catch (IllegalArgumentException e) {
            return null; // depends on ? or CURRENT_TIMESTAMP: known when the statement runs
        }
    }

    private static String range(TimeRange r) {
        return "[" + (r.start() == Long.MIN_VALUE ? "-inf" : instant(r.start())) + ", "
                + (r.end() == Long.MAX_VALUE ? "+inf" : instant(r.end())) + "]";
    }

    private static String instant(long nanos) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }

    /** Replaces {@code $3} by the name of table column 3. */
    private String named(String rex) {
        Matcher m = INPUT_REF.matcher(rex);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            String name = i < spec.layout().columnCount() ? spec.columnName(i) : m.group();
            m.appendReplacement(sb, Matcher.quoteReplacement(name));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * The query in the enumerable convention: the code Calcite generates calls
     * {@link QueryRuntime#execute} with the spec. (The logical form must not be a physical node,
     * which Calcite's rules reject in the logical convention.)
     */
    public static final class Executable extends UgnosQuery implements EnumerableRel {
        Executable(RelOptCluster cluster, RelTraitSet traits, QuerySpec spec, RelDataType type) {
            super(cluster, traits, spec, type);
        }

        @Override
        public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
            // rows as Object[], as QueryRuntime builds them, except that Calcite represents a row of
            // one column by the value itself
            boolean scalar = getRowType().getFieldCount() == 1;
            PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
                    scalar ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY, false);
            Expression specExpr = implementor.stash(spec(), QuerySpec.class);
            Expression rows = Expressions.call(QueryRuntime.class, scalar ? "executeScalar" : "execute",
                    implementor.getRootExpression(), specExpr);
            return implementor.result(physType, Blocks.toBlock(rows));
        }
    }
}
