/* SPDX-License-Identifier: MIT */
/* The sip-profile parser: the capture actions named in grammar/sip.tags and
 * the C glue around the generated machine (build/gen/sip_capture.rl).
 *
 * The machine decides everything about the syntax; the actions only record
 * offsets.  Parameters are committed by exactly one leaving action each
 * (the generated ag_field_<rule> of each field, or param_generic): the tags
 * compile the generic auth-param
 * as "auth-param minus every dedicated production", so at most one of them
 * can fire for a given parameter.  List items (qop values, domain URIs) are
 * recorded speculatively while the parameter is read, and kept only if the
 * parameter turns out to be the dedicated one. */
#include <string.h>

#include "capture.h"
#include "ag_sip_grammar.h"

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#endif

/* the commit of a dedicated parameter: the generator attaches it to each
 * field where a fallback alternation names it (grammar/sip.tags 'field') */
#define AG_FIELD_COMMIT(kind) ACT(cap_commit(ps, kind);)
/* the header a line's name says (grammar/sip.tags 'header') */
#define AG_HEADER_COMMIT(h) ACT(ps->c->header = h;)
/* a span the machine read as the closure of a deferred rule (grammar/sip.tags
 * 'defer'): confirmed by that rule's own machine when it ends */
#define AG_DEFER_START() ACT(cap_defer_start(ps, OFF(p));)
#define AG_DEFER_END(entry) ACT(cap_defer_end(ps, END(p), entry);)

%%{
    machine ag_sip_capture;
    alphtype unsigned char;

    action ch_begin      { ACT(ps->c->offset = OFF(p);) }
    action scheme_start  { ACT(ps->scheme_start = OFF(p);) }
    action scheme_digest { ACT(
        ps->c->scheme = SPAN(ps->scheme_start, END(p));
        ps->c->scheme_id = AG_SCHEME_DIGEST;)
    }
    action scheme_other { ACT(
        ps->c->scheme = SPAN(ps->scheme_start, END(p));
        ps->c->scheme_id = ag_scheme_of(ag_prof_of(AG_PROFILE_SIP), ps->c->scheme);)
    }
    action param_start   { ACT(cap_param_start(ps, OFF(p));) }
    action name_end      { ACT(ps->name_end = END(p);) }
    action tok_start     { ACT(ps->tok_start = OFF(p);) }
    action tok_end       { ACT(ps->tok_end = END(p);) }
    action q_open        { ACT(ps->q_open = OFF(p); ps->quoted = 1;) }
    action q_close       { ACT(ps->q_close = OFF(p);) }

    action qop_start     { ACT(ps->item_start = OFF(p);) }
    action qop_end       { ACT(cap_qop_item(ps, END(p));) }
    action uri_start     { ACT(ps->item_start = OFF(p);) }
    action uri_end       { ACT(cap_uri_item(ps, END(p));) }

    action param_generic   { ACT(cap_commit(ps, AG_PARAM_GENERIC);) }


    # a header line and its value are one machine (tags 'compose'): the
    # value starts at a label inside the line's, and the line's end is only
    # taken when running the line (ps->hdr)
    action ag_hdr { ps->hdr }
    action ag_lbl { cs = fentry(ag_value); cs = fentry(ag_cred_value); }

    include ag_sip_capture "sip_capture.rl";

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
    pstate *ps = ctx;
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
int ag_sip_capture_probe(int cs, unsigned char b, int *fired, int *other)
{
    int to[2];
    *fired = 0;
    for (int hdr = 0; hdr < 2; hdr++) {
        pstate st;
        memset(&st, 0, sizeof st);
        st.hdr = hdr;
        const unsigned char *stop;
        to[hdr] = capture_run(&st, NULL, cs, &b, &b + 1, NULL, &stop);
        *fired |= st.probe_fired | (to[0] != to[hdr]);
    }
    *other = to[0];
    return to[1];
}

int ag_sip_capture_starts(int *starts)
{
    (void)ag_sip_capture_start; /* several entry points: start is unused */
    (void)ag_sip_capture_first_final;
    starts[0] = ag_sip_capture_en_header_c_entry_header_ag_value;
    starts[1] = ag_sip_capture_en_header;
    starts[2] = ag_sip_capture_en_cred_header_c_entry_cred_header_ag_cred_value;
    starts[3] = ag_sip_capture_en_cred_header;
    (void)ag_sip_capture_en_ag_labels;
    return 4;
}
#else
ag_status ag_parse_sip_skips(int what, const char *buf, size_t len, const ag_skip *skip, size_t nskip,
                             ag_challenge *out, ag_diag *diag, size_t *fail_at)
{
    return ag_parse_sip_leap(what, buf, len, skip, nskip, out, diag, fail_at, 1);
}

ag_status ag_parse_sip_leap(int what, const char *buf, size_t len, const ag_skip *skip, size_t nskip,
                            ag_challenge *out, ag_diag *diag, size_t *fail_at, int leap)
{
    if (!out || (!buf && len))
        return AG_ERR_ARGUMENT;
    ag_challenge *c = out;
    cap_clear(c, AG_PROFILE_SIP);
    if ((!c->params && c->param_cap) || (!c->qop && c->qop_cap) || (!c->domain && c->domain_cap))
        return AG_ERR_ARGUMENT;

    static const unsigned char empty[1] = {0};
    const unsigned char *base = buf ? (const unsigned char *)buf : empty;
    const unsigned char *stop = base;
    pstate st;
    memset(&st, 0, sizeof st);
    pstate *ps = &st;
    ps->base = base;
    ps->g = &ag_sip_grammar;
    ps->qop_lits = &ps->g->lits[AG_SIP_LITS_REGISTERED_QOP];
    ps->c = c;
    /* (the values: labels inside the lines' machines, named by Ragel) */
    static const int starts[] = {ag_sip_capture_en_header_c_entry_header_ag_value,
                                 ag_sip_capture_en_header,
                                 ag_sip_capture_en_cred_header_c_entry_cred_header_ag_cred_value,
                                 ag_sip_capture_en_cred_header};
    static const int entries[] = {AG_SIP_ENTRY_VALUE, AG_SIP_ENTRY_HEADER, AG_SIP_ENTRY_CRED_VALUE,
                                  AG_SIP_ENTRY_CRED_HEADER};
    if (what < 0 || what > AG_WHAT_CRED_HEADER)
        return AG_ERR_ARGUMENT;
    int cs = starts[what];
    ps->hdr = what == AG_WHAT_HEADER || what == AG_WHAT_CRED_HEADER;
    (void)ag_sip_capture_en_ag_labels;
    (void)ag_sip_capture_start; /* several entry points: start is unused */

    cs = cap_run(ps, ps, capture_run, leap ? &ag_sip_capture_leap : NULL, cs, base, len, skip, nskip,
                 &stop);

    if (cs < ag_sip_capture_first_final) {
        if (fail_at)
            *fail_at = cs == 0 ? (size_t)(stop - base) : len;
        /* the diagnostic machine names the offset and the rule */
        if (diag && !nskip)
            ag_diagnose(&ag_sip_grammar, entries[what], base, len, diag);
        return AG_ERR_SYNTAX;
    }
    if (c->param_count > c->param_cap || c->qop_count > c->qop_cap || c->domain_count > c->domain_cap)
        return AG_ERR_CAPACITY;
    ag_params_index(c->params, c->param_count);
    if (diag)
        memset(diag, 0, sizeof *diag);
    return AG_OK;
}

#endif
