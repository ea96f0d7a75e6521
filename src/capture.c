/* SPDX-License-Identifier: MIT */
/* The capture actions' shared part: committing parameters into the typed
 * view.  The machines decide the syntax; this only records offsets. */
#include <stddef.h>
#include <string.h>

#include "capture.h"

void cap_clear(ag_challenge *c, ag_profile profile)
{
    /* every typed member, up to the caller's arrays (include/authgram.h
     * keeps them last), so that a member a tags 'field' slot names is
     * cleared without being listed here */
    memset(c, 0, offsetof(ag_challenge, qop));
    c->profile = profile;
    c->qop_count = c->domain_count = c->param_count = 0;
}

void cap_param_start(pstate *ps, size_t at)
{
    ps->param_start = at;
    ps->quoted = 0;
    ps->committed = 0;
    ps->qop_spec = 0;
    ps->domain_spec = 0;
    ps->defer_on = ps->defer_bad = 0;
}

void cap_defer_start(pstate *ps, size_t at)
{
    ps->defer_at = at;
    ps->defer_on = 1;
}

void cap_defer_end(pstate *ps, size_t end, int entry)
{
    /* a rule that may be empty has no first byte to start on */
    size_t at = ps->defer_on ? ps->defer_at : end;
    ps->defer_on = 0;
    if (!ps->defer_bad && !ag_recognize(ps->g, entry, ps->base + at, end - at, NULL))
        ps->defer_bad = 1;
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
    if (ps->defer_bad)
        kind = AG_PARAM_GENERIC;
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
    /* the typed fields (tags 'field' slots); the lists take the items
     * their actions read (cap_qop_item, cap_uri_item) */
    const ag_gen_field *f = ag_field_of_kind(ps->g, kind);
    if (f)
        ag_field_put(ps->g, f, AG_GEN_VIEW_CHALLENGE, c, value, 1);
    if (kind == AG_PARAM_QOP && !ps->have_qop) {
        ps->have_qop = 1;
        c->qop_count += ps->qop_spec;
    } else if (kind == AG_PARAM_DOMAIN && !ps->have_domain) {
        ps->have_domain = 1;
        c->domain_count += ps->domain_spec;
    }
}

void cap_qop_item(pstate *ps, size_t end)
{
    ag_challenge *c = ps->c;
    size_t i = c->qop_count + ps->qop_spec++;
    if (!ps->have_qop && i < c->qop_cap) {
        ag_span raw = SPAN(ps->item_start, end);
        c->qop[i].raw = raw;
        c->qop[i].qop = (ag_qop)ag_literal_in(ps->qop_lits, raw.ptr, raw.len, AG_QOP_OTHER);
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

