/* SPDX-License-Identifier: MIT */
/* The one parse path (ag_parse_what) and its entries: ag_parse (lists of
 * challenges) and ag_parse_challenge (one); ag_parse_credentials and
 * ag_parse_lenient call it too. */
#include <string.h>

#include "internal.h"

void ag_challenge_list_init(ag_challenge_list *l, ag_list_storage *storage)
{
    if (!l)
        return;
    memset(l, 0, sizeof *l);
    if (!storage)
        return;
    l->challenges = storage->challenges;
    l->cap = AG_LIST_CHALLENGES;
    l->params = storage->params;
    l->param_cap = AG_LIST_PARAMS;
    l->qop = storage->qop;
    l->qop_cap = AG_LIST_QOP;
    l->domain = storage->domain;
    l->domain_cap = AG_LIST_DOMAIN;
}

ag_status ag_parse(ag_profile profile, ag_input input, const char *buf, size_t len,
                   ag_challenge_list *out, ag_diag *diag)
{
    if (out) {
        out->lenient = 0;
        out->deviation_count = 0;
    }
    return ag_parse_what(profile, ag_what_of(input, 0), buf, len, NULL, 0, out, diag, NULL);
}

ag_status ag_parse_what(ag_profile profile, int what, const char *buf, size_t len, const ag_skip *skip,
                        size_t nskip, ag_challenge_list *out, ag_diag *diag, size_t *fail_at)
{
    if (!out || (!buf && len) || (!out->challenges && out->cap) || (!out->params && out->param_cap) ||
        (!out->qop && out->qop_cap) || (!out->domain && out->domain_cap) || what < AG_WHAT_VALUE ||
        what > AG_WHAT_CRED_HEADER)
        return AG_ERR_ARGUMENT;
    out->count = out->param_count = out->qop_count = out->domain_count = 0;
    out->input = (ag_span){buf ? buf : "", len};
    if (profile == AG_PROFILE_HTTP)
        return ag_parse_http(what, buf, len, skip, nskip, out, diag, fail_at);
    if (profile != AG_PROFILE_SIP)
        return AG_ERR_ARGUMENT;
    /* sip: exactly one challenge per header field (RFC 3261 section 7.3.1) */
    ag_challenge one, *c = out->cap ? &out->challenges[0] : &one;
    /* (the parser clears the rest: cap_clear) */
    c->params = out->params;
    c->param_cap = out->param_cap;
    c->qop = out->qop;
    c->qop_cap = out->qop_cap;
    c->domain = out->domain;
    c->domain_cap = out->domain_cap;
    ag_status st = ag_parse_sip_skips(what, buf, len, skip, nskip, c, diag, fail_at);
    if (st != AG_OK && st != AG_ERR_CAPACITY)
        return st;
    out->count = 1;
    out->param_count = c->param_count;
    out->qop_count = c->qop_count;
    out->domain_count = c->domain_count;
    if (st == AG_OK) {
        if (!out->cap)
            return AG_ERR_CAPACITY;
        c->param_cap = c->param_count;
        c->qop_cap = c->qop_count;
        c->domain_cap = c->domain_count;
    }
    return st;
}

/* One challenge into the caller's ag_challenge: the list parser over a
 * list of that one challenge, its arrays the challenge's own. */
ag_status ag_parse_challenge(ag_profile profile, ag_input input, const char *buf, size_t len, ag_challenge *out,
                             ag_diag *diag)
{
    if (!out)
        return AG_ERR_ARGUMENT;
    ag_challenge_list l;
    ag_list_of_one(&l, out);
    ag_status st = ag_parse_what(profile, ag_what_of(input, 0), buf, len, NULL, 0, &l, diag, NULL);
    if (st == AG_ERR_ARGUMENT)
        return st;
    /* the capacities stay the caller's (the list reports the counts as its
     * challenge's capacities) */
    out->params = l.params;
    out->param_cap = l.param_cap;
    out->qop = l.qop;
    out->qop_cap = l.qop_cap;
    out->domain = l.domain;
    out->domain_cap = l.domain_cap;
    return st;
}
