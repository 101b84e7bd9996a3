package io.ugnos.jdbc.server;

import com.sun.net.httpserver.HttpServer;
import io.ugnos.engine.Database;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A remote result arrives in frames of {@code Statement.setFetchSize} rows: a proxy between client
 * and server counts Avatica's fetch requests (the protobuf wire message names its type).
 */
class RemoteFetchSizeTest {
    static final int ROWS = 50_000;

    @Test
    void setFetchSizeSetsTheRowsPerFrame(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(dir)) {
            WriteBatch b = new WriteBatch();
            for (int i = 0; i < ROWS; i++) {
                b.add("cpu", TagSet.of("host", "a"), i, i);
            }
            db.write(b);
        }
        AtomicInteger fetches = new AtomicInteger();
        HttpClient http = HttpClient.newHttpClient();
        try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(dir, 0, null, null, null))) {
            HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            proxy.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (new String(body, StandardCharsets.ISO_8859_1).contains("FetchRequest")) {
                    fetches.incrementAndGet();
                }
                try {
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    exchange.sendResponseHeaders(r.statusCode(), r.body().length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(r.body());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(500, -1);
                }
            });
            proxy.start();
            try (Connection c = DriverManager.getConnection("jdbc:ugnos:remote:url=http://127.0.0.1:" + proxy.getAddress().getPort())) {
                assertThat(countRows(c, 0)).isEqualTo(ROWS);
                int byDefault = fetches.getAndSet(0);
                assertThat(countRows(c, 10_000)).isEqualTo(ROWS);
                int big = fetches.get();
                // the first frame holds at most 100 rows; each fetch then brings fetchSize rows (default 100)
                assertThat(byDefault).as("fetches with the default fetch size").isBetween(ROWS / 100 - 2, ROWS / 100 + 1);
                assertThat(big).as("fetches with setFetchSize(10000)").isBetween(5, 6);
            } finally {
                proxy.stop(0);
            }
        }
    }

    private static long countRows(Connection c, int fetchSize) throws Exception {
        try (Statement s = c.createStatement()) {
            if (fetchSize > 0) {
                s.setFetchSize(fetchSize);
            }
            long n = 0;
            try (ResultSet rs = s.executeQuery("SELECT ts_ns FROM cpu")) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }
}
