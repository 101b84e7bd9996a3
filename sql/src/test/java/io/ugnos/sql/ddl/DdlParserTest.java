package io.ugnos.sql.ddl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parser alone: which statements it owns, what it builds, the duration forms it accepts. */
class DdlParserTest {
    @Test
    void ownsStatementsByTheirFirstWordAfterBlanksAndComments() {
        assertThat(DdlParser.handles("  -- note\n /* x */ show series")).isTrue();
        assertThat(DdlParser.handles("drop series a")).isTrue();
        assertThat(DdlParser.handles("SELECT 1")).isFalse();
        assertThat(DdlParser.handles("(SELECT 1)")).isFalse();
        assertThat(DdlParser.handles("")).isFalse();
        assertThat(DdlParser.firstWord("/* unterminated")).isEmpty();
    }

    @Test
    @Timeout(5)
    void longBlankPrefixesAreScannedInLinearTime() {
        assertThat(DdlParser.handles(" ".repeat(100_000) + "(")).isFalse();
        assertThat(DdlParser.handles("-- a\n".repeat(20_000) + "FLUSH")).isTrue();
    }

    @Test
    void buildsCommandsWithUnquotedNames() throws Exception {
        assertThat(DdlParser.parse("create series if not exists \"a\"\"b\" with (RETENTION = '1h')"))
                .isEqualTo(new DdlCommand.CreateSeries("a\"b", true, new DdlCommand.Retention(Duration.ofHours(1))));
        assertThat(DdlParser.parse("DELETE FROM s WHERE ts < '2024-01-01T00:00:00+01:00'"))
                .isEqualTo(new DdlCommand.DeleteBefore("s", 1704063600L * 1_000_000_000L));
        assertThat(DdlParser.parse("DELETE FROM s WHERE \"ts_ns\" < -3")).isEqualTo(new DdlCommand.DeleteBefore("s", -3));
        assertThat(DdlParser.parse("compact;")).isEqualTo(new DdlCommand.Compact(null));
        assertThatThrownBy(() -> DdlParser.parse("DELETE FROM s WHERE ts_ns < 99999999999999999999"))
                .isInstanceOf(java.sql.SQLDataException.class).hasMessageContaining("64-bit");
    }

    @Test
    void acceptsTheDocumentedDurationForms() throws Exception {
        assertThat(RetentionDurations.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(RetentionDurations.parse("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(RetentionDurations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(RetentionDurations.parse("45 s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(RetentionDurations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(RetentionDurations.parse("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(RetentionDurations.parse("7 Days")).isEqualTo(Duration.ofDays(7));
        assertThat(RetentionDurations.parse("1 hour")).isEqualTo(Duration.ofHours(1));
        assertThat(RetentionDurations.parse("P30D")).isEqualTo(Duration.ofDays(30));
        assertThat(RetentionDurations.parse("pt12h")).isEqualTo(Duration.ofHours(12));
        for (String bad : new String[] {"0d", "-1d", "1 month", "1y", "d", "", "P1M", "99999999999999999999d"}) {
            assertThatThrownBy(() -> RetentionDurations.parse(bad)).as(bad).isInstanceOf(java.sql.SQLDataException.class);
        }
        assertThat(RetentionDurations.format(Duration.ofDays(14))).isEqualTo("2w");
        assertThat(RetentionDurations.format(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(RetentionDurations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
