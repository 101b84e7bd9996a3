package io.ugnos.jdbc.server;

import io.ugnos.engine.Durability;
import io.ugnos.jdbc.ConnectionProperty;
import io.ugnos.jdbc.UgnosUrl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Serves one ugnos database over HTTP through Avatica (protobuf), for
 * {@code jdbc:ugnos:remote:url=http://host:port} clients.
 *
 * <pre>{@code
 * try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(Path.of("data"), 8765, "127.0.0.1", null, Auth.BASIC))) {
 *     server.join();
 * }
 * }</pre>
 *
 * The server holds the database open for its whole life (one embedded connection of its own), so
 * that clients coming and going do not open and close it each time. It binds to loopback unless
 * told otherwise; with a users file it requires HTTP authentication and refuses other requests
 * with 401.
 */
public final class UgnosServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 8765;
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** Any authenticated user may connect: the users file needs no roles. */
    private static final String[] ANY_AUTHENTICATED_ROLE = {"**"};

    /** The HTTP authentication scheme a users file enables. */
    public enum Auth { BASIC, DIGEST }

    /**
     * What to serve and how.
     *
     * @param data  the database directory (created when missing)
     * @param port  the TCP port; 0 picks a free one ({@link #port()} tells which)
     * @param bind  the address to listen on; {@code 0.0.0.0} for every interface
     * @param users a Jetty {@code HashLoginService} properties file ({@code user: password[,role...]} per
     *              line), or null for no authentication
     * @param auth  the scheme used when {@code users} is given
     * @param durability what an acknowledged write survives ({@link Durability#SYNC}: power loss; the
     *              engine default {@link Durability#FLUSH}: a killed server), or null for the default
     */
    public record Config(Path data, int port, String bind, Path users, Auth auth, Durability durability) {
        public Config {
            Objects.requireNonNull(data, "data");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, got " + port);
            }
            bind = bind == null ? DEFAULT_BIND : bind;
            auth = auth == null ? Auth.BASIC : auth;
        }

        /** A configuration with the engine's default durability. */
        public Config(Path data, int port, String bind, Path users, Auth auth) {
            this(data, port, bind, users, auth, null);
        }

        /**
         * The embedded URL the server opens the database with; the server-side connections of clients
         * use it too, so every one of them writes with the configured durability.
         */
        public String jdbcUrl() {
            String url = UgnosUrl.PREFIX + data.toAbsolutePath();
            return durability == null ? url
                    : url + ";" + ConnectionProperty.DURABILITY.key() + "=" + durability.name().toLowerCase(Locale.ROOT);
        }
    }

    private final Config config;
    private final Connection keepOpen;
    private final ServerMeta meta;
    private final HttpServer http;
    private boolean closed;

    private UgnosServer(Config config, Connection keepOpen, ServerMeta meta, HttpServer http) {
        this.config = config;
        this.keepOpen = keepOpen;
        this.meta = meta;
        this.http = http;
    }

    /**
     * Opens the database and starts serving it.
     *
     * @throws SQLException when the database cannot be opened (locked by another process, damaged)
     * @throws IllegalArgumentException when the users file does not exist
     */
    public static UgnosServer start(Config config) throws SQLException {
        if (config.users() != null && !Files.isReadable(config.users())) {
            throw new IllegalArgumentException("users file " + config.users() + " does not exist or cannot be read");
        }
        String url = config.jdbcUrl();
        Connection keepOpen = DriverManager.getConnection(url);
        try {
            ServerMeta meta = new ServerMeta(url);
            LocalService service = new LocalService(meta);
            HttpServer.Builder<Server> b = HttpServer.Builder.<Server>newBuilder()
                    .withHandler(service, Serialization.PROTOBUF)
                    .withPort(config.port())
                    .withServerCustomizers(List.of(bindTo(config.bind())), Server.class);
            if (config.users() != null) {
                String file = config.users().toAbsolutePath().toString();
                if (config.auth() == Auth.DIGEST) {
                    b.withDigestAuthentication(file, ANY_AUTHENTICATED_ROLE);
                } else {
                    b.withBasicAuthentication(file, ANY_AUTHENTICATED_ROLE);
                }
            }
            HttpServer http = b.build();
            http.start();
            return new UgnosServer(config, keepOpen, meta, http);
        } catch (SQLException | RuntimeException e) {
            keepOpen.close();
            throw e;
        }
    }

    private static ServerCustomizer<Server> bindTo(String host) {
        return server -> {
            for (Connector c : server.getConnectors()) {
                if (c instanceof ServerConnector sc) {
                    sc.setHost(host);
                }
            }
        };
    }

    /** The port the server listens on. */
    public int port() {
        return http.getPort();
    }

    /** The URL clients connect with: {@code jdbc:ugnos:remote:url=http://bind:port}. */
    public String clientUrl() {
        String host = config.bind().equals("0.0.0.0") ? "127.0.0.1" : config.bind();
        return UgnosUrl.PREFIX + "remote:url=http://" + host + ":" + port();
    }

    public Config config() {
        return config;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        http.join();
    }

    /** Stops serving and closes the database (once the clients' server-side connections are gone); idempotent. */
    @Override
    public synchronized void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            http.stop();
        } finally {
            try {
                meta.closeAll();
            } finally {
                keepOpen.close();
            }
        }
    }

    /**
     * Avatica's JDBC-backed meta, opening server-side connections with the server's URL only: the
     * properties a remote client sends along (its own URL, serialization, credentials) are Avatica's,
     * not the embedded driver's, which would reject them as unknown.
     */
    private static final class ServerMeta extends JdbcMeta {
        ServerMeta(String url) throws SQLException {
            super(url, new Properties());
        }

        @Override
        public void openConnection(Meta.ConnectionHandle ch, Map<String, String> info) {
            super.openConnection(ch, Map.of());
        }

        /** Closes the server-side connections of clients that did not close theirs (the cache's listener closes them). */
        void closeAll() {
            getConnectionCache().invalidateAll();
            getConnectionCache().cleanUp();
        }
    }
}
