package io.ugnos.jdbc.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hostile SQL for the fuzz tests: a vocabulary of SQL and ugnos DDL tokens, a corpus of valid
 * statements (queries, the DDL grammar's commands, INSERT forms) and mutations of it, and random
 * parameter values for prepared statements. The series {@code cpu} and {@code "cpu.usage_user"}
 * exist in the fuzzed database; {@code sentinel} is never named, so its data must survive.
 */
final class HostileSql {
    private HostileSql() {
    }

    static final List<String> CORPUS = List.of(
            "SELECT ts, value, host FROM cpu WHERE ts >= TIMESTAMP '2026-01-01 00:00:00' AND host = 'web-1'",
            "SELECT COUNT(*), SUM(value), MIN(value), MAX(value), AVG(value) FROM cpu",
            "SELECT time_bucket(INTERVAL '5' MINUTE, ts) AS b, first(value, ts), last(value, ts) FROM cpu GROUP BY 1 ORDER BY b",
            "SELECT FLOOR(ts TO MINUTE) AS m, MAX(value) FROM \"cpu.usage_user\" WHERE host IN ('web-1', 'web-2') GROUP BY FLOOR(ts TO MINUTE) ORDER BY m DESC LIMIT 3",
            "SELECT ts, value FROM cpu ORDER BY ts DESC LIMIT 5 OFFSET 1",
            "SELECT host, COUNT(*) FROM cpu WHERE host LIKE 'web%' OR host IS NULL GROUP BY host HAVING COUNT(*) > 1",
            "SELECT a.ts, b.value FROM cpu a JOIN \"cpu.usage_user\" b ON a.ts = b.ts WHERE NOT (a.host <> 'x')",
            "SELECT * FROM cpu WHERE ts_ns BETWEEN 0 AND 9223372036854775807 AND value > 1e308",
            "SELECT ts, usage_user FROM cpu WHERE usage_user > 90",
            "SELECT CAST('NaN' AS DOUBLE), -0.0, 1e-400, TIMESTAMP '1970-01-01 00:00:00' + INTERVAL '1' DAY FROM cpu LIMIT 1",
            "SELECT ts FROM cpu WHERE ts >= CURRENT_TIMESTAMP - INTERVAL '1' HOUR",
            "SELECT * FROM (SELECT host, value * 2 AS v FROM cpu) t WHERE v > (SELECT AVG(value) FROM cpu)",
            "EXPLAIN PLAN FOR SELECT MAX(value) FROM cpu WHERE host = 'web-1'",
            "VALUES 1",
            "CREATE SERIES IF NOT EXISTS fz WITH (retention = '30d')",
            "CREATE SERIES \"fz.a\"",
            "DROP SERIES IF EXISTS fz",
            "ALTER SERIES fz SET RETENTION '365d'",
            "ALTER SERIES cpu SET RETENTION NONE",
            "ALTER DATABASE SET RETENTION DEFAULT",
            "ALTER DATABASE SET RETENTION '3650d'",
            "DELETE FROM fz WHERE ts < TIMESTAMP '2020-01-01 00:00:00'",
            "DELETE FROM cpu WHERE ts_ns < 5",
            "COMPACT",
            "COMPACT SERIES cpu",
            "FLUSH",
            "SHOW SERIES",
            "SHOW RETENTION",
            "SHOW STATS",
            "INSERT INTO cpu (ts, value, host) VALUES (TIMESTAMP '2026-03-01 12:00:00', 1.5, 'web-1'), (TIMESTAMP '2026-03-01 12:00:01', 2.5, 'web-2')",
            "INSERT INTO fz (ts_ns, value) VALUES (1772366400000000001, 2.0)",
            "INSERT INTO fz (ts_ns, value, host) SELECT ts_ns, value, host FROM cpu WHERE host = 'web-1'",
            "INSERT INTO fz (ts, value) VALUES (CURRENT_TIMESTAMP, CAST('NaN' AS DOUBLE))");

    static final List<String> VOCABULARY = List.of(
            "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "HAVING", "LIMIT", "OFFSET", "AND", "OR", "NOT", "IN",
            "IS", "NULL", "LIKE", "BETWEEN", "AS", "JOIN", "ON", "UNION", "ALL", "DISTINCT", "DESC", "ASC", "CASE",
            "WHEN", "THEN", "ELSE", "END", "CAST", "VALUES", "EXPLAIN", "PLAN", "FOR", "WITH", "OVER", "PARTITION",
            "CREATE", "DROP", "ALTER", "DELETE", "INSERT", "INTO", "SERIES", "DATABASE", "SET", "RETENTION", "NONE",
            "DEFAULT", "IF", "EXISTS", "COMPACT", "FLUSH", "SHOW", "STATS", "TIMESTAMP", "INTERVAL", "DAY", "HOUR",
            "MINUTE", "SECOND", "MONTH", "TO", "DOUBLE", "BIGINT", "VARCHAR",
            "cpu", "\"cpu.usage_user\"", "cpu.usage_user", "fz", "nosuch", "\"no.such\"", "ts", "ts_ns", "value",
            "host", "usage_user", "nocol", "\"\"", "\"a\"\"b\"", "\"ü.名前\"", "\"x.y.z\"", "\"with space\"", "\"\\\"",
            "*", "(", ")", ",", ";", ".", "=", "<", ">", "<=", ">=", "<>", "!=", "+", "-", "/", "%", "||", "?", ":",
            "0", "1", "-1", "-0", "-0.0", "0.5", "1e308", "1e309", "-1e-400", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "99999999999999999999999999999999999999",
            "'NaN'", "'Infinity'", "'-0'", "''", "'it''s'", "'web-1'", "'\\'", "'ü名前🙂'", "'%'", "'30d'", "'1s'",
            "'0d'", "'-5d'", "'9999999999999d'", "'bogus'",
            "TIMESTAMP '2026-01-01 00:00:00'", "TIMESTAMP '1970-01-01 00:00:00'", "TIMESTAMP '9999-12-31 23:59:59'",
            "TIMESTAMP '0001-01-01 00:00:00'", "TIMESTAMP '2026-02-30 00:00:00'", "INTERVAL '5' MINUTE",
            "INTERVAL '0' SECOND", "INTERVAL '-1' DAY", "INTERVAL '99999999' DAY", "CURRENT_TIMESTAMP",
            "time_bucket(", "first(", "last(", "FLOOR(", "COUNT(", "SUM(", "MAX(", "AVG(", "ABS(", "SUBSTRING(",
            "time_bucket(INTERVAL '5' MINUTE, ts)", "time_bucket(INTERVAL '0' SECOND, ts)", "first(value, ts)",
            "last(value, ts)", "FLOOR(ts TO DAY)", "COUNT(*)", "--", "/*", "*/", "\n", "\u0000", "$1", "@", "#", "`");

    private static final Pattern TOKEN = Pattern.compile(
            "'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[A-Za-z_][A-Za-z0-9_.]*\\(?|[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|<=|>=|<>|!=|\\|\\||\\S");

    static List<String> tokens(String sql) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(sql);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Random sequences of vocabulary tokens. */
    static Arbitrary<String> tokenSoup() {
        Arbitrary<String> sep = Arbitraries.of(" ", " ", " ", "", "\t", "\n");
        return Combinators.combine(Arbitraries.of(VOCABULARY).list().ofMinSize(1).ofMaxSize(30), sep)
                .as((ts, s) -> String.join(s, ts));
    }

    /** Garbage to insert: quotes, backslashes, control characters, surrogates, long runs. */
    static Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4),
                Arbitraries.of("'", "\"", "\\", "(", ")", ";", "\u0000", "\uD800", "\uFFFF", "--", "/*", "e", "-", "?",
                        "'''", "\"\"\""),
                Arbitraries.of('(', ')', '\'', '9', 'x').map(c -> String.valueOf(c).repeat(2_000)));
    }

    /** One edit of a token list. */
    private record Mutation(int kind, int at, int other, String text) {
        List<String> apply(List<String> ts) {
            List<String> r = new ArrayList<>(ts);
            if (r.isEmpty()) {
                r.add(text);
                return r;
            }
            int i = at % r.size();
            int j = other % r.size();
            switch (kind) {
                case 0 -> r.remove(i);
                case 1 -> r.add(i, r.get(i));
                case 2 -> {
                    String t = r.get(i);
                    r.set(i, r.get(j));
                    r.set(j, t);
                }
                case 3 -> r.subList(i, r.size()).clear();
                case 4 -> r.add(i, text);
                case 5 -> r.set(i, text);
                default -> { // garbage inside a token (a string literal, a name, a number)
                    String t = r.get(i);
                    int p = t.isEmpty() ? 0 : other % (t.length() + 1);
                    r.set(i, t.substring(0, p) + text + t.substring(p));
                }
            }
            return r;
        }
    }

    /** A corpus statement with one to four token edits (delete, duplicate, swap, truncate, insert, replace). */
    static Arbitrary<String> mutatedStatement() {
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 1_000), Arbitraries.integers().between(0, 1_000),
                Arbitraries.oneOf(Arbitraries.of(VOCABULARY), garbage())).as(Mutation::new);
        return Combinators.combine(Arbitraries.of(CORPUS), mutation.list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.of(" ", "", "  \n"))
                .as((sql, ms, sep) -> {
                    List<String> ts = tokens(sql);
                    for (Mutation m : ms) {
                        ts = m.apply(ts);
                    }
                    return String.join(sep, ts);
                });
    }

    static final List<String> PREPARED = List.of(
            "SELECT ts, value FROM cpu WHERE ts >= ? AND host = ?",
            "SELECT COUNT(*) FROM cpu WHERE value > ? OR host IN (?, ?)",
            "SELECT time_bucket(?, ts), MAX(value) FROM cpu WHERE ts_ns < ? GROUP BY 1",
            "SELECT ? FROM cpu LIMIT ?",
            "SELECT * FROM cpu WHERE host LIKE ? ESCAPE ?",
            "INSERT INTO fz (ts, value, host) VALUES (?, ?, ?)",
            "INSERT INTO fz (ts_ns, value) VALUES (?, ?), (?, ?)",
            "INSERT INTO fz (ts, value, host) SELECT ts, value, ? FROM cpu WHERE ts > ?",
            "SHOW SERIES",
            "DELETE FROM fz WHERE ts < ?",
            "ALTER SERIES fz SET RETENTION ?");

    /** Values of every kind a caller may pass to {@code setObject}. */
    static Arbitrary<Object> parameterValue() {
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MAX_VALUE,
                        Double.MIN_VALUE, 1.5).map(d -> (Object) d),
                Arbitraries.of(Float.NaN, 3.5f).map(f -> (Object) f),
                Arbitraries.of("", "web-1", "NaN", "1e999", "2026-01-01 00:00:00", "2026-13-45", "' OR 1=1 --",
                        "\u0000", "\uD800", "x".repeat(100_000), "INTERVAL '5' MINUTE").map(s -> (Object) s),
                Arbitraries.strings().ofMaxLength(50).map(s -> (Object) s),
                Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("-0.000"), BigDecimal.TEN).map(b -> (Object) b),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b),
                Arbitraries.of(new Timestamp(0), new Timestamp(Long.MAX_VALUE), new Timestamp(Long.MIN_VALUE),
                        new Timestamp(1_767_225_600_000L)).map(t -> (Object) t),
                Arbitraries.of(Instant.EPOCH, Instant.MAX, Instant.MIN, LocalDate.of(2026, 1, 1),
                        LocalDateTime.of(2026, 1, 1, 0, 0), new java.util.Date(0)).map(o -> (Object) o),
                Arbitraries.of(new byte[]{1, 2}, new int[]{1}, UUID.nameUUIDFromBytes(new byte[0]), new Object(),
                        java.time.Duration.ofMinutes(5), List.of(1, 2)).map(o -> o));
    }
}
