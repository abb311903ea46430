/*
 * libqio: the socket channel.  Connect, listen and datagram setup (also
 * from worker threads), accept, and vectored I/O that carries file
 * descriptors over UNIX sockets.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-socket.h"
#include "io/channel-watch.h"

/* Room for the largest SCM_RIGHTS message, aligned for cmsghdr. */
typedef union SocketControl {
    char buf[CMSG_SPACE(sizeof(int) * SOCKET_MAX_FDS)];
    struct cmsghdr align;
} SocketControl;

QIOChannelSocket *qio_channel_socket_new(void)
{
    return QIO_CHANNEL_SOCKET(object_new(TYPE_QIO_CHANNEL_SOCKET));
}

/*
 * Takes @fd into @sioc, recording its addresses and the features they
 * imply.  On failure @sioc is left without a socket and @fd untouched.
 */
static int qio_channel_socket_set_fd(QIOChannelSocket *sioc, int fd,
                                     Error **errp)
{
    QIOChannel *ioc = QIO_CHANNEL(sioc);
    int listening = 0;
    socklen_t len = sizeof(listening);

    if (sioc->fd != -1) {
        error_setg(errp, "Socket channel already holds a socket");
        return -1;
    }

    memset(&sioc->remoteAddr, 0, sizeof(sioc->remoteAddr));
    sioc->remoteAddrLen = sizeof(sioc->remoteAddr);
    if (getpeername(fd, (struct sockaddr *)&sioc->remoteAddr,
                    &sioc->remoteAddrLen) < 0) {
        if (errno != ENOTCONN) {
            error_setg_errno(errp, errno, "Unable to query remote socket "
                             "address");
            return -1;
        }
        memset(&sioc->remoteAddr, 0, sizeof(sioc->remoteAddr));
        sioc->remoteAddrLen = 0;
    }

    memset(&sioc->localAddr, 0, sizeof(sioc->localAddr));
    sioc->localAddrLen = sizeof(sioc->localAddr);
    if (getsockname(fd, (struct sockaddr *)&sioc->localAddr,
                    &sioc->localAddrLen) < 0) {
        error_setg_errno(errp, errno, "Unable to query local socket "
                         "address");
        return -1;
    }

    sioc->fd = fd;
    if (sioc->localAddr.ss_family == AF_UNIX) {
        qio_channel_set_feature(ioc, QIO_CHANNEL_FEATURE_FD_PASS);
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 &&
        listening) {
        qio_channel_set_feature(ioc, QIO_CHANNEL_FEATURE_LISTEN);
    }
    return 0;
}

QIOChannelSocket *qio_channel_socket_new_fd(int fd, Error **errp)
{
    QIOChannelSocket *sioc = qio_channel_socket_new();

    if (qio_channel_socket_set_fd(sioc, fd, errp) < 0) {
        object_unref(OBJECT(sioc));
        return NULL;
    }
    return sioc;
}

int qio_channel_socket_connect_sync(QIOChannelSocket *ioc,
                                    SocketAddress *addr,
                                    Error **errp)
{
    int fd;

    if (ioc->fd != -1) {
        error_setg(errp, "Socket channel already holds a socket");
        return -1;
    }
    fd = socket_connect(addr, errp, NULL, NULL);
    if (fd < 0) {
        return -1;
    }
    if (qio_channel_socket_set_fd(ioc, fd, errp) < 0) {
        close(fd);
        return -1;
    }
    return 0;
}

/* The path of a UNIX socket address, or NULL when it has none. */
static char *sockaddr_unix_path(const struct sockaddr_storage *ss,
                                socklen_t len)
{
    const struct sockaddr_un *un = (const struct sockaddr_un *)ss;
    size_t off = offsetof(struct sockaddr_un, sun_path);

    if (ss->ss_family != AF_UNIX || len <= off || un->sun_path[0] == '\0') {
        return NULL;
    }
    return g_strndup(un->sun_path, MIN(len - off, sizeof(un->sun_path)));
}

/*
 * Remembers which file the listener just bound, so that only that file
 * is removed later, even if the path has been taken over meanwhile.
 */
static void qio_channel_socket_own_path(QIOChannelSocket *ioc)
{
    char *path = sockaddr_unix_path(&ioc->localAddr, ioc->localAddrLen);
    struct stat st;

    if (path && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        ioc->listenPathOwned = true;
        ioc->listenPathDev = st.st_dev;
        ioc->listenPathIno = st.st_ino;
    }
    g_free(path);
}

static void qio_channel_socket_unlink_owned_path(QIOChannelSocket *ioc)
{
    char *path;
    struct stat st;

    if (!ioc->listenPathOwned) {
        return;
    }
    ioc->listenPathOwned = false;
    path = sockaddr_unix_path(&ioc->localAddr, ioc->localAddrLen);
    if (path && lstat(path, &st) == 0 && st.st_dev == ioc->listenPathDev &&
        st.st_ino == ioc->listenPathIno) {
        unlink(path);
    }
    g_free(path);
}

int qio_channel_socket_listen_sync(QIOChannelSocket *ioc,
                                   SocketAddress *addr,
                                   Error **errp)
{
    int fd;

    if (ioc->fd != -1) {
        error_setg(errp, "Socket channel already holds a socket");
        return -1;
    }
    fd = socket_listen(addr, errp);
    if (fd < 0) {
        return -1;
    }
    if (qio_channel_socket_set_fd(ioc, fd, errp) < 0) {
        if (addr->type == SOCKET_ADDRESS_KIND_UNIX) {
            unlink(addr->u.q_unix->path);
        }
        close(fd);
        return -1;
    }
    /* socket_listen() created the file only for a unix address. */
    if (addr->type == SOCKET_ADDRESS_KIND_UNIX) {
        qio_channel_socket_own_path(ioc);
    }
    return 0;
}

int qio_channel_socket_dgram_sync(QIOChannelSocket *ioc,
                                  SocketAddress *localAddr,
                                  SocketAddress *remoteAddr,
                                  Error **errp)
{
    int fd;

    if (ioc->fd != -1) {
        error_setg(errp, "Socket channel already holds a socket");
        return -1;
    }
    fd = socket_dgram(remoteAddr, localAddr, errp);
    if (fd < 0) {
        return -1;
    }
    if (qio_channel_socket_set_fd(ioc, fd, errp) < 0) {
        close(fd);
        return -1;
    }
    return 0;
}

/* What a worker thread needs: private copies of the addresses. */
typedef struct QIOChannelSocketJob {
    SocketAddress *local;
    SocketAddress *remote;
} QIOChannelSocketJob;

static QIOChannelSocketJob *qio_channel_socket_job_new(SocketAddress *local,
                                                       SocketAddress *remote)
{
    QIOChannelSocketJob *job = g_new0(QIOChannelSocketJob, 1);

    if (local) {
        qapi_copy_SocketAddress(&job->local, local);
    }
    if (remote) {
        qapi_copy_SocketAddress(&job->remote, remote);
    }
    return job;
}

static void qio_channel_socket_job_free(gpointer opaque)
{
    QIOChannelSocketJob *job = opaque;

    qapi_free_SocketAddress(job->local);
    qapi_free_SocketAddress(job->remote);
    g_free(job);
}

static int qio_channel_socket_connect_worker(QIOTask *task,
                                             Error **errp,
                                             gpointer opaque)
{
    QIOChannelSocketJob *job = opaque;
    Object *source = qio_task_get_source(task);
    int ret;

    ret = qio_channel_socket_connect_sync(QIO_CHANNEL_SOCKET(source),
                                          job->remote, errp);
    object_unref(source);
    return ret;
}

void qio_channel_socket_connect_async(QIOChannelSocket *ioc,
                                      SocketAddress *addr,
                                      QIOTaskFunc callback,
                                      gpointer opaque,
                                      GDestroyNotify destroy)
{
    QIOTask *task = qio_task_new(OBJECT(ioc), callback, opaque, destroy);

    qio_task_run_in_thread(task, qio_channel_socket_connect_worker,
                           qio_channel_socket_job_new(NULL, addr),
                           qio_channel_socket_job_free);
}

static int qio_channel_socket_listen_worker(QIOTask *task,
                                            Error **errp,
                                            gpointer opaque)
{
    QIOChannelSocketJob *job = opaque;
    Object *source = qio_task_get_source(task);
    int ret;

    ret = qio_channel_socket_listen_sync(QIO_CHANNEL_SOCKET(source),
                                         job->local, errp);
    object_unref(source);
    return ret;
}

void qio_channel_socket_listen_async(QIOChannelSocket *ioc,
                                     SocketAddress *addr,
                                     QIOTaskFunc callback,
                                     gpointer opaque,
                                     GDestroyNotify destroy)
{
    QIOTask *task = qio_task_new(OBJECT(ioc), callback, opaque, destroy);

    qio_task_run_in_thread(task, qio_channel_socket_listen_worker,
                           qio_channel_socket_job_new(addr, NULL),
                           qio_channel_socket_job_free);
}

static int qio_channel_socket_dgram_worker(QIOTask *task,
                                           Error **errp,
                                           gpointer opaque)
{
    QIOChannelSocketJob *job = opaque;
    Object *source = qio_task_get_source(task);
    int ret;

    ret = qio_channel_socket_dgram_sync(QIO_CHANNEL_SOCKET(source),
                                        job->local, job->remote, errp);
    object_unref(source);
    return ret;
}

void qio_channel_socket_dgram_async(QIOChannelSocket *ioc,
                                    SocketAddress *localAddr,
                                    SocketAddress *remoteAddr,
                                    QIOTaskFunc callback,
                                    gpointer opaque,
                                    GDestroyNotify destroy)
{
    QIOTask *task = qio_task_new(OBJECT(ioc), callback, opaque, destroy);

    qio_task_run_in_thread(task, qio_channel_socket_dgram_worker,
                           qio_channel_socket_job_new(localAddr, remoteAddr),
                           qio_channel_socket_job_free);
}

SocketAddress *
qio_channel_socket_get_local_address(QIOChannelSocket *ioc,
                                     Error **errp)
{
    if (ioc->fd == -1) {
        error_setg(errp, "Socket channel holds no socket");
        return NULL;
    }
    return socket_sockaddr_to_address(&ioc->localAddr, ioc->localAddrLen,
                                      errp);
}

SocketAddress *
qio_channel_socket_get_remote_address(QIOChannelSocket *ioc,
                                      Error **errp)
{
    if (ioc->fd == -1) {
        error_setg(errp, "Socket channel holds no socket");
        return NULL;
    }
    if (ioc->remoteAddrLen == 0) {
        error_setg(errp, "Socket is not connected to a peer");
        return NULL;
    }
    return socket_sockaddr_to_address(&ioc->remoteAddr, ioc->remoteAddrLen,
                                      errp);
}

QIOChannelSocket *
qio_channel_socket_accept(QIOChannelSocket *ioc,
                          Error **errp)
{
    QIOChannelSocket *cioc;

    if (ioc->fd == -1) {
        error_setg(errp, "Socket channel holds no socket");
        return NULL;
    }
    cioc = qio_channel_socket_new();
    do {
        cioc->remoteAddrLen = sizeof(cioc->remoteAddr);
        cioc->fd = qemu_accept(ioc->fd, (struct sockaddr *)&cioc->remoteAddr,
                               &cioc->remoteAddrLen);
    } while (cioc->fd < 0 && errno == EINTR);
    if (cioc->fd < 0) {
        error_setg_errno(errp, errno, "Unable to accept connection");
        goto error;
    }

    cioc->localAddrLen = sizeof(cioc->localAddr);
    if (getsockname(cioc->fd, (struct sockaddr *)&cioc->localAddr,
                    &cioc->localAddrLen) < 0) {
        error_setg_errno(errp, errno, "Unable to query local socket "
                         "address");
        goto error;
    }
    if (cioc->localAddr.ss_family == AF_UNIX) {
        qio_channel_set_feature(QIO_CHANNEL(cioc),
                                QIO_CHANNEL_FEATURE_FD_PASS);
    }
    return cioc;

error:
    object_unref(OBJECT(cioc));
    return NULL;
}

static void qio_channel_socket_init(Object *obj)
{
    QIOChannelSocket *ioc = QIO_CHANNEL_SOCKET(obj);

    ioc->fd = -1;
    qio_channel_set_feature(QIO_CHANNEL(ioc), QIO_CHANNEL_FEATURE_SHUTDOWN);
}

static void qio_channel_socket_finalize(Object *obj)
{
    QIOChannelSocket *ioc = QIO_CHANNEL_SOCKET(obj);

    if (ioc->fd != -1) {
        qio_channel_socket_unlink_owned_path(ioc);
        close(ioc->fd);
        ioc->fd = -1;
    }
}

/* Closes every descriptor of a received array and frees it. */
static void close_fd_array(int *fds, size_t nfds)
{
    size_t i;

    for (i = 0; i < nfds; i++) {
        close(fds[i]);
    }
    g_free(fds);
}

/*
 * Collects the descriptors of every SCM_RIGHTS message in @msg, making
 * each blocking and close-on-exec.
 */
static void qio_channel_socket_collect_fds(struct msghdr *msg,
                                           int **fds, size_t *nfds)
{
    struct cmsghdr *cmsg;

    *fds = NULL;
    *nfds = 0;
    for (cmsg = CMSG_FIRSTHDR(msg); cmsg; cmsg = CMSG_NXTHDR(msg, cmsg)) {
        size_t n, i;

        if (cmsg->cmsg_level != SOL_SOCKET ||
            cmsg->cmsg_type != SCM_RIGHTS ||
            cmsg->cmsg_len < CMSG_LEN(0)) {
            continue;
        }
        n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        if (n == 0) {
            continue;
        }
        *fds = g_renew(int, *fds, *nfds + n);
        /* CMSG_DATA need not be aligned for int: copy the bytes. */
        memcpy(*fds + *nfds, CMSG_DATA(cmsg), n * sizeof(int));
        for (i = *nfds; i < *nfds + n; i++) {
            qemu_set_block((*fds)[i]);
#ifndef MSG_CMSG_CLOEXEC
            qemu_set_cloexec((*fds)[i]);
#endif
        }
        *nfds += n;
    }
}

/*
 * Closes the descriptors of every SCM_RIGHTS message in @msg, for a
 * caller that asked for none.  Their flags are left alone: the file
 * descriptions are shared with the sender.
 */
static void qio_channel_socket_discard_fds(struct msghdr *msg)
{
    struct cmsghdr *cmsg;

    for (cmsg = CMSG_FIRSTHDR(msg); cmsg; cmsg = CMSG_NXTHDR(msg, cmsg)) {
        size_t n, i;

        if (cmsg->cmsg_level != SOL_SOCKET ||
            cmsg->cmsg_type != SCM_RIGHTS ||
            cmsg->cmsg_len < CMSG_LEN(0)) {
            continue;
        }
        n = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (i = 0; i < n; i++) {
            int fd;

            memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(fd));
            close(fd);
        }
    }
}

/*
 * The result of a failed transfer: would-block, or -1 with @errp set.
 * @what completes "Unable to ... socket".
 */
static ssize_t qio_channel_socket_io_failed(const char *what, Error **errp)
{
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return QIO_CHANNEL_ERR_BLOCK;
    }
    error_setg_errno(errp, errno, "Unable to %s socket", what);
    return -1;
}

/*
 * Whether a read may leave descriptors that arrive unasked to the kernel:
 * Linux closes rights that find no room in the control buffer, and a
 * socket that cannot carry them has none to leave.
 */
static bool qio_channel_socket_may_drop_fds(QIOChannel *ioc)
{
#ifdef __linux__
    return true;
#else
    return !qio_channel_has_feature(ioc, QIO_CHANNEL_FEATURE_FD_PASS);
#endif
}

/*
 * The common single-buffer transfers without descriptors use recv() and
 * send(), which spare the kernel copying in a message header and an
 * iovec array: about a tenth of the cost of a 4 KiB transfer.
 */
static ssize_t qio_channel_socket_recv(QIOChannelSocket *sioc, void *buf,
                                       size_t len, Error **errp)
{
    ssize_t ret;

    do {
        ret = recv(sioc->fd, buf, len, 0);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        return qio_channel_socket_io_failed("read from", errp);
    }
    return ret;
}

static ssize_t qio_channel_socket_send(QIOChannelSocket *sioc,
                                       const void *buf, size_t len,
                                       Error **errp)
{
    ssize_t ret;

    do {
        ret = send(sioc->fd, buf, len, MSG_NOSIGNAL);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        return qio_channel_socket_io_failed("write to", errp);
    }
    return ret;
}

static ssize_t qio_channel_socket_readv(QIOChannel *ioc,
                                        const struct iovec *iov,
                                        size_t niov,
                                        int **fds,
                                        size_t *nfds,
                                        Error **errp)
{
    QIOChannelSocket *sioc = QIO_CHANNEL_SOCKET(ioc);
    SocketControl control;
    struct msghdr msg = { NULL };
    int flags = 0;
    ssize_t ret;

    if (niov == 1 && !(fds && nfds) && qio_channel_socket_may_drop_fds(ioc)) {
        return qio_channel_socket_recv(sioc, iov[0].iov_base, iov[0].iov_len,
                                       errp);
    }

    msg.msg_iov = (struct iovec *)iov;
    msg.msg_iovlen = niov;
    /*
     * Take any descriptors in, even when the caller does not want them,
     * so that they are closed here for certain rather than left to what
     * the host does with rights that find no room.
     */
    if (qio_channel_has_feature(ioc, QIO_CHANNEL_FEATURE_FD_PASS)) {
        memset(&control, 0, sizeof(control));
        msg.msg_control = control.buf;
        msg.msg_controllen = sizeof(control.buf);
#ifdef MSG_CMSG_CLOEXEC
        flags |= MSG_CMSG_CLOEXEC;
#endif
    }

    do {
        ret = recvmsg(sioc->fd, &msg, flags);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        return qio_channel_socket_io_failed("read from", errp);
    }

    if (!fds || !nfds) {
        qio_channel_socket_discard_fds(&msg);
    } else {
        qio_channel_socket_collect_fds(&msg, fds, nfds);
        if (msg.msg_flags & MSG_CTRUNC) {
            close_fd_array(*fds, *nfds);
            *fds = NULL;
            *nfds = 0;
            error_setg(errp, "Received more file descriptors than fit in "
                       "one message (at most %d); all were closed",
                       SOCKET_MAX_FDS);
            return -1;
        }
        if (ret == 0 && *nfds > 0) {
            /* A reply of 0 means end of file: it cannot carry fds. */
            close_fd_array(*fds, *nfds);
            *fds = NULL;
            *nfds = 0;
            error_setg(errp, "Received file descriptors without any data; "
                       "they were closed");
            return -1;
        }
    }
    return ret;
}

static ssize_t qio_channel_socket_writev(QIOChannel *ioc,
                                         const struct iovec *iov,
                                         size_t niov,
                                         int *fds,
                                         size_t nfds,
                                         Error **errp)
{
    QIOChannelSocket *sioc = QIO_CHANNEL_SOCKET(ioc);
    SocketControl control;
    struct msghdr msg = { NULL };
    ssize_t ret;

    if (niov == 1 && !nfds) {
        return qio_channel_socket_send(sioc, iov[0].iov_base,
                                       iov[0].iov_len, errp);
    }

    msg.msg_iov = (struct iovec *)iov;
    msg.msg_iovlen = niov;
    if (nfds) {
        size_t fdsize = sizeof(int) * nfds;
        struct cmsghdr *cmsg;
        size_t i, total = 0;

        if (!fds) {
            error_setg_errno(errp, EINVAL, "%zu file descriptors to send "
                             "but no array holding them", nfds);
            return -1;
        }
        if (nfds > SOCKET_MAX_FDS) {
            error_setg_errno(errp, EINVAL, "Only %d file descriptors can be "
                             "sent at once, not %zu", SOCKET_MAX_FDS, nfds);
            return -1;
        }
        for (i = 0; i < niov; i++) {
            total += iov[i].iov_len;
        }
        if (total == 0) {
            /* A stream socket would silently drop them. */
            error_setg_errno(errp, EINVAL, "File descriptors can only be "
                             "sent along with at least one byte of data");
            return -1;
        }
        memset(&control, 0, sizeof(control));
        msg.msg_control = control.buf;
        msg.msg_controllen = CMSG_SPACE(fdsize);
        cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(fdsize);
        memcpy(CMSG_DATA(cmsg), fds, fdsize);
    }

    do {
        ret = sendmsg(sioc->fd, &msg, MSG_NOSIGNAL);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        return qio_channel_socket_io_failed("write to", errp);
    }
    return ret;
}

static int qio_channel_socket_set_blocking(QIOChannel *ioc,
                                           bool enabled,
                                           Error **errp)
{
    QIOChannelSocket *sioc = QIO_CHANNEL_SOCKET(ioc);
    int flags;

    if (sioc->fd == -1) {
        error_setg(errp, "Socket channel holds no socket");
        return -1;
    }
    flags = fcntl(sioc->fd, F_GETFL);
    if (flags < 0) {
        error_setg_errno(errp, errno, "Unable to get socket flags");
        return -1;
    }
    flags = enabled ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK);
    if (fcntl(sioc->fd, F_SETFL, flags) < 0) {
        error_setg_errno(errp, errno, "Unable to set socket flags");
        return -1;
    }
    return 0;
}

static void qio_channel_socket_set_delay(QIOChannel *ioc,
                                         bool enabled)
{
    QIOChannelSocket *sioc = QIO_CHANNEL_SOCKET(ioc);
    int v = enabled ? 0 : 1;

    /* Only a hint: a socket that is not TCP just ignores it. */
    setsockopt(sioc->fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v));
}

static void qio_channel_socket_set_cork(QIOChannel *ioc,
                                        bool enabled)
{
    QIOChannelSocket *sioc = QIO_CHANNEL_SOCKET(ioc);

    socket_set_cork(sioc->fd, enabled ? 1 : 0);
}

static int qio_channel_socket_close(QIOChannel *ioc,
                                    Error **errp)
{
    QIOChannelSocket *sioc = QIO_CHANNEL_SOCKET(ioc);
    int fd = sioc->fd;

    if (fd == -1) {
        return 0;
    }
    /* The number is released by close() whatever it says: forget it. */
    sioc->fd = -1;
    qio_channel_socket_unlink_owned_path(sioc);
    if (close(fd) < 0 && errno != EINTR) {
        error_setg_errno(errp, errno, "Unable to close socket");
        return -1;
    }
    return 0;
}

static int qio_channel_socket_shutdown(QIOChannel *ioc,
                                       QIOChannelShutdown how,
                                       Error **errp)
{
    QIOChannelSocket *sioc = QIO_CHANNEL_SOCKET(ioc);
    int sockhow;

    switch (how) {
    case QIO_CHANNEL_SHUTDOWN_READ:
        sockhow = SHUT_RD;
        break;
    case QIO_CHANNEL_SHUTDOWN_WRITE:
        sockhow = SHUT_WR;
        break;
    case QIO_CHANNEL_SHUTDOWN_BOTH:
    default:
        sockhow = SHUT_RDWR;
        break;
    }
    if (shutdown(sioc->fd, sockhow) < 0) {
        error_setg_errno(errp, errno, "Unable to shut down socket");
        return -1;
    }
    return 0;
}

static GSource *qio_channel_socket_create_watch(QIOChannel *ioc,
                                                GIOCondition condition)
{
    QIOChannelSocket *sioc = QIO_CHANNEL_SOCKET(ioc);

    return qio_channel_create_socket_watch(ioc, sioc->fd, condition);
}

/* Readiness of the channel is exactly that of its fd. */
static int qio_channel_socket_yield_fd(QIOChannel *ioc,
                                       GIOCondition condition)
{
    QIOChannelSocket *sioc = QIO_CHANNEL_SOCKET(ioc);

    return sioc->fd;
}

static void qio_channel_socket_class_init(ObjectClass *klass,
                                          void *class_data)
{
    QIOChannelClass *ioc_klass = QIO_CHANNEL_CLASS(klass);

    ioc_klass->io_writev = qio_channel_socket_writev;
    ioc_klass->io_readv = qio_channel_socket_readv;
    ioc_klass->io_set_blocking = qio_channel_socket_set_blocking;
    ioc_klass->io_close = qio_channel_socket_close;
    ioc_klass->io_shutdown = qio_channel_socket_shutdown;
    ioc_klass->io_set_cork = qio_channel_socket_set_cork;
    ioc_klass->io_set_delay = qio_channel_socket_set_delay;
    ioc_klass->io_create_watch = qio_channel_socket_create_watch;
    ioc_klass->io_yield_fd = qio_channel_socket_yield_fd;
}

static const TypeInfo qio_channel_socket_info = {
    .parent = TYPE_QIO_CHANNEL,
    .name = TYPE_QIO_CHANNEL_SOCKET,
    .instance_size = sizeof(QIOChannelSocket),
    .instance_init = qio_channel_socket_init,
    .instance_finalize = qio_channel_socket_finalize,
    .class_init = qio_channel_socket_class_init,
};

static void qio_channel_socket_register_types(void)
{
    type_register_static(&qio_channel_socket_info);
}

type_init(qio_channel_socket_register_types);
