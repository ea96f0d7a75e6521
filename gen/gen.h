/* SPDX-License-Identifier: MIT */
/* authgram-gen: ABNF (RFC 5234 + RFC 7405) -> Ragel machines, rule tables,
 * AFL++ dictionary.  Shared declarations of the generator. */
#ifndef AUTHGRAM_GEN_H
#define AUTHGRAM_GEN_H

#include <stddef.h>
#include <stdio.h>

/* ---- source positions and diagnostics --------------------------------- */

typedef struct srcpos {
    const char *file;
    int line, col;
} srcpos;

/* Diagnostics are printed as "file:line:col: error|warning: message". */
void diag_error(srcpos at, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_warning(srcpos at, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int diag_error_count(void);
int diag_warning_count(void);

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* ---- lexer ------------------------------------------------------------- */

typedef enum tok_kind {
    T_EOF,
    T_EOL,       /* end of a rule: newline not followed by WSP */
    T_RULENAME,
    T_DEFINE,    /* "="  */
    T_INCDEF,    /* "=/" */
    T_SLASH,
    T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK,
    T_REPEAT,    /* n*m, n*, *m, *, n  (the number/star prefix) */
    T_CHARVAL,   /* "..." %s"..." %i"..." */
    T_NUMVAL,    /* %x.. %d.. %b.. */
    T_PROSE,     /* <...> */
    T_ERROR
} tok_kind;

typedef struct token {
    tok_kind kind;
    srcpos at;
    const char *text; /* start in the source buffer */
    size_t len;
    /* T_REPEAT */
    int rmin, rmax; /* rmax < 0: unbounded */
    /* T_CHARVAL */
    int case_sensitive;
    /* T_NUMVAL: either a range (lo..hi) or a sequence of values */
    int is_range;
    unsigned vals[256];
    int nvals;
    const char *errmsg; /* T_ERROR */
    char *annotation;   /* a ";@ ..." comment seen before this token */
} token;

typedef struct lexer {
    const char *file;
    const char *buf, *cur, *end, *mar, *lim;
    int line;
    const char *line_start;
    char *pending_annotation;
} lexer;

void lex_init(lexer *L, const char *file, const char *buf, size_t len);
void lex_next(lexer *L, token *t);

/* ---- grammar AST ------------------------------------------------------- */

typedef enum node_kind {
    N_ALT, N_CAT, N_REP, N_REF, N_STR, N_RANGE, N_SEQ
} node_kind;

typedef struct node node;
struct node {
    node_kind kind;
    srcpos at;
    node **kids;
    int nkids;
    int rmin, rmax;           /* N_REP; rmax < 0 unbounded */
    char *name;               /* N_REF as written */
    int rule;                 /* N_REF: resolved rule index */
    unsigned char *bytes;     /* N_STR / N_SEQ */
    int len;
    int case_sensitive;       /* N_STR */
    unsigned lo, hi;          /* N_RANGE */
    /* from the tags file, capture variant only */
    char *embed;              /* Ragel embeddings, e.g. ">a %b" */
    int fallback;             /* this ALT branch matches only what the others do not */
};

typedef struct rule {
    char *name;   /* as first written */
    char *key;    /* lower-case, for lookup (rule names are case-insensitive) */
    node *def;
    srcpos at;
    char *cite;   /* the ";@" annotation in force where the rule was defined */
    int id;       /* 1-based, in emission (dependency) order */
    int reachable;
    int is_entry;
    int visiting, done; /* for the dependency sort */
    char *embed;  /* embeddings on the whole rule */
    int lib;      /* from a 'library' file: no warning when unreachable */
    int atomic;   /* tags 'atomic': diagnostics name this rule, not its parts */
    int nodiag;   /* tags 'nodiag': diagnostics never name this rule */
    int single;   /* the rule matches single bytes only (computed) */
    int nullable; /* the rule matches the empty string (computed) */
    int fallback_branch; /* tags 'fallback': some alternation's fallback branch */
    int defer;    /* tags 'defer': compiled as its alphabet's closure in the entries */
    int defer_entry; /* defer: the entry that is exactly this rule (its check) */
    int reach_defer; /* some deferred rule is below it (computed, defer.c) */
} rule;

typedef struct entry {
    char *name;   /* entry point name */
    node *def;    /* ABNF expression */
    srcpos at;
    /* tags 'compose OUTER INNER': both are one machine, OUTER's, and INNER
     * starts at a label inside it (gen/emit.c, emit_composed) */
    struct entry *inner, *outer;
    srcpos compose_at; /* the 'compose' line */
} entry;

/* The typed views a field fills (tags 'field' slots): a parse result's
 * ag_challenge and ag_credentials. */
enum { VIEW_CHALLENGE, VIEW_CREDENTIALS, NVIEWS };

typedef struct field {
    char *rule;   /* rule name */
    char *kind;   /* C constant, e.g. AG_PARAM_REALM */
    int kind_value; /* its value in the public enum (CONSTANT=N), -1 if not given */
    srcpos at;
    /* per view: the ag_span member the first occurrence's value goes to,
     * and the enum member its value is typed into (by the literals of
     * lit_rule, else the literals' PREFIX OTHER); NULL when none */
    char *span[NVIEWS], *enumm[NVIEWS];
    char *lit_rule;
} field;

/* tags 'header RULE CONSTANT=N [answer=RULE]': a header field whose name is
 * the rule's leading char-val, and the header that answers it */
typedef struct header {
    char *rule;
    char *constant;
    int value;
    char *answer; /* answer=RULE: the header that answers this one, or NULL */
    srcpos at;
} header;

typedef struct literals {
    char *rule;
    char *prefix; /* C constant prefix, e.g. AG_ALGORITHM_ */
    srcpos at;
    /* when given, only these literals are typed (the ones the C enum has
     * constants for): any other the grammar has is PREFIX OTHER */
    char **known;
    int nknown;
} literals;

typedef struct grammar {
    char *profile;       /* from the tags file; names generated symbols */
    rule **rules;
    int nrules;
    entry **entries;
    int nentries;
    field **fields;
    int nfields;
    literals **lits;
    int nlits;
    header **headers;
    int nheaders;
    rule **order;        /* dependency order */
    int norder;
    char **files;        /* every file read (for the depfile) */
    int nfiles;
    signed char *captures; /* per rule index: -1 unknown, 0 no, 1 yes (rule_captures) */
} grammar;

/* abnf.c */
int abnf_parse_buffer(grammar *g, const char *file, const char *buf, size_t len);
int abnf_parse_file(grammar *g, const char *path);
node *abnf_parse_expr(grammar *g, const char *file, int line, int col, const char *text);
rule *grammar_find(grammar *g, const char *name);
node *node_new(node_kind k, srcpos at);
void node_add(node *parent, node *kid);

/* tags.c */
int tags_parse_file(grammar *g, const char *path);

/* check.c: resolve references, detect recursion, order by dependency,
 * reachability from the entries.  Returns the number of errors. */
int grammar_check(grammar *g);
void node_byteset(grammar *g, const node *n, unsigned char set[32]);
/* A rule's leading char-val (a parameter's or a header's name), or NULL. */
node *leading_literal(grammar *g, const rule *r);
/* The bytes a match of n may begin with; memo (or NULL) keeps each rule's
 * set once computed (set and done indexed by rule, done zeroed). */
typedef struct first_memo {
    unsigned char (*set)[32];
    char *done;
} first_memo;
void node_first(grammar *g, const node *n, unsigned char set[32], first_memo *memo);
/* The same for the bytes a match may end with, or hold anywhere. */
enum { BYTES_FIRST, BYTES_LAST, BYTES_ALL };
void node_bytes(grammar *g, const node *n, unsigned char set[32], first_memo *memo, int which);
/* How a field's value is written (the bytes it may begin with after its
 * '=', whitespace aside): FORM_*, -1 if the rule has no '=' then a value. */
enum { FORM_TOKEN, FORM_QUOTED, FORM_EITHER };
int field_form(grammar *g, const rule *r);
/* Does n match the empty string?  (rule->nullable must be computed for the
 * rules it refers to: grammar_check does it.) */
int node_nullable(grammar *g, const node *n);
/* Does n, or rule idx, hold a capture (an embedding, or a fallback branch,
 * which the capture variant subtracts from), itself or in a rule it names?
 * Memoized in the grammar: every embedding and fallback is set while the
 * tags are read (tags_parse_file), before any of this is asked. */
int node_captures(grammar *g, const node *n);
int rule_captures(grammar *g, int idx);

/* The char-val alternatives of a rule's definition n (emit.c), and
 * whether a 'literals' line types literal n. */
void collect_literals(node *n, node ***out, int *nout);
int lit_known(const literals *l, const node *n);

/* defer.c: the rules of tags 'defer' (gen/defer.c says why they are
 * sound); 0 or the number of errors.  Sets rule->reach_defer, defer_entry. */
int defer_check(grammar *g);
/* Does any rule have a 'defer' line? */
int grammar_defers(const grammar *g);
/* Is a deferred rule below n? */
int node_reaches_defer(grammar *g, const node *n);

/* kinds.c: "authgram-gen kinds OUT.h TAGS...": the public enums of the
 * parameter kinds and of the headers, from every profile's tags. */
int kinds_command(int argc, char **argv, int (*load)(grammar *, int, char **));

/* emit_*.c */
int emit_ragel(grammar *g, FILE *out, const char *variant);
/* The recognizers of part PART (0 .. recognizer_parts - 1) of the entries:
 * the .rl of one C file (gen/emit.c, part_of). */
int recognizer_parts(grammar *g);
int emit_recognizers(grammar *g, FILE *out, const char *rules_base, const char *variant, int part);
int emit_header(grammar *g, FILE *out);
int emit_tables(grammar *g, FILE *out, const char *header_name);
int emit_dict(grammar *g, FILE *out);
int emit_re2c(grammar *g, FILE *out); /* emit_re2c.c: the re2c twin */
void dump_grammar(grammar *g, FILE *out);
void print_node(FILE *out, node *n, int abnf_syntax);

/* helpers shared by the emitters */
void c_ident(const char *name, char *out, size_t cap);   /* "qop-options" -> "qop_options" */
void c_upper_ident(const char *name, char *out, size_t cap); /* "MD5-sess" -> "MD5_SESS" */
/* A repetition's suffix: * + ? {n} {n,} {n,m}; {,m} only in Ragel syntax
 * (re2c wants {0,m}). */
void print_repeat(FILE *out, int rmin, int rmax, int ragel);

/* sample.c: "authgram-gen sample" with argv the words after "sample";
 * load reads and checks the grammar files it is given (main.c).  Returns
 * the exit status. */
int sample_command(grammar *g, int argc, char **argv, int (*load)(grammar *, int, char **));

#endif
