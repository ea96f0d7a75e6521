/* SPDX-License-Identifier: MIT */
/* Shared between toy_driver.c and capture_driver.rl (the capture machine). */
#ifndef TOY_DRIVER_H
#define TOY_DRIVER_H

#include <stddef.h>

enum toy_capture_entry { TOY_CAPTURE_PARAMS, TOY_CAPTURE_WHEN };

/* Runs the capture machine of an entry over s, writing the actions that ran
 * into trace as "name@offset name@offset ...".  Returns 1 if the machine
 * accepted s, 0 if not. */
int toy_capture_run(enum toy_capture_entry entry, const char *s, char *trace, size_t cap);

#endif
