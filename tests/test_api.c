/* SPDX-License-Identifier: MIT */
/* The public API's contracts: arguments, capacities, spans, unescaping,
 * status and warning tables, version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "authgram.h"

static void test_null_arguments(void **state)
{
    (void)state;
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE,
                                        "Digest realm=\"x\"", 16, NULL, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, NULL, 3, &c, NULL), AG_ERR_ARGUMENT);
    /* NULL with length 0 is the empty input: a syntax error, not a crash */
    ag_diag d;
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, NULL, 0, &c, &d), AG_ERR_SYNTAX);
    assert_int_equal(d.offset, 0);
    assert_true(d.at_end);
    /* a capacity without an array */
    ag_challenge bad;
    memset(&bad, 0, sizeof bad);
    bad.param_cap = 4;
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, "Digest a=b", 10, &bad, NULL), AG_ERR_ARGUMENT);
}

static void test_capacity_reports_needed_counts(void **state)
{
    (void)state;
    const char *v = "Digest realm=\"r\", nonce=\"n\", qop=\"auth,auth-int,x\", "
                    "domain=\"/a /b /c\", x=1, y=2";
    ag_param params[2];
    ag_qop_value qop[1];
    ag_span dom[2];
    ag_challenge c;
    memset(&c, 0, sizeof c);
    c.params = params;
    c.param_cap = 2;
    c.qop = qop;
    c.qop_cap = 1;
    c.domain = dom;
    c.domain_cap = 2;
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &c, NULL), AG_ERR_CAPACITY);
    assert_int_equal(c.param_count, 6);
    assert_int_equal(c.qop_count, 3);
    assert_int_equal(c.domain_count, 3);
    /* retry with enough room: every entry is there */
    ag_param params2[6];
    ag_qop_value qop2[3];
    ag_span dom2[3];
    c.params = params2;
    c.param_cap = 6;
    c.qop = qop2;
    c.qop_cap = 3;
    c.domain = dom2;
    c.domain_cap = 3;
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &c, NULL), AG_OK);
    assert_int_equal(c.qop[2].qop, AG_QOP_OTHER);
    assert_int_equal(c.qop[1].qop, AG_QOP_AUTH_INT);
    assert_memory_equal(c.domain[2].ptr, "/c", 2);
    assert_memory_equal(c.params[5].name.ptr, "y", 1);
}

static void test_zero_capacity_counts_everything(void **state)
{
    (void)state;
    ag_challenge c;
    memset(&c, 0, sizeof c);
    const char *v = "Digest realm=\"r\", qop=\"auth\"";
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &c, NULL), AG_ERR_CAPACITY);
    assert_int_equal(c.param_count, 2);
    assert_int_equal(c.qop_count, 1);
}

static void test_unescape(void **state)
{
    (void)state;
    const char *v = "Digest realm=\"a\\\"b\\\\c\\d\r\n e\"";
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &c, NULL), AG_OK);
    assert_int_equal(c.realm.len, 13);
    char out[32];
    memset(out, '#', sizeof out);
    size_t n = ag_unescape(c.realm, out, sizeof out);
    assert_int_equal(n, 8);
    assert_memory_equal(out, "a\"b\\cd e", 8);
    assert_int_equal(out[8], '#'); /* no terminating NUL written */
    /* too small: the length is reported, nothing is written */
    char small[4];
    memset(small, '#', sizeof small);
    assert_int_equal(ag_unescape(c.realm, small, sizeof small), 8);
    assert_memory_equal(small, "####", 4);
    assert_int_equal(ag_unescape(c.realm, NULL, 0), 8);
}

static void test_quoted_pair_nul_is_carried(void **state)
{
    (void)state;
    static const char v[] = "Digest realm=\"a\\\0b\"";
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, sizeof v - 1, &c, NULL), AG_OK);
    char out[8];
    assert_int_equal(ag_unescape(c.realm, out, sizeof out), 3);
    assert_memory_equal(out, "a\0b", 3);
}

static void test_find_param(void **state)
{
    (void)state;
    const char *v = "Basic Realm=\"x\", charset=UTF-8";
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &c, NULL), AG_OK);
    const ag_param *p = ag_find_param(&c, "realm");
    assert_non_null(p);
    assert_int_equal(p->offset, 6);
    assert_true(p->quoted);
    p = ag_find_param(&c, "CHARSET");
    assert_non_null(p);
    assert_false(p->quoted);
    assert_memory_equal(p->value.ptr, "UTF-8", 5);
    assert_null(ag_find_param(&c, "nonce"));
    assert_null(ag_find_param(&c, "realmx"));
}

static void test_status_table(void **state)
{
    (void)state;
    assert_string_equal(ag_status_name(AG_OK), "AG_OK");
    assert_string_equal(ag_status_name(AG_ERR_SYNTAX), "AG_ERR_SYNTAX");
    assert_string_equal(ag_status_name(AG_ERR_CAPACITY), "AG_ERR_CAPACITY");
    assert_string_equal(ag_status_name((ag_status)999), "AG_UNKNOWN");
    assert_true(strlen(ag_strerror(AG_ERR_ARGUMENT)) > 10);
    assert_string_equal(ag_strerror((ag_status)999), "unknown status");
}

static void test_warning_table(void **state)
{
    (void)state;
    for (int i = 0; i < AG_W_COUNT; i++) {
        assert_true(strlen(ag_warning_name((ag_warning_id)i)) > 0);
        assert_true(strncmp(ag_warning_rfc((ag_warning_id)i), "RFC ", 4) == 0);
        assert_true(strlen(ag_warning_message((ag_warning_id)i)) > 10);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(ag_warning_name((ag_warning_id)i), ag_warning_name((ag_warning_id)j));
    }
    assert_string_equal(ag_warning_name(AG_W_COUNT), "");
}

static void test_version(void **state)
{
    (void)state;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", AG_VERSION_MAJOR, AG_VERSION_MINOR, AG_VERSION_PATCH);
    assert_string_equal(ag_version(), want);
    assert_string_equal(AG_VERSION_STRING, want);
}

static void test_diag_format(void **state)
{
    (void)state;
    const char *v = "Digest realm=\"x\" nonce=\"y\"";
    ag_challenge_storage st;
    ag_challenge c;
    ag_diag d;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &c, &d), AG_ERR_SYNTAX);
    char msg[256];
    size_t n = ag_diag_format(&d, msg, sizeof msg);
    assert_int_equal(n, strlen(msg));
    assert_string_equal(msg, "offset 17: unexpected 'n' in COMMA, expected one of HTAB CR SP ',' "
                             "(RFC 3261 section 25.1)");
    /* snprintf-style truncation */
    char tiny[8];
    assert_int_equal(ag_diag_format(&d, tiny, sizeof tiny), n);
    assert_string_equal(tiny, "offset ");
}

/* one call prints a warning, with its specifics and the profile's RFC */
static void test_warning_format(void **state)
{
    (void)state;
    static ag_list_storage ls;
    ag_challenge_list l;
    ag_challenge_list_init(&l, &ls);
    /* qop="au th" is not a qop-options: read as auth-param; qop-options
     * fails at the space (offset 36), after a complete qop-value */
    const char *v = "Digest realm=\"a\", nonce=\"n\", qop=\"au th\"";
    assert_int_equal(ag_parse(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &l, NULL), AG_OK);
    ag_warning w[8];
    size_t nw = ag_check_list(&l, w, 8);
    assert_int_equal(nw, 1);
    assert_int_equal(w[0].id, AG_W_FALLTHROUGH);
    char msg[320];
    size_t n = ag_warning_format(&w[0], msg, sizeof msg);
    assert_int_equal(n, strlen(msg));
    assert_string_equal(msg, "offset 29: parameter does not match its dedicated production and was read as "
                             "auth-param: qop-options fails at offset 36 "
                             "[dedicated-param-fallthrough] (RFC 3261 section 25.1)");
    char tiny[8];
    assert_int_equal(ag_warning_format(&w[0], tiny, sizeof tiny), n);
    assert_string_equal(tiny, "offset ");
    /* the same rule, cited from each profile's RFC */
    v = "Digest realm=\"a\", nonce=\"n\"";
    for (int http = 0; http < 2; http++) {
        assert_int_equal(ag_parse(http ? AG_PROFILE_HTTP : AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &l, NULL),
                         AG_OK);
        assert_int_equal(ag_check_list(&l, w, 8), 1);
        assert_int_equal(w[0].id, AG_W_DIGEST_NO_QOP);
        assert_string_equal(w[0].rfc, http ? "RFC 7616 section 3.3" : "RFC 3261 section 22.4");
        assert_string_equal(w[0].rfc, ag_warning_rfc_in(http ? AG_PROFILE_HTTP : AG_PROFILE_SIP, w[0].id));
        ag_warning_format(&w[0], msg, sizeof msg);
        assert_string_equal(msg, http ? "offset 0: Digest challenge without qop (a server MUST send it) "
                                        "[digest-no-qop] (RFC 7616 section 3.3)"
                                      : "offset 0: Digest challenge without qop (a server MUST send it) "
                                        "[digest-no-qop] (RFC 3261 section 22.4)");
    }
    /* a response without a required parameter names it */
    ag_warning m = {.id = AG_W_DIGEST_MISSING_PARAM, .offset = 0, .rule = "uri", .detail_rule = ""};
    ag_warning_describe(&m, msg, sizeof msg);
    assert_string_equal(msg, "Digest response without uri");
    /* without rfc (a warning made by hand): the sip profile's */
    ag_warning_format(&m, msg, sizeof msg);
    assert_string_equal(msg, "offset 0: Digest response without uri [digest-missing-param] (RFC 2617 section 3.2.2)");
    for (int i = 0; i < AG_W_COUNT; i++)
        assert_true(strncmp(ag_warning_rfc_in(AG_PROFILE_HTTP, (ag_warning_id)i), "RFC ", 4) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_capacity_reports_needed_counts),
        cmocka_unit_test(test_zero_capacity_counts_everything),
        cmocka_unit_test(test_unescape),
        cmocka_unit_test(test_quoted_pair_nul_is_carried),
        cmocka_unit_test(test_find_param),
        cmocka_unit_test(test_status_table),
        cmocka_unit_test(test_warning_table),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_diag_format),
        cmocka_unit_test(test_warning_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
