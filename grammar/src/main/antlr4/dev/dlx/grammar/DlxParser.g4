// The structure of dlx. Rules only: no actions, every alternative labelled.
// The vocabulary (layer kinds, data steps, training rules and their attributes) lives in the
// compiler's registries, so this grammar is the whole language and stays small.
parser grammar DlxParser;

options { tokenVocab = DlxLexer; }

program
    : sep? (decl (sep decl)* sep?)? EOF
    ;

sep : (NL | SEMI)+ ;

decl
    : IMPORT STRING                                                # importDecl
    | DATASET IDENT directiveBlock                                 # datasetDecl
    | BLOCK blockHead graphBody                                    # blockDecl
    | MODEL CALL NL* inputDecl (COMMA NL* inputDecl)* NL* RPAREN
          (ARROW outputSpec)? graphBody                            # modelDecl
    | TRAIN IDENT ON IDENT directiveBlock                          # trainDecl
    | EVALUATE IDENT ON dottedName directiveBlock?                 # evaluateDecl
    | SEARCH directiveBlock                                        # searchDecl
    ;

blockHead
    : CALL (param (COMMA param)*)? RPAREN (LPAREN IDENT (COMMA IDENT)* RPAREN)?   # paramBlockHead
    | IDENT                                                                       # bareBlockHead
    ;

param : IDENT (EQ expr)? ;

inputDecl : IDENT shape ;

outputSpec : shape (COMMA shape)* ;

graphBody : LBRACE sep? (stmt (sep stmt)* sep?)? RBRACE ;

stmt
    : LET IDENT (COMMA IDENT)* EQ chain      # letStmt
    | RETURN chain (COMMA chain)*            # returnStmt
    | chain                                  # chainStmt
    ;

chain : element (NL* ARROW NL* element)* ;

element
    : CALL NL* callArgs? NL* RPAREN (LPAREN callArgs? RPAREN)? repeat?   # callElement
    | IDENT arg* repeat?                                                 # layerElement
    ;

repeat : STAR (NUMBER | IDENT | LPAREN expr RPAREN) ;

callArgs : callArg (COMMA NL* callArg)* ;

callArg : (IDENT EQ)? expr (DOTDOT expr)? ;

arg : value (DOTDOT value)? ;

value
    : MINUS? NUMBER                 # numberValue
    | NUMBER SLASH NUMBER           # ratioValue
    | SIZE                          # sizeValue
    | STRING                        # stringValue
    | dottedName                    # nameValue
    | shape                         # shapeValue
    | LPAREN expr RPAREN            # parenValue
    ;

expr
    : MINUS expr                           # negExpr
    | expr op=(STAR | SLASH) expr          # mulExpr
    | expr op=(PLUS | MINUS) expr          # addExpr
    | NUMBER                               # numberExpr
    | SIZE                                 # sizeExpr
    | STRING                               # stringExpr
    | dottedName                           # nameExpr
    | shape                                # shapeExpr
    | LPAREN expr RPAREN                   # parenExpr
    | CALL NL* callArgs? NL* RPAREN        # callExpr
    ;

shape : LBRACK (dim (COMMA dim)*)? RBRACK ;

dim
    : QUESTION                 # unknownDim
    | expr                     # exprDim
    ;

dottedName : IDENT (DOT IDENT)* ;

// Statements of datasets, training and evaluation: a word, its arguments, maybe a nested block.
// Commas between arguments only help the eye (`split train 70%, val 15%`).
directiveBlock : LBRACE sep? (directive (sep directive)* sep?)? RBRACE ;

directive : word (directiveArg | COMMA)* directiveBlock? ;

// An expression after the values (`loss mean(relu(x)) + 0.2`) and a named one (`metric gap =
// ...`): where a plain value also reads the text (`loss mse`, `scale 1/16`), it is a value.
directiveArg
    : keyword                           # keywordArg
    | value (DOTDOT value)?             # valueArg
    | expr                              # exprArg
    | IDENT EQ expr                     # bindingArg
    ;

word : IDENT | keyword ;

keyword : ON | TRAIN | EVALUATE | SEARCH | DATASET | MODEL | BLOCK | LET | RETURN | IMPORT ;
