/*
 * Clock names and time scales.
 *
 * libqio has no QEMU timer subsystem: time-based wake-ups are GLib
 * sources on a GMainContext.  This header only carries the QEMUClockType
 * names that QEMU-era prototypes use (co_sleep_ns() takes one) and the
 * nanosecond scale factors.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_TIMER_H
#define QEMU_TIMER_H

/**
 * SCALE_MS:
 *
 * Nanoseconds per millisecond.
 */
#define SCALE_MS 1000000

/**
 * SCALE_US:
 *
 * Nanoseconds per microsecond.
 */
#define SCALE_US 1000

/**
 * SCALE_NS:
 *
 * Nanoseconds per nanosecond, for symmetry with SCALE_MS and SCALE_US.
 */
#define SCALE_NS 1

/**
 * QEMUClockType:
 * @QEMU_CLOCK_REALTIME: monotonic time that runs even when a guest is
 *     stopped
 * @QEMU_CLOCK_VIRTUAL: guest time; libqio has no guest, so it runs like
 *     @QEMU_CLOCK_REALTIME
 * @QEMU_CLOCK_HOST: the host's wall clock
 * @QEMU_CLOCK_VIRTUAL_RT: guest real time; like @QEMU_CLOCK_REALTIME here
 * @QEMU_CLOCK_MAX: number of clock types, not a clock
 *
 * The clocks QEMU-era APIs name.  libqio measures every relative delay on
 * the monotonic clock whichever type is given, since the distinctions only
 * matter to a hypervisor that can stop or warp guest time.
 */
typedef enum {
    QEMU_CLOCK_REALTIME = 0,
    QEMU_CLOCK_VIRTUAL = 1,
    QEMU_CLOCK_HOST = 2,
    QEMU_CLOCK_VIRTUAL_RT = 3,
    QEMU_CLOCK_MAX
} QEMUClockType;

#endif /* QEMU_TIMER_H */
