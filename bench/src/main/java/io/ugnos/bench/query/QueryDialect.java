package io.ugnos.bench.query;

/** How one system writes the TSBS queries in its SQL. */
public interface QueryDialect {
    /** The SQL text of {@code q}; its columns are those {@link TsbsQuery.Kind} lists, in that order. */
    String sql(TsbsQuery q);
}
