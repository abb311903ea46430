/*
 * A private scratch directory under the system temporary directory, for
 * tests that create files, FIFOs or sockets by name.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_TEST_SCRATCH_DIR_H
#define QIO_TEST_SCRATCH_DIR_H

#include "qemu/osdep.h"

/**
 * scratch_dir_new:
 * @prefix: the start of the directory's name, e.g. "qio-test-file"
 *
 * Creates a new, empty directory @prefix-XXXXXX (with a unique suffix) in
 * g_get_tmp_dir(); failing to do so fails the test.
 *
 * Returns: the directory's path; pass it to scratch_dir_remove()
 */
char *scratch_dir_new(const char *prefix);

/**
 * scratch_dir_remove:
 * @dir: a directory made by scratch_dir_new()
 *
 * Deletes whatever files a failed test left in @dir, then @dir itself
 * (reporting on stderr if that fails), and frees @dir.
 */
void scratch_dir_remove(char *dir);

#endif /* QIO_TEST_SCRATCH_DIR_H */
