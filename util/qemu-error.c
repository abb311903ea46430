/*
 * Human-readable error and message output on stderr.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"

static char *progname;

void error_set_progname(const char *argv0)
{
    g_free(progname);
    progname = argv0 ? g_path_get_basename(argv0) : NULL;
}

const char *error_get_progname(void)
{
    return progname;
}

void error_vprintf(const char *fmt, va_list ap)
{
    vfprintf(stderr, fmt, ap);
}

void error_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vprintf(fmt, ap);
    va_end(ap);
}

void error_vreport(const char *fmt, va_list ap)
{
    /* One buffered write per line keeps reports from threads unmixed. */
    GString *line = g_string_new(NULL);

    if (progname) {
        g_string_append_printf(line, "%s: ", progname);
    }
    g_string_append_vprintf(line, fmt, ap);
    g_string_append_c(line, '\n');
    fputs(line->str, stderr);
    fflush(stderr);
    g_string_free(line, TRUE);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vreport(fmt, ap);
    va_end(ap);
}
