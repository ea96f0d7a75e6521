/* SPDX-License-Identifier: MIT */
/* sipmsg: the helpers the two SIP peers of the interop tests share
 * (authgram_uac, authgram_uas): output lines, time, random hex, the UDP
 * socket on 127.0.0.1, and the few pieces of SIP message reading they need.
 *
 * Spans: a message is read where it lies.  Every field these functions hand
 * back is a pointer into the caller's message and a length; nothing is
 * copied or allocated, so a field lives as long as the message buffer and
 * is not NUL-terminated. */
#ifndef SIPMSG_H
#define SIPMSG_H

#include <stdarg.h>
#include <stddef.h>

/* The program's name, the prefix of every line it says: each program
 * defines it (a definition, so that no line can go out without it). */
extern const char sip_prog[];

/* One line on stdout: "<sip_prog>: <tag><message>\n", flushed at once (the
 * tests read the output while the program runs).  tag may be "". */
void vsay(const char *tag, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* vsay without a tag. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The n bytes at s, which a peer sent (untrusted), made safe for a log
 * line in buf (cap >= 8), NUL-terminated: printable ASCII as it is, a
 * backslash doubled, every other byte (C0 controls, DEL, 8-bit bytes) as
 * \xHH, so that a peer can neither drive the reader's terminal (ESC
 * sequences) nor forge log lines (CR, LF).  Ends in "..." when cap is too
 * small.  Returns buf, for use as a printf argument. */
const char *log_escape(char *buf, size_t cap, const char *s, size_t n);

/* Milliseconds on the monotonic clock (for timeouts, not the time of day). */
long long now_ms(void);

/* digits random hex digits and a NUL into out (digits + 1 bytes), from
 * /dev/urandom, or from the time, the pid and salt when it is unreadable;
 * at most 128 digits. */
void random_hex(char *out, size_t digits, unsigned long salt);

/* A UDP socket bound to 127.0.0.1:port (0: any port), or -1 with the
 * reason said on stderr. */
int udp_bind_loopback(unsigned port);

/* The decimal s as a number from 0 to max into *out: 0, or -1 when s is
 * not wholly such a number (*out untouched). */
int parse_uint(const char *s, unsigned max, unsigned *out);

/* ---- SIP messages ---------------------------------------------------------- */

/* The end of the header section of the message m of n bytes (the offset
 * just past the empty line), or 0 when the message has none. */
size_t header_end(const char *m, size_t n);

/* Iterates the header fields of a message whose header section ends at
 * hend (header_end): on each call, the next field into *field and *flen
 * (its first line and every folded continuation line, with the final
 * CRLF; a span of m).  *pos starts at 0 (the start line is skipped).
 * Returns 0 at the end. */
int next_field(const char *m, size_t hend, size_t *pos, const char **field, size_t *flen);

/* Whether the header field f of n bytes has that name (any case;
 * whitespace before ':'). */
int field_is(const char *f, size_t n, const char *name);

/* The first header field of m named name or, when compact is not NULL, its
 * compact form (RFC 3261 7.3.3: "Via" and "v"); its length in *flen.  NULL
 * when there is none (or no header section). */
const char *find_field(const char *m, size_t n, const char *name, const char *compact,
                       size_t *flen);

#endif
