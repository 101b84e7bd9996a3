package io.ugnos.sql;

import io.ugnos.engine.Database;

import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.Collection;

/**
 * Resolves the names SQL statements give to series and tag keys against what the engine stores:
 * the exact name when it exists, else the only case-insensitive match (as unquoted names match in
 * the Calcite schema), else none. Two case-insensitive matches are an error that asks for quotes.
 *
 * <pre>{@code
 * String s = SeriesNames.resolve(db, "CPU"); // "cpu" when that is the only such series
 * }</pre>
 */
public final class SeriesNames {
    private SeriesNames() {
    }

    /** The stored series {@code name} denotes; a "no such table" error when there is none. */
    public static String resolve(Database db, String name) throws SQLException {
        String s = resolveOrNull(db, name);
        if (s == null) {
            throw notFound(name);
        }
        return s;
    }

    public static String resolveOrNull(Database db, String name) throws SQLException {
        return db.hasSeries(name) ? name : match("series name", name, db.series());
    }

    /** The name among {@code known} that {@code name} denotes, exactly or ignoring case; null when none. */
    public static String match(String what, String name, Collection<String> known) throws SQLException {
        if (known.contains(name)) {
            return name;
        }
        String match = null;
        for (String s : known) {
            if (s.equalsIgnoreCase(name)) {
                if (match != null) {
                    throw new SQLSyntaxErrorException(what + " " + name + " is ambiguous: it matches " + match + " and " + s
                            + " when case is ignored; write it in double quotes with the exact case", "42000");
                }
                match = s;
            }
        }
        return match;
    }

    public static SQLSyntaxErrorException notFound(String name) {
        return new SQLSyntaxErrorException("series " + name + " does not exist; SHOW SERIES lists the series", "42S02");
    }
}
