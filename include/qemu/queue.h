/*
 * Intrusive linked lists and queues as type-generic macros.
 *
 * Four families, with the names QEMU-era code uses:
 *
 * - QSLIST: singly linked list; O(1) insertion and removal at the head,
 *   O(n) removal of an arbitrary element.  The head and entry are one
 *   pointer each.  Has lock-free helpers for push and take-all.
 * - QLIST: doubly linked list; O(1) removal of any element, insertion at
 *   the head or next to an element.  The head is one pointer.
 * - QSIMPLEQ: singly linked tail queue; O(1) insertion at both ends and
 *   removal at the head.  The head is two pointers.
 * - QTAILQ: doubly linked tail queue; O(1) insertion and removal anywhere,
 *   traversal in both directions.  The head is two pointers.
 *
 * An element embeds an entry (a *_ENTRY(type) member, named @field in the
 * macros) for every list it can be on.  Nothing here allocates memory or
 * takes locks; apart from the *_ATOMIC helpers, a list must be protected
 * by its user when it is shared between threads.
 *
 * A macro argument may be evaluated more than once; pass arguments
 * without side effects.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_SYS_QUEUE_H
#define QEMU_SYS_QUEUE_H

#include "qemu/atomic.h"

/* ------------------------------------------------------------------------
 * QLIST: doubly linked list
 * ------------------------------------------------------------------------
 * le_prev points at whichever pointer currently points at the element
 * (the head's lh_first or the previous element's le_next), which makes
 * removal O(1) without needing the head.
 */

/**
 * QLIST_HEAD:
 * @name: tag of the head structure, may be empty for an anonymous one
 * @type: element type (without "struct")
 *
 * Declares the head of a doubly linked list of @type elements.
 */
#define QLIST_HEAD(name, type)                                          \
struct name {                                                           \
    struct type *lh_first;                                              \
}

/**
 * QLIST_HEAD_INITIALIZER:
 * @head: the head variable being initialised (unused)
 *
 * Static initialiser for an empty QLIST head.
 */
#define QLIST_HEAD_INITIALIZER(head)                                    \
    { NULL }

/**
 * QLIST_ENTRY:
 * @type: element type (without "struct")
 *
 * Declares the link member embedded in each QLIST element.
 */
#define QLIST_ENTRY(type)                                               \
struct {                                                                \
    struct type *le_next;                                               \
    struct type **le_prev;                                              \
}

/**
 * QLIST_INIT:
 * @head: pointer to the head
 *
 * Makes @head an empty list.
 */
#define QLIST_INIT(head) do {                                           \
        (head)->lh_first = NULL;                                        \
    } while (0)

/**
 * QLIST_SWAP:
 * @dstlist: pointer to one head
 * @srclist: pointer to the other head
 * @field: name of the QLIST_ENTRY member
 *
 * Exchanges the contents of two lists of the same element type.
 */
#define QLIST_SWAP(dstlist, srclist, field) do {                        \
        void *qlist_swap_tmp_ = (void *)((srclist)->lh_first);          \
        (srclist)->lh_first = (dstlist)->lh_first;                      \
        if ((srclist)->lh_first != NULL) {                              \
            (srclist)->lh_first->field.le_prev =                        \
                &(srclist)->lh_first;                                   \
        }                                                               \
        (dstlist)->lh_first = qlist_swap_tmp_;                          \
        if ((dstlist)->lh_first != NULL) {                              \
            (dstlist)->lh_first->field.le_prev =                        \
                &(dstlist)->lh_first;                                   \
        }                                                               \
    } while (0)

/**
 * QLIST_INSERT_AFTER:
 * @listelm: element already on the list
 * @elm: element to insert
 * @field: name of the QLIST_ENTRY member
 *
 * Inserts @elm right after @listelm.
 */
#define QLIST_INSERT_AFTER(listelm, elm, field) do {                    \
        if (((elm)->field.le_next = (listelm)->field.le_next) != NULL) { \
            (listelm)->field.le_next->field.le_prev =                   \
                &(elm)->field.le_next;                                  \
        }                                                               \
        (listelm)->field.le_next = (elm);                               \
        (elm)->field.le_prev = &(listelm)->field.le_next;               \
    } while (0)

/**
 * QLIST_INSERT_BEFORE:
 * @listelm: element already on the list
 * @elm: element to insert
 * @field: name of the QLIST_ENTRY member
 *
 * Inserts @elm right before @listelm.
 */
#define QLIST_INSERT_BEFORE(listelm, elm, field) do {                   \
        (elm)->field.le_prev = (listelm)->field.le_prev;                \
        (elm)->field.le_next = (listelm);                               \
        *(listelm)->field.le_prev = (elm);                              \
        (listelm)->field.le_prev = &(elm)->field.le_next;               \
    } while (0)

/**
 * QLIST_INSERT_HEAD:
 * @head: pointer to the head
 * @elm: element to insert
 * @field: name of the QLIST_ENTRY member
 *
 * Inserts @elm at the front of the list.
 */
#define QLIST_INSERT_HEAD(head, elm, field) do {                        \
        if (((elm)->field.le_next = (head)->lh_first) != NULL) {        \
            (head)->lh_first->field.le_prev = &(elm)->field.le_next;    \
        }                                                               \
        (head)->lh_first = (elm);                                       \
        (elm)->field.le_prev = &(head)->lh_first;                       \
    } while (0)

/**
 * QLIST_REMOVE:
 * @elm: element on a list
 * @field: name of the QLIST_ENTRY member
 *
 * Unlinks @elm from the list it is on; @elm's links are cleared so that
 * QLIST_IS_INSERTED() reports false afterwards.
 */
#define QLIST_REMOVE(elm, field) do {                                   \
        if ((elm)->field.le_next != NULL) {                             \
            (elm)->field.le_next->field.le_prev =                       \
                (elm)->field.le_prev;                                   \
        }                                                               \
        *(elm)->field.le_prev = (elm)->field.le_next;                   \
        (elm)->field.le_next = NULL;                                    \
        (elm)->field.le_prev = NULL;                                    \
    } while (0)

/**
 * QLIST_FOREACH:
 * @var: loop variable, a pointer to the element type
 * @head: pointer to the head
 * @field: name of the QLIST_ENTRY member
 *
 * Iterates over the list from the front.  The body must not remove @var;
 * use QLIST_FOREACH_SAFE() for that.
 */
#define QLIST_FOREACH(var, head, field)                                 \
    for ((var) = ((head)->lh_first);                                    \
         (var);                                                         \
         (var) = ((var)->field.le_next))

/**
 * QLIST_FOREACH_SAFE:
 * @var: loop variable, a pointer to the element type
 * @head: pointer to the head
 * @field: name of the QLIST_ENTRY member
 * @next_var: scratch variable of the same type as @var
 *
 * Like QLIST_FOREACH(), but the body may remove or free @var.
 */
#define QLIST_FOREACH_SAFE(var, head, field, next_var)                  \
    for ((var) = ((head)->lh_first);                                    \
         (var) && ((next_var) = ((var)->field.le_next), 1);             \
         (var) = (next_var))

/**
 * QLIST_EMPTY:
 * @head: pointer to the head
 *
 * Returns: true when the list has no element, false otherwise
 */
#define QLIST_EMPTY(head)                ((head)->lh_first == NULL)

/**
 * QLIST_FIRST:
 * @head: pointer to the head
 *
 * Returns: the first element, or NULL when the list is empty
 */
#define QLIST_FIRST(head)                ((head)->lh_first)

/**
 * QLIST_NEXT:
 * @elm: element on a list
 * @field: name of the QLIST_ENTRY member
 *
 * Returns: the element after @elm, or NULL when @elm is the last one
 */
#define QLIST_NEXT(elm, field)           ((elm)->field.le_next)

/**
 * QLIST_IS_INSERTED:
 * @elm: an element
 * @field: name of the QLIST_ENTRY member
 *
 * Only meaningful when @elm's entry was zeroed before first use.
 *
 * Returns: true when @elm is on a list, false when it was never inserted
 * or has been removed with QLIST_REMOVE()
 *
 * Since: libqio 0.1
 */
#define QLIST_IS_INSERTED(elm, field)    ((elm)->field.le_prev != NULL)

/* ------------------------------------------------------------------------
 * QSLIST: singly linked list
 * ------------------------------------------------------------------------
 */

/**
 * QSLIST_HEAD:
 * @name: tag of the head structure, may be empty for an anonymous one
 * @type: element type (without "struct")
 *
 * Declares the head of a singly linked list of @type elements.
 */
#define QSLIST_HEAD(name, type)                                         \
struct name {                                                           \
    struct type *slh_first;                                             \
}

/**
 * QSLIST_HEAD_INITIALIZER:
 * @head: the head variable being initialised (unused)
 *
 * Static initialiser for an empty QSLIST head.
 */
#define QSLIST_HEAD_INITIALIZER(head)                                   \
    { NULL }

/**
 * QSLIST_ENTRY:
 * @type: element type (without "struct")
 *
 * Declares the link member embedded in each QSLIST element.
 */
#define QSLIST_ENTRY(type)                                              \
struct {                                                                \
    struct type *sle_next;                                              \
}

/**
 * QSLIST_INIT:
 * @head: pointer to the head
 *
 * Makes @head an empty list.
 */
#define QSLIST_INIT(head) do {                                          \
        (head)->slh_first = NULL;                                       \
    } while (0)

/**
 * QSLIST_INSERT_AFTER:
 * @slistelm: element already on the list
 * @elm: element to insert
 * @field: name of the QSLIST_ENTRY member
 *
 * Inserts @elm right after @slistelm.
 */
#define QSLIST_INSERT_AFTER(slistelm, elm, field) do {                  \
        (elm)->field.sle_next = (slistelm)->field.sle_next;             \
        (slistelm)->field.sle_next = (elm);                             \
    } while (0)

/**
 * QSLIST_INSERT_HEAD:
 * @head: pointer to the head
 * @elm: element to insert
 * @field: name of the QSLIST_ENTRY member
 *
 * Pushes @elm at the front of the list.
 */
#define QSLIST_INSERT_HEAD(head, elm, field) do {                       \
        (elm)->field.sle_next = (head)->slh_first;                      \
        (head)->slh_first = (elm);                                      \
    } while (0)

/**
 * QSLIST_INSERT_HEAD_ATOMIC:
 * @head: pointer to a head shared between threads
 * @elm: element to insert, owned by the caller until it is published
 * @field: name of the QSLIST_ENTRY member
 *
 * Pushes @elm at the front of the list with a compare-and-swap loop, so
 * any number of threads may push concurrently.  The only other operation
 * allowed concurrently with it is QSLIST_MOVE_ATOMIC(); the list must not
 * be walked or popped element by element while others push.
 */
#define QSLIST_INSERT_HEAD_ATOMIC(head, elm, field) do {                \
        typeof(elm) qslist_old_head_;                                   \
        do {                                                            \
            qslist_old_head_ = atomic_read(&(head)->slh_first);         \
            (elm)->field.sle_next = qslist_old_head_;                   \
        } while (atomic_cmpxchg(&(head)->slh_first, qslist_old_head_,   \
                                (elm)) != qslist_old_head_);            \
    } while (0)

/**
 * QSLIST_MOVE_ATOMIC:
 * @dest: pointer to a private head that receives the elements
 * @src: pointer to a head shared between threads
 *
 * Atomically takes every element of @src, leaving it empty, and stores
 * them in @dest (whose previous contents are overwritten, not merged).
 * Safe against concurrent QSLIST_INSERT_HEAD_ATOMIC() on @src.
 */
#define QSLIST_MOVE_ATOMIC(dest, src) do {                              \
        (dest)->slh_first = atomic_xchg(&(src)->slh_first, NULL);       \
    } while (0)

/**
 * QSLIST_REMOVE_HEAD:
 * @head: pointer to a non-empty head
 * @field: name of the QSLIST_ENTRY member
 *
 * Unlinks the first element.  The element itself is not modified.
 */
#define QSLIST_REMOVE_HEAD(head, field) do {                            \
        (head)->slh_first = (head)->slh_first->field.sle_next;          \
    } while (0)

/**
 * QSLIST_REMOVE_AFTER:
 * @slistelm: element on the list that has a successor
 * @field: name of the QSLIST_ENTRY member
 *
 * Unlinks the element that follows @slistelm.
 */
#define QSLIST_REMOVE_AFTER(slistelm, field) do {                       \
        (slistelm)->field.sle_next =                                    \
            (slistelm)->field.sle_next->field.sle_next;                 \
    } while (0)

/**
 * QSLIST_REMOVE:
 * @head: pointer to the head
 * @elm: element on the list
 * @type: element type (without "struct")
 * @field: name of the QSLIST_ENTRY member
 *
 * Unlinks @elm; this walks the list, so it costs O(n).  Nothing happens
 * when @elm is not on the list.
 *
 * Since: libqio 0.1
 */
#define QSLIST_REMOVE(head, elm, type, field) do {                      \
        if ((head)->slh_first == (elm)) {                               \
            QSLIST_REMOVE_HEAD((head), field);                          \
        } else {                                                        \
            struct type *qslist_cur_ = (head)->slh_first;               \
            while (qslist_cur_ != NULL &&                               \
                   qslist_cur_->field.sle_next != (elm)) {              \
                qslist_cur_ = qslist_cur_->field.sle_next;              \
            }                                                           \
            if (qslist_cur_ != NULL) {                                  \
                QSLIST_REMOVE_AFTER(qslist_cur_, field);                \
            }                                                           \
        }                                                               \
    } while (0)

/**
 * QSLIST_FOREACH:
 * @var: loop variable, a pointer to the element type
 * @head: pointer to the head
 * @field: name of the QSLIST_ENTRY member
 *
 * Iterates over the list from the front.  The body must not remove @var.
 */
#define QSLIST_FOREACH(var, head, field)                                \
    for ((var) = (head)->slh_first;                                     \
         (var);                                                         \
         (var) = (var)->field.sle_next)

/**
 * QSLIST_FOREACH_SAFE:
 * @var: loop variable, a pointer to the element type
 * @head: pointer to the head
 * @field: name of the QSLIST_ENTRY member
 * @tvar: scratch variable of the same type as @var
 *
 * Like QSLIST_FOREACH(), but the body may remove or free @var.
 */
#define QSLIST_FOREACH_SAFE(var, head, field, tvar)                     \
    for ((var) = QSLIST_FIRST((head));                                  \
         (var) && ((tvar) = QSLIST_NEXT((var), field), 1);              \
         (var) = (tvar))

/**
 * QSLIST_EMPTY:
 * @head: pointer to the head
 *
 * Returns: true when the list has no element, false otherwise
 */
#define QSLIST_EMPTY(head)       ((head)->slh_first == NULL)

/**
 * QSLIST_FIRST:
 * @head: pointer to the head
 *
 * Returns: the first element, or NULL when the list is empty
 */
#define QSLIST_FIRST(head)       ((head)->slh_first)

/**
 * QSLIST_NEXT:
 * @elm: element on a list
 * @field: name of the QSLIST_ENTRY member
 *
 * Returns: the element after @elm, or NULL when @elm is the last one
 */
#define QSLIST_NEXT(elm, field)  ((elm)->field.sle_next)

/* ------------------------------------------------------------------------
 * QSIMPLEQ: singly linked tail queue
 * ------------------------------------------------------------------------
 * sqh_last points at the pointer that the next tail insertion must fill:
 * the head's sqh_first while empty, else the last element's sqe_next.
 */

/**
 * QSIMPLEQ_HEAD:
 * @name: tag of the head structure, may be empty for an anonymous one
 * @type: element type (without "struct")
 *
 * Declares the head of a simple queue of @type elements.
 */
#define QSIMPLEQ_HEAD(name, type)                                       \
struct name {                                                           \
    struct type *sqh_first;                                             \
    struct type **sqh_last;                                             \
}

/**
 * QSIMPLEQ_HEAD_INITIALIZER:
 * @head: the head variable being initialised
 *
 * Static initialiser for an empty QSIMPLEQ head; it refers to @head
 * itself, so it can only initialise the variable named @head.
 */
#define QSIMPLEQ_HEAD_INITIALIZER(head)                                 \
    { NULL, &(head).sqh_first }

/**
 * QSIMPLEQ_ENTRY:
 * @type: element type (without "struct")
 *
 * Declares the link member embedded in each QSIMPLEQ element.
 */
#define QSIMPLEQ_ENTRY(type)                                            \
struct {                                                                \
    struct type *sqe_next;                                              \
}

/**
 * QSIMPLEQ_INIT:
 * @head: pointer to the head
 *
 * Makes @head an empty queue.
 */
#define QSIMPLEQ_INIT(head) do {                                        \
        (head)->sqh_first = NULL;                                       \
        (head)->sqh_last = &(head)->sqh_first;                          \
    } while (0)

/**
 * QSIMPLEQ_INSERT_HEAD:
 * @head: pointer to the head
 * @elm: element to insert
 * @field: name of the QSIMPLEQ_ENTRY member
 *
 * Inserts @elm at the front of the queue.
 */
#define QSIMPLEQ_INSERT_HEAD(head, elm, field) do {                     \
        if (((elm)->field.sqe_next = (head)->sqh_first) == NULL) {      \
            (head)->sqh_last = &(elm)->field.sqe_next;                  \
        }                                                               \
        (head)->sqh_first = (elm);                                      \
    } while (0)

/**
 * QSIMPLEQ_INSERT_TAIL:
 * @head: pointer to the head
 * @elm: element to insert
 * @field: name of the QSIMPLEQ_ENTRY member
 *
 * Appends @elm at the end of the queue.
 */
#define QSIMPLEQ_INSERT_TAIL(head, elm, field) do {                     \
        (elm)->field.sqe_next = NULL;                                   \
        *(head)->sqh_last = (elm);                                      \
        (head)->sqh_last = &(elm)->field.sqe_next;                      \
    } while (0)

/**
 * QSIMPLEQ_INSERT_AFTER:
 * @head: pointer to the head
 * @listelm: element already on the queue
 * @elm: element to insert
 * @field: name of the QSIMPLEQ_ENTRY member
 *
 * Inserts @elm right after @listelm.
 */
#define QSIMPLEQ_INSERT_AFTER(head, listelm, elm, field) do {           \
        if (((elm)->field.sqe_next = (listelm)->field.sqe_next) == NULL) { \
            (head)->sqh_last = &(elm)->field.sqe_next;                  \
        }                                                               \
        (listelm)->field.sqe_next = (elm);                              \
    } while (0)

/**
 * QSIMPLEQ_REMOVE_HEAD:
 * @head: pointer to a non-empty head
 * @field: name of the QSIMPLEQ_ENTRY member
 *
 * Unlinks the first element.
 */
#define QSIMPLEQ_REMOVE_HEAD(head, field) do {                          \
        if (((head)->sqh_first =                                        \
             (head)->sqh_first->field.sqe_next) == NULL) {              \
            (head)->sqh_last = &(head)->sqh_first;                      \
        }                                                               \
    } while (0)

/**
 * QSIMPLEQ_REMOVE:
 * @head: pointer to the head
 * @elm: element on the queue
 * @type: element type (without "struct")
 * @field: name of the QSIMPLEQ_ENTRY member
 *
 * Unlinks @elm; this walks the queue, so it costs O(n).  @elm must be on
 * the queue.
 */
#define QSIMPLEQ_REMOVE(head, elm, type, field) do {                    \
        if ((head)->sqh_first == (elm)) {                               \
            QSIMPLEQ_REMOVE_HEAD((head), field);                        \
        } else {                                                        \
            struct type *qsimpleq_cur_ = (head)->sqh_first;             \
            while (qsimpleq_cur_->field.sqe_next != (elm)) {            \
                qsimpleq_cur_ = qsimpleq_cur_->field.sqe_next;          \
            }                                                           \
            if ((qsimpleq_cur_->field.sqe_next =                        \
                 qsimpleq_cur_->field.sqe_next->field.sqe_next) == NULL) { \
                (head)->sqh_last = &qsimpleq_cur_->field.sqe_next;      \
            }                                                           \
        }                                                               \
    } while (0)

/**
 * QSIMPLEQ_FOREACH:
 * @var: loop variable, a pointer to the element type
 * @head: pointer to the head
 * @field: name of the QSIMPLEQ_ENTRY member
 *
 * Iterates over the queue from the front.  The body must not remove @var.
 */
#define QSIMPLEQ_FOREACH(var, head, field)                              \
    for ((var) = ((head)->sqh_first);                                   \
         (var);                                                         \
         (var) = ((var)->field.sqe_next))

/**
 * QSIMPLEQ_FOREACH_SAFE:
 * @var: loop variable, a pointer to the element type
 * @head: pointer to the head
 * @field: name of the QSIMPLEQ_ENTRY member
 * @next: scratch variable of the same type as @var
 *
 * Like QSIMPLEQ_FOREACH(), but the body may remove or free @var.
 */
#define QSIMPLEQ_FOREACH_SAFE(var, head, field, next)                   \
    for ((var) = ((head)->sqh_first);                                   \
         (var) && ((next) = ((var)->field.sqe_next), 1);                \
         (var) = (next))

/**
 * QSIMPLEQ_CONCAT:
 * @head1: pointer to the destination head
 * @head2: pointer to the head whose elements are moved
 *
 * Appends every element of @head2 to @head1 and leaves @head2 empty.
 */
#define QSIMPLEQ_CONCAT(head1, head2) do {                              \
        if (!QSIMPLEQ_EMPTY((head2))) {                                 \
            *(head1)->sqh_last = (head2)->sqh_first;                    \
            (head1)->sqh_last = (head2)->sqh_last;                      \
            QSIMPLEQ_INIT((head2));                                     \
        }                                                               \
    } while (0)

/**
 * QSIMPLEQ_LAST:
 * @head: pointer to the head
 * @type: element type (without "struct")
 * @field: name of the QSIMPLEQ_ENTRY member
 *
 * Returns: the last element, or NULL when the queue is empty
 */
#define QSIMPLEQ_LAST(head, type, field)                                \
    (QSIMPLEQ_EMPTY((head)) ? NULL :                                    \
     ((struct type *)(void *)((char *)((head)->sqh_last) -              \
                              offsetof(struct type, field))))

/**
 * QSIMPLEQ_EMPTY:
 * @head: pointer to the head
 *
 * Returns: true when the queue has no element, false otherwise
 */
#define QSIMPLEQ_EMPTY(head)        ((head)->sqh_first == NULL)

/**
 * QSIMPLEQ_FIRST:
 * @head: pointer to the head
 *
 * Returns: the first element, or NULL when the queue is empty
 */
#define QSIMPLEQ_FIRST(head)        ((head)->sqh_first)

/**
 * QSIMPLEQ_NEXT:
 * @elm: element on a queue
 * @field: name of the QSIMPLEQ_ENTRY member
 *
 * Returns: the element after @elm, or NULL when @elm is the last one
 */
#define QSIMPLEQ_NEXT(elm, field)   ((elm)->field.sqe_next)

/* ------------------------------------------------------------------------
 * QTAILQ: doubly linked tail queue
 * ------------------------------------------------------------------------
 * The head and the entry have the same layout (a forward pointer, then a
 * pointer to the pointer that refers to this node), so the tail and the
 * previous element are found by reinterpreting tqh_last / tqe_prev as a
 * head of the same shape.  That is why QTAILQ_LAST, QTAILQ_PREV and
 * QTAILQ_FOREACH_REVERSE need the head's struct tag.
 */

/**
 * QTAILQ_HEAD:
 * @name: tag of the head structure, may be empty for an anonymous one
 *        (which cannot then be used with QTAILQ_LAST and friends)
 * @type: element type (without "struct")
 *
 * Declares the head of a tail queue of @type elements.
 */
#define QTAILQ_HEAD(name, type)                                         \
struct name {                                                           \
    struct type *tqh_first;                                             \
    struct type **tqh_last;                                             \
}

/**
 * QTAILQ_HEAD_INITIALIZER:
 * @head: the head variable being initialised
 *
 * Static initialiser for an empty QTAILQ head; it refers to @head itself,
 * so it can only initialise the variable named @head.
 */
#define QTAILQ_HEAD_INITIALIZER(head)                                   \
    { NULL, &(head).tqh_first }

/**
 * QTAILQ_ENTRY:
 * @type: element type (without "struct")
 *
 * Declares the link member embedded in each QTAILQ element.
 */
#define QTAILQ_ENTRY(type)                                              \
struct {                                                                \
    struct type *tqe_next;                                              \
    struct type **tqe_prev;                                             \
}

/**
 * QTAILQ_INIT:
 * @head: pointer to the head
 *
 * Makes @head an empty queue.
 */
#define QTAILQ_INIT(head) do {                                          \
        (head)->tqh_first = NULL;                                       \
        (head)->tqh_last = &(head)->tqh_first;                          \
    } while (0)

/**
 * QTAILQ_INSERT_HEAD:
 * @head: pointer to the head
 * @elm: element to insert
 * @field: name of the QTAILQ_ENTRY member
 *
 * Inserts @elm at the front of the queue.
 */
#define QTAILQ_INSERT_HEAD(head, elm, field) do {                       \
        if (((elm)->field.tqe_next = (head)->tqh_first) != NULL) {      \
            (head)->tqh_first->field.tqe_prev = &(elm)->field.tqe_next; \
        } else {                                                        \
            (head)->tqh_last = &(elm)->field.tqe_next;                  \
        }                                                               \
        (head)->tqh_first = (elm);                                      \
        (elm)->field.tqe_prev = &(head)->tqh_first;                     \
    } while (0)

/**
 * QTAILQ_INSERT_TAIL:
 * @head: pointer to the head
 * @elm: element to insert
 * @field: name of the QTAILQ_ENTRY member
 *
 * Appends @elm at the end of the queue.
 */
#define QTAILQ_INSERT_TAIL(head, elm, field) do {                       \
        (elm)->field.tqe_next = NULL;                                   \
        (elm)->field.tqe_prev = (head)->tqh_last;                       \
        *(head)->tqh_last = (elm);                                      \
        (head)->tqh_last = &(elm)->field.tqe_next;                      \
    } while (0)

/**
 * QTAILQ_INSERT_AFTER:
 * @head: pointer to the head
 * @listelm: element already on the queue
 * @elm: element to insert
 * @field: name of the QTAILQ_ENTRY member
 *
 * Inserts @elm right after @listelm.
 */
#define QTAILQ_INSERT_AFTER(head, listelm, elm, field) do {             \
        if (((elm)->field.tqe_next = (listelm)->field.tqe_next) != NULL) { \
            (elm)->field.tqe_next->field.tqe_prev =                     \
                &(elm)->field.tqe_next;                                 \
        } else {                                                        \
            (head)->tqh_last = &(elm)->field.tqe_next;                  \
        }                                                               \
        (listelm)->field.tqe_next = (elm);                              \
        (elm)->field.tqe_prev = &(listelm)->field.tqe_next;             \
    } while (0)

/**
 * QTAILQ_INSERT_BEFORE:
 * @listelm: element already on the queue
 * @elm: element to insert
 * @field: name of the QTAILQ_ENTRY member
 *
 * Inserts @elm right before @listelm.
 */
#define QTAILQ_INSERT_BEFORE(listelm, elm, field) do {                  \
        (elm)->field.tqe_prev = (listelm)->field.tqe_prev;              \
        (elm)->field.tqe_next = (listelm);                              \
        *(listelm)->field.tqe_prev = (elm);                             \
        (listelm)->field.tqe_prev = &(elm)->field.tqe_next;             \
    } while (0)

/**
 * QTAILQ_REMOVE:
 * @head: pointer to the head
 * @elm: element on the queue
 * @field: name of the QTAILQ_ENTRY member
 *
 * Unlinks @elm.  Its tqe_prev is cleared so that QTAILQ_IN_USE() reports
 * false afterwards.
 */
#define QTAILQ_REMOVE(head, elm, field) do {                            \
        if (((elm)->field.tqe_next) != NULL) {                          \
            (elm)->field.tqe_next->field.tqe_prev =                     \
                (elm)->field.tqe_prev;                                  \
        } else {                                                        \
            (head)->tqh_last = (elm)->field.tqe_prev;                   \
        }                                                               \
        *(elm)->field.tqe_prev = (elm)->field.tqe_next;                 \
        (elm)->field.tqe_prev = NULL;                                   \
    } while (0)

/**
 * QTAILQ_REMOVE_HEAD:
 * @head: pointer to a non-empty head
 * @field: name of the QTAILQ_ENTRY member
 *
 * Unlinks the first element.
 *
 * Since: libqio 0.1
 */
#define QTAILQ_REMOVE_HEAD(head, field) do {                            \
        QTAILQ_REMOVE((head), (head)->tqh_first, field);                \
    } while (0)

/**
 * QTAILQ_CONCAT:
 * @head1: pointer to the destination head
 * @head2: pointer to the head whose elements are moved
 * @field: name of the QTAILQ_ENTRY member
 *
 * Appends every element of @head2 to @head1 and leaves @head2 empty.
 */
#define QTAILQ_CONCAT(head1, head2, field) do {                         \
        if (!QTAILQ_EMPTY((head2))) {                                   \
            *(head1)->tqh_last = (head2)->tqh_first;                    \
            (head2)->tqh_first->field.tqe_prev = (head1)->tqh_last;     \
            (head1)->tqh_last = (head2)->tqh_last;                      \
            QTAILQ_INIT((head2));                                       \
        }                                                               \
    } while (0)

/**
 * QTAILQ_FOREACH:
 * @var: loop variable, a pointer to the element type
 * @head: pointer to the head
 * @field: name of the QTAILQ_ENTRY member
 *
 * Iterates over the queue from the front.  The body must not remove @var.
 */
#define QTAILQ_FOREACH(var, head, field)                                \
    for ((var) = ((head)->tqh_first);                                   \
         (var);                                                         \
         (var) = ((var)->field.tqe_next))

/**
 * QTAILQ_FOREACH_SAFE:
 * @var: loop variable, a pointer to the element type
 * @head: pointer to the head
 * @field: name of the QTAILQ_ENTRY member
 * @next_var: scratch variable of the same type as @var
 *
 * Like QTAILQ_FOREACH(), but the body may remove or free @var.
 */
#define QTAILQ_FOREACH_SAFE(var, head, field, next_var)                 \
    for ((var) = ((head)->tqh_first);                                   \
         (var) && ((next_var) = ((var)->field.tqe_next), 1);            \
         (var) = (next_var))

/**
 * QTAILQ_FOREACH_REVERSE:
 * @var: loop variable, a pointer to the element type
 * @head: pointer to the head
 * @headname: struct tag given to QTAILQ_HEAD()
 * @field: name of the QTAILQ_ENTRY member
 *
 * Iterates over the queue from the back.  The body must not remove @var.
 */
#define QTAILQ_FOREACH_REVERSE(var, head, headname, field)              \
    for ((var) = (*(((struct headname *)((head)->tqh_last))->tqh_last)); \
         (var);                                                         \
         (var) = (*(((struct headname *)((var)->field.tqe_prev))->tqh_last)))

/**
 * QTAILQ_EMPTY:
 * @head: pointer to the head
 *
 * Returns: true when the queue has no element, false otherwise
 */
#define QTAILQ_EMPTY(head)               ((head)->tqh_first == NULL)

/**
 * QTAILQ_FIRST:
 * @head: pointer to the head
 *
 * Returns: the first element, or NULL when the queue is empty
 */
#define QTAILQ_FIRST(head)               ((head)->tqh_first)

/**
 * QTAILQ_NEXT:
 * @elm: element on a queue
 * @field: name of the QTAILQ_ENTRY member
 *
 * Returns: the element after @elm, or NULL when @elm is the last one
 */
#define QTAILQ_NEXT(elm, field)          ((elm)->field.tqe_next)

/**
 * QTAILQ_IN_USE:
 * @elm: an element
 * @field: name of the QTAILQ_ENTRY member
 *
 * Only meaningful when @elm's entry was zeroed before first use.
 *
 * Returns: true when @elm is on a queue, false when it was never inserted
 * or has been removed with QTAILQ_REMOVE()
 */
#define QTAILQ_IN_USE(elm, field)        ((elm)->field.tqe_prev != NULL)

/**
 * QTAILQ_LAST:
 * @head: pointer to the head
 * @headname: struct tag given to QTAILQ_HEAD()
 *
 * Returns: the last element, or NULL when the queue is empty
 */
#define QTAILQ_LAST(head, headname)                                     \
    (*(((struct headname *)((head)->tqh_last))->tqh_last))

/**
 * QTAILQ_PREV:
 * @elm: element on a queue
 * @headname: struct tag given to QTAILQ_HEAD()
 * @field: name of the QTAILQ_ENTRY member
 *
 * Returns: the element before @elm, or NULL when @elm is the first one
 */
#define QTAILQ_PREV(elm, headname, field)                               \
    (*(((struct headname *)((elm)->field.tqe_prev))->tqh_last))

#endif /* QEMU_SYS_QUEUE_H */
