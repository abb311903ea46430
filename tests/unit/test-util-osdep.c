/*
 * Tests for the osdep helpers: descriptor flags, close-on-exec pipes and
 * opens, and qemu_fork()'s signal handling.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qio-test.h"

static bool fd_is_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);

    g_assert_cmpint(flags, !=, -1);
    return flags & FD_CLOEXEC;
}

static bool fd_is_nonblock(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    g_assert_cmpint(flags, !=, -1);
    return flags & O_NONBLOCK;
}

static void test_pipe_cloexec(void)
{
    int fds[2];
    char buf[4];

    g_assert_cmpint(qemu_pipe(fds), ==, 0);
    g_assert_true(fd_is_cloexec(fds[0]));
    g_assert_true(fd_is_cloexec(fds[1]));
    g_assert_false(fd_is_nonblock(fds[0]));
    /* [1] is the write end, [0] the read end. */
    g_assert_cmpint(write(fds[1], "abc", 3), ==, 3);
    g_assert_cmpint(read(fds[0], buf, sizeof(buf)), ==, 3);
    g_assert_cmpmem(buf, 3, "abc", 3);
    close(fds[0]);
    close(fds[1]);
}

static void test_set_cloexec(void)
{
    int fds[2];
    int copy;

    g_assert_cmpint(qemu_pipe(fds), ==, 0);
    copy = dup(fds[0]);
    g_assert_cmpint(copy, >=, 0);
    /* dup() never copies the flag. */
    g_assert_false(fd_is_cloexec(copy));
    qemu_set_cloexec(copy);
    g_assert_true(fd_is_cloexec(copy));
    /* Idempotent. */
    qemu_set_cloexec(copy);
    g_assert_true(fd_is_cloexec(copy));
    close(copy);
    close(fds[0]);
    close(fds[1]);
}

static void test_nonblock_toggle(void)
{
    int fds[2];
    char c;

    g_assert_cmpint(qemu_pipe(fds), ==, 0);
    qemu_set_nonblock(fds[0]);
    g_assert_true(fd_is_nonblock(fds[0]));
    g_assert_false(fd_is_nonblock(fds[1]));
    /* An empty non-blocking pipe reports EAGAIN instead of waiting. */
    errno = 0;
    g_assert_cmpint(read(fds[0], &c, 1), ==, -1);
    g_assert_cmpint(errno, ==, EAGAIN);
    qemu_set_nonblock(fds[0]);
    g_assert_true(fd_is_nonblock(fds[0]));

    qemu_set_block(fds[0]);
    g_assert_false(fd_is_nonblock(fds[0]));
    qemu_set_block(fds[0]);
    g_assert_false(fd_is_nonblock(fds[0]));
    /* Other status flags survive the toggles. */
    g_assert_cmpint(fcntl(fds[1], F_SETFL, O_APPEND), ==, 0);
    qemu_set_nonblock(fds[1]);
    g_assert_cmpint(fcntl(fds[1], F_GETFL) & (O_APPEND | O_NONBLOCK), ==,
                    O_APPEND | O_NONBLOCK);
    qemu_set_block(fds[1]);
    g_assert_cmpint(fcntl(fds[1], F_GETFL) & (O_APPEND | O_NONBLOCK), ==,
                    O_APPEND);
    close(fds[0]);
    close(fds[1]);
}

static void test_set_nonblock_bad_fd(void)
{
    if (g_test_subprocess()) {
        qemu_set_nonblock(-1);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*qemu_set_nonblock*fd -1*");
}

static void test_open_cloexec(void)
{
    char *dir = g_dir_make_tmp("qio-osdep-XXXXXX", NULL);
    char *path;
    int fd;

    g_assert_nonnull(dir);
    path = g_build_filename(dir, "file", NULL);
    fd = qemu_open_cloexec(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    g_assert_cmpint(fd, >=, 0);
    g_assert_true(fd_is_cloexec(fd));
    g_assert_cmpint(write(fd, "x", 1), ==, 1);
    close(fd);

    errno = 0;
    fd = qemu_open_cloexec(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    g_assert_cmpint(fd, ==, -1);
    g_assert_cmpint(errno, ==, EEXIST);

    fd = qemu_open_cloexec(path, O_RDONLY, 0);
    g_assert_cmpint(fd, >=, 0);
    g_assert_true(fd_is_cloexec(fd));
    close(fd);

    g_assert_cmpint(unlink(path), ==, 0);
    errno = 0;
    g_assert_cmpint(qemu_open_cloexec(path, O_RDONLY, 0), ==, -1);
    g_assert_cmpint(errno, ==, ENOENT);
    g_assert_cmpint(rmdir(dir), ==, 0);
    g_free(path);
    g_free(dir);
}

static void handler_noop(int sig)
{
}

/* Exit codes the child uses to say which check failed. */
enum {
    CHILD_OK = 0,
    CHILD_HANDLER_KEPT = 10,
    CHILD_IGNORE_KEPT = 11,
    CHILD_MASK_WRONG = 12,
    CHILD_QUERY_FAILED = 13,
};

static int child_check(const sigset_t *expected_mask)
{
    struct sigaction sa;
    sigset_t mask;
    int sig;

    if (sigaction(SIGUSR1, NULL, &sa) < 0) {
        return CHILD_QUERY_FAILED;
    }
    if (sa.sa_handler != SIG_DFL) {
        return CHILD_HANDLER_KEPT;
    }
    if (sigaction(SIGPIPE, NULL, &sa) < 0) {
        return CHILD_QUERY_FAILED;
    }
    if (sa.sa_handler != SIG_DFL) {
        return CHILD_IGNORE_KEPT;
    }
    if (pthread_sigmask(SIG_SETMASK, NULL, &mask) != 0) {
        return CHILD_QUERY_FAILED;
    }
    for (sig = 1; sig < SIGRTMIN; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) {
            continue;
        }
        if (sigismember(&mask, sig) != sigismember(expected_mask, sig)) {
            return CHILD_MASK_WRONG;
        }
    }
    return CHILD_OK;
}

static void test_fork_signals(void)
{
    struct sigaction sa, old_usr1, old_pipe, now;
    sigset_t block, saved_mask, before, after;
    Error *err = NULL;
    int status;
    pid_t pid;
    int sig;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler_noop;
    sigemptyset(&sa.sa_mask);
    g_assert_cmpint(sigaction(SIGUSR1, &sa, &old_usr1), ==, 0);
    sa.sa_handler = SIG_IGN;
    g_assert_cmpint(sigaction(SIGPIPE, &sa, &old_pipe), ==, 0);

    /* The caller's own mask must reach the child and come back intact. */
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    g_assert_cmpint(pthread_sigmask(SIG_BLOCK, &block, &saved_mask), ==, 0);
    g_assert_cmpint(pthread_sigmask(SIG_SETMASK, NULL, &before), ==, 0);

    pid = qemu_fork(&err);
    if (pid == 0) {
        _exit(child_check(&before));
    }
    qio_assert_no_error(err);
    g_assert_cmpint(pid, >, 0);

    g_assert_cmpint(pthread_sigmask(SIG_SETMASK, NULL, &after), ==, 0);
    for (sig = 1; sig < SIGRTMIN; sig++) {
        g_assert_cmpint(sigismember(&after, sig), ==,
                        sigismember(&before, sig));
    }
    g_assert_true(sigismember(&after, SIGUSR2));
    g_assert_false(sigismember(&after, SIGUSR1));

    /* The parent keeps its handlers. */
    g_assert_cmpint(sigaction(SIGUSR1, NULL, &now), ==, 0);
    g_assert_true(now.sa_handler == handler_noop);
    g_assert_cmpint(sigaction(SIGPIPE, NULL, &now), ==, 0);
    g_assert_true(now.sa_handler == SIG_IGN);

    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, CHILD_OK);

    g_assert_cmpint(pthread_sigmask(SIG_SETMASK, &saved_mask, NULL), ==, 0);
    g_assert_cmpint(sigaction(SIGUSR1, &old_usr1, NULL), ==, 0);
    g_assert_cmpint(sigaction(SIGPIPE, &old_pipe, NULL), ==, 0);
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/util/osdep/pipe-cloexec", test_pipe_cloexec);
    qio_test_add_func("/util/osdep/set-cloexec", test_set_cloexec);
    qio_test_add_func("/util/osdep/nonblock", test_nonblock_toggle);
    qio_test_add_func("/util/osdep/nonblock-bad-fd",
                      test_set_nonblock_bad_fd);
    qio_test_add_func("/util/osdep/open-cloexec", test_open_cloexec);
    qio_test_add_func("/util/osdep/fork-signals", test_fork_signals);
    return g_test_run();
}
