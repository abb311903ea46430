/*
 * Traffic generator for channel tests.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io-channel-helpers.h"
#include "qemu/coroutine.h"
#include "qio-test.h"

#define CHUNK_COUNT 250
#define CHUNK_LEN 4194
/* Shifts the iovec boundaries away from the chunk boundaries. */
#define WRITE_SKEW 37
#define READ_SKEW 101

struct QIOChannelTest {
    QIOChannel *src;
    QIOChannel *dst;
    bool blocking;
    size_t len;
    char *input;
    struct iovec *inputv;
    char *output;
    struct iovec *outputv;
    Error *writeerr;
    Error *readerr;
    /* Coroutine driver only. */
    GMainLoop *loop;
    int running;
};

/* Cuts buf into CHUNK_COUNT iovecs, alternately skew shorter and longer. */
static struct iovec *test_split(char *buf, size_t skew)
{
    struct iovec *iov = g_new(struct iovec, CHUNK_COUNT);
    size_t offset = 0;
    size_t i;

    for (i = 0; i < CHUNK_COUNT; i++) {
        iov[i].iov_base = buf + offset;
        iov[i].iov_len = (i % 2) ? CHUNK_LEN + skew : CHUNK_LEN - skew;
        offset += iov[i].iov_len;
    }
    g_assert_cmpuint(offset, ==, CHUNK_COUNT * CHUNK_LEN);
    return iov;
}

QIOChannelTest *qio_channel_test_new(void)
{
    QIOChannelTest *test = g_new0(QIOChannelTest, 1);
    size_t i;

    test->len = CHUNK_COUNT * CHUNK_LEN;
    test->input = g_malloc(test->len);
    test->output = g_malloc0(test->len);
    for (i = 0; i < CHUNK_COUNT; i++) {
        memset(test->input + i * CHUNK_LEN, (int)(i & 0xff), CHUNK_LEN);
    }
    test->inputv = test_split(test->input, WRITE_SKEW);
    test->outputv = test_split(test->output, READ_SKEW);
    return test;
}

/* A private copy of an iovec array, consumed from the front. */
typedef struct TestIOV {
    struct iovec *base;
    struct iovec *cur;
    size_t n;
} TestIOV;

static void test_iov_init(TestIOV *t, const struct iovec *iov)
{
    t->base = g_new(struct iovec, CHUNK_COUNT);
    memcpy(t->base, iov, sizeof(*iov) * CHUNK_COUNT);
    t->cur = t->base;
    t->n = CHUNK_COUNT;
}

static void test_iov_advance(TestIOV *t, size_t done)
{
    while (done) {
        g_assert_cmpuint(t->n, >, 0);
        if (done < t->cur->iov_len) {
            t->cur->iov_base = (char *)t->cur->iov_base + done;
            t->cur->iov_len -= done;
            return;
        }
        done -= t->cur->iov_len;
        t->cur++;
        t->n--;
    }
}

/*
 * One step of the writer: returns true to go on, false when finished
 * (completely, or with writeerr set).  *wait is set when the channel
 * would block.
 */
static bool test_write_step(QIOChannelTest *test, TestIOV *t, bool *wait)
{
    ssize_t ret;

    *wait = false;
    if (!t->n) {
        return false;
    }
    ret = qio_channel_writev(test->src, t->cur, t->n, &test->writeerr);
    if (ret == QIO_CHANNEL_ERR_BLOCK) {
        if (test->blocking) {
            error_setg(&test->writeerr,
                       "Unexpected would-block in blocking mode");
            return false;
        }
        *wait = true;
        return true;
    }
    if (ret < 0) {
        return false;
    }
    if (ret == 0) {
        error_setg(&test->writeerr, "Unexpected zero length write");
        return false;
    }
    test_iov_advance(t, ret);
    return t->n != 0;
}

/* The reader's step: like the writer's, but EOF just ends the reader. */
static bool test_read_step(QIOChannelTest *test, TestIOV *t, bool *wait)
{
    ssize_t ret;

    *wait = false;
    if (!t->n) {
        return false;
    }
    ret = qio_channel_readv(test->dst, t->cur, t->n, &test->readerr);
    if (ret == QIO_CHANNEL_ERR_BLOCK) {
        if (test->blocking) {
            error_setg(&test->readerr,
                       "Unexpected would-block in blocking mode");
            return false;
        }
        *wait = true;
        return true;
    }
    if (ret <= 0) {
        return false;
    }
    test_iov_advance(t, ret);
    return t->n != 0;
}

static void test_run_writer(QIOChannelTest *test)
{
    TestIOV t;
    bool wait;

    test_iov_init(&t, test->inputv);
    if (qio_channel_set_blocking(test->src, test->blocking,
                                 &test->writeerr) == 0) {
        while (test_write_step(test, &t, &wait)) {
            if (wait) {
                qio_channel_wait(test->src, G_IO_OUT);
            }
        }
    }
    g_free(t.base);
}

static void test_run_reader(QIOChannelTest *test)
{
    TestIOV t;
    bool wait;

    test_iov_init(&t, test->outputv);
    if (qio_channel_set_blocking(test->dst, test->blocking,
                                 &test->readerr) == 0) {
        while (test_read_step(test, &t, &wait)) {
            if (wait) {
                qio_channel_wait(test->dst, G_IO_IN);
            }
        }
    }
    g_free(t.base);
}

static gpointer test_writer_thread(gpointer opaque)
{
    test_run_writer(opaque);
    return NULL;
}

static gpointer test_reader_thread(gpointer opaque)
{
    test_run_reader(opaque);
    return NULL;
}

void qio_channel_test_run_threads(QIOChannelTest *test,
                                  bool blocking,
                                  QIOChannel *src,
                                  QIOChannel *dst)
{
    GThread *reader;
    GThread *writer;

    test->src = src;
    test->dst = dst;
    test->blocking = blocking;

    reader = g_thread_new("qio-test-reader", test_reader_thread, test);
    writer = g_thread_new("qio-test-writer", test_writer_thread, test);
    g_thread_join(writer);
    g_thread_join(reader);

    test->src = test->dst = NULL;
}

void qio_channel_test_run_writer(QIOChannelTest *test,
                                 QIOChannel *src)
{
    test->src = src;
    test->blocking = true;
    test_run_writer(test);
    test->src = NULL;
}

void qio_channel_test_run_reader(QIOChannelTest *test,
                                 QIOChannel *dst)
{
    test->dst = dst;
    test->blocking = true;
    test_run_reader(test);
    test->dst = NULL;
}

static void test_coroutine_done(QIOChannelTest *test)
{
    if (--test->running == 0) {
        g_main_loop_quit(test->loop);
    }
}

static void coroutine_fn test_writer_coroutine(void *opaque)
{
    QIOChannelTest *test = opaque;
    TestIOV t;
    bool wait;

    test_iov_init(&t, test->inputv);
    while (test_write_step(test, &t, &wait)) {
        if (wait) {
            qio_channel_yield(test->src, G_IO_OUT);
        }
    }
    g_free(t.base);
    test_coroutine_done(test);
}

static void coroutine_fn test_reader_coroutine(void *opaque)
{
    QIOChannelTest *test = opaque;
    TestIOV t;
    bool wait;

    test_iov_init(&t, test->outputv);
    while (test_read_step(test, &t, &wait)) {
        if (wait) {
            qio_channel_yield(test->dst, G_IO_IN);
        }
    }
    g_free(t.base);
    test_coroutine_done(test);
}

void qio_channel_test_run_coroutines(QIOChannelTest *test,
                                     QIOChannel *src,
                                     QIOChannel *dst)
{
    Coroutine *writer;
    Coroutine *reader;

    g_assert(!qemu_in_coroutine());
    test->src = src;
    test->dst = dst;
    test->blocking = false;
    test->loop = g_main_loop_new(NULL, FALSE);
    test->running = 2;

    qio_channel_set_blocking(src, false, &error_abort);
    qio_channel_set_blocking(dst, false, &error_abort);

    reader = qemu_coroutine_create(test_reader_coroutine);
    writer = qemu_coroutine_create(test_writer_coroutine);
    qemu_coroutine_enter(reader, test);
    qemu_coroutine_enter(writer, test);
    /* Both may already be done when everything fitted in the buffers. */
    if (test->running) {
        g_main_loop_run(test->loop);
    }

    g_main_loop_unref(test->loop);
    test->loop = NULL;
    test->src = test->dst = NULL;
}

void qio_channel_test_validate(QIOChannelTest *test)
{
    qio_assert_no_error(test->writeerr);
    qio_assert_no_error(test->readerr);
    g_assert_cmpmem(test->input, test->len, test->output, test->len);

    g_free(test->inputv);
    g_free(test->outputv);
    g_free(test->input);
    g_free(test->output);
    g_free(test);
}
