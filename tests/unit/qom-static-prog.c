/*
 * Helper of test-qom-static.sh, linked against the static libqio.a:
 *   qom-static-prog list          prints every registered type, sorted
 *   qom-static-prog check NAME... looks each type up; exit 1 if one is
 *                                 missing (and prints "missing NAME")
 * Both first call module_call_init(MODULE_INIT_QOM), which is all a
 * program should need for every libqio type to be registered.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/module.h"
#include "qom/object.h"

static gint compare_class_names(gconstpointer a, gconstpointer b)
{
    return strcmp(object_class_get_name((ObjectClass *)a),
                  object_class_get_name((ObjectClass *)b));
}

int main(int argc, char **argv)
{
    int i, ret = 0;

    module_call_init(MODULE_INIT_QOM);
    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        GSList *list = g_slist_sort(object_class_get_list(NULL, true),
                                    compare_class_names);
        GSList *l;

        for (l = list; l; l = l->next) {
            printf("%s\n", object_class_get_name(l->data));
        }
        g_slist_free(list);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "check") == 0) {
        for (i = 2; i < argc; i++) {
            if (!object_class_by_name(argv[i])) {
                printf("missing %s\n", argv[i]);
                ret = 1;
            }
        }
        return ret;
    }
    fprintf(stderr, "usage: %s list | check TYPE...\n", argv[0]);
    return 2;
}
