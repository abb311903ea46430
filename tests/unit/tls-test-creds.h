/*
 * Credential directories shared by the TLS channel and interop tests: a
 * CA with one server and one client certificate, laid out in the file
 * names the x509 credentials object looks for.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_TEST_TLS_TEST_CREDS_H
#define QIO_TEST_TLS_TEST_CREDS_H

#include "qemu/osdep.h"
#include "crypto-tls-x509-helpers.h"

#ifdef QCRYPTO_HAVE_TLS_TEST_SUPPORT

/**
 * tls_test_subdir:
 * @parent: an existing directory
 * @name: the name of the directory to create in @parent
 *
 * Creates @parent/@name with mode 0700; failing to do so fails the test.
 *
 * Returns: the new directory's path; free it with g_free()
 */
char *tls_test_subdir(const char *parent, const char *name);

/**
 * tls_test_link:
 * @from: an existing file
 * @dir: the directory to link it into
 * @name: the name of the new link in @dir
 *
 * Hard-links @from as @dir/@name; failing to do so fails the test.
 */
void tls_test_link(const char *from, const char *dir, const char *name);

/**
 * tls_test_unlink_in:
 * @dir: a directory
 * @name: the name of a file in @dir
 *
 * Removes @dir/@name, ignoring a file that is not there.
 */
void tls_test_unlink_in(const char *dir, const char *name);

/**
 * TLSTestX509Dirs:
 * @keyfile: the built-in key written by test_tls_init(), not owned
 * @server_dir: the server's credential directory, not owned
 * @client_dir: the client's credential directory, not owned
 * @cacert: the CA, written to @server_dir and linked into @client_dir
 * @servercert: the server certificate, in @server_dir
 * @clientcert: the client certificate ("C=UK,CN=qemu"), in @client_dir
 *
 * A pair of x509 credential directories set up by tls_test_x509_dirs_init()
 * and removed again by tls_test_x509_dirs_cleanup().
 */
typedef struct TLSTestX509Dirs {
    const char *keyfile;
    const char *server_dir;
    const char *client_dir;
    QCryptoTLSTestCertReq cacert;
    QCryptoTLSTestCertReq servercert;
    QCryptoTLSTestCertReq clientcert;
} TLSTestX509Dirs;

/**
 * tls_test_x509_dirs_init:
 * @dirs: the directories to fill
 * @keyfile: the key file given to test_tls_init()
 * @server_dir: an existing, empty directory for the server's credentials
 * @client_dir: an existing, empty directory for the client's credentials
 * @ca_cn: the CA's common name
 * @server_cn: the server certificate's common name
 * @server_altname: a DNS subjectAltName for the server, or NULL
 * @server_ipaddr: an IP subjectAltName for the server, or NULL
 *
 * Generates a CA (C=UK, CN=@ca_cn), a server certificate (C=UK,
 * CN=@server_cn, purpose TLS server, carrying the RSA key so that the RSA
 * key exchange is possible) and a client certificate (C=UK, CN=qemu,
 * purpose TLS client, carrying @keyfile's key), both signed by the CA, and
 * lays out the CA, certificate and key files of each side under the names
 * QCRYPTO_TLS_CREDS_X509_* in @server_dir and @client_dir.  Any failure
 * fails the test.
 */
void tls_test_x509_dirs_init(TLSTestX509Dirs *dirs, const char *keyfile,
                             const char *server_dir, const char *client_dir,
                             const char *ca_cn, const char *server_cn,
                             const char *server_altname,
                             const char *server_ipaddr);

/**
 * tls_test_x509_dirs_cleanup:
 * @dirs: directories filled by tls_test_x509_dirs_init()
 *
 * Removes every file tls_test_x509_dirs_init() created (but not the
 * directories nor @dirs->keyfile) and releases the certificates.
 */
void tls_test_x509_dirs_cleanup(TLSTestX509Dirs *dirs);

#endif /* QCRYPTO_HAVE_TLS_TEST_SUPPORT */

#endif /* QIO_TEST_TLS_TEST_CREDS_H */
