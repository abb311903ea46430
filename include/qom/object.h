/*
 * QOM, the QEMU Object Model: named types with single inheritance and
 * interfaces, reference-counted objects, properties and the composition
 * tree rooted at object_get_root().
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_OBJECT_H
#define QEMU_OBJECT_H

#include <glib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "qemu/compiler.h"
#include "qemu/typedefs.h"
#include "qemu/queue.h"
#include "qemu/module.h"
#include "qapi/error.h"
#include "qapi-types.h"

/**
 * Type:
 *
 * A registered type, as returned by type_register_static().  Opaque.
 */
typedef struct TypeImpl *Type;

typedef struct TypeInfo TypeInfo;
typedef struct InterfaceClass InterfaceClass;
typedef struct InterfaceInfo InterfaceInfo;
typedef struct ObjectProperty ObjectProperty;

/**
 * TYPE_OBJECT:
 *
 * The name of the root of every instantiable type.  It is abstract.
 */
#define TYPE_OBJECT "object"

/**
 * TYPE_INTERFACE:
 *
 * The name of the root of every interface type.
 */
#define TYPE_INTERFACE "interface"

/**
 * TYPE_CONTAINER:
 *
 * The name of the plain type used for the inner nodes of the composition
 * tree (object_get_root(), "/objects", container_get()).
 *
 * Since: libqio 0.1
 */
#define TYPE_CONTAINER "container"

/**
 * ObjectPropertyAccessor:
 * @obj: the object that has the property
 * @value: the value, as a string
 * @opaque: the opaque pointer given when the property was added
 * @name: the property's name
 * @errp: pointer to a NULL-initialized error object
 *
 * Reads or writes a property.  libqio's QOM carries values as strings
 * instead of through QAPI visitors.  As a getter, the accessor finds
 * *@value NULL and stores there a newly allocated string (g_malloc) that
 * the caller frees.  As a setter, *@value is the string to store; the
 * caller keeps ownership.
 *
 * For properties of type "bool" and of the integer types ("int", "int8"
 * ... "int64", "uint8" ... "uint64") the setter only ever receives the
 * canonical spelling: "true" or "false", or a decimal number within the
 * type's range; QOM rejects other input before calling it.
 *
 * On failure the accessor sets @errp (and a getter leaves *@value NULL).
 */
typedef void (ObjectPropertyAccessor)(Object *obj, char **value,
                                      void *opaque, const char *name,
                                      Error **errp);

/**
 * ObjectPropertyResolve:
 * @obj: the object that has the property
 * @opaque: the opaque pointer given when the property was added
 * @part: the path component being resolved
 *
 * Lets a property take part in path resolution, as child and link
 * properties do.
 *
 * Returns: the object the property designates, or NULL
 */
typedef Object *(ObjectPropertyResolve)(Object *obj, void *opaque,
                                        const char *part);

/**
 * ObjectPropertyRelease:
 * @obj: the object that had the property
 * @name: the property's name
 * @opaque: the opaque pointer given when the property was added
 *
 * Called when the property is deleted, explicitly or because @obj is
 * finalized, to free whatever @opaque holds.
 */
typedef void (ObjectPropertyRelease)(Object *obj, const char *name,
                                     void *opaque);

/**
 * ObjectProperty:
 * @name: the property's name
 * @type: its type: "string", "bool", an integer type, an enum's type
 *   name, "child<TYPE>", "link<TYPE>" or any name chosen by its creator
 * @description: an optional human-readable description
 * @get: reads the value, or NULL if write-only
 * @set: writes the value, or NULL if read-only
 * @resolve: path resolution hook, or NULL
 * @release: called on deletion, or NULL
 * @opaque: passed to the callbacks
 *
 * A property of an object or class.
 */
struct ObjectProperty {
    gchar *name;
    gchar *type;
    gchar *description;
    ObjectPropertyAccessor *get;
    ObjectPropertyAccessor *set;
    ObjectPropertyResolve *resolve;
    ObjectPropertyRelease *release;
    void *opaque;
};

/**
 * ObjectUnparent:
 * @obj: the object being detached from its parent
 *
 * Class hook called when an object stops being a child of another.
 */
typedef void (ObjectUnparent)(Object *obj);

/**
 * ObjectFree:
 * @obj: the object whose memory is released
 *
 * Releases an object's memory once it has been finalized.
 */
typedef void (ObjectFree)(void *obj);

/* Number of positive cast results remembered per class. */
#define OBJECT_CLASS_CAST_CACHE 4

/**
 * ObjectClass:
 *
 * The base of every class structure.  A subclass's class struct embeds
 * its parent's class struct, by value, as its first member.  All fields
 * are private.
 */
struct ObjectClass {
    /*< private >*/
    Type type;
    GSList *interfaces;
    const char *object_cast_cache[OBJECT_CLASS_CAST_CACHE];
    const char *class_cast_cache[OBJECT_CLASS_CAST_CACHE];
    ObjectUnparent *unparent;
    GHashTable *properties;
};

/**
 * Object:
 *
 * The base of every instance.  An instance struct embeds its parent's
 * instance struct, by value, as its first member.  All fields are private:
 * use object_get_class(), object_ref() and so on.
 */
struct Object {
    /*< private >*/
    ObjectClass *class;
    ObjectFree *free;
    GHashTable *properties;
    uint32_t ref;
    Object *parent;
};

/**
 * TypeInfo:
 * @name: the type's name, unique in the program
 * @parent: the parent type's name; NULL only for the roots TYPE_OBJECT and
 *   TYPE_INTERFACE.  The parent may be registered later, as long as it is
 *   registered before the type is first used.
 * @instance_size: size of the instance struct; 0 inherits the parent's
 * @instance_init: called on a new instance after its parent types'
 *   instance_init, or NULL
 * @instance_post_init: called once every instance_init has run, for this
 *   type first and then for each ancestor, or NULL
 * @instance_finalize: called when the last reference goes, before the
 *   parent types' instance_finalize, or NULL
 * @abstract: whether instances of exactly this type may not be created
 * @class_size: size of the class struct; 0 inherits the parent's
 * @class_init: called once to fill in the class, after the parent class's
 *   contents have been copied into it, or NULL
 * @class_base_init: called for every subclass, before that subclass's
 *   class_init, to adjust what it inherited (e.g. reset per-class fields),
 *   or NULL
 * @class_finalize: kept for compatibility: classes live as long as the
 *   process, so it is never called
 * @class_data: passed to @class_init and @class_base_init
 * @interfaces: the interfaces this type implements, as an array ended by
 *   an entry whose @type is NULL, or NULL for none
 *
 * Describes a type for type_register_static().
 */
struct TypeInfo {
    const char *name;
    const char *parent;

    size_t instance_size;
    void (*instance_init)(Object *obj);
    void (*instance_post_init)(Object *obj);
    void (*instance_finalize)(Object *obj);

    bool abstract;
    size_t class_size;

    void (*class_init)(ObjectClass *klass, void *data);
    void (*class_base_init)(ObjectClass *klass, void *data);
    void (*class_finalize)(ObjectClass *klass, void *data);
    void *class_data;

    InterfaceInfo *interfaces;
};

/**
 * InterfaceInfo:
 * @type: the name of an interface type
 *
 * One entry of TypeInfo.interfaces.
 */
struct InterfaceInfo {
    const char *type;
};

/**
 * InterfaceClass:
 * @parent_class: the ObjectClass part
 *
 * The base of every interface's class struct.  Each class implementing an
 * interface gets its own copy of the interface class, which its class_init
 * fills in (e.g. with the interface's methods); casting the class to the
 * interface type returns that copy.
 */
struct InterfaceClass {
    ObjectClass parent_class;
    /*< private >*/
    ObjectClass *concrete_class;
    Type interface_type;
};

/**
 * OBJECT:
 * @obj: a pointer to an instance of any QOM type
 *
 * Unchecked cast to #Object.
 */
#define OBJECT(obj) ((Object *)(obj))

/**
 * OBJECT_CLASS:
 * @class: a pointer to any class struct
 *
 * Unchecked cast to #ObjectClass.
 */
#define OBJECT_CLASS(class) ((ObjectClass *)(class))

/**
 * OBJECT_CHECK:
 * @type: the C type to cast to
 * @obj: the object (may be NULL)
 * @name: the QOM type name @obj must be an instance of
 *
 * Checked cast of an object.  Aborts, naming the file, line and function
 * of the cast, if @obj is not an instance of @name.  NULL stays NULL.
 */
#define OBJECT_CHECK(type, obj, name)                                   \
    ((type *)object_dynamic_cast_assert(OBJECT(obj), (name),            \
                                        __FILE__, __LINE__, __func__))

/**
 * OBJECT_CLASS_CHECK:
 * @class_type: the C type to cast to
 * @class: the class (may be NULL)
 * @name: the QOM type name to cast to
 *
 * Checked cast of a class; aborts with the location if @class is not
 * @name or a subclass of it.  For an interface name, evaluates to the
 * class's copy of the interface class.
 */
#define OBJECT_CLASS_CHECK(class_type, class, name)                     \
    ((class_type *)object_class_dynamic_cast_assert(OBJECT_CLASS(class), \
                                                    (name), __FILE__,   \
                                                    __LINE__, __func__))

/**
 * OBJECT_GET_CLASS:
 * @class: the C class type to cast to
 * @obj: the object
 * @name: the QOM type name of @class
 *
 * The class of @obj, cast with OBJECT_CLASS_CHECK().
 */
#define OBJECT_GET_CLASS(class, obj, name)                              \
    OBJECT_CLASS_CHECK(class, object_get_class(OBJECT(obj)), name)

/**
 * INTERFACE_CHECK:
 * @interface: the C type of the interface instance
 * @obj: the object
 * @name: the interface type's name
 *
 * Checked cast of an object to an interface it implements (the pointer is
 * unchanged); aborts with the location otherwise.
 */
#define INTERFACE_CHECK(interface, obj, name)                           \
    ((interface *)object_dynamic_cast_assert(OBJECT((obj)), (name),     \
                                             __FILE__, __LINE__,        \
                                             __func__))

/**
 * INTERFACE_CLASS:
 * @klass: an interface class
 *
 * Checked cast to #InterfaceClass.
 */
#define INTERFACE_CLASS(klass)                                          \
    OBJECT_CLASS_CHECK(InterfaceClass, klass, TYPE_INTERFACE)

/**
 * type_register_static:
 * @info: the type's description; it must stay valid while the program
 *   runs (usually a static const)
 *
 * Registers a type.  Registering a name again with an identical
 * description does nothing, so module_call_init(MODULE_INIT_QOM) may run
 * more than once; registering a name again with a different description
 * aborts.  Thread-safe.
 *
 * Returns: the type
 */
Type type_register_static(const TypeInfo *info);

/**
 * type_register:
 * @info: the type's description
 *
 * Like type_register_static(), but copies what it needs from @info and
 * the strings it points to, so @info may be temporary.
 *
 * Returns: the type
 */
Type type_register(const TypeInfo *info);

/**
 * object_new:
 * @typename: the name of a registered, non-abstract type
 *
 * Creates an instance: zeroed memory of the type's instance size, then
 * instance_init of each type from TYPE_OBJECT down to @typename, then the
 * instance_post_init hooks.  Aborts with a message if @typename is not
 * registered or is abstract (use object_new_with_props() for an Error
 * instead).
 *
 * Returns: the object, holding one reference that the caller owns
 */
Object *object_new(const char *typename);

/**
 * object_new_with_type:
 * @type: a registered, non-abstract type
 *
 * object_new() by #Type.
 *
 * Returns: the object, holding one reference that the caller owns
 */
Object *object_new_with_type(Type type);

/**
 * object_new_with_props:
 * @typename: the name of the type to create
 * @parent: the object that will hold the new one as a child
 * @id: the child property name under @parent
 * @errp: pointer to a NULL-initialized error object
 * @...: property name and value strings, in pairs, ended by NULL
 *
 * Creates an object, sets its properties from the string pairs (parsed as
 * by object_property_parse()), adds it as child @id of @parent and, if the
 * type is user-creatable, calls user_creatable_complete() on it.  The
 * creation reference is then dropped, so @parent holds the only one.
 *
 * Fails if @typename is unknown or abstract, @parent or @id is NULL, a
 * property cannot be set, @id is already used under @parent or complete()
 * fails; in every case nothing is left behind: the object is detached and
 * finalized.
 *
 * Returns: the object (borrowed: @parent owns it), or NULL with @errp set
 */
Object *object_new_with_props(const char *typename, Object *parent,
                              const char *id, Error **errp,
                              ...) QEMU_SENTINEL;

/**
 * object_new_with_propv:
 * @typename: the name of the type to create
 * @parent: the object that will hold the new one as a child
 * @id: the child property name under @parent
 * @errp: pointer to a NULL-initialized error object
 * @vargs: property name and value strings, in pairs, ended by NULL
 *
 * object_new_with_props() taking a va_list.
 *
 * Returns: the object (borrowed: @parent owns it), or NULL with @errp set
 */
Object *object_new_with_propv(const char *typename, Object *parent,
                              const char *id, Error **errp, va_list vargs);

/**
 * object_set_props:
 * @obj: the object
 * @errp: pointer to a NULL-initialized error object
 * @...: property name and value strings, in pairs, ended by NULL
 *
 * Sets several properties with object_property_parse(), stopping at the
 * first failure.
 *
 * Returns: 0 on success, -1 with @errp set on failure
 */
int object_set_props(Object *obj, Error **errp, ...) QEMU_SENTINEL;

/**
 * object_set_propv:
 * @obj: the object
 * @errp: pointer to a NULL-initialized error object
 * @vargs: property name and value strings, in pairs, ended by NULL
 *
 * object_set_props() taking a va_list.
 *
 * Returns: 0 on success, -1 with @errp set on failure
 */
int object_set_propv(Object *obj, Error **errp, va_list vargs);

/**
 * object_initialize:
 * @data: memory for the instance, at least the type's instance size
 * @size: the size of @data
 * @typename: the name of a registered, non-abstract type
 *
 * Initializes an instance in memory the caller provides (for example a
 * struct member), like object_new() but without allocating.  When the
 * last reference goes the object is finalized but @data is not freed.
 * Aborts like object_new() on an unknown or abstract type.
 */
void object_initialize(void *data, size_t size, const char *typename);

/**
 * object_initialize_with_type:
 * @data: memory for the instance
 * @size: the size of @data
 * @type: a registered, non-abstract type
 *
 * object_initialize() by #Type.
 */
void object_initialize_with_type(void *data, size_t size, Type type);

/**
 * object_dynamic_cast:
 * @obj: an object, or NULL
 * @typename: a type or interface name
 *
 * Returns: @obj if it is an instance of @typename (or of a type that
 * implements the interface @typename), otherwise NULL
 */
Object *object_dynamic_cast(Object *obj, const char *typename);

/**
 * object_dynamic_cast_assert:
 * @obj: an object, or NULL
 * @typename: a type or interface name
 * @file: source file of the cast, for the message
 * @line: source line of the cast
 * @func: function containing the cast
 *
 * object_dynamic_cast() that aborts, after printing
 * "FILE:LINE:FUNC: Object 0x... is not an instance of type TYPENAME" on
 * stderr, when a non-NULL @obj does not match.  Used by OBJECT_CHECK().
 *
 * Returns: @obj
 */
Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line,
                                   const char *func);

/**
 * object_get_class:
 * @obj: an object
 *
 * Returns: the class of @obj
 */
ObjectClass *object_get_class(Object *obj);

/**
 * object_get_typename:
 * @obj: an object
 *
 * Returns: the name of @obj's type, valid while the program runs
 */
const char *object_get_typename(Object *obj);

/**
 * object_class_dynamic_cast:
 * @klass: a class, or NULL
 * @typename: a type or interface name
 *
 * Returns: @klass if it is @typename or one of its subclasses; for an
 * interface name, the class's copy of that interface class (NULL if the
 * class implements it more than once, ambiguously); otherwise NULL
 */
ObjectClass *object_class_dynamic_cast(ObjectClass *klass,
                                       const char *typename);

/**
 * object_class_dynamic_cast_assert:
 * @klass: a class, or NULL
 * @typename: a type or interface name
 * @file: source file of the cast, for the message
 * @line: source line of the cast
 * @func: function containing the cast
 *
 * object_class_dynamic_cast() that aborts, after printing
 * "FILE:LINE:FUNC: Object 0x... is not an instance of type TYPENAME", when
 * a non-NULL @klass does not match.  Used by OBJECT_CLASS_CHECK().
 *
 * Returns: the result of the cast, or NULL if @klass is NULL
 */
ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename,
                                              const char *file, int line,
                                              const char *func);

/**
 * object_class_get_parent:
 * @klass: a class
 *
 * Returns: the parent type's class, or NULL for a root class
 */
ObjectClass *object_class_get_parent(ObjectClass *klass);

/**
 * object_class_get_name:
 * @klass: a class
 *
 * Returns: the name of the class's type, valid while the program runs
 */
const char *object_class_get_name(ObjectClass *klass);

/**
 * object_class_is_abstract:
 * @klass: a class
 *
 * Returns: true if the class's type is abstract
 */
bool object_class_is_abstract(ObjectClass *klass);

/**
 * object_class_by_name:
 * @typename: a type name
 *
 * Looks a type up, initializing its class on first use.  Thread-safe.
 *
 * Returns: the class, or NULL if no type of that name is registered
 */
ObjectClass *object_class_by_name(const char *typename);

/**
 * object_class_foreach:
 * @fn: called with each matching class and @opaque
 * @implements_type: only classes castable to this type or interface, or
 *   NULL for every type
 * @include_abstract: whether abstract types are included
 * @opaque: passed to @fn
 *
 * Calls @fn on the registered classes (initializing them), in no
 * particular order.  @fn may register more types; they are not visited.
 */
void object_class_foreach(void (*fn)(ObjectClass *klass, void *opaque),
                          const char *implements_type,
                          bool include_abstract, void *opaque);

/**
 * object_class_get_list:
 * @implements_type: only classes castable to this type, or NULL for all
 * @include_abstract: whether abstract types are included
 *
 * Returns: a newly allocated list of the matching classes; free it with
 * g_slist_free() (the classes themselves are not to be freed)
 */
GSList *object_class_get_list(const char *implements_type,
                              bool include_abstract);

/**
 * object_ref:
 * @obj: an object, or NULL (then nothing happens)
 *
 * Takes a reference.  Atomic: any thread holding a reference may call it.
 */
void object_ref(Object *obj);

/**
 * object_unref:
 * @obj: an object, or NULL (then nothing happens)
 *
 * Drops a reference.  When the last one goes, the object's properties
 * are deleted (releasing its children), instance_finalize runs from the
 * object's own type up to TYPE_OBJECT, and the memory is freed.  Atomic.
 */
void object_unref(Object *obj);

/**
 * object_property_add:
 * @obj: the object
 * @name: the property's name; a name ending in "[*]" is replaced by the
 *   first free "[0]", "[1]", ...
 * @type: the property's type (see #ObjectProperty)
 * @get: the getter, or NULL for a write-only property
 * @set: the setter, or NULL for a read-only property
 * @release: called when the property is deleted, or NULL
 * @opaque: passed to the callbacks
 * @errp: pointer to a NULL-initialized error object
 *
 * Adds a property to one object.
 *
 * Returns: the new property, or NULL with @errp set if @obj already has a
 * property of that name
 */
ObjectProperty *object_property_add(Object *obj, const char *name,
                                    const char *type,
                                    ObjectPropertyAccessor *get,
                                    ObjectPropertyAccessor *set,
                                    ObjectPropertyRelease *release,
                                    void *opaque, Error **errp);

/**
 * object_property_del:
 * @obj: the object
 * @name: the property's name
 * @errp: pointer to a NULL-initialized error object
 *
 * Deletes an instance property, calling its release hook (which, for a
 * child property, drops the child).  Sets @errp if there is no such
 * property on the instance.
 */
void object_property_del(Object *obj, const char *name, Error **errp);

/**
 * object_class_property_add:
 * @klass: the class
 * @name: the property's name
 * @type: the property's type
 * @get: the getter, or NULL
 * @set: the setter, or NULL
 * @release: called if the class ever goes away (never, in practice)
 * @opaque: passed to the callbacks
 * @errp: pointer to a NULL-initialized error object
 *
 * Adds a property that every instance of @klass and of its subclasses
 * has, without a per-object copy.  Usually called from class_init.
 *
 * Returns: the new property, or NULL with @errp set on a name clash
 *
 * Since: libqio 0.1 (QEMU 2.6)
 */
ObjectProperty *object_class_property_add(ObjectClass *klass,
                                          const char *name,
                                          const char *type,
                                          ObjectPropertyAccessor *get,
                                          ObjectPropertyAccessor *set,
                                          ObjectPropertyRelease *release,
                                          void *opaque, Error **errp);

/**
 * object_property_find:
 * @obj: the object
 * @name: the property's name
 * @errp: pointer to a NULL-initialized error object
 *
 * Looks a property up among @obj's own properties, then its class's and
 * its ancestors' class properties.
 *
 * Returns: the property, or NULL with @errp set ("Property '.NAME' not
 * found")
 */
ObjectProperty *object_property_find(Object *obj, const char *name,
                                     Error **errp);

/**
 * object_class_property_find:
 * @klass: the class
 * @name: the property's name
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the class property of @klass or an ancestor, or NULL with
 * @errp set
 *
 * Since: libqio 0.1 (QEMU 2.6)
 */
ObjectProperty *object_class_property_find(ObjectClass *klass,
                                           const char *name, Error **errp);

/**
 * ObjectPropertyIterator:
 *
 * Walks the properties of an object.  Opaque.
 */
typedef struct ObjectPropertyIterator ObjectPropertyIterator;

/**
 * object_property_iter_init:
 * @obj: the object
 *
 * Starts a walk over @obj's properties, instance properties first, then
 * class properties.  @obj's properties must not be added or deleted until
 * object_property_iter_free().
 *
 * Returns: a new iterator
 */
ObjectPropertyIterator *object_property_iter_init(Object *obj);

/**
 * object_property_iter_next:
 * @iter: the iterator
 *
 * Returns: the next property, or NULL when there are no more
 */
ObjectProperty *object_property_iter_next(ObjectPropertyIterator *iter);

/**
 * object_property_iter_free:
 * @iter: the iterator, or NULL
 *
 * Frees the iterator.
 */
void object_property_iter_free(ObjectPropertyIterator *iter);

/**
 * object_property_get:
 * @obj: the object
 * @name: the property's name
 * @errp: pointer to a NULL-initialized error object
 *
 * Reads a property as a string, whatever its type.  In QEMU this takes a
 * visitor; libqio's QOM is visitor-free.
 *
 * Returns: the value as a newly allocated string, or NULL with @errp set
 * if there is no such property, it is write-only or its getter failed
 */
char *object_property_get(Object *obj, const char *name, Error **errp);

/**
 * object_property_set:
 * @obj: the object
 * @value: the value as a string
 * @name: the property's name
 * @errp: pointer to a NULL-initialized error object
 *
 * Writes a property from a string, whatever its type; the same as
 * object_property_parse().  In QEMU this takes a visitor.
 */
void object_property_set(Object *obj, const char *value, const char *name,
                         Error **errp);

/**
 * object_property_parse:
 * @obj: the object
 * @string: the value as text
 * @name: the property's name
 * @errp: pointer to a NULL-initialized error object
 *
 * Sets a property from text, as a command line would: a "bool" property
 * accepts on/yes/true and off/no/false in any case; an integer property
 * accepts a decimal (or 0x hexadecimal) number in its type's range; an
 * enum property accepts its lookup names; other properties take the text
 * as it is.  Sets @errp if the property is missing, read-only, or rejects
 * the value.
 */
void object_property_parse(Object *obj, const char *string,
                           const char *name, Error **errp);

/**
 * object_property_print:
 * @obj: the object
 * @name: the property's name
 * @human: format for people: strings quoted, integers also in hex
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the value as a newly allocated string, or NULL with @errp set
 */
char *object_property_print(Object *obj, const char *name, bool human,
                            Error **errp);

/**
 * object_property_set_str:
 * @obj: the object
 * @value: the new value
 * @name: a string, enum, link or custom-typed property
 * @errp: pointer to a NULL-initialized error object
 *
 * Sets @errp if the property is missing, read-only, is a "bool" or
 * integer property, or rejects @value.
 */
void object_property_set_str(Object *obj, const char *value,
                             const char *name, Error **errp);

/**
 * object_property_get_str:
 * @obj: the object
 * @name: a string, enum, link, child or custom-typed property
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: a newly allocated copy of the value, or NULL with @errp set
 * (also for "bool" and integer properties)
 */
char *object_property_get_str(Object *obj, const char *name, Error **errp);

/**
 * object_property_set_bool:
 * @obj: the object
 * @value: the new value
 * @name: a "bool" property
 * @errp: pointer to a NULL-initialized error object
 *
 * Sets @errp if the property is missing, read-only, not of type "bool",
 * or its setter fails.
 */
void object_property_set_bool(Object *obj, bool value, const char *name,
                              Error **errp);

/**
 * object_property_get_bool:
 * @obj: the object
 * @name: a "bool" property
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the value, or false with @errp set
 */
bool object_property_get_bool(Object *obj, const char *name, Error **errp);

/**
 * object_property_set_int:
 * @obj: the object
 * @value: the new value
 * @name: an integer property
 * @errp: pointer to a NULL-initialized error object
 *
 * Sets @errp if the property is missing, read-only, not of an integer
 * type, @value is outside the type's range, or the setter fails.
 */
void object_property_set_int(Object *obj, int64_t value, const char *name,
                             Error **errp);

/**
 * object_property_get_int:
 * @obj: the object
 * @name: an integer property
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the value (a uint64 above INT64_MAX wraps, as in QEMU), or -1
 * with @errp set
 */
int64_t object_property_get_int(Object *obj, const char *name,
                                Error **errp);

/**
 * object_property_get_enum:
 * @obj: the object
 * @name: an enum property
 * @typename: the enum type name the property must have
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the value's index in the enum's lookup table, or -1 with @errp
 * set
 */
int object_property_get_enum(Object *obj, const char *name,
                             const char *typename, Error **errp);

/**
 * object_property_set_link:
 * @obj: the object
 * @value: the object to link to, or NULL to clear the link
 * @name: a link property
 * @errp: pointer to a NULL-initialized error object
 *
 * @value must be in the composition tree, since links are set by path.
 */
void object_property_set_link(Object *obj, Object *value, const char *name,
                              Error **errp);

/**
 * object_property_get_link:
 * @obj: the object
 * @name: a link property
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the linked object (borrowed), or NULL if the link is empty or
 * on error (@errp set)
 */
Object *object_property_get_link(Object *obj, const char *name,
                                 Error **errp);

/**
 * object_property_get_type:
 * @obj: the object
 * @name: the property's name
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the property's type string (owned by the property), or NULL
 * with @errp set
 */
const char *object_property_get_type(Object *obj, const char *name,
                                     Error **errp);

/**
 * object_property_set_description:
 * @obj: the object
 * @name: the property's name
 * @description: the text, copied
 * @errp: pointer to a NULL-initialized error object
 *
 * Sets the human-readable description of a property.
 */
void object_property_set_description(Object *obj, const char *name,
                                     const char *description, Error **errp);

/**
 * object_get_root:
 *
 * Returns: the root of the composition tree, a "container" object
 * created on first use (path "/")
 */
Object *object_get_root(void);

/**
 * object_get_objects_root:
 *
 * Returns: the "/objects" container, created on first use, which holds
 * user-created objects
 */
Object *object_get_objects_root(void);

/**
 * object_get_canonical_path_component:
 * @obj: the object
 *
 * Returns: a newly allocated copy of the name under which @obj's parent
 * holds it, or NULL if @obj has no parent
 */
gchar *object_get_canonical_path_component(Object *obj);

/**
 * object_get_canonical_path:
 * @obj: an object
 *
 * Returns: a newly allocated absolute path such as "/objects/tls0"; "/"
 * for the root; NULL if @obj is not attached below object_get_root()
 */
gchar *object_get_canonical_path(Object *obj);

/**
 * object_resolve_path:
 * @path: an absolute path ("/objects/tls0") or a partial one ("tls0")
 * @ambiguous: if not NULL, set to whether a partial path matched more
 *   than one object
 *
 * A partial path matches wherever its components can be followed from
 * some object of the tree; it must match exactly one.
 *
 * Returns: the object (borrowed), or NULL
 */
Object *object_resolve_path(const char *path, bool *ambiguous);

/**
 * object_resolve_path_type:
 * @path: an absolute or partial path
 * @typename: the type the object must be an instance of
 * @ambiguous: if not NULL, set to whether a partial path matched more
 *   than one object of that type
 *
 * Returns: the object (borrowed), or NULL
 */
Object *object_resolve_path_type(const char *path, const char *typename,
                                 bool *ambiguous);

/**
 * object_resolve_path_component:
 * @parent: the object to start from
 * @part: one path component, the name of a child or link property
 *
 * Returns: the object @part designates (borrowed), or NULL
 */
Object *object_resolve_path_component(Object *parent, const gchar *part);

/**
 * object_property_add_child:
 * @obj: the parent
 * @name: the child's name
 * @child: the object to add; it must not already have a parent
 * @errp: pointer to a NULL-initialized error object
 *
 * Adds a "child<TYPE>" property: @obj takes a reference to @child and
 * becomes its parent; deleting the property (object_unparent()) or
 * finalizing @obj drops it again.
 */
void object_property_add_child(Object *obj, const char *name,
                               Object *child, Error **errp);

/**
 * ObjectPropertyLinkFlags:
 * @OBJ_PROP_LINK_UNREF_ON_RELEASE: drop the reference held on the target
 *   when the property is deleted
 *
 * Options of object_property_add_link().
 */
typedef enum {
    OBJ_PROP_LINK_UNREF_ON_RELEASE = 0x1,
} ObjectPropertyLinkFlags;

/**
 * object_property_allow_set_link:
 * @obj: the object
 * @name: the link property
 * @val: the proposed target
 * @errp: pointer to a NULL-initialized error object
 *
 * A link check that accepts every target.
 */
void object_property_allow_set_link(Object *obj, const char *name,
                                    Object *val, Error **errp);

/**
 * object_property_add_link:
 * @obj: the object
 * @name: the property's name
 * @type: the type targets must be instances of
 * @child: where the target pointer is stored; the link holds a reference
 *   on the target
 * @check: called before a new target is stored, may veto it by setting
 *   its errp; NULL makes the link read-only
 * @flags: #ObjectPropertyLinkFlags
 * @errp: pointer to a NULL-initialized error object
 *
 * Adds a "link<TYPE>" property whose value is the target's canonical path.
 */
void object_property_add_link(Object *obj, const char *name,
                              const char *type, Object **child,
                              void (*check)(Object *obj, const char *name,
                                            Object *val, Error **errp),
                              ObjectPropertyLinkFlags flags,
                              Error **errp);

/**
 * object_property_add_str:
 * @obj: the object
 * @name: the property's name
 * @get: returns a newly allocated value, or NULL with errp set; NULL for
 *   a write-only property
 * @set: stores a value; NULL for a read-only property
 * @errp: pointer to a NULL-initialized error object
 *
 * Adds a property of type "string".
 */
void object_property_add_str(Object *obj, const char *name,
                             char *(*get)(Object *, Error **),
                             void (*set)(Object *, const char *, Error **),
                             Error **errp);

/**
 * object_class_property_add_str:
 * @klass: the class
 * @name: the property's name
 * @get: the getter, as for object_property_add_str()
 * @set: the setter, as for object_property_add_str()
 * @errp: pointer to a NULL-initialized error object
 *
 * object_property_add_str() for every instance of a class.
 *
 * Since: libqio 0.1 (QEMU 2.6)
 */
void object_class_property_add_str(ObjectClass *klass, const char *name,
                                   char *(*get)(Object *, Error **),
                                   void (*set)(Object *, const char *,
                                               Error **),
                                   Error **errp);

/**
 * object_property_add_bool:
 * @obj: the object
 * @name: the property's name
 * @get: returns the value; NULL for a write-only property
 * @set: stores a value; NULL for a read-only property
 * @errp: pointer to a NULL-initialized error object
 *
 * Adds a property of type "bool".
 */
void object_property_add_bool(Object *obj, const char *name,
                              bool (*get)(Object *, Error **),
                              void (*set)(Object *, bool, Error **),
                              Error **errp);

/**
 * object_class_property_add_bool:
 * @klass: the class
 * @name: the property's name
 * @get: the getter, as for object_property_add_bool()
 * @set: the setter, as for object_property_add_bool()
 * @errp: pointer to a NULL-initialized error object
 *
 * object_property_add_bool() for every instance of a class.
 *
 * Since: libqio 0.1 (QEMU 2.6)
 */
void object_class_property_add_bool(ObjectClass *klass, const char *name,
                                    bool (*get)(Object *, Error **),
                                    void (*set)(Object *, bool, Error **),
                                    Error **errp);

/**
 * object_property_add_enum:
 * @obj: the object
 * @name: the property's name
 * @typename: the enum's type name, used as the property type
 * @strings: the lookup table: the name of each value, ended by NULL
 * @get: returns the value's index; NULL for a write-only property
 * @set: stores an index; NULL for a read-only property
 * @errp: pointer to a NULL-initialized error object
 *
 * Adds an enum property, read and written by value name.  @strings must
 * stay valid as long as the property exists.
 */
void object_property_add_enum(Object *obj, const char *name,
                              const char *typename,
                              const char * const *strings,
                              int (*get)(Object *, Error **),
                              void (*set)(Object *, int, Error **),
                              Error **errp);

/**
 * object_class_property_add_enum:
 * @klass: the class
 * @name: the property's name
 * @typename: the enum's type name
 * @strings: the lookup table, ended by NULL
 * @get: the getter, as for object_property_add_enum()
 * @set: the setter, as for object_property_add_enum()
 * @errp: pointer to a NULL-initialized error object
 *
 * object_property_add_enum() for every instance of a class.
 *
 * Since: libqio 0.1 (QEMU 2.6)
 */
void object_class_property_add_enum(ObjectClass *klass, const char *name,
                                    const char *typename,
                                    const char * const *strings,
                                    int (*get)(Object *, Error **),
                                    void (*set)(Object *, int, Error **),
                                    Error **errp);

/**
 * object_property_add_uint8_ptr:
 * @obj: the object
 * @name: the property's name
 * @v: the variable the read-only property reports
 * @errp: pointer to a NULL-initialized error object
 *
 * Adds a read-only "uint8" property.
 */
void object_property_add_uint8_ptr(Object *obj, const char *name,
                                   const uint8_t *v, Error **errp);

/**
 * object_property_add_uint16_ptr:
 * @obj: the object
 * @name: the property's name
 * @v: the variable the read-only property reports
 * @errp: pointer to a NULL-initialized error object
 *
 * Adds a read-only "uint16" property.
 */
void object_property_add_uint16_ptr(Object *obj, const char *name,
                                    const uint16_t *v, Error **errp);

/**
 * object_property_add_uint32_ptr:
 * @obj: the object
 * @name: the property's name
 * @v: the variable the read-only property reports
 * @errp: pointer to a NULL-initialized error object
 *
 * Adds a read-only "uint32" property.
 */
void object_property_add_uint32_ptr(Object *obj, const char *name,
                                    const uint32_t *v, Error **errp);

/**
 * object_property_add_uint64_ptr:
 * @obj: the object
 * @name: the property's name
 * @v: the variable the read-only property reports
 * @errp: pointer to a NULL-initialized error object
 *
 * Adds a read-only "uint64" property.
 */
void object_property_add_uint64_ptr(Object *obj, const char *name,
                                    const uint64_t *v, Error **errp);

/**
 * object_unparent:
 * @obj: the object
 *
 * Removes @obj from its parent (deleting the child property), which drops
 * the parent's reference; if that was the last, @obj is finalized.  Does
 * nothing if @obj has no parent.
 */
void object_unparent(Object *obj);

/**
 * object_child_foreach:
 * @obj: the object
 * @fn: called with each child and @opaque; a non-zero return stops the
 *   walk
 * @opaque: passed to @fn
 *
 * Visits @obj's children, in no particular order.  @fn may unparent
 * children (the walk holds a reference on each until it is done with it);
 * children added during the walk are not visited.
 *
 * Returns: the last value @fn returned, or 0 if there are no children
 */
int object_child_foreach(Object *obj, int (*fn)(Object *child, void *opaque),
                         void *opaque);

/**
 * object_child_foreach_recursive:
 * @obj: the object
 * @fn: called with each descendant and @opaque; non-zero stops the walk
 * @opaque: passed to @fn
 *
 * object_child_foreach() over the whole subtree, parents before their
 * children.
 *
 * Returns: the last value @fn returned, or 0
 */
int object_child_foreach_recursive(Object *obj,
                                   int (*fn)(Object *child, void *opaque),
                                   void *opaque);

/**
 * container_get:
 * @root: the object to start from
 * @path: an absolute-style path such as "/objects" or "/a/b"
 *
 * Follows @path from @root, creating a "container" object for every
 * missing component.  Thread-safe against concurrent container_get()
 * calls.
 *
 * Returns: the object at @path (borrowed)
 */
Object *container_get(Object *root, const char *path);

#endif /* QEMU_OBJECT_H */
