/*
 * QCryptoTLSSession: one TLS session over caller-supplied I/O callbacks.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QCRYPTO_TLSSESSION_H
#define QCRYPTO_TLSSESSION_H

#include "crypto/tlscreds.h"

/**
 * QCryptoTLSSession:
 *
 * An opaque TLS session.  It does no I/O of its own: the bytes it sends
 * and receives travel through the callbacks given to
 * qcrypto_tls_session_set_callbacks(), so the session can run over any
 * transport.  A typical server:
 *
 * |[
 *   sess = qcrypto_tls_session_new(creds, NULL, "vnc.acl",
 *                                  QCRYPTO_TLS_CREDS_ENDPOINT_SERVER,
 *                                  &err);
 *   qcrypto_tls_session_set_callbacks(sess, my_write, my_read, sockptr);
 *   do {
 *       rv = qcrypto_tls_session_handshake(sess, &err);
 *       ...wait for the direction given by
 *          qcrypto_tls_session_get_handshake_status()...
 *   } while (rv == 1);
 *   if (rv == 0 && qcrypto_tls_session_check_credentials(sess, &err) == 0)
 *       ...qcrypto_tls_session_read()/write()...
 * ]|
 *
 * A session is used by one thread at a time, except that one thread may
 * read while another writes.
 */
typedef struct QCryptoTLSSession QCryptoTLSSession;

/**
 * qcrypto_tls_session_new:
 * @creds: loaded credentials (anon, x509 or PSK)
 * @hostname: for a client, the name the server's certificate must match,
 *            or NULL to skip that check
 * @aclname: for a server, the name of a #qemu_acl that the client's
 *           identity (its certificate's distinguished name, or its PSK
 *           username) must be allowed by, or NULL to skip that check
 * @endpoint: whether this end is the client or the server; it must match
 *            the credentials' endpoint
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates a session, keeping a reference on @creds.  Anonymous
 * credentials use the priority string "NORMAL:+ANON-ECDH:+ANON-DH", PSK
 * credentials "NORMAL:+ECDHE-PSK:+DHE-PSK:+PSK", and x509 credentials
 * "NORMAL"; all allow TLS 1.3 where the key exchange exists in it.  An
 * x509 server asks the client for a certificate, and an x509 client whose
 * @hostname is a DNS name sends it as server name indication.
 *
 * Returns: the new session, or NULL with @errp set when the credentials
 * are of an unsupported type, are not loaded, or serve the other endpoint
 */
QCryptoTLSSession *qcrypto_tls_session_new(QCryptoTLSCreds *creds,
                                           const char *hostname,
                                           const char *aclname,
                                           QCryptoTLSCredsEndpoint endpoint,
                                           Error **errp);

/**
 * qcrypto_tls_session_free:
 * @sess: a session, or NULL
 *
 * Releases the session and its reference on the credentials.  No
 * close_notify is sent; see qcrypto_tls_session_bye().
 */
void qcrypto_tls_session_free(QCryptoTLSSession *sess);

/**
 * qcrypto_tls_session_check_credentials:
 * @sess: a session whose handshake has completed
 * @errp: pointer to a NULL-initialized error object
 *
 * Validates the peer.  Anonymous credentials, and x509 credentials with
 * "verify-peer" off, always pass.  Otherwise, for x509, the peer must
 * have sent a certificate (so a verifying server requires client
 * certificates), it must verify against the trusted CAs, every
 * certificate of the chain must be within its validity window, the
 * leaf's distinguished name (e.g. "C=UK,CN=qemu") must be allowed by the
 * session's ACL when one was named, and the leaf must match the session's
 * hostname when one was given.  For PSK, GnuTLS has already proved that
 * the peer knows the key; a server additionally checks the client's
 * username against the ACL when one was named.
 *
 * The peer's identity becomes available from
 * qcrypto_tls_session_get_peer_name().
 *
 * Returns: 0 when the peer is acceptable, -1 with @errp set otherwise
 */
int qcrypto_tls_session_check_credentials(QCryptoTLSSession *sess,
                                          Error **errp);

/**
 * QCryptoTLSSessionWriteFunc:
 * @buf: bytes to send
 * @len: number of bytes in @buf
 * @opaque: the pointer given to qcrypto_tls_session_set_callbacks()
 *
 * Sends encrypted bytes to the peer.
 *
 * Returns: the number of bytes sent, or -1 with errno set (EAGAIN when
 * the transport would block)
 */
typedef ssize_t (*QCryptoTLSSessionWriteFunc)(const char *buf,
                                              size_t len,
                                              void *opaque);

/**
 * QCryptoTLSSessionReadFunc:
 * @buf: where to store received bytes
 * @len: room in @buf
 * @opaque: the pointer given to qcrypto_tls_session_set_callbacks()
 *
 * Receives encrypted bytes from the peer.
 *
 * Returns: the number of bytes received, 0 when the transport reached
 * end of file, or -1 with errno set (EAGAIN when it would block)
 */
typedef ssize_t (*QCryptoTLSSessionReadFunc)(char *buf,
                                             size_t len,
                                             void *opaque);

/**
 * qcrypto_tls_session_set_callbacks:
 * @sess: the session
 * @writeFunc: sends encrypted data
 * @readFunc: receives encrypted data
 * @opaque: passed to both callbacks
 *
 * Connects the session to its transport.  Until this is called, any
 * transport I/O fails with EIO.
 */
void qcrypto_tls_session_set_callbacks(QCryptoTLSSession *sess,
                                       QCryptoTLSSessionWriteFunc writeFunc,
                                       QCryptoTLSSessionReadFunc readFunc,
                                       void *opaque);

/**
 * qcrypto_tls_session_write:
 * @sess: a session whose handshake has completed
 * @buf: plain text to send
 * @len: number of bytes in @buf
 *
 * Encrypts and sends data.  When the transport would block, call again
 * later with the same data.
 *
 * Returns: the number of bytes consumed, or -1 with errno EAGAIN (the
 * transport would block), EINTR, or EIO (any other failure)
 */
ssize_t qcrypto_tls_session_write(QCryptoTLSSession *sess,
                                  const char *buf,
                                  size_t len);

/**
 * qcrypto_tls_session_read:
 * @sess: a session whose handshake has completed
 * @buf: where to store plain text
 * @len: room in @buf
 *
 * Receives and decrypts data.  GnuTLS may keep decrypted bytes beyond
 * @len; qcrypto_tls_session_check_pending() tells how many.
 *
 * Returns: the number of bytes read; 0 when the peer closed the session
 * cleanly with close_notify; or -1 with errno EAGAIN (the transport would
 * block), EINTR, ECONNABORTED (the transport reached end of file without
 * close_notify, so the data may have been truncated), or EIO (any other
 * failure)
 */
ssize_t qcrypto_tls_session_read(QCryptoTLSSession *sess,
                                 char *buf,
                                 size_t len);

/**
 * qcrypto_tls_session_check_pending:
 * @sess: a session
 *
 * Tells how much decrypted data GnuTLS holds that has not been read yet.
 * Such data is invisible to a poll on the transport, so an event loop
 * must check this before waiting for the transport to become readable.
 *
 * Returns: the number of bytes that qcrypto_tls_session_read() can return
 * without reading the transport (0 when none)
 *
 * Since: libqio 0.1
 */
size_t qcrypto_tls_session_check_pending(QCryptoTLSSession *sess);

/**
 * qcrypto_tls_session_handshake:
 * @sess: the session
 * @errp: pointer to a NULL-initialized error object
 *
 * Runs the handshake as far as the transport allows without blocking.
 * When it returns 1, wait until the transport is ready in the direction
 * given by qcrypto_tls_session_get_handshake_status() and call again.
 *
 * Returns: 0 when the handshake has completed, 1 when it must be called
 * again, or -1 with @errp set when it failed
 */
int qcrypto_tls_session_handshake(QCryptoTLSSession *sess,
                                  Error **errp);

/**
 * QCryptoTLSSessionHandshakeStatus:
 * @QCRYPTO_TLS_HANDSHAKE_COMPLETE: the handshake is done
 * @QCRYPTO_TLS_HANDSHAKE_SENDING: waiting to send to the transport
 * @QCRYPTO_TLS_HANDSHAKE_RECVING: waiting for data from the transport
 *
 * Where a handshake stands.
 */
typedef enum {
    QCRYPTO_TLS_HANDSHAKE_COMPLETE,
    QCRYPTO_TLS_HANDSHAKE_SENDING,
    QCRYPTO_TLS_HANDSHAKE_RECVING,
} QCryptoTLSSessionHandshakeStatus;

/**
 * qcrypto_tls_session_get_handshake_status:
 * @sess: the session
 *
 * Returns: #QCRYPTO_TLS_HANDSHAKE_COMPLETE once the handshake has
 * completed; otherwise #QCRYPTO_TLS_HANDSHAKE_RECVING when the last
 * interrupted transport operation was a read and
 * #QCRYPTO_TLS_HANDSHAKE_SENDING when it was a write
 */
QCryptoTLSSessionHandshakeStatus
qcrypto_tls_session_get_handshake_status(QCryptoTLSSession *sess);

/**
 * qcrypto_tls_session_bye:
 * @sess: a session whose handshake has completed
 * @errp: pointer to a NULL-initialized error object
 *
 * Sends close_notify, telling the peer that no more data follows so that
 * its reads end with a clean end of file (0) instead of a premature
 * termination error.  The session can still receive data afterwards.
 * When it returns 1, wait until the transport is writable and call again.
 *
 * Returns: 0 once close_notify has been sent, 1 when the transport would
 * block, or -1 with @errp set on failure
 *
 * Since: libqio 0.1
 */
int qcrypto_tls_session_bye(QCryptoTLSSession *sess, Error **errp);

/**
 * qcrypto_tls_session_get_key_size:
 * @sess: a session whose handshake has completed
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the size in bytes of the negotiated cipher's key, or -1 with
 * @errp set when no cipher is in use yet
 */
int qcrypto_tls_session_get_key_size(QCryptoTLSSession *sess,
                                     Error **errp);

/**
 * qcrypto_tls_session_get_peer_name:
 * @sess: a session
 *
 * Gives the peer's identity as established by a successful
 * qcrypto_tls_session_check_credentials(): the distinguished name of an
 * x509 peer's certificate, or the username of a PSK client (on the
 * server).
 *
 * Returns: a newly allocated string to be g_free()d, or NULL when the
 * identity is unknown (anonymous credentials, verification off, PSK
 * client side, or credentials not checked yet)
 */
char *qcrypto_tls_session_get_peer_name(QCryptoTLSSession *sess);

#endif /* QCRYPTO_TLSSESSION_H */
