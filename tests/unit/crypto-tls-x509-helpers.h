/*
 * Test-time X.509 certificate factory for the TLS tests: builds CA, server
 * and client certificates with GnuTLS, encoding the interesting extensions
 * with libtasn1 so that each one can be present or absent, critical or not.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QCRYPTO_TLS_X509_HELPERS_H
#define QCRYPTO_TLS_X509_HELPERS_H

#include "qemu/osdep.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/**
 * QCRYPTO_HAVE_TLS_TEST_SUPPORT:
 *
 * Defined when certificates can be made at test time: a POSIX host,
 * libtasn1 (CONFIG_TASN1 in config-host.h) and GnuTLS 2.6 or later.  Test
 * programs put everything that needs certificates under it; the rest of
 * this header is only declared when it is defined.
 */
#if !defined(_WIN32) && defined(CONFIG_TASN1) && \
    (LIBGNUTLS_VERSION_NUMBER >= 0x020600)
#define QCRYPTO_HAVE_TLS_TEST_SUPPORT
#endif

#ifdef QCRYPTO_HAVE_TLS_TEST_SUPPORT

#include <libtasn1.h>

#include "qemu-common.h"

/**
 * pkix_asn1_tab:
 *
 * The definitions of the PKIX extensions the helpers encode
 * (BasicConstraints, KeyUsage, ExtKeyUsageSyntax), compiled by asn1Parser
 * from tests/unit/pkix.asn at build time.
 *
 * Since: libqio 0.1
 */
extern const asn1_static_node pkix_asn1_tab[];

/**
 * QCryptoTLSTestKeyID:
 * @QCRYPTO_TLS_TEST_KEY_EC: the default ECDSA P-256 key, the one
 *   test_tls_init() writes
 * @QCRYPTO_TLS_TEST_KEY_EC_ALT: a second ECDSA P-256 key, for a CA that
 *   must differ from another one in its key
 * @QCRYPTO_TLS_TEST_KEY_RSA: an RSA 2048 key, for certificates used with
 *   the RSA key exchange
 * @QCRYPTO_TLS_TEST_KEY__MAX: the number of keys
 *
 * The built-in private keys a certificate can carry.  All are fixed, so
 * nothing slow happens at run time.
 *
 * Since: libqio 0.1
 */
typedef enum QCryptoTLSTestKeyID {
    QCRYPTO_TLS_TEST_KEY_EC,
    QCRYPTO_TLS_TEST_KEY_EC_ALT,
    QCRYPTO_TLS_TEST_KEY_RSA,
    QCRYPTO_TLS_TEST_KEY__MAX,
} QCryptoTLSTestKeyID;

/**
 * QCryptoTLSTestCertReq:
 * @crt: the certificate, set by test_tls_generate_cert() and released by
 *   test_tls_discard_cert(); NULL before and after
 * @filename: where the certificate is written in PEM form
 * @country: the subject's C attribute, or NULL to leave it out
 * @cn: the subject's CN attribute, or NULL to leave it out
 * @altname1: a DNS name for subjectAltName, or NULL
 * @altname2: a second DNS name for subjectAltName, or NULL
 * @ipaddr1: an IPv4 or IPv6 address literal for subjectAltName, or NULL
 * @ipaddr2: a second address literal for subjectAltName, or NULL
 * @basicConstraintsEnable: whether to add basicConstraints
 * @basicConstraintsCritical: whether basicConstraints is critical
 * @basicConstraintsIsCA: the cA flag of basicConstraints
 * @keyUsageEnable: whether to add keyUsage
 * @keyUsageCritical: whether keyUsage is critical
 * @keyUsageValue: GNUTLS_KEY_* flags or'ed together (0 gives an empty
 *   bit string)
 * @keyPurposeEnable: whether to add extKeyUsage
 * @keyPurposeCritical: whether extKeyUsage is critical
 * @keyPurposeOID1: the first purpose OID, e.g. GNUTLS_KP_TLS_WWW_SERVER,
 *   or NULL
 * @keyPurposeOID2: a second purpose OID, or NULL
 * @start_offset: hours from now to the start of validity; 0 means now
 * @expire_offset: hours from now to the end of validity; 0 means 24 hours
 *   from now, negative values give an expired certificate
 * @key: the built-in key the certificate carries; the default (zero) is
 *   %QCRYPTO_TLS_TEST_KEY_EC
 *
 * The description of one certificate to generate.  A certificate is
 * signed with the key its issuer carries, so two CAs with the same name
 * but different @key values sign differently.
 */
typedef struct QCryptoTLSTestCertReq QCryptoTLSTestCertReq;
struct QCryptoTLSTestCertReq {
    gnutls_x509_crt_t crt;
    const char *filename;

    const char *country;
    const char *cn;
    const char *altname1;
    const char *altname2;
    const char *ipaddr1;
    const char *ipaddr2;

    bool basicConstraintsEnable;
    bool basicConstraintsCritical;
    bool basicConstraintsIsCA;

    bool keyUsageEnable;
    bool keyUsageCritical;
    int keyUsageValue;

    bool keyPurposeEnable;
    bool keyPurposeCritical;
    const char *keyPurposeOID1;
    const char *keyPurposeOID2;

    int start_offset;
    int expire_offset;

    QCryptoTLSTestKeyID key;
};

/**
 * test_tls_generate_cert:
 * @req: the certificate to make; @req->crt must be NULL
 * @ca: the issuer, or NULL for a self-signed root
 *
 * Builds the certificate described by @req, signs it under @ca's name with
 * the built-in key @ca carries (or, self-signed, with @req->key), writes it
 * in PEM form to @req->filename and stores it in @req->crt.  Any failure
 * aborts the test program.  test_tls_init() must have been called.
 */
void test_tls_generate_cert(QCryptoTLSTestCertReq *req, gnutls_x509_crt_t ca);

/**
 * test_tls_write_cert_chain:
 * @filename: the file to (over)write
 * @certs: the certificates, in the order they are to appear
 * @ncerts: the number of entries of @certs
 *
 * Writes @certs one after another as PEM blocks into a single file, the
 * form of a CA bundle.  Any failure aborts the test program.
 */
void test_tls_write_cert_chain(const char *filename,
                               gnutls_x509_crt_t *certs,
                               size_t ncerts);

/**
 * test_tls_discard_cert:
 * @req: a request filled by test_tls_generate_cert(), or an unused one
 *
 * Releases @req->crt (setting it to NULL) and deletes @req->filename,
 * unless the environment variable QEMU_TEST_DEBUG_CERTS is set, in which
 * case the file is kept for inspection.
 */
void test_tls_discard_cert(QCryptoTLSTestCertReq *req);

/**
 * test_tls_discard_req:
 * @req: a request whose @filename was allocated with g_malloc(), as the
 *   TLS_*_REQ() macros and test_tls_req_path() do
 *
 * test_tls_discard_cert(), then frees @req->filename and sets it to NULL.
 *
 * Since: libqio 0.1
 */
void test_tls_discard_req(QCryptoTLSTestCertReq *req);

/**
 * test_tls_req_path:
 * @workdir: a directory
 * @name: the name of a request, e.g. "cacertreq"
 *
 * Returns: the newly allocated path @workdir/@name-ctx.pem, where the
 * TLS_*_REQ() macros put a certificate
 *
 * Since: libqio 0.1
 */
char *test_tls_req_path(const char *workdir, const char *name);

/**
 * test_tls_write_key:
 * @key: one of the built-in keys
 * @filename: the file to (over)write
 *
 * Writes the private half of @key in PEM form, e.g. as the key file that
 * goes with a certificate whose #QCryptoTLSTestCertReq.key is @key.  Any
 * failure aborts the test program.
 *
 * Since: libqio 0.1
 */
void test_tls_write_key(QCryptoTLSTestKeyID key, const char *filename);

/**
 * test_tls_init:
 * @keyfile: where to write the built-in private key in PEM form
 *
 * Initializes GnuTLS and the PKIX definitions, loads the built-in keys
 * and writes the default one (%QCRYPTO_TLS_TEST_KEY_EC) to @keyfile, whose
 * directory must exist.  Call once, before any other helper.  Any failure
 * aborts the test program.
 */
void test_tls_init(const char *keyfile);

/**
 * test_tls_cleanup:
 * @keyfile: the path given to test_tls_init()
 *
 * Deletes @keyfile and releases everything test_tls_init() set up.
 */
void test_tls_cleanup(const char *keyfile);

/**
 * QCryptoTLSTestCAChain:
 * @root: the self-signed root CA, "qemu CA Root"
 * @level1a: an intermediate CA signed by @root, "qemu CA Level 1a"
 * @level1b: an intermediate CA signed by @root, "qemu CA Level 1b"
 * @level2a: an intermediate CA signed by @level1a, "qemu CA Level 2a"
 * @server: a TLS server certificate for "qemu.org" signed by @level2a
 * @client: a TLS client certificate for "qemu" signed by @level1b
 * @bundle: the file holding the four CA certificates, root first
 *
 * A CA hierarchy in one bundle, made by test_tls_ca_chain_generate().
 * All subjects have C=UK.
 */
typedef struct QCryptoTLSTestCAChain QCryptoTLSTestCAChain;
struct QCryptoTLSTestCAChain {
    QCryptoTLSTestCertReq root;
    QCryptoTLSTestCertReq level1a;
    QCryptoTLSTestCertReq level1b;
    QCryptoTLSTestCertReq level2a;
    QCryptoTLSTestCertReq server;
    QCryptoTLSTestCertReq client;
    char *bundle;
};

/**
 * test_tls_ca_chain_generate:
 * @chain: the chain to fill
 * @workdir: the directory for the files
 *
 * Generates the certificates of @chain, all carrying the default key, each
 * in @workdir/<name>req-ctx.pem (e.g. cacertrootreq-ctx.pem), and writes
 * the CA bundle to @workdir/cacertchain-ctx.pem.  Any failure aborts the
 * test program.  test_tls_init() must have been called.
 */
void test_tls_ca_chain_generate(QCryptoTLSTestCAChain *chain,
                                const char *workdir);

/**
 * test_tls_ca_chain_discard:
 * @chain: a chain filled by test_tls_ca_chain_generate()
 *
 * Discards each certificate with test_tls_discard_cert(), deletes the
 * bundle and frees the file names.
 */
void test_tls_ca_chain_discard(QCryptoTLSTestCAChain *chain);

/*
 * TLS_REQ_GENERATE_: the body shared by TLS_CERT_REQ() and TLS_ROOT_REQ():
 * declares the static request @varname with the remaining arguments as
 * its fields, in the order of #QCryptoTLSTestCertReq after @filename,
 * names its file after @varname inside WORKDIR (a run-time string, so
 * that the directory can be a fresh temporary one) and generates it
 * signed by @issuer (a gnutls_x509_crt_t, NULL for a self-signed
 * certificate).
 */
#define TLS_REQ_GENERATE_(varname, issuer, ...)                         \
    static QCryptoTLSTestCertReq varname = {                            \
        NULL, NULL, __VA_ARGS__                                         \
    };                                                                  \
    varname.filename = test_tls_req_path(WORKDIR, #varname);            \
    test_tls_generate_cert(&varname, issuer)

/**
 * TLS_CERT_REQ:
 * @varname: the name of the QCryptoTLSTestCertReq to declare
 * @cavarname: the request of the issuing CA, already generated
 * @country: see #QCryptoTLSTestCertReq, as are all the following
 * @commonname: the CN
 * @altname1: first DNS subjectAltName
 * @altname2: second DNS subjectAltName
 * @ipaddr1: first IP subjectAltName
 * @ipaddr2: second IP subjectAltName
 * @basicconsenable: add basicConstraints
 * @basicconscritical: basicConstraints critical
 * @basicconsca: the cA flag
 * @keyusageenable: add keyUsage
 * @keyusagecritical: keyUsage critical
 * @keyusagevalue: GNUTLS_KEY_* flags
 * @keypurposeenable: add extKeyUsage
 * @keypurposecritical: extKeyUsage critical
 * @keypurposeoid1: first purpose OID
 * @keypurposeoid2: second purpose OID
 * @startoffset: hours to the start of validity
 * @endoffset: hours to the end of validity
 *
 * Declares a static request @varname whose file is
 * WORKDIR/<varname>-ctx.pem (the test program defines WORKDIR as an
 * expression giving a directory name) and generates it, signed by
 * @cavarname.  The macro takes the arguments from @country to @endoffset
 * as "...", in the order listed, optionally followed by the request's
 * #QCryptoTLSTestKeyID.  Release it with test_tls_discard_req().
 */
#define TLS_CERT_REQ(varname, cavarname, ...)                          \
    TLS_REQ_GENERATE_(varname, cavarname.crt, __VA_ARGS__)

/**
 * TLS_ROOT_REQ:
 * @varname: the name of the QCryptoTLSTestCertReq to declare
 * @country: see TLS_CERT_REQ(), as are all the following
 * @commonname: the CN
 * @altname1: first DNS subjectAltName
 * @altname2: second DNS subjectAltName
 * @ipaddr1: first IP subjectAltName
 * @ipaddr2: second IP subjectAltName
 * @basicconsenable: add basicConstraints
 * @basicconscritical: basicConstraints critical
 * @basicconsca: the cA flag
 * @keyusageenable: add keyUsage
 * @keyusagecritical: keyUsage critical
 * @keyusagevalue: GNUTLS_KEY_* flags
 * @keypurposeenable: add extKeyUsage
 * @keypurposecritical: extKeyUsage critical
 * @keypurposeoid1: first purpose OID
 * @keypurposeoid2: second purpose OID
 * @startoffset: hours to the start of validity
 * @endoffset: hours to the end of validity
 *
 * Like TLS_CERT_REQ() for a self-signed certificate.
 */
#define TLS_ROOT_REQ(varname, ...)                                     \
    TLS_REQ_GENERATE_(varname, NULL, __VA_ARGS__)

/**
 * TLS_ROOT_CA_REQ:
 * @varname: the name of the QCryptoTLSTestCertReq to declare
 * @commonname: the CA's CN
 * @keyid: the #QCryptoTLSTestKeyID it carries
 *
 * TLS_ROOT_REQ() for a well-formed root CA: C=UK, critical
 * basicConstraints with cA set, critical keyUsage keyCertSign, no
 * extKeyUsage, valid from now for 24 hours.
 */
#define TLS_ROOT_CA_REQ(varname, commonname, keyid)                     \
    TLS_ROOT_REQ(varname, "UK", commonname, NULL, NULL, NULL, NULL,     \
                 true, true, true,                                      \
                 true, true, GNUTLS_KEY_KEY_CERT_SIGN,                  \
                 false, false, NULL, NULL,                              \
                 0, 0, keyid)

/**
 * TLS_LEAF_REQ:
 * @varname: the name of the QCryptoTLSTestCertReq to declare
 * @cavarname: the request of the issuing CA, already generated
 * @commonname: the CN
 * @altname1: first DNS subjectAltName, or NULL
 * @altname2: second DNS subjectAltName, or NULL
 * @ipaddr1: first IP subjectAltName, or NULL
 * @ipaddr2: second IP subjectAltName, or NULL
 * @keypurposeoid: GNUTLS_KP_TLS_WWW_SERVER or GNUTLS_KP_TLS_WWW_CLIENT
 * @keyid: the #QCryptoTLSTestKeyID it carries
 *
 * TLS_CERT_REQ() for a well-formed end-entity certificate: C=UK, critical
 * basicConstraints without cA, critical keyUsage digitalSignature and
 * keyEncipherment, critical extKeyUsage @keypurposeoid, valid from now
 * for 24 hours.
 */
#define TLS_LEAF_REQ(varname, cavarname, commonname,                    \
                     altname1, altname2, ipaddr1, ipaddr2,              \
                     keypurposeoid, keyid)                              \
    TLS_CERT_REQ(varname, cavarname, "UK", commonname,                  \
                 altname1, altname2, ipaddr1, ipaddr2,                  \
                 true, true, false,                                     \
                 true, true, GNUTLS_KEY_DIGITAL_SIGNATURE |             \
                 GNUTLS_KEY_KEY_ENCIPHERMENT,                           \
                 true, true, keypurposeoid, NULL,                       \
                 0, 0, keyid)

#endif /* QCRYPTO_HAVE_TLS_TEST_SUPPORT */

#endif /* QCRYPTO_TLS_X509_HELPERS_H */
