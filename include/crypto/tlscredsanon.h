/*
 * QCryptoTLSCredsAnon: anonymous (unauthenticated) TLS credentials.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QCRYPTO_TLSCREDSANON_H
#define QCRYPTO_TLSCREDSANON_H

#include "crypto/tlscreds.h"

/**
 * TYPE_QCRYPTO_TLS_CREDS_ANON:
 *
 * The QOM type name of anonymous credentials, "tls-creds-anon".
 */
#define TYPE_QCRYPTO_TLS_CREDS_ANON "tls-creds-anon"

/**
 * QCRYPTO_TLS_CREDS_ANON:
 * @obj: an object of type #TYPE_QCRYPTO_TLS_CREDS_ANON
 *
 * Checked cast to #QCryptoTLSCredsAnon.
 */
#define QCRYPTO_TLS_CREDS_ANON(obj) \
    OBJECT_CHECK(QCryptoTLSCredsAnon, (obj), TYPE_QCRYPTO_TLS_CREDS_ANON)

typedef struct QCryptoTLSCredsAnon QCryptoTLSCredsAnon;
typedef struct QCryptoTLSCredsAnonClass QCryptoTLSCredsAnonClass;

/**
 * QCryptoTLSCredsAnon:
 * @parent_obj: the common credentials state
 * @data: the GnuTLS credentials; @data.server when the endpoint is
 *        "server", @data.client otherwise
 *
 * Anonymous credentials provide encryption without any authentication,
 * so they offer no protection against an active man in the middle.  They
 * are user-creatable: completing the object (or setting its "loaded"
 * property to true) allocates the GnuTLS credentials.  A server reads DH
 * parameters from #QCRYPTO_TLS_CREDS_DH_PARAMS in the "dir" property when
 * that file exists and otherwise uses GnuTLS' built-in groups.
 *
 * Anonymous key exchange only exists up to TLS 1.2, so sessions using
 * these credentials negotiate TLS 1.2.
 *
 * Create one with:
 * |[
 *   object_new_with_props(TYPE_QCRYPTO_TLS_CREDS_ANON,
 *                         object_get_objects_root(), "tls0", &err,
 *                         "endpoint", "server", NULL);
 * ]|
 */
struct QCryptoTLSCredsAnon {
    QCryptoTLSCreds parent_obj;
#ifdef CONFIG_GNUTLS
    union {
        gnutls_anon_server_credentials_t server;
        gnutls_anon_client_credentials_t client;
    } data;
#endif
};

/**
 * QCryptoTLSCredsAnonClass:
 * @parent_class: the credentials class
 *
 * The class of #QCryptoTLSCredsAnon; it adds nothing.
 */
struct QCryptoTLSCredsAnonClass {
    QCryptoTLSCredsClass parent_class;
};

#endif /* QCRYPTO_TLSCREDSANON_H */
