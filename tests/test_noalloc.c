/* The parser never touches the heap: malloc, calloc, realloc and free are
 * interposed for the duration of every parse, and any call fails the test.
 * (The test's own allocations happen outside the armed windows.) */
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
#include "vec.h"

static int armed;
static int heap_calls;

/* glibc's allocator entry points, found once and before arming */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

void *malloc(size_t n)
{
    if (armed)
        heap_calls++;
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    if (armed)
        heap_calls++;
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    if (armed)
        heap_calls++;
    return __libc_realloc(p, n);
}

void free(void *p)
{
    if (armed && p)
        heap_calls++;
    __libc_free(p);
}

static const char *vec_dir;

static void test_interposer_works(void **state)
{
    (void)state;
    /* a test that cannot fail is no test: prove the counter sees malloc */
    void *(*volatile m)(size_t) = malloc; /* the compiler may drop a direct pair */
    void (*volatile f)(void *) = free;
    armed = 1;
    heap_calls = 0;
    void *p = m(16);
    f(p);
    armed = 0;
    assert_int_equal(heap_calls, 2);
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
        armed = 1;
        heap_calls = 0;
        ag_status rc = header ? ag_parse_header(cases[i].input, cases[i].input_len, &c, &d)
                              : ag_parse_value(cases[i].input, cases[i].input_len, &c, &d);
        if (rc == AG_OK) {
            ag_check(&c, w, 64);
            if (c.realm.ptr)
                ag_unescape(c.realm, un, sizeof un);
        } else {
            ag_diag_format(&d, msg, sizeof msg);
        }
        armed = 0;
        if (heap_calls)
            fail_msg("%s: %d heap call(s) while parsing", cases[i].name, heap_calls);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
