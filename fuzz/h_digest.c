/* SPDX-License-Identifier: MIT */
/* Harness "digest": libauthgram-digest on what the parsers read.  The input
 * is TEXT [NUL PARAMS]: TEXT (up to the last NUL) is parsed as challenges
 * and as credentials, in both profiles, as a value and as a header line;
 * PARAMS are lines (LF-separated) username, password, method, uri, cnonce,
 * nc, body, knobs -- a line "\x7f" is absent (NULL), a missing line the
 * RFC 3261 example's value.  Invariants:
 *   - ag_digest_choose gives each challenge a verdict that says what it
 *     lacks (authgram_digest.h) and picks the strongest usable algorithm,
 *     the topmost among equals; AG_ERR_UNSUPPORTED exactly when none is
 *     usable;
 *   - answering a challenge (its algorithm, ag_digest_pick_qop, its realm
 *     and nonce unescaped, the PARAMS) computes, or fails with the status
 *     the header documents for what is missing, never another;
 *   - a computed response is the algorithm's number of lowercase hex
 *     digits; a short buffer is AG_ERR_SPACE with nothing written; the
 *     stored-H(A1) form (ag_digest_ha1) computes the same; verify accepts
 *     it, and rejects it with any one byte changed, the last one dropped;
 *   - written by the credentials builder (ag_digest_answer_line, the
 *     challenge's profile) and parsed back, the answer verifies against
 *     the password;
 *   - parsed credentials verified against the PARAMS' password: AG_OK
 *     exactly when their response is the one computed, AG_ERR_MISMATCH
 *     otherwise, or the documented error. */
#include <string.h>

#include "authgram_digest.h"
#include "fuzz.h"

enum { P_USERNAME, P_PASSWORD, P_METHOD, P_URI, P_CNONCE, P_NC, P_BODY, P_KNOBS, NPARAMS };

/* RFC 3261 section 22.4's user (the builder writes sip) */
static const char *const defaults[NPARAMS] = {
    "bob", "zanzibar", "INVITE", "sip:bob@biloxi.com", "0a4f113b", "00000001", "", ""};

static ag_span params[NPARAMS];

static void read_params(const char *p, size_t n)
{
    size_t k = 0, at = 0;
    while (k < NPARAMS && at <= n && n) {
        const char *nl = memchr(p + at, '\n', n - at);
        size_t end = nl ? (size_t)(nl - p) : n;
        params[k] = (ag_span){p + at, end - at};
        if (end - at == 1 && p[at] == 0x7f)
            params[k] = (ag_span){NULL, 0};
        k++;
        at = end + 1;
        if (!nl)
            break;
    }
    for (; k < NPARAMS; k++)
        params[k] = (ag_span){defaults[k], strlen(defaults[k])};
}

/* ---- what the header documents -------------------------------------------- */

static int is_sess(ag_algorithm a)
{
    return a == AG_ALGORITHM_MD5_SESS || a == AG_ALGORITHM_SHA_256_SESS ||
           a == AG_ALGORITHM_SHA_512_256_SESS;
}

static int lower_hex(ag_span s, size_t n)
{
    if (!s.ptr || s.len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdef", s.ptr[i]) || !s.ptr[i])
            return 0;
    return 1;
}

/* Is rc what ag_digest_response documents for in (password form)?  An
 * algorithm it cannot compute is AG_ERR_UNSUPPORTED, a missing or malformed
 * field AG_ERR_ARGUMENT (either, when both apply), else AG_OK. */
static int documented(const ag_digest_input *in, ag_status rc)
{
    int unsupported = ag_digest_hex_len(in->algorithm) == 0;
    int qop = in->qop != AG_QOP_NONE;
    int bad = !in->username.ptr || !in->password.ptr || !in->realm.ptr || !in->method.ptr ||
              !in->uri.ptr || !in->nonce.ptr ||
              (in->qop != AG_QOP_NONE && in->qop != AG_QOP_AUTH &&
               in->qop != AG_QOP_AUTH_INT) ||
              (qop && (!in->cnonce.ptr || !lower_hex(in->nc, 8))) ||
              (is_sess(in->algorithm) && !in->cnonce.ptr);
    if (unsupported || bad)
        return (unsupported && rc == AG_ERR_UNSUPPORTED) || (bad && rc == AG_ERR_ARGUMENT);
    return rc == AG_OK;
}

/* ---- unescaped values ---------------------------------------------------- */

/* The unescaped values and C strings of one answer live here (4 times
 * the input's size: reset for every answer, it holds all of them). */
static char *arena;
static size_t arena_used, arena_cap;

static ag_span unq(ag_span raw)
{
    if (!raw.ptr)
        return raw;
    FUZZ_CHECK(arena_used + raw.len <= arena_cap, "arena full");
    char *d = arena + arena_used;
    size_t n = ag_unescape(raw, d, raw.len);
    arena_used += n;
    return (ag_span){d, n};
}

/* ---- one response ---------------------------------------------------------- */

/* Computes in's response into out (AG_DIGEST_HEX_MAX + 1 bytes) and checks
 * everything a computed response promises; returns the status. */
static ag_status compute(const ag_digest_input *in, char *out)
{
    size_t len = 1;
    ag_status rc = ag_digest_response(in, out, AG_DIGEST_HEX_MAX + 1, &len);
    FUZZ_CHECK(documented(in, rc), "algorithm %d qop %d: ag_digest_response %s is not documented",
               in->algorithm, in->qop, ag_status_name(rc));
    if (rc != AG_OK) {
        FUZZ_CHECK(len == 0, "%s with a length %zu", ag_status_name(rc), len);
        return rc;
    }
    size_t hex = ag_digest_hex_len(in->algorithm);
    FUZZ_CHECK(len == hex && out[len] == 0 && lower_hex((ag_span){out, len}, hex),
               "algorithm %d: response '%.*s' (%zu digits, want %zu lowercase)", in->algorithm,
               (int)len, out, len, hex);
    /* one byte short: nothing written, the length needed */
    char small[AG_DIGEST_HEX_MAX + 1];
    memset(small, 0x5a, sizeof small);
    size_t need = 0;
    FUZZ_CHECK(ag_digest_response(in, small, hex, &need) == AG_ERR_SPACE && need == hex,
               "a buffer of %zu: not AG_ERR_SPACE with the length", hex);
    for (size_t i = 0; i < sizeof small; i++)
        FUZZ_CHECK(small[i] == 0x5a, "AG_ERR_SPACE wrote byte %zu", i);
    /* the server's form: H(A1) stored instead of the password */
    char ha1[AG_DIGEST_HEX_MAX + 1], again[AG_DIGEST_HEX_MAX + 1];
    size_t n = 0;
    FUZZ_CHECK(ag_digest_ha1(in->algorithm, in->username, in->realm, in->password, ha1, sizeof ha1,
                             &n) == AG_OK && n == hex,
               "ag_digest_ha1 refused what computed");
    ag_digest_input h = *in;
    h.password = (ag_span){NULL, 0};
    h.ha1 = (ag_span){ha1, n};
    FUZZ_CHECK(ag_digest_response(&h, again, sizeof again, &n) == AG_OK && n == hex &&
                   !memcmp(again, out, hex),
               "the H(A1) form computes another response");
    FUZZ_CHECK(ag_digest_userhash(in->algorithm, in->username, in->realm, again, sizeof again, &n) ==
                       AG_OK &&
                   n == hex,
               "ag_digest_userhash refused what computed");
    return AG_OK;
}

/* verify(compute(x)) holds, and any single changed byte (first, last, and
 * one the knobs pick, changed as they say) or a shorter response does not. */
static void verify_computed(const ag_digest_input *in, const char *resp)
{
    size_t hex = ag_digest_hex_len(in->algorithm);
    FUZZ_CHECK(ag_digest_verify(in, (ag_span){resp, hex}) == AG_OK, "verify(compute(x)) fails");
    ag_span k = params[P_KNOBS];
    size_t at[3] = {0, hex - 1, k.ptr && k.len ? (unsigned char)k.ptr[0] % hex : hex / 2};
    unsigned char x = k.ptr && k.len > 1 && k.ptr[1] ? (unsigned char)k.ptr[1] : 0x20;
    char bad[AG_DIGEST_HEX_MAX];
    for (size_t i = 0; i < 3; i++) {
        memcpy(bad, resp, hex);
        bad[at[i]] = (char)(bad[at[i]] ^ x);
        FUZZ_CHECK(ag_digest_verify(in, (ag_span){bad, hex}) == AG_ERR_MISMATCH,
                   "byte %zu changed (^%02x): verify does not say AG_ERR_MISMATCH", at[i], x);
    }
    FUZZ_CHECK(ag_digest_verify(in, (ag_span){resp, hex - 1}) == AG_ERR_MISMATCH,
               "the response less its last digit: not AG_ERR_MISMATCH");
}

/* ---- credentials ------------------------------------------------------------ */

/* A server's check of parsed credentials against the PARAMS' password and
 * method: its verdict must be documented, and AG_OK exactly when the
 * response is the one computed.  Returns the verdict. */
static ag_status verify_credentials(const ag_credentials *c)
{
    ag_digest_input in;
    memset(&in, 0, sizeof in);
    in.algorithm = c->algorithm;
    /* an unknown qop: a value outside the enum (documented AG_ERR_ARGUMENT) */
    in.qop = c->qop; /* NONE when absent; OTHER, which the digest refuses */
    in.username = unq(c->username);
    in.realm = unq(c->realm);
    in.nonce = unq(c->nonce);
    in.uri = unq(c->uri);
    in.cnonce = unq(c->cnonce);
    in.nc = c->nc;
    in.password = params[P_PASSWORD];
    in.method = params[P_METHOD];
    in.body = params[P_BODY];
    ag_span response = unq(c->response);
    ag_status rc = ag_digest_verify(&in, response);
    char resp[AG_DIGEST_HEX_MAX + 1];
    ag_status want = compute(&in, resp);
    if (want != AG_OK) {
        FUZZ_CHECK(rc == want, "verify %s, compute %s", ag_status_name(rc), ag_status_name(want));
        return rc;
    }
    size_t hex = ag_digest_hex_len(in.algorithm);
    int same = response.len == hex && !memcmp(response.ptr, resp, hex);
    FUZZ_CHECK(rc == (same ? AG_OK : AG_ERR_MISMATCH), "verify %s, but the response is%s the computed one",
               ag_status_name(rc), same ? "" : " not");
    return rc;
}

/* ---- challenges ------------------------------------------------------------- */

static int strength(ag_algorithm a)
{
    return a == AG_ALGORITHM_SHA_512_256 || a == AG_ALGORITHM_SHA_512_256_SESS ? 3
           : a == AG_ALGORITHM_SHA_256 || a == AG_ALGORITHM_SHA_256_SESS       ? 2
                                                                                : 1;
}

/* ag_digest_pick_qop as the header describes it: auth when the qop-options
 * offer it, else auth-int, else -1; none without a qop-options parameter. */
static void check_pick_qop(const ag_challenge *c)
{
    int offered = 0, auth = 0, auth_int = 0;
    for (size_t i = 0; i < c->param_count; i++)
        offered |= c->params[i].kind == AG_PARAM_QOP;
    for (size_t i = 0; i < c->qop_count; i++) {
        auth |= c->qop[i].qop == AG_QOP_AUTH;
        auth_int |= c->qop[i].qop == AG_QOP_AUTH_INT;
    }
    int want = !offered ? AG_QOP_NONE : auth ? AG_QOP_AUTH : auth_int ? AG_QOP_AUTH_INT : -1;
    FUZZ_CHECK(ag_digest_pick_qop(c) == want, "ag_digest_pick_qop %d, want %d", ag_digest_pick_qop(c), want);
}

/* The verdict the header describes for c. */
static ag_digest_unusable expected_verdict(const ag_challenge *c)
{
    if (c->scheme_id != AG_SCHEME_DIGEST)
        return AG_DIGEST_NOT_DIGEST;
    if (!c->realm.ptr || !c->nonce.ptr)
        return c->realm.ptr ? AG_DIGEST_NO_NONCE : AG_DIGEST_NO_REALM;
    if (!ag_digest_hex_len(c->algorithm))
        return AG_DIGEST_ALGORITHM;
    return ag_digest_pick_qop(c) < 0 ? AG_DIGEST_QOP : AG_DIGEST_USABLE;
}

/* The answer to c as a client makes it (PARAMS for the client's side). */
static ag_digest_input answer_of(const ag_challenge *c)
{
    ag_digest_input in;
    memset(&in, 0, sizeof in);
    in.algorithm = c->algorithm;
    int q = ag_digest_pick_qop(c);
    in.qop = q < 0 ? AG_QOP_NONE : (ag_qop)q;
    in.username = params[P_USERNAME];
    in.password = params[P_PASSWORD];
    in.realm = unq(c->realm);
    in.nonce = unq(c->nonce);
    in.method = params[P_METHOD];
    in.uri = params[P_URI];
    in.cnonce = params[P_CNONCE];
    in.nc = params[P_NC];
    in.body = params[P_BODY];
    return in;
}

/* The answer written by the credentials builder (ag_digest_answer_line, in
 * the challenge's profile), parsed back and verified as a server does: it
 * must verify (when the builder can write it). */
static void answer_line(const ag_challenge *ch, const ag_digest_input *in, const char *resp)
{
    int qop = in->qop != AG_QOP_NONE;
    ag_digest_answer a = {.username = in->username, .realm = in->realm, .nonce = in->nonce,
                          .uri = in->uri, .response = {resp, ag_digest_hex_len(in->algorithm)},
                          .algorithm = ch->algorithm_raw, .opaque = unq(ch->opaque)};
    if (qop || is_sess(in->algorithm))
        a.cnonce = in->cnonce;
    if (qop) {
        a.qop = in->qop == AG_QOP_AUTH ? (ag_span){"auth", 4} : (ag_span){"auth-int", 8};
        a.nc = in->nc;
    }
    char line[1 << 14];
    size_t len;
    if (ag_digest_answer_line(ch->profile, AG_HEADER_PROXY_AUTHORIZATION, &a, line, sizeof line, &len,
                              NULL) != AG_OK)
        return; /* a value the grammar cannot carry (h_answer checks that) */
    char *exact = fuzz_copy(line, len);
    static ag_credentials_storage st;
    ag_credentials c;
    ag_credentials_init(&c, &st);
    FUZZ_CHECK(ag_parse_credentials(ch->profile, AG_INPUT_HEADER, exact, len, &c, NULL) == AG_OK,
               "the builder's answer does not parse: %.*s", (int)len, line);
    FUZZ_CHECK(verify_credentials(&c) == AG_OK, "the builder's answer does not verify: %.*s", (int)len,
               line);
    free(exact);
}

static void challenges(ag_profile prof, ag_input input, const char *text, size_t n)
{
    static ag_list_storage st;
    ag_challenge_list l;
    ag_challenge_list_init(&l, &st);
    if (ag_parse(prof, input, text, n, &l, NULL) != AG_OK)
        return;
    ag_digest_unusable why[AG_LIST_CHALLENGES];
    size_t chosen = 99;
    ag_status rc = ag_digest_choose(l.challenges, l.count, &chosen, why);
    size_t best = l.count;
    for (size_t k = 0; k < l.count; k++) {
        check_pick_qop(&l.challenges[k]);
        ag_digest_unusable v = expected_verdict(&l.challenges[k]);
        FUZZ_CHECK(why[k] == v, "challenge %zu: verdict %s, want %s", k,
                   ag_digest_unusable_name(why[k]), ag_digest_unusable_name(v));
        if (v == AG_DIGEST_USABLE &&
            (best == l.count ||
             strength(l.challenges[k].algorithm) > strength(l.challenges[best].algorithm)))
            best = k;
    }
    FUZZ_CHECK(rc == (best < l.count ? AG_OK : AG_ERR_UNSUPPORTED) && chosen == best,
               "ag_digest_choose %s chose %zu, want %zu", ag_status_name(rc), chosen, best);
    /* every challenge answered (the first four and the chosen one): it
     * computes, or fails as documented; the chosen one is checked further */
    for (size_t k = 0; k < l.count; k++) {
        const ag_challenge *c = &l.challenges[k];
        if (k >= 4 && k != best)
            continue;
        arena_used = 0;
        ag_digest_input in = answer_of(c);
        char resp[AG_DIGEST_HEX_MAX + 1];
        if (compute(&in, resp) != AG_OK || k != best)
            continue;
        verify_computed(&in, resp);
        answer_line(c, &in, resp);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    size_t text = size;
    while (text > 0 && buf[text - 1] != 0)
        text--;
    if (text == 0) { /* no NUL: all text, the default PARAMS */
        text = size;
        read_params(buf, 0);
    } else {
        read_params(buf + text, size - text);
        text--;
    }
    arena_cap = 4 * size + 256;
    arena = malloc(arena_cap);
    FUZZ_CHECK(arena != NULL, "out of memory");
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < 2; i++) {
            challenges(fuzz_profiles[p], fuzz_inputs[i], buf, text);
            static ag_credentials_storage st;
            ag_credentials c;
            ag_credentials_init(&c, &st);
            arena_used = 0;
            if (ag_parse_credentials(fuzz_profiles[p], fuzz_inputs[i], buf, text, &c, NULL) == AG_OK &&
                c.scheme_id == AG_SCHEME_DIGEST)
                verify_credentials(&c);
        }
    free(arena);
    return 0;
}
