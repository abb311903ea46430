/*
 * Credential directories shared by the TLS tests; see tls-test-creds.h.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "tls-test-creds.h"

#ifdef QCRYPTO_HAVE_TLS_TEST_SUPPORT

#include "crypto/tlscredsx509.h"

char *tls_test_subdir(const char *parent, const char *name)
{
    char *dir = g_build_filename(parent, name, NULL);

    g_assert_cmpint(mkdir(dir, 0700), ==, 0);
    return dir;
}

void tls_test_link(const char *from, const char *dir, const char *name)
{
    char *to = g_build_filename(dir, name, NULL);

    g_assert_cmpint(link(from, to), ==, 0);
    g_free(to);
}

void tls_test_unlink_in(const char *dir, const char *name)
{
    char *path = g_build_filename(dir, name, NULL);

    unlink(path);
    g_free(path);
}

void tls_test_x509_dirs_init(TLSTestX509Dirs *dirs, const char *keyfile,
                             const char *server_dir, const char *client_dir,
                             const char *ca_cn, const char *server_cn,
                             const char *server_altname,
                             const char *server_ipaddr)
{
    const QCryptoTLSTestCertReq cacert = {
        .country = "UK", .cn = ca_cn,
        .basicConstraintsEnable = true, .basicConstraintsCritical = true,
        .basicConstraintsIsCA = true,
        .keyUsageEnable = true, .keyUsageCritical = true,
        .keyUsageValue = GNUTLS_KEY_KEY_CERT_SIGN,
    };
    const QCryptoTLSTestCertReq leafcert = {
        .country = "UK",
        .basicConstraintsEnable = true, .basicConstraintsCritical = true,
        .keyUsageEnable = true, .keyUsageCritical = true,
        .keyUsageValue = GNUTLS_KEY_DIGITAL_SIGNATURE |
                         GNUTLS_KEY_KEY_ENCIPHERMENT,
        .keyPurposeEnable = true, .keyPurposeCritical = true,
    };
    char *serverkey;

    dirs->keyfile = keyfile;
    dirs->server_dir = server_dir;
    dirs->client_dir = client_dir;

    dirs->cacert = cacert;
    dirs->cacert.filename = g_build_filename(
        server_dir, QCRYPTO_TLS_CREDS_X509_CA_CERT, NULL);

    dirs->servercert = leafcert;
    dirs->servercert.cn = server_cn;
    dirs->servercert.altname1 = server_altname;
    dirs->servercert.ipaddr1 = server_ipaddr;
    dirs->servercert.keyPurposeOID1 = GNUTLS_KP_TLS_WWW_SERVER;
    dirs->servercert.key = QCRYPTO_TLS_TEST_KEY_RSA;
    dirs->servercert.filename = g_build_filename(
        server_dir, QCRYPTO_TLS_CREDS_X509_SERVER_CERT, NULL);

    dirs->clientcert = leafcert;
    dirs->clientcert.cn = "qemu";
    dirs->clientcert.keyPurposeOID1 = GNUTLS_KP_TLS_WWW_CLIENT;
    dirs->clientcert.filename = g_build_filename(
        client_dir, QCRYPTO_TLS_CREDS_X509_CLIENT_CERT, NULL);

    test_tls_generate_cert(&dirs->cacert, NULL);
    test_tls_generate_cert(&dirs->servercert, dirs->cacert.crt);
    test_tls_generate_cert(&dirs->clientcert, dirs->cacert.crt);
    tls_test_link(dirs->cacert.filename, client_dir,
                  QCRYPTO_TLS_CREDS_X509_CA_CERT);
    tls_test_link(keyfile, client_dir, QCRYPTO_TLS_CREDS_X509_CLIENT_KEY);
    serverkey = g_build_filename(server_dir,
                                 QCRYPTO_TLS_CREDS_X509_SERVER_KEY, NULL);
    test_tls_write_key(QCRYPTO_TLS_TEST_KEY_RSA, serverkey);
    g_free(serverkey);
}

void tls_test_x509_dirs_cleanup(TLSTestX509Dirs *dirs)
{
    tls_test_unlink_in(dirs->client_dir, QCRYPTO_TLS_CREDS_X509_CA_CERT);
    tls_test_unlink_in(dirs->server_dir, QCRYPTO_TLS_CREDS_X509_SERVER_KEY);
    tls_test_unlink_in(dirs->client_dir, QCRYPTO_TLS_CREDS_X509_CLIENT_KEY);
    test_tls_discard_cert(&dirs->clientcert);
    test_tls_discard_cert(&dirs->servercert);
    test_tls_discard_cert(&dirs->cacert);
    g_free((char *)dirs->cacert.filename);
    g_free((char *)dirs->servercert.filename);
    g_free((char *)dirs->clientcert.filename);
    dirs->cacert.filename = NULL;
    dirs->servercert.filename = NULL;
    dirs->clientcert.filename = NULL;
}

#endif /* QCRYPTO_HAVE_TLS_TEST_SUPPORT */
