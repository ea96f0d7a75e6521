/* SPDX-License-Identifier: MIT */
/* authgram-bench: the contenders' common shape (bench/bench.c runs them). */
#ifndef AG_BENCH_H
#define AG_BENCH_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_value {
    const char *v; /* NUL-terminated (some peers want C strings) */
    size_t n;
} bench_value;

extern bench_value *corpus;
extern size_t ncorpus;
/* every result is folded into it, so that no work can be optimized away */
extern volatile uint64_t bench_sink;

/* Kinds of operation: a contender is compared with ours of the same kind. */
enum { BENCH_READ, BENCH_WRITE, BENCH_KINDS };

typedef struct bench_op {
    const char *name;   /* "authgram parse", "osip2 parse", ... */
    int kind;           /* BENCH_READ: bytes in; BENCH_WRITE: bytes out */
    int ours;           /* the reference of its kind (the first one marked) */
    int (*setup)(void); /* after the corpus is loaded; 0 = ready */
    long (*run)(size_t i); /* one value: bytes handled, or -1 if refused */
} bench_op;

/* All contenders built in (bench/ops.c). */
const bench_op *bench_ops(size_t *n);

/* The peers' contenders (bench/peer_*.c), each built when found. */
const bench_op *bench_peer_osip2(size_t *n);
const bench_op *bench_peer_sofia(size_t *n);
const bench_op *bench_peer_belle(size_t *n);
const bench_op *bench_peer_libre(size_t *n);

/* Lines about absent peers etc. (bench/ops.c). */
void bench_notes(void);

#endif
