package io.ugnos.sql;

import io.ugnos.engine.Database;
import io.ugnos.sql.schema.UgnosSchema;
import io.ugnos.sql.session.UgnosConnection;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.schema.SchemaPlus;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens SQL connections over an open {@link Database}: every series is a table in schema
 * {@code ugnos} (the default schema), identifiers match case-insensitively (as in PostgreSQL and
 * DuckDB), names with dots are double-quoted, and the session time zone is UTC whatever the JVM's default.
 *
 * <pre>{@code
 * try (Connection c = UgnosSql.connect(db);
 *      ResultSet rs = c.createStatement().executeQuery("SELECT ts, value FROM \"cpu.usage_user\" WHERE host = 'web-1'")) { ... }
 * }</pre>
 */
public final class UgnosSql {
    public static final String SCHEMA = "ugnos";

    private UgnosSql() {
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
        Connection c = DriverManager.getConnection("jdbc:calcite:", p);
        CalciteConnection cc = c.unwrap(CalciteConnection.class);
        SchemaPlus root = cc.getRootSchema();
        SchemaPlus s = root.add(SCHEMA, new UgnosSchema(db));
        s.setCacheEnabled(false);
        cc.setSchema(SCHEMA);
        return UgnosConnection.wrap(c, db);
    }
}
