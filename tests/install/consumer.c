/* SPDX-License-Identifier: MIT */
/* A program outside the project, built against an installed authgram (see
 * run.sh): it includes <authgram.h> from the installed include directory,
 * links the installed library and uses only the public API.
 *
 * Prints, for run.sh to compare:
 *   version VERSION
 *   parse Digest realm=REALM nonce=NONCE qop=QOP,QOP
 *   build HEADER-LINE (without its CRLF)
 *   reparse ok
 * Exit status 0 on success, 1 on any mismatch. */
#include <stdio.h>
#include <string.h>

#include <authgram.h>

static int fail(const char *what, ag_status rc)
{
    fprintf(stderr, "consumer: %s: %s (%s)\n", what, ag_status_name(rc), ag_strerror(rc));
    return 1;
}

int main(void)
{
    /* the header compiled against and the library linked must agree */
    if (strcmp(ag_version(), AG_VERSION_STRING) != 0) {
        fprintf(stderr, "consumer: library %s, header %s\n", ag_version(), AG_VERSION_STRING);
        return 1;
    }
    printf("version %s\n", ag_version());

    static const char value[] = "Digest realm=\"atlanta.com\", nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", "
                                "qop=\"auth,auth-int\", algorithm=MD5";
    ag_challenge_storage st;
    ag_challenge c;
    ag_diag d;
    ag_challenge_init(&c, &st);
    ag_status rc = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, value, sizeof value - 1, &c, &d);
    if (rc != AG_OK) {
        char msg[256];
        ag_diag_format(&d, msg, sizeof msg);
        fprintf(stderr, "consumer: %s\n", msg);
        return fail("ag_parse_challenge", rc);
    }
    if (c.qop_count != 2 || c.algorithm != AG_ALGORITHM_MD5) {
        fprintf(stderr, "consumer: parsed %zu qop values, algorithm %d\n", c.qop_count, (int)c.algorithm);
        return 1;
    }
    printf("parse %.*s realm=%.*s nonce=%.*s qop=%.*s,%.*s\n", AG_SPAN_ARGS(c.scheme), AG_SPAN_ARGS(c.realm),
           AG_SPAN_ARGS(c.nonce), AG_SPAN_ARGS(c.qop[0].raw), AG_SPAN_ARGS(c.qop[1].raw));

    static const char *const qop[] = {"auth", "auth-int"};
    static const char *const domain[] = {"sip:example.org", "sip:ss1.example.org"};
    char buf[512];
    size_t len = 0;
    ag_field_error err;
    rc = ag_proxy_authenticate_digest(buf, sizeof buf, &len, &err, "example.org", "abc", NULL, "SHA-256",
                                      qop, 2, AG_STALE_TRUE, domain, 2);
    if (rc != AG_OK) {
        char msg[256];
        if (rc == AG_ERR_FIELD) {
            ag_field_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "consumer: %s\n", msg);
        }
        return fail("ag_proxy_authenticate_digest", rc);
    }
    static const char name[] = "Proxy-Authenticate: ";
    if (len < sizeof name + 1 || strncmp(buf, name, sizeof name - 1) != 0 ||
        strcmp(buf + len - 2, "\r\n") != 0 || strlen(buf) != len) {
        fprintf(stderr, "consumer: unexpected header line (%zu bytes): %s\n", len, buf);
        return 1;
    }
    printf("build %.*s\n", (int)(len - 2), buf);

    /* what the builder writes parses back to what it was given */
    ag_challenge_init(&c, &st);
    rc = ag_parse_challenge(AG_PROFILE_SIP, AG_INPUT_VALUE, buf + sizeof name - 1, len - 2 - (sizeof name - 1), &c, &d);
    if (rc != AG_OK)
        return fail("ag_parse_challenge of the built value", rc);
    if (c.stale != AG_STALE_TRUE || c.algorithm != AG_ALGORITHM_SHA_256 || c.qop_count != 2 ||
        c.domain_count != 2 || c.realm.len != 11 || memcmp(c.realm.ptr, "example.org", 11) != 0) {
        fprintf(stderr, "consumer: the built value does not parse back to its fields\n");
        return 1;
    }
    printf("reparse ok\n");
    return 0;
}
