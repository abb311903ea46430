/*
 * QemuOpts: named groups of typed "name=value" options, as QEMU keeps its
 * command line settings, and the parser for "id=x,key=val,flag" strings.
 *
 * Scope, compared with QEMU 2.5's header of the same name: the types and
 * the calls that socket code and its callers use are here with QEMU's
 * names and signatures; the rest (help printing, QDict conversion,
 * qemu_opt_foreach(), the *_del getters, ...) is left out.  Like QEMU, this
 * is not thread-safe: a #QemuOptsList and everything created from it must
 * be used by one thread at a time.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_OPTION_H
#define QEMU_OPTION_H

#include <stdbool.h>
#include <stdint.h>

#include "qemu/queue.h"
#include "qemu/typedefs.h"

/**
 * QemuOpt:
 *
 * One opaque option of a #QemuOpts.
 */
typedef struct QemuOpt QemuOpt;

/**
 * QemuOpts:
 *
 * An opaque group of options, with an optional id, belonging to a
 * #QemuOptsList.
 */
typedef struct QemuOpts QemuOpts;

typedef struct QemuOptsList QemuOptsList;

/**
 * QemuOptType:
 * @QEMU_OPT_STRING: any text, stored as given
 * @QEMU_OPT_BOOL: "on" or "off"; "yes"/"no" and "true"/"false" are
 *                 accepted too (QEMU 2.5 took only "on" and "off")
 * @QEMU_OPT_NUMBER: an unsigned 64-bit integer, in decimal, hexadecimal
 *                   ("0x" prefix) or octal ("0" prefix)
 * @QEMU_OPT_SIZE: a byte count: a decimal number, possibly with a
 *                 fraction, followed by an optional suffix: "b" for
 *                 bytes, or k, M, G, T, P or E (either case) for powers
 *                 of 1024 (QEMU 2.5 knew k, K, M, G, T and b only)
 *
 * How the value of an option is checked when it is set.
 */
enum QemuOptType {
    QEMU_OPT_STRING = 0,
    QEMU_OPT_BOOL,
    QEMU_OPT_NUMBER,
    QEMU_OPT_SIZE,
};

/**
 * QemuOptDesc:
 * @name: the option name; NULL ends a #QemuOptsList's @desc array
 * @type: how values are checked
 * @help: a one-line description for humans, or NULL
 * @def_value_str: the value the getters see while the option is not set,
 *                 or NULL for none; it must be valid for @type
 *
 * Describes one option a #QemuOptsList accepts.
 */
typedef struct QemuOptDesc {
    const char *name;
    enum QemuOptType type;
    const char *help;
    const char *def_value_str;
} QemuOptDesc;

/**
 * QemuOptsList:
 * @name: the name of the list, used in error messages
 * @implied_opt_name: the option a bare first element of a string given to
 *                    qemu_opts_parse() sets, or NULL
 * @merge_lists: true when every qemu_opts_create() for an id (or for no
 *               id) returns the same #QemuOpts instead of failing or
 *               adding another
 * @head: the #QemuOpts created from this list; initialize it with
 *        QTAILQ_HEAD_INITIALIZER()
 * @desc: the options the list accepts, ended by an entry whose name is
 *        NULL.  When the array holds only that end marker, any option
 *        name is accepted and values are stored unchecked as strings.
 *
 * A family of option groups, usually a static variable.  Groups created
 * from it stay on @head until qemu_opts_del() removes them.
 */
struct QemuOptsList {
    const char *name;
    const char *implied_opt_name;
    bool merge_lists;
    QTAILQ_HEAD(, QemuOpts) head;
    QemuOptDesc desc[];
};

/**
 * qemu_opt_get:
 * @opts: the options
 * @name: the option name
 *
 * Looks up an option's value as text.  The pointer stays valid until the
 * option is set again or @opts is deleted.
 *
 * Returns: the value the option was set to; if it is not set, the
 * def_value_str of its #QemuOptDesc; NULL when it is not set and has no
 * default
 */
const char *qemu_opt_get(QemuOpts *opts, const char *name);

/**
 * qemu_opt_get_bool:
 * @opts: the options
 * @name: the option name
 * @defval: the value to return when the option has none
 *
 * Reads an option as a boolean.  Unlike QEMU, which aborted, a value that
 * is not a valid boolean (possible for an option of another type, or in a
 * list that accepts any option) gives @defval.
 *
 * Returns: the option's value, or its default value when it is not set;
 * @defval when it is neither set nor has a default, or when the value is
 * not a boolean
 */
bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool defval);

/**
 * qemu_opt_get_number:
 * @opts: the options
 * @name: the option name
 * @defval: the value to return when the option has none
 *
 * Reads an option as a number, as for %QEMU_OPT_NUMBER.  A value that is
 * not a valid number gives @defval.
 *
 * Returns: the option's value, or its default value when it is not set;
 * @defval when it is neither set nor has a default, or when the value is
 * not a number
 */
uint64_t qemu_opt_get_number(QemuOpts *opts, const char *name,
                             uint64_t defval);

/**
 * qemu_opt_get_size:
 * @opts: the options
 * @name: the option name
 * @defval: the value to return when the option has none
 *
 * Reads an option as a byte count, as for %QEMU_OPT_SIZE.  A value that
 * is not a valid size gives @defval.
 *
 * Returns: the option's value in bytes, or its default value when it is
 * not set; @defval when it is neither set nor has a default, or when the
 * value is not a size
 */
uint64_t qemu_opt_get_size(QemuOpts *opts, const char *name,
                           uint64_t defval);

/**
 * qemu_opt_set:
 * @opts: the options
 * @name: the option name
 * @value: the value as text; must not be NULL
 * @errp: pointer to a NULL-initialized error object
 *
 * Sets an option, replacing any value it had.  @name must be described
 * by the list's desc array (unless that array is empty), and @value must
 * be valid for the option's type.  On failure @opts is left unchanged.
 */
void qemu_opt_set(QemuOpts *opts, const char *name, const char *value,
                  Error **errp);

/**
 * qemu_opt_set_bool:
 * @opts: the options
 * @name: the option name
 * @val: the value
 * @errp: pointer to a NULL-initialized error object
 *
 * Sets an option to "on" or "off", as qemu_opt_set() does; this fails for
 * a %QEMU_OPT_NUMBER or %QEMU_OPT_SIZE option.
 */
void qemu_opt_set_bool(QemuOpts *opts, const char *name, bool val,
                       Error **errp);

/**
 * qemu_opt_set_number:
 * @opts: the options
 * @name: the option name
 * @val: the value
 * @errp: pointer to a NULL-initialized error object
 *
 * Sets an option to @val written in decimal, as qemu_opt_set() does; a
 * %QEMU_OPT_STRING option takes the text.  This fails for a %QEMU_OPT_BOOL
 * option, and for a negative @val when the option is a %QEMU_OPT_NUMBER
 * or %QEMU_OPT_SIZE, which hold unsigned values.
 */
void qemu_opt_set_number(QemuOpts *opts, const char *name, int64_t val,
                         Error **errp);

/**
 * qemu_opts_find:
 * @list: the list to search
 * @id: the id to look for, or NULL for a group created without one
 *
 * Returns: the first group of @list whose id is @id, or NULL if there is
 * none
 */
QemuOpts *qemu_opts_find(QemuOptsList *list, const char *id);

/**
 * qemu_opts_create:
 * @list: the list the group belongs to
 * @id: the group's id, or NULL.  An id starts with a letter, followed by
 *      letters, digits, '-', '.' and '_'.
 * @fail_if_exists: non-zero to fail when @list already has a group with
 *                  this (non-NULL) id, zero to return that group
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates an empty group of options and appends it to @list.  When
 * @list->merge_lists is set, an existing group with the same id (or, for a
 * NULL @id, the group without an id) is returned instead, whatever
 * @fail_if_exists says.
 *
 * Returns: the group, which stays owned by @list (free it with
 * qemu_opts_del()); NULL with @errp set when @id is malformed, or when it
 * is taken and @fail_if_exists asks to fail
 */
QemuOpts *qemu_opts_create(QemuOptsList *list, const char *id,
                           int fail_if_exists, Error **errp);

/**
 * qemu_opts_id:
 * @opts: the options
 *
 * Returns: the id @opts was created with, or NULL if it has none
 */
const char *qemu_opts_id(QemuOpts *opts);

/**
 * qemu_opts_del:
 * @opts: the options, or NULL
 *
 * Removes @opts from its list and frees it with all its options.  Does
 * nothing for NULL.
 */
void qemu_opts_del(QemuOpts *opts);

/**
 * qemu_opts_do_parse:
 * @opts: the options to add to
 * @params: a comma-separated list of elements, as for qemu_opts_parse()
 * @firstname: the option a first element without '=' sets, or NULL
 * @errp: pointer to a NULL-initialized error object
 *
 * Sets the options @params gives.  An "id=..." element is ignored: the id
 * of a group never changes.  Every element is checked before any is set,
 * so on failure @opts is left unchanged.
 */
void qemu_opts_do_parse(QemuOpts *opts, const char *params,
                        const char *firstname, Error **errp);

/**
 * qemu_opts_parse:
 * @list: the list the new group belongs to
 * @params: a comma-separated list of elements
 * @permit_abbrev: true to let a first element without '=' set the list's
 *                 implied_opt_name option (ignored when the list has
 *                 none)
 * @errp: pointer to a NULL-initialized error object
 *
 * Creates a group from a string such as "id=net0,host=localhost,ipv4".
 * An element "name=value" sets an option; in values, ",," stands for one
 * literal comma.  An element "name" sets the option to "on", and "noname"
 * sets option "name" to "off".  With @permit_abbrev, a first element with
 * no '=' before its end is the whole value of the implied option (so
 * "/tmp/a,,b,id=x" sets it to "/tmp/a,b").  "id=..." names the group, as
 * qemu_opts_create() does with @fail_if_exists set; a trailing comma is
 * allowed.  Every element is checked before the group is created or
 * changed.
 *
 * Returns: the group (for a list that merges, possibly an existing one
 * the options were added to), or NULL with @errp set when an element is
 * malformed, names an unknown option or has a bad value, or when the id
 * is malformed or taken
 */
QemuOpts *qemu_opts_parse(QemuOptsList *list, const char *params,
                          bool permit_abbrev, Error **errp);

#endif /* QEMU_OPTION_H */
