/* SPDX-License-Identifier: MIT */
/* See heapcount.h.  glibc's own entry points serve the calls, so nothing
 * has to be looked up before the first allocation. */
#include <stddef.h>

#include "heapcount.h"

int heapcount_armed;
unsigned long heapcount_calls;

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

void *malloc(size_t n);
void *calloc(size_t a, size_t b);
void *realloc(void *p, size_t n);
void free(void *p);

void *malloc(size_t n)
{
    heapcount_calls += heapcount_armed != 0;
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    heapcount_calls += heapcount_armed != 0;
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    heapcount_calls += heapcount_armed != 0;
    return __libc_realloc(p, n);
}

void free(void *p)
{
    heapcount_calls += heapcount_armed && p;
    __libc_free(p);
}
