/*
 * TLS benchmarks: bulk transfer through a pair of QIOChannelTLS against
 * raw gnutls sessions over the same kind of socketpair (TLS 1.3,
 * AES-128-GCM, 16 KiB records), and full handshakes with ECDSA P-256 and
 * RSA-2048 certificates, again against raw gnutls.  Certificates are made
 * at start-up with gnutls, so the run needs nothing on disk.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/module.h"
#include "io/channel-socket.h"
#include "io/channel-tls.h"
#include "crypto/init.h"
#include "crypto/tlscredsx509.h"
#include "bench-common.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#define PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM"
#define RECORD (16 * 1024)

/* ---- throwaway certificates ------------------------------------------- */

typedef struct Pki {
    const char *name;
    char *server_dir;       /* ca-cert.pem, server-cert.pem, server-key.pem */
    char *client_dir;       /* ca-cert.pem */
    Object *server_creds;
    Object *client_creds;
} Pki;

static void check_gnutls(int ret, const char *what)
{
    if (ret < 0) {
        g_error("%s: %s", what, gnutls_strerror(ret));
    }
}

static void write_pem(const char *dir, const char *name,
                      const gnutls_datum_t *pem)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    GError *gerr = NULL;

    if (!g_file_set_contents(path, (const char *)pem->data, pem->size,
                             &gerr)) {
        g_error("%s", gerr->message);
    }
}

static gnutls_x509_crt_t make_cert(gnutls_x509_privkey_t key, bool ca,
                                   gnutls_x509_crt_t issuer,
                                   gnutls_x509_privkey_t issuer_key,
                                   unsigned char serial)
{
    gnutls_x509_crt_t crt;
    time_t now = time(NULL);
    const char *cn = ca ? "libqio bench CA" : "localhost";

    check_gnutls(gnutls_x509_crt_init(&crt), "crt_init");
    check_gnutls(gnutls_x509_crt_set_version(crt, 3), "set_version");
    check_gnutls(gnutls_x509_crt_set_serial(crt, &serial, 1), "set_serial");
    check_gnutls(gnutls_x509_crt_set_activation_time(crt, now - 3600),
                 "activation");
    check_gnutls(gnutls_x509_crt_set_expiration_time(crt, now + 86400),
                 "expiration");
    check_gnutls(gnutls_x509_crt_set_dn_by_oid(crt,
                                               GNUTLS_OID_X520_COMMON_NAME,
                                               0, cn, strlen(cn)), "dn");
    check_gnutls(gnutls_x509_crt_set_key(crt, key), "set_key");
    check_gnutls(gnutls_x509_crt_set_basic_constraints(crt, ca, -1),
                 "basic_constraints");
    if (ca) {
        check_gnutls(gnutls_x509_crt_set_key_usage(
                         crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN),
                     "key_usage");
    } else {
        /* The x509 credentials' sanity check wants both bits. */
        check_gnutls(gnutls_x509_crt_set_key_usage(
                         crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                         GNUTLS_KEY_KEY_ENCIPHERMENT), "key_usage");
        check_gnutls(gnutls_x509_crt_set_key_purpose_oid(
                         crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "purpose");
        check_gnutls(gnutls_x509_crt_set_subject_alt_name(
                         crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
                         GNUTLS_FSAN_SET), "altname");
    }
    check_gnutls(gnutls_x509_crt_sign2(crt, issuer ? issuer : crt,
                                       issuer_key ? issuer_key : key,
                                       GNUTLS_DIG_SHA256, 0), "sign");
    return crt;
}

static Object *make_creds(const char *id, const char *dir, bool server)
{
    return object_new_with_props(TYPE_QCRYPTO_TLS_CREDS_X509,
                                 object_get_objects_root(), id,
                                 &error_abort,
                                 "endpoint", server ? "server" : "client",
                                 "dir", dir,
                                 "verify-peer", server ? "no" : "yes",
                                 "priority", PRIORITY,
                                 NULL);
}

static void pki_init(Pki *pki, const char *name, const char *id,
                     const char *top, gnutls_pk_algorithm_t algo,
                     unsigned int bits)
{
    gnutls_x509_privkey_t cakey, key;
    gnutls_x509_crt_t ca, crt;
    gnutls_datum_t pem;
    g_autofree char *sid = g_strdup_printf("%s-server", id);
    g_autofree char *cid = g_strdup_printf("%s-client", id);

    pki->name = name;
    pki->server_dir = g_build_filename(top, sid, NULL);
    pki->client_dir = g_build_filename(top, cid, NULL);
    g_assert(mkdir(pki->server_dir, 0700) == 0);
    g_assert(mkdir(pki->client_dir, 0700) == 0);

    check_gnutls(gnutls_x509_privkey_init(&cakey), "privkey_init");
    check_gnutls(gnutls_x509_privkey_generate(cakey, algo, bits, 0), "gen");
    check_gnutls(gnutls_x509_privkey_init(&key), "privkey_init");
    check_gnutls(gnutls_x509_privkey_generate(key, algo, bits, 0), "gen");
    ca = make_cert(cakey, true, NULL, NULL, 1);
    crt = make_cert(key, false, ca, cakey, 2);

    check_gnutls(gnutls_x509_crt_export2(ca, GNUTLS_X509_FMT_PEM, &pem),
                 "export");
    write_pem(pki->server_dir, "ca-cert.pem", &pem);
    write_pem(pki->client_dir, "ca-cert.pem", &pem);
    gnutls_free(pem.data);
    check_gnutls(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &pem),
                 "export");
    write_pem(pki->server_dir, "server-cert.pem", &pem);
    gnutls_free(pem.data);
    check_gnutls(gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &pem),
                 "export");
    write_pem(pki->server_dir, "server-key.pem", &pem);
    gnutls_free(pem.data);

    gnutls_x509_crt_deinit(ca);
    gnutls_x509_crt_deinit(crt);
    gnutls_x509_privkey_deinit(cakey);
    gnutls_x509_privkey_deinit(key);

    pki->server_creds = make_creds(sid, pki->server_dir, true);
    pki->client_creds = make_creds(cid, pki->client_dir, false);
}

static void pki_remove_dir(const char *dir)
{
    static const char *const files[] = {
        "ca-cert.pem", "server-cert.pem", "server-key.pem",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *path = g_build_filename(dir, files[i], NULL);

        unlink(path);
    }
    rmdir(dir);
}

static void pki_cleanup(Pki *pki)
{
    object_unparent(pki->server_creds);
    object_unparent(pki->client_creds);
    pki_remove_dir(pki->server_dir);
    pki_remove_dir(pki->client_dir);
    g_free(pki->server_dir);
    g_free(pki->client_dir);
}

/* ---- raw gnutls --------------------------------------------------------- */

typedef struct RawCreds {
    gnutls_certificate_credentials_t server;
    gnutls_certificate_credentials_t client;
} RawCreds;

static void raw_creds_init(RawCreds *rc, const Pki *pki)
{
    g_autofree char *ca = g_build_filename(pki->client_dir, "ca-cert.pem",
                                           NULL);
    g_autofree char *cert = g_build_filename(pki->server_dir,
                                             "server-cert.pem", NULL);
    g_autofree char *key = g_build_filename(pki->server_dir,
                                            "server-key.pem", NULL);

    check_gnutls(gnutls_certificate_allocate_credentials(&rc->server),
                 "alloc");
    check_gnutls(gnutls_certificate_set_x509_key_file(
                     rc->server, cert, key, GNUTLS_X509_FMT_PEM), "keyfile");
    check_gnutls(gnutls_certificate_allocate_credentials(&rc->client),
                 "alloc");
    check_gnutls(gnutls_certificate_set_x509_trust_file(
                     rc->client, ca, GNUTLS_X509_FMT_PEM), "trust");
}

static void raw_creds_cleanup(RawCreds *rc)
{
    gnutls_certificate_free_credentials(rc->server);
    gnutls_certificate_free_credentials(rc->client);
}

static gnutls_session_t raw_session(const RawCreds *rc, bool server, int fd)
{
    gnutls_session_t s;

    check_gnutls(gnutls_init(&s, server ? GNUTLS_SERVER : GNUTLS_CLIENT),
                 "init");
    check_gnutls(gnutls_priority_set_direct(s, PRIORITY, NULL), "priority");
    check_gnutls(gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE,
                                        server ? rc->server : rc->client),
                 "credentials");
    if (!server) {
        /* Verify the chain and the name, as the TLS channel does. */
        gnutls_session_set_verify_cert(s, "localhost", 0);
    }
    gnutls_transport_set_int(s, fd);
    return s;
}

static void raw_handshake(gnutls_session_t s)
{
    int ret;

    do {
        ret = gnutls_handshake(s);
    } while (ret < 0 && !gnutls_error_is_fatal(ret));
    check_gnutls(ret, "handshake");
}

/* ---- the two transports under test ---------------------------------- */

typedef enum { IMPL_RAW, IMPL_QIO } Impl;

/* One end of a connection, for either implementation. */
typedef struct End {
    Impl impl;
    bool server;
    int fd;
    const RawCreds *rc;
    const Pki *pki;
    gnutls_session_t raw;
    QIOChannelTLS *tls;
} End;

static void qio_handshake_done(Object *src, Error *err, gpointer opaque)
{
    if (err) {
        g_error("handshake: %s", error_get_pretty(err));
    }
    *(bool *)opaque = true;
}

/* Sets up and handshakes one end over a blocking socket. */
static void end_open(End *e)
{
    if (e->impl == IMPL_RAW) {
        e->raw = raw_session(e->rc, e->server, e->fd);
        raw_handshake(e->raw);
    } else {
        QIOChannel *sock = QIO_CHANNEL(qio_channel_socket_new_fd(
                                           e->fd, &error_abort));
        bool done = false;

        if (e->server) {
            e->tls = qio_channel_tls_new_server(
                sock, QCRYPTO_TLS_CREDS(e->pki->server_creds), NULL,
                &error_abort);
        } else {
            e->tls = qio_channel_tls_new_client(
                sock, QCRYPTO_TLS_CREDS(e->pki->client_creds), "localhost",
                &error_abort);
        }
        object_unref(OBJECT(sock));
        /* On a blocking socket the handshake completes in this call. */
        qio_channel_tls_handshake(e->tls, qio_handshake_done, &done, NULL);
        g_assert(done);
    }
}

static void end_close(End *e)
{
    if (e->impl == IMPL_RAW) {
        gnutls_deinit(e->raw);
        close(e->fd);
    } else {
        /* The socket channel owns the fd. */
        object_unref(OBJECT(e->tls));
    }
}

static void end_write_all(End *e, const char *buf, size_t len)
{
    if (e->impl == IMPL_RAW) {
        while (len) {
            ssize_t n = gnutls_record_send(e->raw, buf, len);

            if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
                continue;
            }
            check_gnutls(n, "record_send");
            buf += n;
            len -= n;
        }
    } else {
        qio_channel_write_all(QIO_CHANNEL(e->tls), buf, len, &error_abort);
    }
}

static ssize_t end_read(End *e, char *buf, size_t len)
{
    ssize_t n;

    if (e->impl == IMPL_RAW) {
        do {
            n = gnutls_record_recv(e->raw, buf, len);
        } while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED);
        check_gnutls(n, "record_recv");
        return n;
    }
    n = qio_channel_read(QIO_CHANNEL(e->tls), buf, len, &error_abort);
    g_assert(n >= 0);
    return n;
}

/* ---- bulk --------------------------------------------------------------- */

typedef struct Bulk {
    Impl impl;
    const RawCreds *rc;
    const Pki *pki;
    size_t total;
    End server;
    int64_t start;      /* set by the receiver once its handshake is done */
} Bulk;

static gpointer bulk_sender(gpointer opaque)
{
    Bulk *b = opaque;
    char *buf = g_malloc(RECORD);
    size_t sent;

    memset(buf, 0x6b, RECORD);
    end_open(&b->server);
    for (sent = 0; sent < b->total; sent += RECORD) {
        end_write_all(&b->server, buf, RECORD);
    }
    g_free(buf);
    return NULL;
}

/* GB/s from the end of the handshake to the last byte received. */
static double bulk_rep(void *opaque)
{
    Bulk *b = opaque;
    End client = { .impl = b->impl, .rc = b->rc, .pki = b->pki };
    char *buf = g_malloc(RECORD);
    GThread *sender;
    size_t got = 0;
    int64_t start;
    int sv[2];

    g_assert(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    b->server = (End) { .impl = b->impl, .server = true, .fd = sv[0],
                        .rc = b->rc, .pki = b->pki };
    client.fd = sv[1];
    sender = g_thread_new("bench-tls-sender", bulk_sender, b);
    end_open(&client);
    start = bench_now_ns();
    while (got < b->total) {
        ssize_t n = end_read(&client, buf, RECORD);

        g_assert(n > 0);
        got += n;
    }
    start = bench_now_ns() - start;
    g_thread_join(sender);
    end_close(&client);
    end_close(&b->server);
    g_free(buf);
    return (double)b->total / (double)start;
}

/* ---- handshakes --------------------------------------------------------- */

typedef struct Hs {
    Impl impl;
    const RawCreds *rc;
    const Pki *pki;
    long count;
} Hs;

static gpointer hs_server(gpointer opaque)
{
    End *e = opaque;
    char byte;

    end_open(e);
    /* Wait for the client's byte, so both ends are fully set up. */
    g_assert(end_read(e, &byte, 1) == 1);
    return NULL;
}

/* Milliseconds per full handshake, the client verifying the server. */
static double hs_rep(void *opaque)
{
    Hs *h = opaque;
    int64_t start = bench_now_ns();
    long i;

    for (i = 0; i < h->count; i++) {
        End server = { .impl = h->impl, .server = true, .rc = h->rc,
                       .pki = h->pki };
        End client = { .impl = h->impl, .rc = h->rc, .pki = h->pki };
        GThread *th;
        int sv[2];

        g_assert(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
                            sv) == 0);
        server.fd = sv[0];
        client.fd = sv[1];
        th = g_thread_new("bench-tls-hs", hs_server, &server);
        end_open(&client);
        end_write_all(&client, "x", 1);
        g_thread_join(th);
        end_close(&client);
        end_close(&server);
    }
    return (double)(bench_now_ns() - start) / 1e6 / (double)h->count;
}

/* ---- main --------------------------------------------------------------- */

static bool bench_bulk(Pki *pki, int reps)
{
    RawCreds rc;
    size_t total = bench_scale(512L << 20) / RECORD * RECORD;
    Bulk b[] = {
        { .impl = IMPL_RAW, .pki = pki, .rc = &rc, .total = total },
        { .impl = IMPL_QIO, .pki = pki, .rc = &rc, .total = total },
    };
    void *ops[] = { &b[0], &b[1] };
    BenchStats st[2];
    BenchStats *raw = &st[0], *qio = &st[1];
    bool ok;

    raw_creds_init(&rc, pki);
    bench_measure_interleaved(st, 2, reps, bulk_rep, ops);
    raw_creds_cleanup(&rc);

    bench_table_header("TLS 1.3 AES-128-GCM bulk, 16 KiB records, UNIX "
                       "socketpair, 2 threads", "GB/s");
    bench_table_row("limit: raw gnutls", raw, NULL, NULL,
                    BENCH_HIGHER_IS_BETTER, 0);
    ok = bench_table_row("QIOChannelTLS", qio, "raw gnutls", raw,
                         BENCH_HIGHER_IS_BETTER, 0.9);
    return ok;
}

static void bench_handshakes(Pki *pkis, size_t n, int reps)
{
    size_t i;

    bench_table_header("TLS 1.3 full handshake, client verifies the "
                       "server (new socketpair and thread each)",
                       "ms/handshake");
    for (i = 0; i < n; i++) {
        RawCreds rc;
        long count = bench_scale(100);
        Hs h[] = {
            { .impl = IMPL_RAW, .pki = &pkis[i], .rc = &rc, .count = count },
            { .impl = IMPL_QIO, .pki = &pkis[i], .rc = &rc, .count = count },
        };
        void *ops[] = { &h[0], &h[1] };
        BenchStats st[2];
        BenchStats *raw = &st[0], *qio = &st[1];
        char name[64];

        raw_creds_init(&rc, &pkis[i]);
        bench_measure_interleaved(st, 2, reps, hs_rep, ops);
        raw_creds_cleanup(&rc);

        g_snprintf(name, sizeof(name), "limit: raw gnutls, %s",
                   pkis[i].name);
        bench_table_row(name, raw, NULL, NULL, BENCH_LOWER_IS_BETTER, 0);
        g_snprintf(name, sizeof(name), "QIOChannelTLS, %s", pkis[i].name);
        bench_table_row(name, qio, "raw gnutls", raw,
                        BENCH_LOWER_IS_BETTER, 0);
    }
}

int main(int argc, char **argv)
{
    int reps = bench_reps(5);
    int cpu;
    Pki pkis[2];
    g_autofree char *top = g_dir_make_tmp("bench-tls-XXXXXX", NULL);
    bool ok;

    module_call_init(MODULE_INIT_QOM);
    qcrypto_init(&error_abort);
    g_assert(top);
    cpu = bench_pin_cpu();
    printf("bench-tls: %d repetitions, pinned to CPU %d, %s; figures are "
           "medians (min-max)\n", reps, cpu, bench_clock_name());

    pki_init(&pkis[0], "ECDSA P-256", "ecdsa", top, GNUTLS_PK_ECDSA,
             GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1));
    pki_init(&pkis[1], "RSA-2048", "rsa", top, GNUTLS_PK_RSA, 2048);

    ok = bench_bulk(&pkis[0], reps);
    bench_handshakes(pkis, G_N_ELEMENTS(pkis), reps);

    pki_cleanup(&pkis[0]);
    pki_cleanup(&pkis[1]);
    rmdir(top);
    printf("targets: %s\n", ok ? "all met" : "MISSED (see rows above)");
    return 0;
}
