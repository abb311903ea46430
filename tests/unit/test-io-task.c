/*
 * Tests for QIOTask: synchronous completion and failure, destroy
 * notifiers, and work handed to a thread.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/task.h"
#include "qio-test.h"

#define TYPE_DUMMY "qemu:dummy"

typedef struct DummyObject {
    Object parent;
} DummyObject;

static const TypeInfo dummy_info = {
    .parent = TYPE_OBJECT,
    .name = TYPE_DUMMY,
    .instance_size = sizeof(DummyObject),
};

static void dummy_register_types(void)
{
    type_register_static(&dummy_info);
}

type_init(dummy_register_types)

typedef struct TaskResult {
    Object *source;
    Error *err;
    int callbacks;
    int freed;
    GThread *callback_thread;
} TaskResult;

static void task_callback(Object *source, Error *err, gpointer opaque)
{
    TaskResult *res = opaque;

    res->callbacks++;
    res->source = source;
    res->err = err ? error_copy(err) : NULL;
    res->callback_thread = g_thread_self();
}

static void task_data_free(gpointer opaque)
{
    TaskResult *res = opaque;

    res->freed++;
}

static void test_task_complete(void)
{
    Object *obj = object_new(TYPE_DUMMY);
    TaskResult res = { 0 };
    QIOTask *task = qio_task_new(obj, task_callback, &res, NULL);
    Object *src = qio_task_get_source(task);

    g_assert(src == obj);
    object_unref(src);
    qio_task_complete(task);

    g_assert_cmpint(res.callbacks, ==, 1);
    g_assert(res.source == obj);
    g_assert_null(res.err);
    object_unref(obj);
}

static void test_task_datafree(void)
{
    Object *obj = object_new(TYPE_DUMMY);
    TaskResult res = { 0 };
    QIOTask *task = qio_task_new(obj, task_callback, &res, task_data_free);

    g_assert_cmpint(res.freed, ==, 0);
    qio_task_complete(task);
    g_assert_cmpint(res.callbacks, ==, 1);
    g_assert_cmpint(res.freed, ==, 1);
    object_unref(obj);
}

static void test_task_error(void)
{
    Object *obj = object_new(TYPE_DUMMY);
    TaskResult res = { 0 };
    QIOTask *task = qio_task_new(obj, task_callback, &res, task_data_free);
    Error *err = NULL;

    error_setg(&err, "some failure");
    qio_task_abort(task, err);

    g_assert_cmpint(res.callbacks, ==, 1);
    g_assert_cmpint(res.freed, ==, 1);
    g_assert(res.source == obj);
    qio_assert_error_contains(res.err, "some failure");
    /* The caller still owns err: freeing it must be valid. */
    error_free(err);
    error_free(res.err);
    object_unref(obj);
}

/*
 * The task's reference keeps the source alive even after the creator
 * dropped its own, until the task reports.
 */
static void test_task_source_ref(void)
{
    Object *obj = object_new(TYPE_DUMMY);
    TaskResult res = { 0 };
    QIOTask *task = qio_task_new(obj, task_callback, &res, NULL);
    Object *src;

    object_unref(obj);
    src = qio_task_get_source(task);
    g_assert(src == obj);
    g_assert_cmpstr(object_get_typename(src), ==, TYPE_DUMMY);
    object_unref(src);
    qio_task_complete(task);
    g_assert_cmpint(res.callbacks, ==, 1);
}

typedef struct ThreadData {
    TaskResult res;
    bool fail;
    GThread *worker_thread;
    Object *worker_source;
    int worker_freed;
    GMainLoop *loop;
} ThreadData;

static int task_worker(QIOTask *task, Error **errp, gpointer opaque)
{
    ThreadData *data = opaque;

    data->worker_thread = g_thread_self();
    data->worker_source = qio_task_get_source(task);
    object_unref(data->worker_source);
    if (data->fail) {
        error_setg(errp, "worker failure");
        return -1;
    }
    return 0;
}

static void task_worker_free(gpointer opaque)
{
    ThreadData *data = opaque;

    data->worker_freed++;
}

static void task_thread_callback(Object *source, Error *err, gpointer opaque)
{
    ThreadData *data = opaque;

    task_callback(source, err, &data->res);
    g_main_loop_quit(data->loop);
}

static void test_task_thread(bool fail)
{
    Object *obj = object_new(TYPE_DUMMY);
    ThreadData data = { .fail = fail };
    QIOTask *task;

    data.loop = g_main_loop_new(NULL, FALSE);
    task = qio_task_new(obj, task_thread_callback, &data, NULL);
    qio_task_run_in_thread(task, task_worker, &data, task_worker_free);
    g_main_loop_run(data.loop);
    g_main_loop_unref(data.loop);

    g_assert_cmpint(data.res.callbacks, ==, 1);
    g_assert(data.res.source == obj);
    g_assert(data.worker_source == obj);
    g_assert_nonnull(data.worker_thread);
    g_assert(data.worker_thread != g_thread_self());
    g_assert(data.res.callback_thread == g_thread_self());
    /* The worker's data is freed in the same main loop dispatch. */
    g_assert_cmpint(data.worker_freed, ==, 1);
    if (fail) {
        qio_assert_error_contains(data.res.err, "worker failure");
        error_free(data.res.err);
    } else {
        g_assert_null(data.res.err);
    }
    object_unref(obj);
}

static void test_task_thread_complete(void)
{
    test_task_thread(false);
}

static void test_task_thread_error(void)
{
    test_task_thread(true);
}

/* A worker that fails without saying why still produces an error. */
static int task_worker_silent(QIOTask *task, Error **errp, gpointer opaque)
{
    return -1;
}

static void test_task_thread_silent_error(void)
{
    Object *obj = object_new(TYPE_DUMMY);
    ThreadData data = { 0 };
    QIOTask *task;

    data.loop = g_main_loop_new(NULL, FALSE);
    task = qio_task_new(obj, task_thread_callback, &data, NULL);
    qio_task_run_in_thread(task, task_worker_silent, NULL, NULL);
    g_main_loop_run(data.loop);
    g_main_loop_unref(data.loop);

    g_assert_cmpint(data.res.callbacks, ==, 1);
    g_assert_nonnull(data.res.err);
    error_free(data.res.err);
    object_unref(obj);
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/io/task/complete", test_task_complete);
    qio_test_add_func("/io/task/datafree", test_task_datafree);
    qio_test_add_func("/io/task/error", test_task_error);
    qio_test_add_func("/io/task/source-ref", test_task_source_ref);
    qio_test_add_func("/io/task/thread_complete", test_task_thread_complete);
    qio_test_add_func("/io/task/thread_error", test_task_thread_error);
    qio_test_add_func("/io/task/thread_silent_error",
                      test_task_thread_silent_error);
    return g_test_run();
}
