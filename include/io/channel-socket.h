/*
 * libqio: the socket channel, a QIOChannel on a TCP, UDP or UNIX socket.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_CHANNEL_SOCKET_H__
#define QIO_CHANNEL_SOCKET_H__

#include "io/channel.h"
#include "io/task.h"
#include "qemu/sockets.h"

/**
 * TYPE_QIO_CHANNEL_SOCKET:
 *
 * The QOM type name of #QIOChannelSocket.
 */
#define TYPE_QIO_CHANNEL_SOCKET "qio-channel-socket"

/**
 * QIO_CHANNEL_SOCKET:
 * @obj: an object
 *
 * Casts @obj to #QIOChannelSocket, with the type check of OBJECT_CHECK().
 */
#define QIO_CHANNEL_SOCKET(obj)                                     \
    OBJECT_CHECK(QIOChannelSocket, (obj), TYPE_QIO_CHANNEL_SOCKET)

typedef struct QIOChannelSocket QIOChannelSocket;

/**
 * SOCKET_MAX_FDS:
 *
 * The largest number of file descriptors one qio_channel_writev_full()
 * call can send, and one qio_channel_readv_full() call can receive, over
 * a UNIX socket channel.
 *
 * Since: libqio 0.1
 */
#define SOCKET_MAX_FDS 16

/**
 * QIOChannelSocket:
 * @fd: the socket, or -1 when the channel holds none (not yet connected,
 *      or closed)
 * @localAddr: the address the socket is bound to
 * @localAddrLen: the length of @localAddr
 * @remoteAddr: the address of the peer; all zero when there is none
 * @remoteAddrLen: the length of @remoteAddr, 0 when there is no peer
 * @listenPathOwned: private to libqio (Since: libqio 0.1): whether this
 *                   channel bound the UNIX socket file it listens on
 * @listenPathDev: private to libqio: device of that socket file
 * @listenPathIno: private to libqio: inode of that socket file
 *
 * A channel on a stream or datagram socket.  The channel owns @fd and
 * closes it when closed or finalized.
 *
 * Features: every socket channel has %QIO_CHANNEL_FEATURE_SHUTDOWN; one
 * on a UNIX socket also has %QIO_CHANNEL_FEATURE_FD_PASS; a listening one
 * has %QIO_CHANNEL_FEATURE_LISTEN.
 *
 * Writes use MSG_NOSIGNAL: writing to a connection the peer has closed
 * fails with EPIPE in the error and never raises SIGPIPE.
 *
 * Descriptors received on a UNIX socket arrive close-on-exec and in
 * blocking mode.  A read that did not ask for descriptors (NULL @fds in
 * qio_channel_readv_full()) closes any that arrive, so they never leak.
 *
 * A listener that bound a UNIX socket path itself (through
 * qio_channel_socket_listen_sync() or _async() with a unix address)
 * removes that path when it is closed or finalized, provided the path
 * still names the socket it bound.  No other channel ever removes a path:
 * not clients, not accepted connections, and not a listener adopted with
 * qio_channel_socket_new_fd().
 */
struct QIOChannelSocket {
    QIOChannel parent;
    int fd;
    struct sockaddr_storage localAddr;
    socklen_t localAddrLen;
    struct sockaddr_storage remoteAddr;
    socklen_t remoteAddrLen;

    bool listenPathOwned;
    dev_t listenPathDev;
    ino_t listenPathIno;
};

/**
 * qio_channel_socket_new:
 *
 * Creates a socket channel that holds no socket yet; give it one with
 * qio_channel_socket_connect_sync(), qio_channel_socket_listen_sync(),
 * qio_channel_socket_dgram_sync() or their asynchronous forms.
 *
 * Returns: the new channel (free with object_unref())
 */
QIOChannelSocket *qio_channel_socket_new(void);

/**
 * qio_channel_socket_new_fd:
 * @fd: an open socket
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates a channel that adopts the already open socket @fd, recording
 * its local and (when connected) remote addresses.  The channel gets
 * %QIO_CHANNEL_FEATURE_FD_PASS when @fd is a UNIX socket and
 * %QIO_CHANNEL_FEATURE_LISTEN when it is listening.
 *
 * Returns: the new channel, which owns @fd from now on; or NULL with
 * @errp set when @fd is not a usable socket, in which case @fd stays
 * open and owned by the caller
 */
QIOChannelSocket *qio_channel_socket_new_fd(int fd,
                                            Error **errp);

/**
 * qio_channel_socket_connect_sync:
 * @ioc: a channel that holds no socket yet
 * @addr: the address to connect to
 * @errp: pointer to a NULL-initialized error object
 *
 * Connects @ioc to @addr, blocking until the connection is established
 * (see socket_connect() for how each kind of address is handled).
 *
 * Returns: 0 on success, -1 with @errp set on failure (including when
 * @ioc already holds a socket)
 */
int qio_channel_socket_connect_sync(QIOChannelSocket *ioc,
                                    SocketAddress *addr,
                                    Error **errp);

/**
 * qio_channel_socket_connect_async:
 * @ioc: a channel that holds no socket yet
 * @addr: the address to connect to; copied, so it may be freed at once
 * @callback: called in the main loop when the connection is established
 *            or has failed
 * @opaque: passed to @callback
 * @destroy: frees @opaque once @callback has run, or NULL
 *
 * Runs qio_channel_socket_connect_sync() in a worker thread.  @callback
 * receives @ioc as its source and the error, if any; it runs from the
 * default GMainContext, which must therefore be iterated.
 */
void qio_channel_socket_connect_async(QIOChannelSocket *ioc,
                                      SocketAddress *addr,
                                      QIOTaskFunc callback,
                                      gpointer opaque,
                                      GDestroyNotify destroy);

/**
 * qio_channel_socket_listen_sync:
 * @ioc: a channel that holds no socket yet
 * @addr: the address to listen on
 * @errp: pointer to a NULL-initialized error object
 *
 * Makes @ioc a listener on @addr (see socket_listen(): a NULL, empty or
 * "0" port lets the kernel choose one, which
 * qio_channel_socket_get_local_address() then reports).  The channel gets
 * %QIO_CHANNEL_FEATURE_LISTEN.
 *
 * Returns: 0 on success, -1 with @errp set on failure
 */
int qio_channel_socket_listen_sync(QIOChannelSocket *ioc,
                                   SocketAddress *addr,
                                   Error **errp);

/**
 * qio_channel_socket_listen_async:
 * @ioc: a channel that holds no socket yet
 * @addr: the address to listen on; copied, so it may be freed at once
 * @callback: called in the main loop when listening has started or failed
 * @opaque: passed to @callback
 * @destroy: frees @opaque once @callback has run, or NULL
 *
 * Runs qio_channel_socket_listen_sync() in a worker thread, reporting as
 * qio_channel_socket_connect_async() does.
 */
void qio_channel_socket_listen_async(QIOChannelSocket *ioc,
                                     SocketAddress *addr,
                                     QIOTaskFunc callback,
                                     gpointer opaque,
                                     GDestroyNotify destroy);

/**
 * qio_channel_socket_dgram_sync:
 * @ioc: a channel that holds no socket yet
 * @localAddr: the local address to bind, or NULL for any
 * @remoteAddr: the peer to exchange datagrams with
 * @errp: pointer to a NULL-initialized error object
 *
 * Gives @ioc a UDP socket bound to @localAddr and connected to
 * @remoteAddr (see socket_dgram(); only inet addresses are supported).
 * Each write sends one datagram and each read receives one.
 *
 * Returns: 0 on success, -1 with @errp set on failure
 */
int qio_channel_socket_dgram_sync(QIOChannelSocket *ioc,
                                  SocketAddress *localAddr,
                                  SocketAddress *remoteAddr,
                                  Error **errp);

/**
 * qio_channel_socket_dgram_async:
 * @ioc: a channel that holds no socket yet
 * @localAddr: the local address, or NULL; copied
 * @remoteAddr: the peer address; copied
 * @callback: called in the main loop when the socket is ready or failed
 * @opaque: passed to @callback
 * @destroy: frees @opaque once @callback has run, or NULL
 *
 * Runs qio_channel_socket_dgram_sync() in a worker thread, reporting as
 * qio_channel_socket_connect_async() does.
 */
void qio_channel_socket_dgram_async(QIOChannelSocket *ioc,
                                    SocketAddress *localAddr,
                                    SocketAddress *remoteAddr,
                                    QIOTaskFunc callback,
                                    gpointer opaque,
                                    GDestroyNotify destroy);

/**
 * qio_channel_socket_get_local_address:
 * @ioc: the channel
 * @errp: pointer to a NULL-initialized error object
 *
 * Describes the address the socket is bound to: for inet a numeric host
 * and port with the ipv4 or ipv6 flag set, for UNIX the path (NULL for an
 * unnamed socket).
 *
 * Returns: a new address to free with qapi_free_SocketAddress(), or NULL
 * with @errp set (no socket, or an unsupported family)
 */
SocketAddress *
qio_channel_socket_get_local_address(QIOChannelSocket *ioc,
                                     Error **errp);

/**
 * qio_channel_socket_get_remote_address:
 * @ioc: the channel
 * @errp: pointer to a NULL-initialized error object
 *
 * Describes the address of the peer, as
 * qio_channel_socket_get_local_address() does for the local end.
 *
 * Returns: a new address to free with qapi_free_SocketAddress(), or NULL
 * with @errp set (for example when the socket is not connected)
 */
SocketAddress *
qio_channel_socket_get_remote_address(QIOChannelSocket *ioc,
                                      Error **errp);

/**
 * qio_channel_socket_accept:
 * @ioc: a listening channel
 * @errp: pointer to a NULL-initialized error object
 *
 * Accepts the next connection, retrying when interrupted by a signal.
 * The new channel's socket is close-on-exec and blocking, its local and
 * remote addresses are recorded, and it has
 * %QIO_CHANNEL_FEATURE_FD_PASS on a UNIX listener.  On a non-blocking
 * listener with no pending connection this fails with EAGAIN in the error
 * message: wait for G_IO_IN on @ioc first.
 *
 * Returns: the new channel, or NULL with @errp set
 */
QIOChannelSocket *
qio_channel_socket_accept(QIOChannelSocket *ioc,
                          Error **errp);

#endif /* QIO_CHANNEL_SOCKET_H__ */
