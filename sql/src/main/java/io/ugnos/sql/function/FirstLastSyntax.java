package io.ugnos.sql.function;

/**
 * Lets {@code first(value, ts)} and {@code last(value, ts)} parse. Calcite's parser reserves
 * {@code FIRST(expr [, n])} and {@code LAST(…)} for MATCH_RECOGNIZE navigation, whose second
 * argument must be a number, so TimescaleDB's spelling fails to parse. Before parsing, an unquoted
 * {@code first}/{@code last} directly followed by {@code (} becomes the quoted identifier
 * {@code "first"}/{@code "last"}, which names the ugnos aggregate. String literals, quoted
 * identifiers and comments are left alone. (Error positions after such a call on the same line
 * shift by two columns.)
 */
public final class FirstLastSyntax {
    private FirstLastSyntax() {
    }

    public static String rewrite(String sql) {
        StringBuilder out = null;
        int n = sql.length();
        int i = 0;
        int copied = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int e = sql.indexOf('\n', i);
                i = e < 0 ? n : e;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int e = sql.indexOf("*/", i + 2);
                i = e < 0 ? n : e + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                String word = sql.substring(start, i);
                boolean afterDot = start > 0 && sql.charAt(start - 1) == '.';
                if (!afterDot && (word.equalsIgnoreCase("first") || word.equalsIgnoreCase("last")) && nextIsParen(sql, i)) {
                    if (out == null) {
                        out = new StringBuilder(n + 8);
                    }
                    out.append(sql, copied, start).append('"').append(word.toLowerCase(java.util.Locale.ROOT)).append('"');
                    copied = i;
                }
            } else {
                i++;
            }
        }
        if (out == null) {
            return sql;
        }
        return out.append(sql, copied, n).toString();
    }

    private static int skipQuoted(String sql, int i, char quote) {
        int j = i + 1;
        while (j < sql.length()) {
            if (sql.charAt(j) == quote) {
                if (j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                    j += 2; // doubled quote inside
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return j;
    }

    private static boolean nextIsParen(String sql, int i) {
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return i < sql.length() && sql.charAt(i) == '(';
    }
}
