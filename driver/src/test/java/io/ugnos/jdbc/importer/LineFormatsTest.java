package io.ugnos.jdbc.importer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineFormatsTest {
    record Point(String series, Map<String, String> tags, long ts, double value) {
    }

    private static List<Point> parse(LineFormat f, String... lines) {
        List<Point> out = new ArrayList<>();
        for (String l : lines) {
            f.parse(l, (s, tags, ts, v) -> out.add(new Point(s, new TreeMap<>(tags), ts, v)));
        }
        return out;
    }

    private static LineProtocolFormat lp() {
        return new LineProtocolFormat(TimestampPrecision.NS, () -> 42L);
    }

    @Test
    void lineProtocolMakesOneSeriesPerField() {
        assertThat(parse(lp(), "cpu,host=web-1,region=eu usage_user=12.5,usage_system=3i 1767225600000000000")).containsExactly(
                new Point("cpu.usage_user", Map.of("host", "web-1", "region", "eu"), 1767225600000000000L, 12.5),
                new Point("cpu.usage_system", Map.of("host", "web-1", "region", "eu"), 1767225600000000000L, 3.0));
    }

    @Test
    void lineProtocolReadsEveryNumericKindSkipsStringsAndDefaultsTheTime() {
        LineProtocolFormat f = lp();
        assertThat(parse(f, "m a=1u,b=t,c=FALSE,d=-1.5e3,e=\"a string, with = and spaces\"", "# comment", ""))
                .extracting(Point::series, Point::ts, Point::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("m.a", 42L, 1.0),
                        org.assertj.core.groups.Tuple.tuple("m.b", 42L, 1.0),
                        org.assertj.core.groups.Tuple.tuple("m.c", 42L, 0.0),
                        org.assertj.core.groups.Tuple.tuple("m.d", 42L, -1500.0));
        assertThat(f.skippedStringFields()).isEqualTo(1);
    }

    @Test
    void lineProtocolHonoursEscapesAndPrecision() {
        LineProtocolFormat f = new LineProtocolFormat(TimestampPrecision.MS, () -> 0);
        assertThat(parse(f, "disk,path=/var\\ log,dev=a\\,b,k\\=x=v free=1 1700000000000")).containsExactly(
                new Point("disk.free", Map.of("path", "/var log", "dev", "a,b", "k=x", "v"), 1700000000000_000000L, 1.0));
    }

    @Test
    void lineProtocolErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> parse(lp(), "cpu")).hasMessageContaining("space-separated parts");
        assertThatThrownBy(() -> parse(lp(), "cpu value")).hasMessageContaining("'value' is not key=value");
        assertThatThrownBy(() -> parse(lp(), "cpu v=abc")).hasMessageContaining("'abc' is not a number");
        assertThatThrownBy(() -> parse(lp(), "cpu v=1 yesterday")).hasMessageContaining("'yesterday' is neither");
        assertThatThrownBy(() -> parse(lp(), "9cpu v=1")).isInstanceOf(ImportException.class).hasMessageContaining("9cpu.v");
        assertThatThrownBy(() -> parse(lp(), "cpu v=\"open")).hasMessageContaining("unterminated");
    }

    @Test
    void csvWithASeriesColumnAndTags() {
        CsvFormat f = new CsvFormat(null, TimestampPrecision.NS);
        assertThat(parse(f,
                "series,ts,value,host,region",
                "cpu.usage_user,2026-01-01T00:00:00Z,12.5,web-1,eu",
                "cpu.usage_user,1767225610000000000,13,\"web,2\",",
                "mem.used,2026-01-01 00:00:01.5,50,db-1,us")).containsExactly(
                new Point("cpu.usage_user", Map.of("host", "web-1", "region", "eu"), 1767225600000000000L, 12.5),
                new Point("cpu.usage_user", Map.of("host", "web,2"), 1767225610000000000L, 13.0),
                new Point("mem.used", Map.of("host", "db-1", "region", "us"), 1767225601500000000L, 50.0));
    }

    @Test
    void csvWithoutASeriesColumnUsesTheGivenSeries() {
        CsvFormat f = new CsvFormat("temp", TimestampPrecision.S);
        assertThat(parse(f, "time,room,value", "1700000000,kitchen,21.5", "2023-11-14T22:13:21+01:00,hall,19"))
                .containsExactly(
                        new Point("temp", Map.of("room", "kitchen"), 1700000000_000000000L, 21.5),
                        new Point("temp", Map.of("room", "hall"), 1699996401_000000000L, 19.0));
    }

    @Test
    void csvErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> parse(new CsvFormat(null, TimestampPrecision.NS), "ts,value,host"))
                .hasMessageContaining("no series column");
        assertThatThrownBy(() -> parse(new CsvFormat("s", TimestampPrecision.NS), "series,host"))
                .hasMessageContaining("must name a ts and a value column");
        assertThatThrownBy(() -> parse(new CsvFormat("s", TimestampPrecision.NS), "ts,value", "1,2,3"))
                .hasMessageContaining("expected 2 fields as in the header, found 3");
        assertThatThrownBy(() -> parse(new CsvFormat("s", TimestampPrecision.NS), "ts,value", "1,high"))
                .hasMessageContaining("value 'high' is not a number");
        assertThatThrownBy(() -> parse(new CsvFormat("s", TimestampPrecision.NS), "ts,value", "1,\"2"))
                .hasMessageContaining("unterminated double quote");
    }

    /** Found by HostileImportPropertiesTest: a reserved tag column was refused by the engine for the whole batch, not at its line. */
    @Test
    void csvChecksTagsAtTheirLine() {
        assertThatThrownBy(() -> parse(new CsvFormat(null, TimestampPrecision.NS), "series,ts,value,ts_ns", "s,1,2,3"))
                .isInstanceOf(ImportException.class).hasMessageContaining("tag key 'ts_ns' in series 's' is reserved");
        assertThatThrownBy(() -> parse(new CsvFormat(null, TimestampPrecision.NS), "series,ts,value,h", "s,1,2," + "x".repeat(30_000)))
                .isInstanceOf(ImportException.class).hasMessageContaining("value of tag 'h' in series 's' is longer than");
    }
}
