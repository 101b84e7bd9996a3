package io.ugnos.bench.tsbs;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One simulated host of the TSBS devops use case: its index and its ten tags, drawn once from the
 * generator's seed and never changed.
 *
 * @param index position of the host, {@code 0 … hosts-1}; also the number in {@code host_<index>}
 * @param tags  the ten tags keyed by {@link #TAG_KEYS}; an unmodifiable copy is kept
 */
public record Host(int index, SortedMap<String, String> tags) {

    /** The tag keys in TSBS's column order (the order a wide {@code cpu} table lists them). */
    public static final List<String> TAG_KEYS = List.of("hostname", "region", "datacenter", "rack",
            "os", "arch", "team", "service", "service_version", "service_environment");

    /** Validates and copies the tags. */
    public Host {
        if (index < 0) {
            throw new IllegalArgumentException("index must be non-negative: " + index);
        }
        Objects.requireNonNull(tags, "tags");
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    /** The {@code hostname} tag, {@code host_<index>}. */
    public String hostname() {
        return tags.get("hostname");
    }
}
