/* authgram: the command-line front end of the library.
 *
 *   authgram check [OPTIONS] [FILE...]   conformance of captured challenges
 *   authgram parse [OPTIONS] [FILE...]   their typed fields
 *   authgram canon [OPTIONS] [FILE...]   their canonical serialization
 *   authgram build digest|basic [...]    a challenge from the builder
 *   authgram digest [OPTIONS] [FILE...]  the response to a challenge (cmd_digest.c)
 *
 * Exit status: 0 everything conforms, 1 something does not, 2 usage or I/O
 * error.  See docs/authgram.1. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *prog = "authgram";

/* ---- usage ------------------------------------------------------------------ */

static const char usage_main[] =
    "usage: authgram COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "Strict checker, parser, canonicalizer and builder of SIP Proxy-Authenticate\n"
    "and WWW-Authenticate challenges (RFC 3261 section 25.1, RFC 3310, 4169, 8760).\n"
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
    "Exit status: 0 all conform, 1 some do not, 2 usage or I/O error.\n";

static const char usage_input[] =
    "input:\n"
    "  --input headers   lines of header fields (default): Proxy-Authenticate,\n"
    "                    WWW-Authenticate, Proxy-Authorization and Authorization\n"
    "                    fields are read, folds joined, other lines ignored\n"
    "  --input message   SIP (or HTTP/1.x) messages as in SIPp or Kamailio logs (bodies skipped\n"
    "                    by Content-Length, lines outside messages ignored)\n"
    "  --input values    each line is one header value (empty lines skipped)\n"
    "  --raw             each FILE's exact bytes are one header value\n"
    "  --lenient         read the common deviations of real traffic (unquoted realm,\n"
    "                    doubled commas, ...) into the fields, each reported as a\n"
    "                    lenient-* warning; never what cannot be read one way\n"
    "  --profile sip|http  the grammar: sip (RFC 3261, default) or http (RFC 7235)\n"
    "  --credentials     values (--input values, --raw) are credentials\n"
    "                    (Authorization / Proxy-Authorization values); header lines\n"
    "                    say which they are.  --lenient applies to challenges only.\n"
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
    "Prints the typed fields of each challenge header (errors as 'check' does).\n"
    "\n"
    "  --format text|json   text (default), or one JSON object per header per line\n";

static const char usage_canon[] =
    "usage: authgram canon [OPTIONS] [FILE...]\n"
    "\n"
    "Prints the canonical serialization of each valid challenge: header lines\n"
    "(ending in CRLF) for --input headers|message, bare values otherwise.\n"
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

typedef enum command { CMD_CHECK, CMD_PARSE, CMD_CANON } command;

typedef struct options {
    command cmd;
    ag_profile profile;
    in_mode mode;
    int raw;
    out_format format;
    int werror, quiet;
    int lenient;
    int credentials; /* --credentials: values are Authorization values */
} options;

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

/* ---- checking ------------------------------------------------------------------ */

typedef struct counts {
    unsigned long long checked, conforming, warned, failing;
} counts;

typedef struct run {
    const options *o;
    counts n;
    /* arrays grown to the largest header seen: memory is bounded by it */
    ag_challenge_list l;
    ag_credentials cr; /* the same for credentials */
    ag_warning *w;
    size_t wcap;
    char *scratch;
    size_t scratch_cap;
    int oom;
} run;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static ag_status parse_record(run *R, const record *r, ag_diag *d)
{
    ag_challenge_list *l = &R->l;
    for (;;) {
        ag_status st = (R->o->lenient ? ag_parse_lenient : ag_parse)(
            R->o->profile, r->is_header ? AG_INPUT_HEADER : AG_INPUT_VALUE, r->bytes, r->len, l, d);
        if (st != AG_ERR_CAPACITY)
            return st;
        size_t nc = l->count, np = l->param_count, nq = l->qop_count, nd = l->domain_count;
        if (grow((void **)&l->challenges, &l->cap, nc, sizeof *l->challenges) ||
            grow((void **)&l->params, &l->param_cap, np, sizeof *l->params) ||
            grow((void **)&l->qop, &l->qop_cap, nq, sizeof *l->qop) ||
            grow((void **)&l->domain, &l->domain_cap, nd, sizeof *l->domain)) {
            R->oom = 1;
            return AG_ERR_CAPACITY;
        }
    }
}

/* Credentials (Authorization, Proxy-Authorization): the header line says
 * so, or --credentials for bare values. */
static int is_credentials(const run *R, const record *r)
{
    return r->header == AG_HEADER_PROXY_AUTHORIZATION || r->header == AG_HEADER_AUTHORIZATION ||
           (!r->is_header && R->o->credentials);
}

static ag_status parse_credentials(run *R, const record *r, ag_diag *d)
{
    ag_credentials *c = &R->cr;
    for (;;) {
        ag_status st = ag_parse_credentials(R->o->profile, r->is_header ? AG_INPUT_HEADER : AG_INPUT_VALUE,
                                            r->bytes, r->len, c, d);
        if (st != AG_ERR_CAPACITY)
            return st;
        if (grow((void **)&c->params, &c->param_cap, c->param_count, sizeof *c->params)) {
            R->oom = 1;
            return AG_ERR_CAPACITY;
        }
    }
}

static size_t check_any(run *R, int creds, ag_warning *w, size_t cap)
{
    return creds ? ag_check_credentials(&R->cr, w, cap) : ag_check_list(&R->l, w, cap);
}

static size_t warnings_of(run *R, int creds)
{
    size_t nw = check_any(R, creds, R->w, R->wcap);
    if (nw > R->wcap) {
        if (grow((void **)&R->w, &R->wcap, nw, sizeof *R->w)) {
            R->oom = 1;
            return 0;
        }
        nw = check_any(R, creds, R->w, R->wcap);
    }
    return nw;
}

static const char *header_name(ag_header h)
{
    return h == AG_HEADER_PROXY_AUTHENTICATE    ? "Proxy-Authenticate"
           : h == AG_HEADER_WWW_AUTHENTICATE    ? "WWW-Authenticate"
           : h == AG_HEADER_PROXY_AUTHORIZATION ? "Proxy-Authorization"
           : h == AG_HEADER_AUTHORIZATION       ? "Authorization"
                                                : NULL;
}

static const char *file_label(const record *r) { return strcmp(r->file, "-") ? r->file : "<stdin>"; }

static void byte_text(const ag_diag *d, char *out, size_t cap)
{
    unsigned b = d->byte;
    if (d->at_end)
        snprintf(out, cap, "end of input");
    else if (b == '\t' || b == '\r' || b == '\n' || b == ' ')
        snprintf(out, cap, "%s", b == '\t' ? "HTAB" : b == '\r' ? "CR" : b == '\n' ? "LF" : "SP");
    else if (b > 0x20 && b < 0x7f)
        snprintf(out, cap, "'%c'", (char)b);
    else
        snprintf(out, cap, "%%x%02X", b);
}

/* "unexpected 'x', expected one of ..." */
static void error_message(const ag_diag *d, char *out, size_t cap)
{
    char b[32];
    byte_text(d, b, sizeof b);
    snprintf(out, cap, "unexpected %s%s%s", b, d->expected[0] ? ", expected " : "", d->expected);
}

static size_t in_value(const record *r, size_t off) { return off > r->value_start ? off - r->value_start : 0; }

static void warning_message(const record *r, const ag_warning *w, char *out, size_t cap)
{
    if (w->id == AG_W_FALLTHROUGH && w->detail_rule && w->detail_rule[0])
        snprintf(out, cap, "%s: %s fails at offset %zu%s%s", ag_warning_message(w->id), w->rule,
                 in_value(r, w->detail_offset), strcmp(w->rule, w->detail_rule) ? ", in " : "",
                 strcmp(w->rule, w->detail_rule) ? w->detail_rule : "");
    else if (w->id == AG_W_DIGEST_MISSING_PARAM)
        snprintf(out, cap, "Digest response without %s", w->rule);
    else
        snprintf(out, cap, "%s", ag_warning_message(w->id));
}

static void text_diag(const record *r, size_t off, const char *kind, const char *msg, const char *tag,
                      const char *rfc, int caret)
{
    uint64_t line, col;
    line_col(r, off, &line, &col);
    printf("%s:%llu:%llu: %s: %s [%s]", file_label(r), (unsigned long long)line, (unsigned long long)col,
           kind, msg, tag);
    if (rfc && rfc[0])
        printf(" (%s)", rfc);
    putchar('\n');
    if (caret)
        print_caret(stdout, r, off);
}

/* The JSON output (one record per line; its pieces go to a buffer). */
static jbuf json_out;

/* The keys are literals: "key": with the comma before it or not, copied
 * whole (K: the key, the comma flag, so their length is known at compile
 * time). */
typedef struct jkey {
    const char *s;
    size_t n;
} jkey;
#define K(name, comma) ((comma) ? (jkey){",\"" name "\":", sizeof(name) + 3} : (jkey){"\"" name "\":", sizeof(name) + 2})

static void json_key(jkey k) { jb_put(&json_out, k.s, k.n); }

static void json_kv(jkey k, const char *s, size_t n)
{
    json_key(k);
    if (s)
        jb_string(&json_out, s, n);
    else
        JB_LIT(&json_out, "null");
}

static void json_cstr(jkey k, const char *s) { json_kv(k, s, s ? strlen(s) : 0); }

static void json_u64(jkey k, uint64_t v)
{
    json_key(k);
    jb_u64(&json_out, v);
}

static void json_bool(jkey k, int v) /* v < 0: null */
{
    json_key(k);
    if (v < 0)
        JB_LIT(&json_out, "null");
    else if (v)
        JB_LIT(&json_out, "true");
    else
        JB_LIT(&json_out, "false");
}

static int stale_bool(ag_stale s) { return s == AG_STALE_UNSET ? -1 : s == AG_STALE_TRUE; }

/* An unescaped quoted value (or a token as it is). */
static void json_value(run *R, jkey key, ag_span v, int quoted)
{
    if (!v.ptr) {
        json_kv(key, NULL, 0);
        return;
    }
    /* a quoted value without quoted-pairs or folds is its own unescaping */
    if (!quoted || (!memchr(v.ptr, '\\', v.len) && !memchr(v.ptr, '\r', v.len))) {
        json_kv(key, v.ptr, v.len);
        return;
    }
    size_t n = ag_unescape(v, NULL, 0);
    if (grow((void **)&R->scratch, &R->scratch_cap, n + 1, 1)) {
        R->oom = 1;
        return;
    }
    ag_unescape(v, R->scratch, R->scratch_cap);
    json_kv(key, R->scratch, n);
}

static const char *kind_name(ag_param_kind k)
{
    static const char *const names[] = {"auth-param", "realm",  "domain",      "nonce",      "opaque",
                                        "stale",      "algorithm", "qop-options", "charset",  "userhash",
                                        "username",   "digest-uri", "dresponse",  "cnonce",   "nonce-count",
                                        "message-qop", "auts",     "username-ext"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static void json_params(run *R, const ag_param *params, size_t n);

static void json_fields(run *R, const ag_challenge *c)
{
    jbuf *j = &json_out;
    JB_LIT(j, "{");
    json_kv(K("scheme", 0), c->scheme.ptr, c->scheme.len);
    json_value(R, K("realm", 1), c->realm, 1);
    json_value(R, K("nonce", 1), c->nonce, 1);
    json_value(R, K("opaque", 1), c->opaque, 1);
    json_kv(K("algorithm", 1), c->algorithm_raw.ptr, c->algorithm_raw.len);
    json_bool(K("stale", 1), stale_bool(c->stale));
    if (c->profile == AG_PROFILE_HTTP) {
        json_kv(K("token68", 1), c->token68.ptr, c->token68.len);
        json_kv(K("charset", 1), c->charset.ptr, c->charset.len);
        json_bool(K("userhash", 1), stale_bool(c->userhash));
    }
    json_key(K("qop", 1));
    JB_LIT(j, "[");
    for (size_t i = 0; i < c->qop_count; i++) {
        if (i)
            JB_LIT(j, ",");
        jb_string(j, c->qop[i].raw.ptr, c->qop[i].raw.len);
    }
    JB_LIT(j, "]");
    json_key(K("domain", 1));
    JB_LIT(j, "[");
    for (size_t i = 0; i < c->domain_count; i++) {
        if (i)
            JB_LIT(j, ",");
        jb_string(j, c->domain[i].ptr, c->domain[i].len);
    }
    JB_LIT(j, "]");
    json_params(R, c->params, c->param_count);
    JB_LIT(j, "}");
}

static void json_params(run *R, const ag_param *params, size_t n)
{
    jbuf *j = &json_out;
    json_key(K("params", 1));
    JB_LIT(j, "[");
    for (size_t i = 0; i < n; i++) {
        const ag_param *p = &params[i];
        if (i)
            JB_LIT(j, ",");
        JB_LIT(j, "{");
        json_kv(K("name", 0), p->name.ptr, p->name.len);
        json_value(R, K("value", 1), p->value, p->quoted);
        json_bool(K("quoted", 1), p->quoted);
        json_cstr(K("kind", 1), kind_name(p->kind));
        JB_LIT(j, "}");
    }
    JB_LIT(j, "]");
}

/* "fields" of credentials: the typed view of include/authgram.h */
static void json_credentials(run *R, const ag_credentials *c)
{
    jbuf *j = &json_out;
    JB_LIT(j, "{");
    json_kv(K("scheme", 0), c->scheme.ptr, c->scheme.len);
    json_value(R, K("username", 1), c->username, 1);
    if (c->profile == AG_PROFILE_HTTP)
        json_kv(K("username*", 1), c->username_ext.ptr, c->username_ext.len);
    json_value(R, K("realm", 1), c->realm, 1);
    json_value(R, K("nonce", 1), c->nonce, 1);
    json_kv(K("uri", 1), c->uri.ptr, c->uri.len);
    json_kv(K("response", 1), c->response.ptr, c->response.len);
    json_kv(K("algorithm", 1), c->algorithm_raw.ptr, c->algorithm_raw.len);
    json_value(R, K("cnonce", 1), c->cnonce, 1);
    json_value(R, K("opaque", 1), c->opaque, 1);
    json_kv(K("qop", 1), c->qop_raw.ptr, c->qop_raw.len);
    json_kv(K("nc", 1), c->nc.ptr, c->nc.len);
    if (c->profile == AG_PROFILE_SIP)
        json_kv(K("auts", 1), c->auts.ptr, c->auts.len);
    else {
        json_bool(K("userhash", 1), stale_bool(c->userhash));
        json_kv(K("token68", 1), c->token68.ptr, c->token68.len);
    }
    json_params(R, c->params, c->param_count);
    JB_LIT(j, "}");
}

static void json_record(run *R, const record *r, ag_status st, const ag_diag *d, size_t nw,
                        const char *verdict)
{
    jbuf *j = &json_out;
    j->out = stdout;
    JB_LIT(j, "{");
    json_cstr(K("file", 0), r->file);
    json_u64(K("line", 1), r->line);
    json_u64(K("offset", 1), r->offset + r->value_start);
    json_cstr(K("header", 1), header_name(r->header));
    json_cstr(K("profile", 1), R->o->profile == AG_PROFILE_HTTP ? "http" : "sip");
    json_cstr(K("verdict", 1), verdict);
    json_key(K("errors", 1));
    JB_LIT(j, "[");
    if (st != AG_OK) {
        char msg[256];
        if (st == AG_ERR_SYNTAX)
            error_message(d, msg, sizeof msg);
        else
            snprintf(msg, sizeof msg, "%s", ag_strerror(st));
        JB_LIT(j, "{");
        json_cstr(K("id", 0), st == AG_ERR_SYNTAX ? "syntax" : ag_status_name(st));
        json_cstr(K("rule", 1), st == AG_ERR_SYNTAX ? d->rule : NULL);
        json_u64(K("offset", 1), st == AG_ERR_SYNTAX ? in_value(r, d->offset) : 0);
        json_cstr(K("message", 1), msg);
        json_cstr(K("rfc", 1), st == AG_ERR_SYNTAX ? d->rfc : NULL);
        JB_LIT(j, "}");
    }
    JB_LIT(j, "]");
    json_key(K("warnings", 1));
    JB_LIT(j, "[");
    for (size_t i = 0; i < nw; i++) {
        const ag_warning *w = &R->w[i];
        char msg[256];
        warning_message(r, w, msg, sizeof msg);
        if (i)
            JB_LIT(j, ",");
        JB_LIT(j, "{");
        json_cstr(K("id", 0), ag_warning_name(w->id));
        json_cstr(K("rule", 1), w->rule);
        json_u64(K("offset", 1), in_value(r, w->offset));
        json_cstr(K("message", 1), msg);
        json_cstr(K("rfc", 1), ag_warning_rfc(w->id));
        JB_LIT(j, "}");
    }
    JB_LIT(j, "]");
    if (st == AG_OK && is_credentials(R, r)) {
        /* credentials: one element in both profiles, no "challenges" */
        json_key(K("fields", 1));
        json_credentials(R, &R->cr);
    } else if (st == AG_OK) {
        /* "fields": the challenge (the first, in http); "challenges": all */
        json_key(K("fields", 1));
        size_t at = j->n, flushes = j->flushes;
        json_fields(R, &R->l.challenges[0]);
        /* challenges[0] is the same text: copied while the buffer holds it */
        size_t first = j->flushes == flushes ? j->n - at : 0;
        json_key(K("challenges", 1));
        JB_LIT(j, "[");
        for (size_t i = 0; i < R->l.count; i++) {
            if (i)
                JB_LIT(j, ",");
            if (i == 0 && first && first <= sizeof j->b - j->n) {
                memcpy(j->b + j->n, j->b + at, first);
                j->n += first;
            } else
                json_fields(R, &R->l.challenges[i]);
        }
        JB_LIT(j, "]");
    }
    JB_LIT(j, "}\n");
    jb_flush(j); /* stdio buffers across records; the text output shares stdout */
}

static void text_param(const ag_param *p);

static void text_fields(run *R, const record *r, const ag_challenge *c)
{
    const char *h = header_name(c->header);
    printf("%s:%llu: %s%s%.*s\n", file_label(r), (unsigned long long)r->line, h ? h : "", h ? " " : "",
           AG_SPAN_ARGS(c->scheme));
    ag_span one[3] = {c->realm, c->nonce, c->opaque};
    const char *names[3] = {"realm", "nonce", "opaque"};
    for (int i = 0; i < 3; i++)
        if (one[i].ptr) {
            size_t n = ag_unescape(one[i], NULL, 0);
            if (grow((void **)&R->scratch, &R->scratch_cap, n + 1, 1)) {
                R->oom = 1;
                return;
            }
            ag_unescape(one[i], R->scratch, R->scratch_cap);
            printf("  %-10s %.*s\n", names[i], (int)n, R->scratch);
        }
    if (c->algorithm_raw.ptr)
        printf("  %-10s %.*s\n", "algorithm", AG_SPAN_ARGS(c->algorithm_raw));
    if (c->stale != AG_STALE_UNSET)
        printf("  %-10s %s\n", "stale", c->stale == AG_STALE_TRUE ? "true" : "false");
    if (c->token68.ptr)
        printf("  %-10s %.*s\n", "token68", AG_SPAN_ARGS(c->token68));
    if (c->charset.ptr)
        printf("  %-10s %.*s\n", "charset", AG_SPAN_ARGS(c->charset));
    if (c->userhash != AG_STALE_UNSET)
        printf("  %-10s %s\n", "userhash", c->userhash == AG_STALE_TRUE ? "true" : "false");
    for (size_t i = 0; i < c->qop_count; i++)
        printf("  %-10s %.*s\n", "qop", AG_SPAN_ARGS(c->qop[i].raw));
    for (size_t i = 0; i < c->domain_count; i++)
        printf("  %-10s %.*s\n", "domain", AG_SPAN_ARGS(c->domain[i]));
    for (size_t i = 0; i < c->param_count; i++)
        text_param(&c->params[i]);
}

static void text_param(const ag_param *p)
{
    printf("  param      %.*s=%s%.*s%s  [%s]\n", AG_SPAN_ARGS(p->name), p->quoted ? "\"" : "",
           AG_SPAN_ARGS(p->value), p->quoted ? "\"" : "", kind_name(p->kind));
}

static void text_credentials(const record *r, const ag_credentials *c)
{
    const char *h = header_name(c->header);
    printf("%s:%llu: %s%s%.*s\n", file_label(r), (unsigned long long)r->line, h ? h : "", h ? " " : "",
           AG_SPAN_ARGS(c->scheme));
    const struct {
        const char *name;
        ag_span v;
    } f[] = {{"username", c->username}, {"username*", c->username_ext}, {"realm", c->realm},
             {"nonce", c->nonce},       {"uri", c->uri},                {"response", c->response},
             {"algorithm", c->algorithm_raw}, {"cnonce", c->cnonce},    {"opaque", c->opaque},
             {"qop", c->qop_raw},       {"nc", c->nc},                  {"auts", c->auts},
             {"token68", c->token68}};
    /* raw values, as written between the quotes (parse --format json
     * gives them unescaped) */
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].v.ptr)
            printf("  %-10s %.*s\n", f[i].name, AG_SPAN_ARGS(f[i].v));
    if (c->userhash != AG_STALE_UNSET)
        printf("  %-10s %s\n", "userhash", c->userhash == AG_STALE_TRUE ? "true" : "false");
    for (size_t i = 0; i < c->param_count; i++)
        text_param(&c->params[i]);
}

/* canon: the canonical serialization of what was parsed */
static void canon_record(run *R, const record *r, int creds)
{
    ag_form form = !r->is_header                               ? AG_FORM_VALUE
                   : r->header == AG_HEADER_WWW_AUTHENTICATE    ? AG_FORM_WWW
                   : r->header == AG_HEADER_PROXY_AUTHORIZATION ? AG_FORM_PROXY_AUTHORIZATION
                   : r->header == AG_HEADER_AUTHORIZATION       ? AG_FORM_AUTHORIZATION
                                                                : AG_FORM_PROXY;
    size_t len;
    ag_field_error e;
    ag_status s = creds ? ag_serialize_credentials(&R->cr, form, NULL, 0, &len, &e)
                        : ag_serialize_list(&R->l, form, NULL, 0, &len, &e);
    if (s == AG_ERR_SPACE && !grow((void **)&R->scratch, &R->scratch_cap, len + 1, 1))
        s = creds ? ag_serialize_credentials(&R->cr, form, R->scratch, R->scratch_cap, &len, &e)
                  : ag_serialize_list(&R->l, form, R->scratch, R->scratch_cap, &len, &e);
    if (s != AG_OK) {
        char msg[512];
        ag_field_error_format(&e, msg, sizeof msg);
        fprintf(stderr, "%s:%llu: error: cannot serialize: %s\n", file_label(r), (unsigned long long)r->line,
                msg);
        R->n.failing++;
        return;
    }
    fwrite(R->scratch, 1, len, stdout);
    if (form == AG_FORM_VALUE)
        putchar('\n');
}

static void on_record(const record *r, void *ctx)
{
    run *R = ctx;
    const options *o = R->o;
    ag_diag d;
    int creds = is_credentials(R, r);
    ag_status st = creds ? parse_credentials(R, r, &d) : parse_record(R, r, &d);
    if (R->oom)
        return;
    size_t nw = st == AG_OK ? warnings_of(R, creds) : 0;
    const char *verdict = st != AG_OK ? "invalid" : nw ? "valid-warn" : "valid";
    R->n.checked++;
    if (st != AG_OK || (nw && o->werror))
        R->n.failing++;
    else if (nw)
        R->n.warned++;
    else
        R->n.conforming++;

    if (o->cmd == CMD_CANON) {
        if (st != AG_OK) {
            char msg[256];
            error_message(&d, msg, sizeof msg);
            uint64_t line, col;
            line_col(r, d.offset, &line, &col);
            fprintf(stderr, "%s:%llu:%llu: error: %s [%s]\n", file_label(r), (unsigned long long)line,
                    (unsigned long long)col, msg, d.rule);
            return;
        }
        canon_record(R, r, creds);
        return;
    }
    if (o->format == OUT_JSON) {
        json_record(R, r, st, &d, nw, verdict);
        return;
    }
    if (o->quiet)
        return;
    if (st == AG_ERR_SYNTAX) {
        char msg[256];
        error_message(&d, msg, sizeof msg);
        text_diag(r, d.offset, "error", msg, d.rule, d.rfc, 1);
    } else if (st != AG_OK)
        text_diag(r, 0, "error", ag_strerror(st), ag_status_name(st), "", 0);
    else if (o->cmd == CMD_PARSE && creds)
        text_credentials(r, &R->cr);
    else if (o->cmd == CMD_PARSE)
        for (size_t i = 0; i < R->l.count; i++)
            text_fields(R, r, &R->l.challenges[i]);
    for (size_t i = 0; i < nw; i++) {
        char msg[256];
        warning_message(r, &R->w[i], msg, sizeof msg);
        text_diag(r, R->w[i].offset, "warning", msg, ag_warning_name(R->w[i].id),
                  ag_warning_rfc(R->w[i].id), o->cmd == CMD_CHECK);
    }
}

static int run_files(const options *o, int nfiles, char **files)
{
    run R;
    memset(&R, 0, sizeof R);
    R.o = o;
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
            fprintf(stderr, "%s: %s: %s\n", prog, files[i], strerror(errno));
            io_error = 1;
            continue;
        }
        in_mode mode = o->raw ? IN_RAW : o->mode;
        if (read_records(f, files[i], mode, on_record, &R) < 0) {
            fprintf(stderr, "%s: %s: %s\n", prog, is_stdin ? "<stdin>" : files[i],
                    errno ? strerror(errno) : "read error");
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
    free(R.l.challenges);
    free(R.l.params);
    free(R.l.qop);
    free(R.l.domain);
    free(R.cr.params);
    free(R.w);
    free(R.scratch);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: standard output: %s\n", prog, strerror(errno));
        return 2;
    }
    return io_error ? 2 : R.n.failing ? 1 : 0;
}

static int cmd_files(command cmd, int argc, char **argv)
{
    static const char *const names[] = {"check", "parse", "canon"};
    const char *name = names[cmd];
    options o = {cmd, AG_PROFILE_SIP, IN_HEADERS, 0, OUT_TEXT, 0, 0, 0, 0};
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
        } else if (cmd == CMD_CHECK && !strcmp(a, "--werror")) {
            o.werror = 1;
        } else if (cmd == CMD_CHECK && !strcmp(a, "--quiet")) {
            o.quiet = 1;
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
    /* the seed's order: qop before stale before domain, then the rest */
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
                ag_builder_param(&b, it->v, (size_t)(eq - it->v), eq + 1, AG_NTS, it->kind == 'p');
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
    fwrite(out, 1, len, stdout);
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
