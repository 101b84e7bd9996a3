package io.ugnos.jdbc.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the server listens, and TLS with a keystore. */
class TransportSecurityTest {
    @TempDir
    Path tmp;

    @Test
    void byDefaultTheServerListensOnLoopbackOnly() throws Exception {
        try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(tmp.resolve("db"), 0, null, null, null))) {
            assertThat(server.config().bind()).isEqualTo("127.0.0.1");
            assertThat(server.boundAddress().isLoopbackAddress()).as("bound to %s", server.boundAddress()).isTrue();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2000);
            }
            // every other address of this machine is refused (a machine with loopback only has none to try)
            for (InetAddress other : nonLoopbackAddresses()) {
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(other, server.port()), 2000);
                    }
                }).as("connecting to %s", other).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void bindingEveryInterfaceIsExplicit() throws Exception {
        try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(tmp.resolve("db"), 0, "0.0.0.0", null, null))) {
            assertThat(server.boundAddress().isAnyLocalAddress()).isTrue();
            for (InetAddress other : nonLoopbackAddresses()) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(other, server.port()), 2000);
                }
            }
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        out.add(a);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void withAKeystoreTheServerSpeaksTlsOnly() throws Exception {
        Path keystore = tmp.resolve("server.p12");
        Path cert = tmp.resolve("server.cer");
        Path truststore = tmp.resolve("trust.p12");
        // a key made now for this test: no private key is committed
        keytool("-genkeypair", "-alias", "ugnos", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "ks-secret", "-keypass", "ks-secret");
        keytool("-exportcert", "-alias", "ugnos", "-keystore", keystore.toString(), "-storepass", "ks-secret", "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "ugnos", "-file", cert.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", "trust-secret");
        Path users = tmp.resolve("users.properties");
        Files.writeString(users, "alice: a-pw\n");

        try (UgnosServer server = UgnosServer.start(new UgnosServer.Config(tmp.resolve("db"), 0, null, users, null,
                keystore, "ks-secret"))) {
            assertThat(server.clientUrl()).startsWith("jdbc:ugnos:remote:url=https://127.0.0.1:");
            String trusted = server.clientUrl() + ";truststore=" + truststore + ";truststore_password=trust-secret";
            try (Connection c = DriverManager.getConnection(trusted, "alice", "a-pw");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("VALUES 42")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            // TLS does not replace authentication
            assertThatThrownBy(() -> DriverManager.getConnection(trusted, "alice", "wrong"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("401");
            // a client that does not trust the certificate does not talk to the server
            assertThatThrownBy(() -> DriverManager.getConnection(server.clientUrl(), "alice", "a-pw"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("cannot connect to ugnos server https://");
            // plain HTTP to the HTTPS port gets no answer at all: the server drops the connection. Not tried with the
            // JDBC driver, whose Avatica HTTP client retries a request that got no response without end (docs/security.md)
            HttpURLConnection http = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port() + "/").toURL().openConnection();
            http.setRequestMethod("POST");
            http.setDoOutput(true);
            http.getOutputStream().write(new byte[]{0});
            assertThatThrownBy(http::getResponseCode).isInstanceOf(IOException.class);
            http.disconnect();
        }
    }

    @Test
    void aKeystoreWithoutItsPasswordOrMissingIsRefusedBeforeServing() {
        assertThatThrownBy(() -> new UgnosServer.Config(tmp.resolve("db"), 0, null, null, null, tmp.resolve("ks.p12"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs its password");
        assertThatThrownBy(() -> UgnosServer.start(new UgnosServer.Config(tmp.resolve("db"), 0, null, null, null, tmp.resolve("ks.p12"), "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keystore").hasMessageContaining("does not exist");
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("keytool %s: %s", args[0], out).isZero();
    }
}
