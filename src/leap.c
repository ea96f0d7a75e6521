/* SPDX-License-Identifier: MIT */
/* Leaping over runs of bytes (see leap.h): a vector compare finds how long
 * the run is; the tables say where the machine is after it. */
#include "leap.h"

#if defined(__SSE2__)
#include <emmintrin.h>

/* bit i set: p[i] is in the class */
static unsigned mask16(const ag_leap_class *c, const unsigned char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i in = _mm_setzero_si128();
    for (int i = 0; i < c->nranges; i++) {
        __m128i y = _mm_add_epi8(x, _mm_loadu_si128((const __m128i *)(const void *)c->bias[i]));
        in = _mm_or_si128(in, _mm_cmplt_epi8(y, _mm_loadu_si128((const __m128i *)(const void *)c->lim[i])));
    }
    return (unsigned)_mm_movemask_epi8(in);
}
#define HAVE_MASK16 1
#endif

static int in_class(const ag_leap_class *c, unsigned char b) { return (c->bits[b >> 3] >> (b & 7)) & 1; }

const unsigned char *ag_leap(const ag_leap_table *t, int *cs, const unsigned char *p, const unsigned char *pe)
{
    int s = *cs;
    if (s <= 0 || s >= t->nstates || !t->cls[s])
        return p;
    const ag_leap_class *c = &t->classes[t->cls[s] - 1];
    size_t tail = t->tail[s], cycle = t->cycle[s];
    size_t max = (size_t)(pe - p);
    if (!cycle && tail < max)
        max = tail;
    size_t n = 0;
#ifdef HAVE_MASK16
    while (max - n >= 16) {
        unsigned m = mask16(c, p + n);
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
        unsigned m = mask16(c, p + max - 16) >> shift;
        n += (size_t)__builtin_ctz(~m); /* bit max - n is 0 after the shift */
        goto counted;
    }
#endif
    while (n < max && in_class(c, p[n]))
        n++;
#ifdef HAVE_MASK16
counted:
#endif
    if (!n)
        return p;
    const int *chain = t->chain + t->at[s];
    *cs = !cycle || n < tail + cycle ? chain[n] : chain[tail + (n - tail) % cycle];
    return p + n;
}

