package io.ugnos.sql.schema;

import io.ugnos.engine.Database;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The series of a database as tables, and each family of series sharing a name prefix
 * ({@code cpu.*}) as one wide table ({@link FamilyTable}). The map is built on every lookup, so a series created after
 * the connection opened is visible to the next statement (the schema is registered with caching off).
 */
public final class UgnosSchema extends AbstractSchema {
    private final Database db;

    public UgnosSchema(Database db) {
        this.db = db;
    }

    public Database database() {
        return db;
    }

    @Override
    protected Map<String, Table> getTableMap() {
        Map<String, Table> m = new LinkedHashMap<>();
        java.util.List<String> series = db.series();
        for (String s : series) {
            m.put(s, new SeriesTable(db, s));
        }
        m.putAll(FamilyTable.families(db, series)); // "cpu" over cpu.usage_user, cpu.usage_system, ...
        return m;
    }

    @Override
    public boolean isMutable() {
        return true; // tables come and go with series
    }
}
