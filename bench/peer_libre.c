/* SPDX-License-Identifier: MIT */
/* authgram-bench contender: libre (libre-dev), built when pkg-config finds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#include <re.h>

static long libre_parse_op(size_t i)
{
    struct httpauth_digest_chall ch;
    struct pl hval;
    pl_set_str(&hval, corpus[i].v);
    if (httpauth_digest_challenge_decode(&ch, &hval) != 0)
        return -1;
    bench_sink += ch.realm.l + ch.nonce.l;
    return (long)corpus[i].n;
}

const bench_op *bench_peer_libre(size_t *n)
{
    static const bench_op ops[] = {
        {"libre parse (digest only)", BENCH_READ, 0, NULL, libre_parse_op},
    };
    *n = sizeof ops / sizeof *ops;
    return ops;
}
