/* SPDX-License-Identifier: MIT */
/* Harness "input": the command's input framing (tools/input.c) over every
 * input in each mode: header lines with folds, message logs with
 * Content-Length, one value per line, the whole input as one value.
 * Invariants: every record is a slice of the input, byte for byte, at its
 * offset and line; records do not overlap and come in order; a header
 * record's value starts inside it; then the library parses each record as
 * the command would. */
#include <string.h>

#include "cli.h"
#include "fuzz.h"

typedef struct seen {
    const char *in;
    size_t len;
    uint64_t next_offset; /* records may not start before this */
    size_t count;
    in_mode mode;
} seen;

static void on_record(const record *r, void *ctx)
{
    seen *s = ctx;
    FUZZ_CHECK(r->offset >= s->next_offset, "record at %llu overlaps the previous one",
               (unsigned long long)r->offset);
    FUZZ_CHECK(r->offset <= s->len && r->len <= s->len - r->offset,
               "record [%llu, +%zu) outside the input of %zu", (unsigned long long)r->offset, r->len,
               s->len);
    FUZZ_CHECK(!r->len || !memcmp(r->bytes, s->in + r->offset, r->len),
               "record at %llu is not the input's bytes", (unsigned long long)r->offset);
    uint64_t line = 1;
    for (size_t i = 0; i < r->offset; i++)
        line += s->in[i] == '\n';
    FUZZ_CHECK(r->line == line, "record at %llu: line %llu, counted %llu",
               (unsigned long long)r->offset, (unsigned long long)r->line, (unsigned long long)line);
    FUZZ_CHECK(r->value_start <= r->len, "value start beyond the record");
    FUZZ_CHECK(r->is_header == (r->header != AG_HEADER_NONE), "is_header without a header");
    FUZZ_CHECK(s->mode != IN_RAW || (r->offset == 0 && r->len == s->len), "raw: not the whole input");
    if (s->mode == IN_VALUES)
        FUZZ_CHECK(!memchr(r->bytes, '\n', r->len), "a value record spans lines");
    s->next_offset = r->offset + r->len;
    s->count++;
    /* what the command does next */
    static ag_list_storage st;
    ag_challenge_list l;
    ag_challenge_list_init(&l, &st);
    for (int p = 0; p < 2; p++)
        if (ag_parse(fuzz_profiles[p], r->is_header ? AG_INPUT_HEADER : AG_INPUT_VALUE, r->bytes,
                     r->len, &l, NULL) == AG_OK) {
            ag_warning w[32];
            ag_check_list(&l, w, 32);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const in_mode modes[] = {IN_HEADERS, IN_MESSAGE, IN_VALUES, IN_RAW};
    if (!size)
        return 0; /* fmemopen refuses an empty buffer */
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        char *copy = fuzz_copy(data, size); /* fmemopen wants it writable */
        FILE *f = fmemopen(copy, size, "r");
        FUZZ_CHECK(f != NULL, "fmemopen");
        seen s = {(const char *)data, size, 0, 0, modes[m]};
        FUZZ_CHECK(read_records(f, "fuzz", modes[m], on_record, &s) == 0, "read error");
        fclose(f);
        free(copy);
        FUZZ_CHECK(modes[m] != IN_RAW || s.count == 1, "raw mode: %zu records", s.count);
    }
    return 0;
}
