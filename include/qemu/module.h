/*
 * Module initialisation: functions registered at load time by constructors
 * and run later, by kind, through module_call_init().
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_MODULE_H
#define QEMU_MODULE_H

#include "qemu/compiler.h"

/**
 * module_init_type:
 * @MODULE_INIT_BLOCK: block driver registration
 * @MODULE_INIT_MACHINE: machine type registration
 * @MODULE_INIT_QAPI: QAPI command registration
 * @MODULE_INIT_QOM: QOM type registration (type_init())
 * @MODULE_INIT_OPTS: option group registration (opts_init()); Since: libqio
 *   0.1 (QEMU 2.5 has no such kind)
 * @MODULE_INIT_MAX: the number of kinds
 *
 * The kinds of initialisation function that module_call_init() runs
 * together.
 */
typedef enum {
    MODULE_INIT_BLOCK,
    MODULE_INIT_MACHINE,
    MODULE_INIT_QAPI,
    MODULE_INIT_QOM,
    MODULE_INIT_OPTS,
    MODULE_INIT_MAX
} module_init_type;

/*
 * Every module_init() use also defines a global anchor byte named after the
 * function.  libqio's build generates a table referring to the anchor of
 * every type_init()/block_init()/... in the library and util/module.c
 * refers to that table, so a program that links the static libqio.a and
 * calls module_call_init() also pulls in every object file that registers
 * something, constructors included.  The anchor is hidden so that it never
 * becomes part of the shared library's ABI.
 */
#define QEMU_MODULE_ANCHOR(function) glue(qio_module_anchor_, function)

/**
 * module_init:
 * @function: a file-scope function taking and returning nothing; its name
 *   must be unique across the program (it also names the anchor symbol)
 * @type: the module_init_type it belongs to
 *
 * Registers @function, from a constructor that runs when the program or
 * library is loaded, to be called by module_call_init(@type).  Use it once,
 * at file scope, without a trailing semicolon.
 */
#define module_init(function, type)                                     \
    extern const char QEMU_MODULE_ANCHOR(function)                      \
        __attribute__((visibility("hidden")));                          \
    const char QEMU_MODULE_ANCHOR(function) = 1;                        \
    static void __attribute__((constructor))                            \
    glue(do_qemu_init_, function)(void)                                 \
    {                                                                   \
        register_module_init(function, type);                           \
    }

/**
 * block_init:
 * @function: the function to register for MODULE_INIT_BLOCK
 *
 * module_init() for block drivers.
 */
#define block_init(function) module_init(function, MODULE_INIT_BLOCK)

/**
 * machine_init:
 * @function: the function to register for MODULE_INIT_MACHINE
 *
 * module_init() for machine types.
 */
#define machine_init(function) module_init(function, MODULE_INIT_MACHINE)

/**
 * qapi_init:
 * @function: the function to register for MODULE_INIT_QAPI
 *
 * module_init() for QAPI commands.
 */
#define qapi_init(function) module_init(function, MODULE_INIT_QAPI)

/**
 * type_init:
 * @function: the function to register for MODULE_INIT_QOM, usually one
 *   that calls type_register_static() for the types of its file
 *
 * module_init() for QOM types: after module_call_init(MODULE_INIT_QOM) the
 * types are known to object_new() and object_class_by_name().
 */
#define type_init(function) module_init(function, MODULE_INIT_QOM)

/**
 * opts_init:
 * @function: the function to register for MODULE_INIT_OPTS
 *
 * module_init() for option groups.
 *
 * Since: libqio 0.1
 */
#define opts_init(function) module_init(function, MODULE_INIT_OPTS)

/**
 * register_module_init:
 * @fn: the initialisation function
 * @type: the kind it belongs to
 *
 * Appends @fn to the functions of kind @type.  Normally called from the
 * constructor that module_init() and its wrappers define.  Safe to call
 * from any thread, including from a function that module_call_init() is
 * running.
 */
void register_module_init(void (*fn)(void), module_init_type type);

/**
 * module_call_init:
 * @type: the kind of function to run
 *
 * Calls every function registered for @type, once each, in the order they
 * were registered.  Each call runs them all again; QOM type registration
 * tolerates that, since registering an identical #TypeInfo twice is
 * harmless.  Functions registered while the list runs are not called by
 * that run.
 */
void module_call_init(module_init_type type);

#endif /* QEMU_MODULE_H */
