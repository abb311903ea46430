/*
 * Tests of QIOChannelSocket: bulk transfers over TCP (IPv4 and IPv6) and
 * UNIX sockets set up synchronously and asynchronously, file descriptor
 * passing, calls interrupted by signals, addresses, shutdown, EPIPE
 * without SIGPIPE, datagrams, and the rules for removing a listener's UNIX
 * socket path.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-socket.h"
#include "io-channel-helpers.h"
#include "qio-test.h"
#include "scratch-dir.h"
#include "socket-helpers.h"

#include <pthread.h>
#include <sys/syscall.h>

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* A scratch directory for UNIX socket paths, removed by tmpdir_free(). */
static char *tmpdir_new(void)
{
    return scratch_dir_new("qio-chsock");
}

static void tmpdir_free(char *dir)
{
    g_assert_cmpint(rmdir(dir), ==, 0);
    g_free(dir);
}

static bool path_exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

static int sock_fd(QIOChannel *ioc)
{
    return QIO_CHANNEL_SOCKET(ioc)->fd;
}

/* Result of an asynchronous operation, filled in by task_done(). */
typedef struct TaskResult {
    GMainLoop *loop;
    bool done;
    Object *source;
    Error *err;
} TaskResult;

static void task_done(Object *source, Error *err, gpointer opaque)
{
    TaskResult *res = opaque;

    g_assert_false(res->done);
    res->done = true;
    res->source = source;
    res->err = err ? error_copy(err) : NULL;
    g_main_loop_quit(res->loop);
}

/* Runs the default main context until the task has reported. */
static void task_wait(TaskResult *res)
{
    if (!res->done) {
        g_main_loop_run(res->loop);
    }
    g_assert_true(res->done);
}

static void task_result_init(TaskResult *res)
{
    memset(res, 0, sizeof(*res));
    res->loop = g_main_loop_new(NULL, FALSE);
}

static void task_result_clear(TaskResult *res)
{
    g_main_loop_unref(res->loop);
    error_free(res->err);
    memset(res, 0, sizeof(*res));
}

static void listen_channel(QIOChannelSocket *lioc, SocketAddress *addr,
                           bool async)
{
    if (async) {
        TaskResult res;

        task_result_init(&res);
        qio_channel_socket_listen_async(lioc, addr, task_done, &res, NULL);
        task_wait(&res);
        g_assert(res.source == OBJECT(lioc));
        qio_assert_no_error(res.err);
        task_result_clear(&res);
    } else {
        qio_channel_socket_listen_sync(lioc, addr, &error_abort);
    }
}

static void connect_channel(QIOChannelSocket *cioc, SocketAddress *addr,
                            bool async)
{
    if (async) {
        TaskResult res;

        task_result_init(&res);
        qio_channel_socket_connect_async(cioc, addr, task_done, &res, NULL);
        task_wait(&res);
        g_assert(res.source == OBJECT(cioc));
        qio_assert_no_error(res.err);
        task_result_clear(&res);
    } else {
        qio_channel_socket_connect_sync(cioc, addr, &error_abort);
    }
}

/*
 * Listens on @listen_addr, connects a client to where the listener ended
 * up, and accepts it: *@src is the client end, *@dst the accepted one.
 */
static void setup_pair(SocketAddress *listen_addr, bool async,
                       QIOChannel **src, QIOChannel **dst)
{
    QIOChannelSocket *lioc = qio_channel_socket_new();
    QIOChannelSocket *cioc = qio_channel_socket_new();
    SocketAddress *laddr;

    listen_channel(lioc, listen_addr, async);
    g_assert_true(qio_channel_has_feature(QIO_CHANNEL(lioc),
                                          QIO_CHANNEL_FEATURE_LISTEN));
    laddr = qio_channel_socket_get_local_address(lioc, &error_abort);
    if (laddr->type == SOCKET_ADDRESS_KIND_INET) {
        g_assert_cmpstr(laddr->u.inet->port, !=, "0");
    }

    connect_channel(cioc, laddr, async);
    g_assert_false(qio_channel_has_feature(QIO_CHANNEL(cioc),
                                           QIO_CHANNEL_FEATURE_LISTEN));
    qio_channel_set_delay(QIO_CHANNEL(cioc), false);
    *src = QIO_CHANNEL(cioc);
    *dst = QIO_CHANNEL(qio_channel_socket_accept(lioc, &error_abort));
    g_assert_nonnull(*dst);

    qapi_free_SocketAddress(laddr);
    object_unref(OBJECT(lioc));
}

/* Small socket buffers force partial reads and writes. */
static void shrink_buffers(QIOChannel *ioc)
{
    int size = 64 * 1024;

    g_assert_cmpint(setsockopt(sock_fd(ioc), SOL_SOCKET, SO_SNDBUF, &size,
                               sizeof(size)), ==, 0);
}

static void transfer(QIOChannel *src, QIOChannel *dst)
{
    QIOChannelTest *test;

    shrink_buffers(src);
    shrink_buffers(dst);

    test = qio_channel_test_new();
    qio_channel_test_run_threads(test, true, src, dst);
    qio_channel_test_validate(test);

    test = qio_channel_test_new();
    qio_channel_test_run_threads(test, false, src, dst);
    qio_channel_test_validate(test);
}

/* ------------------------------------------------------------------ */
/* Bulk transfers                                                      */

static void run_inet_transfer(const char *host, bool async)
{
    SocketAddress *addr = socket_test_inet_addr_new(host, NULL);
    QIOChannel *src, *dst;

    setup_pair(addr, async, &src, &dst);
    g_assert_false(qio_channel_has_feature(src,
                                           QIO_CHANNEL_FEATURE_FD_PASS));
    g_assert_false(qio_channel_has_feature(dst,
                                           QIO_CHANNEL_FEATURE_FD_PASS));
    g_assert_true(qio_channel_has_feature(src,
                                          QIO_CHANNEL_FEATURE_SHUTDOWN));
    g_assert_cmpint(getsockopt_int(sock_fd(src), IPPROTO_TCP, TCP_NODELAY),
                    !=, 0);
    transfer(src, dst);
    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
    qapi_free_SocketAddress(addr);
}

static void test_ipv4_sync(void)
{
    run_inet_transfer("127.0.0.1", false);
}

static void test_ipv4_async(void)
{
    run_inet_transfer("127.0.0.1", true);
}

static void test_ipv6_sync(void)
{
    if (!socket_test_ipv6_available()) {
        g_test_skip("IPv6 loopback (::1) not available");
        return;
    }
    run_inet_transfer("::1", false);
}

static void test_ipv6_async(void)
{
    if (!socket_test_ipv6_available()) {
        g_test_skip("IPv6 loopback (::1) not available");
        return;
    }
    run_inet_transfer("::1", true);
}

static void run_unix_transfer(bool async)
{
    char *dir = tmpdir_new();
    char *path = g_build_filename(dir, "transfer.sock", NULL);
    SocketAddress *addr = socket_test_unix_addr_new(path);
    QIOChannel *src, *dst;

    setup_pair(addr, async, &src, &dst);
    g_assert_true(qio_channel_has_feature(src, QIO_CHANNEL_FEATURE_FD_PASS));
    g_assert_true(qio_channel_has_feature(dst, QIO_CHANNEL_FEATURE_FD_PASS));
    /* The listener is gone, and took its path with it. */
    g_assert_false(path_exists(path));
    transfer(src, dst);
    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
    qapi_free_SocketAddress(addr);
    g_free(path);
    tmpdir_free(dir);
}

static void test_unix_sync(void)
{
    run_unix_transfer(false);
}

static void test_unix_async(void)
{
    run_unix_transfer(true);
}

/* ------------------------------------------------------------------ */
/* Listening, accepting and addresses                                  */

static void check_inet_addr(SocketAddress *addr, const char *host,
                            const char *port)
{
    g_assert_nonnull(addr);
    g_assert_cmpint(addr->type, ==, SOCKET_ADDRESS_KIND_INET);
    g_assert_cmpstr(addr->u.inet->host, ==, host);
    if (port) {
        g_assert_cmpstr(addr->u.inet->port, ==, port);
    }
    g_assert_true(addr->u.inet->has_ipv4 && addr->u.inet->ipv4);
    qapi_free_SocketAddress(addr);
}

static void test_listen_port0(void)
{
    const char *ports[] = { NULL, "", "0" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(ports); i++) {
        SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", ports[i]);
        QIOChannelSocket *lioc = qio_channel_socket_new();
        SocketAddress *laddr;
        struct sockaddr_in sin;
        socklen_t len = sizeof(sin);
        char *port;

        qio_channel_socket_listen_sync(lioc, addr, &error_abort);
        g_assert_true(qio_channel_has_feature(QIO_CHANNEL(lioc),
                                              QIO_CHANNEL_FEATURE_LISTEN));
        g_assert_cmpint(getsockopt_int(lioc->fd, SOL_SOCKET, SO_REUSEADDR),
                        !=, 0);
        g_assert_cmpint(getsockname(lioc->fd, (struct sockaddr *)&sin,
                                    &len), ==, 0);
        g_assert_cmpint(ntohs(sin.sin_port), !=, 0);
        port = g_strdup_printf("%d", ntohs(sin.sin_port));
        laddr = qio_channel_socket_get_local_address(lioc, &error_abort);
        check_inet_addr(laddr, "127.0.0.1", port);
        g_free(port);
        object_unref(OBJECT(lioc));
        qapi_free_SocketAddress(addr);
    }
}

static void test_accept_addresses_inet(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    QIOChannelSocket *lioc = qio_channel_socket_new();
    QIOChannelSocket *cioc = qio_channel_socket_new();
    QIOChannelSocket *aioc;
    SocketAddress *laddr, *caddr, *a;
    int flags;

    qio_channel_socket_listen_sync(lioc, addr, &error_abort);
    laddr = qio_channel_socket_get_local_address(lioc, &error_abort);
    qio_channel_socket_connect_sync(cioc, laddr, &error_abort);
    caddr = qio_channel_socket_get_local_address(cioc, &error_abort);

    aioc = qio_channel_socket_accept(lioc, &error_abort);
    g_assert_nonnull(aioc);
    flags = fcntl(aioc->fd, F_GETFD);
    g_assert_true(flags & FD_CLOEXEC);
    g_assert_false(fcntl(aioc->fd, F_GETFL) & O_NONBLOCK);
    g_assert_false(qio_channel_has_feature(QIO_CHANNEL(aioc),
                                           QIO_CHANNEL_FEATURE_LISTEN));
    g_assert_false(qio_channel_has_feature(QIO_CHANNEL(aioc),
                                           QIO_CHANNEL_FEATURE_FD_PASS));

    /* The accepted end: local is the listener's, remote the client's. */
    a = qio_channel_socket_get_local_address(aioc, &error_abort);
    check_inet_addr(a, "127.0.0.1", laddr->u.inet->port);
    a = qio_channel_socket_get_remote_address(aioc, &error_abort);
    check_inet_addr(a, "127.0.0.1", caddr->u.inet->port);
    /* The client sees the listener as its peer. */
    a = qio_channel_socket_get_remote_address(cioc, &error_abort);
    check_inet_addr(a, "127.0.0.1", laddr->u.inet->port);
    /* Accepting left the listener's own address alone. */
    a = qio_channel_socket_get_local_address(lioc, &error_abort);
    check_inet_addr(a, "127.0.0.1", laddr->u.inet->port);

    object_unref(OBJECT(aioc));
    object_unref(OBJECT(cioc));
    object_unref(OBJECT(lioc));
    qapi_free_SocketAddress(caddr);
    qapi_free_SocketAddress(laddr);
    qapi_free_SocketAddress(addr);
}

static void test_accept_addresses_unix(void)
{
    char *dir = tmpdir_new();
    char *path = g_build_filename(dir, "accept.sock", NULL);
    SocketAddress *addr = socket_test_unix_addr_new(path);
    QIOChannelSocket *lioc = qio_channel_socket_new();
    QIOChannelSocket *cioc = qio_channel_socket_new();
    QIOChannelSocket *aioc;
    SocketAddress *a;

    qio_channel_socket_listen_sync(lioc, addr, &error_abort);
    g_assert_true(qio_channel_has_feature(QIO_CHANNEL(lioc),
                                          QIO_CHANNEL_FEATURE_FD_PASS));
    qio_channel_socket_connect_sync(cioc, addr, &error_abort);
    aioc = qio_channel_socket_accept(lioc, &error_abort);
    g_assert_true(qio_channel_has_feature(QIO_CHANNEL(aioc),
                                          QIO_CHANNEL_FEATURE_FD_PASS));
    g_assert_true(fcntl(aioc->fd, F_GETFD) & FD_CLOEXEC);

    a = qio_channel_socket_get_local_address(aioc, &error_abort);
    g_assert_cmpint(a->type, ==, SOCKET_ADDRESS_KIND_UNIX);
    g_assert_cmpstr(a->u.q_unix->path, ==, path);
    qapi_free_SocketAddress(a);
    a = qio_channel_socket_get_remote_address(aioc, &error_abort);
    g_assert_cmpint(a->type, ==, SOCKET_ADDRESS_KIND_UNIX);
    g_assert_null(a->u.q_unix->path);
    qapi_free_SocketAddress(a);
    a = qio_channel_socket_get_remote_address(cioc, &error_abort);
    g_assert_cmpstr(a->u.q_unix->path, ==, path);
    qapi_free_SocketAddress(a);
    a = qio_channel_socket_get_local_address(cioc, &error_abort);
    g_assert_null(a->u.q_unix->path);
    qapi_free_SocketAddress(a);

    object_unref(OBJECT(aioc));
    object_unref(OBJECT(cioc));
    object_unref(OBJECT(lioc));
    qapi_free_SocketAddress(addr);
    g_free(path);
    tmpdir_free(dir);
}

static void test_accept_errors(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    QIOChannelSocket *lioc = qio_channel_socket_new();
    Error *err = NULL;

    /* A channel without a socket cannot accept. */
    g_assert_null(qio_channel_socket_accept(lioc, &err));
    qio_assert_error_contains(err, "holds no socket");
    error_free(err);
    err = NULL;

    /* Nothing pending on a non-blocking listener: an error, no channel. */
    qio_channel_socket_listen_sync(lioc, addr, &error_abort);
    qio_channel_set_blocking(QIO_CHANNEL(lioc), false, &error_abort);
    g_assert_null(qio_channel_socket_accept(lioc, &err));
    qio_assert_error_contains(err, "Unable to accept connection");
    qio_assert_error_contains(err, g_strerror(EAGAIN));
    error_free(err);

    object_unref(OBJECT(lioc));
    qapi_free_SocketAddress(addr);
}

static volatile sig_atomic_t sigusr1_count;

static void sigusr1_handler(int sig)
{
    sigusr1_count++;
}

typedef struct AcceptThread {
    QIOChannelSocket *lioc;
    QIOChannelSocket *aioc;
    pid_t tid;
} AcceptThread;

static gpointer accept_thread(gpointer opaque)
{
    AcceptThread *at = opaque;

    g_atomic_int_set(&at->tid, (pid_t)syscall(SYS_gettid));
    at->aioc = qio_channel_socket_accept(at->lioc, &error_abort);
    return NULL;
}

/* Whether thread @tid sleeps in the kernel, not counting futex waits. */
static bool thread_blocked(pid_t tid, bool need_wchan)
{
    char *path = g_strdup_printf("/proc/self/task/%d/stat", (int)tid);
    char *wpath = g_strdup_printf("/proc/self/task/%d/wchan", (int)tid);
    char *stat = NULL;
    char *wchan = NULL;
    const char *p;
    bool blocked;

    g_assert_true(g_file_get_contents(path, &stat, NULL, NULL));
    p = strrchr(stat, ')');
    g_assert_nonnull(p);
    blocked = p[1] == ' ' && p[2] == 'S';
    /*
     * A thread also sleeps on a futex when it meets a lock (malloc's, for
     * instance) on its way to the call under test: the wait channel tells
     * those apart from a sleep inside the socket call.
     */
    if (blocked && need_wchan) {
        blocked = g_file_get_contents(wpath, &wchan, NULL, NULL) &&
                  strcmp(wchan, "0") != 0 && !strstr(wchan, "futex");
    }
    g_free(wchan);
    g_free(stat);
    g_free(wpath);
    g_free(path);
    return blocked;
}

/*
 * Waits until @tid is blocked in a system call.  The check is a state,
 * never a delay; only if the kernel never names a wait channel (no
 * kallsyms) does it settle for the thread state alone.
 */
static void wait_thread_sleeping(pid_t tid)
{
    int tries = 0;

    while (!thread_blocked(tid, tries < 5000)) {
        g_usleep(1000);
        tries++;
    }
}

static void test_accept_eintr(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    QIOChannelSocket *cioc = qio_channel_socket_new();
    struct sigaction sa = { .sa_handler = sigusr1_handler };
    struct sigaction old;
    AcceptThread at = { .tid = 0 };
    SocketAddress *laddr;
    GThread *thread;

    /* No SA_RESTART: the blocked accept() fails with EINTR. */
    sigemptyset(&sa.sa_mask);
    g_assert_cmpint(sigaction(SIGUSR1, &sa, &old), ==, 0);
    sigusr1_count = 0;

    at.lioc = qio_channel_socket_new();
    qio_channel_socket_listen_sync(at.lioc, addr, &error_abort);
    laddr = qio_channel_socket_get_local_address(at.lioc, &error_abort);
    thread = g_thread_new("accept", accept_thread, &at);
    while (g_atomic_int_get(&at.tid) == 0) {
        g_usleep(1000);
    }
    wait_thread_sleeping(at.tid);
    g_assert_cmpint(syscall(SYS_tgkill, getpid(), at.tid, SIGUSR1), ==, 0);
    /*
     * Connect only once the handler has run: the interrupted accept()
     * has then returned EINTR, instead of finding a connection ready.
     */
    while (sigusr1_count == 0) {
        g_usleep(1000);
    }
    qio_channel_socket_connect_sync(cioc, laddr, &error_abort);
    g_thread_join(thread);
    g_assert_cmpint(sigusr1_count, ==, 1);
    g_assert_nonnull(at.aioc);

    g_assert_cmpint(sigaction(SIGUSR1, &old, NULL), ==, 0);
    object_unref(OBJECT(at.aioc));
    object_unref(OBJECT(at.lioc));
    object_unref(OBJECT(cioc));
    qapi_free_SocketAddress(laddr);
    qapi_free_SocketAddress(addr);
}

static gboolean listener_ready(QIOChannel *ioc, GIOCondition cond,
                               gpointer opaque)
{
    QIOChannelSocket **accepted = opaque;

    g_assert_true(cond & G_IO_IN);
    *accepted = qio_channel_socket_accept(QIO_CHANNEL_SOCKET(ioc),
                                          &error_abort);
    return FALSE;
}

/* A listener's watch fires when a client is waiting to be accepted. */
static void test_accept_watch(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    QIOChannelSocket *lioc = qio_channel_socket_new();
    QIOChannelSocket *cioc = qio_channel_socket_new();
    QIOChannelSocket *aioc = NULL;
    SocketAddress *laddr;

    qio_channel_socket_listen_sync(lioc, addr, &error_abort);
    qio_channel_set_blocking(QIO_CHANNEL(lioc), false, &error_abort);
    laddr = qio_channel_socket_get_local_address(lioc, &error_abort);
    qio_channel_add_watch(QIO_CHANNEL(lioc), G_IO_IN, listener_ready, &aioc,
                          NULL);
    qio_channel_socket_connect_sync(cioc, laddr, &error_abort);
    while (!aioc) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpint(qio_channel_write(QIO_CHANNEL(cioc), "x", 1,
                                      &error_abort), ==, 1);

    object_unref(OBJECT(aioc));
    object_unref(OBJECT(cioc));
    object_unref(OBJECT(lioc));
    qapi_free_SocketAddress(laddr);
    qapi_free_SocketAddress(addr);
}

/* ------------------------------------------------------------------ */
/* Errors of connect and listen                                        */

static void test_connect_errors(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    QIOChannelSocket *lioc = qio_channel_socket_new();
    QIOChannelSocket *cioc;
    SocketAddress *laddr;
    TaskResult res;
    Error *err = NULL;

    /* Find a port, then stop listening on it. */
    qio_channel_socket_listen_sync(lioc, addr, &error_abort);
    laddr = qio_channel_socket_get_local_address(lioc, &error_abort);
    object_unref(OBJECT(lioc));

    cioc = qio_channel_socket_new();
    g_assert_cmpint(qio_channel_socket_connect_sync(cioc, laddr, &err), ==,
                    -1);
    qio_assert_error_contains(err, "Connection refused");
    error_free(err);
    err = NULL;
    g_assert_cmpint(cioc->fd, ==, -1);

    task_result_init(&res);
    qio_channel_socket_connect_async(cioc, laddr, task_done, &res, NULL);
    task_wait(&res);
    g_assert(res.source == OBJECT(cioc));
    qio_assert_error_contains(res.err, "Connection refused");
    task_result_clear(&res);
    object_unref(OBJECT(cioc));

    /* A channel that already holds a socket refuses another. */
    lioc = qio_channel_socket_new();
    qio_channel_socket_listen_sync(lioc, addr, &error_abort);
    g_assert_cmpint(qio_channel_socket_listen_sync(lioc, addr, &err), ==,
                    -1);
    qio_assert_error_contains(err, "already holds a socket");
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_socket_connect_sync(lioc, laddr, &err), ==,
                    -1);
    qio_assert_error_contains(err, "already holds a socket");
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_socket_dgram_sync(lioc, NULL, laddr, &err),
                    ==, -1);
    qio_assert_error_contains(err, "already holds a socket");
    error_free(err);
    err = NULL;

    /* A listener has no peer. */
    g_assert_null(qio_channel_socket_get_remote_address(lioc, &err));
    qio_assert_error_contains(err, "not connected");
    error_free(err);
    err = NULL;
    object_unref(OBJECT(lioc));

    /* Async listen failure reaches the callback. */
    lioc = qio_channel_socket_new();
    qapi_free_SocketAddress(addr);
    addr = socket_test_unix_addr_new("/nonexistent-dir-qio/x.sock");
    task_result_init(&res);
    qio_channel_socket_listen_async(lioc, addr, task_done, &res, NULL);
    task_wait(&res);
    qio_assert_error_contains(res.err, "Failed to bind UNIX socket");
    task_result_clear(&res);
    g_assert_null(qio_channel_socket_get_local_address(lioc, &err));
    qio_assert_error_contains(err, "holds no socket");
    error_free(err);
    object_unref(OBJECT(lioc));

    qapi_free_SocketAddress(laddr);
    qapi_free_SocketAddress(addr);
}

/* ------------------------------------------------------------------ */
/* new_fd                                                              */

static void test_new_fd(void)
{
    QIOChannelSocket *ioc;
    SocketAddress *a;
    Error *err = NULL;
    int sv[2];
    int pipefd[2];
    int lfd, tcp;

    /* A UNIX socket pair: fd passing, both ends connected. */
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    ioc = qio_channel_socket_new_fd(sv[0], &error_abort);
    g_assert_cmpstr(object_get_typename(OBJECT(ioc)), ==,
                    TYPE_QIO_CHANNEL_SOCKET);
    g_assert_cmpint(ioc->fd, ==, sv[0]);
    g_assert_true(qio_channel_has_feature(QIO_CHANNEL(ioc),
                                          QIO_CHANNEL_FEATURE_FD_PASS));
    g_assert_true(qio_channel_has_feature(QIO_CHANNEL(ioc),
                                          QIO_CHANNEL_FEATURE_SHUTDOWN));
    g_assert_false(qio_channel_has_feature(QIO_CHANNEL(ioc),
                                           QIO_CHANNEL_FEATURE_LISTEN));
    a = qio_channel_socket_get_remote_address(ioc, &error_abort);
    g_assert_cmpint(a->type, ==, SOCKET_ADDRESS_KIND_UNIX);
    qapi_free_SocketAddress(a);
    /* The channel owns the fd: unref closes it. */
    object_unref(OBJECT(ioc));
    g_assert_cmpint(fcntl(sv[0], F_GETFD), ==, -1);
    close(sv[1]);

    /* A bound, unconnected TCP socket: no fd passing, no peer. */
    tcp = qemu_socket(AF_INET, SOCK_STREAM, 0);
    {
        struct sockaddr_in sin = { .sin_family = AF_INET };

        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        g_assert_cmpint(bind(tcp, (struct sockaddr *)&sin, sizeof(sin)), ==,
                        0);
    }
    ioc = qio_channel_socket_new_fd(tcp, &error_abort);
    g_assert_false(qio_channel_has_feature(QIO_CHANNEL(ioc),
                                           QIO_CHANNEL_FEATURE_FD_PASS));
    g_assert_false(qio_channel_has_feature(QIO_CHANNEL(ioc),
                                           QIO_CHANNEL_FEATURE_LISTEN));
    check_inet_addr(qio_channel_socket_get_local_address(ioc, &error_abort),
                    "127.0.0.1", NULL);
    g_assert_null(qio_channel_socket_get_remote_address(ioc, &err));
    qio_assert_error_contains(err, "not connected");
    error_free(err);
    err = NULL;
    object_unref(OBJECT(ioc));

    /* A listening socket becomes a listener channel. */
    {
        SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");

        lfd = socket_listen(addr, &error_abort);
        qapi_free_SocketAddress(addr);
    }
    ioc = qio_channel_socket_new_fd(lfd, &error_abort);
    g_assert_true(qio_channel_has_feature(QIO_CHANNEL(ioc),
                                          QIO_CHANNEL_FEATURE_LISTEN));
    object_unref(OBJECT(ioc));

    /* Not a socket: refused, and the fd stays the caller's. */
    g_assert_cmpint(pipe(pipefd), ==, 0);
    g_assert_null(qio_channel_socket_new_fd(pipefd[0], &err));
    qio_assert_error_contains(err, "Unable to query");
    error_free(err);
    g_assert_cmpint(fcntl(pipefd[0], F_GETFD), !=, -1);
    close(pipefd[0]);
    close(pipefd[1]);
}

/* ------------------------------------------------------------------ */
/* File descriptor passing                                             */

static int scratch_file(const char *dir)
{
    char *path = g_build_filename(dir, "data", NULL);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(unlink(path), ==, 0);
    g_free(path);
    return fd;
}

static void test_fd_pass(void)
{
    char *dir = tmpdir_new();
    int fd = scratch_file(dir);
    int sendfds[3] = { fd, fd, fd };
    const char msg[12] = "Hello World";
    char buf[sizeof(msg)];
    struct iovec out = { (char *)msg, sizeof(msg) };
    struct iovec in = { buf, sizeof(buf) };
    QIOChannel *src, *dst;
    int *fds = NULL;
    size_t nfds = 0;
    size_t i;
    ssize_t ret;

    socket_test_channel_pair(&src, &dst);
    /* Received fds share the file description, flags included. */
    g_assert_cmpint(fcntl(fd, F_SETFL, O_NONBLOCK), ==, 0);

    ret = qio_channel_writev_full(src, &out, 1, sendfds, 3, &error_abort);
    g_assert_cmpint(ret, ==, sizeof(msg));
    ret = qio_channel_readv_full(dst, &in, 1, &fds, &nfds, &error_abort);
    g_assert_cmpint(ret, ==, sizeof(msg));
    g_assert_cmpmem(buf, sizeof(buf), msg, sizeof(msg));
    g_assert_cmpuint(nfds, ==, 3);
    g_assert_nonnull(fds);

    for (i = 0; i < nfds; i++) {
        size_t j;
        char c;

        g_assert_cmpint(fds[i], !=, fd);
        for (j = 0; j < i; j++) {
            g_assert_cmpint(fds[i], !=, fds[j]);
        }
        g_assert_true(fcntl(fds[i], F_GETFD) & FD_CLOEXEC);
        g_assert_false(fcntl(fds[i], F_GETFL) & O_NONBLOCK);
        /* Each copy reaches the same file. */
        c = 'a' + i;
        g_assert_cmpint(pwrite(fds[i], &c, 1, i), ==, 1);
    }
    g_assert_cmpint(pread(fd, buf, 3, 0), ==, 3);
    g_assert_cmpmem(buf, 3, "abc", 3);

    for (i = 0; i < nfds; i++) {
        close(fds[i]);
    }
    g_free(fds);

    /* Data without fds: the caller gets an empty array. */
    fds = (int *)&ret;
    nfds = 99;
    g_assert_cmpint(qio_channel_write(src, "z", 1, &error_abort), ==, 1);
    in.iov_len = 1;
    g_assert_cmpint(qio_channel_readv_full(dst, &in, 1, &fds, &nfds,
                                           &error_abort), ==, 1);
    g_assert_null(fds);
    g_assert_cmpuint(nfds, ==, 0);

    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
    close(fd);
    tmpdir_free(dir);
}

static void test_fd_pass_too_many(void)
{
    char *dir = tmpdir_new();
    int fd = scratch_file(dir);
    int sendfds[SOCKET_MAX_FDS + 1];
    struct iovec out = { (char *)"x", 1 };
    struct iovec none = { NULL, 0 };
    QIOChannel *src, *dst;
    Error *err = NULL;
    char c;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(sendfds); i++) {
        sendfds[i] = fd;
    }
    socket_test_channel_pair(&src, &dst);

    g_assert_cmpint(qio_channel_writev_full(src, &out, 1, sendfds,
                                            SOCKET_MAX_FDS + 1, &err), ==, -1);
    qio_assert_error_contains(err, "Only 16 file descriptors can be sent");
    error_free(err);
    err = NULL;

    /* File descriptors need at least one byte to travel with. */
    g_assert_cmpint(qio_channel_writev_full(src, &none, 1, sendfds, 1,
                                            &err), ==, -1);
    qio_assert_error_contains(err, "at least one byte");
    error_free(err);
    err = NULL;

    /* Nothing was sent by either failed call. */
    qio_channel_set_blocking(dst, false, &error_abort);
    g_assert_cmpint(qio_channel_read(dst, &c, 1, &error_abort), ==,
                    QIO_CHANNEL_ERR_BLOCK);

    /* Exactly the maximum is fine. */
    {
        int *fds = NULL;
        size_t nfds = 0;
        struct iovec in = { &c, 1 };

        g_assert_cmpint(qio_channel_writev_full(src, &out, 1, sendfds,
                                                SOCKET_MAX_FDS,
                                                &error_abort), ==, 1);
        g_assert_cmpint(qio_channel_readv_full(dst, &in, 1, &fds, &nfds,
                                               &error_abort), ==, 1);
        g_assert_cmpuint(nfds, ==, SOCKET_MAX_FDS);
        for (i = 0; i < nfds; i++) {
            close(fds[i]);
        }
        g_free(fds);
    }

    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
    close(fd);
    tmpdir_free(dir);
}

/* Sends @n copies of @fd with @len bytes of data, bypassing the channel. */
static void raw_send_fds(int sock, int fd, size_t n, size_t len)
{
    size_t size = CMSG_SPACE(sizeof(int) * n);
    char *control = g_malloc0(size);
    struct iovec iov = { (char *)"y", len };
    struct msghdr msg = { NULL };
    struct cmsghdr *cmsg;
    int *fds = g_new(int, n);
    size_t i;

    for (i = 0; i < n; i++) {
        fds[i] = fd;
    }
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = size;
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * n);
    g_assert_cmpint(sendmsg(sock, &msg, 0), ==, (ssize_t)len);
    g_free(fds);
    g_free(control);
}

static void test_fd_pass_truncated(void)
{
    char *dir = tmpdir_new();
    int fd = scratch_file(dir);
    QIOChannel *src, *dst;
    Error *err = NULL;
    int *fds = (int *)&fd;
    size_t nfds = 42;
    char c;
    struct iovec in = { &c, 1 };
    int before;

    socket_test_channel_pair(&src, &dst);
    before = qio_test_count_open_fds();
    /* More than the channel's control buffer holds. */
    raw_send_fds(sock_fd(src), fd, SOCKET_MAX_FDS + 4, 1);
    g_assert_cmpint(qio_channel_readv_full(dst, &in, 1, &fds, &nfds, &err),
                    ==, -1);
    qio_assert_error_contains(err, "more file descriptors than fit");
    error_free(err);
    g_assert_null(fds);
    g_assert_cmpuint(nfds, ==, 0);
    /* Every fd that did arrive was closed again. */
    g_assert_cmpint(qio_test_count_open_fds(), ==, before);

    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
    close(fd);
    tmpdir_free(dir);
}

static void test_fd_pass_no_data(void)
{
    char *dir = tmpdir_new();
    int fd = scratch_file(dir);
    QIOChannelSocket *a, *b;
    Error *err = NULL;
    int *fds = NULL;
    size_t nfds = 0;
    char c;
    struct iovec in = { &c, 1 };
    int sv[2];
    int before;

    /* Datagram sockets can deliver fds in a message of zero bytes. */
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), ==, 0);
    a = qio_channel_socket_new_fd(sv[0], &error_abort);
    b = qio_channel_socket_new_fd(sv[1], &error_abort);
    g_assert_true(qio_channel_has_feature(QIO_CHANNEL(b),
                                          QIO_CHANNEL_FEATURE_FD_PASS));
    before = qio_test_count_open_fds();
    raw_send_fds(sv[0], fd, 2, 0);
    g_assert_cmpint(qio_channel_readv_full(QIO_CHANNEL(b), &in, 1, &fds,
                                           &nfds, &err), ==, -1);
    qio_assert_error_contains(err, "without any data");
    error_free(err);
    g_assert_null(fds);
    g_assert_cmpuint(nfds, ==, 0);
    g_assert_cmpint(qio_test_count_open_fds(), ==, before);

    object_unref(OBJECT(a));
    object_unref(OBJECT(b));
    close(fd);
    tmpdir_free(dir);
}

/* A count of fds without the array holding them is refused cleanly. */
static void test_fd_pass_null_array(void)
{
    struct iovec out = { (char *)"x", 1 };
    QIOChannel *src, *dst;
    Error *err = NULL;
    char c;

    socket_test_channel_pair(&src, &dst);
    g_assert_cmpint(qio_channel_writev_full(src, &out, 1, NULL, 2, &err),
                    ==, -1);
    qio_assert_error_contains(err, "no array");
    error_free(err);

    /* Not even the data went out. */
    qio_channel_set_blocking(dst, false, &error_abort);
    g_assert_cmpint(qio_channel_read(dst, &c, 1, &error_abort), ==,
                    QIO_CHANNEL_ERR_BLOCK);
    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
}

/*
 * A reader that asks for no fds still gets the data, and whatever fds
 * came with it are closed rather than left open in the process.
 */
static void test_fd_pass_unwanted(void)
{
    char *dir = tmpdir_new();
    int fd = scratch_file(dir);
    QIOChannel *src, *dst;
    char buf[4];
    struct iovec in = { buf, 1 };
    int before;

    socket_test_channel_pair(&src, &dst);
    g_assert_cmpint(fcntl(fd, F_SETFL, O_NONBLOCK), ==, 0);
    before = qio_test_count_open_fds();

    raw_send_fds(sock_fd(src), fd, 3, 1);
    g_assert_cmpint(qio_channel_readv(dst, &in, 1, &error_abort), ==, 1);
    g_assert_cmpint(buf[0], ==, 'y');
    g_assert_cmpint(qio_test_count_open_fds(), ==, before);

    /* More than a message holds: still only data, and nothing leaks. */
    raw_send_fds(sock_fd(src), fd, SOCKET_MAX_FDS + 4, 1);
    g_assert_cmpint(qio_channel_readv_full(dst, &in, 1, NULL, NULL,
                                           &error_abort), ==, 1);
    g_assert_cmpint(buf[0], ==, 'y');
    g_assert_cmpint(qio_test_count_open_fds(), ==, before);

    /* The shared file description keeps the sender's flags. */
    g_assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);

    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
    close(fd);
    tmpdir_free(dir);
}

/* Without FD_PASS (TCP), fd arguments are refused before any I/O. */
static void test_fd_pass_unsupported(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    struct iovec out = { (char *)"x", 1 };
    QIOChannel *src, *dst;
    Error *err = NULL;
    int fd = 0;

    setup_pair(addr, false, &src, &dst);
    g_assert_cmpint(qio_channel_writev_full(src, &out, 1, &fd, 1, &err), ==,
                    -1);
    g_assert_nonnull(err);
    error_free(err);
    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
    qapi_free_SocketAddress(addr);
}

/* ------------------------------------------------------------------ */
/* Interrupted reads and writes                                        */

typedef struct IOThread {
    QIOChannel *ioc;
    pthread_t self;
    pid_t tid;
    char *buf;
    size_t len;
    bool write;
    ssize_t ret;
    Error *err;
} IOThread;

static gpointer io_thread_run(gpointer opaque)
{
    IOThread *it = opaque;
    struct iovec iov = { it->buf, it->len };

    it->self = pthread_self();
    g_atomic_int_set(&it->tid, (pid_t)syscall(SYS_gettid));
    if (it->write) {
        it->ret = qio_channel_writev(it->ioc, &iov, 1, &it->err);
    } else {
        it->ret = qio_channel_readv(it->ioc, &iov, 1, &it->err);
    }
    return NULL;
}

/*
 * Starts @it, waits until it blocks in the socket call, and interrupts
 * that call with SIGUSR1, whose handler has no SA_RESTART, so the kernel
 * returns EINTR instead of restarting it.  Returns the running thread.
 */
static GThread *io_thread_interrupt(IOThread *it, struct sigaction *old)
{
    struct sigaction sa = { .sa_handler = sigusr1_handler };
    GThread *thread;

    sigemptyset(&sa.sa_mask);
    g_assert_cmpint(sigaction(SIGUSR1, &sa, old), ==, 0);
    sigusr1_count = 0;

    thread = g_thread_new("io", io_thread_run, it);
    while (g_atomic_int_get(&it->tid) == 0) {
        g_usleep(1000);
    }
    wait_thread_sleeping(it->tid);
    g_assert_cmpint(pthread_kill(it->self, SIGUSR1), ==, 0);
    /* Go on only once the handler ran, so the call really was cut. */
    while (sigusr1_count == 0) {
        g_usleep(1000);
    }
    return thread;
}

static void test_readv_eintr(void)
{
    char buf[6];
    IOThread it = { .buf = buf, .len = sizeof(buf) };
    struct sigaction old;
    QIOChannel *src, *dst;
    GThread *thread;

    socket_test_channel_pair(&src, &dst);
    it.ioc = dst;
    thread = io_thread_interrupt(&it, &old);
    g_assert_cmpint(qio_channel_write_all(src, "ready!", 6, &error_abort),
                    ==, 0);
    g_thread_join(thread);
    qio_assert_no_error(it.err);
    g_assert_cmpint(it.ret, ==, 6);
    g_assert_cmpmem(buf, 6, "ready!", 6);
    g_assert_cmpint(sigusr1_count, ==, 1);

    g_assert_cmpint(sigaction(SIGUSR1, &old, NULL), ==, 0);
    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
}

/* A writer blocked on a full socket, with none of its data sent yet. */
static void test_writev_eintr(void)
{
    char byte = 'w';
    IOThread it = { .buf = &byte, .len = 1, .write = true };
    struct sigaction old;
    QIOChannel *src, *dst;
    GThread *thread;
    char *drain;
    size_t queued = 0;
    size_t got = 0;
    char chunk[1024];
    ssize_t n;

    socket_test_channel_pair(&src, &dst);
    memset(chunk, 'f', sizeof(chunk));
    /* Fill the socket so that the next write must block. */
    qio_channel_set_blocking(src, false, &error_abort);
    while ((n = qio_channel_write(src, chunk, sizeof(chunk),
                                  &error_abort)) > 0) {
        queued += n;
    }
    g_assert_cmpint(n, ==, QIO_CHANNEL_ERR_BLOCK);
    qio_channel_set_blocking(src, true, &error_abort);

    it.ioc = src;
    thread = io_thread_interrupt(&it, &old);
    /*
     * Only what was queued before: should the write have failed, there
     * is no byte more to wait for.
     */
    drain = g_malloc(queued);
    while (got < queued) {
        n = qio_channel_read(dst, drain + got, queued - got, &error_abort);
        g_assert_cmpint(n, >, 0);
        got += n;
    }
    g_thread_join(thread);
    qio_assert_no_error(it.err);
    g_assert_cmpint(it.ret, ==, 1);
    g_assert_cmpint(qio_channel_read(dst, drain, 1, &error_abort), ==, 1);
    g_assert_cmpint(drain[0], ==, 'w');
    g_assert_cmpint(sigusr1_count, ==, 1);

    g_assert_cmpint(sigaction(SIGUSR1, &old, NULL), ==, 0);
    g_free(drain);
    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
}

/* ------------------------------------------------------------------ */
/* Shutdown, EPIPE, close                                              */

typedef struct ReaderThread {
    QIOChannel *ioc;
    pid_t tid;
    ssize_t ret;
} ReaderThread;

static gpointer blocked_reader(gpointer opaque)
{
    ReaderThread *rt = opaque;
    char c;

    g_atomic_int_set(&rt->tid, (pid_t)syscall(SYS_gettid));
    rt->ret = qio_channel_read(rt->ioc, &c, 1, &error_abort);
    return NULL;
}

static void run_shutdown_wakes_reader(QIOChannel *src, QIOChannel *dst)
{
    ReaderThread rt = { .ioc = dst, .ret = -42 };
    GThread *thread = g_thread_new("reader", blocked_reader, &rt);

    while (g_atomic_int_get(&rt.tid) == 0) {
        g_usleep(1000);
    }
    wait_thread_sleeping(rt.tid);
    qio_channel_shutdown(dst, QIO_CHANNEL_SHUTDOWN_READ, &error_abort);
    g_thread_join(thread);
    g_assert_cmpint(rt.ret, ==, 0);
    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
}

static void test_shutdown_wakes_reader(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    QIOChannel *src, *dst;

    setup_pair(addr, false, &src, &dst);
    run_shutdown_wakes_reader(src, dst);
    socket_test_channel_pair(&src, &dst);
    run_shutdown_wakes_reader(src, dst);
    qapi_free_SocketAddress(addr);
}

static void test_shutdown_write(void)
{
    QIOChannel *src, *dst;
    Error *err = NULL;
    char c;

    socket_test_channel_pair(&src, &dst);
    qio_channel_shutdown(src, QIO_CHANNEL_SHUTDOWN_WRITE, &error_abort);
    /* The peer sees end of file; the writer can no longer write. */
    g_assert_cmpint(qio_channel_read(dst, &c, 1, &error_abort), ==, 0);
    g_assert_cmpint(qio_channel_write(src, "x", 1, &err), ==, -1);
    qio_assert_error_contains(err, g_strerror(EPIPE));
    error_free(err);
    err = NULL;
    /* The other direction still works. */
    g_assert_cmpint(qio_channel_write(dst, "y", 1, &error_abort), ==, 1);
    g_assert_cmpint(qio_channel_read(src, &c, 1, &error_abort), ==, 1);
    g_assert_cmpint(c, ==, 'y');
    qio_channel_shutdown(src, QIO_CHANNEL_SHUTDOWN_BOTH, &error_abort);
    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
}

static volatile sig_atomic_t sigpipe_count;

static void sigpipe_handler(int sig)
{
    sigpipe_count++;
}

/* Writes until the kernel reports the peer gone; returns that error. */
static Error *write_until_error(QIOChannel *ioc)
{
    Error *err = NULL;
    int i;

    for (i = 0; i < 1000; i++) {
        ssize_t ret = qio_channel_write(ioc, "data", 4, &err);

        if (ret < 0) {
            g_assert_cmpint(ret, ==, -1);
            return err;
        }
        g_assert_cmpint(ret, ==, 4);
    }
    g_assert_not_reached();
}

static void test_epipe_no_sigpipe(void)
{
    struct sigaction sa = { .sa_handler = sigpipe_handler };
    struct sigaction old;
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    QIOChannel *src, *dst;
    Error *err;

    /*
     * A handler that counts, rather than SIG_IGN: were SIGPIPE raised,
     * the count would show it.
     */
    sigemptyset(&sa.sa_mask);
    g_assert_cmpint(sigaction(SIGPIPE, &sa, &old), ==, 0);
    sigpipe_count = 0;

    socket_test_channel_pair(&src, &dst);
    object_unref(OBJECT(dst));
    err = write_until_error(src);
    qio_assert_error_contains(err, "Unable to write to socket");
    qio_assert_error_contains(err, g_strerror(EPIPE));
    error_free(err);
    object_unref(OBJECT(src));

    /* TCP reports the reset first, then EPIPE for good. */
    setup_pair(addr, false, &src, &dst);
    object_unref(OBJECT(dst));
    err = write_until_error(src);
    if (strstr(error_get_pretty(err), g_strerror(ECONNRESET))) {
        error_free(err);
        err = write_until_error(src);
    }
    qio_assert_error_contains(err, g_strerror(EPIPE));
    error_free(err);
    object_unref(OBJECT(src));

    g_assert_cmpint(sigpipe_count, ==, 0);
    g_assert_cmpint(sigaction(SIGPIPE, &old, NULL), ==, 0);
    qapi_free_SocketAddress(addr);
}

static void test_close(void)
{
    QIOChannel *src, *dst;
    int fd;

    socket_test_channel_pair(&src, &dst);
    fd = sock_fd(src);
    g_assert_cmpint(qio_channel_close(src, &error_abort), ==, 0);
    g_assert_cmpint(sock_fd(src), ==, -1);
    g_assert_cmpint(fcntl(fd, F_GETFD), ==, -1);
    /* A second close is harmless, and so is unref after close. */
    g_assert_cmpint(qio_channel_close(src, &error_abort), ==, 0);
    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
}

static void test_delay_cork(void)
{
    SocketAddress *addr = socket_test_inet_addr_new("127.0.0.1", "0");
    QIOChannel *src, *dst;
    int fd;

    setup_pair(addr, false, &src, &dst);
    fd = sock_fd(dst);
    qio_channel_set_delay(dst, false);
    g_assert_cmpint(getsockopt_int(fd, IPPROTO_TCP, TCP_NODELAY), !=, 0);
    qio_channel_set_delay(dst, true);
    g_assert_cmpint(getsockopt_int(fd, IPPROTO_TCP, TCP_NODELAY), ==, 0);
    qio_channel_set_cork(dst, true);
    g_assert_cmpint(getsockopt_int(fd, IPPROTO_TCP, TCP_CORK), !=, 0);
    qio_channel_set_cork(dst, false);
    g_assert_cmpint(getsockopt_int(fd, IPPROTO_TCP, TCP_CORK), ==, 0);
    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
    qapi_free_SocketAddress(addr);
}

/* ------------------------------------------------------------------ */
/* Datagrams                                                           */

static void dgram_channel(QIOChannelSocket *ioc, SocketAddress *local,
                          SocketAddress *remote, bool async)
{
    if (async) {
        TaskResult res;

        task_result_init(&res);
        qio_channel_socket_dgram_async(ioc, local, remote, task_done, &res,
                                       NULL);
        task_wait(&res);
        qio_assert_no_error(res.err);
        task_result_clear(&res);
    } else {
        qio_channel_socket_dgram_sync(ioc, local, remote, &error_abort);
    }
}

static void run_dgram(bool async)
{
    SocketAddress *any = socket_test_inet_addr_new("127.0.0.1", "0");
    SocketAddress *discard = socket_test_inet_addr_new("127.0.0.1", "9");
    QIOChannelSocket *a = qio_channel_socket_new();
    QIOChannelSocket *b = qio_channel_socket_new();
    SocketAddress *a_local, *b_local, *peer;
    char buf[32];

    /* b first binds somewhere, a then binds and aims at b ... */
    dgram_channel(b, any, discard, async);
    b_local = qio_channel_socket_get_local_address(b, &error_abort);
    object_unref(OBJECT(b));
    dgram_channel(a, any, b_local, async);
    a_local = qio_channel_socket_get_local_address(a, &error_abort);
    /* ... and b comes back on the same port, aimed at a. */
    b = qio_channel_socket_new();
    dgram_channel(b, b_local, a_local, async);
    g_assert_cmpint(getsockopt_int(b->fd, SOL_SOCKET, SO_TYPE), ==, SOCK_DGRAM);

    peer = qio_channel_socket_get_remote_address(b, &error_abort);
    g_assert_cmpstr(peer->u.inet->port, ==, a_local->u.inet->port);
    qapi_free_SocketAddress(peer);

    g_assert_cmpint(qio_channel_write(QIO_CHANNEL(a), "hello", 5,
                                      &error_abort), ==, 5);
    g_assert_cmpint(qio_channel_write(QIO_CHANNEL(a), "world!", 6,
                                      &error_abort), ==, 6);
    /* One read, one datagram. */
    g_assert_cmpint(qio_channel_read(QIO_CHANNEL(b), buf, sizeof(buf),
                                     &error_abort), ==, 5);
    g_assert_cmpmem(buf, 5, "hello", 5);
    g_assert_cmpint(qio_channel_read(QIO_CHANNEL(b), buf, sizeof(buf),
                                     &error_abort), ==, 6);
    g_assert_cmpmem(buf, 6, "world!", 6);
    g_assert_cmpint(qio_channel_write(QIO_CHANNEL(b), "back", 4,
                                      &error_abort), ==, 4);
    g_assert_cmpint(qio_channel_read(QIO_CHANNEL(a), buf, sizeof(buf),
                                     &error_abort), ==, 4);
    g_assert_cmpmem(buf, 4, "back", 4);

    object_unref(OBJECT(a));
    object_unref(OBJECT(b));
    qapi_free_SocketAddress(a_local);
    qapi_free_SocketAddress(b_local);
    qapi_free_SocketAddress(any);
    qapi_free_SocketAddress(discard);
}

static void test_dgram_sync(void)
{
    run_dgram(false);
}

static void test_dgram_async(void)
{
    run_dgram(true);
}

/* ------------------------------------------------------------------ */
/* Who removes a UNIX socket path                                      */

static void test_unix_cleanup(void)
{
    char *dir = tmpdir_new();
    char *path = g_build_filename(dir, "listen.sock", NULL);
    SocketAddress *addr = socket_test_unix_addr_new(path);
    QIOChannelSocket *lioc, *lioc2, *cioc, *aioc, *adopted;
    int lfd;

    /* The listener that bound the path removes it when finalized ... */
    lioc = qio_channel_socket_new();
    qio_channel_socket_listen_sync(lioc, addr, &error_abort);
    g_assert_true(path_exists(path));
    cioc = qio_channel_socket_new();
    qio_channel_socket_connect_sync(cioc, addr, &error_abort);
    aioc = qio_channel_socket_accept(lioc, &error_abort);
    /* ... but neither a client nor an accepted connection does. */
    object_unref(OBJECT(cioc));
    object_unref(OBJECT(aioc));
    g_assert_true(path_exists(path));
    object_unref(OBJECT(lioc));
    g_assert_false(path_exists(path));

    /* Closing the listener removes it too. */
    lioc = qio_channel_socket_new();
    qio_channel_socket_listen_sync(lioc, addr, &error_abort);
    qio_channel_close(QIO_CHANNEL(lioc), &error_abort);
    g_assert_false(path_exists(path));
    object_unref(OBJECT(lioc));

    /* A listener adopted from an fd did not create the path. */
    lfd = socket_listen(addr, &error_abort);
    adopted = qio_channel_socket_new_fd(lfd, &error_abort);
    g_assert_true(qio_channel_has_feature(QIO_CHANNEL(adopted),
                                          QIO_CHANNEL_FEATURE_LISTEN));
    object_unref(OBJECT(adopted));
    g_assert_true(path_exists(path));
    g_assert_cmpint(unlink(path), ==, 0);

    /*
     * A path taken over by a newer listener belongs to that one: the
     * older listener going away must not remove it.
     */
    lioc = qio_channel_socket_new();
    qio_channel_socket_listen_sync(lioc, addr, &error_abort);
    lioc2 = qio_channel_socket_new();
    qio_channel_socket_listen_sync(lioc2, addr, &error_abort);
    object_unref(OBJECT(lioc));
    g_assert_true(path_exists(path));
    cioc = qio_channel_socket_new();
    qio_channel_socket_connect_sync(cioc, addr, &error_abort);
    aioc = qio_channel_socket_accept(lioc2, &error_abort);
    object_unref(OBJECT(aioc));
    object_unref(OBJECT(cioc));
    object_unref(OBJECT(lioc2));
    g_assert_false(path_exists(path));

    qapi_free_SocketAddress(addr);
    g_free(path);
    tmpdir_free(dir);
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);

    qio_test_add_func("/io/channel/socket/ipv4-sync", test_ipv4_sync);
    qio_test_add_func("/io/channel/socket/ipv4-async", test_ipv4_async);
    qio_test_add_func("/io/channel/socket/ipv6-sync", test_ipv6_sync);
    qio_test_add_func("/io/channel/socket/ipv6-async", test_ipv6_async);
    qio_test_add_func("/io/channel/socket/unix-sync", test_unix_sync);
    qio_test_add_func("/io/channel/socket/unix-async", test_unix_async);
    qio_test_add_func("/io/channel/socket/listen-port0", test_listen_port0);
    qio_test_add_func("/io/channel/socket/accept/addresses-inet",
                      test_accept_addresses_inet);
    qio_test_add_func("/io/channel/socket/accept/addresses-unix",
                      test_accept_addresses_unix);
    qio_test_add_func("/io/channel/socket/accept/errors",
                      test_accept_errors);
    qio_test_add_func("/io/channel/socket/accept/eintr", test_accept_eintr);
    qio_test_add_func("/io/channel/socket/accept/watch", test_accept_watch);
    qio_test_add_func("/io/channel/socket/connect-errors",
                      test_connect_errors);
    qio_test_add_func("/io/channel/socket/new-fd", test_new_fd);
    qio_test_add_func("/io/channel/socket/fd-pass/basic", test_fd_pass);
    qio_test_add_func("/io/channel/socket/fd-pass/too-many",
                      test_fd_pass_too_many);
    qio_test_add_func("/io/channel/socket/fd-pass/truncated",
                      test_fd_pass_truncated);
    qio_test_add_func("/io/channel/socket/fd-pass/no-data",
                      test_fd_pass_no_data);
    qio_test_add_func("/io/channel/socket/fd-pass/null-array",
                      test_fd_pass_null_array);
    qio_test_add_func("/io/channel/socket/fd-pass/unwanted",
                      test_fd_pass_unwanted);
    qio_test_add_func("/io/channel/socket/eintr/readv", test_readv_eintr);
    qio_test_add_func("/io/channel/socket/eintr/writev", test_writev_eintr);
    qio_test_add_func("/io/channel/socket/fd-pass/unsupported",
                      test_fd_pass_unsupported);
    qio_test_add_func("/io/channel/socket/shutdown/wakes-reader",
                      test_shutdown_wakes_reader);
    qio_test_add_func("/io/channel/socket/shutdown/write",
                      test_shutdown_write);
    qio_test_add_func("/io/channel/socket/epipe", test_epipe_no_sigpipe);
    qio_test_add_func("/io/channel/socket/close", test_close);
    qio_test_add_func("/io/channel/socket/delay-cork", test_delay_cork);
    qio_test_add_func("/io/channel/socket/dgram-sync", test_dgram_sync);
    qio_test_add_func("/io/channel/socket/dgram-async", test_dgram_async);
    qio_test_add_func("/io/channel/socket/unix-cleanup", test_unix_cleanup);

    return g_test_run();
}
