/*
 * Shared scaffolding for libqio's GTest programs.
 *
 * Every test registered through qio_test_add_func() or
 * qio_test_add_data_func() is wrapped so that, when it returns, the set of
 * open file descriptors is the same as before it ran and no child process
 * is left behind (running or unreaped).  Memory leaks are caught by the
 * sanitizer and valgrind runs of the suite.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_TEST_H
#define QIO_TEST_H

#include "qemu/osdep.h"

/**
 * qio_test_init:
 * @argc: main()'s argc
 * @argv: main()'s argv
 *
 * Calls g_test_init() asking for TAP output (--tap), registers the QOM
 * types, and creates the lazily allocated process-wide resources (the
 * default main context's wakeup fd) so they do not count as leaks of the
 * first test.
 */
void qio_test_init(int *argc, char ***argv);

/**
 * qio_test_add_func:
 * @path: GTest path, e.g. "/io/channel/socket/ipv4-sync"
 * @fn: the test
 *
 * g_test_add_func() with the fd and child-process leak checks around @fn.
 */
void qio_test_add_func(const char *path, GTestFunc fn);

/**
 * qio_test_add_data_func:
 * @path: GTest path
 * @data: passed to @fn
 * @fn: the test
 *
 * g_test_add_data_func() with the fd and child-process leak checks.
 */
void qio_test_add_data_func(const char *path, gconstpointer data,
                            GTestDataFunc fn);

/**
 * qio_test_under_valgrind:
 *
 * Returns: true when the test runs under valgrind, so that heavy tests can
 * scale their workload down (never their assertions)
 */
bool qio_test_under_valgrind(void);

/**
 * qio_test_count_open_fds:
 *
 * Returns: the number of file descriptors open in this process
 */
int qio_test_count_open_fds(void);

/**
 * qio_assert_no_error:
 * @err: an Error pointer that should be NULL
 *
 * Fails the test, printing the error's message, when @err is set.
 */
#define qio_assert_no_error(err)                                        \
    do {                                                                \
        Error *qio_assert_err_ = (err);                                 \
        if (qio_assert_err_) {                                          \
            g_error("%s:%d: unexpected error: %s", __FILE__, __LINE__,  \
                    error_get_pretty(qio_assert_err_));                 \
        }                                                               \
    } while (0)

/**
 * qio_assert_error_contains:
 * @err: an Error pointer that should be set
 * @needle: text its message must contain
 *
 * Fails the test, printing both strings, unless @err is set and its
 * message contains @needle.
 */
#define qio_assert_error_contains(err, needle)                          \
    do {                                                                \
        Error *qio_assert_err_ = (err);                                 \
        if (!qio_assert_err_) {                                         \
            g_error("%s:%d: expected an error containing \"%s\"",       \
                    __FILE__, __LINE__, (needle));                      \
        }                                                               \
        if (!strstr(error_get_pretty(qio_assert_err_), (needle))) {     \
            g_error("%s:%d: error \"%s\" does not contain \"%s\"",      \
                    __FILE__, __LINE__,                                 \
                    error_get_pretty(qio_assert_err_), (needle));       \
        }                                                               \
    } while (0)

#endif /* QIO_TEST_H */
