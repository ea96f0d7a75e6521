/* Status names, version, and the small helpers of the public API. */
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

const ag_gen_field *ag_field_of_kind(const ag_gen_grammar *g, ag_param_kind kind)
{
    for (int i = 0; i < g->nfields; i++)
        if (g->fields[i].kind == (int)kind)
            return &g->fields[i];
    return NULL;
}

const ag_gen_field *ag_field_named(const ag_gen_grammar *g, ag_span name, unsigned groups)
{
    for (int i = 0; i < g->nfields; i++)
        if ((g->fields[i].groups & groups) && ag_ascii_ieq(name.ptr, name.len, g->fields[i].name))
            return &g->fields[i];
    return NULL;
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

int ag_literal_value(const ag_gen_grammar *g, int rule, const char *s, size_t n, int fallback)
{
    /* (runs for every algorithm and qop value parsed and checked: the
     * length and first byte rule most literals out before a compare) */
    if (!n)
        return fallback;
    unsigned first = lower((unsigned char)s[0]);
    for (int i = 0; i < g->nlits; i++) {
        if (g->lits[i].rule != rule)
            continue;
        for (int k = 0; k < g->lits[i].n; k++) {
            const ag_gen_literal *l = &g->lits[i].items[k];
            if ((size_t)l->len != n)
                continue;
            if (l->case_sensitive ? memcmp(l->text, s, n) == 0
                                  : lower((unsigned char)l->text[0]) == first && ag_ascii_ieq(s, n, l->text))
                return l->value;
        }
    }
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
