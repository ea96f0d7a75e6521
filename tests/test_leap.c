/* SPDX-License-Identifier: MIT */
/* Leaping (src/leap.h) changes nothing but the speed.
 *
 *   test_leap VECTORDIR
 *
 * Every input of every vector file, a few realistic values, and mutants of
 * them with long runs inserted (a byte repeated, a stretch repeated, runs
 * of base64, qdtext and token bytes: where the tables' chains and cycles
 * are used, and where they end) go through
 *  - every plain machine of both profiles, leaping and byte by byte: the
 *    same final state, and on a refusal the same byte;
 *  - both parsers (value and header), leaping and not: the same status,
 *    the same failing offset, and the same typed view, span for span.
 * And the tables are not empty where the bulk of real challenges is: a
 * long nonce is crossed by leaps in the value machine of each profile, and
 * the capture machines have leaps at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "vec.h"

static const char *vector_dir;

/* ---- inputs ---------------------------------------------------------------- */

typedef struct inputs {
    char **s;
    size_t *len;
    size_t n, cap;
} inputs;

static void add(inputs *in, const char *s, size_t len)
{
    if (in->n == in->cap) {
        in->cap = in->cap ? in->cap * 2 : 256;
        in->s = realloc(in->s, in->cap * sizeof *in->s);
        in->len = realloc(in->len, in->cap * sizeof *in->len);
    }
    in->s[in->n] = malloc(len ? len : 1); /* exact size: ASan sees an overread */
    memcpy(in->s[in->n], s, len);
    in->len[in->n++] = len;
}

static const char *const bases[] = {
    "Digest realm=\"example.org\", nonce=\"awjXc2sI1kd5xb8e9LvrYY/FLnigebu7\", qop=\"auth\"",
    "Digest realm=\"example.org\", nonce=\"awjXdWsI1knFQah1eQ81LqVNplJg7VjTM7FQUYA=\", stale=true, "
    "algorithm=SHA-256",
    "Digest realm=\"atlanta.com\", domain=\"sip:ss1.carrier.com sip:ss2.carrier.com\", "
    "nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE, algorithm=MD5, qop=\"auth,auth-int\"",
    "Digest realm=\"a \\\"quoted\\\" realm\", nonce=\"x-y_z.0123456789!#$%&'()*+,-./:;<=>?@[]^_`{|}~\", "
    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", foo=bar, baz=\"q\"",
    "Digest nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", realm=\"r\\xc3\\xa9alm\", algorithm=AKAv1-MD5",
    "Basic realm=\"WallyWorld\"",
    "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\"",
    "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
    "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", "
    "userhash=true, charset=UTF-8",
    "Basic abcDEF123+/==, Digest realm=\"x\", nonce=\"y\"",
};

/* runs of these classes: base64, qdtext, token, URI bytes */
static const char *const alphabets[] = {
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "abcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=",
};

static unsigned rng = 12345u;
static unsigned rnd(unsigned n)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) % n;
}

/* s with a run of n bytes inserted at position at */
static void mutate(inputs *in, const char *s, size_t len)
{
    static const size_t lengths[] = {15, 16, 17, 31, 33, 64, 129};
    char buf[4096];
    for (size_t at = 0; at < len; at += 1 + rnd(5)) {
        size_t n = lengths[rnd(sizeof lengths / sizeof lengths[0])];
        if (len + n > sizeof buf)
            continue;
        memcpy(buf, s, at);
        int kind = (int)rnd(6);
        for (size_t k = 0; k < n; k++) {
            char c;
            if (kind == 0) /* the byte there, repeated */
                c = s[at];
            else if (kind == 1) /* the stretch from there, repeated */
                c = s[at + k % (len - at)];
            else {
                const char *a = alphabets[kind - 2];
                c = a[rnd((unsigned)strlen(a))];
            }
            buf[at + k] = c;
        }
        memcpy(buf + at + n, s + at, len - at);
        add(in, buf, len + n);
    }
}

static inputs collect(void)
{
    inputs in = {0};
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        add(&in, bases[i], strlen(bases[i]));
        mutate(&in, bases[i], strlen(bases[i]));
    }
    DIR *d = opendir(vector_dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t nl = strlen(e->d_name);
        if (nl < 5 || strcmp(e->d_name + nl - 4, ".vec"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", vector_dir, e->d_name);
        vec_case *cases;
        size_t n = vec_read(path, &cases);
        for (size_t i = 0; i < n; i++) {
            add(&in, cases[i].input, cases[i].input_len);
            if (i % 4 == 0) /* every vector mutated would be slow under valgrind */
                mutate(&in, cases[i].input, cases[i].input_len);
        }
        vec_free(cases, n);
    }
    closedir(d);
    return in;
}

static void release(inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->s[i]);
    free(in->s);
    free(in->len);
}

/* ---- the plain machines ---------------------------------------------------- */

static void plain_same(ag_profile profile, const char *s, size_t len)
{
    const ag_gen_grammar *g = ag_prof_of(profile)->g;
    const unsigned char *b = (const unsigned char *)s;
    for (int e = 0; e < g->nentries; e++) {
        const unsigned char *stop_a = NULL, *stop_b = NULL;
        int a = ag_plain_run(g, e, *g->plain[e]->start, b, b + len, &stop_a, 1);
        int r = ag_plain_run(g, e, *g->plain[e]->start, b, b + len, &stop_b, 0);
        if (a != r || (r == 0 && stop_a != stop_b)) {
            fprintf(stderr, "%s entry %s: leaping ends in state %d at %td, reading in %d at %td: %s\n",
                    g->profile, g->entry_names[e], a, stop_a - b, r, stop_b - b, vec_show(s, len));
            fail();
        }
    }
}

static void test_plain_machines(void **state)
{
    (void)state;
    inputs in = collect();
    for (size_t i = 0; i < in.n; i++) {
        plain_same(AG_PROFILE_SIP, in.s[i], in.len[i]);
        plain_same(AG_PROFILE_HTTP, in.s[i], in.len[i]);
    }
    release(&in);
}

/* ---- the parsers ------------------------------------------------------------- */

enum { NP = 32, NQ = 16, ND = 16, NC = 8 };

static void spans_same(const ag_challenge *a, const ag_challenge *b, const char *s, size_t len)
{
    const ag_span sa[] = {a->scheme, a->realm, a->nonce, a->opaque, a->algorithm_raw, a->token68, a->charset};
    const ag_span sb[] = {b->scheme, b->realm, b->nonce, b->opaque, b->algorithm_raw, b->token68, b->charset};
    int same = a->header == b->header && a->offset == b->offset && a->scheme_id == b->scheme_id &&
               a->algorithm == b->algorithm && a->stale == b->stale && a->userhash == b->userhash &&
               a->param_count == b->param_count && a->qop_count == b->qop_count &&
               a->domain_count == b->domain_count;
    for (size_t k = 0; same && k < sizeof sa / sizeof sa[0]; k++)
        same = sa[k].ptr == sb[k].ptr && sa[k].len == sb[k].len;
    for (size_t k = 0; same && k < a->param_count && k < a->param_cap; k++) {
        const ag_param *p = &a->params[k], *q = &b->params[k];
        same = p->name.ptr == q->name.ptr && p->name.len == q->name.len && p->value.ptr == q->value.ptr &&
               p->value.len == q->value.len && p->offset == q->offset && p->kind == q->kind &&
               p->quoted == q->quoted;
    }
    for (size_t k = 0; same && k < a->qop_count && k < a->qop_cap; k++)
        same = a->qop[k].raw.ptr == b->qop[k].raw.ptr && a->qop[k].raw.len == b->qop[k].raw.len &&
               a->qop[k].qop == b->qop[k].qop;
    for (size_t k = 0; same && k < a->domain_count && k < a->domain_cap; k++)
        same = a->domain[k].ptr == b->domain[k].ptr && a->domain[k].len == b->domain[k].len;
    if (!same) {
        fprintf(stderr, "leaping and reading give different views of %s\n", vec_show(s, len));
        fail();
    }
}

/* One parse's storage: a challenge, and a list sharing its arrays. */
typedef struct store {
    ag_param p[NP];
    ag_qop_value q[NQ];
    ag_span d[ND];
    ag_challenge c, lc[NC];
    ag_challenge_list l;
} store;

static void store_init(store *t)
{
    memset(t, 0, sizeof *t);
    t->c.params = t->l.params = t->p;
    t->c.param_cap = t->l.param_cap = NP;
    t->c.qop = t->l.qop = t->q;
    t->c.qop_cap = t->l.qop_cap = NQ;
    t->c.domain = t->l.domain = t->d;
    t->c.domain_cap = t->l.domain_cap = ND;
    t->l.challenges = t->lc;
    t->l.cap = NC;
}

static void parse_same(int header, const char *s, size_t len)
{
    static store t[2];
    ag_status st[2], lst[2];
    size_t at[2], lat[2];
    /* sip, then http into the same arrays */
    for (int k = 0; k < 2; k++) {
        store_init(&t[k]);
        at[k] = lat[k] = (size_t)-1;
        st[k] = ag_parse_sip_leap(header, s, len, NULL, 0, &t[k].c, NULL, &at[k], k == 0);
    }
    if (st[0] != st[1] || at[0] != at[1]) {
        fprintf(stderr, "sip: leaping %s at %zu, reading %s at %zu: %s\n", ag_status_name(st[0]), at[0],
                ag_status_name(st[1]), at[1], vec_show(s, len));
        fail();
    }
    if (st[0] == AG_OK)
        spans_same(&t[0].c, &t[1].c, s, len);
    for (int k = 0; k < 2; k++)
        lst[k] = ag_parse_http_leap(header, s, len, NULL, 0, &t[k].l, NULL, &lat[k], k == 0);
    if (lst[0] != lst[1] || lat[0] != lat[1] || (lst[0] == AG_OK && t[0].l.count != t[1].l.count)) {
        fprintf(stderr, "http: leaping %s at %zu, reading %s at %zu: %s\n", ag_status_name(lst[0]), lat[0],
                ag_status_name(lst[1]), lat[1], vec_show(s, len));
        fail();
    }
    if (lst[0] == AG_OK)
        for (size_t i = 0; i < t[0].l.count && i < NC; i++)
            spans_same(&t[0].l.challenges[i], &t[1].l.challenges[i], s, len);
}

static void test_parsers(void **state)
{
    (void)state;
    inputs in = collect();
    for (size_t i = 0; i < in.n; i++) {
        parse_same(0, in.s[i], in.len[i]);
        char line[8192];
        static const char name[] = "Proxy-Authenticate: ";
        if (in.len[i] + sizeof name > sizeof line)
            continue;
        memcpy(line, name, sizeof name - 1);
        memcpy(line + sizeof name - 1, in.s[i], in.len[i]);
        char *exact = malloc(in.len[i] + sizeof name - 1);
        memcpy(exact, line, in.len[i] + sizeof name - 1);
        parse_same(1, exact, in.len[i] + sizeof name - 1);
        free(exact);
    }
    release(&in);
}

/* ---- the tables are used --------------------------------------------------- */

static void leaps_over_nonce(ag_profile profile, int entry)
{
    const ag_prof *P = ag_prof_of(profile);
    const ag_gen_grammar *g = P->g;
    /* 96 base64 bytes: the four states of aka-nonce-value in sip */
    static const char v[] = "Digest realm=\"r\", nonce=\"awjXdWsI1knFQah1eQ81LqVNplJg7VjTM7FQUYAawjXdWsI1knFQah1"
                            "eQ81LqVNplJg7VjTM7FQUYAawjXdWsI1knFQah1eQ81LqVN\"";
    const unsigned char *b = (const unsigned char *)v, *stop;
    size_t open = (size_t)(strstr(v, "nonce=\"") - v) + 7, len = sizeof v - 1;
    int cs = ag_plain_run(g, entry, *g->plain[entry]->start, b, b + open, &stop, 0);
    assert_int_not_equal(cs, 0);
    int leapt = cs;
    const unsigned char *q = ag_leap(&g->plain_leap[entry], &leapt, b + open, b + len);
    /* crossed the whole nonce but its closing quote... */
    assert_ptr_equal(q, b + len - 1);
    /* ...into the state the machine reaches reading it */
    int read = ag_plain_run(g, entry, cs, b + open, q, &stop, 0);
    assert_int_equal(leapt, read);
}

static void test_tables_used(void **state)
{
    (void)state;
    leaps_over_nonce(AG_PROFILE_SIP, ag_prof_of(AG_PROFILE_SIP)->e_value);
    leaps_over_nonce(AG_PROFILE_HTTP, ag_prof_of(AG_PROFILE_HTTP)->e_value);
    const ag_leap_table *t[] = {&ag_sip_capture_leap, &ag_http_capture_leap};
    for (size_t k = 0; k < 2; k++) {
        int n = 0;
        for (int s = 1; s < t[k]->nstates; s++)
            n += t[k]->cls[s] != 0;
        assert_true(n > 10);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_leap VECTORDIR\n");
        return 2;
    }
    vector_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_machines),
        cmocka_unit_test(test_parsers),
        cmocka_unit_test(test_tables_used),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
