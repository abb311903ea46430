/*
 * qiocat: parsing the address grammar.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qiocat-addr.h"

static const char addr_help[] =
    "ADDRESS is BASE[,LAYER-OPTIONS...] where BASE is one of\n"
    "  tcp:HOST:PORT            connect over TCP ([v6addr] in brackets)\n"
    "  tcp-listen:[HOST:]PORT   accept TCP clients (HOST 0.0.0.0 if omitted)\n"
    "  unix:PATH                connect to a UNIX socket\n"
    "  unix-listen:PATH         accept clients on a UNIX socket\n"
    "  exec:\"CMD ARGS\"          run CMD (found in PATH), relaying its stdin\n"
    "                           and stdout; quote inside with single quotes\n"
    "  file:PATH[,mode=r|w|a]   read PATH (first address) or write it"
    " (second)\n"
    "  stdio, -                 standard input and output\n"
    "and the layers, applied in the order given (tls then ws gives wss):\n"
    "  tls=client|server,creds=DIR[,hostname=H][,acl=PATTERN]"
    "[,verify=yes|no][,psk-user=U]\n"
    "      DIR holds ca-cert.pem, {server,client}-{cert,key}.pem, or keys.psk\n"
    "      verify defaults to yes for clients, no for servers\n"
    "  ws=server[,path=/p]      accept a websocket upgrade (any path if"
    " omitted)\n"
    "  ws=client[,host=H][,path=/p]\n"
    "Quote a value containing commas with double quotes.\n";

const char *qiocat_addr_help(void)
{
    return addr_help;
}

static void layer_free(gpointer data)
{
    QiocatLayer *layer = data;

    g_free(layer->creds);
    g_free(layer->hostname);
    g_free(layer->acl);
    g_free(layer->psk_user);
    g_free(layer->path);
    g_free(layer);
}

void qiocat_addr_free(QiocatAddr *addr)
{
    if (!addr) {
        return;
    }
    g_free(addr->text);
    g_free(addr->host);
    g_free(addr->port);
    g_free(addr->path);
    g_strfreev(addr->argv);
    g_ptr_array_unref(addr->layers);
    g_free(addr);
}

bool qiocat_addr_is_listen(const QiocatAddr *addr)
{
    return addr->kind == QIOCAT_KIND_TCP_LISTEN ||
           addr->kind == QIOCAT_KIND_UNIX_LISTEN;
}

/* Splits on commas that are not inside double quotes. */
static GPtrArray *split_fields(const char *text, Error **errp)
{
    GPtrArray *fields = g_ptr_array_new_with_free_func(g_free);
    const char *start = text;
    bool quoted = false;
    const char *p;

    for (p = text; ; p++) {
        if (*p == '"') {
            quoted = !quoted;
        } else if ((*p == ',' && !quoted) || *p == '\0') {
            g_ptr_array_add(fields, g_strndup(start, p - start));
            start = p + 1;
        }
        if (*p == '\0') {
            break;
        }
    }
    if (quoted) {
        error_setg(errp, "unterminated double quote in '%s'", text);
        g_ptr_array_unref(fields);
        return NULL;
    }
    return fields;
}

/* Removes one pair of surrounding double quotes, if present. */
static char *unquote(const char *value)
{
    size_t len = strlen(value);

    if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
        return g_strndup(value + 1, len - 2);
    }
    return g_strdup(value);
}

static bool parse_port(const char *port, bool listen, const char *what,
                       Error **errp)
{
    guint64 value;

    if (!g_ascii_string_to_unsigned(port, 10, listen ? 0 : 1, 65535, &value,
                                    NULL)) {
        error_setg(errp, "%s: expected a port number %s65535 at '%s'", what,
                   listen ? "0-" : "1-", port);
        return false;
    }
    return true;
}

/* Splits "HOST:PORT" or "[V6]:PORT"; with @port_only_ok a bare "PORT". */
static bool parse_host_port_text(QiocatAddr *addr, const char *rest,
                                 bool listen, const char *what, Error **errp)
{
    const char *colon;

    if (rest[0] == '[') {
        const char *close = strchr(rest, ']');

        if (!close || close[1] != ':') {
            error_setg(errp, "%s: expected [IPV6-ADDRESS]:PORT at '%s'",
                       what, rest);
            return false;
        }
        addr->host = g_strndup(rest + 1, close - rest - 1);
        colon = close + 1;
    } else {
        colon = strrchr(rest, ':');
        if (!colon) {
            if (!listen) {
                error_setg(errp, "%s: expected HOST:PORT at '%s'", what,
                           rest);
                return false;
            }
            addr->host = g_strdup("0.0.0.0");
            colon = rest - 1;
        } else {
            addr->host = g_strndup(rest, colon - rest);
        }
    }
    if (colon >= rest && addr->host[0] == '\0') {
        error_setg(errp, "%s: expected a host name before ':' in '%s'",
                   what, rest);
        return false;
    }
    addr->port = g_strdup(colon + 1);
    return parse_port(addr->port, listen, what, errp);
}

static bool parse_base(QiocatAddr *addr, const char *base, Error **errp)
{
    const char *rest;
    GError *gerr = NULL;

    if (g_str_equal(base, "stdio") || g_str_equal(base, "-")) {
        addr->kind = QIOCAT_KIND_STDIO;
        return true;
    }
    if ((rest = g_str_has_prefix(base, "tcp:") ? base + 4 : NULL)) {
        addr->kind = QIOCAT_KIND_TCP;
        return parse_host_port_text(addr, rest, false, "tcp", errp);
    }
    if ((rest = g_str_has_prefix(base, "tcp-listen:") ? base + 11 : NULL)) {
        addr->kind = QIOCAT_KIND_TCP_LISTEN;
        return parse_host_port_text(addr, rest, true, "tcp-listen", errp);
    }
    if (g_str_has_prefix(base, "unix:") ||
        g_str_has_prefix(base, "unix-listen:") ||
        g_str_has_prefix(base, "file:")) {
        const char *colon = strchr(base, ':');

        addr->kind = g_str_has_prefix(base, "unix:") ? QIOCAT_KIND_UNIX :
            g_str_has_prefix(base, "file:") ? QIOCAT_KIND_FILE :
            QIOCAT_KIND_UNIX_LISTEN;
        addr->path = unquote(colon + 1);
        if (addr->path[0] == '\0') {
            error_setg(errp, "%.*s: expected a PATH after ':'",
                       (int)(colon - base), base);
            return false;
        }
        return true;
    }
    if (g_str_has_prefix(base, "exec:")) {
        g_autofree char *command = unquote(base + 5);

        addr->kind = QIOCAT_KIND_EXEC;
        if (!g_shell_parse_argv(command, NULL, &addr->argv, &gerr)) {
            error_setg(errp, "exec: expected a command after 'exec:' (%s)",
                       gerr->message);
            g_error_free(gerr);
            return false;
        }
        return true;
    }
    error_setg(errp, "expected tcp:, tcp-listen:, unix:, unix-listen:, "
               "exec:, file:, stdio or - at the start of '%s'", base);
    return false;
}

static QiocatLayer *last_layer(QiocatAddr *addr, bool tls)
{
    guint i;

    for (i = addr->layers->len; i > 0; i--) {
        QiocatLayer *layer = g_ptr_array_index(addr->layers, i - 1);
        bool is_tls = layer->kind == QIOCAT_LAYER_TLS_CLIENT ||
                      layer->kind == QIOCAT_LAYER_TLS_SERVER;

        if (is_tls == tls) {
            return layer;
        }
    }
    return NULL;
}

static bool add_layer(QiocatAddr *addr, const char *key, const char *value,
                      Error **errp)
{
    QiocatLayer *layer = g_new0(QiocatLayer, 1);
    bool tls = g_str_equal(key, "tls");

    if (g_str_equal(value, "client")) {
        layer->kind = tls ? QIOCAT_LAYER_TLS_CLIENT : QIOCAT_LAYER_WS_CLIENT;
    } else if (g_str_equal(value, "server")) {
        layer->kind = tls ? QIOCAT_LAYER_TLS_SERVER : QIOCAT_LAYER_WS_SERVER;
    } else {
        error_setg(errp, "%s=: expected 'client' or 'server', got '%s'", key,
                   value);
        g_free(layer);
        return false;
    }
    layer->verify = layer->kind == QIOCAT_LAYER_TLS_CLIENT;
    g_ptr_array_add(addr->layers, layer);
    return true;
}

/* Options that configure the most recent tls= or ws= layer. */
static bool set_layer_option(QiocatAddr *addr, const char *key,
                             const char *value, Error **errp)
{
    static const char *const tls_keys[] = {
        "creds", "hostname", "acl", "verify", "psk-user", NULL
    };
    bool tls = g_strv_contains(tls_keys, key);
    QiocatLayer *layer = last_layer(addr, tls);

    if (!tls && !g_str_equal(key, "path") && !g_str_equal(key, "host")) {
        error_setg(errp, "unknown option '%s': expected mode=, tls=, creds=, "
                   "hostname=, acl=, verify=, psk-user=, ws=, path= or "
                   "host=", key);
        return false;
    }
    if (!layer) {
        error_setg(errp, "option '%s=' must follow a %s= layer", key,
                   tls ? "tls" : "ws");
        return false;
    }
    if (g_str_equal(key, "verify")) {
        if (!g_str_equal(value, "yes") && !g_str_equal(value, "no")) {
            error_setg(errp, "verify=: expected 'yes' or 'no', got '%s'",
                       value);
            return false;
        }
        layer->verify = g_str_equal(value, "yes");
        return true;
    }
    if (g_str_equal(key, "path") && value[0] != '/') {
        error_setg(errp, "path=: expected a path starting with '/', got '%s'",
                   value);
        return false;
    }
    if (g_str_equal(key, "acl") && layer->kind == QIOCAT_LAYER_TLS_CLIENT) {
        error_setg(errp, "acl=: expected after tls=server, not tls=client "
                   "(only a server checks its peer's name against an ACL)");
        return false;
    }
    if (g_str_equal(key, "host") && layer->kind != QIOCAT_LAYER_WS_CLIENT) {
        error_setg(errp, "host=: expected after ws=client, not ws=server "
                   "(only a client sends a Host header)");
        return false;
    }
    {
        char **slot = g_str_equal(key, "creds") ? &layer->creds :
            g_str_equal(key, "hostname") || g_str_equal(key, "host") ?
            &layer->hostname :
            g_str_equal(key, "acl") ? &layer->acl :
            g_str_equal(key, "psk-user") ? &layer->psk_user : &layer->path;

        g_free(*slot);
        *slot = g_strdup(value);
    }
    return true;
}

static bool set_file_mode(QiocatAddr *addr, const char *value, Error **errp)
{
    if (addr->kind != QIOCAT_KIND_FILE) {
        error_setg(errp, "mode= applies to file: addresses only");
        return false;
    }
    if (g_str_equal(value, "r")) {
        addr->file_mode = QIOCAT_FILE_READ;
    } else if (g_str_equal(value, "w")) {
        addr->file_mode = QIOCAT_FILE_WRITE;
    } else if (g_str_equal(value, "a")) {
        addr->file_mode = QIOCAT_FILE_APPEND;
    } else {
        error_setg(errp, "mode=: expected r, w or a, got '%s'", value);
        return false;
    }
    return true;
}

static bool parse_option(QiocatAddr *addr, const char *field, Error **errp)
{
    const char *eq = strchr(field, '=');
    g_autofree char *key = NULL;
    g_autofree char *value = NULL;

    if (!eq || eq == field) {
        error_setg(errp, "expected KEY=VALUE after ',', got '%s'", field);
        return false;
    }
    key = g_strndup(field, eq - field);
    value = unquote(eq + 1);
    if (value[0] == '\0') {
        error_setg(errp, "%s=: expected a value after '=', got nothing", key);
        return false;
    }
    if (g_str_equal(key, "tls") || g_str_equal(key, "ws")) {
        return add_layer(addr, key, value, errp);
    }
    if (g_str_equal(key, "mode")) {
        return set_file_mode(addr, value, errp);
    }
    return set_layer_option(addr, key, value, errp);
}

static bool check_layers(QiocatAddr *addr, Error **errp)
{
    guint i;

    /*
     * A layer wraps one channel carrying both directions; stdio and file:
     * have one channel per direction (or only one of them).
     */
    if (addr->layers->len > 0 &&
        (addr->kind == QIOCAT_KIND_STDIO || addr->kind == QIOCAT_KIND_FILE)) {
        error_setg(errp, "tls= and ws= layers expected only on a "
                   "bidirectional address (tcp:, tcp-listen:, unix:, "
                   "unix-listen: or exec:), not on %s",
                   addr->kind == QIOCAT_KIND_FILE ? "file:" : "stdio");
        return false;
    }
    for (i = 0; i < addr->layers->len; i++) {
        QiocatLayer *layer = g_ptr_array_index(addr->layers, i);
        bool tls = layer->kind == QIOCAT_LAYER_TLS_CLIENT ||
                   layer->kind == QIOCAT_LAYER_TLS_SERVER;

        if (tls && !layer->creds) {
            error_setg(errp, "tls=%s: expected creds=DIR",
                       layer->kind == QIOCAT_LAYER_TLS_CLIENT ?
                       "client" : "server");
            return false;
        }
    }
    return true;
}

QiocatAddr *qiocat_addr_parse(const char *text, Error **errp)
{
    QiocatAddr *addr = g_new0(QiocatAddr, 1);
    GPtrArray *fields;
    guint i;

    addr->text = g_strdup(text);
    addr->layers = g_ptr_array_new_with_free_func(layer_free);
    fields = split_fields(text, errp);
    if (!fields) {
        goto fail;
    }
    if (!parse_base(addr, g_ptr_array_index(fields, 0), errp)) {
        goto fail;
    }
    for (i = 1; i < fields->len; i++) {
        if (!parse_option(addr, g_ptr_array_index(fields, i), errp)) {
            goto fail;
        }
    }
    if (!check_layers(addr, errp)) {
        goto fail;
    }
    g_ptr_array_unref(fields);
    return addr;

fail:
    if (fields) {
        g_ptr_array_unref(fields);
    }
    error_prepend(errp, "bad address '%s': ", text);
    qiocat_addr_free(addr);
    return NULL;
}
