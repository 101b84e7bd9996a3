package io.ugnos.bench.query;

import java.util.List;
import java.util.Map;

/**
 * Everything measured at one dataset size.
 *
 * @param hosts            host count
 * @param hours            hours of data
 * @param rows             TSBS rows (host × tick)
 * @param points           points (rows × 10)
 * @param generatorSeconds time to generate the rows alone (included in every load time)
 * @param loads            load figures by system name, in run order
 * @param queries          the queries with their drawn parameters
 * @param sql              SQL text by query name, then by system name
 * @param latency          latency figures by query name, then by system name
 * @param ugnosWork        ugnos's engine work for one run of each query, by query name
 */
public record ScaleResult(int hosts, int hours, long rows, long points, double generatorSeconds,
                          Map<String, LoadFigures> loads, List<TsbsQuery> queries,
                          Map<String, Map<String, String>> sql, Map<String, Map<String, LatencyStats>> latency,
                          Map<String, EngineWork> ugnosWork) {
}
