/* Output helpers of the command: JSON strings, caret lines, positions. */
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

void line_col(const record *r, size_t off, uint64_t *line, uint64_t *col)
{
    uint64_t l = r->line;
    size_t bol = 0;
    if (off > r->len)
        off = r->len;
    for (size_t i = 0; i < off; i++)
        if (r->bytes[i] == '\n') {
            l++;
            bol = i + 1;
        }
    *line = l;
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

void print_caret(FILE *out, const record *r, size_t off)
{
    const unsigned char *s = (const unsigned char *)r->bytes;
    if (off > r->len)
        off = r->len;
    size_t bol = off, eol = off;
    while (bol > 0 && s[bol - 1] != '\n')
        bol--;
    while (eol < r->len && s[eol] != '\n')
        eol++;
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
