/*
 * Byte swapping and unaligned, endian-explicit loads and stores.
 *
 * The conversion helpers take and return plain integers; the load/store
 * helpers (ld*_p / st*_p) access memory that may be unaligned, which is
 * what parsing wire formats such as WebSocket frame headers needs.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_BSWAP_H
#define QEMU_BSWAP_H

#include <stdint.h>
#include <string.h>

#if !defined(__BYTE_ORDER__) || !defined(__ORDER_BIG_ENDIAN__)
#error "the compiler does not say which byte order the host uses"
#endif

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define QIO_HOST_BIG_ENDIAN 1
#else
#define QIO_HOST_BIG_ENDIAN 0
#endif

/**
 * bswap16:
 * @x: a 16-bit value
 *
 * Returns: @x with its two bytes in the opposite order
 */
static inline uint16_t bswap16(uint16_t x)
{
    return __builtin_bswap16(x);
}

/**
 * bswap32:
 * @x: a 32-bit value
 *
 * Returns: @x with its four bytes in the opposite order
 */
static inline uint32_t bswap32(uint32_t x)
{
    return __builtin_bswap32(x);
}

/**
 * bswap64:
 * @x: a 64-bit value
 *
 * Returns: @x with its eight bytes in the opposite order
 */
static inline uint64_t bswap64(uint64_t x)
{
    return __builtin_bswap64(x);
}

/**
 * bswap16s:
 * @s: the value to swap in place
 *
 * Reverses the byte order of *@s.
 */
static inline void bswap16s(uint16_t *s)
{
    *s = bswap16(*s);
}

/**
 * bswap32s:
 * @s: the value to swap in place
 *
 * Reverses the byte order of *@s.
 */
static inline void bswap32s(uint32_t *s)
{
    *s = bswap32(*s);
}

/**
 * bswap64s:
 * @s: the value to swap in place
 *
 * Reverses the byte order of *@s.
 */
static inline void bswap64s(uint64_t *s)
{
    *s = bswap64(*s);
}

/*
 * The host-to-endian conversions are a swap on hosts of the other byte
 * order and the identity otherwise; the choice is made at compile time.
 */
#if QIO_HOST_BIG_ENDIAN
#define QIO_BE_SWAP(bits, v) (v)
#define QIO_LE_SWAP(bits, v) (bswap ## bits(v))
#else
#define QIO_BE_SWAP(bits, v) (bswap ## bits(v))
#define QIO_LE_SWAP(bits, v) (v)
#endif

/**
 * cpu_to_be16:
 * @v: a value in host byte order
 *
 * Returns: @v in big-endian (network) byte order
 */
static inline uint16_t cpu_to_be16(uint16_t v)
{
    return QIO_BE_SWAP(16, v);
}

/**
 * cpu_to_be32:
 * @v: a value in host byte order
 *
 * Returns: @v in big-endian (network) byte order
 */
static inline uint32_t cpu_to_be32(uint32_t v)
{
    return QIO_BE_SWAP(32, v);
}

/**
 * cpu_to_be64:
 * @v: a value in host byte order
 *
 * Returns: @v in big-endian (network) byte order
 */
static inline uint64_t cpu_to_be64(uint64_t v)
{
    return QIO_BE_SWAP(64, v);
}

/**
 * be16_to_cpu:
 * @v: a big-endian value
 *
 * Returns: @v in host byte order
 */
static inline uint16_t be16_to_cpu(uint16_t v)
{
    return QIO_BE_SWAP(16, v);
}

/**
 * be32_to_cpu:
 * @v: a big-endian value
 *
 * Returns: @v in host byte order
 */
static inline uint32_t be32_to_cpu(uint32_t v)
{
    return QIO_BE_SWAP(32, v);
}

/**
 * be64_to_cpu:
 * @v: a big-endian value
 *
 * Returns: @v in host byte order
 */
static inline uint64_t be64_to_cpu(uint64_t v)
{
    return QIO_BE_SWAP(64, v);
}

/**
 * cpu_to_le16:
 * @v: a value in host byte order
 *
 * Returns: @v in little-endian byte order
 */
static inline uint16_t cpu_to_le16(uint16_t v)
{
    return QIO_LE_SWAP(16, v);
}

/**
 * cpu_to_le32:
 * @v: a value in host byte order
 *
 * Returns: @v in little-endian byte order
 */
static inline uint32_t cpu_to_le32(uint32_t v)
{
    return QIO_LE_SWAP(32, v);
}

/**
 * cpu_to_le64:
 * @v: a value in host byte order
 *
 * Returns: @v in little-endian byte order
 */
static inline uint64_t cpu_to_le64(uint64_t v)
{
    return QIO_LE_SWAP(64, v);
}

/**
 * le16_to_cpu:
 * @v: a little-endian value
 *
 * Returns: @v in host byte order
 */
static inline uint16_t le16_to_cpu(uint16_t v)
{
    return QIO_LE_SWAP(16, v);
}

/**
 * le32_to_cpu:
 * @v: a little-endian value
 *
 * Returns: @v in host byte order
 */
static inline uint32_t le32_to_cpu(uint32_t v)
{
    return QIO_LE_SWAP(32, v);
}

/**
 * le64_to_cpu:
 * @v: a little-endian value
 *
 * Returns: @v in host byte order
 */
static inline uint64_t le64_to_cpu(uint64_t v)
{
    return QIO_LE_SWAP(64, v);
}

/**
 * cpu_to_be16s:
 * @p: the value to convert in place
 *
 * Converts *@p from host to big-endian byte order.
 */
static inline void cpu_to_be16s(uint16_t *p)
{
    *p = cpu_to_be16(*p);
}

/**
 * cpu_to_be32s:
 * @p: the value to convert in place
 *
 * Converts *@p from host to big-endian byte order.
 */
static inline void cpu_to_be32s(uint32_t *p)
{
    *p = cpu_to_be32(*p);
}

/**
 * cpu_to_be64s:
 * @p: the value to convert in place
 *
 * Converts *@p from host to big-endian byte order.
 */
static inline void cpu_to_be64s(uint64_t *p)
{
    *p = cpu_to_be64(*p);
}

/**
 * be16_to_cpus:
 * @p: the value to convert in place
 *
 * Converts *@p from big-endian to host byte order.
 */
static inline void be16_to_cpus(uint16_t *p)
{
    *p = be16_to_cpu(*p);
}

/**
 * be32_to_cpus:
 * @p: the value to convert in place
 *
 * Converts *@p from big-endian to host byte order.
 */
static inline void be32_to_cpus(uint32_t *p)
{
    *p = be32_to_cpu(*p);
}

/**
 * be64_to_cpus:
 * @p: the value to convert in place
 *
 * Converts *@p from big-endian to host byte order.
 */
static inline void be64_to_cpus(uint64_t *p)
{
    *p = be64_to_cpu(*p);
}

/**
 * cpu_to_le16s:
 * @p: the value to convert in place
 *
 * Converts *@p from host to little-endian byte order.
 */
static inline void cpu_to_le16s(uint16_t *p)
{
    *p = cpu_to_le16(*p);
}

/**
 * cpu_to_le32s:
 * @p: the value to convert in place
 *
 * Converts *@p from host to little-endian byte order.
 */
static inline void cpu_to_le32s(uint32_t *p)
{
    *p = cpu_to_le32(*p);
}

/**
 * cpu_to_le64s:
 * @p: the value to convert in place
 *
 * Converts *@p from host to little-endian byte order.
 */
static inline void cpu_to_le64s(uint64_t *p)
{
    *p = cpu_to_le64(*p);
}

/**
 * le16_to_cpus:
 * @p: the value to convert in place
 *
 * Converts *@p from little-endian to host byte order.
 */
static inline void le16_to_cpus(uint16_t *p)
{
    *p = le16_to_cpu(*p);
}

/**
 * le32_to_cpus:
 * @p: the value to convert in place
 *
 * Converts *@p from little-endian to host byte order.
 */
static inline void le32_to_cpus(uint32_t *p)
{
    *p = le32_to_cpu(*p);
}

/**
 * le64_to_cpus:
 * @p: the value to convert in place
 *
 * Converts *@p from little-endian to host byte order.
 */
static inline void le64_to_cpus(uint64_t *p)
{
    *p = le64_to_cpu(*p);
}

/*
 * Memory accessors.  memcpy() of a fixed small size compiles to a single
 * (unaligned-safe) load or store, without the undefined behaviour of
 * dereferencing a misaligned pointer.
 */

/**
 * ldub_p:
 * @ptr: address of one byte
 *
 * Returns: the byte at @ptr, zero-extended
 */
static inline int ldub_p(const void *ptr)
{
    return *(const uint8_t *)ptr;
}

/**
 * ldsb_p:
 * @ptr: address of one byte
 *
 * Returns: the byte at @ptr, sign-extended
 */
static inline int ldsb_p(const void *ptr)
{
    return *(const int8_t *)ptr;
}

/**
 * stb_p:
 * @ptr: destination address
 * @v: the byte to store
 *
 * Stores @v at @ptr.
 */
static inline void stb_p(void *ptr, uint8_t v)
{
    *(uint8_t *)ptr = v;
}

/**
 * lduw_he_p:
 * @ptr: address of two bytes, possibly unaligned
 *
 * Returns: the host-order 16-bit value at @ptr, zero-extended
 */
static inline int lduw_he_p(const void *ptr)
{
    uint16_t r;

    memcpy(&r, ptr, sizeof(r));
    return r;
}

/**
 * ldsw_he_p:
 * @ptr: address of two bytes, possibly unaligned
 *
 * Returns: the host-order 16-bit value at @ptr, sign-extended
 */
static inline int ldsw_he_p(const void *ptr)
{
    int16_t r;

    memcpy(&r, ptr, sizeof(r));
    return r;
}

/**
 * stw_he_p:
 * @ptr: destination address, possibly unaligned
 * @v: the value to store
 *
 * Stores @v at @ptr in host byte order.
 */
static inline void stw_he_p(void *ptr, uint16_t v)
{
    memcpy(ptr, &v, sizeof(v));
}

/**
 * ldl_he_p:
 * @ptr: address of four bytes, possibly unaligned
 *
 * Returns: the host-order 32-bit value at @ptr
 */
static inline int ldl_he_p(const void *ptr)
{
    int32_t r;

    memcpy(&r, ptr, sizeof(r));
    return r;
}

/**
 * stl_he_p:
 * @ptr: destination address, possibly unaligned
 * @v: the value to store
 *
 * Stores @v at @ptr in host byte order.
 */
static inline void stl_he_p(void *ptr, uint32_t v)
{
    memcpy(ptr, &v, sizeof(v));
}

/**
 * ldq_he_p:
 * @ptr: address of eight bytes, possibly unaligned
 *
 * Returns: the host-order 64-bit value at @ptr
 */
static inline uint64_t ldq_he_p(const void *ptr)
{
    uint64_t r;

    memcpy(&r, ptr, sizeof(r));
    return r;
}

/**
 * stq_he_p:
 * @ptr: destination address, possibly unaligned
 * @v: the value to store
 *
 * Stores @v at @ptr in host byte order.
 */
static inline void stq_he_p(void *ptr, uint64_t v)
{
    memcpy(ptr, &v, sizeof(v));
}

/**
 * lduw_be_p:
 * @ptr: address of a big-endian 16-bit value, possibly unaligned
 *
 * Returns: the value in host order, zero-extended
 */
static inline int lduw_be_p(const void *ptr)
{
    return (uint16_t)be16_to_cpu((uint16_t)lduw_he_p(ptr));
}

/**
 * ldsw_be_p:
 * @ptr: address of a big-endian 16-bit value, possibly unaligned
 *
 * Returns: the value in host order, sign-extended
 */
static inline int ldsw_be_p(const void *ptr)
{
    return (int16_t)be16_to_cpu((uint16_t)lduw_he_p(ptr));
}

/**
 * ldl_be_p:
 * @ptr: address of a big-endian 32-bit value, possibly unaligned
 *
 * Returns: the value in host order
 */
static inline int ldl_be_p(const void *ptr)
{
    return (int32_t)be32_to_cpu((uint32_t)ldl_he_p(ptr));
}

/**
 * ldq_be_p:
 * @ptr: address of a big-endian 64-bit value, possibly unaligned
 *
 * Returns: the value in host order
 */
static inline uint64_t ldq_be_p(const void *ptr)
{
    return be64_to_cpu(ldq_he_p(ptr));
}

/**
 * stw_be_p:
 * @ptr: destination address, possibly unaligned
 * @v: the value to store
 *
 * Stores @v at @ptr in big-endian byte order.
 */
static inline void stw_be_p(void *ptr, uint16_t v)
{
    stw_he_p(ptr, cpu_to_be16(v));
}

/**
 * stl_be_p:
 * @ptr: destination address, possibly unaligned
 * @v: the value to store
 *
 * Stores @v at @ptr in big-endian byte order.
 */
static inline void stl_be_p(void *ptr, uint32_t v)
{
    stl_he_p(ptr, cpu_to_be32(v));
}

/**
 * stq_be_p:
 * @ptr: destination address, possibly unaligned
 * @v: the value to store
 *
 * Stores @v at @ptr in big-endian byte order.
 */
static inline void stq_be_p(void *ptr, uint64_t v)
{
    stq_he_p(ptr, cpu_to_be64(v));
}

/**
 * lduw_le_p:
 * @ptr: address of a little-endian 16-bit value, possibly unaligned
 *
 * Returns: the value in host order, zero-extended
 */
static inline int lduw_le_p(const void *ptr)
{
    return (uint16_t)le16_to_cpu((uint16_t)lduw_he_p(ptr));
}

/**
 * ldsw_le_p:
 * @ptr: address of a little-endian 16-bit value, possibly unaligned
 *
 * Returns: the value in host order, sign-extended
 */
static inline int ldsw_le_p(const void *ptr)
{
    return (int16_t)le16_to_cpu((uint16_t)lduw_he_p(ptr));
}

/**
 * ldl_le_p:
 * @ptr: address of a little-endian 32-bit value, possibly unaligned
 *
 * Returns: the value in host order
 */
static inline int ldl_le_p(const void *ptr)
{
    return (int32_t)le32_to_cpu((uint32_t)ldl_he_p(ptr));
}

/**
 * ldq_le_p:
 * @ptr: address of a little-endian 64-bit value, possibly unaligned
 *
 * Returns: the value in host order
 */
static inline uint64_t ldq_le_p(const void *ptr)
{
    return le64_to_cpu(ldq_he_p(ptr));
}

/**
 * stw_le_p:
 * @ptr: destination address, possibly unaligned
 * @v: the value to store
 *
 * Stores @v at @ptr in little-endian byte order.
 */
static inline void stw_le_p(void *ptr, uint16_t v)
{
    stw_he_p(ptr, cpu_to_le16(v));
}

/**
 * stl_le_p:
 * @ptr: destination address, possibly unaligned
 * @v: the value to store
 *
 * Stores @v at @ptr in little-endian byte order.
 */
static inline void stl_le_p(void *ptr, uint32_t v)
{
    stl_he_p(ptr, cpu_to_le32(v));
}

/**
 * stq_le_p:
 * @ptr: destination address, possibly unaligned
 * @v: the value to store
 *
 * Stores @v at @ptr in little-endian byte order.
 */
static inline void stq_le_p(void *ptr, uint64_t v)
{
    stq_he_p(ptr, cpu_to_le64(v));
}

/* The helper macros above are private to this header. */
#undef QIO_BE_SWAP
#undef QIO_LE_SWAP
#undef QIO_HOST_BIG_ENDIAN

#endif /* QEMU_BSWAP_H */
