/* SPDX-License-Identifier: MIT */
/* authgram-bench: our parser, checks, serializer and builder against the
 * peers found at build time (oSIP2, sofia-sip, belle-sip, libre), the floor
 * (the action-less Ragel -G2 recognizer gen/ makes from our own grammar) and
 * the bound (memchr over the same bytes).  See bench/README.md.
 *
 *   authgram-bench [--rounds N] [--ms M] [--corpus FILE]
 *   authgram-bench --callgrind NAME [--corpus FILE]   (under callgrind; bench/run)
 *   authgram-bench --list
 *
 * Honesty: every contender runs over the same values, in the same process,
 * interleaved round by round (so a frequency or cache change hits all of
 * them alike); each operation's result feeds a checksum that is printed, so
 * no work can be optimized away; a value a contender refuses is reported and
 * its bytes are not counted; medians over the rounds and the spread. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <valgrind/callgrind.h>

#include "bench.h"
#include "heapcount.h"

/* ---- the corpus ----------------------------------------------------------------- */

bench_value *corpus;
size_t ncorpus;
volatile uint64_t bench_sink;

static int load_corpus(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "authgram-bench: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    size_t vcap = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n == 0 || line[0] == '#')
            continue;
        if (ncorpus == vcap) {
            vcap = vcap ? 2 * vcap : 64;
            corpus = realloc(corpus, vcap * sizeof *corpus);
            if (!corpus)
                return -1;
        }
        char *v = malloc((size_t)n + 1);
        if (!v)
            return -1;
        memcpy(v, line, (size_t)n);
        v[n] = 0;
        corpus[ncorpus].v = v;
        corpus[ncorpus].n = (size_t)n;
        ncorpus++;
    }
    free(line);
    fclose(f);
    return ncorpus ? 0 : -1;
}

/* ---- measuring ------------------------------------------------------------------ */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* One pass over the corpus: the bytes of the values the contender handled
 * (input bytes for readers, output bytes for writers); refused ones are not
 * counted. */
static uint64_t pass(const bench_op *op, size_t *ok)
{
    uint64_t bytes = 0;
    size_t good = 0;
    for (size_t i = 0; i < ncorpus; i++) {
        long r = op->run(i);
        if (r >= 0) {
            bytes += (uint64_t)r;
            good++;
        }
    }
    if (ok)
        *ok = good;
    return bytes;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct result {
    const bench_op *op;
    size_t accepted;
    uint64_t bytes_per_pass;
    size_t reps;
    double *mbs, *hps; /* per round */
    double allocs;     /* heap calls per value handled */
} result;

static void usage(void)
{
    fputs("usage: authgram-bench [--rounds N] [--ms M] [--corpus FILE] [--only NAME]\n"
          "       authgram-bench --callgrind NAME [--corpus FILE]\n"
          "       authgram-bench --list\n",
          stderr);
}

int main(int argc, char **argv)
{
    const char *corpus_path = BENCH_CORPUS, *callgrind = NULL, *only = NULL;
    int rounds = 15, list = 0;
    double ms = 40;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--ms") && i + 1 < argc)
            ms = atof(argv[++i]);
        else if (!strcmp(argv[i], "--corpus") && i + 1 < argc)
            corpus_path = argv[++i];
        else if (!strcmp(argv[i], "--callgrind") && i + 1 < argc)
            callgrind = argv[++i];
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            only = argv[++i];
        else if (!strcmp(argv[i], "--list"))
            list = 1;
        else {
            usage();
            return 2;
        }
    }
    if (rounds < 1 || ms <= 0) {
        usage();
        return 2;
    }
    if (load_corpus(corpus_path) < 0) {
        fprintf(stderr, "authgram-bench: no values in %s\n", corpus_path);
        return 2;
    }
    size_t nops = 0;
    const bench_op *ops = bench_ops(&nops);
    for (size_t k = 0; k < nops; k++)
        if (ops[k].setup && ops[k].setup() != 0) {
            fprintf(stderr, "authgram-bench: %s: setup failed\n", ops[k].name);
            return 2;
        }
    if (list) {
        for (size_t k = 0; k < nops; k++)
            printf("%s\n", ops[k].name);
        return 0;
    }
    uint64_t corpus_bytes = 0;
    for (size_t i = 0; i < ncorpus; i++)
        corpus_bytes += corpus[i].n;

    if (callgrind) {
        /* one warm pass, then the measured passes with instrumentation on;
         * bench/run divides the instructions by the bytes printed here */
        for (size_t k = 0; k < nops; k++) {
            if (strcmp(ops[k].name, callgrind) != 0)
                continue;
            size_t ok;
            pass(&ops[k], &ok);
            const int reps = 20;
            uint64_t bytes = 0;
            CALLGRIND_ZERO_STATS;
            CALLGRIND_START_INSTRUMENTATION;
            for (int r = 0; r < reps; r++)
                bytes += pass(&ops[k], NULL);
            CALLGRIND_STOP_INSTRUMENTATION;
            CALLGRIND_DUMP_STATS_AT("bench");
            printf("bytes %llu values %zu accepted %zu reps %d sink %llu\n", (unsigned long long)bytes,
                   ncorpus, ok, reps, (unsigned long long)bench_sink);
            return 0;
        }
        fprintf(stderr, "authgram-bench: no contender '%s' (see --list)\n", callgrind);
        return 2;
    }

    result *res = calloc(nops, sizeof *res);
    size_t nres = 0;
    for (size_t k = 0; k < nops; k++) {
        if (only && !strstr(ops[k].name, only))
            continue;
        result *r = &res[nres++];
        r->op = &ops[k];
        /* warm-up, acceptance and heap calls in one pass */
        heapcount_calls = 0;
        heapcount_armed = 1;
        r->bytes_per_pass = pass(&ops[k], &r->accepted);
        heapcount_armed = 0;
        r->allocs = r->accepted ? (double)heapcount_calls / (double)r->accepted : 0;
        /* repetitions so that one measurement takes about ms milliseconds */
        double t0 = now_s();
        size_t reps = 0;
        while (now_s() - t0 < ms * 1e-3 / 4 || reps < 1) {
            pass(&ops[k], NULL);
            reps++;
        }
        r->reps = reps * 4;
        r->mbs = calloc((size_t)rounds, sizeof *r->mbs);
        r->hps = calloc((size_t)rounds, sizeof *r->hps);
    }
    for (int round = 0; round < rounds; round++)
        for (size_t k = 0; k < nres; k++) {
            result *r = &res[k];
            double t0 = now_s();
            for (size_t i = 0; i < r->reps; i++)
                pass(r->op, NULL);
            double dt = now_s() - t0;
            r->mbs[round] = (double)r->bytes_per_pass * (double)r->reps / dt / 1e6;
            r->hps[round] = (double)r->accepted * (double)r->reps / dt;
        }

    printf("corpus %s: %zu values, %llu bytes; %d rounds of ~%.0f ms per contender, interleaved\n",
           corpus_path, ncorpus, (unsigned long long)corpus_bytes, rounds, ms);
    printf("%-28s %9s %9s %13s %8s %11s %9s\n", "contender", "accepted", "MB/s", "headers/s", "spread",
           "vs ours", "allocs/op");
    double ours[BENCH_KINDS] = {0};
    for (size_t k = 0; k < nres; k++) {
        result *r = &res[k];
        qsort(r->mbs, (size_t)rounds, sizeof *r->mbs, cmp_double);
        qsort(r->hps, (size_t)rounds, sizeof *r->hps, cmp_double);
        if (r->op->ours)
            if (!ours[r->op->kind])
                ours[r->op->kind] = r->hps[rounds / 2];
    }
    for (size_t k = 0; k < nres; k++) {
        result *r = &res[k];
        double med = r->mbs[rounds / 2], hmed = r->hps[rounds / 2];
        double spread = med > 0 ? (r->mbs[rounds - 1] - r->mbs[0]) / med * 100 : 0;
        char ratio[32] = "-";
        if (ours[r->op->kind] > 0 && hmed > 0)
            snprintf(ratio, sizeof ratio, "%.2fx", ours[r->op->kind] / hmed);
        char acc[32];
        snprintf(acc, sizeof acc, "%zu/%zu", r->accepted, ncorpus);
        printf("%-28s %9s %9.1f %13.0f %7.1f%% %11s %9.1f\n", r->op->name, acc, med, hmed, spread, ratio,
               r->allocs);
    }
    printf("(vs ours: our headers/s over the contender's for the same kind of operation, medians;\n"
           " spread: (max - min) / median of MB/s over the rounds; checksum %llu)\n",
           (unsigned long long)bench_sink);
    for (size_t k = 0; k < nres; k++)
        if (res[k].accepted < ncorpus && res[k].op->kind != BENCH_WRITE)
            printf("note: %s refused %zu of the %zu values (they conform to RFC 3261)\n", res[k].op->name,
                   ncorpus - res[k].accepted, ncorpus);
    bench_notes();
    return 0;
}
