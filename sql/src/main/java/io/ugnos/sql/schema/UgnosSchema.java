package io.ugnos.sql.schema;

import io.ugnos.engine.Database;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The series of a database as tables, and each family of series sharing a name prefix
 * ({@code cpu.*}) as one wide table ({@link FamilyTable}). The map is rebuilt whenever the database's
 * schema version has moved (a series or tag key appeared, a series went), so a series created after
 * the connection opened is visible to the next statement (the schema is registered with caching
 * off); otherwise the last map is reused. Calcite asks for it once per table name while resolving a
 * statement, so rebuilding it every time made planning quadratic in the number of series.
 */
public final class UgnosSchema extends AbstractSchema {
    private final Database db;
    private volatile Tables cached;

    /** The tables as of a schema version. */
    private record Tables(long version, Map<String, Table> map) {
    }

    public UgnosSchema(Database db) {
        this.db = db;
    }

    public Database database() {
        return db;
    }

    @Override
    protected Map<String, Table> getTableMap() {
        // the version is read before the map is built: a change made meanwhile moves the version
        // past it (the engine bumps it after installing the change), so the next call rebuilds
        long version = db.schemaVersion();
        Tables c = cached;
        if (c != null && c.version() == version) {
            return c.map();
        }
        Map<String, Table> m = buildTableMap();
        cached = new Tables(version, m);
        return m;
    }

    private Map<String, Table> buildTableMap() {
        Map<String, Table> m = new LinkedHashMap<>();
        java.util.List<String> series = db.series();
        for (String s : series) {
            m.put(s, new SeriesTable(db, s));
        }
        m.putAll(FamilyTable.families(db, series)); // "cpu" over cpu.usage_user, cpu.usage_system, ...
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public boolean isMutable() {
        return true; // tables come and go with series
    }
}
