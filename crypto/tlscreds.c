/*
 * QCryptoTLSCreds: properties and file helpers common to all TLS
 * credentials.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "crypto/tlscreds.h"
#include "tlscredspriv.h"

#ifdef CONFIG_GNUTLS

int qcrypto_tls_creds_get_dh_params_file(QCryptoTLSCreds *creds,
                                         const char *filename,
                                         gnutls_dh_params_t *dh_params,
                                         Error **errp)
{
    gnutls_datum_t data;
    gchar *contents = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    int ret;

    *dh_params = NULL;
    if (!filename) {
        return 0;
    }

    if (!g_file_get_contents(filename, &contents, &len, &gerr)) {
        error_setg(errp, "Cannot read DH parameters %s: %s",
                   filename, gerr->message);
        g_error_free(gerr);
        return -1;
    }

    ret = gnutls_dh_params_init(dh_params);
    if (ret < 0) {
        error_setg(errp, "Cannot initialize DH parameters: %s",
                   gnutls_strerror(ret));
        g_free(contents);
        *dh_params = NULL;
        return -1;
    }

    data.data = (unsigned char *)contents;
    data.size = len;
    ret = gnutls_dh_params_import_pkcs3(*dh_params, &data,
                                        GNUTLS_X509_FMT_PEM);
    g_free(contents);
    if (ret < 0) {
        error_setg(errp, "Cannot load DH parameters from %s: %s",
                   filename, gnutls_strerror(ret));
        gnutls_dh_params_deinit(*dh_params);
        *dh_params = NULL;
        return -1;
    }
    return 0;
}

int qcrypto_tls_creds_get_path(QCryptoTLSCreds *creds,
                               const char *filename,
                               bool required,
                               char **cred,
                               Error **errp)
{
    struct stat sb;

    *cred = NULL;
    if (!creds->dir) {
        if (required) {
            error_setg(errp, "Missing 'dir' property value");
            return -1;
        }
        return 0;
    }

    *cred = g_build_filename(creds->dir, filename, NULL);
    if (stat(*cred, &sb) < 0) {
        if (errno == ENOENT && !required) {
            g_free(*cred);
            *cred = NULL;
            return 0;
        }
        error_setg_errno(errp, errno,
                         "Unable to access credentials %s", *cred);
        g_free(*cred);
        *cred = NULL;
        return -1;
    }
    return 0;
}

#endif /* CONFIG_GNUTLS */

static void qcrypto_tls_creds_prop_set_verify(Object *obj, bool value,
                                              Error **errp)
{
    QCryptoTLSCreds *creds = QCRYPTO_TLS_CREDS(obj);

    creds->verifyPeer = value;
}

static bool qcrypto_tls_creds_prop_get_verify(Object *obj, Error **errp)
{
    QCryptoTLSCreds *creds = QCRYPTO_TLS_CREDS(obj);

    return creds->verifyPeer;
}

static void qcrypto_tls_creds_prop_set_dir(Object *obj, const char *value,
                                           Error **errp)
{
    QCryptoTLSCreds *creds = QCRYPTO_TLS_CREDS(obj);

    g_free(creds->dir);
    creds->dir = g_strdup(value);
}

static char *qcrypto_tls_creds_prop_get_dir(Object *obj, Error **errp)
{
    QCryptoTLSCreds *creds = QCRYPTO_TLS_CREDS(obj);

    return g_strdup(creds->dir);
}

static void qcrypto_tls_creds_prop_set_priority(Object *obj,
                                                const char *value,
                                                Error **errp)
{
    QCryptoTLSCreds *creds = QCRYPTO_TLS_CREDS(obj);

    g_free(creds->priority);
    creds->priority = g_strdup(value);
}

static char *qcrypto_tls_creds_prop_get_priority(Object *obj, Error **errp)
{
    QCryptoTLSCreds *creds = QCRYPTO_TLS_CREDS(obj);

    return g_strdup(creds->priority);
}

static int qcrypto_tls_creds_prop_get_endpoint(Object *obj, Error **errp)
{
    QCryptoTLSCreds *creds = QCRYPTO_TLS_CREDS(obj);

    return creds->endpoint;
}

static void qcrypto_tls_creds_prop_set_endpoint(Object *obj, int value,
                                                Error **errp)
{
    QCryptoTLSCreds *creds = QCRYPTO_TLS_CREDS(obj);

    creds->endpoint = value;
}

static void qcrypto_tls_creds_init(Object *obj)
{
    QCryptoTLSCreds *creds = QCRYPTO_TLS_CREDS(obj);

    creds->verifyPeer = true;
    creds->endpoint = QCRYPTO_TLS_CREDS_ENDPOINT_CLIENT;

    object_property_add_bool(obj, "verify-peer",
                             qcrypto_tls_creds_prop_get_verify,
                             qcrypto_tls_creds_prop_set_verify,
                             NULL);
    object_property_add_str(obj, "dir",
                            qcrypto_tls_creds_prop_get_dir,
                            qcrypto_tls_creds_prop_set_dir,
                            NULL);
    object_property_add_enum(obj, "endpoint",
                             "QCryptoTLSCredsEndpoint",
                             QCryptoTLSCredsEndpoint_lookup,
                             qcrypto_tls_creds_prop_get_endpoint,
                             qcrypto_tls_creds_prop_set_endpoint,
                             NULL);
    object_property_add_str(obj, "priority",
                            qcrypto_tls_creds_prop_get_priority,
                            qcrypto_tls_creds_prop_set_priority,
                            NULL);
}

static void qcrypto_tls_creds_finalize(Object *obj)
{
    QCryptoTLSCreds *creds = QCRYPTO_TLS_CREDS(obj);

    g_free(creds->dir);
    creds->dir = NULL;
    g_free(creds->priority);
    creds->priority = NULL;
#ifdef CONFIG_GNUTLS
    if (creds->dh_params) {
        gnutls_dh_params_deinit(creds->dh_params);
        creds->dh_params = NULL;
    }
#endif
}

static const TypeInfo qcrypto_tls_creds_info = {
    .parent = TYPE_OBJECT,
    .name = TYPE_QCRYPTO_TLS_CREDS,
    .instance_size = sizeof(QCryptoTLSCreds),
    .instance_init = qcrypto_tls_creds_init,
    .instance_finalize = qcrypto_tls_creds_finalize,
    .class_size = sizeof(QCryptoTLSCredsClass),
    .abstract = true,
};

static void qcrypto_tls_creds_register_types(void)
{
    type_register_static(&qcrypto_tls_creds_info);
}

type_init(qcrypto_tls_creds_register_types);
