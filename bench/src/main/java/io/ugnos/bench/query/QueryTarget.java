package io.ugnos.bench.query;

import io.ugnos.bench.tsbs.TsbsDevopsGenerator;
import java.nio.file.Path;

/** One system under test: loads the data once, then plans and runs SQL text. */
public interface QueryTarget extends AutoCloseable {
    /** Name in the report, e.g. {@code DuckDB (wide)}. */
    String name();

    /** How this system writes the TSBS queries. */
    QueryDialect dialect();

    /** Loads all of {@code data} into a new store under {@code dir} (an empty directory), ready to query. */
    LoadFigures load(TsbsDevopsGenerator data, Path dir) throws Exception;

    /**
     * Plans and runs {@code sql}, reading every row.
     *
     * @param keepRows whether to return the rows (for the cross-check) or only count them (timing)
     */
    Execution execute(String sql, boolean keepRows) throws Exception;

    /** Closes the store; the files stay in place (the caller deletes the directory). */
    @Override
    void close() throws Exception;
}
