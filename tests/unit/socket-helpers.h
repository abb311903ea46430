/*
 * Small builders shared by the socket tests: SocketAddress values of each
 * kind, and a probe for a usable IPv6 loopback.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_TEST_SOCKET_HELPERS_H
#define QIO_TEST_SOCKET_HELPERS_H

#include "qemu/osdep.h"
#include "qapi-types.h"
#include "io/channel.h"

/**
 * socket_test_ipv6_available:
 *
 * Probes whether a TCP socket can be bound to the IPv6 loopback address
 * on this host, so that IPv6 cases can be skipped where it is missing.
 *
 * Returns: true if binding to ::1 worked, false otherwise
 */
bool socket_test_ipv6_available(void);

/**
 * socket_test_inet_addr_new:
 * @host: the host name or address literal, copied
 * @port: the port number or service name, copied
 *
 * Builds a SOCKET_ADDRESS_KIND_INET address with every optional field
 * left unset.
 *
 * Returns: a new address; free it with qapi_free_SocketAddress()
 */
SocketAddress *socket_test_inet_addr_new(const char *host, const char *port);

/**
 * socket_test_unix_addr_new:
 * @path: the socket path, copied
 *
 * Builds a SOCKET_ADDRESS_KIND_UNIX address.
 *
 * Returns: a new address; free it with qapi_free_SocketAddress()
 */
SocketAddress *socket_test_unix_addr_new(const char *path);

/**
 * socket_test_fd_addr_new:
 * @str: the file descriptor name or number, copied
 *
 * Builds a SOCKET_ADDRESS_KIND_FD address.
 *
 * Returns: a new address; free it with qapi_free_SocketAddress()
 */
SocketAddress *socket_test_fd_addr_new(const char *str);

/**
 * getsockopt_int:
 * @fd: a socket
 * @level: the option level, e.g. SOL_SOCKET
 * @name: the option, e.g. SO_REUSEADDR
 *
 * Reads an int-valued socket option; failing to do so fails the test.
 *
 * Returns: the option's value
 */
int getsockopt_int(int fd, int level, int name);

/**
 * socket_test_channel_pair:
 * @a: where to store the channel of one end
 * @b: where to store the channel of the other end
 *
 * Creates a connected AF_UNIX stream socketpair and wraps each end in a
 * blocking QIOChannelSocket; failing to do so fails the test.
 */
void socket_test_channel_pair(QIOChannel **a, QIOChannel **b);

#endif /* QIO_TEST_SOCKET_HELPERS_H */
