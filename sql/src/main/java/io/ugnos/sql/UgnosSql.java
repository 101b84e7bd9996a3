package io.ugnos.sql;

import io.ugnos.engine.Database;
import io.ugnos.sql.function.UgnosFunctions;
import io.ugnos.sql.schema.UgnosSchema;
import io.ugnos.sql.session.UgnosConnection;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.Driver;
import org.apache.calcite.schema.SchemaPlus;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;

/**
 * Opens SQL connections over an open {@link Database}: every series is a table in schema
 * {@code ugnos} (the default schema), identifiers match case-insensitively (as in PostgreSQL and
 * DuckDB), names with dots are double-quoted, and the session time zone is UTC whatever the JVM's default.
 * Each connection caches its plans by SQL text (see {@link #planStats}).
 *
 * <pre>{@code
 * try (Connection c = UgnosSql.connect(db);
 *      ResultSet rs = c.createStatement().executeQuery("SELECT ts, value FROM \"cpu.usage_user\" WHERE host = 'web-1'")) { ... }
 * }</pre>
 */
public final class UgnosSql {
    public static final String SCHEMA = "ugnos";

    /** Plan caches by connection, for {@link #planStats}. */
    private static final Map<CalciteConnection, UgnosPrepare.PlanCache> CACHES = new WeakHashMap<>();

    private UgnosSql() {
    }

    /**
     * Statements planned and plan-cache hits on one connection.
     *
     * @param fastPlans plans made by the single-series fast path, without the cost-based planner
     */
    public record PlanStats(long cacheHits, long cacheMisses, long planningNanos, long fastPlans) {
    }

    public static Connection connect(Database db) throws SQLException {
        Properties p = new Properties();
        // Babel: Calcite's lenient parser, in which VALUE and other common column names are not reserved
        p.setProperty("parserFactory", "org.apache.calcite.sql.parser.babel.SqlBabelParserImpl#FACTORY");
        p.setProperty("quoting", "DOUBLE_QUOTE");
        p.setProperty("caseSensitive", "false");
        p.setProperty("unquotedCasing", "UNCHANGED");
        p.setProperty("quotedCasing", "UNCHANGED");
        p.setProperty("timeZone", "UTC");
        p.setProperty("conformance", "LENIENT");
        p.setProperty("fun", "standard,postgresql");
        UgnosPrepare.PlanCache cache = new UgnosPrepare.PlanCache(db::schemaVersion);
        ReadOnceConnectionConfig config = new ReadOnceConnectionConfig(p); // the connection's properties are p
        java.util.Set<List<Object>> withoutFunctions = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Driver driver = new UgnosCalciteDriver(() -> new UgnosPrepare(cache, config, withoutFunctions), config);
        Connection c = driver.connect("jdbc:calcite:", p);
        CalciteConnection cc = c.unwrap(CalciteConnection.class);
        SchemaPlus root = cc.getRootSchema();
        SchemaPlus s = root.add(SCHEMA, new UgnosSchema(db));
        s.setCacheEnabled(false);
        UgnosFunctions.register(s);
        cc.setSchema(SCHEMA);
        synchronized (CACHES) {
            CACHES.put(cc, cache);
        }
        return UgnosConnection.wrap(c, db);
    }

    /** Plan-cache figures of a connection opened by {@link #connect}. */
    public static PlanStats planStats(Connection c) throws SQLException {
        UgnosPrepare.PlanCache cache;
        synchronized (CACHES) {
            cache = CACHES.get(c.unwrap(CalciteConnection.class));
        }
        if (cache == null) {
            throw new SQLException("not a connection opened by UgnosSql.connect");
        }
        return cache.stats();
    }
}
