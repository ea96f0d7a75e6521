/* SPDX-License-Identifier: MIT */
/* Hostile input to the builder and the serializer.  Every field gets CR, LF,
 * CRLF + header text, NUL, other control bytes, DQUOTE, backslash, comma,
 * equals, spaces, UTF-8 valid and not, the empty string and 64 KiB.  Each
 * one is either carried (the output parses back as exactly one challenge
 * whose field, unescaped, is the input bytes) or refused (AG_ERR_FIELD
 * naming the field, with a rule, *len == 0, nothing written but buf[0]).
 * Which one is decided by the table below, from the grammar classes of
 * include/authgram.h: quoted values, tokens, URIs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authgram.h"
#include "vec.h"

#define BIG (64 * 1024)

/* ---- fields ------------------------------------------------------------------ */

typedef enum fclass { QUOTED, TOKEN, URI } fclass;

typedef enum field_id {
    F_REALM,
    F_NONCE,
    F_OPAQUE,
    F_ALGORITHM,
    F_QOP,
    F_DOMAIN,
    F_SCHEME,
    F_PARAM_NAME,
    F_PARAM_QUOTED,
    F_PARAM_TOKEN,
    F_CHARSET,
    F_COUNT
} field_id;

static const struct {
    const char *name;   /* for messages */
    const char *errfield; /* ag_field_error.field */
    fclass cls;
} fields[F_COUNT] = {
    [F_REALM] = {"realm", "realm", QUOTED},
    [F_NONCE] = {"nonce", "nonce", QUOTED},
    [F_OPAQUE] = {"opaque", "opaque", QUOTED},
    [F_ALGORITHM] = {"algorithm", "algorithm", TOKEN},
    [F_QOP] = {"qop value", "qop", TOKEN},
    [F_DOMAIN] = {"domain URI", "domain", URI},
    [F_SCHEME] = {"scheme", "scheme", TOKEN},
    [F_PARAM_NAME] = {"extension name", "param-name", TOKEN},
    [F_PARAM_QUOTED] = {"extension value, quoted", "param-value", QUOTED},
    [F_PARAM_TOKEN] = {"extension value, token", "param-value", TOKEN},
    [F_CHARSET] = {"charset", "charset", TOKEN},
};

/* A domain URI is written as "sip:" + the case's bytes. */
#define URI_PREFIX "sip:"
#define URI_PREFIX_LEN 4

/* ---- the cases ------------------------------------------------------------------ */

/* Outcome in one class: carried, or refused at offset (in the case's bytes)
 * with at_end. */
typedef struct outcome {
    int carried;
    size_t off;
    int at_end;
} outcome;

#define CARRY {1, 0, 0}
#define REFUSE(o) {0, (o), 0}
#define REFUSE_END(o) {0, (o), 1}

typedef struct icase {
    const char *name;
    const char *v; /* NULL: generated (64 KiB) */
    size_t n;
    outcome q, t, u; /* quoted value, token, URI */
} icase;

#define S(lit) lit, sizeof(lit) - 1

static char big_token[BIG];              /* token and URI characters */
static char big_mixed[BIG];              /* DQUOTE, backslash, SP, UTF-8, ... */
static char big_cr[BIG + 1];             /* token characters, then CR */

static const icase cases[] = {
    /* never a line break */
    {"CR", S("x\ry"), REFUSE(1), REFUSE(1), REFUSE(1)},
    {"LF", S("x\ny"), REFUSE(1), REFUSE(1), REFUSE(1)},
    {"CRLF and a header", S("x\r\nVia: SIP/2.0/UDP evil.example.com"), REFUSE(1), REFUSE(1), REFUSE(1)},
    {"CRLF first", S("\r\nVia: x"), REFUSE(0), REFUSE(0), REFUSE(0)},
    {"CRLF SP (a fold)", S("x\r\n y"), REFUSE(1), REFUSE(1), REFUSE(1)},
    {"CRLF at the end", S("x\r\n"), REFUSE(1), REFUSE(1), REFUSE(1)},
    /* a whole line fold around a token would be read as LWS around "=" or
     * "," (and written, a CRLF in the output): refused all the same */
    {"a fold first", S("\r\n x"), REFUSE(0), REFUSE(0), REFUSE(0)},
    {"a fold with HTAB first", S("\r\n\tx"), REFUSE(0), REFUSE(0), REFUSE(0)},
    {"a fold last", S("x\r\n "), REFUSE(1), REFUSE(1), REFUSE(1)},
    /* control bytes: in a sip quoted value a quoted-pair ("\" %x00-09 /
     * %x0B-0C / %x0E-7F), so the value survives a round trip; never in a
     * token or a URI */
    {"NUL", S("x\0y"), CARRY, REFUSE(1), REFUSE(1)},
    {"NUL alone", S("\0"), CARRY, REFUSE(0), REFUSE(0)},
    {"0x01", S("x\x01y"), CARRY, REFUSE(1), REFUSE(1)},
    {"0x1b (ESC)", S("x\x1b]0;t\x07y"), CARRY, REFUSE(1), REFUSE(1)},
    {"0x1f", S("x\x1fy"), CARRY, REFUSE(1), REFUSE(1)},
    {"0x7f", S("x\x7fy"), CARRY, REFUSE(1), REFUSE(1)},
    {"HTAB", S("x\ty"), CARRY, REFUSE(1), REFUSE(1)},
    /* spaces */
    {"SP", S("x y"), CARRY, REFUSE(1), REFUSE(1)},
    {"leading SP", S(" x"), CARRY, REFUSE(0), REFUSE(0)},
    {"trailing SP", S("x "), CARRY, REFUSE(1), REFUSE(1)},
    {"only SP", S("   "), CARRY, REFUSE(0), REFUSE(0)},
    /* quoting */
    {"DQUOTE", S("x\"y"), CARRY, REFUSE(1), REFUSE(1)},
    {"DQUOTE alone", S("\""), CARRY, REFUSE(0), REFUSE(0)},
    {"backslash", S("x\\y"), CARRY, REFUSE(1), REFUSE(1)},
    {"backslash at the end", S("x\\"), CARRY, REFUSE(1), REFUSE(1)},
    {"backslash DQUOTE", S("\\\""), CARRY, REFUSE(0), REFUSE(0)},
    {"a closing quote and a new parameter", S("x\", nonce=\"evil"), CARRY, REFUSE(1), REFUSE(1)},
    /* a token position is not a quoted-string position: "x" is not a token */
    {"a quoted string", S("\"a, b\""), CARRY, REFUSE(0), REFUSE(0)},
    /* separators */
    {"comma", S("x,y"), CARRY, REFUSE(1), CARRY},
    {"equals", S("x=y"), CARRY, REFUSE(1), CARRY},
    {"comma SP and a parameter", S("x, realm=y"), CARRY, REFUSE(1), REFUSE(2)},
    {"semicolon", S("x;y"), CARRY, REFUSE(1), CARRY},
    /* token and URI characters */
    {"token characters", S("a-b.c!*_+'~0Z"), CARRY, CARRY, CARRY},
    {"backtick", S("x`y"), CARRY, CARRY, REFUSE(1)},
    {"percent-encoded", S("x%41"), CARRY, CARRY, CARRY},
    /* 8-bit bytes */
    {"UTF-8, 2 bytes", S("caf\xc3\xa9"), CARRY, REFUSE(3), REFUSE(3)},
    {"UTF-8, 4 bytes", S("\xf0\x9f\x98\x80"), CARRY, REFUSE(0), REFUSE(0)},
    {"lone 0x80", S("x\x80y"), REFUSE(1), REFUSE(1), REFUSE(1)},
    {"0xff", S("x\xffy"), REFUSE(1), REFUSE(1), REFUSE(1)},
    {"0xfe", S("\xfe"), REFUSE(0), REFUSE(0), REFUSE(0)},
    {"truncated C3", S("caf\xc3"), REFUSE_END(4), REFUSE(3), REFUSE(3)},
    {"C3 then ASCII", S("x\xc3y"), REFUSE(2), REFUSE(1), REFUSE(1)},
    /* sizes */
    {"empty", S(""), CARRY, REFUSE_END(0), REFUSE_END(0)},
    {"64 KiB of token characters", NULL, 0, CARRY, CARRY, CARRY},
    {"64 KiB with quotes, backslashes, spaces and UTF-8", NULL, 1, CARRY, REFUSE(2), REFUSE(2)},
    {"64 KiB then CR", NULL, 2, REFUSE(BIG), REFUSE(BIG), REFUSE(BIG)},
};

static void init_big(void)
{
    static const char tok[] = "abc-.!*_+'~XYZ019";
    static const char mixed[] = "ab\"c\\d e,f=g\xc3\xa9\t";
    for (size_t i = 0; i < BIG; i++) {
        big_token[i] = tok[i % (sizeof tok - 1)];
        big_mixed[i] = mixed[i % (sizeof mixed - 1)];
        big_cr[i] = tok[i % (sizeof tok - 1)];
    }
    /* do not cut a UTF-8 sequence at the end */
    size_t m = sizeof mixed - 1;
    size_t cut = BIG - BIG % m;
    for (size_t i = cut; i < BIG; i++)
        big_mixed[i] = 'z';
    big_cr[BIG] = '\r';
}

static void case_bytes(const icase *k, const char **v, size_t *n)
{
    if (k->v) {
        *v = k->v;
        *n = k->n;
        return;
    }
    switch (k->n) {
    case 0: *v = big_token; *n = BIG; break;
    case 1: *v = big_mixed; *n = BIG; break;
    default: *v = big_cr; *n = BIG + 1; break;
    }
}

static outcome expected(const icase *k, fclass cls)
{
    outcome o = cls == QUOTED ? k->q : cls == TOKEN ? k->t : k->u;
    if (cls == URI && !o.carried)
        o.off += URI_PREFIX_LEN;
    return o;
}

/* ---- helpers --------------------------------------------------------------------- */


static const char *find(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn > hn)
        return NULL;
    for (size_t i = 0; i + nn <= hn; i++)
        if (memcmp(hay + i, needle, nn) == 0)
            return hay + i;
    return NULL;
}

static int fails;
static char where_[256];

#define CHECK(cond, ...)                                                                    \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            print_error("%s: line %d: ", where_, __LINE__);                                 \
            print_error(__VA_ARGS__);                                                       \
            print_error("\n");                                                              \
            fails++;                                                                        \
        }                                                                                   \
    } while (0)

/* Exactly one line, CRLF-terminated, no other CR or LF. */
static int one_line(const char *out, size_t len)
{
    if (len < 2 || out[len - 2] != '\r' || out[len - 1] != '\n')
        return 0;
    for (size_t i = 0; i + 2 < len; i++)
        if (out[i] == '\r' || out[i] == '\n')
            return 0;
    return 1;
}

/* The bytes of a quoted value, escaped minimally (written here, not by the
 * library): the output must hold exactly these between the quotes. */
static char *escape(const char *v, size_t n, size_t *outn)
{
    char *e = malloc(2 * n + 3);
    size_t k = 0;
    e[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == '"' || c == '\\' || (c < 0x20 && c != '\t') || c == 0x7f)
            e[k++] = '\\';
        e[k++] = v[i];
    }
    e[k++] = '"';
    *outn = k;
    return e;
}

/* Builds a challenge with the field under test set to (v, n); returns the
 * status of that field's setter. */
static ag_status build(ag_builder *b, field_id f, const char *v, size_t n, char *uri)
{
    ag_status rc;
    ag_builder_init(b);
    if (f == F_SCHEME) {
        rc = ag_builder_challenge(b, v, n);
        ag_status r2 = ag_builder_param(b, "a", AG_NTS, "b", AG_NTS, 0);
        if (rc == AG_OK)
            CHECK(r2 == AG_OK, "param after a good scheme: %s", ag_status_name(r2));
        else
            CHECK(r2 == AG_ERR_STATE, "a setter after an error returned %s", ag_status_name(r2));
        return rc;
    }
    assert_int_equal(ag_builder_challenge(b, "Digest", AG_NTS), AG_OK);
    if (f == F_REALM) {
        rc = ag_builder_realm(b, v, n);
        ag_status r2 = ag_builder_nonce(b, "n", AG_NTS);
        CHECK(r2 == (rc == AG_OK ? AG_OK : AG_ERR_STATE), "nonce after realm: %s", ag_status_name(r2));
        return rc;
    }
    assert_int_equal(ag_builder_realm(b, "r", AG_NTS), AG_OK);
    switch (f) {
    case F_NONCE: return ag_builder_nonce(b, v, n);
    case F_OPAQUE: return ag_builder_opaque(b, v, n);
    case F_ALGORITHM: return ag_builder_algorithm(b, v, n);
    case F_QOP:
        assert_int_equal(ag_builder_qop(b, "auth", AG_NTS), AG_OK);
        return ag_builder_qop(b, v, n);
    case F_DOMAIN:
        memcpy(uri, URI_PREFIX, URI_PREFIX_LEN);
        memcpy(uri + URI_PREFIX_LEN, v, n);
        return ag_builder_domain(b, uri, n + URI_PREFIX_LEN);
    case F_PARAM_NAME: return ag_builder_param(b, v, n, "x", AG_NTS, 1);
    case F_PARAM_QUOTED: return ag_builder_param(b, "ext", AG_NTS, v, n, 1);
    case F_PARAM_TOKEN: return ag_builder_param(b, "ext", AG_NTS, v, n, 0);
    case F_CHARSET: return ag_builder_charset(b, v, n);
    default: fail_msg("field %d", f);
    }
    return AG_ERR_ARGUMENT;
}

/* The output parses back as one challenge whose field is (v, n). */
static void check_carried(field_id f, const char *out, size_t len, const char *v, size_t n,
                          size_t nparams)
{
    CHECK(one_line(out, len), "not exactly one CRLF-terminated line: %s", vec_show(out, len));
    ag_challenge_storage st;
    ag_challenge c;
    ag_diag d;
    ag_challenge_init(&c, &st);
    ag_status rc = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_HEADER, out, len, &c, &d);
    CHECK(rc == AG_OK, "the output does not parse back: %s at %zu: %s", ag_status_name(rc), d.offset,
          vec_show(out, len));
    if (rc != AG_OK)
        return;
    CHECK(c.header == AG_HEADER_PROXY_AUTHENTICATE, "header %d", c.header);
    ag_span s = {NULL, 0};
    int quoted = fields[f].cls == QUOTED;
    size_t want_params = nparams ? nparams : 2;
    switch (f) {
    case F_REALM: s = c.realm; break;
    case F_NONCE: s = c.nonce; break;
    case F_OPAQUE: s = c.opaque; break;
    case F_ALGORITHM: s = c.algorithm_raw; break;
    case F_QOP:
        CHECK(c.qop_count == 2, "qop_count %zu", c.qop_count);
        if (c.qop_count == 2)
            s = c.qop[1].raw;
        break;
    case F_DOMAIN:
        CHECK(c.domain_count == 1, "domain_count %zu", c.domain_count);
        if (c.domain_count == 1)
            s = c.domain[0];
        break;
    case F_SCHEME:
        s = c.scheme;
        want_params = 1;
        break;
    case F_PARAM_NAME:
        if (c.param_count == 2)
            s = c.params[1].name;
        break;
    case F_PARAM_QUOTED:
    case F_PARAM_TOKEN:
    case F_CHARSET:
        if (c.param_count == 2) {
            s = c.params[1].value;
            CHECK(c.params[1].quoted == quoted, "quoted %d", c.params[1].quoted);
            CHECK(c.params[1].kind == AG_PARAM_GENERIC, "kind %d", c.params[1].kind);
        }
        break;
    default: break;
    }
    CHECK(c.param_count == want_params, "param_count %zu, expected %zu", c.param_count, want_params);
    CHECK(s.ptr != NULL, "the field is not in the output: %s", vec_show(out, len));
    if (!s.ptr)
        return;
    if (quoted) {
        char *u = malloc(s.len + 1);
        size_t un = ag_unescape(s, u, s.len + 1);
        CHECK(un == n && memcmp(u, v, n) == 0, "came back as %s", vec_show(u, un));
        free(u);
        /* the exact escaping: '"', '\' and control bytes but HTAB as
         * quoted-pairs, nothing else */
        size_t en;
        char *e = escape(v, n, &en);
        CHECK(find(out, len, e, en) != NULL, "the minimally escaped value is not in the output");
        free(e);
    } else if (f == F_DOMAIN) {
        CHECK(s.len == n + URI_PREFIX_LEN && !memcmp(s.ptr, URI_PREFIX, URI_PREFIX_LEN) &&
                  !memcmp(s.ptr + URI_PREFIX_LEN, v, n),
              "came back as %s", vec_show(s.ptr, s.len));
    } else {
        CHECK(s.len == n && memcmp(s.ptr, v, n) == 0, "came back as %s", vec_show(s.ptr, s.len));
    }
}

static void check_refused_err(const ag_field_error *e, field_id f, outcome o, const char *what)
{
    CHECK(e->status == AG_ERR_FIELD, "%s: status %s", what, ag_status_name(e->status));
    CHECK(e->field && !strcmp(e->field, fields[f].errfield), "%s: field '%s', expected '%s'", what,
          e->field ? e->field : "(null)", fields[f].errfield);
    CHECK(e->rule && e->rule[0], "%s: empty rule", what);
    CHECK(e->message && e->message[0], "%s: empty message", what);
    CHECK(e->offset == o.off, "%s: offset %zu, expected %zu", what, e->offset, o.off);
    CHECK(e->at_end == o.at_end, "%s: at_end %d, expected %d", what, e->at_end, o.at_end);
    CHECK(e->challenge == 0, "%s: challenge %zu", what, e->challenge);
    if (f == F_QOP)
        CHECK(e->index == 1, "%s: index %zu (the second qop value)", what, e->index);
    if (f == F_DOMAIN)
        CHECK(e->index == 0, "%s: index %zu", what, e->index);
}

/* ---- the table, through the builder --------------------------------------------------- */

typedef struct tcase {
    field_id f;
    const icase *k;
    char name[128];
} tcase;

static void run_builder_case(void **state)
{
    const tcase *t = *state;
    field_id f = t->f;
    const icase *k = t->k;
    snprintf(where_, sizeof where_, "%s: %s", fields[f].name, k->name);
    fails = 0;
    const char *v;
    size_t n;
    case_bytes(k, &v, &n);
    outcome o = expected(k, fields[f].cls);

    static char uri[BIG + 16];
    static ag_builder b;
    ag_status rc = build(&b, f, v, n, uri);

    size_t cap = 4 * BIG;
    char *buf = malloc(cap);
    memset(buf, VEC_SENTINEL, cap);
    size_t len = 4242;
    ag_field_error err;
    memset(&err, 0, sizeof err);
    ag_status fin = ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, cap, &len, &err);

    if (o.carried) {
        CHECK(rc == AG_OK, "setter: %s (field %s, offset %zu, rule %s), expected it carried",
              ag_status_name(rc), ag_builder_error(&b)->field, ag_builder_error(&b)->offset,
              ag_builder_error(&b)->rule);
        CHECK(fin == AG_OK, "finish: %s", ag_status_name(fin));
        if (fin == AG_OK) {
            CHECK(buf[len] == 0, "no NUL after the output");
            check_carried(f, buf, len, v, n, 0);
        }
    } else {
        CHECK(rc == AG_ERR_FIELD, "setter: %s, expected AG_ERR_FIELD", ag_status_name(rc));
        check_refused_err(ag_builder_error(&b), f, o, "ag_builder_error");
        CHECK(fin == AG_ERR_FIELD, "finish: %s, expected AG_ERR_FIELD", ag_status_name(fin));
        if (fin == AG_OK)
            CHECK(one_line(buf, len), "and it wrote a line break: %s", vec_show(buf, len));
        check_refused_err(&err, f, o, "finish");
        CHECK(len == 0, "*len %zu", len);
        CHECK(buf[0] == 0, "buf[0] is not NUL");
        CHECK(vec_untouched(buf, 1, cap), "bytes after buf[0] were written");
        if (err.field) {
            char line[512];
            size_t ln = ag_field_error_format(&err, line, sizeof line);
            CHECK(ln > 0 && strstr(line, fields[f].errfield) != NULL, "format: %s", line);
        }
    }
    free(buf);
    if (fails)
        fail_msg("%d check(s) failed", fails);
}

/* The same through the one-call functions, for the fields they take and the
 * values a NUL-terminated string can hold. */
static void run_one_call_case(void **state)
{
    const tcase *t = *state;
    field_id f = t->f;
    const icase *k = t->k;
    snprintf(where_, sizeof where_, "one call, %s: %s", fields[f].name, k->name);
    fails = 0;
    const char *v;
    size_t n;
    case_bytes(k, &v, &n);
    outcome o = expected(k, fields[f].cls);
    char *s = malloc(n + URI_PREFIX_LEN + 1);
    size_t sn = 0;
    if (f == F_DOMAIN) {
        memcpy(s, URI_PREFIX, URI_PREFIX_LEN);
        sn = URI_PREFIX_LEN;
    }
    memcpy(s + sn, v, n);
    s[sn + n] = 0;
    const char *qop[2] = {"auth", s};
    const char *dom[1] = {s};

    size_t cap = 4 * BIG;
    char *buf = malloc(cap);
    for (int basic = 0; basic < 2; basic++) {
        if (basic && f != F_REALM)
            break;
        memset(buf, VEC_SENTINEL, cap);
        size_t len = 4242;
        ag_field_error err;
        memset(&err, 0, sizeof err);
        ag_status rc;
        if (basic)
            rc = ag_proxy_authenticate_basic(buf, cap, &len, &err, s);
        else
            rc = ag_proxy_authenticate_digest(
                buf, cap, &len, &err, f == F_REALM ? s : "r", f == F_NONCE ? s : "n",
                f == F_OPAQUE ? s : NULL, f == F_ALGORITHM ? s : NULL, f == F_QOP ? qop : NULL,
                f == F_QOP ? 2 : 0, AG_STALE_UNSET, f == F_DOMAIN ? dom : NULL, f == F_DOMAIN ? 1 : 0);
        if (o.carried) {
            CHECK(rc == AG_OK, "%s (field %s, offset %zu)", ag_status_name(rc), err.field, err.offset);
            if (rc == AG_OK) {
                CHECK(one_line(buf, len), "not one line: %s", vec_show(buf, len));
                ag_challenge_storage st;
                ag_challenge c;
                ag_challenge_init(&c, &st);
                CHECK(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_HEADER,
                                         buf, len, &c, NULL) == AG_OK, "does not parse back");
                if (!basic)
                    check_carried(f, buf, len, v, n, f == F_REALM || f == F_NONCE ? 2 : 3);
            }
        } else {
            CHECK(rc == AG_ERR_FIELD, "%s, expected AG_ERR_FIELD", ag_status_name(rc));
            if (!basic)
                check_refused_err(&err, f, o, "one call");
            else
                CHECK(err.field && !strcmp(err.field, "realm"), "basic: field %s", err.field);
            CHECK(len == 0, "*len %zu", len);
            CHECK(buf[0] == 0 && vec_untouched(buf, 1, cap), "output written");
        }
    }
    free(buf);
    free(s);
    if (fails)
        fail_msg("%d check(s) failed", fails);
}

/* ---- the serializer: hand-built challenges with injected bytes ----------------------- */

static void test_serialize_injection(void **state)
{
    (void)state;
    snprintf(where_, sizeof where_, "ag_serialize");
    fails = 0;
    static const struct {
        const char *scheme;
        const char *name;
        const char *value;
        size_t vlen;
        int quoted;
        ag_param_kind kind;
        const char *field;
    } k[] = {
        {"Foo", "a", S("x\r\nVia: evil"), 1, AG_PARAM_GENERIC, "param-value"},
        {"Foo", "a", S("x\r\nVia: evil"), 0, AG_PARAM_GENERIC, "param-value"},
        {"Foo", "a\r\nVia: evil", S("x"), 0, AG_PARAM_GENERIC, "param-name"},
        {"Foo\r\nVia: evil", "a", S("x"), 0, AG_PARAM_GENERIC, "scheme"},
        {"Digest", "realm", S("x\r\nVia: evil"), 1, AG_PARAM_REALM, "realm"},
        {"Digest", "nonce", S("x\ny"), 1, AG_PARAM_NONCE, "nonce"},
        {"Digest", "opaque", S("x\ry"), 1, AG_PARAM_OPAQUE, "opaque"},
        {"Digest", "algorithm", S("MD5\r\nVia: evil"), 0, AG_PARAM_ALGORITHM, "algorithm"},
        {"Digest", "qop", S("auth\r\nVia: evil"), 1, AG_PARAM_QOP, "qop"},
        {"Digest", "domain", S("sip:a\r\nVia: evil"), 1, AG_PARAM_DOMAIN, "domain"},
        {"Digest", "stale", S("true\r\nVia: evil"), 0, AG_PARAM_STALE, "stale"},
        /* a raw quoted value is parser output: a bare DQUOTE cannot be in it */
        {"Foo", "a", S("x\"\r\nVia: evil"), 1, AG_PARAM_GENERIC, "param-value"},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        ag_param p;
        memset(&p, 0, sizeof p);
        p.name = (ag_span){k[i].name, strlen(k[i].name)};
        p.value = (ag_span){k[i].value, k[i].vlen};
        p.quoted = k[i].quoted;
        p.kind = k[i].kind;
        ag_challenge c;
        memset(&c, 0, sizeof c);
        c.scheme = (ag_span){k[i].scheme, strlen(k[i].scheme)};
        c.params = &p;
        c.param_cap = 1;
        c.param_count = 1;
        for (int form = AG_FORM_VALUE; form <= AG_FORM_WWW_AUTHENTICATE; form++) {
            char buf[256];
            memset(buf, VEC_SENTINEL, sizeof buf);
            size_t len = 99;
            ag_field_error err;
            memset(&err, 0, sizeof err);
            ag_status rc = ag_serialize(&c, (ag_form)form, buf, sizeof buf, &len, &err);
            CHECK(rc == AG_ERR_FIELD, "case %zu form %d: %s", i, form, ag_status_name(rc));
            if (rc == AG_OK)
                CHECK(0, "case %zu wrote %s", i, vec_show(buf, len));
            CHECK(len == 0 && buf[0] == 0 && vec_untouched(buf, 1, sizeof buf), "case %zu: output", i);
            CHECK(err.field && !strcmp(err.field, k[i].field), "case %zu: field %s, expected %s", i,
                  err.field ? err.field : "(null)", k[i].field);
            CHECK(err.rule && err.rule[0], "case %zu: no rule", i);
        }
    }
    if (fails)
        fail_msg("%d check(s) failed", fails);
}

/* A quoted value with a line fold is parser output the serializer may
 * take: the fold's CRLF is dropped, never written. */
static void test_serialize_fold_dropped(void **state)
{
    (void)state;
    ag_param p;
    memset(&p, 0, sizeof p);
    p.name = (ag_span){"realm", 5};
    p.value = (ag_span){"a\r\n\tb\r\n c", 9};
    p.quoted = 1;
    p.kind = AG_PARAM_REALM;
    ag_challenge c;
    memset(&c, 0, sizeof c);
    c.scheme = (ag_span){"Digest", 6};
    c.params = &p;
    c.param_cap = c.param_count = 1;
    char buf[128];
    size_t len;
    assert_int_equal(ag_serialize(&c, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, &len, NULL), AG_OK);
    const char *want = "Proxy-Authenticate: Digest realm=\"a\tb c\"\r\n";
    assert_int_equal(len, strlen(want));
    assert_memory_equal(buf, want, len);
}

/* The builder keeps pointers: bytes changed after a setter accepted them
 * are checked again when the output is written, never written unchecked. */
static void test_late_change_is_checked(void **state)
{
    (void)state;
    char realm[] = "abcdef";
    char name[] = "ext";
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&b, realm, 6), AG_OK);
    assert_int_equal(ag_builder_param(&b, name, 3, "v", 1, 0), AG_OK);
    realm[2] = '\r';
    realm[3] = '\n';
    char buf[256];
    memset(buf, VEC_SENTINEL, sizeof buf);
    size_t len = 5;
    ag_field_error err;
    ag_status rc = ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, &len, &err);
    if (rc == AG_OK && !one_line(buf, len))
        fail_msg("a CR LF was written: %s", vec_show(buf, len));
    assert_int_equal(rc, AG_ERR_FIELD);
    assert_string_equal(err.field, "realm");
    assert_int_equal(err.offset, 2);
    assert_int_equal(len, 0);
    assert_true(vec_untouched(buf, 1, sizeof buf));
    realm[2] = 'c';
    realm[3] = 'd';
    name[1] = ' ';
    rc = ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, &len, &err);
    assert_int_equal(rc, AG_ERR_FIELD);
    assert_string_equal(err.field, "param-name");
}

/* Every successful output of the table has been checked for stray CR/LF
 * above; this checks that the table itself is what it claims. */
static void test_table_sanity(void **state)
{
    (void)state;
    size_t crlf = 0, carried_q = 0, refused_q = 0, carried_t = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *v;
        size_t n;
        case_bytes(&cases[i], &v, &n);
        int has_break = memchr(v, '\r', n) || memchr(v, '\n', n);
        if (has_break) {
            crlf++;
            /* CR and LF: refused in every class */
            assert_false(cases[i].q.carried);
            assert_false(cases[i].t.carried);
            assert_false(cases[i].u.carried);
        }
        carried_q += cases[i].q.carried;
        refused_q += !cases[i].q.carried;
        carried_t += cases[i].t.carried;
        assert_true(cases[i].q.off <= n && cases[i].t.off <= n && cases[i].u.off <= n);
    }
    assert_true(crlf >= 6);
    assert_true(carried_q >= 20 && refused_q >= 10 && carried_t >= 4);
    assert_int_equal(big_token[BIG - 1] != 0, 1);
}

int main(void)
{
    init_big();
    size_t ncases = sizeof cases / sizeof cases[0];
    size_t max = (size_t)F_COUNT * ncases;
    tcase *tc = calloc(max, sizeof *tc);
    struct CMUnitTest *tests = calloc(max, sizeof *tests);
    size_t k = 0;
    for (int f = 0; f < F_COUNT; f++)
        for (size_t i = 0; i < ncases; i++) {
            tc[k].f = (field_id)f;
            tc[k].k = &cases[i];
            snprintf(tc[k].name, sizeof tc[k].name, "%s: %s", fields[f].name, cases[i].name);
            tests[k].name = tc[k].name;
            tests[k].test_func = run_builder_case;
            tests[k].initial_state = &tc[k];
            k++;
        }
    int failed = _cmocka_run_group_tests("injection, builder", tests, k, NULL, NULL);

    /* one-call forms: realm, nonce, opaque, algorithm, qop, domain; no NUL */
    k = 0;
    static char names[F_COUNT * 64][128];
    static const field_id one[] = {F_REALM, F_NONCE, F_OPAQUE, F_ALGORITHM, F_QOP, F_DOMAIN};
    for (size_t j = 0; j < sizeof one / sizeof one[0]; j++)
        for (size_t i = 0; i < ncases; i++) {
            const char *v;
            size_t n;
            case_bytes(&cases[i], &v, &n);
            if (memchr(v, 0, n))
                continue;
            tc[k].f = one[j];
            tc[k].k = &cases[i];
            snprintf(names[k], sizeof names[k], "%s: %s", fields[one[j]].name, cases[i].name);
            tests[k].name = names[k];
            tests[k].test_func = run_one_call_case;
            tests[k].initial_state = &tc[k];
            k++;
        }
    failed |= _cmocka_run_group_tests("injection, one call", tests, k, NULL, NULL);

    const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_table_sanity),
        cmocka_unit_test(test_serialize_injection),
        cmocka_unit_test(test_serialize_fold_dropped),
        cmocka_unit_test(test_late_change_is_checked),
    };
    failed |= cmocka_run_group_tests_name("injection, serializer", fixed, NULL, NULL);
    free(tests);
    free(tc);
    return failed;
}
