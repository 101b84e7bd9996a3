package io.ugnos.jdbc.server;

import io.ugnos.sql.session.UgnosConnection;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.jdbc.JdbcMeta;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Avatica's JDBC-backed meta over the served database. Every server-side connection is opened with
 * the server's own URL and no client properties: what a remote client sends along (a URL naming
 * another directory, engine options, credentials) is Avatica's business or the client's wish, never
 * a way to make the server open something else. A connection opened by a read-only user is locked
 * read-only ({@link UgnosConnection#lockReadOnly}), so no later request can lift it.
 */
final class ServerMeta extends JdbcMeta {
    private final Supplier<ServerUser> user;

    ServerMeta(String url, Supplier<ServerUser> user) throws SQLException {
        super(url, new Properties());
        this.user = user;
    }

    @Override
    public void openConnection(Meta.ConnectionHandle ch, Map<String, String> info) {
        super.openConnection(ch, Map.of());
        ServerUser u = user.get();
        if (u.role() == Role.READ_ONLY) {
            try {
                Connection c = getConnection(ch.id);
                c.unwrap(UgnosConnection.class).lockReadOnly(u + " has role " + u.role());
            } catch (SQLException | RuntimeException e) {
                // never hand out a connection that could write for a read-only user
                closeConnection(ch);
                throw new IllegalStateException("cannot make the connection of " + u + " read-only: " + e.getMessage(), e);
            }
        }
    }

    /** Whether a statement with this id is open (on any connection). */
    boolean hasStatement(int statementId) {
        return getStatementCache().getIfPresent(statementId) != null;
    }

    /** Whether a connection with this id is open (it may have been closed, or expired when idle). */
    boolean hasConnection(String connectionId) {
        return getConnectionCache().getIfPresent(connectionId) != null;
    }

    /** Closes the server-side connections of clients that did not close theirs (the cache's listener closes them). */
    void closeAll() {
        getConnectionCache().invalidateAll();
        getConnectionCache().cleanUp();
    }
}
