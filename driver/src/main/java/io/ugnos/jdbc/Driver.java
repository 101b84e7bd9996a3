package io.ugnos.jdbc;

import io.ugnos.sql.UgnosSql;
import io.ugnos.sql.session.UgnosConnection;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The ugnos JDBC driver. It registers itself with {@link DriverManager} (also through
 * {@code META-INF/services/java.sql.Driver}) and accepts three forms of URL:
 *
 * <pre>{@code
 * Connection disk   = DriverManager.getConnection("jdbc:ugnos:/var/lib/ugnos;durability=sync");
 * Connection memory = DriverManager.getConnection("jdbc:ugnos:mem:test");
 * Connection remote = DriverManager.getConnection("jdbc:ugnos:remote:url=http://127.0.0.1:8765", "alice", "secret");
 * }</pre>
 *
 * Connections to one directory (or one in-memory name) in one JVM share one open database, closed
 * with the last connection. The accepted properties are the {@link ConnectionProperty} values.
 */
public final class Driver implements java.sql.Driver {
    private static final String AVATICA_REMOTE = "jdbc:avatica:remote:";

    static {
        try {
            DriverManager.registerDriver(new Driver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // the JDBC contract: another driver may take it
        }
        UgnosUrl u = UgnosUrl.parse(url, info);
        return u.kind() == UgnosUrl.Kind.REMOTE ? DriverConnection.wrap(connectRemote(u), null, url) : connectLocal(u, url);
    }

    private static Connection connectLocal(UgnosUrl u, String url) throws SQLException {
        SharedDatabases.Lease lease = SharedDatabases.INSTANCE.acquire(u);
        try {
            Connection c = UgnosSql.connect(lease.database());
            c.unwrap(UgnosConnection.class).setLimits(u.sessionLimits());
            if (u.readOnly()) {
                c.setReadOnly(true);
            }
            return DriverConnection.wrap(c, lease, url);
        } catch (SQLException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    private static Connection connectRemote(UgnosUrl u) throws SQLException {
        Properties p = new Properties();
        p.setProperty("url", u.target());
        p.setProperty("serialization", "protobuf");
        for (ConnectionProperty tls : new ConnectionProperty[]{ConnectionProperty.TRUSTSTORE,
                ConnectionProperty.TRUSTSTORE_PASSWORD, ConnectionProperty.HOSTNAME_VERIFICATION}) {
            String v = u.properties().get(tls);
            if (v != null) {
                // Avatica's own names, and its hostname_verification wants STRICT or NONE
                p.setProperty(tls.key(), tls == ConnectionProperty.HOSTNAME_VERIFICATION ? v.toUpperCase(java.util.Locale.ROOT) : v);
            }
        }
        String user = u.properties().get(ConnectionProperty.USER);
        if (user != null && !user.isEmpty()) {
            // through Properties rather than the URL, so that a password may hold ';'
            String scheme = u.properties().getOrDefault(ConnectionProperty.AUTHENTICATION, "basic");
            p.setProperty("authentication", scheme.toUpperCase(java.util.Locale.ROOT));
            p.setProperty("avatica_user", user);
            p.setProperty("avatica_password", u.properties().getOrDefault(ConnectionProperty.PASSWORD, ""));
        }
        Connection c;
        try {
            c = new org.apache.calcite.avatica.remote.Driver().connect(AVATICA_REMOTE, p);
        } catch (RuntimeException e) {
            throw new SQLException("cannot connect to ugnos server " + u.target() + ": " + e.getMessage(), UgnosUrl.SQL_STATE_CONNECT, e);
        }
        try {
            // Avatica connects lazily: ask the server now, so that a wrong address or refused credentials fail here
            c.getMetaData().getDatabaseProductName();
            if (u.readOnly()) {
                c.setReadOnly(true);
            }
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException | RuntimeException ignored) {
                // the connection never worked
            }
            throw new SQLException("cannot connect to ugnos server " + u.target() + ": " + rootMessage(e), UgnosUrl.SQL_STATE_CONNECT, e);
        }
        return c;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }

    @Override
    public boolean acceptsURL(String url) {
        return UgnosUrl.accepts(url);
    }

    /** Every property the URL's kind accepts, with its current or default value, choices and description. */
    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        UgnosUrl.Kind kind = UgnosUrl.Kind.EMBEDDED;
        if (url != null && acceptsURL(url)) {
            String rest = url.substring(UgnosUrl.PREFIX.length()).toLowerCase(java.util.Locale.ROOT);
            kind = rest.startsWith("mem:") ? UgnosUrl.Kind.MEMORY
                    : rest.startsWith("remote:") ? UgnosUrl.Kind.REMOTE : UgnosUrl.Kind.EMBEDDED;
        }
        List<DriverPropertyInfo> out = new ArrayList<>();
        for (ConnectionProperty p : ConnectionProperty.values()) {
            if (!p.appliesTo(kind)) {
                continue;
            }
            String given = info == null ? null : info.getProperty(p.key());
            DriverPropertyInfo d = new DriverPropertyInfo(p.key(), given != null ? given : p.defaultValue());
            d.description = p.description();
            d.choices = p.choices().isEmpty() ? null : p.choices().toArray(new String[0]);
            d.required = p == ConnectionProperty.URL;
            out.add(d);
        }
        return out.toArray(new DriverPropertyInfo[0]);
    }

    /** The ugnos version this driver was built as, e.g. {@code 0.1.0}. */
    public static String version() {
        return DriverVersion.VERSION;
    }

    @Override
    public int getMajorVersion() {
        return DriverVersion.MAJOR;
    }

    @Override
    public int getMinorVersion() {
        return DriverVersion.MINOR;
    }

    /** False: ugnos is a time-series database and does not pass the JDBC compliance suite (no transactions). */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("io.ugnos.jdbc");
    }
}
