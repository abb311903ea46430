/*
 * Helpers for scatter/gather vectors (struct iovec arrays): measuring
 * them, copying between them and flat buffers, and trimming them.
 *
 * Offsets and byte counts address the concatenation of all elements, as if
 * the vector were one contiguous buffer.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_IOV_H
#define QEMU_IOV_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>

/**
 * iov_size:
 * @iov: a vector
 * @iov_cnt: number of elements in @iov
 *
 * Returns: the sum of the lengths of the elements of @iov
 */
size_t iov_size(const struct iovec *iov, const unsigned int iov_cnt);

/**
 * iov_from_buf_full:
 * @iov: destination vector
 * @iov_cnt: number of elements in @iov
 * @offset: where in @iov to start writing; must not exceed iov_size()
 * @buf: source bytes
 * @bytes: number of bytes to copy
 *
 * Copies @bytes bytes from @buf into the vector, starting @offset bytes
 * into it, stopping early at the end of the vector.  An @offset beyond
 * the end of the vector is a programming error and aborts.
 *
 * Returns: the number of bytes copied, less than @bytes only when the
 * vector ended first
 */
size_t iov_from_buf_full(const struct iovec *iov, unsigned int iov_cnt,
                         size_t offset, const void *buf, size_t bytes);

/**
 * iov_to_buf_full:
 * @iov: source vector
 * @iov_cnt: number of elements in @iov
 * @offset: where in @iov to start reading; must not exceed iov_size()
 * @buf: destination buffer of at least @bytes bytes
 * @bytes: number of bytes to copy
 *
 * Copies @bytes bytes out of the vector, starting @offset bytes into it,
 * into @buf, stopping early at the end of the vector.  An @offset beyond
 * the end of the vector aborts.
 *
 * Returns: the number of bytes copied, less than @bytes only when the
 * vector ended first
 */
size_t iov_to_buf_full(const struct iovec *iov, const unsigned int iov_cnt,
                       size_t offset, void *buf, size_t bytes);

/**
 * iov_from_buf:
 * @iov: destination vector
 * @iov_cnt: number of elements in @iov
 * @offset: where in @iov to start writing
 * @buf: source bytes
 * @bytes: number of bytes to copy
 *
 * iov_from_buf_full() with an inline fast path for the common case of a
 * constant-size copy that falls within the first element.
 *
 * Returns: the number of bytes copied
 */
static inline size_t iov_from_buf(const struct iovec *iov,
                                  unsigned int iov_cnt, size_t offset,
                                  const void *buf, size_t bytes)
{
    if (__builtin_constant_p(bytes) && iov_cnt &&
        offset <= iov[0].iov_len && bytes <= iov[0].iov_len - offset) {
        memcpy((char *)iov[0].iov_base + offset, buf, bytes);
        return bytes;
    }
    return iov_from_buf_full(iov, iov_cnt, offset, buf, bytes);
}

/**
 * iov_to_buf:
 * @iov: source vector
 * @iov_cnt: number of elements in @iov
 * @offset: where in @iov to start reading
 * @buf: destination buffer
 * @bytes: number of bytes to copy
 *
 * iov_to_buf_full() with an inline fast path for the common case of a
 * constant-size copy that falls within the first element.
 *
 * Returns: the number of bytes copied
 */
static inline size_t iov_to_buf(const struct iovec *iov,
                                const unsigned int iov_cnt, size_t offset,
                                void *buf, size_t bytes)
{
    if (__builtin_constant_p(bytes) && iov_cnt &&
        offset <= iov[0].iov_len && bytes <= iov[0].iov_len - offset) {
        memcpy(buf, (char *)iov[0].iov_base + offset, bytes);
        return bytes;
    }
    return iov_to_buf_full(iov, iov_cnt, offset, buf, bytes);
}

/**
 * iov_memset:
 * @iov: destination vector
 * @iov_cnt: number of elements in @iov
 * @offset: where in @iov to start; must not exceed iov_size()
 * @fillc: the byte value to store
 * @bytes: number of bytes to set
 *
 * Fills @bytes bytes of the vector with @fillc, starting @offset bytes
 * into it and stopping early at the end of the vector.
 *
 * Returns: the number of bytes set
 */
size_t iov_memset(const struct iovec *iov, const unsigned int iov_cnt,
                  size_t offset, int fillc, size_t bytes);

/**
 * iov_hexdump:
 * @iov: vector to dump
 * @iov_cnt: number of elements in @iov
 * @fp: stream to write to
 * @prefix: text at the start of each line
 * @limit: dump at most this many bytes
 *
 * Writes the first @limit bytes of the vector to @fp as a hex dump, 16
 * bytes per line, each line starting with @prefix and the offset.
 */
void iov_hexdump(const struct iovec *iov, const unsigned int iov_cnt,
                 FILE *fp, const char *prefix, size_t limit);

/**
 * iov_copy:
 * @dst_iov: array receiving the new elements
 * @dst_iov_cnt: capacity of @dst_iov
 * @iov: source vector
 * @iov_cnt: number of elements in @iov
 * @offset: start of the region in @iov; must not exceed iov_size()
 * @bytes: length of the region
 *
 * Fills @dst_iov with elements pointing into the same memory as @iov that
 * describe the @bytes bytes starting at @offset.  No data is copied.  The
 * result is shorter when @iov ends or @dst_iov fills up first.
 *
 * Returns: the number of elements written to @dst_iov
 */
unsigned iov_copy(struct iovec *dst_iov, unsigned int dst_iov_cnt,
                  const struct iovec *iov, unsigned int iov_cnt,
                  size_t offset, size_t bytes);

/**
 * iov_discard_front:
 * @iov: pointer to the vector; advanced past the elements fully dropped
 * @iov_cnt: pointer to its number of elements; decreased accordingly
 * @bytes: number of bytes to drop from the front
 *
 * Removes @bytes bytes from the start of the vector in place: whole
 * elements are skipped and the first remaining element is trimmed.  The
 * memory the elements point to is not touched.
 *
 * Returns: the number of bytes dropped, less than @bytes only when the
 * vector was shorter
 */
size_t iov_discard_front(struct iovec **iov, unsigned int *iov_cnt,
                         size_t bytes);

/**
 * iov_discard_back:
 * @iov: the vector
 * @iov_cnt: pointer to its number of elements; decreased accordingly
 * @bytes: number of bytes to drop from the end
 *
 * Removes @bytes bytes from the end of the vector in place: trailing
 * elements are dropped and the last remaining element is shortened.
 *
 * Returns: the number of bytes dropped, less than @bytes only when the
 * vector was shorter
 */
size_t iov_discard_back(struct iovec *iov, unsigned int *iov_cnt,
                        size_t bytes);

#endif /* QEMU_IOV_H */
