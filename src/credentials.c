/* SPDX-License-Identifier: MIT */
/* Credentials (Authorization, Proxy-Authorization): the answer side, from
 * the same machines as challenges.  The capture machine types every
 * parameter (its kind); this file only gives the caller's arrays to the
 * parser, makes the typed view out of the kinds, and feeds the serializer
 * and the checker the same way challenges do. */
#include <string.h>

#include "ser.h"

void ag_credentials_init(ag_credentials *c, ag_credentials_storage *storage)
{
    if (!c)
        return;
    memset(c, 0, sizeof *c);
    if (storage) {
        c->params = storage->params;
        c->param_cap = sizeof storage->params / sizeof storage->params[0];
    }
}

static void clear_view(ag_credentials *c, ag_profile profile)
{
    ag_param *params = c->params;
    size_t cap = c->param_cap;
    memset(c, 0, sizeof *c);
    c->params = params;
    c->param_cap = cap;
    c->profile = profile;
}

ag_status ag_parse_credentials(ag_profile profile, ag_input input, const char *buf, size_t len,
                               ag_credentials *out, ag_diag *diag)
{
    if (!out || (!buf && len) || (!out->params && out->param_cap) ||
        (profile != AG_PROFILE_SIP && profile != AG_PROFILE_HTTP) ||
        (input != AG_INPUT_VALUE && input != AG_INPUT_HEADER))
        return AG_ERR_ARGUMENT;
    clear_view(out, profile);
    int what = ag_what_of(input, 1);
    /* the parsers' typed view, over the caller's parameters, as a list of
     * one: credentials are one element in both profiles (RFC 3261 section
     * 20.7, RFC 7235 section 4.2), the grammar never makes a second */
    ag_challenge c;
    c.params = out->params;
    c.param_cap = out->param_cap;
    c.qop = NULL;
    c.domain = NULL;
    c.qop_cap = c.domain_cap = 0;
    ag_challenge_list l;
    ag_list_of_one(&l, &c);
    ag_status st = ag_parse_what(profile, what, buf, len, NULL, 0, &l, diag, NULL);
    if (st == AG_OK && l.count != 1)
        return AG_ERR_SYNTAX; /* cannot happen: credentials is one element */
    if (st == AG_ERR_CAPACITY)
        c.param_count = l.param_count;
    if (st != AG_OK && st != AG_ERR_CAPACITY)
        return st;
    out->param_count = c.param_count;
    if (st == AG_ERR_CAPACITY)
        return st;
    out->header = c.header;
    out->offset = c.offset;
    out->scheme = c.scheme;
    out->scheme_id = c.scheme_id;
    out->token68 = c.token68;
    /* the typed fields: the first parameter of each dedicated kind, where
     * its tags 'field' slots say (as in a challenge: a repeated parameter
     * is a warning, the first one counts) */
    const ag_gen_grammar *g = ag_prof_of(profile)->g;
    for (size_t i = 0; i < out->param_count; i++) {
        const ag_param *p = &out->params[i];
        const ag_gen_field *f = ag_field_of_kind(g, p->kind);
        if (f)
            ag_field_put(g, f, AG_GEN_VIEW_CREDENTIALS, out, p->value, 1);
    }
    return AG_OK;
}

/* The parsers' view of credentials: what ag_check and the serializer read. */
static void as_challenge(const ag_credentials *c, ag_challenge *v)
{
    memset(v, 0, sizeof *v);
    v->profile = c->profile;
    v->header = c->header;
    v->offset = c->offset;
    v->scheme = c->scheme;
    v->scheme_id = c->scheme_id;
    v->token68 = c->token68;
    v->params = c->params;
    v->param_cap = c->param_cap;
    v->param_count = c->param_count;
}

size_t ag_check_credentials(const ag_credentials *c, ag_warning *out, size_t cap)
{
    if (!c || c->param_count > c->param_cap || !c->scheme.ptr)
        return 0;
    ag_challenge v;
    as_challenge(c, &v);
    return ag_check_side(&v, 1, c->algorithm, out, cap);
}

/* ---- serializing --------------------------------------------------------- */

ag_status ag_serialize_credentials(const ag_credentials *c, ag_form form, char *buf, size_t cap,
                                   size_t *len, ag_field_error *err)
{
    const char *why = !c                                ? "no credentials given (NULL)"
                      : c->param_count > c->param_cap   ? "param_count is larger than param_cap"
                      : c->param_count && !c->params    ? "params is NULL with param_count > 0"
                      : c->profile != AG_PROFILE_SIP && c->profile != AG_PROFILE_HTTP
                          ? "profile is neither AG_PROFILE_SIP nor AG_PROFILE_HTTP"
                          : NULL;
    if (why)
        return ag_ser_refuse(buf, cap, len, err, "credentials", why);
    ag_challenge v; /* the serializer reads parsed challenges; the source says these are credentials */
    as_challenge(c, &v);
    return ag_ser_challenges(&v, 1, 0, 1, form, buf, cap, len, err);
}

/* ---- proxy_authorization_digest: one call, one Digest answer line ---------- */

enum { NARGS = 10 };

typedef struct one_args {
    ag_span scheme;
    ag_sparam p[NARGS];
    size_t n;
} one_args;

static ag_span o_scheme(const void *ctx, size_t ch)
{
    (void)ch;
    return ((const one_args *)ctx)->scheme;
}

static size_t o_nparams(const void *ctx, size_t ch)
{
    (void)ch;
    return ((const one_args *)ctx)->n;
}

static void o_param(const void *ctx, size_t ch, size_t i, ag_sparam *sp)
{
    (void)ch;
    *sp = ((const one_args *)ctx)->p[i];
}

static ag_status one_call(ag_profile profile, ag_form form, char *buf, size_t cap, size_t *len,
                          ag_field_error *err, const ag_span v[NARGS])
{
    /* the order of the call's arguments, and which are required; each is
     * written in its production's form (qop and nc bare, the rest quoted:
     * RFC 3261 section 25.1, RFC 7616 section 3.4) */
    static const struct {
        ag_param_kind kind;
        int required;
    } spec[NARGS] = {
        {AG_PARAM_USERNAME, 1}, {AG_PARAM_REALM, 1},    {AG_PARAM_NONCE, 1},       {AG_PARAM_URI, 1},
        {AG_PARAM_RESPONSE, 1}, {AG_PARAM_ALGORITHM, 0}, {AG_PARAM_CNONCE, 0},     {AG_PARAM_OPAQUE, 0},
        {AG_PARAM_MESSAGE_QOP, 0}, {AG_PARAM_NC, 0},
    };
    const char *why = !len           ? AG_SER_NO_LEN
                      : !buf && cap  ? AG_SER_NO_BUF
                      : profile != AG_PROFILE_SIP && profile != AG_PROFILE_HTTP
                          ? "profile is neither AG_PROFILE_SIP nor AG_PROFILE_HTTP"
                          : NULL;
    if (why)
        return ag_ser_refuse(buf, cap, len, err, !len ? "len" : !buf && cap ? "buf" : "profile", why);
    /* the output conventions for the refusals below, as ag_ser_refuse's */
    *len = 0;
    if (buf && cap)
        buf[0] = 0;
    if (err)
        memset(err, 0, sizeof *err);
    one_args a;
    memset(&a, 0, sizeof a);
    const char *digest = ag_scheme_text(ag_prof_of(profile), AG_SCHEME_DIGEST);
    a.scheme = (ag_span){digest, strlen(digest)};
    for (size_t i = 0; i < NARGS; i++) {
        const char *name = ag_ser_field_name(profile, spec[i].kind);
        if (!v[i].ptr && (spec[i].required || v[i].len)) {
            if (err) {
                err->status = AG_ERR_ARGUMENT;
                err->field = name;
                err->index = a.n;
                err->rule = err->rfc = "";
                err->message = v[i].len ? "a value of non-zero length at NULL"
                                        : "required: username, realm, nonce, uri and response (NULL given)";
            }
            return AG_ERR_ARGUMENT;
        }
        if (!v[i].ptr)
            continue;
        ag_sparam *sp = &a.p[a.n++];
        sp->kind = spec[i].kind;
        sp->name = (ag_span){name, strlen(name)};
        sp->value = v[i];
        sp->quoted = ag_ser_field_quoted(profile, spec[i].kind);
    }
    ag_source src = {profile, 0, 1, 1, o_scheme, NULL, o_nparams, o_param, &a};
    return ag_ser_write(&src, form, buf, cap, len, err);
}

static ag_span cspan(const char *s) { return (ag_span){s, s ? strlen(s) : 0}; }

static ag_status c_strings(ag_form form, char *buf, size_t cap, size_t *len, ag_field_error *err,
                           const char *const c[NARGS])
{
    ag_span v[NARGS];
    for (size_t i = 0; i < NARGS; i++)
        v[i] = cspan(c[i]);
    return one_call(AG_PROFILE_SIP, form, buf, cap, len, err, v);
}

ag_status ag_proxy_authorization_digest(char *buf, size_t cap, size_t *len, ag_field_error *err,
                                        const char *username, const char *realm, const char *nonce,
                                        const char *uri, const char *response, const char *algorithm,
                                        const char *cnonce, const char *opaque, const char *qop,
                                        const char *nc)
{
    const char *const v[NARGS] = {username, realm, nonce, uri, response, algorithm, cnonce, opaque, qop, nc};
    return c_strings(AG_FORM_PROXY_AUTHORIZATION, buf, cap, len, err, v);
}

ag_status ag_authorization_digest(char *buf, size_t cap, size_t *len, ag_field_error *err,
                                  const char *username, const char *realm, const char *nonce,
                                  const char *uri, const char *response, const char *algorithm,
                                  const char *cnonce, const char *opaque, const char *qop, const char *nc)
{
    const char *const v[NARGS] = {username, realm, nonce, uri, response, algorithm, cnonce, opaque, qop, nc};
    return c_strings(AG_FORM_AUTHORIZATION, buf, cap, len, err, v);
}

ag_status ag_digest_answer_line(ag_profile profile, ag_header header, const ag_digest_answer *a, char *buf,
                                size_t cap, size_t *len, ag_field_error *err)
{
    ag_form form = header == AG_HEADER_PROXY_AUTHORIZATION ? AG_FORM_PROXY_AUTHORIZATION
                   : header == AG_HEADER_AUTHORIZATION     ? AG_FORM_AUTHORIZATION
                                                           : AG_FORM_VALUE;
    if (!a || form == AG_FORM_VALUE) {
        return ag_ser_refuse(buf, cap, len, err, "header",
                             !a ? "no answer given (NULL)"
                                : "the header must be AG_HEADER_PROXY_AUTHORIZATION or AG_HEADER_AUTHORIZATION");
    }
    const ag_span v[NARGS] = {a->username, a->realm, a->nonce,  a->uri, a->response,
                              a->algorithm, a->cnonce, a->opaque, a->qop, a->nc};
    return one_call(profile, form, buf, cap, len, err, v);
}
