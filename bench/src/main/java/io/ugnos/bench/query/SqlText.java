package io.ugnos.bench.query;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/** Small pieces of SQL text shared by the dialects: literals and lists. */
final class SqlText {
    private static final DateTimeFormatter SQL_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private SqlText() {
    }

    /** {@code TIMESTAMP 'yyyy-MM-dd HH:mm:ss.SSS'} in UTC (standard SQL; Calcite and DuckDB). */
    static String timestamp(long epochNanos) {
        return "TIMESTAMP '" + SQL_TS.format(instant(epochNanos)) + "'";
    }

    /** {@code 'yyyy-MM-ddTHH:mm:ss.SSSSSSZ'}: QuestDB's timestamp literal. */
    static String isoString(long epochNanos) {
        return "'" + ISO_TS.format(instant(epochNanos)) + "'";
    }

    /** {@code ('a', 'b')}. */
    static String stringList(List<String> values) {
        return values.stream().map(v -> "'" + v.replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
