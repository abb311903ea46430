/*
 * The user-creatable interface type and its helpers.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qom/object_interfaces.h"

void user_creatable_complete(Object *obj, Error **errp)
{
    UserCreatableClass *ucc;

    if (!object_dynamic_cast(obj, TYPE_USER_CREATABLE)) {
        return;
    }
    ucc = USER_CREATABLE_GET_CLASS(obj);
    if (ucc->complete) {
        ucc->complete(USER_CREATABLE(obj), errp);
    }
}

bool user_creatable_can_be_deleted(UserCreatable *uc, Error **errp)
{
    UserCreatableClass *ucc = USER_CREATABLE_GET_CLASS(uc);

    if (ucc->can_be_deleted) {
        return ucc->can_be_deleted(uc, errp);
    }
    return true;
}

static const TypeInfo user_creatable_info = {
    .name = TYPE_USER_CREATABLE,
    .parent = TYPE_INTERFACE,
    .class_size = sizeof(UserCreatableClass),
};

static void qom_user_creatable_register_types(void)
{
    type_register_static(&user_creatable_info);
}

type_init(qom_user_creatable_register_types)
