/* SPDX-License-Identifier: MIT */
/* authgram_uac: a minimal SIP user agent client over UDP on 127.0.0.1 that
 * answers a real proxy's Digest challenge with authgram, for the interop
 * tests of tests/interop/ (Kamailio as the producer of the challenges).
 *
 *   authgram_uac --port P --local-port L [options]
 *
 * It sends an INVITE without credentials, expects a 407, and for each
 * Proxy-Authenticate header line of it: parses the line (ag_parse_challenge,
 * strict), reports its warnings (ag_check) and compares them with
 * --expect-warnings, serializes it again (ag_serialize, AG_FORM_PROXY_AUTHENTICATE) and
 * requires the received line byte for byte.  It chooses the challenge to
 * answer (ag_digest_choose), the qop (ag_digest_pick_qop), computes the
 * response (ag_digest_response: method INVITE, the Request-URI it sent, a
 * cnonce of its own, nc 00000001), writes the Proxy-Authorization line
 * (ag_proxy_authorization_digest), sends the INVITE again with it and
 * expects 200.
 *
 * With --wrong-password PW, the first answer is computed with PW: it expects
 * a 407 again, with a fresh challenge (not stale=true), answers that one with
 * --password and expects 200.
 *
 * With --stale-after S, after the 200 it waits S seconds, sends the same
 * credentials again, expects a 407 whose challenge says stale=true, answers
 * that challenge and expects 200.
 *
 * With --ping it only sends an OPTIONS and exits 0 on any reply (readiness).
 *
 * One line per step on stdout; "FAIL: ..." and exit 1 when an expectation
 * does not hold; exit 2 for a usage or system error.  Nothing is sent
 * anywhere but 127.0.0.1. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "authgram.h"
#include "authgram_digest.h"
#include "sipmsg.h"

#define MSG_MAX 8192
#define MAX_CHALLENGES 8
#define FIELD_MAX 1024

struct options {
    unsigned port;        /* the proxy's port on 127.0.0.1 */
    unsigned local_port;  /* ours; 0: any */
    const char *user;
    const char *password;
    const char *domain;   /* From domain: Kamailio's realm is "$fd" */
    const char *ruri;
    const char *expect_warnings; /* NULL: not checked; "": none expected */
    const char *expect_algorithm; /* "MD5", "SHA-256", "none" (absent) */
    const char *expect_qop;       /* "auth", "none" */
    const char *wrong_password;   /* answer with it first, expect 407 */
    int stale_after;              /* seconds; 0: no stale step */
    int timeout_ms;
    int ping;
};

struct uac {
    const struct options *o;
    int fd;
    struct sockaddr_in peer;
    unsigned local_port;
    char call_id[64];
    char from_tag[32];
    unsigned cseq;
    unsigned branch_seq;
    unsigned long salt;
};

/* What the chosen challenge is answered with. */
struct answer {
    char line[MSG_MAX]; /* "Proxy-Authorization: ...\r\n" */
    size_t len;
    ag_stale stale;     /* of the challenge answered */
};

const char sip_prog[] = "authgram_uac";

static int failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("FAIL: ", fmt, ap);
    va_end(ap);
    failures++;
}

/* A printable copy of a message line (without its CRLF) for the output. */
static void show_line(const char *prefix, const char *p, size_t n)
{
    static char esc[4 * MSG_MAX + 8]; /* every byte may become \xHH */
    while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n'))
        n--;
    say("%s%s", prefix, log_escape(esc, sizeof esc, p, n));
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* ---- SIP messages ---------------------------------------------------------- */

/* The status code of a response, or -1. */
static int status_of(const char *m, size_t n)
{
    if (n < 12 || memcmp(m, "SIP/2.0 ", 8) != 0)
        return -1;
    int code = 0;
    for (size_t i = 8; i < 11; i++) {
        if (m[i] < '0' || m[i] > '9')
            return -1;
        code = code * 10 + (m[i] - '0');
    }
    return code;
}

/* Whether the response's top Via carries our branch. */
static int has_branch(const char *m, size_t n, const char *branch)
{
    size_t vl;
    /* the full form first, then the compact one, as this client always
     * looked (a reply mixing both forms is not what a proxy sends) */
    const char *via = find_field(m, n, "Via", NULL, &vl);
    if (!via)
        via = find_field(m, n, "v", NULL, &vl);
    if (!via)
        return 0;
    size_t bl = strlen(branch);
    for (size_t i = 0; i + 7 + bl <= vl; i++)
        if (memcmp(via + i, "branch=", 7) == 0 && memcmp(via + i + 7, branch, bl) == 0 &&
            (i + 7 + bl == vl || strchr(";,\r\n \t", via[i + 7 + bl])))
            return 1;
    return 0;
}

static void new_branch(struct uac *u, char *out, size_t cap)
{
    snprintf(out, cap, "z9hG4bK-ag-%lx-%u", u->salt, ++u->branch_seq);
}

/* Sends a request and waits for its final response (1xx skipped),
 * retransmitting as RFC 3261 Timer A does.  Returns the status code, or -1
 * (timeout or error, said). */
static int transact(struct uac *u, const char *req, size_t rlen, const char *branch, char *resp,
                    size_t cap, size_t *resp_len)
{
    long long start = now_ms(), next = start, interval = 500;
    for (;;) {
        long long t = now_ms();
        if (t - start >= u->o->timeout_ms) {
            fail("no final response within %d ms", u->o->timeout_ms);
            return -1;
        }
        if (t >= next) {
            if (sendto(u->fd, req, rlen, 0, (const struct sockaddr *)&u->peer, sizeof u->peer) < 0) {
                fail("sendto: %s", strerror(errno));
                return -1;
            }
            next = t + interval;
            interval *= 2;
        }
        long long wait = next - t;
        if (wait > u->o->timeout_ms - (t - start))
            wait = u->o->timeout_ms - (t - start);
        struct pollfd p = {u->fd, POLLIN, 0};
        int r = poll(&p, 1, (int)(wait > 0 ? wait : 0));
        if (r < 0 && errno != EINTR) {
            fail("poll: %s", strerror(errno));
            return -1;
        }
        if (r <= 0)
            continue;
        ssize_t got = recv(u->fd, resp, cap - 1, 0);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            fail("recv: %s", strerror(errno));
            return -1;
        }
        resp[got] = '\0';
        int code = status_of(resp, (size_t)got);
        if (code < 0 || !has_branch(resp, (size_t)got, branch))
            continue; /* a request, or a late answer to an earlier one */
        if (code < 200)
            continue;
        *resp_len = (size_t)got;
        return code;
    }
}

static void send_raw(struct uac *u, const char *m, size_t n)
{
    if (sendto(u->fd, m, n, 0, (const struct sockaddr *)&u->peer, sizeof u->peer) < 0)
        fail("sendto: %s", strerror(errno));
}

/* The ACK of a final response: for a non-2xx one in the INVITE's
 * transaction (its branch), for a 2xx a new one.  The To of the response
 * carries the tag. */
static void send_ack(struct uac *u, const char *resp, size_t rlen, const char *invite_branch,
                     unsigned cseq)
{
    char branch[64], msg[MSG_MAX];
    int code = status_of(resp, rlen);
    if (code >= 300)
        snprintf(branch, sizeof branch, "%s", invite_branch);
    else
        new_branch(u, branch, sizeof branch);
    size_t tl = 0;
    const char *to = find_field(resp, rlen, "To", NULL, &tl);
    if (!to)
        to = find_field(resp, rlen, "t", NULL, &tl);
    int n = snprintf(msg, sizeof msg,
                     "ACK %s SIP/2.0\r\n"
                     "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=%s\r\n"
                     "Max-Forwards: 70\r\n"
                     "From: <sip:%s@%s>;tag=%s\r\n"
                     "%.*s"
                     "Call-ID: %s\r\n"
                     "CSeq: %u ACK\r\n"
                     "Content-Length: 0\r\n\r\n",
                     u->o->ruri, u->local_port, branch, u->o->user, u->o->domain, u->from_tag,
                     to ? (int)tl : 0, to ? to : "", u->call_id, cseq);
    if (n > 0 && (size_t)n < sizeof msg)
        send_raw(u, msg, (size_t)n);
}

/* Sends an INVITE (with the credentials line, or without when NULL) and
 * returns the final status; the response is in resp.  The final response is
 * acknowledged. */
static int invite(struct uac *u, const char *auth_line, size_t auth_len, char *resp, size_t cap,
                  size_t *resp_len)
{
    char branch[64], msg[MSG_MAX];
    new_branch(u, branch, sizeof branch);
    unsigned cseq = ++u->cseq;
    int n = snprintf(msg, sizeof msg,
                     "INVITE %s SIP/2.0\r\n"
                     "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=%s\r\n"
                     "Max-Forwards: 70\r\n"
                     "From: <sip:%s@%s>;tag=%s\r\n"
                     "To: <%s>\r\n"
                     "Call-ID: %s\r\n"
                     "CSeq: %u INVITE\r\n"
                     "Contact: <sip:%s@127.0.0.1:%u>\r\n"
                     "%.*s"
                     "User-Agent: authgram_uac\r\n"
                     "Content-Length: 0\r\n\r\n",
                     u->o->ruri, u->local_port, branch, u->o->user, u->o->domain, u->from_tag,
                     u->o->ruri, u->call_id, cseq, u->o->user, u->local_port,
                     auth_line ? (int)auth_len : 0, auth_line ? auth_line : "");
    if (n < 0 || (size_t)n >= sizeof msg) {
        fail("INVITE too long");
        return -1;
    }
    int code = transact(u, msg, (size_t)n, branch, resp, cap, resp_len);
    if (code >= 200)
        send_ack(u, resp, *resp_len, branch, cseq);
    return code;
}

/* ---- the challenge ----------------------------------------------------------- */

/* Whether a warning id is in the comma-separated list. */
static int in_list(const char *list, const char *name)
{
    size_t k = strlen(name);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == k && memcmp(p, name, k) == 0)
            return 1;
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* Parses one Proxy-Authenticate line (strict) and reports its warnings.
 * Returns 0 when it parsed. */
static int examine(const char *line, size_t len, size_t index, ag_challenge *c,
                   ag_challenge_storage *st)
{
    char text[256];
    ag_diag d;
    ag_challenge_init(c, st);
    show_line("received: ", line, len);
    ag_status s = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_HEADER, line, len, c, &d);
    if (s != AG_OK) {
        if (s == AG_ERR_SYNTAX)
            ag_diag_format(&d, text, sizeof text);
        else
            snprintf(text, sizeof text, "%s", ag_strerror(s));
        fail("challenge %zu: ag_parse_challenge: %s: %s", index, ag_status_name(s), text);
        return -1;
    }
    say("challenge %zu: parsed: scheme %.*s, %zu parameters, algorithm %.*s, %zu qop values, "
        "stale %s",
        index, AG_SPAN_ARGS(c->scheme), c->param_count,
        c->algorithm_raw.ptr ? (int)c->algorithm_raw.len : 6,
        c->algorithm_raw.ptr ? c->algorithm_raw.ptr : "absent", c->qop_count,
        c->stale == AG_STALE_TRUE ? "true" : c->stale == AG_STALE_FALSE ? "false" : "absent");

    /* warnings */
    ag_warning w[32];
    size_t nw = ag_check(c, w, sizeof w / sizeof w[0]);
    for (size_t i = 0; i < nw && i < sizeof w / sizeof w[0]; i++) {
        char what[320];
        ag_warning_format(&w[i], what, sizeof what);
        say("challenge %zu: warning: %s", index, what);
    }
    if (nw > sizeof w / sizeof w[0])
        fail("challenge %zu: %zu warnings, more than %zu", index, nw, sizeof w / sizeof w[0]);
    if (!nw)
        say("challenge %zu: no warnings", index);
    return 0;
}

/* Compares the warnings of c with the expected list. */
static void expect_warnings(const ag_challenge *c, size_t index, const char *expected)
{
    ag_warning w[32];
    size_t nw = ag_check(c, w, sizeof w / sizeof w[0]);
    if (nw > sizeof w / sizeof w[0])
        nw = sizeof w / sizeof w[0];
    int ok = 1;
    for (size_t i = 0; i < nw; i++)
        if (!in_list(expected, ag_warning_name(w[i].id))) {
            fail("challenge %zu: unexpected warning %s", index, ag_warning_name(w[i].id));
            ok = 0;
        }
    for (const char *p = expected; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int found = 0;
        for (size_t i = 0; i < nw; i++) {
            const char *name = ag_warning_name(w[i].id);
            if (strlen(name) == n && memcmp(name, p, n) == 0)
                found = 1;
        }
        if (n && !found) {
            fail("challenge %zu: expected warning %.*s is missing", index, (int)n, p);
            ok = 0;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    if (ok)
        say("challenge %zu: warnings as expected (%s)", index, *expected ? expected : "none");
}

/* ag_serialize with AG_FORM_PROXY_AUTHENTICATE must give the received line back. */
static void round_trip(const ag_challenge *c, size_t index, const char *line, size_t len)
{
    char out[MSG_MAX], text[256];
    size_t n = 0;
    ag_field_error err;
    ag_status s = ag_serialize(c, AG_FORM_PROXY_AUTHENTICATE, out, sizeof out, &n, &err);
    if (s != AG_OK) {
        if (s == AG_ERR_FIELD)
            ag_field_error_format(&err, text, sizeof text);
        else
            snprintf(text, sizeof text, "%s", ag_strerror(s));
        fail("challenge %zu: ag_serialize: %s: %s", index, ag_status_name(s), text);
        return;
    }
    if (n != len || memcmp(out, line, len) != 0) {
        size_t i = 0;
        while (i < n && i < len && out[i] == line[i])
            i++;
        fail("challenge %zu: round trip differs at byte %zu (%zu bytes received, %zu written)",
             index, i, len, n);
        show_line("written:  ", out, n);
        return;
    }
    say("challenge %zu: round trip: ag_serialize wrote the received %zu bytes", index, len);
}

/* A NUL-terminated copy of a span without its quoted-pair escapes. */
static int unquote(ag_span raw, int quoted, char *out, size_t cap, const char *what)
{
    size_t n;
    if (quoted) {
        n = ag_unescape(raw, out, cap - 1);
        if (n > cap - 1) {
            fail("%s longer than %zu bytes", what, cap - 1);
            return -1;
        }
    } else {
        if (raw.len > cap - 1) {
            fail("%s longer than %zu bytes", what, cap - 1);
            return -1;
        }
        n = raw.len;
        if (n)
            memcpy(out, raw.ptr, n);
    }
    if (memchr(out, '\0', n)) {
        fail("%s contains a NUL byte", what);
        return -1;
    }
    out[n] = '\0';
    return 0;
}

/* Reads every Proxy-Authenticate of a 407, checks each, chooses one and
 * writes the Proxy-Authorization line for it into *a. */
static int answer_challenge(struct uac *u, const char *resp, size_t rlen, const char *password,
                            struct answer *a)
{
    static ag_challenge_storage st[MAX_CHALLENGES];
    ag_challenge ch[MAX_CHALLENGES];
    const char *lines[MAX_CHALLENGES];
    size_t lens[MAX_CHALLENGES];
    size_t n = 0, hend = header_end(resp, rlen), pos = 0, fl;
    const char *f;
    while (hend && next_field(resp, hend, &pos, &f, &fl)) {
        if (!field_is(f, fl, "Proxy-Authenticate"))
            continue;
        if (n == MAX_CHALLENGES) {
            fail("more than %d Proxy-Authenticate fields", MAX_CHALLENGES);
            return -1;
        }
        if (examine(f, fl, n, &ch[n], &st[n]) != 0)
            return -1;
        lines[n] = f;
        lens[n] = fl;
        n++;
    }
    if (n == 0) {
        fail("the 407 has no Proxy-Authenticate field");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (u->o->expect_warnings)
            expect_warnings(&ch[i], i, u->o->expect_warnings);
        round_trip(&ch[i], i, lines[i], lens[i]);
    }

    size_t k = n;
    ag_digest_unusable why[MAX_CHALLENGES];
    ag_status s = ag_digest_choose(ch, n, &k, why);
    if (s != AG_OK) {
        for (size_t i = 0; i < n; i++)
            fail("challenge %zu: unusable: %s", i, ag_digest_unusable_name(why[i]));
        return -1;
    }
    const ag_challenge *c = &ch[k];
    int qop = ag_digest_pick_qop(c);
    if (qop < 0) {
        fail("challenge %zu: no qop we can answer", k);
        return -1;
    }
    const char *qop_name = qop == AG_QOP_AUTH ? "auth"
                           : qop == AG_QOP_AUTH_INT ? "auth-int" : NULL;
    char alg[64];
    if (c->algorithm_raw.ptr) {
        if (unquote(c->algorithm_raw, 0, alg, sizeof alg, "algorithm") != 0)
            return -1;
    } else {
        snprintf(alg, sizeof alg, "none");
    }
    say("chose challenge %zu of %zu: algorithm %s, qop %s", k, n, alg, qop_name ? qop_name : "none");
    if (u->o->expect_algorithm && strcmp(u->o->expect_algorithm, alg) != 0)
        fail("algorithm %s, expected %s", alg, u->o->expect_algorithm);
    if (u->o->expect_qop && strcmp(u->o->expect_qop, qop_name ? qop_name : "none") != 0)
        fail("qop %s, expected %s", qop_name ? qop_name : "none", u->o->expect_qop);

    /* the values, unquoted (ag_digest_input wants them as RFC 7616's unq()) */
    char realm[FIELD_MAX], nonce[FIELD_MAX], opaque[FIELD_MAX], cnonce[17];
    if (unquote(c->realm, 1, realm, sizeof realm, "realm") != 0 ||
        unquote(c->nonce, 1, nonce, sizeof nonce, "nonce") != 0)
        return -1;
    int has_opaque = c->opaque.ptr != NULL;
    if (has_opaque && unquote(c->opaque, 1, opaque, sizeof opaque, "opaque") != 0)
        return -1;
    random_hex(cnonce, 16, u->salt + u->cseq);
    const char *nc = "00000001";

    ag_digest_input in;
    memset(&in, 0, sizeof in);
    in.algorithm = c->algorithm;
    in.qop = (ag_qop)qop;
    in.username = (ag_span){u->o->user, strlen(u->o->user)};
    in.realm = (ag_span){realm, strlen(realm)};
    in.password = (ag_span){password, strlen(password)};
    in.method = (ag_span){"INVITE", 6};
    in.uri = (ag_span){u->o->ruri, strlen(u->o->ruri)};
    in.nonce = (ag_span){nonce, strlen(nonce)};
    if (qop_name) {
        in.cnonce = (ag_span){cnonce, strlen(cnonce)};
        in.nc = (ag_span){nc, 8};
    }
    char response[AG_DIGEST_HEX_MAX + 1];
    size_t rl = 0;
    s = ag_digest_response(&in, response, sizeof response, &rl);
    if (s != AG_OK) {
        fail("ag_digest_response: %s", ag_status_name(s));
        return -1;
    }
    say("response: %s (%zu hex digits)", response, rl);

    ag_field_error err;
    char text[256];
    s = ag_proxy_authorization_digest(a->line, sizeof a->line, &a->len, &err, u->o->user, realm,
                                      nonce, u->o->ruri, response,
                                      c->algorithm_raw.ptr ? alg : NULL,
                                      qop_name ? cnonce : NULL, has_opaque ? opaque : NULL,
                                      qop_name, qop_name ? nc : NULL);
    if (s != AG_OK) {
        if (s == AG_ERR_FIELD)
            ag_field_error_format(&err, text, sizeof text);
        else
            snprintf(text, sizeof text, "%s", ag_strerror(s));
        fail("ag_proxy_authorization_digest: %s: %s", ag_status_name(s), text);
        return -1;
    }
    a->stale = c->stale;
    show_line("sending:  ", a->line, a->len);
    return 0;
}

/* ---- the steps ------------------------------------------------------------- */

static int expect_code(int got, int want, const char *what)
{
    if (got == want) {
        say("%s -> %d (expected %d)", what, got, want);
        return 0;
    }
    if (got >= 0)
        fail("%s -> %d, expected %d", what, got, want);
    return -1;
}

static int run(struct uac *u)
{
    static char resp[MSG_MAX];
    static struct answer a, b;
    size_t rlen = 0;
    const struct options *o = u->o;

    /* 1: the challenge */
    int code = invite(u, NULL, 0, resp, sizeof resp, &rlen);
    if (expect_code(code, 407, "INVITE without credentials") != 0)
        return -1;
    if (o->wrong_password) {
        say("answering with the wrong password");
        if (answer_challenge(u, resp, rlen, o->wrong_password, &b) != 0)
            return -1;
        code = invite(u, b.line, b.len, resp, sizeof resp, &rlen);
        if (expect_code(code, 407, "INVITE with the wrong password") != 0)
            return -1;
    }
    if (answer_challenge(u, resp, rlen, o->password, &a) != 0)
        return -1;
    if (a.stale == AG_STALE_TRUE)
        fail("the challenge says stale=true");
    else if (o->wrong_password)
        say("the challenge after the wrong answer does not say stale=true, as expected");

    /* 2: the answer */
    code = invite(u, a.line, a.len, resp, sizeof resp, &rlen);
    if (expect_code(code, 200, "INVITE with credentials") != 0)
        return -1;
    if (!o->stale_after)
        return 0;

    /* 3: the same credentials once the nonce has expired */
    say("waiting %d s for the nonce to expire", o->stale_after);
    sleep_ms((long)o->stale_after * 1000);
    code = invite(u, a.line, a.len, resp, sizeof resp, &rlen);
    if (expect_code(code, 407, "INVITE with the expired nonce") != 0)
        return -1;
    if (answer_challenge(u, resp, rlen, o->password, &b) != 0)
        return -1;
    if (b.stale != AG_STALE_TRUE)
        fail("the challenge after the expired nonce does not say stale=true");
    else
        say("the challenge says stale=true (ag_challenge.stale == AG_STALE_TRUE)");

    /* 4: the answer to the new challenge */
    code = invite(u, b.line, b.len, resp, sizeof resp, &rlen);
    return expect_code(code, 200, "INVITE answering the stale challenge");
}

static int ping(struct uac *u)
{
    char branch[64], msg[MSG_MAX];
    static char resp[MSG_MAX];
    size_t rlen;
    new_branch(u, branch, sizeof branch);
    int n = snprintf(msg, sizeof msg,
                     "OPTIONS %s SIP/2.0\r\n"
                     "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=%s\r\n"
                     "Max-Forwards: 70\r\n"
                     "From: <sip:%s@%s>;tag=%s\r\n"
                     "To: <%s>\r\n"
                     "Call-ID: %s\r\n"
                     "CSeq: 1 OPTIONS\r\n"
                     "Content-Length: 0\r\n\r\n",
                     u->o->ruri, u->local_port, branch, u->o->user, u->o->domain, u->from_tag,
                     u->o->ruri, u->call_id);
    if (n < 0 || (size_t)n >= sizeof msg)
        return -1;
    int code = transact(u, msg, (size_t)n, branch, resp, sizeof resp, &rlen);
    if (code < 0)
        return -1;
    say("OPTIONS -> %d", code);
    return 0;
}

static void usage(void)
{
    fputs("usage: authgram_uac --port P [--local-port L] [--user U] [--password PW]\n"
          "         [--domain D] [--ruri URI] [--wrong-password PW] [--expect-warnings W,...]\n"
          "         [--expect-algorithm A|none] [--expect-qop auth|none] [--stale-after S]\n"
          "         [--timeout-ms MS] [--ping]\n",
          stderr);
}

int main(int argc, char **argv)
{
    struct options o = {0, 0, "alice", "secret", "example.org", "sip:bob@example.org", NULL,
                        NULL, NULL, NULL, 0, 3000, 0};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned v;
        if (strcmp(arg, "--ping") == 0) {
            o.ping = 1;
            continue;
        }
        if (!val) {
            usage();
            return 2;
        }
        i++;
        if (strcmp(arg, "--port") == 0 && parse_uint(val, 65535, &v) == 0 && v)
            o.port = v;
        else if (strcmp(arg, "--local-port") == 0 && parse_uint(val, 65535, &v) == 0)
            o.local_port = v;
        else if (strcmp(arg, "--user") == 0)
            o.user = val;
        else if (strcmp(arg, "--password") == 0)
            o.password = val;
        else if (strcmp(arg, "--domain") == 0)
            o.domain = val;
        else if (strcmp(arg, "--ruri") == 0)
            o.ruri = val;
        else if (strcmp(arg, "--wrong-password") == 0)
            o.wrong_password = val;
        else if (strcmp(arg, "--expect-warnings") == 0)
            o.expect_warnings = val;
        else if (strcmp(arg, "--expect-algorithm") == 0)
            o.expect_algorithm = val;
        else if (strcmp(arg, "--expect-qop") == 0)
            o.expect_qop = val;
        else if (strcmp(arg, "--stale-after") == 0 && parse_uint(val, 60, &v) == 0)
            o.stale_after = (int)v;
        else if (strcmp(arg, "--timeout-ms") == 0 && parse_uint(val, 60000, &v) == 0 && v)
            o.timeout_ms = (int)v;
        else {
            usage();
            return 2;
        }
    }
    if (!o.port) {
        usage();
        return 2;
    }

    struct uac u;
    memset(&u, 0, sizeof u);
    u.o = &o;
    u.fd = udp_bind_loopback(o.local_port);
    if (u.fd < 0)
        return 2;
    /* the port bound, when --local-port left it to the system (the Via and
     * Contact carry it); the one asked for should getsockname fail */
    struct sockaddr_in me;
    socklen_t ml = sizeof me;
    u.local_port = getsockname(u.fd, (struct sockaddr *)&me, &ml) == 0 ? ntohs(me.sin_port)
                                                                      : o.local_port;
    memset(&u.peer, 0, sizeof u.peer);
    u.peer.sin_family = AF_INET;
    u.peer.sin_port = htons((unsigned short)o.port);
    inet_pton(AF_INET, "127.0.0.1", &u.peer.sin_addr);

    char r[17];
    random_hex(r, 16, 0);
    u.salt = strtoul(r + 8, NULL, 16);
    snprintf(u.call_id, sizeof u.call_id, "%s@127.0.0.1", r);
    random_hex(u.from_tag, 12, u.salt);

    int rc;
    if (o.ping) {
        rc = ping(&u) == 0 ? 0 : 1;
    } else {
        int ok = run(&u) == 0 && failures == 0;
        say("%s", ok ? "PASS: every expectation held" : "FAIL: see above");
        rc = ok ? 0 : 1;
    }
    close(u.fd);
    return rc;
}
