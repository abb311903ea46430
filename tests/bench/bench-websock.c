/*
 * Websocket channel benchmark: the unmasking routine against memcpy (the
 * bandwidth limit of any byte-touching pass), and bulk throughput through
 * a websocket client/server pair against plain socket channels over the
 * same kind of socketpair.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/module.h"
#include "io/channel-websock.h"
#include "io/channel-socket.h"
#include "channel-websock-priv.h"
#include "bench-common.h"

#include <sys/socket.h>

/* ---- unmasking -------------------------------------------------------- */

typedef struct XorBench {
    uint8_t *src;
    uint8_t *dst;
    size_t len;
    long passes;
} XorBench;

static double gbps(size_t bytes, int64_t ns)
{
    return (double)bytes / (double)ns;
}

static double measure_unmask_in_place(void *opaque)
{
    XorBench *b = opaque;
    QIOChannelWebsockMask mask = { .c = { 0x12, 0x34, 0x56, 0x78 } };
    int64_t start = bench_now_ns();
    long i;

    for (i = 0; i < b->passes; i++) {
        qio_channel_websock_xor(b->dst, b->dst, b->len, &mask);
    }
    return gbps(b->len * b->passes, bench_now_ns() - start);
}

static double measure_unmask_copy(void *opaque)
{
    XorBench *b = opaque;
    QIOChannelWebsockMask mask = { .c = { 0x12, 0x34, 0x56, 0x78 } };
    int64_t start = bench_now_ns();
    long i;

    for (i = 0; i < b->passes; i++) {
        qio_channel_websock_xor(b->dst, b->src, b->len, &mask);
    }
    return gbps(b->len * b->passes, bench_now_ns() - start);
}

/* The obvious loop, for reference; kept from being vectorized. */
static void __attribute__((noinline, optimize("no-tree-vectorize")))
naive_unmask(uint8_t *p, size_t len, const uint8_t *m)
{
    size_t i;

    for (i = 0; i < len; i++) {
        p[i] ^= m[i & 3];
    }
}

static double measure_naive(void *opaque)
{
    XorBench *b = opaque;
    static const uint8_t m[4] = { 0x12, 0x34, 0x56, 0x78 };
    int64_t start = bench_now_ns();
    long i;

    for (i = 0; i < b->passes; i++) {
        naive_unmask(b->dst, b->len, m);
    }
    return gbps(b->len * b->passes, bench_now_ns() - start);
}

static double measure_memcpy(void *opaque)
{
    XorBench *b = opaque;
    int64_t start = bench_now_ns();
    long i;

    for (i = 0; i < b->passes; i++) {
        memcpy(b->dst, b->src, b->len);
        /* Keep the copies from being merged or dropped. */
        __asm__ volatile("" : : "r"(b->dst) : "memory");
    }
    return gbps(b->len * b->passes, bench_now_ns() - start);
}

static bool bench_unmask(size_t len, int reps)
{
    XorBench b = { .len = len };
    BenchStats place, copy, naive, mc;
    char title[64];
    bool ok = true;

    b.src = g_malloc(len);
    b.dst = g_malloc(len);
    memset(b.src, 0x5a, len);
    memset(b.dst, 0xa5, len);
    b.passes = bench_scale((4L << 30) / len);

    bench_measure(&mc, reps, measure_memcpy, &b);
    bench_measure(&place, reps, measure_unmask_in_place, &b);
    bench_measure(&copy, reps, measure_unmask_copy, &b);
    b.passes = bench_scale((512L << 20) / len);
    bench_measure(&naive, reps, measure_naive, &b);

    g_snprintf(title, sizeof(title), "websocket unmask, %zu KiB buffer",
               len / 1024);
    bench_table_header(title, "GB/s");
    ok &= bench_table_row("unmask in place", &place, "memcpy", &mc,
                          BENCH_HIGHER_IS_BETTER, 0.3);
    ok &= bench_table_row("unmask while copying", &copy, "memcpy", &mc,
                          BENCH_HIGHER_IS_BETTER, 0.3);
    ok &= bench_table_row("byte loop (reference)", &naive, "memcpy", &mc,
                          BENCH_HIGHER_IS_BETTER, 0);
    g_free(b.src);
    g_free(b.dst);
    return ok;
}

/* ---- channel throughput ---------------------------------------------- */

#define XFER_CHUNK (256 * 1024)

typedef struct Xfer {
    QIOChannel *src;
    QIOChannel *dst;
    size_t total;
} Xfer;

static gpointer xfer_writer(gpointer opaque)
{
    Xfer *x = opaque;
    char *buf = g_malloc(XFER_CHUNK);
    size_t sent = 0;

    memset(buf, 0x42, XFER_CHUNK);
    while (sent < x->total) {
        size_t n = MIN(XFER_CHUNK, x->total - sent);

        qio_channel_write_all(x->src, buf, n, &error_abort);
        sent += n;
    }
    g_free(buf);
    return NULL;
}

static double measure_xfer(void *opaque)
{
    Xfer *x = opaque;
    char *buf = g_malloc(XFER_CHUNK);
    size_t got = 0;
    int64_t start = bench_now_ns();
    GThread *writer = g_thread_new("bench-writer", xfer_writer, x);

    while (got < x->total) {
        ssize_t n = qio_channel_read(x->dst, buf, XFER_CHUNK, &error_abort);

        g_assert(n > 0);
        got += n;
    }
    g_thread_join(writer);
    g_free(buf);
    return gbps(x->total, bench_now_ns() - start);
}

static void done_cb(Object *src, Error *err, gpointer opaque)
{
    g_assert(!err);
    *(bool *)opaque = true;
}

static bool bench_throughput(int reps)
{
    int fds[2];
    QIOChannel *a, *b;
    QIOChannelWebsock *client, *server;
    bool cdone = false, sdone = false, ok = true;
    Xfer x = { .total = bench_scale(512L << 20) };
    BenchStats plain, c2s, s2c;

    g_assert(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    a = QIO_CHANNEL(qio_channel_socket_new_fd(fds[0], &error_abort));
    b = QIO_CHANNEL(qio_channel_socket_new_fd(fds[1], &error_abort));

    x.src = a;
    x.dst = b;
    bench_measure(&plain, reps, measure_xfer, &x);

    client = qio_channel_websock_new_client(a, "localhost", "/");
    server = qio_channel_websock_new_server(b);
    qio_channel_websock_handshake(server, done_cb, &sdone, NULL);
    qio_channel_websock_handshake(client, done_cb, &cdone, NULL);
    while (!cdone || !sdone) {
        g_main_context_iteration(NULL, TRUE);
    }
    x.src = QIO_CHANNEL(server);
    x.dst = QIO_CHANNEL(client);
    bench_measure(&s2c, reps, measure_xfer, &x);
    x.src = QIO_CHANNEL(client);
    x.dst = QIO_CHANNEL(server);
    bench_measure(&c2s, reps, measure_xfer, &x);

    bench_table_header("bulk transfer over a UNIX socketpair, 256 KiB "
                       "writes, 2 threads", "GB/s");
    ok &= bench_table_row("websock server -> client", &s2c,
                          "socket channel", &plain,
                          BENCH_HIGHER_IS_BETTER, 0.8);
    ok &= bench_table_row("websock client -> server (masked)", &c2s,
                          "socket channel", &plain,
                          BENCH_HIGHER_IS_BETTER, 0.8);

    object_unref(OBJECT(client));
    object_unref(OBJECT(server));
    object_unref(OBJECT(a));
    object_unref(OBJECT(b));
    return ok;
}

int main(int argc, char **argv)
{
    int reps = bench_reps(7);
    bool ok = true;

    module_call_init(MODULE_INIT_QOM);
    bench_pin_cpu();
    ok &= bench_unmask(64 * 1024, reps);
    ok &= bench_unmask(1024 * 1024, reps);
    ok &= bench_throughput(reps);
    printf("targets: %s\n", ok ? "all met" : "MISSED (see rows above)");
    return 0;
}
