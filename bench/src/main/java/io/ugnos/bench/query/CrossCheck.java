package io.ugnos.bench.query;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs every query once on every system and compares each answer with the reference system's
 * (rows sorted, floats within {@link ResultRows#RELATIVE_TOLERANCE}). The first difference, or a
 * query that fails on some system, stops the benchmark with the SQL texts and both answers.
 */
final class CrossCheck {
    private static final int SHOWN_ROWS = 20;

    private final List<QueryTarget> targets;
    private final String reference;
    private final PrintStream log;

    CrossCheck(List<QueryTarget> targets, String reference, PrintStream log) {
        this.targets = targets;
        this.reference = reference;
        this.log = log;
    }

    /** @throws ResultMismatchException on the first difference or failure */
    void run(List<TsbsQuery> queries, Map<String, Map<String, String>> sql) {
        QueryTarget ref = targets.stream().filter(t -> t.name().equals(reference)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no reference system " + reference));
        for (TsbsQuery q : queries) {
            Map<String, String> texts = sql.get(q.name());
            List<List<Object>> expected = answer(ref, q, texts.get(ref.name()));
            for (QueryTarget t : targets) {
                if (t == ref) {
                    continue;
                }
                List<List<Object>> actual = answer(t, q, texts.get(t.name()));
                String diff = ResultRows.difference(expected, actual);
                if (diff != null) {
                    throw new ResultMismatchException(q.name() + ": " + t.name() + " differs from " + ref.name()
                            + ": " + diff
                            + "\n-- " + ref.name() + " SQL:\n" + texts.get(ref.name())
                            + "\n-- " + t.name() + " SQL:\n" + texts.get(t.name())
                            + "\n-- " + ref.name() + " answer (sorted):\n" + show(expected)
                            + "\n-- " + t.name() + " answer (sorted):\n" + show(actual));
                }
            }
            log.printf(Locale.ROOT, "cross-check %-24s %6d rows: all %d systems agree%n", q.name(), expected.size(),
                    targets.size());
        }
    }

    private static List<List<Object>> answer(QueryTarget t, TsbsQuery q, String sql) {
        try {
            return t.execute(sql, true).rows();
        } catch (Exception e) {
            throw new ResultMismatchException(q.name() + ": " + t.name() + " failed: " + e + "\n-- SQL:\n" + sql, e);
        }
    }

    private static String show(List<List<Object>> rows) {
        List<List<Object>> s = ResultRows.sorted(rows);
        String shown = s.stream().limit(SHOWN_ROWS).map(Object::toString).collect(Collectors.joining("\n"));
        return s.size() > SHOWN_ROWS ? shown + "\n… " + (s.size() - SHOWN_ROWS) + " more rows" : shown;
    }
}
