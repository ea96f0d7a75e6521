/* SPDX-License-Identifier: MIT */
/* What the capture actions of every profile share: the parse state and the
 * commit of a parameter into the typed view.  Internal. */
#ifndef AG_CAPTURE_H
#define AG_CAPTURE_H

#include "internal.h"

typedef struct pstate {
    const unsigned char *base;
    const ag_gen_grammar *g;
    const ag_gen_literals *qop_lits; /* the qop registry's literals in g */
    ag_challenge *c;        /* the challenge being filled */
    size_t scheme_start;
    size_t param_start, name_end;
    size_t tok_start, tok_end;
    size_t q_open, q_close;
    int quoted;
    int committed;          /* the current parameter's leaving action fired */
    size_t item_start;
    size_t qop_spec;        /* qop values read in the current parameter */
    size_t domain_spec;     /* domain URIs read in the current parameter */
    int have_qop, have_domain;
    /* the span of a deferred rule being read (cap_defer_start), and whether
     * one of the current parameter's was refused by the rule's machine */
    size_t defer_at;
    int defer_on, defer_bad;
    /* the segment being run (the input less the lenient skips): where it
     * starts, and where the bytes before it ended */
    size_t seg_start, prev_end;
    int probe_fired;        /* AG_PROBE: an action fired */
    int hdr;                /* running a header line, not a value: its end may be read */
} pstate;

/* The body of every capture action.  Compiled with AG_PROBE (for
 * authgram-leapgen, src/leap.h), an action only says that it fired. */
#ifdef AG_PROBE
#define ACT(...) ps->probe_fired = 1;
int ag_sip_capture_probe(int cs, unsigned char b, int *fired, int *other);
int ag_sip_capture_starts(int *starts);
int ag_http_capture_probe(int cs, unsigned char b, int *fired, int *other);
int ag_http_capture_starts(int *starts);
#else
#define ACT(...) __VA_ARGS__
#endif

#define OFF(p) ((size_t)((p) - ps->base))
/* Where what a leaving action closes ends: a leaving action fires on the
 * byte after, which is the first of the next segment when a skip lies
 * between them (a token before a skipped comma ends before the comma; one
 * before trailing whitespace, at eof, before the whitespace). */
#define END(p) (OFF(p) == ps->seg_start ? ps->prev_end : OFF(p))
#define SPAN(a, b) ((ag_span){(const char *)ps->base + (a), (b) - (a)})

/* A profile's capture machine over [p, end) from cs, leaping where t
 * allows (NULL: never; src/leap.h ag_leap_step), eof the end of the input
 * or NULL; returns the state (0: an error at *stop), *stop where it
 * stopped.  ctx: the profile's parse state. */
typedef int (*cap_exec)(void *ctx, const ag_leap_table *t, int cs, const unsigned char *p,
                        const unsigned char *end, const unsigned char *eof, const unsigned char **stop);

/* Runs the capture machine exec from cs over [base, base + len) less the
 * skips, segment by segment, eof only at the end; returns the state (0: an
 * error at *stop), *stop where it stopped.  Sets ps->seg_start and
 * ps->prev_end for END: a segment's prev_end is where the run of adjacent
 * skips before it starts (followed along the segments, not searched back).
 * One loop for both profiles; inline, so that each profile's exec is called
 * directly. */
static inline int cap_run(pstate *ps, void *ctx, cap_exec exec, const ag_leap_table *t, int cs,
                          const unsigned char *base, size_t len, const ag_skip *skip, size_t nskip,
                          const unsigned char **stop)
{
    size_t at = 0, run = 0;
    *stop = base;
    for (size_t k = 0; k <= nskip; k++) {
        const unsigned char *pe = base + (k < nskip ? skip[k].at : len);
        ps->seg_start = at;
        ps->prev_end = k ? run : at;
        cs = exec(ctx, t, cs, base + at, pe, k < nskip ? NULL : pe, stop);
        if (cs == 0)
            return 0;
        if (k < nskip) {
            if (!k || skip[k - 1].at + skip[k - 1].len != skip[k].at)
                run = skip[k].at; /* a new run of adjacent skips */
            at = skip[k].at + skip[k].len;
        }
    }
    return cs;
}

/* A new parameter starts at offset at. */
void cap_param_start(pstate *ps, size_t at);

/* Keeps the parameter whose leaving action fired (once per parameter). */
void cap_commit(pstate *ps, ag_param_kind kind);

/* A qop value / domain URI [item_start, end) read inside the current
 * parameter: kept only if the parameter is the first dedicated one. */
void cap_qop_item(pstate *ps, size_t end);
void cap_uri_item(pstate *ps, size_t end);

/* A deferred rule's span (gen/defer.c) starts at offset at / ends at end:
 * the machine of entry, exactly the rule, confirms it.  A parameter with a
 * span it refuses is committed as the generic auth-param, which the exact
 * machine would have read it as. */
void cap_defer_start(pstate *ps, size_t at);
void cap_defer_end(pstate *ps, size_t end, int entry);

/* Resets the typed fields of *c (not its arrays). */
void cap_clear(ag_challenge *c, ag_profile profile);

#endif
