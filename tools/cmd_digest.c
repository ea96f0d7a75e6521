/* authgram digest: answers the challenges of one response for scripts.
 * Reads every challenge (as 'check' reads them), chooses the one to answer
 * with ag_digest_choose (the strongest algorithm we compute; RFC 8760
 * section 2.4 and our policy in authgram_digest.h), and prints what the
 * answer needs: the chosen challenge's realm, nonce, opaque, algorithm and
 * qop, the cnonce and nc used, and the response. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
    "  --input headers|message|values, --profile sip|http   as for 'check'\n"
    "\n"
    "Text output, one NAME=VALUE per line: header (Proxy-Authorization or\n"
    "Authorization; absent for bare values), source (FILE:LINE), scheme, realm,\n"
    "nonce, opaque (when the challenge has one), algorithm, qop (absent when the\n"
    "challenge offers none), cnonce, nc, response.  Values are unescaped, as\n"
    "they enter the hash; use --format json for values with arbitrary bytes.\n"
    "Exit status: 0 a response was printed, 1 no challenge can be answered (each\n"
    "one's reason on standard error), 2 usage or I/O error.\n";

/* ---- collecting the challenges -------------------------------------------- */

typedef struct saved {
    record r;        /* bytes and file point to copies owned here */
    ag_list_storage st;
    ag_challenge_list l;
    ag_status status;
    ag_diag d;
} saved;

typedef struct collect {
    saved **v;
    size_t n, cap;
    int oom;
} collect;

static void on_challenge_record(const record *r, void *ctx)
{
    collect *c = ctx;
    if (c->oom)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 8;
        saved **v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            c->oom = 1;
            return;
        }
        c->v = v;
        c->cap = cap;
    }
    saved *s = calloc(1, sizeof *s);
    char *bytes = s ? malloc(r->len ? r->len : 1) : NULL;
    if (!bytes) {
        free(s);
        c->oom = 1;
        return;
    }
    memcpy(bytes, r->bytes, r->len);
    s->r = *r;
    s->r.bytes = bytes;
    c->v[c->n++] = s;
}

static void free_collect(collect *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free((void *)(uintptr_t)c->v[i]->r.bytes);
        free(c->v[i]);
    }
    free(c->v);
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

static void text_kv(const char *k, ag_span v)
{
    printf("%s=", k);
    fwrite(v.ptr ? v.ptr : "", 1, v.len, stdout);
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
 * (ag_proxy_authorization_digest), which checks every value it writes */
enum { OUT_HEADER = OUT_JSON + 1 };

static char *dup_span(ag_span v)
{
    if (!v.ptr)
        return NULL;
    char *s = malloc(v.len + 1);
    if (s) {
        memcpy(s, v.ptr, v.len);
        s[v.len] = 0;
    }
    return s;
}

static int header_line(const char *hdr, const ag_digest_input *in, ag_span opaque, ag_span alg, const char *qop,
                       const char *resp)
{
    ag_span v[] = {in->username, in->realm, in->nonce, in->uri, alg, in->cnonce, opaque, in->nc};
    char *s[8];
    int oom = 0;
    for (int i = 0; i < 8; i++)
        oom |= (s[i] = dup_span(v[i])) == NULL && v[i].ptr;
    int rc = 0;
    if (oom) {
        fprintf(stderr, "authgram: digest: out of memory\n");
        rc = 2;
    } else {
        char line[8192];
        size_t len;
        ag_field_error e;
        int www = hdr && !strcmp(hdr, "Authorization");
        ag_status st = (www ? ag_authorization_digest : ag_proxy_authorization_digest)(
            line, sizeof line, &len, &e, s[0], s[1], s[2], s[3], resp, s[4], s[5], s[6], qop, s[7]);
        if (st == AG_OK)
            fwrite(line, 1, len, stdout);
        else {
            char msg[512];
            ag_field_error_format(&e, msg, sizeof msg);
            fprintf(stderr, "authgram: digest: cannot write the header: %s\n", msg);
            rc = 2;
        }
    }
    for (int i = 0; i < 8; i++)
        free(s[i]);
    return rc;
}

/* ---- the command ------------------------------------------------------------ */

int cmd_digest(int argc, char **argv)
{
    const char *username = NULL, *password = NULL, *password_file = NULL, *password_env = NULL;
    const char *method = NULL, *uri = NULL, *cnonce = NULL, *nc = "00000001", *body_file = NULL;
    int format = OUT_TEXT;
    in_mode mode = IN_HEADERS;
    ag_profile profile = AG_PROFILE_SIP;
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
                                            "--body-file", "--format", "--input", "--profile"};
        const char **dst[] = {&username, &password, &password_file, &password_env, &method, &uri,
                              &cnonce, &nc, &body_file, NULL, NULL, NULL};
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
            if (!strcmp(v, "headers"))
                mode = IN_HEADERS;
            else if (!strcmp(v, "message"))
                mode = IN_MESSAGE;
            else if (!strcmp(v, "values"))
                mode = IN_VALUES;
            else
                return usage_error("digest", "--input '%s': expected headers, message or values", v);
        } else {
            if (!strcmp(v, "http"))
                profile = AG_PROFILE_HTTP;
            else if (!strcmp(v, "sip"))
                profile = AG_PROFILE_SIP;
            else
                return usage_error("digest", "--profile '%s': expected sip or http", v);
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

    /* the challenges */
    collect c = {0};
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
        if (!f || read_records(f, files[i], mode, on_challenge_record, &c) < 0 || c.oom) {
            fprintf(stderr, "authgram: digest: %s: %s\n", is_stdin ? "<stdin>" : files[i],
                    c.oom ? "out of memory" : strerror(errno));
            rc = 2;
        }
        if (f && !is_stdin)
            fclose(f);
    }
    size_t total = 0;
    for (size_t i = 0; i < c.n && !rc; i++) {
        saved *s = c.v[i];
        ag_challenge_list_init(&s->l, &s->st);
        s->status = ag_parse(profile, s->r.is_header ? AG_INPUT_HEADER : AG_INPUT_VALUE, s->r.bytes, s->r.len,
                             &s->l, &s->d);
        if (s->status == AG_OK)
            total += s->l.count;
        else
            fprintf(stderr, "%s:%llu: error: not read: %s%s%s\n", strcmp(s->r.file, "-") ? s->r.file : "<stdin>",
                    (unsigned long long)s->r.line, ag_strerror(s->status),
                    s->status == AG_ERR_SYNTAX ? " at rule " : "", s->status == AG_ERR_SYNTAX ? s->d.rule : "");
    }
    ag_challenge *all = rc ? NULL : calloc(total ? total : 1, sizeof *all);
    const saved **from = rc ? NULL : calloc(total ? total : 1, sizeof *from);
    ag_digest_unusable *why = rc ? NULL : calloc(total ? total : 1, sizeof *why);
    if (!rc && (!all || !from || !why)) {
        fprintf(stderr, "authgram: digest: out of memory\n");
        rc = 2;
    }
    size_t n = 0;
    for (size_t i = 0; i < c.n && !rc; i++)
        if (c.v[i]->status == AG_OK)
            for (size_t k = 0; k < c.v[i]->l.count; k++) {
                from[n] = c.v[i];
                all[n++] = c.v[i]->l.challenges[k];
            }
    size_t chosen = 0;
    if (!rc && ag_digest_choose(all, n, &chosen, why) != AG_OK) {
        if (!n)
            fprintf(stderr, "authgram: digest: no challenge in the input\n");
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "%s:%llu: challenge %.*s: cannot be answered: %s\n",
                    strcmp(from[i]->r.file, "-") ? from[i]->r.file : "<stdin>",
                    (unsigned long long)from[i]->r.line, AG_SPAN_ARGS(all[i].scheme),
                    ag_digest_unusable_name(why[i]));
        rc = 1;
    }

    char *realm_o = NULL, *nonce_o = NULL, *opaque_o = NULL, *body = NULL;
    if (!rc) {
        const ag_challenge *ch = &all[chosen];
        ag_digest_input in = {0};
        in.algorithm = ch->algorithm;
        in.qop = (ag_digest_qop)ag_digest_pick_qop(ch);
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
        if (in.qop != AG_DIGEST_QOP_NONE || sess) {
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
            const char *hdr = from[chosen]->r.header == AG_HEADER_PROXY_AUTHENTICATE ? "Proxy-Authorization"
                              : from[chosen]->r.header == AG_HEADER_WWW_AUTHENTICATE ? "Authorization"
                                                                                   : NULL;
            char src[64];
            snprintf(src, sizeof src, ":%llu", (unsigned long long)from[chosen]->r.line);
            /* no algorithm parameter means MD5 (RFC 7616 section 3.3) */
            ag_span alg_s = ch->algorithm == AG_ALGORITHM_NONE ? cstr("MD5") : ch->algorithm_raw;
            static const char *const qops[] = {NULL, "auth", "auth-int"};
            const char *q = qops[in.qop];
            const char *file = strcmp(from[chosen]->r.file, "-") ? from[chosen]->r.file : "<stdin>";
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
                rc = header_line(hdr, &in, opaque, alg_s, q, resp);
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
    free(all);
    free(from);
    free(why);
    free_collect(&c);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "authgram: standard output: %s\n", strerror(errno));
        return 2;
    }
    return rc;
}
