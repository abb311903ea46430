/*
 * Tests for the QAPI types (include/qapi-types.h): enum lookup tables,
 * NULL-safe deep free and the deep copy of SocketAddress.
 *
 * Leaks and double frees in the free functions are caught by the
 * sanitizer and valgrind runs of this program.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qapi-types.h"
#include "qio-test.h"
#include "socket-helpers.h"

static void test_lookup_tables(void)
{
    g_assert_cmpstr(SocketAddressKind_lookup[SOCKET_ADDRESS_KIND_INET], ==,
                    "inet");
    g_assert_cmpstr(SocketAddressKind_lookup[SOCKET_ADDRESS_KIND_UNIX], ==,
                    "unix");
    g_assert_cmpstr(SocketAddressKind_lookup[SOCKET_ADDRESS_KIND_FD], ==,
                    "fd");
    g_assert_null(SocketAddressKind_lookup[SOCKET_ADDRESS_KIND__MAX]);
    g_assert_cmpint(SOCKET_ADDRESS_KIND__MAX, ==, 3);

    g_assert_cmpstr(QCryptoTLSCredsEndpoint_lookup[
                        QCRYPTO_TLS_CREDS_ENDPOINT_CLIENT], ==, "client");
    g_assert_cmpstr(QCryptoTLSCredsEndpoint_lookup[
                        QCRYPTO_TLS_CREDS_ENDPOINT_SERVER], ==, "server");
    g_assert_null(QCryptoTLSCredsEndpoint_lookup[
                      QCRYPTO_TLS_CREDS_ENDPOINT__MAX]);
    g_assert_cmpint(QCRYPTO_TLS_CREDS_ENDPOINT__MAX, ==, 2);

    g_assert_cmpstr(NetworkAddressFamily_lookup[NETWORK_ADDRESS_FAMILY_IPV4],
                    ==, "ipv4");
    g_assert_cmpstr(NetworkAddressFamily_lookup[NETWORK_ADDRESS_FAMILY_IPV6],
                    ==, "ipv6");
    g_assert_cmpstr(NetworkAddressFamily_lookup[NETWORK_ADDRESS_FAMILY_UNIX],
                    ==, "unix");
    g_assert_cmpstr(NetworkAddressFamily_lookup[
                        NETWORK_ADDRESS_FAMILY_UNKNOWN], ==, "unknown");
    g_assert_null(NetworkAddressFamily_lookup[NETWORK_ADDRESS_FAMILY__MAX]);
    g_assert_cmpint(NETWORK_ADDRESS_FAMILY__MAX, ==, 4);
}

static void test_free_null(void)
{
    qapi_free_SocketAddress(NULL);
    qapi_free_InetSocketAddress(NULL);
    qapi_free_UnixSocketAddress(NULL);
    qapi_free_String(NULL);
}

static void test_deep_free(void)
{
    InetSocketAddress *inet = g_new0(InetSocketAddress, 1);
    UnixSocketAddress *un = g_new0(UnixSocketAddress, 1);
    String *str = g_new0(String, 1);
    SocketAddress *addr;

    /* Each member on its own, with every string set. */
    inet->host = g_strdup("localhost");
    inet->port = g_strdup("80");
    qapi_free_InetSocketAddress(inet);
    un->path = g_strdup("/tmp/sock");
    qapi_free_UnixSocketAddress(un);
    str->str = g_strdup("3");
    qapi_free_String(str);

    /* Optional strings left NULL. */
    qapi_free_InetSocketAddress(g_new0(InetSocketAddress, 1));
    qapi_free_UnixSocketAddress(g_new0(UnixSocketAddress, 1));
    qapi_free_String(g_new0(String, 1));

    /* Through the union, one of each kind. */
    qapi_free_SocketAddress(socket_test_inet_addr_new("::1", "5900"));
    qapi_free_SocketAddress(socket_test_inet_addr_new("example.org", NULL));
    qapi_free_SocketAddress(socket_test_unix_addr_new("/run/x.sock"));
    qapi_free_SocketAddress(socket_test_fd_addr_new("7"));

    /* A union whose member was never allocated. */
    addr = g_new0(SocketAddress, 1);
    addr->type = SOCKET_ADDRESS_KIND_UNIX;
    qapi_free_SocketAddress(addr);
}

static void test_copy_inet(void)
{
    SocketAddress *src = socket_test_inet_addr_new("192.0.2.1", "4433");
    SocketAddress *dst = NULL;

    src->u.inet->has_to = true;
    src->u.inet->to = 4440;
    src->u.inet->has_ipv4 = true;
    src->u.inet->ipv4 = true;
    src->u.inet->has_ipv6 = true;
    src->u.inet->ipv6 = false;

    qapi_copy_SocketAddress(&dst, src);
    g_assert_nonnull(dst);
    g_assert_true(dst != src);
    g_assert_cmpint(dst->type, ==, SOCKET_ADDRESS_KIND_INET);
    g_assert_nonnull(dst->u.inet);
    g_assert_true(dst->u.inet != src->u.inet);
    g_assert_cmpstr(dst->u.inet->host, ==, "192.0.2.1");
    g_assert_cmpstr(dst->u.inet->port, ==, "4433");
    /* Deep: the strings are new allocations. */
    g_assert_true(dst->u.inet->host != src->u.inet->host);
    g_assert_true(dst->u.inet->port != src->u.inet->port);
    g_assert_true(dst->u.inet->has_to);
    g_assert_cmpuint(dst->u.inet->to, ==, 4440);
    g_assert_true(dst->u.inet->has_ipv4);
    g_assert_true(dst->u.inet->ipv4);
    g_assert_true(dst->u.inet->has_ipv6);
    g_assert_false(dst->u.inet->ipv6);

    /* Independent of the source from now on. */
    qapi_free_SocketAddress(src);
    g_assert_cmpstr(dst->u.inet->host, ==, "192.0.2.1");
    qapi_free_SocketAddress(dst);
}

static void test_copy_inet_defaults(void)
{
    SocketAddress *src = socket_test_inet_addr_new("localhost", NULL);
    SocketAddress *dst = NULL;

    /* A NULL port stays NULL; unset optional flags stay unset. */
    qapi_copy_SocketAddress(&dst, src);
    g_assert_cmpstr(dst->u.inet->host, ==, "localhost");
    g_assert_null(dst->u.inet->port);
    g_assert_false(dst->u.inet->has_to);
    g_assert_cmpuint(dst->u.inet->to, ==, 0);
    g_assert_false(dst->u.inet->has_ipv4);
    g_assert_false(dst->u.inet->ipv4);
    g_assert_false(dst->u.inet->has_ipv6);
    g_assert_false(dst->u.inet->ipv6);
    qapi_free_SocketAddress(src);
    qapi_free_SocketAddress(dst);
}

static void test_copy_unix(void)
{
    SocketAddress *src = socket_test_unix_addr_new("/tmp/qio.sock");
    SocketAddress *dst = NULL;

    qapi_copy_SocketAddress(&dst, src);
    g_assert_cmpint(dst->type, ==, SOCKET_ADDRESS_KIND_UNIX);
    g_assert_true(dst->u.q_unix != src->u.q_unix);
    g_assert_cmpstr(dst->u.q_unix->path, ==, "/tmp/qio.sock");
    g_assert_true(dst->u.q_unix->path != src->u.q_unix->path);
    qapi_free_SocketAddress(src);
    g_assert_cmpstr(dst->u.q_unix->path, ==, "/tmp/qio.sock");
    qapi_free_SocketAddress(dst);
}

static void test_copy_fd(void)
{
    SocketAddress *src = socket_test_fd_addr_new("myfd");
    SocketAddress *dst = NULL;

    qapi_copy_SocketAddress(&dst, src);
    g_assert_cmpint(dst->type, ==, SOCKET_ADDRESS_KIND_FD);
    g_assert_true(dst->u.fd != src->u.fd);
    g_assert_cmpstr(dst->u.fd->str, ==, "myfd");
    g_assert_true(dst->u.fd->str != src->u.fd->str);
    qapi_free_SocketAddress(src);
    g_assert_cmpstr(dst->u.fd->str, ==, "myfd");
    qapi_free_SocketAddress(dst);
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/qapi/types/lookup", test_lookup_tables);
    qio_test_add_func("/qapi/types/free-null", test_free_null);
    qio_test_add_func("/qapi/types/deep-free", test_deep_free);
    qio_test_add_func("/qapi/types/copy-inet", test_copy_inet);
    qio_test_add_func("/qapi/types/copy-inet-defaults",
                      test_copy_inet_defaults);
    qio_test_add_func("/qapi/types/copy-unix", test_copy_unix);
    qio_test_add_func("/qapi/types/copy-fd", test_copy_fd);
    return g_test_run();
}
