/* SPDX-License-Identifier: MIT */
/* authgram build: one challenge from the builder, every field checked
 * against the grammar first. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

static const char usage_build[] =
    "usage: authgram build digest|basic [OPTIONS]\n"
    "\n"
    "Writes one challenge; every field is checked against the grammar first.\n"
    "\n"
    "  --realm R              (digest and basic: required)\n"
    "  --nonce N              (digest: required)\n"
    "  --opaque O\n"
    "  --algorithm A          any token, e.g. MD5, SHA-256, AKAv1-MD5\n"
    "  --qop Q                repeatable: qop=\"auth,auth-int\"\n"
    "  --stale true|false\n"
    "  --domain URI           repeatable: domain=\"URI URI\"\n"
    "  --userhash true|false  RFC 7616\n"
    "  --charset C            RFC 7616, e.g. UTF-8\n"
    "  --profile sip|http     the grammar the challenge is checked against (default sip)\n"
    "  --param NAME=VALUE     repeatable: an extension parameter, quoted value\n"
    "  --token-param NAME=VALUE  repeatable: the same with a token value\n"
    "  --www                  WWW-Authenticate instead of Proxy-Authenticate\n"
    "  --header               the whole header line (ending in CRLF), not the value\n"
    "\n"
    "A refused argument is reported on standard error with the field and the ABNF\n"
    "rule; nothing is written to standard output and the exit status is 2.\n";

static int build_refused(const ag_field_error *e)
{
    char msg[512];
    ag_field_error_format(e, msg, sizeof msg);
    fprintf(stderr, "%s: build: refused: %s\n", cli_prog, msg);
    return 2;
}

/* The build option a --param NAME sets (without its "--"), or NULL: the
 * library decides which names are dedicated (ag_builder_param refuses
 * them); this only says which of the options below writes one. */
static const char *own_option(const char *name, size_t n)
{
    static const char *const own[] = {"realm", "nonce", "opaque", "algorithm", "qop",
                                      "stale", "domain", "userhash", "charset"};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++)
        if (strlen(own[i]) == n && !strncasecmp(own[i], name, n))
            return own[i];
    return NULL;
}

static int bool_arg(const char *opt, const char *v, int *out)
{
    if (!strcmp(v, "true"))
        *out = 1;
    else if (!strcmp(v, "false"))
        *out = 0;
    else {
        usage_error("build", "%s: expected true or false", opt);
        return -1;
    }
    return 0;
}

int cmd_build(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage_build, stdout);
        return 0;
    }
    if (argc < 2 || (strcmp(argv[1], "digest") != 0 && strcmp(argv[1], "basic") != 0))
        return usage_error("build", "%s", "expected 'digest' or 'basic'");
    int digest = !strcmp(argv[1], "digest");
    const char *realm = NULL, *nonce = NULL, *opaque = NULL, *algorithm = NULL, *charset = NULL;
    int stale = -1, userhash = -1, www = 0, header = 0;
    ag_profile profile = AG_PROFILE_SIP;
    /* repeatable options, in the order given */
    typedef struct item {
        char kind; /* q qop, d domain, p param, t token-param */
        const char *v, *opt;
    } item;
    int nlist = 0;
    item *list = calloc((size_t)argc, sizeof *list);
    if (!list) {
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        return 2;
    }
    int rc = 0;
    for (int i = 2; i < argc && !rc; i++) {
        const char *a = argv[i], *v = NULL;
        int k = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_build, stdout);
            free(list);
            return 0;
        }
        if (!strcmp(a, "--www"))
            www = 1;
        else if (!strcmp(a, "--header"))
            header = 1;
        else if ((k = opt_value(argc, argv, &i, "--realm", &v)) > 0)
            realm = v;
        else if (!k && (k = opt_value(argc, argv, &i, "--nonce", &v)) > 0)
            nonce = v;
        else if (!k && (k = opt_value(argc, argv, &i, "--opaque", &v)) > 0)
            opaque = v;
        else if (!k && (k = opt_value(argc, argv, &i, "--algorithm", &v)) > 0)
            algorithm = v;
        else if (!k && (k = opt_value(argc, argv, &i, "--charset", &v)) > 0)
            charset = v;
        else if (!k && (k = opt_value(argc, argv, &i, "--profile", &v)) > 0)
            rc = opt_profile("build", v, &profile);
        else if (!k && (k = opt_value(argc, argv, &i, "--stale", &v)) > 0)
            rc = bool_arg("--stale", v, &stale) ? 2 : 0;
        else if (!k && (k = opt_value(argc, argv, &i, "--userhash", &v)) > 0)
            rc = bool_arg("--userhash", v, &userhash) ? 2 : 0;
        else if (!k) {
            static const struct {
                const char *opt;
                char kind;
            } lists[] = {{"--qop", 'q'}, {"--domain", 'd'}, {"--param", 'p'}, {"--token-param", 't'}};
            for (size_t j = 0; j < 4 && !k; j++)
                if ((k = opt_value(argc, argv, &i, lists[j].opt, &v)) > 0) {
                    list[nlist++] = (item){lists[j].kind, v, lists[j].opt};
                    if ((lists[j].kind == 'p' || lists[j].kind == 't') && !strchr(v, '='))
                        rc = usage_error("build", "%s '%s': expected NAME=VALUE", lists[j].opt, v);
                }
        }
        if (!rc && k < 0)
            rc = usage_error("build", "option '%s' needs a value", a);
        else if (!rc && !k && strcmp(a, "--www") && strcmp(a, "--header"))
            rc = usage_error("build", "unknown option '%s'", a);
    }
    if (!rc && !realm)
        rc = usage_error("build", "%s", "--realm is required");
    if (!rc && digest && !nonce)
        rc = usage_error("build", "%s", "--nonce is required for digest");
    if (!rc && !digest && (nonce || opaque || algorithm || stale >= 0))
        rc = usage_error("build", "%s", "basic takes --realm and extension parameters only");
    if (rc) {
        free(list);
        return rc;
    }

    ag_builder b;
    ag_builder_init(&b);
    ag_builder_profile(&b, profile);
    ag_builder_challenge(&b, digest ? AG_SCHEME_DIGEST_TEXT : AG_SCHEME_BASIC_TEXT, AG_NTS);
    ag_builder_realm(&b, realm, AG_NTS);
    if (nonce)
        ag_builder_nonce(&b, nonce, AG_NTS);
    if (opaque)
        ag_builder_opaque(&b, opaque, AG_NTS);
    if (algorithm)
        ag_builder_algorithm(&b, algorithm, AG_NTS);
    /* the one-call builder's order: qop before stale before domain, then the rest */
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1 && stale >= 0)
            ag_builder_stale(&b, stale ? AG_STALE_TRUE : AG_STALE_FALSE);
        for (int j = 0; j < nlist; j++) {
            const item *it = &list[j];
            if (pass == 0 && it->kind == 'q')
                ag_builder_qop(&b, it->v, AG_NTS);
            else if (pass == 1 && it->kind == 'd')
                ag_builder_domain(&b, it->v, AG_NTS);
            else if (pass == 2 && (it->kind == 'p' || it->kind == 't')) {
                const char *eq = strchr(it->v, '='); /* checked with the options */
                size_t nl = (size_t)(eq - it->v);
                if (ag_builder_param(&b, it->v, nl, eq + 1, AG_NTS, it->kind == 'p') == AG_ERR_ARGUMENT &&
                    own_option(it->v, nl)) {
                    /* the library refused a dedicated name: say which option sets it */
                    rc = usage_error("build", "%s '%s': %.*s has its own option: use --%s", it->opt, it->v,
                                     (int)nl, it->v, own_option(it->v, nl));
                    free(list);
                    return rc;
                }
            }
        }
    }
    free(list);
    if (userhash >= 0)
        ag_builder_userhash(&b, userhash);
    if (charset)
        ag_builder_charset(&b, charset, AG_NTS);

    ag_form form = !header ? AG_FORM_VALUE : www ? AG_FORM_WWW_AUTHENTICATE : AG_FORM_PROXY_AUTHENTICATE;
    size_t len;
    ag_field_error e;
    ag_status st = ag_builder_finish(&b, form, NULL, 0, &len, &e);
    if (st != AG_ERR_SPACE)
        return build_refused(&e);
    char *out = malloc(len + 1);
    if (!out) {
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        return 2;
    }
    st = ag_builder_finish(&b, form, out, len + 1, &len, &e);
    if (st != AG_OK) {
        free(out);
        return build_refused(&e);
    }
    /* wire bytes: exact, but escaped on a terminal (a quoted-pair may carry ESC) */
    if (put_wire(stdout, out, len, isatty(fileno(stdout))))
        fprintf(stderr, "%s: build: control bytes escaped as \\xNN on a terminal; redirect standard output "
                        "for the exact bytes\n", cli_prog);
    if (form == AG_FORM_VALUE)
        putchar('\n');
    free(out);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "%s: standard output: %s\n", cli_prog, strerror(errno));
        return 2;
    }
    return 0;
}

