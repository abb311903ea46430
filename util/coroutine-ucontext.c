/*
 * Coroutine backend on ucontext and sigsetjmp/siglongjmp.
 *
 * makecontext()/swapcontext() are used once per stack, to start a
 * trampoline on it.  The trampoline records its registers with
 * sigsetjmp() and jumps straight back; from then on every switch is a
 * sigsetjmp(env, 0)/siglongjmp() pair, which does not touch the signal
 * mask and so makes no system call (swapcontext makes two).
 *
 * Stacks are mmap'd with an inaccessible guard page below them, are
 * registered with valgrind when its headers are available, and every
 * switch is announced to AddressSanitizer in sanitizer builds.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */

/*
 * glibc's fortified longjmp refuses to jump to a frame that is not an
 * outer frame of the current stack, which is exactly what a coroutine
 * switch does.
 */
#ifdef _FORTIFY_SOURCE
#undef _FORTIFY_SOURCE
#endif
#include "qemu/osdep.h"

#include <setjmp.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "qemu/atomic.h"
#include "qemu/coroutine_int.h"

#ifdef CONFIG_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#ifdef QEMU_SANITIZE_ADDRESS
#include <sanitizer/asan_interface.h>
#endif

/*
 * Local variables here that live across sigsetjmp() are set before it and
 * not changed until the matching siglongjmp(), so C guarantees their
 * values; GCC's -Wclobbered cannot see that and warns in instrumented
 * (sanitizer) builds.
 */
#pragma GCC diagnostic ignored "-Wclobbered"

/* Usable stack per coroutine, excluding the guard page. */
#define COROUTINE_STACK_SIZE (1 << 20)

typedef struct CoroutineUContext CoroutineUContext;

struct CoroutineUContext {
    Coroutine base;
    /*
     * Usable stack: [stack, stack + stack_size).  For a leader these are
     * the thread stack's bounds, known only in sanitizer builds.
     */
    void *stack;
    size_t stack_size;
    /* The whole mapping, guard page first; NULL for a leader. */
    void *mapping;
    size_t mapping_size;
    sigjmp_buf env;
    /* Only while starting: where the trampoline jumps back to, and who. */
    sigjmp_buf *start_env;
    CoroutineUContext *start_creator;
#ifdef CONFIG_VALGRIND_H
    unsigned int valgrind_stack_id;
#endif
#ifdef QEMU_SANITIZE_ADDRESS
    /* ASan's fake stack for this context while it is switched out. */
    void *fake_stack;
    /* Set by qemu_coroutine_delete() for the coroutine's last switch. */
    bool dying;
#endif
};

/*
 * Per-thread state.  The leader stands for the thread's own stack: it is
 * what qemu_coroutine_self() returns outside coroutines, and what
 * coroutines entered from ordinary code switch back to.  Its address also
 * identifies the thread for Coroutine.owner.
 *
 * The initial-exec TLS model makes each access a single %fs-relative
 * instruction; in a shared library the default model calls
 * __tls_get_addr() instead, which would cost more than the rest of a
 * switch.  The price is a few hundred bytes of static TLS, which a
 * program that dlopen()s libqio late takes from glibc's reserve.
 */
#define COROUTINE_TLS __thread __attribute__((tls_model("initial-exec")))

static COROUTINE_TLS CoroutineUContext leader;
static COROUTINE_TLS Coroutine *current;

/* Coroutines allocated and not yet freed, in all threads. */
static unsigned int live_count;

/*
 * A recycled coroutine restarts its entry function from the loop in
 * coroutine_trampoline(), possibly in another thread than the one that
 * created its stack (it may come from the process-wide pool).  The
 * compiler may compute the address of a thread-local variable once and
 * keep it across calls, not knowing that a switch can resume the frame in
 * another thread.  So the trampoline never touches thread-local state
 * itself: it goes through out-of-line functions (qemu_coroutine_switch(),
 * asan_exit_fiber(), get_leader()), which compute the address afresh in
 * whichever thread runs them; and qemu_coroutine_switch(), which is where
 * such a frame resumes, uses only get_leader() after the jump.  Every
 * other function here runs start to end in one thread, because a
 * coroutine never moves to another thread while it is suspended.
 */
static inline Coroutine *get_current(void)
{
    return current;
}

static inline void set_current(Coroutine *co)
{
    current = co;
}

#ifdef QEMU_SANITIZE_ADDRESS
static CoroutineUContext * __attribute__((noinline)) get_leader(void)
{
    asm volatile("" ::: "memory");
    return &leader;
}
#endif

const void *qemu_coroutine_owner_token(void)
{
    return &leader;
}

/*
 * The exported functions are interposable, so calls among them would go
 * through the PLT; the fast paths use this instead.
 */
static inline CoroutineUContext *current_or_leader(void)
{
    Coroutine *self = get_current();

    if (unlikely(!self)) {
        self = &leader.base;
        set_current(self);
    }
    return container_of(self, CoroutineUContext, base);
}

Coroutine *coroutine_fn qemu_coroutine_self(void)
{
    return &current_or_leader()->base;
}

bool qemu_in_coroutine(void)
{
    Coroutine *self = get_current();

    return self && self->caller;
}

/*
 * AddressSanitizer tracks the bounds of the stack in use; it has to be
 * told before each jump where the new stack is (and given a place to
 * park the old context's fake stack), and after it, in the new context,
 * to restore that context's fake stack.  The bounds of a thread's own
 * stack are not known in advance: they are learnt from what
 * __sanitizer_finish_switch_fiber() reports the first time control
 * leaves the leader.
 */
static inline void asan_switch_out(CoroutineUContext *from, bool for_good,
                                   const void *to_bottom, size_t to_size)
{
#ifdef QEMU_SANITIZE_ADDRESS
    __sanitizer_start_switch_fiber(for_good ? NULL : &from->fake_stack,
                                   to_bottom, to_size);
#endif
}

/* @self is NULL for a context that starts afresh. */
static inline void asan_switch_in(CoroutineUContext *self,
                                  const void **old_bottom, size_t *old_size)
{
#ifdef QEMU_SANITIZE_ADDRESS
    __sanitizer_finish_switch_fiber(self ? self->fake_stack : NULL,
                                    old_bottom, old_size);
#endif
}

static inline void asan_learn_leader(CoroutineUContext *from,
                                     const void *bottom, size_t size)
{
#ifdef QEMU_SANITIZE_ADDRESS
    if (from == get_leader()) {
        from->stack = (void *)bottom;
        from->stack_size = size;
    }
#endif
}

/* Runs in @self right after it was resumed with @action. */
static inline void asan_resumed(CoroutineUContext *self,
                                CoroutineAction action)
{
#ifdef QEMU_SANITIZE_ADDRESS
    const void *bottom;
    size_t size;

    asan_switch_in(self, &bottom, &size);
    if (action == COROUTINE_ENTER) {
        /* Whoever entered us is our caller; it may be the leader. */
        asan_learn_leader(container_of(self->base.caller, CoroutineUContext,
                                       base), bottom, size);
    }
#endif
}

/*
 * Saves the running context in @from and resumes @to, which sees
 * @action; when @from is resumed in turn, @ret receives the action it
 * was given.
 *
 * This is a macro, not a function, because of how the CPU predicts
 * returns.  After a jump to another stack, the return-stack predictor
 * still holds the return addresses of the stack just left, so every
 * "ret" the resumed side executes before it makes a new call is
 * mispredicted, at about 6 ns each on the project's machines.  Expanding
 * the switch inside qemu_coroutine_enter() and qemu_coroutine_yield()
 * leaves one such return per switch instead of two.  (GCC never inlines
 * a function that calls setjmp, so an inline function would not do.)
 */
#define COROUTINE_SWITCH(from, to, action, ret)                         \
    do {                                                                \
        set_current(&(to)->base);                                       \
        (ret) = sigsetjmp((from)->env, 0);                              \
        if ((ret) == 0) {                                               \
            asan_switch_out((from), false, (to)->stack, (to)->stack_size); \
            siglongjmp((to)->env, (action));                            \
        }                                                               \
        asan_resumed((from), (ret));                                    \
    } while (0)

#ifdef QEMU_SANITIZE_ADDRESS
/*
 * A finished coroutine keeps its ASan fake stack (where ASan puts the
 * frames of functions whose locals have their address taken, when
 * detect_stack_use_after_return is on), because the trampoline's frames
 * on it are used again if the coroutine is recycled.  ASan can release a
 * fake stack only as the fiber leaves it for good, so deleting such a
 * coroutine resumes it once more and it leaves through here.
 */
static void QEMU_NORETURN __attribute__((noinline))
asan_exit_fiber(CoroutineUContext *self)
{
    CoroutineUContext *to = container_of(self->base.caller,
                                         CoroutineUContext, base);

    self->fake_stack = NULL;
    set_current(&to->base);
    asan_switch_out(self, true, to->stack, to->stack_size);
    siglongjmp(to->env, COROUTINE_TERMINATE);
}
#endif

static void QEMU_NORETURN coroutine_trampoline(unsigned int arg_hi,
                                               unsigned int arg_lo)
{
    uintptr_t arg = ((uintptr_t)arg_hi << 16 << 16) | arg_lo;
    CoroutineUContext *self = (CoroutineUContext *)arg;
    Coroutine *co = &self->base;
    const void *bottom = NULL;
    size_t size = 0;

    asan_switch_in(NULL, &bottom, &size);
    asan_learn_leader(self->start_creator, bottom, size);

    if (!sigsetjmp(self->env, 0)) {
        /* Started: hand control back to qemu_coroutine_new(). */
        asan_switch_out(self, false, bottom, size);
        siglongjmp(*self->start_env, 1);
    }

    /* Entered for the first time, by qemu_coroutine_switch(). */
    asan_switch_in(self, &bottom, &size);
    asan_learn_leader(container_of(co->caller, CoroutineUContext, base),
                      bottom, size);
    for (;;) {
        co->entry(co->entry_arg);
        /* Returns only when the coroutine is recycled and entered. */
        qemu_coroutine_switch(co, co->caller, COROUTINE_TERMINATE);
#ifdef QEMU_SANITIZE_ADDRESS
        if (self->dying) {
            asan_exit_fiber(self);
        }
#endif
    }
}

Coroutine *qemu_coroutine_new(void)
{
    CoroutineUContext *co;
    CoroutineUContext *creator;
    ucontext_t old_uc, uc;
    sigjmp_buf old_env;
    size_t page = getpagesize();
    uintptr_t arg;

    co = g_new0(CoroutineUContext, 1);
    co->stack_size = COROUTINE_STACK_SIZE;
    co->mapping_size = co->stack_size + page;
    co->mapping = mmap(NULL, co->mapping_size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (co->mapping == MAP_FAILED) {
        fprintf(stderr, "qemu_coroutine_new: cannot map a %zu byte stack: "
                "%s\n", co->mapping_size, strerror(errno));
        abort();
    }
    /* Stacks grow down: the guard page sits below the lowest address. */
    if (mprotect(co->mapping, page, PROT_NONE) < 0) {
        fprintf(stderr, "qemu_coroutine_new: cannot protect the stack guard "
                "page: %s\n", strerror(errno));
        abort();
    }
    co->stack = (char *)co->mapping + page;
#ifdef CONFIG_VALGRIND_H
    co->valgrind_stack_id =
        VALGRIND_STACK_REGISTER(co->stack, (char *)co->stack + co->stack_size);
#endif

    if (getcontext(&uc) < 0) {
        fprintf(stderr, "qemu_coroutine_new: getcontext failed: %s\n",
                strerror(errno));
        abort();
    }
    uc.uc_link = NULL;
    uc.uc_stack.ss_sp = co->stack;
    uc.uc_stack.ss_size = co->stack_size;
    uc.uc_stack.ss_flags = 0;

    /* makecontext() passes int arguments only; split the pointer. */
    arg = (uintptr_t)co;
    makecontext(&uc, (void (*)(void))coroutine_trampoline, 2,
                (unsigned int)(arg >> 16 >> 16), (unsigned int)arg);

    creator = current_or_leader();
    co->start_env = &old_env;
    co->start_creator = creator;
    if (!sigsetjmp(old_env, 0)) {
        asan_switch_out(creator, false, co->stack, co->stack_size);
        swapcontext(&old_uc, &uc);
    }
    asan_switch_in(creator, NULL, NULL);
    co->start_env = NULL;
    co->start_creator = NULL;
    atomic_inc(&live_count);
    return &co->base;
}

unsigned int qemu_coroutine_live_count(void)
{
    return atomic_read(&live_count);
}

void qemu_coroutine_delete(Coroutine *co_)
{
    CoroutineUContext *co = container_of(co_, CoroutineUContext, base);

#ifdef QEMU_SANITIZE_ADDRESS
    if (co->fake_stack) {
        co->dying = true;
        co_->caller = qemu_coroutine_self();
        qemu_coroutine_switch(co_->caller, co_, COROUTINE_ENTER);
    }
#endif
#ifdef CONFIG_VALGRIND_H
    VALGRIND_STACK_DEREGISTER(co->valgrind_stack_id);
#endif
    munmap(co->mapping, co->mapping_size);
    g_free(co);
    atomic_dec(&live_count);
}

/*
 * Out of line so that the trampoline, whose frame may be resumed in
 * another thread, reaches thread-local state only in here.
 */
CoroutineAction __attribute__((noinline))
qemu_coroutine_switch(Coroutine *from_, Coroutine *to_,
                      CoroutineAction action)
{
    CoroutineUContext *from = container_of(from_, CoroutineUContext, base);
    CoroutineUContext *to = container_of(to_, CoroutineUContext, base);
    int ret;

    COROUTINE_SWITCH(from, to, action, ret);
    return ret;
}

void qemu_coroutine_enter(Coroutine *co_, void *opaque)
{
    CoroutineUContext *co = container_of(co_, CoroutineUContext, base);
    CoroutineUContext *self;
    int ret;

    if (unlikely(co_->caller != NULL)) {
        fprintf(stderr, "qemu_coroutine_enter: coroutine %p entered while "
                "it already has a caller (entered recursively or twice)\n",
                (void *)co_);
        abort();
    }
    if (unlikely(co_->owner != &leader)) {
        fprintf(stderr, "qemu_coroutine_enter: coroutine %p does not belong "
                "to this thread (it was created by another thread, or it "
                "is a thread's leader)\n", (void *)co_);
        abort();
    }

    self = current_or_leader();
    co_->caller = &self->base;
    co_->entry_arg = opaque;
    COROUTINE_SWITCH(self, co, COROUTINE_ENTER, ret);

    if (unlikely(ret != COROUTINE_YIELD ||
                 !QTAILQ_EMPTY(&co_->co_queue_wakeup))) {
        qemu_coroutine_enter_finish(co_, ret);
    }
}

void coroutine_fn qemu_coroutine_yield(void)
{
    CoroutineUContext *self = current_or_leader();
    Coroutine *to = self->base.caller;
    int ret;

    if (unlikely(!to)) {
        fprintf(stderr, "qemu_coroutine_yield: called outside a coroutine, "
                "there is nothing to yield to\n");
        abort();
    }
    self->base.caller = NULL;
    COROUTINE_SWITCH(self, container_of(to, CoroutineUContext, base),
                     COROUTINE_YIELD, ret);
    (void)ret;
}

void qemu_coroutine_stack_info(Coroutine *co_, void **stack,
                               size_t *stack_size, void **guard,
                               size_t *guard_size)
{
    CoroutineUContext *co = container_of(co_, CoroutineUContext, base);

    *stack = co->stack;
    *stack_size = co->stack_size;
    *guard = co->mapping;
    *guard_size = (char *)co->stack - (char *)co->mapping;
}
