package io.ugnos.engine.query;

import java.util.Comparator;
import java.util.List;

/**
 * The rows of an aggregate, ordered by group (nulls first) and then bucket, with what the query touched.
 */
public record AggregateResult(AggregateRequest request, List<AggregateRow> rows, QueryStats stats) {
    static final Comparator<List<String>> GROUP_ORDER = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            String y = b.get(i);
            if (x == null || y == null) {
                if (x != y) {
                    return x == null ? -1 : 1;
                }
                continue;
            }
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    static final Comparator<AggregateRow> ROW_ORDER = Comparator.comparing(AggregateRow::group, GROUP_ORDER)
            .thenComparingLong(AggregateRow::bucket);
}
