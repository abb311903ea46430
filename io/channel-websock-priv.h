/*
 * libqio: internals of the websocket channel shared with its benchmark.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_CHANNEL_WEBSOCK_PRIV_H__
#define QIO_CHANNEL_WEBSOCK_PRIV_H__

#include "io/channel-websock.h"

/*
 * XORs @len bytes of @src with the repeating 4-byte @mask into @dst
 * (which may be @src: unmasking in place), then rotates @mask so that
 * its first byte applies to the next byte of the same payload.  Not part
 * of the public API: tests/bench/bench-websock.c measures it.
 */
void qio_channel_websock_xor(uint8_t *dst, const uint8_t *src, size_t len,
                             QIOChannelWebsockMask *mask);

#endif /* QIO_CHANNEL_WEBSOCK_PRIV_H__ */
