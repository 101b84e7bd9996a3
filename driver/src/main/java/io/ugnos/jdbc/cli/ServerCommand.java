package io.ugnos.jdbc.cli;

import io.ugnos.engine.Durability;
import io.ugnos.jdbc.server.UgnosServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ugnos server --data DIR}: serves a database to {@code jdbc:ugnos:remote:} clients. */
@Command(name = "server", description = "Serves a database over HTTP (Avatica, protobuf) until stopped.")
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the database directory (created when missing)")
    Path data;

    @Option(names = "--port", defaultValue = "" + UgnosServer.DEFAULT_PORT, description = "TCP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = UgnosServer.DEFAULT_BIND,
            description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    String bind;

    @Option(names = "--users", paramLabel = "FILE",
            description = "require HTTP authentication; FILE has one 'user: password[,role]' line per user,"
                    + " role readonly or readwrite (the default); see docs/security.md")
    Path users;

    @Option(names = "--auth", defaultValue = "BASIC", description = "authentication scheme with --users: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    UgnosServer.Auth auth;

    @Option(names = "--durability", paramLabel = "MODE",
            description = "what an acknowledged write survives: sync = power loss (fsync before the reply),"
                    + " flush = a killed server (the default), none = nothing; one of ${COMPLETION-CANDIDATES}")
    Durability durability;

    @Option(names = "--keystore", paramLabel = "FILE",
            description = "serve HTTPS only, with the key and certificate in this PKCS12 or JKS keystore")
    Path keystore;

    @Option(names = "--keystore-password", paramLabel = "PASSWORD",
            description = "the keystore's password; default: the environment variable " + KEYSTORE_PASSWORD_ENV
                    + " (which, unlike an argument, other local users cannot see in the process list)")
    String keystorePassword;

    static final String KEYSTORE_PASSWORD_ENV = "UGNOS_KEYSTORE_PASSWORD";

    UgnosServer.Config config() {
        String password = keystorePassword != null ? keystorePassword : System.getenv(KEYSTORE_PASSWORD_ENV);
        return new UgnosServer.Config(data, port, bind, users, auth, durability, keystore, keystore == null ? null : password);
    }

    @Override
    public Integer call() throws Exception {
        UgnosServer server = UgnosServer.start(config());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("ugnos server: error while stopping: " + e.getMessage());
            }
        }, "ugnos-server-stop"));
        System.err.printf("ugnos server: serving %s on %s://%s:%d%s; connect with %s%n", data.toAbsolutePath(),
                keystore == null ? "http" : "https", bind, server.port(), users == null ? "" : " (" + auth.name().toLowerCase(java.util.Locale.ROOT) + " authentication)",
                server.clientUrl());
        if (users == null) {
            System.err.println("ugnos server: WARNING: no --users file: every client that reaches " + bind + ":" + server.port()
                    + " can read and change the database");
        }
        server.join();
        return 0;
    }
}
