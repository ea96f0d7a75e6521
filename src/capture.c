/* SPDX-License-Identifier: MIT */
/* The capture actions' shared part: committing parameters into the typed
 * view.  The machines decide the syntax; this only records offsets. */
#include <string.h>

#include "capture.h"

void cap_clear(ag_challenge *c, ag_profile profile)
{
    c->profile = profile;
    c->header = AG_HEADER_NONE;
    c->offset = 0;
    c->scheme = (ag_span){0, 0};
    c->scheme_id = AG_SCHEME_OTHER;
    c->realm = c->nonce = c->opaque = c->algorithm_raw = (ag_span){0, 0};
    c->token68 = c->charset = (ag_span){0, 0};
    c->algorithm = AG_ALGORITHM_NONE;
    c->stale = c->userhash = AG_STALE_UNSET;
    c->qop_count = c->domain_count = c->param_count = 0;
}

void cap_param_start(pstate *ps, size_t at)
{
    ps->param_start = at;
    ps->quoted = 0;
    ps->committed = 0;
    ps->qop_spec = 0;
    ps->domain_spec = 0;
}

static void first_span(ag_span *field, ag_span v)
{
    if (!field->ptr)
        *field = v;
}

void cap_commit(pstate *ps, ag_param_kind kind)
{
    ag_challenge *c = ps->c;
    /* A dedicated parameter ending in whitespace (sip RDQUOT = DQUOTE SWS,
     * followed by COMMA = SWS "," SWS) is both still inside itself and
     * already past its end on each whitespace byte, so its leaving action
     * fires once per byte.  The first firing is the parameter; the rest are
     * the same parameter again. */
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
        pa->lenient = 0;
    }
    c->param_count++;
    switch (kind) {
    case AG_PARAM_REALM:
        first_span(&c->realm, value);
        break;
    case AG_PARAM_NONCE:
        first_span(&c->nonce, value);
        break;
    case AG_PARAM_OPAQUE:
        first_span(&c->opaque, value);
        break;
    case AG_PARAM_CHARSET:
        first_span(&c->charset, value);
        break;
    case AG_PARAM_STALE:
        if (c->stale == AG_STALE_UNSET)
            c->stale = ps->stale;
        break;
    case AG_PARAM_USERHASH:
        if (c->userhash == AG_STALE_UNSET)
            c->userhash = ps->userhash;
        break;
    case AG_PARAM_ALGORITHM:
        if (!c->algorithm_raw.ptr) {
            c->algorithm_raw = value;
            c->algorithm = (ag_algorithm)ag_literal_value(ps->g, ps->alg_rule, value.ptr, value.len,
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
    /* credentials: their typed view is made from params[] afterwards
     * (src/credentials.c) */
    case AG_PARAM_USERNAME:
    case AG_PARAM_URI:
    case AG_PARAM_RESPONSE:
    case AG_PARAM_CNONCE:
    case AG_PARAM_NC:
    case AG_PARAM_MESSAGE_QOP:
    case AG_PARAM_AUTS:
    case AG_PARAM_USERNAME_EXT:
        break;
    }
}

void cap_qop_item(pstate *ps, size_t end)
{
    ag_challenge *c = ps->c;
    size_t i = c->qop_count + ps->qop_spec++;
    if (!ps->have_qop && i < c->qop_cap) {
        ag_span raw = SPAN(ps->item_start, end);
        c->qop[i].raw = raw;
        c->qop[i].qop = (ag_qop)ag_literal_value(ps->g, ps->qop_rule, raw.ptr, raw.len, AG_QOP_OTHER);
    }
}

void cap_uri_item(pstate *ps, size_t end)
{
    ag_challenge *c = ps->c;
    if (end == ps->item_start)
        return; /* an empty URI-reference (http: domain="a  b"): nothing to list */
    size_t i = c->domain_count + ps->domain_spec++;
    if (!ps->have_domain && i < c->domain_cap)
        c->domain[i] = SPAN(ps->item_start, end);
}

