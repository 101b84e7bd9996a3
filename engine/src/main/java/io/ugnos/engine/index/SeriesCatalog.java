package io.ugnos.engine.index;

import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The tag sets of one series, interned to dense ids {@code 0..n-1}, and the inverted index
 * {@code key = value -> tag-set ids} that resolves a {@link TagPredicate} without touching data.
 *
 * <p>Tag sets are only ever added. The dictionary is persisted as manifest edits (each new tag set
 * once); the postings are rebuilt from it when the database opens, which costs one pass over the
 * tag sets and keeps a single source of truth on disk. Thread-safe: lookups take a read lock.
 */
public final class SeriesCatalog {
    private final String name;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<TagSet> tagSets = new ArrayList<>();
    private final Map<TagSet, Integer> ids = new HashMap<>();
    /** key -> (value -> ids); values sorted so that prefix predicates are a range scan. */
    private final Map<String, NavigableMap<String, RoaringBitmap>> postings = new HashMap<>();
    /** key -> ids of tag sets that have the key. */
    private final Map<String, RoaringBitmap> present = new HashMap<>();
    private final SortedSet<String> keys = new TreeSet<>();
    private int persisted;
    private final Runnable onNewKey;

    public SeriesCatalog(String name) {
        this(name, () -> { });
    }

    /** @param onNewKey called when a tag key is seen for the first time (the series gains a column) */
    public SeriesCatalog(String name, Runnable onNewKey) {
        this.name = name;
        this.onNewKey = onNewKey;
    }

    public String name() {
        return name;
    }

    /** The id of {@code tags}, assigning the next id when the tag set is new. */
    public int intern(TagSet tags) {
        lock.readLock().lock();
        try {
            Integer id = ids.get(tags);
            if (id != null) {
                return id;
            }
        } finally {
            lock.readLock().unlock();
        }
        lock.writeLock().lock();
        try {
            Integer id = ids.get(tags);
            return id != null ? id : add(tags);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Adds a tag set read back from the manifest under its recorded id. */
    public void restore(int id, TagSet tags) {
        lock.writeLock().lock();
        try {
            if (id != tagSets.size()) {
                throw new IllegalStateException("tag set ids of series " + name + " out of order: expected "
                        + tagSets.size() + ", found " + id);
            }
            add(tags);
            persisted = tagSets.size();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private int add(TagSet tags) {
        int id = tagSets.size();
        tagSets.add(tags);
        ids.put(tags, id);
        for (int i = 0; i < tags.size(); i++) {
            String k = tags.key(i);
            postings.computeIfAbsent(k, x -> new TreeMap<>()).computeIfAbsent(tags.value(i), x -> new RoaringBitmap()).add(id);
            present.computeIfAbsent(k, x -> new RoaringBitmap()).add(id);
            if (keys.add(k)) {
                onNewKey.run();
            }
        }
        return id;
    }

    public TagSet tagSet(int id) {
        lock.readLock().lock();
        try {
            return tagSets.get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return tagSets.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every tag key seen in this series, sorted. */
    public SortedSet<String> tagKeys() {
        lock.readLock().lock();
        try {
            return Collections.unmodifiableSortedSet(new TreeSet<>(keys));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Tag sets added since the last call to {@link #markPersisted}, with their ids starting at {@link #persistedCount()}. */
    public List<TagSet> unpersisted() {
        lock.readLock().lock();
        try {
            return List.copyOf(tagSets.subList(persisted, tagSets.size()));
        } finally {
            lock.readLock().unlock();
        }
    }

    public int persistedCount() {
        lock.readLock().lock();
        try {
            return persisted;
        } finally {
            lock.readLock().unlock();
        }
    }

    public void markPersisted(int count) {
        lock.writeLock().lock();
        try {
            persisted = Math.max(persisted, count);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The ids of the tag sets that satisfy {@code p}; a fresh bitmap the caller may modify. */
    public RoaringBitmap resolve(TagPredicate p) {
        lock.readLock().lock();
        try {
            return eval(p);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The tag sets that satisfy {@code p}, ids ascending, each with its tag set: one read lock for
     * all of them, where {@link #resolve} and a {@link #tagSet} per id take it once per tag set
     * (the latest-point path visits every host of every metric of a query).
     */
    public Matches match(TagPredicate p) {
        lock.readLock().lock();
        try {
            int[] matched = eval(p).toArray();
            TagSet[] sets = new TagSet[matched.length];
            for (int i = 0; i < matched.length; i++) {
                sets[i] = tagSets.get(matched[i]);
            }
            return new Matches(matched, sets);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Tag sets matched by {@link #match}: {@code tagSets[i]} is the tag set of id {@code ids[i]}.
     *
     * @param ids     ascending tag-set ids
     * @param tagSets their tag sets
     */
    public record Matches(int[] ids, TagSet[] tagSets) {
    }

    private RoaringBitmap all() {
        RoaringBitmap b = new RoaringBitmap();
        b.add(0L, (long) tagSets.size());
        return b;
    }

    private RoaringBitmap eq(String key, String value) {
        NavigableMap<String, RoaringBitmap> byValue = postings.get(key);
        RoaringBitmap b = byValue == null ? null : byValue.get(value);
        return b == null ? new RoaringBitmap() : b.clone();
    }

    private RoaringBitmap present(String key) {
        RoaringBitmap b = present.get(key);
        return b == null ? new RoaringBitmap() : b.clone();
    }

    private RoaringBitmap anyOf(String key, Set<String> values) {
        RoaringBitmap out = new RoaringBitmap();
        NavigableMap<String, RoaringBitmap> byValue = postings.get(key);
        if (byValue != null) {
            for (String v : values) {
                RoaringBitmap b = byValue.get(v);
                if (b != null) {
                    out.or(b);
                }
            }
        }
        return out;
    }

    /** The tag sets whose value of {@code key} starts with {@code prefix} (a range of the sorted values) and passes {@code test}. */
    private RoaringBitmap startingWith(String key, String prefix, java.util.function.Predicate<String> test) {
        RoaringBitmap out = new RoaringBitmap();
        NavigableMap<String, RoaringBitmap> byValue = postings.get(key);
        if (byValue != null) {
            for (Map.Entry<String, RoaringBitmap> en : byValue.tailMap(prefix, true).entrySet()) {
                if (!en.getKey().startsWith(prefix)) {
                    break;
                }
                if (test.test(en.getKey())) {
                    out.or(en.getValue());
                }
            }
        }
        return out;
    }

    private RoaringBitmap eval(TagPredicate p) {
        if (p instanceof TagPredicate.True) {
            return all();
        } else if (p instanceof TagPredicate.Eq e) {
            return eq(e.key(), e.value());
        } else if (p instanceof TagPredicate.NotEq e) {
            RoaringBitmap b = present(e.key());
            b.andNot(eq(e.key(), e.value()));
            return b;
        } else if (p instanceof TagPredicate.In e) {
            return anyOf(e.key(), e.values());
        } else if (p instanceof TagPredicate.NotIn e) {
            RoaringBitmap b = present(e.key());
            b.andNot(anyOf(e.key(), e.values()));
            return b;
        } else if (p instanceof TagPredicate.Prefix e) {
            return startingWith(e.key(), e.prefix(), v -> true);
        } else if (p instanceof TagPredicate.Like e) {
            java.util.regex.Matcher m = e.regex().matcher(""); // only values with the literal prefix can match
            return startingWith(e.key(), e.literalPrefix(), v -> m.reset(v).matches());
        } else if (p instanceof TagPredicate.Missing e) {
            RoaringBitmap b = all();
            b.andNot(present(e.key()));
            return b;
        } else if (p instanceof TagPredicate.Present e) {
            return present(e.key());
        } else if (p instanceof TagPredicate.And a) {
            RoaringBitmap b = null;
            for (TagPredicate t : a.terms()) {
                RoaringBitmap x = eval(t);
                if (b == null) {
                    b = x;
                } else {
                    b.and(x);
                }
                if (b.isEmpty()) {
                    break;
                }
            }
            return b == null ? all() : b;
        } else if (p instanceof TagPredicate.Or o) {
            RoaringBitmap b = new RoaringBitmap();
            for (TagPredicate t : o.terms()) {
                b.or(eval(t));
            }
            return b;
        } else if (p instanceof TagPredicate.Not n) {
            RoaringBitmap b = all();
            b.andNot(eval(n.term()));
            return b;
        }
        throw new AssertionError(p);
    }
}
