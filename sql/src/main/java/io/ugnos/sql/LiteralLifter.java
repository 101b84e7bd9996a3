package io.ugnos.sql;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Lifts the constants a query compares columns with out of its text, so that queries differing only
 * in those constants share one plan: {@code WHERE hostname = 'web-7' AND ts >= TIMESTAMP '…'}
 * becomes {@code WHERE hostname = ? AND ts >= ?} with {@code 'web-7'} and the timestamp as the
 * values. Dashboards send the same query again and again with another host or time range; planning
 * it costs milliseconds, a plan-cache hit microseconds. (Oracle's {@code CURSOR_SHARING=FORCE} and
 * SQL Server's forced parameterization do the same.)
 *
 * <p>It lifts conservatively, so that the lifted statement means exactly what the text meant:
 * <ul>
 *   <li>only in a {@code SELECT} or {@code WITH} statement without {@code ?} of its own;</li>
 *   <li>only the right side of {@code column op constant} ({@code = <> != < <= > >=}), both bounds
 *       of {@code column [NOT] BETWEEN constant AND constant}, the pattern of {@code column [NOT] LIKE
 *       'pattern'} (without {@code ESCAPE}) and the items of {@code column [NOT] IN (constant, …)}
 *       (at most {@link #MAX_LIFTED_IN} of them), and only when what follows the
 *       constant ends the comparison ({@code AND}, {@code OR}, {@code )}, {@code GROUP} …), so that no
 *       operator binds it more tightly;</li>
 *   <li>only strings without trailing blanks, whole numbers, and {@code TIMESTAMP} literals with at
 *       most millisecond digits;</li>
 *   <li>each value is then checked against the type the planner inferred for its parameter
 *       ({@link #bind}): a string only for a character parameter, a number only where it fits
 *       exactly, a timestamp only for a timestamp. Any mismatch and the statement is planned as
 *       written.</li>
 * </ul>
 * Text it cannot read (an unknown character, an unterminated string) is left alone.
 */
final class LiteralLifter {
    /** A numeric literal as SQL writes it (compiled once: this runs for every number of every new statement). */
    private static final java.util.regex.Pattern NUMERIC_LITERAL = java.util.regex.Pattern.compile("\\d*\\.?\\d+([eE][+-]?\\d+)?|\\d+\\.");

    /** Words after which a lifted constant's comparison is over. */
    private static final Set<String> ENDS_COMPARISON = Set.of("AND", "OR", "GROUP", "ORDER", "LIMIT", "OFFSET",
            "FETCH", "HAVING", "WINDOW", "QUALIFY", "UNION", "EXCEPT", "INTERSECT", "MINUS", "THEN", "ELSE", "WHEN", "END");
    private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", "<=", ">", ">=");
    /**
     * The longest {@code IN} list lifted: a dashboard's few selected hosts share a plan; a list of
     * thousands stays one Sarg (a literal search the planner keeps whole) rather than as many
     * parameters.
     */
    static final int MAX_LIFTED_IN = 64;
    private static final Set<String> NOT_COLUMNS = Set.of("AND", "OR", "NOT", "WHERE", "SELECT", "ON", "WHEN", "THEN",
            "ELSE", "CASE", "HAVING", "BY", "AS", "FROM", "IS", "NULL", "TRUE", "FALSE", "UNKNOWN", "DISTINCT", "ALL",
            "ANY", "SOME", "EXISTS", "IN", "LIKE", "BETWEEN", "INTERVAL", "TIMESTAMP", "DATE", "TIME");
    static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 3, true).optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(java.time.format.ResolverStyle.STRICT); // Feb 30 or 24:00 must stay Calcite's error

    /** A constant lifted out of the text: a string, a whole number or a timestamp (UTC epoch millis). */
    sealed interface Constant permits Text, WholeNumber, Timestamp {
    }

    record Text(String value) implements Constant {
    }

    record WholeNumber(BigDecimal value) implements Constant {
    }

    record Timestamp(long epochMillis) implements Constant {
    }

    /** The text with {@code ?} where the constants were, and the constants in order. */
    record Lifted(String sql, List<Constant> constants) {
    }

    private LiteralLifter() {
    }

    /** The statement with its constants lifted, or null when there is nothing (safe) to lift. */
    static Lifted lift(String sql) {
        List<Token> tokens = Lexer.tokens(sql);
        if (tokens == null || tokens.isEmpty() || !(tokens.get(0).isWord("SELECT") || tokens.get(0).isWord("WITH"))) {
            return null;
        }
        for (Token t : tokens) {
            if (t.kind == Kind.SYMBOL && t.text.equals("?")) {
                return null; // the statement has parameters of its own: it is planned once already
            }
        }
        StringBuilder out = new StringBuilder(sql.length());
        List<Constant> constants = new ArrayList<>();
        int copied = 0;
        for (int i = 0; i < tokens.size(); i++) {
            int[] lifted = liftableAt(tokens, i);
            if (lifted == null) {
                continue;
            }
            // lifted: pairs of (first token, last token) of each constant, all or none
            List<Constant> values = new ArrayList<>();
            for (int k = 0; k < lifted.length; k += 2) {
                Constant c = constant(tokens, lifted[k], lifted[k + 1]);
                if (c == null) {
                    values = null;
                    break;
                }
                values.add(c);
            }
            if (values == null) {
                continue;
            }
            for (int k = 0; k < lifted.length; k += 2) {
                out.append(sql, copied, tokens.get(lifted[k]).start).append('?');
                copied = tokens.get(lifted[k + 1]).end;
            }
            constants.addAll(values);
            i = lifted[lifted.length - 1];
        }
        if (constants.isEmpty()) {
            return null;
        }
        out.append(sql, copied, sql.length());
        return new Lifted(out.toString(), List.copyOf(constants));
    }

    /**
     * The constants' values as the parameters of the planned statement hold them ({@code types}
     * are their {@link Types}), or null when one does not fit its parameter exactly.
     */
    static List<Object> bind(List<Constant> constants, List<Integer> types) {
        if (constants.size() != types.size()) {
            return null;
        }
        List<Object> values = new ArrayList<>(constants.size());
        for (int i = 0; i < constants.size(); i++) {
            Object v = value(constants.get(i), types.get(i));
            if (v == null) {
                return null;
            }
            values.add(v);
        }
        return values;
    }

    private static Object value(Constant c, int type) {
        try {
            if (c instanceof Text t) {
                return type == Types.VARCHAR || type == Types.CHAR ? t.value() : null;
            }
            if (c instanceof Timestamp t) {
                return type == Types.TIMESTAMP ? t.epochMillis() : null;
            }
            BigDecimal n = ((WholeNumber) c).value();
            return switch (type) {
                case Types.TINYINT -> n.byteValueExact();
                case Types.SMALLINT -> n.shortValueExact();
                case Types.INTEGER -> n.intValueExact();
                case Types.BIGINT -> n.longValueExact();
                case Types.DECIMAL, Types.NUMERIC -> n;
                case Types.DOUBLE, Types.FLOAT -> exactDouble(n);
                default -> null;
            };
        } catch (ArithmeticException doesNotFit) {
            return null;
        }
    }

    private static Double exactDouble(BigDecimal v) {
        double d = v.doubleValue();
        return new BigDecimal(d).compareTo(v) == 0 ? d : null;
    }

    /**
     * When a comparison's constant(s) start at token {@code i}, their (first, last) token indexes;
     * else null.
     */
    private static int[] liftableAt(List<Token> t, int i) {
        // column op constant
        if (i >= 2 && COMPARISONS.contains(symbol(t, i - 1)) && isColumn(t, i - 2)) {
            int last = constantEnd(t, i);
            return last >= 0 && endsComparison(t, last + 1) ? new int[]{i, last} : null;
        }
        // column [NOT] BETWEEN constant AND constant
        if (i >= 2 && t.get(i - 1).isWord("BETWEEN")
                && (isColumn(t, i - 2) || (t.get(i - 2).isWord("NOT") && i >= 3 && isColumn(t, i - 3)))) {
            int last = constantEnd(t, i);
            if (last < 0 || last + 2 >= t.size() || !t.get(last + 1).isWord("AND")) {
                return null;
            }
            int second = last + 2;
            int secondLast = constantEnd(t, second);
            return secondLast >= 0 && endsComparison(t, secondLast + 1) ? new int[]{i, last, second, secondLast} : null;
        }
        // column [NOT] LIKE 'pattern' (a pattern with ESCAPE stays as written)
        if (i >= 2 && t.get(i - 1).isWord("LIKE") && followsColumn(t, i - 2)) {
            return t.get(i).kind == Kind.STRING && endsComparison(t, i + 1) ? new int[]{i, i} : null;
        }
        // column [NOT] IN (constant, …) of at most MAX_LIFTED_IN constants
        if (i >= 3 && symbol(t, i - 1).equals("(") && t.get(i - 2).isWord("IN") && followsColumn(t, i - 3)) {
            List<Integer> bounds = new ArrayList<>();
            for (int k = i; ; ) {
                int last = constantEnd(t, k);
                if (last < 0 || last + 1 >= t.size() || bounds.size() == 2 * MAX_LIFTED_IN) {
                    return null;
                }
                bounds.add(k);
                bounds.add(last);
                String next = symbol(t, last + 1);
                if (next.equals(")")) {
                    return endsComparison(t, last + 2) ? bounds.stream().mapToInt(Integer::intValue).toArray() : null;
                }
                if (!next.equals(",")) {
                    return null;
                }
                k = last + 2;
            }
        }
        return null;
    }

    /** Whether token {@code i} ends a column, or is the NOT after one ({@code column NOT LIKE}). */
    private static boolean followsColumn(List<Token> t, int i) {
        return isColumn(t, i) || (t.get(i).isWord("NOT") && i >= 1 && isColumn(t, i - 1));
    }

    /** The last token of a constant starting at {@code i}, or -1. */
    private static int constantEnd(List<Token> t, int i) {
        if (i >= t.size()) {
            return -1;
        }
        Token tok = t.get(i);
        if (tok.kind == Kind.STRING || tok.kind == Kind.NUMBER) {
            return i;
        }
        if (tok.isWord("TIMESTAMP") && i + 1 < t.size() && t.get(i + 1).kind == Kind.STRING) {
            return i + 1;
        }
        return -1;
    }

    private static Constant constant(List<Token> t, int first, int last) {
        Token tok = t.get(last);
        if (first != last) { // TIMESTAMP '…'
            try {
                return new Timestamp(timestamp(tok.stringValue()).toInstant(ZoneOffset.UTC).toEpochMilli());
            } catch (java.time.DateTimeException | ArithmeticException e) {
                return null;
            }
        }
        if (tok.kind == Kind.STRING) {
            String s = tok.stringValue();
            return s.endsWith(" ") ? null : new Text(s); // CHAR comparison pads blanks: keep those literal
        }
        if (tok.text.indexOf('.') >= 0 || tok.text.indexOf('e') >= 0 || tok.text.indexOf('E') >= 0) {
            return null; // a decimal or floating literal: its type decides how it compares
        }
        return new WholeNumber(new BigDecimal(tok.text));
    }

    /**
     * {@code text} read with {@link #TIMESTAMP}. The usual form ({@code 2026-01-01 10:00:00}, with
     * up to three fraction digits) is read digit by digit, as the formatter would read it but ten
     * times faster (it was 1.5% of planning a new statement); anything else goes to the formatter.
     *
     * @throws java.time.DateTimeException when the formatter would reject it (Feb 30, 24:00, ...)
     */
    static LocalDateTime timestamp(String text) {
        int n = text.length();
        if ((n == 19 || (n >= 21 && n <= 23 && text.charAt(19) == '.'))
                && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == ' '
                && text.charAt(13) == ':' && text.charAt(16) == ':') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int fraction = n == 19 ? 0 : digits(text, 20, n);
            if ((year | month | day | hour | minute | second | fraction) >= 0) {
                int nanos = fraction * (n == 21 ? 100_000_000 : n == 22 ? 10_000_000 : n == 23 ? 1_000_000 : 0);
                return LocalDateTime.of(year, month, day, hour, minute, second, nanos); // validates as STRICT does
            }
        }
        return LocalDateTime.parse(text, TIMESTAMP);
    }

    /** The decimal number in {@code s[from, to)}, or -1 when a character there is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isColumn(List<Token> t, int i) {
        Token tok = t.get(i);
        return tok.kind == Kind.QUOTED || (tok.kind == Kind.WORD && !NOT_COLUMNS.contains(tok.upper()));
    }

    private static boolean endsComparison(List<Token> t, int i) {
        if (i >= t.size()) {
            return true;
        }
        Token tok = t.get(i);
        return tok.kind == Kind.WORD ? ENDS_COMPARISON.contains(tok.upper())
                : tok.kind == Kind.SYMBOL && (tok.text.equals(")") || tok.text.equals(",") || tok.text.equals(";"));
    }

    private static String symbol(List<Token> t, int i) {
        Token tok = t.get(i);
        return tok.kind == Kind.SYMBOL ? tok.text : "";
    }

    enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL }

    record Token(Kind kind, String text, int start, int end) {
        boolean isWord(String w) {
            return kind == Kind.WORD && text.equalsIgnoreCase(w);
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }

        /** A string token's value: without the quotes, doubled quotes undone. */
        String stringValue() {
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
    }

    /** SQL tokens, enough to find constants; null for text it does not know. */
    static final class Lexer {
        private Lexer() {
        }

        static List<Token> tokens(String s) {
            List<Token> out = new ArrayList<>();
            int i = 0;
            int n = s.length();
            while (i < n) {
                char c = s.charAt(i);
                int start = i;
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                    while (i < n && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                    int close = s.indexOf("*/", i + 2);
                    if (close < 0) {
                        return null;
                    }
                    i = close + 2;
                } else if (c == '\'' || c == '"') {
                    i++;
                    while (true) {
                        if (i >= n) {
                            return null;
                        }
                        if (s.charAt(i) == c) {
                            if (i + 1 < n && s.charAt(i + 1) == c) {
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        i++;
                    }
                    if (c == '\'' && !out.isEmpty() && out.get(out.size() - 1).end == start
                            && out.get(out.size() - 1).kind == Kind.WORD) {
                        return null; // a prefixed string (E'…', N'…', X'…', U&'…'): leave the statement alone
                    }
                    out.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED, s.substring(start, i), start, i));
                } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                    while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.'
                            || ((s.charAt(i) == '+' || s.charAt(i) == '-') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
                        i++;
                    }
                    String num = s.substring(start, i);
                    if (!NUMERIC_LITERAL.matcher(num).matches()) {
                        return null;
                    }
                    out.add(new Token(Kind.NUMBER, num, start, i));
                } else if (Character.isLetter(c) || c == '_') {
                    while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
                        i++;
                    }
                    out.add(new Token(Kind.WORD, s.substring(start, i), start, i));
                } else {
                    String two = i + 1 < n ? s.substring(i, i + 2) : "";
                    if (two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!=")
                            || two.equals("||") || two.equals("::")) {
                        i += 2;
                    } else if ("=<>()+-*/,.;?[]%".indexOf(c) >= 0) {
                        i++;
                    } else {
                        return null;
                    }
                    out.add(new Token(Kind.SYMBOL, s.substring(start, i), start, i));
                }
            }
            return out;
        }
    }
}
