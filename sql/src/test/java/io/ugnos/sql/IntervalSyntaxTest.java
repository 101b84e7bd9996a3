package io.ugnos.sql;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IntervalSyntaxTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ts > now() - interval '1 hour'|ts > now() - interval '1' hour",
            "ts > now() - INTERVAL '15 Minutes' AND x = 'interval ''2 day'''|ts > now() - INTERVAL '15' Minutes AND x = 'interval ''2 day'''",
            "INTERVAL '  -3  weeks ' + INTERVAL '1 day'|INTERVAL '-3'  weeks    + INTERVAL '1' day",
    })
    void movesTheUnitOutOfTheString(String sql, String expected) {
        assertThat(IntervalSyntax.rewrite(sql)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ts > now() - INTERVAL '1' HOUR", // the standard form
            "ts > now() - INTERVAL '1 hour' HOUR", // followed by a unit: the parser decides
            "ts > now() - interval '1 hour 30 minutes'",
            "ts > now() - interval '1:30'",
            "ts > now() - interval '1 fortnight'",
            "ts > now() - interval '1.5 hours'",
            "SELECT 'interval ''1 hour''' -- interval '1 hour'",
            "SELECT 1 /* interval '1 hour' */",
    })
    void leavesEverythingElseAlone(String sql) {
        assertThat(IntervalSyntax.rewrite(sql)).isSameAs(sql);
    }

    /** The rewrite keeps the text's length and every character outside the literal, so error positions hold. */
    @Property(tries = 500)
    void keepsLengthAndPositions(@ForAll("intervals") String interval) {
        String sql = "SELECT ts FROM s WHERE ts > now() - " + interval + " AND nope = 1";
        String rewritten = IntervalSyntax.rewrite(sql);
        assertThat(rewritten).hasSameSizeAs(sql);
        assertThat(rewritten.indexOf("AND nope")).isEqualTo(sql.indexOf("AND nope"));
        assertThat(rewritten.replaceAll("[\\s']", "")).isEqualTo(sql.replaceAll("[\\s']", ""));
    }

    @Provide
    Arbitrary<String> intervals() {
        Arbitrary<String> blank = Arbitraries.of("", " ", "  ");
        Arbitrary<String> unit = Arbitraries.of("hour", "HOURS", "Minute", "seconds", "day", "weeks", "month", "years", "quarter");
        return net.jqwik.api.Combinators.combine(Arbitraries.of("interval", "INTERVAL"), blank, Arbitraries.integers().between(-99, 999),
                Arbitraries.of(" ", "  "), unit, blank).as((kw, lead, n, gap, u, trail) -> kw + " '" + lead + n + gap + u + trail + "'");
    }
}
