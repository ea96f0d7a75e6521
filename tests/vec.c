/* SPDX-License-Identifier: MIT */
#include "vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *vec_unescape(const char *s, size_t *len)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) {
            out[k++] = s[i];
            continue;
        }
        char c = s[++i];
        switch (c) {
        case 'r': out[k++] = '\r'; break;
        case 'n': out[k++] = '\n'; break;
        case 't': out[k++] = '\t'; break;
        case 's': out[k++] = ' '; break;
        case '\\': out[k++] = '\\'; break;
        case '"': out[k++] = '"'; break;
        case 'x':
            if (i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
                out[k++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
                i += 2;
                break;
            }
            /* fall through */
        default:
            out[k++] = '\\';
            out[k++] = c;
            break;
        }
    }
    out[k] = 0;
    *len = k;
    return out;
}

const char *vec_show(const char *s, size_t len)
{
    static char buf[512];
    size_t k = 0;
    for (size_t i = 0; i < len && k + 8 < sizeof buf; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\')
            k += (size_t)snprintf(buf + k, sizeof buf - k, "\\\\");
        else if (c >= 0x20 && c < 0x7f)
            buf[k++] = (char)c;
        else if (c == '\r')
            k += (size_t)snprintf(buf + k, sizeof buf - k, "\\r");
        else if (c == '\n')
            k += (size_t)snprintf(buf + k, sizeof buf - k, "\\n");
        else
            k += (size_t)snprintf(buf + k, sizeof buf - k, "\\x%02x", c);
    }
    if (len && k + 8 >= sizeof buf)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "...");
    buf[k] = 0;
    return buf;
}

size_t vec_read(const char *path, vec_case **out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return 0;
    }
    vec_case *cases = NULL;
    size_t n = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int lineno = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = 0;
        if (got == 0 || (line[0] == '#' && line[1] != '#'))
            continue;
        if (line[0] == '#' && line[1] == '#') {
            cases = realloc(cases, sizeof(vec_case) * (n + 1));
            vec_case *c = &cases[n++];
            memset(c, 0, sizeof *c);
            c->file = path;
            c->line = lineno;
            const char *nm = line + 2;
            while (*nm == ' ')
                nm++;
            c->name = strdup(nm);
            continue;
        }
        char *colon = strstr(line, ": ");
        if (!colon && got > 0 && line[got - 1] == ':')
            colon = line + got - 1;
        if (!n || !colon) {
            fprintf(stderr, "%s:%d: expected 'key: value' inside a case\n", path, lineno);
            free(line);
            fclose(f);
            return 0;
        }
        *colon = 0;
        const char *val = colon[1] ? colon + 2 : "";
        vec_case *c = &cases[n - 1];
        size_t vlen;
        char *v = vec_unescape(val, &vlen);
        if (!strcmp(line, "input") || !strcmp(line, "input+")) {
            if (!strcmp(line, "input"))
                c->input_len = 0;
            c->input = realloc(c->input, c->input_len + vlen + 1);
            memcpy(c->input + c->input_len, v, vlen + 1);
            c->input_len += vlen;
            free(v);
            continue;
        }
        c->kv = realloc(c->kv, sizeof(vec_kv) * (c->nkv + 1));
        c->kv[c->nkv].key = strdup(line);
        c->kv[c->nkv].val = v;
        c->kv[c->nkv].len = vlen;
        c->kv[c->nkv].line = lineno;
        c->nkv++;
    }
    free(line);
    fclose(f);
    for (size_t i = 0; i < n; i++)
        if (!cases[i].input) {
            fprintf(stderr, "%s:%d: case without input\n", path, cases[i].line);
            return 0;
        }
    *out = cases;
    return n;
}

const char *vec_get(const vec_case *c, const char *key, size_t *len)
{
    for (size_t i = 0; i < c->nkv; i++)
        if (!strcmp(c->kv[i].key, key)) {
            if (len)
                *len = c->kv[i].len;
            return c->kv[i].val;
        }
    return NULL;
}

void vec_free(vec_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(cases[i].name);
        free(cases[i].input);
        for (size_t k = 0; k < cases[i].nkv; k++) {
            free(cases[i].kv[k].key);
            free(cases[i].kv[k].val);
        }
        free(cases[i].kv);
    }
    free(cases);
}

int vec_untouched(const char *buf, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (buf[i] != VEC_SENTINEL)
            return 0;
    return 1;
}
