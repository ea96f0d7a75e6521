/* SPDX-License-Identifier: MIT */
/* Input framing for the command: header lines (with folds), SIP messages in
 * logs, one value per line, or a whole file as one value.  Only framing is
 * done here (where a header field or a message starts and ends); what the
 * bytes of a challenge may be is decided by the library.
 *
 * Memory: a line is classified from its first bytes (CLASSIFY); a line that
 * is not read is skipped without being held, and a line that is read is
 * held only up to the field limit.  So memory is a few times max_field,
 * whatever the input (a 1 GB line of 'a' costs no more than an empty one). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Enough of a line to tell what it is: a header name, WSP and ':', a
 * Content-Length and its digits, a status line's version. */
enum { CLASSIFY = 256 };

/* ---- a line reader that holds at most what it is asked for ----------------- */

typedef struct reader {
    FILE *f;
    char *buf;
    size_t cap, start, end; /* unread bytes: buf[start, end) */
    int eof;
    uint64_t offset;        /* input offset of buf[start] */
    uint64_t line;          /* line number of buf[start] */
    size_t eol;             /* just past the LF of the line at start, once found (else 0):
                               a line is looked at several times, its LF searched once */
} reader;

static int fill(reader *r)
{
    if (r->eof)
        return 0;
    if (r->start) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->eol = r->eol ? r->eol - r->start : 0;
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

/* Makes the current line available up to its LF, or at least `want` of its
 * bytes, or what is left at the end of the input.  *avail: the bytes of the
 * line at r->buf + r->start (its LF included when *whole).  -1 on error. */
static int peek(reader *r, size_t want, size_t *avail, int *whole)
{
    size_t scanned = 0;
    for (;;) {
        size_t have = r->end - r->start;
        if (r->eol > r->start) {
            *avail = r->eol - r->start;
            *whole = 1;
            return 0;
        }
        const char *nl = have > scanned ? memchr(r->buf + r->start + scanned, '\n', have - scanned) : NULL;
        if (nl) {
            r->eol = (size_t)(nl - r->buf) + 1;
            continue;
        }
        scanned = have;
        if (have >= want || r->eof) {
            *avail = have;
            *whole = r->eof;
            return 0;
        }
        if (fill(r) < 0)
            return -1;
    }
}

/* n bytes of one line, at most (an LF only at their end) */
static void consume(reader *r, size_t n)
{
    r->line += n && r->buf[r->start + n - 1] == '\n';
    r->start += n;
    if (r->eol <= r->start)
        r->eol = 0;
    r->offset += n;
}

/* Skips the rest of the current line (its LF included), at most `limit`
 * bytes of it, without holding it.  Returns the bytes skipped, or
 * (uint64_t)-1 on error. */
static uint64_t skip_line(reader *r, uint64_t limit)
{
    uint64_t done = 0;
    while (done < limit) {
        size_t have = r->end - r->start;
        if (!have) {
            if (r->eof)
                break;
            if (fill(r) < 0)
                return (uint64_t)-1;
            continue;
        }
        if (have > limit - done)
            have = (size_t)(limit - done);
        const char *nl = r->eol > r->start && r->eol - r->start <= have ? r->buf + r->eol - 1
                                                                        : memchr(r->buf + r->start, '\n', have);
        size_t k = nl ? (size_t)(nl - (r->buf + r->start)) + 1 : have;
        consume(r, k);
        done += k;
        if (nl)
            break;
    }
    return done;
}

static size_t strip_eol(const char *s, size_t n)
{
    if (n && s[n - 1] == '\n')
        n--;
    if (n && s[n - 1] == '\r')
        n--;
    return n;
}

/* The current line when its bytes but the line terminator are at most max:
 * 1 (*line, *len: held until the next call, not yet consumed), 2 when it is
 * longer, 0 at the end of the input, -1 on error. */
static int hold_line(reader *r, size_t max, const char **line, size_t *len)
{
    size_t avail;
    int whole;
    if (peek(r, max < SIZE_MAX - 3 ? max + 3 : SIZE_MAX, &avail, &whole) < 0) /* + CRLF, + 1 */
        return -1;
    if (!avail)
        return 0;
    *line = r->buf + r->start;
    *len = avail;
    return whole && strip_eol(*line, avail) <= max ? 1 : 2;
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
 * header, and where its value begins.  *maybe: the first n bytes of an
 * unfinished line are a name and WSP so far (the ':' may still come). */
static ag_header challenge_header(const char *s, size_t n, size_t *value_start, int *maybe)
{
    static const struct {
        const char *name;
        size_t len;
        ag_header h;
    } names[] = {{"proxy-authenticate", 18, AG_HEADER_PROXY_AUTHENTICATE},
                 {"www-authenticate", 16, AG_HEADER_WWW_AUTHENTICATE},
                 {"proxy-authorization", 19, AG_HEADER_PROXY_AUTHORIZATION},
                 {"authorization", 13, AG_HEADER_AUTHORIZATION}};
    *maybe = 0;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (!ieq_prefix(s, n, names[k].name, names[k].len))
            continue;
        size_t i = names[k].len;
        while (i < n && is_wsp(s[i]))
            i++;
        if (i == n)
            *maybe = 1;
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

/* Is the current line a start line?  A status line is told by its first
 * bytes; a request line ends in the version, so it is held (up to max). */
static int at_start_line(reader *r, size_t max, int *err)
{
    size_t avail;
    int whole;
    *err = 0;
    if (peek(r, CLASSIFY, &avail, &whole) < 0) {
        *err = 1;
        return 0;
    }
    const char *s = r->buf + r->start;
    size_t i = 0;
    while (i < avail && s[i] >= 'A' && s[i] <= 'Z')
        i++;
    if (!i || i == avail || (s[i] != ' ' && s[i] != '/'))
        return 0;
    if (!whole && s[i] == ' ') { /* a request line, perhaps: its end says */
        if (peek(r, max < SIZE_MAX - 3 ? max + 3 : SIZE_MAX, &avail, &whole) < 0) {
            *err = 1;
            return 0;
        }
        if (!whole)
            return 0;
        s = r->buf + r->start;
    }
    return start_line(s, avail);
}

/* The value of "Name:" (any case, or its compact form) at the start of s,
 * or NULL: where it begins in *at. */
static int named(const char *s, size_t n, const char *name, size_t k, char compact, size_t *at)
{
    size_t i;
    if (ieq_prefix(s, n, name, k))
        i = k;
    else if (n && (s[0] | 0x20) == compact)
        i = 1;
    else
        return 0;
    while (i < n && is_wsp(s[i]))
        i++;
    if (i >= n || s[i] != ':')
        return 0;
    i++;
    while (i < n && is_wsp(s[i]))
        i++;
    *at = i;
    return 1;
}

/* The digits of a Content-Length: the value, or -1 when it is not 1*DIGIT
 * (then WSP) or above 2^40. */
static long long cl_value(const char *s, size_t n)
{
    long long v = 0;
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        v = v * 10 + (s[i++] - '0');
        if (v > (1LL << 40))
            return -1;
    }
    size_t d = i;
    while (i < n && is_wsp(s[i]))
        i++;
    return d && i == n ? v : -1;
}

/* ---- the framer ---------------------------------------------------------------- */

typedef struct framer {
    reader r;
    field f;
    const char *file;
    size_t max;
    record_fn fn;
    void *ctx;
    char msg[200];
    /* --input message */
    int in_msg;
    long long body;     /* Content-Length, -1 before one */
    uint64_t cl_line;   /* its line */
    int body_message;   /* Content-Type message/...: a body that may hold start lines */
    input_note *note;   /* the first skipped line, or NULL */
} framer;

/* A line that is not read: the first one goes to the note (see cli.h) */
static int skip_unread(framer *F)
{
    reader *r = &F->r;
    input_note *n = F->note;
    if (n && !n->have && !n->long_line) {
        size_t avail;
        int whole;
        if (peek(r, INPUT_NOTE_BYTES + 2, &avail, &whole) < 0)
            return -1;
        size_t len = whole ? strip_eol(r->buf + r->start, avail) : avail;
        if (!whole || len > INPUT_NOTE_BYTES) {
            n->long_line = 1;
        } else if (len) {
            n->have = 1;
            n->file = F->file;
            n->line = r->line;
            n->len = len;
            memcpy(n->text, r->buf + r->start, len);
        }
    }
    return skip_line(r, UINT64_MAX) == (uint64_t)-1 ? -1 : 0;
}

static void flush(framer *F)
{
    field *f = &F->f;
    if (!f->active)
        return;
    f->active = 0;
    record r = {F->file, f->line, f->offset, f->buf, strip_eol(f->buf, f->len), 1, f->header,
                f->value_start, NULL, NULL};
    if (r.value_start > r.len)
        r.value_start = r.len;
    F->fn(&r, F->ctx);
}

/* A framing error at the current position (or at line/offset of a field). */
static void framing_error(framer *F, uint64_t line, uint64_t offset, ag_header h, const char *id)
{
    record r = {F->file, line, offset, "", 0, h != AG_HEADER_NONE, h, 0, id, F->msg};
    F->fn(&r, F->ctx);
}

static void too_long(framer *F, uint64_t line, uint64_t offset, ag_header h)
{
    snprintf(F->msg, sizeof F->msg, "header field longer than %zu bytes (--max-field-bytes): skipped", F->max);
    framing_error(F, line, offset, h, "field-too-long");
}

/* One line of a header section: a challenge header starts a field, a
 * continuation line (SP/HTAB first) extends the current one, anything else
 * ends it and is skipped.  0, or -1 on error. */
static int header_line(framer *F)
{
    reader *r = &F->r;
    field *f = &F->f;
    size_t avail;
    int whole;
    if (peek(r, CLASSIFY, &avail, &whole) < 0)
        return -1;
    const char *s = r->buf + r->start;
    if (avail && is_wsp(s[0])) {
        if (f->active) {
            const char *line = NULL; /* set by hold_line; -O3 cannot see it */
            size_t len = 0;
            /* the field's bytes, folds included, but its final line break */
            size_t room = F->max > f->len ? F->max - f->len : 0;
            int got = hold_line(r, room, &line, &len);
            if (got < 0)
                return -1;
            if (got == 1) {
                if (append(f, line, len) < 0)
                    return -1;
                consume(r, len);
                return 0;
            }
            f->active = 0;
            too_long(F, f->line, f->offset, f->header); /* its other folds: skipped, as no field is active */
        }
        return skip_line(r, UINT64_MAX) == (uint64_t)-1 ? -1 : 0;
    }
    flush(F);
    size_t vs;
    int maybe;
    ag_header h = challenge_header(s, avail, &vs, &maybe);
    if (h == AG_HEADER_NONE && !(maybe && !whole))
        return skip_unread(F);
    uint64_t line0 = r->line, off0 = r->offset;
    const char *line = NULL; /* set by hold_line; -O3 cannot see it (Release builds) */
    size_t len = 0;
    int got = hold_line(r, F->max, &line, &len);
    if (got < 0)
        return -1;
    if (got == 2) {
        too_long(F, line0, off0, h);
        return skip_line(r, UINT64_MAX) == (uint64_t)-1 ? -1 : 0;
    }
    if (h == AG_HEADER_NONE) /* the name and WSP went on: the whole line says */
        h = challenge_header(line, len, &vs, &maybe);
    if (h != AG_HEADER_NONE) {
        f->active = 1;
        f->len = 0;
        f->line = line0;
        f->offset = off0;
        f->header = h;
        f->value_start = vs;
        if (append(f, line, len) < 0)
            return -1;
    }
    consume(r, len);
    return 0;
}

/* The body's Content-Length did not fit: reported where it shows */
static void body_error(framer *F, const char *id, const char *what, uint64_t left)
{
    snprintf(F->msg, sizeof F->msg, "the body of %lld bytes (Content-Length at line %llu) %s: %llu bytes short",
             F->body, (unsigned long long)F->cl_line, what, (unsigned long long)left);
    framing_error(F, F->r.line, F->r.offset, AG_HEADER_NONE, id);
}

/* A message's body: Content-Length bytes, skipped.  Where the count does
 * not fit what follows, the message is reported and reading goes on:
 * a body that runs past the end of the input is an error; a start line
 * inside a body ends it early (but in message/... bodies, such as
 * message/sipfrag, which hold start lines by design). */
static int skip_body(framer *F)
{
    reader *r = &F->r;
    uint64_t left = (uint64_t)F->body;
    while (left) {
        if (!F->body_message) {
            int err;
            int st = at_start_line(r, F->max, &err);
            if (err)
                return -1;
            if (st) {
                body_error(F, "content-length-overrun", "ends at this start line", left);
                return 0;
            }
        }
        uint64_t k = skip_line(r, left);
        if (k == (uint64_t)-1)
            return -1;
        if (!k) {
            body_error(F, "content-length-past-end", "runs past the end of the input", left);
            return 0;
        }
        left -= k;
    }
    return 0;
}

/* One line of --input message: outside a message only a start line counts;
 * inside, header lines until the empty line, then the body. */
static int message_line(framer *F)
{
    reader *r = &F->r;
    if (!F->in_msg) {
        int err;
        F->in_msg = at_start_line(r, F->max, &err);
        if (err)
            return -1;
        F->body = -1;
        F->body_message = 0;
        return F->in_msg ? (skip_line(r, UINT64_MAX) == (uint64_t)-1 ? -1 : 0) : skip_unread(F);
    }
    size_t avail, at;
    int whole;
    if (peek(r, CLASSIFY, &avail, &whole) < 0)
        return -1;
    const char *s = r->buf + r->start;
    if (whole && strip_eol(s, avail) == 0) { /* the end of the headers */
        flush(F);
        F->in_msg = 0;
        consume(r, avail);
        return F->body > 0 ? skip_body(F) : 0;
    }
    if (named(s, avail, "content-length", 14, 'l', &at)) {
        flush(F);
        size_t n = whole ? strip_eol(s, avail) : avail;
        long long v = whole ? cl_value(s + at, n - at) : -1;
        if (v < 0) {
            snprintf(F->msg, sizeof F->msg, "Content-Length is not a length up to 2^40: no body assumed");
            framing_error(F, r->line, r->offset, AG_HEADER_NONE, "content-length-invalid");
        } else if (F->body >= 0 && v != F->body) {
            snprintf(F->msg, sizeof F->msg,
                     "Content-Length %lld differs from %lld at line %llu: the body taken to be %lld bytes", v,
                     F->body, (unsigned long long)F->cl_line, F->body);
            framing_error(F, r->line, r->offset, AG_HEADER_NONE, "content-length-conflict");
        } else if (F->body < 0) {
            F->body = v;
            F->cl_line = r->line;
        }
    } else if (named(s, avail, "content-type", 12, 'c', &at)) {
        F->body_message = ieq_prefix(s + at, avail - at, "message/", 8);
    }
    return header_line(F);
}

int read_records_note(FILE *in, const char *file, in_mode mode, size_t max_field, record_fn fn, void *ctx,
                      input_note *note)
{
    framer F;
    memset(&F, 0, sizeof F);
    F.note = note;
    F.r = (reader){in, NULL, 0, 0, 0, 0, 0, 1, 0};
    F.file = file;
    F.max = max_field;
    F.fn = fn;
    F.ctx = ctx;
    reader *r = &F.r;
    int rc = 0;

    if (mode == IN_RAW) { /* the whole input is one value, byte for byte, up to the limit */
        while (r->end <= max_field && (rc = fill(r)) > 0)
            ;
        if (rc >= 0 && r->end > max_field) {
            rc = 0;
            snprintf(F.msg, sizeof F.msg, "longer than %zu bytes (--max-field-bytes): not read", max_field);
            framing_error(&F, 1, 0, AG_HEADER_NONE, "field-too-long");
        } else if (rc == 0) {
            record rec = {file, 1, 0, r->buf ? r->buf : "", r->end, 0, AG_HEADER_NONE, 0, NULL, NULL};
            fn(&rec, ctx);
        }
        free(r->buf);
        return rc < 0 ? -1 : 0;
    }
    for (;;) {
        size_t avail;
        int whole;
        if ((rc = peek(r, 1, &avail, &whole)) < 0 || !avail)
            break;
        if (mode == IN_VALUES) {
            const char *line = NULL; /* set by hold_line; -O3 cannot see it */
            size_t len = 0;
            uint64_t lineno = r->line, off = r->offset;
            int got = hold_line(r, max_field, &line, &len);
            if ((rc = got) < 0)
                break;
            if (got == 2) {
                snprintf(F.msg, sizeof F.msg, "value longer than %zu bytes (--max-field-bytes): skipped",
                         max_field);
                framing_error(&F, lineno, off, AG_HEADER_NONE, "field-too-long");
                if (skip_line(r, UINT64_MAX) == (uint64_t)-1)
                    rc = -1;
            } else {
                size_t n = strip_eol(line, len);
                if (n) {
                    record rec = {file, lineno, off, line, n, 0, AG_HEADER_NONE, 0, NULL, NULL};
                    fn(&rec, ctx);
                }
                consume(r, len);
                rc = 0;
            }
        } else
            rc = mode == IN_MESSAGE ? message_line(&F) : header_line(&F);
        if (rc < 0)
            break;
    }
    if (rc >= 0)
        flush(&F);
    free(r->buf);
    free(F.f.buf);
    return rc < 0 ? -1 : 0;
}

int read_records_limit(FILE *in, const char *file, in_mode mode, size_t max_field, record_fn fn, void *ctx)
{
    return read_records_note(in, file, mode, max_field, fn, ctx, NULL);
}

int read_records(FILE *in, const char *file, in_mode mode, record_fn fn, void *ctx)
{
    return read_records_limit(in, file, mode, CLI_MAX_FIELD_DEFAULT, fn, ctx);
}
