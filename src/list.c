/* SPDX-License-Identifier: MIT */
/* Lists of challenges: ag_parse for both profiles. */
#include <stdio.h>
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


/* challenges (ag_input) */
static ag_status parse_skips(ag_profile profile, ag_input input, const char *buf, size_t len,
                             const ag_skip *skip, size_t nskip, ag_challenge_list *out, ag_diag *diag,
                             size_t *fail_at)
{
    if (input != AG_INPUT_VALUE && input != AG_INPUT_HEADER)
        return AG_ERR_ARGUMENT;
    return ag_parse_what(profile, input == AG_INPUT_HEADER ? AG_WHAT_HEADER : AG_WHAT_VALUE, buf, len, skip, nskip,
                         out, diag, fail_at);
}

ag_status ag_parse(ag_profile profile, ag_input input, const char *buf, size_t len,
                   ag_challenge_list *out, ag_diag *diag)
{
    if (out) {
        out->lenient = 0;
        out->deviation_count = 0;
    }
    return parse_skips(profile, input, buf, len, NULL, 0, out, diag, NULL);
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
    memset(c, 0, sizeof *c);
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

/* One SIP challenge into the caller's ag_challenge: the list parser over a
 * list of that one challenge, its arrays the challenge's own. */
static ag_status parse_one(ag_input input, const char *buf, size_t len, ag_challenge *out, ag_diag *diag)
{
    if (!out)
        return AG_ERR_ARGUMENT;
    ag_challenge_list l;
    memset(&l, 0, sizeof l);
    l.challenges = out;
    l.cap = 1;
    l.params = out->params;
    l.param_cap = out->param_cap;
    l.qop = out->qop;
    l.qop_cap = out->qop_cap;
    l.domain = out->domain;
    l.domain_cap = out->domain_cap;
    ag_status st = ag_parse(AG_PROFILE_SIP, input, buf, len, &l, diag);
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

ag_status ag_parse_value(const char *buf, size_t len, ag_challenge *out, ag_diag *diag)
{
    return parse_one(AG_INPUT_VALUE, buf, len, out, diag);
}

ag_status ag_parse_header(const char *buf, size_t len, ag_challenge *out, ag_diag *diag)
{
    return parse_one(AG_INPUT_HEADER, buf, len, out, diag);
}

/* ---- the lenient reading ----------------------------------------------------- */

static int wsp(char c) { return c == ' ' || c == '\t'; }

static int skipped(const ag_skip *skip, size_t nskip, size_t at)
{
    for (size_t k = 0; k < nskip; k++)
        if (at >= skip[k].at && at < skip[k].at + skip[k].len)
            return 1;
    return 0;
}

/* A refused comma the lenient reading leaves out: a doubled one (the byte
 * before it, whitespace aside, is a comma that stays) or a leading one
 * (what is before it is the scheme: a token at the start of the value or
 * after ':', and in an http list also after ','), with whitespace or a
 * comma on one side; never one inside a parameter ("a,=b") nor one whose
 * removal would join two tokens ("D,x"). */
static int loose_comma(ag_profile profile, const char *buf, size_t len, size_t at,
                       const ag_skip *skip, size_t nskip)
{
    const ag_prof *P = ag_prof_of(profile);
    size_t i = at;
    while (i > 0 && wsp(buf[i - 1]))
        i--;
    if (i > 0 && buf[i - 1] == ',' && !skipped(skip, nskip, i - 1))
        return 1;
    size_t t = i;
    while (t > 0 && !wsp(buf[t - 1]) && buf[t - 1] != ',' && buf[t - 1] != ':')
        t--;
    if (t == i || !ag_recognize(P->g, P->e_token, (const unsigned char *)buf + t, i - t, NULL))
        return 0;
    while (t > 0 && wsp(buf[t - 1]))
        t--;
    int apart = (at > 0 && wsp(buf[at - 1])) || (at + 1 < len && (wsp(buf[at + 1]) || buf[at + 1] == ','));
    int scheme = t == 0 || buf[t - 1] == ':' ||
                 (profile == AG_PROFILE_HTTP && buf[t - 1] == ',' && !skipped(skip, nskip, t - 1));
    return apart && scheme;
}

ag_status ag_parse_lenient(ag_profile profile, ag_input input, const char *buf, size_t len,
                           ag_challenge_list *out, ag_diag *diag)
{
    /* Structural deviations: re-run with one more byte range left out each
     * time the machine refuses a comma (a doubled or leading one) or the
     * input ends in whitespace or commas.  Nothing else is ever skipped. */
    enum { MAX_SKIPS = AG_LENIENT_MAX_SKIPS };
    ag_skip skip[MAX_SKIPS];
    ag_warning_id why[MAX_SKIPS];
    size_t nskip = 0;
    if (out) {
        out->lenient = 1;
        out->deviation_count = 0;
    }
    size_t end = len; /* a header line's own CRLF is not trailing garbage */
    if (input == AG_INPUT_HEADER && len >= 2 && buf && buf[len - 2] == '\r' && buf[len - 1] == '\n')
        end -= 2;
    for (;;) {
        size_t fail_at = 0;
        ag_status st = parse_skips(profile, input, buf, len, skip, nskip, out, NULL, &fail_at);
        if (st != AG_ERR_SYNTAX) {
            if (st != AG_OK)
                return st;
            for (size_t k = 0; k < nskip; k++)
                ag_add_deviation(out, why[k], skip[k].at, why[k] == AG_W_LENIENT_TRAILING ? "challenge" : "COMMA");
            return ag_lenient_types(out);
        }
        size_t t = end;
        while (t > 0 && ag_loose_separator(buf[t - 1]))
            t--;
        int trailing = fail_at >= t && t < end && !(nskip && skip[nskip - 1].at + skip[nskip - 1].len == end);
        int comma = fail_at < len && buf[fail_at] == ',' && loose_comma(profile, buf, len, fail_at, skip, nskip);
        if ((trailing || comma) && nskip == MAX_SKIPS) {
            /* one deviation more than the documented limit: said as such,
             * where it is (not as a syntax error at a comma it could read) */
            if (diag) {
                memset(diag, 0, sizeof *diag);
                diag->status = AG_ERR_LIMIT;
                diag->offset = trailing ? t : fail_at;
                diag->at_end = diag->offset >= len;
                diag->byte = diag->at_end ? 0 : (unsigned char)buf[diag->offset];
                diag->rule = "lenient-limit";
                diag->rfc = "";
                snprintf(diag->expected, sizeof diag->expected,
                         "at most %d skipped commas or trailing separators", MAX_SKIPS);
            }
            return AG_ERR_LIMIT;
        }
        if (!trailing && !comma) {
            /* not a deviation we read: the strict diagnosis */
            parse_skips(profile, input, buf, len, NULL, 0, out, diag, NULL);
            return AG_ERR_SYNTAX;
        }
        ag_skip add = trailing ? (ag_skip){t, end - t} : (ag_skip){fail_at, 1};
        size_t k = nskip++;
        while (k > 0 && skip[k - 1].at > add.at) { /* sorted */
            skip[k] = skip[k - 1];
            why[k] = why[k - 1];
            k--;
        }
        skip[k] = add;
        why[k] = trailing ? AG_W_LENIENT_TRAILING : AG_W_LENIENT_EMPTY_ELEMENT;
    }
}
