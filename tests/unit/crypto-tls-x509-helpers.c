/*
 * Test-time X.509 certificate factory: GnuTLS builds and signs the
 * certificates, libtasn1 DER-encodes basicConstraints, keyUsage and
 * extKeyUsage so that the tests control presence and criticality of each.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"

#include "crypto-tls-x509-helpers.h"

#ifdef QCRYPTO_HAVE_TLS_TEST_SUPPORT

#include <arpa/inet.h>

/*
 * The keys certificates can carry, each made once with certtool for this
 * project, so that nothing is generated at run time.  The first ECDSA
 * P-256 key is the default: P-256 signatures stay cheap even under
 * valgrind.  The second one lets a CA differ from another by its key and
 * not only by its name.  The RSA key is for end-entity certificates, so
 * that the RSA key exchange, which is what keyEncipherment is about, can
 * be tried.
 */
static const char test_tls_key_ec_pem[] =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHgCAQEEIQDzd/J1z8VUeQ465huIbUweFl074Ea1YSAmuHh69WAzt6AKBggqhkjO\n"
    "PQMBB6FEA0IABPz67wKzWt66C0Fp/eqFKm91KndZ3hf+7DGevStb6KwNb43K9o1q\n"
    "vJHCu5FYAboBSXbyt47y/jIdVUH9X2GAU00=\n"
    "-----END EC PRIVATE KEY-----\n";

static const char test_tls_key_ec_alt_pem[] =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHgCAQEEIQC0RlQWrF3OcKpFGavvj0E1mF3lrLizASJkkdlESkHiyqAKBggqhkjO\n"
    "PQMBB6FEA0IABGsYyzTfge/o17FZwvRvDqdbyaRmHGe2StIiciK5ySOyaI8yR4Se\n"
    "9SB4lEZ84gHLQnOHM9yFDEmPMBC8gt6TcOU=\n"
    "-----END EC PRIVATE KEY-----\n";

static const char test_tls_key_rsa_pem[] =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEpAIBAAKCAQEAoO+rMezcGoM43WynI0qT0PordYU/JURipcEQ3uX1LA1cB7dD\n"
    "a3zK6D3ynZbQFEDOJ1yndFr9XpIq/t1Ov/JDSUzYzDAe5sg5fh4+krWidlLbfpQ3\n"
    "6FpxA3ZpcUr8RY7K77zQOtkBEN0RXxeTOfC25xZ4UjfjKWBr90ChDlworaiB6xQI\n"
    "8oei2wSiP7OSD02+9qWoBmFGW3ZeHMNuc3q1+xJaTdcB9AQW1JRDWvV0v+7bE3Db\n"
    "RsvWL1igNsUabhntXBFvHB2en/CSD//KSFxVuTjf/2DHT/FIy3ToU7cQdHFnMDK1\n"
    "fD3vuYacHijt2nw0QQeTXEUti8DodzeO/NXHpwIDAQABAoIBAG820J5SqZPkxKI3\n"
    "mJTJz7ZleyzeZNGzHVygO7FdRn0nykZGvd+EwI+XZ5bBho/IbO5EmC/PRTJaXj37\n"
    "35TDrP31jggk5OXkzd46tlEaFeggwDAL60q1XU3gQWOaRxUmZVUgrOFN3u+xZXTK\n"
    "TOKIV00AeSuQFXodeN7HmcTbqPy/0giL/am6491RywyIDHmA9946SIKox5GCzweQ\n"
    "T91p+Y+ZoiRVS35rruoNJ3TUHyVzQ+l+XNLoFjWGU+TFipjCSYe4K2koh1NOgO5t\n"
    "eS/bXCa63fS4DJMmIPhmRo83O9wvsHesBRnB9E8EssBUfMu8MlC2m/8wk+OGjeJo\n"
    "r+LdipECgYEAwNlGQ2IBHBB7dpangcDPVwKbf6tq9C2OA3FGf0m6vV+zhVnE2kEz\n"
    "8+7HAowS9vGOtMZKEEFS63xRHjjP/b0GiuJLdrKcEX4F8sp82PGs+L1Y5Nw4f8d4\n"
    "jtZ5qLZ7TRMaBVL+Jm9Uss60CAM5i3iHruG3OWXHyY9F3iiWcPZfYXkCgYEA1aMh\n"
    "tLAAamFMQwgt+qvJht8vuejloh9JtKPWkJuwosNzqzKrvKD486YxXP32PG5GDLDc\n"
    "kqKjKd/1ba6E6t48Ie3CrJYjpGNeZxonY9RztK13wTZDV6RP78iXHPd6aQ+S1R5H\n"
    "4XAqH6X5WdaTtzFasPLYyKzw1TlUBhcsnDL8Sh8CgYEAu38Dx2OzvHtx7lyPQ6IY\n"
    "dHo+gSRCemEIH+S0K/GdM52mRtJ+h8y5HENdDebuUVWN78iSHbfFTNqza3TFE+gC\n"
    "Qmm+AQuqnX8vfVzNgYeHKte9Y9WQwPtJBWcVJak1vDwEIoUMQIYhjS9W7itkeWuY\n"
    "T7l4kL+aPSelQFep3O5M0dECgYA47QITOn6x2gFPL0PJMrM9bAU0nZlqzLmAF9QZ\n"
    "rlKv3DLbIGJgnegYTGWE6OsPCTdDNHFh5VJi2xlzw3gJeXQ+ejNQd6VBrXS/Nlne\n"
    "oQK/1yU856+kD9V5CFMz1cHZctvmS+5NZOzkh/5ccO/ldZI76knXlzWJK4B3Kv+p\n"
    "E3DkcwKBgQC9lGOPI7YD0WkbvcNhuprijWJJDqnXHy7Yr4BW0L5G15tIcfQ66mWw\n"
    "GADsU4aY5webbVjA6pyK4BbVtc1aJfBQvI5YY/DkByZwLMLMBcTT+/Afo4BT1GhG\n"
    "TxKoET9QHM3so0zrTC/OwAUfLkJip8eOfbuHqcuR1E77AYbsh667fw==\n"
    "-----END RSA PRIVATE KEY-----\n";

static const char *const test_tls_key_pems[QCRYPTO_TLS_TEST_KEY__MAX] = {
    [QCRYPTO_TLS_TEST_KEY_EC] = test_tls_key_ec_pem,
    [QCRYPTO_TLS_TEST_KEY_EC_ALT] = test_tls_key_ec_alt_pem,
    [QCRYPTO_TLS_TEST_KEY_RSA] = test_tls_key_rsa_pem,
};

static asn1_node test_tls_pkix;
static gnutls_x509_privkey_t test_tls_keys[QCRYPTO_TLS_TEST_KEY__MAX];
static unsigned int test_tls_serial;

static void test_tls_check(int ret, const char *what)
{
    if (ret < 0) {
        g_error("%s failed: %s", what, gnutls_strerror(ret));
    }
}

static void test_tls_check_asn1(int ret, const char *what)
{
    if (ret != ASN1_SUCCESS) {
        g_error("%s failed: %s", what, asn1_strerror(ret));
    }
}

void test_tls_init(const char *keyfile)
{
    char asn1_err[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
    size_t i;
    int ret;

    g_assert_null(test_tls_pkix);
    g_assert_null(test_tls_keys[QCRYPTO_TLS_TEST_KEY_EC]);

    test_tls_check(gnutls_global_init(), "gnutls_global_init");

    ret = asn1_array2tree(pkix_asn1_tab, &test_tls_pkix, asn1_err);
    if (ret != ASN1_SUCCESS) {
        g_error("cannot load the PKIX definitions: %s (%s)",
                asn1_strerror(ret), asn1_err);
    }

    for (i = 0; i < G_N_ELEMENTS(test_tls_keys); i++) {
        gnutls_datum_t pem = {
            .data = (unsigned char *)test_tls_key_pems[i],
            .size = strlen(test_tls_key_pems[i]),
        };

        test_tls_check(gnutls_x509_privkey_init(&test_tls_keys[i]),
                       "gnutls_x509_privkey_init");
        test_tls_check(gnutls_x509_privkey_import(test_tls_keys[i], &pem,
                                                  GNUTLS_X509_FMT_PEM),
                       "importing a built-in key");
    }

    test_tls_write_key(QCRYPTO_TLS_TEST_KEY_EC, keyfile);
}

void test_tls_write_key(QCryptoTLSTestKeyID key, const char *filename)
{
    GError *gerr = NULL;

    g_assert_cmpint(key, >=, 0);
    g_assert_cmpint(key, <, QCRYPTO_TLS_TEST_KEY__MAX);
    if (!g_file_set_contents(filename, test_tls_key_pems[key], -1, &gerr)) {
        g_error("cannot write %s: %s", filename, gerr->message);
    }
}

void test_tls_cleanup(const char *keyfile)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(test_tls_keys); i++) {
        if (test_tls_keys[i]) {
            gnutls_x509_privkey_deinit(test_tls_keys[i]);
            test_tls_keys[i] = NULL;
        }
    }
    if (test_tls_pkix) {
        asn1_delete_structure(&test_tls_pkix);
    }
    unlink(keyfile);
    gnutls_global_deinit();
}

/*
 * The built-in key whose public half @ca carries: the one that must sign
 * the certificates @ca issues.
 */
static gnutls_x509_privkey_t test_tls_issuer_key(gnutls_x509_crt_t ca)
{
    unsigned char want[64], have[64];
    size_t wantlen = sizeof(want);
    size_t i;

    test_tls_check(gnutls_x509_crt_get_key_id(ca, 0, want, &wantlen),
                   "gnutls_x509_crt_get_key_id");
    for (i = 0; i < G_N_ELEMENTS(test_tls_keys); i++) {
        size_t havelen = sizeof(have);

        test_tls_check(gnutls_x509_privkey_get_key_id(test_tls_keys[i], 0,
                                                      have, &havelen),
                       "gnutls_x509_privkey_get_key_id");
        if (havelen == wantlen && memcmp(have, want, havelen) == 0) {
            return test_tls_keys[i];
        }
    }
    g_error("the issuer does not carry one of the built-in keys");
    return NULL;
}

/*
 * DER-encodes @node and attaches the result to @crt as extension @oid.
 * The encoder is asked for the size first, then run into a buffer of
 * exactly that size.
 */
static void test_tls_attach_ext(gnutls_x509_crt_t crt, const char *oid,
                                asn1_node node, bool critical)
{
    char asn1_err[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
    unsigned char *der;
    int len = 0;
    int ret;

    ret = asn1_der_coding(node, "", NULL, &len, asn1_err);
    if (ret != ASN1_MEM_ERROR) {
        g_error("sizing extension %s failed: %s (%s)",
                oid, asn1_strerror(ret), asn1_err);
    }
    der = g_malloc(len);
    ret = asn1_der_coding(node, "", der, &len, asn1_err);
    if (ret != ASN1_SUCCESS) {
        g_error("encoding extension %s failed: %s (%s)",
                oid, asn1_strerror(ret), asn1_err);
    }
    test_tls_check(gnutls_x509_crt_set_extension_by_oid(crt, oid, der, len,
                                                        critical ? 1 : 0),
                   "gnutls_x509_crt_set_extension_by_oid");
    g_free(der);
}

static asn1_node test_tls_new_node(const char *type)
{
    asn1_node node = NULL;
    char *name = g_strdup_printf("QIOPKIX.%s", type);

    test_tls_check_asn1(asn1_create_element(test_tls_pkix, name, &node),
                        name);
    g_free(name);
    return node;
}

static void test_tls_add_basic_constraints(gnutls_x509_crt_t crt,
                                           const QCryptoTLSTestCertReq *req)
{
    asn1_node node = test_tls_new_node("BasicConstraints");

    /* DER leaves out a cA equal to its DEFAULT FALSE; libtasn1 does that */
    test_tls_check_asn1(asn1_write_value(node, "cA",
                                         req->basicConstraintsIsCA ?
                                         "TRUE" : "FALSE", 1),
                        "BasicConstraints.cA");
    test_tls_check_asn1(asn1_write_value(node, "pathLenConstraint", NULL, 0),
                        "BasicConstraints.pathLenConstraint");
    test_tls_attach_ext(crt, GNUTLS_X509EXT_OID_BASIC_CONSTRAINTS, node,
                        req->basicConstraintsCritical);
    asn1_delete_structure(&node);
}

/*
 * GnuTLS numbers its GNUTLS_KEY_* flags so that the low byte is the first
 * octet of the KeyUsage BIT STRING (digitalSignature is 0x80) and
 * decipherOnly (bit 8) is the top bit of the second octet.  DER wants the
 * named-bit string without trailing zero bits, so the length stops at the
 * last bit that is set: a value of 0 gives an empty string.
 */
static void test_tls_add_key_usage(gnutls_x509_crt_t crt,
                                   const QCryptoTLSTestCertReq *req)
{
    asn1_node node = test_tls_new_node("KeyUsage");
    unsigned char bits[2] = {
        req->keyUsageValue & 0xff,
        (req->keyUsageValue >> 8) & 0xff,
    };
    int nbits = 0;
    int i;

    for (i = 0; i < 16; i++) {
        if (bits[i / 8] & (0x80 >> (i % 8))) {
            nbits = i + 1;
        }
    }
    test_tls_check_asn1(asn1_write_value(node, "", bits, nbits), "KeyUsage");
    test_tls_attach_ext(crt, GNUTLS_X509EXT_OID_KEY_USAGE, node,
                        req->keyUsageCritical);
    asn1_delete_structure(&node);
}

static void test_tls_add_key_purpose(gnutls_x509_crt_t crt,
                                     const QCryptoTLSTestCertReq *req)
{
    asn1_node node = test_tls_new_node("ExtKeyUsageSyntax");
    const char *oids[] = { req->keyPurposeOID1, req->keyPurposeOID2 };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(oids); i++) {
        if (!oids[i]) {
            continue;
        }
        test_tls_check_asn1(asn1_write_value(node, "", "NEW", 1),
                            "ExtKeyUsageSyntax new entry");
        test_tls_check_asn1(asn1_write_value(node, "?LAST", oids[i], 1),
                            oids[i]);
    }
    test_tls_attach_ext(crt, GNUTLS_X509EXT_OID_EXTENDED_KEY_USAGE, node,
                        req->keyPurposeCritical);
    asn1_delete_structure(&node);
}

static void test_tls_add_ip_altname(gnutls_x509_crt_t crt, const char *addr)
{
    unsigned char raw[16];
    size_t rawlen;

    if (inet_pton(AF_INET, addr, raw) == 1) {
        rawlen = 4;
    } else if (inet_pton(AF_INET6, addr, raw) == 1) {
        rawlen = 16;
    } else {
        g_error("'%s' is not an IPv4 or IPv6 address", addr);
    }
    test_tls_check(gnutls_x509_crt_set_subject_alt_name(crt,
                                                        GNUTLS_SAN_IPADDRESS,
                                                        raw, rawlen,
                                                        GNUTLS_FSAN_APPEND),
                   "adding an IP subjectAltName");
}

static void test_tls_add_dns_altname(gnutls_x509_crt_t crt, const char *name)
{
    test_tls_check(gnutls_x509_crt_set_subject_alt_name(crt,
                                                        GNUTLS_SAN_DNSNAME,
                                                        name, strlen(name),
                                                        GNUTLS_FSAN_APPEND),
                   "adding a DNS subjectAltName");
}

void test_tls_generate_cert(QCryptoTLSTestCertReq *req, gnutls_x509_crt_t ca)
{
    gnutls_x509_crt_t crt;
    gnutls_x509_privkey_t signer;
    gnutls_datum_t pem = { NULL, 0 };
    time_t now = time(NULL);
    unsigned int serial = ++test_tls_serial;
    /* a positive INTEGER: the leading octet keeps the sign bit clear */
    unsigned char serial_der[5] = {
        0x01, serial >> 24, serial >> 16, serial >> 8, serial,
    };
    GError *gerr = NULL;

    g_assert_cmpint(req->key, >=, 0);
    g_assert_cmpint(req->key, <, QCRYPTO_TLS_TEST_KEY__MAX);
    g_assert_nonnull(test_tls_keys[req->key]);
    g_assert_null(req->crt);

    test_tls_check(gnutls_x509_crt_init(&crt), "gnutls_x509_crt_init");
    test_tls_check(gnutls_x509_crt_set_version(crt, 3), "setting the version");
    test_tls_check(gnutls_x509_crt_set_key(crt, test_tls_keys[req->key]),
                   "setting the key");
    test_tls_check(gnutls_x509_crt_set_serial(crt, serial_der,
                                              sizeof(serial_der)),
                   "setting the serial number");
    test_tls_check(gnutls_x509_crt_set_activation_time(
                       crt, now + (time_t)req->start_offset * 3600),
                   "setting the activation time");
    test_tls_check(gnutls_x509_crt_set_expiration_time(
                       crt, now + (time_t)(req->expire_offset ?
                                           req->expire_offset : 24) * 3600),
                   "setting the expiration time");

    /* C before CN, so that GnuTLS prints the DN as "C=..,CN=.." */
    if (req->country) {
        test_tls_check(gnutls_x509_crt_set_dn_by_oid(
                           crt, GNUTLS_OID_X520_COUNTRY_NAME, 0,
                           req->country, strlen(req->country)),
                       "setting the country");
    }
    if (req->cn) {
        test_tls_check(gnutls_x509_crt_set_dn_by_oid(
                           crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                           req->cn, strlen(req->cn)),
                       "setting the common name");
    }

    if (req->altname1) {
        test_tls_add_dns_altname(crt, req->altname1);
    }
    if (req->altname2) {
        test_tls_add_dns_altname(crt, req->altname2);
    }
    if (req->ipaddr1) {
        test_tls_add_ip_altname(crt, req->ipaddr1);
    }
    if (req->ipaddr2) {
        test_tls_add_ip_altname(crt, req->ipaddr2);
    }

    if (req->basicConstraintsEnable) {
        test_tls_add_basic_constraints(crt, req);
    }
    if (req->keyUsageEnable) {
        test_tls_add_key_usage(crt, req);
    }
    if (req->keyPurposeEnable) {
        test_tls_add_key_purpose(crt, req);
    }

    signer = ca ? test_tls_issuer_key(ca) : test_tls_keys[req->key];
    test_tls_check(gnutls_x509_crt_sign2(crt, ca ? ca : crt, signer,
                                         GNUTLS_DIG_SHA256, 0),
                   "signing the certificate");

    test_tls_check(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &pem),
                   "exporting the certificate");
    if (!g_file_set_contents(req->filename, (const char *)pem.data, pem.size,
                             &gerr)) {
        g_error("cannot write %s: %s", req->filename, gerr->message);
    }
    gnutls_free(pem.data);

    req->crt = crt;
}

void test_tls_write_cert_chain(const char *filename,
                               gnutls_x509_crt_t *certs,
                               size_t ncerts)
{
    GString *bundle = g_string_new(NULL);
    GError *gerr = NULL;
    size_t i;

    for (i = 0; i < ncerts; i++) {
        gnutls_datum_t pem = { NULL, 0 };

        test_tls_check(gnutls_x509_crt_export2(certs[i], GNUTLS_X509_FMT_PEM,
                                               &pem),
                       "exporting a chain certificate");
        g_string_append_len(bundle, (const char *)pem.data, pem.size);
        gnutls_free(pem.data);
    }
    if (!g_file_set_contents(filename, bundle->str, bundle->len, &gerr)) {
        g_error("cannot write %s: %s", filename, gerr->message);
    }
    g_string_free(bundle, TRUE);
}

char *test_tls_req_path(const char *workdir, const char *name)
{
    char *base = g_strdup_printf("%s-ctx.pem", name);
    char *path = g_build_filename(workdir, base, NULL);

    g_free(base);
    return path;
}

void test_tls_discard_cert(QCryptoTLSTestCertReq *req)
{
    if (!req->crt) {
        return;
    }
    gnutls_x509_crt_deinit(req->crt);
    req->crt = NULL;
    if (!getenv("QEMU_TEST_DEBUG_CERTS")) {
        unlink(req->filename);
    }
}

void test_tls_discard_req(QCryptoTLSTestCertReq *req)
{
    test_tls_discard_cert(req);
    g_free((char *)req->filename);
    req->filename = NULL;
}

/* Fills @req as one certificate of the CA chain, in @workdir/@name. */
static void test_tls_chain_req(QCryptoTLSTestCertReq *req,
                               const char *workdir, const char *name,
                               const char *cn, bool isCA,
                               const char *purposeOID)
{
    memset(req, 0, sizeof(*req));
    req->filename = test_tls_req_path(workdir, name);
    req->country = "UK";
    req->cn = cn;
    req->basicConstraintsEnable = true;
    req->basicConstraintsCritical = true;
    req->basicConstraintsIsCA = isCA;
    req->keyUsageEnable = true;
    req->keyUsageCritical = true;
    if (isCA) {
        req->keyUsageValue = GNUTLS_KEY_KEY_CERT_SIGN;
    } else {
        req->keyUsageValue = GNUTLS_KEY_DIGITAL_SIGNATURE |
                             GNUTLS_KEY_KEY_ENCIPHERMENT;
        req->keyPurposeEnable = true;
        req->keyPurposeCritical = true;
        req->keyPurposeOID1 = purposeOID;
    }
}

void test_tls_ca_chain_generate(QCryptoTLSTestCAChain *chain,
                                const char *workdir)
{
    gnutls_x509_crt_t cas[4];

    test_tls_chain_req(&chain->root, workdir, "cacertrootreq",
                       "qemu CA Root", true, NULL);
    test_tls_chain_req(&chain->level1a, workdir, "cacertlevel1areq",
                       "qemu CA Level 1a", true, NULL);
    test_tls_chain_req(&chain->level1b, workdir, "cacertlevel1breq",
                       "qemu CA Level 1b", true, NULL);
    test_tls_chain_req(&chain->level2a, workdir, "cacertlevel2areq",
                       "qemu CA Level 2a", true, NULL);
    test_tls_chain_req(&chain->server, workdir, "servercertlevel3areq",
                       "qemu.org", false, GNUTLS_KP_TLS_WWW_SERVER);
    test_tls_chain_req(&chain->client, workdir, "clientcertlevel2breq",
                       "qemu", false, GNUTLS_KP_TLS_WWW_CLIENT);

    test_tls_generate_cert(&chain->root, NULL);
    test_tls_generate_cert(&chain->level1a, chain->root.crt);
    test_tls_generate_cert(&chain->level1b, chain->root.crt);
    test_tls_generate_cert(&chain->level2a, chain->level1a.crt);
    test_tls_generate_cert(&chain->server, chain->level2a.crt);
    test_tls_generate_cert(&chain->client, chain->level1b.crt);

    cas[0] = chain->root.crt;
    cas[1] = chain->level1a.crt;
    cas[2] = chain->level1b.crt;
    cas[3] = chain->level2a.crt;
    chain->bundle = g_build_filename(workdir, "cacertchain-ctx.pem", NULL);
    test_tls_write_cert_chain(chain->bundle, cas, G_N_ELEMENTS(cas));
}

void test_tls_ca_chain_discard(QCryptoTLSTestCAChain *chain)
{
    QCryptoTLSTestCertReq *reqs[] = {
        &chain->root, &chain->level1a, &chain->level1b, &chain->level2a,
        &chain->server, &chain->client,
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(reqs); i++) {
        test_tls_discard_req(reqs[i]);
    }
    unlink(chain->bundle);
    g_free(chain->bundle);
    chain->bundle = NULL;
}

#endif /* QCRYPTO_HAVE_TLS_TEST_SUPPORT */
