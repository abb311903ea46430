/*
 * Named access control lists.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/acl.h"

#ifdef CONFIG_FNMATCH
#include <fnmatch.h>
#endif

/*
 * One lock for the registry and every ACL in it.  Checks are short and
 * rare (once per connection), so finer locking would buy nothing.  A
 * zero-initialised static GMutex needs no explicit init.
 */
static GMutex acl_lock;
static qemu_acl **acls;
static size_t nacls;

static qemu_acl *acl_find_locked(const char *aclname)
{
    size_t i;

    for (i = 0; i < nacls; i++) {
        if (strcmp(acls[i]->aclname, aclname) == 0) {
            return acls[i];
        }
    }
    return NULL;
}

qemu_acl *qemu_acl_find(const char *aclname)
{
    qemu_acl *acl;

    g_mutex_lock(&acl_lock);
    acl = acl_find_locked(aclname);
    g_mutex_unlock(&acl_lock);
    return acl;
}

qemu_acl *qemu_acl_init(const char *aclname)
{
    qemu_acl *acl;

    g_mutex_lock(&acl_lock);
    acl = acl_find_locked(aclname);
    if (!acl) {
        acl = g_new0(qemu_acl, 1);
        acl->aclname = g_strdup(aclname);
        /* Refusing strangers is the only safe default for a new ACL. */
        acl->defaultDeny = 1;
        QTAILQ_INIT(&acl->entries);
        acls = g_renew(qemu_acl *, acls, nacls + 1);
        acls[nacls++] = acl;
    }
    g_mutex_unlock(&acl_lock);
    return acl;
}

static bool acl_entry_matches(const qemu_acl_entry *entry, const char *party)
{
#ifdef CONFIG_FNMATCH
    return fnmatch(entry->match, party, 0) == 0;
#else
    return strcmp(entry->match, party) == 0;
#endif
}

int qemu_acl_party_is_allowed(qemu_acl *acl, const char *party)
{
    qemu_acl_entry *entry;
    int allowed;

    g_mutex_lock(&acl_lock);
    allowed = acl->defaultDeny ? 0 : 1;
    QTAILQ_FOREACH(entry, &acl->entries, next) {
        if (acl_entry_matches(entry, party)) {
            allowed = entry->deny ? 0 : 1;
            break;
        }
    }
    g_mutex_unlock(&acl_lock);
    return allowed;
}

static void acl_entry_free(qemu_acl_entry *entry)
{
    g_free(entry->match);
    g_free(entry);
}

void qemu_acl_reset(qemu_acl *acl)
{
    qemu_acl_entry *entry, *next_entry;

    g_mutex_lock(&acl_lock);
    QTAILQ_FOREACH_SAFE(entry, &acl->entries, next, next_entry) {
        QTAILQ_REMOVE(&acl->entries, entry, next);
        acl_entry_free(entry);
    }
    acl->nentries = 0;
    acl->defaultDeny = 1;
    g_mutex_unlock(&acl_lock);
}

static qemu_acl_entry *acl_entry_new(int deny, const char *match)
{
    qemu_acl_entry *entry = g_new0(qemu_acl_entry, 1);

    entry->match = g_strdup(match);
    entry->deny = deny;
    return entry;
}

int qemu_acl_append(qemu_acl *acl, int deny, const char *match)
{
    qemu_acl_entry *entry = acl_entry_new(deny, match);
    int count;

    g_mutex_lock(&acl_lock);
    QTAILQ_INSERT_TAIL(&acl->entries, entry, next);
    count = ++acl->nentries;
    g_mutex_unlock(&acl_lock);
    return count;
}

int qemu_acl_insert(qemu_acl *acl, int deny, const char *match, int index)
{
    qemu_acl_entry *entry;
    qemu_acl_entry *cur;
    int pos = 1;

    if (index <= 0) {
        return -1;
    }
    entry = acl_entry_new(deny, match);

    g_mutex_lock(&acl_lock);
    QTAILQ_FOREACH(cur, &acl->entries, next) {
        if (pos == index) {
            break;
        }
        pos++;
    }
    if (cur) {
        QTAILQ_INSERT_BEFORE(cur, entry, next);
    } else {
        /* Past the end: the rule goes last, wherever that is. */
        QTAILQ_INSERT_TAIL(&acl->entries, entry, next);
    }
    acl->nentries++;
    g_mutex_unlock(&acl_lock);
    return pos;
}

int qemu_acl_remove(qemu_acl *acl, const char *match)
{
    qemu_acl_entry *entry;
    int pos = 1;

    g_mutex_lock(&acl_lock);
    QTAILQ_FOREACH(entry, &acl->entries, next) {
        if (strcmp(entry->match, match) == 0) {
            QTAILQ_REMOVE(&acl->entries, entry, next);
            acl->nentries--;
            g_mutex_unlock(&acl_lock);
            acl_entry_free(entry);
            return pos;
        }
        pos++;
    }
    g_mutex_unlock(&acl_lock);
    return -1;
}
