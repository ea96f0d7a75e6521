/* SPDX-License-Identifier: MIT */
/* Harness "diff": the Ragel machines against the re2c twin, two engines
 * compiled from the same ABNF by different emitters.  For every entry point
 * of both profiles they must agree on accept/reject, and so must the
 * capture parser (with its priorities and actions) for the value and
 * header entries.  A disagreement means one emitter, or the capture layer,
 * is wrong.  And leaping (src/leap.h) must change nothing: each machine
 * ends in the same state read byte by byte, and each parser gives the same
 * status, failing offset and parameters. */
#include "fuzz.h"
#include "internal.h"
#include "twin.h"

typedef int (*twin_fn)(int entry, const unsigned char *buf, size_t len);

/* the parameters of two parses of the same bytes: the same spans */
static int same_params(const ag_param *a, const ag_param *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].name.ptr != b[i].name.ptr || a[i].name.len != b[i].name.len || a[i].value.ptr != b[i].value.ptr ||
            a[i].value.len != b[i].value.len || a[i].kind != b[i].kind || a[i].quoted != b[i].quoted)
            return 0;
    return 1;
}

static void leap_same(ag_profile profile, int header, const uint8_t *data, size_t size)
{
    static ag_list_storage st[2];
    ag_challenge_list l[2];
    ag_status rc[2];
    size_t at[2];
    for (int k = 0; k < 2; k++) {
        ag_challenge_list_init(&l[k], &st[k]);
        at[k] = 0;
        if (profile == AG_PROFILE_HTTP)
            rc[k] = ag_parse_http_leap(header, (const char *)data, size, NULL, 0, &l[k], NULL, &at[k], k);
        else {
            ag_challenge *c = &l[k].challenges[0];
            c->params = l[k].params;
            c->param_cap = l[k].param_cap;
            c->qop = l[k].qop;
            c->qop_cap = l[k].qop_cap;
            c->domain = l[k].domain;
            c->domain_cap = l[k].domain_cap;
            rc[k] = ag_parse_sip_leap(header, (const char *)data, size, NULL, 0, c, NULL, &at[k], k);
            l[k].param_count = c->param_count < c->param_cap ? c->param_count : c->param_cap;
        }
    }
    FUZZ_CHECK(rc[0] == rc[1] && (rc[0] == AG_OK || at[0] == at[1]),
               "profile %d: reading %s at %zu, leaping %s at %zu", (int)profile, ag_status_name(rc[0]), at[0],
               ag_status_name(rc[1]), at[1]);
    if (rc[0] == AG_OK)
        FUZZ_CHECK(l[0].param_count == l[1].param_count &&
                       same_params(l[0].params, l[1].params, l[0].param_count),
                   "profile %d: reading and leaping give different parameters", (int)profile);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const twin_fn twins[2] = {ag_twin_sip, ag_twin_http};
    static const int *const counts[2] = {&ag_twin_sip_nentries, &ag_twin_http_nentries};
    static const char *const *const names[2] = {ag_twin_sip_entry_names, ag_twin_http_entry_names};
    for (int p = 0; p < 2; p++) {
        const ag_prof *P = ag_prof_of(fuzz_profiles[p]);
        for (int e = 0; e < *counts[p]; e++) {
            size_t fail;
            int ragel = ag_recognize(P->g, e, data, size, &fail);
            int twin = twins[p](e, data, size);
            FUZZ_CHECK(ragel == twin, "profile %d entry %s: ragel %d, re2c twin %d", p, names[p][e],
                       ragel, twin);
            const unsigned char *stop[2];
            int cs[2];
            for (int k = 0; k < 2; k++)
                cs[k] = ag_plain_run(P->g, e, *P->g->plain[e]->start, data, data + size, &stop[k], k);
            FUZZ_CHECK(cs[0] == cs[1] && (cs[0] || stop[0] == stop[1]),
                       "profile %d entry %s: reading ends in state %d, leaping in %d", p, names[p][e], cs[0],
                       cs[1]);
            if (e != P->e_value && e != P->e_header)
                continue;
            leap_same(fuzz_profiles[p], e == P->e_header, data, size);
            static ag_list_storage st;
            ag_challenge_list l;
            ag_challenge_list_init(&l, &st);
            ag_status rc = ag_parse(fuzz_profiles[p], e == P->e_header ? AG_INPUT_HEADER : AG_INPUT_VALUE,
                                    (const char *)data, size, &l, NULL);
            FUZZ_CHECK((rc == AG_OK || rc == AG_ERR_CAPACITY) == (twin == 1),
                       "profile %d entry %s: capture parser %s, re2c twin %d", p, names[p][e],
                       ag_status_name(rc), twin);
        }
    }
    return 0;
}
