/* SPDX-License-Identifier: MIT */
/* The re2c twin (gen/emit_re2c.c): each profile's grammar compiled by re2c,
 * independently of the Ragel machines, as a differential oracle for the
 * tests and the fuzz harnesses (target ag_twin).  Not installed, not API.
 *
 * Entry indices are those of the generated grammar's entry table
 * (ag_<profile>_grammar.h, AG_<P>_ENTRY_*): the tags' entry points, then one
 * per field rule. */
#ifndef AG_TEST_TWIN_H
#define AG_TEST_TWIN_H

#include <stddef.h>

/* 1 if all of [buf, buf+len) is in the entry's language, 0 if not, -1 for
 * an entry index out of range.  Reads nothing outside the buffer. */
int ag_twin_sip(int entry, const unsigned char *buf, size_t len);
int ag_twin_http(int entry, const unsigned char *buf, size_t len);

/* The entry names (as the grammar's entry_names), and how many there are. */
extern const char *const ag_twin_sip_entry_names[];
extern const int ag_twin_sip_nentries;
extern const char *const ag_twin_http_entry_names[];
extern const int ag_twin_http_nentries;

#endif
