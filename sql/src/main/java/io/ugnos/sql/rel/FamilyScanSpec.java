package io.ugnos.sql.rel;

import io.ugnos.sql.schema.FamilyOrder;
import io.ugnos.sql.schema.FamilyTable;
import org.apache.calcite.rex.RexNode;

import java.util.List;

/**
 * A scan of a family table as {@link FamilyScan} runs it. Immutable; run by {@link FamilyScanRuntime}.
 *
 * @param conjuncts the WHERE conjuncts over the table's columns, all given to the scan to narrow it
 * @param exact     those of {@code conjuncts} that the plan leaves to the scan alone (time and tag
 *                  predicates): the others are applied again above the scan
 * @param columns   the table columns the scan outputs, in output order
 * @param order     the order of the rows, or null for any
 */
public record FamilyScanSpec(FamilyTable table, List<RexNode> conjuncts, List<RexNode> exact, int[] columns,
                             FamilyOrder order) {
    public FamilyScanSpec {
        conjuncts = List.copyOf(conjuncts);
        exact = List.copyOf(exact);
        columns = columns.clone();
    }
}
