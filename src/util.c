/* SPDX-License-Identifier: MIT */
/* Status names, version, and the small helpers of the public API. */
#include <stdint.h>
#include <string.h>

#include "internal.h"

const char *ag_status_name(ag_status s)
{
    switch (s) {
#define AG_X_(name, value, text) \
    case AG_##name:              \
        return "AG_" #name;
        AG_STATUS_TABLE(AG_X_)
#undef AG_X_
    }
    return "AG_UNKNOWN";
}

const char *ag_strerror(ag_status s)
{
    switch (s) {
#define AG_X_(name, value, text) \
    case AG_##name:              \
        return text;
        AG_STATUS_TABLE(AG_X_)
#undef AG_X_
    }
    return "unknown status";
}

const char *ag_version(void) { return AG_VERSION_STRING; }

void ag_challenge_init(ag_challenge *c, ag_challenge_storage *storage)
{
    memset(c, 0, sizeof *c);
    if (!storage)
        return;
    c->params = storage->params;
    c->param_cap = AG_STORAGE_PARAMS;
    c->qop = storage->qop;
    c->qop_cap = AG_STORAGE_QOP;
    c->domain = storage->domain;
    c->domain_cap = AG_STORAGE_DOMAIN;
}

static unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c; }

int ag_ascii_ieq(const char *a, size_t n, const char *b)
{
    if (!a)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!b[i] || lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return b[n] == 0;
}

/* the enum members a field types are written as int (ag_field_put) */
_Static_assert(sizeof(ag_algorithm) == sizeof(int) && sizeof(ag_qop) == sizeof(int) &&
                   sizeof(ag_stale) == sizeof(int),
               "typed enum members are int-sized");

const ag_gen_field *ag_field_named(const ag_gen_grammar *g, ag_span name, unsigned groups)
{
    for (int i = 0; i < g->nfields; i++)
        if ((g->fields[i].groups & groups) && ag_ascii_ieq(name.ptr, name.len, g->fields[i].name))
            return &g->fields[i];
    return NULL;
}

static void feed(ag_stream *s, const char *p, size_t n) { ag_stream_feed(s, (const unsigned char *)p, n); }

int ag_field_matches(const ag_prof *P, const ag_gen_field *f, const ag_param *p, int quote,
                     const ag_span *list, size_t nlist)
{
    ag_stream s;
    ag_stream_init(&s, P->g, f->entry, 0);
    feed(&s, p->name.ptr, p->name.len);
    feed(&s, "=", 1);
    if (quote)
        feed(&s, "\"", 1);
    if (list) {
        for (size_t i = 0; i < nlist; i++) {
            if (i)
                feed(&s, ",", 1);
            feed(&s, list[i].ptr, list[i].len);
        }
    } else
        feed(&s, p->value.ptr, p->value.len);
    if (quote)
        feed(&s, "\"", 1);
    return ag_stream_end(&s);
}

int ag_span_ieq(ag_span a, ag_span b)
{
    if (a.len != b.len)
        return 0;
    for (size_t k = 0; k < a.len; k++)
        if (lower((unsigned char)a.ptr[k]) != lower((unsigned char)b.ptr[k]))
            return 0;
    return 1;
}

const char *ag_literal_text(const ag_gen_grammar *g, int rule, int value)
{
    for (int i = 0; i < g->nlits; i++)
        for (int k = 0; g->lits[i].rule == rule && k < g->lits[i].n; k++)
            if (g->lits[i].items[k].value == value)
                return g->lits[i].items[k].text;
    return "";
}

int ag_literal_value(const ag_gen_grammar *g, int rule, const char *s, size_t n, int fallback)
{
    for (int i = 0; i < g->nlits; i++)
        if (g->lits[i].rule == rule)
            return ag_literal_in(&g->lits[i], s, n, fallback);
    return fallback;
}

size_t ag_unescape(ag_span raw, char *dst, size_t cap)
{
    /* raw comes from the parser, so every backslash starts a quoted-pair and
     * every CR starts the CRLF of a fold (quoted-pair excludes CR and LF) */
    size_t n = 0;
    for (size_t i = 0; i < raw.len; i++) {
        unsigned char c = (unsigned char)raw.ptr[i];
        if (c == '\\' && i + 1 < raw.len)
            i++;
        else if (c == '\r' && i + 1 < raw.len && raw.ptr[i + 1] == '\n') {
            i++;
            continue;
        }
        n++;
    }
    if (n > cap || !dst)
        return n;
    size_t k = 0;
    for (size_t i = 0; i < raw.len; i++) {
        unsigned char c = (unsigned char)raw.ptr[i];
        if (c == '\\' && i + 1 < raw.len)
            c = (unsigned char)raw.ptr[++i];
        else if (c == '\r' && i + 1 < raw.len && raw.ptr[i + 1] == '\n') {
            i++;
            continue;
        }
        dst[k++] = (char)c;
    }
    return n;
}

const ag_param *ag_find_param(const ag_challenge *c, const char *name)
{
    if (!c || !name)
        return NULL;
    size_t n = c->param_count < c->param_cap ? c->param_count : c->param_cap;
    for (size_t i = 0; i < n; i++)
        if (ag_ascii_ieq(c->params[i].name.ptr, c->params[i].name.len, name))
            return &c->params[i];
    return NULL;
}

/* ASCII case-insensitive order of two names (a shorter prefix first). */
static int name_cmp(ag_span a, ag_span b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    for (size_t k = 0; k < n; k++) {
        unsigned char x = lower((unsigned char)a.ptr[k]), y = lower((unsigned char)b.ptr[k]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a.len < b.len ? -1 : a.len > b.len;
}

/* Indexes of params live in the params themselves: the caller's array is
 * the only memory that grows with the input, and a linear duplicate check
 * needs that much (ag_check). */
#define IDX_A(k) params[k].same_name
#define IDX_B(k) params[k].reserved

void ag_params_index(ag_param *params, size_t n)
{
    if (!params)
        return;
    if (n <= 16) { /* few: pairwise is cheaper than sorting */
        for (size_t i = 0; i < n; i++) {
            size_t j = 0;
            while (j < i && !ag_span_ieq(params[j].name, params[i].name))
                j++;
            params[i].same_name = (uint32_t)j;
        }
        return;
    }
    /* Bottom-up stable merge sort of the indexes by name, ping-ponging
     * between same_name (A) and reserved (B): the first of a run of equal
     * names is then the earliest parameter with that name. */
    for (size_t k = 0; k < n; k++)
        IDX_A(k) = (uint32_t)k;
    int in_a = 1;
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, o = lo;
            while (o < hi) {
                uint32_t x = in_a ? (i < mid ? IDX_A(i) : 0) : (i < mid ? IDX_B(i) : 0);
                uint32_t y = in_a ? (j < hi ? IDX_A(j) : 0) : (j < hi ? IDX_B(j) : 0);
                int take_left = i < mid && (j >= hi || name_cmp(params[x].name, params[y].name) <= 0);
                uint32_t v = take_left ? x : y;
                if (take_left)
                    i++;
                else
                    j++;
                if (in_a)
                    IDX_B(o++) = v;
                else
                    IDX_A(o++) = v;
            }
        }
        in_a = !in_a;
    }
    /* sorted order in A or B; the other array receives each parameter's
     * first, then same_name gets it */
    size_t run = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t cur = in_a ? IDX_A(k) : IDX_B(k), first = in_a ? IDX_A(run) : IDX_B(run);
        if (k && name_cmp(params[first].name, params[cur].name) != 0) {
            run = k;
            first = cur;
        }
        if (in_a)
            IDX_B(cur) = first;
        else
            IDX_A(cur) = first;
    }
    if (in_a)
        for (size_t k = 0; k < n; k++)
            IDX_A(k) = IDX_B(k);
}

const char *ag_param_kind_rule(ag_profile profile, ag_param_kind kind)
{
    if (profile != AG_PROFILE_SIP && profile != AG_PROFILE_HTTP)
        return NULL;
    const ag_prof *P = ag_prof_of(profile);
    if (kind == AG_PARAM_GENERIC)
        return P->g->entry_rules[P->e_auth_param];
    const ag_gen_field *f = ag_field_of_kind(P->g, kind);
    return f ? P->g->rule_names[f->rule] : NULL;
}

const char *ag_header_name(ag_header header)
{
    for (int k = 0; k < 2; k++) {
        const ag_gen_grammar *g = ag_prof_of(k ? AG_PROFILE_HTTP : AG_PROFILE_SIP)->g;
        for (int i = 0; i < g->nheaders; i++)
            if (g->headers[i].header == (int)header)
                return g->headers[i].name;
    }
    return NULL;
}

ag_header ag_header_answer(ag_header header)
{
    /* both profiles name the same headers (grammar/PROFILE.tags) */
    const ag_gen_grammar *g = ag_prof_of(AG_PROFILE_SIP)->g;
    for (int i = 0; i < g->nheaders; i++)
        if (g->headers[i].header == (int)header)
            return (ag_header)g->headers[i].answer;
    return AG_HEADER_NONE;
}
