/*
 * QCryptoTLSCredsPSK: TLS credentials based on pre-shared keys.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QCRYPTO_TLSCREDSPSK_H
#define QCRYPTO_TLSCREDSPSK_H

#include "crypto/tlscreds.h"

/**
 * TYPE_QCRYPTO_TLS_CREDS_PSK:
 *
 * The QOM type name of pre-shared key credentials, "tls-creds-psk".
 *
 * Since: libqio 0.1
 */
#define TYPE_QCRYPTO_TLS_CREDS_PSK "tls-creds-psk"

/**
 * QCRYPTO_TLS_CREDS_PSK:
 * @obj: an object of type #TYPE_QCRYPTO_TLS_CREDS_PSK
 *
 * Checked cast to #QCryptoTLSCredsPSK.
 *
 * Since: libqio 0.1
 */
#define QCRYPTO_TLS_CREDS_PSK(obj) \
    OBJECT_CHECK(QCryptoTLSCredsPSK, (obj), TYPE_QCRYPTO_TLS_CREDS_PSK)

typedef struct QCryptoTLSCredsPSK QCryptoTLSCredsPSK;
typedef struct QCryptoTLSCredsPSKClass QCryptoTLSCredsPSKClass;

/**
 * QCRYPTO_TLS_CREDS_PSKFILE:
 *
 * The name of the key file inside the credentials directory, "keys.psk".
 * Each line holds one "username:hexkey" pair, where hexkey is the key in
 * hexadecimal (an even number of digits); blank lines and lines starting
 * with '#' are ignored.  This is the format of GnuTLS' psktool.
 *
 * Since: libqio 0.1
 */
#define QCRYPTO_TLS_CREDS_PSKFILE "keys.psk"

/**
 * QCRYPTO_TLS_CREDS_PSK_DEFAULT_USERNAME:
 *
 * The identity a client presents when its "username" property is unset.
 *
 * Since: libqio 0.1
 */
#define QCRYPTO_TLS_CREDS_PSK_DEFAULT_USERNAME "qemu"

/**
 * QCryptoTLSCredsPSK:
 * @parent_obj: the common credentials state
 * @username: the identity a client presents ("username" property), or
 *            NULL for #QCRYPTO_TLS_CREDS_PSK_DEFAULT_USERNAME; servers
 *            ignore it
 * @data: the GnuTLS credentials; @data.server when the endpoint is
 *        "server", @data.client otherwise
 *
 * Credentials that authenticate both ends with a shared secret.  The
 * object is user-creatable; completing it (or setting "loaded" to true)
 * reads #QCRYPTO_TLS_CREDS_PSKFILE from the "dir" property, which is
 * required for both endpoints:
 *
 * - a server checks that the file is well formed and looks identities up
 *   in it during each handshake, so keys can be added without reloading;
 * - a client loads the key of its username, which must be in the file.
 *
 * A server also reads DH parameters from #QCRYPTO_TLS_CREDS_DH_PARAMS when
 * that file exists (for DHE-PSK) and otherwise uses GnuTLS' built-in
 * groups.  Sessions allow TLS 1.3 as well as the TLS 1.2 PSK, DHE-PSK and
 * ECDHE-PSK key exchanges.  After a successful handshake a server
 * session's peer name is the client's identity (see
 * qcrypto_tls_session_get_peer_name()), which the session's ACL, if any,
 * must allow.
 *
 * Since: libqio 0.1
 */
struct QCryptoTLSCredsPSK {
    QCryptoTLSCreds parent_obj;
    char *username;
#ifdef CONFIG_GNUTLS
    union {
        gnutls_psk_server_credentials_t server;
        gnutls_psk_client_credentials_t client;
    } data;
#endif
};

/**
 * QCryptoTLSCredsPSKClass:
 * @parent_class: the credentials class
 *
 * The class of #QCryptoTLSCredsPSK; it adds nothing.
 *
 * Since: libqio 0.1
 */
struct QCryptoTLSCredsPSKClass {
    QCryptoTLSCredsClass parent_class;
};

#endif /* QCRYPTO_TLSCREDSPSK_H */
