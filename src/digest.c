/* SPDX-License-Identifier: MIT */
/* Digest computation and verification (authgram_digest.h) over libcrypto's
 * EVP interface.  Each hash is fed its parts with the ':' separators in
 * between, so no concatenation buffer (and no length limit) is needed. */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "authgram_digest.h"
#include "response_len.h"

#define HEX_MAX AG_DIGEST_HEX_MAX

typedef struct alg {
    const EVP_MD *md; /* NULL: not computable */
    size_t hex;
    int sess;
} alg;

static alg alg_of(ag_algorithm a)
{
    alg r = {NULL, 0, 0};
    switch (a) {
    case AG_ALGORITHM_NONE: /* absent means MD5 (RFC 7616 section 3.3) */
    case AG_ALGORITHM_MD5: r.md = EVP_md5(); break;
    case AG_ALGORITHM_MD5_SESS: r.md = EVP_md5(); r.sess = 1; break;
    case AG_ALGORITHM_SHA_256: r.md = EVP_sha256(); break;
    case AG_ALGORITHM_SHA_256_SESS: r.md = EVP_sha256(); r.sess = 1; break;
    case AG_ALGORITHM_SHA_512_256: r.md = EVP_sha512_256(); break;
    case AG_ALGORITHM_SHA_512_256_SESS: r.md = EVP_sha512_256(); r.sess = 1; break;
    default: return r; /* AKA (RFC 3310 needs the AKA keys), unknown tokens */
    }
    /* the shared table (test_digest checks it against the hash's size) */
    r.hex = r.md ? ag_response_hex_digits(a) : 0;
    return r;
}

size_t ag_digest_hex_len(ag_algorithm algorithm) { return alg_of(algorithm).hex; }

/* One hash of parts joined by ':' into hex; 0 when libcrypto refuses. */
static int hash_hex(EVP_MD_CTX *ctx, const alg *a, const ag_span *parts, size_t n, char *hex)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_DigestInit_ex(ctx, a->md, NULL))
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (i && !EVP_DigestUpdate(ctx, ":", 1))
            return 0;
        if (parts[i].len && !EVP_DigestUpdate(ctx, parts[i].ptr, parts[i].len))
            return 0;
    }
    if (!EVP_DigestFinal_ex(ctx, md, &mdlen) || 2 * (size_t)mdlen != a->hex)
        return 0;
    static const char digits[] = "0123456789abcdef";
    for (unsigned int i = 0; i < mdlen; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[2 * mdlen] = 0;
    OPENSSL_cleanse(md, sizeof md);
    return 1;
}

/* n lowercase hex digits exactly (nc-value = 8LHEX; a stored H(A1)). */
static int is_lhex(ag_span s, size_t n)
{
    if (!s.ptr || s.len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s.ptr[i] >= '0' && s.ptr[i] <= '9') || (s.ptr[i] >= 'a' && s.ptr[i] <= 'f')))
            return 0;
    return 1;
}

static ag_span span(const char *p, size_t n) { return (ag_span){p, n}; }

/* Checks what every hash of *in needs; AG_OK or the error. */
static ag_status check_input(const ag_digest_input *in, const alg *a)
{
    if (!a->md)
        return AG_ERR_UNSUPPORTED;
    if (!in->realm.ptr || !in->method.ptr || !in->uri.ptr || !in->nonce.ptr)
        return AG_ERR_ARGUMENT;
    if (in->ha1.ptr ? !is_lhex(in->ha1, a->hex) : (!in->username.ptr || !in->password.ptr))
        return AG_ERR_ARGUMENT;
    if (in->qop != AG_QOP_NONE && in->qop != AG_QOP_AUTH && in->qop != AG_QOP_AUTH_INT)
        return AG_ERR_ARGUMENT;
    if (in->qop != AG_QOP_NONE && (!in->cnonce.ptr || !is_lhex(in->nc, 8)))
        return AG_ERR_ARGUMENT;
    if (a->sess && !in->cnonce.ptr)
        return AG_ERR_ARGUMENT;
    return AG_OK;
}

/* The response in hex (a->hex digits + NUL) into resp; AG_OK or an error. */
static ag_status compute(const ag_digest_input *in, const alg *a, char *resp)
{
    ag_status st = check_input(in, a);
    if (st != AG_OK)
        return st;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return AG_ERR_UNSUPPORTED;
    char ha1[HEX_MAX + 1], ha2[HEX_MAX + 1], body[HEX_MAX + 1];
    int ok = 1;
    /* A1 = username ":" realm ":" passwd, then for -sess
     * H(A1) ":" nonce ":" cnonce (RFC 7616 section 3.4.2) */
    if (in->ha1.ptr) {
        memcpy(ha1, in->ha1.ptr, a->hex);
        ha1[a->hex] = 0;
    } else {
        ag_span p[3] = {in->username, in->realm, in->password};
        ok = hash_hex(ctx, a, p, 3, ha1);
    }
    if (ok && a->sess) {
        ag_span p[3] = {span(ha1, a->hex), in->nonce, in->cnonce};
        ok = hash_hex(ctx, a, p, 3, ha1);
    }
    /* A2 = Method ":" request-uri [ ":" H(entity-body) ] (section 3.4.3) */
    if (ok && in->qop == AG_QOP_AUTH_INT) {
        ok = hash_hex(ctx, a, &in->body, 1, body);
        ag_span p[3] = {in->method, in->uri, span(body, a->hex)};
        ok = ok && hash_hex(ctx, a, p, 3, ha2);
    } else if (ok) {
        ag_span p[2] = {in->method, in->uri};
        ok = hash_hex(ctx, a, p, 2, ha2);
    }
    /* response (section 3.4.1; without qop, RFC 2617 section 3.2.2.1) */
    if (ok && in->qop != AG_QOP_NONE) {
        ag_span q = in->qop == AG_QOP_AUTH ? span(AG_QOP_AUTH_TEXT, sizeof AG_QOP_AUTH_TEXT - 1)
                                            : span(AG_QOP_AUTH_INT_TEXT, sizeof AG_QOP_AUTH_INT_TEXT - 1);
        ag_span p[6] = {span(ha1, a->hex), in->nonce, in->nc, in->cnonce, q, span(ha2, a->hex)};
        ok = hash_hex(ctx, a, p, 6, resp);
    } else if (ok) {
        ag_span p[3] = {span(ha1, a->hex), in->nonce, span(ha2, a->hex)};
        ok = hash_hex(ctx, a, p, 3, resp);
    }
    EVP_MD_CTX_free(ctx);
    OPENSSL_cleanse(ha1, sizeof ha1);
    OPENSSL_cleanse(ha2, sizeof ha2);
    return ok ? AG_OK : AG_ERR_UNSUPPORTED;
}

/* Copies hex (n digits) to the caller's buffer under the AG_ERR_SPACE contract. */
static ag_status put(const char *hex, size_t n, char *out, size_t cap, size_t *len)
{
    if (len)
        *len = n;
    if (cap < n + 1)
        return AG_ERR_SPACE;
    memcpy(out, hex, n + 1);
    return AG_OK;
}

ag_status ag_digest_response(const ag_digest_input *in, char *out, size_t cap, size_t *len)
{
    if (len)
        *len = 0;
    if (!in || !out)
        return AG_ERR_ARGUMENT;
    alg a = alg_of(in->algorithm);
    char resp[HEX_MAX + 1];
    ag_status st = compute(in, &a, resp);
    return st == AG_OK ? put(resp, a.hex, out, cap, len) : st;
}

ag_status ag_digest_verify(const ag_digest_input *in, ag_span response)
{
    if (!in || (!response.ptr && response.len))
        return AG_ERR_ARGUMENT;
    alg a = alg_of(in->algorithm);
    char resp[HEX_MAX + 1];
    ag_status st = compute(in, &a, resp);
    if (st != AG_OK)
        return st;
    /* the length is the algorithm's, public; the digits are compared in
     * constant time */
    int same = response.len == a.hex && CRYPTO_memcmp(resp, response.ptr, a.hex) == 0;
    OPENSSL_cleanse(resp, sizeof resp);
    return same ? AG_OK : AG_ERR_MISMATCH;
}

/* H(parts joined by ':') of the algorithm's base hash into out. */
static ag_status hash_out(ag_algorithm algorithm, const ag_span *parts, size_t n, char *out, size_t cap,
                          size_t *len)
{
    if (len)
        *len = 0;
    if (!out)
        return AG_ERR_ARGUMENT;
    for (size_t i = 0; i < n; i++)
        if (!parts[i].ptr)
            return AG_ERR_ARGUMENT;
    alg a = alg_of(algorithm);
    if (!a.md)
        return AG_ERR_UNSUPPORTED;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    char hex[HEX_MAX + 1];
    int ok = ctx && hash_hex(ctx, &a, parts, n, hex);
    EVP_MD_CTX_free(ctx);
    ag_status st = ok ? put(hex, a.hex, out, cap, len) : AG_ERR_UNSUPPORTED;
    OPENSSL_cleanse(hex, sizeof hex);
    return st;
}

ag_status ag_digest_ha1(ag_algorithm algorithm, ag_span username, ag_span realm, ag_span password,
                        char *out, size_t cap, size_t *len)
{
    ag_span p[3] = {username, realm, password};
    return hash_out(algorithm, p, 3, out, cap, len);
}

ag_status ag_digest_userhash(ag_algorithm algorithm, ag_span username, ag_span realm, char *out,
                             size_t cap, size_t *len)
{
    ag_span p[2] = {username, realm};
    return hash_out(algorithm, p, 2, out, cap, len);
}

/* ---- choosing ---------------------------------------------------------------- */

const char *ag_digest_unusable_name(ag_digest_unusable why)
{
    static const char *const names[] = {"usable", "not-digest", "no-realm", "no-nonce",
                                        "algorithm", "qop"};
    return (unsigned)why < sizeof names / sizeof *names ? names[why] : "";
}

int ag_digest_pick_qop(const ag_challenge *c)
{
    if (!c)
        return -1;
    int offered = 0; /* a qop-options parameter (its values are in qop[]) */
    for (size_t i = 0; i < c->param_count && i < c->param_cap; i++)
        offered |= c->params[i].kind == AG_PARAM_QOP;
    if (!offered)
        return AG_QOP_NONE;
    int best = -1;
    for (size_t i = 0; i < c->qop_count && i < c->qop_cap; i++) {
        if (c->qop[i].qop == AG_QOP_AUTH)
            return AG_QOP_AUTH;
        if (c->qop[i].qop == AG_QOP_AUTH_INT)
            best = AG_QOP_AUTH_INT;
    }
    return best;
}

static ag_digest_unusable verdict(const ag_challenge *c)
{
    if (c->scheme_id != AG_SCHEME_DIGEST)
        return AG_DIGEST_NOT_DIGEST;
    if (!c->realm.ptr)
        return AG_DIGEST_NO_REALM;
    if (!c->nonce.ptr)
        return AG_DIGEST_NO_NONCE;
    if (!alg_of(c->algorithm).md)
        return AG_DIGEST_ALGORITHM;
    if (ag_digest_pick_qop(c) < 0)
        return AG_DIGEST_QOP;
    return AG_DIGEST_USABLE;
}

/* Strength of a computable algorithm's hash: MD5 1, SHA-256 2, SHA-512-256 3. */
static int strength(ag_algorithm a)
{
    switch (a) {
    case AG_ALGORITHM_SHA_512_256:
    case AG_ALGORITHM_SHA_512_256_SESS: return 3;
    case AG_ALGORITHM_SHA_256:
    case AG_ALGORITHM_SHA_256_SESS: return 2;
    default: return 1;
    }
}

ag_status ag_digest_choose(const ag_challenge *ch, size_t n, size_t *chosen, ag_digest_unusable *why)
{
    if (!chosen || (!ch && n))
        return AG_ERR_ARGUMENT;
    *chosen = n;
    for (size_t i = 0; i < n; i++) {
        ag_digest_unusable v = verdict(&ch[i]);
        if (why)
            why[i] = v;
        /* strictly stronger only: the topmost wins a tie */
        if (v == AG_DIGEST_USABLE &&
            (*chosen == n || strength(ch[i].algorithm) > strength(ch[*chosen].algorithm)))
            *chosen = i;
    }
    return *chosen < n ? AG_OK : AG_ERR_UNSUPPORTED;
}
