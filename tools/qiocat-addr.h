/*
 * qiocat: the address grammar.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIOCAT_ADDR_H
#define QIOCAT_ADDR_H

#include "qemu/osdep.h"

typedef enum QiocatKind {
    QIOCAT_KIND_TCP,
    QIOCAT_KIND_TCP_LISTEN,
    QIOCAT_KIND_UNIX,
    QIOCAT_KIND_UNIX_LISTEN,
    QIOCAT_KIND_EXEC,
    QIOCAT_KIND_FILE,
    QIOCAT_KIND_STDIO,
} QiocatKind;

typedef enum QiocatLayerKind {
    QIOCAT_LAYER_TLS_CLIENT,
    QIOCAT_LAYER_TLS_SERVER,
    QIOCAT_LAYER_WS_CLIENT,
    QIOCAT_LAYER_WS_SERVER,
} QiocatLayerKind;

/* How a file: address is opened; by default read as the first address and
 * written as the second. */
typedef enum QiocatFileMode {
    QIOCAT_FILE_DEFAULT,
    QIOCAT_FILE_READ,
    QIOCAT_FILE_WRITE,
    QIOCAT_FILE_APPEND,
} QiocatFileMode;

typedef struct QiocatLayer {
    QiocatLayerKind kind;
    char *creds;        /* tls: credentials directory */
    char *hostname;     /* tls client: name to check; ws client: Host */
    char *acl;          /* tls server: glob the client's DN must match */
    bool verify;        /* tls: verify the peer's certificate */
    char *psk_user;     /* tls: use PSK credentials as this user */
    char *path;         /* ws: resource path */
} QiocatLayer;

typedef struct QiocatAddr {
    char *text;         /* as given, for messages */
    QiocatKind kind;
    char *host;         /* tcp */
    char *port;         /* tcp */
    char *path;         /* unix, file */
    char **argv;        /* exec */
    QiocatFileMode file_mode;
    GPtrArray *layers;  /* QiocatLayer *, the one nearest the wire first */
} QiocatAddr;

/**
 * qiocat_addr_parse:
 * @text: an address such as "tcp-listen:5900,tls=server,creds=/etc/pki"
 * @errp: pointer to a NULL-initialized error object
 *
 * Returns: the parsed address, or NULL with @errp naming what was expected
 * where
 */
QiocatAddr *qiocat_addr_parse(const char *text, Error **errp);

/**
 * qiocat_addr_free:
 * @addr: an address, or NULL
 */
void qiocat_addr_free(QiocatAddr *addr);

/**
 * qiocat_addr_is_listen:
 * @addr: an address
 *
 * Returns: true for tcp-listen: and unix-listen:
 */
bool qiocat_addr_is_listen(const QiocatAddr *addr);

/**
 * qiocat_addr_help:
 *
 * Returns: the grammar, for --help
 */
const char *qiocat_addr_help(void);

#endif /* QIOCAT_ADDR_H */
