/* SPDX-License-Identifier: MIT */
/* authgram_uas: a minimal SIP server over UDP on 127.0.0.1 that challenges
 * with authgram's builder and verifies the answers with authgram's
 * credentials parser and libauthgram-digest: the peer of the interop tests
 * of tests/interop/ (SIPp, and a hostile client), and the reference for a
 * server that must not accept replays.
 *
 *   authgram_uas --port P [--realm R] [--password PW] [--qop auth|none]
 *                [--algorithm A] [--opaque O] [--domain URI]... [--stale]
 *                [--nonce-lifetime S] [--nonce-slots N] [--time-limit S]
 *
 * An INVITE without Proxy-Authorization gets a 407 whose Proxy-Authenticate
 * line is written by ag_proxy_authenticate_digest (a fresh nonce, and the
 * options: qop, algorithm, opaque, domain; --stale puts stale=true in every
 * challenge, for a peer's parser).  An INVITE with Proxy-Authorization is
 * parsed by ag_parse_credentials (AG_PROFILE_SIP, AG_INPUT_HEADER) and
 * answered, in this order:
 *   400  the credentials do not parse, or lack username, realm, nonce, uri
 *        or response; or their uri is not the Request-URI, byte for byte
 *        (RFC 7616 section 3.4.6: the server "MUST assure" that they name
 *        the same resource and "SHOULD return a 400 Bad Request" if not;
 *        RFC 3261 section 22.4 uses RFC 2617's section 3.2.2.5, the same
 *        rule); or ag_digest_verify refuses its input (a malformed nc)
 *   403  another scheme, realm, opaque, algorithm; no qop where we asked
 *        for one; a response that does not match (AG_ERR_MISMATCH)
 *   407  a nonce we did not issue (its signature fails): a new challenge
 *   407 with stale=true, for a response that matches but whose nonce may
 *        not be used again (RFC 7616 section 3.3: stale=true when "the
 *        nonce is invalid but with a valid digest"; the client knows the
 *        password and may simply retry with the new nonce):
 *        - the nonce is older than --nonce-lifetime (default 300 s);
 *        - the nonce count nc is not above the last one accepted with this
 *          nonce (RFC 7616 section 3.4: "if the same nc value is seen
 *          twice, then the request is a replay"; section 5, Limited-Use
 *          Nonce Values and Replay Attacks): an exact replay, the same credentials under another
 *          Call-ID, nc going back or staying equal, nc=00000000; without
 *          qop there is no nc and a nonce is good for one request;
 *        - the nonce was forgotten because the table was full (below);
 *   200  otherwise.
 * ACK is absorbed, BYE and OPTIONS get 200, other methods 405.
 *
 * Nonces: "<issued, ms since start, 16 hex><serial, 16 hex><HMAC-SHA-256 of both under a
 * per-process random key, first 16 bytes in hex>".  The server keeps nothing
 * when it challenges: a flood of requests without the password costs no
 * memory, and a nonce it did not issue fails the signature.  It keeps the
 * last nc of each nonce that a correct answer used, in a table of
 * --nonce-slots entries (default 256; fixed memory).  When the table is full,
 * an expired entry is reused, else the oldest nonce (lowest serial) is
 * forgotten and every nonce up to its serial counts as used: its next answer
 * gets 407 stale=true, never a second acceptance.  So a flood of correct
 * answers (which needs the password) costs clients a re-challenge, never the
 * replay protection.
 *
 * Retransmissions: over UDP a client resends a request whose response it
 * did not see (RFC 3261 section 17.1.1.2).  A resent INVITE, the same Call-ID,
 * CSeq and top Via branch, is answered with the response already sent, not
 * authorized again (section 17.2.1; 13.3.1.4 for a 2xx), until its ACK comes
 * or 64*T1 = 32 s have passed; after that the same bytes are a replay.  A
 * bounded ring of TXNS transactions.
 *
 * Logging: one line per request.  Everything a peer sent is written through
 * log_escape (sipmsg.h): control bytes, DEL and 8-bit bytes as \xHH, never
 * raw (a user name with ESC cannot drive the terminal that reads the log).
 *
 * It exits 0 after --time-limit seconds (default 30) or on SIGTERM / SIGINT,
 * after printing "stopped by a signal" (or "time limit reached") and "N
 * requests handled"; 2 on a usage or system error.  It listens on 127.0.0.1
 * only and answers the datagram's source. */
#include <errno.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "authgram.h"
#include "authgram_digest.h"
#include "sipmsg.h"

#define MSG_MAX 8192
#define FIELD_MAX 1024
#define LOG_MAX 512      /* one escaped field in a log line */
#define DOMAINS 8
#define NONCE_SLOTS_MAX 4096
#define NONCE_HEX 64     /* 16 time + 16 serial + 32 MAC */
#define MAC_BYTES 16     /* HMAC-SHA-256 cut to 128 bits: unforgeable enough */
#define TXNS 16
#define TXN_KEY_MAX 256
#define TXN_MS 32000     /* 64*T1, RFC 3261 section 17.2.1 (Timer H) */

struct options {
    unsigned port;
    const char *realm;
    const char *password;
    const char *qop;       /* "auth", or NULL for none */
    const char *algorithm; /* NULL: no algorithm parameter */
    const char *opaque;
    const char *domain[DOMAINS];
    size_t ndomain;
    int stale;
    unsigned nonce_lifetime; /* seconds */
    unsigned nonce_slots;
    int time_limit;
};

/* A nonce that a correct answer has used: its serial, when it was issued
 * (for reuse of the slot once it has expired), the last nc accepted. */
struct used_nonce {
    uint64_t serial; /* 0: a free slot (serials start at 1) */
    long long issued_ms;
    uint32_t last_nc;
};

/* An INVITE's transaction: its key, when answered, the response sent. */
struct txn {
    char key[TXN_KEY_MAX]; /* Call-ID \n CSeq number \n top Via branch */
    size_t key_len;
    size_t cid_cseq_len;   /* the key's prefix an ACK matches: Call-ID \n CSeq */
    long long at_ms;
    int acked;
    char resp[MSG_MAX];
    size_t resp_len;
};

struct uas {
    const struct options *o;
    int fd;
    unsigned char key[32];   /* the nonces' HMAC key, random per process */
    long long t0_ms;         /* start: nonces carry times relative to it,
                                not the host's uptime */
    uint64_t next_serial;
    struct used_nonce used[NONCE_SLOTS_MAX];
    uint64_t forgotten_upto; /* every serial up to this one counts as used */
    struct txn txns[TXNS];
    size_t next_txn;
    char out[MSG_MAX];       /* the last response sent (for the transaction) */
    size_t out_len;
    char to_tag[17];
    unsigned long requests;
};

const char sip_prog[] = "authgram_uas";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

/* A span of the peer's bytes, escaped for the log (see log_escape). */
#define ESC(buf, span) log_escape(buf, sizeof buf, (span).ptr ? (span).ptr : "", (span).len)

/* ---- SIP messages ---------------------------------------------------------- */

/* A field's value: after the colon and whitespace, without the final CRLF. */
static ag_span field_value(const char *f, size_t n)
{
    size_t i = 0;
    while (i < n && f[i] != ':')
        i++;
    i++;
    while (i < n && (f[i] == ' ' || f[i] == '\t'))
        i++;
    size_t e = n;
    while (e > i && (f[e - 1] == '\r' || f[e - 1] == '\n'))
        e--;
    return (ag_span){f + i, e > i ? e - i : 0};
}

struct request {
    const char *msg;
    size_t len;
    ag_span method;
    ag_span uri;
    ag_span body;
};

static int parse_request(const char *m, size_t n, struct request *r)
{
    size_t hend = header_end(m, n);
    if (!hend)
        return -1;
    const char *sp1 = memchr(m, ' ', hend);
    if (!sp1)
        return -1;
    const char *sp2 = memchr(sp1 + 1, ' ', hend - (size_t)(sp1 + 1 - m));
    if (!sp2 || (size_t)(m + hend - sp2) < 8 || memcmp(sp2 + 1, "SIP/2.0\r\n", 9) != 0)
        return -1;
    r->msg = m;
    r->len = n;
    r->method = (ag_span){m, (size_t)(sp1 - m)};
    r->uri = (ag_span){sp1 + 1, (size_t)(sp2 - sp1 - 1)};
    size_t cl = 0, fl;
    const char *f = find_field(m, n, "Content-Length", "l", &fl);
    if (f) {
        ag_span v = field_value(f, fl);
        for (size_t i = 0; i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9'; i++)
            cl = cl * 10 + (size_t)(v.ptr[i] - '0');
    }
    if (cl > n - hend)
        cl = n - hend;
    r->body = (ag_span){m + hend, cl};
    return 0;
}

static int method_is(const struct request *r, const char *name)
{
    return r->method.len == strlen(name) && memcmp(r->method.ptr, name, r->method.len) == 0;
}

/* Writes a response to r: its Vias, From, To (with our tag), Call-ID and
 * CSeq, then the extra lines (each ending in CRLF), Content-Length: 0.
 * The bytes sent stay in u->out for the transaction. */
static void respond(struct uas *u, const struct request *r, const struct sockaddr_in *to,
                    int code, const char *reason, const char *extra, size_t extra_len)
{
    char *out = u->out;
    size_t at = 0;
    u->out_len = 0;
    int k = snprintf(out, MSG_MAX, "SIP/2.0 %d %s\r\n", code, reason);
    if (k < 0)
        return;
    at = (size_t)k;
    size_t hend = header_end(r->msg, r->len), pos = 0, fl;
    const char *f;
    while (next_field(r->msg, hend, &pos, &f, &fl)) {
        int is_to = field_is(f, fl, "To") || field_is(f, fl, "t");
        if (!(field_is(f, fl, "Via") || field_is(f, fl, "v") || field_is(f, fl, "From") ||
              field_is(f, fl, "f") || is_to || field_is(f, fl, "Call-ID") ||
              field_is(f, fl, "i") || field_is(f, fl, "CSeq")))
            continue;
        size_t n = fl;
        while (n > 0 && (f[n - 1] == '\r' || f[n - 1] == '\n'))
            n--;
        int tagged = 0;
        for (size_t i = 0; is_to && i + 4 <= n; i++)
            tagged |= strncasecmp(f + i, ";tag", 4) == 0;
        k = snprintf(out + at, MSG_MAX - at, "%.*s%s%s\r\n", (int)n, f,
                     is_to && !tagged ? ";tag=" : "", is_to && !tagged ? u->to_tag : "");
        if (k < 0 || (size_t)k >= MSG_MAX - at)
            return;
        at += (size_t)k;
    }
    k = snprintf(out + at, MSG_MAX - at, "%.*sServer: authgram_uas\r\nContent-Length: 0\r\n\r\n",
                 (int)extra_len, extra ? extra : "");
    if (k < 0 || (size_t)k >= MSG_MAX - at)
        return;
    at += (size_t)k;
    u->out_len = at;
    if (sendto(u->fd, out, at, 0, (const struct sockaddr *)to, sizeof *to) < 0)
        say("sendto: %s", strerror(errno));
}

/* ---- transactions: retransmissions are answered, not re-authorized ------- */

/* The transaction key of r into key: Call-ID, CSeq number, top Via branch,
 * each as sent, with the length of its Call-ID+CSeq prefix in *prefix.
 * 0, or -1 when a part is missing or the key too long (then the request is
 * simply handled as new: that costs a re-verification, never a bypass). */
static int txn_key(const struct request *r, char *key, size_t *len, size_t *prefix)
{
    size_t fl;
    const char *f = find_field(r->msg, r->len, "Call-ID", "i", &fl);
    if (!f)
        return -1;
    ag_span cid = field_value(f, fl);
    if (!(f = find_field(r->msg, r->len, "CSeq", NULL, &fl)))
        return -1;
    ag_span cseq = field_value(f, fl);
    size_t num = 0;
    while (num < cseq.len && cseq.ptr[num] >= '0' && cseq.ptr[num] <= '9')
        num++;
    if (!(f = find_field(r->msg, r->len, "Via", "v", &fl)))
        return -1;
    ag_span via = field_value(f, fl), branch = {NULL, 0};
    for (size_t i = 0; i + 8 <= via.len; i++)
        if (strncasecmp(via.ptr + i, ";branch=", 8) == 0) {
            size_t b = i + 8, e = b;
            while (e < via.len && via.ptr[e] != ';' && via.ptr[e] != ',' && via.ptr[e] != ' ' &&
                   via.ptr[e] != '\t' && via.ptr[e] != '\r')
                e++;
            branch = (ag_span){via.ptr + b, e - b};
            break;
        }
    if (!num || !branch.len || cid.len + num + branch.len + 2 > TXN_KEY_MAX)
        return -1;
    memcpy(key, cid.ptr, cid.len);
    key[cid.len] = '\n';
    memcpy(key + cid.len + 1, cseq.ptr, num);
    *prefix = cid.len + 1 + num;
    key[*prefix] = '\n';
    memcpy(key + *prefix + 1, branch.ptr, branch.len);
    *len = *prefix + 1 + branch.len;
    return 0;
}

/* The live transaction of this key (answered, not ACKed, younger than 64*T1). */
static struct txn *txn_find(struct uas *u, const char *key, size_t len)
{
    long long t = now_ms();
    for (size_t i = 0; i < TXNS; i++) {
        struct txn *x = &u->txns[i];
        if (x->resp_len && !x->acked && t - x->at_ms < TXN_MS && x->key_len == len &&
            memcmp(x->key, key, len) == 0)
            return x;
    }
    return NULL;
}

static void txn_store(struct uas *u, const char *key, size_t len, size_t prefix)
{
    if (!u->out_len)
        return;
    struct txn *x = &u->txns[u->next_txn++ % TXNS]; /* the oldest goes */
    memcpy(x->key, key, len);
    x->key_len = len;
    x->cid_cseq_len = prefix;
    x->at_ms = now_ms();
    x->acked = 0;
    memcpy(x->resp, u->out, u->out_len);
    x->resp_len = u->out_len;
}

/* An ACK ends the INVITE transaction of its Call-ID and CSeq number (the ACK
 * of a 2xx has a branch of its own: RFC 3261 section 17.1.1.3). */
static void txn_ack(struct uas *u, const char *key, size_t prefix)
{
    for (size_t i = 0; i < TXNS; i++) {
        struct txn *x = &u->txns[i];
        if (x->resp_len && x->cid_cseq_len == prefix && memcmp(x->key, key, prefix) == 0)
            x->acked = 1;
    }
}

/* ---- nonces ---------------------------------------------------------------- */

static void put_hex64(char *out, uint64_t v)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, v >>= 4)
        out[i] = hex[v & 0xf];
}

static int get_hex64(const char *s, uint64_t *v)
{
    uint64_t x = 0;
    for (int i = 0; i < 16; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                            : 16;
        if (d == 16)
            return -1;
        x = x << 4 | d;
    }
    *v = x;
    return 0;
}

/* The MAC of a nonce's first 32 characters, in hex, into mac (33 bytes). */
static int nonce_mac(const struct uas *u, const char *body, char *mac)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!HMAC(EVP_sha256(), u->key, (int)sizeof u->key, (const unsigned char *)body, 32, md,
              &mdlen) ||
        mdlen < MAC_BYTES)
        return -1;
    for (size_t i = 0; i < MAC_BYTES; i++) {
        mac[2 * i] = hex[md[i] >> 4];
        mac[2 * i + 1] = hex[md[i] & 0xf];
    }
    mac[2 * MAC_BYTES] = '\0';
    return 0;
}

/* A new nonce (NONCE_HEX characters and a NUL) into out; 0 or -1. */
static int nonce_new(struct uas *u, char *out)
{
    put_hex64(out, (uint64_t)(now_ms() - u->t0_ms));
    put_hex64(out + 16, ++u->next_serial);
    return nonce_mac(u, out, out + 32);
}

/* Whether nonce (NUL-terminated) is one we issued: its issue time and
 * serial into *issued_ms, *serial.  The MAC is compared in constant time. */
static int nonce_ours(const struct uas *u, const char *nonce, long long *issued_ms,
                      uint64_t *serial)
{
    char mac[2 * MAC_BYTES + 1];
    uint64_t t;
    if (strlen(nonce) != NONCE_HEX || nonce_mac(u, nonce, mac) != 0 ||
        CRYPTO_memcmp(mac, nonce + 32, 2 * MAC_BYTES) != 0 || get_hex64(nonce, &t) != 0 ||
        get_hex64(nonce + 16, serial) != 0)
        return 0;
    if (t > (uint64_t)(now_ms() - u->t0_ms)) /* cannot happen with our key */
        return 0;
    *issued_ms = (long long)t + u->t0_ms;
    return 1;
}

static int expired(const struct uas *u, long long issued_ms, long long t)
{
    return t - issued_ms >= (long long)u->o->nonce_lifetime * 1000;
}

/* Records that a correct answer used nonce serial with count nc (counted:
 * the answer had a qop, so an nc; without, nc is 1: one use).  Returns NULL
 * when accepted, else why it is refused (then nothing changes). */
static const char *nonce_use(struct uas *u, uint64_t serial, long long issued_ms, uint32_t nc,
                             int counted, char *why, size_t cap)
{
    size_t n = u->o->nonce_slots;
    long long t = now_ms();
    for (size_t i = 0; i < n; i++) {
        struct used_nonce *e = &u->used[i];
        if (e->serial != serial)
            continue;
        if (nc <= e->last_nc) {
            if (counted)
                snprintf(why, cap, "nc %08lx not above %08lx (a replay)", (unsigned long)nc,
                         (unsigned long)e->last_nc);
            else
                snprintf(why, cap, "nonce already used (a replay)");
            return why;
        }
        e->last_nc = nc;
        return NULL;
    }
    if (serial <= u->forgotten_upto)
        return "nonce forgotten (the table was full)";
    if (nc == 0) {
        snprintf(why, cap, "nc 00000000 not above 00000000 (nc counts from 1)");
        return why;
    }
    /* a free or expired slot, else forget the oldest nonce */
    struct used_nonce *slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < n && !slot; i++) {
        struct used_nonce *e = &u->used[i];
        if (!e->serial || expired(u, e->issued_ms, t))
            slot = e;
        else if (!oldest || e->serial < oldest->serial)
            oldest = e;
    }
    if (!slot) {
        slot = oldest;
        if (slot->serial > u->forgotten_upto)
            u->forgotten_upto = slot->serial;
        say("nonce table full (%zu): nonces up to serial %llu now count as used", n,
            (unsigned long long)u->forgotten_upto);
    }
    slot->serial = serial;
    slot->issued_ms = issued_ms;
    slot->last_nc = nc;
    return NULL;
}

/* ---- the challenge and its verification ---------------------------------- */

static void challenge(struct uas *u, const struct request *r, const struct sockaddr_in *to,
                      const char *why, int stale)
{
    const struct options *o = u->o;
    char nonce[NONCE_HEX + 1], esc[LOG_MAX], line[MSG_MAX], text[256];
    const char *const qops[] = {o->qop};
    size_t len = 0;
    ag_field_error err;
    ag_status s = AG_ERR_UNSUPPORTED;
    if (nonce_new(u, nonce) == 0)
        s = ag_proxy_authenticate_digest(line, sizeof line, &len, &err, o->realm, nonce,
                                         o->opaque, o->algorithm, o->qop ? qops : NULL,
                                         o->qop ? 1 : 0,
                                         o->stale || stale ? AG_STALE_TRUE : AG_STALE_UNSET,
                                         o->ndomain ? o->domain : NULL, o->ndomain);
    if (s != AG_OK) {
        if (s == AG_ERR_FIELD)
            ag_field_error_format(&err, text, sizeof text);
        else
            snprintf(text, sizeof text, "%s", ag_strerror(s));
        say("%s: a challenge: %s: %s -> 500", ESC(esc, r->method), ag_status_name(s), text);
        respond(u, r, to, 500, "Server Internal Error", NULL, 0);
        return;
    }
    respond(u, r, to, 407, "Proxy Authentication Required", line, len);
    /* "-> 407 stale" marks our verdict (a known client, a used-up nonce) */
    char esc2[LOG_MAX], esc3[MSG_MAX];
    say("%s %s: %s -> 407%s %s", ESC(esc, r->method), ESC(esc2, r->uri), why,
        stale ? " stale" : "", log_escape(esc3, sizeof esc3, line, len - 2));
}

/* A NUL-terminated, unescaped copy of a quoted value; -1 when absent, too
 * long or holding a NUL. */
static int unquote(ag_span raw, char *out, size_t cap)
{
    if (!raw.ptr)
        return -1;
    size_t n = ag_unescape(raw, out, cap - 1);
    if (n > cap - 1 || memchr(out, '\0', n))
        return -1;
    out[n] = '\0';
    return 0;
}

static void authenticate(struct uas *u, const struct request *r, const struct sockaddr_in *to,
                         const char *line, size_t line_len)
{
    const struct options *o = u->o;
    ag_credentials cr;
    ag_credentials_storage cs;
    ag_diag d;
    char text[256], m[LOG_MAX], ru[LOG_MAX], eu[LOG_MAX], ed[LOG_MAX];
    ESC(m, r->method);
    ESC(ru, r->uri);
    ag_credentials_init(&cr, &cs);
    ag_status s = ag_parse_credentials(AG_PROFILE_SIP, AG_INPUT_HEADER, line, line_len, &cr, &d);
    if (s != AG_OK) {
        if (s == AG_ERR_SYNTAX)
            ag_diag_format(&d, text, sizeof text);
        else
            snprintf(text, sizeof text, "%s", ag_strerror(s));
        say("%s: ag_parse_credentials: %s: %s -> 400", m, ag_status_name(s),
            log_escape(ed, sizeof ed, text, strlen(text)));
        respond(u, r, to, 400, "Bad Request", NULL, 0);
        return;
    }
    if (cr.scheme_id != AG_SCHEME_DIGEST) {
        say("%s: credentials of scheme %s -> 403", m, ESC(ed, cr.scheme));
        respond(u, r, to, 403, "Forbidden", NULL, 0);
        return;
    }
    char user[FIELD_MAX], realm[FIELD_MAX], nonce[FIELD_MAX], uri[FIELD_MAX], resp[FIELD_MAX];
    char cnonce[FIELD_MAX], opaque[FIELD_MAX];
    if (unquote(cr.username, user, sizeof user) || unquote(cr.realm, realm, sizeof realm) ||
        unquote(cr.nonce, nonce, sizeof nonce) || unquote(cr.uri, uri, sizeof uri) ||
        unquote(cr.response, resp, sizeof resp)) {
        say("%s: credentials without username, realm, nonce, uri or response -> 400", m);
        respond(u, r, to, 400, "Bad Request", NULL, 0);
        return;
    }
    log_escape(eu, sizeof eu, user, strlen(user));
    log_escape(ed, sizeof ed, uri, strlen(uri));
    /* the response covers the uri the client wrote, so a uri other than the
     * Request-URI would let an answer for one resource open another */
    if (strlen(uri) != r->uri.len || memcmp(uri, r->uri.ptr, r->uri.len) != 0) {
        say("%s %s: user %s: uri %s is not the Request-URI -> 400", m, ru, eu, ed);
        respond(u, r, to, 400, "Bad Request", NULL, 0);
        return;
    }
    const char *refuse = NULL;
    if (strcmp(realm, o->realm) != 0)
        refuse = "another realm";
    else if (o->opaque && (unquote(cr.opaque, opaque, sizeof opaque) || strcmp(opaque, o->opaque)))
        refuse = "opaque not echoed";
    else if (o->qop && !cr.qop_raw.ptr)
        refuse = "no qop in the answer to a challenge with qop";
    else if (cr.qop_raw.ptr && cr.qop != AG_QOP_AUTH && cr.qop != AG_QOP_AUTH_INT)
        refuse = "a qop we do not know";
    else if (o->algorithm && (!cr.algorithm_raw.ptr ||
                              strlen(o->algorithm) != cr.algorithm_raw.len ||
                              strncasecmp(o->algorithm, cr.algorithm_raw.ptr,
                                          cr.algorithm_raw.len) != 0))
        refuse = "another algorithm";
    if (refuse) {
        say("%s %s: user %s: %s -> 403", m, ru, eu, refuse);
        respond(u, r, to, 403, "Forbidden", NULL, 0);
        return;
    }
    long long issued_ms;
    uint64_t serial;
    if (!nonce_ours(u, nonce, &issued_ms, &serial)) {
        challenge(u, r, to, "a nonce we did not issue", 0);
        return;
    }

    ag_digest_input in;
    memset(&in, 0, sizeof in);
    in.algorithm = cr.algorithm;
    in.qop = cr.qop; /* NONE when absent; an unregistered one was refused above */
    in.username = (ag_span){user, strlen(user)};
    in.realm = (ag_span){realm, strlen(realm)};
    in.password = (ag_span){o->password, strlen(o->password)};
    in.method = r->method;
    in.uri = (ag_span){uri, strlen(uri)};
    in.nonce = (ag_span){nonce, strlen(nonce)};
    if (!unquote(cr.cnonce, cnonce, sizeof cnonce))
        in.cnonce = (ag_span){cnonce, strlen(cnonce)};
    in.nc = cr.nc;
    in.body = r->body;
    s = ag_digest_verify(&in, (ag_span){resp, strlen(resp)});
    if (s == AG_ERR_MISMATCH) {
        say("%s %s: user %s, uri %s: response does not match (AG_ERR_MISMATCH) -> 403", m, ru,
            eu, ed);
        respond(u, r, to, 403, "Forbidden", NULL, 0);
        return;
    }
    if (s != AG_OK) {
        say("%s: ag_digest_verify: %s -> 400", m, ag_status_name(s));
        respond(u, r, to, 400, "Bad Request", NULL, 0);
        return;
    }
    /* The digest is right: the client knows the password.  Whether this
     * nonce may still be used decides between 200 and 407 stale=true. */
    uint32_t nc = 1; /* without qop: one use per nonce */
    if (cr.qop_raw.ptr) {
        uint64_t v = 0;
        for (size_t i = 0; i < cr.nc.len; i++) /* 8 lowercase hex: ag_digest_verify checked */
            v = v << 4 | (uint64_t)(cr.nc.ptr[i] <= '9' ? cr.nc.ptr[i] - '0'
                                                        : cr.nc.ptr[i] - 'a' + 10);
        nc = (uint32_t)v;
    }
    char why[128];
    const char *stale = expired(u, issued_ms, now_ms())
                            ? "nonce expired"
                            : nonce_use(u, serial, issued_ms, nc, cr.qop_raw.ptr != NULL, why,
                                        sizeof why);
    if (stale) {
        char reason[LOG_MAX + 192];
        snprintf(reason, sizeof reason, "user %s, response verified, but %s", eu, stale);
        challenge(u, r, to, reason, 1);
        return;
    }
    char q[LOG_MAX];
    if (cr.qop_raw.ptr)
        say("%s %s: user %s, uri %s, qop %s, nc %08lx: response verified -> 200", m, ru, eu, ed,
            ESC(q, cr.qop_raw), (unsigned long)nc);
    else
        say("%s %s: user %s, uri %s, no qop: response verified -> 200", m, ru, eu, ed);
    char contact[128];
    int k = snprintf(contact, sizeof contact, "Contact: <sip:authgram_uas@127.0.0.1:%u>\r\n",
                     o->port);
    respond(u, r, to, 200, "OK", contact, k > 0 ? (size_t)k : 0);
}

static void handle(struct uas *u, const char *m, size_t n, const struct sockaddr_in *from)
{
    struct request r;
    char em[LOG_MAX], eu[LOG_MAX];
    if (parse_request(m, n, &r) != 0)
        return; /* a response or garbage: nothing to answer */
    u->requests++;
    ESC(em, r.method);
    ESC(eu, r.uri);
    char key[TXN_KEY_MAX];
    size_t key_len = 0, prefix = 0;
    int keyed = txn_key(&r, key, &key_len, &prefix) == 0;
    if (method_is(&r, "ACK")) {
        if (keyed)
            txn_ack(u, key, prefix);
        say("ACK %s: absorbed", eu);
        return;
    }
    if (method_is(&r, "BYE") || method_is(&r, "OPTIONS")) {
        say("%s %s -> 200", em, eu);
        respond(u, &r, from, 200, "OK", NULL, 0);
        return;
    }
    if (!method_is(&r, "INVITE")) {
        say("%s %s -> 405", em, eu);
        static const char allow[] = "Allow: INVITE, ACK, BYE, OPTIONS\r\n";
        respond(u, &r, from, 405, "Method Not Allowed", allow, sizeof allow - 1);
        return;
    }
    struct txn *x = keyed ? txn_find(u, key, key_len) : NULL;
    if (x) {
        say("%s %s: retransmission: the response resent", em, eu);
        if (sendto(u->fd, x->resp, x->resp_len, 0, (const struct sockaddr *)from, sizeof *from) <
            0)
            say("sendto: %s", strerror(errno));
        return;
    }
    size_t fl;
    const char *f = find_field(m, n, "Proxy-Authorization", NULL, &fl);
    u->out_len = 0;
    if (!f)
        challenge(u, &r, from, "no credentials", 0);
    else
        authenticate(u, &r, from, f, fl);
    if (keyed)
        txn_store(u, key, key_len, prefix);
}

static void usage(void)
{
    fputs("usage: authgram_uas --port P [--realm R] [--password PW] [--qop auth|none]\n"
          "         [--algorithm A] [--opaque O] [--domain URI]... [--stale]\n"
          "         [--nonce-lifetime S] [--nonce-slots N] [--time-limit S]\n",
          stderr);
}

int main(int argc, char **argv)
{
    struct options o;
    memset(&o, 0, sizeof o);
    o.realm = "example.org";
    o.password = "secret";
    o.qop = "auth";
    o.nonce_lifetime = 300;
    o.nonce_slots = 256;
    o.time_limit = 30;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned v;
        if (strcmp(arg, "--stale") == 0) {
            o.stale = 1;
            continue;
        }
        if (!val) {
            usage();
            return 2;
        }
        i++;
        if (strcmp(arg, "--port") == 0 && parse_uint(val, 65535, &v) == 0 && v)
            o.port = v;
        else if (strcmp(arg, "--realm") == 0)
            o.realm = val;
        else if (strcmp(arg, "--password") == 0)
            o.password = val;
        else if (strcmp(arg, "--qop") == 0)
            o.qop = strcmp(val, "none") == 0 ? NULL : val;
        else if (strcmp(arg, "--algorithm") == 0)
            o.algorithm = val;
        else if (strcmp(arg, "--opaque") == 0)
            o.opaque = val;
        else if (strcmp(arg, "--domain") == 0 && o.ndomain < DOMAINS)
            o.domain[o.ndomain++] = val;
        else if (strcmp(arg, "--nonce-lifetime") == 0 && parse_uint(val, 86400, &v) == 0 && v)
            o.nonce_lifetime = v;
        else if (strcmp(arg, "--nonce-slots") == 0 &&
                 parse_uint(val, NONCE_SLOTS_MAX, &v) == 0 && v)
            o.nonce_slots = v;
        else if (strcmp(arg, "--time-limit") == 0 && parse_uint(val, 3600, &v) == 0 && v)
            o.time_limit = (int)v;
        else {
            usage();
            return 2;
        }
    }
    if (!o.port) {
        usage();
        return 2;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    static struct uas u;
    u.o = &o;
    /* the nonces' key: without real randomness they could be forged */
    if (RAND_bytes(u.key, (int)sizeof u.key) != 1) {
        fprintf(stderr, "%s: no random bytes for the nonce key\n", sip_prog);
        return 2;
    }
    u.t0_ms = now_ms();
    random_hex(u.to_tag, 16, 0);
    u.fd = udp_bind_loopback(o.port);
    if (u.fd < 0)
        return 2;
    say("listening on 127.0.0.1:%u (udp), realm %s, qop %s, nonces for %u s, %u slots, for %d s",
        o.port, o.realm, o.qop ? o.qop : "none", o.nonce_lifetime, o.nonce_slots, o.time_limit);

    long long end = now_ms() + (long long)o.time_limit * 1000;
    static char buf[MSG_MAX];
    while (!stop) {
        long long left = end - now_ms();
        if (left <= 0) {
            say("time limit reached");
            break;
        }
        struct pollfd p = {u.fd, POLLIN, 0};
        int r = poll(&p, 1, left > 200 ? 200 : (int)left);
        if (r < 0 && errno != EINTR) {
            say("poll: %s", strerror(errno));
            break;
        }
        if (r <= 0)
            continue;
        struct sockaddr_in from;
        socklen_t fl = sizeof from;
        ssize_t got = recvfrom(u.fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &fl);
        if (got <= 0)
            continue;
        buf[got] = '\0';
        handle(&u, buf, (size_t)got, &from);
    }
    if (stop)
        say("stopped by a signal");
    say("%lu requests handled", u.requests);
    close(u.fd);
    return 0;
}
