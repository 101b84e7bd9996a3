package io.ugnos.jdbc;

import io.ugnos.engine.Database;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Walks the metadata the way a database browser (DBeaver, DataGrip) does when it opens a connection. */
class MetaDataBrowsingTest {
    private static Connection conn;
    private static DatabaseMetaData md;

    @BeforeAll
    static void open() throws SQLException {
        conn = DriverManager.getConnection("jdbc:ugnos:mem:browse");
        WriteBatch b = new WriteBatch();
        b.add("zz.last", TagSet.of("host", "x"), 1_000L, 0.0); // written first, listed last
        b.add("cpu.usage_user", TagSet.of("host", "web-1", "region", "eu"), 1_000L, 1.0);
        b.add("mem.used", TagSet.of("host", "db-1"), 1_000L, 50.0);
        conn.unwrap(Database.class).write(b);
        md = conn.getMetaData();
    }

    @AfterAll
    static void close() throws SQLException {
        conn.close();
    }

    private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (rs) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void productDriverAndConnectionIdentifyUgnos() throws SQLException {
        assertThat(md.getDatabaseProductName()).isEqualTo("ugnos");
        assertThat(md.getDatabaseProductVersion()).isEqualTo(DriverVersion.VERSION).matches("\\d+\\.\\d+.*");
        assertThat(md.getDriverName()).isEqualTo("ugnos JDBC driver");
        assertThat(md.getDriverMajorVersion()).isEqualTo(new Driver().getMajorVersion());
        assertThat(md.getURL()).isEqualTo("jdbc:ugnos:mem:browse");
        assertThat(md.getConnection()).isSameAs(conn);
        assertThat(md.getIdentifierQuoteString()).isEqualTo("\"");
        assertThat(md.getSQLKeywords()).contains("LIMIT").doesNotContain("SELECT"); // only non-SQL:2003 words
        assertThat(md.getNumericFunctions()).contains("ABS", "FLOOR");
        assertThat(md.supportsTransactions()).isFalse();
    }

    @Test
    void catalogsAndSchemasListTheUgnosSchema() throws SQLException {
        // Calcite has one unnamed catalog; tools show its schemas directly
        assertThat(rows(md.getCatalogs())).extracting(r -> r.get("TABLE_CAT")).containsExactly((Object) null);
        assertThat(rows(md.getSchemas())).extracting(r -> r.get("TABLE_SCHEM")).contains("ugnos", "metadata");
        assertThat(rows(md.getSchemas(null, "ugn%"))).extracting(r -> r.get("TABLE_SCHEM")).containsExactly("ugnos");
        assertThat(conn.getSchema()).isEqualTo("ugnos");
        assertThat(rows(md.getTableTypes())).extracting(r -> r.get("TABLE_TYPE")).contains("TABLE");
    }

    @Test
    void everySeriesIsATable() throws SQLException {
        List<Map<String, Object>> tables = rows(md.getTables(null, "ugnos", "%", new String[]{"TABLE"}));
        assertThat(tables).extracting(r -> r.get("TABLE_NAME")).containsExactly("cpu.usage_user", "mem.used", "zz.last");
        assertThat(tables).extracting(r -> r.get("TABLE_TYPE")).containsOnly("TABLE");
        // a family of series sharing a prefix is also a wide table, listed as a view
        assertThat(rows(md.getTables(null, null, "cpu%", null))).extracting(r -> r.get("TABLE_TYPE") + " " + r.get("TABLE_NAME"))
                .containsExactly("TABLE cpu.usage_user", "VIEW cpu");
        // JDBC's order: by type, catalog, schema, name (Calcite's own is hash order)
        assertThat(rows(md.getTables(null, null, "%", null))).extracting(r -> r.get("TABLE_TYPE") + " " + r.get("TABLE_NAME"))
                .containsExactly("SYSTEM TABLE COLUMNS", "SYSTEM TABLE TABLES", "TABLE cpu.usage_user", "TABLE mem.used",
                        "TABLE zz.last", "VIEW cpu", "VIEW mem", "VIEW zz");
        try (ResultSet rs = md.getTables(null, "ugnos", "%", new String[]{"TABLE"})) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("table_name")).isEqualTo("cpu.usage_user");
            assertThat(rs.getString(5)).isNull(); // REMARKS
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.next()).isTrue();
            assertThat(rs.next()).isTrue();
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void columnsHavePlainTypeNamesSizesAndNullability() throws SQLException {
        for (Map<String, Object> table : rows(md.getTables(null, "ugnos", "%", new String[]{"TABLE"}))) {
            List<Map<String, Object>> cols = rows(md.getColumns(null, "ugnos", (String) table.get("TABLE_NAME"), "%"));
            assertThat(cols).extracting(r -> r.get("COLUMN_NAME")).startsWith("ts", "value").endsWith("ts_ns");
            for (Map<String, Object> c : cols) {
                assertThat((String) c.get("TYPE_NAME")).doesNotContain("NOT NULL").doesNotContain("(");
                assertThat(((Number) c.get("COLUMN_SIZE")).intValue()).isPositive();
                assertThat(c.get("IS_AUTOINCREMENT")).isEqualTo("NO");
                assertThat(c.get("IS_GENERATEDCOLUMN")).isEqualTo("NO");
            }
        }
        List<Map<String, Object>> cpu = rows(md.getColumns(null, "ugnos", "cpu.usage_user", "%"));
        assertThat(cpu).extracting(r -> r.get("COLUMN_NAME")).containsExactly("ts", "value", "host", "region", "ts_ns");
        assertThat(cpu).extracting(r -> r.get("TYPE_NAME")).containsExactly("TIMESTAMP", "DOUBLE", "VARCHAR", "VARCHAR", "BIGINT");
        assertThat(cpu).extracting(r -> ((Number) r.get("DATA_TYPE")).intValue())
                .containsExactly(Types.TIMESTAMP, Types.DOUBLE, Types.VARCHAR, Types.VARCHAR, Types.BIGINT);
        assertThat(cpu).extracting(r -> r.get("IS_NULLABLE")).containsExactly("NO", "NO", "YES", "YES", "NO");
        assertThat(cpu).extracting(r -> ((Number) r.get("NULLABLE")).intValue()).containsExactly(
                DatabaseMetaData.columnNoNulls, DatabaseMetaData.columnNoNulls, DatabaseMetaData.columnNullable,
                DatabaseMetaData.columnNullable, DatabaseMetaData.columnNoNulls);
        assertThat(cpu.get(0).get("COLUMN_SIZE")).isEqualTo(23); // yyyy-mm-dd hh:mm:ss.fff
        assertThat(cpu.get(0).get("DECIMAL_DIGITS")).isEqualTo(3);
        assertThat(cpu.get(1).get("COLUMN_SIZE")).isEqualTo(15);

        // typed getters and wasNull agree with getObject
        try (ResultSet rs = md.getColumns(null, "ugnos", "cpu.usage_user", "value")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("TYPE_NAME")).isEqualTo("DOUBLE");
            assertThat(rs.getInt("COLUMN_SIZE")).isEqualTo(15);
            assertThat(rs.wasNull()).isFalse();
            rs.getInt("DECIMAL_DIGITS");
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void keysIndexesAndPrivilegesAreEmptyRatherThanFailing() throws SQLException {
        assertThat(rows(md.getPrimaryKeys(null, "ugnos", "cpu.usage_user"))).isEmpty();
        assertThat(rows(md.getIndexInfo(null, "ugnos", "cpu.usage_user", false, true))).isEmpty();
        assertThat(rows(md.getImportedKeys(null, "ugnos", "cpu.usage_user"))).isEmpty();
        assertThat(rows(md.getExportedKeys(null, "ugnos", "cpu.usage_user"))).isEmpty();
        assertThat(rows(md.getCrossReference(null, "ugnos", "cpu.usage_user", null, "ugnos", "mem.used"))).isEmpty();
        assertThat(rows(md.getBestRowIdentifier(null, "ugnos", "cpu.usage_user", DatabaseMetaData.bestRowSession, true))).isEmpty();
        assertThat(rows(md.getTablePrivileges(null, "ugnos", "%"))).isEmpty();
        assertThat(rows(md.getProcedures(null, "ugnos", "%"))).isEmpty();
    }

    @Test
    void typeInfoCoversTheColumnTypes() throws SQLException {
        List<Map<String, Object>> types = rows(md.getTypeInfo());
        assertThat(types).extracting(r -> r.get("TYPE_NAME")).contains("TIMESTAMP", "DOUBLE", "VARCHAR", "BIGINT", "BOOLEAN");
        Map<String, Object> timestamp = types.stream().filter(r -> r.get("TYPE_NAME").equals("TIMESTAMP")).findFirst().orElseThrow();
        assertThat(((Number) timestamp.get("DATA_TYPE")).intValue()).isEqualTo(Types.TIMESTAMP);
        assertThat(timestamp.get("LITERAL_PREFIX")).isEqualTo("TIMESTAMP '");
    }

    @Test
    void aTableFoundInTheMetadataCanBeQueriedByItsQuotedName() throws SQLException {
        String quote = md.getIdentifierQuoteString();
        for (Map<String, Object> table : rows(md.getTables(null, "ugnos", "%", new String[]{"TABLE"}))) {
            String sql = "SELECT * FROM " + quote + table.get("TABLE_SCHEM") + quote + "." + quote + table.get("TABLE_NAME") + quote;
            try (ResultSet rs = conn.createStatement().executeQuery(sql)) {
                assertThat(rs.next()).as(sql).isTrue();
            }
        }
    }
}
