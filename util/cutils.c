/*
 * String helpers and checked string-to-number conversions.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"

void pstrcpy(char *buf, int buf_size, const char *str)
{
    size_t n;

    if (buf_size <= 0) {
        return;
    }
    n = strnlen(str, (size_t)buf_size - 1);
    memcpy(buf, str, n);
    buf[n] = '\0';
}

char *pstrcat(char *buf, int buf_size, const char *s)
{
    int len = qemu_strnlen(buf, buf_size);

    if (len < buf_size) {
        pstrcpy(buf + len, buf_size - len, s);
    }
    return buf;
}

int strstart(const char *str, const char *val, const char **ptr)
{
    size_t n = strlen(val);

    if (strncmp(str, val, n) != 0) {
        return 0;
    }
    if (ptr) {
        *ptr = str + n;
    }
    return 1;
}

int stristart(const char *str, const char *val, const char **ptr)
{
    size_t n = strlen(val);

    if (g_ascii_strncasecmp(str, val, n) != 0) {
        return 0;
    }
    if (ptr) {
        *ptr = str + n;
    }
    return 1;
}

int qemu_strnlen(const char *s, int max_len)
{
    if (max_len <= 0) {
        return 0;
    }
    return (int)strnlen(s, (size_t)max_len);
}

char *qemu_strsep(char **input, const char *delim)
{
    char *token = *input;
    char *end;

    if (!token) {
        return NULL;
    }
    end = token + strcspn(token, delim);
    if (*end) {
        *end = '\0';
        *input = end + 1;
    } else {
        *input = NULL;
    }
    return token;
}

/*
 * Turns the outcome of a strto*() call into the return value shared by the
 * qemu_strto*() family.  @conv_errno is errno as the conversion left it.
 */
static int strtox_result(const char *nptr, const char *end,
                         const char **endptr, int conv_errno)
{
    /* glibc reports "no digits" only through end == nptr, not errno. */
    if (end == nptr && conv_errno == 0) {
        conv_errno = EINVAL;
    }
    if (endptr) {
        *endptr = end;
    } else if (conv_errno == 0 && *end != '\0') {
        conv_errno = EINVAL;
    }
    return -conv_errno;
}

/*
 * Each wrapper saves and restores errno so that callers never see the
 * conversion's scratch value.
 */
int qemu_strtol(const char *nptr, const char **endptr, int base,
                long *result)
{
    int saved_errno = errno;
    char *end;
    int ret;

    if (!nptr) {
        if (endptr) {
            *endptr = NULL;
        }
        return -EINVAL;
    }
    errno = 0;
    *result = strtol(nptr, &end, base);
    ret = strtox_result(nptr, end, endptr, errno);
    errno = saved_errno;
    return ret;
}

int qemu_strtoul(const char *nptr, const char **endptr, int base,
                 unsigned long *result)
{
    int saved_errno = errno;
    char *end;
    int ret;

    if (!nptr) {
        if (endptr) {
            *endptr = NULL;
        }
        return -EINVAL;
    }
    errno = 0;
    *result = strtoul(nptr, &end, base);
    ret = strtox_result(nptr, end, endptr, errno);
    errno = saved_errno;
    return ret;
}

int qemu_strtoll(const char *nptr, const char **endptr, int base,
                 int64_t *result)
{
    int saved_errno = errno;
    char *end;
    int ret;

    QEMU_BUILD_BUG_ON(sizeof(long long) != sizeof(int64_t));
    if (!nptr) {
        if (endptr) {
            *endptr = NULL;
        }
        return -EINVAL;
    }
    errno = 0;
    *result = strtoll(nptr, &end, base);
    ret = strtox_result(nptr, end, endptr, errno);
    errno = saved_errno;
    return ret;
}

int qemu_strtoull(const char *nptr, const char **endptr, int base,
                  uint64_t *result)
{
    int saved_errno = errno;
    char *end;
    int ret;

    QEMU_BUILD_BUG_ON(sizeof(unsigned long long) != sizeof(uint64_t));
    if (!nptr) {
        if (endptr) {
            *endptr = NULL;
        }
        return -EINVAL;
    }
    errno = 0;
    *result = strtoull(nptr, &end, base);
    ret = strtox_result(nptr, end, endptr, errno);
    errno = saved_errno;
    return ret;
}
