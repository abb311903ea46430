/*
 * Coroutines, generic layer: creation, the deferred wake-up list, and
 * the pools of finished coroutines.  Entering and yielding are in the
 * backend (coroutine-ucontext.c), where the stack switch can be expanded
 * in place.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"

#include <pthread.h>

#include "qemu/atomic.h"
#include "qemu/coroutine.h"
#include "qemu/coroutine_int.h"

/*
 * Making a coroutine costs an mmap, an mprotect and a makecontext start;
 * reusing a finished one costs a few pointer moves.  So finished
 * coroutines are kept in two bounded pools:
 *
 * - a per-thread pool that needs no atomics, filled first;
 * - a process-wide pool taking the overflow, so that a thread which only
 *   finishes coroutines (for example one that completes work created
 *   elsewhere) hands them to threads that create.  Pushing is a lock-free
 *   CAS; taking is all-at-once (QSLIST_MOVE_ATOMIC), which avoids the ABA
 *   problem of popping single elements from a lock-free stack.
 *
 * A thread's pool is freed when the thread exits (pthread key
 * destructor); what is left at process exit is freed by a library
 * destructor so memory checkers see no leak.
 */
enum {
    THREAD_POOL_MAX = 64,
    GLOBAL_POOL_MAX = 128,
};

static QSLIST_HEAD(, Coroutine) global_pool = QSLIST_HEAD_INITIALIZER(pool);
static unsigned int global_pool_size;
static bool pool_disabled;

/* Initial-exec: see the note on thread-local state in coroutine-ucontext.c */
#define POOL_TLS __thread __attribute__((tls_model("initial-exec")))

static POOL_TLS QSLIST_HEAD(, Coroutine) thread_pool;
static POOL_TLS unsigned int thread_pool_size;
static POOL_TLS bool thread_pool_registered;

static pthread_key_t thread_pool_key;
static pthread_once_t thread_pool_key_once = PTHREAD_ONCE_INIT;

static void free_coroutine_list(Coroutine *co)
{
    Coroutine *next;

    for (; co; co = next) {
        next = QSLIST_NEXT(co, pool_next);
        qemu_coroutine_delete(co);
    }
}

static void thread_pool_drain(void)
{
    Coroutine *list = QSLIST_FIRST(&thread_pool);

    QSLIST_INIT(&thread_pool);
    thread_pool_size = 0;
    free_coroutine_list(list);
}

static void global_pool_drain(void)
{
    QSLIST_HEAD(, Coroutine) taken;

    QSLIST_MOVE_ATOMIC(&taken, &global_pool);
    atomic_set(&global_pool_size, 0);
    free_coroutine_list(QSLIST_FIRST(&taken));
}

/* Runs in the exiting thread, whose TLS is still valid at this point. */
static void thread_pool_destructor(void *unused)
{
    thread_pool_drain();
}

static void thread_pool_key_create(void)
{
    if (pthread_key_create(&thread_pool_key, thread_pool_destructor)) {
        fprintf(stderr, "qemu_coroutine: pthread_key_create failed\n");
        abort();
    }
}

/*
 * The key destructor only runs for threads whose value is non-NULL, so
 * this is done once per thread, the first time it pools something.
 */
static void thread_pool_register(void)
{
    pthread_once(&thread_pool_key_once, thread_pool_key_create);
    pthread_setspecific(thread_pool_key, &thread_pool);
    thread_pool_registered = true;
}

/*
 * exit() does not run key destructors for the thread that calls it, so
 * the calling thread's pool and the process-wide pool are freed here.
 */
static void __attribute__((destructor)) coroutine_pool_cleanup(void)
{
    thread_pool_drain();
    global_pool_drain();
}

static Coroutine *pool_take(void)
{
    Coroutine *co = QSLIST_FIRST(&thread_pool);

    if (!co && atomic_read(&global_pool.slh_first)) {
        QSLIST_MOVE_ATOMIC(&thread_pool, &global_pool);
        thread_pool_size = atomic_xchg(&global_pool_size, 0);
        co = QSLIST_FIRST(&thread_pool);
    }
    if (co) {
        QSLIST_REMOVE_HEAD(&thread_pool, pool_next);
        /* The count can lag a concurrent push to the global pool. */
        if (thread_pool_size) {
            thread_pool_size--;
        }
    }
    return co;
}

static void pool_put(Coroutine *co)
{
    if (!atomic_read(&pool_disabled)) {
        if (thread_pool_size < THREAD_POOL_MAX) {
            if (unlikely(!thread_pool_registered)) {
                thread_pool_register();
            }
            QSLIST_INSERT_HEAD(&thread_pool, co, pool_next);
            thread_pool_size++;
            return;
        }
        if (atomic_read(&global_pool_size) < GLOBAL_POOL_MAX) {
            QSLIST_INSERT_HEAD_ATOMIC(&global_pool, co, pool_next);
            atomic_inc(&global_pool_size);
            return;
        }
    }
    qemu_coroutine_delete(co);
}

unsigned int qemu_coroutine_pool_size(void)
{
    return thread_pool_size + atomic_read(&global_pool_size);
}

void qemu_coroutine_set_pool_enabled(bool enabled)
{
    atomic_set(&pool_disabled, !enabled);
    if (!enabled) {
        thread_pool_drain();
        global_pool_drain();
    }
}

Coroutine *qemu_coroutine_create(CoroutineEntry *entry)
{
    Coroutine *co = NULL;

    if (!atomic_read(&pool_disabled)) {
        co = pool_take();
    }
    if (!co) {
        co = qemu_coroutine_new();
    }
    co->entry = entry;
    co->entry_arg = NULL;
    co->caller = NULL;
    QTAILQ_INIT(&co->co_queue_wakeup);
    co->owner = qemu_coroutine_owner_token();
    return co;
}

void qemu_coroutine_enter_finish(Coroutine *co, CoroutineAction action)
{
    Coroutine *next;

    /*
     * Enter, one by one, the coroutines that @co woke while it ran.  A
     * woken coroutine may wake others in turn; those go on its own list
     * and are run by the nested qemu_coroutine_enter().
     */
    while ((next = QTAILQ_FIRST(&co->co_queue_wakeup)) != NULL) {
        QTAILQ_REMOVE(&co->co_queue_wakeup, next, co_queue_next);
        qemu_coroutine_enter(next, NULL);
    }

    switch (action) {
    case COROUTINE_YIELD:
        return;
    case COROUTINE_TERMINATE:
        /*
         * caller stays set while the coroutine is pooled, so entering it
         * again by mistake aborts instead of running a recycled stack.
         */
        pool_put(co);
        return;
    default:
        fprintf(stderr, "qemu_coroutine_enter: unexpected switch action %d\n",
                (int)action);
        abort();
    }
}
