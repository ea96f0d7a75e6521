/* SPDX-License-Identifier: MIT */
/* ABNF reader: RFC 5234 rulelist (with RFC 7405 %s/%i) -> AST.
 * A recursive-descent parser over the re2c lexer; errors are reported as
 * file:line:col and parsing resumes at the next rule. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* ---- diagnostics and memory ------------------------------------------- */

static int n_errors, n_warnings;

__attribute__((format(printf, 3, 0)))
static void vdiag(const char *kind, srcpos at, const char *fmt, va_list ap)
{
    if (at.file)
        fprintf(stderr, "%s:%d:%d: %s: ", at.file, at.line, at.col, kind);
    else
        fprintf(stderr, "authgram-gen: %s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void diag_error(srcpos at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag("error", at, fmt, ap);
    va_end(ap);
    n_errors++;
}

void diag_warning(srcpos at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag("warning", at, fmt, ap);
    va_end(ap);
    n_warnings++;
}

int diag_error_count(void) { return n_errors; }
int diag_warning_count(void) { return n_warnings; }

void *xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fputs("authgram-gen: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("authgram-gen: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

/* ---- AST helpers -------------------------------------------------------- */

node *node_new(node_kind k, srcpos at)
{
    node *n = xmalloc(sizeof *n);
    n->kind = k;
    n->at = at;
    n->rule = -1;
    return n;
}

void node_add(node *parent, node *kid)
{
    parent->kids = xrealloc(parent->kids, sizeof(node *) * (size_t)(parent->nkids + 1));
    parent->kids[parent->nkids++] = kid;
}

static char *lower_key(const char *s, size_t n)
{
    char *k = xstrndup(s, n);
    for (char *p = k; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return k;
}

rule *grammar_find(grammar *g, const char *name)
{
    char *k = lower_key(name, strlen(name));
    rule *r = NULL;
    for (int i = 0; i < g->nrules; i++)
        if (strcmp(g->rules[i]->key, k) == 0) {
            r = g->rules[i];
            break;
        }
    free(k);
    return r;
}

/* ---- parser ------------------------------------------------------------ */

typedef struct parser {
    grammar *g;
    lexer L;
    token t;
    int failed; /* an error in the current rule: skip to its end */
    char *cite;
} parser;

static void advance(parser *P)
{
    free(P->t.annotation);
    lex_next(&P->L, &P->t);
    if (P->t.kind == T_ERROR) {
        diag_error(P->t.at, "%s", P->t.errmsg);
        P->failed = 1;
    }
}

static void syntax(parser *P, const char *what)
{
    if (!P->failed) {
        const char *got;
        switch (P->t.kind) {
        case T_EOF: got = "end of file"; break;
        case T_EOL: got = "end of rule"; break;
        case T_RULENAME: got = "a rule name"; break;
        case T_DEFINE: got = "'='"; break;
        case T_INCDEF: got = "'=/'"; break;
        case T_SLASH: got = "'/'"; break;
        case T_LPAREN: got = "'('"; break;
        case T_RPAREN: got = "')'"; break;
        case T_LBRACK: got = "'['"; break;
        case T_RBRACK: got = "']'"; break;
        case T_REPEAT: got = "a repetition"; break;
        case T_CHARVAL: got = "a char-val"; break;
        case T_NUMVAL: got = "a num-val"; break;
        case T_PROSE: got = "a prose-val"; break;
        default: got = "an invalid token"; break;
        }
        diag_error(P->t.at, "expected %s, found %s", what, got);
    }
    P->failed = 1;
}

static node *alternation(parser *P);

static int starts_element(tok_kind k)
{
    return k == T_RULENAME || k == T_LPAREN || k == T_LBRACK || k == T_CHARVAL ||
           k == T_NUMVAL || k == T_PROSE || k == T_REPEAT;
}

static node *element(parser *P)
{
    token *t = &P->t;
    node *n = NULL;
    switch (t->kind) {
    case T_RULENAME:
        n = node_new(N_REF, t->at);
        n->name = xstrndup(t->text, t->len);
        advance(P);
        return n;
    case T_LPAREN:
    case T_LBRACK: {
        int opt = t->kind == T_LBRACK;
        srcpos at = t->at;
        advance(P);
        node *inner = alternation(P);
        if (P->failed)
            return inner;
        if (t->kind != (opt ? T_RBRACK : T_RPAREN)) {
            syntax(P, opt ? "']'" : "')'");
            return inner;
        }
        advance(P);
        if (!opt)
            return inner;
        n = node_new(N_REP, at);
        n->rmin = 0;
        n->rmax = 1;
        node_add(n, inner);
        return n;
    }
    case T_CHARVAL:
        n = node_new(N_STR, t->at);
        n->bytes = (unsigned char *)xstrndup(t->text, t->len);
        n->len = (int)t->len;
        n->case_sensitive = t->case_sensitive;
        advance(P);
        return n;
    case T_NUMVAL:
        if (t->is_range) {
            n = node_new(N_RANGE, t->at);
            n->lo = t->vals[0];
            n->hi = t->vals[1];
        } else if (t->nvals == 1) {
            n = node_new(N_RANGE, t->at);
            n->lo = n->hi = t->vals[0];
        } else {
            n = node_new(N_SEQ, t->at);
            n->bytes = xmalloc((size_t)t->nvals);
            for (int i = 0; i < t->nvals; i++)
                n->bytes[i] = (unsigned char)t->vals[i];
            n->len = t->nvals;
        }
        advance(P);
        return n;
    case T_PROSE:
        diag_error(t->at, "prose-val %.*s cannot be compiled: write the rule in ABNF "
                          "(RFC 5234 section 4 allows prose only as a last resort)",
                   (int)t->len, t->text);
        P->failed = 1;
        return NULL;
    default:
        syntax(P, "an element (rule name, group, option, char-val or num-val)");
        return NULL;
    }
}

static node *repetition(parser *P)
{
    if (P->t.kind == T_REPEAT) {
        node *n = node_new(N_REP, P->t.at);
        n->rmin = P->t.rmin;
        n->rmax = P->t.rmax;
        advance(P);
        if (P->failed)
            return n;
        node *e = element(P);
        if (e)
            node_add(n, e);
        return n;
    }
    return element(P);
}

static node *concatenation(parser *P)
{
    node *cat = node_new(N_CAT, P->t.at);
    while (!P->failed && starts_element(P->t.kind)) {
        node *e = repetition(P);
        if (e)
            node_add(cat, e);
    }
    if (!P->failed && cat->nkids == 0)
        syntax(P, "an element");
    if (cat->nkids == 1)
        return cat->kids[0];
    return cat;
}

static node *alternation(parser *P)
{
    node *alt = node_new(N_ALT, P->t.at);
    for (;;) {
        node *c = concatenation(P);
        if (c)
            node_add(alt, c);
        if (P->failed || P->t.kind != T_SLASH)
            break;
        advance(P);
    }
    if (alt->nkids == 1)
        return alt->kids[0];
    return alt;
}

static void skip_rule(parser *P)
{
    while (P->t.kind != T_EOL && P->t.kind != T_EOF) {
        P->failed = 1; /* stay quiet until the next rule */
        lex_next(&P->L, &P->t);
    }
}

static void define(parser *P, token name, int incremental, node *def)
{
    grammar *g = P->g;
    char *nm = xstrndup(name.text, name.len);
    rule *r = grammar_find(g, nm);
    if (r && !incremental) {
        diag_error(name.at, "rule '%s' is already defined at %s:%d:%d (use '=/' to add alternatives)",
                   nm, r->at.file, r->at.line, r->at.col);
        free(nm);
        return;
    }
    if (r) {
        /* RFC 5234 section 3.3: incremental alternatives */
        if (r->def->kind != N_ALT) {
            node *alt = node_new(N_ALT, r->def->at);
            node_add(alt, r->def);
            r->def = alt;
        }
        if (def->kind == N_ALT)
            for (int i = 0; i < def->nkids; i++)
                node_add(r->def, def->kids[i]);
        else
            node_add(r->def, def);
        free(nm);
        return;
    }
    if (incremental) {
        /* RFC 5234 section 3.3 adds alternatives to a rule already defined */
        diag_error(name.at, "'=/' adds alternatives to '%s', which is not defined before it", nm);
        free(nm);
        return;
    }
    r = xmalloc(sizeof *r);
    r->name = nm;
    r->key = lower_key(nm, strlen(nm));
    r->def = def;
    r->at = name.at;
    r->cite = P->cite ? xstrdup(P->cite) : NULL;
    r->id = -1;
    g->rules = xrealloc(g->rules, sizeof(rule *) * (size_t)(g->nrules + 1));
    g->rules[g->nrules++] = r;
}

int abnf_parse_buffer(grammar *g, const char *file, const char *buf, size_t len)
{
    parser P;
    memset(&P, 0, sizeof P);
    P.g = g;
    int errors0 = diag_error_count();
    lex_init(&P.L, file, buf, len);
    advance(&P);
    for (;;) {
        P.failed = 0;
        if (P.t.kind == T_EOF)
            break;
        if (P.t.kind == T_EOL) {
            advance(&P);
            continue;
        }
        if (P.L.pending_annotation) {
            free(P.cite);
            P.cite = P.L.pending_annotation;
            P.L.pending_annotation = NULL;
        }
        if (P.t.kind != T_RULENAME) {
            syntax(&P, "a rule name at the start of a line");
            skip_rule(&P);
            continue;
        }
        token name = P.t;
        name.annotation = NULL;
        if (name.at.col != 1)
            diag_warning(name.at, "rule '%.*s' does not start in column 1", (int)name.len, name.text);
        advance(&P);
        int inc = 0;
        if (P.t.kind == T_INCDEF)
            inc = 1;
        else if (P.t.kind != T_DEFINE) {
            syntax(&P, "'=' or '=/' after the rule name");
            skip_rule(&P);
            continue;
        }
        advance(&P);
        node *def = P.failed ? NULL : alternation(&P);
        if (!P.failed && P.t.kind != T_EOL && P.t.kind != T_EOF)
            syntax(&P, "'/', an element or the end of the rule");
        if (P.failed) {
            skip_rule(&P);
            continue;
        }
        define(&P, name, inc, def);
    }
    free(P.cite);
    free(P.L.pending_annotation);
    return diag_error_count() - errors0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap + 1);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

int abnf_parse_file(grammar *g, const char *path)
{
    size_t len;
    char *buf = read_file(path, &len);
    if (!buf) {
        srcpos none = {0, 0, 0};
        diag_error(none, "cannot read grammar file '%s'", path);
        return 1;
    }
    char *name = xstrdup(path);
    g->files = xrealloc(g->files, sizeof(char *) * (size_t)(g->nfiles + 1));
    g->files[g->nfiles++] = name;
    /* the buffer stays alive: tokens point into it */
    return abnf_parse_buffer(g, name, buf, len);
}

/* text starts at column col of line line of file: the lexer reads it behind
 * col - 1 blanks, so that diagnostics point into the file's own line. */
node *abnf_parse_expr(grammar *g, const char *file, int line, int col, const char *text)
{
    parser P;
    memset(&P, 0, sizeof P);
    P.g = g;
    size_t pad = col > 1 ? (size_t)(col - 1) : 0, len = strlen(text);
    char *copy = xmalloc(pad + len + 1);
    memset(copy, ' ', pad);
    memcpy(copy + pad, text, len + 1);
    lex_init(&P.L, file, copy, pad + len);
    P.L.line = line;
    advance(&P);
    node *n = P.failed ? NULL : alternation(&P);
    if (!P.failed && P.t.kind != T_EOF && P.t.kind != T_EOL)
        syntax(&P, "'/', an element or the end of the expression");
    return P.failed ? NULL : n;
}

/* ---- printing ----------------------------------------------------------- */

void print_node(FILE *out, node *n, int abnf)
{
    (void)abnf;
    switch (n->kind) {
    case N_ALT:
    case N_CAT:
        fputc('(', out);
        for (int i = 0; i < n->nkids; i++) {
            if (i)
                fputs(n->kind == N_ALT ? " / " : " ", out);
            print_node(out, n->kids[i], abnf);
        }
        fputc(')', out);
        break;
    case N_REP:
        if (n->rmin == 0 && n->rmax == 1) {
            fputc('[', out);
            print_node(out, n->kids[0], abnf);
            fputc(']', out);
            break;
        }
        if (n->rmin == n->rmax)
            fprintf(out, "%d", n->rmin);
        else {
            if (n->rmin)
                fprintf(out, "%d", n->rmin);
            fputc('*', out);
            if (n->rmax >= 0)
                fprintf(out, "%d", n->rmax);
        }
        print_node(out, n->kids[0], abnf);
        break;
    case N_REF:
        fputs(n->name, out);
        break;
    case N_STR:
        fprintf(out, "%s\"%.*s\"", n->case_sensitive ? "%s" : "", n->len, (const char *)n->bytes);
        break;
    case N_RANGE:
        if (n->lo == n->hi)
            fprintf(out, "%%x%02X", n->lo);
        else
            fprintf(out, "%%x%02X-%02X", n->lo, n->hi);
        break;
    case N_SEQ:
        fputs("%x", out);
        for (int i = 0; i < n->len; i++)
            fprintf(out, "%s%02X", i ? "." : "", n->bytes[i]);
        break;
    }
}

void dump_grammar(grammar *g, FILE *out)
{
    for (int i = 0; i < g->norder; i++) {
        rule *r = g->order[i];
        fprintf(out, "%s = ", r->name);
        print_node(out, r->def, 1);
        fprintf(out, "%s%s\n", r->cite ? "  ; " : "", r->cite ? r->cite : "");
    }
    for (int i = 0; i < g->nentries; i++) {
        fprintf(out, "entry %s = ", g->entries[i]->name);
        print_node(out, g->entries[i]->def, 1);
        fputc('\n', out);
    }
}

void c_ident(const char *name, char *out, size_t cap)
{
    size_t i = 0;
    for (; name[i] && i + 1 < cap; i++)
        out[i] = name[i] == '-' ? '_' : name[i];
    out[i] = 0;
}

void c_upper_ident(const char *name, char *out, size_t cap)
{
    size_t i = 0;
    for (; name[i] && i + 1 < cap; i++) {
        unsigned char c = (unsigned char)name[i];
        out[i] = isalnum(c) ? (char)toupper(c) : '_';
    }
    out[i] = 0;
}
