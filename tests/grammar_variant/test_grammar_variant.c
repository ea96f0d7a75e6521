/* SPDX-License-Identifier: MIT */
/* Proof that the grammar drives the parser: this file is compiled twice,
 * against the library built from grammar/ (AG_VARIANT=0) and against one
 * built from a copy of grammar/ with three rules changed (AG_VARIANT=1, see
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
    return ag_parse_value(v, strlen(v), c, NULL);
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
    ag_status rc = ag_parse_value("Basic", 5, &c, &d);
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
    /* an exact-size heap copy: a span past the input is an ASan error */
    const char *v = "Digest realm=\"r\", nonce=\"n\", stale=maybe, qop=\"auth\"";
    size_t len = strlen(v);
    char *buf = malloc(len);
    memcpy(buf, v, len);
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_value(buf, len, &c, NULL), AG_OK);
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
    assert_int_equal(ag_parse_value(buf, strlen(t), &c, NULL), AG_OK);
    assert_int_equal(c.stale, AG_STALE_TRUE);
    assert_int_equal(c.params[2].value.len, 4);
    free(buf);
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
        cmocka_unit_test(test_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
