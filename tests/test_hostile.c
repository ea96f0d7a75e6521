/* SPDX-License-Identifier: MIT */
/* Regressions of issue [H] (hostile input) in the library; each failed
 * before its fix:
 *  - duplicate-param: found through the parsers' name index
 *    (ag_params_index), exactly as the pairwise comparison found it, for
 *    many parameters (the old loop was quadratic; bench/growth counts the
 *    work), and never for a view filled by hand and never indexed;
 *  - the warnings come out in order of offset however they were found;
 *  - the lenient reading's limit is its own error at the right offset, not
 *    a syntax error at a comma it can read;
 *  - a byte that quoted-pair allows and qdtext does not is written back as
 *    a quoted-pair (sip), so canon never refuses a value the parser
 *    accepted, and parse -> serialize -> parse is the identity;
 *  - ag_digest_answer_line carries values with NUL bytes whole;
 *  - a hand-filled parameter whose value is {NULL, 0} (UBSan: no arithmetic
 *    on a null pointer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "authgram.h"

static ag_span S(const char *s) { return (ag_span){s, strlen(s)}; }

/* A list with arrays big enough for n parameters. */
typedef struct big {
    ag_challenge_list l;
    ag_challenge ch[4];
    ag_param *params;
    ag_qop_value qop[8];
    ag_span domain[8];
} big;

static void big_init(big *b, size_t nparams)
{
    memset(b, 0, sizeof *b);
    b->params = calloc(nparams, sizeof *b->params);
    assert_non_null(b->params);
    b->l.challenges = b->ch;
    b->l.cap = 4;
    b->l.params = b->params;
    b->l.param_cap = nparams;
    b->l.qop = b->qop;
    b->l.qop_cap = 8;
    b->l.domain = b->domain;
    b->l.domain_cap = 8;
}

/* "Digest realm=\"r\", nonce=\"n\", qop=\"auth\"" and n more parameters
 * named by name(i) */
static char *with_params(size_t n, void (*name)(size_t, char *))
{
    size_t cap = 64 + n * 32;
    char *s = malloc(cap), nm[24];
    assert_non_null(s);
    size_t k = (size_t)snprintf(s, cap, "Digest realm=\"r\", nonce=\"n\", qop=\"auth\"");
    for (size_t i = 0; i < n; i++) {
        name(i, nm);
        k += (size_t)snprintf(s + k, cap - k, ", %s=%zu", nm, i);
    }
    return s;
}

/* x0 .. x(n/2-1), then the same names in capitals: every second half is a
 * duplicate of the first half (case-insensitively), in reverse order */
static void half_upper(size_t i, char *out)
{
    size_t n2 = 300;
    if (i < n2)
        sprintf(out, "x%zu", i);
    else
        sprintf(out, "X%zu", 2 * n2 - 1 - i);
}

static void test_duplicates_many(void **state)
{
    (void)state;
    enum { N = 600 };
    big b;
    big_init(&b, N + 3);
    char *s = with_params(N, half_upper);
    ag_diag d;
    assert_int_equal(ag_parse(AG_PROFILE_SIP, AG_INPUT_VALUE, s, strlen(s), &b.l, &d), AG_OK);
    const ag_challenge *c = &b.l.challenges[0];
    assert_int_equal(c->param_count, N + 3);
    /* the index is what pairwise comparison says */
    for (size_t i = 0; i < c->param_count; i++) {
        size_t first = i;
        for (size_t j = 0; j < i && first == i; j++)
            if (c->params[j].name.len == c->params[i].name.len &&
                !strncasecmp(c->params[j].name.ptr, c->params[i].name.ptr, c->params[i].name.len))
                first = j;
        assert_int_equal(c->params[i].same_name, first);
    }
    ag_warning *w = calloc(2 * N, sizeof *w);
    assert_non_null(w);
    size_t nw = ag_check(c, w, 2 * N);
    size_t dups = 0;
    for (size_t i = 0; i < nw && i < 2 * N; i++)
        if (w[i].id == AG_W_DUPLICATE_PARAM) {
            /* each is one of the capitalized second half */
            assert_true(s[w[i].offset] == 'X');
            dups++;
        }
    assert_int_equal(dups, N / 2);
    free(w);
    free(s);
    free(b.params);
}

/* A view filled by hand (same_name left 0) gets no false duplicate, and one
 * indexed with ag_params_index gets the true one. */
static void test_duplicates_hand_filled(void **state)
{
    (void)state;
    const char *text = "Digest realm=\"r\", nonce=\"n\", qop=\"auth\", a=1, A=2";
    ag_challenge c;
    ag_challenge_storage st;
    ag_challenge_init(&c, &st);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, text, strlen(text), &c, NULL), AG_OK);
    for (size_t i = 0; i < c.param_count; i++)
        c.params[i].same_name = 0; /* as a caller's memset would leave it */
    ag_warning w[8];
    size_t nw = ag_check(&c, w, 8);
    for (size_t i = 0; i < nw; i++)
        assert_int_not_equal(w[i].id, AG_W_DUPLICATE_PARAM);
    ag_params_index(c.params, c.param_count);
    nw = ag_check(&c, w, 8);
    size_t dups = 0;
    for (size_t i = 0; i < nw; i++)
        dups += w[i].id == AG_W_DUPLICATE_PARAM;
    assert_int_equal(dups, 1);
}

/* ag_params_index against pairwise comparison, on random names from a small
 * alphabet (many equal, many sharing prefixes), every size up to 70 */
static void test_index_random(void **state)
{
    (void)state;
    static char names[70][6];
    ag_param p[70];
    unsigned seed = 12345;
    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)round % 70 + 1;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            size_t len = (seed >> 16) % 4;
            for (size_t k = 0; k < len; k++) {
                seed = seed * 1103515245u + 12345u;
                names[i][k] = "aAbB"[(seed >> 16) % 4];
            }
            memset(&p[i], 0xff, sizeof p[i]);
            p[i].name = (ag_span){names[i], len};
        }
        ag_params_index(p, n);
        for (size_t i = 0; i < n; i++) {
            size_t first = i;
            for (size_t j = 0; j < i && first == i; j++)
                if (p[j].name.len == p[i].name.len && !strncasecmp(p[j].name.ptr, p[i].name.ptr, p[i].name.len))
                    first = j;
            assert_int_equal(p[i].same_name, first);
        }
    }
}

/* http: obs-folds are found first, then per parameter BWS and the rest: the
 * warnings still come out by offset, all of them */
static void test_warnings_in_order(void **state)
{
    (void)state;
    enum { N = 200 };
    size_t cap = 64 + N * 24;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t k = (size_t)snprintf(s, cap, "Digest realm=\"r\", nonce=\"n\", qop=\"auth\"");
    for (size_t i = 0; i < N; i++)
        k += (size_t)snprintf(s + k, cap - k, i % 2 ? ",\r\n a%zu = \"v\"" : ", a%zu =x", i);
    big b;
    big_init(&b, N + 3);
    ag_diag d;
    assert_int_equal(ag_parse(AG_PROFILE_HTTP, AG_INPUT_VALUE, s, k, &b.l, &d), AG_OK);
    ag_warning *w = calloc(4 * N, sizeof *w);
    assert_non_null(w);
    size_t nw = ag_check_list(&b.l, w, 4 * N);
    assert_true(nw <= 4 * N);
    size_t folds = 0, bws = 0;
    for (size_t i = 0; i < nw; i++) {
        if (i)
            assert_true(w[i - 1].offset <= w[i].offset);
        folds += w[i].id == AG_W_HTTP_OBS_FOLD;
        bws += w[i].id == AG_W_HTTP_BWS;
    }
    assert_int_equal(folds, N / 2);
    assert_int_equal(bws, N);
    free(w);
    free(s);
    free(b.params);
}

/* 16 doubled commas are read; the 17th is AG_ERR_LIMIT where it is */
static void test_lenient_limit(void **state)
{
    (void)state;
    char s[512];
    for (int n = 16; n <= 17; n++) {
        size_t k = (size_t)snprintf(s, sizeof s, "Digest realm=\"r\"");
        size_t last = 0;
        for (int i = 0; i < n; i++) {
            last = k + 1; /* the machine refuses the second comma */
            k += (size_t)snprintf(s + k, sizeof s - k, ",, a%d=b", i);
        }
        big b;
        big_init(&b, 64);
        ag_diag d;
        ag_status st = ag_parse_lenient(AG_PROFILE_SIP, AG_INPUT_VALUE, s, k, &b.l, &d);
        if (n == AG_LENIENT_MAX_SKIPS) {
            assert_int_equal(st, AG_OK);
            assert_int_equal(b.l.deviation_count, n);
        } else {
            assert_int_equal(st, AG_ERR_LIMIT);
            assert_int_equal(d.status, AG_ERR_LIMIT);
            assert_string_equal(d.rule, "lenient-limit");
            /* the second comma of the 17th ",," */
            assert_int_equal(d.offset, last);
            assert_int_equal(s[d.offset], ',');
            char msg[160];
            ag_diag_format(&d, msg, sizeof msg);
            assert_non_null(strstr(msg, "lenient-limit"));
        }
        free(b.params);
    }
}

/* realm="evil\<ESC>]0;pwned\<BEL>\<ESC>[2J\<NUL>x": conforming in sip,
 * written back byte for byte (the control bytes as quoted-pairs) */
static void test_control_bytes_round_trip(void **state)
{
    (void)state;
    static const char v[] = "Digest realm=\"evil\\\x1b]0;pwned\\\x07\\\x1b[2J\\\x00x\", nonce=\"n\", qop=\"auth\"";
    size_t n = sizeof v - 1;
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    ag_diag d;
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, n, &c, &d), AG_OK);
    char out[256];
    size_t len;
    ag_field_error e;
    assert_int_equal(ag_serialize(&c, AG_FORM_VALUE, out, sizeof out, &len, &e), AG_OK);
    assert_int_equal(len, n);
    assert_memory_equal(out, v, n);
    /* the builder escapes the same bytes from the unescaped value */
    static const char realm[] = "a\x00" "b\x1b" "c\x7f";
    ag_builder b;
    ag_builder_init(&b);
    ag_builder_challenge(&b, "Digest", AG_NTS);
    ag_builder_realm(&b, realm, sizeof realm - 1);
    ag_builder_nonce(&b, "n", AG_NTS);
    assert_int_equal(ag_builder_finish(&b, AG_FORM_VALUE, out, sizeof out, &len, &e), AG_OK);
    static const char want[] = "Digest realm=\"a\\\x00" "b\\\x1b" "c\\\x7f\", nonce=\"n\"";
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(out, want, len);
    /* http: quoted-pair carries no control byte; refused, nothing written */
    ag_builder_init(&b);
    ag_builder_profile(&b, AG_PROFILE_HTTP);
    ag_builder_challenge(&b, "Digest", AG_NTS);
    ag_builder_realm(&b, realm, sizeof realm - 1);
    ag_builder_nonce(&b, "n", AG_NTS);
    memset(out, 'Z', sizeof out);
    assert_int_not_equal(ag_builder_finish(&b, AG_FORM_VALUE, out, sizeof out, &len, &e), AG_OK);
    assert_int_equal(out[1], 'Z');
    /* CR and LF stay refused in both */
    ag_builder_init(&b);
    ag_builder_challenge(&b, "Digest", AG_NTS);
    ag_builder_realm(&b, "a\r\nb", AG_NTS);
    ag_builder_nonce(&b, "n", AG_NTS);
    assert_int_not_equal(ag_builder_finish(&b, AG_FORM_VALUE, out, sizeof out, &len, &e), AG_OK);
}

static void test_answer_line_nul(void **state)
{
    (void)state;
    static const char realm[] = "a\0b";
    ag_digest_answer a;
    memset(&a, 0, sizeof a);
    a.username = S("bob");
    a.realm = (ag_span){realm, 3};
    a.nonce = S("n1");
    a.uri = S("sip:bob@example.com");
    a.response = S("0123456789abcdef0123456789abcdef");
    a.qop = S("auth");
    a.nc = S("00000001");
    a.cnonce = S("c");
    char out[512];
    size_t len;
    ag_field_error e;
    assert_int_equal(ag_digest_answer_line(AG_PROFILE_SIP, AG_HEADER_PROXY_AUTHORIZATION, &a, out, sizeof out,
                                           &len, &e),
                     AG_OK);
    ag_credentials c;
    ag_credentials_storage st;
    ag_credentials_init(&c, &st);
    ag_diag d;
    assert_int_equal(ag_parse_credentials(AG_PROFILE_SIP, AG_INPUT_HEADER, out, len, &c, &d), AG_OK);
    char un[8];
    assert_int_equal(ag_unescape(c.realm, un, sizeof un), 3);
    assert_memory_equal(un, realm, 3);
    /* http: refused with the field named, nothing written */
    memset(out, 'Z', sizeof out);
    assert_int_equal(ag_digest_answer_line(AG_PROFILE_HTTP, AG_HEADER_AUTHORIZATION, &a, out, sizeof out, &len,
                                           &e),
                     AG_ERR_FIELD);
    assert_string_equal(e.field, "realm");
    assert_int_equal(out[1], 'Z');
    /* arguments */
    assert_int_equal(ag_digest_answer_line(AG_PROFILE_SIP, AG_HEADER_NONE, &a, out, sizeof out, &len, &e),
                     AG_ERR_ARGUMENT);
    a.username = (ag_span){NULL, 0};
    assert_int_equal(ag_digest_answer_line(AG_PROFILE_SIP, AG_HEADER_AUTHORIZATION, &a, out, sizeof out, &len,
                                           &e),
                     AG_ERR_ARGUMENT);
    a.username = S("bob");
    a.opaque = (ag_span){NULL, 3};
    assert_int_equal(ag_digest_answer_line(AG_PROFILE_SIP, AG_HEADER_AUTHORIZATION, &a, out, sizeof out, &len,
                                           &e),
                     AG_ERR_ARGUMENT);
}

/* a hand-filled parameter whose value is {NULL, 0}: written as "" or
 * refused, without arithmetic on the null pointer (UBSan aborts on it) */
static void test_null_empty_value(void **state)
{
    (void)state;
    ag_param p[2];
    memset(p, 0, sizeof p);
    p[0].name = S("realm");
    p[0].kind = AG_PARAM_REALM;
    p[0].quoted = 1;
    p[0].value = (ag_span){NULL, 0};
    p[1].name = S("x");
    p[1].kind = AG_PARAM_GENERIC;
    p[1].quoted = 1;
    p[1].value = (ag_span){NULL, 0};
    ag_challenge c;
    memset(&c, 0, sizeof c);
    c.profile = AG_PROFILE_SIP;
    c.scheme = S("Digest");
    c.scheme_id = AG_SCHEME_DIGEST;
    c.params = p;
    c.param_count = c.param_cap = 2;
    char out[128];
    size_t len;
    ag_field_error e;
    assert_int_equal(ag_serialize(&c, AG_FORM_VALUE, out, sizeof out, &len, &e), AG_OK);
    assert_int_equal(len, strlen("Digest realm=\"\", x=\"\""));
    assert_memory_equal(out, "Digest realm=\"\", x=\"\"", len);
    /* and checked: no warning needs the missing bytes */
    ag_params_index(p, 2);
    ag_warning w[8];
    assert_true(ag_check(&c, w, 8) <= 8);
}

/* http: username* is an RFC 5987 ext-value, not a token ("{" is a
 * mime-charsetc): written back as it was read (fuzz/h_credentials found the
 * serializer checking it as a token) */
static void test_bare_ext_value(void **state)
{
    (void)state;
    static const char *const inputs[] = {"Digest username*={''", "Digest username*={}'en'J%C3%A4s"};
    for (size_t i = 0; i < 2; i++) {
        ag_credentials c;
        ag_credentials_storage st;
        ag_credentials_init(&c, &st);
        ag_diag d;
        const char *in = inputs[i];
        assert_int_equal(ag_parse_credentials(AG_PROFILE_HTTP, AG_INPUT_VALUE, in, strlen(in), &c, &d), AG_OK);
        assert_int_equal(c.params[0].kind, AG_PARAM_USERNAME_EXT);
        char out[128];
        size_t len;
        ag_field_error e;
        assert_int_equal(ag_serialize_credentials(&c, AG_FORM_VALUE, out, sizeof out, &len, &e), AG_OK);
        assert_int_equal(len, strlen(in));
        assert_memory_equal(out, in, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duplicates_many),
        cmocka_unit_test(test_duplicates_hand_filled),
        cmocka_unit_test(test_index_random),
        cmocka_unit_test(test_warnings_in_order),
        cmocka_unit_test(test_lenient_limit),
        cmocka_unit_test(test_control_bytes_round_trip),
        cmocka_unit_test(test_answer_line_nul),
        cmocka_unit_test(test_null_empty_value),
        cmocka_unit_test(test_bare_ext_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
