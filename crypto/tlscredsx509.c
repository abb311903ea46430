/*
 * QCryptoTLSCredsX509: x509 certificate credentials, with the checks that
 * catch badly made certificates at load time rather than at the first
 * failed handshake.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "crypto/tlscredsx509.h"
#include "tlscredspriv.h"
#include "qom/object_interfaces.h"

#ifdef CONFIG_GNUTLS

#include <gnutls/x509.h>

/* Most CA certificates the sanity checks look at. */
#define QCRYPTO_TLS_CREDS_X509_MAX_CA_CERTS 16

static const char *qcrypto_tls_creds_x509_role(bool isServer, bool isCA)
{
    if (isCA) {
        return "CA";
    }
    return isServer ? "server" : "client";
}

static int qcrypto_tls_creds_x509_check_times(gnutls_x509_crt_t cert,
                                              const char *certFile,
                                              bool isServer,
                                              bool isCA,
                                              Error **errp)
{
    time_t now = time(NULL);

    if (now == (time_t)-1) {
        error_setg_errno(errp, errno, "Cannot get current time");
        return -1;
    }
    if (gnutls_x509_crt_get_expiration_time(cert) < now) {
        error_setg(errp, "The %s certificate %s has expired",
                   qcrypto_tls_creds_x509_role(isServer, isCA), certFile);
        return -1;
    }
    if (gnutls_x509_crt_get_activation_time(cert) > now) {
        error_setg(errp, "The %s certificate %s is not yet active",
                   qcrypto_tls_creds_x509_role(isServer, isCA), certFile);
        return -1;
    }
    return 0;
}

static int
qcrypto_tls_creds_x509_check_basic_constraints(gnutls_x509_crt_t cert,
                                               const char *certFile,
                                               bool isServer,
                                               bool isCA,
                                               Error **errp)
{
    int status = gnutls_x509_crt_get_basic_constraints(cert, NULL,
                                                       NULL, NULL);

    if (status > 0) {
        if (!isCA) {
            error_setg(errp, "The certificate %s basic constraints show "
                       "a CA, but a %s certificate must not be one",
                       certFile, isServer ? "server" : "client");
            return -1;
        }
    } else if (status == 0) {
        if (isCA) {
            error_setg(errp, "The certificate %s basic constraints do "
                       "not show a CA", certFile);
            return -1;
        }
    } else if (status == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
        /* Leaves commonly omit the extension; a CA must carry it. */
        if (isCA) {
            error_setg(errp, "The certificate %s is missing basic "
                       "constraints for a CA", certFile);
            return -1;
        }
    } else {
        error_setg(errp, "Unable to query certificate %s basic "
                   "constraints: %s", certFile, gnutls_strerror(status));
        return -1;
    }
    return 0;
}

static int qcrypto_tls_creds_x509_check_key_usage(gnutls_x509_crt_t cert,
                                                  const char *certFile,
                                                  bool isCA,
                                                  Error **errp)
{
    unsigned int usage = 0;
    unsigned int critical = 0;
    int status = gnutls_x509_crt_get_key_usage(cert, &usage, &critical);

    if (status == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
        /* Without the extension the key may be used for anything. */
        return 0;
    }
    if (status < 0) {
        error_setg(errp, "Unable to query certificate %s key usage: %s",
                   certFile, gnutls_strerror(status));
        return -1;
    }
    /* A non-critical key usage is only advice, so it never fails here. */
    if (!critical) {
        return 0;
    }

    if (isCA) {
        if (!(usage & GNUTLS_KEY_KEY_CERT_SIGN)) {
            error_setg(errp, "Certificate %s usage does not permit "
                       "certificate signing", certFile);
            return -1;
        }
    } else {
        if (!(usage & GNUTLS_KEY_DIGITAL_SIGNATURE)) {
            error_setg(errp, "Certificate %s usage does not permit "
                       "digital signature", certFile);
            return -1;
        }
        if (!(usage & GNUTLS_KEY_KEY_ENCIPHERMENT)) {
            error_setg(errp, "Certificate %s usage does not permit "
                       "key encipherment", certFile);
            return -1;
        }
    }
    return 0;
}

static int qcrypto_tls_creds_x509_check_key_purpose(gnutls_x509_crt_t cert,
                                                    const char *certFile,
                                                    bool isServer,
                                                    Error **errp)
{
    bool allowClient = false;
    bool allowServer = false;
    bool critical = false;
    unsigned int i;

    for (i = 0;; i++) {
        char *oid;
        size_t size = 0;
        unsigned int purposeCritical = 0;
        int status = gnutls_x509_crt_get_key_purpose_oid(cert, i, NULL,
                                                         &size, NULL);

        if (status == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
            if (i == 0) {
                /* No extended key usage at all: any purpose is fine. */
                allowClient = allowServer = true;
            }
            break;
        }
        if (status != GNUTLS_E_SHORT_MEMORY_BUFFER) {
            error_setg(errp, "Unable to query certificate %s key purpose: "
                       "%s", certFile, gnutls_strerror(status));
            return -1;
        }

        oid = g_new0(char, size);
        status = gnutls_x509_crt_get_key_purpose_oid(cert, i, oid, &size,
                                                     &purposeCritical);
        if (status < 0) {
            error_setg(errp, "Unable to query certificate %s key purpose: "
                       "%s", certFile, gnutls_strerror(status));
            g_free(oid);
            return -1;
        }
        if (purposeCritical) {
            critical = true;
        }
        if (g_str_equal(oid, GNUTLS_KP_TLS_WWW_SERVER)) {
            allowServer = true;
        } else if (g_str_equal(oid, GNUTLS_KP_TLS_WWW_CLIENT)) {
            allowClient = true;
        } else if (g_str_equal(oid, GNUTLS_KP_ANY)) {
            allowServer = allowClient = true;
        }
        g_free(oid);
    }

    if (!critical) {
        return 0;
    }
    if (isServer && !allowServer) {
        error_setg(errp, "Certificate %s purpose does not allow use "
                   "with a TLS server", certFile);
        return -1;
    }
    if (!isServer && !allowClient) {
        error_setg(errp, "Certificate %s purpose does not allow use "
                   "with a TLS client", certFile);
        return -1;
    }
    return 0;
}

static int qcrypto_tls_creds_x509_check_cert(gnutls_x509_crt_t cert,
                                             const char *certFile,
                                             bool isServer,
                                             bool isCA,
                                             Error **errp)
{
    if (qcrypto_tls_creds_x509_check_times(cert, certFile, isServer,
                                           isCA, errp) < 0 ||
        qcrypto_tls_creds_x509_check_basic_constraints(cert, certFile,
                                                       isServer, isCA,
                                                       errp) < 0 ||
        qcrypto_tls_creds_x509_check_key_usage(cert, certFile, isCA,
                                               errp) < 0) {
        return -1;
    }
    if (!isCA &&
        qcrypto_tls_creds_x509_check_key_purpose(cert, certFile, isServer,
                                                 errp) < 0) {
        return -1;
    }
    return 0;
}

static int qcrypto_tls_creds_x509_check_chain(gnutls_x509_crt_t cert,
                                              const char *certFile,
                                              gnutls_x509_crt_t *cacerts,
                                              unsigned int ncacerts,
                                              const char *cacertFile,
                                              bool isServer,
                                              Error **errp)
{
    unsigned int status = 0;
    gnutls_datum_t reason = { NULL, 0 };
    int ret = gnutls_x509_crt_list_verify(&cert, 1, cacerts, ncacerts,
                                          NULL, 0, 0, &status);

    if (ret < 0) {
        error_setg(errp, "Unable to verify %s certificate %s against CA "
                   "certificates %s: %s", isServer ? "server" : "client",
                   certFile, cacertFile, gnutls_strerror(ret));
        return -1;
    }
    if (status == 0) {
        return 0;
    }

    if (gnutls_certificate_verification_status_print(status,
                                                     GNUTLS_CRT_X509,
                                                     &reason, 0) < 0) {
        reason.data = NULL;
    }
    error_setg(errp, "The %s certificate %s failed validation against CA "
               "certificates %s: %s", isServer ? "server" : "client",
               certFile, cacertFile,
               reason.data ? (const char *)reason.data : "unknown reason");
    gnutls_free(reason.data);
    return -1;
}

/*
 * Parses up to @max PEM certificates from @certFile into @certs.  With
 * @max == 1 only the first certificate of the file is read.
 */
static int qcrypto_tls_creds_x509_load_certs(const char *certFile,
                                             gnutls_x509_crt_t *certs,
                                             unsigned int max,
                                             unsigned int *ncerts,
                                             Error **errp)
{
    gnutls_datum_t data;
    gchar *buf = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    int ret;

    *ncerts = 0;
    if (!g_file_get_contents(certFile, &buf, &len, &gerr)) {
        error_setg(errp, "Cannot read certificate %s: %s",
                   certFile, gerr->message);
        g_error_free(gerr);
        return -1;
    }
    data.data = (unsigned char *)buf;
    data.size = len;

    if (max == 1) {
        ret = gnutls_x509_crt_init(&certs[0]);
        if (ret < 0) {
            error_setg(errp, "Cannot initialize certificate: %s",
                       gnutls_strerror(ret));
            g_free(buf);
            return -1;
        }
        ret = gnutls_x509_crt_import(certs[0], &data, GNUTLS_X509_FMT_PEM);
        if (ret < 0) {
            gnutls_x509_crt_deinit(certs[0]);
            error_setg(errp, "Cannot parse certificate %s: %s",
                       certFile, gnutls_strerror(ret));
            g_free(buf);
            return -1;
        }
        *ncerts = 1;
    } else {
        *ncerts = max;
        ret = gnutls_x509_crt_list_import(
            certs, ncerts, &data, GNUTLS_X509_FMT_PEM,
            GNUTLS_X509_CRT_LIST_IMPORT_FAIL_IF_EXCEED);
        if (ret < 0) {
            *ncerts = 0;
            if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER) {
                error_setg(errp, "Certificate file %s holds more than %u "
                           "certificates", certFile, max);
            } else {
                error_setg(errp, "Cannot parse certificates in %s: %s",
                           certFile, gnutls_strerror(ret));
            }
            g_free(buf);
            return -1;
        }
        *ncerts = ret;
        if (*ncerts == 0) {
            error_setg(errp, "No certificates found in %s", certFile);
            g_free(buf);
            return -1;
        }
    }
    g_free(buf);
    return 0;
}

static int qcrypto_tls_creds_x509_sanity_check(QCryptoTLSCredsX509 *creds,
                                               bool isServer,
                                               const char *cacertFile,
                                               const char *certFile,
                                               Error **errp)
{
    gnutls_x509_crt_t cert = NULL;
    gnutls_x509_crt_t cacerts[QCRYPTO_TLS_CREDS_X509_MAX_CA_CERTS];
    unsigned int ncacerts = 0;
    unsigned int ncerts = 0;
    unsigned int i;
    int ret = -1;

    if (certFile &&
        qcrypto_tls_creds_x509_load_certs(certFile, &cert, 1, &ncerts,
                                          errp) < 0) {
        goto cleanup;
    }
    if (qcrypto_tls_creds_x509_load_certs(
            cacertFile, cacerts, QCRYPTO_TLS_CREDS_X509_MAX_CA_CERTS,
            &ncacerts, errp) < 0) {
        goto cleanup;
    }

    if (cert &&
        qcrypto_tls_creds_x509_check_cert(cert, certFile, isServer,
                                          false, errp) < 0) {
        goto cleanup;
    }
    for (i = 0; i < ncacerts; i++) {
        if (qcrypto_tls_creds_x509_check_cert(cacerts[i], cacertFile,
                                              isServer, true, errp) < 0) {
            goto cleanup;
        }
    }
    if (cert &&
        qcrypto_tls_creds_x509_check_chain(cert, certFile, cacerts,
                                           ncacerts, cacertFile, isServer,
                                           errp) < 0) {
        goto cleanup;
    }
    ret = 0;

 cleanup:
    if (cert) {
        gnutls_x509_crt_deinit(cert);
    }
    for (i = 0; i < ncacerts; i++) {
        gnutls_x509_crt_deinit(cacerts[i]);
    }
    return ret;
}

static int qcrypto_tls_creds_x509_load(QCryptoTLSCredsX509 *creds,
                                       Error **errp)
{
    QCryptoTLSCreds *base = &creds->parent_obj;
    bool isServer = base->endpoint == QCRYPTO_TLS_CREDS_ENDPOINT_SERVER;
    char *cacert = NULL, *cacrl = NULL, *cert = NULL;
    char *key = NULL, *dhparams = NULL;
    int ret;
    int rv = -1;

    if (isServer) {
        if (qcrypto_tls_creds_get_path(base,
                                       QCRYPTO_TLS_CREDS_X509_CA_CERT,
                                       true, &cacert, errp) < 0 ||
            qcrypto_tls_creds_get_path(base,
                                       QCRYPTO_TLS_CREDS_X509_CA_CRL,
                                       false, &cacrl, errp) < 0 ||
            qcrypto_tls_creds_get_path(base,
                                       QCRYPTO_TLS_CREDS_X509_SERVER_CERT,
                                       true, &cert, errp) < 0 ||
            qcrypto_tls_creds_get_path(base,
                                       QCRYPTO_TLS_CREDS_X509_SERVER_KEY,
                                       true, &key, errp) < 0 ||
            qcrypto_tls_creds_get_path(base,
                                       QCRYPTO_TLS_CREDS_DH_PARAMS,
                                       false, &dhparams, errp) < 0) {
            goto cleanup;
        }
    } else {
        if (qcrypto_tls_creds_get_path(base,
                                       QCRYPTO_TLS_CREDS_X509_CA_CERT,
                                       true, &cacert, errp) < 0 ||
            qcrypto_tls_creds_get_path(base,
                                       QCRYPTO_TLS_CREDS_X509_CA_CRL,
                                       false, &cacrl, errp) < 0 ||
            qcrypto_tls_creds_get_path(base,
                                       QCRYPTO_TLS_CREDS_X509_CLIENT_CERT,
                                       false, &cert, errp) < 0 ||
            qcrypto_tls_creds_get_path(base,
                                       QCRYPTO_TLS_CREDS_X509_CLIENT_KEY,
                                       false, &key, errp) < 0) {
            goto cleanup;
        }
        /* A certificate is only usable together with its key. */
        if (!cert || !key) {
            g_free(cert);
            g_free(key);
            cert = key = NULL;
        }
    }

    if (creds->sanityCheck &&
        qcrypto_tls_creds_x509_sanity_check(creds, isServer, cacert, cert,
                                            errp) < 0) {
        goto cleanup;
    }

    ret = gnutls_certificate_allocate_credentials(&creds->data);
    if (ret < 0) {
        error_setg(errp, "Cannot allocate credentials: %s",
                   gnutls_strerror(ret));
        goto cleanup;
    }

    ret = gnutls_certificate_set_x509_trust_file(creds->data, cacert,
                                                 GNUTLS_X509_FMT_PEM);
    if (ret < 0) {
        error_setg(errp, "Cannot load CA certificate %s: %s",
                   cacert, gnutls_strerror(ret));
        goto cleanup;
    }
    if (ret == 0) {
        error_setg(errp, "No CA certificates found in %s", cacert);
        goto cleanup;
    }

    if (cert && key) {
        ret = gnutls_certificate_set_x509_key_file(creds->data, cert, key,
                                                   GNUTLS_X509_FMT_PEM);
        if (ret < 0) {
            error_setg(errp, "Cannot load certificate %s and key %s: %s",
                       cert, key, gnutls_strerror(ret));
            goto cleanup;
        }
    }

    if (cacrl) {
        ret = gnutls_certificate_set_x509_crl_file(creds->data, cacrl,
                                                   GNUTLS_X509_FMT_PEM);
        if (ret < 0) {
            error_setg(errp, "Cannot load CRL %s: %s",
                       cacrl, gnutls_strerror(ret));
            goto cleanup;
        }
    }

    if (isServer) {
        if (qcrypto_tls_creds_get_dh_params_file(base, dhparams,
                                                 &base->dh_params,
                                                 errp) < 0) {
            goto cleanup;
        }
        if (base->dh_params) {
            gnutls_certificate_set_dh_params(creds->data, base->dh_params);
        } else {
            ret = gnutls_certificate_set_known_dh_params(
                creds->data, GNUTLS_SEC_PARAM_MEDIUM);
            if (ret < 0) {
                error_setg(errp, "Cannot select built-in DH parameters: %s",
                           gnutls_strerror(ret));
                goto cleanup;
            }
        }
    }
    rv = 0;

 cleanup:
    g_free(cacert);
    g_free(cacrl);
    g_free(cert);
    g_free(key);
    g_free(dhparams);
    return rv;
}

static void qcrypto_tls_creds_x509_unload(QCryptoTLSCredsX509 *creds)
{
    QCryptoTLSCreds *base = &creds->parent_obj;

    if (creds->data) {
        gnutls_certificate_free_credentials(creds->data);
        creds->data = NULL;
    }
    if (base->dh_params) {
        gnutls_dh_params_deinit(base->dh_params);
        base->dh_params = NULL;
    }
}

static bool qcrypto_tls_creds_x509_is_loaded(QCryptoTLSCredsX509 *creds)
{
    return creds->data != NULL;
}

#else /* !CONFIG_GNUTLS */

static int qcrypto_tls_creds_x509_load(QCryptoTLSCredsX509 *creds,
                                       Error **errp)
{
    error_setg(errp, "TLS credentials support requires GNUTLS");
    return -1;
}

static void qcrypto_tls_creds_x509_unload(QCryptoTLSCredsX509 *creds)
{
}

static bool qcrypto_tls_creds_x509_is_loaded(QCryptoTLSCredsX509 *creds)
{
    return false;
}

#endif /* !CONFIG_GNUTLS */

static void qcrypto_tls_creds_x509_prop_set_loaded(Object *obj, bool value,
                                                   Error **errp)
{
    QCryptoTLSCredsX509 *creds = QCRYPTO_TLS_CREDS_X509(obj);

    qcrypto_tls_creds_x509_unload(creds);
    if (value && qcrypto_tls_creds_x509_load(creds, errp) < 0) {
        qcrypto_tls_creds_x509_unload(creds);
    }
}

static bool qcrypto_tls_creds_x509_prop_get_loaded(Object *obj, Error **errp)
{
    return qcrypto_tls_creds_x509_is_loaded(QCRYPTO_TLS_CREDS_X509(obj));
}

static void qcrypto_tls_creds_x509_prop_set_sanity(Object *obj, bool value,
                                                   Error **errp)
{
    QCryptoTLSCredsX509 *creds = QCRYPTO_TLS_CREDS_X509(obj);

    creds->sanityCheck = value;
}

static bool qcrypto_tls_creds_x509_prop_get_sanity(Object *obj, Error **errp)
{
    QCryptoTLSCredsX509 *creds = QCRYPTO_TLS_CREDS_X509(obj);

    return creds->sanityCheck;
}

static void qcrypto_tls_creds_x509_complete(UserCreatable *uc, Error **errp)
{
    object_property_set_bool(OBJECT(uc), true, "loaded", errp);
}

static void qcrypto_tls_creds_x509_init(Object *obj)
{
    QCryptoTLSCredsX509 *creds = QCRYPTO_TLS_CREDS_X509(obj);

    creds->sanityCheck = true;

    object_property_add_bool(obj, "loaded",
                             qcrypto_tls_creds_x509_prop_get_loaded,
                             qcrypto_tls_creds_x509_prop_set_loaded,
                             NULL);
    object_property_add_bool(obj, "sanity-check",
                             qcrypto_tls_creds_x509_prop_get_sanity,
                             qcrypto_tls_creds_x509_prop_set_sanity,
                             NULL);
}

static void qcrypto_tls_creds_x509_finalize(Object *obj)
{
    qcrypto_tls_creds_x509_unload(QCRYPTO_TLS_CREDS_X509(obj));
}

static void qcrypto_tls_creds_x509_class_init(ObjectClass *oc, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = qcrypto_tls_creds_x509_complete;
}

static const TypeInfo qcrypto_tls_creds_x509_info = {
    .parent = TYPE_QCRYPTO_TLS_CREDS,
    .name = TYPE_QCRYPTO_TLS_CREDS_X509,
    .instance_size = sizeof(QCryptoTLSCredsX509),
    .instance_init = qcrypto_tls_creds_x509_init,
    .instance_finalize = qcrypto_tls_creds_x509_finalize,
    .class_size = sizeof(QCryptoTLSCredsX509Class),
    .class_init = qcrypto_tls_creds_x509_class_init,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { }
    }
};

static void qcrypto_tls_creds_x509_register_types(void)
{
    type_register_static(&qcrypto_tls_creds_x509_info);
}

type_init(qcrypto_tls_creds_x509_register_types);
