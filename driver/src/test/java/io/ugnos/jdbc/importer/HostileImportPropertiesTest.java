package io.ugnos.jdbc.importer;

import io.ugnos.engine.Database;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile files for the importers: valid line protocol and CSV lines, the same mutated (bytes
 * deleted, duplicated, swapped, garbage inserted), random text, huge fields, bad escapes, wrong
 * timestamps, NaN/Inf, unicode, blank lines, CRLF, no newline at EOF. Every file either imports or
 * fails with an {@link ImportException} naming the source and line; nothing else escapes; and the
 * database holds exactly the points of the batches written before the failure (the documented
 * behaviour: batches before a bad line stay written, the batch being filled is dropped).
 *
 * <p>Tries: {@code jqwik.tries.default} (see junit-platform.properties).
 */
class HostileImportPropertiesTest {
    private static final Pattern NAMES_LINE = Pattern.compile("^hostile\\.(lp|csv):(\\d+: | the batch ending at line \\d+ was refused: ).+",
            Pattern.DOTALL);
    private static Path dir;
    private static Database db;
    private static final AtomicLong files = new AtomicLong();
    private static final AtomicLong failed = new AtomicLong();

    @BeforeContainer
    static void open() throws IOException {
        dir = Files.createTempDirectory("hostile-import");
        db = Database.open(dir);
    }

    @AfterContainer
    static void close() throws IOException {
        System.out.println("HostileImportPropertiesTest: files=" + files + " failed with ImportException=" + failed);
        db.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static final List<String> LP_CORPUS = List.of(
            "cpu,host=web-1,region=eu usage_user=12.5,usage_system=3i 1767225600000000000",
            "cpu,host=web-2 usage_user=1u,ok=t,bad=FALSE 1767225600000000001",
            "disk,path=/var\\ log,dev=a\\,b,k\\=x=v free=1 1700000000000000000",
            "m a=1,s=\"a string, with = and spaces\" 1",
            "m,t=ü名前🙂 v=-1.5e3 -5",
            "m v=NaN 2",
            "m v=Infinity,w=-Infinity 3",
            "# a comment",
            "",
            "   ",
            "weather,city=a\\ b temp=1e308 9223372036854775807");

    static final List<String> CSV_HEADERS = List.of("series,ts,value,host,region", "ts,value,host", "value,ts,series",
            "series,ts,value,ts_ns,VALUE2");

    static final List<String> CSV_CORPUS = List.of(
            "cpu.usage_user,2026-01-01T00:00:00Z,12.5,web-1,eu",
            "cpu.usage_user,1767225610000000000,13.0,web-1,",
            "\"cpu.a\",\"2026-01-01 00:00:00.5\",\"1e-3\",\"a,b\",\"say \"\"hi\"\"\"",
            "cpu.x,2026-01-01T01:00:00+02:00,NaN,h,r",
            "cpu.x,-1,-Infinity,h,r",
            "",
            "2026-01-01T00:00:00Z,1.5,web-1",
            "1.5,0,cpu.y");

    /** One character-level edit of a line. */
    private record Edit(int kind, int at, int len, String text) {
        String apply(String s) {
            int i = s.isEmpty() ? 0 : at % (s.length() + 1);
            int j = Math.min(s.length(), i + len);
            return switch (kind) {
                case 0 -> s.substring(0, i) + s.substring(j);
                case 1 -> s.substring(0, j) + s.substring(i, j) + s.substring(j);
                case 2 -> s.substring(0, i) + text + s.substring(i);
                case 3 -> s.substring(0, i);
                default -> s.substring(0, i) + text + s.substring(j);
            };
        }
    }

    private static Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(5),
                Arbitraries.of("\\", "\\\\", "\"", ",", "=", " ", "\t", "\r", "\u0000", "\uD800", "i", "u", "e999", "-",
                        "9223372036854775808", "T", "Z", "NaN", "#", "..", "/", "\u00e9", "🙂"),
                Arbitraries.of('x', '\\', '"', '9', ',', ' ').map(c -> String.valueOf(c).repeat(70_000)));
    }

    private static Arbitrary<String> lines(List<String> corpus) {
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 500),
                Arbitraries.integers().between(0, 8), garbage()).as(Edit::new);
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(corpus), edit.list().ofMinSize(1).ofMaxSize(3))
                .as((l, es) -> {
                    for (Edit e : es) {
                        l = e.apply(l);
                    }
                    return l;
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.of(corpus)),
                net.jqwik.api.Tuple.of(5, mutated),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)));
    }

    private static Arbitrary<String> file(Arbitrary<String> header, List<String> corpus) {
        return Combinators.combine(header, lines(corpus).list().ofMaxSize(12), Arbitraries.of("\n", "\r\n"),
                        Arbitraries.of(true, false))
                .as((h, ls, eol, trailing) -> {
                    String body = String.join(eol, ls);
                    String text = h.isEmpty() ? body : ls.isEmpty() ? h : h + eol + body;
                    return trailing ? text + eol : text;
                });
    }

    @Provide
    Arbitrary<String> lineProtocolFile() {
        return file(Arbitraries.just(""), LP_CORPUS);
    }

    @Provide
    Arbitrary<String> csvFile() {
        Arbitrary<String> header = Arbitraries.oneOf(Arbitraries.of(CSV_HEADERS),
                Arbitraries.of(CSV_HEADERS).map(h -> h.replace("value", "VALUE ").replace("ts", "time")), lines(CSV_HEADERS));
        return file(header, CSV_CORPUS);
    }

    @Provide
    Arbitrary<Integer> batchPoints() {
        return Arbitraries.integers().between(1, 5);
    }

    @Property
    void lineProtocolImportsOrFailsAtANamedLine(@ForAll("lineProtocolFile") String text, @ForAll("batchPoints") int batch)
            throws IOException {
        importChecked(text, batch, "hostile.lp", () -> new LineProtocolFormat(TimestampPrecision.NS, () -> 1L));
    }

    @Property
    void csvImportsOrFailsAtANamedLine(@ForAll("csvFile") String text, @ForAll("batchPoints") int batch,
                                       @ForAll boolean fixedSeries) throws IOException {
        importChecked(text, batch, "hostile.csv", () -> new CsvFormat(fixedSeries ? "csv.fixed" : null, TimestampPrecision.MS));
    }

    private static void importChecked(String text, int batch, String source, Supplier<LineFormat> format) throws IOException {
        files.incrementAndGet();
        long before = db.stats().get("points_written");
        long[] reported = {0};
        Importer importer = new Importer(db, batch, (points, lines) -> reported[0] = points);
        try {
            Importer.Result r = importer.run(new BufferedReader(new StringReader(text)), format.get(), source);
            assertThat(db.stats().get("points_written") - before).isEqualTo(r.points());
            assertThat(r.lines()).isEqualTo(text.lines().count());
        } catch (ImportException e) {
            failed.incrementAndGet();
            assertThat(e.getMessage()).matches(NAMES_LINE);
            // both formats check names and tags per line, so the engine never refuses a whole batch
            assertThat(e.getMessage()).doesNotContain("was refused");
            // the batches reported as written are in the database; the one being filled is not
            long written = db.stats().get("points_written") - before;
            if (e.getMessage().contains("was refused")) {
                assertThat(written).isLessThanOrEqualTo(reported[0]);
            } else {
                assertThat(written).isEqualTo(reported[0]);
            }
        }
    }
}
