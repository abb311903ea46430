/*
 * libqio: the null channel.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-null.h"

QIOChannelNull *qio_channel_null_new(void)
{
    return QIO_CHANNEL_NULL(object_new(TYPE_QIO_CHANNEL_NULL));
}

static bool qio_channel_null_check_open(QIOChannelNull *nioc, Error **errp)
{
    if (nioc->closed) {
        error_setg_errno(errp, EBADF, "Null channel is closed");
        return false;
    }
    return true;
}

static ssize_t qio_channel_null_readv(QIOChannel *ioc,
                                      const struct iovec *iov,
                                      size_t niov,
                                      int **fds,
                                      size_t *nfds,
                                      Error **errp)
{
    if (!qio_channel_null_check_open(QIO_CHANNEL_NULL(ioc), errp)) {
        return -1;
    }
    return 0;
}

static ssize_t qio_channel_null_writev(QIOChannel *ioc,
                                       const struct iovec *iov,
                                       size_t niov,
                                       int *fds,
                                       size_t nfds,
                                       Error **errp)
{
    size_t total = 0;
    size_t i;

    if (!qio_channel_null_check_open(QIO_CHANNEL_NULL(ioc), errp)) {
        return -1;
    }
    for (i = 0; i < niov; i++) {
        total += iov[i].iov_len;
    }
    /* A return value must fit ssize_t; the caller loops for the rest. */
    return MIN(total, (size_t)SSIZE_MAX);
}

static int qio_channel_null_set_blocking(QIOChannel *ioc,
                                         bool enabled,
                                         Error **errp)
{
    return 0;
}

static int qio_channel_null_close(QIOChannel *ioc,
                                  Error **errp)
{
    QIO_CHANNEL_NULL(ioc)->closed = true;
    return 0;
}

typedef struct QIOChannelNullSource {
    GSource parent;
    QIOChannel *ioc;
    GIOCondition condition;
} QIOChannelNullSource;

/* Nothing ever blocks: the source is ready as soon as it is polled. */
static gboolean qio_channel_null_source_prepare(GSource *source,
                                                gint *timeout)
{
    *timeout = -1;
    return TRUE;
}

static gboolean qio_channel_null_source_check(GSource *source)
{
    return TRUE;
}

static gboolean qio_channel_null_source_dispatch(GSource *source,
                                                 GSourceFunc callback,
                                                 gpointer user_data)
{
    QIOChannelNullSource *s = (QIOChannelNullSource *)source;
    QIOChannelFunc func = (QIOChannelFunc)(void (*)(void))callback;

    if (!func) {
        return G_SOURCE_REMOVE;
    }
    return func(s->ioc, s->condition & (G_IO_IN | G_IO_OUT), user_data);
}

static void qio_channel_null_source_finalize(GSource *source)
{
    QIOChannelNullSource *s = (QIOChannelNullSource *)source;

    object_unref(OBJECT(s->ioc));
}

static GSourceFuncs qio_channel_null_source_funcs = {
    .prepare = qio_channel_null_source_prepare,
    .check = qio_channel_null_source_check,
    .dispatch = qio_channel_null_source_dispatch,
    .finalize = qio_channel_null_source_finalize,
};

static GSource *qio_channel_null_create_watch(QIOChannel *ioc,
                                              GIOCondition condition)
{
    GSource *source = g_source_new(&qio_channel_null_source_funcs,
                                   sizeof(QIOChannelNullSource));
    QIOChannelNullSource *s = (QIOChannelNullSource *)source;

    object_ref(OBJECT(ioc));
    s->ioc = ioc;
    s->condition = condition;
    return source;
}

static void qio_channel_null_class_init(ObjectClass *klass,
                                        void *class_data)
{
    QIOChannelClass *ioc_klass = QIO_CHANNEL_CLASS(klass);

    ioc_klass->io_writev = qio_channel_null_writev;
    ioc_klass->io_readv = qio_channel_null_readv;
    ioc_klass->io_set_blocking = qio_channel_null_set_blocking;
    ioc_klass->io_close = qio_channel_null_close;
    ioc_klass->io_create_watch = qio_channel_null_create_watch;
}

static const TypeInfo qio_channel_null_info = {
    .parent = TYPE_QIO_CHANNEL,
    .name = TYPE_QIO_CHANNEL_NULL,
    .instance_size = sizeof(QIOChannelNull),
    .class_init = qio_channel_null_class_init,
};

static void qio_channel_null_register_types(void)
{
    type_register_static(&qio_channel_null_info);
}

type_init(qio_channel_null_register_types)
