/*
 * GLib compatibility shims: libqio requires GLib 2.40 or newer, so this
 * header only brings in glib itself.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_GLIB_COMPAT_H
#define QEMU_GLIB_COMPAT_H

#include <glib.h>

#endif /* QEMU_GLIB_COMPAT_H */
