package io.ugnos.sql;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The core-grammar-first parser reads every statement as Babel alone does, and fails where Babel
 * fails with Babel's message and position.
 */
class CoreFirstParserTest {
    /** The parser settings of a ugnos connection (UgnosSql.connect). */
    private static final SqlParser.Config BABEL = SqlParser.config().withQuoting(Quoting.DOUBLE_QUOTE)
            .withCaseSensitive(false).withUnquotedCasing(Casing.UNCHANGED).withQuotedCasing(Casing.UNCHANGED)
            .withConformance(SqlConformanceEnum.LENIENT).withParserFactory(SqlBabelParserImpl.FACTORY);
    private static final SqlParser.Config CORE_FIRST = BABEL.withParserFactory(CoreFirstParser.factory(SqlBabelParserImpl.FACTORY));

    @ParameterizedTest
    @ValueSource(strings = {
            // both grammars accept these: the core parser reads them
            "SELECT FLOOR(ts TO MINUTE) AS m, MAX(\"value\") FROM \"cpu.usage_user\" WHERE hostname = 'h' AND ts >= TIMESTAMP '2026-01-01 00:00:00' AND 7 = 7 GROUP BY FLOOR(ts TO MINUTE) ORDER BY m",
            "SELECT \"value\"::INTEGER, CAST(\"value\" AS INTEGER) FROM t",
            "SELECT * FROM t WHERE ts > CURRENT_TIMESTAMP - INTERVAL '1' HOUR LIMIT 10 OFFSET 5",
            "SELECT * FROM t ORDER BY ts DESC NULLS LAST FETCH FIRST 3 ROWS ONLY",
            "SELECT * FROM t WHERE a IS DISTINCT FROM 'x' AND a ILIKE 'x%' AND a LIKE 'x!%' ESCAPE '!' AND a != 'y'",
            "SELECT DATE '2020-01-01', TIME '10:00:00', TIMESTAMP '2020-01-01 00:00:00', 1e3, 1.5, -2, X'AB', 'it''s' FROM t",
            "SELECT a, COUNT(*), COUNT(DISTINCT b) FROM t GROUP BY a HAVING COUNT(*) > 1",
            "SELECT hostname FROM \"cpu.usage_user\" WHERE hostname IN ('a', 'b') AND ts BETWEEN TIMESTAMP '2020-01-01 00:00:00' AND TIMESTAMP '2020-01-02 00:00:00'",
            "SELECT EXTRACT(HOUR FROM ts), CASE WHEN a = 1 THEN 'x' ELSE 'y' END FROM t",
            "WITH x AS (SELECT a FROM t) SELECT * FROM x t1 JOIN u t2 ON t1.a = t2.a UNION ALL SELECT b, c FROM v",
            "SELECT a FROM t WHERE a = ANY (SELECT b FROM u) AND EXISTS (SELECT 1 FROM u) AND b = ?",
            "SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY ts), TIMESTAMPADD(MINUTE, 5, ts) FROM t",
            "SELECT SUBSTRING(a FROM 1 FOR 2), POSITION('a' IN a), TRIM(a), a || 'x' FROM t",
            "SELECT MIN(\"value\"), MAX(ts), AVG(\"value\") FROM \"cpu.usage_user\" GROUP BY hostname",
            "EXPLAIN PLAN FOR SELECT a FROM t",
            // only Babel accepts these: Babel reads them
            "SELECT value FROM t",
            "SELECT MAX(value) AS v, ts FROM \"cpu.usage_user\" WHERE Value > 1",
            "SELECT DATEADD(day, 1, ts) FROM t",
            "SELECT a FROM t WHERE a = $1",
    })
    void readsAsBabelDoes(String sql) throws SqlParseException {
        assertThat(SqlParser.create(sql, CORE_FIRST).parseStmt().toString())
                .isEqualTo(SqlParser.create(sql, BABEL).parseStmt().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT FROM t",
            "SELECT a FROM t WHERE",
            "SELECT a FROM t WHERE b = 'unterminated",
            "SELECT a # b FROM t",
            "SELECT value FROM t WHERE value >",
    })
    void failsWithBabelsMessageAndPosition(String sql) {
        SqlParseException expected = catchThrowableOfType(SqlParseException.class, () -> SqlParser.create(sql, BABEL).parseStmt());
        SqlParseException actual = catchThrowableOfType(SqlParseException.class, () -> SqlParser.create(sql, CORE_FIRST).parseStmt());
        assertThat(expected).isNotNull();
        assertThat(actual).isNotNull();
        assertThat(actual.getMessage()).isEqualTo(expected.getMessage());
        assertThat(actual.getPos()).isEqualTo(expected.getPos());
    }

    /** The core grammar would read the unit as a column ("Column 'week' not found"); Babel reads it as a unit. */
    @Test
    void babelsDateFunctionsKeepTheirUnits() throws Exception {
        try (SqlTestDb t = new SqlTestDb(); java.sql.Statement s = t.connection().createStatement()) {
            s.execute("INSERT INTO cpu (ts, value, host) VALUES (TIMESTAMP '2026-01-07 00:00:00', 1.0, 'h1')");
            try (java.sql.ResultSet rs = s.executeQuery("SELECT DATE_PART(week, ts), DATE_PART(quarter, ts) FROM cpu")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2); // ISO week of 2026-01-07
                assertThat(rs.getLong(2)).isEqualTo(1);
            }
        }
        assertThat(CoreFirstParser.LENIENT_WORDS.matcher("SELECT datepart(week, ts) FROM t").find()).isTrue();
        assertThat(CoreFirstParser.LENIENT_WORDS.matcher("SELECT \"dateadd_x\" FROM t").find()).isFalse();
    }

    @Test
    void unquotedValueIsRecognisedAsAWordOnly() {
        assertThat(CoreFirstParser.LENIENT_WORDS.matcher("SELECT MAX(value) FROM t").find()).isTrue();
        assertThat(CoreFirstParser.LENIENT_WORDS.matcher("SELECT VALUE FROM t").find()).isTrue();
        assertThat(CoreFirstParser.LENIENT_WORDS.matcher("SELECT MAX(\"value\") FROM t").find()).isFalse();
        assertThat(CoreFirstParser.LENIENT_WORDS.matcher("SELECT value_x, xvalue FROM t").find()).isFalse();
    }
}
