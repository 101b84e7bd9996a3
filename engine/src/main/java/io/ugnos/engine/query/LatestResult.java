package io.ugnos.engine.query;

import io.ugnos.engine.index.TagSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to a list of {@link LatestRequest}s sharing their group-by keys: one entry per group
 * that has a point in any of them, and per request ("column") the chosen point of each group, in
 * primitive arrays rather than one object per row. Groups come in no particular order.
 *
 * <p>Within a group, the point with the latest (earliest) timestamp wins; on a tie between tag sets
 * of one group, the higher tag-set id for the latest and the lower for the earliest, as
 * {@link AggregateRow}'s {@code last} and {@code first}.
 */
public final class LatestResult {
    private final List<List<String>> groups;
    private final boolean[][] found;
    private final long[][] ts;
    private final double[][] values;
    private final QueryStats stats;

    private LatestResult(List<List<String>> groups, boolean[][] found, long[][] ts, double[][] values, QueryStats stats) {
        this.groups = groups;
        this.found = found;
        this.ts = ts;
        this.values = values;
        this.stats = stats;
    }

    /** The number of groups. */
    public int size() {
        return groups.size();
    }

    /** The values of the group-by tags of group {@code g}, null where a tag set lacks the key. */
    public List<String> group(int g) {
        return groups.get(g);
    }

    /** Whether request {@code column} has a point in group {@code g}. */
    public boolean found(int column, int g) {
        return found[column][g];
    }

    /** The timestamp (epoch ns) of the point of request {@code column} in group {@code g}, when {@link #found}. */
    public long ts(int column, int g) {
        return ts[column][g];
    }

    /** The value (NaN as stored) of the point of request {@code column} in group {@code g}, when {@link #found}. */
    public double value(int column, int g) {
        return values[column][g];
    }

    /** What the requests touched, summed. */
    public QueryStats stats() {
        return stats;
    }

    private static final String[] NO_GROUP = new String[0];

    /** Collects candidates per (column, group); groups are interned by their tag values. */
    static final class Builder {
        private final Map<GroupKey, Integer> slots = new HashMap<>();
        private final List<GroupKey> groups = new ArrayList<>();
        private final boolean[][] found;
        private final long[][] ts;
        private final double[][] values;
        final QueryStats stats = new QueryStats();
        private int capacity = 16;

        Builder(int columns) {
            found = new boolean[columns][capacity];
            ts = new long[columns][capacity];
            values = new double[columns][capacity];
        }

        /**
         * The slot of the group of {@code tags} (its values of the {@code groupBy} keys), added when
         * new. Slot {@code guess} is compared first, without hashing or a key: a group has one slot,
         * so if its values match, it is the slot.
         */
        int slot(TagSet tags, List<String> groupBy, int guess) {
            if (guess < groups.size() && groups.get(guess).matches(tags, groupBy)) {
                return guess;
            }
            String[] k = NO_GROUP;
            int[] at = null;
            if (!groupBy.isEmpty()) {
                k = new String[groupBy.size()];
                at = new int[k.length];
                for (int i = 0; i < k.length; i++) {
                    at[i] = tags.indexOf(groupBy.get(i));
                    k[i] = at[i] >= 0 ? tags.value(at[i]) : null;
                }
            }
            return slot(k, at);
        }

        /**
         * Makes room for at least {@code groups} groups at once: a column's matching tag sets bound
         * its groups, and growing the columns' arrays by doubling copied each of them three or four
         * times for a hundred hosts.
         */
        void reserve(int groups) {
            if (groups > capacity) {
                grow(groups);
            }
        }

        private void grow(int newCapacity) {
            capacity = newCapacity;
            for (int c = 0; c < found.length; c++) {
                found[c] = Arrays.copyOf(found[c], capacity);
                ts[c] = Arrays.copyOf(ts[c], capacity);
                values[c] = Arrays.copyOf(values[c], capacity);
            }
        }

        /** The slot of the group with tag values {@code tags} (not to be changed afterwards), added when new. */
        int slot(String[] tags) {
            return slot(tags, null);
        }

        private int slot(String[] tags, int[] at) {
            GroupKey key = new GroupKey(tags, at);
            Integer s = slots.get(key);
            if (s != null) {
                return s;
            }
            int n = groups.size();
            if (n == capacity) {
                grow(capacity * 2);
            }
            slots.put(key, n);
            groups.add(key);
            return n;
        }

        /**
         * Offers a tag set's point; tag sets of one column arrive in ascending id, so on a tie the
         * later one wins the latest and the earlier one the earliest.
         */
        void offer(int column, int slot, boolean latest, long t, double v) {
            if (!found[column][slot] || (latest ? t >= ts[column][slot] : t < ts[column][slot])) {
                found[column][slot] = true;
                ts[column][slot] = t;
                values[column][slot] = v;
            }
        }

        LatestResult build() {
            List<List<String>> g = new ArrayList<>(groups.size());
            for (GroupKey k : groups) {
                g.add(Collections.unmodifiableList(Arrays.asList(k.values)));
            }
            return new LatestResult(Collections.unmodifiableList(g), found, ts, values, stats);
        }
    }

    /** Tag values as a hash key: hashed once, compared as arrays (lists hash and compare through iterators). */
    private static final class GroupKey {
        final String[] values;
        /** Where the group-by keys were in the tag set the group was made from (null: not made from one). */
        private final int[] at;
        final int hash;

        GroupKey(String[] values, int[] at) {
            this.values = values;
            this.at = at;
            this.hash = Arrays.hashCode(values);
        }

        /** Whether {@code tags} has these values for {@code groupBy} (null where it lacks a key). */
        boolean matches(TagSet tags, List<String> groupBy) {
            for (int i = 0; i < values.length; i++) {
                String v = at != null ? tags.get(groupBy.get(i), at[i]) : tags.get(groupBy.get(i));
                if (!java.util.Objects.equals(values[i], v)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GroupKey k && hash == k.hash && Arrays.equals(values, k.values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
