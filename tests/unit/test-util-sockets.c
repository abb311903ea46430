/*
 * Tests of the SocketAddress layer: address string parsing, copying,
 * conversion from raw socket addresses, connect/listen/dgram sockets
 * over loopback TCP, UDP and UNIX sockets, and send_all()/recv_all().
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/sockets.h"
#include "qio-test.h"
#include "scratch-dir.h"
#include "socket-helpers.h"

#include <sys/syscall.h>

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

typedef struct GoodAddr {
    const char *str;
    SocketAddressKind kind;
    /* inet */
    const char *host;
    const char *port;
    bool has_to;
    uint16_t to;
    bool has_ipv4, ipv4, has_ipv6, ipv6;
    /* unix path or fd number */
    const char *text;
} GoodAddr;

#define INET SOCKET_ADDRESS_KIND_INET
#define UNIX SOCKET_ADDRESS_KIND_UNIX
#define FD SOCKET_ADDRESS_KIND_FD

static const GoodAddr good_addrs[] = {
    { "localhost:5900", INET, "localhost", "5900" },
    { ":5900", INET, "", "5900" },
    { "example.org:http", INET, "example.org", "http" },
    { "127.0.0.1:80", INET, "127.0.0.1", "80",
      .has_ipv4 = true, .ipv4 = true },
    { "[::1]:80", INET, "::1", "80", .has_ipv6 = true, .ipv6 = true },
    { "[fe80::1%lo]:22", INET, "fe80::1%lo", "22",
      .has_ipv6 = true, .ipv6 = true },
    { "[::]:0", INET, "::", "0", .has_ipv6 = true, .ipv6 = true },
    { "127.0.0.1:5900,to=5910", INET, "127.0.0.1", "5900",
      .has_to = true, .to = 5910, .has_ipv4 = true, .ipv4 = true },
    { "host:1,to=65535", INET, "host", "1", .has_to = true, .to = 65535 },
    { "host:0,ipv4", INET, "host", "0", .has_ipv4 = true, .ipv4 = true },
    { "host:0,ipv6", INET, "host", "0", .has_ipv6 = true, .ipv6 = true },
    { "host:0,ipv4,ipv6", INET, "host", "0",
      .has_ipv4 = true, .ipv4 = true, .has_ipv6 = true, .ipv6 = true },
    { "host:0,ipv4=off", INET, "host", "0", .has_ipv4 = true },
    { "host:0,ipv6=on,to=9", INET, "host", "0", .has_to = true, .to = 9,
      .has_ipv6 = true, .ipv6 = true },
    { "1.2.3.4:7,ipv4=off", INET, "1.2.3.4", "7", .has_ipv4 = true },
    { "unix:/tmp/qio.sock", UNIX, .text = "/tmp/qio.sock" },
    { "unix:relative/path", UNIX, .text = "relative/path" },
    { "unix:with:colons", UNIX, .text = "with:colons" },
    { "fd:0", FD, .text = "0" },
    { "fd:42", FD, .text = "42" },
};

typedef struct BadAddr {
    const char *str;
    const char *error;
} BadAddr;

static const BadAddr bad_addrs[] = {
    { "", "address '' has no port: expected 'host:port'" },
    { "localhost", "address 'localhost' has no port: expected 'host:port'" },
    { "localhost:", "address 'localhost:': expected a port after ':'" },
    { ":", "address ':': expected a port after ':'" },
    { "::1:80", "address '::1:80': an IPv6 address must be written in "
      "brackets, as '[addr]:port'" },
    { "[::1]", "address '[::1]': expected ':' and a port after ']'" },
    { "[::1]80", "address '[::1]80': expected ':' and a port after ']'" },
    { "[::1]:", "address '[::1]:': expected a port after ':'" },
    { "[::1:80", "address '[::1:80': missing ']' after the IPv6 address" },
    { "[]:80", "address '[]:80': empty IPv6 address between '[' and ']'" },
    { "host:1,", "address 'host:1,': empty option after ','" },
    { "host:1,,ipv4", "address 'host:1,,ipv4': empty option after ','" },
    { "host:1,to=", "address 'host:1,to=': 'to=' expects a port number "
      "from 0 to 65535, got ''" },
    { "host:1,to=x", "address 'host:1,to=x': 'to=' expects a port number "
      "from 0 to 65535, got 'x'" },
    { "host:1,to=65536", "address 'host:1,to=65536': 'to=' expects a port "
      "number from 0 to 65535, got '65536'" },
    { "host:1,to=-1", "address 'host:1,to=-1': 'to=' expects a port number "
      "from 0 to 65535, got '-1'" },
    { "host:1,ipv4=maybe", "address 'host:1,ipv4=maybe': option "
      "'ipv4=maybe' expects 'ipv4', 'ipv4=on' or 'ipv4=off'" },
    { "host:1,ipv6=", "address 'host:1,ipv6=': option 'ipv6=' expects "
      "'ipv6', 'ipv6=on' or 'ipv6=off'" },
    { "host:1,ipv4x", "address 'host:1,ipv4x': unknown option 'ipv4x' "
      "(expected 'to=PORT', 'ipv4' or 'ipv6')" },
    { "host:1,foo=bar", "address 'host:1,foo=bar': unknown option "
      "'foo=bar' (expected 'to=PORT', 'ipv4' or 'ipv6')" },
    { "unix:", "address 'unix:': expected a path after 'unix:'" },
    { "fd:", "address 'fd:': expected a file descriptor number after "
      "'fd:'" },
    { "fd:abc", "address 'fd:abc': expected a file descriptor number "
      "after 'fd:'" },
    { "fd:-1", "address 'fd:-1': expected a file descriptor number after "
      "'fd:'" },
    { "fd: 3", "address 'fd: 3': expected a file descriptor number after "
      "'fd:'" },
    { "fd:3x", "address 'fd:3x': expected a file descriptor number after "
      "'fd:'" },
    { "fd:2147483648", "address 'fd:2147483648': expected a file "
      "descriptor number after 'fd:'" },
};

static void check_good_addr(const GoodAddr *g, SocketAddress *addr)
{
    g_assert_nonnull(addr);
    g_assert_cmpint(addr->type, ==, g->kind);
    switch (g->kind) {
    case SOCKET_ADDRESS_KIND_INET:
        g_assert_cmpstr(addr->u.inet->host, ==, g->host);
        g_assert_cmpstr(addr->u.inet->port, ==, g->port);
        g_assert_cmpint(addr->u.inet->has_to, ==, g->has_to);
        g_assert_cmpint(addr->u.inet->to, ==, g->to);
        g_assert_cmpint(addr->u.inet->has_ipv4, ==, g->has_ipv4);
        g_assert_cmpint(addr->u.inet->ipv4, ==, g->ipv4);
        g_assert_cmpint(addr->u.inet->has_ipv6, ==, g->has_ipv6);
        g_assert_cmpint(addr->u.inet->ipv6, ==, g->ipv6);
        break;
    case SOCKET_ADDRESS_KIND_UNIX:
        g_assert_cmpstr(addr->u.q_unix->path, ==, g->text);
        break;
    case SOCKET_ADDRESS_KIND_FD:
        g_assert_cmpstr(addr->u.fd->str, ==, g->text);
        break;
    default:
        g_assert_not_reached();
    }
}

static void test_parse_good(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(good_addrs); i++) {
        const GoodAddr *g = &good_addrs[i];
        Error *err = NULL;
        SocketAddress *addr = socket_parse(g->str, &err);

        g_test_message("parsing '%s'", g->str);
        qio_assert_no_error(err);
        check_good_addr(g, addr);
        qapi_free_SocketAddress(addr);

        if (g->kind == SOCKET_ADDRESS_KIND_INET) {
            InetSocketAddress *inet = inet_parse(g->str, &err);
            SocketAddress wrap = { .type = SOCKET_ADDRESS_KIND_INET };

            qio_assert_no_error(err);
            wrap.u.inet = inet;
            check_good_addr(g, &wrap);
            qapi_free_InetSocketAddress(inet);
        }
    }
}

static void test_parse_bad(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(bad_addrs); i++) {
        const BadAddr *b = &bad_addrs[i];
        Error *err = NULL;
        SocketAddress *addr = socket_parse(b->str, &err);

        g_test_message("parsing '%s'", b->str);
        g_assert_null(addr);
        g_assert_nonnull(err);
        g_assert_cmpstr(error_get_pretty(err), ==, b->error);
        error_free(err);
    }
}

static void test_parse_null(void)
{
    Error *err = NULL;

    g_assert_null(socket_parse(NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "no address given: expected "
                    "'host:port', 'unix:PATH' or 'fd:N'");
    error_free(err);
    err = NULL;
    g_assert_null(inet_parse(NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "no address given: expected 'host:port'");
    error_free(err);
    /* A NULL errp only discards the message. */
    g_assert_null(inet_parse("nope", NULL));
}

static void test_parse_host_port(void)
{
    struct sockaddr_in sin;

    g_assert_cmpint(parse_host_port(&sin, "127.0.0.1:5900"), ==, 0);
    g_assert_cmpint(sin.sin_family, ==, AF_INET);
    g_assert_cmpint(ntohs(sin.sin_port), ==, 5900);
    g_assert_cmphex(ntohl(sin.sin_addr.s_addr), ==, 0x7f000001);

    g_assert_cmpint(parse_host_port(&sin, ":80"), ==, 0);
    g_assert_cmphex(ntohl(sin.sin_addr.s_addr), ==, INADDR_ANY);
    g_assert_cmpint(ntohs(sin.sin_port), ==, 80);

    g_assert_cmpint(parse_host_port(&sin, "localhost:1"), ==, 0);
    g_assert_cmphex(ntohl(sin.sin_addr.s_addr), ==, 0x7f000001);

    g_assert_cmpint(parse_host_port(&sin, "127.0.0.1"), ==, -1);
    g_assert_cmpint(parse_host_port(&sin, "127.0.0.1:"), ==, -1);
    g_assert_cmpint(parse_host_port(&sin, "127.0.0.1:x"), ==, -1);
    g_assert_cmpint(parse_host_port(&sin, "127.0.0.1:65536"), ==, -1);
    g_assert_cmpint(parse_host_port(&sin, "no.such.host.invalid:1"), ==, -1);
}

/* ------------------------------------------------------------------ */
/* Copy and conversion                                                 */

static void test_copy(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(good_addrs); i++) {
        SocketAddress *orig = socket_parse(good_addrs[i].str, &error_abort);
        SocketAddress *copy = NULL;

        qapi_copy_SocketAddress(&copy, orig);
        g_assert_nonnull(copy);
        g_assert(copy != orig);
        g_assert(copy->u.data != orig->u.data);
        /* The copy must survive the original. */
        qapi_free_SocketAddress(orig);
        check_good_addr(&good_addrs[i], copy);
        qapi_free_SocketAddress(copy);
    }
}

static void test_sockaddr_ipv4(void)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    SocketAddress *addr;

    memset(&ss, 0, sizeof(ss));
    sin->sin_family = AF_INET;
    sin->sin_port = htons(12345);
    sin->sin_addr.s_addr = htonl(0x7f000001);
    addr = socket_sockaddr_to_address(&ss, sizeof(*sin), &error_abort);
    g_assert_cmpint(addr->type, ==, SOCKET_ADDRESS_KIND_INET);
    g_assert_cmpstr(addr->u.inet->host, ==, "127.0.0.1");
    g_assert_cmpstr(addr->u.inet->port, ==, "12345");
    g_assert_true(addr->u.inet->has_ipv4 && addr->u.inet->ipv4);
    g_assert_false(addr->u.inet->has_ipv6);
    g_assert_false(addr->u.inet->has_to);
    qapi_free_SocketAddress(addr);
}

static void test_sockaddr_ipv6(void)
{
    struct sockaddr_storage ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    SocketAddress *addr;

    memset(&ss, 0, sizeof(ss));
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(80);
    g_assert_cmpint(inet_pton(AF_INET6, "2001:db8::17", &sin6->sin6_addr),
                    ==, 1);
    addr = socket_sockaddr_to_address(&ss, sizeof(*sin6), &error_abort);
    g_assert_cmpint(addr->type, ==, SOCKET_ADDRESS_KIND_INET);
    g_assert_cmpstr(addr->u.inet->host, ==, "2001:db8::17");
    g_assert_cmpstr(addr->u.inet->port, ==, "80");
    g_assert_true(addr->u.inet->has_ipv6 && addr->u.inet->ipv6);
    g_assert_false(addr->u.inet->has_ipv4);
    qapi_free_SocketAddress(addr);
}

static void test_sockaddr_unix(void)
{
    struct sockaddr_storage ss;
    struct sockaddr_un *un = (struct sockaddr_un *)&ss;
    socklen_t off = offsetof(struct sockaddr_un, sun_path);
    SocketAddress *addr;
    Error *err = NULL;

    memset(&ss, 0, sizeof(ss));
    un->sun_family = AF_UNIX;
    strcpy(un->sun_path, "/run/qio.sock");
    addr = socket_sockaddr_to_address(&ss, off + strlen(un->sun_path) + 1,
                                      &error_abort);
    g_assert_cmpint(addr->type, ==, SOCKET_ADDRESS_KIND_UNIX);
    g_assert_cmpstr(addr->u.q_unix->path, ==, "/run/qio.sock");
    qapi_free_SocketAddress(addr);

    /* Without the terminating NUL, as some kernels report it. */
    addr = socket_sockaddr_to_address(&ss, off + strlen(un->sun_path),
                                      &error_abort);
    g_assert_cmpstr(addr->u.q_unix->path, ==, "/run/qio.sock");
    qapi_free_SocketAddress(addr);

    /* An unnamed socket (the client end of a connection) has no path. */
    addr = socket_sockaddr_to_address(&ss, off, &error_abort);
    g_assert_cmpint(addr->type, ==, SOCKET_ADDRESS_KIND_UNIX);
    g_assert_null(addr->u.q_unix->path);
    qapi_free_SocketAddress(addr);

    /* An abstract socket has no filesystem path either. */
    memset(un->sun_path, 0, sizeof(un->sun_path));
    memcpy(un->sun_path + 1, "abstract", 8);
    addr = socket_sockaddr_to_address(&ss, off + 9, &error_abort);
    g_assert_null(addr->u.q_unix->path);
    qapi_free_SocketAddress(addr);

    ss.ss_family = AF_APPLETALK;
    g_assert_null(socket_sockaddr_to_address(&ss, sizeof(ss), &err));
    qio_assert_error_contains(err, "unsupported");
    error_free(err);
}

/* ------------------------------------------------------------------ */
/* Helpers for live sockets                                            */

static int local_port(int fd)
{
    SocketAddress *addr = socket_local_address(fd, &error_abort);
    unsigned long port;

    g_assert_cmpint(addr->type, ==, SOCKET_ADDRESS_KIND_INET);
    port = strtoul(addr->u.inet->port, NULL, 10);
    qapi_free_SocketAddress(addr);
    return (int)port;
}

static bool fd_is_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);

    g_assert_cmpint(flags, >=, 0);
    return flags & FD_CLOEXEC;
}

static bool fd_is_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    g_assert_cmpint(flags, >=, 0);
    return flags & O_NONBLOCK;
}

/* Sends one byte each way between two connected stream sockets. */
static void check_connected(int a, int b)
{
    char c = 'x';

    g_assert_cmpint(write(a, "A", 1), ==, 1);
    g_assert_cmpint(read(b, &c, 1), ==, 1);
    g_assert_cmpint(c, ==, 'A');
    g_assert_cmpint(write(b, "B", 1), ==, 1);
    g_assert_cmpint(read(a, &c, 1), ==, 1);
    g_assert_cmpint(c, ==, 'B');
}

/* ------------------------------------------------------------------ */
/* Socket helpers                                                      */

static void test_socket_helpers(void)
{
    int fd = qemu_socket(AF_INET, SOCK_STREAM, 0);

    g_assert_cmpint(fd, >=, 0);
    g_assert_true(fd_is_cloexec(fd));
    g_assert_cmpint(socket_init(), ==, 0);

    g_assert_cmpint(socket_set_nodelay(fd), ==, 0);
    g_assert_cmpint(getsockopt_int(fd, IPPROTO_TCP, TCP_NODELAY), !=, 0);
    g_assert_cmpint(socket_set_cork(fd, 1), ==, 0);
    g_assert_cmpint(getsockopt_int(fd, IPPROTO_TCP, TCP_CORK), !=, 0);
    g_assert_cmpint(socket_set_cork(fd, 0), ==, 0);
    g_assert_cmpint(getsockopt_int(fd, IPPROTO_TCP, TCP_CORK), ==, 0);
    g_assert_cmpint(socket_set_fast_reuse(fd), ==, 0);
    g_assert_cmpint(getsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR), !=, 0);
    close(fd);

    /* Failures report errno. */
    g_assert_cmpint(socket_set_nodelay(-1), ==, -1);
    g_assert_cmpint(errno, ==, EBADF);

    g_assert_cmpint(inet_netfamily(AF_INET), ==, NETWORK_ADDRESS_FAMILY_IPV4);
    g_assert_cmpint(inet_netfamily(AF_INET6), ==,
                    NETWORK_ADDRESS_FAMILY_IPV6);
    g_assert_cmpint(inet_netfamily(AF_UNIX), ==, NETWORK_ADDRESS_FAMILY_UNIX);
    g_assert_cmpint(inet_netfamily(AF_APPLETALK), ==,
                    NETWORK_ADDRESS_FAMILY_UNKNOWN);
}

/* ------------------------------------------------------------------ */
/* Listening and connecting over TCP                                   */

static void check_listen_port0(const char *port)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", port);
    SocketAddress *local;
    int lfd, cfd, afd, p;
    char *portstr;

    lfd = socket_listen(addr, &error_abort);
    g_assert_true(fd_is_cloexec(lfd));
    g_assert_false(fd_is_nonblocking(lfd));
    g_assert_cmpint(getsockopt_int(lfd, SOL_SOCKET, SO_REUSEADDR), !=, 0);
    g_assert_cmpint(getsockopt_int(lfd, SOL_SOCKET, SO_ACCEPTCONN), ==, 1);
    /* The caller's address is left as it was. */
    g_assert_cmpstr(addr->u.inet->port, ==, port);

    local = socket_local_address(lfd, &error_abort);
    g_assert_cmpstr(local->u.inet->host, ==, "127.0.0.1");
    g_assert_true(local->u.inet->has_ipv4 && local->u.inet->ipv4);
    p = local_port(lfd);
    g_assert_cmpint(p, >, 0);
    portstr = g_strdup_printf("%d", p);
    g_assert_cmpstr(local->u.inet->port, ==, portstr);

    cfd = socket_connect(local, &error_abort, NULL, NULL);
    g_assert_true(fd_is_cloexec(cfd));
    g_assert_false(fd_is_nonblocking(cfd));
    afd = qemu_accept(lfd, NULL, NULL);
    g_assert_cmpint(afd, >=, 0);
    g_assert_true(fd_is_cloexec(afd));
    check_connected(cfd, afd);

    close(afd);
    close(cfd);
    close(lfd);
    g_free(portstr);
    qapi_free_SocketAddress(local);
    qapi_free_SocketAddress(addr);
}

static void test_listen_port0(void)
{
    check_listen_port0(NULL);
    check_listen_port0("");
    check_listen_port0("0");
}

static void test_listen_port_range(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", NULL);
    int busy = socket_listen(addr, &error_abort);
    int first = local_port(busy);
    int last = MIN(first + 30, 65535);
    Error *err = NULL;
    int fd, got;

    if (first == 65535) {
        close(busy);
        qapi_free_SocketAddress(addr);
        g_test_skip("kernel chose the last port, no room for a range");
        return;
    }
    g_free(addr->u.inet->port);
    addr->u.inet->port = g_strdup_printf("%d", first);
    addr->u.inet->has_to = true;
    addr->u.inet->to = last;

    /* The first port is taken, so another one of the range is used. */
    fd = socket_listen(addr, &error_abort);
    got = local_port(fd);
    g_assert_cmpint(got, >, first);
    g_assert_cmpint(got, <=, last);
    close(fd);

    /* A range made of a busy port only fails, saying why. */
    addr->u.inet->to = first;
    g_assert_cmpint(socket_listen(addr, &err), ==, -1);
    qio_assert_error_contains(err, "Address already in use");
    error_free(err);
    err = NULL;

    /* A range that ends before it starts is refused. */
    addr->u.inet->to = first - 1;
    g_assert_cmpint(socket_listen(addr, &err), ==, -1);
    qio_assert_error_contains(err, "is empty");
    error_free(err);
    err = NULL;

    /* A range needs a numeric, non-zero first port. */
    g_free(addr->u.inet->port);
    addr->u.inet->port = g_strdup("0");
    g_assert_cmpint(socket_listen(addr, &err), ==, -1);
    qio_assert_error_contains(err, "must be a number from 1 to 65535");
    error_free(err);

    close(busy);
    qapi_free_SocketAddress(addr);
}

static void test_listen_families(void)
{
    SocketAddress *addr;
    SocketAddress *local;
    Error *err = NULL;
    int fd;

    /* "localhost" may resolve to both families; ipv4 keeps only IPv4. */
    addr = socket_parse("localhost:0,ipv4", &error_abort);
    fd = socket_listen(addr, &error_abort);
    local = socket_local_address(fd, &error_abort);
    g_assert_true(local->u.inet->has_ipv4);
    g_assert_cmpstr(local->u.inet->host, ==, "127.0.0.1");
    qapi_free_SocketAddress(local);
    qapi_free_SocketAddress(addr);
    close(fd);

    addr = socket_parse("localhost:0,ipv6=off", &error_abort);
    fd = socket_listen(addr, &error_abort);
    local = socket_local_address(fd, &error_abort);
    g_assert_true(local->u.inet->has_ipv4);
    qapi_free_SocketAddress(local);
    qapi_free_SocketAddress(addr);
    close(fd);

    /* Excluding both families leaves nothing to listen on. */
    addr = socket_parse("127.0.0.1:0,ipv4=off,ipv6=off", &error_abort);
    g_assert_cmpint(socket_listen(addr, &err), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "address excludes both IPv4 and IPv6");
    error_free(err);
    err = NULL;
    g_assert_cmpint(socket_connect(addr, &err, NULL, NULL), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "address excludes both IPv4 and IPv6");
    error_free(err);
    err = NULL;
    qapi_free_SocketAddress(addr);

    /* An IPv4 address cannot be used with IPv4 turned off. */
    addr = socket_parse("127.0.0.1:0,ipv4=off", &error_abort);
    g_assert_cmpint(socket_listen(addr, &err), ==, -1);
    qio_assert_error_contains(err, "address resolution failed for "
                              "'127.0.0.1:0'");
    error_free(err);
    qapi_free_SocketAddress(addr);
}

static bool localhost_has_ipv6(void)
{
    struct addrinfo hints = { .ai_family = AF_INET6,
                              .ai_socktype = SOCK_STREAM };
    struct addrinfo *res = NULL;
    int rc = getaddrinfo("localhost", NULL, &hints, &res);

    if (res) {
        freeaddrinfo(res);
    }
    return rc == 0;
}

static void test_listen_ipv6(void)
{
    SocketAddress *addr;
    SocketAddress *local;
    Error *err = NULL;
    int fd, cfd, afd;

    if (!socket_test_ipv6_available()) {
        g_test_skip("IPv6 loopback not available");
        return;
    }
    addr = socket_parse("[::1]:0", &error_abort);
    fd = socket_listen(addr, &error_abort);
    local = socket_local_address(fd, &error_abort);
    g_assert_cmpstr(local->u.inet->host, ==, "::1");
    g_assert_true(local->u.inet->has_ipv6 && local->u.inet->ipv6);
    cfd = socket_connect(local, &error_abort, NULL, NULL);
    afd = qemu_accept(fd, NULL, NULL);
    check_connected(cfd, afd);
    close(afd);
    close(cfd);
    close(fd);
    qapi_free_SocketAddress(local);
    qapi_free_SocketAddress(addr);

    /*
     * With the ipv6 flag, "localhost" must never end up on IPv4: either
     * it names ::1 on this host, or resolution fails.
     */
    addr = socket_parse("localhost:0,ipv6", &error_abort);
    fd = socket_listen(addr, &err);
    if (localhost_has_ipv6()) {
        qio_assert_no_error(err);
        local = socket_local_address(fd, &error_abort);
        g_assert_true(local->u.inet->has_ipv6);
        g_assert_cmpstr(local->u.inet->host, ==, "::1");
        close(fd);
        qapi_free_SocketAddress(local);
    } else {
        g_assert_cmpint(fd, ==, -1);
        qio_assert_error_contains(err, "address resolution failed for "
                                  "'localhost:0'");
        error_free(err);
    }
    qapi_free_SocketAddress(addr);
}

/*
 * Whether an IPv6 socket can also carry IPv4 (IPV6_V6ONLY off), which
 * some hosts do not support at all.
 */
static bool dual_stack_available(void)
{
    int fd;
    int off = 0;
    bool ok;

    if (!socket_test_ipv6_available()) {
        return false;
    }
    fd = socket(AF_INET6, SOCK_STREAM, 0);
    if (fd < 0) {
        return false;
    }
    ok = setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) == 0;
    close(fd);
    return ok;
}

/* Connects to 127.0.0.1 at the port of listener @lfd. */
static int connect_ipv4_loopback(int lfd, Error **errp)
{
    char *str = g_strdup_printf("127.0.0.1:%d", local_port(lfd));
    int fd = inet_connect(str, errp);

    g_free(str);
    return fd;
}

/*
 * The IPv6 wildcard listens on IPv4 too unless IPv4 is turned off, in
 * which case an IPv4 client finds nothing there.
 */
static void test_listen_ipv6_wildcard(void)
{
    SocketAddress *addr;
    SocketAddress *peer;
    Error *err = NULL;
    int lfd, cfd, afd;

    if (!dual_stack_available()) {
        g_test_skip("no IPv6, or no IPv4 over IPv6 sockets");
        return;
    }

    addr = socket_test_inet_addr_new("::", "0");
    lfd = socket_listen(addr, &error_abort);
    g_assert_cmpint(getsockopt_int(lfd, IPPROTO_IPV6, IPV6_V6ONLY), ==, 0);
    cfd = connect_ipv4_loopback(lfd, &error_abort);
    afd = qemu_accept(lfd, NULL, NULL);
    g_assert_cmpint(afd, >=, 0);
    check_connected(cfd, afd);
    /* The IPv6 socket sees its IPv4 peer as a mapped address. */
    peer = socket_remote_address(afd, &error_abort);
    g_assert_cmpstr(peer->u.inet->host, ==, "::ffff:127.0.0.1");
    qapi_free_SocketAddress(peer);
    close(afd);
    close(cfd);
    close(lfd);

    addr->u.inet->has_ipv4 = true;
    addr->u.inet->ipv4 = false;
    lfd = socket_listen(addr, &error_abort);
    g_assert_cmpint(getsockopt_int(lfd, IPPROTO_IPV6, IPV6_V6ONLY), ==, 1);
    g_assert_cmpint(connect_ipv4_loopback(lfd, &err), ==, -1);
    qio_assert_error_contains(err, "Connection refused");
    error_free(err);
    /* The listener itself works, over IPv6. */
    peer = socket_test_inet_addr_new("::1", NULL);
    g_free(peer->u.inet->port);
    peer->u.inet->port = g_strdup_printf("%d", local_port(lfd));
    cfd = socket_connect(peer, &error_abort, NULL, NULL);
    afd = qemu_accept(lfd, NULL, NULL);
    check_connected(cfd, afd);
    close(afd);
    close(cfd);
    close(lfd);
    qapi_free_SocketAddress(peer);
    qapi_free_SocketAddress(addr);
}

/* A loopback port that nothing listens on (for a while at least). */
static char *closed_port(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    int fd = socket_listen(addr, &error_abort);
    char *port = g_strdup_printf("%d", local_port(fd));

    close(fd);
    qapi_free_SocketAddress(addr);
    return port;
}

static void test_connect_errors(void)
{
    char *port = closed_port();
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", port);
    Error *err = NULL;
    char *expect;

    g_assert_cmpint(socket_connect(addr, &err, NULL, NULL), ==, -1);
    expect = g_strdup_printf("Failed to connect to '127.0.0.1:%s': "
                             "Connection refused", port);
    g_assert_cmpstr(error_get_pretty(err), ==, expect);
    error_free(err);
    err = NULL;
    g_free(expect);
    qapi_free_SocketAddress(addr);

    addr = socket_test_inet_addr_new("", "80");
    g_assert_cmpint(socket_connect(addr, &err, NULL, NULL), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "inet address has no host: expected 'host:port'");
    error_free(err);
    err = NULL;
    qapi_free_SocketAddress(addr);

    addr = socket_test_inet_addr_new("127.0.0.1", NULL);
    g_assert_cmpint(socket_connect(addr, &err, NULL, NULL), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==, "inet address '127.0.0.1' "
                    "has no port: expected 'host:port'");
    error_free(err);
    err = NULL;
    qapi_free_SocketAddress(addr);

    addr = socket_test_inet_addr_new("no.such.host.invalid", "80");
    g_assert_cmpint(socket_connect(addr, &err, NULL, NULL), ==, -1);
    qio_assert_error_contains(err, "address resolution failed for "
                              "'no.such.host.invalid:80'");
    error_free(err);
    qapi_free_SocketAddress(addr);
    g_free(port);
}

/* Every address a name resolves to is tried until one connects. */
static void test_connect_fallback(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    int lfd = socket_listen(addr, &error_abort);
    char *str = g_strdup_printf("localhost:%d", local_port(lfd));
    int cfd, afd;

    /*
     * Where localhost also names ::1, that address has nothing listening
     * and fails first; the IPv4 one must still be reached.
     */
    cfd = inet_connect(str, &error_abort);
    afd = qemu_accept(lfd, NULL, NULL);
    check_connected(cfd, afd);
    close(afd);
    close(cfd);
    close(lfd);
    g_free(str);
    qapi_free_SocketAddress(addr);
}

typedef struct ConnectResult {
    bool called;
    int fd;
    char *error;
    GMainLoop *loop;
} ConnectResult;

static void connect_done(int fd, Error *err, void *opaque)
{
    ConnectResult *res = opaque;

    g_assert_false(res->called);
    res->called = true;
    res->fd = fd;
    res->error = err ? g_strdup(error_get_pretty(err)) : NULL;
    if (res->loop) {
        g_main_loop_quit(res->loop);
    }
}

/* Runs the default context until @res's callback has run. */
static void wait_connect(ConnectResult *res)
{
    if (!res->called) {
        res->loop = g_main_loop_new(NULL, FALSE);
        g_main_loop_run(res->loop);
        g_main_loop_unref(res->loop);
        res->loop = NULL;
    }
    g_assert_true(res->called);
}

static void test_connect_nonblocking(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    int lfd = socket_listen(addr, &error_abort);
    SocketAddress *local = socket_local_address(lfd, &error_abort);
    ConnectResult res = { .fd = -1 };
    int ret, afd;

    ret = socket_connect(local, &error_abort, connect_done, &res);
    g_assert_cmpint(ret, >=, 0);
    wait_connect(&res);
    g_assert_null(res.error);
    g_assert_cmpint(res.fd, >=, 0);
    g_assert_true(fd_is_nonblocking(res.fd));
    g_assert_true(fd_is_cloexec(res.fd));
    afd = qemu_accept(lfd, NULL, NULL);
    g_assert_cmpint(afd, >=, 0);
    qemu_set_block(res.fd);
    check_connected(res.fd, afd);
    close(afd);
    close(res.fd);
    close(lfd);
    qapi_free_SocketAddress(local);
    qapi_free_SocketAddress(addr);
}

static void test_connect_nonblocking_refused(void)
{
    char *port = closed_port();
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", port);
    ConnectResult res = { .fd = -1 };
    Error *err = NULL;
    int ret;

    ret = socket_connect(addr, &err, connect_done, &res);
    if (ret < 0) {
        /* Refused synchronously: the callback is never called. */
        qio_assert_error_contains(err, "Connection refused");
        error_free(err);
        g_assert_false(res.called);
    } else {
        qio_assert_no_error(err);
        wait_connect(&res);
        g_assert_cmpint(res.fd, ==, -1);
        g_assert_nonnull(res.error);
        g_assert_nonnull(strstr(res.error, "Connection refused"));
    }
    g_free(res.error);
    g_free(port);
    qapi_free_SocketAddress(addr);
}

static void test_connect_nonblocking_string(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    int lfd = socket_listen(addr, &error_abort);
    char *str = g_strdup_printf("127.0.0.1:%d", local_port(lfd));
    ConnectResult res = { .fd = -1 };
    Error *err = NULL;
    int afd;

    g_assert_cmpint(inet_nonblocking_connect(str, connect_done, &res,
                                             &error_abort), >=, 0);
    wait_connect(&res);
    g_assert_cmpint(res.fd, >=, 0);
    afd = qemu_accept(lfd, NULL, NULL);
    qemu_set_block(res.fd);
    check_connected(res.fd, afd);
    close(afd);
    close(res.fd);

    /* A parse error is reported at once and the callback never runs. */
    res.called = false;
    g_assert_cmpint(inet_nonblocking_connect("nope", connect_done, &res,
                                             &err), ==, -1);
    qio_assert_error_contains(err, "has no port");
    error_free(err);
    g_assert_false(res.called);

    close(lfd);
    g_free(str);
    qapi_free_SocketAddress(addr);
}

static void test_inet_listen_string(void)
{
    char out[128];
    Error *err = NULL;
    int lfd, cfd, afd;
    char *str;
    int port;

    lfd = inet_listen("127.0.0.1:0,ipv4", out, sizeof(out), SOCK_STREAM, 0,
                      &error_abort);
    port = local_port(lfd);
    str = g_strdup_printf("127.0.0.1:%d,ipv4", port);
    g_assert_cmpstr(out, ==, str);
    cfd = inet_connect(out, &error_abort);
    afd = qemu_accept(lfd, NULL, NULL);
    check_connected(cfd, afd);
    close(afd);
    close(cfd);
    g_free(str);

    /* With an offset, the listener binds port + offset. */
    if (port < 65535) {
        int fd;

        str = g_strdup_printf("127.0.0.1:%d", port);
        fd = inet_listen(str, NULL, 0, SOCK_STREAM, 1, &err);
        if (fd >= 0) {
            g_assert_cmpint(local_port(fd), ==, port + 1);
            close(fd);
        } else {
            /* Something else owns port + 1: the error must say so. */
            qio_assert_error_contains(err, "Address already in use");
            error_free(err);
            err = NULL;
        }
        g_free(str);
    }
    close(lfd);

    g_assert_cmpint(inet_listen("127.0.0.1:0", NULL, 0, SOCK_DGRAM, 0,
                                &err), ==, -1);
    qio_assert_error_contains(err, "SOCK_STREAM");
    error_free(err);
}

/* ------------------------------------------------------------------ */
/* UNIX sockets                                                        */

static void test_unix_listen_connect(void)
{
    char *dir = scratch_dir_new("qio-sockets");
    char *path = g_build_filename(dir, "sock", NULL);
    SocketAddress *addr = socket_test_unix_addr_new(path);
    SocketAddress *local;
    ConnectResult res = { .fd = -1 };
    int lfd, cfd, afd;

    lfd = socket_listen(addr, &error_abort);
    g_assert_true(fd_is_cloexec(lfd));
    local = socket_local_address(lfd, &error_abort);
    g_assert_cmpint(local->type, ==, SOCKET_ADDRESS_KIND_UNIX);
    g_assert_cmpstr(local->u.q_unix->path, ==, path);
    qapi_free_SocketAddress(local);

    cfd = socket_connect(addr, &error_abort, NULL, NULL);
    afd = qemu_accept(lfd, NULL, NULL);
    check_connected(cfd, afd);
    /* The accepted end of a UNIX connection is unnamed. */
    local = socket_remote_address(afd, &error_abort);
    g_assert_cmpint(local->type, ==, SOCKET_ADDRESS_KIND_UNIX);
    g_assert_null(local->u.q_unix->path);
    qapi_free_SocketAddress(local);
    close(afd);
    close(cfd);

    g_assert_cmpint(unix_nonblocking_connect(path, connect_done, &res,
                                             &error_abort), >=, 0);
    wait_connect(&res);
    g_assert_cmpint(res.fd, >=, 0);
    g_assert_true(fd_is_nonblocking(res.fd));
    afd = qemu_accept(lfd, NULL, NULL);
    qemu_set_block(res.fd);
    check_connected(res.fd, afd);
    close(afd);
    close(res.fd);

    cfd = unix_connect(path, &error_abort);
    afd = qemu_accept(lfd, NULL, NULL);
    check_connected(cfd, afd);
    close(afd);
    close(cfd);

    close(lfd);
    g_assert_cmpint(unlink(path), ==, 0);
    g_assert_cmpint(rmdir(dir), ==, 0);
    qapi_free_SocketAddress(addr);
    g_free(path);
    g_free(dir);
}

static void test_unix_too_long(void)
{
    struct sockaddr_un un;
    size_t max = sizeof(un.sun_path) - 1;
    char *path = g_strnfill(max + 1, 'a');
    SocketAddress *addr = socket_test_unix_addr_new(path);
    Error *err = NULL;
    char *expect;

    path[0] = '/';
    g_free(addr->u.q_unix->path);
    addr->u.q_unix->path = g_strdup(path);
    expect = g_strdup_printf("UNIX socket path '%s' is too long: %zu bytes, "
                             "at most %zu fit", path, max + 1, max);
    g_assert_cmpint(socket_listen(addr, &err), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==, expect);
    error_free(err);
    err = NULL;
    g_assert_cmpint(socket_connect(addr, &err, NULL, NULL), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==, expect);
    error_free(err);
    g_free(expect);
    g_free(path);
    qapi_free_SocketAddress(addr);
}

static void test_unix_stale(void)
{
    char *dir = scratch_dir_new("qio-sockets");
    char *path = g_build_filename(dir, "stale", NULL);
    SocketAddress *addr = socket_test_unix_addr_new(path);
    Error *err = NULL;
    struct stat st;
    int lfd, cfd, afd;

    /* A listener that goes away without unlinking leaves its socket. */
    lfd = socket_listen(addr, &error_abort);
    close(lfd);
    g_assert_cmpint(lstat(path, &st), ==, 0);
    g_assert_true(S_ISSOCK(st.st_mode));
    cfd = socket_connect(addr, &err, NULL, NULL);
    g_assert_cmpint(cfd, ==, -1);
    qio_assert_error_contains(err, "Connection refused");
    error_free(err);
    err = NULL;

    /* Listening again replaces the stale socket. */
    lfd = socket_listen(addr, &error_abort);
    cfd = socket_connect(addr, &error_abort, NULL, NULL);
    afd = qemu_accept(lfd, NULL, NULL);
    check_connected(cfd, afd);
    close(afd);
    close(cfd);
    close(lfd);
    g_assert_cmpint(unlink(path), ==, 0);

    /* Anything but a socket at the path is left alone. */
    g_assert_true(g_file_set_contents(path, "data", -1, NULL));
    g_assert_cmpint(socket_listen(addr, &err), ==, -1);
    qio_assert_error_contains(err, "exists and is not a socket");
    error_free(err);
    g_assert_cmpint(lstat(path, &st), ==, 0);
    g_assert_true(S_ISREG(st.st_mode));
    g_assert_cmpint(unlink(path), ==, 0);

    g_assert_cmpint(rmdir(dir), ==, 0);
    qapi_free_SocketAddress(addr);
    g_free(path);
    g_free(dir);
}

static void test_unix_temp_path(void)
{
    SocketAddress *addr = socket_test_unix_addr_new("");
    SocketAddress *local;
    char out[PATH_MAX];
    struct stat st;
    int lfd, cfd, afd;

    /* An empty path asks for a fresh one in the temporary directory. */
    lfd = socket_listen(addr, &error_abort);
    local = socket_local_address(lfd, &error_abort);
    g_assert_nonnull(local->u.q_unix->path);
    g_assert_true(g_str_has_prefix(local->u.q_unix->path, g_get_tmp_dir()));
    g_assert_cmpint(lstat(local->u.q_unix->path, &st), ==, 0);
    g_assert_true(S_ISSOCK(st.st_mode));
    g_assert_cmpstr(addr->u.q_unix->path, ==, "");
    cfd = socket_connect(local, &error_abort, NULL, NULL);
    afd = qemu_accept(lfd, NULL, NULL);
    check_connected(cfd, afd);
    close(afd);
    close(cfd);
    close(lfd);
    g_assert_cmpint(unlink(local->u.q_unix->path), ==, 0);
    qapi_free_SocketAddress(local);

    /* unix_listen() reports the path it bound. */
    lfd = unix_listen("", out, sizeof(out), &error_abort);
    local = socket_local_address(lfd, &error_abort);
    g_assert_cmpstr(out, ==, local->u.q_unix->path);
    close(lfd);
    g_assert_cmpint(unlink(out), ==, 0);
    qapi_free_SocketAddress(local);

    qapi_free_SocketAddress(addr);
}

/* ------------------------------------------------------------------ */
/* fd addresses                                                        */

static void test_fd_address(void)
{
    int sv[2];
    int pipefd[2];
    char *str;
    SocketAddress *addr;
    ConnectResult res = { .fd = -1 };
    Error *err = NULL;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    str = g_strdup_printf("fd:%d", sv[0]);
    addr = socket_parse(str, &error_abort);
    g_assert_cmpint(socket_connect(addr, &error_abort, NULL, NULL), ==,
                    sv[0]);
    g_assert_false(fd_is_nonblocking(sv[0]));
    g_assert_cmpint(socket_listen(addr, &error_abort), ==, sv[0]);

    /* With a callback, the fd is handed over at once, non-blocking. */
    g_assert_cmpint(socket_connect(addr, &error_abort, connect_done, &res),
                    ==, sv[0]);
    g_assert_true(res.called);
    g_assert_cmpint(res.fd, ==, sv[0]);
    g_assert_true(fd_is_nonblocking(sv[0]));
    qapi_free_SocketAddress(addr);
    g_free(str);

    /* A descriptor that is not a socket. */
    g_assert_cmpint(pipe(pipefd), ==, 0);
    str = g_strdup_printf("fd:%d", pipefd[0]);
    addr = socket_parse(str, &error_abort);
    g_assert_cmpint(socket_connect(addr, &err, NULL, NULL), ==, -1);
    qio_assert_error_contains(err, "is not a socket");
    error_free(err);
    err = NULL;
    qapi_free_SocketAddress(addr);
    g_free(str);
    close(pipefd[0]);
    close(pipefd[1]);

    /* A number that names no open descriptor. */
    str = g_strdup_printf("fd:%d", sv[1]);
    addr = socket_parse(str, &error_abort);
    close(sv[0]);
    close(sv[1]);
    g_assert_cmpint(socket_listen(addr, &err), ==, -1);
    qio_assert_error_contains(err, "names no open file descriptor");
    error_free(err);
    qapi_free_SocketAddress(addr);
    g_free(str);
}

/* ------------------------------------------------------------------ */
/* Datagrams                                                           */

static void test_dgram(void)
{
    SocketAddress *raddr = socket_test_inet_addr_new("127.0.0.1", "0");
    SocketAddress *laddr = socket_test_inet_addr_new("127.0.0.1", "0");
    SocketAddress *uaddr = socket_test_unix_addr_new("/nonexistent");
    SocketAddress *a_local, *b_local;
    Error *err = NULL;
    char buf[16];
    int a, b;

    g_free(raddr->u.inet->port);
    raddr->u.inet->port = g_strdup("9");

    /* Without a local address, the kernel picks a port. */
    b = socket_dgram(raddr, NULL, &error_abort);
    g_assert_true(fd_is_cloexec(b));
    g_assert_cmpint(getsockopt_int(b, SOL_SOCKET, SO_TYPE), ==, SOCK_DGRAM);
    b_local = socket_local_address(b, &error_abort);
    g_assert_cmpstr(b_local->u.inet->port, !=, "0");
    g_assert_cmpint(local_port(b), >, 0);
    close(b);
    qapi_free_SocketAddress(b_local);

    /* Now a real pair: a on a chosen port talks to b and back. */
    b = socket_dgram(raddr, laddr, &error_abort);
    b_local = socket_local_address(b, &error_abort);
    a = socket_dgram(b_local, laddr, &error_abort);
    a_local = socket_local_address(a, &error_abort);
    close(b);
    b = socket_dgram(a_local, b_local, &error_abort);

    g_assert_cmpint(send(a, "ping", 4, 0), ==, 4);
    g_assert_cmpint(recv(b, buf, sizeof(buf), 0), ==, 4);
    g_assert_cmpmem(buf, 4, "ping", 4);
    g_assert_cmpint(send(b, "pong!", 5, 0), ==, 5);
    g_assert_cmpint(recv(a, buf, sizeof(buf), 0), ==, 5);
    g_assert_cmpmem(buf, 5, "pong!", 5);
    close(a);
    close(b);
    qapi_free_SocketAddress(a_local);
    qapi_free_SocketAddress(b_local);

    g_assert_cmpint(socket_dgram(uaddr, NULL, &err), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "datagram sockets need an inet remote address");
    error_free(err);
    err = NULL;
    g_assert_cmpint(socket_dgram(raddr, uaddr, &err), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "datagram sockets need an inet local address");
    error_free(err);
    err = NULL;

    g_free(raddr->u.inet->port);
    raddr->u.inet->port = NULL;
    g_assert_cmpint(socket_dgram(raddr, NULL, &err), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==, "remote address '127.0.0.1' "
                    "has no port: expected 'host:port'");
    error_free(err);

    qapi_free_SocketAddress(raddr);
    qapi_free_SocketAddress(laddr);
    qapi_free_SocketAddress(uaddr);
}

/* ------------------------------------------------------------------ */
/* send_all() and recv_all()                                           */

/* One send_all() or recv_all() call, run on a thread of its own. */
typedef struct AllJob {
    int fd;
    char *buf;
    int len;
    bool send;
    bool single_read;
    int ret;
    int err;
    int tid;
    int done;
} AllJob;

static gpointer all_job_run(gpointer opaque)
{
    AllJob *job = opaque;
    int ret;

    g_atomic_int_set(&job->tid, (int)syscall(SYS_gettid));
    if (job->send) {
        ret = send_all(job->fd, job->buf, job->len);
        job->err = errno;
        /* Whatever happened, the reading side must not wait forever. */
        shutdown(job->fd, SHUT_WR);
    } else {
        ret = recv_all(job->fd, job->buf, job->len, job->single_read);
        job->err = errno;
    }
    job->ret = ret;
    g_atomic_int_set(&job->done, 1);
    return NULL;
}

/* Whether thread @tid is asleep in the kernel. */
static bool thread_sleeping(int tid)
{
    char *path = g_strdup_printf("/proc/self/task/%d/stat", tid);
    char *stat = NULL;
    const char *p;
    bool sleeping = false;

    if (g_file_get_contents(path, &stat, NULL, NULL)) {
        p = strrchr(stat, ')');
        sleeping = p && p[1] == ' ' && p[2] == 'S';
    }
    g_free(stat);
    g_free(path);
    return sleeping;
}

/*
 * Starts @job and returns once it has either finished or gone to sleep,
 * which for a correct call means waiting for its socket.  Seeing a sleep
 * too early (a thread waiting for a lock) only makes the test weaker; it
 * never makes a correct call fail.
 */
static GThread *all_job_start(AllJob *job)
{
    GThread *thread = g_thread_new("all-job", all_job_run, job);

    while (g_atomic_int_get(&job->tid) == 0) {
        g_usleep(1000);
    }
    while (!g_atomic_int_get(&job->done) && !thread_sleeping(job->tid)) {
        g_usleep(1000);
    }
    return thread;
}

/* The byte at position @i of the test streams. */
static char stream_byte(size_t i)
{
    return (char)(i % 251);
}

static void fill_stream(char *buf, size_t start, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        buf[i] = stream_byte(start + i);
    }
}

/*
 * A non-blocking sender whose small buffer is already full: send_all()
 * must wait for the reader instead of failing with EAGAIN.
 */
static void test_send_all_waits(void)
{
    int payload = qio_test_under_valgrind() ? 64 * 1024 : 1024 * 1024;
    char chunk[1024];
    AllJob job = { .send = true };
    size_t prefill = 0;
    GThread *thread;
    char *in;
    int sv[2];
    int v = 4096;
    ssize_t n;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    g_assert_cmpint(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)),
                    ==, 0);
    g_assert_cmpint(setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)),
                    ==, 0);
    qemu_set_nonblock(sv[0]);

    /* Fill the socket until the kernel takes no more. */
    for (;;) {
        fill_stream(chunk, prefill, sizeof(chunk));
        n = send(sv[0], chunk, sizeof(chunk), 0);
        if (n < 0) {
            g_assert_cmpint(errno, ==, EAGAIN);
            break;
        }
        prefill += n;
    }
    g_assert_cmpuint(prefill, <, (size_t)payload);

    job.fd = sv[0];
    job.len = payload;
    job.buf = g_malloc(payload);
    fill_stream(job.buf, prefill, payload);
    thread = all_job_start(&job);
    /* Nothing can have been sent yet: nobody has read a byte. */
    if (g_atomic_int_get(&job.done)) {
        g_test_message("send_all() returned %d, errno %d", job.ret,
                       job.err);
    }
    g_assert_false(g_atomic_int_get(&job.done));

    in = g_malloc(prefill + payload);
    g_assert_cmpint(recv_all(sv[1], in, prefill + payload, false), ==,
                    (int)(prefill + payload));
    g_thread_join(thread);
    g_assert_cmpint(job.ret, ==, payload);
    fill_stream(job.buf, 0, payload);
    g_assert_cmpmem(in, prefill, job.buf, prefill);
    fill_stream(job.buf, prefill, payload);
    g_assert_cmpmem(in + prefill, payload, job.buf, payload);
    /* The sender shut its side down after the call: end of file. */
    g_assert_cmpint(recv_all(sv[1], chunk, 1, false), ==, 0);

    g_free(in);
    g_free(job.buf);
    close(sv[0]);
    close(sv[1]);
}

static volatile sig_atomic_t sigpipe_count;

static void count_sigpipe(int sig)
{
    sigpipe_count++;
}

static void test_send_all_errors(void)
{
    struct sigaction sa = { .sa_handler = count_sigpipe };
    struct sigaction old;
    int sv[2];
    int pipefd[2];
    char buf[8];

    /* Counted rather than ignored, so that a SIGPIPE would show. */
    sigemptyset(&sa.sa_mask);
    g_assert_cmpint(sigaction(SIGPIPE, &sa, &old), ==, 0);
    sigpipe_count = 0;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    g_assert_cmpint(send_all(sv[0], "hello", 5), ==, 5);
    g_assert_cmpint(recv_all(sv[1], buf, 5, false), ==, 5);
    g_assert_cmpmem(buf, 5, "hello", 5);
    g_assert_cmpint(send_all(sv[0], "x", 0), ==, 0);

    errno = 0;
    g_assert_cmpint(send_all(sv[0], "x", -1), ==, -1);
    g_assert_cmpint(errno, ==, EINVAL);

    /* A vanished peer is EPIPE, and no SIGPIPE ends the process. */
    close(sv[1]);
    errno = 0;
    g_assert_cmpint(send_all(sv[0], "hello", 5), ==, -1);
    g_assert_cmpint(errno, ==, EPIPE);
    g_assert_cmpint(sigpipe_count, ==, 0);
    close(sv[0]);

    errno = 0;
    g_assert_cmpint(send_all(sv[0], "hello", 5), ==, -1);
    g_assert_cmpint(errno, ==, EBADF);

    /* Descriptors other than sockets are written too. */
    g_assert_cmpint(pipe(pipefd), ==, 0);
    g_assert_cmpint(send_all(pipefd[1], "pipe!", 5), ==, 5);
    g_assert_cmpint(recv_all(pipefd[0], buf, 5, false), ==, 5);
    g_assert_cmpmem(buf, 5, "pipe!", 5);
    close(pipefd[0]);
    close(pipefd[1]);
    g_assert_cmpint(sigaction(SIGPIPE, &old, NULL), ==, 0);
}

/*
 * Records of a SOCK_SEQPACKET socket never merge into one read, so the
 * number of reads recv_all() makes shows in what it returns.
 */
static void test_recv_all_reads(void)
{
    char buf[16];
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), ==, 0);

    /* Without single_read, the reads go on until the length is reached. */
    g_assert_cmpint(send(sv[0], "abc", 3, 0), ==, 3);
    g_assert_cmpint(send(sv[0], "defgh", 5, 0), ==, 5);
    memset(buf, 0, sizeof(buf));
    g_assert_cmpint(recv_all(sv[1], buf, 8, false), ==, 8);
    g_assert_cmpstr(buf, ==, "abcdefgh");

    /* With it, the first read that got data is all. */
    g_assert_cmpint(send(sv[0], "abc", 3, 0), ==, 3);
    g_assert_cmpint(send(sv[0], "defgh", 5, 0), ==, 5);
    memset(buf, 0, sizeof(buf));
    g_assert_cmpint(recv_all(sv[1], buf, 8, true), ==, 3);
    g_assert_cmpstr(buf, ==, "abc");
    g_assert_cmpint(recv_all(sv[1], buf, 8, true), ==, 5);
    g_assert_cmpmem(buf, 5, "defgh", 5);

    /* A zero length reads nothing at all. */
    g_assert_cmpint(send(sv[0], "z", 1, 0), ==, 1);
    g_assert_cmpint(recv_all(sv[1], buf, 0, false), ==, 0);
    g_assert_cmpint(recv_all(sv[1], buf, 0, true), ==, 0);
    g_assert_cmpint(recv_all(sv[1], buf, 1, false), ==, 1);
    g_assert_cmpint(buf[0], ==, 'z');

    /* End of file after some data: what came before it. */
    g_assert_cmpint(send(sv[0], "ab", 2, 0), ==, 2);
    g_assert_cmpint(shutdown(sv[0], SHUT_WR), ==, 0);
    g_assert_cmpint(recv_all(sv[1], buf, 8, false), ==, 2);
    g_assert_cmpmem(buf, 2, "ab", 2);
    /* End of file first: 0, with or without single_read. */
    g_assert_cmpint(recv_all(sv[1], buf, 8, false), ==, 0);
    g_assert_cmpint(recv_all(sv[1], buf, 8, true), ==, 0);

    errno = 0;
    g_assert_cmpint(recv_all(sv[1], buf, -1, false), ==, -1);
    g_assert_cmpint(errno, ==, EINVAL);
    close(sv[0]);
    close(sv[1]);

    errno = 0;
    g_assert_cmpint(recv_all(sv[1], buf, 1, false), ==, -1);
    g_assert_cmpint(errno, ==, EBADF);
}

/* On a non-blocking socket with nothing to read yet, recv_all() waits. */
static void test_recv_all_waits(void)
{
    char buf[8];
    AllJob job = { .buf = buf, .len = 8 };
    GThread *thread;
    int sv[2];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    qemu_set_nonblock(sv[1]);
    job.fd = sv[1];
    thread = all_job_start(&job);
    g_assert_cmpint(send(sv[0], "abc", 3, 0), ==, 3);
    g_assert_cmpint(send(sv[0], "defgh", 5, 0), ==, 5);
    g_thread_join(thread);
    if (job.ret < 0) {
        g_test_message("recv_all() failed: %s", g_strerror(job.err));
    }
    g_assert_cmpint(job.ret, ==, 8);
    g_assert_cmpmem(buf, 8, "abcdefgh", 8);
    close(sv[0]);
    close(sv[1]);
}

/* ------------------------------------------------------------------ */
/* The QemuOpts entry points                                           */

static QemuOpts *socket_opts_new(const char *name, ...)
    G_GNUC_NULL_TERMINATED;

/* A socket_optslist group with the "name", "value" pairs given set. */
static QemuOpts *socket_opts_new(const char *name, ...)
{
    QemuOpts *opts = qemu_opts_create(&socket_optslist, NULL, 0,
                                      &error_abort);
    va_list ap;

    va_start(ap, name);
    for (; name; name = va_arg(ap, const char *)) {
        qemu_opt_set(opts, name, va_arg(ap, const char *), &error_abort);
    }
    va_end(ap);
    return opts;
}

/* Accepts on @lfd and checks the new connection with @cfd, closing both. */
static void accept_and_check(int lfd, int cfd)
{
    int afd = qemu_accept(lfd, NULL, NULL);

    g_assert_cmpint(afd, >=, 0);
    qemu_set_block(cfd);
    check_connected(cfd, afd);
    close(afd);
    close(cfd);
}

static void test_opts_inet_listen_connect(void)
{
    QemuOpts *lopts = socket_opts_new("host", "127.0.0.1", "port", "0",
                                      NULL);
    QemuOpts *copts;
    ConnectResult res = { .fd = -1 };
    const char *host;
    char *port;
    int lfd, cfd;

    lfd = inet_listen_opts(lopts, 0, &error_abort);
    g_assert_true(fd_is_cloexec(lfd));
    g_assert_cmpint(getsockopt_int(lfd, SOL_SOCKET, SO_ACCEPTCONN), ==, 1);
    /* The kernel's choice of port is written back. */
    port = g_strdup_printf("%d", local_port(lfd));
    g_assert_cmpstr(qemu_opt_get(lopts, "port"), ==, port);
    g_assert_cmpstr(qemu_opt_get(lopts, "host"), ==, "127.0.0.1");
    g_assert_null(qemu_opt_get(lopts, "ipv4"));
    g_assert_null(qemu_opt_get(lopts, "ipv6"));

    copts = socket_opts_new("host", "127.0.0.1", "port", port, NULL);
    cfd = inet_connect_opts(copts, &error_abort, NULL, NULL);
    g_assert_true(fd_is_cloexec(cfd));
    g_assert_false(fd_is_nonblocking(cfd));
    accept_and_check(lfd, cfd);

    g_assert_cmpint(inet_connect_opts(copts, &error_abort, connect_done,
                                      &res), >=, 0);
    wait_connect(&res);
    g_assert_null(res.error);
    g_assert_cmpint(res.fd, >=, 0);
    g_assert_true(fd_is_nonblocking(res.fd));
    accept_and_check(lfd, res.fd);

    /* The listener's own options, as written back, reach it too. */
    cfd = inet_connect_opts(lopts, &error_abort, NULL, NULL);
    accept_and_check(lfd, cfd);
    close(lfd);
    qemu_opts_del(copts);
    qemu_opts_del(lopts);

    /* An empty host listens on every address. */
    lopts = socket_opts_new("host", "", "port", "", NULL);
    lfd = inet_listen_opts(lopts, 0, &error_abort);
    host = qemu_opt_get(lopts, "host");
    g_assert_true(!strcmp(host, "0.0.0.0") || !strcmp(host, "::"));
    g_free(port);
    port = g_strdup_printf("%d", local_port(lfd));
    g_assert_cmpstr(qemu_opt_get(lopts, "port"), ==, port);
    close(lfd);
    qemu_opts_del(lopts);

    g_free(port);
    g_assert_true(QTAILQ_EMPTY(&socket_optslist.head));
}

static void test_opts_inet_listen_range(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", NULL);
    int busy = socket_listen(addr, &error_abort);
    int first = local_port(busy);
    char *first_str = g_strdup_printf("%d", first);
    char *last_str = g_strdup_printf("%d", MIN(first + 30, 65535));
    QemuOpts *opts;
    Error *err = NULL;
    char *got_str;
    int fd, got;

    if (first == 65535) {
        g_test_skip("kernel chose the last port, no room for a range");
        goto out;
    }

    /* The first port is busy, so another one of the range is written. */
    opts = socket_opts_new("host", "127.0.0.1", "port", first_str,
                           "to", last_str, NULL);
    fd = inet_listen_opts(opts, 0, &error_abort);
    got = local_port(fd);
    g_assert_cmpint(got, >, first);
    g_assert_cmpint(got, <=, first + 30);
    got_str = g_strdup_printf("%d", got);
    g_assert_cmpstr(qemu_opt_get(opts, "port"), ==, got_str);
    g_assert_cmpstr(qemu_opt_get(opts, "to"), ==, last_str);
    g_free(got_str);
    close(fd);

    /* "to=0" is no range at all: only the busy port is tried. */
    qemu_opt_set(opts, "port", first_str, &error_abort);
    qemu_opt_set_number(opts, "to", 0, &error_abort);
    g_assert_cmpint(inet_listen_opts(opts, 0, &err), ==, -1);
    qio_assert_error_contains(err, "Address already in use");
    error_free(err);
    err = NULL;
    /* A failed listen leaves the options alone. */
    g_assert_cmpstr(qemu_opt_get(opts, "port"), ==, first_str);

    qemu_opt_set(opts, "to", "65536", &error_abort);
    g_assert_cmpint(inet_listen_opts(opts, 0, &err), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==, "socket option 'to' expects "
                    "a port number from 0 to 65535, not '65536'");
    error_free(err);
    err = NULL;
    qemu_opts_del(opts);

    /* With an offset, the port reads back as it was asked for. */
    opts = socket_opts_new("host", "127.0.0.1", "port", first_str, NULL);
    fd = inet_listen_opts(opts, 1, &err);
    if (fd >= 0) {
        g_assert_cmpint(local_port(fd), ==, first + 1);
        g_assert_cmpstr(qemu_opt_get(opts, "port"), ==, first_str);
        close(fd);
    } else {
        /* Something else owns first + 1: the error must say so. */
        qio_assert_error_contains(err, "Address already in use");
        error_free(err);
    }
    qemu_opts_del(opts);

out:
    close(busy);
    g_free(first_str);
    g_free(last_str);
    qapi_free_SocketAddress(addr);
    g_assert_true(QTAILQ_EMPTY(&socket_optslist.head));
}

static void test_opts_inet_ipv4(void)
{
    QemuOpts *lopts = socket_opts_new("host", "localhost", "port", "0",
                                      "ipv4", "on", NULL);
    QemuOpts *copts;
    Error *err = NULL;
    char *port;
    int lfd, cfd;

    /* "localhost" may name both families; ipv4 keeps only IPv4. */
    lfd = inet_listen_opts(lopts, 0, &error_abort);
    g_assert_cmpstr(qemu_opt_get(lopts, "host"), ==, "127.0.0.1");
    g_assert_true(qemu_opt_get_bool(lopts, "ipv4", false));
    port = g_strdup_printf("%d", local_port(lfd));
    copts = socket_opts_new("host", "localhost", "port", port, NULL);
    qemu_opt_set_bool(copts, "ipv4", true, &error_abort);
    cfd = inet_connect_opts(copts, &error_abort, NULL, NULL);
    accept_and_check(lfd, cfd);
    close(lfd);

    /* Excluding both families leaves nothing to use. */
    qemu_opt_set_bool(lopts, "ipv4", false, &error_abort);
    qemu_opt_set_bool(lopts, "ipv6", false, &error_abort);
    g_assert_cmpint(inet_listen_opts(lopts, 0, &err), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "address excludes both IPv4 and IPv6");
    error_free(err);
    err = NULL;
    qemu_opt_set(copts, "ipv4", "no", &error_abort);
    qemu_opt_set(copts, "ipv6", "false", &error_abort);
    g_assert_cmpint(inet_connect_opts(copts, &err, NULL, NULL), ==, -1);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "address excludes both IPv4 and IPv6");
    error_free(err);
    err = NULL;

    /* An IPv4 address cannot be used with IPv4 turned off. */
    qemu_opt_set(lopts, "host", "127.0.0.1", &error_abort);
    qemu_opt_set(lopts, "ipv6", "on", &error_abort);
    g_assert_cmpint(inet_listen_opts(lopts, 0, &err), ==, -1);
    qio_assert_error_contains(err, "address resolution failed for "
                              "'127.0.0.1:");
    error_free(err);

    g_free(port);
    qemu_opts_del(copts);
    qemu_opts_del(lopts);
    g_assert_true(QTAILQ_EMPTY(&socket_optslist.head));
}

static void test_opts_inet_ipv6(void)
{
    QemuOpts *opts;
    Error *err = NULL;
    int lfd, cfd;

    if (!socket_test_ipv6_available()) {
        g_test_skip("IPv6 loopback not available");
        return;
    }
    opts = socket_opts_new("host", "::1", "port", "0", "ipv6", "on", NULL);
    lfd = inet_listen_opts(opts, 0, &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "host"), ==, "::1");
    cfd = inet_connect_opts(opts, &error_abort, NULL, NULL);
    accept_and_check(lfd, cfd);

    /* With only IPv4 allowed, ::1 cannot be reached. */
    qemu_opt_set(opts, "ipv6", "off", &error_abort);
    qemu_opt_set(opts, "ipv4", "on", &error_abort);
    g_assert_cmpint(inet_connect_opts(opts, &err, NULL, NULL), ==, -1);
    qio_assert_error_contains(err, "address resolution failed for '[::1]:");
    error_free(err);

    close(lfd);
    qemu_opts_del(opts);
    g_assert_true(QTAILQ_EMPTY(&socket_optslist.head));
}

static void test_opts_unix(void)
{
    char *dir = scratch_dir_new("qio-sockets-opts");
    char *path = g_build_filename(dir, "sock", NULL);
    QemuOpts *opts = socket_opts_new("path", path, NULL);
    ConnectResult res = { .fd = -1 };
    char *temp_path;
    struct stat st;
    int lfd, cfd;

    lfd = unix_listen_opts(opts, &error_abort);
    g_assert_true(fd_is_cloexec(lfd));
    g_assert_cmpstr(qemu_opt_get(opts, "path"), ==, path);
    cfd = unix_connect_opts(opts, &error_abort, NULL, NULL);
    g_assert_false(fd_is_nonblocking(cfd));
    accept_and_check(lfd, cfd);

    g_assert_cmpint(unix_connect_opts(opts, &error_abort, connect_done,
                                      &res), >=, 0);
    wait_connect(&res);
    g_assert_null(res.error);
    g_assert_cmpint(res.fd, >=, 0);
    g_assert_true(fd_is_nonblocking(res.fd));
    accept_and_check(lfd, res.fd);
    close(lfd);
    qemu_opts_del(opts);

    /* Without a path, the one picked is written back. */
    opts = qemu_opts_create(&socket_optslist, NULL, 0, &error_abort);
    lfd = unix_listen_opts(opts, &error_abort);
    g_assert_nonnull(qemu_opt_get(opts, "path"));
    temp_path = g_strdup(qemu_opt_get(opts, "path"));
    g_assert_cmpint(lstat(temp_path, &st), ==, 0);
    g_assert_true(S_ISSOCK(st.st_mode));
    cfd = unix_connect_opts(opts, &error_abort, NULL, NULL);
    accept_and_check(lfd, cfd);
    close(lfd);
    g_assert_cmpint(unlink(temp_path), ==, 0);
    qemu_opts_del(opts);

    g_free(temp_path);
    g_free(path);
    scratch_dir_remove(dir);
    g_assert_true(QTAILQ_EMPTY(&socket_optslist.head));
}

static void test_opts_dgram(void)
{
    QemuOpts *aopts, *bopts;
    SocketAddress *peer;
    char *aport, *bport;
    char buf[16];
    int a, b;

    /* b first talks to the discard port, only to learn its own port. */
    bopts = socket_opts_new("host", "127.0.0.1", "port", "9",
                            "localaddr", "127.0.0.1", "localport", "0",
                            NULL);
    b = inet_dgram_opts(bopts, &error_abort);
    g_assert_true(fd_is_cloexec(b));
    g_assert_cmpint(getsockopt_int(b, SOL_SOCKET, SO_TYPE), ==, SOCK_DGRAM);
    bport = g_strdup_printf("%d", local_port(b));
    /* Options are read, never written back. */
    g_assert_cmpstr(qemu_opt_get(bopts, "localport"), ==, "0");

    /* a gets a port from the kernel and talks to b. */
    aopts = socket_opts_new("host", "127.0.0.1", "port", bport,
                            "localaddr", "127.0.0.1", NULL);
    a = inet_dgram_opts(aopts, &error_abort);
    aport = g_strdup_printf("%d", local_port(a));

    /* b again, now on the same local port and talking to a. */
    close(b);
    qemu_opt_set(bopts, "port", aport, &error_abort);
    qemu_opt_set(bopts, "localport", bport, &error_abort);
    b = inet_dgram_opts(bopts, &error_abort);
    g_assert_cmpint(local_port(b), ==, atoi(bport));

    g_assert_cmpint(send(a, "ping", 4, 0), ==, 4);
    g_assert_cmpint(recv(b, buf, sizeof(buf), 0), ==, 4);
    g_assert_cmpmem(buf, 4, "ping", 4);
    g_assert_cmpint(send(b, "pong!", 5, 0), ==, 5);
    g_assert_cmpint(recv(a, buf, sizeof(buf), 0), ==, 5);
    g_assert_cmpmem(buf, 5, "pong!", 5);
    close(a);
    close(b);
    qemu_opts_del(aopts);
    qemu_opts_del(bopts);

    /* Without a host, datagrams go to localhost. */
    aopts = socket_opts_new("port", "9", "ipv4", "on", NULL);
    a = inet_dgram_opts(aopts, &error_abort);
    peer = socket_remote_address(a, &error_abort);
    g_assert_cmpstr(peer->u.inet->host, ==, "127.0.0.1");
    g_assert_cmpstr(peer->u.inet->port, ==, "9");
    qapi_free_SocketAddress(peer);
    close(a);
    qemu_opts_del(aopts);

    g_free(aport);
    g_free(bport);
    g_assert_true(QTAILQ_EMPTY(&socket_optslist.head));
}

/* Options of a list that does not check names or types. */
static QemuOptsList untyped_socket_list = {
    .name = "untyped-socket",
    .head = QTAILQ_HEAD_INITIALIZER(untyped_socket_list.head),
    .desc = {
        { /* end */ }
    },
};

/*
 * Checks that a call failed, returning @ret -1 and setting *@errp to
 * @message; frees the error and clears *@errp.  The error is passed by
 * address because the call sits in the same argument list.
 */
static void check_opts_error(int ret, Error **errp, const char *message)
{
    g_assert_cmpint(ret, ==, -1);
    g_assert_nonnull(*errp);
    g_assert_cmpstr(error_get_pretty(*errp), ==, message);
    error_free(*errp);
    *errp = NULL;
}

static void test_opts_errors(void)
{
    QemuOpts *opts = socket_opts_new("port", "1", NULL);
    QemuOpts *untyped;
    Error *err = NULL;
    char *long_path;

    check_opts_error(inet_listen_opts(opts, 0, &err), &err,
                     "socket option 'host' is not set");
    check_opts_error(inet_connect_opts(opts, &err, NULL, NULL), &err,
                     "socket option 'host' is not set");
    qemu_opt_set(opts, "host", "", &error_abort);
    check_opts_error(inet_connect_opts(opts, &err, NULL, NULL), &err,
                     "socket option 'host' is empty");
    qemu_opts_del(opts);

    opts = socket_opts_new("host", "127.0.0.1", NULL);
    check_opts_error(inet_listen_opts(opts, 0, &err), &err,
                     "socket option 'port' is not set");
    check_opts_error(inet_connect_opts(opts, &err, NULL, NULL), &err,
                     "socket option 'port' is not set");
    check_opts_error(inet_dgram_opts(opts, &err), &err,
                     "socket option 'port' is not set");
    qemu_opt_set(opts, "port", "", &error_abort);
    check_opts_error(inet_dgram_opts(opts, &err), &err,
                     "socket option 'port' is empty");

    check_opts_error(unix_connect_opts(opts, &err, NULL, NULL), &err,
                     "socket option 'path' is not set");
    qemu_opt_set(opts, "path", "", &error_abort);
    check_opts_error(unix_connect_opts(opts, &err, NULL, NULL), &err,
                     "socket option 'path' is empty");

    /* A path too long for sun_path is refused and stays as it was. */
    long_path = g_strnfill(200, 'p');
    long_path[0] = '/';
    qemu_opt_set(opts, "path", long_path, &error_abort);
    g_assert_cmpint(unix_listen_opts(opts, &err), ==, -1);
    qio_assert_error_contains(err, "is too long");
    error_free(err);
    err = NULL;
    g_assert_cmpstr(qemu_opt_get(opts, "path"), ==, long_path);
    g_free(long_path);

    /* socket_optslist checks names and types as they are set. */
    qemu_opt_set(opts, "ipv4", "maybe", &err);
    qio_assert_error_contains(err, "option 'ipv4' expects 'on' or 'off'");
    error_free(err);
    err = NULL;
    qemu_opt_set(opts, "to", "x", &err);
    qio_assert_error_contains(err, "option 'to' expects a non-negative");
    error_free(err);
    err = NULL;
    qemu_opt_set(opts, "bogus", "1", &err);
    qio_assert_error_contains(err, "unknown option 'bogus' for socket");
    error_free(err);
    err = NULL;
    qemu_opts_del(opts);

    /* Other lists may hold anything: bad flags are caught on use. */
    untyped = qemu_opts_create(&untyped_socket_list, NULL, 0,
                               &error_abort);
    qemu_opt_set(untyped, "host", "127.0.0.1", &error_abort);
    qemu_opt_set(untyped, "port", "1", &error_abort);
    qemu_opt_set(untyped, "ipv6", "maybe", &error_abort);
    check_opts_error(inet_connect_opts(untyped, &err, NULL, NULL), &err,
                     "socket option 'ipv6' expects 'on' or 'off', not "
                     "'maybe'");
    qemu_opt_set(untyped, "ipv6", "off", &error_abort);
    qemu_opt_set(untyped, "port", "0", &error_abort);
    qemu_opt_set(untyped, "to", "many", &error_abort);
    check_opts_error(inet_listen_opts(untyped, 0, &err), &err,
                     "socket option 'to' expects a port number from 0 to "
                     "65535, not 'many'");
    qemu_opts_del(untyped);

    g_assert_true(QTAILQ_EMPTY(&socket_optslist.head));
    g_assert_true(QTAILQ_EMPTY(&untyped_socket_list.head));
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);

    qio_test_add_func("/util/sockets/parse/good", test_parse_good);
    qio_test_add_func("/util/sockets/parse/bad", test_parse_bad);
    qio_test_add_func("/util/sockets/parse/null", test_parse_null);
    qio_test_add_func("/util/sockets/parse/host-port", test_parse_host_port);
    qio_test_add_func("/util/sockets/copy", test_copy);
    qio_test_add_func("/util/sockets/sockaddr/ipv4", test_sockaddr_ipv4);
    qio_test_add_func("/util/sockets/sockaddr/ipv6", test_sockaddr_ipv6);
    qio_test_add_func("/util/sockets/sockaddr/unix", test_sockaddr_unix);
    qio_test_add_func("/util/sockets/helpers", test_socket_helpers);
    qio_test_add_func("/util/sockets/listen/port0", test_listen_port0);
    qio_test_add_func("/util/sockets/listen/port-range",
                      test_listen_port_range);
    qio_test_add_func("/util/sockets/listen/families", test_listen_families);
    qio_test_add_func("/util/sockets/listen/ipv6", test_listen_ipv6);
    qio_test_add_func("/util/sockets/listen/ipv6-wildcard",
                      test_listen_ipv6_wildcard);
    qio_test_add_func("/util/sockets/listen/string", test_inet_listen_string);
    qio_test_add_func("/util/sockets/connect/errors", test_connect_errors);
    qio_test_add_func("/util/sockets/connect/fallback",
                      test_connect_fallback);
    qio_test_add_func("/util/sockets/connect/nonblocking",
                      test_connect_nonblocking);
    qio_test_add_func("/util/sockets/connect/nonblocking-refused",
                      test_connect_nonblocking_refused);
    qio_test_add_func("/util/sockets/connect/nonblocking-string",
                      test_connect_nonblocking_string);
    qio_test_add_func("/util/sockets/unix/listen-connect",
                      test_unix_listen_connect);
    qio_test_add_func("/util/sockets/unix/too-long", test_unix_too_long);
    qio_test_add_func("/util/sockets/unix/stale", test_unix_stale);
    qio_test_add_func("/util/sockets/unix/temp-path", test_unix_temp_path);
    qio_test_add_func("/util/sockets/fd", test_fd_address);
    qio_test_add_func("/util/sockets/dgram", test_dgram);
    qio_test_add_func("/util/sockets/send-all/waits", test_send_all_waits);
    qio_test_add_func("/util/sockets/send-all/errors", test_send_all_errors);
    qio_test_add_func("/util/sockets/recv-all/reads", test_recv_all_reads);
    qio_test_add_func("/util/sockets/recv-all/waits", test_recv_all_waits);
    qio_test_add_func("/util/sockets/opts/inet-listen-connect",
                      test_opts_inet_listen_connect);
    qio_test_add_func("/util/sockets/opts/inet-listen-range",
                      test_opts_inet_listen_range);
    qio_test_add_func("/util/sockets/opts/inet-ipv4", test_opts_inet_ipv4);
    qio_test_add_func("/util/sockets/opts/inet-ipv6", test_opts_inet_ipv6);
    qio_test_add_func("/util/sockets/opts/unix", test_opts_unix);
    qio_test_add_func("/util/sockets/opts/dgram", test_opts_dgram);
    qio_test_add_func("/util/sockets/opts/errors", test_opts_errors);

    return g_test_run();
}
