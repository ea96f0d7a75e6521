/* SPDX-License-Identifier: MIT */
/* The authgram command: shared declarations of its parts. */
#ifndef AG_CLI_H
#define AG_CLI_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "authgram.h"

/* ---- input: records (one header field or value each) from a stream ------ */

typedef enum in_mode { IN_HEADERS, IN_MESSAGE, IN_VALUES, IN_RAW } in_mode;

/* The default of --max-field-bytes: the longest header field (folds
 * included), value line or --raw FILE read. */
#define CLI_MAX_FIELD_DEFAULT ((size_t)2 << 20)

/* One thing to check: a whole header field (Name: value, folds included,
 * final line terminator excluded) or a bare value.  Or a framing error
 * (error_id set, bytes empty): a field longer than the limit, a message
 * whose Content-Length does not fit what follows. */
typedef struct record {
    const char *file;   /* the FILE argument as given ("-" for stdin) */
    uint64_t line;      /* 1-based line of its first byte */
    uint64_t offset;    /* byte offset of its first byte in the input */
    const char *bytes;
    size_t len;
    int is_header;      /* 1: a header field, parse with ag_parse_challenge */
    ag_header header;   /* which one (AG_HEADER_NONE for values) */
    size_t value_start; /* where the value begins inside bytes */
    const char *error_id;  /* a framing error: "field-too-long", "content-length-..." */
    const char *error_msg; /* what happened and what was assumed */
} record;

/* Reads the stream and calls fn for every record.  Memory is bounded by
 * max_field (a few times it): lines that are not read are skipped without
 * being held, a longer field is a "field-too-long" record and skipped.
 * Returns 0, or -1 on a read error / out of memory (errno set). */
typedef void (*record_fn)(const record *r, void *ctx);
int read_records_limit(FILE *f, const char *file, in_mode mode, size_t max_field, record_fn fn, void *ctx);
/* The same with CLI_MAX_FIELD_DEFAULT. */
int read_records(FILE *f, const char *file, in_mode mode, record_fn fn, void *ctx);

/* The first line that --input headers or message skipped (not empty, not a
 * continuation), kept when it is at most INPUT_NOTE_BYTES long: when nothing
 * was found to check, the command tells whether it is a bare header value
 * (--input values).  have is 0 until one is seen; a longer first line ends
 * the search (long_line 1). */
enum { INPUT_NOTE_BYTES = 256 };
typedef struct input_note {
    int have, long_line;
    const char *file;
    uint64_t line;
    size_t len;
    char text[INPUT_NOTE_BYTES];
} input_note;
/* read_records_limit that also fills note (when not NULL and not have). */
int read_records_note(FILE *f, const char *file, in_mode mode, size_t max_field, record_fn fn, void *ctx,
                      input_note *note);

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

/* Text output of input bytes: C0 bytes (but HTAB), DEL and NUL as \xNN, so
 * that no input reaches a terminal as a control sequence; nothing is cut. */
void put_text(FILE *out, const char *s, size_t n);
/* Wire output (canon, build, digest --format header): the exact bytes, or,
 * when tty is set, control bytes escaped as put_text does but the CRLF
 * that ends a line.  Returns 1 when something was escaped. */
int put_wire(FILE *out, const char *s, size_t n, int tty);

/* Where the lines of a record begin, computed once per record so that the
 * position and caret of every diagnostic cost O(log lines + window). */
typedef struct line_index {
    const record *r;
    size_t *start; /* start[0] = 0, then the offset after each LF */
    size_t n, cap;
    int oom;
} line_index;
void line_index_set(line_index *x, const record *r);
void line_index_free(line_index *x);

/* The offending physical line of x's record around offset off, then a caret line. */
void print_caret(FILE *out, line_index *x, size_t off);

/* Line and column (1-based, in bytes) of offset off of x's record. */
void line_col(line_index *x, size_t off, uint64_t *line, uint64_t *col);

/* ---- check, parse and canon: the record handler (output.c) ------------------ */

typedef enum command { CMD_CHECK, CMD_PARSE, CMD_CANON } command;

typedef struct options {
    command cmd;
    ag_profile profile;
    in_mode mode;
    int raw;
    out_format format;
    int werror, quiet;
    int lenient;
    int credentials;  /* --credentials: values are Authorization values */
    size_t max_field; /* --max-field-bytes */
    int allow_empty;  /* --allow-empty: no header found is not an error */
} options;

typedef struct counts {
    unsigned long long checked, conforming, warned, failing;
} counts;

/* The state of one run over all FILEs. */
typedef struct run {
    const options *o;
    FILE *out, *err;
    int out_tty;       /* canon: stdout is a terminal, control bytes escaped */
    int escaped_note;  /* said once on err that they were */
    counts n;
    /* arrays sized from the longest field seen (see size_for in output.c) */
    ag_challenge_list l;
    ag_credentials cr;
    ag_warning *w;
    size_t wcap;
    char *scratch;
    size_t scratch_cap;
    line_index lines;
    int oom;
    jbuf json;
} run;

void run_init(run *R, const options *o, FILE *out, FILE *err);
/* record_fn of check, parse and canon: ctx is a run */
void run_record(const record *r, void *ctx);
void run_free(run *R);
/* A failed parse of r, GCC style: "FILE:LINE:COL: error: MSG [RULE] (RFC)"
 * and the line with a caret under the offending byte (x indexes r's lines);
 * a failure without a position (out of memory, ...) as the status. */
void text_parse_error(FILE *out, line_index *x, const record *r, ag_status st, const ag_diag *d);
/* "FILE:LINE:1: error: MSG [ID]" of a framing error (text output). */
void text_framing_error(FILE *out, const record *r);

/* ---- shared by the commands ------------------------------------------------ */

/* "<stdin>" for "-", else the FILE argument */
const char *file_label(const record *r);

/* Prints "authgram: CMD: MESSAGE" and a --help hint on stderr; returns 2. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int usage_error(const char *cmd, const char *fmt, ...);

/* "--name value" or "--name=value": 1 and *val set when argv[*i] is that
 * option (and *i advanced past a separate value), 0 when it is not, -1 when
 * its value is missing. */
int opt_value(int argc, char **argv, int *i, const char *name, const char **val);

/* --profile V, --input V: 0 and *out set, or 2 after a usage error for cmd. */
int opt_profile(const char *cmd, const char *v, ag_profile *out);
int opt_input(const char *cmd, const char *v, in_mode *out);

/* --max-field-bytes N: a positive decimal count; 0 when v is not one. */
size_t parse_size(const char *v);

/* "authgram", the name the messages start with */
extern const char cli_prog[];

/* The commands; argv[0] is the command's name. */
int cmd_files(command cmd, int argc, char **argv); /* check, parse, canon (cmd_files.c) */
int cmd_build(int argc, char **argv);              /* cmd_build.c */
int cmd_digest(int argc, char **argv);             /* cmd_digest.c */

#endif
