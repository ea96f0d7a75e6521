/* SPDX-License-Identifier: MIT */
/* authgram check, parse and canon: read header fields from files, parse and
 * check each (the record handler is in output.c). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

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
    fprintf(stderr, "%s: %s: no header to check in the input", cli_prog, names[o->cmd]);
    if (o->raw || o->mode == IN_VALUES)
        fprintf(stderr, " (it is empty)");
    else
        fprintf(stderr, " (--input %s reads Proxy-Authenticate, WWW-Authenticate, Proxy-Authorization and "
                        "Authorization fields%s)",
                o->mode == IN_MESSAGE ? "message" : "headers", o->mode == IN_MESSAGE ? " of SIP or HTTP messages" : "");
    fputc('\n', stderr);
    if (n->have && !o->raw && o->mode != IN_VALUES && is_bare_value(o->profile, n)) {
        const char *name = strcmp(n->file, "-") ? n->file : "<stdin>"; /* as the diagnostics say */
        fprintf(stderr, "%s: ", cli_prog);
        put_text(stderr, name, strlen(name));
        fprintf(stderr, ":%llu: this line is a bare header value: use --input values%s\n",
                (unsigned long long)n->line, o->credentials ? "" : " (and --credentials for Authorization values)");
    }
    fprintf(stderr, "%s: exit status 3; --allow-empty accepts an input without headers\n", cli_prog);
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
            fprintf(stderr, "%s: ", cli_prog);
            put_text(stderr, files[i], strlen(files[i]));
            fprintf(stderr, ": %s\n", strerror(errno));
            io_error = 1;
            continue;
        }
        in_mode mode = o->raw ? IN_RAW : o->mode;
        errno = 0;
        if (read_records_note(f, files[i], mode, o->max_field, run_record, &R, &note) < 0) {
            const char *name = is_stdin ? "<stdin>" : files[i];
            fprintf(stderr, "%s: ", cli_prog);
            put_text(stderr, name, strlen(name));
            fprintf(stderr, ": %s\n", errno ? strerror(errno) : "read error");
            io_error = 1;
        }
        if (!is_stdin)
            fclose(f);
    }
    if (R.oom) {
        fprintf(stderr, "%s: out of memory\n", cli_prog);
        io_error = 1;
    }
    if (o->cmd == CMD_CHECK && o->format == OUT_TEXT)
        printf("%s: %llu header%s checked: %llu conforming, %llu with warnings, %llu failing\n", cli_prog,
               R.n.checked, R.n.checked == 1 ? "" : "s", R.n.conforming, R.n.warned, R.n.failing);
    unsigned long long failing = R.n.failing, checked = R.n.checked;
    run_free(&R);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: standard output: %s\n", cli_prog, strerror(errno));
        return 2;
    }
    return io_error ? 2 : failing ? 1 : checked ? 0 : nothing_checked(o, &note);
}

int cmd_files(command cmd, int argc, char **argv)
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
            if (opt_input(name, v, &o.mode))
                return 2;
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
            if (opt_profile(name, v, &o.profile))
                return 2;
        } else
            return usage_error(name, "unknown option '%s'", a);
    }
    return run_files(&o, nfiles, files);
}

