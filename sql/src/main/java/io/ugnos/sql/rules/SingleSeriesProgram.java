package io.ugnos.sql.rules;

import io.ugnos.sql.rel.CancelPoint;
import io.ugnos.sql.rel.UgnosQuery;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptLattice;
import org.apache.calcite.plan.RelOptMaterialization;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rex.RexInterpreter;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.Program;

import java.util.List;
import java.util.Map;

/**
 * The planner's fast path: a query over one series that the pushdown rules turn entirely into one
 * engine request needs none of the cost-based search, so it is planned by applying those rules
 * once, bottom up, in a {@link HepPlanner}. When anything is left over (a join, a subquery, a
 * filter the engine cannot evaluate, an expression on {@code value}), the plan goes to the full
 * program given, which finds the same engine request and plans the rest around it.
 *
 * <p>Why: Calcite's cost-based planner (Volcano, with every default rule registered) was 35–40% of
 * the planning time of a simple query; the greedy pass costs a few percent. Applying the pushdown
 * rules greedily is safe because each of them only ever moves work into the engine, never adds any,
 * so the cost-based search would pick the same plan.
 *
 * <p>Plans made by the full program get a {@link CancelPoint} on the inputs of their joins, and no
 * merge joins, so that {@code Statement.cancel()} and {@code setQueryTimeout} stop them.
 */
public final class SingleSeriesProgram implements Program {
    private static final HepProgram PUSHDOWN = new HepProgramBuilder()
            .addMatchOrder(HepMatchOrder.BOTTOM_UP)
            .addRuleCollection(List.of(
                    CoreRules.PROJECT_REMOVE,
                    CoreRules.PROJECT_MERGE,
                    UgnosRules.FILTER,
                    UgnosRules.PROJECT,
                    UgnosRules.AGGREGATE,
                    UgnosRules.AGGREGATE_PROJECT,
                    UgnosRules.SORT_LIMIT))
            .build();

    private final Program full;
    private final Runnable beforeFull;
    private final Runnable onFastPath;

    /**
     * @param full       the program for what the fast path cannot plan
     * @param beforeFull called before the full program runs (it registers the planner's rules,
     *                   which the fast path does not need)
     * @param onFastPath called for each plan the fast path makes (for statistics)
     */
    public SingleSeriesProgram(Program full, Runnable beforeFull, Runnable onFastPath) {
        this.full = full;
        this.beforeFull = beforeFull;
        this.onFastPath = onFastPath;
    }

    @Override
    public RelNode run(RelOptPlanner planner, RelNode rel, RelTraitSet requiredOutputTraits,
                       List<RelOptMaterialization> materializations, List<RelOptLattice> lattices) {
        RelNode fast = plan(rel, requiredOutputTraits);
        if (fast == null) {
            beforeFull.run();
            // a merge join builds each key's cross product without pulling a row, so no cancel or timeout reaches it
            planner.removeRule(EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);
            return CancelPoint.atJoins(full.run(planner, rel, requiredOutputTraits, materializations, lattices));
        }
        onFastPath.run();
        return fast;
    }

    /** The executable engine request {@code rel} amounts to, or null when it is more than one. */
    static RelNode plan(RelNode rel, RelTraitSet required) {
        if (!isChainOverOneSeries(rel)) {
            return null;
        }
        HepPlanner hep = new HepPlanner(PUSHDOWN);
        hep.setRoot(withoutTrueConjuncts(rel));
        RelNode out = hep.findBestExp();
        if (out instanceof Sort sort && sort.fetch == null && sort.offset == null
                && sorted(out.getInput(0), sort.getCollation())) {
            out = sort.getInput(); // the engine returns the rows in that order already
        }
        if (!(out instanceof UgnosQuery q) || q.getConvention() != Convention.NONE) {
            return null;
        }
        RelNode executable = q.with(q.spec(), q.getRowType(), q.getTraitSet().replace(EnumerableConvention.INSTANCE));
        return executable.getTraitSet().satisfies(required) ? executable : null;
    }

    private static boolean sorted(RelNode rel, RelCollation collation) {
        RelCollation has = rel.getTraitSet().getTrait(RelCollationTraitDef.INSTANCE);
        return has != null && has.satisfies(collation);
    }

    /**
     * The chain {@code rel} with the conjuncts that are always true dropped from its filters
     * ({@link TrueConjuncts}). Done once before the rule pass rather than as one of its rules: no
     * rule of the pass makes a filter with such a conjunct, and as a rule it was tried again on
     * every filter after every change, and its change cost a round of the rule pass (3% of
     * planning a new statement together).
     */
    private static RelNode withoutTrueConjuncts(RelNode rel) {
        if (rel instanceof UgnosQuery) {
            return rel;
        }
        RelNode input = rel.getInput(0);
        RelNode newInput = withoutTrueConjuncts(input);
        RelNode r = newInput == input ? rel : rel.copy(rel.getTraitSet(), List.of(newInput));
        return r instanceof LogicalFilter filter ? TrueConjuncts.strip(filter) : r;
    }

    /** Whether {@code rel} is a chain of single-input operators down to one series (a cheap first look). */
    public static boolean isChainOverOneSeries(RelNode rel) {
        RelNode r = rel;
        while (!(r instanceof UgnosQuery)) {
            if (r.getInputs().size() != 1) {
                return false;
            }
            r = r.getInput(0);
        }
        return true;
    }

    /** Whether an operator of {@code rel} or below holds a subquery ({@code IN (SELECT …)}, {@code EXISTS}, a scalar subquery). */
    public static boolean hasSubQuery(RelNode rel) {
        boolean[] found = {false};
        new org.apache.calcite.rel.RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                if (found[0]) {
                    return;
                }
                if (!node.getVariablesSet().isEmpty()) {
                    found[0] = true;
                    return;
                }
                node.accept(new org.apache.calcite.rex.RexShuttle() {
                    @Override
                    public RexNode visitSubQuery(org.apache.calcite.rex.RexSubQuery subQuery) {
                        found[0] = true;
                        return subQuery;
                    }

                    @Override
                    public RexNode visitCorrelVariable(org.apache.calcite.rex.RexCorrelVariable variable) {
                        found[0] = true;
                        return variable;
                    }
                });
                super.visit(node, ordinal, parent);
            }
        }.go(rel);
        return found[0];
    }

    /**
     * Drops the conjuncts of a filter that are true whatever the row ({@code 1 = 1}, common in SQL
     * that tools generate), so that the rest can be pushed. They are evaluated by Calcite's
     * interpreter; Calcite's own constant reduction compiles Java code for them, which costs more
     * than the whole fast path.
     */
    static final class TrueConjuncts {
        private TrueConjuncts() {
        }

        /** {@code filter} without its always-true conjuncts: its input when none is left, itself when none is dropped. */
        static RelNode strip(LogicalFilter filter) {
            List<RexNode> conjuncts = RelOptUtil.conjunctions(filter.getCondition());
            List<RexNode> kept = new java.util.ArrayList<>(conjuncts.size());
            for (RexNode c : conjuncts) {
                if (!alwaysTrue(c)) {
                    kept.add(c);
                }
            }
            if (kept.size() == conjuncts.size()) {
                return filter;
            }
            return kept.isEmpty() ? filter.getInput()
                    : filter.copy(filter.getTraitSet(), filter.getInput(),
                            RexUtil.composeConjunction(filter.getCluster().getRexBuilder(), kept));
        }

        private static boolean alwaysTrue(RexNode e) {
            // constant: no column, no parameter, no CURRENT_TIMESTAMP
            if (!RexUtil.isConstant(e) || !RexUtil.isDeterministic(e)) {
                return false;
            }
            try {
                return Boolean.TRUE.equals(RexInterpreter.evaluate(e, Map.of()));
            } catch (RuntimeException unsupported) {
                return false; // an operator the interpreter lacks: leave it to Calcite
            }
        }
    }
}
