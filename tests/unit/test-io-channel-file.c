/*
 * Tests for the file channel: regular files, pipes, seeking, errors and
 * fd ownership.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/channel-file.h"
#include "io/channel-util.h"
#include "io/channel-socket.h"
#include "io-channel-helpers.h"
#include "qio-test.h"
#include "scratch-dir.h"

static char *scratch_dir;

static char *scratch_path(const char *name)
{
    return g_build_filename(scratch_dir, name, NULL);
}

static bool fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) >= 0;
}

static void test_io_channel_file(void)
{
    char *path = scratch_path("test-io-channel-file.txt");
    QIOChannel *src, *dst;
    QIOChannelTest *test;

    src = QIO_CHANNEL(qio_channel_file_new_path(
                          path, O_WRONLY | O_CREAT | O_TRUNC | O_BINARY,
                          0600, &error_abort));
    test = qio_channel_test_new();
    qio_channel_test_run_writer(test, src);
    object_unref(OBJECT(src));

    dst = QIO_CHANNEL(qio_channel_file_new_path(path, O_RDONLY | O_BINARY,
                                                0, &error_abort));
    qio_channel_test_run_reader(test, dst);
    qio_channel_test_validate(test);
    object_unref(OBJECT(dst));

    unlink(path);
    g_free(path);
}

/* One read-write channel: write, seek back, read the same bytes. */
static void test_io_channel_file_rdwr(void)
{
    char *path = scratch_path("test-io-channel-file-rdwr.txt");
    QIOChannel *ioc;
    QIOChannelTest *test;
    struct stat st;

    ioc = QIO_CHANNEL(qio_channel_file_new_path(
                          path, O_RDWR | O_CREAT | O_TRUNC | O_BINARY,
                          0600, &error_abort));
    test = qio_channel_test_new();
    qio_channel_test_run_writer(test, ioc);
    g_assert_cmpint(qio_channel_io_seek(ioc, 0, SEEK_SET, &error_abort),
                    ==, 0);
    qio_channel_test_run_reader(test, ioc);
    qio_channel_test_validate(test);
    object_unref(OBJECT(ioc));

    /* The mode is honoured when O_CREAT creates the file. */
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    unlink(path);
    g_free(path);
}

static void test_io_channel_file_seek(void)
{
    char *path = scratch_path("test-io-channel-file-seek.txt");
    QIOChannel *ioc;
    char buf[16];

    ioc = QIO_CHANNEL(qio_channel_file_new_path(
                          path, O_RDWR | O_CREAT | O_TRUNC, 0600,
                          &error_abort));
    g_assert_cmpint(qio_channel_write(ioc, "0123456789", 10, &error_abort),
                    ==, 10);
    g_assert_cmpint(qio_channel_io_seek(ioc, 3, SEEK_SET, &error_abort),
                    ==, 3);
    g_assert_cmpint(qio_channel_read(ioc, buf, 4, &error_abort), ==, 4);
    g_assert_cmpmem(buf, 4, "3456", 4);
    g_assert_cmpint(qio_channel_io_seek(ioc, -2, SEEK_CUR, &error_abort),
                    ==, 5);
    g_assert_cmpint(qio_channel_io_seek(ioc, -1, SEEK_END, &error_abort),
                    ==, 9);
    g_assert_cmpint(qio_channel_read(ioc, buf, sizeof(buf), &error_abort),
                    ==, 1);
    g_assert_cmpint(buf[0], ==, '9');
    /* At the end of the file a read is EOF. */
    g_assert_cmpint(qio_channel_read(ioc, buf, sizeof(buf), &error_abort),
                    ==, 0);
    object_unref(OBJECT(ioc));
    unlink(path);
    g_free(path);
}

static void test_io_channel_file_errors(void)
{
    char *path = scratch_path("no-such-dir/file");
    Error *err = NULL;
    QIOChannelFile *fioc;
    QIOChannel *ioc;
    int fds[2];

    fioc = qio_channel_file_new_path(path, O_RDONLY, 0, &err);
    g_assert_null(fioc);
    qio_assert_error_contains(err, path);
    error_free(err);
    err = NULL;

    /* Pipes cannot seek and files cannot shut down. */
    g_assert_cmpint(pipe(fds), ==, 0);
    ioc = QIO_CHANNEL(qio_channel_file_new_fd(fds[0]));
    g_assert_cmpint(qio_channel_io_seek(ioc, 0, SEEK_SET, &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_shutdown(ioc, QIO_CHANNEL_SHUTDOWN_BOTH,
                                         &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;
    g_assert_false(qio_channel_has_feature(ioc,
                                           QIO_CHANNEL_FEATURE_FD_PASS));
    g_assert_false(qio_channel_has_feature(ioc,
                                           QIO_CHANNEL_FEATURE_SHUTDOWN));
    /* Hints that do not apply are ignored. */
    qio_channel_set_delay(ioc, false);
    qio_channel_set_cork(ioc, true);
    object_unref(OBJECT(ioc));
    close(fds[1]);
    g_free(path);
}

/*
 * Passing fds is refused before any I/O happens: nothing reaches the
 * file and nothing is read from it.
 */
static void test_io_channel_file_fd_pass(void)
{
    char *path = scratch_path("test-io-channel-file-fdpass.txt");
    QIOChannel *ioc;
    struct iovec iov = { .iov_base = (char *)"hello", .iov_len = 5 };
    char buf[8];
    struct iovec riov = { .iov_base = buf, .iov_len = sizeof(buf) };
    int sendfd = STDERR_FILENO;
    int *rfds = NULL;
    size_t nrfds = 0;
    Error *err = NULL;

    ioc = QIO_CHANNEL(qio_channel_file_new_path(
                          path, O_RDWR | O_CREAT | O_TRUNC, 0600,
                          &error_abort));
    g_assert_cmpint(qio_channel_writev_full(ioc, &iov, 1, &sendfd, 1, &err),
                    ==, -1);
    qio_assert_error_contains(err, "file descriptor passing");
    error_free(err);
    err = NULL;
    g_assert_cmpint(qio_channel_io_seek(ioc, 0, SEEK_END, &error_abort),
                    ==, 0);

    g_assert_cmpint(qio_channel_write(ioc, "hello", 5, &error_abort), ==, 5);
    g_assert_cmpint(qio_channel_io_seek(ioc, 0, SEEK_SET, &error_abort),
                    ==, 0);
    g_assert_cmpint(qio_channel_readv_full(ioc, &riov, 1, &rfds, &nrfds,
                                           &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;
    /* Asking only for the count is refused as well. */
    g_assert_cmpint(qio_channel_readv_full(ioc, &riov, 1, NULL, &nrfds,
                                           &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    g_assert_null(rfds);
    g_assert_cmpint(qio_channel_io_seek(ioc, 0, SEEK_CUR, &error_abort),
                    ==, 0);
    object_unref(OBJECT(ioc));
    unlink(path);
    g_free(path);
}

/*
 * close() releases the fd exactly once: after it, the same fd number
 * handed out again by the kernel must survive the channel's finalize.
 */
static void test_io_channel_file_close_once(void)
{
    char *path = scratch_path("test-io-channel-file-close.txt");
    QIOChannelFile *fioc;
    int fd, reused;

    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    g_assert_cmpint(fd, >=, 0);
    fioc = qio_channel_file_new_fd(fd);
    g_assert_cmpint(fioc->fd, ==, fd);
    g_assert_cmpint(qio_channel_close(QIO_CHANNEL(fioc), &error_abort),
                    ==, 0);
    g_assert_cmpint(fioc->fd, ==, -1);
    g_assert_false(fd_is_open(fd));
    /* A second close is harmless. */
    g_assert_cmpint(qio_channel_close(QIO_CHANNEL(fioc), &error_abort),
                    ==, 0);

    reused = open(path, O_RDONLY);
    g_assert_cmpint(reused, ==, fd);
    object_unref(OBJECT(fioc));
    g_assert_true(fd_is_open(reused));
    close(reused);

    /* Without close(), finalize releases the fd. */
    fd = open(path, O_RDONLY);
    g_assert_cmpint(fd, >=, 0);
    fioc = qio_channel_file_new_fd(fd);
    object_unref(OBJECT(fioc));
    g_assert_false(fd_is_open(fd));

    unlink(path);
    g_free(path);
}

/* I/O on a closed channel fails instead of touching a stale fd number. */
static void test_io_channel_file_closed_io(void)
{
    int fds[2];
    QIOChannel *ioc;
    Error *err = NULL;
    char c = 'x';

    g_assert_cmpint(pipe(fds), ==, 0);
    ioc = QIO_CHANNEL(qio_channel_file_new_fd(fds[1]));
    qio_channel_close(ioc, &error_abort);
    g_assert_cmpint(qio_channel_write(ioc, &c, 1, &err), ==, -1);
    g_assert_nonnull(err);
    error_free(err);
    object_unref(OBJECT(ioc));
    close(fds[0]);
}

static void test_io_channel_file_new_fd_type(void)
{
    char *path = scratch_path("test-io-channel-file-type.txt");
    QIOChannel *ioc;
    Error *err = NULL;
    int fd, sv[2];

    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    g_assert_cmpint(fd, >=, 0);
    ioc = qio_channel_new_fd(fd, &error_abort);
    g_assert_cmpstr(object_get_typename(OBJECT(ioc)), ==,
                    TYPE_QIO_CHANNEL_FILE);
    g_assert_nonnull(object_dynamic_cast(OBJECT(ioc), TYPE_QIO_CHANNEL));
    object_unref(OBJECT(ioc));
    g_assert_false(fd_is_open(fd));

    /* A socket gets the socket class. */
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    ioc = qio_channel_new_fd(sv[0], &error_abort);
    g_assert_cmpstr(object_get_typename(OBJECT(ioc)), ==,
                    TYPE_QIO_CHANNEL_SOCKET);
    object_unref(OBJECT(ioc));
    g_assert_false(fd_is_open(sv[0]));
    close(sv[1]);

    /* A closed fd is refused. */
    g_assert_null(qio_channel_new_fd(fd, &err));
    g_assert_nonnull(err);
    error_free(err);

    unlink(path);
    g_free(path);
}

static void test_io_channel_pipe(bool blocking)
{
    QIOChannel *src, *dst;
    QIOChannelTest *test;
    int fd[2];

    g_assert_cmpint(pipe(fd), ==, 0);
    src = QIO_CHANNEL(qio_channel_file_new_fd(fd[1]));
    dst = QIO_CHANNEL(qio_channel_file_new_fd(fd[0]));

    test = qio_channel_test_new();
    qio_channel_test_run_threads(test, blocking, src, dst);
    qio_channel_test_validate(test);

    object_unref(OBJECT(src));
    object_unref(OBJECT(dst));
}

static void test_io_channel_pipe_sync(void)
{
    test_io_channel_pipe(true);
}

static void test_io_channel_pipe_async(void)
{
    test_io_channel_pipe(false);
}

/* A non-blocking pipe with nothing in it reports would-block. */
static void test_io_channel_pipe_block(void)
{
    QIOChannel *src, *dst;
    int fd[2];
    char buf[4];

    g_assert_cmpint(pipe(fd), ==, 0);
    src = QIO_CHANNEL(qio_channel_file_new_fd(fd[1]));
    dst = QIO_CHANNEL(qio_channel_file_new_fd(fd[0]));
    qio_channel_set_blocking(dst, false, &error_abort);
    g_assert_cmpint(qio_channel_read(dst, buf, sizeof(buf), &error_abort),
                    ==, QIO_CHANNEL_ERR_BLOCK);
    g_assert_cmpint(qio_channel_write(src, "ab", 2, &error_abort), ==, 2);
    g_assert_cmpint(qio_channel_read(dst, buf, sizeof(buf), &error_abort),
                    ==, 2);
    g_assert_cmpmem(buf, 2, "ab", 2);
    /* After the writer is gone, the reader sees EOF. */
    object_unref(OBJECT(src));
    g_assert_cmpint(qio_channel_read(dst, buf, sizeof(buf), &error_abort),
                    ==, 0);
    object_unref(OBJECT(dst));
}

int main(int argc, char **argv)
{
    int ret;

    qio_test_init(&argc, &argv);
    scratch_dir = scratch_dir_new("qio-test-file");

    qio_test_add_func("/io/channel/file", test_io_channel_file);
    qio_test_add_func("/io/channel/file/rdwr", test_io_channel_file_rdwr);
    qio_test_add_func("/io/channel/file/seek", test_io_channel_file_seek);
    qio_test_add_func("/io/channel/file/errors",
                      test_io_channel_file_errors);
    qio_test_add_func("/io/channel/file/fd-pass",
                      test_io_channel_file_fd_pass);
    qio_test_add_func("/io/channel/file/close-once",
                      test_io_channel_file_close_once);
    qio_test_add_func("/io/channel/file/closed-io",
                      test_io_channel_file_closed_io);
    qio_test_add_func("/io/channel/file/fd", test_io_channel_file_new_fd_type);
    qio_test_add_func("/io/channel/pipe/sync", test_io_channel_pipe_sync);
    qio_test_add_func("/io/channel/pipe/async", test_io_channel_pipe_async);
    qio_test_add_func("/io/channel/pipe/block", test_io_channel_pipe_block);

    ret = g_test_run();
    scratch_dir_remove(scratch_dir);
    return ret;
}
