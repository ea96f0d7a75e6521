/* Data-driven parser tests: every case of the .vec files named on the
 * command line (format: tests/vectors/README.md) is one cmocka test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ag_sip_grammar.h"
#include "internal.h"
#include "vec.h"

static const char *const kind_names[] = {"auth-param", "realm", "domain", "nonce",
                                         "opaque", "stale", "algorithm", "qop-options"};
static const char *const alg_names[] = {"none", "other", "md5", "md5-sess", "sha-256",
                                        "sha-256-sess", "sha-512-256", "sha-512-256-sess",
                                        "akav1-md5", "akav2-md5"};

static int fails;

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            print_error("%s:%d: %s: ", c->file, c->line, c->name);           \
            print_error(__VA_ARGS__);                                        \
            print_error("\n");                                               \
            fails++;                                                         \
        }                                                                    \
    } while (0)

static int span_is(ag_span s, const char *v, size_t len)
{
    if (len == 1 && v[0] == '-')
        return s.ptr == NULL;
    return s.ptr && s.len == len && memcmp(s.ptr, v, len) == 0;
}

static void check_span(const vec_case *c, const char *key, ag_span s)
{
    size_t len;
    const char *v = vec_get(c, key, &len);
    if (v)
        CHECK(span_is(s, v, len), "%s: expected '%s', got '%s'", key, v,
              s.ptr ? vec_show(s.ptr, s.len) : "(absent)");
}

/* Compares every "key:" line of the case, in order, with a list. */
typedef const char *(*item_fn)(const ag_challenge *ch, size_t i, char *buf, size_t cap);

static void check_list(const vec_case *c, const char *key, const ag_challenge *ch, size_t n,
                       item_fn item)
{
    size_t want = 0, present = 0;
    for (size_t i = 0; i < c->nkv; i++) {
        if (strcmp(c->kv[i].key, key) != 0)
            continue;
        present = 1;
        if (!strcmp(c->kv[i].val, "-"))
            continue;
        char buf[1024];
        if (want < n) {
            const char *got = item(ch, want, buf, sizeof buf);
            CHECK(strcmp(got, c->kv[i].val) == 0, "%s #%zu: expected '%s', got '%s'", key, want + 1,
                  vec_show(c->kv[i].val, strlen(c->kv[i].val)), got);
        }
        want++;
    }
    if (present)
        CHECK(want == n, "%s: expected %zu entries, got %zu", key, want, n);
}

static const char *qop_item(const ag_challenge *ch, size_t i, char *buf, size_t cap)
{
    snprintf(buf, cap, "%.*s", AG_SPAN_ARGS(ch->qop[i].raw));
    return buf;
}

static const char *domain_item(const ag_challenge *ch, size_t i, char *buf, size_t cap)
{
    snprintf(buf, cap, "%.*s", AG_SPAN_ARGS(ch->domain[i]));
    return buf;
}

static const char *param_item(const ag_challenge *ch, size_t i, char *buf, size_t cap)
{
    const ag_param *p = &ch->params[i];
    char v[900];
    snprintf(v, sizeof v, "%s", vec_show(p->value.ptr, p->value.len));
    snprintf(buf, cap, "%s %.*s=%s%s%s", kind_names[p->kind], AG_SPAN_ARGS(p->name),
             p->quoted ? "\"" : "", v, p->quoted ? "\"" : "");
    return buf;
}

static ag_warning warnings[256];

static const char *warning_item(const ag_challenge *ch, size_t i, char *buf, size_t cap)
{
    (void)ch;
    snprintf(buf, cap, "%s %zu %s", ag_warning_name(warnings[i].id), warnings[i].offset,
             warnings[i].rule);
    return buf;
}

static void run_case(void **state)
{
    const vec_case *c = *state;
    fails = 0;
    const char *entry = vec_get(c, "entry", NULL);
    int header = entry && !strcmp(entry, "header");
    const char *result = vec_get(c, "result", NULL);
    assert_non_null(result);

    /* the input lives in an exact-size heap copy, so ASan sees any overread */
    char *buf = malloc(c->input_len ? c->input_len : 1);
    memcpy(buf, c->input, c->input_len);

    ag_challenge_storage st;
    ag_challenge ch;
    ag_diag d;
    ag_challenge_init(&ch, &st);
    ag_status rc = header ? ag_parse_header(buf, c->input_len, &ch, &d)
                          : ag_parse_value(buf, c->input_len, &ch, &d);

    /* the plain recognizer is the same language: it must agree */
    size_t fail_off = 0;
    int accepted = ag_recognize(&ag_sip_grammar, header ? AG_SIP_ENTRY_HEADER : AG_SIP_ENTRY_VALUE,
                                (const unsigned char *)buf, c->input_len, &fail_off);
    CHECK(accepted == (rc == AG_OK), "recognizer says %s, parser says %s",
          accepted ? "valid" : "invalid", ag_status_name(rc));

    if (!strcmp(result, "error")) {
        CHECK(rc == AG_ERR_SYNTAX, "expected a syntax error, got %s", ag_status_name(rc));
        if (rc == AG_ERR_SYNTAX) {
            char msg[256];
            ag_diag_format(&d, msg, sizeof msg);
            const char *off = vec_get(c, "error-offset", NULL);
            if (off)
                CHECK(d.offset == strtoul(off, NULL, 10), "error offset: expected %s, got %zu (%s)", off,
                      d.offset, msg);
            const char *rule = vec_get(c, "error-rule", NULL);
            if (rule)
                CHECK(strcmp(rule, d.rule) == 0, "error rule: expected %s, got %s (%s)", rule, d.rule,
                      msg);
            CHECK(d.offset == fail_off, "diagnostic offset %zu but the recognizer stops at %zu",
                  d.offset, fail_off);
            CHECK(d.at_end == (d.offset == c->input_len), "at_end %d at offset %zu of %zu", d.at_end,
                  d.offset, c->input_len);
        }
        free(buf);
        if (fails)
            fail_msg("%d check(s) failed", fails);
        return;
    }
    CHECK(rc == AG_OK, "expected valid, got %s", ag_status_name(rc));
    if (rc != AG_OK) {
        char msg[256];
        ag_diag_format(&d, msg, sizeof msg);
        print_error("  %s\n", msg);
        free(buf);
        fail_msg("%d check(s) failed", fails);
        return;
    }
    const char *v;
    if ((v = vec_get(c, "header", NULL))) {
        const char *got = ch.header == AG_HEADER_PROXY_AUTHENTICATE ? "proxy"
                          : ch.header == AG_HEADER_WWW_AUTHENTICATE ? "www"
                                                                    : "none";
        CHECK(!strcmp(v, got), "header: expected %s, got %s", v, got);
    }
    check_span(c, "scheme", ch.scheme);
    if ((v = vec_get(c, "scheme-id", NULL))) {
        const char *got = ch.scheme_id == AG_SCHEME_DIGEST ? "digest"
                          : ch.scheme_id == AG_SCHEME_BASIC ? "basic"
                                                            : "other";
        CHECK(!strcmp(v, got), "scheme-id: expected %s, got %s", v, got);
    }
    check_span(c, "realm", ch.realm);
    check_span(c, "nonce", ch.nonce);
    check_span(c, "opaque", ch.opaque);
    check_span(c, "algorithm", ch.algorithm_raw);
    if ((v = vec_get(c, "algorithm-id", NULL)))
        CHECK(!strcmp(v, alg_names[ch.algorithm]), "algorithm-id: expected %s, got %s", v,
              alg_names[ch.algorithm]);
    if ((v = vec_get(c, "stale", NULL))) {
        const char *got = ch.stale == AG_STALE_TRUE ? "true" : ch.stale == AG_STALE_FALSE ? "false" : "unset";
        CHECK(!strcmp(v, got), "stale: expected %s, got %s", v, got);
    }
    check_list(c, "qop", &ch, ch.qop_count, qop_item);
    check_list(c, "domain", &ch, ch.domain_count, domain_item);
    check_list(c, "param", &ch, ch.param_count, param_item);
    size_t nw = ag_check(&ch, warnings, sizeof warnings / sizeof warnings[0]);
    check_list(c, "warning", &ch, nw, warning_item);

    /* spans point into the caller's buffer */
    for (size_t i = 0; i < ch.param_count; i++) {
        CHECK(ch.params[i].name.ptr >= buf && ch.params[i].name.ptr + ch.params[i].name.len <= buf + c->input_len,
              "param %zu name outside the input", i);
        CHECK(ch.params[i].name.ptr == buf + ch.params[i].offset, "param %zu offset", i);
    }
    free(buf);
    if (fails)
        fail_msg("%d check(s) failed", fails);
}

int main(int argc, char **argv)
{
    int failed = 0;
    for (int a = 1; a < argc; a++) {
        vec_case *cases;
        size_t n = vec_read(argv[a], &cases);
        if (!n) {
            fprintf(stderr, "%s: no cases\n", argv[a]);
            return 1;
        }
        struct CMUnitTest *tests = calloc(n, sizeof *tests);
        for (size_t i = 0; i < n; i++) {
            tests[i].name = cases[i].name;
            tests[i].test_func = run_case;
            tests[i].initial_state = &cases[i];
        }
        const char *base = strrchr(argv[a], '/');
        failed |= _cmocka_run_group_tests(base ? base + 1 : argv[a], tests, n, NULL, NULL);
        free(tests);
        vec_free(cases, n);
    }
    return failed;
}
