/*
 * POSIX host definitions pulled in by qemu/osdep.h.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_OS_POSIX_H
#define QEMU_OS_POSIX_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/un.h>

/* Socket errors and close are plain errno and close(2) on POSIX hosts. */
#define closesocket(s) close(s)
#define socket_error() errno

#define qemu_setsockopt setsockopt
#define qemu_getsockopt getsockopt
#define qemu_recv recv

#endif /* QEMU_OS_POSIX_H */
