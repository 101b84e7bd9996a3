package io.ugnos.engine.segment;

import io.ugnos.engine.CorruptionException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link BlockCopySource} reads blocks through a window of the file: every block it hands out must be
 * the block's exact bytes, whether asked for in file order (across several windows) or not, and a
 * damaged block must fail with the error {@link SegmentReader#readBlock} gives, naming its offset.
 * Copying every block into a new writer gives the same file as writing the points again.
 */
class BlockCopySourceTest {
    private static final int BLOCK_POINTS = 256;

    /** A segment of about 1.3 MB (several windows): 2 series x 20 tag sets x 12 blocks of random doubles. */
    private static Path write(Path dir, long id) {
        Random rnd = new Random(5);
        try (SegmentWriter w = new SegmentWriter(dir, id, BLOCK_POINTS, 0, 1)) {
            for (String s : new String[] {"a", "b"}) {
                w.beginSeries(s);
                for (int t = 0; t < 20; t++) {
                    int n = 12 * BLOCK_POINTS - rnd.nextInt(BLOCK_POINTS); // the last block partial
                    long[] ts = new long[n];
                    double[] vs = new double[n];
                    for (int i = 0; i < n; i++) {
                        ts[i] = 1_000L * i + rnd.nextInt(900);
                        vs[i] = rnd.nextGaussian();
                    }
                    w.append(t, ts, vs, 0, n);
                }
                w.endSeries();
            }
            return w.finish().file();
        }
    }

    private static byte[] rawOf(SegmentReader r, int b) {
        byte[] raw = new byte[r.blocks().length(b)];
        r.readRaw(r.blocks().offset(b), raw, raw.length);
        return raw;
    }

    @Test
    void handsOutEveryBlocksBytesInAnyOrder() throws IOException {
        Path dir = Files.createTempDirectory("ugnos-copy-source");
        try {
            SegmentReader r = SegmentReader.open(write(dir, 1), 1);
            r.ref();
            assertThat(r.fileBytes()).isGreaterThan(3L * BlockCopySource.WINDOW_BYTES);
            List<Integer> order = new ArrayList<>();
            for (int b = 0; b < r.blocks().size(); b++) {
                order.add(b);
            }
            List<Integer> shuffled = new ArrayList<>(order);
            Collections.shuffle(shuffled, new Random(1));
            // the largest window, one a many-input compaction gets, and one smaller than any block
            for (int window : new int[]{BlockCopySource.WINDOW_BYTES, BlockCopySource.MIN_WINDOW_BYTES, 16})
            for (List<Integer> o : List.of(order, shuffled)) {
                BlockCopySource src = new BlockCopySource(r, window);
                for (int b : o) {
                    int at = src.load(b);
                    int len = r.blocks().length(b);
                    assertThat(Arrays.copyOfRange(src.bytes(), at, at + len)).as("block %d", b).isEqualTo(rawOf(r, b));
                }
            }
            r.unref();
        } finally {
            io.ugnos.engine.diskfull.SmallFileSystem.deleteTree(dir);
        }
    }

    @Test
    void theWindowsOfOneCompactionStayWithinTheBudget() {
        assertThat(BlockCopySource.windowFor(1)).isEqualTo(BlockCopySource.WINDOW_BYTES);
        assertThat(BlockCopySource.windowFor(0)).isEqualTo(BlockCopySource.WINDOW_BYTES);
        for (int inputs : new int[]{2, 10, 128, 129, 365, 1_000, 2_048, 100_000}) {
            int w = BlockCopySource.windowFor(inputs);
            assertThat(w).isBetween(BlockCopySource.MIN_WINDOW_BYTES, BlockCopySource.WINDOW_BYTES);
            if (w > BlockCopySource.MIN_WINDOW_BYTES) {
                assertThat((long) w * inputs).as("%d inputs", inputs).isLessThanOrEqualTo(BlockCopySource.BUDGET_BYTES);
            }
        }
        assertThat(BlockCopySource.windowFor(1_000)).isLessThan(BlockCopySource.WINDOW_BYTES);
    }

    @Test
    void copyingEveryBlockWritesTheSameFile() throws IOException {
        Path dir = Files.createTempDirectory("ugnos-copy-source-file");
        try {
            Path original = write(dir, 1);
            SegmentReader r = SegmentReader.open(original, 1);
            r.ref();
            BlockCopySource src = new BlockCopySource(r);
            Path copy;
            try (SegmentWriter w = new SegmentWriter(dir, 2, BLOCK_POINTS, 0, 1)) {
                for (String s : new String[] {"a", "b"}) {
                    w.beginSeries(s);
                    SegmentReader.SeriesIndex si = r.series(s);
                    for (int i = 0; i < si.tagSetCount(); i++) {
                        for (int b = si.firstBlock(i); b < si.endBlock(i); b++) {
                            w.appendBlockOf(si.tagSetId(i), src, b);
                        }
                    }
                    w.endSeries();
                }
                copy = w.finish().file();
            }
            assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(original));
            r.unref();
        } finally {
            io.ugnos.engine.diskfull.SmallFileSystem.deleteTree(dir);
        }
    }

    @Test
    void aDamagedBlockInsideTheWindowIsReportedAtItsOffset() throws IOException {
        Path dir = Files.createTempDirectory("ugnos-copy-source-damaged");
        try {
            Path file = write(dir, 1);
            int victim;
            long victimOffset;
            SegmentReader probe = SegmentReader.open(file, 1);
            probe.ref();
            victim = probe.blocks().size() / 2;
            victimOffset = probe.blocks().offset(victim);
            probe.unref();
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.seek(victimOffset + 20); // inside the encoded points
                int v = f.read();
                f.seek(victimOffset + 20);
                f.write(v ^ 0x10);
            }
            SegmentReader r = SegmentReader.open(file, 1); // the index is intact: opening succeeds
            r.ref();
            BlockCopySource src = new BlockCopySource(r);
            src.load(victim - 1); // the window now holds the damaged block too
            assertThatThrownBy(() -> src.load(victim)).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("checksum")
                    .satisfies(e -> assertThat(((CorruptionException) e).offset()).isEqualTo(victimOffset));
            src.load(victim + 1); // the blocks around it are fine
            r.unref();
        } finally {
            io.ugnos.engine.diskfull.SmallFileSystem.deleteTree(dir);
        }
    }
}
