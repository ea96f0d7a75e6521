/* Harness "diff": the Ragel machines against the re2c twin, two engines
 * compiled from the same ABNF by different emitters.  For every entry point
 * of both profiles they must agree on accept/reject, and so must the
 * capture parser (with its priorities and actions) for the value and
 * header entries.  A disagreement means one emitter, or the capture layer,
 * is wrong. */
#include "fuzz.h"
#include "internal.h"
#include "twin.h"

typedef int (*twin_fn)(int entry, const unsigned char *buf, size_t len);

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
            if (e != P->e_value && e != P->e_header)
                continue;
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
