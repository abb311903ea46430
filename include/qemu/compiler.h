/*
 * Compiler attributes and helpers used across libqio.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_COMPILER_H
#define QEMU_COMPILER_H

#define QEMU_NORETURN __attribute__((__noreturn__))
#define QEMU_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#define QEMU_SENTINEL __attribute__((sentinel))
#define QEMU_PACKED __attribute__((packed))
#define QEMU_ALIGNED(x) __attribute__((aligned(x)))
#define QEMU_UNUSED __attribute__((unused))
#define QEMU_ALWAYS_INLINE __attribute__((always_inline))

#define GCC_FMT_ATTR(n, m) __attribute__((format(gnu_printf, n, m)))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#ifndef glue
#define xglue(x, y) x ## y
#define glue(x, y) xglue(x, y)
#define stringify(s) tostring(s)
#define tostring(s) #s
#endif

#ifndef container_of
#define container_of(ptr, type, member) ({                      \
        const typeof(((type *) 0)->member) *__mptr = (ptr);     \
        (type *) ((char *) __mptr - offsetof(type, member)); })
#endif

/* Compile-time assertion usable at file scope. */
#define QEMU_BUILD_BUG_ON(x) _Static_assert(!(x), "QEMU_BUILD_BUG_ON: " #x)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

#if defined(__SANITIZE_ADDRESS__)
#define QEMU_SANITIZE_ADDRESS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QEMU_SANITIZE_ADDRESS 1
#endif
#endif

#endif /* QEMU_COMPILER_H */
