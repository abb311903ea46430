/*
 * libFuzzer target for io/channel-websock.c: the HTTP upgrade parsing of
 * both ends and the frame decoder, fed from an in-memory channel.
 *
 * Input layout: byte 0 selects the mode, byte 1 the size of the reads the
 * master channel hands out; the rest is what the peer "sends".
 *   mode bit 0: 0 = we are the server, 1 = we are the client
 *   mode bit 1: prepend a valid handshake (request for a server, 101
 *               response with the right accept key for a client), so that
 *               the fuzzer spends its time on frames
 *   mode bit 2: the master reports would-block on every other call
 *
 * Build and run with scripts/fuzz.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/module.h"
#include "io/channel-websock.h"

#define TYPE_QIO_CHANNEL_FUZZ "qio-channel-fuzz"
#define QIO_CHANNEL_FUZZ(obj) \
    OBJECT_CHECK(QIOChannelFuzz, (obj), TYPE_QIO_CHANNEL_FUZZ)

/* Reads come from a fixed input, writes are counted and dropped. */
typedef struct QIOChannelFuzz {
    QIOChannel parent;
    const uint8_t *data;
    size_t len;
    size_t pos;
    size_t chunk;
    bool stall;
    unsigned int calls;
    size_t written;
} QIOChannelFuzz;

static ssize_t fuzz_readv(QIOChannel *ioc, const struct iovec *iov,
                          size_t niov, int **fds, size_t *nfds, Error **errp)
{
    QIOChannelFuzz *f = QIO_CHANNEL_FUZZ(ioc);
    size_t done = 0;
    size_t i;

    if (f->stall && f->calls++ % 2 == 0) {
        return QIO_CHANNEL_ERR_BLOCK;
    }
    for (i = 0; i < niov && done < f->chunk && f->pos < f->len; i++) {
        size_t n = MIN(iov[i].iov_len, f->chunk - done);

        n = MIN(n, f->len - f->pos);
        memcpy(iov[i].iov_base, f->data + f->pos, n);
        f->pos += n;
        done += n;
    }
    return done;
}

static ssize_t fuzz_writev(QIOChannel *ioc, const struct iovec *iov,
                           size_t niov, int *fds, size_t nfds, Error **errp)
{
    QIOChannelFuzz *f = QIO_CHANNEL_FUZZ(ioc);
    size_t total = 0;
    size_t i;

    if (f->stall && f->calls++ % 2 == 0) {
        return QIO_CHANNEL_ERR_BLOCK;
    }
    for (i = 0; i < niov; i++) {
        total += iov[i].iov_len;
    }
    /* Partial writes exercise the resumption of frames. */
    total = MIN(total, f->chunk * 3);
    f->written += total;
    return total;
}

static int fuzz_close(QIOChannel *ioc, Error **errp)
{
    return 0;
}

static int fuzz_set_blocking(QIOChannel *ioc, bool enabled, Error **errp)
{
    return 0;
}

typedef struct FuzzSource {
    GSource parent;
    QIOChannel *ioc;
    GIOCondition cond;
} FuzzSource;

static gboolean fuzz_source_prepare(GSource *source, gint *timeout)
{
    *timeout = 0;
    return TRUE;
}

static gboolean fuzz_source_check(GSource *source)
{
    return TRUE;
}

static gboolean fuzz_source_dispatch(GSource *source, GSourceFunc callback,
                                     gpointer user_data)
{
    FuzzSource *s = (FuzzSource *)source;
    QIOChannelFunc func = (QIOChannelFunc)(void (*)(void))callback;

    return func ? func(s->ioc, s->cond, user_data) : FALSE;
}

static void fuzz_source_finalize(GSource *source)
{
    object_unref(OBJECT(((FuzzSource *)source)->ioc));
}

static GSourceFuncs fuzz_source_funcs = {
    .prepare = fuzz_source_prepare,
    .check = fuzz_source_check,
    .dispatch = fuzz_source_dispatch,
    .finalize = fuzz_source_finalize,
};

/* Always ready: the input is all there (or at its end). */
static GSource *fuzz_create_watch(QIOChannel *ioc, GIOCondition cond)
{
    GSource *source = g_source_new(&fuzz_source_funcs, sizeof(FuzzSource));
    FuzzSource *s = (FuzzSource *)source;

    object_ref(OBJECT(ioc));
    s->ioc = ioc;
    s->cond = cond;
    return source;
}

static void fuzz_class_init(ObjectClass *klass, void *data)
{
    QIOChannelClass *k = QIO_CHANNEL_CLASS(klass);

    k->io_readv = fuzz_readv;
    k->io_writev = fuzz_writev;
    k->io_close = fuzz_close;
    k->io_set_blocking = fuzz_set_blocking;
    k->io_create_watch = fuzz_create_watch;
}

static const TypeInfo fuzz_info = {
    .parent = TYPE_QIO_CHANNEL,
    .name = TYPE_QIO_CHANNEL_FUZZ,
    .instance_size = sizeof(QIOChannelFuzz),
    .class_init = fuzz_class_init,
};

static const char server_prefix[] =
    "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
    "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Protocol: binary\r\n\r\n";

typedef struct FuzzDone {
    bool done;
    bool ok;
} FuzzDone;

static void fuzz_handshake_done(Object *source, Error *err, gpointer opaque)
{
    FuzzDone *d = opaque;

    d->done = true;
    d->ok = err == NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool initialized;
    QIOChannelFuzz *f;
    QIOChannelWebsock *wioc;
    FuzzDone d = { 0 };
    GByteArray *input = g_byte_array_new();
    uint8_t mode, chunk;
    uint8_t buf[4096];
    unsigned int rounds;

    if (!initialized) {
        module_call_init(MODULE_INIT_QOM);
        type_register_static(&fuzz_info);
        initialized = true;
    }
    if (size < 2) {
        g_byte_array_free(input, TRUE);
        return 0;
    }
    mode = data[0];
    chunk = data[1];
    data += 2;
    size -= 2;

    f = QIO_CHANNEL_FUZZ(object_new(TYPE_QIO_CHANNEL_FUZZ));
    f->chunk = chunk ? chunk : 65536;
    f->stall = mode & 4;
    if (mode & 1) {
        wioc = qio_channel_websock_new_client(QIO_CHANNEL(f), "h", "/");
    } else {
        wioc = qio_channel_websock_new_server(QIO_CHANNEL(f));
    }
    qio_channel_websock_handshake(wioc, fuzz_handshake_done, &d, NULL);

    if (mode & 2) {
        if (mode & 1) {
            char *resp;

            if (!wioc->accept_key) {
                goto out;
            }
            resp = g_strdup_printf("HTTP/1.1 101 Switching Protocols\r\n"
                                   "Upgrade: websocket\r\n"
                                   "Connection: Upgrade\r\n"
                                   "Sec-WebSocket-Accept: %s\r\n\r\n",
                                   wioc->accept_key);
            g_byte_array_append(input, (guint8 *)resp, strlen(resp));
            g_free(resp);
        } else {
            g_byte_array_append(input, (const guint8 *)server_prefix,
                                strlen(server_prefix));
        }
    }
    g_byte_array_append(input, data, size);
    f->data = input->data;
    f->len = input->len;

    /* The handshake ends at the latest when the input runs out. */
    while (!d.done) {
        g_main_context_iteration(NULL, FALSE);
    }
    if (!d.ok) {
        goto out;
    }

    /* Decode until end of file or error; echo some data to write too. */
    for (rounds = 0; rounds < 100000; rounds++) {
        ssize_t n = qio_channel_read(QIO_CHANNEL(wioc), (char *)buf,
                                     1 + (rounds * 977 + chunk) % sizeof(buf),
                                     NULL);

        if (n == QIO_CHANNEL_ERR_BLOCK) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        if (qio_channel_write(QIO_CHANNEL(wioc), (char *)buf, n, NULL) ==
            -1) {
            break;
        }
        if (wioc->encinput.offset > QIO_CHANNEL_WEBSOCK_MAX_BUFFER ||
            wioc->encoutput.offset + wioc->ctlqueue.offset >
            QIO_CHANNEL_WEBSOCK_MAX_BUFFER) {
            abort();
        }
    }
    /* Run a watch over whatever is left, as an application would. */
    {
        GSource *src = qio_channel_create_watch(QIO_CHANNEL(wioc),
                                                G_IO_IN | G_IO_OUT);
        g_source_attach(src, NULL);
        g_main_context_iteration(NULL, FALSE);
        g_main_context_iteration(NULL, FALSE);
        g_source_destroy(src);
        g_source_unref(src);
    }
    qio_channel_close(QIO_CHANNEL(wioc), NULL);

 out:
    /* A handshake still running holds references: let it finish. */
    f->pos = f->len;
    f->stall = false;
    while (!d.done) {
        g_main_context_iteration(NULL, FALSE);
    }
    object_unref(OBJECT(wioc));
    object_unref(OBJECT(f));
    g_byte_array_free(input, TRUE);
    return 0;
}
