/*
 * libqio: a channel on a plain file descriptor (regular file, pipe,
 * character device).
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_CHANNEL_FILE_H__
#define QIO_CHANNEL_FILE_H__

#include "io/channel.h"

/**
 * TYPE_QIO_CHANNEL_FILE:
 *
 * The QOM type name of the file channel.
 */
#define TYPE_QIO_CHANNEL_FILE "qio-channel-file"

/**
 * QIO_CHANNEL_FILE:
 * @obj: an object
 *
 * Casts @obj to #QIOChannelFile, checking its type.
 *
 * Returns: @obj as a #QIOChannelFile pointer
 */
#define QIO_CHANNEL_FILE(obj)                                       \
    OBJECT_CHECK(QIOChannelFile, (obj), TYPE_QIO_CHANNEL_FILE)

typedef struct QIOChannelFile QIOChannelFile;

/**
 * QIOChannelFile:
 * @fd: the file descriptor, or -1 once the channel is closed
 *
 * A channel doing readv(2)/writev(2) on one file descriptor, which it
 * owns: qio_channel_close() or the last unref closes it (exactly once).
 * It supports seeking when the fd does, and has no optional features.
 * Watches poll the fd; regular files are always ready.
 */
struct QIOChannelFile {
    QIOChannel parent;
    int fd;
};

/**
 * qio_channel_file_new_fd:
 * @fd: an open file descriptor
 *
 * Wraps @fd in a new file channel, which takes ownership of it.
 *
 * Returns: the new channel
 */
QIOChannelFile *qio_channel_file_new_fd(int fd);

/**
 * qio_channel_file_new_path:
 * @path: the file to open
 * @flags: open(2) flags (O_RDONLY, O_WRONLY|O_CREAT|O_TRUNC, ...)
 * @mode: permissions for a file that O_CREAT creates
 * @errp: pointer to a NULL-initialized error object
 *
 * Opens @path (close-on-exec) and wraps the new fd in a file channel.
 *
 * Returns: the new channel, or NULL with @errp set (the message names
 * @path) if the file cannot be opened
 */
QIOChannelFile *qio_channel_file_new_path(const char *path,
                                          int flags,
                                          mode_t mode,
                                          Error **errp);

#endif /* QIO_CHANNEL_FILE_H__ */
