package io.ugnos.sql;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets PostgreSQL's interval literals parse: {@code INTERVAL '1 hour'} and {@code interval '5 minutes'},
 * where the unit is inside the string, become SQL's {@code INTERVAL '1' hour} and {@code INTERVAL '5'
 * minutes} before parsing. Only a whole number and one unit that SQL's interval literal knows (year,
 * quarter, month, week, day, hour, minute, second, singular or plural) are rewritten; anything else
 * (an interval already followed by its unit, {@code '1 hour 30 minutes'}, {@code '1:30'}) is left to
 * the parser. The rewrite keeps the text's length and every other character in place, so error
 * positions stay right.
 */
final class IntervalSyntax {
    private static final Pattern CANDIDATE = Pattern.compile("(?i)interval\\s*'");
    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\s*)(-?\\d+)(\\s+)([A-Za-z]+)(\\s*)");
    private static final Set<String> UNITS = Set.of("YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND");

    private IntervalSyntax() {
    }

    static String rewrite(String sql) {
        if (!CANDIDATE.matcher(sql).find()) {
            return sql;
        }
        List<LiteralLifter.Token> tokens = LiteralLifter.Lexer.tokens(sql);
        if (tokens == null) {
            return sql; // text the lexer does not know: the parser reports it
        }
        char[] out = null;
        for (int i = 0; i + 1 < tokens.size(); i++) {
            LiteralLifter.Token literal = tokens.get(i + 1);
            if (!tokens.get(i).isWord("INTERVAL") || literal.kind() != LiteralLifter.Kind.STRING
                    || (i + 2 < tokens.size() && isUnit(tokens.get(i + 2)))) {
                continue;
            }
            Matcher m = NUMBER_AND_UNIT.matcher(literal.text().substring(1, literal.text().length() - 1));
            if (!m.matches() || !isUnit(m.group(4))) {
                continue;
            }
            // 'N unit' -> 'N' unit, padded with the string's leading and trailing blanks
            String rewritten = "'" + m.group(2) + "'" + m.group(3) + m.group(4) + m.group(1) + m.group(5);
            if (out == null) {
                out = sql.toCharArray();
            }
            rewritten.getChars(0, rewritten.length(), out, literal.start());
        }
        return out == null ? sql : new String(out);
    }

    private static boolean isUnit(LiteralLifter.Token t) {
        return t.kind() == LiteralLifter.Kind.WORD && isUnit(t.text());
    }

    private static boolean isUnit(String word) {
        String u = word.toUpperCase(Locale.ROOT);
        return UNITS.contains(u) || (u.endsWith("S") && UNITS.contains(u.substring(0, u.length() - 1)));
    }
}
