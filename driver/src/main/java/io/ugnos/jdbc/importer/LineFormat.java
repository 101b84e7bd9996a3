package io.ugnos.jdbc.importer;

/** A text format read one line at a time: CSV with a header row, or InfluxDB line protocol. */
public interface LineFormat {
    /**
     * Parses one line (without its line break) and passes its points to {@code sink}.
     *
     * @throws ImportException naming what is wrong with the line (the caller adds the line number)
     */
    void parse(String line, PointSink sink);
}
