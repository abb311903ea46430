/*
 * libqio: the file descriptor channel.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-file.h"
#include "io/channel-watch.h"

QIOChannelFile *qio_channel_file_new_fd(int fd)
{
    QIOChannelFile *ioc = QIO_CHANNEL_FILE(object_new(TYPE_QIO_CHANNEL_FILE));

    ioc->fd = fd;
    return ioc;
}

QIOChannelFile *qio_channel_file_new_path(const char *path,
                                          int flags,
                                          mode_t mode,
                                          Error **errp)
{
    QIOChannelFile *ioc;
    int fd;

    do {
        fd = open(path, flags | O_CLOEXEC, mode);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Unable to open '%s'", path);
        return NULL;
    }

    ioc = qio_channel_file_new_fd(fd);
    return ioc;
}

static void qio_channel_file_init(Object *obj)
{
    QIOChannelFile *ioc = QIO_CHANNEL_FILE(obj);

    ioc->fd = -1;
}

static void qio_channel_file_finalize(Object *obj)
{
    QIOChannelFile *ioc = QIO_CHANNEL_FILE(obj);

    if (ioc->fd >= 0) {
        close(ioc->fd);
        ioc->fd = -1;
    }
}

static ssize_t qio_channel_file_readv(QIOChannel *ioc,
                                      const struct iovec *iov,
                                      size_t niov,
                                      int **fds,
                                      size_t *nfds,
                                      Error **errp)
{
    QIOChannelFile *fioc = QIO_CHANNEL_FILE(ioc);
    ssize_t ret;

    do {
        ret = readv(fioc->fd, iov, niov);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return QIO_CHANNEL_ERR_BLOCK;
        }
        error_setg_errno(errp, errno, "Unable to read from file");
        return -1;
    }
    return ret;
}

static ssize_t qio_channel_file_writev(QIOChannel *ioc,
                                       const struct iovec *iov,
                                       size_t niov,
                                       int *fds,
                                       size_t nfds,
                                       Error **errp)
{
    QIOChannelFile *fioc = QIO_CHANNEL_FILE(ioc);
    ssize_t ret;

    do {
        ret = writev(fioc->fd, iov, niov);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return QIO_CHANNEL_ERR_BLOCK;
        }
        error_setg_errno(errp, errno, "Unable to write to file");
        return -1;
    }
    return ret;
}

static int qio_channel_file_set_blocking(QIOChannel *ioc,
                                         bool enabled,
                                         Error **errp)
{
    QIOChannelFile *fioc = QIO_CHANNEL_FILE(ioc);
    int flags = fcntl(fioc->fd, F_GETFL);

    if (flags < 0) {
        error_setg_errno(errp, errno, "Unable to get file status flags");
        return -1;
    }
    flags = enabled ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK);
    if (fcntl(fioc->fd, F_SETFL, flags) < 0) {
        error_setg_errno(errp, errno, "Unable to set file status flags");
        return -1;
    }
    return 0;
}

static off_t qio_channel_file_seek(QIOChannel *ioc,
                                   off_t offset,
                                   int whence,
                                   Error **errp)
{
    QIOChannelFile *fioc = QIO_CHANNEL_FILE(ioc);
    off_t ret = lseek(fioc->fd, offset, whence);

    if (ret == (off_t)-1) {
        error_setg_errno(errp, errno, "Unable to seek to offset %lld "
                         "whence %d in file", (long long)offset, whence);
        return -1;
    }
    return ret;
}

static int qio_channel_file_close(QIOChannel *ioc,
                                  Error **errp)
{
    QIOChannelFile *fioc = QIO_CHANNEL_FILE(ioc);
    int fd = fioc->fd;

    if (fd < 0) {
        return 0;
    }
    /*
     * Forget the fd before closing it: whatever close() says, the
     * number is released and may be reused by someone else at once.
     */
    fioc->fd = -1;
    if (close(fd) < 0 && errno != EINTR) {
        error_setg_errno(errp, errno, "Unable to close file");
        return -1;
    }
    return 0;
}

static GSource *qio_channel_file_create_watch(QIOChannel *ioc,
                                              GIOCondition condition)
{
    QIOChannelFile *fioc = QIO_CHANNEL_FILE(ioc);

    return qio_channel_create_fd_watch(ioc, fioc->fd, condition);
}

/* Readiness of the channel is exactly that of its fd. */
static int qio_channel_file_yield_fd(QIOChannel *ioc,
                                     GIOCondition condition)
{
    QIOChannelFile *fioc = QIO_CHANNEL_FILE(ioc);

    return fioc->fd;
}

static void qio_channel_file_class_init(ObjectClass *klass,
                                        void *class_data)
{
    QIOChannelClass *ioc_klass = QIO_CHANNEL_CLASS(klass);

    ioc_klass->io_writev = qio_channel_file_writev;
    ioc_klass->io_readv = qio_channel_file_readv;
    ioc_klass->io_set_blocking = qio_channel_file_set_blocking;
    ioc_klass->io_seek = qio_channel_file_seek;
    ioc_klass->io_close = qio_channel_file_close;
    ioc_klass->io_create_watch = qio_channel_file_create_watch;
    ioc_klass->io_yield_fd = qio_channel_file_yield_fd;
}

static const TypeInfo qio_channel_file_info = {
    .parent = TYPE_QIO_CHANNEL,
    .name = TYPE_QIO_CHANNEL_FILE,
    .instance_size = sizeof(QIOChannelFile),
    .instance_init = qio_channel_file_init,
    .instance_finalize = qio_channel_file_finalize,
    .class_init = qio_channel_file_class_init,
};

static void qio_channel_file_register_types(void)
{
    type_register_static(&qio_channel_file_info);
}

type_init(qio_channel_file_register_types)
