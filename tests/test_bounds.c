/* SPDX-License-Identifier: MIT */
/* Binary safety and bounds: inputs end right before an unmapped page, so a
 * read past the end faults; long values up to 64 KiB; NUL is a byte. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "authgram.h"
#include "vec.h"

static const char *vec_dir;

/* A buffer whose last byte is the last byte before a PROT_NONE page. */
typedef struct guarded {
    char *base;
    size_t map_len;
    char *data;
} guarded;

static guarded guard_copy(const char *src, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t pages = (len + page - 1) / page + 1;
    guarded g;
    g.map_len = pages * page;
    g.base = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(g.base != MAP_FAILED);
    assert_int_equal(mprotect(g.base + (pages - 1) * page, page, PROT_NONE), 0);
    g.data = g.base + (pages - 1) * page - len;
    memcpy(g.data, src, len);
    return g;
}

static void guard_free(guarded *g) { munmap(g->base, g->map_len); }

static void test_every_vector_at_a_page_end(void **state)
{
    (void)state;
    static const char *const files[] = {"rfc-examples.vec", "seed.vec", "kamailio.vec"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", vec_dir, files[f]);
        vec_case *cases;
        size_t n = vec_read(path, &cases);
        assert_true(n > 0);
        for (size_t i = 0; i < n; i++) {
            /* every prefix too: each one ends at the guard page */
            for (size_t cut = 0; cut <= cases[i].input_len; cut++) {
                guarded g = guard_copy(cases[i].input, cut);
                ag_challenge_storage st;
                ag_challenge c;
                ag_diag d;
                ag_challenge_init(&c, &st);
                ag_status a = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, g.data, cut, &c, &d);
                ag_status b = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_HEADER, g.data, cut, &c, &d);
                assert_true(a == AG_OK || a == AG_ERR_SYNTAX);
                assert_true(b == AG_OK || b == AG_ERR_SYNTAX);
                if (a == AG_ERR_SYNTAX || b == AG_ERR_SYNTAX)
                    assert_true(d.offset <= cut);
                guard_free(&g);
            }
        }
        vec_free(cases, n);
    }
}

static char *repeat(const char *head, char fill, size_t n, const char *tail, size_t *len)
{
    size_t h = strlen(head), t = strlen(tail);
    char *s = malloc(h + n + t + 1);
    memcpy(s, head, h);
    memset(s + h, fill, n);
    memcpy(s + h + n, tail, t + 1);
    *len = h + n + t;
    return s;
}

static void test_64k_quoted_realm(void **state)
{
    (void)state;
    size_t len;
    char *v = repeat("Digest realm=\"", 'r', 65536, "\", nonce=\"n\", qop=\"auth\"", &len);
    guarded g = guard_copy(v, len);
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, g.data, len, &c, NULL), AG_OK);
    assert_int_equal(c.realm.len, 65536);
    assert_ptr_equal(c.realm.ptr, g.data + 14);
    /* cut the closing quote: the error is found at the very end */
    ag_diag d;
    guard_free(&g);
    g = guard_copy(v, 14 + 65536);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, g.data, 14 + 65536, &c, &d), AG_ERR_SYNTAX);
    assert_int_equal(d.offset, 14 + 65536);
    assert_true(d.at_end);
    assert_string_equal(d.rule, "quoted-string");
    guard_free(&g);
    free(v);
}

static void test_64k_token_and_scheme(void **state)
{
    (void)state;
    size_t len;
    char *v = repeat("Digest x=", 'a', 65536, "", &len);
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, len, &c, NULL), AG_OK);
    assert_int_equal(c.params[0].value.len, 65536);
    free(v);
    v = repeat("", 'S', 65536, " p=1", &len);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, len, &c, NULL), AG_OK);
    assert_int_equal(c.scheme.len, 65536);
    assert_int_equal(c.scheme_id, AG_SCHEME_OTHER);
    free(v);
}

static void test_many_params_need_a_big_array(void **state)
{
    (void)state;
    /* 4000 params in about 64 KiB: nothing is dropped, the count says so */
    size_t cap = 70000, len = 0;
    char *v = malloc(cap);
    len += (size_t)snprintf(v, cap, "Digest p0=0");
    for (int i = 1; i < 4000; i++)
        len += (size_t)snprintf(v + len, cap - len, ", p%d=%d", i, i);
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, len, &c, NULL), AG_ERR_CAPACITY);
    assert_int_equal(c.param_count, 4000);
    ag_param *big = malloc(sizeof(ag_param) * 4000);
    c.params = big;
    c.param_cap = 4000;
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, len, &c, NULL), AG_OK);
    assert_memory_equal(big[3999].name.ptr, "p3999", 5);
    assert_memory_equal(big[3999].value.ptr, "3999", 4);
    free(big);
    free(v);
}

static void test_nul_bytes(void **state)
{
    (void)state;
    static const char with_nul[] = "Digest realm=\"a\0b\"";
    ag_challenge_storage st;
    ag_challenge c;
    ag_diag d;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE,
                                        with_nul, sizeof with_nul - 1, &c, &d), AG_ERR_SYNTAX);
    assert_int_equal(d.offset, 15);
    assert_int_equal(d.byte, 0);
    assert_false(d.at_end);
    /* a NUL right after a valid value is not a terminator: it is an error */
    static const char trailing[] = "Digest realm=\"a\"\0";
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE,
                                        trailing, sizeof trailing - 1, &c, &d), AG_ERR_SYNTAX);
    assert_int_equal(d.offset, 16);
    /* and the same value without it is fine */
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, trailing, sizeof trailing - 2, &c, &d), AG_OK);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s VECTOR-DIR\n", argv[0]);
        return 2;
    }
    vec_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_vector_at_a_page_end),
        cmocka_unit_test(test_64k_quoted_realm),
        cmocka_unit_test(test_64k_token_and_scheme),
        cmocka_unit_test(test_many_params_need_a_big_array),
        cmocka_unit_test(test_nul_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
