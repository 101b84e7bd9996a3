package io.ugnos.sql.function;

import org.apache.calcite.adapter.enumerable.AggImplementor;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.AggregateFunction;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableAggFunction;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AggregateFunctionImpl;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedAggFunction;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The time-series functions of ugnos SQL:
 * <ul>
 *   <li>{@code time_bucket(INTERVAL, ts)} and {@code time_bucket(INTERVAL, ts, origin)}: the start of
 *       the bucket holding {@code ts}, buckets being {@code origin + k·interval} (TimescaleDB's
 *       meaning; the default origin is Monday 2000-01-03 00:00 UTC, so weekly buckets start on Mondays);</li>
 *   <li>{@code first(value, ts)} and {@code last(value, ts)}: the value at the earliest (latest) ts.</li>
 * </ul>
 * The planner pushes them into the engine when it can (see {@code UgnosRules}); these
 * implementations compute them in Calcite when it cannot (over a join, for instance).
 *
 * <pre>{@code
 * SELECT time_bucket(INTERVAL '5' MINUTE, ts) AS t, hostname, last(value, ts)
 * FROM "cpu.usage_user" WHERE ts >= CURRENT_TIMESTAMP - INTERVAL '1' HOUR GROUP BY 1, 2
 * }</pre>
 */
public final class UgnosFunctions {
    /** TimescaleDB's default origin, 2000-01-03T00:00:00Z, in epoch milliseconds. */
    public static final long DEFAULT_ORIGIN_MILLIS = 946_857_600_000L;

    private UgnosFunctions() {
    }

    /** Adds the functions to {@code schema}. */
    public static void register(SchemaPlus schema) {
        schema.add("time_bucket", new TypedScalar(ScalarFunctionImpl.create(UgnosFunctions.class, "timeBucket"),
                tf -> List.of(interval(tf), timestamp(tf))));
        schema.add("time_bucket", new TypedScalar(ScalarFunctionImpl.create(UgnosFunctions.class, "timeBucketFrom"),
                tf -> List.of(interval(tf), timestamp(tf), timestamp(tf))));
        schema.add("first", new TypedAggregate(AggregateFunctionImpl.create(First.class)));
        schema.add("last", new TypedAggregate(AggregateFunctionImpl.create(Last.class)));
    }

    public static boolean isTimeBucket(SqlOperator op) {
        return op instanceof SqlUserDefinedFunction f && f.function instanceof TypedScalar;
    }

    public static boolean isFirst(SqlAggFunction f) {
        return f instanceof SqlUserDefinedAggFunction u && u.function instanceof TypedAggregate t
                && t.impl.declaringClass == First.class;
    }

    public static boolean isLast(SqlAggFunction f) {
        return f instanceof SqlUserDefinedAggFunction u && u.function instanceof TypedAggregate t
                && t.impl.declaringClass == Last.class;
    }

    /** time_bucket(width, ts) with the default origin; widths and timestamps in milliseconds. */
    public static long timeBucket(long widthMillis, long tsMillis) {
        return timeBucketFrom(widthMillis, tsMillis, DEFAULT_ORIGIN_MILLIS);
    }

    /** time_bucket(width, ts, origin); milliseconds. */
    public static long timeBucketFrom(long widthMillis, long tsMillis, long originMillis) {
        if (widthMillis <= 0) {
            throw new IllegalArgumentException("time_bucket width must be positive, got " + widthMillis + " ms");
        }
        return originMillis + Math.floorDiv(tsMillis - originMillis, widthMillis) * widthMillis;
    }

    private static RelDataType interval(RelDataTypeFactory tf) {
        return tf.createSqlIntervalType(new SqlIntervalQualifier(TimeUnit.DAY, TimeUnit.SECOND, SqlParserPos.ZERO));
    }

    private static RelDataType timestamp(RelDataTypeFactory tf) {
        return tf.createSqlType(SqlTypeName.TIMESTAMP, 3);
    }

    private static List<FunctionParameter> parameters(Function<RelDataTypeFactory, List<RelDataType>> types, int n) {
        List<FunctionParameter> ps = new ArrayList<>();
        String[] names = {"bucket_width", "ts", "origin"};
        for (int i = 0; i < n; i++) {
            int ordinal = i;
            ps.add(new FunctionParameter() {
                @Override
                public int getOrdinal() {
                    return ordinal;
                }

                @Override
                public String getName() {
                    return names[ordinal];
                }

                @Override
                public RelDataType getType(RelDataTypeFactory tf) {
                    return types.apply(tf).get(ordinal);
                }

                @Override
                public boolean isOptional() {
                    return false;
                }
            });
        }
        return ps;
    }

    /**
     * A scalar function with SQL parameter types of our choosing. Declared from a Java method,
     * Calcite would type an interval parameter {@code long} as BIGINT and cast the interval to a
     * count of its leading unit ({@code INTERVAL '1' MINUTE} → 1); typed as an interval, the
     * generated code passes its internal value, milliseconds.
     */
    static final class TypedScalar implements ScalarFunction, ImplementableFunction {
        private final ScalarFunction impl;
        private final Function<RelDataTypeFactory, List<RelDataType>> types;

        TypedScalar(ScalarFunction impl, Function<RelDataTypeFactory, List<RelDataType>> types) {
            this.impl = impl;
            this.types = types;
        }

        @Override
        public RelDataType getReturnType(RelDataTypeFactory tf) {
            return tf.createTypeWithNullability(timestamp(tf), true);
        }

        @Override
        public List<FunctionParameter> getParameters() {
            return parameters(types, types.apply(new org.apache.calcite.jdbc.JavaTypeFactoryImpl()).size());
        }

        @Override
        public CallImplementor getImplementor() {
            return ((ImplementableFunction) impl).getImplementor();
        }
    }

    /** An aggregate of (DOUBLE value, TIMESTAMP ts), implemented by an accumulator class. */
    static final class TypedAggregate implements AggregateFunction, ImplementableAggFunction {
        private final AggregateFunctionImpl impl;

        TypedAggregate(AggregateFunctionImpl impl) {
            this.impl = impl;
        }

        @Override
        public RelDataType getReturnType(RelDataTypeFactory tf) {
            return tf.createTypeWithNullability(tf.createSqlType(SqlTypeName.DOUBLE), true);
        }

        @Override
        public List<FunctionParameter> getParameters() {
            return parameters(tf -> List.of(tf.createTypeWithNullability(tf.createSqlType(SqlTypeName.DOUBLE), true),
                    tf.createTypeWithNullability(timestamp(tf), true)), 2);
        }

        @Override
        public AggImplementor getImplementor(boolean windowContext) {
            return impl.getImplementor(windowContext);
        }
    }

    /** The state of first/last: the value at the best timestamp so far. */
    public static final class Pick {
        boolean any;
        double value;
        long ts;
    }

    /** first(value, ts): the value at the earliest ts; on a tie, the first seen. NULLs are skipped. */
    public static final class First {
        public static Pick init() {
            return new Pick();
        }

        public static Pick add(Pick p, Double value, Long ts) {
            if (value != null && ts != null && (!p.any || ts < p.ts)) {
                p.any = true;
                p.value = value;
                p.ts = ts;
            }
            return p;
        }

        public static Double result(Pick p) {
            return p.any ? p.value : null;
        }
    }

    /** last(value, ts): the value at the latest ts; on a tie, the last seen. NULLs are skipped. */
    public static final class Last {
        public static Pick init() {
            return new Pick();
        }

        public static Pick add(Pick p, Double value, Long ts) {
            if (value != null && ts != null && (!p.any || ts >= p.ts)) {
                p.any = true;
                p.value = value;
                p.ts = ts;
            }
            return p;
        }

        public static Double result(Pick p) {
            return p.any ? p.value : null;
        }
    }
}
