/* SPDX-License-Identifier: MIT */
/* Harness "parse": every input, in both profiles, as a value and as a header
 * line.  Invariants: the capture parser accepts exactly what the plain
 * recognizer of the same entry accepts; a refusal is a named syntax error at
 * the recognizer's offset; every span of an accepted input lies inside it;
 * the checks run; in sip the one-challenge calls agree with ag_parse. */
#include <string.h>

#include "fuzz.h"
#include "internal.h"

static void inside(const char *buf, size_t len, ag_span s, const char *what)
{
    FUZZ_CHECK(!s.ptr || (s.ptr >= buf && s.len <= len && (size_t)(s.ptr - buf) <= len - s.len),
               "%s span outside the input", what);
}

static void check_accepted(const char *buf, size_t len, const ag_challenge_list *l)
{
    FUZZ_CHECK(l->count >= 1 && l->count <= l->cap, "count %zu of cap %zu", l->count, l->cap);
    for (size_t k = 0; k < l->count; k++) {
        const ag_challenge *c = &l->challenges[k];
        inside(buf, len, c->scheme, "scheme");
        FUZZ_CHECK(c->scheme.ptr && c->scheme.len, "challenge %zu without a scheme", k);
        inside(buf, len, c->token68, "token68");
        inside(buf, len, c->realm, "realm");
        inside(buf, len, c->nonce, "nonce");
        inside(buf, len, c->opaque, "opaque");
        inside(buf, len, c->algorithm_raw, "algorithm");
        inside(buf, len, c->charset, "charset");
        FUZZ_CHECK(c->param_count <= c->param_cap && c->qop_count <= c->qop_cap &&
                       c->domain_count <= c->domain_cap,
                   "counts beyond caps");
        size_t last = 0;
        for (size_t i = 0; i < c->param_count; i++) {
            const ag_param *p = &c->params[i];
            inside(buf, len, p->name, "param name");
            inside(buf, len, p->value, "param value");
            FUZZ_CHECK(p->name.len && p->offset == (size_t)(p->name.ptr - buf),
                       "param %zu: offset %zu is not its name's", i, p->offset);
            FUZZ_CHECK(i == 0 || p->offset > last, "params out of order");
            last = p->offset;
        }
        for (size_t i = 0; i < c->qop_count; i++)
            inside(buf, len, c->qop[i].raw, "qop");
        for (size_t i = 0; i < c->domain_count; i++)
            inside(buf, len, c->domain[i], "domain");
    }
    ag_warning w[64];
    size_t nw = ag_check_list(l, w, 64);
    for (size_t i = 0; i < nw && i < 64; i++) {
        FUZZ_CHECK(w[i].offset <= len, "warning %s at offset %zu of %zu", ag_warning_name(w[i].id),
                   w[i].offset, len);
        FUZZ_CHECK(ag_warning_name(w[i].id)[0], "warning without a name");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    for (int p = 0; p < 2; p++) {
        const ag_prof *P = ag_prof_of(fuzz_profiles[p]);
        for (int i = 0; i < 2; i++) {
            ag_input in = fuzz_inputs[i];
            static ag_list_storage st;
            ag_challenge_list l;
            ag_challenge_list_init(&l, &st);
            ag_diag d;
            ag_status rc = ag_parse(fuzz_profiles[p], in, buf, size, &l, &d);
            size_t fail = 0;
            int entry = in == AG_INPUT_HEADER ? P->e_header : P->e_value;
            int ok = ag_recognize(P->g, entry, data, size, &fail);
            FUZZ_CHECK(ok == (rc == AG_OK || rc == AG_ERR_CAPACITY),
                       "profile %d input %d: recognizer %d, parser %s", p, i, ok, ag_status_name(rc));
            if (rc == AG_ERR_SYNTAX) {
                FUZZ_CHECK(d.offset == fail, "diag offset %zu, recognizer %zu", d.offset, fail);
                FUZZ_CHECK(d.at_end == (d.offset == size), "at_end %d at %zu of %zu", d.at_end,
                           d.offset, size);
                FUZZ_CHECK(d.rule && d.rule[0], "a syntax error without a rule");
                char msg[256];
                FUZZ_CHECK(ag_diag_format(&d, msg, sizeof msg) > 0, "empty diagnostic");
            } else if (rc == AG_OK) {
                check_accepted(buf, size, &l);
            } else {
                FUZZ_CHECK(rc == AG_ERR_CAPACITY, "ag_parse: %s", ag_status_name(rc));
            }
            if (fuzz_profiles[p] != AG_PROFILE_SIP)
                continue;
            ag_challenge_storage cs;
            ag_challenge c;
            ag_challenge_init(&c, &cs);
            ag_status rc1 = ag_parse_challenge(AG_PROFILE_SIP, in, buf, size, &c, NULL);
            FUZZ_CHECK(rc1 == rc || rc1 == AG_ERR_CAPACITY || rc == AG_ERR_CAPACITY,
                       "sip: ag_parse %s, one-challenge call %s", ag_status_name(rc),
                       ag_status_name(rc1));
            if (rc == AG_OK && rc1 == AG_OK) {
                ag_warning w[64];
                ag_check(&c, w, 64);
            }
        }
    }
    return 0;
}
