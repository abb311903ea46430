/*
 * Tests for QAPI Error (include/qapi/error.h) and the error reporting
 * functions (include/qemu/error-report.h).
 *
 * Behaviours that end the process (error_abort, error_fatal, a double set)
 * run in a child and are checked through its exit status and stderr.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qio-test.h"

static void test_setg_basic(void)
{
    Error *err = NULL;

    error_setg(&err, "value %d is %s", 42, "bad");
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, "value 42 is bad");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_GENERIC_ERROR);
    g_assert_null(error_get_hint(err));
    error_free(err);
}

static void test_set_class(void)
{
    Error *err = NULL;

    error_set(&err, ERROR_CLASS_DEVICE_NOT_FOUND, "no device %s", "d0");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_DEVICE_NOT_FOUND);
    g_assert_cmpstr(error_get_pretty(err), ==, "no device d0");
    error_free(err);

    err = NULL;
    error_set(&err, ERROR_CLASS_KVM_MISSING, "no kvm");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_KVM_MISSING);
    error_free(err);
}

static void test_setg_errno(void)
{
    Error *err = NULL;
    char *expect = g_strdup_printf("cannot open %s: %s", "x.txt",
                                   strerror(ENOENT));

    error_setg_errno(&err, ENOENT, "cannot open %s", "x.txt");
    g_assert_cmpstr(error_get_pretty(err), ==, expect);
    error_free(err);
    g_free(expect);

    /* An errno of 0 adds nothing. */
    err = NULL;
    error_setg_errno(&err, 0, "plain");
    g_assert_cmpstr(error_get_pretty(err), ==, "plain");
    error_free(err);
}

static void test_setg_file_open(void)
{
    Error *err = NULL;
    char *expect = g_strdup_printf("Could not open '/no/such/file': %s",
                                   strerror(ENOENT));

    error_setg_file_open(&err, ENOENT, "/no/such/file");
    g_assert_cmpstr(error_get_pretty(err), ==, expect);
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_GENERIC_ERROR);
    error_free(err);
    g_free(expect);
}

static void test_errno_preserved(void)
{
    Error *err = NULL;

    errno = EXDEV;
    error_setg(&err, "one");
    g_assert_cmpint(errno, ==, EXDEV);
    error_free(err);

    err = NULL;
    errno = EXDEV;
    error_setg_errno(&err, EACCES, "two");
    g_assert_cmpint(errno, ==, EXDEV);

    errno = EXDEV;
    error_append_hint(&err, "hint\n");
    g_assert_cmpint(errno, ==, EXDEV);
    error_free(err);

    errno = EXDEV;
    error_setg(NULL, "discarded");
    g_assert_cmpint(errno, ==, EXDEV);
}

static void test_null_errp_discards(void)
{
    Error *err = NULL;

    /* Nothing to check but that nothing crashes or leaks. */
    error_setg(NULL, "dropped %d", 1);
    error_setg_errno(NULL, EIO, "dropped");
    error_setg_file_open(NULL, ENOENT, "f");
    error_set(NULL, ERROR_CLASS_GENERIC_ERROR, "dropped");
    error_prepend(NULL, "x");
    error_append_hint(NULL, "y");

    error_setg(&err, "given away");
    error_propagate(NULL, err);
    error_propagate(NULL, NULL);
}

static void test_double_set_asserts(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;

        error_setg(&err, "first");
        error_setg(&err, "second");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*ssertion*");
}

/* error_setg() below is on this line + 3: the report must name it. */
enum { SET_ERROR_ABORT_LINE = __LINE__ + 3 };
static void set_error_abort(void)
{
    error_setg(&error_abort, "broken %s", "invariant");
}

static void test_error_abort(void)
{
    char *pattern;

    if (g_test_subprocess()) {
        set_error_abort();
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    pattern = g_strdup_printf("Unexpected error in set_error_abort() at "
                              "*test-qapi-error.c:%d:\n*broken invariant\n",
                              SET_ERROR_ABORT_LINE);
    g_test_trap_assert_stderr(pattern);
    g_free(pattern);
}

static void test_error_propagate_abort(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;

        error_setg(&err, "handed to abort");
        error_propagate(&error_abort, err);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("Unexpected error in "
                              "test_error_propagate_abort() at "
                              "*test-qapi-error.c:*handed to abort\n");
}

/*
 * Runs @fn in a forked child whose stderr goes to a pipe, and returns the
 * child's wait status; *@out receives what it wrote on stderr.
 */
static int run_in_child(void (*fn)(void), char **out)
{
    GString *text = g_string_new(NULL);
    char buf[256];
    int fds[2];
    int status;
    ssize_t n;
    pid_t pid;

    g_assert_cmpint(qemu_pipe(fds), ==, 0);
    fflush(stderr);
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        close(fds[1]);
        fn();
        /* Only reached if fn() failed to end the process. */
        _exit(99);
    }
    close(fds[1]);
    while ((n = read(fds[0], buf, sizeof(buf))) > 0 ||
           (n < 0 && errno == EINTR)) {
        if (n > 0) {
            g_string_append_len(text, buf, n);
        }
    }
    close(fds[0]);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    *out = g_string_free(text, FALSE);
    return status;
}

static void set_error_fatal(void)
{
    error_set_progname("/some/dir/fatalprog");
    error_setg(&error_fatal, "fatal %s", "trouble");
}

static void propagate_error_fatal(void)
{
    Error *err = NULL;

    error_set_progname(NULL);
    error_setg(&err, "propagated trouble");
    error_propagate(&error_fatal, err);
}

static void test_error_fatal(void)
{
    char *out;
    int status;

    status = run_in_child(set_error_fatal, &out);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    g_assert_cmpstr(out, ==, "fatalprog: fatal trouble\n");
    g_free(out);

    status = run_in_child(propagate_error_fatal, &out);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    g_assert_cmpstr(out, ==, "propagated trouble\n");
    g_free(out);
}

static void test_propagate(void)
{
    Error *dst = NULL;
    Error *local = NULL;
    Error *second = NULL;
    Error *kept;

    /* NULL local error: nothing happens. */
    error_propagate(&dst, NULL);
    g_assert_null(dst);

    /* Into an empty destination: the very same object moves. */
    error_setg(&local, "first");
    kept = local;
    error_propagate(&dst, local);
    g_assert_true(dst == kept);

    /* The first error wins; the second is freed (leak checkers see it). */
    error_setg(&second, "second");
    error_propagate(&dst, second);
    g_assert_true(dst == kept);
    g_assert_cmpstr(error_get_pretty(dst), ==, "first");
    error_free(dst);
}

static void test_copy(void)
{
    Error *err = NULL;
    Error *copy;

    error_set(&err, ERROR_CLASS_DEVICE_ENCRYPTED, "locked %d", 7);
    error_append_hint(&err, "use a key\n");
    copy = error_copy(err);
    g_assert_true(copy != err);
    g_assert_cmpstr(error_get_pretty(copy), ==, "locked 7");
    g_assert_true(error_get_pretty(copy) != error_get_pretty(err));
    g_assert_cmpint(error_get_class(copy), ==, ERROR_CLASS_DEVICE_ENCRYPTED);
    g_assert_cmpstr(error_get_hint(copy), ==, "use a key\n");

    /* Independent: changing or freeing the original leaves the copy. */
    error_prepend(&err, "ctx: ");
    g_assert_cmpstr(error_get_pretty(copy), ==, "locked 7");
    error_free(err);
    g_assert_cmpstr(error_get_pretty(copy), ==, "locked 7");
    error_free(copy);
}

static void test_prepend(void)
{
    Error *err = NULL;

    error_prepend(&err, "nothing to prepend to: ");
    g_assert_null(err);

    error_setg(&err, "disk full");
    error_prepend(&err, "writing %s: ", "log");
    g_assert_cmpstr(error_get_pretty(err), ==, "writing log: disk full");
    error_prepend(&err, "job %d: ", 3);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "job 3: writing log: disk full");
    error_free(err);
}

static void test_hint(void)
{
    Error *err = NULL;

    error_setg(&err, "bad option");
    error_append_hint(&err, "valid values: %s\n", "a, b");
    error_append_hint(&err, "see the manual\n");
    g_assert_cmpstr(error_get_hint(err), ==,
                    "valid values: a, b\nsee the manual\n");
    /* The hint is not part of the message. */
    g_assert_cmpstr(error_get_pretty(err), ==, "bad option");
    error_free(err);

    /* Abort and fatal never show hints to anyone: dropped, no crash. */
    error_append_hint(&error_abort, "ignored\n");
    error_append_hint(&error_fatal, "ignored\n");
}

/*
 * Runs @fn with stderr redirected into a pipe and returns what it wrote.
 * The output is small, so the pipe cannot fill up and block @fn.
 */
static char *capture_stderr(void (*fn)(void))
{
    GString *text = g_string_new(NULL);
    char buf[256];
    int saved;
    int fds[2];
    ssize_t n;

    g_assert_cmpint(qemu_pipe(fds), ==, 0);
    fflush(stderr);
    saved = dup(STDERR_FILENO);
    g_assert_cmpint(saved, >=, 0);
    g_assert_cmpint(dup2(fds[1], STDERR_FILENO), ==, STDERR_FILENO);
    close(fds[1]);

    fn();

    fflush(stderr);
    g_assert_cmpint(dup2(saved, STDERR_FILENO), ==, STDERR_FILENO);
    close(saved);
    while ((n = read(fds[0], buf, sizeof(buf))) > 0 ||
           (n < 0 && errno == EINTR)) {
        if (n > 0) {
            g_string_append_len(text, buf, n);
        }
    }
    close(fds[0]);
    return g_string_free(text, FALSE);
}

static void report_err_with_hint(void)
{
    Error *err = NULL;

    error_setg(&err, "bad option");
    error_append_hint(&err, "try --help\n");
    error_report_err(err);
    error_report_err(NULL);
}

static void test_report_err_hint(void)
{
    char *out;

    error_set_progname(NULL);
    out = capture_stderr(report_err_with_hint);
    g_assert_cmpstr(out, ==, "bad option\ntry --help\n");
    g_free(out);
}

static void reportf_err_with_prefix(void)
{
    Error *err = NULL;

    error_setg(&err, "refused");
    error_reportf_err(err, "connecting to %s: ", "host");
}

static void test_reportf_err(void)
{
    char *out;

    error_set_progname("tool");
    out = capture_stderr(reportf_err_with_prefix);
    error_set_progname(NULL);
    g_assert_cmpstr(out, ==, "tool: connecting to host: refused\n");
    g_free(out);
}

static void report_with_and_without_progname(void)
{
    error_set_progname(NULL);
    error_report("no prefix %d", 1);
    error_set_progname("/usr/local/bin/myprog");
    error_report("with prefix %d", 2);
    /* error_printf never adds a prefix or a newline. */
    error_printf("raw %s", "text");
    error_printf("|\n");
}

static void test_report_progname(void)
{
    char *out;

    g_assert_null(error_get_progname());
    out = capture_stderr(report_with_and_without_progname);
    g_assert_cmpstr(error_get_progname(), ==, "myprog");
    error_set_progname(NULL);
    g_assert_null(error_get_progname());
    g_assert_cmpstr(out, ==,
                    "no prefix 1\nmyprog: with prefix 2\nraw text|\n");
    g_free(out);
}

static void test_free_null(void)
{
    error_free(NULL);
}

static void test_free_or_abort(void)
{
    Error *err = NULL;

    error_setg(&err, "expected");
    error_free_or_abort(&err);
    g_assert_null(err);

    if (g_test_subprocess()) {
        err = NULL;
        error_free_or_abort(&err);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/qapi/error/setg", test_setg_basic);
    qio_test_add_func("/qapi/error/set-class", test_set_class);
    qio_test_add_func("/qapi/error/setg-errno", test_setg_errno);
    qio_test_add_func("/qapi/error/setg-file-open", test_setg_file_open);
    qio_test_add_func("/qapi/error/errno-preserved", test_errno_preserved);
    qio_test_add_func("/qapi/error/null-errp", test_null_errp_discards);
    qio_test_add_func("/qapi/error/double-set", test_double_set_asserts);
    qio_test_add_func("/qapi/error/abort", test_error_abort);
    qio_test_add_func("/qapi/error/propagate-abort",
                      test_error_propagate_abort);
    qio_test_add_func("/qapi/error/fatal", test_error_fatal);
    qio_test_add_func("/qapi/error/propagate", test_propagate);
    qio_test_add_func("/qapi/error/copy", test_copy);
    qio_test_add_func("/qapi/error/prepend", test_prepend);
    qio_test_add_func("/qapi/error/hint", test_hint);
    qio_test_add_func("/qapi/error/report-err-hint", test_report_err_hint);
    qio_test_add_func("/qapi/error/reportf-err", test_reportf_err);
    qio_test_add_func("/qapi/error/report-progname", test_report_progname);
    qio_test_add_func("/qapi/error/free-null", test_free_null);
    qio_test_add_func("/qapi/error/free-or-abort", test_free_or_abort);
    return g_test_run();
}
