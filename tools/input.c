/* Input framing for the command: header lines (with folds), SIP messages in
 * logs, one value per line, or a whole file as one value.  Only framing is
 * done here (where a header field or a message starts and ends); what the
 * bytes of a challenge may be is decided by the library. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- a line reader that keeps every byte ------------------------------------ */

typedef struct reader {
    FILE *f;
    char *buf;
    size_t cap, start, end; /* unread bytes: buf[start, end) */
    int eof;
    uint64_t offset;        /* input offset of buf[start] */
    uint64_t line;          /* line number of the next line */
} reader;

static int fill(reader *r)
{
    if (r->eof)
        return 0;
    if (r->start) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 65536;
        char *nb = realloc(r->buf, ncap);
        if (!nb)
            return -1;
        r->buf = nb;
        r->cap = ncap;
    }
    size_t n = fread(r->buf + r->end, 1, r->cap - r->end, r->f);
    r->end += n;
    if (n == 0) {
        if (ferror(r->f))
            return -1;
        r->eof = 1;
    }
    return (int)(n > 0);
}

/* The next line with its terminator (the last one may have none).  The span
 * stays valid until the next call.  0 at the end, -1 on error. */
static int next_line(reader *r, const char **line, size_t *len, uint64_t *off)
{
    size_t scanned = 0;
    for (;;) {
        const char *nl = NULL;
        if (r->end > r->start + scanned) /* (buf is NULL before the first fill) */
            nl = memchr(r->buf + r->start + scanned, '\n', r->end - r->start - scanned);
        if (nl) {
            *line = r->buf + r->start;
            *len = (size_t)(nl - *line) + 1;
            break;
        }
        scanned = r->end - r->start;
        int got = fill(r);
        if (got < 0)
            return -1;
        if (got == 0) {
            if (r->end == r->start)
                return 0;
            *line = r->buf + r->start;
            *len = r->end - r->start;
            break;
        }
    }
    *off = r->offset;
    r->start += *len;
    r->offset += *len;
    r->line++;
    return 1;
}

/* Skips n bytes (a message body), counting the lines in them. */
static int skip(reader *r, uint64_t n)
{
    while (n) {
        if (r->start == r->end) {
            int got = fill(r);
            if (got <= 0)
                return got;
        }
        size_t k = r->end - r->start;
        if (k > n)
            k = (size_t)n;
        for (size_t i = 0; i < k; i++)
            r->line += r->buf[r->start + i] == '\n';
        r->start += k;
        r->offset += k;
        n -= k;
    }
    return 1;
}

/* ---- growing byte buffer (one header field with its folds) --------------------- */

typedef struct field {
    char *buf;
    size_t len, cap;
    int active;
    uint64_t line, offset;
    ag_header header;
    size_t value_start;
} field;

static int append(field *f, const char *s, size_t n)
{
    if (f->len + n > f->cap) {
        size_t ncap = f->cap ? f->cap : 4096;
        while (ncap < f->len + n)
            ncap *= 2;
        char *nb = realloc(f->buf, ncap);
        if (!nb)
            return -1;
        f->buf = nb;
        f->cap = ncap;
    }
    memcpy(f->buf + f->len, s, n);
    f->len += n;
    return 0;
}

static size_t strip_eol(const char *s, size_t n)
{
    if (n && s[n - 1] == '\n')
        n--;
    if (n && s[n - 1] == '\r')
        n--;
    return n;
}

static int is_wsp(char c) { return c == ' ' || c == '\t'; }

static int ieq_prefix(const char *s, size_t n, const char *lit, size_t k)
{
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char a = s[i], b = lit[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a | 0x20);
        if (a != b)
            return 0;
    }
    return 1;
}

/* "Proxy-Authenticate" / "WWW-Authenticate" / "Proxy-Authorization" /
 * "Authorization" (any case), WSP*, ":" at the start of a line: which
 * header, and where its value begins. */
static ag_header challenge_header(const char *s, size_t n, size_t *value_start)
{
    static const struct {
        const char *name;
        size_t len;
        ag_header h;
    } names[] = {{"proxy-authenticate", 18, AG_HEADER_PROXY_AUTHENTICATE},
                 {"www-authenticate", 16, AG_HEADER_WWW_AUTHENTICATE},
                 {"proxy-authorization", 19, AG_HEADER_PROXY_AUTHORIZATION},
                 {"authorization", 13, AG_HEADER_AUTHORIZATION}};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (!ieq_prefix(s, n, names[k].name, names[k].len))
            continue;
        size_t i = names[k].len;
        while (i < n && is_wsp(s[i]))
            i++;
        if (i < n && s[i] == ':') {
            i++;
            while (i < n && is_wsp(s[i]))
                i++;
            *value_start = i;
            return names[k].h;
        }
    }
    return AG_HEADER_NONE;
}

static void flush(field *f, const char *file, record_fn fn, void *ctx)
{
    if (!f->active)
        return;
    f->active = 0;
    record r = {file, f->line, f->offset, f->buf, strip_eol(f->buf, f->len), 1, f->header,
                f->value_start};
    if (r.value_start > r.len)
        r.value_start = r.len;
    fn(&r, ctx);
}

/* A header line: a challenge header starts a field, a continuation line
 * (SP/HTAB first) extends the current one, anything else ends it. */
static int header_line(field *f, const char *line, size_t len, uint64_t lineno, uint64_t off,
                       const char *file, record_fn fn, void *ctx)
{
    if (len && is_wsp(line[0]) && strip_eol(line, len)) {
        if (f->active)
            return append(f, line, len);
        return 0;
    }
    flush(f, file, fn, ctx);
    size_t vs;
    ag_header h = challenge_header(line, len, &vs);
    if (h == AG_HEADER_NONE)
        return 0;
    f->active = 1;
    f->len = 0;
    f->line = lineno;
    f->offset = off;
    f->header = h;
    f->value_start = vs;
    return append(f, line, len);
}

/* A start line of a SIP or HTTP/1.x message: a status line ("SIP/2.0 407
 * ...", "HTTP/1.1 401 ...") or a request line ("METHOD SP target SP
 * SIP/2.0" / "HTTP/1.1"). */
static int start_line(const char *s, size_t n)
{
    static const char *const versions[] = {"SIP/2.0", "HTTP/1.1", "HTTP/1.0"};
    n = strip_eol(s, n);
    for (size_t v = 0; v < 3; v++) {
        size_t k = strlen(versions[v]);
        if (n > k && !memcmp(s, versions[v], k) && s[k] == ' ')
            return 1;
        size_t i = 0;
        while (i < n && s[i] >= 'A' && s[i] <= 'Z')
            i++;
        if (i > 0 && i < n && s[i] == ' ' && n > k + 1 && s[n - k - 1] == ' ' && !memcmp(s + n - k, versions[v], k))
            return 1;
    }
    return 0;
}

/* Content-Length or its compact form "l": the body length, or -1. */
static long long content_length(const char *s, size_t n)
{
    size_t i;
    if (ieq_prefix(s, n, "content-length", 14))
        i = 14;
    else if (n && (s[0] == 'l' || s[0] == 'L'))
        i = 1;
    else
        return -1;
    while (i < n && is_wsp(s[i]))
        i++;
    if (i >= n || s[i] != ':')
        return -1;
    i++;
    while (i < n && is_wsp(s[i]))
        i++;
    long long v = 0;
    size_t d = i;
    while (i < n && s[i] >= '0' && s[i] <= '9' && v < (1LL << 40))
        v = v * 10 + (s[i++] - '0');
    return i > d ? v : -1;
}

int read_records(FILE *in, const char *file, in_mode mode, record_fn fn, void *ctx)
{
    reader r = {in, NULL, 0, 0, 0, 0, 0, 1};
    field f = {0};
    const char *line;
    size_t len;
    uint64_t off;
    int rc = 0, in_msg = 0;
    long long body = 0;

    if (mode == IN_RAW) { /* the whole input is one value, byte for byte */
        while ((rc = fill(&r)) > 0)
            ;
        if (rc == 0) {
            record rec = {file, 1, 0, r.buf ? r.buf : "", r.end, 0, AG_HEADER_NONE, 0};
            fn(&rec, ctx);
        }
        free(r.buf);
        return rc < 0 ? -1 : 0;
    }
    for (;;) {
        uint64_t lineno = r.line;
        rc = next_line(&r, &line, &len, &off);
        if (rc <= 0)
            break;
        if (mode == IN_VALUES) {
            size_t n = strip_eol(line, len);
            if (n) {
                record rec = {file, lineno, off, line, n, 0, AG_HEADER_NONE, 0};
                fn(&rec, ctx);
            }
            continue;
        }
        if (mode == IN_MESSAGE) {
            if (!in_msg) {
                in_msg = start_line(line, len);
                body = 0;
                continue;
            }
            if (strip_eol(line, len) == 0) { /* end of the headers */
                flush(&f, file, fn, ctx);
                in_msg = 0;
                if (body > 0 && (rc = skip(&r, (uint64_t)body)) < 0)
                    break;
                continue;
            }
            long long cl = content_length(line, strip_eol(line, len));
            if (cl >= 0)
                body = cl;
        }
        if ((rc = header_line(&f, line, len, lineno, off, file, fn, ctx)) < 0)
            break;
    }
    if (rc == 0)
        flush(&f, file, fn, ctx);
    free(r.buf);
    free(f.buf);
    return rc < 0 ? -1 : 0;
}
