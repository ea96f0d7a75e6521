/* SPDX-License-Identifier: MIT */
/* Field-by-field comparison of parsed challenges, shared by the tests and
 * the fuzz harnesses: "parse(serialize(x)) == x" means what these say. */
#ifndef AG_TEST_CHDIFF_H
#define AG_TEST_CHDIFF_H

#include <stddef.h>

#include "authgram.h"

/* Which warnings take part in a comparison. */
typedef enum chdiff_warnings {
    CHDIFF_NO_WARNINGS = 0,
    CHDIFF_ALL_WARNINGS,
    /* all but those of the list's own form (http obs-fold, BWS, empty list
     * elements), which canonical output drops by design */
    CHDIFF_CONTENT_WARNINGS
} chdiff_warnings;

/* 1 when a and b carry the same content: scheme, token68, every parameter
 * (name as written, kind, quoted-ness, value -- quoted values compared
 * unescaped; a qop or domain list read leniently by its items), the typed fields, the qop and domain lists, and the warnings
 * w asks for.  Otherwise 0 and why (cap bytes, NUL-terminated) says what
 * differs first.  Spans may point into different buffers. */
int chdiff_challenge(const ag_challenge *a, const ag_challenge *b, chdiff_warnings w, char *why,
                     size_t cap);

/* The same over two lists: the same number of challenges, each the same
 * (warnings over the whole list, ag_check_list). */
int chdiff_list(const ag_challenge_list *a, const ag_challenge_list *b, chdiff_warnings w,
                char *why, size_t cap);

/* A control byte other than HTAB (or DEL): never qdtext.  In a sip quoted
 * value the serializer writes it as a quoted-pair, except CR and LF, which
 * it refuses (they would start a fold); in http, whose quoted-pair carries
 * none of them, it refuses them all. */
int chdiff_refused_ctl(unsigned char c);

/* 1 when some quoted value of c, unescaped, holds a byte its profile's
 * serializer refuses (above). */
int chdiff_has_refused_byte(const ag_challenge *c);

#endif
