package io.ugnos.jdbc.server;

import io.ugnos.engine.Durability;
import io.ugnos.jdbc.ConnectionProperty;
import io.ugnos.jdbc.UgnosUrl;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.server.AvaticaProtobufHandler;
import org.apache.calcite.avatica.server.HttpServer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Serves one ugnos database over HTTP (or HTTPS) through Avatica (protobuf), for
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
 * told otherwise; with a users file it requires HTTP authentication, refuses other requests with 401
 * and gives each user the file's role ({@link Role}); with a keystore it speaks TLS only. Each client
 * reaches only its own connections and statements ({@link SessionGuard}). docs/security.md has the
 * threat model.
 */
public final class UgnosServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 8765;
    public static final String DEFAULT_BIND = "127.0.0.1";

    /** The HTTP authentication scheme a users file enables. */
    public enum Auth { BASIC, DIGEST }

    /**
     * What to serve and how.
     *
     * @param data             the database directory (created when missing)
     * @param port             the TCP port; 0 picks a free one ({@link #port()} tells which)
     * @param bind             the address to listen on; {@code 0.0.0.0} for every interface
     * @param users            a users file ({@code user: password[,role]} per line, see {@link UsersFile}), or null
     *                         for no authentication
     * @param auth             the scheme used when {@code users} is given
     * @param durability       what an acknowledged write survives ({@link Durability#SYNC}: power loss; the
     *                         engine default {@link Durability#FLUSH}: a killed server), or null for the default
     * @param keystore         a keystore (PKCS12 or JKS) holding the server's key and certificate: the server then
     *                         speaks HTTPS only; null for plain HTTP
     * @param keystorePassword the keystore's password (and its key's); required with {@code keystore}
     */
    public record Config(Path data, int port, String bind, Path users, Auth auth, Durability durability, Path keystore,
                         String keystorePassword) {
        public Config {
            Objects.requireNonNull(data, "data");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, got " + port);
            }
            bind = bind == null ? DEFAULT_BIND : bind;
            auth = auth == null ? Auth.BASIC : auth;
            if (keystore != null && keystorePassword == null) {
                throw new IllegalArgumentException("keystore " + keystore + " needs its password (--keystore-password)");
            }
        }

        /** Plain HTTP. */
        public Config(Path data, int port, String bind, Path users, Auth auth) {
            this(data, port, bind, users, auth, null, null, null);
        }

        /** Plain HTTP, with the given durability. */
        public Config(Path data, int port, String bind, Path users, Auth auth, Durability durability) {
            this(data, port, bind, users, auth, durability, null, null);
        }

        /** HTTPS with {@code keystore}, and the engine's default durability. */
        public Config(Path data, int port, String bind, Path users, Auth auth, Path keystore, String keystorePassword) {
            this(data, port, bind, users, auth, null, keystore, keystorePassword);
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

        /** Whether the server speaks HTTPS. */
        public boolean tls() {
            return keystore != null;
        }
    }

    private final Config config;
    private final Connection keepOpen;
    private final ServerMeta meta;
    private final HttpServer http;
    private final Server jetty;
    private boolean closed;

    private UgnosServer(Config config, Connection keepOpen, ServerMeta meta, HttpServer http, Server jetty) {
        this.config = config;
        this.keepOpen = keepOpen;
        this.meta = meta;
        this.http = http;
        this.jetty = jetty;
    }

    /**
     * Opens the database and starts serving it.
     *
     * @throws SQLException when the database cannot be opened (locked by another process, damaged)
     * @throws IllegalArgumentException when the users file or the keystore does not exist, or the users file names
     *                                  an unknown role
     */
    public static UgnosServer start(Config config) throws SQLException {
        UsersFile users = config.users() == null ? null : UsersFile.load(config.users());
        if (config.keystore() != null && !Files.isReadable(config.keystore())) {
            throw new IllegalArgumentException("keystore " + config.keystore() + " does not exist or cannot be read");
        }
        String url = config.jdbcUrl();
        Connection keepOpen = DriverManager.getConnection(url);
        try {
            UserAuthentication authentication = users == null ? null : new UserAuthentication(users, config.auth());
            Supplier<ServerUser> user = authentication == null ? () -> ServerUser.ANONYMOUS : authentication::current;
            ServerMeta meta = new ServerMeta(url, user);
            Service service = new SessionGuard(new LocalService(meta), meta, user);
            AtomicReference<Server> jetty = new AtomicReference<>();
            HttpServer.Builder<Server> b = HttpServer.Builder.<Server>newBuilder()
                    .withHandler(new AvaticaProtobufHandler(service, NoopMetricsSystem.getInstance(), authentication))
                    .withPort(config.port())
                    .withServerCustomizers(List.of(server -> bindTo(server, config.bind(), jetty)), Server.class);
            if (authentication != null) {
                // "custom" only to Avatica's builder: the configuration says BASIC or DIGEST, which Jetty then enforces
                b.withCustomAuthentication(authentication);
            }
            if (config.tls()) {
                File ks = config.keystore().toAbsolutePath().toFile();
                // the truststore would check client certificates, which the server does not ask for: the keystore serves
                b.withTLS(ks, config.keystorePassword(), ks, config.keystorePassword());
            }
            HttpServer http = b.build();
            try {
                http.start();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cannot start the server on " + config.bind() + ":" + config.port()
                        + ": " + rootMessage(e), e);
            }
            return new UgnosServer(config, keepOpen, meta, http, jetty.get());
        } catch (SQLException | RuntimeException e) {
            keepOpen.close();
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /** Sets the listening address before Jetty binds, and keeps the Jetty server to tell the bound address later. */
    private static void bindTo(Server server, String host, AtomicReference<Server> keep) {
        keep.set(server);
        for (Connector c : server.getConnectors()) {
            if (c instanceof ServerConnector sc) {
                sc.setHost(host);
            }
        }
    }

    /** The port the server listens on. */
    public int port() {
        return http.getPort();
    }

    /** The address the server's socket is bound to (loopback unless {@link Config#bind} said otherwise). */
    public InetAddress boundAddress() {
        ServerConnector c = (ServerConnector) jetty.getConnectors()[0];
        return ((InetSocketAddress) ((ServerSocketChannel) c.getTransport()).socket().getLocalSocketAddress()).getAddress();
    }

    /** The URL clients connect with: {@code jdbc:ugnos:remote:url=http://bind:port} ({@code https} with TLS). */
    public String clientUrl() {
        String host = config.bind().equals("0.0.0.0") ? "127.0.0.1" : config.bind();
        return UgnosUrl.PREFIX + "remote:url=" + (config.tls() ? "https" : "http") + "://" + host + ":" + port();
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
}
