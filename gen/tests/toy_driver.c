/* SPDX-License-Identifier: MIT */
/* Runs the machines authgram-gen emitted for the toy grammar (toy/) and
 * checks them against what toy/toy.abnf and toy/toy.tags say:
 *
 *   toy_driver plain    the recognizers (ragel -G2) accept exactly the
 *                       language of each entry point
 *   toy_driver diag     the diagnostic machines (ragel -T1) name the
 *                       innermost rule at a failure; atomic and nodiag work
 *   toy_driver capture  the capture machine runs the tags' actions where
 *                       they are embedded; the fallback branch is subtracted
 *   toy_driver tables   rule ids in dependency order, names, cites, entries,
 *                       fields, literals and byte sets
 *   toy_driver twin     the re2c twin (toy_twin.re) accepts what the plain
 *                       recognizers' cases say, entry names and indices match
 *
 * Exit status 0 when every check passes; each failure is printed. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "authgram.h"
#include "ag_toy_grammar.h"
#include "toy_driver.h"

static int failures;

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (!(cond)) {                                                    \
            failures++;                                                   \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                 \
            fputc('\n', stderr);                                          \
        }                                                                 \
    } while (0)

/* ---- plain recognizers ------------------------------------------------- */

/* 1 if the plain machine of entry accepts all of s; *stop: where it stopped */
static int accepts(int entry, const char *s, size_t *stop_off)
{
    const ag_gen_plain *m = ag_toy_plain[entry];
    const unsigned char *p = (const unsigned char *)s, *stop = p;
    size_t len = strlen(s);
    int cs = m->run(*m->start, p, p + len, &stop);
    if (stop_off)
        *stop_off = (size_t)(stop - p);
    return cs != 0 && cs >= *m->first_final;
}

typedef struct lang_case {
    int entry;
    const char *input;
    int accept;
    const char *why;
} lang_case;

static const lang_case lang[] = {
    /* "Abc": RFC 5234 section 2.3, a char-val is case-insensitive */
    {AG_TOY_ENTRY_CI, "Abc", 1, "as written"},
    {AG_TOY_ENTRY_CI, "abc", 1, "lower case"},
    {AG_TOY_ENTRY_CI, "ABC", 1, "upper case"},
    {AG_TOY_ENTRY_CI, "aBc", 1, "mixed case"},
    {AG_TOY_ENTRY_CI, "ab", 0, "a prefix"},
    {AG_TOY_ENTRY_CI, "abcd", 0, "a longer string"},
    {AG_TOY_ENTRY_CI, "", 0, "empty"},
    /* %s"Abc": RFC 7405, case-sensitive */
    {AG_TOY_ENTRY_CS, "Abc", 1, "as written"},
    {AG_TOY_ENTRY_CS, "abc", 0, "%s is case-sensitive"},
    {AG_TOY_ENTRY_CS, "ABC", 0, "%s is case-sensitive"},
    /* %i"xy" %S"Z" */
    {AG_TOY_ENTRY_ICI, "xyZ", 1, "as written"},
    {AG_TOY_ENTRY_ICI, "XYZ", 1, "%i in upper case"},
    {AG_TOY_ENTRY_ICI, "xYZ", 1, "%i in mixed case"},
    {AG_TOY_ENTRY_ICI, "xyz", 0, "%S (upper-case S) is case-sensitive too"},
    /* "\" / "'" / "{}" / "" "-" / " " */
    {AG_TOY_ENTRY_PUNCT, "\\", 1, "a char-val holding a backslash (escaped for Ragel)"},
    {AG_TOY_ENTRY_PUNCT, "'", 1, "a quote"},
    {AG_TOY_ENTRY_PUNCT, "{}", 1, "braces"},
    {AG_TOY_ENTRY_PUNCT, "-", 1, "an empty char-val matches the empty string"},
    {AG_TOY_ENTRY_PUNCT, " ", 1, "a space"},
    {AG_TOY_ENTRY_PUNCT, "", 0, "\"\" is concatenated with \"-\", not an alternative"},
    {AG_TOY_ENTRY_PUNCT, "\\\\", 0, "one backslash only"},
    {AG_TOY_ENTRY_PUNCT, "\"", 0, "no double quote"},
    /* %x41.42.43 / %d97.98 / %b1100011 / %X30-39 %d65-70 %B110000-110001 / %x7B.7d */
    {AG_TOY_ENTRY_NUMS, "ABC", 1, "dotted %x"},
    {AG_TOY_ENTRY_NUMS, "abc", 0, "num-vals are case-sensitive"},
    {AG_TOY_ENTRY_NUMS, "AB", 0, "the whole %x sequence"},
    {AG_TOY_ENTRY_NUMS, "ab", 1, "dotted %d"},
    {AG_TOY_ENTRY_NUMS, "aB", 0, "dotted %d is exact bytes"},
    {AG_TOY_ENTRY_NUMS, "c", 1, "%b"},
    {AG_TOY_ENTRY_NUMS, "C", 0, "%b is an exact byte"},
    {AG_TOY_ENTRY_NUMS, "0A0", 1, "ranges: low ends"},
    {AG_TOY_ENTRY_NUMS, "9F1", 1, "ranges: high ends"},
    {AG_TOY_ENTRY_NUMS, "5C1", 1, "ranges: inside"},
    {AG_TOY_ENTRY_NUMS, "/A0", 0, "%x2F is below %x30-39"},
    {AG_TOY_ENTRY_NUMS, ":A0", 0, "%x3A is above %x30-39"},
    {AG_TOY_ENTRY_NUMS, "0@0", 0, "64 is below %d65-70"},
    {AG_TOY_ENTRY_NUMS, "0G0", 0, "71 is above %d65-70"},
    {AG_TOY_ENTRY_NUMS, "0a0", 0, "a %d range is not case-insensitive"},
    {AG_TOY_ENTRY_NUMS, "0A2", 0, "'2' is above %b110000-110001"},
    {AG_TOY_ENTRY_NUMS, "{}", 1, "%x7B.7d (lower-case hex digit)"},
    /* 2*3DIGIT */
    {AG_TOY_ENTRY_TWO_THREE, "1", 0, "below the minimum"},
    {AG_TOY_ENTRY_TWO_THREE, "12", 1, "the minimum"},
    {AG_TOY_ENTRY_TWO_THREE, "123", 1, "the maximum"},
    {AG_TOY_ENTRY_TWO_THREE, "1234", 0, "above the maximum"},
    {AG_TOY_ENTRY_TWO_THREE, "", 0, "none"},
    /* *3"a" */
    {AG_TOY_ENTRY_AT_MOST, "", 1, "zero"},
    {AG_TOY_ENTRY_AT_MOST, "a", 1, "one"},
    {AG_TOY_ENTRY_AT_MOST, "aAa", 1, "the maximum, any case"},
    {AG_TOY_ENTRY_AT_MOST, "aaaa", 0, "above the maximum"},
    /* 2*"b" */
    {AG_TOY_ENTRY_AT_LEAST, "", 0, "zero"},
    {AG_TOY_ENTRY_AT_LEAST, "b", 0, "below the minimum"},
    {AG_TOY_ENTRY_AT_LEAST, "bB", 1, "the minimum"},
    {AG_TOY_ENTRY_AT_LEAST, "bbbbbbbbbbbbbbbbbbbb", 1, "no maximum"},
    /* 3%x63 */
    {AG_TOY_ENTRY_EXACTLY, "cc", 0, "two"},
    {AG_TOY_ENTRY_EXACTLY, "ccc", 1, "three"},
    {AG_TOY_ENTRY_EXACTLY, "cccc", 0, "four"},
    {AG_TOY_ENTRY_EXACTLY, "CCC", 0, "a num-val is case-sensitive"},
    /* 1*HEXDIG / "<" *WSP 0*0"never" 1*1">" */
    {AG_TOY_ENTRY_HEX, "0", 1, "1*: one"},
    {AG_TOY_ENTRY_HEX, "DEADbeef09", 1, "1*: many; HEXDIG's \"A\" is case-insensitive"},
    {AG_TOY_ENTRY_HEX, "", 0, "1*: zero"},
    {AG_TOY_ENTRY_HEX, "g", 0, "not a HEXDIG"},
    {AG_TOY_ENTRY_HEX, "<>", 1, "*WSP: zero"},
    {AG_TOY_ENTRY_HEX, "< \t >", 1, "*WSP: three"},
    {AG_TOY_ENTRY_HEX, "<never>", 0, "0*0 matches nothing but the empty string"},
    {AG_TOY_ENTRY_HEX, "<>>", 0, "1*1 is exactly one"},
    /* hello SP name [ SP mood ] *( "," SP name ) [ CRLF ] */
    {AG_TOY_ENTRY_GREETING, "hello Bob", 1, "no option, no repetition"},
    {AG_TOY_ENTRY_GREETING, "HeLLo bob", 1, "\"hello\" is case-insensitive"},
    {AG_TOY_ENTRY_GREETING, "HI Bob", 1, "%s\"HI\""},
    {AG_TOY_ENTRY_GREETING, "hi Bob", 0, "%s\"HI\" is case-sensitive"},
    {AG_TOY_ENTRY_GREETING, "hello Bob (happy)", 1, "the option"},
    {AG_TOY_ENTRY_GREETING, "hello Bob (SAD), Ann, Cy", 1, "the option and the repetition"},
    {AG_TOY_ENTRY_GREETING, "hello Bob, Ann (sad)", 0, "the option comes before the repetition"},
    {AG_TOY_ENTRY_GREETING, "hello Bob (glad)", 0, "the group's alternatives"},
    {AG_TOY_ENTRY_GREETING, "hello Bob (happy) (sad)", 0, "an option is at most once"},
    {AG_TOY_ENTRY_GREETING, "hello  Bob", 0, "SP is one space"},
    {AG_TOY_ENTRY_GREETING, "hello", 0, "name is required"},
    {AG_TOY_ENTRY_GREETING, "hello Bob\r\n", 1, "the entry's [ CRLF ]"},
    {AG_TOY_ENTRY_GREETING, "hello Bob\n", 0, "CRLF is CR LF"},
    /* Color = "red", =/ "green" / "blue", =/ "#" 6HEXDIG, =/ %s"Cyan" (toy-more.abnf) */
    {AG_TOY_ENTRY_COLOR, "red", 1, "the '=' definition"},
    {AG_TOY_ENTRY_COLOR, "RED", 1, "case-insensitive"},
    {AG_TOY_ENTRY_COLOR, "Green", 1, "an '=/' alternative"},
    {AG_TOY_ENTRY_COLOR, "blue", 1, "an '=/' alternative"},
    {AG_TOY_ENTRY_COLOR, "#00ff7F", 1, "an '=/' concatenation"},
    {AG_TOY_ENTRY_COLOR, "#00ff7", 0, "6HEXDIG: five"},
    {AG_TOY_ENTRY_COLOR, "#00ff7F0", 0, "6HEXDIG: seven"},
    {AG_TOY_ENTRY_COLOR, "Cyan", 1, "the '=/' of another file"},
    {AG_TOY_ENTRY_COLOR, "cyan", 0, "%s\"Cyan\" is case-sensitive"},
    {AG_TOY_ENTRY_COLOR, "purple", 0, "not a color"},
    /* params: the fallback subtraction does not change the language */
    {AG_TOY_ENTRY_PARAMS, "k=1", 1, "known (and other)"},
    {AG_TOY_ENTRY_PARAMS, "k=12;x=ab;K=3", 1, "three"},
    {AG_TOY_ENTRY_PARAMS, "ab=\"q\"", 1, "other only"},
    {AG_TOY_ENTRY_PARAMS, "k=", 0, "no value"},
    {AG_TOY_ENTRY_PARAMS, "k=1;", 0, "a trailing separator"},
    /* the dedicated production of 'field known' is an entry too */
    {AG_TOY_ENTRY_RULE_KNOWN, "K=123", 1, "field entry"},
    {AG_TOY_ENTRY_RULE_KNOWN, "x=1", 0, "field entry: other is not known"},
    /* date, stamp, wrapper */
    {AG_TOY_ENTRY_DAY, "2024-01", 1, "4DIGIT \"-\" 2DIGIT"},
    {AG_TOY_ENTRY_DAY, "2024-1", 0, "2DIGIT"},
    {AG_TOY_ENTRY_WHEN, "2024-01t10:30", 1, "\"T\" is case-insensitive"},
    {AG_TOY_ENTRY_WHEN, "2024-01T1030", 0, "\":\" is required"},
    {AG_TOY_ENTRY_WRAPPED, "<2024-01>", 1, "wrapper"},
    {AG_TOY_ENTRY_DIGIT, "7", 1, "a one-byte rule"},
    {AG_TOY_ENTRY_DIGIT, "77", 0, "one byte only"},
    /* tags 'compose line names': one machine, names starting at a label */
    {AG_TOY_ENTRY_NAMES, "ab,cd", 1, "the inner entry alone"},
    {AG_TOY_ENTRY_NAMES, "ab ", 0, "the trail is the line's only"},
    {AG_TOY_ENTRY_NAMES, "ab\r\n", 0, "so is the CRLF"},
    {AG_TOY_ENTRY_NAMES, "A:ab", 0, "and so is the prefix"},
    {AG_TOY_ENTRY_LINE, "A:  ab,cd  \r\n", 1, "prefix, value, trail, CRLF"},
    {AG_TOY_ENTRY_LINE, "A:ab", 1, "no trail, no CRLF"},
    {AG_TOY_ENTRY_LINE, "B:ab ", 1, "the other prefix"},
    {AG_TOY_ENTRY_LINE, "B: ab", 0, "B's prefix has no spaces"},
    {AG_TOY_ENTRY_LINE, "A:", 0, "the value is needed"},
    {AG_TOY_ENTRY_LINE, "ab", 0, "so is a prefix"},
    {AG_TOY_ENTRY_LINE, "A:ab\r\n ", 0, "nothing after the CRLF"},
};

static void test_plain(void)
{
    for (size_t i = 0; i < sizeof lang / sizeof lang[0]; i++) {
        const lang_case *c = &lang[i];
        int got = accepts(c->entry, c->input, NULL);
        CHECK(got == c->accept, "entry '%s' %s \"%s\" (%s)", ag_toy_grammar.entry_names[c->entry],
              got ? "accepts" : "rejects", c->input, c->why);
    }
}

/* ---- the re2c twin --------------------------------------------------------- */

int ag_twin_toy(int entry, const unsigned char *buf, size_t len);
extern const char *const ag_twin_toy_entry_names[];
extern const int ag_twin_toy_nentries;

static void test_twin(void)
{
    for (size_t i = 0; i < sizeof lang / sizeof lang[0]; i++) {
        const lang_case *c = &lang[i];
        int got = ag_twin_toy(c->entry, (const unsigned char *)c->input, strlen(c->input));
        CHECK(got == c->accept, "twin entry '%s' %s \"%s\" (%s)", ag_toy_grammar.entry_names[c->entry],
              got ? "accepts" : "rejects", c->input, c->why);
    }
    CHECK(ag_twin_toy_nentries == AG_TOY_NENTRIES, "%d twin entries", ag_twin_toy_nentries);
    for (int e = 0; e < ag_twin_toy_nentries && e < AG_TOY_NENTRIES; e++)
        CHECK(!strcmp(ag_twin_toy_entry_names[e], ag_toy_grammar.entry_names[e]), "entry %d: %s", e,
              ag_twin_toy_entry_names[e]);
    CHECK(ag_twin_toy(AG_TOY_NENTRIES, (const unsigned char *)"", 0) == -1, "an unknown entry");
    /* the empty input is in a nullable entry's language only */
    CHECK(ag_twin_toy(AG_TOY_ENTRY_AT_MOST, NULL, 0) == 1, "*3\"a\" matches the empty string");
    CHECK(ag_twin_toy(AG_TOY_ENTRY_PUNCT, NULL, 0) == 0, "\"\" \"-\" does not");
}

/* ---- diagnostic machines ----------------------------------------------- */

typedef struct diag_case {
    int entry;
    const char *input;
    long offset; /* where the plain machine stops; -1: at the end of input */
    int middle, final;
    const char *why;
} diag_case;

static const diag_case diags[] = {
    {AG_TOY_ENTRY_DAY, "2024-0", -1, AG_TOY_RULE_DATE, 0, "input ends inside date"},
    {AG_TOY_ENTRY_WHEN, "2024-0", -1, AG_TOY_RULE_STAMP, 0,
     "'atomic stamp': the failure is reported against stamp, not date"},
    {AG_TOY_ENTRY_WHEN, "2024-01T10:3", -1, AG_TOY_RULE_STAMP, 0, "atomic: not time either"},
    {AG_TOY_ENTRY_WRAPPED, "<2024-01x", 8, 0, AG_TOY_RULE_DATE,
     "'nodiag wrapper': no middle rule; date had just completed"},
    {AG_TOY_ENTRY_GREETING, "hello Bob (glad)", 11, AG_TOY_RULE_MOOD, 0, "inside mood"},
    {AG_TOY_ENTRY_GREETING, "hello Bob (hap", -1, AG_TOY_RULE_MOOD, 0, "input ends inside mood"},
    {AG_TOY_ENTRY_GREETING, "hell", -1, AG_TOY_RULE_HELLO, 0, "input ends inside hello"},
    {AG_TOY_ENTRY_COLOR, "#00ff7", -1, AG_TOY_RULE_COLOR, 0,
     "HEXDIG matches one byte: it has no middle"},
    {AG_TOY_ENTRY_PARAMS, "x=", -1, AG_TOY_RULE_OTHER, 0, "only other can start with x"},
    {AG_TOY_ENTRY_DIGIT, "x", 0, 0, 0, "a one-byte rule has neither middle nor final actions"},
    {AG_TOY_ENTRY_PARAMS, "k=1;", -1, AG_TOY_RULE_PARAMS, 0,
     "between two params (the ';' state is in no param)"},
};

static const char *rule_name(int id)
{
    return id > 0 && id < ag_toy_grammar.nrules ? ag_toy_grammar.rule_names[id] : "(none)";
}

/* The innermost rule of a set the diagnostic machine filled: rule ids are in
 * dependency order (a rule names only lower ids), and the toy grammar has no
 * parallel alternatives, so it is the lowest id; 0 if the set is empty.
 * (The library's choice among parallel ones is tests/vectors/diagnostics.vec's.) */
static int innermost(const unsigned char *set)
{
    for (int id = 1; id < ag_toy_grammar.nrules; id++)
        if ((set[id >> 3] >> (id & 7)) & 1)
            return id;
    return 0;
}

static void test_diag(void)
{
    for (size_t i = 0; i < sizeof diags / sizeof diags[0]; i++) {
        const diag_case *c = &diags[i];
        const unsigned char *p = (const unsigned char *)c->input, *stop = p;
        size_t len = strlen(c->input), off;
        CHECK(!accepts(c->entry, c->input, &off), "\"%s\" must be rejected", c->input);
        long plain_off = off == len ? -1 : (long)off;
        CHECK(plain_off == c->offset, "\"%s\": plain machine stopped at %ld, expected %ld", c->input,
              plain_off, c->offset);
        const ag_gen_diagm *m = ag_toy_diag[c->entry];
        ag_gen_diag d;
        memset(&d, 0, sizeof d);
        int cs = m->run(*m->start, p, p + len, 1, &stop, &d);
        long diag_off = cs == 0 ? (long)(stop - p) : -1;
        CHECK(diag_off == c->offset, "\"%s\": diagnostic machine stopped at %ld, expected %ld",
              c->input, diag_off, c->offset);
        /* the rules just completed name a failure only outside every rule */
        int mid = innermost(d.middle), fin = innermost(d.final);
        CHECK(mid == c->middle && (c->middle || fin == c->final),
              "\"%s\": middle %s final %s, expected middle %s final %s (%s)", c->input, rule_name(mid),
              rule_name(fin), rule_name(c->middle), rule_name(c->final), c->why);
    }
    /* an accepted input runs no error action */
    const ag_gen_diagm *m = ag_toy_diag[AG_TOY_ENTRY_GREETING];
    const char *ok = "hello Bob (happy), Ann";
    const unsigned char *stop;
    ag_gen_diag d;
    memset(&d, 0, sizeof d);
    int cs = m->run(*m->start, (const unsigned char *)ok, (const unsigned char *)ok + strlen(ok), 1,
                    &stop, &d);
    CHECK(cs >= *m->first_final && innermost(d.middle) == 0 && innermost(d.final) == 0,
          "\"%s\" accepted by the diagnostic machine with no rule named", ok);
}

/* ---- capture machine ----------------------------------------------------- */

typedef struct capture_case {
    enum toy_capture_entry entry;
    const char *input;
    int accept;
    const char *trace;
    const char *why;
} capture_case;

static const capture_case captures[] = {
    /* param = known / other with 'fallback param other': other is compiled
     * as (other - known), so exactly one of %known and %other fires */
    {TOY_CAPTURE_PARAMS, "k=1", 1, "begin@0 k@0 known@3 end@3", "known only, not other"},
    {TOY_CAPTURE_PARAMS, "k=1x", 1, "begin@0 k@0 a2@3 other@4 end@4",
     "not known: other; >k_lit ran while known was still possible"},
    {TOY_CAPTURE_PARAMS, "kk=1", 1, "begin@0 k@0 other@4 end@4", "other"},
    {TOY_CAPTURE_PARAMS, "k=1;x=\"y\"", 1, "begin@0 k@0 known@3 dq@6 a2@7 dq@8 other@9 end@9",
     "%known leaves on ';'; @dq on each DQUOTE; >alpha2 on other/ALPHA#2 only"},
    {TOY_CAPTURE_PARAMS, "ab=c", 1, "begin@0 a2@3 other@4 end@4",
     "ALPHA#2 is the one in the value, not in the name"},
    {TOY_CAPTURE_PARAMS, "k=", 0, "begin@0 k@0", "rejected"},
    /* time/DIGIT#1 is the first DIGIT of time: the 2DIGIT before ':' */
    {TOY_CAPTURE_WHEN, "2024-01T10:30", 1, "hour@8 hour@9", "time/DIGIT#1"},
};

static void test_capture(void)
{
    for (size_t i = 0; i < sizeof captures / sizeof captures[0]; i++) {
        const capture_case *c = &captures[i];
        char trace[256];
        int ok = toy_capture_run(c->entry, c->input, trace, sizeof trace);
        CHECK(ok == c->accept, "\"%s\" %s (%s)", c->input, ok ? "accepted" : "rejected", c->why);
        CHECK(strcmp(trace, c->trace) == 0, "\"%s\": actions \"%s\", expected \"%s\" (%s)", c->input,
              trace, c->trace, c->why);
    }
}

/* ---- tables --------------------------------------------------------------- */

/* Ragel has no forward references: a rule's machine is defined after those of
 * every rule it refers to, so its id is larger. */
_Static_assert(AG_TOY_RULE_CR < AG_TOY_RULE_CRLF && AG_TOY_RULE_LF < AG_TOY_RULE_CRLF,
               "CRLF after CR and LF");
_Static_assert(AG_TOY_RULE_DIGIT < AG_TOY_RULE_HEXDIG, "HEXDIG after DIGIT");
_Static_assert(AG_TOY_RULE_SP < AG_TOY_RULE_WSP && AG_TOY_RULE_HTAB < AG_TOY_RULE_WSP,
               "WSP after SP and HTAB");
_Static_assert(AG_TOY_RULE_HELLO < AG_TOY_RULE_GREETING && AG_TOY_RULE_NAME < AG_TOY_RULE_GREETING &&
                   AG_TOY_RULE_MOOD < AG_TOY_RULE_GREETING && AG_TOY_RULE_ALPHA < AG_TOY_RULE_NAME,
               "greeting after its parts");
_Static_assert(AG_TOY_RULE_KNOWN < AG_TOY_RULE_PARAM && AG_TOY_RULE_OTHER < AG_TOY_RULE_PARAM &&
                   AG_TOY_RULE_PARAM < AG_TOY_RULE_PARAMS,
               "params after param after known and other");
_Static_assert(AG_TOY_RULE_DATE < AG_TOY_RULE_STAMP && AG_TOY_RULE_TIME < AG_TOY_RULE_STAMP &&
                   AG_TOY_RULE_DATE < AG_TOY_RULE_WRAPPER,
               "stamp and wrapper after date");
_Static_assert(AG_TOY_NRULES == 41, "every rule of core.abnf, toy.abnf and toy-more.abnf, plus 0");
_Static_assert(AG_TOY_NENTRIES == 20, "19 entries and the field");

static int bit(const unsigned char set[32], unsigned b)
{
    return (set[b >> 3] >> (b & 7)) & 1;
}

static const ag_gen_byteset *byteset(int rule)
{
    for (int i = 0; i < ag_toy_grammar.nsets; i++)
        if (ag_toy_grammar.sets[i].rule == rule)
            return &ag_toy_grammar.sets[i];
    return NULL;
}

static void test_tables(void)
{
    const ag_gen_grammar *g = &ag_toy_grammar;
    CHECK(strcmp(g->profile, "toy") == 0, "profile %s", g->profile);
    CHECK(g->nrules == AG_TOY_NRULES, "nrules %d", g->nrules);
    CHECK(strcmp(g->rule_names[AG_TOY_RULE_COLOR], "Color") == 0,
          "a rule is named as first written: %s", g->rule_names[AG_TOY_RULE_COLOR]);
    CHECK(strcmp(g->rule_names[AG_TOY_RULE_TWO_THREE], "two-three") == 0, "%s",
          g->rule_names[AG_TOY_RULE_TWO_THREE]);
    CHECK(strcmp(g->rule_cites[AG_TOY_RULE_COLOR],
                 "Toy section 4: groups, options, incremental alternatives") == 0,
          "the ';@' annotation: %s", g->rule_cites[AG_TOY_RULE_COLOR]);
    CHECK(strcmp(g->rule_cites[AG_TOY_RULE_DQUOTE], "RFC 5234 appendix B.1") == 0, "%s",
          g->rule_cites[AG_TOY_RULE_DQUOTE]);
    CHECK(strcmp(g->rule_cites[AG_TOY_RULE_NONE], "") == 0, "id 0 has no cite");

    CHECK(g->nentries == AG_TOY_NENTRIES, "nentries %d", g->nentries);
    CHECK(strcmp(g->entry_names[AG_TOY_ENTRY_TWO_THREE], "two-three") == 0, "%s",
          g->entry_names[AG_TOY_ENTRY_TWO_THREE]);
    CHECK(strcmp(g->entry_names[AG_TOY_ENTRY_RULE_KNOWN], "known") == 0, "%s",
          g->entry_names[AG_TOY_ENTRY_RULE_KNOWN]);
    CHECK(strcmp(g->entry_rules[AG_TOY_ENTRY_HEX], "one-plus / zero-max") == 0, "%s",
          g->entry_rules[AG_TOY_ENTRY_HEX]);
    CHECK(strcmp(g->entry_rules[AG_TOY_ENTRY_GREETING], "greeting") == 0, "%s",
          g->entry_rules[AG_TOY_ENTRY_GREETING]);
    CHECK(g->plain == ag_toy_plain && g->diag == ag_toy_diag, "machine arrays");

    CHECK(g->nfields == 1, "nfields %d", g->nfields);
    if (g->nfields == 1) {
        const ag_gen_field *f = &g->fields[0];
        CHECK(f->kind == AG_PARAM_NONCE && f->rule == AG_TOY_RULE_KNOWN, "field kind %d rule %d",
              f->kind, f->rule);
        CHECK(f->name_len == 1 && strcmp(f->name, "k") == 0, "field name: the leading char-val");
        CHECK(f->entry == AG_TOY_ENTRY_RULE_KNOWN, "field entry %d", f->entry);
        /* its slots: the span members of both views, the enum member of one */
        CHECK(f->span_at[AG_GEN_VIEW_CHALLENGE] == (short)offsetof(ag_challenge, nonce) &&
                  f->span_at[AG_GEN_VIEW_CREDENTIALS] == (short)offsetof(ag_credentials, nonce),
              "span slots %d %d", f->span_at[0], f->span_at[1]);
        CHECK(f->enum_at[AG_GEN_VIEW_CHALLENGE] == (short)offsetof(ag_challenge, stale) &&
                  f->enum_at[AG_GEN_VIEW_CREDENTIALS] == -1,
              "enum slots %d %d", f->enum_at[0], f->enum_at[1]);
        CHECK(f->lit_rule == AG_TOY_RULE_COLOR && f->other == TOY_COLOR_OTHER, "typed by color, else OTHER");
        CHECK(f->form == AG_GEN_FORM_TOKEN, "k=1*Digit is written bare: form %d", f->form);
    }
    CHECK(g->nkinds > AG_PARAM_NONCE && g->field_of_kind[AG_PARAM_NONCE] == 1 &&
              (g->nkinds <= AG_PARAM_REALM || g->field_of_kind[AG_PARAM_REALM] == 0),
          "field_of_kind: nonce is field 1, realm none");

    CHECK(g->nlits == 1, "nlits %d", g->nlits);
    if (g->nlits == 1) {
        const ag_gen_literals *l = &g->lits[0];
        static const struct {
            const char *text;
            int cs, value;
        } want[] = {{"red", 0, TOY_COLOR_RED}, {"green", 0, TOY_COLOR_GREEN}, {"Cyan", 1, TOY_COLOR_CYAN}};
        CHECK(l->rule == AG_TOY_RULE_COLOR && l->n == 3,
              "the char-val alternatives of color the tags list (not blue), also from '=/': rule %d, %d items",
              l->rule, l->n);
        for (int i = 0; i < l->n && i < 3; i++)
            CHECK(strcmp(l->items[i].text, want[i].text) == 0 &&
                      l->items[i].len == (int)strlen(want[i].text) &&
                      l->items[i].case_sensitive == want[i].cs && l->items[i].value == want[i].value,
                  "literal %d: %s", i, l->items[i].text);
    }

    /* the one-byte rules, and only those */
    const ag_gen_byteset *hex = byteset(AG_TOY_RULE_HEXDIG);
    CHECK(hex != NULL, "HEXDIG is a one-byte rule");
    if (hex)
        for (unsigned b = 0; b < 256; b++) {
            int want = (b >= '0' && b <= '9') || (b >= 'A' && b <= 'F') || (b >= 'a' && b <= 'f');
            CHECK(bit(hex->bits, b) == want, "HEXDIG byte 0x%02x", b);
        }
    const ag_gen_byteset *wsp = byteset(AG_TOY_RULE_WSP);
    CHECK(wsp != NULL, "WSP is a one-byte rule");
    if (wsp)
        for (unsigned b = 0; b < 256; b++)
            CHECK(bit(wsp->bits, b) == (b == ' ' || b == '\t'), "WSP byte 0x%02x", b);
    CHECK(byteset(AG_TOY_RULE_CRLF) == NULL, "CRLF is two bytes");
    CHECK(byteset(AG_TOY_RULE_NAME) == NULL, "1*ALPHA is not one byte");
    CHECK(byteset(AG_TOY_RULE_PUNCT) == NULL, "punct has two-byte and empty alternatives");
    CHECK(g->nsets == 11, "nsets %d", g->nsets);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: toy_driver plain|diag|capture|tables|twin\n", stderr);
        return 2;
    }
    if (!strcmp(argv[1], "plain"))
        test_plain();
    else if (!strcmp(argv[1], "diag"))
        test_diag();
    else if (!strcmp(argv[1], "capture"))
        test_capture();
    else if (!strcmp(argv[1], "tables"))
        test_tables();
    else if (!strcmp(argv[1], "twin"))
        test_twin();
    else {
        fprintf(stderr, "toy_driver: unknown part '%s'\n", argv[1]);
        return 2;
    }
    if (failures) {
        fprintf(stderr, "toy_driver %s: %d check(s) failed\n", argv[1], failures);
        return 1;
    }
    printf("toy_driver %s: all checks passed\n", argv[1]);
    return 0;
}
