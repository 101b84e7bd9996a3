package io.ugnos.jdbc.server;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a user of the server may do, as given after the password in the users file
 * ({@code bob: secret,readonly}).
 */
public enum Role {
    /** Queries, EXPLAIN and SHOW; INSERT and every statement that changes the database are refused. */
    READ_ONLY("readonly"),
    /** Everything: queries, INSERT and DDL. A user with no role in the users file has this one. */
    READ_WRITE("readwrite");

    private final String key;

    Role(String key) {
        this.key = key;
    }

    /** The name written in the users file. */
    public String key() {
        return key;
    }

    /** The role named {@code name} (case-insensitive), or null when there is none. */
    static Role find(String name) {
        for (Role r : values()) {
            if (r.key.equalsIgnoreCase(name.trim())) {
                return r;
            }
        }
        return null;
    }

    static String names() {
        return Arrays.stream(values()).map(Role::key).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return key.toLowerCase(Locale.ROOT);
    }
}
