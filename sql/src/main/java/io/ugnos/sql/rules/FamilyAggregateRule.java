package io.ugnos.sql.rules;

import io.ugnos.engine.query.AggFn;
import io.ugnos.sql.function.UgnosFunctions;
import io.ugnos.sql.rel.FamilyAggregate;
import io.ugnos.sql.rel.FamilyAggregateSpec;
import io.ugnos.sql.rel.QuerySpec;
import io.ugnos.sql.schema.FamilyTable;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptRuleOperand;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Aggregate [over Project] [over Filter] over a scan of a {@link FamilyTable} → {@link FamilyAggregate}:
 * one engine aggregate per field series, merged by group, instead of Calcite aggregating the
 * family's aligned rows. Pushed only when exact:
 * <ul>
 *   <li>the filter's conjuncts are all time-range or tag predicates the engine evaluates exactly;</li>
 *   <li>the group keys are tag columns and at most one time bucket ({@code FLOOR(ts TO unit)} of a
 *       fixed unit, {@code time_bucket(…)}, {@code ts}, {@code ts_ns});</li>
 *   <li>the aggregates are COUNT, SUM, MIN, MAX, AVG of a field, {@code first(field, ts)},
 *       {@code last(field, ts)}, and MIN/MAX of {@code ts} or {@code ts_ns}. A field without points
 *       in a group gives NULL (COUNT 0), as Calcite's aggregate of the NULLs of aligned rows does.
 *       {@code COUNT(*)} is not pushed: rows of the family are distinct timestamps across fields,
 *       which per-field counts cannot give.</li>
 * </ul>
 */
@SuppressWarnings("deprecation") // RelOptRule's operand builders, as in UgnosRules
public final class FamilyAggregateRule extends RelOptRule {
    public static final FamilyAggregateRule SCAN = new FamilyAggregateRule(false, false);
    public static final FamilyAggregateRule FILTER = new FamilyAggregateRule(false, true);
    public static final FamilyAggregateRule PROJECT = new FamilyAggregateRule(true, false);
    public static final FamilyAggregateRule PROJECT_FILTER = new FamilyAggregateRule(true, true);

    private final boolean hasProject;
    private final boolean hasFilter;

    private FamilyAggregateRule(boolean hasProject, boolean hasFilter) {
        super(shape(hasProject, hasFilter), "UgnosFamilyAggregateRule" + (hasProject ? "Project" : "") + (hasFilter ? "Filter" : ""));
        this.hasProject = hasProject;
        this.hasFilter = hasFilter;
    }

    /** Adds the rules to {@code planner} (a no-op when they are there). */
    public static void register(RelOptPlanner planner) {
        planner.addRule(SCAN);
        planner.addRule(FILTER);
        planner.addRule(PROJECT);
        planner.addRule(PROJECT_FILTER);
    }

    private static RelOptRuleOperand shape(boolean hasProject, boolean hasFilter) {
        RelOptRuleOperand scan = operandJ(LogicalTableScan.class, null,
                s -> s.getTable().unwrap(FamilyTable.class) != null, none());
        RelOptRuleOperand below = hasFilter ? operand(LogicalFilter.class, scan) : scan;
        below = hasProject ? operand(LogicalProject.class, below) : below;
        return operand(LogicalAggregate.class, below);
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        Aggregate agg = call.rel(0);
        LogicalProject project = hasProject ? call.rel(1) : null;
        LogicalFilter filter = hasFilter ? call.rel(hasProject ? 2 : 1) : null;
        LogicalTableScan scan = call.rel(call.getRelList().size() - 1);
        FamilyTable table = scan.getTable().unwrap(FamilyTable.class);
        FamilyAggregateSpec spec = spec(agg, project, filter, table);
        if (spec == null || scan.getRowType().getFieldCount() != table.layout().columnCount()) {
            return;
        }
        RelTraitSet traits = agg.getTraitSet().replace(EnumerableConvention.INSTANCE);
        call.transformTo(new FamilyAggregate(agg.getCluster(), sorted(traits, spec), spec, agg.getRowType()));
    }

    /**
     * The runtime orders rows by the group-by tags (nulls last: SQL's default for ascending), then
     * the bucket: declared, it saves the sort of an ORDER BY on them.
     */
    private static RelTraitSet sorted(RelTraitSet traits, FamilyAggregateSpec spec) {
        List<RelFieldCollation> fields = new ArrayList<>();
        int bucket = -1;
        for (int i = 0; i < spec.keys().size(); i++) {
            if (spec.keys().get(i) instanceof QuerySpec.TagKey) {
                fields.add(new RelFieldCollation(i, RelFieldCollation.Direction.ASCENDING, RelFieldCollation.NullDirection.LAST));
            } else {
                bucket = i;
            }
        }
        if (bucket >= 0) {
            fields.add(new RelFieldCollation(bucket, RelFieldCollation.Direction.ASCENDING, RelFieldCollation.NullDirection.LAST));
        }
        return fields.isEmpty() ? traits : traits.replace(RelCollations.of(fields));
    }

    /** The engine form of {@code agg}, or null when any part of it is not exactly the engine's. */
    static FamilyAggregateSpec spec(Aggregate agg, LogicalProject project, LogicalFilter filter, FamilyTable table) {
        if (agg.getGroupType() != Aggregate.Group.SIMPLE) {
            return null;
        }
        FamilyTable.Layout layout = table.layout();
        List<RexNode> filters = new ArrayList<>();
        if (filter != null) {
            PredicateTranslator planning = PredicateTranslator.forPlanning(layout);
            for (RexNode c : RelOptUtil.conjunctions(filter.getCondition())) {
                if (c.isAlwaysTrue()) {
                    continue;
                }
                if (planning.classify(c) != PredicateTranslator.Pushdown.EXACT) {
                    return null; // a field predicate or an OR of ranges: Calcite filters the aligned rows
                }
                filters.add(c);
            }
        }
        List<QuerySpec.Key> keys = new ArrayList<>();
        Set<String> tags = new LinkedHashSet<>();
        long width = 0;
        long origin = 0;
        boolean bucketSeen = false;
        for (int g : agg.getGroupSet()) {
            RexNode e = input(agg, project, g);
            if (e instanceof RexInputRef ref && layout.tagKey(ref.getIndex()) != null) {
                if (!tags.add(layout.tagKey(ref.getIndex()))) {
                    return null;
                }
                keys.add(new QuerySpec.TagKey(layout.tagKey(ref.getIndex())));
                continue;
            }
            long[] b = UgnosRules.bucket(e, layout);
            if (b == null || bucketSeen) {
                return null;
            }
            bucketSeen = true;
            width = b[0];
            origin = b[1];
            String label = e instanceof RexInputRef ref ? (layout.isTs(ref.getIndex()) ? "ts" : "ts_ns") : UgnosRules.bucketLabel(b);
            keys.add(new QuerySpec.BucketKey(label, b[2] == 1));
        }
        List<FamilyAggregateSpec.FieldCall> calls = new ArrayList<>();
        for (AggregateCall c : agg.getAggCallList()) {
            if (c.isDistinct() || c.hasFilter() || !c.getCollation().getFieldCollations().isEmpty() || c.isApproximate()) {
                return null;
            }
            List<RexNode> args = new ArrayList<>();
            for (int a : c.getArgList()) {
                args.add(input(agg, project, a));
            }
            FamilyAggregateSpec.FieldCall fc = call(c, args, layout);
            if (fc == null) {
                return null;
            }
            calls.add(fc);
        }
        return new FamilyAggregateSpec(table, layout, filters, keys, calls, width, origin);
    }

    private static RexNode input(Aggregate agg, LogicalProject project, int i) {
        return project != null ? project.getProjects().get(i)
                : new RexInputRef(i, agg.getInput().getRowType().getFieldList().get(i).getType());
    }

    private static int field(RexNode e, FamilyTable.Layout layout) {
        return e instanceof RexInputRef ref ? layout.field(ref.getIndex()) : -1;
    }

    private static boolean isTime(RexNode e, FamilyTable.Layout layout) {
        return e instanceof RexInputRef ref && (layout.isTs(ref.getIndex()) || layout.isTsNanos(ref.getIndex()));
    }

    private static FamilyAggregateSpec.FieldCall call(AggregateCall c, List<RexNode> args, FamilyTable.Layout layout) {
        SqlKind kind = c.getAggregation().getKind();
        if (UgnosFunctions.isFirst(c.getAggregation()) || UgnosFunctions.isLast(c.getAggregation())) {
            if (args.size() != 2 || field(args.get(0), layout) < 0 || !isTime(args.get(1), layout)) {
                return null;
            }
            return new FamilyAggregateSpec.FieldCall(UgnosFunctions.isFirst(c.getAggregation()) ? AggFn.FIRST : AggFn.LAST,
                    field(args.get(0), layout), QuerySpec.Output.VALUE, false);
        }
        if (args.size() != 1) {
            return null; // COUNT(*) among them
        }
        RexNode arg = args.get(0);
        if ((kind == SqlKind.MIN || kind == SqlKind.MAX) && isTime(arg, layout)) {
            QuerySpec.Output out = layout.isTs(((RexInputRef) arg).getIndex()) ? QuerySpec.Output.TS : QuerySpec.Output.TS_NANOS;
            return new FamilyAggregateSpec.FieldCall(kind == SqlKind.MIN ? AggFn.FIRST : AggFn.LAST, -1, out, false);
        }
        int f = field(arg, layout);
        if (f < 0) {
            return null;
        }
        AggFn fn = switch (kind) {
            case COUNT -> AggFn.COUNT;
            case SUM, SUM0 -> AggFn.SUM;
            case MIN -> AggFn.MIN;
            case MAX -> AggFn.MAX;
            case AVG -> AggFn.AVG;
            default -> null;
        };
        return fn == null ? null : new FamilyAggregateSpec.FieldCall(fn, f, QuerySpec.Output.VALUE, kind == SqlKind.SUM0);
    }
}
