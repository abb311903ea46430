/*
 * Message digests (MD5, SHA-1, SHA-256) computed with GnuTLS.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QCRYPTO_HASH_H
#define QCRYPTO_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include <glib.h>
#include "qapi/error.h"

/**
 * QCryptoHashAlgorithm:
 * @QCRYPTO_HASH_ALG_MD5: MD5, 16-byte digest
 * @QCRYPTO_HASH_ALG_SHA1: SHA-1, 20-byte digest
 * @QCRYPTO_HASH_ALG_SHA256: SHA-256, 32-byte digest
 * @QCRYPTO_HASH_ALG_LAST: the number of algorithms; not an algorithm
 *
 * The digest algorithms the qcrypto_hash_* functions can compute.
 */
typedef enum {
    QCRYPTO_HASH_ALG_MD5,
    QCRYPTO_HASH_ALG_SHA1,
    QCRYPTO_HASH_ALG_SHA256,

    QCRYPTO_HASH_ALG_LAST
} QCryptoHashAlgorithm;

/**
 * qcrypto_hash_supports:
 * @alg: the algorithm to ask about
 *
 * Tells whether this build and the crypto library it runs on can compute
 * @alg.
 *
 * Returns: TRUE if @alg can be used with the other qcrypto_hash_*
 * functions, FALSE if it cannot or @alg is not a valid algorithm
 */
gboolean qcrypto_hash_supports(QCryptoHashAlgorithm alg);

/**
 * qcrypto_hash_digest_len:
 * @alg: the algorithm to ask about
 *
 * Gives the size of the raw digest @alg produces.
 *
 * Returns: the digest size in bytes, or 0 if @alg is not a valid
 * algorithm
 *
 * Since: libqio 0.1
 */
size_t qcrypto_hash_digest_len(QCryptoHashAlgorithm alg);

/**
 * qcrypto_hash_bytesv:
 * @alg: the algorithm to compute
 * @iov: the data, as an array of buffers hashed in order
 * @niov: the number of elements in @iov
 * @result: where the raw digest goes
 * @resultlen: size of the buffer at *@result, or 0
 * @errp: pointer to a NULL-initialized error object
 *
 * Computes the @alg digest of the concatenation of the @iov buffers.
 *
 * If *@resultlen is 0, a buffer is allocated for the digest, stored in
 * *@result and must be released with g_free(); *@resultlen is then set to
 * the digest size.  Otherwise *@result must point to a caller buffer of
 * exactly *@resultlen bytes, which must equal the digest size.
 *
 * Returns: 0 on success, -1 with @errp set if @alg is not supported, the
 * caller's buffer has the wrong size, or the computation failed
 */
int qcrypto_hash_bytesv(QCryptoHashAlgorithm alg,
                        const struct iovec *iov,
                        size_t niov,
                        uint8_t **result,
                        size_t *resultlen,
                        Error **errp);

/**
 * qcrypto_hash_bytes:
 * @alg: the algorithm to compute
 * @buf: the data
 * @len: the number of bytes in @buf
 * @result: where the raw digest goes
 * @resultlen: size of the buffer at *@result, or 0
 * @errp: pointer to a NULL-initialized error object
 *
 * qcrypto_hash_bytesv() over the single buffer @buf; the @result and
 * @resultlen rules are the same.
 *
 * Returns: 0 on success, -1 with @errp set on failure
 */
int qcrypto_hash_bytes(QCryptoHashAlgorithm alg,
                       const char *buf,
                       size_t len,
                       uint8_t **result,
                       size_t *resultlen,
                       Error **errp);

/**
 * qcrypto_hash_digestv:
 * @alg: the algorithm to compute
 * @iov: the data, as an array of buffers hashed in order
 * @niov: the number of elements in @iov
 * @digest: where the newly allocated hex string goes
 * @errp: pointer to a NULL-initialized error object
 *
 * Computes the @alg digest of the @iov buffers and formats it as a
 * NUL-terminated string of lowercase hexadecimal digits, two per byte.
 * The caller frees *@digest with g_free().
 *
 * Returns: 0 on success, -1 with @errp set on failure (*@digest is then
 * left untouched)
 */
int qcrypto_hash_digestv(QCryptoHashAlgorithm alg,
                         const struct iovec *iov,
                         size_t niov,
                         char **digest,
                         Error **errp);

/**
 * qcrypto_hash_digest:
 * @alg: the algorithm to compute
 * @buf: the data
 * @len: the number of bytes in @buf
 * @digest: where the newly allocated hex string goes
 * @errp: pointer to a NULL-initialized error object
 *
 * qcrypto_hash_digestv() over the single buffer @buf.
 *
 * Returns: 0 on success, -1 with @errp set on failure
 */
int qcrypto_hash_digest(QCryptoHashAlgorithm alg,
                        const char *buf,
                        size_t len,
                        char **digest,
                        Error **errp);

/**
 * qcrypto_hash_base64v:
 * @alg: the algorithm to compute
 * @iov: the data, as an array of buffers hashed in order
 * @niov: the number of elements in @iov
 * @base64: where the newly allocated base64 string goes
 * @errp: pointer to a NULL-initialized error object
 *
 * Computes the @alg digest of the @iov buffers and encodes it in standard
 * padded base64 (RFC 4648).  The caller frees *@base64 with g_free().
 *
 * Returns: 0 on success, -1 with @errp set on failure (*@base64 is then
 * left untouched)
 */
int qcrypto_hash_base64v(QCryptoHashAlgorithm alg,
                         const struct iovec *iov,
                         size_t niov,
                         char **base64,
                         Error **errp);

/**
 * qcrypto_hash_base64:
 * @alg: the algorithm to compute
 * @buf: the data
 * @len: the number of bytes in @buf
 * @base64: where the newly allocated base64 string goes
 * @errp: pointer to a NULL-initialized error object
 *
 * qcrypto_hash_base64v() over the single buffer @buf.
 *
 * Returns: 0 on success, -1 with @errp set on failure
 */
int qcrypto_hash_base64(QCryptoHashAlgorithm alg,
                        const char *buf,
                        size_t len,
                        char **base64,
                        Error **errp);

#endif /* QCRYPTO_HASH_H */
