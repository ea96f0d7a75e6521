/* SPDX-License-Identifier: MIT */
/* The library never touches the heap: malloc, calloc, realloc and free are
 * interposed for the duration of every parse, serialization and builder
 * call, and any call fails the test.  (The test's own allocations happen
 * outside the armed windows.) */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "authgram.h"
#include "heapcount.h"
#include "vec.h"

static const char *vec_dir;

static void test_interposer_works(void **state)
{
    (void)state;
    /* a test that cannot fail is no test: prove the counter sees malloc */
    void *(*volatile m)(size_t) = malloc; /* the compiler may drop a direct pair */
    void (*volatile f)(void *) = free;
    heapcount_armed = 1;
    heapcount_calls = 0;
    void *p = m(16);
    f(p);
    heapcount_armed = 0;
    assert_int_equal(heapcount_calls, 2);
}

static void parse_file(const char *name, int *parses)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", vec_dir, name);
    vec_case *cases;
    size_t n = vec_read(path, &cases);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const char *entry = vec_get(&cases[i], "entry", NULL);
        int header = entry && !strcmp(entry, "header");
        ag_challenge_storage st;
        ag_challenge c;
        ag_diag d;
        ag_warning w[64];
        char msg[256], un[4096];
        ag_challenge_init(&c, &st);
        heapcount_armed = 1;
        heapcount_calls = 0;
        ag_status rc = ag_parse_challenge(AG_PROFILE_SIP, header ? AG_INPUT_HEADER : AG_INPUT_VALUE,
                                          cases[i].input, cases[i].input_len, &c, &d);
        if (rc == AG_OK) {
            ag_check(&c, w, 64);
            if (c.realm.ptr)
                ag_unescape(c.realm, un, sizeof un);
        } else {
            ag_diag_format(&d, msg, sizeof msg);
        }
        heapcount_armed = 0;
        if (heapcount_calls)
            fail_msg("%s: %lu heap call(s) while parsing", cases[i].name, heapcount_calls);
        (*parses)++;
    }
    vec_free(cases, n);
}

static void test_no_heap_in_parse_check_diag(void **state)
{
    (void)state;
    static const char *const files[] = {"rfc-examples.vec", "seed.vec", "kamailio.vec"};
    int parses = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        parse_file(files[i], &parses);
    assert_true(parses > 20);
}

/* ag_serialize of every challenge parsed from the vectors, in every form,
 * with a length query, a short buffer and a big one. */
static void serialize_file(const char *name, int *calls)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", vec_dir, name);
    vec_case *cases;
    size_t n = vec_read(path, &cases);
    assert_true(n > 0);
    static char out[8192];
    for (size_t i = 0; i < n; i++) {
        const char *entry = vec_get(&cases[i], "entry", NULL);
        int header = entry && !strcmp(entry, "header");
        ag_challenge_storage st;
        ag_challenge c;
        ag_challenge_init(&c, &st);
        ag_status rc = ag_parse_challenge(AG_PROFILE_SIP, header ? AG_INPUT_HEADER : AG_INPUT_VALUE,
                                          cases[i].input, cases[i].input_len, &c, NULL);
        if (rc != AG_OK)
            continue;
        char msg[256];
        int ok = 0;
        heapcount_armed = 1;
        heapcount_calls = 0;
        for (int form = AG_FORM_VALUE; form <= AG_FORM_WWW_AUTHENTICATE; form++) {
            size_t len;
            ag_field_error err;
            ag_serialize(&c, (ag_form)form, NULL, 0, &len, &err);
            ag_serialize(&c, (ag_form)form, out, 8, &len, &err);
            if (ag_serialize(&c, (ag_form)form, out, sizeof out, &len, &err) == AG_OK)
                ok++;
            else
                ag_field_error_format(&err, msg, sizeof msg);
        }
        heapcount_armed = 0;
        if (heapcount_calls)
            fail_msg("%s: %lu heap call(s) while serializing", cases[i].name, heapcount_calls);
        if (ok)
            (*calls)++;
    }
    vec_free(cases, n);
}

static void test_no_heap_in_serialize(void **state)
{
    (void)state;
    static const char *const files[] = {"rfc-examples.vec", "seed.vec", "kamailio.vec",
                                        "overlap.vec", "warnings.vec", "lengths.vec"};
    int calls = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        serialize_file(files[i], &calls);
    assert_true(calls > 50);
}

static void test_no_heap_in_builder(void **state)
{
    (void)state;
    static const char *const qop[] = {"auth", "auth-int"};
    static const char *const dom[] = {"sip:a.example.com", "/b"};
    static char out[4096];
    static ag_builder b; /* static: the builder is large, and keeps nothing on the heap */
    size_t len = 0;
    ag_field_error err;
    char msg[256];
    ag_status rc[32];
    size_t k = 0;

    heapcount_armed = 1;
    heapcount_calls = 0;
    /* every setter, then every form */
    ag_builder_init(&b);
    rc[k++] = ag_builder_challenge(&b, "Digest", AG_NTS);
    rc[k++] = ag_builder_realm(&b, "r\"ealm", AG_NTS);
    rc[k++] = ag_builder_nonce(&b, "n", 1);
    rc[k++] = ag_builder_opaque(&b, "o", AG_NTS);
    rc[k++] = ag_builder_algorithm(&b, "SHA-256", AG_NTS);
    rc[k++] = ag_builder_qop(&b, "auth", AG_NTS);
    rc[k++] = ag_builder_stale(&b, AG_STALE_TRUE);
    rc[k++] = ag_builder_domain(&b, "sip:x", AG_NTS);
    rc[k++] = ag_builder_userhash(&b, 1);
    rc[k++] = ag_builder_charset(&b, "UTF-8", AG_NTS);
    rc[k++] = ag_builder_param(&b, "ext", AG_NTS, "v", AG_NTS, 1);
    rc[k++] = ag_builder_digest(&b, "r", "n", "o", "MD5", qop, 2, AG_STALE_FALSE, dom, 2);
    rc[k++] = ag_builder_basic(&b, "r");
    ag_builder_error(&b);
    ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, NULL, 0, &len, &err);
    rc[k++] = ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, out, sizeof out, &len, &err);
    rc[k++] = ag_builder_finish(&b, AG_FORM_WWW_AUTHENTICATE, out, sizeof out, &len, &err);
    /* errors: a refused field, the state after it, the error formatted */
    ag_builder_init(&b);
    ag_builder_challenge(&b, "Digest", AG_NTS);
    ag_builder_realm(&b, "a\r\nb", AG_NTS);
    ag_builder_nonce(&b, "n", AG_NTS);
    ag_builder_finish(&b, AG_FORM_PROXY_AUTHENTICATE, out, sizeof out, &len, &err);
    ag_field_error_format(&err, msg, sizeof msg);
    /* the one-call forms */
    rc[k++] = ag_proxy_authenticate_digest(out, sizeof out, &len, &err, "r", "n", "o", "MD5", qop, 2,
                                           AG_STALE_TRUE, dom, 2);
    rc[k++] = ag_proxy_authenticate_basic(out, sizeof out, &len, &err, "r");
    rc[k++] = ag_www_authenticate_digest(out, sizeof out, &len, &err, "r", "n", NULL, NULL, NULL, 0,
                                         AG_STALE_UNSET, NULL, 0);
    rc[k++] = ag_www_authenticate_basic(out, sizeof out, &len, &err, "r");
    ag_proxy_authenticate_digest(NULL, 0, &len, &err, "r", "n\x01", NULL, NULL, NULL, 0,
                                 AG_STALE_UNSET, NULL, 0);
    heapcount_armed = 0;
    assert_int_equal(heapcount_calls, 0);
    /* the calls did their work (a test of nothing proves nothing) */
    for (size_t i = 0; i < k; i++)
        if (rc[i] != AG_OK)
            fail_msg("call %zu: %s", i, ag_status_name(rc[i]));
}

/* The http profile: a list parsed, checked (with its warnings), written back
 * joined, an invalid one diagnosed, and the http builder. */
static void test_no_heap_in_http(void **state)
{
    (void)state;
    static const char *const values[] = {
        "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"",
        ",Digest realm = x ,, stale=yes, qop=\"auth, auth-int\",\r\n domain=\"/a /b\", Negotiate abc==,",
        "Digest\trealm=\"a\"",
    };
    ag_list_storage st;
    ag_challenge_list l;
    ag_warning w[32];
    ag_diag d;
    ag_field_error err;
    char out[512], msg[256];
    size_t len;
    ag_status rc[8];
    size_t nw[2];
    heapcount_armed = 1;
    heapcount_calls = 0;
    for (size_t i = 0; i < 3; i++) {
        ag_challenge_list_init(&l, &st);
        rc[i] = ag_parse(AG_PROFILE_HTTP, AG_INPUT_VALUE, values[i], strlen(values[i]), &l, &d);
        if (rc[i] == AG_OK) {
            nw[i] = ag_check_list(&l, w, 32);
            rc[3 + i] = ag_serialize_list(&l, AG_FORM_WWW_AUTHENTICATE, out, sizeof out, &len, &err);
        } else
            ag_diag_format(&d, msg, sizeof msg);
    }
    ag_builder b;
    ag_builder_init(&b);
    ag_builder_profile(&b, AG_PROFILE_HTTP);
    ag_builder_digest(&b, "r", "n", NULL, "SHA-256", NULL, 0, AG_STALE_UNSET, NULL, 0);
    ag_builder_userhash(&b, 0);
    ag_builder_challenge(&b, "Negotiate", AG_NTS);
    ag_builder_token68(&b, "abc==", AG_NTS);
    rc[6] = ag_builder_finish(&b, AG_FORM_VALUE, out, sizeof out, &len, &err);
    /* the lenient reading, both profiles: skips, retyping, the strict form */
    static const char loose[] = "Digest realm=r, nonce=n,, qop=\"auth, auth-int\", algorithm=\"MD5\" ";
    ag_challenge_list_init(&l, &st);
    rc[7] = ag_parse_lenient(AG_PROFILE_SIP, AG_INPUT_VALUE, loose, sizeof loose - 1, &l, &d);
    size_t nl = ag_check_list(&l, w, 32);
    ag_status canon = ag_serialize_list(&l, AG_FORM_VALUE, out, sizeof out, &len, &err);
    ag_challenge_list_init(&l, &st);
    ag_status lh = ag_parse_lenient(AG_PROFILE_HTTP, AG_INPUT_VALUE, values[0], strlen(values[0]), &l, &d);
    ag_status bad = ag_parse_lenient(AG_PROFILE_SIP, AG_INPUT_VALUE, "Digest a=1 b=2", 14, &l, &d);
    heapcount_armed = 0;
    assert_int_equal(rc[7], AG_OK);
    assert_int_equal(nl, 6); /* realm, nonce, ",,", qop, algorithm, trailing */
    assert_int_equal(canon, AG_OK);
    assert_int_equal(lh, AG_OK);
    assert_int_equal(bad, AG_ERR_SYNTAX);
    assert_int_equal(heapcount_calls, 0);
    /* the calls did their work */
    assert_int_equal(rc[0], AG_OK);
    assert_int_equal(rc[1], AG_OK);
    assert_int_equal(rc[2], AG_ERR_SYNTAX);
    assert_int_equal(rc[3], AG_OK);
    assert_int_equal(rc[4], AG_OK);
    assert_int_equal(rc[6], AG_OK);
    assert_int_equal(nw[0], 0);
    assert_true(nw[1] >= 4);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s VECTOR-DIR\n", argv[0]);
        return 2;
    }
    vec_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interposer_works),
        cmocka_unit_test(test_no_heap_in_parse_check_diag),
        cmocka_unit_test(test_no_heap_in_serialize),
        cmocka_unit_test(test_no_heap_in_builder),
        cmocka_unit_test(test_no_heap_in_http),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
