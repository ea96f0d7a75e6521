/* SPDX-License-Identifier: MIT */
/* What several harnesses check the same way (fuzz.h). */
#include <string.h>

#include "fuzz.h"

void fuzz_no_line_breaks(const char *s, size_t n, int header)
{
    if (header) {
        FUZZ_CHECK(n >= 2 && s[n - 2] == '\r' && s[n - 1] == '\n', "a header line without CRLF");
        n -= 2;
    }
    FUZZ_CHECK(!memchr(s, '\r', n) && !memchr(s, '\n', n), "CR or LF inside the output");
}

static ag_status kind_write(fuzz_kind k, const void *obj, ag_form form, char *buf, size_t cap,
                            size_t *len, ag_field_error *err)
{
    return k == FUZZ_LIST ? ag_serialize_list(obj, form, buf, cap, len, err)
                          : ag_serialize_credentials(obj, form, buf, cap, len, err);
}

static ag_status kind_parse(fuzz_kind k, ag_profile prof, ag_input in, const char *buf, size_t len,
                            void *out)
{
    return k == FUZZ_LIST ? ag_parse(prof, in, buf, len, out, NULL)
                          : ag_parse_credentials(prof, in, buf, len, out, NULL);
}

static int kind_same(fuzz_kind k, const void *a, const void *b, chdiff_warnings w, char *why,
                     size_t cap)
{
    return k == FUZZ_LIST ? chdiff_list(a, b, w, why, cap) : fuzz_cred_same(a, b, w, why, cap);
}

static int kind_refused(fuzz_kind k, const void *obj, const ag_field_error *e)
{
    if (k == FUZZ_LIST)
        return fuzz_refused_by_design(((const ag_challenge_list *)obj)->challenges,
                                      ((const ag_challenge_list *)obj)->count, e);
    ag_challenge v;
    fuzz_cred_view(obj, &v);
    return fuzz_refused_by_design(&v, 1, e);
}

char *fuzz_serialize(fuzz_kind k, const void *obj, ag_form form, size_t *len, ag_status *rc,
                     ag_field_error *err)
{
    size_t need = 0;
    *rc = kind_write(k, obj, form, NULL, 0, &need, err);
    if (*rc != AG_ERR_SPACE)
        return NULL;
    char *out = malloc(need + 1);
    FUZZ_CHECK(out != NULL, "out of memory");
    *rc = kind_write(k, obj, form, out, need + 1, len, err);
    FUZZ_CHECK(*rc == AG_OK, "serialize after a length query of %zu: %s", need, ag_status_name(*rc));
    FUZZ_CHECK(*len == need, "length query %zu, output %zu", need, *len);
    /* the exact-size copy the next parse reads */
    char *exact = fuzz_copy(out, *len);
    free(out);
    return exact;
}

int fuzz_refused_by_design(const ag_challenge *ch, size_t n, const ag_field_error *e)
{
    if (e->status != AG_ERR_FIELD)
        return 0;
    if (e->challenge < n && e->index < ch[e->challenge].param_count &&
        ch[e->challenge].params[e->index].kind == AG_PARAM_GENERIC && e->message &&
        strstr(e->message, "written canonically it would match"))
        return 1;
    for (size_t k = 0; k < n; k++)
        if (chdiff_has_refused_byte(&ch[k]))
            return 1;
    return 0;
}

char *fuzz_write_back_kind(fuzz_kind k, const void *obj, ag_profile prof, ag_input in, ag_form form,
                           chdiff_warnings w, void *back, size_t *len, const char *what)
{
    ag_status rc;
    ag_field_error err;
    char *out = fuzz_serialize(k, obj, form, len, &rc, &err);
    if (!out) {
        FUZZ_CHECK(kind_refused(k, obj, &err), "%s: profile %d input %d: the serializer refused it: %s (%s, %s)",
                   what, prof, in, ag_status_name(rc), err.field ? err.field : "-",
                   err.rule ? err.rule : "-");
        FUZZ_CHECK(err.field && err.rule && err.message, "%s: a refusal without its field error", what);
        return NULL;
    }
    fuzz_no_line_breaks(out, *len, form != AG_FORM_VALUE);
    rc = kind_parse(k, prof, in, out, *len, back);
    FUZZ_CHECK(rc == AG_OK, "%s: profile %d input %d: the output does not parse: %s (%.*s)", what, prof,
               in, ag_status_name(rc), (int)*len, out);
    char why[512];
    FUZZ_CHECK(kind_same(k, obj, back, w, why, sizeof why),
               "%s: profile %d input %d: written and read back, it differs: %s", what, prof, in, why);
    return out;
}

void fuzz_round_trip(fuzz_kind k, const void *a, ag_profile prof, ag_input in, ag_form form, void *b,
                     void *c, const char *what)
{
    size_t len = 0;
    char *out = fuzz_write_back_kind(k, a, prof, in, form, CHDIFF_CONTENT_WARNINGS, b, &len, what);
    if (!out)
        return;
    ag_status rc;
    ag_field_error err;
    char why[512];
    size_t len2 = 0;
    char *again = fuzz_serialize(k, b, form, &len2, &rc, &err);
    FUZZ_CHECK(again && len2 == len && !memcmp(again, out, len),
               "%s: profile %d input %d: canonical output not a fixed point", what, prof, in);
    /* the canonical bytes, parsed once more, are the same fields with the
     * same warnings, all of them */
    FUZZ_CHECK(kind_parse(k, prof, in, again, len2, c) == AG_OK, "%s: fixed point refused", what);
    FUZZ_CHECK(kind_same(k, b, c, CHDIFF_ALL_WARNINGS, why, sizeof why),
               "%s: profile %d input %d: canonical reparse differs: %s", what, prof, in, why);
    free(again);
    free(out);
}

/* ---- credentials ------------------------------------------------------------------ */

void fuzz_cred_view(const ag_credentials *c, ag_challenge *v)
{
    *v = (ag_challenge){.profile = c->profile, .header = c->header, .offset = c->offset,
                        .scheme = c->scheme, .scheme_id = c->scheme_id, .realm = c->realm,
                        .nonce = c->nonce, .opaque = c->opaque, .algorithm = c->algorithm,
                        .algorithm_raw = c->algorithm_raw, .userhash = c->userhash,
                        .token68 = c->token68, .params = c->params, .param_cap = c->param_cap,
                        .param_count = c->param_count};
}

ag_form fuzz_cred_form(const ag_credentials *c, ag_input in)
{
    if (in == AG_INPUT_VALUE)
        return AG_FORM_VALUE;
    return c->header == AG_HEADER_PROXY_AUTHORIZATION ? AG_FORM_PROXY_AUTHORIZATION
                                                      : AG_FORM_AUTHORIZATION;
}

/* Both absent, or both present with the same content (unescaped when
 * quoted). */
static int content_eq(ag_span a, ag_span b, int quoted)
{
    if (!a.ptr || !b.ptr)
        return !a.ptr && !b.ptr;
    if (!quoted)
        return a.len == b.len && !memcmp(a.ptr, b.ptr, a.len);
    char *x = fuzz_copy(a.ptr, a.len), *y = fuzz_copy(b.ptr, b.len);
    size_t nx = ag_unescape(a, x, a.len), ny = ag_unescape(b, y, b.len);
    int eq = nx == ny && !memcmp(x, y, nx);
    free(x);
    free(y);
    return eq;
}

/* The ids of c's warnings that w counts, in order, into ids (cap of them);
 * returns how many there are in all. */
static size_t warning_ids(const ag_credentials *c, chdiff_warnings w, int *ids, size_t cap)
{
    ag_warning ws[128];
    size_t n = ag_check_credentials(c, ws, 128), kept = 0;
    for (size_t i = 0; i < n; i++) {
        int form = i < 128 && (ws[i].id == AG_W_HTTP_OBS_FOLD || ws[i].id == AG_W_HTTP_BWS ||
                               ws[i].id == AG_W_HTTP_EMPTY_ELEMENT);
        if (w == CHDIFF_CONTENT_WARNINGS && form)
            continue;
        if (kept < cap)
            ids[kept] = i < 128 ? (int)ws[i].id : -1;
        kept++;
    }
    return kept;
}

int fuzz_cred_same(const ag_credentials *a, const ag_credentials *b, chdiff_warnings w, char *why,
                   size_t cap)
{
    ag_challenge va, vb;
    fuzz_cred_view(a, &va);
    fuzz_cred_view(b, &vb);
    if (!chdiff_challenge(&va, &vb, CHDIFF_NO_WARNINGS, why, cap))
        return 0;
    const struct {
        const char *name;
        ag_span x, y;
        int quoted;
    } f[] = {
        {"username", a->username, b->username, 1}, {"username*", a->username_ext, b->username_ext, 0},
        {"uri", a->uri, b->uri, 1},                {"response", a->response, b->response, 1},
        {"cnonce", a->cnonce, b->cnonce, 1},       {"nc", a->nc, b->nc, 0},
        {"auts", a->auts, b->auts, 1},             {"qop", a->qop_raw, b->qop_raw, 0},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!content_eq(f[i].x, f[i].y, f[i].quoted)) {
            snprintf(why, cap, "%s '%.*s' vs '%.*s'", f[i].name, AG_SPAN_ARGS(f[i].x),
                     AG_SPAN_ARGS(f[i].y));
            return 0;
        }
    if (a->qop_raw.ptr && a->qop != b->qop) {
        snprintf(why, cap, "qop %d vs %d", a->qop, b->qop);
        return 0;
    }
    if (w == CHDIFF_NO_WARNINGS)
        return 1;
    int ia[64], ib[64];
    size_t na = warning_ids(a, w, ia, 64), nb = warning_ids(b, w, ib, 64);
    if (na != nb || memcmp(ia, ib, (na < 64 ? na : 64) * sizeof ia[0])) {
        snprintf(why, cap, "%zu warnings (first %s) vs %zu (first %s)", na,
                 na ? ag_warning_name((ag_warning_id)ia[0]) : "-", nb,
                 nb ? ag_warning_name((ag_warning_id)ib[0]) : "-");
        return 0;
    }
    return 1;
}

/* ---- decoding ------------------------------------------------------------------- */

const char *fuzz_str(fuzz_rd *r, const char *const *words, size_t nwords, char *arena, size_t cap,
                     size_t *used, size_t *len)
{
    unsigned b = fuzz_byte(r);
    const char *src;
    size_t n;
    if (b & 0x80) {
        src = words[b % nwords];
        n = strlen(src);
    } else {
        n = b & 0x7f;
        if (n > r->n - r->at)
            n = r->n - r->at;
        src = (const char *)r->p + r->at;
        r->at += n;
    }
    *len = 0;
    if (*used + n + 1 > cap) /* full: an empty string (long inputs of words) */
        return *used < cap ? (arena[*used] = 0, arena + *used) : "";
    char *d = arena + *used;
    memcpy(d, src, n);
    d[n] = 0;
    *used += n + 1;
    *len = n;
    return d;
}
