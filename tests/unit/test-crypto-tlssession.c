/*
 * Tests of TLS sessions: a server and a client session talk over a
 * non-blocking socketpair through the session's transport callbacks, both
 * handshakes are stepped in turn from one thread, and then each side's
 * verdict on its peer (certificate chain, hostname, ACL) is compared with
 * what the case expects.  x509 credentials use certificates generated at
 * start-up; anonymous and PSK credentials are covered too.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"

#include "crypto-tls-x509-helpers.h"
#include "qio-test.h"

#ifdef QCRYPTO_HAVE_TLS_TEST_SUPPORT

#include <sys/socket.h>

#include "crypto/init.h"
#include "crypto/tlscredsanon.h"
#include "crypto/tlscredspsk.h"
#include "crypto/tlscredsx509.h"
#include "crypto/tlssession.h"
#include "qemu/acl.h"
#include "qom/object.h"
#include "qom/object_interfaces.h"

/* Relative to the build tree, where the tests run. */
#define WORKDIR "tests/test-crypto-tlssession-work/"
#define KEYFILE WORKDIR "key-ctx.pem"
#define SERVERDIR "tests/test-crypto-tlssession-server/"
#define CLIENTDIR "tests/test-crypto-tlssession-client/"

#define ACLNAME "tlssessionacl"

/*
 * Each side of a handshake runs until it would block, then the other
 * side gets its turn.  A handful of turns is enough for any handshake;
 * this bound only stops a broken implementation from spinning forever.
 */
#define MAX_HANDSHAKE_TURNS 1000

typedef struct QCryptoTLSSessionTestData {
    const char *servercacrt;
    const char *clientcacrt;
    const char *servercrt;
    const char *clientcrt;
    bool expectServerFail;
    bool expectClientFail;
    const char *hostname;
    const char *const *wildcards;
    /* when set, what each side must report as its peer's name */
    const char *serverPeerName;
    const char *clientPeerName;
} QCryptoTLSSessionTestData;

static ssize_t test_tls_push(const char *buf, size_t len, void *opaque)
{
    int fd = *(int *)opaque;

    return write(fd, buf, len);
}

static ssize_t test_tls_pull(char *buf, size_t len, void *opaque)
{
    int fd = *(int *)opaque;

    return read(fd, buf, len);
}

/* A connected, non-blocking socketpair: [0] for the server, [1] client. */
static void test_tls_socketpair(int channel[2])
{
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, channel), ==, 0);
    qemu_set_nonblock(channel[0]);
    qemu_set_nonblock(channel[1]);
}

/*
 * Steps one handshake once.  Returns true when it has completed, false
 * when it needs another turn; a failure is stored in *errp.
 */
static bool test_tls_handshake_step(QCryptoTLSSession *sess, Error **errp)
{
    int rv = qcrypto_tls_session_handshake(sess, errp);

    if (rv < 0) {
        g_assert_nonnull(*errp);
        return false;
    }
    g_assert_null(*errp);
    if (rv == 0) {
        g_assert_cmpint(qcrypto_tls_session_get_handshake_status(sess), ==,
                        QCRYPTO_TLS_HANDSHAKE_COMPLETE);
        return true;
    }
    g_assert_cmpint(rv, ==, 1);
    g_assert_cmpint(qcrypto_tls_session_get_handshake_status(sess), !=,
                    QCRYPTO_TLS_HANDSHAKE_COMPLETE);
    return false;
}

/*
 * Alternates between the two handshakes until both have completed (a
 * client can finish before the server has read its last flight, so
 * stopping at the first one would leave the server without the client's
 * certificate), or until one of them fails.
 *
 * Returns: true when both completed, false when one failed with its
 * error in *serr or *cerr
 */
static bool test_tls_handshake(QCryptoTLSSession *server,
                               QCryptoTLSSession *client,
                               Error **serr, Error **cerr)
{
    bool serverDone = false;
    bool clientDone = false;
    int turns;

    for (turns = 0; !serverDone || !clientDone; turns++) {
        g_assert_cmpint(turns, <, MAX_HANDSHAKE_TURNS);
        if (!serverDone) {
            serverDone = test_tls_handshake_step(server, serr);
            if (*serr) {
                return false;
            }
        }
        if (!clientDone) {
            clientDone = test_tls_handshake_step(client, cerr);
            if (*cerr) {
                return false;
            }
        }
    }
    return true;
}

/*
 * Sends @msg from @from and checks that @to receives exactly it.  Both
 * ends share this thread, so whatever @from wrote is already in the
 * socket when @to reads; EAGAIN is only tolerated a few times, for
 * post-handshake records (TLS 1.3 session tickets) that carry no data.
 */
static void test_tls_transfer(QCryptoTLSSession *from,
                              QCryptoTLSSession *to,
                              const char *msg)
{
    size_t len = strlen(msg);
    size_t done = 0;
    char buf[256];
    int retries = 0;

    g_assert_cmpuint(len, <=, sizeof(buf));
    while (done < len) {
        ssize_t n = qcrypto_tls_session_write(from, msg + done, len - done);

        if (n < 0) {
            g_error("TLS write failed: %s", g_strerror(errno));
        }
        g_assert_cmpint(n, >, 0);
        done += n;
    }

    done = 0;
    while (done < len) {
        ssize_t n = qcrypto_tls_session_read(to, buf + done, len - done);

        if (n < 0 && errno == EAGAIN && retries++ < 10) {
            continue;
        }
        if (n < 0) {
            g_error("TLS read failed: %s", g_strerror(errno));
        }
        g_assert_cmpint(n, >, 0);
        done += n;
    }
    g_assert_cmpmem(buf, len, msg, len);

    /* nothing more is on its way: the read reports "would block" */
    errno = 0;
    g_assert_cmpint(qcrypto_tls_session_read(to, buf, sizeof(buf)), ==, -1);
    g_assert_cmpint(errno, ==, EAGAIN);
}

/* Runs check_credentials on @sess and compares the verdict. */
static void test_tls_check_peer(QCryptoTLSSession *sess, const char *side,
                                bool expectFail)
{
    Error *err = NULL;
    int rv = qcrypto_tls_session_check_credentials(sess, &err);

    if (expectFail) {
        if (rv == 0) {
            g_error("the %s accepted its peer but should have refused it",
                    side);
        }
        g_assert_cmpint(rv, ==, -1);
        g_assert_nonnull(err);
        if (g_test_verbose()) {
            g_test_message("the %s refused its peer as expected: %s",
                           side, error_get_pretty(err));
        }
        error_free(err);
    } else {
        if (rv != 0) {
            g_error("the %s refused its peer: %s", side,
                    err ? error_get_pretty(err) : "(no error set)");
        }
        g_assert_null(err);
    }
}

static void test_tls_check_peer_name(QCryptoTLSSession *sess,
                                     const char *expected)
{
    char *name = qcrypto_tls_session_get_peer_name(sess);

    g_assert_cmpstr(name, ==, expected);
    g_free(name);
}

static Object *test_tls_creds_new(const char *type, const char *id,
                                  bool isServer, const char *dir,
                                  const char *username)
{
    Error *err = NULL;
    Object *creds;

    if (g_str_equal(type, TYPE_QCRYPTO_TLS_CREDS_X509)) {
        creds = object_new_with_props(
            type, object_get_objects_root(), id, &err,
            "endpoint", isServer ? "server" : "client",
            "dir", dir,
            "verify-peer", "yes",
            "sanity-check", "no",
            NULL);
    } else if (username) {
        creds = object_new_with_props(
            type, object_get_objects_root(), id, &err,
            "endpoint", isServer ? "server" : "client",
            "dir", dir,
            "username", username,
            NULL);
    } else if (dir) {
        creds = object_new_with_props(
            type, object_get_objects_root(), id, &err,
            "endpoint", isServer ? "server" : "client",
            "dir", dir,
            NULL);
    } else {
        creds = object_new_with_props(
            type, object_get_objects_root(), id, &err,
            "endpoint", isServer ? "server" : "client",
            NULL);
    }
    qio_assert_no_error(err);
    g_assert_nonnull(creds);
    return creds;
}

static QCryptoTLSSession *test_tls_session_new(Object *creds,
                                               bool isServer,
                                               const char *hostname,
                                               const char *aclname,
                                               int *fd)
{
    Error *err = NULL;
    QCryptoTLSSession *sess = qcrypto_tls_session_new(
        QCRYPTO_TLS_CREDS(creds), hostname, aclname,
        isServer ? QCRYPTO_TLS_CREDS_ENDPOINT_SERVER :
        QCRYPTO_TLS_CREDS_ENDPOINT_CLIENT,
        &err);

    qio_assert_no_error(err);
    g_assert_nonnull(sess);
    qcrypto_tls_session_set_callbacks(sess, test_tls_push, test_tls_pull, fd);
    return sess;
}

/* Hard-links @src into @dir as @name. */
static void test_tls_link(const char *src, const char *dir, const char *name)
{
    char *dst = g_strdup_printf("%s%s", dir, name);

    unlink(dst);
    if (link(src, dst) < 0) {
        g_error("cannot link %s to %s: %s", src, dst, g_strerror(errno));
    }
    g_free(dst);
}

static void test_tls_unlink(const char *dir, const char *name)
{
    char *path = g_strdup_printf("%s%s", dir, name);

    unlink(path);
    g_free(path);
}

static void test_tls_make_dirs(void)
{
    g_assert_cmpint(g_mkdir_with_parents(SERVERDIR, 0700), ==, 0);
    g_assert_cmpint(g_mkdir_with_parents(CLIENTDIR, 0700), ==, 0);
}

static void test_tls_remove_dirs(void)
{
    g_assert_cmpint(rmdir(SERVERDIR), ==, 0);
    g_assert_cmpint(rmdir(CLIENTDIR), ==, 0);
}

static void test_tls_session_x509(gconstpointer opaque)
{
    const QCryptoTLSSessionTestData *data = opaque;
    QCryptoTLSSession *serverSess;
    QCryptoTLSSession *clientSess;
    Object *serverCreds;
    Object *clientCreds;
    Error *serr = NULL;
    Error *cerr = NULL;
    int channel[2];

    test_tls_make_dirs();
    test_tls_link(data->servercacrt, SERVERDIR,
                  QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_tls_link(data->servercrt, SERVERDIR,
                  QCRYPTO_TLS_CREDS_X509_SERVER_CERT);
    test_tls_link(KEYFILE, SERVERDIR, QCRYPTO_TLS_CREDS_X509_SERVER_KEY);
    test_tls_link(data->clientcacrt, CLIENTDIR,
                  QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_tls_link(data->clientcrt, CLIENTDIR,
                  QCRYPTO_TLS_CREDS_X509_CLIENT_CERT);
    test_tls_link(KEYFILE, CLIENTDIR, QCRYPTO_TLS_CREDS_X509_CLIENT_KEY);

    serverCreds = test_tls_creds_new(TYPE_QCRYPTO_TLS_CREDS_X509,
                                     "testtlscredsserver", true,
                                     SERVERDIR, NULL);
    clientCreds = test_tls_creds_new(TYPE_QCRYPTO_TLS_CREDS_X509,
                                     "testtlscredsclient", false,
                                     CLIENTDIR, NULL);

    /* allow-listed DNs, everyone else refused */
    if (data->wildcards) {
        qemu_acl *acl = qemu_acl_init(ACLNAME);
        const char *const *w;

        qemu_acl_reset(acl);
        for (w = data->wildcards; *w; w++) {
            qemu_acl_append(acl, 0, *w);
        }
    }

    test_tls_socketpair(channel);
    serverSess = test_tls_session_new(serverCreds, true, NULL,
                                      data->wildcards ? ACLNAME : NULL,
                                      &channel[0]);
    clientSess = test_tls_session_new(clientCreds, false, data->hostname,
                                      NULL, &channel[1]);

    if (!test_tls_handshake(serverSess, clientSess, &serr, &cerr)) {
        g_error("handshake failed: server: %s, client: %s",
                serr ? error_get_pretty(serr) : "ok",
                cerr ? error_get_pretty(cerr) : "ok");
    }

    test_tls_check_peer(serverSess, "server", data->expectServerFail);
    test_tls_check_peer(clientSess, "client", data->expectClientFail);
    if (data->serverPeerName) {
        test_tls_check_peer_name(serverSess, data->serverPeerName);
    }
    if (data->clientPeerName) {
        test_tls_check_peer_name(clientSess, data->clientPeerName);
    }
    if (!data->expectServerFail && !data->expectClientFail) {
        g_assert_cmpint(qcrypto_tls_session_get_key_size(serverSess,
                                                         &error_abort), >, 0);
        g_assert_cmpint(qcrypto_tls_session_get_key_size(clientSess,
                                                         &error_abort), >, 0);
    }

    /* whatever the verdicts, the record layer is up in both directions */
    test_tls_transfer(clientSess, serverSess, "Hello from the client");
    test_tls_transfer(serverSess, clientSess, "And hello from the server");

    qcrypto_tls_session_free(serverSess);
    qcrypto_tls_session_free(clientSess);
    object_unparent(serverCreds);
    object_unparent(clientCreds);
    close(channel[0]);
    close(channel[1]);

    test_tls_unlink(SERVERDIR, QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_tls_unlink(SERVERDIR, QCRYPTO_TLS_CREDS_X509_SERVER_CERT);
    test_tls_unlink(SERVERDIR, QCRYPTO_TLS_CREDS_X509_SERVER_KEY);
    test_tls_unlink(CLIENTDIR, QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_tls_unlink(CLIENTDIR, QCRYPTO_TLS_CREDS_X509_CLIENT_CERT);
    test_tls_unlink(CLIENTDIR, QCRYPTO_TLS_CREDS_X509_CLIENT_KEY);
    test_tls_remove_dirs();
}

/*
 * Anonymous credentials: no identities, so both checks pass and neither
 * side learns a peer name; the session still encrypts.  Also covers the
 * two ways a session can end: close_notify (a clean 0 from read) and the
 * transport closing without it (ECONNABORTED).
 */
static void test_tls_session_anon(void)
{
    QCryptoTLSSession *serverSess;
    QCryptoTLSSession *clientSess;
    Object *serverCreds;
    Object *clientCreds;
    Error *serr = NULL;
    Error *cerr = NULL;
    int channel[2];
    char buf[16];
    int rv;

    serverCreds = test_tls_creds_new(TYPE_QCRYPTO_TLS_CREDS_ANON,
                                     "testtlscredsserver", true, NULL, NULL);
    clientCreds = test_tls_creds_new(TYPE_QCRYPTO_TLS_CREDS_ANON,
                                     "testtlscredsclient", false, NULL, NULL);

    test_tls_socketpair(channel);
    serverSess = test_tls_session_new(serverCreds, true, NULL, NULL,
                                      &channel[0]);
    clientSess = test_tls_session_new(clientCreds, false, NULL, NULL,
                                      &channel[1]);

    g_assert_true(test_tls_handshake(serverSess, clientSess, &serr, &cerr));
    test_tls_check_peer(serverSess, "server", false);
    test_tls_check_peer(clientSess, "client", false);
    test_tls_check_peer_name(serverSess, NULL);
    test_tls_check_peer_name(clientSess, NULL);

    test_tls_transfer(clientSess, serverSess, "anonymous request");
    test_tls_transfer(serverSess, clientSess, "anonymous reply");

    /* the server ends politely: the client sees a clean end of file */
    do {
        rv = qcrypto_tls_session_bye(serverSess, &error_abort);
    } while (rv == 1);
    g_assert_cmpint(rv, ==, 0);
    g_assert_cmpint(qcrypto_tls_session_read(clientSess, buf, sizeof(buf)),
                    ==, 0);

    /* the client's transport just goes away: that is not a clean end */
    g_assert_cmpint(shutdown(channel[1], SHUT_WR), ==, 0);
    errno = 0;
    g_assert_cmpint(qcrypto_tls_session_read(serverSess, buf, sizeof(buf)),
                    ==, -1);
    g_assert_cmpint(errno, ==, ECONNABORTED);

    qcrypto_tls_session_free(serverSess);
    qcrypto_tls_session_free(clientSess);
    object_unparent(serverCreds);
    object_unparent(clientCreds);
    close(channel[0]);
    close(channel[1]);
}

/* Anonymous credentials for one endpoint, with an optional priority. */
static Object *test_tls_anon_creds_new(const char *id, bool isServer,
                                       const char *priority, Error **errp)
{
    Object *creds;

    creds = object_new_with_props(TYPE_QCRYPTO_TLS_CREDS_ANON,
                                  object_get_objects_root(), id, errp,
                                  "endpoint", isServer ? "server" : "client",
                                  NULL);
    if (creds && priority) {
        object_property_set_str(creds, priority, "priority", errp);
    }
    return creds;
}

typedef struct QCryptoTLSSessionPriorityTestData {
    const char *server;
    const char *client;
    int keysize;        /* expected bytes of cipher key; 0: must fail */
} QCryptoTLSSessionPriorityTestData;

/* GnuTLS' default order puts AES-256 first, so 16 proves the restriction. */
static const QCryptoTLSSessionPriorityTestData priority_tests[] = {
    { NULL, NULL, 32 },
    { "NORMAL:-CIPHER-ALL:+AES-128-GCM", NULL, 16 },
    { NULL, "NORMAL:-CIPHER-ALL:+AES-128-GCM", 16 },
    { "NORMAL:-VERS-ALL:+VERS-TLS1.2", "NORMAL:-VERS-ALL:+VERS-TLS1.3", 0 },
};

/*
 * The "priority" property reaches GnuTLS: a cipher restricted on one side
 * is the one negotiated, and incompatible restrictions fail the
 * handshake.  The anonymous key exchanges are still appended to it.
 */
static void test_tls_session_priority(gconstpointer opaque)
{
    const QCryptoTLSSessionPriorityTestData *data = opaque;
    QCryptoTLSSession *serverSess;
    QCryptoTLSSession *clientSess;
    Object *serverCreds;
    Object *clientCreds;
    Error *serr = NULL;
    Error *cerr = NULL;
    int channel[2];

    serverCreds = test_tls_anon_creds_new("prioserver", true, data->server,
                                          &error_abort);
    clientCreds = test_tls_anon_creds_new("prioclient", false, data->client,
                                          &error_abort);
    if (data->server) {
        g_autofree char *got = object_property_get_str(serverCreds,
                                                       "priority",
                                                       &error_abort);
        g_assert_cmpstr(got, ==, data->server);
    }

    test_tls_socketpair(channel);
    serverSess = test_tls_session_new(serverCreds, true, NULL, NULL,
                                      &channel[0]);
    clientSess = test_tls_session_new(clientCreds, false, NULL, NULL,
                                      &channel[1]);
    if (data->keysize) {
        g_assert_true(test_tls_handshake(serverSess, clientSess,
                                         &serr, &cerr));
        g_assert_cmpint(qcrypto_tls_session_get_key_size(serverSess,
                                                         &error_abort),
                        ==, data->keysize);
        g_assert_cmpint(qcrypto_tls_session_get_key_size(clientSess,
                                                         &error_abort),
                        ==, data->keysize);
        test_tls_transfer(clientSess, serverSess, "restricted cipher");
    } else {
        g_assert_false(test_tls_handshake(serverSess, clientSess,
                                          &serr, &cerr));
        g_assert_true(serr || cerr);
        error_free(serr);
        error_free(cerr);
    }

    qcrypto_tls_session_free(serverSess);
    qcrypto_tls_session_free(clientSess);
    object_unparent(serverCreds);
    object_unparent(clientCreds);
    close(channel[0]);
    close(channel[1]);
}

/* A priority string GnuTLS cannot parse fails the session, naming it. */
static void test_tls_session_priority_bad(void)
{
    Object *creds;
    Error *err = NULL;

    creds = test_tls_anon_creds_new("priobad", false, "NORMAL:+NO-SUCH-THING",
                                    &error_abort);
    g_assert_null(qcrypto_tls_session_new(QCRYPTO_TLS_CREDS(creds), NULL,
                                          NULL,
                                          QCRYPTO_TLS_CREDS_ENDPOINT_CLIENT,
                                          &err));
    qio_assert_error_contains(err, "NORMAL:+NO-SUCH-THING");
    error_free(err);
    object_unparent(creds);
}

/* Two keys for the same identity; only the first is the server's. */
#define PSK_USERNAME "qemu"
#define PSK_KEY_GOOD "9d2b33a4c0f9e8a1d2c3b4a5968778695a4b3c2d1e0f1a2b"
#define PSK_KEY_BAD "1111111111111111111111111111111111111111111111"

static void test_tls_write_psk_file(const char *dir, const char *contents)
{
    char *path = g_strdup_printf("%s%s", dir, QCRYPTO_TLS_CREDS_PSKFILE);
    GError *gerr = NULL;

    if (!g_file_set_contents(path, contents, -1, &gerr)) {
        g_error("cannot write %s: %s", path, gerr->message);
    }
    g_free(path);
}

typedef struct QCryptoTLSSessionPSKTestData {
    const char *clientKeys;
    const char *username;
    const char *const *wildcards;
    bool expectHandshakeFail;
    bool expectServerFail;
} QCryptoTLSSessionPSKTestData;

/*
 * PSK credentials: the server knows several identities, the client one.
 * A client with the wrong key cannot complete the handshake at all; a
 * client with the right key is identified by its username, which the
 * server's ACL (when set) must allow.
 */
static void test_tls_session_psk(gconstpointer opaque)
{
    const QCryptoTLSSessionPSKTestData *data = opaque;
    QCryptoTLSSession *serverSess;
    QCryptoTLSSession *clientSess;
    Object *serverCreds;
    Object *clientCreds;
    Error *serr = NULL;
    Error *cerr = NULL;
    int channel[2];

    test_tls_make_dirs();
    test_tls_write_psk_file(SERVERDIR,
                            "# identities this server accepts\n"
                            "someone:0123456789abcdef0123456789abcdef\n"
                            "\n"
                            PSK_USERNAME ":" PSK_KEY_GOOD "\n");
    test_tls_write_psk_file(CLIENTDIR, data->clientKeys);

    serverCreds = test_tls_creds_new(TYPE_QCRYPTO_TLS_CREDS_PSK,
                                     "testtlscredsserver", true,
                                     SERVERDIR, NULL);
    clientCreds = test_tls_creds_new(TYPE_QCRYPTO_TLS_CREDS_PSK,
                                     "testtlscredsclient", false,
                                     CLIENTDIR, data->username);

    if (data->wildcards) {
        qemu_acl *acl = qemu_acl_init(ACLNAME);
        const char *const *w;

        qemu_acl_reset(acl);
        for (w = data->wildcards; *w; w++) {
            qemu_acl_append(acl, 0, *w);
        }
    }

    test_tls_socketpair(channel);
    serverSess = test_tls_session_new(serverCreds, true, NULL,
                                      data->wildcards ? ACLNAME : NULL,
                                      &channel[0]);
    clientSess = test_tls_session_new(clientCreds, false, NULL, NULL,
                                      &channel[1]);

    if (data->expectHandshakeFail) {
        g_assert_false(test_tls_handshake(serverSess, clientSess,
                                          &serr, &cerr));
        g_assert_true(serr || cerr);
        if (g_test_verbose()) {
            g_test_message("handshake failed as expected: server: %s, "
                           "client: %s",
                           serr ? error_get_pretty(serr) : "ok",
                           cerr ? error_get_pretty(cerr) : "ok");
        }
        error_free(serr);
        error_free(cerr);
    } else {
        if (!test_tls_handshake(serverSess, clientSess, &serr, &cerr)) {
            g_error("handshake failed: server: %s, client: %s",
                    serr ? error_get_pretty(serr) : "ok",
                    cerr ? error_get_pretty(cerr) : "ok");
        }
        test_tls_check_peer(serverSess, "server", data->expectServerFail);
        test_tls_check_peer(clientSess, "client", false);
        if (!data->expectServerFail) {
            test_tls_check_peer_name(serverSess,
                                     data->username ? data->username :
                                     QCRYPTO_TLS_CREDS_PSK_DEFAULT_USERNAME);
        }
        test_tls_transfer(clientSess, serverSess, "pre-shared request");
        test_tls_transfer(serverSess, clientSess, "pre-shared reply");
    }

    qcrypto_tls_session_free(serverSess);
    qcrypto_tls_session_free(clientSess);
    object_unparent(serverCreds);
    object_unparent(clientCreds);
    close(channel[0]);
    close(channel[1]);

    test_tls_unlink(SERVERDIR, QCRYPTO_TLS_CREDS_PSKFILE);
    test_tls_unlink(CLIENTDIR, QCRYPTO_TLS_CREDS_PSKFILE);
    test_tls_remove_dirs();
}

static const char *const psk_acl_allow[] = { "someone", "qe*", NULL };
static const char *const psk_acl_deny[] = { "someone", NULL };

static const QCryptoTLSSessionPSKTestData psk_tests[] = {
    {
        .clientKeys = PSK_USERNAME ":" PSK_KEY_GOOD "\n",
        .username = NULL,
    },
    {
        .clientKeys = "other:00ff\n" PSK_USERNAME ":" PSK_KEY_GOOD "\n",
        .username = PSK_USERNAME,
        .wildcards = psk_acl_allow,
    },
    {
        .clientKeys = PSK_USERNAME ":" PSK_KEY_GOOD "\n",
        .username = PSK_USERNAME,
        .wildcards = psk_acl_deny,
        .expectServerFail = true,
    },
    {
        .clientKeys = PSK_USERNAME ":" PSK_KEY_BAD "\n",
        .username = PSK_USERNAME,
        .expectHandshakeFail = true,
    },
};

static GPtrArray *test_data;

static void test_tls_session_register(const char *name,
                                      const char *servercacrt,
                                      const char *clientcacrt,
                                      const char *servercrt,
                                      const char *clientcrt,
                                      bool expectServerFail,
                                      bool expectClientFail,
                                      const char *hostname,
                                      const char *const *wildcards)
{
    QCryptoTLSSessionTestData *data = g_new0(QCryptoTLSSessionTestData, 1);
    char *path = g_strdup_printf("/qcrypto/tlssession/%s", name);

    data->servercacrt = servercacrt;
    data->clientcacrt = clientcacrt;
    data->servercrt = servercrt;
    data->clientcrt = clientcrt;
    data->expectServerFail = expectServerFail;
    data->expectClientFail = expectClientFail;
    data->hostname = hostname;
    data->wildcards = wildcards;
    g_ptr_array_add(test_data, data);
    qio_test_add_data_func(path, data, test_tls_session_x509);
    g_free(path);
}

/* ACL patterns matched against the client's DN, "C=UK,CN=qemu". */
static const char *const wildcards1[] = { "C=UK,CN=dogfood", NULL };
static const char *const wildcards2[] = { "C=UK,CN=qemu", NULL };
static const char *const wildcards3[] = {
    "C=UK,CN=dogfood", "C=UK,CN=qemu", NULL,
};
static const char *const wildcards4[] = { "C=UK,CN=qemustuff", NULL };
static const char *const wildcards5[] = { "C=UK,CN=qemu*", NULL };
static const char *const wildcards6[] = { "C=UK,CN=*emu*", NULL };

int main(int argc, char **argv)
{
    QCryptoTLSTestCAChain cachain;
    QCryptoTLSSessionTestData *basic;
    int ret;

    qio_test_init(&argc, &argv);
    g_assert_cmpint(qcrypto_init(NULL), ==, 0);

    g_assert_cmpint(g_mkdir_with_parents(WORKDIR, 0700), ==, 0);
    test_tls_init(KEYFILE);
    test_data = g_ptr_array_new_with_free_func(g_free);

    /*
     * Two unrelated CAs (same key, different names), and for each a
     * server ("qemu.org") and a client ("qemu") certificate.
     */
    TLS_ROOT_CA_REQ(cacertreq, "qemu CA");
    TLS_ROOT_CA_REQ(altcacertreq, "qemu CA 1");
    TLS_LEAF_REQ(servercertreq, cacertreq, "qemu.org",
                 NULL, NULL,
                 NULL, NULL,
                 GNUTLS_KP_TLS_WWW_SERVER);
    TLS_LEAF_REQ(clientcertreq, cacertreq, "qemu",
                 NULL, NULL,
                 NULL, NULL,
                 GNUTLS_KP_TLS_WWW_CLIENT);
    TLS_LEAF_REQ(clientcertaltreq, altcacertreq, "qemu",
                 NULL, NULL,
                 NULL, NULL,
                 GNUTLS_KP_TLS_WWW_CLIENT);

    basic = g_new0(QCryptoTLSSessionTestData, 1);
    basic->servercacrt = cacertreq.filename;
    basic->clientcacrt = cacertreq.filename;
    basic->servercrt = servercertreq.filename;
    basic->clientcrt = clientcertreq.filename;
    basic->hostname = "qemu.org";
    basic->serverPeerName = "C=UK,CN=qemu";
    basic->clientPeerName = "C=UK,CN=qemu.org";
    g_ptr_array_add(test_data, basic);
    qio_test_add_data_func("/qcrypto/tlssession/basicca", basic,
                           test_tls_session_x509);

    /* each side's peer is signed by a CA that side does not trust */
    test_tls_session_register("differentca",
                              cacertreq.filename, altcacertreq.filename,
                              servercertreq.filename,
                              clientcertaltreq.filename,
                              true, true, "qemu.org", NULL);

    /*
     * Server certificates with subjectAltNames.  Once a certificate has
     * DNS altnames, its CN no longer counts as a host name.
     */
    TLS_LEAF_REQ(servercertalt1req, cacertreq, "qemu.org",
                 "www.qemu.org", "qemu.org",
                 "192.168.122.1", "fec0::dead:beaf",
                 GNUTLS_KP_TLS_WWW_SERVER);
    TLS_LEAF_REQ(servercertalt2req, cacertreq, "qemu.org",
                 "www.qemu.org", "wiki.qemu.org",
                 NULL, NULL,
                 GNUTLS_KP_TLS_WWW_SERVER);

    test_tls_session_register("altname1",
                              cacertreq.filename, cacertreq.filename,
                              servercertalt1req.filename,
                              clientcertreq.filename,
                              false, false, "qemu.org", NULL);
    test_tls_session_register("altname2",
                              cacertreq.filename, cacertreq.filename,
                              servercertalt1req.filename,
                              clientcertreq.filename,
                              false, false, "www.qemu.org", NULL);
    test_tls_session_register("altname3",
                              cacertreq.filename, cacertreq.filename,
                              servercertalt1req.filename,
                              clientcertreq.filename,
                              false, true, "wiki.qemu.org", NULL);
    test_tls_session_register("altname4",
                              cacertreq.filename, cacertreq.filename,
                              servercertalt2req.filename,
                              clientcertreq.filename,
                              false, false, "www.qemu.org", NULL);
    test_tls_session_register("altname5",
                              cacertreq.filename, cacertreq.filename,
                              servercertalt2req.filename,
                              clientcertreq.filename,
                              false, false, "wiki.qemu.org", NULL);
    test_tls_session_register("altname6",
                              cacertreq.filename, cacertreq.filename,
                              servercertalt2req.filename,
                              clientcertreq.filename,
                              false, true, "qemu.org", NULL);
    /* beyond QEMU 2.5's list: the IPv4 and IPv6 altnames */
    test_tls_session_register("altname7",
                              cacertreq.filename, cacertreq.filename,
                              servercertalt1req.filename,
                              clientcertreq.filename,
                              false, false, "192.168.122.1", NULL);
    test_tls_session_register("altname8",
                              cacertreq.filename, cacertreq.filename,
                              servercertalt1req.filename,
                              clientcertreq.filename,
                              false, false, "fec0::dead:beaf", NULL);
    test_tls_session_register("altname9",
                              cacertreq.filename, cacertreq.filename,
                              servercertalt2req.filename,
                              clientcertreq.filename,
                              false, true, "192.168.122.1", NULL);

    test_tls_session_register("wildcard1",
                              cacertreq.filename, cacertreq.filename,
                              servercertreq.filename, clientcertreq.filename,
                              true, false, "qemu.org", wildcards1);
    test_tls_session_register("wildcard2",
                              cacertreq.filename, cacertreq.filename,
                              servercertreq.filename, clientcertreq.filename,
                              false, false, "qemu.org", wildcards2);
    test_tls_session_register("wildcard3",
                              cacertreq.filename, cacertreq.filename,
                              servercertreq.filename, clientcertreq.filename,
                              false, false, "qemu.org", wildcards3);
    test_tls_session_register("wildcard4",
                              cacertreq.filename, cacertreq.filename,
                              servercertreq.filename, clientcertreq.filename,
                              true, false, "qemu.org", wildcards4);
    test_tls_session_register("wildcard5",
                              cacertreq.filename, cacertreq.filename,
                              servercertreq.filename, clientcertreq.filename,
                              false, false, "qemu.org", wildcards5);
    test_tls_session_register("wildcard6",
                              cacertreq.filename, cacertreq.filename,
                              servercertreq.filename, clientcertreq.filename,
                              false, false, "qemu.org", wildcards6);

    /*
     * A CA hierarchy in one bundle, trusted by both sides: root, then 1a
     * and 1b signed by root, then 2a signed by 1a.  The server certificate
     * hangs off 2a, the client certificate off 1b.
     */
    test_tls_ca_chain_generate(&cachain, WORKDIR);

    test_tls_session_register("cachain",
                              cachain.bundle,
                              cachain.bundle,
                              cachain.server.filename,
                              cachain.client.filename,
                              false, false, "qemu.org", NULL);

    qio_test_add_func("/qcrypto/tlssession/anon", test_tls_session_anon);
    qio_test_add_data_func("/qcrypto/tlssession/priority/default",
                           &priority_tests[0], test_tls_session_priority);
    qio_test_add_data_func("/qcrypto/tlssession/priority/server-aes128",
                           &priority_tests[1], test_tls_session_priority);
    qio_test_add_data_func("/qcrypto/tlssession/priority/client-aes128",
                           &priority_tests[2], test_tls_session_priority);
    qio_test_add_data_func("/qcrypto/tlssession/priority/mismatch",
                           &priority_tests[3], test_tls_session_priority);
    qio_test_add_func("/qcrypto/tlssession/priority/bad",
                      test_tls_session_priority_bad);
    qio_test_add_data_func("/qcrypto/tlssession/psk/default-user",
                           &psk_tests[0], test_tls_session_psk);
    qio_test_add_data_func("/qcrypto/tlssession/psk/acl-allow",
                           &psk_tests[1], test_tls_session_psk);
    qio_test_add_data_func("/qcrypto/tlssession/psk/acl-deny",
                           &psk_tests[2], test_tls_session_psk);
    qio_test_add_data_func("/qcrypto/tlssession/psk/wrong-key",
                           &psk_tests[3], test_tls_session_psk);

    ret = g_test_run();

    test_tls_discard_cert(&cacertreq);
    test_tls_discard_cert(&altcacertreq);
    test_tls_discard_cert(&servercertreq);
    test_tls_discard_cert(&clientcertreq);
    test_tls_discard_cert(&clientcertaltreq);
    test_tls_discard_cert(&servercertalt1req);
    test_tls_discard_cert(&servercertalt2req);
    test_tls_ca_chain_discard(&cachain);

    test_tls_cleanup(KEYFILE);
    rmdir(WORKDIR);
    g_ptr_array_unref(test_data);

    return ret;
}

#else /* ! QCRYPTO_HAVE_TLS_TEST_SUPPORT */

static void test_tls_unsupported(void)
{
    g_test_skip("certificates cannot be generated in this build");
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/qcrypto/tlssession/unsupported",
                      test_tls_unsupported);
    return g_test_run();
}

#endif /* QCRYPTO_HAVE_TLS_TEST_SUPPORT */
