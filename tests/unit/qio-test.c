/*
 * Shared scaffolding for libqio's GTest programs: leak checks around each
 * test case.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/module.h"
#include "qio-test.h"

#include <dirent.h>
#ifdef CONFIG_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

typedef struct QIOTestCase {
    GTestFunc fn;
    GTestDataFunc data_fn;
    gconstpointer data;
} QIOTestCase;

static gint compare_ints(gconstpointer a, gconstpointer b)
{
    return *(const int *)a - *(const int *)b;
}

/* Open fds as a sorted, comma-separated list, e.g. "0,1,2,5". */
static char *open_fds_describe(void)
{
    GString *out = g_string_new(NULL);
    GArray *fds = g_array_new(FALSE, FALSE, sizeof(int));
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *de;
    guint i;

    g_assert_nonnull(dir);
    while ((de = readdir(dir)) != NULL) {
        int fd;

        if (de->d_name[0] == '.') {
            continue;
        }
        fd = atoi(de->d_name);
        if (fd != dirfd(dir)) {
            g_array_append_val(fds, fd);
        }
    }
    closedir(dir);
    g_array_sort(fds, compare_ints);
    for (i = 0; i < fds->len; i++) {
        g_string_append_printf(out, "%s%d", i ? "," : "",
                               g_array_index(fds, int, i));
    }
    g_array_free(fds, TRUE);
    return g_string_free(out, FALSE);
}

int qio_test_count_open_fds(void)
{
    char *list = open_fds_describe();
    int n = *list ? 1 : 0;
    char *p;

    for (p = list; *p; p++) {
        n += *p == ',';
    }
    g_free(list);
    return n;
}

/* A child still running or left unreaped fails the test that made it. */
static void assert_no_children(void)
{
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);

    if (pid > 0) {
        g_error("test left an unreaped child process %d", (int)pid);
    }
    if (pid == 0) {
        g_error("test left a child process running");
    }
    g_assert_cmpint(errno, ==, ECHILD);
}

static void run_checked(gconstpointer opaque)
{
    const QIOTestCase *tc = opaque;
    char *before = open_fds_describe();
    char *after;

    if (tc->fn) {
        tc->fn();
    } else {
        tc->data_fn(tc->data);
    }
    after = open_fds_describe();
    if (!g_test_failed() && g_strcmp0(before, after) != 0) {
        g_error("fd leak: open fds before the test [%s], after [%s]",
                before, after);
    }
    g_free(before);
    g_free(after);
    assert_no_children();
}

/*
 * Cases stay reachable for the whole run: GTest never frees the data of
 * cases a filtered run (-p, or a g_test_trap_subprocess child) skips, and
 * a leak checker would report those.
 */
static GPtrArray *all_cases;

static void add_case(const char *path, QIOTestCase *tc)
{
    if (!all_cases) {
        all_cases = g_ptr_array_new();
    }
    g_ptr_array_add(all_cases, tc);
    g_test_add_data_func(path, tc, run_checked);
}

void qio_test_add_func(const char *path, GTestFunc fn)
{
    QIOTestCase *tc = g_new0(QIOTestCase, 1);

    tc->fn = fn;
    add_case(path, tc);
}

void qio_test_add_data_func(const char *path, gconstpointer data,
                            GTestDataFunc fn)
{
    QIOTestCase *tc = g_new0(QIOTestCase, 1);

    tc->data_fn = fn;
    tc->data = data;
    add_case(path, tc);
}

bool qio_test_under_valgrind(void)
{
#ifdef CONFIG_VALGRIND_H
    if (RUNNING_ON_VALGRIND) {
        return true;
    }
#endif
    return g_getenv("QIO_UNDER_VALGRIND") != NULL;
}

/*
 * automake's TAP driver reads every program's output, so ask GTest for
 * TAP explicitly rather than rely on the default of recent GLib.  The
 * new vector lives as long as the process, as g_test_init() expects (a
 * static pointer keeps it reachable for leak checkers).
 */
static char **tap_argv;

static void qio_test_request_tap(int *argc, char ***argv)
{
    int i;

    if (tap_argv) {
        return;     /* already done: main() calls qio_test_init() once */
    }
    tap_argv = g_new0(char *, *argc + 2);
    tap_argv[0] = (*argv)[0];
    tap_argv[1] = (char *)"--tap";
    for (i = 1; i < *argc; i++) {
        tap_argv[i + 1] = (*argv)[i];
    }
    *argc += 1;
    *argv = tap_argv;
}

void qio_test_init(int *argc, char ***argv)
{
    qio_test_request_tap(argc, argv);
    g_test_init(argc, argv, NULL);
    module_call_init(MODULE_INIT_QOM);
    /*
     * Allocated on first use and kept for the process's lifetime: the
     * default context's wakeup fd, and the child-watch machinery (a helper
     * thread with its own fd where pidfd_open is missing, as under
     * valgrind).
     */
    g_main_context_wakeup(g_main_context_default());
    g_source_unref(g_child_watch_source_new(getpid()));
}
