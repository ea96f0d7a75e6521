/* SPDX-License-Identifier: MIT */
/* tags 'defer RULE': in the entries' machines RULE is compiled as the
 * closure of the bytes it may contain (gen/emit.c), and the parser confirms
 * each such span with the machine of the entry that is exactly RULE.
 *
 * Why: a rule is compiled once per context it appears in, and a large one
 * (a URI: some 550 states) inside small contexts (a quoted parameter, in a
 * challenge, in a header line, beside the fallback auth-param it runs in
 * parallel with) multiplies the machines.  Its closure is one state.
 *
 * When it is sound, and what is checked here:
 *   - the span of RULE must end, and begin, where RULE's match does: no
 *     byte RULE may contain may follow it or precede it anywhere in the
 *     grammar's reachable rules (FOLLOW and PRECEDE computed to a fixpoint below), so the
 *     closure stops exactly where RULE would, and a parameter splits into
 *     the same spans either way;
 *   - the entry's language must not change: what the closure accepts and
 *     RULE does not must be taken by a fallback branch (the generic
 *     auth-param takes any quoted string).  That is a question about the
 *     compiled machines, answered by Ragel in the tests
 *     (tests/defer_equiv.cmake: the exact and the deferred entry machines
 *     differ by the empty language), not here.  One way it fails is
 *     refused here: a field holding RULE whose production ends in a part
 *     that may be empty (sip's RDQUOT = DQUOTE SWS).  After a refused RULE
 *     the parameter is the fallback, which ends before that part, so what
 *     it read (a second fold before the comma, whitespace at the end of
 *     the value) would be an error, and only RULE's machine can tell;
 *   - the parser still tells a dedicated parameter from the generic one:
 *     RULE may have no capture inside it, and an entry must be exactly
 *     RULE, whose machine confirms a span when it ends. */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static int set_or(unsigned char to[32], const unsigned char from[32])
{
    int changed = 0;
    for (int i = 0; i < 32; i++) {
        changed |= (from[i] & ~to[i]) != 0;
        to[i] |= from[i];
    }
    return changed;
}

/* The bytes a match of n may begin with (rev = 0) or end with (rev = 1). */
static void edge(grammar *g, const node *n, unsigned char set[32], int rev)
{
    node_bytes(g, n, set, NULL, rev ? BYTES_LAST : BYTES_FIRST);
}

/* One pass of FOLLOW (rev = 0) or PRECEDE (rev = 1): what may come after
 * (before) n is `after`; each reference adds it to its rule's set. */
static int walk(grammar *g, const node *n, const unsigned char after[32], unsigned char (*sets)[32], int rev)
{
    int changed = 0;
    switch (n->kind) {
    case N_REF:
        if (n->rule >= 0)
            changed |= set_or(sets[n->rule], after);
        break;
    case N_ALT:
        for (int i = 0; i < n->nkids; i++)
            changed |= walk(g, n->kids[i], after, sets, rev);
        break;
    case N_CAT: {
        /* from the far end: what follows kid k is the edge of the kids
         * after it, up to the first that cannot be empty, else `after` */
        unsigned char next[32];
        memcpy(next, after, 32);
        for (int k = n->nkids - 1; k >= 0; k--) {
            const node *kid = n->kids[rev ? n->nkids - 1 - k : k];
            changed |= walk(g, kid, next, sets, rev);
            if (!node_nullable(g, kid))
                memset(next, 0, 32);
            edge(g, kid, next, rev);
        }
        break;
    }
    case N_REP: {
        if (n->rmax == 0)
            break;
        unsigned char next[32];
        memcpy(next, after, 32);
        if (n->rmax != 1) /* a repetition follows itself */
            edge(g, n->kids[0], next, rev);
        changed |= walk(g, n->kids[0], next, sets, rev);
        break;
    }
    default:
        break;
    }
    return changed;
}

static void context_sets(grammar *g, unsigned char (*sets)[32], int rev)
{
    static const unsigned char none[32];
    memset(sets, 0, (size_t)g->nrules * 32);
    for (int changed = 1; changed;) {
        changed = 0;
        for (int i = 0; i < g->nrules; i++)
            if (g->rules[i]->reachable)
                changed |= walk(g, g->rules[i]->def, sets[i], sets, rev);
        for (int i = 0; i < g->nentries; i++)
            changed |= walk(g, g->entries[i]->def, none, sets, rev);
    }
}

int node_reaches_defer(grammar *g, const node *n)
{
    if (n->kind == N_REF)
        return g->rules[n->rule]->defer || g->rules[n->rule]->reach_defer;
    for (int i = 0; i < n->nkids; i++)
        if (node_reaches_defer(g, n->kids[i]))
            return 1;
    return 0;
}

/* Does n end in a part that may be empty, in itself or in the rule of its
 * last part that may not? */
static int trailing_nullable(grammar *g, const node *n, int depth)
{
    if (n->kind == N_REF)
        return depth < 2 && trailing_nullable(g, g->rules[n->rule]->def, depth + 1);
    if (n->kind != N_CAT || n->nkids == 0)
        return 0;
    const node *last = n->kids[n->nkids - 1];
    if (node_nullable(g, last))
        return !node_nullable(g, n); /* (an empty production has no end to pass) */
    return trailing_nullable(g, last, depth);
}

static void byte_text(unsigned b, char *out, size_t cap)
{
    if (b > 0x20 && b < 0x7f)
        snprintf(out, cap, "'%c'", (char)b);
    else
        snprintf(out, cap, "%%x%02X", b);
}

int grammar_defers(const grammar *g)
{
    for (int i = 0; i < g->nrules; i++)
        if (g->rules[i]->defer)
            return 1;
    return 0;
}

int defer_check(grammar *g)
{
    int errors0 = diag_error_count();
    if (!grammar_defers(g))
        return 0;
    for (int i = 0; i < g->norder; i++) /* dependency order: the rules below first */
        g->order[i]->reach_defer = node_reaches_defer(g, g->order[i]->def);
    unsigned char(*follow)[32] = xmalloc((size_t)g->nrules * 32);
    unsigned char(*precede)[32] = xmalloc((size_t)g->nrules * 32);
    context_sets(g, follow, 0);
    context_sets(g, precede, 1);
    for (int i = 0; i < g->nrules; i++) {
        rule *r = g->rules[i];
        if (!r->defer)
            continue;
        r->defer_entry = -1;
        for (int k = 0; k < g->nentries; k++)
            if (g->entries[k]->def->kind == N_REF && g->entries[k]->def->rule == i)
                r->defer_entry = k;
        if (r->defer_entry < 0)
            diag_error(r->at, "defer '%s': no entry is exactly this rule (the parser confirms each "
                              "deferred span with its machine: add 'entry NAME = %s')", r->name, r->name);
        if (r->embed || node_captures(g, r->def))
            diag_error(r->at, "defer '%s': a capture or fallback inside it would be lost in its closure",
                       r->name);
        unsigned char alph[32] = {0};
        node_bytes(g, r->def, alph, NULL, BYTES_ALL);
        for (int rev = 0; rev < 2; rev++) {
            const unsigned char *ctx = rev ? precede[i] : follow[i];
            for (unsigned b = 0; b < 256; b++)
                if ((alph[b >> 3] & ctx[b >> 3]) >> (b & 7) & 1) {
                    char t[16];
                    byte_text(b, t, sizeof t);
                    diag_error(r->at, "defer '%s': it may contain %s, which may also %s it: its closure "
                                      "would not %s where it does", r->name, t, rev ? "precede" : "follow",
                               rev ? "begin" : "end");
                    break;
                }
        }
    }
    for (int i = 0; i < g->nfields; i++) {
        rule *f = grammar_find(g, g->fields[i]->rule);
        if (f && f->reach_defer && trailing_nullable(g, f->def, 0))
            diag_error(g->fields[i]->at, "defer: field '%s' holds a deferred rule and ends in a part that may be "
                       "empty: the fallback a refused span makes it would not end where it does (gen/defer.c)",
                       f->name);
    }
    free(follow);
    free(precede);
    return diag_error_count() - errors0;
}
