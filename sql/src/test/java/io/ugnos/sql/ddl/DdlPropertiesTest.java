package io.ugnos.sql.ddl;

import io.ugnos.sql.SqlTestDb;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random statement sequences against a model: series created, dropped, written and trimmed by DELETE
 * through SQL hold exactly what a map of maps says; and mutated statements never escape JDBC as
 * anything but an SQLException.
 */
class DdlPropertiesTest {
    private static final List<String> NAMES = List.of("a", "b", "c.d");
    private static SqlTestDb t;

    @BeforeContainer
    static void open() throws Exception {
        t = new SqlTestDb();
    }

    @AfterContainer
    static void close() throws Exception {
        t.close();
    }

    /** One step of a sequence: its SQL and how it changes the model (or that it must fail). */
    sealed interface Op {
        String sql();
    }

    record Create(String series, boolean ifNotExists) implements Op {
        public String sql() {
            return "CREATE SERIES " + (ifNotExists ? "IF NOT EXISTS " : "") + quote(series);
        }
    }

    record Drop(String series, boolean ifExists) implements Op {
        public String sql() {
            return "DROP SERIES " + (ifExists ? "IF EXISTS " : "") + quote(series);
        }
    }

    record Insert(String series, long ts, double value) implements Op {
        public String sql() {
            return "INSERT INTO " + quote(series) + " (ts_ns, value) VALUES (" + ts + ", " + value + ")";
        }
    }

    record Delete(String series, long before) implements Op {
        public String sql() {
            return "DELETE FROM " + quote(series) + " WHERE ts_ns < " + before;
        }
    }

    record Maintenance(String sql) implements Op {
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    @Provide
    Arbitrary<List<Op>> sequences() {
        Arbitrary<String> name = Arbitraries.of(NAMES);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Combinators.combine(name, Arbitraries.of(true, false)).as(Create::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(name, Arbitraries.of(true, false)).as(Drop::new)),
                net.jqwik.api.Tuple.of(6, Combinators.combine(name, Arbitraries.longs().between(0, 20),
                        Arbitraries.integers().between(-5, 5).map(i -> (double) i)).as(Insert::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(name, Arbitraries.longs().between(0, 20)).as(Delete::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("FLUSH", "COMPACT").map(Maintenance::new)));
        return op.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 25)
    void statementSequencesAgreeWithAModel(@ForAll("sequences") List<Op> ops) throws Exception {
        for (String s : t.db().series()) {
            t.update("DROP SERIES " + quote(s));
        }
        Map<String, TreeMap<Long, Double>> model = new TreeMap<>();
        Map<String, Long> watermark = new TreeMap<>();
        for (Op op : ops) {
            String target = op instanceof Create c ? c.series() : op instanceof Drop d ? d.series()
                    : op instanceof Delete d ? d.series() : null;
            boolean exists = target != null && model.containsKey(target);
            boolean fails = op instanceof Create c ? exists && !c.ifNotExists()
                    : op instanceof Drop d ? !exists && !d.ifExists()
                    : op instanceof Delete && !exists;
            if (fails) {
                assertThatThrownBy(() -> t.update(op.sql())).as(op.sql()).isInstanceOf(SQLSyntaxErrorException.class);
                continue;
            }
            assertThat(t.update(op.sql())).as(op.sql()).isGreaterThanOrEqualTo(0);
            if (op instanceof Create c) {
                model.putIfAbsent(c.series(), new TreeMap<>());
            } else if (op instanceof Drop d) {
                model.remove(d.series());
                watermark.remove(d.series());
            } else if (op instanceof Insert i) {
                TreeMap<Long, Double> m = model.computeIfAbsent(i.series(), x -> new TreeMap<>());
                if (i.ts() >= watermark.getOrDefault(i.series(), Long.MIN_VALUE)) {
                    m.put(i.ts(), i.value()); // below the watermark, a write is dropped
                }
            } else if (op instanceof Delete d) {
                watermark.merge(d.series(), d.before(), Math::max);
                model.get(d.series()).headMap(watermark.get(d.series())).clear();
            }
        }
        List<List<Object>> shown = t.rows("SHOW SERIES");
        assertThat(shown).containsExactlyElementsOf(model.keySet().stream().map(s -> List.<Object>of(s)).toList());
        for (Map.Entry<String, TreeMap<Long, Double>> e : model.entrySet()) {
            List<List<Object>> expected = new ArrayList<>();
            e.getValue().forEach((ts, v) -> expected.add(List.of(ts, v)));
            assertThat(t.rows("SELECT ts_ns, value FROM " + quote(e.getKey()) + " ORDER BY ts_ns")).as(e.getKey())
                    .containsExactlyElementsOf(expected);
        }
    }

    private static final List<String> VALID = List.of(
            "CREATE SERIES IF NOT EXISTS \"m.x\" WITH (retention = '30d')", "DROP SERIES IF EXISTS \"m.y\"",
            "ALTER SERIES \"m.x\" SET RETENTION '12h'", "ALTER DATABASE SET RETENTION NONE",
            "DELETE FROM \"m.x\" WHERE ts < TIMESTAMP '2024-01-01 00:00:00'", "DELETE FROM \"m.x\" WHERE ts_ns < 5",
            "SHOW SERIES", "SHOW RETENTION", "SHOW STATS", "FLUSH",
            "INSERT INTO \"m.x\" (ts, value, host) VALUES (TIMESTAMP '2024-01-01 00:00:00', 1.5, 'a')",
            "INSERT INTO \"m.x\" (ts_ns, value) VALUES (1, 2), (3, 4)");

    @Provide
    Arbitrary<String> mutated() {
        Arbitrary<String> base = Arbitraries.of(VALID);
        Arbitrary<Character> junk = Arbitraries.of('\'', '"', '(', ')', ',', ';', '-', ' ', 'x', '1', '.', '=', '<', '*', '/', 'é');
        return Combinators.combine(base, Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(4),
                junk.list().ofSize(4), Arbitraries.integers().between(0, 2).list().ofSize(4)).as((s, positions, chars, kinds) -> {
                    StringBuilder b = new StringBuilder(s);
                    for (int i = 0; i < positions.size(); i++) {
                        if (b.length() == 0) {
                            break;
                        }
                        int p = positions.get(i) % b.length();
                        switch (kinds.get(i)) {
                            case 0 -> b.deleteCharAt(p);
                            case 1 -> b.insert(p, chars.get(i));
                            default -> b.setCharAt(p, chars.get(i));
                        }
                    }
                    return b.toString();
                });
    }

    @Property(tries = 400)
    void mutatedStatementsGiveAResultOrAnSqlException(@ForAll("mutated") String sql) {
        try (Statement s = t.connection().createStatement()) {
            if (s.execute(sql)) {
                s.getResultSet().close();
            }
        } catch (SQLException e) {
            assertThat(e.getMessage()).isNotBlank();
            // the guard turns bugs into SQLExceptions too: a programming error as the cause still fails the property
            assertThat(e.getCause() == null ? e : e.getCause()).as(sql).isNotInstanceOfAny(ClassCastException.class, NullPointerException.class,
                    IndexOutOfBoundsException.class, IllegalStateException.class, UnsupportedOperationException.class);
        }
    }
}
