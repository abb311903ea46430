/*
 * Tests for coroutines: entering and yielding, nesting, pools, wait
 * queues and locks, sleeping in a main loop, the stack guard page, the
 * misuse aborts and coroutines in several threads.
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
#include "qio-test.h"

/* ---- self and in_coroutine ------------------------------------------- */

static void coroutine_fn self_entry(void *opaque)
{
    Coroutine **seen = opaque;

    *seen = qemu_coroutine_self();
}

static void test_self(void)
{
    Coroutine *co = qemu_coroutine_create(self_entry);
    Coroutine *seen = NULL;
    Coroutine *leader = qemu_coroutine_self();

    g_assert_nonnull(leader);
    g_assert_true(leader != co);
    /* Outside coroutines self() is the thread's leader, every time. */
    g_assert_true(qemu_coroutine_self() == leader);

    qemu_coroutine_enter(co, &seen);
    g_assert_true(seen == co);
    g_assert_true(qemu_coroutine_self() == leader);
}

static void coroutine_fn in_coroutine_entry(void *opaque)
{
    bool *inside = opaque;

    *inside = qemu_in_coroutine();
}

static void test_in_coroutine(void)
{
    Coroutine *co = qemu_coroutine_create(in_coroutine_entry);
    bool inside = false;

    g_assert_false(qemu_in_coroutine());
    qemu_coroutine_enter(co, &inside);
    g_assert_true(inside);
    g_assert_false(qemu_in_coroutine());
}

/* ---- yield ----------------------------------------------------------- */

typedef struct {
    int yields_left;
    int resumed;
    bool finished;
} YieldState;

static void coroutine_fn yield_entry(void *opaque)
{
    YieldState *st = opaque;

    while (st->yields_left > 0) {
        st->yields_left--;
        qemu_coroutine_yield();
        st->resumed++;
    }
    st->finished = true;
}

static void test_yield(void)
{
    YieldState st = { .yields_left = 5 };
    Coroutine *co = qemu_coroutine_create(yield_entry);
    int enters = 0;

    while (!st.finished) {
        qemu_coroutine_enter(co, &st);
        enters++;
        g_assert_cmpint(enters, <=, 6);
    }
    g_assert_cmpint(enters, ==, 6);
    g_assert_cmpint(st.resumed, ==, 5);
    g_assert_cmpint(st.yields_left, ==, 0);
}

/* ---- the opaque reaches the entry function on the first enter only --- */

typedef struct {
    void *args[3];
    int n;
} ArgLog;

static ArgLog arg_log;

static void coroutine_fn entry_arg_entry(void *opaque)
{
    int i;

    for (i = 0; i < 3; i++) {
        arg_log.args[arg_log.n++] = opaque;
        if (i < 2) {
            qemu_coroutine_yield();
        }
    }
}

static void test_entry_arg(void)
{
    Coroutine *co = qemu_coroutine_create(entry_arg_entry);
    int a, b, c;

    memset(&arg_log, 0, sizeof(arg_log));
    qemu_coroutine_enter(co, &a);
    qemu_coroutine_enter(co, &b);
    qemu_coroutine_enter(co, &c);
    g_assert_cmpint(arg_log.n, ==, 3);
    g_assert_true(arg_log.args[0] == &a);
    g_assert_true(arg_log.args[1] == &a);
    g_assert_true(arg_log.args[2] == &a);
}

/* ---- nesting --------------------------------------------------------- */

typedef struct {
    unsigned int n_enter;
    unsigned int n_return;
    unsigned int max;
} NestData;

static void coroutine_fn nest_entry(void *opaque)
{
    NestData *nd = opaque;
    Coroutine *self = qemu_coroutine_self();

    nd->n_enter++;
    if (nd->n_enter < nd->max) {
        Coroutine *child = qemu_coroutine_create(nest_entry);

        qemu_coroutine_enter(child, nd);
    }
    /* Control came back to this coroutine, not to the child or leader. */
    g_assert_true(qemu_coroutine_self() == self);
    nd->n_return++;
}

static void test_nesting(void)
{
    NestData nd = { .max = 128 };
    Coroutine *root = qemu_coroutine_create(nest_entry);

    qemu_coroutine_enter(root, &nd);
    g_assert_cmpuint(nd.n_enter, ==, nd.max);
    g_assert_cmpuint(nd.n_return, ==, nd.max);
}

/* ---- enter/yield order ----------------------------------------------- */

static GString *order_log;

static void coroutine_fn order_entry(void *opaque)
{
    g_string_append(order_log, "b");
    qemu_coroutine_yield();
    g_string_append(order_log, "d");
}

static void test_order(void)
{
    Coroutine *co;

    order_log = g_string_new("");
    co = qemu_coroutine_create(order_entry);
    g_string_append(order_log, "a");
    qemu_coroutine_enter(co, NULL);
    g_string_append(order_log, "c");
    qemu_coroutine_enter(co, NULL);
    g_string_append(order_log, "e");
    g_assert_cmpstr(order_log->str, ==, "abcde");
    g_string_free(order_log, TRUE);
    order_log = NULL;
}

/* ---- lifecycle ------------------------------------------------------- */

static void coroutine_fn set_flag_entry(void *opaque)
{
    bool *done = opaque;

    *done = true;
}

static void test_lifecycle(void)
{
    int round;

    for (round = 0; round < 2; round++) {
        bool done = false;
        Coroutine *co = qemu_coroutine_create(set_flag_entry);

        g_assert_false(done);
        qemu_coroutine_enter(co, &done);
        g_assert_true(done);
    }
}

/* ---- pools ----------------------------------------------------------- */

static void test_pool_reuse(void)
{
    Coroutine *first, *again, *fresh;
    unsigned int before, live;
    bool done = false;

    first = qemu_coroutine_create(set_flag_entry);
    qemu_coroutine_enter(first, &done);
    g_assert_true(done);
    before = qemu_coroutine_pool_size();
    g_assert_cmpuint(before, >=, 1);

    /* The finished coroutine is handed out again, and it works. */
    done = false;
    again = qemu_coroutine_create(set_flag_entry);
    g_assert_true(again == first);
    g_assert_cmpuint(qemu_coroutine_pool_size(), ==, before - 1);
    qemu_coroutine_enter(again, &done);
    g_assert_true(done);
    g_assert_cmpuint(qemu_coroutine_pool_size(), ==, before);

    /* Without pooling, nothing is kept and every stack is new. */
    live = qemu_coroutine_live_count();
    qemu_coroutine_set_pool_enabled(false);
    g_assert_cmpuint(qemu_coroutine_pool_size(), ==, 0);
    g_assert_cmpuint(qemu_coroutine_live_count(), ==, live - before);
    done = false;
    fresh = qemu_coroutine_create(set_flag_entry);
    qemu_coroutine_enter(fresh, &done);
    g_assert_true(done);
    g_assert_cmpuint(qemu_coroutine_pool_size(), ==, 0);
    g_assert_cmpuint(qemu_coroutine_live_count(), ==, live - before);
    qemu_coroutine_set_pool_enabled(true);
}

/* Many live coroutines at once overflow the thread pool into the global
 * one; the pools stay bounded. */
static void coroutine_fn yield_once_entry(void *opaque)
{
    int *finished = opaque;

    qemu_coroutine_yield();
    (*finished)++;
}

static void test_pool_bounded(void)
{
    enum { N = 300 };
    Coroutine *cos[N];
    int finished = 0;
    int i;

    for (i = 0; i < N; i++) {
        cos[i] = qemu_coroutine_create(yield_once_entry);
        qemu_coroutine_enter(cos[i], &finished);
    }
    for (i = 0; i < N; i++) {
        qemu_coroutine_enter(cos[i], NULL);
    }
    g_assert_cmpint(finished, ==, N);
    /* 64 per thread plus 128 process-wide; the rest were freed. */
    g_assert_cmpuint(qemu_coroutine_pool_size(), <=, 64 + 128);
    g_assert_cmpuint(qemu_coroutine_pool_size(), >=, 64);
}

/* ---- CoQueue --------------------------------------------------------- */

static CoQueue test_queue;
static GString *queue_log;

static void coroutine_fn queue_waiter_entry(void *opaque)
{
    const char *name = opaque;

    g_string_append_printf(queue_log, "%s-wait ", name);
    qemu_co_queue_wait(&test_queue);
    g_string_append_printf(queue_log, "%s-woken ", name);
}

static void coroutine_fn queue_waker_entry(void *opaque)
{
    bool all = GPOINTER_TO_INT(opaque);

    if (all) {
        qemu_co_queue_restart_all(&test_queue);
    } else {
        g_assert_true(qemu_co_queue_next(&test_queue));
    }
    /* Woken coroutines run only once the waker switches away. */
    g_string_append(queue_log, "waker-yields ");
    qemu_coroutine_yield();
    g_string_append(queue_log, "waker-ends ");
}

static void test_co_queue_restart_order(void)
{
    static const char *const names[] = { "1", "2", "3" };
    Coroutine *waker;
    int i;

    qemu_co_queue_init(&test_queue);
    queue_log = g_string_new("");
    g_assert_true(qemu_co_queue_empty(&test_queue));

    for (i = 0; i < 3; i++) {
        qemu_coroutine_enter(qemu_coroutine_create(queue_waiter_entry),
                             (void *)names[i]);
    }
    g_assert_false(qemu_co_queue_empty(&test_queue));

    waker = qemu_coroutine_create(queue_waker_entry);
    qemu_coroutine_enter(waker, GINT_TO_POINTER(true));
    g_assert_true(qemu_co_queue_empty(&test_queue));
    g_assert_cmpstr(queue_log->str, ==,
                    "1-wait 2-wait 3-wait waker-yields "
                    "1-woken 2-woken 3-woken ");
    qemu_coroutine_enter(waker, NULL);
    g_string_free(queue_log, TRUE);
}

static void test_co_queue_next(void)
{
    Coroutine *waker;

    qemu_co_queue_init(&test_queue);
    queue_log = g_string_new("");

    qemu_coroutine_enter(qemu_coroutine_create(queue_waiter_entry),
                         (void *)"a");
    qemu_coroutine_enter(qemu_coroutine_create(queue_waiter_entry),
                         (void *)"b");
    qemu_coroutine_enter(qemu_coroutine_create(queue_waiter_entry),
                         (void *)"c");

    /* From a coroutine: one waiter, deferred until the waker yields. */
    waker = qemu_coroutine_create(queue_waker_entry);
    qemu_coroutine_enter(waker, GINT_TO_POINTER(false));
    g_assert_cmpstr(queue_log->str, ==,
                    "a-wait b-wait c-wait waker-yields a-woken ");
    qemu_coroutine_enter(waker, NULL);

    /* From ordinary code: entered at once. */
    g_assert_true(qemu_co_enter_next(&test_queue));
    g_assert_true(g_str_has_suffix(queue_log->str, "waker-ends b-woken "));
    g_assert_true(qemu_co_queue_next(&test_queue));
    g_assert_true(g_str_has_suffix(queue_log->str, "b-woken c-woken "));
    g_assert_false(qemu_co_queue_next(&test_queue));
    g_assert_false(qemu_co_enter_next(&test_queue));
    g_assert_true(qemu_co_queue_empty(&test_queue));
    g_string_free(queue_log, TRUE);
}

/* ---- CoMutex --------------------------------------------------------- */

typedef struct {
    CoMutex mutex;
    Coroutine *holder;
    int holders;
    int started;
    GString *log;
} MutexTest;

static void coroutine_fn mutex_entry(void *opaque)
{
    MutexTest *mt = opaque;
    char name = (char)('1' + mt->started++);
    int round;

    g_string_append_printf(mt->log, "%c ", name);

    for (round = 0; round < 2; round++) {
        qemu_co_mutex_lock(&mt->mutex);
        mt->holders++;
        g_assert_cmpint(mt->holders, ==, 1);
        mt->holder = qemu_coroutine_self();
        g_string_append_printf(mt->log, "%c+ ", name);
        /* Sleep while holding the lock: the others must queue up. */
        qemu_coroutine_yield();
        g_string_append_printf(mt->log, "%c- ", name);
        mt->holders--;
        mt->holder = NULL;
        qemu_co_mutex_unlock(&mt->mutex);
    }
}

static void test_co_mutex_contended(void)
{
    MutexTest mt = { .log = g_string_new("") };
    int i;

    qemu_co_mutex_init(&mt.mutex);
    for (i = 0; i < 3; i++) {
        qemu_coroutine_enter(qemu_coroutine_create(mutex_entry), &mt);
    }
    g_assert_cmpstr(mt.log->str, ==, "1 1+ 2 3 ");

    /*
     * Keep resuming whoever holds the lock.  Each unlock hands the lock
     * to the first waiter, so the order is FIFO; the unlocking coroutine
     * then queues again behind the others.
     */
    for (i = 0; i < 100 && mt.holder; i++) {
        qemu_coroutine_enter(mt.holder, NULL);
    }
    g_assert_null(mt.holder);
    g_assert_false(mt.mutex.locked);
    g_assert_true(qemu_co_queue_empty(&mt.mutex.queue));
    g_assert_cmpstr(mt.log->str, ==,
                    "1 1+ 2 3 1- 2+ 2- 3+ 3- 1+ 1- 2+ 2- 3+ 3- ");
    g_string_free(mt.log, TRUE);
}

/* ---- CoRwlock -------------------------------------------------------- */

typedef struct {
    CoRwlock lock;
    int readers;
    int writers;
    int max_readers;
} RwTest;

static void coroutine_fn reader_entry(void *opaque)
{
    RwTest *rw = opaque;

    qemu_co_rwlock_rdlock(&rw->lock);
    g_assert_cmpint(rw->writers, ==, 0);
    rw->readers++;
    rw->max_readers = MAX(rw->max_readers, rw->readers);
    qemu_coroutine_yield();
    rw->readers--;
    qemu_co_rwlock_unlock(&rw->lock);
}

static void coroutine_fn writer_entry(void *opaque)
{
    RwTest *rw = opaque;

    qemu_co_rwlock_wrlock(&rw->lock);
    g_assert_cmpint(rw->readers, ==, 0);
    g_assert_cmpint(rw->writers, ==, 0);
    rw->writers++;
    qemu_coroutine_yield();
    rw->writers--;
    qemu_co_rwlock_unlock(&rw->lock);
}

static void test_co_rwlock(void)
{
    RwTest rw = { 0 };
    Coroutine *r1, *r2, *w, *r3;

    qemu_co_rwlock_init(&rw.lock);
    r1 = qemu_coroutine_create(reader_entry);
    r2 = qemu_coroutine_create(reader_entry);
    w = qemu_coroutine_create(writer_entry);
    r3 = qemu_coroutine_create(reader_entry);

    qemu_coroutine_enter(r1, &rw);
    qemu_coroutine_enter(r2, &rw);
    g_assert_cmpint(rw.readers, ==, 2);         /* readers share */
    qemu_coroutine_enter(w, &rw);
    g_assert_cmpint(rw.writers, ==, 0);         /* writer waits */

    qemu_coroutine_enter(r1, NULL);
    g_assert_cmpint(rw.writers, ==, 0);         /* one reader left */
    qemu_coroutine_enter(r2, NULL);
    g_assert_cmpint(rw.writers, ==, 1);         /* last reader woke it */

    qemu_coroutine_enter(r3, &rw);
    g_assert_cmpint(rw.readers, ==, 0);         /* reader waits */
    qemu_coroutine_enter(w, NULL);              /* writer unlocks */
    g_assert_cmpint(rw.readers, ==, 1);
    qemu_coroutine_enter(r3, NULL);
    g_assert_cmpint(rw.readers, ==, 0);
    g_assert_cmpint(rw.max_readers, ==, 2);
    g_assert_false(rw.lock.writer);
    g_assert_cmpint(rw.lock.reader, ==, 0);
}

/* ---- co_sleep_ns in a main loop -------------------------------------- */

typedef struct {
    GMainLoop *loop;
    GString *log;
    int running;
} SleepTest;

typedef struct {
    SleepTest *st;
    const char *name;
    int64_t ns;
    gint64 slept_us;
} Sleeper;

static void coroutine_fn sleeper_entry(void *opaque)
{
    Sleeper *s = opaque;
    gint64 start = g_get_monotonic_time();

    co_sleep_ns(QEMU_CLOCK_REALTIME, s->ns);
    s->slept_us = g_get_monotonic_time() - start;
    g_string_append_printf(s->st->log, "%s ", s->name);
    if (--s->st->running == 0) {
        g_main_loop_quit(s->st->loop);
    }
}

static gboolean start_sleepers(gpointer opaque)
{
    Sleeper *sleepers = opaque;
    int i;

    for (i = 0; i < 3; i++) {
        qemu_coroutine_enter(qemu_coroutine_create(sleeper_entry),
                             &sleepers[i]);
    }
    return G_SOURCE_REMOVE;
}

static void test_co_sleep(void)
{
    SleepTest st = {
        .loop = g_main_loop_new(NULL, FALSE),
        .log = g_string_new(""),
        .running = 3,
    };
    Sleeper sleepers[3] = {
        { &st, "long", 30 * SCALE_MS, 0 },
        { &st, "zero", 0, 0 },
        { &st, "short", 5 * SCALE_MS + 1, 0 },
    };

    g_idle_add(start_sleepers, sleepers);
    g_main_loop_run(st.loop);

    /*
     * Each is woken once, after at least the time asked.  The order is
     * not checked: a loop that runs late finds several deadlines passed
     * at once and GLib then dispatches them in the order they were
     * attached.
     */
    g_assert_cmpint(strlen(st.log->str), ==, strlen("zero short long "));
    g_assert_nonnull(strstr(st.log->str, "zero "));
    g_assert_nonnull(strstr(st.log->str, "short "));
    g_assert_nonnull(strstr(st.log->str, "long "));
    g_assert_cmpint(sleepers[0].slept_us, >=, 30000);
    g_assert_cmpint(sleepers[2].slept_us, >=, 5001);
    g_main_loop_unref(st.loop);
    g_string_free(st.log, TRUE);
}

/* ---- stack overflow hits the guard page ------------------------------ */

static char *guard_lo;
static char *guard_hi;
static volatile int recursion_limit = INT_MAX;

static void guard_segv_handler(int sig, siginfo_t *si, void *uc)
{
    static const char hit[] = "stack overflow hit the guard page\n";
    static const char miss[] = "SIGSEGV outside the guard page\n";
    char *addr = si->si_addr;

    if (addr >= guard_lo && addr < guard_hi) {
        (void)!write(STDERR_FILENO, hit, sizeof(hit) - 1);
        _exit(3);
    }
    (void)!write(STDERR_FILENO, miss, sizeof(miss) - 1);
    _exit(4);
}

static int __attribute__((noinline)) recurse(volatile char *prev, int depth)
{
    volatile char buf[1024];

    buf[0] = (char)depth;
    buf[sizeof(buf) - 1] = prev ? prev[0] : 0;
    if (depth >= recursion_limit) {
        return buf[0];
    }
    return recurse(buf, depth + 1) + buf[sizeof(buf) - 1];
}

static void coroutine_fn overflow_entry(void *opaque)
{
    recurse(NULL, 0);
}

static void test_guard_page(void)
{
    if (g_test_subprocess()) {
        Coroutine *co = qemu_coroutine_create(overflow_entry);
        stack_t ss = { 0 };
        struct sigaction sa = { 0 };
        void *stack, *guard;
        size_t stack_size, guard_size;

        qemu_coroutine_stack_info(co, &stack, &stack_size, &guard,
                                  &guard_size);
        g_assert_cmpuint(stack_size, >=, 1024 * 1024);
        g_assert_cmpuint(guard_size, >=, 4096);
        g_assert_true((char *)guard + guard_size == (char *)stack);
        guard_lo = guard;
        guard_hi = (char *)guard + guard_size;

        /* The fault happens with no stack left: handle it elsewhere. */
        ss.ss_size = 64 * 1024;
        ss.ss_sp = g_malloc(ss.ss_size);
        g_assert_cmpint(sigaltstack(&ss, NULL), ==, 0);
        sa.sa_sigaction = guard_segv_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        g_assert_cmpint(sigaction(SIGSEGV, &sa, NULL), ==, 0);

        qemu_coroutine_enter(co, NULL);
        g_assert_not_reached();
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*stack overflow hit the guard page*");
}

/* ---- misuse aborts --------------------------------------------------- */

static void coroutine_fn reenter_caller_entry(void *opaque)
{
    Coroutine *parent = opaque;

    /* The parent is suspended in qemu_coroutine_enter(): it has a caller. */
    qemu_coroutine_enter(parent, NULL);
}

static void coroutine_fn parent_entry(void *opaque)
{
    qemu_coroutine_enter(qemu_coroutine_create(reenter_caller_entry),
                         qemu_coroutine_self());
}

static void test_double_enter_aborts(void)
{
    if (g_test_subprocess()) {
        qemu_coroutine_enter(qemu_coroutine_create(parent_entry), NULL);
        g_assert_not_reached();
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*entered while it already has a caller*");
}

static void coroutine_fn self_enter_entry(void *opaque)
{
    qemu_coroutine_enter(qemu_coroutine_self(), NULL);
}

static void test_self_enter_aborts(void)
{
    if (g_test_subprocess()) {
        qemu_coroutine_enter(qemu_coroutine_create(self_enter_entry), NULL);
        g_assert_not_reached();
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*entered while it already has a caller*");
}

static void test_yield_outside_aborts(void)
{
    if (g_test_subprocess()) {
        qemu_coroutine_yield();
        g_assert_not_reached();
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*called outside a coroutine*");
}

static void *enter_foreign_thread(void *opaque)
{
    qemu_coroutine_enter(opaque, NULL);
    return NULL;
}

static void test_foreign_thread_aborts(void)
{
    if (g_test_subprocess()) {
        Coroutine *co = qemu_coroutine_create(set_flag_entry);
        pthread_t thread;

        g_assert_cmpint(pthread_create(&thread, NULL, enter_foreign_thread,
                                       co), ==, 0);
        pthread_join(thread, NULL);
        g_assert_not_reached();
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*does not belong to this thread*");
}

/* ---- two threads running coroutines at once -------------------------- */

enum { THREAD_COROUTINES = 100, THREAD_ROUNDS = 50 };

static int threads_ready;

typedef struct {
    Coroutine *leader;
    unsigned long switches;
    unsigned long finished;
    bool other_thread_seen_live;
} ThreadResult;

static void coroutine_fn counting_entry(void *opaque)
{
    ThreadResult *res = opaque;
    Coroutine *self = qemu_coroutine_self();
    int i;

    for (i = 0; i < THREAD_ROUNDS; i++) {
        g_assert_true(qemu_coroutine_self() == self);
        g_assert_true(qemu_in_coroutine());
        res->switches++;
        qemu_coroutine_yield();
    }
    res->finished++;
}

static void *coroutine_thread(void *opaque)
{
    ThreadResult *res = opaque;
    Coroutine *cos[THREAD_COROUTINES];
    int i, round;

    res->leader = qemu_coroutine_self();
    for (i = 0; i < THREAD_COROUTINES; i++) {
        cos[i] = qemu_coroutine_create(counting_entry);
        qemu_coroutine_enter(cos[i], res);
    }

    /*
     * Every coroutine of this thread is now suspended.  Wait until the
     * other thread is in the same state, so both have live coroutines at
     * the same time, then run them all to completion.
     */
    atomic_inc(&threads_ready);
    while (atomic_mb_read(&threads_ready) < 2) {
        g_usleep(1000);
    }
    res->other_thread_seen_live = true;

    for (round = 0; round < THREAD_ROUNDS; round++) {
        for (i = 0; i < THREAD_COROUTINES; i++) {
            qemu_coroutine_enter(cos[i], NULL);
        }
    }
    return NULL;
}

static void test_two_threads(void)
{
    enum { SPILLED = 2 * (THREAD_COROUTINES - 64) };
    ThreadResult res[2] = { { 0 }, { 0 } };
    Coroutine *reused[SPILLED];
    pthread_t threads[2];
    unsigned int live_before;
    int finished = 0;
    int i;

    /* Start from empty pools, so the counts below are exact. */
    qemu_coroutine_set_pool_enabled(false);
    qemu_coroutine_set_pool_enabled(true);
    g_assert_cmpuint(qemu_coroutine_pool_size(), ==, 0);
    live_before = qemu_coroutine_live_count();

    atomic_set(&threads_ready, 0);
    for (i = 0; i < 2; i++) {
        g_assert_cmpint(pthread_create(&threads[i], NULL, coroutine_thread,
                                       &res[i]), ==, 0);
    }
    for (i = 0; i < 2; i++) {
        pthread_join(threads[i], NULL);
    }

    for (i = 0; i < 2; i++) {
        g_assert_true(res[i].other_thread_seen_live);
        g_assert_cmpuint(res[i].switches, ==,
                         THREAD_COROUTINES * THREAD_ROUNDS);
        g_assert_cmpuint(res[i].finished, ==, THREAD_COROUTINES);
        g_assert_true(res[i].leader != qemu_coroutine_self());
    }
    g_assert_true(res[0].leader != res[1].leader);

    /*
     * Each thread kept 64 finished coroutines in its own pool, which was
     * freed when it exited (only the spilled ones are still allocated),
     * and spilled the rest to the process-wide pool.  Those were started in the other threads; take them all and
     * check they work here.
     */
    g_assert_cmpuint(qemu_coroutine_pool_size(), ==, SPILLED);
    g_assert_cmpuint(qemu_coroutine_live_count(), ==, live_before + SPILLED);
    for (i = 0; i < SPILLED; i++) {
        reused[i] = qemu_coroutine_create(yield_once_entry);
        qemu_coroutine_enter(reused[i], &finished);
    }
    g_assert_cmpuint(qemu_coroutine_pool_size(), ==, 0);
    for (i = 0; i < SPILLED; i++) {
        qemu_coroutine_enter(reused[i], NULL);
    }
    g_assert_cmpint(finished, ==, SPILLED);
}

static gboolean child_reaped(GPid pid, gint status, gpointer opaque)
{
    *(bool *)opaque = true;
    return G_SOURCE_REMOVE;
}

/*
 * Where pidfds are not available (under valgrind, for one), GLib watches
 * children from a worker thread whose wakeup fd is created on first use.
 * g_test_trap_subprocess() watches its child, so do that once before any
 * test runs; otherwise the first subprocess test would be blamed for the
 * worker's fd.
 */
static void prime_child_watch(void)
{
    GMainContext *ctx = g_main_context_new();
    GSource *source;
    bool reaped = false;
    pid_t pid = fork();

    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        _exit(0);
    }
    source = g_child_watch_source_new(pid);
    g_source_set_callback(source, (GSourceFunc)(void (*)(void))child_reaped,
                          &reaped, NULL);
    g_source_attach(source, ctx);
    while (!reaped) {
        g_main_context_iteration(ctx, TRUE);
    }
    g_source_destroy(source);
    g_source_unref(source);
    g_main_context_unref(ctx);
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    if (!g_test_subprocess()) {
        prime_child_watch();
    }

    qio_test_add_func("/coroutine/basic/self", test_self);
    qio_test_add_func("/coroutine/basic/in_coroutine", test_in_coroutine);
    qio_test_add_func("/coroutine/basic/yield", test_yield);
    qio_test_add_func("/coroutine/basic/entry-arg", test_entry_arg);
    qio_test_add_func("/coroutine/basic/nesting", test_nesting);
    qio_test_add_func("/coroutine/basic/order", test_order);
    qio_test_add_func("/coroutine/basic/lifecycle", test_lifecycle);
    qio_test_add_func("/coroutine/pool/reuse", test_pool_reuse);
    qio_test_add_func("/coroutine/pool/bounded", test_pool_bounded);
    qio_test_add_func("/coroutine/co_queue/restart-order",
                      test_co_queue_restart_order);
    qio_test_add_func("/coroutine/co_queue/next", test_co_queue_next);
    qio_test_add_func("/coroutine/co_mutex/contended",
                      test_co_mutex_contended);
    qio_test_add_func("/coroutine/co_rwlock/readers-writer", test_co_rwlock);
    qio_test_add_func("/coroutine/sleep/main-loop", test_co_sleep);
    qio_test_add_func("/coroutine/stack/guard-page", test_guard_page);
    qio_test_add_func("/coroutine/abort/double-enter",
                      test_double_enter_aborts);
    qio_test_add_func("/coroutine/abort/self-enter", test_self_enter_aborts);
    qio_test_add_func("/coroutine/abort/yield-outside",
                      test_yield_outside_aborts);
    qio_test_add_func("/coroutine/abort/foreign-thread",
                      test_foreign_thread_aborts);
    qio_test_add_func("/coroutine/threads/two-at-once", test_two_threads);

    return g_test_run();
}
