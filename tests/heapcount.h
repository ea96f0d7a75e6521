/* SPDX-License-Identifier: MIT */
/* Counting heap calls: malloc, calloc, realloc and free interposed over
 * glibc's (tests/heapcount.c), counted while armed.  Shared by
 * test_noalloc (any call fails it) and bench/ (allocations per operation). */
#ifndef AG_TEST_HEAPCOUNT_H
#define AG_TEST_HEAPCOUNT_H

extern int heapcount_armed;
extern unsigned long heapcount_calls;

#endif
