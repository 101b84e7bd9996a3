package io.ugnos.sql;

import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaSpecificDatabaseMetaData;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.apache.calcite.jdbc.CalciteFactory;
import org.apache.calcite.jdbc.CalciteJdbc41Factory;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.Driver;
import org.apache.calcite.jdbc.ReadOnceCalciteConnection;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Properties;
import java.util.TimeZone;
import java.util.function.Supplier;

/**
 * Calcite's JDBC driver making connections that read their configuration once
 * ({@link ReadOnceConnectionConfig}) and take a snapshot of the schema tree only when a statement is
 * planned, not when its plan comes from the cache.
 *
 * <p>Why: Calcite's connection builds a new configuration object on every {@code config()} call,
 * which parses the property it is asked for again, and Avatica asks for the fetch size on every
 * statement it creates and for the time zone on every result set; its preparation context copies
 * the schema tree for every statement. On a query answered in 30 µs from a cached plan, that was a
 * quarter of the bytes allocated and about a fifth of the time. The properties of a ugnos
 * connection never change once it is open ({@code setClientInfo} does not reach them), so the
 * values read once stay right for its whole life.
 */
final class UgnosCalciteDriver extends Driver {
    private final ReadOnceConnectionConfig config;

    /**
     * @param config the parsed form of the properties every connection of this driver is opened with
     */
    UgnosCalciteDriver(Supplier<CalcitePrepare> prepareFactory, ReadOnceConnectionConfig config) {
        super(prepareFactory);
        this.config = config;
    }

    @Override
    protected AvaticaFactory createFactory() {
        return new Factory(); // called by the super constructor: the factory reads the driver's fields later
    }

    /** Calcite's JDBC 4.1 objects, over {@link ReadOnceCalciteConnection}s. */
    private static final class Factory extends CalciteFactory {
        private final CalciteJdbc41Factory calcite = new CalciteJdbc41Factory();

        Factory() {
            super(4, 1);
        }

        @Override
        public AvaticaConnection newConnection(UnregisteredDriver driver, AvaticaFactory factory, String url,
                Properties info, CalciteSchema rootSchema, JavaTypeFactory typeFactory) {
            ReadOnceConnectionConfig config = ((UgnosCalciteDriver) driver).config;
            return new ReadOnceCalciteConnection((Driver) driver, factory, url, info, rootSchema, typeFactory, config,
                    (connection, make) -> new ReadOnceContext(connection, config, make));
        }

        @Override
        public AvaticaSpecificDatabaseMetaData newDatabaseMetaData(AvaticaConnection connection) {
            return calcite.newDatabaseMetaData(connection);
        }

        @Override
        public AvaticaStatement newStatement(AvaticaConnection connection, Meta.StatementHandle h, int resultSetType,
                int resultSetConcurrency, int resultSetHoldability) {
            return calcite.newStatement(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
        }

        @Override
        public AvaticaPreparedStatement newPreparedStatement(AvaticaConnection connection, Meta.StatementHandle h,
                Meta.Signature signature, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
                throws SQLException {
            return calcite.newPreparedStatement(connection, h, signature, resultSetType, resultSetConcurrency,
                    resultSetHoldability);
        }

        @Override
        public AvaticaResultSet newResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
                TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
            return calcite.newResultSet(statement, state, signature, timeZone, firstFrame);
        }

        @Override
        public ResultSetMetaData newResultSetMetaData(AvaticaStatement statement, Meta.Signature signature) {
            return calcite.newResultSetMetaData(statement, signature);
        }
    }
}
