/* SPDX-License-Identifier: MIT */
/* Proof that the grammar drives the parser: this file is compiled twice,
 * against the library built from grammar/ (AG_VARIANT=0) and against one
 * built from a copy of grammar/ with five changes (AG_VARIANT=1, see
 * tests/grammar_variant/README.md).  No C code differs between the two
 * libraries; only the ABNF does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "authgram.h"

#ifndef AG_VARIANT
#error "compile with -DAG_VARIANT=0 or 1"
#endif

static ag_status parse(const char *v, ag_challenge *c, ag_challenge_storage *st)
{
    ag_challenge_init(c, st);
    return ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), c, NULL);
}

/* An exact-size heap copy of v: a span past the input is an ASan error. */
static char *exact_copy(const char *v, size_t *len)
{
    *len = strlen(v);
    char *buf = malloc(*len);
    assert_non_null(buf);
    memcpy(buf, v, *len);
    return buf;
}

/* Change 1: qop-options separates its values with COMMA (SWS "," SWS)
 * instead of a bare ",". */
static void test_qop_list_with_spaces(void **state)
{
    (void)state;
    ag_challenge_storage st;
    ag_challenge c;
    assert_int_equal(parse("Digest realm=\"r\", nonce=\"n\", qop=\"auth, auth-int\"", &c, &st), AG_OK);
    ag_warning w[8];
    size_t nw = ag_check(&c, w, 8);
#if AG_VARIANT
    assert_int_equal(c.params[2].kind, AG_PARAM_QOP);
    assert_int_equal(c.qop_count, 2);
    assert_int_equal(c.qop[1].qop, AG_QOP_AUTH_INT);
    assert_int_equal(nw, 0);
#else
    assert_int_equal(c.params[2].kind, AG_PARAM_GENERIC);
    assert_int_equal(c.qop_count, 0);
    assert_int_equal(nw, 1);
    assert_int_equal(w[0].id, AG_W_FALLTHROUGH);
    assert_string_equal(w[0].rule, "qop-options");
#endif
}

/* Change 2: other-challenge's parameters become optional, so a bare
 * "Basic" is a challenge. */
static void test_scheme_without_params(void **state)
{
    (void)state;
    ag_challenge_storage st;
    ag_challenge c;
    ag_diag d;
    ag_challenge_init(&c, &st);
    ag_status rc = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, "Basic", 5, &c, &d);
#if AG_VARIANT
    assert_int_equal(rc, AG_OK);
    assert_int_equal(c.scheme_id, AG_SCHEME_BASIC);
    assert_int_equal(c.param_count, 0);
#else
    assert_int_equal(rc, AG_ERR_SYNTAX);
    assert_int_equal(d.offset, 5);
    assert_true(d.at_end);
#endif
}

/* Change 3: stale gains a literal, "maybe", that no C code knows: the
 * parameter is the dedicated stale, typed AG_STALE_OTHER, and its value span
 * is exactly its own bytes (the capture that used to know only "true" and
 * "false" left it pointing anywhere). */
static void test_stale_literal(void **state)
{
    (void)state;
    ag_challenge_storage st;
    ag_challenge c;
    size_t len;
    char *buf = exact_copy("Digest realm=\"r\", nonce=\"n\", stale=maybe, qop=\"auth\"", &len);
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, buf, len, &c, NULL), AG_OK);
    assert_int_equal(c.param_count, 4);
    const ag_param *p = &c.params[2];
    assert_true(p->value.ptr >= buf && p->value.ptr + p->value.len <= buf + len);
    assert_int_equal(p->value.len, 5);
    assert_memory_equal(p->value.ptr, "maybe", 5);
    ag_warning w[8];
    size_t nw = ag_check(&c, w, 8);
#if AG_VARIANT
    assert_int_equal(p->kind, AG_PARAM_STALE);
    assert_int_equal(c.stale, AG_STALE_OTHER);
    assert_int_equal(nw, 0);
#else
    assert_int_equal(p->kind, AG_PARAM_GENERIC);
    assert_int_equal(c.stale, AG_STALE_UNSET);
    assert_int_equal(nw, 1);
    assert_int_equal(w[0].id, AG_W_FALLTHROUGH);
    assert_string_equal(w[0].rule, "stale");
#endif
    /* the literals the C code knows are typed as before */
    const char *t = "Digest realm=\"r\", nonce=\"n\", stale=TRUE";
    memcpy(buf, t, strlen(t));
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, buf, strlen(t), &c, NULL), AG_OK);
    assert_int_equal(c.stale, AG_STALE_TRUE);
    assert_int_equal(c.params[2].value.len, 4);
    free(buf);
}

/* Change 4: '`' leaves token (RFC 3261 section 25.1): a value using it is
 * an error at that byte, in token. */
static void test_token_char(void **state)
{
    (void)state;
    ag_challenge_storage st;
    ag_challenge c;
    ag_diag d;
    const char *v = "Digest realm=\"r\", nonce=\"n\", ext=a`b";
    ag_challenge_init(&c, &st);
    ag_status rc = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &c, &d);
#if AG_VARIANT
    assert_int_equal(rc, AG_ERR_SYNTAX);
    assert_int_equal(d.offset, (size_t)(strchr(v, '`') - v));
    assert_string_equal(d.rule, "token");
#else
    assert_int_equal(rc, AG_OK);
    assert_int_equal(c.params[2].value.len, 3);
    assert_memory_equal(c.params[2].value.ptr, "a`b", 3);
#endif
}

/* Change 5: a new dedicated parameter, x-example = "x-example" EQUAL
 * quoted-string, with its field line (AG_PARAM_X_EXAMPLE=18) and nothing
 * else: captured as its own kind, written quoted by the serializer, checked
 * by the builder's generic setter, and read as auth-param with the usual
 * warning when its value does not match. */
static void test_new_param(void **state)
{
    (void)state;
    ag_challenge_storage st;
    ag_challenge c;
    const char *v = "Digest realm=\"r\", nonce=\"n\", x-example=\"hi \\\"there\\\"\", qop=\"auth\"";
    size_t len;
    char *buf = exact_copy(v, &len);
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, buf, len, &c, NULL), AG_OK);
    const ag_param *p = &c.params[2];
    assert_int_equal(p->value.len, 12);
    assert_memory_equal(p->value.ptr, "hi \\\"there\\\"", 12);
    assert_true(p->quoted);
    ag_warning w[8];
    assert_int_equal(ag_check(&c, w, 8), 0);
    /* written back as read: quoted, its quoted-pairs kept */
    char out[256];
    size_t n;
    assert_int_equal(ag_serialize(&c, AG_FORM_VALUE, out, sizeof out, &n, NULL), AG_OK);
    assert_int_equal(n, len);
    assert_memory_equal(out, v, len);
#if AG_VARIANT
    assert_int_equal(p->kind, AG_PARAM_X_EXAMPLE);
    assert_string_equal(ag_param_kind_rule(AG_PROFILE_SIP, AG_PARAM_X_EXAMPLE), "x-example");
#else
    assert_int_equal(p->kind, AG_PARAM_GENERIC);
#endif
    free(buf);

    /* a value its production does not allow: auth-param, and a warning in
     * the variant (where the name is a dedicated production's) */
    assert_int_equal(parse("Digest realm=\"r\", nonce=\"n\", x-example=hi, qop=\"auth\"", &c, &st), AG_OK);
    assert_int_equal(c.params[2].kind, AG_PARAM_GENERIC);
    size_t nw = ag_check(&c, w, 8);
#if AG_VARIANT
    assert_int_equal(nw, 1);
    assert_int_equal(w[0].id, AG_W_FALLTHROUGH);
    assert_string_equal(w[0].rule, "x-example");
#else
    assert_int_equal(nw, 0);
#endif

    /* the builder's generic setter: the production checks the value */
    ag_builder b;
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_realm(&b, "r", AG_NTS), AG_OK);
    assert_int_equal(ag_builder_param(&b, "x-example", AG_NTS, "a \"b\"", AG_NTS, 1), AG_OK);
    assert_int_equal(ag_builder_finish(&b, AG_FORM_VALUE, out, sizeof out, &n, NULL), AG_OK);
    assert_int_equal(n, strlen("Digest realm=\"r\", x-example=\"a \\\"b\\\"\""));
    assert_memory_equal(out, "Digest realm=\"r\", x-example=\"a \\\"b\\\"\"", n);
    ag_builder_init(&b);
    assert_int_equal(ag_builder_challenge(&b, "Digest", AG_NTS), AG_OK);
#if AG_VARIANT
    assert_int_equal(ag_builder_param(&b, "x-example", AG_NTS, "hi", AG_NTS, 0), AG_ERR_FIELD);
    assert_string_equal(ag_builder_error(&b)->rule, "x-example");
#else
    assert_int_equal(ag_builder_param(&b, "x-example", AG_NTS, "hi", AG_NTS, 0), AG_OK);
#endif
}

/* Unchanged rules behave the same in both. */
static void test_unchanged(void **state)
{
    (void)state;
    ag_challenge_storage st;
    ag_challenge c;
    assert_int_equal(parse("Digest realm=\"atlanta.com\", stale=FALSE", &c, &st), AG_OK);
    assert_int_equal(c.stale, AG_STALE_FALSE);
    assert_int_equal(parse("Digest realm=\"x\" nonce=\"y\"", &c, &st), AG_ERR_SYNTAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qop_list_with_spaces),
        cmocka_unit_test(test_scheme_without_params),
        cmocka_unit_test(test_stale_literal),
        cmocka_unit_test(test_token_char),
        cmocka_unit_test(test_new_param),
        cmocka_unit_test(test_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
