/*
 * Tests for QemuOpts (include/qemu/option.h): groups, typed values with
 * their defaults and checks, and the parameter string parser.
 *
 * The lists are process-wide, so every case deletes the groups it made
 * and checks that its lists are empty again.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qio-test.h"

static QemuOptsList typed_list = {
    .name = "typed",
    .implied_opt_name = "path",
    .head = QTAILQ_HEAD_INITIALIZER(typed_list.head),
    .desc = {
        { .name = "path", .type = QEMU_OPT_STRING },
        { .name = "name", .type = QEMU_OPT_STRING, .def_value_str = "anon" },
        { .name = "flag", .type = QEMU_OPT_BOOL },
        { .name = "dflag", .type = QEMU_OPT_BOOL, .def_value_str = "on" },
        { .name = "num", .type = QEMU_OPT_NUMBER },
        { .name = "dnum", .type = QEMU_OPT_NUMBER, .def_value_str = "7" },
        { .name = "size", .type = QEMU_OPT_SIZE },
        { .name = "dsize", .type = QEMU_OPT_SIZE, .def_value_str = "4k" },
        { /* end */ }
    },
};

/* An empty desc array: any name goes, values are not checked. */
static QemuOptsList any_list = {
    .name = "any",
    .head = QTAILQ_HEAD_INITIALIZER(any_list.head),
    .desc = {
        { /* end */ }
    },
};

static QemuOptsList merged_list = {
    .name = "merged",
    .merge_lists = true,
    .head = QTAILQ_HEAD_INITIALIZER(merged_list.head),
    .desc = {
        { .name = "a", .type = QEMU_OPT_STRING },
        { /* end */ }
    },
};

static void assert_lists_empty(void)
{
    g_assert_true(QTAILQ_EMPTY(&typed_list.head));
    g_assert_true(QTAILQ_EMPTY(&any_list.head));
    g_assert_true(QTAILQ_EMPTY(&merged_list.head));
}

/* Sets @name to @value in @opts and expects an error containing @needle. */
static void set_fails(QemuOpts *opts, const char *name, const char *value,
                      const char *needle)
{
    Error *err = NULL;

    qemu_opt_set(opts, name, value, &err);
    qio_assert_error_contains(err, needle);
    error_free(err);
}

static void test_create_find_del(void)
{
    QemuOpts *a, *b, *anon1, *anon2;

    a = qemu_opts_create(&typed_list, "a", 1, &error_abort);
    b = qemu_opts_create(&typed_list, "b-1.x_y", 1, &error_abort);
    g_assert_true(a != b);
    g_assert_cmpstr(qemu_opts_id(a), ==, "a");
    g_assert_cmpstr(qemu_opts_id(b), ==, "b-1.x_y");
    g_assert_true(qemu_opts_find(&typed_list, "a") == a);
    g_assert_true(qemu_opts_find(&typed_list, "b-1.x_y") == b);
    g_assert_null(qemu_opts_find(&typed_list, "c"));
    g_assert_null(qemu_opts_find(&typed_list, NULL));

    /* Groups without an id do not clash in a list that does not merge. */
    anon1 = qemu_opts_create(&typed_list, NULL, 1, &error_abort);
    anon2 = qemu_opts_create(&typed_list, NULL, 1, &error_abort);
    g_assert_true(anon1 != anon2);
    g_assert_null(qemu_opts_id(anon1));
    g_assert_true(qemu_opts_find(&typed_list, NULL) == anon1);

    qemu_opt_set(a, "path", "/x", &error_abort);
    qemu_opts_del(a);
    g_assert_null(qemu_opts_find(&typed_list, "a"));
    g_assert_true(qemu_opts_find(&typed_list, "b-1.x_y") == b);
    qemu_opts_del(anon1);
    g_assert_true(qemu_opts_find(&typed_list, NULL) == anon2);
    qemu_opts_del(anon2);
    qemu_opts_del(b);
    qemu_opts_del(NULL);
    assert_lists_empty();
}

static void test_duplicate_id(void)
{
    static const char *const bad_ids[] = {
        "", "1abc", "-a", "a b", "a,b", "a=b", "_a",
    };
    Error *err = NULL;
    QemuOpts *opts, *again;
    size_t i;

    opts = qemu_opts_create(&typed_list, "dup", 1, &error_abort);
    g_assert_null(qemu_opts_create(&typed_list, "dup", 1, &err));
    qio_assert_error_contains(err, "duplicate id 'dup' for typed");
    error_free(err);
    err = NULL;

    /* Without fail_if_exists the existing group comes back. */
    again = qemu_opts_create(&typed_list, "dup", 0, &error_abort);
    g_assert_true(again == opts);
    qemu_opts_del(opts);

    for (i = 0; i < G_N_ELEMENTS(bad_ids); i++) {
        g_assert_null(qemu_opts_create(&typed_list, bad_ids[i], 0, &err));
        qio_assert_error_contains(err, "invalid id");
        error_free(err);
        err = NULL;
    }
    assert_lists_empty();
}

static void test_merge_lists(void)
{
    QemuOpts *anon, *named;

    anon = qemu_opts_create(&merged_list, NULL, 1, &error_abort);
    g_assert_true(qemu_opts_create(&merged_list, NULL, 1,
                                   &error_abort) == anon);
    named = qemu_opts_create(&merged_list, "m", 1, &error_abort);
    g_assert_true(named != anon);
    /* A merging list never reports a duplicate id. */
    g_assert_true(qemu_opts_create(&merged_list, "m", 1,
                                   &error_abort) == named);

    /* qemu_opts_parse() adds to the merged group. */
    qemu_opt_set(named, "a", "first", &error_abort);
    g_assert_true(qemu_opts_parse(&merged_list, "id=m,a=second", false,
                                  &error_abort) == named);
    g_assert_cmpstr(qemu_opt_get(named, "a"), ==, "second");

    qemu_opts_del(named);
    qemu_opts_del(anon);
    assert_lists_empty();
}

static void test_string(void)
{
    QemuOpts *opts = qemu_opts_create(&typed_list, NULL, 0, &error_abort);

    g_assert_null(qemu_opt_get(opts, "path"));
    g_assert_cmpstr(qemu_opt_get(opts, "name"), ==, "anon");
    /* Defaults reach every getter, parsed for its type. */
    g_assert_cmpstr(qemu_opt_get(opts, "dnum"), ==, "7");
    g_assert_cmpuint(qemu_opt_get_number(opts, "dnum", 1), ==, 7);

    qemu_opt_set(opts, "path", "/a/b", &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "path"), ==, "/a/b");
    qemu_opt_set(opts, "name", "", &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "name"), ==, "");

    /* Setting again replaces, even from the old value itself. */
    qemu_opt_set(opts, "path", "/c", &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "path"), ==, "/c");
    qemu_opt_set(opts, "path", qemu_opt_get(opts, "path"), &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "path"), ==, "/c");

    /* A number written into a string option is kept as its text. */
    qemu_opt_set_number(opts, "path", -12, &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "path"), ==, "-12");

    qemu_opts_del(opts);
    assert_lists_empty();
}

static void test_bool(void)
{
    static const struct {
        const char *text;
        bool value;
    } good[] = {
        { "on", true }, { "yes", true }, { "true", true },
        { "off", false }, { "no", false }, { "false", false },
    };
    static const char *const bad[] = {
        "", "1", "0", "ON", "maybe", "on ", "y",
    };
    QemuOpts *opts = qemu_opts_create(&typed_list, NULL, 0, &error_abort);
    size_t i;

    /* Unset: the caller's default, or the description's. */
    g_assert_true(qemu_opt_get_bool(opts, "flag", true));
    g_assert_false(qemu_opt_get_bool(opts, "flag", false));
    g_assert_true(qemu_opt_get_bool(opts, "dflag", false));

    for (i = 0; i < G_N_ELEMENTS(good); i++) {
        qemu_opt_set(opts, "flag", good[i].text, &error_abort);
        g_assert_cmpint(qemu_opt_get_bool(opts, "flag", !good[i].value), ==,
                        good[i].value);
        g_assert_cmpstr(qemu_opt_get(opts, "flag"), ==, good[i].text);
    }

    qemu_opt_set_bool(opts, "flag", true, &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "flag"), ==, "on");
    qemu_opt_set_bool(opts, "dflag", false, &error_abort);
    g_assert_false(qemu_opt_get_bool(opts, "dflag", true));
    g_assert_cmpstr(qemu_opt_get(opts, "dflag"), ==, "off");

    /* A bad value is refused and the old one stays. */
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        set_fails(opts, "flag", bad[i], "option 'flag' expects 'on' or "
                  "'off'");
        g_assert_cmpstr(qemu_opt_get(opts, "flag"), ==, "on");
    }

    /* Not a boolean: the getter falls back to the caller's default. */
    qemu_opt_set(opts, "path", "maybe", &error_abort);
    g_assert_true(qemu_opt_get_bool(opts, "path", true));
    g_assert_false(qemu_opt_get_bool(opts, "path", false));

    qemu_opts_del(opts);
    assert_lists_empty();
}

static void test_number(void)
{
    static const char *const bad[] = {
        "", "12x", "-1", "+1", " 1", "0x", "08", "1.5", "1k",
        "18446744073709551616",
    };
    QemuOpts *opts = qemu_opts_create(&typed_list, NULL, 0, &error_abort);
    Error *err = NULL;
    size_t i;

    g_assert_cmpuint(qemu_opt_get_number(opts, "num", 99), ==, 99);
    g_assert_cmpuint(qemu_opt_get_number(opts, "dnum", 99), ==, 7);

    qemu_opt_set(opts, "num", "42", &error_abort);
    g_assert_cmpuint(qemu_opt_get_number(opts, "num", 0), ==, 42);
    qemu_opt_set(opts, "num", "0x10", &error_abort);
    g_assert_cmpuint(qemu_opt_get_number(opts, "num", 0), ==, 16);
    qemu_opt_set(opts, "num", "010", &error_abort);
    g_assert_cmpuint(qemu_opt_get_number(opts, "num", 0), ==, 8);
    qemu_opt_set(opts, "num", "18446744073709551615", &error_abort);
    g_assert_cmpuint(qemu_opt_get_number(opts, "num", 0), ==, UINT64_MAX);

    qemu_opt_set_number(opts, "dnum", 123456789012LL, &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "dnum"), ==, "123456789012");
    g_assert_cmpuint(qemu_opt_get_number(opts, "dnum", 0), ==,
                     123456789012ULL);

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        set_fails(opts, "num", bad[i], "option 'num' expects a non-negative "
                  "64-bit integer");
        g_assert_cmpuint(qemu_opt_get_number(opts, "num", 0), ==,
                         UINT64_MAX);
    }

    /* Negative numbers do not fit an unsigned option. */
    qemu_opt_set_number(opts, "num", -1, &err);
    qio_assert_error_contains(err, "not '-1'");
    error_free(err);
    err = NULL;

    /* The setters check the option's type too. */
    qemu_opt_set_bool(opts, "num", true, &err);
    qio_assert_error_contains(err, "option 'num' expects a non-negative");
    error_free(err);
    err = NULL;
    qemu_opt_set_number(opts, "flag", 1, &err);
    qio_assert_error_contains(err, "option 'flag' expects 'on' or 'off'");
    error_free(err);

    /* Text that is not a number reads as the caller's default. */
    qemu_opt_set(opts, "path", "12x", &error_abort);
    g_assert_cmpuint(qemu_opt_get_number(opts, "path", 5), ==, 5);

    qemu_opts_del(opts);
    assert_lists_empty();
}

static void test_size(void)
{
    static const struct {
        const char *text;
        uint64_t value;
    } good[] = {
        { "0", 0 },
        { "512", 512 },
        { "3b", 3 },
        { "1k", 1024 },
        { "1K", 1024 },
        { "2M", 2 * 1024 * 1024 },
        { "1.5G", 3 * 512 * 1024 * 1024ULL },
        { "0.5k", 512 },
        { "1.7", 1 },
        { "3T", 3ULL << 40 },
        { "1P", 1ULL << 50 },
        { "15E", 15ULL << 60 },
        { "18446744073709551615", UINT64_MAX },
    };
    static const char *const bad[] = {
        "", "k", "-1", "1X", "1kk", "1 k", "1.k", ".5k", "0x10", "16E",
        "18446744073709551616",
    };
    QemuOpts *opts = qemu_opts_create(&typed_list, NULL, 0, &error_abort);
    size_t i;

    g_assert_cmpuint(qemu_opt_get_size(opts, "size", 77), ==, 77);
    g_assert_cmpuint(qemu_opt_get_size(opts, "dsize", 77), ==, 4096);

    for (i = 0; i < G_N_ELEMENTS(good); i++) {
        qemu_opt_set(opts, "size", good[i].text, &error_abort);
        g_assert_cmpuint(qemu_opt_get_size(opts, "size", 77), ==,
                         good[i].value);
    }
    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        set_fails(opts, "size", bad[i], "option 'size' expects a size");
        g_assert_cmpuint(qemu_opt_get_size(opts, "size", 77), ==,
                         UINT64_MAX);
    }
    qemu_opt_set_number(opts, "size", 4096, &error_abort);
    g_assert_cmpuint(qemu_opt_get_size(opts, "size", 0), ==, 4096);

    qemu_opts_del(opts);
    assert_lists_empty();
}

static void test_unknown(void)
{
    QemuOpts *opts = qemu_opts_create(&typed_list, NULL, 0, &error_abort);
    QemuOpts *any = qemu_opts_create(&any_list, "x", 0, &error_abort);
    Error *err = NULL;

    set_fails(opts, "bogus", "1", "unknown option 'bogus' for typed");
    g_assert_null(qemu_opt_get(opts, "bogus"));
    qemu_opt_set_bool(opts, "bogus", true, &err);
    qio_assert_error_contains(err, "unknown option 'bogus'");
    error_free(err);
    err = NULL;
    qemu_opt_set_number(opts, "bogus", 1, &err);
    qio_assert_error_contains(err, "unknown option 'bogus'");
    error_free(err);

    /* A list with no descriptions takes anything, unchecked. */
    qemu_opt_set(any, "bogus", "whatever", &error_abort);
    qemu_opt_set(any, "n", "0x20", &error_abort);
    qemu_opt_set_bool(any, "b", false, &error_abort);
    g_assert_cmpstr(qemu_opt_get(any, "bogus"), ==, "whatever");
    g_assert_cmpuint(qemu_opt_get_number(any, "n", 0), ==, 32);
    g_assert_cmpuint(qemu_opt_get_size(any, "n", 0), ==, 0);
    g_assert_false(qemu_opt_get_bool(any, "b", true));
    g_assert_true(qemu_opt_get_bool(any, "bogus", true));
    g_assert_null(qemu_opt_get(any, "unset"));

    qemu_opts_del(any);
    qemu_opts_del(opts);
    assert_lists_empty();
}

static void test_parse(void)
{
    Error *err = NULL;
    QemuOpts *opts;

    opts = qemu_opts_parse(&typed_list, "id=p1,path=/a,,b,flag,num=0x10,"
                           "size=2k,name=x=y", false, &error_abort);
    g_assert_cmpstr(qemu_opts_id(opts), ==, "p1");
    g_assert_true(qemu_opts_find(&typed_list, "p1") == opts);
    g_assert_cmpstr(qemu_opt_get(opts, "path"), ==, "/a,b");
    g_assert_true(qemu_opt_get_bool(opts, "flag", false));
    g_assert_cmpuint(qemu_opt_get_number(opts, "num", 0), ==, 16);
    g_assert_cmpuint(qemu_opt_get_size(opts, "size", 0), ==, 2048);
    g_assert_cmpstr(qemu_opt_get(opts, "name"), ==, "x=y");
    g_assert_null(qemu_opt_get(opts, "id"));

    /* The same id again is a duplicate. */
    g_assert_null(qemu_opts_parse(&typed_list, "id=p1", false, &err));
    qio_assert_error_contains(err, "duplicate id 'p1'");
    error_free(err);
    err = NULL;
    qemu_opts_del(opts);

    /* The implied option takes a bare first element, commas escaped. */
    opts = qemu_opts_parse(&typed_list, "/tmp/a,,b=c,,,nodflag,id=p2,",
                           true, &error_abort);
    g_assert_cmpstr(qemu_opts_id(opts), ==, "p2");
    g_assert_cmpstr(qemu_opt_get(opts, "path"), ==, "/tmp/a,b=c,");
    g_assert_false(qemu_opt_get_bool(opts, "dflag", true));
    g_assert_cmpstr(qemu_opt_get(opts, "dflag"), ==, "off");
    qemu_opts_del(opts);

    /* An element with '=' is not the implied option, even first. */
    opts = qemu_opts_parse(&typed_list, "name=n", true, &error_abort);
    g_assert_null(qemu_opt_get(opts, "path"));
    g_assert_cmpstr(qemu_opt_get(opts, "name"), ==, "n");
    qemu_opts_del(opts);

    /* Without permit_abbrev a bare element is a flag. */
    opts = qemu_opts_parse(&typed_list, "flag", false, &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "flag"), ==, "on");
    g_assert_null(qemu_opt_get(opts, "path"));
    qemu_opts_del(opts);

    /* An empty string makes an empty group; later values win. */
    opts = qemu_opts_parse(&typed_list, "", true, &error_abort);
    g_assert_null(qemu_opt_get(opts, "path"));
    qemu_opts_del(opts);
    opts = qemu_opts_parse(&typed_list, "num=1,num=2", false,
                           &error_abort);
    g_assert_cmpuint(qemu_opt_get_number(opts, "num", 0), ==, 2);
    qemu_opts_del(opts);

    /* Any option name goes in a list without descriptions. */
    opts = qemu_opts_parse(&any_list, "id=a1,k=v,,w,on", false,
                           &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "k"), ==, "v,w");
    g_assert_cmpstr(qemu_opt_get(opts, "on"), ==, "on");
    qemu_opts_del(opts);
    assert_lists_empty();
}

static void test_parse_errors(void)
{
    static const struct {
        const char *params;
        bool permit_abbrev;
        const char *error;
    } cases[] = {
        { "id=e1,bogus=1", false, "unknown option 'bogus' for typed" },
        { "id=e1,nobogus", false, "unknown option 'bogus' for typed" },
        { "/x,flag=maybe", true, "option 'flag' expects 'on' or 'off'" },
        { "num=12x,id=e1", false, "option 'num' expects a non-negative" },
        { "size=1X", false, "option 'size' expects a size" },
        { "/x", false, "unknown option '/x' for typed" },
        { "id=1x", false, "invalid id '1x'" },
        { "id=e1,id=e2", false, "id given more than once" },
        { "id", false, "option 'id' in 'id' needs a value" },
        { "flag,noid", false, "option 'id' in 'flag,noid' needs a value" },
        { "flag,,x", false, "option name in 'flag,,x' contains a comma" },
        { "=5", false, "missing option name in '=5'" },
        { "flag,,", false, "contains a comma" },
        { ",flag", false, "missing option name in ',flag'" },
        { "no", false, "unknown option 'no' for typed" },
    };
    Error *err = NULL;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_null(qemu_opts_parse(&typed_list, cases[i].params,
                                      cases[i].permit_abbrev, &err));
        qio_assert_error_contains(err, cases[i].error);
        error_free(err);
        err = NULL;
        /* Nothing is created when any element is bad. */
        assert_lists_empty();
    }
}

static void test_do_parse(void)
{
    QemuOpts *opts = qemu_opts_create(&typed_list, "dp", 0, &error_abort);
    Error *err = NULL;

    qemu_opts_do_parse(opts, "/first,num=3,id=ignored", "path",
                       &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "path"), ==, "/first");
    g_assert_cmpuint(qemu_opt_get_number(opts, "num", 0), ==, 3);
    g_assert_cmpstr(qemu_opts_id(opts), ==, "dp");

    /* Adds to what is there; without a first name, no implied option. */
    qemu_opts_do_parse(opts, "flag,num=4", NULL, &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "path"), ==, "/first");
    g_assert_cmpuint(qemu_opt_get_number(opts, "num", 0), ==, 4);
    g_assert_true(qemu_opt_get_bool(opts, "flag", false));

    /* All or nothing: a bad element leaves the earlier ones unset. */
    qemu_opts_do_parse(opts, "num=5,path=/second,flag=maybe", NULL, &err);
    qio_assert_error_contains(err, "option 'flag' expects");
    error_free(err);
    g_assert_cmpuint(qemu_opt_get_number(opts, "num", 0), ==, 4);
    g_assert_cmpstr(qemu_opt_get(opts, "path"), ==, "/first");

    qemu_opts_del(opts);
    assert_lists_empty();
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/util/qemu-opts/create-find-del",
                      test_create_find_del);
    qio_test_add_func("/util/qemu-opts/duplicate-id", test_duplicate_id);
    qio_test_add_func("/util/qemu-opts/merge-lists", test_merge_lists);
    qio_test_add_func("/util/qemu-opts/string", test_string);
    qio_test_add_func("/util/qemu-opts/bool", test_bool);
    qio_test_add_func("/util/qemu-opts/number", test_number);
    qio_test_add_func("/util/qemu-opts/size", test_size);
    qio_test_add_func("/util/qemu-opts/unknown", test_unknown);
    qio_test_add_func("/util/qemu-opts/parse", test_parse);
    qio_test_add_func("/util/qemu-opts/parse-errors", test_parse_errors);
    qio_test_add_func("/util/qemu-opts/do-parse", test_do_parse);
    return g_test_run();
}
