package io.ugnos.jdbc.server;

import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What the guard remembers about sessions goes away with the sessions, however they end. */
class SessionGuardTest {
    private static final Supplier<ServerUser> USER = () -> ServerUser.ANONYMOUS;

    @Test
    void sessionsThatEndWithoutACloseAreForgotten() throws Exception {
        ServerMeta meta = new ServerMeta("jdbc:ugnos:mem:session-guard", USER);
        SessionGuard guard = new SessionGuard(new LocalService(meta), meta, USER);
        for (int i = 0; i < 20; i++) {
            guard.apply(new Service.OpenConnectionRequest("c" + i, Map.of()));
            guard.apply(new Service.CreateStatementRequest("c" + i));
        }
        guard.apply(new Service.CloseConnectionRequest("c0"));
        assertThat(guard.tracked()).isEqualTo(2 * 19);
        guard.prune();
        assertThat(guard.tracked()).as("nothing open is forgotten").isEqualTo(2 * 19);

        meta.closeAll(); // as when the server expires idle connections of clients that went away
        guard.prune();
        assertThat(guard.tracked()).isZero();
    }
}
