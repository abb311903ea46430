/*
 * Coroutine internals: the full Coroutine structure and the interface
 * between the generic layer (util/qemu-coroutine.c: creation, pools,
 * wake-ups) and the stack switching backend (util/coroutine-ucontext.c:
 * stacks, switching, and qemu_coroutine_enter()/qemu_coroutine_yield(),
 * which expand the switch in place for speed).
 *
 * Users of coroutines need only qemu/coroutine.h; this header is for the
 * implementation, its tests and debugging aids.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_COROUTINE_INT_H
#define QEMU_COROUTINE_INT_H

#include "qemu/queue.h"
#include "qemu/coroutine.h"

/**
 * CoroutineAction:
 * @COROUTINE_YIELD: the coroutine switched away and can be entered again
 * @COROUTINE_TERMINATE: the entry function returned; the coroutine is
 *     finished and may be recycled
 * @COROUTINE_ENTER: control is being handed to a coroutine
 *
 * Why a qemu_coroutine_switch() happened, as seen by the side that
 * resumes.
 */
typedef enum {
    COROUTINE_YIELD = 1,
    COROUTINE_TERMINATE = 2,
    COROUTINE_ENTER = 3,
} CoroutineAction;

/**
 * Coroutine:
 * @entry: the function the coroutine runs
 * @entry_arg: the opaque of the latest qemu_coroutine_enter(); the entry
 *     function receives the one stored at the first entry
 * @caller: the coroutine (or thread leader) that entered this one, NULL
 *     when it is not running
 * @pool_next: link in a pool of finished coroutines
 * @co_queue_wakeup: coroutines woken by this one, entered after it yields
 *     or terminates
 * @co_queue_next: link in a CoQueue or in another coroutine's
 *     @co_queue_wakeup
 * @owner: identity of the thread that created the coroutine; only that
 *     thread may enter it (libqio addition)
 *
 * The generic part of a coroutine.  The backend embeds it as the first
 * member of a larger structure holding the stack and saved registers.
 */
struct Coroutine {
    CoroutineEntry *entry;
    void *entry_arg;
    Coroutine *caller;
    QSLIST_ENTRY(Coroutine) pool_next;

    QTAILQ_HEAD(, Coroutine) co_queue_wakeup;
    QTAILQ_ENTRY(Coroutine) co_queue_next;

    const void *owner;
};

/**
 * qemu_coroutine_new:
 *
 * Backend hook: allocates a coroutine with its stack and prepares it so
 * that the first switch to it calls its @entry.  The generic layer sets
 * @entry and the other fields.  Aborts with a message when memory for the
 * stack cannot be had.
 *
 * Returns: the new coroutine, never NULL
 */
Coroutine *qemu_coroutine_new(void);

/**
 * qemu_coroutine_delete:
 * @co: a coroutine that is not running and has not yet been freed
 *
 * Backend hook: frees @co and its stack.
 */
void qemu_coroutine_delete(Coroutine *co);

/**
 * qemu_coroutine_switch:
 * @from: the coroutine running now (or the thread's leader)
 * @to: the coroutine to resume
 * @action: what @to will see as the reason of the switch
 *
 * Backend hook: saves the state of @from, makes @to the current
 * coroutine and resumes it.  When @action is COROUTINE_TERMINATE, @from
 * is finished and is never resumed through this call, only restarted
 * from its entry function after being recycled.
 *
 * Returns: the action given by whoever switches back to @from later
 */
CoroutineAction qemu_coroutine_switch(Coroutine *from, Coroutine *to,
                                      CoroutineAction action);

/**
 * qemu_coroutine_enter_finish:
 * @co: the coroutine that qemu_coroutine_enter() switched to
 * @action: how @co switched back
 *
 * Generic layer hook, called by the backend's qemu_coroutine_enter() once
 * @co has switched back, when @co woke other coroutines or did not just
 * yield: enters the woken coroutines in order, then recycles @co if it
 * terminated.  Aborts with a message on an unknown @action.
 *
 * Since: libqio 0.1
 */
void qemu_coroutine_enter_finish(Coroutine *co, CoroutineAction action);

/**
 * qemu_coroutine_owner_token:
 *
 * Identifies the calling thread for Coroutine.owner: distinct for every
 * live thread, constant for a thread's lifetime.
 *
 * Returns: the calling thread's token, never NULL
 *
 * Since: libqio 0.1
 */
const void *qemu_coroutine_owner_token(void);

/**
 * qemu_coroutine_stack_info:
 * @co: a coroutine created by qemu_coroutine_create()
 * @stack: receives the lowest address of the usable stack
 * @stack_size: receives the size of the usable stack in bytes
 * @guard: receives the address of the inaccessible guard area just
 *     below the stack
 * @guard_size: receives the size of the guard area in bytes
 *
 * Describes @co's stack, for tests and debugging aids.  Stacks grow
 * down, so an overflow runs from @stack into @guard and faults there.
 *
 * Since: libqio 0.1
 */
void qemu_coroutine_stack_info(Coroutine *co, void **stack,
                               size_t *stack_size, void **guard,
                               size_t *guard_size);

/**
 * qemu_coroutine_pool_size:
 *
 * Counts the finished coroutines kept for reuse: those in the calling
 * thread's pool plus those in the process-wide pool.  The process-wide
 * count is approximate while other threads create or finish coroutines.
 *
 * Returns: the number of pooled coroutines
 *
 * Since: libqio 0.1
 */
unsigned int qemu_coroutine_pool_size(void);

/**
 * qemu_coroutine_live_count:
 *
 * Counts the coroutines whose stacks are allocated in the whole process:
 * running, suspended, not yet entered, or pooled.
 *
 * Returns: the number of allocated coroutines
 *
 * Since: libqio 0.1
 */
unsigned int qemu_coroutine_live_count(void);

/**
 * qemu_coroutine_set_pool_enabled:
 * @enabled: false to stop recycling finished coroutines
 *
 * Turns pooling on or off for the whole process.  With pooling off, every
 * qemu_coroutine_create() maps a new stack and every finished coroutine
 * is freed at once; coroutines already pooled are freed when their pool
 * is next used or released.  Meant for benchmarks and debugging
 * (memory-checking tools see each stack's lifetime exactly).
 *
 * Since: libqio 0.1
 */
void qemu_coroutine_set_pool_enabled(bool enabled);

#endif /* QEMU_COROUTINE_INT_H */
