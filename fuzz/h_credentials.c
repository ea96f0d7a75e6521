/* SPDX-License-Identifier: MIT */
/* Harness "credentials": the answer side's round trip.  Every input is read
 * by ag_parse_credentials in both profiles, as a value and as a header line.
 * Invariants: a refusal is a syntax error at an offset inside the input
 * with its rule, or a capacity error; what parses has every span inside the
 * input, and ag_check_credentials puts every warning inside it too; written
 * back (ag_serialize_credentials, in the form of its input) it parses to the
 * same fields and warnings (but for those of the input's own form), unless
 * the serializer refuses it by design (fuzz_refused_by_design); the
 * canonical output is a fixed point; and a value reads the same as the
 * header line "Proxy-Authorization: " + value, both ways. */
#include <string.h>

#include "fuzz.h"

static void inside(const char *buf, size_t len, ag_span s, const char *what)
{
    FUZZ_CHECK(!s.ptr || (s.ptr >= buf && s.len <= len && (size_t)(s.ptr - buf) <= len - s.len),
               "%s span outside the input", what);
}

static void check_accepted(const char *buf, size_t len, const ag_credentials *c)
{
    FUZZ_CHECK(c->scheme.ptr && c->scheme.len, "credentials without a scheme");
    FUZZ_CHECK(c->param_count <= c->param_cap, "%zu parameters of %zu", c->param_count, c->param_cap);
    const struct {
        ag_span s;
        const char *what;
    } f[] = {{c->scheme, "scheme"},     {c->username, "username"}, {c->username_ext, "username*"},
             {c->realm, "realm"},       {c->nonce, "nonce"},       {c->uri, "uri"},
             {c->response, "response"}, {c->cnonce, "cnonce"},     {c->opaque, "opaque"},
             {c->nc, "nc"},             {c->auts, "auts"},         {c->algorithm_raw, "algorithm"},
             {c->qop_raw, "qop"},       {c->token68, "token68"}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        inside(buf, len, f[i].s, f[i].what);
    for (size_t i = 0; i < c->param_count; i++) {
        inside(buf, len, c->params[i].name, "param name");
        inside(buf, len, c->params[i].value, "param value");
        FUZZ_CHECK(c->params[i].offset == (size_t)(c->params[i].name.ptr - buf),
                   "param %zu: offset %zu is not its name's", i, c->params[i].offset);
    }
    ag_warning w[64];
    size_t nw = ag_check_credentials(c, w, 64);
    for (size_t i = 0; i < nw && i < 64; i++) {
        FUZZ_CHECK(w[i].offset <= len, "warning %s at offset %zu of %zu", ag_warning_name(w[i].id),
                   w[i].offset, len);
        FUZZ_CHECK(ag_warning_name(w[i].id)[0] && w[i].rule, "warning %d without a name or rule",
                   (int)w[i].id);
    }
}

/* Parses; on AG_OK checks what was read.  A refusal is a syntax error with
 * its offset and rule, or a capacity error. */
static ag_status parse(ag_profile prof, ag_input in, const char *buf, size_t len, ag_credentials *c)
{
    ag_diag d;
    ag_status rc = ag_parse_credentials(prof, in, buf, len, c, &d);
    if (rc == AG_OK)
        check_accepted(buf, len, c);
    else if (rc == AG_ERR_SYNTAX)
        FUZZ_CHECK(d.offset <= len && d.rule && d.rule[0] && d.at_end == (d.offset == len),
                   "profile %d input %d: a syntax error at %zu of %zu without its rule", prof, in,
                   d.offset, len);
    else
        FUZZ_CHECK(rc == AG_ERR_CAPACITY, "profile %d input %d: %s", prof, in, ag_status_name(rc));
    return rc;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* The value as a header line's value: it parses iff the value does (but
 * where the header's HCOLON/OWS or final CRLF takes white space at its
 * ends), to the same fields and warnings. */
static void header_agrees(ag_profile prof, const char *buf, size_t size, ag_status value_rc,
                          const ag_credentials *value)
{
    static const char name[] = "Proxy-Authorization: ";
    size_t n = sizeof name - 1;
    char *line = malloc(n + size + 1);
    FUZZ_CHECK(line != NULL, "out of memory");
    memcpy(line, name, n);
    memcpy(line + n, buf, size);
    char *exact = fuzz_copy(line, n + size);
    free(line);
    static ag_credentials_storage st;
    ag_credentials h;
    ag_credentials_init(&h, &st);
    ag_status rc = parse(prof, AG_INPUT_HEADER, exact, n + size, &h);
    int ends_ws = size && (is_ws(buf[0]) || is_ws(buf[size - 1]));
    if (value_rc == AG_OK) {
        FUZZ_CHECK(rc == AG_OK, "profile %d: the value parses, the header line %s", prof,
                   ag_status_name(rc));
        FUZZ_CHECK(h.header == AG_HEADER_PROXY_AUTHORIZATION && value->header == AG_HEADER_NONE,
                   "header %d, value %d", h.header, value->header);
        char why[512];
        FUZZ_CHECK(fuzz_cred_same(value, &h, CHDIFF_ALL_WARNINGS, why, sizeof why),
                   "profile %d: the value and the header line differ: %s", prof, why);
    } else if (value_rc == AG_ERR_SYNTAX && !ends_ws) {
        FUZZ_CHECK(rc == AG_ERR_SYNTAX, "profile %d: the value is refused, the header line %s", prof,
                   ag_status_name(rc));
    }
    free(exact);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    for (int p = 0; p < 2; p++) {
        ag_profile prof = fuzz_profiles[p];
        for (int i = 0; i < 2; i++) {
            ag_input in = fuzz_inputs[i];
            static ag_credentials_storage s1, s2, s3;
            ag_credentials a, b, c;
            ag_credentials_init(&a, &s1);
            ag_status rc = parse(prof, in, buf, size, &a);
            if (in == AG_INPUT_VALUE)
                header_agrees(prof, buf, size, rc, &a);
            if (rc != AG_OK)
                continue;
            ag_credentials_init(&b, &s2);
            ag_credentials_init(&c, &s3);
            fuzz_round_trip(FUZZ_CREDENTIALS, &a, prof, in, fuzz_cred_form(&a, in), &b, &c, "credentials");
        }
    }
    return 0;
}
