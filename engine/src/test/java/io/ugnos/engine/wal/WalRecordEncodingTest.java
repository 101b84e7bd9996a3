package io.ugnos.engine.wal;

import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.codec.EncodeBuffer;
import io.ugnos.engine.format.ByteReader;
import io.ugnos.engine.format.Strings;
import io.ugnos.engine.index.TagSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record's bytes are the documented format (write-path.md), spelled out here field by field,
 * whether a run's tag set is encoded fresh or copied from what the run cached on an earlier write of
 * a reused batch; {@link WalRecord#sizeBound} is never below the record; decoding gives the batch back.
 */
class WalRecordEncodingTest {
    private static final String[] WORDS = {"host", "h", "région", "数据", "😀x", "", "dc", "a-b_c.d"};

    private static String word(Random rnd) {
        return WORDS[rnd.nextInt(WORDS.length)] + rnd.nextInt(50);
    }

    /** The format, independently of WalRecord: the fields in order, strings as varint length + UTF-8. */
    private static byte[] reference(long seq, WriteBatch batch) {
        EncodeBuffer out = new EncodeBuffer(64);
        out.writeLong(seq);
        out.writeLong(0);
        List<Map.Entry<String, Map<TagSet, WriteBatch.Run>>> series = new ArrayList<>();
        for (Map.Entry<String, Map<TagSet, WriteBatch.Run>> s : batch.runs().entrySet()) {
            if (s.getValue().values().stream().anyMatch(r -> r.size() > 0)) {
                series.add(s);
            }
        }
        out.writeVarLong(series.size());
        for (Map.Entry<String, Map<TagSet, WriteBatch.Run>> s : series) {
            Strings.write(out, s.getKey());
            out.writeVarLong(s.getValue().values().stream().filter(r -> r.size() > 0).count());
            for (WriteBatch.Run r : s.getValue().values()) {
                if (r.size() == 0) {
                    continue;
                }
                TagSet t = r.tags();
                out.writeVarLong(t.size());
                for (int i = 0; i < t.size(); i++) {
                    Strings.write(out, t.key(i));
                    Strings.write(out, t.value(i));
                }
                out.writeVarLong(r.size());
                for (int i = 0; i < r.size(); i++) {
                    out.writeLong(r.timestamp(i));
                    out.writeLong(Double.doubleToRawLongBits(r.value(i)));
                }
            }
        }
        return Arrays.copyOf(out.array(), out.size());
    }

    private static byte[] encode(long seq, WriteBatch batch) {
        EncodeBuffer out = new EncodeBuffer(16);
        long bound = WalRecord.sizeBound(batch);
        WalRecord.encode(seq, batch, out);
        assertThat((long) out.size()).as("size bound").isLessThanOrEqualTo(bound);
        return Arrays.copyOf(out.array(), out.size());
    }

    @Property(tries = 200)
    void aRecordIsTheDocumentedBytesFreshOrFromARunsCachedTags(@ForAll long seed) {
        Random rnd = new Random(seed);
        WriteBatch batch = new WriteBatch();
        int runCount = 1 + rnd.nextInt(8);
        List<WriteBatch.Run> runs = new ArrayList<>();
        for (int k = 0; k < runCount; k++) {
            String[] kv = new String[2 * rnd.nextInt(4)];
            for (int i = 0; i < kv.length; i += 2) {
                kv[i] = word(rnd) + i; // distinct keys
                kv[i + 1] = word(rnd);
            }
            runs.add(batch.run("s" + rnd.nextInt(3), TagSet.of(kv)));
        }
        for (int round = 0; round < 3; round++) { // the second and third encode copy the cached tag bytes
            batch.reset();
            for (WriteBatch.Run r : runs) {
                int n = round == 0 ? 1 + rnd.nextInt(5) : rnd.nextInt(6); // some runs empty after a reset
                for (int i = 0; i < n; i++) {
                    r.add(rnd.nextLong(), rnd.nextDouble() * 1e6);
                }
            }
            if (batch.isEmpty()) {
                continue;
            }
            long seq = rnd.nextLong() & Long.MAX_VALUE;
            byte[] bytes = encode(seq, batch);
            assertThat(bytes).as("round %d", round).isEqualTo(reference(seq, batch));
            WriteBatch back = new WriteBatch();
            WalRecord.Header h = WalRecord.decode(new ByteReader(bytes, 0, bytes.length), back);
            assertThat(h.seq()).isEqualTo(seq);
            assertThat(encode(seq, back)).isEqualTo(bytes);
        }
    }
}
