/* Warnings: values that are in the language of the ABNF but break a prose
 * rule of the RFCs (DESIGN.md, grammar policy 3 and 6).  Every check that
 * concerns the syntax of a value runs a machine generated from grammar/
 * (the dedicated rules, the registries, RFC 3629 UTF-8). */
#include <string.h>

#include "internal.h"
#include "ag_sip_grammar.h"

typedef struct sink {
    ag_warning *out;
    size_t cap, n;
} sink;

static ag_warning *emit(sink *s, ag_warning_id id, size_t offset, const char *rule)
{
    ag_warning *w = NULL;
    if (s->n < s->cap) {
        w = &s->out[s->n];
        memset(w, 0, sizeof *w);
        w->id = id;
        w->offset = offset;
        w->rule = rule ? rule : "";
        w->detail_rule = "";
    }
    s->n++;
    return w;
}

static int has_param_named(const ag_challenge *c, const char *name, int name_len)
{
    for (size_t i = 0; i < c->param_count; i++)
        if (c->params[i].name.len == (size_t)name_len &&
            ag_ascii_ieq(c->params[i].name.ptr, c->params[i].name.len, name))
            return 1;
    return 0;
}

static const ag_gen_field *field_of_kind(const ag_gen_grammar *g, ag_param_kind kind)
{
    for (int i = 0; i < g->nfields; i++)
        if (g->fields[i].kind == (int)kind)
            return &g->fields[i];
    return NULL;
}

static const ag_gen_field *field_named(const ag_gen_grammar *g, ag_span name)
{
    for (int i = 0; i < g->nfields; i++)
        if (ag_ascii_ieq(name.ptr, name.len, g->fields[i].name))
            return &g->fields[i];
    return NULL;
}

/* The whole text of a parameter: from its name to the end of its value. */
static ag_span param_text(const ag_param *p)
{
    const char *end = p->value.ptr + p->value.len + (p->quoted ? 1 : 0);
    return (ag_span){p->name.ptr, (size_t)(end - p->name.ptr)};
}

size_t ag_check(const ag_challenge *c, ag_warning *out, size_t cap)
{
    sink s = {out, out ? cap : 0, 0};
    if (!c || c->param_count > c->param_cap)
        return 0;
    const ag_gen_grammar *g = &ag_sip_grammar;
    int digest = c->scheme_id == AG_SCHEME_DIGEST;

    if (c->scheme_id == AG_SCHEME_BASIC)
        emit(&s, AG_W_BASIC_SCHEME, c->offset, "other-challenge");
    if (digest) {
        static const struct {
            ag_param_kind kind;
            ag_warning_id id;
        } required[] = {{AG_PARAM_REALM, AG_W_DIGEST_NO_REALM},
                        {AG_PARAM_NONCE, AG_W_DIGEST_NO_NONCE},
                        {AG_PARAM_QOP, AG_W_DIGEST_NO_QOP}};
        for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
            const ag_gen_field *f = field_of_kind(g, required[i].kind);
            if (f && !has_param_named(c, f->name, f->name_len))
                emit(&s, required[i].id, c->offset, g->rule_names[f->rule]);
        }
    }

    for (size_t i = 0; i < c->param_count; i++) {
        const ag_param *p = &c->params[i];
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = ag_span_ieq(c->params[j].name, p->name);
        if (dup)
            emit(&s, AG_W_DUPLICATE_PARAM, p->offset, digest ? "digest-cln" : "auth-param");

        if (digest && p->kind == AG_PARAM_GENERIC) {
            const ag_gen_field *f = field_named(g, p->name);
            if (f) {
                ag_span t = param_text(p);
                ag_diag d;
                ag_diagnose(g, f->entry, (const unsigned char *)t.ptr, t.len, &d);
                ag_warning *w = emit(&s, AG_W_FALLTHROUGH, p->offset, g->rule_names[f->rule]);
                if (w) {
                    w->detail_offset = p->offset + d.offset;
                    w->detail_rule = d.rule;
                }
            }
        }
        if (p->kind == AG_PARAM_ALGORITHM &&
            ag_literal_value(g, AG_SIP_RULE_REGISTERED_ALGORITHM, p->value.ptr, p->value.len, -1) < 0)
            emit(&s, AG_W_ALGORITHM_UNKNOWN, p->offset, "algorithm");
        if (p->kind == AG_PARAM_QOP) {
            /* Every qop parameter, not only the first (which is the typed
             * list).  The machine has matched the value already; its items
             * are the longest qop-value matches, and whatever lies between
             * them (the separators of qop-options) cannot start one. */
            const unsigned char *v = (const unsigned char *)p->value.ptr;
            for (size_t k = 0; k < p->value.len;) {
                size_t n = ag_longest_match(g, AG_SIP_ENTRY_QOP_VALUE, v + k, p->value.len - k);
                if (!n) {
                    k++;
                    continue;
                }
                if (ag_literal_value(g, AG_SIP_RULE_REGISTERED_QOP, (const char *)v + k, n, -1) < 0)
                    emit(&s, AG_W_QOP_UNKNOWN,
                         p->offset + (size_t)((const char *)v + k - p->name.ptr), "qop-value");
                k += n;
            }
        }
        if (p->quoted) {
            size_t bad;
            if (!ag_recognize(g, AG_SIP_ENTRY_UTF8, (const unsigned char *)p->value.ptr, p->value.len,
                              &bad))
                emit(&s, AG_W_NOT_UTF8, p->offset + (size_t)(p->value.ptr - p->name.ptr) + bad,
                     "UTF8-NONASCII");
        }
    }
    return s.n;
}

const char *ag_warning_name(ag_warning_id id)
{
    switch (id) {
#define AG_X_(name, sid, rfc, text) \
    case AG_W_##name:               \
        return sid;
        AG_WARNING_TABLE(AG_X_)
#undef AG_X_
    case AG_W_COUNT:
        break;
    }
    return "";
}

const char *ag_warning_rfc(ag_warning_id id)
{
    switch (id) {
#define AG_X_(name, sid, rfc, text) \
    case AG_W_##name:               \
        return rfc;
        AG_WARNING_TABLE(AG_X_)
#undef AG_X_
    case AG_W_COUNT:
        break;
    }
    return "";
}

const char *ag_warning_message(ag_warning_id id)
{
    switch (id) {
#define AG_X_(name, sid, rfc, text) \
    case AG_W_##name:               \
        return text;
        AG_WARNING_TABLE(AG_X_)
#undef AG_X_
    case AG_W_COUNT:
        break;
    }
    return "";
}
