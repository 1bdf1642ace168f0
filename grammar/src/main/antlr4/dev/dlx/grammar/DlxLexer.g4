// The tokens of dlx. Newlines are tokens: they end statements. Comments go to the hidden
// channel so that the formatter can keep them.
lexer grammar DlxLexer;

IMPORT   : 'import' ;
DATASET  : 'dataset' ;
BLOCK    : 'block' ;
MODEL    : 'model' ;
TRAIN    : 'train' ;
EVALUATE : 'evaluate' ;
SEARCH   : 'search' ;
ON       : 'on' ;
LET      : 'let' ;
RETURN   : 'return' ;

// A name glued to an opening parenthesis is a call: `convbn(32)`, `add(a, b)`.
// `conv (f * 2) 3` (with a space) is a layer with a parenthesized argument instead.
CALL     : NAME_PART '(' ;

// 3x3, 7x7x7: a size per spatial axis.
SIZE     : DIGITS ('x' DIGITS)+ ;

// 42, 0.5, 1e-3, with an optional unit: 70% or 10deg.
NUMBER   : DIGITS ('.' DIGITS)? EXPONENT? UNIT? ;

STRING   : '"' (~["\\\r\n] | '\\' .)* '"' ;
// A string cut by the end of its line; reported, not guessed at.
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' .)* ;
IDENT    : NAME_PART ;

ARROW    : '->' ;
DOTDOT   : '..' ;
DOT      : '.' ;
COMMA    : ',' ;
SEMI     : ';' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
LBRACK   : '[' ;
RBRACK   : ']' ;
LBRACE   : '{' ;
RBRACE   : '}' ;
EQ       : '=' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;
QUESTION : '?' ;
COLON    : ':' ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
// Not a comment in dlx, but a common habit: reported with a fix and skipped as a whole.
HASH_COMMENT  : '#' ~[\r\n]* ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
NL            : '\r'? '\n' ;
WS            : [ \t\f]+ -> skip ;

// Anything else becomes one token so the parser can report it in place.
UNKNOWN_CHAR  : . ;

fragment NAME_PART : [a-zA-Z_] [a-zA-Z0-9_]* ;
fragment DIGITS    : [0-9]+ ;
fragment EXPONENT  : [eE] [+-]? DIGITS ;
fragment UNIT      : '%' | 'deg' ;
