package io.ugnos.jdbc.importer;

import io.ugnos.engine.InvalidInputException;
import io.ugnos.engine.Names;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CSV with a header row naming the columns: {@code series} (optional when the import names one
 * series for the whole file), {@code ts}, {@code value}, and any further columns as tags.
 *
 * <pre>
 * series,ts,value,host,region
 * cpu.usage_user,2026-01-01T00:00:00Z,12.5,web-1,eu
 * cpu.usage_user,1767225610000000000,13.0,web-1,eu
 * </pre>
 * Fields may be double-quoted ({@code "a,b"}, with {@code ""} for a quote); an empty tag field means
 * the point lacks that tag. Timestamps are ISO-8601 or integers in the import's precision.
 */
public final class CsvFormat implements LineFormat {
    private final String fixedSeries;
    private final TimestampPrecision precision;
    private int seriesColumn = -1;
    private int tsColumn = -1;
    private int valueColumn = -1;
    private String[] tagKeys;

    /**
     * @param series    the series of every row when the file has no {@code series} column, or null
     * @param precision the unit of integer timestamps
     */
    public CsvFormat(String series, TimestampPrecision precision) {
        this.fixedSeries = series;
        this.precision = precision;
    }

    @Override
    public void parse(String line, PointSink sink) {
        if (line.isBlank()) {
            return;
        }
        List<String> fields = split(line);
        if (tagKeys == null) {
            header(fields);
            return;
        }
        if (fields.size() != tagKeys.length) {
            throw new ImportException("expected " + tagKeys.length + " fields as in the header, found " + fields.size());
        }
        String series = seriesColumn >= 0 ? fields.get(seriesColumn).trim() : fixedSeries;
        try {
            Names.checkSeries(series);
        } catch (InvalidInputException e) {
            throw new ImportException(e.getMessage());
        }
        long ts = precision.parseTimestamp(fields.get(tsColumn));
        double value;
        try {
            value = Double.parseDouble(fields.get(valueColumn).trim());
        } catch (NumberFormatException e) {
            throw new ImportException("value '" + fields.get(valueColumn) + "' is not a number");
        }
        Map<String, String> tags = new HashMap<>();
        try {
            for (int i = 0; i < tagKeys.length; i++) {
                if (tagKeys[i] != null && !fields.get(i).isEmpty()) {
                    // checked here, as line protocol does, so that the error names this line rather than the batch
                    Names.checkTag(series, tagKeys[i], fields.get(i));
                    tags.put(tagKeys[i], fields.get(i));
                }
            }
        } catch (InvalidInputException e) {
            throw new ImportException(e.getMessage());
        }
        sink.point(series, tags, ts, value);
    }

    private void header(List<String> names) {
        tagKeys = new String[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).trim();
            switch (n.toLowerCase(Locale.ROOT)) {
                case "series" -> seriesColumn = i;
                case "ts", "time", "timestamp" -> tsColumn = i;
                case "value" -> valueColumn = i;
                default -> {
                    if (n.isEmpty()) {
                        throw new ImportException("header column " + (i + 1) + " has no name");
                    }
                    tagKeys[i] = n;
                }
            }
        }
        if (tsColumn < 0 || valueColumn < 0) {
            throw new ImportException("the header row must name a ts and a value column (series,ts,value,tag...), got " + names);
        }
        if (seriesColumn < 0 && fixedSeries == null) {
            throw new ImportException("the header has no series column: add one, or name the series with --series");
        }
        tagKeys[tsColumn] = null;
        tagKeys[valueColumn] = null;
        if (seriesColumn >= 0) {
            tagKeys[seriesColumn] = null;
        }
    }

    /** Splits one CSV line: commas separate, double quotes enclose, {@code ""} is a quote inside quotes. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        if (quoted) {
            throw new ImportException("unterminated double quote");
        }
        out.add(f.toString());
        return out;
    }
}
