package io.ugnos.jdbc.importer;

import io.ugnos.engine.InvalidInputException;
import io.ugnos.engine.Names;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * InfluxDB line protocol: {@code measurement[,tag=value...] field=value[,field=value...] [timestamp]}.
 * Each numeric field becomes a point of series {@code measurement.field} with the line's tags:
 *
 * <pre>
 * cpu,host=web-1,region=eu usage_user=12.5,usage_system=3i 1767225600000000000
 *   -> cpu.usage_user{host=web-1,region=eu} = 12.5,  cpu.usage_system{...} = 3.0
 * </pre>
 * Floats, integers ({@code 3i}), unsigned integers ({@code 3u}) and booleans (1.0 / 0.0) are
 * imported; string fields are skipped and counted. Backslash escapes ({@code \,}, {@code \=},
 * {@code \ }) work as in InfluxDB; lines starting with {@code #} are comments. A line without a
 * timestamp gets the current time.
 */
public final class LineProtocolFormat implements LineFormat {
    private final TimestampPrecision precision;
    private final LongSupplier nowNanos;
    private long skippedStringFields;

    public LineProtocolFormat(TimestampPrecision precision, LongSupplier nowNanos) {
        this.precision = precision;
        this.nowNanos = nowNanos;
    }

    /** String fields seen and skipped (ugnos stores doubles only). */
    public long skippedStringFields() {
        return skippedStringFields;
    }

    @Override
    public void parse(String line, PointSink sink) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
            return;
        }
        List<String> sections = splitUnescaped(l, ' ', true);
        if (sections.size() < 2 || sections.size() > 3) {
            throw new ImportException("expected 'measurement[,tags] fields [timestamp]', found " + sections.size() + " space-separated parts");
        }
        List<String> key = splitUnescaped(sections.get(0), ',', false);
        String measurement = unescape(key.get(0));
        if (measurement.isEmpty()) {
            throw new ImportException("the measurement name is empty");
        }
        Map<String, String> tags = new HashMap<>();
        for (int i = 1; i < key.size(); i++) {
            String[] kv = keyValue(key.get(i), "tag");
            tags.put(kv[0], kv[1]);
        }
        long ts = sections.size() == 3 ? precision.parseTimestamp(sections.get(2)) : nowNanos.getAsLong();
        for (String field : splitUnescaped(sections.get(1), ',', true)) {
            String[] kv = keyValue(field, "field");
            Double v = fieldValue(kv[1]);
            if (v == null) {
                skippedStringFields++;
                continue;
            }
            String series = measurement + "." + kv[0];
            try {
                Names.checkSeries(series);
                for (Map.Entry<String, String> t : tags.entrySet()) {
                    Names.checkTag(series, t.getKey(), t.getValue());
                }
            } catch (InvalidInputException e) {
                throw new ImportException(e.getMessage());
            }
            sink.point(series, tags, ts, v);
        }
    }

    /** Splits at the first unescaped {@code =}: a key cannot hold a bare one, a string value can. */
    private static String[] keyValue(String pair, String what) {
        int eq = -1;
        for (int i = 0; i < pair.length() && eq < 0; i++) {
            if (pair.charAt(i) == '\\') {
                i++;
            } else if (pair.charAt(i) == '=') {
                eq = i;
            }
        }
        if (eq <= 0 || eq == pair.length() - 1) {
            throw new ImportException(what + " '" + pair + "' is not key=value");
        }
        String value = pair.substring(eq + 1);
        return new String[]{unescape(pair.substring(0, eq)), value.startsWith("\"") ? value : unescape(value)};
    }

    /** The field's numeric value, or null for a string field. */
    private static Double fieldValue(String v) {
        if (v.startsWith("\"")) {
            return null;
        }
        switch (v) {
            case "t", "T", "true", "True", "TRUE":
                return 1.0;
            case "f", "F", "false", "False", "FALSE":
                return 0.0;
            default:
                break;
        }
        char last = v.charAt(v.length() - 1);
        try {
            if (last == 'i' || last == 'u') {
                return (double) Long.parseLong(v.substring(0, v.length() - 1));
            }
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ImportException("field value '" + v + "' is not a number, boolean or string");
        }
    }

    /**
     * Splits on {@code sep} where it is not escaped by a backslash (and, when {@code quotes}, not
     * inside a double-quoted string field value).
     */
    private static List<String> splitUnescaped(String s, char sep, boolean quotes) {
        List<String> out = new ArrayList<>();
        int start = 0;
        boolean inString = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (quotes && c == '"') {
                inString = !inString;
            } else if (c == sep && !inString) {
                if (sep == ' ' && i == start) { // runs of spaces
                    start = i + 1;
                    continue;
                }
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (inString) {
            throw new ImportException("unterminated string field value");
        }
        if (start < s.length() || sep != ' ') {
            out.add(s.substring(start));
        }
        return out;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == ',' || n == '=' || n == ' ' || n == '\\' || n == '"') {
                    b.append(n);
                    i++;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }
}
