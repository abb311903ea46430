/*
 * Tests for crypto/hash.c and crypto/init.c: known digests of a fixed
 * text, in raw, hex and base64 forms, whole and split across iovecs.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "crypto/init.h"
#include "crypto/hash.h"
#include "qio-test.h"

#define FOX "The quick brown fox jumps over the lazy dog"
#define FOX_A "The quick brown "
#define FOX_B "fox jumps over "
#define FOX_C "the lazy dog"

/* The widely published reference digests of FOX. */
static const char *const expect_hex[QCRYPTO_HASH_ALG_LAST] = {
    [QCRYPTO_HASH_ALG_MD5] = "9e107d9d372bb6826bd81d3542a419d6",
    [QCRYPTO_HASH_ALG_SHA1] = "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
    [QCRYPTO_HASH_ALG_SHA256] =
        "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592",
};

static const char *const expect_b64[QCRYPTO_HASH_ALG_LAST] = {
    [QCRYPTO_HASH_ALG_MD5] = "nhB9nTcrtoJr2B01QqQZ1g==",
    [QCRYPTO_HASH_ALG_SHA1] = "L9ThxnotKPzthJ7hu3bnORuT6xI=",
    [QCRYPTO_HASH_ALG_SHA256] = "16j7swfXgJRpypq8sAguT41WUeRtPNt2LQLQvzfJ5ZI=",
};

static const size_t expect_len[QCRYPTO_HASH_ALG_LAST] = {
    [QCRYPTO_HASH_ALG_MD5] = 16,
    [QCRYPTO_HASH_ALG_SHA1] = 20,
    [QCRYPTO_HASH_ALG_SHA256] = 32,
};

/* Formats raw bytes as lowercase hex, independently of the library. */
static char *to_hex(const uint8_t *raw, size_t len)
{
    GString *s = g_string_new(NULL);
    size_t i;

    for (i = 0; i < len; i++) {
        g_string_append_printf(s, "%02x", raw[i]);
    }
    return g_string_free(s, FALSE);
}

static void test_hash_alloc(void)
{
    int alg;

    for (alg = 0; alg < QCRYPTO_HASH_ALG_LAST; alg++) {
        uint8_t *result = NULL;
        size_t resultlen = 0;
        Error *err = NULL;
        char *hex;

        g_assert_true(qcrypto_hash_supports(alg));
        g_assert_cmpuint(qcrypto_hash_digest_len(alg), ==, expect_len[alg]);
        g_assert_cmpint(qcrypto_hash_bytes(alg, FOX, strlen(FOX), &result,
                                           &resultlen, &err), ==, 0);
        qio_assert_no_error(err);
        g_assert_cmpuint(resultlen, ==, expect_len[alg]);
        hex = to_hex(result, resultlen);
        g_assert_cmpstr(hex, ==, expect_hex[alg]);
        g_free(hex);
        g_free(result);
    }
}

static void test_hash_prealloc(void)
{
    int alg;

    for (alg = 0; alg < QCRYPTO_HASH_ALG_LAST; alg++) {
        uint8_t buf[32 + 8];
        uint8_t *result = buf;
        size_t resultlen = expect_len[alg];
        char *hex;

        /* Bytes past the digest must not be written. */
        memset(buf, 0xa5, sizeof(buf));
        g_assert_cmpint(qcrypto_hash_bytes(alg, FOX, strlen(FOX), &result,
                                           &resultlen, &error_abort), ==, 0);
        g_assert_true(result == buf);
        g_assert_cmpuint(resultlen, ==, expect_len[alg]);
        hex = to_hex(buf, resultlen);
        g_assert_cmpstr(hex, ==, expect_hex[alg]);
        g_free(hex);
        g_assert_cmpuint(buf[resultlen], ==, 0xa5);
    }
}

static void test_hash_prealloc_wrong_size(void)
{
    int alg;

    for (alg = 0; alg < QCRYPTO_HASH_ALG_LAST; alg++) {
        uint8_t buf[64];
        uint8_t *result = buf;
        size_t sizes[] = { expect_len[alg] - 1, expect_len[alg] + 1 };
        size_t i;

        for (i = 0; i < G_N_ELEMENTS(sizes); i++) {
            size_t resultlen = sizes[i];
            Error *err = NULL;

            memset(buf, 0x5a, sizeof(buf));
            g_assert_cmpint(qcrypto_hash_bytes(alg, FOX, strlen(FOX),
                                               &result, &resultlen, &err),
                            ==, -1);
            qio_assert_error_contains(err, "does not match");
            error_free(err);
            /* Nothing changes on failure. */
            g_assert_true(result == buf);
            g_assert_cmpuint(resultlen, ==, sizes[i]);
            g_assert_cmpuint(buf[0], ==, 0x5a);
        }
    }
}

static void test_hash_iov(void)
{
    int alg;

    for (alg = 0; alg < QCRYPTO_HASH_ALG_LAST; alg++) {
        struct iovec iov[3] = {
            { .iov_base = (char *)FOX_A, .iov_len = strlen(FOX_A) },
            { .iov_base = (char *)FOX_B, .iov_len = strlen(FOX_B) },
            { .iov_base = (char *)FOX_C, .iov_len = strlen(FOX_C) },
        };
        uint8_t *result = NULL;
        size_t resultlen = 0;
        char *hex;

        g_assert_cmpint(qcrypto_hash_bytesv(alg, iov, 3, &result, &resultlen,
                                            &error_abort), ==, 0);
        g_assert_cmpuint(resultlen, ==, expect_len[alg]);
        hex = to_hex(result, resultlen);
        g_assert_cmpstr(hex, ==, expect_hex[alg]);
        g_free(hex);
        g_free(result);

        g_assert_cmpint(qcrypto_hash_digestv(alg, iov, 3, &hex,
                                             &error_abort), ==, 0);
        g_assert_cmpstr(hex, ==, expect_hex[alg]);
        g_free(hex);

        g_assert_cmpint(qcrypto_hash_base64v(alg, iov, 3, &hex,
                                             &error_abort), ==, 0);
        g_assert_cmpstr(hex, ==, expect_b64[alg]);
        g_free(hex);
    }
}

static void test_hash_digest(void)
{
    int alg;

    for (alg = 0; alg < QCRYPTO_HASH_ALG_LAST; alg++) {
        char *digest = NULL;

        g_assert_cmpint(qcrypto_hash_digest(alg, FOX, strlen(FOX), &digest,
                                            &error_abort), ==, 0);
        g_assert_cmpstr(digest, ==, expect_hex[alg]);
        g_free(digest);
    }

    {
        char *digest = NULL;

        /* The empty input has a well-known SHA-256 too. */
        g_assert_cmpint(qcrypto_hash_digest(QCRYPTO_HASH_ALG_SHA256, "", 0,
                                            &digest, &error_abort), ==, 0);
        g_assert_cmpstr(digest, ==,
                        "e3b0c44298fc1c149afbf4c8996fb924"
                        "27ae41e4649b934ca495991b7852b855");
        g_free(digest);
    }
}

static void test_hash_base64(void)
{
    int alg;

    for (alg = 0; alg < QCRYPTO_HASH_ALG_LAST; alg++) {
        char *b64 = NULL;

        g_assert_cmpint(qcrypto_hash_base64(alg, FOX, strlen(FOX), &b64,
                                            &error_abort), ==, 0);
        g_assert_cmpstr(b64, ==, expect_b64[alg]);
        g_free(b64);
    }
}

static void test_hash_invalid_alg(void)
{
    uint8_t *result = NULL;
    size_t resultlen = 0;
    char *str = NULL;
    Error *err = NULL;

    g_assert_false(qcrypto_hash_supports(QCRYPTO_HASH_ALG_LAST));
    g_assert_false(qcrypto_hash_supports((QCryptoHashAlgorithm)-1));
    g_assert_cmpuint(qcrypto_hash_digest_len(QCRYPTO_HASH_ALG_LAST), ==, 0);

    g_assert_cmpint(qcrypto_hash_bytes(QCRYPTO_HASH_ALG_LAST, FOX,
                                       strlen(FOX), &result, &resultlen,
                                       &err), ==, -1);
    qio_assert_error_contains(err, "hash algorithm");
    error_free(err);
    err = NULL;
    g_assert_null(result);
    g_assert_cmpuint(resultlen, ==, 0);

    g_assert_cmpint(qcrypto_hash_digest(QCRYPTO_HASH_ALG_LAST, FOX,
                                        strlen(FOX), &str, &err), ==, -1);
    qio_assert_error_contains(err, "hash algorithm");
    error_free(err);
    err = NULL;
    g_assert_null(str);

    g_assert_cmpint(qcrypto_hash_base64(QCRYPTO_HASH_ALG_LAST, FOX,
                                        strlen(FOX), &str, &err), ==, -1);
    qio_assert_error_contains(err, "hash algorithm");
    error_free(err);
    g_assert_null(str);
}

static gpointer init_thread(gpointer opaque)
{
    return GINT_TO_POINTER(qcrypto_init(NULL));
}

static void test_init_threads(void)
{
    GThread *threads[4];
    size_t i;

    /* Concurrent first calls must all succeed and initialize only once. */
    for (i = 0; i < G_N_ELEMENTS(threads); i++) {
        threads[i] = g_thread_new("qcrypto-init", init_thread, NULL);
    }
    for (i = 0; i < G_N_ELEMENTS(threads); i++) {
        g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(threads[i])), ==, 0);
    }
    g_assert_cmpint(qcrypto_init(&error_abort), ==, 0);
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);

    /* Runs first so that it exercises the real first initialization. */
    qio_test_add_func("/crypto/init/threads", test_init_threads);
    qio_test_add_func("/crypto/hash/iov", test_hash_iov);
    qio_test_add_func("/crypto/hash/alloc", test_hash_alloc);
    qio_test_add_func("/crypto/hash/prealloc", test_hash_prealloc);
    qio_test_add_func("/crypto/hash/prealloc-wrong-size",
                      test_hash_prealloc_wrong_size);
    qio_test_add_func("/crypto/hash/digest", test_hash_digest);
    qio_test_add_func("/crypto/hash/base64", test_hash_base64);
    qio_test_add_func("/crypto/hash/invalid-alg", test_hash_invalid_alg);

    return g_test_run();
}
