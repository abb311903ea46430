/*
 * Scatter/gather vector helpers.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/iov.h"

size_t iov_size(const struct iovec *iov, const unsigned int iov_cnt)
{
    size_t total = 0;
    unsigned int i;

    for (i = 0; i < iov_cnt; i++) {
        total += iov[i].iov_len;
    }
    return total;
}

/*
 * Finds the element holding byte @offset of the vector.  On return
 * *@index is that element (or @iov_cnt when @offset is exactly the end)
 * and *@skip is the position of the byte inside it.  An offset past the
 * end is a caller bug.
 */
static void iov_locate(const struct iovec *iov, unsigned int iov_cnt,
                       size_t offset, unsigned int *index, size_t *skip)
{
    unsigned int i = 0;

    while (i < iov_cnt && offset >= iov[i].iov_len) {
        offset -= iov[i].iov_len;
        i++;
    }
    assert(i < iov_cnt || offset == 0);
    *index = i;
    *skip = offset;
}

size_t iov_from_buf_full(const struct iovec *iov, unsigned int iov_cnt,
                         size_t offset, const void *buf, size_t bytes)
{
    const char *src = buf;
    size_t done = 0;
    unsigned int i;
    size_t skip;

    iov_locate(iov, iov_cnt, offset, &i, &skip);
    for (; i < iov_cnt && done < bytes; i++, skip = 0) {
        size_t len = MIN(iov[i].iov_len - skip, bytes - done);

        if (len == 0) {
            continue;
        }
        memcpy((char *)iov[i].iov_base + skip, src + done, len);
        done += len;
    }
    return done;
}

size_t iov_to_buf_full(const struct iovec *iov, const unsigned int iov_cnt,
                       size_t offset, void *buf, size_t bytes)
{
    char *dst = buf;
    size_t done = 0;
    unsigned int i;
    size_t skip;

    iov_locate(iov, iov_cnt, offset, &i, &skip);
    for (; i < iov_cnt && done < bytes; i++, skip = 0) {
        size_t len = MIN(iov[i].iov_len - skip, bytes - done);

        if (len == 0) {
            continue;
        }
        memcpy(dst + done, (const char *)iov[i].iov_base + skip, len);
        done += len;
    }
    return done;
}

size_t iov_memset(const struct iovec *iov, const unsigned int iov_cnt,
                  size_t offset, int fillc, size_t bytes)
{
    size_t done = 0;
    unsigned int i;
    size_t skip;

    iov_locate(iov, iov_cnt, offset, &i, &skip);
    for (; i < iov_cnt && done < bytes; i++, skip = 0) {
        size_t len = MIN(iov[i].iov_len - skip, bytes - done);

        if (len == 0) {
            continue;
        }
        memset((char *)iov[i].iov_base + skip, fillc, len);
        done += len;
    }
    return done;
}

void iov_hexdump(const struct iovec *iov, const unsigned int iov_cnt,
                 FILE *fp, const char *prefix, size_t limit)
{
    size_t total = MIN(iov_size(iov, iov_cnt), limit);
    size_t pos = 0;
    unsigned int i;

    for (i = 0; i < iov_cnt && pos < total; i++) {
        const unsigned char *p = iov[i].iov_base;
        size_t j;

        for (j = 0; j < iov[i].iov_len && pos < total; j++, pos++) {
            if (pos % 16 == 0) {
                fprintf(fp, "%s%s: 0x%04zx:", pos ? "\n" : "", prefix, pos);
            }
            fprintf(fp, " %02x", p[j]);
        }
    }
    if (pos) {
        fputc('\n', fp);
    }
}

unsigned iov_copy(struct iovec *dst_iov, unsigned int dst_iov_cnt,
                  const struct iovec *iov, unsigned int iov_cnt,
                  size_t offset, size_t bytes)
{
    unsigned int n = 0;
    unsigned int i;
    size_t skip;

    iov_locate(iov, iov_cnt, offset, &i, &skip);
    for (; i < iov_cnt && n < dst_iov_cnt && bytes > 0; i++, skip = 0) {
        size_t len = MIN(iov[i].iov_len - skip, bytes);

        if (len == 0) {
            continue;
        }
        dst_iov[n].iov_base = (char *)iov[i].iov_base + skip;
        dst_iov[n].iov_len = len;
        n++;
        bytes -= len;
    }
    return n;
}

size_t iov_discard_front(struct iovec **iov, unsigned int *iov_cnt,
                         size_t bytes)
{
    struct iovec *cur = *iov;
    size_t done = 0;

    while (*iov_cnt > 0) {
        if (cur->iov_len > bytes - done) {
            size_t len = bytes - done;

            cur->iov_base = (char *)cur->iov_base + len;
            cur->iov_len -= len;
            done = bytes;
            break;
        }
        /* The whole element goes, including empty ones at the front. */
        done += cur->iov_len;
        cur++;
        (*iov_cnt)--;
    }
    *iov = cur;
    return done;
}

size_t iov_discard_back(struct iovec *iov, unsigned int *iov_cnt,
                        size_t bytes)
{
    size_t done = 0;

    while (*iov_cnt > 0) {
        struct iovec *cur = &iov[*iov_cnt - 1];

        if (cur->iov_len > bytes - done) {
            cur->iov_len -= bytes - done;
            done = bytes;
            break;
        }
        done += cur->iov_len;
        (*iov_cnt)--;
    }
    return done;
}
