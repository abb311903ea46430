/*
 * The first header every libqio source includes: host configuration, the
 * usual libc/POSIX headers, glib and the small OS helpers QEMU-era code
 * expects to find without further includes.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_OSDEP_H
#define QEMU_OSDEP_H

#include "config-host.h"
#include "qemu/compiler.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <time.h>
#include <ctype.h>
#include <signal.h>
#include <assert.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "sysemu/os-posix.h"
#include "glib-compat.h"
#include "qapi/error.h"

#ifndef O_BINARY
#define O_BINARY 0
#endif

#ifndef MIN
#define MIN(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) (((a) > (b)) ? (a) : (b))
#endif
#ifndef ROUND_UP
#define ROUND_UP(n, d) (((n) + (d) - 1) & -(0 ? (n) : (d)))
#endif
#ifndef DIV_ROUND_UP
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#endif

/**
 * qemu_fork:
 * @errp: pointer to a NULL-initialized error object
 *
 * Forks with every signal blocked around the fork(), so the child cannot
 * run a handler inherited from the parent before it resets them all to
 * their defaults.  The signal mask is then restored in both processes.
 *
 * Returns: the child's pid in the parent, 0 in the child, or -1 with @errp
 * set when the process could not be created
 */
pid_t qemu_fork(Error **errp);

/**
 * qemu_set_cloexec:
 * @fd: an open file descriptor
 *
 * Marks @fd close-on-exec.
 */
void qemu_set_cloexec(int fd);

/**
 * qemu_set_block:
 * @fd: an open file descriptor
 *
 * Clears O_NONBLOCK on @fd.
 */
void qemu_set_block(int fd);

/**
 * qemu_set_nonblock:
 * @fd: an open file descriptor
 *
 * Sets O_NONBLOCK on @fd.
 */
void qemu_set_nonblock(int fd);

/**
 * qemu_pipe:
 * @pipefd: array receiving the read end [0] and the write end [1]
 *
 * Creates a pipe whose two ends are close-on-exec.
 *
 * Returns: 0 on success, -1 with errno set on failure
 *
 * Since: libqio 0.1
 */
int qemu_pipe(int pipefd[2]);

/**
 * qemu_open_cloexec:
 * @path: file to open
 * @flags: open(2) flags; O_CLOEXEC is added
 * @mode: permissions used when the file is created
 *
 * Opens @path close-on-exec, retrying when interrupted by a signal.
 *
 * Returns: the new descriptor, or -1 with errno set
 *
 * Since: libqio 0.1
 */
int qemu_open_cloexec(const char *path, int flags, mode_t mode);

#endif /* QEMU_OSDEP_H */
