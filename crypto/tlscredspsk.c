/*
 * QCryptoTLSCredsPSK: pre-shared key TLS credentials read from keys.psk.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "crypto/tlscredspsk.h"
#include "tlscredspriv.h"
#include "qom/object_interfaces.h"

static const char *
qcrypto_tls_creds_psk_username(QCryptoTLSCredsPSK *creds)
{
    return creds->username ? creds->username :
        QCRYPTO_TLS_CREDS_PSK_DEFAULT_USERNAME;
}

#ifdef CONFIG_GNUTLS

/*
 * Checks one "username:hexkey" line.  On success returns the length of the
 * username and points *hex at the key digits (*hexlen of them).
 */
static bool qcrypto_tls_creds_psk_parse_line(const char *line,
                                             size_t *userlen,
                                             const char **hex,
                                             size_t *hexlen)
{
    const char *colon = strchr(line, ':');
    size_t i;

    if (!colon || colon == line) {
        return false;
    }
    *userlen = colon - line;
    *hex = colon + 1;
    *hexlen = strlen(*hex);
    if (*hexlen == 0 || *hexlen % 2 != 0) {
        return false;
    }
    for (i = 0; i < *hexlen; i++) {
        if (!g_ascii_isxdigit((*hex)[i])) {
            return false;
        }
    }
    return true;
}

/*
 * Validates the whole key file and, when @username is given, copies out
 * the raw key for that identity.  The file content is wiped before it is
 * freed since it holds secrets.
 */
static int qcrypto_tls_creds_psk_read_file(const char *path,
                                           const char *username,
                                           gnutls_datum_t *key,
                                           Error **errp)
{
    gchar *contents = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    gchar **lines;
    size_t nentries = 0;
    bool found = false;
    int ret = -1;
    size_t i;

    if (!g_file_get_contents(path, &contents, &len, &gerr)) {
        error_setg(errp, "Cannot read PSK file %s: %s", path, gerr->message);
        g_error_free(gerr);
        return -1;
    }

    lines = g_strsplit(contents, "\n", -1);
    for (i = 0; lines[i]; i++) {
        char *line = lines[i];
        size_t linelen = strlen(line);
        size_t userlen, hexlen, j;
        const char *hex;

        if (linelen && line[linelen - 1] == '\r') {
            line[--linelen] = '\0';
        }
        if (linelen == 0 || line[0] == '#') {
            continue;
        }
        if (!qcrypto_tls_creds_psk_parse_line(line, &userlen,
                                              &hex, &hexlen)) {
            error_setg(errp, "Malformed line %zu in PSK file %s: "
                       "expected 'username:hexkey'", i + 1, path);
            goto cleanup;
        }
        nentries++;
        if (!username || found || strlen(username) != userlen ||
            memcmp(username, line, userlen) != 0) {
            continue;
        }
        found = true;
        key->size = hexlen / 2;
        key->data = gnutls_malloc(key->size);
        if (!key->data) {
            error_setg(errp, "Cannot allocate PSK key");
            goto cleanup;
        }
        for (j = 0; j < key->size; j++) {
            key->data[j] = (g_ascii_xdigit_value(hex[2 * j]) << 4) |
                g_ascii_xdigit_value(hex[2 * j + 1]);
        }
    }

    if (nentries == 0) {
        error_setg(errp, "PSK file %s contains no keys", path);
        goto cleanup;
    }
    if (username && !found) {
        error_setg(errp, "Username %s not found in PSK file %s",
                   username, path);
        goto cleanup;
    }
    ret = 0;

 cleanup:
    for (i = 0; lines[i]; i++) {
        memset(lines[i], 0, strlen(lines[i]));
    }
    g_strfreev(lines);
    memset(contents, 0, len);
    g_free(contents);
    if (ret < 0 && key && key->data) {
        memset(key->data, 0, key->size);
        gnutls_free(key->data);
        key->data = NULL;
        key->size = 0;
    }
    return ret;
}

static int qcrypto_tls_creds_psk_load(QCryptoTLSCredsPSK *creds,
                                      Error **errp)
{
    QCryptoTLSCreds *base = &creds->parent_obj;
    char *pskfile = NULL;
    char *dhparams = NULL;
    gnutls_datum_t key = { NULL, 0 };
    const char *username = qcrypto_tls_creds_psk_username(creds);
    int ret;
    int rv = -1;

    if (qcrypto_tls_creds_get_path(base, QCRYPTO_TLS_CREDS_PSKFILE,
                                   true, &pskfile, errp) < 0) {
        goto cleanup;
    }

    if (base->endpoint == QCRYPTO_TLS_CREDS_ENDPOINT_SERVER) {
        if (qcrypto_tls_creds_get_path(base, QCRYPTO_TLS_CREDS_DH_PARAMS,
                                       false, &dhparams, errp) < 0 ||
            qcrypto_tls_creds_psk_read_file(pskfile, NULL, NULL,
                                            errp) < 0) {
            goto cleanup;
        }

        ret = gnutls_psk_allocate_server_credentials(&creds->data.server);
        if (ret < 0) {
            error_setg(errp, "Cannot allocate PSK credentials: %s",
                       gnutls_strerror(ret));
            goto cleanup;
        }
        ret = gnutls_psk_set_server_credentials_file(creds->data.server,
                                                     pskfile);
        if (ret < 0) {
            error_setg(errp, "Cannot use PSK file %s: %s",
                       pskfile, gnutls_strerror(ret));
            goto cleanup;
        }

        if (qcrypto_tls_creds_get_dh_params_file(base, dhparams,
                                                 &base->dh_params,
                                                 errp) < 0) {
            goto cleanup;
        }
        if (base->dh_params) {
            gnutls_psk_set_server_dh_params(creds->data.server,
                                            base->dh_params);
        } else {
            ret = gnutls_psk_set_server_known_dh_params(
                creds->data.server, GNUTLS_SEC_PARAM_MEDIUM);
            if (ret < 0) {
                error_setg(errp, "Cannot select built-in DH parameters: %s",
                           gnutls_strerror(ret));
                goto cleanup;
            }
        }
    } else {
        if (strchr(username, ':')) {
            error_setg(errp, "PSK username '%s' must not contain ':'",
                       username);
            goto cleanup;
        }
        if (qcrypto_tls_creds_psk_read_file(pskfile, username, &key,
                                            errp) < 0) {
            goto cleanup;
        }

        ret = gnutls_psk_allocate_client_credentials(&creds->data.client);
        if (ret < 0) {
            error_setg(errp, "Cannot allocate PSK credentials: %s",
                       gnutls_strerror(ret));
            goto cleanup;
        }
        ret = gnutls_psk_set_client_credentials(creds->data.client,
                                                username, &key,
                                                GNUTLS_PSK_KEY_RAW);
        if (ret < 0) {
            error_setg(errp, "Cannot set PSK client credentials: %s",
                       gnutls_strerror(ret));
            goto cleanup;
        }
    }
    rv = 0;

 cleanup:
    if (key.data) {
        memset(key.data, 0, key.size);
        gnutls_free(key.data);
    }
    g_free(pskfile);
    g_free(dhparams);
    return rv;
}

static void qcrypto_tls_creds_psk_unload(QCryptoTLSCredsPSK *creds)
{
    QCryptoTLSCreds *base = &creds->parent_obj;

    if (base->endpoint == QCRYPTO_TLS_CREDS_ENDPOINT_SERVER) {
        if (creds->data.server) {
            gnutls_psk_free_server_credentials(creds->data.server);
            creds->data.server = NULL;
        }
    } else {
        if (creds->data.client) {
            gnutls_psk_free_client_credentials(creds->data.client);
            creds->data.client = NULL;
        }
    }
    if (base->dh_params) {
        gnutls_dh_params_deinit(base->dh_params);
        base->dh_params = NULL;
    }
}

static bool qcrypto_tls_creds_psk_is_loaded(QCryptoTLSCredsPSK *creds)
{
    return creds->data.server != NULL;
}

#else /* !CONFIG_GNUTLS */

static int qcrypto_tls_creds_psk_load(QCryptoTLSCredsPSK *creds,
                                      Error **errp)
{
    error_setg(errp, "TLS credentials support requires GNUTLS");
    return -1;
}

static void qcrypto_tls_creds_psk_unload(QCryptoTLSCredsPSK *creds)
{
}

static bool qcrypto_tls_creds_psk_is_loaded(QCryptoTLSCredsPSK *creds)
{
    return false;
}

#endif /* !CONFIG_GNUTLS */

static void qcrypto_tls_creds_psk_prop_set_loaded(Object *obj, bool value,
                                                  Error **errp)
{
    QCryptoTLSCredsPSK *creds = QCRYPTO_TLS_CREDS_PSK(obj);

    qcrypto_tls_creds_psk_unload(creds);
    if (value && qcrypto_tls_creds_psk_load(creds, errp) < 0) {
        qcrypto_tls_creds_psk_unload(creds);
    }
}

static bool qcrypto_tls_creds_psk_prop_get_loaded(Object *obj, Error **errp)
{
    return qcrypto_tls_creds_psk_is_loaded(QCRYPTO_TLS_CREDS_PSK(obj));
}

static void qcrypto_tls_creds_psk_prop_set_username(Object *obj,
                                                    const char *value,
                                                    Error **errp)
{
    QCryptoTLSCredsPSK *creds = QCRYPTO_TLS_CREDS_PSK(obj);

    g_free(creds->username);
    creds->username = g_strdup(value);
}

static char *qcrypto_tls_creds_psk_prop_get_username(Object *obj,
                                                     Error **errp)
{
    QCryptoTLSCredsPSK *creds = QCRYPTO_TLS_CREDS_PSK(obj);

    return g_strdup(qcrypto_tls_creds_psk_username(creds));
}

static void qcrypto_tls_creds_psk_complete(UserCreatable *uc, Error **errp)
{
    object_property_set_bool(OBJECT(uc), true, "loaded", errp);
}

static void qcrypto_tls_creds_psk_init(Object *obj)
{
    object_property_add_bool(obj, "loaded",
                             qcrypto_tls_creds_psk_prop_get_loaded,
                             qcrypto_tls_creds_psk_prop_set_loaded,
                             NULL);
    object_property_add_str(obj, "username",
                            qcrypto_tls_creds_psk_prop_get_username,
                            qcrypto_tls_creds_psk_prop_set_username,
                            NULL);
}

static void qcrypto_tls_creds_psk_finalize(Object *obj)
{
    QCryptoTLSCredsPSK *creds = QCRYPTO_TLS_CREDS_PSK(obj);

    qcrypto_tls_creds_psk_unload(creds);
    g_free(creds->username);
    creds->username = NULL;
}

static void qcrypto_tls_creds_psk_class_init(ObjectClass *oc, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = qcrypto_tls_creds_psk_complete;
}

static const TypeInfo qcrypto_tls_creds_psk_info = {
    .parent = TYPE_QCRYPTO_TLS_CREDS,
    .name = TYPE_QCRYPTO_TLS_CREDS_PSK,
    .instance_size = sizeof(QCryptoTLSCredsPSK),
    .instance_init = qcrypto_tls_creds_psk_init,
    .instance_finalize = qcrypto_tls_creds_psk_finalize,
    .class_size = sizeof(QCryptoTLSCredsPSKClass),
    .class_init = qcrypto_tls_creds_psk_class_init,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { }
    }
};

static void qcrypto_tls_creds_psk_register_types(void)
{
    type_register_static(&qcrypto_tls_creds_psk_info);
}

type_init(qcrypto_tls_creds_psk_register_types);
