/*
 * QOM core: the type registry, class initialisation, object life cycle,
 * casts, properties and the composition tree.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qom/object_interfaces.h"

typedef struct TypeImpl TypeImpl;

struct TypeImpl {
    char *name;
    char *parent;
    /* Resolved lazily from @parent; read with atomics, written under
     * type_lock. */
    TypeImpl *parent_type;

    size_t class_size;
    size_t instance_size;

    void (*class_init)(ObjectClass *klass, void *data);
    void (*class_base_init)(ObjectClass *klass, void *data);
    void (*class_finalize)(ObjectClass *klass, void *data);
    void *class_data;

    void (*instance_init)(Object *obj);
    void (*instance_post_init)(Object *obj);
    void (*instance_finalize)(Object *obj);

    bool abstract;
    /* Set at class init for TYPE_INTERFACE and its descendants, which are
     * abstract whatever their TypeInfo says. */
    bool is_interface;
    char **interfaces;

    /*
     * @class is set, under type_lock, as soon as class initialisation
     * starts, so that the initialising thread can use the class from
     * class_init; @class_ready is raised once it is complete and is what
     * other threads look at.
     */
    ObjectClass *class;
    gint class_ready;
};

/*
 * One recursive lock covers the registry and class initialisation:
 * class_init hooks run with it held and may look types up or initialise
 * other classes.  Entries are never removed, so a TypeImpl found under the
 * lock stays valid after it is released.
 */
static GRecMutex type_lock;
static GHashTable *type_table;
static TypeImpl *type_interface;

/* Serialises container_get(), which creates missing path components. */
static GMutex container_lock;

static void object_class_init(ObjectClass *klass, void *data);

static const TypeInfo interface_info = {
    .name = TYPE_INTERFACE,
    .class_size = sizeof(InterfaceClass),
    .abstract = true,
};

static const TypeInfo object_info = {
    .name = TYPE_OBJECT,
    .instance_size = sizeof(Object),
    .class_init = object_class_init,
    .abstract = true,
};

static void G_GNUC_PRINTF(1, 2) QEMU_NORETURN qom_die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

/* Registry */

static TypeImpl *type_new(const TypeInfo *info)
{
    TypeImpl *ti = g_new0(TypeImpl, 1);
    size_t n = 0;

    ti->name = g_strdup(info->name);
    ti->parent = g_strdup(info->parent);
    ti->class_size = info->class_size;
    ti->instance_size = info->instance_size;
    ti->class_init = info->class_init;
    ti->class_base_init = info->class_base_init;
    ti->class_finalize = info->class_finalize;
    ti->class_data = info->class_data;
    ti->instance_init = info->instance_init;
    ti->instance_post_init = info->instance_post_init;
    ti->instance_finalize = info->instance_finalize;
    ti->abstract = info->abstract;

    while (info->interfaces && info->interfaces[n].type) {
        n++;
    }
    if (n) {
        size_t i;

        ti->interfaces = g_new0(char *, n + 1);
        for (i = 0; i < n; i++) {
            ti->interfaces[i] = g_strdup(info->interfaces[i].type);
        }
    }
    return ti;
}

/* Whether @info describes exactly the already registered type @ti. */
static bool type_same_info(const TypeImpl *ti, const TypeInfo *info)
{
    size_t i = 0;

    if (g_strcmp0(ti->parent, info->parent) != 0 ||
        ti->class_init != info->class_init ||
        ti->class_base_init != info->class_base_init ||
        ti->class_finalize != info->class_finalize ||
        ti->class_data != info->class_data ||
        ti->instance_init != info->instance_init ||
        ti->instance_post_init != info->instance_post_init ||
        ti->instance_finalize != info->instance_finalize ||
        ti->abstract != info->abstract) {
        return false;
    }
    /* Sizes of 0 are filled in from the parent at class init time. */
    if ((info->class_size && ti->class_size != info->class_size) ||
        (info->instance_size && ti->instance_size != info->instance_size)) {
        return false;
    }
    while (info->interfaces && info->interfaces[i].type) {
        if (!ti->interfaces || !ti->interfaces[i] ||
            strcmp(ti->interfaces[i], info->interfaces[i].type) != 0) {
            return false;
        }
        i++;
    }
    return !ti->interfaces || !ti->interfaces[i];
}

static TypeImpl *type_table_add_locked(const TypeInfo *info);

static GHashTable *type_table_get_locked(void)
{
    if (!type_table) {
        type_table = g_hash_table_new(g_str_hash, g_str_equal);
        /* The two roots exist before any module init function runs. */
        type_interface = type_table_add_locked(&interface_info);
        type_table_add_locked(&object_info);
    }
    return type_table;
}

static TypeImpl *type_table_add_locked(const TypeInfo *info)
{
    GHashTable *table = type_table_get_locked();
    TypeImpl *ti;

    if (!info->name) {
        qom_die("type_register: a TypeInfo has no name");
    }
    ti = g_hash_table_lookup(table, info->name);
    if (ti) {
        if (!type_same_info(ti, info)) {
            qom_die("type_register: type '%s' is already registered with a "
                    "different TypeInfo", info->name);
        }
        return ti;
    }
    ti = type_new(info);
    g_hash_table_insert(table, ti->name, ti);
    return ti;
}

Type type_register(const TypeInfo *info)
{
    TypeImpl *ti;

    g_rec_mutex_lock(&type_lock);
    ti = type_table_add_locked(info);
    g_rec_mutex_unlock(&type_lock);
    return ti;
}

Type type_register_static(const TypeInfo *info)
{
    return type_register(info);
}

static TypeImpl *type_get_by_name(const char *name)
{
    TypeImpl *ti;

    if (!name) {
        return NULL;
    }
    g_rec_mutex_lock(&type_lock);
    ti = g_hash_table_lookup(type_table_get_locked(), name);
    g_rec_mutex_unlock(&type_lock);
    return ti;
}

static TypeImpl *type_get_interface(void)
{
    TypeImpl *ti = g_atomic_pointer_get(&type_interface);

    if (!ti) {
        g_rec_mutex_lock(&type_lock);
        type_table_get_locked();
        ti = type_interface;
        g_rec_mutex_unlock(&type_lock);
    }
    return ti;
}

/* The parent type, or NULL for a root or a parent not registered yet. */
static TypeImpl *type_get_parent(TypeImpl *ti)
{
    TypeImpl *parent = g_atomic_pointer_get(&ti->parent_type);

    if (!parent && ti->parent) {
        parent = type_get_by_name(ti->parent);
        if (parent) {
            g_atomic_pointer_set(&ti->parent_type, parent);
        }
    }
    return parent;
}

static bool type_is_ancestor(TypeImpl *type, TypeImpl *target)
{
    while (type) {
        if (type == target) {
            return true;
        }
        type = type_get_parent(type);
    }
    return false;
}

/* Class initialisation */

static void type_initialize(TypeImpl *ti);

/*
 * Gives class @ti its own copy of interface @iface's class, derived from
 * @parent_impl (the interface itself, or the parent class's copy when the
 * interface is inherited), so that @ti's class_init can fill in methods
 * without touching its parent's.
 */
static void type_add_interface_locked(TypeImpl *ti, TypeImpl *iface,
                                      TypeImpl *parent_impl)
{
    TypeInfo info = { 0 };
    TypeImpl *impl;
    InterfaceClass *ic;
    char *name = g_strdup_printf("%s::%s", ti->name, iface->name);

    info.name = name;
    info.parent = parent_impl->name;
    info.abstract = true;
    /* Not entered in the registry: it cannot be looked up by name. */
    impl = type_new(&info);
    g_free(name);
    g_atomic_pointer_set(&impl->parent_type, parent_impl);
    type_initialize(impl);

    ic = (InterfaceClass *)impl->class;
    ic->concrete_class = ti->class;
    ic->interface_type = iface;
    ti->class->interfaces = g_slist_append(ti->class->interfaces, ic);
}

static void object_property_free(gpointer data);

static void type_initialize_locked(TypeImpl *ti)
{
    TypeImpl *parent = type_get_parent(ti);
    ObjectClass *klass;
    GSList *l;
    size_t i;

    if (ti->parent && !parent) {
        qom_die("type '%s' has unknown parent type '%s'", ti->name,
                ti->parent);
    }
    if (parent) {
        type_initialize(parent);
        if (!ti->class_size) {
            ti->class_size = parent->class_size;
        }
        if (!ti->instance_size) {
            ti->instance_size = parent->instance_size;
        }
        if (ti->class_size < parent->class_size) {
            qom_die("type '%s': class_size %zu is smaller than its parent "
                    "'%s''s %zu", ti->name, ti->class_size, parent->name,
                    parent->class_size);
        }
        if (ti->instance_size < parent->instance_size) {
            qom_die("type '%s': instance_size %zu is smaller than its "
                    "parent '%s''s %zu", ti->name, ti->instance_size,
                    parent->name, parent->instance_size);
        }
    } else if (ti->class_size < sizeof(ObjectClass)) {
        ti->class_size = sizeof(ObjectClass);
    }

    klass = g_malloc0(ti->class_size);
    if (parent) {
        /* A subclass starts as a copy of its parent's class. */
        memcpy(klass, parent->class, parent->class_size);
        klass->interfaces = NULL;
        memset(klass->object_cast_cache, 0, sizeof(klass->object_cast_cache));
        memset(klass->class_cast_cache, 0, sizeof(klass->class_cast_cache));
    }
    ti->is_interface = type_is_ancestor(ti, type_get_interface());
    klass->type = ti;
    klass->properties = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                              object_property_free);
    ti->class = klass;

    if (parent) {
        for (l = parent->class->interfaces; l; l = l->next) {
            InterfaceClass *pic = l->data;

            type_add_interface_locked(ti, pic->interface_type,
                                      pic->parent_class.type);
        }
    }
    for (i = 0; ti->interfaces && ti->interfaces[i]; i++) {
        TypeImpl *iface = type_get_by_name(ti->interfaces[i]);
        bool inherited = false;

        if (!iface) {
            qom_die("type '%s' implements unknown interface '%s'", ti->name,
                    ti->interfaces[i]);
        }
        type_initialize(iface);
        if (!type_is_ancestor(iface, type_get_interface())) {
            qom_die("type '%s' lists '%s' as an interface, but it is not "
                    "one", ti->name, iface->name);
        }
        for (l = klass->interfaces; l; l = l->next) {
            if (type_is_ancestor(OBJECT_CLASS(l->data)->type, iface)) {
                inherited = true;
                break;
            }
        }
        if (!inherited) {
            type_add_interface_locked(ti, iface, iface);
        }
    }

    for (parent = type_get_parent(ti); parent;
         parent = type_get_parent(parent)) {
        if (parent->class_base_init) {
            parent->class_base_init(klass, ti->class_data);
        }
    }
    if (ti->class_init) {
        ti->class_init(klass, ti->class_data);
    }
    g_atomic_int_set(&ti->class_ready, 1);
}

/* Only meaningful once @ti's class is initialized. */
static bool type_is_abstract(TypeImpl *ti)
{
    return ti->abstract || ti->is_interface;
}

static void type_initialize(TypeImpl *ti)
{
    if (g_atomic_int_get(&ti->class_ready)) {
        return;
    }
    g_rec_mutex_lock(&type_lock);
    /* A class already started by this thread is used as it is. */
    if (!ti->class) {
        type_initialize_locked(ti);
    }
    g_rec_mutex_unlock(&type_lock);
}

/* Object life cycle */

static void object_init_with_type(Object *obj, TypeImpl *ti)
{
    TypeImpl *parent = type_get_parent(ti);

    if (parent) {
        object_init_with_type(obj, parent);
    }
    if (ti->instance_init) {
        ti->instance_init(obj);
    }
}

static void object_post_init_with_type(Object *obj, TypeImpl *ti)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti->instance_post_init) {
            ti->instance_post_init(obj);
        }
    }
}

void object_initialize_with_type(void *data, size_t size, Type type)
{
    Object *obj = data;

    if (!type) {
        qom_die("object_initialize: no type given");
    }
    type_initialize(type);
    if (type_is_abstract(type)) {
        qom_die("object_new: cannot instantiate abstract type '%s'",
                type->name);
    }
    if (size < type->instance_size) {
        qom_die("object_initialize: %zu bytes given for type '%s', which "
                "needs %zu", size, type->name, type->instance_size);
    }
    memset(obj, 0, type->instance_size);
    obj->class = type->class;
    obj->ref = 1;
    obj->properties = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                            object_property_free);
    object_init_with_type(obj, type);
    object_post_init_with_type(obj, type);
}

void object_initialize(void *data, size_t size, const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);

    if (!ti) {
        qom_die("object_initialize: unknown type '%s'",
                typename ? typename : "(null)");
    }
    object_initialize_with_type(data, size, ti);
}

Object *object_new_with_type(Type type)
{
    Object *obj;

    if (!type) {
        qom_die("object_new: no type given");
    }
    type_initialize(type);
    if (type_is_abstract(type)) {
        qom_die("object_new: cannot instantiate abstract type '%s'",
                type->name);
    }
    obj = g_malloc(type->instance_size);
    object_initialize_with_type(obj, type->instance_size, type);
    obj->free = g_free;
    return obj;
}

Object *object_new(const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);

    if (!ti) {
        qom_die("object_new: unknown type '%s'",
                typename ? typename : "(null)");
    }
    return object_new_with_type(ti);
}

/*
 * Releases every instance property.  A release hook may run arbitrary code
 * (finalizing a child, for one), so the properties are taken out of the
 * table before their hooks run, and the loop repeats should a hook have
 * added new ones.
 */
static void object_property_del_all(Object *obj)
{
    while (g_hash_table_size(obj->properties) > 0) {
        GList *props = g_hash_table_get_values(obj->properties);
        GList *l;

        g_hash_table_steal_all(obj->properties);
        for (l = props; l; l = l->next) {
            ObjectProperty *prop = l->data;

            if (prop->release) {
                prop->release(obj, prop->name, prop->opaque);
            }
            object_property_free(prop);
        }
        g_list_free(props);
    }
    g_hash_table_unref(obj->properties);
    obj->properties = NULL;
}

static void object_finalize(Object *obj)
{
    TypeImpl *ti;

    object_property_del_all(obj);
    for (ti = obj->class->type; ti; ti = type_get_parent(ti)) {
        if (ti->instance_finalize) {
            ti->instance_finalize(obj);
        }
    }
    if (__atomic_load_n(&obj->ref, __ATOMIC_ACQUIRE) != 0) {
        qom_die("object %p of type '%s' was referenced again while being "
                "finalized", (void *)obj, obj->class->type->name);
    }
    if (obj->free) {
        obj->free(obj);
    }
}

void object_ref(Object *obj)
{
    if (!obj) {
        return;
    }
    __atomic_fetch_add(&obj->ref, 1, __ATOMIC_RELAXED);
}

void object_unref(Object *obj)
{
    uint32_t old;

    if (!obj) {
        return;
    }
    old = __atomic_fetch_sub(&obj->ref, 1, __ATOMIC_ACQ_REL);
    if (old == 0) {
        qom_die("object_unref: object %p has no reference left",
                (void *)obj);
    }
    if (old == 1) {
        object_finalize(obj);
    }
}

/* Casts */

ObjectClass *object_get_class(Object *obj)
{
    return obj->class;
}

const char *object_get_typename(Object *obj)
{
    return obj->class->type->name;
}

ObjectClass *object_class_dynamic_cast(ObjectClass *klass,
                                       const char *typename)
{
    TypeImpl *type, *target;
    ObjectClass *ret = NULL;

    if (!klass || !typename) {
        return NULL;
    }
    type = klass->type;
    if (strcmp(type->name, typename) == 0) {
        return klass;
    }
    target = type_get_by_name(typename);
    if (!target) {
        return NULL;
    }
    if (klass->interfaces && type_is_ancestor(target, type_get_interface())) {
        int found = 0;
        GSList *l;

        for (l = klass->interfaces; l; l = l->next) {
            ObjectClass *ic = l->data;

            if (type_is_ancestor(ic->type, target)) {
                ret = ic;
                found++;
            }
        }
        /* Reached through two different interfaces: ambiguous. */
        if (found > 1) {
            ret = NULL;
        }
    } else if (type_is_ancestor(type, target)) {
        ret = klass;
    }
    return ret;
}

/*
 * The cast caches remember type name pointers that are known to succeed,
 * so that the casts done on every call of a method skip the registry.
 * Any name stored there is correct for the class, so racing updates are
 * harmless.
 */
static bool cast_cache_hit(const char **cache, const char *typename)
{
    int i;

    for (i = 0; i < OBJECT_CLASS_CAST_CACHE; i++) {
        if (g_atomic_pointer_get(&cache[i]) == typename) {
            return true;
        }
    }
    return false;
}

static void cast_cache_add(const char **cache, const char *typename)
{
    int i;

    for (i = 0; i < OBJECT_CLASS_CAST_CACHE - 1; i++) {
        g_atomic_pointer_set(&cache[i], g_atomic_pointer_get(&cache[i + 1]));
    }
    g_atomic_pointer_set(&cache[OBJECT_CLASS_CAST_CACHE - 1], typename);
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename,
                                              const char *file, int line,
                                              const char *func)
{
    ObjectClass *ret;

    if (!klass) {
        return NULL;
    }
    if (cast_cache_hit(klass->class_cast_cache, typename)) {
        return klass;
    }
    ret = object_class_dynamic_cast(klass, typename);
    if (!ret) {
        fprintf(stderr, "%s:%d:%s: Object %p is not an instance of type %s\n",
                file, line, func, (void *)klass, typename);
        abort();
    }
    /* Only casts that return the class itself can be cached. */
    if (ret == klass) {
        cast_cache_add(klass->class_cast_cache, typename);
    }
    return ret;
}

Object *object_dynamic_cast(Object *obj, const char *typename)
{
    if (obj && object_class_dynamic_cast(object_get_class(obj), typename)) {
        return obj;
    }
    return NULL;
}

Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line,
                                   const char *func)
{
    if (!obj) {
        return NULL;
    }
    if (cast_cache_hit(obj->class->object_cast_cache, typename)) {
        return obj;
    }
    if (!object_dynamic_cast(obj, typename)) {
        fprintf(stderr, "%s:%d:%s: Object %p is not an instance of type %s\n",
                file, line, func, (void *)obj, typename);
        abort();
    }
    cast_cache_add(obj->class->object_cast_cache, typename);
    return obj;
}

/* Class queries */

ObjectClass *object_class_get_parent(ObjectClass *klass)
{
    TypeImpl *parent = type_get_parent(klass->type);

    if (!parent) {
        return NULL;
    }
    type_initialize(parent);
    return parent->class;
}

const char *object_class_get_name(ObjectClass *klass)
{
    return klass->type->name;
}

bool object_class_is_abstract(ObjectClass *klass)
{
    return type_is_abstract(klass->type);
}

ObjectClass *object_class_by_name(const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);

    if (!ti) {
        return NULL;
    }
    type_initialize(ti);
    return ti->class;
}

void object_class_foreach(void (*fn)(ObjectClass *klass, void *opaque),
                          const char *implements_type,
                          bool include_abstract, void *opaque)
{
    GList *types, *l;

    /* A snapshot, so @fn may register types while we walk. */
    g_rec_mutex_lock(&type_lock);
    types = g_hash_table_get_values(type_table_get_locked());
    g_rec_mutex_unlock(&type_lock);

    for (l = types; l; l = l->next) {
        TypeImpl *ti = l->data;

        type_initialize(ti);
        if (!include_abstract && type_is_abstract(ti)) {
            continue;
        }
        if (implements_type &&
            !object_class_dynamic_cast(ti->class, implements_type)) {
            continue;
        }
        fn(ti->class, opaque);
    }
    g_list_free(types);
}

static void object_class_list_add(ObjectClass *klass, void *opaque)
{
    GSList **list = opaque;

    *list = g_slist_prepend(*list, klass);
}

GSList *object_class_get_list(const char *implements_type,
                              bool include_abstract)
{
    GSList *list = NULL;

    object_class_foreach(object_class_list_add, implements_type,
                         include_abstract, &list);
    return list;
}

/* Properties */

static void object_property_free(gpointer data)
{
    ObjectProperty *prop = data;

    g_free(prop->name);
    g_free(prop->type);
    g_free(prop->description);
    g_free(prop);
}

static ObjectProperty *property_new(const char *name, const char *type,
                                    ObjectPropertyAccessor *get,
                                    ObjectPropertyAccessor *set,
                                    ObjectPropertyRelease *release,
                                    void *opaque)
{
    ObjectProperty *prop = g_new0(ObjectProperty, 1);

    prop->name = g_strdup(name);
    prop->type = g_strdup(type);
    prop->get = get;
    prop->set = set;
    prop->release = release;
    prop->opaque = opaque;
    return prop;
}

ObjectProperty *object_property_add(Object *obj, const char *name,
                                    const char *type,
                                    ObjectPropertyAccessor *get,
                                    ObjectPropertyAccessor *set,
                                    ObjectPropertyRelease *release,
                                    void *opaque, Error **errp)
{
    ObjectProperty *prop;
    size_t len = strlen(name);

    if (len >= 3 && strcmp(name + len - 3, "[*]") == 0) {
        char *base = g_strndup(name, len - 3);
        int i;

        prop = NULL;
        for (i = 0; !prop && i < INT_MAX; i++) {
            char *indexed = g_strdup_printf("%s[%d]", base, i);

            if (!object_property_find(obj, indexed, NULL)) {
                prop = object_property_add(obj, indexed, type, get, set,
                                           release, opaque, errp);
                g_free(indexed);
                break;
            }
            g_free(indexed);
        }
        g_free(base);
        return prop;
    }

    if (object_property_find(obj, name, NULL)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object "
                   "(type '%s')", name, object_get_typename(obj));
        return NULL;
    }
    prop = property_new(name, type, get, set, release, opaque);
    g_hash_table_insert(obj->properties, prop->name, prop);
    return prop;
}

ObjectProperty *object_class_property_add(ObjectClass *klass,
                                          const char *name,
                                          const char *type,
                                          ObjectPropertyAccessor *get,
                                          ObjectPropertyAccessor *set,
                                          ObjectPropertyRelease *release,
                                          void *opaque, Error **errp)
{
    ObjectProperty *prop;

    if (object_class_property_find(klass, name, NULL)) {
        error_setg(errp, "attempt to add duplicate property '%s' to class "
                   "(type '%s')", name, object_class_get_name(klass));
        return NULL;
    }
    prop = property_new(name, type, get, set, release, opaque);
    g_hash_table_insert(klass->properties, prop->name, prop);
    return prop;
}

ObjectProperty *object_class_property_find(ObjectClass *klass,
                                           const char *name, Error **errp)
{
    TypeImpl *ti;

    for (ti = klass->type; ti; ti = type_get_parent(ti)) {
        ObjectProperty *prop;

        if (!ti->class) {
            break;
        }
        prop = g_hash_table_lookup(ti->class->properties, name);
        if (prop) {
            return prop;
        }
    }
    error_setg(errp, "Property '.%s' not found", name);
    return NULL;
}

ObjectProperty *object_property_find(Object *obj, const char *name,
                                     Error **errp)
{
    ObjectProperty *prop = g_hash_table_lookup(obj->properties, name);

    if (prop) {
        return prop;
    }
    return object_class_property_find(obj->class, name, errp);
}

void object_property_del(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = g_hash_table_lookup(obj->properties, name);

    if (!prop) {
        error_setg(errp, "Property '.%s' not found", name);
        return;
    }
    /* Out of the table first, so the release hook cannot find it again. */
    g_hash_table_steal(obj->properties, name);
    if (prop->release) {
        prop->release(obj, prop->name, prop->opaque);
    }
    object_property_free(prop);
}

struct ObjectPropertyIterator {
    GHashTableIter iter;
    ObjectClass *next_class;
};

ObjectPropertyIterator *object_property_iter_init(Object *obj)
{
    ObjectPropertyIterator *iter = g_new0(ObjectPropertyIterator, 1);

    g_hash_table_iter_init(&iter->iter, obj->properties);
    iter->next_class = object_get_class(obj);
    return iter;
}

ObjectProperty *object_property_iter_next(ObjectPropertyIterator *iter)
{
    gpointer value;

    for (;;) {
        if (g_hash_table_iter_next(&iter->iter, NULL, &value)) {
            return value;
        }
        if (!iter->next_class) {
            return NULL;
        }
        g_hash_table_iter_init(&iter->iter, iter->next_class->properties);
        iter->next_class = object_class_get_parent(iter->next_class);
    }
}

void object_property_iter_free(ObjectPropertyIterator *iter)
{
    g_free(iter);
}

void object_property_set_description(Object *obj, const char *name,
                                     const char *description, Error **errp)
{
    ObjectProperty *prop = object_property_find(obj, name, errp);

    if (prop) {
        g_free(prop->description);
        prop->description = g_strdup(description);
    }
}

const char *object_property_get_type(Object *obj, const char *name,
                                     Error **errp)
{
    ObjectProperty *prop = object_property_find(obj, name, errp);

    return prop ? prop->type : NULL;
}

/*
 * Values as strings.  Properties fall in three kinds for the typed
 * accessors: "bool", the integer types, and everything else, which is
 * read and written as text (strings, enums, links, custom types).
 */

typedef enum {
    PROP_KIND_TEXT,
    PROP_KIND_BOOL,
    PROP_KIND_INT,
} PropKind;

typedef struct IntTypeRange {
    const char *name;
    bool is_signed;
    int64_t min;
    uint64_t max;
} IntTypeRange;

static const IntTypeRange int_types[] = {
    { "int", true, INT64_MIN, INT64_MAX },
    { "int8", true, INT8_MIN, INT8_MAX },
    { "int16", true, INT16_MIN, INT16_MAX },
    { "int32", true, INT32_MIN, INT32_MAX },
    { "int64", true, INT64_MIN, INT64_MAX },
    { "uint8", false, 0, UINT8_MAX },
    { "uint16", false, 0, UINT16_MAX },
    { "uint32", false, 0, UINT32_MAX },
    { "uint64", false, 0, UINT64_MAX },
    { "size", false, 0, UINT64_MAX },
};

static const IntTypeRange *int_type_find(const char *type)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(int_types); i++) {
        if (strcmp(int_types[i].name, type) == 0) {
            return &int_types[i];
        }
    }
    return NULL;
}

static PropKind property_kind(const ObjectProperty *prop)
{
    if (strcmp(prop->type, "bool") == 0) {
        return PROP_KIND_BOOL;
    }
    if (int_type_find(prop->type)) {
        return PROP_KIND_INT;
    }
    return PROP_KIND_TEXT;
}

static const char *prop_kind_name(PropKind kind)
{
    switch (kind) {
    case PROP_KIND_BOOL:
        return "boolean";
    case PROP_KIND_INT:
        return "integer";
    default:
        return "string";
    }
}

/* The bool words of a command line, in any case. */
static bool parse_bool_word(const char *str, bool *value)
{
    static const char *const yes[] = { "on", "yes", "true" };
    static const char *const no[] = { "off", "no", "false" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (g_ascii_strcasecmp(str, yes[i]) == 0) {
            *value = true;
            return true;
        }
        if (g_ascii_strcasecmp(str, no[i]) == 0) {
            *value = false;
            return true;
        }
    }
    return false;
}

/*
 * Checked text to integer conversion for an integer type: the whole text
 * must be a number (decimal, 0x hex or 0 octal) within the type's range.
 * Returns the canonical decimal spelling, or NULL.
 */
static char *canonical_int(const IntTypeRange *range, const char *str)
{
    char *end = NULL;

    if (!*str || g_ascii_isspace(*str)) {
        return NULL;
    }
    errno = 0;
    if (range->is_signed) {
        gint64 v = g_ascii_strtoll(str, &end, 0);

        if (errno || *end || v < range->min || (v > 0 &&
                                                 (guint64)v > range->max)) {
            return NULL;
        }
        return g_strdup_printf("%" G_GINT64_FORMAT, v);
    } else {
        guint64 v;

        /* strtoull() would quietly negate "-1" into a huge value. */
        if (strchr(str, '-')) {
            return NULL;
        }
        v = g_ascii_strtoull(str, &end, 0);
        if (errno || *end || v > range->max) {
            return NULL;
        }
        return g_strdup_printf("%" G_GUINT64_FORMAT, v);
    }
}

static void property_set_text(Object *obj, ObjectProperty *prop,
                              const char *value, Error **errp)
{
    char *canon = NULL;
    char *arg;

    if (!prop->set) {
        error_setg(errp, "Property '%s' of type '%s' is read-only",
                   prop->name, object_get_typename(obj));
        return;
    }
    switch (property_kind(prop)) {
    case PROP_KIND_BOOL: {
        bool b;

        if (!parse_bool_word(value, &b)) {
            error_setg(errp, "Invalid parameter type for '%s', expected: "
                       "boolean", prop->name);
            return;
        }
        canon = g_strdup(b ? "true" : "false");
        break;
    }
    case PROP_KIND_INT: {
        const IntTypeRange *range = int_type_find(prop->type);

        canon = canonical_int(range, value);
        if (!canon) {
            if (range->is_signed) {
                error_setg(errp, "Parameter '%s' expects an integer from "
                           "%" PRId64 " to %" PRIu64, prop->name,
                           range->min, range->max);
            } else {
                error_setg(errp, "Parameter '%s' expects an integer from 0 "
                           "to %" PRIu64, prop->name, range->max);
            }
            return;
        }
        break;
    }
    default:
        break;
    }
    arg = canon ? canon : (char *)value;
    prop->set(obj, &arg, prop->opaque, prop->name, errp);
    g_free(canon);
}

static char *property_get_text(Object *obj, ObjectProperty *prop,
                               Error **errp)
{
    Error *local_err = NULL;
    char *value = NULL;

    if (!prop->get) {
        error_setg(errp, "Property '%s' of type '%s' is write-only",
                   prop->name, object_get_typename(obj));
        return NULL;
    }
    prop->get(obj, &value, prop->opaque, prop->name, &local_err);
    if (local_err) {
        g_free(value);
        error_propagate(errp, local_err);
        return NULL;
    }
    if (!value) {
        error_setg(errp, "Property '%s' returned no value", prop->name);
    }
    return value;
}

/* Finds @name and checks it is of @kind, for the typed accessors. */
static ObjectProperty *property_find_kind(Object *obj, const char *name,
                                          PropKind kind, Error **errp)
{
    ObjectProperty *prop = object_property_find(obj, name, errp);

    if (prop && property_kind(prop) != kind) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   name, prop_kind_name(property_kind(prop)));
        return NULL;
    }
    return prop;
}

char *object_property_get(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = object_property_find(obj, name, errp);

    return prop ? property_get_text(obj, prop, errp) : NULL;
}

void object_property_set(Object *obj, const char *value, const char *name,
                         Error **errp)
{
    object_property_parse(obj, value, name, errp);
}

void object_property_parse(Object *obj, const char *string,
                           const char *name, Error **errp)
{
    ObjectProperty *prop = object_property_find(obj, name, errp);

    if (prop) {
        property_set_text(obj, prop, string, errp);
    }
}

char *object_property_print(Object *obj, const char *name, bool human,
                            Error **errp)
{
    ObjectProperty *prop = object_property_find(obj, name, errp);
    char *value, *out;

    if (!prop) {
        return NULL;
    }
    value = property_get_text(obj, prop, errp);
    if (!value || !human) {
        return value;
    }
    if (property_kind(prop) == PROP_KIND_INT) {
        guint64 bits = value[0] == '-' ?
            (guint64)g_ascii_strtoll(value, NULL, 10) :
            g_ascii_strtoull(value, NULL, 10);

        out = g_strdup_printf("%s (0x%" G_GINT64_MODIFIER "x)", value, bits);
    } else if (strcmp(prop->type, "string") == 0) {
        out = g_strdup_printf("\"%s\"", value);
    } else {
        return value;
    }
    g_free(value);
    return out;
}

void object_property_set_str(Object *obj, const char *value,
                             const char *name, Error **errp)
{
    ObjectProperty *prop = property_find_kind(obj, name, PROP_KIND_TEXT,
                                              errp);

    if (prop) {
        property_set_text(obj, prop, value, errp);
    }
}

char *object_property_get_str(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = property_find_kind(obj, name, PROP_KIND_TEXT,
                                              errp);

    return prop ? property_get_text(obj, prop, errp) : NULL;
}

void object_property_set_bool(Object *obj, bool value, const char *name,
                              Error **errp)
{
    ObjectProperty *prop = property_find_kind(obj, name, PROP_KIND_BOOL,
                                              errp);

    if (prop) {
        property_set_text(obj, prop, value ? "true" : "false", errp);
    }
}

bool object_property_get_bool(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = property_find_kind(obj, name, PROP_KIND_BOOL,
                                              errp);
    char *value;
    bool ret = false;

    if (!prop) {
        return false;
    }
    value = property_get_text(obj, prop, errp);
    if (value && !parse_bool_word(value, &ret)) {
        error_setg(errp, "Property '%s' returned '%s', not a boolean", name,
                   value);
        ret = false;
    }
    g_free(value);
    return ret;
}

void object_property_set_int(Object *obj, int64_t value, const char *name,
                             Error **errp)
{
    ObjectProperty *prop = property_find_kind(obj, name, PROP_KIND_INT,
                                              errp);
    char *text;

    if (!prop) {
        return;
    }
    text = g_strdup_printf("%" PRId64, value);
    property_set_text(obj, prop, text, errp);
    g_free(text);
}

int64_t object_property_get_int(Object *obj, const char *name,
                                Error **errp)
{
    ObjectProperty *prop = property_find_kind(obj, name, PROP_KIND_INT,
                                              errp);
    const IntTypeRange *range;
    char *value, *canon;
    int64_t ret = -1;

    if (!prop) {
        return -1;
    }
    value = property_get_text(obj, prop, errp);
    if (!value) {
        return -1;
    }
    range = int_type_find(prop->type);
    canon = canonical_int(range, value);
    if (!canon) {
        error_setg(errp, "Property '%s' returned '%s', not a %s", name,
                   value, prop->type);
    } else if (range->is_signed) {
        ret = g_ascii_strtoll(canon, NULL, 10);
    } else {
        ret = (int64_t)g_ascii_strtoull(canon, NULL, 10);
    }
    g_free(canon);
    g_free(value);
    return ret;
}

/* String, bool and enum properties built from typed callbacks */

typedef struct StringProperty {
    char *(*get)(Object *, Error **);
    void (*set)(Object *, const char *, Error **);
} StringProperty;

static void property_get_str(Object *obj, char **value, void *opaque,
                             const char *name, Error **errp)
{
    StringProperty *sp = opaque;
    Error *local_err = NULL;
    char *v = sp->get(obj, &local_err);

    if (local_err) {
        g_free(v);
        error_propagate(errp, local_err);
        return;
    }
    *value = v ? v : g_strdup("");
}

static void property_set_str(Object *obj, char **value, void *opaque,
                             const char *name, Error **errp)
{
    StringProperty *sp = opaque;

    sp->set(obj, *value, errp);
}

static void property_release_opaque(Object *obj, const char *name,
                                    void *opaque)
{
    g_free(opaque);
}

void object_property_add_str(Object *obj, const char *name,
                             char *(*get)(Object *, Error **),
                             void (*set)(Object *, const char *, Error **),
                             Error **errp)
{
    StringProperty *sp = g_new0(StringProperty, 1);

    sp->get = get;
    sp->set = set;
    if (!object_property_add(obj, name, "string",
                             get ? property_get_str : NULL,
                             set ? property_set_str : NULL,
                             property_release_opaque, sp, errp)) {
        g_free(sp);
    }
}

void object_class_property_add_str(ObjectClass *klass, const char *name,
                                   char *(*get)(Object *, Error **),
                                   void (*set)(Object *, const char *,
                                               Error **),
                                   Error **errp)
{
    StringProperty *sp = g_new0(StringProperty, 1);

    sp->get = get;
    sp->set = set;
    /* Classes are never freed: no release hook. */
    if (!object_class_property_add(klass, name, "string",
                                   get ? property_get_str : NULL,
                                   set ? property_set_str : NULL,
                                   NULL, sp, errp)) {
        g_free(sp);
    }
}

typedef struct BoolProperty {
    bool (*get)(Object *, Error **);
    void (*set)(Object *, bool, Error **);
} BoolProperty;

static void property_get_bool(Object *obj, char **value, void *opaque,
                              const char *name, Error **errp)
{
    BoolProperty *bp = opaque;
    Error *local_err = NULL;
    bool v = bp->get(obj, &local_err);

    if (local_err) {
        error_propagate(errp, local_err);
        return;
    }
    *value = g_strdup(v ? "true" : "false");
}

static void property_set_bool(Object *obj, char **value, void *opaque,
                              const char *name, Error **errp)
{
    BoolProperty *bp = opaque;

    /* Already canonicalised by property_set_text(). */
    bp->set(obj, strcmp(*value, "true") == 0, errp);
}

void object_property_add_bool(Object *obj, const char *name,
                              bool (*get)(Object *, Error **),
                              void (*set)(Object *, bool, Error **),
                              Error **errp)
{
    BoolProperty *bp = g_new0(BoolProperty, 1);

    bp->get = get;
    bp->set = set;
    if (!object_property_add(obj, name, "bool",
                             get ? property_get_bool : NULL,
                             set ? property_set_bool : NULL,
                             property_release_opaque, bp, errp)) {
        g_free(bp);
    }
}

void object_class_property_add_bool(ObjectClass *klass, const char *name,
                                    bool (*get)(Object *, Error **),
                                    void (*set)(Object *, bool, Error **),
                                    Error **errp)
{
    BoolProperty *bp = g_new0(BoolProperty, 1);

    bp->get = get;
    bp->set = set;
    if (!object_class_property_add(klass, name, "bool",
                                   get ? property_get_bool : NULL,
                                   set ? property_set_bool : NULL,
                                   NULL, bp, errp)) {
        g_free(bp);
    }
}

typedef struct EnumProperty {
    const char * const *strings;
    int (*get)(Object *, Error **);
    void (*set)(Object *, int, Error **);
} EnumProperty;

static void property_get_enum(Object *obj, char **value, void *opaque,
                              const char *name, Error **errp)
{
    EnumProperty *ep = opaque;
    Error *local_err = NULL;
    int v = ep->get(obj, &local_err);
    int n = 0;

    if (local_err) {
        error_propagate(errp, local_err);
        return;
    }
    while (ep->strings[n]) {
        n++;
    }
    if (v < 0 || v >= n) {
        error_setg(errp, "Property '%s' has value %d, outside its enum",
                   name, v);
        return;
    }
    *value = g_strdup(ep->strings[v]);
}

static void property_set_enum(Object *obj, char **value, void *opaque,
                              const char *name, Error **errp)
{
    EnumProperty *ep = opaque;
    int i;

    for (i = 0; ep->strings[i]; i++) {
        if (strcmp(ep->strings[i], *value) == 0) {
            ep->set(obj, i, errp);
            return;
        }
    }
    error_setg(errp, "Invalid parameter '%s'", *value);
}

void object_property_add_enum(Object *obj, const char *name,
                              const char *typename,
                              const char * const *strings,
                              int (*get)(Object *, Error **),
                              void (*set)(Object *, int, Error **),
                              Error **errp)
{
    EnumProperty *ep = g_new0(EnumProperty, 1);

    ep->strings = strings;
    ep->get = get;
    ep->set = set;
    if (!object_property_add(obj, name, typename,
                             get ? property_get_enum : NULL,
                             set ? property_set_enum : NULL,
                             property_release_opaque, ep, errp)) {
        g_free(ep);
    }
}

void object_class_property_add_enum(ObjectClass *klass, const char *name,
                                    const char *typename,
                                    const char * const *strings,
                                    int (*get)(Object *, Error **),
                                    void (*set)(Object *, int, Error **),
                                    Error **errp)
{
    EnumProperty *ep = g_new0(EnumProperty, 1);

    ep->strings = strings;
    ep->get = get;
    ep->set = set;
    if (!object_class_property_add(klass, name, typename,
                                   get ? property_get_enum : NULL,
                                   set ? property_set_enum : NULL,
                                   NULL, ep, errp)) {
        g_free(ep);
    }
}

int object_property_get_enum(Object *obj, const char *name,
                             const char *typename, Error **errp)
{
    ObjectProperty *prop = object_property_find(obj, name, errp);
    EnumProperty *ep;
    char *value;
    int i, ret = -1;

    if (!prop) {
        return -1;
    }
    if (prop->get != property_get_enum ||
        g_strcmp0(prop->type, typename) != 0) {
        error_setg(errp, "Property '%s' on object of type '%s' is not a "
                   "'%s' enum", name, object_get_typename(obj),
                   typename ? typename : "(null)");
        return -1;
    }
    ep = prop->opaque;
    value = property_get_text(obj, prop, errp);
    if (!value) {
        return -1;
    }
    for (i = 0; ep->strings[i]; i++) {
        if (strcmp(ep->strings[i], value) == 0) {
            ret = i;
            break;
        }
    }
    g_free(value);
    return ret;
}

/* Read-only integers backed by a variable */

static void property_get_uint8_ptr(Object *obj, char **value, void *opaque,
                                   const char *name, Error **errp)
{
    *value = g_strdup_printf("%u", (unsigned)*(const uint8_t *)opaque);
}

static void property_get_uint16_ptr(Object *obj, char **value, void *opaque,
                                    const char *name, Error **errp)
{
    *value = g_strdup_printf("%u", (unsigned)*(const uint16_t *)opaque);
}

static void property_get_uint32_ptr(Object *obj, char **value, void *opaque,
                                    const char *name, Error **errp)
{
    *value = g_strdup_printf("%" PRIu32, *(const uint32_t *)opaque);
}

static void property_get_uint64_ptr(Object *obj, char **value, void *opaque,
                                    const char *name, Error **errp)
{
    *value = g_strdup_printf("%" PRIu64, *(const uint64_t *)opaque);
}

void object_property_add_uint8_ptr(Object *obj, const char *name,
                                   const uint8_t *v, Error **errp)
{
    object_property_add(obj, name, "uint8", property_get_uint8_ptr, NULL,
                        NULL, (void *)v, errp);
}

void object_property_add_uint16_ptr(Object *obj, const char *name,
                                    const uint16_t *v, Error **errp)
{
    object_property_add(obj, name, "uint16", property_get_uint16_ptr, NULL,
                        NULL, (void *)v, errp);
}

void object_property_add_uint32_ptr(Object *obj, const char *name,
                                    const uint32_t *v, Error **errp)
{
    object_property_add(obj, name, "uint32", property_get_uint32_ptr, NULL,
                        NULL, (void *)v, errp);
}

void object_property_add_uint64_ptr(Object *obj, const char *name,
                                    const uint64_t *v, Error **errp)
{
    object_property_add(obj, name, "uint64", property_get_uint64_ptr, NULL,
                        NULL, (void *)v, errp);
}

/* Child properties and the composition tree */

static void object_get_child_property(Object *obj, char **value,
                                      void *opaque, const char *name,
                                      Error **errp)
{
    Object *child = opaque;

    *value = object_get_canonical_path(child);
    if (!*value) {
        error_setg(errp, "Object '%s' is not in the composition tree", name);
    }
}

static Object *object_resolve_child_property(Object *obj, void *opaque,
                                             const char *part)
{
    return opaque;
}

static void object_finalize_child_property(Object *obj, const char *name,
                                           void *opaque)
{
    Object *child = opaque;

    if (child->class->unparent) {
        child->class->unparent(child);
    }
    child->parent = NULL;
    object_unref(child);
}

static bool object_property_is_child(const ObjectProperty *prop)
{
    return prop->release == object_finalize_child_property;
}

void object_property_add_child(Object *obj, const char *name,
                               Object *child, Error **errp)
{
    ObjectProperty *prop;
    char *type;

    if (child->parent) {
        error_setg(errp, "child object is already parented");
        return;
    }
    type = g_strdup_printf("child<%s>", object_get_typename(child));
    prop = object_property_add(obj, name, type, object_get_child_property,
                               NULL, object_finalize_child_property, child,
                               errp);
    g_free(type);
    if (!prop) {
        return;
    }
    prop->resolve = object_resolve_child_property;
    object_ref(child);
    child->parent = obj;
}

void object_unparent(Object *obj)
{
    GHashTableIter iter;
    gpointer value;
    Object *parent = obj->parent;

    if (!parent) {
        return;
    }
    g_hash_table_iter_init(&iter, parent->properties);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        ObjectProperty *prop = value;

        if (object_property_is_child(prop) && prop->opaque == obj) {
            g_hash_table_iter_steal(&iter);
            object_finalize_child_property(parent, prop->name, obj);
            object_property_free(prop);
            return;
        }
    }
    /*
     * Not found: @parent is being finalized and has already taken its
     * properties out of the table; it will release @obj itself.
     */
}

int object_child_foreach(Object *obj, int (*fn)(Object *child, void *opaque),
                         void *opaque)
{
    GHashTableIter iter;
    gpointer value;
    GSList *children = NULL, *l;
    int ret = 0;

    /*
     * Walk a referenced snapshot, so that @fn may unparent the child it is
     * given (or others) without invalidating the walk.
     */
    g_hash_table_iter_init(&iter, obj->properties);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        ObjectProperty *prop = value;

        if (object_property_is_child(prop)) {
            object_ref(prop->opaque);
            children = g_slist_prepend(children, prop->opaque);
        }
    }
    children = g_slist_reverse(children);
    for (l = children; l; l = l->next) {
        if (!ret) {
            ret = fn(l->data, opaque);
        }
        object_unref(l->data);
    }
    g_slist_free(children);
    return ret;
}

typedef struct ChildWalk {
    int (*fn)(Object *child, void *opaque);
    void *opaque;
} ChildWalk;

static int child_walk_recursive(Object *child, void *opaque)
{
    ChildWalk *walk = opaque;
    int ret = walk->fn(child, walk->opaque);

    if (ret) {
        return ret;
    }
    return object_child_foreach(child, child_walk_recursive, walk);
}

int object_child_foreach_recursive(Object *obj,
                                   int (*fn)(Object *child, void *opaque),
                                   void *opaque)
{
    ChildWalk walk = { fn, opaque };

    return object_child_foreach(obj, child_walk_recursive, &walk);
}

Object *object_get_root(void)
{
    static Object *root;

    if (g_once_init_enter(&root)) {
        g_once_init_leave(&root, object_new(TYPE_CONTAINER));
    }
    return root;
}

Object *object_get_objects_root(void)
{
    return container_get(object_get_root(), "/objects");
}

Object *container_get(Object *root, const char *path)
{
    gchar **parts = g_strsplit(path, "/", 0);
    Object *obj = root;
    int i;

    g_mutex_lock(&container_lock);
    for (i = 0; parts[i]; i++) {
        Object *child;

        if (!*parts[i]) {
            continue;
        }
        child = object_resolve_path_component(obj, parts[i]);
        if (!child) {
            child = object_new(TYPE_CONTAINER);
            object_property_add_child(obj, parts[i], child, &error_abort);
            object_unref(child);
        }
        obj = child;
    }
    g_mutex_unlock(&container_lock);
    g_strfreev(parts);
    return obj;
}

gchar *object_get_canonical_path_component(Object *obj)
{
    GHashTableIter iter;
    gpointer value;

    if (!obj->parent) {
        return NULL;
    }
    g_hash_table_iter_init(&iter, obj->parent->properties);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        ObjectProperty *prop = value;

        if (object_property_is_child(prop) && prop->opaque == obj) {
            return g_strdup(prop->name);
        }
    }
    /* @obj's parent is being finalized (see object_unparent()). */
    return NULL;
}

gchar *object_get_canonical_path(Object *obj)
{
    Object *root = object_get_root();
    GString *path = g_string_new(NULL);

    while (obj != root) {
        gchar *component = object_get_canonical_path_component(obj);

        if (!component) {
            /* Detached from the tree. */
            g_string_free(path, TRUE);
            return NULL;
        }
        g_string_prepend(path, component);
        g_string_prepend_c(path, '/');
        g_free(component);
        obj = obj->parent;
    }
    if (path->len == 0) {
        g_string_append_c(path, '/');
    }
    return g_string_free(path, FALSE);
}

Object *object_resolve_path_component(Object *parent, const gchar *part)
{
    ObjectProperty *prop = object_property_find(parent, part, NULL);

    if (!prop || !prop->resolve) {
        return NULL;
    }
    return prop->resolve(parent, prop->opaque, part);
}

/* Follows @parts from @obj; empty components are skipped. */
static Object *resolve_abs_path(Object *obj, gchar **parts,
                                const char *typename)
{
    for (; obj && *parts; parts++) {
        if (**parts) {
            obj = object_resolve_path_component(obj, *parts);
        }
    }
    return obj ? object_dynamic_cast(obj, typename) : NULL;
}

typedef struct PartialSearch {
    gchar **parts;
    const char *typename;
    Object *found;
    bool ambiguous;
} PartialSearch;

static int partial_search_visit(Object *obj, void *opaque)
{
    PartialSearch *s = opaque;
    Object *hit = resolve_abs_path(obj, s->parts, s->typename);

    if (hit && hit != s->found) {
        if (s->found) {
            s->ambiguous = true;
            return 1;
        }
        s->found = hit;
    }
    return 0;
}

Object *object_resolve_path_type(const char *path, const char *typename,
                                 bool *ambiguous)
{
    gchar **parts = g_strsplit(path, "/", 0);
    Object *root = object_get_root();
    Object *obj;

    if (ambiguous) {
        *ambiguous = false;
    }
    if (parts[0] && !*parts[0]) {
        obj = resolve_abs_path(root, parts + 1, typename);
    } else {
        /* A partial path may start at any object of the tree. */
        PartialSearch s = { parts, typename, NULL, false };

        if (!partial_search_visit(root, &s)) {
            object_child_foreach_recursive(root, partial_search_visit, &s);
        }
        if (s.ambiguous) {
            if (ambiguous) {
                *ambiguous = true;
            }
            obj = NULL;
        } else {
            obj = s.found;
        }
    }
    g_strfreev(parts);
    return obj;
}

Object *object_resolve_path(const char *path, bool *ambiguous)
{
    return object_resolve_path_type(path, TYPE_OBJECT, ambiguous);
}

/* Link properties */

typedef struct LinkProperty {
    Object **child;
    void (*check)(Object *obj, const char *name, Object *val, Error **errp);
    ObjectPropertyLinkFlags flags;
} LinkProperty;

void object_property_allow_set_link(Object *obj, const char *name,
                                    Object *val, Error **errp)
{
}

static void object_get_link_property(Object *obj, char **value,
                                     void *opaque, const char *name,
                                     Error **errp)
{
    LinkProperty *lp = opaque;

    if (!*lp->child) {
        *value = g_strdup("");
        return;
    }
    *value = object_get_canonical_path(*lp->child);
    if (!*value) {
        error_setg(errp, "The target of link '%s' is not in the "
                   "composition tree", name);
    }
}

static void object_set_link_property(Object *obj, char **value,
                                     void *opaque, const char *name,
                                     Error **errp)
{
    LinkProperty *lp = opaque;
    Error *local_err = NULL;
    Object *target = NULL;
    Object *old = *lp->child;

    if (**value) {
        const char *type = object_property_get_type(obj, name, NULL);
        /* "link<" TYPE ">" */
        char *target_type = g_strndup(type + 5, strlen(type) - 6);
        bool ambiguous = false;

        target = object_resolve_path_type(*value, target_type, &ambiguous);
        if (!target) {
            if (ambiguous) {
                error_setg(errp, "Path '%s' does not uniquely identify an "
                           "object", *value);
            } else if (object_resolve_path(*value, &ambiguous) ||
                       ambiguous) {
                error_setg(errp, "Invalid parameter type for '%s', "
                           "expected: %s", name, target_type);
            } else {
                error_setg(errp, "Device '%s' not found", *value);
            }
            g_free(target_type);
            return;
        }
        g_free(target_type);
    }
    lp->check(obj, name, target, &local_err);
    if (local_err) {
        error_propagate(errp, local_err);
        return;
    }
    object_ref(target);
    *lp->child = target;
    object_unref(old);
}

static Object *object_resolve_link_property(Object *obj, void *opaque,
                                            const char *part)
{
    LinkProperty *lp = opaque;

    return *lp->child;
}

static void object_release_link_property(Object *obj, const char *name,
                                         void *opaque)
{
    LinkProperty *lp = opaque;

    if ((lp->flags & OBJ_PROP_LINK_UNREF_ON_RELEASE) && *lp->child) {
        object_unref(*lp->child);
    }
    g_free(lp);
}

void object_property_add_link(Object *obj, const char *name,
                              const char *type, Object **child,
                              void (*check)(Object *obj, const char *name,
                                            Object *val, Error **errp),
                              ObjectPropertyLinkFlags flags,
                              Error **errp)
{
    LinkProperty *lp = g_new0(LinkProperty, 1);
    ObjectProperty *prop;
    char *full_type = g_strdup_printf("link<%s>", type);

    lp->child = child;
    lp->check = check;
    lp->flags = flags;
    prop = object_property_add(obj, name, full_type,
                               object_get_link_property,
                               check ? object_set_link_property : NULL,
                               object_release_link_property, lp, errp);
    g_free(full_type);
    if (!prop) {
        g_free(lp);
        return;
    }
    prop->resolve = object_resolve_link_property;
}

void object_property_set_link(Object *obj, Object *value, const char *name,
                              Error **errp)
{
    char *path = NULL;

    if (value) {
        path = object_get_canonical_path(value);
        if (!path) {
            error_setg(errp, "Cannot link '%s' to an object outside the "
                       "composition tree", name);
            return;
        }
    }
    object_property_set_str(obj, path ? path : "", name, errp);
    g_free(path);
}

Object *object_property_get_link(Object *obj, const char *name,
                                 Error **errp)
{
    char *path = object_property_get_str(obj, name, errp);
    Object *target = NULL;

    if (path && *path) {
        target = object_resolve_path(path, NULL);
        if (!target) {
            error_setg(errp, "Device '%s' not found", path);
        }
    }
    g_free(path);
    return target;
}

/* Creation with properties */

int object_set_propv(Object *obj, Error **errp, va_list vargs)
{
    const char *name;

    while ((name = va_arg(vargs, const char *)) != NULL) {
        const char *value = va_arg(vargs, const char *);
        Error *local_err = NULL;

        if (!value) {
            error_setg(errp, "Property '%s' is given no value", name);
            return -1;
        }
        object_property_parse(obj, value, name, &local_err);
        if (local_err) {
            error_propagate(errp, local_err);
            return -1;
        }
    }
    return 0;
}

int object_set_props(Object *obj, Error **errp, ...)
{
    va_list vargs;
    int ret;

    va_start(vargs, errp);
    ret = object_set_propv(obj, errp, vargs);
    va_end(vargs);
    return ret;
}

Object *object_new_with_propv(const char *typename, Object *parent,
                              const char *id, Error **errp, va_list vargs)
{
    Error *local_err = NULL;
    ObjectClass *klass = object_class_by_name(typename);
    Object *obj;

    if (!klass) {
        error_setg(errp, "invalid object type: %s",
                   typename ? typename : "(null)");
        return NULL;
    }
    if (object_class_is_abstract(klass)) {
        error_setg(errp, "object type '%s' is abstract", typename);
        return NULL;
    }
    if (!parent || !id) {
        error_setg(errp, "object of type '%s' needs a parent and an id",
                   typename);
        return NULL;
    }
    obj = object_new_with_type(klass->type);

    if (object_set_propv(obj, &local_err, vargs) < 0) {
        goto fail;
    }
    object_property_add_child(parent, id, obj, &local_err);
    if (local_err) {
        goto fail;
    }
    if (object_dynamic_cast(obj, TYPE_USER_CREATABLE)) {
        user_creatable_complete(obj, &local_err);
        if (local_err) {
            object_unparent(obj);
            goto fail;
        }
    }
    /* The parent now holds the only reference. */
    object_unref(obj);
    return obj;

fail:
    error_propagate(errp, local_err);
    object_unref(obj);
    return NULL;
}

Object *object_new_with_props(const char *typename, Object *parent,
                              const char *id, Error **errp, ...)
{
    va_list vargs;
    Object *obj;

    va_start(vargs, errp);
    obj = object_new_with_propv(typename, parent, id, errp, vargs);
    va_end(vargs);
    return obj;
}

/* TYPE_OBJECT */

static char *object_get_type_property(Object *obj, Error **errp)
{
    return g_strdup(object_get_typename(obj));
}

/* A class property, so that objects do not each carry a copy. */
static void object_class_init(ObjectClass *klass, void *data)
{
    object_class_property_add_str(klass, "type", object_get_type_property,
                                  NULL, &error_abort);
}
