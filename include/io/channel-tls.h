/*
 * QIOChannelTLS: a channel that runs a TLS session over another channel.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_CHANNEL_TLS_H__
#define QIO_CHANNEL_TLS_H__

#include "io/channel.h"
#include "io/task.h"
#include "crypto/tlssession.h"

/**
 * TYPE_QIO_CHANNEL_TLS:
 *
 * The QOM type name of TLS channels, "qio-channel-tls".
 */
#define TYPE_QIO_CHANNEL_TLS "qio-channel-tls"

/**
 * QIO_CHANNEL_TLS:
 * @obj: an object of type #TYPE_QIO_CHANNEL_TLS
 *
 * Checked cast to #QIOChannelTLS.
 */
#define QIO_CHANNEL_TLS(obj) \
    OBJECT_CHECK(QIOChannelTLS, (obj), TYPE_QIO_CHANNEL_TLS)

typedef struct QIOChannelTLS QIOChannelTLS;

/**
 * QIO_CHANNEL_TLS_ERR_PREMATURE_TERMINATION:
 *
 * The message of the error a read reports when the transport reached end
 * of file without the peer having sent TLS close_notify, meaning the data
 * may have been cut short by an attacker or a crash.  A read after
 * close_notify instead returns 0 (a clean end of file).  The text is
 * stable so callers and tests can match it.
 *
 * Since: libqio 0.1
 */
#define QIO_CHANNEL_TLS_ERR_PREMATURE_TERMINATION \
    "TLS peer closed the connection without sending close_notify " \
    "(premature termination)"

/**
 * QIOChannelTLS:
 * @parent: the channel
 * @master: the channel carrying the encrypted data
 * @session: the TLS session
 * @hs_ioc_tag: private: id of the pending handshake watch on @master
 * @hs_task: private: the handshake task in progress, or NULL
 * @bye_sent: private: whether our close_notify has gone out
 *
 * A TLS layer over any other channel (@master), typically a socket.  Data
 * written to it is encrypted and written to @master; data read from it
 * is read from @master and decrypted.  No file descriptors can be passed.
 *
 * Usage: create the channel with qio_channel_tls_new_server() or
 * qio_channel_tls_new_client(), run qio_channel_tls_handshake() (with a
 * non-blocking @master and a main loop running the default context), and
 * use the channel once the handshake's callback reports success.
 *
 * Blocking mode, delay, cork, shutdown and close are forwarded to
 * @master.  Shutting down the write side (%QIO_CHANNEL_SHUTDOWN_WRITE or
 * %QIO_CHANNEL_SHUTDOWN_BOTH) after the handshake first tries to send
 * close_notify without blocking, so that the peer sees a clean end of
 * file; use qio_channel_tls_bye() to be sure it went out.  Watches
 * combine @master's readiness with data already decrypted inside GnuTLS,
 * so a G_IO_IN watch fires even when the bytes are no longer visible on
 * @master.  A read returns 0 only after the peer's close_notify;
 * qio_channel_tls_bye() sends ours.  Closing does not send close_notify.
 * A write of 0 bytes returns 0 and sends nothing.
 *
 * Lifetime during the handshake: the handshake task holds a reference on
 * the channel, and through it on @master.  Dropping the caller's last
 * reference therefore does not stop the handshake: it goes on, and only
 * once it has ended with its callback (success, or failure when the peer
 * goes away) is the channel freed, releasing @master.  While the peer
 * stays silent that never happens, so a caller that may give up on a
 * handshake must end it in one of two ways:
 *
 * - qio_channel_close() on the TLS channel, before dropping the last
 *   reference to it: the pending watch on @master is removed and the
 *   callback runs, from within qio_channel_close(), with a "TLS handshake
 *   cancelled" error, before @master is closed.  Dropping the last
 *   reference then frees the channel at once, releasing @master.
 * - qio_channel_close() on @master, which works after the last reference
 *   to the TLS channel is gone (the caller keeps one to @master for
 *   that): its descriptor is closed immediately, and on the next
 *   iteration of the default main context the pending watch reports it
 *   (G_IO_NVAL), the callback runs with a "TLS handshake cancelled"
 *   error and the TLS channel is freed, dropping its reference to
 *   @master.  A descriptor opened before that iteration may take over
 *   the closed one's number, and the watch then waits on it instead, so
 *   let the main context run first.
 */
struct QIOChannelTLS {
    QIOChannel parent;
    QIOChannel *master;
    QCryptoTLSSession *session;
    guint hs_ioc_tag;
    QIOTask *hs_task;
    bool bye_sent;
};

/**
 * qio_channel_tls_new_server:
 * @master: the underlying channel
 * @creds: server credentials (endpoint "server")
 * @aclname: the name of a #qemu_acl the client's identity must be allowed
 *           by, or NULL to accept any client the credentials accept
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates the server end of a TLS session over @master, on which it takes
 * a reference.  Call qio_channel_tls_handshake() next.
 *
 * Returns: the new channel, or NULL with @errp set when the session cannot
 * be created (e.g. unloaded credentials or a client endpoint)
 */
QIOChannelTLS *
qio_channel_tls_new_server(QIOChannel *master,
                           QCryptoTLSCreds *creds,
                           const char *aclname,
                           Error **errp);

/**
 * qio_channel_tls_new_client:
 * @master: the underlying channel
 * @creds: client credentials (endpoint "client")
 * @hostname: the name the server's certificate must match, or NULL
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates the client end of a TLS session over @master, on which it takes
 * a reference.  The channel can be shut down if @master can.  Call
 * qio_channel_tls_handshake() next.
 *
 * Returns: the new channel, or NULL with @errp set when the session cannot
 * be created (e.g. unloaded credentials or a server endpoint)
 */
QIOChannelTLS *
qio_channel_tls_new_client(QIOChannel *master,
                           QCryptoTLSCreds *creds,
                           const char *hostname,
                           Error **errp);

/**
 * qio_channel_tls_handshake:
 * @ioc: the TLS channel
 * @func: called once the handshake has ended
 * @opaque: user data for @func
 * @destroy: frees @opaque after @func has run, or NULL
 *
 * Runs the TLS handshake and then validates the peer with
 * qcrypto_tls_session_check_credentials().  The first step runs at once;
 * later steps run from one-shot watches on the master in the default main
 * context, so @master must be non-blocking and a main loop must iterate
 * the default context.  @func receives @ioc as source and NULL on
 * success, or the error of the failed step (handshake, peer validation,
 * or cancellation by qio_channel_close() on @ioc or on its master; see
 * #QIOChannelTLS for the latter).  It may run before this call returns.
 * Only one handshake may run at a time.
 */
void qio_channel_tls_handshake(QIOChannelTLS *ioc,
                               QIOTaskFunc func,
                               gpointer opaque,
                               GDestroyNotify destroy);

/**
 * qio_channel_tls_bye:
 * @ioc: the TLS channel, after a successful handshake
 * @errp: pointer to a NULL-initialized error object
 *
 * Sends TLS close_notify so that the peer's reads end with a clean end of
 * file rather than #QIO_CHANNEL_TLS_ERR_PREMATURE_TERMINATION.  The
 * channel can still be read afterwards, e.g. to collect the peer's
 * close_notify.  On a non-blocking master that cannot take the data now,
 * wait for G_IO_OUT and call again.
 *
 * Returns: 0 once close_notify is sent, #QIO_CHANNEL_ERR_BLOCK when the
 * master would block, or -1 with @errp set on failure
 *
 * Since: libqio 0.1
 */
int qio_channel_tls_bye(QIOChannelTLS *ioc, Error **errp);

/**
 * qio_channel_tls_get_session:
 * @ioc: the TLS channel
 *
 * Gives access to the session, e.g. to query the peer's name or the key
 * size after the handshake.
 *
 * Returns: the session, owned by @ioc
 */
QCryptoTLSSession *
qio_channel_tls_get_session(QIOChannelTLS *ioc);

#endif /* QIO_CHANNEL_TLS_H__ */
