package io.ugnos.sql.session;

import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.Durability;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.sql.UgnosSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An embedded query streams its result: iterating 5 million rows (some 80 MB as Java objects, more
 * as Calcite rows) runs in a child JVM limited to a 64 MiB heap, which would die of
 * OutOfMemoryError if the result were materialised.
 */
class StreamingResultTest {
    static final int ROWS = Integer.getInteger("ugnos.test.streamRows", 5_000_000);
    static final String HEAP = "-Xmx64m";

    @Test
    void fiveMillionRowsIterateInA64MebibyteHeap(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(dir, DatabaseOptions.defaults().withDurability(Durability.NONE))) {
            TagSet[] hosts = {TagSet.of("host", "a"), TagSet.of("host", "b")};
            for (int from = 0; from < ROWS; from += 100_000) {
                WriteBatch b = new WriteBatch();
                for (int i = from; i < Math.min(ROWS, from + 100_000); i++) {
                    b.add("cpu", hosts[i & 1], i, i);
                }
                db.write(b);
            }
            db.flush();
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, HEAP, "-XX:+ExitOnOutOfMemoryError", "-Duser.timezone=UTC",
                "-cp", System.getProperty("java.class.path"), Reader.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("rows=" + ROWS + " sum=" + ((long) ROWS * (ROWS - 1) / 2));
    }

    /** The child: iterates the whole result and prints its row count and the sum of ts_ns. */
    public static final class Reader {
        public static void main(String[] args) throws Exception {
            try (Database db = Database.open(Path.of(args[0]));
                 Connection c = UgnosSql.connect(db);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT ts_ns, value, host FROM cpu")) {
                long rows = 0;
                long sum = 0;
                while (rs.next()) {
                    rows++;
                    sum += rs.getLong(1);
                }
                Runtime r = Runtime.getRuntime();
                System.out.println("rows=" + rows + " sum=" + sum + " heapMax=" + (r.maxMemory() >> 20) + "MiB");
            }
        }
    }
}
