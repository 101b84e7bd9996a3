package io.ugnos.jdbc;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.ugnos.engine.Database;
import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.UgnosException;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The databases open in this JVM, shared by every connection to the same place and closed with the
 * last of them. An embedded database is keyed by its directory's real path, so that two spellings of
 * one directory share one {@link Database} (a second {@code Database.open} would fail on the lock); an
 * in-memory database is keyed by its name and lives in its own in-memory file system (Jimfs), which
 * is discarded with it.
 */
final class SharedDatabases {
    static final SharedDatabases INSTANCE = new SharedDatabases();

    private final Map<String, Entry> open = new HashMap<>();

    /** One open database and the number of connections holding it. */
    private static final class Entry {
        final String key;
        final Database db;
        final FileSystem memory;
        int refs;

        Entry(String key, Database db, FileSystem memory) {
            this.key = key;
            this.db = db;
            this.memory = memory;
        }
    }

    /** A connection's hold on a shared database; {@link #close()} lets go of it once. */
    final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean released;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        Database database() {
            return entry.db;
        }

        /** What the connection is to, for messages and {@code DatabaseMetaData.getURL}. */
        String key() {
            return entry.key;
        }

        @Override
        public void close() {
            synchronized (SharedDatabases.this) {
                if (released) {
                    return;
                }
                released = true;
                if (--entry.refs == 0) {
                    open.remove(entry.key);
                    closeEntry(entry);
                }
            }
        }
    }

    /**
     * Opens the database {@code url} names, or shares the one already open.
     *
     * @throws SQLException when the database is missing (and {@code create=false}), locked by another
     *                      process, damaged, or open here with different engine options
     */
    synchronized Lease acquire(UgnosUrl url) throws SQLException {
        String key = key(url);
        Entry e = open.get(key);
        if (e == null) {
            e = openEntry(key, url);
            open.put(key, e);
        } else {
            checkSameOptions(e, url);
        }
        e.refs++;
        Lease lease = new Lease(e);
        try {
            applyRetention(e.db, url);
        } catch (SQLException | RuntimeException ex) {
            lease.close();
            throw ex;
        }
        return lease;
    }

    /** How many databases are open, for tests. */
    synchronized int openCount() {
        return open.size();
    }

    /** Whether the database {@code url} names is open in this JVM. */
    synchronized boolean isOpen(UgnosUrl url) throws SQLException {
        return open.containsKey(key(url));
    }

    private static String key(UgnosUrl url) throws SQLException {
        if (url.kind() == UgnosUrl.Kind.MEMORY) {
            return "mem:" + url.target();
        }
        Path dir = Path.of(url.target()).toAbsolutePath().normalize();
        try {
            return Files.exists(dir) ? dir.toRealPath().toString() : dir.toString();
        } catch (IOException e) {
            throw new SQLException("cannot resolve database directory " + dir + ": " + e.getMessage(), UgnosUrl.SQL_STATE_CONNECT, e);
        }
    }

    private static Entry openEntry(String key, UgnosUrl url) throws SQLException {
        DatabaseOptions options = url.databaseOptions();
        FileSystem memory = null;
        try {
            Database db;
            if (url.kind() == UgnosUrl.Kind.MEMORY) {
                memory = Jimfs.newFileSystem(Configuration.unix());
                db = Database.open(memory.getPath("/" + "db"), options.withCreateIfMissing(true));
            } else {
                db = Database.open(Path.of(key), options);
            }
            return new Entry(key, db, memory);
        } catch (UgnosException ex) {
            closeQuietly(memory);
            throw new SQLException("cannot open ugnos database " + describe(url) + ": " + ex.getMessage(),
                    UgnosUrl.SQL_STATE_CONNECT, ex);
        }
    }

    private static String describe(UgnosUrl url) {
        return url.kind() == UgnosUrl.Kind.MEMORY ? "mem:" + url.target() : url.target();
    }

    /** Engine options are fixed when a database opens; a later connection may not silently ask for others. */
    private static void checkSameOptions(Entry e, UgnosUrl url) throws SQLException {
        DatabaseOptions have = e.db.options();
        if (url.has(ConnectionProperty.DURABILITY) && url.durability() != have.durability()) {
            throw conflict(e, "durability=" + have.durability().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (url.has(ConnectionProperty.MEMTABLE_BYTES) && url.memtableBytes() != have.memtableBytes()) {
            throw conflict(e, "memtableBytes=" + have.memtableBytes());
        }
    }

    private static SQLException conflict(Entry e, String setting) {
        return new SQLException("database " + e.key + " is already open in this JVM with " + setting
                + "; engine options are fixed while it is open: leave the property out or give the same value",
                UgnosUrl.SQL_STATE_CONNECT);
    }

    private static void applyRetention(Database db, UgnosUrl url) throws SQLException {
        Optional<Duration> ttl = url.retention();
        if (ttl.isEmpty()) {
            return;
        }
        if (url.readOnly()) {
            throw new SQLException("retention changes the database and cannot be set by a readOnly connection",
                    UgnosUrl.SQL_STATE_CONNECT);
        }
        long want = ttl.get().isZero() ? 0 : ttl.get().toNanos();
        if (db.databaseTtlNanos() != want) {
            try {
                db.setDatabaseTtl(ttl.get());
            } catch (UgnosException ex) {
                throw new SQLException("cannot set retention " + ttl.get() + ": " + ex.getMessage(), UgnosUrl.SQL_STATE_CONNECT, ex);
            }
        }
    }

    private static void closeEntry(Entry e) {
        try {
            e.db.close();
        } finally {
            closeQuietly(e.memory);
        }
    }

    private static void closeQuietly(FileSystem fs) {
        if (fs == null) {
            return;
        }
        try {
            fs.close();
        } catch (IOException ignored) {
            // an in-memory file system has nothing to fail on close
        }
    }
}
