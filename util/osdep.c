/*
 * Small OS helpers: descriptor flags, close-on-exec pipes and opens, and a
 * fork that hands the child a clean signal state.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"

#include <pthread.h>

/*
 * fcntl() on a descriptor the caller owns fails only if the descriptor is
 * not open, which is a bug in the caller; stop there instead of silently
 * leaving the flag unset.
 */
static int fcntl_checked(int fd, int cmd, int arg, const char *where)
{
    int ret = fcntl(fd, cmd, arg);

    if (ret < 0) {
        fprintf(stderr, "qemu: %s: fd %d: %s\n", where, fd, strerror(errno));
        abort();
    }
    return ret;
}

void qemu_set_cloexec(int fd)
{
    int flags = fcntl_checked(fd, F_GETFD, 0, __func__);

    if (!(flags & FD_CLOEXEC)) {
        fcntl_checked(fd, F_SETFD, flags | FD_CLOEXEC, __func__);
    }
}

void qemu_set_block(int fd)
{
    int flags = fcntl_checked(fd, F_GETFL, 0, __func__);

    if (flags & O_NONBLOCK) {
        fcntl_checked(fd, F_SETFL, flags & ~O_NONBLOCK, __func__);
    }
}

void qemu_set_nonblock(int fd)
{
    int flags = fcntl_checked(fd, F_GETFL, 0, __func__);

    if (!(flags & O_NONBLOCK)) {
        fcntl_checked(fd, F_SETFL, flags | O_NONBLOCK, __func__);
    }
}

int qemu_pipe(int pipefd[2])
{
#ifdef CONFIG_PIPE2
    /* Atomic: no window in which a concurrent fork+exec inherits them. */
    return pipe2(pipefd, O_CLOEXEC);
#else
    if (pipe(pipefd) < 0) {
        return -1;
    }
    qemu_set_cloexec(pipefd[0]);
    qemu_set_cloexec(pipefd[1]);
    return 0;
#endif
}

int qemu_open_cloexec(const char *path, int flags, mode_t mode)
{
    int fd;

    do {
        fd = open(path, flags | O_CLOEXEC, mode);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

pid_t qemu_fork(Error **errp)
{
    sigset_t all, old;
    pid_t pid;
    int err;

    /*
     * With every signal blocked across fork(), no handler the parent
     * installed can run in the child before the child has reset them.
     */
    sigfillset(&all);
    err = pthread_sigmask(SIG_SETMASK, &all, &old);
    if (err) {
        error_setg_errno(errp, err, "cannot block signals");
        return -1;
    }

    pid = fork();
    if (pid < 0) {
        int saved_errno = errno;

        pthread_sigmask(SIG_SETMASK, &old, NULL);
        error_setg_errno(errp, saved_errno, "cannot fork child process");
        errno = saved_errno;
        return -1;
    }

    if (pid == 0) {
        struct sigaction dfl;
        int sig;

        memset(&dfl, 0, sizeof(dfl));
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        /*
         * Ignored signals are reset too: a child that execs expects the
         * defaults.  SIGKILL/SIGSTOP and the signals the C library keeps
         * for itself refuse the change, which is harmless.
         */
        for (sig = 1; sig < NSIG; sig++) {
            if (sig == SIGKILL || sig == SIGSTOP) {
                continue;
            }
            sigaction(sig, &dfl, NULL);
        }
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return 0;
    }

    err = pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (err) {
        /* The child exists: report, but the caller still owns the pid. */
        fprintf(stderr, "qemu: %s: cannot restore the signal mask: %s\n",
                __func__, strerror(err));
    }
    return pid;
}
