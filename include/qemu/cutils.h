/*
 * Small string helpers: bounded copies, prefix matching and checked
 * string-to-number conversions.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_CUTILS_H
#define QEMU_CUTILS_H

#include <stdint.h>

/**
 * pstrcpy:
 * @buf: destination buffer
 * @buf_size: size of @buf in bytes
 * @str: string to copy
 *
 * Copies at most @buf_size - 1 bytes of @str into @buf and always
 * NUL-terminates it (unless @buf_size is 0 or less, in which case nothing
 * is written).  A longer @str is silently truncated.
 */
void pstrcpy(char *buf, int buf_size, const char *str);

/**
 * pstrcat:
 * @buf: NUL-terminated destination string
 * @buf_size: size of @buf in bytes
 * @s: string to append
 *
 * Appends @s to @buf, truncating so that the result, including its
 * terminating NUL, fits in @buf_size bytes.
 *
 * Returns: @buf
 */
char *pstrcat(char *buf, int buf_size, const char *s);

/**
 * strstart:
 * @str: string to examine
 * @val: the prefix to look for
 * @ptr: if not NULL and @str starts with @val, receives a pointer to the
 *       rest of @str after the prefix
 *
 * Tests whether @str starts with @val, comparing bytes exactly.
 *
 * Returns: 1 if @str starts with @val, 0 otherwise (*@ptr is then left
 * unchanged)
 */
int strstart(const char *str, const char *val, const char **ptr);

/**
 * stristart:
 * @str: string to examine
 * @val: the prefix to look for
 * @ptr: if not NULL and @str starts with @val, receives a pointer to the
 *       rest of @str after the prefix
 *
 * Like strstart(), ignoring ASCII case.
 *
 * Returns: 1 if @str starts with @val in any case, 0 otherwise (*@ptr is
 * then left unchanged)
 */
int stristart(const char *str, const char *val, const char **ptr);

/**
 * qemu_strnlen:
 * @s: string to measure
 * @max_len: maximum number of bytes to examine
 *
 * Returns: the length of @s, or @max_len if no NUL is found within its
 * first @max_len bytes
 */
int qemu_strnlen(const char *s, int max_len);

/**
 * qemu_strsep:
 * @input: pointer to the string to split; updated to the rest after the
 *         first delimiter, or to NULL when there is none
 * @delim: set of delimiter characters
 *
 * Splits off the first token of *@input, replacing the delimiter that ends
 * it with a NUL, like BSD strsep().
 *
 * Returns: the token, or NULL when *@input is NULL
 */
char *qemu_strsep(char **input, const char *delim);

/**
 * qemu_strtol:
 * @nptr: string to convert, or NULL
 * @endptr: if not NULL, receives a pointer to the first byte after the
 *          number; if NULL, anything after the number is an error
 * @base: numeric base as for strtol(): 0 (auto-detect "0x" and "0"
 *        prefixes) or 2 to 36
 * @result: receives the converted value
 *
 * Converts a string to a long with the error checking strtol() leaves to
 * its caller.  Leading white space and a sign are accepted.
 *
 * On -ERANGE, *@result is clamped to LONG_MIN or LONG_MAX.  On -EINVAL
 * because no digits were found, *@result is 0 and *@endptr (if given) is
 * @nptr; on -EINVAL because of trailing characters with a NULL @endptr,
 * *@result holds the value of the leading number.  When @nptr is NULL,
 * *@result is not touched.
 *
 * Returns: 0 on success; -EINVAL if @nptr is NULL, holds no number, or
 * (with a NULL @endptr) has characters after the number; -ERANGE if the
 * value does not fit in a long
 */
int qemu_strtol(const char *nptr, const char **endptr, int base,
                long *result);

/**
 * qemu_strtoul:
 * @nptr: string to convert, or NULL
 * @endptr: if not NULL, receives a pointer to the first byte after the
 *          number; if NULL, anything after the number is an error
 * @base: numeric base as for strtoul()
 * @result: receives the converted value
 *
 * Checked strtoul(), with the same error conventions as qemu_strtol().
 * As with strtoul(), a leading minus sign negates the value in unsigned
 * arithmetic ("-1" gives ULONG_MAX).  On -ERANGE *@result is ULONG_MAX.
 *
 * Returns: 0 on success, -EINVAL or -ERANGE as for qemu_strtol()
 */
int qemu_strtoul(const char *nptr, const char **endptr, int base,
                 unsigned long *result);

/**
 * qemu_strtoll:
 * @nptr: string to convert, or NULL
 * @endptr: if not NULL, receives a pointer to the first byte after the
 *          number; if NULL, anything after the number is an error
 * @base: numeric base as for strtoll()
 * @result: receives the converted value
 *
 * Checked conversion to int64_t, with the conventions of qemu_strtol();
 * on -ERANGE *@result is clamped to INT64_MIN or INT64_MAX.
 *
 * Returns: 0 on success, -EINVAL or -ERANGE as for qemu_strtol()
 */
int qemu_strtoll(const char *nptr, const char **endptr, int base,
                 int64_t *result);

/**
 * qemu_strtoull:
 * @nptr: string to convert, or NULL
 * @endptr: if not NULL, receives a pointer to the first byte after the
 *          number; if NULL, anything after the number is an error
 * @base: numeric base as for strtoull()
 * @result: receives the converted value
 *
 * Checked conversion to uint64_t, with the conventions of qemu_strtoul()
 * (a minus sign negates in unsigned arithmetic; on -ERANGE *@result is
 * UINT64_MAX).
 *
 * Returns: 0 on success, -EINVAL or -ERANGE as for qemu_strtol()
 */
int qemu_strtoull(const char *nptr, const char **endptr, int base,
                  uint64_t *result);

#endif /* QEMU_CUTILS_H */
