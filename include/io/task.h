/*
 * libqio: QIOTask, the completion of an asynchronous operation on an
 * object, with an optional worker thread.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_TASK_H__
#define QIO_TASK_H__

#include "qemu-common.h"
#include "qapi/error.h"
#include "qom/object.h"

/**
 * QIOTask:
 *
 * An opaque record of one asynchronous operation started on a source
 * object.  When the operation ends, the task reports to its callback
 * exactly once, through qio_task_complete() or qio_task_abort(), and is
 * freed by that call.  A task can instead hand blocking work to a thread
 * with qio_task_run_in_thread(), which reports back in the main loop.
 */
typedef struct QIOTask QIOTask;

/**
 * QIOTaskFunc:
 * @source: the object the task was created for
 * @err: the error that ended the task, or NULL on success
 * @opaque: the user data given to qio_task_new()
 *
 * The completion callback of a task.  @err belongs to the caller of
 * qio_task_abort(): copy it with error_copy() to keep it.
 */
typedef void (*QIOTaskFunc)(Object *source,
                            Error *err,
                            gpointer opaque);

/**
 * QIOTaskWorker:
 * @task: the task the work belongs to
 * @errp: pointer to a NULL-initialized error object
 * @opaque: the user data given to qio_task_run_in_thread()
 *
 * The blocking part of a task, run in a separate thread by
 * qio_task_run_in_thread().
 *
 * Returns: 0 on success, a negative value (ideally with @errp set) on
 * failure
 */
typedef int (*QIOTaskWorker)(QIOTask *task,
                             Error **errp,
                             gpointer opaque);

/**
 * qio_task_new:
 * @source: the object the operation runs on
 * @func: the callback to run when the operation ends
 * @opaque: user data for @func
 * @destroy: frees @opaque once the task is done, or NULL
 *
 * Creates a task.  It holds a reference on @source until it is done.
 *
 * Returns: the new task
 */
QIOTask *qio_task_new(Object *source,
                      QIOTaskFunc func,
                      gpointer opaque,
                      GDestroyNotify destroy);

/**
 * qio_task_run_in_thread:
 * @task: the task
 * @worker: the blocking function to run
 * @opaque: user data for @worker
 * @destroy: frees @opaque once the worker's result was delivered, or NULL
 *
 * Runs @worker in a new detached thread.  When it returns, its result is
 * posted to the default main context, and the thread iterating that
 * context (normally the main loop) completes the task: success calls
 * qio_task_complete(), failure calls qio_task_abort() with the worker's
 * error (a generic one if the worker failed without setting any).  The
 * task's callback thus never runs in the worker thread.
 */
void qio_task_run_in_thread(QIOTask *task,
                            QIOTaskWorker worker,
                            gpointer opaque,
                            GDestroyNotify destroy);

/**
 * qio_task_complete:
 * @task: the task
 *
 * Reports success: calls the callback with a NULL error, then frees the
 * task (running its destroy notify and dropping the source reference).
 */
void qio_task_complete(QIOTask *task);

/**
 * qio_task_abort:
 * @task: the task
 * @err: the error that ended the operation
 *
 * Reports failure: calls the callback with @err, then frees the task.
 * The caller keeps ownership of @err.
 */
void qio_task_abort(QIOTask *task,
                    Error *err);

/**
 * qio_task_get_source:
 * @task: the task
 *
 * Gives access to the object the task runs on, e.g. from a worker.
 *
 * Returns: the source object with a new reference, which the caller
 * must drop with object_unref()
 */
Object *qio_task_get_source(QIOTask *task);

#endif /* QIO_TASK_H__ */
