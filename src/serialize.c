/* SPDX-License-Identifier: MIT */
/* The serializer: typed challenge -> bytes, every byte checked by the
 * machines generated from grammar/ before any byte is written.
 *
 * One emitter produces the output and runs in up to four passes:
 *   FAST   the bytes are written to a scratch buffer on the stack, and each
 *          machine runs once over its whole span when it ends (the whole
 *          challenge or header line, each parameter, each item): far fewer
 *          machine calls than feeding every piece.  It only decides "all
 *          passed"; anything else (a refusal, output longer than the
 *          scratch) goes to CHECK, which decides again and names the error;
 *   CHECK  the bytes go through the plain machines (the parameter's own
 *          production, the list item's, the whole challenge or header line)
 *          piece by piece and are counted, not written;
 *   DIAG   only after a refusal: the same bytes through the diagnostic
 *          machines, which stop at the same byte and name the rule;
 *   WRITE  only when everything passed and fits: the bytes are copied.
 * So nothing is ever written partially, and what is written is exactly what
 * was checked.  Escaping: a byte that qdtext does not allow and quoted-pair
 * does becomes a quoted-pair (the table authgram-leapgen derives from the
 * grammar), and CR and LF are refused in quoted values (where the grammar
 * would read them as a line fold). */
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ser.h"

enum { PASS_FAST, PASS_CHECK, PASS_DIAG, PASS_WRITE };

/* The fast pass writes into a scratch buffer this big (on the stack);
 * longer output takes the CHECK pass. */
enum { FAST_CAP = 4096 };
enum { SEG_NONE, SEG_NAME, SEG_VALUE, SEG_ITEM };

/* how an output piece maps back to the caller's bytes */
enum { MAP_SAME, MAP_AT, MAP_END };

typedef struct out {
    const ag_prof *P;
    int pass;
    char *buf;
    size_t n;
    ag_stream whole, field, item;
    int whole_on, field_on, item_on;
    /* a generic parameter's dedicated production, which its output must
     * not match (see put_param) */
    ag_stream shadow;
    int shadow_on;
    int overflow; /* PASS_FAST: the scratch was too small */
    int digest; /* the challenge is Digest: the dedicated productions apply */
    unsigned groups; /* the side's dedicated productions (ag_field_named) */
    int failed;
    ag_field_error *err;
    /* where the emitter is, for errors */
    size_t challenge, index, item_index;
    const char *label;
    size_t value_len, item_len;
    int seg;
} out;

static const char msg_crlf[] = "CR and LF are never written (no line folding, no header injection)";
static const char msg_byte[] = "byte not allowed here by the grammar";
static const char msg_end[] = "the value ends where the grammar needs more";
static const char msg_reads_as[] =
    "written canonically it would match this production, which the value did not: only its "
    "escaping or line folding kept it an auth-param";

const char *ag_ser_field_name(ag_profile profile, ag_param_kind kind)
{
    const ag_gen_field *f = ag_field_of_kind(ag_prof_of(profile)->g, kind);
    return f ? f->name : NULL;
}

int ag_ser_field_quoted(ag_profile profile, ag_param_kind kind)
{
    const ag_gen_field *f = ag_field_of_kind(ag_prof_of(profile)->g, kind);
    return f && f->form == AG_GEN_FORM_QUOTED;
}

/* the machine a parameter of that kind is checked by */
static int field_entry(const ag_prof *P, ag_param_kind kind)
{
    const ag_gen_field *f = ag_field_of_kind(P->g, kind);
    return f ? f->entry : P->e_auth_param;
}

static const char *label_of(const ag_prof *P, ag_param_kind kind)
{
    const ag_gen_field *f = ag_field_of_kind(P->g, kind);
    return f ? f->name : "param-value";
}

static void fail(out *o, const ag_stream *s, size_t off, int at_end, unsigned char byte,
                 const char *message)
{
    o->failed = 1;
    if (o->pass != PASS_DIAG || !o->err)
        return;
    ag_field_error *e = o->err;
    memset(e, 0, sizeof *e);
    e->status = AG_ERR_FIELD;
    e->challenge = o->challenge;
    e->field = o->seg == SEG_NAME ? "param-name" : o->label ? o->label : "challenge";
    e->index = o->seg == SEG_ITEM ? o->item_index : o->index;
    e->offset = off;
    e->at_end = at_end;
    if (s)
        e->rule = ag_stream_rule(s, &e->rfc);
    else {
        e->rule = o->P->g->rule_names[o->P->r_fold];
        e->rfc = o->P->g->rule_cites[o->P->r_fold];
    }
    e->message = message ? message
                 : at_end ? msg_end
                 : (byte == '\r' || byte == '\n') ? msg_crlf
                                                  : msg_byte;
}

static void stream_on(out *o, ag_stream *s, int *on, int entry)
{
    *on = o->pass != PASS_WRITE;
    if (!*on)
        return;
    if (o->pass == PASS_FAST) { /* the machine runs when its bytes end */
        s->entry = entry;
        s->from = o->n;
        return;
    }
    ag_stream_init(s, o->P->g, entry, o->pass == PASS_DIAG);
}

/* PASS_FAST: 1 if the bytes of stream s so far are its entry's language */
static int fast_accepts(out *o, const ag_stream *s)
{
    return ag_recognize(o->P->g, s->entry, (const unsigned char *)o->buf + s->from, o->n - s->from, NULL);
}

/* Emits n bytes; in_off is where they come from in the caller's value
 * (MAP_SAME: byte k is at in_off + k; MAP_AT: all at in_off; MAP_END: they
 * stand for the end of the value). */
static void put(out *o, const void *p, size_t n, size_t in_off, int map)
{
    if (o->failed || !n)
        return;
    if (o->pass == PASS_WRITE || o->pass == PASS_FAST) {
        if (o->pass == PASS_FAST && n > FAST_CAP - o->n) {
            o->overflow = o->failed = 1;
            return;
        }
        memcpy(o->buf + o->n, p, n);
        o->n += n;
        return;
    }
    const unsigned char *b = p;
    /* the innermost machine that fails first names the error */
    ag_stream *which = NULL;
    size_t k = n;
    ag_stream *order[3] = {o->item_on ? &o->item : NULL, o->field_on ? &o->field : NULL,
                           o->whole_on ? &o->whole : NULL};
    for (int i = 0; i < 3; i++) {
        if (!order[i])
            continue;
        size_t a = ag_stream_feed(order[i], b, n);
        if (a < k) {
            k = a;
            which = order[i];
        }
    }
    if (o->shadow_on)
        ag_stream_feed(&o->shadow, b, n);
    o->n += n;
    if (which) {
        size_t end = o->seg == SEG_ITEM ? o->item_len : o->value_len;
        if (map == MAP_END)
            fail(o, which, end, 1, 0, NULL);
        else
            fail(o, which, map == MAP_SAME ? in_off + k : in_off, 0, b[k], NULL);
    }
}

/* The machine must be complete where the value ends. */
static void end_of(out *o, ag_stream *s, int *on, size_t end)
{
    if (!*on)
        return;
    *on = 0;
    if (o->pass == PASS_FAST) {
        if (!o->failed && !fast_accepts(o, s))
            o->failed = 1;
        return;
    }
    if (!o->failed && !ag_stream_end(s))
        fail(o, s, end, 1, 0, NULL);
}

/* v through the machine of entry on its own (in s), as well as through the
 * enclosing ones already on; complete where v ends.  entry < 0: no machine
 * of its own (the profile has none).  An empty v fails at its end. */
static void put_alone(out *o, ag_stream *s, int *on, int entry, ag_span v)
{
    if (entry >= 0)
        stream_on(o, s, on, entry);
    put(o, v.ptr, v.len, 0, MAP_SAME);
    end_of(o, s, on, v.len);
}

/* Where in s (of n) the first byte that may need escaping is, or n: '"',
 * '\\', a control byte or DEL (16 at a time: quoted values are long).  Which
 * of them really need it, the profile's quote_class says. */
static size_t next_special(const unsigned char *s, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1f),
                  del = _mm_set1_epi8(0x7f);
    for (; n - i >= 16; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x); /* x <= 0x1f */
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, b)),
                                   _mm_or_si128(low, _mm_cmpeq_epi8(x, del)));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    for (; i < n; i++)
        if (s[i] == '"' || s[i] == '\\' || s[i] < 0x20 || s[i] == 0x7f)
            break;
    return i;
}

/* A quoted value's content.  raw: it is parser output, so quoted-pairs are
 * unescaped and the CRLF of a fold dropped first.  A byte that qdtext does
 * not allow and quoted-pair does (the grammar says which: quote_class) is
 * written as a quoted-pair, so every value the parser accepts can be
 * written back; CR and LF are refused (they would start a fold). */
static void put_quoted(out *o, ag_span v, int raw)
{
    const unsigned char *s = (const unsigned char *)v.ptr;
    size_t start = 0;
    for (size_t i = 0; i < v.len && !o->failed; i++) {
        i += next_special(s + i, v.len - i);
        if (i == v.len)
            break;
        unsigned char c = s[i];
        put(o, s + start, i - start, start, MAP_SAME);
        size_t at = i;
        if (raw && c == '\r' && i + 2 < v.len && s[i + 1] == '\n' && (s[i + 2] == ' ' || s[i + 2] == '\t')) {
            start = ++i + 1; /* the CRLF of a fold (LWS): dropped, its WSP stays */
            continue;
        }
        if (raw && c == '\\' && i + 1 < v.len)
            c = s[at = ++i];
        if (c == '\r' || c == '\n') {
            if (!o->failed)
                fail(o, NULL, at, 0, c, msg_crlf);
            return;
        }
        if (c < 0x80 && o->P->quote_class[c] == AG_QUOTE_PAIR) {
            const char pair[2] = {'\\', (char)c};
            put(o, pair, 2, at, MAP_AT);
        } else /* as itself; a byte the grammar never allows fails in the machine */
            put(o, &c, 1, at, MAP_AT);
        start = i + 1;
    }
    if (v.len) /* (an empty value may be {NULL, 0}) */
        put(o, s + start, v.len - start, start, MAP_SAME);
}

/* A bare value of a dedicated production: the parameter's own machine
 * decides (its value need not be a token: RFC 7616's username* is an RFC
 * 5987 ext-value, "{" and all).  It only cannot tell a value from the
 * canonical framing around it: whitespace or a line break next to "=" or
 * "," is LWS / BWS there, and a DQUOTE first begins a quoted-string, so a
 * bare value would not read back as itself.  No bare production of either
 * grammar has whitespace inside a value, so the first such byte is refused
 * where it is, as a token check would. */
static void put_bare(out *o, ag_span v)
{
    const unsigned char *s = (const unsigned char *)v.ptr;
    for (size_t i = 0; i < v.len; i++)
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || (!i && s[i] == '"')) {
            put(o, v.ptr, i, 0, MAP_SAME); /* a byte before it may fail first */
            if (!o->failed)
                fail(o, NULL, i, 0, s[i], NULL);
            return;
        }
    put(o, v.ptr, v.len, 0, MAP_SAME);
}

static void put_item(out *o, ag_param_kind kind, ag_span v, size_t index)
{
    o->seg = SEG_ITEM;
    o->item_index = index;
    o->item_len = v.len;
    put_alone(o, &o->item, &o->item_on, kind == AG_PARAM_QOP ? o->P->e_qop_value : o->P->e_uri, v);
}

/* A parameter that matched only auth-param although its name has a
 * dedicated production (qop="au\th", a domain with a line fold in it) must
 * not come out matching that production once its quoted-pairs are
 * unescaped and its folds dropped: a strict reader would then read it
 * differently from the input.  Refused instead of rewritten. */
static void shadow_end(out *o, const ag_gen_field *f)
{
    if (!o->shadow_on)
        return;
    o->shadow_on = 0;
    if (o->failed || !(o->pass == PASS_FAST ? fast_accepts(o, &o->shadow) : ag_stream_end(&o->shadow)))
        return;
    o->seg = SEG_VALUE;
    fail(o, NULL, 0, 0, 0, msg_reads_as);
    if (o->pass == PASS_DIAG && o->err) {
        o->err->rule = o->P->g->rule_names[f->rule];
        o->err->rfc = o->P->g->rule_cites[f->rule];
    }
}

static void put_param(out *o, const ag_sparam *p, size_t index)
{
    o->index = index;
    o->label = p->field ? p->field : label_of(o->P, p->kind);
    o->value_len = p->value.len;
    stream_on(o, &o->field, &o->field_on, field_entry(o->P, p->kind));
    const ag_gen_field *dedicated =
        o->digest && p->kind == AG_PARAM_GENERIC ? ag_field_named(o->P->g, p->name, o->groups) : NULL;
    if (dedicated)
        stream_on(o, &o->shadow, &o->shadow_on, dedicated->entry);

    /* The name and a token value are also checked alone: inside the
     * parameter's production, EQUAL's SWS would take whitespace or a fold
     * around them, and a token position would take a quoted-string. */
    o->seg = SEG_NAME;
    o->value_len = p->name.len;
    put_alone(o, &o->item, &o->item_on, o->P->e_param_name, p->name);
    put(o, "=", 1, p->name.len, MAP_END);

    o->seg = SEG_VALUE;
    o->value_len = p->value.len;
    if (p->quoted)
        put(o, "\"", 1, 0, MAP_AT);
    if (p->items) {
        static const char sep[2][1] = {{','}, {' '}}; /* qop-options, domain */
        size_t k = 0;
        for (size_t i = 0; i < p->nitems && !o->failed; i++) {
            if (p->items[i].param != p->owner)
                continue;
            if (k)
                put(o, sep[p->kind == AG_PARAM_DOMAIN], 1, 0, MAP_AT);
            put_item(o, p->kind, p->items[i].value, k++);
        }
        o->seg = SEG_VALUE;
    } else if (p->spans) {
        static const char sep[2][1] = {{','}, {' '}};
        for (size_t i = 0; i < p->nspans && !o->failed; i++) {
            if (i)
                put(o, sep[p->kind == AG_PARAM_DOMAIN], 1, 0, MAP_AT);
            put_item(o, p->kind, *(const ag_span *)(const void *)(p->spans + i * p->stride), i);
        }
        o->seg = SEG_VALUE;
    } else if (p->quoted)
        put_quoted(o, p->value, p->raw);
    else if (!ag_field_of_kind(o->P->g, p->kind))
        put_alone(o, &o->item, &o->item_on, o->P->e_token, p->value);
    else
        put_bare(o, p->value);
    if (p->quoted)
        put(o, "\"", 1, p->value.len, MAP_END);
    end_of(o, &o->field, &o->field_on, p->value.len);
    shadow_end(o, dedicated);
}

static void put_scheme(out *o, ag_span scheme)
{
    o->seg = SEG_VALUE;
    o->label = "scheme";
    o->value_len = scheme.len;
    put_alone(o, &o->field, &o->field_on, o->P->e_scheme, scheme);
}

static void put_token68(out *o, ag_span t)
{
    o->seg = SEG_VALUE;
    o->label = "token68";
    o->value_len = t.len;
    put_alone(o, &o->field, &o->field_on, o->P->e_token68, t);
}

/* scheme [ SP ( token68 / params ) ] */
static void put_challenge(out *o, const ag_source *src, size_t ch)
{
    o->challenge = ch;
    o->index = 0;
    ag_span scheme = src->scheme(src->ctx, ch);
    put_scheme(o, scheme);
    /* (as the parsers type it: the registered-scheme Digest is the
     * grammar's digest branch) */
    o->digest = ag_scheme_of(o->P, scheme) == AG_SCHEME_DIGEST;
    ag_span t68 = src->token68 ? src->token68(src->ctx, ch) : (ag_span){0, 0};
    size_t np = src->nparams(src->ctx, ch);
    if (t68.ptr || np)
        put(o, " ", 1, scheme.len, MAP_END);
    if (t68.ptr)
        put_token68(o, t68);
    for (size_t i = 0; i < np && !o->failed; i++) {
        ag_sparam p;
        src->param(src->ctx, ch, i, &p);
        if (i) {
            o->seg = SEG_NONE;
            o->label = NULL;
            put(o, ", ", 2, 0, MAP_AT);
        }
        put_param(o, &p, i);
    }
    o->seg = SEG_NONE;
    o->label = NULL; /* what fails now is the challenge or the line as a whole */
}

/* "Name: ", the name from the grammar's header table, in one piece */
static void put_header_name(out *o, ag_header h)
{
    const ag_gen_grammar *g = o->P->g;
    for (int i = 0; i < g->nheaders; i++) {
        const ag_gen_header *e = &g->headers[i];
        char line[64];
        if (e->header != (int)h || (size_t)e->name_len + 2 > sizeof line)
            continue;
        memcpy(line, e->name, (size_t)e->name_len);
        memcpy(line + e->name_len, ": ", 2);
        put(o, line, (size_t)e->name_len + 2, 0, MAP_AT);
        return;
    }
}

static void put_all(out *o, const ag_source *src, ag_form form)
{
    size_t n = src->nchallenges;
    int whole = src->creds ? (form == AG_FORM_VALUE ? o->P->e_cred_value : o->P->e_cred_header)
                           : (form == AG_FORM_VALUE ? o->P->e_value : o->P->e_header);
    o->groups = src->creds ? o->P->grp_credentials : o->P->grp_challenge;
    for (size_t ch = 0; ch < n && !o->failed; ch++) {
        if (!src->join || ch == 0) { /* a header field begins */
            stream_on(o, &o->whole, &o->whole_on, whole);
            o->seg = SEG_NONE;
            o->label = NULL;
            if (form != AG_FORM_VALUE)
                put_header_name(o, (ag_header)form); /* (the forms are the headers) */
        } else
            put(o, ", ", 2, 0, MAP_AT);
        put_challenge(o, src, ch);
        if (!src->join || ch == n - 1) { /* and ends */
            if (form != AG_FORM_VALUE)
                put(o, "\r\n", 2, 0, MAP_AT);
            o->challenge = ch;
            end_of(o, &o->whole, &o->whole_on, 0);
        }
    }
}

/* Runs a check that failed again with the diagnostic machines, to name the
 * rule; the emitter stops at the same byte. */
static ag_status refused(ag_profile profile, void (*emit)(out *, const void *), const void *arg,
                         ag_field_error *err)
{
    ag_field_error tmp;
    out o;
    memset(&o, 0, sizeof o);
    o.P = ag_prof_of(profile);
    o.pass = PASS_DIAG;
    o.err = err ? err : &tmp;
    emit(&o, arg);
    if (!o.failed) { /* cannot happen: both machines have the same language */
        memset(o.err, 0, sizeof *o.err);
        o.err->status = AG_ERR_FIELD;
        o.err->field = "challenge";
        o.err->rule = o.err->rfc = "";
        o.err->message = msg_byte;
    }
    return AG_ERR_FIELD;
}

typedef struct write_args {
    const ag_source *src;
    ag_form form;
} write_args;

static void emit_all(out *o, const void *arg)
{
    const write_args *a = arg;
    put_all(o, a->src, a->form);
}

ag_status ag_ser_write(const ag_source *src, ag_form form, char *buf, size_t cap, size_t *len,
                       ag_field_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    if (len)
        *len = 0;
    if (buf && cap)
        buf[0] = 0;
    int form_ok = form == AG_FORM_VALUE ||
                  (src->creds ? form == AG_FORM_PROXY_AUTHORIZATION || form == AG_FORM_AUTHORIZATION
                              : form == AG_FORM_PROXY_AUTHENTICATE || form == AG_FORM_WWW_AUTHENTICATE);
    if (!len)
        return ag_ser_refuse(buf, cap, len, err, "len", AG_SER_NO_LEN);
    if (!buf && cap)
        return ag_ser_refuse(buf, cap, len, err, "buf", AG_SER_NO_BUF);
    if (!form_ok)
        /* ag_form is an enumeration: AG_FORM_PROXY_AUTHENTICATE | AG_FORM_WWW_AUTHENTICATE is 3,
         * AG_FORM_PROXY_AUTHORIZATION, which a challenge is not written as */
        return ag_ser_refuse(buf, cap, len, err, "form",
                             src->creds ? "credentials are written as AG_FORM_VALUE, AG_FORM_PROXY_AUTHORIZATION "
                                          "or AG_FORM_AUTHORIZATION (one ag_form value, not a combination)"
                                        : "a challenge is written as AG_FORM_VALUE, AG_FORM_PROXY_AUTHENTICATE or "
                                          "AG_FORM_WWW_AUTHENTICATE (one ag_form value, not a combination)");
    write_args a = {src, form};
    out o;
    char scratch[FAST_CAP];
    memset(&o, 0, sizeof o);
    o.P = ag_prof_of(src->profile);
    o.pass = PASS_FAST;
    o.buf = scratch;
    emit_all(&o, &a);
    if (!o.failed) {
        *len = o.n;
        if (o.n >= cap)
            return AG_ERR_SPACE;
        memcpy(buf, scratch, o.n);
        buf[o.n] = 0;
        return AG_OK;
    }
    memset(&o, 0, sizeof o);
    o.P = ag_prof_of(src->profile);
    o.pass = PASS_CHECK;
    emit_all(&o, &a);
    if (o.failed)
        return refused(src->profile, emit_all, &a, err);
    *len = o.n;
    if (o.n >= cap)
        return AG_ERR_SPACE;
    memset(&o, 0, sizeof o);
    o.P = ag_prof_of(src->profile);
    o.pass = PASS_WRITE;
    o.buf = buf;
    emit_all(&o, &a);
    buf[o.n] = 0;
    return AG_OK;
}

/* ---- single checks for the builder's setters ----------------------------- */

typedef struct one_args {
    ag_profile profile;
    int what; /* 0 param, 1 item, 2 scheme, 3 token68 */
    const ag_sparam *p;
    ag_param_kind kind;
    ag_span v;
    size_t challenge, index;
} one_args;

static void emit_one(out *o, const void *arg)
{
    const one_args *a = arg;
    o->challenge = a->challenge;
    o->index = a->index;
    if (a->what == 0)
        put_param(o, a->p, a->index);
    else if (a->what == 1) {
        o->label = label_of(o->P, a->kind);
        put_item(o, a->kind, a->v, a->index);
    } else if (a->what == 2)
        put_scheme(o, a->v);
    else
        put_token68(o, a->v);
}

static ag_status check_one(const one_args *a, ag_field_error *err)
{
    out o;
    char scratch[FAST_CAP];
    for (int pass = PASS_FAST; pass <= PASS_CHECK; pass++) {
        memset(&o, 0, sizeof o);
        o.P = ag_prof_of(a->profile);
        o.pass = pass;
        o.buf = pass == PASS_FAST ? scratch : NULL;
        emit_one(&o, a);
        if (!o.failed) {
            if (err)
                memset(err, 0, sizeof *err);
            return AG_OK;
        }
    }
    return refused(a->profile, emit_one, a, err);
}

ag_status ag_ser_check_param(ag_profile profile, const ag_sparam *p, size_t challenge, size_t index,
                             ag_field_error *err)
{
    one_args a = {profile, 0, p, p->kind, p->value, challenge, index};
    return check_one(&a, err);
}

ag_status ag_ser_check_item(ag_profile profile, ag_param_kind kind, ag_span value, size_t challenge,
                            size_t index, ag_field_error *err)
{
    one_args a = {profile, 1, NULL, kind, value, challenge, index};
    return check_one(&a, err);
}

ag_status ag_ser_check_scheme(ag_profile profile, ag_span scheme, size_t challenge, ag_field_error *err)
{
    one_args a = {profile, 2, NULL, AG_PARAM_GENERIC, scheme, challenge, 0};
    return check_one(&a, err);
}

ag_status ag_ser_check_token68(ag_profile profile, ag_span t, size_t challenge, ag_field_error *err)
{
    one_args a = {profile, 3, NULL, AG_PARAM_GENERIC, t, challenge, 0};
    return check_one(&a, err);
}

/* ---- ag_serialize: a parsed challenge as the source ----------------------- */

/* ctx: an array of challenges (one, or a list's) */
static ag_span c_scheme(const void *ctx, size_t ch) { return ((const ag_challenge *)ctx)[ch].scheme; }

static ag_span c_token68(const void *ctx, size_t ch) { return ((const ag_challenge *)ctx)[ch].token68; }

static size_t c_nparams(const void *ctx, size_t ch) { return ((const ag_challenge *)ctx)[ch].param_count; }

static void c_param(const void *ctx, size_t ch, size_t i, ag_sparam *sp)
{
    const ag_challenge *c = &((const ag_challenge *)ctx)[ch];
    const ag_param *p = &c->params[i];
    memset(sp, 0, sizeof *sp);
    sp->kind = p->kind;
    sp->name = p->name;
    sp->value = p->value;
    sp->quoted = p->quoted;
    sp->raw = 1;
    /* a list the lenient reading made out of a loose value: its typed items */
    if (p->lenient && p->kind == AG_PARAM_QOP && c->qop_count) {
        sp->spans = (const char *)(const void *)&c->qop[0].raw;
        sp->nspans = c->qop_count;
        sp->stride = sizeof c->qop[0];
    } else if (p->lenient && p->kind == AG_PARAM_DOMAIN && c->domain_count) {
        sp->spans = (const char *)(const void *)c->domain;
        sp->nspans = c->domain_count;
        sp->stride = sizeof c->domain[0];
    }
}

ag_status ag_ser_refuse(char *buf, size_t cap, size_t *len, ag_field_error *err, const char *field,
                        const char *message)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->status = AG_ERR_ARGUMENT;
        err->field = field;
        err->rule = err->rfc = "";
        err->message = message;
    }
    if (len)
        *len = 0;
    if (buf && cap)
        buf[0] = 0;
    return AG_ERR_ARGUMENT;
}

/* Why a challenge's parameter array cannot be read, or NULL */
static const char *params_unreadable(const ag_challenge *c)
{
    if (c->param_count > c->param_cap)
        return "param_count is larger than param_cap";
    if (c->param_count && !c->params)
        return "params is NULL with param_count > 0";
    return NULL;
}

ag_status ag_ser_challenges(const ag_challenge *c, size_t n, int join, int creds, ag_form form, char *buf,
                            size_t cap, size_t *len, ag_field_error *err)
{
    ag_source src = {c[0].profile, join, creds, n, c_scheme, c_token68, c_nparams, c_param, c};
    return ag_ser_write(&src, form, buf, cap, len, err);
}

ag_status ag_serialize(const ag_challenge *c, ag_form form, char *buf, size_t cap, size_t *len,
                       ag_field_error *err)
{
    const char *why = !c ? "no challenge given (NULL)" : params_unreadable(c);
    if (why)
        return ag_ser_refuse(buf, cap, len, err, "challenge", why);
    return ag_ser_challenges(c, 1, 0, 0, form, buf, cap, len, err);
}

ag_status ag_serialize_list(const ag_challenge_list *l, ag_form form, char *buf, size_t cap, size_t *len,
                            ag_field_error *err)
{
    const char *why = !l                       ? "no list given (NULL)"
                      : !l->count              ? "the list holds no challenge (count 0)"
                      : l->count > l->cap      ? "count is larger than cap"
                      : !l->challenges         ? "challenges is NULL with count > 0"
                                               : NULL;
    for (size_t i = 0; !why && i < l->count; i++) {
        why = params_unreadable(&l->challenges[i]);
        if (!why && l->challenges[i].profile != l->challenges[0].profile)
            why = "the challenges of one list have different profiles";
    }
    if (why)
        return ag_ser_refuse(buf, cap, len, err, "challenge", why);
    return ag_ser_challenges(l->challenges, l->count, 1, 0, form, buf, cap, len, err);
}

size_t ag_field_error_format(const ag_field_error *e, char *buf, size_t cap)
{
    if (!e)
        return 0;
    if (e->status == AG_OK)
        return (size_t)snprintf(buf, cap, "no error");
    if (e->status != AG_ERR_FIELD)
        return (size_t)snprintf(buf, cap, "%s%s%s", e->field && e->field[0] ? e->field : "",
                                e->field && e->field[0] ? ": " : "",
                                e->message && e->message[0] ? e->message : ag_strerror(e->status));
    char idx[32] = "";
    if (!strcmp(e->field, "qop") || !strcmp(e->field, "domain") || !strncmp(e->field, "param-", 6))
        snprintf(idx, sizeof idx, "[%zu]", e->index);
    return (size_t)snprintf(buf, cap, "%s%s: offset %zu: %s [%s]%s%s%s", e->field, idx, e->offset,
                            e->message ? e->message : "", e->rule ? e->rule : "",
                            e->rfc && e->rfc[0] ? " (" : "", e->rfc ? e->rfc : "",
                            e->rfc && e->rfc[0] ? ")" : "");
}
