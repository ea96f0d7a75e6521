/* SPDX-License-Identifier: MIT */
/* Harness "builder": the input is decoded into a sequence of builder calls
 * (profile, join, challenges, every setter, token68, the one-call digest and
 * basic forms, extension parameters) and a final form.  A model of what was
 * accepted is kept beside the builder.  Invariants: a refusal is a named
 * error, kept, and every later call returns AG_ERR_STATE and finish()
 * reports the first error; whatever is finished parses back (as the form
 * says: one header line per SIP challenge, joined in http) to exactly the
 * model: the schemes, token68s, and every parameter with its name, its
 * quoting and its value byte for byte (qop values joined by ',', domain
 * URIs by SP). */
#include <string.h>
#include <strings.h>

#include "fuzz.h"

/* ---- reading the input --------------------------------------------------- */

/* Byte strings the decoder may pick by index, so that short inputs reach
 * the interesting paths; anything else comes from the input itself. */
static const char *const words[32] = {
    "Digest", "Basic", "Negotiate", "MD5", "SHA-256", "MD5-sess", "SHA-512-256-sess", "AKAv1-MD5",
    "auth", "auth-int", "sip:a.example.com", "sips:b.example.com;transport=tcp", "/path", "http://x/y",
    "realm", "nonce", "qop", "stale", "charset", "UTF-8", "abc==", "a\"b\\c", "", "x",
    "a b", "token-1", "\xc3\xa9t\xc3\xa9", "a\r\nb", "\x01", "=", ",", "domain"};

/* Every string handed to the builder lives here until finish(). */
static char arena[1 << 16];
static size_t arena_used;

/* A string of the input (or a word), NUL-terminated in the arena; with
 * nts the builder gets AG_NTS, so the model takes it up to its first NUL. */
static const char *str(fuzz_rd *r, size_t *len)
{
    return fuzz_str(r, words, 32, arena, sizeof arena, &arena_used, len);
}

/* ---- the model ------------------------------------------------------------ */

enum { MAX_CH = 16, MAX_P = 64 };

typedef struct mparam {
    const char *name; /* the name written: fixed for dedicated fields */
    size_t name_len;
    int quoted;       /* -1: either (stale, userhash, charset: their production decides) */
    char value[4096]; /* the value content (lists joined) */
    size_t len;
    int list;         /* qop ',' or domain ' ': the separator, else 0 */
} mparam;

typedef struct mchal {
    const char *scheme;
    size_t scheme_len;
    const char *token68;
    size_t token68_len;
    mparam p[MAX_P];
    size_t np;
} mchal;

static mchal model[MAX_CH];
static size_t nch;

static mparam *mfind(const char *name)
{
    mchal *c = &model[nch - 1];
    for (size_t i = 0; i < c->np; i++)
        if (c->p[i].name_len == strlen(name) && !strncasecmp(c->p[i].name, name, c->p[i].name_len))
            return &c->p[i];
    return NULL;
}

static mparam *madd(const char *name, size_t name_len, int quoted, const char *v, size_t n, int list)
{
    mchal *c = &model[nch - 1];
    FUZZ_CHECK(c->np < MAX_P, "model overflow: the builder took more than %d parameters", MAX_P);
    mparam *p = &c->p[c->np++];
    p->name = name;
    p->name_len = name_len;
    p->quoted = quoted;
    p->list = list;
    p->len = 0;
    if (n > sizeof p->value)
        n = sizeof p->value;
    memcpy(p->value, v, n);
    p->len = n;
    return p;
}

static void mitem(const char *name, int sep, const char *v, size_t n)
{
    mparam *p = mfind(name);
    if (!p) {
        madd(name, strlen(name), 1, v, n, sep);
        return;
    }
    FUZZ_CHECK(p->len + 1 + n <= sizeof p->value, "model value overflow");
    p->value[p->len++] = (char)sep;
    memcpy(p->value + p->len, v, n);
    p->len += n;
}

static void mchallenge(const char *s, size_t n)
{
    FUZZ_CHECK(nch < MAX_CH, "the builder took more than %d challenges", MAX_CH);
    mchal *c = &model[nch++];
    c->scheme = s;
    c->scheme_len = n;
    c->token68 = NULL;
    c->token68_len = 0;
    c->np = 0;
}

/* ---- comparing a parsed challenge with the model ----------------------------- */

static int ieq(ag_span s, const char *t, size_t n)
{
    return s.len == n && !strncasecmp(s.ptr, t, n);
}

static void compare(const ag_challenge *c, const mchal *m, size_t k)
{
    FUZZ_CHECK(c->scheme.len == m->scheme_len && !memcmp(c->scheme.ptr, m->scheme, m->scheme_len),
               "challenge %zu: scheme '%.*s'", k, AG_SPAN_ARGS(c->scheme));
    FUZZ_CHECK((c->token68.ptr != NULL) == (m->token68 != NULL) &&
                   (!m->token68 || (c->token68.len == m->token68_len &&
                                    !memcmp(c->token68.ptr, m->token68, m->token68_len))),
               "challenge %zu: token68 differs", k);
    FUZZ_CHECK(c->param_count == m->np, "challenge %zu: %zu parameters, the model has %zu", k,
               c->param_count, m->np);
    for (size_t i = 0; i < m->np; i++) {
        const ag_param *p = &c->params[i];
        const mparam *q = &m->p[i];
        FUZZ_CHECK(p->name.len == q->name_len && !memcmp(p->name.ptr, q->name, q->name_len),
                   "challenge %zu param %zu: name '%.*s', want '%.*s'", k, i, AG_SPAN_ARGS(p->name),
                   (int)q->name_len, q->name);
        FUZZ_CHECK(q->quoted < 0 || p->quoted == q->quoted, "challenge %zu param %zu: quoted %d", k, i,
                   p->quoted);
        char v[8192];
        size_t n = p->quoted ? ag_unescape(p->value, v, sizeof v) : p->value.len;
        if (!p->quoted && n <= sizeof v)
            memcpy(v, p->value.ptr, n);
        int same = n == q->len && !memcmp(v, q->value, n);
        if (q->quoted < 0) /* "true" / "TRUE": the production ignores case */
            same = ieq((ag_span){v, n}, q->value, q->len);
        FUZZ_CHECK(same, "challenge %zu param %zu '%.*s': value '%.*s', want '%.*s'", k, i,
                   (int)q->name_len, q->name, (int)n, v, (int)q->len, q->value);
    }
}

/* Parses the builder's output the way its form says and compares. */
static void parse_back(ag_profile prof, ag_form form, const char *out, size_t len)
{
    static ag_list_storage st;
    size_t k = 0, at = 0;
    while (at < len || (form == AG_FORM_VALUE && k == 0)) {
        size_t end = len;
        if (form != AG_FORM_VALUE) {
            const char *nl = memchr(out + at, '\n', len - at);
            FUZZ_CHECK(nl && nl > out + at && nl[-1] == '\r', "a header line without CRLF");
            end = (size_t)(nl - out) + 1;
        }
        char *line = fuzz_copy(out + at, end - at);
        ag_challenge_list l;
        ag_challenge_list_init(&l, &st);
        ag_diag d;
        ag_status rc = ag_parse(prof, form == AG_FORM_VALUE ? AG_INPUT_VALUE : AG_INPUT_HEADER, line,
                                end - at, &l, &d);
        FUZZ_CHECK(rc == AG_OK, "built output does not parse: %s at %zu (%s): %.*s", ag_status_name(rc),
                   d.offset, rc == AG_ERR_SYNTAX ? d.rule : "", (int)(end - at), line);
        for (size_t i = 0; i < l.count; i++, k++) {
            FUZZ_CHECK(k < nch, "more challenges than were built");
            const ag_challenge *c = &l.challenges[i];
            if (form != AG_FORM_VALUE)
                FUZZ_CHECK(c->header == (form == AG_FORM_PROXY_AUTHENTICATE ? AG_HEADER_PROXY_AUTHENTICATE
                                                               : AG_HEADER_WWW_AUTHENTICATE),
                           "wrong header name");
            compare(c, &model[k], k);
        }
        free(line);
        at = end;
        if (form == AG_FORM_VALUE)
            break;
    }
    FUZZ_CHECK(k == nch, "%zu challenges built, %zu read back", nch, k);
}

/* ---- driving the builder ---------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_rd r = {data, size, 0};
    ag_builder b;
    ag_builder_init(&b);
    ag_profile prof = AG_PROFILE_SIP;
    ag_status first = AG_OK; /* the first refusal */
    nch = 0;
    arena_used = 0;
    ag_form form = (ag_form)(fuzz_byte(&r) % 3);
    while (r.at < r.n) {
        unsigned op = fuzz_byte(&r) % 16;
        size_t n, n2;
        const char *s, *s2;
        ag_status rc = AG_OK;
        int q;
        switch (op) {
        case 0:
            s = str(&r, &n);
            rc = ag_builder_challenge(&b, s, n);
            if (rc == AG_OK)
                mchallenge(s, n);
            break;
        case 1: case 2: case 3: {
            static const char *const names[] = {"realm", "nonce", "opaque"};
            s = str(&r, &n);
            rc = op == 1 ? ag_builder_realm(&b, s, n) : op == 2 ? ag_builder_nonce(&b, s, n)
                                                              : ag_builder_opaque(&b, s, n);
            if (rc == AG_OK)
                madd(names[op - 1], strlen(names[op - 1]), 1, s, n, 0);
            break;
        }
        case 4:
            s = str(&r, &n);
            if ((rc = ag_builder_algorithm(&b, s, n)) == AG_OK)
                madd("algorithm", 9, 0, s, n, 0);
            break;
        case 5:
            s = str(&r, &n);
            if ((rc = ag_builder_qop(&b, s, n)) == AG_OK)
                mitem("qop", ',', s, n);
            break;
        case 6:
            s = str(&r, &n);
            if ((rc = ag_builder_domain(&b, s, n)) == AG_OK)
                mitem("domain", ' ', s, n);
            break;
        case 7: {
            ag_stale st = (ag_stale)(fuzz_byte(&r) % 4); /* 3: not an ag_stale */
            if ((rc = ag_builder_stale(&b, st)) == AG_OK)
                madd("stale", 5, -1, st == AG_STALE_TRUE ? "true" : "false", st == AG_STALE_TRUE ? 4 : 5, 0);
            break;
        }
        case 8:
            q = fuzz_byte(&r) & 1;
            if ((rc = ag_builder_userhash(&b, q)) == AG_OK)
                madd("userhash", 8, -1, q ? "true" : "false", q ? 4 : 5, 0);
            break;
        case 9:
            s = str(&r, &n);
            if ((rc = ag_builder_charset(&b, s, n)) == AG_OK)
                madd("charset", 7, -1, s, n, 0);
            break;
        case 10:
            s = str(&r, &n);
            s2 = str(&r, &n2);
            q = fuzz_byte(&r) & 1;
            if ((rc = ag_builder_param(&b, s, n, s2, n2, q)) == AG_OK)
                madd(s, n, q, s2, n2, 0);
            break;
        case 11:
            s = str(&r, &n);
            if ((rc = ag_builder_token68(&b, s, n)) == AG_OK) {
                model[nch - 1].token68 = s;
                model[nch - 1].token68_len = n;
            }
            break;
        case 12: { /* the one-call digest challenge; strings up to their first NUL */
            size_t k;
            const char *realm = str(&r, &k), *nonce = str(&r, &k);
            unsigned flags = fuzz_byte(&r);
            const char *opaque = flags & 1 ? str(&r, &k) : NULL;
            const char *alg = flags & 2 ? str(&r, &k) : NULL;
            const char *qops[4], *doms[4];
            size_t nq = (flags >> 2) & 3, nd = (flags >> 4) & 3;
            for (size_t i = 0; i < nq; i++)
                qops[i] = str(&r, &k);
            for (size_t i = 0; i < nd; i++)
                doms[i] = str(&r, &k);
            ag_stale st = (ag_stale)(fuzz_byte(&r) % 3);
            rc = ag_builder_digest(&b, realm, nonce, opaque, alg, nq ? qops : NULL, nq, st,
                                   nd ? doms : NULL, nd);
            if (rc == AG_OK) {
                mchallenge("Digest", 6);
                madd("realm", 5, 1, realm, strlen(realm), 0);
                madd("nonce", 5, 1, nonce, strlen(nonce), 0);
                if (opaque)
                    madd("opaque", 6, 1, opaque, strlen(opaque), 0);
                if (alg)
                    madd("algorithm", 9, 0, alg, strlen(alg), 0);
                for (size_t i = 0; i < nq; i++)
                    mitem("qop", ',', qops[i], strlen(qops[i]));
                if (st != AG_STALE_UNSET)
                    madd("stale", 5, -1, st == AG_STALE_TRUE ? "true" : "false",
                         st == AG_STALE_TRUE ? 4 : 5, 0);
                for (size_t i = 0; i < nd; i++)
                    mitem("domain", ' ', doms[i], strlen(doms[i]));
            }
            break;
        }
        case 13:
            s = str(&r, &n);
            if ((rc = ag_builder_basic(&b, s)) == AG_OK) {
                mchallenge("Basic", 5);
                madd("realm", 5, 1, s, strlen(s), 0);
            }
            break;
        case 14: {
            ag_profile p = (ag_profile)(fuzz_byte(&r) % 3); /* 2: not a profile */
            if ((rc = ag_builder_profile(&b, p)) == AG_OK)
                prof = p;
            break;
        }
        default:
            rc = ag_builder_join(&b, fuzz_byte(&r) & 1);
            break;
        }
        if (first != AG_OK) {
            FUZZ_CHECK(rc == AG_ERR_STATE, "op %u after a refusal: %s", op, ag_status_name(rc));
            continue;
        }
        if (rc != AG_OK) {
            FUZZ_CHECK(rc == AG_ERR_FIELD || rc == AG_ERR_ARGUMENT || rc == AG_ERR_CAPACITY,
                       "op %u: %s", op, ag_status_name(rc));
            const ag_field_error *e = ag_builder_error(&b);
            FUZZ_CHECK(e->status == rc && e->field && e->message, "op %u: the error is not kept", op);
            first = rc;
        }
    }
    char *out = malloc(1 << 20);
    FUZZ_CHECK(out != NULL, "out of memory");
    size_t len = 0;
    ag_field_error err;
    ag_status rc = ag_builder_finish(&b, form, out, 1 << 20, &len, &err);
    if (first != AG_OK) {
        FUZZ_CHECK(rc == first && err.status == first, "finish after a refusal: %s, first %s",
                   ag_status_name(rc), ag_status_name(first));
    } else if (rc != AG_OK) {
        /* a whole the builder cannot write: no challenge, several SIP
         * challenges as one value, a challenge the grammar needs more of */
        FUZZ_CHECK(rc == AG_ERR_ARGUMENT || rc == AG_ERR_FIELD, "finish: %s", ag_status_name(rc));
        FUZZ_CHECK(err.status == rc && err.message, "finish: no field error");
        FUZZ_CHECK(len == 0 && out[0] == 0, "output after a refusal");
    } else {
        FUZZ_CHECK(nch > 0, "finished without a challenge");
        parse_back(prof, form, out, len);
    }
    free(out);
    return 0;
}
