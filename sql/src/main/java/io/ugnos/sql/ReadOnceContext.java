package io.ugnos.sql;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.tools.RelRunner;

import java.util.List;
import java.util.function.Supplier;

/**
 * A statement's preparation context whose configuration is the connection's, read once
 * ({@link ReadOnceConnectionConfig}); everything else is the connection's context. Calcite's own
 * context builds a new configuration, which parses its properties again, on every read.
 */
final class ReadOnceContext implements CalcitePrepare.Context {
    private final ReadOnceConnectionConfig config;
    /** The connection's own context, made on first use (its constructor copies the schema tree). */
    private final Supplier<CalcitePrepare.Context> make;
    private final CalciteConnection connection;
    private CalcitePrepare.Context context;

    private ReadOnceContext(CalcitePrepare.Context context, ReadOnceConnectionConfig config) {
        this.context = context;
        this.config = config;
        this.make = null;
        this.connection = null;
    }

    /** {@code context} with {@code config}: itself when it already is a context of this kind. */
    static ReadOnceContext of(CalcitePrepare.Context context, ReadOnceConnectionConfig config) {
        return context instanceof ReadOnceContext r ? r : new ReadOnceContext(context, config);
    }

    /**
     * A context of {@code connection} that asks {@code make} for Calcite's context (and its copy of
     * the schema tree) only when planning needs more than the default schema and the configuration,
     * which is all a statement whose plan is cached reads.
     */
    ReadOnceContext(CalciteConnection connection, ReadOnceConnectionConfig config, Supplier<CalcitePrepare.Context> make) {
        this.config = config;
        this.make = make;
        this.connection = connection;
    }

    private CalcitePrepare.Context context() {
        CalcitePrepare.Context c = context;
        if (c == null) { // a context serves one statement's preparation, on one thread
            c = make.get();
            context = c;
        }
        return c;
    }

    @Override
    public JavaTypeFactory getTypeFactory() {
        return connection != null ? connection.getTypeFactory() : context().getTypeFactory();
    }

    @Override
    public CalciteSchema getRootSchema() {
        return context().getRootSchema();
    }

    @Override
    public CalciteSchema getMutableRootSchema() {
        return context().getMutableRootSchema();
    }

    @Override
    public List<String> getDefaultSchemaPath() {
        if (connection == null) {
            return context().getDefaultSchemaPath();
        }
        try {
            String schema = connection.getSchema(); // what Calcite's context answers
            return schema == null ? List.of() : List.of(schema);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public CalciteConnectionConfig config() {
        return config;
    }

    @Override
    public CalcitePrepare.SparkHandler spark() {
        return CalcitePrepare.Dummy.getSparkHandler(config.spark()); // what Calcite's context does
    }

    @Override
    public DataContext getDataContext() {
        return context().getDataContext();
    }

    @Override
    public List<String> getObjectPath() {
        return context().getObjectPath();
    }

    @Override
    public RelRunner getRelRunner() {
        return context().getRelRunner();
    }
}
