/* SPDX-License-Identifier: MIT */
/* Library internals shared by the source files; not installed. */
#ifndef AG_INTERNAL_H
#define AG_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "authgram.h"
#include "grammar_rt.h"
#include "leap.h"

/* The grammar of each profile, generated from grammar/PROFILE.tags. */
extern const ag_gen_grammar ag_sip_grammar;
extern const ag_gen_grammar ag_http_grammar;

/* A profile's generated grammar, and the entries and rules that the
 * hand-written code uses by role (src/profile.c). */
typedef struct ag_prof {
    const ag_gen_grammar *g;
    int e_value, e_header, e_utf8, e_qop_value, e_scheme, e_auth_param, e_uri, e_param_name,
        e_token, e_token68; /* e_token68: -1 where the profile has none */
    int e_cred_value, e_cred_header; /* credentials (Authorization) */
    unsigned grp_challenge, grp_credentials; /* ag_gen_field.groups of each side */
    int r_alg, r_qop, r_scheme; /* the registries */
    int l_scheme;           /* registered-scheme's literal set (index in g->lits) */
    int r_fold;             /* the rule a CR or LF in a quoted value would start */
    /* the rules the warnings and deviations are named after (-1: the
     * profile has none): auth-param, qop-value, the fallback branches of
     * challenge and credentials, the Digest parameter alternations of each
     * side, token68, BWS, challenge, and what separates list elements (sip
     * COMMA; http lists have no rule for it: RFC 7230's #rule) */
    int r_auth_param, r_qop_value, r_other_challenge, r_other_credentials, r_digest_challenge,
        r_digest_credentials, r_token68, r_bws, r_challenge, r_comma;
    /* per ASCII byte inside a quoted value: 0 written as itself (qdtext),
     * 1 as a quoted-pair, 2 never (made by authgram-leapgen from the
     * auth-param machine) */
    const unsigned char *quote_class;
} ag_prof;

enum { AG_QUOTE_PLAIN = 0, AG_QUOTE_PAIR = 1, AG_QUOTE_NEVER = 2 };

/* The leap tables authgram-leapgen made (build/gen/<profile>_leap.c). */
extern const ag_leap_table ag_sip_capture_leap;
extern const ag_leap_table ag_http_capture_leap;
extern const unsigned char ag_sip_quote_class[128];
extern const unsigned char ag_http_quote_class[128];

const ag_prof *ag_prof_of(ag_profile profile);

/* The name of rule id in g, "" for -1. */
static inline const char *ag_rule_name(const ag_gen_grammar *g, int id) { return id >= 0 ? g->rule_names[id] : ""; }

/* Bytes the lenient reading leaves out (a doubled comma, trailing
 * whitespace): the machines run over the input without them, in segments,
 * so spans still point into the caller's buffer.  Sorted, disjoint. */
typedef struct ag_skip {
    size_t at, len;
} ag_skip;

/* The 'field' production of a kind / of a parameter name among the
 * productions of one side (groups: ag_prof.grp_challenge or
 * grp_credentials; "qop" is qop-options in one, message-qop in the other),
 * or NULL. */
static inline const ag_gen_field *ag_field_of_kind(const ag_gen_grammar *g, ag_param_kind kind)
{
    return (unsigned)kind < (unsigned)g->nkinds && g->field_of_kind[kind] ? &g->fields[g->field_of_kind[kind] - 1]
                                                                           : NULL;
}
const ag_gen_field *ag_field_named(const ag_gen_grammar *g, ag_span name, unsigned groups);

/* Does NAME=VALUE of p, written as production f wants it (in quotes or
 * bare; with list, the values joined by ","), match f's own machine? */
int ag_field_matches(const ag_prof *P, const ag_gen_field *f, const ag_param *p, int quote,
                     const ag_span *list, size_t nlist);

/* ag_check for either side: creds 1 reads c as credentials (their
 * dedicated productions, the prose rules of a Digest response, whose
 * algorithm is alg). */
size_t ag_check_side(const ag_challenge *c, int creds, ag_algorithm alg, ag_warning *out, size_t cap);

/* The separators the lenient reading passes over: SP, HTAB, ",". */
int ag_loose_separator(char c);

/* The lenient reading's typing of a parsed list (src/lenient.c). */
ag_status ag_lenient_types(ag_challenge_list *l);

/* Records a deviation the lenient reading applied (kept up to
 * AG_LIST_DEVIATIONS, counted beyond). */
void ag_add_deviation(ag_challenge_list *l, ag_warning_id id, size_t offset, const char *rule);

/* What a parser reads (the 'what' argument below): a challenge value or
 * header line, or a credentials value or header line. */
enum { AG_WHAT_VALUE = 0, AG_WHAT_HEADER = 1, AG_WHAT_CRED_VALUE = 2, AG_WHAT_CRED_HEADER = 3 };

/* What an ag_input of challenges (creds 0) or credentials (1) is; -1 for a
 * value that is no ag_input (ag_parse_what refuses it). */
static inline int ag_what_of(ag_input input, int creds)
{
    if (input != AG_INPUT_VALUE && input != AG_INPUT_HEADER)
        return -1;
    return (creds ? AG_WHAT_CRED_VALUE : AG_WHAT_VALUE) + (input == AG_INPUT_HEADER);
}

/* The one parse path (src/list.c): the input (AG_WHAT_*) of profile less
 * the skips into a list (sip: exactly one challenge or credentials, its
 * arrays the list's); the returns of ag_parse, *fail_at where it failed. */
ag_status ag_parse_what(ag_profile profile, int what, const char *buf, size_t len, const ag_skip *skip,
                        size_t nskip, ag_challenge_list *out, ag_diag *diag, size_t *fail_at);

/* *l as a list of the one challenge c over c's arrays, for ag_parse_what.
 * Not a memset: the list's deviation array is large and unread here. */
static inline void ag_list_of_one(ag_challenge_list *l, ag_challenge *c)
{
    l->lenient = 0;
    l->deviation_count = 0;
    l->challenges = c;
    l->cap = 1;
    l->count = 0;
    l->params = c->params;
    l->param_cap = c->param_cap;
    l->qop = c->qop;
    l->qop_cap = c->qop_cap;
    l->domain = c->domain;
    l->domain_cap = c->domain_cap;
}

/* The parsers over the input less the skips.  On AG_ERR_SYNTAX *fail_at is
 * the offset (in buf) of the byte the capture machine refused, or len when
 * the input ended too early; diag is filled only when there are no skips. */
ag_status ag_parse_sip_skips(int what, const char *buf, size_t len, const ag_skip *skip, size_t nskip,
                             ag_challenge *out, ag_diag *diag, size_t *fail_at);
ag_status ag_parse_http(int what, const char *buf, size_t len, const ag_skip *skip, size_t nskip,
                        ag_challenge_list *out, ag_diag *diag, size_t *fail_at);
/* The same, leaping (src/leap.h) or not: the tests compare the two. */
ag_status ag_parse_sip_leap(int what, const char *buf, size_t len, const ag_skip *skip, size_t nskip,
                            ag_challenge *out, ag_diag *diag, size_t *fail_at, int leap);
ag_status ag_parse_http_leap(int what, const char *buf, size_t len, const ag_skip *skip, size_t nskip,
                             ag_challenge_list *out, ag_diag *diag, size_t *fail_at, int leap);

/* Runs entry point `entry` of g over [buf, buf+len): 1 if the whole input
 * is in the entry's language, else 0 with *fail_off set to the offset of the
 * first byte that cannot be accepted (len when the input ends too early). */
int ag_recognize(const ag_gen_grammar *g, int entry, const unsigned char *buf, size_t len,
                 size_t *fail_off);

/* A plain machine of g over [p, pe) from state cs, leaping where its table
 * allows (leap 1) or reading every byte (0); *stop as ag_gen_plain's run. */
int ag_plain_run(const ag_gen_grammar *g, int entry, int cs, const unsigned char *p,
                 const unsigned char *pe, const unsigned char **stop, int leap);

/* The length of the longest prefix of [buf, buf+len) in the entry's
 * language; 0 when there is none (entries used with it are not nullable). */
size_t ag_longest_match(const ag_gen_grammar *g, int entry, const unsigned char *buf, size_t len);

/* Fills *d for input known not to be in the entry's language: the offset,
 * the innermost rule (diagnostic machine) and the bytes that would have been
 * accepted there (plain machine, probed). */
void ag_diagnose(const ag_gen_grammar *g, int entry, const unsigned char *buf, size_t len,
                 ag_diag *d);

/* A machine run over bytes that arrive in pieces (the serializer's output).
 * diag = 1 runs the diagnostic machine, which can name the rule. */
typedef struct ag_stream {
    const ag_gen_grammar *g;
    int entry, diag, cs;
    const ag_leap_table *leap; /* the plain machine's */
    size_t fed;   /* bytes accepted so far */
    size_t from;  /* the serializer's fast pass: where its bytes begin in the output */
    ag_gen_diag dd;
} ag_stream;

void ag_stream_init(ag_stream *s, const ag_gen_grammar *g, int entry, int diag);
/* Feeds [p, p+n); returns how many bytes were accepted (n unless the
 * machine failed on a byte; then it stays failed). */
size_t ag_stream_feed(ag_stream *s, const unsigned char *p, size_t n);
/* At the end of the input: 1 if the machine is in a final state. */
int ag_stream_end(ag_stream *s);
/* The rule to name for a failed diagnostic stream, and its RFC section. */
const char *ag_stream_rule(const ag_stream *s, const char **rfc);

/* The literal of a 'literals' rule that equals [s, s+n) (char-vals are
 * case-insensitive unless %s), or fallback. */
int ag_literal_value(const ag_gen_grammar *g, int rule, const char *s, size_t n, int fallback);

/* ASCII case-insensitive equality of two spans. */
int ag_span_ieq(ag_span a, ag_span b);

/* ASCII case-insensitive equality of [a, a+n) and the C string b. */
int ag_ascii_ieq(const char *a, size_t n, const char *b);

/* The same over one literal set.  (Inline: the parser types every
 * algorithm, qop, stale and scheme through it.) */
static inline int ag_literal_in(const ag_gen_literals *set, const char *s, size_t n, int fallback)
{
    if (!n || n > 16) { /* (no literal of the grammars is longer; the toy's may be) */
        for (int k = 0; n && k < set->n; k++) {
            const ag_gen_literal *l = &set->items[k];
            if ((size_t)l->len == n &&
                (l->case_sensitive ? memcmp(l->text, s, n) == 0 : ag_ascii_ieq(s, n, l->text)))
                return l->value;
        }
        return fallback;
    }
    /* 16 bytes at a time: the value zero-padded, the letters folded by
     * the literal's own mask (src/grammar_rt.h) */
    uint64_t w[2] = {0, 0};
    memcpy(w, s, n);
    for (int k = 0; k < set->n; k++) {
        const ag_gen_literal *l = &set->items[k];
        uint64_t f[2], m[2];
        memcpy(f, l->folded, 16);
        memcpy(m, l->fold_mask, 16);
        if ((size_t)l->len == n && ((w[0] | m[0]) ^ f[0]) == 0 && ((w[1] | m[1]) ^ f[1]) == 0)
            return l->value;
    }
    return fallback;
}

/* The text of the literal of rule whose constant is value, or "". */
const char *ag_literal_text(const ag_gen_grammar *g, int rule, int value);
/* An auth-scheme typed by the grammar's registered-scheme (AG_SCHEME_OTHER
 * when it is none of its literals), and the registered name of one. */
static inline ag_scheme ag_scheme_of(const ag_prof *P, ag_span scheme)
{
    return (ag_scheme)ag_literal_in(&P->g->lits[P->l_scheme], scheme.ptr, scheme.len, AG_SCHEME_OTHER);
}
static inline const char *ag_scheme_text(const ag_prof *P, ag_scheme s)
{
    return ag_literal_text(P->g, P->r_scheme, (int)s);
}

/* Puts the value of a parameter of field f into the typed view obj (an
 * ag_challenge for AG_GEN_VIEW_CHALLENGE, an ag_credentials for
 * AG_GEN_VIEW_CREDENTIALS), where the field's slots say: its span member,
 * and its enum member typed by the field's literals.  first: only when the
 * view holds none yet (the first occurrence counts), else over it.  (Inline:
 * the parser commits every parameter through it.) */
static inline void ag_field_put(const ag_gen_grammar *g, const ag_gen_field *f, int view, void *obj, ag_span value,
                                int first)
{
    char *o = (char *)obj;
    int span_at = f->span_at[view], enum_at = f->enum_at[view];
    if (span_at >= 0) {
        ag_span *s = (ag_span *)(void *)(o + span_at);
        if (first && s->ptr)
            return;
        *s = value;
    }
    if (enum_at >= 0 && f->lit_set >= 0) {
        int *e = (int *)(void *)(o + enum_at);
        if (first && span_at < 0 && *e) /* (an enum alone: 0 is unset) */
            return;
        *e = ag_literal_in(&g->lits[f->lit_set], value.ptr, value.len, f->other);
    }
}


#endif
