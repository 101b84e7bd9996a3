package io.ugnos.jdbc.cli;

import io.ugnos.engine.Database;
import io.ugnos.jdbc.UgnosUrl;
import io.ugnos.jdbc.importer.CsvFormat;
import io.ugnos.jdbc.importer.ImportException;
import io.ugnos.jdbc.importer.Importer;
import io.ugnos.jdbc.importer.LineFormat;
import io.ugnos.jdbc.importer.LineProtocolFormat;
import io.ugnos.jdbc.importer.TimestampPrecision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ugnos import --data DIR FILE...}: loads CSV or InfluxDB line protocol files into a database. */
@Command(name = "import", description = "Imports CSV (header row: series,ts,value,tag...) or InfluxDB line protocol "
        + "(measurement,tag=v field=1.0 ts -> series measurement.field) into a database.")
final class ImportCommand implements Callable<Integer> {
    /** The input formats. */
    enum Format { CSV, LINE }

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the database directory (created when missing)")
    Path data;

    @Option(names = "--format", description = "csv or line (default: from the file name: .csv is CSV, anything else line protocol)")
    Format format;

    @Option(names = "--series", description = "CSV: the series of every row, for files without a series column")
    String series;

    @Option(names = "--precision", defaultValue = "ns", description = "unit of integer timestamps: ns, us, ms or s (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--batch", defaultValue = "50000", description = "points per write (default: ${DEFAULT-VALUE})")
    int batch;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "files to import; - reads standard input")
    List<String> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        TimestampPrecision unit;
        try {
            unit = TimestampPrecision.parse(precision);
        } catch (IllegalArgumentException e) {
            err.println("ugnos import: " + e.getMessage());
            return Ugnos.USAGE;
        }
        try (Connection c = DriverManager.getConnection(UgnosUrl.PREFIX + data.toAbsolutePath())) {
            Database db = c.unwrap(Database.class);
            long total = 0;
            for (String f : files) {
                Format fmt = format != null ? format : f.toLowerCase(Locale.ROOT).endsWith(".csv") ? Format.CSV : Format.LINE;
                LineFormat parser = fmt == Format.CSV ? new CsvFormat(series, unit)
                        : new LineProtocolFormat(unit, ImportCommand::nowNanos);
                ProgressLine progress = new ProgressLine(err, f);
                try (BufferedReader in = open(f)) {
                    Importer.Result r = new Importer(db, batch, progress).run(in, parser, f);
                    progress.done(r);
                    total += r.points();
                }
                if (parser instanceof LineProtocolFormat lp && lp.skippedStringFields() > 0) {
                    err.printf("%s: skipped %,d string fields (ugnos stores numbers)%n", f, lp.skippedStringFields());
                }
            }
            db.flush();
            err.printf("imported %,d points into %s%n", total, data);
            err.flush();
            return 0;
        } catch (ImportException e) {
            err.println();
            err.println("ugnos import: " + e.getMessage() + " (points before this line were imported)");
            return 1;
        } catch (SQLException e) {
            err.println("ugnos import: " + e.getMessage());
            return 1;
        }
    }

    private static BufferedReader open(String f) throws IOException {
        return f.equals("-") ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(f), StandardCharsets.UTF_8);
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** A progress line on standard error, rewritten in place at most a few times a second. */
    static final class ProgressLine implements Importer.Progress {
        private static final long EVERY_NANOS = 250_000_000L;
        private final PrintWriter err;
        private final String source;
        private final long start = System.nanoTime();
        private long last;

        ProgressLine(PrintWriter err, String source) {
            this.err = err;
            this.source = source;
        }

        @Override
        public void update(long points, long lines) {
            long now = System.nanoTime();
            if (now - last >= EVERY_NANOS) {
                last = now;
                err.printf("\r%s: %,d points from %,d lines (%,.0f points/s)", source, points, lines, rate(points, now));
                err.flush();
            }
        }

        void done(Importer.Result r) {
            err.printf("\r%s: %,d points from %,d lines (%,.0f points/s)%n", source, r.points(), r.lines(), rate(r.points(), System.nanoTime()));
            err.flush();
        }

        private double rate(long points, long now) {
            return points / Math.max(1e-9, (now - start) / 1e9);
        }
    }
}
