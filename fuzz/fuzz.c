/* What several harnesses check the same way (fuzz.h). */
#include <string.h>

#include "fuzz.h"

/* No CR or LF in the output but the final CRLF of a header line. */
static void no_line_breaks(const char *s, size_t n, int header)
{
    if (header) {
        FUZZ_CHECK(n >= 2 && s[n - 2] == '\r' && s[n - 1] == '\n', "a header line without CRLF");
        n -= 2;
    }
    FUZZ_CHECK(!memchr(s, '\r', n) && !memchr(s, '\n', n), "CR or LF inside the output");
}

char *fuzz_write_back(const ag_challenge_list *l, ag_profile prof, ag_input in, chdiff_warnings w,
                      ag_challenge_list *back, size_t *len, const char *what)
{
    ag_form form = fuzz_form_of(l, in);
    ag_status rc;
    ag_field_error err;
    char *out = fuzz_serialize_list(l, form, len, &rc, &err);
    if (!out) {
        FUZZ_CHECK(fuzz_refused_by_design(l, &err),
                   "%s: profile %d input %d: the serializer refused it: %s (%s, %s)", what, prof, in,
                   ag_status_name(rc), err.field ? err.field : "-", err.rule ? err.rule : "-");
        FUZZ_CHECK(err.field && err.rule && err.message, "%s: a refusal without its field error", what);
        return NULL;
    }
    no_line_breaks(out, *len, form != AG_FORM_VALUE);
    ag_diag d;
    rc = ag_parse(prof, in, out, *len, back, &d);
    FUZZ_CHECK(rc == AG_OK, "%s: profile %d input %d: the output does not parse: %s at %zu (%s)", what,
               prof, in, ag_status_name(rc), d.offset, rc == AG_ERR_SYNTAX ? d.rule : "");
    char why[512];
    FUZZ_CHECK(chdiff_list(l, back, w, why, sizeof why),
               "%s: profile %d input %d: written and read back, it differs: %s", what, prof, in, why);
    return out;
}
