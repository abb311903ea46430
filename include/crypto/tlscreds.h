/*
 * QCryptoTLSCreds: the abstract base of every set of TLS credentials.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QCRYPTO_TLSCREDS_H
#define QCRYPTO_TLSCREDS_H

#include "qemu-common.h"
#include "qapi/error.h"
#include "qapi-types.h"
#include "qom/object.h"

#ifdef CONFIG_GNUTLS
#include <gnutls/gnutls.h>
#endif

/**
 * TYPE_QCRYPTO_TLS_CREDS:
 *
 * The QOM type name of the abstract credentials class, "tls-creds".
 */
#define TYPE_QCRYPTO_TLS_CREDS "tls-creds"

/**
 * QCRYPTO_TLS_CREDS:
 * @obj: an object of a type derived from #TYPE_QCRYPTO_TLS_CREDS
 *
 * Checked cast to #QCryptoTLSCreds.
 */
#define QCRYPTO_TLS_CREDS(obj) \
    OBJECT_CHECK(QCryptoTLSCreds, (obj), TYPE_QCRYPTO_TLS_CREDS)

typedef struct QCryptoTLSCreds QCryptoTLSCreds;
typedef struct QCryptoTLSCredsClass QCryptoTLSCredsClass;

/**
 * QCRYPTO_TLS_CREDS_DH_PARAMS:
 *
 * The name of the optional PEM file (PKCS#3, as "openssl dhparam" writes
 * it), inside the credentials directory, holding the Diffie-Hellman
 * parameters a server uses for DHE key exchanges.  When it is absent,
 * servers use GnuTLS' built-in well-known groups (RFC 7919); parameters are
 * never generated at run time.  A file that exists but cannot be parsed
 * makes loading the credentials fail.
 *
 * GnuTLS 3.6 and later prefer a well-known group from the session's
 * priority to these parameters whenever one is at least as large, so
 * the file only takes effect with a "priority" that leaves such groups
 * out, e.g. "NORMAL:-GROUP-DH-ALL".
 */
#define QCRYPTO_TLS_CREDS_DH_PARAMS "dh-params.pem"

/**
 * QCryptoTLSCreds:
 * @parent_obj: the QOM object
 * @dir: directory holding the credential files, or NULL
 * @endpoint: whether these credentials serve a client or a server
 * @dh_params: DH parameters loaded from #QCRYPTO_TLS_CREDS_DH_PARAMS, or
 *             NULL when the built-in groups are used
 * @verifyPeer: whether sessions must validate the peer's credentials
 * @priority: the GnuTLS priority string for sessions made with these
 *            credentials, or NULL for the library's default ("NORMAL").
 *            Since: libqio 0.1
 *
 * The state shared by every kind of TLS credentials.  The object has four
 * properties: "dir" (string), "endpoint" ("client", the default, or
 * "server"), "verify-peer" (bool, default true) and "priority" (string,
 * Since: libqio 0.1).  Subclasses load their material from @dir when the
 * object is completed.
 *
 * "priority" restricts or reorders what sessions negotiate, for example
 * "NORMAL:-VERS-ALL:+VERS-TLS1.3" for TLS 1.3 only.  Anonymous and PSK
 * credentials append the key exchanges they need to it, as they do to the
 * default.  A string GnuTLS rejects makes qcrypto_tls_session_new() fail.
 */
struct QCryptoTLSCreds {
    Object parent_obj;
    char *dir;
    QCryptoTLSCredsEndpoint endpoint;
#ifdef CONFIG_GNUTLS
    gnutls_dh_params_t dh_params;
#endif
    bool verifyPeer;
    char *priority;
};

/**
 * QCryptoTLSCredsClass:
 * @parent_class: the QOM class
 *
 * The class of #QCryptoTLSCreds; it adds nothing.
 */
struct QCryptoTLSCredsClass {
    ObjectClass parent_class;
};

#endif /* QCRYPTO_TLSCREDS_H */
