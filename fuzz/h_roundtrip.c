/* Harness "roundtrip": whatever parses (either profile, value or header
 * line) is serialized and parsed again.  Invariants: the serializer writes
 * it unless a quoted value carries a control byte (refused by design, with
 * AG_ERR_FIELD); the output has no CR or LF but the final CRLF of a header
 * line; it parses back to the same fields and warnings (but for those of the
 * list's own form); and the canonical output comes back byte for byte. */
#include <string.h>

#include "chdiff.h"
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
            ag_form form = fuzz_form_of(&a, in);
            size_t len = 0;
            ag_challenge_list_init(&b, &s2);
            char *out = fuzz_write_back(&a, prof, in, CHDIFF_CONTENT_WARNINGS, &b, &len, "roundtrip");
            if (!out)
                continue;
            ag_status rc;
            ag_field_error err;
            char why[512];
            size_t len2 = 0;
            char *again = fuzz_serialize_list(&b, form, &len2, &rc, &err);
            FUZZ_CHECK(again && len2 == len && !memcmp(again, out, len),
                       "profile %d input %d: canonical output not a fixed point", p, i);
            /* the canonical bytes, parsed once more, are the same fields
             * with the same warnings, all of them */
            ag_challenge_list_init(&c, &s3);
            FUZZ_CHECK(ag_parse(prof, in, again, len2, &c, NULL) == AG_OK, "fixed point refused");
            FUZZ_CHECK(chdiff_list(&b, &c, CHDIFF_ALL_WARNINGS, why, sizeof why),
                       "profile %d input %d: canonical reparse differs: %s", p, i, why);
            free(again);
            free(out);
        }
    }
    return 0;
}
