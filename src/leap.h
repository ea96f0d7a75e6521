/* SPDX-License-Identifier: MIT */
/* Leaping: crossing a run of bytes without running the machine over each.
 * Internal.
 *
 * Most bytes of a challenge are the contents of quoted strings and tokens
 * (nonces, realms, opaque values), where the machine goes from state to
 * state the same way whatever the byte, as long as it stays inside one
 * class: in `nonce` a base64 letter moves the machine one step around the
 * four states that count base64 quanta, whichever letter it is.  For such a
 * state and class the state after L bytes of the class follows from L
 * alone.  authgram-leapgen (gen/leapgen.c) finds these states by running
 * the compiled machines over every byte at build time, so the tables are
 * exact for the machine they were made from (no rule or class is written by
 * hand): a byte leads to the class's common target only if it leads there
 * from that state, with no action, and the chain of states stops where that
 * is no longer true.  The machine itself still reads every byte outside
 * the runs, so it still decides every error and every action.
 *
 * A table is generated per machine (build/gen/<profile>_leap.c). */
#ifndef AG_LEAP_H
#define AG_LEAP_H

#include <stddef.h>

/* A class of bytes: up to AG_LEAP_RANGES ranges [lo, hi] for the vector
 * compare, each as two vectors (bias = 0x80 - lo and lim = (hi - lo + 1) ^
 * 0x80 in every byte: x is in the range when x + bias < lim, signed), and
 * the same set as a bitmap for the bytes left over. */
#define AG_LEAP_RANGES 8
typedef struct ag_leap_class {
    int nranges;
    unsigned char bias[AG_LEAP_RANGES][16], lim[AG_LEAP_RANGES][16];
    unsigned char bits[32];
} ag_leap_class;

/* state s (0 < s < nstates) has a leap when cls[s] != 0: over bytes of
 * classes[cls[s] - 1] the machine goes through chain[at[s] ...]:
 * chain[at[s] + i] is the state after i such bytes for i < tail[s] +
 * cycle[s], and then the last cycle[s] states repeat.  cycle[s] == 0: the
 * chain ends after tail[s] bytes (the state there is chain[at[s] +
 * tail[s]], which treats the class differently). */
typedef struct ag_leap_table {
    int nstates;
    const unsigned char *cls;
    const unsigned *at;
    const unsigned short *tail, *cycle;
    const int *chain;
    const ag_leap_class *classes;
} ag_leap_table;

/* From state *cs at p: crosses the longest run of bytes [p, q) that the
 * table proves, sets *cs to the state at q and returns q (p when there is no
 * run to cross). */
const unsigned char *ag_leap(const ag_leap_table *t, int *cs, const unsigned char *p, const unsigned char *pe);

#if defined(__SSE2__)
#include <emmintrin.h>

/* in, and the bytes of x in range i of c */
static inline __m128i ag_leap_range(__m128i in, __m128i x, const ag_leap_class *c, int i)
{
    __m128i y = _mm_add_epi8(x, _mm_loadu_si128((const __m128i *)(const void *)c->bias[i]));
    return _mm_or_si128(in, _mm_cmplt_epi8(y, _mm_loadu_si128((const __m128i *)(const void *)c->lim[i])));
}

#if defined(__GNUC__) && __GNUC__ >= 7 || defined(__clang__)
#define AG_LEAP_FALLTHROUGH __attribute__((fallthrough))
#else
#define AG_LEAP_FALLTHROUGH
#endif

/* bit i set: p[i] is in the class.  Unrolled: a loop's own count and jump
 * cost about as much as a range. */
static inline unsigned ag_leap_mask16(const ag_leap_class *c, const unsigned char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i in = _mm_setzero_si128();
    _Static_assert(AG_LEAP_RANGES == 8, "one case per range");
    switch (c->nranges) {
    case 8: in = ag_leap_range(in, x, c, 7); AG_LEAP_FALLTHROUGH;
    case 7: in = ag_leap_range(in, x, c, 6); AG_LEAP_FALLTHROUGH;
    case 6: in = ag_leap_range(in, x, c, 5); AG_LEAP_FALLTHROUGH;
    case 5: in = ag_leap_range(in, x, c, 4); AG_LEAP_FALLTHROUGH;
    case 4: in = ag_leap_range(in, x, c, 3); AG_LEAP_FALLTHROUGH;
    case 3: in = ag_leap_range(in, x, c, 2); AG_LEAP_FALLTHROUGH;
    case 2: in = ag_leap_range(in, x, c, 1); AG_LEAP_FALLTHROUGH;
    case 1: in = ag_leap_range(in, x, c, 0); AG_LEAP_FALLTHROUGH;
    default: break;
    }
    return (unsigned)_mm_movemask_epi8(in);
}
#define AG_HAVE_MASK16 1
#endif

static inline int ag_leap_in_class(const ag_leap_class *c, unsigned char b)
{
    return (c->bits[b >> 3] >> (b & 7)) & 1;
}

/* The same from a state known to have a leap (0 < *cs < nstates, cls[*cs]
 * != 0).  Inline where the compiler likes: forced into the capture machines
 * (compiled at -O1) it saved 2% of a parse but cost gcc 90 s more on
 * parse_sip.c, whose data-flow passes then run over thousands of blocks
 * with the vector registers live. */
static inline const unsigned char *ag_leap_at(const ag_leap_table *t, int *cs, const unsigned char *p,
                                              const unsigned char *pe)
{
    int s = *cs;
    const ag_leap_class *c = &t->classes[t->cls[s] - 1];
    size_t tail = t->tail[s], cycle = t->cycle[s];
    size_t max = (size_t)(pe - p);
    if (!cycle && tail < max)
        max = tail;
    size_t n = 0;
#ifdef AG_HAVE_MASK16
    while (max - n >= 16) {
        unsigned m = ag_leap_mask16(c, p + n);
        if (m != 0xFFFFu) {
            n += (size_t)__builtin_ctz(~m);
            goto counted;
        }
        n += 16;
    }
    if (n < max && max >= 16) {
        /* the last bytes: the 16 that end at max, of which the first were
         * counted already */
        unsigned shift = (unsigned)(16 - (max - n));
        unsigned m = ag_leap_mask16(c, p + max - 16) >> shift;
        n += (size_t)__builtin_ctz(~m); /* bit max - n is 0 after the shift */
        goto counted;
    }
#endif
    while (n < max && ag_leap_in_class(c, p[n]))
        n++;
#ifdef AG_HAVE_MASK16
counted:
#endif
    if (!n)
        return p;
    const int *chain = t->chain + t->at[s];
    *cs = !cycle || n < tail + cycle ? chain[n] : chain[tail + (n - tail) % cycle];
    return p + n;
}

/* The machine runs this many bytes between two looks at its state: a
 * look costs a few instructions, and a run is entered this much late on
 * average (16 measured best on bench/corpus.txt: 8, 12, 24 and 32 cost
 * more). */
#define AG_LEAP_CHUNK 16

/* One step of running a machine over [*p, end) from *cs with table t:
 * leaps where t allows (moving *p and *cs), and returns where the machine's
 * next chunk ends: AG_LEAP_CHUNK bytes on, or end.  Run the machine over
 * [*p, that), and step again until it fails or reaches end. */
static inline const unsigned char *ag_leap_step(const ag_leap_table *t, int *cs, const unsigned char **p,
                                                const unsigned char *end)
{
    if (end - *p > AG_LEAP_CHUNK && *cs < t->nstates && t->cls[*cs]) /* (a short leap costs more) */
        *p = ag_leap_at(t, cs, *p, end);
    return end - *p > AG_LEAP_CHUNK ? *p + AG_LEAP_CHUNK : end;
}

/* Runs a machine over [p, pe) from cs, with the same result as exec over
 * the whole range, in ag_leap_steps.  exec runs the machine over [p, pe)
 * (eof: the end of the input when pe is it, else NULL) and returns the new
 * state, 0 on error, *stop the failing byte or pe.  t NULL: exec alone.
 * Inline, so that a constant exec is called directly.  (The capture
 * machines step inside their own function, src/parse_sip.rl: a call per
 * chunk cost them 1% of a parse.) */
typedef int (*ag_leap_exec)(void *ctx, int cs, const unsigned char *p, const unsigned char *pe,
                            const unsigned char *eof, const unsigned char **stop);
static inline int ag_leap_run(const ag_leap_table *t, ag_leap_exec exec, void *ctx, int cs,
                              const unsigned char *p, const unsigned char *pe, const unsigned char *eof,
                              const unsigned char **stop)
{
    if (!t)
        return exec(ctx, cs, p, pe, eof, stop);
    for (;;) {
        const unsigned char *q = ag_leap_step(t, &cs, &p, pe);
        cs = exec(ctx, cs, p, q, q == pe ? eof : NULL, stop);
        if (cs == 0 || q == pe)
            return cs;
        p = q;
    }
}

#endif
