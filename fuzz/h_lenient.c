/* SPDX-License-Identifier: MIT */
/* Harness "lenient": the lenient reading of every input, both profiles,
 * value and header line.  Invariants: it accepts everything the strict
 * parser accepts, with no deviation and the same fields; where it refuses,
 * the strict parser refuses at the same offset; what it accepts is written
 * by the serializer in strict form (or refused by design for a control byte
 * in a quoted value), and that output parses strictly to the same fields. */
#include <string.h>

#include "chdiff.h"
#include "fuzz.h"

/* Strict input read leniently: the same list, but that a parameter the
 * strict grammar takes only as a generic auth-param may be typed (its
 * lenient flag set, and a typing deviation reported); no structural
 * deviation, since nothing was skipped. */
static void same_but_typed(const ag_challenge_list *s, const ag_challenge_list *l, int p, int i)
{
    for (size_t k = 0; k < l->deviation_count && k < AG_LIST_DEVIATIONS; k++) {
        ag_warning_id id = l->deviations[k].id;
        FUZZ_CHECK(id == AG_W_LENIENT_UNQUOTED || id == AG_W_LENIENT_QUOTED ||
                       id == AG_W_LENIENT_QOP_LIST || id == AG_W_LENIENT_DOMAIN_COMMA,
                   "profile %d input %d: deviation %s at %zu in strict input", p, i,
                   ag_warning_name(id), l->deviations[k].offset);
    }
    FUZZ_CHECK(s->count == l->count, "profile %d input %d: %zu challenges, leniently %zu", p, i,
               s->count, l->count);
    size_t typed = 0;
    for (size_t k = 0; k < s->count; k++) {
        const ag_challenge *a = &s->challenges[k], *b = &l->challenges[k];
        FUZZ_CHECK(a->param_count == b->param_count && a->scheme.ptr == b->scheme.ptr &&
                       a->token68.ptr == b->token68.ptr,
                   "profile %d input %d: challenge %zu differs", p, i, k);
        for (size_t j = 0; j < a->param_count; j++) {
            const ag_param *x = &a->params[j], *y = &b->params[j];
            FUZZ_CHECK(x->name.ptr == y->name.ptr && x->name.len == y->name.len,
                       "profile %d input %d: param %zu differs", p, i, j);
            if (y->lenient) {
                /* typed from a generic auth-param, or a domain whose
                 * "URI," items are read as URIs and commas (documented) */
                FUZZ_CHECK((x->kind == AG_PARAM_GENERIC && y->kind != AG_PARAM_GENERIC) ||
                               (x->kind == AG_PARAM_DOMAIN && y->kind == AG_PARAM_DOMAIN),
                           "profile %d input %d: param %zu typed leniently from kind %d", p, i, j,
                           x->kind);
                typed++;
                continue;
            }
            FUZZ_CHECK(x->kind == y->kind && x->quoted == y->quoted && x->value.ptr == y->value.ptr &&
                           x->value.len == y->value.len,
                       "profile %d input %d: param %zu read differently", p, i, j);
        }
    }
    FUZZ_CHECK((typed == 0) == (l->deviation_count == 0),
               "profile %d input %d: %zu typed, %zu deviations", p, i, typed, l->deviation_count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    for (int p = 0; p < 2; p++) {
        for (int i = 0; i < 2; i++) {
            ag_profile prof = fuzz_profiles[p];
            ag_input in = fuzz_inputs[i];
            static ag_list_storage s1, s2, s3;
            ag_challenge_list strict, len_l, back;
            ag_challenge_list_init(&strict, &s1);
            ag_challenge_list_init(&len_l, &s2);
            ag_diag ds, dl;
            ag_status rs = ag_parse(prof, in, buf, size, &strict, &ds);
            ag_status rl = ag_parse_lenient(prof, in, buf, size, &len_l, &dl);
            if (rs == AG_OK) {
                FUZZ_CHECK(rl == AG_OK, "profile %d input %d: strict accepts, lenient %s", p, i,
                           ag_status_name(rl));
                same_but_typed(&strict, &len_l, p, i);
            }
            if (rl == AG_ERR_SYNTAX) {
                FUZZ_CHECK(rs == AG_ERR_SYNTAX && ds.offset == dl.offset,
                           "lenient refuses at %zu, strict %s at %zu", dl.offset, ag_status_name(rs),
                           ds.offset);
                continue;
            }
            if (rl != AG_OK)
                continue; /* AG_ERR_CAPACITY: nothing read */
            ag_warning w[64];
            size_t nw = ag_check_list(&len_l, w, 64);
            for (size_t k = 0; k < nw && k < 64; k++)
                FUZZ_CHECK(w[k].offset <= size, "warning %s beyond the input", ag_warning_name(w[k].id));
            size_t len = 0;
            ag_challenge_list_init(&back, &s3);
            char *out = fuzz_write_back(&len_l, prof, in, CHDIFF_NO_WARNINGS, &back, &len, "lenient");
            free(out);
        }
    }
    return 0;
}
