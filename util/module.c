/*
 * Module initialisation lists: constructors register functions by kind,
 * module_call_init() runs one kind's list in registration order.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/module.h"

/*
 * Defined in the file the build generates from the library's sources
 * (scripts/gen-type-anchors.sh): the address of every module_init()
 * anchor in libqio, NULL-terminated.
 */
extern const char *const qio_module_anchor_table[]
    __attribute__((visibility("hidden")));

typedef void (*ModuleInitFunc)(void);

/* One array of ModuleInitFunc per kind; entries are never removed. */
static GMutex module_lock;
static GArray *module_lists[MODULE_INIT_MAX];

void register_module_init(void (*fn)(void), module_init_type type)
{
    g_assert(fn != NULL);
    g_assert((unsigned)type < MODULE_INIT_MAX);

    g_mutex_lock(&module_lock);
    if (!module_lists[type]) {
        module_lists[type] = g_array_new(FALSE, FALSE,
                                         sizeof(ModuleInitFunc));
    }
    g_array_append_val(module_lists[type], fn);
    g_mutex_unlock(&module_lock);
}

void module_call_init(module_init_type type)
{
    ModuleInitFunc *fns;
    guint i, n;

    g_assert((unsigned)type < MODULE_INIT_MAX);

    /*
     * Make the anchor table a real dependency of this object file: a
     * static link that needs module_call_init() then also extracts the
     * table and, through it, every object file that registers a module.
     * The empty asm forces the address into a register, so the compiler
     * cannot drop the reference.
     */
    __asm__ __volatile__("" : : "r"(qio_module_anchor_table));

    /*
     * Run a snapshot without the lock: an init function may register
     * further functions, or call module_call_init() for another kind.
     */
    g_mutex_lock(&module_lock);
    n = module_lists[type] ? module_lists[type]->len : 0;
    fns = g_new(ModuleInitFunc, n ? n : 1);
    if (n) {
        memcpy(fns, module_lists[type]->data, n * sizeof(ModuleInitFunc));
    }
    g_mutex_unlock(&module_lock);

    for (i = 0; i < n; i++) {
        fns[i]();
    }
    g_free(fns);
}
