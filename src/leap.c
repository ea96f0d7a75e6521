/* SPDX-License-Identifier: MIT */
/* Leaping over runs of bytes (see leap.h): a vector compare finds how long
 * the run is; the tables say where the machine is after it. */
#include "leap.h"

const unsigned char *ag_leap(const ag_leap_table *t, int *cs, const unsigned char *p, const unsigned char *pe)
{
    int s = *cs;
    if (s <= 0 || s >= t->nstates || !t->cls[s])
        return p;
    return ag_leap_at(t, cs, p, pe);
}
