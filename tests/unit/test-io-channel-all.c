/*
 * Tests for the _all and _all_eof helpers, in plain threads (waiting
 * with qio_channel_wait) and in coroutines (waiting with
 * qio_channel_yield).
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-buffer.h"
#include "io/channel-file.h"
#include "qemu/coroutine.h"
#include "qio-test.h"

#define BIG_LEN (1024 * 1024 + 13)

static char *make_pattern(size_t len)
{
    char *data = g_malloc(len);
    size_t i;

    for (i = 0; i < len; i++) {
        data[i] = (char)(i * 7 + i / 251);
    }
    return data;
}

static void make_pipe(QIOChannel **rd, QIOChannel **wr, bool blocking)
{
    int fds[2];

    g_assert_cmpint(pipe(fds), ==, 0);
    *rd = QIO_CHANNEL(qio_channel_file_new_fd(fds[0]));
    *wr = QIO_CHANNEL(qio_channel_file_new_fd(fds[1]));
    qio_channel_set_blocking(*rd, blocking, &error_abort);
    qio_channel_set_blocking(*wr, blocking, &error_abort);
}

static void test_all_buffer(void)
{
    QIOChannelBuffer *buf = qio_channel_buffer_new(0);
    QIOChannel *ioc = QIO_CHANNEL(buf);
    char out[12];
    struct iovec wiov[3] = {
        { .iov_base = (char *)"hello", .iov_len = 5 },
        { .iov_base = (char *)"", .iov_len = 0 },
        { .iov_base = (char *)" world", .iov_len = 6 },
    };
    struct iovec riov[2] = {
        { .iov_base = out, .iov_len = 3 },
        { .iov_base = out + 3, .iov_len = 8 },
    };
    Error *err = NULL;

    g_assert_cmpint(qio_channel_writev_all(ioc, wiov, 3, &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_write_all(ioc, "!", 1, &error_abort), ==, 0);
    g_assert_cmpuint(buf->usage, ==, 12);

    buf->offset = 0;
    g_assert_cmpint(qio_channel_readv_all_eof(ioc, riov, 2, &error_abort),
                    ==, 1);
    g_assert_cmpmem(out, 11, "hello world", 11);
    g_assert_cmpint(qio_channel_read_all(ioc, out, 1, &error_abort), ==, 0);
    g_assert_cmpint(out[0], ==, '!');

    /* At the end: clean EOF for the _eof form, an error otherwise. */
    g_assert_cmpint(qio_channel_read_all_eof(ioc, out, 4, &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_readv_all_eof(ioc, riov, 2, &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_read_all(ioc, out, 4, &err), ==, -1);
    qio_assert_error_contains(err, "end-of-file");
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_readv_all(ioc, riov, 2, &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);

    /* Nothing to read is trivially complete, even at EOF. */
    g_assert_cmpint(qio_channel_read_all_eof(ioc, out, 0, &error_abort),
                    ==, 1);
    g_assert_cmpint(qio_channel_read_all(ioc, out, 0, &error_abort), ==, 0);
    object_unref(OBJECT(buf));
}

/* EOF after part of the data is an error for every form. */
static void test_all_eof_partway(void)
{
    QIOChannelBuffer *buf = qio_channel_buffer_new(0);
    QIOChannel *ioc = QIO_CHANNEL(buf);
    char out[10];
    Error *err = NULL;

    g_assert_cmpint(qio_channel_write_all(ioc, "12345", 5, &error_abort),
                    ==, 0);
    buf->offset = 0;
    g_assert_cmpint(qio_channel_read_all_eof(ioc, out, sizeof(out), &err),
                    ==, -1);
    qio_assert_error_contains(err, "end-of-file");
    error_free(err);
    err = NULL;
    g_assert_cmpmem(out, 5, "12345", 5);

    buf->offset = 0;
    g_assert_cmpint(qio_channel_read_all(ioc, out, sizeof(out), &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    object_unref(OBJECT(buf));
}

/* Errors from the channel come through unchanged. */
static void test_all_error(void)
{
    QIOChannel *rd, *wr;
    Error *err = NULL;
    char c = 0;

    make_pipe(&rd, &wr, true);
    qio_channel_close(wr, &error_abort);
    g_assert_cmpint(qio_channel_write_all(wr, "x", 1, &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;
    /* The writer is gone: clean EOF. */
    g_assert_cmpint(qio_channel_read_all_eof(rd, &c, 1, &error_abort), ==, 0);
    qio_channel_close(rd, &error_abort);
    g_assert_cmpint(qio_channel_read_all_eof(rd, &c, 1, &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    object_unref(OBJECT(rd));
    object_unref(OBJECT(wr));
}

typedef struct WriterThread {
    QIOChannel *ioc;
    const char *data;
    size_t len;
    size_t close_after;
    int ret;
} WriterThread;

static gpointer writer_thread(gpointer opaque)
{
    WriterThread *w = opaque;

    w->ret = qio_channel_write_all(w->ioc, w->data, w->len, &error_abort);
    if (w->close_after) {
        qio_channel_close(w->ioc, &error_abort);
    }
    return NULL;
}

/*
 * Non-blocking pipe, both sides much bigger than its buffer: each side
 * hits would-block many times and waits with qio_channel_wait.
 */
static void test_all_pipe_threads(void)
{
    QIOChannel *rd, *wr;
    char *data = make_pattern(BIG_LEN);
    char *out = g_malloc0(BIG_LEN);
    struct iovec iov[3] = {
        { .iov_base = out, .iov_len = 1000 },
        { .iov_base = out + 1000, .iov_len = BIG_LEN - 2000 },
        { .iov_base = out + BIG_LEN - 1000, .iov_len = 1000 },
    };
    WriterThread w;
    GThread *thread;

    make_pipe(&rd, &wr, false);
    w = (WriterThread) { .ioc = wr, .data = data, .len = BIG_LEN,
                         .ret = -5 };
    thread = g_thread_new("qio-all-writer", writer_thread, &w);
    g_assert_cmpint(qio_channel_readv_all_eof(rd, iov, 3, &error_abort),
                    ==, 1);
    g_thread_join(thread);
    g_assert_cmpint(w.ret, ==, 0);
    g_assert_cmpmem(out, BIG_LEN, data, BIG_LEN);

    object_unref(OBJECT(rd));
    object_unref(OBJECT(wr));
    g_free(data);
    g_free(out);
}

/*
 * A non-blocking reader waiting for more data learns about EOF: clean
 * when nothing came, an error part-way.
 */
static void test_all_pipe_eof(gconstpointer opaque)
{
    size_t sent = GPOINTER_TO_SIZE(opaque);
    QIOChannel *rd, *wr;
    char out[16];
    WriterThread w;
    GThread *thread;
    Error *err = NULL;
    int ret;

    make_pipe(&rd, &wr, false);
    w = (WriterThread) { .ioc = wr, .data = "abcdefgh", .len = sent,
                         .close_after = 1 };
    thread = g_thread_new("qio-all-writer", writer_thread, &w);
    ret = qio_channel_read_all_eof(rd, out, sizeof(out), &err);
    g_thread_join(thread);
    if (sent) {
        g_assert_cmpint(ret, ==, -1);
        qio_assert_error_contains(err, "end-of-file");
        error_free(err);
        g_assert_cmpmem(out, sent, "abcdefgh", sent);
    } else {
        g_assert_cmpint(ret, ==, 0);
        g_assert_null(err);
    }
    object_unref(OBJECT(rd));
    object_unref(OBJECT(wr));
}

/* Runs a function as a coroutine under a GMainLoop until it returns. */
typedef struct CoJob {
    void (*fn)(struct CoJob *job);
    QIOChannel *ioc;
    char *data;
    size_t len;
    int ret;
    Error *err;
    bool in_coroutine;
    GMainLoop *loop;
    int *running;
} CoJob;

static void coroutine_fn co_job_entry(void *opaque)
{
    CoJob *job = opaque;

    job->in_coroutine = qemu_in_coroutine();
    job->fn(job);
    if (--*job->running == 0) {
        g_main_loop_quit(job->loop);
    }
}

static void run_co_jobs(CoJob *jobs, size_t njobs)
{
    GMainLoop *loop = g_main_loop_new(NULL, FALSE);
    int running = njobs;
    size_t i;

    for (i = 0; i < njobs; i++) {
        jobs[i].loop = loop;
        jobs[i].running = &running;
    }
    for (i = 0; i < njobs; i++) {
        qemu_coroutine_enter(qemu_coroutine_create(co_job_entry), &jobs[i]);
    }
    if (running) {
        g_main_loop_run(loop);
    }
    g_main_loop_unref(loop);
    for (i = 0; i < njobs; i++) {
        g_assert_true(jobs[i].in_coroutine);
    }
}

static void co_write_all(CoJob *job)
{
    job->ret = qio_channel_write_all(job->ioc, job->data, job->len,
                                     &job->err);
}

static void co_write_all_close(CoJob *job)
{
    co_write_all(job);
    qio_channel_close(job->ioc, &error_abort);
}

static void co_read_all_eof(CoJob *job)
{
    job->ret = qio_channel_read_all_eof(job->ioc, job->data, job->len,
                                        &job->err);
}

static void co_readv_all(CoJob *job)
{
    struct iovec iov[2] = {
        { .iov_base = job->data, .iov_len = job->len / 2 },
        { .iov_base = job->data + job->len / 2,
          .iov_len = job->len - job->len / 2 },
    };

    job->ret = qio_channel_readv_all(job->ioc, iov, 2, &job->err);
}

static void test_all_coroutine(void)
{
    QIOChannel *rd, *wr;
    char *data = make_pattern(BIG_LEN);
    char *out = g_malloc0(BIG_LEN);
    CoJob jobs[2] = {
        { .fn = co_readv_all, .data = out, .len = BIG_LEN, .ret = -5 },
        { .fn = co_write_all, .data = data, .len = BIG_LEN, .ret = -5 },
    };

    make_pipe(&rd, &wr, false);
    jobs[0].ioc = rd;
    jobs[1].ioc = wr;
    run_co_jobs(jobs, 2);
    qio_assert_no_error(jobs[0].err);
    qio_assert_no_error(jobs[1].err);
    g_assert_cmpint(jobs[0].ret, ==, 0);
    g_assert_cmpint(jobs[1].ret, ==, 0);
    g_assert_cmpmem(out, BIG_LEN, data, BIG_LEN);

    object_unref(OBJECT(rd));
    object_unref(OBJECT(wr));
    g_free(data);
    g_free(out);
}

static void test_all_coroutine_eof(gconstpointer opaque)
{
    size_t sent = GPOINTER_TO_SIZE(opaque);
    QIOChannel *rd, *wr;
    char out[16];
    CoJob jobs[2] = {
        { .fn = co_read_all_eof, .data = out, .len = sizeof(out),
          .ret = -5 },
        { .fn = co_write_all_close, .data = (char *)"abcdefgh", .len = sent,
          .ret = -5 },
    };

    make_pipe(&rd, &wr, false);
    jobs[0].ioc = rd;
    jobs[1].ioc = wr;
    /* The reader starts first, so it has to yield before any data. */
    run_co_jobs(jobs, 2);
    g_assert_cmpint(jobs[1].ret, ==, 0);
    if (sent) {
        g_assert_cmpint(jobs[0].ret, ==, -1);
        qio_assert_error_contains(jobs[0].err, "end-of-file");
        error_free(jobs[0].err);
        g_assert_cmpmem(out, sent, "abcdefgh", sent);
    } else {
        g_assert_cmpint(jobs[0].ret, ==, 0);
        g_assert_null(jobs[0].err);
    }
    object_unref(OBJECT(rd));
    object_unref(OBJECT(wr));
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/io/channel/all/buffer", test_all_buffer);
    qio_test_add_func("/io/channel/all/eof-partway", test_all_eof_partway);
    qio_test_add_func("/io/channel/all/error", test_all_error);
    qio_test_add_func("/io/channel/all/pipe-threads", test_all_pipe_threads);
    qio_test_add_data_func("/io/channel/all/pipe-eof/clean",
                           GSIZE_TO_POINTER(0), test_all_pipe_eof);
    qio_test_add_data_func("/io/channel/all/pipe-eof/partway",
                           GSIZE_TO_POINTER(3), test_all_pipe_eof);
    qio_test_add_func("/io/channel/all/coroutine", test_all_coroutine);
    qio_test_add_data_func("/io/channel/all/coroutine-eof/clean",
                           GSIZE_TO_POINTER(0), test_all_coroutine_eof);
    qio_test_add_data_func("/io/channel/all/coroutine-eof/partway",
                           GSIZE_TO_POINTER(5), test_all_coroutine_eof);
    return g_test_run();
}
