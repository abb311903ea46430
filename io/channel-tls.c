/*
 * QIOChannelTLS: TLS over any QIOChannel, using QCryptoTLSSession with
 * the master channel as transport.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-tls.h"

/* Transport callbacks of the session: plain I/O on the master. */
static ssize_t qio_channel_tls_write_handler(const char *buf,
                                             size_t len,
                                             void *opaque)
{
    QIOChannelTLS *tioc = opaque;
    ssize_t ret = qio_channel_write(tioc->master, buf, len, NULL);

    if (ret == QIO_CHANNEL_ERR_BLOCK) {
        errno = EAGAIN;
        return -1;
    }
    if (ret < 0) {
        errno = EIO;
        return -1;
    }
    return ret;
}

static ssize_t qio_channel_tls_read_handler(char *buf,
                                            size_t len,
                                            void *opaque)
{
    QIOChannelTLS *tioc = opaque;
    ssize_t ret = qio_channel_read(tioc->master, buf, len, NULL);

    if (ret == QIO_CHANNEL_ERR_BLOCK) {
        errno = EAGAIN;
        return -1;
    }
    if (ret < 0) {
        errno = EIO;
        return -1;
    }
    return ret;
}

static QIOChannelTLS *qio_channel_tls_new(QIOChannel *master,
                                          QCryptoTLSCreds *creds,
                                          const char *hostname,
                                          const char *aclname,
                                          QCryptoTLSCredsEndpoint endpoint,
                                          Error **errp)
{
    QIOChannelTLS *ioc = QIO_CHANNEL_TLS(object_new(TYPE_QIO_CHANNEL_TLS));

    ioc->master = master;
    object_ref(OBJECT(master));

    ioc->session = qcrypto_tls_session_new(creds, hostname, aclname,
                                           endpoint, errp);
    if (!ioc->session) {
        object_unref(OBJECT(ioc));
        return NULL;
    }
    qcrypto_tls_session_set_callbacks(ioc->session,
                                      qio_channel_tls_write_handler,
                                      qio_channel_tls_read_handler,
                                      ioc);
    return ioc;
}

QIOChannelTLS *qio_channel_tls_new_server(QIOChannel *master,
                                          QCryptoTLSCreds *creds,
                                          const char *aclname,
                                          Error **errp)
{
    return qio_channel_tls_new(master, creds, NULL, aclname,
                               QCRYPTO_TLS_CREDS_ENDPOINT_SERVER, errp);
}

QIOChannelTLS *qio_channel_tls_new_client(QIOChannel *master,
                                          QCryptoTLSCreds *creds,
                                          const char *hostname,
                                          Error **errp)
{
    QIOChannelTLS *ioc = qio_channel_tls_new(
        master, creds, hostname, NULL,
        QCRYPTO_TLS_CREDS_ENDPOINT_CLIENT, errp);

    if (ioc && qio_channel_has_feature(master,
                                       QIO_CHANNEL_FEATURE_SHUTDOWN)) {
        qio_channel_set_feature(QIO_CHANNEL(ioc),
                                QIO_CHANNEL_FEATURE_SHUTDOWN);
    }
    return ioc;
}

/*
 * Ends the handshake task.  Completing the task drops its reference on
 * the channel, which may be the last one, so the caller must not touch
 * @ioc afterwards unless it holds a reference of its own.
 */
static void qio_channel_tls_handshake_finish(QIOChannelTLS *ioc,
                                             Error *err)
{
    QIOTask *task = ioc->hs_task;

    ioc->hs_task = NULL;
    if (err) {
        qio_task_abort(task, err);
        error_free(err);
    } else {
        qio_task_complete(task);
    }
}

static gboolean qio_channel_tls_handshake_io(QIOChannel *master,
                                             GIOCondition condition,
                                             gpointer opaque);

static void qio_channel_tls_handshake_step(QIOChannelTLS *ioc)
{
    Error *err = NULL;
    QCryptoTLSSessionHandshakeStatus status;
    GIOCondition condition;

    if (qcrypto_tls_session_handshake(ioc->session, &err) < 0) {
        qio_channel_tls_handshake_finish(ioc, err);
        return;
    }

    status = qcrypto_tls_session_get_handshake_status(ioc->session);
    if (status == QCRYPTO_TLS_HANDSHAKE_COMPLETE) {
        qcrypto_tls_session_check_credentials(ioc->session, &err);
        qio_channel_tls_handshake_finish(ioc, err);
        return;
    }

    condition = status == QCRYPTO_TLS_HANDSHAKE_SENDING ? G_IO_OUT : G_IO_IN;
    /* The task's reference keeps @ioc alive for as long as the watch. */
    ioc->hs_ioc_tag = qio_channel_add_watch(ioc->master, condition,
                                            qio_channel_tls_handshake_io,
                                            ioc, NULL);
}

static gboolean qio_channel_tls_handshake_io(QIOChannel *master,
                                             GIOCondition condition,
                                             gpointer opaque)
{
    QIOChannelTLS *ioc = opaque;

    ioc->hs_ioc_tag = 0;
    /*
     * The master was closed under the handshake (typically by a caller
     * that has already dropped its reference to us and has no other way
     * to stop it): there is nothing left to talk to, so end the task now
     * rather than let GnuTLS find out through a failed read.
     */
    if (condition & G_IO_NVAL) {
        Error *err = NULL;

        error_setg(&err, "TLS handshake cancelled: the master channel "
                   "was closed");
        qio_channel_tls_handshake_finish(ioc, err);
        return FALSE;
    }
    qio_channel_tls_handshake_step(ioc);
    return FALSE;
}

void qio_channel_tls_handshake(QIOChannelTLS *ioc,
                               QIOTaskFunc func,
                               gpointer opaque,
                               GDestroyNotify destroy)
{
    QIOTask *task = qio_task_new(OBJECT(ioc), func, opaque, destroy);

    if (ioc->hs_task) {
        Error *err = NULL;

        error_setg(&err, "A TLS handshake is already in progress");
        qio_task_abort(task, err);
        error_free(err);
        return;
    }
    ioc->hs_task = task;
    qio_channel_tls_handshake_step(ioc);
}

int qio_channel_tls_bye(QIOChannelTLS *ioc, Error **errp)
{
    int ret;

    if (ioc->bye_sent) {
        return 0;
    }
    ret = qcrypto_tls_session_bye(ioc->session, errp);
    if (ret < 0) {
        return -1;
    }
    ioc->bye_sent = ret == 0;
    return ret == 1 ? QIO_CHANNEL_ERR_BLOCK : 0;
}

QCryptoTLSSession *qio_channel_tls_get_session(QIOChannelTLS *ioc)
{
    return ioc->session;
}

static void qio_channel_tls_finalize(Object *obj)
{
    QIOChannelTLS *ioc = QIO_CHANNEL_TLS(obj);

    /*
     * A running handshake holds a reference, so no watch can be pending
     * here; removing it anyway keeps a stale callback from ever firing.
     */
    if (ioc->hs_ioc_tag) {
        g_source_remove(ioc->hs_ioc_tag);
        ioc->hs_ioc_tag = 0;
    }
    if (ioc->master) {
        object_unref(OBJECT(ioc->master));
    }
    qcrypto_tls_session_free(ioc->session);
}

static ssize_t qio_channel_tls_readv(QIOChannel *ioc,
                                     const struct iovec *iov,
                                     size_t niov,
                                     int **fds,
                                     size_t *nfds,
                                     Error **errp)
{
    QIOChannelTLS *tioc = QIO_CHANNEL_TLS(ioc);
    size_t i;
    ssize_t got = 0;

    for (i = 0; i < niov; i++) {
        ssize_t ret = qcrypto_tls_session_read(tioc->session,
                                               iov[i].iov_base,
                                               iov[i].iov_len);

        if (ret < 0) {
            /*
             * Bytes already copied out are reported first; a real error
             * will show up again on the next call.
             */
            if (got) {
                return got;
            }
            if (errno == EAGAIN) {
                return QIO_CHANNEL_ERR_BLOCK;
            }
            if (errno == ECONNABORTED) {
                error_setg(errp, "%s",
                           QIO_CHANNEL_TLS_ERR_PREMATURE_TERMINATION);
                return -1;
            }
            error_setg_errno(errp, errno,
                             "Cannot read from TLS channel");
            return -1;
        }
        got += ret;
        if (ret < (ssize_t)iov[i].iov_len) {
            break;
        }
    }
    return got;
}

static ssize_t qio_channel_tls_writev(QIOChannel *ioc,
                                      const struct iovec *iov,
                                      size_t niov,
                                      int *fds,
                                      size_t nfds,
                                      Error **errp)
{
    QIOChannelTLS *tioc = QIO_CHANNEL_TLS(ioc);
    size_t i;
    ssize_t done = 0;

    for (i = 0; i < niov; i++) {
        ssize_t ret;

        /*
         * An empty buffer needs no record, and the 0 the session would
         * return for it would be taken for a failure below: skip it, so
         * that an empty write returns 0 as on a socket.
         */
        if (iov[i].iov_len == 0) {
            continue;
        }
        ret = qcrypto_tls_session_write(tioc->session, iov[i].iov_base,
                                        iov[i].iov_len);
        if (ret <= 0) {
            if (done) {
                return done;
            }
            if (ret < 0 && errno == EAGAIN) {
                return QIO_CHANNEL_ERR_BLOCK;
            }
            error_setg_errno(errp, ret < 0 ? errno : EIO,
                             "Cannot write to TLS channel");
            return -1;
        }
        done += ret;
        if (ret < (ssize_t)iov[i].iov_len) {
            break;
        }
    }
    return done;
}

static int qio_channel_tls_set_blocking(QIOChannel *ioc,
                                        bool enabled,
                                        Error **errp)
{
    QIOChannelTLS *tioc = QIO_CHANNEL_TLS(ioc);

    return qio_channel_set_blocking(tioc->master, enabled, errp);
}

static void qio_channel_tls_set_delay(QIOChannel *ioc,
                                      bool enabled)
{
    QIOChannelTLS *tioc = QIO_CHANNEL_TLS(ioc);

    qio_channel_set_delay(tioc->master, enabled);
}

static void qio_channel_tls_set_cork(QIOChannel *ioc,
                                     bool enabled)
{
    QIOChannelTLS *tioc = QIO_CHANNEL_TLS(ioc);

    qio_channel_set_cork(tioc->master, enabled);
}

static int qio_channel_tls_shutdown(QIOChannel *ioc,
                                    QIOChannelShutdown how,
                                    Error **errp)
{
    QIOChannelTLS *tioc = QIO_CHANNEL_TLS(ioc);

    /*
     * A bare transport half-close reads as a truncation attack to the
     * peer, so say close_notify first when that cannot block.
     */
    if (how != QIO_CHANNEL_SHUTDOWN_READ &&
        qcrypto_tls_session_get_handshake_status(tioc->session) ==
        QCRYPTO_TLS_HANDSHAKE_COMPLETE) {
        qio_channel_tls_bye(tioc, NULL);
    }
    return qio_channel_shutdown(tioc->master, how, errp);
}

static int qio_channel_tls_close(QIOChannel *ioc,
                                 Error **errp)
{
    QIOChannelTLS *tioc = QIO_CHANNEL_TLS(ioc);
    int ret;

    /* The handshake callback may drop the caller's references. */
    object_ref(OBJECT(tioc));
    if (tioc->hs_task) {
        Error *err = NULL;

        if (tioc->hs_ioc_tag) {
            g_source_remove(tioc->hs_ioc_tag);
            tioc->hs_ioc_tag = 0;
        }
        error_setg(&err, "TLS handshake cancelled: the channel was closed");
        qio_channel_tls_handshake_finish(tioc, err);
    }
    ret = qio_channel_close(tioc->master, errp);
    object_unref(OBJECT(tioc));
    return ret;
}

/*
 * A watch on a TLS channel.  Its child is a watch on the master, whose
 * callback only records what the master reported; this source then
 * dispatches the user's callback with the TLS channel as argument.  It is
 * also ready, for G_IO_IN, whenever GnuTLS holds decrypted data, which a
 * poll on the master cannot see.
 *
 * GLib dispatches a parent before its children within one iteration, so
 * the master's report reaches this source one iteration late.  When the
 * user's callback has already run in an iteration, the child's report from
 * that same iteration describes the state before the callback and is
 * dropped (@delivered), so it cannot cause a spurious second call.
 */
typedef struct QIOChannelTLSSource {
    GSource parent;
    QIOChannelTLS *tioc;
    GIOCondition condition;
    GIOCondition master_revents;
    bool delivered;
} QIOChannelTLSSource;

static gboolean qio_channel_tls_source_master_ready(QIOChannel *master,
                                                    GIOCondition condition,
                                                    gpointer opaque)
{
    QIOChannelTLSSource *tsource = opaque;

    if (tsource->delivered) {
        tsource->delivered = false;
    } else {
        tsource->master_revents |= condition;
    }
    return G_SOURCE_CONTINUE;
}

static GIOCondition qio_channel_tls_source_revents(QIOChannelTLSSource *ts)
{
    GIOCondition revents = ts->master_revents;

    if ((ts->condition & G_IO_IN) &&
        qcrypto_tls_session_check_pending(ts->tioc->session) > 0) {
        revents |= G_IO_IN;
    }
    return revents;
}

static gboolean qio_channel_tls_source_prepare(GSource *source,
                                               gint *timeout)
{
    QIOChannelTLSSource *tsource = (QIOChannelTLSSource *)source;

    tsource->delivered = false;
    if (qio_channel_tls_source_revents(tsource)) {
        *timeout = 0;
        return TRUE;
    }
    *timeout = -1;
    return FALSE;
}

static gboolean qio_channel_tls_source_check(GSource *source)
{
    QIOChannelTLSSource *tsource = (QIOChannelTLSSource *)source;

    return qio_channel_tls_source_revents(tsource) != 0;
}

static gboolean qio_channel_tls_source_dispatch(GSource *source,
                                                GSourceFunc callback,
                                                gpointer user_data)
{
    QIOChannelTLSSource *tsource = (QIOChannelTLSSource *)source;
    QIOChannelFunc func = (QIOChannelFunc)(void (*)(void))callback;
    GIOCondition revents = qio_channel_tls_source_revents(tsource);

    tsource->master_revents = 0;
    /* Woken by the child, whose report only follows this dispatch. */
    if (!revents) {
        return G_SOURCE_CONTINUE;
    }
    tsource->delivered = true;
    if (!func) {
        return G_SOURCE_REMOVE;
    }
    return func(QIO_CHANNEL(tsource->tioc), revents, user_data);
}

static void qio_channel_tls_source_finalize(GSource *source)
{
    QIOChannelTLSSource *tsource = (QIOChannelTLSSource *)source;

    object_unref(OBJECT(tsource->tioc));
}

static GSourceFuncs qio_channel_tls_source_funcs = {
    .prepare = qio_channel_tls_source_prepare,
    .check = qio_channel_tls_source_check,
    .dispatch = qio_channel_tls_source_dispatch,
    .finalize = qio_channel_tls_source_finalize,
};

static GSource *qio_channel_tls_create_watch(QIOChannel *ioc,
                                             GIOCondition condition)
{
    QIOChannelTLS *tioc = QIO_CHANNEL_TLS(ioc);
    GSource *source = g_source_new(&qio_channel_tls_source_funcs,
                                   sizeof(QIOChannelTLSSource));
    QIOChannelTLSSource *tsource = (QIOChannelTLSSource *)source;
    GSource *child = qio_channel_create_watch(tioc->master, condition);

    tsource->tioc = tioc;
    object_ref(OBJECT(tioc));
    tsource->condition = condition;
    g_source_set_callback(child,
                          (GSourceFunc)(void (*)(void))
                          qio_channel_tls_source_master_ready,
                          tsource, NULL);
    g_source_add_child_source(source, child);
    g_source_unref(child);
    return source;
}

static void qio_channel_tls_class_init(ObjectClass *klass,
                                       void *class_data)
{
    QIOChannelClass *ioc_klass = QIO_CHANNEL_CLASS(klass);

    ioc_klass->io_writev = qio_channel_tls_writev;
    ioc_klass->io_readv = qio_channel_tls_readv;
    ioc_klass->io_set_blocking = qio_channel_tls_set_blocking;
    ioc_klass->io_set_delay = qio_channel_tls_set_delay;
    ioc_klass->io_set_cork = qio_channel_tls_set_cork;
    ioc_klass->io_close = qio_channel_tls_close;
    ioc_klass->io_shutdown = qio_channel_tls_shutdown;
    ioc_klass->io_create_watch = qio_channel_tls_create_watch;
}

static const TypeInfo qio_channel_tls_info = {
    .parent = TYPE_QIO_CHANNEL,
    .name = TYPE_QIO_CHANNEL_TLS,
    .instance_size = sizeof(QIOChannelTLS),
    .instance_finalize = qio_channel_tls_finalize,
    .class_init = qio_channel_tls_class_init,
};

static void qio_channel_tls_register_types(void)
{
    type_register_static(&qio_channel_tls_info);
}

type_init(qio_channel_tls_register_types);
