/*
 * QCryptoTLSCredsX509: TLS credentials based on x509 certificates.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QCRYPTO_TLSCREDSX509_H
#define QCRYPTO_TLSCREDSX509_H

#include "crypto/tlscreds.h"

/**
 * TYPE_QCRYPTO_TLS_CREDS_X509:
 *
 * The QOM type name of x509 credentials, "tls-creds-x509".
 */
#define TYPE_QCRYPTO_TLS_CREDS_X509 "tls-creds-x509"

/**
 * QCRYPTO_TLS_CREDS_X509:
 * @obj: an object of type #TYPE_QCRYPTO_TLS_CREDS_X509
 *
 * Checked cast to #QCryptoTLSCredsX509.
 */
#define QCRYPTO_TLS_CREDS_X509(obj) \
    OBJECT_CHECK(QCryptoTLSCredsX509, (obj), TYPE_QCRYPTO_TLS_CREDS_X509)

typedef struct QCryptoTLSCredsX509 QCryptoTLSCredsX509;
typedef struct QCryptoTLSCredsX509Class QCryptoTLSCredsX509Class;

/**
 * QCRYPTO_TLS_CREDS_X509_CA_CERT:
 *
 * The PEM file of trusted CA certificates (required for both endpoints).
 */
#define QCRYPTO_TLS_CREDS_X509_CA_CERT "ca-cert.pem"

/**
 * QCRYPTO_TLS_CREDS_X509_CA_CRL:
 *
 * The optional PEM file of certificate revocation lists.
 */
#define QCRYPTO_TLS_CREDS_X509_CA_CRL "ca-crl.pem"

/**
 * QCRYPTO_TLS_CREDS_X509_SERVER_KEY:
 *
 * The PEM private key of a server (required for servers).
 */
#define QCRYPTO_TLS_CREDS_X509_SERVER_KEY "server-key.pem"

/**
 * QCRYPTO_TLS_CREDS_X509_SERVER_CERT:
 *
 * The PEM certificate of a server (required for servers).
 */
#define QCRYPTO_TLS_CREDS_X509_SERVER_CERT "server-cert.pem"

/**
 * QCRYPTO_TLS_CREDS_X509_CLIENT_KEY:
 *
 * The optional PEM private key of a client.
 */
#define QCRYPTO_TLS_CREDS_X509_CLIENT_KEY "client-key.pem"

/**
 * QCRYPTO_TLS_CREDS_X509_CLIENT_CERT:
 *
 * The optional PEM certificate of a client; it is used only together
 * with #QCRYPTO_TLS_CREDS_X509_CLIENT_KEY.
 */
#define QCRYPTO_TLS_CREDS_X509_CLIENT_CERT "client-cert.pem"

/**
 * QCryptoTLSCredsX509:
 * @parent_obj: the common credentials state
 * @data: the GnuTLS certificate credentials, or NULL until loaded
 * @sanityCheck: whether loading checks the certificates ("sanity-check"
 *               property, default true)
 *
 * Certificate credentials read from the files named by the
 * QCRYPTO_TLS_CREDS_X509_* constants inside the "dir" property.  The
 * object is user-creatable; completing it (or setting "loaded" to true)
 * loads the files:
 *
 * - servers need the CA certificate, their certificate and their key;
 *   a CRL and #QCRYPTO_TLS_CREDS_DH_PARAMS are optional (without DH
 *   parameters GnuTLS' built-in groups are used);
 * - clients need the CA certificate; their certificate and key are
 *   optional and used only when both are present.
 *
 * With sanity checking on, loading fails unless the endpoint's own
 * certificate (when present) and each CA certificate (at most 16) are
 * within their validity window; a CA has the CA basic constraint and,
 * when its key usage is critical, certificate signing; the own
 * certificate is not a CA, has digital signature and key encipherment
 * when its key usage is critical, and allows the endpoint's TLS role (or
 * any purpose) when its extended key usage is critical; and the own
 * certificate verifies against the CA certificates.  Absent extensions
 * pass.
 */
struct QCryptoTLSCredsX509 {
    QCryptoTLSCreds parent_obj;
#ifdef CONFIG_GNUTLS
    gnutls_certificate_credentials_t data;
#endif
    bool sanityCheck;
};

/**
 * QCryptoTLSCredsX509Class:
 * @parent_class: the credentials class
 *
 * The class of #QCryptoTLSCredsX509; it adds nothing.
 */
struct QCryptoTLSCredsX509Class {
    QCryptoTLSCredsClass parent_class;
};

#endif /* QCRYPTO_TLSCREDSX509_H */
