/* SPDX-License-Identifier: MIT */
/* Grammar checks: undefined rules (error), recursion (error: a Ragel machine
 * is regular, so a rule may not refer to itself through any path), rules
 * unreachable from the entry points (warning).  Also computes the
 * dependency order in which the machines are emitted (Ragel has no forward
 * references). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"

static void resolve(grammar *g, node *n)
{
    if (n->kind == N_REF) {
        rule *r = grammar_find(g, n->name);
        n->rule = -1;
        for (int i = 0; r && i < g->nrules; i++)
            if (g->rules[i] == r)
                n->rule = i;
        if (!r)
            diag_error(n->at, "undefined rule '%s'", n->name);
    }
    for (int i = 0; i < n->nkids; i++)
        resolve(g, n->kids[i]);
}

void grammar_classify(grammar *g);

static rule **stack;
static int depth;

static void visit(grammar *g, rule *r);

static void visit_node(grammar *g, node *n)
{
    if (n->kind == N_REF && n->rule >= 0)
        visit(g, g->rules[n->rule]);
    for (int i = 0; i < n->nkids; i++)
        visit_node(g, n->kids[i]);
}

static void visit(grammar *g, rule *r)
{
    if (r->done)
        return;
    if (r->visiting) {
        /* report the cycle once, from where it closes */
        int from = depth - 1;
        while (from > 0 && stack[from] != r)
            from--;
        size_t len = 0;
        for (int i = from; i < depth; i++)
            len += strlen(stack[i]->name) + 4;
        char *path = xmalloc(len + strlen(r->name) + 1);
        for (int i = from; i < depth; i++) {
            strcat(path, stack[i]->name);
            strcat(path, " -> ");
        }
        strcat(path, r->name);
        diag_error(r->at, "rule '%s' is recursive (%s); Ragel machines are regular, "
                          "so recursion cannot be compiled",
                   r->name, path);
        free(path);
        r->done = 1; /* do not report the same cycle again */
        return;
    }
    r->visiting = 1;
    stack[depth++] = r;
    visit_node(g, r->def);
    depth--;
    r->visiting = 0;
    if (!r->done) {
        r->done = 1;
        g->order[g->norder++] = r;
        r->id = g->norder;
    }
}

static void mark(grammar *g, node *n)
{
    if (n->kind == N_REF && n->rule >= 0) {
        rule *r = g->rules[n->rule];
        if (!r->reachable) {
            r->reachable = 1;
            mark(g, r->def);
        }
    }
    for (int i = 0; i < n->nkids; i++)
        mark(g, n->kids[i]);
}

static void mark_rule(grammar *g, const char *name)
{
    rule *r = grammar_find(g, name);
    if (r && !r->reachable) {
        r->reachable = 1;
        mark(g, r->def);
    }
}

static int node_equal(const node *a, const node *b)
{
    if (a->kind != b->kind || a->nkids != b->nkids || a->rmin != b->rmin ||
        a->rmax != b->rmax || a->len != b->len || a->case_sensitive != b->case_sensitive ||
        a->lo != b->lo || a->hi != b->hi)
        return 0;
    if (a->kind == N_REF && a->rule != b->rule)
        return 0;
    if (a->len && memcmp(a->bytes, b->bytes, (size_t)a->len) != 0)
        return 0;
    for (int i = 0; i < a->nkids; i++)
        if (!node_equal(a->kids[i], b->kids[i]))
            return 0;
    return 1;
}

/* tags 'compose OUTER INNER' (gen/emit.c, emit_composed): OUTER is
 * ( R1 / R2 ... ) REST, each Ri a nodiag rule without a whole-rule capture
 * whose concatenation names INNER's rule once, followed by one same trail */
static void check_composed(grammar *g, entry *outer)
{
    node *head = outer->def;
    if (head->kind == N_CAT && head->nkids > 0)
        head = head->kids[0];
    node **alts = head->kind == N_ALT ? head->kids : &head;
    int nalts = head->kind == N_ALT ? head->nkids : 1;
    int target = outer->inner->def->rule;
    const node *trail0 = NULL;
    int trail0_at = 0;
    for (int a = 0; a < nalts; a++) {
        rule *r = alts[a]->kind == N_REF ? g->rules[alts[a]->rule] : NULL;
        node *rd = r ? r->def : NULL;
        int at = -1;
        for (int i = 0; rd && rd->kind == N_CAT && i < rd->nkids; i++)
            if (rd->kids[i]->kind == N_REF && rd->kids[i]->rule == target)
                at = at == -1 ? i : -2;
        if (!r || at < 0 || !r->nodiag || r->embed) {
            diag_error(outer->compose_at,
                       "compose %s %s: each alternative of '%s' must be a nodiag rule, without a "
                       "whole-rule capture, that names '%s' once in its top-level concatenation",
                       outer->name, outer->inner->name, outer->name, g->rules[target]->name);
            return;
        }
        int same = 1;
        if (trail0) {
            same = rd->nkids - at == trail0->nkids - trail0_at;
            for (int k = 1; same && at + k < rd->nkids; k++)
                same = node_equal(rd->kids[at + k], trail0->kids[trail0_at + k]);
        } else {
            trail0 = rd;
            trail0_at = at;
        }
        if (!same) {
            diag_error(outer->compose_at, "compose %s %s: the alternatives of '%s' end differently after '%s'",
                       outer->name, outer->inner->name, outer->name, g->rules[target]->name);
            return;
        }
    }
}

/* A 'literals' line's LITs are char-vals of its rule, and a field's enum
 * slot names a rule that has a 'literals' line. */
static void check_literals(grammar *g)
{
    for (int i = 0; i < g->nlits; i++) {
        const literals *l = g->lits[i];
        rule *r = grammar_find(g, l->rule);
        node **lits = NULL;
        int nl = 0;
        collect_literals(r->def, &lits, &nl);
        if (!nl)
            diag_error(l->at, "literals: rule '%s' has no char-val alternatives", r->name);
        for (int k = 0; k < l->nknown; k++) {
            int found = 0;
            for (int j = 0; j < nl && !found; j++)
                found = (size_t)lits[j]->len == strlen(l->known[k]) &&
                        !memcmp(lits[j]->bytes, l->known[k], (size_t)lits[j]->len);
            if (!found)
                diag_error(l->at, "literals: rule '%s' has no char-val alternative \"%s\"", r->name, l->known[k]);
        }
        free(lits);
    }
    for (int i = 0; i < g->nfields; i++) {
        const field *f = g->fields[i];
        int found = !f->lit_rule;
        for (int k = 0; k < g->nlits && !found; k++)
            found = grammar_find(g, g->lits[k]->rule) == grammar_find(g, f->lit_rule);
        if (!found)
            diag_error(f->at, "field '%s': no 'literals %s PREFIX' line types its enum members", f->rule,
                       f->lit_rule);
    }
}

int grammar_check(grammar *g)
{
    int errors0 = diag_error_count();
    for (int i = 0; i < g->nrules; i++)
        resolve(g, g->rules[i]->def);
    /* (entry names, and their clashes, are checked where the tags are read) */
    for (int i = 0; i < g->nentries; i++)
        resolve(g, g->entries[i]->def);
    if (diag_error_count() > errors0)
        return diag_error_count() - errors0;
    for (int i = 0; i < g->nentries; i++)
        if (g->entries[i]->inner)
            check_composed(g, g->entries[i]);
    check_literals(g);

    stack = xmalloc(sizeof(rule *) * (size_t)(g->nrules + 1));
    g->order = xmalloc(sizeof(rule *) * (size_t)(g->nrules + 1));
    g->norder = 0;
    depth = 0;
    for (int i = 0; i < g->nrules; i++)
        visit(g, g->rules[i]);
    free(stack);
    grammar_classify(g);

    for (int i = 0; i < g->nentries; i++)
        mark(g, g->entries[i]->def);
    for (int i = 0; i < g->nfields; i++)
        mark_rule(g, g->fields[i]->rule);
    for (int i = 0; i < g->nlits; i++)
        mark_rule(g, g->lits[i]->rule);
    if (g->nentries == 0 && g->nrules > 0) {
        srcpos none = {0, 0, 0};
        diag_warning(none, "no entry points: every rule is unreachable");
    }
    defer_check(g); /* (after reachability: what follows a rule only where it is used) */
    for (int i = 0; i < g->nrules; i++)
        if (!g->rules[i]->reachable && !g->rules[i]->lib && g->nentries > 0)
            diag_warning(g->rules[i]->at, "rule '%s' is not reachable from any entry point",
                         g->rules[i]->name);
    return diag_error_count() - errors0;
}

/* Does the rule match exactly one byte in every case?  (A char class:
 * ranges, one-byte strings and references to such rules.) */
static int single_node(grammar *g, node *n)
{
    switch (n->kind) {
    case N_RANGE:
        return 1;
    case N_STR:
    case N_SEQ:
        return n->len == 1;
    case N_REF:
        return n->rule >= 0 && g->rules[n->rule]->single;
    case N_ALT:
        for (int i = 0; i < n->nkids; i++)
            if (!single_node(g, n->kids[i]))
                return 0;
        return 1;
    case N_CAT:
        return n->nkids == 1 && single_node(g, n->kids[0]);
    case N_REP:
        return n->rmin == 1 && n->rmax == 1 && single_node(g, n->kids[0]);
    }
    return 0;
}

/* Does the expression match the empty string? */
int node_nullable(grammar *g, const node *n)
{
    switch (n->kind) {
    case N_RANGE:
        return 0;
    case N_STR:
    case N_SEQ:
        return n->len == 0;
    case N_REF:
        return n->rule >= 0 && g->rules[n->rule]->nullable;
    case N_ALT:
        for (int i = 0; i < n->nkids; i++)
            if (node_nullable(g, n->kids[i]))
                return 1;
        return 0;
    case N_CAT:
        for (int i = 0; i < n->nkids; i++)
            if (!node_nullable(g, n->kids[i]))
                return 0;
        return 1;
    case N_REP:
        return n->rmin == 0 || node_nullable(g, n->kids[0]);
    }
    return 0;
}

void grammar_classify(grammar *g)
{
    /* in dependency order, so referenced rules are classified first */
    for (int i = 0; i < g->norder; i++) {
        g->order[i]->single = single_node(g, g->order[i]->def);
        g->order[i]->nullable = node_nullable(g, g->order[i]->def);
    }
}

/* The bytes a one-byte rule matches (see grammar_classify). */
void node_byteset(grammar *g, const node *n, unsigned char set[32])
{
    switch (n->kind) {
    case N_RANGE:
        for (unsigned b = n->lo; b <= n->hi; b++)
            set[b >> 3] |= (unsigned char)(1u << (b & 7));
        break;
    case N_STR:
    case N_SEQ: {
        unsigned b = n->bytes[0];
        set[b >> 3] |= (unsigned char)(1u << (b & 7));
        if (n->kind == N_STR && !n->case_sensitive && isalpha((int)b)) {
            b ^= 0x20; /* RFC 5234 section 2.3 */
            set[b >> 3] |= (unsigned char)(1u << (b & 7));
        }
        break;
    }
    case N_REF:
        node_byteset(g, g->rules[n->rule]->def, set);
        break;
    default:
        for (int i = 0; i < n->nkids; i++)
            node_byteset(g, n->kids[i], set);
        break;
    }
}

/* The bytes a match of n may hold, as `which` says: its first (BYTES_FIRST),
 * its last (BYTES_LAST) or any (BYTES_ALL).  A char-val's letters in both
 * cases unless it is %s"..." (RFC 5234 section 2.3, RFC 7405).  memo (or
 * NULL) keeps each rule's set once computed, for one `which`. */
void node_bytes(grammar *g, const node *n, unsigned char set[32], first_memo *memo, int which)
{
    switch (n->kind) {
    case N_RANGE:
        for (unsigned b = n->lo; b <= n->hi; b++)
            set[b >> 3] |= (unsigned char)(1u << (b & 7));
        break;
    case N_STR:
    case N_SEQ:
        for (int k = 0; k < n->len; k++) {
            int at = which == BYTES_LAST ? n->len - 1 - k : k;
            unsigned b = n->bytes[at];
            set[b >> 3] |= (unsigned char)(1u << (b & 7));
            if (n->kind == N_STR && !n->case_sensitive && isalpha((int)b)) {
                b ^= 0x20;
                set[b >> 3] |= (unsigned char)(1u << (b & 7));
            }
            if (which != BYTES_ALL)
                break;
        }
        break;
    case N_REF:
        if (!memo) {
            node_bytes(g, g->rules[n->rule]->def, set, NULL, which);
            break;
        }
        if (!memo->done[n->rule]) {
            node_bytes(g, g->rules[n->rule]->def, memo->set[n->rule], memo, which);
            memo->done[n->rule] = 1;
        }
        for (int i = 0; i < 32; i++)
            set[i] |= memo->set[n->rule][i];
        break;
    case N_ALT:
        for (int i = 0; i < n->nkids; i++)
            node_bytes(g, n->kids[i], set, memo, which);
        break;
    case N_CAT:
        for (int k = 0; k < n->nkids; k++) {
            const node *kid = n->kids[which == BYTES_LAST ? n->nkids - 1 - k : k];
            node_bytes(g, kid, set, memo, which);
            if (which != BYTES_ALL && !node_nullable(g, kid))
                break;
        }
        break;
    case N_REP:
        if (n->rmax != 0)
            node_bytes(g, n->kids[0], set, memo, which);
        break;
    }
}

void node_first(grammar *g, const node *n, unsigned char set[32], first_memo *memo)
{
    node_bytes(g, n, set, memo, BYTES_FIRST);
}

int field_form(grammar *g, const rule *r)
{
    /* the value: what follows the first part after the name that holds
     * '=' (EQUAL, or "=" between BWS) */
    node *d = r->def;
    if (d->kind != N_CAT)
        return -1;
    int k = 1;
    for (; k < d->nkids; k++) {
        unsigned char eq[32] = {0};
        node_byteset(g, d->kids[k], eq);
        if ((eq['=' >> 3] >> ('=' & 7)) & 1)
            break;
    }
    if (k >= d->nkids - 1)
        return -1;
    unsigned char set[32] = {0};
    node tail = *d; /* the kids after it, as a concatenation */
    tail.kids = d->kids + k + 1;
    tail.nkids = d->nkids - k - 1;
    node_first(g, &tail, set, NULL);
    static const unsigned char ws[] = {' ', '\t', '\r', '\n'};
    for (size_t i = 0; i < sizeof ws; i++)
        set[ws[i] >> 3] &= (unsigned char)~(1u << (ws[i] & 7));
    int dq = (set['"' >> 3] >> ('"' & 7)) & 1, other = 0;
    for (int b = 0; b < 256; b++)
        other |= b != '"' && ((set[b >> 3] >> (b & 7)) & 1);
    return dq && !other ? FORM_QUOTED : !dq && other ? FORM_TOKEN : dq ? FORM_EITHER : -1;
}

node *leading_literal(grammar *g, const rule *r)
{
    (void)g;
    node *d = r->def;
    while (d->kind == N_CAT && d->nkids)
        d = d->kids[0];
    return d->kind == N_STR ? d : NULL;
}

int rule_captures(grammar *g, int idx)
{
    if (!g->captures) {
        g->captures = xmalloc((size_t)g->nrules);
        memset(g->captures, -1, (size_t)g->nrules);
    }
    if (g->captures[idx] < 0) {
        rule *r = g->rules[idx];
        g->captures[idx] = (signed char)(r->embed || node_captures(g, r->def));
    }
    return g->captures[idx];
}

int node_captures(grammar *g, const node *n)
{
    if (n->embed || n->fallback)
        return 1;
    if (n->kind == N_REF && n->rule >= 0 && rule_captures(g, n->rule))
        return 1;
    for (int i = 0; i < n->nkids; i++)
        if (node_captures(g, n->kids[i]))
            return 1;
    return 0;
}
