/*
 * libqio: GSource helpers that watch file descriptors on behalf of a
 * channel.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_CHANNEL_WATCH_H__
#define QIO_CHANNEL_WATCH_H__

#include "io/channel.h"

/*
 * These are building blocks for the io_create_watch method of channel
 * implementations.  Each returned source holds a reference on the
 * channel until the source is finalized, and calls a #QIOChannelFunc set
 * with g_source_set_callback().  Besides the requested conditions, an
 * error or hang-up reported on a polled fd also fires the source
 * (G_IO_ERR, G_IO_HUP or G_IO_NVAL is then part of the condition passed
 * to the callback), so that a reader waiting for data learns about end
 * of file instead of waiting forever.
 */

/**
 * qio_channel_create_fd_watch:
 * @ioc: the channel the fd belongs to
 * @fd: the file descriptor to poll
 * @condition: the conditions to wait for
 *
 * Creates a source that polls @fd for @condition.
 *
 * Returns: a new, unattached GSource
 */
GSource *qio_channel_create_fd_watch(QIOChannel *ioc,
                                     int fd,
                                     GIOCondition condition);

/**
 * qio_channel_create_fd_pair_watch:
 * @ioc: the channel the fds belong to
 * @fdread: the fd data is read from
 * @fdwrite: the fd data is written to
 * @condition: the conditions to wait for
 *
 * Creates a source for a channel that reads and writes through two
 * different fds: input conditions (G_IO_IN, G_IO_PRI) are polled on
 * @fdread and G_IO_OUT on @fdwrite, and the results are merged.  An fd
 * whose direction is not part of @condition is not polled at all.
 *
 * Returns: a new, unattached GSource
 */
GSource *qio_channel_create_fd_pair_watch(QIOChannel *ioc,
                                          int fdread,
                                          int fdwrite,
                                          GIOCondition condition);

/**
 * qio_channel_create_socket_watch:
 * @ioc: the channel the socket belongs to
 * @fd: the socket to poll
 * @condition: the conditions to wait for
 *
 * Creates a source that polls the socket @fd for @condition.  On POSIX
 * hosts this is the same as qio_channel_create_fd_watch().
 *
 * Returns: a new, unattached GSource
 */
GSource *qio_channel_create_socket_watch(QIOChannel *ioc,
                                         int fd,
                                         GIOCondition condition);

#endif /* QIO_CHANNEL_WATCH_H__ */
