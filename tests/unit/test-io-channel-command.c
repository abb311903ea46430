/*
 * Tests for the command channel: data through socat, the null direction,
 * exec failures, and reaping of children that exit early or refuse to.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-command.h"
#include "io-channel-helpers.h"
#include "qio-test.h"
#include "scratch-dir.h"

#include <sys/prctl.h>

#define NO_SUCH_PROGRAM "/nonexistent/qio-no-such-program"

static char *scratch_dir;

static char *scratch_path(const char *name)
{
    return g_build_filename(scratch_dir, name, NULL);
}

/*
 * socat is a declared test dependency (scripts/deps installs it): a
 * missing one fails the test rather than silently passing it.
 */
static const char *find_socat(void)
{
    static const char *const candidates[] = {
        "/usr/bin/socat", "/bin/socat", "/usr/local/bin/socat",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(candidates); i++) {
        if (g_file_test(candidates[i], G_FILE_TEST_IS_EXECUTABLE)) {
            return candidates[i];
        }
    }
    g_test_message("socat not found: install it with scripts/deps");
    g_test_fail();
    return NULL;
}

static void assert_process_gone(pid_t pid)
{
    g_assert_cmpint(kill(pid, 0), ==, -1);
    g_assert_cmpint(errno, ==, ESRCH);
}

static void test_io_channel_command_fifo(bool blocking)
{
    const char *socat = find_socat();
    char *fifo, *wraddr, *rdaddr;
    QIOChannel *src, *dst;
    QIOChannelTest *test;

    if (!socat) {
        return;
    }
    fifo = scratch_path("test-io-channel-command.fifo");
    wraddr = g_strdup_printf("PIPE:%s,wronly", fifo);
    rdaddr = g_strdup_printf("PIPE:%s,rdonly", fifo);
    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);

    {
        const char *srcargv[] = { socat, "-", wraddr, NULL };
        const char *dstargv[] = { socat, rdaddr, "-", NULL };

        src = QIO_CHANNEL(qio_channel_command_new_spawn(srcargv, O_WRONLY,
                                                        &error_abort));
        dst = QIO_CHANNEL(qio_channel_command_new_spawn(dstargv, O_RDONLY,
                                                        &error_abort));
    }

    test = qio_channel_test_new();
    qio_channel_test_run_threads(test, blocking, src, dst);
    qio_channel_test_validate(test);

    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));

    unlink(fifo);
    g_free(fifo);
    g_free(wraddr);
    g_free(rdaddr);
}

static void test_io_channel_command_fifo_sync(void)
{
    test_io_channel_command_fifo(true);
}

static void test_io_channel_command_fifo_async(void)
{
    test_io_channel_command_fifo(false);
}

static void test_io_channel_command_echo(bool blocking)
{
    const char *socat = find_socat();
    QIOChannel *ioc;
    QIOChannelTest *test;
    pid_t pid;

    if (!socat) {
        return;
    }
    {
        const char *argv[] = { socat, "-", "-", NULL };

        ioc = QIO_CHANNEL(qio_channel_command_new_spawn(argv, O_RDWR,
                                                        &error_abort));
    }
    pid = QIO_CHANNEL_COMMAND(ioc)->pid;
    g_assert_cmpint(pid, >, 0);

    test = qio_channel_test_new();
    qio_channel_test_run_threads(test, blocking, ioc, ioc);
    qio_channel_test_validate(test);

    object_unref(OBJECT(ioc));
    assert_process_gone(pid);
}

static void test_io_channel_command_echo_sync(void)
{
    test_io_channel_command_echo(true);
}

static void test_io_channel_command_echo_async(void)
{
    test_io_channel_command_echo(false);
}

/* The same traffic with coroutines, driven by the default main loop. */
static void test_io_channel_command_echo_coroutine(void)
{
    const char *socat = find_socat();
    QIOChannel *ioc;
    QIOChannelTest *test;

    if (!socat) {
        return;
    }
    {
        const char *argv[] = { socat, "-", "-", NULL };

        ioc = QIO_CHANNEL(qio_channel_command_new_spawn(argv, O_RDWR,
                                                        &error_abort));
    }
    test = qio_channel_test_new();
    qio_channel_test_run_coroutines(test, ioc, ioc);
    qio_channel_test_validate(test);
    object_unref(OBJECT(ioc));
}

/*
 * Kills and reaps every child of this process that is still around: the
 * descendants a subprocess that timed out left to us as their subreaper.
 */
static void reap_orphans(void)
{
    GDir *dir = g_dir_open("/proc", 0, NULL);
    const char *name;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir)) != NULL) {
        char *path, *stat = NULL;
        const char *p;
        int pid, ppid;

        if (!g_ascii_isdigit(name[0])) {
            continue;
        }
        pid = atoi(name);
        path = g_strdup_printf("/proc/%d/stat", pid);
        if (g_file_get_contents(path, &stat, NULL, NULL) &&
            (p = strrchr(stat, ')')) != NULL &&
            sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == (int)getpid()) {
            g_test_message("killing orphaned descendant %d", pid);
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
        }
        g_free(stat);
        g_free(path);
    }
    g_dir_close(dir);
}

/*
 * The child ignores SIGTERM and would sleep for more than a day, so
 * close() can only come back if it ends the child with SIGKILL.  The
 * close runs in a subprocess, so that an implementation that waits for
 * the child fails on the subprocess timeout instead of hanging the suite.
 */
static void test_io_channel_command_sigterm_ignored(void)
{
    /*
     * stderr goes to /dev/null: were it left on the pipe GTest reads the
     * subprocess's stderr from, a surviving child would keep that pipe
     * open, and GTest would wait for it even after the timeout.
     */
    const char *argv[] = {
        "/bin/sh", "-c",
        "exec 2>/dev/null; trap '' TERM; echo ready; exec sleep 100000",
        NULL
    };
    QIOChannel *ioc;
    char buf[6];
    pid_t pid;

    if (!g_test_subprocess()) {
        /*
         * Should the subprocess be killed on the timeout, its sleeping
         * child becomes ours rather than init's, and is cleaned up here.
         */
        g_assert_cmpint(prctl(PR_SET_CHILD_SUBREAPER, 1), ==, 0);
        g_test_trap_subprocess(NULL, 20 * G_USEC_PER_SEC, 0);
        reap_orphans();
        g_assert_cmpint(prctl(PR_SET_CHILD_SUBREAPER, 0), ==, 0);
        g_test_trap_assert_passed();
        return;
    }

    ioc = QIO_CHANNEL(qio_channel_command_new_spawn(argv, O_RDONLY,
                                                    &error_abort));
    pid = QIO_CHANNEL_COMMAND(ioc)->pid;
    /* Once it spoke, SIGTERM is known to be ignored. */
    g_assert_cmpint(qio_channel_read_all(ioc, buf, sizeof(buf),
                                         &error_abort), ==, 0);
    g_assert_cmpmem(buf, sizeof(buf), "ready\n", 6);
    g_assert_cmpint(kill(pid, 0), ==, 0);

    g_assert_cmpint(qio_channel_close(ioc, &error_abort), ==, 0);
    g_assert_cmpint(QIO_CHANNEL_COMMAND(ioc)->pid, ==, -1);
    assert_process_gone(pid);
    object_unref(OBJECT(ioc));
}

/* The same, with the last unref doing all the work. */
static void test_io_channel_command_unref_kills(void)
{
    const char *argv[] = { "/bin/sh", "-c", "echo ready; exec sleep 30",
                           NULL };
    QIOChannel *ioc;
    char buf[6];
    pid_t pid;

    ioc = QIO_CHANNEL(qio_channel_command_new_spawn(argv, O_RDWR,
                                                    &error_abort));
    pid = QIO_CHANNEL_COMMAND(ioc)->pid;
    g_assert_cmpint(qio_channel_read_all(ioc, buf, sizeof(buf),
                                         &error_abort), ==, 0);
    object_unref(OBJECT(ioc));
    assert_process_gone(pid);
}

/* A child that exits on its own is reaped and reported as EOF. */
static void test_io_channel_command_exit_first(void)
{
    const char *argv[] = { "/bin/sh", "-c", "echo bye; exit 3", NULL };
    QIOChannel *ioc;
    char buf[16];
    pid_t pid;

    ioc = QIO_CHANNEL(qio_channel_command_new_spawn(argv, O_RDONLY,
                                                    &error_abort));
    pid = QIO_CHANNEL_COMMAND(ioc)->pid;
    g_assert_cmpint(qio_channel_read_all_eof(ioc, buf, 4, &error_abort),
                    ==, 1);
    g_assert_cmpmem(buf, 4, "bye\n", 4);
    g_assert_cmpint(qio_channel_read(ioc, buf, sizeof(buf), &error_abort),
                    ==, 0);
    object_unref(OBJECT(ioc));
    assert_process_gone(pid);
}

static void test_io_channel_command_exec_failure(gconstpointer opaque)
{
    int flags = GPOINTER_TO_INT(opaque);
    const char *argv[] = { NO_SUCH_PROGRAM, "arg", NULL };
    QIOChannelCommand *cioc;
    Error *err = NULL;

    cioc = qio_channel_command_new_spawn(argv, flags, &err);
    g_assert_null(cioc);
    qio_assert_error_contains(err, NO_SUCH_PROGRAM);
    error_free(err);
}

static void test_io_channel_command_bad_args(void)
{
    const char *argv[] = { "/bin/true", NULL };
    const char *noargv[] = { NULL };
    Error *err = NULL;

    g_assert_null(qio_channel_command_new_spawn(argv, O_ACCMODE, &err));
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;
    g_assert_null(qio_channel_command_new_spawn(noargv, O_RDWR, &err));
    g_assert_nonnull(err);
    error_free(err);
}

/*
 * The direction left out by the flags is /dev/null on our side too:
 * reads see EOF, writes are discarded.
 */
static void test_io_channel_command_null_direction(void)
{
    const char *argv[] = { "/bin/cat", NULL };
    QIOChannel *ioc;
    char buf[8];

    ioc = QIO_CHANNEL(qio_channel_command_new_spawn(argv, O_WRONLY,
                                                    &error_abort));
    g_assert_cmpint(qio_channel_write_all(ioc, "abc", 3, &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_read(ioc, buf, sizeof(buf), &error_abort),
                    ==, 0);
    object_unref(OBJECT(ioc));

    /* cat's stdin is /dev/null, so its output ends at once. */
    ioc = QIO_CHANNEL(qio_channel_command_new_spawn(argv, O_RDONLY,
                                                    &error_abort));
    g_assert_cmpint(qio_channel_read(ioc, buf, sizeof(buf), &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_write(ioc, "abc", 3, &error_abort), ==, 3);
    object_unref(OBJECT(ioc));
}

/* new_pid adopts fds and a process created elsewhere. */
static void test_io_channel_command_new_pid(void)
{
    char *argv[] = { (char *)"/bin/cat", NULL };
    QIOChannel *ioc;
    GPid pid;
    int infd, outfd;
    char buf[5];

    g_assert_true(g_spawn_async_with_pipes(NULL, argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, &infd, &outfd,
                                           NULL, NULL));
    ioc = QIO_CHANNEL(qio_channel_command_new_pid(infd, outfd, pid));
    g_assert_cmpint(qio_channel_write_all(ioc, "hello", 5, &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_read_all(ioc, buf, 5, &error_abort), ==, 0);
    g_assert_cmpmem(buf, 5, "hello", 5);
    object_unref(OBJECT(ioc));
    assert_process_gone(pid);
}

/*
 * The fd-pair watch fires for input once output arrives, and again when
 * the child closes its end, so a reader learns about EOF.
 */
static void test_io_channel_command_watch(void)
{
    const char *argv[] = { "/bin/sh", "-c", "read x; echo \"$x$x\"", NULL };
    QIOChannel *ioc;
    char buf[8];

    ioc = QIO_CHANNEL(qio_channel_command_new_spawn(argv, O_RDWR,
                                                    &error_abort));
    qio_channel_set_blocking(ioc, false, &error_abort);
    g_assert_cmpint(qio_channel_read(ioc, buf, sizeof(buf), &error_abort),
                    ==, QIO_CHANNEL_ERR_BLOCK);
    qio_channel_wait(ioc, G_IO_OUT);
    g_assert_cmpint(qio_channel_write(ioc, "ab\n", 3, &error_abort), ==, 3);
    qio_channel_wait(ioc, G_IO_IN);
    g_assert_cmpint(qio_channel_read_all(ioc, buf, 5, &error_abort), ==, 0);
    g_assert_cmpmem(buf, 5, "abab\n", 5);
    qio_channel_wait(ioc, G_IO_IN);
    g_assert_cmpint(qio_channel_read(ioc, buf, sizeof(buf), &error_abort),
                    ==, 0);
    object_unref(OBJECT(ioc));
}

int main(int argc, char **argv)
{
    int ret;

    qio_test_init(&argc, &argv);
    /* Writing to a child that already exited must fail, not kill us. */
    signal(SIGPIPE, SIG_IGN);
    scratch_dir = scratch_dir_new("qio-test-cmd");

    qio_test_add_func("/io/channel/command/fifo/sync",
                      test_io_channel_command_fifo_sync);
    qio_test_add_func("/io/channel/command/fifo/async",
                      test_io_channel_command_fifo_async);
    qio_test_add_func("/io/channel/command/echo/sync",
                      test_io_channel_command_echo_sync);
    qio_test_add_func("/io/channel/command/echo/async",
                      test_io_channel_command_echo_async);
    qio_test_add_func("/io/channel/command/echo/coroutine",
                      test_io_channel_command_echo_coroutine);
    qio_test_add_func("/io/channel/command/sigterm-ignored",
                      test_io_channel_command_sigterm_ignored);
    qio_test_add_func("/io/channel/command/unref-kills",
                      test_io_channel_command_unref_kills);
    qio_test_add_func("/io/channel/command/exit-first",
                      test_io_channel_command_exit_first);
    qio_test_add_data_func("/io/channel/command/exec-failure/rdonly",
                           GINT_TO_POINTER(O_RDONLY),
                           test_io_channel_command_exec_failure);
    qio_test_add_data_func("/io/channel/command/exec-failure/wronly",
                           GINT_TO_POINTER(O_WRONLY),
                           test_io_channel_command_exec_failure);
    qio_test_add_data_func("/io/channel/command/exec-failure/rdwr",
                           GINT_TO_POINTER(O_RDWR),
                           test_io_channel_command_exec_failure);
    qio_test_add_func("/io/channel/command/bad-args",
                      test_io_channel_command_bad_args);
    qio_test_add_func("/io/channel/command/null-direction",
                      test_io_channel_command_null_direction);
    qio_test_add_func("/io/channel/command/new-pid",
                      test_io_channel_command_new_pid);
    qio_test_add_func("/io/channel/command/watch",
                      test_io_channel_command_watch);

    ret = g_test_run();
    scratch_dir_remove(scratch_dir);
    return ret;
}
