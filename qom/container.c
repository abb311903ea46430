/*
 * The "container" type: a plain object whose only purpose is to hold
 * children, used for the inner nodes of the composition tree.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qom/object.h"

static const TypeInfo container_info = {
    .name = TYPE_CONTAINER,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Object),
};

static void qom_container_register_types(void)
{
    type_register_static(&container_info);
}

type_init(qom_container_register_types)
