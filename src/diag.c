/* SPDX-License-Identifier: MIT */
/* Recognition and diagnosis with the generated machines.  Runs only on the
 * error path (and in the warnings), so clarity beats speed here. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The leap table of a plain machine (src/leap.h). */
static const ag_leap_table *leap_of(const ag_gen_grammar *g, int entry)
{
    for (int k = 0; k < 2; k++) {
        const ag_prof *P = ag_prof_of(k ? AG_PROFILE_HTTP : AG_PROFILE_SIP);
        if (P->g == g)
            return &P->plain_leap[entry];
    }
    return NULL;
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
    return run_with(leap ? leap_of(g, entry) : NULL, &g->plain[entry], cs, p, pe, stop);
}

int ag_recognize(const ag_gen_grammar *g, int entry, const unsigned char *buf, size_t len,
                 size_t *fail_off)
{
    return ag_recognize_with(g, leap_of(g, entry), entry, buf, len, fail_off);
}

int ag_recognize_with(const ag_gen_grammar *g, const ag_leap_table *t, int entry, const unsigned char *buf,
                      size_t len, size_t *fail_off)
{
    const ag_gen_plain *m = &g->plain[entry];
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
    const ag_gen_plain *m = &g->plain[entry];
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

/* The name a failure gets: the innermost rule the parse was inside of, else
 * the one it had just completed; "any state of" is the weakest, and at
 * offset 0 every rule that can begin the entry is in its start state, so the
 * entry itself is the honest answer there. */
static int rule_of(const ag_gen_diag *dd, size_t offset)
{
    return dd->middle ? dd->middle : dd->final ? dd->final : offset ? dd->start : 0;
}

static void name_rule(const ag_gen_grammar *g, int entry, int rule, const char **name, const char **rfc)
{
    if (rule > 0 && rule < g->nrules) {
        *name = g->rule_names[rule];
        *rfc = g->rule_cites[rule];
    } else {
        *name = g->entry_rules[entry];
        *rfc = "";
    }
}

void ag_stream_init(ag_stream *s, const ag_gen_grammar *g, int entry, int diag)
{
    memset(s, 0, sizeof *s);
    s->g = g;
    s->entry = entry;
    s->diag = diag;
    s->cs = diag ? *g->diag[entry].start : *g->plain[entry].start;
    s->leap = diag ? NULL : leap_of(g, entry);
}

size_t ag_stream_feed(ag_stream *s, const unsigned char *p, size_t n)
{
    if (s->cs == 0)
        return 0;
    const unsigned char *stop = p;
    if (s->diag)
        s->cs = s->g->diag[s->entry].run(s->cs, p, p + n, 0, &stop, &s->dd);
    else
        s->cs = run_with(s->leap, &s->g->plain[s->entry], s->cs, p, p + n, &stop);
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
        int cs = s->g->diag[s->entry].run(s->cs, none, none, 1, &stop, &s->dd);
        return cs != 0 && cs >= *s->g->diag[s->entry].first_final;
    }
    return s->cs >= *s->g->plain[s->entry].first_final;
}

const char *ag_stream_rule(const ag_stream *s, const char **rfc)
{
    const char *name, *cite;
    name_rule(s->g, s->entry, rule_of(&s->dd, s->fed), &name, &cite);
    if (rfc)
        *rfc = cite;
    return name;
}

void ag_diagnose(const ag_gen_grammar *g, int entry, const unsigned char *buf, size_t len, ag_diag *d)
{
    memset(d, 0, sizeof *d);
    d->status = AG_ERR_SYNTAX;
    const ag_gen_diagm *m = &g->diag[entry];
    ag_gen_diag dd = {0, 0, 0};
    const unsigned char *stop = buf;
    int cs = m->run(*m->start, buf, buf + len, 1, &stop, &dd);
    if (cs == 0) {
        d->offset = (size_t)(stop - buf);
        d->byte = buf[d->offset];
    } else {
        d->offset = len;
        d->at_end = 1;
    }
    name_rule(g, entry, rule_of(&dd, d->offset), &d->rule, &d->rfc);
    unsigned char set[32];
    probe(&g->plain[entry], buf, d->offset, set);
    describe(g, set, d->expected, sizeof d->expected);
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
    return (size_t)snprintf(buf, cap, "offset %zu: unexpected %s in %s%s%s%s%s%s", d->offset, what,
                            d->rule ? d->rule : "?", d->expected[0] ? ", expected " : "",
                            d->expected, d->rfc && d->rfc[0] ? " (" : "", d->rfc ? d->rfc : "",
                            d->rfc && d->rfc[0] ? ")" : "");
}
