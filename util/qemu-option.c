/*
 * QemuOpts: groups of typed options, their getters and setters, and the
 * parser for "id=x,key=val,flag" strings.
 *
 * Values are kept as the text they were set with, already checked against
 * the option's type; the getters convert that text when asked.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qemu/cutils.h"

struct QemuOpt {
    char *name;
    char *str;
    const QemuOptDesc *desc;
    QTAILQ_ENTRY(QemuOpt) next;
};

struct QemuOpts {
    char *id;
    QemuOptsList *list;
    QTAILQ_HEAD(, QemuOpt) head;
    QTAILQ_ENTRY(QemuOpts) next;
};

static bool parse_bool(const char *s, bool *out)
{
    if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true")) {
        *out = true;
        return true;
    }
    if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false")) {
        *out = false;
        return true;
    }
    return false;
}

static bool parse_number(const char *s, uint64_t *out)
{
    /* qemu_strtoull() would take blanks and a sign; neither is wanted. */
    if (!g_ascii_isdigit(*s)) {
        return false;
    }
    return qemu_strtoull(s, NULL, 0, out) == 0;
}

static bool parse_size(const char *s, uint64_t *out)
{
    static const char units[] = "kmgtpe";
    const char *end;
    const char *unit;
    uint64_t whole;
    uint64_t extra = 0;
    double frac = 0;
    int shift = 0;

    if (!g_ascii_isdigit(*s) || qemu_strtoull(s, &end, 10, &whole) < 0) {
        return false;
    }
    if (*end == '.') {
        double scale = 0.1;

        end++;
        if (!g_ascii_isdigit(*end)) {
            return false;
        }
        for (; g_ascii_isdigit(*end); end++) {
            frac += (*end - '0') * scale;
            scale /= 10;
        }
    }
    if (*end == 'b' || *end == 'B') {
        end++;
    } else if (*end && (unit = strchr(units, g_ascii_tolower(*end)))) {
        shift = 10 * (int)(unit - units + 1);
        end++;
    }
    if (*end != '\0' || whole > (UINT64_MAX >> shift)) {
        return false;
    }
    /* The fraction is below one unit, so it cannot reach 2^shift. */
    extra = (uint64_t)(frac * (double)((uint64_t)1 << shift));
    if ((whole << shift) > UINT64_MAX - extra) {
        return false;
    }
    *out = (whole << shift) + extra;
    return true;
}

static bool desc_is_empty(const QemuOptsList *list)
{
    return list->desc[0].name == NULL;
}

static const QemuOptDesc *find_desc(const QemuOptsList *list,
                                    const char *name)
{
    const QemuOptDesc *d;

    for (d = list->desc; d->name; d++) {
        if (!strcmp(d->name, name)) {
            return d;
        }
    }
    return NULL;
}

static QemuOpt *find_opt(QemuOpts *opts, const char *name)
{
    QemuOpt *opt;

    QTAILQ_FOREACH(opt, &opts->head, next) {
        if (!strcmp(opt->name, name)) {
            return opt;
        }
    }
    return NULL;
}

/*
 * Checks that @list knows @name and that @value suits its type; *@pdesc
 * receives the description, NULL in a list that accepts anything.
 */
static bool opt_check(const QemuOptsList *list, const char *name,
                      const char *value, const QemuOptDesc **pdesc,
                      Error **errp)
{
    const QemuOptDesc *desc = find_desc(list, name);
    const char *expected = NULL;
    uint64_t n;
    bool b;

    if (!desc) {
        if (!desc_is_empty(list)) {
            error_setg(errp, "unknown option '%s' for %s", name, list->name);
            return false;
        }
        *pdesc = NULL;
        return true;
    }
    switch (desc->type) {
    case QEMU_OPT_BOOL:
        if (!parse_bool(value, &b)) {
            expected = "'on' or 'off' (or yes/no, true/false)";
        }
        break;
    case QEMU_OPT_NUMBER:
        if (!parse_number(value, &n)) {
            expected = "a non-negative 64-bit integer";
        }
        break;
    case QEMU_OPT_SIZE:
        if (!parse_size(value, &n)) {
            expected = "a size in bytes, optionally suffixed with "
                       "k, M, G, T, P or E";
        }
        break;
    case QEMU_OPT_STRING:
    default:
        break;
    }
    if (expected) {
        error_setg(errp, "option '%s' expects %s, not '%s'", name, expected,
                   value);
        return false;
    }
    *pdesc = desc;
    return true;
}

/* Stores a value opt_check() accepted. */
static void opt_store(QemuOpts *opts, const char *name, const char *value,
                      const QemuOptDesc *desc)
{
    QemuOpt *opt = find_opt(opts, name);

    if (opt) {
        /* @value may point into the old text, so copy before freeing. */
        char *old = opt->str;

        opt->str = g_strdup(value);
        g_free(old);
        opt->desc = desc;
        return;
    }
    opt = g_new0(QemuOpt, 1);
    opt->name = g_strdup(name);
    opt->str = g_strdup(value);
    opt->desc = desc;
    QTAILQ_INSERT_TAIL(&opts->head, opt, next);
}

const char *qemu_opt_get(QemuOpts *opts, const char *name)
{
    QemuOpt *opt = find_opt(opts, name);
    const QemuOptDesc *desc;

    if (opt) {
        return opt->str;
    }
    desc = find_desc(opts->list, name);
    return desc ? desc->def_value_str : NULL;
}

bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool defval)
{
    const char *s = qemu_opt_get(opts, name);
    bool v;

    return s && parse_bool(s, &v) ? v : defval;
}

uint64_t qemu_opt_get_number(QemuOpts *opts, const char *name,
                             uint64_t defval)
{
    const char *s = qemu_opt_get(opts, name);
    uint64_t v;

    return s && parse_number(s, &v) ? v : defval;
}

uint64_t qemu_opt_get_size(QemuOpts *opts, const char *name,
                           uint64_t defval)
{
    const char *s = qemu_opt_get(opts, name);
    uint64_t v;

    return s && parse_size(s, &v) ? v : defval;
}

void qemu_opt_set(QemuOpts *opts, const char *name, const char *value,
                  Error **errp)
{
    const QemuOptDesc *desc;

    assert(name && value);
    if (opt_check(opts->list, name, value, &desc, errp)) {
        opt_store(opts, name, value, desc);
    }
}

void qemu_opt_set_bool(QemuOpts *opts, const char *name, bool val,
                       Error **errp)
{
    qemu_opt_set(opts, name, val ? "on" : "off", errp);
}

void qemu_opt_set_number(QemuOpts *opts, const char *name, int64_t val,
                         Error **errp)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%" PRId64, val);
    qemu_opt_set(opts, name, buf, errp);
}

static bool id_is_valid(const char *id)
{
    const char *p;

    if (!g_ascii_isalpha(*id)) {
        return false;
    }
    for (p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

QemuOpts *qemu_opts_find(QemuOptsList *list, const char *id)
{
    QemuOpts *opts;

    QTAILQ_FOREACH(opts, &list->head, next) {
        if (g_strcmp0(opts->id, id) == 0) {
            return opts;
        }
    }
    return NULL;
}

QemuOpts *qemu_opts_create(QemuOptsList *list, const char *id,
                           int fail_if_exists, Error **errp)
{
    QemuOpts *opts;

    if (id && !id_is_valid(id)) {
        error_setg(errp, "invalid id '%s' for %s: an id starts with a "
                   "letter, followed by letters, digits, '-', '.' or '_'",
                   id, list->name);
        return NULL;
    }
    /* Several groups without an id may coexist unless the list merges. */
    if (id || list->merge_lists) {
        opts = qemu_opts_find(list, id);
        if (opts) {
            if (id && fail_if_exists && !list->merge_lists) {
                error_setg(errp, "duplicate id '%s' for %s", id, list->name);
                return NULL;
            }
            return opts;
        }
    }
    opts = g_new0(QemuOpts, 1);
    opts->id = g_strdup(id);
    opts->list = list;
    QTAILQ_INIT(&opts->head);
    QTAILQ_INSERT_TAIL(&list->head, opts, next);
    return opts;
}

const char *qemu_opts_id(QemuOpts *opts)
{
    return opts->id;
}

void qemu_opts_del(QemuOpts *opts)
{
    QemuOpt *opt, *next;

    if (!opts) {
        return;
    }
    QTAILQ_FOREACH_SAFE(opt, &opts->head, next, next) {
        QTAILQ_REMOVE(&opts->head, opt, next);
        g_free(opt->name);
        g_free(opt->str);
        g_free(opt);
    }
    QTAILQ_REMOVE(&opts->list->head, opts, next);
    g_free(opts->id);
    g_free(opts);
}

/*
 * Copies the rest of the current element of a parameter string into @out,
 * turning each ",," into ",".  Returns the position of the ',' that ends
 * the element, or of the terminating NUL.
 */
static const char *copy_value(const char *p, GString *out)
{
    for (; *p; p++) {
        if (*p == ',') {
            if (p[1] != ',') {
                break;
            }
            p++;
        }
        g_string_append_c(out, *p);
    }
    return p;
}

/*
 * Splits @params into name/value pairs, appended to @pairs as
 * alternating strings.  A first element without '=' sets @implied when
 * that is not NULL.  When @pid is not NULL, an "id=" element goes there
 * instead of into @pairs; otherwise it is dropped.
 */
static bool split_params(const char *params, const char *implied,
                         GPtrArray *pairs, char **pid, Error **errp)
{
    const char *p = params;
    bool first = true;
    bool ok = true;

    while (ok && *p) {
        size_t len = strcspn(p, "=,");
        GString *value = g_string_new(NULL);
        bool is_implied = false;
        bool is_flag = false;
        char *name;

        if (p[len] == '=') {
            name = g_strndup(p, len);
            p = copy_value(p + len + 1, value);
        } else if (first && implied) {
            is_implied = true;
            name = g_strdup(implied);
            p = copy_value(p, value);
        } else {
            bool off = len > 2 && !strncmp(p, "no", 2);

            is_flag = true;
            name = off ? g_strndup(p + 2, len - 2) : g_strndup(p, len);
            g_string_assign(value, off ? "off" : "on");
            /* ",," escapes a comma in values only, never in names. */
            ok = !(p[len] == ',' && p[len + 1] == ',');
            p += len;
        }

        if (!ok) {
            error_setg(errp, "option name in '%s' contains a comma", params);
        } else if (!*name) {
            error_setg(errp, "missing option name in '%s'", params);
            ok = false;
        } else if (is_implied || strcmp(name, "id") != 0) {
            g_ptr_array_add(pairs, name);
            g_ptr_array_add(pairs, g_string_free(value, FALSE));
            name = NULL;
            value = NULL;
        } else if (is_flag) {
            error_setg(errp, "option 'id' in '%s' needs a value", params);
            ok = false;
        } else if (pid && *pid) {
            error_setg(errp, "id given more than once in '%s'", params);
            ok = false;
        } else if (pid) {
            *pid = g_string_free(value, FALSE);
            value = NULL;
        }
        g_free(name);
        if (value) {
            g_string_free(value, TRUE);
        }
        if (*p == ',') {
            p++;
        }
        first = false;
    }
    return ok;
}

/* Checks every pair for @list, filling @descs in the same order. */
static bool check_pairs(const QemuOptsList *list, GPtrArray *pairs,
                        const QemuOptDesc **descs, Error **errp)
{
    guint i;

    for (i = 0; i < pairs->len; i += 2) {
        if (!opt_check(list, g_ptr_array_index(pairs, i),
                       g_ptr_array_index(pairs, i + 1), &descs[i / 2],
                       errp)) {
            return false;
        }
    }
    return true;
}

static void store_pairs(QemuOpts *opts, GPtrArray *pairs,
                        const QemuOptDesc **descs)
{
    guint i;

    for (i = 0; i < pairs->len; i += 2) {
        opt_store(opts, g_ptr_array_index(pairs, i),
                  g_ptr_array_index(pairs, i + 1), descs[i / 2]);
    }
}

void qemu_opts_do_parse(QemuOpts *opts, const char *params,
                        const char *firstname, Error **errp)
{
    GPtrArray *pairs = g_ptr_array_new_with_free_func(g_free);
    const QemuOptDesc **descs = NULL;

    if (split_params(params, firstname, pairs, NULL, errp)) {
        descs = g_new0(const QemuOptDesc *, pairs->len / 2 + 1);
        if (check_pairs(opts->list, pairs, descs, errp)) {
            store_pairs(opts, pairs, descs);
        }
    }
    g_free(descs);
    g_ptr_array_free(pairs, TRUE);
}

QemuOpts *qemu_opts_parse(QemuOptsList *list, const char *params,
                          bool permit_abbrev, Error **errp)
{
    GPtrArray *pairs = g_ptr_array_new_with_free_func(g_free);
    const char *implied = permit_abbrev ? list->implied_opt_name : NULL;
    const QemuOptDesc **descs = NULL;
    QemuOpts *opts = NULL;
    char *id = NULL;

    if (!split_params(params, implied, pairs, &id, errp)) {
        goto out;
    }
    descs = g_new0(const QemuOptDesc *, pairs->len / 2 + 1);
    if (!check_pairs(list, pairs, descs, errp)) {
        goto out;
    }
    opts = qemu_opts_create(list, id, 1, errp);
    if (opts) {
        store_pairs(opts, pairs, descs);
    }
out:
    g_free(id);
    g_free(descs);
    g_ptr_array_free(pairs, TRUE);
    return opts;
}
