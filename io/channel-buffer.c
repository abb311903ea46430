/*
 * libqio: the memory buffer channel.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-buffer.h"

QIOChannelBuffer *qio_channel_buffer_new(size_t capacity)
{
    QIOChannelBuffer *ioc;

    ioc = QIO_CHANNEL_BUFFER(object_new(TYPE_QIO_CHANNEL_BUFFER));
    if (capacity) {
        ioc->data = g_new0(char, capacity);
        ioc->capacity = capacity;
    }
    return ioc;
}

static void qio_channel_buffer_finalize(Object *obj)
{
    QIOChannelBuffer *ioc = QIO_CHANNEL_BUFFER(obj);

    g_free(ioc->data);
    ioc->data = NULL;
    ioc->capacity = ioc->usage = ioc->offset = 0;
}

static ssize_t qio_channel_buffer_readv(QIOChannel *ioc,
                                        const struct iovec *iov,
                                        size_t niov,
                                        int **fds,
                                        size_t *nfds,
                                        Error **errp)
{
    QIOChannelBuffer *bioc = QIO_CHANNEL_BUFFER(ioc);
    size_t done = 0;
    size_t i;

    for (i = 0; i < niov && bioc->offset < bioc->usage; i++) {
        size_t want = MIN(iov[i].iov_len, bioc->usage - bioc->offset);

        if (!want) {
            continue;
        }
        memcpy(iov[i].iov_base, bioc->data + bioc->offset, want);
        bioc->offset += want;
        done += want;
    }
    return done;
}

static ssize_t qio_channel_buffer_writev(QIOChannel *ioc,
                                         const struct iovec *iov,
                                         size_t niov,
                                         int *fds,
                                         size_t nfds,
                                         Error **errp)
{
    QIOChannelBuffer *bioc = QIO_CHANNEL_BUFFER(ioc);
    size_t total = 0;
    size_t i;

    for (i = 0; i < niov; i++) {
        total += iov[i].iov_len;
    }
    if (total > SSIZE_MAX || bioc->offset > SIZE_MAX - total) {
        error_setg_errno(errp, EFBIG, "Buffer channel cannot grow that big");
        return -1;
    }
    if (bioc->offset + total > bioc->capacity) {
        bioc->capacity = bioc->offset + total;
        bioc->data = g_realloc(bioc->data, bioc->capacity);
    }
    if (bioc->offset > bioc->usage) {
        /* Never-written bytes between the old end and the position. */
        memset(bioc->data + bioc->usage, 0, bioc->offset - bioc->usage);
        bioc->usage = bioc->offset;
    }
    for (i = 0; i < niov; i++) {
        if (!iov[i].iov_len) {
            continue;
        }
        memcpy(bioc->data + bioc->offset, iov[i].iov_base, iov[i].iov_len);
        bioc->offset += iov[i].iov_len;
    }
    bioc->usage = MAX(bioc->usage, bioc->offset);
    return total;
}

static int qio_channel_buffer_set_blocking(QIOChannel *ioc,
                                           bool enabled,
                                           Error **errp)
{
    return 0;
}

/* The largest value an off_t holds, whatever its width. */
#define QIO_BUFFER_OFF_MAX \
    ((uint64_t)(sizeof(off_t) >= sizeof(int64_t) ? INT64_MAX : INT32_MAX))

static off_t qio_channel_buffer_seek(QIOChannel *ioc,
                                     off_t offset,
                                     int whence,
                                     Error **errp)
{
    QIOChannelBuffer *bioc = QIO_CHANNEL_BUFFER(ioc);
    uint64_t base;
    uint64_t target;
    uint64_t limit = MIN(QIO_BUFFER_OFF_MAX, (uint64_t)SIZE_MAX);

    switch (whence) {
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = bioc->offset;
        break;
    case SEEK_END:
        base = bioc->usage;
        break;
    default:
        error_setg_errno(errp, EINVAL, "Unknown seek origin %d", whence);
        return -1;
    }

    /*
     * Unsigned arithmetic throughout: negating the offset directly would
     * overflow for the most negative off_t.  The position must also be
     * representable both as the size_t field and as the off_t result.
     */
    if (offset < 0) {
        uint64_t back = (uint64_t)(-(offset + 1)) + 1;

        if (back > base) {
            goto out_of_range;
        }
        target = base - back;
    } else {
        if (base > limit || (uint64_t)offset > limit - base) {
            goto out_of_range;
        }
        target = base + (uint64_t)offset;
    }
    if (target > limit) {
        goto out_of_range;
    }
    bioc->offset = (size_t)target;
    return (off_t)target;

 out_of_range:
    error_setg_errno(errp, EINVAL, "Seek to offset %lld whence %d is out of "
                     "range", (long long)offset, whence);
    return -1;
}

static int qio_channel_buffer_close(QIOChannel *ioc,
                                    Error **errp)
{
    QIOChannelBuffer *bioc = QIO_CHANNEL_BUFFER(ioc);

    g_free(bioc->data);
    bioc->data = NULL;
    bioc->capacity = bioc->usage = bioc->offset = 0;
    return 0;
}

typedef struct QIOChannelBufferSource {
    GSource parent;
    QIOChannelBuffer *bioc;
    GIOCondition condition;
} QIOChannelBufferSource;

/* Memory never blocks: the source is ready as soon as it is polled. */
static gboolean qio_channel_buffer_source_prepare(GSource *source,
                                                  gint *timeout)
{
    *timeout = -1;
    return TRUE;
}

static gboolean qio_channel_buffer_source_check(GSource *source)
{
    return TRUE;
}

static gboolean qio_channel_buffer_source_dispatch(GSource *source,
                                                   GSourceFunc callback,
                                                   gpointer user_data)
{
    QIOChannelBufferSource *s = (QIOChannelBufferSource *)source;
    QIOChannelFunc func = (QIOChannelFunc)(void (*)(void))callback;

    if (!func) {
        return G_SOURCE_REMOVE;
    }
    return func(QIO_CHANNEL(s->bioc),
                s->condition & (G_IO_IN | G_IO_OUT), user_data);
}

static void qio_channel_buffer_source_finalize(GSource *source)
{
    QIOChannelBufferSource *s = (QIOChannelBufferSource *)source;

    object_unref(OBJECT(s->bioc));
}

static GSourceFuncs qio_channel_buffer_source_funcs = {
    .prepare = qio_channel_buffer_source_prepare,
    .check = qio_channel_buffer_source_check,
    .dispatch = qio_channel_buffer_source_dispatch,
    .finalize = qio_channel_buffer_source_finalize,
};

static GSource *qio_channel_buffer_create_watch(QIOChannel *ioc,
                                                GIOCondition condition)
{
    QIOChannelBuffer *bioc = QIO_CHANNEL_BUFFER(ioc);
    GSource *source = g_source_new(&qio_channel_buffer_source_funcs,
                                   sizeof(QIOChannelBufferSource));
    QIOChannelBufferSource *s = (QIOChannelBufferSource *)source;

    object_ref(OBJECT(ioc));
    s->bioc = bioc;
    s->condition = condition;
    return source;
}

static void qio_channel_buffer_class_init(ObjectClass *klass,
                                          void *class_data)
{
    QIOChannelClass *ioc_klass = QIO_CHANNEL_CLASS(klass);

    ioc_klass->io_writev = qio_channel_buffer_writev;
    ioc_klass->io_readv = qio_channel_buffer_readv;
    ioc_klass->io_set_blocking = qio_channel_buffer_set_blocking;
    ioc_klass->io_seek = qio_channel_buffer_seek;
    ioc_klass->io_close = qio_channel_buffer_close;
    ioc_klass->io_create_watch = qio_channel_buffer_create_watch;
}

static const TypeInfo qio_channel_buffer_info = {
    .parent = TYPE_QIO_CHANNEL,
    .name = TYPE_QIO_CHANNEL_BUFFER,
    .instance_size = sizeof(QIOChannelBuffer),
    .instance_finalize = qio_channel_buffer_finalize,
    .class_init = qio_channel_buffer_class_init,
};

static void qio_channel_buffer_register_types(void)
{
    type_register_static(&qio_channel_buffer_info);
}

type_init(qio_channel_buffer_register_types)
