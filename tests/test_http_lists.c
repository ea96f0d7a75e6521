/* SPDX-License-Identifier: MIT */
/* http lists, generated: values are assembled from known challenges (scheme,
 * then a token68 or parameters) with every separator form RFC 7230's
 * recipient list allows (OWS, empty elements, obs-fold), so the test knows
 * the truth: how many challenges, which scheme, which parameters.  The
 * parser must find exactly that (the pending-scheme logic of
 * src/parse_http.rl is what this exercises), and the canonical serialization
 * must parse back to the same.  Deterministic: a fixed seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "authgram.h"

static uint32_t rng = 12345;

static uint32_t next(uint32_t n)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8) % n;
}

typedef struct tparam {
    const char *name, *value; /* value as written (quotes included) */
} tparam;

typedef struct tchallenge {
    const char *scheme;
    const char *token68;
    tparam params[4];
    size_t nparams;
} tchallenge;

static const char *const schemes[] = {"Basic", "Newauth", "foo", "Digest", "x-Y.z"};
static const char *const names[] = {"realm", "type", "foo", "title", "a", "Basic", "nonce", "stale"};
static const char *const values[] = {"\"apps\"", "1", "\"Login to \\\"apps\\\"\"", "\"a, b=c\"", "tok",
                                     "\"\"", "\"x\\\\y\""};
static const char *const token68s[] = {"abc==", "a87421000492aa874209af8bc028", "YIIB+w==", "x"};
/* what may stand between elements: exactly one comma, OWS around it, empty
 * elements, a fold */
static const char *const seps[] = {", ", ",", " ,", " , ", ",, ", ", ,", ",\r\n ", " ,\t,"};
static const char *const bws[] = {"=", " =", "= ", " = "};

static size_t gen(char *buf, size_t cap, tchallenge *ch, size_t *nch)
{
    size_t n = 0;
    *nch = 1 + next(3);
    if (next(4) == 0)
        n += (size_t)snprintf(buf + n, cap - n, ",%s", next(2) ? " " : "");
    for (size_t k = 0; k < *nch; k++) {
        tchallenge *c = &ch[k];
        memset(c, 0, sizeof *c);
        c->scheme = schemes[next(5)];
        if (k)
            n += (size_t)snprintf(buf + n, cap - n, "%s", seps[next(8)]);
        n += (size_t)snprintf(buf + n, cap - n, "%s", c->scheme);
        int kind = next(3); /* 0 nothing, 1 token68, 2 parameters */
        if (kind == 1) {
            c->token68 = token68s[next(4)];
            n += (size_t)snprintf(buf + n, cap - n, " %s", c->token68);
        } else if (kind == 2) {
            c->nparams = 1 + next(3);
            n += (size_t)snprintf(buf + n, cap - n, "%s", next(3) ? " " : "  ");
            for (size_t i = 0; i < c->nparams; i++) {
                /* names are distinct within a challenge */
                c->params[i].name = names[(i * 3 + next(3)) % 8];
                for (size_t j = 0; j < i; j++)
                    if (!strcmp(c->params[j].name, c->params[i].name))
                        c->params[i].name = "z";
                c->params[i].value = values[next(7)];
                if (i)
                    n += (size_t)snprintf(buf + n, cap - n, "%s", seps[next(8)]);
                n += (size_t)snprintf(buf + n, cap - n, "%s%s%s", c->params[i].name, bws[next(4)],
                                      c->params[i].value);
            }
        }
    }
    if (next(4) == 0)
        n += (size_t)snprintf(buf + n, cap - n, "%s,", next(2) ? " " : "");
    return n;
}

static int same_param_value(const ag_param *p, const char *written)
{
    char buf[64];
    size_t wl = strlen(written);
    if (written[0] != '"')
        return !p->quoted && p->value.len == wl && !memcmp(p->value.ptr, written, wl);
    /* quoted: compare the unescaped forms */
    char want[64];
    size_t k = 0;
    for (size_t i = 1; i + 1 < wl; i++) {
        if (written[i] == '\\')
            i++;
        want[k++] = written[i];
    }
    size_t n = ag_unescape(p->value, buf, sizeof buf);
    return p->quoted && n == k && !memcmp(buf, want, k);
}

static void check(const char *what, const char *input, const ag_challenge_list *l, const tchallenge *ch,
                  size_t nch)
{
    if (l->count != nch)
        fail_msg("%s: [%s]: %zu challenges, expected %zu", what, input, l->count, nch);
    for (size_t k = 0; k < nch; k++) {
        const ag_challenge *c = &l->challenges[k];
        if (c->scheme.len != strlen(ch[k].scheme) || memcmp(c->scheme.ptr, ch[k].scheme, c->scheme.len))
            fail_msg("%s: [%s]: challenge %zu scheme %.*s, expected %s", what, input, k,
                     AG_SPAN_ARGS(c->scheme), ch[k].scheme);
        if ((c->token68.ptr != NULL) != (ch[k].token68 != NULL) ||
            (ch[k].token68 && (c->token68.len != strlen(ch[k].token68) ||
                               memcmp(c->token68.ptr, ch[k].token68, c->token68.len))))
            fail_msg("%s: [%s]: challenge %zu token68 %.*s", what, input, k, AG_SPAN_ARGS(c->token68));
        if (c->param_count != ch[k].nparams)
            fail_msg("%s: [%s]: challenge %zu has %zu params, expected %zu", what, input, k,
                     c->param_count, ch[k].nparams);
        for (size_t i = 0; i < ch[k].nparams; i++) {
            const ag_param *p = &c->params[i];
            if (p->name.len != strlen(ch[k].params[i].name) ||
                memcmp(p->name.ptr, ch[k].params[i].name, p->name.len) ||
                !same_param_value(p, ch[k].params[i].value))
                fail_msg("%s: [%s]: challenge %zu param %zu is %.*s=%.*s, expected %s=%s", what, input, k,
                         i, AG_SPAN_ARGS(p->name), AG_SPAN_ARGS(p->value), ch[k].params[i].name,
                         ch[k].params[i].value);
        }
    }
}

static void test_generated_lists(void **state)
{
    (void)state;
    int folds = 0, empties = 0, multi = 0;
    for (int iter = 0; iter < 20000; iter++) {
        char in[512];
        tchallenge ch[3];
        size_t nch;
        size_t len = gen(in, sizeof in, ch, &nch);
        folds += strstr(in, "\r\n") != NULL;
        empties += strstr(in, ",,") != NULL || strstr(in, ", ,") != NULL;
        multi += nch > 1;
        ag_list_storage st;
        ag_challenge_list l;
        ag_challenge_list_init(&l, &st);
        ag_diag d;
        ag_status s = ag_parse(AG_PROFILE_HTTP, AG_INPUT_VALUE, in, len, &l, &d);
        if (s != AG_OK) {
            char msg[200];
            ag_diag_format(&d, msg, sizeof msg);
            fail_msg("[%s]: %s: %s", in, ag_status_name(s), msg);
        }
        check("parse", in, &l, ch, nch);
        char out[1024];
        size_t n;
        ag_field_error e;
        s = ag_serialize_list(&l, AG_FORM_VALUE, out, sizeof out, &n, &e);
        if (s != AG_OK) {
            char msg[200];
            ag_field_error_format(&e, msg, sizeof msg);
            fail_msg("[%s]: serialize: %s", in, msg);
        }
        ag_list_storage st2;
        ag_challenge_list l2;
        ag_challenge_list_init(&l2, &st2);
        assert_int_equal(ag_parse(AG_PROFILE_HTTP, AG_INPUT_VALUE, out, n, &l2, NULL), AG_OK);
        check("round trip", out, &l2, ch, nch);
        ag_warning w[16];
        if (ag_check_list(&l2, w, 16) > 16)
            fail_msg("[%s]: too many warnings", out);
    }
    /* the generator did cover the hard cases */
    assert_true(folds > 1000 && empties > 1000 && multi > 5000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
