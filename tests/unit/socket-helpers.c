/*
 * Small builders shared by the socket tests; see socket-helpers.h.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "socket-helpers.h"
#include "io/channel-socket.h"
#include "qapi/error.h"

#include <netinet/in.h>
#include <sys/socket.h>

bool socket_test_ipv6_available(void)
{
    struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    bool ok;

    if (fd < 0) {
        return false;
    }
    sin6.sin6_addr = in6addr_loopback;
    ok = bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0;
    close(fd);
    return ok;
}

SocketAddress *socket_test_inet_addr_new(const char *host, const char *port)
{
    SocketAddress *addr = g_new0(SocketAddress, 1);

    addr->type = SOCKET_ADDRESS_KIND_INET;
    addr->u.inet = g_new0(InetSocketAddress, 1);
    addr->u.inet->host = g_strdup(host);
    addr->u.inet->port = g_strdup(port);
    return addr;
}

SocketAddress *socket_test_unix_addr_new(const char *path)
{
    SocketAddress *addr = g_new0(SocketAddress, 1);

    addr->type = SOCKET_ADDRESS_KIND_UNIX;
    addr->u.q_unix = g_new0(UnixSocketAddress, 1);
    addr->u.q_unix->path = g_strdup(path);
    return addr;
}

SocketAddress *socket_test_fd_addr_new(const char *str)
{
    SocketAddress *addr = g_new0(SocketAddress, 1);

    addr->type = SOCKET_ADDRESS_KIND_FD;
    addr->u.fd = g_new0(String, 1);
    addr->u.fd->str = g_strdup(str);
    return addr;
}

int getsockopt_int(int fd, int level, int name)
{
    int v = -1;
    socklen_t len = sizeof(v);

    g_assert_cmpint(getsockopt(fd, level, name, &v, &len), ==, 0);
    return v;
}

void socket_test_channel_pair(QIOChannel **a, QIOChannel **b)
{
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    *a = QIO_CHANNEL(qio_channel_socket_new_fd(sv[0], &error_abort));
    *b = QIO_CHANNEL(qio_channel_socket_new_fd(sv[1], &error_abort));
}
