/*
 * Tests for the scatter/gather helpers (include/qemu/iov.h).
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/iov.h"
#include "qio-test.h"

/*
 * A vector of uneven elements, including empty ones, over one backing
 * array so that results can be checked against plain memory.
 */
static const size_t layout[] = { 3, 0, 1, 7, 0, 16, 5, 0 };
#define NLAYOUT ARRAY_SIZE(layout)
#define TOTAL (3 + 1 + 7 + 16 + 5)

typedef struct {
    uint8_t backing[TOTAL];
    struct iovec iov[NLAYOUT];
} TestVec;

static void testvec_init(TestVec *v)
{
    size_t pos = 0;
    size_t i;

    memset(v->backing, 0, sizeof(v->backing));
    for (i = 0; i < NLAYOUT; i++) {
        /* Empty elements get a NULL base, which must never be touched. */
        v->iov[i].iov_base = layout[i] ? v->backing + pos : NULL;
        v->iov[i].iov_len = layout[i];
        pos += layout[i];
    }
}

static void test_iov_size(void)
{
    TestVec v;

    testvec_init(&v);
    g_assert_cmpuint(iov_size(v.iov, NLAYOUT), ==, TOTAL);
    g_assert_cmpuint(iov_size(v.iov, 0), ==, 0);
    g_assert_cmpuint(iov_size(v.iov, 1), ==, 3);
    g_assert_cmpuint(iov_size(v.iov, 4), ==, 11);
}

static void test_iov_from_to_buf_all_offsets(void)
{
    uint8_t src[TOTAL + 10];
    uint8_t dst[TOTAL + 10];
    uint8_t expect[TOTAL];
    size_t offset, bytes, i;
    TestVec v;

    for (i = 0; i < sizeof(src); i++) {
        src[i] = (uint8_t)(0x40 + i);
    }
    for (offset = 0; offset <= TOTAL; offset++) {
        for (bytes = 0; bytes <= TOTAL + 5; bytes++) {
            size_t want = MIN(bytes, TOTAL - offset);
            size_t n;

            testvec_init(&v);
            n = iov_from_buf_full(v.iov, NLAYOUT, offset, src, bytes);
            g_assert_cmpuint(n, ==, want);
            memset(expect, 0, sizeof(expect));
            memcpy(expect + offset, src, want);
            g_assert_cmpmem(v.backing, TOTAL, expect, TOTAL);

            memset(dst, 0xee, sizeof(dst));
            n = iov_to_buf_full(v.iov, NLAYOUT, offset, dst, bytes);
            g_assert_cmpuint(n, ==, want);
            g_assert_cmpmem(dst, want, src, want);
            /* Nothing written past what was copied. */
            for (i = want; i < sizeof(dst); i++) {
                g_assert_cmpuint(dst[i], ==, 0xee);
            }
        }
    }
}

static void test_iov_inline_fast_path(void)
{
    char a[8] = "abcdefg";
    char b[8] = "hijklmn";
    struct iovec iov[2] = {
        { .iov_base = a, .iov_len = 7 },
        { .iov_base = b, .iov_len = 7 },
    };
    char out[8] = { 0 };

    /* Constant sizes inside the first element take the inline copy. */
    g_assert_cmpuint(iov_to_buf(iov, 2, 2, out, 4), ==, 4);
    g_assert_cmpmem(out, 4, "cdef", 4);
    g_assert_cmpuint(iov_from_buf(iov, 2, 1, "XY", 2), ==, 2);
    g_assert_cmpstr(a, ==, "aXYdefg");

    /* Crossing into the second element goes through the full version. */
    g_assert_cmpuint(iov_to_buf(iov, 2, 5, out, 4), ==, 4);
    g_assert_cmpmem(out, 4, "fghi", 4);
    g_assert_cmpuint(iov_from_buf(iov, 2, 6, "12", 2), ==, 2);
    g_assert_cmpstr(a, ==, "aXYdef1");
    g_assert_cmpstr(b, ==, "2ijklmn");

    /* No elements: nothing copied. */
    g_assert_cmpuint(iov_to_buf(iov, 0, 0, out, 4), ==, 0);
}

static void test_iov_offset_past_end(void)
{
    if (g_test_subprocess()) {
        TestVec v;
        uint8_t buf[4];

        testvec_init(&v);
        iov_to_buf_full(v.iov, NLAYOUT, TOTAL + 1, buf, sizeof(buf));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
}

static void test_iov_memset(void)
{
    uint8_t expect[TOTAL];
    size_t offset, bytes;
    TestVec v;

    for (offset = 0; offset <= TOTAL; offset++) {
        for (bytes = 0; bytes <= TOTAL + 3; bytes++) {
            size_t want = MIN(bytes, TOTAL - offset);

            testvec_init(&v);
            g_assert_cmpuint(iov_memset(v.iov, NLAYOUT, offset, 0x5a, bytes),
                             ==, want);
            memset(expect, 0, sizeof(expect));
            memset(expect + offset, 0x5a, want);
            g_assert_cmpmem(v.backing, TOTAL, expect, TOTAL);
        }
    }
}

static void test_iov_copy(void)
{
    struct iovec dst[NLAYOUT];
    uint8_t flat[TOTAL];
    uint8_t got[TOTAL];
    size_t offset, bytes, i;
    TestVec v;

    testvec_init(&v);
    for (i = 0; i < TOTAL; i++) {
        v.backing[i] = (uint8_t)i;
    }
    memcpy(flat, v.backing, TOTAL);

    for (offset = 0; offset <= TOTAL; offset++) {
        for (bytes = 0; bytes <= TOTAL - offset + 2; bytes++) {
            size_t want = MIN(bytes, TOTAL - offset);
            unsigned n = iov_copy(dst, NLAYOUT, v.iov, NLAYOUT, offset,
                                  bytes);

            g_assert_cmpuint(iov_size(dst, n), ==, want);
            /* The copy aliases the source memory: no data was copied. */
            for (i = 0; i < n; i++) {
                g_assert_cmpuint(dst[i].iov_len, >, 0);
                g_assert_true((uint8_t *)dst[i].iov_base >= v.backing);
                g_assert_true((uint8_t *)dst[i].iov_base + dst[i].iov_len <=
                              v.backing + TOTAL);
            }
            g_assert_cmpuint(iov_to_buf_full(dst, n, 0, got, want), ==, want);
            g_assert_cmpmem(got, want, flat + offset, want);
        }
    }

    /* A destination that fills up truncates the result. */
    g_assert_cmpuint(iov_copy(dst, 2, v.iov, NLAYOUT, 0, TOTAL), ==, 2);
    g_assert_cmpuint(iov_size(dst, 2), ==, 4);
    g_assert_true(dst[1].iov_base == v.backing + 3);
}

static void test_iov_discard_front(void)
{
    size_t bytes;

    for (bytes = 0; bytes <= TOTAL + 2; bytes++) {
        uint8_t got[TOTAL];
        TestVec v;
        struct iovec *iov = v.iov;
        unsigned int cnt = NLAYOUT;
        size_t want = MIN(bytes, TOTAL);
        size_t i;

        testvec_init(&v);
        for (i = 0; i < TOTAL; i++) {
            v.backing[i] = (uint8_t)(i + 1);
        }
        g_assert_cmpuint(iov_discard_front(&iov, &cnt, bytes), ==, want);
        g_assert_cmpuint(iov_size(iov, cnt), ==, TOTAL - want);
        g_assert_true(iov >= v.iov && iov + cnt == v.iov + NLAYOUT);
        if (cnt > 0 && want > 0 && want < TOTAL) {
            /* The first element left starts at the first byte kept. */
            g_assert_true(iov[0].iov_len == 0 ||
                          iov[0].iov_base == v.backing + want);
        }
        g_assert_cmpuint(iov_to_buf_full(iov, cnt, 0, got, TOTAL), ==,
                         TOTAL - want);
        g_assert_cmpmem(got, TOTAL - want, v.backing + want, TOTAL - want);
    }
}

static void test_iov_discard_front_exact(void)
{
    TestVec v;
    struct iovec *iov = v.iov;
    unsigned int cnt = NLAYOUT;

    testvec_init(&v);
    /* Exactly the first element: it goes, the next (empty) one goes too. */
    g_assert_cmpuint(iov_discard_front(&iov, &cnt, 3), ==, 3);
    g_assert_true(iov == &v.iov[2]);
    g_assert_cmpuint(cnt, ==, NLAYOUT - 2);
    g_assert_true(iov[0].iov_base == v.backing + 3);
    g_assert_cmpuint(iov[0].iov_len, ==, 1);

    /* Everything: no elements left. */
    g_assert_cmpuint(iov_discard_front(&iov, &cnt, 1000), ==, TOTAL - 3);
    g_assert_cmpuint(cnt, ==, 0);
    g_assert_true(iov == v.iov + NLAYOUT);

    /* Nothing left to drop. */
    g_assert_cmpuint(iov_discard_front(&iov, &cnt, 5), ==, 0);
}

static void test_iov_discard_back(void)
{
    size_t bytes;

    for (bytes = 0; bytes <= TOTAL + 2; bytes++) {
        uint8_t got[TOTAL];
        TestVec v;
        unsigned int cnt = NLAYOUT;
        size_t want = MIN(bytes, TOTAL);
        size_t i;

        testvec_init(&v);
        for (i = 0; i < TOTAL; i++) {
            v.backing[i] = (uint8_t)(i + 1);
        }
        g_assert_cmpuint(iov_discard_back(v.iov, &cnt, bytes), ==, want);
        g_assert_cmpuint(iov_size(v.iov, cnt), ==, TOTAL - want);
        g_assert_cmpuint(iov_to_buf_full(v.iov, cnt, 0, got, TOTAL), ==,
                         TOTAL - want);
        g_assert_cmpmem(got, TOTAL - want, v.backing, TOTAL - want);
        if (want == TOTAL) {
            g_assert_cmpuint(cnt, ==, 0);
        }
    }
}

static void test_iov_discard_back_exact(void)
{
    TestVec v;
    unsigned int cnt = NLAYOUT;

    testvec_init(&v);
    /* The trailing empty element and the last 5 bytes go. */
    g_assert_cmpuint(iov_discard_back(v.iov, &cnt, 5), ==, 5);
    g_assert_cmpuint(cnt, ==, 6);
    g_assert_cmpuint(v.iov[5].iov_len, ==, 16);
    /* Trimming inside an element shortens it in place. */
    g_assert_cmpuint(iov_discard_back(v.iov, &cnt, 6), ==, 6);
    g_assert_cmpuint(cnt, ==, 6);
    g_assert_cmpuint(v.iov[5].iov_len, ==, 10);
}

static void test_iov_hexdump(void)
{
    char *out = NULL;
    size_t outlen = 0;
    FILE *fp = open_memstream(&out, &outlen);
    TestVec v;
    size_t i;

    g_assert_nonnull(fp);
    testvec_init(&v);
    for (i = 0; i < TOTAL; i++) {
        v.backing[i] = (uint8_t)(0xf0 + i);
    }
    iov_hexdump(v.iov, NLAYOUT, fp, "pfx", 18);
    fclose(fp);
    g_assert_cmpstr(out, ==,
                    "pfx: 0x0000: f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 fa fb fc fd"
                    " fe ff\n"
                    "pfx: 0x0010: 00 01\n");
    free(out);
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/util/iov/size", test_iov_size);
    qio_test_add_func("/util/iov/from-to-buf",
                      test_iov_from_to_buf_all_offsets);
    qio_test_add_func("/util/iov/inline", test_iov_inline_fast_path);
    qio_test_add_func("/util/iov/offset-past-end", test_iov_offset_past_end);
    qio_test_add_func("/util/iov/memset", test_iov_memset);
    qio_test_add_func("/util/iov/copy", test_iov_copy);
    qio_test_add_func("/util/iov/discard-front", test_iov_discard_front);
    qio_test_add_func("/util/iov/discard-front-exact",
                      test_iov_discard_front_exact);
    qio_test_add_func("/util/iov/discard-back", test_iov_discard_back);
    qio_test_add_func("/util/iov/discard-back-exact",
                      test_iov_discard_back_exact);
    qio_test_add_func("/util/iov/hexdump", test_iov_hexdump);
    return g_test_run();
}
