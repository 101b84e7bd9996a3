package io.ugnos.sql.schema;

import io.ugnos.engine.Database;
import io.ugnos.engine.SeriesNotFoundException;
import io.ugnos.engine.index.TagSet;
import io.ugnos.engine.query.PointBatch;
import io.ugnos.engine.query.ScanCursor;
import io.ugnos.engine.query.ScanRequest;
import io.ugnos.engine.query.TimestampFilter;
import io.ugnos.engine.query.ValueRange;
import io.ugnos.sql.rules.PredicateTranslator;
import io.ugnos.sql.rules.PushedScan;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ProjectableFilterableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The series that share a name prefix, {@code cpu.usage_user}, {@code cpu.usage_system}, …, seen
 * as one wide table {@code cpu}: a row per tag set and timestamp at which any of them has a point,
 * with one nullable {@code DOUBLE} column per series ({@code usage_user}, …), as TSBS, InfluxDB and
 * QuestDB users lay such data out. Columns: {@code ts}, the fields (sorted), the union of the tag
 * keys (sorted), {@code ts_ns}.
 *
 * <p>Time-range and tag predicates go to every series' scan; the series are aligned by tag set and
 * timestamp here, which is far cheaper than joining them in SQL on (ts, tags). Each series' part of
 * the window is held in memory while aligning, so very wide windows cost memory in proportion.
 *
 * <p>A comparison of a field with a number ({@code usage_user > 90}, literal or parameter) drives
 * the scan: that field is scanned first with the comparison pushed into the engine (blocks whose
 * header min/max rule it out are skipped undecoded), and the other fields are then asked only for
 * the timestamps where it held, so their blocks without such a timestamp are skipped too. Rows
 * exist only where the driving field has a point, since a missing field fails the comparison.
 * The layout is fixed when the table is looked up, that is when a statement is planned.
 */
public final class FamilyTable extends AbstractTable implements ProjectableFilterableTable,
        org.apache.calcite.schema.TranslatableTable {
    private final Database db;
    private final String family;
    private final Layout layout;

    /** The column layout: ts, one column per field, one per tag key, ts_ns. */
    public record Layout(List<String> fields, List<String> tagKeys) implements PredicateTranslator.Columns {
        public int columnCount() {
            return fields.size() + tagKeys.size() + 2;
        }

        @Override
        public boolean isTs(int i) {
            return i == 0;
        }

        @Override
        public boolean isTsNanos(int i) {
            return i == columnCount() - 1;
        }

        /** The field of column {@code i}, or -1. */
        public int field(int i) {
            return i >= 1 && i <= fields.size() ? i - 1 : -1;
        }

        @Override
        public String tagKey(int i) {
            int t = i - 1 - fields.size();
            return t >= 0 && t < tagKeys.size() ? tagKeys.get(t) : null;
        }

        /** The name of column {@code i}: {@code ts}, {@code ts_ns}, a field or a tag key. */
        public String columnName(int i) {
            if (isTs(i)) {
                return "ts";
            }
            if (isTsNanos(i)) {
                return "ts_ns";
            }
            int f = field(i);
            return f >= 0 ? fields.get(f) : tagKey(i);
        }

        /** {@code rex} (a condition's text) with each {@code $3} of a table column replaced by its name, for EXPLAIN. */
        public String withColumnNames(String rex) {
            java.util.regex.Matcher m = INPUT_REF.matcher(rex);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                int c = Integer.parseInt(m.group(1));
                m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(c < columnCount() ? columnName(c) : m.group()));
            }
            m.appendTail(sb);
            return sb.toString();
        }

        private static final java.util.regex.Pattern INPUT_REF = java.util.regex.Pattern.compile("\\$(\\d+)");
    }

    private FamilyTable(Database db, String family, Layout layout) {
        this.db = db;
        this.family = family;
        this.layout = layout;
    }

    /**
     * The families of {@code series}: prefixes before the last dot that are not series names
     * themselves, whose fields do not clash with their tag keys or with ts/ts_ns.
     */
    static Map<String, FamilyTable> families(Database db, List<String> series) {
        Map<String, SortedSet<String>> fields = new TreeMap<>();
        for (String s : series) {
            int dot = s.lastIndexOf('.');
            if (dot > 0 && dot < s.length() - 1) {
                fields.computeIfAbsent(s.substring(0, dot), k -> new TreeSet<>()).add(s.substring(dot + 1));
            }
        }
        Map<String, FamilyTable> out = new TreeMap<>();
        for (var e : fields.entrySet()) {
            if (series.contains(e.getKey())) {
                continue; // a series of that name is the table
            }
            SortedSet<String> tags = new TreeSet<>();
            try {
                for (String f : e.getValue()) {
                    tags.addAll(db.tagKeys(e.getKey() + "." + f));
                }
            } catch (SeriesNotFoundException gone) {
                continue; // dropped meanwhile
            }
            SortedSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            names.add("ts");
            names.add("ts_ns");
            boolean clash = false;
            for (String n : e.getValue()) {
                clash |= !names.add(n);
            }
            for (String n : tags) {
                clash |= !names.add(n);
            }
            if (!clash) {
                out.put(e.getKey(), new FamilyTable(db, e.getKey(), new Layout(List.copyOf(e.getValue()), List.copyOf(tags))));
            }
        }
        return out;
    }

    public Database database() {
        return db;
    }

    /** The name prefix: the series of field {@code f} is {@code family + "." + f}. */
    public String family() {
        return family;
    }

    public Layout layout() {
        return layout;
    }

    /**
     * A plain table scan, as for any {@link ProjectableFilterableTable}; it also gives the planner
     * the rules that compute aggregates over the family in the engine ({@link
     * io.ugnos.sql.rules.FamilyAggregateRule}), which only a query over a family needs.
     */
    @Override
    public org.apache.calcite.rel.RelNode toRel(org.apache.calcite.plan.RelOptTable.ToRelContext context,
                                                 org.apache.calcite.plan.RelOptTable relOptTable) {
        io.ugnos.sql.rules.FamilyAggregateRule.register(context.getCluster().getPlanner());
        io.ugnos.sql.rules.FamilyScanRule.register(context.getCluster().getPlanner());
        return org.apache.calcite.rel.logical.LogicalTableScan.create(context.getCluster(), relOptTable, context.getTableHints());
    }

    /** A view over its series in metadata: browsing tools list series as tables and families as views. */
    @Override
    public org.apache.calcite.schema.Schema.TableType getJdbcTableType() {
        return org.apache.calcite.schema.Schema.TableType.VIEW;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory f) {
        RelDataTypeFactory.Builder b = f.builder();
        b.add("ts", f.createSqlType(SqlTypeName.TIMESTAMP, 3));
        for (String field : layout.fields()) {
            b.add(field, f.createTypeWithNullability(f.createSqlType(SqlTypeName.DOUBLE), true));
        }
        for (String k : layout.tagKeys()) {
            b.add(k, f.createTypeWithNullability(f.createSqlType(SqlTypeName.VARCHAR), true));
        }
        b.add("ts_ns", f.createSqlType(SqlTypeName.BIGINT));
        return b.build();
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters, int[] projects) {
        int[] cols = projects != null ? projects : java.util.stream.IntStream.range(0, layout.columnCount()).toArray();
        return rows(root, filters, cols, null).arrays();
    }

    /**
     * The rows of the family that {@code filters} select, with columns {@code cols}: what
     * {@link #scan} returns, in {@code order} when it is not null (else grouped by tag set,
     * ascending in time within one).
     *
     * @param filters conjunctions over the table's columns; those the scan applied exactly are
     *                removed, the others the caller must still apply
     */
    public FamilyRows rows(DataContext root, List<RexNode> filters, int[] cols, FamilyOrder order) {
        PredicateTranslator translator = new PredicateTranslator(layout, root);
        PushedScan pushed = translator.translate(filters);
        List<FieldCondition> conditions = FieldCondition.take(filters, layout, root, translator);
        if (pushed.isEmpty()) {
            return new FamilyRows(layout, cols, 0);
        }
        FamilyRows out = !conditions.isEmpty()
                ? scanDriven(pushed, conditions, cols, !filters.isEmpty())
                : scanAll(pushed, cols, !filters.isEmpty());
        if (order != null && out.size() > 1) {
            out.order(order, layout);
        }
        return out;
    }

    /**
     * Whether the scan applies {@code conjunct} (over this table's columns) itself, whatever the
     * values of the statement's parameters: a comparison of a field with a numeric literal or a
     * DOUBLE parameter. (Time and tag conjuncts are {@link PredicateTranslator}'s.)
     */
    public boolean appliesExactly(RexNode conjunct) {
        return FieldCondition.parse(conjunct, layout, FieldCondition.PLANNING) != null;
    }

    /** Every row in the range: the fields aligned by tag set and timestamp. {@code anyFilter}: filters Calcite still applies may read any field. */
    private FamilyRows scanAll(PushedScan pushed, int[] cols, boolean anyFilter) {
        int n = layout.fields().size();
        List<Map<TagSet, Points>> perField = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            boolean needValues = anyFilter;
            for (int c : cols) {
                needValues |= layout.field(c) == f;
            }
            perField.add(read(family + "." + layout.fields().get(f), pushed, needValues, ValueRange.ALL, null, ScanRequest.DEFAULT_BATCH));
        }
        // align: per tag set (in a stable order), merge the fields' points by timestamp
        TreeMap<String, TagSet> tagSets = new TreeMap<>();
        for (Map<TagSet, Points> m : perField) {
            for (TagSet t : m.keySet()) {
                tagSets.put(t.toString(), t);
            }
        }
        int capacity = 0;
        for (Map<TagSet, Points> m : perField) {
            capacity = Math.max(capacity, Points.total(m));
        }
        FamilyRows rows = new FamilyRows(layout, cols, capacity);
        double[] values = new double[n];
        boolean[] present = new boolean[n];
        for (TagSet t : tagSets.values()) {
            Points[] p = new Points[n];
            int[] at = new int[n];
            for (int f = 0; f < n; f++) {
                p[f] = perField.get(f).get(t);
            }
            Object[] tagValues = tagValues(t);
            rows.tagSet(tagValues);
            Points same = sameTimestamps(p);
            if (same != null) { // the usual case, fields written together: the rows are those timestamps
                int first = rows.addRows(same.ts, same.size);
                for (int f = 0; f < n; f++) {
                    if (p[f] != null && p[f].values != null) {
                        rows.setFieldAtEveryRow(f, first, p[f].values, same.size); // its timestamps are the rows'
                    }
                }
                continue;
            }
            while (true) {
                long ts = Long.MAX_VALUE;
                boolean any = false;
                for (int f = 0; f < n; f++) {
                    if (p[f] != null && at[f] < p[f].size) {
                        ts = Math.min(ts, p[f].ts[at[f]]);
                        any = true;
                    }
                }
                if (!any) {
                    break;
                }
                for (int f = 0; f < n; f++) {
                    present[f] = p[f] != null && at[f] < p[f].size && p[f].ts[at[f]] == ts;
                    if (present[f]) {
                        values[f] = p[f].values == null ? 0.0 : p[f].values[at[f]];
                        at[f]++;
                    }
                }
                rows.add(ts, values, present);
            }
        }
        return rows;
    }

    /**
     * The one field's points whose timestamps every field that has points in {@code p} shares, or
     * null when they differ (or no field has points): then the rows are exactly those timestamps,
     * and each field is at every row or at none.
     */
    private static Points sameTimestamps(Points[] p) {
        Points ref = null;
        for (Points q : p) {
            if (q == null) {
                continue;
            }
            if (ref == null) {
                ref = q;
            } else if (q.size != ref.size || !Arrays.equals(q.ts, 0, q.size, ref.ts, 0, ref.size)) {
                return null;
            }
        }
        return ref;
    }

    /**
     * The rows where every condition holds: the first condition's field drives (scanned with its
     * conditions pushed into the engine as a value range), the other needed fields are read only at
     * the timestamps it kept. {@code anyFilter}: filters Calcite still applies may read any field.
     */
    private FamilyRows scanDriven(PushedScan pushed, List<FieldCondition> conditions, int[] cols, boolean anyFilter) {
        for (FieldCondition c : conditions) {
            if (Double.isNaN(c.bound())) {
                return new FamilyRows(layout, cols, 0); // compared with a NULL or NaN parameter: never TRUE
            }
        }
        int n = layout.fields().size();
        int d = conditions.get(0).field();
        ValueRange range = ValueRange.ALL;
        for (FieldCondition c : conditions) {
            if (c.field() == d) {
                range = range.intersect(c.range());
            }
        }
        Map<TagSet, Points> driver = read(family + "." + layout.fields().get(d), pushed, true, range, null, ScanRequest.DEFAULT_BATCH);
        if (driver.isEmpty()) {
            return new FamilyRows(layout, cols, 0);
        }
        TimestampFilter at = t -> {
            Points p = driver.get(t);
            return p == null ? null : p.timestamps();
        };
        // a batch holds at most the timestamps wanted of one tag set: no need for the default's 64 KB per scan
        int batch = 64;
        for (Points p : driver.values()) {
            batch = Math.max(batch, Math.min(ScanRequest.DEFAULT_BATCH, p.size));
        }
        boolean[] needed = new boolean[n];
        int reads = 0;
        for (int f = 0; f < n; f++) {
            needed[f] = anyFilter;
            for (int c : cols) {
                needed[f] |= layout.field(c) == f;
            }
            for (FieldCondition c : conditions) {
                needed[f] |= c.field() == f;
            }
            reads += needed[f] && f != d ? 1 : 0;
        }
        for (Points p : driver.values()) {
            p.timestamps(); // made here, before the reads that may run on two threads share them
        }
        int readBatch = batch;
        List<Map<TagSet, Points>> perField = FieldReads.all(n, f -> f == d ? driver : needed[f]
                ? read(family + "." + layout.fields().get(f), pushed, true, ValueRange.ALL, at, readBatch)
                : Map.of(), (long) Points.total(driver) * reads);
        TreeMap<String, TagSet> tagSets = new TreeMap<>();
        for (TagSet t : driver.keySet()) {
            tagSets.put(t.toString(), t);
        }
        FamilyRows rows = new FamilyRows(layout, cols, Points.total(driver)); // at most a row per driving point
        if (!range.isAll() && conditions.stream().allMatch(c -> c.field() == d)) {
            // the engine kept exactly the driving points that pass: every one is a row
            alignColumns(tagSets.values(), perField, d, rows);
            return rows;
        }
        double[] values = new double[n];
        boolean[] present = new boolean[n];
        Points[] p = new Points[n];
        int[] next = new int[n];
        for (TagSet t : tagSets.values()) {
            for (int f = 0; f < n; f++) {
                p[f] = perField.get(f).get(t);
                next[f] = 0;
            }
            Object[] tagValues = tagValues(t);
            rows.tagSet(tagValues);
            Points dp = p[d];
            for (int i = 0; i < dp.size; i++) {
                long ts = dp.ts[i];
                for (int f = 0; f < n; f++) {
                    Points q = p[f];
                    if (q == null) {
                        present[f] = false;
                        continue;
                    }
                    while (next[f] < q.size && q.ts[next[f]] < ts) {
                        next[f]++;
                    }
                    present[f] = next[f] < q.size && q.ts[next[f]] == ts;
                    if (present[f]) {
                        values[f] = q.values[next[f]];
                    }
                }
                if (FieldCondition.all(conditions, values, present)) {
                    rows.add(ts, values, present);
                }
            }
        }
        return rows;
    }

    /**
     * The rows at every point of the driving field {@code d}, filled field by field per tag set:
     * each field's arrays are read in one pass, instead of a step through every field's arrays per
     * row, which left the hardware prefetcher a stream per field (5 ms of 44,591 rows' 30).
     */
    private void alignColumns(Iterable<TagSet> tagSets, List<Map<TagSet, Points>> perField, int d, FamilyRows rows) {
        for (TagSet t : tagSets) {
            rows.tagSet(tagValues(t));
            Points dp = perField.get(d).get(t);
            int first = rows.addRows(dp.ts, dp.size);
            for (int f = 0; f < perField.size(); f++) {
                Points q = perField.get(f).get(t);
                if (q != null) {
                    rows.setField(f, first, dp.ts, dp.size, q.ts, q.values, q.size);
                }
            }
        }
    }

    private Object[] tagValues(TagSet t) {
        Object[] tagValues = new Object[layout.tagKeys().size()];
        for (int k = 0; k < tagValues.length; k++) {
            tagValues[k] = t.get(layout.tagKeys().get(k));
        }
        return tagValues;
    }

    /**
     * {@code field op number}, evaluated while aligning so that rows failing it are never built (the
     * high-value filter of TSBS's high-cpu). A missing field (NULL) fails, as in SQL. The number may
     * be a statement parameter (the literal lifter turns literals into them), read from {@code root}.
     */
    private record FieldCondition(int field, org.apache.calcite.sql.SqlKind op, double bound) {
        /** The values the condition keeps, for the engine's scan. */
        ValueRange range() {
            return switch (op) {
                case GREATER_THAN -> ValueRange.above(bound, false);
                case GREATER_THAN_OR_EQUAL -> ValueRange.above(bound, true);
                case LESS_THAN -> ValueRange.below(bound, false);
                default -> ValueRange.below(bound, true);
            };
        }

        /** @param engine the scan's translator, with the statement's values (see below) */
        static List<FieldCondition> take(List<RexNode> filters, Layout layout, DataContext root, PredicateTranslator engine) {
            List<FieldCondition> out = new ArrayList<>();
            // classified with the statement's values: a time conjunct whose parameter cannot be read was not applied by the scans
            for (var it = filters.iterator(); it.hasNext(); ) {
                List<RexNode> conjuncts = org.apache.calcite.plan.RelOptUtil.conjunctions(it.next());
                List<FieldCondition> parsed = new ArrayList<>();
                for (RexNode c : conjuncts) {
                    if (engine.classify(c) == PredicateTranslator.Pushdown.EXACT) {
                        continue; // a time or tag conjunct: the scans applied it already
                    }
                    List<FieldCondition> fc = parse(c, layout, root);
                    if (fc == null) {
                        parsed = null;
                        break;
                    }
                    parsed.addAll(fc);
                }
                if (parsed != null) {
                    out.addAll(parsed);
                    it.remove();
                }
            }
            return out;
        }

        private static List<FieldCondition> parse(RexNode n, Layout layout, DataContext root) {
            if (!(n instanceof org.apache.calcite.rex.RexCall call) || call.getOperands().size() != 2) {
                return null;
            }
            org.apache.calcite.sql.SqlKind k = call.getKind();
            if (k == org.apache.calcite.sql.SqlKind.SEARCH) {
                return parseSearch(call, layout); // Calcite's form of `x > 90` after simplification
            }
            if (k != org.apache.calcite.sql.SqlKind.GREATER_THAN && k != org.apache.calcite.sql.SqlKind.GREATER_THAN_OR_EQUAL
                    && k != org.apache.calcite.sql.SqlKind.LESS_THAN && k != org.apache.calcite.sql.SqlKind.LESS_THAN_OR_EQUAL) {
                return null;
            }
            RexNode a = call.getOperands().get(0);
            RexNode b = call.getOperands().get(1);
            if (a instanceof org.apache.calcite.rex.RexLiteral || a instanceof org.apache.calcite.rex.RexDynamicParam) {
                RexNode t = a;
                a = b;
                b = t;
                k = k.reverse();
            }
            a = withoutCastToDouble(a);
            b = withoutCastToDouble(b);
            if (!(a instanceof org.apache.calcite.rex.RexInputRef ref) || layout.field(ref.getIndex()) < 0) {
                return null;
            }
            Double v = number(b, root);
            return v == null ? null : List.of(new FieldCondition(layout.field(ref.getIndex()), k, v));
        }

        /**
         * {@code e} without a cast to DOUBLE around it, which changes no value compared with a DOUBLE
         * field; any other cast ({@code CAST(a AS INTEGER)}) does, so it stays and the conjunct goes to Calcite.
         */
        private static RexNode withoutCastToDouble(RexNode e) {
            return e instanceof org.apache.calcite.rex.RexCall cast && cast.getKind() == org.apache.calcite.sql.SqlKind.CAST
                    && cast.getType().getSqlTypeName() == SqlTypeName.DOUBLE ? cast.getOperands().get(0) : e;
        }

        /**
         * A non-null, non-NaN numeric literal or parameter value; null leaves the conjunct to Calcite.
         * NaN for a DOUBLE parameter that is NULL or NaN: a comparison with it is never TRUE.
         */
        private static Double number(RexNode b, DataContext root) {
            Double v = null;
            if (b instanceof org.apache.calcite.rex.RexLiteral lit && !lit.isNull()) {
                java.math.BigDecimal d = lit.getValueAs(java.math.BigDecimal.class);
                v = d == null ? null : d.doubleValue();
            } else if (b instanceof org.apache.calcite.rex.RexDynamicParam p && root == PLANNING) {
                return p.getType().getSqlTypeName() == SqlTypeName.DOUBLE ? 0.0 : null;
            } else if (b instanceof org.apache.calcite.rex.RexDynamicParam p && root != null) {
                Object value = root.get("?" + p.getIndex());
                boolean isDouble = p.getType().getSqlTypeName() == SqlTypeName.DOUBLE;
                if (isDouble && (value == null || (value instanceof Number num && Double.isNaN(num.doubleValue())))) {
                    return Double.NaN;
                }
                if (value instanceof Number num && sameAsCalcite(num, p.getType().getSqlTypeName())) {
                    v = num.doubleValue();
                }
            }
            return v == null || v.isNaN() ? null : v;
        }

        /**
         * Stands for the parameter values when a plan is made: a DOUBLE parameter is taken whatever
         * its value (see {@link #number}); a parameter of another type depends on its value.
         */
        private static final DataContext PLANNING = new DataContext() {
            @Override
            public org.apache.calcite.schema.SchemaPlus getRootSchema() {
                return null;
            }

            @Override
            public org.apache.calcite.adapter.java.JavaTypeFactory getTypeFactory() {
                return null;
            }

            @Override
            public org.apache.calcite.linq4j.QueryProvider getQueryProvider() {
                return null;
            }

            @Override
            public Object get(String name) {
                return null;
            }
        };

        /**
         * Whether Calcite reads {@code value}, bound to a parameter of type {@code type}, as the same
         * number: always for DOUBLE; for an integer type only a whole value in its range (Calcite
         * truncates 90.7 bound to an INTEGER parameter to 90). Otherwise the comparison is left to Calcite.
         */
        private static boolean sameAsCalcite(Number value, SqlTypeName type) {
            if (type == SqlTypeName.DOUBLE) {
                return true;
            }
            long min;
            long max;
            switch (type) {
                case TINYINT -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
                case SMALLINT -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
                case INTEGER -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
                case BIGINT -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; }
                default -> { return false; }
            }
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return value.longValue() >= min && value.longValue() <= max;
            }
            double d = value.doubleValue();
            return d == Math.rint(d) && d >= min && d <= max;
        }

        /** SEARCH(field, Sarg[one range]) with NULL not matching: one or two bounds. */
        private static List<FieldCondition> parseSearch(org.apache.calcite.rex.RexCall call, Layout layout) {
            RexNode a = call.getOperands().get(0);
            if (!(a instanceof org.apache.calcite.rex.RexInputRef ref) || layout.field(ref.getIndex()) < 0
                    || !(call.getOperands().get(1) instanceof org.apache.calcite.rex.RexLiteral lit)) {
                return null;
            }
            org.apache.calcite.util.Sarg<?> sarg = lit.getValueAs(org.apache.calcite.util.Sarg.class);
            if (sarg == null || sarg.nullAs == org.apache.calcite.rex.RexUnknownAs.TRUE || sarg.rangeSet.asRanges().size() != 1) {
                return null;
            }
            com.google.common.collect.Range<?> r = sarg.rangeSet.asRanges().iterator().next();
            int field = layout.field(ref.getIndex());
            List<FieldCondition> out = new ArrayList<>();
            if (r.hasLowerBound()) {
                if (!(r.lowerEndpoint() instanceof java.math.BigDecimal lo)) {
                    return null;
                }
                out.add(new FieldCondition(field, r.lowerBoundType() == com.google.common.collect.BoundType.CLOSED
                        ? org.apache.calcite.sql.SqlKind.GREATER_THAN_OR_EQUAL : org.apache.calcite.sql.SqlKind.GREATER_THAN, lo.doubleValue()));
            }
            if (r.hasUpperBound()) {
                if (!(r.upperEndpoint() instanceof java.math.BigDecimal hi)) {
                    return null;
                }
                out.add(new FieldCondition(field, r.upperBoundType() == com.google.common.collect.BoundType.CLOSED
                        ? org.apache.calcite.sql.SqlKind.LESS_THAN_OR_EQUAL : org.apache.calcite.sql.SqlKind.LESS_THAN, hi.doubleValue()));
            }
            return out.isEmpty() ? null : out;
        }

        static boolean all(List<FieldCondition> conditions, double[] values, boolean[] present) {
            for (FieldCondition c : conditions) {
                if (!present[c.field]) {
                    return false;
                }
                double v = values[c.field];
                boolean ok = switch (c.op) {
                    case GREATER_THAN -> v > c.bound;
                    case GREATER_THAN_OR_EQUAL -> v >= c.bound;
                    case LESS_THAN -> v < c.bound;
                    default -> v <= c.bound;
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The points of one tag set of one series, ascending in time. */
    private static final class Points {
        long[] ts;
        double[] values;
        int size;
        private long[] exact; // ts trimmed to size, for TimestampFilter

        /** Sized to the first batch: a filtered scan keeps a few points per tag set, not a window. */
        Points(boolean values, int capacity) {
            this.ts = new long[capacity];
            this.values = values ? new double[capacity] : null;
        }

        void add(PointBatch b) {
            int need = size + b.size();
            if (need > ts.length) {
                int cap = Math.max(need, ts.length * 2);
                ts = Arrays.copyOf(ts, cap);
                if (values != null) {
                    values = Arrays.copyOf(values, cap);
                }
            }
            System.arraycopy(b.timestamps(), 0, ts, size, b.size());
            if (values != null) {
                System.arraycopy(b.values(), 0, values, size, b.size());
            }
            size = need;
        }

        /** The points of every tag set of {@code m}. */
        static int total(Map<TagSet, Points> m) {
            int n = 0;
            for (Points p : m.values()) {
                n += p.size;
            }
            return n;
        }

        long[] timestamps() {
            if (exact == null) {
                exact = Arrays.copyOf(ts, size);
            }
            return exact;
        }
    }

    /** How many timestamps {@code at} wants of {@code t}; 16 (a first guess) when not filtered by timestamps. */
    private static int wanted(TimestampFilter at, TagSet t) {
        long[] w = at == null ? null : at.timestamps(t);
        return w == null ? 16 : w.length;
    }

    private Map<TagSet, Points> read(String series, PushedScan pushed, boolean values, ValueRange range, TimestampFilter at,
                                     int batch) {
        Map<TagSet, Points> out = new HashMap<>();
        if (!db.hasSeries(series)) {
            return out;
        }
        ScanRequest request = new ScanRequest(series, pushed.range(), pushed.tags(), true, values, batch,
                range, at);
        try (ScanCursor c = db.scan(request)) {
            int lastId = -1;
            Points last = null;
            while (c.next()) {
                PointBatch b = c.batch();
                if (b.tagSetId() != lastId) { // a tag set's batches are consecutive
                    lastId = b.tagSetId();
                    // at most the wanted timestamps when filtered by them: sized once, never grown
                    last = out.computeIfAbsent(c.tagSet(lastId), t -> new Points(values, Math.max(b.size(), wanted(at, t))));
                }
                last.add(b);
            }
        } catch (SeriesNotFoundException dropped) {
            return Map.of();
        }
        return out;
    }
}
