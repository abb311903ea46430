/*
 * Benchmarks of the socket and buffer channels against the raw system
 * calls on the same sockets, measured in the same run: bulk transfer,
 * 64-byte ping-pong (blocking and coroutines under a GMainLoop), and
 * ping-pong with thousands of idle coroutines parked in
 * qio_channel_yield().
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"

#include <poll.h>
#include <glib-unix.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "io/channel-socket.h"
#include "io/channel-buffer.h"
#include "qemu/coroutine.h"
#include "qemu/module.h"
#include "bench-common.h"
#include <sys/un.h>

#define MSG 64
#define RDBUF (256 * 1024)

/* ---- socket pairs ----------------------------------------------------- */

typedef enum { PAIR_UNIX, PAIR_TCP } PairKind;

static void make_pair(PairKind kind, int sv[2])
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof(sin);
    int lfd, one = 1;

    if (kind == PAIR_UNIX) {
        g_assert(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
        return;
    }
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert(lfd >= 0);
    g_assert(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
    g_assert(listen(lfd, 1) == 0);
    g_assert(getsockname(lfd, (struct sockaddr *)&sin, &len) == 0);
    sv[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert(connect(sv[0], (struct sockaddr *)&sin, sizeof(sin)) == 0);
    sv[1] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    g_assert(sv[1] >= 0);
    close(lfd);
    setsockopt(sv[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(sv[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static QIOChannel *wrap(int fd)
{
    QIOChannelSocket *sioc = qio_channel_socket_new_fd(fd, &error_abort);

    return QIO_CHANNEL(sioc);
}

/* ---- bulk ------------------------------------------------------------- */

typedef enum { MODE_RAW, MODE_QIO_BLOCKING, MODE_QIO_COROUTINE } Mode;

typedef struct Bulk {
    PairKind kind;
    Mode mode;
    size_t chunk;
    size_t total;
    /* per repetition */
    int fd[2];
    QIOChannel *ioc[2];
    char *wbuf;
    char *rbuf;
    size_t received;
    bool reader_done;
    GMainLoop *loop;
} Bulk;

static gpointer bulk_raw_writer(gpointer opaque)
{
    Bulk *b = opaque;
    size_t sent = 0;

    while (sent < b->total) {
        size_t off = 0;

        while (off < b->chunk) {
            ssize_t n = write(b->fd[0], b->wbuf + off, b->chunk - off);

            g_assert(n > 0);
            off += n;
        }
        sent += b->chunk;
    }
    return NULL;
}

static gpointer bulk_qio_writer(gpointer opaque)
{
    Bulk *b = opaque;
    size_t sent;

    for (sent = 0; sent < b->total; sent += b->chunk) {
        g_assert(qio_channel_write_all(b->ioc[0], b->wbuf, b->chunk,
                                       &error_abort) == 0);
    }
    return NULL;
}

static void coroutine_fn bulk_co_writer(void *opaque)
{
    bulk_qio_writer(opaque);
}

static void coroutine_fn bulk_co_reader(void *opaque)
{
    Bulk *b = opaque;

    while (b->received < b->total) {
        ssize_t n = qio_channel_read(b->ioc[1], b->rbuf, RDBUF,
                                     &error_abort);

        if (n == QIO_CHANNEL_ERR_BLOCK) {
            qio_channel_yield(b->ioc[1], G_IO_IN);
            continue;
        }
        g_assert(n > 0);
        b->received += n;
    }
    b->reader_done = true;
    g_main_loop_quit(b->loop);
}

/* One repetition: MB/s (10^6 bytes per second) seen by the reader. */
static double bulk_rep(void *opaque)
{
    Bulk *b = opaque;
    GThread *th = NULL;
    int64_t t0;

    make_pair(b->kind, b->fd);
    b->received = 0;
    b->reader_done = false;
    if (b->mode != MODE_RAW) {
        b->ioc[0] = wrap(b->fd[0]);
        b->ioc[1] = wrap(b->fd[1]);
    }
    t0 = bench_now_ns();
    if (b->mode == MODE_QIO_COROUTINE) {
        qio_channel_set_blocking(b->ioc[0], false, &error_abort);
        qio_channel_set_blocking(b->ioc[1], false, &error_abort);
        b->loop = g_main_loop_new(NULL, FALSE);
        qemu_coroutine_enter(qemu_coroutine_create(bulk_co_reader), b);
        qemu_coroutine_enter(qemu_coroutine_create(bulk_co_writer), b);
        if (!b->reader_done) {
            g_main_loop_run(b->loop);
        }
        g_main_loop_unref(b->loop);
    } else {
        th = g_thread_new("bulk-writer", b->mode == MODE_RAW ?
                          bulk_raw_writer : bulk_qio_writer, b);
        while (b->received < b->total) {
            ssize_t n;

            if (b->mode == MODE_RAW) {
                n = read(b->fd[1], b->rbuf, RDBUF);
            } else {
                n = qio_channel_read(b->ioc[1], b->rbuf, RDBUF, &error_abort);
            }
            g_assert(n > 0);
            b->received += n;
        }
        g_thread_join(th);
    }
    t0 = bench_now_ns() - t0;
    if (b->mode != MODE_RAW) {
        object_unref(OBJECT(b->ioc[0]));
        object_unref(OBJECT(b->ioc[1]));
    } else {
        close(b->fd[0]);
        close(b->fd[1]);
    }
    return (double)b->total * 1e3 / t0;
}

/* ---- ping-pong -------------------------------------------------------- */

typedef struct Ping {
    long msgs;
    int fd[2];
    QIOChannel *ioc[2];
    GMainLoop *loop;
    bool done;
    /* scale */
    long idle;
    bool idle_watch;        /* park idle coroutines the old way */
    bool old_yield;         /* the active pair waits the old way too */
} Ping;

static gpointer raw_echo(gpointer opaque)
{
    Ping *p = opaque;
    char buf[MSG];
    long i;

    for (i = 0; i < p->msgs; i++) {
        g_assert(read(p->fd[1], buf, MSG) == MSG);
        g_assert(write(p->fd[1], buf, MSG) == MSG);
    }
    return NULL;
}

static gpointer qio_echo(gpointer opaque)
{
    Ping *p = opaque;
    char buf[MSG];
    long i;

    for (i = 0; i < p->msgs; i++) {
        g_assert(qio_channel_read_all(p->ioc[1], buf, MSG,
                                      &error_abort) == 0);
        g_assert(qio_channel_write_all(p->ioc[1], buf, MSG,
                                       &error_abort) == 0);
    }
    return NULL;
}

static double msgs_per_sec(long msgs, int64_t ns)
{
    return (double)msgs * 1e9 / ns;
}

/* Raw blocking syscalls, an echo thread on the same CPU. */
static double ping_raw_blocking(void *opaque)
{
    Ping *p = opaque;
    char buf[MSG] = { 0 };
    GThread *th;
    int64_t t0;
    long i;

    make_pair(PAIR_UNIX, p->fd);
    th = g_thread_new("echo", raw_echo, p);
    t0 = bench_now_ns();
    for (i = 0; i < p->msgs; i++) {
        g_assert(write(p->fd[0], buf, MSG) == MSG);
        g_assert(read(p->fd[0], buf, MSG) == MSG);
    }
    t0 = bench_now_ns() - t0;
    g_thread_join(th);
    close(p->fd[0]);
    close(p->fd[1]);
    return msgs_per_sec(p->msgs, t0);
}

static double ping_qio_blocking(void *opaque)
{
    Ping *p = opaque;
    char buf[MSG] = { 0 };
    GThread *th;
    int64_t t0;
    long i;

    make_pair(PAIR_UNIX, p->fd);
    p->ioc[0] = wrap(p->fd[0]);
    p->ioc[1] = wrap(p->fd[1]);
    th = g_thread_new("echo", qio_echo, p);
    t0 = bench_now_ns();
    for (i = 0; i < p->msgs; i++) {
        g_assert(qio_channel_write_all(p->ioc[0], buf, MSG,
                                       &error_abort) == 0);
        g_assert(qio_channel_read_all(p->ioc[0], buf, MSG,
                                      &error_abort) == 0);
    }
    t0 = bench_now_ns() - t0;
    g_thread_join(th);
    object_unref(OBJECT(p->ioc[0]));
    object_unref(OBJECT(p->ioc[1]));
    return msgs_per_sec(p->msgs, t0);
}

/*
 * The limit for the event-driven variant: one thread, both ends
 * non-blocking, a poll() loop that echoes on one end and sends the next
 * message on the other.
 */
static double ping_raw_poll(void *opaque)
{
    Ping *p = opaque;
    char buf[MSG] = { 0 };
    struct pollfd pfd[2];
    long done = 0;
    int64_t t0;

    make_pair(PAIR_UNIX, p->fd);
    g_unix_set_fd_nonblocking(p->fd[0], TRUE, NULL);
    g_unix_set_fd_nonblocking(p->fd[1], TRUE, NULL);
    pfd[0].fd = p->fd[0];
    pfd[1].fd = p->fd[1];
    pfd[0].events = pfd[1].events = POLLIN;
    t0 = bench_now_ns();
    g_assert(write(p->fd[0], buf, MSG) == MSG);
    while (done < p->msgs) {
        g_assert(poll(pfd, 2, -1) > 0);
        if (pfd[1].revents & POLLIN) {
            g_assert(read(p->fd[1], buf, MSG) == MSG);
            g_assert(write(p->fd[1], buf, MSG) == MSG);
        }
        if (pfd[0].revents & POLLIN) {
            g_assert(read(p->fd[0], buf, MSG) == MSG);
            if (++done < p->msgs) {
                g_assert(write(p->fd[0], buf, MSG) == MSG);
            }
        }
    }
    t0 = bench_now_ns() - t0;
    close(p->fd[0]);
    close(p->fd[1]);
    return msgs_per_sec(p->msgs, t0);
}

static void coroutine_fn co_echo(void *opaque)
{
    Ping *p = opaque;
    char buf[MSG];
    long i;

    for (i = 0; i < p->msgs; i++) {
        g_assert(qio_channel_read_all(p->ioc[1], buf, MSG,
                                      &error_abort) == 0);
        g_assert(qio_channel_write_all(p->ioc[1], buf, MSG,
                                       &error_abort) == 0);
    }
}

static void coroutine_fn co_client(void *opaque)
{
    Ping *p = opaque;
    char buf[MSG] = { 0 };
    long i;

    for (i = 0; i < p->msgs; i++) {
        g_assert(qio_channel_write_all(p->ioc[0], buf, MSG,
                                       &error_abort) == 0);
        g_assert(qio_channel_read_all(p->ioc[0], buf, MSG,
                                      &error_abort) == 0);
    }
    p->done = true;
    g_main_loop_quit(p->loop);
}

/*
 * What qio_channel_yield() did before it used an epoll set: a one-shot
 * watch per wait.  Kept here to show the cost at small scale.
 */
static gboolean old_yield_ready(QIOChannel *ioc, GIOCondition cond,
                                gpointer opaque)
{
    qemu_coroutine_enter(opaque, NULL);
    return G_SOURCE_REMOVE;
}

static void coroutine_fn old_xfer(QIOChannel *ioc, char *buf, bool rd)
{
    size_t off = 0;

    while (off < MSG) {
        ssize_t n = rd ? qio_channel_read(ioc, buf + off, MSG - off, NULL)
                       : qio_channel_write(ioc, buf + off, MSG - off, NULL);

        if (n == QIO_CHANNEL_ERR_BLOCK) {
            qio_channel_add_watch(ioc, rd ? G_IO_IN : G_IO_OUT,
                                  old_yield_ready, qemu_coroutine_self(),
                                  NULL);
            qemu_coroutine_yield();
            continue;
        }
        g_assert(n > 0);
        off += n;
    }
}

static void coroutine_fn co_echo_old(void *opaque)
{
    Ping *p = opaque;
    char buf[MSG];
    long i;

    for (i = 0; i < p->msgs; i++) {
        old_xfer(p->ioc[1], buf, true);
        old_xfer(p->ioc[1], buf, false);
    }
}

static void coroutine_fn co_client_old(void *opaque)
{
    Ping *p = opaque;
    char buf[MSG] = { 0 };
    long i;

    for (i = 0; i < p->msgs; i++) {
        old_xfer(p->ioc[0], buf, false);
        old_xfer(p->ioc[0], buf, true);
    }
    p->done = true;
    g_main_loop_quit(p->loop);
}

/* Idle connections: see scale_setup(). */
typedef struct Idle {
    QIOChannel **ioc;
    long n;
    long woken;
} Idle;

static Idle idle;

static void coroutine_fn idle_co(void *opaque)
{
    char c;

    qio_channel_yield(opaque, G_IO_IN);
    /* Consume the wake-up datagram: it counts against the sender. */
    g_assert(qio_channel_read(opaque, &c, 1, NULL) == 1);
    idle.woken++;
}

static gboolean idle_watch_cb(QIOChannel *ioc, GIOCondition cond,
                              gpointer opaque)
{
    char c;

    g_assert(qio_channel_read(ioc, &c, 1, NULL) == 1);
    idle.woken++;
    return G_SOURCE_REMOVE;
}

/*
 * An idle connection costs one fd here: an AF_UNIX datagram socket,
 * auto-bound to an abstract address, stays unreadable and never hangs up
 * until somebody sends to it, which is all a parked reader of a quiet
 * connection sees.  A socketpair per connection would need 20,000 fds
 * for 10,000 connections, the machine's whole limit.
 */
static struct sockaddr_un *idle_addr;
static socklen_t *idle_addrlen;

static void scale_setup(long n, bool watch)
{
    long i;

    idle.ioc = g_new0(QIOChannel *, n);
    idle_addr = g_new0(struct sockaddr_un, n);
    idle_addrlen = g_new0(socklen_t, n);
    idle.n = n;
    idle.woken = 0;
    for (i = 0; i < n; i++) {
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
                        0);
        sa_family_t fam = AF_UNIX;

        if (fd < 0) {
            fprintf(stderr, "bench-io: socket: %s (idle %ld)\n",
                    strerror(errno), i);
            exit(1);
        }
        /* Binding just the family asks the kernel for an abstract name. */
        g_assert(bind(fd, (struct sockaddr *)&fam, sizeof(fam)) == 0);
        idle_addrlen[i] = sizeof(idle_addr[i]);
        g_assert(getsockname(fd, (struct sockaddr *)&idle_addr[i],
                             &idle_addrlen[i]) == 0);
        idle.ioc[i] = wrap(fd);
        if (watch) {
            /* What every parked coroutine cost before: its own GSource. */
            qio_channel_add_watch(idle.ioc[i], G_IO_IN, idle_watch_cb,
                                  NULL, NULL);
        } else {
            qemu_coroutine_enter(qemu_coroutine_create(idle_co),
                                 idle.ioc[i]);
        }
    }
}

static void scale_teardown(void)
{
    int tx = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    long i;

    g_assert(tx >= 0);
    for (i = 0; i < idle.n; i++) {
        /* A datagram wakes the parked coroutine, which then returns. */
        g_assert(sendto(tx, "w", 1, 0, (struct sockaddr *)&idle_addr[i],
                        idle_addrlen[i]) == 1);
        if (i % 64 == 63) {
            while (idle.woken <= i) {
                g_main_context_iteration(NULL, TRUE);
            }
        }
    }
    close(tx);
    while (idle.woken < idle.n) {
        g_main_context_iteration(NULL, TRUE);
    }
    for (i = 0; i < idle.n; i++) {
        object_unref(OBJECT(idle.ioc[i]));
    }
    g_free(idle.ioc);
    g_free(idle_addr);
    g_free(idle_addrlen);
    idle.ioc = NULL;
}

static double ping_coroutines(void *opaque)
{
    Ping *p = opaque;
    int64_t t0;

    make_pair(PAIR_UNIX, p->fd);
    p->ioc[0] = wrap(p->fd[0]);
    p->ioc[1] = wrap(p->fd[1]);
    qio_channel_set_blocking(p->ioc[0], false, &error_abort);
    qio_channel_set_blocking(p->ioc[1], false, &error_abort);
    p->loop = g_main_loop_new(NULL, FALSE);
    p->done = false;
    if (p->idle) {
        scale_setup(p->idle, p->idle_watch);
    }
    t0 = bench_now_ns();
    qemu_coroutine_enter(qemu_coroutine_create(p->old_yield ?
                                               co_echo_old : co_echo), p);
    qemu_coroutine_enter(qemu_coroutine_create(p->old_yield ?
                                               co_client_old : co_client),
                         p);
    if (!p->done) {
        g_main_loop_run(p->loop);
    }
    t0 = bench_now_ns() - t0;
    g_assert_cmpint(idle.woken, ==, 0);
    if (p->idle) {
        scale_teardown();
    }
    g_main_loop_unref(p->loop);
    object_unref(OBJECT(p->ioc[0]));
    object_unref(OBJECT(p->ioc[1]));
    return msgs_per_sec(p->msgs, t0);
}

/* ---- buffer channel --------------------------------------------------- */

typedef struct BufBench {
    size_t chunk;
    size_t total;
    char *src;
    char *dst;
} BufBench;

/* Write @total bytes in @chunk pieces, rewind, read them back: MB/s. */
static double buffer_channel_rep(void *opaque)
{
    BufBench *bb = opaque;
    QIOChannelBuffer *bioc = qio_channel_buffer_new(bb->total);
    QIOChannel *ioc = QIO_CHANNEL(bioc);
    size_t off;
    int64_t t0 = bench_now_ns();

    for (off = 0; off < bb->total; off += bb->chunk) {
        qio_channel_write(ioc, bb->src + off, bb->chunk, &error_abort);
    }
    qio_channel_io_seek(ioc, 0, SEEK_SET, &error_abort);
    for (off = 0; off < bb->total; off += bb->chunk) {
        qio_channel_read(ioc, bb->dst + off, bb->chunk, &error_abort);
    }
    t0 = bench_now_ns() - t0;
    g_assert(memcmp(bb->src, bb->dst, 64) == 0);
    object_unref(OBJECT(bioc));
    return (double)bb->total * 2 * 1e3 / t0;
}

/* The limit: the same two copies with memcpy into a growing buffer. */
static double buffer_memcpy_rep(void *opaque)
{
    BufBench *bb = opaque;
    char *mid = g_malloc(bb->total);
    size_t off;
    int64_t t0 = bench_now_ns();

    for (off = 0; off < bb->total; off += bb->chunk) {
        memcpy(mid + off, bb->src + off, bb->chunk);
    }
    for (off = 0; off < bb->total; off += bb->chunk) {
        memcpy(bb->dst + off, mid + off, bb->chunk);
    }
    t0 = bench_now_ns() - t0;
    g_assert(memcmp(bb->src, bb->dst, 64) == 0);
    g_free(mid);
    return (double)bb->total * 2 * 1e3 / t0;
}

/* One ping-pong variant: its measurement and the state it runs on. */
typedef struct PingVariant {
    BenchRepFunc fn;
    Ping *p;
} PingVariant;

static double ping_variant_rep(void *opaque)
{
    PingVariant *v = opaque;

    return v->fn(v->p);
}

/* ---- main ------------------------------------------------------------- */

static void raise_fd_limit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static const char *only;

static bool want(const char *section)
{
    return !only || strstr(only, section);
}

int main(int argc, char **argv)
{
    int reps = bench_reps(5);
    int cpu = bench_pin_cpu();
    bool ok = true;
    static const size_t chunks[] = { 4096, 65536, 262144 };
    static const char *kind_name[] = { "unix", "tcp" };
    char name[96];
    size_t i;
    int k;

    only = getenv("QIO_BENCH_ONLY");
    module_call_init(MODULE_INIT_QOM);
    raise_fd_limit();
    signal(SIGPIPE, SIG_IGN);
    printf("bench-io: %d repetitions, pinned to CPU %d, %s; figures are "
           "medians (min-max)\n", reps, cpu, bench_clock_name());

    if (want("bulk")) {
        Bulk b = { 0 };

        b.total = bench_scale(256L << 20);
        b.wbuf = g_malloc0(262144);
        b.rbuf = g_malloc(RDBUF);
        bench_table_header("Socket channel bulk (writer chunk; reader 256 KiB)",
                           "MB/s");
        for (k = PAIR_UNIX; k <= PAIR_TCP; k++) {
            for (i = 0; i < G_N_ELEMENTS(chunks); i++) {
                Bulk bv[MODE_QIO_COROUTINE + 1];
                void *ops[G_N_ELEMENTS(bv)];
                BenchStats st[G_N_ELEMENTS(bv)];
                BenchStats *raw = &st[MODE_RAW];
                BenchStats *blk = &st[MODE_QIO_BLOCKING];
                BenchStats *co = &st[MODE_QIO_COROUTINE];
                Mode m;

                b.kind = k;
                b.chunk = chunks[i];
                b.total -= b.total % b.chunk;
                for (m = MODE_RAW; m <= MODE_QIO_COROUTINE; m++) {
                    bv[m] = b;
                    bv[m].mode = m;
                    ops[m] = &bv[m];
                }
                bench_measure_interleaved(st, G_N_ELEMENTS(bv), reps,
                                          bulk_rep, ops);
                snprintf(name, sizeof(name), "limit: raw %s %zu KiB, threads",
                         kind_name[k], chunks[i] / 1024);
                bench_table_row(name, raw, NULL, NULL,
                                BENCH_HIGHER_IS_BETTER, 0);
                snprintf(name, sizeof(name), "qio %s %zu KiB, threads",
                         kind_name[k], chunks[i] / 1024);
                ok &= bench_table_row(name, blk, "raw", raw,
                                      BENCH_HIGHER_IS_BETTER, 0.95);
                snprintf(name, sizeof(name), "qio %s %zu KiB, coroutines",
                         kind_name[k], chunks[i] / 1024);
                ok &= bench_table_row(name, co, "raw", raw,
                                      BENCH_HIGHER_IS_BETTER, 0.95);
            }
        }
        g_free(b.wbuf);
        g_free(b.rbuf);
    }

    if (want("pingpong")) {
        Ping p = { .msgs = bench_scale(100000) };
        Ping p_old = { .msgs = p.msgs, .old_yield = true };
        PingVariant pv[] = {
            { ping_raw_blocking, &p }, { ping_qio_blocking, &p },
            { ping_raw_poll, &p }, { ping_coroutines, &p },
            { ping_coroutines, &p_old },
        };
        void *ops[G_N_ELEMENTS(pv)];
        BenchStats st[G_N_ELEMENTS(pv)];
        BenchStats *rawb = &st[0], *qiob = &st[1], *rawp = &st[2];
        BenchStats *cor = &st[3], *old = &st[4];

        for (i = 0; i < G_N_ELEMENTS(pv); i++) {
            ops[i] = &pv[i];
        }
        bench_measure_interleaved(st, G_N_ELEMENTS(pv), reps,
                                  ping_variant_rep, ops);
        bench_table_header("64-byte ping-pong over a UNIX socketpair",
                           "round trips/s");
        bench_table_row("limit: raw blocking, echo thread", rawb, NULL,
                        NULL, BENCH_HIGHER_IS_BETTER, 0);
        ok &= bench_table_row("qio blocking, echo thread", qiob,
                              "raw blocking", rawb,
                              BENCH_HIGHER_IS_BETTER, 0.9);
        bench_table_row("limit: raw poll loop, 1 thread", rawp, NULL, NULL,
                        BENCH_HIGHER_IS_BETTER, 0);
        ok &= bench_table_row("qio coroutines + GMainLoop", cor,
                              "raw poll loop", rawp,
                              BENCH_HIGHER_IS_BETTER, 0.75);
        bench_table_row("coroutines, GSource per wait (old)", old,
                        "raw poll loop", rawp, BENCH_HIGHER_IS_BETTER, 0);
    }

    if (want("scale")) {
        static const long counts[] = { 10, 1000, 9990 };
        BenchStats st[G_N_ELEMENTS(counts)], old;
        Ping p = { 0 };

        p.msgs = bench_scale(50000);
        for (i = 0; i < G_N_ELEMENTS(counts); i++) {
            p.idle = counts[i];
            bench_measure(&st[i], reps, ping_coroutines, &p);
        }
        p.idle = 9990;
        p.idle_watch = true;
        p.msgs = bench_scale(500);
        bench_measure(&old, reps, ping_coroutines, &p);
        bench_table_header("Coroutine ping-pong with N idle channels parked "
                           "in qio_channel_yield", "round trips/s");
        bench_table_row("limit: 10 idle", &st[0], NULL, NULL,
                        BENCH_HIGHER_IS_BETTER, 0);
        bench_table_row("1,000 idle", &st[1], "10 idle", &st[0],
                        BENCH_HIGHER_IS_BETTER, 0);
        ok &= bench_table_row("9,990 idle", &st[2], "10 idle", &st[0],
                              BENCH_HIGHER_IS_BETTER, 0.5);
        bench_table_row("9,990 idle, GSource each (old)", &old, "10 idle",
                        &st[0], BENCH_HIGHER_IS_BETTER, 0);
    }

    if (want("buffer")) {
        BufBench bb;
        BenchStats ch[2], mc[2];
        static const size_t bchunks[] = { 64, 65536 };

        bb.total = bench_scale(64L << 20);
        bb.src = g_malloc(bb.total);
        bb.dst = g_malloc(bb.total);
        memset(bb.src, 'b', bb.total);
        memset(bb.dst, 0, bb.total);
        for (i = 0; i < 2; i++) {
            bb.chunk = bchunks[i];
            bb.total -= bb.total % bb.chunk;
            bench_measure(&mc[i], reps, buffer_memcpy_rep, &bb);
            bench_measure(&ch[i], reps, buffer_channel_rep, &bb);
        }
        bench_table_header("Buffer channel write+read back", "MB/s");
        for (i = 0; i < 2; i++) {
            snprintf(name, sizeof(name), "limit: memcpy, %zu B pieces",
                     bchunks[i]);
            bench_table_row(name, &mc[i], NULL, NULL,
                            BENCH_HIGHER_IS_BETTER, 0);
            snprintf(name, sizeof(name), "buffer channel, %zu B pieces",
                     bchunks[i]);
            bench_table_row(name, &ch[i], "memcpy", &mc[i],
                            BENCH_HIGHER_IS_BETTER, 0);
        }
        g_free(bb.src);
        g_free(bb.dst);
    }

    printf("targets: %s\n", ok ? "all met" : "MISSED (see rows above)");
    return 0;
}
