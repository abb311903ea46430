/*
 * Tests for the access control lists (include/qemu/acl.h).
 *
 * ACLs live for the whole process, so every case uses its own names.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/acl.h"
#include "qemu/thread.h"
#include "qio-test.h"

/* The patterns of @acl in order, joined by commas, "-" marking denials. */
static char *acl_describe(qemu_acl *acl)
{
    GString *s = g_string_new(NULL);
    qemu_acl_entry *e;
    unsigned int n = 0;

    QTAILQ_FOREACH(e, &acl->entries, next) {
        g_string_append_printf(s, "%s%s%s", n ? "," : "", e->deny ? "-" : "",
                               e->match);
        n++;
    }
    g_assert_cmpuint(n, ==, acl->nentries);
    return g_string_free(s, FALSE);
}

#define assert_acl_is(acl, expect)                      \
    do {                                                \
        char *desc_ = acl_describe(acl);                \
        g_assert_cmpstr(desc_, ==, (expect));           \
        g_free(desc_);                                  \
    } while (0)

static void test_acl_init_find(void)
{
    qemu_acl *acl;

    g_assert_null(qemu_acl_find("init-find"));
    acl = qemu_acl_init("init-find");
    g_assert_nonnull(acl);
    g_assert_cmpstr(acl->aclname, ==, "init-find");
    g_assert_cmpuint(acl->nentries, ==, 0);
    g_assert_true(QTAILQ_EMPTY(&acl->entries));
    g_assert_cmpint(acl->defaultDeny, ==, 1);

    /* Same name, same ACL, contents kept. */
    qemu_acl_append(acl, 0, "x");
    g_assert_true(qemu_acl_init("init-find") == acl);
    g_assert_true(qemu_acl_find("init-find") == acl);
    g_assert_cmpuint(acl->nentries, ==, 1);

    g_assert_true(qemu_acl_init("init-find-2") != acl);
    g_assert_null(qemu_acl_find("init-find-"));
}

static void test_acl_default(void)
{
    qemu_acl *acl = qemu_acl_init("default");

    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "anyone"), ==, 0);
    acl->defaultDeny = 0;
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "anyone"), ==, 1);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, ""), ==, 1);
}

static void test_acl_exact(void)
{
    qemu_acl *acl = qemu_acl_init("exact");

    g_assert_cmpint(qemu_acl_append(acl, 0, "CN=alice,O=Example"), ==, 1);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "CN=alice,O=Example"),
                    ==, 1);
    /* No substring, prefix or case-insensitive matches. */
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "CN=alice"), ==, 0);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "CN=alice,O=Example2"),
                    ==, 0);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "cn=alice,o=example"),
                    ==, 0);
}

static void test_acl_wildcards(void)
{
#ifdef CONFIG_FNMATCH
    qemu_acl *acl = qemu_acl_init("wildcards");

    qemu_acl_append(acl, 0, "C=UK,CN=qemu*");
    qemu_acl_append(acl, 0, "user?");
    qemu_acl_append(acl, 0, "host[0-9]");
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "C=UK,CN=qemu"), ==, 1);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "C=UK,CN=qemu.org"), ==, 1);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "C=US,CN=qemu.org"), ==, 0);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "user1"), ==, 1);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "user"), ==, 0);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "user12"), ==, 0);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "host7"), ==, 1);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "hostx"), ==, 0);
#else
    g_test_skip("built without fnmatch: patterns match exactly");
#endif
}

static void test_acl_deny_and_order(void)
{
#ifdef CONFIG_FNMATCH
    qemu_acl *acl = qemu_acl_init("deny-order");

    acl->defaultDeny = 0;
    /* The first matching rule decides, so the specific denial goes first. */
    qemu_acl_append(acl, 1, "bob");
    qemu_acl_append(acl, 0, "b*");
    qemu_acl_append(acl, 1, "*");
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "bob"), ==, 0);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "bill"), ==, 1);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "carol"), ==, 0);

    /* Reordered: the broad allow now shadows the denial of bob. */
    g_assert_cmpint(qemu_acl_remove(acl, "b*"), ==, 2);
    g_assert_cmpint(qemu_acl_insert(acl, 0, "b*", 1), ==, 1);
    assert_acl_is(acl, "b*,-bob,-*");
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "bob"), ==, 1);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "carol"), ==, 0);
#else
    g_test_skip("built without fnmatch: no wildcard rules");
#endif
}

static void test_acl_reset(void)
{
    qemu_acl *acl = qemu_acl_init("reset");

    qemu_acl_append(acl, 0, "a");
    qemu_acl_append(acl, 1, "b");
    acl->defaultDeny = 0;
    qemu_acl_reset(acl);
    g_assert_cmpuint(acl->nentries, ==, 0);
    g_assert_true(QTAILQ_EMPTY(&acl->entries));
    g_assert_cmpint(acl->defaultDeny, ==, 1);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "a"), ==, 0);
    g_assert_true(qemu_acl_find("reset") == acl);

    /* Usable again after the reset. */
    g_assert_cmpint(qemu_acl_append(acl, 0, "a"), ==, 1);
    g_assert_cmpint(qemu_acl_party_is_allowed(acl, "a"), ==, 1);
}

static void test_acl_insert_remove(void)
{
    qemu_acl *acl = qemu_acl_init("insert-remove");

    g_assert_cmpint(qemu_acl_append(acl, 0, "a"), ==, 1);
    g_assert_cmpint(qemu_acl_append(acl, 0, "c"), ==, 2);
    g_assert_cmpint(qemu_acl_insert(acl, 0, "b", 2), ==, 2);
    assert_acl_is(acl, "a,b,c");
    g_assert_cmpint(qemu_acl_insert(acl, 1, "first", 1), ==, 1);
    assert_acl_is(acl, "-first,a,b,c");
    /* Past the end appends, reporting where the rule really went. */
    g_assert_cmpint(qemu_acl_insert(acl, 0, "last", 99), ==, 5);
    assert_acl_is(acl, "-first,a,b,c,last");
    g_assert_cmpint(qemu_acl_insert(acl, 0, "end", 6), ==, 6);
    assert_acl_is(acl, "-first,a,b,c,last,end");
    /* Positions are 1-based: 0 and negatives are refused. */
    g_assert_cmpint(qemu_acl_insert(acl, 0, "bad", 0), ==, -1);
    g_assert_cmpint(qemu_acl_insert(acl, 0, "bad", -3), ==, -1);
    g_assert_cmpuint(acl->nentries, ==, 6);

    g_assert_cmpint(qemu_acl_remove(acl, "b"), ==, 3);
    assert_acl_is(acl, "-first,a,c,last,end");
    g_assert_cmpint(qemu_acl_remove(acl, "-first"), ==, -1);
    g_assert_cmpint(qemu_acl_remove(acl, "first"), ==, 1);
    g_assert_cmpint(qemu_acl_remove(acl, "end"), ==, 4);
    g_assert_cmpint(qemu_acl_remove(acl, "nothere"), ==, -1);
    assert_acl_is(acl, "a,c,last");

    /* Only the first of two identical patterns goes. */
    qemu_acl_append(acl, 1, "a");
    g_assert_cmpint(qemu_acl_remove(acl, "a"), ==, 1);
    assert_acl_is(acl, "c,last,-a");

#ifdef CONFIG_FNMATCH
    /* Removal compares patterns literally, never as wildcards. */
    qemu_acl_append(acl, 0, "*");
    g_assert_cmpint(qemu_acl_remove(acl, "?"), ==, -1);
    g_assert_cmpint(qemu_acl_remove(acl, "*"), ==, 4);
#endif
    assert_acl_is(acl, "c,last,-a");
}

#define ACL_THREADS 4
#define ACL_ROUNDS 200

static void *acl_thread(void *opaque)
{
    int id = GPOINTER_TO_INT(opaque);
    char *name = g_strdup_printf("party-%d", id);
    int i;

    for (i = 0; i < ACL_ROUNDS; i++) {
        /* Registry lookups race with creation of the shared ACL too. */
        qemu_acl *acl = qemu_acl_init("threads");
        int pos = qemu_acl_append(acl, 0, name);

        g_assert_cmpint(pos, >=, 1);
        g_assert_cmpint(qemu_acl_party_is_allowed(acl, name), ==, 1);
        g_assert_cmpint(qemu_acl_remove(acl, name), >=, 1);
    }
    g_free(name);
    return NULL;
}

static void test_acl_threads(void)
{
    QemuThread threads[ACL_THREADS];
    qemu_acl *acl;
    int i;

    for (i = 0; i < ACL_THREADS; i++) {
        qemu_thread_create(&threads[i], "acl-test", acl_thread,
                           GINT_TO_POINTER(i), QEMU_THREAD_JOINABLE);
    }
    for (i = 0; i < ACL_THREADS; i++) {
        qemu_thread_join(&threads[i]);
    }
    acl = qemu_acl_find("threads");
    g_assert_nonnull(acl);
    g_assert_cmpuint(acl->nentries, ==, 0);
    g_assert_true(QTAILQ_EMPTY(&acl->entries));
}

int main(int argc, char **argv)
{
    qio_test_init(&argc, &argv);
    qio_test_add_func("/util/acl/init-find", test_acl_init_find);
    qio_test_add_func("/util/acl/default", test_acl_default);
    qio_test_add_func("/util/acl/exact", test_acl_exact);
    qio_test_add_func("/util/acl/wildcards", test_acl_wildcards);
    qio_test_add_func("/util/acl/deny-order", test_acl_deny_and_order);
    qio_test_add_func("/util/acl/reset", test_acl_reset);
    qio_test_add_func("/util/acl/insert-remove", test_acl_insert_remove);
    qio_test_add_func("/util/acl/threads", test_acl_threads);
    return g_test_run();
}
