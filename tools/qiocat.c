/*
 * qiocat: relay bytes between two addresses - TCP, UNIX sockets, commands,
 * files or stdio, optionally wrapped in TLS and websockets - using only
 * libqio channels, coroutines and one GLib main loop.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/coroutine.h"
#include "qemu/error-report.h"
#include "qemu/module.h"
#include "io/channel-socket.h"
#include "crypto/init.h"
#include "qiocat-addr.h"
#include "qiocat-end.h"

#include <glib-unix.h>

typedef struct Qiocat {
    QiocatAddr *addr[2];
    int listen_idx;             /* which address listens, or -1 */
    gsize bufsize;
    gboolean verbose;
    gboolean stats;
    gint idle_timeout;          /* seconds, 0 for none */
    gint max_clients;           /* 0 for no limit */
    GMainLoop *loop;
    QIOChannelSocket *listener;
    guint accept_tag;
    unsigned int active;
    unsigned int serial;
    guint64 total_bytes[2];
    int exit_code;
} Qiocat;

typedef struct QiocatConn QiocatConn;

/* One direction of a connection: from ends[from] to ends[!from]. */
typedef struct QiocatDir {
    QiocatConn *conn;
    int from;
} QiocatDir;

struct QiocatConn {
    Qiocat *app;
    unsigned int id;
    QIOChannelSocket *accepted;
    QiocatEnd ends[2];
    QiocatDir dirs[2];
    int running;                /* relay coroutines not finished yet */
    guint64 bytes[2];           /* bytes[i]: copied out of ends[i] */
    gint64 started;
    gint64 last_active;
    guint idle_tag;
    bool cut;                   /* a websocket peer closed: stop both ways */
    Error *err;                 /* the first runtime error */
    char *err_where;            /* the address it concerns */
};

static void accept_watch_update(Qiocat *app);

static void conn_report(QiocatConn *conn)
{
    Qiocat *app = conn->app;
    double secs = (g_get_monotonic_time() - conn->started) / 1e6;

    app->total_bytes[0] += conn->bytes[0];
    app->total_bytes[1] += conn->bytes[1];
    if (conn->err) {
        error_report("%s: %s", conn->err_where, error_get_pretty(conn->err));
    }
    if (app->verbose) {
        error_report("connection %u (%s): %" PRIu64 " bytes from %s, "
                     "%" PRIu64 " bytes from %s, %.3f s%s",
                     conn->id, conn->ends[app->listen_idx < 0 ? 0 :
                                          app->listen_idx].label,
                     conn->bytes[0], app->addr[0]->text,
                     conn->bytes[1], app->addr[1]->text, secs,
                     conn->err ? ", failed" : "");
    }
}

static void conn_finish(QiocatConn *conn)
{
    Qiocat *app = conn->app;

    conn_report(conn);
    if (conn->err && app->listen_idx < 0) {
        app->exit_code = 1;
    }
    if (conn->idle_tag) {
        g_source_remove(conn->idle_tag);
    }
    qiocat_end_close(&conn->ends[0]);
    qiocat_end_close(&conn->ends[1]);
    if (conn->accepted) {
        object_unref(OBJECT(conn->accepted));
    }
    error_free(conn->err);
    g_free(conn->err_where);
    g_free(conn);

    app->active--;
    if (app->listen_idx < 0) {
        g_main_loop_quit(app->loop);
    } else {
        accept_watch_update(app);
    }
}

/* Records the first error and cuts both ends so the other direction ends. */
static void conn_fail(QiocatConn *conn, const char *where, Error *err)
{
    if (conn->err) {
        error_free(err);
        return;
    }
    conn->err = err;
    conn->err_where = g_strdup(where);
    qiocat_end_abort(&conn->ends[0]);
    qiocat_end_abort(&conn->ends[1]);
}

static void conn_touch(QiocatConn *conn)
{
    conn->last_active = g_get_monotonic_time();
}

static gboolean conn_idle_check(gpointer opaque)
{
    QiocatConn *conn = opaque;
    gint64 limit = (gint64)conn->app->idle_timeout * G_USEC_PER_SEC;
    gint64 idle = g_get_monotonic_time() - conn->last_active;

    if (idle < limit) {
        conn->idle_tag = g_timeout_add((limit - idle) / 1000 + 1,
                                       conn_idle_check, conn);
        return G_SOURCE_REMOVE;
    }
    conn->idle_tag = 0;
    {
        Error *err = NULL;

        error_setg(&err, "idle for %d seconds, closing",
                   conn->app->idle_timeout);
        conn_fail(conn, conn->ends[0].label ? conn->ends[0].label :
                  conn->app->addr[0]->text, err);
    }
    return G_SOURCE_REMOVE;
}

static void coroutine_fn conn_direction_done(QiocatConn *conn)
{
    int i;

    if (--conn->running == 0) {
        /*
         * An end that was never sent an EOF (the other side could not be
         * read, like a file: being written) still deserves a proper
         * goodbye, or a TLS peer would take the close for truncation.
         */
        for (i = 0; i < 2 && !conn->err && !conn->cut; i++) {
            qiocat_end_shutdown_write(&conn->ends[i]);
        }
        conn_finish(conn);
    } else if (conn->cut && conn->app->listen_idx < 0) {
        /* The other direction may wait on stdin, which nothing can wake:
         * with a single connection, just stop. */
        g_main_loop_quit(conn->app->loop);
    }
}

/*
 * Copies until EOF or an error, waiting with qio_channel_yield().  A
 * direction whose source cannot be read (a file: being written) does not
 * exist, so it sends no EOF either.
 */
static void coroutine_fn relay_co(void *opaque)
{
    QiocatDir *dir = opaque;
    QiocatConn *conn = dir->conn;
    QiocatEnd *src = &conn->ends[dir->from];
    QiocatEnd *dst = &conn->ends[!dir->from];
    char *buf;
    Error *err = NULL;
    bool eof = false;

    if (!src->rd) {
        conn_direction_done(conn);
        return;
    }
    buf = g_malloc(conn->app->bufsize);
    while (!conn->err && !conn->cut) {
        ssize_t n = qio_channel_read(src->rd, buf, conn->app->bufsize, &err);

        if (n == QIO_CHANNEL_ERR_BLOCK) {
            qio_channel_yield(src->rd, G_IO_IN);
            continue;
        }
        if (n < 0) {
            conn_fail(conn, src->label, err);
            break;
        }
        if (n == 0) {
            eof = true;
            break;
        }
        conn_touch(conn);
        if (dst->wr && qio_channel_write_all(dst->wr, buf, n, &err) < 0) {
            conn_fail(conn, dst->label, err);
            break;
        }
        conn->bytes[dir->from] += n;
        conn_touch(conn);
    }
    g_free(buf);
    if (eof && src->ws_on_top) {
        /*
         * The peer closed the websocket: nothing more can reach it.  (With
         * TLS on top, EOF is close_notify, a half-close like on TCP.)
         */
        conn->cut = true;
        qiocat_end_abort(dst);
    } else if (eof) {
        qiocat_end_shutdown_write(dst);
    }
    conn_direction_done(conn);
}

static void conn_start_relay(QiocatConn *conn)
{
    int i;

    for (i = 0; i < 2; i++) {
        if (conn->ends[i].rd) {
            qio_channel_set_blocking(conn->ends[i].rd, false, NULL);
        }
        if (conn->ends[i].wr) {
            qio_channel_set_blocking(conn->ends[i].wr, false, NULL);
        }
    }
    if (conn->app->idle_timeout > 0) {
        conn->idle_tag = g_timeout_add_seconds(conn->app->idle_timeout,
                                               conn_idle_check, conn);
    }
    conn->running = 2;
    for (i = 0; i < 2; i++) {
        conn->dirs[i].conn = conn;
        conn->dirs[i].from = i;
        qemu_coroutine_enter(qemu_coroutine_create(relay_co),
                             &conn->dirs[i]);
    }
}

/* Opens (or adopts) both ends, runs their handshakes, starts relaying. */
static void coroutine_fn conn_setup_co(void *opaque)
{
    QiocatConn *conn = opaque;
    Qiocat *app = conn->app;
    int i;

    for (i = 0; i < 2; i++) {
        Error *err = NULL;
        int ret;

        if (i == app->listen_idx) {
            g_autofree char *label = NULL;
            SocketAddress *peer =
                qio_channel_socket_get_remote_address(conn->accepted, NULL);

            if (peer && peer->type == SOCKET_ADDRESS_KIND_INET) {
                label = g_strdup_printf("%s:%s", peer->u.inet->host,
                                        peer->u.inet->port);
            } else {
                label = g_strdup(app->addr[i]->text);
            }
            qapi_free_SocketAddress(peer);
            qiocat_end_set_channel(&conn->ends[i],
                                   QIO_CHANNEL(conn->accepted), label);
            ret = qiocat_end_add_layers(&conn->ends[i], app->addr[i], &err);
        } else {
            ret = qiocat_end_open(&conn->ends[i], app->addr[i], i == 1, &err);
        }
        if (ret < 0) {
            conn->err = err;
            conn->err_where = g_strdup(app->addr[i]->text);
            conn_finish(conn);
            return;
        }
    }
    conn_start_relay(conn);
}

static void conn_start(Qiocat *app, QIOChannelSocket *accepted)
{
    QiocatConn *conn = g_new0(QiocatConn, 1);

    conn->app = app;
    conn->id = ++app->serial;
    conn->accepted = accepted;
    conn->started = g_get_monotonic_time();
    conn_touch(conn);
    app->active++;
    accept_watch_update(app);
    qemu_coroutine_enter(qemu_coroutine_create(conn_setup_co), conn);
}

static gboolean accept_ready(QIOChannel *ioc, GIOCondition cond,
                             gpointer opaque)
{
    Qiocat *app = opaque;
    Error *err = NULL;
    QIOChannelSocket *client;

    client = qio_channel_socket_accept(app->listener, &err);
    if (!client) {
        error_report("%s: %s", app->addr[app->listen_idx]->text,
                     error_get_pretty(err));
        error_free(err);
        return G_SOURCE_CONTINUE;
    }
    conn_start(app, client);
    return G_SOURCE_CONTINUE;
}

/* Accepts only while under --max-clients. */
static void accept_watch_update(Qiocat *app)
{
    bool want = app->listener &&
        (app->max_clients == 0 || app->active < (unsigned)app->max_clients);

    if (want && !app->accept_tag) {
        app->accept_tag = qio_channel_add_watch(QIO_CHANNEL(app->listener),
                                                G_IO_IN, accept_ready, app,
                                                NULL);
    } else if (!want && app->accept_tag) {
        g_source_remove(app->accept_tag);
        app->accept_tag = 0;
    }
}

static void print_listen_address(Qiocat *app)
{
    SocketAddress *local =
        qio_channel_socket_get_local_address(app->listener, NULL);

    if (!local) {
        return;
    }
    if (local->type == SOCKET_ADDRESS_KIND_INET) {
        error_report("listening on %s:%s", local->u.inet->host,
                     local->u.inet->port);
    } else if (local->type == SOCKET_ADDRESS_KIND_UNIX) {
        error_report("listening on %s", local->u.q_unix->path);
    }
    qapi_free_SocketAddress(local);
}

static int start_listener(Qiocat *app, Error **errp)
{
    QiocatAddr *addr = app->addr[app->listen_idx];
    SocketAddress *saddr = g_new0(SocketAddress, 1);
    int ret;

    if (addr->kind == QIOCAT_KIND_TCP_LISTEN) {
        saddr->type = SOCKET_ADDRESS_KIND_INET;
        saddr->u.inet = g_new0(InetSocketAddress, 1);
        saddr->u.inet->host = g_strdup(addr->host);
        saddr->u.inet->port = g_strdup(addr->port);
    } else {
        saddr->type = SOCKET_ADDRESS_KIND_UNIX;
        saddr->u.q_unix = g_new0(UnixSocketAddress, 1);
        saddr->u.q_unix->path = g_strdup(addr->path);
    }
    app->listener = qio_channel_socket_new();
    ret = qio_channel_socket_listen_sync(app->listener, saddr, errp);
    qapi_free_SocketAddress(saddr);
    if (ret < 0) {
        return -1;
    }
    if (app->verbose) {
        print_listen_address(app);
    }
    accept_watch_update(app);
    return 0;
}

static gboolean on_signal(gpointer opaque)
{
    Qiocat *app = opaque;

    g_main_loop_quit(app->loop);
    return G_SOURCE_CONTINUE;
}

static bool parse_size(const char *text, gsize *out)
{
    char *end;
    guint64 value;
    guint64 scale = 1;

    errno = 0;
    value = g_ascii_strtoull(text, &end, 10);
    if (errno || end == text) {
        return false;
    }
    if (*end == 'k' || *end == 'K') {
        scale = 1024;
        end++;
    } else if (*end == 'm' || *end == 'M') {
        scale = 1024 * 1024;
        end++;
    }
    if (*end != '\0' || value == 0 || value > (64 * 1024 * 1024) / scale) {
        return false;
    }
    *out = value * scale;
    return true;
}

static int usage_error(GOptionContext *ctx, const char *fmt, ...)
    GCC_FMT_ATTR(2, 3);

static int usage_error(GOptionContext *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vreport(fmt, ap);
    va_end(ap);
    error_printf("Try 'qiocat --help' for more information.\n");
    g_option_context_free(ctx);
    return 2;
}

/* Parses the command line into @app; returns -1 to go on or an exit code. */
static int parse_args(Qiocat *app, int argc, char **argv)
{
    gchar *bufsize_text = NULL;
    GOptionEntry entries[] = {
        { "verbose", 'v', 0, G_OPTION_ARG_NONE, &app->verbose,
          "Print a line per connection: peer, bytes each way, duration",
          NULL },
        { "stats", 0, 0, G_OPTION_ARG_NONE, &app->stats,
          "Print totals at exit", NULL },
        { "buffer", 'b', 0, G_OPTION_ARG_STRING, &bufsize_text,
          "Relay buffer size per direction (default 64K)", "SIZE" },
        { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &app->idle_timeout,
          "Close a connection idle for this long", "SECONDS" },
        { "max-clients", 0, 0, G_OPTION_ARG_INT, &app->max_clients,
          "Serve at most N clients at once", "N" },
        { NULL }
    };
    GOptionContext *ctx = g_option_context_new("ADDRESS ADDRESS");
    GError *gerr = NULL;
    Error *err = NULL;
    int i;

    g_option_context_set_summary(ctx,
        "Relay bytes both ways between two addresses until both directions "
        "are finished.");
    g_option_context_set_description(ctx, qiocat_addr_help());
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &gerr)) {
        int ret = usage_error(ctx, "%s", gerr->message);

        g_error_free(gerr);
        return ret;
    }
    app->bufsize = 64 * 1024;
    if (bufsize_text && !parse_size(bufsize_text, &app->bufsize)) {
        g_free(bufsize_text);
        return usage_error(ctx, "-b: expected a size such as 4096, 64K or "
                           "1M (at most 64M)");
    }
    g_free(bufsize_text);
    if (app->idle_timeout < 0) {
        return usage_error(ctx, "--idle-timeout: expected a number of "
                           "seconds, 0 (no timeout) or more, got %d",
                           app->idle_timeout);
    }
    if (app->max_clients < 0) {
        return usage_error(ctx, "--max-clients: expected a number of "
                           "clients, 0 (no limit) or more, got %d",
                           app->max_clients);
    }
    if (argc != 3) {
        return usage_error(ctx, "expected two addresses, got %d", argc - 1);
    }
    app->listen_idx = -1;
    for (i = 0; i < 2; i++) {
        app->addr[i] = qiocat_addr_parse(argv[i + 1], &err);
        if (!app->addr[i]) {
            int ret = usage_error(ctx, "%s", error_get_pretty(err));

            error_free(err);
            return ret;
        }
        if (qiocat_addr_is_listen(app->addr[i])) {
            if (app->listen_idx >= 0) {
                return usage_error(ctx, "only one address may listen");
            }
            app->listen_idx = i;
        }
    }
    g_option_context_free(ctx);
    return -1;
}

static void print_stats(Qiocat *app)
{
    error_report("%u connection%s, %" PRIu64 " bytes from %s, %" PRIu64
                 " bytes from %s", app->serial, app->serial == 1 ? "" : "s",
                 app->total_bytes[0], app->addr[0]->text,
                 app->total_bytes[1], app->addr[1]->text);
}

int main(int argc, char **argv)
{
    Qiocat app = { 0 };
    Error *err = NULL;
    int ret;

    error_set_progname(argv[0]);
    signal(SIGPIPE, SIG_IGN);
    ret = parse_args(&app, argc, argv);
    if (ret >= 0) {
        qiocat_addr_free(app.addr[0]);
        qiocat_addr_free(app.addr[1]);
        return ret;
    }
    module_call_init(MODULE_INIT_QOM);
    if (qcrypto_init(&err) < 0) {
        error_report_err(err);
        return 1;
    }
    app.loop = g_main_loop_new(NULL, FALSE);
    g_unix_signal_add(SIGINT, on_signal, &app);
    g_unix_signal_add(SIGTERM, on_signal, &app);

    if (app.listen_idx >= 0) {
        if (start_listener(&app, &err) < 0) {
            error_report("%s: %s", app.addr[app.listen_idx]->text,
                         error_get_pretty(err));
            error_free(err);
            app.exit_code = 1;
        }
    } else {
        conn_start(&app, NULL);
    }
    if (app.exit_code == 0 && (app.listen_idx >= 0 || app.active > 0)) {
        g_main_loop_run(app.loop);
    }
    if (app.stats) {
        print_stats(&app);
    }
    if (app.accept_tag) {
        g_source_remove(app.accept_tag);
    }
    if (app.listener) {
        object_unref(OBJECT(app.listener));
    }
    qiocat_creds_cleanup();
    g_main_loop_unref(app.loop);
    qiocat_addr_free(app.addr[0]);
    qiocat_addr_free(app.addr[1]);
    return app.exit_code;
}
