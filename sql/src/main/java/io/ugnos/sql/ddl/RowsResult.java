package io.ugnos.sql.ddl;

import javax.sql.RowSetMetaData;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetMetaDataImpl;
import javax.sql.rowset.RowSetProvider;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Builds the result sets of the SHOW commands as JDK {@link CachedRowSet}s: a standard, detached
 * {@link ResultSet} with full {@link ResultSetMetaData}, which Avatica's JdbcMeta can describe and
 * page through like any driver's result.
 */
final class RowsResult {
    /** A column: its name and {@link Types} code, VARCHAR or BIGINT. */
    record Column(String name, int type) {
    }

    private RowsResult() {
    }

    static ResultSet of(List<Column> columns, List<Object[]> rows) throws SQLException {
        RowSetMetaData md = new RowSetMetaDataImpl();
        md.setColumnCount(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            int j = i + 1;
            md.setColumnName(j, c.name());
            md.setColumnLabel(j, c.name());
            md.setColumnType(j, c.type());
            md.setColumnTypeName(j, c.type() == Types.BIGINT ? "BIGINT" : "VARCHAR");
            md.setNullable(j, ResultSetMetaData.columnNullable);
            md.setSchemaName(j, "");
            md.setTableName(j, "");
            md.setCatalogName(j, "");
            md.setPrecision(j, c.type() == Types.BIGINT ? 19 : 65535);
            md.setColumnDisplaySize(j, c.type() == Types.BIGINT ? 20 : 255);
            md.setSigned(j, c.type() == Types.BIGINT);
        }
        CachedRowSet rs = RowSetProvider.newFactory().createCachedRowSet();
        rs.setMetaData(md);
        for (Object[] row : rows) {
            rs.moveToInsertRow();
            for (int i = 0; i < row.length; i++) {
                rs.updateObject(i + 1, row[i]);
            }
            rs.insertRow();
        }
        rs.moveToCurrentRow();
        rs.beforeFirst();
        return rs;
    }
}
