package io.ugnos.engine.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The current {@link Version} and the pins readers hold on older ones. A segment removed by an edit
 * stays readable by every query that pinned a version listing it, and its file is deleted when the
 * last such pin is released.
 */
public final class VersionSet {
    private Version current;

    public VersionSet(List<Version.Entry> entries) {
        current = new Version(entries);
        current.pin(); // the set itself holds the current version
        for (Version.Entry e : entries) {
            e.reader().ref();
        }
    }

    /** Pins the current version; pair with {@link #release}. */
    public synchronized Version pin() {
        current.pin();
        return current;
    }

    public synchronized void release(Version v) {
        if (v.unpin()) {
            for (Version.Entry e : v.entries()) {
                e.reader().unref();
            }
        }
    }

    /**
     * Installs a new version: the current one minus {@code removed} plus {@code added}. Removed
     * segments are marked obsolete and deleted once unpinned.
     */
    public synchronized void install(List<Version.Entry> added, Set<Long> removed) {
        Map<Long, Version.Entry> next = new HashMap<>();
        for (Version.Entry e : current.entries()) {
            next.put(e.desc().id(), e);
        }
        for (Long id : removed) {
            Version.Entry e = next.remove(id);
            if (e != null) {
                e.reader().markObsolete();
            }
        }
        for (Version.Entry e : added) {
            next.put(e.desc().id(), e);
        }
        Version v = new Version(new ArrayList<>(next.values()));
        for (Version.Entry e : v.entries()) {
            e.reader().ref();
        }
        v.pin();
        Version old = current;
        current = v;
        release(old);
    }

    public synchronized Version current() {
        return current;
    }

    /** Releases the set's own pin on the current version (at close); files are closed, none deleted. */
    public synchronized void close() {
        release(current);
    }
}
