/* SPDX-License-Identifier: MIT */
/* authgram-bench contender: belle-sip (libbellesip-dev), built when pkg-config finds it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static char out[8192];

#include <belle-sip/belle-sip.h>

/* belle-sip parses the whole header line: "Proxy-Authenticate: " + value
 * (its bytes are counted for it) */
static char **belle_lines;
static belle_sip_header_proxy_authenticate_t **belle_pre;

static int belle_setup(void)
{
    /* objects created here belong to this pool (else belle-sip warns) */
    belle_sip_set_log_level(BELLE_SIP_LOG_ERROR);
    belle_sip_object_pool_push();
    belle_lines = calloc(ncorpus, sizeof *belle_lines);
    belle_pre = calloc(ncorpus, sizeof *belle_pre);
    if (!belle_lines || !belle_pre)
        return -1;
    for (size_t i = 0; i < ncorpus; i++) {
        size_t n = strlen("Proxy-Authenticate: ") + corpus[i].n + 1;
        belle_lines[i] = malloc(n);
        if (!belle_lines[i])
            return -1;
        snprintf(belle_lines[i], n, "Proxy-Authenticate: %s", corpus[i].v);
        belle_pre[i] = belle_sip_header_proxy_authenticate_parse(belle_lines[i]);
        if (belle_pre[i])
            belle_sip_object_ref(belle_pre[i]);
    }
    return 0;
}

static long belle_parse_op(size_t i)
{
    belle_sip_header_proxy_authenticate_t *h = belle_sip_header_proxy_authenticate_parse(belle_lines[i]);
    if (!h)
        return -1;
    const char *realm = belle_sip_header_www_authenticate_get_realm(BELLE_SIP_HEADER_WWW_AUTHENTICATE(h));
    bench_sink += realm ? (unsigned char)realm[0] : 0;
    belle_sip_object_unref(h);
    return (long)strlen(belle_lines[i]);
}

static long belle_serialize_op(size_t i)
{
    if (!belle_pre[i])
        return -1;
    size_t off = 0;
    if (belle_sip_object_marshal(BELLE_SIP_OBJECT(belle_pre[i]), out, sizeof out, &off) != BELLE_SIP_OK)
        return -1;
    bench_sink += (unsigned char)out[off / 2];
    return (long)off;
}

const bench_op *bench_peer_belle(size_t *n)
{
    static const bench_op ops[] = {
        {"belle-sip parse", BENCH_READ, 0, belle_setup, belle_parse_op},
        {"belle-sip serialize", BENCH_WRITE, 0, NULL, belle_serialize_op},
    };
    *n = sizeof ops / sizeof *ops;
    return ops;
}
