package io.ugnos.sql.rules;

import io.ugnos.sql.rel.FamilyScan;
import io.ugnos.sql.rel.FamilyScanSpec;
import io.ugnos.sql.schema.FamilyOrder;
import io.ugnos.sql.schema.FamilyTable;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableFilter;
import org.apache.calcite.adapter.enumerable.EnumerableProject;
import org.apache.calcite.adapter.enumerable.EnumerableSort;
import org.apache.calcite.interpreter.Bindables;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptRuleOperand;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Calcite's interpreted scan of a {@link FamilyTable} (a {@code BindableTableScan} holding the
 * pushed filters and projection) → {@link FamilyScan}, run by ugnos without the interpreter; and
 * {@code ORDER BY} time and tag columns over it → a {@link FamilyScan} that emits its rows in that
 * order and declares it, so Calcite's sort goes.
 *
 * <p>Exactness: time and tag conjuncts the engine evaluates exactly, and comparisons of a field
 * with a number or a DOUBLE parameter, are left to the scan ({@link FamilyTable#appliesExactly});
 * every other conjunct stays in a filter above it (the scan still narrows by what it can of them,
 * such as a comparison with an INTEGER parameter, which it takes only for some values). A
 * parameter of the wrong type for a conjunct left to the scan is an error when the statement runs. A filter keeps the order of its input, so a sorted scan
 * under such a filter still satisfies the {@code ORDER BY}. Of {@code ORDER BY … LIMIT} only the
 * sort is the scan's: Calcite applies the limit above the filter.
 *
 * <p>The sort rules match Calcite's enumerable sort over the chain the scan rule built (a filter
 * and projection, or neither), since the planner holds the scan only in the enumerable convention.
 */
@SuppressWarnings("deprecation") // RelOptRule's operand builders, as in UgnosRules
public final class FamilyScanRule extends RelOptRule {
    /** The scan, in no particular order. */
    public static final FamilyScanRule SCAN = new FamilyScanRule(false, false, false, false);
    /** Calcite's sort of the scan's rows by time and tag columns, done by the scan; with the filter
     *  and projection that can be between them (conjuncts applied again, the query's projection). */
    private static final List<FamilyScanRule> SORTS = List.of(
            new FamilyScanRule(true, false, false, false),
            new FamilyScanRule(true, true, false, false),
            new FamilyScanRule(true, false, true, false),
            new FamilyScanRule(true, true, true, false),
            new FamilyScanRule(true, false, false, true));

    private final boolean sort;

    private FamilyScanRule(boolean sort, boolean project, boolean filter, boolean calc) {
        super(shape(sort, project, filter, calc), "UgnosFamilyScanRule" + (sort ? "Sort" : "") + (project ? "Project" : "")
                + (filter ? "Filter" : "") + (calc ? "Calc" : ""));
        this.sort = sort;
    }

    private static RelOptRuleOperand shape(boolean sort, boolean project, boolean filter, boolean calc) {
        if (!sort) {
            return operandJ(Bindables.BindableTableScan.class, null, FamilyScanRule::isFamily, none());
        }
        RelOptRuleOperand below = operandJ(FamilyScan.class, null, s -> s.spec().order() == null, none());
        below = filter ? operand(EnumerableFilter.class, below) : below;
        below = project ? operand(EnumerableProject.class, below) : below;
        below = calc ? operand(EnumerableCalc.class, below) : below;
        return operandJ(EnumerableSort.class, null, FamilyScanRule::sortsAll, below);
    }

    /** Adds the rules to {@code planner} (a no-op when they are there). */
    public static void register(RelOptPlanner planner) {
        planner.addRule(SCAN);
        SORTS.forEach(planner::addRule);
    }

    private static boolean isFamily(Bindables.BindableTableScan scan) {
        return scan.getTable().unwrap(FamilyTable.class) != null;
    }

    /** A sort without LIMIT or OFFSET: with them, a filter above the scan would come too late; Calcite's top-N is cheap. */
    private static boolean sortsAll(EnumerableSort sort) {
        return sort.offset == null && sort.fetch == null && !sort.getCollation().getFieldCollations().isEmpty();
    }

    @Override
    public void onMatch(RelOptRuleCall call) {
        if (!sort) {
            scan(call);
            return;
        }
        EnumerableSort sortRel = call.rel(0);
        List<RelNode> chain = call.getRelList().subList(1, call.getRelList().size()); // down to the scan
        FamilyScan scan = (FamilyScan) chain.get(chain.size() - 1);
        // the sort keys in the output columns of each node of the chain, top down
        List<List<RelFieldCollation>> keysAt = new ArrayList<>();
        List<RelFieldCollation> keys = sortRel.getCollation().getFieldCollations();
        for (RelNode r : chain) {
            keysAt.add(keys);
            List<RelFieldCollation> below = new ArrayList<>();
            for (RelFieldCollation fc : keys) {
                int in = inputColumn(r, fc.getFieldIndex());
                if (in < 0) {
                    return; // an expression: Calcite sorts
                }
                below.add(fc.withFieldIndex(in));
            }
            keys = below;
        }
        // keys are now the scan's own output columns
        FamilyTable.Layout layout = scan.spec().table().layout();
        List<FamilyOrder.Key> order = new ArrayList<>();
        for (RelFieldCollation fc : keysAt.get(keysAt.size() - 1)) {
            int column = scan.spec().columns()[fc.getFieldIndex()];
            if (!FamilyOrder.canOrderBy(layout, column)) {
                return; // fields are sorted by Calcite
            }
            if ((fc.getDirection() != RelFieldCollation.Direction.ASCENDING && fc.getDirection() != RelFieldCollation.Direction.DESCENDING)
                    || fc.nullDirection == RelFieldCollation.NullDirection.UNSPECIFIED) {
                return; // not from ORDER BY (which always says where NULLs go): Calcite sorts
            }
            boolean desc = fc.getDirection() == RelFieldCollation.Direction.DESCENDING;
            boolean nullsFirst = fc.nullDirection == RelFieldCollation.NullDirection.FIRST;
            order.add(new FamilyOrder.Key(column, desc, nullsFirst));
        }
        FamilyScanSpec s = scan.spec();
        FamilyScanSpec ordered = new FamilyScanSpec(s.table(), s.conjuncts(), s.exact(), s.columns(), new FamilyOrder(order));
        RelNode out = new FamilyScan(scan.getCluster(), scan.getTraitSet().replace(RelCollations.of(keysAt.get(keysAt.size() - 1))),
                ordered, scan.getRowType(), scan.estimateRowCount(call.getMetadataQuery()));
        // rebuild the chain bottom up over the ordered scan: filters and projections keep its order
        for (int i = chain.size() - 2; i >= 0; i--) {
            RelNode r = chain.get(i);
            out = r.copy(r.getTraitSet().replace(RelCollations.of(keysAt.get(i))), List.of(out));
        }
        call.transformTo(out);
    }

    /** The input column that output column {@code out} of {@code r} is, or -1 when it is computed. */
    private static int inputColumn(RelNode r, int out) {
        RexNode e;
        if (r instanceof FamilyScan || r instanceof EnumerableFilter) {
            return out;
        } else if (r instanceof EnumerableProject p) {
            e = p.getProjects().get(out);
        } else if (r instanceof EnumerableCalc c) {
            e = c.getProgram().expandLocalRef(c.getProgram().getProjectList().get(out));
        } else {
            return -1;
        }
        return e instanceof RexInputRef ref ? ref.getIndex() : -1;
    }

    private static void scan(RelOptRuleCall call) {
        Bindables.BindableTableScan scan = call.rel(0);
        FamilyTable table = scan.getTable().unwrap(FamilyTable.class);
        FamilyTable.Layout layout = table.layout();
        List<Integer> projects = scan.projects;
        // the conjuncts the scan alone applies, and the rest, applied again above it
        PredicateTranslator planning = PredicateTranslator.forPlanning(layout);
        List<RexNode> conjuncts = new ArrayList<>();
        List<RexNode> exact = new ArrayList<>();
        List<RexNode> residual = new ArrayList<>();
        for (RexNode f : scan.filters) {
            for (RexNode c : RelOptUtil.conjunctions(f)) {
                conjuncts.add(c);
                boolean scanOnly = planning.classify(c) == PredicateTranslator.Pushdown.EXACT || table.appliesExactly(c);
                (scanOnly ? exact : residual).add(c);
            }
        }
        // the scan's columns: the projection, then what the residual conjuncts read besides
        List<Integer> columns = new ArrayList<>(projects);
        ImmutableBitSet used = RelOptUtil.InputFinder.bits(residual, null);
        for (int c : used) {
            if (!columns.contains(c)) {
                columns.add(c);
            }
        }
        RelDataTypeFactory tf = scan.getCluster().getTypeFactory();
        RelDataType tableType = scan.getTable().getRowType();
        RelDataTypeFactory.Builder b = tf.builder();
        for (int c : columns) {
            b.add(tableType.getFieldList().get(c));
        }
        RelDataType type = b.uniquify().build();
        RelTraitSet traits = scan.getCluster().traitSetOf(EnumerableConvention.INSTANCE);
        FamilyScanSpec spec = new FamilyScanSpec(table, conjuncts, exact,
                columns.stream().mapToInt(Integer::intValue).toArray(), null);
        // fewer rows the more exact conjuncts: then the filter above has as many rows as a filter of
        // every conjunct over the scan given none, and the scan given them wins by its own lower cost
        double rows = FamilyScan.ROWS * RelMdUtil.guessSelectivity(
                RexUtil.composeConjunction(scan.getCluster().getRexBuilder(), exact));
        RelNode out = new FamilyScan(scan.getCluster(), traits, spec, type, rows);
        if (!residual.isEmpty()) {
            RexNode condition = RexShuttleOnColumns.remap(
                    RexUtil.composeConjunction(scan.getCluster().getRexBuilder(), residual), columns);
            RelBuilder rb = call.builder().push(out).filter(condition);
            List<RexNode> keep = new ArrayList<>();
            for (int i = 0; i < projects.size(); i++) {
                keep.add(rb.field(i));
            }
            out = rb.project(keep, scan.getRowType().getFieldNames(), true).build();
        }
        call.transformTo(out);
    }

    /** Rewrites references to table columns into references to the scan's output columns. */
    private static final class RexShuttleOnColumns extends RexShuttle {
        private final List<Integer> columns;

        private RexShuttleOnColumns(List<Integer> columns) {
            this.columns = columns;
        }

        static RexNode remap(RexNode e, List<Integer> columns) {
            return e.accept(new RexShuttleOnColumns(columns));
        }

        @Override
        public RexNode visitInputRef(RexInputRef ref) {
            return new RexInputRef(columns.indexOf(ref.getIndex()), ref.getType());
        }
    }
}
