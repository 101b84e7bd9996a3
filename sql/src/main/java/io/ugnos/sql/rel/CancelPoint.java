package io.ugnos.sql.rel;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Types;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Join;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * A point in a Calcite plan where the running query checks {@code Statement.cancel()} and its
 * {@code setQueryTimeout} deadline, once per row that passes.
 *
 * <p>Why: engine scans check both before every batch, but Calcite's own operators never do, so a
 * join whose inputs have been read (a self-join of a big series, with a condition that keeps few
 * pairs) ran to its end whatever the user asked. {@link #atJoins} puts a check on each input of
 * every join and correlate; a hash or nested-loop join pulls its outer input row by row, so it
 * stops within the work of one outer row. (The merge join builds the cross product of a key's rows
 * without pulling, so it is not used; see UgnosPrepare.)
 */
public final class CancelPoint extends SingleRel implements EnumerableRel {
    private static final Method CHECKED = Types.lookupMethod(CancelPoint.class, "checked", DataContext.class, Enumerable.class);
    /** Rows between two reads of the clock; the cancel flag is read on every row. */
    private static final int CLOCK_EVERY = 1_024;

    private CancelPoint(RelOptCluster cluster, RelTraitSet traits, RelNode input) {
        super(cluster, traits, input);
    }

    /** {@code plan} with a check on each input of every enumerable join and correlate in it. */
    public static RelNode atJoins(RelNode plan) {
        boolean join = (plan instanceof Join || plan instanceof Correlate) && plan.getConvention() == EnumerableConvention.INSTANCE;
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : plan.getInputs()) {
            RelNode in = atJoins(input);
            if (join && !(in instanceof CancelPoint)) {
                in = new CancelPoint(in.getCluster(), in.getTraitSet(), in);
            }
            changed |= in != input;
            inputs.add(in);
        }
        return changed ? plan.copy(plan.getTraitSet(), inputs) : plan;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new CancelPoint(getCluster(), traitSet, sole(inputs));
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
        BlockBuilder builder = new BlockBuilder();
        Expression input = builder.append("input", child.block);
        builder.add(Expressions.return_(null, Expressions.call(CHECKED, implementor.getRootExpression(), input)));
        return implementor.result(child.physType, builder.toBlock());
    }

    /** {@code input}, failing with {@link QueryRuntime.QueryInterruptedException} once the statement is canceled or out of time. */
    public static <T> Enumerable<T> checked(DataContext root, Enumerable<T> input) {
        QueryRuntime.Interrupts interrupts = QueryRuntime.Interrupts.of(root);
        if (interrupts.cancel() == null && interrupts.deadlineNanos() == 0) {
            return input;
        }
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<T> enumerator() {
                Enumerator<T> rows = input.enumerator();
                return new Enumerator<>() {
                    private int sinceClock;

                    @Override
                    public T current() {
                        return rows.current();
                    }

                    @Override
                    public boolean moveNext() {
                        if (++sinceClock == CLOCK_EVERY) {
                            sinceClock = 0;
                            interrupts.check();
                        } else if (interrupts.cancel() != null && interrupts.cancel().get()) {
                            interrupts.check();
                        }
                        return rows.moveNext();
                    }

                    @Override
                    public void reset() {
                        rows.reset();
                    }

                    @Override
                    public void close() {
                        rows.close();
                    }
                };
            }
        };
    }
}
