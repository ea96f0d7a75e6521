/* Output helpers of the command: JSON strings, caret lines, positions. */
#include <string.h>

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

void json_string(FILE *out, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    putc('"', out);
    for (size_t i = 0; i < n;) {
        /* a run of printable ASCII but '"' and '\\' in one write: nearly
         * every byte of a header is one (check --format json over 23 MB:
         * 1.24 s with a putc per byte, 0.96 s so) */
        size_t j = i;
        while (j < n && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '"' && s[j] != '\\')
            j++;
        if (j > i) {
            fwrite(s + i, 1, j - i, out);
            i = j;
            continue;
        }
        unsigned c = s[i];
        if (c == '"' || c == '\\') {
            putc('\\', out);
            putc((int)c, out);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            static const char esc[] = "btn\0fr";
            if (c >= 8 && c <= 13 && c != 11)
                fprintf(out, "\\%c", esc[c - 8]);
            else
                fprintf(out, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            putc((int)c, out);
            i++;
        } else {
            size_t k = utf8_len(s + i, n - i);
            if (k) {
                fwrite(s + i, 1, k, out);
                i += k;
            } else {
                fprintf(out, "\\u%04x", c); /* the byte, read as Latin-1 */
                i++;
            }
        }
    }
    putc('"', out);
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
