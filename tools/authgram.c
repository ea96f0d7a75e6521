/* authgram: command-line front end of the library.
 *
 *   authgram parse [--header] [FILE...]
 *
 * Reads one header value per line (or, with --header, one header line per
 * line) and prints the typed fields of each, or the diagnostic of the first
 * error.  Exit status: 0 all lines conform, 1 some do not, 2 usage or I/O. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authgram.h"

static void usage(FILE *f)
{
    fputs("usage: authgram parse [--header] [FILE...]\n"
          "\n"
          "Parses one Proxy-Authenticate/WWW-Authenticate value per line (with\n"
          "--header: one whole header line per line) and prints its fields.\n"
          "Without FILE, or with '-', reads standard input.\n",
          f);
}

static void print_span(const char *label, ag_span s)
{
    if (s.ptr)
        printf("  %-10s %.*s\n", label, AG_SPAN_ARGS(s));
}

static const char *kind_name(ag_param_kind k)
{
    static const char *const names[] = {"auth-param", "realm", "domain", "nonce", "opaque",
                                        "stale", "algorithm", "qop-options"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static int parse_line(const char *name, unsigned long lineno, const char *line, size_t len, int header)
{
    ag_challenge_storage st;
    ag_challenge c;
    ag_diag d;
    ag_challenge_init(&c, &st);
    ag_status rc = header ? ag_parse_header(line, len, &c, &d) : ag_parse_value(line, len, &c, &d);
    if (rc != AG_OK) {
        char msg[256];
        if (rc == AG_ERR_SYNTAX)
            ag_diag_format(&d, msg, sizeof msg);
        else
            snprintf(msg, sizeof msg, "%s", ag_strerror(rc));
        printf("%s:%lu: error: %s\n", name, lineno, msg);
        return 1;
    }
    printf("%s:%lu: %s challenge\n", name, lineno,
           c.header == AG_HEADER_PROXY_AUTHENTICATE ? "Proxy-Authenticate"
           : c.header == AG_HEADER_WWW_AUTHENTICATE ? "WWW-Authenticate"
                                                    : "valid");
    print_span("scheme", c.scheme);
    print_span("realm", c.realm);
    print_span("nonce", c.nonce);
    print_span("opaque", c.opaque);
    print_span("algorithm", c.algorithm_raw);
    if (c.stale != AG_STALE_UNSET)
        printf("  %-10s %s\n", "stale", c.stale == AG_STALE_TRUE ? "true" : "false");
    for (size_t i = 0; i < c.qop_count; i++)
        printf("  %-10s %.*s\n", "qop", AG_SPAN_ARGS(c.qop[i].raw));
    for (size_t i = 0; i < c.domain_count; i++)
        printf("  %-10s %.*s\n", "domain", AG_SPAN_ARGS(c.domain[i]));
    for (size_t i = 0; i < c.param_count; i++)
        printf("  param      %.*s = %s%.*s%s  [%s]\n", AG_SPAN_ARGS(c.params[i].name),
               c.params[i].quoted ? "\"" : "", AG_SPAN_ARGS(c.params[i].value),
               c.params[i].quoted ? "\"" : "", kind_name(c.params[i].kind));
    ag_warning w[32];
    size_t nw = ag_check(&c, w, 32);
    for (size_t i = 0; i < nw && i < 32; i++)
        printf("  warning    offset %zu: %s [%s] (%s)\n", w[i].offset, ag_warning_message(w[i].id),
               ag_warning_name(w[i].id), ag_warning_rfc(w[i].id));
    return 0;
}

static int parse_stream(const char *name, FILE *f, int header, int *failed)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\n')
            len--;
        if (len && line[len - 1] == '\r')
            len--;
        if (len == 0)
            continue;
        *failed |= parse_line(name, lineno, line, len, header);
    }
    int err = ferror(f);
    free(line);
    return err;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("authgram %s\n", ag_version());
        return 0;
    }
    if (strcmp(argv[1], "parse") != 0) {
        fprintf(stderr, "authgram: unknown command '%s'\n", argv[1]);
        usage(stderr);
        return 2;
    }
    int header = 0, failed = 0, files = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--header")) {
            header = 1;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "authgram: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--header"))
            continue;
        files++;
        FILE *f = strcmp(argv[i], "-") ? fopen(argv[i], "rb") : stdin;
        if (!f) {
            fprintf(stderr, "authgram: %s: %s\n", argv[i], strerror(errno));
            return 2;
        }
        int err = parse_stream(argv[i], f, header, &failed);
        if (f != stdin)
            fclose(f);
        if (err) {
            fprintf(stderr, "authgram: %s: read error\n", argv[i]);
            return 2;
        }
    }
    if (!files && parse_stream("<stdin>", stdin, header, &failed)) {
        fprintf(stderr, "authgram: <stdin>: read error\n");
        return 2;
    }
    return failed ? 1 : 0;
}
