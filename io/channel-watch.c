/*
 * libqio: GSources that watch one fd, or a read fd and a write fd, on
 * behalf of a channel.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-watch.h"

/* Reported by poll() whatever was asked for; they end any wait. */
#define QIO_WATCH_ALWAYS (G_IO_ERR | G_IO_HUP | G_IO_NVAL)

#define QIO_WATCH_INPUT (G_IO_IN | G_IO_PRI)

typedef struct QIOChannelFDSource {
    GSource parent;
    QIOChannel *ioc;
    GIOCondition condition;
    GPollFD fd;
} QIOChannelFDSource;

typedef struct QIOChannelFDPairSource {
    GSource parent;
    QIOChannel *ioc;
    GIOCondition condition;
    GPollFD fdread;
    GPollFD fdwrite;
} QIOChannelFDPairSource;

/* Readiness comes only from poll(), so there is never a timeout to set. */
static gboolean qio_channel_watch_prepare(GSource *source, gint *timeout)
{
    *timeout = -1;
    return FALSE;
}

static GIOCondition qio_channel_fd_source_ready(QIOChannelFDSource *s)
{
    return s->fd.revents & (s->condition | QIO_WATCH_ALWAYS);
}

static gboolean qio_channel_fd_source_check(GSource *source)
{
    return qio_channel_fd_source_ready((QIOChannelFDSource *)source) != 0;
}

static gboolean qio_channel_fd_source_dispatch(GSource *source,
                                               GSourceFunc callback,
                                               gpointer user_data)
{
    QIOChannelFDSource *s = (QIOChannelFDSource *)source;
    QIOChannelFunc func = (QIOChannelFunc)(void (*)(void))callback;

    if (!func) {
        /* A source without callback would fire forever: drop it. */
        return G_SOURCE_REMOVE;
    }
    return func(s->ioc, qio_channel_fd_source_ready(s), user_data);
}

static void qio_channel_fd_source_finalize(GSource *source)
{
    QIOChannelFDSource *s = (QIOChannelFDSource *)source;

    object_unref(OBJECT(s->ioc));
}

static GSourceFuncs qio_channel_fd_source_funcs = {
    .prepare = qio_channel_watch_prepare,
    .check = qio_channel_fd_source_check,
    .dispatch = qio_channel_fd_source_dispatch,
    .finalize = qio_channel_fd_source_finalize,
};

static GIOCondition qio_channel_fd_pair_source_ready(QIOChannelFDPairSource *s)
{
    GIOCondition revents = s->fdread.revents | s->fdwrite.revents;

    return revents & (s->condition | QIO_WATCH_ALWAYS);
}

static gboolean qio_channel_fd_pair_source_check(GSource *source)
{
    QIOChannelFDPairSource *s = (QIOChannelFDPairSource *)source;

    return qio_channel_fd_pair_source_ready(s) != 0;
}

static gboolean qio_channel_fd_pair_source_dispatch(GSource *source,
                                                    GSourceFunc callback,
                                                    gpointer user_data)
{
    QIOChannelFDPairSource *s = (QIOChannelFDPairSource *)source;
    QIOChannelFunc func = (QIOChannelFunc)(void (*)(void))callback;

    if (!func) {
        return G_SOURCE_REMOVE;
    }
    return func(s->ioc, qio_channel_fd_pair_source_ready(s), user_data);
}

static void qio_channel_fd_pair_source_finalize(GSource *source)
{
    QIOChannelFDPairSource *s = (QIOChannelFDPairSource *)source;

    object_unref(OBJECT(s->ioc));
}

static GSourceFuncs qio_channel_fd_pair_source_funcs = {
    .prepare = qio_channel_watch_prepare,
    .check = qio_channel_fd_pair_source_check,
    .dispatch = qio_channel_fd_pair_source_dispatch,
    .finalize = qio_channel_fd_pair_source_finalize,
};

GSource *qio_channel_create_fd_watch(QIOChannel *ioc,
                                     int fd,
                                     GIOCondition condition)
{
    GSource *source = g_source_new(&qio_channel_fd_source_funcs,
                                   sizeof(QIOChannelFDSource));
    QIOChannelFDSource *s = (QIOChannelFDSource *)source;

    object_ref(OBJECT(ioc));
    s->ioc = ioc;
    s->condition = condition;
    s->fd.fd = fd;
    s->fd.events = condition;
    s->fd.revents = 0;
    g_source_add_poll(source, &s->fd);
    return source;
}

GSource *qio_channel_create_fd_pair_watch(QIOChannel *ioc,
                                          int fdread,
                                          int fdwrite,
                                          GIOCondition condition)
{
    GSource *source = g_source_new(&qio_channel_fd_pair_source_funcs,
                                   sizeof(QIOChannelFDPairSource));
    QIOChannelFDPairSource *s = (QIOChannelFDPairSource *)source;

    object_ref(OBJECT(ioc));
    s->ioc = ioc;
    s->condition = condition;
    s->fdread.fd = fdread;
    s->fdread.events = condition & QIO_WATCH_INPUT;
    s->fdread.revents = 0;
    s->fdwrite.fd = fdwrite;
    s->fdwrite.events = condition & G_IO_OUT;
    s->fdwrite.revents = 0;
    /*
     * Only poll the fds whose direction was asked for: a hang-up on the
     * unused one (say, the child closed its stdin while we wait for its
     * output) must not wake a watch that cannot make progress.
     */
    if (s->fdread.events) {
        g_source_add_poll(source, &s->fdread);
    }
    if (s->fdwrite.events) {
        g_source_add_poll(source, &s->fdwrite);
    }
    return source;
}

GSource *qio_channel_create_socket_watch(QIOChannel *ioc,
                                         int fd,
                                         GIOCondition condition)
{
    return qio_channel_create_fd_watch(ioc, fd, condition);
}
