package io.ugnos.sql;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.sql.validate.SqlConformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A connection's Calcite configuration with the values that planning reads parsed once, when the
 * connection opens, instead of on every read.
 *
 * <p>Why: Calcite's own configuration parses its value from the connection's properties each time
 * one is read, and a statement's preparation reads a few dozen of them (case sensitivity, quoting,
 * conformance, the operator table, the parser factory, decorrelation...): 2–3% of planning a new
 * statement. The properties of a ugnos connection never change once it is open, so the parsed
 * values stay valid for its whole life. Values nothing reads per statement are left to Calcite.
 */
final class ReadOnceConnectionConfig extends CalciteConnectionConfigImpl {
    private final boolean caseSensitive;
    private final Quoting quoting;
    private final Casing quotedCasing;
    private final Casing unquotedCasing;
    private final SqlConformance conformance;
    private final NullCollation defaultNullCollation;
    private final boolean lenientOperatorLookup;
    private final boolean materializationsEnabled;
    private final boolean forceDecorrelate;
    private final boolean topDownGeneralDecorrelationEnabled;
    private final boolean topDownOpt;
    private final boolean spark;
    private final boolean typeCoercion;
    private final String timeZone;
    private final int fetchSize;
    private final String locale;
    /** Plugin values ({@link #fun}, {@link #parserFactory}, {@link #typeSystem}) by what was asked. */
    private final List<Plugin> plugins = new ArrayList<>();

    private record Plugin(String property, Class<?> type, Object defaultValue, Object value) {
    }

    ReadOnceConnectionConfig(Properties properties) {
        super(properties);
        this.caseSensitive = super.caseSensitive();
        this.quoting = super.quoting();
        this.quotedCasing = super.quotedCasing();
        this.unquotedCasing = super.unquotedCasing();
        this.conformance = super.conformance();
        this.defaultNullCollation = super.defaultNullCollation();
        this.lenientOperatorLookup = super.lenientOperatorLookup();
        this.materializationsEnabled = super.materializationsEnabled();
        this.forceDecorrelate = super.forceDecorrelate();
        this.topDownGeneralDecorrelationEnabled = super.topDownGeneralDecorrelationEnabled();
        this.topDownOpt = super.topDownOpt();
        this.spark = super.spark();
        this.typeCoercion = super.typeCoercion();
        this.timeZone = super.timeZone();
        this.fetchSize = super.fetchSize();
        this.locale = super.locale();
    }

    @Override
    public boolean caseSensitive() {
        return caseSensitive;
    }

    @Override
    public Quoting quoting() {
        return quoting;
    }

    @Override
    public Casing quotedCasing() {
        return quotedCasing;
    }

    @Override
    public Casing unquotedCasing() {
        return unquotedCasing;
    }

    @Override
    public SqlConformance conformance() {
        return conformance;
    }

    @Override
    public NullCollation defaultNullCollation() {
        return defaultNullCollation;
    }

    @Override
    public boolean lenientOperatorLookup() {
        return lenientOperatorLookup;
    }

    @Override
    public boolean materializationsEnabled() {
        return materializationsEnabled;
    }

    @Override
    public boolean forceDecorrelate() {
        return forceDecorrelate;
    }

    @Override
    public boolean topDownGeneralDecorrelationEnabled() {
        return topDownGeneralDecorrelationEnabled;
    }

    @Override
    public boolean topDownOpt() {
        return topDownOpt;
    }

    @Override
    public boolean spark() {
        return spark;
    }

    @Override
    public boolean typeCoercion() {
        return typeCoercion;
    }

    @Override
    public String timeZone() {
        return timeZone;
    }

    /** Read by Avatica for every statement a connection creates. */
    @Override
    public int fetchSize() {
        return fetchSize;
    }

    /** Read by Calcite for every statement it executes (its data context's locale). */
    @Override
    public String locale() {
        return locale;
    }

    @Override
    public <T> T fun(Class<T> operatorTableClass, T defaultOperatorTable) {
        return plugin("fun", operatorTableClass, defaultOperatorTable);
    }

    @Override
    public <T> T parserFactory(Class<T> parserFactoryClass, T defaultParserFactory) {
        return plugin("parserFactory", parserFactoryClass, defaultParserFactory);
    }

    @Override
    public <T> T typeSystem(Class<T> typeSystemClass, T defaultTypeSystem) {
        return plugin("typeSystem", typeSystemClass, defaultTypeSystem);
    }

    /** The value Calcite gives for {@code property} asked with this type and default, computed on first use. */
    private synchronized <T> T plugin(String property, Class<T> type, T defaultValue) {
        for (Plugin p : plugins) {
            // the same default object: Calcite asks with a constant (a singleton table or factory) or null
            if (p.property.equals(property) && p.type == type && p.defaultValue == defaultValue) {
                return type.cast(p.value);
            }
        }
        T value = switch (property) {
            case "fun" -> super.fun(type, defaultValue);
            case "parserFactory" -> super.parserFactory(type, defaultValue);
            case "typeSystem" -> super.typeSystem(type, defaultValue);
            default -> throw new IllegalArgumentException(property);
        };
        if (plugins.size() < 16) { // a caller passing a new default each time is answered, not remembered
            plugins.add(new Plugin(property, type, defaultValue, value));
        }
        return value;
    }
}
