/*
 * libqio: the abstract I/O channel every concrete channel derives from.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_CHANNEL_H__
#define QIO_CHANNEL_H__

#include "qemu-common.h"
#include "qapi/error.h"
#include "qom/object.h"

/**
 * TYPE_QIO_CHANNEL:
 *
 * The QOM type name of the abstract channel base class.
 */
#define TYPE_QIO_CHANNEL "qio-channel"

/**
 * QIO_CHANNEL:
 * @obj: an object
 *
 * Casts @obj to #QIOChannel, checking its type.
 *
 * Returns: @obj as a #QIOChannel pointer
 */
#define QIO_CHANNEL(obj)                                    \
    OBJECT_CHECK(QIOChannel, (obj), TYPE_QIO_CHANNEL)

/**
 * QIO_CHANNEL_CLASS:
 * @klass: a class
 *
 * Casts @klass to #QIOChannelClass, checking its type.
 *
 * Returns: @klass as a #QIOChannelClass pointer
 */
#define QIO_CHANNEL_CLASS(klass)                                    \
    OBJECT_CLASS_CHECK(QIOChannelClass, klass, TYPE_QIO_CHANNEL)

/**
 * QIO_CHANNEL_GET_CLASS:
 * @obj: a channel
 *
 * Looks up the class of @obj, to call its methods.
 *
 * Returns: the #QIOChannelClass of @obj
 */
#define QIO_CHANNEL_GET_CLASS(obj)                                  \
    OBJECT_GET_CLASS(QIOChannelClass, obj, TYPE_QIO_CHANNEL)

typedef struct QIOChannel QIOChannel;
typedef struct QIOChannelClass QIOChannelClass;

/**
 * QIO_CHANNEL_ERR_BLOCK:
 *
 * Returned by the I/O functions of a channel in non-blocking mode when the
 * operation could not move a single byte without waiting.  Wait for the
 * matching condition (qio_channel_wait(), qio_channel_yield() or a watch)
 * and try again.
 */
#define QIO_CHANNEL_ERR_BLOCK -2

typedef enum QIOChannelFeature QIOChannelFeature;

/**
 * QIOChannelFeature:
 * @QIO_CHANNEL_FEATURE_FD_PASS: file descriptors can travel alongside the
 *   data (qio_channel_readv_full() and qio_channel_writev_full())
 * @QIO_CHANNEL_FEATURE_SHUTDOWN: qio_channel_shutdown() can close one
 *   direction of the data path
 * @QIO_CHANNEL_FEATURE_LISTEN: the channel is a listening socket, which
 *   accepts connections rather than carrying data (Since: libqio 0.1)
 *
 * Optional abilities of a channel.  Query them with
 * qio_channel_has_feature() and advertise them with
 * qio_channel_set_feature(); never test the features field directly, as
 * the bit used for a feature is not its enum value.
 */
enum QIOChannelFeature {
    QIO_CHANNEL_FEATURE_FD_PASS = (1 << 0),
    QIO_CHANNEL_FEATURE_SHUTDOWN = (1 << 1),
    QIO_CHANNEL_FEATURE_LISTEN = (1 << 2),
};

typedef enum QIOChannelShutdown QIOChannelShutdown;

/**
 * QIOChannelShutdown:
 * @QIO_CHANNEL_SHUTDOWN_BOTH: stop both reading and writing
 * @QIO_CHANNEL_SHUTDOWN_READ: stop reading only
 * @QIO_CHANNEL_SHUTDOWN_WRITE: stop writing only
 *
 * Which direction qio_channel_shutdown() closes.
 */
enum QIOChannelShutdown {
    QIO_CHANNEL_SHUTDOWN_BOTH,
    QIO_CHANNEL_SHUTDOWN_READ,
    QIO_CHANNEL_SHUTDOWN_WRITE,
};

/**
 * QIOChannelFunc:
 * @ioc: the channel the watch was created on
 * @condition: the conditions that are ready
 * @data: the user data given when the watch was added
 *
 * The callback of a channel watch.
 *
 * Returns: TRUE to keep the watch, FALSE to remove it
 */
typedef gboolean (*QIOChannelFunc)(QIOChannel *ioc,
                                   GIOCondition condition,
                                   gpointer data);

/**
 * QIOChannel:
 * @features: the advertised features, as bits only meaningful to
 *   qio_channel_has_feature() and qio_channel_set_feature()
 * @name: the name set by qio_channel_set_name(), or NULL; freed with
 *   the channel
 *
 * The base of the channel hierarchy: a bidirectional byte stream with
 * vectored I/O, optional file descriptor passing, blocking and
 * non-blocking modes, and GSource based readiness watches.  It is an
 * abstract QOM type; lifetime follows the QOM reference count, and the
 * finalizer of each subclass releases whatever the channel still holds.
 *
 * The @name member is a libqio addition (Since: libqio 0.1) placed after
 * the QEMU 2.5 members so that their offsets are unchanged.
 */
struct QIOChannel {
    Object parent;
    unsigned int features; /* bits: use qio_channel_has_feature() */
    char *name;
};

/**
 * QIOChannelClass:
 * @io_writev: write from an iovec array, optionally sending fds
 * @io_readv: read into an iovec array, optionally receiving fds
 * @io_close: release the underlying resource
 * @io_create_watch: create an unattached GSource for a condition
 * @io_set_blocking: switch between blocking and non-blocking mode
 * @io_shutdown: close one or both directions (optional)
 * @io_set_cork: hint to batch small writes (optional)
 * @io_set_delay: hint to allow write coalescing delays (optional)
 * @io_seek: move the file position (optional)
 * @io_yield_fd: report the file descriptor whose readiness for the given
 *   condition is the channel's readiness, or -1 if there is none (optional,
 *   Since: libqio 0.1)
 *
 * The methods a concrete channel implements.  The first five are
 * mandatory; a missing @io_shutdown or @io_seek makes the matching call
 * fail, a missing @io_set_cork or @io_set_delay is silently ignored.
 *
 * @io_yield_fd lets qio_channel_yield() wait for the channel in one
 * epoll set shared by every yielded channel of a main context, so a wait
 * costs the same however many other channels are parked.  A channel whose
 * readiness is not simply that of one fd (data buffered in user space, a
 * pair of fds) leaves it unset or returns -1, and qio_channel_yield() then
 * attaches a watch from @io_create_watch instead, as it always did.
 */
struct QIOChannelClass {
    ObjectClass parent;

    /* Mandatory callbacks */
    ssize_t (*io_writev)(QIOChannel *ioc,
                         const struct iovec *iov,
                         size_t niov,
                         int *fds,
                         size_t nfds,
                         Error **errp);
    ssize_t (*io_readv)(QIOChannel *ioc,
                        const struct iovec *iov,
                        size_t niov,
                        int **fds,
                        size_t *nfds,
                        Error **errp);
    int (*io_close)(QIOChannel *ioc,
                    Error **errp);
    GSource * (*io_create_watch)(QIOChannel *ioc,
                                 GIOCondition condition);
    int (*io_set_blocking)(QIOChannel *ioc,
                           bool enabled,
                           Error **errp);

    /* Optional callbacks */
    int (*io_shutdown)(QIOChannel *ioc,
                       QIOChannelShutdown how,
                       Error **errp);
    void (*io_set_cork)(QIOChannel *ioc,
                        bool enabled);
    void (*io_set_delay)(QIOChannel *ioc,
                         bool enabled);
    off_t (*io_seek)(QIOChannel *ioc,
                     off_t offset,
                     int whence,
                     Error **errp);

    /* Optional callbacks added by libqio */
    int (*io_yield_fd)(QIOChannel *ioc,
                       GIOCondition condition);
};

/* General I/O handling functions */

/**
 * qio_channel_has_feature:
 * @ioc: the channel
 * @feature: the feature to test
 *
 * Tells whether @ioc advertises @feature.
 *
 * Returns: true if the feature is supported, false otherwise
 */
bool qio_channel_has_feature(QIOChannel *ioc,
                             QIOChannelFeature feature);

/**
 * qio_channel_set_feature:
 * @ioc: the channel
 * @feature: the feature to advertise
 *
 * Marks @feature as supported by @ioc; meant for the constructors of
 * channel implementations.  Afterwards qio_channel_has_feature() returns
 * true for @feature.
 *
 * Since: libqio 0.1
 */
void qio_channel_set_feature(QIOChannel *ioc,
                             QIOChannelFeature feature);

/**
 * qio_channel_set_name:
 * @ioc: the channel
 * @name: a short description of the channel, or NULL
 *
 * Gives @ioc a name for debugging.  The string is copied (replacing any
 * previous name) and becomes the name of every GSource later created by
 * qio_channel_create_watch() and the qio_channel_add_watch() family.
 *
 * Since: libqio 0.1
 */
void qio_channel_set_name(QIOChannel *ioc,
                          const char *name);

/**
 * qio_channel_readv_full:
 * @ioc: the channel
 * @iov: the buffers to fill
 * @niov: the number of elements in @iov
 * @fds: where to store a newly allocated array of received fds, or NULL
 * @nfds: where to store the number of received fds, or NULL
 * @errp: pointer to a NULL-initialized error object
 *
 * Reads data into @iov, filling the buffers in order; fewer bytes than
 * requested may arrive.  When @fds and @nfds are both given, file
 * descriptors sent by the peer are received too: *@fds becomes a
 * g_new()'d array the caller must g_free() (closing each fd), or NULL
 * with *@nfds set to 0 if none came.  Asking for fds from a channel
 * without %QIO_CHANNEL_FEATURE_FD_PASS fails before any I/O happens.
 *
 * Returns: the number of bytes read (> 0), 0 at end of file,
 * %QIO_CHANNEL_ERR_BLOCK if a non-blocking channel has nothing to read,
 * or -1 with @errp set on error
 */
ssize_t qio_channel_readv_full(QIOChannel *ioc,
                               const struct iovec *iov,
                               size_t niov,
                               int **fds,
                               size_t *nfds,
                               Error **errp);

/**
 * qio_channel_writev_full:
 * @ioc: the channel
 * @iov: the buffers to send
 * @niov: the number of elements in @iov
 * @fds: file descriptors to send along with the data, or NULL
 * @nfds: the number of elements in @fds
 * @errp: pointer to a NULL-initialized error object
 *
 * Writes the data in @iov, in order; the channel may accept only part of
 * it, so callers loop.  File descriptors in @fds are sent with the first
 * byte of data.  Passing fds to a channel without
 * %QIO_CHANNEL_FEATURE_FD_PASS fails before any I/O happens.
 *
 * Returns: the number of bytes written (> 0),
 * %QIO_CHANNEL_ERR_BLOCK if a non-blocking channel cannot take any data
 * now, or -1 with @errp set on error
 */
ssize_t qio_channel_writev_full(QIOChannel *ioc,
                                const struct iovec *iov,
                                size_t niov,
                                int *fds,
                                size_t nfds,
                                Error **errp);

/**
 * qio_channel_readv:
 * @ioc: the channel
 * @iov: the buffers to fill
 * @niov: the number of elements in @iov
 * @errp: pointer to a NULL-initialized error object
 *
 * qio_channel_readv_full() without file descriptors.
 *
 * Returns: the number of bytes read (> 0), 0 at end of file,
 * %QIO_CHANNEL_ERR_BLOCK if nothing could be read without blocking, or
 * -1 with @errp set on error
 */
ssize_t qio_channel_readv(QIOChannel *ioc,
                          const struct iovec *iov,
                          size_t niov,
                          Error **errp);

/**
 * qio_channel_writev:
 * @ioc: the channel
 * @iov: the buffers to send
 * @niov: the number of elements in @iov
 * @errp: pointer to a NULL-initialized error object
 *
 * qio_channel_writev_full() without file descriptors.
 *
 * Returns: the number of bytes written (> 0),
 * %QIO_CHANNEL_ERR_BLOCK if nothing could be written without blocking, or
 * -1 with @errp set on error
 */
ssize_t qio_channel_writev(QIOChannel *ioc,
                           const struct iovec *iov,
                           size_t niov,
                           Error **errp);

/**
 * qio_channel_read:
 * @ioc: the channel
 * @buf: the buffer to fill
 * @buflen: the size of @buf
 * @errp: pointer to a NULL-initialized error object
 *
 * Reads into a single buffer; see qio_channel_readv().
 *
 * Returns: the number of bytes read (> 0), 0 at end of file,
 * %QIO_CHANNEL_ERR_BLOCK if nothing could be read without blocking, or
 * -1 with @errp set on error
 */
ssize_t qio_channel_read(QIOChannel *ioc,
                         char *buf,
                         size_t buflen,
                         Error **errp);

/**
 * qio_channel_write:
 * @ioc: the channel
 * @buf: the data to send
 * @buflen: the number of bytes in @buf
 * @errp: pointer to a NULL-initialized error object
 *
 * Writes a single buffer; see qio_channel_writev().
 *
 * Returns: the number of bytes written (> 0),
 * %QIO_CHANNEL_ERR_BLOCK if nothing could be written without blocking, or
 * -1 with @errp set on error
 */
ssize_t qio_channel_write(QIOChannel *ioc,
                          const char *buf,
                          size_t buflen,
                          Error **errp);

/**
 * qio_channel_readv_all_eof:
 * @ioc: the channel
 * @iov: the buffers to fill
 * @niov: the number of elements in @iov
 * @errp: pointer to a NULL-initialized error object
 *
 * Reads until every buffer in @iov is full.  Whenever the channel would
 * block, the caller waits for input: inside a coroutine by
 * qio_channel_yield() (so a main loop must run the default context),
 * elsewhere by qio_channel_wait().  End of file before the first byte is
 * a clean end; end of file after some data is an error.
 *
 * Returns: 1 when all the data was read, 0 on end of file before any
 * byte was read, -1 with @errp set on error or on end of file part-way
 *
 * Since: libqio 0.1
 */
int qio_channel_readv_all_eof(QIOChannel *ioc,
                              const struct iovec *iov,
                              size_t niov,
                              Error **errp);

/**
 * qio_channel_readv_all:
 * @ioc: the channel
 * @iov: the buffers to fill
 * @niov: the number of elements in @iov
 * @errp: pointer to a NULL-initialized error object
 *
 * Like qio_channel_readv_all_eof(), but any end of file before all the
 * data arrived is an error.
 *
 * Returns: 0 when all the data was read, -1 with @errp set otherwise
 *
 * Since: libqio 0.1
 */
int qio_channel_readv_all(QIOChannel *ioc,
                          const struct iovec *iov,
                          size_t niov,
                          Error **errp);

/**
 * qio_channel_writev_all:
 * @ioc: the channel
 * @iov: the buffers to send
 * @niov: the number of elements in @iov
 * @errp: pointer to a NULL-initialized error object
 *
 * Writes until all the data in @iov has been accepted, waiting for the
 * channel to become writable whenever it would block (by
 * qio_channel_yield() inside a coroutine, qio_channel_wait() elsewhere).
 *
 * Returns: 0 when all the data was written, -1 with @errp set on error
 * (some of the data may have been written)
 *
 * Since: libqio 0.1
 */
int qio_channel_writev_all(QIOChannel *ioc,
                           const struct iovec *iov,
                           size_t niov,
                           Error **errp);

/**
 * qio_channel_read_all_eof:
 * @ioc: the channel
 * @buf: the buffer to fill
 * @buflen: the number of bytes to read
 * @errp: pointer to a NULL-initialized error object
 *
 * qio_channel_readv_all_eof() on a single buffer.
 *
 * Returns: 1 when @buflen bytes were read, 0 on end of file before any
 * byte was read, -1 with @errp set on error or on end of file part-way
 *
 * Since: libqio 0.1
 */
int qio_channel_read_all_eof(QIOChannel *ioc,
                             char *buf,
                             size_t buflen,
                             Error **errp);

/**
 * qio_channel_read_all:
 * @ioc: the channel
 * @buf: the buffer to fill
 * @buflen: the number of bytes to read
 * @errp: pointer to a NULL-initialized error object
 *
 * qio_channel_readv_all() on a single buffer.
 *
 * Returns: 0 when @buflen bytes were read, -1 with @errp set otherwise
 * (including end of file)
 *
 * Since: libqio 0.1
 */
int qio_channel_read_all(QIOChannel *ioc,
                         char *buf,
                         size_t buflen,
                         Error **errp);

/**
 * qio_channel_write_all:
 * @ioc: the channel
 * @buf: the data to send
 * @buflen: the number of bytes in @buf
 * @errp: pointer to a NULL-initialized error object
 *
 * qio_channel_writev_all() on a single buffer.
 *
 * Returns: 0 when all @buflen bytes were written, -1 with @errp set on
 * error
 *
 * Since: libqio 0.1
 */
int qio_channel_write_all(QIOChannel *ioc,
                          const char *buf,
                          size_t buflen,
                          Error **errp);

/**
 * qio_channel_set_blocking:
 * @ioc: the channel
 * @enabled: true for blocking mode, false for non-blocking mode
 * @errp: pointer to a NULL-initialized error object
 *
 * Chooses whether I/O calls wait for the channel to become ready
 * (blocking) or return %QIO_CHANNEL_ERR_BLOCK at once (non-blocking).
 *
 * Returns: 0 on success, -1 with @errp set on error
 */
int qio_channel_set_blocking(QIOChannel *ioc,
                             bool enabled,
                             Error **errp);

/**
 * qio_channel_close:
 * @ioc: the channel
 * @errp: pointer to a NULL-initialized error object
 *
 * Releases the resource behind the channel (fd, child process, memory)
 * without freeing the object; drop the last reference with object_unref()
 * to do that.  Further I/O on a closed channel fails.
 *
 * Returns: 0 on success, -1 with @errp set on error
 */
int qio_channel_close(QIOChannel *ioc,
                      Error **errp);

/**
 * qio_channel_shutdown:
 * @ioc: the channel
 * @how: which direction(s) to shut down
 * @errp: pointer to a NULL-initialized error object
 *
 * Stops I/O in the given direction(s) while keeping the channel open, so
 * that a peer sees end of file or a pending operation wakes up.  Only
 * channels with %QIO_CHANNEL_FEATURE_SHUTDOWN support it.
 *
 * Returns: 0 on success, -1 with @errp set on error or when the channel
 * cannot shut down
 */
int qio_channel_shutdown(QIOChannel *ioc,
                         QIOChannelShutdown how,
                         Error **errp);

/**
 * qio_channel_set_delay:
 * @ioc: the channel
 * @enabled: false to push small writes out at once
 *
 * A hint about write latency: with @enabled false the channel sends
 * small writes immediately (e.g. TCP_NODELAY), with true it may delay
 * them to coalesce packets.  Channels for which the notion does not apply
 * ignore it.
 */
void qio_channel_set_delay(QIOChannel *ioc,
                           bool enabled);

/**
 * qio_channel_set_cork:
 * @ioc: the channel
 * @enabled: true to hold back partial packets, false to release them
 *
 * A hint that a series of writes belongs together: while corked the
 * channel may hold data back to send it in full packets, and uncorking
 * flushes it.  Channels for which the notion does not apply ignore it.
 */
void qio_channel_set_cork(QIOChannel *ioc,
                          bool enabled);

/**
 * qio_channel_io_seek:
 * @ioc: the channel
 * @offset: the new position, relative to @whence
 * @whence: SEEK_SET, SEEK_CUR or SEEK_END
 * @errp: pointer to a NULL-initialized error object
 *
 * Moves the position of a channel with random access (files, buffers).
 *
 * Returns: the new position from the start, or -1 with @errp set on
 * error or when the channel cannot seek
 */
off_t qio_channel_io_seek(QIOChannel *ioc,
                          off_t offset,
                          int whence,
                          Error **errp);

/**
 * qio_channel_create_watch:
 * @ioc: the channel
 * @condition: the conditions to wait for
 *
 * Creates a GSource that fires when @ioc is ready for @condition; an
 * error or hang-up on the underlying resource also fires it, so that the
 * next I/O call reports the problem.  Set the callback with
 * g_source_set_callback(), casting a #QIOChannelFunc to #GSourceFunc,
 * then attach it to any context.  The source keeps a reference on @ioc
 * and carries the channel's name, if it has one.
 *
 * Returns: a new, unattached GSource; drop it with g_source_unref()
 */
GSource *qio_channel_create_watch(QIOChannel *ioc,
                                  GIOCondition condition);

/**
 * qio_channel_add_watch:
 * @ioc: the channel
 * @condition: the conditions to wait for
 * @func: the callback to run when ready
 * @user_data: passed to @func
 * @notify: called on @user_data when the watch goes away, or NULL
 *
 * Creates a watch with qio_channel_create_watch() and attaches it to the
 * default main context.  It stays until @func returns FALSE or it is
 * removed with g_source_remove().
 *
 * Returns: the source id in the default main context
 */
guint qio_channel_add_watch(QIOChannel *ioc,
                            GIOCondition condition,
                            QIOChannelFunc func,
                            gpointer user_data,
                            GDestroyNotify notify);

/**
 * qio_channel_add_watch_full:
 * @ioc: the channel
 * @condition: the conditions to wait for
 * @func: the callback to run when ready
 * @user_data: passed to @func
 * @notify: called on @user_data when the watch goes away, or NULL
 * @context: the context to attach to, or NULL for the default one
 *
 * qio_channel_add_watch() for an arbitrary main context.  The id is only
 * meaningful within @context: remove the watch with
 * g_source_destroy(g_main_context_find_source_by_id(context, id)), or
 * g_source_remove() when @context is the default one.
 *
 * Returns: the source id in @context
 *
 * Since: libqio 0.1
 */
guint qio_channel_add_watch_full(QIOChannel *ioc,
                                 GIOCondition condition,
                                 QIOChannelFunc func,
                                 gpointer user_data,
                                 GDestroyNotify notify,
                                 GMainContext *context);

/**
 * qio_channel_yield:
 * @ioc: the channel
 * @condition: the condition to wait for
 *
 * Suspends the calling coroutine until @ioc is ready for @condition, or
 * has hung up or failed.  It must be called inside a coroutine.  The
 * coroutine is re-entered from the calling thread's default main context
 * (the one pushed with g_main_context_push_thread_default(), or the global
 * default context if none was pushed), so some thread must iterate that
 * context (e.g. with a GMainLoop) for the coroutine to resume.
 *
 * The cost of a wait does not grow with the number of other coroutines
 * parked in qio_channel_yield(): channels implementing
 * #QIOChannelClass.io_yield_fd share one epoll set per main context.
 * Others get a one-shot watch of their own.  Closing the fd of a channel
 * while a coroutine is parked on that same channel does not wake it under
 * epoll; shut the channel down (qio_channel_shutdown()) first, which does.
 */
void qio_channel_yield(QIOChannel *ioc,
                       GIOCondition condition);

/**
 * qio_channel_wait:
 * @ioc: the channel
 * @condition: the condition to wait for
 *
 * Blocks the calling thread until @ioc is ready for @condition.  It runs
 * a private main context, so it neither needs nor disturbs the default
 * one and may be used in any thread.
 */
void qio_channel_wait(QIOChannel *ioc,
                      GIOCondition condition);

#endif /* QIO_CHANNEL_H__ */
