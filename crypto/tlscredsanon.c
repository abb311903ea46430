/*
 * QCryptoTLSCredsAnon: anonymous TLS credentials.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "crypto/tlscredsanon.h"
#include "tlscredspriv.h"
#include "qom/object_interfaces.h"

#ifdef CONFIG_GNUTLS

static int qcrypto_tls_creds_anon_load(QCryptoTLSCredsAnon *creds,
                                       Error **errp)
{
    QCryptoTLSCreds *base = &creds->parent_obj;
    char *dhparams = NULL;
    int ret;
    int rv = -1;

    if (base->endpoint == QCRYPTO_TLS_CREDS_ENDPOINT_SERVER) {
        /* The directory is optional here: it only ever holds DH params. */
        if (base->dir &&
            qcrypto_tls_creds_get_path(base, QCRYPTO_TLS_CREDS_DH_PARAMS,
                                       false, &dhparams, errp) < 0) {
            goto cleanup;
        }

        ret = gnutls_anon_allocate_server_credentials(&creds->data.server);
        if (ret < 0) {
            error_setg(errp, "Cannot allocate anonymous credentials: %s",
                       gnutls_strerror(ret));
            goto cleanup;
        }

        if (qcrypto_tls_creds_get_dh_params_file(base, dhparams,
                                                 &base->dh_params,
                                                 errp) < 0) {
            goto cleanup;
        }
        if (base->dh_params) {
            gnutls_anon_set_server_dh_params(creds->data.server,
                                             base->dh_params);
        } else {
            ret = gnutls_anon_set_server_known_dh_params(
                creds->data.server, GNUTLS_SEC_PARAM_MEDIUM);
            if (ret < 0) {
                error_setg(errp, "Cannot select built-in DH parameters: %s",
                           gnutls_strerror(ret));
                goto cleanup;
            }
        }
    } else {
        ret = gnutls_anon_allocate_client_credentials(&creds->data.client);
        if (ret < 0) {
            error_setg(errp, "Cannot allocate anonymous credentials: %s",
                       gnutls_strerror(ret));
            goto cleanup;
        }
    }
    rv = 0;

 cleanup:
    g_free(dhparams);
    return rv;
}

static void qcrypto_tls_creds_anon_unload(QCryptoTLSCredsAnon *creds)
{
    QCryptoTLSCreds *base = &creds->parent_obj;

    if (base->endpoint == QCRYPTO_TLS_CREDS_ENDPOINT_SERVER) {
        if (creds->data.server) {
            gnutls_anon_free_server_credentials(creds->data.server);
            creds->data.server = NULL;
        }
    } else {
        if (creds->data.client) {
            gnutls_anon_free_client_credentials(creds->data.client);
            creds->data.client = NULL;
        }
    }
    if (base->dh_params) {
        gnutls_dh_params_deinit(base->dh_params);
        base->dh_params = NULL;
    }
}

#else /* !CONFIG_GNUTLS */

static int qcrypto_tls_creds_anon_load(QCryptoTLSCredsAnon *creds,
                                       Error **errp)
{
    error_setg(errp, "TLS credentials support requires GNUTLS");
    return -1;
}

static void qcrypto_tls_creds_anon_unload(QCryptoTLSCredsAnon *creds)
{
}

#endif /* !CONFIG_GNUTLS */

static bool qcrypto_tls_creds_anon_is_loaded(QCryptoTLSCredsAnon *creds)
{
#ifdef CONFIG_GNUTLS
    return creds->data.server != NULL;
#else
    return false;
#endif
}

static void qcrypto_tls_creds_anon_prop_set_loaded(Object *obj, bool value,
                                                   Error **errp)
{
    QCryptoTLSCredsAnon *creds = QCRYPTO_TLS_CREDS_ANON(obj);

    /* Reloading starts from scratch so a changed "dir" is honoured. */
    qcrypto_tls_creds_anon_unload(creds);
    if (value && qcrypto_tls_creds_anon_load(creds, errp) < 0) {
        qcrypto_tls_creds_anon_unload(creds);
    }
}

static bool qcrypto_tls_creds_anon_prop_get_loaded(Object *obj, Error **errp)
{
    return qcrypto_tls_creds_anon_is_loaded(QCRYPTO_TLS_CREDS_ANON(obj));
}

static void qcrypto_tls_creds_anon_complete(UserCreatable *uc, Error **errp)
{
    object_property_set_bool(OBJECT(uc), true, "loaded", errp);
}

static void qcrypto_tls_creds_anon_init(Object *obj)
{
    object_property_add_bool(obj, "loaded",
                             qcrypto_tls_creds_anon_prop_get_loaded,
                             qcrypto_tls_creds_anon_prop_set_loaded,
                             NULL);
}

static void qcrypto_tls_creds_anon_finalize(Object *obj)
{
    qcrypto_tls_creds_anon_unload(QCRYPTO_TLS_CREDS_ANON(obj));
}

static void qcrypto_tls_creds_anon_class_init(ObjectClass *oc, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = qcrypto_tls_creds_anon_complete;
}

static const TypeInfo qcrypto_tls_creds_anon_info = {
    .parent = TYPE_QCRYPTO_TLS_CREDS,
    .name = TYPE_QCRYPTO_TLS_CREDS_ANON,
    .instance_size = sizeof(QCryptoTLSCredsAnon),
    .instance_init = qcrypto_tls_creds_anon_init,
    .instance_finalize = qcrypto_tls_creds_anon_finalize,
    .class_size = sizeof(QCryptoTLSCredsAnonClass),
    .class_init = qcrypto_tls_creds_anon_class_init,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { }
    }
};

static void qcrypto_tls_creds_anon_register_types(void)
{
    type_register_static(&qcrypto_tls_creds_anon_info);
}

type_init(qcrypto_tls_creds_anon_register_types);
