/*
 * Tests for qio_channel_yield() with many parked coroutines: each one is
 * woken once, for its own channel's event only, by hang-ups too, while
 * other channels come and go, and per thread-default main context.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-socket.h"
#include "io/channel-file.h"
#include "qemu/coroutine.h"
#include "qio-test.h"

typedef struct Parked {
    QIOChannel *ioc;        /* the end the coroutine waits on */
    int peer;               /* the raw fd the test writes to */
    int wakeups;
    ssize_t got;            /* result of the read after waking */
    char byte;
    bool done;
    GThread *woken_in;
} Parked;

static void parked_open(Parked *p)
{
    int sv[2];
    Error *err = NULL;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
                    ==, 0);
    p->ioc = QIO_CHANNEL(qio_channel_socket_new_fd(sv[0], &err));
    qio_assert_no_error(err);
    qio_channel_set_blocking(p->ioc, false, &err);
    qio_assert_no_error(err);
    p->peer = sv[1];
}

static void parked_close(Parked *p)
{
    if (p->ioc) {
        object_unref(OBJECT(p->ioc));
        p->ioc = NULL;
    }
    if (p->peer >= 0) {
        close(p->peer);
        p->peer = -1;
    }
}

/* Waits for one byte (or EOF); counts how often the wait was woken. */
static void coroutine_fn parked_co(void *opaque)
{
    Parked *p = opaque;

    for (;;) {
        ssize_t len = qio_channel_read(p->ioc, &p->byte, 1, NULL);

        if (len != QIO_CHANNEL_ERR_BLOCK) {
            p->got = len;
            break;
        }
        qio_channel_yield(p->ioc, G_IO_IN);
        p->wakeups++;
        p->woken_in = g_thread_self();
    }
    p->done = true;
}

static void parked_start(Parked *p)
{
    qemu_coroutine_enter(qemu_coroutine_create(parked_co), p);
    g_assert_false(p->done);
}

/*
 * How many fds one iteration of the default context would poll.  This is
 * the cost GLib pays per event, so with the shared epoll set it must stay
 * the same however many coroutines are parked.
 */
static gint default_context_poll_fds(void)
{
    GMainContext *ctx = g_main_context_default();
    GPollFD fds[16];
    gint prio, timeout, n;

    g_assert_true(g_main_context_acquire(ctx));
    g_main_context_prepare(ctx, &prio);
    n = g_main_context_query(ctx, prio, &timeout, fds, G_N_ELEMENTS(fds));
    g_main_context_check(ctx, prio, fds, MIN(n, (gint)G_N_ELEMENTS(fds)));
    g_main_context_release(ctx);
    return n;
}

static void iterate_until(bool *flag)
{
    while (!*flag) {
        g_main_context_iteration(NULL, TRUE);
    }
}

/*
 * Many coroutines parked at once; feed them in a scrambled order and
 * check after each event that exactly the right one woke, exactly once.
 */
static void test_yield_scale_many(void)
{
    size_t n = qio_test_under_valgrind() ? 64 : 400;
    Parked *p = g_new0(Parked, n);
    size_t i, j, finished = 0;
    gint polled_one;

    parked_open(&p[0]);
    parked_start(&p[0]);
    polled_one = default_context_poll_fds();
    for (i = 1; i < n; i++) {
        parked_open(&p[i]);
        parked_start(&p[i]);
    }
    /* Nothing is ready: a non-blocking pass must wake nobody. */
    while (g_main_context_iteration(NULL, FALSE)) {
    }
    g_assert_cmpint(default_context_poll_fds(), ==, polled_one);
    for (i = 0; i < n; i++) {
        g_assert_cmpint(p[i].wakeups, ==, 0);
    }
    for (j = 0; j < n; j++) {
        /* 7 is coprime with every n used, so this visits each once. */
        size_t k = (j * 7 + 3) % n;
        char c = 'a' + k % 26;

        g_assert_cmpint(write(p[k].peer, &c, 1), ==, 1);
        iterate_until(&p[k].done);
        finished++;
        g_assert_cmpint(p[k].wakeups, ==, 1);
        g_assert_cmpint(p[k].got, ==, 1);
        g_assert_cmpint(p[k].byte, ==, c);
        for (i = 0; i < n; i++) {
            if (!p[i].done) {
                g_assert_cmpint(p[i].wakeups, ==, 0);
            }
        }
    }
    g_assert_cmpint(finished, ==, n);
    for (i = 0; i < n; i++) {
        parked_close(&p[i]);
    }
    g_free(p);
}

/* Several events ready in one iteration: each of their owners wakes. */
static void test_yield_scale_batch(void)
{
    enum { N = 50 };
    Parked p[N];
    size_t i;

    memset(p, 0, sizeof(p));
    for (i = 0; i < N; i++) {
        parked_open(&p[i]);
        parked_start(&p[i]);
    }
    for (i = 0; i < N; i += 2) {
        g_assert_cmpint(write(p[i].peer, "x", 1), ==, 1);
    }
    for (i = 0; i < N; i += 2) {
        iterate_until(&p[i].done);
    }
    for (i = 0; i < N; i++) {
        g_assert_cmpint(p[i].wakeups, ==, i % 2 == 0 ? 1 : 0);
        g_assert_cmpint(p[i].done, ==, i % 2 == 0);
    }
    for (i = 1; i < N; i += 2) {
        g_assert_cmpint(write(p[i].peer, "y", 1), ==, 1);
        iterate_until(&p[i].done);
        g_assert_cmpint(p[i].wakeups, ==, 1);
        g_assert_cmpint(p[i].byte, ==, 'y');
    }
    for (i = 0; i < N; i++) {
        parked_close(&p[i]);
    }
}

/* A hang-up of the peer wakes a reader, which then sees end of file. */
static void test_yield_scale_hup(void)
{
    Parked idle = { .peer = -1 }, p = { .peer = -1 };

    parked_open(&idle);
    parked_start(&idle);
    parked_open(&p);
    parked_start(&p);
    close(p.peer);
    p.peer = -1;
    iterate_until(&p.done);
    g_assert_cmpint(p.wakeups, ==, 1);
    g_assert_cmpint(p.got, ==, 0);
    g_assert_false(idle.done);
    g_assert_cmpint(idle.wakeups, ==, 0);

    /* Shutting down our own end wakes its own parked reader too. */
    qio_channel_shutdown(idle.ioc, QIO_CHANNEL_SHUTDOWN_BOTH, NULL);
    iterate_until(&idle.done);
    g_assert_cmpint(idle.wakeups, ==, 1);
    g_assert_cmpint(idle.got, ==, 0);
    parked_close(&p);
    parked_close(&idle);
}

/*
 * qio_channel_close() on a channel whose coroutine is parked wakes that
 * coroutine, which then sees the error of a closed channel; a new
 * channel that gets the same fd number is a stranger to the old wait.
 */
static void test_yield_scale_close_parked(void)
{
    Parked p = { .peer = -1 }, other = { .peer = -1 }, next = { .peer = -1 };
    Error *err = NULL;

    parked_open(&other);
    parked_start(&other);
    parked_open(&p);
    parked_start(&p);

    g_assert_cmpint(qio_channel_close(p.ioc, &err), ==, 0);
    qio_assert_no_error(err);
    iterate_until(&p.done);
    g_assert_cmpint(p.wakeups, ==, 1);
    g_assert_cmpint(p.got, ==, -1);
    g_assert_false(other.done);
    g_assert_cmpint(other.wakeups, ==, 0);

    /* Likely the same fd number as p's: it must wait and wake normally. */
    parked_open(&next);
    parked_start(&next);
    g_assert_cmpint(write(next.peer, "n", 1), ==, 1);
    iterate_until(&next.done);
    g_assert_cmpint(next.wakeups, ==, 1);
    g_assert_cmpint(next.byte, ==, 'n');

    g_assert_cmpint(write(other.peer, "o", 1), ==, 1);
    iterate_until(&other.done);
    g_assert_cmpint(other.wakeups, ==, 1);
    parked_close(&p);
    parked_close(&next);
    parked_close(&other);
}

/* Reads a byte, steps away, then waits for readiness before reading. */
static void coroutine_fn away_co(void *opaque)
{
    Parked *p = opaque;
    char second;

    parked_co(p);
    qemu_coroutine_yield();
    qio_channel_yield(p->ioc, G_IO_IN);
    p->got = qio_channel_read(p->ioc, &second, 1, NULL);
    p->byte = second;
    p->done = true;
}

/*
 * Data that arrives while the coroutine is not parked, and that the main
 * loop sees meanwhile, is not lost for a later qio_channel_yield(): like
 * a watch on a readable fd, that wait ends without a new event.  (The
 * epoll set is edge-triggered, so it must remember the edge.)
 */
static void test_yield_scale_edge_while_away(void)
{
    Parked p = { .peer = -1 };
    Coroutine *co;

    parked_open(&p);
    co = qemu_coroutine_create(away_co);
    qemu_coroutine_enter(co, &p);
    g_assert_cmpint(write(p.peer, "a", 1), ==, 1);
    iterate_until(&p.done);
    g_assert_cmpint(p.byte, ==, 'a');

    /* Away: the edge for "b" reaches the main loop with nobody waiting. */
    g_assert_cmpint(write(p.peer, "b", 1), ==, 1);
    while (g_main_context_iteration(NULL, FALSE)) {
    }
    p.done = false;
    qemu_coroutine_enter(co, NULL);
    /* Ready already: no new event is needed, and none will come. */
    while (g_main_context_iteration(NULL, FALSE)) {
    }
    g_assert_true(p.done);
    g_assert_cmpint(p.got, ==, 1);
    g_assert_cmpint(p.byte, ==, 'b');
    parked_close(&p);
}

typedef struct Closer {
    Parked self;
    Parked *victim;         /* closed and unreffed when self wakes */
} Closer;

static void coroutine_fn closer_co(void *opaque)
{
    Closer *c = opaque;

    parked_co(&c->self);
    /* Tear down a channel whose coroutine already finished. */
    parked_close(c->victim);
}

/*
 * Channels closed and unreffed (from a woken coroutine and from the
 * main program) while another coroutine stays parked: the survivor
 * still wakes for its own event, and nothing leaks (the harness checks
 * that no fd, e.g. the epoll set, is left open).
 */
static void test_yield_scale_close_other(void)
{
    Parked survivor = { .peer = -1 }, victim = { .peer = -1 };
    Parked gone = { .peer = -1 };
    Closer closer = { .self = { .peer = -1 }, .victim = &victim };

    parked_open(&survivor);
    parked_start(&survivor);

    parked_open(&victim);
    parked_start(&victim);
    g_assert_cmpint(write(victim.peer, "v", 1), ==, 1);
    iterate_until(&victim.done);

    parked_open(&closer.self);
    qemu_coroutine_enter(qemu_coroutine_create(closer_co), &closer);
    g_assert_cmpint(write(closer.self.peer, "c", 1), ==, 1);
    iterate_until(&closer.self.done);
    g_assert_null(victim.ioc);

    /* A channel that never yields, opened and dropped meanwhile. */
    parked_open(&gone);
    parked_close(&gone);

    g_assert_false(survivor.done);
    g_assert_cmpint(write(survivor.peer, "s", 1), ==, 1);
    iterate_until(&survivor.done);
    g_assert_cmpint(survivor.wakeups, ==, 1);
    g_assert_cmpint(survivor.byte, ==, 's');
    parked_close(&closer.self);
    parked_close(&survivor);
}

typedef struct Duplex {
    QIOChannel *ioc;
    int peer;
    bool reader_done, writer_done;
    char byte;
} Duplex;

static void coroutine_fn duplex_reader(void *opaque)
{
    Duplex *d = opaque;

    while (qio_channel_read(d->ioc, &d->byte, 1, NULL) ==
           QIO_CHANNEL_ERR_BLOCK) {
        qio_channel_yield(d->ioc, G_IO_IN);
    }
    d->reader_done = true;
}

static void coroutine_fn duplex_writer(void *opaque)
{
    Duplex *d = opaque;
    char buf[4096];

    memset(buf, 'w', sizeof(buf));
    /* Fill the socket buffer, then wait until the peer drains it. */
    while (qio_channel_write(d->ioc, buf, sizeof(buf), NULL) > 0) {
    }
    qio_channel_yield(d->ioc, G_IO_OUT);
    g_assert_cmpint(qio_channel_write(d->ioc, buf, 1, NULL), ==, 1);
    d->writer_done = true;
}

/*
 * Two coroutines parked on the same channel, one per direction: both
 * are woken by their own condition.
 */
static void test_yield_scale_same_fd(void)
{
    Duplex d = { 0 };
    Parked tmp = { .peer = -1 };
    char buf[65536];

    parked_open(&tmp);
    d.ioc = tmp.ioc;
    d.peer = tmp.peer;
    qemu_coroutine_enter(qemu_coroutine_create(duplex_reader), &d);
    qemu_coroutine_enter(qemu_coroutine_create(duplex_writer), &d);
    g_assert_false(d.reader_done);
    g_assert_false(d.writer_done);

    g_assert_cmpint(write(d.peer, "r", 1), ==, 1);
    iterate_until(&d.reader_done);
    g_assert_cmpint(d.byte, ==, 'r');
    g_assert_false(d.writer_done);

    while (!d.writer_done) {
        ssize_t len = recv(d.peer, buf, sizeof(buf), MSG_DONTWAIT);

        g_assert(len > 0 || errno == EAGAIN);
        g_main_context_iteration(NULL, FALSE);
    }
    parked_close(&tmp);
}

static void coroutine_fn file_yield_co(void *opaque)
{
    Duplex *d = opaque;

    qio_channel_yield(d->ioc, G_IO_OUT);
    d->writer_done = true;
}

/* Regular files cannot join an epoll set: the plain watch takes over. */
static void test_yield_scale_file(void)
{
    char *dir = g_mkdtemp(g_strdup("/tmp/qio-yield-XXXXXX"));
    char *path = g_build_filename(dir, "f", NULL);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    Duplex d = { 0 };

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, "F", 1), ==, 1);
    g_assert_cmpint(lseek(fd, 0, SEEK_SET), ==, 0);
    d.ioc = QIO_CHANNEL(qio_channel_file_new_fd(fd));
    qemu_coroutine_enter(qemu_coroutine_create(duplex_reader), &d);
    /* A file is always readable: the read succeeds without a wait. */
    g_assert_true(d.reader_done);
    g_assert_cmpint(d.byte, ==, 'F');
    /* Yielding on it still suspends, and the fallback watch wakes it. */
    qemu_coroutine_enter(qemu_coroutine_create(file_yield_co), &d);
    g_assert_false(d.writer_done);
    iterate_until(&d.writer_done);
    object_unref(OBJECT(d.ioc));
    unlink(path);
    rmdir(dir);
    g_free(path);
    g_free(dir);
}

typedef struct ThreadLoop {
    GMainContext *ctx;
    GMainLoop *loop;
    Parked p;
    GThread *thread;
    GMutex lock;
    GCond cond;
    bool parked;
} ThreadLoop;

static void coroutine_fn thread_parked_co(void *opaque)
{
    ThreadLoop *t = opaque;

    parked_co(&t->p);
    g_main_loop_quit(t->loop);
}

static gpointer thread_loop_main(gpointer opaque)
{
    ThreadLoop *t = opaque;

    g_main_context_push_thread_default(t->ctx);
    qemu_coroutine_enter(qemu_coroutine_create(thread_parked_co), t);
    g_mutex_lock(&t->lock);
    t->parked = true;
    g_cond_signal(&t->cond);
    g_mutex_unlock(&t->lock);
    g_main_loop_run(t->loop);
    g_main_context_pop_thread_default(t->ctx);
    return NULL;
}

/*
 * Each thread that pushed its own default context gets its coroutines
 * woken by its own loop, in that thread; the global default context is
 * not involved.
 */
static void test_yield_scale_threads(void)
{
    ThreadLoop t[2];
    Parked mine = { .peer = -1 };
    size_t i;

    parked_open(&mine);
    parked_start(&mine);
    for (i = 0; i < 2; i++) {
        memset(&t[i], 0, sizeof(t[i]));
        t[i].ctx = g_main_context_new();
        t[i].loop = g_main_loop_new(t[i].ctx, FALSE);
        t[i].p.peer = -1;
        g_mutex_init(&t[i].lock);
        g_cond_init(&t[i].cond);
        parked_open(&t[i].p);
        t[i].thread = g_thread_new("yield-scale", thread_loop_main, &t[i]);
        g_mutex_lock(&t[i].lock);
        while (!t[i].parked) {
            g_cond_wait(&t[i].cond, &t[i].lock);
        }
        g_mutex_unlock(&t[i].lock);
    }
    for (i = 0; i < 2; i++) {
        g_assert_cmpint(write(t[i].p.peer, "t", 1), ==, 1);
        g_thread_join(t[i].thread);
        g_assert_true(t[i].p.done);
        g_assert_cmpint(t[i].p.wakeups, ==, 1);
        g_assert_true(t[i].p.woken_in == t[i].thread);
        parked_close(&t[i].p);
        g_main_loop_unref(t[i].loop);
        g_main_context_unref(t[i].ctx);
        g_mutex_clear(&t[i].lock);
        g_cond_clear(&t[i].cond);
    }
    /* The main thread's own parked reader was never disturbed. */
    while (g_main_context_iteration(NULL, FALSE)) {
    }
    g_assert_false(mine.done);
    g_assert_cmpint(write(mine.peer, "m", 1), ==, 1);
    iterate_until(&mine.done);
    g_assert_cmpint(mine.wakeups, ==, 1);
    parked_close(&mine);
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    /*
     * First, while the coroutine pools are empty: util/qemu-coroutine.c
     * leaks a thread's pool at thread exit when that thread took over
     * the process-wide pool but never registered its own (reported).
     */
    qio_test_add_func("/io/channel/yield-scale/threads",
                      test_yield_scale_threads);
    qio_test_add_func("/io/channel/yield-scale/many", test_yield_scale_many);
    qio_test_add_func("/io/channel/yield-scale/batch",
                      test_yield_scale_batch);
    qio_test_add_func("/io/channel/yield-scale/hup", test_yield_scale_hup);
    qio_test_add_func("/io/channel/yield-scale/close-parked",
                      test_yield_scale_close_parked);
    qio_test_add_func("/io/channel/yield-scale/close-other",
                      test_yield_scale_close_other);
    qio_test_add_func("/io/channel/yield-scale/edge-while-away",
                      test_yield_scale_edge_while_away);
    qio_test_add_func("/io/channel/yield-scale/same-fd",
                      test_yield_scale_same_fd);
    qio_test_add_func("/io/channel/yield-scale/file", test_yield_scale_file);
    return g_test_run();
}
