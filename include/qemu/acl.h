/*
 * Named access control lists: ordered allow/deny rules matched against a
 * party's name (an x509 distinguished name, a SASL user name, ...).
 *
 * ACLs are process-global and live until the process exits: an ACL, once
 * created by qemu_acl_init(), is never freed, so pointers to it stay
 * valid.  The functions below may be called from any thread; reading the
 * public fields directly while another thread changes the ACL is not
 * synchronised.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QEMU_ACL_H
#define QEMU_ACL_H

#include "qemu/queue.h"

typedef struct qemu_acl_entry qemu_acl_entry;
typedef struct qemu_acl qemu_acl;

/**
 * qemu_acl_entry:
 * @match: the pattern a party's name is compared with: a shell wildcard
 *         pattern (fnmatch(3)) when the host supports it (CONFIG_FNMATCH),
 *         otherwise an exact string
 * @deny: non-zero if a matching party is refused, 0 if it is allowed
 * @next: list linkage
 *
 * One rule of an ACL.
 */
struct qemu_acl_entry {
    char *match;
    int deny;

    QTAILQ_ENTRY(qemu_acl_entry) next;
};

/**
 * qemu_acl:
 * @aclname: the name the ACL was created with
 * @nentries: number of rules in @entries
 * @entries: the rules, in the order they are tried
 * @defaultDeny: non-zero if a party matching no rule is refused
 *
 * A named, ordered list of rules.
 */
struct qemu_acl {
    char *aclname;
    unsigned int nentries;
    QTAILQ_HEAD(, qemu_acl_entry) entries;
    int defaultDeny;
};

/**
 * qemu_acl_init:
 * @aclname: name of the ACL
 *
 * Looks up the ACL called @aclname, creating it (empty, denying by
 * default) if it does not exist yet.
 *
 * Returns: the ACL; it is never NULL and never freed
 */
qemu_acl *qemu_acl_init(const char *aclname);

/**
 * qemu_acl_find:
 * @aclname: name of the ACL
 *
 * Returns: the ACL called @aclname, or NULL if none was created
 */
qemu_acl *qemu_acl_find(const char *aclname);

/**
 * qemu_acl_party_is_allowed:
 * @acl: the ACL
 * @party: the name to check
 *
 * Tries the rules of @acl in order; the first whose pattern matches
 * @party decides.  When none matches, the ACL's default applies.
 *
 * Returns: 1 if @party is allowed, 0 if it is denied
 */
int qemu_acl_party_is_allowed(qemu_acl *acl, const char *party);

/**
 * qemu_acl_reset:
 * @acl: the ACL
 *
 * Removes every rule of @acl and makes it deny by default again.
 */
void qemu_acl_reset(qemu_acl *acl);

/**
 * qemu_acl_append:
 * @acl: the ACL
 * @deny: non-zero to refuse parties matching @match, 0 to allow them
 * @match: the pattern
 *
 * Adds a rule at the end of @acl, so it is tried last.
 *
 * Returns: the number of rules in @acl afterwards, which is also the
 * 1-based position of the new rule
 */
int qemu_acl_append(qemu_acl *acl, int deny, const char *match);

/**
 * qemu_acl_insert:
 * @acl: the ACL
 * @deny: non-zero to refuse parties matching @match, 0 to allow them
 * @match: the pattern
 * @index: 1-based position the new rule takes; rules from that position
 *         on move down one.  A position past the end appends.
 *
 * Adds a rule at position @index of @acl.
 *
 * Returns: the 1-based position of the new rule, or -1 (adding nothing)
 * when @index is 0 or negative
 */
int qemu_acl_insert(qemu_acl *acl, int deny, const char *match, int index);

/**
 * qemu_acl_remove:
 * @acl: the ACL
 * @match: the pattern of the rule to remove, compared as a plain string
 *
 * Removes the first rule of @acl whose pattern is exactly @match.
 *
 * Returns: the 1-based position the removed rule had, or -1 if no rule
 * has that pattern
 */
int qemu_acl_remove(qemu_acl *acl, const char *match);

#endif /* QEMU_ACL_H */
