/* SPDX-License-Identifier: MIT */
/* Interface between the code generated from grammar/ and the library.
 * Internal: not installed.  One ag_gen_grammar per profile. */
#ifndef AG_GRAMMAR_RT_H
#define AG_GRAMMAR_RT_H

#include <stddef.h>

/* Filled by a diagnostic machine's error actions: the innermost rule the
 * parse was inside of (middle), had just completed (final) or was in any
 * state of (start: needed where minimisation folded a rule's first loop into
 * its start state, as in HCOLON's *( SP / HTAB )) where it failed.
 * 0 = none. */
typedef struct ag_gen_diag {
    int middle;
    int final;
    int start;
} ag_gen_diag;

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
} ag_gen_field;

/* The char-val alternatives of a rule (tags 'literals'). */
typedef struct ag_gen_literal {
    const char *text;
    int len;
    int case_sensitive;
    int value;        /* public enum constant */
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

typedef struct ag_gen_grammar {
    const char *profile;
    int nrules;
    const char *const *rule_names; /* RFC rule names, by id */
    const char *const *rule_cites; /* RFC sections, by id ("" if none) */
    int nentries;
    const char *const *entry_names;
    const char *const *entry_rules; /* what a failure outside every rule names */
    const ag_gen_plain *plain;
    const ag_gen_diagm *diag;
    int nfields;
    const ag_gen_field *fields;
    int nlits;
    const ag_gen_literals *lits;
    int nsets;
    const ag_gen_byteset *sets;
} ag_gen_grammar;

#endif
