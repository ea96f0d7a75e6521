/* SPDX-License-Identifier: MIT */
/* authgram-gen: the grammar compiler of authgram.
 *
 *   authgram-gen check TAGS|ABNF...   read and check a grammar
 *   authgram-gen dump  TAGS|ABNF...   print the rules in dependency order
 *   authgram-gen emit  TAGS OUTDIR [--depfile FILE]
 *   authgram-gen sample TAGS NAME COUNT SEED OUTDIR|--list [--near-miss N]
 *   authgram-gen kinds OUT.h TAGS...
 *
 * Exit status: 0 success, 1 the grammar has errors, 2 usage or I/O error. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* The generator is a short-lived compiler: it keeps its AST until exit and
 * lets the process reclaim it, so LeakSanitizer would only report that.
 * (Every other ASan and UBSan check stays on.) */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }

static int usage(FILE *f)
{
    fputs("usage: authgram-gen check TAGS|ABNF...\n"
          "       authgram-gen dump  TAGS|ABNF...\n"
          "       authgram-gen emit  TAGS OUTDIR [--depfile FILE]\n"
          "       authgram-gen sample TAGS NAME COUNT SEED OUTDIR|--list [--near-miss N]\n"
          "       authgram-gen kinds OUT.h TAGS...\n"
          "\n"
          "check  reads the grammar and reports undefined rules and recursion\n"
          "       (errors) and rules unreachable from the entry points (warnings)\n"
          "dump   prints every rule, normalized, in dependency order\n"
          "emit   writes into OUTDIR: PROFILE_{plain,diag,capture}.rl (Ragel\n"
          "       machines), PROFILE_recog_{plain,diag}_K.rl (a recognizer and a\n"
          "       diagnostic machine per entry point; K from 0: one file per\n"
          "       'compose' line, then one for the other entries),\n"
          "       ag_PROFILE_grammar.h and\n"
          "       PROFILE_tables.c (rule ids, names, fields, literals), PROFILE.dict\n"
          "       (AFL++ dictionary), PROFILE_twin.re (the re2c twin: an independent\n"
          "       recognizer per entry point, for differential testing)\n"
          "sample writes COUNT random derivations of NAME (an entry point, else a\n"
          "       rule) to OUTDIR/NAME-ok-NNNN, and with --near-miss N as many\n"
          "       near-misses (one mutation at a rule boundary) to NAME-near-NNNN;\n"
          "       --list prints them instead, one per line, C-escaped, after \"ok \"\n"
          "       or \"near \".  The same SEED gives the same samples everywhere.\n"
          "kinds  writes the public enum ag_param_kind from the 'field' lines\n"
          "       (CONSTANT=N) of every profile's tags\n",
          f);
    return 2;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int load(grammar *g, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (ends_with(argv[i], ".tags"))
            tags_parse_file(g, argv[i]);
        else
            abnf_parse_file(g, argv[i]);
    }
    if (!diag_error_count())
        grammar_check(g);
    return diag_error_count() ? 1 : 0;
}

typedef int (*emitter)(grammar *g, FILE *out, const void *arg);

/* Write through a temporary file so a failed run never leaves a truncated
 * output that the build would consider up to date. */
static int write_file(const char *dir, const char *name, grammar *g,
                      int (*fn)(grammar *, FILE *, const char *), const char *arg)
{
    size_t n = strlen(dir) + strlen(name) + 8;
    char *path = xmalloc(n), *tmp = xmalloc(n + 4);
    snprintf(path, n, "%s/%s", dir, name);
    snprintf(tmp, n + 4, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "authgram-gen: cannot write '%s': %s\n", tmp, strerror(errno));
        return 2;
    }
    int rc = fn(g, f, arg);
    if (fclose(f) != 0 && !rc) {
        fprintf(stderr, "authgram-gen: cannot write '%s': %s\n", tmp, strerror(errno));
        rc = 2;
    }
    if (rc) {
        remove(tmp);
        return rc;
    }
    if (rename(tmp, path) != 0) {
        fprintf(stderr, "authgram-gen: cannot rename '%s': %s\n", tmp, strerror(errno));
        return 2;
    }
    free(path);
    free(tmp);
    return 0;
}

static int w_ragel(grammar *g, FILE *f, const char *variant) { return emit_ragel(g, f, variant); }
static const char *recog_base;
static int recog_part;
static int w_recog(grammar *g, FILE *f, const char *variant)
{
    return emit_recognizers(g, f, recog_base, variant, recog_part);
}
static int w_header(grammar *g, FILE *f, const char *unused)
{
    (void)unused;
    return emit_header(g, f);
}
static int w_tables(grammar *g, FILE *f, const char *hdr) { return emit_tables(g, f, hdr); }
static int w_dict(grammar *g, FILE *f, const char *unused)
{
    (void)unused;
    return emit_dict(g, f);
}
static int w_re2c(grammar *g, FILE *f, const char *unused)
{
    (void)unused;
    return emit_re2c(g, f);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
        return usage(stdout), 0;
    grammar g;
    memset(&g, 0, sizeof g);
    if (!strcmp(cmd, "check") || !strcmp(cmd, "dump")) {
        if (argc < 3)
            return usage(stderr);
        int rc = load(&g, argc - 2, argv + 2);
        if (rc)
            return rc;
        if (cmd[0] == 'd')
            dump_grammar(&g, stdout);
        else
            fprintf(stderr, "authgram-gen: %d rules, %d entry points, %d warning(s)\n", g.norder,
                    g.nentries, diag_warning_count());
        return 0;
    }
    if (!strcmp(cmd, "emit")) {
        const char *depfile = NULL;
        if (argc < 4)
            return usage(stderr);
        for (int i = 4; i < argc; i++) {
            if (!strcmp(argv[i], "--depfile") && i + 1 < argc)
                depfile = argv[++i];
            else
                return usage(stderr);
        }
        if (!ends_with(argv[2], ".tags")) {
            fputs("authgram-gen: emit needs a .tags file (it names the profile and the entry points)\n",
                  stderr);
            return 2;
        }
        int rc = load(&g, 1, argv + 2);
        if (rc)
            return rc;
        const char *dir = argv[3];
        const char *P = g.profile;
        char name[512], hdr[512], base[256];
        snprintf(base, sizeof base, "%s", P);
        snprintf(hdr, sizeof hdr, "ag_%s_grammar.h", P);
        static const char *variants[] = {"plain", "diag", "capture"};
        for (int i = 0; i < 3; i++) {
            snprintf(name, sizeof name, "%s_%s.rl", base, variants[i]);
            if ((rc = write_file(dir, name, &g, w_ragel, variants[i])) != 0)
                return rc;
        }
        recog_base = base;
        for (recog_part = 0; recog_part < recognizer_parts(&g); recog_part++)
            for (int v = 0; v < 2; v++) {
                snprintf(name, sizeof name, "%s_recog_%s_%d.rl", base, variants[v], recog_part);
                if ((rc = write_file(dir, name, &g, w_recog, variants[v])) != 0)
                    return rc;
            }
        if ((rc = write_file(dir, hdr, &g, w_header, NULL)) != 0)
            return rc;
        snprintf(name, sizeof name, "%s_tables.c", base);
        if ((rc = write_file(dir, name, &g, w_tables, hdr)) != 0)
            return rc;
        snprintf(name, sizeof name, "%s.dict", base);
        if ((rc = write_file(dir, name, &g, w_dict, NULL)) != 0)
            return rc;
        snprintf(name, sizeof name, "%s_twin.re", base);
        if ((rc = write_file(dir, name, &g, w_re2c, NULL)) != 0)
            return rc;
        if (depfile) {
            FILE *f = fopen(depfile, "w");
            if (!f) {
                fprintf(stderr, "authgram-gen: cannot write '%s': %s\n", depfile, strerror(errno));
                return 2;
            }
            fprintf(f, "%s/%s_plain.rl:", dir, base);
            for (int i = 0; i < g.nfiles; i++)
                fprintf(f, " \\\n  %s", g.files[i]);
            fputc('\n', f);
            fclose(f);
        }
        return 0;
    }
    if (!strcmp(cmd, "sample"))
        return sample_command(&g, argc - 2, argv + 2, load);
    if (!strcmp(cmd, "kinds"))
        return kinds_command(argc - 2, argv + 2, load);
    fprintf(stderr, "authgram-gen: unknown command '%s'\n", cmd);
    return usage(stderr);
}
