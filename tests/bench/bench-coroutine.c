/*
 * Coroutine benchmark: the cost of an enter+yield round trip and of a
 * coroutine's whole life (create, enter, terminate) with and without the
 * pools, set against the bare switching primitives measured in the same
 * run: a sigsetjmp/siglongjmp pair between two stacks, and swapcontext.
 *
 * Targets (medians): round trip <= 1.3x the bare sigsetjmp round trip;
 * pooled create+enter+terminate <= 3x a round trip.  The bare round trip
 * is measured twice: with the switch written inline in the loops (the
 * absolute floor) and with it in a called function, the floor for any
 * API where enter and yield are function calls (see bare_switch()).
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */

/* The bare limit jumps between stacks, which fortified longjmp forbids. */
#ifdef _FORTIFY_SOURCE
#undef _FORTIFY_SOURCE
#endif
#include "qemu/osdep.h"

#include <setjmp.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "qemu/coroutine.h"
#include "qemu/coroutine_int.h"
#include "bench-common.h"

#define STACK_SIZE (1 << 20)

static long round_trips;
static long lifecycles;
static long unpooled_lifecycles;

/* ---- libqio coroutines ----------------------------------------------- */

static bool rt_stop;

static void coroutine_fn rt_entry(void *opaque)
{
    while (!rt_stop) {
        qemu_coroutine_yield();
    }
}

static double measure_round_trip(void *opaque)
{
    Coroutine *co = qemu_coroutine_create(rt_entry);
    int64_t start;
    long i;

    rt_stop = false;
    qemu_coroutine_enter(co, NULL);
    start = bench_now_ns();
    for (i = 0; i < round_trips; i++) {
        qemu_coroutine_enter(co, NULL);
    }
    start = bench_now_ns() - start;
    rt_stop = true;
    qemu_coroutine_enter(co, NULL);
    return (double)start / round_trips;
}

static void coroutine_fn empty_entry(void *opaque)
{
    (*(long *)opaque)++;
}

static double measure_lifecycle(void *opaque)
{
    long n = *(long *)opaque;
    long ran = 0;
    int64_t start;
    long i;

    start = bench_now_ns();
    for (i = 0; i < n; i++) {
        qemu_coroutine_enter(qemu_coroutine_create(empty_entry), &ran);
    }
    start = bench_now_ns() - start;
    g_assert_cmpint(ran, ==, n);
    return (double)start / n;
}

/* ---- limit: bare sigsetjmp/siglongjmp between two stacks ------------- */

/*
 * Two variants.  "inline" switches inside the loops themselves, so after
 * a jump no function returns: the absolute floor.  "called" switches in a
 * small function on both sides, so each side returns once after being
 * resumed, as any enter()/yield() API must; that return is mispredicted
 * (the CPU's return-stack predictor still holds the other stack's
 * addresses), which makes this the floor for a function-call API.
 */
static sigjmp_buf bare_main_env;
static sigjmp_buf bare_co_env;
static sigjmp_buf *bare_start_env;
static bool bare_called;

static void __attribute__((noinline)) bare_switch(sigjmp_buf *from,
                                                   sigjmp_buf *to)
{
    if (!sigsetjmp(*from, 0)) {
        siglongjmp(*to, 1);
    }
}

static void bare_trampoline(void)
{
    if (!sigsetjmp(bare_co_env, 0)) {
        siglongjmp(*bare_start_env, 1);
    }
    if (bare_called) {
        for (;;) {
            bare_switch(&bare_co_env, &bare_main_env);
        }
    }
    for (;;) {
        if (!sigsetjmp(bare_co_env, 0)) {
            siglongjmp(bare_main_env, 1);
        }
    }
}

static void *map_stack(void)
{
    void *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

    g_assert(stack != MAP_FAILED);
    return stack;
}

static void start_on_stack(ucontext_t *uc, void *stack, void (*fn)(void))
{
    g_assert_cmpint(getcontext(uc), ==, 0);
    uc->uc_link = NULL;
    uc->uc_stack.ss_sp = stack;
    uc->uc_stack.ss_size = STACK_SIZE;
    uc->uc_stack.ss_flags = 0;
    makecontext(uc, fn, 0);
}

static double __attribute__((noinline)) bare_loop(long n)
{
    int64_t start = bench_now_ns();
    long i;

    if (bare_called) {
        for (i = 0; i < n; i++) {
            bare_switch(&bare_main_env, &bare_co_env);
        }
    } else {
        for (i = 0; i < n; i++) {
            if (!sigsetjmp(bare_main_env, 0)) {
                siglongjmp(bare_co_env, 1);
            }
        }
    }
    return (double)(bench_now_ns() - start) / n;
}

static double measure_bare_sigsetjmp(void *opaque)
{
    void *stack = map_stack();
    ucontext_t uc, old_uc;
    sigjmp_buf start_env;
    double ns;

    bare_called = *(bool *)opaque;
    start_on_stack(&uc, stack, bare_trampoline);
    bare_start_env = &start_env;
    if (!sigsetjmp(start_env, 0)) {
        swapcontext(&old_uc, &uc);
    }
    ns = bare_loop(round_trips);
    munmap(stack, STACK_SIZE);
    return ns;
}

/* ---- limit: swapcontext ---------------------------------------------- */

static ucontext_t swap_main_uc;
static ucontext_t swap_co_uc;

static void swap_trampoline(void)
{
    for (;;) {
        swapcontext(&swap_co_uc, &swap_main_uc);
    }
}

static double measure_swapcontext(void *opaque)
{
    long n = *(long *)opaque;
    void *stack = map_stack();
    int64_t start;
    long i;

    start_on_stack(&swap_co_uc, stack, swap_trampoline);
    start = bench_now_ns();
    for (i = 0; i < n; i++) {
        swapcontext(&swap_main_uc, &swap_co_uc);
    }
    start = bench_now_ns() - start;
    munmap(stack, STACK_SIZE);
    return (double)start / n;
}

int main(int argc, char **argv)
{
    int reps = bench_reps(7);
    int cpu = bench_pin_cpu();
    long swap_trips;
    BenchStats rt, pooled, unpooled, bare, bare_called_st, swap;
    bool inline_switch = false, called_switch = true;
    bool ok = true;

    round_trips = bench_scale(2000000);
    lifecycles = bench_scale(1000000);
    unpooled_lifecycles = bench_scale(20000);
    swap_trips = bench_scale(500000);

    printf("bench-coroutine: %d repetitions, pinned to CPU %d, %s, "
           "1 MiB stacks\n", reps, cpu, bench_clock_name());

    bench_measure(&bare, reps, measure_bare_sigsetjmp, &inline_switch);
    bench_measure(&bare_called_st, reps, measure_bare_sigsetjmp,
                  &called_switch);
    bench_measure(&swap, reps, measure_swapcontext, &swap_trips);
    bench_measure(&rt, reps, measure_round_trip, NULL);
    bench_measure(&pooled, reps, measure_lifecycle, &lifecycles);
    qemu_coroutine_set_pool_enabled(false);
    bench_measure(&unpooled, reps, measure_lifecycle, &unpooled_lifecycles);
    qemu_coroutine_set_pool_enabled(true);

    bench_table_header("Coroutines", "ns per operation");
    bench_table_row("limit: sigsetjmp trip, inline", &bare, NULL, NULL,
                    BENCH_LOWER_IS_BETTER, 0);
    bench_table_row("limit: sigsetjmp trip, called", &bare_called_st,
                    "sigsetjmp trip, inline", &bare, BENCH_LOWER_IS_BETTER,
                    0);
    bench_table_row("limit: swapcontext trip", &swap,
                    "sigsetjmp trip, inline", &bare, BENCH_LOWER_IS_BETTER,
                    0);
    ok &= bench_table_row("enter+yield round trip", &rt,
                          "sigsetjmp trip, inline", &bare,
                          BENCH_LOWER_IS_BETTER, 1.3);
    bench_table_row("enter+yield round trip", &rt, "sigsetjmp trip, called",
                    &bare_called_st, BENCH_LOWER_IS_BETTER, 0);
    ok &= bench_table_row("create+enter+terminate, pooled", &pooled,
                          "enter+yield round trip", &rt,
                          BENCH_LOWER_IS_BETTER, 3.0);
    bench_table_row("create+enter+terminate, unpooled", &unpooled,
                    "pooled create", &pooled, BENCH_LOWER_IS_BETTER, 0);
    printf("targets: %s\n", ok ? "all met" : "MISSED (see rows above)");
    return 0;
}
