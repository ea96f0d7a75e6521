/* SPDX-License-Identifier: MIT */
/* A program outside the project that uses the installed libauthgram-digest
 * (see run.sh): computes and verifies the SHA-256 response of RFC 7616
 * section 3.9.1 and prints "digest RESPONSE verified". */
#include <stdio.h>
#include <string.h>

#include <authgram_digest.h>

static ag_span S(const char *s)
{
    ag_span r;
    r.ptr = s;
    r.len = strlen(s);
    return r;
}

int main(void)
{
    ag_digest_input in;
    memset(&in, 0, sizeof in);
    in.algorithm = AG_ALGORITHM_SHA_256;
    in.qop = AG_QOP_AUTH;
    in.username = S("Mufasa");
    in.realm = S("http-auth@example.org");
    in.password = S("Circle of Life");
    in.method = S("GET");
    in.uri = S("/dir/index.html");
    in.nonce = S("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v");
    in.cnonce = S("f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
    in.nc = S("00000001");
    char out[AG_DIGEST_HEX_MAX + 1];
    size_t len;
    ag_status rc = ag_digest_response(&in, out, sizeof out, &len);
    if (rc != AG_OK) {
        fprintf(stderr, "consumer_digest: %d\n", (int)rc);
        return 1;
    }
    rc = ag_digest_verify(&in, S(out));
    printf("digest %s %s\n", out, rc == AG_OK ? "verified" : "not verified");
    return rc == AG_OK ? 0 : 1;
}
