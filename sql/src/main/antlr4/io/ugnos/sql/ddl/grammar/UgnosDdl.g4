/*
 * The statements of ugnos that Calcite does not parse: series and retention management, deletes by
 * time, maintenance and introspection. Keywords are case-insensitive; a series is named by a bare
 * identifier or a double-quoted one ("cpu.usage_user"). docs/sql.md describes what each one does.
 */
grammar UgnosDdl;

options { caseInsensitive = true; }

statement : command SEMI? EOF ;

command
    : createSeries
    | dropSeries
    | alterSeries
    | alterDatabase
    | deleteFrom
    | compact
    | flush
    | showSeries
    | showRetention
    | showStats
    ;

createSeries  : CREATE SERIES (IF NOT EXISTS)? name (WITH LPAREN seriesOption (COMMA seriesOption)* RPAREN)? ;
seriesOption  : identifier EQ (STRING | NONE | DEFAULT) ;
dropSeries    : DROP SERIES (IF EXISTS)? name ;
alterSeries   : ALTER SERIES name SET RETENTION retention ;
alterDatabase : ALTER DATABASE SET RETENTION retention ;
retention     : STRING | NONE | DEFAULT ;
// the condition is any token sequence here, so that the executor can say which predicates DELETE supports
deleteFrom    : DELETE FROM name (WHERE condition)? ;
condition     : ~(SEMI | EOF)+ ;
compact       : COMPACT (SERIES name)? ;
flush         : FLUSH ;
showSeries    : SHOW SERIES ;
showRetention : SHOW RETENTION ;
showStats     : SHOW STATS ;

name          : identifier ;
identifier    : IDENT | QUOTED_IDENT | nonReserved ;
// words that are keywords only where the grammar expects them, so they still name series and options
nonReserved   : SERIES | DATABASE | RETENTION | STATS | COMPACT | FLUSH | SHOW | NONE | DEFAULT | TIMESTAMP ;

CREATE    : 'CREATE' ;
DROP      : 'DROP' ;
ALTER     : 'ALTER' ;
DELETE    : 'DELETE' ;
FROM      : 'FROM' ;
WHERE     : 'WHERE' ;
SERIES    : 'SERIES' ;
DATABASE  : 'DATABASE' ;
SET       : 'SET' ;
RETENTION : 'RETENTION' ;
NONE      : 'NONE' ;
DEFAULT   : 'DEFAULT' ;
IF        : 'IF' ;
NOT       : 'NOT' ;
EXISTS    : 'EXISTS' ;
WITH      : 'WITH' ;
COMPACT   : 'COMPACT' ;
FLUSH     : 'FLUSH' ;
SHOW      : 'SHOW' ;
STATS     : 'STATS' ;
TIMESTAMP : 'TIMESTAMP' ;

LPAREN : '(' ;
RPAREN : ')' ;
COMMA  : ',' ;
SEMI   : ';' ;
EQ     : '=' ;
LE     : '<=' ;
NE     : '<>' | '!=' ;
GE     : '>=' ;
LT     : '<' ;
GT     : '>' ;
MINUS  : '-' ;

STRING       : '\'' ( ~'\'' | '\'\'' )* '\'' ;
INTEGER      : [0-9]+ ;
DECIMAL      : [0-9]+ '.' [0-9]* | '.' [0-9]+ ;
IDENT        : [A-Z_] [A-Z0-9_]* ;
QUOTED_IDENT : '"' ( ~'"' | '""' )* '"' ;

LINE_COMMENT  : '--' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n]+ -> skip ;
// any other character becomes a token the parser rejects, so that it is reported with its position
UNEXPECTED    : . ;
