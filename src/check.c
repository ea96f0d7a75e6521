/* SPDX-License-Identifier: MIT */
/* Warnings: values that are in the language of the ABNF but break a prose
 * rule of the RFCs: a warning, never an error, so that what the ABNF allows
 * is always read; the error is the grammar's alone.  Every check that
 * concerns the syntax of a value runs a machine generated from grammar/
 * (the dedicated rules, the registries, RFC 3629 UTF-8). */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "response_len.h"

typedef struct sink {
    ag_warning *out;
    size_t cap, n;
    ag_profile profile; /* which RFC a warning cites */
} sink;

static ag_warning *emit(sink *s, ag_warning_id id, size_t offset, const char *rule)
{
    ag_warning *w = NULL;
    if (s->n < s->cap) {
        w = &s->out[s->n];
        memset(w, 0, sizeof *w);
        w->id = id;
        w->offset = offset;
        w->rule = rule ? rule : "";
        w->detail_rule = "";
        w->rfc = ag_warning_rfc_in(s->profile, id);
    }
    s->n++;
    return w;
}

static int has_param_named(const ag_challenge *c, const char *name, int name_len)
{
    for (size_t i = 0; i < c->param_count; i++)
        if (c->params[i].name.len == (size_t)name_len &&
            ag_ascii_ieq(c->params[i].name.ptr, c->params[i].name.len, name))
            return 1;
    return 0;
}

/* Whether the value was written in quotes: the lenient reading may retype a
 * token as a quoted production (and back), so p->quoted says how it is
 * read, the byte before the value how it was written. */
static int written_quoted(const ag_param *p) { return p->value.ptr > p->name.ptr && p->value.ptr[-1] == '"'; }

/* The whole text of a parameter: from its name to the end of its value. */
static ag_span param_text(const ag_param *p)
{
    const char *end = p->value.ptr + p->value.len + (written_quoted(p) ? 1 : 0);
    return (ag_span){p->name.ptr, (size_t)(end - p->name.ptr)};
}

/* The input the spans of c point into (offsets are relative to it). */
static const char *base_of(const ag_challenge *c) { return c->scheme.ptr - c->offset; }

/* Where the challenge's text ends: its last parameter, token68 or scheme. */
static const char *challenge_end(const ag_challenge *c)
{
    const char *end = c->scheme.ptr + c->scheme.len;
    if (c->token68.ptr && c->token68.ptr + c->token68.len > end)
        end = c->token68.ptr + c->token68.len;
    if (c->param_count) {
        const ag_param *p = &c->params[c->param_count - 1];
        const char *e = p->value.ptr + p->value.len + (written_quoted(p) ? 1 : 0);
        if (e > end)
            end = e;
    }
    return end;
}

/* http: more than the one comma a list needs between two elements (or any
 * before the first / after the last) is an empty list element.  The bytes
 * there are only OWS and commas: the machine has matched them already. */
static void empty_elements(sink *s, const char *base, const char *from, const char *to, int commas_ok)
{
    int n = 0;
    for (const char *q = from; q < to; q++)
        if (*q == ',' && ++n > commas_ok)
            emit(s, AG_W_HTTP_EMPTY_ELEMENT, (size_t)(q - base), "#element");
}

/* http obs-fold: in this grammar a CR only ever begins one */
static void folds(sink *s, const char *base, const char *from, const char *to)
{
    const ag_prof *P = ag_prof_of(s->profile);
    for (const char *q = from; q < to; q++)
        if (*q == '\r')
            emit(s, AG_W_HTTP_OBS_FOLD, (size_t)(q - base), ag_rule_name(P->g, P->r_fold));
}

/* Rotates w[0, n) left by k (three reversals: no memory beyond a slot). */
static void reverse(ag_warning *w, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        ag_warning t = w[i];
        w[i] = w[n - 1 - i];
        w[n - 1 - i] = t;
    }
}

static void rotate(ag_warning *w, size_t n, size_t k)
{
    reverse(w, k);
    reverse(w + k, n - k);
    reverse(w, n);
}

/* First index in w[0, n) whose offset is > off (upper) or >= off. */
static size_t bound(const ag_warning *w, size_t n, size_t off, int upper)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (upper ? w[mid].offset <= off : w[mid].offset < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Stable merge of the sorted runs w[0, m) and w[m, n) in place, by
 * rotations (O(n log n) moves, no buffer: the library allocates nothing). */
static void merge_in_place(ag_warning *w, size_t m, size_t n)
{
    if (m == 0 || m == n || w[m - 1].offset <= w[m].offset)
        return;
    if (n == 2) {
        rotate(w, 2, 1);
        return;
    }
    size_t cut1, cut2;
    if (m >= n - m) {
        cut1 = m / 2;
        cut2 = m + bound(w + m, n - m, w[cut1].offset, 0);
    } else {
        cut2 = m + (n - m) / 2;
        cut1 = bound(w, m, w[cut2].offset, 1);
    }
    rotate(w + cut1, cut2 - cut1, m - cut1);
    size_t mid = cut1 + (cut2 - m);
    merge_in_place(w, cut1, mid);
    merge_in_place(w + mid, cut2 - mid, n - mid);
}

/* The warnings in out[0, n) by offset (stable): they are found by kind, per
 * parameter and per gap, not in input order.  Runs already in order (the
 * usual case) cost one comparison each; any input costs O(n log^2 n). */
static void sort_by_offset(ag_warning *w, size_t n)
{
    for (size_t width = 1; width < n; width *= 2)
        for (size_t lo = 0; lo + width < n; lo += 2 * width) {
            size_t len = n - lo < 2 * width ? n - lo : 2 * width;
            merge_in_place(w + lo, width, len);
        }
}

/* The warning a Digest parameter of the http profile gets when it has a
 * dedicated name but not the form of RFC 7616 section 3.3 (production f). */
static ag_warning_id http_form_warning(const ag_prof *P, const ag_gen_field *f, const ag_param *p)
{
    /* a quoted value that is right but for its quotes (RFC 7616's quoting):
     * the production's own machine says so, bare */
    int right_value = p->quoted && ag_field_matches(P, f, p, 0, NULL, 0);
    switch (f->kind) {
    case AG_PARAM_STALE:
    case AG_PARAM_USERHASH:
        return right_value ? AG_W_HTTP_DIGEST_FORM : AG_W_HTTP_BOOL_VALUE;
    case AG_PARAM_QOP:
        return AG_W_HTTP_QOP_LIST;
    case AG_PARAM_CHARSET:
        return right_value ? AG_W_HTTP_DIGEST_FORM : AG_W_HTTP_CHARSET;
    case AG_PARAM_REALM:
        return p->quoted ? AG_W_HTTP_DIGEST_FORM : AG_W_HTTP_REALM_UNQUOTED;
    default:
        return AG_W_HTTP_DIGEST_FORM;
    }
}

/* The prose rules of a Digest response (RFC 2617 section 3.2.2, RFC 8760
 * section 2.6): the required parameters, cnonce and nc exactly when there
 * is a qop, and a response as long as its algorithm's hash. */
static void credentials_rules(sink *s, const ag_challenge *c, const ag_gen_grammar *g, ag_algorithm alg)
{
    static const ag_param_kind required[] = {AG_PARAM_USERNAME, AG_PARAM_REALM, AG_PARAM_NONCE,
                                             AG_PARAM_URI, AG_PARAM_RESPONSE};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        const ag_gen_field *f = ag_field_of_kind(g, required[i]);
        /* http: username* stands for username (RFC 7616 section 3.4) */
        const ag_gen_field *ext = required[i] == AG_PARAM_USERNAME ? ag_field_of_kind(g, AG_PARAM_USERNAME_EXT) : NULL;
        if (f && !has_param_named(c, f->name, f->name_len) && !(ext && has_param_named(c, ext->name, ext->name_len)))
            emit(s, AG_W_DIGEST_MISSING_PARAM, c->offset, g->rule_names[f->rule]);
    }
    const ag_param *qop = NULL, *cnonce = NULL, *nc = NULL, *response = NULL;
    for (size_t i = 0; i < c->param_count; i++) {
        const ag_param *p = &c->params[i];
        const ag_param **slot = p->kind == AG_PARAM_MESSAGE_QOP ? &qop
                                : p->kind == AG_PARAM_CNONCE    ? &cnonce
                                : p->kind == AG_PARAM_NC        ? &nc
                                : p->kind == AG_PARAM_RESPONSE  ? &response
                                                                : NULL;
        if (slot && !*slot)
            *slot = p;
    }
    if (qop ? !cnonce || !nc : cnonce || nc) {
        const ag_param *at = qop ? qop : cnonce ? cnonce : nc;
        emit(s, AG_W_DIGEST_QOP_MISMATCH, at->offset, g->rule_names[ag_field_of_kind(g, at->kind)->rule]);
    }
    size_t want = ag_response_hex_digits(alg);
    if (response && want && response->value.len != want)
        emit(s, AG_W_DIGEST_RESPONSE_LENGTH, response->offset,
             g->rule_names[ag_field_of_kind(g, AG_PARAM_RESPONSE)->rule]);
}

size_t ag_check(const ag_challenge *c, ag_warning *out, size_t cap)
{
    return ag_check_side(c, 0, AG_ALGORITHM_NONE, out, cap);
}

size_t ag_check_side(const ag_challenge *c, int creds, ag_algorithm alg, ag_warning *out, size_t cap)
{
    if (!c || c->param_count > c->param_cap || !c->scheme.ptr)
        return 0;
    sink s = {out, out ? cap : 0, 0, c->profile};
    const ag_prof *P = ag_prof_of(c->profile);
    unsigned groups = creds ? P->grp_credentials : P->grp_challenge;
    const ag_gen_grammar *g = P->g;
    int http = c->profile == AG_PROFILE_HTTP;
    int digest = c->scheme_id == AG_SCHEME_DIGEST;
    const char *base = base_of(c);

    if (!http && c->scheme_id == AG_SCHEME_BASIC)
        emit(&s, AG_W_BASIC_SCHEME, c->offset, ag_rule_name(g, creds ? P->r_other_credentials : P->r_other_challenge));
    if (http && digest && c->token68.ptr)
        emit(&s, AG_W_HTTP_DIGEST_TOKEN68, c->offset, ag_rule_name(g, P->r_token68));
    if (creds && digest && !c->token68.ptr)
        credentials_rules(&s, c, g, alg);
    if (!creds && digest && !c->token68.ptr) {
        static const struct {
            ag_param_kind kind;
            ag_warning_id id;
        } required[] = {{AG_PARAM_REALM, AG_W_DIGEST_NO_REALM},
                        {AG_PARAM_NONCE, AG_W_DIGEST_NO_NONCE},
                        {AG_PARAM_QOP, AG_W_DIGEST_NO_QOP}};
        for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
            const ag_gen_field *f = ag_field_of_kind(g, required[i].kind);
            if (f && !has_param_named(c, f->name, f->name_len))
                emit(&s, required[i].id, c->offset, g->rule_names[f->rule]);
        }
    }
    const ag_gen_field *realm = ag_field_of_kind(g, AG_PARAM_REALM);
    if (!creds && http && c->scheme_id == AG_SCHEME_BASIC && realm && !has_param_named(c, realm->name, realm->name_len))
        emit(&s, AG_W_HTTP_BASIC_NO_REALM, c->offset, ag_rule_name(g, P->r_auth_param));
    if (http)
        folds(&s, base, c->scheme.ptr, challenge_end(c));

    const char *prev_end = c->scheme.ptr + c->scheme.len;
    for (size_t i = 0; i < c->param_count; i++) {
        const ag_param *p = &c->params[i];
        if (http) {
            /* between the scheme and the first parameter no comma is needed */
            empty_elements(&s, base, prev_end, p->name.ptr, i ? 1 : 0);
            prev_end = p->value.ptr + p->value.len + (written_quoted(p) ? 1 : 0);
        }
        /* the parsers index the names (ag_params_index): linear here; the
         * names are compared again, so a view filled by hand and never
         * indexed cannot get a false duplicate */
        if (p->same_name < i && ag_span_ieq(c->params[p->same_name].name, p->name))
            emit(&s, AG_W_DUPLICATE_PARAM, p->offset,
                 ag_rule_name(g, digest && !http ? (creds ? P->r_digest_credentials : P->r_digest_challenge)
                                                 : P->r_auth_param));

        /* outside Digest the names of RFC 7616's productions still say what
         * a realm and a charset must look like (RFC 7235 2.2, RFC 7617 2.1) */
        const ag_gen_field *named = http && !digest ? ag_field_named(g, p->name, groups) : NULL;
        if (named && named->kind == AG_PARAM_REALM && !p->quoted)
            emit(&s, AG_W_HTTP_REALM_UNQUOTED, p->offset, ag_rule_name(g, P->r_auth_param));
        if (named && named->kind == AG_PARAM_CHARSET && c->scheme_id == AG_SCHEME_BASIC &&
            !ag_field_matches(P, named, p, 0, NULL, 0))
            emit(&s, AG_W_HTTP_CHARSET, p->offset, ag_rule_name(g, P->r_auth_param));
        if (digest && p->kind == AG_PARAM_GENERIC) {
            const ag_gen_field *f = ag_field_named(g, p->name, groups);
            if (f) {
                ag_span t = param_text(p);
                ag_diag d;
                ag_diagnose(g, f->entry, (const unsigned char *)t.ptr, t.len, &d);
                ag_warning *w = emit(&s, http ? http_form_warning(P, f, p) : AG_W_FALLTHROUGH, p->offset,
                                     g->rule_names[f->rule]);
                if (w) {
                    w->detail_offset = p->offset + d.offset;
                    w->detail_rule = d.rule;
                }
            }
        }
        if (p->kind == AG_PARAM_ALGORITHM &&
            ag_literal_value(g, P->r_alg, p->value.ptr, p->value.len, -1) < 0)
            emit(&s, AG_W_ALGORITHM_UNKNOWN, p->offset, g->rule_names[ag_field_of_kind(g, AG_PARAM_ALGORITHM)->rule]);
        if (http && (size_t)(p->value.ptr - (written_quoted(p) ? 1 : 0) - (p->name.ptr + p->name.len)) != 1)
            emit(&s, AG_W_HTTP_BWS, p->offset + p->name.len, ag_rule_name(g, P->r_bws));
        if (p->kind == AG_PARAM_MESSAGE_QOP &&
            ag_literal_value(g, P->r_qop, p->value.ptr, p->value.len, -1) < 0)
            emit(&s, AG_W_QOP_UNKNOWN, p->offset, ag_rule_name(g, P->r_qop_value));
        if (p->kind == AG_PARAM_QOP) {
            /* Every qop parameter, not only the first (which is the typed
             * list).  The machine has matched the value already; its items
             * are the longest qop-value matches, and whatever lies between
             * them (the separators of qop-options) cannot start one. */
            const unsigned char *v = (const unsigned char *)p->value.ptr;
            for (size_t k = 0; k < p->value.len;) {
                size_t n = ag_longest_match(g, P->e_qop_value, v + k, p->value.len - k);
                if (!n) {
                    k++;
                    continue;
                }
                if (ag_literal_value(g, P->r_qop, (const char *)v + k, n, -1) < 0)
                    emit(&s, AG_W_QOP_UNKNOWN,
                         p->offset + (size_t)((const char *)v + k - p->name.ptr), ag_rule_name(g, P->r_qop_value));
                k += n;
            }
        }
        if (!http && p->quoted) { /* http: bytes beyond ASCII are obs-text, no encoding */
            size_t bad;
            if (!ag_recognize(g, P->e_utf8, (const unsigned char *)p->value.ptr, p->value.len, &bad))
                emit(&s, AG_W_NOT_UTF8, p->offset + (size_t)(p->value.ptr - p->name.ptr) + bad,
                     "UTF8-NONASCII");
        }
    }
    if (out)
        sort_by_offset(out, s.n < s.cap ? s.n : s.cap);
    return s.n;
}

size_t ag_check_list(const ag_challenge_list *l, ag_warning *out, size_t cap)
{
    if (!l || l->count > l->cap)
        return 0;
    size_t n = 0;
    for (size_t k = 0; k < l->count; k++) {
        const ag_challenge *c = &l->challenges[k];
        if (c->profile == AG_PROFILE_HTTP && c->scheme.ptr) {
            /* the list around the challenges: one comma between two */
            sink s = {out ? out + (n < cap ? n : cap) : NULL, n < cap ? cap - n : 0, 0, c->profile};
            const char *base = base_of(c);
            const char *from = k ? challenge_end(&l->challenges[k - 1]) : base;
            if (!k) { /* before the first: skip a header line's name and colon */
                const char *colon = memchr(base, ':', c->offset);
                if (c->header != AG_HEADER_NONE && colon)
                    from = colon + 1;
            }
            empty_elements(&s, base, from, c->scheme.ptr, k ? 1 : 0);
            folds(&s, base, from, c->scheme.ptr);
            n += s.n;
        }
        size_t room = n < cap ? cap - n : 0;
        n += ag_check(c, out && room ? out + n : NULL, room);
    }
    if (l->count && l->input.ptr) { /* after the last */
        const ag_challenge *c = &l->challenges[l->count - 1];
        if (c->profile == AG_PROFILE_HTTP && c->scheme.ptr) {
            sink s = {out ? out + (n < cap ? n : cap) : NULL, n < cap ? cap - n : 0, 0, c->profile};
            empty_elements(&s, l->input.ptr, challenge_end(c), l->input.ptr + l->input.len, 0);
            /* a header line's own CRLF ends it: not a fold */
            size_t end = l->input.len;
            if (c->header != AG_HEADER_NONE && end >= 2 && l->input.ptr[end - 2] == '\r' &&
                l->input.ptr[end - 1] == '\n')
                end -= 2;
            folds(&s, l->input.ptr, challenge_end(c), l->input.ptr + end);
            n += s.n;
        }
    }
    /* what the lenient reading applied */
    for (size_t i = 0; i < l->deviation_count && i < AG_LIST_DEVIATIONS; i++, n++)
        if (out && n < cap) {
            out[n] = l->deviations[i];
            if (l->count)
                out[n].rfc = ag_warning_rfc_in(l->challenges[0].profile, out[n].id);
        }
    if (out)
        sort_by_offset(out, n < cap ? n : cap);
    return n;
}

const char *ag_warning_name(ag_warning_id id)
{
    switch (id) {
#define AG_X_(name, sid, rfc, http_rfc, text) \
    case AG_W_##name:               \
        return sid;
        AG_WARNING_TABLE(AG_X_)
#undef AG_X_
    case AG_W_COUNT:
        break;
    }
    return "";
}

const char *ag_warning_rfc(ag_warning_id id)
{
    switch (id) {
#define AG_X_(name, sid, rfc, http_rfc, text) \
    case AG_W_##name:               \
        return rfc;
        AG_WARNING_TABLE(AG_X_)
#undef AG_X_
    case AG_W_COUNT:
        break;
    }
    return "";
}

const char *ag_warning_rfc_in(ag_profile profile, ag_warning_id id)
{
    if (profile != AG_PROFILE_HTTP)
        return ag_warning_rfc(id);
    switch (id) {
#define AG_X_(name, sid, rfc, http_rfc, text) \
    case AG_W_##name:                         \
        return http_rfc;
        AG_WARNING_TABLE(AG_X_)
#undef AG_X_
    case AG_W_COUNT:
        break;
    }
    return "";
}

size_t ag_warning_describe(const ag_warning *w, char *buf, size_t cap)
{
    int n;
    if (!w)
        n = snprintf(buf, cap, "no warning (NULL)");
    else if (w->id == AG_W_FALLTHROUGH && w->rule && w->detail_rule && w->detail_rule[0]) {
        int inner = strcmp(w->rule, w->detail_rule) != 0; /* the rule itself is not "in" itself */
        n = snprintf(buf, cap, "%s: %s fails at offset %zu%s%s", ag_warning_message(w->id), w->rule,
                     w->detail_offset, inner ? ", in " : "", inner ? w->detail_rule : "");
    } else if (w->id == AG_W_DIGEST_MISSING_PARAM && w->rule && w->rule[0])
        n = snprintf(buf, cap, "Digest response without %s", w->rule);
    else
        n = snprintf(buf, cap, "%s", ag_warning_message(w->id));
    return n < 0 ? 0 : (size_t)n;
}

size_t ag_warning_format(const ag_warning *w, char *buf, size_t cap)
{
    if (!w)
        return ag_warning_describe(w, buf, cap);
    char msg[256];
    ag_warning_describe(w, msg, sizeof msg);
    const char *rfc = w->rfc ? w->rfc : ag_warning_rfc(w->id);
    int n = snprintf(buf, cap, "offset %zu: %s [%s]%s%s%s", w->offset, msg, ag_warning_name(w->id),
                     rfc[0] ? " (" : "", rfc, rfc[0] ? ")" : "");
    return n < 0 ? 0 : (size_t)n;
}

const char *ag_warning_message(ag_warning_id id)
{
    switch (id) {
#define AG_X_(name, sid, rfc, http_rfc, text) \
    case AG_W_##name:               \
        return text;
        AG_WARNING_TABLE(AG_X_)
#undef AG_X_
    case AG_W_COUNT:
        break;
    }
    return "";
}
