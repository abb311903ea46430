/*
 * libqio: the child process channel.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-command.h"
#include "io/channel-watch.h"

/*
 * How long a child gets to act on SIGTERM before SIGKILL: polled in
 * steps of QIO_COMMAND_POLL_US, QIO_COMMAND_TERM_POLLS times.
 */
#define QIO_COMMAND_POLL_US 2000
#define QIO_COMMAND_TERM_POLLS 50

QIOChannelCommand *qio_channel_command_new_pid(int writefd,
                                               int readfd,
                                               pid_t pid)
{
    QIOChannelCommand *ioc;

    ioc = QIO_CHANNEL_COMMAND(object_new(TYPE_QIO_CHANNEL_COMMAND));
    ioc->writefd = writefd;
    ioc->readfd = readfd;
    ioc->pid = pid;
    return ioc;
}

static int qio_channel_command_pipe(int fds[2])
{
#ifdef CONFIG_PIPE2
    return pipe2(fds, O_CLOEXEC);
#else
    if (pipe(fds) < 0) {
        return -1;
    }
    if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0 ||
        fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0) {
        int err = errno;

        close(fds[0]);
        close(fds[1]);
        errno = err;
        return -1;
    }
    return 0;
#endif
}

static void qio_channel_command_close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

static pid_t qio_channel_command_waitpid(pid_t pid, int options)
{
    pid_t ret;
    int status;

    do {
        ret = waitpid(pid, &status, options);
    } while (ret < 0 && errno == EINTR);
    return ret;
}

/*
 * In the child, between fork and exec: only async-signal-safe calls.
 * Any fd below 3 is first moved out of the way so that installing stdin
 * cannot overwrite the fd meant for stdout, or the status pipe.
 */
static int qio_channel_command_child_fd(int fd)
{
    if (fd >= 0 && fd < 3) {
        return fcntl(fd, F_DUPFD_CLOEXEC, 3);
    }
    return fd;
}

static void QEMU_NORETURN qio_channel_command_child(const char *const argv[],
                                                   int infd, int outfd,
                                                   int statusfd)
{
    int err;

    statusfd = qio_channel_command_child_fd(statusfd);
    infd = qio_channel_command_child_fd(infd);
    outfd = qio_channel_command_child_fd(outfd);
    if (statusfd < 0 || infd < 0 || outfd < 0 ||
        dup2(infd, STDIN_FILENO) < 0 || dup2(outfd, STDOUT_FILENO) < 0) {
        err = errno;
    } else {
        /* Every other fd of ours is close-on-exec. */
        execv(argv[0], (char *const *)argv);
        err = errno;
    }
    if (statusfd >= 0) {
        ssize_t ignored = write(statusfd, &err, sizeof(err));
        (void)ignored;
    }
    _exit(127);
}

QIOChannelCommand *qio_channel_command_new_spawn(const char *const argv[],
                                                 int flags,
                                                 Error **errp)
{
    int accmode = flags & O_ACCMODE;
    bool stdinnull = accmode == O_RDONLY;
    bool stdoutnull = accmode == O_WRONLY;
    int stdinfd[2] = { -1, -1 };
    int stdoutfd[2] = { -1, -1 };
    int statusfd[2] = { -1, -1 };
    int devnull = -1;
    int child_err = 0;
    ssize_t got;
    pid_t pid;
    QIOChannelCommand *ioc;

    if (accmode != O_RDONLY && accmode != O_WRONLY && accmode != O_RDWR) {
        error_setg_errno(errp, EINVAL, "Invalid access mode %d for a "
                         "command channel", accmode);
        return NULL;
    }
    if (!argv || !argv[0]) {
        error_setg_errno(errp, EINVAL, "No program given to execute");
        return NULL;
    }

    if (stdinnull || stdoutnull) {
        devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (devnull < 0) {
            error_setg_errno(errp, errno, "Unable to open /dev/null");
            goto error;
        }
    }
    if ((!stdinnull && qio_channel_command_pipe(stdinfd) < 0) ||
        (!stdoutnull && qio_channel_command_pipe(stdoutfd) < 0) ||
        qio_channel_command_pipe(statusfd) < 0) {
        error_setg_errno(errp, errno, "Unable to create pipe");
        goto error;
    }

    pid = qemu_fork(errp);
    if (pid < 0) {
        goto error;
    }
    if (pid == 0) {
        qio_channel_command_child(argv,
                                  stdinnull ? devnull : stdinfd[0],
                                  stdoutnull ? devnull : stdoutfd[1],
                                  statusfd[1]);
    }

    /* Only the child may keep its ends, or it would never see EOF. */
    qio_channel_command_close_fd(&stdinfd[0]);
    qio_channel_command_close_fd(&stdoutfd[1]);
    qio_channel_command_close_fd(&statusfd[1]);

    /*
     * The status pipe closes silently when exec succeeds; otherwise the
     * child reports why before exiting.
     */
    do {
        got = read(statusfd[0], &child_err, sizeof(child_err));
    } while (got < 0 && errno == EINTR);
    qio_channel_command_close_fd(&statusfd[0]);
    if (got != 0) {
        if (got != sizeof(child_err)) {
            child_err = got < 0 ? errno : EIO;
        }
        qio_channel_command_waitpid(pid, 0);
        error_setg_errno(errp, child_err, "Unable to execute '%s'", argv[0]);
        goto error;
    }

    ioc = qio_channel_command_new_pid(stdinnull ? devnull : stdinfd[1],
                                      stdoutnull ? devnull : stdoutfd[0],
                                      pid);
    return ioc;

 error:
    qio_channel_command_close_fd(&stdinfd[0]);
    qio_channel_command_close_fd(&stdinfd[1]);
    qio_channel_command_close_fd(&stdoutfd[0]);
    qio_channel_command_close_fd(&stdoutfd[1]);
    qio_channel_command_close_fd(&statusfd[0]);
    qio_channel_command_close_fd(&statusfd[1]);
    qio_channel_command_close_fd(&devnull);
    return NULL;
}

static void qio_channel_command_init(Object *obj)
{
    QIOChannelCommand *ioc = QIO_CHANNEL_COMMAND(obj);

    ioc->readfd = -1;
    ioc->writefd = -1;
    ioc->pid = -1;
}

/*
 * Waits for the child, asking it to stop if it is still running: first
 * politely with SIGTERM, then with SIGKILL, which cannot be ignored, so
 * the final blocking wait always ends.
 */
static int qio_channel_command_reap(QIOChannelCommand *ioc,
                                    Error **errp)
{
    pid_t pid = ioc->pid;
    pid_t ret;
    int i;

    if (pid <= 0) {
        return 0;
    }

    ret = qio_channel_command_waitpid(pid, WNOHANG);
    if (ret == 0) {
        kill(pid, SIGTERM);
        for (i = 0; i < QIO_COMMAND_TERM_POLLS; i++) {
            ret = qio_channel_command_waitpid(pid, WNOHANG);
            if (ret != 0) {
                break;
            }
            g_usleep(QIO_COMMAND_POLL_US);
        }
        if (ret == 0) {
            kill(pid, SIGKILL);
            ret = qio_channel_command_waitpid(pid, 0);
        }
    }

    ioc->pid = -1;
    if (ret < 0) {
        error_setg_errno(errp, errno, "Unable to wait for child process %d",
                         (int)pid);
        return -1;
    }
    return 0;
}

static void qio_channel_command_close_fds(QIOChannelCommand *ioc)
{
    if (ioc->readfd == ioc->writefd) {
        ioc->readfd = -1;
    }
    qio_channel_command_close_fd(&ioc->writefd);
    qio_channel_command_close_fd(&ioc->readfd);
}

static void qio_channel_command_finalize(Object *obj)
{
    QIOChannelCommand *ioc = QIO_CHANNEL_COMMAND(obj);

    qio_channel_command_close_fds(ioc);
    qio_channel_command_reap(ioc, NULL);
}

static ssize_t qio_channel_command_readv(QIOChannel *ioc,
                                         const struct iovec *iov,
                                         size_t niov,
                                         int **fds,
                                         size_t *nfds,
                                         Error **errp)
{
    QIOChannelCommand *cioc = QIO_CHANNEL_COMMAND(ioc);
    ssize_t ret;

    do {
        ret = readv(cioc->readfd, iov, niov);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return QIO_CHANNEL_ERR_BLOCK;
        }
        error_setg_errno(errp, errno, "Unable to read from command");
        return -1;
    }
    return ret;
}

static ssize_t qio_channel_command_writev(QIOChannel *ioc,
                                          const struct iovec *iov,
                                          size_t niov,
                                          int *fds,
                                          size_t nfds,
                                          Error **errp)
{
    QIOChannelCommand *cioc = QIO_CHANNEL_COMMAND(ioc);
    ssize_t ret;

    do {
        ret = writev(cioc->writefd, iov, niov);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return QIO_CHANNEL_ERR_BLOCK;
        }
        error_setg_errno(errp, errno, "Unable to write to command");
        return -1;
    }
    return ret;
}

static int qio_channel_command_set_fd_blocking(int fd, bool enabled,
                                               Error **errp)
{
    int flags;

    if (fd < 0) {
        return 0;
    }
    flags = fcntl(fd, F_GETFL);
    if (flags < 0) {
        error_setg_errno(errp, errno, "Unable to get file status flags");
        return -1;
    }
    flags = enabled ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK);
    if (fcntl(fd, F_SETFL, flags) < 0) {
        error_setg_errno(errp, errno, "Unable to set file status flags");
        return -1;
    }
    return 0;
}

static int qio_channel_command_set_blocking(QIOChannel *ioc,
                                            bool enabled,
                                            Error **errp)
{
    QIOChannelCommand *cioc = QIO_CHANNEL_COMMAND(ioc);

    if (qio_channel_command_set_fd_blocking(cioc->writefd, enabled,
                                            errp) < 0) {
        return -1;
    }
    if (cioc->readfd != cioc->writefd &&
        qio_channel_command_set_fd_blocking(cioc->readfd, enabled,
                                            errp) < 0) {
        return -1;
    }
    return 0;
}

static int qio_channel_command_close(QIOChannel *ioc,
                                     Error **errp)
{
    QIOChannelCommand *cioc = QIO_CHANNEL_COMMAND(ioc);

    /* The child sees EOF on its stdin first, so it may exit by itself. */
    qio_channel_command_close_fds(cioc);
    return qio_channel_command_reap(cioc, errp);
}

static GSource *qio_channel_command_create_watch(QIOChannel *ioc,
                                                 GIOCondition condition)
{
    QIOChannelCommand *cioc = QIO_CHANNEL_COMMAND(ioc);

    return qio_channel_create_fd_pair_watch(ioc, cioc->readfd, cioc->writefd,
                                            condition);
}

static void qio_channel_command_class_init(ObjectClass *klass,
                                           void *class_data)
{
    QIOChannelClass *ioc_klass = QIO_CHANNEL_CLASS(klass);

    ioc_klass->io_writev = qio_channel_command_writev;
    ioc_klass->io_readv = qio_channel_command_readv;
    ioc_klass->io_set_blocking = qio_channel_command_set_blocking;
    ioc_klass->io_close = qio_channel_command_close;
    ioc_klass->io_create_watch = qio_channel_command_create_watch;
}

static const TypeInfo qio_channel_command_info = {
    .parent = TYPE_QIO_CHANNEL,
    .name = TYPE_QIO_CHANNEL_COMMAND,
    .instance_size = sizeof(QIOChannelCommand),
    .instance_init = qio_channel_command_init,
    .instance_finalize = qio_channel_command_finalize,
    .class_init = qio_channel_command_class_init,
};

static void qio_channel_command_register_types(void)
{
    type_register_static(&qio_channel_command_info);
}

type_init(qio_channel_command_register_types)
