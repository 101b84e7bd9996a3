package io.ugnos.bench.load;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a load client gets its connection for one operation: a remote client keeps one connection
 * for its whole run (as an application talking to a server would), an embedded client borrows one
 * from the pool per operation and gives it back.
 */
interface ClientConnections extends AutoCloseable {
    Connection borrow() throws SQLException;

    void giveBack(Connection c) throws SQLException;

    /** Closes what the client holds for its whole run. */
    @Override
    void close() throws SQLException;

    /** Whether a connection stays the same across operations (so statements may be kept prepared). */
    boolean kept();

    static ClientConnections kept(Connection c) {
        return new ClientConnections() {
            @Override
            public Connection borrow() {
                return c;
            }

            @Override
            public void giveBack(Connection ignored) {
            }

            @Override
            public void close() throws SQLException {
                c.close();
            }

            @Override
            public boolean kept() {
                return true;
            }
        };
    }

    static ClientConnections pooled(DataSource pool) {
        return new ClientConnections() {
            @Override
            public Connection borrow() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void giveBack(Connection c) throws SQLException {
                c.close();
            }

            @Override
            public void close() {
            }

            @Override
            public boolean kept() {
                return false;
            }
        };
    }
}
