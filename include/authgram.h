/* SPDX-License-Identifier: MIT */
/* authgram: strict, zero-copy parsing and validated writing of the
 * authentication headers of SIP (profile AG_PROFILE_SIP: RFC 3261 section
 * 25.1 and its amendments) and HTTP (AG_PROFILE_HTTP: RFC 7235, 7616,
 * 7617), every machine generated from the RFCs' ABNF.
 *
 * What it covers, in the order of this header:
 *  - the challenge, Proxy-Authenticate and WWW-Authenticate: parsing into a
 *    typed view (ag_parse_challenge for one challenge, ag_parse for a
 *    list; the profile an argument of each), the RFCs' prose rules as
 *    warnings (ag_check), a lenient reading of common deviations
 *    (ag_parse_lenient);
 *  - writing: ag_serialize, which checks every byte it writes with the
 *    same machines, and the builder (ag_builder_*), one call or one field
 *    at a time over it;
 *  - the answer, Authorization and Proxy-Authorization: ag_parse_credentials,
 *    ag_check_credentials, ag_serialize_credentials and the one-call
 *    proxy_authorization_digest writers;
 *  - digest computation and verification live in authgram_digest.h
 *    (libauthgram-digest, the only part that needs libcrypto).
 *
 * Conventions of the whole API
 *  - Every public symbol starts with ag_ / AG_.
 *  - The library never allocates, prints, aborts or exits.  Errors are
 *    ag_status values with names (ag_status_name) and descriptions
 *    (ag_strerror); syntax errors come with an ag_diag that names the byte
 *    offset and the ABNF rule.
 *  - Input is (pointer, length): binary-safe, never read outside
 *    [buf, buf + len), a NUL byte is an ordinary byte (that the grammar
 *    rejects).  Lengths and offsets are size_t.
 *  - Spans (ag_span) point into the caller's input buffer: they are valid as
 *    long as that buffer is, and are never NUL-terminated.
 *  - Lists are stored in arrays the caller provides, with a capacity.  When an
 *    array is too small the parse fails with AG_ERR_CAPACITY and the counts
 *    report how many entries were needed, so the caller can retry (nothing
 *    is silently dropped).
 *  - Functions are thread-safe: they keep no global state.
 */
#ifndef AUTHGRAM_H
#define AUTHGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "authgram_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(AG_STATIC_DEFINE)
#define AG_API
#elif defined(__GNUC__)
#define AG_API __attribute__((visibility("default")))
#else
#define AG_API
#endif

/* ---- status codes --------------------------------------------------------
 * One table; the enum, ag_status_name() and ag_strerror() are generated from
 * it, so they cannot disagree. */
#define AG_STATUS_TABLE(X)                                                              \
    X(OK, 0, "success")                                                                 \
    X(ERR_SYNTAX, 1, "the input does not conform to the grammar (see the ag_diag)")     \
    X(ERR_CAPACITY, 2, "a caller-provided array is too small (the counts say how many " \
                       "entries are needed)")                                            \
    X(ERR_ARGUMENT, 3, "invalid argument (a NULL pointer, an unknown option or value, " \
                       "a parameter given twice)")                                       \
    X(ERR_UNSUPPORTED, 4, "not supported by this version or profile")                 \
    X(ERR_FIELD, 5, "a field cannot be written as the grammar requires (see the "     \
                    "ag_field_error)")                                                 \
    X(ERR_SPACE, 6, "the output buffer is too small; nothing was written (the length " \
                    "needed is reported)")                                             \
    X(ERR_STATE, 7, "the builder holds an earlier error (see its ag_field_error)")      \
    X(ERR_MISMATCH, 8, "the digest response does not match (authgram_digest.h)")    \
    X(ERR_LIMIT, 9, "the input goes past a documented limit of the library (see the "  \
                    "ag_diag: its offset, and its rule names the limit)")

typedef enum ag_status {
#define AG_X_(name, value, text) AG_##name = value,
    AG_STATUS_TABLE(AG_X_)
#undef AG_X_
} ag_status;

/* "AG_ERR_SYNTAX" for AG_ERR_SYNTAX; "AG_UNKNOWN" for a value not in the
 * table.  Static strings. */
AG_API const char *ag_status_name(ag_status s);
/* A one-line description.  Static string. */
AG_API const char *ag_strerror(ag_status s);

/* Version of the library actually linked ("MAJOR.MINOR.PATCH"); compare with
 * AG_VERSION_STRING from the header you compiled against. */
AG_API const char *ag_version(void);

/* ---- spans ---------------------------------------------------------------- */

typedef struct ag_span {
    const char *ptr; /* NULL when the field is absent */
    size_t len;
} ag_span;

/* printf("%.*s", AG_SPAN_ARGS(s)) */
#define AG_SPAN_ARGS(s) (int)(s).len, ((s).ptr ? (s).ptr : "")

/* ---- profiles ------------------------------------------------------------- */

typedef enum ag_profile {
    AG_PROFILE_SIP = 0, /* RFC 3261 section 25.1 + RFC 3310, 4169, 8760 */
    AG_PROFILE_HTTP = 1 /* RFC 7235 / 7230 lists, RFC 7616 Digest, RFC 7617 Basic */
} ag_profile;

/* ---- diagnostics of a syntax error ---------------------------------------- */

typedef struct ag_diag {
    ag_status status;
    size_t offset;       /* first byte that cannot be accepted; == input length
                            when the input ended too early */
    int at_end;          /* 1: the input ended too early (offset == length) */
    unsigned char byte;  /* the offending byte (when !at_end) */
    const char *rule;    /* innermost ABNF rule being matched at offset, by its
                            RFC name (static string; never NULL after an error) */
    const char *rfc;     /* where that rule is defined, e.g.
                            "RFC 3261 section 25.1" (static; "" if unknown) */
    char expected[96];   /* what would have been accepted at offset, e.g.
                            "DQUOTE" or "one of ',' SP HTAB CR"; "" if too
                            varied to list.  NUL-terminated. */
    const char *param;   /* the parameter with a dedicated production (nonce,
                            realm, ...) the failure is inside of, by its name
                            ("nonce"; static string); "" or NULL if none */
} ag_diag;

/* The rule a syntax error names is the innermost one on the path the input
 * took: of parallel alternatives, the base RFC's production before an
 * amendment's (an unterminated nonce is in quoted-string, not in RFC 3310's
 * aka-nonce-value), and a dedicated parameter before the generic auth-param
 * or other-challenge it is also a prefix of.
 *
 * Formats a diagnostic as one line, e.g.
 *   offset 17: in the nonce parameter: unexpected end of input in
 *   quoted-string, expected DQUOTE (RFC 3261 section 25.1)
 * snprintf-style: returns the length of the full message; writes at most cap
 * bytes including the terminating NUL. */
AG_API size_t ag_diag_format(const ag_diag *d, char *buf, size_t cap);

/* ---- the typed challenge --------------------------------------------------- */

/* ag_param_kind: which production a parameter matched.  A parameter whose
 * name has a dedicated production (realm, nonce, ...) but which matches only
 * the generic auth-param (qop=auth unquoted, stale=yes, ...) is
 * AG_PARAM_GENERIC: the value is still grammatical, and ag_check() warns
 * about it.  The kinds: AG_PARAM_GENERIC (0), AG_PARAM_REALM, AG_PARAM_DOMAIN, AG_PARAM_NONCE,
 * AG_PARAM_OPAQUE, AG_PARAM_STALE, AG_PARAM_ALGORITHM, AG_PARAM_QOP
 * (qop-options), AG_PARAM_CHARSET and AG_PARAM_USERHASH (http, RFC 7616),
 * and of credentials (Authorization, Proxy-Authorization): AG_PARAM_USERNAME,
 * AG_PARAM_URI (digest-uri), AG_PARAM_RESPONSE (sip dresponse, http
 * response), AG_PARAM_CNONCE, AG_PARAM_NC (nonce-count),
 * AG_PARAM_MESSAGE_QOP (qop=auth: one unquoted value), AG_PARAM_AUTS (sip,
 * RFC 3310) and AG_PARAM_USERNAME_EXT (http, RFC 7616 section 3.4:
 * username*).  The enum is generated from the grammar's tags ('field
 * RULE CONSTANT=N'): a production the grammar gains gets its constant
 * there, with a value that never changes. */
#include "authgram_kinds.h"

/* The grammar rule a parameter of that kind matched in the profile: its
 * dedicated production ("realm", "qop-options", "digest-uri"; in http the
 * response is "response", in sip "dresponse"), or the profile's auth-param
 * rule for AG_PARAM_GENERIC.  NULL for a kind the profile has no production
 * of, or an unknown profile.  Static storage. */
AG_API const char *ag_param_kind_rule(ag_profile profile, ag_param_kind kind);

typedef struct ag_param {
    ag_span name;   /* as written (case preserved) */
    ag_span value;  /* raw: the token, or the bytes between the quotes with
                       quoted-pairs and line folds left as they are (see
                       ag_unescape) */
    size_t offset;  /* offset of the name in the input */
    ag_param_kind kind;
    int quoted;     /* 1 if the value was a quoted string */
    int lenient;    /* 1 if the lenient reading typed it (see ag_parse_lenient) */
    /* The first parameter of the same challenge (or credentials) with this
     * name, ASCII case-insensitive, as an index into its params; its own
     * index when no parameter before it has the name.  Set by every parser
     * (ag_check's duplicate-param warning reads it, so that checking stays
     * linear however many parameters there are).  A view filled by hand
     * must call ag_params_index before ag_check. */
    uint32_t same_name;
    uint32_t reserved; /* the parsers' scratch: do not use */
} ag_param;

/* Sets same_name in params[0, n) (O(n log n) name comparisons, no
 * allocation; `reserved` is used as scratch).  The parsers call it; call it
 * for a view you filled by hand before ag_check.  n must be below
 * UINT32_MAX (a parsed challenge always is). */
AG_API void ag_params_index(ag_param *params, size_t n);

typedef enum ag_scheme {
    AG_SCHEME_OTHER = 0, /* any other auth-scheme token */
    AG_SCHEME_DIGEST,
    AG_SCHEME_BASIC      /* "Basic", case-insensitive (an other-challenge in SIP) */
} ag_scheme;

/* Algorithm values with a defined meaning (grammar/registry.abnf). */
typedef enum ag_algorithm {
    AG_ALGORITHM_NONE = 0,  /* no algorithm parameter */
    AG_ALGORITHM_OTHER,     /* a token not in the registry: see algorithm_raw */
    AG_ALGORITHM_MD5,
    AG_ALGORITHM_MD5_SESS,
    AG_ALGORITHM_SHA_256,
    AG_ALGORITHM_SHA_256_SESS,
    AG_ALGORITHM_SHA_512_256,
    AG_ALGORITHM_SHA_512_256_SESS,
    AG_ALGORITHM_AKAV1_MD5,
    AG_ALGORITHM_AKAV2_MD5
} ag_algorithm;

/* A qop value: of a challenge's qop list, of credentials, and the one a
 * digest is computed with (authgram_digest.h). */
typedef enum ag_qop {
    AG_QOP_NONE = 0, /* none: credentials without qop; a digest without it (RFC 2069) */
    AG_QOP_AUTH,
    AG_QOP_AUTH_INT, /* the body's hash enters A2 */
    AG_QOP_OTHER     /* a token not in the registry: see raw */
} ag_qop;

typedef struct ag_qop_value {
    ag_span raw;
    ag_qop qop;
} ag_qop_value;

typedef enum ag_stale {
    AG_STALE_UNSET = 0,
    AG_STALE_FALSE,
    AG_STALE_TRUE,
    AG_STALE_OTHER /* a value the grammar allows that this version does not
                      type (only a changed grammar/ has one): its text is the
                      parameter's value span in params[] */
} ag_stale;

/* RFC 7616 section 3.3 userhash (http): whether the username is hashed */
typedef enum ag_userhash {
    AG_USERHASH_UNSET = 0,
    AG_USERHASH_FALSE,
    AG_USERHASH_TRUE,
    AG_USERHASH_OTHER /* a value the grammar allows that this version does
                         not type (only a changed grammar/ has one): its text
                         is the parameter's value span in params[] */
} ag_userhash;

/* ag_header (in authgram_kinds.h, generated from the tags' 'header' lines):
 * AG_HEADER_NONE (0: a bare header value was parsed),
 * AG_HEADER_PROXY_AUTHENTICATE, AG_HEADER_WWW_AUTHENTICATE, and of
 * credentials (ag_parse_credentials): AG_HEADER_PROXY_AUTHORIZATION,
 * AG_HEADER_AUTHORIZATION. */

/* The name of a header field as the grammar spells it
 * ("Proxy-Authenticate"), or NULL for AG_HEADER_NONE and unknown values.
 * Static storage. */
AG_API const char *ag_header_name(ag_header header);

/* The header that answers a challenge header: AG_HEADER_PROXY_AUTHORIZATION
 * for AG_HEADER_PROXY_AUTHENTICATE, AG_HEADER_AUTHORIZATION for
 * AG_HEADER_WWW_AUTHENTICATE (RFC 3261 section 22, RFC 7235 section 4);
 * AG_HEADER_NONE for any other value. */
AG_API ag_header ag_header_answer(ag_header header);

/* The typed view of one challenge.  The dedicated fields hold the first
 * occurrence of their parameter (a repeated parameter is a warning); every
 * parameter, in order, is in params[].  Before parsing, point params, qop
 * and domain at arrays of your own and set the *_cap members (or use
 * ag_challenge_init). */
typedef struct ag_challenge {
    ag_profile profile;
    ag_header header;
    size_t offset;          /* offset of the challenge (its scheme) in the input */
    ag_span scheme;
    ag_scheme scheme_id;
    ag_span realm;          /* raw quoted content (AG_PARAM_REALM only).  The
                               typed fields are the dedicated productions
                               of Digest (RFC 3261 25.1, RFC 7616): in any
                               other scheme, e.g. Basic (RFC 7617 has no
                               production of its own, its realm is an
                               auth-param), realm stays absent and the
                               parameter is in params[]: ag_find_param(c,
                               "realm") */
    ag_span nonce;
    ag_span opaque;
    ag_algorithm algorithm;
    ag_span algorithm_raw;
    ag_stale stale;
    ag_span token68;        /* http: the token68 form ("Negotiate abc=="); absent in sip */
    ag_span charset;        /* http: the charset value (AG_PARAM_CHARSET) */
    ag_userhash userhash;   /* http: userhash=true/false */

    /* (the typed members above, the caller's arrays below: a parse clears
     * everything before qop) */
    ag_qop_value *qop;      /* caller array: qop-options values, in order */
    size_t qop_cap, qop_count;
    ag_span *domain;        /* caller array: the domain URIs, in order (http:
                               empty URI-references are not listed) */
    size_t domain_cap, domain_count;
    ag_param *params;       /* caller array: every parameter, in order */
    size_t param_cap, param_count;
} ag_challenge;

/* Default sizes of ag_challenge_storage.  They hold any challenge a builder
 * can make (AG_BUILD_PARAMS, AG_BUILD_ITEMS below), so built output always
 * parses back into the convenience storage. */
#define AG_STORAGE_PARAMS 64
#define AG_STORAGE_QOP 64
#define AG_STORAGE_DOMAIN 64

/* Convenience storage for one challenge (about 6 KiB; fine on the stack). */
typedef struct ag_challenge_storage {
    ag_param params[AG_STORAGE_PARAMS];
    ag_qop_value qop[AG_STORAGE_QOP];
    ag_span domain[AG_STORAGE_DOMAIN];
} ag_challenge_storage;

/* Clears *c and points its arrays at *storage. */
AG_API void ag_challenge_init(ag_challenge *c, ag_challenge_storage *storage);

/* What the bytes given to a parser are. */
typedef enum ag_input {
    AG_INPUT_VALUE = 0, /* a header field value */
    AG_INPUT_HEADER     /* a whole header line, optionally ending in CRLF */
} ag_input;

/* ---- parsing ---------------------------------------------------------------
 * Strict: accepts exactly the language of the profile's ABNF (no trimming,
 * no tolerance).  No heap allocation, bounded stack.
 *
 * Returns AG_OK, AG_ERR_SYNTAX (diag filled, *out unspecified),
 * AG_ERR_CAPACITY (the counts in *out give the sizes needed), or
 * AG_ERR_ARGUMENT (NULL out, NULL buf with len > 0).  diag may be NULL. */

/* One challenge: with AG_INPUT_VALUE a header field value (sip RFC 3261
 * "challenge"), with AG_INPUT_HEADER a whole header line:
 * "Proxy-Authenticate" or "WWW-Authenticate" (any case), the colon, the
 * challenge, and optionally the terminating CRLF (folded continuation lines
 * are part of the value).  The list parser (ag_parse, below) over a list of
 * this one challenge, whose arrays are out's own; out's capacities stay as
 * they were.  Also AG_ERR_CAPACITY when the header holds more than one
 * challenge (an http list: read it with ag_parse); AG_ERR_ARGUMENT for an
 * unknown profile or input too. */
AG_API ag_status ag_parse_challenge(ag_profile profile, ag_input input, const char *buf, size_t len,
                                    ag_challenge *out, ag_diag *diag);

/* Copies a raw quoted value (ag_param.value with quoted = 1, or realm,
 * nonce, opaque) into dst without its escapes: the backslash of each
 * quoted-pair is removed and the CRLF of each line fold is dropped (the
 * whitespace after it stays).  Returns the unescaped length, which is never
 * more than raw.len.  Writes nothing unless the whole value fits in cap
 * bytes; never writes a terminating NUL (a value may contain NUL). */
AG_API size_t ag_unescape(ag_span raw, char *dst, size_t cap);

/* Finds the first parameter of that name (ASCII case-insensitive);
 * NULL if none. */
AG_API const ag_param *ag_find_param(const ag_challenge *c, const char *name);

/* ---- warnings: grammatical values that break a prose rule ---------------- */

#define AG_WARNING_TABLE(X)                                                                             \
    X(BASIC_SCHEME, "sip-basic-scheme", "RFC 3261 section 22.1", "RFC 3261 section 22.1",               \
      "Basic authentication MUST NOT be used in SIP")                                                   \
    X(DIGEST_NO_REALM, "digest-no-realm", "RFC 2617 section 3.2.1", "RFC 7616 section 3.3",             \
      "Digest challenge without a realm parameter")                                                     \
    X(DIGEST_NO_NONCE, "digest-no-nonce", "RFC 2617 section 3.2.1", "RFC 7616 section 3.3",             \
      "Digest challenge without a nonce parameter")                                                     \
    X(DIGEST_NO_QOP, "digest-no-qop", "RFC 3261 section 22.4", "RFC 7616 section 3.3",                  \
      "Digest challenge without qop (a server MUST send it)")                                           \
    X(FALLTHROUGH, "dedicated-param-fallthrough", "RFC 3261 section 25.1", "RFC 7616 section 3.3",      \
      "parameter does not match its dedicated production and was read as auth-param")                   \
    X(ALGORITHM_UNKNOWN, "algorithm-unregistered", "RFC 8760 section 2.1", "RFC 7616 section 6.1",      \
      "algorithm is not a registered value")                                                            \
    X(QOP_UNKNOWN, "qop-unregistered", "RFC 3261 section 25.1", "RFC 7616 section 3.3",                 \
      "qop value is neither auth nor auth-int")                                                         \
    X(DUPLICATE_PARAM, "duplicate-param", "RFC 2617 section 3.2.1", "RFC 7235 section 2.1",             \
      "parameter given more than once")                                                                 \
    X(NOT_UTF8, "not-rfc3629-utf8", "RFC 3629 section 4", "RFC 3629 section 4",                         \
      "quoted bytes are RFC 2279 UTF-8 but not RFC 3629 UTF-8")                                         \
    X(HTTP_OBS_FOLD, "http-obs-fold", "RFC 7230 section 3.2.4", "RFC 7230 section 3.2.4",               \
      "obsolete line folding (a sender MUST NOT generate it)")                                          \
    X(HTTP_EMPTY_ELEMENT, "http-empty-list-element", "RFC 7230 section 7", "RFC 7230 section 7",        \
      "empty list element (a sender MUST NOT generate it)")                                             \
    X(HTTP_BWS, "http-bws", "RFC 7230 section 3.2.3", "RFC 7230 section 3.2.3",                         \
      "whitespace around \"=\" (BWS: a sender MUST NOT generate it)")                                   \
    X(HTTP_REALM_UNQUOTED, "http-realm-unquoted", "RFC 7235 section 2.2", "RFC 7235 section 2.2",       \
      "realm is not a quoted-string (for compatibility senders MUST quote it)")                         \
    X(HTTP_DIGEST_FORM, "http-digest-param-form", "RFC 7616 section 3.3", "RFC 7616 section 3.3",       \
      "Digest parameter does not have the form RFC 7616 gives it (quoting or value)")                   \
    X(HTTP_BOOL_VALUE, "http-bool-value", "RFC 7616 section 3.3", "RFC 7616 section 3.3",               \
      "stale or userhash is neither true nor false")                                                    \
    X(HTTP_QOP_LIST, "http-qop-list", "RFC 7616 section 3.3", "RFC 7616 section 3.3",                   \
      "qop is not a quoted comma-separated list of tokens")                                             \
    X(HTTP_CHARSET, "http-charset", "RFC 7616 section 3.3", "RFC 7616 section 3.3",                     \
      "charset is not UTF-8 (the only value RFC 7616 allows)")                                          \
    X(HTTP_DIGEST_TOKEN68, "http-digest-token68", "RFC 7616 section 3.3", "RFC 7616 section 3.3",       \
      "Digest challenge in token68 form: Digest takes parameters")                                      \
    X(HTTP_BASIC_NO_REALM, "http-basic-no-realm", "RFC 7617 section 2", "RFC 7617 section 2",           \
      "Basic challenge without the realm parameter it requires")                                        \
    X(LENIENT_UNQUOTED, "lenient-unquoted", "RFC 3261 section 25.1", "RFC 7616 section 3.3",            \
      "lenient: a value its production quotes was a token, read as if quoted")                          \
    X(LENIENT_QUOTED, "lenient-quoted", "RFC 3261 section 25.1", "RFC 7616 section 3.3",                \
      "lenient: a value its production writes bare was quoted, read without the quotes")                \
    X(LENIENT_QOP_LIST, "lenient-qop-list", "RFC 3261 section 25.1", "RFC 7616 section 3.3",            \
      "lenient: qop values separated by whitespace or empty items, read one by one")                    \
    X(LENIENT_DOMAIN_COMMA, "lenient-domain-comma", "RFC 3261 section 25.1", "RFC 7616 section 3.3",    \
      "lenient: a domain URI followed by a comma, read without it")                                     \
    X(LENIENT_EMPTY_ELEMENT, "lenient-empty-element", "RFC 3261 section 25.1", "RFC 7230 section 7",    \
      "lenient: a doubled or leading comma, skipped")                                                   \
    X(LENIENT_TRAILING, "lenient-trailing", "RFC 3261 section 25.1", "RFC 7230 section 7",              \
      "lenient: whitespace or commas after the last parameter, ignored")                                \
    X(DIGEST_MISSING_PARAM, "digest-missing-param", "RFC 2617 section 3.2.2", "RFC 7616 section 3.4",   \
      "Digest response without a required parameter (username, realm, nonce, uri, "                     \
      "response; the warning's rule names it)")                                                         \
    X(DIGEST_QOP_MISMATCH, "digest-qop-mismatch", "RFC 2617 section 3.2.2", "RFC 7616 section 3.4",     \
      "cnonce and nc go with a qop: one of them is given without the others")                           \
    X(DIGEST_RESPONSE_LENGTH, "digest-response-length", "RFC 8760 section 2.6", "RFC 7616 section 3.4", \
      "response does not have the number of hex digits its algorithm implies")

typedef enum ag_warning_id {
#define AG_X_(name, id, rfc, http_rfc, text) AG_W_##name,
    AG_WARNING_TABLE(AG_X_)
#undef AG_X_
    AG_W_COUNT
} ag_warning_id;

typedef struct ag_warning {
    ag_warning_id id;
    size_t offset;        /* where in the input (e.g. the parameter's name) */
    const char *rule;     /* the ABNF rule concerned (static string), e.g.
                             "qop-options" for a fallthrough; "" if none */
    size_t detail_offset; /* fallthrough: where the dedicated rule fails */
    const char *detail_rule; /* fallthrough: innermost rule there ("" if none) */
    const char *rfc;      /* the RFC section in the challenge's profile
                             (ag_warning_rfc_in; static string) */
} ag_warning;

/* Computes the warnings of a parsed challenge, in order of offset (when
 * they all fit in cap).  Writes at most cap of them to out (out may be NULL
 * when cap is 0) and returns how many there are in all: the return value is
 * the total, not the number written, and may exceed cap (then out holds
 * min(total, cap) of them; call again with an array of the total to get
 * every one).  Time is
 * O(n log n) in the parameters (duplicates through same_name, see
 * ag_param), memory none beyond out.
 *
 * Control bytes in quoted-pairs (sip: "\" %x00-09 / %x0B-0C / %x0E-7F) are
 * not warned about: the grammar allows them, no RFC prose forbids them, and
 * the serializer writes them back as quoted-pairs, so the value survives a
 * round trip.  Whoever displays a value must escape them (the authgram
 * command's text output does). */
AG_API size_t ag_check(const ag_challenge *c, ag_warning *out, size_t cap);

/* ---- several challenges (the http profile) ----------------------------------
 *
 * An http header field carries a list of challenges (RFC 7235 section 4.1:
 * 1#challenge); a sip one carries exactly one.  ag_parse() reads either
 * profile into a list.  The caller provides an array of challenges and
 * shared pools of parameters, qop values and domain URIs; each challenge's
 * params/qop/domain point into the pools (its caps equal its counts). */
#define AG_LIST_DEVIATIONS 16

typedef struct ag_challenge_list {
    ag_span input;          /* set by ag_parse: the bytes parsed */
    int lenient;            /* set by ag_parse_lenient */
    /* the deviations the lenient reading applied (ids LENIENT_*), in order
     * of offset; deviation_count may exceed AG_LIST_DEVIATIONS (only the
     * first are kept).  ag_check_list reports them with the warnings. */
    ag_warning deviations[AG_LIST_DEVIATIONS];
    size_t deviation_count;
    ag_challenge *challenges;
    size_t cap, count;
    ag_param *params;
    size_t param_cap, param_count;
    ag_qop_value *qop;
    size_t qop_cap, qop_count;
    ag_span *domain;
    size_t domain_cap, domain_count;
} ag_challenge_list;

/* Default sizes of ag_list_storage; like the challenge storage, they hold
 * any list a builder can make. */
#define AG_LIST_CHALLENGES 16
#define AG_LIST_PARAMS 128
#define AG_LIST_QOP 64
#define AG_LIST_DOMAIN 64

/* Convenience storage for a list (about 13 KiB). */
typedef struct ag_list_storage {
    ag_challenge challenges[AG_LIST_CHALLENGES];
    ag_param params[AG_LIST_PARAMS];
    ag_qop_value qop[AG_LIST_QOP];
    ag_span domain[AG_LIST_DOMAIN];
} ag_list_storage;

/* Clears *l and points its arrays at *storage. */
AG_API void ag_challenge_list_init(ag_challenge_list *l, ag_list_storage *storage);

/* Parses a value or header line of the profile into *out.  Returns as
 * ag_parse_challenge; on AG_ERR_CAPACITY the list's counts give the sizes
 * needed.  Spans point into buf. */
AG_API ag_status ag_parse(ag_profile profile, ag_input input, const char *buf, size_t len,
                          ag_challenge_list *out, ag_diag *diag);

/* The lenient reading, an explicit option for real traffic: what ag_parse
 * accepts, plus these deviations, each applied only where it can be read in
 * one way and reported (l->deviations, and ag_check_list) with its id and
 * offset:
 *   lenient-unquoted       realm=abc, nonce=abc, opaque=abc, qop=auth (Digest)
 *   lenient-quoted         algorithm="MD5", stale="true" (Digest)
 *   lenient-qop-list       qop="auth, auth-int" (sip), qop="auth,,auth-int"
 *   lenient-domain-comma   domain="sip:a.com, sip:b.com" (the URI "sip:a.com,")
 *   lenient-empty-element  a doubled or leading comma between parameters
 *                          ("a=b,, c=d", "Digest ,realm=..."; never one
 *                          inside a parameter, nor one whose removal would
 *                          join two tokens)
 *   lenient-trailing       whitespace or commas after the last parameter
 * (stale=TRUE and DIGEST are strict already: ABNF literals ignore case.)
 * Never accepted: a missing comma between parameters, an unterminated
 * quoted string, a bare CR or LF, NUL, or anything else the grammar refuses.
 * A parameter read leniently gets its dedicated kind (quoted = 1 for a
 * quoted production read from a token, 0 for a bare one read from quotes),
 * so ag_serialize_list writes the strict form.  On AG_ERR_SYNTAX the diag
 * is the strict one.  Each structural deviation (a skipped comma, the
 * trailing separators) costs one more pass over the input, so at most
 * AG_LENIENT_MAX_SKIPS of them are read: past that the result is
 * AG_ERR_LIMIT, with diag->offset at the first deviation over the limit and
 * diag->rule "lenient-limit". */
#define AG_LENIENT_MAX_SKIPS 16
AG_API ag_status ag_parse_lenient(ag_profile profile, ag_input input, const char *buf, size_t len,
                                  ag_challenge_list *out, ag_diag *diag);

/* The warnings of a whole list: those of each challenge (ag_check) plus
 * the list-level ones of the http profile (empty list elements), in order of
 * offset.  Same conventions as ag_check: returns the total number of
 * warnings, which may be more than cap; out holds the first min(total,
 * cap). */
AG_API size_t ag_check_list(const ag_challenge_list *l, ag_warning *out, size_t cap);

/* Stable id ("duplicate-param"), RFC section and message of a warning.
 * Static strings; "" for an id out of range.  ag_warning_rfc is the sip
 * profile's section; ag_warning_rfc_in the one of the profile given (the
 * same rule may come from RFC 3261 in sip and RFC 7616 in http; the
 * warnings ag_check fills in carry it as ag_warning.rfc). */
AG_API const char *ag_warning_name(ag_warning_id id);
AG_API const char *ag_warning_rfc(ag_warning_id id);
AG_API const char *ag_warning_rfc_in(ag_profile profile, ag_warning_id id);
AG_API const char *ag_warning_message(ag_warning_id id);

/* What one warning says, as a person reads it: the message with this
 * warning's specifics (which dedicated rule a fallthrough failed, where,
 * and in which inner rule; which parameter a response lacks), e.g.
 *   parameter does not match its dedicated production and was read as
 *   auth-param: qop-options fails at offset 22, in qop-value
 * Offsets are w's own (into the input parsed).  snprintf-style: returns
 * the length of the full message, writes at most cap bytes including the
 * NUL (buf may be NULL when cap is 0). */
AG_API size_t ag_warning_describe(const ag_warning *w, char *buf, size_t cap);

/* One line for a log: the offset, what ag_warning_describe says, the id and
 * the RFC section, e.g.
 *   offset 31: parameter given more than once [duplicate-param]
 *   (RFC 2617 section 3.2.1)
 * snprintf-style, as ag_warning_describe. */
AG_API size_t ag_warning_format(const ag_warning *w, char *buf, size_t cap);

/* ---- serializing ------------------------------------------------------------
 *
 * Every byte is checked by the machines generated from grammar/ before any
 * byte is written: each parameter against its own production (realm against
 * RFC 3261 "realm", a generic one against "auth-param", ...), each domain URI
 * against "URI", each qop value against "qop-value", the scheme against
 * "auth-scheme", and the whole output against "challenge" (or the whole
 * header line against the header entry).
 *
 * Canonical form: the scheme, SP, the parameters in the order given joined by
 * ", ", no whitespace around "=", qop values joined by ",", domain URIs by SP.
 * Quoted values are written with the minimal escaping: '"' and '\' become
 * quoted-pairs, every other byte is written as itself.
 *
 * Refused, with AG_ERR_FIELD and an ag_field_error naming the field, the byte
 * offset in the caller's value and the ABNF rule:
 *   - CR and LF in any field, always: no line fold is ever emitted, so no
 *     input can start a new header line;
 *   - every byte the field's production does not admit: in a quoted value
 *     NUL and the other control bytes except HTAB (the grammar would carry
 *     them only as quoted-pairs, which real SIP peers do not read back; we
 *     choose to refuse them), bytes 0x80-0xFF that are not UTF8-NONASCII; in
 *     a token anything but the token characters; an empty token;
 *   - in a Digest challenge, an AG_PARAM_GENERIC parameter whose name has a
 *     dedicated production and which, written canonically, would match it
 *     (qop="au\th": only the quoted-pair kept it an auth-param; domain="..."
 *     with a line fold between URIs): the output would read differently
 *     from the input, so it is refused (rule: the dedicated production).
 *
 * Output: snprintf-style but never partial.  On success the output and a
 * terminating NUL are written and *len is the output length (without the
 * NUL).  When cap < *len + 1, AG_ERR_SPACE: nothing but buf[0] = NUL (when
 * cap > 0) is written and *len is the length needed (without the NUL).  On
 * any other error *len is 0 and buf[0] = NUL (when cap > 0).  buf may be
 * NULL when cap is 0 (a pure length query). */

/* What a serialized challenge or credentials is written as: the value, or
 * the whole line of the header named (a challenge's for a challenge, an
 * answer's for credentials). */
typedef enum ag_form {
    AG_FORM_VALUE = 0,           /* the header field value only: "Digest realm=..." */
    AG_FORM_PROXY_AUTHENTICATE,  /* challenge: "Proxy-Authenticate: Digest realm=...\r\n" */
    AG_FORM_WWW_AUTHENTICATE,    /* challenge: "WWW-Authenticate: Digest realm=...\r\n" */
    AG_FORM_PROXY_AUTHORIZATION, /* credentials: "Proxy-Authorization: ...\r\n" */
    AG_FORM_AUTHORIZATION        /* credentials: "Authorization: ...\r\n" */
} ag_form;

/* Why something was refused.  Static strings; offsets are into the caller's
 * bytes of that field (for ag_serialize, into the raw value as given).  All
 * zero (status AG_OK, NULL strings) when nothing was refused. */
typedef struct ag_field_error {
    ag_status status;    /* AG_ERR_FIELD: the grammar refused a byte;
                            AG_ERR_ARGUMENT: an argument cannot be used
                            (field names it: "form", "len", "buf",
                            "challenge", "credentials", "header", "builder",
                            "profile", or the builder's field given twice, ...) and
                            message says why, rule ""; the builder also
                            reports AG_ERR_CAPACITY here.  Every writer fills
                            it for every refusal; AG_ERR_SPACE is not one
                            (status AG_OK: nothing was refused) */
    const char *field;   /* "realm", "nonce", "opaque", "algorithm", "qop",
                            "stale", "domain", "scheme", "param-name",
                            "param-value", "userhash", "charset",
                            "token68", or
                            "challenge" (the challenge as a whole, e.g. one
                            without parameters) */
    size_t challenge;    /* which challenge (0-based) */
    size_t index;        /* qop/domain: which value of that list;
                            other fields: which parameter of the challenge */
    size_t offset;       /* offset of the refused byte in the field's value
                            (the value's length when at_end) */
    int at_end;          /* the value ended where more was needed (e.g. empty) */
    const char *rule;    /* the ABNF rule that refused it, by its RFC name */
    const char *rfc;     /* where that rule is defined ("" if unknown) */
    const char *message; /* one line, e.g. "CR and LF are never written ..." */
} ag_field_error;

/* Formats an ag_field_error as one line, e.g.
 *   realm: offset 3: CR and LF are never written [LWS] (RFC 3261 section 25.1)
 * snprintf semantics. */
AG_API size_t ag_field_error_format(const ag_field_error *e, char *buf, size_t cap);

/* Serializes a parsed challenge (or one filled in by hand): c->scheme and
 * c->params[0 .. param_count), in order, each with its name as written, its
 * value quoted or not as p->quoted says and checked against the production
 * of p->kind.  A quoted value is taken as raw quoted content as the parser
 * returns it: quoted-pairs are unescaped and line folds dropped, then the
 * canonical escaping is applied.  The typed fields (realm, qop, ...) are
 * views of the parameters and are not read.  Returns AG_OK, AG_ERR_SPACE,
 * AG_ERR_FIELD (err says why), AG_ERR_ARGUMENT (c or len NULL, buf NULL with
 * cap > 0, param_count > param_cap, an unknown form). err may be NULL. */
AG_API ag_status ag_serialize(const ag_challenge *c, ag_form form, char *buf, size_t cap,
                              size_t *len, ag_field_error *err);

/* Serializes a parsed list as one header field: in http its challenges
 * joined by ", " (and a token68 where a challenge has one); in sip its one
 * challenge.  Otherwise as ag_serialize. */
AG_API ag_status ag_serialize_list(const ag_challenge_list *l, ag_form form, char *buf, size_t cap,
                                   size_t *len, ag_field_error *err);

/* ---- the builder -----------------------------------------------------------
 *
 * One call per challenge (ag_builder_digest, ag_builder_basic:
 * proxy_authenticate_digest(realm, nonce, opaque, algorithm, qop, stale,
 * domain) and proxy_authenticate_basic(realm)) or step-wise setters.  qop
 * lists are quoted, domain URIs are separated by SP, every quoted value is
 * escaped, unknown algorithms are kept as given, and several challenges
 * give several header lines, never one comma-joined SIP header field (RFC
 * 3261 section 7.3.1).
 *
 * The builder copies nothing: it keeps pointers to the caller's strings,
 * which must stay valid until ag_builder_finish().  No heap allocation.
 * Every setter checks its argument at once and returns AG_OK or the error;
 * the first error is kept, later calls do nothing and return AG_ERR_STATE,
 * and ag_builder_finish() reports it (ag_builder_error() shows it earlier).
 * Errors: AG_ERR_FIELD (the grammar refuses a byte), AG_ERR_ARGUMENT (a NULL
 * value, a setter called before any ag_builder_challenge(), a parameter name
 * given twice in one challenge -- a duplicate parameter, RFC 2617 section
 * 3.2.1 -- or an extension parameter carrying the name of a dedicated field:
 * use its setter), AG_ERR_CAPACITY (the limits below).
 *
 * Strings are (pointer, length); AG_NTS as the length means "NUL-terminated,
 * use strlen".  Lengths let a caller pass any byte, NUL included: the checks
 * decide. */
#define AG_NTS ((size_t)-1)

#define AG_BUILD_CHALLENGES 8 /* challenges per builder */
#define AG_BUILD_PARAMS 48    /* parameters, all challenges together */
#define AG_BUILD_ITEMS 64     /* qop values and domain URIs, all together */

typedef struct ag_build_param {
    ag_param_kind kind;
    ag_span name;
    ag_span value;
    int quoted;
    size_t challenge;
} ag_build_param;

typedef struct ag_build_item {
    ag_span value;
    size_t param; /* index in params */
} ag_build_item;

/* Treat as opaque; it is public so that it can live on the stack. */
typedef struct ag_builder {
    ag_profile profile;
    int join;
    ag_span scheme[AG_BUILD_CHALLENGES];
    ag_span token68[AG_BUILD_CHALLENGES];
    size_t nchallenges;
    ag_build_param params[AG_BUILD_PARAMS];
    size_t nparams;
    ag_build_item items[AG_BUILD_ITEMS];
    size_t nitems;
    ag_field_error error;
} ag_builder;

AG_API void ag_builder_init(ag_builder *b);

/* The profile of the challenges (default AG_PROFILE_SIP); set it before the
 * first challenge.  In http, userhash and charset are dedicated Digest
 * parameters (RFC 7616), a challenge may carry a token68 instead of
 * parameters, and several challenges may share one header field. */
AG_API ag_status ag_builder_profile(ag_builder *b, ag_profile profile);

/* http only: ag_builder_finish with AG_FORM_PROXY_AUTHENTICATE / AG_FORM_WWW_AUTHENTICATE writes every
 * challenge in one header line, joined by ", " (RFC 7235 1#challenge);
 * AG_FORM_VALUE always does in http.  In sip: AG_ERR_ARGUMENT. */
AG_API ag_status ag_builder_join(ag_builder *b, int join);

/* http only: the latest challenge's token68 ("Negotiate abc=="), checked
 * against RFC 7235 token68.  Refused (AG_ERR_ARGUMENT) for Digest and Basic,
 * which take parameters, and for a challenge that has parameters. */
AG_API ag_status ag_builder_token68(ag_builder *b, const char *s, size_t len);

/* Starts a new challenge with that auth-scheme ("Digest", "Basic", any
 * token); the setters below apply to the latest one.  Parameters are written
 * in the order of the first call that sets them. */
AG_API ag_status ag_builder_challenge(ag_builder *b, const char *scheme, size_t len);

/* Dedicated fields of the latest challenge.  realm, nonce and opaque are
 * quoted strings; algorithm is any token (aka-namespec or algorithm-value);
 * qop and domain add one value each to one qop / domain parameter. */
AG_API ag_status ag_builder_realm(ag_builder *b, const char *s, size_t len);
AG_API ag_status ag_builder_nonce(ag_builder *b, const char *s, size_t len);
AG_API ag_status ag_builder_opaque(ag_builder *b, const char *s, size_t len);
AG_API ag_status ag_builder_algorithm(ag_builder *b, const char *s, size_t len);
AG_API ag_status ag_builder_qop(ag_builder *b, const char *s, size_t len);
AG_API ag_status ag_builder_stale(ag_builder *b, ag_stale stale); /* TRUE or FALSE */
AG_API ag_status ag_builder_domain(ag_builder *b, const char *uri, size_t len);
/* RFC 7616 section 3.3: userhash=true (nonzero) or false (0), charset=TOKEN
 * (e.g. UTF-8); extension auth-params in SIP. */
AG_API ag_status ag_builder_userhash(ag_builder *b, int userhash);
AG_API ag_status ag_builder_charset(ag_builder *b, const char *s, size_t len);
/* An extension auth-param: NAME=VALUE, VALUE as a quoted-string (quoted=1)
 * or a token (quoted=0). */
AG_API ag_status ag_builder_param(ag_builder *b, const char *name, size_t name_len,
                                  const char *value, size_t value_len, int quoted);

/* The one-call builders, adding one challenge each.  opaque and algorithm may be
 * NULL; qop/domain are arrays of NUL-terminated strings (NULL when count is
 * 0); stale is AG_STALE_UNSET, AG_STALE_FALSE or AG_STALE_TRUE.  Parameters
 * come out in this order: realm, nonce, opaque, algorithm, qop, stale,
 * domain.  realm (both) and nonce (digest) are required: NULL is
 * AG_ERR_ARGUMENT, and so is a stale value that is not an ag_stale. */
AG_API ag_status ag_builder_digest(ag_builder *b, const char *realm, const char *nonce,
                                   const char *opaque, const char *algorithm,
                                   const char *const *qop, size_t nqop, ag_stale stale,
                                   const char *const *domain, size_t ndomain);
AG_API ag_status ag_builder_basic(ag_builder *b, const char *realm);

/* The first error kept (status AG_OK when none). */
AG_API const ag_field_error *ag_builder_error(const ag_builder *b);

/* Writes every challenge: with AG_FORM_PROXY_AUTHENTICATE / AG_FORM_WWW_AUTHENTICATE one header line
 * each ("Name: value\r\n"), with AG_FORM_VALUE the value of the only
 * challenge (several: AG_ERR_ARGUMENT, since SIP never comma-joins them).
 * Output conventions as ag_serialize.  Returns the builder's first error
 * (AG_ERR_FIELD, AG_ERR_CAPACITY, AG_ERR_ARGUMENT) if it has one, with *err
 * a copy of it; a builder with no challenge is AG_ERR_ARGUMENT. */
AG_API ag_status ag_builder_finish(const ag_builder *b, ag_form form, char *buf, size_t cap,
                                   size_t *len, ag_field_error *err);

/* One call, one header line ("Proxy-Authenticate: Digest ...\r\n"):
 * ag_builder_digest / ag_builder_basic then ag_builder_finish. */
AG_API ag_status ag_proxy_authenticate_digest(char *buf, size_t cap, size_t *len,
                                              ag_field_error *err, const char *realm,
                                              const char *nonce, const char *opaque,
                                              const char *algorithm, const char *const *qop,
                                              size_t nqop, ag_stale stale,
                                              const char *const *domain, size_t ndomain);
AG_API ag_status ag_proxy_authenticate_basic(char *buf, size_t cap, size_t *len,
                                             ag_field_error *err, const char *realm);
AG_API ag_status ag_www_authenticate_digest(char *buf, size_t cap, size_t *len,
                                            ag_field_error *err, const char *realm,
                                            const char *nonce, const char *opaque,
                                            const char *algorithm, const char *const *qop,
                                            size_t nqop, ag_stale stale,
                                            const char *const *domain, size_t ndomain);
AG_API ag_status ag_www_authenticate_basic(char *buf, size_t cap, size_t *len,
                                           ag_field_error *err, const char *realm);

/* ---- credentials: Authorization and Proxy-Authorization ---------------------
 *
 * The answer side, from the same generator: RFC 3261 section 25.1
 * "credentials" (digest-response: username, realm, nonce, digest-uri,
 * dresponse, algorithm, cnonce, opaque, message-qop, nonce-count,
 * auth-param; other-response) with RFC 3310's auts and RFC 8760's longer
 * request-digest in the sip profile; RFC 7235 credentials with the Digest
 * parameters of RFC 7616 section 3.4 (userhash, username*) in the http
 * profile.  Conventions as for challenges: spans into the caller's buffer,
 * the parameters in a caller array, no allocation. */

typedef struct ag_credentials {
    ag_profile profile;
    ag_header header;       /* AG_HEADER_PROXY_AUTHORIZATION,
                               AG_HEADER_AUTHORIZATION, or NONE for a value */
    size_t offset;          /* offset of the scheme in the input */
    ag_span scheme;
    ag_scheme scheme_id;
    /* The dedicated fields of a Digest response: the first parameter that
     * matched each production (ptr NULL when there is none).  Quoted ones
     * are raw quoted content (see ag_unescape); nc and qop are tokens. */
    ag_span username;
    ag_span username_ext;   /* http: username*, the ext-value as written */
    ag_span realm;
    ag_span nonce;
    ag_span uri;            /* the digest-uri, between its quotes */
    ag_span response;       /* the hex digits, between their quotes */
    ag_span cnonce;
    ag_span opaque;
    ag_span nc;             /* 8 hex digits */
    ag_span auts;           /* sip: RFC 3310 auts, between its quotes */
    ag_algorithm algorithm; /* AG_ALGORITHM_NONE when absent */
    ag_span algorithm_raw;
    ag_qop qop;             /* message-qop; meaningful when qop_raw.ptr */
    ag_span qop_raw;
    ag_userhash userhash;   /* http: userhash=true/false */
    ag_span token68;        /* http: the token68 form ("Basic dXNlcjpwYXNz") */
    ag_param *params;       /* caller array: every parameter, in order */
    size_t param_cap, param_count;
} ag_credentials;

typedef struct ag_credentials_storage {
    ag_param params[AG_STORAGE_PARAMS];
} ag_credentials_storage;

/* Clears *c and points its parameter array at *storage. */
AG_API void ag_credentials_init(ag_credentials *c, ag_credentials_storage *storage);

/* Parses credentials: with AG_INPUT_VALUE a header field value ("Digest
 * username=..."), with AG_INPUT_HEADER a whole "Authorization:" or
 * "Proxy-Authorization:" line (any case; the CRLF may be left out).  A
 * header field carries one credentials in both profiles (RFC 3261 section
 * 20.7, RFC 7235 section 4.2).  Returns as ag_parse_challenge: AG_OK,
 * AG_ERR_SYNTAX (diag names the offset and the rule), AG_ERR_CAPACITY
 * (param_count says how many are needed), AG_ERR_ARGUMENT (NULL out, NULL
 * buf with len > 0, an unknown profile or input, params NULL with a
 * capacity). */
AG_API ag_status ag_parse_credentials(ag_profile profile, ag_input input, const char *buf,
                                      size_t len, ag_credentials *out, ag_diag *diag);

/* The warnings of parsed credentials (same conventions as ag_check):
 * duplicate parameters, dedicated-name fallthroughs, unregistered
 * algorithm/qop values, Basic in SIP, a Digest response without username,
 * realm, nonce, uri or response (digest-missing-param), nc or cnonce
 * without qop or qop without them (digest-qop-mismatch). */
AG_API size_t ag_check_credentials(const ag_credentials *c, ag_warning *out, size_t cap);

/* Serializes credentials as ag_serialize does challenges: the scheme and
 * the parameters in order, each checked against its own production, the
 * whole against "credentials" (or the header line).  Forms: AG_FORM_VALUE,
 * AG_FORM_PROXY_AUTHORIZATION, AG_FORM_AUTHORIZATION (the challenge forms
 * are AG_ERR_ARGUMENT here). */
AG_API ag_status ag_serialize_credentials(const ag_credentials *c, ag_form form, char *buf,
                                          size_t cap, size_t *len, ag_field_error *err);

/* proxy_authorization_digest and authorization_digest: one
 * header line "Proxy-Authorization: Digest username=..., realm=...,
 * nonce=..., uri=..., response=...[, algorithm=...][, cnonce=...]
 * [, opaque=...][, qop=...][, nc=...]\r\n" (resp. "Authorization: "), in
 * the sip profile (the http answer, and any value a C string cannot hold:
 * ag_digest_answer_line, below).  username, realm, nonce, uri and response
 * are required (NULL: AG_ERR_ARGUMENT); algorithm, cnonce, opaque, qop and
 * nc may be NULL.  Values are C strings, unescaped: one holding a NUL byte cannot be
 * given here (use ag_digest_answer_line).
 *
 * What is checked, and where: every value by its own production, so only
 * the grammar is enforced here -- uri must be a Request-URI (RFC 3261
 * digest-uri; in http, through ag_digest_answer_line, a URI-reference or
 * "*"); response is request-digest = LDQUOT *LHEX RDQUOT,
 * lowercase hex of ANY length, "" included (that its length is the
 * algorithm's, 32 or 64 digits, is a prose rule of RFC 8760 section 2.6:
 * ag_check_credentials warns, digest-response-length); nc exactly 8
 * lowercase hex digits; qop and algorithm tokens written unquoted; the rest
 * quoted, with every byte that qdtext does not allow and quoted-pair does
 * written as a quoted-pair.  Output conventions as ag_serialize (nothing
 * written unless everything passed). */
AG_API ag_status ag_proxy_authorization_digest(char *buf, size_t cap, size_t *len,
                                               ag_field_error *err, const char *username,
                                               const char *realm, const char *nonce,
                                               const char *uri, const char *response,
                                               const char *algorithm, const char *cnonce,
                                               const char *opaque, const char *qop,
                                               const char *nc);
AG_API ag_status ag_authorization_digest(char *buf, size_t cap, size_t *len,
                                         ag_field_error *err, const char *username,
                                         const char *realm, const char *nonce, const char *uri,
                                         const char *response, const char *algorithm,
                                         const char *cnonce, const char *opaque,
                                         const char *qop, const char *nc);

/* The same answer with length-carrying values, in either profile: a value
 * may hold any byte (a NUL included) and is written only if the grammar can
 * carry it (in sip a control byte other than CR and LF becomes a
 * quoted-pair; in http it is refused: AG_ERR_FIELD).  Absent optional
 * values are {NULL, 0}; an empty value is a non-NULL pointer with length
 * 0.  Nothing is kept: the spans need only live during the call. */
typedef struct ag_digest_answer {
    ag_span username, realm, nonce, uri, response; /* required */
    ag_span algorithm, cnonce, opaque, qop, nc;    /* {NULL, 0}: absent */
} ag_digest_answer;

/* header: AG_HEADER_PROXY_AUTHORIZATION or AG_HEADER_AUTHORIZATION (the
 * whole line, ending in CRLF).  Returns AG_OK, AG_ERR_SPACE (*len says how
 * much is needed; nothing written), AG_ERR_FIELD (err names the field,
 * the byte's offset in its value and the rule), or AG_ERR_ARGUMENT (a NULL
 * a, len, or required value, another header, {NULL, n > 0}). */
AG_API ag_status ag_digest_answer_line(ag_profile profile, ag_header header, const ag_digest_answer *a,
                                       char *buf, size_t cap, size_t *len, ag_field_error *err);

#ifdef __cplusplus
}
#endif

#endif
