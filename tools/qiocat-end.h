/*
 * qiocat: opening one side of a connection, with its TLS and websocket
 * layers.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIOCAT_END_H
#define QIOCAT_END_H

#include "io/channel.h"
#include "qemu/coroutine.h"
#include "qiocat-addr.h"

/*
 * One side of a relay.  Most addresses read and write one channel; stdio
 * and file: addresses have a separate (or no) channel per direction.  A
 * NULL @rd reads as an immediate EOF and a NULL @wr discards what it is
 * given.
 */
typedef struct QiocatEnd {
    QIOChannel *rd;
    QIOChannel *wr;
    QIOChannel *base;   /* the transport under any layers, for shutdown */
    QIOChannel *tls;    /* the outermost TLS layer, if any (borrowed) */
    bool websock;       /* whether the stack has a websocket layer */
    bool ws_on_top;     /* whether the outermost layer is a websocket */
    bool wr_shut;       /* qiocat_end_shutdown_write() already ran */
    char *label;        /* the address, or the peer for accepted clients */
} QiocatEnd;

/**
 * qiocat_end_open:
 * @end: filled in on success
 * @addr: a non-listening address
 * @second: whether @addr was given second (decides file: defaults)
 * @errp: pointer to a NULL-initialized error object
 *
 * Connects, spawns or opens @addr and then runs its layers' handshakes.
 * Must run in a coroutine: it yields while connecting and handshaking.
 *
 * Returns: 0 on success, -1 with @errp set
 */
int qiocat_end_open(QiocatEnd *end, QiocatAddr *addr, bool second,
                    Error **errp);

/**
 * qiocat_end_add_layers:
 * @end: an end whose @rd and @wr are the same channel
 * @addr: the address whose layers to apply
 * @errp: pointer to a NULL-initialized error object
 *
 * Stacks @addr's TLS and websocket layers on @end, in order, running each
 * handshake.  Must run in a coroutine.
 *
 * Returns: 0 on success, -1 with @errp set
 */
int qiocat_end_add_layers(QiocatEnd *end, QiocatAddr *addr, Error **errp);

/**
 * qiocat_end_set_channel:
 * @end: the end to set
 * @ioc: the channel to read and write; @end takes references of its own
 * @label: describes the end in messages
 */
void qiocat_end_set_channel(QiocatEnd *end, QIOChannel *ioc,
                            const char *label);

/**
 * qiocat_end_shutdown_write:
 * @end: an end
 *
 * Tells the peer no more data will come, starting with the outermost
 * layer.  A websocket on top has no half-close, so this sends its close
 * frame (the peer stops sending too, and the layers below follow once it
 * is out); TLS on top sends close_notify, then half-closes the socket
 * unless a websocket lies underneath (that one is closed with the end); a
 * command sees EOF on its stdin; stdio and file: close their write
 * channel.  Only the first call does anything.  Must run in a coroutine:
 * it may yield while sending.
 */
void coroutine_fn qiocat_end_shutdown_write(QiocatEnd *end);

/**
 * qiocat_end_abort:
 * @end: an end
 *
 * Cuts the end off in both directions so that a coroutine waiting on it
 * wakes up: shuts a socket down, terminates a command.
 */
void qiocat_end_abort(QiocatEnd *end);

/**
 * qiocat_end_close:
 * @end: an end
 *
 * Closes and releases the channels of @end.
 */
void qiocat_end_close(QiocatEnd *end);

/**
 * qiocat_creds_cleanup:
 *
 * Releases the TLS credentials and ACLs created for the addresses.
 */
void qiocat_creds_cleanup(void);

#endif /* QIOCAT_END_H */
