package io.ugnos.jdbc;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A plain {@link DataSource} over the ugnos {@link Driver}: a bean with a URL, an optional user and
 * password and connection properties, which connection pools (HikariCP) and frameworks configure
 * by its setters.
 *
 * <pre>{@code
 * UgnosDataSource ds = new UgnosDataSource();
 * ds.setUrl("jdbc:ugnos:/var/lib/ugnos");
 * ds.setProperty("durability", "sync");
 * HikariConfig config = new HikariConfig();
 * config.setDataSource(ds);
 * try (HikariDataSource pool = new HikariDataSource(config)) { ... }
 * }</pre>
 *
 * Every connection is a new {@link Driver#connect} call; connections to one database share the open
 * database, so a pool's connections are cheap.
 */
public class UgnosDataSource implements DataSource {
    private final Driver driver = new Driver();
    private final Properties properties = new Properties();
    private volatile String url;
    private volatile String user;
    private volatile String password;
    private volatile int loginTimeoutSeconds;
    private volatile PrintWriter logWriter;

    /** A data source whose URL is set later with {@link #setUrl}. */
    public UgnosDataSource() {
    }

    public UgnosDataSource(String url) {
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    /** The {@code jdbc:ugnos:} URL, with or without {@code ;property=value} settings. */
    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    /** Not readable back, so that it is not logged by tools that print a bean's properties. */
    public void setPassword(String password) {
        this.password = password;
    }

    /** Sets one connection property (see {@link ConnectionProperty}); null removes it. */
    public void setProperty(String name, String value) {
        if (value == null) {
            properties.remove(name);
        } else {
            properties.setProperty(name, value);
        }
    }

    /** Replaces the connection properties by a copy of {@code props}. */
    public void setProperties(Properties props) {
        synchronized (properties) {
            properties.clear();
            properties.putAll(props);
        }
    }

    /** A copy of the connection properties. */
    public Properties getProperties() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(user, password);
    }

    @Override
    public Connection getConnection(String username, String pass) throws SQLException {
        String u = url;
        if (u == null) {
            throw new SQLException("UgnosDataSource has no URL: call setUrl(\"jdbc:ugnos:...\") first", UgnosUrl.SQL_STATE_CONNECT);
        }
        Properties p = getProperties();
        if (username != null) {
            p.setProperty(ConnectionProperty.USER.key(), username);
        }
        if (pass != null) {
            p.setProperty(ConnectionProperty.PASSWORD.key(), pass);
        }
        Connection c = driver.connect(u, p);
        if (c == null) {
            throw new SQLException("not a ugnos URL: '" + u + "'; it must start with " + UgnosUrl.PREFIX, UgnosUrl.SQL_STATE_CONNECT);
        }
        return c;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /** Kept for the DataSource contract; the driver logs through {@link #getParentLogger()}. */
    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /**
     * Kept for the DataSource contract. Opening an embedded database does not wait on anything a
     * timeout could cut short (a locked directory fails at once); remote connects use Avatica's.
     */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLFeatureNotSupportedException("UgnosDataSource does not wrap " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
