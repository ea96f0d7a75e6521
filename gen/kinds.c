/* SPDX-License-Identifier: MIT */
/* "authgram-gen kinds OUT.h TAGS...": the public enums ag_param_kind and
 * ag_header, made from the 'field' and 'header' lines of every profile's
 * tags (CONSTANT=N), so that a parameter or header the grammar gains has its
 * constant without a C change.  A constant given in several profiles must
 * have one value there, and no two constants of an enum one value; 0 is
 * AG_PARAM_GENERIC (the auth-param), AG_HEADER_NONE (a bare value).  And the
 * grammar's spelling of each literal the 'literals' lines type
 * (AG_QOP_AUTH_TEXT "auth"), for the code that writes one: one spelling in
 * every profile. */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

typedef struct kind {
    const char *name;
    char where[512]; /* per profile: its rule and the rule's section */
    int value;
    srcpos at;
} kind;

typedef struct spelling {
    char *constant, *text;
    srcpos at;
} spelling;

/* The spellings of the literals of profile g's 'literals' lines. */
static void note_spellings(grammar *g, spelling **sp, int *n)
{
    for (int i = 0; i < g->nlits; i++) {
        node **lits = NULL;
        int nl = 0;
        collect_literals(grammar_find(g, g->lits[i]->rule)->def, &lits, &nl);
        for (int j = 0; j < nl; j++) {
            if (!lit_known(g->lits[i], lits[j]))
                continue;
            char *text = xstrndup((const char *)lits[j]->bytes, (size_t)lits[j]->len), cname[256], c[512];
            c_upper_ident(text, cname, sizeof cname);
            snprintf(c, sizeof c, "%s%s", g->lits[i]->prefix, cname);
            int k = 0;
            while (k < *n && strcmp((*sp)[k].constant, c) != 0)
                k++;
            if (k == *n) {
                *sp = xrealloc(*sp, sizeof **sp * (size_t)(*n + 1));
                (*sp)[k].constant = xstrndup(c, strlen(c));
                (*sp)[k].text = text;
                (*sp)[k].at = g->lits[i]->at;
                (*n)++;
                continue;
            }
            if (strcmp((*sp)[k].text, text) != 0)
                diag_error(g->lits[i]->at, "literals '%s': %s is \"%s\" here but \"%s\" in an earlier profile",
                           g->lits[i]->rule, c, text, (*sp)[k].text);
            free(text);
        }
        free(lits);
    }
}

static int by_value(const void *a, const void *b)
{
    return ((const kind *)a)->value - ((const kind *)b)->value;
}

static void add_where(kind *k, grammar *g, const rule *r)
{
    size_t l = strlen(k->where);
    snprintf(k->where + l, sizeof k->where - l, "%s%s: %s%s%s", l ? "; " : "", g->profile, r->name,
             r->cite ? ", " : "", r->cite ? r->cite : "");
}

/* A constant of an enum, seen in profile g for rule rname: a new one, or
 * one seen before, which must have the same value. */
static void note(kind **k, int *n, const char *what, grammar *g, const char *rname, const char *constant,
                 int value, srcpos at)
{
    int j = 0;
    while (j < *n && strcmp((*k)[j].name, constant) != 0)
        j++;
    if (j == *n) {
        *k = xrealloc(*k, sizeof **k * (size_t)(*n + 1));
        memset(&(*k)[j], 0, sizeof (*k)[j]);
        (*k)[j].name = constant;
        (*k)[j].value = value;
        (*k)[j].at = at;
        (*n)++;
    } else if ((*k)[j].value != value) {
        diag_error(at, "%s '%s': %s is %d here but %d in an earlier profile", what, rname, constant, value,
                   (*k)[j].value);
    }
    add_where(&(*k)[j], g, grammar_find(g, rname));
}

static void sort_unique(kind *k, int n, const char *what)
{
    if (n)
        qsort(k, (size_t)n, sizeof *k, by_value);
    for (int j = 1; j < n; j++)
        if (k[j].value == k[j - 1].value)
            diag_error(k[j].at, "%s: %s and %s have one value, %d", what, k[j - 1].name, k[j].name, k[j].value);
}

int kinds_command(int argc, char **argv, int (*load)(grammar *, int, char **))
{
    if (argc < 2) {
        fputs("usage: authgram-gen kinds OUT.h TAGS...\n", stderr);
        return 2;
    }
    kind *k = NULL, *h = NULL;
    spelling *sp = NULL;
    int n = 0, nh = 0, nsp = 0;
    for (int i = 1; i < argc; i++) {
        grammar *g = xmalloc(sizeof *g);
        int rc = load(g, 1, argv + i);
        if (rc)
            return rc;
        for (int f = 0; f < g->nfields; f++) {
            const field *fd = g->fields[f];
            if (fd->kind_value < 0)
                diag_error(fd->at, "field '%s': the public enum needs its value (%s=N)", fd->rule, fd->kind);
            else
                note(&k, &n, "field", g, fd->rule, fd->kind, fd->kind_value, fd->at);
        }
        for (int f = 0; f < g->nheaders; f++) {
            const header *hd = g->headers[f];
            if (hd->value >= 0) /* (else tags.c said so) */
                note(&h, &nh, "header", g, hd->rule, hd->constant, hd->value, hd->at);
        }
        note_spellings(g, &sp, &nsp);
    }
    sort_unique(k, n, "field");
    sort_unique(h, nh, "header");
    if (diag_error_count())
        return 1;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[0]);
    FILE *out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "authgram-gen: cannot write '%s'\n", tmp);
        return 2;
    }
    fputs("/* Generated by authgram-gen kinds from the grammar's tags files. Do not edit.\n"
          " * Which production a parameter matched (include/authgram.h, ag_param), and\n"
          " * which header field was parsed. */\n"
          "#ifndef AUTHGRAM_KINDS_H\n#define AUTHGRAM_KINDS_H\n\n"
          "typedef enum ag_param_kind {\n"
          "    AG_PARAM_GENERIC = 0, /* auth-param */\n",
          out);
    for (int j = 0; j < n; j++)
        fprintf(out, "    %s = %d, /* %s */\n", k[j].name, k[j].value, k[j].where);
    fputs("} ag_param_kind;\n\n"
          "typedef enum ag_header {\n"
          "    AG_HEADER_NONE = 0, /* a bare header value was parsed */\n",
          out);
    for (int j = 0; j < nh; j++)
        fprintf(out, "    %s = %d, /* %s */\n", h[j].name, h[j].value, h[j].where);
    fputs("} ag_header;\n\n"
          "/* The grammar's spelling of each literal that an enum types (the tags'\n"
          " * 'literals' lines): what is written for that constant. */\n",
          out);
    for (int j = 0; j < nsp; j++) {
        fprintf(out, "#define %s_TEXT \"", sp[j].constant);
        for (const unsigned char *c = (const unsigned char *)sp[j].text; *c; c++) {
            if (*c == '"' || *c == '\\')
                fprintf(out, "\\%c", *c);
            else if (*c < 0x20 || *c >= 0x7f)
                fprintf(out, "\\%03o", *c);
            else
                fputc(*c, out);
        }
        fputs("\"\n", out);
    }
    fputs("\n#endif\n", out);
    if (fclose(out) != 0 || rename(tmp, argv[0]) != 0) {
        fprintf(stderr, "authgram-gen: cannot write '%s'\n", argv[0]);
        remove(tmp);
        return 2;
    }
    return 0;
}
