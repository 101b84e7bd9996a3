package io.ugnos.engine.memtable;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the inserts (in order or not, duplicates, one point or thousands, across chunk and slab
 * boundaries), a memtable hands a query exactly the points of the inserts it may see, sorted, free
 * of duplicates (the later insert wins), in ascending slices within the asked range.
 */
class MemTablePropertiesTest {
    @Property(tries = 200)
    void sourcesAgreeWithAModelOfTheInserts(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
        Random rnd = new Random(seed);
        MemTable m = new MemTable(1);
        List<long[]> inserts = new ArrayList<>(); // per insert: seq, then pairs
        boolean ordered = rnd.nextBoolean();
        long next = rnd.nextInt(100);
        int count = 1 + rnd.nextInt(40);
        for (int k = 0; k < count; k++) {
            int n = rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(3000) : 1 + rnd.nextInt(40);
            long[] pairs = new long[2 * n];
            for (int i = 0; i < n; i++) {
                long ts = ordered || rnd.nextInt(4) > 0 ? next++ : rnd.nextLong(next + 1);
                pairs[2 * i] = ts;
                pairs[2 * i + 1] = Double.doubleToRawLongBits(rnd.nextInt(1000) / 8.0);
            }
            long seq = k + 1;
            m.insert("s", 0, pairs, n, seq);
            long[] rec = new long[1 + 2 * n];
            rec[0] = seq;
            System.arraycopy(pairs, 0, rec, 1, 2 * n);
            inserts.add(rec);
        }
        for (int q = 0; q < 5; q++) {
            long maxSeq = rnd.nextInt(count + 1);
            long lo = rnd.nextInt(3) == 0 ? Long.MIN_VALUE : rnd.nextLong(next + 1);
            long hi = rnd.nextInt(3) == 0 ? Long.MAX_VALUE : lo + rnd.nextLong(next + 1);
            TreeMap<Long, Long> want = new TreeMap<>();
            for (long[] rec : inserts) {
                if (rec[0] <= maxSeq) {
                    for (int i = 1; i < rec.length; i += 2) {
                        if (rec[i] >= lo && rec[i] <= hi) {
                            want.put(rec[i], rec[i + 1]);
                        }
                    }
                }
            }
            TreeMap<Long, Long> got = new TreeMap<>();
            long[] last = {Long.MIN_VALUE};
            boolean[] first = {true};
            m.source("s", maxSeq).forEachRun(0, lo, hi, (ts, values, off, n) -> {
                assertThat(n).isPositive();
                for (int i = off; i < off + n; i++) {
                    assertThat(first[0] || ts[i] > last[0]).as("strictly ascending across slices").isTrue();
                    first[0] = false;
                    last[0] = ts[i];
                    got.put(ts[i], Double.doubleToRawLongBits(values[i]));
                }
            });
            assertThat(got).as("seed %d, maxSeq %d, [%d, %d]", seed, maxSeq, lo, hi).isEqualTo(want);
        }
        assertThat(m.bytes()).isEqualTo(inserts.stream().mapToLong(r -> (r.length - 1) / 2).sum() * MemTable.BYTES_PER_POINT);
    }
}
