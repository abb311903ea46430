/*
 * libqio: a channel reading and writing a growable memory buffer.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_CHANNEL_BUFFER_H__
#define QIO_CHANNEL_BUFFER_H__

#include "io/channel.h"

/**
 * TYPE_QIO_CHANNEL_BUFFER:
 *
 * The QOM type name of the buffer channel.
 */
#define TYPE_QIO_CHANNEL_BUFFER "qio-channel-buffer"

/**
 * QIO_CHANNEL_BUFFER:
 * @obj: an object
 *
 * Casts @obj to #QIOChannelBuffer, checking its type.
 *
 * Returns: @obj as a #QIOChannelBuffer pointer
 */
#define QIO_CHANNEL_BUFFER(obj)                                         \
    OBJECT_CHECK(QIOChannelBuffer, (obj), TYPE_QIO_CHANNEL_BUFFER)

typedef struct QIOChannelBuffer QIOChannelBuffer;

/**
 * QIOChannelBuffer:
 * @capacity: the allocated size of @data
 * @usage: the number of valid bytes in @data
 * @offset: the position the next read or write starts at
 * @data: the memory, or NULL when nothing is allocated
 *
 * A channel backed by memory, with a single position shared by reads
 * and writes, like a file.  Writes store at @offset (overwriting, and
 * growing the buffer as needed), so a write past @usage first fills the
 * gap with zeros; they always accept all the data.  Reads return the
 * bytes between @offset and @usage, and 0 (end of file) once @offset
 * reaches @usage.  The fields are public: callers may set @offset
 * directly to rewind, as with qio_channel_io_seek().  Watches are always
 * ready, and blocking mode makes no difference.  Closing frees the
 * memory; the channel can then be written again from scratch.
 */
struct QIOChannelBuffer {
    QIOChannel parent;
    size_t capacity;
    size_t usage;
    size_t offset;
    char *data;
};

/**
 * qio_channel_buffer_new:
 * @capacity: the number of bytes to preallocate (zeroed), or 0
 *
 * Creates an empty buffer channel.
 *
 * Returns: the new channel
 */
QIOChannelBuffer *qio_channel_buffer_new(size_t capacity);

#endif /* QIO_CHANNEL_BUFFER_H__ */
