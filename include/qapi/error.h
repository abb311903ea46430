/*
 * QAPI Error: rich error reporting through an Error ** out-parameter.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QAPI_ERROR_H
#define QAPI_ERROR_H

#include <stdarg.h>
#include <stdbool.h>
#include "qemu/compiler.h"

/*
 * How errors flow: a function that can fail takes "Error **errp" as its
 * last argument.  On failure it fills *errp with a new Error (when errp is
 * not NULL) and returns its failure value; on success it leaves *errp
 * alone.  Callers pass:
 *   - NULL to ignore the error;
 *   - &error_abort when failure is a programming error (print and abort);
 *   - &error_fatal when failure should end the program (print and exit(1));
 *   - the address of a NULL Error * to inspect and then error_free() or
 *     error_propagate() it.
 */

/**
 * Error:
 *
 * An opaque error object carrying a message, a class, an optional hint
 * and the source location that created it.
 */
typedef struct Error Error;

/**
 * ErrorClass:
 * @ERROR_CLASS_GENERIC_ERROR: the class of every error made by error_setg()
 * @ERROR_CLASS_COMMAND_NOT_FOUND: a requested command does not exist
 * @ERROR_CLASS_DEVICE_ENCRYPTED: a device needs a key
 * @ERROR_CLASS_DEVICE_NOT_ACTIVE: a device is not active
 * @ERROR_CLASS_DEVICE_NOT_FOUND: a device does not exist
 * @ERROR_CLASS_KVM_MISSING: KVM is unavailable
 * @ERROR_CLASS__MAX: the number of classes
 *
 * The machine-readable class of an error, kept for QEMU compatibility;
 * new code only needs the generic class.
 */
typedef enum ErrorClass {
    ERROR_CLASS_GENERIC_ERROR = 0,
    ERROR_CLASS_COMMAND_NOT_FOUND = 1,
    ERROR_CLASS_DEVICE_ENCRYPTED = 2,
    ERROR_CLASS_DEVICE_NOT_ACTIVE = 3,
    ERROR_CLASS_DEVICE_NOT_FOUND = 4,
    ERROR_CLASS_KVM_MISSING = 5,
    ERROR_CLASS__MAX = 6,
} ErrorClass;

/**
 * error_get_pretty:
 * @err: an error
 *
 * Returns: the human-readable message of @err, owned by @err
 */
const char *error_get_pretty(Error *err);

/**
 * error_get_class:
 * @err: an error
 *
 * Returns: the class @err was created with
 */
ErrorClass error_get_class(const Error *err);

/**
 * error_setg:
 * @errp: where to store the error, or NULL to discard it
 * @fmt: printf-style message format
 *
 * Creates a generic error with a formatted message and stores it in
 * @errp.  *@errp must be NULL.  errno is preserved.
 */
#define error_setg(errp, fmt, ...)                              \
    error_setg_internal((errp), __FILE__, __LINE__, __func__,   \
                        (fmt), ## __VA_ARGS__)

/**
 * error_setg_internal:
 * @errp: where to store the error, or NULL to discard it
 * @src: source file creating the error
 * @line: source line creating the error
 * @func: function creating the error
 * @fmt: printf-style message format
 *
 * The implementation behind error_setg(); call the macro instead.
 */
void error_setg_internal(Error **errp, const char *src, int line,
                         const char *func, const char *fmt, ...)
    GCC_FMT_ATTR(5, 6);

/**
 * error_setg_errno:
 * @errp: where to store the error, or NULL to discard it
 * @os_error: an errno value; when not 0 its strerror() text is appended
 * @fmt: printf-style message format
 *
 * Like error_setg(), with ": <strerror(os_error)>" appended to the
 * message when @os_error is not 0.  errno is preserved.
 */
#define error_setg_errno(errp, os_error, fmt, ...)                      \
    error_setg_errno_internal((errp), __FILE__, __LINE__, __func__,     \
                              (os_error), (fmt), ## __VA_ARGS__)

/**
 * error_setg_errno_internal:
 * @errp: where to store the error, or NULL to discard it
 * @fname: source file creating the error
 * @line: source line creating the error
 * @func: function creating the error
 * @os_error: errno value to describe, or 0
 * @fmt: printf-style message format
 *
 * The implementation behind error_setg_errno(); call the macro instead.
 */
void error_setg_errno_internal(Error **errp, const char *fname, int line,
                               const char *func, int os_error,
                               const char *fmt, ...)
    GCC_FMT_ATTR(6, 7);

/**
 * error_setg_file_open:
 * @errp: where to store the error, or NULL to discard it
 * @os_errno: the errno value open() failed with
 * @filename: the path that could not be opened
 *
 * Sets the conventional "Could not open '<file>': <reason>" error.
 */
#define error_setg_file_open(errp, os_errno, filename)                  \
    error_setg_file_open_internal((errp), __FILE__, __LINE__, __func__, \
                                  (os_errno), (filename))

/**
 * error_setg_file_open_internal:
 * @errp: where to store the error, or NULL to discard it
 * @src: source file creating the error
 * @line: source line creating the error
 * @func: function creating the error
 * @os_errno: errno value from the failed open
 * @filename: path that could not be opened
 *
 * The implementation behind error_setg_file_open().
 */
void error_setg_file_open_internal(Error **errp, const char *src, int line,
                                   const char *func, int os_errno,
                                   const char *filename);

/**
 * error_set:
 * @errp: where to store the error, or NULL to discard it
 * @err_class: the class to give the error
 * @fmt: printf-style message format
 *
 * Like error_setg() but with an explicit class.  Only for the few callers
 * that need a class other than ERROR_CLASS_GENERIC_ERROR.
 */
#define error_set(errp, err_class, fmt, ...)                            \
    error_set_internal((errp), __FILE__, __LINE__, __func__,            \
                       (err_class), (fmt), ## __VA_ARGS__)

/**
 * error_set_internal:
 * @errp: where to store the error, or NULL to discard it
 * @src: source file creating the error
 * @line: source line creating the error
 * @func: function creating the error
 * @err_class: class of the new error
 * @fmt: printf-style message format
 *
 * The implementation behind error_set().
 */
void error_set_internal(Error **errp, const char *src, int line,
                        const char *func, ErrorClass err_class,
                        const char *fmt, ...)
    GCC_FMT_ATTR(6, 7);

/**
 * error_prepend:
 * @errp: pointer to an error that is already set, or NULL
 * @fmt: printf-style text to put in front of the message
 *
 * Adds context in front of an existing error's message.  Does nothing
 * when @errp or *@errp is NULL.
 *
 * Since: libqio 0.1
 */
void error_prepend(Error **errp, const char *fmt, ...) GCC_FMT_ATTR(2, 3);

/**
 * error_append_hint:
 * @errp: pointer to an error that is already set, or NULL
 * @fmt: printf-style hint text
 *
 * Attaches advice for a human to an error; error_report_err() prints it
 * after the message.  Does nothing when @errp is NULL, &error_abort or
 * &error_fatal, since those never reach a human through a report.
 */
void error_append_hint(Error **errp, const char *fmt, ...) GCC_FMT_ATTR(2, 3);

/**
 * error_get_hint:
 * @err: an error
 *
 * Returns: the hint text collected by error_append_hint(), owned by @err,
 * or NULL when there is none
 *
 * Since: libqio 0.1
 */
const char *error_get_hint(const Error *err);

/**
 * error_propagate:
 * @dst_errp: where the caller wants the error, or NULL
 * @local_err: an error to hand over, or NULL
 *
 * Moves @local_err into *@dst_errp.  When @dst_errp is NULL, or *@dst_errp
 * already holds an error, @local_err is freed instead: the first error
 * wins.  With &error_abort or &error_fatal it reports and aborts or exits.
 */
void error_propagate(Error **dst_errp, Error *local_err);

/**
 * error_copy:
 * @err: an error
 *
 * Returns: a new, independent copy of @err, to be freed with error_free()
 */
Error *error_copy(const Error *err);

/**
 * error_free:
 * @err: an error, or NULL
 *
 * Releases @err.  NULL is accepted and ignored.
 */
void error_free(Error *err);

/**
 * error_free_or_abort:
 * @errp: pointer to an error that must be set
 *
 * Frees *@errp and resets it to NULL; aborts when no error was set.
 * Useful in tests that expect a failure.
 */
void error_free_or_abort(Error **errp);

/**
 * error_report_err:
 * @err: an error, or NULL
 *
 * Prints @err (and its hint) to stderr with error_report(), then frees
 * it.
 */
void error_report_err(Error *err);

/**
 * error_reportf_err:
 * @err: an error, or NULL
 * @fmt: printf-style text to prepend
 *
 * Like error_report_err() with error_prepend() applied first.
 *
 * Since: libqio 0.1
 */
void error_reportf_err(Error *err, const char *fmt, ...) GCC_FMT_ATTR(2, 3);

/**
 * error_abort:
 *
 * Pass &error_abort where an error can only be a bug: the error is
 * printed with its source location and the process aborts.
 */
extern Error *error_abort;

/**
 * error_fatal:
 *
 * Pass &error_fatal where an error should end the program: the error is
 * printed and the process exits with status 1.
 */
extern Error *error_fatal;

#endif /* QAPI_ERROR_H */
