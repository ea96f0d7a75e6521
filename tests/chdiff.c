/* SPDX-License-Identifier: MIT */
/* Field-by-field comparison of parsed challenges (see chdiff.h). */
#include "chdiff.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int say(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int say(char *why, size_t cap, const char *fmt, ...)
{
    if (cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, cap, fmt, ap);
        va_end(ap);
    }
    return 0;
}

static int raw_eq(ag_span a, ag_span b)
{
    if (!a.ptr || !b.ptr)
        return !a.ptr && !b.ptr;
    return a.len == b.len && (!a.len || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Both absent, or both present with equal unescaped bytes. */
static int unescaped_eq(ag_span a, ag_span b)
{
    if (!a.ptr || !b.ptr)
        return !a.ptr && !b.ptr;
    char *x = malloc(a.len + 1), *y = malloc(b.len + 1);
    if (!x || !y)
        abort(); /* test code: out of memory is not a finding to report */
    size_t nx = ag_unescape(a, x, a.len + 1), ny = ag_unescape(b, y, b.len + 1);
    int eq = nx == ny && (!nx || memcmp(x, y, nx) == 0);
    free(x);
    free(y);
    return eq;
}

int chdiff_refused_ctl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

int chdiff_has_refused_byte(const ag_challenge *c)
{
    int bad = 0;
    for (size_t i = 0; i < c->param_count && !bad; i++) {
        const ag_param *p = &c->params[i];
        if (!p->quoted)
            continue;
        char *u = malloc(p->value.len + 1);
        if (!u)
            abort();
        size_t n = ag_unescape(p->value, u, p->value.len + 1);
        for (size_t k = 0; k < n; k++) {
            unsigned char b = (unsigned char)u[k];
            bad |= chdiff_refused_ctl(b) && (c->profile == AG_PROFILE_HTTP || b == '\r' || b == '\n');
        }
        free(u);
    }
    return bad;
}

#define WCAP 256

static int form_warning(ag_warning_id id)
{
    return id == AG_W_HTTP_OBS_FOLD || id == AG_W_HTTP_BWS || id == AG_W_HTTP_EMPTY_ELEMENT;
}

/* Compares two warning arrays, skipping the list-form ones if w says so;
 * na and nb are the counts ag_check reported, which may exceed the arrays
 * (then only the counts are compared). */
static int warnings_eq(const ag_warning *wa, size_t na, const ag_warning *wb, size_t nb,
                       chdiff_warnings w, char *why, size_t cap)
{
    if (na > WCAP || nb > WCAP)
        return na == nb ? 1 : say(why, cap, "%zu warnings vs %zu", na, nb);
    size_t i = 0, j = 0;
    for (;;) {
        while (w == CHDIFF_CONTENT_WARNINGS && i < na && form_warning(wa[i].id))
            i++;
        while (w == CHDIFF_CONTENT_WARNINGS && j < nb && form_warning(wb[j].id))
            j++;
        if (i == na || j == nb)
            break;
        if (wa[i].id != wb[j].id)
            return say(why, cap, "warning %s vs %s", ag_warning_name(wa[i].id),
                       ag_warning_name(wb[j].id));
        i++, j++;
    }
    if (i != na || j != nb)
        return say(why, cap, "%zu warnings vs %zu", na, nb);
    return 1;
}

static int same_content(const ag_challenge *a, const ag_challenge *b, char *why, size_t cap)
{
    if (!raw_eq(a->scheme, b->scheme) || a->scheme_id != b->scheme_id)
        return say(why, cap, "scheme '%.*s' vs '%.*s'", AG_SPAN_ARGS(a->scheme),
                   AG_SPAN_ARGS(b->scheme));
    if (!raw_eq(a->token68, b->token68))
        return say(why, cap, "token68 differs");
    if (!unescaped_eq(a->realm, b->realm) || !unescaped_eq(a->nonce, b->nonce) ||
        !unescaped_eq(a->opaque, b->opaque))
        return say(why, cap, "realm, nonce or opaque differs");
    if (a->algorithm != b->algorithm || !raw_eq(a->algorithm_raw, b->algorithm_raw))
        return say(why, cap, "algorithm '%.*s' vs '%.*s'", AG_SPAN_ARGS(a->algorithm_raw),
                   AG_SPAN_ARGS(b->algorithm_raw));
    if (a->stale != b->stale || a->userhash != b->userhash || !raw_eq(a->charset, b->charset))
        return say(why, cap, "stale, userhash or charset differs");
    if (a->qop_count != b->qop_count)
        return say(why, cap, "qop_count %zu vs %zu", a->qop_count, b->qop_count);
    for (size_t i = 0; i < a->qop_count; i++)
        if (!raw_eq(a->qop[i].raw, b->qop[i].raw) || a->qop[i].qop != b->qop[i].qop)
            return say(why, cap, "qop %zu '%.*s' vs '%.*s'", i, AG_SPAN_ARGS(a->qop[i].raw),
                       AG_SPAN_ARGS(b->qop[i].raw));
    if (a->domain_count != b->domain_count)
        return say(why, cap, "domain_count %zu vs %zu", a->domain_count, b->domain_count);
    for (size_t i = 0; i < a->domain_count; i++)
        if (!raw_eq(a->domain[i], b->domain[i]))
            return say(why, cap, "domain %zu '%.*s' vs '%.*s'", i, AG_SPAN_ARGS(a->domain[i]),
                       AG_SPAN_ARGS(b->domain[i]));
    if (a->param_count != b->param_count)
        return say(why, cap, "param_count %zu vs %zu", a->param_count, b->param_count);
    for (size_t i = 0; i < a->param_count; i++) {
        const ag_param *p = &a->params[i], *q = &b->params[i];
        if (!raw_eq(p->name, q->name))
            return say(why, cap, "param %zu name '%.*s' vs '%.*s'", i, AG_SPAN_ARGS(p->name),
                       AG_SPAN_ARGS(q->name));
        if (p->kind != q->kind || p->quoted != q->quoted)
            return say(why, cap, "param %zu '%.*s': kind %d/%d, quoted %d/%d", i,
                       AG_SPAN_ARGS(p->name), p->kind, q->kind, p->quoted, q->quoted);
        /* a list read leniently ("auth, auth-int" in sip) keeps its bytes
         * as written: its items, compared above, are its content */
        if ((p->lenient || q->lenient) && (p->kind == AG_PARAM_QOP || p->kind == AG_PARAM_DOMAIN))
            continue;
        if (p->quoted ? !unescaped_eq(p->value, q->value) : !raw_eq(p->value, q->value))
            return say(why, cap, "param %zu '%.*s' value '%.*s' vs '%.*s'", i, AG_SPAN_ARGS(p->name),
                       AG_SPAN_ARGS(p->value), AG_SPAN_ARGS(q->value));
    }
    return 1;
}

int chdiff_challenge(const ag_challenge *a, const ag_challenge *b, chdiff_warnings w, char *why,
                     size_t cap)
{
    if (!same_content(a, b, why, cap))
        return 0;
    if (w == CHDIFF_NO_WARNINGS)
        return 1;
    ag_warning wa[WCAP], wb[WCAP];
    return warnings_eq(wa, ag_check(a, wa, WCAP), wb, ag_check(b, wb, WCAP), w, why, cap);
}

int chdiff_list(const ag_challenge_list *a, const ag_challenge_list *b, chdiff_warnings w,
                char *why, size_t cap)
{
    if (a->count != b->count)
        return say(why, cap, "%zu challenges vs %zu", a->count, b->count);
    for (size_t k = 0; k < a->count; k++) {
        char sub[400];
        if (!same_content(&a->challenges[k], &b->challenges[k], sub, sizeof sub))
            return say(why, cap, "challenge %zu: %s", k, sub);
    }
    if (w == CHDIFF_NO_WARNINGS)
        return 1;
    ag_warning wa[WCAP], wb[WCAP];
    return warnings_eq(wa, ag_check_list(a, wa, WCAP), wb, ag_check_list(b, wb, WCAP), w, why, cap);
}
