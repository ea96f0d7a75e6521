/* SPDX-License-Identifier: MIT */
/* The ABNF lexer (RFC 5234 section 4, RFC 7405), compiled by re2c.
 *
 * Whitespace and comments are skipped.  A newline followed by WSP continues
 * the current rule (RFC 5234 c-nl WSP); any other newline ends it (T_EOL).
 * A comment of the form ";@ text" is an annotation: the generator attaches
 * "text" (the RFC section) to the rules defined after it. */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

void lex_init(lexer *L, const char *file, const char *buf, size_t len)
{
    memset(L, 0, sizeof *L);
    L->file = file;
    L->buf = L->cur = buf;
    L->end = buf + len; /* buf[len] is a NUL sentinel */
    L->lim = L->end;
    L->line = 1;
    L->line_start = buf;
}

static unsigned digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned)(c - 'a' + 10);
    return (unsigned)(c - 'A' + 10);
}

/* Parse the digits of a num-val ("%x41-5A", "%d13.10") into t. */
static void numval(token *t, const char *s, const char *e)
{
    unsigned base;
    switch (s[1]) {
    case 'x': case 'X': base = 16; break;
    case 'd': case 'D': base = 10; break;
    default: base = 2; break;
    }
    s += 2;
    t->nvals = 0;
    t->is_range = 0;
    unsigned v = 0;
    int overflow = 0;
    for (; s <= e; s++) {
        if (s == e || *s == '.' || *s == '-') {
            if (t->nvals >= (int)(sizeof t->vals / sizeof t->vals[0])) {
                t->kind = T_ERROR;
                t->errmsg = "num-val has too many values";
                return;
            }
            if (overflow || v > 255) {
                t->kind = T_ERROR;
                t->errmsg = "num-val value outside 0-255 (the alphabet is bytes)";
                return;
            }
            t->vals[t->nvals++] = v;
            v = 0;
            if (s < e && *s == '-')
                t->is_range = 1;
            continue;
        }
        v = v * base + digit_value(*s);
        if (v > 0xffffff)
            overflow = 1;
    }
    if (t->is_range && t->vals[0] > t->vals[1]) {
        t->kind = T_ERROR;
        t->errmsg = "num-val range is empty (low end above high end)";
    }
}

static int number(const char *s, const char *e, int *out)
{
    long v = 0;
    for (; s < e; s++) {
        v = v * 10 + (*s - '0');
        if (v > 100000)
            return -1;
    }
    *out = (int)v;
    return 0;
}

static void repeat(token *t, const char *s, const char *e)
{
    const char *star = memchr(s, '*', (size_t)(e - s));
    int lo = 0, hi = -1;
    if (!star) {
        if (number(s, e, &lo) < 0)
            goto big;
        hi = lo;
    } else {
        if (star > s && number(s, star, &lo) < 0)
            goto big;
        if (star + 1 < e && number(star + 1, e, &hi) < 0)
            goto big;
    }
    t->rmin = lo;
    t->rmax = hi;
    if (hi >= 0 && lo > hi) {
        t->kind = T_ERROR;
        t->errmsg = "repetition minimum above its maximum";
    }
    return;
big:
    t->kind = T_ERROR;
    t->errmsg = "repetition count too large";
}

void lex_next(lexer *L, token *t)
{
    memset(t, 0, sizeof *t);
    for (;;) {
        const char *tok = L->cur;
        t->at.file = L->file;
        t->at.line = L->line;
        t->at.col = (int)(tok - L->line_start) + 1;
        t->text = tok;
        /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = L->cur;
        re2c:define:YYMARKER = L->mar;
        re2c:define:YYLIMIT = L->lim;
        re2c:yyfill:enable = 0;
        re2c:eof = 0;

        alpha   = [A-Za-z];
        digit   = [0-9];
        wsp     = [ \t];
        nl      = "\r"? "\n";
        vchar   = [\x21-\x7e];
        bits    = [01]+;
        decs    = [0-9]+;
        hexs    = [0-9A-Fa-f]+;

        $ { t->kind = T_EOF; return; }

        wsp+ { continue; }

        ";" (wsp | vchar)* {
            if (tok[1] == '@') {
                const char *a = tok + 2, *b = L->cur;
                while (a < b && (*a == ' ' || *a == '\t'))
                    a++;
                while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
                    b--;
                free(L->pending_annotation);
                L->pending_annotation = xstrndup(a, (size_t)(b - a));
            }
            continue;
        }

        nl {
            L->line++;
            L->line_start = L->cur;
            if (L->cur < L->end && (*L->cur == ' ' || *L->cur == '\t'))
                continue; /* continuation line */
            t->kind = T_EOL;
            return;
        }

        alpha (alpha | digit | "-")* {
            t->kind = T_RULENAME;
            t->len = (size_t)(L->cur - tok);
            return;
        }

        "=/" { t->kind = T_INCDEF; return; }
        "="  { t->kind = T_DEFINE; return; }
        "/"  { t->kind = T_SLASH; return; }
        "("  { t->kind = T_LPAREN; return; }
        ")"  { t->kind = T_RPAREN; return; }
        "["  { t->kind = T_LBRACK; return; }
        "]"  { t->kind = T_RBRACK; return; }

        digit* "*" digit* | digit+ {
            t->kind = T_REPEAT;
            repeat(t, tok, L->cur);
            return;
        }

        ("%" [iIsS])? ["] [\x20\x21\x23-\x7e]* ["] {
            t->kind = T_CHARVAL;
            t->case_sensitive = (tok[0] == '%' && (tok[1] == 's' || tok[1] == 'S'));
            t->text = tok[0] == '%' ? tok + 3 : tok + 1;
            t->len = (size_t)(L->cur - 1 - t->text);
            return;
        }

        ("%" [iIsS])? ["] [\x20\x21\x23-\x7e]* {
            t->kind = T_ERROR;
            t->errmsg = "unterminated char-val (a char-val cannot span lines or hold control bytes)";
            return;
        }

        "%" [iIsS] {
            t->kind = T_ERROR;
            t->errmsg = "%s and %i must be followed directly by a quoted string (RFC 7405)";
            return;
        }

        "%" [bB] bits (("." bits)+ | "-" bits)?
        | "%" [dD] decs (("." decs)+ | "-" decs)?
        | "%" [xX] hexs (("." hexs)+ | "-" hexs)? {
            t->kind = T_NUMVAL;
            numval(t, tok, L->cur);
            return;
        }

        /* longer than any num-val above: a digit of the wrong base, a
         * trailing '.' or '-', a second range ("%x1G" is not %x01 then G) */
        "%" ([bBdDxX] [0-9A-Za-z.\-]*)? {
            t->kind = T_ERROR;
            t->errmsg = "malformed num-val (expected %b, %d or %x followed by digits of that base, "
                        "'.'-separated or one '-' range)";
            return;
        }

        "<" [\x20-\x3d\x3f-\x7e]* ">" {
            t->kind = T_PROSE;
            t->len = (size_t)(L->cur - tok);
            return;
        }

        * {
            t->kind = T_ERROR;
            t->errmsg = (tok[0] == '\r') ? "CR not followed by LF"
                      : "unexpected character (not allowed by RFC 5234 here)";
            return;
        }
        */
    }
}
