package io.ugnos.jdbc;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The properties a {@code jdbc:ugnos:} URL accepts, after {@code ;} in the URL or in the
 * {@link java.util.Properties} given to {@link Driver#connect}. Names match case-insensitively;
 * each property states which kinds of URL accept it.
 *
 * <pre>{@code jdbc:ugnos:/var/lib/ugnos;durability=sync;memtableBytes=128m;retention=30d}</pre>
 */
public enum ConnectionProperty {
    CREATE("create", List.of(), "true", List.of("true", "false"), EnumSet.of(UgnosUrl.Kind.EMBEDDED),
            "create the database when the directory holds none (false: fail with an error instead)"),
    DURABILITY("durability", List.of(), "flush", List.of("sync", "flush", "none"), EnumSet.of(UgnosUrl.Kind.EMBEDDED, UgnosUrl.Kind.MEMORY),
            "what a write survives when it returns: sync = power loss (fsync), flush = a killed process, none = nothing"),
    MEMTABLE_BYTES("memtableBytes", List.of("memtableSize"), "64m", List.of(), EnumSet.of(UgnosUrl.Kind.EMBEDDED, UgnosUrl.Kind.MEMORY),
            "memtable size at which it is flushed to a segment: bytes, or with a suffix k, m, g (e.g. 128m)"),
    RETENTION("retention", List.of("ttl"), null, List.of(), EnumSet.of(UgnosUrl.Kind.EMBEDDED, UgnosUrl.Kind.MEMORY),
            "sets the database-wide time to live when connecting: 30d, 12h, 15m, 90s, an ISO-8601 duration (P30D), or none"),
    QUARANTINE("quarantine", List.of(), "false", List.of("true", "false"), EnumSet.of(UgnosUrl.Kind.EMBEDDED),
            "at open, move a segment that fails its checksums to <dir>/quarantine/ and serve the rest (its points are lost);"
                    + " false: opening a database with a corrupt segment fails"),
    MAX_STATEMENT_BYTES("maxStatementBytes", List.of(), "1m", List.of(), EnumSet.of(UgnosUrl.Kind.EMBEDDED, UgnosUrl.Kind.MEMORY),
            "most bytes of SQL text in one statement (a size: bytes, or with a suffix k, m, g); longer ones fail with SQLSTATE 54000"),
    MAX_OPEN_STATEMENTS("maxOpenStatements", List.of(), "10000", List.of(), EnumSet.of(UgnosUrl.Kind.EMBEDDED, UgnosUrl.Kind.MEMORY),
            "most statements open at once on one connection; creating one more fails (SQLSTATE 54000) until some are closed"),
    MAX_BATCH_ROWS("maxBatchRows", List.of(), "1000000", List.of(), EnumSet.of(UgnosUrl.Kind.EMBEDDED, UgnosUrl.Kind.MEMORY),
            "most rows (or statements) added to one batch before executeBatch; one more fails with SQLSTATE 54000"),
    READ_ONLY("readOnly", List.of(), "false", List.of("true", "false"), EnumSet.allOf(UgnosUrl.Kind.class),
            "the connection only reads (Connection.setReadOnly(true))"),
    URL("url", List.of(), null, List.of(), EnumSet.of(UgnosUrl.Kind.REMOTE),
            "remote only: the server's address, http://host:port"),
    AUTHENTICATION("authentication", List.of(), "basic", List.of("basic", "digest"), EnumSet.of(UgnosUrl.Kind.REMOTE),
            "remote only: the HTTP authentication scheme the server uses, when user is given"),
    TRUSTSTORE("truststore", List.of(), null, List.of(), EnumSet.of(UgnosUrl.Kind.REMOTE),
            "remote only, with url=https://: a keystore file (PKCS12 or JKS) holding the certificate to trust for the server"
                    + " (default: the JVM's trusted CAs)"),
    TRUSTSTORE_PASSWORD("truststore_password", List.of("truststorePassword"), null, List.of(), EnumSet.of(UgnosUrl.Kind.REMOTE),
            "remote only: the truststore's password"),
    HOSTNAME_VERIFICATION("hostname_verification", List.of("hostnameVerification"), "strict", List.of("strict", "none"),
            EnumSet.of(UgnosUrl.Kind.REMOTE),
            "remote only, with https: strict checks that the server's certificate names the host of url; none does not"
                    + " (then anyone who can intercept the traffic can pose as the server)"),
    USER("user", List.of(), null, List.of(), EnumSet.allOf(UgnosUrl.Kind.class),
            "remote: the user for HTTP authentication; embedded: accepted and ignored (files are protected by the OS)"),
    PASSWORD("password", List.of(), null, List.of(), EnumSet.allOf(UgnosUrl.Kind.class),
            "remote: the password for HTTP authentication; embedded: accepted and ignored");

    private final String key;
    private final List<String> aliases;
    private final String defaultValue;
    private final List<String> choices;
    private final Set<UgnosUrl.Kind> kinds;
    private final String description;

    ConnectionProperty(String key, List<String> aliases, String defaultValue, List<String> choices,
                       Set<UgnosUrl.Kind> kinds, String description) {
        this.key = key;
        this.aliases = aliases;
        this.defaultValue = defaultValue;
        this.choices = choices;
        this.kinds = kinds;
        this.description = description;
    }

    /** The canonical name, as written in URLs and documentation. */
    public String key() {
        return key;
    }

    /** The value used when the property is not given, or null when there is none. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The values allowed, or empty when the value is free-form. */
    public List<String> choices() {
        return choices;
    }

    public String description() {
        return description;
    }

    /** Whether URLs of {@code kind} accept this property. */
    public boolean appliesTo(UgnosUrl.Kind kind) {
        return kinds.contains(kind);
    }

    /** The property named {@code name} (case-insensitive, aliases included), or null. */
    static ConnectionProperty find(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (ConnectionProperty p : values()) {
            if (p.key.toLowerCase(Locale.ROOT).equals(n)
                    || p.aliases.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(n))) {
                return p;
            }
        }
        return null;
    }

    /** The names URLs of {@code kind} accept, for error messages. */
    static String accepted(UgnosUrl.Kind kind) {
        return EnumSet.allOf(ConnectionProperty.class).stream().filter(p -> p.appliesTo(kind))
                .map(ConnectionProperty::key).collect(Collectors.joining(", "));
    }
}
