/*
 * libqio: websocket (RFC 6455) channel, server and client ends.
 *
 * The opening handshake runs asynchronously on watches of the master
 * channel.  Afterwards the payload of binary frames is streamed to and
 * from the caller's buffers with as few copies as the protocol allows:
 * large incoming payloads are read straight into the caller's iovecs and
 * unmasked there in place, buffered ones are unmasked while being copied
 * out, and outgoing server frames are written straight from the caller's
 * iovecs.  Outgoing data is never buffered, and the input and control
 * buffers have hard limits (see QIO_CHANNEL_WEBSOCK_MAX_BUFFER in the
 * header).
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-websock.h"
#include "channel-websock-priv.h"
#include "crypto/hash.h"

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#define QIO_WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

#define QIO_WS_OPCODE_CONTINUATION 0x0
#define QIO_WS_OPCODE_TEXT 0x1
#define QIO_WS_OPCODE_BINARY 0x2
#define QIO_WS_OPCODE_CLOSE 0x8
#define QIO_WS_OPCODE_PING 0x9
#define QIO_WS_OPCODE_PONG 0xa

#define QIO_WS_BIT_FIN 0x80
#define QIO_WS_BITS_RSV 0x70
#define QIO_WS_BITS_OPCODE 0x0f
#define QIO_WS_BIT_MASK 0x80
#define QIO_WS_BITS_LEN 0x7f

#define QIO_WS_CLOSE_NORMAL 1000
#define QIO_WS_CLOSE_PROTOCOL_ERROR 1002
#define QIO_WS_CLOSE_UNSUPPORTED_DATA 1003
#define QIO_WS_CLOSE_INVALID_DATA 1007
#define QIO_WS_CLOSE_TOO_BIG 1009

/* The largest frame header: 2 bytes, a 64-bit length and a mask. */
#define QIO_WS_HEADER_MAX 14
/* The largest control frame on the wire: header, mask, 125 bytes. */
#define QIO_WS_CONTROL_MAX (2 + 4 + 125)
/*
 * Pending control frames may fill the output only up to this point, so
 * that a close frame (and a frame header) always fits under the limit.
 */
#define QIO_WS_OUTPUT_PONG_LIMIT \
    (QIO_CHANNEL_WEBSOCK_MAX_BUFFER - QIO_WS_CONTROL_MAX - QIO_WS_HEADER_MAX)
/*
 * The largest data frame sent.  Frames cost nothing to keep open (data is
 * not buffered), and long ones let the receiver read most of the payload
 * straight into its buffers; but control frames wait for the open frame
 * to complete, so they are not made unbounded.
 */
#define QIO_WS_FRAME_MAX (1024 * 1024)
/* A client masks outgoing payload through scratch space of this size. */
#define QIO_WS_MASK_SCRATCH (256 * 1024)
/*
 * What a client masks per write follows what the master has been taking
 * (see out_mask_window): it starts here, grows up to the scratch size
 * while the master takes everything, and never drops below the minimum.
 */
#define QIO_WS_MASK_START (64 * 1024)
#define QIO_WS_MASK_MIN 4096
/*
 * A data frame at least this long suggests that the next one is long as
 * well: its header is then read on its own, so that the payload behind it
 * lands straight in the caller's buffers instead of being copied through
 * encinput (see in_header_hint).
 */
#define QIO_WS_DIRECT_MIN (32 * 1024)
/* How many iovec entries one pass hands to the master. */
#define QIO_WS_IOV_MAX 64

/*
 * Unmasking.
 *
 * XORs @len bytes of @src with the repeating 4-byte @mask into @dst
 * (which may equal @src), then rotates @mask so that its first byte
 * applies to the byte after the last one processed.  The bulk of the work
 * is done 64 bytes at a time with 16-byte vectors (GCC/clang vector
 * extensions, so SSE2 on x86-64 without special flags), then 8 bytes at a
 * time; only a tail of fewer than 8 bytes is done byte by byte.  The
 * memcpy() calls are unaligned loads and stores after optimisation.
 */
typedef uint64_t QIOWSVector __attribute__((vector_size(16)));

void qio_channel_websock_xor(uint8_t *dst, const uint8_t *src, size_t len,
                             QIOChannelWebsockMask *mask)
{
    uint8_t pattern[16];
    QIOWSVector vmask;
    uint64_t wmask;
    QIOChannelWebsockMask rotated;
    size_t i;

    for (i = 0; i < sizeof(pattern); i++) {
        pattern[i] = mask->c[i & 3];
    }
    memcpy(&vmask, pattern, sizeof(vmask));
    memcpy(&wmask, pattern, sizeof(wmask));

    i = 0;
    for (; i + 64 <= len; i += 64) {
        QIOWSVector a, b, c, d;

        memcpy(&a, src + i, 16);
        memcpy(&b, src + i + 16, 16);
        memcpy(&c, src + i + 32, 16);
        memcpy(&d, src + i + 48, 16);
        a ^= vmask;
        b ^= vmask;
        c ^= vmask;
        d ^= vmask;
        memcpy(dst + i, &a, 16);
        memcpy(dst + i + 16, &b, 16);
        memcpy(dst + i + 32, &c, 16);
        memcpy(dst + i + 48, &d, 16);
    }
    for (; i + 8 <= len; i += 8) {
        uint64_t w;

        memcpy(&w, src + i, 8);
        w ^= wmask;
        memcpy(dst + i, &w, 8);
    }
    /* i is a multiple of 8 here, so byte i uses mask byte i & 3. */
    for (; i < len; i++) {
        dst[i] = src[i] ^ pattern[i & 3];
    }

    for (i = 0; i < 4; i++) {
        rotated.c[i] = mask->c[(i + len) & 3];
    }
    *mask = rotated;
}

/* A position inside the caller's iovec array. */
typedef struct QIOWSCursor {
    const struct iovec *iov;
    size_t niov;
    size_t idx;
    size_t off;
} QIOWSCursor;

static void qio_ws_cursor_init(QIOWSCursor *cur, const struct iovec *iov,
                               size_t niov)
{
    cur->iov = iov;
    cur->niov = niov;
    cur->idx = 0;
    cur->off = 0;
    while (cur->idx < cur->niov && cur->iov[cur->idx].iov_len == 0) {
        cur->idx++;
    }
}

static bool qio_ws_cursor_full(const QIOWSCursor *cur)
{
    return cur == NULL || cur->idx >= cur->niov;
}

static void qio_ws_cursor_advance(QIOWSCursor *cur, size_t n)
{
    while (n > 0 && cur->idx < cur->niov) {
        size_t left = cur->iov[cur->idx].iov_len - cur->off;
        size_t step = MIN(n, left);

        cur->off += step;
        n -= step;
        if (cur->off == cur->iov[cur->idx].iov_len) {
            cur->idx++;
            cur->off = 0;
        }
    }
    while (cur->idx < cur->niov && cur->iov[cur->idx].iov_len == 0) {
        cur->idx++;
    }
}

/*
 * Fills @out with at most @max entries describing at most @limit bytes
 * from the cursor's position, without moving it.  Returns the number of
 * entries; *@total receives the number of bytes they cover.
 */
static size_t qio_ws_cursor_slice(const QIOWSCursor *cur, size_t limit,
                                  struct iovec *out, size_t max,
                                  size_t *total)
{
    size_t idx = cur->idx;
    size_t off = cur->off;
    size_t n = 0;

    *total = 0;
    while (n < max && idx < cur->niov && *total < limit) {
        size_t len = MIN(cur->iov[idx].iov_len - off, limit - *total);

        if (len > 0) {
            out[n].iov_base = (uint8_t *)cur->iov[idx].iov_base + off;
            out[n].iov_len = len;
            *total += len;
            n++;
        }
        idx++;
        off = 0;
    }
    return n;
}

static size_t qio_ws_iov_size(const struct iovec *iov, size_t niov)
{
    size_t total = 0;
    size_t i;

    for (i = 0; i < niov; i++) {
        total += iov[i].iov_len;
    }
    return total;
}

/*
 * Output: frames are encoded into encoutput, which is flushed to the
 * master whenever possible.
 */

static size_t qio_channel_websock_encode_header(uint8_t *hdr, uint8_t opcode,
                                                uint64_t len,
                                                const QIOChannelWebsockMask
                                                *mask)
{
    size_t n = 0;

    hdr[n++] = QIO_WS_BIT_FIN | opcode;
    if (len < 126) {
        hdr[n++] = len;
    } else if (len <= 0xffff) {
        uint16_t be = GUINT16_TO_BE((uint16_t)len);

        hdr[n++] = 126;
        memcpy(hdr + n, &be, 2);
        n += 2;
    } else {
        uint64_t be = GUINT64_TO_BE(len);

        hdr[n++] = 127;
        memcpy(hdr + n, &be, 8);
        n += 8;
    }
    if (mask) {
        hdr[1] |= QIO_WS_BIT_MASK;
        memcpy(hdr + n, mask->c, 4);
        n += 4;
    }
    return n;
}

/* A fresh unpredictable masking key, as RFC 6455 section 5.3 requires. */
static void qio_channel_websock_new_mask(QIOChannelWebsockMask *mask)
{
    if (gnutls_rnd(GNUTLS_RND_NONCE, mask->c, sizeof(mask->c)) < 0) {
        /* Only a broken crypto library fails here; never send a weak key */
        abort();
    }
}

/* Rotates @mask as if @len payload bytes had been processed with it. */
static void qio_channel_websock_mask_advance(QIOChannelWebsockMask *mask,
                                             size_t len)
{
    QIOChannelWebsockMask rotated;
    size_t i;

    for (i = 0; i < 4; i++) {
        rotated.c[i] = mask->c[(i + len) & 3];
    }
    *mask = rotated;
}

/* Bytes of control frames waiting to be written. */
static size_t qio_channel_websock_pending(QIOChannelWebsock *wioc)
{
    return wioc->encoutput.offset + wioc->ctlqueue.offset;
}

/*
 * Queues a complete control frame.  While a data frame is incomplete on
 * the wire nothing may be inserted into it, so the frame then waits in
 * ctlqueue until the data frame is finished.
 */
static void qio_channel_websock_queue_control(QIOChannelWebsock *wioc,
                                              uint8_t opcode,
                                              const uint8_t *payload,
                                              size_t len)
{
    Buffer *out = wioc->out_remain ? &wioc->ctlqueue : &wioc->encoutput;
    uint8_t hdr[QIO_WS_HEADER_MAX];
    QIOChannelWebsockMask mask;
    size_t hlen;

    if (wioc->client) {
        qio_channel_websock_new_mask(&mask);
    }
    hlen = qio_channel_websock_encode_header(hdr, opcode, len,
                                             wioc->client ? &mask : NULL);
    buffer_reserve(out, hlen + len);
    buffer_append(out, hdr, hlen);
    if (wioc->client) {
        qio_channel_websock_xor(buffer_end(out), payload, len, &mask);
        out->offset += len;
    } else if (len) {
        buffer_append(out, payload, len);
    }
}

static void qio_channel_websock_queue_close(QIOChannelWebsock *wioc,
                                            uint16_t code)
{
    uint16_t be = GUINT16_TO_BE(code);

    if (wioc->close_sent) {
        return;
    }
    wioc->close_sent = true;
    qio_channel_websock_queue_control(wioc, QIO_WS_OPCODE_CLOSE,
                                      (const uint8_t *)&be, 2);
}

/* Records @err as the connection's final error unless one is set. */
static void qio_channel_websock_set_error(QIOChannelWebsock *wioc,
                                          Error *err)
{
    if (wioc->io_err) {
        error_free(err);
    } else {
        wioc->io_err = err;
    }
}

/*
 * Writes encoutput to the master until it is empty or the master would
 * block.  Once a close frame has gone out completely, the write side of
 * the master is shut down, which tells the peer no more data follows.
 */
static int qio_channel_websock_flush(QIOChannelWebsock *wioc, Error **errp)
{
    while (wioc->encoutput.offset > 0) {
        Error *err = NULL;
        ssize_t ret = qio_channel_write(wioc->master,
                                        (char *)wioc->encoutput.buffer,
                                        wioc->encoutput.offset, &err);

        if (ret == QIO_CHANNEL_ERR_BLOCK) {
            return 0;
        }
        if (ret < 0) {
            if (wioc->close_sent) {
                /*
                 * Only the goodbye was left to send and the peer is gone
                 * already: that ends the connection, it is no error.
                 */
                error_free(err);
                buffer_reset(&wioc->encoutput);
                return 0;
            }
            error_propagate(errp, error_copy(err));
            qio_channel_websock_set_error(wioc, err);
            return -1;
        }
        buffer_advance(&wioc->encoutput, ret);
    }
    if (wioc->close_sent && !wioc->write_shutdown && !wioc->out_remain &&
        !wioc->ctlqueue.offset) {
        wioc->write_shutdown = true;
        if (qio_channel_has_feature(wioc->master,
                                    QIO_CHANNEL_FEATURE_SHUTDOWN)) {
            qio_channel_shutdown(wioc->master, QIO_CHANNEL_SHUTDOWN_WRITE,
                                 NULL);
        }
    }
    return 0;
}

/*
 * Protocol failure: records the error for every later read and queues a
 * close frame with @code (space for it is always reserved).
 */
static void GCC_FMT_ATTR(3, 4)
qio_channel_websock_fail(QIOChannelWebsock *wioc, uint16_t code,
                         const char *fmt, ...)
{
    Error *err = NULL;
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(&err, "Websocket protocol error (closing with %u): %s",
               code, msg);
    g_free(msg);
    qio_channel_websock_set_error(wioc, err);
    qio_channel_websock_queue_close(wioc, code);
}

/*
 * Input decoding.
 */

typedef enum {
    QIO_WS_DECODE_MORE,     /* the frame at the front is incomplete */
    QIO_WS_DECODE_OK,       /* a frame header or control frame consumed */
    QIO_WS_DECODE_BLOCKED,  /* a ping waits for room for its pong */
    QIO_WS_DECODE_STOP,     /* the connection is closing or failed */
} QIOWSDecodeStatus;

static bool qio_channel_websock_close_code_valid(uint16_t code)
{
    return (code >= 1000 && code <= 1003) ||
        (code >= 1007 && code <= 1014) ||
        (code >= 3000 && code <= 4999);
}

/* Handles a complete control frame whose (unmasked) payload is given. */
static QIOWSDecodeStatus
qio_channel_websock_handle_control(QIOChannelWebsock *wioc, uint8_t opcode,
                                   const uint8_t *payload, size_t len)
{
    uint16_t code;

    switch (opcode) {
    case QIO_WS_OPCODE_PING:
        qio_channel_websock_queue_control(wioc, QIO_WS_OPCODE_PONG,
                                          payload, len);
        return QIO_WS_DECODE_OK;

    case QIO_WS_OPCODE_PONG:
        /* Unsolicited pongs are allowed (heartbeats): nothing to do. */
        return QIO_WS_DECODE_OK;

    default: /* QIO_WS_OPCODE_CLOSE */
        if (len == 0) {
            wioc->close_received = true;
            if (!wioc->close_sent) {
                wioc->close_sent = true;
                qio_channel_websock_queue_control(wioc, QIO_WS_OPCODE_CLOSE,
                                                  NULL, 0);
            }
            return QIO_WS_DECODE_STOP;
        }
        if (len == 1) {
            qio_channel_websock_fail(wioc, QIO_WS_CLOSE_PROTOCOL_ERROR,
                                     "close frame with a 1-byte payload");
            return QIO_WS_DECODE_STOP;
        }
        memcpy(&code, payload, 2);
        code = GUINT16_FROM_BE(code);
        if (!qio_channel_websock_close_code_valid(code)) {
            qio_channel_websock_fail(wioc, QIO_WS_CLOSE_PROTOCOL_ERROR,
                                     "invalid close status code %u", code);
            return QIO_WS_DECODE_STOP;
        }
        if (!g_utf8_validate((const char *)payload + 2, len - 2, NULL)) {
            qio_channel_websock_fail(wioc, QIO_WS_CLOSE_INVALID_DATA,
                                     "close reason is not valid UTF-8");
            return QIO_WS_DECODE_STOP;
        }
        wioc->close_received = true;
        qio_channel_websock_queue_close(wioc, code);
        return QIO_WS_DECODE_STOP;
    }
}

/*
 * Decodes the frame header (and, for a control frame, the whole frame)
 * found at @buf, @have bytes being available.  On QIO_WS_DECODE_OK,
 * *@used is the number of bytes consumed.
 */
static QIOWSDecodeStatus
qio_channel_websock_decode_header(QIOChannelWebsock *wioc, uint8_t *buf,
                                  size_t have, size_t *used)
{
    uint8_t opcode, len7;
    bool fin, masked;
    size_t hlen;
    uint64_t len;
    QIOChannelWebsockMask mask = { .u = 0 };

    if (have < 2) {
        return QIO_WS_DECODE_MORE;
    }
    fin = buf[0] & QIO_WS_BIT_FIN;
    opcode = buf[0] & QIO_WS_BITS_OPCODE;
    masked = buf[1] & QIO_WS_BIT_MASK;
    len7 = buf[1] & QIO_WS_BITS_LEN;

    /* Everything checkable from the first two bytes is checked at once. */
    if (buf[0] & QIO_WS_BITS_RSV) {
        qio_channel_websock_fail(wioc, QIO_WS_CLOSE_PROTOCOL_ERROR,
                                 "reserved bits 0x%02x set without an "
                                 "extension", buf[0] & QIO_WS_BITS_RSV);
        return QIO_WS_DECODE_STOP;
    }
    switch (opcode) {
    case QIO_WS_OPCODE_CONTINUATION:
    case QIO_WS_OPCODE_TEXT:
    case QIO_WS_OPCODE_BINARY:
    case QIO_WS_OPCODE_CLOSE:
    case QIO_WS_OPCODE_PING:
    case QIO_WS_OPCODE_PONG:
        break;
    default:
        qio_channel_websock_fail(wioc, QIO_WS_CLOSE_PROTOCOL_ERROR,
                                 "unknown opcode 0x%x", opcode);
        return QIO_WS_DECODE_STOP;
    }
    if (!wioc->client && !masked) {
        qio_channel_websock_fail(wioc, QIO_WS_CLOSE_PROTOCOL_ERROR,
                                 "unmasked frame from a client");
        return QIO_WS_DECODE_STOP;
    }
    if (wioc->client && masked) {
        qio_channel_websock_fail(wioc, QIO_WS_CLOSE_PROTOCOL_ERROR,
                                 "masked frame from a server");
        return QIO_WS_DECODE_STOP;
    }
    if (opcode & 0x8) {
        if (!fin) {
            qio_channel_websock_fail(wioc, QIO_WS_CLOSE_PROTOCOL_ERROR,
                                     "fragmented control frame");
            return QIO_WS_DECODE_STOP;
        }
        if (len7 > 125) {
            qio_channel_websock_fail(wioc, QIO_WS_CLOSE_PROTOCOL_ERROR,
                                     "control frame payload over 125 "
                                     "bytes");
            return QIO_WS_DECODE_STOP;
        }
    } else if (opcode == QIO_WS_OPCODE_CONTINUATION) {
        if (!wioc->in_message) {
            qio_channel_websock_fail(wioc, QIO_WS_CLOSE_PROTOCOL_ERROR,
                                     "continuation frame outside a "
                                     "fragmented message");
            return QIO_WS_DECODE_STOP;
        }
    } else if (wioc->in_message) {
        qio_channel_websock_fail(wioc, QIO_WS_CLOSE_PROTOCOL_ERROR,
                                 "new message before the fragmented one "
                                 "ended");
        return QIO_WS_DECODE_STOP;
    } else if (opcode == QIO_WS_OPCODE_TEXT) {
        qio_channel_websock_fail(wioc, QIO_WS_CLOSE_UNSUPPORTED_DATA,
                                 "text frames are not supported, only "
                                 "binary ones");
        return QIO_WS_DECODE_STOP;
    }

    hlen = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
    if (have < hlen) {
        return QIO_WS_DECODE_MORE;
    }
    if (len7 == 126) {
        uint16_t be;

        memcpy(&be, buf + 2, 2);
        len = GUINT16_FROM_BE(be);
    } else if (len7 == 127) {
        uint64_t be;

        memcpy(&be, buf + 2, 8);
        len = GUINT64_FROM_BE(be);
        if (len >> 63) {
            qio_channel_websock_fail(wioc, QIO_WS_CLOSE_PROTOCOL_ERROR,
                                     "64-bit payload length with the most "
                                     "significant bit set");
            return QIO_WS_DECODE_STOP;
        }
    } else {
        len = len7;
    }
    if (masked) {
        memcpy(mask.c, buf + hlen - 4, 4);
    }

    if (opcode & 0x8) {
        uint8_t *payload = buf + hlen;

        if (have < hlen + len) {
            return QIO_WS_DECODE_MORE;
        }
        /* Check for room before unmasking: a retry must see the same data */
        if (opcode == QIO_WS_OPCODE_PING &&
            qio_channel_websock_pending(wioc) + QIO_WS_CONTROL_MAX >
            QIO_WS_OUTPUT_PONG_LIMIT) {
            wioc->pong_blocked = true;
            return QIO_WS_DECODE_BLOCKED;
        }
        wioc->pong_blocked = false;
        if (masked) {
            qio_channel_websock_xor(payload, payload, len, &mask);
        }
        *used = hlen + len;
        return qio_channel_websock_handle_control(wioc, opcode, payload,
                                                  len);
    }

#if SIZE_MAX < UINT64_MAX
    if (len > SIZE_MAX) {
        qio_channel_websock_fail(wioc, QIO_WS_CLOSE_TOO_BIG,
                                 "frame too large for this host");
        return QIO_WS_DECODE_STOP;
    }
#endif
    wioc->in_message = !fin;
    wioc->payload_remain = len;
    wioc->in_header_hint = len >= QIO_WS_DIRECT_MIN ? hlen : 0;
    wioc->mask = mask;
    *used = hlen;
    return QIO_WS_DECODE_OK;
}

/*
 * Decodes what encinput holds: consumes frame headers and control frames
 * and delivers payload into @cur (which may be NULL: then only headers
 * and control frames are processed).  Stops at an incomplete frame, a
 * full @cur, a close or an error.  Returns the number of bytes delivered.
 */
static size_t qio_channel_websock_decode(QIOChannelWebsock *wioc,
                                         QIOWSCursor *cur)
{
    uint8_t *buf = wioc->encinput.buffer;
    size_t have = wioc->encinput.offset;
    size_t pos = 0;
    size_t delivered = 0;

    while (!wioc->io_err && !wioc->close_received) {
        if (wioc->payload_remain > 0) {
            size_t avail = MIN(have - pos, wioc->payload_remain);

            if (avail == 0 || qio_ws_cursor_full(cur)) {
                break;
            }
            while (avail > 0 && !qio_ws_cursor_full(cur)) {
                const struct iovec *v = &cur->iov[cur->idx];
                size_t n = MIN(avail, v->iov_len - cur->off);
                uint8_t *dst = (uint8_t *)v->iov_base + cur->off;

                if (wioc->mask.u) {
                    qio_channel_websock_xor(dst, buf + pos, n, &wioc->mask);
                } else {
                    memcpy(dst, buf + pos, n);
                }
                qio_ws_cursor_advance(cur, n);
                pos += n;
                avail -= n;
                delivered += n;
                wioc->payload_remain -= n;
            }
        } else {
            size_t used = 0;
            QIOWSDecodeStatus st;

            st = qio_channel_websock_decode_header(wioc, buf + pos,
                                                   have - pos, &used);
            pos += used;
            if (st != QIO_WS_DECODE_OK) {
                break;
            }
        }
    }

    if (wioc->io_err || wioc->close_received) {
        /* Nothing after a close or an error is ever decoded. */
        pos = have;
    }
    buffer_advance(&wioc->encinput, pos);
    return delivered;
}

/*
 * Reads from the master once.  A payload streaming in with nothing
 * buffered goes straight into @cur's buffers and is unmasked there in
 * place (*@delivered is then set); anything else goes into encinput.
 * Returns 0 on progress or end of file (io_eof is then set, and io_err
 * too if the stream ended mid-frame), QIO_CHANNEL_ERR_BLOCK, or -1 with
 * @errp set.
 */
static ssize_t qio_channel_websock_fill(QIOChannelWebsock *wioc,
                                        QIOWSCursor *cur, size_t *delivered,
                                        Error **errp)
{
    Error *err = NULL;
    ssize_t ret;

    *delivered = 0;
    if (cur && !qio_ws_cursor_full(cur) && wioc->payload_remain > 0 &&
        wioc->encinput.offset == 0) {
        struct iovec slice[QIO_WS_IOV_MAX];
        size_t total;
        size_t n = qio_ws_cursor_slice(cur, wioc->payload_remain, slice,
                                       QIO_WS_IOV_MAX, &total);
        size_t i, left;

        ret = qio_channel_readv(wioc->master, slice, n, &err);
        if (ret > 0) {
            left = ret;
            for (i = 0; i < n && left > 0; i++) {
                size_t len = MIN(left, slice[i].iov_len);

                if (wioc->mask.u) {
                    qio_channel_websock_xor(slice[i].iov_base,
                                            slice[i].iov_base, len,
                                            &wioc->mask);
                }
                left -= len;
            }
            wioc->payload_remain -= ret;
            qio_ws_cursor_advance(cur, ret);
            *delivered = ret;
            return 0;
        }
    } else {
        size_t room = QIO_CHANNEL_WEBSOCK_MAX_BUFFER - wioc->encinput.offset;

        /*
         * A full buffer always holds a whole header or control frame, so
         * the caller decodes before it asks for more.
         */
        g_assert(room > 0);
        if (cur && !qio_ws_cursor_full(cur) && wioc->payload_remain == 0 &&
            wioc->encinput.offset == 0 && wioc->in_header_hint > 0) {
            /*
             * One more (small) read per long frame is much cheaper than
             * copying up to a full buffer of its payload.  A guess that
             * is too short just leaves the rest of the header for the
             * next read; one that is too long buffers a few bytes.
             */
            room = wioc->in_header_hint;
        }
        buffer_reserve(&wioc->encinput, room);
        ret = qio_channel_read(wioc->master,
                               (char *)buffer_end(&wioc->encinput), room,
                               &err);
        if (ret > 0) {
            wioc->encinput.offset += ret;
            return 0;
        }
    }

    if (ret == QIO_CHANNEL_ERR_BLOCK) {
        return QIO_CHANNEL_ERR_BLOCK;
    }
    if (ret < 0) {
        error_propagate(errp, error_copy(err));
        qio_channel_websock_set_error(wioc, err);
        return -1;
    }
    wioc->io_eof = TRUE;
    if (wioc->payload_remain > 0 || wioc->encinput.offset > 0 ||
        wioc->in_message) {
        Error *eof_err = NULL;

        error_setg(&eof_err, "Unexpected end of file in the middle of a "
                   "websocket %s",
                   wioc->in_message && wioc->payload_remain == 0 &&
                   wioc->encinput.offset == 0 ? "message" : "frame");
        qio_channel_websock_set_error(wioc, eof_err);
    }
    return 0;
}

/*
 * The opening handshake.
 */

/* The header fields the handshake looks at, from one HTTP message. */
typedef struct QIOWSHTTPMessage {
    char *start_line;
    const char *host;
    const char *key;
    const char *version;
    const char *accept;
    unsigned int nhost, nkey, nversion, naccept;
    GString *upgrade;
    GString *connection;
    GString *protocol;
    GString *extensions;
} QIOWSHTTPMessage;

static void qio_ws_http_message_clear(QIOWSHTTPMessage *msg)
{
    g_string_free(msg->upgrade, TRUE);
    g_string_free(msg->connection, TRUE);
    g_string_free(msg->protocol, TRUE);
    g_string_free(msg->extensions, TRUE);
}

static bool qio_ws_is_tchar(char c)
{
    return g_ascii_isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static void qio_ws_list_append(GString *list, const char *value)
{
    if (list->len) {
        g_string_append(list, ",");
    }
    g_string_append(list, value);
}

/*
 * Whether the comma-separated @list contains @token, ignoring optional
 * whitespace around elements, and case if @casefold.
 */
static bool qio_ws_list_has(const char *list, const char *token,
                            bool casefold)
{
    size_t tlen = strlen(token);
    const char *p = list;

    while (*p) {
        const char *start, *end;

        while (*p == ' ' || *p == '\t' || *p == ',') {
            p++;
        }
        start = p;
        while (*p && *p != ',') {
            p++;
        }
        end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t')) {
            end--;
        }
        if ((size_t)(end - start) == tlen &&
            (casefold ? g_ascii_strncasecmp(start, token, tlen) == 0 :
             strncmp(start, token, tlen) == 0)) {
            return true;
        }
    }
    return false;
}

/*
 * Splits @text (the message up to and including the last header line's
 * CRLF, NUL-terminated, modified in place) into the start line and the
 * header fields of interest.  Returns false with *@why set to a static
 * description if the syntax is invalid.
 */
static bool qio_ws_http_parse(char *text, QIOWSHTTPMessage *msg,
                              const char **why)
{
    char *p = text;
    char *eol = strstr(p, "\r\n");

    msg->upgrade = g_string_new(NULL);
    msg->connection = g_string_new(NULL);
    msg->protocol = g_string_new(NULL);
    msg->extensions = g_string_new(NULL);

    *eol = '\0';
    msg->start_line = p;
    p = eol + 2;

    while (*p) {
        char *name, *value, *colon, *end, *c;

        eol = strstr(p, "\r\n");
        *eol = '\0';
        if (*p == ' ' || *p == '\t') {
            *why = "folded header lines are not allowed";
            return false;
        }
        colon = strchr(p, ':');
        if (!colon || colon == p) {
            *why = "malformed header line";
            return false;
        }
        *colon = '\0';
        name = p;
        for (c = name; *c; c++) {
            if (!qio_ws_is_tchar(*c)) {
                *why = "invalid character in a header name";
                return false;
            }
        }
        value = colon + 1;
        while (*value == ' ' || *value == '\t') {
            value++;
        }
        end = value + strlen(value);
        while (end > value && (end[-1] == ' ' || end[-1] == '\t')) {
            end--;
        }
        *end = '\0';
        for (c = value; *c; c++) {
            if ((*c > 0 && *c < 0x20 && *c != '\t') || *c == 0x7f) {
                *why = "control character in a header value";
                return false;
            }
        }

        if (!g_ascii_strcasecmp(name, "Host")) {
            msg->host = value;
            msg->nhost++;
        } else if (!g_ascii_strcasecmp(name, "Sec-WebSocket-Key")) {
            msg->key = value;
            msg->nkey++;
        } else if (!g_ascii_strcasecmp(name, "Sec-WebSocket-Version")) {
            msg->version = value;
            msg->nversion++;
        } else if (!g_ascii_strcasecmp(name, "Sec-WebSocket-Accept")) {
            msg->accept = value;
            msg->naccept++;
        } else if (!g_ascii_strcasecmp(name, "Upgrade")) {
            qio_ws_list_append(msg->upgrade, value);
        } else if (!g_ascii_strcasecmp(name, "Connection")) {
            qio_ws_list_append(msg->connection, value);
        } else if (!g_ascii_strcasecmp(name, "Sec-WebSocket-Protocol")) {
            qio_ws_list_append(msg->protocol, value);
        } else if (!g_ascii_strcasecmp(name, "Sec-WebSocket-Extensions")) {
            qio_ws_list_append(msg->extensions, value);
        }
        p = eol + 2;
    }
    return true;
}

/* Parses "HTTP/1.x" with x >= 1; @s must be exactly that. */
static bool qio_ws_http_version_ok(const char *s)
{
    const char *d;

    if (strncmp(s, "HTTP/1.", 7) != 0 || !g_ascii_isdigit(s[7])) {
        return false;
    }
    for (d = s + 7; *d; d++) {
        if (!g_ascii_isdigit(*d)) {
            return false;
        }
    }
    /* Reject 1.0 (and 1.00...) but accept 1.1 and any later minor. */
    d = s + 7;
    while (*d == '0') {
        d++;
    }
    return *d != '\0';
}

/* A valid key is the padded base64 encoding of exactly 16 bytes. */
static bool qio_ws_key_valid(const char *key)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *last;
    int i;

    if (strlen(key) != 24 || key[22] != '=' || key[23] != '=') {
        return false;
    }
    for (i = 0; i < 22; i++) {
        if (!key[i] || !strchr(b64, key[i])) {
            return false;
        }
    }
    /* 16 bytes use only the top 2 bits of the 22nd character. */
    last = strchr(b64, key[21]);
    return ((last - b64) & 0xf) == 0;
}

static char *qio_ws_accept_for_key(const char *key, Error **errp)
{
    char *input = g_strconcat(key, QIO_WS_GUID, NULL);
    char *accept = NULL;

    if (qcrypto_hash_base64(QCRYPTO_HASH_ALG_SHA1, input, strlen(input),
                            &accept, errp) < 0) {
        accept = NULL;
    }
    g_free(input);
    return accept;
}

/* Queues an HTTP error response and records why the handshake failed. */
static void GCC_FMT_ATTR(5, 6)
qio_channel_websock_reject(QIOChannelWebsock *wioc, int status,
                           const char *phrase, bool version_hint,
                           const char *fmt, ...)
{
    GString *resp = g_string_new(NULL);
    va_list ap;
    char *why;

    va_start(ap, fmt);
    why = g_strdup_vprintf(fmt, ap);
    va_end(ap);

    g_string_append_printf(resp, "HTTP/1.1 %d %s\r\n", status, phrase);
    if (version_hint) {
        g_string_append(resp, "Sec-WebSocket-Version: 13\r\n");
    }
    g_string_append_printf(resp,
                           "Content-Type: text/plain; charset=utf-8\r\n"
                           "Content-Length: %zu\r\n"
                           "Connection: close\r\n"
                           "\r\n"
                           "%s\n",
                           strlen(why) + 1, why);
    buffer_append(&wioc->encoutput, resp->str, resp->len);
    g_string_free(resp, TRUE);

    error_setg(&wioc->handshake_err,
               "Websocket handshake failed: %s (answered HTTP %d %s)",
               why, status, phrase);
    wioc->handshake_failed = true;
    g_free(why);
}

static void qio_channel_websock_server_request(QIOChannelWebsock *wioc,
                                               char *text)
{
    QIOWSHTTPMessage msg = { 0 };
    const char *why = NULL;
    char *method, *target, *version, *sp, *accept;
    Error *err = NULL;
    bool binary;
    GString *resp;

    if (!qio_ws_http_parse(text, &msg, &why)) {
        qio_channel_websock_reject(wioc, 400, "Bad Request", false, "%s",
                                   why);
        goto out;
    }

    method = msg.start_line;
    sp = strchr(method, ' ');
    if (!sp) {
        qio_channel_websock_reject(wioc, 400, "Bad Request", false,
                                   "malformed request line");
        goto out;
    }
    *sp = '\0';
    target = sp + 1;
    sp = strchr(target, ' ');
    if (!sp || !*target) {
        qio_channel_websock_reject(wioc, 400, "Bad Request", false,
                                   "malformed request line");
        goto out;
    }
    *sp = '\0';
    version = sp + 1;
    if (strcmp(method, "GET") != 0) {
        qio_channel_websock_reject(wioc, 400, "Bad Request", false,
                                   "method %s instead of GET", method);
        goto out;
    }
    if (!qio_ws_http_version_ok(version)) {
        qio_channel_websock_reject(wioc, 400, "Bad Request", false,
                                   "unsupported protocol version, "
                                   "HTTP/1.1 is required");
        goto out;
    }
    if (target[0] != '/') {
        qio_channel_websock_reject(wioc, 400, "Bad Request", false,
                                   "request target is not an absolute "
                                   "path");
        goto out;
    }
    if (wioc->path) {
        size_t len = strcspn(target, "?");

        if (len != strlen(wioc->path) ||
            strncmp(target, wioc->path, len) != 0) {
            qio_channel_websock_reject(wioc, 404, "Not Found", false,
                                       "no websocket is served at this "
                                       "path");
            goto out;
        }
    }

    if (msg.nhost != 1 || !*msg.host) {
        qio_channel_websock_reject(wioc, 400, "Bad Request", false,
                                   msg.nhost ? "more than one Host header" :
                                   "missing Host header");
        goto out;
    }
    if (!qio_ws_list_has(msg.upgrade->str, "websocket", true)) {
        qio_channel_websock_reject(wioc, 400, "Bad Request", false,
                                   "missing 'Upgrade: websocket' header");
        goto out;
    }
    if (!qio_ws_list_has(msg.connection->str, "upgrade", true)) {
        qio_channel_websock_reject(wioc, 400, "Bad Request", false,
                                   "Connection header lacks the Upgrade "
                                   "token");
        goto out;
    }
    if (msg.nversion != 1 || strcmp(msg.version, "13") != 0) {
        qio_channel_websock_reject(wioc, 400, "Bad Request", true,
                                   msg.nversion ?
                                   "unsupported Sec-WebSocket-Version, "
                                   "13 is required" :
                                   "missing Sec-WebSocket-Version header");
        goto out;
    }
    if (msg.nkey != 1) {
        qio_channel_websock_reject(wioc, 400, "Bad Request", false,
                                   msg.nkey ?
                                   "more than one Sec-WebSocket-Key header" :
                                   "missing Sec-WebSocket-Key header");
        goto out;
    }
    if (!qio_ws_key_valid(msg.key)) {
        qio_channel_websock_reject(wioc, 400, "Bad Request", false,
                                   "Sec-WebSocket-Key is not the base64 "
                                   "encoding of 16 bytes");
        goto out;
    }

    accept = qio_ws_accept_for_key(msg.key, &err);
    if (!accept) {
        qio_channel_websock_reject(wioc, 500, "Internal Server Error", false,
                                   "cannot compute the accept key: %s",
                                   error_get_pretty(err));
        error_free(err);
        goto out;
    }
    binary = qio_ws_list_has(msg.protocol->str, "binary", false);

    resp = g_string_new(NULL);
    g_string_append_printf(resp,
                           "HTTP/1.1 101 Switching Protocols\r\n"
                           "Upgrade: websocket\r\n"
                           "Connection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: %s\r\n"
                           "%s"
                           "\r\n",
                           accept,
                           binary ? "Sec-WebSocket-Protocol: binary\r\n" :
                           "");
    buffer_append(&wioc->encoutput, resp->str, resp->len);
    g_string_free(resp, TRUE);
    g_free(accept);
    wioc->handshake_done = true;

 out:
    qio_ws_http_message_clear(&msg);
}

static void GCC_FMT_ATTR(2, 3)
qio_channel_websock_client_fail(QIOChannelWebsock *wioc, const char *fmt,
                                ...)
{
    va_list ap;
    char *why;

    va_start(ap, fmt);
    why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(&wioc->handshake_err, "Websocket handshake failed: %s", why);
    wioc->handshake_failed = true;
    g_free(why);
}

static void qio_channel_websock_client_response(QIOChannelWebsock *wioc,
                                                char *text)
{
    QIOWSHTTPMessage msg = { 0 };
    const char *why = NULL;
    char *line, *sp;

    if (!qio_ws_http_parse(text, &msg, &why)) {
        qio_channel_websock_client_fail(wioc, "bad server response: %s",
                                        why);
        goto out;
    }
    line = msg.start_line;
    sp = strchr(line, ' ');
    if (!sp) {
        qio_channel_websock_client_fail(wioc, "malformed status line");
        goto out;
    }
    *sp = '\0';
    if (!qio_ws_http_version_ok(line)) {
        qio_channel_websock_client_fail(wioc, "server does not speak "
                                        "HTTP/1.1");
        goto out;
    }
    if (strncmp(sp + 1, "101", 3) != 0 ||
        (sp[4] != '\0' && sp[4] != ' ')) {
        qio_channel_websock_client_fail(wioc, "server refused the upgrade: "
                                        "%s", sp + 1);
        goto out;
    }
    if (!qio_ws_list_has(msg.upgrade->str, "websocket", true)) {
        qio_channel_websock_client_fail(wioc, "missing 'Upgrade: websocket' "
                                        "in the response");
        goto out;
    }
    if (!qio_ws_list_has(msg.connection->str, "upgrade", true)) {
        qio_channel_websock_client_fail(wioc, "Connection header of the "
                                        "response lacks Upgrade");
        goto out;
    }
    if (msg.naccept != 1 || strcmp(msg.accept, wioc->accept_key) != 0) {
        qio_channel_websock_client_fail(wioc, "missing or wrong "
                                        "Sec-WebSocket-Accept");
        goto out;
    }
    if (msg.protocol->len && strcmp(msg.protocol->str, "binary") != 0) {
        qio_channel_websock_client_fail(wioc, "server chose subprotocol "
                                        "'%s', which was not offered",
                                        msg.protocol->str);
        goto out;
    }
    if (msg.extensions->len) {
        qio_channel_websock_client_fail(wioc, "server chose extensions "
                                        "'%s', none were offered",
                                        msg.extensions->str);
        goto out;
    }
    wioc->handshake_done = true;

 out:
    qio_ws_http_message_clear(&msg);
}

/*
 * Processes what the handshake has read so far.  Once the blank line
 * ending the headers arrived, the request (or response) is evaluated and
 * any bytes after it stay in encinput as the first frames.
 */
static void qio_channel_websock_handshake_process(QIOChannelWebsock *wioc,
                                                  size_t searched)
{
    const uint8_t *buf = wioc->encinput.buffer;
    size_t have = wioc->encinput.offset;
    size_t from = searched >= 3 ? searched - 3 : 0;
    const uint8_t *end;
    size_t hdrlen;
    char *text;

    end = memmem(buf + from, have - from, "\r\n\r\n", 4);
    if (!end) {
        if (have >= QIO_CHANNEL_WEBSOCK_MAX_HANDSHAKE) {
            if (wioc->client) {
                qio_channel_websock_client_fail(wioc, "response headers "
                                                "exceed %d bytes",
                                                QIO_CHANNEL_WEBSOCK_MAX_HANDSHAKE);
            } else {
                qio_channel_websock_reject(wioc, 431,
                                           "Request Header Fields Too Large",
                                           false, "request exceeds %d bytes",
                                           QIO_CHANNEL_WEBSOCK_MAX_HANDSHAKE);
            }
        }
        return;
    }

    hdrlen = end - buf + 4;
    if (memchr(buf, '\0', hdrlen)) {
        if (wioc->client) {
            qio_channel_websock_client_fail(wioc, "NUL byte in the response");
        } else {
            qio_channel_websock_reject(wioc, 400, "Bad Request", false,
                                       "NUL byte in the request");
        }
        return;
    }
    /* Keep the CRLF of the last header line, drop the blank line. */
    text = g_strndup((const char *)buf, hdrlen - 2);
    buffer_advance(&wioc->encinput, hdrlen);
    if (wioc->client) {
        qio_channel_websock_client_response(wioc, text);
    } else {
        qio_channel_websock_server_request(wioc, text);
    }
    g_free(text);
}

/*
 * One step of the handshake.  Returns 1 when it has succeeded, 0 when
 * the master must become ready for *@wait first, -1 with @errp set when
 * it has failed.
 */
static int qio_channel_websock_handshake_step(QIOChannelWebsock *wioc,
                                              GIOCondition ready,
                                              GIOCondition *wait,
                                              Error **errp)
{
    for (;;) {
        size_t room, before;
        ssize_t ret;

        if (wioc->encoutput.offset > 0) {
            ret = qio_channel_write(wioc->master,
                                    (char *)wioc->encoutput.buffer,
                                    wioc->encoutput.offset, errp);
            if (ret == QIO_CHANNEL_ERR_BLOCK) {
                *wait = G_IO_OUT;
                return 0;
            }
            if (ret < 0) {
                return -1;
            }
            buffer_advance(&wioc->encoutput, ret);
            continue;
        }
        if (wioc->handshake_failed) {
            error_propagate(errp, wioc->handshake_err);
            wioc->handshake_err = NULL;
            return -1;
        }
        if (wioc->handshake_done) {
            return 1;
        }
        /*
         * Read only once per readiness report: the master may be in
         * blocking mode, and a second read could wait for the peer, who
         * may itself be waiting for us.
         */
        if (!(ready & (G_IO_IN | G_IO_HUP | G_IO_ERR))) {
            *wait = G_IO_IN;
            return 0;
        }
        ready = 0;

        /*
         * Reading never goes past the size limit, and a complete request
         * is processed before reading again, so a peer cannot make the
         * buffer grow beyond it.
         */
        before = wioc->encinput.offset;
        room = QIO_CHANNEL_WEBSOCK_MAX_HANDSHAKE - before;
        buffer_reserve(&wioc->encinput, room);
        ret = qio_channel_read(wioc->master,
                               (char *)buffer_end(&wioc->encinput), room,
                               errp);
        if (ret == QIO_CHANNEL_ERR_BLOCK) {
            *wait = G_IO_IN;
            return 0;
        }
        if (ret < 0) {
            return -1;
        }
        if (ret == 0) {
            error_setg(errp, "Websocket handshake failed: end of file from "
                       "the peer");
            return -1;
        }
        wioc->encinput.offset += ret;
        qio_channel_websock_handshake_process(wioc, before);
    }
}

static gboolean qio_channel_websock_handshake_io(QIOChannel *master,
                                                 GIOCondition condition,
                                                 gpointer opaque)
{
    QIOTask *task = opaque;
    QIOChannelWebsock *wioc =
        QIO_CHANNEL_WEBSOCK(qio_task_get_source(task));
    GIOCondition wait = 0;
    Error *err = NULL;
    int ret;

    ret = qio_channel_websock_handshake_step(wioc, condition, &wait, &err);
    if (ret == 0) {
        /* Not @master: a wrapper's watch may report its inner channel. */
        wioc->io_tag = qio_channel_add_watch(wioc->master, wait,
                                             qio_channel_websock_handshake_io,
                                             task, NULL);
    } else {
        wioc->io_tag = 0;
        if (ret < 0) {
            wioc->handshake_done = false;
            qio_task_abort(task, err);
            error_free(err);
        } else {
            wioc->out_writable = true;
            qio_task_complete(task);
        }
    }
    object_unref(OBJECT(wioc));
    return FALSE;
}

/* Host and path go verbatim into the request line and a header. */
static bool qio_ws_request_text_ok(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s <= 0x20 || *s == 0x7f) {
            return false;
        }
    }
    return true;
}

void qio_channel_websock_handshake(QIOChannelWebsock *ioc,
                                   QIOTaskFunc func,
                                   gpointer opaque,
                                   GDestroyNotify destroy)
{
    QIOTask *task = qio_task_new(OBJECT(ioc), func, opaque, destroy);
    GIOCondition wait = G_IO_IN;

    if (ioc->client) {
        uint8_t nonce[16];
        char *key;
        GString *req;
        Error *err = NULL;

        if (!ioc->path || ioc->path[0] != '/' || !ioc->host ||
            !ioc->host[0] ||
            !qio_ws_request_text_ok(ioc->path) ||
            !qio_ws_request_text_ok(ioc->host)) {
            error_setg(&err, "Websocket handshake failed: invalid host or "
                       "path for the request");
            qio_task_abort(task, err);
            error_free(err);
            return;
        }
        if (gnutls_rnd(GNUTLS_RND_NONCE, nonce, sizeof(nonce)) < 0) {
            error_setg(&err, "Websocket handshake failed: cannot generate "
                       "a random key");
            qio_task_abort(task, err);
            error_free(err);
            return;
        }
        key = g_base64_encode(nonce, sizeof(nonce));
        g_free(ioc->accept_key);
        ioc->accept_key = qio_ws_accept_for_key(key, &err);
        if (!ioc->accept_key) {
            g_free(key);
            qio_task_abort(task, err);
            error_free(err);
            return;
        }
        req = g_string_new(NULL);
        g_string_append_printf(req,
                               "GET %s HTTP/1.1\r\n"
                               "Host: %s\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "Sec-WebSocket-Key: %s\r\n"
                               "Sec-WebSocket-Version: 13\r\n"
                               "Sec-WebSocket-Protocol: binary\r\n"
                               "\r\n",
                               ioc->path, ioc->host, key);
        buffer_append(&ioc->encoutput, req->str, req->len);
        g_string_free(req, TRUE);
        g_free(key);
        wait = G_IO_OUT;
    }

    ioc->io_tag = qio_channel_add_watch(ioc->master, wait,
                                        qio_channel_websock_handshake_io,
                                        task, NULL);
}

/*
 * Channel methods.
 */

static ssize_t qio_channel_websock_readv(QIOChannel *ioc,
                                         const struct iovec *iov,
                                         size_t niov,
                                         int **fds,
                                         size_t *nfds,
                                         Error **errp)
{
    QIOChannelWebsock *wioc = QIO_CHANNEL_WEBSOCK(ioc);
    QIOWSCursor cur;

    if (!wioc->handshake_done) {
        error_setg(errp, "Websocket handshake has not completed");
        return -1;
    }
    qio_ws_cursor_init(&cur, iov, niov);
    if (qio_ws_cursor_full(&cur)) {
        return 0;
    }

    for (;;) {
        size_t got = qio_channel_websock_decode(wioc, &cur);
        ssize_t ret;

        if (wioc->encoutput.offset > 0) {
            /* Pongs and close replies go out as soon as possible. */
            qio_channel_websock_flush(wioc, NULL);
        }
        if (got > 0) {
            return got;
        }
        if (wioc->io_err) {
            error_propagate(errp, error_copy(wioc->io_err));
            return -1;
        }
        if (wioc->close_received || wioc->io_eof) {
            return 0;
        }
        if (wioc->pong_blocked) {
            /* The flush above made no room: the peer is not reading. */
            if (qio_channel_websock_pending(wioc) + QIO_WS_CONTROL_MAX >
                QIO_WS_OUTPUT_PONG_LIMIT) {
                return QIO_CHANNEL_ERR_BLOCK;
            }
            continue;
        }

        ret = qio_channel_websock_fill(wioc, &cur, &got, errp);
        if (ret < 0) {
            return ret;
        }
        if (got > 0) {
            return got;
        }
    }
}

static ssize_t qio_channel_websock_writev(QIOChannel *ioc,
                                          const struct iovec *iov,
                                          size_t niov,
                                          int *fds,
                                          size_t nfds,
                                          Error **errp)
{
    QIOChannelWebsock *wioc = QIO_CHANNEL_WEBSOCK(ioc);
    struct iovec vec[QIO_WS_IOV_MAX + 1];
    size_t want, chunk, n, hdr_done, done, masked = 0;
    QIOWSCursor cur;
    Error *err = NULL;
    ssize_t ret;

    if (!wioc->handshake_done) {
        error_setg(errp, "Websocket handshake has not completed");
        return -1;
    }
    if (wioc->io_err) {
        error_propagate(errp, error_copy(wioc->io_err));
        return -1;
    }
    if (wioc->close_sent) {
        error_setg_errno(errp, EPIPE, "Websocket connection is closed");
        return -1;
    }
    want = qio_ws_iov_size(iov, niov);
    if (want == 0) {
        return 0;
    }

    /* Control frames queued earlier go first. */
    if (wioc->out_remain == 0 && wioc->encoutput.offset > 0) {
        if (qio_channel_websock_flush(wioc, errp) < 0) {
            return -1;
        }
        if (wioc->encoutput.offset > 0) {
            wioc->out_writable = false;
            return QIO_CHANNEL_ERR_BLOCK;
        }
    }

    if (wioc->out_remain == 0) {
        uint8_t hdr[QIO_WS_HEADER_MAX];
        size_t hlen;

        if (wioc->client) {
            qio_channel_websock_new_mask(&wioc->out_mask);
        }
        wioc->out_remain = MIN(want, QIO_WS_FRAME_MAX);
        hlen = qio_channel_websock_encode_header(hdr, QIO_WS_OPCODE_BINARY,
                                                 wioc->out_remain,
                                                 wioc->client ?
                                                 &wioc->out_mask : NULL);
        buffer_append(&wioc->encoutput, hdr, hlen);
    }

    /* Whatever is left of the frame header, then the payload. */
    vec[0].iov_base = wioc->encoutput.buffer;
    vec[0].iov_len = wioc->encoutput.offset;
    chunk = MIN(want, wioc->out_remain);
    qio_ws_cursor_init(&cur, iov, niov);
    if (wioc->client) {
        /* Masking needs a copy; it is done into bounded scratch space. */
        QIOChannelWebsockMask mask = wioc->out_mask;
        struct iovec slice[QIO_WS_IOV_MAX];
        size_t i, total, pos = 0;

        n = qio_ws_cursor_slice(&cur, MIN(chunk, wioc->out_mask_window),
                                slice, QIO_WS_IOV_MAX, &total);
        buffer_reserve(&wioc->rawoutput, total);
        for (i = 0; i < n; i++) {
            qio_channel_websock_xor(wioc->rawoutput.buffer + pos,
                                    slice[i].iov_base, slice[i].iov_len,
                                    &mask);
            pos += slice[i].iov_len;
        }
        vec[1].iov_base = wioc->rawoutput.buffer;
        vec[1].iov_len = total;
        masked = total;
        n = 1;
    } else {
        size_t total;

        n = qio_ws_cursor_slice(&cur, chunk, vec + 1, QIO_WS_IOV_MAX, &total);
    }

    if (vec[0].iov_len) {
        ret = qio_channel_writev(wioc->master, vec, n + 1, &err);
    } else {
        ret = qio_channel_writev(wioc->master, vec + 1, n, &err);
    }
    if (ret == QIO_CHANNEL_ERR_BLOCK) {
        wioc->out_writable = false;
        return QIO_CHANNEL_ERR_BLOCK;
    }
    if (ret < 0) {
        error_propagate(errp, error_copy(err));
        qio_channel_websock_set_error(wioc, err);
        return -1;
    }

    hdr_done = MIN((size_t)ret, wioc->encoutput.offset);
    buffer_advance(&wioc->encoutput, hdr_done);
    done = ret - hdr_done;
    if (wioc->client) {
        qio_channel_websock_mask_advance(&wioc->out_mask, done);
        /*
         * Whatever the master refused was masked for nothing, and the
         * caller offers it again next time: a master that takes little
         * per call (a slow peer, a full socket buffer) must not cost a
         * full scratch buffer of masking per call, which adds up to time
         * quadratic in the frame size.  So the next write masks about
         * twice what this one took, and the window grows back only when
         * the master took all of a full window.
         */
        if (done < masked) {
            wioc->out_mask_window = MAX(2 * done, QIO_WS_MASK_MIN);
        } else if (masked == wioc->out_mask_window) {
            wioc->out_mask_window = MIN(2 * wioc->out_mask_window,
                                        QIO_WS_MASK_SCRATCH);
        }
    }
    wioc->out_remain -= done;
    if (wioc->out_remain == 0 && wioc->ctlqueue.offset > 0) {
        /* The frame is complete: held-back control frames may follow. */
        buffer_append(&wioc->encoutput, wioc->ctlqueue.buffer,
                      wioc->ctlqueue.offset);
        buffer_reset(&wioc->ctlqueue);
        qio_channel_websock_flush(wioc, NULL);
    }
    if (done == 0) {
        wioc->out_writable = false;
        return QIO_CHANNEL_ERR_BLOCK;
    }
    return done;
}

static int qio_channel_websock_set_blocking(QIOChannel *ioc,
                                            bool enabled,
                                            Error **errp)
{
    QIOChannelWebsock *wioc = QIO_CHANNEL_WEBSOCK(ioc);

    return qio_channel_set_blocking(wioc->master, enabled, errp);
}

static void qio_channel_websock_set_delay(QIOChannel *ioc,
                                          bool enabled)
{
    QIOChannelWebsock *wioc = QIO_CHANNEL_WEBSOCK(ioc);

    qio_channel_set_delay(wioc->master, enabled);
}

static void qio_channel_websock_set_cork(QIOChannel *ioc,
                                         bool enabled)
{
    QIOChannelWebsock *wioc = QIO_CHANNEL_WEBSOCK(ioc);

    qio_channel_set_cork(wioc->master, enabled);
}

static int qio_channel_websock_shutdown(QIOChannel *ioc,
                                        QIOChannelShutdown how,
                                        Error **errp)
{
    QIOChannelWebsock *wioc = QIO_CHANNEL_WEBSOCK(ioc);

    /*
     * A websocket ends its sending side with a close frame; once that is
     * flushed the master is half-closed in turn, and reads go on until the
     * peer's close frame answers.
     */
    if (how != QIO_CHANNEL_SHUTDOWN_READ && wioc->handshake_done &&
        !wioc->close_sent && !wioc->io_err && !wioc->out_remain) {
        qio_channel_websock_queue_close(wioc, QIO_WS_CLOSE_NORMAL);
        if (qio_channel_websock_flush(wioc, errp) < 0) {
            return -1;
        }
        if (how == QIO_CHANNEL_SHUTDOWN_WRITE) {
            return 0;
        }
    }
    return qio_channel_shutdown(wioc->master, how, errp);
}

static int qio_channel_websock_close(QIOChannel *ioc,
                                     Error **errp)
{
    QIOChannelWebsock *wioc = QIO_CHANNEL_WEBSOCK(ioc);

    /*
     * Say goodbye properly if the connection is healthy.  This never
     * blocks for long: a blocking master has nothing else pending, so
     * only the few bytes of the close frame are written.
     */
    if (wioc->handshake_done && !wioc->close_sent && !wioc->io_err &&
        !wioc->out_remain) {
        qio_channel_websock_queue_close(wioc, QIO_WS_CLOSE_NORMAL);
        qio_channel_websock_flush(wioc, NULL);
    }
    return qio_channel_close(wioc->master, errp);
}

/*
 * Watches.  A websocket source is ready when a read or write on the
 * channel would make progress.  While it is not, it keeps a child watch
 * on the master for whatever I/O the channel needs to get there (flushing
 * encoutput, refilling encinput), and performs that I/O itself.
 */

typedef struct QIOChannelWebsockSource {
    GSource parent;
    QIOChannelWebsock *wioc;
    GIOCondition condition;
    GSource *child;
    GIOCondition child_condition;
} QIOChannelWebsockSource;

static GIOCondition qio_channel_websock_ready(QIOChannelWebsock *wioc)
{
    GIOCondition cond = 0;

    if (!wioc->handshake_done) {
        return 0;
    }
    if (wioc->io_err || wioc->close_received || wioc->io_eof ||
        (wioc->payload_remain > 0 && wioc->encinput.offset > 0)) {
        cond |= G_IO_IN;
    }
    if (wioc->io_err || wioc->close_sent ||
        (wioc->encoutput.offset == 0 && wioc->out_writable)) {
        cond |= G_IO_OUT;
    }
    return cond;
}

static GIOCondition qio_channel_websock_pump_condition(QIOChannelWebsock
                                                       *wioc,
                                                       GIOCondition wanted)
{
    GIOCondition cond = 0;

    if (!wioc->handshake_done || wioc->io_err) {
        return 0;
    }
    /*
     * Output: flush pending control frames, or find out when the master
     * can take data again after a write was refused.
     */
    if (wioc->encoutput.offset > 0 ||
        ((wanted & G_IO_OUT) && !wioc->out_writable && !wioc->close_sent)) {
        cond |= G_IO_OUT;
    }
    /*
     * Input is read ahead only while the application has nothing to
     * read, there is room, and any pong it would trigger can be queued:
     * this is what throttles a peer that floods a non-reading channel.
     */
    if (!wioc->io_eof && !wioc->close_received && !wioc->pong_blocked &&
        wioc->encinput.offset < QIO_CHANNEL_WEBSOCK_MAX_BUFFER &&
        !(qio_channel_websock_ready(wioc) & G_IO_IN)) {
        cond |= G_IO_IN;
    }
    return cond;
}

static gboolean qio_channel_websock_pump(QIOChannel *master,
                                         GIOCondition condition,
                                         gpointer opaque)
{
    QIOChannelWebsock *wioc = opaque;
    size_t delivered;

    if (wioc->encoutput.offset > 0) {
        qio_channel_websock_flush(wioc, NULL);
    }
    /* After a hang-up, let the next write find out about it. */
    if (condition & (G_IO_OUT | G_IO_HUP | G_IO_ERR)) {
        if (wioc->encoutput.offset == 0) {
            wioc->out_writable = true;
        }
    }
    /* Hang-up and errors are reported by reading, as end of file. */
    if ((condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) &&
        (qio_channel_websock_pump_condition(wioc, 0) & G_IO_IN)) {
        qio_channel_websock_fill(wioc, NULL, &delivered, NULL);
    }
    qio_channel_websock_decode(wioc, NULL);
    if (wioc->encoutput.offset > 0) {
        qio_channel_websock_flush(wioc, NULL);
    }
    return TRUE;
}

static gboolean qio_channel_websock_source_prepare(GSource *source,
                                                   gint *timeout)
{
    QIOChannelWebsockSource *s = (QIOChannelWebsockSource *)source;
    GIOCondition want;

    /*
     * Frames may already wait in encinput (read along with the handshake,
     * or left behind by a read that filled the caller's buffers): decode
     * their headers and control frames so readiness reflects them.
     */
    if (s->wioc->handshake_done) {
        qio_channel_websock_decode(s->wioc, NULL);
    }
    want = qio_channel_websock_pump_condition(s->wioc, s->condition);
    *timeout = -1;
    if (want != s->child_condition) {
        if (s->child) {
            g_source_remove_child_source(source, s->child);
            g_source_unref(s->child);
            s->child = NULL;
        }
        s->child_condition = want;
        if (want) {
            s->child = qio_channel_create_watch(s->wioc->master, want);
            g_source_set_callback(s->child,
                                  (GSourceFunc)(void (*)(void))
                                  qio_channel_websock_pump,
                                  s->wioc, NULL);
            g_source_add_child_source(source, s->child);
        }
    }
    return (qio_channel_websock_ready(s->wioc) & s->condition) != 0;
}

static gboolean qio_channel_websock_source_check(GSource *source)
{
    QIOChannelWebsockSource *s = (QIOChannelWebsockSource *)source;

    return (qio_channel_websock_ready(s->wioc) & s->condition) != 0;
}

static gboolean qio_channel_websock_source_dispatch(GSource *source,
                                                    GSourceFunc callback,
                                                    gpointer user_data)
{
    QIOChannelFunc func = (QIOChannelFunc)(void (*)(void))callback;
    QIOChannelWebsockSource *s = (QIOChannelWebsockSource *)source;

    if (!func) {
        return FALSE;
    }
    return func(QIO_CHANNEL(s->wioc),
                qio_channel_websock_ready(s->wioc) & s->condition,
                user_data);
}

static void qio_channel_websock_source_finalize(GSource *source)
{
    QIOChannelWebsockSource *s = (QIOChannelWebsockSource *)source;

    if (s->child) {
        g_source_unref(s->child);
    }
    object_unref(OBJECT(s->wioc));
}

static GSourceFuncs qio_channel_websock_source_funcs = {
    .prepare = qio_channel_websock_source_prepare,
    .check = qio_channel_websock_source_check,
    .dispatch = qio_channel_websock_source_dispatch,
    .finalize = qio_channel_websock_source_finalize,
};

static GSource *qio_channel_websock_create_watch(QIOChannel *ioc,
                                                 GIOCondition condition)
{
    QIOChannelWebsock *wioc = QIO_CHANNEL_WEBSOCK(ioc);
    GSource *source = g_source_new(&qio_channel_websock_source_funcs,
                                   sizeof(QIOChannelWebsockSource));
    QIOChannelWebsockSource *s = (QIOChannelWebsockSource *)source;

    object_ref(OBJECT(wioc));
    s->wioc = wioc;
    s->condition = condition;
    return source;
}

/*
 * Construction and type.
 */

static QIOChannelWebsock *qio_channel_websock_new(QIOChannel *master)
{
    QIOChannelWebsock *wioc =
        QIO_CHANNEL_WEBSOCK(object_new(TYPE_QIO_CHANNEL_WEBSOCK));

    wioc->master = master;
    object_ref(OBJECT(master));
    if (qio_channel_has_feature(master, QIO_CHANNEL_FEATURE_SHUTDOWN)) {
        qio_channel_set_feature(QIO_CHANNEL(wioc),
                                QIO_CHANNEL_FEATURE_SHUTDOWN);
    }
    return wioc;
}

QIOChannelWebsock *qio_channel_websock_new_server(QIOChannel *master)
{
    return qio_channel_websock_new(master);
}

QIOChannelWebsock *qio_channel_websock_new_client(QIOChannel *master,
                                                  const char *host,
                                                  const char *path)
{
    QIOChannelWebsock *wioc = qio_channel_websock_new(master);

    wioc->client = true;
    wioc->out_mask_window = QIO_WS_MASK_START;
    wioc->host = g_strdup(host);
    wioc->path = g_strdup(path);
    return wioc;
}

void qio_channel_websock_set_path(QIOChannelWebsock *ioc,
                                  const char *path)
{
    g_free(ioc->path);
    ioc->path = g_strdup(path);
}

static void qio_channel_websock_finalize(Object *obj)
{
    QIOChannelWebsock *wioc = QIO_CHANNEL_WEBSOCK(obj);

    buffer_free(&wioc->encinput);
    buffer_free(&wioc->encoutput);
    buffer_free(&wioc->rawinput);
    buffer_free(&wioc->rawoutput);
    buffer_free(&wioc->ctlqueue);
    object_unref(OBJECT(wioc->master));
    if (wioc->io_tag) {
        g_source_remove(wioc->io_tag);
    }
    error_free(wioc->io_err);
    error_free(wioc->handshake_err);
    g_free(wioc->path);
    g_free(wioc->host);
    g_free(wioc->accept_key);
}

static void qio_channel_websock_class_init(ObjectClass *klass,
                                           void *class_data)
{
    QIOChannelClass *ioc_klass = QIO_CHANNEL_CLASS(klass);

    ioc_klass->io_writev = qio_channel_websock_writev;
    ioc_klass->io_readv = qio_channel_websock_readv;
    ioc_klass->io_set_blocking = qio_channel_websock_set_blocking;
    ioc_klass->io_set_cork = qio_channel_websock_set_cork;
    ioc_klass->io_set_delay = qio_channel_websock_set_delay;
    ioc_klass->io_close = qio_channel_websock_close;
    ioc_klass->io_shutdown = qio_channel_websock_shutdown;
    ioc_klass->io_create_watch = qio_channel_websock_create_watch;
}

static const TypeInfo qio_channel_websock_info = {
    .parent = TYPE_QIO_CHANNEL,
    .name = TYPE_QIO_CHANNEL_WEBSOCK,
    .instance_size = sizeof(QIOChannelWebsock),
    .instance_finalize = qio_channel_websock_finalize,
    .class_init = qio_channel_websock_class_init,
};

static void qio_channel_websock_register_types(void)
{
    type_register_static(&qio_channel_websock_info);
}

type_init(qio_channel_websock_register_types);
