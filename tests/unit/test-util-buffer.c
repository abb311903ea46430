/*
 * Tests for the growable Buffer (include/qemu/buffer.h).
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/buffer.h"
#include "qio-test.h"

/* Fills @buf with a pattern that differs at every position mod 251. */
static void fill_pattern(uint8_t *buf, size_t len, size_t start)
{
    size_t i;

    for (i = 0; i < len; i++) {
        buf[i] = (uint8_t)((start + i) % 251);
    }
}

static void check_pattern(const uint8_t *buf, size_t len, size_t start)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (buf[i] != (uint8_t)((start + i) % 251)) {
            g_error("byte %zu is %u, expected %u", i, buf[i],
                    (unsigned)((start + i) % 251));
        }
    }
}

static void test_buffer_init(void)
{
    Buffer buf;

    memset(&buf, 0xaa, sizeof(buf));
    buffer_init(&buf, "test-%s-%d", "name", 42);
    g_assert_cmpstr(buf.name, ==, "test-name-42");
    g_assert_cmpuint(buf.capacity, ==, 0);
    g_assert_cmpuint(buf.offset, ==, 0);
    g_assert_null(buf.buffer);
    g_assert_true(buffer_empty(&buf));
    g_assert_null(buffer_end(&buf));
    buffer_free(&buf);
    g_assert_null(buf.name);
}

static void test_buffer_zeroed_is_empty(void)
{
    Buffer buf = { 0 };

    g_assert_true(buffer_empty(&buf));
    buffer_append(&buf, "abc", 3);
    g_assert_false(buffer_empty(&buf));
    g_assert_cmpmem(buf.buffer, buf.offset, "abc", 3);
    buffer_free(&buf);
}

static void test_buffer_reserve(void)
{
    Buffer buf;
    uint8_t *before;

    buffer_init(&buf, "reserve");
    buffer_reserve(&buf, 1);
    g_assert_cmpuint(buf.capacity, ==, 4096);
    g_assert_nonnull(buf.buffer);
    g_assert_true(buffer_empty(&buf));

    /* Room already there: nothing moves. */
    before = buf.buffer;
    buffer_reserve(&buf, 4096);
    g_assert_true(buf.buffer == before);
    g_assert_cmpuint(buf.capacity, ==, 4096);

    /* The request counts from the used part and rounds to a power of 2. */
    buffer_append(&buf, "0123456789", 10);
    buffer_reserve(&buf, 5000);
    g_assert_cmpuint(buf.capacity, ==, 8192);
    g_assert_cmpuint(buf.capacity - buf.offset, >=, 5000);
    g_assert_cmpmem(buf.buffer, buf.offset, "0123456789", 10);

    buffer_reserve(&buf, 100000);
    g_assert_cmpuint(buf.capacity, ==, 131072);
    g_assert_cmpmem(buf.buffer, buf.offset, "0123456789", 10);

    buffer_free(&buf);
    g_assert_cmpuint(buf.capacity, ==, 0);
    g_assert_cmpuint(buf.offset, ==, 0);
    g_assert_null(buf.buffer);
}

static void test_buffer_append_end(void)
{
    Buffer buf;
    size_t total = 0;
    uint8_t chunk[3000];
    int i;

    buffer_init(&buf, "append");
    for (i = 0; i < 50; i++) {
        fill_pattern(chunk, sizeof(chunk), total);
        buffer_append(&buf, chunk, sizeof(chunk));
        total += sizeof(chunk);
        g_assert_cmpuint(buf.offset, ==, total);
        g_assert_cmpuint(buf.capacity, >=, total);
        g_assert_true(buffer_end(&buf) == buf.buffer + total);
    }
    check_pattern(buf.buffer, total, 0);

    /* Writing into reserved space at buffer_end() is the other way in. */
    buffer_reserve(&buf, 16);
    fill_pattern(buffer_end(&buf), 16, total);
    buf.offset += 16;
    check_pattern(buf.buffer, total + 16, 0);

    /* Appending nothing is fine, even with a NULL pointer. */
    buffer_append(&buf, NULL, 0);
    g_assert_cmpuint(buf.offset, ==, total + 16);
    buffer_free(&buf);
}

static void test_buffer_advance(void)
{
    Buffer buf;
    uint8_t data[10000];

    buffer_init(&buf, "advance");
    fill_pattern(data, sizeof(data), 0);
    buffer_append(&buf, data, sizeof(data));

    buffer_advance(&buf, 0);
    g_assert_cmpuint(buf.offset, ==, sizeof(data));
    check_pattern(buf.buffer, buf.offset, 0);

    buffer_advance(&buf, 1234);
    g_assert_cmpuint(buf.offset, ==, sizeof(data) - 1234);
    check_pattern(buf.buffer, buf.offset, 1234);

    buffer_advance(&buf, 1);
    check_pattern(buf.buffer, buf.offset, 1235);

    buffer_advance(&buf, buf.offset);
    g_assert_true(buffer_empty(&buf));
    g_assert_nonnull(buf.buffer);
    buffer_free(&buf);
}

static void test_buffer_advance_too_far(void)
{
    if (g_test_subprocess()) {
        Buffer buf;

        buffer_init(&buf, "too-far");
        buffer_append(&buf, "abc", 3);
        buffer_advance(&buf, 4);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*len <= buffer->offset*");
}

static void test_buffer_reset_shrinks_late(void)
{
    Buffer buf;
    size_t big = 1024 * 1024;
    uint8_t *data = g_malloc(big);
    int resets;

    buffer_init(&buf, "shrink");
    fill_pattern(data, big, 0);
    buffer_append(&buf, data, big);
    g_assert_cmpuint(buf.capacity, ==, big);

    /* One reset after a burst keeps the memory: bursts tend to recur. */
    buffer_reset(&buf);
    g_assert_true(buffer_empty(&buf));
    g_assert_cmpuint(buf.capacity, ==, big);

    /* A long idle run gives it back, down below the shrink threshold. */
    for (resets = 1; resets < 5000 && buf.capacity >= 65536; resets++) {
        buffer_reset(&buf);
    }
    g_assert_cmpuint(buf.capacity, <, 65536);
    g_assert_cmpuint(buf.capacity, >=, 4096);
    g_assert_cmpint(resets, >, 10);

    /* Still usable after shrinking. */
    buffer_append(&buf, data, big);
    check_pattern(buf.buffer, buf.offset, 0);
    buffer_free(&buf);
    g_free(data);
}

static void test_buffer_shrink_keeps_data(void)
{
    Buffer buf;
    size_t big = 512 * 1024;
    uint8_t *data = g_malloc(big);
    int i;

    buffer_init(&buf, "shrink-data");
    fill_pattern(data, big, 0);
    buffer_append(&buf, data, big);
    /* Leave 100 bytes in use while the rest is dropped. */
    buffer_advance(&buf, big - 100);
    for (i = 0; i < 5000 && buf.capacity >= 65536; i++) {
        buffer_shrink(&buf);
    }
    g_assert_cmpuint(buf.capacity, <, 65536);
    g_assert_cmpuint(buf.offset, ==, 100);
    check_pattern(buf.buffer, 100, big - 100);
    buffer_free(&buf);
    g_free(data);
}

static void test_buffer_move_empty(void)
{
    Buffer from, to;
    uint8_t *storage;

    buffer_init(&from, "from");
    buffer_init(&to, "to");
    buffer_reserve(&to, 10);
    buffer_append(&from, "hello world", 11);
    storage = from.buffer;

    buffer_move_empty(&to, &from);
    g_assert_true(to.buffer == storage);
    g_assert_cmpmem(to.buffer, to.offset, "hello world", 11);
    g_assert_cmpuint(to.capacity, ==, 4096);
    g_assert_null(from.buffer);
    g_assert_cmpuint(from.offset, ==, 0);
    g_assert_cmpuint(from.capacity, ==, 0);
    g_assert_cmpstr(to.name, ==, "to");
    g_assert_cmpstr(from.name, ==, "from");

    buffer_free(&from);
    buffer_free(&to);
}

static void test_buffer_move(void)
{
    Buffer from, to;
    uint8_t *storage;

    buffer_init(&from, "from");
    buffer_init(&to, "to");

    /* Onto a non-empty buffer: appended. */
    buffer_append(&to, "abc", 3);
    buffer_append(&from, "defg", 4);
    buffer_move(&to, &from);
    g_assert_cmpmem(to.buffer, to.offset, "abcdefg", 7);
    g_assert_null(from.buffer);
    g_assert_true(buffer_empty(&from));

    /* Onto an empty buffer: the storage is handed over. */
    buffer_reset(&to);
    buffer_append(&from, "xyz", 3);
    storage = from.buffer;
    buffer_move(&to, &from);
    g_assert_true(to.buffer == storage);
    g_assert_cmpmem(to.buffer, to.offset, "xyz", 3);
    g_assert_null(from.buffer);

    /* Moving an empty buffer leaves the destination's data alone. */
    buffer_move(&to, &from);
    g_assert_cmpmem(to.buffer, to.offset, "xyz", 3);

    buffer_free(&from);
    buffer_free(&to);
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/util/buffer/init", test_buffer_init);
    qio_test_add_func("/util/buffer/zeroed", test_buffer_zeroed_is_empty);
    qio_test_add_func("/util/buffer/reserve", test_buffer_reserve);
    qio_test_add_func("/util/buffer/append", test_buffer_append_end);
    qio_test_add_func("/util/buffer/advance", test_buffer_advance);
    qio_test_add_func("/util/buffer/advance-too-far",
                      test_buffer_advance_too_far);
    qio_test_add_func("/util/buffer/reset-shrinks-late",
                      test_buffer_reset_shrinks_late);
    qio_test_add_func("/util/buffer/shrink-keeps-data",
                      test_buffer_shrink_keeps_data);
    qio_test_add_func("/util/buffer/move-empty", test_buffer_move_empty);
    qio_test_add_func("/util/buffer/move", test_buffer_move);
    return g_test_run();
}
