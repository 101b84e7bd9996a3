package io.ugnos.sql.rules;

import io.ugnos.engine.query.AggFn;
import io.ugnos.sql.function.UgnosFunctions;
import io.ugnos.sql.rel.QuerySpec;
import io.ugnos.sql.rel.UgnosQuery;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules that move work from Calcite into the engine, each absorbing one operator into the
 * {@link UgnosQuery} below it:
 * <ul>
 *   <li>{@link FilterRule}: time-range and tag conjuncts of a WHERE clause;</li>
 *   <li>{@link ProjectRule}: the columns a query reads;</li>
 *   <li>{@link AggregateRule}: {@code GROUP BY time_bucket(…)/FLOOR(ts TO unit)} and tag columns with
 *       COUNT, SUM, MIN, MAX, AVG, first and last of {@code value};</li>
 *   <li>{@link SortLimitRule}: {@code ORDER BY ts [DESC] LIMIT n}, the latest points.</li>
 * </ul>
 * What a rule cannot take stays in Calcite, which still computes it correctly.
 */
@SuppressWarnings("deprecation") // RelOptRule's operand builders: simpler than RelRule's generated configs
public final class UgnosRules {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    public static final RelOptRule FILTER = new FilterRule();
    public static final RelOptRule PROJECT = new ProjectRule();
    public static final RelOptRule AGGREGATE = new AggregateRule();
    public static final RelOptRule AGGREGATE_PROJECT = new AggregateProjectRule();
    public static final RelOptRule SORT_LIMIT = new SortLimitRule();
    public static final RelOptRule TO_ENUMERABLE = new ToEnumerableRule();

    private UgnosRules() {
    }

    public static void register(RelOptPlanner planner) {
        planner.addRule(FILTER);
        planner.addRule(PROJECT);
        planner.addRule(AGGREGATE);
        planner.addRule(AGGREGATE_PROJECT);
        planner.addRule(SORT_LIMIT);
        planner.addRule(TO_ENUMERABLE);
    }

    /**
     * The rules grow queries in the logical convention, where they sit in the same subsets as the
     * operators they absorb; this rule makes each one executable.
     */
    public static final class ToEnumerableRule extends RelOptRule {
        ToEnumerableRule() {
            super(operand(UgnosQuery.class, Convention.NONE, any()), "UgnosToEnumerableRule");
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            UgnosQuery q = call.rel(0);
            call.transformTo(q.with(q.spec(), q.getRowType(), q.getTraitSet().replace(EnumerableConvention.INSTANCE)));
        }
    }

    /** Rewrites references to a query's output columns into references to its table's columns. */
    private static RexNode toTableColumns(RexNode e, QuerySpec spec) {
        return e.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return new RexInputRef(spec.columns().get(ref.getIndex()), ref.getType());
            }
        });
    }

    // ------------------------------------------------------------------ filter

    /** Filter(query) → query with the conjuncts the engine evaluates; the rest stay in a Filter. */
    public static final class FilterRule extends RelOptRule {
        FilterRule() {
            super(operand(LogicalFilter.class, operand(UgnosQuery.class, Convention.NONE, none())), "UgnosFilterRule");
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            Filter filter = call.rel(0);
            UgnosQuery query = call.rel(1);
            QuerySpec spec = query.spec();
            if (!spec.isScan()) {
                return;
            }
            PredicateTranslator planner = PredicateTranslator.forPlanning(spec.layout());
            List<RexNode> pushed = new ArrayList<>();
            List<RexNode> kept = new ArrayList<>();
            for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
                RexNode onTable = toTableColumns(conjunct, spec);
                switch (planner.classify(onTable)) {
                    case EXACT -> pushed.add(onTable);
                    case NARROWS -> {
                        if (!spec.filters().contains(onTable)) {
                            pushed.add(onTable);
                        }
                        kept.add(conjunct);
                    }
                    case NO -> kept.add(conjunct);
                }
            }
            if (pushed.isEmpty()) {
                return;
            }
            RelNode next = query.with(spec.withFilters(pushed), query.getRowType(), query.getTraitSet());
            if (!kept.isEmpty()) {
                RexBuilder rb = filter.getCluster().getRexBuilder();
                next = filter.copy(filter.getTraitSet(), next, RexUtil.composeConjunction(rb, kept));
            }
            call.transformTo(next);
        }
    }

    // ------------------------------------------------------------------ project

    /** Project(query) → query reading only the columns used; a Project stays for expressions. */
    public static final class ProjectRule extends RelOptRule {
        ProjectRule() {
            super(operand(LogicalProject.class, operand(UgnosQuery.class, Convention.NONE, none())), "UgnosProjectRule");
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            Project project = call.rel(0);
            UgnosQuery query = call.rel(1);
            QuerySpec spec = query.spec();
            if (!spec.isScan()) {
                return;
            }
            Set<Integer> used = new LinkedHashSet<>();
            boolean onlyRefs = true;
            for (RexNode e : project.getProjects()) {
                if (e instanceof RexInputRef ref) {
                    used.add(ref.getIndex());
                } else {
                    onlyRefs = false;
                    used.addAll(RelOptUtil.InputFinder.bits(e).asList());
                }
            }
            List<Integer> outputs = new ArrayList<>(used);
            if (onlyRefs && used.size() == project.getProjects().size()) {
                List<Integer> cols = outputs.stream().map(spec.columns()::get).toList();
                call.transformTo(query.with(spec.withColumns(cols), project.getRowType(), query.getTraitSet()));
                return;
            }
            if (used.size() >= spec.columns().size()) {
                return; // nothing to save
            }
            List<Integer> sortedUsed = outputs.stream().sorted().toList();
            List<Integer> cols = sortedUsed.stream().map(spec.columns()::get).toList();
            var fields = query.getRowType().getFieldList();
            var b = project.getCluster().getTypeFactory().builder();
            for (int i : sortedUsed) {
                b.add(fields.get(i));
            }
            UgnosQuery narrow = query.with(spec.withColumns(cols), b.build(), query.getTraitSet());
            List<RexNode> remapped = new ArrayList<>();
            for (RexNode e : project.getProjects()) {
                remapped.add(e.accept(new RexShuttle() {
                    @Override
                    public RexNode visitInputRef(RexInputRef ref) {
                        return new RexInputRef(sortedUsed.indexOf(ref.getIndex()), ref.getType());
                    }
                }));
            }
            call.transformTo(project.copy(project.getTraitSet(), narrow, remapped, project.getRowType()));
        }
    }

    // ------------------------------------------------------------------ aggregate

    /** Aggregate(query) → query with the aggregation. */
    public static final class AggregateRule extends RelOptRule {
        AggregateRule() {
            super(operand(Aggregate.class, operand(UgnosQuery.class, Convention.NONE, none())), "UgnosAggregateRule");
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            Aggregate agg = call.rel(0);
            UgnosQuery query = call.rel(1);
            QuerySpec.Aggregation a = aggregation(agg, null, query.spec());
            if (a != null) {
                call.transformTo(query.with(query.spec().withAggregation(a), agg.getRowType(), sorted(query, a)));
            }
        }
    }

    /** Aggregate(Project(query)) → query with the aggregation, the project's bucket expressions included. */
    public static final class AggregateProjectRule extends RelOptRule {
        AggregateProjectRule() {
            super(operand(Aggregate.class, operand(Project.class, operand(UgnosQuery.class, Convention.NONE, none()))),
                    "UgnosAggregateProjectRule");
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            Aggregate agg = call.rel(0);
            Project project = call.rel(1);
            UgnosQuery query = call.rel(2);
            QuerySpec.Aggregation a = aggregation(agg, project, query.spec());
            if (a != null) {
                call.transformTo(query.with(query.spec().withAggregation(a), agg.getRowType(), sorted(query, a)));
            }
        }
    }

    /**
     * The engine returns aggregate rows ordered by the group-by tags (nulls first) and then by
     * bucket: declared as the query's collation, it lets the planner drop an ORDER BY on them.
     */
    private static org.apache.calcite.plan.RelTraitSet sorted(UgnosQuery query, QuerySpec.Aggregation a) {
        List<RelFieldCollation> fields = new ArrayList<>();
        int bucket = -1;
        for (int i = 0; i < a.keys().size(); i++) {
            if (a.keys().get(i) instanceof QuerySpec.TagKey) {
                fields.add(new RelFieldCollation(i, RelFieldCollation.Direction.ASCENDING, RelFieldCollation.NullDirection.FIRST));
            } else {
                bucket = i;
            }
        }
        if (bucket >= 0) {
            fields.add(new RelFieldCollation(bucket, RelFieldCollation.Direction.ASCENDING, RelFieldCollation.NullDirection.LAST));
        }
        return fields.isEmpty() ? query.getTraitSet()
                : query.getTraitSet().replace(org.apache.calcite.rel.RelCollations.of(fields));
    }

    /** The engine aggregation equal to {@code agg} over {@code project} (may be null) over the scan, or null. */
    static QuerySpec.Aggregation aggregation(Aggregate agg, Project project, QuerySpec spec) {
        if (!spec.isScan() || agg.getGroupType() != Aggregate.Group.SIMPLE) {
            return null;
        }
        List<QuerySpec.Key> keys = new ArrayList<>();
        long width = 0;
        long origin = 0;
        Set<String> tags = new LinkedHashSet<>();
        for (int g : agg.getGroupSet()) {
            RexNode e = project == null ? new RexInputRef(g, agg.getInput().getRowType().getFieldList().get(g).getType())
                    : project.getProjects().get(g);
            e = toTableColumns(e, spec);
            String tag = tagColumn(e, spec);
            if (tag != null) {
                if (!tags.add(tag)) {
                    return null; // the same tag twice: rare, left to Calcite
                }
                keys.add(new QuerySpec.TagKey(tag));
                continue;
            }
            long[] bucket = bucket(e, spec);
            if (bucket == null || width != 0) {
                return null; // not a bucket, or a second one
            }
            width = bucket[0];
            origin = bucket[1];
            keys.add(new QuerySpec.BucketKey(label(e, spec, bucket), bucket[2] == 1));
        }
        List<QuerySpec.Call> calls = new ArrayList<>();
        for (AggregateCall c : agg.getAggCallList()) {
            if (c.isDistinct() || c.hasFilter() || !c.getCollation().getFieldCollations().isEmpty() || c.isApproximate()) {
                return null;
            }
            List<RexNode> args = new ArrayList<>();
            for (int arg : c.getArgList()) {
                RexNode e = project == null ? new RexInputRef(arg, agg.getInput().getRowType().getFieldList().get(arg).getType())
                        : project.getProjects().get(arg);
                args.add(toTableColumns(e, spec));
            }
            QuerySpec.Call time = timeExtreme(c, args, spec);
            if (time != null) {
                calls.add(time);
                continue;
            }
            AggFn fn = function(c, args, spec);
            if (fn == null) {
                return null;
            }
            calls.add(new QuerySpec.Call(fn));
        }
        return new QuerySpec.Aggregation(keys, calls, width, origin);
    }

    private static String tagColumn(RexNode e, QuerySpec spec) {
        return e instanceof RexInputRef ref ? spec.layout().tagKey(ref.getIndex()) : null;
    }

    private static boolean isColumn(RexNode e, QuerySpec spec, boolean value) {
        if (!(e instanceof RexInputRef ref)) {
            return false;
        }
        return value ? spec.layout().isValue(ref.getIndex())
                : spec.layout().isTs(ref.getIndex()) || spec.layout().isTsNanos(ref.getIndex());
    }

    /** MIN/MAX of ts or ts_ns: the engine's first and last timestamps (answered from block headers). */
    private static QuerySpec.Call timeExtreme(AggregateCall c, List<RexNode> args, QuerySpec spec) {
        SqlKind kind = c.getAggregation().getKind();
        if ((kind != SqlKind.MIN && kind != SqlKind.MAX) || args.size() != 1 || !(args.get(0) instanceof RexInputRef ref)) {
            return null;
        }
        QuerySpec.Output out = spec.layout().isTs(ref.getIndex()) ? QuerySpec.Output.TS
                : spec.layout().isTsNanos(ref.getIndex()) ? QuerySpec.Output.TS_NANOS : null;
        return out == null ? null : new QuerySpec.Call(kind == SqlKind.MIN ? AggFn.FIRST : AggFn.LAST, out);
    }

    private static AggFn function(AggregateCall c, List<RexNode> args, QuerySpec spec) {
        SqlKind kind = c.getAggregation().getKind();
        if (kind == SqlKind.COUNT) {
            // value, ts and ts_ns are never NULL: counting them counts rows
            return args.isEmpty() || (args.size() == 1 && (isColumn(args.get(0), spec, true) || isColumn(args.get(0), spec, false)))
                    ? AggFn.COUNT : null;
        }
        if (UgnosFunctions.isFirst(c.getAggregation()) || UgnosFunctions.isLast(c.getAggregation())) {
            boolean ok = args.size() == 2 && isColumn(args.get(0), spec, true) && isColumn(args.get(1), spec, false);
            return ok ? (UgnosFunctions.isFirst(c.getAggregation()) ? AggFn.FIRST : AggFn.LAST) : null;
        }
        if (args.size() != 1 || !isColumn(args.get(0), spec, true)) {
            return null;
        }
        return switch (kind) {
            case SUM, SUM0 -> AggFn.SUM; // over a non-empty group the same; global empty groups are handled at run time
            case MIN -> AggFn.MIN;
            case MAX -> AggFn.MAX;
            case AVG -> AggFn.AVG;
            default -> null;
        };
    }

    /**
     * {width ns, origin ns, 1 if the key is ts_ns} for {@code ts}, {@code ts_ns}, {@code FLOOR(ts TO
     * unit)} with a fixed-width unit, and {@code time_bucket(interval, ts[, origin])}; else null.
     */
    private static long[] bucket(RexNode e, QuerySpec spec) {
        return bucket(e, spec.layout());
    }

    /** {@link #bucket(RexNode, QuerySpec)} over any table whose columns {@code columns} describes. */
    static long[] bucket(RexNode e, PredicateTranslator.Columns columns) {
        if (e instanceof RexInputRef ref) {
            if (columns.isTs(ref.getIndex())) {
                return new long[]{NANOS_PER_MILLI, 0, 0}; // each distinct millisecond
            }
            if (columns.isTsNanos(ref.getIndex())) {
                return new long[]{1, 0, 1};
            }
            return null;
        }
        if (!(e instanceof RexCall call)) {
            return null;
        }
        List<RexNode> ops = call.getOperands();
        if (call.getKind() == SqlKind.FLOOR && ops.size() == 2 && isTs(ops.get(0), columns)
                && ops.get(1) instanceof RexLiteral unit) {
            TimeUnitRange u = unit.getValueAs(TimeUnitRange.class);
            long w = u == null ? 0 : switch (u) {
                case MILLISECOND -> NANOS_PER_MILLI;
                case SECOND -> 1_000 * NANOS_PER_MILLI;
                case MINUTE -> 60_000 * NANOS_PER_MILLI;
                case HOUR -> 3_600_000 * NANOS_PER_MILLI;
                case DAY -> 86_400_000 * NANOS_PER_MILLI;
                default -> 0; // weeks, months, years: not fixed widths from the epoch
            };
            return w == 0 ? null : new long[]{w, 0, 0};
        }
        if (UgnosFunctions.isTimeBucket(call.getOperator()) && (ops.size() == 2 || ops.size() == 3)
                && isTs(ops.get(1), columns)) {
            Long width = millis(ops.get(0));
            Long origin = ops.size() == 3 ? millis(ops.get(2)) : Long.valueOf(UgnosFunctions.DEFAULT_ORIGIN_MILLIS);
            if (width == null || width <= 0 || origin == null) {
                return null;
            }
            try {
                return new long[]{Math.multiplyExact(width, NANOS_PER_MILLI), Math.multiplyExact(origin, NANOS_PER_MILLI), 0};
            } catch (ArithmeticException beyondNanos) {
                return null; // a width or origin past the nanosecond range: Calcite computes it
            }
        }
        return null;
    }

    private static boolean isTs(RexNode e, PredicateTranslator.Columns columns) {
        return e instanceof RexInputRef ref && columns.isTs(ref.getIndex());
    }

    /** The value of an interval or timestamp literal in milliseconds, else null. */
    private static Long millis(RexNode e) {
        if (e instanceof RexLiteral lit && !lit.isNull()) {
            if (lit.getTypeName() == org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP) {
                return lit.getValueAs(Long.class);
            }
            BigDecimal d = lit.getValueAs(BigDecimal.class);
            return d == null ? null : d.longValue();
        }
        return null;
    }

    private static String label(RexNode e, QuerySpec spec, long[] bucket) {
        if (e instanceof RexInputRef ref) {
            return spec.columnName(ref.getIndex());
        }
        return bucketLabel(bucket);
    }

    /** How EXPLAIN shows a bucket of {width, origin} ns. */
    static String bucketLabel(long[] bucket) {
        return "bucket(" + java.time.Duration.ofNanos(bucket[0]) + (bucket[1] == 0 ? "" : ", origin "
                + java.time.Instant.ofEpochMilli(bucket[1] / NANOS_PER_MILLI)) + ")";
    }

    // ------------------------------------------------------------------ sort + limit

    /** Sort(query) on ts with a LIMIT → query returning only the latest (or earliest) points. */
    public static final class SortLimitRule extends RelOptRule {
        SortLimitRule() {
            super(operand(Sort.class, operand(UgnosQuery.class, Convention.NONE, none())), "UgnosSortLimitRule");
        }

        @Override
        public void onMatch(RelOptRuleCall call) {
            Sort sort = call.rel(0);
            UgnosQuery query = call.rel(1);
            QuerySpec spec = query.spec();
            if (spec.limit() != null || sort.fetch == null || !isLimitOperand(sort.fetch)
                    || (sort.offset != null && !isLimitOperand(sort.offset))) {
                return;
            }
            RelCollation collation = sort.getCollation();
            if (collation.getFieldCollations().size() != 1) {
                return;
            }
            RelFieldCollation fc = collation.getFieldCollations().get(0);
            if (spec.aggregation() != null) {
                // the latest (or first) buckets: only when grouping by the bucket alone
                QuerySpec.Aggregation a = spec.aggregation();
                if (a.keys().size() != 1 || !(a.keys().get(0) instanceof QuerySpec.BucketKey) || fc.getFieldIndex() != 0) {
                    return;
                }
            } else {
                int column = spec.columns().get(fc.getFieldIndex());
                if (!spec.layout().isTs(column) && !spec.layout().isTsNanos(column)) {
                    return;
                }
            }
            boolean desc = fc.direction == RelFieldCollation.Direction.DESCENDING;
            QuerySpec next = spec.withLimit(new QuerySpec.Limit(desc, sort.fetch, sort.offset));
            call.transformTo(query.with(next, query.getRowType(), query.getTraitSet().replace(collation)));
        }

        private static boolean isLimitOperand(RexNode n) {
            return n instanceof RexLiteral || n instanceof RexDynamicParam;
        }
    }
}
