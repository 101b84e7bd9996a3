package io.ugnos.sql.rel;

import io.ugnos.engine.Database;
import io.ugnos.sql.rules.PredicateTranslator;
import io.ugnos.sql.rules.PushedScan;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;

import java.util.List;

/**
 * Runs a {@link FamilyAggregateSpec}: one multi-series engine aggregate over the field series,
 * merged by (tags, bucket) in the engine ({@link FamilyAggregateMulti}; a group exists when any field
 * has a point in it, as a row of the family exists when any field has one), or the latest-point
 * path ({@link FamilyAggregateLatest}). Called from the code Calcite generates for {@link FamilyAggregate}.
 */
public final class FamilyAggregateRuntime {
    private FamilyAggregateRuntime() {
    }

    /** Group-by tag values in SQL's ascending order: nulls last. */
    static int compareTags(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            String y = b.get(i);
            if (x == null || y == null) {
                if (x != y) {
                    return x == null ? 1 : -1;
                }
                continue;
            }
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** {@link #execute} for one output column, which Calcite represents by the value itself. */
    public static Enumerable<Object> executeScalar(DataContext root, FamilyAggregateSpec spec) {
        return execute(root, spec).select(r -> r[0]);
    }

    public static Enumerable<Object[]> execute(DataContext root, FamilyAggregateSpec spec) {
        QueryRuntime.Interrupts interrupts = QueryRuntime.Interrupts.of(root);
        interrupts.check();
        Database db = spec.table().database();
        PushedScan pushed = new PredicateTranslator(spec.layout(), root).translatePushed(spec.filters());
        if (spec.endpointsOnly()) {
            return Linq4j.asEnumerable(FamilyAggregateLatest.execute(db, spec, pushed, interrupts));
        }
        return Linq4j.asEnumerable(FamilyAggregateMulti.execute(db, spec, pushed, interrupts));
    }
}
