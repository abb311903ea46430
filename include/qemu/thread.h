/*
 * Threads and synchronisation primitives on top of POSIX threads.
 *
 * The types are complete so they can be embedded by value in other
 * structures; treat their members as private.  Every failure of the
 * underlying pthread call is a bug or resource exhaustion the caller
 * cannot handle, so it prints "qemu: <function>: <reason>" on stderr and
 * aborts the process.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_THREAD_H
#define QEMU_THREAD_H

#include <pthread.h>
#include <stdbool.h>
#include "qemu/compiler.h"
#include "qemu/typedefs.h"

/**
 * QemuMutex:
 *
 * A non-recursive mutual exclusion lock.  Locking a mutex the calling
 * thread already holds, or unlocking one it does not hold, aborts.
 */
struct QemuMutex {
    pthread_mutex_t lock;
};

/**
 * QemuCond:
 *
 * A condition variable, used together with a #QemuMutex.
 */
struct QemuCond {
    pthread_cond_t cond;
};

/**
 * QemuSemaphore:
 *
 * A counting semaphore.
 */
struct QemuSemaphore {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned int count;
};

/**
 * QemuEvent:
 *
 * A manual-reset event: once set, every waiter (present and future) is
 * released until it is reset.
 */
struct QemuEvent {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool set;
};

/**
 * QemuThread:
 *
 * A handle on a thread created by qemu_thread_create() or describing the
 * calling thread after qemu_thread_get_self().
 */
struct QemuThread {
    pthread_t thread;
};

/**
 * QEMU_THREAD_JOINABLE:
 *
 * qemu_thread_create() mode: the thread must be reaped with
 * qemu_thread_join().
 */
#define QEMU_THREAD_JOINABLE 0

/**
 * QEMU_THREAD_DETACHED:
 *
 * qemu_thread_create() mode: the thread's resources are released when it
 * ends; it cannot be joined.
 */
#define QEMU_THREAD_DETACHED 1

/**
 * qemu_mutex_init:
 * @mutex: the mutex to initialise
 *
 * Prepares @mutex for use, unlocked.
 */
void qemu_mutex_init(QemuMutex *mutex);

/**
 * qemu_mutex_destroy:
 * @mutex: an unlocked mutex
 *
 * Releases the resources of @mutex; destroying a locked mutex aborts.
 */
void qemu_mutex_destroy(QemuMutex *mutex);

/**
 * qemu_mutex_lock:
 * @mutex: the mutex to acquire
 *
 * Blocks until the calling thread holds @mutex.
 */
void qemu_mutex_lock(QemuMutex *mutex);

/**
 * qemu_mutex_trylock:
 * @mutex: the mutex to acquire
 *
 * Acquires @mutex if that is possible without blocking.
 *
 * Returns: 0 if the calling thread now holds @mutex, or a non-zero value
 * (EBUSY) if another thread holds it
 */
int qemu_mutex_trylock(QemuMutex *mutex);

/**
 * qemu_mutex_unlock:
 * @mutex: a mutex held by the calling thread
 *
 * Releases @mutex.
 */
void qemu_mutex_unlock(QemuMutex *mutex);

/**
 * qemu_cond_init:
 * @cond: the condition variable to initialise
 *
 * Prepares @cond for use.
 */
void qemu_cond_init(QemuCond *cond);

/**
 * qemu_cond_destroy:
 * @cond: a condition variable nobody waits on
 *
 * Releases the resources of @cond.
 */
void qemu_cond_destroy(QemuCond *cond);

/**
 * qemu_cond_signal:
 * @cond: a condition variable
 *
 * Wakes at least one thread waiting on @cond, if any.
 */
void qemu_cond_signal(QemuCond *cond);

/**
 * qemu_cond_broadcast:
 * @cond: a condition variable
 *
 * Wakes every thread waiting on @cond.
 */
void qemu_cond_broadcast(QemuCond *cond);

/**
 * qemu_cond_wait:
 * @cond: a condition variable
 * @mutex: a mutex held by the calling thread
 *
 * Atomically releases @mutex and waits on @cond, then re-acquires @mutex
 * before returning.  Wake-ups may be spurious: re-check the predicate in a
 * loop.
 */
void qemu_cond_wait(QemuCond *cond, QemuMutex *mutex);

/**
 * qemu_sem_init:
 * @sem: the semaphore to initialise
 * @init: initial count, not negative
 *
 * Prepares @sem for use with a count of @init.
 */
void qemu_sem_init(QemuSemaphore *sem, int init);

/**
 * qemu_sem_destroy:
 * @sem: a semaphore nobody waits on
 *
 * Releases the resources of @sem.
 */
void qemu_sem_destroy(QemuSemaphore *sem);

/**
 * qemu_sem_post:
 * @sem: a semaphore
 *
 * Increments the count of @sem, waking one waiter if there is one.
 */
void qemu_sem_post(QemuSemaphore *sem);

/**
 * qemu_sem_wait:
 * @sem: a semaphore
 *
 * Waits until the count of @sem is positive, then decrements it.
 */
void qemu_sem_wait(QemuSemaphore *sem);

/**
 * qemu_sem_timedwait:
 * @sem: a semaphore
 * @ms: how long to wait at most, in milliseconds; 0 (or a negative
 *      value) only polls
 *
 * Like qemu_sem_wait(), giving up after @ms milliseconds (measured on the
 * monotonic clock, so changes to the wall clock do not matter).
 *
 * Returns: 0 if the count was decremented, -1 if the time ran out first
 */
int qemu_sem_timedwait(QemuSemaphore *sem, int ms);

/**
 * qemu_event_init:
 * @ev: the event to initialise
 * @init: whether the event starts out set
 *
 * Prepares @ev for use.
 */
void qemu_event_init(QemuEvent *ev, bool init);

/**
 * qemu_event_destroy:
 * @ev: an event nobody waits on
 *
 * Releases the resources of @ev.
 */
void qemu_event_destroy(QemuEvent *ev);

/**
 * qemu_event_set:
 * @ev: an event
 *
 * Sets @ev, releasing every thread waiting on it.  Setting an event that
 * is already set does nothing.
 */
void qemu_event_set(QemuEvent *ev);

/**
 * qemu_event_reset:
 * @ev: an event
 *
 * Clears @ev so that later qemu_event_wait() calls block again.
 */
void qemu_event_reset(QemuEvent *ev);

/**
 * qemu_event_wait:
 * @ev: an event
 *
 * Returns at once if @ev is set, otherwise waits until it is.
 */
void qemu_event_wait(QemuEvent *ev);

/**
 * qemu_thread_naming:
 * @enable: whether qemu_thread_create() names new threads
 *
 * Turns the naming of new threads on or off.  Unlike QEMU, where it is
 * off until enabled, naming is on by default in libqio.
 */
void qemu_thread_naming(bool enable);

/**
 * qemu_thread_create:
 * @thread: receives the handle of the new thread
 * @name: name shown by debuggers and in /proc (only the first 15
 *        characters are kept), or NULL
 * @start_routine: the function the thread runs
 * @arg: passed to @start_routine
 * @mode: %QEMU_THREAD_JOINABLE or %QEMU_THREAD_DETACHED
 *
 * Starts a thread running @start_routine(@arg).  The new thread starts
 * with every signal blocked, so asynchronous signals are delivered to the
 * application's own threads; it may unblock the ones it wants.  The name
 * is applied by the new thread itself before @start_routine runs.
 */
void qemu_thread_create(QemuThread *thread, const char *name,
                        void *(*start_routine)(void *),
                        void *arg, int mode);

/**
 * qemu_thread_join:
 * @thread: a joinable thread
 *
 * Waits for @thread to end and releases its resources.
 *
 * Returns: the value @thread's start routine returned or passed to
 * qemu_thread_exit()
 */
void *qemu_thread_join(QemuThread *thread);

/**
 * qemu_thread_get_self:
 * @thread: receives a handle on the calling thread
 *
 * Fills @thread with the calling thread's identity.
 */
void qemu_thread_get_self(QemuThread *thread);

/**
 * qemu_thread_is_self:
 * @thread: a thread handle
 *
 * Returns: true if @thread is the calling thread, false otherwise
 */
bool qemu_thread_is_self(QemuThread *thread);

/**
 * qemu_thread_exit:
 * @retval: the value qemu_thread_join() will return
 *
 * Ends the calling thread.  Does not return.
 */
void qemu_thread_exit(void *retval) QEMU_NORETURN;

#endif /* QEMU_THREAD_H */
