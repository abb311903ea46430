/*
 * Forward declarations shared by many headers.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_TYPEDEFS_H
#define QEMU_TYPEDEFS_H

typedef struct Error Error;
typedef struct Object Object;
typedef struct ObjectClass ObjectClass;
typedef struct Coroutine Coroutine;
typedef struct Buffer Buffer;
typedef struct QemuMutex QemuMutex;
typedef struct QemuCond QemuCond;
typedef struct QemuSemaphore QemuSemaphore;
typedef struct QemuEvent QemuEvent;
typedef struct QemuThread QemuThread;

#endif /* QEMU_TYPEDEFS_H */
