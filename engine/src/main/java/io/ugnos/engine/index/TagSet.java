package io.ugnos.engine.index;

import io.ugnos.engine.Names;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One distinct combination of tags, sorted by key. Immutable; equal tag maps give equal tag sets.
 *
 * <pre>{@code TagSet t = TagSet.of("host", "web-1", "region", "eu");}</pre>
 */
public final class TagSet implements Comparable<TagSet> {
    public static final TagSet EMPTY = new TagSet(new String[0], new String[0]);

    private final String[] keys;
    private final String[] values;
    private final int hash;

    private TagSet(String[] keys, String[] values) {
        this.keys = keys;
        this.values = values;
        this.hash = 31 * Arrays.hashCode(keys) + Arrays.hashCode(values);
    }

    /** Builds a tag set from alternating keys and values. */
    public static TagSet of(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("tags come in key/value pairs");
        }
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return of(m);
    }

    public static TagSet of(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return EMPTY;
        }
        SortedMap<String, String> sorted = tags instanceof SortedMap<String, String> s && s.comparator() == null
                ? s : new TreeMap<>(tags);
        String[] k = new String[sorted.size()];
        String[] v = new String[sorted.size()];
        int i = 0;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            k[i] = e.getKey();
            v[i] = e.getValue();
            i++;
        }
        return new TagSet(k, v);
    }

    /** Trusted constructor for arrays already sorted by key and validated (used when reading files). */
    static TagSet ofSorted(String[] keys, String[] values) {
        return new TagSet(keys, values);
    }

    /** Checks every key and value against the rules of {@link Names#checkTag}. */
    public TagSet validate(String series) {
        for (int i = 0; i < keys.length; i++) {
            Names.checkTag(series, keys[i], values[i]);
        }
        return this;
    }

    public int size() {
        return keys.length;
    }

    public String key(int i) {
        return keys[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** The value of {@code key}, or null when this tag set lacks it. */
    public String get(String key) {
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? values[i] : null;
    }

    /** Position of {@code key} among the keys (sorted), or a negative value when absent. */
    public int indexOf(String key) {
        return Arrays.binarySearch(keys, key);
    }

    /**
     * {@link #get}, looking at position {@code hint} first: tag sets of one schema (hosts with the
     * same keys) hold a key at the same position, and a string comparison there replaces a search.
     */
    public String get(String key, int hint) {
        if (hint >= 0 && hint < keys.length && keys[hint].equals(key)) {
            return values[hint];
        }
        return get(key);
    }

    public SortedMap<String, String> toMap() {
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < keys.length; i++) {
            m.put(keys[i], values[i]);
        }
        return Collections.unmodifiableSortedMap(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TagSet t && hash == t.hash && Arrays.equals(keys, t.keys) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(TagSet o) {
        int n = Math.min(keys.length, o.keys.length);
        for (int i = 0; i < n; i++) {
            int c = keys[i].compareTo(o.keys[i]);
            if (c != 0) {
                return c;
            }
            c = values[i].compareTo(o.values[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(keys.length, o.keys.length);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(keys[i]).append('=').append(values[i]);
        }
        return sb.append('}').toString();
    }
}
