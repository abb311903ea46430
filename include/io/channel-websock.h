/*
 * libqio: RFC 6455 websocket framing layered over another channel.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_CHANNEL_WEBSOCK_H__
#define QIO_CHANNEL_WEBSOCK_H__

#include "io/channel.h"
#include "qemu/buffer.h"
#include "io/task.h"

#define TYPE_QIO_CHANNEL_WEBSOCK "qio-channel-websock"
#define QIO_CHANNEL_WEBSOCK(obj)                                        \
    OBJECT_CHECK(QIOChannelWebsock, (obj), TYPE_QIO_CHANNEL_WEBSOCK)

/**
 * QIO_CHANNEL_WEBSOCK_MAX_BUFFER:
 *
 * Hard limit, in bytes, on the encoded input (@encinput) and on the
 * pending output (@encoutput plus queued control frames) of a
 * #QIOChannelWebsock.  Incoming frames are never buffered beyond it: once
 * @encinput is full, or the application has data waiting that it does not
 * read, the master channel is no longer read, so a peer that floods a
 * connection whose application does not read is throttled by TCP flow
 * control.  Pongs are queued only while they fit under the limit (room
 * for a final close frame is always kept); a peer that sends pings but
 * does not read the pongs stops being read too.  Outgoing data is never
 * buffered at all: see #QIOChannelWebsock.
 *
 * Since: libqio 0.1
 */
#define QIO_CHANNEL_WEBSOCK_MAX_BUFFER 65536

/**
 * QIO_CHANNEL_WEBSOCK_MAX_HANDSHAKE:
 *
 * Hard limit, in bytes, on the HTTP upgrade request (server side) or
 * response (client side), request line and headers included.  A server
 * answers a longer request with "431 Request Header Fields Too Large".
 *
 * Since: libqio 0.1
 */
#define QIO_CHANNEL_WEBSOCK_MAX_HANDSHAKE 8192

typedef struct QIOChannelWebsock QIOChannelWebsock;
typedef union QIOChannelWebsockMask QIOChannelWebsockMask;

/**
 * QIOChannelWebsockMask:
 * @c: the four masking bytes, in wire order
 * @u: the same bytes as one 32-bit word
 *
 * The masking key of a websocket frame.
 */
union QIOChannelWebsockMask {
    char c[4];
    uint32_t u;
};

/**
 * QIOChannelWebsock:
 * @master: the channel carrying the encoded stream
 * @encinput: received bytes not yet decoded (bounded by
 *   %QIO_CHANNEL_WEBSOCK_MAX_BUFFER; during the handshake, the HTTP text)
 * @encoutput: encoded bytes due on @master next: the header of the
 *   frame being sent, or control frames (bounded by
 *   %QIO_CHANNEL_WEBSOCK_MAX_BUFFER)
 * @rawinput: unused: payload goes straight from @encinput (or from
 *   @master) to the caller's buffers; kept for source compatibility
 * @rawoutput: a client's scratch space for masking outgoing payload (at
 *   most 256 KiB); a server writes straight from the caller's buffers
 * @payload_remain: payload bytes of the current data frame not yet
 *   delivered
 * @mask: the masking key of the current incoming frame, rotated so that
 *   c[0] applies to the next payload byte
 * @io_tag: the master watch driving the handshake, or 0
 * @io_err: the error that ended the connection, returned by every later
 *   read
 * @io_eof: whether @master has reported end of file
 *
 * A channel that carries a byte stream as the payload of binary websocket
 * messages (RFC 6455) over @master, after an HTTP upgrade handshake run
 * by qio_channel_websock_handshake().  The fields after @io_eof are
 * private.
 *
 * Reading returns the payload of binary and continuation frames as a
 * plain stream: message boundaries are not preserved.  Incoming control
 * frames are handled inside the channel: a ping is answered with a pong
 * carrying the same payload, a pong is ignored, and a close frame is
 * answered with a close frame echoing the peer's status code, after which
 * reads return 0 (end of file) and writes fail.  A text frame is refused:
 * the channel sends a close frame with status 1003 (unsupported data) and
 * the read fails with an Error.  A protocol violation (an unmasked frame
 * from a client or a masked frame from a server, a control frame longer
 * than 125 bytes or fragmented, a reserved bit set, an unknown opcode, a
 * 64-bit length with its top bit set, a misplaced continuation frame, an
 * invalid close frame) closes the connection with status 1002 (protocol
 * error) and the read fails with an Error.  Any failure is sticky: every
 * later read returns the same error.  End of file from @master in the
 * middle of a frame is an error too.
 *
 * Writes are not buffered: a write returns the number of payload bytes
 * that @master actually accepted (%QIO_CHANNEL_ERR_BLOCK if none), so
 * the usual flow control of @master applies unchanged, and no data the
 * caller was told is written can linger inside the channel.  Data is
 * sent as binary frames of up to 1 MiB, each declared for the data
 * offered by the write that starts it; a frame that @master takes only
 * in part is completed by the next writes, which is why a caller must
 * resend what a write did not accept (as with any channel); a caller
 * that stops writing instead leaves that frame incomplete.  Frames sent
 * by a server are not masked and are written straight from the caller's
 * iovecs; frames sent by a client are masked with a fresh random key
 * each.  Control frames (pongs, close) generated while a frame is
 * incomplete wait until it is.  Closing the channel first sends a close
 * frame with status 1000 if none was exchanged yet and no frame is
 * incomplete.  Shutting down the write side (%QIO_CHANNEL_SHUTDOWN_WRITE or
 * %QIO_CHANNEL_SHUTDOWN_BOTH) sends that close frame without closing:
 * reads continue until the peer's close frame answers, and the master's
 * write side is shut down once the close frame has been flushed.
 * WebSocket has no half-close, so the peer stops sending too.
 *
 * Memory stays bounded whatever the peer does: see
 * %QIO_CHANNEL_WEBSOCK_MAX_BUFFER and %QIO_CHANNEL_WEBSOCK_MAX_HANDSHAKE.
 * A frame declaring a huge length (up to 2^63 - 1 bytes) costs nothing
 * until its payload actually arrives, and then only streams through.
 *
 * Watches created on the channel drive @master themselves (flushing
 * @encoutput, reading into @encinput, answering control frames) in
 * whatever main context they are attached to.  A websocket channel must
 * be used by one thread at a time: its reads and writes share the frame
 * encoder.
 */
struct QIOChannelWebsock {
    QIOChannel parent;
    QIOChannel *master;
    Buffer encinput;
    Buffer encoutput;
    Buffer rawinput;
    Buffer rawoutput;
    size_t payload_remain;
    QIOChannelWebsockMask mask;
    guint io_tag;
    Error *io_err;
    gboolean io_eof;

    /* private, libqio additions */
    bool client;
    bool handshake_done;
    bool handshake_failed;
    bool in_message;
    bool close_received;
    bool close_sent;
    bool write_shutdown;
    bool pong_blocked;
    bool out_writable;
    size_t out_remain;
    QIOChannelWebsockMask out_mask;
    size_t out_mask_window;     /* client: payload bytes to mask per write */
    size_t in_header_hint;      /* header size to read alone, or 0 */
    Buffer ctlqueue;
    char *path;
    char *host;
    char *accept_key;
    Error *handshake_err;
};

/**
 * qio_channel_websock_new_server:
 * @master: the channel carrying the connection from the client
 *
 * Creates the server end of a websocket connection over @master, which
 * gains a reference.  The channel supports
 * %QIO_CHANNEL_FEATURE_SHUTDOWN if @master does.  Run
 * qio_channel_websock_handshake() before any I/O.
 *
 * Returns: the new channel
 */
QIOChannelWebsock *qio_channel_websock_new_server(QIOChannel *master);

/**
 * qio_channel_websock_new_client:
 * @master: the channel carrying the connection to the server
 * @host: the value of the Host header to send, e.g. "example.org:8080"
 * @path: the resource to request, starting with "/", e.g. "/websockify"
 *
 * Creates the client end of a websocket connection over @master, which
 * gains a reference.  Run qio_channel_websock_handshake() before any I/O:
 * it sends the upgrade request for @path with a random key, offering the
 * "binary" subprotocol, and checks the server's answer.  @host and @path
 * are copied; if either contains a space or a control character, the
 * handshake fails without sending anything.
 *
 * Returns: the new channel
 *
 * Since: libqio 0.1
 */
QIOChannelWebsock *qio_channel_websock_new_client(QIOChannel *master,
                                                  const char *host,
                                                  const char *path);

/**
 * qio_channel_websock_set_path:
 * @ioc: a server channel whose handshake has not started
 * @path: the only request path to accept, or NULL to accept any
 *
 * Restricts the server to requests for @path (compared with the request
 * target up to any "?" query).  A request for another path is answered
 * with "404 Not Found" and the handshake fails.  By default any path is
 * accepted.  @path is copied.
 *
 * Since: libqio 0.1
 */
void qio_channel_websock_set_path(QIOChannelWebsock *ioc,
                                  const char *path);

/**
 * qio_channel_websock_handshake:
 * @ioc: the channel
 * @func: called once the handshake has finished or failed
 * @opaque: passed to @func
 * @destroy: called on @opaque after @func, or NULL
 *
 * Runs the websocket opening handshake asynchronously, with watches on
 * @ioc's master in the default main context, tolerating partial and
 * would-block reads and writes.  @func is called with a NULL error on
 * success, after which @ioc carries data.
 *
 * A server reads the HTTP request (at most
 * %QIO_CHANNEL_WEBSOCK_MAX_HANDSHAKE bytes, over any number of reads) and
 * requires a GET of an HTTP/1.1 (or later 1.x) origin-form target, a Host
 * header, an Upgrade header listing "websocket", a Connection header
 * listing "Upgrade", "Sec-WebSocket-Version: 13" and a Sec-WebSocket-Key
 * that is the base64 encoding of 16 bytes.  Header names and these tokens
 * are compared case-insensitively.  If the client offers the "binary"
 * subprotocol it is selected; a client offering no subprotocol (or only
 * others) is accepted without one.  It then answers "101 Switching
 * Protocols".  A rejected request is answered with an HTTP error before
 * @func receives an Error naming the problem: "400 Bad Request" for a
 * malformed or incomplete request (with "Sec-WebSocket-Version: 13" when
 * the version is missing or wrong), "404 Not Found" for a path other than
 * the one set with qio_channel_websock_set_path(), "431 Request Header
 * Fields Too Large" for an oversized request.
 *
 * A client sends its request, then requires "101" with matching Upgrade,
 * Connection and Sec-WebSocket-Accept headers, and either no subprotocol
 * or "binary"; anything else fails the handshake.
 *
 * @func also receives an Error if @master fails or reaches end of file
 * during the handshake.
 */
void qio_channel_websock_handshake(QIOChannelWebsock *ioc,
                                   QIOTaskFunc func,
                                   gpointer opaque,
                                   GDestroyNotify destroy);

#endif /* QIO_CHANNEL_WEBSOCK_H__ */
