/*
 * libqio: the abstract I/O channel, its generic entry points and the
 * waiting helpers built on channel watches.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel.h"
#include "qemu/coroutine.h"

/*
 * Implementations advertise a feature by setting the bit numbered by the
 * enum value, not the enum value itself.  Both the setter and the query
 * go through this one helper so they cannot disagree.
 */
static unsigned int qio_channel_feature_bit(QIOChannelFeature feature)
{
    return 1u << feature;
}

bool qio_channel_has_feature(QIOChannel *ioc,
                             QIOChannelFeature feature)
{
    return (ioc->features & qio_channel_feature_bit(feature)) != 0;
}

void qio_channel_set_feature(QIOChannel *ioc,
                             QIOChannelFeature feature)
{
    ioc->features |= qio_channel_feature_bit(feature);
}

void qio_channel_set_name(QIOChannel *ioc,
                          const char *name)
{
    g_free(ioc->name);
    ioc->name = g_strdup(name);
}

ssize_t qio_channel_readv_full(QIOChannel *ioc,
                               const struct iovec *iov,
                               size_t niov,
                               int **fds,
                               size_t *nfds,
                               Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if ((fds || nfds) &&
        !qio_channel_has_feature(ioc, QIO_CHANNEL_FEATURE_FD_PASS)) {
        error_setg_errno(errp, EINVAL,
                         "Channel does not support file descriptor passing");
        return -1;
    }

    return klass->io_readv(ioc, iov, niov, fds, nfds, errp);
}

ssize_t qio_channel_writev_full(QIOChannel *ioc,
                                const struct iovec *iov,
                                size_t niov,
                                int *fds,
                                size_t nfds,
                                Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if ((fds || nfds) &&
        !qio_channel_has_feature(ioc, QIO_CHANNEL_FEATURE_FD_PASS)) {
        error_setg_errno(errp, EINVAL,
                         "Channel does not support file descriptor passing");
        return -1;
    }

    return klass->io_writev(ioc, iov, niov, fds, nfds, errp);
}

ssize_t qio_channel_readv(QIOChannel *ioc,
                          const struct iovec *iov,
                          size_t niov,
                          Error **errp)
{
    return qio_channel_readv_full(ioc, iov, niov, NULL, NULL, errp);
}

ssize_t qio_channel_writev(QIOChannel *ioc,
                           const struct iovec *iov,
                           size_t niov,
                           Error **errp)
{
    return qio_channel_writev_full(ioc, iov, niov, NULL, 0, errp);
}

ssize_t qio_channel_read(QIOChannel *ioc,
                         char *buf,
                         size_t buflen,
                         Error **errp)
{
    struct iovec iov = { .iov_base = buf, .iov_len = buflen };

    return qio_channel_readv_full(ioc, &iov, 1, NULL, NULL, errp);
}

ssize_t qio_channel_write(QIOChannel *ioc,
                          const char *buf,
                          size_t buflen,
                          Error **errp)
{
    struct iovec iov = { .iov_base = (char *)buf, .iov_len = buflen };

    return qio_channel_writev_full(ioc, &iov, 1, NULL, 0, errp);
}

/*
 * The _all helpers work on a private copy of the caller's iovec array so
 * they can consume it from the front as data moves.
 */
typedef struct QIOChannelIOVCursor {
    struct iovec *vec;
    struct iovec *cur;
    size_t n;
} QIOChannelIOVCursor;

static void qio_channel_iov_cursor_init(QIOChannelIOVCursor *c,
                                        const struct iovec *iov,
                                        size_t niov)
{
    size_t i;

    c->vec = g_new(struct iovec, niov ? niov : 1);
    c->n = 0;
    for (i = 0; i < niov; i++) {
        /* Empty elements would make a transfer of 0 bytes look like EOF. */
        if (iov[i].iov_len) {
            c->vec[c->n++] = iov[i];
        }
    }
    c->cur = c->vec;
}

static void qio_channel_iov_cursor_advance(QIOChannelIOVCursor *c,
                                           size_t done)
{
    while (done && c->n) {
        if (done < c->cur->iov_len) {
            c->cur->iov_base = (char *)c->cur->iov_base + done;
            c->cur->iov_len -= done;
            return;
        }
        done -= c->cur->iov_len;
        c->cur++;
        c->n--;
    }
    assert(done == 0);
}

static void qio_channel_wait_ready(QIOChannel *ioc, GIOCondition condition)
{
    if (qemu_in_coroutine()) {
        qio_channel_yield(ioc, condition);
    } else {
        qio_channel_wait(ioc, condition);
    }
}

int qio_channel_readv_all_eof(QIOChannel *ioc,
                              const struct iovec *iov,
                              size_t niov,
                              Error **errp)
{
    QIOChannelIOVCursor c;
    bool got_data = false;
    int ret = -1;

    qio_channel_iov_cursor_init(&c, iov, niov);
    while (c.n) {
        ssize_t len = qio_channel_readv(ioc, c.cur, c.n, errp);

        if (len == QIO_CHANNEL_ERR_BLOCK) {
            qio_channel_wait_ready(ioc, G_IO_IN);
            continue;
        }
        if (len < 0) {
            goto out;
        }
        if (len == 0) {
            if (got_data) {
                error_setg(errp, "Unexpected end-of-file before all data "
                           "were read");
            } else {
                ret = 0;
            }
            goto out;
        }
        got_data = true;
        qio_channel_iov_cursor_advance(&c, len);
    }
    ret = 1;

 out:
    g_free(c.vec);
    return ret;
}

int qio_channel_readv_all(QIOChannel *ioc,
                          const struct iovec *iov,
                          size_t niov,
                          Error **errp)
{
    int ret = qio_channel_readv_all_eof(ioc, iov, niov, errp);

    if (ret == 0) {
        error_setg(errp, "Unexpected end-of-file before all data were read");
        return -1;
    }
    return ret == 1 ? 0 : -1;
}

int qio_channel_writev_all(QIOChannel *ioc,
                           const struct iovec *iov,
                           size_t niov,
                           Error **errp)
{
    QIOChannelIOVCursor c;
    int ret = -1;

    qio_channel_iov_cursor_init(&c, iov, niov);
    while (c.n) {
        ssize_t len = qio_channel_writev(ioc, c.cur, c.n, errp);

        if (len == QIO_CHANNEL_ERR_BLOCK) {
            qio_channel_wait_ready(ioc, G_IO_OUT);
            continue;
        }
        if (len < 0) {
            goto out;
        }
        if (len == 0) {
            /* Looping again would spin forever on a channel like that. */
            error_setg(errp, "Channel accepted no data");
            goto out;
        }
        qio_channel_iov_cursor_advance(&c, len);
    }
    ret = 0;

 out:
    g_free(c.vec);
    return ret;
}

int qio_channel_read_all_eof(QIOChannel *ioc,
                             char *buf,
                             size_t buflen,
                             Error **errp)
{
    struct iovec iov = { .iov_base = buf, .iov_len = buflen };

    return qio_channel_readv_all_eof(ioc, &iov, 1, errp);
}

int qio_channel_read_all(QIOChannel *ioc,
                         char *buf,
                         size_t buflen,
                         Error **errp)
{
    struct iovec iov = { .iov_base = buf, .iov_len = buflen };

    return qio_channel_readv_all(ioc, &iov, 1, errp);
}

int qio_channel_write_all(QIOChannel *ioc,
                          const char *buf,
                          size_t buflen,
                          Error **errp)
{
    struct iovec iov = { .iov_base = (char *)buf, .iov_len = buflen };

    return qio_channel_writev_all(ioc, &iov, 1, errp);
}

int qio_channel_set_blocking(QIOChannel *ioc,
                             bool enabled,
                             Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    return klass->io_set_blocking(ioc, enabled, errp);
}

int qio_channel_close(QIOChannel *ioc,
                      Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    return klass->io_close(ioc, errp);
}

int qio_channel_shutdown(QIOChannel *ioc,
                         QIOChannelShutdown how,
                         Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if (!klass->io_shutdown) {
        error_setg(errp, "Data path shutdown not supported by this channel");
        return -1;
    }
    return klass->io_shutdown(ioc, how, errp);
}

void qio_channel_set_delay(QIOChannel *ioc,
                           bool enabled)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if (klass->io_set_delay) {
        klass->io_set_delay(ioc, enabled);
    }
}

void qio_channel_set_cork(QIOChannel *ioc,
                          bool enabled)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if (klass->io_set_cork) {
        klass->io_set_cork(ioc, enabled);
    }
}

off_t qio_channel_io_seek(QIOChannel *ioc,
                          off_t offset,
                          int whence,
                          Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if (!klass->io_seek) {
        error_setg(errp, "Channel does not support random access");
        return -1;
    }
    return klass->io_seek(ioc, offset, whence, errp);
}

GSource *qio_channel_create_watch(QIOChannel *ioc,
                                  GIOCondition condition)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);
    GSource *source = klass->io_create_watch(ioc, condition);

    if (ioc->name) {
        g_source_set_name(source, ioc->name);
    }
    return source;
}

guint qio_channel_add_watch_full(QIOChannel *ioc,
                                 GIOCondition condition,
                                 QIOChannelFunc func,
                                 gpointer user_data,
                                 GDestroyNotify notify,
                                 GMainContext *context)
{
    GSource *source = qio_channel_create_watch(ioc, condition);
    guint id;

    g_source_set_callback(source, (GSourceFunc)(void (*)(void))func,
                          user_data, notify);
    id = g_source_attach(source, context);
    g_source_unref(source);
    return id;
}

guint qio_channel_add_watch(QIOChannel *ioc,
                            GIOCondition condition,
                            QIOChannelFunc func,
                            gpointer user_data,
                            GDestroyNotify notify)
{
    return qio_channel_add_watch_full(ioc, condition, func, user_data,
                                      notify, NULL);
}

static gboolean qio_channel_yield_ready(QIOChannel *ioc,
                                        GIOCondition condition,
                                        gpointer opaque)
{
    Coroutine *co = opaque;

    qemu_coroutine_enter(co, NULL);
    return FALSE;
}

void coroutine_fn qio_channel_yield(QIOChannel *ioc,
                                    GIOCondition condition)
{
    assert(qemu_in_coroutine());
    qio_channel_add_watch(ioc, condition, qio_channel_yield_ready,
                          qemu_coroutine_self(), NULL);
    qemu_coroutine_yield();
}

static gboolean qio_channel_wait_ready_cb(QIOChannel *ioc,
                                          GIOCondition condition,
                                          gpointer opaque)
{
    bool *ready = opaque;

    *ready = true;
    return FALSE;
}

void qio_channel_wait(QIOChannel *ioc,
                      GIOCondition condition)
{
    GMainContext *ctx = g_main_context_new();
    GSource *source = qio_channel_create_watch(ioc, condition);
    bool ready = false;

    g_source_set_callback(source,
                          (GSourceFunc)(void (*)(void))
                          qio_channel_wait_ready_cb,
                          &ready, NULL);
    g_source_attach(source, ctx);
    while (!ready) {
        g_main_context_iteration(ctx, TRUE);
    }
    g_source_destroy(source);
    g_source_unref(source);
    g_main_context_unref(ctx);
}

static void qio_channel_finalize(Object *obj)
{
    QIOChannel *ioc = QIO_CHANNEL(obj);

    g_free(ioc->name);
}

static const TypeInfo qio_channel_info = {
    .parent = TYPE_OBJECT,
    .name = TYPE_QIO_CHANNEL,
    .instance_size = sizeof(QIOChannel),
    .instance_finalize = qio_channel_finalize,
    .abstract = true,
    .class_size = sizeof(QIOChannelClass),
};

static void qio_channel_register_types(void)
{
    type_register_static(&qio_channel_info);
}

type_init(qio_channel_register_types)
