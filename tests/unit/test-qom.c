/*
 * Tests of the object model: types and classes, interfaces, casts, the
 * object life cycle, properties, the composition tree, creation with
 * properties and thread safety.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/module.h"
#include "qom/object.h"
#include "qom/object_interfaces.h"
#include "qio-test.h"

/*
 * A small zoo: test-animal (abstract) <- test-dog <- test-puppy, and
 * test-animal <- test-cat.  Dogs (and so puppies) implement the test-pet
 * interface; test-gadget is user-creatable.
 */
#define TYPE_ANIMAL "test-animal"
#define TYPE_DOG "test-dog"
#define TYPE_PUPPY "test-puppy"
#define TYPE_CAT "test-cat"
#define TYPE_PET "test-pet"
#define TYPE_GADGET "test-gadget"

typedef struct Animal {
    Object parent_obj;
    int legs;
} Animal;

typedef struct AnimalClass {
    ObjectClass parent_class;
    const char *(*speak)(Animal *animal);
    const char *family;
    void *seen_data;
} AnimalClass;

typedef struct Dog {
    Animal parent_obj;
    char *name;
    bool good;
    int size;
    uint8_t age;
    int64_t score;
    uint32_t tail;
    Object *friend;
} Dog;

typedef struct DogClass {
    AnimalClass parent_class;
    int bark_volume;
} DogClass;

typedef struct PetClass {
    InterfaceClass parent_class;
    const char *(*owner)(Object *obj);
} PetClass;

typedef struct Gadget {
    Object parent_obj;
    char *label;
    bool enabled;
    int mode;
    bool fail;
    int completed;
} Gadget;

#define ANIMAL(obj) OBJECT_CHECK(Animal, (obj), TYPE_ANIMAL)
#define ANIMAL_CLASS(klass) \
    OBJECT_CLASS_CHECK(AnimalClass, (klass), TYPE_ANIMAL)
#define ANIMAL_GET_CLASS(obj) OBJECT_GET_CLASS(AnimalClass, (obj), TYPE_ANIMAL)
#define DOG(obj) OBJECT_CHECK(Dog, (obj), TYPE_DOG)
#define DOG_CLASS(klass) OBJECT_CLASS_CHECK(DogClass, (klass), TYPE_DOG)
#define DOG_GET_CLASS(obj) OBJECT_GET_CLASS(DogClass, (obj), TYPE_DOG)
#define PET_CLASS(klass) OBJECT_CLASS_CHECK(PetClass, (klass), TYPE_PET)
#define PET_GET_CLASS(obj) OBJECT_GET_CLASS(PetClass, (obj), TYPE_PET)
#define GADGET(obj) OBJECT_CHECK(Gadget, (obj), TYPE_GADGET)

/* Everything the hooks do is appended here, comma-separated. */
static GString *events;
static GMutex events_lock;
/* Live instances of test-animal and test-gadget, for leak checks. */
static gint live_animals;
static gint live_gadgets;

static void event(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void event(const char *fmt, ...)
{
    va_list ap;

    g_mutex_lock(&events_lock);
    if (events->len) {
        g_string_append_c(events, ',');
    }
    va_start(ap, fmt);
    g_string_append_vprintf(events, fmt, ap);
    va_end(ap);
    g_mutex_unlock(&events_lock);
}

static void events_reset(void)
{
    g_string_truncate(events, 0);
}

/* test-animal */

static const char *animal_speak(Animal *animal)
{
    return "...";
}

static void animal_class_init(ObjectClass *oc, void *data)
{
    AnimalClass *ac = ANIMAL_CLASS(oc);

    ac->speak = animal_speak;
    ac->family = "animal";
}

static void animal_class_base_init(ObjectClass *oc, void *data)
{
    AnimalClass *ac = (AnimalClass *)oc;

    /* Runs for every subclass, with the subclass's class_data. */
    ac->seen_data = data;
}

static void animal_init(Object *obj)
{
    ANIMAL(obj)->legs = 4;
    g_atomic_int_inc(&live_animals);
    event("init:animal");
}

static void animal_post_init(Object *obj)
{
    event("post:animal");
}

static void animal_finalize(Object *obj)
{
    g_atomic_int_add(&live_animals, -1);
    event("fin:animal");
}

/* test-dog */

static const char *const dog_size_lookup[] = {
    "small", "medium", "large", NULL,
};

static const char *dog_speak(Animal *animal)
{
    return "woof";
}

static const char *dog_owner(Object *obj)
{
    return "dog owner";
}

static char *dog_get_name(Object *obj, Error **errp)
{
    return g_strdup(DOG(obj)->name);
}

static void dog_set_name(Object *obj, const char *value, Error **errp)
{
    if (strcmp(value, "forbidden") == 0) {
        error_setg(errp, "that name is forbidden");
        return;
    }
    g_free(DOG(obj)->name);
    DOG(obj)->name = g_strdup(value);
}

static bool dog_get_good(Object *obj, Error **errp)
{
    return DOG(obj)->good;
}

static void dog_set_good(Object *obj, bool value, Error **errp)
{
    DOG(obj)->good = value;
}

static int dog_get_size(Object *obj, Error **errp)
{
    return DOG(obj)->size;
}

static void dog_set_size(Object *obj, int value, Error **errp)
{
    DOG(obj)->size = value;
}

/* Generic integer accessors: values arrive as canonical decimal text. */
static void dog_get_age(Object *obj, char **value, void *opaque,
                        const char *name, Error **errp)
{
    *value = g_strdup_printf("%u", DOG(obj)->age);
}

static void dog_set_age(Object *obj, char **value, void *opaque,
                        const char *name, Error **errp)
{
    DOG(obj)->age = (uint8_t)g_ascii_strtoull(*value, NULL, 10);
}

static void dog_get_score(Object *obj, char **value, void *opaque,
                          const char *name, Error **errp)
{
    *value = g_strdup_printf("%" PRId64, DOG(obj)->score);
}

static void dog_set_score(Object *obj, char **value, void *opaque,
                          const char *name, Error **errp)
{
    DOG(obj)->score = g_ascii_strtoll(*value, NULL, 10);
}

static char *dog_get_breed(Object *obj, Error **errp)
{
    return g_strdup(object_get_typename(obj));
}

static void dog_class_init(ObjectClass *oc, void *data)
{
    PetClass *pc = PET_CLASS(oc);

    ANIMAL_CLASS(oc)->speak = dog_speak;
    DOG_CLASS(oc)->bark_volume = GPOINTER_TO_INT(data);
    pc->owner = dog_owner;
    object_class_property_add_str(oc, "breed", dog_get_breed, NULL,
                                  &error_abort);
}

static void dog_init(Object *obj)
{
    Dog *dog = DOG(obj);

    dog->tail = 7;
    object_property_add_str(obj, "name", dog_get_name, dog_set_name,
                            &error_abort);
    object_property_add_bool(obj, "good", dog_get_good, dog_set_good,
                             &error_abort);
    object_property_add_enum(obj, "size", "TestDogSize", dog_size_lookup,
                             dog_get_size, dog_set_size, &error_abort);
    object_property_add(obj, "age", "uint8", dog_get_age, dog_set_age,
                        NULL, NULL, &error_abort);
    object_property_add(obj, "score", "int", dog_get_score, dog_set_score,
                        NULL, NULL, &error_abort);
    object_property_add_uint32_ptr(obj, "tail", &dog->tail, &error_abort);
    object_property_add_str(obj, "motto", dog_get_name, NULL, &error_abort);
    object_property_add_link(obj, "friend", TYPE_ANIMAL, &dog->friend,
                             object_property_allow_set_link,
                             OBJ_PROP_LINK_UNREF_ON_RELEASE, &error_abort);
    event("init:dog");
}

static void dog_finalize(Object *obj)
{
    g_free(DOG(obj)->name);
    event("fin:dog");
}

/* test-puppy */

static const char *puppy_owner(Object *obj)
{
    return "puppy owner";
}

static void puppy_class_init(ObjectClass *oc, void *data)
{
    PET_CLASS(oc)->owner = puppy_owner;
}

static void puppy_init(Object *obj)
{
    event("init:puppy");
}

static void puppy_post_init(Object *obj)
{
    event("post:puppy");
}

static void puppy_finalize(Object *obj)
{
    event("fin:puppy");
}

/* test-gadget, user-creatable */

static const char *const gadget_mode_lookup[] = { "slow", "fast", NULL };

static char *gadget_get_label(Object *obj, Error **errp)
{
    return g_strdup(GADGET(obj)->label);
}

static void gadget_set_label(Object *obj, const char *value, Error **errp)
{
    g_free(GADGET(obj)->label);
    GADGET(obj)->label = g_strdup(value);
}

static bool gadget_get_enabled(Object *obj, Error **errp)
{
    return GADGET(obj)->enabled;
}

static void gadget_set_enabled(Object *obj, bool value, Error **errp)
{
    GADGET(obj)->enabled = value;
}

static bool gadget_get_fail(Object *obj, Error **errp)
{
    return GADGET(obj)->fail;
}

static void gadget_set_fail(Object *obj, bool value, Error **errp)
{
    GADGET(obj)->fail = value;
}

static int gadget_get_mode(Object *obj, Error **errp)
{
    return GADGET(obj)->mode;
}

static void gadget_set_mode(Object *obj, int value, Error **errp)
{
    GADGET(obj)->mode = value;
}

static void gadget_complete(UserCreatable *uc, Error **errp)
{
    Gadget *gadget = GADGET(uc);

    gadget->completed++;
    if (gadget->fail) {
        error_setg(errp, "gadget '%s' refused to complete",
                   gadget->label ? gadget->label : "?");
    }
}

static bool gadget_can_be_deleted(UserCreatable *uc, Error **errp)
{
    return !GADGET(uc)->enabled;
}

static void gadget_class_init(ObjectClass *oc, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = gadget_complete;
    ucc->can_be_deleted = gadget_can_be_deleted;
}

static void gadget_init(Object *obj)
{
    g_atomic_int_inc(&live_gadgets);
    object_property_add_str(obj, "label", gadget_get_label,
                            gadget_set_label, &error_abort);
    object_property_add_bool(obj, "enabled", gadget_get_enabled,
                             gadget_set_enabled, &error_abort);
    object_property_add_bool(obj, "fail", gadget_get_fail, gadget_set_fail,
                             &error_abort);
    object_property_add_enum(obj, "mode", "TestGadgetMode",
                             gadget_mode_lookup, gadget_get_mode,
                             gadget_set_mode, &error_abort);
}

static void gadget_finalize(Object *obj)
{
    g_free(GADGET(obj)->label);
    g_atomic_int_add(&live_gadgets, -1);
    event("fin:gadget");
}

static const TypeInfo animal_info = {
    .name = TYPE_ANIMAL,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Animal),
    .instance_init = animal_init,
    .instance_post_init = animal_post_init,
    .instance_finalize = animal_finalize,
    .abstract = true,
    .class_size = sizeof(AnimalClass),
    .class_init = animal_class_init,
    .class_base_init = animal_class_base_init,
};

static const TypeInfo pet_info = {
    .name = TYPE_PET,
    .parent = TYPE_INTERFACE,
    .class_size = sizeof(PetClass),
};

static const TypeInfo dog_info = {
    .name = TYPE_DOG,
    .parent = TYPE_ANIMAL,
    .instance_size = sizeof(Dog),
    .instance_init = dog_init,
    .instance_finalize = dog_finalize,
    .class_size = sizeof(DogClass),
    .class_init = dog_class_init,
    .class_data = GINT_TO_POINTER(11),
    .interfaces = (InterfaceInfo[]) {
        { TYPE_PET },
        { }
    },
};

/* Sizes left 0 to inherit; lists the interface its parent already has. */
static const TypeInfo puppy_info = {
    .name = TYPE_PUPPY,
    .parent = TYPE_DOG,
    .instance_init = puppy_init,
    .instance_post_init = puppy_post_init,
    .instance_finalize = puppy_finalize,
    .class_init = puppy_class_init,
    .class_data = GINT_TO_POINTER(22),
    .interfaces = (InterfaceInfo[]) {
        { TYPE_PET },
        { }
    },
};

static const TypeInfo cat_info = {
    .name = TYPE_CAT,
    .parent = TYPE_ANIMAL,
};

/*
 * test-robot implements two interfaces derived from test-pet, so a cast
 * to test-pet itself is ambiguous.
 */
#define TYPE_GUARD "test-guard"
#define TYPE_TRICK "test-trick"
#define TYPE_ROBOT "test-robot"

static const TypeInfo guard_info = {
    .name = TYPE_GUARD,
    .parent = TYPE_PET,
};

static const TypeInfo trick_info = {
    .name = TYPE_TRICK,
    .parent = TYPE_PET,
};

static const TypeInfo robot_info = {
    .name = TYPE_ROBOT,
    .parent = TYPE_OBJECT,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_GUARD },
        { TYPE_TRICK },
        { }
    },
};

static const TypeInfo gadget_info = {
    .name = TYPE_GADGET,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Gadget),
    .instance_init = gadget_init,
    .instance_finalize = gadget_finalize,
    .class_init = gadget_class_init,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { }
    },
};

/* Registered child before parent: parents are resolved on first use. */
static void test_qom_register_types(void)
{
    type_register_static(&puppy_info);
    type_register_static(&dog_info);
    type_register_static(&cat_info);
    type_register_static(&animal_info);
    type_register_static(&pet_info);
    type_register_static(&gadget_info);
    type_register_static(&robot_info);
    type_register_static(&trick_info);
    type_register_static(&guard_info);
}

type_init(test_qom_register_types)

static bool list_has(GSList *list, const char *typename)
{
    for (; list; list = list->next) {
        if (strcmp(object_class_get_name(list->data), typename) == 0) {
            return true;
        }
    }
    return false;
}

/* Length of a class list, leaving out the types test_threads() adds. */
static guint list_length(GSList *list)
{
    guint n = 0;

    for (; list; list = list->next) {
        n += !g_str_has_prefix(object_class_get_name(list->data),
                               "test-thread-");
    }
    return n;
}

static void test_hierarchy(void)
{
    Object *obj = object_new(TYPE_PUPPY);
    Object *cat = object_new(TYPE_CAT);
    ObjectClass *oc = object_get_class(obj);
    GSList *list;

    g_assert_cmpstr(object_get_typename(obj), ==, TYPE_PUPPY);
    g_assert_cmpstr(object_class_get_name(oc), ==, TYPE_PUPPY);
    g_assert_true(object_class_by_name(TYPE_PUPPY) == oc);
    g_assert_null(object_class_by_name("test-no-such-type"));

    g_assert_true(object_dynamic_cast(obj, TYPE_PUPPY) == obj);
    g_assert_true(object_dynamic_cast(obj, TYPE_DOG) == obj);
    g_assert_true(object_dynamic_cast(obj, TYPE_ANIMAL) == obj);
    g_assert_true(object_dynamic_cast(obj, TYPE_OBJECT) == obj);
    g_assert_null(object_dynamic_cast(obj, TYPE_CAT));
    g_assert_null(object_dynamic_cast(obj, "test-no-such-type"));
    g_assert_null(object_dynamic_cast(NULL, TYPE_OBJECT));
    g_assert_null(object_dynamic_cast(cat, TYPE_DOG));

    /* The parent chain. */
    oc = object_class_get_parent(oc);
    g_assert_cmpstr(object_class_get_name(oc), ==, TYPE_DOG);
    oc = object_class_get_parent(oc);
    g_assert_cmpstr(object_class_get_name(oc), ==, TYPE_ANIMAL);
    g_assert_true(object_class_is_abstract(oc));
    oc = object_class_get_parent(oc);
    g_assert_cmpstr(object_class_get_name(oc), ==, TYPE_OBJECT);
    g_assert_true(object_class_is_abstract(oc));
    g_assert_null(object_class_get_parent(oc));
    g_assert_false(object_class_is_abstract(object_get_class(obj)));

    /* Instance size inherited: the Dog fields exist in a puppy. */
    DOG(obj)->tail = 3;
    g_assert_cmpint(ANIMAL(obj)->legs, ==, 4);
    g_assert_cmpint(ANIMAL(cat)->legs, ==, 4);

    /* Class contents: copied from the parent, then class_init. */
    g_assert_cmpstr(ANIMAL_GET_CLASS(obj)->speak(ANIMAL(obj)), ==, "woof");
    g_assert_cmpstr(ANIMAL_GET_CLASS(cat)->speak(ANIMAL(cat)), ==, "...");
    g_assert_cmpstr(ANIMAL_GET_CLASS(obj)->family, ==, "animal");
    g_assert_cmpstr(ANIMAL_GET_CLASS(cat)->family, ==, "animal");
    g_assert_cmpint(DOG_GET_CLASS(obj)->bark_volume, ==, 11);
    g_assert_true(ANIMAL_GET_CLASS(obj) != ANIMAL_GET_CLASS(cat));

    /* class_base_init ran for each subclass with its class_data. */
    g_assert_true(ANIMAL_GET_CLASS(obj)->seen_data == GINT_TO_POINTER(22));
    g_assert_true(DOG_CLASS(object_class_by_name(TYPE_DOG))->
                  parent_class.seen_data == GINT_TO_POINTER(11));
    g_assert_null(ANIMAL_GET_CLASS(cat)->seen_data);

    list = object_class_get_list(TYPE_ANIMAL, false);
    g_assert_true(list_has(list, TYPE_DOG));
    g_assert_true(list_has(list, TYPE_PUPPY));
    g_assert_true(list_has(list, TYPE_CAT));
    g_assert_false(list_has(list, TYPE_ANIMAL));
    g_assert_false(list_has(list, TYPE_GADGET));
    g_slist_free(list);
    list = object_class_get_list(TYPE_ANIMAL, true);
    g_assert_true(list_has(list, TYPE_ANIMAL));
    g_assert_cmpint(list_length(list), ==, 4);
    g_slist_free(list);
    list = object_class_get_list(TYPE_PET, false);
    g_assert_true(list_has(list, TYPE_DOG));
    g_assert_true(list_has(list, TYPE_PUPPY));
    g_assert_cmpint(list_length(list), ==, 2);
    g_slist_free(list);
    list = object_class_get_list(NULL, true);
    g_assert_true(list_has(list, TYPE_OBJECT));
    g_assert_true(list_has(list, TYPE_INTERFACE));
    g_assert_true(list_has(list, TYPE_CONTAINER));
    g_assert_true(list_has(list, TYPE_USER_CREATABLE));
    g_slist_free(list);

    object_unref(obj);
    object_unref(cat);
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 0);
}

static void test_interfaces(void)
{
    Object *dog = object_new(TYPE_DOG);
    Object *puppy = object_new(TYPE_PUPPY);
    Object *cat = object_new(TYPE_CAT);
    ObjectClass *dog_class = object_get_class(dog);
    ObjectClass *pet_class;

    g_assert_true(object_dynamic_cast(dog, TYPE_PET) == dog);
    g_assert_true(object_dynamic_cast(puppy, TYPE_PET) == puppy);
    g_assert_true(object_dynamic_cast(dog, TYPE_INTERFACE) == dog);
    g_assert_null(object_dynamic_cast(cat, TYPE_PET));
    g_assert_null(object_class_dynamic_cast(object_get_class(cat), TYPE_PET));

    /* Casting a class to an interface yields its own interface class. */
    pet_class = object_class_dynamic_cast(dog_class, TYPE_PET);
    g_assert_nonnull(pet_class);
    g_assert_true(pet_class != dog_class);
    g_assert_true(object_class_dynamic_cast(pet_class, TYPE_INTERFACE) ==
                  pet_class);
    g_assert_true(object_class_dynamic_cast(pet_class, TYPE_PET) ==
                  pet_class);
    g_assert_true((ObjectClass *)INTERFACE_CLASS(pet_class) == pet_class);
    g_assert_true(OBJECT_CLASS(PET_GET_CLASS(dog)) == pet_class);
    g_assert_true(OBJECT_CLASS(PET_CLASS(dog_class)) == pet_class);

    /* Inherited, overridden by the subclass only for itself. */
    g_assert_cmpstr(PET_GET_CLASS(dog)->owner(dog), ==, "dog owner");
    g_assert_cmpstr(PET_GET_CLASS(puppy)->owner(puppy), ==, "puppy owner");
    g_assert_true(PET_GET_CLASS(puppy) != PET_GET_CLASS(dog));

    /* Two interfaces derived from test-pet: casting to it is ambiguous. */
    {
        Object *robot = object_new(TYPE_ROBOT);
        ObjectClass *rc = object_get_class(robot);
        ObjectClass *guard = object_class_dynamic_cast(rc, TYPE_GUARD);
        ObjectClass *trick = object_class_dynamic_cast(rc, TYPE_TRICK);

        g_assert_nonnull(guard);
        g_assert_nonnull(trick);
        g_assert_true(guard != trick);
        g_assert_true(object_class_dynamic_cast(guard, TYPE_PET) == guard);
        g_assert_null(object_class_dynamic_cast(rc, TYPE_PET));
        g_assert_null(object_dynamic_cast(robot, TYPE_PET));
        g_assert_true(object_dynamic_cast(robot, TYPE_TRICK) == robot);
        g_assert_true(object_class_is_abstract(object_class_by_name(
                                                   TYPE_GUARD)));
        object_unref(robot);
    }

    /* User-creatable through the interface's own macros. */
    {
        Object *gadget = object_new(TYPE_GADGET);
        Error *err = NULL;

        g_assert_true(USER_CREATABLE(gadget) == (UserCreatable *)gadget);
        g_assert_true(OBJECT(USER_CREATABLE(gadget)) == gadget);
        g_assert_true(USER_CREATABLE_GET_CLASS(gadget)->complete ==
                      gadget_complete);
        g_assert_null(object_dynamic_cast(dog, TYPE_USER_CREATABLE));
        g_assert_true(user_creatable_can_be_deleted(USER_CREATABLE(gadget),
                                                    &err));
        GADGET(gadget)->enabled = true;
        g_assert_false(user_creatable_can_be_deleted(USER_CREATABLE(gadget),
                                                     &err));
        qio_assert_no_error(err);
        user_creatable_complete(gadget, &err);
        qio_assert_no_error(err);
        g_assert_cmpint(GADGET(gadget)->completed, ==, 1);
        /* Not user-creatable: nothing to do, no error. */
        user_creatable_complete(dog, &err);
        qio_assert_no_error(err);
        object_unref(gadget);
    }

    object_unref(dog);
    object_unref(puppy);
    object_unref(cat);
}

static void test_bad_cast_object(void)
{
    if (g_test_subprocess()) {
        Object *cat = object_new(TYPE_CAT);

        /* NULL passes through a checked cast. */
        g_assert_null(DOG(NULL));
        fprintf(stderr, "cat at %p\n", (void *)cat);
        DOG(cat);
        fprintf(stderr, "survived the bad cast\n");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*cat at 0x*\n*test-qom.c:*:"
                              "test_bad_cast_object: Object 0x* is not an "
                              "instance of type test-dog\n*");
    g_test_trap_assert_stderr_unmatched("*survived*");
}

static void test_bad_cast_class(void)
{
    if (g_test_subprocess()) {
        ObjectClass *oc = object_class_by_name(TYPE_CAT);

        g_assert_null(DOG_CLASS(NULL));
        DOG_CLASS(oc);
        fprintf(stderr, "survived the bad cast\n");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*test-qom.c:*:test_bad_cast_class: Object 0x* "
                              "is not an instance of type test-dog\n*");
    g_test_trap_assert_stderr_unmatched("*survived*");
}

static void test_bad_cast_interface(void)
{
    if (g_test_subprocess()) {
        Object *cat = object_new(TYPE_CAT);

        PET_GET_CLASS(cat);
        fprintf(stderr, "survived the bad cast\n");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*test_bad_cast_interface: Object 0x* is not "
                              "an instance of type test-pet*");
}

static void test_abstract(void)
{
    if (g_test_subprocess()) {
        object_new(TYPE_ANIMAL);
        fprintf(stderr, "survived\n");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*cannot instantiate abstract type "
                              "'test-animal'*");
    g_test_trap_assert_stderr_unmatched("*survived*");
}

static void test_unknown_type(void)
{
    if (g_test_subprocess()) {
        object_new("test-no-such-type");
        fprintf(stderr, "survived\n");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*unknown type 'test-no-such-type'*");
}

static void test_conflicting_registration(void)
{
    static const TypeInfo impostor = {
        .name = TYPE_DOG,
        .parent = TYPE_OBJECT,
    };

    if (g_test_subprocess()) {
        type_register_static(&impostor);
        fprintf(stderr, "survived\n");
        return;
    }
    /* Registering the same description again is harmless. */
    type_register_static(&dog_info);
    module_call_init(MODULE_INIT_QOM);
    g_assert_nonnull(object_class_by_name(TYPE_DOG));

    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*'test-dog' is already registered*");
}

static void test_init_finalize_order(void)
{
    Object *obj;
    Dog embedded;

    events_reset();
    obj = object_new(TYPE_PUPPY);
    g_assert_cmpstr(events->str, ==,
                    "init:animal,init:dog,init:puppy,post:puppy,post:animal");
    g_assert_cmpint(obj->ref, ==, 1);

    events_reset();
    object_ref(obj);
    g_assert_cmpint(obj->ref, ==, 2);
    object_unref(obj);
    g_assert_cmpstr(events->str, ==, "");
    object_unref(obj);
    g_assert_cmpstr(events->str, ==, "fin:puppy,fin:dog,fin:animal");

    /* NULL is fine for both. */
    object_ref(NULL);
    object_unref(NULL);

    /* An object in caller memory is finalized but not freed. */
    events_reset();
    object_initialize(&embedded, sizeof(embedded), TYPE_DOG);
    g_assert_cmpstr(events->str, ==, "init:animal,init:dog,post:animal");
    g_assert_cmpint(embedded.tail, ==, 7);
    object_property_set_str(OBJECT(&embedded), "rex", "name", &error_abort);
    events_reset();
    object_unref(OBJECT(&embedded));
    g_assert_cmpstr(events->str, ==, "fin:dog,fin:animal");

    /* Children are released before their parent's finalizers run. */
    obj = object_new(TYPE_DOG);
    {
        Object *child = object_new(TYPE_CAT);

        object_property_add_child(obj, "kitten", child, &error_abort);
        object_unref(child);
    }
    events_reset();
    object_unref(obj);
    g_assert_cmpstr(events->str, ==, "fin:animal,fin:dog,fin:animal");
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 0);
}

static void test_property_str(void)
{
    Object *obj = object_new(TYPE_DOG);
    Error *err = NULL;
    char *s;

    object_property_set_str(obj, "rex", "name", &error_abort);
    g_assert_cmpstr(DOG(obj)->name, ==, "rex");
    s = object_property_get_str(obj, "name", &error_abort);
    g_assert_cmpstr(s, ==, "rex");
    g_free(s);
    g_assert_cmpstr(object_property_get_type(obj, "name", &error_abort), ==,
                    "string");

    /* The setter's own error. */
    object_property_set_str(obj, "forbidden", "name", &err);
    qio_assert_error_contains(err, "that name is forbidden");
    error_free(err);
    err = NULL;
    g_assert_cmpstr(DOG(obj)->name, ==, "rex");

    /* Read-only, missing, wrong kind. */
    object_property_set_str(obj, "x", "motto", &err);
    qio_assert_error_contains(err, "read-only");
    error_free(err);
    err = NULL;
    s = object_property_get_str(obj, "motto", &error_abort);
    g_assert_cmpstr(s, ==, "rex");
    g_free(s);
    g_assert_null(object_property_get_str(obj, "nope", &err));
    qio_assert_error_contains(err, "Property '.nope' not found");
    error_free(err);
    err = NULL;
    object_property_set_str(obj, "true", "good", &err);
    qio_assert_error_contains(err, "expected: boolean");
    error_free(err);
    err = NULL;
    object_property_set_bool(obj, true, "name", &err);
    qio_assert_error_contains(err, "expected: string");
    error_free(err);
    err = NULL;

    /* Every object has its type as a read-only property. */
    s = object_property_get_str(obj, "type", &error_abort);
    g_assert_cmpstr(s, ==, TYPE_DOG);
    g_free(s);

    /* A class property, seen by instances of subclasses too. */
    s = object_property_get_str(obj, "breed", &error_abort);
    g_assert_cmpstr(s, ==, TYPE_DOG);
    g_free(s);
    {
        Object *puppy = object_new(TYPE_PUPPY);

        s = object_property_get_str(puppy, "breed", &error_abort);
        g_assert_cmpstr(s, ==, TYPE_PUPPY);
        g_free(s);
        object_unref(puppy);
    }

    /* Printing. */
    s = object_property_print(obj, "name", true, &error_abort);
    g_assert_cmpstr(s, ==, "\"rex\"");
    g_free(s);
    s = object_property_print(obj, "name", false, &error_abort);
    g_assert_cmpstr(s, ==, "rex");
    g_free(s);

    object_property_set_description(obj, "name", "the dog's name",
                                    &error_abort);
    g_assert_cmpstr(object_property_find(obj, "name", &error_abort)->
                    description, ==, "the dog's name");
    object_unref(obj);
}

static void test_property_bool(void)
{
    static const struct {
        const char *word;
        bool value;
    } words[] = {
        { "on", true }, { "yes", true }, { "true", true },
        { "ON", true }, { "Yes", true }, { "TRUE", true }, { "tRuE", true },
        { "off", false }, { "no", false }, { "false", false },
        { "OFF", false }, { "No", false }, { "FaLsE", false },
    };
    static const char *const bad[] = { "maybe", "1", "0", "", "y", "onn" };
    Object *obj = object_new(TYPE_DOG);
    Error *err = NULL;
    size_t i;

    object_property_set_bool(obj, true, "good", &error_abort);
    g_assert_true(DOG(obj)->good);
    g_assert_true(object_property_get_bool(obj, "good", &error_abort));
    object_property_set_bool(obj, false, "good", &error_abort);
    g_assert_false(object_property_get_bool(obj, "good", &error_abort));

    for (i = 0; i < G_N_ELEMENTS(words); i++) {
        DOG(obj)->good = !words[i].value;
        object_property_parse(obj, words[i].word, "good", &error_abort);
        g_assert_cmpint(DOG(obj)->good, ==, words[i].value);
    }
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        DOG(obj)->good = true;
        object_property_parse(obj, bad[i], "good", &err);
        qio_assert_error_contains(err, "Invalid parameter type for 'good', "
                                  "expected: boolean");
        error_free(err);
        err = NULL;
        g_assert_true(DOG(obj)->good);
    }
    g_assert_cmpstr(object_property_get_type(obj, "good", &error_abort), ==,
                    "bool");
    g_assert_false(object_property_get_bool(obj, "name", &err));
    qio_assert_error_contains(err, "expected: string");
    error_free(err);
    object_unref(obj);
}

static void test_property_enum(void)
{
    Object *obj = object_new(TYPE_DOG);
    Error *err = NULL;
    char *s;

    object_property_parse(obj, "large", "size", &error_abort);
    g_assert_cmpint(DOG(obj)->size, ==, 2);
    s = object_property_get_str(obj, "size", &error_abort);
    g_assert_cmpstr(s, ==, "large");
    g_free(s);
    object_property_set_str(obj, "small", "size", &error_abort);
    g_assert_cmpint(DOG(obj)->size, ==, 0);
    object_property_parse(obj, "medium", "size", &error_abort);
    g_assert_cmpint(object_property_get_enum(obj, "size", "TestDogSize",
                                             &error_abort), ==, 1);
    g_assert_cmpstr(object_property_get_type(obj, "size", &error_abort), ==,
                    "TestDogSize");

    /* Names are exact: no other spelling or index. */
    object_property_parse(obj, "huge", "size", &err);
    qio_assert_error_contains(err, "Invalid parameter 'huge'");
    error_free(err);
    err = NULL;
    object_property_parse(obj, "LARGE", "size", &err);
    qio_assert_error_contains(err, "Invalid parameter 'LARGE'");
    error_free(err);
    err = NULL;
    object_property_parse(obj, "2", "size", &err);
    qio_assert_error_contains(err, "Invalid parameter '2'");
    error_free(err);
    err = NULL;
    g_assert_cmpint(DOG(obj)->size, ==, 1);

    g_assert_cmpint(object_property_get_enum(obj, "size", "OtherEnum", &err),
                    ==, -1);
    qio_assert_error_contains(err, "not a 'OtherEnum' enum");
    error_free(err);
    err = NULL;
    object_property_set_int(obj, 1, "size", &err);
    qio_assert_error_contains(err, "expected: string");
    error_free(err);
    err = NULL;

    /* A getter returning a value outside the table. */
    DOG(obj)->size = 3;
    g_assert_null(object_property_get_str(obj, "size", &err));
    qio_assert_error_contains(err, "outside its enum");
    error_free(err);
    object_unref(obj);
}

static void test_property_int(void)
{
    static const struct {
        const char *text;
        int64_t value;
    } good_age[] = {
        { "0", 0 }, { "7", 7 }, { "255", 255 }, { "0x10", 16 },
    };
    static const char *const bad_age[] = {
        "256", "-1", "12abc", "", " 5", "abc", "99999999999999999999",
    };
    Object *obj = object_new(TYPE_DOG);
    Error *err = NULL;
    size_t i;
    char *s;

    object_property_set_int(obj, 42, "age", &error_abort);
    g_assert_cmpint(DOG(obj)->age, ==, 42);
    g_assert_cmpint(object_property_get_int(obj, "age", &error_abort), ==,
                    42);
    for (i = 0; i < G_N_ELEMENTS(good_age); i++) {
        object_property_parse(obj, good_age[i].text, "age", &error_abort);
        g_assert_cmpint(DOG(obj)->age, ==, good_age[i].value);
    }
    DOG(obj)->age = 9;
    for (i = 0; i < G_N_ELEMENTS(bad_age); i++) {
        object_property_parse(obj, bad_age[i], "age", &err);
        qio_assert_error_contains(err, "Parameter 'age' expects an integer "
                                  "from 0 to 255");
        error_free(err);
        err = NULL;
    }
    object_property_set_int(obj, 256, "age", &err);
    qio_assert_error_contains(err, "expects an integer");
    error_free(err);
    err = NULL;
    object_property_set_int(obj, -3, "age", &err);
    qio_assert_error_contains(err, "expects an integer");
    error_free(err);
    err = NULL;
    g_assert_cmpint(DOG(obj)->age, ==, 9);

    /* Signed, full int64 range. */
    object_property_parse(obj, "-5", "score", &error_abort);
    g_assert_cmpint(object_property_get_int(obj, "score", &error_abort), ==,
                    -5);
    object_property_set_int(obj, INT64_MIN, "score", &error_abort);
    g_assert_cmpint(DOG(obj)->score, ==, INT64_MIN);
    object_property_parse(obj, "9223372036854775807", "score", &error_abort);
    g_assert_cmpint(DOG(obj)->score, ==, INT64_MAX);
    object_property_parse(obj, "9223372036854775808", "score", &err);
    qio_assert_error_contains(err, "expects an integer");
    error_free(err);
    err = NULL;
    g_assert_cmpint(DOG(obj)->score, ==, INT64_MAX);

    s = object_property_print(obj, "age", true, &error_abort);
    g_assert_cmpstr(s, ==, "9 (0x9)");
    g_free(s);

    /* Read-only integer backed by a variable. */
    g_assert_cmpint(object_property_get_int(obj, "tail", &error_abort), ==, 7);
    DOG(obj)->tail = 4000000000u;
    g_assert_cmpint(object_property_get_int(obj, "tail", &error_abort), ==,
                    4000000000ll);
    object_property_set_int(obj, 1, "tail", &err);
    qio_assert_error_contains(err, "read-only");
    error_free(err);
    err = NULL;

    /* Kind checks. */
    g_assert_cmpint(object_property_get_int(obj, "name", &err), ==, -1);
    qio_assert_error_contains(err, "expected: string");
    error_free(err);
    err = NULL;
    object_property_set_str(obj, "3", "age", &err);
    qio_assert_error_contains(err, "expected: integer");
    error_free(err);
    object_unref(obj);
}

static int release_count;

static void counted_get(Object *obj, char **value, void *opaque,
                        const char *name, Error **errp)
{
    *value = g_strdup(opaque);
}

static void counted_release(Object *obj, const char *name, void *opaque)
{
    release_count++;
}

static void test_property_generic(void)
{
    Object *obj = object_new(TYPE_CAT);
    ObjectPropertyIterator *iter;
    ObjectProperty *prop;
    Error *err = NULL;
    GHashTable *seen;
    char *s;

    release_count = 0;
    prop = object_property_add(obj, "colour", "custom-colour", counted_get,
                               NULL, counted_release, (void *)"tabby",
                               &error_abort);
    g_assert_nonnull(prop);
    g_assert_true(object_property_find(obj, "colour", &error_abort) == prop);
    s = object_property_get(obj, "colour", &error_abort);
    g_assert_cmpstr(s, ==, "tabby");
    g_free(s);
    s = object_property_get_str(obj, "colour", &error_abort);
    g_assert_cmpstr(s, ==, "tabby");
    g_free(s);

    /* Duplicates are refused; "[*]" picks the next free index. */
    g_assert_null(object_property_add(obj, "colour", "x", counted_get, NULL,
                                      NULL, NULL, &err));
    qio_assert_error_contains(err, "attempt to add duplicate property "
                              "'colour' to object (type 'test-cat')");
    error_free(err);
    err = NULL;
    prop = object_property_add(obj, "slot[*]", "x", counted_get, NULL,
                               counted_release, (void *)"a", &error_abort);
    g_assert_cmpstr(prop->name, ==, "slot[0]");
    prop = object_property_add(obj, "slot[*]", "x", counted_get, NULL,
                               counted_release, (void *)"b", &error_abort);
    g_assert_cmpstr(prop->name, ==, "slot[1]");
    object_property_del(obj, "slot[0]", &error_abort);
    g_assert_cmpint(release_count, ==, 1);
    prop = object_property_add(obj, "slot[*]", "x", counted_get, NULL,
                               counted_release, (void *)"c", &error_abort);
    g_assert_cmpstr(prop->name, ==, "slot[0]");

    object_property_del(obj, "colour", &error_abort);
    g_assert_cmpint(release_count, ==, 2);
    g_assert_null(object_property_find(obj, "colour", &err));
    qio_assert_error_contains(err, "Property '.colour' not found");
    error_free(err);
    err = NULL;
    object_property_del(obj, "colour", &err);
    qio_assert_error_contains(err, "Property '.colour' not found");
    error_free(err);
    err = NULL;

    /* Write-only and read-only through the generic calls. */
    g_assert_null(object_property_get(obj, "nope", &err));
    qio_assert_error_contains(err, "not found");
    error_free(err);
    err = NULL;
    object_property_set(obj, "x", "slot[1]", &err);
    qio_assert_error_contains(err, "read-only");
    error_free(err);
    err = NULL;

    iter = object_property_iter_init(obj);
    seen = g_hash_table_new(g_str_hash, g_str_equal);
    while ((prop = object_property_iter_next(iter))) {
        g_hash_table_add(seen, prop->name);
    }
    object_property_iter_free(iter);
    g_assert_true(g_hash_table_contains(seen, "type"));
    g_assert_true(g_hash_table_contains(seen, "slot[0]"));
    g_assert_true(g_hash_table_contains(seen, "slot[1]"));
    g_assert_cmpint(g_hash_table_size(seen), ==, 3);
    g_hash_table_destroy(seen);

    /* Finalization releases what is left. */
    object_unref(obj);
    g_assert_cmpint(release_count, ==, 4);
}

static int count_child(Object *child, void *opaque)
{
    (*(int *)opaque)++;
    return 0;
}

static int stop_at_cat(Object *child, void *opaque)
{
    return object_dynamic_cast(child, TYPE_CAT) ? 42 : 0;
}

static int unparent_child(Object *child, void *opaque)
{
    object_unparent(child);
    return 0;
}

static void test_children(void)
{
    Object *box = object_new(TYPE_CONTAINER);
    Object *dog = object_new(TYPE_DOG);
    Object *cat = object_new(TYPE_CAT);
    Object *kept;
    Error *err = NULL;
    int n = 0;
    char *s;

    object_property_add_child(box, "rex", dog, &error_abort);
    g_assert_cmpint(dog->ref, ==, 2);
    g_assert_true(dog->parent == box);
    object_unref(dog);
    object_property_add_child(dog, "tom", cat, &error_abort);
    object_unref(cat);

    g_assert_cmpstr(object_property_get_type(box, "rex", &error_abort), ==,
                    "child<test-dog>");
    s = object_get_canonical_path_component(dog);
    g_assert_cmpstr(s, ==, "rex");
    g_free(s);
    g_assert_null(object_get_canonical_path_component(box));
    g_assert_true(object_resolve_path_component(box, "rex") == dog);
    g_assert_true(object_resolve_path_component(dog, "tom") == cat);
    g_assert_null(object_resolve_path_component(box, "nobody"));
    /* A property that is not a child does not resolve. */
    g_assert_null(object_resolve_path_component(dog, "name"));
    /* Not in the tree under the root: no canonical path. */
    g_assert_null(object_get_canonical_path(cat));

    /* Errors: duplicate name, already parented. */
    kept = object_new(TYPE_CAT);
    object_property_add_child(box, "rex", kept, &err);
    qio_assert_error_contains(err, "duplicate property 'rex'");
    error_free(err);
    err = NULL;
    g_assert_null(kept->parent);
    object_property_add_child(box, "tom2", cat, &err);
    qio_assert_error_contains(err, "already parented");
    error_free(err);
    err = NULL;

    object_property_add_child(box, "felix", kept, &error_abort);
    object_child_foreach(box, count_child, &n);
    g_assert_cmpint(n, ==, 2);
    n = 0;
    object_child_foreach_recursive(box, count_child, &n);
    g_assert_cmpint(n, ==, 3);
    g_assert_cmpint(object_child_foreach_recursive(box, stop_at_cat, NULL),
                    ==, 42);

    /* Unparenting with another reference held keeps the object alive. */
    g_assert_cmpint(kept->ref, ==, 2);
    object_unparent(kept);
    g_assert_null(kept->parent);
    g_assert_null(object_resolve_path_component(box, "felix"));
    g_assert_cmpint(kept->ref, ==, 1);
    object_unparent(kept);
    object_unref(kept);

    /* Unparenting with the parent holding the only reference frees it. */
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 2);
    events_reset();
    object_unparent(cat);
    g_assert_cmpstr(events->str, ==, "fin:animal");
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 1);

    /* Finalizing a parent releases its children. */
    object_unref(box);
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 0);

    /* The walk survives its callback unparenting children. */
    box = object_new(TYPE_CONTAINER);
    for (n = 0; n < 5; n++) {
        char *name = g_strdup_printf("cat%d", n);

        kept = object_new(TYPE_CAT);
        object_property_add_child(box, name, kept, &error_abort);
        object_unref(kept);
        g_free(name);
    }
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 5);
    g_assert_cmpint(object_child_foreach(box, unparent_child, NULL), ==, 0);
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 0);
    n = 0;
    object_child_foreach(box, count_child, &n);
    g_assert_cmpint(n, ==, 0);
    object_unref(box);
}

static void test_containers(void)
{
    Object *root = object_get_root();
    Object *objects = object_get_objects_root();
    Object *deep, *dog;
    bool ambiguous = true;
    char *s;

    g_assert_true(object_get_root() == root);
    g_assert_cmpstr(object_get_typename(root), ==, TYPE_CONTAINER);
    g_assert_cmpstr(object_get_typename(objects), ==, TYPE_CONTAINER);
    g_assert_true(object_get_objects_root() == objects);
    g_assert_true(container_get(root, "/objects") == objects);
    g_assert_true(object_resolve_path_component(root, "objects") == objects);
    g_assert_true(object_resolve_path("/objects", NULL) == objects);
    g_assert_true(object_resolve_path("/", NULL) == root);
    s = object_get_canonical_path(objects);
    g_assert_cmpstr(s, ==, "/objects");
    g_free(s);
    s = object_get_canonical_path(root);
    g_assert_cmpstr(s, ==, "/");
    g_free(s);

    deep = container_get(root, "/test-qom/a/b");
    g_assert_true(container_get(root, "/test-qom/a/b") == deep);
    g_assert_true(container_get(root, "test-qom//a/b/") == deep);
    s = object_get_canonical_path(deep);
    g_assert_cmpstr(s, ==, "/test-qom/a/b");
    g_free(s);

    dog = object_new(TYPE_DOG);
    object_property_add_child(deep, "rex", dog, &error_abort);
    object_unref(dog);
    g_assert_true(object_resolve_path("/test-qom/a/b/rex", NULL) == dog);
    g_assert_true(object_resolve_path("rex", &ambiguous) == dog);
    g_assert_false(ambiguous);
    g_assert_true(object_resolve_path("b/rex", NULL) == dog);
    g_assert_true(object_resolve_path_type("rex", TYPE_ANIMAL, NULL) == dog);
    g_assert_null(object_resolve_path_type("rex", TYPE_CAT, NULL));
    g_assert_null(object_resolve_path("/test-qom/rex", NULL));
    g_assert_null(object_resolve_path("/test-qom/a/b/rex/nothing", NULL));

    /* A second "rex" elsewhere makes the partial path ambiguous. */
    dog = object_new(TYPE_PUPPY);
    object_property_add_child(container_get(root, "/test-qom/a"), "rex", dog,
                              &error_abort);
    object_unref(dog);
    g_assert_null(object_resolve_path("rex", &ambiguous));
    g_assert_true(ambiguous);
    g_assert_true(object_resolve_path_type("rex", TYPE_PUPPY, &ambiguous) ==
                  dog);
    g_assert_false(ambiguous);

    object_unparent(container_get(root, "/test-qom"));
    g_assert_null(object_resolve_path("/test-qom", NULL));
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 0);
}

static void refuse_cats(Object *obj, const char *name, Object *val,
                        Error **errp)
{
    if (val && object_dynamic_cast(val, TYPE_CAT)) {
        error_setg(errp, "no cats as friends");
    }
}

static void test_links(void)
{
    Object *box = container_get(object_get_root(), "/test-qom-links");
    Object *dog = object_new(TYPE_DOG);
    Object *other = object_new(TYPE_PUPPY);
    Object *gadget = object_new(TYPE_GADGET);
    Object *cat = object_new(TYPE_CAT);
    Object *guarded = NULL;
    Error *err = NULL;
    char *s;

    object_property_add_child(box, "dog", dog, &error_abort);
    object_property_add_child(box, "other", other, &error_abort);
    object_property_add_child(box, "gadget", gadget, &error_abort);
    object_property_add_child(box, "cat", cat, &error_abort);
    object_unref(other);
    object_unref(gadget);
    object_unref(cat);

    g_assert_cmpstr(object_property_get_type(dog, "friend", &error_abort),
                    ==, "link<test-animal>");
    g_assert_null(object_property_get_link(dog, "friend", &error_abort));
    s = object_property_get_str(dog, "friend", &error_abort);
    g_assert_cmpstr(s, ==, "");
    g_free(s);

    object_property_set_link(dog, other, "friend", &error_abort);
    g_assert_true(DOG(dog)->friend == other);
    g_assert_cmpint(other->ref, ==, 2);
    g_assert_true(object_property_get_link(dog, "friend", &error_abort) ==
                  other);
    s = object_property_get_str(dog, "friend", &error_abort);
    g_assert_cmpstr(s, ==, "/test-qom-links/other");
    g_free(s);
    /* Links take part in path resolution. */
    g_assert_true(object_resolve_path("/test-qom-links/dog/friend", NULL) ==
                  other);

    /* Wrong type, unknown path: refused, link unchanged. */
    object_property_set_str(dog, "/test-qom-links/gadget", "friend", &err);
    qio_assert_error_contains(err, "expected: test-animal");
    error_free(err);
    err = NULL;
    object_property_set_str(dog, "/test-qom-links/nobody", "friend", &err);
    qio_assert_error_contains(err, "'/test-qom-links/nobody' not found");
    error_free(err);
    err = NULL;
    g_assert_true(DOG(dog)->friend == other);

    /* Setting by text, then clearing. */
    object_property_set_str(dog, "/test-qom-links/cat", "friend",
                            &error_abort);
    g_assert_true(DOG(dog)->friend == cat);
    g_assert_cmpint(other->ref, ==, 1);
    g_assert_cmpint(cat->ref, ==, 2);
    object_property_set_link(dog, NULL, "friend", &error_abort);
    g_assert_null(DOG(dog)->friend);
    g_assert_cmpint(cat->ref, ==, 1);

    /* A check hook may veto. */
    object_property_add_link(other, "pal", TYPE_ANIMAL, &guarded,
                             refuse_cats, 0, &error_abort);
    object_property_set_link(other, cat, "pal", &err);
    qio_assert_error_contains(err, "no cats as friends");
    error_free(err);
    err = NULL;
    g_assert_null(guarded);
    object_property_set_link(other, dog, "pal", &error_abort);
    g_assert_true(guarded == dog);
    g_assert_cmpint(dog->ref, ==, 3);
    /* Without UNREF_ON_RELEASE the reference stays with the caller. */
    object_property_del(other, "pal", &error_abort);
    g_assert_cmpint(dog->ref, ==, 3);
    object_unref(guarded);

    /* With UNREF_ON_RELEASE, finalizing the dog drops its friend. */
    object_property_set_link(dog, other, "friend", &error_abort);
    g_assert_cmpint(other->ref, ==, 2);
    object_unref(dog);
    object_unparent(dog);
    g_assert_cmpint(other->ref, ==, 1);

    object_unparent(box);
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 0);
    g_assert_cmpint(g_atomic_int_get(&live_gadgets), ==, 0);
}

static void test_new_with_props(void)
{
    Object *objects = object_get_objects_root();
    Error *err = NULL;
    Object *obj;
    Gadget *gadget;

    obj = object_new_with_props(TYPE_GADGET, objects, "gadget0", &err,
                                "label", "first", "enabled", "yes",
                                "mode", "fast", NULL);
    qio_assert_no_error(err);
    g_assert_nonnull(obj);
    gadget = GADGET(obj);
    g_assert_cmpstr(gadget->label, ==, "first");
    g_assert_true(gadget->enabled);
    g_assert_cmpint(gadget->mode, ==, 1);
    g_assert_cmpint(gadget->completed, ==, 1);
    /* The parent holds the only reference. */
    g_assert_cmpint(obj->ref, ==, 1);
    g_assert_true(obj->parent == objects);
    g_assert_true(object_resolve_path_component(objects, "gadget0") == obj);
    g_assert_true(object_resolve_path("/objects/gadget0", NULL) == obj);

    /* Not user-creatable: no complete(), still added. */
    obj = object_new_with_props(TYPE_DOG, objects, "dog0", &error_abort,
                                "name", "rex", "good", "on", "size", "small",
                                "age", "3", NULL);
    g_assert_cmpstr(DOG(obj)->name, ==, "rex");
    g_assert_true(DOG(obj)->good);
    g_assert_cmpint(DOG(obj)->age, ==, 3);
    g_assert_cmpint(obj->ref, ==, 1);

    /* object_set_props on an existing object. */
    g_assert_cmpint(object_set_props(obj, &error_abort, "name", "max",
                                     "good", "NO", NULL), ==, 0);
    g_assert_cmpstr(DOG(obj)->name, ==, "max");
    g_assert_false(DOG(obj)->good);
    g_assert_cmpint(object_set_props(obj, &err, "good", "perhaps", NULL), ==,
                    -1);
    qio_assert_error_contains(err, "expected: boolean");
    error_free(err);
    err = NULL;

    /* A parent and an id are required. */
    g_assert_null(object_new_with_props(TYPE_GADGET, NULL, "orphan", &err,
                                        NULL));
    qio_assert_error_contains(err, "needs a parent and an id");
    error_free(err);
    err = NULL;
    g_assert_null(object_new_with_props(TYPE_GADGET, objects, NULL, &err,
                                        NULL));
    qio_assert_error_contains(err, "needs a parent and an id");
    error_free(err);
    err = NULL;

    object_unparent(obj);
    events_reset();
    object_unparent(OBJECT(gadget));
    g_assert_cmpstr(events->str, ==, "fin:gadget");
    g_assert_cmpint(g_atomic_int_get(&live_gadgets), ==, 0);
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 0);
}

typedef struct PropsFailure {
    const char *what;
    const char *typename;
    const char *id;
    const char *prop;
    const char *value;
    const char *message;
    bool created;
} PropsFailure;

static const PropsFailure props_failures[] = {
    { "unknown type", "test-no-such-type", "bad0", "label", "x",
      "invalid object type: test-no-such-type", false },
    { "abstract type", TYPE_ANIMAL, "bad1", "name", "x",
      "object type 'test-animal' is abstract", false },
    { "bad bool", TYPE_GADGET, "bad2", "enabled", "sometimes",
      "Invalid parameter type for 'enabled', expected: boolean", true },
    { "bad enum", TYPE_GADGET, "bad3", "mode", "medium",
      "Invalid parameter 'medium'", true },
    { "unknown property", TYPE_GADGET, "bad4", "colour", "red",
      "Property '.colour' not found", true },
    { "duplicate id", TYPE_GADGET, "taken", "label", "second",
      "attempt to add duplicate property 'taken'", true },
    { "complete fails", TYPE_GADGET, "bad5", "fail", "on",
      "gadget '?' refused to complete", true },
};

static void test_new_with_props_failure(gconstpointer opaque)
{
    const PropsFailure *f = opaque;
    Object *objects = object_get_objects_root();
    Object *taken, *obj;
    Error *err = NULL;

    taken = object_new_with_props(TYPE_GADGET, objects, "taken",
                                  &error_abort, "label", "first", NULL);
    g_assert_cmpint(g_atomic_int_get(&live_gadgets), ==, 1);
    events_reset();

    obj = object_new_with_props(f->typename, objects, f->id, &err,
                                f->prop, f->value, NULL);
    g_assert_null(obj);
    qio_assert_error_contains(err, f->message);
    error_free(err);

    /* Nothing left behind: the failed object was finalized... */
    g_assert_cmpint(g_atomic_int_get(&live_gadgets), ==, 1);
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 0);
    g_assert_cmpstr(events->str, ==, f->created ? "fin:gadget" : "");
    /* ...and is not reachable by its id; the holder of the id is intact. */
    if (strcmp(f->id, "taken") != 0) {
        g_assert_null(object_resolve_path_component(objects, f->id));
    }
    g_assert_true(object_resolve_path_component(objects, "taken") == taken);
    g_assert_cmpstr(GADGET(taken)->label, ==, "first");

    object_unparent(taken);
    g_assert_cmpint(g_atomic_int_get(&live_gadgets), ==, 0);
}

static int module_calls[4];
static int module_order_pos;

static void module_fn_late(void)
{
    module_calls[2]++;
}

static void module_fn_a(void)
{
    module_calls[0]++;
    g_assert_cmpint(module_order_pos++ % 2, ==, 0);
}

static void module_fn_b(void)
{
    module_calls[1]++;
    g_assert_cmpint(module_order_pos++ % 2, ==, 1);
    if (module_calls[1] == 1) {
        /* Registered during a run: runs from the next call on. */
        register_module_init(module_fn_late, MODULE_INIT_BLOCK);
    }
}

static void test_module_init(void)
{
    register_module_init(module_fn_a, MODULE_INIT_BLOCK);
    register_module_init(module_fn_b, MODULE_INIT_BLOCK);

    module_call_init(MODULE_INIT_MACHINE);
    g_assert_cmpint(module_calls[0], ==, 0);

    module_call_init(MODULE_INIT_BLOCK);
    g_assert_cmpint(module_calls[0], ==, 1);
    g_assert_cmpint(module_calls[1], ==, 1);
    g_assert_cmpint(module_calls[2], ==, 0);

    module_call_init(MODULE_INIT_BLOCK);
    g_assert_cmpint(module_calls[0], ==, 2);
    g_assert_cmpint(module_calls[1], ==, 2);
    g_assert_cmpint(module_calls[2], ==, 1);

    /* This program's own type_init() was run by qio_test_init(). */
    g_assert_nonnull(object_class_by_name(TYPE_GADGET));
}

/* Thread safety */

#define THREAD_TYPES 8
#define THREADS 4

typedef struct ThreadData {
    Object *shared;
    char **typenames;
    int iterations;
    int index;
} ThreadData;

static gpointer thread_worker(gpointer opaque)
{
    ThreadData *td = opaque;
    int i, j;

    for (i = 0; i < td->iterations; i++) {
        const char *name = td->typenames[(i + td->index) % THREAD_TYPES];
        ObjectClass *oc = object_class_by_name(name);
        Object *obj;

        g_assert_nonnull(oc);
        obj = object_new(name);
        g_assert_true(object_get_class(obj) == oc);
        g_assert_true(ANIMAL(obj) == (Animal *)obj);
        g_assert_true(object_dynamic_cast(obj, TYPE_PET) == obj);
        g_assert_true(OBJECT_CLASS(PET_GET_CLASS(obj)) ==
                      object_class_dynamic_cast(oc, TYPE_PET));
        object_unref(obj);

        object_ref(td->shared);
        g_assert_nonnull(DOG(td->shared));
        object_unref(td->shared);
        for (j = 0; j < 64; j++) {
            object_ref(td->shared);
            object_unref(td->shared);
        }

        g_assert_null(object_class_by_name("test-thread-missing"));
        if (i % 16 == 0) {
            /* Registration while others look types up. */
            char *own = g_strdup_printf("test-thread-own-%d-%d", td->index,
                                        i);
            TypeInfo info = {
                .name = own,
                .parent = TYPE_CAT,
            };

            type_register(&info);
            g_free(own);
        }
    }
    return NULL;
}

static void test_threads(void)
{
    ThreadData td[THREADS];
    GThread *threads[THREADS];
    char *typenames[THREAD_TYPES];
    Object *shared = object_new(TYPE_DOG);
    int iterations = qio_test_under_valgrind() ? 100 : 2000;
    int i;

    /*
     * Fresh types whose classes nobody has initialized yet, so that the
     * threads race to initialize them, parents and interfaces included.
     */
    for (i = 0; i < THREAD_TYPES; i++) {
        TypeInfo info = {
            .parent = i % 2 ? TYPE_PUPPY : TYPE_DOG,
        };

        typenames[i] = g_strdup_printf("test-thread-type-%d", i);
        info.name = typenames[i];
        type_register(&info);
    }

    for (i = 0; i < THREADS; i++) {
        td[i].shared = shared;
        td[i].typenames = typenames;
        td[i].iterations = iterations;
        td[i].index = i;
        threads[i] = g_thread_new("qom-test", thread_worker, &td[i]);
    }
    for (i = 0; i < THREADS; i++) {
        g_thread_join(threads[i]);
    }

    g_assert_cmpint(shared->ref, ==, 1);
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 1);
    object_unref(shared);
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 0);
    for (i = 0; i < THREADS; i++) {
        char *own = g_strdup_printf("test-thread-own-%d-16", i);

        g_assert_nonnull(object_class_by_name(own));
        g_free(own);
    }
    for (i = 0; i < THREAD_TYPES; i++) {
        g_free(typenames[i]);
    }
}

typedef struct RefHammer {
    Object *obj;
    int count;
    gint *start;
} RefHammer;

static gpointer ref_hammer(gpointer opaque)
{
    RefHammer *rh = opaque;
    int i;

    /* Start together, to maximise contention on the counter. */
    g_atomic_int_inc(rh->start);
    while (g_atomic_int_get(rh->start) < THREADS) {
        g_thread_yield();
    }
    for (i = 0; i < rh->count; i++) {
        object_ref(rh->obj);
    }
    for (i = 0; i < rh->count; i++) {
        object_unref(rh->obj);
    }
    return NULL;
}

/*
 * Concurrent references on one object: a lost increment or decrement
 * would leave the count off by the end (or finalize the object early).
 */
static void test_threads_refcount(void)
{
    RefHammer rh[THREADS];
    GThread *threads[THREADS];
    Object *obj = object_new(TYPE_CAT);
    gint start = 0;
    int i;

    for (i = 0; i < THREADS; i++) {
        rh[i].obj = obj;
        rh[i].count = qio_test_under_valgrind() ? 10000 : 500000;
        rh[i].start = &start;
        threads[i] = g_thread_new("qom-ref", ref_hammer, &rh[i]);
    }
    for (i = 0; i < THREADS; i++) {
        g_thread_join(threads[i]);
    }
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 1);
    g_assert_cmpint(obj->ref, ==, 1);
    object_unref(obj);
    g_assert_cmpint(g_atomic_int_get(&live_animals), ==, 0);
}

int main(int argc, char **argv)
{
    size_t i;
    int ret;

    events = g_string_new(NULL);
    qio_test_init(&argc, &argv);

    qio_test_add_func("/qom/type/hierarchy", test_hierarchy);
    qio_test_add_func("/qom/type/interfaces", test_interfaces);
    qio_test_add_func("/qom/type/abstract", test_abstract);
    qio_test_add_func("/qom/type/unknown", test_unknown_type);
    qio_test_add_func("/qom/type/conflicting-registration",
                      test_conflicting_registration);
    qio_test_add_func("/qom/cast/bad-object", test_bad_cast_object);
    qio_test_add_func("/qom/cast/bad-class", test_bad_cast_class);
    qio_test_add_func("/qom/cast/bad-interface", test_bad_cast_interface);
    qio_test_add_func("/qom/object/init-finalize-order",
                      test_init_finalize_order);
    qio_test_add_func("/qom/property/str", test_property_str);
    qio_test_add_func("/qom/property/bool", test_property_bool);
    qio_test_add_func("/qom/property/enum", test_property_enum);
    qio_test_add_func("/qom/property/int", test_property_int);
    qio_test_add_func("/qom/property/generic", test_property_generic);
    qio_test_add_func("/qom/tree/children", test_children);
    qio_test_add_func("/qom/tree/containers", test_containers);
    qio_test_add_func("/qom/tree/links", test_links);
    qio_test_add_func("/qom/new-with-props/success", test_new_with_props);
    for (i = 0; i < G_N_ELEMENTS(props_failures); i++) {
        char *path = g_strdup_printf("/qom/new-with-props/failure/%s",
                                     props_failures[i].what);

        g_strdelimit(path + strlen("/qom/new-with-props/failure/"), " ",
                     '-');
        qio_test_add_data_func(path, &props_failures[i],
                               test_new_with_props_failure);
        g_free(path);
    }
    qio_test_add_func("/qom/module/init", test_module_init);
    qio_test_add_func("/qom/threads/types", test_threads);
    qio_test_add_func("/qom/threads/refcount", test_threads_refcount);

    ret = g_test_run();
    g_string_free(events, TRUE);
    return ret;
}
