/* SPDX-License-Identifier: MIT */
/* The lenient reading (ag_parse_lenient).  Its structure: the strict parse
 * is re-run with a refused comma or trailing separators left out (the
 * machine says where it refused).  Its parameters: a Digest parameter with a dedicated name
 * that strictly is only an auth-param is typed when its value, written the
 * way its production wants (quoted or bare, a qop list without the loose
 * separators), is accepted by that production's own machine.  The grammar
 * decides; nothing here knows what a realm looks like. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* ag_lenient_types keeps the kinds met in a bit set */
_Static_assert(AG_PARAM_USERNAME_EXT < 64, "parameter kinds fit a uint64_t");

int ag_loose_separator(char c) { return c == ' ' || c == '\t' || c == ','; }

/* The qop values of a loose list: each a longest qop-value match, with only
 * SP, HTAB and commas around them.  Returns how many, or 0 if the content is
 * not such a list; the i-th is written to items[i] when i < cap. */
static size_t loose_qop_items(const ag_prof *P, ag_span v, ag_span *items, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < v.len;) {
        if (ag_loose_separator(v.ptr[k])) {
            k++;
            continue;
        }
        size_t m = ag_longest_match(P->g, P->e_qop_value, (const unsigned char *)v.ptr + k, v.len - k);
        if (!m || (k + m < v.len && !ag_loose_separator(v.ptr[k + m])))
            return 0;
        if (n < cap)
            items[n] = (ag_span){v.ptr + k, m};
        n++;
        k += m;
    }
    return n;
}

void ag_add_deviation(ag_challenge_list *l, ag_warning_id id, size_t offset, const char *rule)
{
    if (l->deviation_count < AG_LIST_DEVIATIONS) {
        ag_warning *w = &l->deviations[l->deviation_count];
        memset(w, 0, sizeof *w);
        w->id = id;
        w->offset = offset;
        w->rule = rule;
        w->detail_rule = "";
        w->rfc = ag_warning_rfc(id); /* ag_check_list gives the profile's */
    }
    l->deviation_count++;
}

/* The typed fields hold the first parameter of their kind: a parameter now
 * typed sets them when it comes before any other of its kind (a strict
 * one after it set them first: "opaque=x, opaque=\"o\"" reads x). */
static ag_status set_field(ag_challenge_list *l, ag_challenge *c, const ag_prof *P, ag_param *p,
                           ag_span *items, size_t nitems, uint64_t seen)
{
    if (seen & ((uint64_t)1 << p->kind)) /* the kinds of the parameters before p */
        return AG_OK;
    switch (p->kind) {
    case AG_PARAM_QOP: { /* the list's free tail of the pool */
        size_t at = l->qop_count;
        l->qop_count += nitems;
        if (l->qop_count > l->qop_cap)
            return AG_ERR_CAPACITY;
        c->qop = l->qop + at;
        c->qop_cap = c->qop_count = nitems;
        for (size_t i = 0; i < nitems; i++) {
            c->qop[i].raw = items[i];
            c->qop[i].qop = (ag_qop)ag_literal_value(P->g, P->r_qop, items[i].ptr, items[i].len,
                                                     AG_QOP_OTHER);
        }
        break;
    }
    case AG_PARAM_DOMAIN: { /* read from a token (lenient-unquoted): no SP, so one URI */
        size_t at = l->domain_count;
        if (++l->domain_count > l->domain_cap)
            return AG_ERR_CAPACITY;
        c->domain = l->domain + at;
        c->domain_cap = c->domain_count = 1;
        c->domain[0] = p->value;
        break;
    }
    default: { /* the typed fields (tags 'field' slots) */
        const ag_gen_field *f = ag_field_of_kind(P->g, p->kind);
        if (f)
            ag_field_put(P->g, f, AG_GEN_VIEW_CHALLENGE, c, p->value, 0);
        break;
    }
    }
    return AG_OK;
}

ag_status ag_lenient_types(ag_challenge_list *l)
{
    for (size_t k = 0; k < l->count; k++) {
        ag_challenge *c = &l->challenges[k];
        const ag_prof *P = ag_prof_of(c->profile);
        if (c->scheme_id != AG_SCHEME_DIGEST)
            continue;
        /* the kinds met so far, final once passed: so that each parameter
         * costs the same however many came before it */
        uint64_t seen = 0;
        for (size_t i = 0; i < c->param_count; i++) {
            ag_param *p = &c->params[i];
            if (i)
                seen |= (uint64_t)1 << c->params[i - 1].kind;
            if (p->kind == AG_PARAM_DOMAIN) {
                /* only the first domain parameter's URIs are the typed list */
                if (seen & ((uint64_t)1 << AG_PARAM_DOMAIN))
                    continue;
                /* "sip:a.com, sip:b.com": the URI "sip:a.com," is a URI too
                 * (',' is uric); read it without the comma when that is one */
                for (size_t d = 0; d < c->domain_count; d++) {
                    ag_span *u = &c->domain[d];
                    const char *after = u->ptr + u->len;
                    if (u->len > 1 && u->ptr[u->len - 1] == ',' && d + 1 < c->domain_count &&
                        after < p->value.ptr + p->value.len && *after == ' ' &&
                        ag_recognize(P->g, P->e_uri, (const unsigned char *)u->ptr, u->len - 1, NULL)) {
                        u->len--;
                        p->lenient = 1;
                        ag_add_deviation(l, AG_W_LENIENT_DOMAIN_COMMA, p->offset + (size_t)(after - 1 - p->name.ptr),
                                      P->g->entry_rules[P->e_uri]);
                    }
                }
                continue;
            }
            const ag_gen_field *f = p->kind == AG_PARAM_GENERIC ? ag_field_named(P->g, p->name, P->grp_challenge) : NULL;
            if (!f)
                continue;
            ag_span items[32];
            size_t nitems = 0;
            ag_warning_id id;
            int bare_content = p->quoted && !memchr(p->value.ptr, '\\', p->value.len) &&
                               !memchr(p->value.ptr, '\r', p->value.len);
            if (!p->quoted && ag_field_matches(P, f, p, 1, NULL, 0)) {
                id = AG_W_LENIENT_UNQUOTED;
                p->quoted = 1;
                if (f->kind == AG_PARAM_QOP)
                    nitems = loose_qop_items(P, p->value, items, 32);
            } else if (bare_content && ag_field_matches(P, f, p, 0, NULL, 0)) {
                id = AG_W_LENIENT_QUOTED;
                p->quoted = 0;
            } else if (bare_content && f->kind == AG_PARAM_QOP &&
                       (nitems = loose_qop_items(P, p->value, items, 32)) > 0 && nitems <= 32 &&
                       ag_field_matches(P, f, p, 1, items, nitems)) {
                id = AG_W_LENIENT_QOP_LIST;
            } else
                continue;
            p->kind = (ag_param_kind)f->kind;
            p->lenient = 1;
            ag_add_deviation(l, id, p->offset, P->g->rule_names[f->rule]);
            if (set_field(l, c, P, p, items, nitems > 32 ? 0 : nitems, seen) != AG_OK)
                return AG_ERR_CAPACITY;
        }
    }
    return AG_OK;
}

/* ---- the lenient reading's structure: what the machine refuses, left out ---- */

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
    int what = ag_what_of(input, 0);
    if (what < 0)
        return AG_ERR_ARGUMENT;
    size_t end = len; /* a header line's own CRLF is not trailing garbage */
    if (input == AG_INPUT_HEADER && len >= 2 && buf && buf[len - 2] == '\r' && buf[len - 1] == '\n')
        end -= 2;
    for (;;) {
        size_t fail_at = 0;
        ag_status st = ag_parse_what(profile, what, buf, len, skip, nskip, out, NULL, &fail_at);
        if (st != AG_ERR_SYNTAX) {
            if (st != AG_OK)
                return st;
            /* a skipped comma is named after the rule it would have been
             * (sip COMMA); an http list's separator has none (RFC 7230's
             * #rule, as the http-empty-element warning says) */
            const ag_prof *P = ag_prof_of(profile);
            for (size_t k = 0; k < nskip; k++)
                ag_add_deviation(out, why[k], skip[k].at,
                                 why[k] == AG_W_LENIENT_TRAILING ? ag_rule_name(P->g, P->r_challenge)
                                 : P->r_comma >= 0               ? ag_rule_name(P->g, P->r_comma)
                                                                 : "#element");
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
            ag_parse_what(profile, what, buf, len, NULL, 0, out, diag, NULL);
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
