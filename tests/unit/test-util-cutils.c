/*
 * Tests for the string helpers and checked conversions
 * (include/qemu/cutils.h) and the byte-order helpers (qemu/bswap.h).
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/bswap.h"
#include "qio-test.h"

static void test_strtol_plain(void)
{
    const char *end = NULL;
    long r = -1;

    g_assert_cmpint(qemu_strtol("12345", NULL, 10, &r), ==, 0);
    g_assert_cmpint(r, ==, 12345);
    g_assert_cmpint(qemu_strtol("  -42", NULL, 10, &r), ==, 0);
    g_assert_cmpint(r, ==, -42);
    g_assert_cmpint(qemu_strtol("+7", NULL, 10, &r), ==, 0);
    g_assert_cmpint(r, ==, 7);

    /* Base 0 recognises hex and octal prefixes. */
    g_assert_cmpint(qemu_strtol("0x1f", NULL, 0, &r), ==, 0);
    g_assert_cmpint(r, ==, 31);
    g_assert_cmpint(qemu_strtol("017", NULL, 0, &r), ==, 0);
    g_assert_cmpint(r, ==, 15);
    g_assert_cmpint(qemu_strtol("ff", NULL, 16, &r), ==, 0);
    g_assert_cmpint(r, ==, 255);
    g_assert_cmpint(qemu_strtol("z", NULL, 36, &r), ==, 0);
    g_assert_cmpint(r, ==, 35);

    g_assert_cmpint(qemu_strtol("123abc", &end, 10, &r), ==, 0);
    g_assert_cmpint(r, ==, 123);
    g_assert_cmpstr(end, ==, "abc");
}

static void test_strtol_errors(void)
{
    const char *str = "   ";
    const char *end = NULL;
    long r = 99;

    /* Trailing characters are an error only without endptr. */
    g_assert_cmpint(qemu_strtol("123abc", NULL, 10, &r), ==, -EINVAL);
    g_assert_cmpint(r, ==, 123);
    g_assert_cmpint(qemu_strtol("12 ", NULL, 10, &r), ==, -EINVAL);

    /* No digits at all. */
    g_assert_cmpint(qemu_strtol("", NULL, 10, &r), ==, -EINVAL);
    g_assert_cmpint(qemu_strtol("abc", &end, 10, &r), ==, -EINVAL);
    g_assert_cmpstr(end, ==, "abc");
    g_assert_cmpint(r, ==, 0);
    end = NULL;
    g_assert_cmpint(qemu_strtol(str, &end, 10, &r), ==, -EINVAL);
    g_assert_true(end == str);
    g_assert_cmpint(qemu_strtol("-", NULL, 10, &r), ==, -EINVAL);

    /* A NULL string: error, result untouched, endptr NULL. */
    r = 99;
    end = "x";
    g_assert_cmpint(qemu_strtol(NULL, &end, 10, &r), ==, -EINVAL);
    g_assert_null(end);
    g_assert_cmpint(r, ==, 99);

    /* Out of range clamps and reports -ERANGE, with endptr past it. */
    g_assert_cmpint(qemu_strtol("99999999999999999999999", NULL, 10, &r),
                    ==, -ERANGE);
    g_assert_cmpint(r, ==, LONG_MAX);
    g_assert_cmpint(qemu_strtol("-99999999999999999999999z", &end, 10, &r),
                    ==, -ERANGE);
    g_assert_cmpint(r, ==, LONG_MIN);
    g_assert_cmpstr(end, ==, "z");

    /* Limits themselves are fine. */
    g_assert_cmpint(qemu_strtol("9223372036854775807", NULL, 10, &r), ==, 0);
    g_assert_cmpint(r, ==, LONG_MAX);

    /* An invalid base is -EINVAL. */
    g_assert_cmpint(qemu_strtol("10", NULL, 1, &r), ==, -EINVAL);
}

static void test_strtol_keeps_errno(void)
{
    long r;

    errno = EXDEV;
    g_assert_cmpint(qemu_strtol("99999999999999999999999", NULL, 10, &r),
                    ==, -ERANGE);
    g_assert_cmpint(errno, ==, EXDEV);
    g_assert_cmpint(qemu_strtol("5", NULL, 10, &r), ==, 0);
    g_assert_cmpint(errno, ==, EXDEV);
}

static void test_strtoul(void)
{
    const char *end;
    unsigned long r = 0;

    g_assert_cmpint(qemu_strtoul("4294967296", NULL, 10, &r), ==, 0);
    g_assert_cmpuint(r, ==, 4294967296UL);
    g_assert_cmpint(qemu_strtoul("18446744073709551615", NULL, 10, &r),
                    ==, 0);
    g_assert_cmpuint(r, ==, ULONG_MAX);
    g_assert_cmpint(qemu_strtoul("18446744073709551616", NULL, 10, &r),
                    ==, -ERANGE);
    g_assert_cmpuint(r, ==, ULONG_MAX);
    /* Like strtoul(), a minus sign negates in unsigned arithmetic. */
    g_assert_cmpint(qemu_strtoul("-1", NULL, 10, &r), ==, 0);
    g_assert_cmpuint(r, ==, ULONG_MAX);
    g_assert_cmpint(qemu_strtoul("0x10 rest", &end, 0, &r), ==, 0);
    g_assert_cmpuint(r, ==, 16);
    g_assert_cmpstr(end, ==, " rest");
    g_assert_cmpint(qemu_strtoul("0x10 rest", NULL, 0, &r), ==, -EINVAL);
    g_assert_cmpint(qemu_strtoul("", NULL, 0, &r), ==, -EINVAL);
    g_assert_cmpint(qemu_strtoul(NULL, NULL, 0, &r), ==, -EINVAL);
}

static void test_strtoll(void)
{
    const char *end;
    int64_t r = 0;

    g_assert_cmpint(qemu_strtoll("-9223372036854775808", NULL, 10, &r),
                    ==, 0);
    g_assert_cmpint(r, ==, INT64_MIN);
    g_assert_cmpint(qemu_strtoll("9223372036854775808", NULL, 10, &r),
                    ==, -ERANGE);
    g_assert_cmpint(r, ==, INT64_MAX);
    g_assert_cmpint(qemu_strtoll("-9223372036854775809", NULL, 10, &r),
                    ==, -ERANGE);
    g_assert_cmpint(r, ==, INT64_MIN);
    g_assert_cmpint(qemu_strtoll("0777,", &end, 0, &r), ==, 0);
    g_assert_cmpint(r, ==, 511);
    g_assert_cmpstr(end, ==, ",");
    g_assert_cmpint(qemu_strtoll("x", NULL, 0, &r), ==, -EINVAL);
    g_assert_cmpint(qemu_strtoll(NULL, NULL, 0, &r), ==, -EINVAL);
}

static void test_strtoull(void)
{
    const char *end;
    uint64_t r = 0;

    g_assert_cmpint(qemu_strtoull("18446744073709551615", NULL, 10, &r),
                    ==, 0);
    g_assert_cmpuint(r, ==, UINT64_MAX);
    g_assert_cmpint(qemu_strtoull("18446744073709551616", NULL, 10, &r),
                    ==, -ERANGE);
    g_assert_cmpuint(r, ==, UINT64_MAX);
    g_assert_cmpint(qemu_strtoull("-2", NULL, 10, &r), ==, 0);
    g_assert_cmpuint(r, ==, UINT64_MAX - 1);
    g_assert_cmpint(qemu_strtoull("0xFFff:", &end, 16, &r), ==, 0);
    g_assert_cmpuint(r, ==, 0xffff);
    g_assert_cmpstr(end, ==, ":");
    g_assert_cmpint(qemu_strtoull("0xFFff:", NULL, 16, &r), ==, -EINVAL);
    g_assert_cmpint(qemu_strtoull(NULL, &end, 10, &r), ==, -EINVAL);
    g_assert_null(end);
}

static void test_pstrcpy_pstrcat(void)
{
    char buf[8];

    memset(buf, 'x', sizeof(buf));
    pstrcpy(buf, sizeof(buf), "hello");
    g_assert_cmpstr(buf, ==, "hello");
    pstrcpy(buf, sizeof(buf), "much too long");
    g_assert_cmpstr(buf, ==, "much to");
    pstrcpy(buf, 1, "abc");
    g_assert_cmpstr(buf, ==, "");
    /* A size of 0 writes nothing at all. */
    buf[0] = 'q';
    pstrcpy(buf, 0, "abc");
    g_assert_cmpint(buf[0], ==, 'q');

    pstrcpy(buf, sizeof(buf), "ab");
    g_assert_true(pstrcat(buf, sizeof(buf), "cd") == buf);
    g_assert_cmpstr(buf, ==, "abcd");
    pstrcat(buf, sizeof(buf), "efghij");
    g_assert_cmpstr(buf, ==, "abcdefg");
    pstrcat(buf, sizeof(buf), "z");
    g_assert_cmpstr(buf, ==, "abcdefg");
}

static void test_strstart(void)
{
    const char *rest = "unchanged";

    g_assert_cmpint(strstart("unix:/tmp/sock", "unix:", &rest), ==, 1);
    g_assert_cmpstr(rest, ==, "/tmp/sock");
    rest = "unchanged";
    g_assert_cmpint(strstart("UNIX:/tmp/sock", "unix:", &rest), ==, 0);
    g_assert_cmpstr(rest, ==, "unchanged");
    g_assert_cmpint(strstart("uni", "unix:", &rest), ==, 0);
    g_assert_cmpint(strstart("anything", "", &rest), ==, 1);
    g_assert_cmpstr(rest, ==, "anything");
    g_assert_cmpint(strstart("tcp:x", "tcp:", NULL), ==, 1);

    g_assert_cmpint(stristart("UNIX:/tmp/sock", "unix:", &rest), ==, 1);
    g_assert_cmpstr(rest, ==, "/tmp/sock");
    rest = "unchanged";
    g_assert_cmpint(stristart("unit:/tmp/sock", "UNIX:", &rest), ==, 0);
    g_assert_cmpstr(rest, ==, "unchanged");
    g_assert_cmpint(stristart("Un", "unix", NULL), ==, 0);
}

static void test_strnlen_strsep(void)
{
    char text[] = "a,b;;c";
    char *p = text;

    g_assert_cmpint(qemu_strnlen("hello", 10), ==, 5);
    g_assert_cmpint(qemu_strnlen("hello", 3), ==, 3);
    g_assert_cmpint(qemu_strnlen("hello", 0), ==, 0);
    g_assert_cmpint(qemu_strnlen("", 4), ==, 0);

    g_assert_cmpstr(qemu_strsep(&p, ",;"), ==, "a");
    g_assert_cmpstr(qemu_strsep(&p, ",;"), ==, "b");
    g_assert_cmpstr(qemu_strsep(&p, ",;"), ==, "");
    g_assert_cmpstr(qemu_strsep(&p, ",;"), ==, "c");
    g_assert_null(p);
    g_assert_null(qemu_strsep(&p, ",;"));
}

static void test_bswap(void)
{
    uint8_t mem[11];
    uint16_t s16 = 0x1234;
    uint32_t s32 = 0x12345678;
    uint64_t s64 = 0x0102030405060708ULL;
    const uint8_t be64[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    g_assert_cmphex(bswap16(0x1234), ==, 0x3412);
    g_assert_cmphex(bswap32(0x12345678), ==, 0x78563412);
    g_assert_cmphex(bswap64(0x0102030405060708ULL), ==,
                    0x0807060504030201ULL);
    bswap16s(&s16);
    bswap32s(&s32);
    bswap64s(&s64);
    g_assert_cmphex(s16, ==, 0x3412);
    g_assert_cmphex(s32, ==, 0x78563412);
    g_assert_cmphex(s64, ==, 0x0807060504030201ULL);

    /* Conversions agree with the byte layout in memory. */
    s16 = cpu_to_be16(0x1234);
    g_assert_cmpmem(&s16, 2, "\x12\x34", 2);
    s16 = cpu_to_le16(0x1234);
    g_assert_cmpmem(&s16, 2, "\x34\x12", 2);
    s32 = cpu_to_be32(0x01020304);
    g_assert_cmpmem(&s32, 4, "\x01\x02\x03\x04", 4);
    s32 = cpu_to_le32(0x01020304);
    g_assert_cmpmem(&s32, 4, "\x04\x03\x02\x01", 4);
    s64 = cpu_to_be64(0x0102030405060708ULL);
    g_assert_cmpmem(&s64, 8, be64, 8);
    memcpy(&s64, be64, 8);
    g_assert_cmphex(be64_to_cpu(s64), ==, 0x0102030405060708ULL);
    g_assert_cmphex(le64_to_cpu(s64), ==, 0x0807060504030201ULL);
    g_assert_cmphex(be16_to_cpu(cpu_to_be16(0xbeef)), ==, 0xbeef);
    g_assert_cmphex(le32_to_cpu(cpu_to_le32(0xdeadbeef)), ==, 0xdeadbeef);

    s32 = 0x01020304;
    cpu_to_be32s(&s32);
    g_assert_cmpmem(&s32, 4, "\x01\x02\x03\x04", 4);
    be32_to_cpus(&s32);
    g_assert_cmphex(s32, ==, 0x01020304);

    /* Unaligned accessors, at an odd address on purpose. */
    memset(mem, 0, sizeof(mem));
    stw_be_p(mem + 1, 0x8081);
    g_assert_cmpmem(mem + 1, 2, "\x80\x81", 2);
    g_assert_cmpint(lduw_be_p(mem + 1), ==, 0x8081);
    g_assert_cmpint(ldsw_be_p(mem + 1), ==, (int16_t)0x8081);
    g_assert_cmpint(lduw_le_p(mem + 1), ==, 0x8180);
    stl_be_p(mem + 1, 0xfffffffe);
    g_assert_cmpmem(mem + 1, 4, "\xff\xff\xff\xfe", 4);
    g_assert_cmpint(ldl_be_p(mem + 1), ==, -2);
    stq_be_p(mem + 3, 0x0102030405060708ULL);
    g_assert_cmpmem(mem + 3, 8, be64, 8);
    g_assert_cmphex(ldq_be_p(mem + 3), ==, 0x0102030405060708ULL);
    g_assert_cmphex(ldq_le_p(mem + 3), ==, 0x0807060504030201ULL);
    stl_le_p(mem + 1, 0x11223344);
    g_assert_cmpmem(mem + 1, 4, "\x44\x33\x22\x11", 4);
    g_assert_cmpint(ldl_le_p(mem + 1), ==, 0x11223344);
    stw_le_p(mem, 0xa1b2);
    g_assert_cmpmem(mem, 2, "\xb2\xa1", 2);
    stq_le_p(mem + 2, 1);
    g_assert_cmpmem(mem + 2, 8, "\x01\0\0\0\0\0\0\0", 8);
    stb_p(mem, 0xf0);
    g_assert_cmpint(ldub_p(mem), ==, 0xf0);
    g_assert_cmpint(ldsb_p(mem), ==, -16);
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/util/cutils/strtol", test_strtol_plain);
    qio_test_add_func("/util/cutils/strtol-errors", test_strtol_errors);
    qio_test_add_func("/util/cutils/strtol-errno", test_strtol_keeps_errno);
    qio_test_add_func("/util/cutils/strtoul", test_strtoul);
    qio_test_add_func("/util/cutils/strtoll", test_strtoll);
    qio_test_add_func("/util/cutils/strtoull", test_strtoull);
    qio_test_add_func("/util/cutils/pstrcpy", test_pstrcpy_pstrcat);
    qio_test_add_func("/util/cutils/strstart", test_strstart);
    qio_test_add_func("/util/cutils/strnlen-strsep", test_strnlen_strsep);
    qio_test_add_func("/util/bswap", test_bswap);
    return g_test_run();
}
