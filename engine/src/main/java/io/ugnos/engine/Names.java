package io.ugnos.engine;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of series names and tags, shared by every entry point so that all reject the same input. */
public final class Names {
    /** Series names: {@code [A-Za-z_][A-Za-z0-9_.:-]*}, at most 255 bytes. */
    public static final Pattern SERIES = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]*");
    public static final int MAX_NAME_BYTES = 255;
    /** Tag keys that would collide with the columns every series has in SQL. */
    public static final Set<String> RESERVED_TAG_KEYS = Set.of("ts", "value", "ts_ns");

    private Names() {
    }

    public static String checkSeries(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException("series name is empty; names match [A-Za-z_][A-Za-z0-9_.:-]*");
        }
        if (!SERIES.matcher(name).matches()) {
            throw new InvalidInputException("invalid series name '" + name
                    + "': names start with a letter or '_' and contain only letters, digits, '_', '.', ':' and '-'");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new InvalidInputException("series name '" + name.substring(0, 32) + "…' is longer than "
                    + MAX_NAME_BYTES + " bytes");
        }
        return name;
    }

    public static void checkTag(String series, String key, String value) {
        if (key == null || key.isEmpty()) {
            throw new InvalidInputException("empty tag key in a point of series '" + series + "'; tag keys must be non-empty");
        }
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException("empty value for tag '" + key + "' in series '" + series
                    + "'; leave the tag out instead of giving it an empty value");
        }
        if (RESERVED_TAG_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
            throw new InvalidInputException("tag key '" + key + "' in series '" + series
                    + "' is reserved (it names a column every series has: ts, value, ts_ns); rename the tag");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new InvalidInputException("tag key in series '" + series + "' is longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (value.length() > 65535 / 3) {
            throw new InvalidInputException("value of tag '" + key + "' in series '" + series + "' is longer than "
                    + (65535 / 3) + " characters");
        }
    }
}
