/* SPDX-License-Identifier: MIT */
/* The output of check, parse and canon: the record handler (run_record)
 * and its writers (JSON lines, GCC-style text, canonical wire bytes), with
 * the output streams in the run, so that a harness can drive it without
 * main() (fuzz/h_writers.c).  Also JSON strings, escaped text, carets. */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cli.h"

/* Length of the RFC 3629 UTF-8 sequence at s (JSON text must be UTF-8; this
 * is the output encoding, not the grammar: RFC 3261's UTF8-NONASCII is the
 * looser RFC 2279 table), or 0 if the bytes there are not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t k;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        k = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (n < k || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return k;
}

void jb_flush(jbuf *j)
{
    if (j->n)
        fwrite(j->b, 1, j->n, j->out);
    j->n = 0;
    j->flushes++;
}

void jb_put_long(jbuf *j, const char *s, size_t n)
{
    jb_flush(j);
    if (n > sizeof j->b)
        fwrite(s, 1, n, j->out);
    else {
        memcpy(j->b, s, n);
        j->n = n;
    }
}


void jb_u64(jbuf *j, uint64_t v)
{
    char d[20];
    size_t k = sizeof d;
    do
        d[--k] = (char)('0' + v % 10);
    while (v /= 10);
    jb_put(j, d + k, sizeof d - k);
}

/* bytes a JSON string holds as they are: printable ASCII but '"' and '\\' */
static int plain(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

/* The length of the run of plain bytes at s (of n).  over: s may be read
 * up to 15 bytes past n (its bytes there do not count). */
static size_t plain_run(const unsigned char *s, size_t n, int over)
{
    size_t k = 0;
#if defined(__SSE2__)
    const __m128i lo = _mm_set1_epi8(0x1f), hi = _mm_set1_epi8(0x7f), q = _mm_set1_epi8('"'),
                  bs = _mm_set1_epi8('\\');
    while (k < n && (over || n - k >= 16)) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
        /* signed compares: bytes >= 0x80 are negative, so not > 0x1f */
        __m128i ok = _mm_and_si128(_mm_cmpgt_epi8(x, lo), _mm_cmplt_epi8(x, hi));
        __m128i bad = _mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, bs));
        unsigned out = ~(unsigned)_mm_movemask_epi8(_mm_andnot_si128(bad, ok)) & 0xFFFFu;
        if (n - k < 16)
            out |= 1u << (n - k); /* the end of the string stops the run too */
        if (out) {
            size_t r = k + (size_t)__builtin_ctz(out);
            return r < n ? r : n;
        }
        k += 16;
    }
    if (k >= n)
        return n;
#else
    (void)over;
#endif
    while (k < n && plain(s[k]))
        k++;
    return k;
}

void jb_string(jbuf *j, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    jb_put(j, "\"", 1);
    size_t i = 0;
    if (n + 16 < sizeof j->b - j->n) {
        /* copied first and checked in the buffer, where reading 16 bytes
         * at a time past the end is allowed: usually that is all */
        char *d = j->b + j->n;
        memcpy(d, str, n);
        i = plain_run((const unsigned char *)d, n, 1);
        j->n += i;
    }
    while (i < n) {
        /* nearly every byte of a header is plain: runs go in one copy */
        size_t k = i + plain_run(s + i, n - i, 0);
        if (k > i) {
            jb_put(j, str + i, k - i);
            i = k;
            continue;
        }
        unsigned c = s[i];
        char e[8];
        if (c == '"' || c == '\\') {
            e[0] = '\\';
            e[1] = (char)c;
            jb_put(j, e, 2);
            i++;
        } else if (c < 0x80 || !(k = utf8_len(s + i, n - i))) {
            /* a control byte, or a byte that is not UTF-8 (read as Latin-1) */
            static const char esc[] = "btn\0fr", hex[] = "0123456789abcdef";
            if (c >= 8 && c <= 13 && c != 11) {
                e[0] = '\\';
                e[1] = esc[c - 8];
                jb_put(j, e, 2);
            } else {
                memcpy(e, "\\u00", 4);
                e[4] = hex[c >> 4];
                e[5] = hex[c & 15];
                jb_put(j, e, 6);
            }
            i++;
        } else {
            jb_put(j, str + i, k);
            i += k;
        }
    }
    jb_put(j, "\"", 1);
}

/* ---- text that cannot drive a terminal ------------------------------------- */

/* C0 bytes but HTAB, and DEL: shown as \xNN in text output */
static int control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

static int put_escaped(FILE *out, const char *str, size_t n, int keep_eol)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, end = 0;
    int escaped = 0;
    while (i < n) {
        while (end < n && !(control(s[end]) &&
                            !(keep_eol && (s[end] == '\n' || (s[end] == '\r' && end + 1 < n && s[end + 1] == '\n')))))
            end++;
        fwrite(s + i, 1, end - i, out);
        if (end < n) {
            fprintf(out, "\\x%02X", s[end]);
            escaped = 1;
            end++;
        }
        i = end;
    }
    return escaped;
}

void put_text(FILE *out, const char *s, size_t n) { put_escaped(out, s, n, 0); }

int put_wire(FILE *out, const char *s, size_t n, int tty)
{
    if (!tty) {
        fwrite(s, 1, n, out);
        return 0;
    }
    return put_escaped(out, s, n, 1);
}

/* ---- positions: the line starts of a record, once ------------------------ */

void line_index_set(line_index *x, const record *r)
{
    x->r = r;
    x->n = 0;
    x->oom = 0;
}

void line_index_free(line_index *x)
{
    free(x->start);
    x->start = NULL;
    x->n = x->cap = 0;
}

/* computed at the first diagnostic of the record */
static int index_lines(line_index *x)
{
    if (x->n || x->oom)
        return !x->oom;
    const record *r = x->r;
    size_t at = 0;
    for (;;) {
        if (x->n == x->cap) {
            size_t cap = x->cap ? 2 * x->cap : 64;
            size_t *p = realloc(x->start, cap * sizeof *p);
            if (!p) {
                x->oom = 1;
                x->n = 0;
                return 0;
            }
            x->start = p;
            x->cap = cap;
        }
        x->start[x->n++] = at;
        const char *nl = at < r->len ? memchr(r->bytes + at, '\n', r->len - at) : NULL;
        if (!nl)
            return 1;
        at = (size_t)(nl - r->bytes) + 1;
    }
}

/* The line (0-based within the record) holding offset off, and its start;
 * *eol: where it ends (its LF, or the record's end). */
static size_t line_of(line_index *x, size_t off, size_t *bol, size_t *eol)
{
    const record *r = x->r;
    if (!index_lines(x)) { /* out of memory: a scan, as slow as it is sure */
        size_t k = 0, b = 0, e = off;
        for (size_t i = 0; i < off; i++)
            if (r->bytes[i] == '\n') {
                k++;
                b = i + 1;
            }
        while (e < r->len && r->bytes[e] != '\n')
            e++;
        *bol = b;
        *eol = e;
        return k;
    }
    size_t lo = 0, hi = x->n; /* the last start <= off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->start[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    *bol = x->start[lo];
    *eol = lo + 1 < x->n ? x->start[lo + 1] - 1 : r->len;
    return lo;
}

void line_col(line_index *x, size_t off, uint64_t *line, uint64_t *col)
{
    size_t bol, eol;
    if (off > x->r->len)
        off = x->r->len;
    size_t k = line_of(x, off, &bol, &eol);
    *line = x->r->line + k;
    *col = (uint64_t)(off - bol) + 1;
}

/* Columns a byte of the offending line takes when shown: printable ASCII,
 * HTAB and UTF-8 as themselves (continuation bytes take none), anything
 * else as \xNN. */
static int width(unsigned c)
{
    if (c == '\t' || (c >= 0x20 && c < 0x7f))
        return 1;
    if (c >= 0x80)
        return (c & 0xC0) == 0x80 ? 0 : 1;
    return 4;
}

static void show(FILE *out, unsigned c)
{
    if (width(c) == 4)
        fprintf(out, "\\x%02X", c);
    else
        putc((int)c, out);
}

void print_caret(FILE *out, line_index *x, size_t off)
{
    const record *r = x->r;
    const unsigned char *s = (const unsigned char *)r->bytes;
    if (off > r->len)
        off = r->len;
    size_t bol, eol;
    line_of(x, off, &bol, &eol);
    if (eol > off && eol < r->len && s[eol - 1] == '\r') /* the CR of CRLF is not shown */
        eol--;
    /* a window around the error on long lines */
    enum { BEFORE = 60, AFTER = 60 };
    size_t from = off - bol > BEFORE ? off - BEFORE : bol;
    size_t to = eol - off > AFTER ? off + AFTER : eol;
    while (from > bol && (s[from] & 0xC0) == 0x80)
        from--;
    fputs("  ", out);
    if (from > bol)
        fputs("...", out);
    for (size_t i = from; i < to; i++)
        show(out, s[i]);
    if (to < eol)
        fputs("...", out);
    fputs("\n  ", out);
    if (from > bol)
        fputs("   ", out);
    for (size_t i = from; i < off; i++) {
        if (s[i] == '\t') {
            putc('\t', out);
            continue;
        }
        for (int k = width(s[i]); k > 0; k--)
            putc(' ', out);
    }
    fputs("^\n", out);
}

/* ---- the run: arrays sized from what the longest field needs ---------------- */

void run_init(run *R, const options *o, FILE *out, FILE *err)
{
    memset(R, 0, offsetof(run, json));
    R->o = o;
    R->out = out;
    R->err = err;
    R->json.out = out;
    R->json.n = 0;
    R->json.flushes = 0;
}

void run_free(run *R)
{
    free(R->l.challenges);
    free(R->l.params);
    free(R->l.qop);
    free(R->l.domain);
    free(R->cr.params);
    free(R->w);
    free(R->scratch);
    line_index_free(&R->lines);
}

/* An array of exactly `need` elements when it holds fewer.  Not realloc:
 * the contents are made again by the next call, so nothing is copied, and
 * no doubling: the arrays are what the longest field needs (README). */
static int size_for(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    free(*p);
    *p = need <= SIZE_MAX / size ? malloc(need * size) : NULL;
    *cap = *p ? need : 0;
    return *p ? 0 : -1;
}

static ag_status parse_record(run *R, const record *r, ag_diag *d)
{
    ag_challenge_list *l = &R->l;
    for (;;) {
        ag_status st = (R->o->lenient ? ag_parse_lenient : ag_parse)(
            R->o->profile, r->is_header ? AG_INPUT_HEADER : AG_INPUT_VALUE, r->bytes, r->len, l, d);
        if (st != AG_ERR_CAPACITY)
            return st;
        size_t nc = l->count, np = l->param_count, nq = l->qop_count, nd = l->domain_count;
        if (size_for((void **)&l->challenges, &l->cap, nc, sizeof *l->challenges) ||
            size_for((void **)&l->params, &l->param_cap, np, sizeof *l->params) ||
            size_for((void **)&l->qop, &l->qop_cap, nq, sizeof *l->qop) ||
            size_for((void **)&l->domain, &l->domain_cap, nd, sizeof *l->domain)) {
            R->oom = 1;
            return AG_ERR_CAPACITY;
        }
    }
}

/* Credentials (Authorization, Proxy-Authorization): the header line says
 * so, or --credentials for bare values. */
static int is_credentials(const run *R, const record *r)
{
    return r->header == AG_HEADER_PROXY_AUTHORIZATION || r->header == AG_HEADER_AUTHORIZATION ||
           (!r->is_header && R->o->credentials);
}

static ag_status parse_credentials(run *R, const record *r, ag_diag *d)
{
    ag_credentials *c = &R->cr;
    for (;;) {
        ag_status st = ag_parse_credentials(R->o->profile, r->is_header ? AG_INPUT_HEADER : AG_INPUT_VALUE,
                                            r->bytes, r->len, c, d);
        if (st != AG_ERR_CAPACITY)
            return st;
        if (size_for((void **)&c->params, &c->param_cap, c->param_count, sizeof *c->params)) {
            R->oom = 1;
            return AG_ERR_CAPACITY;
        }
    }
}

static size_t check_any(run *R, int creds, ag_warning *w, size_t cap)
{
    return creds ? ag_check_credentials(&R->cr, w, cap) : ag_check_list(&R->l, w, cap);
}

static size_t warnings_of(run *R, int creds)
{
    size_t nw = check_any(R, creds, R->w, R->wcap);
    if (nw > R->wcap) {
        if (size_for((void **)&R->w, &R->wcap, nw, sizeof *R->w)) {
            R->oom = 1;
            return 0;
        }
        nw = check_any(R, creds, R->w, R->wcap);
    }
    return nw;
}

static char *scratch(run *R, size_t n)
{
    if (n > R->scratch_cap) {
        size_t cap = n > 2 * R->scratch_cap ? n : 2 * R->scratch_cap; /* bytes: amortized */
        char *p = realloc(R->scratch, cap);
        if (!p) {
            R->oom = 1;
            return NULL;
        }
        R->scratch = p;
        R->scratch_cap = cap;
    }
    return R->scratch;
}

/* ---- messages ------------------------------------------------------------------ */

const char *file_label(const record *r) { return strcmp(r->file, "-") ? r->file : "<stdin>"; }

/* a FILE name is input too: escaped in text */
static void put_label(FILE *out, const record *r)
{
    const char *f = file_label(r);
    put_text(out, f, strlen(f));
}

static void byte_text(const ag_diag *d, char *out, size_t cap)
{
    unsigned b = d->byte;
    if (d->at_end)
        snprintf(out, cap, "end of input");
    else if (b == '\t' || b == '\r' || b == '\n' || b == ' ')
        snprintf(out, cap, "%s", b == '\t' ? "HTAB" : b == '\r' ? "CR" : b == '\n' ? "LF" : "SP");
    else if (b > 0x20 && b < 0x7f)
        snprintf(out, cap, "'%c'", (char)b);
    else
        snprintf(out, cap, "%%x%02X", b);
}

/* "in the nonce parameter: unexpected 'x', expected one of ..." */
static void error_message(const ag_diag *d, char *out, size_t cap)
{
    char b[32];
    byte_text(d, b, sizeof b);
    const char *param = d->param ? d->param : "";
    snprintf(out, cap, "%s%s%sunexpected %s%s%s", param[0] ? "in the " : "", param,
             param[0] ? " parameter: " : "", b, d->expected[0] ? ", expected " : "", d->expected);
}

/* Failures that come with a position (the ag_diag): a syntax error, and a
 * documented limit of the library (the lenient reading's). */
static int has_diag(ag_status st) { return st == AG_ERR_SYNTAX || st == AG_ERR_LIMIT; }

/* The id of a failed parse in JSON, in the style of every other id there
 * (field-too-long, duplicate-param): "syntax", "limit", "capacity", ... */
/* a status's JSON id: its name in the library's table, lower case, less
 * the AG_ERR_ prefix ("syntax" for AG_ERR_SYNTAX) */
static const char *status_id(ag_status st, char *buf, size_t cap)
{
    const char *name = ag_status_name(st);
    name += strncmp(name, "AG_ERR_", 7) == 0 ? 7 : strncmp(name, "AG_", 3) == 0 ? 3 : 0;
    size_t i = 0;
    for (; name[i] && i + 1 < cap; i++)
        buf[i] = (char)tolower((unsigned char)name[i]);
    buf[i] = 0;
    return buf;
}

/* what a failed parse says: the syntax error, the limit, or the status */
static void status_message(ag_status st, const ag_diag *d, char *out, size_t cap)
{
    if (st == AG_ERR_SYNTAX)
        error_message(d, out, cap);
    else if (st == AG_ERR_LIMIT)
        snprintf(out, cap, "past a limit of the library: %s", d->expected);
    else
        snprintf(out, cap, "%s", ag_strerror(st));
}

static size_t in_value(const record *r, size_t off) { return off > r->value_start ? off - r->value_start : 0; }

/* the library's words, with the offsets into the value, as every offset the
 * command prints */
static void warning_message(const record *r, const ag_warning *w, char *out, size_t cap)
{
    ag_warning v = *w;
    v.offset = in_value(r, w->offset);
    v.detail_offset = in_value(r, w->detail_offset);
    ag_warning_describe(&v, out, cap);
}

static void text_diag(FILE *out, line_index *x, const record *r, size_t off, const char *kind, const char *msg,
                      const char *tag, const char *rfc, int caret)
{
    uint64_t line, col;
    line_col(x, off, &line, &col);
    put_label(out, r);
    fprintf(out, ":%llu:%llu: %s: %s [%s]", (unsigned long long)line, (unsigned long long)col, kind, msg, tag);
    if (rfc && rfc[0])
        fprintf(out, " (%s)", rfc);
    putc('\n', out);
    if (caret)
        print_caret(out, x, off);
}

void text_parse_error(FILE *out, line_index *x, const record *r, ag_status st, const ag_diag *d)
{
    char msg[256];
    status_message(st, d, msg, sizeof msg);
    if (has_diag(st))
        text_diag(out, x, r, d->offset, "error", msg, d->rule, st == AG_ERR_SYNTAX ? d->rfc : "", 1);
    else
        text_diag(out, x, r, 0, "error", msg, ag_status_name(st), "", 0);
}

void text_framing_error(FILE *out, const record *r)
{
    put_label(out, r);
    fprintf(out, ":%llu:1: error: ", (unsigned long long)r->line);
    put_text(out, r->error_msg, strlen(r->error_msg));
    fprintf(out, " [%s]\n", r->error_id);
}

/* ---- JSON ------------------------------------------------------------------------ */

/* The keys are literals: "key": with the comma before it or not, copied
 * whole (K: the key, the comma flag, so their length is known at compile
 * time). */
typedef struct jkey {
    const char *s;
    size_t n;
} jkey;
#define K(name, comma) ((comma) ? (jkey){",\"" name "\":", sizeof(name) + 3} : (jkey){"\"" name "\":", sizeof(name) + 2})

static void json_key(jbuf *j, jkey k) { jb_put(j, k.s, k.n); }

static void json_kv(jbuf *j, jkey k, const char *s, size_t n)
{
    json_key(j, k);
    if (s)
        jb_string(j, s, n);
    else
        JB_LIT(j, "null");
}

static void json_cstr(jbuf *j, jkey k, const char *s) { json_kv(j, k, s, s ? strlen(s) : 0); }

static void json_u64(jbuf *j, jkey k, uint64_t v)
{
    json_key(j, k);
    jb_u64(j, v);
}

static void json_bool(jbuf *j, jkey k, int v) /* v < 0: null */
{
    json_key(j, k);
    if (v < 0)
        JB_LIT(j, "null");
    else if (v)
        JB_LIT(j, "true");
    else
        JB_LIT(j, "false");
}

static ag_span cspan(const char *s) { return (ag_span){s, strlen(s)}; }

/* The text of a true/false field: its literal, or, for a value only a changed
 * grammar allows (AG_STALE_OTHER), the first parameter of that kind's own
 * bytes; {NULL, 0} when unset. */
/* stale and userhash: true, false, absent, or a value this version does not
 * type (its text in params[]) */
typedef enum tristate { TRI_UNSET, TRI_FALSE, TRI_TRUE, TRI_OTHER } tristate;

static tristate tri_stale(ag_stale s)
{
    return s == AG_STALE_TRUE ? TRI_TRUE : s == AG_STALE_FALSE ? TRI_FALSE : s == AG_STALE_OTHER ? TRI_OTHER : TRI_UNSET;
}

static tristate tri_userhash(ag_userhash u)
{
    return u == AG_USERHASH_TRUE    ? TRI_TRUE
           : u == AG_USERHASH_FALSE ? TRI_FALSE
           : u == AG_USERHASH_OTHER ? TRI_OTHER
                                    : TRI_UNSET;
}

static ag_span tristate_text(tristate s, const ag_param *params, size_t n, ag_param_kind kind)
{
    if (s == TRI_TRUE || s == TRI_FALSE)
        return cspan(s == TRI_TRUE ? "true" : "false");
    for (size_t i = 0; s == TRI_OTHER && i < n; i++)
        if (params[i].kind == kind)
            return params[i].value;
    return (ag_span){NULL, 0};
}

/* JSON: true, false, null, or the other value as a string */
static void json_tristate(jbuf *j, jkey k, tristate s, const ag_param *params, size_t n, ag_param_kind kind)
{
    if (s != TRI_OTHER) {
        json_bool(j, k, s == TRI_UNSET ? -1 : s == TRI_TRUE);
        return;
    }
    ag_span v = tristate_text(s, params, n, kind);
    json_kv(j, k, v.ptr, v.len);
}

/* A quoted value unescaped (or a token as it is): in scratch, or v itself
 * when it has nothing to unescape.  {NULL, 0} when v is absent or on OOM. */
static ag_span unescape(run *R, ag_span v, int quoted)
{
    /* a quoted value without quoted-pairs or folds is its own unescaping */
    if (!v.ptr || !quoted || (!memchr(v.ptr, '\\', v.len) && !memchr(v.ptr, '\r', v.len)))
        return v;
    size_t n = ag_unescape(v, NULL, 0);
    char *d = scratch(R, n + 1);
    if (!d)
        return (ag_span){NULL, 0};
    ag_unescape(v, d, n + 1);
    return (ag_span){d, n};
}

static void json_value(run *R, jkey key, ag_span v, int quoted)
{
    v = unescape(R, v, quoted);
    json_kv(&R->json, key, v.ptr, v.len);
}

/* the grammar rule of a parameter's kind ("?" never happens for a parsed
 * parameter) */
static const char *kind_name(ag_profile profile, ag_param_kind k)
{
    const char *r = ag_param_kind_rule(profile, k);
    return r ? r : "?";
}

static void json_params(run *R, ag_profile profile, const ag_param *params, size_t n)
{
    jbuf *j = &R->json;
    json_key(j, K("params", 1));
    JB_LIT(j, "[");
    for (size_t i = 0; i < n; i++) {
        const ag_param *p = &params[i];
        if (i)
            JB_LIT(j, ",");
        JB_LIT(j, "{");
        json_kv(j, K("name", 0), p->name.ptr, p->name.len);
        json_value(R, K("value", 1), p->value, p->quoted);
        json_bool(j, K("quoted", 1), p->quoted);
        json_cstr(j, K("kind", 1), kind_name(profile, p->kind));
        JB_LIT(j, "}");
    }
    JB_LIT(j, "]");
}

static void json_fields(run *R, const ag_challenge *c)
{
    jbuf *j = &R->json;
    JB_LIT(j, "{");
    json_kv(j, K("scheme", 0), c->scheme.ptr, c->scheme.len);
    json_value(R, K("realm", 1), c->realm, 1);
    json_value(R, K("nonce", 1), c->nonce, 1);
    json_value(R, K("opaque", 1), c->opaque, 1);
    json_kv(j, K("algorithm", 1), c->algorithm_raw.ptr, c->algorithm_raw.len);
    json_tristate(j, K("stale", 1), tri_stale(c->stale), c->params, c->param_count, AG_PARAM_STALE);
    if (c->profile == AG_PROFILE_HTTP) {
        json_kv(j, K("token68", 1), c->token68.ptr, c->token68.len);
        json_kv(j, K("charset", 1), c->charset.ptr, c->charset.len);
        json_tristate(j, K("userhash", 1), tri_userhash(c->userhash), c->params, c->param_count, AG_PARAM_USERHASH);
    }
    json_key(j, K("qop", 1));
    JB_LIT(j, "[");
    for (size_t i = 0; i < c->qop_count; i++) {
        if (i)
            JB_LIT(j, ",");
        jb_string(j, c->qop[i].raw.ptr, c->qop[i].raw.len);
    }
    JB_LIT(j, "]");
    json_key(j, K("domain", 1));
    JB_LIT(j, "[");
    for (size_t i = 0; i < c->domain_count; i++) {
        if (i)
            JB_LIT(j, ",");
        jb_string(j, c->domain[i].ptr, c->domain[i].len);
    }
    JB_LIT(j, "]");
    json_params(R, c->profile, c->params, c->param_count);
    JB_LIT(j, "}");
}

/* "fields" of credentials: the typed view of include/authgram.h */
static void json_credentials(run *R, const ag_credentials *c)
{
    jbuf *j = &R->json;
    JB_LIT(j, "{");
    json_kv(j, K("scheme", 0), c->scheme.ptr, c->scheme.len);
    json_value(R, K("username", 1), c->username, 1);
    if (c->profile == AG_PROFILE_HTTP)
        json_kv(j, K("username*", 1), c->username_ext.ptr, c->username_ext.len);
    json_value(R, K("realm", 1), c->realm, 1);
    json_value(R, K("nonce", 1), c->nonce, 1);
    json_kv(j, K("uri", 1), c->uri.ptr, c->uri.len);
    json_kv(j, K("response", 1), c->response.ptr, c->response.len);
    json_kv(j, K("algorithm", 1), c->algorithm_raw.ptr, c->algorithm_raw.len);
    json_value(R, K("cnonce", 1), c->cnonce, 1);
    json_value(R, K("opaque", 1), c->opaque, 1);
    json_kv(j, K("qop", 1), c->qop_raw.ptr, c->qop_raw.len);
    json_kv(j, K("nc", 1), c->nc.ptr, c->nc.len);
    if (c->profile == AG_PROFILE_SIP)
        json_kv(j, K("auts", 1), c->auts.ptr, c->auts.len);
    else {
        json_tristate(j, K("userhash", 1), tri_userhash(c->userhash), c->params, c->param_count, AG_PARAM_USERHASH);
        json_kv(j, K("token68", 1), c->token68.ptr, c->token68.len);
    }
    json_params(R, c->profile, c->params, c->param_count);
    JB_LIT(j, "}");
}

static void json_error(jbuf *j, const char *id, const char *rule, uint64_t off, const char *msg, const char *rfc)
{
    JB_LIT(j, "{");
    json_cstr(j, K("id", 0), id);
    json_cstr(j, K("rule", 1), rule);
    json_u64(j, K("offset", 1), off);
    json_cstr(j, K("message", 1), msg);
    json_cstr(j, K("rfc", 1), rfc);
    JB_LIT(j, "}");
}

static void json_record(run *R, const record *r, ag_status st, const ag_diag *d, size_t nw,
                        const char *verdict)
{
    jbuf *j = &R->json;
    JB_LIT(j, "{");
    json_cstr(j, K("file", 0), r->file);
    json_u64(j, K("line", 1), r->line);
    json_u64(j, K("offset", 1), r->offset + r->value_start);
    json_cstr(j, K("header", 1), ag_header_name(r->header));
    json_cstr(j, K("profile", 1), R->o->profile == AG_PROFILE_HTTP ? "http" : "sip");
    json_cstr(j, K("verdict", 1), verdict);
    json_key(j, K("errors", 1));
    JB_LIT(j, "[");
    if (r->error_id) {
        json_error(j, r->error_id, NULL, 0, r->error_msg, NULL);
    } else if (st != AG_OK) {
        char msg[256], id[32];
        status_message(st, d, msg, sizeof msg);
        json_error(j, status_id(st, id, sizeof id), has_diag(st) ? d->rule : NULL,
                   has_diag(st) ? in_value(r, d->offset) : 0, msg, st == AG_ERR_SYNTAX ? d->rfc : NULL);
    }
    JB_LIT(j, "]");
    json_key(j, K("warnings", 1));
    JB_LIT(j, "[");
    for (size_t i = 0; i < nw; i++) {
        const ag_warning *w = &R->w[i];
        char msg[256];
        warning_message(r, w, msg, sizeof msg);
        if (i)
            JB_LIT(j, ",");
        json_error(j, ag_warning_name(w->id), w->rule, in_value(r, w->offset), msg, w->rfc);
    }
    JB_LIT(j, "]");
    if (st == AG_OK && is_credentials(R, r)) {
        /* credentials: one element in both profiles, no "challenges" */
        json_key(j, K("fields", 1));
        json_credentials(R, &R->cr);
    } else if (st == AG_OK) {
        /* "fields": the challenge (the first, in http); "challenges": all */
        json_key(j, K("fields", 1));
        size_t at = j->n, flushes = j->flushes;
        json_fields(R, &R->l.challenges[0]);
        size_t first = j->n - at;
        json_key(j, K("challenges", 1));
        JB_LIT(j, "[");
        /* challenges[0] is the same text: copied while the buffer holds it,
         * that is when nothing was flushed since "fields" began (the key and
         * '[' may flush as well: then the text is gone and the copy would
         * overlap its own destination) */
        int copy = j->flushes == flushes && first <= sizeof j->b - j->n;
        for (size_t i = 0; i < R->l.count; i++) {
            if (i)
                JB_LIT(j, ",");
            if (i == 0 && copy) {
                memcpy(j->b + j->n, j->b + at, first);
                j->n += first;
            } else
                json_fields(R, &R->l.challenges[i]);
        }
        JB_LIT(j, "]");
    }
    JB_LIT(j, "}\n");
    jb_flush(j); /* stdio buffers across records; the text output shares the stream */
}

/* ---- text --------------------------------------------------------------------------- */

/* "  NAME       VALUE" with the value escaped */
static void text_kv(FILE *out, const char *name, ag_span v)
{
    fprintf(out, "  %-10s ", name);
    put_text(out, v.ptr ? v.ptr : "", v.len);
    putc('\n', out);
}

static void text_head(FILE *out, const record *r, ag_header hdr, ag_span scheme)
{
    const char *h = ag_header_name(hdr);
    put_label(out, r);
    fprintf(out, ":%llu: %s%s", (unsigned long long)r->line, h ? h : "", h ? " " : "");
    put_text(out, scheme.ptr, scheme.len);
    putc('\n', out);
}

static void text_param(FILE *out, ag_profile profile, const ag_param *p)
{
    fputs("  param      ", out);
    put_text(out, p->name.ptr, p->name.len);
    fputs(p->quoted ? "=\"" : "=", out);
    put_text(out, p->value.ptr ? p->value.ptr : "", p->value.len);
    fprintf(out, "%s  [%s]\n", p->quoted ? "\"" : "", kind_name(profile, p->kind));
}


static void text_fields(run *R, const record *r, const ag_challenge *c)
{
    FILE *out = R->out;
    text_head(out, r, c->header, c->scheme);
    ag_span one[3] = {c->realm, c->nonce, c->opaque};
    const char *names[3] = {"realm", "nonce", "opaque"};
    for (int i = 0; i < 3; i++)
        if (one[i].ptr) {
            ag_span v = unescape(R, one[i], 1);
            if (R->oom)
                return;
            text_kv(out, names[i], v);
        }
    if (c->algorithm_raw.ptr)
        text_kv(out, "algorithm", c->algorithm_raw);
    if (c->stale != AG_STALE_UNSET)
        text_kv(out, "stale", tristate_text(tri_stale(c->stale), c->params, c->param_count, AG_PARAM_STALE));
    if (c->token68.ptr)
        text_kv(out, "token68", c->token68);
    if (c->charset.ptr)
        text_kv(out, "charset", c->charset);
    if (c->userhash != AG_USERHASH_UNSET)
        text_kv(out, "userhash", tristate_text(tri_userhash(c->userhash), c->params, c->param_count, AG_PARAM_USERHASH));
    for (size_t i = 0; i < c->qop_count; i++)
        text_kv(out, "qop", c->qop[i].raw);
    for (size_t i = 0; i < c->domain_count; i++)
        text_kv(out, "domain", c->domain[i]);
    for (size_t i = 0; i < c->param_count; i++)
        text_param(out, c->profile, &c->params[i]);
}

static void text_credentials(run *R, const record *r, const ag_credentials *c)
{
    FILE *out = R->out;
    text_head(out, r, c->header, c->scheme);
    const struct {
        const char *name;
        ag_span v;
    } f[] = {{"username", c->username}, {"username*", c->username_ext}, {"realm", c->realm},
             {"nonce", c->nonce},       {"uri", c->uri},                {"response", c->response},
             {"algorithm", c->algorithm_raw}, {"cnonce", c->cnonce},    {"opaque", c->opaque},
             {"qop", c->qop_raw},       {"nc", c->nc},                  {"auts", c->auts},
             {"token68", c->token68}};
    /* raw values, as written between the quotes (parse --format json
     * gives them unescaped) */
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].v.ptr)
            text_kv(out, f[i].name, f[i].v);
    if (c->userhash != AG_USERHASH_UNSET)
        text_kv(out, "userhash", tristate_text(tri_userhash(c->userhash), c->params, c->param_count, AG_PARAM_USERHASH));
    for (size_t i = 0; i < c->param_count; i++)
        text_param(out, c->profile, &c->params[i]);
}

/* ---- canon -------------------------------------------------------------------------- */

/* the canonical serialization of what was parsed: 1 written (or out of
 * memory), 0 refused by the serializer (reported; the record fails) */
static int canon_record(run *R, const record *r, int creds)
{
    ag_form form = !r->is_header                               ? AG_FORM_VALUE
                   : r->header == AG_HEADER_WWW_AUTHENTICATE    ? AG_FORM_WWW_AUTHENTICATE
                   : r->header == AG_HEADER_PROXY_AUTHORIZATION ? AG_FORM_PROXY_AUTHORIZATION
                   : r->header == AG_HEADER_AUTHORIZATION       ? AG_FORM_AUTHORIZATION
                                                                : AG_FORM_PROXY_AUTHENTICATE;
    size_t len = 0;
    ag_field_error e;
    memset(&e, 0, sizeof e);
    ag_status s = creds ? ag_serialize_credentials(&R->cr, form, NULL, 0, &len, &e)
                        : ag_serialize_list(&R->l, form, NULL, 0, &len, &e);
    char *buf = s == AG_ERR_SPACE ? scratch(R, len + 1) : NULL;
    if (buf)
        s = creds ? ag_serialize_credentials(&R->cr, form, buf, len + 1, &len, &e)
                  : ag_serialize_list(&R->l, form, buf, len + 1, &len, &e);
    if (R->oom)
        return 1;
    if (s != AG_OK) {
        char msg[512];
        ag_field_error_format(&e, msg, sizeof msg);
        put_label(R->err, r);
        fprintf(R->err, ":%llu: error: cannot serialize: ", (unsigned long long)r->line);
        put_text(R->err, msg, strlen(msg));
        putc('\n', R->err);
        return 0;
    }
    if (put_wire(R->out, buf, len, R->out_tty) && !R->escaped_note) {
        fprintf(R->err, "authgram: canon: control bytes escaped as \\xNN on a terminal; redirect standard "
                        "output for the exact bytes\n");
        R->escaped_note = 1;
    }
    if (form == AG_FORM_VALUE)
        putc('\n', R->out);
    return 1;
}

/* Each record counts once: failing, with warnings, or conforming. */
static void count(run *R, int fails, size_t nw)
{
    R->n.checked++;
    if (fails)
        R->n.failing++;
    else if (nw)
        R->n.warned++;
    else
        R->n.conforming++;
}

/* ---- the record handler ------------------------------------------------------------ */

void run_record(const record *r, void *ctx)
{
    run *R = ctx;
    const options *o = R->o;
    if (R->oom)
        return;
    line_index_set(&R->lines, r);
    if (r->error_id) { /* a framing error: part of the input was skipped */
        count(R, 1, 0);
        if (o->cmd == CMD_CANON)
            text_framing_error(R->err, r);
        else if (o->format == OUT_JSON)
            json_record(R, r, AG_ERR_SYNTAX, NULL, 0, "invalid");
        else if (!o->quiet)
            text_framing_error(R->out, r);
        return;
    }
    ag_diag d;
    int creds = is_credentials(R, r);
    ag_status st = creds ? parse_credentials(R, r, &d) : parse_record(R, r, &d);
    if (R->oom)
        return;
    size_t nw = st == AG_OK ? warnings_of(R, creds) : 0;
    if (R->oom)
        return;
    const char *verdict = st != AG_OK ? "invalid" : nw ? "valid-warn" : "valid";
    int fails = st != AG_OK || (nw && o->werror);
    if (o->cmd == CMD_CANON) {
        /* a conforming record the serializer refuses (F8: qop="\auth" would
         * read back as qop-options) fails, and is counted once, as that */
        count(R, fails || (st == AG_OK && !canon_record(R, r, creds)), nw);
        if (st != AG_OK)
            text_parse_error(R->err, &R->lines, r, st, &d);
        return;
    }
    count(R, fails, nw);
    if (o->format == OUT_JSON) {
        json_record(R, r, st, &d, nw, verdict);
        return;
    }
    if (o->quiet)
        return;
    if (st != AG_OK)
        text_parse_error(R->out, &R->lines, r, st, &d);
    else if (o->cmd == CMD_PARSE && creds)
        text_credentials(R, r, &R->cr);
    else if (o->cmd == CMD_PARSE)
        for (size_t i = 0; i < R->l.count && !R->oom; i++)
            text_fields(R, r, &R->l.challenges[i]);
    /* the warnings come sorted by offset; each position is a lookup in the
     * record's line starts, so n warnings cost O(n log lines), not O(n * len) */
    for (size_t i = 0; i < nw; i++) {
        char msg[256];
        warning_message(r, &R->w[i], msg, sizeof msg);
        text_diag(R->out, &R->lines, r, R->w[i].offset, "warning", msg, ag_warning_name(R->w[i].id), R->w[i].rfc,
                  o->cmd == CMD_CHECK);
    }
}

size_t parse_size(const char *v)
{
    size_t n = 0;
    if (!*v)
        return 0;
    for (; *v; v++) {
        if (*v < '0' || *v > '9' || n > (SIZE_MAX - 9) / 10)
            return 0;
        n = n * 10 + (size_t)(*v - '0');
    }
    return n;
}
