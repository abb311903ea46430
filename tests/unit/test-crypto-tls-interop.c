/*
 * Interoperability of QIOChannelTLS with TLS implementations this project
 * did not write: a libqio client exchanges data with gnutls-serv and
 * openssl s_server, and a libqio server accepts gnutls-cli and openssl
 * s_client, each with x509 certificates verified in both directions and
 * with pre-shared keys.  Everything runs over 127.0.0.1 on ports picked
 * at run time; every wait is bounded, and the peer processes are killed
 * (if still running) and reaped at the end of each case.  gnutls-serv has
 * no option to bind one address, so it listens on the wildcard address
 * for the few seconds a case lasts; only loopback connections are made.
 *
 * The peers come from the Debian packages gnutls-bin and openssl.  They
 * are required: without them the cases fail.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"

#include "crypto-tls-x509-helpers.h"
#include "qio-test.h"
#include "socket-helpers.h"
#include "tls-test-creds.h"

#ifdef QCRYPTO_HAVE_TLS_TEST_SUPPORT

#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "crypto/init.h"
#include "crypto/tlscredspsk.h"
#include "crypto/tlscredsx509.h"
#include "io/channel-socket.h"
#include "io/channel-tls.h"
#include "qom/object_interfaces.h"

#define TEST_HOSTNAME "localhost"
#define TEST_CLIENT_DN "C=UK,CN=qemu"
#define TEST_PSK_USER "qemu"
#define TEST_PSK_KEY "3a9f0c1e5b7d2468ace013579bdf2468"
#define TEST_PSK_PRIORITY "NORMAL:+ECDHE-PSK:+DHE-PSK:+PSK"

/* Bound on every wait for a peer; a healthy case takes milliseconds. */
#define TEST_TIMEOUT_MS 15000

static char *workdir;
static char *server_dir;
static char *client_dir;
static char *psk_dir;
static char *keyfile;

typedef enum {
    TEST_X509,
    TEST_PSK,
} TestCredsKind;

/* A peer process with its standard streams. */
typedef struct TestPeer {
    GPid pid;
    bool running;
    int in_fd;
    int out_fd;
    int err_fd;
    GString *out;
    GString *err;
} TestPeer;

static void test_peer_child_setup(gpointer opaque)
{
    /* Never outlive the test program, even if it crashes. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* Finds a peer program, failing the case when it is not installed. */
static char *test_find_program(const char *name, const char *package)
{
    char *path = g_find_program_in_path(name);

    if (!path) {
        g_test_message("%s not found: install the Debian package %s "
                       "(apt-get install %s)", name, package, package);
        g_test_fail();
    }
    return path;
}

static void test_peer_spawn(TestPeer *peer, char **argv)
{
    GError *gerr = NULL;
    gchar *cmd = g_strjoinv(" ", argv);

    memset(peer, 0, sizeof(*peer));
    g_test_message("running %s", cmd);
    g_free(cmd);
    if (!g_spawn_async_with_pipes(NULL, argv, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD,
                                  test_peer_child_setup, NULL, &peer->pid,
                                  &peer->in_fd, &peer->out_fd,
                                  &peer->err_fd, &gerr)) {
        g_error("cannot run %s: %s", argv[0], gerr->message);
    }
    peer->running = true;
    peer->out = g_string_new(NULL);
    peer->err = g_string_new(NULL);
    qemu_set_nonblock(peer->out_fd);
    qemu_set_nonblock(peer->err_fd);
}

/* Moves whatever the peer printed into peer->out / peer->err. */
static bool test_peer_drain(int *fd, GString *into)
{
    char buf[4096];

    while (*fd >= 0) {
        ssize_t n = read(*fd, buf, sizeof(buf));

        if (n > 0) {
            g_string_append_len(into, buf, n);
        } else if (n == 0) {
            close(*fd);
            *fd = -1;
        } else if (errno == EINTR) {
            continue;
        } else {
            return errno == EAGAIN;
        }
    }
    return false;
}

/*
 * Waits until the peer's standard output or error contains @needle (the
 * tools differ in which stream they report on).  Returns false when the
 * peer closed both streams first or the timeout passed.
 */
static bool test_peer_wait_output(TestPeer *peer, const char *needle)
{
    gint64 deadline = g_get_monotonic_time() + TEST_TIMEOUT_MS * 1000LL;

    for (;;) {
        struct pollfd pfd[2];
        int n = 0;
        gint64 now;

        test_peer_drain(&peer->out_fd, peer->out);
        test_peer_drain(&peer->err_fd, peer->err);
        if (strstr(peer->out->str, needle) || strstr(peer->err->str, needle)) {
            return true;
        }
        now = g_get_monotonic_time();
        if ((peer->out_fd < 0 && peer->err_fd < 0) || now >= deadline) {
            return false;
        }
        if (peer->out_fd >= 0) {
            pfd[n].fd = peer->out_fd;
            pfd[n++].events = POLLIN;
        }
        if (peer->err_fd >= 0) {
            pfd[n].fd = peer->err_fd;
            pfd[n++].events = POLLIN;
        }
        poll(pfd, n, (deadline - now) / 1000 + 1);
    }
}

/* Waits for the peer to exit on its own; returns its wait status. */
static bool test_peer_wait_exit(TestPeer *peer, int *status)
{
    gint64 deadline = g_get_monotonic_time() + TEST_TIMEOUT_MS * 1000LL;

    while (peer->running) {
        pid_t pid = waitpid(peer->pid, status, WNOHANG);

        if (pid == peer->pid) {
            peer->running = false;
            break;
        }
        g_assert_cmpint(pid, ==, 0);
        if (g_get_monotonic_time() >= deadline) {
            return false;
        }
        test_peer_drain(&peer->out_fd, peer->out);
        test_peer_drain(&peer->err_fd, peer->err);
        g_usleep(10 * 1000);
    }
    return true;
}

static void test_peer_close_stdin(TestPeer *peer)
{
    if (peer->in_fd >= 0) {
        close(peer->in_fd);
        peer->in_fd = -1;
    }
}

/* Kills the peer if it still runs, reaps it and closes its pipes. */
static void test_peer_stop(TestPeer *peer)
{
    int status;

    test_peer_close_stdin(peer);
    if (peer->running) {
        kill(peer->pid, SIGKILL);
        g_assert_cmpint(waitpid(peer->pid, &status, 0), ==, peer->pid);
        peer->running = false;
    }
    g_spawn_close_pid(peer->pid);
    test_peer_drain(&peer->out_fd, peer->out);
    test_peer_drain(&peer->err_fd, peer->err);
    if (peer->out_fd >= 0) {
        close(peer->out_fd);
    }
    if (peer->err_fd >= 0) {
        close(peer->err_fd);
    }
    if (g_test_failed()) {
        g_test_message("peer stdout:\n%s", peer->out->str);
        g_test_message("peer stderr:\n%s", peer->err->str);
    }
    g_string_free(peer->out, TRUE);
    g_string_free(peer->err, TRUE);
}

/* A TCP port on 127.0.0.1 that was free a moment ago. */
static int test_free_port(void)
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int port;

    g_assert_cmpint(fd, >=, 0);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
    port = ntohs(sin.sin_port);
    close(fd);
    return port;
}

/* Blocking I/O on the socket gives up instead of hanging on a peer. */
static void test_socket_timeouts(QIOChannelSocket *sioc)
{
    struct timeval tv = {
        .tv_sec = TEST_TIMEOUT_MS / 1000,
    };

    g_assert_cmpint(setsockopt(sioc->fd, SOL_SOCKET, SO_RCVTIMEO,
                               &tv, sizeof(tv)), ==, 0);
    g_assert_cmpint(setsockopt(sioc->fd, SOL_SOCKET, SO_SNDTIMEO,
                               &tv, sizeof(tv)), ==, 0);
}

static QCryptoTLSCreds *test_creds(TestCredsKind kind, bool server)
{
    Error *err = NULL;
    Object *obj;

    if (kind == TEST_X509) {
        obj = object_new_with_props(TYPE_QCRYPTO_TLS_CREDS_X509,
                                    object_get_objects_root(), "tlscreds",
                                    &err,
                                    "endpoint", server ? "server" : "client",
                                    "dir", server ? server_dir : client_dir,
                                    "verify-peer", "yes", NULL);
    } else {
        obj = object_new_with_props(TYPE_QCRYPTO_TLS_CREDS_PSK,
                                    object_get_objects_root(), "tlscreds",
                                    &err,
                                    "endpoint", server ? "server" : "client",
                                    "dir", psk_dir,
                                    "username", TEST_PSK_USER, NULL);
    }
    qio_assert_no_error(err);
    return QCRYPTO_TLS_CREDS(obj);
}

typedef struct TestHandshake {
    bool finished;
    Error *err;
} TestHandshake;

static void test_handshake_done(Object *source, Error *err, gpointer opaque)
{
    TestHandshake *hs = opaque;

    hs->finished = true;
    hs->err = err ? error_copy(err) : NULL;
}

static gboolean test_handshake_timeout(gpointer opaque)
{
    bool *expired = opaque;

    *expired = true;
    return G_SOURCE_REMOVE;
}

/* Runs the handshake of @tioc in the default main loop, bounded. */
static bool test_handshake(QIOChannelTLS *tioc)
{
    TestHandshake hs = { false, NULL };
    bool expired = false;
    guint guard = g_timeout_add(TEST_TIMEOUT_MS, test_handshake_timeout,
                                &expired);

    qio_channel_tls_handshake(tioc, test_handshake_done, &hs, NULL);
    while (!hs.finished && !expired) {
        g_main_context_iteration(NULL, TRUE);
    }
    if (!hs.finished) {
        /* Cancelling runs the callback, so no watch stays behind. */
        qio_channel_close(QIO_CHANNEL(tioc), NULL);
        g_test_message("TLS handshake timed out");
        g_test_fail();
        error_free(hs.err);
        return false;
    }
    g_source_remove(guard);
    if (hs.err) {
        g_test_message("TLS handshake failed: %s",
                       error_get_pretty(hs.err));
        g_test_fail();
        error_free(hs.err);
        return false;
    }
    return true;
}

/* Reads from a blocking channel until a newline; false on EOF/error. */
static bool test_read_line(QIOChannel *ioc, GString *line)
{
    for (;;) {
        char c;
        Error *err = NULL;
        ssize_t n = qio_channel_read(ioc, &c, 1, &err);

        if (n == 1) {
            g_string_append_c(line, c);
            if (c == '\n') {
                return true;
            }
            continue;
        }
        if (n < 0) {
            g_test_message("read failed: %s",
                           err ? error_get_pretty(err) : "timed out");
            error_free(err);
        }
        return false;
    }
}

static void test_write_str(QIOChannel *ioc, const char *str)
{
    size_t len = strlen(str);

    while (len) {
        ssize_t n = qio_channel_write(ioc, str, len, &error_abort);

        g_assert_cmpint(n, >, 0);
        str += n;
        len -= n;
    }
}

/*
 * Starts a server peer, retrying on another port when the one picked
 * was taken in the meantime.  @make_argv fills the command for a port.
 */
typedef char **(*TestServerArgv)(TestCredsKind kind, int port);

static bool test_start_server(TestPeer *peer, TestServerArgv make_argv,
                              TestCredsKind kind, const char *ready,
                              int *port)
{
    int attempt;

    for (attempt = 0; attempt < 5; attempt++) {
        char **argv;

        *port = test_free_port();
        argv = make_argv(kind, *port);
        if (!argv) {
            return false;
        }
        test_peer_spawn(peer, argv);
        g_strfreev(argv);
        if (test_peer_wait_output(peer, ready)) {
            return true;
        }
        /* A server that exited most likely lost the race for its port. */
        if (peer->out_fd >= 0 || peer->err_fd >= 0) {
            test_peer_stop(peer);
            break;
        }
        test_peer_stop(peer);
    }
    g_test_message("the TLS server did not start");
    g_test_fail();
    return false;
}

static char *test_path(const char *dir, const char *name)
{
    return g_build_filename(dir, name, NULL);
}

/*
 * A peer's command line is built in a GPtrArray: test_argv_new() starts
 * it with the program (NULL, and the test failed, when it is missing),
 * test_argv_add() appends copies of its NULL-terminated arguments, and
 * test_argv_end() turns it into a NULL-terminated vector.
 */
static GPtrArray *test_argv_new(const char *name, const char *package)
{
    char *prog = test_find_program(name, package);
    GPtrArray *argv;

    if (!prog) {
        return NULL;
    }
    argv = g_ptr_array_new();
    g_ptr_array_add(argv, prog);
    return argv;
}

static void G_GNUC_NULL_TERMINATED test_argv_add(GPtrArray *argv, ...)
{
    va_list ap;
    const char *arg;

    va_start(ap, argv);
    while ((arg = va_arg(ap, const char *)) != NULL) {
        g_ptr_array_add(argv, g_strdup(arg));
    }
    va_end(ap);
}

static char **test_argv_end(GPtrArray *argv)
{
    g_ptr_array_add(argv, NULL);
    return (char **)g_ptr_array_free(argv, FALSE);
}

/* gnutls-serv/gnutls-cli options for the CA, certificate and key in @dir */
static void test_gnutls_x509_args(GPtrArray *argv, const char *dir,
                                  const char *certname, const char *keyname)
{
    g_ptr_array_add(argv, g_strdup_printf(
        "--x509cafile=%s/" QCRYPTO_TLS_CREDS_X509_CA_CERT, dir));
    g_ptr_array_add(argv, g_strdup_printf("--x509certfile=%s/%s",
                                          dir, certname));
    g_ptr_array_add(argv, g_strdup_printf("--x509keyfile=%s/%s",
                                          dir, keyname));
}

/* openssl s_server/s_client options for the same */
static void test_openssl_x509_args(GPtrArray *argv, const char *dir,
                                   const char *certname, const char *keyname)
{
    g_ptr_array_add(argv, g_strdup("-cert"));
    g_ptr_array_add(argv, test_path(dir, certname));
    g_ptr_array_add(argv, g_strdup("-key"));
    g_ptr_array_add(argv, test_path(dir, keyname));
    g_ptr_array_add(argv, g_strdup("-CAfile"));
    g_ptr_array_add(argv, test_path(dir, QCRYPTO_TLS_CREDS_X509_CA_CERT));
}

static char **test_gnutls_serv_argv(TestCredsKind kind, int port)
{
    GPtrArray *argv = test_argv_new("gnutls-serv", "gnutls-bin");

    if (!argv) {
        return NULL;
    }
    g_ptr_array_add(argv, g_strdup_printf("--port=%d", port));
    test_argv_add(argv, "--echo", NULL);
    if (kind == TEST_X509) {
        test_gnutls_x509_args(argv, server_dir,
                              QCRYPTO_TLS_CREDS_X509_SERVER_CERT,
                              QCRYPTO_TLS_CREDS_X509_SERVER_KEY);
        test_argv_add(argv, "--require-client-cert", "--verify-client-cert",
                      NULL);
    } else {
        g_ptr_array_add(argv, g_strdup_printf(
            "--pskpasswd=%s/" QCRYPTO_TLS_CREDS_PSKFILE, psk_dir));
        test_argv_add(argv, "--priority=" TEST_PSK_PRIORITY, NULL);
    }
    return test_argv_end(argv);
}

static char **test_openssl_server_argv(TestCredsKind kind, int port)
{
    GPtrArray *argv = test_argv_new("openssl", "openssl");

    if (!argv) {
        return NULL;
    }
    test_argv_add(argv, "s_server", "-accept", NULL);
    g_ptr_array_add(argv, g_strdup_printf("127.0.0.1:%d", port));
    /* Replies to each line with the line reversed. */
    test_argv_add(argv, "-naccept", "1", "-rev", NULL);
    if (kind == TEST_X509) {
        test_openssl_x509_args(argv, server_dir,
                               QCRYPTO_TLS_CREDS_X509_SERVER_CERT,
                               QCRYPTO_TLS_CREDS_X509_SERVER_KEY);
        /* Demand a client certificate and reject an unverifiable one. */
        test_argv_add(argv, "-Verify", "1", "-verify_return_error", NULL);
    } else {
        test_argv_add(argv, "-nocert", "-psk", TEST_PSK_KEY,
                      "-psk_identity", TEST_PSK_USER, NULL);
    }
    return test_argv_end(argv);
}

/*
 * A libqio client talks to a server peer: it sends a line and expects
 * @expect back, then ends the session with close_notify.
 */
static void test_client_to(TestServerArgv make_argv, const char *ready,
                           TestCredsKind kind, const char *expect)
{
    TestPeer peer;
    QCryptoTLSCreds *creds;
    QIOChannelSocket *sioc;
    QIOChannelTLS *tioc;
    SocketAddress *addr;
    GString *line;
    char *portstr;
    int port;

    if (!test_start_server(&peer, make_argv, kind, ready, &port)) {
        return;
    }

    creds = test_creds(kind, false);
    sioc = qio_channel_socket_new();
    portstr = g_strdup_printf("%d", port);
    addr = socket_test_inet_addr_new("127.0.0.1", portstr);
    qio_channel_socket_connect_sync(sioc, addr, &error_abort);
    qapi_free_SocketAddress(addr);
    g_free(portstr);
    test_socket_timeouts(sioc);
    qio_channel_set_blocking(QIO_CHANNEL(sioc), false, &error_abort);

    tioc = qio_channel_tls_new_client(QIO_CHANNEL(sioc), creds,
                                      kind == TEST_X509 ? TEST_HOSTNAME :
                                      NULL, &error_abort);
    if (test_handshake(tioc)) {
        line = g_string_new(NULL);
        qio_channel_set_blocking(QIO_CHANNEL(tioc), true, &error_abort);
        test_write_str(QIO_CHANNEL(tioc), "hello from libqio\n");
        g_assert_true(test_read_line(QIO_CHANNEL(tioc), line));
        g_assert_cmpstr(line->str, ==, expect);
        g_string_free(line, TRUE);
        g_assert_cmpint(qio_channel_tls_bye(tioc, &error_abort), ==, 0);
        if (kind == TEST_X509) {
            g_assert_cmpint(qcrypto_tls_session_get_key_size(
                                qio_channel_tls_get_session(tioc),
                                &error_abort), >=, 16);
        }
    }
    qio_channel_close(QIO_CHANNEL(tioc), &error_abort);
    object_unref(OBJECT(tioc));
    object_unref(OBJECT(sioc));
    object_unparent(OBJECT(creds));
    test_peer_stop(&peer);
}

static void test_client_gnutls_x509(void)
{
    test_client_to(test_gnutls_serv_argv, "...done", TEST_X509,
                   "hello from libqio\n");
}

static void test_client_gnutls_psk(void)
{
    test_client_to(test_gnutls_serv_argv, "...done", TEST_PSK,
                   "hello from libqio\n");
}

static void test_client_openssl_x509(void)
{
    test_client_to(test_openssl_server_argv, "ACCEPT", TEST_X509,
                   "oiqbil morf olleh\n");
}

static void test_client_openssl_psk(void)
{
    test_client_to(test_openssl_server_argv, "ACCEPT", TEST_PSK,
                   "oiqbil morf olleh\n");
}

static char **test_gnutls_cli_argv(TestCredsKind kind, int port)
{
    GPtrArray *argv = test_argv_new("gnutls-cli", "gnutls-bin");

    if (!argv) {
        return NULL;
    }
    g_ptr_array_add(argv, g_strdup_printf("--port=%d", port));
    if (kind == TEST_X509) {
        test_gnutls_x509_args(argv, client_dir,
                              QCRYPTO_TLS_CREDS_X509_CLIENT_CERT,
                              QCRYPTO_TLS_CREDS_X509_CLIENT_KEY);
        test_argv_add(argv, "--verify-hostname=" TEST_HOSTNAME, NULL);
    } else {
        test_argv_add(argv, "--pskusername=" TEST_PSK_USER,
                      "--pskkey=" TEST_PSK_KEY,
                      "--priority=" TEST_PSK_PRIORITY, NULL);
    }
    test_argv_add(argv, "127.0.0.1", NULL);
    return test_argv_end(argv);
}

static char **test_openssl_client_argv(TestCredsKind kind, int port)
{
    GPtrArray *argv = test_argv_new("openssl", "openssl");

    if (!argv) {
        return NULL;
    }
    test_argv_add(argv, "s_client", "-connect", NULL);
    g_ptr_array_add(argv, g_strdup_printf("127.0.0.1:%d", port));
    /* Quiet, but still end the session when stdin closes. */
    test_argv_add(argv, "-quiet", "-no_ign_eof", NULL);
    if (kind == TEST_X509) {
        test_openssl_x509_args(argv, client_dir,
                               QCRYPTO_TLS_CREDS_X509_CLIENT_CERT,
                               QCRYPTO_TLS_CREDS_X509_CLIENT_KEY);
        test_argv_add(argv, "-verify_return_error",
                      "-verify_hostname", TEST_HOSTNAME, NULL);
    } else {
        test_argv_add(argv, "-psk", TEST_PSK_KEY,
                      "-psk_identity", TEST_PSK_USER, NULL);
    }
    return test_argv_end(argv);
}

/* Waits (bounded) for a connection on the listening socket. */
static QIOChannelSocket *test_accept(QIOChannelSocket *lioc)
{
    struct pollfd pfd = { .fd = lioc->fd, .events = POLLIN };

    if (poll(&pfd, 1, TEST_TIMEOUT_MS) != 1) {
        g_test_message("no connection from the TLS client");
        g_test_fail();
        return NULL;
    }
    return qio_channel_socket_accept(lioc, &error_abort);
}

/*
 * A client peer connects to a libqio server.  The server greets it, reads
 * the line the peer sends from its standard input, and checks that the
 * peer printed the greeting.  Closing the peer's input then makes it end
 * the session, which the server must see as a clean end of file.
 */
static void test_server_for(TestServerArgv make_argv, TestCredsKind kind,
                            const char *peername)
{
    static const char greeting[] = "greetings from the libqio server\n";
    static const char hello[] = "hello from the peer\n";
    TestPeer peer;
    QCryptoTLSCreds *creds;
    QIOChannelSocket *lioc, *sioc;
    QIOChannelTLS *tioc;
    SocketAddress *addr, *local;
    char **argv;
    char *name;
    int status;

    lioc = qio_channel_socket_new();
    addr = socket_test_inet_addr_new("127.0.0.1", "0");
    qio_channel_socket_listen_sync(lioc, addr, &error_abort);
    qapi_free_SocketAddress(addr);
    local = qio_channel_socket_get_local_address(lioc, &error_abort);

    argv = make_argv(kind, atoi(local->u.inet->port));
    qapi_free_SocketAddress(local);
    if (!argv) {
        object_unref(OBJECT(lioc));
        return;
    }
    test_peer_spawn(&peer, argv);
    g_strfreev(argv);

    sioc = test_accept(lioc);
    object_unref(OBJECT(lioc));
    if (!sioc) {
        test_peer_stop(&peer);
        return;
    }
    test_socket_timeouts(sioc);
    qio_channel_set_blocking(QIO_CHANNEL(sioc), false, &error_abort);

    creds = test_creds(kind, true);
    tioc = qio_channel_tls_new_server(QIO_CHANNEL(sioc), creds, NULL,
                                      &error_abort);
    if (test_handshake(tioc)) {
        GString *line = g_string_new(NULL);
        char c;

        name = qcrypto_tls_session_get_peer_name(
            qio_channel_tls_get_session(tioc));
        g_assert_cmpstr(name, ==, peername);
        g_free(name);

        qio_channel_set_blocking(QIO_CHANNEL(tioc), true, &error_abort);
        test_write_str(QIO_CHANNEL(tioc), greeting);
        g_assert_cmpint(write(peer.in_fd, hello, strlen(hello)), ==,
                        strlen(hello));
        g_assert_true(test_read_line(QIO_CHANNEL(tioc), line));
        g_assert_cmpstr(line->str, ==, hello);
        g_string_free(line, TRUE);
        g_assert_true(test_peer_wait_output(&peer, greeting));

        test_peer_close_stdin(&peer);
        g_assert_cmpint(qio_channel_read(QIO_CHANNEL(tioc), &c, 1,
                                         &error_abort), ==, 0);
        g_assert_cmpint(qio_channel_tls_bye(tioc, &error_abort), ==, 0);
        qio_channel_close(QIO_CHANNEL(tioc), &error_abort);
        g_assert_true(test_peer_wait_exit(&peer, &status));
        g_assert_true(WIFEXITED(status));
        g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    } else {
        qio_channel_close(QIO_CHANNEL(tioc), NULL);
    }
    object_unref(OBJECT(tioc));
    object_unref(OBJECT(sioc));
    object_unparent(OBJECT(creds));
    test_peer_stop(&peer);
}

static void test_server_gnutls_x509(void)
{
    test_server_for(test_gnutls_cli_argv, TEST_X509, TEST_CLIENT_DN);
}

static void test_server_gnutls_psk(void)
{
    test_server_for(test_gnutls_cli_argv, TEST_PSK, TEST_PSK_USER);
}

static void test_server_openssl_x509(void)
{
    test_server_for(test_openssl_client_argv, TEST_X509, TEST_CLIENT_DN);
}

static void test_server_openssl_psk(void)
{
    test_server_for(test_openssl_client_argv, TEST_PSK, TEST_PSK_USER);
}

int main(int argc, char **argv)
{
    TLSTestX509Dirs x509;
    char *pskfile;
    int ret;

    qio_test_init(&argc, &argv);
    g_assert_cmpint(qcrypto_init(NULL), ==, 0);
    /* A peer that dies must not kill us while we write to it. */
    signal(SIGPIPE, SIG_IGN);

    workdir = g_strdup("test-crypto-tls-interop-XXXXXX");
    g_assert_nonnull(g_mkdtemp(workdir));
    server_dir = tls_test_subdir(workdir, "server");
    client_dir = tls_test_subdir(workdir, "client");
    psk_dir = tls_test_subdir(workdir, "psk");
    keyfile = g_build_filename(workdir, "key.pem", NULL);

    test_tls_init(keyfile);
    tls_test_x509_dirs_init(&x509, keyfile, server_dir, client_dir,
                            "libqio interop CA", TEST_HOSTNAME,
                            TEST_HOSTNAME, "127.0.0.1");
    pskfile = test_path(psk_dir, QCRYPTO_TLS_CREDS_PSKFILE);
    g_assert_true(g_file_set_contents(pskfile,
                                      TEST_PSK_USER ":" TEST_PSK_KEY "\n",
                                      -1, NULL));

    qio_test_add_func("/crypto/tls/interop/client/gnutls-serv/x509",
                      test_client_gnutls_x509);
    qio_test_add_func("/crypto/tls/interop/client/gnutls-serv/psk",
                      test_client_gnutls_psk);
    qio_test_add_func("/crypto/tls/interop/client/openssl-s_server/x509",
                      test_client_openssl_x509);
    qio_test_add_func("/crypto/tls/interop/client/openssl-s_server/psk",
                      test_client_openssl_psk);
    qio_test_add_func("/crypto/tls/interop/server/gnutls-cli/x509",
                      test_server_gnutls_x509);
    qio_test_add_func("/crypto/tls/interop/server/gnutls-cli/psk",
                      test_server_gnutls_psk);
    qio_test_add_func("/crypto/tls/interop/server/openssl-s_client/x509",
                      test_server_openssl_x509);
    qio_test_add_func("/crypto/tls/interop/server/openssl-s_client/psk",
                      test_server_openssl_psk);

    ret = g_test_run();

    unlink(pskfile);
    tls_test_x509_dirs_cleanup(&x509);
    test_tls_cleanup(keyfile);
    rmdir(server_dir);
    rmdir(client_dir);
    rmdir(psk_dir);
    rmdir(workdir);

    g_free(pskfile);
    g_free(server_dir);
    g_free(client_dir);
    g_free(psk_dir);
    g_free(keyfile);
    g_free(workdir);
    return ret;
}

#else /* !QCRYPTO_HAVE_TLS_TEST_SUPPORT */

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    g_test_message("certificates cannot be generated on this host");
    return 1;
}

#endif /* !QCRYPTO_HAVE_TLS_TEST_SUPPORT */
