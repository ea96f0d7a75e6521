/* SPDX-License-Identifier: MIT */
/* The command line's shared part: usage errors and option values. */
#include <stdarg.h>
#include <string.h>

#include "cli.h"

const char cli_prog[] = "authgram";

int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: %s%s", cli_prog, cmd ? cmd : "", cmd ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s %s%s--help'.\n", cli_prog, cmd ? cmd : "", cmd ? " " : "");
    return 2;
}

/* ---- options -------------------------------------------------------------------- */

int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != 0)
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}


int opt_profile(const char *cmd, const char *v, ag_profile *out)
{
    if (!strcmp(v, "http"))
        *out = AG_PROFILE_HTTP;
    else if (!strcmp(v, "sip"))
        *out = AG_PROFILE_SIP;
    else
        return usage_error(cmd, "--profile '%s': expected sip or http", v);
    return 0;
}

int opt_input(const char *cmd, const char *v, in_mode *out)
{
    static const char *const names[] = {"headers", "message", "values"};
    static const in_mode modes[] = {IN_HEADERS, IN_MESSAGE, IN_VALUES};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(v, names[i])) {
            *out = modes[i];
            return 0;
        }
    return usage_error(cmd, "--input '%s': expected headers, message or values", v);
}
