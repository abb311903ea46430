/*
 * Compile test for the umbrella headers: QEMU-era code includes just
 * qemu-common.h and qom/object.h and expects libc, glib, the Error API
 * (error_abort) and module_call_init() to be there.  Nothing else is
 * included on purpose.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu-common.h"
#include "qom/object.h"

static void test_umbrella_headers(void)
{
    Error *err = NULL;
    Object *obj;
    int fd;

    module_call_init(MODULE_INIT_QOM);
    obj = object_new_with_props(TYPE_CONTAINER, object_get_objects_root(),
                                "headers-test", &error_abort, NULL);
    g_assert_true(object_resolve_path("/objects/headers-test", NULL) == obj);
    g_assert_null(object_new_with_props("no-such-type",
                                        object_get_objects_root(), "x", &err,
                                        NULL));
    g_assert_nonnull(err);
    error_free(err);
    object_unparent(obj);
    g_assert_null(object_resolve_path("/objects/headers-test", NULL));

    /* osdep.h's libc and POSIX pieces. */
    fd = open("/dev/null", O_RDONLY | O_BINARY);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qom/headers/umbrella", test_umbrella_headers);
    return g_test_run();
}
