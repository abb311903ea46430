/*
 * libqio: choosing a channel class for an existing fd.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-util.h"
#include "io/channel-file.h"
#include "io/channel-socket.h"

static bool qio_channel_util_is_socket(int fd)
{
    int type;
    socklen_t len = sizeof(type);

    /* Only sockets have a socket type: anything else fails ENOTSOCK. */
    return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0;
}

QIOChannel *qio_channel_new_fd(int fd,
                               Error **errp)
{
    if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
        error_setg_errno(errp, fd < 0 ? EBADF : errno,
                         "Unable to use file descriptor %d", fd);
        return NULL;
    }

    if (qio_channel_util_is_socket(fd)) {
        QIOChannelSocket *sioc = qio_channel_socket_new_fd(fd, errp);

        return sioc ? QIO_CHANNEL(sioc) : NULL;
    }
    return QIO_CHANNEL(qio_channel_file_new_fd(fd));
}
