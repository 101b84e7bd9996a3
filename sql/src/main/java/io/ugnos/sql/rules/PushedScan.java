package io.ugnos.sql.rules;

import io.ugnos.engine.TimeRange;
import io.ugnos.engine.index.TagPredicate;

/**
 * What a query asks of the engine: a time range (null when no point can match) and a tag predicate.
 */
public record PushedScan(TimeRange range, TagPredicate tags) {
    public boolean isEmpty() {
        return range == null;
    }

    @Override
    public String toString() {
        return range == null ? "empty" : "range=" + (range.equals(TimeRange.ALL) ? "all" : "[" + range.start() + ", " + range.end() + "]")
                + ", tags=" + tags;
    }
}
