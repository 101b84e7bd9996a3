package io.ugnos.sql.session;

import java.sql.SQLException;
import java.sql.SQLNonTransientException;

/**
 * A guard against statements that Calcite's parser cannot handle in bounded time: its operator
 * parsing is quadratic in the length of an {@code AND}/{@code OR} chain (8,000 terms take seconds,
 * 100,000 terms tens of minutes, during which neither {@code setQueryTimeout} nor {@code cancel()}
 * can stop it, since both act on the running query). A statement with more than
 * {@value #MAX_BOOLEAN_TERMS} {@code AND}/{@code OR} keywords is refused before parsing.
 *
 * <pre>{@code
 * StatementSize.check("SELECT * FROM cpu WHERE host = 'a' OR host = 'b'"); // fine
 * }</pre>
 */
final class StatementSize {
    /** Beyond this, Calcite takes seconds to parse and usually overflows its stack while planning anyway. */
    static final int MAX_BOOLEAN_TERMS = 1_000;

    private StatementSize() {
    }

    /** Throws when {@code sql} has more AND/OR keywords (outside literals, quoted names and comments) than allowed. */
    static void check(String sql) throws SQLException {
        int terms = booleanKeywords(sql);
        if (terms > MAX_BOOLEAN_TERMS) {
            throw new SQLNonTransientException("statement too complex: " + terms + " AND/OR operators, more than the "
                    + MAX_BOOLEAN_TERMS + " ugnos accepts in one statement; write a list of values as IN ('a', 'b', ...),"
                    + " or split the statement", "54001");
        }
    }

    /** Whether the quote at {@code quote} opens {@code E'...'}, whose backslash escapes a quote ({@code E'\''}). */
    private static boolean escapeString(String sql, int quote) {
        if (quote == 0 || (sql.charAt(quote - 1) != 'E' && sql.charAt(quote - 1) != 'e')) {
            return false;
        }
        return quote == 1 || !isWordChar(sql.charAt(quote - 2));
    }

    /** The index after the quote closing the escape string whose text starts at {@code from}. */
    private static int endOfEscapeString(String sql, int from) {
        for (int i = from; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i++; // the escaped character, a quote included
            } else if (c == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    i++; // a doubled quote
                } else {
                    return i + 1;
                }
            }
        }
        return sql.length();
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    static int booleanKeywords(String sql) {
        int count = 0;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' && escapeString(sql, i)) {
                i = endOfEscapeString(sql, i + 1);
            } else if (c == '\'' || c == '"' || c == '`') {
                i = sql.indexOf(c, i + 1); // a doubled quote inside reads as closing and reopening: same span
                i = i < 0 ? n : i + 1;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = sql.indexOf('\n', i);
                i = i < 0 ? n : i + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = sql.indexOf("*/", i + 2);
                i = i < 0 ? n : i + 2;
            } else if (isWordChar(c)) {
                int start = i;
                while (i < n && isWordChar(sql.charAt(i))) {
                    i++;
                }
                int len = i - start;
                if ((len == 2 && sql.regionMatches(true, start, "OR", 0, 2))
                        || (len == 3 && sql.regionMatches(true, start, "AND", 0, 3))) {
                    count++;
                }
            } else {
                i++;
            }
        }
        return count;
    }
}
