/*
 * BSD socket helpers and the SocketAddress layer: parsing address strings,
 * and creating connected, listening and datagram sockets from a
 * SocketAddress.
 *
 * Scope, compared with QEMU 2.5's header of the same name: everything
 * there is here with QEMU's signature, including the QemuOpts-based entry
 * points (socket_optslist, inet_listen_opts(), inet_connect_opts(),
 * inet_dgram_opts(), unix_listen_opts(), unix_connect_opts()), which turn
 * their options into a SocketAddress and share the code of the string
 * forms (inet_connect(), inet_listen(), unix_connect(), unix_listen() and
 * the non-blocking variants) and of the SocketAddress forms
 * (socket_connect(), socket_listen(), socket_dgram()).  The QemuOpts
 * support itself is the subset in "qemu/option.h", which this header
 * includes as QEMU's did.  send_all() and recv_all(), which QEMU kept in
 * its character device code, are here too, with QEMU's signatures; they
 * wait with poll() where QEMU spun on EAGAIN.
 *
 * qapi_copy_SocketAddress() and qapi_free_SocketAddress() are declared in
 * "qapi-types.h", which this header includes.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_SOCKET_H
#define QEMU_SOCKET_H

#include <sys/types.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/un.h>

#include "sysemu/os-posix.h"
#include "qapi/error.h"
#include "qapi-types.h"
#include "qemu/option.h"

/*
 * socket_error() and closesocket() come from "sysemu/os-posix.h";
 * qemu_set_block() and qemu_set_nonblock() are declared in "qemu/osdep.h",
 * which every source file includes first.
 */

/**
 * qemu_socket:
 * @domain: address family, as for socket(2)
 * @type: socket type, as for socket(2)
 * @protocol: protocol, as for socket(2)
 *
 * Creates a socket that is close-on-exec from the start, so that a
 * concurrent fork+exec in another thread cannot inherit it.
 *
 * Returns: the new descriptor, or -1 with errno set
 */
int qemu_socket(int domain, int type, int protocol);

/**
 * qemu_accept:
 * @s: a listening socket
 * @addr: receives the peer address, or NULL
 * @addrlen: in: the size of @addr; out: the size of the peer address
 *
 * Accepts a connection, returning a descriptor that is close-on-exec from
 * the start.  Interruption by a signal is not retried here: the caller
 * sees -1 with errno EINTR.
 *
 * Returns: the new descriptor, or -1 with errno set
 */
int qemu_accept(int s, struct sockaddr *addr, socklen_t *addrlen);

/**
 * socket_set_cork:
 * @fd: a TCP socket
 * @v: non-zero to hold back partial frames, zero to flush and stop
 *
 * Sets TCP_CORK on @fd where the host supports it.
 *
 * Returns: 0 on success (or when the host has no TCP_CORK), -1 with errno
 * set on failure
 */
int socket_set_cork(int fd, int v);

/**
 * socket_set_nodelay:
 * @fd: a TCP socket
 *
 * Sets TCP_NODELAY on @fd, turning Nagle's algorithm off.
 *
 * Returns: 0 on success, -1 with errno set on failure
 */
int socket_set_nodelay(int fd);

/**
 * socket_set_fast_reuse:
 * @fd: a socket that is not yet bound
 *
 * Sets SO_REUSEADDR, so that a listener can bind its port again while
 * connections of an earlier listener are still in TIME_WAIT.
 *
 * Returns: 0 on success, -1 with errno set on failure
 */
int socket_set_fast_reuse(int fd);

/**
 * send_all:
 * @fd: a socket, or any other descriptor open for writing
 * @buf: the data to write
 * @count: the number of bytes of @buf to write
 *
 * Writes all of @buf, however many calls that takes.  A call interrupted
 * by a signal is repeated; on a non-blocking descriptor, EAGAIN makes it
 * wait with poll() until @fd is writable again, so the call returns only
 * once everything was written or an error occurred.  On a socket the data
 * is sent with MSG_NOSIGNAL, so a peer that has gone away gives EPIPE
 * rather than SIGPIPE; any other kind of descriptor is written with
 * write(2) and follows the process's SIGPIPE disposition.
 *
 * Returns: @count once every byte is written (0 when @count is 0), or -1
 * with errno set: EINVAL for a negative @count, otherwise the error of the
 * failing call.  On failure some leading part of @buf may already have
 * been written.
 */
int send_all(int fd, const void *buf, int count);

/**
 * recv_all:
 * @fd: a socket, or any other descriptor open for reading
 * @buf: where to store the data
 * @len1: the number of bytes wanted
 * @single_read: true to return after the first read that gets any data
 *
 * Reads up to @len1 bytes into @buf.  A call interrupted by a signal is
 * repeated, and on a non-blocking descriptor EAGAIN makes it wait with
 * poll() until data arrives.  Without @single_read, reading goes on until
 * @len1 bytes have arrived or end of file is met; with it, the call
 * returns as soon as one read has stored at least one byte.
 *
 * Returns: the number of bytes stored in @buf.  That is @len1, except with
 * @single_read (the size of the first successful read, from 1 to @len1)
 * or at end of file (the bytes that came before it, so 0 when end of file
 * comes first).  0 when @len1 is 0, without reading.  -1 with errno set
 * when a read or poll fails, even if some bytes were already stored in
 * @buf, or with EINVAL for a negative @len1.
 */
int recv_all(int fd, void *buf, int len1, bool single_read);

/**
 * NonBlockingConnectHandler:
 * @fd: the connected socket, now owned by the handler; -1 on failure
 * @err: NULL on success; on failure the reason, which stays owned by the
 *       caller of the handler (do not free it)
 * @opaque: the pointer given when the connection was started
 *
 * Completion callback of a non-blocking connect.  It runs exactly once for
 * every connection attempt that did not fail synchronously, either from
 * inside socket_connect() (when the connection completed at once) or later
 * from the default GMainContext.
 */
typedef void NonBlockingConnectHandler(int fd, Error *err, void *opaque);

/**
 * socket_optslist:
 *
 * The options the *_opts() socket functions read, all checked by type when
 * set: "host", "port", "localaddr", "localport" and "path" (strings), "to"
 * (a number) and "ipv4", "ipv6" (booleans).  Their meaning is that of the
 * #InetSocketAddress and #UnixSocketAddress fields of the same names, and
 * "localaddr"/"localport" give the local end of inet_dgram_opts().  The
 * list has no implied option and does not merge; create groups from it
 * with qemu_opts_create() and free them with qemu_opts_del().
 */
extern QemuOptsList socket_optslist;

/**
 * inet_listen_opts:
 * @opts: options as in #socket_optslist: "host" (empty for every local
 *        address) and "port" must be set; "to", "ipv4" and "ipv6" are
 *        optional
 * @port_offset: added to the port (and to the end of a "to" range), unless
 *               the port is 0 or empty, which lets the kernel choose
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates a listening TCP socket, as socket_listen() does for the
 * equivalent #InetSocketAddress.  A "to" of 0 means no range, as in QEMU.
 *
 * Once the socket listens, the address it is bound to is written back
 * into @opts, as QEMU did: "host" becomes the numeric local address, and
 * "port" the bound port in decimal.  When @port_offset was added, it is
 * taken off again, so that a fixed port reads back as it was given and a
 * port picked from a range as the port before the offset; a port the
 * kernel chose reads back as it is.  Unlike QEMU 2.5, "ipv4" and "ipv6"
 * are left as they were rather than rewritten to name the family of the
 * socket.  Should writing back fail (only possible when @opts belongs to
 * a list that types "host" or "port" differently), the socket is closed
 * and the call fails.
 *
 * Returns: the listening socket, or -1 with @errp set (for example when
 * "host" or "port" is not set)
 */
int inet_listen_opts(QemuOpts *opts, int port_offset, Error **errp);

/**
 * inet_connect_opts:
 * @opts: options as in #socket_optslist: "host" and "port" must be set and
 *        not empty; "ipv4" and "ipv6" are optional
 * @errp: pointer to a NULL-initialized error object
 * @callback: NULL for a blocking connect; otherwise the completion
 *            callback of a non-blocking one
 * @opaque: passed to @callback
 *
 * Connects a TCP socket, as socket_connect() does for the equivalent
 * #InetSocketAddress, blocking or not.  @opts is not changed.
 *
 * Returns: as socket_connect(): the connected socket without @callback;
 * with it, a non-negative value when @callback has been or will be called;
 * -1 with @errp set when the attempt failed at once, in which case
 * @callback is never called
 */
int inet_connect_opts(QemuOpts *opts, Error **errp,
                      NonBlockingConnectHandler *callback, void *opaque);

/**
 * inet_dgram_opts:
 * @opts: options as in #socket_optslist: "port" must be set and not empty;
 *        "host" defaults to "localhost", "localaddr" to every local
 *        address and "localport" to a port the kernel chooses; "ipv4" and
 *        "ipv6" restrict the family of both ends
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates a UDP socket bound to the local address and connected to the
 * remote one, as socket_dgram() does.  @opts is not changed.
 *
 * Returns: the socket, or -1 with @errp set
 */
int inet_dgram_opts(QemuOpts *opts, Error **errp);

/**
 * unix_listen_opts:
 * @opts: options as in #socket_optslist: "path", the socket path
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates a listening UNIX stream socket, as socket_listen() does for a
 * unix address.  When "path" is not set or empty, a fresh path under
 * $TMPDIR (or /tmp) is picked and written back into @opts as "path", as
 * QEMU did, so that the caller can find it (and remove it when done).
 *
 * Returns: the listening socket, or -1 with @errp set; @opts is only
 * changed on success
 */
int unix_listen_opts(QemuOpts *opts, Error **errp);

/**
 * unix_connect_opts:
 * @opts: options as in #socket_optslist: "path" must be set and not empty
 * @errp: pointer to a NULL-initialized error object
 * @callback: NULL for a blocking connect; otherwise the completion
 *            callback of a non-blocking one
 * @opaque: passed to @callback
 *
 * Connects a UNIX stream socket, as socket_connect() does for a unix
 * address.  @opts is not changed.
 *
 * Returns: as inet_connect_opts()
 */
int unix_connect_opts(QemuOpts *opts, Error **errp,
                      NonBlockingConnectHandler *callback, void *opaque);

/**
 * inet_parse:
 * @str: an address such as "host:port", ":port", "[v6addr]:port",
 *       optionally followed by ",to=PORT", ",ipv4" and/or ",ipv6"
 * @errp: pointer to a NULL-initialized error object
 *
 * Parses a TCP/UDP address string.  The host may be empty (":5900") to
 * mean every local address.  A bracketed host is an IPv6 address and sets
 * the ipv6 flag; a host of the form a.b.c.d sets the ipv4 flag.  ",to="
 * gives the last port of a range a listener may pick from, ",ipv4" and
 * ",ipv6" restrict the address families used (both together allow both).
 * ",ipv4=on|off" and ",ipv6=on|off" are also accepted.
 *
 * Returns: a new address to free with qapi_free_InetSocketAddress(), or
 * NULL with @errp set to a message that quotes @str and says what was
 * expected where
 */
InetSocketAddress *inet_parse(const char *str, Error **errp);

/**
 * inet_listen:
 * @str: an address string accepted by inet_parse()
 * @ostr: if not NULL, receives the address actually bound, in the same
 *        syntax as @str ("host:port" or "[host]:port", followed by any
 *        options of @str), truncated to @olen bytes
 * @olen: the size of @ostr
 * @socktype: the socket type; only SOCK_STREAM is supported
 * @port_offset: added to the port (and to the end of a ",to=" range)
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates a listening TCP socket, as socket_listen() does for an inet
 * address.
 *
 * Returns: the listening socket, or -1 with @errp set
 */
int inet_listen(const char *str, char *ostr, int olen,
                int socktype, int port_offset, Error **errp);

/**
 * inet_connect:
 * @str: an address string accepted by inet_parse()
 * @errp: pointer to a NULL-initialized error object
 *
 * Connects a TCP socket, blocking until the connection is established.
 * Every address the host name resolves to is tried in turn.
 *
 * Returns: the connected socket, or -1 with @errp set
 */
int inet_connect(const char *str, Error **errp);

/**
 * inet_nonblocking_connect:
 * @str: an address string accepted by inet_parse()
 * @callback: called once the connection is established or has failed
 * @opaque: passed to @callback
 * @errp: pointer to a NULL-initialized error object
 *
 * Starts a non-blocking TCP connect, as socket_connect() does with a
 * callback.
 *
 * Returns: a non-negative value while the attempt is under way or has
 * completed (use the descriptor given to @callback, not this value), or
 * -1 with @errp set when it failed at once, in which case @callback is
 * not called
 */
int inet_nonblocking_connect(const char *str,
                             NonBlockingConnectHandler *callback,
                             void *opaque, Error **errp);

/**
 * inet_netfamily:
 * @family: an address family such as AF_INET
 *
 * Returns: the #NetworkAddressFamily for @family:
 * NETWORK_ADDRESS_FAMILY_IPV4, _IPV6, _UNIX, or _UNKNOWN for any other
 */
NetworkAddressFamily inet_netfamily(int family);

/**
 * unix_listen:
 * @path: the socket path; an empty string picks a fresh path under
 *        $TMPDIR (or /tmp).  Anything from the first ',' on is ignored.
 * @ostr: if not NULL, receives the path actually bound, truncated to
 *        @olen bytes
 * @olen: the size of @ostr
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates a listening UNIX stream socket, as socket_listen() does for a
 * unix address.
 *
 * Returns: the listening socket, or -1 with @errp set
 */
int unix_listen(const char *path, char *ostr, int olen, Error **errp);

/**
 * unix_connect:
 * @path: the socket path
 * @errp: pointer to a NULL-initialized error object
 *
 * Connects a UNIX stream socket, blocking until it is established.
 *
 * Returns: the connected socket, or -1 with @errp set
 */
int unix_connect(const char *path, Error **errp);

/**
 * unix_nonblocking_connect:
 * @str: the socket path
 * @callback: called once the connection is established or has failed
 * @opaque: passed to @callback
 * @errp: pointer to a NULL-initialized error object
 *
 * Starts a non-blocking UNIX stream connect, as socket_connect() does
 * with a callback.
 *
 * Returns: as inet_nonblocking_connect()
 */
int unix_nonblocking_connect(const char *str,
                             NonBlockingConnectHandler *callback,
                             void *opaque, Error **errp);

/**
 * socket_parse:
 * @str: "unix:PATH", "fd:N", or an inet address accepted by inet_parse()
 * @errp: pointer to a NULL-initialized error object
 *
 * Parses any socket address string.  For "fd:N", N must be a decimal
 * number naming a descriptor that is already open in this process (QEMU
 * looked the name up in its monitor; a standalone library takes the
 * number itself).
 *
 * Returns: a new address to free with qapi_free_SocketAddress(), or NULL
 * with @errp set to a message that quotes @str and says what was expected
 */
SocketAddress *socket_parse(const char *str, Error **errp);

/**
 * socket_connect:
 * @addr: the address to connect to
 * @errp: pointer to a NULL-initialized error object
 * @callback: NULL for a blocking connect; otherwise the completion
 *            callback of a non-blocking one
 * @opaque: passed to @callback
 *
 * Creates a stream socket connected to @addr.
 *
 * inet: the host and port are resolved with getaddrinfo(), honouring the
 * ipv4/ipv6 restrictions, and each result is tried in order until one
 * connects.  unix: the path must fit in sun_path.  fd: the decimal
 * descriptor number in @addr's string is validated to be an open socket
 * and its ownership passes to the caller (or to @callback).
 *
 * Without @callback the call blocks until the connection is established
 * and returns the connected (blocking) socket.  With @callback, the socket
 * is made non-blocking and, if the connection cannot complete at once,
 * the rest of the work (including falling back to later addresses) runs
 * from a watch on the default GMainContext, so that context must be
 * iterated; @callback then receives the final socket, which stays
 * non-blocking.
 *
 * Returns: the socket (blocking case); with @callback, a non-negative
 * value when @callback has been or will be called (the descriptor to use
 * is the one @callback receives); -1 with @errp set when the attempt
 * failed at once (resolution failure, every address refused, bad path),
 * in which case @callback is never called
 */
int socket_connect(SocketAddress *addr, Error **errp,
                   NonBlockingConnectHandler *callback, void *opaque);

/**
 * socket_listen:
 * @addr: the address to listen on
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates a listening stream socket.
 *
 * inet: a NULL or empty host means every local address.  A NULL, empty or
 * "0" port lets the kernel choose one (read it back with
 * socket_local_address()).  With @addr's "to" set, ports from the given
 * one up to "to" are tried until one is free.  SO_REUSEADDR is set.  An
 * IPv6 socket also accepts IPv4 connections unless the address restricts
 * it to IPv6 (ipv6 set and ipv4 not).  Every getaddrinfo() result is tried
 * in order.  Up to SOMAXCONN connections may wait to be accepted (QEMU 2.5
 * used a backlog of 1).
 *
 * unix: a path too long for sun_path is an error.  An existing socket at
 * the path is taken to be stale and unlinked before binding; an existing
 * file of any other kind is left alone and binding fails.  A NULL or
 * empty path picks a fresh one under $TMPDIR (or /tmp); @addr is not
 * modified, read the path back with socket_local_address().
 *
 * fd: as for socket_connect(); the descriptor is returned as it is.
 *
 * Returns: the listening (blocking) socket, or -1 with @errp set
 */
int socket_listen(SocketAddress *addr, Error **errp);

/**
 * socket_dgram:
 * @remote: the peer address; must be inet, with host and port
 * @local: the local address to bind, or NULL for any address with a
 *         kernel-chosen port; must be inet when given
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates a UDP socket bound to @local and connected to @remote.  Each
 * address @remote resolves to is tried in order; @local is resolved in
 * the same family.  Only inet addresses are supported, as in QEMU.
 *
 * Returns: the socket, or -1 with @errp set
 */
int socket_dgram(SocketAddress *remote, SocketAddress *local, Error **errp);

/**
 * parse_host_port:
 * @saddr: receives the IPv4 address and port
 * @str: "host:port"; an empty host means INADDR_ANY
 *
 * Old IPv4-only parser, kept for code that still uses it.  The host is a
 * dotted quad or a name resolved to its first IPv4 address.
 *
 * Returns: 0 on success, -1 on a malformed string or unknown host
 */
int parse_host_port(struct sockaddr_in *saddr, const char *str);

/**
 * socket_init:
 *
 * Initializes the host's socket layer.  POSIX needs nothing, so this only
 * exists for code written for hosts that do.
 *
 * Returns: 0
 */
int socket_init(void);

/**
 * socket_sockaddr_to_address:
 * @sa: a socket address
 * @salen: the length of @sa
 * @errp: pointer to a NULL-initialized error object
 *
 * Converts a raw socket address into a #SocketAddress.  IPv4 and IPv6
 * give an inet address with a numeric host and port and the ipv4 or ipv6
 * flag set; AF_UNIX gives a unix address whose path is NULL for an unnamed
 * or abstract socket.
 *
 * Returns: a new address to free with qapi_free_SocketAddress(), or NULL
 * with @errp set for an unsupported family or an unconvertible address
 */
SocketAddress *socket_sockaddr_to_address(struct sockaddr_storage *sa,
                                          socklen_t salen, Error **errp);

/**
 * socket_local_address:
 * @fd: a socket
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the address @fd is bound to, as socket_sockaddr_to_address()
 * gives it, or NULL with @errp set
 *
 * Since: libqio 0.1
 */
SocketAddress *socket_local_address(int fd, Error **errp);

/**
 * socket_remote_address:
 * @fd: a connected socket
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the address of @fd's peer, as socket_sockaddr_to_address()
 * gives it, or NULL with @errp set (for example when @fd is not connected)
 *
 * Since: libqio 0.1
 */
SocketAddress *socket_remote_address(int fd, Error **errp);

#endif /* QEMU_SOCKET_H */
