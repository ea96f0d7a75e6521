/* SPDX-License-Identifier: MIT */
/* The contenders of authgram-bench: ours (parse, parse + checks, serialize,
 * build), the floor and the bound, and each peer found at build time
 * (BENCH_HAVE_* from bench/CMakeLists.txt; bench/peer_*.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "authgram.h"
#include "bench.h"
#include "internal.h"
#include "ag_sip_grammar.h"

/* ---- ours ------------------------------------------------------------------------ */

/* value i into c over st; 0 when it conforms */
static int parse_i(size_t i, ag_challenge *c, ag_challenge_storage *st)
{
    ag_challenge_init(c, st);
    return ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, corpus[i].v, corpus[i].n, c, NULL) == AG_OK ? 0 : -1;
}

static long ag_parse_op(size_t i)
{
    ag_challenge_storage st;
    ag_challenge c;
    if (parse_i(i, &c, &st))
        return -1;
    bench_sink += c.param_count + c.realm.len + c.qop_count;
    return (long)corpus[i].n;
}

static long ag_check_op(size_t i)
{
    ag_challenge_storage st;
    ag_challenge c;
    if (parse_i(i, &c, &st))
        return -1;
    ag_warning w[16];
    bench_sink += ag_check(&c, w, 16) + c.param_count;
    return (long)corpus[i].n;
}

/* parsed once, written many times */
static ag_challenge_storage *pre_st;
static ag_challenge *pre;

static int ag_preparse(void)
{
    pre_st = calloc(ncorpus, sizeof *pre_st);
    pre = calloc(ncorpus, sizeof *pre);
    if (!pre_st || !pre)
        return -1;
    for (size_t i = 0; i < ncorpus; i++) {
        if (parse_i(i, &pre[i], &pre_st[i])) {
            fprintf(stderr, "authgram-bench: corpus value %zu does not conform: %s\n", i + 1, corpus[i].v);
            return -1;
        }
    }
    return 0;
}

static char out[8192];

static long ag_serialize_op(size_t i)
{
    size_t len;
    if (ag_serialize(&pre[i], AG_FORM_VALUE, out, sizeof out, &len, NULL) != AG_OK)
        return -1;
    bench_sink += (unsigned char)out[len / 2];
    return (long)len;
}

/* The builder is given unescaped fields, as an application holds them. */
typedef struct bfield {
    ag_param_kind kind;
    const char *name, *value; /* NUL-terminated copies */
    size_t name_len, value_len;
    int quoted;
} bfield;

typedef struct bvalue {
    const char *scheme;
    size_t scheme_len, nf;
    bfield *f;
} bvalue;

static bvalue *bv;

static char *dup_span(ag_span s, size_t *len)
{
    char *d = malloc(s.len + 1);
    if (d) {
        memcpy(d, s.ptr, s.len);
        d[s.len] = 0;
    }
    *len = s.len;
    return d;
}

static int ag_build_setup(void)
{
    if (!pre && ag_preparse() != 0)
        return -1;
    bv = calloc(ncorpus, sizeof *bv);
    if (!bv)
        return -1;
    for (size_t i = 0; i < ncorpus; i++) {
        const ag_challenge *c = &pre[i];
        bv[i].scheme = dup_span(c->scheme, &bv[i].scheme_len);
        bv[i].f = calloc(c->param_count + 1, sizeof *bv[i].f);
        if (!bv[i].f)
            return -1;
        for (size_t k = 0; k < c->param_count; k++) {
            const ag_param *p = &c->params[k];
            bfield *f = &bv[i].f[bv[i].nf++];
            f->kind = p->kind;
            f->quoted = p->quoted;
            f->name = dup_span(p->name, &f->name_len);
            char *v = malloc(p->value.len + 1);
            if (!v)
                return -1;
            f->value_len = p->quoted ? ag_unescape(p->value, v, p->value.len) : p->value.len;
            if (!p->quoted)
                memcpy(v, p->value.ptr, p->value.len);
            v[f->value_len] = 0;
            f->value = v;
        }
    }
    return 0;
}

/* a list's values (qop: ",", domain: SP), each given to the setter */
static void each_item(ag_builder *B, const bfield *f, char sep,
                      ag_status (*set)(ag_builder *, const char *, size_t))
{
    const char *s = f->value, *e = f->value + f->value_len;
    while (s < e) {
        const char *end = memchr(s, sep, (size_t)(e - s));
        if (!end)
            end = e;
        set(B, s, (size_t)(end - s));
        s = end + 1;
    }
}

static long ag_build_op(size_t i)
{
    const bvalue *b = &bv[i];
    ag_builder B;
    ag_builder_init(&B);
    ag_builder_challenge(&B, b->scheme, b->scheme_len);
    for (size_t k = 0; k < b->nf; k++) {
        const bfield *f = &b->f[k];
        switch (f->kind) {
        case AG_PARAM_REALM: ag_builder_realm(&B, f->value, f->value_len); break;
        case AG_PARAM_NONCE: ag_builder_nonce(&B, f->value, f->value_len); break;
        case AG_PARAM_OPAQUE: ag_builder_opaque(&B, f->value, f->value_len); break;
        case AG_PARAM_ALGORITHM: ag_builder_algorithm(&B, f->value, f->value_len); break;
        case AG_PARAM_STALE:
            ag_builder_stale(&B, (f->value[0] | 0x20) == 't' ? AG_STALE_TRUE : AG_STALE_FALSE);
            break;
        case AG_PARAM_QOP: each_item(&B, f, ',', ag_builder_qop); break;
        case AG_PARAM_DOMAIN: each_item(&B, f, ' ', ag_builder_domain); break;
        default:
            /* Basic's realm is an auth-param of other-challenge; the builder
             * takes it through its realm setter like Digest's */
            if (f->name_len == 5 && !strncasecmp(f->name, "realm", 5))
                ag_builder_realm(&B, f->value, f->value_len);
            else
                ag_builder_param(&B, f->name, f->name_len, f->value, f->value_len, f->quoted);
        }
    }
    size_t len;
    if (ag_builder_finish(&B, AG_FORM_VALUE, out, sizeof out, &len, NULL) != AG_OK)
        return -1;
    bench_sink += (unsigned char)out[len / 2];
    return (long)len;
}

/* the floor: the action-less Ragel -G2 machine of the same entry, run
 * directly over every byte (no leaping: src/leap.h) */
static long floor_op(size_t i)
{
    const ag_gen_plain *m = ag_sip_grammar.plain[AG_SIP_ENTRY_VALUE];
    const unsigned char *v = (const unsigned char *)corpus[i].v, *stop;
    int cs = m->run(*m->start, v, v + corpus[i].n, &stop);
    if (cs == 0 || cs < *m->first_final)
        return -1;
    bench_sink += 1;
    return (long)corpus[i].n;
}

/* the bound: one memchr pass over the same bytes (a byte that is never there) */
static long memchr_op(size_t i)
{
    bench_sink += memchr(corpus[i].v, 0x01, corpus[i].n) != NULL;
    return (long)corpus[i].n;
}





static const bench_op ours_read[] = {
    {"authgram parse", BENCH_READ, 1, ag_preparse, ag_parse_op},
    {"authgram parse+check", BENCH_READ, 0, NULL, ag_check_op},
    {"ragel floor (recognize)", BENCH_READ, 0, NULL, floor_op},
    {"memchr bound", BENCH_READ, 0, NULL, memchr_op},
};
static const bench_op ours_write[] = {
    {"authgram serialize", BENCH_WRITE, 1, NULL, ag_serialize_op},
    {"authgram build", BENCH_WRITE, 0, ag_build_setup, ag_build_op},
};

/* the peers built in (bench/peer_*.c) */
typedef const bench_op *(*peer_fn)(size_t *n);
static const peer_fn peers[] = {
#ifdef BENCH_HAVE_OSIP2
    bench_peer_osip2,
#endif
#ifdef BENCH_HAVE_SOFIA
    bench_peer_sofia,
#endif
#ifdef BENCH_HAVE_BELLESIP
    bench_peer_belle,
#endif
#ifdef BENCH_HAVE_LIBRE
    bench_peer_libre,
#endif
    NULL};

/* ours first in each kind, then the peers' of that kind */
const bench_op *bench_ops(size_t *n)
{
    static bench_op all[64];
    static size_t nall;
    if (!nall)
        for (int kind = 0; kind < BENCH_KINDS; kind++) {
            const bench_op *o = kind == BENCH_READ ? ours_read : ours_write;
            size_t no = kind == BENCH_READ ? sizeof ours_read / sizeof *ours_read
                                           : sizeof ours_write / sizeof *ours_write;
            for (size_t i = 0; i < no; i++)
                all[nall++] = o[i];
            for (size_t p = 0; peers[p]; p++) {
                size_t np;
                const bench_op *po = peers[p](&np);
                for (size_t i = 0; i < np; i++)
                    if (po[i].kind == kind && nall < sizeof all / sizeof *all)
                        all[nall++] = po[i];
            }
        }
    *n = nall;
    return all;
}

void bench_notes(void)
{
#ifndef BENCH_HAVE_OSIP2
    puts("note: oSIP2 not found at build time (libosip2-dev): skipped");
#endif
#ifndef BENCH_HAVE_SOFIA
    puts("note: sofia-sip not found at build time (libsofia-sip-ua-dev): skipped");
#endif
#ifndef BENCH_HAVE_BELLESIP
    puts("note: belle-sip not found at build time (libbellesip-dev): skipped");
#endif
#ifndef BENCH_HAVE_LIBRE
    puts("note: libre not found at build time (libre-dev): skipped");
#endif
    puts("note: PJSIP is not packaged by Debian: not measured; libre has no challenge writer");
}
