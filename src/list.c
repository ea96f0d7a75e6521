/* Lists of challenges: ag_parse for both profiles. */
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
    if (!out || (!buf && len) || (!out->challenges && out->cap) || (!out->params && out->param_cap) ||
        (!out->qop && out->qop_cap) || (!out->domain && out->domain_cap) ||
        (input != AG_INPUT_VALUE && input != AG_INPUT_HEADER))
        return AG_ERR_ARGUMENT;
    out->count = out->param_count = out->qop_count = out->domain_count = 0;
    out->input = (ag_span){buf ? buf : "", len};
    if (profile == AG_PROFILE_HTTP)
        return ag_parse_http(input == AG_INPUT_HEADER, buf, len, out, diag);
    if (profile != AG_PROFILE_SIP)
        return AG_ERR_ARGUMENT;
    /* sip: exactly one challenge per header field (RFC 3261 section 7.3.1) */
    ag_challenge one, *c = out->cap ? &out->challenges[0] : &one;
    memset(c, 0, sizeof *c);
    c->params = out->params;
    c->param_cap = out->param_cap;
    c->qop = out->qop;
    c->qop_cap = out->qop_cap;
    c->domain = out->domain;
    c->domain_cap = out->domain_cap;
    ag_status st = input == AG_INPUT_HEADER ? ag_parse_header(buf, len, c, diag)
                                            : ag_parse_value(buf, len, c, diag);
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
