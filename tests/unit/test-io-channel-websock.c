/*
 * Tests for io/channel-websock.c: the server handshake against real and
 * broken requests, frame decoding and encoding checked byte by byte from
 * a raw socket peer, control frames, protocol errors, memory bounds under
 * a flood, the client against good and bad server answers and frames,
 * client against server, everything again over a channel that moves a
 * byte or a few at a time and blocks every other call, and interop with
 * python3-websockets.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-websock.h"
#include "io/channel-socket.h"
#include "io-channel-helpers.h"
#include "qio-test.h"
#include "socket-helpers.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>

/* ------------------------------------------------------------------ */
/*
 * A channel that returns QIO_CHANNEL_ERR_BLOCK on every other call, in
 * each direction, and moves only a few bytes on the calls in between:
 * exactly one byte by default, or a varying 1..max bytes so that large
 * transfers finish in reasonable time while frame headers still arrive
 * and leave in pieces split at every possible offset.
 */

#define TYPE_QIO_CHANNEL_TRICKLE "qio-channel-trickle"
#define QIO_CHANNEL_TRICKLE(obj) \
    OBJECT_CHECK(QIOChannelTrickle, (obj), TYPE_QIO_CHANNEL_TRICKLE)

#define TRICKLE_MAX_STEP 7

typedef struct QIOChannelTrickle {
    QIOChannel parent;
    QIOChannel *inner;
    unsigned int reads;
    unsigned int writes;
    unsigned int max;
} QIOChannelTrickle;

/*
 * How many bytes the @calls-th call may move: 0 (block) on even calls,
 * otherwise 1..@max, stepping by 5 modulo @max so that consecutive sizes
 * differ (with @max 7, every size from 1 to 7 comes up in turn).
 */
static size_t trickle_step(unsigned int calls, unsigned int max)
{
    if (calls % 2 == 0) {
        return 0;
    }
    return 1 + ((calls / 2) * 5) % max;
}

/*
 * Fills @out with the first @limit bytes of @iov (skipping empty
 * elements); @out has room for @limit entries.  Returns the number of
 * entries, 0 when @iov holds no bytes at all.
 */
static size_t trickle_slice(const struct iovec *iov, size_t niov,
                            size_t limit, struct iovec *out)
{
    size_t i, n = 0;

    for (i = 0; i < niov && limit > 0; i++) {
        size_t len = MIN(iov[i].iov_len, limit);

        if (len == 0) {
            continue;
        }
        out[n].iov_base = iov[i].iov_base;
        out[n].iov_len = len;
        limit -= len;
        n++;
    }
    return n;
}

static ssize_t trickle_readv(QIOChannel *ioc, const struct iovec *iov,
                             size_t niov, int **fds, size_t *nfds,
                             Error **errp)
{
    QIOChannelTrickle *t = QIO_CHANNEL_TRICKLE(ioc);
    struct iovec part[TRICKLE_MAX_STEP];
    size_t step = trickle_step(t->reads++, t->max);
    size_t n;

    if (step == 0) {
        return QIO_CHANNEL_ERR_BLOCK;
    }
    n = trickle_slice(iov, niov, step, part);
    if (n == 0) {
        return 0;
    }
    return qio_channel_readv(t->inner, part, n, errp);
}

static ssize_t trickle_writev(QIOChannel *ioc, const struct iovec *iov,
                              size_t niov, int *fds, size_t nfds,
                              Error **errp)
{
    QIOChannelTrickle *t = QIO_CHANNEL_TRICKLE(ioc);
    struct iovec part[TRICKLE_MAX_STEP];
    size_t step = trickle_step(t->writes++, t->max);
    size_t n;

    if (step == 0) {
        return QIO_CHANNEL_ERR_BLOCK;
    }
    n = trickle_slice(iov, niov, step, part);
    if (n == 0) {
        return 0;
    }
    return qio_channel_writev(t->inner, part, n, errp);
}

static int trickle_close(QIOChannel *ioc, Error **errp)
{
    return qio_channel_close(QIO_CHANNEL_TRICKLE(ioc)->inner, errp);
}

static int trickle_shutdown(QIOChannel *ioc, QIOChannelShutdown how,
                            Error **errp)
{
    return qio_channel_shutdown(QIO_CHANNEL_TRICKLE(ioc)->inner, how, errp);
}

static int trickle_set_blocking(QIOChannel *ioc, bool enabled, Error **errp)
{
    return qio_channel_set_blocking(QIO_CHANNEL_TRICKLE(ioc)->inner,
                                    enabled, errp);
}

/* Readiness of the inner channel; the spurious blocks are retried. */
static GSource *trickle_create_watch(QIOChannel *ioc, GIOCondition cond)
{
    return qio_channel_create_watch(QIO_CHANNEL_TRICKLE(ioc)->inner, cond);
}

static void trickle_finalize(Object *obj)
{
    object_unref(OBJECT(QIO_CHANNEL_TRICKLE(obj)->inner));
}

static void trickle_class_init(ObjectClass *klass, void *data)
{
    QIOChannelClass *k = QIO_CHANNEL_CLASS(klass);

    k->io_readv = trickle_readv;
    k->io_writev = trickle_writev;
    k->io_close = trickle_close;
    k->io_shutdown = trickle_shutdown;
    k->io_set_blocking = trickle_set_blocking;
    k->io_create_watch = trickle_create_watch;
}

static const TypeInfo trickle_info = {
    .parent = TYPE_QIO_CHANNEL,
    .name = TYPE_QIO_CHANNEL_TRICKLE,
    .instance_size = sizeof(QIOChannelTrickle),
    .instance_finalize = trickle_finalize,
    .class_init = trickle_class_init,
};

static QIOChannel *trickle_new(QIOChannel *inner)
{
    QIOChannelTrickle *t =
        QIO_CHANNEL_TRICKLE(object_new(TYPE_QIO_CHANNEL_TRICKLE));

    t->inner = inner;
    t->max = 1;
    object_ref(OBJECT(inner));
    qio_channel_set_feature(QIO_CHANNEL(t), QIO_CHANNEL_FEATURE_SHUTDOWN);
    return QIO_CHANNEL(t);
}

/* ------------------------------------------------------------------ */
/* Helpers */

static QIOChannel *socket_channel(int fd)
{
    QIOChannelSocket *sioc = qio_channel_socket_new_fd(fd, &error_abort);

    return QIO_CHANNEL(sioc);
}

static void write_all_fd(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= n;
    }
}

/* Reads exactly @len bytes (a blocking fd) or fails the test. */
static void read_exact_fd(int fd, void *buf, size_t len)
{
    uint8_t *p = buf;

    while (len > 0) {
        ssize_t n = read(fd, p, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= n;
    }
}

/* Reads an HTTP response head and its body (by Content-Length). */
static char *read_http_response(int fd)
{
    GString *s = g_string_new(NULL);
    const char *cl;
    size_t body = 0;
    char c;

    while (!g_str_has_suffix(s->str, "\r\n\r\n")) {
        ssize_t n = read(fd, &c, 1);

        g_assert_cmpint(n, ==, 1);
        g_string_append_c(s, c);
        g_assert_cmpuint(s->len, <, 4096);
    }
    cl = strstr(s->str, "Content-Length: ");
    if (cl) {
        body = strtoul(cl + 16, NULL, 10);
    }
    while (body-- > 0) {
        g_assert_cmpint(read(fd, &c, 1), ==, 1);
        g_string_append_c(s, c);
    }
    return g_string_free(s, FALSE);
}

typedef struct HandshakeResult {
    bool done;
    Error *err;
} HandshakeResult;

static void handshake_done(Object *source, Error *err, gpointer opaque)
{
    HandshakeResult *res = opaque;

    res->done = true;
    if (err) {
        res->err = error_copy(err);
    }
}

static void iterate_until(bool *flag)
{
    while (!*flag) {
        g_main_context_iteration(NULL, TRUE);
    }
}

/* Masks @payload with @key into a new frame. */
static GByteArray *make_frame_full(uint8_t byte0, bool masked,
                                   uint64_t declared, int len7_override,
                                   const void *payload, size_t len)
{
    GByteArray *f = g_byte_array_new();
    uint8_t hdr[14];
    size_t n = 0;
    uint8_t key[4] = { 0x37, 0xfa, 0x21, 0x3d };
    size_t i;

    hdr[n++] = byte0;
    if (len7_override >= 0) {
        hdr[n++] = len7_override;
    } else if (declared < 126) {
        hdr[n++] = declared;
    } else if (declared <= 0xffff) {
        hdr[n++] = 126;
        hdr[n++] = declared >> 8;
        hdr[n++] = declared;
    } else {
        int b;

        hdr[n++] = 127;
        for (b = 7; b >= 0; b--) {
            hdr[n++] = declared >> (b * 8);
        }
    }
    if (masked) {
        hdr[1] |= 0x80;
        memcpy(hdr + n, key, 4);
        n += 4;
    }
    g_byte_array_append(f, hdr, n);
    for (i = 0; i < len; i++) {
        uint8_t b = ((const uint8_t *)payload)[i];

        if (masked) {
            b ^= key[i & 3];
        }
        g_byte_array_append(f, &b, 1);
    }
    return f;
}

static GByteArray *make_frame(uint8_t opcode, bool fin, const void *payload,
                              size_t len)
{
    return make_frame_full((fin ? 0x80 : 0) | opcode, true, len, -1,
                           payload, len);
}

static void send_frame(int fd, GByteArray *f)
{
    write_all_fd(fd, f->data, f->len);
    g_byte_array_free(f, TRUE);
}

typedef struct Frame {
    uint8_t byte0;
    uint8_t len7;
    uint64_t len;
    uint8_t *payload;
} Frame;

/*
 * Reads one frame from a raw fd: a frame sent by a server must not be
 * masked, one sent by a client (@masked) must be, and is unmasked here.
 */
static void read_frame_full(int fd, Frame *fr, bool masked)
{
    uint8_t hdr[2];
    uint8_t key[4];
    uint64_t i;

    read_exact_fd(fd, hdr, 2);
    fr->byte0 = hdr[0];
    fr->len7 = hdr[1] & 0x7f;
    g_assert_cmpuint(hdr[1] & 0x80, ==, masked ? 0x80 : 0);
    if (fr->len7 == 126) {
        uint8_t b[2];

        read_exact_fd(fd, b, 2);
        fr->len = (b[0] << 8) | b[1];
        g_assert_cmpuint(fr->len, >=, 126);
    } else if (fr->len7 == 127) {
        uint8_t b[8];
        int j;

        read_exact_fd(fd, b, 8);
        fr->len = 0;
        for (j = 0; j < 8; j++) {
            fr->len = (fr->len << 8) | b[j];
        }
        g_assert_cmpuint(fr->len, >, 0xffff);
    } else {
        fr->len = fr->len7;
    }
    if (masked) {
        read_exact_fd(fd, key, 4);
    }
    fr->payload = g_malloc(fr->len + 1);
    read_exact_fd(fd, fr->payload, fr->len);
    for (i = 0; masked && i < fr->len; i++) {
        fr->payload[i] ^= key[i & 3];
    }
}

/* Reads one frame sent by the server (never masked) from a raw fd. */
static void read_frame(int fd, Frame *fr)
{
    read_frame_full(fd, fr, false);
}

/* A close frame with status @code (-1: none), masked if @masked. */
static void expect_close_frame_full(int fd, int code, bool masked)
{
    Frame fr;

    read_frame_full(fd, &fr, masked);
    g_assert_cmphex(fr.byte0, ==, 0x88);
    if (code < 0) {
        g_assert_cmpuint(fr.len, ==, 0);
    } else {
        g_assert_cmpuint(fr.len, >=, 2);
        g_assert_cmpint((fr.payload[0] << 8) | fr.payload[1], ==, code);
    }
    g_free(fr.payload);
}

static void expect_close_frame(int fd, int code)
{
    expect_close_frame_full(fd, code, false);
}

static void expect_eof(int fd)
{
    char c;

    g_assert_cmpint(read(fd, &c, 1), ==, 0);
}

/* Nothing is waiting on @fd right now. */
static void expect_nothing_pending(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };

    g_assert_cmpint(poll(&pfd, 1, 0), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Handshake table */

#define RFC_KEY "dGhlIHNhbXBsZSBub25jZQ=="
#define RFC_ACCEPT "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

typedef struct HandshakeCase {
    const char *name;
    const char *request;     /* NULL: use @oversize */
    const char *path;        /* set with qio_channel_websock_set_path */
    int status;
    bool protocol;           /* 101 carries "Sec-WebSocket-Protocol" */
    bool version_hint;       /* error carries "Sec-WebSocket-Version: 13" */
    const char *error;       /* substring of the Error */
    size_t oversize;         /* header bytes to send without an end */
    bool trickle;            /* through the one-byte blocking channel */
} HandshakeCase;

/* As sent by Chromium 120 for noVNC's ws.protocols = ["binary"]. */
#define REQ_CHROMIUM \
    "GET /websockify HTTP/1.1\r\n" \
    "Host: localhost:6080\r\n" \
    "Connection: Upgrade\r\n" \
    "Pragma: no-cache\r\n" \
    "Cache-Control: no-cache\r\n" \
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 " \
    "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n" \
    "Upgrade: websocket\r\n" \
    "Origin: http://localhost:6080\r\n" \
    "Sec-WebSocket-Version: 13\r\n" \
    "Accept-Encoding: gzip, deflate, br\r\n" \
    "Accept-Language: en-US,en;q=0.9\r\n" \
    "Sec-WebSocket-Key: " RFC_KEY "\r\n" \
    "Sec-WebSocket-Extensions: permessage-deflate; " \
    "client_max_window_bits\r\n" \
    "Sec-WebSocket-Protocol: binary\r\n" \
    "\r\n"

/* noVNC in Firefox: a keep-alive Connection list and mixed case. */
#define REQ_NOVNC_FIREFOX \
    "GET /websockify?token=abc HTTP/1.1\r\n" \
    "Host: vnc.example.org:6080\r\n" \
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:121.0) " \
    "Gecko/20100101 Firefox/121.0\r\n" \
    "Accept: */*\r\n" \
    "Accept-Language: en-US,en;q=0.5\r\n" \
    "Accept-Encoding: gzip, deflate, br\r\n" \
    "Sec-WebSocket-Version: 13\r\n" \
    "Origin: https://vnc.example.org:6080\r\n" \
    "Sec-WebSocket-Protocol: binary\r\n" \
    "Sec-WebSocket-Extensions: permessage-deflate\r\n" \
    "Sec-WebSocket-Key: " RFC_KEY "\r\n" \
    "Connection: keep-alive, Upgrade\r\n" \
    "Sec-Fetch-Dest: empty\r\n" \
    "Sec-Fetch-Mode: websocket\r\n" \
    "Sec-Fetch-Site: same-origin\r\n" \
    "Pragma: no-cache\r\n" \
    "Cache-Control: no-cache\r\n" \
    "Upgrade: websocket\r\n" \
    "\r\n"

/* python3-websockets 10.4, which offers no subprotocol by default. */
#define REQ_PYTHON \
    "GET / HTTP/1.1\r\n" \
    "Host: 127.0.0.1:5900\r\n" \
    "Upgrade: websocket\r\n" \
    "Connection: Upgrade\r\n" \
    "Sec-WebSocket-Key: " RFC_KEY "\r\n" \
    "Sec-WebSocket-Version: 13\r\n" \
    "Sec-WebSocket-Extensions: permessage-deflate; " \
    "client_max_window_bits\r\n" \
    "User-Agent: Python/3.11 websockets/10.4\r\n" \
    "\r\n"

#define H_HOST "Host: h\r\n"
#define H_UPG "Upgrade: websocket\r\n"
#define H_CONN "Connection: Upgrade\r\n"
#define H_VER "Sec-WebSocket-Version: 13\r\n"
#define H_KEY "Sec-WebSocket-Key: " RFC_KEY "\r\n"
#define H_ALL H_HOST H_UPG H_CONN H_VER H_KEY

static const HandshakeCase handshake_cases[] = {
    { "chromium", REQ_CHROMIUM, NULL, 101, true },
    { "chromium-path", REQ_CHROMIUM, "/websockify", 101, true },
    { "novnc-firefox", REQ_NOVNC_FIREFOX, "/websockify", 101, true },
    { "python-websockets", REQ_PYTHON, NULL, 101, false },
    { "case-insensitive",
      "GET / HTTP/1.1\r\nhost: h\r\nUPGRADE: WebSocket\r\n"
      "connection: keep-alive,upgrade\r\nsec-websocket-version: 13\r\n"
      "SEC-WEBSOCKET-KEY:" RFC_KEY "  \r\n\r\n", NULL, 101, false },
    { "protocol-list",
      "GET / HTTP/1.1\r\n" H_ALL "Sec-WebSocket-Protocol: chat, binary\r\n"
      "\r\n", NULL, 101, true },
    { "protocol-other",
      "GET / HTTP/1.1\r\n" H_ALL "Sec-WebSocket-Protocol: chat\r\n\r\n",
      NULL, 101, false },
    { "http-1.2", "GET / HTTP/1.2\r\n" H_ALL "\r\n", NULL, 101, false },
    { "one-byte-reads", REQ_CHROMIUM, NULL, 101, true, .trickle = true },

    { "no-space", "GET/HTTP/1.1\r\n" H_ALL "\r\n", NULL, 400, false, false,
      "malformed request line" },
    { "method-only", "GET\r\n" H_ALL "\r\n", NULL, 400, false, false,
      "malformed request line" },
    { "method-only-no-headers", "GET\r\n\r\n", NULL, 400, false, false,
      "malformed request line" },
    { "empty-line", "\r\n\r\n", NULL, 400, false, false,
      "malformed request line" },
    { "post", "POST / HTTP/1.1\r\n" H_ALL "\r\n", NULL, 400, false, false,
      "method POST instead of GET" },
    { "lowercase-get", "get / HTTP/1.1\r\n" H_ALL "\r\n", NULL, 400, false,
      false, "instead of GET" },
    { "http-1.0", "GET / HTTP/1.0\r\n" H_ALL "\r\n", NULL, 400, false,
      false, "HTTP/1.1 is required" },
    { "http-2", "GET / HTTP/2.0\r\n" H_ALL "\r\n", NULL, 400, false,
      false, "HTTP/1.1 is required" },
    { "not-http", "GET / FTP/1.1\r\n" H_ALL "\r\n", NULL, 400, false,
      false, "HTTP/1.1 is required" },
    { "target-not-path", "GET * HTTP/1.1\r\n" H_ALL "\r\n", NULL, 400,
      false, false, "not an absolute path" },
    { "no-host", "GET / HTTP/1.1\r\n" H_UPG H_CONN H_VER H_KEY "\r\n",
      NULL, 400, false, false, "missing Host header" },
    { "two-hosts", "GET / HTTP/1.1\r\n" H_HOST H_ALL "\r\n",
      NULL, 400, false, false, "more than one Host header" },
    { "no-upgrade", "GET / HTTP/1.1\r\n" H_HOST H_CONN H_VER H_KEY "\r\n",
      NULL, 400, false, false, "Upgrade: websocket" },
    { "upgrade-h2c",
      "GET / HTTP/1.1\r\n" H_HOST "Upgrade: h2c\r\n" H_CONN H_VER H_KEY
      "\r\n", NULL, 400, false, false, "Upgrade: websocket" },
    { "no-connection", "GET / HTTP/1.1\r\n" H_HOST H_UPG H_VER H_KEY "\r\n",
      NULL, 400, false, false, "Connection header" },
    { "connection-keep-alive",
      "GET / HTTP/1.1\r\n" H_HOST H_UPG "Connection: keep-alive\r\n" H_VER
      H_KEY "\r\n", NULL, 400, false, false, "Connection header" },
    { "no-version", "GET / HTTP/1.1\r\n" H_HOST H_UPG H_CONN H_KEY "\r\n",
      NULL, 400, false, true, "missing Sec-WebSocket-Version" },
    { "version-8",
      "GET / HTTP/1.1\r\n" H_HOST H_UPG H_CONN
      "Sec-WebSocket-Version: 8\r\n" H_KEY "\r\n",
      NULL, 400, false, true, "unsupported Sec-WebSocket-Version" },
    { "no-key", "GET / HTTP/1.1\r\n" H_HOST H_UPG H_CONN H_VER "\r\n",
      NULL, 400, false, false, "missing Sec-WebSocket-Key" },
    { "two-keys", "GET / HTTP/1.1\r\n" H_ALL H_KEY "\r\n",
      NULL, 400, false, false, "more than one Sec-WebSocket-Key" },
    { "key-short",
      "GET / HTTP/1.1\r\n" H_HOST H_UPG H_CONN H_VER
      "Sec-WebSocket-Key: dGhlIHNhbXBsZQ==\r\n\r\n",
      NULL, 400, false, false, "16 bytes" },
    { "key-not-base64",
      "GET / HTTP/1.1\r\n" H_HOST H_UPG H_CONN H_VER
      "Sec-WebSocket-Key: dGhlIHNhbXBsZ!Bub25jZQ==\r\n\r\n",
      NULL, 400, false, false, "16 bytes" },
    { "key-noncanonical",
      "GET / HTTP/1.1\r\n" H_HOST H_UPG H_CONN H_VER
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZR==\r\n\r\n",
      NULL, 400, false, false, "16 bytes" },
    { "folded-header",
      "GET / HTTP/1.1\r\n" H_ALL "X-Long: a\r\n b\r\n\r\n",
      NULL, 400, false, false, "folded header" },
    { "no-colon", "GET / HTTP/1.1\r\n" H_ALL "Bogus\r\n\r\n",
      NULL, 400, false, false, "malformed header line" },
    { "space-before-colon", "GET / HTTP/1.1\r\n" H_ALL "X-A : b\r\n\r\n",
      NULL, 400, false, false, "header name" },
    { "wrong-path", REQ_CHROMIUM, "/other", 404, false, false,
      "no websocket is served at this path" },
    { "oversized", NULL, NULL, 431, false, false, "exceeds",
      QIO_CHANNEL_WEBSOCK_MAX_HANDSHAKE + 100 },
    { "oversized-exact", NULL, NULL, 431, false, false, "exceeds",
      QIO_CHANNEL_WEBSOCK_MAX_HANDSHAKE },
    { "bad-request-one-byte-reads", "POST / HTTP/1.1\r\n" H_ALL "\r\n",
      NULL, 400, false, false, "instead of GET", .trickle = true },
};

typedef struct PeerWrite {
    int fd;
    GByteArray *data;
    bool read_response;
    char *response;
} PeerWrite;

/*
 * The peer writes its data and may then read the HTTP answer.  Reading
 * concurrently matters: a server writing one byte per call fills the
 * socket's send allowance long before it runs out of answer.
 */
static gpointer peer_write_thread(gpointer opaque)
{
    PeerWrite *pw = opaque;

    write_all_fd(pw->fd, pw->data->data, pw->data->len);
    if (pw->read_response) {
        pw->response = read_http_response(pw->fd);
    }
    return NULL;
}

static void test_handshake_case(gconstpointer opaque)
{
    const HandshakeCase *hc = opaque;
    int fds[2];
    QIOChannel *master, *sock;
    QIOChannelWebsock *wioc;
    HandshakeResult res = { 0 };
    PeerWrite pw;
    GThread *writer;
    char *resp;
    int status;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
    sock = socket_channel(fds[0]);
    qio_channel_set_blocking(sock, false, &error_abort);
    master = hc->trickle ? trickle_new(sock) : sock;
    if (hc->trickle) {
        object_unref(OBJECT(sock));
    }
    wioc = qio_channel_websock_new_server(master);
    if (hc->path) {
        qio_channel_websock_set_path(wioc, hc->path);
    }
    qio_channel_websock_handshake(wioc, handshake_done, &res, NULL);

    pw.fd = fds[1];
    pw.data = g_byte_array_new();
    pw.read_response = true;
    if (hc->request) {
        g_byte_array_append(pw.data, (const guint8 *)hc->request,
                            strlen(hc->request));
    } else {
        static const char start[] = "GET / HTTP/1.1\r\n";
        size_t i;

        g_byte_array_append(pw.data, (const guint8 *)start,
                            strlen(start));
        for (i = 0; pw.data->len < hc->oversize; i++) {
            char *line = g_strdup_printf("X-Filler-%zu: %s\r\n", i,
                                         "0123456789abcdef0123456789");
            g_byte_array_append(pw.data, (const guint8 *)line,
                                strlen(line));
            g_free(line);
        }
        /* Truncate: the end of the headers never comes in time. */
        g_byte_array_set_size(pw.data, hc->oversize);
    }
    writer = g_thread_new("peer-writer", peer_write_thread, &pw);
    iterate_until(&res.done);
    g_thread_join(writer);

    resp = pw.response;
    g_assert_true(sscanf(resp, "HTTP/1.1 %d ", &status) == 1);
    g_assert_cmpint(status, ==, hc->status);
    if (hc->status == 101) {
        qio_assert_no_error(res.err);
        g_assert_nonnull(strstr(resp, "\r\nUpgrade: websocket\r\n"));
        g_assert_nonnull(strstr(resp, "\r\nConnection: Upgrade\r\n"));
        g_assert_nonnull(strstr(resp, "\r\nSec-WebSocket-Accept: "
                                RFC_ACCEPT "\r\n"));
        g_assert_cmpint(!!strstr(resp, "\r\nSec-WebSocket-Protocol: binary"
                                 "\r\n"), ==, hc->protocol);
        g_assert_null(strstr(resp, "Sec-WebSocket-Extensions"));
        g_assert_true(wioc->handshake_done);
    } else {
        qio_assert_error_contains(res.err, hc->error);
        qio_assert_error_contains(res.err, "Websocket handshake failed");
        g_assert_cmpint(!!strstr(resp, "\r\nSec-WebSocket-Version: 13\r\n"),
                        ==, hc->version_hint);
        g_assert_nonnull(strstr(resp, "\r\nConnection: close\r\n"));
        g_assert_null(strstr(resp, "Sec-WebSocket-Accept"));
        g_assert_false(wioc->handshake_done);
    }
    /* The request buffer never exceeded its limit. */
    g_assert_cmpuint(wioc->encinput.capacity, <=,
                     QIO_CHANNEL_WEBSOCK_MAX_HANDSHAKE);

    error_free(res.err);
    g_free(resp);
    g_byte_array_free(pw.data, TRUE);
    object_unref(OBJECT(wioc));
    object_unref(OBJECT(master));
    close(fds[1]);
}

/* The handshake fails cleanly when the peer goes away mid-request. */
static void test_handshake_eof(void)
{
    int fds[2];
    QIOChannel *master;
    QIOChannelWebsock *wioc;
    HandshakeResult res = { 0 };
    static const char partial[] = "GET / HTTP/1.1\r\nHost: h\r\n";

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
    master = socket_channel(fds[0]);
    wioc = qio_channel_websock_new_server(master);
    qio_channel_websock_handshake(wioc, handshake_done, &res, NULL);
    write_all_fd(fds[1], partial, strlen(partial));
    close(fds[1]);
    iterate_until(&res.done);
    qio_assert_error_contains(res.err, "end of file");
    error_free(res.err);
    object_unref(OBJECT(wioc));
    object_unref(OBJECT(master));
}

/* I/O before the handshake is refused. */
static void test_io_before_handshake(void)
{
    int fds[2];
    QIOChannel *master;
    QIOChannelWebsock *wioc;
    Error *err = NULL;
    char buf[4];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
    master = socket_channel(fds[0]);
    wioc = qio_channel_websock_new_server(master);
    g_assert_cmpint(qio_channel_read(QIO_CHANNEL(wioc), buf, sizeof(buf),
                                     &err), ==, -1);
    qio_assert_error_contains(err, "handshake has not completed");
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_write(QIO_CHANNEL(wioc), "x", 1, &err),
                    ==, -1);
    qio_assert_error_contains(err, "handshake has not completed");
    error_free(err);
    object_unref(OBJECT(wioc));
    object_unref(OBJECT(master));
    close(fds[1]);
}

/* ------------------------------------------------------------------ */
/* Frames, with a raw peer acting as the client */

typedef struct WSServer {
    int peer;
    QIOChannel *master;
    QIOChannelWebsock *wioc;
    QIOChannel *ioc;
} WSServer;

static void server_setup(WSServer *s)
{
    int fds[2];
    HandshakeResult res = { 0 };
    char *resp;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
    s->peer = fds[1];
    s->master = socket_channel(fds[0]);
    s->wioc = qio_channel_websock_new_server(s->master);
    s->ioc = QIO_CHANNEL(s->wioc);
    qio_channel_websock_handshake(s->wioc, handshake_done, &res, NULL);
    write_all_fd(s->peer, REQ_PYTHON, strlen(REQ_PYTHON));
    iterate_until(&res.done);
    qio_assert_no_error(res.err);
    resp = read_http_response(s->peer);
    g_assert_true(g_str_has_prefix(resp, "HTTP/1.1 101 "));
    g_free(resp);
}

static void server_teardown(WSServer *s)
{
    object_unref(OBJECT(s->wioc));
    object_unref(OBJECT(s->master));
    if (s->peer >= 0) {
        close(s->peer);
    }
}

/* Reads exactly @len bytes from the websocket channel (blocking). */
static void ws_read_exact(QIOChannel *ioc, uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = qio_channel_read(ioc, (char *)buf, len, &error_abort);

        if (n == QIO_CHANNEL_ERR_BLOCK) {
            qio_channel_wait(ioc, G_IO_IN);
            continue;
        }
        g_assert_cmpint(n, >, 0);
        buf += n;
        len -= n;
    }
}

static uint8_t *pattern(size_t len, unsigned int seed)
{
    uint8_t *p = g_malloc(len + 1);
    size_t i;

    for (i = 0; i < len; i++) {
        p[i] = (i * 7 + seed + (i >> 8)) & 0xff;
    }
    return p;
}

static void test_frame_receive(gconstpointer opaque)
{
    size_t len = GPOINTER_TO_SIZE(opaque);
    WSServer s;
    uint8_t *data = pattern(len, 3);
    uint8_t *got = g_malloc(len + 1);
    PeerWrite pw;
    GThread *writer;
    GByteArray *f;
    static const uint8_t tail = 0x5a;
    uint8_t c;

    server_setup(&s);
    /* The frame, then a one-byte frame marking where it ended. */
    pw.fd = s.peer;
    pw.read_response = false;
    pw.data = make_frame(0x2, true, data, len);
    f = make_frame(0x2, true, &tail, 1);
    g_byte_array_append(pw.data, f->data, f->len);
    g_byte_array_free(f, TRUE);
    writer = g_thread_new("peer-writer", peer_write_thread, &pw);

    ws_read_exact(s.ioc, got, len);
    if (len) {
        g_assert_cmpmem(got, len, data, len);
    }
    ws_read_exact(s.ioc, &c, 1);
    g_assert_cmpuint(c, ==, tail);
    g_thread_join(writer);
    g_assert_cmpuint(s.wioc->payload_remain, ==, 0);

    g_byte_array_free(pw.data, TRUE);
    g_free(data);
    g_free(got);
    server_teardown(&s);
}

typedef struct PeerRead {
    int fd;
    size_t want;
    GByteArray *payload;
    unsigned int frames;
} PeerRead;

/* Collects server frames until @want payload bytes arrived. */
static gpointer peer_read_thread(gpointer opaque)
{
    PeerRead *pr = opaque;

    while (pr->payload->len < pr->want) {
        Frame fr;

        read_frame(pr->fd, &fr);
        g_assert_cmphex(fr.byte0, ==, 0x82);
        g_assert_cmpuint(fr.len, >, 0);
        g_byte_array_append(pr->payload, fr.payload, fr.len);
        g_free(fr.payload);
        pr->frames++;
    }
    return NULL;
}

static void test_frame_send(gconstpointer opaque)
{
    size_t len = GPOINTER_TO_SIZE(opaque);
    WSServer s;
    uint8_t *data = pattern(len, 11);
    PeerRead pr = { 0 };
    GThread *reader;

    server_setup(&s);
    pr.fd = s.peer;
    pr.want = len;
    pr.payload = g_byte_array_new();
    reader = g_thread_new("peer-reader", peer_read_thread, &pr);
    /* Blocking master: every write is flushed before it returns. */
    qio_channel_write_all(s.ioc, (char *)data, len, &error_abort);
    g_thread_join(reader);

    g_assert_cmpmem(pr.payload->data, pr.payload->len, data, len);
    if (len == 0) {
        g_assert_cmpuint(pr.frames, ==, 0);
    } else {
        g_assert_cmpuint(pr.frames, >=, 1);
        /* Frames are as large as the output buffer allows. */
        g_assert_cmpuint(pr.frames, <=,
                         len / (QIO_CHANNEL_WEBSOCK_MAX_BUFFER / 2) + 1);
    }
    g_assert_cmpuint(s.wioc->encoutput.offset, ==, 0);
    expect_nothing_pending(s.peer);

    g_byte_array_free(pr.payload, TRUE);
    g_free(data);
    server_teardown(&s);
}

static void test_ping_pong(void)
{
    WSServer s;
    Frame fr;
    uint8_t c;
    uint8_t big[125];

    memset(big, 0xab, sizeof(big));
    server_setup(&s);
    send_frame(s.peer, make_frame(0x9, true, "hello", 5));
    send_frame(s.peer, make_frame(0x9, true, big, sizeof(big)));
    send_frame(s.peer, make_frame(0x9, true, NULL, 0));
    send_frame(s.peer, make_frame(0xa, true, "unsolicited", 11));
    send_frame(s.peer, make_frame(0x2, true, "x", 1));
    ws_read_exact(s.ioc, &c, 1);
    g_assert_cmpuint(c, ==, 'x');

    read_frame(s.peer, &fr);
    g_assert_cmphex(fr.byte0, ==, 0x8a);
    g_assert_cmpmem(fr.payload, fr.len, "hello", 5);
    g_free(fr.payload);
    read_frame(s.peer, &fr);
    g_assert_cmphex(fr.byte0, ==, 0x8a);
    g_assert_cmpmem(fr.payload, fr.len, big, sizeof(big));
    g_free(fr.payload);
    read_frame(s.peer, &fr);
    g_assert_cmphex(fr.byte0, ==, 0x8a);
    g_assert_cmpuint(fr.len, ==, 0);
    g_free(fr.payload);
    /* The pong got no answer. */
    expect_nothing_pending(s.peer);
    server_teardown(&s);
}

static void test_fragmented_with_ping(void)
{
    WSServer s;
    Frame fr;
    uint8_t got[9];

    server_setup(&s);
    send_frame(s.peer, make_frame(0x2, false, "abc", 3));
    send_frame(s.peer, make_frame(0x9, true, "p", 1));
    send_frame(s.peer, make_frame(0x0, false, "def", 3));
    send_frame(s.peer, make_frame(0x0, false, NULL, 0));
    send_frame(s.peer, make_frame(0x0, true, "ghi", 3));
    ws_read_exact(s.ioc, got, sizeof(got));
    g_assert_cmpmem(got, 9, "abcdefghi", 9);
    g_assert_false(s.wioc->in_message);

    read_frame(s.peer, &fr);
    g_assert_cmphex(fr.byte0, ==, 0x8a);
    g_assert_cmpmem(fr.payload, fr.len, "p", 1);
    g_free(fr.payload);
    server_teardown(&s);
}

static void test_close(gconstpointer opaque)
{
    bool with_code = GPOINTER_TO_INT(opaque);
    WSServer s;
    Error *err = NULL;
    char buf[8];
    static const uint8_t payload[] = { 0x03, 0xe9, 'b', 'y', 'e' };

    server_setup(&s);
    send_frame(s.peer, make_frame(0x2, true, "ab", 2));
    if (with_code) {
        send_frame(s.peer, make_frame(0x8, true, payload, sizeof(payload)));
    } else {
        send_frame(s.peer, make_frame(0x8, true, NULL, 0));
    }
    ws_read_exact(s.ioc, (uint8_t *)buf, 2);
    g_assert_cmpmem(buf, 2, "ab", 2);
    g_assert_cmpint(qio_channel_read(s.ioc, buf, sizeof(buf), &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_read(s.ioc, buf, sizeof(buf), &error_abort),
                    ==, 0);
    /* The close is echoed with the peer's code, then the stream ends. */
    expect_close_frame(s.peer, with_code ? 1001 : -1);
    expect_eof(s.peer);

    g_assert_cmpint(qio_channel_write(s.ioc, "x", 1, &err), ==, -1);
    qio_assert_error_contains(err, "closed");
    error_free(err);
    server_teardown(&s);
}

/*
 * Shutting down the write side sends a close frame and half-closes the
 * master, but reading goes on until the peer's close frame answers.
 */
static void test_shutdown_write(void)
{
    WSServer s;
    Error *err = NULL;
    char buf[8];
    static const uint8_t reply[] = { 0x03, 0xe8 };

    server_setup(&s);
    g_assert_cmpint(qio_channel_shutdown(s.ioc, QIO_CHANNEL_SHUTDOWN_WRITE,
                                         &error_abort), ==, 0);
    expect_close_frame(s.peer, 1000);
    expect_eof(s.peer);

    send_frame(s.peer, make_frame(0x2, true, "late", 4));
    send_frame(s.peer, make_frame(0x8, true, reply, sizeof(reply)));
    ws_read_exact(s.ioc, (uint8_t *)buf, 4);
    g_assert_cmpmem(buf, 4, "late", 4);
    g_assert_cmpint(qio_channel_read(s.ioc, buf, sizeof(buf), &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_write(s.ioc, "x", 1, &err), ==, -1);
    qio_assert_error_contains(err, "closed");
    error_free(err);
    server_teardown(&s);
}

typedef struct ProtoCase {
    const char *name;
    const uint8_t *bytes;   /* a raw frame */
    size_t len;
    bool fragment_first;    /* send an unfinished binary frame first */
    int code;
    const char *error;
} ProtoCase;

#define B(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

static const ProtoCase proto_cases[] = {
    { "unmasked", B(0x82, 0x03, 'a', 'b', 'c'), false, 1002,
      "unmasked frame from a client" },
    { "rsv1", B(0xc2, 0x80, 0, 0, 0, 0), false, 1002, "reserved bits" },
    { "rsv3", B(0x92, 0x80, 0, 0, 0, 0), false, 1002, "reserved bits" },
    { "opcode-3", B(0x83, 0x80, 0, 0, 0, 0), false, 1002,
      "unknown opcode 0x3" },
    { "opcode-b", B(0x8b, 0x80, 0, 0, 0, 0), false, 1002,
      "unknown opcode 0xb" },
    { "ping-126", B(0x89, 0xfe, 0x00, 0x7e), false, 1002,
      "control frame payload over 125" },
    { "ping-fragmented", B(0x09, 0x80, 0, 0, 0, 0), false, 1002,
      "fragmented control frame" },
    { "length-top-bit", B(0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0),
      false, 1002, "most significant bit" },
    { "lone-continuation", B(0x80, 0x80, 0, 0, 0, 0), false, 1002,
      "continuation frame outside" },
    { "binary-inside-message", B(0x82, 0x80, 0, 0, 0, 0), true, 1002,
      "new message before" },
    { "text", B(0x81, 0x82, 0, 0, 0, 0, 'h', 'i'), false, 1003,
      "text frames are not supported" },
    { "text-no-fin", B(0x01, 0x82, 0, 0, 0, 0, 'h', 'i'), false, 1003,
      "text frames are not supported" },
    { "text-in-message", B(0x81, 0x80, 0, 0, 0, 0), true, 1002,
      "new message before" },
    { "close-1-byte", B(0x88, 0x81, 0, 0, 0, 0, 3), false, 1002,
      "1-byte payload" },
    { "close-code-999", B(0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe7), false, 1002,
      "invalid close status code 999" },
    { "close-code-1005", B(0x88, 0x82, 0, 0, 0, 0, 0x03, 0xed), false, 1002,
      "invalid close status code 1005" },
    { "close-bad-utf8", B(0x88, 0x84, 0, 0, 0, 0, 0x03, 0xe8, 0xc3, 0x28),
      false, 1007, "UTF-8" },
};

static void test_protocol_error(gconstpointer opaque)
{
    const ProtoCase *pc = opaque;
    WSServer s;
    Error *err = NULL;
    char buf[16];
    ssize_t n;

    server_setup(&s);
    if (pc->fragment_first) {
        send_frame(s.peer, make_frame(0x2, false, "ab", 2));
    }
    write_all_fd(s.peer, pc->bytes, pc->len);
    /* Trailing data after the bad frame is never delivered. */
    send_frame(s.peer, make_frame(0x2, true, "zz", 2));

    n = qio_channel_read(s.ioc, buf, sizeof(buf), &err);
    if (pc->fragment_first) {
        g_assert_cmpint(n, ==, 2);
        n = qio_channel_read(s.ioc, buf, sizeof(buf), &err);
    }
    g_assert_cmpint(n, ==, -1);
    qio_assert_error_contains(err, pc->error);
    qio_assert_error_contains(err, "Websocket protocol error");
    error_free(err);
    err = NULL;
    /* Sticky. */
    g_assert_cmpint(qio_channel_read(s.ioc, buf, sizeof(buf), &err), ==, -1);
    qio_assert_error_contains(err, pc->error);
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_write(s.ioc, "x", 1, &err), ==, -1);
    qio_assert_error_contains(err, pc->error);
    error_free(err);

    expect_close_frame(s.peer, pc->code);
    expect_eof(s.peer);
    server_teardown(&s);
}

/* End of file inside a frame, inside a header, inside a message. */
static void test_eof_mid_frame(gconstpointer opaque)
{
    int which = GPOINTER_TO_INT(opaque);
    WSServer s;
    Error *err = NULL;
    GByteArray *f;
    char buf[64];
    ssize_t n;

    server_setup(&s);
    if (which == 0) {
        f = make_frame(0x2, true, "0123456789", 10);
        g_byte_array_set_size(f, f->len - 4);
        send_frame(s.peer, f);
    } else if (which == 1) {
        f = make_frame(0x2, true, "0123456789", 10);
        g_byte_array_set_size(f, 3);
        send_frame(s.peer, f);
    } else {
        send_frame(s.peer, make_frame(0x2, false, "012345", 6));
    }
    close(s.peer);
    s.peer = -1;

    n = qio_channel_read(s.ioc, buf, sizeof(buf), &err);
    if (which != 1) {
        g_assert_cmpint(n, ==, 6);
        n = qio_channel_read(s.ioc, buf, sizeof(buf), &err);
    }
    g_assert_cmpint(n, ==, -1);
    qio_assert_error_contains(err, "Unexpected end of file");
    qio_assert_error_contains(err, which == 2 ? "message" : "frame");
    error_free(err);
    server_teardown(&s);
}

/*
 * End of file right after a complete frame header, before any of the
 * payload it declares, is an error, reported whether the application
 * blocks in a read or waits on a watch, and it stays an error.
 */
typedef struct EofHeaderCase {
    size_t declared;    /* picks a 7-, 16- or 64-bit length */
    bool watch;         /* non-blocking master, read from a watch */
} EofHeaderCase;

static const EofHeaderCase eof_header_cases[] = {
    { 10, false }, { 10, true }, { 300, false }, { 300, true },
    { 70000, false }, { 70000, true },
};

typedef struct WatchRead {
    bool done;
    ssize_t n;
    Error *err;
} WatchRead;

static gboolean watch_read_cb(QIOChannel *ioc, GIOCondition cond,
                              gpointer opaque)
{
    WatchRead *wr = opaque;
    char buf[16];

    wr->n = qio_channel_read(ioc, buf, sizeof(buf), &wr->err);
    if (wr->n == QIO_CHANNEL_ERR_BLOCK) {
        return TRUE;
    }
    wr->done = true;
    return FALSE;
}

static void test_eof_after_header(gconstpointer opaque)
{
    const EofHeaderCase *ec = opaque;
    WSServer s;
    uint8_t *payload = pattern(ec->declared, 9);
    GByteArray *f = make_frame(0x2, true, payload, ec->declared);
    size_t hlen = 2 + 4 + (ec->declared < 126 ? 0 :
                           ec->declared <= 0xffff ? 2 : 8);
    WatchRead wr = { 0 };
    Error *err = NULL;
    char c;

    server_setup(&s);
    g_byte_array_set_size(f, hlen);
    send_frame(s.peer, f);
    close(s.peer);
    s.peer = -1;

    if (ec->watch) {
        qio_channel_set_blocking(s.master, false, &error_abort);
        qio_channel_add_watch(s.ioc, G_IO_IN, watch_read_cb, &wr, NULL);
        iterate_until(&wr.done);
    } else {
        wr.n = qio_channel_read(s.ioc, &c, 1, &wr.err);
    }
    /* The header was taken in: the payload is what went missing. */
    g_assert_cmpuint(s.wioc->payload_remain, ==, ec->declared);
    g_assert_cmpint(wr.n, ==, -1);
    qio_assert_error_contains(wr.err, "Unexpected end of file");
    qio_assert_error_contains(wr.err, "frame");
    error_free(wr.err);
    /* Never a clean end of file later on either. */
    g_assert_cmpint(qio_channel_read(s.ioc, &c, 1, &err), ==, -1);
    qio_assert_error_contains(err, "Unexpected end of file");
    error_free(err);
    g_free(payload);
    server_teardown(&s);
}

/*
 * A binary frame without FIN followed by a long run of small
 * continuation frames: the payload reaches the reader as it arrives,
 * long before the message ends, and the decoder's memory stays within
 * its input buffer however long the message is.
 */
static void test_continuation_stream(void)
{
    WSServer s;
    size_t frames = qio_test_under_valgrind() ? 20000 : 100000;
    GByteArray *expect = g_byte_array_new();
    PeerWrite pw = { .read_response = false };
    GThread *writer;
    uint8_t *got;
    size_t i, pos;
    uint8_t buf[8];

    server_setup(&s);
    pw.fd = s.peer;
    pw.data = make_frame(0x2, false, "first", 5);
    g_byte_array_append(expect, (const guint8 *)"first", 5);
    for (i = 0; i < frames; i++) {
        /* 0 to 8 bytes: empty continuation frames are valid too. */
        size_t len = i % 9;
        GByteArray *f;
        size_t j;

        for (j = 0; j < len; j++) {
            buf[j] = (i * 31 + j) & 0xff;
        }
        f = make_frame(0x0, false, buf, len);
        g_byte_array_append(pw.data, f->data, f->len);
        g_byte_array_append(expect, buf, len);
        g_byte_array_free(f, TRUE);
    }
    /* Far more than the input buffer could ever hold at once. */
    g_assert_cmpuint(pw.data->len, >, 2 * QIO_CHANNEL_WEBSOCK_MAX_BUFFER);
    writer = g_thread_new("peer-writer", peer_write_thread, &pw);

    got = g_malloc(expect->len);
    for (pos = 0; pos < expect->len; ) {
        size_t chunk = MIN(expect->len - pos, 4096);

        ws_read_exact(s.ioc, got + pos, chunk);
        pos += chunk;
        g_assert_cmpuint(s.wioc->encinput.capacity, <=,
                         QIO_CHANNEL_WEBSOCK_MAX_BUFFER);
        g_assert_cmpuint(s.wioc->rawinput.capacity, ==, 0);
        g_assert_cmpuint(s.wioc->encoutput.offset, ==, 0);
    }
    g_thread_join(writer);
    g_assert_cmpmem(got, expect->len, expect->data, expect->len);
    /* Everything was delivered while the message was still open. */
    g_assert_true(s.wioc->in_message);
    g_assert_null(s.wioc->io_err);

    send_frame(s.peer, make_frame(0x0, true, "last", 4));
    ws_read_exact(s.ioc, buf, 4);
    g_assert_cmpmem(buf, 4, "last", 4);
    g_assert_false(s.wioc->in_message);
    expect_nothing_pending(s.peer);

    g_free(got);
    g_byte_array_free(expect, TRUE);
    g_byte_array_free(pw.data, TRUE);
    server_teardown(&s);
}

/* A clean end of file between frames is just end of file. */
static void test_eof_clean(void)
{
    WSServer s;
    char buf[8];

    server_setup(&s);
    send_frame(s.peer, make_frame(0x2, true, "abc", 3));
    close(s.peer);
    s.peer = -1;
    ws_read_exact(s.ioc, (uint8_t *)buf, 3);
    g_assert_cmpint(qio_channel_read(s.ioc, buf, sizeof(buf), &error_abort),
                    ==, 0);
    server_teardown(&s);
}

/* A frame declaring 2^62 bytes costs nothing until payload arrives. */
static void test_huge_declared_length(void)
{
    WSServer s;
    GByteArray *f;
    uint8_t got[10];
    Error *err = NULL;

    server_setup(&s);
    f = make_frame_full(0x82, true, 1ULL << 62, -1, "0123456789", 10);
    send_frame(s.peer, f);
    ws_read_exact(s.ioc, got, 10);
    g_assert_cmpmem(got, 10, "0123456789", 10);
    g_assert_cmpuint(s.wioc->payload_remain, ==, (1ULL << 62) - 10);
    g_assert_cmpuint(s.wioc->encinput.capacity, <=,
                     QIO_CHANNEL_WEBSOCK_MAX_BUFFER);
    g_assert_cmpuint(s.wioc->rawinput.capacity, ==, 0);
    close(s.peer);
    s.peer = -1;
    g_assert_cmpint(qio_channel_read(s.ioc, (char *)got, 10, &err), ==, -1);
    qio_assert_error_contains(err, "Unexpected end of file");
    error_free(err);
    server_teardown(&s);
}

/*
 * A peer floods data frames and pings but never reads, and the
 * application never reads either: it only keeps a watch on the channel
 * in a running main context.  The channel must stop reading once its
 * buffers are full, so the peer's writes end up blocking, and memory
 * stays under the documented limits.
 */
static gboolean flood_watch(QIOChannel *ioc, GIOCondition cond,
                            gpointer opaque)
{
    unsigned int *fired = opaque;

    (*fired)++;
    return TRUE;
}

static void flood(WSServer *s, uint8_t opcode, size_t frame_len)
{
    uint8_t *payload = pattern(frame_len, 1);
    GByteArray *f = make_frame(opcode, true, payload, frame_len);
    size_t sent = 0, pos = 0;
    unsigned int stalls = 0;
    unsigned int fired = 0;
    GSource *src;
    int i;

    qio_channel_set_blocking(s->master, false, &error_abort);
    qemu_set_nonblock(s->peer);
    src = qio_channel_create_watch(s->ioc, G_IO_IN);
    g_source_set_callback(src, (GSourceFunc)(void (*)(void))flood_watch,
                          &fired, NULL);
    g_source_attach(src, NULL);

    /* Until 50 rounds in a row where the peer could write nothing. */
    while (stalls < 50 && sent < 64 * 1024 * 1024) {
        ssize_t n = write(s->peer, f->data + pos, f->len - pos);

        if (n > 0) {
            sent += n;
            pos = (pos + n) % f->len;
            stalls = 0;
        } else {
            g_assert_cmpint(errno, ==, EAGAIN);
            stalls++;
        }
        /*
         * The watch stays ready once data is waiting, so iterating "until
         * idle" would never end: a few rounds per write are enough.
         */
        for (i = 0; i < 4; i++) {
            g_main_context_iteration(NULL, FALSE);
        }
        g_assert_cmpuint(s->wioc->encinput.offset, <=,
                         QIO_CHANNEL_WEBSOCK_MAX_BUFFER);
        g_assert_cmpuint(s->wioc->encoutput.offset, <=,
                         QIO_CHANNEL_WEBSOCK_MAX_BUFFER);
    }
    /* The peer was throttled long before the 64 MiB budget. */
    g_assert_cmpuint(stalls, ==, 50);
    g_assert_cmpuint(sent, <, 16 * 1024 * 1024);
    g_assert_cmpuint(s->wioc->encinput.capacity, <=,
                     QIO_CHANNEL_WEBSOCK_MAX_BUFFER);
    g_assert_cmpuint(s->wioc->encoutput.capacity, <=,
                     QIO_CHANNEL_WEBSOCK_MAX_BUFFER);
    g_assert_cmpuint(s->wioc->rawinput.capacity, ==, 0);
    g_assert_null(s->wioc->io_err);

    g_source_destroy(src);
    g_source_unref(src);
    g_byte_array_free(f, TRUE);
    g_free(payload);
}

static void test_flood_data(void)
{
    WSServer s;

    server_setup(&s);
    flood(&s, 0x2, 4000);
    server_teardown(&s);
}

static void test_flood_ping(void)
{
    WSServer s;

    server_setup(&s);
    flood(&s, 0x9, 125);
    /* Pongs piled up to the limit, and no further. */
    g_assert_cmpuint(s.wioc->encoutput.offset, >,
                     QIO_CHANNEL_WEBSOCK_MAX_BUFFER / 2);
    server_teardown(&s);
}

/* ------------------------------------------------------------------ */
/* Client against server */

typedef struct WSPair {
    QIOChannel *cmaster, *smaster;
    QIOChannelWebsock *client, *server;
} WSPair;

/* @trickle: 0, or the largest step of trickle channels under both ends */
static void pair_setup(WSPair *p, unsigned int trickle)
{
    HandshakeResult cres = { 0 }, sres = { 0 };

    socket_test_channel_pair(&p->cmaster, &p->smaster);
    qio_channel_set_blocking(p->cmaster, false, &error_abort);
    qio_channel_set_blocking(p->smaster, false, &error_abort);
    if (trickle) {
        QIOChannel *c = trickle_new(p->cmaster);
        QIOChannel *s = trickle_new(p->smaster);

        QIO_CHANNEL_TRICKLE(c)->max = trickle;
        QIO_CHANNEL_TRICKLE(s)->max = trickle;

        object_unref(OBJECT(p->cmaster));
        object_unref(OBJECT(p->smaster));
        p->cmaster = c;
        p->smaster = s;
    }
    p->client = qio_channel_websock_new_client(p->cmaster, "localhost:1",
                                               "/chan");
    p->server = qio_channel_websock_new_server(p->smaster);
    qio_channel_websock_set_path(p->server, "/chan");
    qio_channel_websock_handshake(p->server, handshake_done, &sres, NULL);
    qio_channel_websock_handshake(p->client, handshake_done, &cres, NULL);
    iterate_until(&cres.done);
    iterate_until(&sres.done);
    qio_assert_no_error(cres.err);
    qio_assert_no_error(sres.err);
}

static void pair_teardown(WSPair *p)
{
    object_unref(OBJECT(p->client));
    object_unref(OBJECT(p->server));
    object_unref(OBJECT(p->cmaster));
    object_unref(OBJECT(p->smaster));
}

static void test_client_server(gconstpointer opaque)
{
    bool blocking = GPOINTER_TO_INT(opaque);
    WSPair p;
    QIOChannelTest *test;
    char buf[4];

    pair_setup(&p, 0);
    test = qio_channel_test_new();
    qio_channel_test_run_threads(test, blocking, QIO_CHANNEL(p.client),
                                 QIO_CHANNEL(p.server));
    qio_channel_test_validate(test);
    test = qio_channel_test_new();
    qio_channel_test_run_threads(test, blocking, QIO_CHANNEL(p.server),
                                 QIO_CHANNEL(p.client));
    qio_channel_test_validate(test);

    /* A clean close from the client: the server sees end of file. */
    qio_channel_set_blocking(QIO_CHANNEL(p.server), true, &error_abort);
    qio_channel_close(QIO_CHANNEL(p.client), &error_abort);
    g_assert_cmpint(qio_channel_read(QIO_CHANNEL(p.server), buf, sizeof(buf),
                                     &error_abort), ==, 0);
    g_assert_true(p.server->close_received);
    pair_teardown(&p);
}

/* The Sec-WebSocket-Accept value a server owes to @key, computed here. */
static char *accept_for_key(const char *key)
{
    char *input = g_strconcat(key, "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                              NULL);
    GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA1);
    guint8 dig[20];
    gsize dlen = sizeof(dig);

    g_checksum_update(ck, (guchar *)input, strlen(input));
    g_checksum_get_digest(ck, dig, &dlen);
    g_checksum_free(ck);
    g_free(input);
    return g_base64_encode(dig, dlen);
}

/* The client masks every frame with a fresh key. */
static void test_client_masks(void)
{
    int fds[2];
    QIOChannel *master;
    QIOChannelWebsock *wioc;
    HandshakeResult res = { 0 };
    char req[2048] = "";
    ssize_t n;
    char *key, *end, *accept, *resp;
    uint8_t frame[2][11];
    int i;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
    master = socket_channel(fds[0]);
    wioc = qio_channel_websock_new_client(master, "example.org", "/x?y=1");
    qio_channel_websock_handshake(wioc, handshake_done, &res, NULL);
    while (!strstr(req, "\r\n\r\n")) {
        g_main_context_iteration(NULL, FALSE);
        n = recv(fds[1], req, sizeof(req) - 1, MSG_PEEK | MSG_DONTWAIT);
        req[n > 0 ? n : 0] = '\0';
    }
    n = read(fds[1], req, strlen(req));
    g_assert_true(g_str_has_prefix(req, "GET /x?y=1 HTTP/1.1\r\n"));
    g_assert_nonnull(strstr(req, "\r\nHost: example.org\r\n"));
    g_assert_nonnull(strstr(req, "\r\nSec-WebSocket-Version: 13\r\n"));
    g_assert_nonnull(strstr(req, "\r\nSec-WebSocket-Protocol: binary\r\n"));
    key = strstr(req, "\r\nSec-WebSocket-Key: ");
    g_assert_nonnull(key);
    key += strlen("\r\nSec-WebSocket-Key: ");
    end = strstr(key, "\r\n");
    *end = '\0';
    g_assert_cmpuint(strlen(key), ==, 24);

    accept = accept_for_key(key);
    resp = g_strdup_printf("HTTP/1.1 101 Switching Protocols\r\n"
                           "upgrade: WebSocket\r\nconnection: upgrade\r\n"
                           "sec-websocket-accept: %s\r\n\r\n", accept);
    write_all_fd(fds[1], resp, strlen(resp));
    iterate_until(&res.done);
    qio_assert_no_error(res.err);

    for (i = 0; i < 2; i++) {
        g_assert_cmpint(qio_channel_write(QIO_CHANNEL(wioc), "hello", 5,
                                          &error_abort), ==, 5);
        read_exact_fd(fds[1], frame[i], 11);
        g_assert_cmphex(frame[i][0], ==, 0x82);
        g_assert_cmphex(frame[i][1], ==, 0x85);
    }
    /* Different keys (2^-32 chance of a false failure). */
    g_assert_true(memcmp(frame[0] + 2, frame[1] + 2, 4) != 0);
    for (i = 0; i < 5; i++) {
        g_assert_cmpuint(frame[1][6 + i] ^ frame[1][2 + (i & 3)], ==,
                         (uint8_t)"hello"[i]);
    }

    g_free(resp);
    g_free(accept);
    object_unref(OBJECT(wioc));
    object_unref(OBJECT(master));
    close(fds[1]);
}

/* The client rejects a server that answers with the wrong accept key. */
static void test_client_bad_accept(void)
{
    int fds[2];
    QIOChannel *master;
    QIOChannelWebsock *wioc;
    HandshakeResult res = { 0 };
    static const char resp[] =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Accept: " RFC_ACCEPT "\r\n\r\n";

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
    master = socket_channel(fds[0]);
    wioc = qio_channel_websock_new_client(master, "h", "/");
    qio_channel_websock_handshake(wioc, handshake_done, &res, NULL);
    write_all_fd(fds[1], resp, strlen(resp));
    iterate_until(&res.done);
    qio_assert_error_contains(res.err, "Sec-WebSocket-Accept");
    error_free(res.err);
    object_unref(OBJECT(wioc));
    object_unref(OBJECT(master));
    close(fds[1]);
}

/* ------------------------------------------------------------------ */
/* The client against a raw peer acting as the server */

typedef struct WSClient {
    int peer;
    QIOChannel *master;
    QIOChannelWebsock *wioc;
    QIOChannel *ioc;
    HandshakeResult res;
} WSClient;

/*
 * Starts the client's handshake and reads its request on the raw side.
 * Returns the accept key a correct server would answer.
 */
static char *client_start(WSClient *c)
{
    int fds[2];
    GString *req = g_string_new(NULL);
    const char *key;
    char *accept;
    size_t klen;

    memset(c, 0, sizeof(*c));
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
    c->peer = fds[1];
    c->master = socket_channel(fds[0]);
    c->wioc = qio_channel_websock_new_client(c->master, "h", "/");
    c->ioc = QIO_CHANNEL(c->wioc);
    qio_channel_websock_handshake(c->wioc, handshake_done, &c->res, NULL);

    /* The client sends nothing after its request until it is answered. */
    while (!g_str_has_suffix(req->str, "\r\n\r\n")) {
        char buf[256];
        ssize_t n = recv(c->peer, buf, sizeof(buf), MSG_DONTWAIT);

        if (n > 0) {
            g_string_append_len(req, buf, n);
        } else {
            g_assert_cmpint(n, ==, -1);
            g_assert_cmpint(errno, ==, EAGAIN);
            g_main_context_iteration(NULL, TRUE);
        }
    }
    key = strstr(req->str, "\r\nSec-WebSocket-Key: ");
    g_assert_nonnull(key);
    key += strlen("\r\nSec-WebSocket-Key: ");
    klen = strcspn(key, "\r");
    g_assert_cmpuint(klen, ==, 24);
    g_string_truncate(req, key - req->str + klen);
    accept = accept_for_key(key);
    g_string_free(req, TRUE);
    return accept;
}

static void client_teardown(WSClient *c)
{
    error_free(c->res.err);
    object_unref(OBJECT(c->wioc));
    object_unref(OBJECT(c->master));
    close(c->peer);
}

/* A client whose handshake with the raw peer succeeded. */
static void client_setup(WSClient *c)
{
    char *accept = client_start(c);
    char *resp = g_strdup_printf("HTTP/1.1 101 Switching Protocols\r\n"
                                 "Upgrade: websocket\r\n"
                                 "Connection: Upgrade\r\n"
                                 "Sec-WebSocket-Accept: %s\r\n"
                                 "Sec-WebSocket-Protocol: binary\r\n"
                                 "\r\n", accept);

    write_all_fd(c->peer, resp, strlen(resp));
    iterate_until(&c->res.done);
    qio_assert_no_error(c->res.err);
    g_free(resp);
    g_free(accept);
}

typedef enum {
    ACCEPT_RIGHT,
    ACCEPT_WRONG,
    ACCEPT_NONE,
    ACCEPT_TWICE,
} AcceptMode;

typedef struct ClientRespCase {
    const char *name;
    const char *status;     /* the status line, without CRLF */
    const char *headers;    /* header lines before Sec-WebSocket-Accept */
    AcceptMode accept;
    const char *error;      /* substring of the Error; NULL: success */
} ClientRespCase;

#define R_UPG "Upgrade: websocket\r\n"
#define R_CONN "Connection: Upgrade\r\n"
#define R_101 "HTTP/1.1 101 Switching Protocols"

static const ClientRespCase client_resp_cases[] = {
    { "ok", R_101, R_UPG R_CONN, ACCEPT_RIGHT },
    { "ok-binary", R_101, R_UPG R_CONN "Sec-WebSocket-Protocol: binary\r\n",
      ACCEPT_RIGHT },
    { "ok-token-lists", R_101,
      "Upgrade: WebSocket\r\nConnection: keep-alive, upgrade\r\n",
      ACCEPT_RIGHT },
    { "status-403", "HTTP/1.1 403 Forbidden", "Content-Length: 0\r\n",
      ACCEPT_NONE, "refused the upgrade: 403 Forbidden" },
    { "status-200", "HTTP/1.1 200 OK", "Content-Length: 0\r\n",
      ACCEPT_NONE, "refused the upgrade: 200 OK" },
    { "status-400-version", "HTTP/1.1 400 Bad Request",
      "Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n", ACCEPT_NONE,
      "refused the upgrade: 400 Bad Request" },
    /* Starts with 101 but is another status. */
    { "status-1010", "HTTP/1.1 1010 Switching Protocols", R_UPG R_CONN,
      ACCEPT_RIGHT, "refused the upgrade: 1010" },
    { "status-only-101", "HTTP/1.1 101", R_UPG R_CONN, ACCEPT_RIGHT },
    { "http-1.0", "HTTP/1.0 101 Switching Protocols", R_UPG R_CONN,
      ACCEPT_RIGHT, "HTTP/1.1" },
    { "protocol-chat", R_101, R_UPG R_CONN "Sec-WebSocket-Protocol: chat\r\n",
      ACCEPT_RIGHT, "subprotocol 'chat', which was not offered" },
    { "protocol-list", R_101,
      R_UPG R_CONN "Sec-WebSocket-Protocol: binary, chat\r\n",
      ACCEPT_RIGHT, "was not offered" },
    { "protocol-twice", R_101,
      R_UPG R_CONN "Sec-WebSocket-Protocol: binary\r\n"
      "Sec-WebSocket-Protocol: binary\r\n", ACCEPT_RIGHT, "was not offered" },
    { "extension", R_101,
      R_UPG R_CONN "Sec-WebSocket-Extensions: permessage-deflate\r\n",
      ACCEPT_RIGHT, "extensions 'permessage-deflate'" },
    { "accept-wrong", R_101, R_UPG R_CONN, ACCEPT_WRONG,
      "Sec-WebSocket-Accept" },
    { "accept-missing", R_101, R_UPG R_CONN, ACCEPT_NONE,
      "Sec-WebSocket-Accept" },
    { "accept-twice", R_101, R_UPG R_CONN, ACCEPT_TWICE,
      "Sec-WebSocket-Accept" },
    { "no-upgrade", R_101, R_CONN, ACCEPT_RIGHT, "Upgrade: websocket" },
    { "upgrade-other", R_101, "Upgrade: h2c\r\n" R_CONN, ACCEPT_RIGHT,
      "Upgrade: websocket" },
    { "no-connection", R_101, R_UPG, ACCEPT_RIGHT, "Connection header" },
};

static void test_client_response(gconstpointer opaque)
{
    const ClientRespCase *rc = opaque;
    WSClient c;
    char *accept = client_start(&c);
    GString *resp = g_string_new(rc->status);
    Error *err = NULL;
    char buf[4];

    g_string_append(resp, "\r\n");
    g_string_append(resp, rc->headers);
    switch (rc->accept) {
    case ACCEPT_TWICE:
        g_string_append_printf(resp, "Sec-WebSocket-Accept: %s\r\n", accept);
        /* fall through */
    case ACCEPT_RIGHT:
        g_string_append_printf(resp, "Sec-WebSocket-Accept: %s\r\n", accept);
        break;
    case ACCEPT_WRONG:
        /* Right for another key. */
        g_string_append(resp, "Sec-WebSocket-Accept: " RFC_ACCEPT "\r\n");
        break;
    case ACCEPT_NONE:
        break;
    }
    g_string_append(resp, "\r\n");
    write_all_fd(c.peer, resp->str, resp->len);
    iterate_until(&c.res.done);

    if (!rc->error) {
        qio_assert_no_error(c.res.err);
        g_assert_true(c.wioc->handshake_done);
        send_frame(c.peer, make_frame_full(0x82, false, 2, -1, "ok", 2));
        ws_read_exact(c.ioc, (uint8_t *)buf, 2);
        g_assert_cmpmem(buf, 2, "ok", 2);
    } else {
        qio_assert_error_contains(c.res.err, "Websocket handshake failed");
        qio_assert_error_contains(c.res.err, rc->error);
        g_assert_false(c.wioc->handshake_done);
        g_assert_cmpint(qio_channel_read(c.ioc, buf, sizeof(buf), &err),
                        ==, -1);
        qio_assert_error_contains(err, "handshake has not completed");
        error_free(err);
        /* A client has nothing to answer a refusal with. */
        expect_nothing_pending(c.peer);
    }
    g_string_free(resp, TRUE);
    g_free(accept);
    client_teardown(&c);
}

/*
 * Protocol errors seen by a client: raw frames from the server side,
 * which does not mask.  The client closes with a masked close frame.
 */
static const ProtoCase client_proto_cases[] = {
    { "masked", B(0x82, 0x83, 0x11, 0x22, 0x33, 0x44, 'a', 'b', 'c'),
      false, 1002, "masked frame from a server" },
    { "masked-ping", B(0x89, 0x80, 0x11, 0x22, 0x33, 0x44), false, 1002,
      "masked frame from a server" },
    { "masked-in-message", B(0x80, 0x81, 0x11, 0x22, 0x33, 0x44, 'x'),
      true, 1002, "masked frame from a server" },
    { "text", B(0x81, 0x02, 'h', 'i'), false, 1003,
      "text frames are not supported" },
    { "text-no-fin", B(0x01, 0x02, 'h', 'i'), false, 1003,
      "text frames are not supported" },
    { "rsv2", B(0xa2, 0x01, 'a'), false, 1002, "reserved bits" },
    { "opcode-7", B(0x87, 0x00), false, 1002, "unknown opcode 0x7" },
    { "pong-126", B(0x8a, 0x7e, 0x00, 0x7e), false, 1002,
      "control frame payload over 125" },
    { "lone-continuation", B(0x80, 0x01, 'a'), false, 1002,
      "continuation frame outside" },
};

static void test_client_protocol_error(gconstpointer opaque)
{
    const ProtoCase *pc = opaque;
    WSClient c;
    Error *err = NULL;
    char buf[16];
    ssize_t n;

    client_setup(&c);
    if (pc->fragment_first) {
        send_frame(c.peer, make_frame_full(0x02, false, 2, -1, "ab", 2));
    }
    write_all_fd(c.peer, pc->bytes, pc->len);
    send_frame(c.peer, make_frame_full(0x82, false, 2, -1, "zz", 2));

    n = qio_channel_read(c.ioc, buf, sizeof(buf), &err);
    if (pc->fragment_first) {
        g_assert_cmpint(n, ==, 2);
        n = qio_channel_read(c.ioc, buf, sizeof(buf), &err);
    }
    g_assert_cmpint(n, ==, -1);
    qio_assert_error_contains(err, pc->error);
    qio_assert_error_contains(err, "Websocket protocol error");
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_read(c.ioc, buf, sizeof(buf), &err), ==, -1);
    qio_assert_error_contains(err, pc->error);
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_write(c.ioc, "x", 1, &err), ==, -1);
    qio_assert_error_contains(err, pc->error);
    error_free(err);

    /* Like every client frame, the close frame is masked. */
    expect_close_frame_full(c.peer, pc->code, true);
    expect_eof(c.peer);
    client_teardown(&c);
}

/*
 * Both ends over trickle channels.  The writer offers its data in writes
 * of these sizes, in turn; each write starts a frame declared for all of
 * it.  A write above 65535 bytes comes early, so that even a shrunken
 * workload sends a frame with a 64-bit length through the trickle.
 */
static const size_t trickle_write_sizes[] = {
    1, 70000, 7, 1000, 126, 65535, 65536, 3000, 200000, 125, 30000,
};

typedef struct TrickleXfer {
    QIOChannel *src, *dst;
    QIOChannelWebsock *reader;
    const uint8_t *data;
    uint8_t *got;
    size_t len, wpos, rpos;
    size_t write_end;       /* where the write in progress ends */
    unsigned int writes;    /* writes started */
    size_t max_remain;      /* largest payload_remain the reader had */
    bool widen;             /* faster trickle once a 64-bit length is in */
} TrickleXfer;

/*
 * Both callbacks go on until the channel blocks (every other trickle
 * call does), so each dispatch still ends in QIO_CHANNEL_ERR_BLOCK and
 * the watch has to bring the transfer back to life every time.
 */
static gboolean trickle_write_cb(QIOChannel *ioc, GIOCondition cond,
                                 gpointer opaque)
{
    TrickleXfer *x = opaque;
    ssize_t n;

    do {
        if (x->wpos == x->write_end) {
            size_t size = trickle_write_sizes[x->writes++ %
                                              G_N_ELEMENTS(
                                                  trickle_write_sizes)];

            x->write_end = MIN(x->len, x->wpos + size);
        }
        n = qio_channel_write(x->src, (const char *)x->data + x->wpos,
                              x->write_end - x->wpos, &error_abort);
        if (n > 0) {
            x->wpos += n;
        } else {
            g_assert_cmpint(n, ==, QIO_CHANNEL_ERR_BLOCK);
        }
    } while (n > 0 && x->wpos < x->len);
    return x->wpos < x->len;
}

static gboolean trickle_read_cb(QIOChannel *ioc, GIOCondition cond,
                                gpointer opaque)
{
    TrickleXfer *x = opaque;
    ssize_t n;

    do {
        n = qio_channel_read(x->dst, (char *)x->got + x->rpos,
                             x->len - x->rpos, &error_abort);
        if (n > 0) {
            x->rpos += n;
        } else {
            g_assert_cmpint(n, ==, QIO_CHANNEL_ERR_BLOCK);
        }
        x->max_remain = MAX(x->max_remain, x->reader->payload_remain);
        if (x->widen && x->max_remain > 65535) {
            QIO_CHANNEL_TRICKLE(x->reader->master)->max = TRICKLE_MAX_STEP;
            QIO_CHANNEL_TRICKLE(QIO_CHANNEL_WEBSOCK(x->src)->master)->max =
                TRICKLE_MAX_STEP;
        }
    } while (n > 0 && x->rpos < x->len);
    return x->rpos < x->len;
}

/*
 * Sends @len bytes from @src to @dst.  With @widen, the trickle channels
 * move up to TRICKLE_MAX_STEP bytes per call from the moment the reader
 * has decoded a 64-bit length: the strict part is over by then.
 */
static void trickle_transfer(QIOChannelWebsock *src, QIOChannelWebsock *dst,
                             size_t len, bool widen)
{
    TrickleXfer x = {
        .src = QIO_CHANNEL(src), .dst = QIO_CHANNEL(dst), .reader = dst,
        .len = len, .widen = widen,
    };
    uint8_t *data = pattern(len, 5);

    x.data = data;
    x.got = g_malloc(len);
    qio_channel_add_watch(x.src, G_IO_OUT, trickle_write_cb, &x, NULL);
    qio_channel_add_watch(x.dst, G_IO_IN, trickle_read_cb, &x, NULL);
    while (x.rpos < len) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_cmpuint(x.wpos, ==, len);
    g_assert_cmpmem(x.got, len, data, len);
    /*
     * Only a 64-bit length can declare more than 65535 bytes: the reader
     * decoded one, received a byte or a few at a time.
     */
    g_assert_cmpuint(x.max_remain, >, 65535);
    /* Every frame ended with the write that started it. */
    g_assert_cmpuint(src->out_remain, ==, 0);
    g_assert_cmpuint(dst->payload_remain, ==, 0);
    g_free(x.got);
    g_free(data);
}

/* The socket under one end's trickle channel. */
static int trickle_fd(QIOChannel *ioc)
{
    return QIO_CHANNEL_SOCKET(QIO_CHANNEL_TRICKLE(ioc)->inner)->fd;
}

/* A watch for an end that must not deliver data (it only pumps). */
static gboolean no_data_cb(QIOChannel *ioc, GIOCondition cond,
                           gpointer opaque)
{
    char c;

    g_assert_cmpint(qio_channel_read(ioc, &c, 1, &error_abort), ==,
                    QIO_CHANNEL_ERR_BLOCK);
    return TRUE;
}

/* Runs the main loop until @len bytes wait to be read on @fd. */
static void iterate_until_pending(int fd, size_t len)
{
    char buf[64];

    g_assert_cmpuint(len, <=, sizeof(buf));
    while (recv(fd, buf, len, MSG_PEEK | MSG_DONTWAIT) < (ssize_t)len) {
        g_main_context_iteration(NULL, TRUE);
    }
}

/*
 * A ping slipped onto the wire between two frames of @sender (which
 * must have no frame in progress) reaches @receiver through its trickle
 * channel; the pong goes back through it too and is read raw from
 * @sender's socket.
 */
static void trickle_ping(QIOChannelWebsock *sender,
                         QIOChannelWebsock *receiver)
{
    static const char ping[] = "trickle-ping";
    size_t plen = strlen(ping);
    int fd = trickle_fd(sender->master);
    guint tag;
    Frame fr;

    g_assert_cmpuint(sender->out_remain, ==, 0);
    g_assert_cmpuint(sender->encoutput.offset, ==, 0);
    /* A client's ping reaches a server masked, a server's unmasked. */
    send_frame(fd, make_frame_full(0x89, sender->client, plen, -1,
                                   ping, plen));
    tag = qio_channel_add_watch(QIO_CHANNEL(receiver), G_IO_IN, no_data_cb,
                                NULL, NULL);
    iterate_until_pending(fd, 2 + (receiver->client ? 4 : 0) + plen);
    g_source_remove(tag);

    read_frame_full(fd, &fr, receiver->client);
    g_assert_cmphex(fr.byte0, ==, 0x8a);
    g_assert_cmpmem(fr.payload, fr.len, ping, plen);
    g_free(fr.payload);
    g_assert_cmpuint(receiver->encoutput.offset, ==, 0);
    expect_nothing_pending(fd);
}

typedef struct EofWait {
    bool eof;
} EofWait;

static gboolean eof_wait_cb(QIOChannel *ioc, GIOCondition cond,
                            gpointer opaque)
{
    EofWait *w = opaque;
    char c;
    ssize_t n = qio_channel_read(ioc, &c, 1, &error_abort);

    if (n == 0) {
        w->eof = true;
    } else {
        g_assert_cmpint(n, ==, QIO_CHANNEL_ERR_BLOCK);
    }
    /* The watch stays: it also flushes this end's own close frame. */
    return TRUE;
}

/*
 * The closing handshake through the trickle channels: the client shuts
 * down its sending side, the server reads its close frame and answers,
 * and both ends then read end of file.
 */
static void trickle_close_handshake(WSPair *p)
{
    EofWait cw = { false }, sw = { false };
    guint ctag, stag;
    Error *err = NULL;

    g_assert_cmpint(qio_channel_shutdown(QIO_CHANNEL(p->client),
                                         QIO_CHANNEL_SHUTDOWN_WRITE,
                                         &error_abort), ==, 0);
    ctag = qio_channel_add_watch(QIO_CHANNEL(p->client), G_IO_IN,
                                 eof_wait_cb, &cw, NULL);
    stag = qio_channel_add_watch(QIO_CHANNEL(p->server), G_IO_IN,
                                 eof_wait_cb, &sw, NULL);
    while (!cw.eof || !sw.eof) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_source_remove(ctag);
    g_source_remove(stag);

    g_assert_true(p->server->close_received);
    g_assert_true(p->server->close_sent);
    g_assert_true(p->client->close_received);
    g_assert_null(p->server->io_err);
    g_assert_null(p->client->io_err);
    /* The client got the server's answer, so it was flushed whole. */
    g_assert_cmpuint(p->server->encoutput.offset, ==, 0);
    g_assert_cmpint(qio_channel_write(QIO_CHANNEL(p->server), "x", 1, &err),
                    ==, -1);
    qio_assert_error_contains(err, "closed");
    error_free(err);
}

/*
 * @opaque is the trickle's largest step: 1 moves strictly one byte per
 * call over a smaller payload that still holds a 64-bit frame header;
 * TRICKLE_MAX_STEP moves a megabyte each way.
 */
static void test_trickle_client_server(gconstpointer opaque)
{
    unsigned int max = GPOINTER_TO_UINT(opaque);
    bool valgrind = qio_test_under_valgrind();
    WSPair p;
    size_t len;

    if (max == 1) {
        /* The first two writes: 1 and 70000 bytes, then 7. */
        len = 70008;
    } else {
        len = valgrind ? 96 * 1024 : 1024 * 1024;
    }
    pair_setup(&p, max);
    /* Under valgrind, strictly one byte per call only up to that frame. */
    trickle_transfer(p.client, p.server, len, max == 1 && valgrind);
    /*
     * The client masks about what its master takes per call, not a
     * whole frame (up to 256 KiB) each time the master takes a few bytes:
     * its scratch space never grew past the initial allowance.
     */
    g_assert_cmpuint(p.client->rawoutput.capacity, <=, 65536);
    QIO_CHANNEL_TRICKLE(p.cmaster)->max = max;
    QIO_CHANNEL_TRICKLE(p.smaster)->max = max;
    trickle_transfer(p.server, p.client, len, max == 1 && valgrind);
    trickle_ping(p.client, p.server);
    trickle_ping(p.server, p.client);
    trickle_close_handshake(&p);
    pair_teardown(&p);
}

/* ------------------------------------------------------------------ */
/* Interop with python3-websockets */

static char *peer_script(void)
{
    const char *srcdir = g_getenv("QIO_SRCDIR");
    char *path = g_build_filename(srcdir ? srcdir : ".", "tests", "unit",
                                  "websock-peer.py", NULL);

    /* Fail rather than wait for a peer that can never start. */
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_error("%s not found: run from make check or set QIO_SRCDIR", path);
    }
    return path;
}

static GPid spawn_python(const char *mode, const char *port, size_t total,
                         int *out_fd)
{
    char *script = peer_script();
    char *tot = g_strdup_printf("%zu", total);
    const char *argv[] = { "/usr/bin/python3", script, mode, port, tot,
                           NULL };
    GPid pid;
    GError *gerr = NULL;

    if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD |
                                  G_SPAWN_CLOEXEC_PIPES,
                                  NULL, NULL, &pid, NULL, out_fd, NULL,
                                  &gerr)) {
        g_error("cannot run %s: %s", argv[0], gerr->message);
    }
    g_free(script);
    g_free(tot);
    return pid;
}

static void reap_python(GPid pid)
{
    int status;

    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

static void check_python(void)
{
    const char *argv[] = { "/usr/bin/python3", "-c", "import websockets",
                           NULL };
    gint status = -1;
    GError *gerr = NULL;

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, NULL, NULL, &status, &gerr)) {
        g_error("/usr/bin/python3 is missing (install python3-websockets):"
                " %s", gerr->message);
    }
    if (!g_spawn_check_wait_status(status, NULL)) {
        g_error("python3-websockets is missing: apt-get install "
                "python3-websockets");
    }
}

#define INTEROP_TOTAL (300 * 1024)

/* The same bytes as payload() in websock-peer.py. */
static uint8_t *interop_payload(size_t len)
{
    uint8_t *p = g_malloc(len);
    size_t i;

    for (i = 0; i < len; i++) {
        p[i] = (i * 13 + (i >> 9)) & 0xff;
    }
    return p;
}

/* python is the client; we serve and echo until it closes. */
static void test_interop_python_client(void)
{
    struct sockaddr_in addr = { .sin_family = AF_INET };
    socklen_t alen = sizeof(addr);
    int lfd, cfd, out;
    char port[16];
    GPid pid;
    QIOChannel *master;
    QIOChannelWebsock *wioc;
    HandshakeResult res = { 0 };
    char *buf = g_malloc(70000);
    size_t echoed = 0;
    ssize_t n;

    check_python();
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(lfd, >=, 0);
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    g_assert_cmpint(getsockname(lfd, (struct sockaddr *)&addr, &alen), ==, 0);
    g_snprintf(port, sizeof(port), "%d", ntohs(addr.sin_port));

    pid = spawn_python("client", port, INTEROP_TOTAL, &out);
    cfd = accept(lfd, NULL, NULL);
    g_assert_cmpint(cfd, >=, 0);
    close(lfd);

    master = socket_channel(cfd);
    wioc = qio_channel_websock_new_server(master);
    qio_channel_websock_set_path(wioc, "/interop");
    qio_channel_websock_handshake(wioc, handshake_done, &res, NULL);
    iterate_until(&res.done);
    qio_assert_no_error(res.err);

    while ((n = qio_channel_read(QIO_CHANNEL(wioc), buf, 70000,
                                 &error_abort)) > 0) {
        qio_channel_write_all(QIO_CHANNEL(wioc), buf, n, &error_abort);
        echoed += n;
    }
    g_assert_cmpint(n, ==, 0);
    g_assert_cmpuint(echoed, ==, INTEROP_TOTAL);
    g_assert_true(wioc->close_received);

    qio_channel_close(QIO_CHANNEL(wioc), &error_abort);
    reap_python(pid);
    close(out);
    object_unref(OBJECT(wioc));
    object_unref(OBJECT(master));
    g_free(buf);
}

/* python is the server and echoes; we send, read back, and it closes. */
static void test_interop_python_server(void)
{
    struct sockaddr_in addr = { .sin_family = AF_INET };
    int fd, out;
    char port[16] = "";
    size_t plen = 0;
    GPid pid;
    QIOChannel *master;
    QIOChannelWebsock *wioc;
    HandshakeResult res = { 0 };
    uint8_t *data = interop_payload(INTEROP_TOTAL);
    uint8_t *got = g_malloc(INTEROP_TOTAL);
    size_t sent = 0;
    char c;

    check_python();
    pid = spawn_python("server", "0", INTEROP_TOTAL, &out);
    while (read(out, &c, 1) == 1 && c != '\n') {
        g_assert_cmpuint(plen, <, sizeof(port) - 1);
        port[plen++] = c;
    }
    g_assert_cmpuint(plen, >, 0);

    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(atoi(port));
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&addr, sizeof(addr)),
                    ==, 0);
    master = socket_channel(fd);
    wioc = qio_channel_websock_new_client(master, "127.0.0.1", "/interop");
    qio_channel_websock_handshake(wioc, handshake_done, &res, NULL);
    iterate_until(&res.done);
    qio_assert_no_error(res.err);

    /* Message by message: python echoes each one before reading on. */
    while (sent < INTEROP_TOTAL) {
        size_t chunk = MIN(INTEROP_TOTAL - sent, 1 + (sent % 50000));

        qio_channel_write_all(QIO_CHANNEL(wioc), (char *)data + sent, chunk,
                              &error_abort);
        ws_read_exact(QIO_CHANNEL(wioc), got + sent, chunk);
        sent += chunk;
    }
    g_assert_cmpmem(got, INTEROP_TOTAL, data, INTEROP_TOTAL);
    /* python closes once it has echoed everything. */
    g_assert_cmpint(qio_channel_read(QIO_CHANNEL(wioc), &c, 1,
                                     &error_abort), ==, 0);
    g_assert_true(wioc->close_received);

    qio_channel_close(QIO_CHANNEL(wioc), &error_abort);
    reap_python(pid);
    close(out);
    object_unref(OBJECT(wioc));
    object_unref(OBJECT(master));
    g_free(data);
    g_free(got);
}

int main(int argc, char **argv)
{
    size_t i;
    static const size_t lengths[] = { 0, 1, 125, 126, 65535, 65536,
                                      1024 * 1024 };

    qio_test_init(&argc, &argv);
    type_register_static(&trickle_info);

    for (i = 0; i < G_N_ELEMENTS(handshake_cases); i++) {
        char *path = g_strdup_printf("/io/channel/websock/handshake/%s",
                                     handshake_cases[i].name);
        qio_test_add_data_func(path, &handshake_cases[i],
                               test_handshake_case);
        g_free(path);
    }
    qio_test_add_func("/io/channel/websock/handshake/eof",
                      test_handshake_eof);
    qio_test_add_func("/io/channel/websock/before-handshake",
                      test_io_before_handshake);
    for (i = 0; i < G_N_ELEMENTS(lengths); i++) {
        char *path = g_strdup_printf("/io/channel/websock/frame/receive/%zu",
                                     lengths[i]);
        qio_test_add_data_func(path, GSIZE_TO_POINTER(lengths[i]),
                               test_frame_receive);
        g_free(path);
        path = g_strdup_printf("/io/channel/websock/frame/send/%zu",
                               lengths[i]);
        qio_test_add_data_func(path, GSIZE_TO_POINTER(lengths[i]),
                               test_frame_send);
        g_free(path);
    }
    qio_test_add_func("/io/channel/websock/frame/ping-pong", test_ping_pong);
    qio_test_add_func("/io/channel/websock/frame/fragmented-with-ping",
                      test_fragmented_with_ping);
    qio_test_add_func("/io/channel/websock/frame/shutdown-write",
                      test_shutdown_write);
    qio_test_add_data_func("/io/channel/websock/frame/close-with-code",
                           GINT_TO_POINTER(1), test_close);
    qio_test_add_data_func("/io/channel/websock/frame/close-empty",
                           GINT_TO_POINTER(0), test_close);
    for (i = 0; i < G_N_ELEMENTS(proto_cases); i++) {
        char *path = g_strdup_printf("/io/channel/websock/protocol-error/%s",
                                     proto_cases[i].name);
        qio_test_add_data_func(path, &proto_cases[i], test_protocol_error);
        g_free(path);
    }
    qio_test_add_data_func("/io/channel/websock/eof/mid-payload",
                           GINT_TO_POINTER(0), test_eof_mid_frame);
    qio_test_add_data_func("/io/channel/websock/eof/mid-header",
                           GINT_TO_POINTER(1), test_eof_mid_frame);
    qio_test_add_data_func("/io/channel/websock/eof/mid-message",
                           GINT_TO_POINTER(2), test_eof_mid_frame);
    for (i = 0; i < G_N_ELEMENTS(eof_header_cases); i++) {
        const EofHeaderCase *ec = &eof_header_cases[i];
        char *path = g_strdup_printf("/io/channel/websock/eof/"
                                     "after-header/%zu-%s", ec->declared,
                                     ec->watch ? "watch" : "blocking");

        qio_test_add_data_func(path, ec, test_eof_after_header);
        g_free(path);
    }
    qio_test_add_func("/io/channel/websock/eof/clean", test_eof_clean);
    qio_test_add_func("/io/channel/websock/frame/continuation-stream",
                      test_continuation_stream);
    qio_test_add_func("/io/channel/websock/bounds/huge-length",
                      test_huge_declared_length);
    qio_test_add_func("/io/channel/websock/bounds/flood-data",
                      test_flood_data);
    qio_test_add_func("/io/channel/websock/bounds/flood-ping",
                      test_flood_ping);
    qio_test_add_data_func("/io/channel/websock/client-server/blocking",
                           GINT_TO_POINTER(1), test_client_server);
    qio_test_add_data_func("/io/channel/websock/client-server/nonblocking",
                           GINT_TO_POINTER(0), test_client_server);
    qio_test_add_func("/io/channel/websock/client/masks",
                      test_client_masks);
    qio_test_add_func("/io/channel/websock/client/bad-accept",
                      test_client_bad_accept);
    for (i = 0; i < G_N_ELEMENTS(client_resp_cases); i++) {
        char *path = g_strdup_printf("/io/channel/websock/client/"
                                     "response/%s",
                                     client_resp_cases[i].name);

        qio_test_add_data_func(path, &client_resp_cases[i],
                               test_client_response);
        g_free(path);
    }
    for (i = 0; i < G_N_ELEMENTS(client_proto_cases); i++) {
        char *path = g_strdup_printf("/io/channel/websock/client/"
                                     "protocol-error/%s",
                                     client_proto_cases[i].name);

        qio_test_add_data_func(path, &client_proto_cases[i],
                               test_client_protocol_error);
        g_free(path);
    }
    qio_test_add_data_func("/io/channel/websock/trickle/one-byte",
                           GUINT_TO_POINTER(1), test_trickle_client_server);
    qio_test_add_data_func("/io/channel/websock/trickle/few-bytes",
                           GUINT_TO_POINTER(TRICKLE_MAX_STEP),
                           test_trickle_client_server);
    qio_test_add_func("/io/channel/websock/interop/python-client",
                      test_interop_python_client);
    qio_test_add_func("/io/channel/websock/interop/python-server",
                      test_interop_python_server);

    return g_test_run();
}
