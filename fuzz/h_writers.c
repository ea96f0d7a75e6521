/* SPDX-License-Identifier: MIT */
/* Harness "writers": the command's record handler and writers
 * (tools/output.c) over the framing of tools/input.c, as check, parse and
 * canon run them, with the output in memory.  Invariants:
 *   - JSON output: every line is one JSON value (an object), valid UTF-8;
 *     its "offset" and every error's and warning's offset (relative to the
 *     value) lie inside the input, its "line" among the input's lines;
 *   - text output (and canon's output as shown on a terminal): no C0 byte
 *     but LF and HTAB (and CR before LF on the terminal), no DEL;
 *   - the summary counts add up.
 * The first two input bytes pick the options, the rest is the input. */
#define _GNU_SOURCE /* open_memstream, fmemopen */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"

/* ---- a minimal JSON reader: structure, strings, numbers; the offsets ---- */

typedef struct jr {
    const unsigned char *s;
    size_t n, i;
    int depth;
    /* "offset" values: the record's (depth 1) and the largest nested one */
    unsigned long long top_offset, max_rel_offset, line;
    int have_top;
} jr;

static void ws(jr *j)
{
    while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' || j->s[j->i] == '\r'))
        j->i++;
}

static int value(jr *j, const char *key);

/* a string; *k receives up to 15 bytes of it (for keys) */
static int string(jr *j, char *k)
{
    size_t kn = 0;
    if (j->i >= j->n || j->s[j->i] != '"')
        return 0;
    j->i++;
    while (j->i < j->n) {
        unsigned c = j->s[j->i];
        if (c == '"') {
            j->i++;
            if (k)
                k[kn] = 0;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            if (++j->i >= j->n)
                return 0;
            c = j->s[j->i];
            if (c == 'u') {
                for (int h = 1; h <= 4; h++)
                    if (j->i + h >= j->n || !strchr("0123456789abcdefABCDEF", j->s[j->i + h]) || !j->s[j->i + h])
                        return 0;
                j->i += 5;
                continue;
            }
            if (!strchr("\"\\/bfnrt", (int)c) || !c)
                return 0;
            j->i++;
            continue;
        }
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!len || j->i + len > j->n)
            return 0;
        for (size_t t = 1; t < len; t++)
            if ((j->s[j->i + t] & 0xC0) != 0x80)
                return 0;
        if (k && kn < 15 && len == 1)
            k[kn++] = (char)c;
        j->i += len;
    }
    return 0;
}

static int number(jr *j, unsigned long long *v)
{
    size_t b = j->i;
    int neg = 0;
    if (j->i < j->n && j->s[j->i] == '-') {
        neg = 1;
        j->i++;
    }
    size_t d = j->i;
    unsigned long long x = 0;
    while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
        x = x * 10 + (j->s[j->i++] - '0');
    if (j->i == d || (j->s[d] == '0' && j->i - d > 1))
        return 0;
    /* our writer prints non-negative integers only */
    if (neg || (j->i < j->n && (j->s[j->i] == '.' || j->s[j->i] == 'e' || j->s[j->i] == 'E')))
        return 0;
    *v = x;
    return j->i > b;
}

static int literal(jr *j, const char *w)
{
    size_t k = strlen(w);
    if (j->n - j->i < k || memcmp(j->s + j->i, w, k))
        return 0;
    j->i += k;
    return 1;
}

static int value(jr *j, const char *key)
{
    ws(j);
    if (j->i >= j->n || j->depth > 32)
        return 0;
    unsigned c = j->s[j->i];
    if (c == '{' || c == '[') {
        int obj = c == '{';
        j->i++;
        j->depth++;
        ws(j);
        if (j->i < j->n && j->s[j->i] == (obj ? '}' : ']')) {
            j->i++;
            j->depth--;
            return 1;
        }
        for (;;) {
            char k[16] = "";
            ws(j);
            if (obj) {
                if (!string(j, k))
                    return 0;
                ws(j);
                if (j->i >= j->n || j->s[j->i++] != ':')
                    return 0;
            }
            if (!value(j, obj ? k : ""))
                return 0;
            ws(j);
            if (j->i < j->n && j->s[j->i] == ',') {
                j->i++;
                continue;
            }
            if (j->i < j->n && j->s[j->i] == (obj ? '}' : ']')) {
                j->i++;
                j->depth--;
                return 1;
            }
            return 0;
        }
    }
    if (c == '"')
        return string(j, NULL);
    if (c == 't')
        return literal(j, "true");
    if (c == 'f')
        return literal(j, "false");
    if (c == 'n')
        return literal(j, "null");
    unsigned long long v;
    if (!number(j, &v))
        return 0;
    if (!strcmp(key, "offset")) {
        if (j->depth == 1) {
            j->top_offset = v;
            j->have_top = 1;
        } else if (j->depth == 3 && v > j->max_rel_offset) /* errors[i].offset, warnings[i].offset */
            j->max_rel_offset = v;
    } else if (!strcmp(key, "line") && j->depth == 1)
        j->line = v;
    return 1;
}

/* ---- the run ----------------------------------------------------------------- */

static void check_json(const char *out, size_t len, size_t in_len, unsigned long long in_lines)
{
    size_t at = 0;
    while (at < len) {
        const char *nl = memchr(out + at, '\n', len - at);
        FUZZ_CHECK(nl != NULL, "JSON output does not end in a newline");
        jr j = {(const unsigned char *)out + at, (size_t)(nl - (out + at)), 0, 0, 0, 0, 0, 0};
        FUZZ_CHECK(j.n && j.s[0] == '{' && value(&j, "") && (ws(&j), j.i == j.n), "JSON line %.*s is not one object",
                   (int)(j.n < 300 ? j.n : 300), out + at);
        FUZZ_CHECK(j.have_top && j.top_offset <= in_len, "record offset %llu outside the input of %zu", j.top_offset,
                   in_len);
        FUZZ_CHECK(j.max_rel_offset <= in_len - j.top_offset, "offset %llu (+%llu) outside the input of %zu",
                   j.max_rel_offset, j.top_offset, in_len);
        FUZZ_CHECK(j.line >= 1 && j.line <= in_lines, "line %llu of %llu lines", j.line, in_lines);
        at = (size_t)(nl - out) + 1;
    }
}

static void check_text(const char *s, size_t n, int crlf, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        int ok = c == '\n' || c == '\t' || (crlf && c == '\r' && i + 1 < n && s[i + 1] == '\n');
        FUZZ_CHECK(ok || (c >= 0x20 && c != 0x7f), "%s: raw byte 0x%02X at %zu", what, c, i);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0; /* two options bytes, and fmemopen refuses an empty buffer */
    unsigned a = data[0], b = data[1];
    const char *in = (const char *)data + 2;
    size_t n = size - 2;
    static const in_mode modes[] = {IN_HEADERS, IN_MESSAGE, IN_VALUES, IN_RAW};
    options o = {(command)(a % 3), (a >> 2) & 1 ? AG_PROFILE_HTTP : AG_PROFILE_SIP, modes[(a >> 3) & 3], 0,
                 (a >> 5) & 1 ? OUT_JSON : OUT_TEXT, (a >> 6) & 1, 0, b & 1, (b >> 1) & 1,
                 /* a small limit half of the time, so that field-too-long is reached */
                 (b >> 2) & 1 ? CLI_MAX_FIELD_DEFAULT : 16 + (b >> 3) * 8, 0};
    if (o.mode == IN_RAW)
        o.raw = 1;
    if (o.cmd == CMD_CANON)
        o.format = OUT_TEXT;
    unsigned long long lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += in[i] == '\n';

    char *copy = fuzz_copy(in, n); /* fmemopen wants it writable */
    FILE *f = fmemopen(copy, n, "r");
    FUZZ_CHECK(f != NULL, "fmemopen");
    char *ob = NULL, *eb = NULL;
    size_t ol = 0, el = 0;
    FILE *out = open_memstream(&ob, &ol), *err = open_memstream(&eb, &el);
    FUZZ_CHECK(out && err, "open_memstream");
    static run R; /* the 64 KiB JSON buffer */
    run_init(&R, &o, out, err);
    R.out_tty = 1; /* canon as shown on a terminal */
    FUZZ_CHECK(read_records_limit(f, "fuzz", o.mode, o.max_field, run_record, &R) == 0, "read error");
    FUZZ_CHECK(!R.oom, "out of memory");
    FUZZ_CHECK(R.n.conforming + R.n.warned + R.n.failing == R.n.checked, "counts: %llu + %llu + %llu != %llu",
               R.n.conforming, R.n.warned, R.n.failing, R.n.checked);
    run_free(&R);
    fclose(f);
    free(copy);
    FUZZ_CHECK(fclose(out) == 0 && fclose(err) == 0, "memstream");
    if (o.format == OUT_JSON && o.cmd != CMD_CANON)
        check_json(ob, ol, n, lines);
    else
        check_text(ob, ol, o.cmd == CMD_CANON, "standard output");
    check_text(eb, el, 0, "standard error");
    free(ob);
    free(eb);
    return 0;
}
