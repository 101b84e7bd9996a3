package io.ugnos.sql;

import io.ugnos.sql.function.FirstLastSyntax;
import io.ugnos.sql.rel.QueryRuntime;
import io.ugnos.sql.rel.UgnosQuery;
import io.ugnos.sql.rules.SingleSeriesProgram;
import org.apache.calcite.DataContext;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.config.CalciteSystemProperty;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.runtime.Hook;
import org.apache.calcite.DataContexts;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.runtime.ArrayBindable;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.runtime.Typed;

import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Calcite's statement preparation with these additions for ugnos.
 * <ul>
 *   <li>A plan cache: the same SQL text prepared again on a connection reuses the plan, as long as
 *       the database's schema (series and their tag keys) has not changed since. Calcite plans every
 *       statement afresh otherwise; its own compiled-code cache is off by default.</li>
 *   <li>A plan that is a single engine request ({@link UgnosQuery} at the root) runs without
 *       generating and compiling Java code, which is most of Calcite's planning time for simple
 *       queries.</li>
 *   <li>Planning a new statement does as little beyond Calcite's front end as it can: the core
 *       grammar parses before Babel ({@link CoreFirstParser}), the connection's settings are read
 *       once ({@link ReadOnceConnectionConfig}), Calcite's default rules are registered only when
 *       the cost-based planner runs, "no such function" answers are remembered
 *       ({@link CatalogFunctionTable}), and a single-series chain skips the decorrelation walk.</li>
 * </ul>
 */
final class UgnosPrepare extends CalcitePrepareImpl {
    private final PlanCache cache;
    private final ReadOnceConnectionConfig config;
    private final java.util.Set<List<Object>> withoutFunctions;

    /**
     * @param cache            the connection's plans
     * @param config           the connection's configuration, read once (Calcite re-reads it for every value)
     * @param withoutFunctions the connection's names known to have no function ({@link CatalogFunctionTable})
     */
    UgnosPrepare(PlanCache cache, ReadOnceConnectionConfig config, java.util.Set<List<Object>> withoutFunctions) {
        this.cache = cache;
        this.config = config;
        this.withoutFunctions = withoutFunctions;
    }

    @Override
    public <T> CalciteSignature<T> prepareSql(Context connectionContext, Query<T> query, Type elementType, long maxRowCount) {
        Context context = ReadOnceContext.of(connectionContext, config);
        if (query.sql == null) {
            return super.prepareSql(context, query, elementType, maxRowCount);
        }
        PlanCache.Key key = cache.key(query.sql, context.getDefaultSchemaPath(), elementType, maxRowCount);
        @SuppressWarnings("unchecked")
        CalciteSignature<T> hit = (CalciteSignature<T>) cache.get(key);
        if (hit != null) {
            cache.count(true);
            return hit;
        }
        CalciteSignature<T> shared = withLiftedConstants(context, query.sql, elementType, maxRowCount);
        if (shared != null) {
            cache.put(key, shared); // the same text again is then a plain hit, without lifting its constants anew
            return shared;
        }
        cache.count(false);
        CalciteSignature<T> signature = plan(context, query, elementType, maxRowCount);
        if (signature.statementType == Meta.StatementType.SELECT) {
            cache.put(key, signature);
        }
        return signature;
    }

    private <T> CalciteSignature<T> plan(Context context, Query<T> query, Type elementType, long maxRowCount) {
        long start = System.nanoTime();
        String sql = IntervalSyntax.rewrite(FirstLastSyntax.rewrite(query.sql));
        CalciteSignature<T> signature = rowsAsLists(super.prepareSql(context, sql.equals(query.sql) ? query : Query.of(sql),
                elementType, maxRowCount));
        cache.planned(System.nanoTime() - start);
        return signature;
    }

    /**
     * {@code s} with its multi-column rows handed to Avatica as lists ({@code Arrays.asList} over the
     * row array, no copy) instead of arrays.
     *
     * <p>Why: Avatica's array cursor reads every value through {@code row instanceof List} before it
     * indexes an {@code Object[]}; on Java 17 that failed interface check on an array costs 20–50 ns
     * (the JVM scans the array class's secondary supers and does not remember a miss), more than
     * reading the value. A list passes the check at once. Rows that are already lists (the family
     * scan's) and one-column results (read as the value itself) are left alone.
     */
    static <T> CalciteSignature<T> rowsAsLists(CalciteSignature<T> s) {
        if (s.cursorFactory.style != Meta.Style.ARRAY || s.statementType != Meta.StatementType.SELECT) {
            return s;
        }
        return new CalciteSignature<>(s.sql, s.parameters, s.internalParameters, s.rowType, s.columns, s.cursorFactory,
                s.rootSchema, s.getCollationList(), -1, null, s.statementType) { // s applies its own row limit
            @Override
            @SuppressWarnings("unchecked")
            public Enumerable<T> enumerable(DataContext dataContext) {
                return (Enumerable<T>) s.enumerable(dataContext)
                        .select(row -> row instanceof Object[] a ? (Object) java.util.Arrays.asList(a) : row);
            }
        };
    }

    /**
     * The plan of {@code sql} with its constants lifted into parameters ({@link LiteralLifter}),
     * shared by every query that differs only in those constants and bound to this query's; null
     * when the constants cannot be lifted, and the query is planned as written.
     */
    private <T> CalciteSignature<T> withLiftedConstants(Context context, String sql, Type elementType, long maxRowCount) {
        LiteralLifter.Lifted lifted = LiteralLifter.lift(sql);
        if (lifted == null) {
            return null;
        }
        String shape = lifted.sql() + lifted.constants().stream()
                .map(c -> c.getClass().getSimpleName()).collect(java.util.stream.Collectors.joining(",", "\u0000", ""));
        PlanCache.Key key = cache.key(shape, context.getDefaultSchemaPath(), elementType, maxRowCount);
        CalciteSignature<?> shared = cache.get(key);
        boolean cached = shared != null;
        if (shared == null) {
            try {
                shared = plan(context, Query.<T>of(lifted.sql()), elementType, maxRowCount);
            } catch (RuntimeException notAsParameters) {
                shared = PlanCache.REFUSED; // e.g. a parameter whose type cannot be inferred there
            }
            if (shared != PlanCache.REFUSED && shared.statementType != Meta.StatementType.SELECT) {
                shared = PlanCache.REFUSED;
            }
            cache.put(key, shared);
        }
        if (shared == PlanCache.REFUSED) {
            return null;
        }
        List<Object> values = LiteralLifter.bind(lifted.constants(),
                shared.parameters.stream().map(p -> p.parameterType).toList());
        if (values == null) {
            return null;
        }
        cache.count(cached);
        @SuppressWarnings("unchecked")
        CalciteSignature<T> plan = (CalciteSignature<T>) shared;
        Map<String, Object> internal = new java.util.HashMap<>(plan.internalParameters);
        for (int i = 0; i < values.size(); i++) {
            internal.put("?" + i, values.get(i)); // where a statement's bound parameters go
        }
        return new CalciteSignature<>(sql, List.of(), internal, plan.rowType, plan.columns, plan.cursorFactory,
                plan.rootSchema, plan.getCollationList(), maxRowCount, null, plan.statementType) {
            @Override
            public Enumerable<T> enumerable(DataContext dataContext) {
                return plan.enumerable(dataContext);
            }
        };
    }

    /** Statements are parsed by the core parser when it accepts them, else by the lenient one configured ({@link CoreFirstParser}). */
    @Override
    protected org.apache.calcite.sql.parser.SqlParser createParser(String sql, org.apache.calcite.sql.parser.SqlParser.Config parserConfig) {
        if (parserConfig.parserFactory() == org.apache.calcite.sql.parser.impl.SqlParserImpl.FACTORY
                || CoreFirstParser.LENIENT_WORDS.matcher(sql).find()) {
            return super.createParser(sql, parserConfig); // already the core parser, or a word the core grammar reserves
        }
        return org.apache.calcite.sql.parser.SqlParser.create(sql,
                parserConfig.withParserFactory(CoreFirstParser.factory(parserConfig.parserFactory())));
    }

    @Override
    public <T> CalciteSignature<T> prepareQueryable(Context context, org.apache.calcite.linq4j.Queryable<T> queryable) {
        return super.prepareQueryable(ReadOnceContext.of(context, config), queryable);
    }

    /**
     * Calcite's planner without its rules: they are registered by {@link #registerRules} when the
     * plan needs the cost-based search, which a single-series statement does not (registering
     * the hundred-odd default rules was 3–4% of planning one). What Calcite's
     * {@link #createPlanner(Context, org.apache.calcite.plan.Context, org.apache.calcite.plan.RelOptCostFactory)}
     * does otherwise.
     */
    @Override
    protected List<org.apache.calcite.linq4j.function.Function1<Context, RelOptPlanner>> createPlannerFactories() {
        return List.of(context -> {
            VolcanoPlanner planner = new VolcanoPlanner(null, Contexts.of(context.config()));
            planner.setExecutor(new RexExecutorImpl(DataContexts.EMPTY));
            planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
            if (CalciteSystemProperty.ENABLE_COLLATION_TRAIT.value()) {
                planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
            }
            planner.setTopDownOpt(context.config().topDownOpt());
            return planner;
        });
    }

    /**
     * Registers what {@link CalcitePrepareImpl#createPlanner} would have: Calcite's default rules,
     * then the test hook. Rules added since (a table's own, when it was converted) are moved after
     * them, so that the planner sees the rules in the order it always did.
     */
    private void registerRules(RelOptPlanner planner, Context context) {
        List<RelOptRule> added = List.copyOf(planner.getRules());
        added.forEach(planner::removeRule);
        RelOptUtil.registerDefaultRules(planner, context.config().materializationsEnabled(), enableBindable);
        Hook.PLANNER.run(planner);
        added.forEach(planner::addRule);
    }

    @Override
    protected CalcitePreparingStmt getPreparingStmt(Context context, Type elementType,
                                                    CalciteCatalogReader catalogReader, RelOptPlanner planner) {
        if (elementType != Object[].class) {
            registerRules(planner, context); // Calcite's own statement runs the cost-based search
            return super.getPreparingStmt(context, elementType, catalogReader, planner);
        }
        return new CalcitePreparingStmt(this, context, catalogReader, context.getTypeFactory(), context.getRootSchema(),
                org.apache.calcite.adapter.enumerable.EnumerableRel.Prefer.ARRAY,
                createCluster(planner, new org.apache.calcite.rex.RexBuilder(context.getTypeFactory())),
                org.apache.calcite.adapter.enumerable.EnumerableConvention.INSTANCE, createConvertletTable()) {
            @Override
            protected org.apache.calcite.sql2rel.SqlToRelConverter getSqlToRelConverter(
                    org.apache.calcite.sql.validate.SqlValidator validator,
                    org.apache.calcite.prepare.Prepare.CatalogReader catalogReader,
                    org.apache.calcite.sql2rel.SqlToRelConverter.Config config) {
                // keep IN lists of any length a predicate (a Sarg the engine resolves through its
                // index) instead of Calcite's default, a join with a VALUES table from 20 items on
                return super.getSqlToRelConverter(validator, catalogReader, config.withInSubQueryThreshold(Integer.MAX_VALUE));
            }

            @Override
            protected org.apache.calcite.tools.Program getProgram() {
                // Calcite's standard program is built only when the fast path cannot plan the statement
                org.apache.calcite.tools.Program full = (p, rel, traits, materializations, lattices) ->
                        super.getProgram().run(p, rel, traits, materializations, lattices);
                return new SingleSeriesProgram(full, () -> registerRules(planner, context), cache::fastPlanned);
            }

            /**
             * Calcite's validator, with the catalog's functions looked up through {@link CatalogFunctionTable}
             * and PostgreSQL's spellings of time functions ({@link io.ugnos.sql.function.PostgresTimeFunctions}).
             */
            @Override
            protected org.apache.calcite.sql.validate.SqlValidator createSqlValidator(
                    org.apache.calcite.prepare.Prepare.CatalogReader catalogReader,
                    java.util.function.UnaryOperator<org.apache.calcite.sql.validate.SqlValidator.Config> configTransform) {
                org.apache.calcite.config.CalciteConnectionConfig c = context.config();
                org.apache.calcite.sql.SqlOperatorTable operators = org.apache.calcite.sql.util.SqlOperatorTables.chain(
                        c.fun(org.apache.calcite.sql.SqlOperatorTable.class, org.apache.calcite.sql.fun.SqlStdOperatorTable.instance()),
                        new CatalogFunctionTable(catalogReader, withoutFunctions), io.ugnos.sql.function.PostgresTimeFunctions.TABLE);
                return new org.apache.calcite.prepare.CalciteSqlValidator(operators, (CalciteCatalogReader) catalogReader,
                        context.getTypeFactory(), configTransform.apply(org.apache.calcite.sql.validate.SqlValidator.Config.DEFAULT
                                .withLenientOperatorLookup(c.lenientOperatorLookup())
                                .withConformance(c.conformance())
                                .withDefaultNullCollation(c.defaultNullCollation())
                                .withIdentifierExpansion(true))) {
                    @Override
                    protected org.apache.calcite.sql.SqlNode performUnconditionalRewrites(org.apache.calcite.sql.SqlNode node,
                                                                                         boolean underFrom) {
                        // the parser reads DATE_TRUNC as BigQuery's function; ours rewrites PostgreSQL's
                        return super.performUnconditionalRewrites(io.ugnos.sql.function.PostgresTimeFunctions.claim(node), underFrom);
                    }
                };
            }

            @Override
            protected RelNode decorrelate(org.apache.calcite.sql2rel.SqlToRelConverter converter,
                                          org.apache.calcite.sql.SqlNode query, RelNode rootRel) {
                // nothing to decorrelate in a chain over one series without subqueries; Calcite
                // would walk the plan to find that out
                return SingleSeriesProgram.isChainOverOneSeries(rootRel) && !SingleSeriesProgram.hasSubQuery(rootRel)
                        ? rootRel : super.decorrelate(converter, query, rootRel);
            }

            @Override
            protected List<org.apache.calcite.jdbc.CalciteSchema.LatticeEntry> getLattices() {
                // ugnos schemas define no lattices; Calcite would walk every schema to find that out
                return List.of();
            }

            @Override
            protected RelRoot trimUnusedFields(RelRoot root) {
                // a query over one series needs no trimming: the pushdown rules keep only the
                // columns used; joins and subqueries are trimmed as Calcite always does
                return SingleSeriesProgram.isChainOverOneSeries(root.rel) ? root : super.trimUnusedFields(root);
            }

            @Override
            protected PreparedResult implement(RelRoot root) {
                if (!(root.rel instanceof UgnosQuery q) || !root.isRefTrivial() || root.kind.belongsTo(org.apache.calcite.sql.SqlKind.DML)) {
                    return super.implement(root);
                }
                Bindable<Object[]> bindable = new DirectBindable(q);
                return new PreparedResultImpl(root.rel.getRowType(), parameterRowType, fieldOrigins,
                        root.collation.getFieldCollations().isEmpty() ? List.of() : List.of(root.collation),
                        root.rel, null, false) {
                    @Override
                    public String getCode() {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public Bindable getBindable(Meta.CursorFactory cursorFactory) {
                        return bindable;
                    }

                    @Override
                    public Type getElementType() {
                        return Object[].class;
                    }
                };
            }
        };
    }

    /** Runs a single engine request: what generated code would do, without generating it. */
    private record DirectBindable(UgnosQuery query) implements ArrayBindable, Typed {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Enumerable<Object[]> bind(DataContext dataContext) {
            Enumerable<Object[]> rows = QueryRuntime.execute(dataContext, query.spec());
            // JDBC cursors read a one-column row as the value itself
            return query.getRowType().getFieldCount() == 1 ? (Enumerable) rows.select(r -> r[0]) : rows;
        }

        @Override
        public Class<Object[]> getElementType() {
            return Object[].class;
        }
    }

    /** Plans by SQL text, per connection, dropped when the schema version moves. Bounded (LRU). */
    static final class PlanCache {
        private static final int CAPACITY = 256;
        /** Marks a lifted statement that cannot be planned with parameters: plan each as written. */
        static final CalciteSignature<?> REFUSED = new CalciteSignature<>(null, List.of(), Map.of(), null, List.of(),
                Meta.CursorFactory.ARRAY, null, List.of(), -1, null, Meta.StatementType.OTHER_DDL);

        record Key(String sql, List<String> schemaPath, Type elementType, long maxRowCount, long schemaVersion) {
        }

        private final LongSupplier schemaVersion;
        private final Map<Key, CalciteSignature<?>> plans = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, CalciteSignature<?>> eldest) {
                return size() > CAPACITY;
            }
        };
        private long hits;
        private long misses;
        private long planningNanos;
        private long fastPlans;

        PlanCache(LongSupplier schemaVersion) {
            this.schemaVersion = schemaVersion;
        }

        Key key(String sql, List<String> schemaPath, Type elementType, long maxRowCount) {
            return new Key(sql, schemaPath, elementType, maxRowCount, schemaVersion.getAsLong());
        }

        synchronized CalciteSignature<?> get(Key key) {
            return plans.get(key);
        }

        /** Counts a statement served from the cache ({@code hit}) or planned. */
        synchronized void count(boolean hit) {
            if (hit) {
                hits++;
            } else {
                misses++;
            }
        }

        synchronized void put(Key key, CalciteSignature<?> signature) {
            plans.put(key, signature);
        }

        synchronized void fastPlanned() {
            fastPlans++;
        }

        synchronized void planned(long nanos) {
            planningNanos += nanos;
        }

        synchronized UgnosSql.PlanStats stats() {
            return new UgnosSql.PlanStats(hits, misses, planningNanos, fastPlans);
        }
    }
}
