/* SPDX-License-Identifier: MIT */
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

#include "ag_http_grammar.h"
#include "ag_sip_grammar.h"
#include "internal.h"
#include "vec.h"

static const char *const kind_names[] = {"auth-param", "realm",     "domain",      "nonce",
                                         "opaque",     "stale",     "algorithm",   "qop-options",
                                         "charset",    "userhash"};
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
    const char *kind = (size_t)p->kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[p->kind]
                                                                                 : "(bad kind)";
    snprintf(buf, cap, "%s %.*s=%s%s%s", kind, AG_SPAN_ARGS(p->name),
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

/* The keys that describe one challenge; "challenge: K" switches them to
 * challenge K (0-based), before it they describe challenge 0. */
static const char *const field_keys[] = {"header", "scheme", "scheme-id", "realm", "nonce",
                                         "opaque", "algorithm", "algorithm-id", "stale", "qop",
                                         "domain", "param", "token68", "charset", "userhash"};

static int is_field_key(const char *key)
{
    for (size_t i = 0; i < sizeof field_keys / sizeof field_keys[0]; i++)
        if (!strcmp(key, field_keys[i]))
            return 1;
    return 0;
}

/* The case seen through challenge k: its field keys for k only (shallow
 * copies of the key/value pairs; free sub->kv only).  Returns how many
 * field keys it has. */
static size_t sub_case(const vec_case *c, size_t k, vec_case *sub)
{
    *sub = *c;
    sub->kv = malloc(sizeof(vec_kv) * (c->nkv + 1));
    sub->nkv = 0;
    size_t cur = 0;
    for (size_t i = 0; i < c->nkv; i++) {
        if (!strcmp(c->kv[i].key, "challenge")) {
            cur = strtoul(c->kv[i].val, NULL, 10);
            continue;
        }
        if (is_field_key(c->kv[i].key) && cur == k)
            sub->kv[sub->nkv++] = c->kv[i];
    }
    return sub->nkv;
}

/* The highest challenge index a "challenge:" line names (0 if none). */
static size_t max_challenge(const vec_case *c)
{
    size_t m = 0;
    for (size_t i = 0; i < c->nkv; i++)
        if (!strcmp(c->kv[i].key, "challenge")) {
            size_t k = strtoul(c->kv[i].val, NULL, 10);
            if (k > m)
                m = k;
        }
    return m;
}

static const char *stale_name(ag_stale s)
{
    return s == AG_STALE_TRUE ? "true" : s == AG_STALE_FALSE ? "false" : "unset";
}

static const char *userhash_name(ag_userhash u)
{
    return u == AG_USERHASH_TRUE ? "true" : u == AG_USERHASH_FALSE ? "false" : "unset";
}

/* Compares the field keys of c (already narrowed to one challenge). */
static void check_fields(const vec_case *c, const ag_challenge *ch)
{
    const char *v;
    if ((v = vec_get(c, "header", NULL))) {
        const char *got = ch->header == AG_HEADER_PROXY_AUTHENTICATE ? "proxy"
                          : ch->header == AG_HEADER_WWW_AUTHENTICATE ? "www"
                                                                     : "none";
        CHECK(!strcmp(v, got), "header: expected %s, got %s", v, got);
    }
    check_span(c, "scheme", ch->scheme);
    if ((v = vec_get(c, "scheme-id", NULL))) {
        const char *got = ch->scheme_id == AG_SCHEME_DIGEST ? "digest"
                          : ch->scheme_id == AG_SCHEME_BASIC ? "basic"
                                                             : "other";
        CHECK(!strcmp(v, got), "scheme-id: expected %s, got %s", v, got);
    }
    check_span(c, "realm", ch->realm);
    check_span(c, "nonce", ch->nonce);
    check_span(c, "opaque", ch->opaque);
    check_span(c, "algorithm", ch->algorithm_raw);
    if ((v = vec_get(c, "algorithm-id", NULL))) {
        const char *got = (size_t)ch->algorithm < sizeof alg_names / sizeof alg_names[0]
                              ? alg_names[ch->algorithm]
                              : "(bad algorithm)";
        CHECK(!strcmp(v, got), "algorithm-id: expected %s, got %s", v, got);
    }
    if ((v = vec_get(c, "stale", NULL)))
        CHECK(!strcmp(v, stale_name(ch->stale)), "stale: expected %s, got %s", v, stale_name(ch->stale));
    check_span(c, "token68", ch->token68);
    check_span(c, "charset", ch->charset);
    if ((v = vec_get(c, "userhash", NULL)))
        CHECK(!strcmp(v, userhash_name(ch->userhash)), "userhash: expected %s, got %s", v,
              userhash_name(ch->userhash));
    check_list(c, "qop", ch, ch->qop_count, qop_item);
    check_list(c, "domain", ch, ch->domain_count, domain_item);
    check_list(c, "param", ch, ch->param_count, param_item);
}

/* Spans point into the caller's buffer. */
static void check_in_input(const vec_case *c, const ag_challenge *ch, size_t k, const char *buf)
{
    const char *end = buf + c->input_len;
    CHECK(ch->scheme.ptr == buf + ch->offset, "challenge %zu: offset %zu is not its scheme's", k,
          ch->offset);
    for (size_t i = 0; i < ch->param_count; i++) {
        const ag_param *p = &ch->params[i];
        CHECK(p->name.ptr >= buf && p->name.ptr + p->name.len <= end,
              "challenge %zu: param %zu name outside the input", k, i);
        CHECK(p->name.ptr == buf + p->offset, "challenge %zu: param %zu offset", k, i);
        CHECK(!p->value.ptr || (p->value.ptr >= buf && p->value.ptr + p->value.len <= end),
              "challenge %zu: param %zu value outside the input", k, i);
    }
    CHECK(!ch->token68.ptr || (ch->token68.ptr >= buf && ch->token68.ptr + ch->token68.len <= end),
          "challenge %zu: token68 outside the input", k);
}

static int span_same(ag_span a, ag_span b) { return a.ptr == b.ptr && a.len == b.len; }

/* sip: the challenge ag_parse put in the list is the one ag_parse_challenge
 * returned. */
static void check_same_challenge(const vec_case *c, const ag_challenge *a, const ag_challenge *b)
{
    CHECK(a->header == b->header && a->offset == b->offset && span_same(a->scheme, b->scheme) &&
              a->scheme_id == b->scheme_id,
          "ag_parse: the scheme differs from ag_parse_challenge's");
    CHECK(span_same(a->realm, b->realm) && span_same(a->nonce, b->nonce) &&
              span_same(a->opaque, b->opaque) && span_same(a->algorithm_raw, b->algorithm_raw) &&
              a->algorithm == b->algorithm && a->stale == b->stale && a->userhash == b->userhash &&
              span_same(a->token68, b->token68) && span_same(a->charset, b->charset),
          "ag_parse: the typed fields differ from ag_parse_challenge's");
    CHECK(a->param_count == b->param_count && a->qop_count == b->qop_count &&
              a->domain_count == b->domain_count,
          "ag_parse: counts %zu/%zu/%zu, ag_parse_challenge %zu/%zu/%zu", b->param_count,
          b->qop_count, b->domain_count, a->param_count, a->qop_count, a->domain_count);
    if (a->param_count != b->param_count || a->qop_count != b->qop_count ||
        a->domain_count != b->domain_count)
        return;
    for (size_t i = 0; i < a->param_count; i++) {
        const ag_param *p = &a->params[i], *q = &b->params[i];
        CHECK(span_same(p->name, q->name) && span_same(p->value, q->value) && p->offset == q->offset &&
                  p->kind == q->kind && p->quoted == q->quoted,
              "ag_parse: param %zu differs", i);
    }
    for (size_t i = 0; i < a->qop_count; i++)
        CHECK(span_same(a->qop[i].raw, b->qop[i].raw) && a->qop[i].qop == b->qop[i].qop,
              "ag_parse: qop %zu differs", i);
    for (size_t i = 0; i < a->domain_count; i++)
        CHECK(span_same(a->domain[i], b->domain[i]), "ag_parse: domain %zu differs", i);
}

static void check_error(const vec_case *c, ag_status rc, const ag_diag *d, size_t fail_off)
{
    CHECK(rc == AG_ERR_SYNTAX, "expected a syntax error, got %s", ag_status_name(rc));
    if (rc != AG_ERR_SYNTAX)
        return;
    char msg[256];
    ag_diag_format(d, msg, sizeof msg);
    const char *off = vec_get(c, "error-offset", NULL);
    if (off)
        CHECK(d->offset == strtoul(off, NULL, 10), "error offset: expected %s, got %zu (%s)", off,
              d->offset, msg);
    const char *rule = vec_get(c, "error-rule", NULL);
    if (rule)
        CHECK(d->rule && strcmp(rule, d->rule) == 0, "error rule: expected %s, got %s (%s)", rule,
              d->rule ? d->rule : "(null)", msg);
    const char *param = vec_get(c, "error-param", NULL);
    if (param) {
        const char *got = d->param && d->param[0] ? d->param : "-";
        CHECK(strcmp(param, got) == 0, "error param: expected %s, got %s (%s)", param, got, msg);
    }
    const char *want = vec_get(c, "error-message", NULL);
    if (want)
        CHECK(strcmp(want, msg) == 0, "error message:\n  expected %s\n  got      %s", want, msg);
    CHECK(d->offset == fail_off, "diagnostic offset %zu but the recognizer stops at %zu", d->offset,
          fail_off);
    CHECK(d->at_end == (d->offset == c->input_len), "at_end %d at offset %zu of %zu", d->at_end,
          d->offset, c->input_len);
}

static void run_case(void **state)
{
    const vec_case *c = *state;
    fails = 0;
    const char *entry = vec_get(c, "entry", NULL);
    int header = entry && !strcmp(entry, "header");
    const char *result = vec_get(c, "result", NULL);
    assert_non_null(result);
    const char *prof = vec_get(c, "profile", NULL);
    if (prof && strcmp(prof, "sip") != 0 && strcmp(prof, "http") != 0)
        fail_msg("%s:%d: unknown profile '%s'", c->file, c->line, prof);
    int http = prof && !strcmp(prof, "http");
    ag_input in = header ? AG_INPUT_HEADER : AG_INPUT_VALUE;
    /* lenient: yes -- ag_parse_lenient; its language is larger than the
     * grammar's, so the recognizer and the one-challenge calls are not asked */
    const char *len_key = vec_get(c, "lenient", NULL);
    int lenient = len_key && !strcmp(len_key, "yes");
    int listonly = http || lenient;

    /* the input lives in an exact-size heap copy, so ASan sees any overread */
    char *buf = malloc(c->input_len ? c->input_len : 1);
    memcpy(buf, c->input, c->input_len);

    /* sip: the one-challenge calls, and ag_parse as a second view of them;
     * http: ag_parse only */
    ag_challenge_storage st;
    ag_challenge ch;
    ag_diag d;
    ag_status rc = AG_OK;
    if (!listonly) {
        ag_challenge_init(&ch, &st);
        rc = ag_parse_challenge(AG_PROFILE_SIP, header ? AG_INPUT_HEADER : AG_INPUT_VALUE, buf, c->input_len, &ch, &d);
    }
    static ag_list_storage ls;
    ag_challenge_list l;
    ag_diag ld;
    ag_challenge_list_init(&l, &ls);
    ag_status lrc = (lenient ? ag_parse_lenient : ag_parse)(http ? AG_PROFILE_HTTP : AG_PROFILE_SIP, in, buf,
                                                            c->input_len, &l, &ld);
    if (listonly) {
        rc = lrc;
        d = ld;
    } else {
        CHECK(lrc == rc, "ag_parse says %s, ag_parse_%s says %s", ag_status_name(lrc),
              header ? "header" : "value", ag_status_name(rc));
        if (lrc == rc && rc == AG_ERR_SYNTAX)
            CHECK(ld.offset == d.offset && ld.rule && d.rule && !strcmp(ld.rule, d.rule),
                  "ag_parse diagnoses %zu %s, ag_parse_%s %zu %s", ld.offset, ld.rule ? ld.rule : "",
                  header ? "header" : "value", d.offset, d.rule ? d.rule : "");
    }

    /* the plain recognizer is the same language: it must agree */
    size_t fail_off = 0;
    int accepted = http ? ag_recognize(&ag_http_grammar, header ? AG_HTTP_ENTRY_HEADER : AG_HTTP_ENTRY_VALUE,
                                       (const unsigned char *)buf, c->input_len, &fail_off)
                        : ag_recognize(&ag_sip_grammar, header ? AG_SIP_ENTRY_HEADER : AG_SIP_ENTRY_VALUE,
                                       (const unsigned char *)buf, c->input_len, &fail_off);
    CHECK(lenient || accepted == (rc == AG_OK), "recognizer says %s, parser says %s",
          accepted ? "valid" : "invalid", ag_status_name(rc));
    if (lenient && rc == AG_ERR_SYNTAX) /* never more than the grammar refuses */
        CHECK(!accepted, "the grammar accepts what the lenient reading refuses");

    if (!strcmp(result, "error")) {
        check_error(c, rc, &d, fail_off);
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
    if (!listonly) {
        CHECK(lrc == AG_OK && l.count == 1, "ag_parse: %s with %zu challenges, expected one",
              ag_status_name(lrc), l.count);
        if (lrc == AG_OK && l.count == 1)
            check_same_challenge(c, &ch, &l.challenges[0]);
    }

    const char *v;
    if ((v = vec_get(c, "challenges", NULL)))
        CHECK(l.count == strtoul(v, NULL, 10), "challenges: expected %s, got %zu", v, l.count);
    size_t last = max_challenge(c);
    CHECK(last < l.count || lrc != AG_OK, "challenge: %zu named, but there are %zu", last, l.count);
    for (size_t k = 0; k <= last && k < l.count; k++) {
        vec_case sub;
        if (sub_case(c, k, &sub))
            /* sip: the fields are ag_parse_challenge's (the same, checked above) */
            check_fields(&sub, listonly || k ? &l.challenges[k] : &ch);
        free(sub.kv);
    }
    for (size_t k = 0; k < l.count && k < l.cap; k++)
        check_in_input(c, &l.challenges[k], k, buf);

    if (lenient) {
        /* a lenient reading is written back in the strict form */
        static char canon[70000];
        size_t cl;
        ag_field_error fe;
        ag_status sr = ag_serialize_list(&l, header ? (l.challenges[0].header == AG_HEADER_WWW_AUTHENTICATE
                                                           ? AG_FORM_WWW_AUTHENTICATE : AG_FORM_PROXY_AUTHENTICATE)
                                                    : AG_FORM_VALUE,
                                         canon, sizeof canon, &cl, &fe);
        CHECK(sr == AG_OK, "lenient reading not serializable: %s", ag_status_name(sr));
        static ag_list_storage ls2;
        ag_challenge_list l2;
        ag_challenge_list_init(&l2, &ls2);
        CHECK(sr != AG_OK || ag_parse(http ? AG_PROFILE_HTTP : AG_PROFILE_SIP, in, canon, cl, &l2, NULL) == AG_OK,
              "the strict form of a lenient reading does not parse strictly: %.*s", (int)cl, canon);
    }
    size_t nw;
    if (listonly) {
        nw = ag_check_list(&l, warnings, sizeof warnings / sizeof warnings[0]);
    } else {
        nw = ag_check(&ch, warnings, sizeof warnings / sizeof warnings[0]);
        /* the list's warnings of a sip challenge are its own */
        static ag_warning lw[256];
        size_t lnw = lrc == AG_OK ? ag_check_list(&l, lw, sizeof lw / sizeof lw[0]) : nw;
        int same = lnw == nw;
        for (size_t i = 0; same && i < nw && i < sizeof lw / sizeof lw[0]; i++)
            same = lw[i].id == warnings[i].id && lw[i].offset == warnings[i].offset &&
                   !strcmp(lw[i].rule, warnings[i].rule);
        CHECK(lrc != AG_OK || same, "ag_check_list gives other warnings than ag_check (%zu, %zu)", lnw,
              nw);
    }
    if (nw > sizeof warnings / sizeof warnings[0])
        nw = sizeof warnings / sizeof warnings[0];
    check_list(c, "warning", NULL, nw, warning_item);

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
