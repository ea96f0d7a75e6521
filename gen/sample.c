/* SPDX-License-Identifier: MIT */
/* authgram-gen sample: random words of a rule's language and near-misses.
 *
 *   authgram-gen sample TAGS NAME COUNT SEED OUTDIR [--near-miss N]
 *   authgram-gen sample TAGS NAME COUNT SEED --list [--near-miss N]
 *
 * A valid sample is a random derivation of NAME (an entry point of the tags
 * file, else a rule) read straight off the AST: an alternation picks a
 * branch, a repetition a small count, a char-val its bytes (letters in
 * random case when it is case-insensitive), a range one byte, its edges
 * more often.  Three devices keep the corpus varied and reach the rare
 * branches: swarm sampling (each sample switches some branches and
 * repetitions off), calm samples (optional whitespace and empty list
 * elements mostly left out: they look like real traffic), and literals of
 * the grammar spliced into lexical rules (a token that is "realm" reaches
 * the overlap of a dedicated parameter with the generic auth-param).
 *
 * A near-miss is a valid sample with one mutation where a rule's derivation
 * starts or ends: a byte deleted, duplicated or swapped with its neighbour,
 * or a byte inserted that is unlikely there or that the rule starting there
 * cannot start with.  They seed the fuzzers and are the test oracle of
 * tests/test_samples.c.
 *
 * Every sample is also run through a matcher of the AST written here (an
 * all-ends matcher memoised per rule and offset, independent of the Ragel
 * machines): a valid sample it does not match is an internal error, and a
 * near-miss is mutated again (up to 64 times) until the matcher refuses it.
 *
 * Reproducible: sample k is a function of SEED, NAME's grammar and k only
 * (not of COUNT), on every machine: a splitmix64 generator and integer
 * arithmetic only. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "gen.h"

#define SAMPLE_LIMIT 4096   /* bytes of one derivation */
#define MAX_COUNT 1000000   /* samples of one kind in one run */

/* ---- random numbers: splitmix64 (Steele, Lea, Flood 2014) --------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Sample `index` of kind `kind` gets its own stream, so it does not depend
 * on how many samples come before it. */
static void rng_seed(rng *r, uint64_t seed, unsigned kind, unsigned index)
{
    r->s = seed;
    r->s = rng_next(r) ^ ((uint64_t)kind << 40) ^ (uint64_t)index;
    (void)rng_next(r);
}

/* 0 .. n-1 (n >= 1); the multiply-shift reduction, no modulo bias worth
 * mentioning for the small n used here */
static unsigned below(rng *r, unsigned n)
{
    return (unsigned)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int one_in(rng *r, unsigned n) { return below(r, n) == 0; }

/* ---- byte strings and sets of offsets ------------------------------------ */

typedef struct bytes {
    unsigned char *p;
    size_t n, cap;
} bytes;

static void bytes_put(bytes *b, const unsigned char *s, size_t n)
{
    if (!n) /* (memcpy with a null pointer is undefined even for 0 bytes) */
        return;
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void bytes_set(bytes *b, const unsigned char *s, size_t n)
{
    b->n = 0;
    bytes_put(b, s, n);
}

typedef struct iset {
    int *v;
    int n, cap;
} iset;

static void iset_add(iset *s, int x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->v = xrealloc(s->v, sizeof(int) * (size_t)s->cap);
    }
    s->v[s->n++] = x;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* sort and drop duplicates */
static void iset_norm(iset *s)
{
    if (s->n < 2)
        return;
    qsort(s->v, (size_t)s->n, sizeof(int), cmp_int);
    int k = 1;
    for (int i = 1; i < s->n; i++)
        if (s->v[i] != s->v[k - 1])
            s->v[k++] = s->v[i];
    s->n = k;
}

/* *u |= f (both normalised); returns how many of f were not in *u */
static int iset_merge(iset *u, const iset *f)
{
    iset m = {0};
    int i = 0, j = 0, fresh = 0;
    while (i < u->n || j < f->n) {
        if (j == f->n || (i < u->n && u->v[i] < f->v[j]))
            iset_add(&m, u->v[i++]);
        else {
            if (i < u->n && u->v[i] == f->v[j])
                i++;
            else
                fresh++;
            iset_add(&m, f->v[j++]);
        }
    }
    free(u->v);
    *u = m;
    return fresh;
}

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int ascii_alpha(int c) { return ascii_lower(c) >= 'a' && ascii_lower(c) <= 'z'; }

/* sets of bytes, 256 bits */
static int set_has(const unsigned char set[32], unsigned b) { return set[b >> 3] >> (b & 7) & 1; }

/* ---- the matcher --------------------------------------------------------- */

/* All the offsets where a derivation of a node that starts at p can end;
 * the end sets of rules are memoised per (rule, offset), so the cost is
 * about that of a chart parser over a regular grammar. */
typedef struct span {
    int off, n;
} span;

typedef struct matcher {
    grammar *g;
    const unsigned char *s;
    int len;
    int *memo;   /* [rule * (len + 1) + p]: 0 unknown, else 1 + index in spans */
    span *spans;
    int nspans, capspans;
    iset pool;   /* the memoised end sets, back to back */
} matcher;

static void m_node(matcher *M, const node *n, int p, iset *out);

static void m_ref(matcher *M, int ri, int p, iset *out)
{
    size_t k = (size_t)ri * (size_t)(M->len + 1) + (size_t)p;
    if (!M->memo[k]) {
        iset t = {0};
        m_node(M, M->g->rules[ri]->def, p, &t);
        iset_norm(&t);
        if (M->nspans == M->capspans) {
            M->capspans = M->capspans ? M->capspans * 2 : 256;
            M->spans = xrealloc(M->spans, sizeof(span) * (size_t)M->capspans);
        }
        M->spans[M->nspans].off = M->pool.n;
        M->spans[M->nspans].n = t.n;
        for (int i = 0; i < t.n; i++)
            iset_add(&M->pool, t.v[i]);
        M->memo[k] = ++M->nspans;
        free(t.v);
    }
    span sp = M->spans[M->memo[k] - 1];
    for (int i = 0; i < sp.n; i++)
        iset_add(out, M->pool.v[sp.off + i]);
}

/* every end of node n from every start in *from, normalised */
static iset m_step(matcher *M, const node *n, const iset *from)
{
    iset to = {0};
    for (int i = 0; i < from->n; i++)
        m_node(M, n, from->v[i], &to);
    iset_norm(&to);
    return to;
}

static void m_node(matcher *M, const node *n, int p, iset *out)
{
    switch (n->kind) {
    case N_ALT:
        for (int i = 0; i < n->nkids; i++)
            m_node(M, n->kids[i], p, out);
        break;
    case N_CAT: {
        iset cur = {0};
        iset_add(&cur, p);
        for (int i = 0; i < n->nkids && cur.n; i++) {
            iset next = m_step(M, n->kids[i], &cur);
            free(cur.v);
            cur = next;
        }
        for (int i = 0; i < cur.n; i++)
            iset_add(out, cur.v[i]);
        free(cur.v);
        break;
    }
    case N_REP: {
        /* F: the ends after exactly k repetitions; U: after min..k.  Once
         * k > min and F adds nothing to U, later steps cannot either. */
        iset f = {0}, u = {0};
        iset_add(&f, p);
        for (int k = 0;; k++) {
            if (k >= n->rmin && !iset_merge(&u, &f) && k > n->rmin)
                break;
            if (n->rmax >= 0 && k >= n->rmax)
                break;
            iset next = m_step(M, n->kids[0], &f);
            free(f.v);
            f = next;
            if (!f.n)
                break;
        }
        for (int i = 0; i < u.n; i++)
            iset_add(out, u.v[i]);
        free(f.v);
        free(u.v);
        break;
    }
    case N_REF:
        m_ref(M, n->rule, p, out);
        break;
    case N_STR:
        if (M->len - p < n->len)
            break;
        for (int i = 0; i < n->len; i++) {
            int a = M->s[p + i], b = n->bytes[i];
            /* RFC 5234 section 2.3: only letters ignore case */
            if (n->case_sensitive ? a != b : ascii_lower(a) != ascii_lower(b))
                return;
        }
        iset_add(out, p + n->len);
        break;
    case N_SEQ:
        if (M->len - p >= n->len && memcmp(M->s + p, n->bytes, (size_t)n->len) == 0)
            iset_add(out, p + n->len);
        break;
    case N_RANGE:
        if (p < M->len && M->s[p] >= n->lo && M->s[p] <= n->hi)
            iset_add(out, p + 1);
        break;
    }
}

/* Is [s, s+len) in the language of root? */
static int matches(grammar *g, const node *root, const unsigned char *s, size_t len)
{
    matcher M;
    memset(&M, 0, sizeof M);
    M.g = g;
    M.s = s;
    M.len = (int)len;
    M.memo = xmalloc(sizeof(int) * (size_t)g->nrules * (len + 1));
    iset ends = {0};
    m_node(&M, root, 0, &ends);
    int ok = 0;
    for (int i = 0; i < ends.n; i++)
        ok |= ends.v[i] == (int)len;
    free(ends.v);
    free(M.memo);
    free(M.spans);
    free(M.pool.v);
    return ok;
}

/* ---- derivations ---------------------------------------------------------- */

/* Where the derivation of one rule occurrence starts and ends. */
typedef struct bound {
    int rule; /* -1: the root expression */
    size_t start, end;
} bound;

typedef struct sampler {
    grammar *g;
    const node *root;
    rng r;
    int level;         /* 3 .. 0: how long repetitions may get */
    int calm;          /* optional whitespace mostly left out */
    uint64_t swarm;    /* which branches of each alternation this sample
                          may take (0: all) */
    struct {
        const node *n;
        uint64_t rank;
    } *ranks;          /* alternations and repetitions (swarm sampling) */
    int nranks, rankcap;
    int over;          /* the derivation passed SAMPLE_LIMIT */
    bytes out;
    bound *b;
    int nb, capb;
    /* every literal of the grammar, and per rule the ones in its language
     * (computed on first use): spliced in now and then, so that a token is
     * sometimes "realm" or "Digest" and the overlaps of the grammar (a
     * dedicated parameter name in the generic auth-param) are reached */
    const node **lits;
    int nlits;
    int **rule_lits;
    int *rule_nlits;
    first_memo first;           /* FIRST set per rule, for the near-misses */
    first_memo all;             /* the bytes of all derivations, per rule */
} sampler;

static void collect_lits(sampler *S, const node *n)
{
    if ((n->kind == N_STR || n->kind == N_SEQ) && n->len > 0) {
        for (int i = 0; i < S->nlits; i++)
            if (S->lits[i]->len == n->len && memcmp(S->lits[i]->bytes, n->bytes, (size_t)n->len) == 0)
                return;
        S->lits = xrealloc(S->lits, sizeof(node *) * (size_t)(S->nlits + 1));
        S->lits[S->nlits++] = n;
    }
    for (int i = 0; i < n->nkids; i++)
        collect_lits(S, n->kids[i]);
}

static void rule_lits(sampler *S, int ri)
{
    if (S->rule_lits[ri])
        return;
    S->rule_lits[ri] = xmalloc(sizeof(int) * (size_t)(S->nlits ? S->nlits : 1));
    for (int i = 0; i < S->nlits; i++)
        if (matches(S->g, S->g->rules[ri]->def, S->lits[i]->bytes, (size_t)S->lits[i]->len))
            S->rule_lits[ri][S->rule_nlits[ri]++] = i;
}

static void emit(sampler *S, const unsigned char *s, size_t n)
{
    if (S->over || S->out.n + n > SAMPLE_LIMIT) {
        S->over = 1;
        return;
    }
    bytes_put(&S->out, s, n);
}

/* letters of a case-insensitive literal in a random case, sometimes */
static void emit_literal(sampler *S, const unsigned char *s, int n, int case_sensitive)
{
    unsigned char tmp[256];
    if (case_sensitive || n > (int)sizeof tmp || !one_in(&S->r, 3)) {
        emit(S, s, (size_t)n);
        return;
    }
    for (int i = 0; i < n; i++)
        tmp[i] = ascii_alpha(s[i]) && one_in(&S->r, 2) ? (unsigned char)(s[i] ^ 0x20) : s[i];
    emit(S, tmp, (size_t)n);
}


/* ---- swarm sampling ---------------------------------------------------------
 * Most samples switch some branches of each alternation off, and give each
 * repetition a mode (minimal, short, usual), for the whole sample (Groce et
 * al., "Swarm testing", ISSTA 2012): one sample has no empty list elements
 * and many parameters, the next no folds, another only generic parameters,
 * where independent choices alone make every sample the same average mix.
 * A node is known by its rank in a walk of the grammar in file order
 * (looked up by address), so the choices do not depend on where the nodes
 * are in memory. */
static size_t addr_slot(const sampler *S, const node *n)
{
    uint64_t x = (uint64_t)(uintptr_t)n;
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDu;
    x ^= x >> 33;
    return (size_t)x & (size_t)(S->rankcap - 1);
}

static int swarmed(const node *n) { return n->kind == N_ALT || n->kind == N_REP; }

static int count_swarmed(const node *n)
{
    int k = swarmed(n);
    for (int i = 0; i < n->nkids; i++)
        k += count_swarmed(n->kids[i]);
    return k;
}

static void rank_nodes(sampler *S, const node *n)
{
    if (swarmed(n)) {
        size_t h = addr_slot(S, n);
        while (S->ranks[h].n && S->ranks[h].n != n)
            h = (h + 1) & (size_t)(S->rankcap - 1);
        if (!S->ranks[h].n) {
            S->ranks[h].n = n;
            S->ranks[h].rank = (uint64_t)S->nranks++;
        }
    }
    for (int i = 0; i < n->nkids; i++)
        rank_nodes(S, n->kids[i]);
}

/* a hash of (sample, node, i): the sample's fixed choice i at node n */
static uint64_t swarm_choice(const sampler *S, const node *n, unsigned i)
{
    size_t h = addr_slot(S, n);
    while (S->ranks[h].n != n)
        h = (h + 1) & (size_t)(S->rankcap - 1);
    rng x = {S->swarm ^ (S->ranks[h].rank << 20) ^ (uint64_t)i};
    return rng_next(&x);
}

static int has_alnum(sampler *S, const node *n);

static int pick_branch(sampler *S, const node *n)
{
    /* a calm sample takes the branches with letters or digits in them if
     * there are any (a parameter rather than an empty list element, a
     * character rather than a fold); a swarmed one switches each branch
     * off one time in three (with all of them off, all are on) */
    int on[64], non = 0, keep[64], nkeep = 0;
    for (int i = 0; i < n->nkids && i < 64; i++)
        if (!S->calm || has_alnum(S, n->kids[i]))
            on[non++] = i;
    if (!non)
        for (int i = 0; i < n->nkids && i < 64; i++)
            on[non++] = i;
    for (int i = 0; S->swarm && i < non; i++)
        if (swarm_choice(S, n, (unsigned)on[i]) % 3 != 0)
            keep[nkeep++] = on[i];
    if (nkeep)
        return keep[below(&S->r, (unsigned)nkeep)];
    return on[below(&S->r, (unsigned)non)];
}

/* ---- repetitions ---------------------------------------------------------------- */

/* Can a derivation of n hold a letter or a digit?  What cannot is
 * punctuation and whitespace: separators, folds, empty list elements. */
static int has_alnum(sampler *S, const node *n)
{
    unsigned char set[32] = {0};
    node_bytes(S->g, n, set, &S->all, BYTES_ALL);
    for (unsigned b = '0'; b <= 'z'; b++)
        if (set_has(set, b) && (b <= '9' || ascii_alpha((int)b)))
            return 1;
    return 0;
}

/* The number of repetitions: small, now and then larger; at lower levels
 * (a retry after a derivation grew past the limit) smaller.  An option is
 * taken more often than not.  A calm sample mostly leaves out repetitions
 * without letters or digits (optional whitespace, leading commas), so that
 * half the corpus looks like real traffic and the other half explores
 * folds and blanks. */
static int rep_count(sampler *S, const node *n)
{
    int min = n->rmin, max = n->rmax, extra = 0, level = S->level;
    if (max >= 0 && max <= min)
        return min;
    if (S->calm && !has_alnum(S, n->kids[0]))
        return min + (one_in(&S->r, 8) ? 1 : 0);
    if (S->swarm) {
        unsigned mode = (unsigned)(swarm_choice(S, n, 0xFFFFF) % 6);
        if (mode == 0)
            return min;
        if (mode == 1 && level > 1)
            level = 1;
    }
    if (min == 0 && max == 1)
        return level == 3 ? !one_in(&S->r, 8) : level ? one_in(&S->r, 2) : 0;
    unsigned x = below(&S->r, 32);
    switch (level) {
    case 3:
        extra = x == 0 ? 4 + (int)below(&S->r, 16) : x < 4 ? 4 + (int)below(&S->r, 4)
                                                            : (int)below(&S->r, 4);
        break;
    case 2:
        extra = x < 2 ? 3 + (int)below(&S->r, 4) : (int)below(&S->r, 3);
        break;
    case 1:
        extra = (int)below(&S->r, 2);
        break;
    default:
        break;
    }
    if (max >= 0 && level > 0 && max - min <= 3)
        return min + (int)below(&S->r, (unsigned)(max - min + 1));
    if (max >= 0 && min + extra > max)
        return max;
    return min + extra;
}

/* ---- derivations ---------------------------------------------------------------- */

static void derive(sampler *S, const node *n);

/* A rule of bytes only (token, a label, a number): literals are spliced
 * into these, never into a rule with structure of its own. */
static int lexical_node(grammar *g, const node *n)
{
    if (n->kind == N_REF)
        return g->rules[n->rule]->single;
    for (int i = 0; i < n->nkids; i++)
        if (!lexical_node(g, n->kids[i]))
            return 0;
    return 1;
}

static void derive_rule(sampler *S, int ri)
{
    if (S->over)
        return;
    if (S->nb == S->capb) {
        S->capb = S->capb ? S->capb * 2 : 64;
        S->b = xrealloc(S->b, sizeof(bound) * (size_t)S->capb);
    }
    int bi = S->nb++;
    S->b[bi].rule = ri;
    S->b[bi].start = S->out.n;
    rule *r = S->g->rules[ri];
    int spliced = 0;
    if (!r->single && one_in(&S->r, 6) && lexical_node(S->g, r->def)) {
        rule_lits(S, ri);
        if (S->rule_nlits[ri]) {
            const node *l = S->lits[S->rule_lits[ri][below(&S->r, (unsigned)S->rule_nlits[ri])]];
            size_t at = S->out.n;
            emit_literal(S, l->bytes, l->len, l->kind == N_SEQ || l->case_sensitive);
            /* a literal of another rule keeps its case only if this rule
             * does not care: check, and fall back to it as written */
            if (!S->over && memcmp(S->out.p + at, l->bytes, (size_t)l->len) != 0 &&
                !matches(S->g, r->def, S->out.p + at, (size_t)l->len))
                memcpy(S->out.p + at, l->bytes, (size_t)l->len);
            spliced = 1;
        }
    }
    if (!spliced)
        derive(S, r->def);
    S->b[bi].end = S->out.n;
}

static void derive(sampler *S, const node *n)
{
    if (S->over)
        return;
    switch (n->kind) {
    case N_ALT:
        derive(S, n->kids[pick_branch(S, n)]);
        break;
    case N_CAT:
        for (int i = 0; i < n->nkids; i++)
            derive(S, n->kids[i]);
        break;
    case N_REP: {
        int k = rep_count(S, n);
        for (int i = 0; i < k && !S->over; i++)
            derive(S, n->kids[0]);
        break;
    }
    case N_REF:
        derive_rule(S, n->rule);
        break;
    case N_STR:
        emit_literal(S, n->bytes, n->len, n->case_sensitive);
        break;
    case N_SEQ:
        emit(S, n->bytes, (size_t)n->len);
        break;
    case N_RANGE: {
        /* the edges of a range now and then: that is where machines differ */
        unsigned x = below(&S->r, 8);
        unsigned char c = (unsigned char)(x == 0   ? n->lo
                                          : x == 1 ? n->hi
                                                   : n->lo + below(&S->r, n->hi - n->lo + 1));
        emit(S, &c, 1);
        break;
    }
    }
}

/* One derivation of the root into S->out (bounds in S->b); 0 when none fit
 * in SAMPLE_LIMIT bytes even with the shortest repetitions. */
static int derive_sample(sampler *S)
{
    S->calm = one_in(&S->r, 2);
    S->swarm = one_in(&S->r, 3) ? 0 : rng_next(&S->r) | 1;
    for (int attempt = 0; attempt < 40; attempt++) {
        S->level = attempt < 9 ? 3 - attempt / 3 : 0;
        S->over = 0;
        S->out.n = 0;
        S->nb = 1;
        S->b[0].rule = -1;
        S->b[0].start = 0;
        derive(S, S->root);
        S->b[0].end = S->out.n;
        if (!S->over)
            return 1;
    }
    return 0;
}

/* ---- near-misses ------------------------------------------------------------ */


/* Bytes that break most places of these grammars: the quoting and list
 * punctuation, whitespace and line ends, NUL, DEL, and bytes above ASCII. */
static const unsigned char unlikely[] = {'"', '\\', ',', '=', ';', ' ', '\t', '\r', '\n',
                                         0x00, 0x7F, 0x80, 0xFF};

/* One mutation of the sample in S->out at a rule boundary, into *m. */
static void mutate(sampler *S, bytes *m)
{
    const bound *b = &S->b[below(&S->r, (unsigned)S->nb)];
    int at_start = one_in(&S->r, 2);
    size_t p = at_start ? b->start : b->end, n = S->out.n;
    const unsigned char *s = S->out.p;
    unsigned op = below(&S->r, 7);
    if (n == 0)
        op = 5; /* nothing to delete, duplicate or swap */
    if (op == 4 && (p == 0 || p == n || s[p - 1] == s[p]))
        op = 5; /* a swap needs two different neighbours */
    bytes_set(m, s, 0);
    switch (op) {
    case 0: /* delete the byte before (or at the start: after) */
    case 1: /* delete the byte after (or at the end: before) */
        if ((op == 0 && p > 0) || p == n)
            p--;
        bytes_put(m, s, p);
        bytes_put(m, s + p + 1, n - p - 1);
        break;
    case 2: /* duplicate the byte before or after */
    case 3:
        if ((op == 2 && p > 0) || p == n)
            p--;
        bytes_put(m, s, p + 1);
        bytes_put(m, s + p, n - p);
        break;
    case 4: { /* swap the two bytes around the boundary */
        bytes_put(m, s, n);
        unsigned char t = m->p[p - 1];
        m->p[p - 1] = m->p[p];
        m->p[p] = t;
        break;
    }
    default: { /* insert a byte the following rule cannot start with, or an
                  unlikely one */
        unsigned char c = unlikely[below(&S->r, sizeof unlikely)];
        if (op == 6 && at_start) {
            unsigned char first[32] = {0};
            node ref;
            memset(&ref, 0, sizeof ref);
            ref.kind = N_REF;
            ref.rule = b->rule;
            node_first(S->g, b->rule >= 0 ? &ref : S->root, first, &S->first);
            unsigned outside = 0;
            for (unsigned x = 0; x < 256; x++)
                outside += !set_has(first, x);
            if (outside) {
                unsigned k = below(&S->r, outside);
                for (unsigned x = 0; x < 256; x++)
                    if (!set_has(first, x) && k-- == 0) {
                        c = (unsigned char)x;
                        break;
                    }
            }
        }
        bytes_put(m, s, p);
        bytes_put(m, &c, 1);
        bytes_put(m, s + p, n - p);
        break;
    }
    }
}

/* A near-miss into *m: a mutation the matcher refuses, if one is found in
 * a few tries (else the last one; a near-miss may be valid). */
static int near_miss(sampler *S, bytes *m)
{
    for (int base = 0; base < 8; base++) {
        if (!derive_sample(S))
            return 0;
        for (int t = 0; t < 8; t++) {
            mutate(S, m);
            if (!matches(S->g, S->root, m->p, m->n))
                return 1;
        }
    }
    return 1;
}

/* ---- output ----------------------------------------------------------------- */

/* One line of --list: printable ASCII as is (but a last SP), \\ \n \r \t,
 * others \xNN. */
static void put_escaped(FILE *f, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c == '\\')
            fputs("\\\\", f);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\r')
            fputs("\\r", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c == ' ' && i + 1 == n)
            fputs("\\x20", f); /* no line ends in a blank */
        else if (c >= 0x20 && c < 0x7F)
            fputc((int)c, f);
        else
            fprintf(f, "\\x%02X", c);
    }
}

static int write_sample(const char *dir, const char *name, const char *kind, unsigned k,
                        const unsigned char *s, size_t n)
{
    size_t cap = strlen(dir) + strlen(name) + 32;
    char *path = xmalloc(cap);
    snprintf(path, cap, "%s/%s-%s-%04u", dir, name, kind, k);
    FILE *f = fopen(path, "wb");
    int bad = !f || (n && fwrite(s, 1, n, f) != n);
    if (f && fclose(f) != 0)
        bad = 1;
    if (bad)
        fprintf(stderr, "authgram-gen: cannot write '%s': %s\n", path, strerror(errno));
    free(path);
    return bad ? 2 : 0;
}

/* ---- the command ------------------------------------------------------------ */

static int parse_count(const char *s, unsigned *out)
{
    unsigned long v = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > MAX_COUNT)
            return 0;
    }
    *out = (unsigned)v;
    return 1;
}

/* decimal, or hexadecimal after 0x */
static int parse_seed(const char *s, uint64_t *out)
{
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *p = hex ? s + 2 : s;
    uint64_t v = 0;
    if (!*p)
        return 0;
    for (; *p; p++) {
        int d = *p >= '0' && *p <= '9'   ? *p - '0'
                : hex && ascii_lower(*p) >= 'a' && ascii_lower(*p) <= 'f' ? ascii_lower(*p) - 'a' + 10
                                                                        : -1;
        if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / (hex ? 16u : 10u))
            return 0;
        v = v * (hex ? 16u : 10u) + (uint64_t)d;
    }
    *out = v;
    return 1;
}

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return 0;
    return *a == *b;
}

int sample_command(grammar *g, int argc, char **argv, int (*load)(grammar *, int, char **))
{
    char *pos[5];
    int npos = 0, list = 0;
    unsigned count = 0, near = 0;
    uint64_t seed = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--list"))
            list = 1;
        else if (!strcmp(argv[i], "--near-miss")) {
            if (i + 1 == argc || !parse_count(argv[++i], &near)) {
                fprintf(stderr, "authgram-gen: sample: --near-miss needs a count (0 to %d)\n",
                        MAX_COUNT);
                return 2;
            }
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "authgram-gen: sample: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (npos < 5)
            pos[npos++] = argv[i];
        else
            npos++;
    }
    if (npos != (list ? 4 : 5)) {
        fputs(list ? "authgram-gen: sample --list takes TAGS NAME COUNT SEED (no OUTDIR)\n"
                   : "authgram-gen: sample takes TAGS NAME COUNT SEED OUTDIR (or --list)\n",
              stderr);
        return 2;
    }
    if (!parse_count(pos[2], &count)) {
        fprintf(stderr, "authgram-gen: sample: bad count '%s' (0 to %d)\n", pos[2], MAX_COUNT);
        return 2;
    }
    if (!parse_seed(pos[3], &seed)) {
        fprintf(stderr, "authgram-gen: sample: bad seed '%s' (a 64-bit number, decimal or 0x hex)\n",
                pos[3]);
        return 2;
    }
    int rc = load(g, 1, pos);
    if (rc)
        return rc;

    /* the entry points first, then the rules */
    sampler S;
    memset(&S, 0, sizeof S);
    S.g = g;
    const char *name = NULL;
    for (int i = 0; i < g->nentries && !name; i++)
        if (ascii_ieq(g->entries[i]->name, pos[1])) {
            name = g->entries[i]->name;
            S.root = g->entries[i]->def;
        }
    if (!name) {
        rule *r = grammar_find(g, pos[1]);
        if (!r) {
            fprintf(stderr, "authgram-gen: sample: '%s' is neither an entry point nor a rule of %s\n",
                    pos[1], pos[0]);
            return 2;
        }
        name = r->name;
        S.root = r->def;
    }
    const char *dir = list ? NULL : pos[4];
    if (dir) {
        struct stat st;
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "authgram-gen: sample: cannot create '%s': %s\n", dir, strerror(errno));
            return 2;
        }
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "authgram-gen: sample: '%s' is not a directory\n", dir);
            return 2;
        }
    }

    int nswarmed = 0;
    for (int i = 0; i < g->nrules; i++) {
        collect_lits(&S, g->rules[i]->def);
        nswarmed += count_swarmed(g->rules[i]->def);
    }
    for (int i = 0; i < g->nentries; i++)
        nswarmed += count_swarmed(g->entries[i]->def);
    for (S.rankcap = 64; S.rankcap < 2 * nswarmed; S.rankcap *= 2)
        ;
    S.ranks = xmalloc(sizeof *S.ranks * (size_t)S.rankcap);
    for (int i = 0; i < g->nrules; i++)
        rank_nodes(&S, g->rules[i]->def);
    for (int i = 0; i < g->nentries; i++)
        rank_nodes(&S, g->entries[i]->def);
    S.rule_lits = xmalloc(sizeof(int *) * (size_t)g->nrules);
    S.rule_nlits = xmalloc(sizeof(int) * (size_t)g->nrules);
    S.first.set = xmalloc(32 * (size_t)g->nrules);
    S.first.done = xmalloc((size_t)g->nrules);
    S.all.set = xmalloc(32 * (size_t)g->nrules);
    S.all.done = xmalloc((size_t)g->nrules);
    S.capb = 64;
    S.b = xmalloc(sizeof(bound) * (size_t)S.capb);

    bytes m = {0};
    for (unsigned kind = 0; kind < 2; kind++) {
        unsigned n = kind ? near : count;
        for (unsigned k = 0; k < n; k++) {
            rng_seed(&S.r, seed, kind, k);
            const bytes *out = &S.out;
            if (!(kind ? near_miss(&S, &m) : derive_sample(&S))) {
                fprintf(stderr, "authgram-gen: sample: no derivation of '%s' fits in %d bytes\n",
                        name, SAMPLE_LIMIT);
                return 1;
            }
            if (kind)
                out = &m;
            else if (!matches(g, S.root, S.out.p, S.out.n)) {
                /* the sampler and the matcher read the AST differently */
                fprintf(stderr, "authgram-gen: sample: internal error: sample %u of '%s' is not "
                                "matched by its own grammar\n", k, name);
                return 2;
            }
            if (list) {
                fputs(kind ? "near " : "ok ", stdout);
                put_escaped(stdout, out->p, out->n);
                fputc('\n', stdout);
            } else if ((rc = write_sample(dir, name, kind ? "near" : "ok", k, out->p, out->n)) != 0)
                return rc;
        }
    }
    if (list && (fflush(stdout) != 0 || ferror(stdout))) {
        fprintf(stderr, "authgram-gen: sample: cannot write the list: %s\n", strerror(errno));
        return 2;
    }
    return 0;
}
