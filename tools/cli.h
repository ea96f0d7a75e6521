/* The authgram command: shared declarations of its parts. */
#ifndef AG_CLI_H
#define AG_CLI_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "authgram.h"

/* ---- input: records (one header field or value each) from a stream ------ */

typedef enum in_mode { IN_HEADERS, IN_MESSAGE, IN_VALUES, IN_RAW } in_mode;

/* One thing to check: a whole header field (Name: value, folds included,
 * final line terminator excluded) or a bare value. */
typedef struct record {
    const char *file;   /* the FILE argument as given ("-" for stdin) */
    uint64_t line;      /* 1-based line of its first byte */
    uint64_t offset;    /* byte offset of its first byte in the input */
    const char *bytes;
    size_t len;
    int is_header;      /* 1: a header field, parse with ag_parse_header */
    ag_header header;   /* which one (AG_HEADER_NONE for values) */
    size_t value_start; /* where the value begins inside bytes */
} record;

/* Reads the stream and calls fn for every record; memory is bounded by the
 * longest record (a header field with its folds), whatever the input size.
 * Returns 0, or -1 on a read error / out of memory (errno set). */
typedef void (*record_fn)(const record *r, void *ctx);
int read_records(FILE *f, const char *file, in_mode mode, record_fn fn, void *ctx);

/* ---- output ----------------------------------------------------------------- */

typedef enum out_format { OUT_TEXT, OUT_JSON } out_format;

/* JSON output is built in a buffer and written with one fwrite when it
 * fills and at jb_flush (a stdio call per piece was 80 % of the cost of
 * check --format json). */
typedef struct jbuf {
    FILE *out;
    size_t n;
    size_t flushes; /* how many times b was written out */
    char b[1 << 16];
} jbuf;
void jb_put_long(jbuf *j, const char *s, size_t n);
static inline void jb_put(jbuf *j, const char *s, size_t n)
{
    if (n > sizeof j->b - j->n) {
        jb_put_long(j, s, n);
        return;
    }
    memcpy(j->b + j->n, s, n); /* inlined for the constant sizes of literals */
    j->n += n;
}
/* a string literal */
#define JB_LIT(j, lit) jb_put((j), "" lit, sizeof(lit) - 1)
void jb_u64(jbuf *j, uint64_t v);
/* A JSON string of arbitrary bytes: valid UTF-8 as itself, other bytes as
 * \u00XX (so the output is always valid JSON). */
void jb_string(jbuf *j, const char *s, size_t n);
void jb_flush(jbuf *j);

/* The offending physical line of r around offset off, then a caret line. */
void print_caret(FILE *out, const record *r, size_t off);

/* Line and column (1-based, in bytes) of offset off of r. */
void line_col(const record *r, size_t off, uint64_t *line, uint64_t *col);

/* ---- shared by the commands ------------------------------------------------ */

/* Prints "authgram: CMD: MESSAGE" and a --help hint on stderr; returns 2. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int usage_error(const char *cmd, const char *fmt, ...);

/* "--name value" or "--name=value": 1 and *val set when argv[*i] is that
 * option (and *i advanced past a separate value), 0 when it is not, -1 when
 * its value is missing. */
int opt_value(int argc, char **argv, int *i, const char *name, const char **val);

/* authgram digest (cmd_digest.c); argv[0] is "digest". */
int cmd_digest(int argc, char **argv);

#endif
