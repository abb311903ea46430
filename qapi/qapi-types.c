/*
 * Lookup tables, deep free and deep copy for the QAPI types.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qapi-types.h"

const char *const SocketAddressKind_lookup[] = {
    [SOCKET_ADDRESS_KIND_INET] = "inet",
    [SOCKET_ADDRESS_KIND_UNIX] = "unix",
    [SOCKET_ADDRESS_KIND_FD] = "fd",
    [SOCKET_ADDRESS_KIND__MAX] = NULL,
};

const char *const QCryptoTLSCredsEndpoint_lookup[] = {
    [QCRYPTO_TLS_CREDS_ENDPOINT_CLIENT] = "client",
    [QCRYPTO_TLS_CREDS_ENDPOINT_SERVER] = "server",
    [QCRYPTO_TLS_CREDS_ENDPOINT__MAX] = NULL,
};

const char *const NetworkAddressFamily_lookup[] = {
    [NETWORK_ADDRESS_FAMILY_IPV4] = "ipv4",
    [NETWORK_ADDRESS_FAMILY_IPV6] = "ipv6",
    [NETWORK_ADDRESS_FAMILY_UNIX] = "unix",
    [NETWORK_ADDRESS_FAMILY_UNKNOWN] = "unknown",
    [NETWORK_ADDRESS_FAMILY__MAX] = NULL,
};

void qapi_free_InetSocketAddress(InetSocketAddress *obj)
{
    if (obj) {
        g_free(obj->host);
        g_free(obj->port);
        g_free(obj);
    }
}

void qapi_free_UnixSocketAddress(UnixSocketAddress *obj)
{
    if (obj) {
        g_free(obj->path);
        g_free(obj);
    }
}

void qapi_free_String(String *obj)
{
    if (obj) {
        g_free(obj->str);
        g_free(obj);
    }
}

void qapi_free_SocketAddress(SocketAddress *obj)
{
    if (!obj) {
        return;
    }
    switch (obj->type) {
    case SOCKET_ADDRESS_KIND_INET:
        qapi_free_InetSocketAddress(obj->u.inet);
        break;
    case SOCKET_ADDRESS_KIND_UNIX:
        qapi_free_UnixSocketAddress(obj->u.q_unix);
        break;
    case SOCKET_ADDRESS_KIND_FD:
        qapi_free_String(obj->u.fd);
        break;
    default:
        break;
    }
    g_free(obj);
}

static InetSocketAddress *copy_inet(const InetSocketAddress *src)
{
    InetSocketAddress *dst = g_new(InetSocketAddress, 1);

    *dst = *src;
    dst->host = g_strdup(src->host);
    dst->port = g_strdup(src->port);
    return dst;
}

void qapi_copy_SocketAddress(SocketAddress **p_dest, SocketAddress *src)
{
    SocketAddress *dst = g_new0(SocketAddress, 1);

    dst->type = src->type;
    switch (src->type) {
    case SOCKET_ADDRESS_KIND_INET:
        if (src->u.inet) {
            dst->u.inet = copy_inet(src->u.inet);
        }
        break;
    case SOCKET_ADDRESS_KIND_UNIX:
        if (src->u.q_unix) {
            dst->u.q_unix = g_new0(UnixSocketAddress, 1);
            dst->u.q_unix->path = g_strdup(src->u.q_unix->path);
        }
        break;
    case SOCKET_ADDRESS_KIND_FD:
        if (src->u.fd) {
            dst->u.fd = g_new0(String, 1);
            dst->u.fd->str = g_strdup(src->u.fd->str);
        }
        break;
    default:
        break;
    }
    *p_dest = dst;
}
