package io.ugnos.sql.rules;

import com.google.common.collect.Range;
import io.ugnos.engine.TimeRange;
import io.ugnos.engine.index.TagPredicate;
import org.apache.calcite.DataContext;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimestampString;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Translates the conjuncts of a WHERE clause into what the engine can do: a time range on
 * {@code ts}/{@code ts_ns} and a predicate on tag columns. Conjuncts it cannot translate stay with
 * Calcite; a time conjunct it can only bound (an OR of ranges) narrows the scan and stays too.
 *
 * <p>Tag predicates keep SQL's three-valued logic: for each expression the translator builds both
 * the tag sets where it is TRUE and those where it is FALSE, so that {@code NOT} of a comparison on
 * a missing tag (UNKNOWN) is never taken as TRUE.
 */
public final class PredicateTranslator {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** How the table's columns are laid out. */
    public interface Columns {
        boolean isTs(int index);

        boolean isTsNanos(int index);

        /** The tag key of column {@code index}, or null when it is not a tag column. */
        String tagKey(int index);
    }

    /** How far the engine can take one conjunct. */
    public enum Pushdown {
        /** the engine evaluates it exactly: it leaves the plan */
        EXACT,
        /** the engine can only bound it (an OR of time ranges): it narrows the scan and stays in the plan */
        NARROWS,
        /** the engine cannot use it */
        NO
    }

    /** Matches no tag set, in either truth value: a comparison with NULL is UNKNOWN. */
    private static final TagPredicate NONE = TagPredicate.not(TagPredicate.ALL);

    private final Columns columns;
    private final DataContext context;
    private final boolean planning;
    private boolean nullSeen; // a parameter of the conjunct being translated is NULL

    /** @param context supplies values of {@code ?} parameters and CURRENT_TIMESTAMP */
    public PredicateTranslator(Columns columns, DataContext context) {
        this(columns, context, false);
    }

    private PredicateTranslator(Columns columns, DataContext context, boolean planning) {
        this.columns = columns;
        this.context = context;
        this.planning = planning;
    }

    /**
     * A translator for planning, when parameters and CURRENT_TIMESTAMP have no value yet: it decides
     * what can be pushed ({@link #classify}), and the runtime translator computes the values later.
     */
    public static PredicateTranslator forPlanning(Columns columns) {
        return new PredicateTranslator(columns, null, true);
    }

    /** Whether the engine can evaluate {@code conjunct} exactly, only bound it, or not use it. */
    public Pushdown classify(RexNode conjunct) {
        nullSeen = false;
        long[] r = timeBounds(conjunct);
        if (r != null) {
            return r[2] == 1 ? Pushdown.EXACT : Pushdown.NARROWS;
        }
        return tagPredicate(conjunct, true) != null ? Pushdown.EXACT : Pushdown.NO;
    }

    /**
     * Translates conjuncts that were classified as pushable when the plan was made, now with the
     * statement's parameter values.
     *
     * @throws IllegalArgumentException when a parameter's value cannot be used (a string compared with {@code ts})
     */
    public PushedScan translatePushed(List<RexNode> conjuncts) {
        long lo = Long.MIN_VALUE;
        long hi = Long.MAX_VALUE;
        List<TagPredicate> tags = new ArrayList<>();
        for (RexNode f : conjuncts) {
            nullSeen = false;
            long[] r = timeBounds(f);
            if (r != null) {
                lo = Math.max(lo, r[0]);
                hi = Math.min(hi, r[1]);
                continue;
            }
            TagPredicate t = tagPredicate(f, true);
            if (t == null) {
                throw new IllegalArgumentException("cannot evaluate " + f + " with the given parameter values;"
                        + " compare ts with a TIMESTAMP, ts_ns with a BIGINT and tags with a VARCHAR");
            }
            tags.add(t);
        }
        TagPredicate p = tags.isEmpty() ? TagPredicate.ALL : tags.size() == 1 ? tags.get(0) : new TagPredicate.And(tags);
        return new PushedScan(lo > hi ? null : TimeRange.of(lo, hi), p);
    }

    /**
     * Translates {@code filters} (conjuncts); removes from the list those fully handled by the engine.
     */
    public PushedScan translate(List<RexNode> filters) {
        long lo = Long.MIN_VALUE;
        long hi = Long.MAX_VALUE;
        List<TagPredicate> tags = new ArrayList<>();
        for (var it = filters.iterator(); it.hasNext(); ) {
            // Calcite hands over conjunctions whole and rejects filters a table invents, so each
            // conjunct narrows the scan, and a filter is removed only if all its conjuncts are exact
            boolean exact = true;
            for (RexNode f : org.apache.calcite.plan.RelOptUtil.conjunctions(it.next())) {
                long[] r = timeBounds(f);
                if (r != null) {
                    lo = Math.max(lo, r[0]);
                    hi = Math.min(hi, r[1]);
                    exact &= r[2] == 1;
                    continue;
                }
                TagPredicate t = tagPredicate(f, true);
                if (t != null) {
                    tags.add(t);
                } else {
                    exact = false;
                }
            }
            if (exact) {
                it.remove();
            }
        }
        TagPredicate p = tags.isEmpty() ? TagPredicate.ALL : tags.size() == 1 ? tags.get(0) : new TagPredicate.And(tags);
        return new PushedScan(lo > hi ? null : TimeRange.of(lo, hi), p);
    }

    // ------------------------------------------------------------------ time

    /** {lo, hi, exact} in ns when {@code f} constrains only the time column, else null. */
    private long[] timeBounds(RexNode f) {
        if (!(f instanceof RexCall call)) {
            return null;
        }
        switch (call.getKind()) {
            case GREATER_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL, EQUALS -> {
                RexNode a = call.getOperands().get(0);
                RexNode b = call.getOperands().get(1);
                SqlKind kind = call.getKind();
                if (!isTimeColumn(a) && isTimeColumn(b)) {
                    RexNode t = a;
                    a = b;
                    b = t;
                    kind = kind.reverse();
                }
                if (!isTimeColumn(a)) {
                    return null;
                }
                Long v = constant(b, columns.isTs(((RexInputRef) a).getIndex()));
                if (v == null) {
                    return nullSeen ? new long[]{1, 0, 1} : null; // compared with NULL: never TRUE
                }
                return bound(kind, v, columns.isTs(((RexInputRef) a).getIndex()));
            }
            case SEARCH -> {
                RexNode a = call.getOperands().get(0);
                if (!isTimeColumn(a) || !(call.getOperands().get(1) instanceof RexLiteral lit)) {
                    return null;
                }
                boolean millis = columns.isTs(((RexInputRef) a).getIndex());
                Sarg<?> sarg = lit.getValueAs(Sarg.class);
                if (sarg == null || sarg.nullAs == RexUnknownAs.TRUE) {
                    return null;
                }
                long lo = Long.MAX_VALUE;
                long hi = Long.MIN_VALUE;
                int ranges = 0;
                for (Range<?> r : sarg.rangeSet.asRanges()) {
                    ranges++;
                    long a1 = Long.MIN_VALUE;
                    long b1 = Long.MAX_VALUE;
                    if (r.hasLowerBound()) {
                        Long v = comparableToLong(r.lowerEndpoint(), millis);
                        if (v == null) {
                            return null;
                        }
                        a1 = bound(r.lowerBoundType() == com.google.common.collect.BoundType.CLOSED
                                ? SqlKind.GREATER_THAN_OR_EQUAL : SqlKind.GREATER_THAN, v, millis)[0];
                    }
                    if (r.hasUpperBound()) {
                        Long v = comparableToLong(r.upperEndpoint(), millis);
                        if (v == null) {
                            return null;
                        }
                        b1 = bound(r.upperBoundType() == com.google.common.collect.BoundType.CLOSED
                                ? SqlKind.LESS_THAN_OR_EQUAL : SqlKind.LESS_THAN, v, millis)[1];
                    }
                    lo = Math.min(lo, a1);
                    hi = Math.max(hi, b1);
                }
                if (ranges == 0) {
                    return new long[]{1, 0, 1}; // matches nothing
                }
                return new long[]{lo, hi, ranges == 1 ? 1 : 0};
            }
            default -> {
                return null;
            }
        }
    }

    private boolean isTimeColumn(RexNode n) {
        return n instanceof RexInputRef ref && (columns.isTs(ref.getIndex()) || columns.isTsNanos(ref.getIndex()));
    }

    /**
     * The nanosecond range where {@code column kind v} holds. {@code ts} is milliseconds, the floor of
     * {@code ts_ns}: {@code ts >= v} means {@code ts_ns >= v·10^6}, {@code ts <= v} means {@code ts_ns < (v+1)·10^6}.
     */
    private static long[] bound(SqlKind kind, long v, boolean millis) {
        long lo = Long.MIN_VALUE;
        long hi = Long.MAX_VALUE;
        long start = millis ? saturatingMul(v) : v;                       // first ns with column value v
        long next = millis ? saturatingMul(v + 1) : (v == Long.MAX_VALUE ? Long.MAX_VALUE : v + 1);
        boolean nextOverflows = millis ? v >= Long.MAX_VALUE / NANOS_PER_MILLI : v == Long.MAX_VALUE;
        switch (kind) {
            case GREATER_THAN_OR_EQUAL -> lo = start;
            case GREATER_THAN -> {
                if (nextOverflows) {
                    return new long[]{1, 0, 1};
                }
                lo = next;
            }
            case LESS_THAN -> {
                if (start == Long.MIN_VALUE && (!millis || v <= Long.MIN_VALUE / NANOS_PER_MILLI)) {
                    return new long[]{1, 0, 1};
                }
                hi = start - 1;
            }
            case LESS_THAN_OR_EQUAL -> hi = nextOverflows ? Long.MAX_VALUE : next - 1;
            case EQUALS -> {
                lo = start;
                hi = nextOverflows ? Long.MAX_VALUE : next - 1;
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        return new long[]{lo, hi, 1};
    }

    private static long saturatingMul(long millis) {
        if (millis >= Long.MAX_VALUE / NANOS_PER_MILLI) {
            return Long.MAX_VALUE;
        }
        if (millis <= Long.MIN_VALUE / NANOS_PER_MILLI) {
            return Long.MIN_VALUE;
        }
        return millis * NANOS_PER_MILLI;
    }

    private static Long comparableToLong(Comparable<?> c, boolean millis) {
        if (c instanceof TimestampString t) {
            return t.getMillisSinceEpoch();
        }
        if (c instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (c instanceof Number n) {
            return n.longValue();
        }
        return null;
    }

    /**
     * The value of a constant expression (in the column's unit: ms for {@code ts}, ns for
     * {@code ts_ns}): literals, {@code ?} parameters, CURRENT_TIMESTAMP and ± interval. Null when
     * not constant or not known yet.
     */
    private Long constant(RexNode n, boolean millis) {
        if (n instanceof RexLiteral lit) {
            if (lit.isNull()) {
                return null;
            }
            if (lit.getTypeName() == SqlTypeName.TIMESTAMP) {
                return lit.getValueAs(Long.class);
            }
            if (SqlTypeName.INT_TYPES.contains(lit.getTypeName()) || lit.getTypeName() == SqlTypeName.DECIMAL) {
                BigDecimal d = lit.getValueAs(BigDecimal.class);
                try {
                    return d == null ? null : d.longValueExact();
                } catch (ArithmeticException e) {
                    return null;
                }
            }
            if (lit.getTypeName().getFamily() == org.apache.calcite.sql.type.SqlTypeFamily.INTERVAL_DAY_TIME) {
                return lit.getValueAs(Long.class);
            }
            return null;
        }
        if (n instanceof RexDynamicParam p) {
            if (planning) {
                return 0L; // a placeholder: only the shape of the predicate matters now
            }
            if (context == null) {
                return null;
            }
            Object v = context.get("?" + p.getIndex());
            if (v == null) {
                nullSeen = true;
                return null;
            }
            return toLong(v, millis);
        }
        if (!(n instanceof RexCall call)) {
            return null;
        }
        String fn = call.getOperator().getName();
        if (fn.equals("CURRENT_TIMESTAMP") || fn.equals("LOCALTIMESTAMP")) {
            if (planning) {
                return 0L;
            }
            Object v = context == null ? null : DataContext.Variable.CURRENT_TIMESTAMP.get(context);
            return v instanceof Long l ? (millis ? l : l * NANOS_PER_MILLI) : null;
        }
        switch (call.getKind()) {
            case CAST -> {
                return constant(call.getOperands().get(0), millis);
            }
            case PLUS, MINUS, MINUS_PREFIX -> {
                if (call.getKind() == SqlKind.MINUS_PREFIX || call.getOperands().size() != 2) {
                    return null;
                }
                Long a = constant(call.getOperands().get(0), millis);
                Long b = constant(call.getOperands().get(1), millis);
                if (a == null || b == null) {
                    return null;
                }
                return call.getKind() == SqlKind.PLUS ? a + b : a - b;
            }
            case OTHER_FUNCTION -> {
                if (call.getOperator().getName().equals("DATETIME_PLUS")) {
                    Long a = constant(call.getOperands().get(0), millis);
                    Long b = constant(call.getOperands().get(1), millis);
                    return a == null || b == null ? null : a + b;
                }
                return null;
            }
            default -> {
                String name = call.getOperator().getName();
                boolean now = name.equals("CURRENT_TIMESTAMP") || name.equals("LOCALTIMESTAMP");
                if (planning && now) {
                    return 0L;
                }
                if (context != null && now) {
                    Object v = DataContext.Variable.CURRENT_TIMESTAMP.get(context);
                    return v instanceof Long l ? l : null;
                }
                return null;
            }
        }
    }

    private static Long toLong(Object v, boolean millis) {
        if (v instanceof java.sql.Timestamp t) {
            return millis ? t.getTime() : Math.multiplyExact(t.getTime(), NANOS_PER_MILLI);
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        return null;
    }

    // ------------------------------------------------------------------ tags

    /**
     * The tag sets where {@code f} is TRUE ({@code truth}) or FALSE (not {@code truth}); null when
     * {@code f} involves anything but tag columns and constants.
     */
    private TagPredicate tagPredicate(RexNode f, boolean truth) {
        if (!(f instanceof RexCall call)) {
            return null;
        }
        List<RexNode> ops = call.getOperands();
        switch (call.getKind()) {
            case AND, OR -> {
                boolean and = call.getKind() == SqlKind.AND;
                List<TagPredicate> terms = new ArrayList<>();
                for (RexNode o : ops) {
                    TagPredicate t = tagPredicate(o, truth);
                    if (t == null) {
                        return null;
                    }
                    terms.add(t);
                }
                // TRUE of AND = all TRUE; FALSE of AND = any FALSE (De Morgan in three-valued logic)
                return and == truth ? new TagPredicate.And(terms) : new TagPredicate.Or(terms);
            }
            case NOT -> {
                return tagPredicate(ops.get(0), !truth);
            }
            case IS_NULL, IS_NOT_NULL -> {
                String key = tagKey(ops.get(0));
                if (key == null) {
                    return null;
                }
                boolean isNull = (call.getKind() == SqlKind.IS_NULL) == truth;
                return isNull ? TagPredicate.missing(key) : TagPredicate.present(key);
            }
            case EQUALS, NOT_EQUALS -> {
                String key = tagKey(ops.get(0));
                String value = stringConstant(ops.get(1));
                if (key == null || value == null) {
                    key = tagKey(ops.get(1));
                    value = stringConstant(ops.get(0));
                }
                if (key == null || value == null) {
                    return nullSeen && (tagKey(ops.get(0)) != null || tagKey(ops.get(1)) != null) ? NONE : null;
                }
                boolean eq = (call.getKind() == SqlKind.EQUALS) == truth;
                return eq ? TagPredicate.eq(key, value) : TagPredicate.notEq(key, value);
            }
            case LIKE -> {
                // LIKE, and ILIKE (Calcite gives both the kind LIKE); a negated form is NOT of it
                boolean caseSensitive = !(call.getOperator() instanceof org.apache.calcite.sql.fun.SqlLikeOperator l)
                        || l.isCaseSensitive();
                boolean negated = call.getOperator() instanceof org.apache.calcite.sql.fun.SqlLikeOperator l && l.isNegated();
                String key = tagKey(ops.get(0));
                if (key == null) {
                    return null;
                }
                String pattern = stringConstant(ops.get(1));
                String escape = ops.size() > 2 ? stringConstant(ops.get(2)) : null;
                if (pattern == null || (ops.size() > 2 && escape == null)) {
                    return nullSeen ? NONE : null; // LIKE NULL is UNKNOWN
                }
                if (escape != null && escape.length() != 1) {
                    return null; // Calcite reports the invalid escape character
                }
                TagPredicate like;
                try {
                    char escapeChar = escape == null ? TagPredicate.Like.NO_ESCAPE : escape.charAt(0);
                    like = caseSensitive ? TagPredicate.like(key, pattern, escapeChar) : TagPredicate.ilike(key, pattern, escapeChar);
                } catch (IllegalArgumentException e) {
                    if (!planning && ops.get(1) instanceof RexDynamicParam) {
                        throw e; // a parameter's value: say what is wrong with it
                    }
                    return null; // a literal: Calcite reports the invalid pattern when it runs
                }
                return truth != negated ? like : TagPredicate.and(TagPredicate.present(key), TagPredicate.not(like));
            }
            case SEARCH -> {
                String key = tagKey(ops.get(0));
                if (key == null || !(ops.get(1) instanceof RexLiteral lit)) {
                    return null;
                }
                Sarg<?> sarg = lit.getValueAs(Sarg.class);
                if (sarg == null) {
                    return null;
                }
                Set<String> points = new HashSet<>();
                boolean complementOfPoints = sarg.isComplementedPoints();
                Sarg<?> s = complementOfPoints ? sarg.negate() : sarg;
                for (Range<?> r : s.rangeSet.asRanges()) {
                    if (!(r.hasLowerBound() && r.hasUpperBound() && r.lowerEndpoint().equals(r.upperEndpoint()))) {
                        return null; // a range of strings: leave it to Calcite
                    }
                    String v = r.lowerEndpoint() instanceof NlsString ns ? ns.getValue() : null;
                    if (v == null) {
                        return null;
                    }
                    points.add(v);
                }
                // present and in (or not in) the set; then how NULL (a missing tag) counts
                boolean in = complementOfPoints != truth; // TRUE of "in the points", or FALSE of "not in them"
                TagPredicate nonNull = in ? TagPredicate.in(key, points) : TagPredicate.notIn(key, points);
                boolean nullMatches = truth ? sarg.nullAs == RexUnknownAs.TRUE : sarg.nullAs == RexUnknownAs.FALSE;
                return nullMatches ? TagPredicate.or(nonNull, TagPredicate.missing(key)) : nonNull;
            }
            default -> {
                return null;
            }
        }
    }

    private String tagKey(RexNode n) {
        if (n instanceof RexCall c && c.getKind() == SqlKind.CAST) {
            return tagKey(c.getOperands().get(0));
        }
        return n instanceof RexInputRef ref ? columns.tagKey(ref.getIndex()) : null;
    }

    private String stringConstant(RexNode n) {
        if (n instanceof RexCall c && c.getKind() == SqlKind.CAST) {
            return stringConstant(c.getOperands().get(0));
        }
        if (n instanceof RexLiteral lit && !lit.isNull()
                && lit.getTypeName().getFamily() == org.apache.calcite.sql.type.SqlTypeFamily.CHARACTER) {
            return lit.getValueAs(String.class);
        }
        if (n instanceof RexDynamicParam p) {
            if (planning) {
                return ""; // a placeholder: the runtime translator reads the value
            }
            if (context == null) {
                return null;
            }
            Object v = context.get("?" + p.getIndex());
            if (v == null) {
                nullSeen = true;
                return null;
            }
            return v.toString();
        }
        return null;
    }
}
