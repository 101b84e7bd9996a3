package io.ugnos.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after {@code package}: the shaded jar, loaded alone as a BI tool loads it, finds the driver
 * through the service file and answers a query; the launcher script runs the command line from it.
 */
class ShadedJarIT {
    private static final Path JAR = Path.of(System.getProperty("ugnos.shadedJar", "target/missing.jar"));
    private static final Path LAUNCHER = Path.of(System.getProperty("ugnos.launcher", "target/ugnos"));

    @TempDir
    Path tmp;

    @Test
    void theJarDeclaresTheDriverInItsServiceFile() throws Exception {
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            var entry = zip.getEntry("META-INF/services/java.sql.Driver");
            assertThat(entry).as("META-INF/services/java.sql.Driver in " + JAR).isNotNull();
            String services = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(services.lines()).contains("io.ugnos.jdbc.Driver");
            // the dependencies are inside: Calcite, Avatica's remote driver, the engine
            assertThat(zip.getEntry("org/apache/calcite/jdbc/Driver.class")).isNotNull();
            assertThat(zip.getEntry("org/apache/calcite/avatica/remote/Driver.class")).isNotNull();
            assertThat(zip.getEntry("io/ugnos/engine/Database.class")).isNotNull();
        }
    }

    @Test
    void theJarAloneLoadsTheDriverAndAnswersAQuery() throws Exception {
        try (URLClassLoader isolated = new URLClassLoader(new URL[]{JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Driver driver = ServiceLoader.load(Driver.class, isolated).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(d -> d.getClass().getName().equals("io.ugnos.jdbc.Driver"))
                    .findFirst().orElseThrow();
            assertThat(driver.getClass().getClassLoader()).isSameAs(isolated);
            try (Connection c = driver.connect("jdbc:ugnos:" + tmp.resolve("db"), new Properties());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM \"metadata\".\"TABLES\" WHERE \"tableSchem\" = 'ugnos'")) {
                assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("ugnos");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    @Test
    void theLauncherImportsAndChecksThroughTheJar() throws Exception {
        assertThat(Files.isExecutable(LAUNCHER)).as(LAUNCHER + " is executable").isTrue();
        Path csv = tmp.resolve("points.csv");
        Files.writeString(csv, "series,ts,value,host\ncpu,2026-01-01T00:00:00Z,1.5,a\ncpu,2026-01-01T00:00:01Z,2.5,b\n");
        Path db = tmp.resolve("cli-db");
        assertThat(run(LAUNCHER.toString(), "import", "--data", db.toString(), csv.toString())).contains("imported 2 points");
        assertThat(run(LAUNCHER.toString(), "check", db.toString())).contains("OK: no damage found");
    }

    @Test
    void theLauncherServesADatabaseUntilStopped() throws Exception {
        Path db = tmp.resolve("served");
        Process server = launcher(LAUNCHER.toString(), "server", "--data", db.toString(), "--port", "0")
                .redirectErrorStream(true).start();
        // a watchdog, so that a server that never prints its URL fails the test instead of hanging it
        java.util.concurrent.CompletableFuture.runAsync(server::destroyForcibly,
                java.util.concurrent.CompletableFuture.delayedExecutor(90, TimeUnit.SECONDS));
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            while (url == null) {
                String line = out.readLine();
                if (line == null) {
                    break; // the server exited
                }
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("connect with (jdbc:ugnos:remote:url=\\S+)").matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            assertThat(url).as("the server prints the URL to connect with").isNotNull();
            try (Connection c = java.sql.DriverManager.getConnection(url);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM \"metadata\".\"TABLES\" WHERE \"tableSchem\" = 'ugnos'")) {
                assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("ugnos");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook stops the server and closes the database
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        // closed cleanly: the lock is free and every checksum holds
        assertThat(run(LAUNCHER.toString(), "check", db.toString())).contains("OK: no damage found");
    }

    /** The launcher runs the java of this test (JAVA), whatever the PATH holds. */
    private static ProcessBuilder launcher(String... command) {
        ProcessBuilder pb = new ProcessBuilder(List.of(command));
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return pb;
    }

    private static String run(String... command) throws Exception {
        Process p = launcher(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
