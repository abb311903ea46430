/*
 * co_sleep_ns(): suspend a coroutine for a while.
 *
 * libqio has no timer subsystem of its own, so the wake-up is a GLib
 * source on the default main context, which must be iterated by the
 * thread that owns the sleeping coroutine.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"

#include "qemu/coroutine.h"
#include "qemu/timer.h"

/*
 * g_timeout_source_new() counts in milliseconds; a source with a ready
 * time (in microseconds of g_get_monotonic_time()) and no prepare/check
 * functions gives finer sleeps at no extra cost.
 */
typedef struct CoSleepSource {
    GSource source;
    Coroutine *co;
} CoSleepSource;

static gboolean co_sleep_dispatch(GSource *source, GSourceFunc callback,
                                  gpointer user_data)
{
    CoSleepSource *cs = (CoSleepSource *)source;

    qemu_coroutine_enter(cs->co, NULL);
    return G_SOURCE_REMOVE;
}

static GSourceFuncs co_sleep_source_funcs = {
    .dispatch = co_sleep_dispatch,
};

void coroutine_fn co_sleep_ns(QEMUClockType type, int64_t ns)
{
    GSource *source;
    gint64 wake_us;

    if (!qemu_in_coroutine()) {
        fprintf(stderr, "co_sleep_ns: called outside a coroutine\n");
        abort();
    }

    /* Round up: a sleep is never shorter than asked. */
    wake_us = g_get_monotonic_time();
    if (ns > 0) {
        wake_us += (ns + SCALE_US - 1) / SCALE_US;
    }

    source = g_source_new(&co_sleep_source_funcs, sizeof(CoSleepSource));
    ((CoSleepSource *)source)->co = qemu_coroutine_self();
    g_source_set_name(source, "co_sleep_ns");
    g_source_set_ready_time(source, wake_us);
    g_source_attach(source, g_main_context_default());
    /* The context holds its own reference until the source is removed. */
    g_source_unref(source);

    qemu_coroutine_yield();
}
