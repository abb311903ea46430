/*
 * The QAPI types libqio uses, in the layout QEMU 2.5's generator produced:
 * plain structs with has_ flags for optional scalars, and a SocketAddress
 * tagged union whose members are pointers (u.inet, u.q_unix, u.fd).
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QAPI_TYPES_H
#define QAPI_TYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef struct InetSocketAddress InetSocketAddress;
typedef struct UnixSocketAddress UnixSocketAddress;
typedef struct String String;
typedef struct SocketAddress SocketAddress;

/**
 * InetSocketAddress:
 * @host: host name or numeric address
 * @port: service name or port number; NULL or "0" lets the kernel choose
 *        when listening
 * @has_to: whether @to is set
 * @to: when listening, the last port of a range to try after @port
 * @has_ipv4: whether @ipv4 is set
 * @ipv4: restrict to (true) or exclude (false) IPv4
 * @has_ipv6: whether @ipv6 is set
 * @ipv6: restrict to (true) or exclude (false) IPv6
 *
 * A TCP/UDP endpoint.
 */
struct InetSocketAddress {
    char *host;
    char *port;
    bool has_to;
    uint16_t to;
    bool has_ipv4;
    bool ipv4;
    bool has_ipv6;
    bool ipv6;
};

/**
 * UnixSocketAddress:
 * @path: filesystem path of the socket
 *
 * A UNIX domain socket endpoint.
 */
struct UnixSocketAddress {
    char *path;
};

/**
 * String:
 * @str: the string
 *
 * A boxed string; SocketAddress uses it for the fd kind, where it holds
 * the number of an already-open descriptor.
 */
struct String {
    char *str;
};

/**
 * SocketAddressKind:
 * @SOCKET_ADDRESS_KIND_INET: an #InetSocketAddress
 * @SOCKET_ADDRESS_KIND_UNIX: a #UnixSocketAddress
 * @SOCKET_ADDRESS_KIND_FD: a #String naming an open file descriptor
 * @SOCKET_ADDRESS_KIND__MAX: the number of kinds
 *
 * Which member of #SocketAddress is valid.
 */
typedef enum SocketAddressKind {
    SOCKET_ADDRESS_KIND_INET = 0,
    SOCKET_ADDRESS_KIND_UNIX = 1,
    SOCKET_ADDRESS_KIND_FD = 2,
    SOCKET_ADDRESS_KIND__MAX = 3,
} SocketAddressKind;

/**
 * SocketAddressKind_lookup:
 *
 * The QAPI names of #SocketAddressKind ("inet", "unix", "fd"), indexed by
 * value and NULL-terminated.
 */
extern const char *const SocketAddressKind_lookup[];

/**
 * SocketAddress:
 * @type: which union member is valid
 * @u: the address itself
 *
 * Any socket endpoint libqio can connect to or listen on.
 */
struct SocketAddress {
    SocketAddressKind type;
    union {
        void *data;
        InetSocketAddress *inet;
        UnixSocketAddress *q_unix;
        String *fd;
    } u;
};

/**
 * QCryptoTLSCredsEndpoint:
 * @QCRYPTO_TLS_CREDS_ENDPOINT_CLIENT: credentials for the connecting side
 * @QCRYPTO_TLS_CREDS_ENDPOINT_SERVER: credentials for the listening side
 * @QCRYPTO_TLS_CREDS_ENDPOINT__MAX: the number of endpoints
 *
 * Which end of a TLS session a set of credentials serves.
 */
typedef enum QCryptoTLSCredsEndpoint {
    QCRYPTO_TLS_CREDS_ENDPOINT_CLIENT = 0,
    QCRYPTO_TLS_CREDS_ENDPOINT_SERVER = 1,
    QCRYPTO_TLS_CREDS_ENDPOINT__MAX = 2,
} QCryptoTLSCredsEndpoint;

/**
 * QCryptoTLSCredsEndpoint_lookup:
 *
 * "client", "server", NULL.
 */
extern const char *const QCryptoTLSCredsEndpoint_lookup[];

/**
 * NetworkAddressFamily:
 * @NETWORK_ADDRESS_FAMILY_IPV4: IPv4
 * @NETWORK_ADDRESS_FAMILY_IPV6: IPv6
 * @NETWORK_ADDRESS_FAMILY_UNIX: UNIX domain
 * @NETWORK_ADDRESS_FAMILY_UNKNOWN: anything else
 * @NETWORK_ADDRESS_FAMILY__MAX: the number of families
 *
 * The address family of a socket, as QEMU reports it.
 */
typedef enum NetworkAddressFamily {
    NETWORK_ADDRESS_FAMILY_IPV4 = 0,
    NETWORK_ADDRESS_FAMILY_IPV6 = 1,
    NETWORK_ADDRESS_FAMILY_UNIX = 2,
    NETWORK_ADDRESS_FAMILY_UNKNOWN = 3,
    NETWORK_ADDRESS_FAMILY__MAX = 4,
} NetworkAddressFamily;

/**
 * NetworkAddressFamily_lookup:
 *
 * "ipv4", "ipv6", "unix", "unknown", NULL.
 */
extern const char *const NetworkAddressFamily_lookup[];

/**
 * qapi_free_InetSocketAddress:
 * @obj: an address, or NULL
 *
 * Frees @obj and every string it owns.
 */
void qapi_free_InetSocketAddress(InetSocketAddress *obj);

/**
 * qapi_free_UnixSocketAddress:
 * @obj: an address, or NULL
 *
 * Frees @obj and its path.
 */
void qapi_free_UnixSocketAddress(UnixSocketAddress *obj);

/**
 * qapi_free_String:
 * @obj: a boxed string, or NULL
 *
 * Frees @obj and its string.
 */
void qapi_free_String(String *obj);

/**
 * qapi_free_SocketAddress:
 * @obj: an address, or NULL
 *
 * Frees @obj and the union member selected by its type.
 */
void qapi_free_SocketAddress(SocketAddress *obj);

/**
 * qapi_copy_SocketAddress:
 * @p_dest: receives a newly allocated deep copy
 * @src: the address to copy
 *
 * Deep-copies @src; free the copy with qapi_free_SocketAddress().
 */
void qapi_copy_SocketAddress(SocketAddress **p_dest, SocketAddress *src);

#endif /* QAPI_TYPES_H */
