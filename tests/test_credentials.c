/* SPDX-License-Identifier: MIT */
/* Credentials: Authorization and Proxy-Authorization (include/authgram.h
 * "credentials").
 *  - the typed view of sip and http responses (RFC 7616 section 3.9.1's
 *    example, a Kamailio-style SIP answer, RFC 3310 auts, RFC 7616
 *    username* and userhash), verified with libauthgram-digest;
 *  - what the grammar refuses and where (offset, rule), and what it reads as
 *    an auth-param with a warning (nc of 7 digits, uppercase response,
 *    quoted qop);
 *  - the prose rules as warnings (missing parameters, qop/cnonce/nc,
 *    response length);
 *  - serializing back byte for byte, the one-call
 *    proxy_authorization_digest and its refusals (CR/LF, nc, uri, response), escaping;
 *  - capacities and arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "authgram.h"
#include "authgram_digest.h"

static ag_span S(const char *s) { return (ag_span){s, strlen(s)}; }

static void assert_span(ag_span got, const char *want)
{
    if (!want) {
        assert_null(got.ptr);
        return;
    }
    assert_non_null(got.ptr);
    assert_int_equal(got.len, strlen(want));
    assert_memory_equal(got.ptr, want, got.len);
}

static ag_status parse(ag_profile prof, ag_input in, const char *s, ag_credentials *c, ag_credentials_storage *st,
                       ag_diag *d)
{
    ag_credentials_init(c, st);
    return ag_parse_credentials(prof, in, s, strlen(s), c, d);
}

/* the warnings' names, joined by ' ' */
static const char *warnings(const ag_credentials *c)
{
    static char buf[512];
    ag_warning w[16];
    size_t n = ag_check_credentials(c, w, 16);
    buf[0] = 0;
    for (size_t i = 0; i < n && i < 16; i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, ag_warning_name(w[i].id));
    }
    return buf;
}

/* RFC 7616 section 3.9.1 (SHA-256), as one line */
static const char rfc7616_sha256[] =
    "Authorization: Digest username=\"Mufasa\", realm=\"http-auth@example.org\", "
    "uri=\"/dir/index.html\", algorithm=SHA-256, "
    "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001, "
    "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, "
    "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", "
    "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"\r\n";

static void test_http_rfc7616_example(void **state)
{
    (void)state;
    ag_credentials c;
    ag_credentials_storage st;
    ag_diag d;
    assert_int_equal(parse(AG_PROFILE_HTTP, AG_INPUT_HEADER, rfc7616_sha256, &c, &st, &d), AG_OK);
    assert_int_equal(c.header, AG_HEADER_AUTHORIZATION);
    assert_int_equal(c.scheme_id, AG_SCHEME_DIGEST);
    assert_span(c.username, "Mufasa");
    assert_span(c.realm, "http-auth@example.org");
    assert_span(c.uri, "/dir/index.html");
    assert_int_equal(c.algorithm, AG_ALGORITHM_SHA_256);
    assert_span(c.nc, "00000001");
    assert_int_equal(c.qop, AG_QOP_AUTH);
    assert_span(c.qop_raw, "auth");
    assert_span(c.response, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    assert_span(c.opaque, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
    assert_int_equal(c.param_count, 10);
    static const ag_param_kind kinds[] = {AG_PARAM_USERNAME, AG_PARAM_REALM, AG_PARAM_URI, AG_PARAM_ALGORITHM,
                                          AG_PARAM_NONCE, AG_PARAM_NC, AG_PARAM_CNONCE, AG_PARAM_MESSAGE_QOP,
                                          AG_PARAM_RESPONSE, AG_PARAM_OPAQUE};
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(c.params[i].kind, kinds[i]);
    assert_string_equal(warnings(&c), "");

    /* what we parsed verifies with the digest library */
    ag_digest_input in;
    memset(&in, 0, sizeof in);
    in.algorithm = c.algorithm;
    in.qop = AG_QOP_AUTH;
    in.username = c.username;
    in.realm = c.realm;
    in.password = S("Circle of Life");
    in.method = S("GET");
    in.uri = c.uri;
    in.nonce = c.nonce;
    in.cnonce = c.cnonce;
    in.nc = c.nc;
    assert_int_equal(ag_digest_verify(&in, c.response), AG_OK);
    in.password = S("Circle of life");
    assert_int_equal(ag_digest_verify(&in, c.response), AG_ERR_MISMATCH);

    /* and serializes back byte for byte */
    char out[1024];
    size_t n;
    ag_field_error e;
    assert_int_equal(ag_serialize_credentials(&c, AG_FORM_AUTHORIZATION, out, sizeof out, &n, &e), AG_OK);
    assert_string_equal(out, rfc7616_sha256);
    assert_int_equal(ag_serialize_credentials(&c, AG_FORM_PROXY_AUTHENTICATE, out, sizeof out, &n, &e),
                     AG_ERR_ARGUMENT);
}

static void test_http_userhash_and_ext(void **state)
{
    (void)state;
    ag_credentials c;
    ag_credentials_storage st;
    const char *v = "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"api@example.org\", "
                    "uri=\"/doe.json\", algorithm=SHA-512-256, nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", "
                    "nc=00000001, cnonce=\"NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v\", qop=auth, "
                    "response=\"ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd\", userhash=false";
    assert_int_equal(parse(AG_PROFILE_HTTP, AG_INPUT_VALUE, v, &c, &st, NULL), AG_OK);
    assert_null(c.username.ptr);
    assert_span(c.username_ext, "UTF-8''J%C3%A4s%C3%B8n%20Doe");
    assert_int_equal(c.params[0].kind, AG_PARAM_USERNAME_EXT);
    assert_int_equal(c.userhash, AG_USERHASH_FALSE);
    assert_int_equal(c.algorithm, AG_ALGORITHM_SHA_512_256);
    assert_string_equal(warnings(&c), ""); /* username* stands for username */

    /* an ext-value without its two quotes is no username*: an auth-param
     * that the checker reports in RFC 7616's form */
    v = "Digest username*=UTF-8J, realm=\"r\", uri=\"/\", nonce=\"n\", "
        "response=\"00000000000000000000000000000000\"";
    assert_int_equal(parse(AG_PROFILE_HTTP, AG_INPUT_VALUE, v, &c, &st, NULL), AG_OK);
    assert_int_equal(c.params[0].kind, AG_PARAM_GENERIC);
    /* (present by name: not missing, but not in its form) */
    assert_string_equal(warnings(&c), "http-digest-param-form");
}

/* A SIP answer as Kamailio and SIPp write them (sip profile, header line) */
static const char sip_answer[] =
    "Proxy-Authorization: Digest username=\"alice\", realm=\"127.0.0.1\", "
    "nonce=\"Z3pCXGd6QjBJtcSl0qkkB1Ch9Qq2hFiG\", uri=\"sip:bob@127.0.0.1:5060\", "
    "response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, cnonce=\"6b8b4567\", "
    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=00000001\r\n";

static void test_sip_answer(void **state)
{
    (void)state;
    ag_credentials c;
    ag_credentials_storage st;
    assert_int_equal(parse(AG_PROFILE_SIP, AG_INPUT_HEADER, sip_answer, &c, &st, NULL), AG_OK);
    assert_int_equal(c.header, AG_HEADER_PROXY_AUTHORIZATION);
    assert_span(c.uri, "sip:bob@127.0.0.1:5060");
    assert_span(c.cnonce, "6b8b4567");
    assert_int_equal(c.algorithm, AG_ALGORITHM_MD5);
    assert_int_equal(c.qop, AG_QOP_AUTH);
    assert_string_equal(warnings(&c), "");
    char out[1024];
    size_t n;
    assert_int_equal(ag_serialize_credentials(&c, AG_FORM_PROXY_AUTHORIZATION, out, sizeof out, &n, NULL), AG_OK);
    assert_string_equal(out, sip_answer);

    /* the builder writes exactly this line from the same values */
    assert_int_equal(ag_proxy_authorization_digest(out, sizeof out, &n, NULL, "alice", "127.0.0.1",
                                                   "Z3pCXGd6QjBJtcSl0qkkB1Ch9Qq2hFiG", "sip:bob@127.0.0.1:5060",
                                                   "6629fae49393a05397450978507c4ef1", "MD5", "6b8b4567",
                                                   "5ccc069c403ebaf9f0171e9517f40e41", "auth", "00000001"),
                     AG_OK);
    assert_string_equal(out, sip_answer);
    assert_int_equal(n, strlen(sip_answer));
    /* Authorization: the same value under the other name */
    assert_int_equal(ag_authorization_digest(out, sizeof out, &n, NULL, "alice", "127.0.0.1", "n", "sip:b@h",
                                             "6629fae49393a05397450978507c4ef1", NULL, NULL, NULL, NULL, NULL),
                     AG_OK);
    assert_string_equal(out, "Authorization: Digest username=\"alice\", realm=\"127.0.0.1\", nonce=\"n\", "
                             "uri=\"sip:b@h\", response=\"6629fae49393a05397450978507c4ef1\"\r\n");
    assert_int_equal(parse(AG_PROFILE_SIP, AG_INPUT_HEADER, out, &c, &st, NULL), AG_OK);
    assert_int_equal(c.header, AG_HEADER_AUTHORIZATION);
    assert_string_equal(warnings(&c), "");

    /* RFC 3310 auts; the value form; folding (LWS) inside */
    const char *v = "Digest username=\"jon@example.com\",realm=\"example.com\",\r\n nonce=\"CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==\","
                    " uri=\"sip:example.com\", response=\"\", auts=\"MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1ub3BxcnN0dQ==\"";
    assert_int_equal(parse(AG_PROFILE_SIP, AG_INPUT_VALUE, v, &c, &st, NULL), AG_OK);
    assert_int_equal(c.header, AG_HEADER_NONE);
    assert_span(c.auts, "MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1ub3BxcnN0dQ==");
    assert_span(c.response, "");
    assert_int_equal(c.params[5].kind, AG_PARAM_AUTS);
    /* the empty response (AKA resynchronisation) has 0 of MD5's 32 digits */
    assert_string_equal(warnings(&c), "digest-response-length");
}

/* One table says how long a response is: check's digest-response-length
 * warning and ag_digest_hex_len agree for every algorithm the library can
 * compute, and AKA (MD5 responses that need the AKA keys to compute) is
 * 32 digits to check although ag_digest_hex_len, which only counts what it
 * can compute, says 0. */
static void test_response_length_one_table(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        size_t digits; /* of the algorithm's hash, from its RFC */
        int computable;
    } algs[] = {{"MD5", 32, 1},         {"MD5-sess", 32, 1},         {"SHA-256", 64, 1},
                {"SHA-256-sess", 64, 1}, {"SHA-512-256", 64, 1},      {"SHA-512-256-sess", 64, 1},
                {"AKAv1-MD5", 32, 0},    {"AKAv2-MD5", 32, 0}};
    ag_credentials_storage st;
    ag_credentials c;
    for (size_t i = 0; i < sizeof algs / sizeof *algs; i++) {
        for (size_t n = algs[i].digits - 1; n <= algs[i].digits + 1; n++) {
            char v[256];
            char hex[80];
            memset(hex, 'a', n);
            hex[n] = 0;
            snprintf(v, sizeof v, "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:h\", "
                                  "response=\"%s\", algorithm=%s", hex, algs[i].name);
            assert_int_equal(parse(AG_PROFILE_SIP, AG_INPUT_VALUE, v, &c, &st, NULL), AG_OK);
            assert_string_equal(warnings(&c), n == algs[i].digits ? "" : "digest-response-length");
        }
        assert_int_equal(ag_digest_hex_len(c.algorithm), algs[i].computable ? algs[i].digits : 0);
    }
}

static void test_sip_fallthrough(void **state)
{
    (void)state;
    ag_credentials c;
    ag_credentials_storage st;
    ag_warning w[8];
    /* nc of 7 digits, an uppercase response, a quoted qop: each is a valid
     * auth-param, not the dedicated production */
    const char *v = "Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:h\", "
                    "response=\"6629FAE49393A05397450978507C4EF1\", cnonce=\"c\", qop=\"auth\", nc=0000001";
    assert_int_equal(parse(AG_PROFILE_SIP, AG_INPUT_VALUE, v, &c, &st, NULL), AG_OK);
    assert_null(c.response.ptr);
    assert_null(c.nc.ptr);
    assert_null(c.qop_raw.ptr);
    assert_int_equal(c.params[4].kind, AG_PARAM_GENERIC);
    size_t n = ag_check_credentials(&c, w, 8);
    assert_int_equal(n, 4);
    /* each named production, with where it fails */
    assert_int_equal(w[0].id, AG_W_FALLTHROUGH);
    assert_string_equal(w[0].detail_rule, "request-digest");
    assert_string_equal(w[0].rule, "dresponse");
    assert_int_equal(w[1].id, AG_W_DIGEST_QOP_MISMATCH); /* cnonce without qop and nc */
    assert_int_equal(w[2].id, AG_W_FALLTHROUGH);
    assert_string_equal(w[2].rule, "message-qop"); /* not qop-options: the credentials side */
    assert_int_equal(w[3].id, AG_W_FALLTHROUGH);
    assert_string_equal(w[3].rule, "nonce-count");
    /* the digest-uri of a SIP request is a Request-URI: a bare path is not */
    v = "Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"/index.html\", response=\"\", algorithm=x";
    assert_int_equal(parse(AG_PROFILE_SIP, AG_INPUT_VALUE, v, &c, &st, NULL), AG_OK);
    assert_int_equal(ag_check_credentials(&c, w, 8), 2);
    assert_string_equal(w[0].rule, "digest-uri");
    assert_int_equal(w[0].detail_offset, 48); /* the '/' */
    assert_int_equal(w[1].id, AG_W_ALGORITHM_UNKNOWN);
    /* the challenge side reads qop=auth the other way round */
    ag_challenge ch;
    ag_challenge_storage cs;
    ag_challenge_init(&ch, &cs);
    const char *chv = "Digest realm=\"r\", nonce=\"n\", qop=auth";
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, chv, strlen(chv), &ch, NULL), AG_OK);
    assert_int_equal(ag_check(&ch, w, 8), 1);
    assert_string_equal(w[0].rule, "qop-options");

    /* warnings of the prose rules */
    v = "Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:h\", algorithm=SHA-256, "
        "response=\"6629fae49393a05397450978507c4ef1\", qop=auth";
    assert_int_equal(parse(AG_PROFILE_SIP, AG_INPUT_VALUE, v, &c, &st, NULL), AG_OK);
    assert_string_equal(warnings(&c), "digest-response-length digest-qop-mismatch");
    v = "Digest username=\"a\", username=\"b\", nonce=\"n\", response=\"\", qop=tok, nc=00000001, cnonce=\"c\"";
    assert_int_equal(parse(AG_PROFILE_SIP, AG_INPUT_VALUE, v, &c, &st, NULL), AG_OK);
    assert_string_equal(warnings(&c),
                        "digest-missing-param digest-missing-param duplicate-param digest-response-length qop-unregistered");
    assert_int_equal(ag_check_credentials(&c, w, 8), 5);
    assert_string_equal(w[0].rule, "realm"); /* which one is missing */
    assert_string_equal(w[1].rule, "digest-uri");
    v = "Basic dXNlcjpwYXNz=x";
    assert_int_equal(parse(AG_PROFILE_SIP, AG_INPUT_VALUE, v, &c, &st, NULL), AG_OK);
    assert_int_equal(c.scheme_id, AG_SCHEME_BASIC);
    assert_string_equal(warnings(&c), "sip-basic-scheme");
}

static void test_syntax_errors(void **state)
{
    (void)state;
    ag_credentials c;
    ag_credentials_storage st;
    ag_diag d;
    static const struct {
        ag_profile prof;
        const char *in;
        size_t offset;
        const char *rule;
    } bad[] = {
        /* (uri="/index.html" is an auth-param: a warning, see above) */
        {AG_PROFILE_SIP, "Digest uri=sip:h", 14, "token"},
        {AG_PROFILE_SIP, "Digest username=\"a\" realm=\"r\"", 20, "COMMA"},
        {AG_PROFILE_SIP, "Digest username=\"a", 18, "quoted-string"},
        /* a scheme needs LWS and a param; other-response is the fallback
         * branch "Digest" did not take */
        {AG_PROFILE_SIP, "Digest", 6, "credentials"},
        {AG_PROFILE_HTTP, "Digest response=\"ab", 19, "response"},
        {AG_PROFILE_HTTP, "Digest a=b c=d", 11, "digest-cred-list"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ag_status st_ = parse(bad[i].prof, AG_INPUT_VALUE, bad[i].in, &c, &st, &d);
        if (st_ != AG_ERR_SYNTAX || d.offset != bad[i].offset || strcmp(d.rule, bad[i].rule) != 0)
            fail_msg("%s: status %d offset %zu rule %s (want %zu %s)", bad[i].in, st_, d.offset, d.rule,
                     bad[i].offset, bad[i].rule);
    }
    /* a challenge header is not credentials, and the other way round */
    const char *h = "Proxy-Authenticate: Digest realm=\"r\"";
    assert_int_equal(parse(AG_PROFILE_SIP, AG_INPUT_HEADER, h, &c, &st, &d), AG_ERR_SYNTAX);
    ag_challenge ch;
    ag_challenge_storage cs;
    ag_challenge_init(&ch, &cs);
    h = "Proxy-Authorization: Digest username=\"a\"";
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_HEADER, h, strlen(h), &ch, &d), AG_ERR_SYNTAX);
}

static void test_builder_refusals(void **state)
{
    (void)state;
    char out[512];
    size_t n;
    ag_field_error e;
    static const char R[] = "6629fae49393a05397450978507c4ef1";
    static const struct {
        const char *user, *uri, *response, *qop, *nc;
        const char *field;
        size_t offset;
    } bad[] = {
        {"al\r\nice", "sip:h", R, NULL, NULL, "username", 2},
        {"a", "sip:h\r\nX: y", R, NULL, NULL, "uri", 5},
        {"a", "not a uri", R, NULL, NULL, "uri", 3},
        {"a", "sip:h", "6629FAE49393A05397450978507C4EF1", NULL, NULL, "response", 4},
        {"a", "sip:h", R, "auth", "0000001", "nc", 7},
        {"a", "sip:h", R, "auth", "000000001", "nc", 8},
        {"a", "sip:h", R, "au th", "00000001", "qop", 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ag_status st = ag_proxy_authorization_digest(out, sizeof out, &n, &e, bad[i].user, "r", "n", bad[i].uri,
                                                     bad[i].response, NULL, bad[i].qop ? "c" : NULL, NULL,
                                                     bad[i].qop, bad[i].nc);
        if (st != AG_ERR_FIELD || strcmp(e.field, bad[i].field) != 0 || e.offset != bad[i].offset)
            fail_msg("case %zu: status %d field %s offset %zu (want %s %zu)", i, st, e.field ? e.field : "-",
                     e.offset, bad[i].field, bad[i].offset);
        assert_int_equal(n, 0);
        assert_int_equal(out[0], 0); /* never partial output */
    }
    /* required fields */
    assert_int_equal(ag_proxy_authorization_digest(out, sizeof out, &n, &e, "a", "r", "n", NULL, R, NULL, NULL,
                                                   NULL, NULL, NULL),
                     AG_ERR_ARGUMENT);
    assert_string_equal(e.field, "uri");
    /* escaping: a quote and a backslash in a user name cannot end the string */
    assert_int_equal(ag_proxy_authorization_digest(out, sizeof out, &n, &e, "a\"b\\c", "r", "n", "sip:h", R, NULL,
                                                   NULL, NULL, NULL, NULL),
                     AG_OK);
    assert_non_null(strstr(out, "username=\"a\\\"b\\\\c\""));
    ag_credentials c;
    ag_credentials_storage st;
    assert_int_equal(parse(AG_PROFILE_SIP, AG_INPUT_HEADER, out, &c, &st, NULL), AG_OK);
    char un[16];
    assert_int_equal(ag_unescape(c.username, un, sizeof un), 5);
    assert_memory_equal(un, "a\"b\\c", 5);
    /* SHA-256's 64 digits (RFC 8760 section 2.6) */
    assert_int_equal(ag_proxy_authorization_digest(out, sizeof out, &n, &e, "a", "r", "n", "sips:h",
                                                   "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
                                                   "SHA-256", NULL, NULL, NULL, NULL),
                     AG_OK);
    /* the length query */
    assert_int_equal(ag_proxy_authorization_digest(NULL, 0, &n, &e, "a", "r", "n", "sip:h", R, NULL, NULL, NULL,
                                                   NULL, NULL),
                     AG_ERR_SPACE);
    assert_int_equal(n, strlen("Proxy-Authorization: Digest username=\"a\", realm=\"r\", nonce=\"n\", "
                               "uri=\"sip:h\", response=\"6629fae49393a05397450978507c4ef1\"\r\n"));
}

static void test_capacity_and_arguments(void **state)
{
    (void)state;
    ag_param small[2];
    ag_credentials c;
    ag_credentials_init(&c, NULL);
    c.params = small;
    c.param_cap = 2;
    const char *v = "Digest username=\"a\", realm=\"r\", nonce=\"n\"";
    assert_int_equal(ag_parse_credentials(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &c, NULL), AG_ERR_CAPACITY);
    assert_int_equal(c.param_count, 3);
    assert_int_equal(ag_parse_credentials(AG_PROFILE_HTTP, AG_INPUT_VALUE, v, strlen(v), &c, NULL), AG_ERR_CAPACITY);
    assert_int_equal(c.param_count, 3);
    assert_int_equal(ag_parse_credentials(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), NULL, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(ag_parse_credentials((ag_profile)7, AG_INPUT_VALUE, v, strlen(v), &c, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(ag_parse_credentials(AG_PROFILE_SIP, (ag_input)9, v, strlen(v), &c, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(ag_check_credentials(NULL, NULL, 0), 0);
    size_t n;
    assert_int_equal(ag_serialize_credentials(NULL, AG_FORM_VALUE, NULL, 0, &n, NULL), AG_ERR_ARGUMENT);
}

/* A header line and its value are one machine (tags 'compose'): the line's
 * end (CRLF; http: its OWS too) is the line's only, the name too. */
static void test_line_and_value(void **state)
{
    (void)state;
    ag_credentials_storage st;
    ag_credentials c;
    ag_diag d;
    const char *v = "Digest username=\"a\", realm=\"r\"";
    char buf[128];
    for (int http = 0; http < 2; http++) {
        ag_profile prof = http ? AG_PROFILE_HTTP : AG_PROFILE_SIP;
        assert_int_equal(parse(prof, AG_INPUT_VALUE, v, &c, &st, NULL), AG_OK);
        assert_span(c.username, "a");
        snprintf(buf, sizeof buf, "%s\r\n", v);
        assert_int_equal(parse(prof, AG_INPUT_VALUE, buf, &c, &st, &d), AG_ERR_SYNTAX);
        assert_int_equal(d.offset, strlen(buf)); /* CR LF then nothing: an LWS needs its WSP */
        snprintf(buf, sizeof buf, "Authorization: %s\r\n", v);
        assert_int_equal(parse(prof, AG_INPUT_HEADER, buf, &c, &st, NULL), AG_OK);
        assert_span(c.realm, "r");
        assert_int_equal(c.header, AG_HEADER_AUTHORIZATION);
        assert_int_equal(parse(prof, AG_INPUT_VALUE, buf, &c, &st, NULL), AG_ERR_SYNTAX);
        snprintf(buf, sizeof buf, "Proxy-Authorization: %s %s", v, http ? "\r\n" : "");
        assert_int_equal(parse(prof, AG_INPUT_HEADER, buf, &c, &st, &d), http ? AG_OK : AG_ERR_SYNTAX);
        if (http)
            assert_int_equal(c.header, AG_HEADER_PROXY_AUTHORIZATION);
        snprintf(buf, sizeof buf, "%s ", v);
        assert_int_equal(parse(prof, AG_INPUT_VALUE, buf, &c, &st, &d), AG_ERR_SYNTAX);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_rfc7616_example), cmocka_unit_test(test_http_userhash_and_ext),
        cmocka_unit_test(test_sip_answer),           cmocka_unit_test(test_response_length_one_table),
        cmocka_unit_test(test_sip_fallthrough),
        cmocka_unit_test(test_syntax_errors),        cmocka_unit_test(test_builder_refusals),
        cmocka_unit_test(test_capacity_and_arguments), cmocka_unit_test(test_line_and_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
