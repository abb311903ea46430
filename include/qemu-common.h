/*
 * The umbrella header of QEMU-era code: osdep (libc, glib, Error) plus the
 * common utility headers, so that including one io header is enough.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_COMMON_H
#define QEMU_COMMON_H

#include "qemu/osdep.h"
#include "qemu/typedefs.h"
#include "glib-compat.h"
#include "qemu/bswap.h"
#include "qemu/module.h"
#include "qemu/cutils.h"

#endif /* QEMU_COMMON_H */
