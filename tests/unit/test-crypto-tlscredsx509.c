/*
 * Tests of the x509 TLS credentials' sanity checks: certificates with every
 * interesting mix of basicConstraints, keyUsage, extKeyUsage and validity
 * are generated at start-up, and each case loads one CA plus one server or
 * client certificate with "sanity-check" on, expecting success or failure.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"

#include "crypto-tls-x509-helpers.h"
#include "qio-test.h"
#include "scratch-dir.h"

#ifdef QCRYPTO_HAVE_TLS_TEST_SUPPORT

#include "crypto/init.h"
#include "crypto/tlscredsx509.h"
#include "qom/object.h"
#include "qom/object_interfaces.h"

/*
 * A private temporary directory, so that concurrent runs cannot meet:
 * the generated certificates and the key in it, and "certs/" below it,
 * the credentials directory each case fills and empties again.
 */
static char *workdir;
static char *keyfile;
static char *certdir;
#define WORKDIR workdir

typedef struct QCryptoTLSCredsTestData {
    bool isServer;
    const char *cacrt;
    const char *crt;
    /* NULL when loading must succeed, else part of the expected error */
    const char *errmsg;
} QCryptoTLSCredsTestData;

/* Every name a case may create inside certdir. */
static const char *const certdir_files[] = {
    QCRYPTO_TLS_CREDS_X509_CA_CERT,
    QCRYPTO_TLS_CREDS_X509_SERVER_CERT,
    QCRYPTO_TLS_CREDS_X509_SERVER_KEY,
    QCRYPTO_TLS_CREDS_X509_CLIENT_CERT,
    QCRYPTO_TLS_CREDS_X509_CLIENT_KEY,
};

static void certdir_clear(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(certdir_files); i++) {
        char *path = g_build_filename(certdir, certdir_files[i], NULL);

        unlink(path);
        g_free(path);
    }
}

/*
 * Hard-links @src into certdir as @name.  A missing @src is how the
 * "missing*" cases leave a file out, so it is not an error.
 */
static void certdir_link(const char *src, const char *name)
{
    char *dst = g_build_filename(certdir, name, NULL);

    if (link(src, dst) < 0 && errno != ENOENT) {
        g_error("cannot link %s to %s: %s", src, dst, g_strerror(errno));
    }
    g_free(dst);
}

static void test_tls_creds(gconstpointer opaque)
{
    const QCryptoTLSCredsTestData *data = opaque;
    Object *creds;
    Error *err = NULL;

    g_assert_cmpint(mkdir(certdir, 0700), ==, 0);
    certdir_link(data->cacrt, QCRYPTO_TLS_CREDS_X509_CA_CERT);
    if (data->isServer) {
        certdir_link(data->crt, QCRYPTO_TLS_CREDS_X509_SERVER_CERT);
        certdir_link(keyfile, QCRYPTO_TLS_CREDS_X509_SERVER_KEY);
    } else {
        certdir_link(data->crt, QCRYPTO_TLS_CREDS_X509_CLIENT_CERT);
        certdir_link(keyfile, QCRYPTO_TLS_CREDS_X509_CLIENT_KEY);
    }

    creds = object_new_with_props(
        TYPE_QCRYPTO_TLS_CREDS_X509,
        object_get_objects_root(),
        "testtlscreds",
        &err,
        "endpoint", data->isServer ? "server" : "client",
        "dir", certdir,
        "verify-peer", "yes",
        "sanity-check", "yes",
        NULL);

    if (data->errmsg) {
        if (creds) {
            g_error("credentials loaded from CA %s and certificate %s "
                    "although the sanity checks should reject them",
                    data->cacrt, data->crt);
        }
        if (g_test_verbose()) {
            g_test_message("rejected as expected: %s",
                           err ? error_get_pretty(err) : "(no error)");
        }
        /* the reason, not just any failure, is what the case is about */
        qio_assert_error_contains(err, data->errmsg);
        error_free(err);
    } else {
        qio_assert_no_error(err);
        g_assert_nonnull(creds);
        g_assert_nonnull(object_dynamic_cast(creds,
                                             TYPE_QCRYPTO_TLS_CREDS_X509));
        object_unparent(creds);
    }

    certdir_clear();
    g_assert_cmpint(rmdir(certdir), ==, 0);
}

static GPtrArray *test_data;

/*
 * Registers a case; @errmsg is NULL when the credentials must load, or
 * text the error must contain.
 */
static void test_tls_creds_register(const char *name, bool isServer,
                                    const char *cacrt, const char *crt,
                                    const char *errmsg)
{
    QCryptoTLSCredsTestData *data = g_new0(QCryptoTLSCredsTestData, 1);
    char *path = g_strdup_printf("/qcrypto/tlscredsx509/%s", name);

    data->isServer = isServer;
    data->cacrt = cacrt;
    data->crt = crt;
    data->errmsg = errmsg;
    g_ptr_array_add(test_data, data);
    qio_test_add_data_func(path, data, test_tls_creds);
    g_free(path);
}

/* The same reason for several cases. */
#define ERR_SERVER_DIGSIG \
    "server-cert.pem usage does not permit digital signature"
#define ERR_CLIENT_DIGSIG \
    "client-cert.pem usage does not permit digital signature"

#define DIGSIG_KEYENC \
    (GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_ENCIPHERMENT)

int main(int argc, char **argv)
{
    QCryptoTLSTestCAChain cachain;
    char *missingca, *missingserver, *missingclient;
    char *errmissingca, *errmissingserver;
    int ret;

    qio_test_init(&argc, &argv);
    g_assert_cmpint(qcrypto_init(NULL), ==, 0);

    workdir = scratch_dir_new("qio-test-tlscredsx509");
    keyfile = g_build_filename(workdir, "key-ctx.pem", NULL);
    certdir = g_build_filename(workdir, "certs", NULL);
    test_tls_init(keyfile);
    test_data = g_ptr_array_new_with_free_func(g_free);

    /*
     * The reference CA and the leaves it signs.  Every CA below has a CN
     * of its own: they all share one key, so only the names tell them
     * apart during verification.
     */
    TLS_ROOT_REQ(cacertreq,
                 "UK", "qemu CA", NULL, NULL, NULL, NULL,
                 true, true, true,
                 true, true, GNUTLS_KEY_KEY_CERT_SIGN,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(servercertreq, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);
    TLS_CERT_REQ(clientcertreq, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_CLIENT, NULL,
                 0, 0);

    test_tls_creds_register("perfectserver", true, cacertreq.filename,
                            servercertreq.filename, NULL);
    test_tls_creds_register("perfectclient", false, cacertreq.filename,
                            clientcertreq.filename, NULL);

    /*
     * Acceptable CAs, each with a perfect server certificate: no keyUsage
     * at all, basicConstraints not critical, certSign critical.
     */
    TLS_ROOT_REQ(cacert1req,
                 "UK", "qemu CA 1", NULL, NULL, NULL, NULL,
                 true, true, true,
                 false, false, 0,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert1req, cacert1req,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);
    TLS_ROOT_REQ(cacert2req,
                 "UK", "qemu CA 2", NULL, NULL, NULL, NULL,
                 true, false, true,
                 false, false, 0,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert2req, cacert2req,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);
    TLS_ROOT_REQ(cacert3req,
                 "UK", "qemu CA 3", NULL, NULL, NULL, NULL,
                 true, false, true,
                 true, true, GNUTLS_KEY_KEY_CERT_SIGN,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert3req, cacert3req,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);

    test_tls_creds_register("goodca1", true, cacert1req.filename,
                            servercert1req.filename, NULL);
    test_tls_creds_register("goodca2", true, cacert2req.filename,
                            servercert2req.filename, NULL);
    test_tls_creds_register("goodca3", true, cacert3req.filename,
                            servercert3req.filename, NULL);

    /*
     * Unacceptable CAs.  badca1's keyUsage lacks certSign but is not
     * critical, so the sanity check of the CA itself lets it through; the
     * server certificate then fails to verify, because GnuTLS 3.1 and
     * later refuse any issuer whose keyUsage lacks certSign.  badca2 has
     * no basicConstraints; badca3's critical keyUsage lacks certSign.
     */
    TLS_ROOT_REQ(cacert4req,
                 "UK", "qemu CA 4", NULL, NULL, NULL, NULL,
                 true, true, true,
                 true, false, GNUTLS_KEY_DIGITAL_SIGNATURE,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert4req, cacert4req,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);
    TLS_ROOT_REQ(cacert5req,
                 "UK", "qemu CA 5", NULL, NULL, NULL, NULL,
                 false, false, false,
                 true, true, GNUTLS_KEY_KEY_CERT_SIGN,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert5req, cacert5req,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);
    TLS_ROOT_REQ(cacert6req,
                 "UK", "qemu CA 6", NULL, NULL, NULL, NULL,
                 true, true, true,
                 true, true, GNUTLS_KEY_DIGITAL_SIGNATURE,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert6req, cacert6req,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);

#if LIBGNUTLS_VERSION_NUMBER >= 0x030100
    test_tls_creds_register("badca1", true, cacert4req.filename,
                            servercert4req.filename,
                            "server-cert.pem failed validation against CA");
#endif
    test_tls_creds_register("badca2", true, cacert5req.filename,
                            servercert5req.filename,
                            "ca-cert.pem is missing basic constraints");
    test_tls_creds_register("badca3", true, cacert6req.filename,
                            servercert6req.filename,
                            "ca-cert.pem usage does not permit "
                            "certificate signing");

    /*
     * Acceptable server certificates: the checks only look at critical
     * extensions and accept an absent one.
     */
    TLS_CERT_REQ(servercert7req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 false, false, 0,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert8req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, GNUTLS_KEY_KEY_CERT_SIGN | DIGSIG_KEYENC,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert9req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, false, GNUTLS_KEY_KEY_CERT_SIGN,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert10req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 false, false, 0,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert11req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 false, false, 0,
                 true, false, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert12req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_CLIENT,
                 GNUTLS_KP_TLS_WWW_SERVER,
                 0, 0);
    TLS_CERT_REQ(servercert13req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, false, GNUTLS_KP_TLS_WWW_CLIENT,
                 GNUTLS_KP_TLS_WWW_SERVER,
                 0, 0);

    test_tls_creds_register("goodserver1", true, cacertreq.filename,
                            servercert7req.filename, NULL);
    test_tls_creds_register("goodserver2", true, cacertreq.filename,
                            servercert8req.filename, NULL);
    test_tls_creds_register("goodserver3", true, cacertreq.filename,
                            servercert9req.filename, NULL);
    test_tls_creds_register("goodserver4", true, cacertreq.filename,
                            servercert10req.filename, NULL);
    test_tls_creds_register("goodserver5", true, cacertreq.filename,
                            servercert11req.filename, NULL);
    test_tls_creds_register("goodserver6", true, cacertreq.filename,
                            servercert12req.filename, NULL);
    test_tls_creds_register("goodserver7", true, cacertreq.filename,
                            servercert13req.filename, NULL);

    /*
     * Unacceptable server certificates: a critical keyUsage with certSign
     * only, a critical purpose for clients only, a critical empty
     * keyUsage.
     */
    TLS_CERT_REQ(servercert14req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, GNUTLS_KEY_KEY_CERT_SIGN,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert15req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_CLIENT, NULL,
                 0, 0);
    TLS_CERT_REQ(servercert16req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, 0,
                 false, false, NULL, NULL,
                 0, 0);

    test_tls_creds_register("badserver1", true, cacertreq.filename,
                            servercert14req.filename, ERR_SERVER_DIGSIG);
    test_tls_creds_register("badserver2", true, cacertreq.filename,
                            servercert15req.filename,
                            "server-cert.pem purpose does not allow use "
                            "with a TLS server");
    test_tls_creds_register("badserver3", true, cacertreq.filename,
                            servercert16req.filename, ERR_SERVER_DIGSIG);

    /* The same variations for client certificates. */
    TLS_CERT_REQ(clientcert1req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 false, false, 0,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(clientcert2req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, GNUTLS_KEY_KEY_CERT_SIGN | DIGSIG_KEYENC,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(clientcert3req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, false, GNUTLS_KEY_KEY_CERT_SIGN,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(clientcert4req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 false, false, 0,
                 true, true, GNUTLS_KP_TLS_WWW_CLIENT, NULL,
                 0, 0);
    TLS_CERT_REQ(clientcert5req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 false, false, 0,
                 true, false, GNUTLS_KP_TLS_WWW_CLIENT, NULL,
                 0, 0);
    TLS_CERT_REQ(clientcert6req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_CLIENT,
                 GNUTLS_KP_TLS_WWW_SERVER,
                 0, 0);
    TLS_CERT_REQ(clientcert7req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, false, GNUTLS_KP_TLS_WWW_CLIENT,
                 GNUTLS_KP_TLS_WWW_SERVER,
                 0, 0);

    test_tls_creds_register("goodclient1", false, cacertreq.filename,
                            clientcert1req.filename, NULL);
    test_tls_creds_register("goodclient2", false, cacertreq.filename,
                            clientcert2req.filename, NULL);
    test_tls_creds_register("goodclient3", false, cacertreq.filename,
                            clientcert3req.filename, NULL);
    test_tls_creds_register("goodclient4", false, cacertreq.filename,
                            clientcert4req.filename, NULL);
    test_tls_creds_register("goodclient5", false, cacertreq.filename,
                            clientcert5req.filename, NULL);
    test_tls_creds_register("goodclient6", false, cacertreq.filename,
                            clientcert6req.filename, NULL);
    test_tls_creds_register("goodclient7", false, cacertreq.filename,
                            clientcert7req.filename, NULL);

    TLS_CERT_REQ(clientcert8req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, GNUTLS_KEY_KEY_CERT_SIGN,
                 false, false, NULL, NULL,
                 0, 0);
    TLS_CERT_REQ(clientcert9req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);
    TLS_CERT_REQ(clientcert10req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, 0,
                 false, false, NULL, NULL,
                 0, 0);

    test_tls_creds_register("badclient1", false, cacertreq.filename,
                            clientcert8req.filename, ERR_CLIENT_DIGSIG);
    test_tls_creds_register("badclient2", false, cacertreq.filename,
                            clientcert9req.filename,
                            "client-cert.pem purpose does not allow use "
                            "with a TLS client");
    test_tls_creds_register("badclient3", false, cacertreq.filename,
                            clientcert10req.filename, ERR_CLIENT_DIGSIG);

    /*
     * Outside the validity window: expired an hour ago, or valid only
     * from an hour from now; first the CA, then a server, then a client.
     */
    TLS_ROOT_REQ(cacertexpreq,
                 "UK", "qemu CA expired", NULL, NULL, NULL, NULL,
                 true, true, true,
                 true, true, GNUTLS_KEY_KEY_CERT_SIGN,
                 false, false, NULL, NULL,
                 -2, -1);
    TLS_CERT_REQ(servercertexpreq, cacertexpreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);
    TLS_CERT_REQ(servercertexp1req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 -2, -1);
    TLS_CERT_REQ(clientcertexp1req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_CLIENT, NULL,
                 -2, -1);

    test_tls_creds_register("expired1", true, cacertexpreq.filename,
                            servercertexpreq.filename,
                            "ca-cert.pem has expired");
    test_tls_creds_register("expired2", true, cacertreq.filename,
                            servercertexp1req.filename,
                            "server-cert.pem has expired");
    test_tls_creds_register("expired3", false, cacertreq.filename,
                            clientcertexp1req.filename,
                            "client-cert.pem has expired");

    TLS_ROOT_REQ(cacertnewreq,
                 "UK", "qemu CA not yet valid", NULL, NULL, NULL, NULL,
                 true, true, true,
                 true, true, GNUTLS_KEY_KEY_CERT_SIGN,
                 false, false, NULL, NULL,
                 1, 2);
    TLS_CERT_REQ(servercertnewreq, cacertnewreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0);
    TLS_CERT_REQ(servercertnew1req, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 1, 2);
    TLS_CERT_REQ(clientcertnew1req, cacertreq,
                 "UK", "qemu", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, DIGSIG_KEYENC,
                 true, true, GNUTLS_KP_TLS_WWW_CLIENT, NULL,
                 1, 2);

    test_tls_creds_register("inactive1", true, cacertnewreq.filename,
                            servercertnewreq.filename,
                            "ca-cert.pem is not yet active");
    test_tls_creds_register("inactive2", true, cacertreq.filename,
                            servercertnew1req.filename,
                            "server-cert.pem is not yet active");
    test_tls_creds_register("inactive3", false, cacertreq.filename,
                            clientcertnew1req.filename,
                            "client-cert.pem is not yet active");

    /*
     * A CA hierarchy in one bundle: root, then 1a and 1b signed by root,
     * then 2a signed by 1a.  The server certificate hangs off 2a, the
     * client certificate off 1b.
     */
    test_tls_ca_chain_generate(&cachain, WORKDIR);

    test_tls_creds_register("chain1", true, cachain.bundle,
                            cachain.server.filename, NULL);
    test_tls_creds_register("chain2", false, cachain.bundle,
                            cachain.client.filename, NULL);

    /* A server needs its CA and certificate; a client's are optional. */
    missingca = test_tls_req_path(workdir, "cacertmissing");
    missingserver = test_tls_req_path(workdir, "servercertmissing");
    missingclient = test_tls_req_path(workdir, "clientcertmissing");
    errmissingca = g_strdup_printf("Unable to access credentials %s/%s",
                                   certdir, QCRYPTO_TLS_CREDS_X509_CA_CERT);
    errmissingserver = g_strdup_printf("Unable to access credentials %s/%s",
                                       certdir,
                                       QCRYPTO_TLS_CREDS_X509_SERVER_CERT);
    test_tls_creds_register("missingca", true, missingca,
                            servercertreq.filename, errmissingca);
    test_tls_creds_register("missingserver", true, cacertreq.filename,
                            missingserver, errmissingserver);
    test_tls_creds_register("missingclient", false, cacertreq.filename,
                            missingclient, NULL);

    ret = g_test_run();

    test_tls_discard_req(&cacertreq);
    test_tls_discard_req(&servercertreq);
    test_tls_discard_req(&clientcertreq);
    test_tls_discard_req(&cacert1req);
    test_tls_discard_req(&servercert1req);
    test_tls_discard_req(&cacert2req);
    test_tls_discard_req(&servercert2req);
    test_tls_discard_req(&cacert3req);
    test_tls_discard_req(&servercert3req);
    test_tls_discard_req(&cacert4req);
    test_tls_discard_req(&servercert4req);
    test_tls_discard_req(&cacert5req);
    test_tls_discard_req(&servercert5req);
    test_tls_discard_req(&cacert6req);
    test_tls_discard_req(&servercert6req);
    test_tls_discard_req(&servercert7req);
    test_tls_discard_req(&servercert8req);
    test_tls_discard_req(&servercert9req);
    test_tls_discard_req(&servercert10req);
    test_tls_discard_req(&servercert11req);
    test_tls_discard_req(&servercert12req);
    test_tls_discard_req(&servercert13req);
    test_tls_discard_req(&servercert14req);
    test_tls_discard_req(&servercert15req);
    test_tls_discard_req(&servercert16req);
    test_tls_discard_req(&clientcert1req);
    test_tls_discard_req(&clientcert2req);
    test_tls_discard_req(&clientcert3req);
    test_tls_discard_req(&clientcert4req);
    test_tls_discard_req(&clientcert5req);
    test_tls_discard_req(&clientcert6req);
    test_tls_discard_req(&clientcert7req);
    test_tls_discard_req(&clientcert8req);
    test_tls_discard_req(&clientcert9req);
    test_tls_discard_req(&clientcert10req);
    test_tls_discard_req(&cacertexpreq);
    test_tls_discard_req(&servercertexpreq);
    test_tls_discard_req(&servercertexp1req);
    test_tls_discard_req(&clientcertexp1req);
    test_tls_discard_req(&cacertnewreq);
    test_tls_discard_req(&servercertnewreq);
    test_tls_discard_req(&servercertnew1req);
    test_tls_discard_req(&clientcertnew1req);
    test_tls_ca_chain_discard(&cachain);

    test_tls_cleanup(keyfile);
    scratch_dir_remove(workdir);
    g_free(keyfile);
    g_free(certdir);
    g_free(missingca);
    g_free(missingserver);
    g_free(missingclient);
    g_free(errmissingca);
    g_free(errmissingserver);
    g_ptr_array_unref(test_data);

    return ret;
}

#else /* ! QCRYPTO_HAVE_TLS_TEST_SUPPORT */

static void test_tls_unsupported(void)
{
    g_test_skip("certificates cannot be generated in this build");
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/qcrypto/tlscredsx509/unsupported",
                      test_tls_unsupported);
    return g_test_run();
}

#endif /* QCRYPTO_HAVE_TLS_TEST_SUPPORT */
