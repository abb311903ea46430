/*
 * QCryptoTLSSession: a GnuTLS session over caller-supplied transport
 * callbacks, with handshake stepping and peer validation.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "crypto/tlssession.h"
#include "crypto/tlscredsanon.h"
#include "crypto/tlscredspsk.h"
#include "crypto/tlscredsx509.h"
#include "qemu/acl.h"

#ifdef CONFIG_GNUTLS

#include <gnutls/x509.h>

/*
 * The base priority, and what anonymous and PSK credentials add to it
 * (or to the credentials' own "priority"): GnuTLS leaves those key
 * exchanges out of its defaults.
 */
#define QCRYPTO_TLS_PRIORITY_BASE "NORMAL"
#define QCRYPTO_TLS_PRIORITY_ANON_KX ":+ANON-ECDH:+ANON-DH"
#define QCRYPTO_TLS_PRIORITY_PSK_KX ":+ECDHE-PSK:+DHE-PSK:+PSK"

struct QCryptoTLSSession {
    QCryptoTLSCreds *creds;
    gnutls_session_t handle;
    char *hostname;
    char *aclname;
    bool handshakeComplete;
    /* The transport ended without close_notify; reads keep failing. */
    bool truncated;
    QCryptoTLSSessionWriteFunc writeFunc;
    QCryptoTLSSessionReadFunc readFunc;
    void *opaque;
    char *peername;
};

void qcrypto_tls_session_free(QCryptoTLSSession *session)
{
    if (!session) {
        return;
    }

    if (session->handle) {
        gnutls_deinit(session->handle);
    }
    g_free(session->hostname);
    g_free(session->peername);
    g_free(session->aclname);
    object_unref(OBJECT(session->creds));
    g_free(session);
}

/*
 * Set when a transport callback reported EAGAIN in this thread.  GnuTLS
 * also returns GNUTLS_E_AGAIN after consuming a record that carried no
 * application data (a TLS 1.3 NewSessionTicket or KeyUpdate), even on a
 * blocking transport; this tells the two cases apart.  It is per thread
 * because one thread may read while another writes.
 */
static __thread bool qcrypto_tls_transport_blocked;

/*
 * GnuTLS transport hooks.  They hand the caller's errno to GnuTLS
 * explicitly, since the callbacks may have run arbitrary code that
 * clobbers errno before GnuTLS looks at it.
 */
static ssize_t qcrypto_tls_session_push(void *opaque, const void *buf,
                                        size_t len)
{
    QCryptoTLSSession *session = opaque;
    ssize_t ret;

    if (!session->writeFunc) {
        gnutls_transport_set_errno(session->handle, EIO);
        errno = EIO;
        return -1;
    }
    ret = session->writeFunc(buf, len, session->opaque);
    if (ret < 0) {
        if (errno == EAGAIN) {
            qcrypto_tls_transport_blocked = true;
        }
        gnutls_transport_set_errno(session->handle, errno);
    }
    return ret;
}

static ssize_t qcrypto_tls_session_pull(void *opaque, void *buf, size_t len)
{
    QCryptoTLSSession *session = opaque;
    ssize_t ret;

    if (!session->readFunc) {
        gnutls_transport_set_errno(session->handle, EIO);
        errno = EIO;
        return -1;
    }
    ret = session->readFunc(buf, len, session->opaque);
    if (ret < 0) {
        if (errno == EAGAIN) {
            qcrypto_tls_transport_blocked = true;
        }
        gnutls_transport_set_errno(session->handle, errno);
    }
    return ret;
}

QCryptoTLSSession *qcrypto_tls_session_new(QCryptoTLSCreds *creds,
                                           const char *hostname,
                                           const char *aclname,
                                           QCryptoTLSCredsEndpoint endpoint,
                                           Error **errp)
{
    QCryptoTLSSession *session;
    const char *kx;
    g_autofree char *priority = NULL;
    gnutls_credentials_type_t credtype;
    void *cred;
    const char *errpos = NULL;
    int ret;

    if (creds->endpoint != endpoint) {
        error_setg(errp, "Credentials endpoint %s does not match the "
                   "session endpoint %s",
                   QCryptoTLSCredsEndpoint_lookup[creds->endpoint],
                   QCryptoTLSCredsEndpoint_lookup[endpoint]);
        return NULL;
    }

    if (object_dynamic_cast(OBJECT(creds), TYPE_QCRYPTO_TLS_CREDS_ANON)) {
        QCryptoTLSCredsAnon *acreds = QCRYPTO_TLS_CREDS_ANON(creds);

        kx = QCRYPTO_TLS_PRIORITY_ANON_KX;
        credtype = GNUTLS_CRD_ANON;
        cred = endpoint == QCRYPTO_TLS_CREDS_ENDPOINT_SERVER ?
            (void *)acreds->data.server : (void *)acreds->data.client;
    } else if (object_dynamic_cast(OBJECT(creds),
                                   TYPE_QCRYPTO_TLS_CREDS_PSK)) {
        QCryptoTLSCredsPSK *pcreds = QCRYPTO_TLS_CREDS_PSK(creds);

        kx = QCRYPTO_TLS_PRIORITY_PSK_KX;
        credtype = GNUTLS_CRD_PSK;
        cred = endpoint == QCRYPTO_TLS_CREDS_ENDPOINT_SERVER ?
            (void *)pcreds->data.server : (void *)pcreds->data.client;
    } else if (object_dynamic_cast(OBJECT(creds),
                                   TYPE_QCRYPTO_TLS_CREDS_X509)) {
        QCryptoTLSCredsX509 *xcreds = QCRYPTO_TLS_CREDS_X509(creds);

        kx = "";
        credtype = GNUTLS_CRD_CERTIFICATE;
        cred = xcreds->data;
    } else {
        error_setg(errp, "Unsupported TLS credentials type %s",
                   object_get_typename(OBJECT(creds)));
        return NULL;
    }

    if (!cred) {
        error_setg(errp, "TLS credentials %s are not loaded",
                   object_get_typename(OBJECT(creds)));
        return NULL;
    }

    priority = g_strconcat(creds->priority ? creds->priority :
                           QCRYPTO_TLS_PRIORITY_BASE, kx, NULL);
    session = g_new0(QCryptoTLSSession, 1);
    session->hostname = g_strdup(hostname);
    session->aclname = g_strdup(aclname);
    session->creds = creds;
    object_ref(OBJECT(creds));

    ret = gnutls_init(&session->handle,
                      endpoint == QCRYPTO_TLS_CREDS_ENDPOINT_SERVER ?
                      GNUTLS_SERVER : GNUTLS_CLIENT);
    if (ret < 0) {
        session->handle = NULL;
        error_setg(errp, "Cannot initialize TLS session: %s",
                   gnutls_strerror(ret));
        goto error;
    }

    ret = gnutls_priority_set_direct(session->handle, priority, &errpos);
    if (ret < 0) {
        error_setg(errp, "Unable to set TLS session priority %s: %s",
                   priority, gnutls_strerror(ret));
        goto error;
    }

    ret = gnutls_credentials_set(session->handle, credtype, cred);
    if (ret < 0) {
        error_setg(errp, "Cannot set session credentials: %s",
                   gnutls_strerror(ret));
        goto error;
    }

    if (credtype == GNUTLS_CRD_CERTIFICATE) {
        if (endpoint == QCRYPTO_TLS_CREDS_ENDPOINT_SERVER) {
            gnutls_certificate_server_set_request(session->handle,
                                                  GNUTLS_CERT_REQUEST);
        } else if (hostname && !g_hostname_is_ip_address(hostname)) {
            ret = gnutls_server_name_set(session->handle, GNUTLS_NAME_DNS,
                                         hostname, strlen(hostname));
            if (ret < 0) {
                error_setg(errp, "Cannot set server name %s: %s",
                           hostname, gnutls_strerror(ret));
                goto error;
            }
        }
    }

    gnutls_transport_set_ptr(session->handle, session);
    gnutls_transport_set_push_function(session->handle,
                                       qcrypto_tls_session_push);
    gnutls_transport_set_pull_function(session->handle,
                                       qcrypto_tls_session_pull);

    return session;

 error:
    qcrypto_tls_session_free(session);
    return NULL;
}

static int qcrypto_tls_session_check_certificate(QCryptoTLSSession *session,
                                                 Error **errp)
{
    int ret;
    unsigned int status;
    const gnutls_datum_t *certs;
    unsigned int nCerts, i;
    time_t now;
    gnutls_x509_crt_t cert = NULL;

    now = time(NULL);
    if (now == (time_t)-1) {
        error_setg_errno(errp, errno, "Cannot get current time");
        return -1;
    }

    ret = gnutls_certificate_verify_peers2(session->handle, &status);
    if (ret == GNUTLS_E_NO_CERTIFICATE_FOUND) {
        /* A server only asks for one, so a client may well send none. */
        error_setg(errp, "The peer did not present a certificate");
        return -1;
    }
    if (ret < 0) {
        error_setg(errp, "Verify failed: %s", gnutls_strerror(ret));
        return -1;
    }

    if (status != 0) {
        const char *reason = "Invalid certificate";

        if (status & GNUTLS_CERT_INVALID) {
            reason = "The certificate is not trusted";
        }
        if (status & GNUTLS_CERT_SIGNER_NOT_FOUND) {
            reason = "The certificate hasn't got a known issuer";
        }
        /* An issuer of that name is trusted, but did not sign this. */
        if (status & GNUTLS_CERT_SIGNATURE_FAILURE) {
            reason = "The certificate's signature does not verify";
        }
        if (status & GNUTLS_CERT_REVOKED) {
            reason = "The certificate has been revoked";
        }
        if (status & GNUTLS_CERT_INSECURE_ALGORITHM) {
            reason = "The certificate uses an insecure algorithm";
        }
        if (status & GNUTLS_CERT_NOT_ACTIVATED) {
            reason = "The certificate is not yet activated";
        }
        if (status & GNUTLS_CERT_EXPIRED) {
            reason = "The certificate has expired";
        }
        error_setg(errp, "%s", reason);
        return -1;
    }

    certs = gnutls_certificate_get_peers(session->handle, &nCerts);
    if (!certs || nCerts == 0) {
        error_setg(errp, "The peer did not present a certificate");
        return -1;
    }

    for (i = 0; i < nCerts; i++) {
        ret = gnutls_x509_crt_init(&cert);
        if (ret < 0) {
            error_setg(errp, "Cannot initialize certificate: %s",
                       gnutls_strerror(ret));
            return -1;
        }

        ret = gnutls_x509_crt_import(cert, &certs[i], GNUTLS_X509_FMT_DER);
        if (ret < 0) {
            error_setg(errp, "Cannot import peer certificate: %s",
                       gnutls_strerror(ret));
            goto error;
        }

        if (gnutls_x509_crt_get_expiration_time(cert) < now) {
            error_setg(errp, "The certificate has expired");
            goto error;
        }
        if (gnutls_x509_crt_get_activation_time(cert) > now) {
            error_setg(errp, "The certificate is not yet activated");
            goto error;
        }

        if (i == 0) {
            size_t dnameSize = 1024;

            g_free(session->peername);
            session->peername = g_malloc(dnameSize);
        requery:
            ret = gnutls_x509_crt_get_dn(cert, session->peername,
                                         &dnameSize);
            if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER) {
                session->peername = g_realloc(session->peername, dnameSize);
                goto requery;
            }
            if (ret < 0) {
                error_setg(errp, "Cannot get client distinguished name: %s",
                           gnutls_strerror(ret));
                g_free(session->peername);
                session->peername = NULL;
                goto error;
            }

            if (session->aclname) {
                qemu_acl *acl = qemu_acl_find(session->aclname);

                if (!acl) {
                    error_setg(errp, "Cannot find ACL %s",
                               session->aclname);
                    goto error;
                }
                if (!qemu_acl_party_is_allowed(acl, session->peername)) {
                    error_setg(errp, "TLS x509 ACL check for %s is denied",
                               session->peername);
                    goto error;
                }
            }
            if (session->hostname &&
                !gnutls_x509_crt_check_hostname(cert, session->hostname)) {
                error_setg(errp, "Certificate does not match the hostname "
                           "%s", session->hostname);
                goto error;
            }
        }

        gnutls_x509_crt_deinit(cert);
        cert = NULL;
    }

    return 0;

 error:
    gnutls_x509_crt_deinit(cert);
    return -1;
}

static int qcrypto_tls_session_check_psk(QCryptoTLSSession *session,
                                         Error **errp)
{
    const char *username;

    if (session->creds->endpoint != QCRYPTO_TLS_CREDS_ENDPOINT_SERVER) {
        return 0;
    }

    username = gnutls_psk_server_get_username(session->handle);
    if (!username) {
        error_setg(errp, "No PSK username from the client");
        return -1;
    }
    g_free(session->peername);
    session->peername = g_strdup(username);

    if (session->creds->verifyPeer && session->aclname) {
        qemu_acl *acl = qemu_acl_find(session->aclname);

        if (!acl) {
            error_setg(errp, "Cannot find ACL %s", session->aclname);
            return -1;
        }
        if (!qemu_acl_party_is_allowed(acl, username)) {
            error_setg(errp, "TLS PSK ACL check for %s is denied", username);
            return -1;
        }
    }
    return 0;
}

int qcrypto_tls_session_check_credentials(QCryptoTLSSession *session,
                                          Error **errp)
{
    if (object_dynamic_cast(OBJECT(session->creds),
                            TYPE_QCRYPTO_TLS_CREDS_ANON)) {
        return 0;
    }
    if (object_dynamic_cast(OBJECT(session->creds),
                            TYPE_QCRYPTO_TLS_CREDS_PSK)) {
        return qcrypto_tls_session_check_psk(session, errp);
    }
    if (object_dynamic_cast(OBJECT(session->creds),
                            TYPE_QCRYPTO_TLS_CREDS_X509)) {
        if (!session->creds->verifyPeer) {
            return 0;
        }
        return qcrypto_tls_session_check_certificate(session, errp);
    }
    error_setg(errp, "Unexpected credential type %s",
               object_get_typename(OBJECT(session->creds)));
    return -1;
}

void qcrypto_tls_session_set_callbacks(QCryptoTLSSession *session,
                                       QCryptoTLSSessionWriteFunc writeFunc,
                                       QCryptoTLSSessionReadFunc readFunc,
                                       void *opaque)
{
    session->writeFunc = writeFunc;
    session->readFunc = readFunc;
    session->opaque = opaque;
}

/* Turns a GnuTLS record error into the errno the API documents. */
static void qcrypto_tls_session_set_errno(int ret)
{
    switch (ret) {
    case GNUTLS_E_AGAIN:
        errno = EAGAIN;
        break;
    case GNUTLS_E_INTERRUPTED:
        errno = EINTR;
        break;
    case GNUTLS_E_PREMATURE_TERMINATION:
        errno = ECONNABORTED;
        break;
    default:
        errno = EIO;
        break;
    }
}

ssize_t qcrypto_tls_session_write(QCryptoTLSSession *session,
                                  const char *buf,
                                  size_t len)
{
    ssize_t ret;

    do {
        qcrypto_tls_transport_blocked = false;
        ret = gnutls_record_send(session->handle, buf, len);
    } while (ret == GNUTLS_E_AGAIN && !qcrypto_tls_transport_blocked);

    if (ret < 0) {
        qcrypto_tls_session_set_errno(ret);
        /* Truncation is a read-side notion; a failed send is an I/O error */
        if (errno == ECONNABORTED) {
            errno = EIO;
        }
        return -1;
    }
    return ret;
}

ssize_t qcrypto_tls_session_read(QCryptoTLSSession *session,
                                 char *buf,
                                 size_t len)
{
    ssize_t ret;

    /*
     * GnuTLS invalidates the session after reporting the truncation once,
     * which would turn later reads into generic errors.
     */
    if (session->truncated) {
        errno = ECONNABORTED;
        return -1;
    }
    do {
        qcrypto_tls_transport_blocked = false;
        ret = gnutls_record_recv(session->handle, buf, len);
    } while (ret == GNUTLS_E_AGAIN && !qcrypto_tls_transport_blocked);

    if (ret < 0) {
        if (ret == GNUTLS_E_PREMATURE_TERMINATION) {
            session->truncated = true;
        }
        qcrypto_tls_session_set_errno(ret);
        return -1;
    }
    return ret;
}

size_t qcrypto_tls_session_check_pending(QCryptoTLSSession *session)
{
    return gnutls_record_check_pending(session->handle);
}

int qcrypto_tls_session_handshake(QCryptoTLSSession *session,
                                  Error **errp)
{
    int ret = gnutls_handshake(session->handle);

    if (ret == 0) {
        session->handshakeComplete = true;
        return 0;
    }
    if (ret == GNUTLS_E_INTERRUPTED || ret == GNUTLS_E_AGAIN) {
        return 1;
    }
    if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED ||
        ret == GNUTLS_E_WARNING_ALERT_RECEIVED) {
        const char *alert = gnutls_alert_get_name(
            gnutls_alert_get(session->handle));

        error_setg(errp, "TLS handshake failed: %s (%s)",
                   gnutls_strerror(ret), alert ? alert : "unknown alert");
        return -1;
    }
    error_setg(errp, "TLS handshake failed: %s", gnutls_strerror(ret));
    return -1;
}

QCryptoTLSSessionHandshakeStatus
qcrypto_tls_session_get_handshake_status(QCryptoTLSSession *session)
{
    if (session->handshakeComplete) {
        return QCRYPTO_TLS_HANDSHAKE_COMPLETE;
    }
    if (gnutls_record_get_direction(session->handle) == 0) {
        return QCRYPTO_TLS_HANDSHAKE_RECVING;
    }
    return QCRYPTO_TLS_HANDSHAKE_SENDING;
}

int qcrypto_tls_session_bye(QCryptoTLSSession *session, Error **errp)
{
    int ret;

    if (!session->handshakeComplete) {
        error_setg(errp, "Cannot end a TLS session before its handshake "
                   "has completed");
        return -1;
    }
    ret = gnutls_bye(session->handle, GNUTLS_SHUT_WR);
    if (ret == 0) {
        return 0;
    }
    if (ret == GNUTLS_E_INTERRUPTED || ret == GNUTLS_E_AGAIN) {
        return 1;
    }
    error_setg(errp, "Cannot send TLS close_notify: %s",
               gnutls_strerror(ret));
    return -1;
}

int qcrypto_tls_session_get_key_size(QCryptoTLSSession *session,
                                     Error **errp)
{
    gnutls_cipher_algorithm_t cipher = gnutls_cipher_get(session->handle);
    size_t ssf = gnutls_cipher_get_key_size(cipher);

    if (!ssf) {
        error_setg(errp, "Cannot get TLS cipher key size");
        return -1;
    }
    return ssf;
}

char *qcrypto_tls_session_get_peer_name(QCryptoTLSSession *session)
{
    return g_strdup(session->peername);
}

#else /* !CONFIG_GNUTLS */

struct QCryptoTLSSession {
    int dummy;
};

QCryptoTLSSession *qcrypto_tls_session_new(QCryptoTLSCreds *creds,
                                           const char *hostname,
                                           const char *aclname,
                                           QCryptoTLSCredsEndpoint endpoint,
                                           Error **errp)
{
    error_setg(errp, "TLS requires GNUTLS support");
    return NULL;
}

void qcrypto_tls_session_free(QCryptoTLSSession *sess)
{
}

int qcrypto_tls_session_check_credentials(QCryptoTLSSession *sess,
                                          Error **errp)
{
    error_setg(errp, "TLS requires GNUTLS support");
    return -1;
}

void qcrypto_tls_session_set_callbacks(QCryptoTLSSession *sess,
                                       QCryptoTLSSessionWriteFunc writeFunc,
                                       QCryptoTLSSessionReadFunc readFunc,
                                       void *opaque)
{
}

ssize_t qcrypto_tls_session_write(QCryptoTLSSession *sess,
                                  const char *buf,
                                  size_t len)
{
    errno = EIO;
    return -1;
}

ssize_t qcrypto_tls_session_read(QCryptoTLSSession *sess,
                                 char *buf,
                                 size_t len)
{
    errno = EIO;
    return -1;
}

size_t qcrypto_tls_session_check_pending(QCryptoTLSSession *sess)
{
    return 0;
}

int qcrypto_tls_session_handshake(QCryptoTLSSession *sess,
                                  Error **errp)
{
    error_setg(errp, "TLS requires GNUTLS support");
    return -1;
}

QCryptoTLSSessionHandshakeStatus
qcrypto_tls_session_get_handshake_status(QCryptoTLSSession *sess)
{
    return QCRYPTO_TLS_HANDSHAKE_COMPLETE;
}

int qcrypto_tls_session_bye(QCryptoTLSSession *sess, Error **errp)
{
    error_setg(errp, "TLS requires GNUTLS support");
    return -1;
}

int qcrypto_tls_session_get_key_size(QCryptoTLSSession *sess,
                                     Error **errp)
{
    error_setg(errp, "TLS requires GNUTLS support");
    return -1;
}

char *qcrypto_tls_session_get_peer_name(QCryptoTLSSession *sess)
{
    return NULL;
}

#endif /* !CONFIG_GNUTLS */
