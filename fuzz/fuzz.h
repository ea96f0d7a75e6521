/* Shared by the harnesses: each is one LLVMFuzzerTestOneInput, built three
 * ways (AFL++ persistent mode, libFuzzer, a plain replay driver).  A broken
 * invariant is a finding: the harness says which and aborts, so every
 * engine records the input. */
#ifndef AG_FUZZ_H
#define AG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authgram.h"
#include "chdiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                               \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "fuzz finding: %s:%d: ", __FILE__, __LINE__);                   \
            fprintf(stderr, __VA_ARGS__);                                                   \
            fputc('\n', stderr);                                                            \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

/* The profiles and input kinds every parsing harness runs each input under. */
static const ag_profile fuzz_profiles[2] = {AG_PROFILE_SIP, AG_PROFILE_HTTP};
static const ag_input fuzz_inputs[2] = {AG_INPUT_VALUE, AG_INPUT_HEADER};

/* An exact-size heap copy, so that ASan sees a read one byte past the end
 * (the engines' own buffers are larger). */
static inline char *fuzz_copy(const void *p, size_t n)
{
    char *c = malloc(n ? n : 1);
    FUZZ_CHECK(c != NULL, "out of memory");
    for (size_t i = 0; i < n; i++)
        c[i] = ((const char *)p)[i];
    return c;
}

/* The list serialized into an exact-size heap buffer after a length query;
 * NULL with *rc the status when it is refused. */
static inline char *fuzz_serialize_list(const ag_challenge_list *l, ag_form form, size_t *len,
                                        ag_status *rc, ag_field_error *err)
{
    size_t need = 0;
    *rc = ag_serialize_list(l, form, NULL, 0, &need, err);
    if (*rc != AG_ERR_SPACE)
        return NULL;
    char *out = malloc(need + 1);
    FUZZ_CHECK(out != NULL, "out of memory");
    *rc = ag_serialize_list(l, form, out, need + 1, len, err);
    FUZZ_CHECK(*rc == AG_OK, "serialize after a length query of %zu: %s", need, ag_status_name(*rc));
    FUZZ_CHECK(*len == need, "length query %zu, output %zu", need, *len);
    /* the exact-size copy the next parse reads */
    char *exact = fuzz_copy(out, *len);
    free(out);
    return exact;
}

/* The form a list parsed from `in` is written back as. */
static inline ag_form fuzz_form_of(const ag_challenge_list *l, ag_input in)
{
    if (in == AG_INPUT_VALUE || !l->count)
        return AG_FORM_VALUE;
    return l->challenges[0].header == AG_HEADER_PROXY_AUTHENTICATE ? AG_FORM_PROXY : AG_FORM_WWW;
}

/* Does the serializer refuse l by design (include/authgram.h, serializing)?
 * A control byte carried as a quoted-pair, or a generic parameter that
 * written canonically would match its name's dedicated production. */
static inline int fuzz_refused_by_design(const ag_challenge_list *l, const ag_field_error *e)
{
    if (e->status != AG_ERR_FIELD)
        return 0;
    if (e->challenge < l->count && e->index < l->challenges[e->challenge].param_count &&
        l->challenges[e->challenge].params[e->index].kind == AG_PARAM_GENERIC && e->message &&
        strstr(e->message, "written canonically it would match"))
        return 1;
    for (size_t k = 0; k < l->count; k++)
        if (chdiff_has_refused_byte(&l->challenges[k]))
            return 1;
    return 0;
}

/* Writes l back (ag_serialize_list, in the form of its input) and reads the
 * output strictly into *back.  Returns the output (an exact-size heap copy
 * the caller frees; *len its length), or NULL when the serializer refused l
 * by design.  Aborts on any other refusal, a CR or LF inside the output, an
 * output that does not parse, or one that reads differently from l (w says
 * which warnings count). */
char *fuzz_write_back(const ag_challenge_list *l, ag_profile prof, ag_input in, chdiff_warnings w,
                      ag_challenge_list *back, size_t *len, const char *what);

#endif
