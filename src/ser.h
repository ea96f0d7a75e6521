/* SPDX-License-Identifier: MIT */
/* The serializer's core, shared by ag_serialize and the builder.  Internal. */
#ifndef AG_SER_H
#define AG_SER_H

#include "internal.h"

/* One parameter to write. */
typedef struct ag_sparam {
    ag_param_kind kind;
    const char *field;  /* name of the field in errors; NULL: from the kind */
    ag_span name, value;
    int quoted;
    int raw;            /* value is raw quoted content (parser output) */
    /* builder lists: the items whose .param == owner make up the value */
    const ag_build_item *items;
    size_t nitems, owner;
    /* or a parsed list (lenient reading): n spans, stride bytes apart */
    const char *spans;
    size_t nspans, stride;
} ag_sparam;

/* A source of challenges: how many, and each one's scheme and parameters. */
typedef struct ag_source {
    ag_profile profile;
    int join;           /* http: every challenge in one header field */
    int creds;          /* credentials (Authorization), not challenges */
    size_t nchallenges;
    ag_span (*scheme)(const void *ctx, size_t ch);
    ag_span (*token68)(const void *ctx, size_t ch); /* ptr NULL: none */
    size_t (*nparams)(const void *ctx, size_t ch);
    void (*param)(const void *ctx, size_t ch, size_t i, ag_sparam *out);
    const void *ctx;
} ag_source;

/* Checks, then writes every challenge of src (see ag_serialize). */
ag_status ag_ser_write(const ag_source *src, ag_form form, char *buf, size_t cap, size_t *len,
                       ag_field_error *err);

/* Checks, then writes n parsed challenges (or credentials, creds 1, seen as
 * challenges), all of c[0]'s profile; join as ag_source's. */
ag_status ag_ser_challenges(const ag_challenge *c, size_t n, int join, int creds, ag_form form, char *buf,
                            size_t cap, size_t *len, ag_field_error *err);

/* The output conventions for invalid arguments: nothing written (buf[0]
 * = NUL when cap > 0), *len = 0, *err says which argument (field) and why
 * (message, a static string); returns AG_ERR_ARGUMENT. */
ag_status ag_ser_refuse(char *buf, size_t cap, size_t *len, ag_field_error *err, const char *field,
                        const char *message);
/* its messages for the output arguments every writer takes */
#define AG_SER_NO_LEN "len is NULL: the output length has nowhere to go"
#define AG_SER_NO_BUF "buf is NULL with cap > 0 (NULL only for cap 0)"

/* Checks one parameter against its production (the builder's setters):
 * AG_OK or AG_ERR_FIELD with *err filled in. */
ag_status ag_ser_check_param(ag_profile profile, const ag_sparam *p, size_t challenge, size_t index,
                             ag_field_error *err);

/* Checks one qop value (kind AG_PARAM_QOP) or domain URI (AG_PARAM_DOMAIN). */
ag_status ag_ser_check_item(ag_profile profile, ag_param_kind kind, ag_span value, size_t challenge,
                            size_t index, ag_field_error *err);

/* Checks an auth-scheme. */
ag_status ag_ser_check_scheme(ag_profile profile, ag_span scheme, size_t challenge, ag_field_error *err);

/* Checks a token68 (http). */
ag_status ag_ser_check_token68(ag_profile profile, ag_span t, size_t challenge, ag_field_error *err);

/* The parameter name of a dedicated kind in the profile ("realm", "qop",
 * ...), or NULL when the profile has no such production. */
const char *ag_ser_field_name(ag_profile profile, ag_param_kind kind);
/* Does that kind's production write its value quoted (its generated form)?
 * 0 also for a kind the profile has no production of. */
int ag_ser_field_quoted(ag_profile profile, ag_param_kind kind);

#endif
