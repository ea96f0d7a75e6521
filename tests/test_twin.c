/* SPDX-License-Identifier: MIT */
/* The Ragel machines against the re2c twin (gen/emit_re2c.c): two engines
 * compiled from the same ABNF by different emitters must accept the same
 * inputs, for every entry point of both profiles.  Inputs: every vector of
 * the .vec files named on the command line, deterministic mutations of
 * each, every input of one byte and of two bytes from an alphabet of the
 * grammar's delimiters, and, with --samples DIR, every file of DIR/sip and
 * DIR/http ("authgram-gen sample": words of every entry point drawn from the
 * ABNF, which reach deep rules such as the URIs that the vectors barely
 * touch) with a few mutations of each.  The twin also answers the vectors' own verdicts
 * (independently of Ragel) and never reads outside its buffer. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ag_http_grammar.h"
#include "ag_sip_grammar.h"
#include "internal.h"
#include "twin.h"
#include "vec.h"

typedef struct profile {
    const char *name;
    const ag_gen_grammar *g;
    int (*twin)(int entry, const unsigned char *buf, size_t len);
    const char *const *twin_names;
    const int *twin_count;
} profile;

static const profile profiles[] = {
    {"sip", &ag_sip_grammar, ag_twin_sip, ag_twin_sip_entry_names, &ag_twin_sip_nentries},
    {"http", &ag_http_grammar, ag_twin_http, ag_twin_http_entry_names, &ag_twin_http_nentries},
};
#define NPROFILES (sizeof profiles / sizeof profiles[0])

static char **vec_files;
static int nvec_files;
static const char *samples_dir; /* NULL: no samples */

/* counts over the whole run, for the summary line */
static unsigned long compared, accepted, disagreements;

/* The input, escaped, up to 4 KiB (vec_show stops at 512 bytes: too few
 * for a long value whose difference is near its end). */
static void show_input(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (i == 4096) {
            print_error("...");
            break;
        }
        unsigned c = s[i];
        if (c == '\\')
            print_error("\\\\");
        else if (c >= 0x20 && c < 0x7f)
            print_error("%c", (int)c);
        else
            print_error("\\x%02x", c);
    }
}

/* Compares both engines on one input for one entry; prints and counts a
 * disagreement.  what: where the input came from. */
static int compare(const profile *p, int entry, const unsigned char *buf, size_t len, const char *what)
{
    size_t fail_off = 0;
    int ragel = ag_recognize(p->g, entry, buf, len, &fail_off);
    int twin = p->twin(entry, buf, len);
    compared++;
    accepted += ragel == 1 && twin == 1;
    if (ragel == twin)
        return 1;
    if (disagreements++ < 40) {
        print_error("DISAGREE %s entry %d (%s), %s: ragel %d (stops at %zu), re2c twin %d, input (%zu bytes): \"",
                    p->name, entry, p->g->entry_names[entry], what, ragel, ragel ? len : fail_off, twin, len);
        show_input(buf, len);
        print_error("\"\n");
    }
    return 0;
}

/* Every entry point of both profiles over one input, in an exact-size heap
 * copy (so ASan sees an overread). */
static int compare_all(const unsigned char *in, size_t len, const char *what)
{
    unsigned char *buf = malloc(len ? len : 1);
    assert_non_null(buf);
    memcpy(buf, in, len);
    int ok = 1;
    for (size_t k = 0; k < NPROFILES; k++)
        for (int e = 0; e < profiles[k].g->nentries; e++)
            ok &= compare(&profiles[k], e, buf, len, what);
    free(buf);
    return ok;
}

/* ---- the entry tables ------------------------------------------------------ */

static void test_entry_tables(void **state)
{
    (void)state;
    for (size_t k = 0; k < NPROFILES; k++) {
        const profile *p = &profiles[k];
        assert_int_equal(*p->twin_count, p->g->nentries);
        for (int e = 0; e < p->g->nentries; e++)
            if (strcmp(p->twin_names[e], p->g->entry_names[e]) != 0)
                fail_msg("%s entry %d: twin '%s', grammar '%s'", p->name, e, p->twin_names[e],
                         p->g->entry_names[e]);
        static const unsigned char x[1] = {'x'};
        assert_int_equal(p->twin(-1, x, 1), -1);
        assert_int_equal(p->twin(p->g->nentries, x, 1), -1);
        /* a null buffer of length 0 is the empty input */
        for (int e = 0; e < p->g->nentries; e++)
            assert_int_equal(p->twin(e, NULL, 0), p->twin(e, x, 0));
    }
    /* the indices the rest of the code uses by name */
    assert_string_equal(ag_twin_sip_entry_names[AG_SIP_ENTRY_VALUE], "value");
    assert_string_equal(ag_twin_sip_entry_names[AG_SIP_ENTRY_RULE_QOP_OPTIONS], "qop-options");
    assert_string_equal(ag_twin_http_entry_names[AG_HTTP_ENTRY_TOKEN68], "token68");
    assert_string_equal(ag_twin_http_entry_names[AG_HTTP_ENTRY_RULE_USERHASH], "userhash");
}

/* ---- the twin's own answers, from the ABNF (not from Ragel) ---------------- */

typedef struct known {
    int http, entry;
    const char *input;
    size_t len; /* the literals may hold NUL */
    int in;
} known;
#define K(http, entry, lit, in) {http, entry, lit, sizeof(lit) - 1, in}

static const known knowns[] = {
    K(0, AG_SIP_ENTRY_VALUE, "Digest realm=\"a\"", 1),
    K(0, AG_SIP_ENTRY_VALUE, "dIGEST REALM=\"a\"", 1),          /* char-vals: any case */
    K(0, AG_SIP_ENTRY_VALUE, "Digest realm=\"a\" ", 0),         /* quoted-string ends the value */
    K(0, AG_SIP_ENTRY_VALUE, "Digest realm=\"a\",nonce=\"b\"", 1),
    K(0, AG_SIP_ENTRY_VALUE, "Digest realm=\"a\"\r\n ,nonce=\"b\"", 1), /* LWS fold */
    K(0, AG_SIP_ENTRY_VALUE, "Digest realm=\"a\"\r\n\r\n ,nonce=\"b\"", 0),
    K(0, AG_SIP_ENTRY_VALUE, "Digest realm=\"a\\\x00\"", 1),     /* quoted-pair allows %x00 */
    K(0, AG_SIP_ENTRY_VALUE, "Digest realm=\"\x80\"", 0),       /* a lone UTF8-CONT */
    K(0, AG_SIP_ENTRY_VALUE, "Digest", 0),
    K(0, AG_SIP_ENTRY_VALUE, "", 0),
    K(0, AG_SIP_ENTRY_HEADER, "Proxy-Authenticate: Basic realm=x\r\n", 1),
    K(0, AG_SIP_ENTRY_HEADER, "Proxy-Authenticate: Basic realm=x\r", 0),
    K(0, AG_SIP_ENTRY_UTF8, "", 1),                             /* *UTF8-char: nullable */
    K(0, AG_SIP_ENTRY_UTF8, "\xc3\xa9", 1),
    K(0, AG_SIP_ENTRY_UTF8, "\xc3", 0),
    K(0, AG_SIP_ENTRY_RULE_STALE, "stale=TRUE", 1),
    K(0, AG_SIP_ENTRY_RULE_STALE, "stale=truex", 0),            /* the field rule, not auth-param */
    K(0, AG_SIP_ENTRY_RULE_QOP_OPTIONS, "qop=\"auth,auth-int\"", 1),
    K(0, AG_SIP_ENTRY_RULE_QOP_OPTIONS, "qop=\"auth, auth-int\"", 0),
    K(1, AG_HTTP_ENTRY_VALUE, "Basic realm=\"x\", Digest realm=\"y\"", 1),
    K(1, AG_HTTP_ENTRY_VALUE, "Basic abc==", 1),                /* token68 */
    K(1, AG_HTTP_ENTRY_VALUE, "", 0),
    K(1, AG_HTTP_ENTRY_TOKEN68, "a=", 1),
    K(1, AG_HTTP_ENTRY_TOKEN68, "=a", 0),
};

static void test_known_answers(void **state)
{
    (void)state;
    unsigned long before = disagreements;
    int bad = 0;
    for (size_t i = 0; i < sizeof knowns / sizeof knowns[0]; i++) {
        const known *k = &knowns[i];
        const profile *p = &profiles[k->http];
        size_t len = k->len;
        int twin = p->twin(k->entry, (const unsigned char *)k->input, len);
        if (twin != k->in) {
            print_error("%s entry %s: twin says %d, the ABNF %d: \"", p->name, p->g->entry_names[k->entry],
                        twin, k->in);
            show_input((const unsigned char *)k->input, len);
            print_error("\"\n");
            bad++;
        }
        compare_all((const unsigned char *)k->input, len, "known answer");
    }
    if (bad || disagreements > before)
        fail_msg("%d wrong answer(s), %lu disagreement(s)", bad, disagreements - before);
}

/* ---- the vectors -------------------------------------------------------------- */

/* deterministic pseudo-random numbers (xorshift32) */
static uint32_t rnd_state;
static uint32_t rnd(void)
{
    if (!rnd_state) /* xorshift's one fixed point */
        rnd_state = 1;
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

/* bytes where the grammar's structure turns */
static const unsigned char interesting[] = {'"', '\\', ',', '=', '\r', '\n', ' ', '\t', 0x00, 0x80, 0xff,
                                            0xc3, 0xbf, '/', ':', '@', ';', '%', '<', '>', 'a', '0'};
#define NINTERESTING (sizeof interesting / sizeof interesting[0])

/* Applies 1 to 3 random edits to buf[0, *len) (capacity cap). */
static void mutate(unsigned char *buf, size_t *len, size_t cap)
{
    int edits = 1 + (int)(rnd() % 3);
    for (int k = 0; k < edits; k++) {
        size_t n = *len;
        size_t at = n ? rnd() % n : 0;
        unsigned char b = rnd() % 4 ? interesting[rnd() % NINTERESTING] : (unsigned char)rnd();
        switch (rnd() % 6) {
        case 0: /* flip bits */
            if (n)
                buf[at] ^= (unsigned char)(1u << (rnd() % 8));
            break;
        case 1: /* overwrite */
            if (n)
                buf[at] = b;
            break;
        case 2: /* delete 1 to 4 bytes */
            if (n) {
                size_t d = 1 + rnd() % 4;
                if (d > n - at)
                    d = n - at;
                memmove(buf + at, buf + at + d, n - at - d);
                *len = n - d;
            }
            break;
        case 3: /* insert */
            if (n < cap) {
                at = rnd() % (n + 1);
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = b;
                *len = n + 1;
            }
            break;
        case 4: /* truncate */
            *len = at;
            break;
        default: /* duplicate a slice */
            if (n) {
                size_t d = 1 + rnd() % 8;
                if (d > n - at)
                    d = n - at;
                if (n + d <= cap) {
                    memmove(buf + at + d, buf + at, n - at);
                    *len = n + d;
                }
            }
            break;
        }
    }
}

#define MUTANTS_PER_VECTOR 24

static void test_vectors(void **state)
{
    (void)state;
    unsigned long before = disagreements, compared0 = compared, accepted0 = accepted;
    unsigned long vectors = 0, mutants = 0, verdicts = 0;
    int wrong_verdicts = 0;
    for (int f = 0; f < nvec_files; f++) {
        vec_case *cases;
        size_t n = vec_read(vec_files[f], &cases);
        assert_true(n > 0);
        for (size_t i = 0; i < n; i++) {
            const vec_case *c = &cases[i];
            char what[512];
            snprintf(what, sizeof what, "%s:%d %s", c->file, c->line, c->name);
            const unsigned char *in = (const unsigned char *)c->input;
            compare_all(in, c->input_len, what);
            vectors++;

            /* the vector's verdict, for its profile and entry (the lenient
             * reading's language is larger: not the grammar's) */
            const char *prof = vec_get(c, "profile", NULL);
            const char *entry = vec_get(c, "entry", NULL);
            const char *result = vec_get(c, "result", NULL);
            const char *len_key = vec_get(c, "lenient", NULL);
            if (result && !(len_key && !strcmp(len_key, "yes"))) {
                int http = prof && !strcmp(prof, "http");
                int header = entry && !strcmp(entry, "header");
                int e = http ? (header ? AG_HTTP_ENTRY_HEADER : AG_HTTP_ENTRY_VALUE)
                             : (header ? AG_SIP_ENTRY_HEADER : AG_SIP_ENTRY_VALUE);
                int twin = profiles[http].twin(e, in, c->input_len);
                verdicts++;
                if (twin != !strcmp(result, "valid")) {
                    print_error("%s: result %s, but the re2c twin says %d\n", what, result, twin);
                    wrong_verdicts++;
                }
            }

            size_t cap = c->input_len * 2 + 16;
            unsigned char *m = malloc(cap);
            assert_non_null(m);
            rnd_state = 0x9e3779b9u ^ (uint32_t)(f * 7919 + (int)i * 104729 + 1);
            for (int k = 0; k < MUTANTS_PER_VECTOR; k++) {
                size_t len = c->input_len;
                memcpy(m, in, len);
                mutate(m, &len, cap);
                char mwhat[600];
                snprintf(mwhat, sizeof mwhat, "mutant %d of %s", k, what);
                compare_all(m, len, mwhat);
                mutants++;
            }
            free(m);
        }
        vec_free(cases, n);
    }
    print_message("%lu vectors, %lu mutants, %lu verdicts: %lu comparisons, %lu accepted by both, "
                  "%lu disagreement(s)\n",
                  vectors, mutants, verdicts, compared - compared0, accepted - accepted0,
                  disagreements - before);
    if (wrong_verdicts || disagreements > before)
        fail_msg("%d wrong verdict(s), %lu disagreement(s)", wrong_verdicts, disagreements - before);
}

/* ---- the grammar's samples ------------------------------------------------------ */

#define MUTANTS_PER_SAMPLE 4

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    unsigned char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_samples(void **state)
{
    (void)state;
    if (!samples_dir) {
        print_message("no --samples directory: skipped\n");
        skip();
    }
    unsigned long before = disagreements, compared0 = compared, accepted0 = accepted;
    unsigned long files = 0, mutants = 0;
    for (size_t k = 0; k < NPROFILES; k++) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/%s", samples_dir, profiles[k].name);
        DIR *d = opendir(dir);
        if (!d)
            fail_msg("cannot open %s", dir);
        /* sorted: the same mutations in the same order on every run */
        char **names = NULL;
        size_t n = 0;
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            names = realloc(names, sizeof(char *) * (n + 1));
            names[n++] = strdup(de->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof(char *), cmp_names);
        for (size_t i = 0; i < n; i++) {
            char path[2048], what[2100];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            size_t len;
            unsigned char *in = read_file(path, &len);
            compare_all(in, len, path);
            files++;
            size_t cap = len * 2 + 16;
            unsigned char *m = malloc(cap);
            assert_non_null(m);
            rnd_state = 0x85ebca6bu ^ (uint32_t)(k * 7919 + i * 104729 + 1);
            for (int j = 0; j < MUTANTS_PER_SAMPLE; j++) {
                size_t mlen = len;
                memcpy(m, in, len);
                mutate(m, &mlen, cap);
                snprintf(what, sizeof what, "mutant %d of %s", j, path);
                compare_all(m, mlen, what);
                mutants++;
            }
            free(m);
            free(in);
            free(names[i]);
        }
        free(names);
    }
    assert_true(files > 0);
    print_message("%lu samples, %lu mutants: %lu comparisons, %lu accepted by both, %lu disagreement(s)\n",
                  files, mutants, compared - compared0, accepted - accepted0, disagreements - before);
    if (disagreements > before)
        fail_msg("%lu disagreement(s)", disagreements - before);
}

/* ---- short inputs, exhaustively --------------------------------------------- */

static void test_short_inputs(void **state)
{
    (void)state;
    unsigned long before = disagreements;
    unsigned char b[2] = {0, 0};
    compare_all(b, 0, "the empty input");
    for (unsigned x = 0; x < 256; x++) {
        b[0] = (unsigned char)x;
        compare_all(b, 1, "one byte");
    }
    /* two bytes: every byte then an interesting one, and the reverse */
    for (unsigned x = 0; x < 256; x++)
        for (size_t y = 0; y < NINTERESTING; y++) {
            b[0] = (unsigned char)x, b[1] = interesting[y];
            compare_all(b, 2, "two bytes");
            b[0] = interesting[y], b[1] = (unsigned char)x;
            compare_all(b, 2, "two bytes");
        }
    if (disagreements > before)
        fail_msg("%lu disagreement(s)", disagreements - before);
}

/* ---- bounds: every prefix of every vector ends before a PROT_NONE page ---- */

static void test_bounds(void **state)
{
    (void)state;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (int f = 0; f < nvec_files; f++) {
        vec_case *cases;
        size_t n = vec_read(vec_files[f], &cases);
        assert_true(n > 0);
        for (size_t i = 0; i < n; i++) {
            size_t len = cases[i].input_len;
            size_t pages = (len + page - 1) / page + 1;
            unsigned char *base =
                mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            assert_true(base != MAP_FAILED);
            unsigned char *end = base + (pages - 1) * page;
            assert_int_equal(mprotect(end, page, PROT_NONE), 0);
            for (size_t cut = 0; cut <= len; cut += 1 + cut / 16) {
                memcpy(end - cut, cases[i].input, cut);
                for (size_t k = 0; k < NPROFILES; k++)
                    for (int e = 0; e < profiles[k].g->nentries; e++)
                        profiles[k].twin(e, end - cut, cut);
            }
            munmap(base, pages * page);
        }
        vec_free(cases, n);
    }
}

int main(int argc, char **argv)
{
    vec_files = argv + 1;
    nvec_files = argc - 1;
    if (nvec_files >= 2 && !strcmp(argv[1], "--samples")) {
        samples_dir = argv[2];
        vec_files += 2;
        nvec_files -= 2;
    }
    if (nvec_files < 1) {
        fprintf(stderr, "usage: test_twin [--samples DIR] FILE.vec...\n");
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_tables),
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_short_inputs),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
