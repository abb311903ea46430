/*
 * Tests of TLS sessions: a server and a client session talk over a
 * non-blocking socketpair through the session's transport callbacks, both
 * handshakes are stepped in turn from one thread, and then each side's
 * verdict on its peer (certificate chain, hostname, ACL) is compared with
 * what the case expects.  x509 credentials use certificates generated at
 * start-up; anonymous and PSK credentials are covered too, as are the
 * server's DH parameters (tests/data/dh-params.pem, built-in groups, a
 * corrupt file) and the RSA key exchange with and without
 * keyEncipherment.
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

/*
 * A private temporary directory, so that concurrent runs cannot meet: the
 * generated certificates and key files in it, and the "server/" and
 * "client/" credential directories below it, which each case fills and
 * removes again.
 */
static char *workdir;
static char *serverdir;
static char *clientdir;
/* one file per built-in key, to go with the certificates carrying it */
static char *keyfiles[QCRYPTO_TLS_TEST_KEY__MAX];
#define WORKDIR workdir

#define ACLNAME "tlssessionacl"

/* What check_credentials says when it refuses a peer, by reason. */
#define TLS_ERR_SIGNATURE "signature"
#define TLS_ERR_HOSTNAME "does not match the hostname"
#define TLS_ERR_ACL "TLS x509 ACL check for C=UK,CN=qemu is denied"

/*
 * Each side of a handshake runs until it would block, then the other
 * side gets its turn.  A handful of turns is enough for any handshake;
 * this bound only stops a broken implementation from spinning forever.
 */
#define MAX_HANDSHAKE_TURNS 1000

typedef struct QCryptoTLSSessionTestData {
    const char *servercacrt;
    const char *clientcacrt;
    const QCryptoTLSTestCertReq *servercrt;
    const QCryptoTLSTestCertReq *clientcrt;
    /* NULL when the side accepts its peer, else part of its error */
    const char *serverErr;
    const char *clientErr;
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

/*
 * Runs check_credentials on @sess and compares the verdict: acceptance
 * when @errmsg is NULL, else a refusal whose message contains @errmsg.
 */
static void test_tls_check_peer(QCryptoTLSSession *sess, const char *side,
                                const char *errmsg)
{
    Error *err = NULL;
    int rv = qcrypto_tls_session_check_credentials(sess, &err);

    if (errmsg) {
        if (rv == 0) {
            g_error("the %s accepted its peer but should have refused it",
                    side);
        }
        g_assert_cmpint(rv, ==, -1);
        if (g_test_verbose()) {
            g_test_message("the %s refused its peer as expected: %s",
                           side, err ? error_get_pretty(err) : "(none)");
        }
        qio_assert_error_contains(err, errmsg);
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
    char *dst = g_build_filename(dir, name, NULL);

    unlink(dst);
    if (link(src, dst) < 0) {
        g_error("cannot link %s to %s: %s", src, dst, g_strerror(errno));
    }
    g_free(dst);
}

static void test_tls_unlink(const char *dir, const char *name)
{
    char *path = g_build_filename(dir, name, NULL);

    unlink(path);
    g_free(path);
}

static void test_tls_make_dirs(void)
{
    g_assert_cmpint(mkdir(serverdir, 0700), ==, 0);
    g_assert_cmpint(mkdir(clientdir, 0700), ==, 0);
}

static void test_tls_remove_dirs(void)
{
    g_assert_cmpint(rmdir(serverdir), ==, 0);
    g_assert_cmpint(rmdir(clientdir), ==, 0);
}

/* Removes the x509 files a case linked in, then the directories. */
static void test_tls_remove_x509_dirs(void)
{
    test_tls_unlink(serverdir, QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_tls_unlink(serverdir, QCRYPTO_TLS_CREDS_X509_SERVER_CERT);
    test_tls_unlink(serverdir, QCRYPTO_TLS_CREDS_X509_SERVER_KEY);
    test_tls_unlink(clientdir, QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_tls_unlink(clientdir, QCRYPTO_TLS_CREDS_X509_CLIENT_CERT);
    test_tls_unlink(clientdir, QCRYPTO_TLS_CREDS_X509_CLIENT_KEY);
    test_tls_remove_dirs();
}

/* Frees both sessions and their credentials, and closes the transport. */
static void test_tls_pair_free(QCryptoTLSSession *serverSess,
                               QCryptoTLSSession *clientSess,
                               Object *serverCreds, Object *clientCreds,
                               int channel[2])
{
    qcrypto_tls_session_free(serverSess);
    qcrypto_tls_session_free(clientSess);
    object_unparent(serverCreds);
    object_unparent(clientCreds);
    close(channel[0]);
    close(channel[1]);
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
    test_tls_link(data->servercacrt, serverdir,
                  QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_tls_link(data->servercrt->filename, serverdir,
                  QCRYPTO_TLS_CREDS_X509_SERVER_CERT);
    test_tls_link(keyfiles[data->servercrt->key], serverdir,
                  QCRYPTO_TLS_CREDS_X509_SERVER_KEY);
    test_tls_link(data->clientcacrt, clientdir,
                  QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_tls_link(data->clientcrt->filename, clientdir,
                  QCRYPTO_TLS_CREDS_X509_CLIENT_CERT);
    test_tls_link(keyfiles[data->clientcrt->key], clientdir,
                  QCRYPTO_TLS_CREDS_X509_CLIENT_KEY);

    serverCreds = test_tls_creds_new(TYPE_QCRYPTO_TLS_CREDS_X509,
                                     "testtlscredsserver", true,
                                     serverdir, NULL);
    clientCreds = test_tls_creds_new(TYPE_QCRYPTO_TLS_CREDS_X509,
                                     "testtlscredsclient", false,
                                     clientdir, NULL);

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

    test_tls_check_peer(serverSess, "server", data->serverErr);
    test_tls_check_peer(clientSess, "client", data->clientErr);
    if (data->serverPeerName) {
        test_tls_check_peer_name(serverSess, data->serverPeerName);
    }
    if (data->clientPeerName) {
        test_tls_check_peer_name(clientSess, data->clientPeerName);
    }
    if (!data->serverErr && !data->clientErr) {
        g_assert_cmpint(qcrypto_tls_session_get_key_size(serverSess,
                                                         &error_abort), >, 0);
        g_assert_cmpint(qcrypto_tls_session_get_key_size(clientSess,
                                                         &error_abort), >, 0);
    }

    /* whatever the verdicts, the record layer is up in both directions */
    test_tls_transfer(clientSess, serverSess, "Hello from the client");
    test_tls_transfer(serverSess, clientSess, "And hello from the server");

    test_tls_pair_free(serverSess, clientSess, serverCreds, clientCreds,
                       channel);

    test_tls_remove_x509_dirs();
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
    test_tls_check_peer(serverSess, "server", NULL);
    test_tls_check_peer(clientSess, "client", NULL);
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

    test_tls_pair_free(serverSess, clientSess, serverCreds, clientCreds,
                       channel);
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

    test_tls_pair_free(serverSess, clientSess, serverCreds, clientCreds,
                       channel);
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
    char *path = g_build_filename(dir, QCRYPTO_TLS_CREDS_PSKFILE, NULL);
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
    test_tls_write_psk_file(serverdir,
                            "# identities this server accepts\n"
                            "someone:0123456789abcdef0123456789abcdef\n"
                            "\n"
                            PSK_USERNAME ":" PSK_KEY_GOOD "\n");
    test_tls_write_psk_file(clientdir, data->clientKeys);

    serverCreds = test_tls_creds_new(TYPE_QCRYPTO_TLS_CREDS_PSK,
                                     "testtlscredsserver", true,
                                     serverdir, NULL);
    clientCreds = test_tls_creds_new(TYPE_QCRYPTO_TLS_CREDS_PSK,
                                     "testtlscredsclient", false,
                                     clientdir, data->username);

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
        test_tls_check_peer(serverSess, "server",
                            data->expectServerFail ?
                            "TLS PSK ACL check for " PSK_USERNAME
                            " is denied" : NULL);
        test_tls_check_peer(clientSess, "client", NULL);
        if (!data->expectServerFail) {
            test_tls_check_peer_name(serverSess,
                                     data->username ? data->username :
                                     QCRYPTO_TLS_CREDS_PSK_DEFAULT_USERNAME);
        }
        test_tls_transfer(clientSess, serverSess, "pre-shared request");
        test_tls_transfer(serverSess, clientSess, "pre-shared reply");
    }

    test_tls_pair_free(serverSess, clientSess, serverCreds, clientCreds,
                       channel);

    test_tls_unlink(serverdir, QCRYPTO_TLS_CREDS_PSKFILE);
    test_tls_unlink(clientdir, QCRYPTO_TLS_CREDS_PSKFILE);
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

/*
 * DH parameters.  In TLS 1.2 the ServerKeyExchange message travels in the
 * clear and opens with the prime of the group the server picked, so the
 * bytes the server sent tell which group it used, and that a DHE key
 * exchange took place at all.
 *
 * The client offers no named groups: the ANON-ECDH that sessions add to
 * any priority then cannot be chosen, and the server cannot negotiate an
 * RFC 7919 group with it either.
 */
#define DH_CLIENT_PRIORITY "NORMAL:-VERS-TLS1.3:-KX-ALL:+ANON-DH:-GROUP-ALL"
#define DH_SERVER_PRIORITY "NORMAL:-KX-ALL:+ANON-DH"
/* Without the well-known groups GnuTLS falls back to the loaded file. */
#define DH_SERVER_PRIORITY_NO_GROUPS DH_SERVER_PRIORITY ":-GROUP-DH-ALL"

typedef struct QCryptoTLSSessionDHTestData {
    bool withFile;
    const char *serverPriority;
    /* whether the file's prime, else ffdhe2048, must be on the wire */
    bool expectFilePrime;
} QCryptoTLSSessionDHTestData;

static const QCryptoTLSSessionDHTestData dh_tests[] = {
    /* the committed dh-params.pem is what the server uses */
    { true, DH_SERVER_PRIORITY_NO_GROUPS, true },
    /* no file: GnuTLS' built-in 2048-bit group */
    { false, DH_SERVER_PRIORITY, false },
    /*
     * The file is loaded, but GnuTLS (3.6 and later) prefers a built-in
     * group of the same size from the priority, as tlscreds.h says.
     */
    { true, DH_SERVER_PRIORITY, false },
};

/* A transport that also keeps a copy of everything it wrote. */
typedef struct QCryptoTLSTestWire {
    int fd;
    GByteArray *sent;
} QCryptoTLSTestWire;

static ssize_t test_tls_push_recorded(const char *buf, size_t len,
                                      void *opaque)
{
    QCryptoTLSTestWire *wire = opaque;
    ssize_t ret = write(wire->fd, buf, len);

    if (ret > 0) {
        g_byte_array_append(wire->sent, (const guint8 *)buf, ret);
    }
    return ret;
}

static ssize_t test_tls_pull_recorded(char *buf, size_t len, void *opaque)
{
    QCryptoTLSTestWire *wire = opaque;

    return read(wire->fd, buf, len);
}

/* Whether the big-endian number @num appears in @bytes. */
static bool test_tls_bytes_contain(GByteArray *bytes,
                                   const gnutls_datum_t *num)
{
    const unsigned char *p = num->data;
    size_t n = num->size;

    while (n && *p == 0) {
        p++;
        n--;
    }
    g_assert_cmpuint(n, >, 0);
    return memmem(bytes->data, bytes->len, p, n) != NULL;
}

static char *test_tls_dh_params_source(void)
{
    const char *srcdir = g_getenv("QIO_SRCDIR");
    char *path;

    if (!srcdir) {
        g_error("QIO_SRCDIR is not set: run from make check");
    }
    path = g_build_filename(srcdir, "tests", "data",
                            QCRYPTO_TLS_CREDS_DH_PARAMS, NULL);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_error("%s not found", path);
    }
    return path;
}

/* The prime of the committed DH parameters, to free with gnutls_free(). */
static void test_tls_dh_params_prime(gnutls_datum_t *prime)
{
    char *path = test_tls_dh_params_source();
    gnutls_dh_params_t params;
    gnutls_datum_t pem, generator;
    unsigned int bits = 0;
    gchar *contents;
    gsize len;

    g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
    pem.data = (unsigned char *)contents;
    pem.size = len;
    g_assert_cmpint(gnutls_dh_params_init(&params), ==, 0);
    g_assert_cmpint(gnutls_dh_params_import_pkcs3(params, &pem,
                                                  GNUTLS_X509_FMT_PEM),
                    ==, 0);
    g_assert_cmpint(gnutls_dh_params_export_raw(params, prime, &generator,
                                                &bits), ==, 0);
    /* a 2048-bit prime, possibly with a zero byte keeping it positive */
    g_assert_cmpuint(prime->size, >=, 256);
    g_assert_cmpuint(prime->size, <=, 257);
    gnutls_free(generator.data);
    gnutls_dh_params_deinit(params);
    g_free(contents);
    g_free(path);
}

/* Copies @contents into @dir as the DH parameters file. */
static void test_tls_write_dh_params(const char *dir, const char *contents,
                                     gssize len)
{
    char *path = g_build_filename(dir, QCRYPTO_TLS_CREDS_DH_PARAMS, NULL);
    GError *gerr = NULL;

    if (!g_file_set_contents(path, contents, len, &gerr)) {
        g_error("cannot write %s: %s", path, gerr->message);
    }
    g_free(path);
}

/*
 * An anonymous handshake with DHE forced, the server's directory holding
 * the committed dh-params.pem or nothing, and checks which prime the
 * server sent: the file's or GnuTLS' built-in ffdhe2048 (RFC 7919).
 */
static void test_tls_session_dh(gconstpointer opaque)
{
    const QCryptoTLSSessionDHTestData *data = opaque;
    QCryptoTLSSession *serverSess;
    QCryptoTLSSession *clientSess;
    Object *serverCreds;
    Object *clientCreds;
    QCryptoTLSTestWire serverWire;
    gnutls_datum_t fileprime;
    Error *serr = NULL;
    Error *cerr = NULL;
    int channel[2];

    test_tls_dh_params_prime(&fileprime);
    test_tls_make_dirs();
    if (data->withFile) {
        char *src = test_tls_dh_params_source();
        gchar *contents;
        gsize len;

        g_assert_true(g_file_get_contents(src, &contents, &len, NULL));
        test_tls_write_dh_params(serverdir, contents, len);
        g_free(contents);
        g_free(src);
    }

    serverCreds = object_new_with_props(TYPE_QCRYPTO_TLS_CREDS_ANON,
                                        object_get_objects_root(),
                                        "dhserver", &error_abort,
                                        "endpoint", "server",
                                        "dir", serverdir,
                                        "priority", data->serverPriority,
                                        NULL);
    clientCreds = test_tls_anon_creds_new("dhclient", false,
                                          DH_CLIENT_PRIORITY, &error_abort);

    test_tls_socketpair(channel);
    serverWire.fd = channel[0];
    serverWire.sent = g_byte_array_new();
    serverSess = test_tls_session_new(serverCreds, true, NULL, NULL,
                                      &channel[0]);
    qcrypto_tls_session_set_callbacks(serverSess, test_tls_push_recorded,
                                      test_tls_pull_recorded, &serverWire);
    clientSess = test_tls_session_new(clientCreds, false, NULL, NULL,
                                      &channel[1]);

    if (!test_tls_handshake(serverSess, clientSess, &serr, &cerr)) {
        g_error("handshake failed: server: %s, client: %s",
                serr ? error_get_pretty(serr) : "ok",
                cerr ? error_get_pretty(cerr) : "ok");
    }
    if (data->expectFilePrime) {
        g_assert_true(test_tls_bytes_contain(serverWire.sent, &fileprime));
        g_assert_false(test_tls_bytes_contain(serverWire.sent,
                                              &gnutls_ffdhe_2048_group_prime));
    } else {
        g_assert_false(test_tls_bytes_contain(serverWire.sent, &fileprime));
        g_assert_true(test_tls_bytes_contain(serverWire.sent,
                                             &gnutls_ffdhe_2048_group_prime));
    }
    test_tls_transfer(clientSess, serverSess, "over a DH key");
    test_tls_transfer(serverSess, clientSess, "and back");

    test_tls_pair_free(serverSess, clientSess, serverCreds, clientCreds,
                       channel);
    g_byte_array_unref(serverWire.sent);
    gnutls_free(fileprime.data);

    test_tls_unlink(serverdir, QCRYPTO_TLS_CREDS_DH_PARAMS);
    test_tls_remove_dirs();
}

/* The certificates the x509 server of the corrupt-DH case loads. */
static const QCryptoTLSTestCertReq *dh_x509_ca;
static const QCryptoTLSTestCertReq *dh_x509_server;

/*
 * A dh-params.pem GnuTLS cannot parse makes loading server credentials
 * of every kind fail, naming the file, instead of silently falling back
 * to the built-in groups.
 */
static void test_tls_session_dh_corrupt(gconstpointer opaque)
{
    const char *type = opaque;
    /* well-formed PEM and base64, but not a DH parameters structure */
    static const char corrupt[] =
        "-----BEGIN DH PARAMETERS-----\n"
        "VGhlc2UgYXJlIG5vdCBESCBwYXJhbWV0ZXJzIGF0IGFsbC4=\n"
        "-----END DH PARAMETERS-----\n";
    char *path = g_build_filename(serverdir, QCRYPTO_TLS_CREDS_DH_PARAMS,
                                  NULL);
    char *expected = g_strdup_printf("Cannot load DH parameters from %s",
                                     path);
    Error *err = NULL;
    Object *creds;

    test_tls_make_dirs();
    test_tls_write_dh_params(serverdir, corrupt, -1);
    if (g_str_equal(type, TYPE_QCRYPTO_TLS_CREDS_PSK)) {
        test_tls_write_psk_file(serverdir, "qemu:00112233\n");
    } else if (g_str_equal(type, TYPE_QCRYPTO_TLS_CREDS_X509)) {
        test_tls_link(dh_x509_ca->filename, serverdir,
                      QCRYPTO_TLS_CREDS_X509_CA_CERT);
        test_tls_link(dh_x509_server->filename, serverdir,
                      QCRYPTO_TLS_CREDS_X509_SERVER_CERT);
        test_tls_link(keyfiles[dh_x509_server->key], serverdir,
                      QCRYPTO_TLS_CREDS_X509_SERVER_KEY);
    }

    creds = object_new_with_props(type, object_get_objects_root(),
                                  "dhcorrupt", &err,
                                  "endpoint", "server",
                                  "dir", serverdir,
                                  NULL);
    g_assert_null(creds);
    qio_assert_error_contains(err, expected);
    error_free(err);
    g_assert_null(object_resolve_path_component(object_get_objects_root(),
                                                "dhcorrupt"));

    test_tls_unlink(serverdir, QCRYPTO_TLS_CREDS_DH_PARAMS);
    test_tls_unlink(serverdir, QCRYPTO_TLS_CREDS_PSKFILE);
    test_tls_unlink(serverdir, QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_tls_unlink(serverdir, QCRYPTO_TLS_CREDS_X509_SERVER_CERT);
    test_tls_unlink(serverdir, QCRYPTO_TLS_CREDS_X509_SERVER_KEY);
    test_tls_remove_dirs();
    g_free(expected);
    g_free(path);
}

/*
 * The RSA key exchange: the client encrypts the premaster secret to the
 * server certificate's RSA key, the use keyUsage keyEncipherment is
 * about (TLS 1.3 and the ECDHE exchanges only ever sign).  It is forced
 * on both sides, so a handshake can only succeed through it.
 */
#define RSA_KX_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA"

typedef struct QCryptoTLSSessionRSATestData {
    const QCryptoTLSTestCertReq *servercrt;
    const QCryptoTLSTestCertReq *clientcrt;
    const char *cacrt;
    /* NULL when the handshake must succeed, else part of the server's error */
    const char *handshakeErr;
} QCryptoTLSSessionRSATestData;

static Object *test_tls_x509_creds_priority(const char *id, bool isServer,
                                            const char *dir,
                                            const char *priority)
{
    return object_new_with_props(TYPE_QCRYPTO_TLS_CREDS_X509,
                                 object_get_objects_root(), id,
                                 &error_abort,
                                 "endpoint", isServer ? "server" : "client",
                                 "dir", dir,
                                 "verify-peer", "yes",
                                 "sanity-check", "no",
                                 "priority", priority,
                                 NULL);
}

static void test_tls_session_rsa_kx(gconstpointer opaque)
{
    const QCryptoTLSSessionRSATestData *data = opaque;
    QCryptoTLSSession *serverSess;
    QCryptoTLSSession *clientSess;
    Object *serverCreds;
    Object *clientCreds;
    Error *serr = NULL;
    Error *cerr = NULL;
    int channel[2];

    g_assert_cmpint(data->servercrt->key, ==, QCRYPTO_TLS_TEST_KEY_RSA);
    test_tls_make_dirs();
    test_tls_link(data->cacrt, serverdir, QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_tls_link(data->servercrt->filename, serverdir,
                  QCRYPTO_TLS_CREDS_X509_SERVER_CERT);
    test_tls_link(keyfiles[data->servercrt->key], serverdir,
                  QCRYPTO_TLS_CREDS_X509_SERVER_KEY);
    test_tls_link(data->cacrt, clientdir, QCRYPTO_TLS_CREDS_X509_CA_CERT);
    test_tls_link(data->clientcrt->filename, clientdir,
                  QCRYPTO_TLS_CREDS_X509_CLIENT_CERT);
    test_tls_link(keyfiles[data->clientcrt->key], clientdir,
                  QCRYPTO_TLS_CREDS_X509_CLIENT_KEY);

    serverCreds = test_tls_x509_creds_priority("rsaserver", true, serverdir,
                                               RSA_KX_PRIORITY);
    clientCreds = test_tls_x509_creds_priority("rsaclient", false, clientdir,
                                               RSA_KX_PRIORITY);

    test_tls_socketpair(channel);
    serverSess = test_tls_session_new(serverCreds, true, NULL, NULL,
                                      &channel[0]);
    clientSess = test_tls_session_new(clientCreds, false, "qemu.org", NULL,
                                      &channel[1]);

    if (data->handshakeErr) {
        g_assert_false(test_tls_handshake(serverSess, clientSess,
                                          &serr, &cerr));
        if (g_test_verbose()) {
            g_test_message("handshake failed as expected: server: %s, "
                           "client: %s",
                           serr ? error_get_pretty(serr) : "ok",
                           cerr ? error_get_pretty(cerr) : "ok");
        }
        /*
         * The server will not offer a key exchange its certificate does
         * not allow, so it gives up first.
         */
        qio_assert_error_contains(serr, data->handshakeErr);
        error_free(serr);
        error_free(cerr);
    } else {
        if (!test_tls_handshake(serverSess, clientSess, &serr, &cerr)) {
            g_error("handshake failed: server: %s, client: %s",
                    serr ? error_get_pretty(serr) : "ok",
                    cerr ? error_get_pretty(cerr) : "ok");
        }
        test_tls_check_peer(serverSess, "server", NULL);
        test_tls_check_peer(clientSess, "client", NULL);
        test_tls_transfer(clientSess, serverSess, "premaster encrypted");
        test_tls_transfer(serverSess, clientSess, "to an RSA key");
    }

    test_tls_pair_free(serverSess, clientSess, serverCreds, clientCreds,
                       channel);

    test_tls_remove_x509_dirs();
}

static GPtrArray *test_data;

/*
 * Registers an x509 case.  @serverErr and @clientErr are NULL when that
 * side must accept its peer, else text its refusal must contain.
 */
static void test_tls_session_register(const char *name,
                                      const char *servercacrt,
                                      const char *clientcacrt,
                                      const QCryptoTLSTestCertReq *servercrt,
                                      const QCryptoTLSTestCertReq *clientcrt,
                                      const char *serverErr,
                                      const char *clientErr,
                                      const char *hostname,
                                      const char *const *wildcards)
{
    QCryptoTLSSessionTestData *data = g_new0(QCryptoTLSSessionTestData, 1);
    char *path = g_strdup_printf("/qcrypto/tlssession/%s", name);

    data->servercacrt = servercacrt;
    data->clientcacrt = clientcacrt;
    data->servercrt = servercrt;
    data->clientcrt = clientcrt;
    data->serverErr = serverErr;
    data->clientErr = clientErr;
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
    QCryptoTLSSessionRSATestData rsa_tests[2] = { { 0 } };
    size_t i;
    int ret;

    qio_test_init(&argc, &argv);
    g_assert_cmpint(qcrypto_init(NULL), ==, 0);

    workdir = scratch_dir_new("qio-test-tlssession");
    serverdir = g_build_filename(workdir, "server", NULL);
    clientdir = g_build_filename(workdir, "client", NULL);
    for (i = 0; i < G_N_ELEMENTS(keyfiles); i++) {
        char *name = g_strdup_printf("key%zu-ctx.pem", i);

        keyfiles[i] = g_build_filename(workdir, name, NULL);
        g_free(name);
    }
    test_tls_init(keyfiles[QCRYPTO_TLS_TEST_KEY_EC]);
    for (i = 0; i < G_N_ELEMENTS(keyfiles); i++) {
        test_tls_write_key(i, keyfiles[i]);
    }
    test_data = g_ptr_array_new_with_free_func(g_free);

    /*
     * Two CAs with the same name but different keys, and for each a
     * server ("qemu.org", with the RSA key) and a client ("qemu")
     * certificate.  Since the names match, a certificate of one CA
     * presented to a side trusting the other finds an issuer by name:
     * only the signature can give it away.
     */
    TLS_ROOT_CA_REQ(cacertreq, "qemu CA", QCRYPTO_TLS_TEST_KEY_EC);
    TLS_ROOT_CA_REQ(altcacertreq, "qemu CA", QCRYPTO_TLS_TEST_KEY_EC_ALT);
    TLS_LEAF_REQ(servercertreq, cacertreq, "qemu.org",
                 NULL, NULL,
                 NULL, NULL,
                 GNUTLS_KP_TLS_WWW_SERVER, QCRYPTO_TLS_TEST_KEY_RSA);
    TLS_LEAF_REQ(clientcertreq, cacertreq, "qemu",
                 NULL, NULL,
                 NULL, NULL,
                 GNUTLS_KP_TLS_WWW_CLIENT, QCRYPTO_TLS_TEST_KEY_EC);
    TLS_LEAF_REQ(clientcertaltreq, altcacertreq, "qemu",
                 NULL, NULL,
                 NULL, NULL,
                 GNUTLS_KP_TLS_WWW_CLIENT, QCRYPTO_TLS_TEST_KEY_EC);

    basic = g_new0(QCryptoTLSSessionTestData, 1);
    basic->servercacrt = cacertreq.filename;
    basic->clientcacrt = cacertreq.filename;
    basic->servercrt = &servercertreq;
    basic->clientcrt = &clientcertreq;
    basic->hostname = "qemu.org";
    basic->serverPeerName = "C=UK,CN=qemu";
    basic->clientPeerName = "C=UK,CN=qemu.org";
    g_ptr_array_add(test_data, basic);
    qio_test_add_data_func("/qcrypto/tlssession/basicca", basic,
                           test_tls_session_x509);

    /*
     * Each side's peer is signed by the other key of the same CA name, so
     * both refuse it for its signature.
     */
    test_tls_session_register("differentca",
                              cacertreq.filename, altcacertreq.filename,
                              &servercertreq, &clientcertaltreq,
                              TLS_ERR_SIGNATURE, TLS_ERR_SIGNATURE,
                              "qemu.org", NULL);

    /*
     * Server certificates with subjectAltNames.  Once a certificate has
     * DNS altnames, its CN no longer counts as a host name.
     */
    TLS_LEAF_REQ(servercertalt1req, cacertreq, "qemu.org",
                 "www.qemu.org", "qemu.org",
                 "192.168.122.1", "fec0::dead:beaf",
                 GNUTLS_KP_TLS_WWW_SERVER, QCRYPTO_TLS_TEST_KEY_RSA);
    TLS_LEAF_REQ(servercertalt2req, cacertreq, "qemu.org",
                 "www.qemu.org", "wiki.qemu.org",
                 NULL, NULL,
                 GNUTLS_KP_TLS_WWW_SERVER, QCRYPTO_TLS_TEST_KEY_RSA);

    test_tls_session_register("altname1",
                              cacertreq.filename, cacertreq.filename,
                              &servercertalt1req,
                              &clientcertreq,
                              NULL, NULL, "qemu.org", NULL);
    test_tls_session_register("altname2",
                              cacertreq.filename, cacertreq.filename,
                              &servercertalt1req,
                              &clientcertreq,
                              NULL, NULL, "www.qemu.org", NULL);
    test_tls_session_register("altname3",
                              cacertreq.filename, cacertreq.filename,
                              &servercertalt1req,
                              &clientcertreq,
                              NULL, TLS_ERR_HOSTNAME, "wiki.qemu.org",
                              NULL);
    test_tls_session_register("altname4",
                              cacertreq.filename, cacertreq.filename,
                              &servercertalt2req,
                              &clientcertreq,
                              NULL, NULL, "www.qemu.org", NULL);
    test_tls_session_register("altname5",
                              cacertreq.filename, cacertreq.filename,
                              &servercertalt2req,
                              &clientcertreq,
                              NULL, NULL, "wiki.qemu.org", NULL);
    test_tls_session_register("altname6",
                              cacertreq.filename, cacertreq.filename,
                              &servercertalt2req,
                              &clientcertreq,
                              NULL, TLS_ERR_HOSTNAME, "qemu.org", NULL);
    /* beyond QEMU 2.5's list: the IPv4 and IPv6 altnames */
    test_tls_session_register("altname7",
                              cacertreq.filename, cacertreq.filename,
                              &servercertalt1req,
                              &clientcertreq,
                              NULL, NULL, "192.168.122.1", NULL);
    test_tls_session_register("altname8",
                              cacertreq.filename, cacertreq.filename,
                              &servercertalt1req,
                              &clientcertreq,
                              NULL, NULL, "fec0::dead:beaf", NULL);
    test_tls_session_register("altname9",
                              cacertreq.filename, cacertreq.filename,
                              &servercertalt2req,
                              &clientcertreq,
                              NULL, TLS_ERR_HOSTNAME, "192.168.122.1",
                              NULL);

    test_tls_session_register("wildcard1",
                              cacertreq.filename, cacertreq.filename,
                              &servercertreq, &clientcertreq,
                              TLS_ERR_ACL, NULL, "qemu.org", wildcards1);
    test_tls_session_register("wildcard2",
                              cacertreq.filename, cacertreq.filename,
                              &servercertreq, &clientcertreq,
                              NULL, NULL, "qemu.org", wildcards2);
    test_tls_session_register("wildcard3",
                              cacertreq.filename, cacertreq.filename,
                              &servercertreq, &clientcertreq,
                              NULL, NULL, "qemu.org", wildcards3);
    test_tls_session_register("wildcard4",
                              cacertreq.filename, cacertreq.filename,
                              &servercertreq, &clientcertreq,
                              TLS_ERR_ACL, NULL, "qemu.org", wildcards4);
    test_tls_session_register("wildcard5",
                              cacertreq.filename, cacertreq.filename,
                              &servercertreq, &clientcertreq,
                              NULL, NULL, "qemu.org", wildcards5);
    test_tls_session_register("wildcard6",
                              cacertreq.filename, cacertreq.filename,
                              &servercertreq, &clientcertreq,
                              NULL, NULL, "qemu.org", wildcards6);

    /*
     * A CA hierarchy in one bundle, trusted by both sides: root, then 1a
     * and 1b signed by root, then 2a signed by 1a.  The server certificate
     * hangs off 2a, the client certificate off 1b.
     */
    test_tls_ca_chain_generate(&cachain, workdir);

    test_tls_session_register("cachain",
                              cachain.bundle,
                              cachain.bundle,
                              &cachain.server,
                              &cachain.client,
                              NULL, NULL, "qemu.org", NULL);

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
    qio_test_add_data_func("/qcrypto/tlssession/dh/params-file",
                           &dh_tests[0], test_tls_session_dh);
    qio_test_add_data_func("/qcrypto/tlssession/dh/built-in",
                           &dh_tests[1], test_tls_session_dh);
#if LIBGNUTLS_VERSION_NUMBER >= 0x030600
    qio_test_add_data_func("/qcrypto/tlssession/dh/params-file-overridden",
                           &dh_tests[2], test_tls_session_dh);
#endif
    /*
     * For the RSA key exchange: the server certificate of every other
     * case, and one whose critical keyUsage lacks keyEncipherment.
     */
    TLS_CERT_REQ(servercertnokeyencreq, cacertreq,
                 "UK", "qemu.org", NULL, NULL, NULL, NULL,
                 true, true, false,
                 true, true, GNUTLS_KEY_DIGITAL_SIGNATURE,
                 true, true, GNUTLS_KP_TLS_WWW_SERVER, NULL,
                 0, 0, QCRYPTO_TLS_TEST_KEY_RSA);
    rsa_tests[0].servercrt = &servercertreq;
    rsa_tests[0].clientcrt = &clientcertreq;
    rsa_tests[0].cacrt = cacertreq.filename;
    rsa_tests[1] = rsa_tests[0];
    rsa_tests[1].servercrt = &servercertnokeyencreq;
    rsa_tests[1].handshakeErr = "TLS handshake failed: No supported cipher";
    qio_test_add_data_func("/qcrypto/tlssession/rsa-kx/keyencipherment",
                           &rsa_tests[0], test_tls_session_rsa_kx);
    qio_test_add_data_func("/qcrypto/tlssession/rsa-kx/no-keyencipherment",
                           &rsa_tests[1], test_tls_session_rsa_kx);

    dh_x509_ca = &cacertreq;
    dh_x509_server = &servercertreq;
    qio_test_add_data_func("/qcrypto/tlssession/dh/corrupt/anon",
                           TYPE_QCRYPTO_TLS_CREDS_ANON,
                           test_tls_session_dh_corrupt);
    qio_test_add_data_func("/qcrypto/tlssession/dh/corrupt/psk",
                           TYPE_QCRYPTO_TLS_CREDS_PSK,
                           test_tls_session_dh_corrupt);
    qio_test_add_data_func("/qcrypto/tlssession/dh/corrupt/x509",
                           TYPE_QCRYPTO_TLS_CREDS_X509,
                           test_tls_session_dh_corrupt);

    ret = g_test_run();

    test_tls_discard_req(&cacertreq);
    test_tls_discard_req(&altcacertreq);
    test_tls_discard_req(&servercertreq);
    test_tls_discard_req(&clientcertreq);
    test_tls_discard_req(&clientcertaltreq);
    test_tls_discard_req(&servercertalt1req);
    test_tls_discard_req(&servercertalt2req);
    test_tls_discard_req(&servercertnokeyencreq);
    test_tls_ca_chain_discard(&cachain);

    test_tls_cleanup(keyfiles[QCRYPTO_TLS_TEST_KEY_EC]);
    for (i = 0; i < G_N_ELEMENTS(keyfiles); i++) {
        unlink(keyfiles[i]);
        g_free(keyfiles[i]);
    }
    scratch_dir_remove(workdir);
    g_free(serverdir);
    g_free(clientdir);
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
