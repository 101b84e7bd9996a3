package io.ugnos.engine.index;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/** All series of a database by name, each with its {@link SeriesCatalog}. */
public final class Catalog {
    private final ConcurrentSkipListMap<String, SeriesCatalog> series = new ConcurrentSkipListMap<>();

    /** The series named {@code name}, or null. */
    public SeriesCatalog get(String name) {
        return series.get(name);
    }

    /** The series named {@code name}, created (in memory) when absent. */
    public SeriesCatalog getOrCreate(String name) {
        return series.computeIfAbsent(name, SeriesCatalog::new);
    }

    public SeriesCatalog remove(String name) {
        return series.remove(name);
    }

    public List<String> names() {
        return List.copyOf(series.keySet());
    }

    public Iterable<SeriesCatalog> all() {
        return series.values();
    }
}
