/* SPDX-License-Identifier: MIT */
/* The grammar's own random samples against the machines and the parser.
 *
 *   test_samples SAMPLEDIR [AUTHGRAM-GEN GRAMMARDIR SEED]
 *
 * SAMPLEDIR/PROFILE/NAME-ok-NNNN and NAME-near-NNNN were written at build
 * time by "authgram-gen sample" (tests/CMakeLists.txt) for every entry point
 * of grammar/PROFILE.tags.  The sampler derives them from the ABNF alone, so:
 *  - every ok sample of every entry is accepted by that entry's recognizer;
 *  - for the value and header entries, ag_parse (and in sip ag_parse_challenge)
 *    accepts it too;
 *  - on every near-miss the parser agrees with the recognizer, and where
 *    both refuse, the diagnostic names the offset where the recognizer
 *    stopped; and nearly all are refused (the sampler's own matcher of the
 *    ABNF refused them);
 *  - the ok samples of value and header reach every parameter production
 *    of the profile, the generic auth-param, Digest and another scheme.
 * With the generator given, also: --list prints what the files hold (the
 * same sample for the same seed and index whatever the count), the command
 * is deterministic and reproducible (pinned output of two core rules), and
 * its error exits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"
#include "vec.h"

static const char *sample_dir, *gen_path, *grammar_dir, *seed_arg;

/* ---- files ---------------------------------------------------------------- */

/* The whole file in an exact-size heap buffer (so ASan sees an overread);
 * NULL if it does not exist. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 256, n = 0, k;
    char *buf = malloc(cap);
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    char *exact = malloc(n ? n : 1);
    memcpy(exact, buf, n);
    free(buf);
    *len = n;
    return exact;
}

static char *sample_file(const char *profile, const char *name, const char *kind, unsigned k,
                         size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s-%s-%04u", sample_dir, profile, name, kind, k);
    return read_all(path, len);
}

/* the whole input, escaped, for a failure message */
static void print_input(const char *s, size_t n)
{
    print_error("    input (%zu bytes): \"", n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == '"')
            print_error("\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            print_error("%c", c);
        else if (c == '\r')
            print_error("\\r");
        else if (c == '\n')
            print_error("\\n");
        else if (c == '\t')
            print_error("\\t");
        else
            print_error("\\x%02X", c);
    }
    print_error("\"\n");
}

/* ---- the parser, with room for any sample ------------------------------------ */

#define BIG 8192
static ag_challenge big_challenges[BIG];
static ag_param big_params[BIG], one_params[BIG];
static ag_qop_value big_qop[BIG], one_qop[BIG];
static ag_span big_domain[BIG], one_domain[BIG];

static ag_challenge_list list;

static ag_status parse_list(ag_profile prof, ag_input in, const char *buf, size_t len, ag_diag *d)
{
    memset(&list, 0, sizeof list);
    list.challenges = big_challenges;
    list.cap = BIG;
    list.params = big_params;
    list.param_cap = BIG;
    list.qop = big_qop;
    list.qop_cap = BIG;
    list.domain = big_domain;
    list.domain_cap = BIG;
    return ag_parse(prof, in, buf, len, &list, d);
}

/* sip only: the one-challenge calls */
static ag_status parse_one(ag_input in, const char *buf, size_t len, ag_diag *d)
{
    ag_challenge c;
    memset(&c, 0, sizeof c);
    c.params = one_params;
    c.param_cap = BIG;
    c.qop = one_qop;
    c.qop_cap = BIG;
    c.domain = one_domain;
    c.domain_cap = BIG;
    return ag_parse_challenge(AG_PROFILE_SIP, in, buf, len, &c, d);
}

/* ---- one entry point ------------------------------------------------------------ */

typedef struct entry_case {
    ag_profile prof;
    int entry;
    char name[96];
} entry_case;

static int fails;

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (!(cond)) {                                     \
            if (fails < 20) {                              \
                print_error("%s: ", ec->name);             \
                print_error(__VA_ARGS__);                  \
                print_error("\n");                         \
                print_input(buf, len);                     \
            }                                              \
            fails++;                                       \
        }                                                  \
    } while (0)

/* What the ok samples reached: parameter kinds, schemes, warnings. */
static unsigned seen_kind[16], seen_scheme[3], seen_warning[AG_W_COUNT], seen_challenges[4];

static void tally(const ag_challenge_list *l)
{
    static ag_warning w[4096];
    seen_challenges[l->count < 3 ? l->count : 3]++;
    for (size_t i = 0; i < l->count; i++) {
        const ag_challenge *c = &l->challenges[i];
        seen_scheme[c->scheme_id < 3 ? c->scheme_id : 0]++;
        for (size_t k = 0; k < c->param_count; k++)
            seen_kind[c->params[k].kind < 16 ? c->params[k].kind : 15]++;
    }
    size_t nw = ag_check_list(l, w, sizeof w / sizeof w[0]);
    for (size_t i = 0; i < nw && i < sizeof w / sizeof w[0]; i++)
        seen_warning[w[i].id]++;
}

static void run_entry(void **state)
{
    const entry_case *ec = *state;
    const ag_prof *P = ag_prof_of(ec->prof);
    const char *prof = P->g->profile, *name = P->g->entry_names[ec->entry];
    int parsed = ec->entry == P->e_value || ec->entry == P->e_header;
    ag_input in = ec->entry == P->e_header ? AG_INPUT_HEADER : AG_INPUT_VALUE;
    fails = 0;
    memset(seen_kind, 0, sizeof seen_kind);
    memset(seen_scheme, 0, sizeof seen_scheme);
    memset(seen_warning, 0, sizeof seen_warning);
    memset(seen_challenges, 0, sizeof seen_challenges);

    unsigned nok = 0;
    for (;; nok++) {
        size_t len, fail_off = 0;
        char *buf = sample_file(prof, name, "ok", nok, &len);
        if (!buf)
            break;
        int acc = ag_recognize(P->g, ec->entry, (const unsigned char *)buf, len, &fail_off);
        CHECK(acc, "ok sample %04u refused by the recognizer at offset %zu", nok, fail_off);
        if (parsed) {
            ag_diag d;
            char msg[256];
            ag_status rc = parse_list(ec->prof, in, buf, len, &d);
            if (rc == AG_ERR_SYNTAX)
                ag_diag_format(&d, msg, sizeof msg);
            else
                snprintf(msg, sizeof msg, "%s", ag_status_name(rc));
            CHECK(rc == AG_OK, "ok sample %04u: ag_parse says %s", nok, msg);
            if (rc == AG_OK)
                tally(&list);
            if (ec->prof == AG_PROFILE_SIP) {
                rc = parse_one(in, buf, len, &d);
                CHECK(rc == AG_OK, "ok sample %04u: ag_parse_%s says %s", nok,
                      in == AG_INPUT_HEADER ? "header" : "value", ag_status_name(rc));
            }
        }
        free(buf);
    }
    if (!nok)
        fail_msg("%s: no samples in %s/%s (is the entry missing from tests/CMakeLists.txt?)", ec->name,
                 sample_dir, prof);

    unsigned nnear = 0, refused = 0;
    for (; parsed; nnear++) {
        size_t len, fail_off = 0;
        char *buf = sample_file(prof, name, "near", nnear, &len);
        if (!buf)
            break;
        int acc = ag_recognize(P->g, ec->entry, (const unsigned char *)buf, len, &fail_off);
        refused += !acc;
        if (acc && nnear + 1 - refused <= 5) { /* not an error: shown for a look */
            print_message("%s: near-miss %04u is valid\n", ec->name, nnear);
            print_input(buf, len);
        }
        ag_diag d;
        ag_status rc = parse_list(ec->prof, in, buf, len, &d);
        CHECK(rc == AG_OK || rc == AG_ERR_SYNTAX, "near-miss %04u: ag_parse says %s", nnear,
              ag_status_name(rc));
        CHECK((rc == AG_OK) == acc, "near-miss %04u: the recognizer %s it, ag_parse says %s", nnear,
              acc ? "accepts" : "refuses", ag_status_name(rc));
        if (!acc && rc == AG_ERR_SYNTAX)
            CHECK(d.offset == fail_off, "near-miss %04u: ag_parse fails at %zu (%s), the recognizer at %zu",
                  nnear, d.offset, d.rule, fail_off);
        if (ec->prof == AG_PROFILE_SIP) {
            ag_diag d1;
            ag_status rc1 = parse_one(in, buf, len, &d1);
            CHECK(rc1 == rc, "near-miss %04u: ag_parse says %s, ag_parse_%s %s", nnear, ag_status_name(rc),
                  in == AG_INPUT_HEADER ? "header" : "value", ag_status_name(rc1));
        }
        free(buf);
    }
    if (parsed) {
        static const char *const kinds[] = {"auth-param", "realm", "domain", "nonce", "opaque",
                                            "stale", "algorithm", "qop", "charset", "userhash"};
        print_message("%s: parameters", ec->name);
        for (int k = 0; k < 16; k++)
            if (seen_kind[k])
                print_message(" %s:%u", k < 10 ? kinds[k] : "?", seen_kind[k]);
        print_message("; schemes other %u digest %u basic %u; challenges 1:%u 2:%u 3+:%u\n",
                      seen_scheme[0], seen_scheme[1], seen_scheme[2], seen_challenges[1],
                      seen_challenges[2], seen_challenges[3]);
        print_message("%s: warnings", ec->name);
        for (int k = 0; k < AG_W_COUNT; k++)
            if (seen_warning[k])
                print_message(" %s:%u", ag_warning_name((ag_warning_id)k), seen_warning[k]);
        print_message("\n");
        print_message("%s: %u ok samples, %u near-misses, %u refused (%.1f%%)\n", ec->name, nok, nnear,
                      refused, nnear ? 100.0 * refused / nnear : 0.0);
        if (fails)
            fail_msg("%s: %d check(s) failed", ec->name, fails);
        if (!nnear)
            fail_msg("%s: no near-misses in %s/%s", ec->name, sample_dir, prof);
        /* every branch of the parameter alternation is reached, the generic
         * auth-param and each dedicated production, and both schemes */
        int last = ec->prof == AG_PROFILE_HTTP ? AG_PARAM_USERHASH : AG_PARAM_QOP;
        for (int k = 0; k <= last; k++)
            if (!seen_kind[k])
                fail_msg("%s: no ok sample has a parameter of kind %s", ec->name, kinds[k]);
        if (!seen_scheme[AG_SCHEME_DIGEST] || !seen_scheme[AG_SCHEME_OTHER])
            fail_msg("%s: the ok samples lack a Digest or another challenge", ec->name);
        /* the sampler re-mutates a near-miss until its own matcher of the
         * ABNF refuses it, and gives up after 64 tries: nearly all are
         * outside the language (a lower rate means the sampler or the
         * machines read the grammar differently) */
        if (refused * 100 < nnear * 99)
            fail_msg("%s: only %u of %u near-misses refused", ec->name, refused, nnear);
    } else {
        print_message("%s: %u ok samples\n", ec->name, nok);
    }
    if (fails)
        fail_msg("%s: %d check(s) failed", ec->name, fails);
}

/* ---- the command itself ------------------------------------------------------------ */

/* Runs argv with stdout captured into *out (NUL-terminated); returns the
 * exit status, or -1. */
static int run(char *const argv[], char **out, size_t *outlen)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* the generator keeps its AST until exit on purpose (gen/main.c):
         * leak checking of a sanitizer build would fail its every run */
        static char opts[4096];
        const char *o = getenv("ASAN_OPTIONS");
        snprintf(opts, sizeof opts, "%s%sdetect_leaks=0", o ? o : "", o && *o ? ":" : "");
        setenv("ASAN_OPTIONS", opts, 1);
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    ssize_t k;
    while ((k = read(fd[0], buf + n, cap - n - 1)) > 0 || (k < 0 && errno == EINTR)) {
        if (k < 0)
            continue;
        n += (size_t)k;
        if (cap - n < 2)
            buf = realloc(buf, cap *= 2);
    }
    close(fd[0]);
    buf[n] = 0;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (out) {
        *out = buf;
        *outlen = n;
    } else {
        free(buf);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *tags_path(const char *profile)
{
    static char path[2][4096];
    int i = !strcmp(profile, "http");
    snprintf(path[i], sizeof path[i], "%s/%s.tags", grammar_dir, profile);
    return path[i];
}

/* --list prints the files' bytes: the first 40 samples of a run of 40 are
 * those of the build's run of 2000 with the same seed (a sample depends on
 * its index, not on the count); and two runs print the same. */
static void list_matches_files(void **state)
{
    (void)state;
    static const char *const cases[][2] = {{"sip", "value"}, {"sip", "header"}, {"http", "value"},
                                           {"http", "header"}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *argv[] = {(char *)(uintptr_t)gen_path, "sample", tags_path(cases[c][0]),
                        (char *)(uintptr_t)cases[c][1], "40", (char *)(uintptr_t)seed_arg, "--list",
                        "--near-miss", "40", NULL};
        char *out, *again;
        size_t n, n2;
        assert_int_equal(run(argv, &out, &n), 0);
        assert_int_equal(run(argv, &again, &n2), 0);
        assert_true(n == n2 && memcmp(out, again, n) == 0);
        free(again);
        unsigned lines = 0;
        for (char *line = out, *nl; *line; line = nl + 1, lines++) {
            nl = strchr(line, '\n');
            assert_non_null(nl);
            *nl = 0;
            int near = !strncmp(line, "near ", 5);
            assert_true(near || !strncmp(line, "ok ", 3));
            size_t len, flen;
            char *bytes = vec_unescape(line + (near ? 5 : 3), &len);
            char *file = sample_file(cases[c][0], cases[c][1], near ? "near" : "ok",
                                     near ? lines - 40 : lines, &flen);
            assert_non_null(file);
            if (len != flen || memcmp(bytes, file, len) != 0)
                fail_msg("%s %s: --list line %u is not the file's sample", cases[c][0], cases[c][1],
                         lines + 1);
            free(bytes);
            free(file);
        }
        assert_int_equal(lines, 80);
        free(out);
    }
}

/* The same output on every machine: two core rules (RFC 5234 B.1 and RFC
 * 3261 LWS, which do not change), pinned.  When the sampler's algorithm
 * changes on purpose, every seed corpus changes with it: update these. */
static void pinned_output(void **state)
{
    (void)state;
    char *out;
    size_t n;
    char *digit[] = {(char *)(uintptr_t)gen_path, "sample", tags_path("sip"), "DIGIT", "8", "42",
                     "--list", NULL};
    assert_int_equal(run(digit, &out, &n), 0);
    assert_string_equal(out, "ok 0\nok 9\nok 0\nok 8\nok 5\nok 0\nok 6\nok 0\n");
    free(out);
    char *lws[] = {(char *)(uintptr_t)gen_path, "sample", tags_path("sip"), "LWS", "4", "0x2a",
                   "--list", "--near-miss", "2", NULL};
    assert_int_equal(run(lws, &out, &n), 0);
    assert_string_equal(out, "ok \\r\\n  \\t\n"
                             "ok   \\r\\n   \\x20\n"
                             "ok \\t    \\t\n"
                             "ok \\t\n"
                             "near  \\x7F\n"
                             "near \\r\\n;\\t\\t\n");
    free(out);
}

static void error_exits(void **state)
{
    (void)state;
    char *g = (char *)(uintptr_t)gen_path, *tags = tags_path("sip");
    char notdir[4200];
    /* a directory below a regular file cannot be made */
    snprintf(notdir, sizeof notdir, "%s/sip/value-ok-0000/sub", sample_dir);
    struct {
        int status;
        char *argv[10];
    } cases[] = {
        {2, {g, "sample", tags, "no-such-rule", "1", "1", "--list", NULL}},
        {2, {g, "sample", tags, "value", "1x", "1", "--list", NULL}},
        {2, {g, "sample", tags, "value", "-1", "1", "--list", NULL}},
        {2, {g, "sample", tags, "value", "1", "seed", "--list", NULL}},
        {2, {g, "sample", tags, "value", "1", "18446744073709551616", "--list", NULL}},
        {2, {g, "sample", tags, "value", "1", "1", "--list", "--near-miss", "x", NULL}},
        {2, {g, "sample", tags, "value", "1", "1", NULL}},
        {2, {g, "sample", tags, "value", "1", "1", notdir, NULL}},
        {1, {g, "sample", "/nonexistent/none.tags", "value", "1", "1", "--list", NULL}},
        {0, {g, "sample", tags, "value", "0", "18446744073709551615", "--list", NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int st = run(cases[i].argv, NULL, NULL);
        if (st != cases[i].status)
            fail_msg("case %zu (%s %s %s %s): exit %d, expected %d", i, cases[i].argv[3],
                     cases[i].argv[4], cases[i].argv[5], cases[i].argv[6] ? cases[i].argv[6] : "", st,
                     cases[i].status);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 5) {
        fprintf(stderr, "usage: test_samples SAMPLEDIR [AUTHGRAM-GEN GRAMMARDIR SEED]\n");
        return 2;
    }
    sample_dir = argv[1];
    if (argc == 5) {
        gen_path = argv[2];
        grammar_dir = argv[3];
        seed_arg = argv[4];
    }
    static entry_case ecs[2][64];
    static struct CMUnitTest tests[2][64];
    int failed = 0;
    for (int p = 0; p < 2; p++) {
        ag_profile prof = p ? AG_PROFILE_HTTP : AG_PROFILE_SIP;
        const ag_gen_grammar *g = ag_prof_of(prof)->g;
        int n = g->nentries < 64 ? g->nentries : 64;
        for (int i = 0; i < n; i++) {
            ecs[p][i].prof = prof;
            ecs[p][i].entry = i;
            snprintf(ecs[p][i].name, sizeof ecs[p][i].name, "%s/%s", g->profile, g->entry_names[i]);
            tests[p][i].name = ecs[p][i].name;
            tests[p][i].test_func = run_entry;
            tests[p][i].initial_state = &ecs[p][i];
        }
        failed |= _cmocka_run_group_tests(g->profile, tests[p], (size_t)n, NULL, NULL);
    }
    if (gen_path) {
        const struct CMUnitTest cli[] = {
            cmocka_unit_test(list_matches_files),
            cmocka_unit_test(pinned_output),
            cmocka_unit_test(error_exits),
        };
        failed |= cmocka_run_group_tests_name("authgram-gen sample", cli, NULL, NULL);
    }
    return failed;
}
