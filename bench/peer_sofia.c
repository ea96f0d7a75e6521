/* SPDX-License-Identifier: MIT */
/* authgram-bench contender: sofia-sip (libsofia-sip-ua-dev), built when pkg-config finds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static char out[8192];

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/su_alloc.h>

static long sofia_parse_op(size_t i)
{
    su_home_t home[1] = {SU_HOME_INIT(home)};
    sip_proxy_authenticate_t *h = sip_proxy_authenticate_make(home, corpus[i].v);
    long r = -1;
    if (h && h->au_scheme) {
        bench_sink += (unsigned char)h->au_scheme[0] + (h->au_params ? 1 : 0);
        r = (long)corpus[i].n;
    }
    su_home_deinit(home);
    return r;
}

static su_home_t sofia_home[1] = {SU_HOME_INIT(sofia_home)};
static sip_proxy_authenticate_t **sofia_pre;

static int sofia_setup(void)
{
    sofia_pre = calloc(ncorpus, sizeof *sofia_pre);
    if (!sofia_pre)
        return -1;
    for (size_t i = 0; i < ncorpus; i++)
        sofia_pre[i] = sip_proxy_authenticate_make(sofia_home, corpus[i].v);
    return 0;
}

static long sofia_serialize_op(size_t i)
{
    if (!sofia_pre[i])
        return -1;
    issize_t n = msg_header_e(out, sizeof out, (msg_header_t const *)sofia_pre[i], 0);
    if (n <= 0 || (size_t)n >= sizeof out)
        return -1;
    bench_sink += (unsigned char)out[n / 2];
    return (long)n;
}

const bench_op *bench_peer_sofia(size_t *n)
{
    static const bench_op ops[] = {
        {"sofia-sip parse", BENCH_READ, 0, NULL, sofia_parse_op},
        {"sofia-sip serialize", BENCH_WRITE, 0, sofia_setup, sofia_serialize_op},
    };
    *n = sizeof ops / sizeof *ops;
    return ops;
}
