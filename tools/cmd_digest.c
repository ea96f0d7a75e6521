/* SPDX-License-Identifier: MIT */
/* authgram digest: answers the challenges of one response for scripts.
 * Reads every challenge (as 'check' reads them), chooses the one to answer
 * with ag_digest_choose (the strongest algorithm we compute; RFC 8760
 * section 2.4 and our policy in authgram_digest.h), and prints what the
 * answer needs: the chosen challenge's realm, nonce, opaque, algorithm and
 * qop, the cnonce and nc used, and the response. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "authgram_digest.h"
#include "cli.h"

static const char usage_digest[] =
    "usage: authgram digest [OPTIONS] [FILE...]\n"
    "\n"
    "Reads the challenges of one response (all its Proxy-Authenticate and\n"
    "WWW-Authenticate fields), chooses the one to answer -- the strongest\n"
    "algorithm this library computes (SHA-512-256, SHA-256, MD5, and their -sess\n"
    "forms), the topmost among equals, never a weaker one because it comes first\n"
    "(RFC 8760 section 3: reordering is a downgrade attack) -- and prints the\n"
    "digest response with what the answer must echo.\n"
    "\n"
    "  --username U          the user name (required)\n"
    "  --password-file F     the password: F's first line (safest)\n"
    "  --password-env VAR    the password: the environment variable VAR\n"
    "  --password P          the password itself (visible to other users in ps)\n"
    "  --method M            the request method, e.g. INVITE (required)\n"
    "  --uri URI             the digest-uri, e.g. sip:bob@example.com (required)\n"
    "  --cnonce C            the client nonce (default: 16 random bytes in hex)\n"
    "  --nc N                the nonce count, 8 lowercase hex digits (default 00000001)\n"
    "  --body-file F         the message body, for qop=auth-int (default: empty)\n"
    "  --format text|json|header  text: NAME=VALUE lines (default); json: one\n"
    "                        object; header: the Proxy-Authorization (Authorization\n"
    "                        for a WWW-Authenticate challenge) line, from the builder\n"
    "  --input headers|message|values, --profile sip|http, --max-field-bytes N\n"
    "                        as for 'check'\n"
    "\n"
    "Text output, one NAME=VALUE per line: header (Proxy-Authorization or\n"
    "Authorization; absent for bare values), source (FILE:LINE), scheme, realm,\n"
    "nonce, opaque (when the challenge has one), algorithm, qop (absent when the\n"
    "challenge offers none), cnonce, nc, response.  Values are unescaped, as\n"
    "they enter the hash, control bytes shown as \\xNN; use --format json for\n"
    "values with arbitrary bytes.  The challenges are read one at a time; each\n"
    "one that cannot be answered is reported on standard error as it is read.\n"
    "Exit status: 0 a response was printed, 1 no challenge can be answered, or\n"
    "part of the input was skipped (--max-field-bytes, Content-Length: then no\n"
    "response, since the skipped part may hold a stronger challenge), 2 usage or\n"
    "I/O error, or --format header cannot carry a value (e.g. a control byte in\n"
    "--username in http, a space in --uri): the header is refused, not written.\n";

/* ---- choosing as the records come ------------------------------------------------ */

/* One record at a time (memory: the longest field, as for check): each
 * challenge is weighed against the best so far with ag_digest_choose, which
 * keeps the topmost among equals, so the pairwise choice is the choice over
 * all.  The best one's record is kept as a copy and parsed again at the
 * end; a challenge that cannot be answered is reported as it is read. */
typedef struct chooser {
    ag_profile profile;
    ag_challenge_list l; /* arrays sized from the longest record */
    ag_challenge_list bl; /* the best one's record, parsed from best_bytes */
    record best;         /* bytes: a copy owned here */
    char *best_bytes;
    size_t best_cap;
    size_t best_index;   /* which challenge of the record */
    ag_challenge best_ch;
    int have_best;
    size_t seen;         /* challenges read */
    int skipped;         /* a framing error: part of the input was not read */
    int oom;
    line_index lines;    /* of a record that failed: where its diagnostic points */
} chooser;

static int list_fits(ag_challenge_list *l)
{
    /* exactly the counts the parser asked for; the contents are made again */
    void **arr[4] = {(void **)&l->challenges, (void **)&l->params, (void **)&l->qop, (void **)&l->domain};
    size_t *cap[4] = {&l->cap, &l->param_cap, &l->qop_cap, &l->domain_cap};
    size_t need[4] = {l->count, l->param_count, l->qop_count, l->domain_count};
    size_t size[4] = {sizeof *l->challenges, sizeof *l->params, sizeof *l->qop, sizeof *l->domain};
    for (int i = 0; i < 4; i++)
        if (need[i] > *cap[i]) {
            free(*arr[i]);
            *arr[i] = malloc(need[i] * size[i]);
            *cap[i] = *arr[i] ? need[i] : 0;
            if (!*arr[i])
                return -1;
        }
    return 0;
}

static ag_status parse_into(chooser *c, ag_challenge_list *l, const record *r, ag_diag *d)
{
    for (;;) {
        ag_status st = ag_parse(c->profile, r->is_header ? AG_INPUT_HEADER : AG_INPUT_VALUE, r->bytes, r->len,
                                l, d);
        if (st != AG_ERR_CAPACITY)
            return st;
        if (list_fits(l) < 0) {
            c->oom = 1;
            return st;
        }
    }
}

static void put_source(FILE *out, const record *r)
{
    const char *f = file_label(r);
    put_text(out, f, strlen(f));
    fprintf(out, ":%llu", (unsigned long long)r->line);
}

static void on_challenge_record(const record *r, void *ctx)
{
    chooser *c = ctx;
    if (c->oom)
        return;
    if (r->error_id) {
        text_framing_error(stderr, r);
        c->skipped = 1;
        return;
    }
    /* credentials are not challenges: not read here */
    if (r->header == AG_HEADER_PROXY_AUTHORIZATION || r->header == AG_HEADER_AUTHORIZATION)
        return;
    ag_diag d;
    ag_status st = parse_into(c, &c->l, r, &d);
    if (c->oom)
        return;
    if (st != AG_OK) {
        /* the same GCC-style diagnostic as check's, with RFC and caret */
        line_index_set(&c->lines, r);
        text_parse_error(stderr, &c->lines, r, st, &d);
        return;
    }
    for (size_t k = 0; k < c->l.count; k++) {
        const ag_challenge *ch = &c->l.challenges[k];
        size_t chosen;
        ag_digest_unusable why;
        c->seen++;
        if (ag_digest_choose(ch, 1, &chosen, &why) != AG_OK) {
            put_source(stderr, r);
            fputs(": challenge ", stderr);
            put_text(stderr, ch->scheme.ptr, ch->scheme.len);
            fprintf(stderr, ": cannot be answered: %s\n", ag_digest_unusable_name(why));
            continue;
        }
        if (c->have_best) {
            ag_challenge two[2] = {c->best_ch, *ch};
            ag_digest_unusable w2[2];
            if (ag_digest_choose(two, 2, &chosen, w2) != AG_OK || chosen == 0)
                continue;
        }
        /* the new best: its record copied (its spans point into r) */
        if (r->len > c->best_cap) {
            char *b = realloc(c->best_bytes, r->len);
            if (!b) {
                c->oom = 1;
                return;
            }
            c->best_bytes = b;
            c->best_cap = r->len;
        }
        if (r->len)
            memcpy(c->best_bytes, r->bytes, r->len);
        c->best = *r;
        c->best.bytes = c->best_bytes;
        c->best_index = k;
        /* its spans must outlive this record: parsed again from the copy
         * (only when a strictly stronger challenge comes: a few times) */
        if (parse_into(c, &c->bl, &c->best, &d) != AG_OK || c->bl.count <= k) {
            c->oom = 1; /* (the same bytes parsed before: only memory can fail) */
            return;
        }
        c->best_ch = c->bl.challenges[k];
        c->have_best = 1;
    }
}

static void free_chooser(chooser *c)
{
    ag_challenge_list *ls[2] = {&c->l, &c->bl};
    for (int i = 0; i < 2; i++) {
        free(ls[i]->challenges);
        free(ls[i]->params);
        free(ls[i]->qop);
        free(ls[i]->domain);
    }
    free(c->best_bytes);
    line_index_free(&c->lines);
}

/* ---- small helpers --------------------------------------------------------- */

/* A whole file into a malloc'd buffer; NULL with errno on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *b = realloc(buf, cap *= 2);
        if (!b) {
            free(buf);
            buf = NULL;
        } else
            buf = b;
    }
    int err = ferror(f);
    fclose(f);
    if (buf && err) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

/* A raw quoted value (or a token) unescaped into a malloc'd buffer. */
static ag_span unescaped(ag_span raw, int quoted, char **owned)
{
    *owned = NULL;
    if (!raw.ptr || !quoted)
        return raw;
    char *d = malloc(raw.len ? raw.len : 1);
    if (!d)
        return (ag_span){NULL, 0};
    *owned = d;
    return (ag_span){d, ag_unescape(raw, d, raw.len)};
}

/* NAME=VALUE, the value with control bytes escaped (text output never
 * drives a terminal; --format json has the exact bytes) */
static void text_kv(const char *k, ag_span v)
{
    printf("%s=", k);
    put_text(stdout, v.ptr ? v.ptr : "", v.len);
    putchar('\n');
}

static void json_kv2(const char *k, ag_span v, int comma)
{
    static jbuf j; /* fwrite to stdout after the printf: same stream, same order */
    printf("%s\"%s\":", comma ? "," : "", k);
    j.out = stdout;
    jb_string(&j, v.ptr ? v.ptr : "", v.len);
    jb_flush(&j);
}

static ag_span cstr(const char *s) { return (ag_span){s, strlen(s)}; }

/* --format header: the answer as a header line, written by the builder
 * (ag_digest_answer_line), which checks every value it writes and carries
 * any byte its grammar can (a NUL in a realm is written as a quoted-pair,
 * the value the response was computed over) */
enum { OUT_HEADER = OUT_JSON + 1 };

static int header_line(ag_profile profile, ag_header h, const ag_digest_input *in, ag_span opaque, ag_span alg,
                       const char *qop, const char *resp)
{
    ag_digest_answer a = {in->username, in->realm, in->nonce, in->uri, cstr(resp),
                          alg,          in->cnonce, opaque,   qop ? cstr(qop) : (ag_span){NULL, 0}, in->nc};
    size_t len = 0;
    ag_field_error e;
    memset(&e, 0, sizeof e);
    /* no fixed buffer: the length first */
    ag_status st = ag_digest_answer_line(profile, h, &a, NULL, 0, &len, &e);
    char *line = NULL;
    if (st == AG_ERR_SPACE) {
        line = malloc(len + 1);
        st = line ? ag_digest_answer_line(profile, h, &a, line, len + 1, &len, &e) : AG_ERR_SPACE;
        if (!line) {
            fprintf(stderr, "authgram: digest: out of memory\n");
            return 2;
        }
    }
    if (st != AG_OK) {
        char msg[512];
        if (st == AG_ERR_FIELD)
            ag_field_error_format(&e, msg, sizeof msg);
        else
            snprintf(msg, sizeof msg, "%s", ag_strerror(st));
        fputs("authgram: digest: cannot write the header: ", stderr);
        put_text(stderr, msg, strlen(msg));
        fputc('\n', stderr);
        free(line);
        return 2;
    }
    if (put_wire(stdout, line, len, isatty(fileno(stdout))))
        fprintf(stderr, "authgram: digest: control bytes escaped as \\xNN on a terminal; redirect standard "
                        "output for the exact bytes\n");
    free(line);
    return 0;
}

/* ---- the command ------------------------------------------------------------ */

int cmd_digest(int argc, char **argv)
{
    const char *username = NULL, *password = NULL, *password_file = NULL, *password_env = NULL;
    const char *method = NULL, *uri = NULL, *cnonce = NULL, *nc = "00000001", *body_file = NULL;
    int format = OUT_TEXT;
    in_mode mode = IN_HEADERS;
    ag_profile profile = AG_PROFILE_SIP;
    size_t max_field = CLI_MAX_FIELD_DEFAULT;
    char **files = argv;
    int nfiles = 0, only_files = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (only_files || a[0] != '-' || !strcmp(a, "-")) {
            files[nfiles++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--")) {
            only_files = 1;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_digest, stdout);
            return 0;
        }
        static const char *const names[] = {"--username", "--password", "--password-file",
                                            "--password-env", "--method", "--uri", "--cnonce", "--nc",
                                            "--body-file", "--format", "--input", "--profile",
                                            "--max-field-bytes"};
        const char **dst[] = {&username, &password, &password_file, &password_env, &method, &uri,
                              &cnonce, &nc, &body_file, NULL, NULL, NULL, NULL};
        int k = 0;
        size_t j;
        for (j = 0; j < sizeof names / sizeof *names && !k; j++)
            k = opt_value(argc, argv, &i, names[j], &v);
        if (k < 0)
            return usage_error("digest", "option '%s' needs a value", a);
        if (!k)
            return usage_error("digest", "unknown option '%s'", a);
        j--;
        if (dst[j])
            *dst[j] = v;
        else if (!strcmp(names[j], "--format")) {
            if (!strcmp(v, "text"))
                format = OUT_TEXT;
            else if (!strcmp(v, "json"))
                format = OUT_JSON;
            else if (!strcmp(v, "header"))
                format = OUT_HEADER;
            else
                return usage_error("digest", "--format '%s': expected text, json or header", v);
        } else if (!strcmp(names[j], "--input")) {
            if (opt_input("digest", v, &mode))
                return 2;
        } else if (!strcmp(names[j], "--max-field-bytes")) {
            if (!(max_field = parse_size(v)))
                return usage_error("digest", "--max-field-bytes '%s': expected a positive number of bytes", v);
        } else {
            if (opt_profile("digest", v, &profile))
                return 2;
        }
    }
    if (!username || !method || !uri)
        return usage_error("digest", "%s", "--username, --method and --uri are required");
    if (strlen(nc) != 8 || strspn(nc, "0123456789abcdef") != 8)
        return usage_error("digest", "--nc '%s': expected 8 lowercase hex digits", nc);
    if (!!password + !!password_file + !!password_env != 1)
        return usage_error("digest", "%s", "give the password once: --password-file, --password-env or --password");

    /* the password */
    char *pw_owned = NULL;
    size_t pw_len = 0;
    if (password_env) {
        password = getenv(password_env);
        if (!password) {
            fprintf(stderr, "authgram: digest: --password-env: %s is not set\n", password_env);
            return 2;
        }
    } else if (password_file) {
        pw_owned = slurp(password_file, &pw_len);
        if (!pw_owned) {
            fprintf(stderr, "authgram: digest: %s: %s\n", password_file, strerror(errno));
            return 2;
        }
        /* its first line */
        char *nl = memchr(pw_owned, '\n', pw_len);
        if (nl)
            pw_len = (size_t)(nl - pw_owned);
        if (pw_len && pw_owned[pw_len - 1] == '\r')
            pw_len--;
        password = pw_owned;
    }
    if (!pw_owned)
        pw_len = strlen(password);

    /* the challenges, one record at a time */
    chooser c;
    memset(&c, 0, sizeof c);
    c.profile = profile;
    static char dash[] = "-";
    char *std_files[1] = {dash};
    if (!nfiles) {
        nfiles = 1;
        files = std_files;
    }
    int rc = 0;
    for (int i = 0; i < nfiles && !rc; i++) {
        int is_stdin = !strcmp(files[i], "-");
        FILE *f = is_stdin ? stdin : fopen(files[i], "rb");
        errno = 0;
        if (!f || read_records_limit(f, files[i], mode, max_field, on_challenge_record, &c) < 0 || c.oom) {
            const char *name = is_stdin ? "<stdin>" : files[i];
            fputs("authgram: digest: ", stderr);
            put_text(stderr, name, strlen(name));
            fprintf(stderr, ": %s\n", c.oom ? "out of memory" : errno ? strerror(errno) : "read error");
            rc = 2;
        }
        if (f && !is_stdin)
            fclose(f);
    }
    if (!rc && c.skipped) {
        /* the skipped part may hold a stronger challenge: answering the
         * best of the rest could be a downgrade */
        fprintf(stderr, "authgram: digest: part of the input was not read (above): no answer\n");
        rc = 1;
    } else if (!rc && !c.have_best) {
        if (!c.seen)
            fprintf(stderr, "authgram: digest: no challenge in the input\n");
        rc = 1;
    }

    char *realm_o = NULL, *nonce_o = NULL, *opaque_o = NULL, *body = NULL;
    if (!rc) {
        const ag_challenge *ch = &c.best_ch;
        ag_digest_input in = {0};
        in.algorithm = ch->algorithm;
        in.qop = (ag_qop)ag_digest_pick_qop(ch);
        in.username = cstr(username);
        in.password = (ag_span){password, pw_len};
        in.method = cstr(method);
        in.uri = cstr(uri);
        in.realm = unescaped(ch->realm, 1, &realm_o);
        in.nonce = unescaped(ch->nonce, 1, &nonce_o);
        ag_span opaque = unescaped(ch->opaque, 1, &opaque_o);
        char cn[33];
        if (!cnonce) {
            unsigned char rnd[16];
            if (RAND_bytes(rnd, sizeof rnd) != 1) {
                fprintf(stderr, "authgram: digest: no random bytes for the cnonce\n");
                rc = 2;
            }
            for (size_t i = 0; i < sizeof rnd; i++)
                snprintf(cn + 2 * i, 3, "%02x", rnd[i]);
            cnonce = cn;
        }
        /* the cnonce goes into cnonce="..." as it is: nothing that needs escaping */
        if (!rc && strpbrk(cnonce, "\"\\\r\n")) {
            rc = usage_error("digest", "%s", "--cnonce: no quote, backslash or line break");
        }
        size_t body_len = 0;
        if (!rc && body_file && !(body = slurp(body_file, &body_len))) {
            fprintf(stderr, "authgram: digest: %s: %s\n", body_file, strerror(errno));
            rc = 2;
        }
        in.body = (ag_span){body ? body : "", body_len};
        int sess = ch->algorithm == AG_ALGORITHM_MD5_SESS || ch->algorithm == AG_ALGORITHM_SHA_256_SESS ||
                   ch->algorithm == AG_ALGORITHM_SHA_512_256_SESS;
        if (in.qop != AG_QOP_NONE || sess) {
            in.cnonce = cstr(cnonce);
            in.nc = cstr(nc);
        }
        char resp[AG_DIGEST_HEX_MAX + 1];
        ag_status st = rc ? AG_OK : ag_digest_response(&in, resp, sizeof resp, NULL);
        if (!rc && st != AG_OK) {
            fprintf(stderr, "authgram: digest: %s\n", ag_strerror(st));
            rc = 2;
        }
        if (!rc) {
            ag_header answer = ag_header_answer(c.best.header);
            const char *hdr = ag_header_name(answer);
            char src[64];
            snprintf(src, sizeof src, ":%llu", (unsigned long long)c.best.line);
            /* no algorithm parameter means MD5 (RFC 7616 section 3.3) */
            ag_span alg_s = ch->algorithm == AG_ALGORITHM_NONE ? cstr(AG_ALGORITHM_MD5_TEXT) : ch->algorithm_raw;
            static const char *const qops[] = {NULL, AG_QOP_AUTH_TEXT, AG_QOP_AUTH_INT_TEXT};
            const char *q = qops[in.qop];
            const char *file = file_label(&c.best);
            char *source = malloc(strlen(file) + sizeof src);
            if (source) {
                strcpy(source, file);
                strcat(source, src);
            }
            if (format == OUT_TEXT) {
                if (hdr)
                    text_kv("header", cstr(hdr));
                text_kv("source", cstr(source ? source : file));
                text_kv("scheme", ch->scheme);
                text_kv("realm", in.realm);
                text_kv("nonce", in.nonce);
                if (opaque.ptr)
                    text_kv("opaque", opaque);
                text_kv("algorithm", alg_s);
                if (q)
                    text_kv("qop", cstr(q));
                if (in.cnonce.ptr) {
                    text_kv("cnonce", in.cnonce);
                    text_kv("nc", in.nc);
                }
                text_kv("response", cstr(resp));
            } else if (format == OUT_HEADER) {
                /* a bare value's answer is a Proxy-Authorization line */
                rc = header_line(profile, answer ? answer : AG_HEADER_PROXY_AUTHORIZATION, &in, opaque, alg_s, q, resp);
            } else {
                putchar('{');
                json_kv2("source", cstr(source ? source : file), 0);
                if (hdr)
                    json_kv2("header", cstr(hdr), 1);
                json_kv2("scheme", ch->scheme, 1);
                json_kv2("realm", in.realm, 1);
                json_kv2("nonce", in.nonce, 1);
                if (opaque.ptr)
                    json_kv2("opaque", opaque, 1);
                json_kv2("algorithm", alg_s, 1);
                if (q)
                    json_kv2("qop", cstr(q), 1);
                if (in.cnonce.ptr) {
                    json_kv2("cnonce", in.cnonce, 1);
                    json_kv2("nc", in.nc, 1);
                }
                json_kv2("response", cstr(resp), 1);
                puts("}");
            }
            free(source);
        }
    }
    if (pw_owned) {
        OPENSSL_cleanse(pw_owned, pw_len);
        free(pw_owned);
    }
    free(realm_o);
    free(nonce_o);
    free(opaque_o);
    free(body);
    free_chooser(&c);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "authgram: standard output: %s\n", strerror(errno));
        return 2;
    }
    return rc;
}
