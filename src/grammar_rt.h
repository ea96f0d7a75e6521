/* SPDX-License-Identifier: MIT */
/* Interface between the code generated from grammar/ and the library.
 * Internal: not installed.  One ag_gen_grammar per profile. */
#ifndef AG_GRAMMAR_RT_H
#define AG_GRAMMAR_RT_H

#include <stddef.h>

/* Filled by a diagnostic machine's error actions where a parse fails: the
 * rules it was inside of (middle), had just completed (final) or was in any
 * state of (start: needed where minimisation folded a rule's first loop into
 * its start state, as in HCOLON's *( SP / HTAB )), and the fallback branches
 * (tags 'fallback') one of whose dedicated siblings the input was in
 * (untaken: "Digest realm=..." is also an other-challenge, but that is not
 * the alternative a reader means).  Sets of rule ids, bit id & 7 of byte
 * id >> 3; src/diag.c chooses the rule to name from them. */
#define AG_GEN_DIAG_RULES 256
typedef struct ag_gen_diag {
    unsigned char middle[AG_GEN_DIAG_RULES / 8];
    unsigned char final[AG_GEN_DIAG_RULES / 8];
    unsigned char start[AG_GEN_DIAG_RULES / 8];
    unsigned char untaken[AG_GEN_DIAG_RULES / 8];
} ag_gen_diag;

/* rule_flags bits */
#define AG_GEN_RULE_AMENDMENT 1 /* defined by an amending RFC ("amending" in its ";@" line) */

/* Every entry point is compiled twice: plain (the language only, ragel -G2)
 * and diagnostic (error actions, table-driven).  A run function executes the
 * machine from state cs over [p, pe) and returns the new state (0 = error);
 * *stop is where it stopped: the byte that could not be accepted, or pe. */
typedef struct ag_gen_plain {
    const int *start, *first_final;
    int (*run)(int cs, const unsigned char *p, const unsigned char *pe,
               const unsigned char **stop);
} ag_gen_plain;

typedef struct ag_gen_diagm {
    const int *start, *first_final;
    int (*run)(int cs, const unsigned char *p, const unsigned char *pe, int at_eof,
               const unsigned char **stop, ag_gen_diag *d);
} ag_gen_diagm;

/* A dedicated parameter production (tags 'field'). */
typedef struct ag_gen_field {
    int kind;         /* public ag_param_kind */
    int rule;         /* rule id */
    const char *name; /* parameter name: the rule's leading char-val */
    int name_len;
    int entry;        /* machine index of the rule as an entry point */
    unsigned groups;  /* the fallback alternations naming the rule directly
                         (AG_<PROFILE>_GROUP_<RULE> bits) */
    /* Where the first occurrence goes in each typed view (AG_GEN_VIEW_*):
     * the offset of the ag_span member its value goes to, and of the enum
     * member its value is typed into by the literals of rule lit_rule (a
     * value not among them: other); -1 when the view has none. */
    short span_at[2], enum_at[2];
    int lit_rule, other;
    short lit_set;    /* lit_rule's index in the grammar's lits, -1 if none */
    int form;         /* AG_GEN_FORM_*: how the production writes the value
                         (the bytes it may begin with after its '=') */
} ag_gen_field;

enum { AG_GEN_FORM_TOKEN, AG_GEN_FORM_QUOTED, AG_GEN_FORM_EITHER };

enum { AG_GEN_VIEW_CHALLENGE, AG_GEN_VIEW_CREDENTIALS };

/* The char-val alternatives of a rule (tags 'literals'). */
typedef struct ag_gen_literal {
    const char *text;
    int len;
    int case_sensitive;
    int value;        /* public enum constant */
    /* for a compare of 16 bytes at once (len <= 16): the text with its
     * letters in lower case when case-insensitive, zero-padded, and 0x20 at
     * those letters (a byte b matches when (b | fold_mask) == folded) */
    unsigned char folded[16], fold_mask[16];
} ag_gen_literal;

typedef struct ag_gen_literals {
    int rule;
    const ag_gen_literal *items;
    int n;
} ag_gen_literals;

/* The bytes a one-byte rule (a character class) matches. */
typedef struct ag_gen_byteset {
    int rule;
    unsigned char bits[32];
} ag_gen_byteset;

/* A header field (tags 'header'): its public constant and name. */
typedef struct ag_gen_header {
    int header;       /* public ag_header */
    const char *name;
    int name_len;
    int answer;       /* the ag_header that answers it (tags answer=), or 0 */
} ag_gen_header;

typedef struct ag_gen_grammar {
    const char *profile;
    int nrules;
    const char *const *rule_names; /* RFC rule names, by id */
    const char *const *rule_cites; /* RFC sections, by id ("" if none) */
    const unsigned char *rule_flags;   /* AG_GEN_RULE_*, by id */
    const unsigned short *rule_refs_at; /* rule id's direct references are */
    const unsigned short *rule_refs;    /* rule_refs[rule_refs_at[id] .. rule_refs_at[id + 1]) */
    int nentries;
    const char *const *entry_names;
    const char *const *entry_rules; /* what a failure outside every rule names */
    const ag_gen_plain *const *plain; /* per entry (in several files: gen/emit.c) */
    const ag_gen_diagm *const *diag;
    const struct ag_leap_table *plain_leap; /* per entry (src/leap.h), or NULL */
    int nfields;
    const ag_gen_field *fields;
    const signed char *field_of_kind; /* by ag_param_kind: 1 + index in fields, or 0 */
    int nkinds;
    int nlits;
    const ag_gen_literals *lits;
    int nsets;
    const ag_gen_byteset *sets;
    int nheaders;
    const ag_gen_header *headers;
} ag_gen_grammar;

#endif
