/*
 * Growable byte buffers with an adaptive capacity.
 *
 * A Buffer holds the bytes buffer[0 .. offset).  It grows in powers of
 * two (at least 4096 bytes) and gives memory back when, over time, it
 * turns out to be much larger than what its users need.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_BUFFER_H
#define QEMU_BUFFER_H

#include <stddef.h>
#include <stdint.h>
#include <glib.h>
#include "qemu/compiler.h"
#include "qemu/typedefs.h"

/**
 * Buffer:
 * @name: label used in diagnostics, set by buffer_init()
 * @capacity: number of bytes allocated at @buffer
 * @offset: number of bytes in use, from the start of @buffer
 * @avg_size: running average of the capacity needed, scaled by 128; used
 *            to decide when to shrink
 * @buffer: the storage, or NULL while nothing is allocated
 *
 * A contiguous byte buffer.  A zero-filled Buffer is a valid empty one;
 * the fields may be read directly, and @offset may be advanced after
 * writing into the reserved space at buffer_end().
 */
struct Buffer {
    char *name;
    size_t capacity;
    size_t offset;
    uint64_t avg_size;
    uint8_t *buffer;
};

/**
 * buffer_init:
 * @buffer: the buffer to initialise
 * @name: printf-style format for the buffer's name
 *
 * Makes @buffer an empty buffer without storage and gives it a name.
 * Any previous contents of the structure are overwritten, not freed.
 */
void buffer_init(Buffer *buffer, const char *name, ...) GCC_FMT_ATTR(2, 3);

/**
 * buffer_shrink:
 * @buffer: a buffer
 *
 * Updates the running average of the space @buffer needs and, if its
 * capacity has become far larger than that (and is at least 64 KiB),
 * reallocates it smaller.  The contents are kept.  buffer_reset() and
 * buffer_advance() call this themselves.
 */
void buffer_shrink(Buffer *buffer);

/**
 * buffer_reserve:
 * @buffer: a buffer
 * @len: number of bytes about to be added
 *
 * Makes sure at least @len bytes are free after the used part, growing
 * the capacity to a power of two (at least 4096 bytes) when needed.  The
 * storage may move, so pointers into it become invalid.
 */
void buffer_reserve(Buffer *buffer, size_t len);

/**
 * buffer_empty:
 * @buffer: a buffer
 *
 * Returns: TRUE if @buffer holds no bytes, FALSE otherwise
 */
gboolean buffer_empty(Buffer *buffer);

/**
 * buffer_end:
 * @buffer: a buffer
 *
 * Returns: a pointer just past the used part of @buffer, where new data
 * goes (NULL if nothing was ever allocated)
 */
uint8_t *buffer_end(Buffer *buffer);

/**
 * buffer_reset:
 * @buffer: a buffer
 *
 * Discards the contents of @buffer, keeping (and possibly shrinking) its
 * storage.
 */
void buffer_reset(Buffer *buffer);

/**
 * buffer_free:
 * @buffer: a buffer
 *
 * Releases the storage and the name of @buffer and leaves it empty.
 */
void buffer_free(Buffer *buffer);

/**
 * buffer_append:
 * @buffer: a buffer
 * @data: bytes to add
 * @len: number of bytes at @data
 *
 * Copies @len bytes to the end of @buffer.  Unlike QEMU, where the caller
 * had to call buffer_reserve() first, the space is reserved here when
 * needed; reserving beforehand remains harmless.
 */
void buffer_append(Buffer *buffer, const void *data, size_t len);

/**
 * buffer_advance:
 * @buffer: a buffer
 * @len: number of bytes to drop, at most @buffer's offset
 *
 * Removes the first @len bytes of @buffer, moving the remaining ones to
 * the front.
 */
void buffer_advance(Buffer *buffer, size_t len);

/**
 * buffer_move_empty:
 * @to: an empty buffer
 * @from: the buffer whose contents to take
 *
 * Hands the storage of @from over to @to without copying; @to's own
 * storage is freed and @from is left empty without storage.  The names
 * stay with their buffers.
 */
void buffer_move_empty(Buffer *to, Buffer *from);

/**
 * buffer_move:
 * @to: destination buffer
 * @from: the buffer whose contents to take
 *
 * Appends the contents of @from to @to (without copying when @to is
 * empty) and leaves @from empty without storage.
 */
void buffer_move(Buffer *to, Buffer *from);

#endif /* QEMU_BUFFER_H */
