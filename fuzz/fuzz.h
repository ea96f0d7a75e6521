/* SPDX-License-Identifier: MIT */
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

/* What the round trip helpers take: a challenge list (ag_parse,
 * ag_serialize_list, chdiff_list) or credentials (ag_parse_credentials,
 * ag_serialize_credentials, fuzz_cred_same).  The objects are passed as
 * void pointers to an ag_challenge_list or an ag_credentials, whose storage
 * the caller set up. */
typedef enum fuzz_kind { FUZZ_LIST, FUZZ_CREDENTIALS } fuzz_kind;

/* obj serialized into an exact-size heap buffer after a length query; NULL
 * with *rc the status when it is refused. */
char *fuzz_serialize(fuzz_kind k, const void *obj, ag_form form, size_t *len, ag_status *rc,
                     ag_field_error *err);

/* The form a list parsed from `in` is written back as. */
static inline ag_form fuzz_form_of(const ag_challenge_list *l, ag_input in)
{
    if (in == AG_INPUT_VALUE || !l->count)
        return AG_FORM_VALUE;
    return l->challenges[0].header == AG_HEADER_PROXY_AUTHENTICATE ? AG_FORM_PROXY_AUTHENTICATE
                                                                    : AG_FORM_WWW_AUTHENTICATE;
}

/* Does the serializer refuse the n challenges ch by design
 * (include/authgram.h, serializing)?  A control byte carried as a
 * quoted-pair, or a generic parameter that written canonically would match
 * its name's dedicated production. */
int fuzz_refused_by_design(const ag_challenge *ch, size_t n, const ag_field_error *e);

/* No CR or LF in s but the final CRLF of a header line (then required). */
void fuzz_no_line_breaks(const char *s, size_t n, int header);

/* Writes obj back (in form) and reads the output strictly into *back.
 * Returns the output (an exact-size heap copy the caller frees; *len its
 * length), or NULL when the serializer refused obj by design.  Aborts on
 * any other refusal, a CR or LF inside the output, an output that does not
 * parse, or one that reads differently from obj (w says which warnings
 * count). */
char *fuzz_write_back_kind(fuzz_kind k, const void *obj, ag_profile prof, ag_input in, ag_form form,
                           chdiff_warnings w, void *back, size_t *len, const char *what);

static inline char *fuzz_write_back(const ag_challenge_list *l, ag_profile prof, ag_input in,
                                    chdiff_warnings w, ag_challenge_list *back, size_t *len,
                                    const char *what)
{
    return fuzz_write_back_kind(FUZZ_LIST, l, prof, in, fuzz_form_of(l, in), w, back, len, what);
}

/* The round trip of a parsed object a: written back and read into *b (the
 * same content and warnings but those of the input's own form), the
 * canonical output is a fixed point (b written is the same bytes), and read
 * once more into *c it is b with all its warnings. */
void fuzz_round_trip(fuzz_kind k, const void *a, ag_profile prof, ag_input in, ag_form form, void *b,
                     void *c, const char *what);

/* ---- credentials ------------------------------------------------------------ */

/* The parsers' view of credentials as a challenge (scheme, token68, params
 * and the typed fields the two share), for tests/chdiff.c. */
void fuzz_cred_view(const ag_credentials *c, ag_challenge *v);

/* The form credentials parsed from `in` are written back as. */
ag_form fuzz_cred_form(const ag_credentials *c, ag_input in);

/* 1 when a and b carry the same content (every parameter, every typed
 * field; quoted values unescaped) and, as w says, the same warnings of
 * ag_check_credentials; else 0 and why. */
int fuzz_cred_same(const ag_credentials *a, const ag_credentials *b, chdiff_warnings w, char *why,
                   size_t cap);

/* ---- decoding the input into arguments -------------------------------------- */

typedef struct fuzz_rd {
    const uint8_t *p;
    size_t n, at;
} fuzz_rd;

/* The next byte (0 past the end). */
static inline unsigned fuzz_byte(fuzz_rd *r) { return r->at < r->n ? r->p[r->at++] : 0; }

/* A string for an argument: a byte b, then with b & 0x80 words[b % nwords],
 * else the next b & 0x7f bytes of the input (fewer at its end).  Copied
 * NUL-terminated into the arena (cap bytes, *used of them taken; an empty
 * string when it is full), where it stays until the arena is reset. */
const char *fuzz_str(fuzz_rd *r, const char *const *words, size_t nwords, char *arena, size_t cap,
                     size_t *used, size_t *len);

#endif
