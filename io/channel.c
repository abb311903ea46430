/*
 * libqio: the abstract I/O channel, its generic entry points and the
 * waiting helpers built on channel watches.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel.h"
#include "qemu/coroutine.h"
#include "qemu/queue.h"

/*
 * Implementations advertise a feature by setting the bit numbered by the
 * enum value, not the enum value itself.  Both the setter and the query
 * go through this one helper so they cannot disagree.
 */
static unsigned int qio_channel_feature_bit(QIOChannelFeature feature)
{
    return 1u << feature;
}

bool qio_channel_has_feature(QIOChannel *ioc,
                             QIOChannelFeature feature)
{
    return (ioc->features & qio_channel_feature_bit(feature)) != 0;
}

void qio_channel_set_feature(QIOChannel *ioc,
                             QIOChannelFeature feature)
{
    ioc->features |= qio_channel_feature_bit(feature);
}

void qio_channel_set_name(QIOChannel *ioc,
                          const char *name)
{
    g_free(ioc->name);
    ioc->name = g_strdup(name);
}

ssize_t qio_channel_readv_full(QIOChannel *ioc,
                               const struct iovec *iov,
                               size_t niov,
                               int **fds,
                               size_t *nfds,
                               Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if ((fds || nfds) &&
        !qio_channel_has_feature(ioc, QIO_CHANNEL_FEATURE_FD_PASS)) {
        error_setg_errno(errp, EINVAL,
                         "Channel does not support file descriptor passing");
        return -1;
    }

    return klass->io_readv(ioc, iov, niov, fds, nfds, errp);
}

ssize_t qio_channel_writev_full(QIOChannel *ioc,
                                const struct iovec *iov,
                                size_t niov,
                                int *fds,
                                size_t nfds,
                                Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if ((fds || nfds) &&
        !qio_channel_has_feature(ioc, QIO_CHANNEL_FEATURE_FD_PASS)) {
        error_setg_errno(errp, EINVAL,
                         "Channel does not support file descriptor passing");
        return -1;
    }

    return klass->io_writev(ioc, iov, niov, fds, nfds, errp);
}

ssize_t qio_channel_readv(QIOChannel *ioc,
                          const struct iovec *iov,
                          size_t niov,
                          Error **errp)
{
    return qio_channel_readv_full(ioc, iov, niov, NULL, NULL, errp);
}

ssize_t qio_channel_writev(QIOChannel *ioc,
                           const struct iovec *iov,
                           size_t niov,
                           Error **errp)
{
    return qio_channel_writev_full(ioc, iov, niov, NULL, 0, errp);
}

ssize_t qio_channel_read(QIOChannel *ioc,
                         char *buf,
                         size_t buflen,
                         Error **errp)
{
    struct iovec iov = { .iov_base = buf, .iov_len = buflen };

    return qio_channel_readv_full(ioc, &iov, 1, NULL, NULL, errp);
}

ssize_t qio_channel_write(QIOChannel *ioc,
                          const char *buf,
                          size_t buflen,
                          Error **errp)
{
    struct iovec iov = { .iov_base = (char *)buf, .iov_len = buflen };

    return qio_channel_writev_full(ioc, &iov, 1, NULL, 0, errp);
}

/*
 * The _all helpers work on a private copy of the caller's iovec array so
 * they can consume it from the front as data moves.
 */
typedef struct QIOChannelIOVCursor {
    struct iovec *vec;
    struct iovec *cur;
    size_t n;
} QIOChannelIOVCursor;

static void qio_channel_iov_cursor_init(QIOChannelIOVCursor *c,
                                        const struct iovec *iov,
                                        size_t niov)
{
    size_t i;

    c->vec = g_new(struct iovec, niov ? niov : 1);
    c->n = 0;
    for (i = 0; i < niov; i++) {
        /* Empty elements would make a transfer of 0 bytes look like EOF. */
        if (iov[i].iov_len) {
            c->vec[c->n++] = iov[i];
        }
    }
    c->cur = c->vec;
}

static void qio_channel_iov_cursor_advance(QIOChannelIOVCursor *c,
                                           size_t done)
{
    while (done && c->n) {
        if (done < c->cur->iov_len) {
            c->cur->iov_base = (char *)c->cur->iov_base + done;
            c->cur->iov_len -= done;
            return;
        }
        done -= c->cur->iov_len;
        c->cur++;
        c->n--;
    }
    assert(done == 0);
}

static void qio_channel_wait_ready(QIOChannel *ioc, GIOCondition condition)
{
    if (qemu_in_coroutine()) {
        qio_channel_yield(ioc, condition);
    } else {
        qio_channel_wait(ioc, condition);
    }
}

int qio_channel_readv_all_eof(QIOChannel *ioc,
                              const struct iovec *iov,
                              size_t niov,
                              Error **errp)
{
    QIOChannelIOVCursor c;
    bool got_data = false;
    int ret = -1;

    qio_channel_iov_cursor_init(&c, iov, niov);
    while (c.n) {
        ssize_t len = qio_channel_readv(ioc, c.cur, c.n, errp);

        if (len == QIO_CHANNEL_ERR_BLOCK) {
            qio_channel_wait_ready(ioc, G_IO_IN);
            continue;
        }
        if (len < 0) {
            goto out;
        }
        if (len == 0) {
            if (got_data) {
                error_setg(errp, "Unexpected end-of-file before all data "
                           "were read");
            } else {
                ret = 0;
            }
            goto out;
        }
        got_data = true;
        qio_channel_iov_cursor_advance(&c, len);
    }
    ret = 1;

 out:
    g_free(c.vec);
    return ret;
}

int qio_channel_readv_all(QIOChannel *ioc,
                          const struct iovec *iov,
                          size_t niov,
                          Error **errp)
{
    int ret = qio_channel_readv_all_eof(ioc, iov, niov, errp);

    if (ret == 0) {
        error_setg(errp, "Unexpected end-of-file before all data were read");
        return -1;
    }
    return ret == 1 ? 0 : -1;
}

int qio_channel_writev_all(QIOChannel *ioc,
                           const struct iovec *iov,
                           size_t niov,
                           Error **errp)
{
    QIOChannelIOVCursor c;
    int ret = -1;

    qio_channel_iov_cursor_init(&c, iov, niov);
    while (c.n) {
        ssize_t len = qio_channel_writev(ioc, c.cur, c.n, errp);

        if (len == QIO_CHANNEL_ERR_BLOCK) {
            qio_channel_wait_ready(ioc, G_IO_OUT);
            continue;
        }
        if (len < 0) {
            goto out;
        }
        if (len == 0) {
            /* Looping again would spin forever on a channel like that. */
            error_setg(errp, "Channel accepted no data");
            goto out;
        }
        qio_channel_iov_cursor_advance(&c, len);
    }
    ret = 0;

 out:
    g_free(c.vec);
    return ret;
}

int qio_channel_read_all_eof(QIOChannel *ioc,
                             char *buf,
                             size_t buflen,
                             Error **errp)
{
    struct iovec iov = { .iov_base = buf, .iov_len = buflen };

    return qio_channel_readv_all_eof(ioc, &iov, 1, errp);
}

int qio_channel_read_all(QIOChannel *ioc,
                         char *buf,
                         size_t buflen,
                         Error **errp)
{
    struct iovec iov = { .iov_base = buf, .iov_len = buflen };

    return qio_channel_readv_all(ioc, &iov, 1, errp);
}

int qio_channel_write_all(QIOChannel *ioc,
                          const char *buf,
                          size_t buflen,
                          Error **errp)
{
    struct iovec iov = { .iov_base = (char *)buf, .iov_len = buflen };

    return qio_channel_writev_all(ioc, &iov, 1, errp);
}

int qio_channel_set_blocking(QIOChannel *ioc,
                             bool enabled,
                             Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    return klass->io_set_blocking(ioc, enabled, errp);
}

#ifdef __linux__
static void qio_channel_yield_wake_closing(QIOChannel *ioc);
#endif

int qio_channel_close(QIOChannel *ioc,
                      Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

#ifdef __linux__
    qio_channel_yield_wake_closing(ioc);
#endif
    return klass->io_close(ioc, errp);
}

int qio_channel_shutdown(QIOChannel *ioc,
                         QIOChannelShutdown how,
                         Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if (!klass->io_shutdown) {
        error_setg(errp, "Data path shutdown not supported by this channel");
        return -1;
    }
    return klass->io_shutdown(ioc, how, errp);
}

void qio_channel_set_delay(QIOChannel *ioc,
                           bool enabled)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if (klass->io_set_delay) {
        klass->io_set_delay(ioc, enabled);
    }
}

void qio_channel_set_cork(QIOChannel *ioc,
                          bool enabled)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if (klass->io_set_cork) {
        klass->io_set_cork(ioc, enabled);
    }
}

off_t qio_channel_io_seek(QIOChannel *ioc,
                          off_t offset,
                          int whence,
                          Error **errp)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);

    if (!klass->io_seek) {
        error_setg(errp, "Channel does not support random access");
        return -1;
    }
    return klass->io_seek(ioc, offset, whence, errp);
}

GSource *qio_channel_create_watch(QIOChannel *ioc,
                                  GIOCondition condition)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);
    GSource *source = klass->io_create_watch(ioc, condition);

    if (ioc->name) {
        g_source_set_name(source, ioc->name);
    }
    return source;
}

guint qio_channel_add_watch_full(QIOChannel *ioc,
                                 GIOCondition condition,
                                 QIOChannelFunc func,
                                 gpointer user_data,
                                 GDestroyNotify notify,
                                 GMainContext *context)
{
    GSource *source = qio_channel_create_watch(ioc, condition);
    guint id;

    g_source_set_callback(source, (GSourceFunc)(void (*)(void))func,
                          user_data, notify);
    id = g_source_attach(source, context);
    g_source_unref(source);
    return id;
}

guint qio_channel_add_watch(QIOChannel *ioc,
                            GIOCondition condition,
                            QIOChannelFunc func,
                            gpointer user_data,
                            GDestroyNotify notify)
{
    return qio_channel_add_watch_full(ioc, condition, func, user_data,
                                      notify, NULL);
}

static gboolean qio_channel_yield_ready(QIOChannel *ioc,
                                        GIOCondition condition,
                                        gpointer opaque)
{
    Coroutine *co = opaque;

    qemu_coroutine_enter(co, NULL);
    return FALSE;
}

#ifdef __linux__
/*
 * Yield at scale.  GLib walks every attached source and rebuilds its poll
 * array on each iteration, so a watch per parked coroutine makes every
 * event cost time proportional to the number of idle channels.  Instead,
 * each main context gets one source that polls a single epoll fd; parked
 * coroutines add their channel's fd to that set for the duration of the
 * wait.  The kernel then reports only the fds that are ready.
 *
 * A waiter lives on the stack of the parked coroutine, which cannot
 * return before the waiter is removed again, so the epoll set may point
 * at it directly.  Ready waiters are first moved to a queue under the
 * lock and then entered one by one, so a coroutine that resumes (and so
 * frees its waiter) for another reason is simply unlinked from the queue.
 *
 * The source exists only while some coroutine waits in it: the last
 * waiter to leave destroys it and closes the epoll fd, so an idle program
 * holds no extra descriptor.
 *
 * Closing a channel would silently drop its fd from the epoll set and
 * strand the coroutine parked on it, so qio_channel_close() first takes
 * the fd out itself and wakes that coroutine, which then sees the closed
 * channel, as it would with a watch (which fires on POLLNVAL).
 */
#include <sys/epoll.h>

#define QIO_YIELD_BATCH 128

typedef struct QIOYieldWaiter QIOYieldWaiter;

typedef struct QIOYieldSource QIOYieldSource;

struct QIOYieldWaiter {
    Coroutine *co;
    QIOChannel *ioc;
    QIOYieldSource *source;
    int fd;                 /* in the epoll set, or -1 once taken out */
    bool queued;
    QTAILQ_ENTRY(QIOYieldWaiter) next;
};

struct QIOYieldSource {
    GSource parent;
    GMainContext *ctx;      /* the key in qio_yield_sources; no reference */
    int epfd;
    unsigned int nwaiters;
    unsigned int dispatching;   /* nesting depth of our dispatch */
    bool listed;            /* still reachable from qio_yield_sources */
    QTAILQ_HEAD(, QIOYieldWaiter) ready;
};

/*
 * Protects qio_yield_sources, qio_yield_waiters, and the fields of every
 * QIOYieldSource and parked QIOYieldWaiter.
 */
static GMutex qio_yield_lock;
static GHashTable *qio_yield_sources;   /* GMainContext * -> source */
/* A channel's fd is in an epoll set at most once, so one waiter each. */
static GHashTable *qio_yield_waiters;   /* QIOChannel * -> waiter */

/* Call with the lock held: queues @w to be entered by its source. */
static void qio_yield_waiter_queue(QIOYieldWaiter *w)
{
    if (!w->queued) {
        w->queued = true;
        QTAILQ_INSERT_TAIL(&w->source->ready, w, next);
    }
}

/* Call with the lock held: takes @w's fd out of the epoll set. */
static void qio_yield_waiter_unregister(QIOYieldWaiter *w)
{
    if (w->fd >= 0) {
        epoll_ctl(w->source->epfd, EPOLL_CTL_DEL, w->fd, NULL);
        w->fd = -1;
        g_hash_table_remove(qio_yield_waiters, w->ioc);
    }
}

/*
 * Wakes the coroutine parked in the epoll set on @ioc, if any, before
 * the channel's fd is closed.
 */
static void qio_channel_yield_wake_closing(QIOChannel *ioc)
{
    QIOYieldWaiter *w;

    g_mutex_lock(&qio_yield_lock);
    w = qio_yield_waiters ? g_hash_table_lookup(qio_yield_waiters, ioc)
                          : NULL;
    if (w) {
        qio_yield_waiter_unregister(w);
        qio_yield_waiter_queue(w);
        /* The epoll fd will not report it: make the source dispatch. */
        g_source_set_ready_time(&w->source->parent, 0);
    }
    g_mutex_unlock(&qio_yield_lock);
}

/* Call with the lock held; true if the caller must destroy @s. */
static bool qio_yield_source_unlist_if_idle(QIOYieldSource *s)
{
    if (s->nwaiters || s->dispatching || !s->listed) {
        return false;
    }
    g_hash_table_remove(qio_yield_sources, s->ctx);
    s->listed = false;
    return true;
}

static void qio_yield_source_drop(QIOYieldSource *s)
{
    g_source_destroy(&s->parent);
    g_source_unref(&s->parent);
}

static gboolean qio_yield_source_dispatch(GSource *source,
                                          GSourceFunc callback,
                                          gpointer user_data)
{
    QIOYieldSource *s = (QIOYieldSource *)source;
    struct epoll_event ev[QIO_YIELD_BATCH];
    QIOYieldWaiter *w;
    bool drop;
    int n, i;

    g_source_set_ready_time(source, -1);
    g_mutex_lock(&qio_yield_lock);
    do {
        n = epoll_wait(s->epfd, ev, QIO_YIELD_BATCH, 0);
    } while (n < 0 && errno == EINTR);
    for (i = 0; i < n; i++) {
        qio_yield_waiter_queue(ev[i].data.ptr);
    }
    s->dispatching++;
    while ((w = QTAILQ_FIRST(&s->ready)) != NULL) {
        Coroutine *co = w->co;

        QTAILQ_REMOVE(&s->ready, w, next);
        w->queued = false;
        g_mutex_unlock(&qio_yield_lock);
        qemu_coroutine_enter(co, NULL);
        g_mutex_lock(&qio_yield_lock);
    }
    s->dispatching--;
    drop = qio_yield_source_unlist_if_idle(s);
    g_mutex_unlock(&qio_yield_lock);
    if (drop) {
        /* The table's reference; returning FALSE destroys the source. */
        g_source_unref(source);
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

static void qio_yield_source_finalize(GSource *source)
{
    QIOYieldSource *s = (QIOYieldSource *)source;

    close(s->epfd);
}

static GSourceFuncs qio_yield_source_funcs = {
    .dispatch = qio_yield_source_dispatch,
    .finalize = qio_yield_source_finalize,
};

/* Call with the lock held.  Returns NULL if no epoll fd is available. */
static QIOYieldSource *qio_yield_source_get(GMainContext *ctx)
{
    QIOYieldSource *s;
    GSource *source;
    int epfd;

    if (!qio_yield_sources) {
        qio_yield_sources = g_hash_table_new(NULL, NULL);
        qio_yield_waiters = g_hash_table_new(NULL, NULL);
    }
    s = g_hash_table_lookup(qio_yield_sources, ctx);
    if (s && !g_source_is_destroyed(&s->parent)) {
        return s;
    }
    if (s) {
        /*
         * The context was freed and its address reused: forget the old
         * source, whose waiters can never be woken any more.
         */
        g_hash_table_remove(qio_yield_sources, ctx);
        s->listed = false;
    }
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        return NULL;
    }
    source = g_source_new(&qio_yield_source_funcs, sizeof(QIOYieldSource));
    s = (QIOYieldSource *)source;
    s->ctx = ctx;
    s->epfd = epfd;
    s->nwaiters = 0;
    s->dispatching = 0;
    s->listed = true;
    QTAILQ_INIT(&s->ready);
    g_source_set_name(source, "qio-channel-yield");
    g_source_set_can_recurse(source, TRUE);
    g_source_add_unix_fd(source, epfd, G_IO_IN);
    g_source_attach(source, ctx);
    g_hash_table_insert(qio_yield_sources, ctx, s);
    return s;
}

/*
 * Parks the calling coroutine until @fd is ready.  Returns false, without
 * yielding, if the fd cannot go into an epoll set (a regular file, an fd
 * another coroutine already waits on) so that the caller falls back to a
 * watch.
 */
static bool coroutine_fn qio_channel_yield_epoll(QIOChannel *ioc,
                                                 GMainContext *ctx,
                                                 int fd,
                                                 GIOCondition condition)
{
    QIOYieldWaiter w = {
        .co = qemu_coroutine_self(), .ioc = ioc, .fd = -1, .queued = false,
    };
    struct epoll_event ev = { .events = 0, .data.ptr = &w };
    QIOYieldSource *s;
    bool drop;

    if (condition & G_IO_IN) {
        ev.events |= EPOLLIN;
    }
    if (condition & G_IO_PRI) {
        ev.events |= EPOLLPRI;
    }
    if (condition & G_IO_OUT) {
        ev.events |= EPOLLOUT;
    }

    g_mutex_lock(&qio_yield_lock);
    s = qio_yield_source_get(ctx);
    if (!s) {
        g_mutex_unlock(&qio_yield_lock);
        return false;
    }
    if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        drop = qio_yield_source_unlist_if_idle(s);
        g_mutex_unlock(&qio_yield_lock);
        if (drop) {
            qio_yield_source_drop(s);
        }
        return false;
    }
    w.source = s;
    w.fd = fd;
    g_hash_table_insert(qio_yield_waiters, ioc, &w);
    s->nwaiters++;
    g_mutex_unlock(&qio_yield_lock);

    /* Like a watch, a parked coroutine keeps its channel alive. */
    object_ref(OBJECT(ioc));
    qemu_coroutine_yield();

    g_mutex_lock(&qio_yield_lock);
    qio_yield_waiter_unregister(&w);
    if (w.queued) {
        QTAILQ_REMOVE(&s->ready, &w, next);
    }
    s->nwaiters--;
    drop = qio_yield_source_unlist_if_idle(s);
    g_mutex_unlock(&qio_yield_lock);
    if (drop) {
        qio_yield_source_drop(s);
    }
    object_unref(OBJECT(ioc));
    return true;
}
#endif /* __linux__ */

void coroutine_fn qio_channel_yield(QIOChannel *ioc,
                                    GIOCondition condition)
{
    QIOChannelClass *klass = QIO_CHANNEL_GET_CLASS(ioc);
    GMainContext *ctx;

    assert(qemu_in_coroutine());
    ctx = g_main_context_ref_thread_default();
#ifdef __linux__
    if (klass->io_yield_fd) {
        int fd = klass->io_yield_fd(ioc, condition);

        if (fd >= 0 && qio_channel_yield_epoll(ioc, ctx, fd, condition)) {
            g_main_context_unref(ctx);
            return;
        }
    }
#else
    (void)klass;
#endif
    qio_channel_add_watch_full(ioc, condition, qio_channel_yield_ready,
                               qemu_coroutine_self(), NULL, ctx);
    g_main_context_unref(ctx);
    qemu_coroutine_yield();
}

static gboolean qio_channel_wait_ready_cb(QIOChannel *ioc,
                                          GIOCondition condition,
                                          gpointer opaque)
{
    bool *ready = opaque;

    *ready = true;
    return FALSE;
}

void qio_channel_wait(QIOChannel *ioc,
                      GIOCondition condition)
{
    GMainContext *ctx = g_main_context_new();
    GSource *source = qio_channel_create_watch(ioc, condition);
    bool ready = false;

    g_source_set_callback(source,
                          (GSourceFunc)(void (*)(void))
                          qio_channel_wait_ready_cb,
                          &ready, NULL);
    g_source_attach(source, ctx);
    while (!ready) {
        g_main_context_iteration(ctx, TRUE);
    }
    g_source_destroy(source);
    g_source_unref(source);
    g_main_context_unref(ctx);
}

static void qio_channel_finalize(Object *obj)
{
    QIOChannel *ioc = QIO_CHANNEL(obj);

    g_free(ioc->name);
}

static const TypeInfo qio_channel_info = {
    .parent = TYPE_OBJECT,
    .name = TYPE_QIO_CHANNEL,
    .instance_size = sizeof(QIOChannel),
    .instance_finalize = qio_channel_finalize,
    .abstract = true,
    .class_size = sizeof(QIOChannelClass),
};

static void qio_channel_register_types(void)
{
    type_register_static(&qio_channel_info);
}

type_init(qio_channel_register_types)
