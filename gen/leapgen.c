/* SPDX-License-Identifier: MIT */
/* authgram-leapgen: the leap tables of one profile's compiled machines
 * (src/leap.h), found by running the machines themselves over every byte.
 *
 *   authgram-leapgen OUT.c
 *
 * Built per profile and per grammar directory (cmake/AuthgramGen.cmake
 * does it) from the profile's plain recognizers (<profile>_recog_plain_K.c)
 * and its capture machine compiled with AG_PROBE (every action then only
 * says that it fired).  Macros: AG_LG_PROFILE (sip, http), AG_LG_PLAIN (the
 * ag_gen_plain table), AG_LG_NENTRIES, AG_LG_PROBE / AG_LG_STARTS (the
 * capture machine's step and entry states).
 *
 * For each state reachable from an entry: the printable bytes (%x21-7E)
 * are grouped by the state they lead to, counting only transitions without
 * an action; the largest group is the state's class, kept if it fits in
 * AG_LEAP_RANGES ranges.  Its chain follows the states the class leads
 * through while every byte of the class still leads to one same state
 * without an action, until a state repeats (a cycle: any run length) or
 * does not (the end: the most bytes one leap may cross). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR_(a) #a
#define STR(a) STR_(a)
#define AG_LG_HEADER_STR STR(AG_LG_HEADER)

#include "capture.h"
#include AG_LG_HEADER_STR



enum { LO = 0x21, HI = 0x7e, MAX_CHAIN = 4096 };

typedef struct machine {
    const ag_gen_plain *plain; /* or the capture probe */
    int starts[8], nstarts;
} machine;

typedef struct row {
    int to[256];
    unsigned char fired[256];
} row;

/* everything found for one machine */
typedef struct found {
    int nstates;
    unsigned char *cls;
    unsigned *at;
    unsigned short *tail, *cycle;
    int *chain;
    size_t nchain;
} found;

/* a class as found: its ranges and bitmap (emitted as an ag_leap_class) */
typedef struct klass {
    unsigned char lo[AG_LEAP_RANGES], hi[AG_LEAP_RANGES];
    int nranges;
    unsigned char bits[32];
} klass;

static klass classes[255];
static int nclasses;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "authgram-leapgen: out of memory\n");
        exit(2);
    }
    return p;
}

/* The state after b from s; *other: a second state b may lead to (the
 * capture machine runs header lines and values, which differ where a line's
 * end may begin; the probe then says an action fired), or 0. */
static int step(const machine *m, int s, unsigned char b, int *fired, int *other)
{
    *fired = 0;
    *other = 0;
    if (m->plain) {
        const unsigned char *stop;
        return m->plain->run(s, &b, &b + 1, &stop);
    }
    return AG_LG_PROBE(s, b, fired, other);
}

static int set_has(const unsigned char *bits, int b) { return (bits[b >> 3] >> (b & 7)) & 1; }

/* the ranges of a set; -1 when there are more than AG_LEAP_RANGES */
static int ranges_of(const unsigned char *bits, unsigned char *lo, unsigned char *hi)
{
    int n = 0;
    for (int b = 0; b < 256; b++) {
        if (!set_has(bits, b) || (b > 0 && set_has(bits, b - 1)))
            continue;
        int e = b;
        while (e < 255 && set_has(bits, e + 1))
            e++;
        if (n == AG_LEAP_RANGES)
            return -1;
        lo[n] = (unsigned char)b;
        hi[n] = (unsigned char)e;
        n++;
    }
    return n;
}

static int class_index(const unsigned char *bits)
{
    for (int i = 0; i < nclasses; i++)
        if (!memcmp(classes[i].bits, bits, 32))
            return i;
    if (nclasses == 255)
        return -1;
    klass *c = &classes[nclasses];
    memset(c, 0, sizeof *c);
    memcpy(c->bits, bits, 32);
    c->nranges = ranges_of(bits, c->lo, c->hi);
    if (c->nranges < 0)
        return -1;
    return nclasses++;
}

/* the one state every byte of the class leads r to without an action; 0 if none */
static int uniform(const row *r, const unsigned char *bits)
{
    int to = -1;
    for (int b = LO; b <= HI; b++) {
        if (!set_has(bits, b))
            continue;
        if (r->fired[b] || r->to[b] == 0 || (to >= 0 && r->to[b] != to))
            return 0;
        to = r->to[b];
    }
    return to > 0 ? to : 0;
}

static found analyse(const machine *m)
{
    /* the states reachable from the entries, breadth first; rows and the
     * queue are indexed by state number and grow with it */
    int cap = 1024, n = 0, max = 0;
    for (int i = 0; i < m->nstarts; i++) /* room for every start state */
        while (m->starts[i] >= cap && cap < (1 << 24))
            cap *= 2;
    int *queue = xcalloc((size_t)cap, sizeof *queue);
    row **rows = xcalloc((size_t)cap, sizeof *rows);
    unsigned char *seen = xcalloc((size_t)cap, 1);
    for (int i = 0; i < m->nstarts; i++) {
        int s = m->starts[i];
        if (s <= 0 || s >= cap) { /* cap was made to hold every start */
            fprintf(stderr, "authgram-leapgen: start state %d out of range\n", s);
            exit(2);
        }
        if (!seen[s]) {
            seen[s] = 1;
            queue[n++] = s;
        }
    }
    for (int h = 0; h < n; h++) {
        int s = queue[h];
        row *r = xcalloc(1, sizeof *r);
        for (int b = 0; b < 256; b++) {
            int fired, other;
            int t = step(m, s, (unsigned char)b, &fired, &other);
            r->to[b] = t;
            r->fired[b] = (unsigned char)fired;
            for (int k = 0; k < 2; k++, t = other) { /* both states b leads to */
                if (t <= 0)
                    continue;
                if (t >= cap) {
                    int ncap = cap * 2 > t + 1 ? cap * 2 : t + 1;
                    queue = realloc(queue, (size_t)ncap * sizeof *queue);
                    rows = realloc(rows, (size_t)ncap * sizeof *rows);
                    seen = realloc(seen, (size_t)ncap);
                    if (!queue || !rows || !seen) {
                        fprintf(stderr, "authgram-leapgen: out of memory\n");
                        exit(2);
                    }
                    memset(rows + cap, 0, (size_t)(ncap - cap) * sizeof *rows);
                    memset(seen + cap, 0, (size_t)(ncap - cap));
                    cap = ncap;
                }
                if (!seen[t]) {
                    seen[t] = 1;
                    queue[n++] = t;
                    if (t > max)
                        max = t;
                }
            }
        }
        rows[s] = r;
        if (s > max)
            max = s;
    }
    free(seen);

    found f;
    memset(&f, 0, sizeof f);
    f.nstates = max + 1;
    f.cls = xcalloc((size_t)f.nstates, 1);
    f.at = xcalloc((size_t)f.nstates, sizeof *f.at);
    f.tail = xcalloc((size_t)f.nstates, sizeof *f.tail);
    f.cycle = xcalloc((size_t)f.nstates, sizeof *f.cycle);
    size_t ccap = 4096;
    f.chain = xcalloc(ccap, sizeof *f.chain);
    int *path = xcalloc(MAX_CHAIN + 1, sizeof *path);

    for (int s = 1; s < f.nstates; s++) {
        const row *r = s < cap ? rows[s] : NULL;
        if (!r)
            continue;
        /* the largest group of printable bytes with one target, no action */
        int best = 0, best_to = 0;
        for (int b = LO; b <= HI; b++) {
            int t = r->to[b];
            if (t <= 0 || r->fired[b])
                continue;
            int size = 0;
            for (int x = LO; x <= HI; x++)
                size += r->to[x] == t && !r->fired[x];
            if (size > best) {
                best = size;
                best_to = t;
            }
        }
        if (best < 2)
            continue;
        unsigned char bits[32] = {0};
        for (int x = LO; x <= HI; x++)
            if (r->to[x] == best_to && !r->fired[x])
                bits[x >> 3] |= (unsigned char)(1u << (x & 7));
        /* the chain */
        int len = 0, tail = 0, cycle = 0;
        path[len++] = s;
        for (;;) {
            int cur = path[len - 1];
            const row *cr = cur < cap ? rows[cur] : NULL;
            int to = cr ? uniform(cr, bits) : 0;
            if (!to) { /* the chain ends here */
                tail = len - 1;
                break;
            }
            int j = -1;
            for (int k = 0; k < len && j < 0; k++)
                if (path[k] == to)
                    j = k;
            if (j >= 0) {
                tail = j;
                cycle = len - j;
                break;
            }
            if (len == MAX_CHAIN) {
                tail = len - 1;
                break;
            }
            path[len++] = to;
        }
        if (!cycle && tail < 4)
            continue; /* too short to be worth a leap */
        int ci = class_index(bits);
        if (ci < 0)
            continue;
        if (f.nchain + (size_t)len > ccap) {
            while (f.nchain + (size_t)len > ccap)
                ccap *= 2;
            f.chain = realloc(f.chain, ccap * sizeof *f.chain);
            if (!f.chain) {
                fprintf(stderr, "authgram-leapgen: out of memory\n");
                exit(2);
            }
        }
        f.cls[s] = (unsigned char)(ci + 1);
        f.at[s] = (unsigned)f.nchain;
        f.tail[s] = (unsigned short)tail;
        f.cycle[s] = (unsigned short)cycle;
        memcpy(f.chain + f.nchain, path, (size_t)len * sizeof *path);
        f.nchain += (size_t)len;
    }
    for (int s = 0; s < cap; s++)
        free(rows[s]);
    free(rows);
    free(queue);
    free(path);
    return f;
}

static void found_free(found *f)
{
    free(f->cls);
    free(f->at);
    free(f->tail);
    free(f->cycle);
    free(f->chain);
}

static void emit_vector(FILE *out, unsigned v)
{
    fputs("{", out);
    for (int k = 0; k < 16; k++)
        fprintf(out, "%s0x%02x", k ? "," : "", v & 0xffu);
    fputs("}", out);
}

static void emit_class(FILE *out, const klass *c)
{
    fprintf(out, "{%d, {", c->nranges);
    for (int i = 0; i < AG_LEAP_RANGES; i++) {
        fputs(i ? "," : "", out);
        emit_vector(out, i < c->nranges ? 0x80u - c->lo[i] : 0);
    }
    fputs("}, {", out);
    for (int i = 0; i < AG_LEAP_RANGES; i++) {
        fputs(i ? "," : "", out);
        emit_vector(out, i < c->nranges ? ((unsigned)(c->hi[i] - c->lo[i] + 1) ^ 0x80u) : 0);
    }
    fputs("}, {", out);
    for (int i = 0; i < 32; i++)
        fprintf(out, "%s0x%02x", i ? "," : "", c->bits[i]);
    fputs("}}", out);
}

/* static const TYPE NAME_ix[n] = { values }; v(k) gives value k */
static void emit_array(FILE *out, const char *type, const char *name, int ix, size_t n, long (*v)(const found *, size_t),
                       const found *f)
{
    fprintf(out, "static const %s %s_%d[%zu] = {", type, name, ix, n ? n : 1);
    for (size_t k = 0; k < n; k++)
        fprintf(out, "%s%s%ld", k ? "," : "", k % 16 ? "" : "\n    ", v(f, k));
    fputs(n ? "\n};\n" : "0};\n", out);
}

static long v_cls(const found *f, size_t k) { return f->cls[k]; }
static long v_at(const found *f, size_t k) { return (long)f->at[k]; }
static long v_tail(const found *f, size_t k) { return f->tail[k]; }
static long v_cycle(const found *f, size_t k) { return f->cycle[k]; }
static long v_chain(const found *f, size_t k) { return f->chain[k]; }

static void emit_table(FILE *out, const found *f, int ix)
{
    size_t n = (size_t)f->nstates;
    emit_array(out, "unsigned char", "cls", ix, n, v_cls, f);
    emit_array(out, "unsigned", "at", ix, n, v_at, f);
    emit_array(out, "unsigned short", "tail", ix, n, v_tail, f);
    emit_array(out, "unsigned short", "cycle", ix, n, v_cycle, f);
    emit_array(out, "int", "chain", ix, f->nchain, v_chain, f);
}

static void emit_ref(FILE *out, const found *f, int ix)
{
    fprintf(out, "    {%d, cls_%d, at_%d, tail_%d, cycle_%d, chain_%d, classes}", f->nstates, ix, ix, ix, ix, ix);
}

/* Does the plain machine of entry e accept [s, s+n) whole? */
static int accepts(int e, const unsigned char *s, size_t n)
{
    const ag_gen_plain *m = AG_LG_PLAIN[e];
    const unsigned char *stop;
    int cs = m->run(*m->start, s, s + n, &stop);
    return cs >= *m->first_final && stop == s + n;
}

/* How the serializer writes each ASCII byte inside a quoted value
 * (ag_quote_class, src/internal.h), asked of the grammar's own auth-param
 * machine: as itself when name="b" is an auth-param (qdtext), as a
 * quoted-pair when only name="\b" is, else not at all.  Bytes >= 0x80 are
 * judged by the machines as sequences (UTF8-NONASCII, obs-text). */
static void emit_quote_class(FILE *out, const char *P)
{
    fprintf(out, "\nconst unsigned char ag_%s_quote_class[128] = {", P);
    for (int b = 0; b < 128; b++) {
        unsigned char bare[] = {'x', '=', '"', (unsigned char)b, '"'};
        unsigned char pair[] = {'x', '=', '"', '\\', (unsigned char)b, '"'};
        int v = accepts(AG_LG_AUTH_PARAM, bare, sizeof bare)   ? 0
                : accepts(AG_LG_AUTH_PARAM, pair, sizeof pair) ? 1
                                                               : 2;
        fprintf(out, "%s%d", !b ? "\n    " : b % 32 ? "," : ",\n    ", v);
    }
    fputs("};\n", out);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: authgram-leapgen OUT.c\n");
        return 2;
    }
    int nentries = AG_LG_NENTRIES;
    found *plain = xcalloc((size_t)nentries, sizeof *plain);
    for (int e = 0; e < nentries; e++) {
        machine m;
        memset(&m, 0, sizeof m);
        m.plain = AG_LG_PLAIN[e];
        m.starts[0] = *m.plain->start;
        m.nstarts = 1;
        plain[e] = analyse(&m);
    }
    machine cm;
    memset(&cm, 0, sizeof cm);
    cm.nstarts = AG_LG_STARTS(cm.starts);
    found capture = analyse(&cm);

    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 2;
    }
    const char *P = STR(AG_LG_PROFILE);
    fprintf(out, "/* Generated by authgram-leapgen from the %s machines. Do not edit. */\n"
                 "#include \"internal.h\"\n\n", P);
    for (int e = 0; e < nentries; e++)
        emit_table(out, &plain[e], e);
    emit_table(out, &capture, nentries);
    fprintf(out, "\nstatic const ag_leap_class classes[%d] = {\n", nclasses ? nclasses : 1);
    for (int i = 0; i < nclasses; i++) {
        fputs("    ", out);
        emit_class(out, &classes[i]);
        fputs(",\n", out);
    }
    if (!nclasses)
        fputs("    {0, {{0}}, {{0}}, {0}},\n", out);
    fprintf(out, "};\n\nconst ag_leap_table ag_%s_plain_leap[%d] = {\n", P, nentries);
    for (int e = 0; e < nentries; e++) {
        emit_ref(out, &plain[e], e);
        fputs(",\n", out);
    }
    fprintf(out, "};\n\nconst ag_leap_table ag_%s_capture_leap =\n", P);
    emit_ref(out, &capture, nentries);
    fputs(";\n", out);
    emit_quote_class(out, P);
    for (int e = 0; e < nentries; e++)
        found_free(&plain[e]);
    free(plain);
    found_free(&capture);
    if (fclose(out)) {
        perror(argv[1]);
        return 2;
    }
    return 0;
}
