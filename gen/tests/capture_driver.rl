/* SPDX-License-Identifier: MIT */
/* The capture variant of the toy grammar (toy_capture.rl in the build tree,
 * emitted by authgram-gen), compiled with the actions toy/toy.tags names.
 * Each action appends "name@offset" to a trace, which toy_driver.c compares
 * with what the tags ask for. */
#include <stdio.h>
#include <string.h>

#include "authgram.h"
#include "toy_driver.h"

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#endif

typedef struct tracer {
    const char *base;
    char *buf;
    size_t cap, len;
} tracer;

static void note(tracer *t, const char *name, const unsigned char *p)
{
    if (t->len < t->cap) {
        int n = snprintf(t->buf + t->len, t->cap - t->len, "%s%s@%d", t->len ? " " : "", name,
                         (int)((const char *)p - t->base));
        t->len += n > 0 ? (size_t)n : 0;
    }
}

/* a field's commit, which the generator attaches where a fallback
 * alternation names the field (toy: param/known, kind AG_PARAM_NONCE) */
#define AG_FIELD_COMMIT(kind) note(t, (kind) == AG_PARAM_NONCE ? "known" : "wrong-kind", p);

%%{
    machine capture_driver;
    alphtype unsigned char;

    action p_begin { note(t, "begin", p); }
    action p_end   { note(t, "end", p); }
    action other   { note(t, "other", p); }
    action k_lit   { note(t, "k", p); }
    action alpha2  { note(t, "a2", p); }
    action dq      { note(t, "dq", p); }
    action hour    { note(t, "hour", p); }
    action ag_hdr  { 0 } # the condition of a composed entry (tags 'compose'), not run here

    include ag_toy_capture "toy_capture.rl";

    params := c_entry_params;
    stamp  := c_entry_when;

    write data noerror;
}%%

int toy_capture_run(enum toy_capture_entry entry, const char *s, char *trace, size_t cap)
{
    tracer tr = {s, trace, cap, 0};
    tracer *t = &tr;
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *pe = p + strlen(s), *eof = pe;
    int cs = entry == TOY_CAPTURE_PARAMS ? capture_driver_en_params : capture_driver_en_stamp;
    (void)capture_driver_start; /* two entry points: start is unused */
    if (cap) {
        trace[0] = 0;
    }

    %% write exec;

    return cs >= capture_driver_first_final;
}
