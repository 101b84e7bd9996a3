package io.ugnos.sql;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.tools.RelRunner;

import java.util.List;

/**
 * A statement's preparation context whose configuration is the connection's, read once
 * ({@link ReadOnceConnectionConfig}); everything else is the connection's context. Calcite's own
 * context builds a new configuration, which parses its properties again, on every read.
 */
final class ReadOnceContext implements CalcitePrepare.Context {
    private final CalcitePrepare.Context context;
    private final ReadOnceConnectionConfig config;

    ReadOnceContext(CalcitePrepare.Context context, ReadOnceConnectionConfig config) {
        this.context = context instanceof ReadOnceContext r ? r.context : context;
        this.config = config;
    }

    @Override
    public JavaTypeFactory getTypeFactory() {
        return context.getTypeFactory();
    }

    @Override
    public CalciteSchema getRootSchema() {
        return context.getRootSchema();
    }

    @Override
    public CalciteSchema getMutableRootSchema() {
        return context.getMutableRootSchema();
    }

    @Override
    public List<String> getDefaultSchemaPath() {
        return context.getDefaultSchemaPath();
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
        return context.getDataContext();
    }

    @Override
    public List<String> getObjectPath() {
        return context.getObjectPath();
    }

    @Override
    public RelRunner getRelRunner() {
        return context.getRelRunner();
    }
}
