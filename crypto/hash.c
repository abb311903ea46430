/*
 * Message digests computed with GnuTLS's hash API.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "crypto/hash.h"

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

static const gnutls_digest_algorithm_t qcrypto_hash_alg_map[] = {
    [QCRYPTO_HASH_ALG_MD5] = GNUTLS_DIG_MD5,
    [QCRYPTO_HASH_ALG_SHA1] = GNUTLS_DIG_SHA1,
    [QCRYPTO_HASH_ALG_SHA256] = GNUTLS_DIG_SHA256,
};

static const size_t qcrypto_hash_alg_size[] = {
    [QCRYPTO_HASH_ALG_MD5] = 16,
    [QCRYPTO_HASH_ALG_SHA1] = 20,
    [QCRYPTO_HASH_ALG_SHA256] = 32,
};

QEMU_BUILD_BUG_ON(G_N_ELEMENTS(qcrypto_hash_alg_map) !=
                  QCRYPTO_HASH_ALG_LAST);
QEMU_BUILD_BUG_ON(G_N_ELEMENTS(qcrypto_hash_alg_size) !=
                  QCRYPTO_HASH_ALG_LAST);

static bool qcrypto_hash_alg_valid(QCryptoHashAlgorithm alg)
{
    /* The enum may be unsigned or signed; compare as unsigned for both. */
    return (unsigned int)alg < QCRYPTO_HASH_ALG_LAST;
}

gboolean qcrypto_hash_supports(QCryptoHashAlgorithm alg)
{
    if (!qcrypto_hash_alg_valid(alg)) {
        return FALSE;
    }
    /*
     * A library built or run without an algorithm (FIPS mode disables MD5,
     * for instance) reports a zero length for it.
     */
    return gnutls_hash_get_len(qcrypto_hash_alg_map[alg]) ==
        qcrypto_hash_alg_size[alg];
}

size_t qcrypto_hash_digest_len(QCryptoHashAlgorithm alg)
{
    if (!qcrypto_hash_alg_valid(alg)) {
        return 0;
    }
    return qcrypto_hash_alg_size[alg];
}

int qcrypto_hash_bytesv(QCryptoHashAlgorithm alg,
                        const struct iovec *iov,
                        size_t niov,
                        uint8_t **result,
                        size_t *resultlen,
                        Error **errp)
{
    gnutls_hash_hd_t hd;
    size_t len;
    size_t i;
    int ret;

    if (!qcrypto_hash_supports(alg)) {
        error_setg(errp, "Unknown or unsupported hash algorithm %d", alg);
        return -1;
    }
    len = qcrypto_hash_alg_size[alg];

    if (*resultlen != 0 && *resultlen != len) {
        error_setg(errp,
                   "Result buffer size %zu does not match the %zu byte "
                   "digest of the hash algorithm",
                   *resultlen, len);
        return -1;
    }

    ret = gnutls_hash_init(&hd, qcrypto_hash_alg_map[alg]);
    if (ret < 0) {
        error_setg(errp, "Unable to initialize hash algorithm: %s",
                   gnutls_strerror(ret));
        return -1;
    }

    for (i = 0; i < niov; i++) {
        ret = gnutls_hash(hd, iov[i].iov_base, iov[i].iov_len);
        if (ret < 0) {
            gnutls_hash_deinit(hd, NULL);
            error_setg(errp, "Unable to process hash data: %s",
                       gnutls_strerror(ret));
            return -1;
        }
    }

    if (*resultlen == 0) {
        *result = g_new0(uint8_t, len);
        *resultlen = len;
    }
    gnutls_hash_deinit(hd, *result);
    return 0;
}

int qcrypto_hash_bytes(QCryptoHashAlgorithm alg,
                       const char *buf,
                       size_t len,
                       uint8_t **result,
                       size_t *resultlen,
                       Error **errp)
{
    struct iovec iov = { .iov_base = (char *)buf, .iov_len = len };

    return qcrypto_hash_bytesv(alg, &iov, 1, result, resultlen, errp);
}

int qcrypto_hash_digestv(QCryptoHashAlgorithm alg,
                         const struct iovec *iov,
                         size_t niov,
                         char **digest,
                         Error **errp)
{
    static const char hexdigits[] = "0123456789abcdef";
    uint8_t *raw = NULL;
    size_t rawlen = 0;
    char *hex;
    size_t i;

    if (qcrypto_hash_bytesv(alg, iov, niov, &raw, &rawlen, errp) < 0) {
        return -1;
    }

    hex = g_new(char, rawlen * 2 + 1);
    for (i = 0; i < rawlen; i++) {
        hex[i * 2] = hexdigits[raw[i] >> 4];
        hex[i * 2 + 1] = hexdigits[raw[i] & 0xf];
    }
    hex[rawlen * 2] = '\0';
    g_free(raw);

    *digest = hex;
    return 0;
}

int qcrypto_hash_digest(QCryptoHashAlgorithm alg,
                        const char *buf,
                        size_t len,
                        char **digest,
                        Error **errp)
{
    struct iovec iov = { .iov_base = (char *)buf, .iov_len = len };

    return qcrypto_hash_digestv(alg, &iov, 1, digest, errp);
}

int qcrypto_hash_base64v(QCryptoHashAlgorithm alg,
                         const struct iovec *iov,
                         size_t niov,
                         char **base64,
                         Error **errp)
{
    uint8_t *raw = NULL;
    size_t rawlen = 0;

    if (qcrypto_hash_bytesv(alg, iov, niov, &raw, &rawlen, errp) < 0) {
        return -1;
    }

    *base64 = g_base64_encode(raw, rawlen);
    g_free(raw);
    return 0;
}

int qcrypto_hash_base64(QCryptoHashAlgorithm alg,
                        const char *buf,
                        size_t len,
                        char **base64,
                        Error **errp)
{
    struct iovec iov = { .iov_base = (char *)buf, .iov_len = len };

    return qcrypto_hash_base64v(alg, &iov, 1, base64, errp);
}
