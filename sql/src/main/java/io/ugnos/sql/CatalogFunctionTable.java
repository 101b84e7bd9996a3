package io.ugnos.sql;

import org.apache.calcite.prepare.Prepare;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.validate.SqlNameMatcher;

import java.util.List;
import java.util.Set;

/**
 * The functions of a statement's catalog (the schema's user-defined functions), as the validator
 * looks them up, remembering per connection the names that have none.
 *
 * <p>Why: the validator asks the catalog about every identifier of a statement ({@code ts},
 * {@code hostname}: is it a function without parentheses, like {@code CURRENT_DATE}?) and about
 * every function call, and each question walks the schema path: 3% of planning a new statement.
 * Almost every answer is "none", and it stays so: a connection's functions are registered when it
 * opens. Names that do have functions are looked up every time, so what the validator gets for
 * them is exactly what the catalog gives.
 */
final class CatalogFunctionTable implements SqlOperatorTable {
    /** Past this many names the set is cleared rather than grown. */
    private static final int MAX_NAMES = 10_000;

    private final Prepare.CatalogReader catalog;
    private final Set<List<Object>> withoutFunctions;

    /**
     * @param catalog          the statement's catalog reader
     * @param withoutFunctions the connection's names known to have no function (shared, concurrent)
     */
    CatalogFunctionTable(Prepare.CatalogReader catalog, Set<List<Object>> withoutFunctions) {
        this.catalog = catalog;
        this.withoutFunctions = withoutFunctions;
    }

    @Override
    public void lookupOperatorOverloads(SqlIdentifier opName, SqlFunctionCategory category, SqlSyntax syntax,
                                        List<SqlOperator> operatorList, SqlNameMatcher nameMatcher) {
        if (syntax != SqlSyntax.FUNCTION) {
            return; // the catalog has functions only
        }
        List<Object> key = List.of(opName.names, String.valueOf(category), nameMatcher.isCaseSensitive(), catalog.getSchemaPaths());
        if (withoutFunctions.contains(key)) {
            return;
        }
        int before = operatorList.size();
        catalog.lookupOperatorOverloads(opName, category, syntax, operatorList, nameMatcher);
        if (operatorList.size() == before) {
            if (withoutFunctions.size() >= MAX_NAMES) {
                withoutFunctions.clear();
            }
            withoutFunctions.add(key);
        }
    }

    @Override
    public List<SqlOperator> getOperatorList() {
        return catalog.getOperatorList();
    }
}
