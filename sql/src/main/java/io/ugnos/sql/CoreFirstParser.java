package io.ugnos.sql;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserImplFactory;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.impl.SqlParserImpl;
import org.apache.calcite.sql.parser.impl.TokenMgrError; // the core lexer's error for characters it cannot read
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.util.SourceStringReader;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Parses with Calcite's core parser first and with the lenient parser ugnos is configured with
 * (Babel) only when the core parser rejects the text.
 *
 * <p>Why: Babel accepts more (above all {@code value}, a reserved word in the core grammar, as a
 * column name) but its grammar is much larger, and parsing a statement with it took 2–4 times as
 * long: 15% of planning a new statement. Babel's grammar extends the core one, so a text both
 * accept is read the same way by both (checked by CoreFirstParserTest over the statements of the
 * sql tests); every error a statement gets, and its position, is Babel's, as before.
 */
final class CoreFirstParser extends SqlAbstractParserImpl {
    /**
     * Words, not in double quotes, that send a text straight to the lenient parser: {@code value},
     * reserved in the core grammar and the name of every series' value column (a first try would
     * only fail), and Babel's date functions {@code DATE_PART}, {@code DATEPART}, {@code DATEADD},
     * {@code DATEDIFF}, whose unit argument ({@code week}, {@code quarter}) the core grammar would
     * read as a column name, so that the statement would fail in validation instead of parsing as
     * Babel reads it.
     */
    static final java.util.regex.Pattern LENIENT_WORDS = java.util.regex.Pattern.compile(
            "(?i)(?<![\\w\"$])(value|date_?part|dateadd|datediff)(?![\\w\"$])");
    private final String sql;
    private final SqlParserImplFactory lenient;
    /** The settings the parser was given, to give them again to the lenient parser. */
    private final List<Consumer<SqlAbstractParserImpl>> settings = new ArrayList<>();
    private SqlAbstractParserImpl active;
    private boolean fellBack;

    private CoreFirstParser(String sql, SqlParserImplFactory lenient) {
        this.sql = sql;
        this.lenient = lenient;
        this.active = SqlParserImpl.FACTORY.getParser(new SourceStringReader(sql));
        setOriginalSql(sql);
    }

    /** A factory of parsers that try the core grammar, then {@code lenient}'s. */
    static SqlParserImplFactory factory(SqlParserImplFactory lenient) {
        return new SqlParserImplFactory() {
            @Override
            public SqlAbstractParserImpl getParser(Reader reader) {
                return new CoreFirstParser(text(reader), lenient);
            }

            @Override
            public org.apache.calcite.server.DdlExecutor getDdlExecutor() {
                return lenient.getDdlExecutor();
            }
        };
    }

    private static String text(Reader reader) {
        if (reader instanceof SourceStringReader s) {
            return s.getSourceString();
        }
        try {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[4096];
            for (int n; (n = reader.read(buf)) >= 0; ) {
                sb.append(buf, 0, n);
            }
            return sb.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lenient parser, set up as this one was, in place of the core one. */
    private SqlAbstractParserImpl fallBack() {
        if (!fellBack) {
            fellBack = true;
            active = lenient.getParser(new SourceStringReader(sql));
            settings.forEach(s -> s.accept(active));
        }
        return active;
    }

    private void set(Consumer<SqlAbstractParserImpl> setting) {
        settings.add(setting);
        setting.accept(active);
    }

    @Override
    public SqlNode parseSqlStmtEof() throws Exception {
        if (!fellBack) {
            try {
                return active.parseSqlStmtEof();
            } catch (Exception | TokenMgrError e) {
                // not in the core grammar: the lenient parser decides, and reports any error
            }
        }
        return fallBack().parseSqlStmtEof();
    }

    @Override
    public SqlNode parseSqlExpressionEof() throws Exception {
        if (!fellBack) {
            try {
                return active.parseSqlExpressionEof();
            } catch (Exception | TokenMgrError e) {
                // as in parseSqlStmtEof
            }
        }
        return fallBack().parseSqlExpressionEof();
    }

    @Override
    public SqlNodeList parseSqlStmtList() throws Exception {
        if (!fellBack) {
            try {
                return active.parseSqlStmtList();
            } catch (Exception | TokenMgrError e) {
                // as in parseSqlStmtEof
            }
        }
        return fallBack().parseSqlStmtList();
    }

    @Override
    public SqlNode parseArray() throws SqlParseException {
        return fallBack().parseArray();
    }

    @Override
    public Metadata getMetadata() {
        return active.getMetadata();
    }

    @Override
    public SqlParseException normalizeException(Throwable ex) {
        return active.normalizeException(ex);
    }

    @Override
    protected SqlParserPos getPos() {
        return SqlParserPos.ZERO; // only the generated parsers ask, of themselves
    }

    @Override
    public void ReInit(Reader reader) {
        throw new UnsupportedOperationException("a CoreFirstParser parses one text");
    }

    @Override
    public void setTabSize(int tabSize) {
        set(p -> p.setTabSize(tabSize));
    }

    @Override
    public void setQuotedCasing(Casing casing) {
        set(p -> p.setQuotedCasing(casing));
    }

    @Override
    public void setUnquotedCasing(Casing casing) {
        set(p -> p.setUnquotedCasing(casing));
    }

    @Override
    public void setIdentifierMaxLength(int identifierMaxLength) {
        set(p -> p.setIdentifierMaxLength(identifierMaxLength));
    }

    @Override
    @SuppressWarnings("deprecation")
    public void setTimeUnitCodes(java.util.Map<String, org.apache.calcite.avatica.util.TimeUnit> timeUnitCodes) {
        set(p -> p.setTimeUnitCodes(timeUnitCodes));
    }

    @Override
    public void setConformance(SqlConformance conformance) {
        set(p -> p.setConformance(conformance));
    }

    @Override
    public void switchTo(LexicalState state) {
        set(p -> p.switchTo(state));
    }
}
