/* The sip-profile parser: the capture actions named in grammar/sip.tags and
 * the C glue around the generated machine (build/gen/sip_capture.rl).
 *
 * The machine decides everything about the syntax; the actions only record
 * offsets.  Parameters are committed by exactly one leaving action each
 * (param_realm, ..., param_generic): the tags compile the generic auth-param
 * as "auth-param minus every dedicated production", so at most one of them
 * can fire for a given parameter.  List items (qop values, domain URIs) are
 * recorded speculatively while the parameter is read, and kept only if the
 * parameter turns out to be the dedicated one. */
#include <string.h>

#include "internal.h"
#include "ag_sip_grammar.h"

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#endif

typedef struct pstate {
    const unsigned char *base;
    ag_challenge *c;
    size_t scheme_start;
    size_t param_start, name_end;
    size_t tok_start, tok_end;
    size_t q_open, q_close;
    int quoted;
    int committed; /* the current parameter's leaving action already fired */
    ag_stale stale;
    size_t item_start;
    size_t qop_spec;    /* qop values read in the current parameter */
    size_t domain_spec; /* domain URIs read in the current parameter */
    int have_qop, have_domain;
} pstate;

#define OFF(p) ((size_t)((p) - ps->base))
#define SPAN(a, b) ((ag_span){(const char *)ps->base + (a), (b) - (a)})

/* Keeps the parameter whose leaving action fired. */
static void commit(pstate *ps, ag_param_kind kind)
{
    ag_challenge *c = ps->c;
    /* RDQUOT ends in SWS, and COMMA starts with SWS: on whitespace after the
     * closing quote of qop/domain the machine is both still inside RDQUOT and
     * already past the parameter, so the leaving action fires once per
     * whitespace byte.  The first firing is the parameter; the rest are the
     * same parameter again. */
    if (ps->committed)
        return;
    ps->committed = 1;
    ag_span value = ps->quoted ? SPAN(ps->q_open, ps->q_close) : SPAN(ps->tok_start, ps->tok_end);
    if (c->param_count < c->param_cap) {
        ag_param *pa = &c->params[c->param_count];
        pa->name = SPAN(ps->param_start, ps->name_end);
        pa->value = value;
        pa->offset = ps->param_start;
        pa->kind = kind;
        pa->quoted = ps->quoted;
    }
    c->param_count++;
    switch (kind) {
    case AG_PARAM_REALM:
        if (!c->realm.ptr)
            c->realm = value;
        break;
    case AG_PARAM_NONCE:
        if (!c->nonce.ptr)
            c->nonce = value;
        break;
    case AG_PARAM_OPAQUE:
        if (!c->opaque.ptr)
            c->opaque = value;
        break;
    case AG_PARAM_STALE:
        if (c->stale == AG_STALE_UNSET)
            c->stale = ps->stale;
        break;
    case AG_PARAM_ALGORITHM:
        if (!c->algorithm_raw.ptr) {
            c->algorithm_raw = value;
            c->algorithm = (ag_algorithm)ag_literal_value(&ag_sip_grammar,
                                                          AG_SIP_RULE_REGISTERED_ALGORITHM,
                                                          value.ptr, value.len,
                                                          AG_ALGORITHM_OTHER);
        }
        break;
    case AG_PARAM_QOP:
        if (!ps->have_qop) {
            ps->have_qop = 1;
            c->qop_count += ps->qop_spec;
        }
        break;
    case AG_PARAM_DOMAIN:
        if (!ps->have_domain) {
            ps->have_domain = 1;
            c->domain_count += ps->domain_spec;
        }
        break;
    case AG_PARAM_GENERIC:
        break;
    }
}

%%{
    machine ag_sip_capture;
    alphtype unsigned char;

    action ch_begin      { ps->c->offset = OFF(p); }
    action scheme_start  { ps->scheme_start = OFF(p); }
    action scheme_digest {
        ps->c->scheme = SPAN(ps->scheme_start, OFF(p));
        ps->c->scheme_id = AG_SCHEME_DIGEST;
    }
    action scheme_other {
        ps->c->scheme = SPAN(ps->scheme_start, OFF(p));
        ps->c->scheme_id = ag_ascii_ieq(ps->c->scheme.ptr, ps->c->scheme.len, "Basic")
                               ? AG_SCHEME_BASIC : AG_SCHEME_OTHER;
    }
    action param_start {
        ps->param_start = OFF(p);
        ps->quoted = 0;
        ps->committed = 0;
        ps->qop_spec = 0;
        ps->domain_spec = 0;
    }
    action name_end      { ps->name_end = OFF(p); }
    action tok_start     { ps->tok_start = OFF(p); }
    action tok_end       { ps->tok_end = OFF(p); }
    action q_open        { ps->q_open = OFF(p); ps->quoted = 1; }
    action q_close       { ps->q_close = OFF(p); }
    action stale_true    { ps->stale = AG_STALE_TRUE; }
    action stale_false   { ps->stale = AG_STALE_FALSE; }

    action qop_start     { ps->item_start = OFF(p); }
    action qop_end {
        size_t i = ps->c->qop_count + ps->qop_spec++;
        if (!ps->have_qop && i < ps->c->qop_cap) {
            ag_span raw = SPAN(ps->item_start, OFF(p));
            ps->c->qop[i].raw = raw;
            ps->c->qop[i].qop = (ag_qop)ag_literal_value(&ag_sip_grammar, AG_SIP_RULE_REGISTERED_QOP,
                                                         raw.ptr, raw.len, AG_QOP_OTHER);
        }
    }
    action uri_start     { ps->item_start = OFF(p); }
    action uri_end {
        size_t i = ps->c->domain_count + ps->domain_spec++;
        if (!ps->have_domain && i < ps->c->domain_cap)
            ps->c->domain[i] = SPAN(ps->item_start, OFF(p));
    }

    action param_realm     { commit(ps, AG_PARAM_REALM); }
    action param_domain    { commit(ps, AG_PARAM_DOMAIN); }
    action param_nonce     { commit(ps, AG_PARAM_NONCE); }
    action param_opaque    { commit(ps, AG_PARAM_OPAQUE); }
    action param_stale     { commit(ps, AG_PARAM_STALE); }
    action param_algorithm { commit(ps, AG_PARAM_ALGORITHM); }
    action param_qop       { commit(ps, AG_PARAM_QOP); }
    action param_generic   { commit(ps, AG_PARAM_GENERIC); }

    action hdr_proxy     { ps->c->header = AG_HEADER_PROXY_AUTHENTICATE; }
    action hdr_www       { ps->c->header = AG_HEADER_WWW_AUTHENTICATE; }

    include ag_sip_capture "sip_capture.rl";

    value  := c_entry_value;
    header := c_entry_header;

    write data noerror;
}%%

static ag_status parse(int header, const char *buf, size_t len, ag_challenge *out, ag_diag *diag)
{
    if (!out || (!buf && len))
        return AG_ERR_ARGUMENT;
    ag_challenge *c = out;
    c->profile = AG_PROFILE_SIP;
    c->header = AG_HEADER_NONE;
    c->offset = 0;
    c->scheme = (ag_span){0, 0};
    c->scheme_id = AG_SCHEME_OTHER;
    c->realm = c->nonce = c->opaque = c->algorithm_raw = (ag_span){0, 0};
    c->algorithm = AG_ALGORITHM_NONE;
    c->stale = AG_STALE_UNSET;
    c->qop_count = c->domain_count = c->param_count = 0;
    if ((!c->params && c->param_cap) || (!c->qop && c->qop_cap) || (!c->domain && c->domain_cap))
        return AG_ERR_ARGUMENT;

    static const unsigned char empty[1] = {0};
    const unsigned char *p = buf ? (const unsigned char *)buf : empty;
    const unsigned char *pe = p + len, *eof = pe;
    pstate st;
    memset(&st, 0, sizeof st);
    pstate *ps = &st;
    ps->base = p;
    ps->c = c;
    int cs = header ? ag_sip_capture_en_header : ag_sip_capture_en_value;
    (void)ag_sip_capture_start; /* two entry points: start is unused */

    %% write exec;

    if (cs < ag_sip_capture_first_final) {
        /* the diagnostic machine names the offset and the rule */
        if (diag)
            ag_diagnose(&ag_sip_grammar, header ? AG_SIP_ENTRY_HEADER : AG_SIP_ENTRY_VALUE,
                        (const unsigned char *)ps->base, len, diag);
        return AG_ERR_SYNTAX;
    }
    if (c->param_count > c->param_cap || c->qop_count > c->qop_cap || c->domain_count > c->domain_cap)
        return AG_ERR_CAPACITY;
    if (diag)
        memset(diag, 0, sizeof *diag);
    return AG_OK;
}

ag_status ag_parse_value(const char *buf, size_t len, ag_challenge *out, ag_diag *diag)
{
    return parse(0, buf, len, out, diag);
}

ag_status ag_parse_header(const char *buf, size_t len, ag_challenge *out, ag_diag *diag)
{
    return parse(1, buf, len, out, diag);
}
