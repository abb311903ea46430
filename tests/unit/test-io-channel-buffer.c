/*
 * Tests for the memory buffer channel.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-buffer.h"
#include "io-channel-helpers.h"
#include "qio-test.h"

static void test_io_channel_buf(void)
{
    QIOChannelBuffer *buf;
    QIOChannelTest *test;

    buf = qio_channel_buffer_new(0);
    g_assert_null(buf->data);
    g_assert_cmpuint(buf->capacity, ==, 0);

    test = qio_channel_test_new();
    qio_channel_test_run_writer(test, QIO_CHANNEL(buf));
    g_assert_cmpuint(buf->usage, ==, buf->offset);
    g_assert_cmpuint(buf->capacity, >=, buf->usage);
    /* Rewinding by hand is part of the API. */
    buf->offset = 0;
    qio_channel_test_run_reader(test, QIO_CHANNEL(buf));
    qio_channel_test_validate(test);

    object_unref(OBJECT(buf));
}

static void test_io_channel_buf_prealloc(void)
{
    QIOChannelBuffer *buf = qio_channel_buffer_new(64);
    char data[4];
    size_t i;

    g_assert_nonnull(buf->data);
    g_assert_cmpuint(buf->capacity, ==, 64);
    g_assert_cmpuint(buf->usage, ==, 0);
    for (i = 0; i < 64; i++) {
        g_assert_cmpint(buf->data[i], ==, 0);
    }
    /* Nothing was written yet, so there is nothing to read. */
    g_assert_cmpint(qio_channel_read(QIO_CHANNEL(buf), data, sizeof(data),
                                     &error_abort), ==, 0);
    g_assert_cmpint(qio_channel_write(QIO_CHANNEL(buf), "abcd", 4,
                                      &error_abort), ==, 4);
    g_assert_cmpuint(buf->capacity, ==, 64);
    g_assert_cmpuint(buf->usage, ==, 4);
    object_unref(OBJECT(buf));
}

/*
 * Writing past the end zero-fills exactly the bytes between the old end
 * and the new position, and leaves the earlier data alone.
 */
static void test_io_channel_buf_gap(void)
{
    QIOChannelBuffer *buf = qio_channel_buffer_new(0);
    QIOChannel *ioc = QIO_CHANNEL(buf);
    const char expect[] = "abcd\0\0\0\0\0\0xyz";
    char out[sizeof(expect)];

    g_assert_cmpint(qio_channel_write(ioc, "abcd", 4, &error_abort), ==, 4);
    g_assert_cmpint(qio_channel_io_seek(ioc, 10, SEEK_SET, &error_abort),
                    ==, 10);
    g_assert_cmpint(qio_channel_write(ioc, "xyz", 3, &error_abort), ==, 3);
    g_assert_cmpuint(buf->usage, ==, 13);
    g_assert_cmpuint(buf->offset, ==, 13);
    g_assert_cmpmem(buf->data, 13, expect, 13);

    /* The same when the gap lies inside already allocated memory. */
    g_assert_cmpint(qio_channel_close(ioc, &error_abort), ==, 0);
    object_unref(OBJECT(buf));
    buf = qio_channel_buffer_new(32);
    ioc = QIO_CHANNEL(buf);
    memset(buf->data, 'Q', 32);
    g_assert_cmpint(qio_channel_write(ioc, "abcd", 4, &error_abort), ==, 4);
    buf->offset = 10;
    g_assert_cmpint(qio_channel_write(ioc, "xyz", 3, &error_abort), ==, 3);
    g_assert_cmpmem(buf->data, 13, expect, 13);

    buf->offset = 0;
    g_assert_cmpint(qio_channel_read(ioc, out, sizeof(out), &error_abort),
                    ==, 13);
    g_assert_cmpmem(out, 13, expect, 13);
    object_unref(OBJECT(buf));
}

/* Writes go to the current position, overwriting in the middle. */
static void test_io_channel_buf_overwrite(void)
{
    QIOChannelBuffer *buf = qio_channel_buffer_new(0);
    QIOChannel *ioc = QIO_CHANNEL(buf);

    g_assert_cmpint(qio_channel_write(ioc, "0123456789", 10, &error_abort),
                    ==, 10);
    g_assert_cmpint(qio_channel_io_seek(ioc, 2, SEEK_SET, &error_abort),
                    ==, 2);
    g_assert_cmpint(qio_channel_write(ioc, "ab", 2, &error_abort), ==, 2);
    g_assert_cmpuint(buf->usage, ==, 10);
    g_assert_cmpuint(buf->offset, ==, 4);
    g_assert_cmpmem(buf->data, 10, "01ab456789", 10);
    /* Crossing the end grows the data. */
    g_assert_cmpint(qio_channel_io_seek(ioc, 8, SEEK_SET, &error_abort),
                    ==, 8);
    g_assert_cmpint(qio_channel_write(ioc, "XYZ", 3, &error_abort), ==, 3);
    g_assert_cmpuint(buf->usage, ==, 11);
    g_assert_cmpmem(buf->data, 11, "01ab4567XYZ", 11);
    object_unref(OBJECT(buf));
}

static void test_io_channel_buf_seek(void)
{
    QIOChannelBuffer *buf = qio_channel_buffer_new(0);
    QIOChannel *ioc = QIO_CHANNEL(buf);
    Error *err = NULL;
    char out[4];

    g_assert_cmpint(qio_channel_write(ioc, "0123456789", 10, &error_abort),
                    ==, 10);
    g_assert_cmpint(qio_channel_io_seek(ioc, 4, SEEK_SET, &error_abort),
                    ==, 4);
    g_assert_cmpint(qio_channel_io_seek(ioc, 2, SEEK_CUR, &error_abort),
                    ==, 6);
    g_assert_cmpint(qio_channel_read(ioc, out, 2, &error_abort), ==, 2);
    g_assert_cmpmem(out, 2, "67", 2);
    g_assert_cmpint(qio_channel_io_seek(ioc, -3, SEEK_END, &error_abort),
                    ==, 7);
    g_assert_cmpint(qio_channel_read(ioc, out, sizeof(out), &error_abort),
                    ==, 3);
    g_assert_cmpmem(out, 3, "789", 3);
    g_assert_cmpint(qio_channel_read(ioc, out, sizeof(out), &error_abort),
                    ==, 0);

    g_assert_cmpint(qio_channel_io_seek(ioc, -1, SEEK_SET, &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_io_seek(ioc, 0, 12345, &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    /* A failed seek leaves the position alone. */
    g_assert_cmpuint(buf->offset, ==, 10);

    /* Reading from beyond the end is EOF, not a crash. */
    buf->offset = 100;
    g_assert_cmpint(qio_channel_read(ioc, out, sizeof(out), &error_abort),
                    ==, 0);
    object_unref(OBJECT(buf));
}

/* Checks that a seek fails with an Error and leaves the position alone. */
static void assert_seek_refused(QIOChannel *ioc, off_t offset, int whence)
{
    QIOChannelBuffer *buf = QIO_CHANNEL_BUFFER(ioc);
    size_t before = buf->offset;
    Error *err = NULL;

    g_test_message("seek %lld whence %d from %zu", (long long)offset,
                   whence, before);
    g_assert_cmpint(qio_channel_io_seek(ioc, offset, whence, &err), ==, -1);
    qio_assert_error_contains(err, "out of range");
    error_free(err);
    g_assert_cmpuint(buf->offset, ==, before);
}

/*
 * Offsets at the very ends of off_t: the most negative one cannot be
 * negated, and the largest one overflows once anything is added.
 */
static void test_io_channel_buf_seek_limits(void)
{
    QIOChannelBuffer *buf = qio_channel_buffer_new(0);
    QIOChannel *ioc = QIO_CHANNEL(buf);
    const off_t off_min = sizeof(off_t) == 8 ? (off_t)INT64_MIN
                                             : (off_t)INT32_MIN;
    const off_t off_max = sizeof(off_t) == 8 ? (off_t)INT64_MAX
                                             : (off_t)INT32_MAX;
    off_t big = (uint64_t)off_max > SIZE_MAX ? (off_t)SIZE_MAX : off_max;
    char out[4];
    int whence;

    g_assert_cmpint(qio_channel_write(ioc, "0123456789", 10, &error_abort),
                    ==, 10);
    g_assert_cmpint(qio_channel_io_seek(ioc, 5, SEEK_SET, &error_abort),
                    ==, 5);

    /* Backwards past the start, by any amount, from every origin. */
    for (whence = SEEK_SET; whence <= SEEK_END; whence++) {
        assert_seek_refused(ioc, off_min, whence);
        assert_seek_refused(ioc, off_min + 1, whence);
        assert_seek_refused(ioc, -11, whence);
    }
    /* Right back to the start is still fine. */
    g_assert_cmpint(qio_channel_io_seek(ioc, -5, SEEK_CUR, &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_io_seek(ioc, -10, SEEK_END, &error_abort),
                    ==, 0);

    /* The largest position is allowed; one more is not. */
    g_assert_cmpint(qio_channel_io_seek(ioc, big, SEEK_SET, &error_abort),
                    ==, big);
    g_assert_cmpuint(buf->offset, ==, (size_t)big);
    assert_seek_refused(ioc, 1, SEEK_CUR);
    assert_seek_refused(ioc, big, SEEK_CUR);
    assert_seek_refused(ioc, big, SEEK_END);
    /* From there, the most negative offset still lands before 0. */
    assert_seek_refused(ioc, off_min, SEEK_CUR);
    g_assert_cmpint(qio_channel_io_seek(ioc, -big, SEEK_CUR, &error_abort),
                    ==, 0);

    /*
     * A position set by hand beyond what off_t holds cannot be reported,
     * but seeking back into range from it works.
     */
    if ((uint64_t)SIZE_MAX > (uint64_t)off_max) {
        buf->offset = (size_t)off_max + 10;
        assert_seek_refused(ioc, 0, SEEK_CUR);
        assert_seek_refused(ioc, 5, SEEK_CUR);
        g_assert_cmpint(qio_channel_io_seek(ioc, -10, SEEK_CUR,
                                            &error_abort), ==, off_max);
    }

    /* Reading at the far end is just end of file. */
    g_assert_cmpint(qio_channel_io_seek(ioc, big, SEEK_SET, &error_abort),
                    ==, big);
    g_assert_cmpint(qio_channel_read(ioc, out, sizeof(out), &error_abort),
                    ==, 0);
    object_unref(OBJECT(buf));
}

static void test_io_channel_buf_close(void)
{
    QIOChannelBuffer *buf = qio_channel_buffer_new(16);
    QIOChannel *ioc = QIO_CHANNEL(buf);
    char out[4];

    g_assert_cmpint(qio_channel_write(ioc, "abc", 3, &error_abort), ==, 3);
    g_assert_cmpint(qio_channel_close(ioc, &error_abort), ==, 0);
    g_assert_null(buf->data);
    g_assert_cmpuint(buf->capacity, ==, 0);
    g_assert_cmpuint(buf->usage, ==, 0);
    g_assert_cmpuint(buf->offset, ==, 0);
    g_assert_cmpint(qio_channel_read(ioc, out, sizeof(out), &error_abort),
                    ==, 0);
    /* The object stays usable. */
    g_assert_cmpint(qio_channel_write(ioc, "de", 2, &error_abort), ==, 2);
    g_assert_cmpmem(buf->data, 2, "de", 2);
    object_unref(OBJECT(buf));
}

/* Passing fds is refused before the data reaches the buffer. */
static void test_io_channel_buf_fd_pass(void)
{
    QIOChannelBuffer *buf = qio_channel_buffer_new(0);
    struct iovec iov = { .iov_base = (char *)"abc", .iov_len = 3 };
    int fd = STDERR_FILENO;
    Error *err = NULL;

    g_assert_cmpint(qio_channel_writev_full(QIO_CHANNEL(buf), &iov, 1,
                                            &fd, 1, &err), ==, -1);
    qio_assert_error_contains(err, "file descriptor passing");
    error_free(err);
    err = NULL;
    /* A count without an array is "fds given" too. */
    g_assert_cmpint(qio_channel_writev_full(QIO_CHANNEL(buf), &iov, 1,
                                            NULL, 1, &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    g_assert_cmpuint(buf->usage, ==, 0);
    g_assert_null(buf->data);
    object_unref(OBJECT(buf));
}

static gboolean buf_watch_cb(QIOChannel *ioc, GIOCondition cond,
                             gpointer opaque)
{
    GIOCondition *seen = opaque;

    *seen = cond;
    return G_SOURCE_REMOVE;
}

/* Memory is always ready for whatever was asked. */
static void test_io_channel_buf_watch(void)
{
    QIOChannelBuffer *buf = qio_channel_buffer_new(0);
    GIOCondition seen = 0;
    guint id;

    id = qio_channel_add_watch(QIO_CHANNEL(buf), G_IO_IN | G_IO_OUT,
                               buf_watch_cb, &seen, NULL);
    g_assert_cmpuint(id, >, 0);
    while (!seen) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpint(seen, ==, G_IO_IN | G_IO_OUT);
    /* qio_channel_wait returns at once. */
    qio_channel_wait(QIO_CHANNEL(buf), G_IO_IN);
    object_unref(OBJECT(buf));
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/io/channel/buf", test_io_channel_buf);
    qio_test_add_func("/io/channel/buf/prealloc",
                      test_io_channel_buf_prealloc);
    qio_test_add_func("/io/channel/buf/gap", test_io_channel_buf_gap);
    qio_test_add_func("/io/channel/buf/overwrite",
                      test_io_channel_buf_overwrite);
    qio_test_add_func("/io/channel/buf/seek", test_io_channel_buf_seek);
    qio_test_add_func("/io/channel/buf/seek-limits",
                      test_io_channel_buf_seek_limits);
    qio_test_add_func("/io/channel/buf/close", test_io_channel_buf_close);
    qio_test_add_func("/io/channel/buf/fd-pass",
                      test_io_channel_buf_fd_pass);
    qio_test_add_func("/io/channel/buf/watch", test_io_channel_buf_watch);
    return g_test_run();
}
