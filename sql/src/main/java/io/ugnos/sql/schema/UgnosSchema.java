package io.ugnos.sql.schema;

import io.ugnos.engine.Database;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The series of a database as tables. The map is built on every lookup, so a series created after
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
        for (String s : db.series()) {
            m.put(s, new SeriesTable(db, s));
        }
        return m;
    }

    @Override
    public boolean isMutable() {
        return true; // tables come and go with series
    }
}
