/* SPDX-License-Identifier: MIT */
/* Harness "answer": the credentials builder (ag_proxy_authorization_digest,
 * ag_authorization_digest: C strings, sip; ag_digest_answer_line: spans,
 * either profile, NUL bytes included).  The input is decoded into the form,
 * the ten values (username, realm, nonce, uri, response, algorithm, cnonce,
 * opaque, qop, nc; any of them absent) and an output capacity.  Invariants, with a canary
 * around the caller's buffer:
 *   - accepted: the output is exactly the canonical line the arguments give
 *     (the header name, "Digest ", name=value joined by ", ", the quoted ones
 *     with '"', '\' and control bytes as quoted-pairs), NUL-terminated,
 *     nothing written after it; it parses back (ag_parse_credentials, its
 *     profile, header line) to those parameters in that order with their
 *     kinds, and each value unescaped is the argument;
 *   - too small a buffer: AG_ERR_SPACE, only buf[0] = NUL written, *len the
 *     length needed, with which the call then succeeds;
 *   - refused: nothing but buf[0] = NUL written, *len 0, and an
 *     ag_field_error naming the field: a NULL required one (AG_ERR_ARGUMENT,
 *     exactly when one is NULL), or a given one with the offset inside it
 *     (AG_ERR_FIELD);
 *   - refused only what the grammar refuses: when the canonical line parses
 *     back to the arguments, the builder must have written it. */
#include <string.h>

#include "fuzz.h"

enum { NARGS = 10, NREQUIRED = 5, CANARY = 0xA5, SLACK = 16 };

static const char *const names[NARGS] = {"username", "realm",  "nonce",  "uri", "response",
                                         "algorithm", "cnonce", "opaque", "qop", "nc"};
static const int quoted[NARGS] = {1, 1, 1, 1, 1, 0, 1, 1, 0, 0};
static const ag_param_kind kinds[NARGS] = {
    AG_PARAM_USERNAME, AG_PARAM_REALM,  AG_PARAM_NONCE,  AG_PARAM_URI,         AG_PARAM_RESPONSE,
    AG_PARAM_ALGORITHM, AG_PARAM_CNONCE, AG_PARAM_OPAQUE, AG_PARAM_MESSAGE_QOP, AG_PARAM_NC};

/* Values the decoder may pick by index: the fields' typical values, and
 * the bytes that must be refused or escaped. */
static const char *const words[32] = {
    "alice", "atlanta.com", "84a4cc6f3082121f32b42a2187831a9e", "sip:bob@biloxi.com",
    "6629fae49393a05397450978507c4ef1",
    "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", "MD5", "SHA-256",
    "MD5-sess", "AKAv1-MD5", "auth", "auth-int", "00000001", "0a4f113b", "", "a\"b\\c",
    "a\r\nb", "\x01", "6629FAE49393A05397450978507C4EF1", "\xc3\xa9t\xc3\xa9", "\xff", "a b",
    "sips:[::1]:5061;transport=tls", "*", "/dir/index.html", "token-1", "deadbeef", "0000000g",
    "\t", ",", "=", "\x7f"};

static char arena[1 << 16];
static size_t arena_used;

/* The canonical line of the values v (ptr NULL: absent), as the builder
 * writes it, into a heap buffer (*n its length). */
static char *canonical(int proxy, const ag_span v[NARGS], size_t *n)
{
    size_t cap = 64;
    for (size_t i = 0; i < NARGS; i++)
        cap += v[i].ptr ? 2 * v[i].len + strlen(names[i]) + 5 : 0;
    char *s = malloc(cap);
    FUZZ_CHECK(s != NULL, "out of memory");
    size_t k = (size_t)sprintf(s, "%s: Digest ", proxy ? "Proxy-Authorization" : "Authorization");
    int first = 1;
    for (size_t i = 0; i < NARGS; i++) {
        if (!v[i].ptr)
            continue;
        k += (size_t)sprintf(s + k, "%s%s=", first ? "" : ", ", names[i]);
        first = 0;
        if (quoted[i])
            s[k++] = '"';
        for (size_t j = 0; j < v[i].len; j++) {
            char c = v[i].ptr[j];
            if (quoted[i] && (c == '"' || c == '\\' || chdiff_refused_ctl((unsigned char)c)))
                s[k++] = '\\';
            s[k++] = c;
        }
        if (quoted[i])
            s[k++] = '"';
    }
    s[k++] = '\r';
    s[k++] = '\n';
    *n = k;
    return s;
}

/* 1 when the line parses (prof, header line) to exactly the values: the
 * given ones in order, each with its kind, quoting and value. */
static int reads_as(ag_profile prof, const char *line, size_t n, int proxy, const ag_span v[NARGS],
                    char *why, size_t cap)
{
    static ag_credentials_storage st;
    ag_credentials c;
    ag_credentials_init(&c, &st);
    char *exact = fuzz_copy(line, n);
    ag_diag d;
    ag_status rc = ag_parse_credentials(prof, AG_INPUT_HEADER, exact, n, &c, &d);
    int ok = 0;
    if (rc != AG_OK) {
        snprintf(why, cap, "%s at %zu (%s)", ag_status_name(rc), d.offset,
                 rc == AG_ERR_SYNTAX ? d.rule : "-");
        goto done;
    }
    if (c.header != (proxy ? AG_HEADER_PROXY_AUTHORIZATION : AG_HEADER_AUTHORIZATION) ||
        c.scheme_id != AG_SCHEME_DIGEST) {
        snprintf(why, cap, "header %d, scheme %d", c.header, c.scheme_id);
        goto done;
    }
    size_t k = 0;
    for (size_t i = 0; i < NARGS; i++) {
        if (!v[i].ptr)
            continue;
        if (k >= c.param_count) {
            snprintf(why, cap, "%zu parameters read back, %s missing", c.param_count, names[i]);
            goto done;
        }
        const ag_param *p = &c.params[k++];
        char *u = fuzz_copy(p->value.ptr, p->value.len);
        size_t un = p->quoted ? ag_unescape(p->value, u, p->value.len) : p->value.len;
        int same = p->kind == kinds[i] && p->quoted == quoted[i] && un == v[i].len &&
                   !memcmp(u, v[i].ptr, un) &&
                   p->name.len == strlen(names[i]) && !memcmp(p->name.ptr, names[i], p->name.len);
        free(u);
        if (!same) {
            snprintf(why, cap, "%s read back as '%.*s' (kind %d, quoted %d): '%.*s'", names[i],
                     AG_SPAN_ARGS(p->name), p->kind, p->quoted, AG_SPAN_ARGS(p->value));
            goto done;
        }
    }
    if (k != c.param_count) {
        snprintf(why, cap, "%zu parameters read back, %zu given", c.param_count, k);
        goto done;
    }
    ok = 1;
done:
    free(exact);
    return ok;
}

/* Bytes [from, to) of buf are the canary still. */
static void untouched(const unsigned char *buf, size_t from, size_t to, const char *what)
{
    for (size_t i = from; i < to; i++)
        FUZZ_CHECK(buf[i] == CANARY, "%s: byte %zu of the buffer written", what, i);
}

/* The call: the C-string forms (their values NUL-terminated in the arena)
 * or the span form. */
static ag_status call(int spans, ag_profile prof, int proxy, char *buf, size_t cap, size_t *len,
                      ag_field_error *err, const ag_span v[NARGS])
{
    if (spans) {
        ag_digest_answer a = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]};
        return ag_digest_answer_line(prof, proxy ? AG_HEADER_PROXY_AUTHORIZATION : AG_HEADER_AUTHORIZATION,
                                     &a, buf, cap, len, err);
    }
    const char *s[NARGS];
    for (size_t i = 0; i < NARGS; i++)
        s[i] = v[i].ptr;
    return (proxy ? ag_proxy_authorization_digest : ag_authorization_digest)(
        buf, cap, len, err, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_rd r = {data, size, 0};
    arena_used = 0;
    /* flags: bit 0 Proxy-Authorization, bits 1-2 the capacity, bit 3 the
     * span form, bit 4 its profile http */
    unsigned flags = fuzz_byte(&r);
    unsigned absent = fuzz_byte(&r) | (fuzz_byte(&r) << 8); /* bit i: argument i is NULL */
    int proxy = flags & 1, spans = flags >> 3 & 1;
    ag_profile prof = spans && flags >> 4 & 1 ? AG_PROFILE_HTTP : AG_PROFILE_SIP;
    ag_span v[NARGS];
    for (size_t i = 0; i < NARGS; i++) {
        size_t n;
        v[i].ptr = fuzz_str(&r, words, 32, arena, sizeof arena, &arena_used, &n);
        v[i].len = spans ? n : strlen(v[i].ptr); /* a C string ends at its first NUL */
        if (absent >> i & 1)
            v[i] = (ag_span){NULL, 0};
    }
    size_t want = 0;
    char *line = canonical(proxy, v, &want);
    /* the capacity: plenty, none (a length query), or around the length */
    size_t cap = (flags >> 1) % 3 == 0 ? want + 64 : (flags >> 1) % 3 == 1 ? 0 : fuzz_byte(&r) + want / 2;
    unsigned char *buf = malloc(cap + SLACK);
    FUZZ_CHECK(buf != NULL, "out of memory");
    memset(buf, CANARY, cap + SLACK);
    size_t len = 12345;
    ag_field_error err;
    ag_status rc = call(spans, prof, proxy, cap ? (char *)buf : NULL, cap, &len, &err, v);
    int null_required = 0;
    for (size_t i = 0; i < NREQUIRED; i++)
        null_required |= !v[i].ptr;
    char why[512];
    if (rc == AG_ERR_SPACE) {
        FUZZ_CHECK(len + 1 > cap && len == want, "AG_ERR_SPACE with cap %zu: length %zu, canonical %zu",
                   cap, len, want);
        FUZZ_CHECK(!cap || buf[0] == 0, "AG_ERR_SPACE: buf[0] is not NUL");
        untouched(buf, cap ? 1 : 0, cap + SLACK, "AG_ERR_SPACE");
        /* with the length it asked for */
        free(buf);
        cap = len + 1;
        buf = malloc(cap + SLACK);
        FUZZ_CHECK(buf != NULL, "out of memory");
        memset(buf, CANARY, cap + SLACK);
        rc = call(spans, prof, proxy, (char *)buf, cap, &len, &err, v);
        FUZZ_CHECK(rc == AG_OK, "with the %zu bytes it asked for: %s", cap, ag_status_name(rc));
    }
    if (rc == AG_OK) {
        FUZZ_CHECK(!null_required, "a NULL required argument accepted");
        FUZZ_CHECK(len == want && len < cap && !memcmp(buf, line, len) && buf[len] == 0,
                   "the output is not the canonical line: '%.*s', want '%.*s'", (int)len,
                   (const char *)buf, (int)want, line);
        untouched(buf, len + 1, cap + SLACK, "accepted");
        fuzz_no_line_breaks((const char *)buf, len, 1);
        FUZZ_CHECK(reads_as(prof, (const char *)buf, len, proxy, v, why, sizeof why),
                   "the output does not read back as the arguments: %s", why);
    } else {
        FUZZ_CHECK(rc == AG_ERR_ARGUMENT || rc == AG_ERR_FIELD, "refused with %s", ag_status_name(rc));
        FUZZ_CHECK(len == 0 && err.status == rc && err.field && err.message,
                   "refused (%s) without its field error", ag_status_name(rc));
        FUZZ_CHECK(!cap || buf[0] == 0, "refused: buf[0] is not NUL");
        untouched(buf, cap ? 1 : 0, cap + SLACK, "refused");
        size_t f = 0;
        while (f < NARGS && strcmp(err.field, names[f]))
            f++;
        FUZZ_CHECK(f < NARGS, "refused: the error names '%s', not an argument", err.field);
        if (rc == AG_ERR_ARGUMENT) {
            FUZZ_CHECK(null_required && f < NREQUIRED && !v[f].ptr,
                       "AG_ERR_ARGUMENT naming %s, which is given or optional", err.field);
        } else {
            FUZZ_CHECK(!null_required, "AG_ERR_FIELD although a required argument is NULL");
            FUZZ_CHECK(v[f].ptr && (err.offset < v[f].len || (err.at_end && err.offset == v[f].len)),
                       "AG_ERR_FIELD: %s offset %zu (at_end %d) outside the value", err.field,
                       err.offset, err.at_end);
            FUZZ_CHECK(!reads_as(prof, line, want, proxy, v, why, sizeof why),
                       "%s refused (%s), but its canonical line reads back as the arguments: %.*s",
                       err.field, err.message, (int)want, line);
        }
    }
    free(buf);
    free(line);
    return 0;
}
