/* SPDX-License-Identifier: MIT */
/* Recognition and diagnosis with the generated machines.  Runs only on the
 * error path (and in the warnings), so clarity beats speed here. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The leap table of a plain machine (src/leap.h), if the grammar has them. */
static const ag_leap_table *leap_of(const ag_gen_grammar *g, int entry)
{
    return g->plain_leap ? &g->plain_leap[entry] : NULL;
}

static int plain_exec(void *ctx, int cs, const unsigned char *p, const unsigned char *pe,
                      const unsigned char *eof, const unsigned char **stop)
{
    (void)eof;
    return ((const ag_gen_plain *)ctx)->run(cs, p, pe, stop);
}

static int run_with(const ag_leap_table *t, const ag_gen_plain *m, int cs, const unsigned char *p,
                    const unsigned char *pe, const unsigned char **stop)
{
    return ag_leap_run(t, plain_exec, (void *)(uintptr_t)m, cs, p, pe, NULL, stop);
}

int ag_plain_run(const ag_gen_grammar *g, int entry, int cs, const unsigned char *p,
                 const unsigned char *pe, const unsigned char **stop, int leap)
{
    return run_with(leap ? leap_of(g, entry) : NULL, g->plain[entry], cs, p, pe, stop);
}

int ag_recognize(const ag_gen_grammar *g, int entry, const unsigned char *buf, size_t len,
                 size_t *fail_off)
{
    const ag_leap_table *t = leap_of(g, entry);
    const ag_gen_plain *m = g->plain[entry];
    if (!buf) /* an empty span may be {NULL, 0}: no arithmetic on NULL */
        buf = (const unsigned char *)"";
    const unsigned char *stop = buf;
    int cs = run_with(t, m, *m->start, buf, buf + len, &stop);
    if (cs != 0 && cs >= *m->first_final)
        return 1;
    if (fail_off)
        *fail_off = cs == 0 ? (size_t)(stop - buf) : len;
    return 0;
}

size_t ag_longest_match(const ag_gen_grammar *g, int entry, const unsigned char *buf, size_t len)
{
    const ag_gen_plain *m = g->plain[entry];
    const unsigned char *stop;
    size_t best = 0;
    int cs = *m->start;
    for (size_t i = 0; i < len; i++) {
        cs = m->run(cs, buf + i, buf + i + 1, &stop);
        if (cs == 0)
            break;
        if (cs >= *m->first_final)
            best = i + 1;
    }
    return best;
}

/* Which bytes would the plain machine have accepted after [buf, buf+off)? */
static void probe(const ag_gen_plain *m, const unsigned char *buf, size_t off, unsigned char set[32])
{
    const unsigned char *stop;
    memset(set, 0, 32);
    int cs = m->run(*m->start, buf, buf + off, &stop);
    if (cs == 0)
        return;
    for (unsigned b = 0; b < 256; b++) {
        unsigned char c = (unsigned char)b;
        if (m->run(cs, &c, &c + 1, &stop) != 0)
            set[b >> 3] |= (unsigned char)(1u << (b & 7));
    }
}

static int set_count(const unsigned char set[32])
{
    int n = 0;
    for (int i = 0; i < 256; i++)
        n += (set[i >> 3] >> (i & 7)) & 1;
    return n;
}

static size_t byte_name(unsigned b, char *out, size_t cap)
{
    static const char *const names[] = {[0x09] = "HTAB", [0x0a] = "LF", [0x0d] = "CR", [0x20] = "SP"};
    if (b < sizeof names / sizeof names[0] && names[b])
        return (size_t)snprintf(out, cap, "%s", names[b]);
    if (b > 0x20 && b < 0x7f)
        return (size_t)snprintf(out, cap, "'%c'", (char)b);
    return (size_t)snprintf(out, cap, "%%x%02X", b);
}

/* "DQUOTE" when the set is exactly a one-byte rule of the grammar, else the
 * bytes themselves when there are few of them, else "". */
static void describe(const ag_gen_grammar *g, const unsigned char set[32], char *out, size_t cap)
{
    out[0] = 0;
    int n = set_count(set);
    if (n == 0)
        return;
    for (int i = 0; i < g->nsets; i++)
        if (memcmp(g->sets[i].bits, set, 32) == 0) {
            snprintf(out, cap, "%s", g->rule_names[g->sets[i].rule]);
            return;
        }
    if (n > 8)
        return;
    size_t k = 0;
    if (n > 1)
        k += (size_t)snprintf(out, cap, "one of ");
    for (unsigned b = 0; b < 256 && k < cap; b++) {
        if (!((set[b >> 3] >> (b & 7)) & 1))
            continue;
        if (k && out[k - 1] != ' ')
            k += (size_t)snprintf(out + k, cap - k, " ");
        if (k < cap)
            k += byte_name(b, out + k, cap - k);
    }
    if (k >= cap)
        out[0] = 0; /* never a truncated list */
}

/* ---- which rule a failure is named after ----------------------------------
 *
 * The diagnostic machine reports every rule the parse was in when it failed
 * (src/grammar_rt.h).  A reader expects the innermost one, on the path the
 * input took:
 *   1. the rules it was in the middle of and cannot have completed, else
 *      those it had just completed, else (not at offset 0) those it was in
 *      any state of;
 *   2. without the fallback branches the input did not take (the generic
 *      auth-param when it was writing nonce="...", other-challenge when it
 *      began with Digest), nor the rules only they lead to;
 *   3. the innermost of them: one that names none of the others;
 *   4. of several innermost (parallel alternatives), the base RFC's rule
 *      before an amendment's (quoted-string, not RFC 3310's aka-nonce-value,
 *      for an unterminated nonce), then the lower id.
 * At offset 0 every rule that can begin the entry is in its start state, so
 * the entry's own rule is the honest answer there. */

static int in_set(const unsigned char *set, int id) { return (set[id >> 3] >> (id & 7)) & 1; }

/* marks in below[] every rule that rule id names, directly or not; ids only
 * go down, so this ends */
static void mark_below(const ag_gen_grammar *g, int id, unsigned char *below)
{
    for (int k = g->rule_refs_at[id]; k < g->rule_refs_at[id + 1]; k++) {
        int r = g->rule_refs[k];
        if (!in_set(below, r)) {
            below[r >> 3] |= (unsigned char)(1u << (r & 7));
            mark_below(g, r, below);
        }
    }
}

static int field_index(const ag_gen_grammar *g, int id)
{
    for (int i = 0; i < g->nfields; i++)
        if (g->fields[i].rule == id)
            return i;
    return -1;
}

/* Step 2 over one set: a rule is off the path the input took when it is an
 * untaken fallback branch, or when it is in the set only through one: the
 * quoted-string of auth-param while domain="... is being written (behind an
 * untaken rule, and named by no taken rule the parse is in). */
typedef struct path {
    unsigned char behind[AG_GEN_DIAG_RULES / 8]; /* below an untaken rule of the set */
    unsigned char named[AG_GEN_DIAG_RULES / 8];  /* named by a taken rule the parse is in */
} path;

static void path_of(const ag_gen_grammar *g, const ag_gen_diag *dd, const unsigned char *set, path *p)
{
    memset(p, 0, sizeof *p);
    for (int y = 1; y < g->nrules && y < AG_GEN_DIAG_RULES; y++) {
        if (in_set(dd->untaken, y)) {
            if (in_set(set, y))
                mark_below(g, y, p->behind);
            continue;
        }
        /* named by a taken rule the parse is in, in any way: COMMA is on
         * the Digest path when challenge has just completed */
        if (!in_set(dd->middle, y) && !in_set(dd->final, y) && !in_set(dd->start, y))
            continue;
        for (int k = g->rule_refs_at[y]; k < g->rule_refs_at[y + 1]; k++)
            p->named[g->rule_refs[k] >> 3] |= (unsigned char)(1u << (g->rule_refs[k] & 7));
    }
}

static int candidate(const ag_gen_grammar *g, const ag_gen_diag *dd, const unsigned char *set, const path *p,
                     int id, int fields)
{
    return in_set(set, id) && !in_set(dd->untaken, id) && (!in_set(p->behind, id) || in_set(p->named, id)) &&
           (!fields || field_index(g, id) >= 0);
}

/* steps 2-4 over one set; fields = 1 considers the dedicated parameter
 * productions only.  0 if the set has no candidate. */
static int choose(const ag_gen_grammar *g, const ag_gen_diag *dd, const unsigned char *set, int fields)
{
    int best = 0;
    path p;
    path_of(g, dd, set, &p);
    for (int x = 1; x < g->nrules && x < AG_GEN_DIAG_RULES; x++) {
        if (!candidate(g, dd, set, &p, x, fields))
            continue;
        unsigned char below[AG_GEN_DIAG_RULES / 8] = {0};
        mark_below(g, x, below);
        int inner = 1;
        for (int y = 1; y < x && inner; y++)
            if (in_set(below, y) && candidate(g, dd, set, &p, y, fields))
                inner = 0;
        if (!inner)
            continue;
        if (!best || ((g->rule_flags[best] & AG_GEN_RULE_AMENDMENT) && !(g->rule_flags[x] & AG_GEN_RULE_AMENDMENT)))
            best = x;
    }
    return best;
}

/* the rules the parse was in the middle of and cannot have completed: one
 * that some parse may end here (LWS after one SP, which "SP CRLF SP" would
 * also continue) is complete, and the rule around it is what failed */
static void strictly_middle(const ag_gen_diag *dd, unsigned char *set)
{
    for (size_t i = 0; i < sizeof dd->middle; i++)
        set[i] = (unsigned char)(dd->middle[i] & ~dd->final[i]);
}

static int rule_of(const ag_gen_grammar *g, const ag_gen_diag *dd, size_t offset)
{
    unsigned char middle[sizeof dd->middle];
    strictly_middle(dd, middle);
    int r = choose(g, dd, middle, 0);
    if (!r)
        r = choose(g, dd, dd->final, 0);
    if (!r && offset)
        r = choose(g, dd, dd->start, 0);
    return r;
}

/* the dedicated parameter the failure is inside of: its name, or "" (also
 * when the rule named is the parameter's own production: "nonce=" at the
 * end of the input is "in nonce" already) */
static const char *param_of(const ag_gen_grammar *g, const ag_gen_diag *dd, int rule)
{
    unsigned char middle[sizeof dd->middle];
    strictly_middle(dd, middle);
    int i = field_index(g, choose(g, dd, middle, 1));
    return i >= 0 && g->fields[i].rule != rule ? g->fields[i].name : "";
}

static void name_rule(const ag_gen_grammar *g, int entry, int rule, const char **name, const char **rfc)
{
    if (rule > 0 && rule < g->nrules) {
        *name = g->rule_names[rule];
        *rfc = g->rule_cites[rule];
        return;
    }
    /* the entry's expression: cite its (first) rule */
    *name = g->entry_rules[entry];
    *rfc = "";
    size_t n = strcspn(*name, " ");
    for (int i = 1; i < g->nrules; i++)
        if (strlen(g->rule_names[i]) == n && memcmp(g->rule_names[i], *name, n) == 0)
            *rfc = g->rule_cites[i];
}

void ag_stream_init(ag_stream *s, const ag_gen_grammar *g, int entry, int diag)
{
    memset(s, 0, sizeof *s);
    s->g = g;
    s->entry = entry;
    s->diag = diag;
    s->cs = diag ? *g->diag[entry]->start : *g->plain[entry]->start;
    s->leap = diag ? NULL : leap_of(g, entry);
}

size_t ag_stream_feed(ag_stream *s, const unsigned char *p, size_t n)
{
    if (s->cs == 0)
        return 0;
    const unsigned char *stop = p;
    if (s->diag)
        s->cs = s->g->diag[s->entry]->run(s->cs, p, p + n, 0, &stop, &s->dd);
    else
        s->cs = run_with(s->leap, s->g->plain[s->entry], s->cs, p, p + n, &stop);
    size_t k = s->cs == 0 ? (size_t)(stop - p) : n;
    s->fed += k;
    return k;
}

int ag_stream_end(ag_stream *s)
{
    if (s->cs == 0)
        return 0;
    if (s->diag) {
        /* an empty run at eof: the error actions of a non-final state fire */
        static const unsigned char none[1] = {0};
        const unsigned char *stop;
        int cs = s->g->diag[s->entry]->run(s->cs, none, none, 1, &stop, &s->dd);
        return cs != 0 && cs >= *s->g->diag[s->entry]->first_final;
    }
    return s->cs >= *s->g->plain[s->entry]->first_final;
}

const char *ag_stream_rule(const ag_stream *s, const char **rfc)
{
    const char *name, *cite;
    name_rule(s->g, s->entry, rule_of(s->g, &s->dd, s->fed), &name, &cite);
    if (rfc)
        *rfc = cite;
    return name;
}

void ag_diagnose(const ag_gen_grammar *g, int entry, const unsigned char *buf, size_t len, ag_diag *d)
{
    memset(d, 0, sizeof *d);
    d->status = AG_ERR_SYNTAX;
    const ag_gen_diagm *m = g->diag[entry];
    ag_gen_diag dd;
    memset(&dd, 0, sizeof dd);
    const unsigned char *stop = buf;
    int cs = m->run(*m->start, buf, buf + len, 1, &stop, &dd);
    if (cs == 0) {
        d->offset = (size_t)(stop - buf);
        d->byte = buf[d->offset];
    } else {
        d->offset = len;
        d->at_end = 1;
    }
    int rule = rule_of(g, &dd, d->offset);
    name_rule(g, entry, rule, &d->rule, &d->rfc);
    d->param = param_of(g, &dd, rule);
    unsigned char set[32];
    probe(g->plain[entry], buf, d->offset, set);
    describe(g, set, d->expected, sizeof d->expected);
    /* a bare LF where a fold could begin: what is missing is the CR (the
     * list of every byte acceptable there is too long to help) */
    if (!d->at_end && d->byte == '\n' && in_set(set, '\r'))
        snprintf(d->expected, sizeof d->expected, "CR before LF (a line fold is CRLF followed by SP or HTAB)");
}

size_t ag_diag_format(const ag_diag *d, char *buf, size_t cap)
{
    char what[32];
    if (!d)
        return 0;
    if (d->status == AG_OK)
        return (size_t)snprintf(buf, cap, "no error");
    if (d->status == AG_ERR_LIMIT)
        return (size_t)snprintf(buf, cap, "offset %zu: past the %s: %s", d->offset, d->rule ? d->rule : "limit",
                                d->expected);
    if (d->status != AG_ERR_SYNTAX)
        return (size_t)snprintf(buf, cap, "%s", ag_strerror(d->status));
    if (d->at_end)
        snprintf(what, sizeof what, "end of input");
    else {
        char b[16];
        byte_name(d->byte, b, sizeof b);
        snprintf(what, sizeof what, "%s", b);
    }
    const char *param = d->param ? d->param : "";
    return (size_t)snprintf(buf, cap, "offset %zu: %s%s%sunexpected %s in %s%s%s%s%s%s", d->offset,
                            param[0] ? "in the " : "", param, param[0] ? " parameter: " : "", what,
                            d->rule ? d->rule : "?", d->expected[0] ? ", expected " : "",
                            d->expected, d->rfc && d->rfc[0] ? " (" : "", d->rfc ? d->rfc : "",
                            d->rfc && d->rfc[0] ? ")" : "");
}
