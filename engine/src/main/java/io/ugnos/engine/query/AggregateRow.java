package io.ugnos.engine.query;

import java.util.List;

/**
 * One bucket of one group. {@code min}/{@code max} order NaN above all other values; {@code first} and
 * {@code last} are the values at the earliest and latest timestamps (on a tie between tag sets of one
 * group, the lower tag-set id for first and the higher for last).
 *
 * @param bucket start of the bucket (epoch ns), or the range start when the request has no buckets
 * @param group  the values of the group-by tags, null where a tag set lacks the key
 */
public record AggregateRow(long bucket, List<String> group, long count, double sum, double min, double max,
                           double first, long firstTs, double last, long lastTs) {
    public double avg() {
        return sum / count;
    }

    public double value(AggFn fn) {
        return switch (fn) {
            case COUNT -> count;
            case SUM -> sum;
            case MIN -> min;
            case MAX -> max;
            case AVG -> avg();
            case FIRST -> first;
            case LAST -> last;
        };
    }
}
