package io.ugnos.sql.insert;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.TimestampString;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses INSERT statements with Calcite's Babel parser (the same lexical rules as queries: double
 * quotes for names, case kept) once, so that a batched {@code PreparedStatement} only binds values
 * per row and never plans.
 *
 * <pre>{@code
 * InsertStatement s = InsertParser.parse("INSERT INTO cpu (ts, value, host) VALUES (?, ?, ?)");
 * }</pre>
 */
public final class InsertParser {
    private static final SqlParser.Config CONFIG = SqlParser.config()
            .withParserFactory(SqlBabelParserImpl.FACTORY)
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.UNCHANGED)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(false)
            .withConformance(SqlConformanceEnum.LENIENT);

    /** Not a constant: the cell needs Calcite to evaluate it. */
    private static final Object EXPRESSION = new Object();

    private InsertParser() {
    }

    public static InsertStatement parse(String sql) throws SQLException {
        SqlNode node;
        try {
            node = SqlParser.create(sql, CONFIG).parseStmt();
        } catch (SqlParseException e) {
            var pos = e.getPos();
            String where = pos == null ? "" : " at line " + pos.getLineNum() + ", column " + pos.getColumnNum();
            throw new SQLSyntaxErrorException("syntax error in INSERT" + where + ": " + firstLine(e.getMessage()), "42000", e);
        }
        if (!(node instanceof SqlInsert insert)) {
            throw new SQLSyntaxErrorException("expected an INSERT statement, found " + node.getKind(), "42000");
        }
        if (!(insert.getTargetTable() instanceof SqlIdentifier target)) {
            throw new SQLSyntaxErrorException("INSERT must name a series, found " + insert.getTargetTable(), "42000");
        }
        String series = target.names.get(target.names.size() - 1); // the schema part, if any, can only be ugnos
        if (insert.getTargetColumnList() == null || insert.getTargetColumnList().isEmpty()) {
            throw new SQLSyntaxErrorException("INSERT INTO " + series + " needs a column list naming ts (or ts_ns), value and"
                    + " any tags, e.g. INSERT INTO " + series + " (ts, value, host) VALUES (TIMESTAMP '2024-01-01 00:00:00', 1.5, 'web-1')",
                    "42000");
        }
        List<String> columns = new ArrayList<>();
        for (SqlNode c : insert.getTargetColumnList()) {
            if (!(c instanceof SqlIdentifier id) || !id.isSimple()) {
                var pos = c.getParserPosition();
                throw new SQLSyntaxErrorException("expected a column name in the column list of the INSERT at line "
                        + pos.getLineNum() + ", column " + pos.getColumnNum() + ", found '" + c + "'", "42000");
            }
            columns.add(id.names.get(id.names.size() - 1));
        }
        int[] params = {0};
        SqlNode source = insert.getSource();
        countParams(source, params);
        List<Object[]> rows = source.getKind() == SqlKind.VALUES ? constantRows((SqlCall) source, columns.size()) : null;
        String query = rows == null ? source.toSqlString(c -> c.withDialect(CalciteSqlDialect.DEFAULT)).getSql() : null;
        return new InsertStatement(series, List.copyOf(columns), rows, query, params[0]);
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    private static void countParams(SqlNode n, int[] count) {
        if (n instanceof SqlDynamicParam p) {
            count[0] = Math.max(count[0], p.getIndex() + 1);
        } else if (n instanceof SqlCall c) {
            for (SqlNode o : c.getOperandList()) {
                if (o != null) {
                    countParams(o, count);
                }
            }
        } else if (n instanceof org.apache.calcite.sql.SqlNodeList l) {
            l.forEach(o -> countParams(o, count));
        }
    }

    /** The rows of a VALUES made only of constants and parameters; null when some cell is an expression. */
    private static List<Object[]> constantRows(SqlCall values, int width) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (SqlNode r : values.getOperandList()) {
            List<SqlNode> cells = r.getKind() == SqlKind.ROW ? ((SqlCall) r).getOperandList() : List.of(r);
            if (cells.size() != width) {
                throw new SQLSyntaxErrorException("row " + (rows.size() + 1) + " of the INSERT has " + cells.size()
                        + " values for " + width + " columns", "42000");
            }
            Object[] row = new Object[width];
            for (int i = 0; i < width; i++) {
                row[i] = constant(cells.get(i));
                if (row[i] == EXPRESSION) {
                    return null;
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static Object constant(SqlNode n) {
        if (n instanceof SqlDynamicParam p) {
            return new InsertStatement.Param(p.getIndex());
        }
        if (n instanceof SqlNumericLiteral l) {
            return l.getValueAs(BigDecimal.class);
        }
        if (n instanceof SqlLiteral l) {
            SqlTypeName t = l.getTypeName();
            if (t == SqlTypeName.NULL) {
                return null;
            }
            Object v = l.getValue();
            if (v instanceof NlsString s) {
                return s.getValue();
            }
            if (v instanceof TimestampString ts) {
                return new TimestampText(ts.toString());
            }
            if (v instanceof DateString d) {
                return new TimestampText(d.toString());
            }
            if (v instanceof Boolean || v instanceof String) {
                return v;
            }
            return EXPRESSION;
        }
        if (n instanceof SqlBasicCall c && (c.getKind() == SqlKind.MINUS_PREFIX || c.getKind() == SqlKind.PLUS_PREFIX)) {
            Object v = constant(c.operand(0));
            if (v instanceof BigDecimal d) {
                return c.getKind() == SqlKind.MINUS_PREFIX ? d.negate() : d;
            }
            return EXPRESSION;
        }
        if (n instanceof SqlBasicCall c && c.getKind() == SqlKind.CAST) {
            Object v = constant(c.operand(0)); // the target column decides the type; CAST('NaN' AS DOUBLE) stays usable
            return v instanceof InsertStatement.Param ? EXPRESSION : v;
        }
        return EXPRESSION;
    }

    /** A TIMESTAMP or DATE literal's text: a timestamp in UTC, unlike a plain string in a tag column. */
    public record TimestampText(String text) {
    }
}
