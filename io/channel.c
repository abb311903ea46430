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
 * they can consume it from the front as data moves.  Short arrays, the
 * common case, are copied on the stack to keep malloc off the data path.
 */
#define QIO_CHANNEL_IOV_LOCAL 8

typedef struct QIOChannelIOVCursor {
    struct iovec local[QIO_CHANNEL_IOV_LOCAL];
    struct iovec *vec;
    struct iovec *cur;
    size_t n;
} QIOChannelIOVCursor;

static void qio_channel_iov_cursor_init(QIOChannelIOVCursor *c,
                                        const struct iovec *iov,
                                        size_t niov)
{
    size_t i;

    c->vec = niov <= QIO_CHANNEL_IOV_LOCAL ? c->local
                                           : g_new(struct iovec, niov);
    c->n = 0;
    for (i = 0; i < niov; i++) {
        /* Empty elements would make a transfer of 0 bytes look like EOF. */
        if (iov[i].iov_len) {
            c->vec[c->n++] = iov[i];
        }
    }
    c->cur = c->vec;
}

static void qio_channel_iov_cursor_free(QIOChannelIOVCursor *c)
{
    if (c->vec != c->local) {
        g_free(c->vec);
    }
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
    qio_channel_iov_cursor_free(&c);
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
    qio_channel_iov_cursor_free(&c);
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
static void qio_channel_yield_forget(QIOChannel *ioc);
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
 * each main context gets one source that polls a single epoll fd, and the
 * kernel reports only the fds that are ready.
 *
 * A channel's fd joins the set the first time a coroutine yields on it
 * and stays there, edge-triggered, until the channel is closed or
 * finalized, so a wait costs no system call of its own.  Edges that come
 * while nobody waits are remembered in the registration (@pending); a
 * later wait for them returns at once, and the caller, which retries its
 * I/O anyway, sees either data or EAGAIN and waits again.  Hang-up and
 * error edges are never forgotten, as a level-triggered poll would keep
 * reporting them.
 *
 * Events carry a registration number, not a pointer: a finalized channel
 * cannot take its fd out of the set (the fd is already closed, and the
 * number may name another file by now), so an event for a number no
 * longer known is simply dropped.
 *
 * A waiter lives on the stack of the parked coroutine.  Whoever decides
 * to wake it (the dispatch, or qio_channel_close()) detaches it from the
 * registration and queues it; the queue is then run outside the lock.
 *
 * The source lives while some registration or parked coroutine needs
 * it: when the last goes, it is destroyed and its epoll fd closed, so a
 * program with no channels left holds no extra descriptor.
 */
#include <sys/epoll.h>

#define QIO_YIELD_BATCH 128
#define QIO_YIELD_ROUNDS 16
#define QIO_YIELD_EVENTS \
    (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDHUP | EPOLLET)
#define QIO_YIELD_STICKY (EPOLLERR | EPOLLHUP | EPOLLRDHUP)

typedef struct QIOYieldWaiter QIOYieldWaiter;
typedef struct QIOYieldReg QIOYieldReg;
typedef struct QIOYieldSource QIOYieldSource;

struct QIOYieldWaiter {
    Coroutine *co;
    uint32_t events;        /* the epoll events that end this wait */
    bool queued;
    QTAILQ_ENTRY(QIOYieldWaiter) next;
};

struct QIOYieldReg {
    QIOChannel *ioc;        /* the key in qio_yield_regs; no reference */
    QIOYieldSource *source; /* holds a reference to it */
    int fd;
    gsize id;               /* the key in qio_yield_ids and epoll data */
    uint32_t pending;       /* edges seen while nobody waited */
    QIOYieldWaiter *waiter;
};

struct QIOYieldSource {
    GSource parent;
    GMainContext *ctx;      /* the key in qio_yield_sources; no reference */
    int epfd;
    unsigned int nregs;
    unsigned int nwaiters;  /* coroutines parked and not yet resumed */
    unsigned int dispatching;   /* nesting depth of our dispatch */
    bool listed;            /* still reachable from qio_yield_sources */
    QTAILQ_HEAD(, QIOYieldWaiter) ready;
};

/* Protects the tables and every source, registration and waiter. */
static GMutex qio_yield_lock;
static GHashTable *qio_yield_sources;   /* GMainContext * -> source */
static GHashTable *qio_yield_regs;      /* QIOChannel * -> registration */
static GHashTable *qio_yield_ids;       /* id -> registration */
static gsize qio_yield_next_id;

/* The epoll events that end a wait for @condition. */
static uint32_t qio_yield_wait_events(GIOCondition condition)
{
    uint32_t events = EPOLLERR | EPOLLHUP;

    if (condition & G_IO_IN) {
        events |= EPOLLIN | EPOLLRDHUP;
    }
    if (condition & G_IO_PRI) {
        events |= EPOLLPRI;
    }
    if (condition & G_IO_OUT) {
        events |= EPOLLOUT;
    }
    return events;
}

/* Call with the lock held: detaches @w and queues it to be entered. */
static void qio_yield_wake(QIOYieldReg *reg)
{
    QIOYieldWaiter *w = reg->waiter;

    reg->waiter = NULL;
    reg->pending &= ~(w->events & ~QIO_YIELD_STICKY);
    w->queued = true;
    QTAILQ_INSERT_TAIL(&reg->source->ready, w, next);
}

/* Call with the lock held; true if the caller must drop @s. */
static bool qio_yield_source_unlist_if_idle(QIOYieldSource *s)
{
    if (s->nregs || s->nwaiters || s->dispatching || !s->listed) {
        return false;
    }
    g_hash_table_remove(qio_yield_sources, s->ctx);
    s->listed = false;
    return true;
}

/* Drops the table's reference; the context's goes with the destroy. */
static void qio_yield_source_drop(QIOYieldSource *s)
{
    g_source_destroy(&s->parent);
    g_source_unref(&s->parent);
}

/*
 * Call with the lock held: forgets @reg, first taking its fd out of the
 * set when @fd_open says the fd still names the registered file.
 * Returns the source to drop after unlocking, or NULL.
 */
static QIOYieldSource *qio_yield_reg_free(QIOYieldReg *reg, bool fd_open)
{
    QIOYieldSource *s = reg->source;
    bool drop;

    if (fd_open) {
        epoll_ctl(s->epfd, EPOLL_CTL_DEL, reg->fd, NULL);
    }
    g_hash_table_remove(qio_yield_regs, reg->ioc);
    g_hash_table_remove(qio_yield_ids, GSIZE_TO_POINTER(reg->id));
    s->nregs--;
    drop = qio_yield_source_unlist_if_idle(s);
    g_free(reg);
    /* The registration's reference; the table's keeps @s for @drop. */
    g_source_unref(&s->parent);
    return drop ? s : NULL;
}

/*
 * Called by qio_channel_close() while @ioc's fd is still open: takes it
 * out of the set, and wakes the coroutine parked on it, which then finds
 * the channel closed (as a watch would fire on POLLNVAL).
 */
static void qio_channel_yield_wake_closing(QIOChannel *ioc)
{
    QIOYieldSource *drop = NULL;
    QIOYieldReg *reg;

    g_mutex_lock(&qio_yield_lock);
    reg = qio_yield_regs ? g_hash_table_lookup(qio_yield_regs, ioc) : NULL;
    if (reg) {
        if (reg->waiter) {
            qio_yield_wake(reg);
            /* The epoll fd will not report it: make the source dispatch. */
            g_source_set_ready_time(&reg->source->parent, 0);
        }
        drop = qio_yield_reg_free(reg, true);
    }
    g_mutex_unlock(&qio_yield_lock);
    if (drop) {
        qio_yield_source_drop(drop);
    }
}

/* Called when @ioc is finalized, after its fd was closed. */
static void qio_channel_yield_forget(QIOChannel *ioc)
{
    QIOYieldSource *drop = NULL;
    QIOYieldReg *reg;

    g_mutex_lock(&qio_yield_lock);
    reg = qio_yield_regs ? g_hash_table_lookup(qio_yield_regs, ioc) : NULL;
    if (reg) {
        drop = qio_yield_reg_free(reg, false);
    }
    g_mutex_unlock(&qio_yield_lock);
    if (drop) {
        qio_yield_source_drop(drop);
    }
}

/* Call with the lock held: records one batch of events. */
static void qio_yield_source_collect(QIOYieldSource *s)
{
    struct epoll_event ev[QIO_YIELD_BATCH];
    QIOYieldReg *reg;
    int n, i;

    do {
        n = epoll_wait(s->epfd, ev, QIO_YIELD_BATCH, 0);
    } while (n < 0 && errno == EINTR);
    for (i = 0; i < n; i++) {
        reg = g_hash_table_lookup(qio_yield_ids,
                                  GSIZE_TO_POINTER(ev[i].data.u64));
        if (!reg) {
            continue;       /* a finalized channel's last edges */
        }
        reg->pending |= ev[i].events;
        if (reg->waiter && (reg->pending & reg->waiter->events)) {
            qio_yield_wake(reg);
        }
    }
}

static gboolean qio_yield_source_dispatch(GSource *source,
                                          GSourceFunc callback,
                                          gpointer user_data)
{
    QIOYieldSource *s = (QIOYieldSource *)source;
    QIOYieldWaiter *w;
    bool drop;
    int round;

    g_source_set_ready_time(source, -1);
    g_mutex_lock(&qio_yield_lock);
    s->dispatching++;
    /*
     * The coroutines entered here often make other parked coroutines
     * ready at once (one writes what another waits to read).  Looking
     * again before returning to GLib saves a whole main loop iteration
     * per hand-over; the bound keeps other sources from starving.
     */
    for (round = 0; round < QIO_YIELD_ROUNDS; round++) {
        qio_yield_source_collect(s);
        if (QTAILQ_EMPTY(&s->ready)) {
            break;
        }
        while ((w = QTAILQ_FIRST(&s->ready)) != NULL) {
            Coroutine *co = w->co;

            QTAILQ_REMOVE(&s->ready, w, next);
            w->queued = false;
            g_mutex_unlock(&qio_yield_lock);
            qemu_coroutine_enter(co, NULL);
            g_mutex_lock(&qio_yield_lock);
        }
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
        qio_yield_regs = g_hash_table_new(NULL, NULL);
        qio_yield_ids = g_hash_table_new(NULL, NULL);
    }
    s = g_hash_table_lookup(qio_yield_sources, ctx);
    if (s && !g_source_is_destroyed(&s->parent)) {
        return s;
    }
    if (s) {
        /*
         * The context was freed and its address reused: forget the old
         * source.  Its registrations keep it in memory until they go.
         */
        g_hash_table_remove(qio_yield_sources, ctx);
        s->listed = false;
        g_source_unref(&s->parent);
    }
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        return NULL;
    }
    source = g_source_new(&qio_yield_source_funcs, sizeof(QIOYieldSource));
    s = (QIOYieldSource *)source;
    s->ctx = ctx;
    s->epfd = epfd;
    s->nregs = 0;
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
 * Call with the lock held: @ioc's registration in @s for @fd, made if
 * needed.  Returns NULL when the fd cannot go into the set (a regular
 * file, or another registration of the same file) or another coroutine
 * already waits on the channel there; *@drop may then name a source to
 * drop after unlocking.
 */
static QIOYieldReg *qio_yield_reg_get(QIOYieldSource *s, QIOChannel *ioc,
                                      int fd, QIOYieldSource **drop)
{
    struct epoll_event ev = { .events = QIO_YIELD_EVENTS };
    QIOYieldReg *reg = g_hash_table_lookup(qio_yield_regs, ioc);

    if (reg && reg->waiter) {
        return NULL;
    }
    if (reg && (reg->source != s || reg->fd != fd)) {
        /* The channel moved to another context, or changed its fd. */
        *drop = qio_yield_reg_free(reg, reg->fd == fd);
        reg = NULL;
    }
    if (reg) {
        return reg;
    }
    ev.data.u64 = ++qio_yield_next_id;
    if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        return NULL;
    }
    reg = g_new0(QIOYieldReg, 1);
    reg->ioc = ioc;
    reg->source = s;
    reg->fd = fd;
    reg->id = ev.data.u64;
    g_source_ref(&s->parent);
    s->nregs++;
    g_hash_table_insert(qio_yield_regs, ioc, reg);
    g_hash_table_insert(qio_yield_ids, GSIZE_TO_POINTER(reg->id), reg);
    return reg;
}

/*
 * Parks the calling coroutine until @fd is ready for @condition, or
 * returns at once if an edge for it came since the last wait.  Returns
 * false, without waiting, if the channel cannot use the epoll set, so
 * that the caller falls back to a watch.
 */
static bool coroutine_fn qio_channel_yield_epoll(QIOChannel *ioc,
                                                 GMainContext *ctx,
                                                 int fd,
                                                 GIOCondition condition)
{
    QIOYieldWaiter w = {
        .co = qemu_coroutine_self(),
        .events = qio_yield_wait_events(condition),
    };
    QIOYieldSource *s, *drop = NULL, *idle = NULL;
    QIOYieldReg *reg;

    g_mutex_lock(&qio_yield_lock);
    s = qio_yield_source_get(ctx);
    reg = s ? qio_yield_reg_get(s, ioc, fd, &drop) : NULL;
    if (!reg || (reg->pending & w.events)) {
        if (reg) {
            reg->pending &= ~(w.events & ~QIO_YIELD_STICKY);
        } else if (s && qio_yield_source_unlist_if_idle(s)) {
            idle = s;
        }
        g_mutex_unlock(&qio_yield_lock);
        if (drop) {
            qio_yield_source_drop(drop);
        }
        if (idle) {
            qio_yield_source_drop(idle);
        }
        return reg != NULL;
    }
    reg->waiter = &w;
    s->nwaiters++;
    g_mutex_unlock(&qio_yield_lock);
    if (drop) {
        qio_yield_source_drop(drop);
    }

    /* Like a watch, a parked coroutine keeps its channel alive. */
    object_ref(OBJECT(ioc));
    qemu_coroutine_yield();

    g_mutex_lock(&qio_yield_lock);
    if (w.queued) {
        QTAILQ_REMOVE(&s->ready, &w, next);
    }
    s->nwaiters--;
    idle = qio_yield_source_unlist_if_idle(s) ? s : NULL;
    g_mutex_unlock(&qio_yield_lock);
    if (idle) {
        qio_yield_source_drop(idle);
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

#ifdef __linux__
    qio_channel_yield_forget(ioc);
#endif
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
