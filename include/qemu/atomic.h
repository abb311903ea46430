/*
 * Atomic operations and memory barriers, on top of the compiler's
 * __atomic builtins.
 *
 * Naming follows QEMU of the 2.5 era:
 * - atomic_read()/atomic_set() are relaxed: they only guarantee that the
 *   access is neither torn nor optimised away, and impose no ordering.
 * - atomic_mb_read()/atomic_mb_set() are sequentially consistent.
 * - The read-modify-write operations (atomic_xchg, atomic_cmpxchg,
 *   atomic_fetch_*, atomic_inc, ...) are full barriers.
 * - smp_mb()/smp_rmb()/smp_wmb() are fences for ordering plain or relaxed
 *   accesses; barrier() only stops the compiler from reordering.
 *
 * Operands must be naturally aligned scalars (integers or pointers) no
 * wider than a pointer, so that every operation is lock-free.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_ATOMIC_H
#define QEMU_ATOMIC_H

#include "qemu/compiler.h"

/**
 * barrier:
 *
 * Compiler barrier: memory accesses are not moved across it by the
 * compiler.  The CPU may still reorder them; use smp_mb() for that.
 */
#define barrier()   ({ asm volatile("" ::: "memory"); (void)0; })

/* Rejects operands the hardware cannot access atomically without a lock. */
#define QATOMIC_CHECK_SIZE_(ptr)                                        \
    QEMU_BUILD_BUG_ON(sizeof(*(ptr)) > sizeof(void *))

/**
 * smp_mb:
 *
 * Full memory barrier: no load or store before it is reordered with a load
 * or store after it, as seen by other threads.
 */
#define smp_mb()    ({ barrier(); __atomic_thread_fence(__ATOMIC_SEQ_CST); })

/**
 * smp_wmb:
 *
 * Write barrier: stores before it become visible to other threads before
 * stores after it.
 */
#define smp_wmb()   ({ barrier(); __atomic_thread_fence(__ATOMIC_RELEASE); })

/**
 * smp_rmb:
 *
 * Read barrier: loads before it are performed before loads after it.
 */
#define smp_rmb()   ({ barrier(); __atomic_thread_fence(__ATOMIC_ACQUIRE); })

/**
 * smp_read_barrier_depends:
 *
 * Orders a load of a pointer before loads through that pointer.  Every
 * architecture libqio supports does that in hardware, so this is only a
 * compiler barrier.
 */
#define smp_read_barrier_depends()   barrier()

/**
 * atomic_read:
 * @ptr: pointer to the variable
 *
 * Relaxed load: neither torn nor cached in a register, no ordering.
 *
 * Returns: the value of *@ptr
 */
#define atomic_read(ptr)                                                \
    ({                                                                  \
        QATOMIC_CHECK_SIZE_(ptr);                                       \
        __atomic_load_n((ptr), __ATOMIC_RELAXED);                       \
    })

/**
 * atomic_set:
 * @ptr: pointer to the variable
 * @i: new value
 *
 * Relaxed store: not torn, not elided, no ordering.
 */
#define atomic_set(ptr, i)                                              \
    do {                                                                \
        QATOMIC_CHECK_SIZE_(ptr);                                       \
        __atomic_store_n((ptr), (i), __ATOMIC_RELAXED);                 \
    } while (0)

/**
 * atomic_rcu_read:
 * @ptr: pointer to a pointer published with atomic_rcu_set()
 *
 * Load that orders later loads through the returned pointer after it.
 *
 * Returns: the value of *@ptr
 */
#define atomic_rcu_read(ptr)                                            \
    ({                                                                  \
        QATOMIC_CHECK_SIZE_(ptr);                                       \
        __atomic_load_n((ptr), __ATOMIC_ACQUIRE);                       \
    })

/**
 * atomic_rcu_set:
 * @ptr: pointer to a pointer
 * @i: new value, whose pointee is fully initialised
 *
 * Release store: everything written before it is visible to a thread that
 * reads the new value with atomic_rcu_read().
 */
#define atomic_rcu_set(ptr, i)                                          \
    do {                                                                \
        QATOMIC_CHECK_SIZE_(ptr);                                       \
        __atomic_store_n((ptr), (i), __ATOMIC_RELEASE);                 \
    } while (0)

/**
 * atomic_mb_read:
 * @ptr: pointer to the variable
 *
 * Sequentially consistent load.
 *
 * Returns: the value of *@ptr
 */
#define atomic_mb_read(ptr)                                             \
    ({                                                                  \
        QATOMIC_CHECK_SIZE_(ptr);                                       \
        __atomic_load_n((ptr), __ATOMIC_SEQ_CST);                       \
    })

/**
 * atomic_mb_set:
 * @ptr: pointer to the variable
 * @i: new value
 *
 * Sequentially consistent store.
 */
#define atomic_mb_set(ptr, i)                                           \
    do {                                                                \
        QATOMIC_CHECK_SIZE_(ptr);                                       \
        __atomic_store_n((ptr), (i), __ATOMIC_SEQ_CST);                 \
    } while (0)

/**
 * atomic_xchg:
 * @ptr: pointer to the variable
 * @i: new value
 *
 * Atomically stores @i in *@ptr; a full barrier.
 *
 * Returns: the value *@ptr held before
 */
#define atomic_xchg(ptr, i)                                             \
    ({                                                                  \
        QATOMIC_CHECK_SIZE_(ptr);                                       \
        __atomic_exchange_n((ptr), (i), __ATOMIC_SEQ_CST);              \
    })

/**
 * atomic_cmpxchg:
 * @ptr: pointer to the variable
 * @old: value expected in *@ptr
 * @new: value to store when *@ptr equals @old
 *
 * Compare-and-swap; a full barrier whether or not it succeeds.
 *
 * Returns: the value *@ptr held before; it equals @old exactly when @new
 * was stored
 */
#define atomic_cmpxchg(ptr, old, new)                                   \
    ({                                                                  \
        QATOMIC_CHECK_SIZE_(ptr);                                       \
        typeof(*(ptr)) qatomic_old_ = (old);                            \
        (void)__atomic_compare_exchange_n((ptr), &qatomic_old_, (new),  \
                                          false, __ATOMIC_SEQ_CST,      \
                                          __ATOMIC_SEQ_CST);            \
        qatomic_old_;                                                   \
    })

/**
 * atomic_fetch_add:
 * @ptr: pointer to an integer
 * @n: amount to add
 *
 * Atomically adds @n to *@ptr; a full barrier.
 *
 * Returns: the value *@ptr held before
 */
#define atomic_fetch_add(ptr, n)                                        \
    __atomic_fetch_add((ptr), (n), __ATOMIC_SEQ_CST)

/**
 * atomic_fetch_sub:
 * @ptr: pointer to an integer
 * @n: amount to subtract
 *
 * Atomically subtracts @n from *@ptr; a full barrier.
 *
 * Returns: the value *@ptr held before
 */
#define atomic_fetch_sub(ptr, n)                                        \
    __atomic_fetch_sub((ptr), (n), __ATOMIC_SEQ_CST)

/**
 * atomic_fetch_inc:
 * @ptr: pointer to an integer
 *
 * Atomically increments *@ptr; a full barrier.
 *
 * Returns: the value *@ptr held before
 */
#define atomic_fetch_inc(ptr)       atomic_fetch_add((ptr), 1)

/**
 * atomic_fetch_dec:
 * @ptr: pointer to an integer
 *
 * Atomically decrements *@ptr; a full barrier.
 *
 * Returns: the value *@ptr held before
 */
#define atomic_fetch_dec(ptr)       atomic_fetch_sub((ptr), 1)

/**
 * atomic_fetch_and:
 * @ptr: pointer to an integer
 * @n: mask
 *
 * Atomically replaces *@ptr with *@ptr & @n; a full barrier.
 *
 * Returns: the value *@ptr held before
 */
#define atomic_fetch_and(ptr, n)                                        \
    __atomic_fetch_and((ptr), (n), __ATOMIC_SEQ_CST)

/**
 * atomic_fetch_or:
 * @ptr: pointer to an integer
 * @n: bits to set
 *
 * Atomically replaces *@ptr with *@ptr | @n; a full barrier.
 *
 * Returns: the value *@ptr held before
 */
#define atomic_fetch_or(ptr, n)                                         \
    __atomic_fetch_or((ptr), (n), __ATOMIC_SEQ_CST)

/**
 * atomic_inc:
 * @ptr: pointer to an integer
 *
 * Atomically increments *@ptr; a full barrier.
 */
#define atomic_inc(ptr)     ((void)atomic_fetch_add((ptr), 1))

/**
 * atomic_dec:
 * @ptr: pointer to an integer
 *
 * Atomically decrements *@ptr; a full barrier.
 */
#define atomic_dec(ptr)     ((void)atomic_fetch_sub((ptr), 1))

/**
 * atomic_add:
 * @ptr: pointer to an integer
 * @n: amount to add
 *
 * Atomically adds @n to *@ptr; a full barrier.
 */
#define atomic_add(ptr, n)  ((void)atomic_fetch_add((ptr), (n)))

/**
 * atomic_sub:
 * @ptr: pointer to an integer
 * @n: amount to subtract
 *
 * Atomically subtracts @n from *@ptr; a full barrier.
 */
#define atomic_sub(ptr, n)  ((void)atomic_fetch_sub((ptr), (n)))

/**
 * atomic_and:
 * @ptr: pointer to an integer
 * @n: mask
 *
 * Atomically replaces *@ptr with *@ptr & @n; a full barrier.
 */
#define atomic_and(ptr, n)  ((void)atomic_fetch_and((ptr), (n)))

/**
 * atomic_or:
 * @ptr: pointer to an integer
 * @n: bits to set
 *
 * Atomically replaces *@ptr with *@ptr | @n; a full barrier.
 */
#define atomic_or(ptr, n)   ((void)atomic_fetch_or((ptr), (n)))

#endif /* QEMU_ATOMIC_H */
