/*
 * The user-creatable interface: objects that users create by name with
 * properties (the -object option of QEMU), and that finish their setup in
 * a complete() method once every property is set.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef OBJECT_INTERFACES_H
#define OBJECT_INTERFACES_H

#include "qom/object.h"

/**
 * TYPE_USER_CREATABLE:
 *
 * The name of the user-creatable interface type.
 */
#define TYPE_USER_CREATABLE "user-creatable"

/**
 * USER_CREATABLE_CLASS:
 * @klass: a class implementing the interface
 *
 * Checked cast to the class's #UserCreatableClass.
 */
#define USER_CREATABLE_CLASS(klass)                                     \
    OBJECT_CLASS_CHECK(UserCreatableClass, (klass), TYPE_USER_CREATABLE)

/**
 * USER_CREATABLE_GET_CLASS:
 * @obj: an object whose type implements the interface
 *
 * The #UserCreatableClass of @obj's class.
 */
#define USER_CREATABLE_GET_CLASS(obj)                                   \
    OBJECT_GET_CLASS(UserCreatableClass, (obj), TYPE_USER_CREATABLE)

/**
 * USER_CREATABLE:
 * @obj: an object whose type implements the interface
 *
 * Checked cast to #UserCreatable; the pointer is @obj itself.
 */
#define USER_CREATABLE(obj)                                             \
    INTERFACE_CHECK(UserCreatable, (obj), TYPE_USER_CREATABLE)

/**
 * UserCreatable:
 * @Parent: the object
 *
 * The instance type of the interface: casting an object to it yields the
 * object itself, so OBJECT() turns it back.
 */
typedef struct UserCreatable {
    /*< private >*/
    Object Parent;
} UserCreatable;

/**
 * UserCreatableClass:
 * @parent_class: the interface class
 * @complete: finishes creation once the properties are set; reports
 *   failure through its errp.  NULL means there is nothing to do.
 * @can_be_deleted: whether the object may be deleted now (for instance,
 *   not while something uses it); NULL means always
 *
 * Methods a user-creatable type provides, set in its class_init through
 * USER_CREATABLE_CLASS().
 */
typedef struct UserCreatableClass {
    /*< private >*/
    InterfaceClass parent_class;

    /*< public >*/
    void (*complete)(UserCreatable *uc, Error **errp);
    bool (*can_be_deleted)(UserCreatable *uc, Error **errp);
} UserCreatableClass;

/**
 * user_creatable_complete:
 * @obj: the object
 * @errp: pointer to a NULL-initialized error object
 *
 * Calls the complete() method if @obj is user-creatable and has one;
 * otherwise does nothing.  Failures are reported through @errp.
 */
void user_creatable_complete(Object *obj, Error **errp);

/**
 * user_creatable_can_be_deleted:
 * @uc: the object
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: what the can_be_deleted() method says, or true if the type
 * has none
 */
bool user_creatable_can_be_deleted(UserCreatable *uc, Error **errp);

#endif /* OBJECT_INTERFACES_H */
