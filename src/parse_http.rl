/* SPDX-License-Identifier: MIT */
/* The http-profile parser: the capture actions named in grammar/http.tags
 * and the C glue around the generated machine (build/gen/http_capture.rl).
 *
 * An http value is a list of challenges, and after a comma the grammar only
 * knows later whether a token is a new challenge's scheme or a parameter's
 * name ("Digest realm="a", foo =bar" against "..., foo bar=baz").  So a
 * scheme is held pending when its token ends, and confirmed when what can
 * only follow a scheme begins (its parameter list or token68), when the next
 * scheme ends, or at the end of the value; a parameter that completes with
 * the same first byte shows it was a name, and drops it.  Parameters are
 * committed as in the sip profile (src/capture.c). */
#include <string.h>

#include "capture.h"
#include "ag_http_grammar.h"

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#endif

typedef struct hstate {
    pstate ps;
    ag_challenge_list *l;
    ag_challenge spill;     /* where a challenge beyond the list's cap goes */
    size_t used_params, used_qop, used_domain; /* pool entries of earlier challenges */
    size_t pend_start, pend_end;
    int pend_valid;
    ag_scheme pend_id;
    size_t tok68_start;
    ag_header header;
} hstate;

#ifndef AG_PROBE
static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* The counts of the current challenge go to the pools' totals. */
static void close_challenge(hstate *hs)
{
    ag_challenge *c = hs->ps.c;
    if (!c)
        return;
    hs->used_params += c->param_count;
    hs->used_qop += c->qop_count;
    hs->used_domain += c->domain_count;
    hs->ps.c = NULL;
}

static void confirm(hstate *hs)
{
    if (!hs->pend_valid)
        return;
    hs->pend_valid = 0;
    close_challenge(hs);
    ag_challenge_list *l = hs->l;
    ag_challenge *c = l->count < l->cap ? &l->challenges[l->count] : &hs->spill;
    l->count++;
    memset(c, 0, sizeof *c);
    cap_clear(c, AG_PROFILE_HTTP);
    c->header = hs->header;
    c->offset = hs->pend_start;
    c->scheme = (ag_span){(const char *)hs->ps.base + hs->pend_start, hs->pend_end - hs->pend_start};
    c->scheme_id = hs->pend_id;
    size_t k = min_size(hs->used_params, l->param_cap);
    c->params = l->params ? l->params + k : NULL;
    c->param_cap = l->param_cap - k;
    k = min_size(hs->used_qop, l->qop_cap);
    c->qop = l->qop ? l->qop + k : NULL;
    c->qop_cap = l->qop_cap - k;
    k = min_size(hs->used_domain, l->domain_cap);
    c->domain = l->domain ? l->domain + k : NULL;
    c->domain_cap = l->domain_cap - k;
    hs->ps.c = c;
    hs->ps.have_qop = hs->ps.have_domain = 0;
}

static void scheme_end(hstate *hs, size_t end, ag_scheme id)
{
    if (hs->pend_valid && hs->pend_start != hs->ps.scheme_start)
        confirm(hs); /* a scheme with no parameters, followed by another */
    hs->pend_start = hs->ps.scheme_start;
    hs->pend_end = end;
    hs->pend_id = id;
    hs->pend_valid = 1;
}

static void commit(hstate *hs, ag_param_kind kind)
{
    if (hs->pend_valid && hs->pend_start == hs->ps.param_start)
        hs->pend_valid = 0; /* the pending "scheme" was this parameter's name */
    if (hs->ps.c) {
        /* token68 and parameters exclude each other; a token68 recorded
         * speculatively ("Digest realm = x": "realm" could have been one)
         * is not */
        hs->ps.c->token68 = (ag_span){0, 0};
        cap_commit(&hs->ps, kind);
    }
}

#endif

/* the commit of a dedicated parameter: the generator attaches it to each
 * field where a fallback alternation names it (grammar/http.tags 'field') */
#define AG_FIELD_COMMIT(kind) ACT(commit(hs, kind);)
/* the header a line's name says (grammar/http.tags 'header') */
#define AG_HEADER_COMMIT(h) ACT(hs->header = h;)
/* a span the machine read as the closure of a deferred rule (grammar/http.tags
 * 'defer'): confirmed by that rule's own machine when it ends */
#define AG_DEFER_START() ACT(cap_defer_start(ps, OFF(p));)
#define AG_DEFER_END(entry) ACT(cap_defer_end(ps, END(p), entry);)

%%{
    machine ag_http_capture;
    alphtype unsigned char;

    action scheme_start  { ACT(ps->scheme_start = OFF(p);) }
    action scheme_digest { ACT(scheme_end(hs, END(p), AG_SCHEME_DIGEST);) }
    # "Digest abc==" (token68) is an other-challenge, and at the end of
    # "Digest" both branches are alive: the scheme is Digest either way
    action scheme_other { ACT(
        scheme_end(hs, END(p), ag_scheme_of(ag_prof_of(AG_PROFILE_HTTP), SPAN(ps->scheme_start, END(p))));)
    }
    action list_start    { ACT(confirm(hs);) }
    action tok68_start   { ACT(hs->tok68_start = OFF(p);) }
    action tok68_end { ACT(
        if (ps->c)
            ps->c->token68 = SPAN(hs->tok68_start, END(p));)
    }
    action param_start   { ACT(cap_param_start(ps, OFF(p));) }
    action name_end      { ACT(ps->name_end = END(p);) }
    action tok_start     { ACT(ps->tok_start = OFF(p);) }
    action tok_end       { ACT(ps->tok_end = END(p);) }
    action q_open        { ACT(ps->q_open = OFF(p); ps->quoted = 1;) }
    action q_close       { ACT(ps->q_close = OFF(p);) }
    action qop_start     { ACT(ps->item_start = OFF(p);) }
    action qop_end       { ACT(if (ps->c) cap_qop_item(ps, END(p));) }
    action uri_start     { ACT(ps->item_start = OFF(p);) }
    action uri_end       { ACT(if (ps->c) cap_uri_item(ps, END(p));) }

    action param_generic   { ACT(commit(hs, AG_PARAM_GENERIC);) }


    # a header line and its value are one machine (tags 'compose'): the
    # value starts at a label inside the line's, and the line's end is only
    # taken when running the line (ps->hdr)
    action ag_hdr { ps->hdr }
    action ag_lbl { cs = fentry(ag_value); cs = fentry(ag_cred_value); }

    include ag_http_capture "http_capture.rl";

    header := c_entry_header;
    cred_header := c_entry_cred_header;
    ag_labels := 0 @ag_lbl; # never run: names the labels so that Ragel exports them

    write data noerror;
}%%

/* The machine over [p, end) from cs (cap_exec).  The leap steps are taken
 * here, around the machine's own code, so that a chunk costs no call. */
static int capture_run(void *ctx, const ag_leap_table *t, int cs, const unsigned char *p,
                       const unsigned char *end, const unsigned char *at_eof, const unsigned char **stop)
{
    hstate *hs = ctx;
    pstate *ps = &hs->ps;
    (void)hs;
    for (;;) {
        const unsigned char *pe = t ? ag_leap_step(t, &cs, &p, end) : end;
        const unsigned char *eof = pe == end ? at_eof : NULL;
        %% write exec;
        if (cs == 0 || pe == end)
            break;
    }
    *stop = p;
    return cs;
}

#ifdef AG_PROBE
/* One step from cs over b, as a header line (the result) and as a value
 * (*other); *fired: an action fired, or the two differ (the line's end
 * may begin there, so no leap may cross b). */
int ag_http_capture_probe(int cs, unsigned char b, int *fired, int *other)
{
    int to[2];
    *fired = 0;
    for (int hdr = 0; hdr < 2; hdr++) {
        hstate st;
        memset(&st, 0, sizeof st);
        st.ps.hdr = hdr;
        const unsigned char *stop;
        to[hdr] = capture_run(&st, NULL, cs, &b, &b + 1, NULL, &stop);
        *fired |= st.ps.probe_fired | (to[0] != to[hdr]);
    }
    *other = to[0];
    return to[1];
}

int ag_http_capture_starts(int *starts)
{
    (void)ag_http_capture_start; /* two entry points: start is unused */
    (void)ag_http_capture_first_final;
    starts[0] = ag_http_capture_en_header_c_entry_header_ag_value;
    starts[1] = ag_http_capture_en_header;
    starts[2] = ag_http_capture_en_cred_header_c_entry_cred_header_ag_cred_value;
    starts[3] = ag_http_capture_en_cred_header;
    (void)ag_http_capture_en_ag_labels;
    return 4;
}
#else
ag_status ag_parse_http(int what, const char *buf, size_t len, const ag_skip *skip, size_t nskip,
                        ag_challenge_list *out, ag_diag *diag, size_t *fail_at)
{
    return ag_parse_http_leap(what, buf, len, skip, nskip, out, diag, fail_at, 1);
}

ag_status ag_parse_http_leap(int what, const char *buf, size_t len, const ag_skip *skip, size_t nskip,
                             ag_challenge_list *out, ag_diag *diag, size_t *fail_at, int leap)
{
    static const unsigned char empty[1] = {0};
    const unsigned char *base = buf ? (const unsigned char *)buf : empty;
    const unsigned char *stop = base;
    hstate st;
    memset(&st, 0, sizeof st);
    hstate *hs = &st;
    pstate *ps = &hs->ps;
    ps->base = base;
    ps->g = &ag_http_grammar;
    ps->qop_lits = &ps->g->lits[AG_HTTP_LITS_REGISTERED_QOP];
    hs->l = out;
    out->count = 0;
    /* (the values: labels inside the lines' machines, named by Ragel) */
    static const int starts[] = {ag_http_capture_en_header_c_entry_header_ag_value,
                                 ag_http_capture_en_header,
                                 ag_http_capture_en_cred_header_c_entry_cred_header_ag_cred_value,
                                 ag_http_capture_en_cred_header};
    static const int entries[] = {AG_HTTP_ENTRY_VALUE, AG_HTTP_ENTRY_HEADER, AG_HTTP_ENTRY_CRED_VALUE,
                                  AG_HTTP_ENTRY_CRED_HEADER};
    if (what < 0 || what > AG_WHAT_CRED_HEADER)
        return AG_ERR_ARGUMENT;
    int cs = starts[what];
    ps->hdr = what == AG_WHAT_HEADER || what == AG_WHAT_CRED_HEADER;
    (void)ag_http_capture_en_ag_labels;
    (void)ag_http_capture_start; /* several entry points: start is unused */

    cs = cap_run(ps, hs, capture_run, leap ? &ag_http_capture_leap : NULL, cs, base, len, skip, nskip,
                 &stop);

    if (cs < ag_http_capture_first_final) {
        if (fail_at)
            *fail_at = cs == 0 ? (size_t)(stop - base) : len;
        if (diag && !nskip)
            ag_diagnose(&ag_http_grammar, entries[what], base, len, diag);
        return AG_ERR_SYNTAX;
    }
    confirm(hs); /* the last scheme, if it had no parameters */
    close_challenge(hs);
    out->param_count = hs->used_params;
    out->qop_count = hs->used_qop;
    out->domain_count = hs->used_domain;
    if (out->count > out->cap || out->param_count > out->param_cap || out->qop_count > out->qop_cap ||
        out->domain_count > out->domain_cap)
        return AG_ERR_CAPACITY;
    for (size_t i = 0; i < out->count; i++) { /* each challenge's caps are its counts */
        ag_challenge *c = &out->challenges[i];
        c->param_cap = c->param_count;
        c->qop_cap = c->qop_count;
        c->domain_cap = c->domain_count;
        ag_params_index(c->params, c->param_count);
    }
    if (diag)
        memset(diag, 0, sizeof *diag);
    return AG_OK;
}
#endif
