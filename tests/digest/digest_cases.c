/* SPDX-License-Identifier: MIT */
/* Driver of tests/digest/crosscheck.py: reads cases from stdin, one per
 * line, tab-separated:
 *   algorithm qop username realm password ha1 method uri nonce cnonce nc body expected
 * algorithm is the token as a challenge carries it ("-" for none; the
 * library's parser maps it, as a client would), qop is none, auth or
 * auth-int, the others are hex-encoded bytes ("-" for absent, "=" for
 * empty).  Prints per
 * case: the response (or the status name), the status of verifying the
 * expected value, and of verifying it with its last digit changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authgram_digest.h"

static char pool[1 << 16];
static size_t used;

static ag_span unhex(const char *s)
{
    if (!strcmp(s, "-"))
        return (ag_span){NULL, 0};
    if (!strcmp(s, "=")) /* present and empty */
        s = "";
    size_t n = strlen(s) / 2;
    if (used + n + 1 > sizeof pool)
        exit(2);
    char *d = pool + used;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
            exit(2);
        d[i] = (char)v;
    }
    d[n] = 0;
    used += n + 1;
    return (ag_span){d, n};
}

static ag_algorithm algorithm_of(const char *token)
{
    if (!strcmp(token, "-"))
        return AG_ALGORITHM_NONE;
    char v[256];
    snprintf(v, sizeof v, "Digest realm=\"r\", nonce=\"n\", algorithm=%s", token);
    ag_challenge_storage st;
    ag_challenge c;
    ag_challenge_init(&c, &st);
    if (ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, v, strlen(v), &c, NULL) != AG_OK)
        exit(3);
    return c.algorithm;
}

int main(void)
{
    char line[1 << 15];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        char *f[13];
        size_t n = 0;
        for (char *t = strtok(line, "\t"); t && n < 13; t = strtok(NULL, "\t"))
            f[n++] = t;
        if (n != 13)
            return 2;
        used = 0;
        ag_digest_input in = {0};
        in.algorithm = algorithm_of(f[0]);
        in.qop = !strcmp(f[1], "auth") ? AG_QOP_AUTH
                 : !strcmp(f[1], "auth-int") ? AG_QOP_AUTH_INT : AG_QOP_NONE;
        ag_span *dst[] = {&in.username, &in.realm, &in.password, &in.ha1, &in.method,
                          &in.uri, &in.nonce, &in.cnonce, &in.nc, &in.body};
        for (size_t i = 0; i < 10; i++)
            *dst[i] = unhex(f[2 + i]);
        char out[AG_DIGEST_HEX_MAX + 1];
        ag_status rc = ag_digest_response(&in, out, sizeof out, NULL);
        char *want = f[12];
        ag_status v1 = ag_digest_verify(&in, (ag_span){want, strlen(want)});
        size_t last = strlen(want) - 1;
        want[last] = want[last] == '0' ? '1' : '0';
        ag_status v2 = ag_digest_verify(&in, (ag_span){want, strlen(want)});
        printf("%s %s %s\n", rc == AG_OK ? out : ag_status_name(rc), ag_status_name(v1), ag_status_name(v2));
    }
    return 0;
}
