/* authgram_uas: a minimal SIP server over UDP on 127.0.0.1 that challenges
 * with authgram's builder and verifies the answers with authgram's
 * credentials parser and libauthgram-digest, for the interop tests of
 * tests/interop/ (SIPp as the consumer of the challenges).
 *
 *   authgram_uas --port P [--realm R] [--password PW] [--qop auth|none]
 *                [--algorithm A] [--opaque O] [--domain URI]... [--stale]
 *                [--time-limit S]
 *
 * An INVITE without Proxy-Authorization gets a 407 whose Proxy-Authenticate
 * line is written by ag_proxy_authenticate_digest (a fresh nonce, and the
 * options: qop, algorithm, opaque, domain, stale=true).  An INVITE with
 * Proxy-Authorization: the line is parsed by ag_parse_credentials
 * (AG_PROFILE_SIP, AG_INPUT_HEADER); its nonce must be one this server
 * issued (else a new 407), its realm ours, its opaque the one we sent; the
 * response is verified by ag_digest_verify (method from the request line,
 * uri from the credentials, the quoted values unescaped by ag_unescape)
 * against --password: 200 when it matches, 403 when it does not
 * (AG_ERR_MISMATCH), 400 when the credentials do not parse.  ACK is ignored,
 * BYE and OPTIONS get 200, other methods 405.
 *
 * It prints one line per request it handled and exits 0 after --time-limit
 * seconds (default 30) or on SIGTERM / SIGINT; 2 on a usage or system
 * error.  It listens on 127.0.0.1 only and answers the datagram's source. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
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
#define NONCES 64
#define DOMAINS 8

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
    int time_limit;
};

struct uas {
    const struct options *o;
    int fd;
    char nonces[NONCES][33]; /* the nonces issued, a ring */
    size_t next_nonce;
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
 * CSeq, then the extra lines (each ending in CRLF), Content-Length: 0. */
static void respond(struct uas *u, const struct request *r, const struct sockaddr_in *to,
                    int code, const char *reason, const char *extra, size_t extra_len)
{
    char out[MSG_MAX];
    size_t at = 0;
    int k = snprintf(out, sizeof out, "SIP/2.0 %d %s\r\n", code, reason);
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
        k = snprintf(out + at, sizeof out - at, "%.*s%s%s\r\n", (int)n, f,
                     is_to && !tagged ? ";tag=" : "", is_to && !tagged ? u->to_tag : "");
        if (k < 0 || (size_t)k >= sizeof out - at)
            return;
        at += (size_t)k;
    }
    k = snprintf(out + at, sizeof out - at, "%.*sServer: authgram_uas\r\nContent-Length: 0\r\n\r\n",
                 (int)extra_len, extra ? extra : "");
    if (k < 0 || (size_t)k >= sizeof out - at)
        return;
    at += (size_t)k;
    if (sendto(u->fd, out, at, 0, (const struct sockaddr *)to, sizeof *to) < 0)
        say("sendto: %s", strerror(errno));
}

/* ---- the challenge and its verification ---------------------------------- */

static void challenge(struct uas *u, const struct request *r, const struct sockaddr_in *to,
                      const char *why)
{
    const struct options *o = u->o;
    char *nonce = u->nonces[u->next_nonce++ % NONCES];
    random_hex(nonce, 32, u->requests);
    const char *const qops[] = {o->qop};
    char line[MSG_MAX], text[256];
    size_t len = 0;
    ag_field_error err;
    ag_status s = ag_proxy_authenticate_digest(line, sizeof line, &len, &err, o->realm, nonce,
                                               o->opaque, o->algorithm, o->qop ? qops : NULL,
                                               o->qop ? 1 : 0,
                                               o->stale ? AG_STALE_TRUE : AG_STALE_UNSET,
                                               o->ndomain ? o->domain : NULL, o->ndomain);
    if (s != AG_OK) {
        if (s == AG_ERR_FIELD)
            ag_field_error_format(&err, text, sizeof text);
        else
            snprintf(text, sizeof text, "%s", ag_strerror(s));
        say("%.*s: ag_proxy_authenticate_digest: %s: %s -> 500", AG_SPAN_ARGS(r->method),
            ag_status_name(s), text);
        respond(u, r, to, 500, "Server Internal Error", NULL, 0);
        return;
    }
    respond(u, r, to, 407, "Proxy Authentication Required", line, len);
    say("%.*s %.*s (%s) -> 407 %.*s", AG_SPAN_ARGS(r->method), AG_SPAN_ARGS(r->uri), why,
        (int)(len - 2), line);
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

static int issued(const struct uas *u, const char *nonce)
{
    for (size_t i = 0; i < NONCES; i++)
        if (u->nonces[i][0] && strcmp(u->nonces[i], nonce) == 0)
            return 1;
    return 0;
}

static void authenticate(struct uas *u, const struct request *r, const struct sockaddr_in *to,
                         const char *line, size_t line_len)
{
    const struct options *o = u->o;
    ag_credentials cr;
    ag_credentials_storage cs;
    ag_diag d;
    char text[256];
    ag_credentials_init(&cr, &cs);
    ag_status s = ag_parse_credentials(AG_PROFILE_SIP, AG_INPUT_HEADER, line, line_len, &cr, &d);
    if (s != AG_OK) {
        if (s == AG_ERR_SYNTAX)
            ag_diag_format(&d, text, sizeof text);
        else
            snprintf(text, sizeof text, "%s", ag_strerror(s));
        say("%.*s: ag_parse_credentials: %s: %s -> 400", AG_SPAN_ARGS(r->method),
            ag_status_name(s), text);
        respond(u, r, to, 400, "Bad Request", NULL, 0);
        return;
    }
    if (cr.scheme_id != AG_SCHEME_DIGEST) {
        say("%.*s: credentials of scheme %.*s -> 403", AG_SPAN_ARGS(r->method),
            AG_SPAN_ARGS(cr.scheme));
        respond(u, r, to, 403, "Forbidden", NULL, 0);
        return;
    }
    char user[FIELD_MAX], realm[FIELD_MAX], nonce[FIELD_MAX], uri[FIELD_MAX], resp[FIELD_MAX];
    char cnonce[FIELD_MAX], opaque[FIELD_MAX];
    if (unquote(cr.username, user, sizeof user) || unquote(cr.realm, realm, sizeof realm) ||
        unquote(cr.nonce, nonce, sizeof nonce) || unquote(cr.uri, uri, sizeof uri) ||
        unquote(cr.response, resp, sizeof resp)) {
        say("%.*s: credentials without username, realm, nonce, uri or response -> 400",
            AG_SPAN_ARGS(r->method));
        respond(u, r, to, 400, "Bad Request", NULL, 0);
        return;
    }
    if (!issued(u, nonce)) {
        challenge(u, r, to, "a nonce we did not issue");
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
        say("%.*s: %s -> 403", AG_SPAN_ARGS(r->method), refuse);
        respond(u, r, to, 403, "Forbidden", NULL, 0);
        return;
    }

    ag_digest_input in;
    memset(&in, 0, sizeof in);
    in.algorithm = cr.algorithm;
    in.qop = !cr.qop_raw.ptr            ? AG_DIGEST_QOP_NONE
             : cr.qop == AG_QOP_AUTH_INT ? AG_DIGEST_QOP_AUTH_INT
                                         : AG_DIGEST_QOP_AUTH;
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
    const char *what = cr.qop_raw.ptr ? "qop" : "no qop";
    if (s == AG_OK) {
        say("%.*s %.*s: user %s, uri %s, %s%s%.*s: response verified -> 200",
            AG_SPAN_ARGS(r->method), AG_SPAN_ARGS(r->uri), user, uri, what,
            cr.qop_raw.ptr ? " " : "", AG_SPAN_ARGS(cr.qop_raw));
        char contact[128];
        int k = snprintf(contact, sizeof contact, "Contact: <sip:authgram_uas@127.0.0.1:%u>\r\n",
                         o->port);
        respond(u, r, to, 200, "OK", contact, k > 0 ? (size_t)k : 0);
    } else if (s == AG_ERR_MISMATCH) {
        say("%.*s %.*s: user %s, uri %s: response does not match (AG_ERR_MISMATCH) -> 403",
            AG_SPAN_ARGS(r->method), AG_SPAN_ARGS(r->uri), user, uri);
        respond(u, r, to, 403, "Forbidden", NULL, 0);
    } else {
        say("%.*s: ag_digest_verify: %s -> 400", AG_SPAN_ARGS(r->method), ag_status_name(s));
        respond(u, r, to, 400, "Bad Request", NULL, 0);
    }
}

static void handle(struct uas *u, const char *m, size_t n, const struct sockaddr_in *from)
{
    struct request r;
    if (parse_request(m, n, &r) != 0)
        return; /* a response or garbage: nothing to answer */
    u->requests++;
    if (method_is(&r, "ACK")) {
        say("ACK %.*s: ignored", AG_SPAN_ARGS(r.uri));
        return;
    }
    if (method_is(&r, "BYE") || method_is(&r, "OPTIONS")) {
        say("%.*s %.*s -> 200", AG_SPAN_ARGS(r.method), AG_SPAN_ARGS(r.uri));
        respond(u, &r, from, 200, "OK", NULL, 0);
        return;
    }
    if (!method_is(&r, "INVITE")) {
        say("%.*s %.*s -> 405", AG_SPAN_ARGS(r.method), AG_SPAN_ARGS(r.uri));
        static const char allow[] = "Allow: INVITE, ACK, BYE, OPTIONS\r\n";
        respond(u, &r, from, 405, "Method Not Allowed", allow, sizeof allow - 1);
        return;
    }
    size_t fl;
    const char *f = find_field(m, n, "Proxy-Authorization", NULL, &fl);
    if (!f) {
        challenge(u, &r, from, "no credentials");
        return;
    }
    authenticate(u, &r, from, f, fl);
}

static void usage(void)
{
    fputs("usage: authgram_uas --port P [--realm R] [--password PW] [--qop auth|none]\n"
          "         [--algorithm A] [--opaque O] [--domain URI]... [--stale] [--time-limit S]\n",
          stderr);
}

int main(int argc, char **argv)
{
    struct options o;
    memset(&o, 0, sizeof o);
    o.realm = "example.org";
    o.password = "secret";
    o.qop = "auth";
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
    random_hex(u.to_tag, 16, 0);
    u.fd = udp_bind_loopback(o.port);
    if (u.fd < 0)
        return 2;
    say("listening on 127.0.0.1:%u (udp), realm %s, qop %s, for %d s", o.port, o.realm,
        o.qop ? o.qop : "none", o.time_limit);

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
