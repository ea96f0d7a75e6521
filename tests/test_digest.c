/* SPDX-License-Identifier: MIT */
/* Digest computation and verification: the published examples (RFC 2617
 * section 3.5, RFC 7616 section 3.9.1), every refusal, the buffer contract,
 * verification, and the choice among challenges (RFC 8760 section 2.4 and
 * our strongest-first policy).  The other algorithm/qop combinations are checked
 * against an independent implementation by tests/digest_crosscheck.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "authgram_digest.h"

static ag_span S(const char *s) { return (ag_span){s, strlen(s)}; }

static void assert_response(const ag_digest_input *in, const char *want)
{
    char out[AG_DIGEST_HEX_MAX + 1];
    size_t len = 0;
    ag_status rc = ag_digest_response(in, out, sizeof out, &len);
    if (rc != AG_OK)
        fail_msg("ag_digest_response: %s", ag_status_name(rc));
    assert_string_equal(out, want);
    assert_int_equal(len, strlen(want));
    assert_int_equal(ag_digest_verify(in, S(want)), AG_OK);
}

/* RFC 2617 section 3.5: Mufasa at testrealm@host.com, MD5, qop=auth. */
static ag_digest_input rfc2617(void)
{
    ag_digest_input in = {0};
    in.algorithm = AG_ALGORITHM_NONE; /* the example sends no algorithm: MD5 */
    in.qop = AG_QOP_AUTH;
    in.username = S("Mufasa");
    in.realm = S("testrealm@host.com");
    in.password = S("Circle Of Life");
    in.method = S("GET");
    in.uri = S("/dir/index.html");
    in.nonce = S("dcd98b7102dd2f0e8b11d0f600bfb0c093");
    in.cnonce = S("0a4f113b");
    in.nc = S("00000001");
    return in;
}

/* RFC 7616 section 3.9.1: the same request answered with MD5 and SHA-256. */
static ag_digest_input rfc7616(ag_algorithm alg)
{
    ag_digest_input in = {0};
    in.algorithm = alg;
    in.qop = AG_QOP_AUTH;
    in.username = S("Mufasa");
    in.realm = S("http-auth@example.org");
    in.password = S("Circle of Life");
    in.method = S("GET");
    in.uri = S("/dir/index.html");
    in.nonce = S("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v");
    in.cnonce = S("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
    in.nc = S("00000001");
    return in;
}

static void test_rfc2617_example(void **state)
{
    (void)state;
    ag_digest_input in = rfc2617();
    assert_response(&in, "6629fae49393a05397450978507c4ef1");
    in.algorithm = AG_ALGORITHM_MD5; /* the same, said explicitly */
    assert_response(&in, "6629fae49393a05397450978507c4ef1");
}

static void test_rfc7616_examples(void **state)
{
    (void)state;
    ag_digest_input md5 = rfc7616(AG_ALGORITHM_MD5);
    assert_response(&md5, "8ca523f5e9506fed4657c9700eebdbec");
    ag_digest_input sha = rfc7616(AG_ALGORITHM_SHA_256);
    assert_response(&sha, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

/* A stored H(A1) gives the same response as the password it came from. */
static void test_ha1_instead_of_password(void **state)
{
    (void)state;
    const ag_algorithm algs[] = {AG_ALGORITHM_MD5, AG_ALGORITHM_SHA_256, AG_ALGORITHM_SHA_512_256_SESS};
    for (size_t i = 0; i < sizeof algs / sizeof *algs; i++) {
        ag_digest_input in = rfc7616(algs[i]);
        char want[AG_DIGEST_HEX_MAX + 1], ha1[AG_DIGEST_HEX_MAX + 1];
        assert_int_equal(ag_digest_response(&in, want, sizeof want, NULL), AG_OK);
        size_t n = 0;
        assert_int_equal(ag_digest_ha1(algs[i], in.username, in.realm, in.password, ha1, sizeof ha1, &n),
                         AG_OK);
        assert_int_equal(n, ag_digest_hex_len(algs[i]));
        in.password = (ag_span){NULL, 0};
        in.username = (ag_span){NULL, 0}; /* not needed with ha1 */
        in.ha1 = S(ha1);
        assert_response(&in, want);
        /* an ha1 of the wrong length or case is refused */
        in.ha1.len--;
        assert_int_equal(ag_digest_verify(&in, S(want)), AG_ERR_ARGUMENT);
        in.ha1.len++;
        ha1[0] = ha1[0] >= 'a' ? (char)(ha1[0] - 'a' + 'A') : 'G';
        assert_int_equal(ag_digest_verify(&in, S(want)), AG_ERR_ARGUMENT);
    }
}

static void test_verify_mismatch(void **state)
{
    (void)state;
    ag_digest_input in = rfc7616(AG_ALGORITHM_MD5);
    char r[] = "8ca523f5e9506fed4657c9700eebdbec";
    assert_int_equal(ag_digest_verify(&in, S(r)), AG_OK);
    /* every single digit changed, uppercase, shorter, longer, empty */
    for (size_t i = 0; i < 32; i++) {
        char c = r[i];
        r[i] = c == '0' ? '1' : '0';
        assert_int_equal(ag_digest_verify(&in, S(r)), AG_ERR_MISMATCH);
        r[i] = c;
    }
    assert_int_equal(ag_digest_verify(&in, S("8CA523F5E9506FED4657C9700EEBDBEC")), AG_ERR_MISMATCH);
    assert_int_equal(ag_digest_verify(&in, (ag_span){r, 31}), AG_ERR_MISMATCH);
    assert_int_equal(ag_digest_verify(&in, S("8ca523f5e9506fed4657c9700eebdbec0")), AG_ERR_MISMATCH);
    assert_int_equal(ag_digest_verify(&in, S("")), AG_ERR_MISMATCH);
    assert_int_equal(ag_digest_verify(&in, (ag_span){NULL, 0}), AG_ERR_MISMATCH);
    /* a wrong password, nonce, uri, method or nc */
    const ag_span *fields[] = {&in.password, &in.nonce, &in.uri, &in.method, &in.cnonce};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        ag_digest_input w = in;
        ag_span *f = (ag_span *)((char *)&w + ((const char *)fields[i] - (const char *)&in));
        f->len--;
        assert_int_equal(ag_digest_verify(&w, S(r)), AG_ERR_MISMATCH);
    }
    ag_digest_input w = in;
    w.nc = S("00000002");
    assert_int_equal(ag_digest_verify(&w, S(r)), AG_ERR_MISMATCH);
    /* the same answer under another algorithm or qop */
    w = in;
    w.algorithm = AG_ALGORITHM_MD5_SESS;
    assert_int_equal(ag_digest_verify(&w, S(r)), AG_ERR_MISMATCH);
    w = in;
    w.qop = AG_QOP_AUTH_INT;
    assert_int_equal(ag_digest_verify(&w, S(r)), AG_ERR_MISMATCH);
}

/* Never a silent fallback to MD5: what we cannot compute is an error. */
static void test_unsupported_algorithms(void **state)
{
    (void)state;
    const ag_algorithm bad[] = {AG_ALGORITHM_OTHER, AG_ALGORITHM_AKAV1_MD5, AG_ALGORITHM_AKAV2_MD5,
                                (ag_algorithm)99};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ag_digest_input in = rfc7616(bad[i]);
        char out[AG_DIGEST_HEX_MAX + 1] = "untouched";
        size_t len = 7;
        assert_int_equal(ag_digest_response(&in, out, sizeof out, &len), AG_ERR_UNSUPPORTED);
        assert_string_equal(out, "untouched");
        assert_int_equal(len, 0);
        assert_int_equal(ag_digest_verify(&in, S("8ca523f5e9506fed4657c9700eebdbec")), AG_ERR_UNSUPPORTED);
        assert_int_equal(ag_digest_hex_len(bad[i]), 0);
        assert_int_equal(ag_digest_userhash(bad[i], S("u"), S("r"), out, sizeof out, &len),
                         AG_ERR_UNSUPPORTED);
        assert_int_equal(ag_digest_ha1(bad[i], S("u"), S("r"), S("p"), out, sizeof out, &len),
                         AG_ERR_UNSUPPORTED);
    }
    assert_int_equal(ag_digest_hex_len(AG_ALGORITHM_NONE), 32);
    assert_int_equal(ag_digest_hex_len(AG_ALGORITHM_MD5_SESS), 32);
    assert_int_equal(ag_digest_hex_len(AG_ALGORITHM_SHA_256_SESS), 64);
    assert_int_equal(ag_digest_hex_len(AG_ALGORITHM_SHA_512_256), 64);
}

static void test_missing_fields(void **state)
{
    (void)state;
    char out[AG_DIGEST_HEX_MAX + 1];
    assert_int_equal(ag_digest_response(NULL, out, sizeof out, NULL), AG_ERR_ARGUMENT);
    ag_digest_input ok = rfc7616(AG_ALGORITHM_SHA_256);
    assert_int_equal(ag_digest_response(&ok, NULL, 0, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(ag_digest_verify(NULL, S("x")), AG_ERR_ARGUMENT);
    assert_int_equal(ag_digest_verify(&ok, (ag_span){NULL, 3}), AG_ERR_ARGUMENT);
    /* each required field absent */
    ag_span *req[] = {&ok.username, &ok.realm, &ok.password, &ok.method, &ok.uri, &ok.nonce, &ok.cnonce,
                      &ok.nc};
    for (size_t i = 0; i < sizeof req / sizeof *req; i++) {
        ag_digest_input in = ok;
        ag_span *f = (ag_span *)((char *)&in + ((char *)req[i] - (char *)&ok));
        f->ptr = NULL;
        f->len = 0;
        assert_int_equal(ag_digest_response(&in, out, sizeof out, NULL), AG_ERR_ARGUMENT);
    }
    /* empty strings are values (realm="" is legal) */
    ag_digest_input in = ok;
    in.realm = S("");
    assert_int_equal(ag_digest_response(&in, out, sizeof out, NULL), AG_OK);
    /* nc: 8 lowercase hex digits */
    const char *bad_nc[] = {"0000001", "000000001", "0000000A", "0000000g", "0000 001", ""};
    for (size_t i = 0; i < sizeof bad_nc / sizeof *bad_nc; i++) {
        in = ok;
        in.nc = S(bad_nc[i]);
        assert_int_equal(ag_digest_response(&in, out, sizeof out, NULL), AG_ERR_ARGUMENT);
    }
    /* without qop neither cnonce nor nc is needed, but -sess needs cnonce */
    in = ok;
    in.qop = AG_QOP_NONE;
    in.cnonce = (ag_span){NULL, 0};
    in.nc = (ag_span){NULL, 0};
    assert_int_equal(ag_digest_response(&in, out, sizeof out, NULL), AG_OK);
    in.algorithm = AG_ALGORITHM_SHA_256_SESS;
    assert_int_equal(ag_digest_response(&in, out, sizeof out, NULL), AG_ERR_ARGUMENT);
    in = ok;
    in.qop = (ag_qop)7;
    assert_int_equal(ag_digest_response(&in, out, sizeof out, NULL), AG_ERR_ARGUMENT);
    in.qop = AG_QOP_OTHER; /* a token not in the registry: no A2 to compute */
    assert_int_equal(ag_digest_response(&in, out, sizeof out, NULL), AG_ERR_ARGUMENT);
    /* the hash helpers want both strings */
    size_t len;
    assert_int_equal(ag_digest_userhash(AG_ALGORITHM_MD5, (ag_span){NULL, 0}, S("r"), out, sizeof out, &len),
                     AG_ERR_ARGUMENT);
    assert_int_equal(ag_digest_ha1(AG_ALGORITHM_MD5, S("u"), S("r"), (ag_span){NULL, 0}, out, sizeof out, &len),
                     AG_ERR_ARGUMENT);
    assert_int_equal(ag_digest_ha1(AG_ALGORITHM_MD5, S("u"), S("r"), S("p"), NULL, 0, &len), AG_ERR_ARGUMENT);
}

/* AG_ERR_SPACE: nothing written, the digits needed reported. */
static void test_space(void **state)
{
    (void)state;
    ag_digest_input in = rfc7616(AG_ALGORITHM_SHA_256);
    char out[AG_DIGEST_HEX_MAX + 1];
    memset(out, 'x', sizeof out);
    size_t len = 0;
    assert_int_equal(ag_digest_response(&in, out, 64, &len), AG_ERR_SPACE);
    assert_int_equal(len, 64);
    for (size_t i = 0; i < sizeof out; i++)
        assert_int_equal(out[i], 'x');
    assert_int_equal(ag_digest_response(&in, out, 65, &len), AG_OK);
    assert_int_equal(strlen(out), 64);
    in = rfc7616(AG_ALGORITHM_MD5);
    assert_int_equal(ag_digest_response(&in, out, 32, &len), AG_ERR_SPACE);
    assert_int_equal(len, 32);
    assert_int_equal(ag_digest_userhash(AG_ALGORITHM_SHA_512_256, S("u"), S("r"), out, 10, &len), AG_ERR_SPACE);
    assert_int_equal(len, 64);
}

/* The body enters only auth-int; an absent body hashes as the empty one. */
static void test_auth_int_body(void **state)
{
    (void)state;
    ag_digest_input in = rfc7616(AG_ALGORITHM_SHA_256);
    in.qop = AG_QOP_AUTH_INT;
    char a[AG_DIGEST_HEX_MAX + 1], b[AG_DIGEST_HEX_MAX + 1];
    assert_int_equal(ag_digest_response(&in, a, sizeof a, NULL), AG_OK);
    in.body = S("");
    assert_int_equal(ag_digest_response(&in, b, sizeof b, NULL), AG_OK);
    assert_string_equal(a, b);
    in.body = S("v=0\r\n");
    assert_int_equal(ag_digest_response(&in, b, sizeof b, NULL), AG_OK);
    assert_string_not_equal(a, b);
    /* with qop=auth the body does not count */
    in.qop = AG_QOP_AUTH;
    assert_int_equal(ag_digest_response(&in, a, sizeof a, NULL), AG_OK);
    in.body = S("something else");
    assert_int_equal(ag_digest_response(&in, b, sizeof b, NULL), AG_OK);
    assert_string_equal(a, b);
}

/* ---- choosing among challenges ------------------------------------------ */

#define MAXCH 8
static ag_challenge_storage chst[MAXCH];
static ag_challenge chs[MAXCH];

/* Parses each SIP value into chs[]; returns the count. */
static size_t parse_all(const char *const *values, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ag_challenge_init(&chs[i], &chst[i]);
        ag_diag d;
        ag_status rc = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, values[i], strlen(values[i]), &chs[i], &d);
        if (rc != AG_OK)
            fail_msg("%s: %s at %zu", values[i], ag_status_name(rc), d.offset);
    }
    return n;
}

static size_t choose(const char *const *values, size_t n, ag_digest_unusable *why)
{
    size_t k = 99;
    ag_status rc = ag_digest_choose(chs, parse_all(values, n), &k, why);
    assert_int_equal(rc, k < n ? AG_OK : AG_ERR_UNSUPPORTED);
    return k;
}

static void test_choose_strongest(void **state)
{
    (void)state;
    /* the strongest wins even below a weaker one (no downgrade by reordering) */
    const char *a[] = {"Digest realm=\"r\", nonce=\"n\", algorithm=MD5, qop=\"auth\"",
                       "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256, qop=\"auth\""};
    assert_int_equal(choose(a, 2, NULL), 1);
    /* equally strong: the topmost; -sess counts as its hash */
    const char *b[] = {"Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256-sess, qop=\"auth\"",
                       "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256",
                       "Digest realm=\"r\", nonce=\"n\""};
    assert_int_equal(choose(b, 3, NULL), 0);
    /* SHA-512-256 over SHA-256, an absent algorithm is MD5 */
    const char *c[] = {"Digest realm=\"r\", nonce=\"n\"",
                       "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256",
                       "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256-sess"};
    assert_int_equal(choose(c, 3, NULL), 2);
    /* a stronger challenge we cannot answer does not hide a usable one */
    const char *d[] = {"Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256, qop=\"x-other\"",
                       "Digest realm=\"r\", nonce=\"n\", algorithm=MD5"};
    ag_digest_unusable why[2];
    assert_int_equal(choose(d, 2, why), 1);
    assert_int_equal(why[0], AG_DIGEST_QOP);
    assert_int_equal(why[1], AG_DIGEST_USABLE);
}

static void test_choose_none_usable(void **state)
{
    (void)state;
    const char *v[] = {"Basic realm=\"r\"",
                       "Digest realm=\"r\", nonce=\"n\", algorithm=AKAv1-MD5",
                       "Digest realm=\"r\", nonce=\"n\", algorithm=token-alg",
                       "Digest realm=\"r\", nonce=\"n\", qop=\"x1,x2\"",
                       "Digest realm=\"r\", opaque=\"o\"",
                       "Digest nonce=\"n\""};
    ag_digest_unusable why[6];
    assert_int_equal(choose(v, 6, why), 6);
    const ag_digest_unusable want[] = {AG_DIGEST_NOT_DIGEST, AG_DIGEST_ALGORITHM, AG_DIGEST_ALGORITHM,
                                       AG_DIGEST_QOP, AG_DIGEST_NO_NONCE, AG_DIGEST_NO_REALM};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(why[i], want[i]);
        assert_true(strlen(ag_digest_unusable_name(why[i])) > 0);
    }
    assert_string_equal(ag_digest_unusable_name((ag_digest_unusable)42), "");
    size_t k = 5;
    assert_int_equal(ag_digest_choose(NULL, 0, &k, NULL), AG_ERR_UNSUPPORTED);
    assert_int_equal(k, 0);
    assert_int_equal(ag_digest_choose(NULL, 1, &k, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(ag_digest_choose(chs, 1, NULL, NULL), AG_ERR_ARGUMENT);
}

/* An http list (one WWW-Authenticate with two challenges) is an array too. */
static void test_choose_http_list(void **state)
{
    (void)state;
    const char *v = "Digest realm=\"a\", nonce=\"n\", algorithm=MD5, qop=\"auth\", "
                    "Digest realm=\"a\", nonce=\"n\", algorithm=SHA-512-256, qop=\"auth-int\", "
                    "Basic realm=\"a\"";
    static ag_list_storage st;
    ag_challenge_list l;
    ag_challenge_list_init(&l, &st);
    assert_int_equal(ag_parse(AG_PROFILE_HTTP, AG_INPUT_VALUE, v, strlen(v), &l, NULL), AG_OK);
    size_t k;
    assert_int_equal(ag_digest_choose(l.challenges, l.count, &k, NULL), AG_OK);
    assert_int_equal(k, 1);
    assert_int_equal(ag_digest_pick_qop(&l.challenges[1]), AG_QOP_AUTH_INT);
}

static void test_pick_qop(void **state)
{
    (void)state;
    const char *v[] = {"Digest realm=\"r\", nonce=\"n\", qop=\"auth-int,auth\"",
                       "Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"",
                       "Digest realm=\"r\", nonce=\"n\"",
                       "Digest realm=\"r\", nonce=\"n\", qop=\"other\"",
                       "Digest realm=\"r\", nonce=\"n\", qop=auth"};
    parse_all(v, 5);
    assert_int_equal(ag_digest_pick_qop(&chs[0]), AG_QOP_AUTH);
    assert_int_equal(ag_digest_pick_qop(&chs[1]), AG_QOP_AUTH_INT);
    assert_int_equal(ag_digest_pick_qop(&chs[2]), AG_QOP_NONE);
    assert_int_equal(ag_digest_pick_qop(&chs[3]), -1);
    /* unquoted qop=auth in SIP is an auth-param, not qop-options */
    assert_int_equal(ag_digest_pick_qop(&chs[4]), AG_QOP_NONE);
    assert_int_equal(ag_digest_pick_qop(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc2617_example),
        cmocka_unit_test(test_rfc7616_examples),
        cmocka_unit_test(test_ha1_instead_of_password),
        cmocka_unit_test(test_verify_mismatch),
        cmocka_unit_test(test_unsupported_algorithms),
        cmocka_unit_test(test_missing_fields),
        cmocka_unit_test(test_space),
        cmocka_unit_test(test_auth_int_body),
        cmocka_unit_test(test_choose_strongest),
        cmocka_unit_test(test_choose_none_usable),
        cmocka_unit_test(test_choose_http_list),
        cmocka_unit_test(test_pick_qop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
