/* SPDX-License-Identifier: MIT */
/* The tags sidecar: everything the generator needs besides the ABNF text,
 * kept out of the grammar so the RFC rules stay as written.
 *
 *   profile NAME                 names the generated symbols (ag_NAME_...)
 *   grammar FILE...              ABNF files, relative to the tags file
 *   library FILE...              ABNF files whose rules need not all be used
 *                                (RFC rule sets kept whole, e.g. RFC 5234 B.1)
 *   entry NAME = ABNF            an entry point (an ABNF expression)
 *   compose OUTER INNER          INNER (one rule name) is compiled inside
 *                                OUTER's machine, starting at a label there,
 *                                not as a second copy: OUTER must be
 *                                ( R1 / R2 ... ) REST, each Ri a nodiag rule
 *                                PREFIX INNER TRAIL with one TRAIL for all;
 *                                TRAIL REST is only taken when running OUTER
 *                                (a header line: name, value, CRLF)
 *   fallback RULE BRANCH         in RULE's alternation, the branch that is a
 *                                reference to BRANCH matches only what no
 *                                other branch matches (Ragel subtraction)
 *   atomic RULE...               diagnostics report RULE as a whole, not the
 *                                rules inside it (keeps the diagnostic
 *                                machine small where RULE is large)
 *   nodiag RULE...               diagnostics never name RULE (a wrapper whose
 *                                name adds nothing to its parts')
 *   defer RULE...                in the machines of the entries (not in the
 *                                fields' own, nor in an entry that is RULE),
 *                                RULE is compiled as the closure of the bytes
 *                                it may contain, and the parser confirms each
 *                                such span with the machine of the entry that
 *                                is exactly RULE (one is required).  Sound
 *                                when no byte RULE may contain can precede or
 *                                follow it (checked, gen/defer.c) and a
 *                                fallback branch takes what RULE's closure
 *                                adds (tested: tests/defer_equiv.cmake).  A
 *                                large rule inside small contexts (a URI in
 *                                a quoted parameter) is then compiled once,
 *                                not once per context
 *   field RULE CONSTANT[=N] SLOT...
 *                                RULE is a dedicated parameter production, of
 *                                kind CONSTANT (=N: its value in the public
 *                                enum 'authgram-gen kinds' writes), committed
 *                                (capture variant)
 *                                by the leaving action ag_field_RULE where a
 *                                fallback alternation names it: the parser
 *                                defines AG_FIELD_COMMIT(CONSTANT); each SLOT
 *                                says where its first
 *                                occurrence goes in a typed view (VIEW is
 *                                challenge or credentials): VIEW.MEMBER, an
 *                                ag_span member, takes the value's span;
 *                                VIEW.MEMBER=LITS, an enum member, takes the
 *                                value typed by the 'literals' of rule LITS
 *                                (a value not among them: PREFIX OTHER)
 *   header RULE CONSTANT=N [answer=RULE2]
 *                                a header field whose name is RULE's leading
 *                                char-val: recorded by the leaving action
 *                                ag_header_RULE on it (the parser defines
 *                                AG_HEADER_COMMIT(CONSTANT)), named in the
 *                                grammar's header table, and a constant of
 *                                the public enum ag_header; answer=: the
 *                                header (another 'header' line) that answers
 *                                it (ag_header_answer)
 *   literals RULE PREFIX [LIT...] emit RULE's char-val alternatives as a table
 *                                (of a rule "name" ... ( "a" / "b" ): a, b) of
 *                                PREFIX constants; with LITs, only those are
 *                                typed, any other literal is PREFIX OTHER (a
 *                                grammar may grow literals the enum lacks)
 *   capture PATH EMBEDDING...    Ragel action embeddings (capture variant)
 *
 * PATH is RULE (the whole rule), RULE/CHILD (each reference to rule CHILD in
 * RULE's own definition), RULE/"lit" (each char-val "lit" there), RULE/|
 * (each alternation there, e.g. the ( "true" / "false" ) of stale: the value
 * whatever literals the grammar gives it), and any of them with #N to pick
 * the N-th occurrence. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"

typedef struct tline {
    char *text;
    srcpos at;
} tline;

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup("");
    return xstrndup(path, (size_t)(slash - path + 1));
}

static char *next_word(char **s)
{
    char *p = *s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p)
        return NULL;
    char *w = p;
    while (*p && *p != ' ' && *p != '\t') {
        if (*p == '"') { /* a quoted literal may hold spaces */
            p++;
            while (*p && *p != '"')
                p++;
            if (*p)
                p++;
        } else {
            p++;
        }
    }
    if (*p)
        *p++ = 0;
    *s = p;
    return w;
}

static int valid_embedding(const char *e)
{
    static const char *ops[] = {"<>!", ">!", "<!", "$!", "%!", "@!", ">", "%", "@", "$", NULL};
    for (int i = 0; ops[i]; i++) {
        size_t n = strlen(ops[i]);
        if (strncmp(e, ops[i], n) == 0) {
            const char *a = e + n;
            if (!(isalpha((unsigned char)*a) || *a == '_'))
                return 0;
            for (; *a; a++)
                if (!(isalnum((unsigned char)*a) || *a == '_'))
                    return 0;
            return 1;
        }
    }
    return 0;
}

static void append_embed(char **dst, const char *e)
{
    size_t old = *dst ? strlen(*dst) : 0;
    *dst = xrealloc(*dst, old + strlen(e) + 2);
    if (old)
        (*dst)[old++] = ' ';
    strcpy(*dst + old, e);
}

/* Collect the nodes inside n (not descending into other rules) that match
 * the child selector, in pre-order. */
static void collect(node *n, const char *ref_key, const char *lit, node ***out, int *nout)
{
    int match = 0;
    if (!ref_key && !lit) {
        match = n->kind == N_ALT;
    } else if (ref_key && n->kind == N_REF) {
        char *k = xstrdup(n->name);
        for (char *p = k; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        match = strcmp(k, ref_key) == 0;
        free(k);
    } else if (lit && n->kind == N_STR) {
        match = (size_t)n->len == strlen(lit) && memcmp(n->bytes, lit, (size_t)n->len) == 0;
    }
    if (match) {
        *out = xrealloc(*out, sizeof(node *) * (size_t)(*nout + 1));
        (*out)[(*nout)++] = n;
    }
    for (int i = 0; i < n->nkids; i++)
        collect(n->kids[i], ref_key, lit, out, nout);
}

static void do_capture(grammar *g, srcpos at, char *path, char *rest)
{
    char *child = strchr(path, '/');
    if (child)
        *child++ = 0;
    rule *r = grammar_find(g, path);
    if (!r) {
        diag_error(at, "capture: no rule '%s'", path);
        return;
    }
    char *embeds = NULL;
    char *w;
    while ((w = next_word(&rest)) != NULL) {
        if (!valid_embedding(w)) {
            diag_error(at, "capture: '%s' is not a Ragel action embedding (>a, %%a, @a, $a, <>!a ...)", w);
            free(embeds);
            return;
        }
        append_embed(&embeds, w);
    }
    if (!embeds) {
        diag_error(at, "capture: no embedding given for '%s'", path);
        return;
    }
    if (!child) {
        char *e = embeds;
        append_embed(&r->embed, e);
        free(e);
        return;
    }
    int pick = 0;
    char *hash = strrchr(child, '#');
    if (hash && (child[0] != '"' || hash > strrchr(child, '"'))) {
        *hash = 0;
        pick = atoi(hash + 1);
        if (pick <= 0) {
            diag_error(at, "capture: occurrence '#%s' must be a positive number", hash + 1);
            free(embeds);
            return;
        }
    }
    char *lit = NULL, *key = NULL;
    if (strcmp(child, "|") == 0) {
        /* neither: every alternation */
    } else if (child[0] == '"') {
        size_t n = strlen(child);
        if (n < 2 || child[n - 1] != '"') {
            diag_error(at, "capture: unterminated literal %s", child);
            free(embeds);
            return;
        }
        lit = xstrndup(child + 1, n - 2);
    } else {
        key = xstrdup(child);
        for (char *p = key; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    }
    node **found = NULL;
    int nfound = 0;
    collect(r->def, key, lit, &found, &nfound);
    if (nfound == 0)
        diag_error(at, "capture: rule '%s' has no %s '%s' in its definition", r->name,
                   lit ? "literal" : key ? "reference to" : "alternation", lit ? lit : child);
    else if (pick > nfound)
        diag_error(at, "capture: rule '%s' has only %d occurrence(s) of '%s'", r->name, nfound, child);
    else
        for (int i = 0; i < nfound; i++)
            if (!pick || i + 1 == pick)
                append_embed(&found[i]->embed, embeds);
    free(found);
    free(lit);
    free(key);
    free(embeds);
}

/* A field's slots: VIEW.MEMBER (an ag_span member: the first occurrence's
 * value) or VIEW.MEMBER=RULE (an enum member: the value typed by RULE's
 * literals), VIEW being challenge or credentials. */
static void field_slots(field *fd, srcpos at, char *rest)
{
    static const char *const views[NVIEWS] = {"challenge", "credentials"};
    char *w;
    while ((w = next_word(&rest)) != NULL) {
        char *dot = strchr(w, '.'), *eq = strchr(w, '=');
        int v = -1;
        for (int k = 0; dot && k < NVIEWS; k++)
            if ((size_t)(dot - w) == strlen(views[k]) && !strncmp(w, views[k], (size_t)(dot - w)))
                v = k;
        if (eq)
            *eq++ = 0;
        int ok = v >= 0 && dot[1] && (!eq || *eq);
        for (const char *c = ok ? dot + 1 : ""; *c; c++)
            ok &= isalnum((unsigned char)*c) || *c == '_';
        if (!ok) {
            diag_error(at, "field: '%s' is not VIEW.MEMBER or VIEW.MEMBER=LITERALS-RULE (VIEW: challenge, "
                           "credentials; MEMBER: a C member name)", w);
            continue;
        }
        char **slot = eq ? &fd->enumm[v] : &fd->span[v];
        if (*slot) {
            diag_error(at, "field: a second %s member in %s", eq ? "enum" : "span", views[v]);
            continue;
        }
        *slot = xstrdup(dot + 1);
        if (eq) {
            if (fd->lit_rule && strcmp(fd->lit_rule, eq) != 0)
                diag_error(at, "field: one literals rule types every view (%s, not %s)", fd->lit_rule, eq);
            else if (!fd->lit_rule)
                fd->lit_rule = xstrdup(eq);
        }
    }
}

static void do_fallback(grammar *g, srcpos at, const char *rname, const char *branch)
{
    rule *r = grammar_find(g, rname);
    if (!r) {
        diag_error(at, "fallback: no rule '%s'", rname);
        return;
    }
    if (r->def->kind != N_ALT) {
        diag_error(at, "fallback: rule '%s' is not an alternation", rname);
        return;
    }
    rule *b = grammar_find(g, branch);
    for (int i = 0; b && i < r->def->nkids; i++) {
        node *k = r->def->kids[i];
        if (k->kind == N_REF && grammar_find(g, k->name) == b) {
            k->fallback = 1;
            b->fallback_branch = 1;
            return;
        }
    }
    diag_error(at, "fallback: rule '%s' has no alternative that is a reference to '%s'", rname, branch);
}

/* CONSTANT=N: splits c at '=' and returns N (1 to 63), or -1 (with an
 * error when '=' is there but N is not such a number). */
static int constant_value(srcpos at, char *c)
{
    char *eqv = strchr(c, '=');
    if (!eqv)
        return -1;
    *eqv++ = 0;
    char *end;
    long v = strtol(eqv, &end, 10);
    if (!*eqv || *end || v < 1 || v > 63) {
        diag_error(at, "'%s' is not a constant's value from 1 to 63", eqv);
        return -1;
    }
    return (int)v;
}

/* A header is recorded by the leaving action ag_header_<rule> on its name
 * (the parser's AG_HEADER_COMMIT(CONSTANT)). */
static void commit_headers(grammar *g)
{
    for (int i = 0; i < g->nheaders; i++) {
        rule *r = grammar_find(g, g->headers[i]->rule);
        node *name = leading_literal(g, r);
        if (!name) {
            diag_error(g->headers[i]->at, "header: rule '%s' does not start with the header's name as a char-val",
                       r->name);
            continue;
        }
        char id[256], e[300];
        c_ident(r->name, id, sizeof id);
        snprintf(e, sizeof e, "%%ag_header_%s", id);
        append_embed(&name->embed, e);
        /* the answer is another header's rule */
        const char *a = g->headers[i]->answer;
        int found = 0;
        for (int k = 0; a && k < g->nheaders; k++)
            found |= k != i && grammar_find(g, a) && grammar_find(g, a) == grammar_find(g, g->headers[k]->rule);
        if (a && !found)
            diag_error(g->headers[i]->at, "header: answer '%s' is not another header (no other 'header' line names it)",
                       a);
    }
}

/* A field is committed where a fallback alternation names it: the leaving
 * action ag_field_<rule> (gen/emit.c defines it as the parser's macro
 * AG_FIELD_COMMIT(CONSTANT)), so that no parser writes an action per
 * parameter. */
static void commit_fields(grammar *g)
{
    for (int i = 0; i < g->nrules; i++) {
        node *d = g->rules[i]->def;
        int owner = 0;
        for (int k = 0; d && d->kind == N_ALT && k < d->nkids; k++)
            owner |= d->kids[k]->fallback;
        for (int k = 0; owner && k < d->nkids; k++) {
            node *kid = d->kids[k];
            if (kid->kind != N_REF)
                continue;
            for (int f = 0; f < g->nfields; f++) {
                if (grammar_find(g, g->fields[f]->rule) != grammar_find(g, kid->name))
                    continue;
                char id[256], e[300];
                c_ident(g->fields[f]->rule, id, sizeof id);
                snprintf(e, sizeof e, "%%ag_field_%s", id);
                append_embed(&kid->embed, e);
            }
        }
    }
}

int tags_parse_file(grammar *g, const char *path)
{
    FILE *f = fopen(path, "r");
    srcpos none = {0, 0, 0};
    if (!f) {
        diag_error(none, "cannot read tags file '%s'", path);
        return 1;
    }
    char *fname = xstrdup(path);
    g->files = xrealloc(g->files, sizeof(char *) * (size_t)(g->nfiles + 1));
    g->files[g->nfiles++] = fname;
    char *dir = dir_of(path);
    tline *lines = NULL;
    int nlines = 0;
    char buf[4096];
    int lineno = 0;
    int errors0 = diag_error_count();
    while (fgets(buf, sizeof buf, f)) {
        lineno++;
        size_t n = strlen(buf);
        if (n == sizeof buf - 1 && buf[n - 1] != '\n' && !feof(f)) {
            /* never read the rest as a line of its own */
            diag_error((srcpos){fname, lineno, 1}, "line longer than %d bytes", (int)sizeof buf - 2);
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n')
                ;
            continue;
        }
        while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            buf[--n] = 0;
        char *p = buf;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            continue;
        lines = xrealloc(lines, sizeof(tline) * (size_t)(nlines + 1));
        lines[nlines].text = xstrdup(p);
        lines[nlines].at.file = fname;
        lines[nlines].at.line = lineno;
        lines[nlines].at.col = (int)(p - buf) + 1;
        nlines++;
    }
    fclose(f);

    /* pass 1: the grammar files, so that every rule exists */
    for (int i = 0; i < nlines; i++) {
        char *s = xstrdup(lines[i].text);
        char *rest = s;
        char *kw = next_word(&rest);
        if (strcmp(kw, "grammar") == 0 || strcmp(kw, "library") == 0) {
            char *w;
            int any = 0;
            while ((w = next_word(&rest)) != NULL) {
                char *full = xmalloc(strlen(dir) + strlen(w) + 1);
                strcpy(full, dir);
                strcat(full, w);
                int first = g->nrules;
                FILE *probe = fopen(full, "rb");
                if (!probe) {
                    /* reported here, where the file is named */
                    diag_error(lines[i].at, "%s: cannot read '%s': %s", kw, full, strerror(errno));
                    free(full);
                    any = 1;
                    continue;
                }
                fclose(probe);
                abnf_parse_file(g, full);
                for (int k = first; k < g->nrules; k++)
                    g->rules[k]->lib = kw[0] == 'l';
                any = 1;
            }
            if (!any)
                diag_error(lines[i].at, "%s: no file named", kw);
        } else if (strcmp(kw, "profile") == 0) {
            char *w = next_word(&rest);
            if (!w || next_word(&rest)) {
                diag_error(lines[i].at, "profile takes exactly one name");
            } else {
                for (char *c = w; *c; c++)
                    if (!(isalnum((unsigned char)*c) || *c == '_')) {
                        diag_error(lines[i].at, "profile name '%s' must be a C identifier", w);
                        break; /* once per name, not once per bad character */
                    }
                g->profile = xstrdup(w);
            }
        }
        free(s);
    }
    if (!g->profile)
        diag_error((srcpos){fname, 1, 1}, "no 'profile' line");

    /* pass 2: everything that refers to rules */
    for (int i = 0; i < nlines; i++) {
        char *s = xstrdup(lines[i].text);
        char *rest = s;
        srcpos at = lines[i].at;
        char *kw = next_word(&rest);
        if (strcmp(kw, "grammar") == 0 || strcmp(kw, "library") == 0 ||
            strcmp(kw, "profile") == 0) {
            /* done in pass 1 */
        } else if (strcmp(kw, "entry") == 0) {
            char *name = next_word(&rest);
            char *eq = next_word(&rest);
            int bad_name = 0, clash = 0;
            if (name) {
                /* NAME becomes AG_<PROFILE>_ENTRY_<NAME>: letters, digits and
                 * '-', a letter first, and no two names that give one C name */
                bad_name = !isalpha((unsigned char)name[0]);
                for (const char *c = name; *c; c++)
                    bad_name |= !(isalnum((unsigned char)*c) || *c == '-');
                char up[256], other[256];
                c_upper_ident(name, up, sizeof up);
                for (int k = 0; k < g->nentries && !clash; k++) {
                    c_upper_ident(g->entries[k]->name, other, sizeof other);
                    clash = strcmp(up, other) == 0;
                }
            }
            if (!name || !eq || strcmp(eq, "=") != 0 || !*rest) {
                diag_error(at, "entry: expected 'entry NAME = ABNF-EXPRESSION'");
            } else if (bad_name) {
                diag_error(at, "entry: name '%s' must be letters, digits and '-', a letter first", name);
            } else if (clash) {
                diag_error(at, "entry: name '%s' is already an entry (names are case-insensitive)", name);
            } else {
                node *def = abnf_parse_expr(g, fname, at.line, at.col + (int)(rest - s), rest);
                if (def) {
                    entry *e = xmalloc(sizeof *e);
                    e->name = xstrdup(name);
                    e->def = def;
                    e->at = at;
                    g->entries = xrealloc(g->entries, sizeof(entry *) * (size_t)(g->nentries + 1));
                    g->entries[g->nentries++] = e;
                }
            }
        } else if (strcmp(kw, "atomic") == 0 || strcmp(kw, "nodiag") == 0 || strcmp(kw, "defer") == 0) {
            char *w;
            while ((w = next_word(&rest)) != NULL) {
                rule *r = grammar_find(g, w);
                if (!r)
                    diag_error(at, "%s: no rule '%s'", kw, w);
                else if (kw[0] == 'a')
                    r->atomic = 1;
                else if (kw[0] == 'd')
                    r->defer = 1;
                else
                    r->nodiag = 1;
            }
        } else if (strcmp(kw, "compose") == 0) {
            char *o = next_word(&rest), *n = next_word(&rest);
            entry *eo = NULL, *en = NULL;
            for (int k = 0; k < g->nentries; k++) {
                if (o && strcmp(g->entries[k]->name, o) == 0)
                    eo = g->entries[k];
                if (n && strcmp(g->entries[k]->name, n) == 0)
                    en = g->entries[k];
            }
            if (!o || !n || next_word(&rest))
                diag_error(at, "compose: expected 'compose OUTER-ENTRY INNER-ENTRY'");
            else if (!eo || !en)
                diag_error(at, "compose: no entry '%s' (entries are declared before)", eo ? n : o);
            else if (eo == en || eo->inner || eo->outer || en->inner || en->outer)
                diag_error(at, "compose: each entry may be composed once, with another");
            else if (en->def->kind != N_REF)
                diag_error(at, "compose: entry '%s' must be one rule name", n);
            else {
                eo->inner = en;
                en->outer = eo;
                eo->compose_at = at;
            }
        } else if (strcmp(kw, "fallback") == 0) {
            char *r = next_word(&rest), *b = next_word(&rest);
            if (!r || !b || next_word(&rest))
                diag_error(at, "fallback: expected 'fallback RULE BRANCH-RULE'");
            else
                do_fallback(g, at, r, b);
        } else if (strcmp(kw, "field") == 0 || strcmp(kw, "literals") == 0) {
            char *r = next_word(&rest), *c = next_word(&rest);
            if (!r || !c) {
                diag_error(at, kw[0] == 'f' ? "field: expected 'field RULE C-NAME [VIEW.MEMBER[=LITERALS-RULE]...]'"
                                            : "literals: expected 'literals RULE C-PREFIX [LITERAL...]'");
            } else if (!grammar_find(g, r)) {
                diag_error(at, "%s: no rule '%s'", kw, r);
            } else if (kw[0] == 'f') {
                field *fd = xmalloc(sizeof *fd);
                fd->rule = xstrdup(r);
                fd->kind_value = constant_value(at, c); /* CONSTANT=N: its value in the public enum */
                fd->kind = xstrdup(c);
                fd->at = at;
                field_slots(fd, at, rest);
                g->fields = xrealloc(g->fields, sizeof(field *) * (size_t)(g->nfields + 1));
                g->fields[g->nfields++] = fd;
            } else {
                literals *l = xmalloc(sizeof *l);
                l->rule = xstrdup(r);
                l->prefix = xstrdup(c);
                l->at = at;
                for (char *w; (w = next_word(&rest)) != NULL;) {
                    l->known = xrealloc(l->known, sizeof(char *) * (size_t)(l->nknown + 1));
                    l->known[l->nknown++] = xstrdup(w);
                }
                g->lits = xrealloc(g->lits, sizeof(literals *) * (size_t)(g->nlits + 1));
                g->lits[g->nlits++] = l;
            }
        } else if (strcmp(kw, "header") == 0) {
            char *r = next_word(&rest), *c = next_word(&rest), *a = next_word(&rest);
            if (!r || !c || next_word(&rest) || (a && strncmp(a, "answer=", 7) != 0)) {
                diag_error(at, "header: expected 'header RULE C-NAME=N [answer=RULE]'");
            } else if (!grammar_find(g, r)) {
                diag_error(at, "header: no rule '%s'", r);
            } else {
                header *h = xmalloc(sizeof *h);
                h->rule = xstrdup(r);
                h->value = constant_value(at, c);
                if (h->value < 0 && !strchr(c, '='))
                    diag_error(at, "header: '%s' needs its value in the public enum (%s=N)", c, c);
                h->constant = xstrdup(c);
                h->answer = a ? xstrdup(a + 7) : NULL;
                h->at = at;
                g->headers = xrealloc(g->headers, sizeof(header *) * (size_t)(g->nheaders + 1));
                g->headers[g->nheaders++] = h;
            }
        } else if (strcmp(kw, "capture") == 0) {
            char *p = next_word(&rest);
            if (!p)
                diag_error(at, "capture: expected 'capture PATH EMBEDDING...'");
            else
                do_capture(g, at, p, rest);
        } else {
            diag_error(at, "unknown directive '%s'", kw);
        }
        free(s);
    }
    free(dir);
    commit_fields(g);
    commit_headers(g);
    return diag_error_count() - errors0;
}
