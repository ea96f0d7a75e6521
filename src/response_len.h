/* SPDX-License-Identifier: MIT */
/* The one table of how many hex digits a Digest response has for each
 * algorithm, shared by check's digest-response-length warning (libauthgram)
 * and ag_digest_hex_len (libauthgram-digest): an inline function rather
 * than a symbol, so the digest library does not link the parser. */
#ifndef AG_RESPONSE_LEN_H
#define AG_RESPONSE_LEN_H

#include <stddef.h>

#include "authgram.h"

/* RFC 8760 section 2.6: the length is "implied by the length of the value
 * of the algorithm used": the hash's size in hex.  AKAv1-MD5 and AKAv2-MD5
 * (RFC 3310, RFC 4169) are MD5 responses; an absent algorithm means MD5
 * (RFC 7616 section 3.3).  0 for a token this version does not know. */
static inline size_t ag_response_hex_digits(ag_algorithm a)
{
    switch (a) {
    case AG_ALGORITHM_NONE:
    case AG_ALGORITHM_MD5:
    case AG_ALGORITHM_MD5_SESS:
    case AG_ALGORITHM_AKAV1_MD5:
    case AG_ALGORITHM_AKAV2_MD5:
        return 32;
    case AG_ALGORITHM_SHA_256:
    case AG_ALGORITHM_SHA_256_SESS:
    case AG_ALGORITHM_SHA_512_256:
    case AG_ALGORITHM_SHA_512_256_SESS:
        return 64;
    case AG_ALGORITHM_OTHER:
        break;
    }
    return 0;
}

#endif
