package io.ugnos.engine.index;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** All series of a database by name, each with its {@link SeriesCatalog}. */
public final class Catalog {
    private final ConcurrentSkipListMap<String, SeriesCatalog> series = new ConcurrentSkipListMap<>();
    /** Bumped whenever a series or a tag key appears or a series goes: what SQL plans depend on. */
    private final AtomicLong version = new AtomicLong();

    /** The series named {@code name}, or null. */
    public SeriesCatalog get(String name) {
        return series.get(name);
    }

    /**
     * The series named {@code name}, created (in memory) when absent. The version is bumped after the
     * new series is in the map, so whoever reads the new version also sees the series (a schema
     * cached under a version is never missing what that version promised).
     */
    public SeriesCatalog getOrCreate(String name) {
        SeriesCatalog sc = series.get(name);
        if (sc != null) {
            return sc;
        }
        boolean[] created = {false};
        sc = series.computeIfAbsent(name, n -> {
            created[0] = true;
            return new SeriesCatalog(n, version::incrementAndGet);
        });
        if (created[0]) {
            version.incrementAndGet();
        }
        return sc;
    }

    public SeriesCatalog remove(String name) {
        SeriesCatalog sc = series.remove(name);
        version.incrementAndGet();
        return sc;
    }

    /**
     * A number that changes whenever the set of series or the tag keys of one change, so that a
     * cached query plan (whose columns are tag keys) can tell it is stale.
     */
    public long version() {
        return version.get();
    }

    public List<String> names() {
        return List.copyOf(series.keySet());
    }

    public Iterable<SeriesCatalog> all() {
        return series.values();
    }
}
