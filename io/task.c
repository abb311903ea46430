/*
 * libqio: QIOTask, completion reporting for asynchronous operations and
 * the worker thread helper.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "io/task.h"
#include "qemu/thread.h"

struct QIOTask {
    Object *source;
    QIOTaskFunc func;
    gpointer opaque;
    GDestroyNotify destroy;
};

/* Everything the worker thread needs, and what it hands back. */
typedef struct QIOTaskThreadData {
    QIOTask *task;
    QIOTaskWorker worker;
    gpointer opaque;
    GDestroyNotify destroy;
    Error *err;
    int ret;
} QIOTaskThreadData;

QIOTask *qio_task_new(Object *source,
                      QIOTaskFunc func,
                      gpointer opaque,
                      GDestroyNotify destroy)
{
    QIOTask *task = g_new0(QIOTask, 1);

    object_ref(source);
    task->source = source;
    task->func = func;
    task->opaque = opaque;
    task->destroy = destroy;
    return task;
}

static void qio_task_free(QIOTask *task)
{
    if (task->destroy) {
        task->destroy(task->opaque);
    }
    object_unref(task->source);
    g_free(task);
}

static gboolean qio_task_thread_result(gpointer opaque)
{
    QIOTaskThreadData *data = opaque;

    if (data->ret == 0) {
        qio_task_complete(data->task);
    } else {
        qio_task_abort(data->task, data->err);
    }
    error_free(data->err);
    if (data->destroy) {
        data->destroy(data->opaque);
    }
    g_free(data);
    return G_SOURCE_REMOVE;
}

static void *qio_task_thread_worker(void *opaque)
{
    QIOTaskThreadData *data = opaque;

    data->ret = data->worker(data->task, &data->err, data->opaque);
    if (data->ret < 0 && !data->err) {
        error_setg(&data->err, "Task worker failed without an error");
    }
    if (data->ret >= 0 && data->err) {
        /* An error always means failure, whatever was returned. */
        data->ret = -1;
    }
    if (data->ret > 0) {
        data->ret = 0;
    }
    /*
     * The callback belongs to the main loop thread; nothing may touch
     * data after it has been handed over.
     */
    g_idle_add(qio_task_thread_result, data);
    return NULL;
}

void qio_task_run_in_thread(QIOTask *task,
                            QIOTaskWorker worker,
                            gpointer opaque,
                            GDestroyNotify destroy)
{
    QIOTaskThreadData *data = g_new0(QIOTaskThreadData, 1);
    /*
     * Kept out of data: the detached thread may finish and hand data to
     * the main loop before qemu_thread_create() has returned.
     */
    QemuThread thread;

    data->task = task;
    data->worker = worker;
    data->opaque = opaque;
    data->destroy = destroy;
    qemu_thread_create(&thread, "io-task-worker",
                       qio_task_thread_worker, data, QEMU_THREAD_DETACHED);
}

void qio_task_complete(QIOTask *task)
{
    task->func(task->source, NULL, task->opaque);
    qio_task_free(task);
}

void qio_task_abort(QIOTask *task,
                    Error *err)
{
    task->func(task->source, err, task->opaque);
    qio_task_free(task);
}

Object *qio_task_get_source(QIOTask *task)
{
    object_ref(task->source);
    return task->source;
}
