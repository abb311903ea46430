/*
 * Printing errors and messages for a human.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_ERROR_REPORT_H
#define QEMU_ERROR_REPORT_H

#include <stdarg.h>
#include "qemu/compiler.h"

/**
 * error_set_progname:
 * @argv0: the program's argv[0], or NULL to print no prefix
 *
 * Sets the "<prog>: " prefix that error_report() puts in front of each
 * message; only the basename of @argv0 is used.
 */
void error_set_progname(const char *argv0);

/**
 * error_get_progname:
 *
 * Returns: the prefix set by error_set_progname(), or NULL
 */
const char *error_get_progname(void);

/**
 * error_vprintf:
 * @fmt: printf-style format
 * @ap: its arguments
 *
 * Prints to stderr, with no prefix and no newline added.
 */
void error_vprintf(const char *fmt, va_list ap) GCC_FMT_ATTR(1, 0);

/**
 * error_printf:
 * @fmt: printf-style format
 *
 * Prints to stderr, with no prefix and no newline added.
 */
void error_printf(const char *fmt, ...) GCC_FMT_ATTR(1, 2);

/**
 * error_vreport:
 * @fmt: printf-style format
 * @ap: its arguments
 *
 * Prints one error line to stderr: the program-name prefix, the message
 * and a newline.
 */
void error_vreport(const char *fmt, va_list ap) GCC_FMT_ATTR(1, 0);

/**
 * error_report:
 * @fmt: printf-style format
 *
 * Prints one error line to stderr: the program-name prefix, the message
 * and a newline.
 */
void error_report(const char *fmt, ...) GCC_FMT_ATTR(1, 2);

#endif /* QEMU_ERROR_REPORT_H */
