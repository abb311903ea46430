/*
 * libqio: helpers that pick the right channel class for an fd.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_CHANNEL_UTIL_H__
#define QIO_CHANNEL_UTIL_H__

#include "io/channel.h"

/**
 * qio_channel_new_fd:
 * @fd: an open file descriptor
 * @errp: pointer to a NULL-initialized error object
 *
 * Wraps @fd in the channel class that suits it: a socket channel
 * (TYPE_QIO_CHANNEL_SOCKET) if @fd is a socket, a file channel
 * (TYPE_QIO_CHANNEL_FILE) otherwise.  On success the channel owns @fd;
 * on failure the caller still does.
 *
 * Returns: the new channel, or NULL with @errp set if @fd is not an open
 * file descriptor or the socket channel cannot adopt it
 */
QIOChannel *qio_channel_new_fd(int fd,
                               Error **errp);

#endif /* QIO_CHANNEL_UTIL_H__ */
