/*
 * QemuThread, QemuMutex, QemuCond, QemuSemaphore and QemuEvent on POSIX
 * threads.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/thread.h"

/* Linux keeps 15 bytes of a thread name plus the terminating NUL. */
#define THREAD_NAME_MAX 15

static bool name_threads = true;

/*
 * A failing pthread call means a corrupted object, a misuse such as
 * unlocking a mutex the thread does not hold, or exhausted resources;
 * none of these can be recovered from, so stop where it happened.
 */
static void QEMU_NORETURN error_exit(int err, const char *where)
{
    fprintf(stderr, "qemu: %s: %s\n", where, strerror(err));
    abort();
}

static void check(int err, const char *where)
{
    if (err) {
        error_exit(err, where);
    }
}

void qemu_mutex_init(QemuMutex *mutex)
{
    pthread_mutexattr_t attr;

    check(pthread_mutexattr_init(&attr), __func__);
    /* Error checking turns self-deadlock and foreign unlocks into aborts. */
    check(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK),
          __func__);
    check(pthread_mutex_init(&mutex->lock, &attr), __func__);
    pthread_mutexattr_destroy(&attr);
}

void qemu_mutex_destroy(QemuMutex *mutex)
{
    check(pthread_mutex_destroy(&mutex->lock), __func__);
}

void qemu_mutex_lock(QemuMutex *mutex)
{
    check(pthread_mutex_lock(&mutex->lock), __func__);
}

int qemu_mutex_trylock(QemuMutex *mutex)
{
    int err = pthread_mutex_trylock(&mutex->lock);

    if (err != 0 && err != EBUSY) {
        error_exit(err, __func__);
    }
    return err;
}

void qemu_mutex_unlock(QemuMutex *mutex)
{
    check(pthread_mutex_unlock(&mutex->lock), __func__);
}

void qemu_cond_init(QemuCond *cond)
{
    check(pthread_cond_init(&cond->cond, NULL), __func__);
}

void qemu_cond_destroy(QemuCond *cond)
{
    check(pthread_cond_destroy(&cond->cond), __func__);
}

void qemu_cond_signal(QemuCond *cond)
{
    check(pthread_cond_signal(&cond->cond), __func__);
}

void qemu_cond_broadcast(QemuCond *cond)
{
    check(pthread_cond_broadcast(&cond->cond), __func__);
}

void qemu_cond_wait(QemuCond *cond, QemuMutex *mutex)
{
    check(pthread_cond_wait(&cond->cond, &mutex->lock), __func__);
}

/* A condition variable whose timed waits use CLOCK_MONOTONIC. */
static void monotonic_cond_init(pthread_cond_t *cond, const char *where)
{
    pthread_condattr_t attr;

    check(pthread_condattr_init(&attr), where);
    check(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC), where);
    check(pthread_cond_init(cond, &attr), where);
    pthread_condattr_destroy(&attr);
}

void qemu_sem_init(QemuSemaphore *sem, int init)
{
    if (init < 0) {
        error_exit(EINVAL, __func__);
    }
    check(pthread_mutex_init(&sem->lock, NULL), __func__);
    monotonic_cond_init(&sem->cond, __func__);
    sem->count = init;
}

void qemu_sem_destroy(QemuSemaphore *sem)
{
    check(pthread_cond_destroy(&sem->cond), __func__);
    check(pthread_mutex_destroy(&sem->lock), __func__);
}

void qemu_sem_post(QemuSemaphore *sem)
{
    check(pthread_mutex_lock(&sem->lock), __func__);
    if (sem->count == UINT_MAX) {
        error_exit(EOVERFLOW, __func__);
    }
    sem->count++;
    check(pthread_cond_signal(&sem->cond), __func__);
    check(pthread_mutex_unlock(&sem->lock), __func__);
}

void qemu_sem_wait(QemuSemaphore *sem)
{
    check(pthread_mutex_lock(&sem->lock), __func__);
    while (sem->count == 0) {
        check(pthread_cond_wait(&sem->cond, &sem->lock), __func__);
    }
    sem->count--;
    check(pthread_mutex_unlock(&sem->lock), __func__);
}

int qemu_sem_timedwait(QemuSemaphore *sem, int ms)
{
    struct timespec deadline;
    int ret = 0;

    if (ms < 0) {
        ms = 0;
    }
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += ms / 1000;
    deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }

    check(pthread_mutex_lock(&sem->lock), __func__);
    while (sem->count == 0) {
        int err = pthread_cond_timedwait(&sem->cond, &sem->lock, &deadline);

        if (err == ETIMEDOUT) {
            break;
        }
        check(err, __func__);
    }
    /* A post may have raced with the timeout: take it if it is there. */
    if (sem->count > 0) {
        sem->count--;
    } else {
        ret = -1;
    }
    check(pthread_mutex_unlock(&sem->lock), __func__);
    return ret;
}

void qemu_event_init(QemuEvent *ev, bool init)
{
    check(pthread_mutex_init(&ev->lock, NULL), __func__);
    check(pthread_cond_init(&ev->cond, NULL), __func__);
    ev->set = init;
}

void qemu_event_destroy(QemuEvent *ev)
{
    check(pthread_cond_destroy(&ev->cond), __func__);
    check(pthread_mutex_destroy(&ev->lock), __func__);
}

void qemu_event_set(QemuEvent *ev)
{
    check(pthread_mutex_lock(&ev->lock), __func__);
    if (!ev->set) {
        ev->set = true;
        check(pthread_cond_broadcast(&ev->cond), __func__);
    }
    check(pthread_mutex_unlock(&ev->lock), __func__);
}

void qemu_event_reset(QemuEvent *ev)
{
    check(pthread_mutex_lock(&ev->lock), __func__);
    ev->set = false;
    check(pthread_mutex_unlock(&ev->lock), __func__);
}

void qemu_event_wait(QemuEvent *ev)
{
    check(pthread_mutex_lock(&ev->lock), __func__);
    while (!ev->set) {
        check(pthread_cond_wait(&ev->cond, &ev->lock), __func__);
    }
    check(pthread_mutex_unlock(&ev->lock), __func__);
}

void qemu_thread_naming(bool enable)
{
    __atomic_store_n(&name_threads, enable, __ATOMIC_RELAXED);
}

typedef struct QemuThreadStart {
    void *(*start_routine)(void *);
    void *arg;
    char *name;
} QemuThreadStart;

/*
 * Runs first in every new thread.  Naming happens here, on the thread
 * itself, because a detached thread may already have ended (and its
 * pthread_t been reused) by the time the creator could name it.
 */
static void *qemu_thread_start(void *opaque)
{
    QemuThreadStart *start = opaque;
    void *(*start_routine)(void *) = start->start_routine;
    void *arg = start->arg;

    if (start->name) {
        /* Naming is a debugging aid: a failure must not stop the thread. */
        pthread_setname_np(pthread_self(), start->name);
        g_free(start->name);
    }
    g_free(start);
    return start_routine(arg);
}

void qemu_thread_create(QemuThread *thread, const char *name,
                        void *(*start_routine)(void *),
                        void *arg, int mode)
{
    QemuThreadStart *start = g_new0(QemuThreadStart, 1);
    sigset_t all, old;
    pthread_attr_t attr;
    int err;

    if (mode != QEMU_THREAD_JOINABLE && mode != QEMU_THREAD_DETACHED) {
        error_exit(EINVAL, __func__);
    }
    start->start_routine = start_routine;
    start->arg = arg;
    if (name && __atomic_load_n(&name_threads, __ATOMIC_RELAXED)) {
        start->name = g_strndup(name, THREAD_NAME_MAX);
    }

    check(pthread_attr_init(&attr), __func__);
    if (mode == QEMU_THREAD_DETACHED) {
        check(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED),
              __func__);
    }

    /* The new thread inherits this mask: it must not take our signals. */
    sigfillset(&all);
    check(pthread_sigmask(SIG_SETMASK, &all, &old), __func__);
    err = pthread_create(&thread->thread, &attr, qemu_thread_start, start);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (err) {
        error_exit(err, __func__);
    }
}

void *qemu_thread_join(QemuThread *thread)
{
    void *ret;

    check(pthread_join(thread->thread, &ret), __func__);
    return ret;
}

void qemu_thread_get_self(QemuThread *thread)
{
    thread->thread = pthread_self();
}

bool qemu_thread_is_self(QemuThread *thread)
{
    return pthread_equal(pthread_self(), thread->thread) != 0;
}

void qemu_thread_exit(void *retval)
{
    pthread_exit(retval);
}
