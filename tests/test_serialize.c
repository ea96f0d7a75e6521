/* SPDX-License-Identifier: MIT */
/* The serializer (ag_serialize, include/authgram.h "serializing"):
 *  - round trip over every valid vector of the .vec files named on the
 *    command line: parse(serialize(parse(x))) == parse(x), field by field,
 *    warnings included, and the output is the canonical form of x;
 *  - canonical inputs come back byte for byte (a list here, and the vectors
 *    that are canonical, found automatically);
 *  - the snprintf-style output contract;
 *  - hand-built challenges with a field the grammar cannot carry are refused
 *    with an ag_field_error that names the field and the rule.
 * The expected bytes are written here or rebuilt from the parsed spans of
 * the input; none is produced by the serializer itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authgram.h"
#include "chdiff.h"
#include "vec.h"

static int fails;
static const char *where_ = "";

#define CHECK(cond, ...)                                                                    \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            print_error("%s: %s:%d: ", where_, __FILE__, __LINE__);                          \
            print_error(__VA_ARGS__);                                                       \
            print_error("\n");                                                              \
            fails++;                                                                        \
        }                                                                                   \
    } while (0)

#define END_CHECKS()                                                                        \
    do {                                                                                    \
        if (fails)                                                                          \
            fail_msg("%d check(s) failed", fails);                                          \
    } while (0)

/* ---- small helpers ------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

/* A heap copy of the unescaped value (ag_unescape), length in *n. */
static char *unesc(ag_span s, size_t *n)
{
    char *d = malloc(s.len + 1);
    assert_non_null(d);
    *n = s.ptr ? ag_unescape(s, d, s.len + 1) : 0;
    return d;
}

/* Minimal escaping (sip), written independently of the library: '"', '\'
 * and the control bytes qdtext lacks become quoted-pairs. */
static void sb_escaped(sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\' || chdiff_refused_ctl((unsigned char)s[i]))
            sb_add(b, "\\", 1);
        sb_add(b, s + i, 1);
    }
}

static ag_status parse(int header, const char *buf, size_t len, ag_challenge *c, ag_diag *d)
{
    return ag_parse_challenge(AG_PROFILE_SIP, header ? AG_INPUT_HEADER : AG_INPUT_VALUE, buf, len, c, d);
}

static const char *header_name(ag_header h)
{
    return h == AG_HEADER_PROXY_AUTHENTICATE ? "Proxy-Authenticate" : "WWW-Authenticate";
}

/* The canonical value of a parsed challenge, rebuilt from its spans:
 * scheme SP, params joined by ", ", quoted values unescaped then escaped
 * minimally.  *raw_minimal says whether every quoted value was already
 * written that way in the input (no fold, no other quoted-pair). */
static void canonical_value(const ag_challenge *c, sbuf *out, int *raw_minimal)
{
    *raw_minimal = 1;
    sb_add(out, c->scheme.ptr, c->scheme.len);
    sb_str(out, " ");
    for (size_t i = 0; i < c->param_count; i++) {
        const ag_param *p = &c->params[i];
        if (i)
            sb_str(out, ", ");
        sb_add(out, p->name.ptr, p->name.len);
        sb_str(out, "=");
        if (!p->quoted) {
            sb_add(out, p->value.ptr, p->value.len);
            continue;
        }
        size_t n;
        char *u = unesc(p->value, &n);
        sb_str(out, "\"");
        sb_escaped(out, u, n);
        sb_str(out, "\"");
        free(u);
        for (size_t k = 0; k < p->value.len; k++) {
            unsigned char ch = (unsigned char)p->value.ptr[k];
            if (ch == '\\') {
                unsigned char e = k + 1 < p->value.len ? (unsigned char)p->value.ptr[k + 1] : 0;
                if (k + 1 < p->value.len && (e == '"' || e == '\\' || chdiff_refused_ctl(e)))
                    k++;
                else
                    *raw_minimal = 0;
            } else if (chdiff_refused_ctl(ch)) {
                *raw_minimal = 0;
            }
        }
    }
}

/* A domain parameter whose URIs are separated by more than one SP: its
 * canonical form (one SP) is not the same list of bytes, so no exact-bytes
 * check is made for it. */
static int has_multi_sp_domain(const ag_challenge *c)
{
    for (size_t i = 0; i < c->param_count; i++) {
        const ag_param *p = &c->params[i];
        if (p->kind == AG_PARAM_DOMAIN)
            for (size_t k = 0; k + 1 < p->value.len; k++)
                if (p->value.ptr[k] == ' ' && p->value.ptr[k + 1] == ' ')
                    return 1;
    }
    return 0;
}

/* No CR or LF anywhere, except one final CRLF when header is set. */
static int line_breaks_ok(const char *s, size_t n, int header)
{
    size_t body = n;
    if (header) {
        if (n < 2 || s[n - 2] != '\r' || s[n - 1] != '\n')
            return 0;
        body = n - 2;
    }
    for (size_t i = 0; i < body; i++)
        if (s[i] == '\r' || s[i] == '\n')
            return 0;
    return 1;
}

/* Serializes c in form into an exact-size heap buffer (after a length
 * query); returns the status of the real call and the buffer in *out. */
static ag_status serialize_exact(const ag_challenge *c, ag_form form, char **out, size_t *len,
                                 ag_field_error *err)
{
    size_t need = 12345;
    ag_status q = ag_serialize(c, form, NULL, 0, &need, err);
    *out = NULL;
    *len = 0;
    if (q != AG_ERR_SPACE) {
        CHECK(need == 0, "length query failed with %s but *len is %zu", ag_status_name(q), need);
        return q;
    }
    char *buf = malloc(need + 1);
    assert_non_null(buf);
    size_t got = 99999;
    ag_status rc = ag_serialize(c, form, buf, need + 1, &got, err);
    CHECK(rc == AG_OK, "serialize after the length query: %s", ag_status_name(rc));
    if (rc != AG_OK) {
        free(buf);
        return rc;
    }
    CHECK(got == need, "length query said %zu, the output is %zu", need, got);
    CHECK(buf[got] == 0, "no terminating NUL");
    for (const char *z = memchr(buf, 0, got); z; z = memchr(z + 1, 0, got - (size_t)(z + 1 - buf)))
        CHECK(z > buf && z[-1] == '\\', "a NUL inside the output, not as a quoted-pair");
    *out = buf;
    *len = got;
    return rc;
}

/* ---- (a) round trip over every valid vector ----------------------------- */

static int canonical_vectors; /* vectors whose input is already canonical */
static int exact_checked;     /* outputs compared with the rebuilt canonical form */
static int refused_vectors;   /* vectors with control bytes in quoted-pairs */

static void roundtrip_case(void **state)
{
    const vec_case *v = *state;
    char where[512];
    snprintf(where, sizeof where, "%s:%d: %s", v->file, v->line, v->name);
    where_ = where;
    fails = 0;
    const char *entry = vec_get(v, "entry", NULL);
    int header = entry && !strcmp(entry, "header");

    ag_challenge_storage st;
    ag_challenge c;
    ag_diag d;
    ag_challenge_init(&c, &st);
    ag_status rc = parse(header, v->input, v->input_len, &c, &d);
    assert_int_equal(rc, AG_OK); /* a valid vector: test_vectors checks it in detail */

    sbuf canon = {0};
    int raw_minimal;
    canonical_value(&c, &canon, &raw_minimal);
    /* "serialize: refused RULE": a parameter that would read as RULE once
     * written canonically (src/serialize.c, shadow_end) */
    const char *refused_as = vec_get(v, "serialize", NULL);
    if (refused_as && strncmp(refused_as, "refused ", 8) == 0)
        refused_as += 8;
    else
        refused_as = NULL;
    int must_refuse = chdiff_has_refused_byte(&c) || refused_as;
    int exact = !must_refuse && !has_multi_sp_domain(&c);

    /* is the input itself canonical? */
    sbuf line = {0};
    if (header) {
        sb_str(&line, header_name(c.header));
        sb_str(&line, ": ");
        sb_add(&line, canon.p, canon.len);
        sb_str(&line, "\r\n");
    }
    int is_canonical = 0;
    if (exact && raw_minimal) {
        if (header)
            is_canonical = (v->input_len == line.len || v->input_len == line.len - 2) &&
                           memcmp(v->input, line.p, v->input_len) == 0;
        else
            is_canonical = v->input_len == canon.len && memcmp(v->input, canon.p, canon.len) == 0;
    }
    canonical_vectors += is_canonical;
    refused_vectors += must_refuse;

    ag_form forms[2] = {AG_FORM_VALUE, AG_FORM_VALUE};
    size_t nforms = 1;
    if (header)
        forms[nforms++] =
            c.header == AG_HEADER_PROXY_AUTHENTICATE ? AG_FORM_PROXY_AUTHENTICATE : AG_FORM_WWW_AUTHENTICATE;
    for (size_t f = 0; f < nforms; f++) {
        int hdr = forms[f] != AG_FORM_VALUE;
        char *out;
        size_t len;
        ag_field_error err;
        memset(&err, 0x5a, sizeof err);
        rc = serialize_exact(&c, forms[f], &out, &len, &err);
        if (must_refuse) {
            CHECK(rc == AG_ERR_FIELD, "must be refused, got %s", ag_status_name(rc));
            if (rc == AG_ERR_FIELD) {
                CHECK(err.status == AG_ERR_FIELD, "err.status %d", err.status);
                CHECK(err.field && err.field[0], "err.field empty");
                CHECK(err.rule && err.rule[0], "err.rule empty");
                if (refused_as)
                    CHECK(err.rule && !strcmp(err.rule, refused_as), "refused by rule %s, want %s",
                          err.rule ? err.rule : "(null)", refused_as);
            }
            free(out);
            continue;
        }
        CHECK(rc == AG_OK, "serialize (form %d): %s (field %s, rule %s, offset %zu)", forms[f],
              ag_status_name(rc), rc == AG_ERR_FIELD ? err.field : "-",
              rc == AG_ERR_FIELD ? err.rule : "-", rc == AG_ERR_FIELD ? err.offset : (size_t)0);
        if (rc != AG_OK)
            continue;
        CHECK(err.status == AG_OK, "err.status is %d after success", err.status);
        CHECK(line_breaks_ok(out, len, hdr), "CR or LF in the output: %s", vec_show(out, len));

        /* exact bytes: the canonical form rebuilt from the input's spans */
        if (exact) {
            const sbuf *want = hdr ? &line : &canon;
            int same = len == want->len && memcmp(out, want->p, len) == 0;
            CHECK(same, "not the canonical form:\n  want %s", vec_show(want->p, want->len));
            if (!same)
                print_error("  got  %s\n", vec_show(out, len));
            exact_checked++;
        }

        /* parse it again and compare */
        char *copy = malloc(len ? len : 1); /* exact size: ASan sees an overread */
        memcpy(copy, out, len);
        ag_challenge_storage st2;
        ag_challenge c2;
        ag_diag d2;
        ag_challenge_init(&c2, &st2);
        ag_status rc2 = parse(hdr, copy, len, &c2, &d2);
        CHECK(rc2 == AG_OK, "the output does not parse back: %s at %zu (%s): %s", ag_status_name(rc2),
              d2.offset, rc2 == AG_ERR_SYNTAX ? d2.rule : "", vec_show(out, len));
        if (rc2 == AG_OK) {
            char why[512];
            CHECK(chdiff_challenge(&c, &c2, CHDIFF_ALL_WARNINGS, why, sizeof why), "%s", why);
            if (hdr)
                CHECK(c2.header == c.header, "header %d vs %d", c2.header, c.header);
        }
        free(copy);
        free(out);
    }
    free(canon.p);
    free(line.p);
    where_ = "";
    END_CHECKS();
}

static void vectors_were_seen(void **state)
{
    (void)state;
    /* the counts are over the valid vectors of the files given (all of
     * tests/vectors): the detection must find canonical vectors, and the
     * exact-bytes comparison must have run */
    print_message("%d canonical vectors, %d outputs compared byte for byte, %d refused\n",
                  canonical_vectors, exact_checked, refused_vectors);
    assert_true(canonical_vectors >= 20);
    assert_true(exact_checked >= 100);
}

/* ---- (b) canonical inputs come back byte for byte ------------------------ */

typedef struct canon_case {
    const char *in;
    size_t len; /* 0: strlen */
    int header;
} canon_case;

static const canon_case canon_cases[] = {
    {"Digest realm=\"atlanta.com\", nonce=\"n\", qop=\"auth\"", 0, 0},
    {"Digest realm=\"proxy.example.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
     "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", algorithm=SHA-256, qop=\"auth\", "
     "domain=\"sip:example.com\"", 0, 0},
    {"Digest realm=\"a\\\"b\\\\c\", nonce=\"\", opaque=\"o\", algorithm=SHA-512-256-sess, "
     "qop=\"auth,auth-int,x\", stale=false, domain=\"sip:a.com /p http://x.example/y\", "
     "userhash=true, charset=UTF-8, foo=\"a b\tc\", bar=baz", 0, 0},
    {"Basic realm=\"x\"", 0, 0},
    {"Basic realm=\"x\", charset=UTF-8", 0, 0},
    {"Foo a=b", 0, 0},
    {"Foo a=\"\"", 0, 0},
    {"Foo a=\"\\\\\", b=\"\\\"\"", 0, 0},
    {"Digest realm=\"caf\xc3\xa9\", nonce=\"\xf0\x9f\x98\x80\"", 0, 0},
    {"digest REALM=\"r\", Nonce=\"n\", QOP=\"AUTH\"", 0, 0},
    {"DIGEST stale=yes, qop=auth, realm=tok, algorithm=\"MD5\", domain=\"\"", 0, 0},
    {"Digest realm=\"a,b=c\", nonce=\"x, y=z\"", 0, 0},
    {"Digest realm=\"  \", opaque=\" lead and trail \"", 0, 0},
    {"Digest realm=\"r\", nonce=\"CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==\", algorithm=AKAv1-MD5", 0, 0},
    {"Digest realm=\"r\", realm=\"r2\", Stale=TRUE, stale=false", 0, 0},
    {"Digest domain=\"sip:a.com,sip:b.com /x sips:[2001:db8::1]:5061\"", 0, 0},
    {"AKAv1-MD5 x=y", 0, 0},
    {"Digest realm=\"\\\"\"", 0, 0},
    {"Proxy-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n", 0, 1},
    {"WWW-Authenticate: Basic realm=\"r\"\r\n", 0, 1},
    {"WWW-Authenticate: digest realm=\"r\\\\\", qop=\"auth-int\"\r\n", 0, 1},
};

static void test_canonical_inputs_byte_for_byte(void **state)
{
    (void)state;
    fails = 0;
    for (size_t i = 0; i < sizeof canon_cases / sizeof canon_cases[0]; i++) {
        const canon_case *k = &canon_cases[i];
        size_t n = k->len ? k->len : strlen(k->in);
        where_ = k->in;
        ag_challenge_storage st;
        ag_challenge c;
        ag_diag d;
        ag_challenge_init(&c, &st);
        ag_status rc = parse(k->header, k->in, n, &c, &d);
        CHECK(rc == AG_OK, "canonical case %zu does not parse (%s at %zu)", i, ag_status_name(rc),
              d.offset);
        if (rc != AG_OK)
            continue;
        ag_form form = !k->header                                   ? AG_FORM_VALUE
                       : c.header == AG_HEADER_PROXY_AUTHENTICATE ? AG_FORM_PROXY_AUTHENTICATE
                                                                   : AG_FORM_WWW_AUTHENTICATE;
        char out[1024];
        size_t len = 0;
        ag_field_error err;
        rc = ag_serialize(&c, form, out, sizeof out, &len, &err);
        CHECK(rc == AG_OK, "case %zu: %s (field %s rule %s)", i, ag_status_name(rc),
              rc == AG_ERR_FIELD ? err.field : "-", rc == AG_ERR_FIELD ? err.rule : "-");
        if (rc != AG_OK)
            continue;
        CHECK(len == n && memcmp(out, k->in, n) == 0, "case %zu came back as %s", i, vec_show(out, len));
        CHECK(out[len] == 0, "case %zu: no NUL", i);
        if (k->header) {
            /* the value form is the same minus the header name and the CRLF */
            const char *colon = strstr(k->in, ": ");
            char val[1024];
            size_t vlen = 0;
            rc = ag_serialize(&c, AG_FORM_VALUE, val, sizeof val, &vlen, NULL);
            CHECK(rc == AG_OK, "case %zu value form: %s", i, ag_status_name(rc));
            CHECK(vlen == n - (size_t)(colon + 2 - k->in) - 2 && memcmp(val, colon + 2, vlen) == 0,
                  "case %zu value form: %s", i, vec_show(val, vlen));
        }
    }
    END_CHECKS();
}

/* Non-canonical inputs come out canonical: written here by hand. */
static void test_noncanonical_inputs_are_canonicalized(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        int header;
        ag_form form;
    } k[] = {
        {"Digest  realm = \"r\" ,nonce=\"n\"", "Digest realm=\"r\", nonce=\"n\"", 0, AG_FORM_VALUE},
        {"Digest realm=\"\\a\\b\"", "Digest realm=\"ab\"", 0, AG_FORM_VALUE},
        {"Digest realm=\"a\r\n b\"", "Digest realm=\"a b\"", 0, AG_FORM_VALUE},
        {"Digest realm=\"a\"\r\n\t, qop = \"auth\"", "Digest realm=\"a\", qop=\"auth\"", 0, AG_FORM_VALUE},
        {"Foo\r\n a=\"\\x\\\"\"", "Foo a=\"x\\\"\"", 0, AG_FORM_VALUE},
        {"proxy-authenticate :Digest realm=\"r\"", "Proxy-Authenticate: Digest realm=\"r\"\r\n", 1,
         AG_FORM_PROXY_AUTHENTICATE},
        {"www-authenticate:\r\n Basic realm=\"r\"\r\n", "WWW-Authenticate: Basic realm=\"r\"\r\n", 1,
         AG_FORM_WWW_AUTHENTICATE},
        /* the form decides the header name, not the header parsed */
        {"WWW-Authenticate: Basic realm=\"r\"", "Proxy-Authenticate: Basic realm=\"r\"\r\n", 1,
         AG_FORM_PROXY_AUTHENTICATE},
        {"Proxy-Authenticate: Basic realm=\"r\"", "Basic realm=\"r\"", 1, AG_FORM_VALUE},
    };
    fails = 0;
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        where_ = k[i].in;
        ag_challenge_storage st;
        ag_challenge c;
        ag_challenge_init(&c, &st);
        ag_status rc = parse(k[i].header, k[i].in, strlen(k[i].in), &c, NULL);
        CHECK(rc == AG_OK, "case %zu does not parse", i);
        if (rc != AG_OK)
            continue;
        char out[256];
        size_t len = 0;
        rc = ag_serialize(&c, k[i].form, out, sizeof out, &len, NULL);
        CHECK(rc == AG_OK, "case %zu: %s", i, ag_status_name(rc));
        CHECK(rc == AG_OK && len == strlen(k[i].out) && !memcmp(out, k[i].out, len),
              "case %zu: got %s", i, vec_show(out, rc == AG_OK ? len : 0));
    }
    END_CHECKS();
}

/* ---- (c) snprintf semantics ---------------------------------------------- */



static void space_contract(const ag_challenge *c, ag_form form, const char *want)
{
    size_t n = strlen(want);
    size_t len = 777;
    ag_field_error err;
    /* pure length query */
    assert_int_equal(ag_serialize(c, form, NULL, 0, &len, &err), AG_ERR_SPACE);
    assert_int_equal(len, n);

    char buf[512];
    assert_true(n + 16 < sizeof buf);
    /* every cap that is too small: nothing but buf[0] = NUL, *len = needed */
    for (size_t cap = 1; cap <= n; cap++) {
        memset(buf, VEC_SENTINEL, sizeof buf);
        len = 777;
        assert_int_equal(ag_serialize(c, form, buf, cap, &len, &err), AG_ERR_SPACE);
        assert_int_equal(len, n);
        assert_int_equal(buf[0], 0);
        if (!vec_untouched(buf, 1, sizeof buf))
            fail_msg("cap %zu: bytes after buf[0] were written", cap);
    }
    /* cap == 0 with a real buffer: not a byte */
    memset(buf, VEC_SENTINEL, sizeof buf);
    len = 777;
    assert_int_equal(ag_serialize(c, form, buf, 0, &len, &err), AG_ERR_SPACE);
    assert_int_equal(len, n);
    assert_true(vec_untouched(buf, 0, sizeof buf));
    /* cap == len + 1: fits exactly, NUL-terminated */
    memset(buf, VEC_SENTINEL, sizeof buf);
    len = 777;
    assert_int_equal(ag_serialize(c, form, buf, n + 1, &len, &err), AG_OK);
    assert_int_equal(len, n);
    assert_memory_equal(buf, want, n);
    assert_int_equal(buf[n], 0);
    assert_true(vec_untouched(buf, n + 1, sizeof buf));
    /* a big buffer: nothing written after the NUL */
    memset(buf, VEC_SENTINEL, sizeof buf);
    assert_int_equal(ag_serialize(c, form, buf, sizeof buf, &len, &err), AG_OK);
    assert_int_equal(len, n);
    assert_memory_equal(buf, want, n + 1);
    assert_true(vec_untouched(buf, n + 1, sizeof buf));
    assert_int_equal(err.status, AG_OK);
}

static void test_snprintf_semantics(void **state)
{
    (void)state;
    const char *v = "Digest realm=\"r\\\"\", nonce=\"n\", qop=\"auth,auth-int\"";
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &c, NULL), AG_OK);
    space_contract(&c, AG_FORM_VALUE, v);
    space_contract(&c, AG_FORM_PROXY_AUTHENTICATE,
                   "Proxy-Authenticate: Digest realm=\"r\\\"\", nonce=\"n\", qop=\"auth,auth-int\"\r\n");
    space_contract(&c, AG_FORM_WWW_AUTHENTICATE,
                   "WWW-Authenticate: Digest realm=\"r\\\"\", nonce=\"n\", qop=\"auth,auth-int\"\r\n");
}

static void test_arguments(void **state)
{
    (void)state;
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, "Basic realm=\"r\"", 15, &c, NULL), AG_OK);
    char buf[64];
    size_t len = 5;
    assert_int_equal(ag_serialize(NULL, AG_FORM_VALUE, buf, sizeof buf, &len, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(ag_serialize(&c, AG_FORM_VALUE, buf, sizeof buf, NULL, NULL), AG_ERR_ARGUMENT);
    len = 5;
    assert_int_equal(ag_serialize(&c, AG_FORM_VALUE, NULL, 8, &len, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(len, 0);
    len = 5;
    assert_int_equal(ag_serialize(&c, (ag_form)3, buf, sizeof buf, &len, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(len, 0);
    assert_int_equal(ag_serialize(&c, (ag_form)-1, buf, sizeof buf, &len, NULL), AG_ERR_ARGUMENT);
    ag_challenge bad = c;
    bad.param_count = bad.param_cap + 1;
    len = 5;
    assert_int_equal(ag_serialize(&bad, AG_FORM_VALUE, buf, sizeof buf, &len, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(len, 0);
    /* the same challenge is fine: err may be NULL */
    assert_int_equal(ag_serialize(&c, AG_FORM_VALUE, buf, sizeof buf, &len, NULL), AG_OK);
    assert_int_equal(len, 15);
    assert_string_equal(buf, "Basic realm=\"r\"");
}

/* "On any other error *len is 0 and buf[0] = NUL (when cap > 0)": an
 * unknown form is such an error. */
static void test_unknown_form_clears_output(void **state)
{
    (void)state;
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, "Basic realm=\"r\"", 15, &c, NULL), AG_OK);
    char buf[64];
    memset(buf, VEC_SENTINEL, sizeof buf);
    size_t len = 5;
    assert_int_equal(ag_serialize(&c, (ag_form)3, buf, sizeof buf, &len, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0);
    assert_true(vec_untouched(buf, 1, sizeof buf));
}

/* [I]6: every refusal says what was wrong.  AG_FORM_PROXY_AUTHENTICATE | AG_FORM_WWW_AUTHENTICATE is
 * 3, AG_FORM_PROXY_AUTHORIZATION: a challenge written so was refused with an
 * empty ag_field_error, which ag_field_error_format printed as "no error". */
static void expect_says(ag_status st, const ag_field_error *e, const char *field, const char *words)
{
    char msg[256];
    assert_int_equal(st, AG_ERR_ARGUMENT);
    assert_int_equal(e->status, AG_ERR_ARGUMENT);
    assert_string_equal(e->field, field);
    ag_field_error_format(e, msg, sizeof msg);
    if (strstr(msg, "no error") || !strstr(msg, words))
        fail_msg("'%s' does not say '%s'", msg, words);
}

static void test_argument_errors_say_why(void **state)
{
    (void)state;
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE,
                                        "Digest realm=\"r\", nonce=\"n\"", 27, &c, NULL), AG_OK);
    char buf[128];
    size_t len;
    ag_field_error e;
    ag_form both = (ag_form)(AG_FORM_PROXY_AUTHENTICATE | AG_FORM_WWW_AUTHENTICATE);
    expect_says(ag_serialize(&c, both, buf, sizeof buf, &len, &e), &e, "form",
                "a challenge is written as AG_FORM_VALUE, AG_FORM_PROXY_AUTHENTICATE or AG_FORM_WWW_AUTHENTICATE");
    expect_says(ag_serialize(NULL, AG_FORM_VALUE, buf, sizeof buf, &len, &e), &e, "challenge", "NULL");
    expect_says(ag_serialize(&c, AG_FORM_VALUE, NULL, 5, &len, &e), &e, "buf", "buf is NULL");
    expect_says(ag_serialize(&c, AG_FORM_VALUE, buf, sizeof buf, NULL, &e), &e, "len", "len is NULL");
    c.param_count = c.param_cap + 1;
    expect_says(ag_serialize(&c, AG_FORM_VALUE, buf, sizeof buf, &len, &e), &e, "challenge",
                "param_count is larger than param_cap");
    c.param_count = 2;

    ag_list_storage ls;
    ag_challenge_list l;
    ag_challenge_list_init(&l, &ls);
    expect_says(ag_serialize_list(&l, AG_FORM_VALUE, buf, sizeof buf, &len, &e), &e, "challenge", "count 0");

    ag_credentials_storage cs;
    ag_credentials cr;
    ag_credentials_init(&cr, &cs);
    assert_int_equal(ag_parse_credentials(AG_PROFILE_SIP, AG_INPUT_VALUE, "Digest username=\"u\"", 19, &cr, NULL),
                     AG_OK);
    expect_says(ag_serialize_credentials(&cr, AG_FORM_WWW_AUTHENTICATE, buf, sizeof buf, &len, &e), &e, "form",
                "credentials are written as");
    expect_says(ag_serialize_credentials(NULL, AG_FORM_VALUE, buf, sizeof buf, &len, &e), &e, "credentials",
                "NULL");
    expect_says(ag_digest_answer_line(AG_PROFILE_SIP, AG_HEADER_PROXY_AUTHENTICATE, NULL, buf, sizeof buf, &len, &e),
                &e, "header", "NULL");
    expect_says(ag_proxy_authorization_digest(buf, sizeof buf, NULL, &e, "u", "r", "n", "sip:a", "0", NULL, NULL,
                                              NULL, NULL, NULL),
                &e, "len", "len is NULL");
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_basic(&b, "r"), AG_OK);
    expect_says(ag_builder_finish(&b, AG_FORM_VALUE, NULL, 3, &len, &e), &e, "buf", "buf is NULL");
    /* a length query is not an error: nothing refused */
    assert_int_equal(ag_serialize(&c, AG_FORM_VALUE, NULL, 0, &len, &e), AG_ERR_SPACE);
    assert_int_equal(e.status, AG_OK);
}

/* The typed fields are not read: only scheme and params[]. */
static void test_typed_fields_not_read(void **state)
{
    (void)state;
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    const char *v = "Digest realm=\"r\", nonce=\"n\"";
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &c, NULL), AG_OK);
    c.realm.ptr = "zzz";
    c.realm.len = 3;
    c.stale = AG_STALE_TRUE;
    c.algorithm = AG_ALGORITHM_MD5;
    c.qop_count = 0;
    char out[128];
    size_t len;
    assert_int_equal(ag_serialize(&c, AG_FORM_VALUE, out, sizeof out, &len, NULL), AG_OK);
    assert_string_equal(out, v);
}

/* ---- (d) hand-built challenges with a bad field ----------------------------- */

static ag_span sp(const char *s) { return (ag_span){s, strlen(s)}; }

static void hand_init(ag_challenge *c, ag_param *params, size_t n, const char *scheme)
{
    memset(c, 0, sizeof *c);
    c->scheme = sp(scheme);
    c->scheme_id = !strcmp(scheme, "Digest") ? AG_SCHEME_DIGEST : AG_SCHEME_OTHER;
    c->params = params;
    c->param_cap = n;
    c->param_count = n;
}

static ag_param hand_param(ag_param_kind kind, const char *name, const char *value, size_t vlen,
                           int quoted)
{
    ag_param p;
    memset(&p, 0, sizeof p);
    p.kind = kind;
    p.name = sp(name);
    p.value = (ag_span){value, vlen};
    p.quoted = quoted;
    return p;
}

static void expect_refused(const ag_challenge *c, const char *field, size_t index, size_t offset,
                           int check_index)
{
    char buf[256];
    for (int form = AG_FORM_VALUE; form <= AG_FORM_WWW_AUTHENTICATE; form++) {
        memset(buf, VEC_SENTINEL, sizeof buf);
        size_t len = 1234;
        ag_field_error err;
        memset(&err, 0, sizeof err);
        ag_status rc = ag_serialize(c, (ag_form)form, buf, sizeof buf, &len, &err);
        CHECK(rc == AG_ERR_FIELD, "%s: expected AG_ERR_FIELD, got %s", field, ag_status_name(rc));
        if (rc != AG_ERR_FIELD)
            continue;
        CHECK(len == 0, "%s: *len %zu", field, len);
        CHECK(buf[0] == 0, "%s: buf[0] not NUL", field);
        CHECK(vec_untouched(buf, 1, sizeof buf), "%s: output written past buf[0]", field);
        CHECK(err.status == AG_ERR_FIELD, "%s: err.status %d", field, err.status);
        CHECK(err.field && !strcmp(err.field, field), "err.field '%s', expected '%s'",
              err.field ? err.field : "(null)", field);
        CHECK(err.rule && err.rule[0], "%s: empty rule", field);
        CHECK(err.rfc != NULL, "%s: rfc NULL", field);
        CHECK(err.message && err.message[0], "%s: empty message", field);
        CHECK(err.challenge == 0, "%s: challenge %zu", field, err.challenge);
        if (check_index)
            CHECK(err.index == index, "%s: index %zu, expected %zu", field, err.index, index);
        CHECK(err.offset == offset, "%s: offset %zu, expected %zu", field, err.offset, offset);

        /* the formatted line names the field and the rule */
        char line[512];
        size_t n = ag_field_error_format(&err, line, sizeof line);
        CHECK(n > 0 && n < sizeof line, "format length %zu", n);
        CHECK(strlen(line) == n, "format: returned %zu, wrote %zu", n, strlen(line));
        CHECK(strstr(line, field) != NULL, "format '%s' lacks the field %s", line, field);
        CHECK(strstr(line, err.rule) != NULL, "format '%s' lacks the rule %s", line, err.rule);
        CHECK(strchr(line, '\n') == NULL && strchr(line, '\r') == NULL, "format is not one line");
        /* snprintf semantics of the formatter */
        char small[8];
        memset(small, VEC_SENTINEL, sizeof small);
        CHECK(ag_field_error_format(&err, small, sizeof small) == n, "format length with a small cap");
        CHECK(small[sizeof small - 1] == 0 && memcmp(small, line, sizeof small - 1) == 0,
              "format truncation");
        CHECK(ag_field_error_format(&err, NULL, 0) == n, "format length query");
    }
}

/* One hand-built challenge with one bad field: up to three parameters. */
typedef struct hand_case {
    const char *name;
    const char *scheme;
    size_t nparams;
    struct {
        ag_param_kind kind;
        const char *name, *value;
        size_t vlen;
        int quoted;
    } p[3];
    const char *field; /* expected err.field */
    size_t index;      /* expected err.index (when check_index) */
    size_t offset;     /* expected err.offset */
    int check_index;
} hand_case;

#define HP(kind, name, lit, quoted) {kind, name, lit, sizeof(lit) - 1, quoted}

static const hand_case hand_cases[] = {
    {"realm not quoted", "Digest", 2,
     {HP(AG_PARAM_NONCE, "nonce", "n", 1), HP(AG_PARAM_REALM, "realm", "abc", 0)}, "realm", 1, 0, 0},
    {"an empty token value", "Digest", 2,
     {HP(AG_PARAM_REALM, "realm", "r", 1), HP(AG_PARAM_GENERIC, "foo", "", 0)}, "param-value", 1, 0, 1},
    {"a token value with a space", "Digest", 2,
     {HP(AG_PARAM_REALM, "realm", "r", 1), HP(AG_PARAM_GENERIC, "foo", "a b", 0)}, "param-value", 1, 1, 1},
    /* SWS around "=" and "," is grammatical around a token: a token with a
     * leading or trailing space must still be refused, or it comes back
     * without it (and the output is not canonical) */
    {"a token value with a leading space", "Foo", 2,
     {HP(AG_PARAM_GENERIC, "a", " v", 0), HP(AG_PARAM_GENERIC, "b", "w", 0)}, "param-value", 0, 0, 1},
    {"a token value with a trailing space", "Foo", 2,
     {HP(AG_PARAM_GENERIC, "a", "v ", 0), HP(AG_PARAM_GENERIC, "b", "w", 0)}, "param-value", 0, 1, 1},
    {"a token value with a fold", "Foo", 2,
     {HP(AG_PARAM_GENERIC, "a", "\r\n v", 0), HP(AG_PARAM_GENERIC, "b", "w", 0)}, "param-value", 0, 0, 1},
    {"a name with a space", "Foo", 3,
     {HP(AG_PARAM_GENERIC, "a", "b", 0), HP(AG_PARAM_GENERIC, "x", "y", 1),
      HP(AG_PARAM_GENERIC, "ba d", "v", 1)}, "param-name", 2, 2, 1},
    {"a name with a trailing space", "Foo", 1, {HP(AG_PARAM_GENERIC, "ba ", "v", 1)}, "param-name", 0, 2, 1},
    {"a name with a trailing fold", "Foo", 1, {HP(AG_PARAM_GENERIC, "ba\r\n ", "v", 1)}, "param-name", 0, 2, 1},
    {"an empty name", "Foo", 3,
     {HP(AG_PARAM_GENERIC, "a", "b", 0), HP(AG_PARAM_GENERIC, "x", "y", 1), HP(AG_PARAM_GENERIC, "", "v", 1)},
     "param-name", 2, 0, 1},
    {"a scheme with a space", "Fo o", 1, {HP(AG_PARAM_GENERIC, "a", "b", 0)}, "scheme", 0, 2, 0},
    {"a scheme with a trailing space", "Foo ", 1, {HP(AG_PARAM_GENERIC, "a", "b", 0)}, "scheme", 0, 3, 0},
    {"an empty scheme", "", 1, {HP(AG_PARAM_GENERIC, "a", "b", 0)}, "scheme", 0, 0, 0},
    /* (a NUL in a sip quoted value is written as a quoted-pair since [H]:
     * tests/test_hostile.c) */
    /* raw quoted content: a CRLF not followed by WSP is no line fold; it is
     * refused, not dropped */
    {"CR LF (not a fold) in a quoted opaque", "Digest", 2,
     {HP(AG_PARAM_REALM, "realm", "r", 1), HP(AG_PARAM_OPAQUE, "opaque", "ab\r\nVia: x", 1)}, "opaque", 1, 2, 0},
    {"a bare CR in a quoted value", "Foo", 1, {HP(AG_PARAM_GENERIC, "a", "x\ry", 1)}, "param-value", 0, 1, 1},
    {"stale neither true nor false", "Digest", 2,
     {HP(AG_PARAM_REALM, "realm", "r", 1), HP(AG_PARAM_STALE, "stale", "yes", 0)}, "stale", 1, 0, 0},
    {"a domain that is not a URI list", "Digest", 1, {HP(AG_PARAM_DOMAIN, "domain", "a b", 1)}, "domain",
     0, 1, 0},
};

static void run_hand_case(void **state)
{
    const hand_case *k = *state;
    fails = 0;
    where_ = k->name;
    ag_param p[3];
    ag_challenge c;
    for (size_t i = 0; i < k->nparams; i++)
        p[i] = hand_param(k->p[i].kind, k->p[i].name, k->p[i].value, k->p[i].vlen, k->p[i].quoted);
    hand_init(&c, p, k->nparams, k->scheme);
    expect_refused(&c, k->field, k->index, k->offset, k->check_index);
    END_CHECKS();
}

/* qop values are tokens: a space after the comma is not a qop-options */
static void test_hand_built_qop_with_space(void **state)
{
    (void)state;
    ag_param p[2];
    ag_challenge c;
    p[0] = hand_param(AG_PARAM_REALM, "realm", "r", 1, 1);
    p[1] = hand_param(AG_PARAM_QOP, "qop", "auth, auth-int", 14, 1);
    hand_init(&c, p, 2, "Digest");
    char buf[256];
    size_t len;
    ag_field_error err;
    assert_int_equal(ag_serialize(&c, AG_FORM_VALUE, buf, sizeof buf, &len, &err), AG_ERR_FIELD);
    assert_string_equal(err.field, "qop");
    assert_true(err.rule[0] != 0);
    /* the same value as a generic quoted auth-param is fine */
    p[1].kind = AG_PARAM_GENERIC;
    assert_int_equal(ag_serialize(&c, AG_FORM_VALUE, buf, sizeof buf, &len, &err), AG_OK);
    assert_string_equal(buf, "Digest realm=\"r\", qop=\"auth, auth-int\"");
}

/* "Foo" alone is not a challenge: other-challenge needs an auth-param */
static void test_hand_built_no_parameter(void **state)
{
    (void)state;
    ag_param p[1];
    ag_challenge c;
    hand_init(&c, p, 0, "Foo");
    char buf[64];
    size_t len = 9;
    ag_field_error err;
    memset(buf, VEC_SENTINEL, sizeof buf);
    assert_int_equal(ag_serialize(&c, AG_FORM_VALUE, buf, sizeof buf, &len, &err), AG_ERR_FIELD);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0);
    assert_true(vec_untouched(buf, 1, sizeof buf));
    assert_true(err.field && err.field[0] && err.rule && err.rule[0]);
}

/* A field error formatted for a status that is not AG_ERR_FIELD. */
static void test_field_error_format_ok(void **state)
{
    (void)state;
    ag_field_error e;
    memset(&e, 0, sizeof e);
    e.status = AG_OK;
    e.field = "";
    e.rule = "";
    e.rfc = "";
    e.message = "";
    char buf[128];
    size_t n = ag_field_error_format(&e, buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
}

/* ---- main ------------------------------------------------------------------ */

/* ---- http: parse(serialize_list(parse(x))) == parse(x) -------------------- */

static void http_roundtrip_case(void **state)
{
    const vec_case *v = *state;
    const char *entry = vec_get(v, "entry", NULL);
    ag_input in = entry && !strcmp(entry, "header") ? AG_INPUT_HEADER : AG_INPUT_VALUE;
    static ag_list_storage s1, s2;
    ag_challenge_list a, b;
    ag_challenge_list_init(&a, &s1);
    assert_int_equal(ag_parse(AG_PROFILE_HTTP, in, v->input, v->input_len, &a, NULL), AG_OK);
    ag_form form = in == AG_INPUT_VALUE ? AG_FORM_VALUE
                   : a.challenges[0].header == AG_HEADER_PROXY_AUTHENTICATE ? AG_FORM_PROXY_AUTHENTICATE
                                                                             : AG_FORM_WWW_AUTHENTICATE;
    static char out[70000];
    size_t len;
    ag_field_error err;
    ag_status rc = ag_serialize_list(&a, form, out, sizeof out, &len, &err);
    const char *refused_as = vec_get(v, "serialize", NULL);
    if (refused_as && strncmp(refused_as, "refused ", 8) == 0) {
        assert_int_equal(rc, AG_ERR_FIELD);
        assert_string_equal(err.rule, refused_as + 8);
        return;
    }
    if (rc != AG_OK) {
        char msg[256];
        ag_field_error_format(&err, msg, sizeof msg);
        fail_msg("%s:%d: %s: serialize: %s", v->file, v->line, v->name, msg);
    }
    ag_challenge_list_init(&b, &s2);
    assert_int_equal(ag_parse(AG_PROFILE_HTTP, in, out, len, &b, NULL), AG_OK);
    /* the same content and warnings, but for those of the list's form,
     * which canonical output drops by design */
    char why[512];
    if (!chdiff_list(&a, &b, CHDIFF_CONTENT_WARNINGS, why, sizeof why))
        fail_msg("%s:%d: %s: %s", v->file, v->line, v->name, why);
    /* canonical output is a fixed point */
    static char again[70000];
    size_t len2;
    assert_int_equal(ag_serialize_list(&b, form, again, sizeof again, &len2, &err), AG_OK);
    assert_int_equal(len2, len);
    assert_memory_equal(again, out, len);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE.vec...\n", argv[0]);
        return 2;
    }
    int failed = 0;
    size_t nvalid_total = 0;
    for (int a = 1; a < argc; a++) {
        vec_case *cases;
        size_t n = vec_read(argv[a], &cases);
        if (!n) {
            fprintf(stderr, "%s: no cases\n", argv[a]);
            return 1;
        }
        struct CMUnitTest *tests = calloc(n, sizeof *tests);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            const char *r = vec_get(&cases[i], "result", NULL);
            if (!r || strcmp(r, "valid") != 0 || vec_get(&cases[i], "lenient", NULL))
                continue; /* (lenient readings: test_vectors writes them back) */
            /* http vectors: the list round trip */
            const char *prof = vec_get(&cases[i], "profile", NULL);
            int http = prof && strcmp(prof, "sip") != 0;
            tests[k].name = cases[i].name;
            tests[k].test_func = http ? http_roundtrip_case : roundtrip_case;
            tests[k].initial_state = &cases[i];
            k++;
        }
        nvalid_total += k;
        if (k) {
            char group[256];
            const char *base = strrchr(argv[a], '/');
            snprintf(group, sizeof group, "roundtrip %s", base ? base + 1 : argv[a]);
            failed |= _cmocka_run_group_tests(group, tests, k, NULL, NULL);
        }
        free(tests);
        vec_free(cases, n);
    }
    if (nvalid_total < 150) {
        fprintf(stderr, "only %zu valid vectors: is the vector list complete?\n", nvalid_total);
        failed = 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vectors_were_seen),
        cmocka_unit_test(test_canonical_inputs_byte_for_byte),
        cmocka_unit_test(test_noncanonical_inputs_are_canonicalized),
        cmocka_unit_test(test_snprintf_semantics),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_unknown_form_clears_output),
        cmocka_unit_test(test_typed_fields_not_read),
        cmocka_unit_test(test_hand_built_qop_with_space),
        cmocka_unit_test(test_hand_built_no_parameter),
        cmocka_unit_test(test_field_error_format_ok),
        cmocka_unit_test(test_argument_errors_say_why),
    };
    failed |= cmocka_run_group_tests_name("serialize", tests, NULL, NULL);
    size_t nh = sizeof hand_cases / sizeof hand_cases[0];
    struct CMUnitTest *ht = calloc(nh, sizeof *ht);
    for (size_t i = 0; i < nh; i++) {
        ht[i].name = hand_cases[i].name;
        ht[i].test_func = run_hand_case;
        ht[i].initial_state = (void *)(uintptr_t)&hand_cases[i];
    }
    failed |= _cmocka_run_group_tests("hand-built bad fields", ht, nh, NULL, NULL);
    free(ht);
    return failed;
}
