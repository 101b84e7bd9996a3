package io.ugnos.engine.segment;

import io.ugnos.engine.CorruptionException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading blocks ahead ({@link SegmentReader#readBlock(int, int, DecodedBlock, boolean, boolean)}):
 * whatever blocks are read, in whatever order, with whatever read-ahead hint, through one buffer
 * shared by two segments, each decodes to exactly what a plain one-block read gives; a block
 * corrupted on disk is reported when it is decoded, whether its bytes came ahead of it or not.
 */
class ReadAheadPropertiesTest {

    @Property(tries = 60)
    void readAheadDecodesWhatPlainReadsDecode(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int blockPoints)
            throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path dir = Files.createTempDirectory("ugnos-ahead");
        SegmentReader[] readers = {segment(dir, 1, rnd, blockPoints), segment(dir, 2, rnd, blockPoints)};
        try {
            readAndCompare(rnd, readers);
        } finally {
            for (SegmentReader r : readers) {
                r.unref();
            }
            io.ugnos.engine.diskfull.SmallFileSystem.deleteTree(dir);
        }
    }

    private static void readAndCompare(SplittableRandom rnd, SegmentReader[] readers) {
        DecodedBlock shared = new DecodedBlock();
        DecodedBlock plain = new DecodedBlock();
        for (int step = 0; step < 200; step++) {
            SegmentReader r = readers[rnd.nextInt(2)];
            int blocks = r.blocks().size();
            int b = rnd.nextInt(blocks);
            int last = rnd.nextInt(4) == 0 ? b : Math.min(blocks - 1, b + rnd.nextInt(40));
            boolean needTs = rnd.nextBoolean();
            boolean needValues = rnd.nextBoolean();
            r.readBlock(b, last, shared, needTs, needValues);
            plain.windowOf = null; // the reference: each block read on its own
            r.readBlock(b, b, plain, true, true);
            assertThat(shared.size).isEqualTo(plain.size).isEqualTo(r.blocks().count(b));
            if (needTs) {
                assertThat(Arrays.copyOf(shared.ts, shared.size)).containsExactly(Arrays.copyOf(plain.ts, plain.size));
            }
            if (needValues) {
                for (int i = 0; i < plain.size; i++) {
                    assertThat(Double.doubleToRawLongBits(shared.values[i])).isEqualTo(Double.doubleToRawLongBits(plain.values[i]));
                }
            }
            assertThat(Arrays.copyOfRange(shared.raw, shared.rawOff, shared.rawOff + r.blocks().length(b)))
                    .as("the block's raw bytes")
                    .isEqualTo(Arrays.copyOfRange(plain.raw, plain.rawOff, plain.rawOff + r.blocks().length(b)));
        }
    }

    @Property(tries = 30)
    void aCorruptBlockIsReportedWhenDecodedEvenIfReadAhead(@ForAll long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path dir = Files.createTempDirectory("ugnos-ahead");
        SegmentReader clean = segment(dir, 1, rnd, 50);
        int blocks = clean.blocks().size();
        int bad = 1 + rnd.nextInt(blocks - 1); // not the first: it is read ahead by a read of block 0
        long at = clean.blocks().offset(bad) + rnd.nextInt(clean.blocks().length(bad));
        try (FileChannel ch = FileChannel.open(clean.file(), StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, at);
            one.flip();
            byte flipped = (byte) (one.get(0) ^ (1 << rnd.nextInt(8)));
            ch.write(ByteBuffer.wrap(new byte[]{flipped}), at);
        }
        clean.unref();
        SegmentReader r = SegmentReader.open(clean.file(), 1);
        r.ref();
        try {
            DecodedBlock d = new DecodedBlock();
            for (int b = 0; b < bad; b++) {
                r.readBlock(b, blocks - 1, d, true, true); // the good ones decode
            }
            assertThat(d.holds(r, r.blocks().offset(bad), r.blocks().length(bad))).as("the bad block was read ahead").isTrue();
            assertThatThrownBy(() -> r.readBlock(bad, blocks - 1, d, true, true))
                    .isInstanceOfSatisfying(CorruptionException.class, e -> {
                        assertThat(e.file()).isEqualTo(clean.file());
                        assertThat(e.offset()).isBetween(r.blocks().offset(bad), r.blocks().offset(bad) + 4);
                    });
        } finally {
            r.unref();
            io.ugnos.engine.diskfull.SmallFileSystem.deleteTree(dir);
        }
    }

    /** A segment of one series with several tag sets of random points, blocks of at most {@code blockPoints}. */
    private static SegmentReader segment(Path dir, long id, SplittableRandom rnd, int blockPoints) throws IOException {
        Path file;
        try (SegmentWriter w = new SegmentWriter(dir, id, blockPoints, 0, 1)) {
            w.beginSeries("s");
            int tagSets = 1 + rnd.nextInt(3);
            for (int t = 0; t < tagSets; t++) {
                int n = 60 + rnd.nextInt(1_500); // at least two blocks of 50
                long[] ts = new long[n];
                double[] vs = new double[n];
                long now = rnd.nextLong(-1_000_000, 1_000_000);
                for (int i = 0; i < n; i++) {
                    now += 1 + rnd.nextInt(rnd.nextBoolean() ? 10 : 100_000);
                    ts[i] = now;
                    vs[i] = rnd.nextBoolean() ? rnd.nextInt(100) : rnd.nextDouble() * 1e6;
                }
                w.append(t, ts, vs, 0, n);
            }
            w.endSeries();
            file = w.finish().file();
        }
        SegmentReader r = SegmentReader.open(file, id);
        r.ref(); // the caller unrefs it, which closes it
        return r;
    }
}
