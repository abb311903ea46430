/*
 * libqio: a channel with /dev/null semantics.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_CHANNEL_NULL_H__
#define QIO_CHANNEL_NULL_H__

#include "io/channel.h"

/**
 * TYPE_QIO_CHANNEL_NULL:
 *
 * The QOM type name of the null channel.
 *
 * Since: libqio 0.1
 */
#define TYPE_QIO_CHANNEL_NULL "qio-channel-null"

/**
 * QIO_CHANNEL_NULL:
 * @obj: an object
 *
 * Casts @obj to #QIOChannelNull, checking its type.
 *
 * Returns: @obj as a #QIOChannelNull pointer
 *
 * Since: libqio 0.1
 */
#define QIO_CHANNEL_NULL(obj)                                       \
    OBJECT_CHECK(QIOChannelNull, (obj), TYPE_QIO_CHANNEL_NULL)

typedef struct QIOChannelNull QIOChannelNull;

/**
 * QIOChannelNull:
 * @closed: whether qio_channel_close() was called
 *
 * A channel that behaves like /dev/null: writes accept and discard all
 * the data, reads return end of file, and watches are always ready.
 * After qio_channel_close(), reads and writes fail with an error.
 *
 * Since: libqio 0.1
 */
struct QIOChannelNull {
    QIOChannel parent;
    bool closed;
};

/**
 * qio_channel_null_new:
 *
 * Creates a null channel.
 *
 * Returns: the new channel
 *
 * Since: libqio 0.1
 */
QIOChannelNull *qio_channel_null_new(void);

#endif /* QIO_CHANNEL_NULL_H__ */
