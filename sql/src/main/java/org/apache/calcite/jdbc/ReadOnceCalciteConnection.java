package org.apache.calcite.jdbc;

import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.config.CalciteConnectionConfig;

import java.util.Properties;
import java.util.TimeZone;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A Calcite connection whose configuration is one object read once, and whose statements' contexts
 * are made by the caller; used by ugnos's SQL layer ({@code io.ugnos.sql.UgnosCalciteDriver}).
 *
 * <p>Why it lives in Calcite's package: {@link CalciteConnectionImpl}, which Calcite's statements
 * and meta implementation cast every connection to, is package-private, and its
 * {@link #config()} builds a new configuration object on each call, which parses the property
 * asked for again: Avatica asks for the fetch size on every statement and for the time zone on
 * every result set. This class overrides only public methods of that class; a Calcite upgrade that
 * changes its constructor breaks the build here, not at run time.
 */
public final class ReadOnceCalciteConnection extends CalciteConnectionImpl {
    private final CalciteConnectionConfig config;
    private final TimeZone timeZone;
    private final BiFunction<CalciteConnection, Supplier<CalcitePrepare.Context>, CalcitePrepare.Context> contexts;

    /**
     * @param config   the parsed form of {@code info}, answered by {@link #config()}
     * @param contexts makes a statement's preparation context from this connection and a supplier
     *                 of Calcite's own context (whose constructor copies the schema tree)
     */
    public ReadOnceCalciteConnection(Driver driver, AvaticaFactory factory, String url, Properties info,
            CalciteSchema rootSchema, JavaTypeFactory typeFactory, CalciteConnectionConfig config,
            BiFunction<CalciteConnection, Supplier<CalcitePrepare.Context>, CalcitePrepare.Context> contexts) {
        super(driver, factory, url, info, rootSchema, typeFactory);
        this.config = config;
        this.contexts = contexts;
        this.timeZone = super.getTimeZone();
    }

    @Override
    public CalciteConnectionConfig config() {
        CalciteConnectionConfig c = config;
        return c != null ? c : super.config(); // null only while the super constructors run
    }

    @Override
    public TimeZone getTimeZone() {
        TimeZone tz = timeZone;
        return tz != null ? (TimeZone) tz.clone() : super.getTimeZone(); // a copy: TimeZone is mutable
    }

    @Override
    public CalcitePrepare.Context createPrepareContext() {
        return contexts.apply(this, super::createPrepareContext);
    }
}
