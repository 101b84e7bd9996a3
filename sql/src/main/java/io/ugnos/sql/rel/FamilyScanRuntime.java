package io.ugnos.sql.rel;

import io.ugnos.sql.schema.FamilyRow;
import io.ugnos.sql.schema.FamilyRows;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rex.RexNode;

import java.util.ArrayList;
import java.util.List;

/** Runs a {@link FamilyScanSpec} when its statement executes; called from the code Calcite generates for {@link FamilyScan}. */
public final class FamilyScanRuntime {
    private FamilyScanRuntime() {
    }

    /** {@link #execute} for a scan of one column, whose rows Calcite represents by the value itself. */
    public static Enumerable<Object> executeScalar(DataContext root, FamilyScanSpec spec) {
        return rows(root, spec).arrays().select(r -> r[0]);
    }

    /** The rows of the scan in Calcite's {@code LIST} format (see {@link FamilyRow} for why not arrays). */
    public static Enumerable<FamilyRow> execute(DataContext root, FamilyScanSpec spec) {
        return rows(root, spec).lists();
    }

    private static FamilyRows rows(DataContext root, FamilyScanSpec spec) {
        QueryRuntime.Interrupts.of(root).check();
        List<RexNode> left = new ArrayList<>(spec.conjuncts());
        FamilyRows rows = spec.table().rows(root, left, spec.columns(), spec.order());
        for (RexNode c : left) {
            if (spec.exact().contains(c) && rows.size() > 0) {
                // the plan has no filter above the scan for it: only a parameter of the wrong type gets here
                throw new IllegalArgumentException("cannot evaluate " + c + " with the given parameter values;"
                        + " compare ts with a TIMESTAMP, ts_ns with a BIGINT and tags with a VARCHAR");
            }
        }
        return rows;
    }
}
