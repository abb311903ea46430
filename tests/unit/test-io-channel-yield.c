/*
 * Tests for qio_channel_yield() (coroutines woken by channel watches on
 * the default main context) and qio_channel_wait() (a private loop).
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-file.h"
#include "io/channel-buffer.h"
#include "qemu/coroutine.h"
#include "io-channel-helpers.h"
#include "qio-test.h"

static void make_pipe(QIOChannel **rd, QIOChannel **wr)
{
    int fds[2];

    g_assert_cmpint(pipe(fds), ==, 0);
    *rd = QIO_CHANNEL(qio_channel_file_new_fd(fds[0]));
    *wr = QIO_CHANNEL(qio_channel_file_new_fd(fds[1]));
}

/* The full traffic generator, both ends coroutines on one pipe. */
static void test_io_channel_yield_pipe(void)
{
    QIOChannel *rd, *wr;
    QIOChannelTest *test;

    make_pipe(&rd, &wr);
    test = qio_channel_test_new();
    qio_channel_test_run_coroutines(test, wr, rd);
    qio_channel_test_validate(test);
    object_unref(OBJECT(rd));
    object_unref(OBJECT(wr));
}

typedef struct ReadyData {
    QIOChannel *ioc;
    int rounds;
    bool done;
} ReadyData;

static void coroutine_fn ready_co(void *opaque)
{
    ReadyData *data = opaque;

    while (data->rounds < 3) {
        qio_channel_yield(data->ioc, G_IO_IN | G_IO_OUT);
        data->rounds++;
    }
    data->done = true;
}

/*
 * Yielding on a channel that is always ready still suspends: the
 * coroutine only resumes from the main loop, once per iteration.
 */
static void test_io_channel_yield_ready(void)
{
    QIOChannelBuffer *buf = qio_channel_buffer_new(0);
    ReadyData data = { .ioc = QIO_CHANNEL(buf) };
    Coroutine *co = qemu_coroutine_create(ready_co);
    int iterations = 0;

    qemu_coroutine_enter(co, &data);
    g_assert_cmpint(data.rounds, ==, 0);
    while (!data.done) {
        g_main_context_iteration(NULL, TRUE);
        iterations++;
        g_assert_cmpint(data.rounds, ==, iterations);
    }
    g_assert_cmpint(data.rounds, ==, 3);
    object_unref(OBJECT(buf));
}

typedef struct YieldData {
    QIOChannel *ioc;
    int yields;
    bool done;
    char buf[16];
    ssize_t got;
    bool in_coroutine_after;
} YieldData;

static void coroutine_fn reader_co(void *opaque)
{
    YieldData *data = opaque;

    for (;;) {
        data->got = qio_channel_read(data->ioc, data->buf,
                                     sizeof(data->buf), &error_abort);
        if (data->got != QIO_CHANNEL_ERR_BLOCK) {
            break;
        }
        data->yields++;
        qio_channel_yield(data->ioc, G_IO_IN);
    }
    data->in_coroutine_after = qemu_in_coroutine();
    data->done = true;
}

/*
 * Starts reader_co on the non-blocking read end of a new pipe; it has no
 * data yet, so it must have yielded rather than finished.
 */
static void start_reader(QIOChannel **rd, QIOChannel **wr, YieldData *data)
{
    Coroutine *co;

    make_pipe(rd, wr);
    qio_channel_set_blocking(*rd, false, &error_abort);
    data->ioc = *rd;
    co = qemu_coroutine_create(reader_co);
    qemu_coroutine_enter(co, data);
    g_assert_false(data->done);
}

/*
 * The coroutine suspends while the pipe is empty, the caller regains
 * control, and the default main loop re-enters it once data arrives.
 */
static void test_io_channel_yield_resume(void)
{
    QIOChannel *rd, *wr;
    YieldData data = { 0 };

    start_reader(&rd, &wr, &data);
    g_assert_cmpint(data.yields, ==, 1);
    g_assert_false(qemu_in_coroutine());

    /* Nothing to read: iterating must not wake it. */
    while (g_main_context_iteration(NULL, FALSE)) {
        continue;
    }
    g_assert_false(data.done);

    g_assert_cmpint(qio_channel_write(wr, "wake", 4, &error_abort), ==, 4);
    while (!data.done) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpint(data.yields, ==, 1);
    g_assert_cmpint(data.got, ==, 4);
    g_assert_cmpmem(data.buf, 4, "wake", 4);
    g_assert_true(data.in_coroutine_after);

    object_unref(OBJECT(rd));
    object_unref(OBJECT(wr));
}

/* Waiting for input ends at EOF too, so a reader is never stranded. */
static void test_io_channel_yield_eof(void)
{
    QIOChannel *rd, *wr;
    YieldData data = { 0 };

    start_reader(&rd, &wr, &data);

    object_unref(OBJECT(wr));
    while (!data.done) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpint(data.got, ==, 0);
    object_unref(OBJECT(rd));
}

typedef struct WriterData {
    QIOChannel *ioc;
    size_t written;
    size_t target;
    int yields;
    bool done;
} WriterData;

static void coroutine_fn writer_co(void *opaque)
{
    WriterData *data = opaque;
    char chunk[4096];

    memset(chunk, 'w', sizeof(chunk));
    while (data->written < data->target) {
        ssize_t ret = qio_channel_write(data->ioc, chunk,
                                        MIN(sizeof(chunk),
                                            data->target - data->written),
                                        &error_abort);
        if (ret == QIO_CHANNEL_ERR_BLOCK) {
            data->yields++;
            qio_channel_yield(data->ioc, G_IO_OUT);
            continue;
        }
        g_assert_cmpint(ret, >, 0);
        data->written += ret;
    }
    data->done = true;
}

/* A writer blocked on a full pipe resumes when the reader drains it. */
static void test_io_channel_yield_out(void)
{
    QIOChannel *rd, *wr;
    WriterData data = { 0 };
    Coroutine *co;
    char *sink;
    size_t drained = 0;

    make_pipe(&rd, &wr);
    qio_channel_set_blocking(wr, false, &error_abort);
    qio_channel_set_blocking(rd, false, &error_abort);
    data.ioc = wr;
    /* Larger than any pipe buffer the kernel hands out by default. */
    data.target = 4 * 1024 * 1024;
    sink = g_malloc(64 * 1024);

    co = qemu_coroutine_create(writer_co);
    qemu_coroutine_enter(co, &data);
    g_assert_false(data.done);
    g_assert_cmpint(data.yields, ==, 1);

    while (!data.done || drained < data.target) {
        ssize_t ret = qio_channel_read(rd, sink, 64 * 1024, &error_abort);

        if (ret == QIO_CHANNEL_ERR_BLOCK) {
            g_main_context_iteration(NULL, TRUE);
            continue;
        }
        g_assert_cmpint(ret, >, 0);
        drained += ret;
        /* Let the writer refill. */
        g_main_context_iteration(NULL, FALSE);
    }
    g_assert_cmpuint(drained, ==, data.target);
    g_assert_cmpuint(data.written, ==, data.target);
    g_assert_cmpint(data.yields, >=, 1);

    g_free(sink);
    object_unref(OBJECT(rd));
    object_unref(OBJECT(wr));
}

typedef struct WaitThreadData {
    QIOChannel *ioc;
    char buf[8];
    ssize_t got;
} WaitThreadData;

static gpointer wait_thread(gpointer opaque)
{
    WaitThreadData *data = opaque;

    for (;;) {
        data->got = qio_channel_read(data->ioc, data->buf, sizeof(data->buf),
                                     &error_abort);
        if (data->got != QIO_CHANNEL_ERR_BLOCK) {
            return NULL;
        }
        qio_channel_wait(data->ioc, G_IO_IN);
    }
}

/*
 * qio_channel_wait works in a thread while nobody iterates the default
 * context, and the default context keeps its own sources.
 */
static void test_io_channel_wait_thread(void)
{
    QIOChannel *rd, *wr;
    WaitThreadData data = { 0 };
    GThread *thread;

    make_pipe(&rd, &wr);
    qio_channel_set_blocking(rd, false, &error_abort);
    data.ioc = rd;
    thread = g_thread_new("qio-wait", wait_thread, &data);
    g_usleep(10 * 1000);
    g_assert_cmpint(qio_channel_write(wr, "ping", 4, &error_abort), ==, 4);
    g_thread_join(thread);
    g_assert_cmpint(data.got, ==, 4);
    g_assert_cmpmem(data.buf, 4, "ping", 4);
    object_unref(OBJECT(rd));
    object_unref(OBJECT(wr));
}

static gboolean count_idle(gpointer opaque)
{
    int *count = opaque;

    (*count)++;
    return G_SOURCE_REMOVE;
}

static void test_io_channel_wait_private(void)
{
    QIOChannel *rd, *wr;
    int idles = 0;
    guint id;

    make_pipe(&rd, &wr);
    id = g_idle_add(count_idle, &idles);
    /* A pipe with room is writable at once. */
    qio_channel_wait(wr, G_IO_OUT);
    g_assert_cmpint(idles, ==, 0);
    g_source_remove(id);
    object_unref(OBJECT(rd));
    object_unref(OBJECT(wr));
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/io/channel/yield/pipe", test_io_channel_yield_pipe);
    qio_test_add_func("/io/channel/yield/ready",
                      test_io_channel_yield_ready);
    qio_test_add_func("/io/channel/yield/resume",
                      test_io_channel_yield_resume);
    qio_test_add_func("/io/channel/yield/eof", test_io_channel_yield_eof);
    qio_test_add_func("/io/channel/yield/out", test_io_channel_yield_out);
    qio_test_add_func("/io/channel/wait/thread",
                      test_io_channel_wait_thread);
    qio_test_add_func("/io/channel/wait/private",
                      test_io_channel_wait_private);
    return g_test_run();
}
