/*
 * Tests for the null channel, and for the generic QIOChannel entry
 * points exercised through it (features, names, watches on any context).
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-null.h"
#include "qio-test.h"

static void test_io_channel_null_io(void)
{
    QIOChannel *ioc = QIO_CHANNEL(qio_channel_null_new());
    char buf[32] = "unchanged";
    struct iovec iov[2] = {
        { .iov_base = (char *)"hello", .iov_len = 5 },
        { .iov_base = (char *)"world!", .iov_len = 6 },
    };
    Error *err = NULL;

    g_assert_cmpstr(object_get_typename(OBJECT(ioc)), ==,
                    TYPE_QIO_CHANNEL_NULL);
    g_assert_cmpint(qio_channel_writev(ioc, iov, 2, &error_abort), ==, 11);
    g_assert_cmpint(qio_channel_write_all(ioc, "abc", 3, &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_read(ioc, buf, sizeof(buf), &error_abort),
                    ==, 0);
    g_assert_cmpstr(buf, ==, "unchanged");
    g_assert_cmpint(qio_channel_read_all_eof(ioc, buf, sizeof(buf),
                                             &error_abort), ==, 0);
    g_assert_cmpint(qio_channel_set_blocking(ioc, false, &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_read(ioc, buf, sizeof(buf), &error_abort),
                    ==, 0);

    /* Optional operations it does not have. */
    g_assert_cmpint(qio_channel_io_seek(ioc, 0, SEEK_SET, &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_shutdown(ioc, QIO_CHANNEL_SHUTDOWN_READ,
                                         &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    qio_channel_set_cork(ioc, true);
    qio_channel_set_delay(ioc, false);

    object_unref(OBJECT(ioc));
}

static void test_io_channel_null_close(void)
{
    QIOChannel *ioc = QIO_CHANNEL(qio_channel_null_new());
    Error *err = NULL;
    char buf[4];

    g_assert_cmpint(qio_channel_close(ioc, &error_abort), ==, 0);
    g_assert_true(QIO_CHANNEL_NULL(ioc)->closed);
    g_assert_cmpint(qio_channel_write(ioc, "abc", 3, &err), ==, -1);
    qio_assert_error_contains(err, "closed");
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_read(ioc, buf, sizeof(buf), &err), ==, -1);
    qio_assert_error_contains(err, "closed");
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_read_all_eof(ioc, buf, sizeof(buf), &err),
                    ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    object_unref(OBJECT(ioc));
}

/* A large vectored write is swallowed whole, in one call. */
static void test_io_channel_null_traffic(void)
{
    QIOChannel *ioc = QIO_CHANNEL(qio_channel_null_new());
    size_t len = 1024 * 1024;
    char *data = g_malloc0(len);
    struct iovec iov[3] = {
        { .iov_base = data, .iov_len = 1 },
        { .iov_base = data + 1, .iov_len = len - 2 },
        { .iov_base = data + len - 1, .iov_len = 1 },
    };

    g_assert_cmpint(qio_channel_writev(ioc, iov, 3, &error_abort),
                    ==, (ssize_t)len);
    g_assert_cmpint(qio_channel_writev_all(ioc, iov, 3, &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_readv_all_eof(ioc, iov, 3, &error_abort),
                    ==, 0);
    object_unref(OBJECT(ioc));
    g_free(data);
}

typedef struct WatchData {
    GIOCondition cond;
    int calls;
    int notified;
} WatchData;

static gboolean null_watch_cb(QIOChannel *ioc, GIOCondition cond,
                              gpointer opaque)
{
    WatchData *data = opaque;

    data->cond = cond;
    data->calls++;
    return G_SOURCE_REMOVE;
}

static void null_watch_notify(gpointer opaque)
{
    WatchData *data = opaque;

    data->notified++;
}

static void test_io_channel_null_watch(void)
{
    QIOChannel *ioc = QIO_CHANNEL(qio_channel_null_new());
    WatchData data = { 0 };
    GMainContext *ctx = g_main_context_new();
    guint id;

    /* The default context. */
    id = qio_channel_add_watch(ioc, G_IO_OUT, null_watch_cb, &data,
                               null_watch_notify);
    g_assert_cmpuint(id, >, 0);
    while (!data.calls) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpint(data.cond, ==, G_IO_OUT);
    g_assert_cmpint(data.notified, ==, 1);

    /* A private context: the default one must not run it. */
    memset(&data, 0, sizeof(data));
    id = qio_channel_add_watch_full(ioc, G_IO_IN, null_watch_cb, &data,
                                    null_watch_notify, ctx);
    g_assert_cmpuint(id, >, 0);
    g_assert_nonnull(g_main_context_find_source_by_id(ctx, id));
    while (g_main_context_iteration(NULL, FALSE)) {
        continue;
    }
    g_assert_cmpint(data.calls, ==, 0);
    while (!data.calls) {
        g_main_context_iteration(ctx, TRUE);
    }
    g_assert_cmpint(data.cond, ==, G_IO_IN);
    g_assert_cmpint(data.notified, ==, 1);

    /* Removing a watch before it fires runs the notify only. */
    memset(&data, 0, sizeof(data));
    id = qio_channel_add_watch_full(ioc, G_IO_IN, null_watch_cb, &data,
                                    null_watch_notify, ctx);
    g_source_destroy(g_main_context_find_source_by_id(ctx, id));
    g_assert_cmpint(data.calls, ==, 0);
    g_assert_cmpint(data.notified, ==, 1);

    /* Watches stay ready after close, so waiters learn about it. */
    qio_channel_close(ioc, &error_abort);
    qio_channel_wait(ioc, G_IO_IN);

    g_main_context_unref(ctx);
    object_unref(OBJECT(ioc));
}

/* A watch holds a reference: the channel outlives its creator's unref. */
static void test_io_channel_null_watch_ref(void)
{
    QIOChannel *ioc = QIO_CHANNEL(qio_channel_null_new());
    WatchData data = { 0 };

    qio_channel_add_watch(ioc, G_IO_IN, null_watch_cb, &data, NULL);
    object_unref(OBJECT(ioc));
    while (!data.calls) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpint(data.cond, ==, G_IO_IN);
}

static void test_io_channel_features(void)
{
    QIOChannel *ioc = QIO_CHANNEL(qio_channel_null_new());

    g_assert_false(qio_channel_has_feature(ioc,
                                           QIO_CHANNEL_FEATURE_FD_PASS));
    g_assert_false(qio_channel_has_feature(ioc,
                                           QIO_CHANNEL_FEATURE_SHUTDOWN));
    qio_channel_set_feature(ioc, QIO_CHANNEL_FEATURE_SHUTDOWN);
    g_assert_true(qio_channel_has_feature(ioc,
                                          QIO_CHANNEL_FEATURE_SHUTDOWN));
    g_assert_false(qio_channel_has_feature(ioc,
                                           QIO_CHANNEL_FEATURE_FD_PASS));
    qio_channel_set_feature(ioc, QIO_CHANNEL_FEATURE_FD_PASS);
    g_assert_true(qio_channel_has_feature(ioc,
                                          QIO_CHANNEL_FEATURE_FD_PASS));
    g_assert_true(qio_channel_has_feature(ioc,
                                          QIO_CHANNEL_FEATURE_SHUTDOWN));
    g_assert_false(qio_channel_has_feature(ioc,
                                           QIO_CHANNEL_FEATURE_LISTEN));
    qio_channel_set_feature(ioc, QIO_CHANNEL_FEATURE_LISTEN);
    g_assert_true(qio_channel_has_feature(ioc, QIO_CHANNEL_FEATURE_LISTEN));
    /* Subclasses set bits the way the setter does. */
    ioc->features = 0;
    ioc->features |= (1 << QIO_CHANNEL_FEATURE_FD_PASS);
    g_assert_true(qio_channel_has_feature(ioc,
                                          QIO_CHANNEL_FEATURE_FD_PASS));
    g_assert_false(qio_channel_has_feature(ioc,
                                           QIO_CHANNEL_FEATURE_SHUTDOWN));
    object_unref(OBJECT(ioc));
}

static void test_io_channel_name(void)
{
    QIOChannel *ioc = QIO_CHANNEL(qio_channel_null_new());
    char name[] = "null-for-test";
    GSource *source;

    g_assert_null(ioc->name);
    source = qio_channel_create_watch(ioc, G_IO_IN);
    g_assert_null(g_source_get_name(source));
    g_source_unref(source);

    qio_channel_set_name(ioc, name);
    /* The name is copied. */
    name[0] = 'X';
    g_assert_cmpstr(ioc->name, ==, "null-for-test");
    source = qio_channel_create_watch(ioc, G_IO_OUT);
    g_assert_cmpstr(g_source_get_name(source), ==, "null-for-test");
    g_source_unref(source);

    qio_channel_set_name(ioc, "renamed");
    g_assert_cmpstr(ioc->name, ==, "renamed");
    qio_channel_set_name(ioc, NULL);
    g_assert_null(ioc->name);
    /* Freed by finalize (checked by the leak checkers). */
    qio_channel_set_name(ioc, "kept until finalize");
    object_unref(OBJECT(ioc));
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/io/channel/null/io", test_io_channel_null_io);
    qio_test_add_func("/io/channel/null/close", test_io_channel_null_close);
    qio_test_add_func("/io/channel/null/traffic",
                      test_io_channel_null_traffic);
    qio_test_add_func("/io/channel/null/watch", test_io_channel_null_watch);
    qio_test_add_func("/io/channel/null/watch-ref",
                      test_io_channel_null_watch_ref);
    qio_test_add_func("/io/channel/features", test_io_channel_features);
    qio_test_add_func("/io/channel/name", test_io_channel_name);
    return g_test_run();
}
