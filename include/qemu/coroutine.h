/*
 * Coroutines: cooperative threads of execution with their own stacks.
 *
 * A coroutine runs when a caller enters it and runs until it yields or
 * its entry function returns; control then goes back to the caller.
 * Nothing is preemptive and nothing runs in parallel within one thread,
 * so state shared only between the coroutines of one thread needs no
 * locking, only the CoMutex/CoQueue primitives below when a coroutine
 * must wait while holding a logical resource.
 *
 * Threading rules: a coroutine belongs to the thread that created it.
 * Only that thread may enter it; entering it from another thread aborts.
 * Several threads may run their own coroutines at the same time.
 *
 * See docs/coroutines.md for the design (stacks, guard pages, pools,
 * valgrind and sanitizer support).
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_COROUTINE_H
#define QEMU_COROUTINE_H

#include "qemu/typedefs.h"
#include "qemu/queue.h"
#include "qemu/timer.h"

/**
 * coroutine_fn:
 *
 * Marks a function that may yield, and so must only be called from a
 * coroutine.  It expands to nothing; it documents the calling context.
 */
#define coroutine_fn

/**
 * CoroutineEntry:
 * @opaque: the value given to the first qemu_coroutine_enter()
 *
 * The function a coroutine runs.  When it returns, the coroutine
 * terminates and control goes back to whoever entered it last.
 */
typedef void coroutine_fn CoroutineEntry(void *opaque);

/**
 * qemu_coroutine_create:
 * @entry: the function the coroutine will run
 *
 * Creates a coroutine that will run @entry once it is entered.  Nothing
 * runs yet.  The coroutine belongs to the calling thread.  Its memory is
 * released (or recycled through the pools) automatically when @entry
 * returns; a coroutine that never terminates is never released.
 *
 * Aborts with a message when no stack can be allocated.
 *
 * Returns: the new coroutine, never NULL
 */
Coroutine *qemu_coroutine_create(CoroutineEntry *entry);

/**
 * qemu_coroutine_enter:
 * @coroutine: a coroutine created by the calling thread, not yet
 *     terminated
 * @opaque: on the first entry, the argument of the entry function;
 *     ignored on later entries
 *
 * Transfers control to @coroutine, which runs until it yields or
 * terminates; then this function returns.  May be called from a
 * coroutine (nesting) or from ordinary code.  Coroutines woken through a
 * CoQueue by @coroutine are entered, in order, after it yields or
 * terminates and before this function returns.
 *
 * Aborts with a message when @coroutine already has a caller (it is
 * running or is one of the coroutines that entered the current one), or
 * when it belongs to another thread.
 */
void qemu_coroutine_enter(Coroutine *coroutine, void *opaque);

/**
 * qemu_coroutine_yield:
 *
 * Suspends the current coroutine and returns control to the code that
 * entered it.  The coroutine continues after this call when it is
 * entered again.
 *
 * Aborts with a message when called outside a coroutine.
 */
void coroutine_fn qemu_coroutine_yield(void);

/**
 * qemu_coroutine_self:
 *
 * Outside a coroutine this returns the calling thread's "leader", a
 * pseudo-coroutine that stands for the thread's own stack; it must not be
 * entered.
 *
 * Returns: the coroutine currently running in this thread, or the
 * thread's leader when none is; never NULL
 */
Coroutine *coroutine_fn qemu_coroutine_self(void);

/**
 * qemu_in_coroutine:
 *
 * Returns: true when called from within a coroutine, false from ordinary
 * code
 */
bool qemu_in_coroutine(void);

/**
 * CoQueue:
 *
 * A FIFO of coroutines waiting for something.  Wake-ups issued from a
 * coroutine take effect when that coroutine next yields or terminates, so
 * the waker keeps running undisturbed until then.  A CoQueue is used by
 * the coroutines of a single thread.
 */
typedef struct CoQueue {
    QTAILQ_HEAD(, Coroutine) entries;
} CoQueue;

/**
 * qemu_co_queue_init:
 * @queue: the queue
 *
 * Makes @queue empty.  Needed before first use; a zero-filled CoQueue is
 * not valid.
 */
void qemu_co_queue_init(CoQueue *queue);

/**
 * qemu_co_queue_wait:
 * @queue: the queue
 *
 * Appends the current coroutine to @queue and yields.  Returns when the
 * coroutine is woken by qemu_co_queue_next(), qemu_co_queue_restart_all()
 * or qemu_co_enter_next(), or when it is entered directly.
 *
 * Aborts with a message when called outside a coroutine.
 */
void coroutine_fn qemu_co_queue_wait(CoQueue *queue);

/**
 * qemu_co_queue_next:
 * @queue: the queue
 *
 * Wakes the first coroutine waiting on @queue.  Called from a coroutine,
 * the woken one is entered after the caller yields or terminates; called
 * from ordinary code (a libqio extension), it is entered before this
 * function returns.
 *
 * Returns: true when a coroutine was woken, false when @queue was empty
 */
bool coroutine_fn qemu_co_queue_next(CoQueue *queue);

/**
 * qemu_co_queue_restart_all:
 * @queue: the queue
 *
 * Wakes every coroutine waiting on @queue, in the order they started
 * waiting, with the same timing as qemu_co_queue_next().  Coroutines that
 * wait on @queue again while being woken are not woken a second time.
 */
void coroutine_fn qemu_co_queue_restart_all(CoQueue *queue);

/**
 * qemu_co_enter_next:
 * @queue: the queue
 *
 * Removes the first waiter from @queue and enters it at once.  Meant for
 * ordinary (non-coroutine) code.
 *
 * Returns: true when a coroutine was entered, false when @queue was empty
 */
bool qemu_co_enter_next(CoQueue *queue);

/**
 * qemu_co_queue_empty:
 * @queue: the queue
 *
 * Returns: true when no coroutine is waiting on @queue, false otherwise
 */
bool qemu_co_queue_empty(CoQueue *queue);

/**
 * CoMutex:
 *
 * A mutual exclusion lock for the coroutines of one thread: a coroutine
 * that finds it taken waits (yields) instead of blocking the thread.
 * Waiters get the lock in FIFO order: unlocking hands it directly to the
 * first waiter (libqio behaviour; QEMU 2.5 let any coroutine grab it
 * before the woken waiter ran).  @handoff is a libqio addition.
 */
typedef struct CoMutex {
    bool locked;
    CoQueue queue;
    Coroutine *handoff;
} CoMutex;

/**
 * qemu_co_mutex_init:
 * @mutex: the mutex
 *
 * Initialises @mutex unlocked.
 */
void qemu_co_mutex_init(CoMutex *mutex);

/**
 * qemu_co_mutex_lock:
 * @mutex: the mutex
 *
 * Takes @mutex, waiting while another coroutine holds it.  Not
 * recursive: a coroutine that locks a mutex it holds waits forever.
 *
 * Aborts with a message when @mutex is taken and the caller is not a
 * coroutine (there is nobody to yield to).
 */
void coroutine_fn qemu_co_mutex_lock(CoMutex *mutex);

/**
 * qemu_co_mutex_unlock:
 * @mutex: a locked mutex
 *
 * Releases @mutex.  When coroutines wait for it, the first of them now
 * holds it and runs once the caller yields or terminates (or at once
 * when the caller is not a coroutine).
 *
 * Aborts with a message when @mutex is not locked.
 */
void coroutine_fn qemu_co_mutex_unlock(CoMutex *mutex);

/**
 * CoRwlock:
 *
 * A readers-writer lock for the coroutines of one thread: any number of
 * readers, or one writer.
 */
typedef struct CoRwlock {
    bool writer;
    int reader;
    CoQueue queue;
} CoRwlock;

/**
 * qemu_co_rwlock_init:
 * @lock: the lock
 *
 * Initialises @lock with no holder.
 */
void qemu_co_rwlock_init(CoRwlock *lock);

/**
 * qemu_co_rwlock_rdlock:
 * @lock: the lock
 *
 * Takes @lock for reading, waiting while a writer holds it.
 */
void coroutine_fn qemu_co_rwlock_rdlock(CoRwlock *lock);

/**
 * qemu_co_rwlock_wrlock:
 * @lock: the lock
 *
 * Takes @lock for writing, waiting while a writer or any reader holds it.
 */
void coroutine_fn qemu_co_rwlock_wrlock(CoRwlock *lock);

/**
 * qemu_co_rwlock_unlock:
 * @lock: a lock held by the caller
 *
 * Releases the caller's read or write hold on @lock.  When a writer
 * releases it, every waiter is woken; when the last reader releases it,
 * the first waiter is woken.
 *
 * Aborts with a message when @lock is not held.
 */
void coroutine_fn qemu_co_rwlock_unlock(CoRwlock *lock);

/**
 * co_sleep_ns:
 * @type: the clock; every type is measured on the monotonic clock
 * @ns: how long to sleep, in nanoseconds; zero or less sleeps until the
 *     next main loop iteration
 *
 * Suspends the current coroutine for at least @ns nanoseconds.  The
 * wake-up is a GLib source attached to the default GMainContext
 * (g_main_context_default()), so that context must be iterated, for
 * example by a GMainLoop, in the thread that owns the coroutine; if
 * another thread iterates it instead, the wake-up aborts because
 * coroutines cannot be entered across threads.  Resolution is a
 * microsecond.
 *
 * Aborts with a message when called outside a coroutine.
 */
void coroutine_fn co_sleep_ns(QEMUClockType type, int64_t ns);

#endif /* QEMU_COROUTINE_H */
