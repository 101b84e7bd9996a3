package io.ugnos.jdbc.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The users file of {@code ugnos server --users FILE}: one {@code user: password[,role]} line per user,
 * in the Java properties format Jetty's {@code HashLoginService} reads (which checks the passwords).
 * This class reads the same file for the roles: {@code readonly} or {@code readwrite} (the default).
 *
 * <pre>
 * # user: password[,role]
 * alice: s3cret,readwrite
 * grafana: OBF:1yta1j651v8w1v9q1j8x1ytc,readonly
 * </pre>
 *
 * An unknown role fails the server's start: a misspelt {@code read-only} must not quietly grant writes.
 *
 * @param file  the file
 * @param roles each user's role
 */
public record UsersFile(Path file, Map<String, Role> roles) {
    public UsersFile {
        roles = Map.copyOf(roles);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException when the file cannot be read, or a line names an unknown role or more than one
     */
    public static UsersFile load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("users file " + file + " does not exist or cannot be read: " + e.getMessage(), e);
        }
        Map<String, Role> roles = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            String user = name.trim();
            String value = p.getProperty(name).trim();
            // as Jetty's PropertyUserStore: the credential ends at the first comma, roles follow
            int comma = value.indexOf(',');
            Role role = Role.READ_WRITE;
            if (comma >= 0) {
                Role found = null;
                for (String r : value.substring(comma + 1).split(",")) {
                    if (r.isBlank()) {
                        continue;
                    }
                    Role named = Role.find(r);
                    if (named == null) {
                        throw new IllegalArgumentException("users file " + file + ": user '" + user + "' has unknown role '"
                                + r.trim() + "'; roles are " + Role.names() + " (one per user; none means readwrite)");
                    }
                    if (found != null && found != named) {
                        throw new IllegalArgumentException("users file " + file + ": user '" + user
                                + "' has two roles; give one of " + Role.names());
                    }
                    found = named;
                }
                role = found != null ? found : Role.READ_WRITE;
            }
            roles.put(user, role);
        }
        return new UsersFile(file, roles);
    }

    /** The role of an authenticated {@code user}; read-only for a name the file does not hold (it cannot happen after Jetty's check). */
    public Role roleOf(String user) {
        return roles.getOrDefault(user, Role.READ_ONLY);
    }
}
