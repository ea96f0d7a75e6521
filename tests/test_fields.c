/* SPDX-License-Identifier: MIT */
/* The generated field and literal tables (tags 'field' slots, 'literals'):
 *  - ag_literal_in, which compares 16 bytes at once through each literal's
 *    fold mask, types exactly as a byte-by-byte compare would (ASCII case
 *    folded for letters of a case-insensitive literal only), over every
 *    literal of both grammars, their case variants and one-byte mutants;
 *  - the form (quoted or bare) derived from each production is the RFC's;
 *  - every field's slots lie inside their view, and the parsers fill the
 *    typed views where the slots say: the first occurrence, typed by the
 *    field's literals, a value they do not list typed OTHER. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <string.h>

#include "internal.h"

/* the reference: what the literal means by RFC 5234 */
static int slow_in(const ag_gen_literals *set, const char *s, size_t n, int fallback)
{
    for (int k = 0; k < set->n; k++) {
        const ag_gen_literal *l = &set->items[k];
        if ((size_t)l->len != n)
            continue;
        int eq = 1;
        for (size_t i = 0; i < n && eq; i++) {
            unsigned char a = (unsigned char)s[i], b = (unsigned char)l->text[i];
            eq = l->case_sensitive ? a == b : tolower(a) == tolower(b);
        }
        if (eq)
            return l->value;
    }
    return fallback;
}

static void check_one(const ag_gen_literals *set, const char *s, size_t n)
{
    int got = ag_literal_in(set, s, n, -7), want = slow_in(set, s, n, -7);
    if (got != want)
        fail_msg("'%.*s' (%zu bytes): %d, the reference says %d", (int)n, s, n, got, want);
}

static void test_literal_compare(void **state)
{
    (void)state;
    int sets = 0, matched = 0;
    for (int p = 0; p < 2; p++) {
        const ag_gen_grammar *g = ag_prof_of(p ? AG_PROFILE_HTTP : AG_PROFILE_SIP)->g;
        for (int i = 0; i < g->nlits; i++, sets++) {
            const ag_gen_literals *set = &g->lits[i];
            for (int k = 0; k < set->n; k++) {
                const ag_gen_literal *l = &set->items[k];
                char buf[40];
                size_t n = (size_t)l->len;
                assert_true(n + 2 <= sizeof buf);
                memcpy(buf, l->text, n);
                check_one(set, buf, n);
                matched += ag_literal_in(set, buf, n, -7) == l->value;
                /* every case flip, every byte changed to its neighbours and
                 * to the bytes one ASCII case bit away ('^' and '~', '@'
                 * and '`'), one byte more and one less */
                for (size_t j = 0; j < n; j++) {
                    static const int delta[] = {0x20, -0x20, 1, -1, 0x40};
                    char keep = buf[j];
                    for (size_t d = 0; d < sizeof delta / sizeof delta[0]; d++) {
                        buf[j] = (char)(keep + delta[d]);
                        check_one(set, buf, n);
                    }
                    buf[j] = (char)toupper((unsigned char)keep);
                    check_one(set, buf, n);
                    buf[j] = keep;
                }
                buf[n] = 'x';
                check_one(set, buf, n + 1);
                buf[n] = 0; /* a NUL where the padding is */
                check_one(set, buf, n + 1);
                check_one(set, buf, n ? n - 1 : 0);
            }
            /* longer than any literal: the slow path */
            check_one(set, "abcdefghijklmnopq", 17);
        }
    }
    assert_true(sets >= 6 && matched > 20); /* registries, stale, userhash */
}

static void test_slots_in_views(void **state)
{
    (void)state;
    for (int p = 0; p < 2; p++) {
        const ag_gen_grammar *g = ag_prof_of(p ? AG_PROFILE_HTTP : AG_PROFILE_SIP)->g;
        int typed = 0;
        for (int i = 0; i < g->nfields; i++) {
            const ag_gen_field *f = &g->fields[i];
            static const size_t size[2] = {sizeof(ag_challenge), sizeof(ag_credentials)};
            for (int v = 0; v < 2; v++) {
                assert_true(f->span_at[v] < 0 || (size_t)f->span_at[v] + sizeof(ag_span) <= size[v]);
                assert_true(f->enum_at[v] < 0 || (size_t)f->enum_at[v] + sizeof(int) <= size[v]);
                typed += f->span_at[v] >= 0 || f->enum_at[v] >= 0;
            }
            assert_true((f->enum_at[0] < 0 && f->enum_at[1] < 0) ||
                        (f->lit_set >= 0 && f->lit_set < g->nlits && g->lits[f->lit_set].rule == f->lit_rule));
            assert_ptr_equal(ag_field_of_kind(g, (ag_param_kind)f->kind), f);
        }
        assert_true(typed >= 14);
    }
}

/* The forms the generator derives from the productions: RFC 3261 section
 * 25.1 and RFC 7616 quote every value but algorithm, stale, nc, the
 * message qop, charset, userhash and username*. */
static void test_forms(void **state)
{
    (void)state;
    static const char *const bare[] = {"algorithm", "stale", "nc", "charset", "userhash", "username*"};
    for (int p = 0; p < 2; p++) {
        const ag_gen_grammar *g = ag_prof_of(p ? AG_PROFILE_HTTP : AG_PROFILE_SIP)->g;
        for (int i = 0; i < g->nfields; i++) {
            const ag_gen_field *f = &g->fields[i];
            int want = f->kind == AG_PARAM_MESSAGE_QOP ? AG_GEN_FORM_TOKEN : AG_GEN_FORM_QUOTED;
            for (size_t k = 0; k < sizeof bare / sizeof bare[0]; k++)
                if (!strcmp(f->name, bare[k]))
                    want = AG_GEN_FORM_TOKEN;
            if (f->form != want)
                fail_msg("%s: %s has form %d, not %d", g->profile, f->name, f->form, want);
        }
    }
}

/* A kind's name is its production's rule in the profile's grammar. */
static void test_kind_rule(void **state)
{
    (void)state;
    for (int p = 0; p < 2; p++) {
        ag_profile profile = p ? AG_PROFILE_HTTP : AG_PROFILE_SIP;
        const ag_gen_grammar *g = ag_prof_of(profile)->g;
        for (int i = 0; i < g->nfields; i++)
            assert_string_equal(ag_param_kind_rule(profile, (ag_param_kind)g->fields[i].kind),
                                g->rule_names[g->fields[i].rule]);
        assert_string_equal(ag_param_kind_rule(profile, AG_PARAM_GENERIC), "auth-param");
    }
    assert_string_equal(ag_param_kind_rule(AG_PROFILE_SIP, AG_PARAM_RESPONSE), "dresponse");
    assert_string_equal(ag_param_kind_rule(AG_PROFILE_HTTP, AG_PARAM_RESPONSE), "response");
    assert_string_equal(ag_param_kind_rule(AG_PROFILE_SIP, AG_PARAM_QOP), "qop-options");
    assert_null(ag_param_kind_rule(AG_PROFILE_HTTP, AG_PARAM_AUTS)); /* sip's RFC 3310 only */
    assert_null(ag_param_kind_rule(AG_PROFILE_SIP, AG_PARAM_CHARSET));
    assert_null(ag_param_kind_rule((ag_profile)7, AG_PARAM_REALM));
    assert_null(ag_param_kind_rule(AG_PROFILE_SIP, (ag_param_kind)1000));
}

/* Header names come from the grammar's header table. */
static void test_header_names(void **state)
{
    (void)state;
    assert_string_equal(ag_header_name(AG_HEADER_PROXY_AUTHENTICATE), "Proxy-Authenticate");
    assert_string_equal(ag_header_name(AG_HEADER_WWW_AUTHENTICATE), "WWW-Authenticate");
    assert_string_equal(ag_header_name(AG_HEADER_PROXY_AUTHORIZATION), "Proxy-Authorization");
    assert_string_equal(ag_header_name(AG_HEADER_AUTHORIZATION), "Authorization");
    assert_null(ag_header_name(AG_HEADER_NONE));
    /* what answers each (tags answer=) */
    assert_int_equal(ag_header_answer(AG_HEADER_PROXY_AUTHENTICATE), AG_HEADER_PROXY_AUTHORIZATION);
    assert_int_equal(ag_header_answer(AG_HEADER_WWW_AUTHENTICATE), AG_HEADER_AUTHORIZATION);
    assert_int_equal(ag_header_answer(AG_HEADER_AUTHORIZATION), AG_HEADER_NONE);
    assert_int_equal(ag_header_answer(AG_HEADER_NONE), AG_HEADER_NONE);
    assert_null(ag_header_name((ag_header)99));
    /* and the parser records the header its name says */
    static ag_list_storage st;
    ag_challenge_list l;
    for (int p = 0; p < 2; p++) {
        ag_challenge_list_init(&l, &st);
        static const char line[] = "www-authenticate: Digest realm=\"r\", nonce=\"n\"";
        assert_int_equal(ag_parse(p ? AG_PROFILE_HTTP : AG_PROFILE_SIP, AG_INPUT_HEADER, line, sizeof line - 1,
                                  &l, NULL),
                         AG_OK);
        assert_int_equal(l.challenges[0].header, AG_HEADER_WWW_AUTHENTICATE);
    }
}

static void test_views_filled(void **state)
{
    (void)state;
    for (int p = 0; p < 2; p++) {
        ag_profile profile = p ? AG_PROFILE_HTTP : AG_PROFILE_SIP;
        static ag_list_storage st;
        ag_challenge_list l;
        ag_challenge_list_init(&l, &st);
        static const char ch[] = "Digest realm=\"r1\", nonce=\"n1\", algorithm=sha-256-SESS, stale=TRUE, "
                                 "opaque=\"o1\", realm=\"r2\", algorithm=MD5, stale=false";
        assert_int_equal(ag_parse(profile, AG_INPUT_VALUE, ch, sizeof ch - 1, &l, NULL), AG_OK);
        assert_int_equal(l.count, 1);
        const ag_challenge c = l.challenges[0];
        assert_int_equal(c.realm.len, 2);
        assert_memory_equal(c.realm.ptr, "r1", 2); /* the first occurrence */
        assert_memory_equal(c.nonce.ptr, "n1", 2);
        assert_memory_equal(c.opaque.ptr, "o1", 2);
        assert_int_equal(c.algorithm, AG_ALGORITHM_SHA_256_SESS);
        assert_int_equal(c.algorithm_raw.len, 12);
        assert_int_equal(c.stale, AG_STALE_TRUE);
        /* the same storage again: nothing of the first parse is left */
        static const char again[] = "Digest nonce=\"x\"";
        assert_int_equal(ag_parse(profile, AG_INPUT_VALUE, again, sizeof again - 1, &l, NULL), AG_OK);
        assert_null(l.challenges[0].realm.ptr);
        assert_null(l.challenges[0].algorithm_raw.ptr);
        assert_int_equal(l.challenges[0].algorithm, AG_ALGORITHM_NONE);
        assert_int_equal(l.challenges[0].stale, AG_STALE_UNSET);

        ag_credentials_storage cst;
        ag_credentials cr;
        ag_credentials_init(&cr, &cst);
        static const char an[] = "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:a@b\", "
                                 "response=\"0123456789abcdef0123456789abcdef\", algorithm=unknown-alg, "
                                 "cnonce=\"c\", qop=AUTH-int, nc=0000000a, opaque=\"o\", username=\"v\"";
        assert_int_equal(ag_parse_credentials(profile, AG_INPUT_VALUE, an, sizeof an - 1, &cr, NULL), AG_OK);
        assert_memory_equal(cr.username.ptr, "u", 1);
        assert_memory_equal(cr.uri.ptr, "sip:a@b", 7);
        assert_int_equal(cr.response.len, 32);
        assert_memory_equal(cr.cnonce.ptr, "c", 1);
        assert_memory_equal(cr.nc.ptr, "0000000a", 8);
        assert_memory_equal(cr.opaque.ptr, "o", 1);
        assert_memory_equal(cr.realm.ptr, "r", 1);
        assert_memory_equal(cr.nonce.ptr, "n", 1);
        assert_int_equal(cr.algorithm, AG_ALGORITHM_OTHER); /* not in the registry */
        assert_int_equal(cr.algorithm_raw.len, 11);
        assert_int_equal(cr.qop, AG_QOP_AUTH_INT);
        assert_int_equal(cr.qop_raw.len, 8);
    }
}

/* A URI that is not one makes its parameter the generic auth-param, in both
 * profiles, whether or not the profile's machines read URIs as the closure
 * of their bytes and confirm them afterwards (grammar/http.tags 'defer'):
 * "%zz" has only bytes a URI may contain, and is not a URI. */
static void test_deferred_spans(void **state)
{
    (void)state;
    for (int p = 0; p < 2; p++) {
        ag_profile profile = p ? AG_PROFILE_HTTP : AG_PROFILE_SIP;
        static ag_list_storage st;
        ag_challenge_list l;
        ag_challenge_list_init(&l, &st);
        static const char bad[] = "Digest realm=\"r\", domain=\"/a %zz\", nonce=\"n\"";
        assert_int_equal(ag_parse(profile, AG_INPUT_VALUE, bad, sizeof bad - 1, &l, NULL), AG_OK);
        const ag_challenge *c = &l.challenges[0];
        assert_int_equal(c->param_count, 3);
        assert_int_equal(c->params[1].kind, AG_PARAM_GENERIC);
        assert_int_equal(c->domain_count, 0);
        assert_int_equal(c->params[2].kind, AG_PARAM_NONCE); /* the next one is read afresh */
        static const char good[] = "Digest realm=\"r\", domain=\"/a /b%4a\", nonce=\"n\"";
        assert_int_equal(ag_parse(profile, AG_INPUT_VALUE, good, sizeof good - 1, &l, NULL), AG_OK);
        assert_int_equal(c->params[1].kind, AG_PARAM_DOMAIN);
        assert_int_equal(c->domain_count, 2);
        assert_int_equal(c->domain[1].len, 5);
        /* the domain that failed does not spoil a later one */
        static const char both[] = "Digest domain=\"%zz\", domain=\"/c\"";
        assert_int_equal(ag_parse(profile, AG_INPUT_VALUE, both, sizeof both - 1, &l, NULL), AG_OK);
        assert_int_equal(c->params[0].kind, AG_PARAM_GENERIC);
        assert_int_equal(c->params[1].kind, AG_PARAM_DOMAIN);
        assert_int_equal(c->domain_count, 1);
        assert_memory_equal(c->domain[0].ptr, "/c", 2);

        ag_credentials_storage cst;
        ag_credentials cr;
        ag_credentials_init(&cr, &cst);
        static const char an[] = "Digest username=\"u\", uri=\"%zz\", realm=\"r\"";
        assert_int_equal(ag_parse_credentials(profile, AG_INPUT_VALUE, an, sizeof an - 1, &cr, NULL), AG_OK);
        assert_int_equal(cr.params[1].kind, AG_PARAM_GENERIC);
        assert_null(cr.uri.ptr);
        static const char ok[] = "Digest username=\"u\", uri=\"sip:x%4a@h\", realm=\"r\"";
        assert_int_equal(ag_parse_credentials(profile, AG_INPUT_VALUE, ok, sizeof ok - 1, &cr, NULL), AG_OK);
        assert_int_equal(cr.params[1].kind, AG_PARAM_URI);
        assert_memory_equal(cr.uri.ptr, "sip:x%4a@h", 10);
    }
}

/* ag_parse_challenge reads as ag_parse does, into the caller's one
 * challenge, whose capacities stay the caller's; a too-small array says how
 * much was needed; an http list of two is ag_parse's to read. */
static void test_single_challenge(void **state)
{
    (void)state;
    static const char v[] = "Digest realm=\"r\", qop=\"auth,auth-int\", domain=\"/a /b\", nonce=\"n\"";
    static ag_list_storage ls;
    ag_challenge_list l;
    ag_challenge_list_init(&l, &ls);
    assert_int_equal(ag_parse(AG_PROFILE_SIP, AG_INPUT_VALUE, v, sizeof v - 1, &l, NULL), AG_OK);
    static ag_challenge_storage cs;
    ag_challenge c;
    ag_challenge_init(&c, &cs);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, sizeof v - 1, &c, NULL), AG_OK);
    assert_int_equal(c.param_count, l.challenges[0].param_count);
    for (size_t i = 0; i < c.param_count; i++)
        assert_int_equal(c.params[i].kind, l.challenges[0].params[i].kind);
    assert_int_equal(c.qop_count, 2);
    assert_int_equal(c.domain_count, 2);
    assert_int_equal(c.param_cap, AG_STORAGE_PARAMS);
    assert_int_equal(c.qop_cap, AG_STORAGE_QOP);
    assert_int_equal(c.domain_cap, AG_STORAGE_DOMAIN);
    assert_ptr_equal(c.params, cs.params);
    static const char h[] = "WWW-Authenticate: Digest realm=\"r\"\r\n";
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_HEADER, h, sizeof h - 1, &c, NULL), AG_OK);
    assert_int_equal(c.header, AG_HEADER_WWW_AUTHENTICATE);
    ag_param two[2];
    c.params = two;
    c.param_cap = 2;
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, sizeof v - 1, &c, NULL), AG_ERR_CAPACITY);
    assert_int_equal(c.param_count, 4);
    assert_int_equal(c.param_cap, 2);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, sizeof v - 1, NULL, NULL), AG_ERR_ARGUMENT);
    ag_challenge_init(&c, &cs);
    static const char one[] = "Digest realm=\"r\", nonce=\"n\"", list[] = "Basic realm=\"a\", Digest realm=\"b\"";
    assert_int_equal(ag_parse_challenge(AG_PROFILE_HTTP, AG_INPUT_VALUE, one, sizeof one - 1, &c, NULL), AG_OK);
    assert_int_equal(c.profile, AG_PROFILE_HTTP);
    assert_int_equal(c.param_count, 2);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_HTTP, AG_INPUT_VALUE, list, sizeof list - 1, &c, NULL),
                     AG_ERR_CAPACITY);
    assert_int_equal(c.param_cap, AG_STORAGE_PARAMS);
    assert_int_equal(ag_parse_challenge((ag_profile)9, AG_INPUT_VALUE, one, sizeof one - 1, &c, NULL), AG_ERR_ARGUMENT);
    assert_int_equal(ag_parse_challenge(AG_PROFILE_SIP, (ag_input)9, one, sizeof one - 1, &c, NULL), AG_ERR_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_compare),
        cmocka_unit_test(test_slots_in_views),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_kind_rule),
        cmocka_unit_test(test_header_names),
        cmocka_unit_test(test_views_filled),
        cmocka_unit_test(test_deferred_spans),
        cmocka_unit_test(test_single_challenge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
