/* SPDX-License-Identifier: MIT */
/* The builder and the serializer in the http profile: exact bytes, parse-back
 * with ag_parse(AG_PROFILE_HTTP), several challenges in one field when asked,
 * token68 only where no parameter list is meant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "authgram.h"

static ag_builder B;
static char out[1024];
static size_t len;
static ag_field_error err;

static void http_builder(void)
{
    ag_builder_init(&B);
    assert_int_equal(ag_builder_profile(&B, AG_PROFILE_HTTP), AG_OK);
}

/* RFC 7616 section 3.9.1's challenge, built: the http Digest parameters */
static void test_digest_rfc7616(void **state)
{
    (void)state;
    http_builder();
    assert_int_equal(ag_builder_challenge(&B, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&B, "http-auth@example.org", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_qop(&B, "auth", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_qop(&B, "auth-int", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_algorithm(&B, "SHA-256", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_nonce(&B, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_opaque(&B, "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_userhash(&B, 1), AG_OK);
    assert_int_equal(ag_builder_charset(&B, "UTF-8", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_finish(&B, AG_FORM_WWW_AUTHENTICATE, out, sizeof out, &len, &err), AG_OK);
    const char *want = "WWW-Authenticate: Digest realm=\"http-auth@example.org\", qop=\"auth,auth-int\", "
                       "algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
                       "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", userhash=true, "
                       "charset=UTF-8\r\n";
    assert_string_equal(out, want);
    assert_int_equal(len, strlen(want));

    ag_list_storage st;
    ag_challenge_list l;
    ag_challenge_list_init(&l, &st);
    assert_int_equal(ag_parse(AG_PROFILE_HTTP, AG_INPUT_HEADER, out, len, &l, NULL), AG_OK);
    assert_int_equal(l.count, 1);
    const ag_challenge *c = &l.challenges[0];
    assert_int_equal(c->scheme_id, AG_SCHEME_DIGEST);
    assert_int_equal(c->algorithm, AG_ALGORITHM_SHA_256);
    assert_int_equal(c->qop_count, 2);
    assert_int_equal(c->qop[1].qop, AG_QOP_AUTH_INT);
    assert_int_equal(c->userhash, AG_USERHASH_TRUE);
    assert_int_equal(c->charset.len, 5);
    assert_int_equal(c->params[5].kind, AG_PARAM_USERHASH);
    assert_int_equal(c->params[6].kind, AG_PARAM_CHARSET);
    ag_warning w[8];
    assert_int_equal(ag_check_list(&l, w, 8), 0);
}

/* several challenges: one line each by default, one field when joined or as
 * a value (RFC 7235 1#challenge), token68 where the scheme takes one */
static void build_three(void)
{
    http_builder();
    assert_int_equal(ag_builder_digest(&B, "r", "n", NULL, NULL, NULL, 0, AG_STALE_UNSET, NULL, 0), AG_OK);
    assert_int_equal(ag_builder_challenge(&B, "Negotiate", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_token68(&B, "YIIB+w==", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_basic(&B, "simple"), AG_OK);
}

static void test_several_challenges(void **state)
{
    (void)state;
    build_three();
    assert_int_equal(ag_builder_finish(&B, AG_FORM_PROXY_AUTHENTICATE, out, sizeof out, &len, &err), AG_OK);
    assert_string_equal(out, "Proxy-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n"
                             "Proxy-Authenticate: Negotiate YIIB+w==\r\n"
                             "Proxy-Authenticate: Basic realm=\"simple\"\r\n");
    assert_int_equal(ag_builder_finish(&B, AG_FORM_VALUE, out, sizeof out, &len, &err), AG_OK);
    const char *value = "Digest realm=\"r\", nonce=\"n\", Negotiate YIIB+w==, Basic realm=\"simple\"";
    assert_string_equal(out, value);
    assert_int_equal(ag_builder_join(&B, 1), AG_OK);
    assert_int_equal(ag_builder_finish(&B, AG_FORM_WWW_AUTHENTICATE, out, sizeof out, &len, &err), AG_OK);
    assert_int_equal(len, strlen("WWW-Authenticate: ") + strlen(value) + 2);
    assert_memory_equal(out + 18, value, strlen(value));

    /* the joined value parses back to the three challenges */
    ag_list_storage st;
    ag_challenge_list l;
    ag_challenge_list_init(&l, &st);
    assert_int_equal(ag_parse(AG_PROFILE_HTTP, AG_INPUT_VALUE, value, strlen(value), &l, NULL), AG_OK);
    assert_int_equal(l.count, 3);
    assert_int_equal(l.challenges[1].token68.len, 8);
    assert_int_equal(l.challenges[1].param_count, 0);
    assert_int_equal(l.challenges[2].scheme_id, AG_SCHEME_BASIC);
    /* and ag_serialize_list gives it back byte for byte (it is canonical) */
    char again[256];
    size_t n;
    assert_int_equal(ag_serialize_list(&l, AG_FORM_VALUE, again, sizeof again, &n, &err), AG_OK);
    assert_string_equal(again, value);
}

static void test_token68_rules(void **state)
{
    (void)state;
    /* Digest and Basic take parameters */
    http_builder();
    ag_builder_challenge(&B, "Digest", AG_NTS);
    assert_int_equal(ag_builder_token68(&B, "abc", AG_NTS), AG_ERR_ARGUMENT);
    assert_string_equal(ag_builder_error(&B)->field, "token68");
    http_builder();
    ag_builder_challenge(&B, "basic", AG_NTS);
    assert_int_equal(ag_builder_token68(&B, "abc", AG_NTS), AG_ERR_ARGUMENT);
    /* a token68 and parameters exclude each other, both ways */
    http_builder();
    ag_builder_challenge(&B, "Newauth", AG_NTS);
    ag_builder_param(&B, "a", AG_NTS, "b", AG_NTS, 0);
    assert_int_equal(ag_builder_token68(&B, "abc", AG_NTS), AG_ERR_ARGUMENT);
    http_builder();
    ag_builder_challenge(&B, "Newauth", AG_NTS);
    assert_int_equal(ag_builder_token68(&B, "abc", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_param(&B, "a", AG_NTS, "b", AG_NTS, 0), AG_ERR_ARGUMENT);
    /* the grammar decides what a token68 is: "=" only at the end */
    http_builder();
    ag_builder_challenge(&B, "Newauth", AG_NTS);
    assert_int_equal(ag_builder_token68(&B, "a=b", AG_NTS), AG_ERR_FIELD);
    assert_string_equal(ag_builder_error(&B)->rule, "token68");
    assert_int_equal(ag_builder_error(&B)->offset, 2);
    http_builder();
    ag_builder_challenge(&B, "Newauth", AG_NTS);
    assert_int_equal(ag_builder_token68(&B, "", AG_NTS), AG_ERR_FIELD);
    assert_true(ag_builder_error(&B)->at_end);
    /* sip has no token68 and never joins */
    ag_builder_init(&B);
    ag_builder_challenge(&B, "Newauth", AG_NTS);
    assert_int_equal(ag_builder_token68(&B, "abc", AG_NTS), AG_ERR_ARGUMENT);
    ag_builder_init(&B);
    assert_int_equal(ag_builder_join(&B, 1), AG_ERR_ARGUMENT);
    /* the profile is chosen first */
    ag_builder_init(&B);
    ag_builder_challenge(&B, "Digest", AG_NTS);
    assert_int_equal(ag_builder_profile(&B, AG_PROFILE_HTTP), AG_ERR_ARGUMENT);
}

/* http refuses what its grammar refuses, and CR/LF always */
static void test_http_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *realm;
        size_t len;
        ag_status st;
        size_t offset;
    } cases[] = {
        {"a\r\n b", 5, AG_ERR_FIELD, 1},   /* obs-fold is never written */
        {"a\x01", 2, AG_ERR_FIELD, 1},     /* a CTL is not qdtext */
        {"caf\xe9", 4, AG_OK, 0},          /* obs-text is: Latin-1 is fine in http */
        {"a\"b\\c", 5, AG_OK, 0},          /* escaped */
        {"", 0, AG_OK, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        http_builder();
        ag_builder_challenge(&B, "Basic", AG_NTS);
        ag_status st = ag_builder_realm(&B, cases[i].realm, cases[i].len);
        assert_int_equal(st, cases[i].st);
        if (st != AG_OK) {
            assert_string_equal(ag_builder_error(&B)->field, "realm");
            assert_int_equal(ag_builder_error(&B)->offset, cases[i].offset);
            continue;
        }
        assert_int_equal(ag_builder_finish(&B, AG_FORM_VALUE, out, sizeof out, &len, &err), AG_OK);
        ag_list_storage st2;
        ag_challenge_list l;
        ag_challenge_list_init(&l, &st2);
        assert_int_equal(ag_parse(AG_PROFILE_HTTP, AG_INPUT_VALUE, out, len, &l, NULL), AG_OK);
        char back[16];
        size_t n = ag_unescape(l.challenges[0].params[0].value, back, sizeof back);
        assert_int_equal(n, cases[i].len);
        assert_memory_equal(back, cases[i].realm, n);
    }
    /* the same Latin-1 realm is refused in sip (UTF8-NONASCII only) */
    ag_builder_init(&B);
    ag_builder_challenge(&B, "Basic", AG_NTS);
    assert_int_equal(ag_builder_realm(&B, "caf\xe9", 4), AG_ERR_FIELD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest_rfc7616),
        cmocka_unit_test(test_several_challenges),
        cmocka_unit_test(test_token68_rules),
        cmocka_unit_test(test_http_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
