package io.ugnos.jdbc.server;

import org.apache.calcite.avatica.remote.AuthenticationType;
import org.apache.calcite.avatica.server.AvaticaServerConfiguration;
import org.apache.calcite.avatica.server.HttpRequestRemoteUserExtractor;
import org.apache.calcite.avatica.server.RemoteUserExtractor;

import java.util.concurrent.Callable;

/**
 * HTTP BASIC or DIGEST authentication against a {@link UsersFile}, which also tells the server who
 * sends each request. Avatica's own BASIC and DIGEST setups authenticate but do not pass the user on;
 * this configuration asks Avatica to run each request "as" the remote user
 * ({@link #doAsRemoteUser}), and keeps that user for the request's thread, where
 * {@link ServerMeta} and {@link SessionGuard} read it.
 */
final class UserAuthentication implements AvaticaServerConfiguration {
    /** Jetty's HashLoginService realm; clients see it in the WWW-Authenticate challenge. */
    static final String REALM = "ugnos";
    /** Any authenticated user may connect: what each may do is the role's business, not Jetty's. */
    private static final String[] ANY_AUTHENTICATED_ROLE = {"**"};

    private final UsersFile users;
    private final AuthenticationType type;
    private final ThreadLocal<ServerUser> current = new ThreadLocal<>();

    UserAuthentication(UsersFile users, UgnosServer.Auth auth) {
        this.users = users;
        this.type = auth == UgnosServer.Auth.DIGEST ? AuthenticationType.DIGEST : AuthenticationType.BASIC;
    }

    /**
     * The user of the request this thread serves. Outside a request (which serving never does) this
     * fails rather than answering anonymous, which would be allowed to write.
     */
    ServerUser current() {
        ServerUser u = current.get();
        if (u == null) {
            throw new IllegalStateException("no authenticated user on this thread: requests must run through doAsRemoteUser");
        }
        return u;
    }

    @Override
    public <T> T doAsRemoteUser(String remoteUser, String remoteAddress, Callable<T> action) throws Exception {
        current.set(new ServerUser(remoteUser, users.roleOf(remoteUser)));
        try {
            return action.call();
        } finally {
            current.remove();
        }
    }

    @Override
    public boolean supportsImpersonation() {
        return true; // not impersonation of OS users: only the hook that passes the authenticated user on
    }

    @Override
    public AuthenticationType getAuthenticationType() {
        return type;
    }

    @Override
    public String[] getAllowedRoles() {
        return ANY_AUTHENTICATED_ROLE.clone();
    }

    @Override
    public String getHashLoginServiceRealm() {
        return REALM;
    }

    @Override
    public String getHashLoginServiceProperties() {
        return users.file().toAbsolutePath().toString();
    }

    @Override
    public RemoteUserExtractor getRemoteUserExtractor() {
        return new HttpRequestRemoteUserExtractor();
    }

    @Override
    public String getKerberosRealm() {
        return null;
    }

    @Override
    public String getKerberosServiceName() {
        return null;
    }

    @Override
    public String getKerberosHostName() {
        return null;
    }

    @Override
    public String getKerberosPrincipal() {
        return null;
    }
}
