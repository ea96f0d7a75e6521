/* SPDX-License-Identifier: MIT */
/* authgram digest: computing and verifying HTTP/SIP Digest responses
 * (RFC 7616 section 3.4.1-3.4.4, RFC 2617 section 3.2.2, which RFC 3261
 * section 22.4 uses).
 *
 * A separate library, libauthgram-digest, because it is the only part of
 * authgram that needs OpenSSL's libcrypto (the hashes, and CRYPTO_memcmp for
 * the comparison).  Link it with -lauthgram-digest -lauthgram -lcrypto.
 *
 * Memory: the functions copy nothing and keep nothing; every string is a
 * span the caller owns for the duration of the call.  libcrypto allocates
 * one hashing context per call and frees it before returning (this is the
 * only part of authgram that allocates).  Intermediate hashes (H(A1) is
 * password-equivalent) are wiped before returning.
 *
 * The functions never print, abort or exit.  Status codes are those of
 * authgram.h; ag_status_name() names them. */
#ifndef AUTHGRAM_DIGEST_H
#define AUTHGRAM_DIGEST_H

#include "authgram.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The longest response in hex (SHA-256, SHA-512-256): 64 digits. */
#define AG_DIGEST_HEX_MAX 64

/* Hex digits of a response for the algorithm: 32 for MD5 and MD5-sess (and
 * AG_ALGORITHM_NONE: an absent algorithm means MD5, RFC 7616 section 3.3),
 * 64 for SHA-256, SHA-512-256 and their -sess forms, 0 for an algorithm
 * this library cannot compute (AKAv1-MD5, AKAv2-MD5, unknown tokens). */
AG_API size_t ag_digest_hex_len(ag_algorithm algorithm);


/* Everything a response is computed from.  A span with ptr == NULL is
 * absent; an empty string is present (realm="" is legal).  Values are the
 * unquoted ones (after ag_unescape), as RFC 7616's unq() says. */
typedef struct ag_digest_input {
    ag_algorithm algorithm; /* AG_ALGORITHM_NONE: MD5 */
    ag_qop qop;             /* NONE (RFC 2069), AUTH or AUTH_INT; OTHER is refused */
    ag_span username;       /* the user name itself, never its userhash */
    ag_span realm;
    ag_span password;       /* or: */
    ag_span ha1;            /* H(username ":" realm ":" password) in lowercase
                               hex, as a server stores it; used instead of the
                               password when present (the -sess step is still
                               applied on top) */
    ag_span method;         /* "INVITE", "REGISTER", "GET" */
    ag_span uri;            /* the digest-uri exactly as sent */
    ag_span nonce;
    ag_span cnonce;         /* required with a qop and with the -sess algorithms */
    ag_span nc;             /* required with a qop: exactly 8 lowercase hex digits */
    ag_span body;           /* auth-int: the message body; absent = empty */
} ag_digest_input;

/* Computes the response (RFC 7616 section 3.4.1) into out as lowercase hex,
 * NUL-terminated; *len (may be NULL) gets the number of digits.
 * Returns AG_OK; AG_ERR_UNSUPPORTED for an algorithm we cannot compute
 * (never a fallback to MD5), also when libcrypto refuses the hash (a FIPS
 * configuration without MD5); AG_ERR_ARGUMENT for a NULL in or out, a
 * missing required field (username and password or ha1, realm, method,
 * uri, nonce; cnonce and nc with a qop; cnonce with -sess), an nc that is
 * not 8 lowercase hex digits, an ha1 that is not the algorithm's length of
 * lowercase hex, or a qop other than NONE, AUTH and AUTH_INT; AG_ERR_SPACE when cap is below
 * the digits plus the NUL (nothing written, *len gets the digits needed). */
AG_API ag_status ag_digest_response(const ag_digest_input *in, char *out, size_t cap, size_t *len);

/* Verifies a received response against the expected one, comparing in
 * constant time (CRYPTO_memcmp over the full length).  The response must be
 * the algorithm's number of lowercase hex digits, as the grammar's
 * request-digest is: uppercase hex does not match.  Returns AG_OK on a
 * match, AG_ERR_MISMATCH when it does not match, or an error of
 * ag_digest_response (the response was not compared). */
AG_API ag_status ag_digest_verify(const ag_digest_input *in, ag_span response);

/* H(A1) before the -sess step, H(username ":" realm ":" password), in
 * lowercase hex, for a server's credential store (ag_digest_input.ha1).
 * Same returns as ag_digest_response. */
AG_API ag_status ag_digest_ha1(ag_algorithm algorithm, ag_span username, ag_span realm,
                               ag_span password, char *out, size_t cap, size_t *len);

/* The userhash of RFC 7616 section 3.4.4, H(username ":" realm), the value
 * of the username parameter when the challenge says userhash=true.  The -sess
 * forms hash with their base algorithm.  Same returns as ag_digest_response. */
AG_API ag_status ag_digest_userhash(ag_algorithm algorithm, ag_span username, ag_span realm,
                                    char *out, size_t cap, size_t *len);

/* ---- choosing the challenge to answer -------------------------------------
 * RFC 8760 section 2.4 has the client use "the topmost header field that it
 * supports unless a local policy dictates otherwise", and its section 3
 * warns that offering MD5 beside a stronger algorithm opens a downgrade: the
 * challenges are not integrity-protected, so an on-path attacker can reorder
 * them.  Our policy is therefore the strongest algorithm we can compute
 * (SHA-512-256 over SHA-256 over MD5, a -sess form counting as its hash),
 * never a weaker one when a stronger usable challenge is offered; among
 * equally strong ones, the topmost. */

/* Why a challenge cannot be answered (AG_DIGEST_USABLE when it can). */
typedef enum ag_digest_unusable {
    AG_DIGEST_USABLE = 0,
    AG_DIGEST_NOT_DIGEST,    /* another scheme (Basic, Bearer, ...) */
    AG_DIGEST_NO_REALM,      /* no realm parameter (RFC 7616 section 3.3: required) */
    AG_DIGEST_NO_NONCE,      /* no nonce parameter (required) */
    AG_DIGEST_ALGORITHM,     /* an algorithm we cannot compute (AKAv1-MD5, unknown) */
    AG_DIGEST_QOP            /* a qop list with neither auth nor auth-int */
} ag_digest_unusable;

/* "not-digest", "no-realm", ...; "" for a value out of range.  Static. */
AG_API const char *ag_digest_unusable_name(ag_digest_unusable why);

/* The qop to answer a challenge with: auth when offered (it answers without
 * the body), else auth-int, else none when the challenge has no qop
 * parameter (RFC 2069 compatibility); -1 (as an int) when its qop list
 * offers neither, or for a NULL c.  (A qop written as an auth-param, such
 * as SIP's unquoted qop=auth, is not a qop-options parameter: no qop.) */
AG_API int ag_digest_pick_qop(const ag_challenge *c);

/* Chooses among the n challenges of a response (all its Proxy-Authenticate
 * and WWW-Authenticate challenges, in the order received; the caller gives
 * one realm's at a time when several proxies challenge).  On AG_OK *chosen is
 * the index of the challenge to answer.  why, when not NULL, is an array of
 * n entries that gets each challenge's verdict (AG_DIGEST_USABLE or the
 * reason), so a caller can say why none was usable.  Returns AG_OK,
 * AG_ERR_UNSUPPORTED when no challenge is usable (*chosen = n), or
 * AG_ERR_ARGUMENT (NULL ch with n > 0, NULL chosen). */
AG_API ag_status ag_digest_choose(const ag_challenge *ch, size_t n, size_t *chosen,
                                  ag_digest_unusable *why);

#ifdef __cplusplus
}
#endif

#endif
