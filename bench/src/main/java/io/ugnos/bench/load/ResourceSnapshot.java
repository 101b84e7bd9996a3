package io.ugnos.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The process resources a leak would grow: live threads, open file descriptors and heap in use after
 * a GC. Threads of the JDK's common fork-join pool are left out: that pool is shared by the whole
 * JVM (Caffeine's maintenance in Avatica's connection cache runs there) and its idle workers retire
 * on their own after 60 s, so they are not ugnos' to release.
 *
 * @param threads   live threads, common-pool workers excluded
 * @param threadNames their names, for the message when threads leak
 * @param fds       open file descriptors, or -1 where {@code /proc/self/fd} does not exist (not Linux)
 * @param fdTargets what the descriptors point to (files, {@code socket:[…]}), for the message when they leak
 * @param heapBytes heap in use after {@code System.gc()}
 */
record ResourceSnapshot(int threads, List<String> threadNames, long fds, List<String> fdTargets, long heapBytes) {
    private static final Path FD_DIR = Path.of("/proc/self/fd");

    static ResourceSnapshot take() {
        List<String> names = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> !n.startsWith("ForkJoinPool.commonPool-worker"))
                .sorted()
                .toList();
        List<String> targets = listFdTargets();
        return new ResourceSnapshot(names.size(), names, targets == null ? -1 : targets.size(), targets == null ? List.of() : targets,
                heapAfterGc());
    }

    /**
     * Waits up to {@code timeoutMillis} for threads to fall back to {@code baseline}'s count (pools
     * and servers stop their threads asynchronously after close), then takes a snapshot.
     */
    static ResourceSnapshot settleTowards(ResourceSnapshot baseline, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        ResourceSnapshot s = take();
        while (s.threads > baseline.threads && System.nanoTime() < deadline) {
            Thread.sleep(100);
            s = take();
        }
        return s;
    }

    boolean hasFds() {
        return fds >= 0;
    }

    /** The targets of the open descriptors, or null where they cannot be listed. */
    private static List<String> listFdTargets() {
        if (!Files.isDirectory(FD_DIR)) {
            return null;
        }
        List<Path> fds;
        try (Stream<Path> s = Files.list(FD_DIR)) {
            fds = s.toList();
        } catch (IOException e) {
            return null;
        }
        List<String> targets = new ArrayList<>();
        for (Path fd : fds) {
            try {
                targets.add(Files.readSymbolicLink(fd).toString());
            } catch (IOException e) {
                // the listing's own descriptor, closed by now
            }
        }
        Collections.sort(targets);
        return targets;
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
