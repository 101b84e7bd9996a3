package io.ugnos.jdbc.server;

import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends single Avatica protobuf requests over raw HTTP, with no credentials, BASIC or DIGEST ones, so
 * that tests see the server's answer to each request type as a hostile client would.
 */
final class AvaticaWire {
    private static final ProtobufTranslation PROTOBUF = new ProtobufTranslationImpl();
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]*))");

    /** What a request carries in its Authorization header. */
    record Credentials(String scheme, String user, String password) {
        static final Credentials NONE = new Credentials(null, null, null);

        static Credentials basic(String user, String password) {
            return new Credentials("Basic", user, password);
        }

        static Credentials digest(String user, String password) {
            return new Credentials("Digest", user, password);
        }
    }

    /** An HTTP status with the parsed Avatica response, when there was one. */
    record Answer(int status, Service.Response response) {
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI uri;
    private int nonceCount;

    AvaticaWire(int port) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/");
    }

    Answer send(Service.Request request, Credentials credentials) throws IOException, InterruptedException {
        byte[] body = PROTOBUF.serializeRequest(request);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if ("Basic".equals(credentials.scheme())) {
            String token = Base64.getEncoder().encodeToString((credentials.user() + ":" + credentials.password())
                    .getBytes(StandardCharsets.UTF_8));
            b.header("Authorization", "Basic " + token);
        } else if ("Digest".equals(credentials.scheme())) {
            // a fresh challenge for every request: the first, unauthenticated attempt is refused and only yields the nonce
            HttpResponse<byte[]> challenge = http.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (challenge.statusCode() != 401) {
                throw new AssertionError("an unauthenticated request got " + challenge.statusCode() + ", not 401");
            }
            b.header("Authorization", digest(challenge.headers().firstValue("WWW-Authenticate").orElseThrow(), credentials));
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        Service.Response parsed = null;
        if (r.statusCode() == 200 || r.statusCode() == 500) {
            parsed = PROTOBUF.parseResponse(r.body());
        }
        return new Answer(r.statusCode(), parsed);
    }

    /** RFC 2617 digest with qop=auth, as Jetty's DigestAuthenticator checks it. */
    private String digest(String challenge, Credentials c) {
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge.substring(challenge.indexOf(' ') + 1));
        while (m.find()) {
            p.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        String nc = String.format("%08x", ++nonceCount);
        String cnonce = Long.toHexString(System.nanoTime());
        String ha1 = md5(c.user() + ":" + p.get("realm") + ":" + c.password());
        String ha2 = md5("POST:" + uri.getPath());
        String response = md5(ha1 + ":" + p.get("nonce") + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + c.user() + "\", realm=\"" + p.get("realm") + "\", nonce=\"" + p.get("nonce")
                + "\", uri=\"" + uri.getPath() + "\", qop=auth, nc=" + nc + ", cnonce=\"" + cnonce
                + "\", response=\"" + response + "\", algorithm=MD5";
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
