/*
 * qiocat: opening one side of a connection, with its TLS and websocket
 * layers.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/coroutine.h"
#include "qemu/acl.h"
#include "qemu/sockets.h"
#include "io/channel-socket.h"
#include "io/channel-command.h"
#include "io/channel-file.h"
#include "io/channel-tls.h"
#include "io/channel-websock.h"
#include "crypto/tlscredsx509.h"
#include "crypto/tlscredspsk.h"
#include "qom/object_interfaces.h"
#include "qiocat-end.h"

/* Credentials and ACL made for each TLS layer, created on first use. */
typedef struct QiocatCreds {
    QCryptoTLSCreds *creds;
    char *aclname;
} QiocatCreds;

static GHashTable *creds_by_layer;
static unsigned int creds_serial;

/* Lets a coroutine wait for a QIOTask-style completion callback. */
typedef struct QiocatWait {
    Coroutine *co;
    Error *err;
    bool done;
    bool waiting;
} QiocatWait;

static void wait_done(Object *source, Error *err, gpointer opaque)
{
    QiocatWait *w = opaque;

    w->err = err ? error_copy(err) : NULL;
    w->done = true;
    if (w->waiting) {
        qemu_coroutine_enter(w->co, NULL);
    }
}

static void wait_init(QiocatWait *w)
{
    w->co = qemu_coroutine_self();
    w->err = NULL;
    w->done = false;
    w->waiting = false;
}

/* Yields until wait_done() ran, which may already have happened. */
static int wait_finish(QiocatWait *w, Error **errp)
{
    if (!w->done) {
        w->waiting = true;
        qemu_coroutine_yield();
        w->waiting = false;
    }
    if (w->err) {
        error_propagate(errp, w->err);
        return -1;
    }
    return 0;
}

void qiocat_end_set_channel(QiocatEnd *end, QIOChannel *ioc,
                            const char *label)
{
    end->rd = ioc;
    end->wr = ioc;
    end->base = ioc;
    object_ref(OBJECT(ioc));
    object_ref(OBJECT(ioc));
    g_free(end->label);
    end->label = g_strdup(label);
}

/* Replaces the channel of a single-channel end with a layer over it. */
static void end_push_layer(QiocatEnd *end, QIOChannel *layer)
{
    object_unref(OBJECT(end->rd));
    end->rd = layer;
    end->wr = layer;
}

static SocketAddress *socket_address_of(QiocatAddr *addr)
{
    SocketAddress *saddr = g_new0(SocketAddress, 1);

    if (addr->kind == QIOCAT_KIND_TCP || addr->kind == QIOCAT_KIND_TCP_LISTEN) {
        saddr->type = SOCKET_ADDRESS_KIND_INET;
        saddr->u.inet = g_new0(InetSocketAddress, 1);
        saddr->u.inet->host = g_strdup(addr->host);
        saddr->u.inet->port = g_strdup(addr->port);
    } else {
        saddr->type = SOCKET_ADDRESS_KIND_UNIX;
        saddr->u.q_unix = g_new0(UnixSocketAddress, 1);
        saddr->u.q_unix->path = g_strdup(addr->path);
    }
    return saddr;
}

static int open_socket(QiocatEnd *end, QiocatAddr *addr, Error **errp)
{
    QIOChannelSocket *sioc = qio_channel_socket_new();
    SocketAddress *saddr = socket_address_of(addr);
    QiocatWait w;
    int ret;

    wait_init(&w);
    qio_channel_socket_connect_async(sioc, saddr, wait_done, &w, NULL);
    ret = wait_finish(&w, errp);
    qapi_free_SocketAddress(saddr);
    if (ret < 0) {
        object_unref(OBJECT(sioc));
        return -1;
    }
    qiocat_end_set_channel(end, QIO_CHANNEL(sioc), addr->text);
    object_unref(OBJECT(sioc));
    return 0;
}

static int open_exec(QiocatEnd *end, QiocatAddr *addr, Error **errp)
{
    /* The command channel does no PATH search, so resolve argv[0] here. */
    char *prog = g_find_program_in_path(addr->argv[0]);
    g_auto(GStrv) argv = NULL;
    QIOChannelCommand *cmd;

    if (!prog) {
        error_setg(errp, "command '%s' not found", addr->argv[0]);
        return -1;
    }
    argv = g_strdupv(addr->argv);
    g_free(argv[0]);
    argv[0] = prog;
    cmd = qio_channel_command_new_spawn((const char *const *)argv, O_RDWR,
                                        errp);
    if (!cmd) {
        return -1;
    }
    qiocat_end_set_channel(end, QIO_CHANNEL(cmd), addr->text);
    object_unref(OBJECT(cmd));
    return 0;
}

static QIOChannel *file_channel_for_fd(int fd, Error **errp)
{
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);

    if (copy < 0) {
        error_setg_errno(errp, errno, "cannot duplicate fd %d", fd);
        return NULL;
    }
    return QIO_CHANNEL(qio_channel_file_new_fd(copy));
}

static int open_stdio(QiocatEnd *end, QiocatAddr *addr, Error **errp)
{
    end->rd = file_channel_for_fd(STDIN_FILENO, errp);
    if (!end->rd) {
        return -1;
    }
    end->wr = file_channel_for_fd(STDOUT_FILENO, errp);
    if (!end->wr) {
        return -1;
    }
    end->label = g_strdup(addr->text);
    return 0;
}

static int open_file(QiocatEnd *end, QiocatAddr *addr, bool second,
                     Error **errp)
{
    QiocatFileMode mode = addr->file_mode;
    QIOChannelFile *fioc;
    int flags;

    if (mode == QIOCAT_FILE_DEFAULT) {
        mode = second ? QIOCAT_FILE_WRITE : QIOCAT_FILE_READ;
    }
    flags = mode == QIOCAT_FILE_READ ? O_RDONLY :
        mode == QIOCAT_FILE_WRITE ? O_WRONLY | O_CREAT | O_TRUNC :
        O_WRONLY | O_CREAT | O_APPEND;
    fioc = qio_channel_file_new_path(addr->path, flags | O_CLOEXEC, 0644,
                                     errp);
    if (!fioc) {
        return -1;
    }
    if (mode == QIOCAT_FILE_READ) {
        end->rd = QIO_CHANNEL(fioc);
    } else {
        end->wr = QIO_CHANNEL(fioc);
    }
    end->label = g_strdup(addr->text);
    return 0;
}

static bool dir_has(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);

    return g_file_test(path, G_FILE_TEST_EXISTS);
}

static QiocatCreds *creds_for_layer(QiocatLayer *layer, Error **errp)
{
    bool server = layer->kind == QIOCAT_LAYER_TLS_SERVER;
    bool psk = layer->psk_user ||
        (dir_has(layer->creds, "keys.psk") &&
         !dir_has(layer->creds, "ca-cert.pem"));
    QiocatCreds *c;
    g_autofree char *id = NULL;
    Object *obj;

    if (!creds_by_layer) {
        creds_by_layer = g_hash_table_new(NULL, NULL);
    }
    c = g_hash_table_lookup(creds_by_layer, layer);
    if (c) {
        return c;
    }
    id = g_strdup_printf("qiocat-creds%u", creds_serial++);
    if (psk) {
        obj = object_new_with_props(TYPE_QCRYPTO_TLS_CREDS_PSK,
                                    object_get_objects_root(), id, errp,
                                    "endpoint", server ? "server" : "client",
                                    "dir", layer->creds,
                                    "username", layer->psk_user ?
                                    layer->psk_user : "qiocat",
                                    NULL);
    } else {
        obj = object_new_with_props(TYPE_QCRYPTO_TLS_CREDS_X509,
                                    object_get_objects_root(), id, errp,
                                    "endpoint", server ? "server" : "client",
                                    "dir", layer->creds,
                                    "verify-peer", layer->verify ? "yes" : "no",
                                    NULL);
    }
    if (!obj) {
        error_prepend(errp, "TLS credentials in '%s': ", layer->creds);
        return NULL;
    }
    c = g_new0(QiocatCreds, 1);
    c->creds = QCRYPTO_TLS_CREDS(obj);
    if (layer->acl) {
        qemu_acl *acl;

        c->aclname = g_strdup_printf("qiocat-acl%u", creds_serial++);
        acl = qemu_acl_init(c->aclname);
        qemu_acl_reset(acl);
        qemu_acl_append(acl, 0, layer->acl);
    }
    g_hash_table_insert(creds_by_layer, layer, c);
    return c;
}

static void creds_free(gpointer data)
{
    QiocatCreds *c = data;

    object_unparent(OBJECT(c->creds));
    g_free(c->aclname);
    g_free(c);
}

void qiocat_creds_cleanup(void)
{
    GHashTableIter iter;
    gpointer value;

    if (!creds_by_layer) {
        return;
    }
    g_hash_table_iter_init(&iter, creds_by_layer);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        creds_free(value);
    }
    g_hash_table_destroy(creds_by_layer);
    creds_by_layer = NULL;
}

static int add_tls(QiocatEnd *end, QiocatLayer *layer, Error **errp)
{
    QiocatCreds *c = creds_for_layer(layer, errp);
    QIOChannelTLS *tls;
    QiocatWait w;

    if (!c) {
        return -1;
    }
    if (layer->kind == QIOCAT_LAYER_TLS_SERVER) {
        tls = qio_channel_tls_new_server(end->rd, c->creds, c->aclname, errp);
    } else {
        tls = qio_channel_tls_new_client(end->rd, c->creds, layer->hostname,
                                         errp);
    }
    if (!tls) {
        return -1;
    }
    end_push_layer(end, QIO_CHANNEL(tls));
    end->tls = QIO_CHANNEL(tls);
    end->ws_on_top = false;
    wait_init(&w);
    qio_channel_tls_handshake(tls, wait_done, &w, NULL);
    if (wait_finish(&w, errp) < 0) {
        error_prepend(errp, "TLS handshake: ");
        return -1;
    }
    return 0;
}

static int add_websock(QiocatEnd *end, QiocatAddr *addr, QiocatLayer *layer,
                       Error **errp)
{
    QIOChannelWebsock *ws;
    QiocatWait w;

    if (layer->kind == QIOCAT_LAYER_WS_SERVER) {
        ws = qio_channel_websock_new_server(end->rd);
        if (layer->path) {
            qio_channel_websock_set_path(ws, layer->path);
        }
    } else {
        const char *host = layer->hostname ? layer->hostname :
            addr->host ? addr->host : "localhost";

        ws = qio_channel_websock_new_client(end->rd, host,
                                            layer->path ? layer->path : "/");
    }
    end_push_layer(end, QIO_CHANNEL(ws));
    end->websock = true;
    end->ws_on_top = true;
    wait_init(&w);
    qio_channel_websock_handshake(ws, wait_done, &w, NULL);
    if (wait_finish(&w, errp) < 0) {
        error_prepend(errp, "websocket handshake: ");
        return -1;
    }
    return 0;
}

int qiocat_end_add_layers(QiocatEnd *end, QiocatAddr *addr, Error **errp)
{
    guint i;

    if (addr->layers->len == 0) {
        return 0;
    }
    /* Address validation keeps layers off stdio and file: addresses. */
    g_assert(end->rd == end->wr);
    qio_channel_set_blocking(end->rd, false, NULL);
    for (i = 0; i < addr->layers->len; i++) {
        QiocatLayer *layer = g_ptr_array_index(addr->layers, i);
        int ret;

        if (layer->kind == QIOCAT_LAYER_TLS_CLIENT ||
            layer->kind == QIOCAT_LAYER_TLS_SERVER) {
            ret = add_tls(end, layer, errp);
        } else {
            ret = add_websock(end, addr, layer, errp);
        }
        if (ret < 0) {
            return -1;
        }
    }
    return 0;
}

int qiocat_end_open(QiocatEnd *end, QiocatAddr *addr, bool second,
                    Error **errp)
{
    int ret;

    switch (addr->kind) {
    case QIOCAT_KIND_TCP:
    case QIOCAT_KIND_UNIX:
        ret = open_socket(end, addr, errp);
        break;
    case QIOCAT_KIND_EXEC:
        ret = open_exec(end, addr, errp);
        break;
    case QIOCAT_KIND_STDIO:
        ret = open_stdio(end, addr, errp);
        break;
    case QIOCAT_KIND_FILE:
        ret = open_file(end, addr, second, errp);
        break;
    default:
        g_assert_not_reached();
    }
    if (ret == 0) {
        ret = qiocat_end_add_layers(end, addr, errp);
    }
    return ret;
}

static QIOChannelCommand *as_command(QIOChannel *ioc)
{
    return (QIOChannelCommand *)object_dynamic_cast(OBJECT(ioc),
                                                    TYPE_QIO_CHANNEL_COMMAND);
}

void coroutine_fn qiocat_end_shutdown_write(QiocatEnd *end)
{
    QIOChannelCommand *cmd;

    if (!end->wr || end->wr_shut) {
        return;
    }
    end->wr_shut = true;
    if (end->ws_on_top) {
        /*
         * The websocket's close frame must be the last thing sent; the
         * channel half-closes whatever is below it once that is flushed.
         */
        qio_channel_shutdown(end->wr, QIO_CHANNEL_SHUTDOWN_WRITE, NULL);
        return;
    }
    if (end->rd != end->wr) {
        /* stdio and file: no peer to half-close, just stop writing. */
        qio_channel_close(end->wr, NULL);
        object_unref(OBJECT(end->wr));
        end->wr = NULL;
        return;
    }
    if (end->tls) {
        while (qio_channel_tls_bye(QIO_CHANNEL_TLS(end->tls), NULL) ==
               QIO_CHANNEL_ERR_BLOCK) {
            qio_channel_yield(end->tls, G_IO_OUT);
        }
        if (end->websock) {
            /*
             * TLS rides on a websocket: close_notify is the half-close.
             * A close frame now would stop the peer's replies as well, so
             * the websocket ends only when the end is closed.
             */
            return;
        }
    }
    cmd = as_command(end->base);
    if (cmd) {
        /* The command sees EOF on its stdin. */
        if (cmd->writefd >= 0) {
            close(cmd->writefd);
            cmd->writefd = -1;
        }
        return;
    }
    if (qio_channel_has_feature(end->base, QIO_CHANNEL_FEATURE_SHUTDOWN)) {
        qio_channel_shutdown(end->base, QIO_CHANNEL_SHUTDOWN_WRITE, NULL);
    }
}

void qiocat_end_abort(QiocatEnd *end)
{
    QIOChannelCommand *cmd;

    if (!end->base) {
        return;
    }
    cmd = as_command(end->base);
    if (cmd) {
        if (cmd->pid > 0) {
            kill(cmd->pid, SIGTERM);
        }
        return;
    }
    if (qio_channel_has_feature(end->base, QIO_CHANNEL_FEATURE_SHUTDOWN)) {
        qio_channel_shutdown(end->base, QIO_CHANNEL_SHUTDOWN_BOTH, NULL);
    }
}

static void drop_channel(QIOChannel **ioc)
{
    if (*ioc) {
        qio_channel_close(*ioc, NULL);
        object_unref(OBJECT(*ioc));
        *ioc = NULL;
    }
}

void qiocat_end_close(QiocatEnd *end)
{
    if (end->rd == end->wr) {
        end->wr = NULL;
    }
    drop_channel(&end->rd);
    drop_channel(&end->wr);
    if (end->base) {
        object_unref(OBJECT(end->base));
        end->base = NULL;
    }
    end->tls = NULL;
    end->websock = false;
    end->ws_on_top = false;
    end->wr_shut = false;
    g_free(end->label);
    end->label = NULL;
}
