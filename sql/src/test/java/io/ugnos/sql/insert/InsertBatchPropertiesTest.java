package io.ugnos.sql.insert;

import io.ugnos.sql.SqlTestDb;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random batches through a prepared INSERT: what SQL reads back is the model's last write per
 * (timestamp, tag set), and a batch with one bad row leaves the series exactly as it was.
 */
class InsertBatchPropertiesTest {
    private static SqlTestDb t;

    @BeforeContainer
    static void open() {
        t = new SqlTestDb();
    }

    @AfterContainer
    static void close() throws Exception {
        t.close();
    }

    record Row(long ts, double value, String host) {
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        return Combinators.combine(Arbitraries.longs().between(-3, 30), Arbitraries.integers().between(-9, 9).map(i -> i / 2.0),
                Arbitraries.of("a", "b").injectNull(0.3)).as(Row::new).list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 20)
    void batchesReadBackAsTheLastWritePerPointOrNotAtAll(@ForAll("rows") List<Row> first, @ForAll("rows") List<Row> second,
                                                         @ForAll @IntRange(min = -1, max = 39) int badRow) throws Exception {
        if (t.db().hasSeries("p")) {
            t.update("DROP SERIES p");
        }
        Map<List<Object>, Double> model = new TreeMap<>((x, y) -> Arrays.deepToString(x.toArray()).compareTo(Arrays.deepToString(y.toArray())));
        try (PreparedStatement ps = t.connection().prepareStatement("INSERT INTO p (ts_ns, value, host) VALUES (?, ?, ?)")) {
            write(ps, first, -1);
            first.forEach(r -> model.put(Arrays.asList(r.ts(), r.host()), r.value()));
            if (badRow >= 0 && badRow < second.size()) {
                assertThatThrownBy(() -> write(ps, second, badRow)).isInstanceOf(BatchUpdateException.class)
                        .hasMessageContaining("row " + (badRow + 1));
            } else {
                write(ps, second, -1);
                second.forEach(r -> model.put(Arrays.asList(r.ts(), r.host()), r.value()));
            }
        }
        List<List<Object>> expected = new ArrayList<>();
        model.forEach((k, v) -> expected.add(Arrays.asList(k.get(0), k.get(1), v)));
        // a tag column exists once some point has the tag: a batch of NULL hosts adds none
        String host = t.db().tagKeys("p").contains("host") ? "host" : "CAST(NULL AS VARCHAR)";
        List<List<Object>> got = t.rows("SELECT ts_ns, " + host + ", \"value\" FROM p");
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(got.stream().map(r -> Arrays.asList(r.get(0), r.get(1))).distinct().count()).isEqualTo(got.size());
    }

    /** Adds every row (row {@code bad} with a NULL value) and executes the batch. */
    private static void write(PreparedStatement ps, List<Row> rows, int bad) throws Exception {
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            ps.setLong(1, r.ts());
            ps.setObject(2, i == bad ? null : r.value());
            ps.setString(3, r.host());
            ps.addBatch();
        }
        assertThat(ps.executeBatch()).hasSize(rows.size());
    }
}
