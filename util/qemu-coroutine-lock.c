/*
 * Coroutine synchronisation: wait queues, mutexes and readers-writer
 * locks for the coroutines of one thread.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"

#include "qemu/coroutine.h"
#include "qemu/coroutine_int.h"
#include "qemu/queue.h"

void qemu_co_queue_init(CoQueue *queue)
{
    QTAILQ_INIT(&queue->entries);
}

void coroutine_fn qemu_co_queue_wait(CoQueue *queue)
{
    Coroutine *self;

    if (!qemu_in_coroutine()) {
        fprintf(stderr, "qemu_co_queue_wait: called outside a coroutine\n");
        abort();
    }
    self = qemu_coroutine_self();
    QTAILQ_INSERT_TAIL(&queue->entries, self, co_queue_next);
    qemu_coroutine_yield();
}

/*
 * Wakes the first waiter of @queue, or all of them.  From a coroutine the
 * woken ones are queued on the caller and entered by qemu_coroutine_enter()
 * once the caller switches away, so the caller is not interrupted.  From
 * ordinary code there is nobody to defer to, so they are entered here;
 * the waiters are detached first so that one which waits on @queue again
 * is not picked up by the same call.
 */
static bool co_queue_wake(CoQueue *queue, bool all)
{
    QTAILQ_HEAD(, Coroutine) woken = QTAILQ_HEAD_INITIALIZER(woken);
    Coroutine *next;

    if (QTAILQ_EMPTY(&queue->entries)) {
        return false;
    }

    if (all) {
        QTAILQ_CONCAT(&woken, &queue->entries, co_queue_next);
    } else {
        next = QTAILQ_FIRST(&queue->entries);
        QTAILQ_REMOVE(&queue->entries, next, co_queue_next);
        QTAILQ_INSERT_TAIL(&woken, next, co_queue_next);
    }

    if (qemu_in_coroutine()) {
        Coroutine *self = qemu_coroutine_self();

        QTAILQ_CONCAT(&self->co_queue_wakeup, &woken, co_queue_next);
    } else {
        while ((next = QTAILQ_FIRST(&woken)) != NULL) {
            QTAILQ_REMOVE(&woken, next, co_queue_next);
            qemu_coroutine_enter(next, NULL);
        }
    }
    return true;
}

bool coroutine_fn qemu_co_queue_next(CoQueue *queue)
{
    return co_queue_wake(queue, false);
}

void coroutine_fn qemu_co_queue_restart_all(CoQueue *queue)
{
    co_queue_wake(queue, true);
}

bool qemu_co_enter_next(CoQueue *queue)
{
    Coroutine *next = QTAILQ_FIRST(&queue->entries);

    if (!next) {
        return false;
    }
    QTAILQ_REMOVE(&queue->entries, next, co_queue_next);
    qemu_coroutine_enter(next, NULL);
    return true;
}

bool qemu_co_queue_empty(CoQueue *queue)
{
    return QTAILQ_FIRST(&queue->entries) == NULL;
}

void qemu_co_mutex_init(CoMutex *mutex)
{
    memset(mutex, 0, sizeof(*mutex));
    qemu_co_queue_init(&mutex->queue);
}

/*
 * A woken waiter runs only after its waker has switched away, by which
 * time any other coroutine could have taken a free mutex, and the waker
 * itself could have taken it back.  So unlock does not free a mutex that
 * has waiters: it hands it, still locked, to the first of them, which
 * makes the lock FIFO and stops a coroutine that unlocks and relocks in
 * a loop from starving the others.
 */
void coroutine_fn qemu_co_mutex_lock(CoMutex *mutex)
{
    Coroutine *self;

    if (!mutex->locked) {
        mutex->locked = true;
        return;
    }
    if (!qemu_in_coroutine()) {
        fprintf(stderr, "qemu_co_mutex_lock: mutex is held and the caller "
                "is not a coroutine, so it cannot wait\n");
        abort();
    }
    self = qemu_coroutine_self();
    do {
        qemu_co_queue_wait(&mutex->queue);
    } while (mutex->handoff != self);
    mutex->handoff = NULL;
}

void coroutine_fn qemu_co_mutex_unlock(CoMutex *mutex)
{
    Coroutine *next = QTAILQ_FIRST(&mutex->queue.entries);

    if (!mutex->locked) {
        fprintf(stderr, "qemu_co_mutex_unlock: mutex is not locked\n");
        abort();
    }
    if (next) {
        mutex->handoff = next;
        qemu_co_queue_next(&mutex->queue);
    } else {
        mutex->locked = false;
    }
}

void qemu_co_rwlock_init(CoRwlock *lock)
{
    memset(lock, 0, sizeof(*lock));
    qemu_co_queue_init(&lock->queue);
}

void coroutine_fn qemu_co_rwlock_rdlock(CoRwlock *lock)
{
    while (lock->writer) {
        qemu_co_queue_wait(&lock->queue);
    }
    lock->reader++;
}

void coroutine_fn qemu_co_rwlock_wrlock(CoRwlock *lock)
{
    while (lock->writer || lock->reader) {
        qemu_co_queue_wait(&lock->queue);
    }
    lock->writer = true;
}

void coroutine_fn qemu_co_rwlock_unlock(CoRwlock *lock)
{
    if (lock->writer) {
        lock->writer = false;
        qemu_co_queue_restart_all(&lock->queue);
    } else if (lock->reader > 0) {
        lock->reader--;
        if (lock->reader == 0) {
            qemu_co_queue_next(&lock->queue);
        }
    } else {
        fprintf(stderr, "qemu_co_rwlock_unlock: lock is not held\n");
        abort();
    }
}
