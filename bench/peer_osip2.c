/* SPDX-License-Identifier: MIT */
/* authgram-bench contender: oSIP2 (libosip2-dev), built when pkg-config finds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#include <osipparser2/osip_parser.h>

static long osip_parse_op(size_t i)
{
    osip_www_authenticate_t *h = NULL;
    if (osip_www_authenticate_init(&h) != 0)
        return -1;
    int rc = osip_www_authenticate_parse(h, corpus[i].v);
    if (rc == 0) {
        const char *realm = osip_www_authenticate_get_realm(h);
        bench_sink += realm ? (unsigned char)realm[0] : 0;
    }
    osip_www_authenticate_free(h);
    return rc == 0 ? (long)corpus[i].n : -1;
}

static osip_www_authenticate_t **osip_pre;

static int osip_setup(void)
{
    osip_pre = calloc(ncorpus, sizeof *osip_pre);
    if (!osip_pre)
        return -1;
    for (size_t i = 0; i < ncorpus; i++)
        if (osip_www_authenticate_init(&osip_pre[i]) != 0 || osip_www_authenticate_parse(osip_pre[i], corpus[i].v) != 0) {
            osip_www_authenticate_free(osip_pre[i]);
            osip_pre[i] = NULL;
        }
    return 0;
}

static long osip_serialize_op(size_t i)
{
    char *s = NULL;
    if (!osip_pre[i] || osip_www_authenticate_to_str(osip_pre[i], &s) != 0 || !s)
        return -1;
    size_t n = strlen(s);
    bench_sink += (unsigned char)s[n / 2];
    osip_free(s);
    return (long)n;
}

const bench_op *bench_peer_osip2(size_t *n)
{
    static const bench_op ops[] = {
        {"osip2 parse", BENCH_READ, 0, NULL, osip_parse_op},
        {"osip2 serialize", BENCH_WRITE, 0, osip_setup, osip_serialize_op},
    };
    *n = sizeof ops / sizeof *ops;
    return ops;
}
