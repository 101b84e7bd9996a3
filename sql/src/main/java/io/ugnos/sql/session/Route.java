package io.ugnos.sql.session;

import io.ugnos.sql.ddl.DdlParser;

/** Where a SQL string goes: the DDL grammar, the INSERT fast path, or Calcite. */
enum Route {
    DDL, INSERT, CALCITE;

    static Route of(String sql) {
        String first = DdlParser.firstWord(sql);
        if (first.equals("INSERT")) {
            return INSERT;
        }
        return DdlParser.handles(sql) ? DDL : CALCITE;
    }
}
