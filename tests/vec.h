/* SPDX-License-Identifier: MIT */
/* Reader of the test vector files (tests/vectors/README.md). */
#ifndef AG_TEST_VEC_H
#define AG_TEST_VEC_H

#include <stddef.h>

typedef struct vec_kv {
    char *key;
    char *val;   /* unescaped */
    size_t len;
    int line;
} vec_kv;

typedef struct vec_case {
    const char *file;
    int line;        /* of the "##" line */
    char *name;
    char *input;     /* unescaped, may contain NUL */
    size_t input_len;
    vec_kv *kv;      /* every other key, in order */
    size_t nkv;
} vec_case;

/* Reads every case of a file; returns the number of cases (0 on error, with
 * a message on stderr). */
size_t vec_read(const char *path, vec_case **out);

/* Frees what vec_read returned. */
void vec_free(vec_case *cases, size_t n);

/* The first value of key, or NULL; *len gets its length. */
const char *vec_get(const vec_case *c, const char *key, size_t *len);

/* Unescapes \r \n \t \\ \" \xHH \s into a new buffer. */
char *vec_unescape(const char *s, size_t *len);

/* The byte output buffers are filled with before a call, to show that the
 * call wrote nothing where it must not: 1 if buf[from, to) still holds it. */
#define VEC_SENTINEL ((char)0xA5)
int vec_untouched(const char *buf, size_t from, size_t to);

/* Escapes bytes for messages (static buffer, truncated). */
const char *vec_show(const char *s, size_t len);

#endif
