package io.ugnos.sql.ddl;

import io.ugnos.sql.TimestampValues;
import io.ugnos.sql.ddl.grammar.UgnosDdlLexer;
import io.ugnos.sql.ddl.grammar.UgnosDdlParser;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Parses the statements of the ugnos DDL grammar ({@code UgnosDdl.g4}) into {@link DdlCommand}s.
 * Syntax errors are {@link SQLSyntaxErrorException}s naming the line, the column (both from 1) and
 * the tokens that would have been accepted.
 *
 * <pre>{@code
 * if (DdlParser.handles(sql)) { DdlCommand c = DdlParser.parse(sql); ... }
 * }</pre>
 */
public final class DdlParser {
    /** First words of the statements this grammar owns; anything else is Calcite's. */
    private static final Set<String> LEADING = Set.of("CREATE", "DROP", "ALTER", "DELETE", "COMPACT", "FLUSH", "SHOW");
    // possessive: blanks and comments are skipped without backtracking, so a long blank prefix costs linear time
    private static final Pattern FIRST_WORD = Pattern.compile("(?s)^(?:\\s|--[^\\n]*+\\n?|/\\*.*?\\*/)*+([A-Za-z]+)");
    private static final String DELETE_FORMS = "DELETE supports only WHERE ts < TIMESTAMP '2024-01-01 00:00:00'"
            + " (or a timestamp string) and WHERE ts_ns < <epoch nanoseconds>";

    private static final Set<Integer> NON_RESERVED = Set.of(UgnosDdlLexer.SERIES, UgnosDdlLexer.DATABASE,
            UgnosDdlLexer.RETENTION, UgnosDdlLexer.STATS, UgnosDdlLexer.COMPACT, UgnosDdlLexer.FLUSH, UgnosDdlLexer.SHOW,
            UgnosDdlLexer.NONE, UgnosDdlLexer.DEFAULT, UgnosDdlLexer.TIMESTAMP);

    private DdlParser() {
    }

    /** Whether {@code sql} starts (after blanks and comments) with a word that this grammar owns. */
    public static boolean handles(String sql) {
        return LEADING.contains(firstWord(sql));
    }

    /** The first word of {@code sql} in upper case, or "" when it starts with something else. */
    public static String firstWord(String sql) {
        var m = FIRST_WORD.matcher(sql);
        return m.find() ? m.group(1).toUpperCase(Locale.ROOT) : "";
    }

    public static DdlCommand parse(String sql) throws SQLException {
        UgnosDdlLexer lexer = new UgnosDdlLexer(CharStreams.fromString(sql));
        lexer.removeErrorListeners(); // unknown characters become UNEXPECTED tokens that the parser reports
        UgnosDdlParser parser = new UgnosDdlParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(new FirstError());
        UgnosDdlParser.StatementContext tree;
        try {
            tree = parser.statement();
        } catch (ParseCancellationException e) {
            throw (SQLSyntaxErrorException) e.getCause();
        }
        return build(tree.command());
    }

    /** Stops at the first syntax error with a message that says where and what was expected. */
    private static final class FirstError extends BaseErrorListener {
        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int column, String msg,
                                RecognitionException e) {
            Parser p = (Parser) recognizer;
            IntervalSet expected = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : p.getExpectedTokens();
            Token t = (Token) offending;
            String found = t == null || t.getType() == Token.EOF ? "the end of the statement" : "'" + t.getText() + "'";
            String message = "syntax error at line " + line + ", column " + (column + 1) + ": found " + found
                    + ", expected " + describe(expected, p);
            throw new ParseCancellationException(new SQLSyntaxErrorException(message, "42000"));
        }

        private static String describe(IntervalSet expected, Parser p) {
            if (expected.contains(UgnosDdlLexer.CREATE) && expected.contains(UgnosDdlLexer.SHOW)) {
                return "a statement: CREATE SERIES, DROP SERIES, ALTER SERIES, ALTER DATABASE, DELETE FROM, COMPACT, FLUSH or SHOW";
            }
            TreeSet<String> names = new TreeSet<>();
            for (int type : expected.toList()) {
                if (expected.contains(UgnosDdlLexer.IDENT) && NON_RESERVED.contains(type)) {
                    continue; // where a name is expected, these keywords are names too: "a name" says it
                }
                names.add(switch (type) {
                    case Token.EOF -> "the end of the statement";
                    case UgnosDdlLexer.IDENT, UgnosDdlLexer.QUOTED_IDENT -> "a name";
                    case UgnosDdlLexer.STRING -> "a quoted string";
                    case UgnosDdlLexer.INTEGER -> "an integer";
                    default -> p.getVocabulary().getDisplayName(type).replaceAll("^'([A-Z_]+)'$", "$1"); // keywords bare, punctuation quoted
                });
            }
            return String.join(" or ", names);
        }
    }

    private static DdlCommand build(UgnosDdlParser.CommandContext c) throws SQLException {
        if (c.createSeries() != null) {
            var x = c.createSeries();
            DdlCommand.Retention retention = null;
            for (var o : x.seriesOption()) {
                String key = identifier(o.identifier());
                if (!key.equalsIgnoreCase("retention")) {
                    throw new SQLSyntaxErrorException("unknown option '" + key + "' in CREATE SERIES at line "
                            + o.start.getLine() + ", column " + (o.start.getCharPositionInLine() + 1)
                            + "; the supported option is retention", "42000");
                }
                retention = o.STRING() != null ? new DdlCommand.Retention(RetentionDurations.parse(string(o.STRING().getText())))
                        : o.NONE() != null ? DdlCommand.Retention.NONE : DdlCommand.Retention.DEFAULT;
            }
            return new DdlCommand.CreateSeries(identifier(x.name().identifier()), x.EXISTS() != null, retention);
        } else if (c.dropSeries() != null) {
            var x = c.dropSeries();
            return new DdlCommand.DropSeries(identifier(x.name().identifier()), x.EXISTS() != null);
        } else if (c.alterSeries() != null) {
            var x = c.alterSeries();
            return new DdlCommand.AlterSeriesRetention(identifier(x.name().identifier()), retention(x.retention()));
        } else if (c.alterDatabase() != null) {
            DdlCommand.Retention r = retention(c.alterDatabase().retention());
            if (r.keep() == null) {
                r = DdlCommand.Retention.NONE; // the database has nothing to inherit from
            }
            return new DdlCommand.AlterDatabaseRetention(r);
        } else if (c.deleteFrom() != null) {
            return deleteBefore(c.deleteFrom());
        } else if (c.compact() != null) {
            var n = c.compact().name();
            return new DdlCommand.Compact(n == null ? null : identifier(n.identifier()));
        } else if (c.flush() != null) {
            return new DdlCommand.Flush();
        } else if (c.showSeries() != null) {
            return new DdlCommand.ShowSeries();
        } else if (c.showRetention() != null) {
            return new DdlCommand.ShowRetention();
        } else if (c.showStats() != null) {
            return new DdlCommand.ShowStats();
        }
        throw new SQLSyntaxErrorException("unsupported statement: " + c.getText(), "42000");
    }

    private static DdlCommand.Retention retention(UgnosDdlParser.RetentionContext r) throws SQLDataException {
        if (r.NONE() != null) {
            return DdlCommand.Retention.NONE;
        }
        if (r.DEFAULT() != null) {
            return DdlCommand.Retention.DEFAULT;
        }
        return new DdlCommand.Retention(RetentionDurations.parse(string(r.STRING().getText())));
    }

    /** Accepts exactly {@code ts < [TIMESTAMP] 'text'} or {@code ts_ns < [-]integer}; anything else is refused with the supported forms. */
    private static DdlCommand deleteBefore(UgnosDdlParser.DeleteFromContext x) throws SQLException {
        String series = identifier(x.name().identifier());
        if (x.condition() == null) {
            throw new SQLSyntaxErrorException("DELETE FROM " + series + " without WHERE is not supported: " + DELETE_FORMS
                    + "; to remove a whole series use DROP SERIES", "42000");
        }
        List<Token> t = new ArrayList<>();
        for (int i = 0; i < x.condition().getChildCount(); i++) {
            t.add((Token) x.condition().getChild(i).getPayload());
        }
        String column = t.get(0).getType() == UgnosDdlLexer.IDENT ? t.get(0).getText().toLowerCase(Locale.ROOT)
                : t.get(0).getType() == UgnosDdlLexer.QUOTED_IDENT ? unquote(t.get(0).getText()).toLowerCase(Locale.ROOT) : "";
        boolean lt = t.size() >= 3 && t.get(1).getType() == UgnosDdlLexer.LT;
        if (lt && column.equals("ts")) {
            int v = t.get(2).getType() == UgnosDdlLexer.TIMESTAMP ? 3 : 2;
            if (t.size() == v + 1 && t.get(v).getType() == UgnosDdlLexer.STRING) {
                return new DdlCommand.DeleteBefore(series, TimestampValues.parse(string(t.get(v).getText())));
            }
        } else if (lt && column.equals("ts_ns")) {
            boolean negative = t.get(2).getType() == UgnosDdlLexer.MINUS;
            int v = negative ? 3 : 2;
            if (t.size() == v + 1 && t.get(v).getType() == UgnosDdlLexer.INTEGER) {
                try {
                    return new DdlCommand.DeleteBefore(series, Long.parseLong((negative ? "-" : "") + t.get(v).getText()));
                } catch (NumberFormatException e) {
                    throw new SQLDataException("ts_ns value " + t.get(v).getText() + " at line " + t.get(v).getLine()
                            + " does not fit in a 64-bit integer", "22003");
                }
            }
        }
        Token first = t.get(0);
        throw new SQLSyntaxErrorException("unsupported DELETE condition '" + x.condition().getText() + "' at line "
                + first.getLine() + ", column " + (first.getCharPositionInLine() + 1) + ": " + DELETE_FORMS, "42000");
    }

    private static String identifier(UgnosDdlParser.IdentifierContext id) {
        String text = id.getText();
        return id.QUOTED_IDENT() != null ? unquote(text) : text;
    }

    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"");
    }

    private static String string(String quoted) {
        return quoted.substring(1, quoted.length() - 1).replace("''", "'");
    }
}
