package io.ugnos.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LiteralLifterTest {

    @Test
    void liftsWhatColumnsAreComparedWith() {
        LiteralLifter.Lifted l = LiteralLifter.lift("SELECT MAX(\"value\") FROM \"cpu.usage_user\" WHERE hostname = 'it''s'"
                + " AND ts >= TIMESTAMP '2026-01-01 00:00:00.250' AND ts_ns < 42 GROUP BY hostname");
        assertThat(l.sql()).isEqualTo("SELECT MAX(\"value\") FROM \"cpu.usage_user\" WHERE hostname = ? AND ts >= ? AND ts_ns < ? GROUP BY hostname");
        assertThat(l.constants()).containsExactly(new LiteralLifter.Text("it's"),
                new LiteralLifter.Timestamp(Instant.parse("2026-01-01T00:00:00.250Z").toEpochMilli()),
                new LiteralLifter.WholeNumber(new BigDecimal(42)));
    }

    @Test
    void liftsLikePatternsAndInLists() {
        LiteralLifter.Lifted l = LiteralLifter.lift("SELECT * FROM s WHERE host NOT LIKE 'web-_%' AND region IN ('eu', 'us')"
                + " AND n NOT IN (1, 2) AND ts IN (TIMESTAMP '2026-01-01 00:00:00') ORDER BY ts");
        assertThat(l.sql()).isEqualTo("SELECT * FROM s WHERE host NOT LIKE ? AND region IN (?, ?) AND n NOT IN (?, ?) AND ts IN (?) ORDER BY ts");
        assertThat(l.constants()).containsExactly(new LiteralLifter.Text("web-_%"), new LiteralLifter.Text("eu"),
                new LiteralLifter.Text("us"), new LiteralLifter.WholeNumber(BigDecimal.ONE), new LiteralLifter.WholeNumber(BigDecimal.valueOf(2)),
                new LiteralLifter.Timestamp(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli()));
    }

    @Test
    void longInListsStayAsWritten() {
        String items = java.util.stream.IntStream.range(0, LiteralLifter.MAX_LIFTED_IN).mapToObj(i -> "'h" + i + "'")
                .collect(java.util.stream.Collectors.joining(", "));
        assertThat(LiteralLifter.lift("SELECT * FROM s WHERE host IN (" + items + ")").constants()).hasSize(LiteralLifter.MAX_LIFTED_IN);
        assertThat(LiteralLifter.lift("SELECT * FROM s WHERE host IN (" + items + ", 'one more')")).isNull();
    }

    @Test
    void liftsBothBoundsOfBetween() {
        LiteralLifter.Lifted l = LiteralLifter.lift("select * from s where ts not between timestamp '2026-01-01 00:00:00' and timestamp '2026-01-02 00:00:00' or x != 'a'");
        assertThat(l.sql()).isEqualTo("select * from s where ts not between ? and ? or x != ?");
        assertThat(l.constants()).hasSize(3);
    }

    @Test
    void comparisonsInsideParenthesesAndSubqueries() {
        LiteralLifter.Lifted l = LiteralLifter.lift("WITH a AS (SELECT * FROM s WHERE host = 'x') SELECT * FROM a WHERE (region = 'eu' OR region = 'us')");
        assertThat(l.sql()).isEqualTo("WITH a AS (SELECT * FROM s WHERE host = ?) SELECT * FROM a WHERE (region = ? OR region = ?)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM s WHERE \"value\" > 0.5", // a decimal: its type decides how it compares
            "SELECT * FROM s WHERE \"value\" > 1e3",
            "SELECT * FROM s WHERE host = 'pad '", // CHAR comparison ignores trailing blanks
            "SELECT * FROM s WHERE \"value\" = 5 * 2", // the constant is an operand of *
            "SELECT * FROM s WHERE host = 'a' || 'b'",
            "SELECT * FROM s WHERE host = 'a'::varchar",
            "SELECT * FROM s WHERE ts > TIMESTAMP '2026-01-01 00:00:00' - INTERVAL '1' HOUR",
            "SELECT * FROM s WHERE ts > TIMESTAMP '2026-01-01 00:00:00.123456'", // below milliseconds
            "SELECT * FROM s WHERE ts > TIMESTAMP '2026-01-01'",
            "SELECT * FROM s WHERE 5 = 5", // no column: nothing to infer a parameter type from
            "SELECT * FROM s WHERE \"value\" > -5",
            "SELECT * FROM s WHERE host = ? AND region = 'eu'", // has its own parameters
            "SELECT * FROM s WHERE host = E'a\\n'", // a prefixed string
            "SELECT * FROM s WHERE host = 'unterminated",
            "SELECT * FROM s WHERE host = 'a' /* unterminated",
            "SELECT * FROM s WHERE host LIKE 'a!%' ESCAPE '!'", // the escape must stay with its pattern
            "SELECT * FROM s WHERE host LIKE 'a' || '%'",
            "SELECT * FROM s WHERE host IN ('a', NULL)",
            "SELECT * FROM s WHERE host IN ('a', 'b' || 'c')",
            "SELECT * FROM s WHERE host IN (SELECT host FROM t)",
            "SELECT * FROM s WHERE host IN ('a', 'b') = TRUE",
            "SELECT * FROM s WHERE 'a' IN ('a', 'b')",
            "SELECT * FROM s WHERE ts BETWEEN SYMMETRIC 1 AND 2",
            "SELECT * FROM s WHERE max(x) > 5", // a function's result
            "EXPLAIN PLAN FOR SELECT * FROM s WHERE host = 'a'",
            "INSERT INTO s (ts, \"value\") SELECT ts, \"value\" FROM t WHERE host = 'a'",
            "SELECT * FROM s WHERE host = 'a' COLLATE x",
            "SELECT * FROM s WHERE host = `a`",
            "SELECT * FROM s WHERE ts < TIMESTAMP '2026-02-30 00:00:00'", // no such day: Calcite's error, not Feb 28
            "SELECT * FROM s WHERE ts < TIMESTAMP '2026-05-01 24:00:00'",
    })
    void leavesAloneWhatMightChangeMeaning(String sql) {
        assertThat(LiteralLifter.lift(sql)).isNull();
    }

    @Test
    void commentsAndStringsDoNotConfuseIt() {
        LiteralLifter.Lifted l = LiteralLifter.lift("SELECT '?' AS q -- host = 'x'\nFROM s /* = 'y' */ WHERE host = '-- not a comment'");
        assertThat(l.sql()).isEqualTo("SELECT '?' AS q -- host = 'x'\nFROM s /* = 'y' */ WHERE host = ?");
        assertThat(l.constants()).containsExactly(new LiteralLifter.Text("-- not a comment"));
    }

    @Test
    void bindsOnlyWhereTheValueFitsTheParameterExactly() {
        List<LiteralLifter.Constant> five = List.of(new LiteralLifter.WholeNumber(new BigDecimal(5)));
        assertThat(LiteralLifter.bind(five, List.of(Types.INTEGER))).containsExactly(5);
        assertThat(LiteralLifter.bind(five, List.of(Types.DOUBLE))).containsExactly(5.0);
        assertThat(LiteralLifter.bind(five, List.of(Types.BIGINT))).containsExactly(5L);
        assertThat(LiteralLifter.bind(five, List.of(Types.VARCHAR))).isNull();
        assertThat(LiteralLifter.bind(five, List.of(Types.TIMESTAMP))).isNull();
        List<LiteralLifter.Constant> huge = List.of(new LiteralLifter.WholeNumber(new BigDecimal("9007199254740993")));
        assertThat(LiteralLifter.bind(huge, List.of(Types.DOUBLE))).isNull(); // 2^53 + 1 is no double
        assertThat(LiteralLifter.bind(huge, List.of(Types.INTEGER))).isNull();
        assertThat(LiteralLifter.bind(List.of(new LiteralLifter.Text("x")), List.of(Types.TIMESTAMP))).isNull();
        assertThat(LiteralLifter.bind(List.of(new LiteralLifter.Timestamp(7)), List.of(Types.TIMESTAMP))).containsExactly(7L);
        assertThat(LiteralLifter.bind(five, List.of())).isNull();
    }
}
