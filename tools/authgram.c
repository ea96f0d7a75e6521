/* SPDX-License-Identifier: MIT */
/* authgram: the command-line front end of the library.
 *
 *   authgram check [OPTIONS] [FILE...]   conformance of captured challenges
 *   authgram parse [OPTIONS] [FILE...]   their typed fields
 *   authgram canon [OPTIONS] [FILE...]   their canonical serialization
 *   authgram build digest|basic [...]    a challenge from the builder
 *   authgram digest [OPTIONS] [FILE...]  the response to a challenge (cmd_digest.c)
 *
 * Exit status: 0 everything conforms, 1 something does not, 2 usage or I/O
 * error, 3 no header found to check (check, parse, canon; --allow-empty
 * makes that 0).  See docs/authgram.1. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

static const char *prog = "authgram";

/* ---- usage ------------------------------------------------------------------ */

static const char usage_main[] =
    "usage: authgram COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "Strict checker, parser, canonicalizer and builder of SIP and HTTP\n"
    "authentication headers: Proxy-Authenticate and WWW-Authenticate challenges,\n"
    "Proxy-Authorization and Authorization credentials (sip: RFC 3261 section\n"
    "25.1, RFC 3310, 4169, 8760; http: RFC 7235, 7616, 7617), and the Digest\n"
    "answer to a challenge.\n"
    "\n"
    "commands:\n"
    "  check   report, per header, the first byte that breaks an ABNF rule and\n"
    "          the warnings of the RFCs' prose rules\n"
    "  parse   print the typed fields of each header\n"
    "  canon   print the canonical serialization of each valid header\n"
    "  build   write a challenge from the builder (digest or basic)\n"
    "  digest  choose the challenge to answer and compute the digest response\n"
    "\n"
    "'authgram COMMAND --help' shows a command's options; 'authgram --version'.\n"
    "Exit status: 0 all conform, 1 some do not, 2 usage or I/O error, 3 no header\n"
    "found to check (check, parse, canon; unless --allow-empty).\n";

static const char usage_input[] =
    "input:\n"
    "  --input headers   lines of header fields (default): Proxy-Authenticate,\n"
    "                    WWW-Authenticate, Proxy-Authorization and Authorization\n"
    "                    fields are read, folds joined, other lines ignored\n"
    "  --input message   SIP (or HTTP/1.x) messages as in SIPp or Kamailio logs; lines\n"
    "                    outside messages ignored.  A body is skipped by its\n"
    "                    Content-Length (or l:); these are errors of the message\n"
    "                    and the run exits 1: a body past the end of the input, a\n"
    "                    second Content-Length that differs (the first is used), one\n"
    "                    that is not a number (no body assumed), and a start line\n"
    "                    inside a body (the body ends there; but message/* bodies,\n"
    "                    e.g. message/sipfrag, are skipped whole)\n"
    "  --input values    each line is one header value (empty lines skipped)\n"
    "  --raw             each FILE's exact bytes are one header value\n"
    "  --max-field-bytes N  a header field (folds included), value line or --raw\n"
    "                    FILE longer than N bytes is an error (field-too-long) and\n"
    "                    skipped (default 2097152); lines that are not read are\n"
    "                    skipped in constant memory, however long\n"
    "  --lenient         read the common deviations of real traffic (unquoted realm,\n"
    "                    doubled commas, ...) into the fields, each reported as a\n"
    "                    lenient-* warning; never what cannot be read one way\n"
    "  --profile sip|http  the grammar: sip (RFC 3261, default) or http (RFC 7235)\n"
    "  --credentials     values (--input values, --raw) are credentials\n"
    "                    (Authorization / Proxy-Authorization values); header lines\n"
    "                    say which they are.  --lenient applies to challenges only.\n"
    "  --allow-empty     an input with no header to check exits 0, not 3\n"
    "Without FILE, or with '-', standard input is read.\n";

static const char usage_check[] =
    "usage: authgram check [OPTIONS] [FILE...]\n"
    "\n"
    "Checks every challenge and credentials header against the ABNF (errors) and\n"
    "the RFCs' prose rules (warnings).  Text output is GCC-style,\n"
    "FILE:LINE:COL: error: ...\n"
    "\n"
    "  --format text|json   text (default), or one JSON object per header per line\n"
    "  --werror             warnings make a header fail\n"
    "  --quiet              print only the summary line\n";

static const char usage_parse[] =
    "usage: authgram parse [OPTIONS] [FILE...]\n"
    "\n"
    "Prints the typed fields of each challenge and credentials header (errors as\n"
    "'check' does).\n"
    "\n"
    "  --format text|json   text (default), or one JSON object per header per line\n";

static const char usage_canon[] =
    "usage: authgram canon [OPTIONS] [FILE...]\n"
    "\n"
    "Prints the canonical serialization of each valid challenge or credentials:\n"
    "header lines (ending in CRLF) for --input headers|message, bare values\n"
    "otherwise.\n"
    "Errors go to standard error.\n";

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

int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: %s%s", prog, cmd ? cmd : "", cmd ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s %s%s--help'.\n", prog, cmd ? cmd : "", cmd ? " " : "");
    return 2;
}

/* ---- options -------------------------------------------------------------------- */

int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != 0)
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

/* ---- check, parse, canon (the record handler is in output.c) -------------------- */

/* Whether a skipped line is a bare header value (challenges or
 * credentials with at least one parameter: "hello world" is an http
 * challenge too, with a token68), as the grammar says. */
static int is_bare_value(ag_profile profile, const input_note *n)
{
    static ag_list_storage ls;
    static ag_credentials_storage cs;
    ag_challenge_list l;
    ag_credentials c;
    ag_diag d;
    ag_challenge_list_init(&l, &ls);
    ag_credentials_init(&c, &cs);
    return (ag_parse(profile, AG_INPUT_VALUE, n->text, n->len, &l, &d) == AG_OK && l.param_count > 0) ||
           (ag_parse_credentials(profile, AG_INPUT_VALUE, n->text, n->len, &c, &d) == AG_OK &&
            c.param_count > 0);
}

/* Nothing was found to check: said on stderr, exit status 3, so that a job
 * pointed at the wrong input mode does not pass.  With --allow-empty, 0. */
static int nothing_checked(const options *o, const input_note *n)
{
    static const char *const names[] = {"check", "parse", "canon"};
    if (o->allow_empty)
        return 0;
    fprintf(stderr, "%s: %s: no header to check in the input", prog, names[o->cmd]);
    if (o->raw || o->mode == IN_VALUES)
        fprintf(stderr, " (it is empty)");
    else
        fprintf(stderr, " (--input %s reads Proxy-Authenticate, WWW-Authenticate, Proxy-Authorization and "
                        "Authorization fields%s)",
                o->mode == IN_MESSAGE ? "message" : "headers", o->mode == IN_MESSAGE ? " of SIP or HTTP messages" : "");
    fputc('\n', stderr);
    if (n->have && !o->raw && o->mode != IN_VALUES && is_bare_value(o->profile, n)) {
        const char *name = strcmp(n->file, "-") ? n->file : "<stdin>"; /* as the diagnostics say */
        fprintf(stderr, "%s: ", prog);
        put_text(stderr, name, strlen(name));
        fprintf(stderr, ":%llu: this line is a bare header value: use --input values%s\n",
                (unsigned long long)n->line, o->credentials ? "" : " (and --credentials for Authorization values)");
    }
    fprintf(stderr, "%s: exit status 3; --allow-empty accepts an input without headers\n", prog);
    return 3;
}

static int run_files(const options *o, int nfiles, char **files)
{
    input_note note = {0};
    static run R; /* holds the 64 KiB JSON buffer */
    run_init(&R, o, stdout, stderr);
    R.out_tty = isatty(fileno(stdout));
    static char dash[] = "-";
    char *std_files[1] = {dash};
    if (!nfiles) {
        nfiles = 1;
        files = std_files;
    }
    int io_error = 0;
    for (int i = 0; i < nfiles && !R.oom; i++) {
        int is_stdin = !strcmp(files[i], "-");
        FILE *f = is_stdin ? stdin : fopen(files[i], "rb");
        if (!f) {
            fprintf(stderr, "%s: ", prog);
            put_text(stderr, files[i], strlen(files[i]));
            fprintf(stderr, ": %s\n", strerror(errno));
            io_error = 1;
            continue;
        }
        in_mode mode = o->raw ? IN_RAW : o->mode;
        errno = 0;
        if (read_records_note(f, files[i], mode, o->max_field, run_record, &R, &note) < 0) {
            const char *name = is_stdin ? "<stdin>" : files[i];
            fprintf(stderr, "%s: ", prog);
            put_text(stderr, name, strlen(name));
            fprintf(stderr, ": %s\n", errno ? strerror(errno) : "read error");
            io_error = 1;
        }
        if (!is_stdin)
            fclose(f);
    }
    if (R.oom) {
        fprintf(stderr, "%s: out of memory\n", prog);
        io_error = 1;
    }
    if (o->cmd == CMD_CHECK && o->format == OUT_TEXT)
        printf("%s: %llu header%s checked: %llu conforming, %llu with warnings, %llu failing\n", prog,
               R.n.checked, R.n.checked == 1 ? "" : "s", R.n.conforming, R.n.warned, R.n.failing);
    unsigned long long failing = R.n.failing, checked = R.n.checked;
    run_free(&R);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: standard output: %s\n", prog, strerror(errno));
        return 2;
    }
    return io_error ? 2 : failing ? 1 : checked ? 0 : nothing_checked(o, &note);
}

static int cmd_files(command cmd, int argc, char **argv)
{
    static const char *const names[] = {"check", "parse", "canon"};
    const char *name = names[cmd];
    options o = {cmd, AG_PROFILE_SIP, IN_HEADERS, 0, OUT_TEXT, 0, 0, 0, 0, CLI_MAX_FIELD_DEFAULT, 0};
    char **files = argv; /* the non-option arguments, compacted in place */
    int nfiles = 0, only_files = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        int k;
        if (only_files || a[0] != '-' || !strcmp(a, "-")) {
            files[nfiles++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--")) {
            only_files = 1;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(cmd == CMD_CHECK ? usage_check : cmd == CMD_PARSE ? usage_parse : usage_canon, stdout);
            fputs("\n", stdout);
            fputs(usage_input, stdout);
            return 0;
        } else if (!strcmp(a, "--raw")) {
            o.raw = 1;
        } else if (!strcmp(a, "--lenient")) {
            o.lenient = 1;
        } else if (!strcmp(a, "--credentials")) {
            o.credentials = 1;
        } else if (!strcmp(a, "--allow-empty")) {
            o.allow_empty = 1;
        } else if (cmd == CMD_CHECK && !strcmp(a, "--werror")) {
            o.werror = 1;
        } else if (cmd == CMD_CHECK && !strcmp(a, "--quiet")) {
            o.quiet = 1;
        } else if ((k = opt_value(argc, argv, &i, "--max-field-bytes", &v)) != 0) {
            if (k < 0)
                return usage_error(name, "option '%s' needs a value", "--max-field-bytes");
            if (!(o.max_field = parse_size(v)))
                return usage_error(name, "--max-field-bytes '%s': expected a positive number of bytes", v);
        } else if ((k = opt_value(argc, argv, &i, "--input", &v)) != 0) {
            if (k < 0)
                return usage_error(name, "option '%s' needs a value", "--input");
            if (!strcmp(v, "headers"))
                o.mode = IN_HEADERS;
            else if (!strcmp(v, "message"))
                o.mode = IN_MESSAGE;
            else if (!strcmp(v, "values"))
                o.mode = IN_VALUES;
            else
                return usage_error(name, "--input '%s': expected headers, message or values", v);
        } else if (cmd != CMD_CANON && (k = opt_value(argc, argv, &i, "--format", &v)) != 0) {
            if (k < 0)
                return usage_error(name, "option '%s' needs a value", "--format");
            if (!strcmp(v, "text"))
                o.format = OUT_TEXT;
            else if (!strcmp(v, "json"))
                o.format = OUT_JSON;
            else
                return usage_error(name, "--format '%s': expected text or json", v);
        } else if ((k = opt_value(argc, argv, &i, "--profile", &v)) != 0) {
            if (k < 0)
                return usage_error(name, "option '%s' needs a value", "--profile");
            if (!strcmp(v, "http"))
                o.profile = AG_PROFILE_HTTP;
            else if (!strcmp(v, "sip"))
                o.profile = AG_PROFILE_SIP;
            else
                return usage_error(name, "--profile '%s': expected sip or http", v);
        } else
            return usage_error(name, "unknown option '%s'", a);
    }
    return run_files(&o, nfiles, files);
}

/* ---- build ------------------------------------------------------------------ */

static int build_refused(const ag_field_error *e)
{
    char msg[512];
    ag_field_error_format(e, msg, sizeof msg);
    fprintf(stderr, "%s: build: refused: %s\n", prog, msg);
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

static int cmd_build(int argc, char **argv)
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
        fprintf(stderr, "%s: out of memory\n", prog);
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
        else if (!k && (k = opt_value(argc, argv, &i, "--profile", &v)) > 0) {
            if (!strcmp(v, "http"))
                profile = AG_PROFILE_HTTP;
            else if (strcmp(v, "sip") != 0)
                rc = usage_error("build", "--profile '%s': expected sip or http", v);
        }
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
    ag_builder_challenge(&b, digest ? "Digest" : "Basic", AG_NTS);
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

    ag_form form = !header ? AG_FORM_VALUE : www ? AG_FORM_WWW : AG_FORM_PROXY;
    size_t len;
    ag_field_error e;
    ag_status st = ag_builder_finish(&b, form, NULL, 0, &len, &e);
    if (st != AG_ERR_SPACE)
        return build_refused(&e);
    char *out = malloc(len + 1);
    if (!out) {
        fprintf(stderr, "%s: out of memory\n", prog);
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
                        "for the exact bytes\n", prog);
    if (form == AG_FORM_VALUE)
        putchar('\n');
    free(out);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "%s: standard output: %s\n", prog, strerror(errno));
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *c = argv[1];
    if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(c, "--version")) {
        printf("authgram %s\n", ag_version());
        return 0;
    }
    if (!strcmp(c, "check"))
        return cmd_files(CMD_CHECK, argc - 1, argv + 1);
    if (!strcmp(c, "parse"))
        return cmd_files(CMD_PARSE, argc - 1, argv + 1);
    if (!strcmp(c, "canon"))
        return cmd_files(CMD_CANON, argc - 1, argv + 1);
    if (!strcmp(c, "build"))
        return cmd_build(argc - 1, argv + 1);
    if (!strcmp(c, "digest"))
        return cmd_digest(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command '%s'", c);
}
