package io.ugnos.jdbc.cli;

import io.ugnos.engine.Database;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class UgnosCliTest {
    @TempDir
    Path tmp;

    /** Runs the command line; returns exit code and captures both streams into {@code out}. */
    private static int run(StringWriter out, String... args) {
        PrintWriter w = new PrintWriter(out, true);
        return new CommandLine(new Ugnos()).setOut(w).setErr(w).execute(args);
    }

    private static double query(Path dir, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:ugnos:" + dir);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getDouble(1);
        }
    }

    @Test
    void importLoadsCsvAndLineProtocolAndReportsProgress() throws Exception {
        Path dir = tmp.resolve("db");
        Path csv = tmp.resolve("cpu.csv");
        Files.writeString(csv, "series,ts,value,host\ncpu.usage_user,2026-01-01T00:00:00Z,10,web-1\n"
                + "cpu.usage_user,2026-01-01T00:00:10Z,20,web-1\ncpu.usage_user,2026-01-01T00:00:00Z,5,web-2\n");
        Path lp = tmp.resolve("mem.lp");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            lines.append("mem,host=db-1 used=").append(i).append(",note=\"x\" ").append(1_767_225_600_000L + i).append('\n');
        }
        Files.writeString(lp, lines);
        StringWriter out = new StringWriter();
        assertThat(run(out, "import", "--data", dir.toString(), csv.toString())).isZero();
        assertThat(run(out, "import", "--data", dir.toString(), "--precision", "ms", "--batch", "100", lp.toString())).isZero();
        assertThat(out.toString())
                .contains("cpu.csv: 3 points from 4 lines")
                .contains("mem.lp: 1,000 points from 1,000 lines")
                .contains("skipped 1,000 string fields")
                .contains("imported 1,000 points into " + dir);
        assertThat(query(dir, "SELECT sum(\"value\") FROM \"cpu.usage_user\" WHERE host = 'web-1'")).isEqualTo(30.0);
        assertThat(query(dir, "SELECT count(*) FROM \"mem.used\" WHERE ts >= TIMESTAMP '2026-01-01 00:00:00.500'")).isEqualTo(500);
    }

    @Test
    void importStopsAtABadLineNamingIt() throws Exception {
        Path csv = tmp.resolve("bad.csv");
        Files.writeString(csv, "ts,value\n1,2\n3,oops\n");
        StringWriter out = new StringWriter();
        assertThat(run(out, "import", "--data", tmp.resolve("db").toString(), "--series", "s", csv.toString())).isEqualTo(1);
        assertThat(out.toString()).contains(csv + ":3: value 'oops' is not a number");
        assertThat(run(out, "import", "--data", tmp.resolve("db").toString(), "--precision", "hours", csv.toString())).isEqualTo(2);
        assertThat(out.toString()).contains("precision must be one of ns, us, ms, s");
    }

    @Test
    void checkReportsIntactAndDamagedDatabasesWithoutChangingThem() throws Exception {
        Path dir = tmp.resolve("checked");
        try (Database db = Database.open(dir)) {
            WriteBatch b = new WriteBatch();
            for (int i = 0; i < 3000; i++) {
                b.add("cpu", TagSet.of("host", "h" + i % 3), i * 1_000_000L, i);
            }
            db.write(b);
        }
        StringWriter out = new StringWriter();
        assertThat(run(out, "check", dir.toString())).isZero();
        assertThat(out.toString()).contains("1 segments (3 blocks)").contains("OK: no damage found");

        Path seg;
        try (Stream<Path> s = Files.list(dir.resolve("segments"))) {
            seg = s.findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(40);
            int v = f.read();
            f.seek(40);
            f.write(v ^ 0xFF);
        }
        byte[] damaged = Files.readAllBytes(seg);
        StringWriter bad = new StringWriter();
        assertThat(run(bad, "check", dir.toString())).isEqualTo(CheckCommand.DAMAGED);
        assertThat(bad.toString()).contains("DAMAGED " + seg + " at offset 16: block 0: block checksum mismatch")
                .contains("1 problem(s) found; nothing was changed");
        assertThat(Files.readAllBytes(seg)).isEqualTo(damaged);

        StringWriter none = new StringWriter();
        assertThat(run(none, "check", tmp.resolve("nothing").toString())).isEqualTo(Ugnos.USAGE);
        assertThat(none.toString()).contains("no database at");
    }

    @Test
    void sqlRunsAScriptThroughSqlline() throws Exception {
        Path dir = tmp.resolve("sqldb");
        try (Database db = Database.open(dir)) {
            db.write(new WriteBatch().add("cpu", TagSet.of("host", "web-1"), 0, 41.5));
        }
        Path script = tmp.resolve("q.sql");
        Files.writeString(script, "SELECT host, \"value\" + 1 AS answer FROM cpu;\n");
        SqlCommand sql = new SqlCommand();
        sql.target = dir.toString();
        sql.script = script.toString();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sql.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertThat(sql.call()).isZero();
        String shown = bytes.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("answer").contains("web-1").contains("42.5");
    }

    @Test
    void sqlTakesAUrlOrADirectory() {
        assertThat(SqlCommand.url(null)).isEqualTo("jdbc:ugnos:data");
        assertThat(SqlCommand.url("/var/db")).isEqualTo("jdbc:ugnos:/var/db");
        assertThat(SqlCommand.url("jdbc:ugnos:remote:url=http://h:1")).isEqualTo("jdbc:ugnos:remote:url=http://h:1");
    }

    @Test
    void serverOptionsDefaultToLoopbackAndPort8765() {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--data", "d");
        assertThat(cmd.config().port()).isEqualTo(8765);
        assertThat(cmd.config().bind()).isEqualTo("127.0.0.1");
        assertThat(cmd.config().users()).isNull();
        new CommandLine(cmd).parseArgs("--data", "d", "--port", "9000", "--bind", "0.0.0.0", "--users", "u.properties", "--auth", "DIGEST");
        assertThat(cmd.config()).isEqualTo(new io.ugnos.jdbc.server.UgnosServer.Config(Path.of("d"), 9000, "0.0.0.0",
                Path.of("u.properties"), io.ugnos.jdbc.server.UgnosServer.Auth.DIGEST));
        assertThat(cmd.config().tls()).isFalse();
        new CommandLine(cmd).parseArgs("--data", "d", "--keystore", "ks.p12", "--keystore-password", "pw");
        assertThat(cmd.config().keystore()).isEqualTo(Path.of("ks.p12"));
        assertThat(cmd.config().keystorePassword()).isEqualTo("pw");
        assertThat(cmd.config().tls()).isTrue();
    }

    @Test
    void serverDurabilityReachesTheUrlItOpensTheDatabaseWith() {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "/var/db", "--durability", "sync");
        assertThat(cmd.config().durability()).isEqualTo(io.ugnos.engine.Durability.SYNC);
        assertThat(cmd.config().jdbcUrl()).isEqualTo("jdbc:ugnos:/var/db;durability=sync");
        ServerCommand byDefault = new ServerCommand();
        new CommandLine(byDefault).parseArgs("--data", "/var/db");
        assertThat(byDefault.config().jdbcUrl()).isEqualTo("jdbc:ugnos:/var/db");
    }

    @Test
    void withoutACommandItPrintsUsage() {
        StringWriter out = new StringWriter();
        assertThat(run(out)).isEqualTo(2);
        assertThat(out.toString()).contains("name a command").contains("Usage: ugnos");
        StringWriter version = new StringWriter();
        assertThat(run(version, "--version")).isZero();
        assertThat(version.toString()).startsWith("ugnos 0.");
    }
}
