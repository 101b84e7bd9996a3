package io.ugnos.sql.function;

import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorException;

import java.util.Locale;
import java.util.Map;

import static org.apache.calcite.util.Static.RESOURCE;

/**
 * Time functions as PostgreSQL and DuckDB users (and the BI tools speaking their dialects) write
 * them, rewritten by the validator into ugnos's own forms, so that they are pushed down exactly as
 * those are:
 * <ul>
 *   <li>{@code date_trunc('hour', ts)} is {@code FLOOR(ts TO HOUR)} for {@code millisecond},
 *       {@code second}, {@code minute}, {@code hour}, {@code day}, {@code month}, {@code quarter} and
 *       {@code year} (singular or plural, any case; {@code microsecond} is the millisecond, the
 *       precision of {@code ts}), and {@code time_bucket(INTERVAL '7' DAY, ts)} for {@code week}
 *       (weeks start on Monday, as in PostgreSQL; {@code FLOOR(ts TO WEEK)} starts them on Sunday);</li>
 *   <li>{@code now()} is {@code CURRENT_TIMESTAMP}.</li>
 * </ul>
 * The unit must be a string literal: it decides the result's meaning, so it cannot wait for a
 * parameter's value.
 */
public final class PostgresTimeFunctions {
    private static final Map<String, TimeUnit> FLOOR_UNITS = Map.of(
            "microsecond", TimeUnit.MILLISECOND, "millisecond", TimeUnit.MILLISECOND, "second", TimeUnit.SECOND,
            "minute", TimeUnit.MINUTE, "hour", TimeUnit.HOUR, "day", TimeUnit.DAY, "month", TimeUnit.MONTH,
            "quarter", TimeUnit.QUARTER, "year", TimeUnit.YEAR);
    private static final String UNITS = "microsecond, millisecond, second, minute, hour, day, week, month, quarter or year";

    /** {@code date_trunc(unit, timestamp)}. */
    public static final SqlFunction DATE_TRUNC = new SqlFunction("DATE_TRUNC", SqlKind.DATE_TRUNC,
            ReturnTypes.ARG1_NULLABLE, null, OperandTypes.sequence("DATE_TRUNC('<unit>', <TIMESTAMP>)",
            OperandTypes.CHARACTER, OperandTypes.TIMESTAMP), SqlFunctionCategory.TIMEDATE) {
        @Override
        public SqlNode rewriteCall(SqlValidator validator, SqlCall call) {
            if (call.operandCount() != 2) {
                return call; // the operand check reports the signature
            }
            SqlNode unit = call.operand(0);
            SqlNode ts = call.operand(1);
            SqlParserPos pos = call.getParserPosition();
            if (!(unit instanceof SqlCharStringLiteral literal)) {
                throw error(unit, "the unit of DATE_TRUNC must be a string literal such as 'hour' ("
                        + UNITS + "), not " + unit);
            }
            String name = literal.getValueAs(String.class).trim().toLowerCase(Locale.ROOT);
            String singular = name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
            if (singular.equals("week")) {
                SqlNode week = SqlLiteral.createInterval(1, "7", new SqlIntervalQualifier(TimeUnit.DAY, null, pos), pos);
                return new SqlUnresolvedFunction(new SqlIdentifier("TIME_BUCKET", pos), null, null, null, null,
                        SqlFunctionCategory.USER_DEFINED_FUNCTION).createCall(pos, week, ts);
            }
            TimeUnit floor = FLOOR_UNITS.get(singular);
            if (floor == null) {
                throw error(unit, "unknown DATE_TRUNC unit '" + literal.getValueAs(String.class) + "'; use " + UNITS);
            }
            return SqlStdOperatorTable.FLOOR.createCall(pos, ts, new SqlIntervalQualifier(floor, null, unit.getParserPosition()));
        }
    };

    /** {@code now()}. */
    public static final SqlFunction NOW = new SqlFunction("NOW", SqlKind.OTHER_FUNCTION, ReturnTypes.TIMESTAMP, null,
            OperandTypes.NILADIC, SqlFunctionCategory.TIMEDATE) {
        @Override
        public SqlNode rewriteCall(SqlValidator validator, SqlCall call) {
            return call.operandCount() == 0 ? SqlStdOperatorTable.CURRENT_TIMESTAMP.createCall(call.getParserPosition()) : call;
        }
    };

    /** The operators, for the validator's operator table. */
    public static final SqlOperatorTable TABLE = SqlOperatorTables.of(DATE_TRUNC, NOW);

    private PostgresTimeFunctions() {
    }

    /**
     * {@code node} with our {@link #DATE_TRUNC} in place of the operator the parser chose for a
     * {@code DATE_TRUNC(…)} call (BigQuery's {@code DATE_TRUNC(date, part)}, which the libraries a
     * connection loads do not include); any other node as it is. The validator then rewrites it
     * with the other calls.
     */
    public static SqlNode claim(SqlNode node) {
        if (node instanceof SqlCall call && call.getKind() == SqlKind.DATE_TRUNC && call.getOperator() != DATE_TRUNC) {
            return DATE_TRUNC.createCall(call.getFunctionQuantifier(), call.getParserPosition(),
                    call.getOperandList().toArray(SqlNode[]::new));
        }
        return node;
    }

    /** A validation error at {@code node}, with its position, as Calcite reports its own. */
    private static CalciteContextException error(SqlNode node, String message) {
        SqlParserPos p = node.getParserPosition();
        CalciteContextException e = RESOURCE.validatorContext(p.getLineNum(), p.getColumnNum(), p.getEndLineNum(),
                p.getEndColumnNum()).ex(new SqlValidatorException(message, null));
        e.setPosition(p.getLineNum(), p.getColumnNum(), p.getEndLineNum(), p.getEndColumnNum());
        return e;
    }
}
