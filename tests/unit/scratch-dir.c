/*
 * A private scratch directory for tests; see scratch-dir.h.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "scratch-dir.h"

char *scratch_dir_new(const char *prefix)
{
    char *templ = g_strdup_printf("%s-XXXXXX", prefix);
    char *dir = g_build_filename(g_get_tmp_dir(), templ, NULL);

    g_free(templ);
    g_assert_nonnull(g_mkdtemp(dir));
    return dir;
}

void scratch_dir_remove(char *dir)
{
    GDir *gdir = g_dir_open(dir, 0, NULL);
    const char *name;

    if (gdir) {
        while ((name = g_dir_read_name(gdir)) != NULL) {
            char *path = g_build_filename(dir, name, NULL);

            unlink(path);
            g_free(path);
        }
        g_dir_close(gdir);
    }
    if (rmdir(dir) < 0) {
        g_printerr("cannot remove %s: %s\n", dir, g_strerror(errno));
    }
    g_free(dir);
}
