/* SPDX-License-Identifier: MIT */
/* The builder: proxy_authenticate_digest/basic (one call, one challenge)
 * and step-wise setters, over the serializer.  It stores spans of the caller's strings in
 * fixed arrays and checks each argument when it is given (with the same
 * machines the serializer runs), keeping the first error. */
#include <string.h>

#include "ser.h"

/* What the builder accepts must parse back into the convenience storages
 * (found by the builder fuzz harness: 33 qop values in one joined list). */
_Static_assert(AG_STORAGE_PARAMS >= AG_BUILD_PARAMS && AG_STORAGE_QOP >= AG_BUILD_ITEMS &&
                   AG_STORAGE_DOMAIN >= AG_BUILD_ITEMS,
               "a built challenge must fit ag_challenge_storage");
_Static_assert(AG_LIST_CHALLENGES >= AG_BUILD_CHALLENGES && AG_LIST_PARAMS >= AG_BUILD_PARAMS &&
                   AG_LIST_QOP >= AG_BUILD_ITEMS && AG_LIST_DOMAIN >= AG_BUILD_ITEMS,
               "a built list must fit ag_list_storage");

static int failed(const ag_builder *b) { return b->error.status != AG_OK; }

static ag_status set_error(ag_builder *b, ag_status st, const char *field, const char *message)
{
    ag_field_error *e = &b->error;
    memset(e, 0, sizeof *e);
    e->status = st;
    e->challenge = b->nchallenges ? b->nchallenges - 1 : 0;
    e->field = field;
    e->rule = e->rfc = "";
    e->message = message;
    return st;
}

static ag_status keep(ag_builder *b, ag_status st, const ag_field_error *e)
{
    if (st != AG_OK)
        b->error = *e;
    return st;
}

static ag_span span_of(const char *s, size_t n)
{
    ag_span v = {s, s ? (n == AG_NTS ? strlen(s) : n) : 0};
    return v;
}

void ag_builder_init(ag_builder *b)
{
    /* the arrays are read only below their counts, and each entry is set
     * when it is added: clearing 13 KB per challenge built cost more than
     * building it */
    if (!b)
        return;
    b->profile = AG_PROFILE_SIP;
    b->join = 0;
    b->nchallenges = b->nparams = b->nitems = 0;
    memset(&b->error, 0, sizeof b->error);
}

const ag_field_error *ag_builder_error(const ag_builder *b) { return b ? &b->error : NULL; }

ag_status ag_builder_challenge(ag_builder *b, const char *scheme, size_t len)
{
    if (!b)
        return AG_ERR_ARGUMENT;
    if (failed(b))
        return AG_ERR_STATE;
    if (!scheme)
        return set_error(b, AG_ERR_ARGUMENT, "scheme", "no scheme (NULL)");
    if (b->nchallenges == AG_BUILD_CHALLENGES)
        return set_error(b, AG_ERR_CAPACITY, "scheme", "more than AG_BUILD_CHALLENGES challenges");
    ag_field_error e;
    ag_span s = span_of(scheme, len);
    if (keep(b, ag_ser_check_scheme(b->profile, s, b->nchallenges, &e), &e) != AG_OK)
        return AG_ERR_FIELD;
    b->token68[b->nchallenges] = (ag_span){NULL, 0};
    b->scheme[b->nchallenges++] = s;
    return AG_OK;
}

/* The parameter of the latest challenge with that kind (dedicated) or name
 * (any), or -1. */
static long find(const ag_builder *b, ag_param_kind kind, ag_span name)
{
    for (size_t i = 0; i < b->nparams; i++) {
        const ag_build_param *p = &b->params[i];
        if (p->challenge != b->nchallenges - 1)
            continue;
        if (kind != AG_PARAM_GENERIC && p->kind == kind)
            return (long)i;
        if (ag_span_ieq(p->name, name))
            return (long)i;
    }
    return -1;
}

static int b_has_params(const ag_builder *b, size_t ch)
{
    for (size_t i = 0; i < b->nparams; i++)
        if (b->params[i].challenge == ch)
            return 1;
    return 0;
}

static size_t index_in_challenge(const ag_builder *b, size_t param)
{
    size_t n = 0;
    for (size_t i = 0; i < param; i++)
        n += b->params[i].challenge == b->params[param].challenge;
    return n;
}

/* Common part of every setter: state, a challenge to add to, capacity. */
static ag_status can_add(ag_builder *b, const char *field)
{
    if (!b)
        return AG_ERR_ARGUMENT;
    if (failed(b))
        return AG_ERR_STATE;
    if (!b->nchallenges)
        return set_error(b, AG_ERR_ARGUMENT, field, "no challenge yet: call ag_builder_challenge first");
    return AG_OK;
}

static ag_status add(ag_builder *b, ag_param_kind kind, const char *field, ag_span name, ag_span value,
                     int quoted)
{
    ag_status st = can_add(b, field);
    if (st != AG_OK)
        return st;
    if (!value.ptr || !name.ptr)
        return set_error(b, AG_ERR_ARGUMENT, field, "no value (NULL)");
    if (b->token68[b->nchallenges - 1].ptr)
        return set_error(b, AG_ERR_ARGUMENT, field, "a challenge has one token68 or parameters, not both");
    if (find(b, kind, name) >= 0)
        return set_error(b, AG_ERR_ARGUMENT, field,
                         "given twice: a duplicate parameter (RFC 2617 section 3.2.1)");
    if (b->nparams == AG_BUILD_PARAMS)
        return set_error(b, AG_ERR_CAPACITY, field, "more than AG_BUILD_PARAMS parameters");
    ag_build_param *p = &b->params[b->nparams];
    p->kind = kind;
    p->name = name;
    p->value = value;
    p->quoted = quoted;
    p->challenge = b->nchallenges - 1;
    if (kind != AG_PARAM_QOP && kind != AG_PARAM_DOMAIN) {
        ag_sparam sp;
        memset(&sp, 0, sizeof sp);
        sp.kind = kind;
        sp.field = field;
        sp.name = name;
        sp.value = value;
        sp.quoted = quoted;
        ag_field_error e;
        if (keep(b, ag_ser_check_param(b->profile, &sp, p->challenge, index_in_challenge(b, b->nparams), &e), &e) != AG_OK)
            return AG_ERR_FIELD;
    }
    b->nparams++;
    return AG_OK;
}

static ag_span lit(const char *s) { return span_of(s, AG_NTS); }

static __attribute__((noinline, cold)) ag_status no_production(ag_builder *b)
{
    return b ? set_error(b, AG_ERR_ARGUMENT, "param", "the profile's grammar has no such production")
             : AG_ERR_ARGUMENT;
}

/* A dedicated parameter, written in its production's form (quoted or bare). */
static ag_status dedicated(ag_builder *b, ag_param_kind kind, const char *s, size_t len)
{
    const ag_gen_field *f = ag_field_of_kind(ag_prof_of(b ? b->profile : AG_PROFILE_SIP)->g, kind);
    if (!f) /* (a grammar without the production) */
        return no_production(b);
    return add(b, kind, f->name, (ag_span){f->name, (size_t)f->name_len}, span_of(s, len),
               f->form == AG_GEN_FORM_QUOTED);
}

ag_status ag_builder_realm(ag_builder *b, const char *s, size_t len)
{
    return dedicated(b, AG_PARAM_REALM, s, len);
}

ag_status ag_builder_nonce(ag_builder *b, const char *s, size_t len)
{
    return dedicated(b, AG_PARAM_NONCE, s, len);
}

ag_status ag_builder_opaque(ag_builder *b, const char *s, size_t len)
{
    return dedicated(b, AG_PARAM_OPAQUE, s, len);
}

ag_status ag_builder_algorithm(ag_builder *b, const char *s, size_t len)
{
    return dedicated(b, AG_PARAM_ALGORITHM, s, len);
}

ag_status ag_builder_stale(ag_builder *b, ag_stale stale)
{
    if (b && !failed(b) && stale != AG_STALE_TRUE && stale != AG_STALE_FALSE)
        return set_error(b, AG_ERR_ARGUMENT, "stale", "expected AG_STALE_TRUE or AG_STALE_FALSE");
    return dedicated(b, AG_PARAM_STALE, stale == AG_STALE_TRUE ? AG_STALE_TRUE_TEXT : AG_STALE_FALSE_TEXT, AG_NTS);
}

/* qop and domain: one parameter per challenge collecting the values. */
static ag_status list_item(ag_builder *b, ag_param_kind kind, const char *s, size_t len)
{
    const char *field = ag_ser_field_name(b ? b->profile : AG_PROFILE_SIP, kind);
    ag_status st = can_add(b, field);
    if (st != AG_OK)
        return st;
    if (!s)
        return set_error(b, AG_ERR_ARGUMENT, field, "no value (NULL)");
    ag_span v = span_of(s, len);
    long owner = find(b, kind, lit(field));
    size_t k = 0;
    if (owner >= 0)
        for (size_t i = 0; i < b->nitems; i++)
            k += b->items[i].param == (size_t)owner;
    ag_field_error e;
    if (keep(b, ag_ser_check_item(b->profile, kind, v, b->nchallenges - 1, k, &e), &e) != AG_OK)
        return AG_ERR_FIELD;
    if (b->nitems == AG_BUILD_ITEMS)
        return set_error(b, AG_ERR_CAPACITY, field, "more than AG_BUILD_ITEMS qop values and domain URIs");
    if (owner < 0) {
        st = add(b, kind, field, lit(field), (ag_span){"", 0}, 1);
        if (st != AG_OK)
            return st;
        owner = (long)b->nparams - 1;
    }
    b->items[b->nitems].value = v;
    b->items[b->nitems].param = (size_t)owner;
    b->nitems++;
    return AG_OK;
}

ag_status ag_builder_qop(ag_builder *b, const char *s, size_t len)
{
    return list_item(b, AG_PARAM_QOP, s, len);
}

ag_status ag_builder_domain(ag_builder *b, const char *uri, size_t len)
{
    return list_item(b, AG_PARAM_DOMAIN, uri, len);
}

/* userhash and charset: dedicated productions in http, auth-params in sip */
static ag_param_kind kind_in(const ag_builder *b, ag_param_kind kind)
{
    return b && ag_ser_field_name(b->profile, kind) ? kind : AG_PARAM_GENERIC;
}

ag_status ag_builder_userhash(ag_builder *b, int userhash)
{
    return add(b, kind_in(b, AG_PARAM_USERHASH), "userhash", lit("userhash"),
               lit(userhash ? AG_USERHASH_TRUE_TEXT : AG_USERHASH_FALSE_TEXT), 0);
}

ag_status ag_builder_charset(ag_builder *b, const char *s, size_t len)
{
    return add(b, kind_in(b, AG_PARAM_CHARSET), "charset", lit("charset"), span_of(s, len), 0);
}

ag_status ag_builder_profile(ag_builder *b, ag_profile profile)
{
    if (!b)
        return AG_ERR_ARGUMENT;
    if (failed(b))
        return AG_ERR_STATE;
    if (profile != AG_PROFILE_SIP && profile != AG_PROFILE_HTTP)
        return set_error(b, AG_ERR_ARGUMENT, "challenge", "unknown profile");
    if (b->nchallenges)
        return set_error(b, AG_ERR_ARGUMENT, "challenge", "the profile is chosen before any challenge");
    b->profile = profile;
    return AG_OK;
}

ag_status ag_builder_join(ag_builder *b, int join)
{
    if (!b)
        return AG_ERR_ARGUMENT;
    if (failed(b))
        return AG_ERR_STATE;
    if (join && b->profile != AG_PROFILE_HTTP)
        return set_error(b, AG_ERR_ARGUMENT, "challenge",
                         "sip never joins challenges in one header field (RFC 3261 section 7.3.1)");
    b->join = join != 0;
    return AG_OK;
}

ag_status ag_builder_token68(ag_builder *b, const char *s, size_t len)
{
    ag_status st = can_add(b, "token68");
    if (st != AG_OK)
        return st;
    size_t ch = b->nchallenges - 1;
    ag_span scheme = b->scheme[ch];
    if (b->profile != AG_PROFILE_HTTP)
        return set_error(b, AG_ERR_ARGUMENT, "token68", "the sip profile has no token68 form");
    if (!s)
        return set_error(b, AG_ERR_ARGUMENT, "token68", "no value (NULL)");
    /* never where a parameter list is meant */
    if (ag_scheme_of(ag_prof_of(b->profile), scheme) != AG_SCHEME_OTHER)
        return set_error(b, AG_ERR_ARGUMENT, "token68", "this scheme takes parameters, not a token68");
    if (b->token68[ch].ptr || b_has_params(b, ch))
        return set_error(b, AG_ERR_ARGUMENT, "token68",
                         "a challenge has one token68 or parameters, not both");
    ag_span v = span_of(s, len);
    ag_field_error e;
    if (keep(b, ag_ser_check_token68(b->profile, v, ch, &e), &e) != AG_OK)
        return AG_ERR_FIELD;
    b->token68[ch] = v;
    return AG_OK;
}

ag_status ag_builder_param(ag_builder *b, const char *name, size_t name_len, const char *value,
                           size_t value_len, int quoted)
{
    ag_status st = can_add(b, "param-name");
    if (st != AG_OK)
        return st;
    if (!name)
        return set_error(b, AG_ERR_ARGUMENT, "param-name", "no name (NULL)");
    ag_span n = span_of(name, name_len);
    /* A dedicated name is that field: checked by its production (the
     * parser would read it back as the field, or as auth-param with a
     * warning).  One the typed challenge holds (a view slot, or the qop and
     * domain lists) has its own setter, which does it right; any other
     * (a production the grammar gained) is written here, as its kind. */
    const ag_prof *P = ag_prof_of(b->profile);
    const ag_gen_field *f = ag_field_named(P->g, n, P->grp_challenge);
    if (f && (f->span_at[AG_GEN_VIEW_CHALLENGE] >= 0 || f->enum_at[AG_GEN_VIEW_CHALLENGE] >= 0 ||
              f->kind == AG_PARAM_QOP || f->kind == AG_PARAM_DOMAIN))
        return set_error(b, AG_ERR_ARGUMENT, "param-name", "a dedicated parameter name: use its own setter");
    return add(b, f ? (ag_param_kind)f->kind : AG_PARAM_GENERIC, f ? f->name : "param-value", n,
               span_of(value, value_len), quoted ? 1 : 0);
}

ag_status ag_builder_digest(ag_builder *b, const char *realm, const char *nonce, const char *opaque,
                            const char *algorithm, const char *const *qop, size_t nqop, ag_stale stale,
                            const char *const *domain, size_t ndomain)
{
    if (!b)
        return AG_ERR_ARGUMENT;
    if (failed(b))
        return AG_ERR_STATE;
    if (!realm || !nonce || (nqop && !qop) || (ndomain && !domain))
        return set_error(b, AG_ERR_ARGUMENT, !realm ? "realm" : !nonce ? "nonce" : nqop && !qop ? "qop" : "domain",
                         "required argument missing (NULL)");
    if (stale != AG_STALE_UNSET && stale != AG_STALE_FALSE && stale != AG_STALE_TRUE)
        return set_error(b, AG_ERR_ARGUMENT, "stale", "not an ag_stale value");
    ag_builder_challenge(b, ag_scheme_text(ag_prof_of(b->profile), AG_SCHEME_DIGEST), AG_NTS);
    ag_builder_realm(b, realm, AG_NTS);
    ag_builder_nonce(b, nonce, AG_NTS);
    if (opaque)
        ag_builder_opaque(b, opaque, AG_NTS);
    if (algorithm)
        ag_builder_algorithm(b, algorithm, AG_NTS);
    for (size_t i = 0; i < nqop; i++)
        ag_builder_qop(b, qop[i], AG_NTS);
    if (stale != AG_STALE_UNSET)
        ag_builder_stale(b, stale);
    for (size_t i = 0; i < ndomain; i++)
        ag_builder_domain(b, domain[i], AG_NTS);
    return b->error.status;
}

ag_status ag_builder_basic(ag_builder *b, const char *realm)
{
    if (!b)
        return AG_ERR_ARGUMENT;
    if (failed(b))
        return AG_ERR_STATE;
    if (!realm)
        return set_error(b, AG_ERR_ARGUMENT, "realm", "required argument missing (NULL)");
    ag_builder_challenge(b, ag_scheme_text(ag_prof_of(b->profile), AG_SCHEME_BASIC), AG_NTS);
    ag_builder_realm(b, realm, AG_NTS);
    return b->error.status;
}

/* ---- the builder as the serializer's source -------------------------------- */

static ag_span b_scheme(const void *ctx, size_t ch) { return ((const ag_builder *)ctx)->scheme[ch]; }

static ag_span b_token68(const void *ctx, size_t ch) { return ((const ag_builder *)ctx)->token68[ch]; }

static size_t b_nparams(const void *ctx, size_t ch)
{
    const ag_builder *b = ctx;
    size_t n = 0;
    for (size_t i = 0; i < b->nparams; i++)
        n += b->params[i].challenge == ch;
    return n;
}

static void b_param(const void *ctx, size_t ch, size_t k, ag_sparam *out)
{
    const ag_builder *b = ctx;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < b->nparams; i++) {
        const ag_build_param *p = &b->params[i];
        if (p->challenge != ch || k--)
            continue;
        out->kind = p->kind;
        out->name = p->name;
        out->value = p->value;
        out->quoted = p->quoted;
        if (p->kind == AG_PARAM_QOP || p->kind == AG_PARAM_DOMAIN) {
            out->items = b->items;
            out->nitems = b->nitems;
            out->owner = i;
        } else if (p->kind == AG_PARAM_GENERIC) {
            out->field = "param-value";
        }
        return;
    }
}

ag_status ag_builder_finish(const ag_builder *b, ag_form form, char *buf, size_t cap, size_t *len,
                            ag_field_error *err)
{
    if (len)
        *len = 0;
    if (buf && cap)
        buf[0] = 0;
    if (err)
        memset(err, 0, sizeof *err);
    if (!b || !len || (!buf && cap))
        return ag_ser_refuse(buf, cap, len, err, !b ? "builder" : !len ? "len" : "buf",
                             !b     ? "no builder given (NULL)"
                             : !len ? AG_SER_NO_LEN
                                    : AG_SER_NO_BUF);
    if (failed(b)) {
        if (err)
            *err = b->error;
        return b->error.status;
    }
    ag_builder tmp; /* only for the error of the two checks below */
    /* http: a value is one field, which may hold several challenges */
    int join = b->profile == AG_PROFILE_HTTP && (b->join || form == AG_FORM_VALUE);
    const char *why = !b->nchallenges ? "no challenge to write"
                      : form == AG_FORM_VALUE && b->nchallenges > 1 && !join
                          ? "several challenges need several header fields (RFC 3261 section 7.3.1)"
                          : NULL;
    if (why) {
        tmp.nchallenges = 0;
        set_error(&tmp, AG_ERR_ARGUMENT, "challenge", why);
        if (err)
            *err = tmp.error;
        return AG_ERR_ARGUMENT;
    }
    ag_source src = {b->profile, join, 0, b->nchallenges, b_scheme, b_token68, b_nparams, b_param, b};
    return ag_ser_write(&src, form, buf, cap, len, err);
}

static ag_status one_call(ag_form form, int digest, char *buf, size_t cap, size_t *len,
                          ag_field_error *err, const char *realm, const char *nonce, const char *opaque,
                          const char *algorithm, const char *const *qop, size_t nqop, ag_stale stale,
                          const char *const *domain, size_t ndomain)
{
    ag_builder b;
    ag_builder_init(&b);
    if (digest)
        ag_builder_digest(&b, realm, nonce, opaque, algorithm, qop, nqop, stale, domain, ndomain);
    else
        ag_builder_basic(&b, realm);
    return ag_builder_finish(&b, form, buf, cap, len, err);
}

ag_status ag_proxy_authenticate_digest(char *buf, size_t cap, size_t *len, ag_field_error *err,
                                       const char *realm, const char *nonce, const char *opaque,
                                       const char *algorithm, const char *const *qop, size_t nqop,
                                       ag_stale stale, const char *const *domain, size_t ndomain)
{
    return one_call(AG_FORM_PROXY_AUTHENTICATE, 1, buf, cap, len, err, realm, nonce, opaque, algorithm, qop, nqop,
                    stale, domain, ndomain);
}

ag_status ag_www_authenticate_digest(char *buf, size_t cap, size_t *len, ag_field_error *err,
                                     const char *realm, const char *nonce, const char *opaque,
                                     const char *algorithm, const char *const *qop, size_t nqop,
                                     ag_stale stale, const char *const *domain, size_t ndomain)
{
    return one_call(AG_FORM_WWW_AUTHENTICATE, 1, buf, cap, len, err, realm, nonce, opaque, algorithm, qop, nqop,
                    stale, domain, ndomain);
}

ag_status ag_proxy_authenticate_basic(char *buf, size_t cap, size_t *len, ag_field_error *err,
                                      const char *realm)
{
    return one_call(AG_FORM_PROXY_AUTHENTICATE, 0, buf, cap, len, err, realm, NULL, NULL, NULL, NULL, 0,
                    AG_STALE_UNSET, NULL, 0);
}

ag_status ag_www_authenticate_basic(char *buf, size_t cap, size_t *len, ag_field_error *err,
                                    const char *realm)
{
    return one_call(AG_FORM_WWW_AUTHENTICATE, 0, buf, cap, len, err, realm, NULL, NULL, NULL, NULL, 0,
                    AG_STALE_UNSET, NULL, 0);
}
