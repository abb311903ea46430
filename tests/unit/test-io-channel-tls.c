/*
 * Tests of QIOChannelTLS over a non-blocking socketpair (TCP loopback
 * where socket options matter): handshakes with x509, anonymous and PSK
 * credentials driven by the default main loop, bulk transfers in blocking
 * and non-blocking mode, failed handshakes, peers going away or channels
 * being dropped or closed mid-handshake, empty writes, watches that must
 * see data buffered inside GnuTLS, and clean versus premature end of the
 * session.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"

#include "crypto-tls-x509-helpers.h"
#include "qio-test.h"
#include "scratch-dir.h"
#include "socket-helpers.h"
#include "tls-test-creds.h"

#ifdef QCRYPTO_HAVE_TLS_TEST_SUPPORT

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "crypto/init.h"
#include "crypto/tlscredsanon.h"
#include "crypto/tlscredspsk.h"
#include "crypto/tlscredsx509.h"
#include "io/channel-socket.h"
#include "io/channel-tls.h"
#include "io-channel-helpers.h"
#include "qemu/acl.h"
#include "qom/object_interfaces.h"

#define TEST_HOSTNAME "qemu.org"
#define TEST_CLIENT_DN "C=UK,CN=qemu"
#define TEST_ACL "channeltlsacl"
#define TEST_PSK_USER "qemu"
#define TEST_PSK_KEY "9d4e3a7c21f0b58e6a1d2c3b4f5e6d7c"
#define TEST_PSK_OTHER_KEY "00112233445566778899aabbccddeeff"

/* Upper bound for anything the main loop waits for; never reached. */
#define TEST_TIMEOUT_SECONDS 20

/* Scratch directory with the credential directories, made by main(). */
static char *workdir;
static char *x509_server_dir;
static char *x509_client_dir;
static char *psk_dir;
static char *psk_bad_dir;
static char *x509_nocert_dir;
static char *keyfile;

/* Outcome of one handshake task. */
typedef struct TestHandshake {
    bool finished;
    Error *err;
} TestHandshake;

static void test_handshake_done(Object *source, Error *err, gpointer opaque)
{
    TestHandshake *hs = opaque;

    g_assert_false(hs->finished);
    hs->finished = true;
    hs->err = err ? error_copy(err) : NULL;
}

static gboolean test_timeout(gpointer opaque)
{
    g_error("timed out waiting for %s", (const char *)opaque);
    return G_SOURCE_REMOVE;
}

/*
 * Iterates the default main context until *a and *b (b may be NULL) are
 * both true.  The guard only exists so that a broken build fails rather
 * than hangs.
 */
static void test_wait_for(bool *a, bool *b, const char *what)
{
    guint guard = g_timeout_add_seconds(TEST_TIMEOUT_SECONDS, test_timeout,
                                        (gpointer)what);

    while (!*a || (b && !*b)) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_source_remove(guard);
}

/* Iterates the default main context until *a or *b is true. */
static void test_wait_for_either(bool *a, bool *b)
{
    guint guard = g_timeout_add_seconds(TEST_TIMEOUT_SECONDS, test_timeout,
                                        (gpointer)"a handshake");

    while (!*a && !*b) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_source_remove(guard);
}

/* Iterates the default main context until a watch stored its condition. */
static void test_wait_for_cond(GIOCondition *got, const char *what)
{
    guint guard = g_timeout_add_seconds(TEST_TIMEOUT_SECONDS, test_timeout,
                                        (gpointer)what);

    while (!*got) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_source_remove(guard);
}

/* A connected pair of non-blocking socket channels. */
static void test_socket_pair(QIOChannel **a, QIOChannel **b)
{
    socket_test_channel_pair(a, b);
    qio_channel_set_blocking(*a, false, &error_abort);
    qio_channel_set_blocking(*b, false, &error_abort);
}

/*
 * The same over TCP on the loopback interface, for the socket options
 * (delay, cork) that only TCP has: *a connected, *b accepted.
 */
static void test_tcp_pair(QIOChannel **a, QIOChannel **b)
{
    QIOChannelSocket *lsock = qio_channel_socket_new();
    QIOChannelSocket *csock = qio_channel_socket_new();
    SocketAddress *laddr = socket_test_inet_addr_new("127.0.0.1", "0");
    SocketAddress *caddr;

    g_assert_cmpint(qio_channel_socket_listen_sync(lsock, laddr,
                                                   &error_abort), ==, 0);
    caddr = qio_channel_socket_get_local_address(lsock, &error_abort);
    g_assert_cmpint(qio_channel_socket_connect_sync(csock, caddr,
                                                    &error_abort), ==, 0);
    *a = QIO_CHANNEL(csock);
    *b = QIO_CHANNEL(qio_channel_socket_accept(lsock, &error_abort));
    g_assert_nonnull(*b);
    qio_channel_set_blocking(*a, false, &error_abort);
    qio_channel_set_blocking(*b, false, &error_abort);
    qapi_free_SocketAddress(laddr);
    qapi_free_SocketAddress(caddr);
    object_unref(OBJECT(lsock));
}

static QCryptoTLSCreds *test_creds(const char *type, const char *id,
                                   const char *endpoint, const char *dir,
                                   const char *username)
{
    Error *err = NULL;
    Object *obj;

    if (username) {
        obj = object_new_with_props(type, object_get_objects_root(), id,
                                    &err, "endpoint", endpoint,
                                    "dir", dir, "username", username,
                                    NULL);
    } else if (dir) {
        obj = object_new_with_props(type, object_get_objects_root(), id,
                                    &err, "endpoint", endpoint,
                                    "dir", dir, "verify-peer", "yes",
                                    NULL);
    } else {
        obj = object_new_with_props(type, object_get_objects_root(), id,
                                    &err, "endpoint", endpoint, NULL);
    }
    qio_assert_no_error(err);
    g_assert_nonnull(obj);
    return QCRYPTO_TLS_CREDS(obj);
}

/* The two ends of a TLS connection and their credentials. */
typedef struct TestPeers {
    QCryptoTLSCreds *server_creds;
    QCryptoTLSCreds *client_creds;
    QIOChannel *server_sock;
    QIOChannel *client_sock;
    QIOChannelTLS *server;
    QIOChannelTLS *client;
    TestHandshake server_hs;
    TestHandshake client_hs;
} TestPeers;

typedef enum {
    TEST_CREDS_X509,
    TEST_CREDS_ANON,
    TEST_CREDS_PSK,
} TestCredsKind;

static QCryptoTLSCreds *test_server_creds(TestCredsKind kind)
{
    switch (kind) {
    case TEST_CREDS_X509:
        return test_creds(TYPE_QCRYPTO_TLS_CREDS_X509, "tlsserver",
                          "server", x509_server_dir, NULL);
    case TEST_CREDS_ANON:
        return test_creds(TYPE_QCRYPTO_TLS_CREDS_ANON, "tlsserver",
                          "server", NULL, NULL);
    case TEST_CREDS_PSK:
    default:
        return test_creds(TYPE_QCRYPTO_TLS_CREDS_PSK, "tlsserver",
                          "server", psk_dir, NULL);
    }
}

static QCryptoTLSCreds *test_client_creds(TestCredsKind kind)
{
    switch (kind) {
    case TEST_CREDS_X509:
        return test_creds(TYPE_QCRYPTO_TLS_CREDS_X509, "tlsclient",
                          "client", x509_client_dir, NULL);
    case TEST_CREDS_ANON:
        return test_creds(TYPE_QCRYPTO_TLS_CREDS_ANON, "tlsclient",
                          "client", NULL, NULL);
    case TEST_CREDS_PSK:
    default:
        return test_creds(TYPE_QCRYPTO_TLS_CREDS_PSK, "tlsclient",
                          "client", psk_dir, TEST_PSK_USER);
    }
}

static void test_acl_setup(const char *pattern)
{
    qemu_acl *acl = qemu_acl_init(TEST_ACL);

    qemu_acl_reset(acl);
    qemu_acl_append(acl, 0, pattern);
}

/*
 * Creates both TLS channels over a socket pair made by @make_pair; the
 * handshakes are not started.
 */
static void test_peers_new_over(TestPeers *p,
                                void (*make_pair)(QIOChannel **,
                                                  QIOChannel **),
                                QCryptoTLSCreds *server_creds,
                                QCryptoTLSCreds *client_creds,
                                const char *hostname, const char *aclname)
{
    memset(p, 0, sizeof(*p));
    p->server_creds = server_creds;
    p->client_creds = client_creds;
    make_pair(&p->client_sock, &p->server_sock);
    p->client = qio_channel_tls_new_client(p->client_sock, client_creds,
                                           hostname, &error_abort);
    p->server = qio_channel_tls_new_server(p->server_sock, server_creds,
                                           aclname, &error_abort);
}

/* test_peers_new_over() a UNIX socketpair. */
static void test_peers_new(TestPeers *p, QCryptoTLSCreds *server_creds,
                           QCryptoTLSCreds *client_creds,
                           const char *hostname, const char *aclname)
{
    test_peers_new_over(p, test_socket_pair, server_creds, client_creds,
                        hostname, aclname);
}

/* Two x509 peers, the client checking the server's name, no ACL. */
static void test_peers_new_x509(TestPeers *p)
{
    test_peers_new(p, test_server_creds(TEST_CREDS_X509),
                   test_client_creds(TEST_CREDS_X509), TEST_HOSTNAME,
                   NULL);
}

static void test_peers_start(TestPeers *p)
{
    qio_channel_tls_handshake(p->client, test_handshake_done,
                              &p->client_hs, NULL);
    qio_channel_tls_handshake(p->server, test_handshake_done,
                              &p->server_hs, NULL);
}

static void test_peers_handshake_ok(TestPeers *p)
{
    test_peers_start(p);
    test_wait_for(&p->client_hs.finished, &p->server_hs.finished,
                  "both handshakes");
    qio_assert_no_error(p->client_hs.err);
    qio_assert_no_error(p->server_hs.err);
}

static void test_peers_free(TestPeers *p)
{
    if (p->client) {
        object_unref(OBJECT(p->client));
    }
    if (p->server) {
        object_unref(OBJECT(p->server));
    }
    object_unref(OBJECT(p->client_sock));
    object_unref(OBJECT(p->server_sock));
    object_unparent(OBJECT(p->server_creds));
    object_unparent(OBJECT(p->client_creds));
    error_free(p->client_hs.err);
    error_free(p->server_hs.err);
}

/* Writes all of @len bytes, waiting on the channel's watch when needed. */
static void test_write_all(QIOChannel *ioc, const char *buf, size_t len)
{
    while (len) {
        ssize_t ret = qio_channel_write(ioc, buf, len, &error_abort);

        if (ret == QIO_CHANNEL_ERR_BLOCK) {
            qio_channel_wait(ioc, G_IO_OUT);
            continue;
        }
        g_assert_cmpint(ret, >, 0);
        buf += ret;
        len -= ret;
    }
}

/* Reads exactly @len bytes. */
static void test_read_all(QIOChannel *ioc, char *buf, size_t len)
{
    while (len) {
        ssize_t ret = qio_channel_read(ioc, buf, len, &error_abort);

        if (ret == QIO_CHANNEL_ERR_BLOCK) {
            qio_channel_wait(ioc, G_IO_IN);
            continue;
        }
        g_assert_cmpint(ret, >, 0);
        buf += ret;
        len -= ret;
    }
}

/* Reads one chunk, which must be an EOF (0) or an error (-1). */
static ssize_t test_read_end(QIOChannel *ioc, Error **errp)
{
    char c;

    for (;;) {
        ssize_t ret = qio_channel_read(ioc, &c, 1, errp);

        if (ret != QIO_CHANNEL_ERR_BLOCK) {
            g_assert_cmpint(ret, <=, 0);
            return ret;
        }
        qio_channel_wait(ioc, G_IO_IN);
    }
}

/* A small message each way, proving both directions work. */
static void test_exchange(TestPeers *p)
{
    static const char ping[] = "ping from the client";
    static const char pong[] = "pong from the server";
    char buf[64];

    test_write_all(QIO_CHANNEL(p->client), ping, sizeof(ping));
    test_read_all(QIO_CHANNEL(p->server), buf, sizeof(ping));
    g_assert_cmpstr(buf, ==, ping);
    test_write_all(QIO_CHANNEL(p->server), pong, sizeof(pong));
    test_read_all(QIO_CHANNEL(p->client), buf, sizeof(pong));
    g_assert_cmpstr(buf, ==, pong);
}

/*
 * Moves the standard test data from @src to @dst with a writer and a
 * reader thread, both channels in the given mode, and checks it arrived.
 */
static void test_transfer_threads(QIOChannelTLS *src, QIOChannelTLS *dst,
                                  bool blocking)
{
    QIOChannelTest *test = qio_channel_test_new();

    qio_channel_test_run_threads(test, blocking, QIO_CHANNEL(src),
                                 QIO_CHANNEL(dst));
    qio_channel_test_validate(test);
}

/*
 * Delay and cork on a TLS channel are those of its TCP master: each call
 * shows in the master socket's options, and data still flows, corked or
 * not (a cork only holds back partial segments for a while).
 */
static void test_delay_and_cork(TestPeers *p)
{
    int fd = QIO_CHANNEL_SOCKET(p->client_sock)->fd;

    qio_channel_set_delay(QIO_CHANNEL(p->client), false);
    g_assert_cmpint(getsockopt_int(fd, IPPROTO_TCP, TCP_NODELAY), !=, 0);
    test_exchange(p);
    qio_channel_set_delay(QIO_CHANNEL(p->client), true);
    g_assert_cmpint(getsockopt_int(fd, IPPROTO_TCP, TCP_NODELAY), ==, 0);

    qio_channel_set_cork(QIO_CHANNEL(p->client), true);
    g_assert_cmpint(getsockopt_int(fd, IPPROTO_TCP, TCP_CORK), !=, 0);
    test_exchange(p);
    qio_channel_set_cork(QIO_CHANNEL(p->client), false);
    g_assert_cmpint(getsockopt_int(fd, IPPROTO_TCP, TCP_CORK), ==, 0);
    test_exchange(p);
}

static void test_tls_x509_basic(void)
{
    TestPeers p;
    QCryptoTLSSession *sess;
    char *name;

    test_acl_setup("C=UK,CN=qemu*");
    test_peers_new_over(&p, test_tcp_pair,
                        test_server_creds(TEST_CREDS_X509),
                        test_client_creds(TEST_CREDS_X509),
                        TEST_HOSTNAME, TEST_ACL);
    test_peers_handshake_ok(&p);

    sess = qio_channel_tls_get_session(p.server);
    name = qcrypto_tls_session_get_peer_name(sess);
    g_assert_cmpstr(name, ==, TEST_CLIENT_DN);
    g_free(name);
    g_assert_cmpint(qcrypto_tls_session_get_key_size(sess, &error_abort),
                    >=, 16);
    sess = qio_channel_tls_get_session(p.client);
    name = qcrypto_tls_session_get_peer_name(sess);
    g_assert_cmpstr(name, ==, "C=UK,CN=" TEST_HOSTNAME);
    g_free(name);

    /*
     * The client end is shutdown-capable like its socket; the server end
     * does not advertise it, as in QEMU.
     */
    g_assert_true(qio_channel_has_feature(QIO_CHANNEL(p.client),
                                          QIO_CHANNEL_FEATURE_SHUTDOWN));
    g_assert_false(qio_channel_has_feature(QIO_CHANNEL(p.client),
                                           QIO_CHANNEL_FEATURE_FD_PASS));

    test_delay_and_cork(&p);

    test_transfer_threads(p.client, p.server, false);

    test_transfer_threads(p.client, p.server, true);

    /*
     * And back the other way, blocking: the client first meets the
     * server's TLS 1.3 session tickets, records without application data
     * that a blocking read must skip rather than report as would-block.
     */
    test_transfer_threads(p.server, p.client, true);

    test_peers_free(&p);
}

static void test_tls_x509_hostname_mismatch(void)
{
    TestPeers p;

    test_peers_new(&p, test_server_creds(TEST_CREDS_X509),
                   test_client_creds(TEST_CREDS_X509),
                   "wrong.example.org", NULL);
    test_peers_start(&p);
    test_wait_for(&p.client_hs.finished, &p.server_hs.finished,
                  "both handshakes");
    /* The TLS handshake itself succeeded; the client refuses the peer. */
    qio_assert_error_contains(p.client_hs.err,
                              "does not match the hostname "
                              "wrong.example.org");
    qio_assert_no_error(p.server_hs.err);
    test_peers_free(&p);
}

static void test_tls_x509_acl_deny(void)
{
    TestPeers p;

    test_acl_setup("C=UK,CN=somebodyelse");
    test_peers_new(&p, test_server_creds(TEST_CREDS_X509),
                   test_client_creds(TEST_CREDS_X509),
                   TEST_HOSTNAME, TEST_ACL);
    test_peers_start(&p);
    test_wait_for(&p.client_hs.finished, &p.server_hs.finished,
                  "both handshakes");
    qio_assert_error_contains(p.server_hs.err,
                              "ACL check for " TEST_CLIENT_DN
                              " is denied");
    qio_assert_no_error(p.client_hs.err);
    test_peers_free(&p);
}

/*
 * Waits for a handshake that must fail.  Whichever side fails first
 * stops answering, so its socket is then closed, which makes the other
 * side fail as well.
 */
static void test_peers_expect_failure(TestPeers *p)
{
    TestHandshake *first, *second;
    QIOChannel *first_sock;

    test_peers_start(p);
    test_wait_for_either(&p->client_hs.finished, &p->server_hs.finished);
    if (p->server_hs.finished) {
        first = &p->server_hs;
        second = &p->client_hs;
        first_sock = p->server_sock;
    } else {
        first = &p->client_hs;
        second = &p->server_hs;
        first_sock = p->client_sock;
    }
    qio_assert_error_contains(first->err, "TLS handshake failed");
    qio_channel_close(first_sock, &error_abort);
    test_wait_for(&second->finished, NULL, "the other handshake");
    qio_assert_error_contains(second->err, "TLS handshake failed");
}

/*
 * An anonymous client cannot agree on anything with a certificate
 * server, so the handshake itself fails.
 */
static void test_tls_handshake_failure(void)
{
    TestPeers p;

    test_peers_new(&p, test_server_creds(TEST_CREDS_X509),
                   test_client_creds(TEST_CREDS_ANON), NULL, NULL);
    test_peers_expect_failure(&p);
    test_peers_free(&p);
}

/* PSK with a key the server does not share. */
static void test_tls_psk_bad_key(void)
{
    TestPeers p;

    test_peers_new(&p, test_server_creds(TEST_CREDS_PSK),
                   test_creds(TYPE_QCRYPTO_TLS_CREDS_PSK, "tlsclient",
                              "client", psk_bad_dir, TEST_PSK_USER),
                   NULL, NULL);
    test_peers_expect_failure(&p);
    test_peers_free(&p);
}

/* The server goes away after the client has sent its hello. */
static void test_tls_peer_hangup(void)
{
    TestPeers p;
    char buf[64];

    test_peers_new_x509(&p);
    qio_channel_tls_handshake(p.client, test_handshake_done,
                              &p.client_hs, NULL);
    g_assert_false(p.client_hs.finished);
    /* Part of the ClientHello is read, then the server hangs up. */
    g_assert_cmpint(qio_channel_read(p.server_sock, buf, sizeof(buf),
                                     &error_abort), >, 0);
    qio_channel_close(p.server_sock, &error_abort);
    test_wait_for(&p.client_hs.finished, NULL, "the client handshake");
    qio_assert_error_contains(p.client_hs.err, "TLS handshake failed");
    test_peers_free(&p);
}

static bool test_fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1;
}

/*
 * Dropping every reference of ours while the handshake is waiting: the
 * task keeps the channel alive, the handshake still ends (here with the
 * peer going away), the callback runs once, and only then is the channel
 * freed, closing its socket.
 */
static void test_tls_unref_during_handshake_hangup(void)
{
    TestPeers p;
    int client_fd;

    test_peers_new_x509(&p);
    client_fd = QIO_CHANNEL_SOCKET(p.client_sock)->fd;
    qio_channel_tls_handshake(p.client, test_handshake_done,
                              &p.client_hs, NULL);
    g_assert_false(p.client_hs.finished);
    object_unref(OBJECT(p.client));
    object_unref(OBJECT(p.client_sock));
    g_assert_true(test_fd_is_open(client_fd));

    qio_channel_close(p.server_sock, &error_abort);
    test_wait_for(&p.client_hs.finished, NULL, "the client handshake");
    qio_assert_error_contains(p.client_hs.err, "TLS handshake failed");
    g_assert_false(test_fd_is_open(client_fd));

    object_unref(OBJECT(p.server));
    object_unref(OBJECT(p.server_sock));
    object_unparent(OBJECT(p.server_creds));
    object_unparent(OBJECT(p.client_creds));
    error_free(p.client_hs.err);
}

/* The same, but the peer carries on, so both handshakes succeed. */
static void test_tls_unref_during_handshake_success(void)
{
    TestPeers p;
    int client_fd, server_fd;

    test_peers_new_x509(&p);
    client_fd = QIO_CHANNEL_SOCKET(p.client_sock)->fd;
    server_fd = QIO_CHANNEL_SOCKET(p.server_sock)->fd;
    test_peers_start(&p);
    object_unref(OBJECT(p.client));
    object_unref(OBJECT(p.server));
    object_unref(OBJECT(p.client_sock));
    object_unref(OBJECT(p.server_sock));
    g_assert_true(test_fd_is_open(client_fd));
    g_assert_true(test_fd_is_open(server_fd));

    test_wait_for(&p.client_hs.finished, &p.server_hs.finished,
                  "both handshakes");
    qio_assert_no_error(p.client_hs.err);
    qio_assert_no_error(p.server_hs.err);
    g_assert_false(test_fd_is_open(client_fd));
    g_assert_false(test_fd_is_open(server_fd));

    object_unparent(OBJECT(p.server_creds));
    object_unparent(OBJECT(p.client_creds));
}

static gboolean test_no_dispatch(gpointer opaque)
{
    bool *fired = opaque;

    *fired = true;
    return G_SOURCE_REMOVE;
}

/*
 * Closing a channel whose handshake waits for the peer cancels it: the
 * callback runs from within the close with an error, the pending watch
 * is gone, and nothing else fires later.
 */
static void test_tls_close_during_handshake(void)
{
    TestPeers p;
    bool idle = false;

    test_peers_new_x509(&p);
    qio_channel_tls_handshake(p.client, test_handshake_done,
                              &p.client_hs, NULL);
    g_assert_false(p.client_hs.finished);
    g_assert_cmpuint(p.client->hs_ioc_tag, !=, 0);

    qio_channel_close(QIO_CHANNEL(p.client), &error_abort);
    g_assert_true(p.client_hs.finished);
    qio_assert_error_contains(p.client_hs.err, "TLS handshake cancelled");
    g_assert_cmpuint(p.client->hs_ioc_tag, ==, 0);
    g_assert_null(p.client->hs_task);

    /* The server side has data to read, but the client has no watch. */
    g_idle_add(test_no_dispatch, &idle);
    test_wait_for(&idle, NULL, "an idle callback");

    test_peers_free(&p);
}

/*
 * The caller gives up on a handshake the peer never answers after it has
 * already dropped its reference to the TLS channel: closing the master is
 * what is left to it, and that must end the handshake with its callback
 * and free the channel, its watch and its hold on the master.
 */
static void test_tls_unref_then_close_master(void)
{
    TestPeers p;
    Object *sock;
    uint32_t refs;
    int client_fd;

    test_peers_new_x509(&p);
    sock = OBJECT(p.client_sock);
    client_fd = QIO_CHANNEL_SOCKET(p.client_sock)->fd;
    qio_channel_tls_handshake(p.client, test_handshake_done,
                              &p.client_hs, NULL);
    g_assert_false(p.client_hs.finished);
    /* ours, the TLS channel's and its pending watch's */
    refs = sock->ref;
    g_assert_cmpuint(refs, >, 1);
    object_unref(OBJECT(p.client));
    p.client = NULL;
    /* the handshake keeps the TLS channel, and so its hold, alive */
    g_assert_cmpuint(sock->ref, ==, refs);

    qio_channel_close(p.client_sock, &error_abort);
    g_assert_false(test_fd_is_open(client_fd));
    test_wait_for(&p.client_hs.finished, NULL, "the client handshake");
    qio_assert_error_contains(p.client_hs.err,
                              "TLS handshake cancelled: the master channel "
                              "was closed");
    /* the TLS channel and its watch are gone: only our reference is left */
    g_assert_cmpuint(sock->ref, ==, 1);

    test_peers_free(&p);
}

/*
 * The other order: closing the TLS channel cancels its handshake, so
 * dropping the last reference afterwards frees it at once, without any
 * help from the main loop.
 */
static void test_tls_close_then_unref(void)
{
    TestPeers p;
    Object *sock;
    int client_fd;

    test_peers_new_x509(&p);
    sock = OBJECT(p.client_sock);
    client_fd = QIO_CHANNEL_SOCKET(p.client_sock)->fd;
    qio_channel_tls_handshake(p.client, test_handshake_done,
                              &p.client_hs, NULL);
    g_assert_false(p.client_hs.finished);

    qio_channel_close(QIO_CHANNEL(p.client), &error_abort);
    object_unref(OBJECT(p.client));
    p.client = NULL;
    g_assert_true(p.client_hs.finished);
    qio_assert_error_contains(p.client_hs.err, "TLS handshake cancelled");
    g_assert_false(test_fd_is_open(client_fd));
    g_assert_cmpuint(sock->ref, ==, 1);

    test_peers_free(&p);
}

/* A write of nothing is no error and puts nothing on the wire. */
static void test_tls_zero_length_write(void)
{
    static const char msg[] = "after nothing";
    struct iovec iov[3];
    TestPeers p;
    Error *err = NULL;
    char buf[sizeof(msg)];

    test_peers_new_x509(&p);
    test_peers_handshake_ok(&p);

    g_assert_cmpint(qio_channel_write(QIO_CHANNEL(p.client), msg, 0, &err),
                    ==, 0);
    qio_assert_no_error(err);
    g_assert_cmpint(qio_channel_writev(QIO_CHANNEL(p.client), NULL, 0,
                                       &err), ==, 0);
    qio_assert_no_error(err);
    /* nothing reached the server, not even an empty record */
    g_assert_cmpint(qio_channel_read(QIO_CHANNEL(p.server), buf, 1, &err),
                    ==, QIO_CHANNEL_ERR_BLOCK);
    qio_assert_no_error(err);
    g_assert_cmpint(recv(QIO_CHANNEL_SOCKET(p.server_sock)->fd, buf, 1,
                         MSG_PEEK | MSG_DONTWAIT), ==, -1);
    g_assert_cmpint(errno, ==, EAGAIN);

    /* empty buffers around a real one are skipped, not an error */
    iov[0].iov_base = (void *)msg;
    iov[0].iov_len = 0;
    iov[1].iov_base = (void *)msg;
    iov[1].iov_len = sizeof(msg);
    iov[2].iov_base = (void *)msg;
    iov[2].iov_len = 0;
    g_assert_cmpint(qio_channel_writev(QIO_CHANNEL(p.client), iov, 3,
                                       &err), ==, sizeof(msg));
    qio_assert_no_error(err);
    test_read_all(QIO_CHANNEL(p.server), buf, sizeof(buf));
    g_assert_cmpstr(buf, ==, msg);

    test_peers_free(&p);
}

/*
 * A server that verifies its peers must refuse a client that presents no
 * certificate, even though the TLS handshake itself completes (the
 * server asks for a certificate without requiring one).
 */
static void test_tls_x509_no_client_cert(void)
{
    TestPeers p;

    test_peers_new(&p, test_server_creds(TEST_CREDS_X509),
                   test_creds(TYPE_QCRYPTO_TLS_CREDS_X509, "tlsclient",
                              "client", x509_nocert_dir, NULL),
                   TEST_HOSTNAME, NULL);
    test_peers_start(&p);
    test_wait_for(&p.client_hs.finished, &p.server_hs.finished,
                  "both handshakes");
    qio_assert_error_contains(p.server_hs.err,
                              "The peer did not present a certificate");
    /* the client is happy with the server */
    qio_assert_no_error(p.client_hs.err);
    test_peers_free(&p);
}

static gboolean test_watch_fired(QIOChannel *ioc, GIOCondition cond,
                                 gpointer opaque)
{
    GIOCondition *got = opaque;

    *got = cond;
    return FALSE;
}

/*
 * One record arrives; a 1-byte read makes GnuTLS decrypt all of it and
 * keep the rest, leaving the socket empty.  A G_IO_IN watch must still
 * fire, or a reader that waits for it would hang.
 */
static void test_tls_pending_record_watch(void)
{
    static const char msg[] = "one record, read a byte at a time";
    TestPeers p;
    GIOCondition got = 0;
    bool fired = false;
    char buf[sizeof(msg)];
    QCryptoTLSSession *sess;

    test_peers_new_x509(&p);
    test_peers_handshake_ok(&p);
    sess = qio_channel_tls_get_session(p.server);

    test_write_all(QIO_CHANNEL(p.client), msg, sizeof(msg));
    test_read_all(QIO_CHANNEL(p.server), buf, 1);
    g_assert_cmpint(buf[0], ==, msg[0]);
    g_assert_cmpuint(qcrypto_tls_session_check_pending(sess), ==,
                     sizeof(msg) - 1);
    /* Nothing is left on the socket: only GnuTLS knows about the data. */
    g_assert_cmpint(recv(QIO_CHANNEL_SOCKET(p.server_sock)->fd, buf, 1,
                         MSG_PEEK | MSG_DONTWAIT), ==, -1);
    g_assert_cmpint(errno, ==, EAGAIN);

    qio_channel_add_watch(QIO_CHANNEL(p.server), G_IO_IN, test_watch_fired,
                          &got, NULL);
    test_wait_for_cond(&got, "the pending-data watch");
    g_assert_cmpint(got, ==, G_IO_IN);

    g_assert_cmpint(qio_channel_read(QIO_CHANNEL(p.server), buf + 1,
                                     sizeof(buf) - 1, &error_abort), ==,
                    sizeof(msg) - 1);
    g_assert_cmpmem(buf, sizeof(msg), msg, sizeof(msg));
    g_assert_cmpuint(qcrypto_tls_session_check_pending(sess), ==, 0);

    /* With nothing buffered anywhere the watch must stay quiet. */
    got = 0;
    qio_channel_add_watch(QIO_CHANNEL(p.server), G_IO_IN, test_watch_fired,
                          &got, NULL);
    g_idle_add(test_no_dispatch, &fired);
    test_wait_for(&fired, NULL, "an idle callback");
    fired = false;
    g_idle_add(test_no_dispatch, &fired);
    test_wait_for(&fired, NULL, "an idle callback");
    g_assert_cmpint(got, ==, 0);

    /* Closing the client wakes the watch, which then sees the EOF. */
    qio_channel_close(QIO_CHANNEL(p.client), &error_abort);
    test_wait_for_cond(&got, "the hang-up watch");
    g_assert_true(got & G_IO_IN);

    test_peers_free(&p);
}

/* The peer's transport ends without close_notify: an error, not EOF. */
static void test_tls_premature_termination(void)
{
    static const char msg[] = "last words";
    TestPeers p;
    char buf[sizeof(msg)];
    Error *err = NULL;

    test_peers_new_x509(&p);
    test_peers_handshake_ok(&p);

    test_write_all(QIO_CHANNEL(p.client), msg, sizeof(msg));
    qio_channel_close(QIO_CHANNEL(p.client), &error_abort);

    /* Data sent before the end is still delivered. */
    test_read_all(QIO_CHANNEL(p.server), buf, sizeof(buf));
    g_assert_cmpstr(buf, ==, msg);
    g_assert_cmpint(test_read_end(QIO_CHANNEL(p.server), &err), ==, -1);
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    QIO_CHANNEL_TLS_ERR_PREMATURE_TERMINATION);
    error_free(err);
    err = NULL;

    /* It stays an error; it never turns into an EOF. */
    qio_channel_set_blocking(QIO_CHANNEL(p.server), true, &error_abort);
    g_assert_cmpint(test_read_end(QIO_CHANNEL(p.server), &err), ==, -1);
    qio_assert_error_contains(err, "premature termination");
    error_free(err);

    test_peers_free(&p);
}

/* close_notify, then the transport ends: a clean EOF. */
static void test_tls_clean_close(void)
{
    static const char msg[] = "goodbye";
    TestPeers p;
    char buf[sizeof(msg)];

    test_peers_new_x509(&p);
    test_peers_handshake_ok(&p);

    test_write_all(QIO_CHANNEL(p.client), msg, sizeof(msg));
    g_assert_cmpint(qio_channel_tls_bye(p.client, &error_abort), ==, 0);
    /* Our own direction is closed, the other still works. */
    test_write_all(QIO_CHANNEL(p.server), msg, sizeof(msg));
    test_read_all(QIO_CHANNEL(p.client), buf, sizeof(buf));
    g_assert_cmpstr(buf, ==, msg);
    qio_channel_close(QIO_CHANNEL(p.client), &error_abort);

    test_read_all(QIO_CHANNEL(p.server), buf, sizeof(buf));
    g_assert_cmpstr(buf, ==, msg);
    g_assert_cmpint(test_read_end(QIO_CHANNEL(p.server), &error_abort),
                    ==, 0);
    /* EOF is sticky. */
    g_assert_cmpint(test_read_end(QIO_CHANNEL(p.server), &error_abort),
                    ==, 0);

    test_peers_free(&p);
}

/*
 * Shutting down the write side sends close_notify before the transport
 * half-close, so the peer reads a clean EOF while the other direction
 * keeps working.
 */
static void test_tls_shutdown_write(void)
{
    static const char msg[] = "half-closed";
    TestPeers p;
    char buf[sizeof(msg)];

    test_peers_new_x509(&p);
    test_peers_handshake_ok(&p);

    test_write_all(QIO_CHANNEL(p.client), msg, sizeof(msg));
    g_assert_cmpint(qio_channel_shutdown(QIO_CHANNEL(p.client),
                                         QIO_CHANNEL_SHUTDOWN_WRITE,
                                         &error_abort), ==, 0);
    test_read_all(QIO_CHANNEL(p.server), buf, sizeof(buf));
    g_assert_cmpstr(buf, ==, msg);
    g_assert_cmpint(test_read_end(QIO_CHANNEL(p.server), &error_abort),
                    ==, 0);

    test_write_all(QIO_CHANNEL(p.server), msg, sizeof(msg));
    test_read_all(QIO_CHANNEL(p.client), buf, sizeof(buf));
    g_assert_cmpstr(buf, ==, msg);
    /* close_notify went out once: an explicit bye now has nothing to do. */
    g_assert_cmpint(qio_channel_tls_bye(p.client, &error_abort), ==, 0);

    test_peers_free(&p);
}

static void test_tls_bye_before_handshake(void)
{
    TestPeers p;
    Error *err = NULL;

    test_peers_new_x509(&p);
    g_assert_cmpint(qio_channel_tls_bye(p.client, &err), ==, -1);
    qio_assert_error_contains(err, "before its handshake");
    error_free(err);
    test_peers_free(&p);
}

static void test_tls_anon(void)
{
    TestPeers p;
    char *name;

    test_peers_new(&p, test_server_creds(TEST_CREDS_ANON),
                   test_client_creds(TEST_CREDS_ANON), NULL, NULL);
    test_peers_handshake_ok(&p);
    test_exchange(&p);
    g_assert_cmpint(
        qcrypto_tls_session_get_key_size(qio_channel_tls_get_session(
                                             p.server), &error_abort),
        >=, 16);
    name = qcrypto_tls_session_get_peer_name(
        qio_channel_tls_get_session(p.server));
    g_assert_null(name);

    test_transfer_threads(p.client, p.server, false);
    test_peers_free(&p);
}

static void test_tls_psk(void)
{
    TestPeers p;
    char *name;

    test_acl_setup(TEST_PSK_USER);
    test_peers_new(&p, test_server_creds(TEST_CREDS_PSK),
                   test_client_creds(TEST_CREDS_PSK), NULL, TEST_ACL);
    test_peers_handshake_ok(&p);
    test_exchange(&p);
    name = qcrypto_tls_session_get_peer_name(
        qio_channel_tls_get_session(p.server));
    g_assert_cmpstr(name, ==, TEST_PSK_USER);
    g_free(name);

    test_transfer_threads(p.server, p.client, true);
    test_peers_free(&p);
}

static void test_tls_psk_acl_deny(void)
{
    TestPeers p;

    test_acl_setup("someoneelse");
    test_peers_new(&p, test_server_creds(TEST_CREDS_PSK),
                   test_client_creds(TEST_CREDS_PSK), NULL, TEST_ACL);
    test_peers_start(&p);
    test_wait_for(&p.client_hs.finished, &p.server_hs.finished,
                  "both handshakes");
    qio_assert_error_contains(p.server_hs.err,
                              "PSK ACL check for " TEST_PSK_USER
                              " is denied");
    test_peers_free(&p);
}

/* A session needs credentials for its own end. */
static void test_tls_wrong_endpoint(void)
{
    QCryptoTLSCreds *creds = test_server_creds(TEST_CREDS_ANON);
    QIOChannel *a, *b;
    Error *err = NULL;

    test_socket_pair(&a, &b);
    g_assert_null(qio_channel_tls_new_client(a, creds, NULL, &err));
    qio_assert_error_contains(err, "does not match");
    error_free(err);
    object_unref(OBJECT(a));
    object_unref(OBJECT(b));
    object_unparent(OBJECT(creds));
}

static void test_write_psk(const char *dir, const char *key)
{
    char *path = g_build_filename(dir, QCRYPTO_TLS_CREDS_PSKFILE, NULL);
    char *line = g_strdup_printf("# test keys\nother:00ff\n%s:%s\n",
                                 TEST_PSK_USER, key);

    g_assert_true(g_file_set_contents(path, line, -1, NULL));
    g_free(line);
    g_free(path);
}

int main(int argc, char **argv)
{
    TLSTestX509Dirs x509;
    int ret;

    qio_test_init(&argc, &argv);
    g_assert_cmpint(qcrypto_init(NULL), ==, 0);

    workdir = scratch_dir_new("test-io-channel-tls");
    x509_server_dir = tls_test_subdir(workdir, "x509-server");
    x509_client_dir = tls_test_subdir(workdir, "x509-client");
    psk_dir = tls_test_subdir(workdir, "psk");
    psk_bad_dir = tls_test_subdir(workdir, "psk-bad");
    x509_nocert_dir = tls_test_subdir(workdir, "x509-client-nocert");
    keyfile = g_build_filename(workdir, "key.pem", NULL);

    test_tls_init(keyfile);
    tls_test_x509_dirs_init(&x509, keyfile, x509_server_dir, x509_client_dir,
                            "libqio test CA", TEST_HOSTNAME, NULL, NULL);
    /* a client that trusts the CA but has no certificate of its own */
    tls_test_link(x509.cacert.filename, x509_nocert_dir,
                  QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_write_psk(psk_dir, TEST_PSK_KEY);
    test_write_psk(psk_bad_dir, TEST_PSK_OTHER_KEY);

    qio_test_add_func("/qio/channel/tls/x509/basic", test_tls_x509_basic);
    qio_test_add_func("/qio/channel/tls/x509/hostname-mismatch",
                      test_tls_x509_hostname_mismatch);
    qio_test_add_func("/qio/channel/tls/x509/acl-deny",
                      test_tls_x509_acl_deny);
    qio_test_add_func("/qio/channel/tls/handshake-failure",
                      test_tls_handshake_failure);
    qio_test_add_func("/qio/channel/tls/peer-hangup", test_tls_peer_hangup);
    qio_test_add_func("/qio/channel/tls/unref-during-handshake/hangup",
                      test_tls_unref_during_handshake_hangup);
    qio_test_add_func("/qio/channel/tls/unref-during-handshake/success",
                      test_tls_unref_during_handshake_success);
    qio_test_add_func("/qio/channel/tls/close-during-handshake",
                      test_tls_close_during_handshake);
    qio_test_add_func("/qio/channel/tls/unref-during-handshake/close-master",
                      test_tls_unref_then_close_master);
    qio_test_add_func("/qio/channel/tls/close-then-unref-during-handshake",
                      test_tls_close_then_unref);
    qio_test_add_func("/qio/channel/tls/zero-length-write",
                      test_tls_zero_length_write);
    qio_test_add_func("/qio/channel/tls/x509/no-client-cert",
                      test_tls_x509_no_client_cert);
    qio_test_add_func("/qio/channel/tls/pending-record-watch",
                      test_tls_pending_record_watch);
    qio_test_add_func("/qio/channel/tls/premature-termination",
                      test_tls_premature_termination);
    qio_test_add_func("/qio/channel/tls/clean-close", test_tls_clean_close);
    qio_test_add_func("/qio/channel/tls/shutdown-write",
                      test_tls_shutdown_write);
    qio_test_add_func("/qio/channel/tls/bye-before-handshake",
                      test_tls_bye_before_handshake);
    qio_test_add_func("/qio/channel/tls/wrong-endpoint",
                      test_tls_wrong_endpoint);
    qio_test_add_func("/qio/channel/tls/anon", test_tls_anon);
    qio_test_add_func("/qio/channel/tls/psk", test_tls_psk);
    qio_test_add_func("/qio/channel/tls/psk/bad-key", test_tls_psk_bad_key);
    qio_test_add_func("/qio/channel/tls/psk/acl-deny",
                      test_tls_psk_acl_deny);

    ret = g_test_run();

    tls_test_unlink_in(x509_nocert_dir, QCRYPTO_TLS_CREDS_X509_CA_CERT);
    tls_test_x509_dirs_cleanup(&x509);
    tls_test_unlink_in(psk_dir, QCRYPTO_TLS_CREDS_PSKFILE);
    tls_test_unlink_in(psk_bad_dir, QCRYPTO_TLS_CREDS_PSKFILE);
    test_tls_cleanup(keyfile);
    rmdir(x509_server_dir);
    rmdir(x509_client_dir);
    rmdir(psk_dir);
    rmdir(psk_bad_dir);
    rmdir(x509_nocert_dir);

    g_free(x509_server_dir);
    g_free(x509_client_dir);
    g_free(psk_dir);
    g_free(psk_bad_dir);
    g_free(x509_nocert_dir);
    g_free(keyfile);
    scratch_dir_remove(workdir);
    return ret;
}

#else /* !QCRYPTO_HAVE_TLS_TEST_SUPPORT */

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    g_test_skip("certificates cannot be generated on this host");
    return g_test_run();
}

#endif /* !QCRYPTO_HAVE_TLS_TEST_SUPPORT */
