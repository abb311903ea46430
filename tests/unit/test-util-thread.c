/*
 * Tests for QemuThread and the synchronisation primitives
 * (include/qemu/thread.h).
 *
 * No assertion depends on timing: where a test checks that something has
 * not happened yet, a slow machine can only make it pass, never fail.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/thread.h"
#include "qio-test.h"

/* Long enough that it only expires if something is really stuck. */
#define LONG_WAIT_MS 30000

static void *return_arg_plus_one(void *opaque)
{
    return GINT_TO_POINTER(GPOINTER_TO_INT(opaque) + 1);
}

static void test_thread_joinable(void)
{
    QemuThread threads[3];
    int i;

    for (i = 0; i < 3; i++) {
        qemu_thread_create(&threads[i], "joinable", return_arg_plus_one,
                           GINT_TO_POINTER(i * 10), QEMU_THREAD_JOINABLE);
    }
    for (i = 2; i >= 0; i--) {
        g_assert_cmpint(GPOINTER_TO_INT(qemu_thread_join(&threads[i])), ==,
                        i * 10 + 1);
    }
}

static void *exit_early(void *opaque)
{
    qemu_thread_exit(opaque);
    /* Never reached: the join must see the value passed above. */
    return NULL;
}

static void test_thread_exit(void)
{
    QemuThread thread;
    int token;

    qemu_thread_create(&thread, "exit", exit_early, &token,
                       QEMU_THREAD_JOINABLE);
    g_assert_true(qemu_thread_join(&thread) == &token);
}

typedef struct DetachedData {
    QemuSemaphore done;
    int value;
} DetachedData;

static void *detached_fn(void *opaque)
{
    DetachedData *d = opaque;

    d->value = 1234;
    qemu_sem_post(&d->done);
    return NULL;
}

static void test_thread_detached(void)
{
    DetachedData d;
    QemuThread thread;

    d.value = 0;
    qemu_sem_init(&d.done, 0);
    qemu_thread_create(&thread, "detached", detached_fn, &d,
                       QEMU_THREAD_DETACHED);
    g_assert_cmpint(qemu_sem_timedwait(&d.done, LONG_WAIT_MS), ==, 0);
    g_assert_cmpint(d.value, ==, 1234);
    /*
     * The wait returned holding the semaphore's lock, which the thread had
     * released as its last access to @d, so destroying it is safe.
     */
    qemu_sem_destroy(&d.done);
}

typedef struct SelfData {
    QemuThread self;
    bool is_self_inside;
    bool usr1_blocked;
    char name[32];
} SelfData;

static void *self_fn(void *opaque)
{
    SelfData *d = opaque;
    sigset_t mask;

    qemu_thread_get_self(&d->self);
    d->is_self_inside = qemu_thread_is_self(&d->self);
    pthread_sigmask(SIG_SETMASK, NULL, &mask);
    d->usr1_blocked = sigismember(&mask, SIGUSR1);
    if (pthread_getname_np(pthread_self(), d->name, sizeof(d->name)) != 0) {
        d->name[0] = '\0';
    }
    return NULL;
}

static void test_thread_self_and_name(void)
{
    QemuThread thread, me;
    SelfData d;

    memset(&d, 0, sizeof(d));
    qemu_thread_create(&thread, "qio-test-thread-with-a-long-name", self_fn,
                       &d, QEMU_THREAD_JOINABLE);
    qemu_thread_join(&thread);

    g_assert_true(d.is_self_inside);
    g_assert_false(qemu_thread_is_self(&d.self));
    g_assert_true(pthread_equal(d.self.thread, thread.thread));
    qemu_thread_get_self(&me);
    g_assert_true(qemu_thread_is_self(&me));

    /* Linux keeps 15 characters of a thread name. */
    g_assert_cmpstr(d.name, ==, "qio-test-thread");
    /* New threads start with every signal blocked. */
    g_assert_true(d.usr1_blocked);
}

static void test_thread_short_name_and_naming_off(void)
{
    char own[32];
    QemuThread thread;
    SelfData d;

    memset(&d, 0, sizeof(d));
    qemu_thread_create(&thread, "worker", self_fn, &d, QEMU_THREAD_JOINABLE);
    qemu_thread_join(&thread);
    g_assert_cmpstr(d.name, ==, "worker");

    /* With naming off a thread keeps the name it inherited. */
    g_assert_cmpint(pthread_getname_np(pthread_self(), own, sizeof(own)),
                    ==, 0);
    qemu_thread_naming(false);
    memset(&d, 0, sizeof(d));
    qemu_thread_create(&thread, "unnamed", self_fn, &d,
                       QEMU_THREAD_JOINABLE);
    qemu_thread_join(&thread);
    qemu_thread_naming(true);
    g_assert_cmpstr(d.name, ==, own);

    /* A NULL name is allowed too. */
    memset(&d, 0, sizeof(d));
    qemu_thread_create(&thread, NULL, self_fn, &d, QEMU_THREAD_JOINABLE);
    qemu_thread_join(&thread);
    g_assert_cmpstr(d.name, ==, own);
}

#define CONTENTION_THREADS 4

typedef struct Counter {
    QemuMutex lock;
    unsigned long value;
    unsigned long rounds;
} Counter;

static void *counter_fn(void *opaque)
{
    Counter *c = opaque;
    unsigned long i;

    for (i = 0; i < c->rounds; i++) {
        qemu_mutex_lock(&c->lock);
        /* A read-modify-write that loses updates without the lock. */
        c->value = c->value + 1;
        qemu_mutex_unlock(&c->lock);
    }
    return NULL;
}

static void test_mutex_contention(void)
{
    QemuThread threads[CONTENTION_THREADS];
    Counter c;
    int i;

    qemu_mutex_init(&c.lock);
    c.value = 0;
    c.rounds = qio_test_under_valgrind() ? 2000 : 100000;
    for (i = 0; i < CONTENTION_THREADS; i++) {
        qemu_thread_create(&threads[i], "counter", counter_fn, &c,
                           QEMU_THREAD_JOINABLE);
    }
    for (i = 0; i < CONTENTION_THREADS; i++) {
        qemu_thread_join(&threads[i]);
    }
    g_assert_cmpuint(c.value, ==, c.rounds * CONTENTION_THREADS);
    qemu_mutex_destroy(&c.lock);
}

static void *trylock_fn(void *opaque)
{
    QemuMutex *m = opaque;
    int ret = qemu_mutex_trylock(m);

    if (ret == 0) {
        qemu_mutex_unlock(m);
    }
    return GINT_TO_POINTER(ret);
}

static void test_mutex_trylock(void)
{
    QemuThread thread;
    QemuMutex m;

    qemu_mutex_init(&m);
    g_assert_cmpint(qemu_mutex_trylock(&m), ==, 0);
    qemu_thread_create(&thread, "trylock", trylock_fn, &m,
                       QEMU_THREAD_JOINABLE);
    g_assert_cmpint(GPOINTER_TO_INT(qemu_thread_join(&thread)), ==, EBUSY);
    qemu_mutex_unlock(&m);

    qemu_thread_create(&thread, "trylock", trylock_fn, &m,
                       QEMU_THREAD_JOINABLE);
    g_assert_cmpint(GPOINTER_TO_INT(qemu_thread_join(&thread)), ==, 0);
    qemu_mutex_destroy(&m);
}

static void test_mutex_misuse_aborts(void)
{
    if (g_test_subprocess()) {
        QemuMutex m;

        qemu_mutex_init(&m);
        /* Unlocking a mutex nobody holds is a bug that must not pass. */
        qemu_mutex_unlock(&m);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("qemu: qemu_mutex_unlock: *");
}

typedef struct Queue {
    QemuMutex lock;
    QemuCond not_empty;
    QemuCond not_full;
    int items[4];
    int count;
    int head;
    bool closed;
} Queue;

#define QUEUE_ITEMS 2000

static void *producer_fn(void *opaque)
{
    Queue *q = opaque;
    int i;

    for (i = 1; i <= QUEUE_ITEMS; i++) {
        qemu_mutex_lock(&q->lock);
        while (q->count == (int)ARRAY_SIZE(q->items)) {
            qemu_cond_wait(&q->not_full, &q->lock);
        }
        q->items[(q->head + q->count) % ARRAY_SIZE(q->items)] = i;
        q->count++;
        qemu_cond_signal(&q->not_empty);
        qemu_mutex_unlock(&q->lock);
    }
    qemu_mutex_lock(&q->lock);
    q->closed = true;
    qemu_cond_broadcast(&q->not_empty);
    qemu_mutex_unlock(&q->lock);
    return NULL;
}

static void test_cond(void)
{
    QemuThread thread;
    long sum = 0;
    int expect_next = 1;
    Queue q;

    memset(&q, 0, sizeof(q));
    qemu_mutex_init(&q.lock);
    qemu_cond_init(&q.not_empty);
    qemu_cond_init(&q.not_full);
    qemu_thread_create(&thread, "producer", producer_fn, &q,
                       QEMU_THREAD_JOINABLE);
    for (;;) {
        int item;

        qemu_mutex_lock(&q.lock);
        while (q.count == 0 && !q.closed) {
            qemu_cond_wait(&q.not_empty, &q.lock);
        }
        if (q.count == 0) {
            qemu_mutex_unlock(&q.lock);
            break;
        }
        item = q.items[q.head];
        q.head = (q.head + 1) % ARRAY_SIZE(q.items);
        q.count--;
        qemu_cond_signal(&q.not_full);
        qemu_mutex_unlock(&q.lock);

        g_assert_cmpint(item, ==, expect_next);
        expect_next++;
        sum += item;
    }
    qemu_thread_join(&thread);
    g_assert_cmpint(expect_next, ==, QUEUE_ITEMS + 1);
    g_assert_cmpint(sum, ==, (long)QUEUE_ITEMS * (QUEUE_ITEMS + 1) / 2);
    qemu_cond_destroy(&q.not_empty);
    qemu_cond_destroy(&q.not_full);
    qemu_mutex_destroy(&q.lock);
}

typedef struct Broadcast {
    QemuMutex lock;
    QemuCond cond;
    QemuSemaphore waiting;
    bool go;
} Broadcast;

static void *broadcast_waiter(void *opaque)
{
    Broadcast *b = opaque;

    qemu_mutex_lock(&b->lock);
    qemu_sem_post(&b->waiting);
    while (!b->go) {
        qemu_cond_wait(&b->cond, &b->lock);
    }
    qemu_mutex_unlock(&b->lock);
    return NULL;
}

static void test_cond_broadcast(void)
{
    QemuThread threads[3];
    Broadcast b;
    int i;

    qemu_mutex_init(&b.lock);
    qemu_cond_init(&b.cond);
    qemu_sem_init(&b.waiting, 0);
    b.go = false;
    for (i = 0; i < 3; i++) {
        qemu_thread_create(&threads[i], "waiter", broadcast_waiter, &b,
                           QEMU_THREAD_JOINABLE);
    }
    for (i = 0; i < 3; i++) {
        qemu_sem_wait(&b.waiting);
    }
    qemu_mutex_lock(&b.lock);
    b.go = true;
    qemu_cond_broadcast(&b.cond);
    qemu_mutex_unlock(&b.lock);
    /* Joining all three proves one broadcast woke every waiter. */
    for (i = 0; i < 3; i++) {
        qemu_thread_join(&threads[i]);
    }
    qemu_sem_destroy(&b.waiting);
    qemu_cond_destroy(&b.cond);
    qemu_mutex_destroy(&b.lock);
}

static void *sem_poster(void *opaque)
{
    QemuSemaphore *sem = opaque;
    int i;

    for (i = 0; i < 100; i++) {
        qemu_sem_post(sem);
    }
    return NULL;
}

static void test_semaphore(void)
{
    QemuSemaphore sem;
    QemuThread thread;
    int i;

    qemu_sem_init(&sem, 2);
    qemu_sem_wait(&sem);
    g_assert_cmpint(qemu_sem_timedwait(&sem, 0), ==, 0);
    /* Count is 0 now: a zero timeout polls and fails, so does a short one. */
    g_assert_cmpint(qemu_sem_timedwait(&sem, 0), ==, -1);
    g_assert_cmpint(qemu_sem_timedwait(&sem, 20), ==, -1);
    g_assert_cmpint(qemu_sem_timedwait(&sem, -5), ==, -1);

    qemu_thread_create(&thread, "poster", sem_poster, &sem,
                       QEMU_THREAD_JOINABLE);
    for (i = 0; i < 100; i++) {
        if (i % 2) {
            qemu_sem_wait(&sem);
        } else {
            g_assert_cmpint(qemu_sem_timedwait(&sem, LONG_WAIT_MS), ==, 0);
        }
    }
    qemu_thread_join(&thread);
    /* Exactly 100 posts were consumed: nothing is left. */
    g_assert_cmpint(qemu_sem_timedwait(&sem, 0), ==, -1);

    qemu_sem_post(&sem);
    qemu_sem_post(&sem);
    g_assert_cmpint(qemu_sem_timedwait(&sem, 0), ==, 0);
    g_assert_cmpint(qemu_sem_timedwait(&sem, 0), ==, 0);
    g_assert_cmpint(qemu_sem_timedwait(&sem, 0), ==, -1);
    qemu_sem_destroy(&sem);
}

typedef struct EventData {
    QemuEvent ev;
    QemuSemaphore passed;
} EventData;

static void *event_waiter(void *opaque)
{
    EventData *d = opaque;

    qemu_event_wait(&d->ev);
    qemu_sem_post(&d->passed);
    return NULL;
}

static void test_event(void)
{
    QemuThread threads[2];
    EventData d;
    int i;

    qemu_event_init(&d.ev, true);
    qemu_sem_init(&d.passed, 0);
    /* Set from the start: waiting returns at once, any number of times. */
    qemu_event_wait(&d.ev);
    qemu_event_wait(&d.ev);

    qemu_event_reset(&d.ev);
    for (i = 0; i < 2; i++) {
        qemu_thread_create(&threads[i], "event", event_waiter, &d,
                           QEMU_THREAD_JOINABLE);
    }
    /* While reset, no waiter gets through. */
    g_assert_cmpint(qemu_sem_timedwait(&d.passed, 50), ==, -1);
    qemu_event_set(&d.ev);
    qemu_event_set(&d.ev);
    /* One set releases every waiter. */
    for (i = 0; i < 2; i++) {
        g_assert_cmpint(qemu_sem_timedwait(&d.passed, LONG_WAIT_MS), ==, 0);
        qemu_thread_join(&threads[i]);
    }
    /* It stays set for later waiters. */
    qemu_event_wait(&d.ev);

    qemu_event_destroy(&d.ev);
    qemu_sem_destroy(&d.passed);

    qemu_event_init(&d.ev, false);
    qemu_event_set(&d.ev);
    qemu_event_wait(&d.ev);
    qemu_event_destroy(&d.ev);
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/util/thread/joinable", test_thread_joinable);
    qio_test_add_func("/util/thread/exit", test_thread_exit);
    qio_test_add_func("/util/thread/detached", test_thread_detached);
    qio_test_add_func("/util/thread/self-and-name", test_thread_self_and_name);
    qio_test_add_func("/util/thread/naming",
                      test_thread_short_name_and_naming_off);
    qio_test_add_func("/util/thread/mutex-contention", test_mutex_contention);
    qio_test_add_func("/util/thread/mutex-trylock", test_mutex_trylock);
    qio_test_add_func("/util/thread/mutex-misuse", test_mutex_misuse_aborts);
    qio_test_add_func("/util/thread/cond", test_cond);
    qio_test_add_func("/util/thread/cond-broadcast", test_cond_broadcast);
    qio_test_add_func("/util/thread/semaphore", test_semaphore);
    qio_test_add_func("/util/thread/event", test_event);
    return g_test_run();
}
