/*
 * Helpers shared by the TLS credentials classes; not installed.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QCRYPTO_TLSCREDSPRIV_H
#define QCRYPTO_TLSCREDSPRIV_H

#include "crypto/tlscreds.h"

#ifdef CONFIG_GNUTLS

/**
 * qcrypto_tls_creds_get_path:
 * @creds: the credentials
 * @filename: a file name relative to the credentials directory
 * @required: whether a missing directory or file is an error
 * @cred: filled with the full path (to be g_free()d), or NULL when the
 *        file is absent and not @required
 * @errp: pointer to a NULL-initialized error object
 *
 * Locates one credential file inside @creds->dir.
 *
 * Returns: 0 on success (including an absent optional file), -1 with
 * @errp set when a required file or the directory is missing
 */
int qcrypto_tls_creds_get_path(QCryptoTLSCreds *creds,
                               const char *filename,
                               bool required,
                               char **cred,
                               Error **errp);

/**
 * qcrypto_tls_creds_get_dh_params_file:
 * @creds: the credentials
 * @filename: path of a PEM file with DH parameters, or NULL
 * @dh_params: filled with the loaded parameters, or NULL when @filename
 *             is NULL (the caller then selects GnuTLS' built-in groups)
 * @errp: pointer to a NULL-initialized error object
 *
 * Loads server DH parameters.  Parameters are never generated here.
 *
 * Returns: 0 on success, -1 with @errp set when the file cannot be read or
 * parsed
 */
int qcrypto_tls_creds_get_dh_params_file(QCryptoTLSCreds *creds,
                                         const char *filename,
                                         gnutls_dh_params_t *dh_params,
                                         Error **errp);

#endif /* CONFIG_GNUTLS */

#endif /* QCRYPTO_TLSCREDSPRIV_H */
