/* SPDX-License-Identifier: MIT */
/* Harness "roundtrip": whatever parses (either profile, value or header
 * line) is serialized and parsed again.  Invariants: the serializer writes
 * it unless a quoted value carries a control byte (refused by design, with
 * AG_ERR_FIELD); the output has no CR or LF but the final CRLF of a header
 * line; it parses back to the same fields and warnings (but for those of the
 * list's own form); and the canonical output comes back byte for byte. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    for (int p = 0; p < 2; p++) {
        for (int i = 0; i < 2; i++) {
            ag_profile prof = fuzz_profiles[p];
            ag_input in = fuzz_inputs[i];
            static ag_list_storage s1, s2, s3;
            ag_challenge_list a, b, c;
            ag_challenge_list_init(&a, &s1);
            if (ag_parse(prof, in, buf, size, &a, NULL) != AG_OK)
                continue;
            ag_challenge_list_init(&b, &s2);
            ag_challenge_list_init(&c, &s3);
            fuzz_round_trip(FUZZ_LIST, &a, prof, in, fuzz_form_of(&a, in), &b, &c, "roundtrip");
        }
    }
    return 0;
}
