/* SPDX-License-Identifier: MIT */
/* sipmsg: the helpers authgram_uac and authgram_uas share (sipmsg.h). */
#include "sipmsg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

void vsay(const char *tag, const char *fmt, va_list ap)
{
    fputs(sip_prog, stdout);
    fputs(": ", stdout);
    fputs(tag, stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    fflush(stdout);
}

void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("", fmt, ap);
    va_end(ap);
}

const char *log_escape(char *buf, size_t cap, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char one[4];
        size_t k = 0;
        if (c == '\\') {
            one[k++] = '\\';
            one[k++] = '\\';
        } else if (c >= 0x20 && c < 0x7f) {
            one[k++] = (char)c;
        } else {
            one[k++] = '\\';
            one[k++] = 'x';
            one[k++] = hex[c >> 4];
            one[k++] = hex[c & 0xf];
        }
        /* keep room for "..." while more may follow: so at + 3 < cap
         * holds whenever this breaks (cap >= 8 makes it hold at the start) */
        if (at + k + (i + 1 < n ? 3 : 0) >= cap) {
            memcpy(buf + at, "...", 3);
            at += 3;
            break;
        }
        memcpy(buf + at, one, k);
        at += k;
    }
    buf[at] = '\0';
    return buf;
}

long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void random_hex(char *out, size_t digits, unsigned long salt)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[64];
    size_t nbytes = (digits + 1) / 2;
    if (nbytes > sizeof raw)
        nbytes = sizeof raw;
    size_t got = 0;
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd >= 0) {
        while (got < nbytes) {
            ssize_t r = read(fd, raw + got, nbytes - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        close(fd);
    }
    /* a fallback that still differs between runs and between the peers of
     * one test: the values only have to be unlikely to repeat */
    unsigned long x = salt ^ (unsigned long)now_ms() ^ ((unsigned long)getpid() << 16);
    for (; got < nbytes; got++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        raw[got] = (unsigned char)(x >> 33);
    }
    for (size_t i = 0; i < digits && i / 2 < nbytes; i++)
        out[i] = hex[(i % 2 ? raw[i / 2] : raw[i / 2] >> 4) & 0xf];
    out[digits] = '\0';
}

int udp_bind_loopback(unsigned port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) {
        fprintf(stderr, "%s: socket: %s\n", sip_prog, strerror(errno));
        return -1;
    }
    struct sockaddr_in me;
    memset(&me, 0, sizeof me);
    me.sin_family = AF_INET;
    me.sin_port = htons((unsigned short)port);
    inet_pton(AF_INET, "127.0.0.1", &me.sin_addr);
    if (bind(fd, (const struct sockaddr *)&me, sizeof me) != 0) {
        fprintf(stderr, "%s: bind 127.0.0.1:%u: %s\n", sip_prog, port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int parse_uint(const char *s, unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* ---- SIP messages ---------------------------------------------------------- */

size_t header_end(const char *m, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++)
        if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n')
            return i + 4;
    return 0;
}

int next_field(const char *m, size_t hend, size_t *pos, const char **field, size_t *flen)
{
    size_t i = *pos;
    if (i == 0) { /* skip the start line */
        while (i + 1 < hend && !(m[i] == '\r' && m[i + 1] == '\n'))
            i++;
        i += 2;
    }
    if (i + 2 >= hend) /* only the empty line is left */
        return 0;
    size_t start = i;
    for (;;) {
        while (i + 1 < hend && !(m[i] == '\r' && m[i + 1] == '\n'))
            i++;
        i += 2; /* past the CRLF */
        if (i >= hend || (m[i] != ' ' && m[i] != '\t'))
            break; /* no fold follows */
    }
    *field = m + start;
    *flen = i - start;
    *pos = i;
    return 1;
}

int field_is(const char *f, size_t n, const char *name)
{
    size_t k = strlen(name);
    if (n <= k || strncasecmp(f, name, k) != 0)
        return 0;
    size_t i = k;
    while (i < n && (f[i] == ' ' || f[i] == '\t'))
        i++;
    return i < n && f[i] == ':';
}

const char *find_field(const char *m, size_t n, const char *name, const char *compact,
                       size_t *flen)
{
    size_t hend = header_end(m, n), pos = 0;
    const char *f;
    size_t fl;
    /* either form in one pass: the first such field is the one that counts
     * (the top Via), whichever form its sender chose */
    while (hend && next_field(m, hend, &pos, &f, &fl))
        if (field_is(f, fl, name) || (compact && field_is(f, fl, compact))) {
            *flen = fl;
            return f;
        }
    return NULL;
}
