/* SPDX-License-Identifier: MIT */
/* The builder (include/authgram.h "the builder"):
 *  - the one-call builders (proxy_authenticate_digest/basic, and the
 *    examples of the builder API they mirror) as exact bytes written here
 *    by hand, each line parsed back with ag_parse_challenge and compared with
 *    the inputs;
 *  - the WWW-Authenticate twins and the value form;
 *  - the step-wise setters, parameter order, the first error kept, a field
 *    set twice, dedicated names as extension parameters, capacities and
 *    arguments. */
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



/* ---- parse-back helpers ------------------------------------------------- */

typedef struct dargs {
    const char *realm, *nonce, *opaque, *algorithm;
    const char *const *qop;
    size_t nqop;
    ag_stale stale;
    const char *const *domain;
    size_t ndomain;
} dargs;

static void assert_quoted(ag_span raw, const char *want, const char *what)
{
    if (!want) {
        if (raw.ptr)
            fail_msg("%s: present ('%.*s'), expected absent", what, AG_SPAN_ARGS(raw));
        return;
    }
    if (!raw.ptr)
        fail_msg("%s: absent, expected '%s'", what, want);
    char buf[4096];
    size_t n = ag_unescape(raw, buf, sizeof buf);
    if (n != strlen(want) || memcmp(buf, want, n) != 0)
        fail_msg("%s: got '%s', expected '%s'", what, vec_show(buf, n), want);
}

static void assert_span(ag_span s, const char *want, const char *what)
{
    if (!s.ptr || s.len != strlen(want) || memcmp(s.ptr, want, s.len) != 0)
        fail_msg("%s: got '%.*s', expected '%s'", what, AG_SPAN_ARGS(s), want);
}

/* Parses one header line (with its CRLF) and compares it with the
 * arguments of ag_builder_digest. */
static void check_digest_line(const char *line, size_t len, ag_header hdr, const dargs *a)
{
    ag_challenge_storage st;
    ag_challenge c;
    ag_diag d;
    ag_challenge_init(&c, &st);
    ag_status rc = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_HEADER, line, len, &c, &d);
    if (rc != AG_OK)
        fail_msg("does not parse back (%s at %zu, %s): %s", ag_status_name(rc), d.offset,
                 rc == AG_ERR_SYNTAX ? d.rule : "", vec_show(line, len));
    assert_int_equal(c.header, hdr);
    assert_span(c.scheme, "Digest", "scheme");
    assert_int_equal(c.scheme_id, AG_SCHEME_DIGEST);
    assert_quoted(c.realm, a->realm, "realm");
    assert_quoted(c.nonce, a->nonce, "nonce");
    assert_quoted(c.opaque, a->opaque, "opaque");
    if (a->algorithm) {
        assert_span(c.algorithm_raw, a->algorithm, "algorithm");
        assert_int_not_equal(c.algorithm, AG_ALGORITHM_NONE);
    } else {
        assert_null(c.algorithm_raw.ptr);
        assert_int_equal(c.algorithm, AG_ALGORITHM_NONE); /* no default MD5 written */
    }
    assert_int_equal(c.qop_count, a->nqop);
    for (size_t i = 0; i < a->nqop; i++)
        assert_span(c.qop[i].raw, a->qop[i], "qop");
    assert_int_equal(c.stale, a->stale);
    assert_int_equal(c.domain_count, a->ndomain);
    for (size_t i = 0; i < a->ndomain; i++)
        assert_span(c.domain[i], a->domain[i], "domain");
    /* the parameters, in the builder's order, each its dedicated production */
    ag_param_kind want[7];
    size_t n = 0;
    want[n++] = AG_PARAM_REALM;
    want[n++] = AG_PARAM_NONCE;
    if (a->opaque)
        want[n++] = AG_PARAM_OPAQUE;
    if (a->algorithm)
        want[n++] = AG_PARAM_ALGORITHM;
    if (a->nqop)
        want[n++] = AG_PARAM_QOP;
    if (a->stale != AG_STALE_UNSET)
        want[n++] = AG_PARAM_STALE;
    if (a->ndomain)
        want[n++] = AG_PARAM_DOMAIN;
    assert_int_equal(c.param_count, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(c.params[i].kind, want[i]);
    /* a challenge the builder writes has no fallthrough or duplicate */
    ag_warning w[16];
    size_t nw = ag_check(&c, w, 16);
    for (size_t i = 0; i < nw && i < 16; i++) {
        assert_int_not_equal(w[i].id, AG_W_FALLTHROUGH);
        assert_int_not_equal(w[i].id, AG_W_DUPLICATE_PARAM);
    }
}

static void check_basic_line(const char *line, size_t len, ag_header hdr, const char *realm)
{
    ag_challenge_storage st;
    ag_challenge c;
    ag_diag d;
    ag_challenge_init(&c, &st);
    ag_status rc = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_HEADER, line, len, &c, &d);
    if (rc != AG_OK)
        fail_msg("does not parse back (%s at %zu): %s", ag_status_name(rc), d.offset,
                 vec_show(line, len));
    assert_int_equal(c.header, hdr);
    assert_span(c.scheme, "Basic", "scheme");
    assert_int_equal(c.scheme_id, AG_SCHEME_BASIC);
    assert_int_equal(c.param_count, 1);
    assert_span(c.params[0].name, "realm", "param name");
    assert_true(c.params[0].quoted);
    assert_quoted(c.params[0].value, realm, "basic realm");
}

/* Splits buf into CRLF-terminated lines; returns how many, and their
 * starts and lengths (CRLF included).  No CR or LF anywhere else. */
static size_t split_lines(const char *buf, size_t len, const char **start, size_t *llen, size_t max)
{
    size_t n = 0, from = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\r' || buf[i] == '\n') {
            if (buf[i] != '\r' || i + 1 >= len || buf[i + 1] != '\n')
                fail_msg("a stray CR or LF at %zu: %s", i, vec_show(buf, len));
            assert_true(n < max);
            start[n] = buf + from;
            llen[n] = i + 2 - from;
            n++;
            from = i + 2;
            i++;
        }
    }
    if (from != len)
        fail_msg("the output does not end with CRLF: %s", vec_show(buf, len));
    return n;
}

static void assert_bytes(const char *got, size_t len, const char *want)
{
    if (len != strlen(want) || memcmp(got, want, len) != 0) {
        print_error("want %s\n", vec_show(want, strlen(want)));
        print_error("got  %s\n", vec_show(got, len));
        fail_msg("bytes differ");
    }
}

/* ---- the one-call builders: the headers of the mirrored API's examples --- */

static const char *const Q_AUTH[] = {"auth"};
static const char *const Q_BOTH[] = {"auth", "auth-int"};

/* One call, one header line; also its length query and its WWW twin. */
static void example_digest(const dargs *a, const char *want)
{
    char buf[1024];
    size_t len = 0;
    ag_field_error err;
    memset(&err, 0x5a, sizeof err);
    ag_status rc = ag_proxy_authenticate_digest(buf, sizeof buf, &len, &err, a->realm, a->nonce,
                                                a->opaque, a->algorithm, a->qop, a->nqop, a->stale,
                                                a->domain, a->ndomain);
    if (rc != AG_OK)
        fail_msg("%s (field %s, rule %s)", ag_status_name(rc), rc == AG_ERR_FIELD ? err.field : "-",
                 rc == AG_ERR_FIELD ? err.rule : "-");
    assert_int_equal(err.status, AG_OK);
    assert_bytes(buf, len, want);
    assert_int_equal(buf[len], 0);
    const char *ls[4];
    size_t ll[4];
    assert_int_equal(split_lines(buf, len, ls, ll, 4), 1);
    check_digest_line(buf, len, AG_HEADER_PROXY_AUTHENTICATE, a);

    /* the length query */
    size_t need = 0;
    assert_int_equal(ag_proxy_authenticate_digest(NULL, 0, &need, NULL, a->realm, a->nonce, a->opaque,
                                                  a->algorithm, a->qop, a->nqop, a->stale, a->domain,
                                                  a->ndomain),
                     AG_ERR_SPACE);
    assert_int_equal(need, strlen(want));

    /* the WWW-Authenticate twin: the same value under the other name */
    const char *value = want + strlen("Proxy-Authenticate: ");
    char www[1024];
    snprintf(www, sizeof www, "WWW-Authenticate: %s", value);
    rc = ag_www_authenticate_digest(buf, sizeof buf, &len, &err, a->realm, a->nonce, a->opaque,
                                    a->algorithm, a->qop, a->nqop, a->stale, a->domain, a->ndomain);
    assert_int_equal(rc, AG_OK);
    assert_bytes(buf, len, www);
    check_digest_line(buf, len, AG_HEADER_WWW_AUTHENTICATE, a);

    /* and through the builder, one call too */
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_digest(&b, a->realm, a->nonce, a->opaque, a->algorithm, a->qop,
                                       a->nqop, a->stale, a->domain, a->ndomain),
                     AG_OK);
    assert_int_equal(ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, &len, &err), AG_OK);
    assert_bytes(buf, len, want);
}

static void example_basic(const char *realm, const char *want)
{
    char buf[512];
    size_t len = 0;
    ag_field_error err;
    assert_int_equal(ag_proxy_authenticate_basic(buf, sizeof buf, &len, &err, realm), AG_OK);
    assert_bytes(buf, len, want);
    assert_int_equal(buf[len], 0);
    check_basic_line(buf, len, AG_HEADER_PROXY_AUTHENTICATE, realm);
    size_t need = 0;
    assert_int_equal(ag_proxy_authenticate_basic(NULL, 0, &need, NULL, realm), AG_ERR_SPACE);
    assert_int_equal(need, strlen(want));

    char www[512];
    snprintf(www, sizeof www, "WWW-Authenticate: %s", want + strlen("Proxy-Authenticate: "));
    assert_int_equal(ag_www_authenticate_basic(buf, sizeof buf, &len, &err, realm), AG_OK);
    assert_bytes(buf, len, www);
    check_basic_line(buf, len, AG_HEADER_WWW_AUTHENTICATE, realm);
}

static void test_example_minimal_digest(void **state)
{
    (void)state;
    dargs a = {"proxy.example.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093", NULL, NULL, NULL, 0,
               AG_STALE_UNSET, NULL, 0};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"proxy.example.com\", "
                    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"\r\n");
}

static void test_example_secure_qop_domain(void **state)
{
    (void)state;
    static const char *const dom[] = {"sip:example.com"};
    dargs a = {"proxy.example.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
               "5ccc069c403ebaf9f0171e9517f40e41", "SHA-256", Q_AUTH, 1, AG_STALE_UNSET, dom, 1};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"proxy.example.com\", "
                    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
                    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", algorithm=SHA-256, qop=\"auth\", "
                    "domain=\"sip:example.com\"\r\n");
}

static void test_example_load_balancer(void **state)
{
    (void)state;
    static const char *const dom[] = {"sip:east.example.com", "sip:west.example.com",
                                      "sip:north.example.com", "sip:south.example.com"};
    dargs a = {"lb.example.com", "68fd93c0a5b71e94284d7f293e57", "load-balancer-state-data", "SHA-256",
               Q_AUTH, 1, AG_STALE_UNSET, dom, 4};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"lb.example.com\", "
                    "nonce=\"68fd93c0a5b71e94284d7f293e57\", opaque=\"load-balancer-state-data\", "
                    "algorithm=SHA-256, qop=\"auth\", domain=\"sip:east.example.com "
                    "sip:west.example.com sip:north.example.com sip:south.example.com\"\r\n");
}

static void test_example_nonce_expiry(void **state)
{
    (void)state;
    dargs a = {"proxy.example.com", "new-nonce-34f8a6c2d9b1", NULL, "SHA-256", Q_AUTH, 1,
               AG_STALE_TRUE, NULL, 0};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"proxy.example.com\", "
                    "nonce=\"new-nonce-34f8a6c2d9b1\", algorithm=SHA-256, qop=\"auth\", "
                    "stale=true\r\n");
}

static void test_example_simple_basic(void **state)
{
    (void)state;
    /* "Simple Basic Challenge" and the basic of "More Examples" */
    example_basic("proxy.example.com", "Proxy-Authenticate: Basic realm=\"proxy.example.com\"\r\n");
}

static void test_example_basic_private_network(void **state)
{
    (void)state;
    example_basic("internal.proxy.corp.example.com",
               "Proxy-Authenticate: Basic realm=\"internal.proxy.corp.example.com\"\r\n");
}

static void test_example_tls_basic(void **state)
{
    (void)state;
    example_basic("secure.proxy.example.com",
               "Proxy-Authenticate: Basic realm=\"secure.proxy.example.com\"\r\n");
}

/* Two challenges in one response: two header lines, never comma-joined. */
static void two_challenges(const dargs *a, const char *basic_realm, const char *want)
{
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_digest(&b, a->realm, a->nonce, a->opaque, a->algorithm, a->qop,
                                       a->nqop, a->stale, a->domain, a->ndomain),
                     AG_OK);
    assert_int_equal(ag_builder_basic(&b, basic_realm), AG_OK);
    assert_int_equal(ag_builder_error(&b)->status, AG_OK);
    char buf[1024];
    size_t len = 0;
    ag_field_error err;
    ag_status rc = ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, &len, &err);
    assert_int_equal(rc, AG_OK);
    assert_bytes(buf, len, want);
    const char *ls[4];
    size_t ll[4];
    assert_int_equal(split_lines(buf, len, ls, ll, 4), 2);
    check_digest_line(ls[0], ll[0], AG_HEADER_PROXY_AUTHENTICATE, a);
    check_basic_line(ls[1], ll[1], AG_HEADER_PROXY_AUTHENTICATE, basic_realm);

    /* WWW: the same two lines under the other name */
    rc = ag_builder_finish(&b, AG_FORM_WWW_AUTHENTICATE, buf, sizeof buf, &len, &err);
    assert_int_equal(rc, AG_OK);
    assert_int_equal(split_lines(buf, len, ls, ll, 4), 2);
    assert_int_equal(len, strlen(want) - 2 * (strlen("Proxy-Authenticate") - strlen("WWW-Authenticate")));
    check_digest_line(ls[0], ll[0], AG_HEADER_WWW_AUTHENTICATE, a);
    check_basic_line(ls[1], ll[1], AG_HEADER_WWW_AUTHENTICATE, basic_realm);

    /* the value form cannot hold two challenges */
    memset(buf, VEC_SENTINEL, sizeof buf);
    len = 99;
    rc = ag_builder_finish(&b, AG_FORM_VALUE, buf, sizeof buf, &len, &err);
    assert_int_equal(rc, AG_ERR_ARGUMENT);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0);
    assert_true(vec_untouched(buf, 1, sizeof buf));
}

static void test_example_digest_plus_basic_fallback(void **state)
{
    (void)state;
    dargs a = {"proxy.example.com", "nonce123456", NULL, NULL, NULL, 0, AG_STALE_UNSET, NULL, 0};
    two_challenges(&a, "proxy.example.com",
                   "Proxy-Authenticate: Digest realm=\"proxy.example.com\", nonce=\"nonce123456\"\r\n"
                   "Proxy-Authenticate: Basic realm=\"proxy.example.com\"\r\n");
}

static void test_example_gateway_tls(void **state)
{
    (void)state;
    dargs a = {"gateway.example.com", "891a2b3c4d5e6f7g8h9i0j", "secure-session-data", "SHA-256",
               Q_AUTH, 1, AG_STALE_UNSET, NULL, 0};
    two_challenges(&a, "gateway.example.com",
                   "Proxy-Authenticate: Digest realm=\"gateway.example.com\", "
                   "nonce=\"891a2b3c4d5e6f7g8h9i0j\", opaque=\"secure-session-data\", "
                   "algorithm=SHA-256, qop=\"auth\"\r\n"
                   "Proxy-Authenticate: Basic realm=\"gateway.example.com\"\r\n");
}

static void test_example_gateway_non_tls(void **state)
{
    (void)state;
    static const char *const dom[] = {"sip:internal.example.com"};
    dargs a = {"gateway.example.com", "891a2b3c4d5e6f7g8h9i0j", NULL, "SHA-256", Q_AUTH, 1,
               AG_STALE_UNSET, dom, 1};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"gateway.example.com\", "
                    "nonce=\"891a2b3c4d5e6f7g8h9i0j\", algorithm=SHA-256, qop=\"auth\", "
                    "domain=\"sip:internal.example.com\"\r\n");
}

static void test_example_enterprise_voip(void **state)
{
    (void)state;
    static const char *const dom[] = {"sip:pbx.example.com", "sip:voicemail.example.com",
                                      "sip:conference.example.com"};
    dargs a = {"voip.example.com", "e34f8b672ac93ed7f759960da19", "a6b7c8d9e0f1", "SHA-256", Q_AUTH,
               1, AG_STALE_UNSET, dom, 3};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"voip.example.com\", "
                    "nonce=\"e34f8b672ac93ed7f759960da19\", opaque=\"a6b7c8d9e0f1\", "
                    "algorithm=SHA-256, qop=\"auth\", domain=\"sip:pbx.example.com "
                    "sip:voicemail.example.com sip:conference.example.com\"\r\n");
}

static void test_example_enterprise_media(void **state)
{
    (void)state;
    static const char *const dom[] = {"sip:video.example.com", "sip:streaming.example.com",
                                      "sip:recording.example.com"};
    dargs a = {"media.example.com", "67d89af356c21e94db702c5478", "1f2e3d4c5b6a", "SHA-256", Q_AUTH,
               1, AG_STALE_UNSET, dom, 3};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"media.example.com\", "
                    "nonce=\"67d89af356c21e94db702c5478\", opaque=\"1f2e3d4c5b6a\", "
                    "algorithm=SHA-256, qop=\"auth\", domain=\"sip:video.example.com "
                    "sip:streaming.example.com sip:recording.example.com\"\r\n");
}

static void test_example_advanced_auth_int(void **state)
{
    (void)state;
    static const char *const dom[] = {"sip:example.com", "sip:voice.example.com",
                                      "sip:video.example.com"};
    dargs a = {"proxy.example.com", "9FxHwSyJClx391jQKoMl3Z1", "secureOpaque8734", "SHA-256", Q_BOTH,
               2, AG_STALE_UNSET, dom, 3};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"proxy.example.com\", "
                    "nonce=\"9FxHwSyJClx391jQKoMl3Z1\", opaque=\"secureOpaque8734\", "
                    "algorithm=SHA-256, qop=\"auth,auth-int\", domain=\"sip:example.com "
                    "sip:voice.example.com sip:video.example.com\"\r\n");
}

static void test_example_stale_md5(void **state)
{
    (void)state;
    dargs a = {"proxy.example.com", "newNonce5349058kdjfd", NULL, "MD5", Q_AUTH, 1, AG_STALE_TRUE,
               NULL, 0};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"proxy.example.com\", "
                    "nonce=\"newNonce5349058kdjfd\", algorithm=MD5, qop=\"auth\", stale=true\r\n");
}

static void test_example_complete_flow(void **state)
{
    (void)state;
    dargs a = {"proxy.example.com", "3ba1f67c4c2229b3a5fd", NULL, "SHA-256", Q_AUTH, 1,
               AG_STALE_UNSET, NULL, 0};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"proxy.example.com\", "
                    "nonce=\"3ba1f67c4c2229b3a5fd\", algorithm=SHA-256, qop=\"auth\"\r\n");
}

static void test_example_more_examples_digest(void **state)
{
    (void)state;
    dargs a = {"proxy.example.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
               "5ccc069c403ebaf9f0171e9517f40e41", "MD5", Q_AUTH, 1, AG_STALE_UNSET, NULL, 0};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"proxy.example.com\", "
                    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
                    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", algorithm=MD5, qop=\"auth\"\r\n");
}

/* stale=false is written too (false is a value, not the absence of one) */
static void test_stale_false(void **state)
{
    (void)state;
    dargs a = {"r", "n", NULL, NULL, NULL, 0, AG_STALE_FALSE, NULL, 0};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"r\", nonce=\"n\", stale=false\r\n");
}

/* Quoted values are escaped (a DQUOTE or backslash as a quoted-pair), and an
 * unknown algorithm is kept as given, not replaced. */
static void test_escaping_and_unknown_algorithm(void **state)
{
    (void)state;
    dargs a = {"a \"quoted\" realm", "back\\slash", "o\"\\", "X-UNKNOWN", NULL, 0, AG_STALE_UNSET,
               NULL, 0};
    example_digest(&a, "Proxy-Authenticate: Digest realm=\"a \\\"quoted\\\" realm\", "
                    "nonce=\"back\\\\slash\", opaque=\"o\\\"\\\\\", algorithm=X-UNKNOWN\r\n");
}

/* ---- the value form and the output contract ------------------------------------ */

static void test_value_form(void **state)
{
    (void)state;
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_basic(&b, "x"), AG_OK);
    char buf[64];
    size_t len = 0;
    assert_int_equal(ag_builder_finish(&b, AG_FORM_VALUE, buf, sizeof buf, &len, NULL), AG_OK);
    assert_bytes(buf, len, "Basic realm=\"x\"");
    assert_int_equal(buf[len], 0);
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, buf, len, &c, NULL), AG_OK);
    assert_int_equal(c.header, AG_HEADER_NONE);
    assert_int_equal(c.scheme_id, AG_SCHEME_BASIC);

    /* finish leaves the builder as it was: a second call gives the same */
    char again[64];
    size_t len2 = 0;
    assert_int_equal(ag_builder_finish(&b, AG_FORM_VALUE, again, sizeof again, &len2, NULL), AG_OK);
    assert_int_equal(len2, len);
    assert_memory_equal(again, buf, len);
    assert_int_equal(ag_builder_finish(&b, AG_FORM_WWW_AUTHENTICATE, again, sizeof again, &len2, NULL), AG_OK);
    assert_bytes(again, len2, "WWW-Authenticate: Basic realm=\"x\"\r\n");
}

static void test_finish_snprintf_semantics(void **state)
{
    (void)state;
    const char *want = "Proxy-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n"
                       "Proxy-Authenticate: Basic realm=\"b\"\r\n";
    size_t n = strlen(want);
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, NULL, NULL, 0, AG_STALE_UNSET, NULL, 0),
                     AG_OK);
    assert_int_equal(ag_builder_basic(&b, "b"), AG_OK);
    char buf[256];
    size_t len = 5;
    ag_field_error err;
    assert_int_equal(ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, NULL, 0, &len, &err), AG_ERR_SPACE);
    assert_int_equal(len, n);
    for (size_t cap = 1; cap <= n; cap++) {
        memset(buf, VEC_SENTINEL, sizeof buf);
        len = 5;
        assert_int_equal(ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, cap, &len, &err), AG_ERR_SPACE);
        assert_int_equal(len, n);
        assert_int_equal(buf[0], 0);
        if (!vec_untouched(buf, 1, sizeof buf))
            fail_msg("cap %zu: written past buf[0] (a partial first line?)", cap);
    }
    memset(buf, VEC_SENTINEL, sizeof buf);
    assert_int_equal(ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, n + 1, &len, &err), AG_OK);
    assert_int_equal(len, n);
    assert_memory_equal(buf, want, n + 1);
    assert_true(vec_untouched(buf, n + 1, sizeof buf));
    /* len NULL, buf NULL with a capacity, an unknown form */
    assert_int_equal(ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, NULL, &err), AG_ERR_ARGUMENT);
    assert_int_equal(ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, NULL, 4, &len, &err), AG_ERR_ARGUMENT);
    assert_int_equal(ag_builder_finish(&b, (ag_form)9, buf, sizeof buf, &len, &err), AG_ERR_ARGUMENT);
    assert_int_equal(len, 0);

    /* one-call forms: cap == len is too small, cap == len + 1 fits */
    const char *one = "Proxy-Authenticate: Basic realm=\"b\"\r\n";
    size_t m = strlen(one);
    memset(buf, VEC_SENTINEL, sizeof buf);
    assert_int_equal(ag_proxy_authenticate_basic(buf, m, &len, &err, "b"), AG_ERR_SPACE);
    assert_int_equal(len, m);
    assert_int_equal(buf[0], 0);
    assert_true(vec_untouched(buf, 1, sizeof buf));
    assert_int_equal(ag_proxy_authenticate_basic(buf, m + 1, &len, &err, "b"), AG_OK);
    assert_int_equal(len, m);
    assert_memory_equal(buf, one, m + 1);
}

static void test_builder_without_challenge(void **state)
{
    (void)state;
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_error(&b)->status, AG_OK);
    char buf[32];
    size_t len = 3;
    memset(buf, VEC_SENTINEL, sizeof buf);
    assert_int_equal(ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, &len, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0);
    /* a setter with no challenge to apply to cannot succeed */
    assert_int_not_equal(ag_builder_realm(&b, "r", AG_NTS), AG_OK);
    assert_int_not_equal(ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, &len, NULL), AG_OK);
    assert_int_equal(len, 0);
}

/* ---- step-wise setters ------------------------------------------------------- */

static void parse_value_into(const char *buf, size_t len, ag_challenge *c)
{
    ag_diag d;
    ag_status rc = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, buf, len, c, &d);
    if (rc != AG_OK)
        fail_msg("does not parse back (%s at %zu): %s", ag_status_name(rc), d.offset, vec_show(buf, len));
}

static void finish_value(const ag_builder *b, char *buf, size_t cap, size_t *len)
{
    ag_field_error err;
    ag_status rc = ag_builder_finish(b, AG_FORM_VALUE, buf, cap, len, &err);
    if (rc != AG_OK)
        fail_msg("finish: %s (field %s, rule %s)", ag_status_name(rc),
                 rc == AG_ERR_FIELD ? err.field : "-", rc == AG_ERR_FIELD ? err.rule : "-");
}

static void test_stepwise_every_setter(void **state)
{
    (void)state;
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&b, "example.com", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_nonce(&b, "abcdef", 3), AG_OK); /* the length is honoured */
    assert_int_equal(ag_builder_opaque(&b, "o\"q", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_algorithm(&b, "SHA-512-256-sess", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_qop(&b, "auth", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_qop(&b, "auth-int", 8), AG_OK);
    assert_int_equal(ag_builder_stale(&b, AG_STALE_TRUE), AG_OK);
    assert_int_equal(ag_builder_domain(&b, "sip:a.example.com", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_domain(&b, "/path", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_userhash(&b, 0), AG_OK);
    assert_int_equal(ag_builder_charset(&b, "UTF-8", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_param(&b, "ext", AG_NTS, "a b, c=d", AG_NTS, 1), AG_OK);
    assert_int_equal(ag_builder_param(&b, "tok", 3, "t0k", 3, 0), AG_OK);
    assert_int_equal(ag_builder_error(&b)->status, AG_OK);
    char buf[512];
    size_t len;
    finish_value(&b, buf, sizeof buf, &len);
    assert_bytes(buf, len,
                 "Digest realm=\"example.com\", nonce=\"abc\", opaque=\"o\\\"q\", "
                 "algorithm=SHA-512-256-sess, qop=\"auth,auth-int\", stale=true, "
                 "domain=\"sip:a.example.com /path\", userhash=false, charset=UTF-8, "
                 "ext=\"a b, c=d\", tok=t0k");

    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    parse_value_into(buf, len, &c);
    assert_int_equal(c.scheme_id, AG_SCHEME_DIGEST);
    assert_quoted(c.realm, "example.com", "realm");
    assert_quoted(c.nonce, "abc", "nonce");
    assert_quoted(c.opaque, "o\"q", "opaque");
    assert_int_equal(c.algorithm, AG_ALGORITHM_SHA_512_256_SESS);
    assert_span(c.algorithm_raw, "SHA-512-256-sess", "algorithm");
    assert_int_equal(c.qop_count, 2);
    assert_int_equal(c.qop[0].qop, AG_QOP_AUTH);
    assert_int_equal(c.qop[1].qop, AG_QOP_AUTH_INT);
    assert_int_equal(c.stale, AG_STALE_TRUE);
    assert_int_equal(c.domain_count, 2);
    assert_span(c.domain[0], "sip:a.example.com", "domain 0");
    assert_span(c.domain[1], "/path", "domain 1");
    assert_int_equal(c.param_count, 11);
    static const ag_param_kind kinds[] = {AG_PARAM_REALM,   AG_PARAM_NONCE,   AG_PARAM_OPAQUE,
                                          AG_PARAM_ALGORITHM, AG_PARAM_QOP,   AG_PARAM_STALE,
                                          AG_PARAM_DOMAIN,  AG_PARAM_GENERIC, AG_PARAM_GENERIC,
                                          AG_PARAM_GENERIC, AG_PARAM_GENERIC};
    for (size_t i = 0; i < 11; i++)
        assert_int_equal(c.params[i].kind, kinds[i]);
    const ag_param *p = ag_find_param(&c, "userhash");
    assert_non_null(p);
    assert_false(p->quoted);
    assert_span(p->value, "false", "userhash");
    p = ag_find_param(&c, "charset");
    assert_non_null(p);
    assert_false(p->quoted);
    assert_span(p->value, "UTF-8", "charset");
    p = ag_find_param(&c, "ext");
    assert_non_null(p);
    assert_true(p->quoted);
    assert_quoted(p->value, "a b, c=d", "ext");
    p = ag_find_param(&c, "tok");
    assert_non_null(p);
    assert_false(p->quoted);
    assert_span(p->value, "t0k", "tok");
}

static void one_algorithm(const char *alg, ag_algorithm id)
{
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&b, "r", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_algorithm(&b, alg, AG_NTS), AG_OK);
    char buf[128], want[128];
    size_t len;
    finish_value(&b, buf, sizeof buf, &len);
    snprintf(want, sizeof want, "Digest realm=\"r\", algorithm=%s", alg);
    assert_bytes(buf, len, want);
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    parse_value_into(buf, len, &c);
    assert_int_equal(c.algorithm, id);
    assert_span(c.algorithm_raw, alg, "algorithm");
    assert_int_equal(c.params[1].kind, AG_PARAM_ALGORITHM);
}

static void test_algorithm_any_token(void **state)
{
    (void)state;
    one_algorithm("SHA-512-256-sess", AG_ALGORITHM_SHA_512_256_SESS);
    one_algorithm("AKAv2-MD5", AG_ALGORITHM_AKAV2_MD5);
    one_algorithm("AKAv1-MD5", AG_ALGORITHM_AKAV1_MD5);
    one_algorithm("md5-sess", AG_ALGORITHM_MD5_SESS);
    one_algorithm("X-Vendor-Hash", AG_ALGORITHM_OTHER); /* kept, not turned into MD5 */
    one_algorithm("AKAv3-SHA-1", AG_ALGORITHM_OTHER);
}

/* Parameters come out in the order of the first call that sets them; qop
 * and domain values gather in their one parameter. */
static void test_parameter_order(void **state)
{
    (void)state;
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_qop(&b, "auth", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_param(&b, "x-first", AG_NTS, "1", AG_NTS, 0), AG_OK);
    assert_int_equal(ag_builder_nonce(&b, "n", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_domain(&b, "/a", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&b, "r", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_qop(&b, "auth-int", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_stale(&b, AG_STALE_FALSE), AG_OK);
    assert_int_equal(ag_builder_domain(&b, "/b", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_qop(&b, "x-custom", AG_NTS), AG_OK);
    char buf[256];
    size_t len;
    finish_value(&b, buf, sizeof buf, &len);
    assert_bytes(buf, len,
                 "Digest qop=\"auth,auth-int,x-custom\", x-first=1, nonce=\"n\", domain=\"/a /b\", "
                 "realm=\"r\", stale=false");
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    parse_value_into(buf, len, &c);
    assert_int_equal(c.qop_count, 3);
    assert_int_equal(c.qop[2].qop, AG_QOP_OTHER);
    assert_span(c.qop[2].raw, "x-custom", "qop 2");
    assert_int_equal(c.domain_count, 2);
    assert_int_equal(c.stale, AG_STALE_FALSE);

    /* setters after ag_builder_digest append to that challenge */
    ag_builder_init(&b);
    static const char *const dom[] = {"/a"};
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, NULL, Q_AUTH, 1, AG_STALE_UNSET, dom, 1),
                     AG_OK);
    assert_int_equal(ag_builder_stale(&b, AG_STALE_TRUE), AG_OK);
    assert_int_equal(ag_builder_domain(&b, "/b", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_qop(&b, "auth-int", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_param(&b, "nonce-count", AG_NTS, "1", AG_NTS, 0), AG_OK);
    finish_value(&b, buf, sizeof buf, &len);
    assert_bytes(buf, len,
                 "Digest realm=\"r\", nonce=\"n\", qop=\"auth,auth-int\", domain=\"/a /b\", stale=true, "
                 "nonce-count=1");
}

/* A second challenge starts fresh: its setters do not touch the first. */
static void test_several_challenges_stepwise(void **state)
{
    (void)state;
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&b, "one", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_qop(&b, "auth", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&b, "two", AG_NTS), AG_OK); /* not a duplicate */
    assert_int_equal(ag_builder_qop(&b, "auth-int", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_challenge(&b, "Basic", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&b, "three", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_charset(&b, "UTF-8", AG_NTS), AG_OK);
    char buf[512];
    size_t len;
    assert_int_equal(ag_builder_finish(&b, AG_FORM_WWW_AUTHENTICATE, buf, sizeof buf, &len, NULL), AG_OK);
    assert_bytes(buf, len,
                 "WWW-Authenticate: Digest realm=\"one\", qop=\"auth\"\r\n"
                 "WWW-Authenticate: Digest realm=\"two\", qop=\"auth-int\"\r\n"
                 "WWW-Authenticate: Basic realm=\"three\", charset=UTF-8\r\n");
    const char *ls[4];
    size_t ll[4];
    assert_int_equal(split_lines(buf, len, ls, ll, 4), 3);
    for (size_t i = 0; i < 3; i++) {
        ag_challenge_storage st;
        ag_challenge c;
        ag_challenge_init(&c, &st);
        assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_HEADER, ls[i], ll[i], &c, NULL), AG_OK);
        assert_int_equal(c.header, AG_HEADER_WWW_AUTHENTICATE);
    }
}

/* ---- errors --------------------------------------------------------------------- */

static void assert_finish_fails(const ag_builder *b, ag_status want, const char *field)
{
    char buf[128];
    memset(buf, VEC_SENTINEL, sizeof buf);
    size_t len = 77;
    ag_field_error err;
    memset(&err, 0, sizeof err);
    ag_status rc = ag_builder_finish(b, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, &len, &err);
    assert_int_equal(rc, want);
    assert_int_equal(err.status, want);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0);
    assert_true(vec_untouched(buf, 1, sizeof buf));
    if (field) {
        assert_non_null(err.field);
        assert_string_equal(err.field, field);
        assert_non_null(err.rule);
    }
    /* ag_builder_error shows the same */
    const ag_field_error *e = ag_builder_error(b);
    assert_int_equal(e->status, want);
    if (field)
        assert_string_equal(e->field, field);
}

static void test_first_error_kept(void **state)
{
    (void)state;
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&b, "ab\rc", AG_NTS), AG_ERR_FIELD);
    const ag_field_error *e = ag_builder_error(&b);
    assert_int_equal(e->status, AG_ERR_FIELD);
    assert_string_equal(e->field, "realm");
    assert_int_equal(e->offset, 2);
    assert_int_equal(e->challenge, 0);
    assert_true(e->rule && e->rule[0]);
    /* valid calls afterwards do nothing and say so */
    assert_int_equal(ag_builder_nonce(&b, "n", AG_NTS), AG_ERR_STATE);
    assert_int_equal(ag_builder_qop(&b, "auth", AG_NTS), AG_ERR_STATE);
    assert_int_equal(ag_builder_opaque(&b, "o", AG_NTS), AG_ERR_STATE);
    assert_int_equal(ag_builder_algorithm(&b, "MD5", AG_NTS), AG_ERR_STATE);
    assert_int_equal(ag_builder_stale(&b, AG_STALE_TRUE), AG_ERR_STATE);
    assert_int_equal(ag_builder_domain(&b, "/a", AG_NTS), AG_ERR_STATE);
    assert_int_equal(ag_builder_userhash(&b, 1), AG_ERR_STATE);
    assert_int_equal(ag_builder_charset(&b, "UTF-8", AG_NTS), AG_ERR_STATE);
    assert_int_equal(ag_builder_param(&b, "a", AG_NTS, "b", AG_NTS, 0), AG_ERR_STATE);
    assert_int_equal(ag_builder_challenge(&b, "Basic", AG_NTS), AG_ERR_STATE);
    assert_int_equal(ag_builder_basic(&b, "x"), AG_ERR_STATE);
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, NULL, NULL, 0, AG_STALE_UNSET, NULL, 0),
                     AG_ERR_STATE);
    /* a later bad call does not replace the first error */
    assert_int_equal(ag_builder_nonce(&b, "x\ny", AG_NTS), AG_ERR_STATE);
    assert_finish_fails(&b, AG_ERR_FIELD, "realm");
    assert_int_equal(ag_builder_error(&b)->offset, 2);

    /* the error of a later challenge names it */
    ag_builder_init(&b);
    assert_int_equal(ag_builder_basic(&b, "ok"), AG_OK);
    assert_int_equal(ag_builder_digest(&b, "r", "n\"", NULL, "bad alg", NULL, 0, AG_STALE_UNSET, NULL, 0),
                     AG_ERR_FIELD);
    e = ag_builder_error(&b);
    assert_string_equal(e->field, "algorithm");
    assert_int_equal(e->challenge, 1);
    assert_int_equal(e->offset, 3);

    /* the index of a qop value and of a domain URI */
    ag_builder_init(&b);
    static const char *const qop[] = {"auth", "auth-int", "a,b"};
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, NULL, qop, 3, AG_STALE_UNSET, NULL, 0),
                     AG_ERR_FIELD);
    e = ag_builder_error(&b);
    assert_string_equal(e->field, "qop");
    assert_int_equal(e->index, 2);
    assert_int_equal(e->offset, 1);
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_domain(&b, "/ok", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_domain(&b, "sip:x y", AG_NTS), AG_ERR_FIELD);
    e = ag_builder_error(&b);
    assert_string_equal(e->field, "domain");
    assert_int_equal(e->index, 1);
    assert_int_equal(e->offset, 5);

    /* the one-call forms report it the same way */
    char buf[64];
    size_t len = 4;
    ag_field_error err;
    memset(buf, VEC_SENTINEL, sizeof buf);
    assert_int_equal(ag_proxy_authenticate_digest(buf, sizeof buf, &len, &err, "r", "n\r\nVia: x",
                                                  NULL, NULL, NULL, 0, AG_STALE_UNSET, NULL, 0),
                     AG_ERR_FIELD);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0);
    assert_true(vec_untouched(buf, 1, sizeof buf));
    assert_string_equal(err.field, "nonce");
    assert_int_equal(err.offset, 1);
    memset(buf, VEC_SENTINEL, sizeof buf);
    assert_int_equal(ag_www_authenticate_basic(buf, sizeof buf, &len, &err, "a\nb"), AG_ERR_FIELD);
    assert_string_equal(err.field, "realm");
    assert_int_equal(len, 0);
    assert_true(vec_untouched(buf, 1, sizeof buf));
}

typedef ag_status (*set_fn)(ag_builder *b, const char *s, size_t len);

/* A duplicate or a dedicated name as an extension is "an error"; the API
 * does not say which status (a duplicate is grammatical, so AG_ERR_FIELD is
 * a stretch; AG_ERR_ARGUMENT is documented for NULL pointers and unknown
 * options).  Either is accepted; it must be kept, reported by finish, name
 * the field (or "" if not AG_ERR_FIELD, as ag_field_error says), and make
 * later setters return AG_ERR_STATE. */
static void assert_refused_as(ag_builder *b, ag_status rc, const char *field)
{
    if (rc != AG_ERR_FIELD && rc != AG_ERR_ARGUMENT)
        fail_msg("expected AG_ERR_FIELD or AG_ERR_ARGUMENT, got %s", ag_status_name(rc));
    const ag_field_error *e = ag_builder_error(b);
    assert_int_equal(e->status, rc);
    assert_non_null(e->field);
    if (rc == AG_ERR_FIELD || e->field[0])
        assert_string_equal(e->field, field);
    char buf[128];
    memset(buf, VEC_SENTINEL, sizeof buf);
    size_t len = 77;
    ag_field_error err;
    assert_int_equal(ag_builder_finish(b, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, &len, &err), rc);
    assert_int_equal(err.status, rc);
    assert_string_equal(err.field, e->field);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0);
    assert_true(vec_untouched(buf, 1, sizeof buf));
    assert_int_equal(ag_builder_param(b, "later", AG_NTS, "v", AG_NTS, 0), AG_ERR_STATE);
}

static void twice(set_fn set, const char *field)
{
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(set(&b, "MD5", AG_NTS), AG_OK);
    assert_refused_as(&b, set(&b, "MD5", AG_NTS), field);
}

static void test_dedicated_field_twice(void **state)
{
    (void)state;
    twice(ag_builder_realm, "realm");
    twice(ag_builder_nonce, "nonce");
    twice(ag_builder_opaque, "opaque");
    twice(ag_builder_algorithm, "algorithm");

    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_stale(&b, AG_STALE_FALSE), AG_OK);
    assert_refused_as(&b, ag_builder_stale(&b, AG_STALE_TRUE), "stale");

    /* ag_builder_digest has set realm, algorithm and stale already */
    ag_builder_init(&b);
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, "MD5", NULL, 0, AG_STALE_TRUE, NULL, 0),
                     AG_OK);
    assert_refused_as(&b, ag_builder_realm(&b, "r2", AG_NTS), "realm");
    ag_builder_init(&b);
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, "MD5", NULL, 0, AG_STALE_TRUE, NULL, 0),
                     AG_OK);
    assert_refused_as(&b, ag_builder_stale(&b, AG_STALE_TRUE), "stale");
    ag_builder_init(&b);
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, "MD5", NULL, 0, AG_STALE_TRUE, NULL, 0),
                     AG_OK);
    assert_refused_as(&b, ag_builder_algorithm(&b, "SHA-256", AG_NTS), "algorithm");
    /* in a second challenge the same names are fine */
    assert_int_equal(ag_builder_error(&b)->status != AG_OK, 1);
    ag_builder_init(&b);
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, "MD5", NULL, 0, AG_STALE_TRUE, NULL, 0),
                     AG_OK);
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, "MD5", NULL, 0, AG_STALE_TRUE, NULL, 0),
                     AG_OK);
}

static void test_extension_param_with_dedicated_name(void **state)
{
    (void)state;
    static const char *const names[] = {"realm", "NONCE", "Opaque", "algorithm",
                                        "qop",   "Stale", "DOMAIN"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ag_builder b;
        ag_builder_init(&b);
        assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
        assert_refused_as(&b, ag_builder_param(&b, names[i], AG_NTS, "x", AG_NTS, 1), "param-name");
        /* a token value too, and after the field's own setter */
        ag_builder_init(&b);
        assert_int_equal(ag_builder_challenge(&b, "digest", AG_NTS), AG_OK);
        assert_int_equal(ag_builder_nonce(&b, "n", AG_NTS), AG_OK);
        assert_refused_as(&b, ag_builder_param(&b, names[i], AG_NTS, "true", AG_NTS, 0), "param-name");
    }
    /* names that merely start with a dedicated name are extensions */
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_param(&b, "realmx", AG_NTS, "x", AG_NTS, 1), AG_OK);
    assert_int_equal(ag_builder_param(&b, "nonce-count", AG_NTS, "00000001", AG_NTS, 0), AG_OK);
    char buf[128];
    size_t len;
    finish_value(&b, buf, sizeof buf, &len);
    assert_bytes(buf, len, "Digest realmx=\"x\", nonce-count=00000001");
}

static void test_capacity_challenges(void **state)
{
    (void)state;
    ag_builder b;
    ag_builder_init(&b);
    for (int i = 0; i < AG_BUILD_CHALLENGES; i++) {
        assert_int_equal(ag_builder_challenge(&b, "Foo", AG_NTS), AG_OK);
        assert_int_equal(ag_builder_param(&b, "a", AG_NTS, "b", AG_NTS, 0), AG_OK);
    }
    char buf[1024];
    size_t len;
    assert_int_equal(ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, &len, NULL), AG_OK);
    const char *ls[AG_BUILD_CHALLENGES + 1];
    size_t ll[AG_BUILD_CHALLENGES + 1];
    assert_int_equal(split_lines(buf, len, ls, ll, AG_BUILD_CHALLENGES + 1), AG_BUILD_CHALLENGES);
    for (int i = 0; i < AG_BUILD_CHALLENGES; i++)
        assert_bytes(ls[i], ll[i], "Proxy-Authenticate: Foo a=b\r\n");
    /* one more */
    assert_int_equal(ag_builder_challenge(&b, "Foo", AG_NTS), AG_ERR_CAPACITY);
    assert_int_equal(ag_builder_param(&b, "a", AG_NTS, "b", AG_NTS, 0), AG_ERR_STATE);
    assert_finish_fails(&b, AG_ERR_CAPACITY, NULL);
    /* through ag_builder_basic / ag_builder_digest too */
    ag_builder_init(&b);
    for (int i = 0; i < AG_BUILD_CHALLENGES; i++)
        assert_int_equal(ag_builder_basic(&b, "r"), AG_OK);
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, NULL, NULL, 0, AG_STALE_UNSET, NULL, 0),
                     AG_ERR_CAPACITY);
    assert_finish_fails(&b, AG_ERR_CAPACITY, NULL);
}

static void test_capacity_params(void **state)
{
    (void)state;
    static char names[AG_BUILD_PARAMS + 1][8];
    for (int i = 0; i <= AG_BUILD_PARAMS; i++)
        snprintf(names[i], sizeof names[i], "p%d", i);
    ag_builder b;
    ag_builder_init(&b);
    /* spread over two challenges: the limit is for all of them together */
    assert_int_equal(ag_builder_challenge(&b, "Foo", AG_NTS), AG_OK);
    for (int i = 0; i < AG_BUILD_PARAMS; i++) {
        if (i == AG_BUILD_PARAMS / 2)
            assert_int_equal(ag_builder_challenge(&b, "Bar", AG_NTS), AG_OK);
        assert_int_equal(ag_builder_param(&b, names[i], AG_NTS, "v", AG_NTS, i % 2), AG_OK);
    }
    char buf[2048];
    size_t len;
    assert_int_equal(ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, buf, sizeof buf, &len, NULL), AG_OK);
    const char *ls[3];
    size_t ll[3];
    assert_int_equal(split_lines(buf, len, ls, ll, 3), 2);
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_HEADER, ls[1], ll[1], &c, NULL), AG_OK);
    assert_int_equal(c.param_count, AG_BUILD_PARAMS - AG_BUILD_PARAMS / 2);
    assert_span(c.params[0].name, names[AG_BUILD_PARAMS / 2], "first of the second challenge");
    /* one more */
    assert_int_equal(ag_builder_param(&b, names[AG_BUILD_PARAMS], AG_NTS, "v", AG_NTS, 0),
                     AG_ERR_CAPACITY);
    assert_finish_fails(&b, AG_ERR_CAPACITY, NULL);
    /* a dedicated setter counts too */
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    for (int i = 0; i < AG_BUILD_PARAMS; i++)
        assert_int_equal(ag_builder_param(&b, names[i], AG_NTS, "v", AG_NTS, 0), AG_OK);
    assert_int_equal(ag_builder_realm(&b, "r", AG_NTS), AG_ERR_CAPACITY);
    assert_finish_fails(&b, AG_ERR_CAPACITY, NULL);
}

/* Finishes *b as a value into buf and parses it back into c over the
 * convenience storage *cs (spans point into buf). */
static void finish_into_storage(const ag_builder *b, char *buf, size_t cap, ag_challenge_storage *cs,
                                ag_challenge *c)
{
    size_t len;
    finish_value(b, buf, cap, &len);
    ag_challenge_init(c, cs);
    parse_value_into(buf, len, c);
}

/* Every item the builder takes as one kind (all qop values, all domain
 * URIs), in one challenge and spread over a joined http list: the
 * convenience storages read all of it back.  (The builder harness found
 * 33 qop values in a joined list that ag_list_storage could not hold.) */
static void test_capacity_items_fit_storage(void **state)
{
    (void)state;
    static char item[AG_BUILD_ITEMS][8];
    for (int i = 0; i < AG_BUILD_ITEMS; i++)
        snprintf(item[i], sizeof item[i], "/x%d", i);
    for (int domain = 0; domain < 2; domain++) {
        ag_builder b;
        ag_builder_init(&b);
        assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
        for (int i = 0; i < AG_BUILD_ITEMS; i++)
            assert_int_equal(domain ? ag_builder_domain(&b, item[i], AG_NTS)
                                    : ag_builder_qop(&b, item[i] + 1, AG_NTS),
                             AG_OK);
        char buf[2048];
        size_t len;
        ag_challenge_storage cs;
        ag_challenge c;
        finish_into_storage(&b, buf, sizeof buf, &cs, &c);
        assert_int_equal(domain ? c.domain_count : c.qop_count, AG_BUILD_ITEMS);

        /* the same items over AG_BUILD_CHALLENGES challenges of one http list */
        ag_builder_init(&b);
        assert_int_equal(ag_builder_profile(&b, AG_PROFILE_HTTP), AG_OK);
        assert_int_equal(ag_builder_join(&b, 1), AG_OK);
        for (int i = 0; i < AG_BUILD_ITEMS; i++) {
            if (i % (AG_BUILD_ITEMS / AG_BUILD_CHALLENGES) == 0)
                assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
            assert_int_equal(domain ? ag_builder_domain(&b, item[i], AG_NTS)
                                    : ag_builder_qop(&b, item[i] + 1, AG_NTS),
                             AG_OK);
        }
        finish_value(&b, buf, sizeof buf, &len);
        ag_list_storage ls;
        ag_challenge_list l;
        ag_challenge_list_init(&l, &ls);
        ag_diag d;
        ag_status rc = ag_parse(AG_PROFILE_HTTP, AG_INPUT_VALUE, buf, len, &l, &d);
        if (rc != AG_OK)
            fail_msg("list does not parse back (%s at %zu): %s", ag_status_name(rc), d.offset,
                     vec_show(buf, len));
        assert_int_equal(l.count, AG_BUILD_CHALLENGES);
        size_t total = 0;
        for (size_t k = 0; k < l.count; k++)
            total += domain ? l.challenges[k].domain_count : l.challenges[k].qop_count;
        assert_int_equal(total, AG_BUILD_ITEMS);
    }
}

static void test_capacity_items(void **state)
{
    (void)state;
    static char q[AG_BUILD_ITEMS + 1][8], d[AG_BUILD_ITEMS + 1][8];
    for (int i = 0; i <= AG_BUILD_ITEMS; i++) {
        snprintf(q[i], sizeof q[i], "q%d", i);
        snprintf(d[i], sizeof d[i], "/d%d", i);
    }
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&b, "r", AG_NTS), AG_OK);
    /* qop values and domain URIs share the limit */
    for (int i = 0; i < AG_BUILD_ITEMS / 2; i++) {
        assert_int_equal(ag_builder_qop(&b, q[i], AG_NTS), AG_OK);
        assert_int_equal(ag_builder_domain(&b, d[i], AG_NTS), AG_OK);
    }
    char buf[2048];
    /* the convenience storage holds whatever the builder makes */
    ag_challenge_storage cs;
    ag_challenge c;
    finish_into_storage(&b, buf, sizeof buf, &cs, &c);
    assert_int_equal(c.param_count, 3);
    assert_int_equal(c.qop_count, AG_BUILD_ITEMS / 2);
    assert_int_equal(c.domain_count, AG_BUILD_ITEMS / 2);
    assert_span(c.qop[AG_BUILD_ITEMS / 2 - 1].raw, q[AG_BUILD_ITEMS / 2 - 1], "last qop");
    assert_span(c.domain[AG_BUILD_ITEMS / 2 - 1], d[AG_BUILD_ITEMS / 2 - 1], "last domain");
    /* one more */
    assert_int_equal(ag_builder_qop(&b, q[AG_BUILD_ITEMS], AG_NTS), AG_ERR_CAPACITY);
    assert_finish_fails(&b, AG_ERR_CAPACITY, NULL);

    /* ag_builder_digest with too many values at once */
    static const char *many[AG_BUILD_ITEMS + 1];
    for (int i = 0; i <= AG_BUILD_ITEMS; i++)
        many[i] = d[i];
    ag_builder_init(&b);
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, NULL, NULL, 0, AG_STALE_UNSET, many,
                                       AG_BUILD_ITEMS + 1),
                     AG_ERR_CAPACITY);
    assert_finish_fails(&b, AG_ERR_CAPACITY, NULL);
    char out[64];
    size_t olen = 3;
    assert_int_equal(ag_proxy_authenticate_digest(out, sizeof out, &olen, NULL, "r", "n", NULL, NULL,
                                                  NULL, 0, AG_STALE_UNSET, many, AG_BUILD_ITEMS + 1),
                     AG_ERR_CAPACITY);
    assert_int_equal(olen, 0);
}

static void test_required_arguments(void **state)
{
    (void)state;
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_digest(&b, NULL, "n", NULL, NULL, NULL, 0, AG_STALE_UNSET, NULL, 0),
                     AG_ERR_ARGUMENT);
    assert_finish_fails(&b, AG_ERR_ARGUMENT, NULL);
    ag_builder_init(&b);
    assert_int_equal(ag_builder_digest(&b, "r", NULL, NULL, NULL, NULL, 0, AG_STALE_UNSET, NULL, 0),
                     AG_ERR_ARGUMENT);
    assert_finish_fails(&b, AG_ERR_ARGUMENT, NULL);
    ag_builder_init(&b);
    assert_int_equal(ag_builder_basic(&b, NULL), AG_ERR_ARGUMENT);
    assert_finish_fails(&b, AG_ERR_ARGUMENT, NULL);

    char buf[64];
    size_t len = 7;
    memset(buf, VEC_SENTINEL, sizeof buf);
    assert_int_equal(ag_proxy_authenticate_digest(buf, sizeof buf, &len, NULL, NULL, "n", NULL, NULL,
                                                  NULL, 0, AG_STALE_UNSET, NULL, 0),
                     AG_ERR_ARGUMENT);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], 0);
    assert_true(vec_untouched(buf, 1, sizeof buf));
    len = 7;
    assert_int_equal(ag_www_authenticate_digest(buf, sizeof buf, &len, NULL, "r", NULL, NULL, NULL,
                                                NULL, 0, AG_STALE_UNSET, NULL, 0),
                     AG_ERR_ARGUMENT);
    assert_int_equal(len, 0);
    len = 7;
    assert_int_equal(ag_proxy_authenticate_basic(buf, sizeof buf, &len, NULL, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(len, 0);
    assert_int_equal(ag_proxy_authenticate_basic(buf, sizeof buf, NULL, NULL, "r"), AG_ERR_ARGUMENT);
    /* a string pointer NULL with a length */
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&b, NULL, 3), AG_ERR_ARGUMENT);
    assert_finish_fails(&b, AG_ERR_ARGUMENT, NULL);
}

/* stale is AG_STALE_UNSET, AG_STALE_FALSE or AG_STALE_TRUE; anything else
 * is an unknown option (AG_ERR_ARGUMENT), not silently one of the three. */
static void test_unknown_stale_value(void **state)
{
    (void)state;
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_digest(&b, "r", "n", NULL, NULL, NULL, 0, (ag_stale)7, NULL, 0),
                     AG_ERR_ARGUMENT);
    char buf[128];
    size_t len = 3;
    assert_int_equal(ag_proxy_authenticate_digest(buf, sizeof buf, &len, NULL, "r", "n", NULL, NULL,
                                                  NULL, 0, (ag_stale)-1, NULL, 0),
                     AG_ERR_ARGUMENT);
    assert_int_equal(len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_minimal_digest),
        cmocka_unit_test(test_example_secure_qop_domain),
        cmocka_unit_test(test_example_load_balancer),
        cmocka_unit_test(test_example_nonce_expiry),
        cmocka_unit_test(test_example_simple_basic),
        cmocka_unit_test(test_example_basic_private_network),
        cmocka_unit_test(test_example_digest_plus_basic_fallback),
        cmocka_unit_test(test_example_tls_basic),
        cmocka_unit_test(test_example_enterprise_voip),
        cmocka_unit_test(test_example_enterprise_media),
        cmocka_unit_test(test_example_gateway_tls),
        cmocka_unit_test(test_example_gateway_non_tls),
        cmocka_unit_test(test_example_advanced_auth_int),
        cmocka_unit_test(test_example_stale_md5),
        cmocka_unit_test(test_example_complete_flow),
        cmocka_unit_test(test_example_more_examples_digest),
        cmocka_unit_test(test_stale_false),
        cmocka_unit_test(test_escaping_and_unknown_algorithm),
        cmocka_unit_test(test_value_form),
        cmocka_unit_test(test_finish_snprintf_semantics),
        cmocka_unit_test(test_builder_without_challenge),
        cmocka_unit_test(test_stepwise_every_setter),
        cmocka_unit_test(test_algorithm_any_token),
        cmocka_unit_test(test_parameter_order),
        cmocka_unit_test(test_several_challenges_stepwise),
        cmocka_unit_test(test_first_error_kept),
        cmocka_unit_test(test_dedicated_field_twice),
        cmocka_unit_test(test_extension_param_with_dedicated_name),
        cmocka_unit_test(test_capacity_challenges),
        cmocka_unit_test(test_capacity_params),
        cmocka_unit_test(test_capacity_items),
        cmocka_unit_test(test_capacity_items_fit_storage),
        cmocka_unit_test(test_required_arguments),
        cmocka_unit_test(test_unknown_stale_value),
    };
    return cmocka_run_group_tests_name("builder", tests, NULL, NULL);
}
