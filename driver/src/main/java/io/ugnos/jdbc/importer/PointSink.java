package io.ugnos.jdbc.importer;

import java.util.Map;

/** Receives the points a parser reads from one line of input. */
public interface PointSink {
    void point(String series, Map<String, String> tags, long timestampNanos, double value);
}
