/*
 * Growable byte buffers with an adaptive capacity.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/buffer.h"

#define BUFFER_MIN_INIT_SIZE 4096
#define BUFFER_MIN_SHRINK_SIZE 65536

/*
 * avg_size is an exponential moving average of the capacity the buffer
 * needed, kept multiplied by 2^BUFFER_AVG_SIZE_SHIFT so that integer
 * arithmetic keeps its precision.  Each sample moves the average by
 * 1/128 of the difference, so a buffer gives memory back only after being
 * oversized for a long run of resets or advances, not after every burst.
 */
#define BUFFER_AVG_SIZE_SHIFT 7

static size_t pow2_at_least(size_t n)
{
    size_t p = BUFFER_MIN_INIT_SIZE;

    while (p < n) {
        if (p > SIZE_MAX / 2) {
            /* No power of two fits: the allocation below will fail. */
            return n;
        }
        p <<= 1;
    }
    return p;
}

/* The capacity that holds @total bytes. */
static size_t buffer_req_size(size_t total)
{
    return pow2_at_least(total);
}

static void buffer_sample_size(Buffer *buffer, size_t need)
{
    uint64_t scaled = (uint64_t)need << BUFFER_AVG_SIZE_SHIFT;

    if (buffer->avg_size == 0) {
        /* No history yet: start from the first sample, not from zero. */
        buffer->avg_size = scaled;
        return;
    }
    buffer->avg_size -= buffer->avg_size >> BUFFER_AVG_SIZE_SHIFT;
    buffer->avg_size += need;
}

static void buffer_set_capacity(Buffer *buffer, size_t capacity)
{
    buffer->buffer = g_realloc(buffer->buffer, capacity);
    buffer->capacity = capacity;
}

void buffer_init(Buffer *buffer, const char *name, ...)
{
    va_list ap;

    buffer->capacity = 0;
    buffer->offset = 0;
    buffer->avg_size = 0;
    buffer->buffer = NULL;
    va_start(ap, name);
    buffer->name = g_strdup_vprintf(name, ap);
    va_end(ap);
}

void buffer_shrink(Buffer *buffer)
{
    size_t target;

    buffer_sample_size(buffer, buffer_req_size(buffer->offset));
    target = buffer_req_size(buffer->avg_size >> BUFFER_AVG_SIZE_SHIFT);
    target = MAX(target, buffer_req_size(buffer->offset));
    if (buffer->capacity >= BUFFER_MIN_SHRINK_SIZE &&
        target <= buffer->capacity / 8) {
        buffer_set_capacity(buffer, target);
    }
}

void buffer_reserve(Buffer *buffer, size_t len)
{
    size_t total;

    assert(len <= SIZE_MAX - buffer->offset);
    if (buffer->capacity - buffer->offset >= len) {
        return;
    }
    total = buffer_req_size(buffer->offset + len);
    /* Growth counts as a sample too, so bursts keep the buffer large. */
    buffer_sample_size(buffer, total);
    buffer_set_capacity(buffer, total);
}

gboolean buffer_empty(Buffer *buffer)
{
    return buffer->offset == 0;
}

uint8_t *buffer_end(Buffer *buffer)
{
    if (!buffer->buffer) {
        return NULL;
    }
    return buffer->buffer + buffer->offset;
}

void buffer_reset(Buffer *buffer)
{
    buffer->offset = 0;
    buffer_shrink(buffer);
}

void buffer_free(Buffer *buffer)
{
    g_free(buffer->buffer);
    g_free(buffer->name);
    buffer->name = NULL;
    buffer->buffer = NULL;
    buffer->capacity = 0;
    buffer->offset = 0;
    buffer->avg_size = 0;
}

void buffer_append(Buffer *buffer, const void *data, size_t len)
{
    if (len == 0) {
        return;
    }
    buffer_reserve(buffer, len);
    memcpy(buffer->buffer + buffer->offset, data, len);
    buffer->offset += len;
}

void buffer_advance(Buffer *buffer, size_t len)
{
    assert(len <= buffer->offset);
    if (len == 0) {
        return;
    }
    memmove(buffer->buffer, buffer->buffer + len, buffer->offset - len);
    buffer->offset -= len;
    buffer_shrink(buffer);
}

void buffer_move_empty(Buffer *to, Buffer *from)
{
    assert(to->offset == 0);
    g_free(to->buffer);
    to->buffer = from->buffer;
    to->capacity = from->capacity;
    to->offset = from->offset;
    from->buffer = NULL;
    from->capacity = 0;
    from->offset = 0;
}

void buffer_move(Buffer *to, Buffer *from)
{
    if (to->offset == 0) {
        buffer_move_empty(to, from);
        return;
    }
    buffer_append(to, from->buffer, from->offset);
    g_free(from->buffer);
    from->buffer = NULL;
    from->capacity = 0;
    from->offset = 0;
}
