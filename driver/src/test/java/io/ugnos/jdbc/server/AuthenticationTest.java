package io.ugnos.jdbc.server;

import io.ugnos.engine.Database;
import io.ugnos.engine.WriteBatch;
import io.ugnos.engine.index.TagSet;
import io.ugnos.jdbc.server.AvaticaWire.Answer;
import io.ugnos.jdbc.server.AvaticaWire.Credentials;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.TypedValue;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a users file, every Avatica request type is refused with 401 without credentials and with
 * wrong ones, changes nothing, and works with the right ones; over raw HTTP, as a hostile client
 * would send it.
 */
class AuthenticationTest {
    private static final String SERIES = "\"cpu.usage_user\"";
    private static final String INTRUDER_INSERT = "INSERT INTO " + SERIES + " (ts, \"value\", host) VALUES (TIMESTAMP '2030-01-01 00:00:00', 6.66, 'intruder')";

    @TempDir
    Path tmp;

    /** One request of the walk, built when it is sent (it may need ids earlier answers gave). */
    private record Step(String name, Supplier<Service.Request> request) {
    }

    @ParameterizedTest
    @EnumSource(UgnosServer.Auth.class)
    void everyRequestTypeIsRefusedWithoutValidCredentialsAndWorksWithThem(UgnosServer.Auth auth) throws Exception {
        Path dir = tmp.resolve("db");
        try (Database db = Database.open(dir)) {
            WriteBatch b = new WriteBatch();
            for (int i = 0; i < 20; i++) {
                b.add("cpu.usage_user", TagSet.of("host", "web-1"), i * 1_000_000_000L, i);
            }
            db.write(b);
        }
        Path users = tmp.resolve("users.properties");
        Files.writeString(users, "alice: s3cret\n");
        Credentials valid = auth == UgnosServer.Auth.DIGEST ? Credentials.digest("alice", "s3cret") : Credentials.basic("alice", "s3cret");
        List<Credentials> invalid = List.of(Credentials.NONE,
                auth == UgnosServer.Auth.DIGEST ? Credentials.digest("alice", "wrong") : Credentials.basic("alice", "wrong"),
                auth == UgnosServer.Auth.DIGEST ? Credentials.digest("mallory", "s3cret") : Credentials.basic("mallory", "s3cret"),
                // the other scheme with the right password: the server accepts only the one it was started with
                auth == UgnosServer.Auth.DIGEST ? Credentials.basic("alice", "s3cret") : Credentials.digest("alice", "s3cret"));

        try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(dir, 0, null, users, auth));
             Connection checker = DriverManager.getConnection(server.clientUrl() + ";authentication="
                     + valid.scheme().toLowerCase(java.util.Locale.ROOT), valid.user(), valid.password())) {
            AvaticaWire wire = new AvaticaWire(server.port());
            String c = "c-" + auth;
            String other = "other-" + auth;
            int[] statement = new int[1];
            int[] query = new int[1];
            Meta.StatementHandle[] prepared = new Meta.StatementHandle[2];
            List<Step> walk = List.of(
                    new Step("OpenConnection", () -> new Service.OpenConnectionRequest(c, Map.of())),
                    new Step("OpenConnection (a second id)", () -> new Service.OpenConnectionRequest(other, Map.of())),
                    new Step("ConnectionSync", () -> new Service.ConnectionSyncRequest(c, new ConnectionPropertiesImpl().setReadOnly(false))),
                    new Step("DatabaseProperty", () -> new Service.DatabasePropertyRequest(c)),
                    new Step("Catalogs", () -> new Service.CatalogsRequest(c)),
                    new Step("Schemas", () -> new Service.SchemasRequest(c, null, null)),
                    new Step("Tables", () -> new Service.TablesRequest(c, null, null, "%", null)),
                    new Step("TableTypes", () -> new Service.TableTypesRequest(c)),
                    new Step("TypeInfo", () -> new Service.TypeInfoRequest(c)),
                    new Step("Columns", () -> new Service.ColumnsRequest(c, null, null, "%", "%")),
                    new Step("CreateStatement", () -> new Service.CreateStatementRequest(c)),
                    new Step("PrepareAndExecute (INSERT)", () -> new Service.PrepareAndExecuteRequest(c, statement[0], INTRUDER_INSERT, -1, 10)),
                    new Step("CreateStatement (for a query)", () -> new Service.CreateStatementRequest(c)),
                    new Step("PrepareAndExecute (SELECT)", () -> new Service.PrepareAndExecuteRequest(c, query[0],
                            "SELECT ts FROM " + SERIES + " ORDER BY ts", -1, 5)),
                    new Step("Fetch", () -> new Service.FetchRequest(c, query[0], 5, 5)),
                    new Step("SyncResults", () -> new Service.SyncResultsRequest(c, query[0], new QueryState("SELECT ts FROM " + SERIES), 10)),
                    new Step("Prepare (SELECT)", () -> new Service.PrepareRequest(c, "SELECT \"value\" FROM " + SERIES + " WHERE host = ?", -1)),
                    new Step("Execute", () -> new Service.ExecuteRequest(prepared[0],
                            List.of(TypedValue.ofLocal(ColumnMetaData.Rep.STRING, "web-1")), 100)),
                    new Step("Prepare (INSERT)", () -> new Service.PrepareRequest(c, "INSERT INTO " + SERIES
                            + " (ts_ns, \"value\", host) VALUES (?, ?, ?)", -1)),
                    new Step("ExecuteBatch", () -> new Service.ExecuteBatchRequest(c, prepared[1].id, List.of(List.of(
                            TypedValue.ofLocal(ColumnMetaData.Rep.LONG, 1_900_000_000_000_000_000L),
                            TypedValue.ofLocal(ColumnMetaData.Rep.DOUBLE, 6.66),
                            TypedValue.ofLocal(ColumnMetaData.Rep.STRING, "intruder"))))),
                    new Step("PrepareAndExecuteBatch", () -> new Service.PrepareAndExecuteBatchRequest(c, statement[0], List.of(INTRUDER_INSERT.replace("2030-01-01", "2030-01-02")))),
                    new Step("Commit", () -> new Service.CommitRequest(c)),
                    new Step("Rollback", () -> new Service.RollbackRequest(c)),
                    new Step("CloseStatement", () -> new Service.CloseStatementRequest(c, query[0])),
                    new Step("CloseConnection", () -> new Service.CloseConnectionRequest(other)),
                    new Step("CloseConnection", () -> new Service.CloseConnectionRequest(c)));

            List<String> typesSeen = new ArrayList<>();
            long written = 0; // the intruder's points that authenticated requests wrote
            for (Step step : walk) {
                for (Credentials bad : invalid) {
                    Answer a = wire.send(step.request().get(), bad);
                    assertThat(a.status()).as("%s with %s", step.name(), bad).isEqualTo(401);
                }
                // nothing the refused requests asked for happened: only the authenticated requests' points are there
                assertThat(intruderPoints(checker)).as("after refused %s", step.name()).isEqualTo(written);

                Service.Request request = step.request().get();
                Answer ok = wire.send(request, valid);
                assertThat(ok.status()).as("%s with valid credentials: %s", step.name(), ok.response()).isEqualTo(200);
                typesSeen.add(request.getClass().getSimpleName());
                if (ok.response() instanceof Service.CreateStatementResponse r) {
                    if (statement[0] == 0) {
                        statement[0] = r.statementId;
                    } else {
                        query[0] = r.statementId;
                    }
                } else if (ok.response() instanceof Service.PrepareResponse r) {
                    prepared[prepared[0] == null ? 0 : 1] = r.statement;
                } else if (ok.response() instanceof Service.ExecuteResponse r && step.name().contains("INSERT")) {
                    assertThat(r.results.get(0).updateCount).isEqualTo(1);
                    written++;
                } else if (ok.response() instanceof Service.ExecuteBatchResponse r) {
                    assertThat(r.updateCounts).containsExactly(1);
                    written++;
                }
            }
            assertThat(intruderPoints(checker)).isEqualTo(written).isEqualTo(3);
            // the walk covered every request type of Avatica's Service
            assertThat(typesSeen).containsAll(List.of("OpenConnectionRequest", "CloseConnectionRequest", "ConnectionSyncRequest",
                    "DatabasePropertyRequest", "CatalogsRequest", "SchemasRequest", "TablesRequest", "TableTypesRequest",
                    "TypeInfoRequest", "ColumnsRequest", "CreateStatementRequest", "CloseStatementRequest", "PrepareRequest",
                    "PrepareAndExecuteRequest", "ExecuteRequest", "FetchRequest", "SyncResultsRequest", "CommitRequest",
                    "RollbackRequest", "PrepareAndExecuteBatchRequest", "ExecuteBatchRequest"));
        }
    }

    private static long intruderPoints(Connection checker) throws Exception {
        try (Statement s = checker.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SERIES + " WHERE host = 'intruder'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
