package io.ugnos.jdbc;

import io.ugnos.engine.DatabaseOptions;
import io.ugnos.engine.Durability;

import io.ugnos.sql.session.SessionLimits;

import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A parsed {@code jdbc:ugnos:} URL together with the connection properties given beside it.
 *
 * <pre>
 * jdbc:ugnos:/var/lib/ugnos;durability=sync      embedded, on disk
 * jdbc:ugnos:mem:test                            in memory, shared by name within one JVM
 * jdbc:ugnos:remote:url=http://127.0.0.1:8765    through an ugnos (Avatica) server
 * </pre>
 *
 * A property given both in the URL and in the {@link Properties} takes the URL's value.
 *
 * @param kind       embedded, in memory or remote
 * @param target     the directory, the in-memory name, or the server URL
 * @param properties the properties given, by canonical name
 */
public record UgnosUrl(Kind kind, String target, Map<ConnectionProperty, String> properties) {
    public static final String PREFIX = "jdbc:ugnos:";
    static final String SQL_STATE_CONNECT = "08001";
    private static final String FORMS = "jdbc:ugnos:<directory>[;property=value...], jdbc:ugnos:mem:<name>[;...]"
            + " or jdbc:ugnos:remote:url=http://host:port[;user=...;password=...]";

    /** Where the database is. */
    public enum Kind { EMBEDDED, MEMORY, REMOTE }

    public UgnosUrl {
        EnumMap<ConnectionProperty, String> copy = new EnumMap<>(ConnectionProperty.class);
        copy.putAll(properties);
        properties = Collections.unmodifiableMap(copy);
    }

    /** Whether {@code url} is one this driver handles (it starts with {@code jdbc:ugnos:}). */
    public static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * Parses {@code url} and merges {@code info} into its properties.
     *
     * @throws SQLException when the URL is malformed, a property is unknown or not accepted by this kind
     *                      of URL, or a value is invalid; the message lists what is accepted
     */
    public static UgnosUrl parse(String url, Properties info) throws SQLException {
        if (!accepts(url)) {
            throw error("not a ugnos URL: '" + url + "'; use " + FORMS);
        }
        String rest = url.substring(PREFIX.length());
        String[] parts = rest.split(";", -1);
        String head = parts[0];
        Kind kind;
        String target;
        if (head.regionMatches(true, 0, "mem:", 0, 4)) {
            kind = Kind.MEMORY;
            target = head.substring(4);
            if (target.isEmpty()) {
                throw error("the in-memory database needs a name: jdbc:ugnos:mem:<name>, got '" + url + "'");
            }
        } else if (head.regionMatches(true, 0, "remote:", 0, 7)) {
            kind = Kind.REMOTE;
            target = null;
            parts[0] = head.substring(7);
        } else {
            kind = Kind.EMBEDDED;
            target = head;
            if (target.isBlank()) {
                throw error("the URL names no database directory: '" + url + "'; use " + FORMS);
            }
        }
        Map<ConnectionProperty, String> props = new EnumMap<>(ConnectionProperty.class);
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                put(props, kind, name, info.getProperty(name), "connection properties");
            }
        }
        for (int i = kind == Kind.REMOTE ? 0 : 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw error("malformed property '" + part + "' in '" + url + "': expected name=value; accepted: "
                        + ConnectionProperty.accepted(kind));
            }
            put(props, kind, part.substring(0, eq).trim(), part.substring(eq + 1).trim(), "the URL");
        }
        if (kind == Kind.REMOTE) {
            target = props.get(ConnectionProperty.URL);
            if (target == null || !(target.startsWith("http://") || target.startsWith("https://"))) {
                throw error("a remote URL needs url=http://host:port, got '" + url + "'");
            }
        }
        UgnosUrl parsed = new UgnosUrl(kind, target, props);
        parsed.validate();
        return parsed;
    }

    private static void put(Map<ConnectionProperty, String> props, Kind kind, String name, String value, String where)
            throws SQLException {
        ConnectionProperty p = ConnectionProperty.find(name);
        if (p == null) {
            throw error("unknown property '" + name + "' in " + where + "; a " + kind.name().toLowerCase(Locale.ROOT)
                    + " URL accepts: " + ConnectionProperty.accepted(kind));
        }
        if (!p.appliesTo(kind)) {
            throw error("property '" + p.key() + "' does not apply to a " + kind.name().toLowerCase(Locale.ROOT)
                    + " URL (" + (kind == Kind.REMOTE ? "the server sets engine options" : "it is for remote URLs")
                    + "); accepted: " + ConnectionProperty.accepted(kind));
        }
        if (value == null) {
            return;
        }
        if (!p.choices().isEmpty() && !p.choices().contains(value.toLowerCase(Locale.ROOT))) {
            throw error("property " + p.key() + "='" + value + "' is not one of " + p.choices());
        }
        props.put(p, value);
    }

    /** Parses every typed value once, so that a bad value fails at connect time with a clear message. */
    private void validate() throws SQLException {
        memtableBytes();
        retention();
        sessionLimits();
    }

    private String value(ConnectionProperty p) {
        String v = properties.get(p);
        return v != null ? v : p.defaultValue();
    }

    /** Whether the property was given (rather than defaulted). */
    public boolean has(ConnectionProperty p) {
        return properties.containsKey(p);
    }

    /** Whether a missing database is created ({@code create}, default true). */
    public boolean create() {
        return Boolean.parseBoolean(value(ConnectionProperty.CREATE));
    }

    /** Whether corrupt segments are set aside at open ({@code quarantine}, default false). */
    public boolean quarantine() {
        return Boolean.parseBoolean(value(ConnectionProperty.QUARANTINE));
    }

    /** Whether the connection is read-only ({@code readOnly}, default false). */
    public boolean readOnly() {
        return Boolean.parseBoolean(value(ConnectionProperty.READ_ONLY));
    }

    /** The engine's default durability ({@code durability}, default flush). */
    public Durability durability() {
        return Durability.valueOf(value(ConnectionProperty.DURABILITY).toUpperCase(Locale.ROOT));
    }

    /** The memtable size in bytes ({@code memtableBytes}, default 64 MiB). */
    public long memtableBytes() throws SQLException {
        return size(ConnectionProperty.MEMTABLE_BYTES);
    }

    /** The connection's limits ({@code maxStatementBytes}, {@code maxOpenStatements}, {@code maxBatchRows}). */
    public SessionLimits sessionLimits() throws SQLException {
        return new SessionLimits(size(ConnectionProperty.MAX_STATEMENT_BYTES), count(ConnectionProperty.MAX_OPEN_STATEMENTS),
                count(ConnectionProperty.MAX_BATCH_ROWS));
    }

    private int count(ConnectionProperty p) throws SQLException {
        String v = value(p).trim();
        try {
            int n = Integer.parseInt(v.replace("_", ""));
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw error("property " + p.key() + "='" + v + "' is not a positive whole number up to " + Integer.MAX_VALUE);
        }
    }

    private long size(ConnectionProperty p) throws SQLException {
        String v = value(p).trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        String digits = v.endsWith("b") ? v.substring(0, v.length() - 1) : v;
        if (!digits.isEmpty()) {
            switch (digits.charAt(digits.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                default -> unit = 1;
            }
        }
        if (unit != 1) {
            digits = digits.substring(0, digits.length() - 1);
        }
        try {
            long n = Long.parseLong(digits.trim());
            if (n < 1 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw error("property " + p.key() + "='" + v + "' is not a positive size such as 67108864, 64m or 1g");
        }
    }

    /** The database TTL to set when connecting; {@link Duration#ZERO} removes it; empty when not given. */
    public Optional<Duration> retention() throws SQLException {
        String v = properties.get(ConnectionProperty.RETENTION);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(parseDuration(v));
    }

    static Duration parseDuration(String text) throws SQLException {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.equals("none") || v.equals("0")) {
            return Duration.ZERO;
        }
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            Duration d = switch (v.charAt(v.length() - 1)) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                case 's' -> Duration.ofSeconds(n);
                default -> throw new NumberFormatException();
            };
            if (d.isNegative()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw error("'" + text + "' is not a duration: use 30d, 12h, 15m, 90s, an ISO-8601 duration (P30D) or none");
        }
    }

    /** The engine options this URL asks for (embedded and in-memory URLs). */
    public DatabaseOptions databaseOptions() throws SQLException {
        return DatabaseOptions.defaults()
                .withCreateIfMissing(create())
                .withDurability(durability())
                .withMemtableBytes(memtableBytes())
                .withQuarantineCorruptSegments(quarantine());
    }

    static SQLException error(String message) {
        return new SQLException(message, SQL_STATE_CONNECT);
    }
}
