/*
 * The SocketAddress layer: parsing socket address strings, and creating
 * connected, listening and datagram sockets for inet, unix and fd
 * addresses, with a GLib-driven non-blocking connect.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "qemu/sockets.h"

#include <poll.h>
#include <glib-unix.h>

/* One resolved address a stream connect may try. */
typedef struct SocketTarget {
    int family;
    int protocol;
    socklen_t len;
    struct sockaddr_storage ss;
} SocketTarget;

/* A non-blocking connect working through its list of targets. */
typedef struct ConnectState {
    SocketTarget *targets;
    size_t ntargets;
    size_t next;
    int fd;
    Error *err;
    NonBlockingConnectHandler *callback;
    void *opaque;
} ConnectState;

int qemu_socket(int domain, int type, int protocol)
{
    int fd;

#ifdef SOCK_CLOEXEC
    fd = socket(domain, type | SOCK_CLOEXEC, protocol);
    if (fd >= 0 || errno != EINVAL) {
        return fd;
    }
#endif
    fd = socket(domain, type, protocol);
    if (fd >= 0) {
        qemu_set_cloexec(fd);
    }
    return fd;
}

int qemu_accept(int s, struct sockaddr *addr, socklen_t *addrlen)
{
    int fd;

#ifdef CONFIG_ACCEPT4
    fd = accept4(s, addr, addrlen, SOCK_CLOEXEC);
    if (fd >= 0 || (errno != ENOSYS && errno != EINVAL)) {
        return fd;
    }
#endif
    fd = accept(s, addr, addrlen);
    if (fd >= 0) {
        qemu_set_cloexec(fd);
    }
    return fd;
}

int socket_set_cork(int fd, int v)
{
#ifdef TCP_CORK
    return setsockopt(fd, IPPROTO_TCP, TCP_CORK, &v, sizeof(v));
#else
    return 0;
#endif
}

int socket_set_nodelay(int fd)
{
    int v = 1;

    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v));
}

int socket_set_fast_reuse(int fd)
{
    int v = 1;

    return setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v));
}

int socket_init(void)
{
    return 0;
}

/*
 * Sleeps until @fd is ready for @events.  Readiness includes errors and
 * hangups: the I/O call that follows reports those itself.
 */
static int wait_fd_ready(int fd, short events)
{
    struct pollfd pfd = { .fd = fd, .events = events };
    int ret;

    do {
        ret = poll(&pfd, 1, -1);
    } while (ret < 0 && errno == EINTR);
    if (ret > 0 && (pfd.revents & POLLNVAL)) {
        errno = EBADF;
        return -1;
    }
    return ret < 0 ? -1 : 0;
}

int send_all(int fd, const void *buf, int count)
{
    const char *p = buf;
    size_t left;
    bool is_socket = true;

    if (count < 0) {
        errno = EINVAL;
        return -1;
    }
    left = count;
    while (left > 0) {
        ssize_t ret;

        if (is_socket) {
            ret = send(fd, p, left, MSG_NOSIGNAL);
            if (ret < 0 && errno == ENOTSOCK) {
                /* A pipe or a file: plain write() from now on. */
                is_socket = false;
                continue;
            }
        } else {
            ret = write(fd, p, left);
        }
        if (ret < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (wait_fd_ready(fd, POLLOUT) < 0) {
                    return -1;
                }
                continue;
            }
            return -1;
        }
        if (ret == 0) {
            /* No progress and no reason: retrying could spin forever. */
            errno = EIO;
            return -1;
        }
        p += ret;
        left -= ret;
    }
    return count;
}

int recv_all(int fd, void *buf, int len1, bool single_read)
{
    char *p = buf;
    size_t got = 0;

    if (len1 < 0) {
        errno = EINVAL;
        return -1;
    }
    while (got < (size_t)len1) {
        ssize_t ret = read(fd, p + got, (size_t)len1 - got);

        if (ret < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (wait_fd_ready(fd, POLLIN) < 0) {
                    return -1;
                }
                continue;
            }
            return -1;
        }
        if (ret == 0) {
            break;
        }
        got += ret;
        if (single_read) {
            break;
        }
    }
    return (int)got;
}

NetworkAddressFamily inet_netfamily(int family)
{
    switch (family) {
    case AF_INET:
        return NETWORK_ADDRESS_FAMILY_IPV4;
    case AF_INET6:
        return NETWORK_ADDRESS_FAMILY_IPV6;
    case AF_UNIX:
        return NETWORK_ADDRESS_FAMILY_UNIX;
    default:
        return NETWORK_ADDRESS_FAMILY_UNKNOWN;
    }
}

/*
 * A decimal number made of digits only (no sign, no blanks, no base
 * prefix), at most @max.
 */
static bool parse_decimal(const char *s, unsigned long max,
                          unsigned long *out)
{
    unsigned long v = 0;

    if (!s || !*s) {
        return false;
    }
    for (; *s; s++) {
        if (!g_ascii_isdigit(*s)) {
            return false;
        }
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > max) {
            return false;
        }
    }
    *out = v;
    return true;
}

/* Whether the host text @host must be written in brackets. */
static bool host_needs_brackets(const char *host)
{
    return host && strchr(host, ':') != NULL;
}

/* "host:port" or "[host]:port", for messages and inet_listen(). */
static char *inet_describe(const char *host, const char *port)
{
    const char *h = host ? host : "";
    const char *p = port ? port : "";

    if (host_needs_brackets(h)) {
        return g_strdup_printf("[%s]:%s", h, p);
    }
    return g_strdup_printf("%s:%s", h, p);
}

/* Reads "on"/"off" (or nothing, meaning on) for a boolean option. */
static bool parse_flag_option(const char *str, const char *opt,
                              const char *name, bool *value, Error **errp)
{
    size_t n = strlen(name);
    const char *rest = opt + n;

    if (*rest == '\0' || strcmp(rest, "=on") == 0) {
        *value = true;
        return true;
    }
    if (strcmp(rest, "=off") == 0) {
        *value = false;
        return true;
    }
    error_setg(errp, "address '%s': option '%s' expects '%s', '%s=on' "
               "or '%s=off'", str, opt, name, name, name);
    return false;
}

static bool inet_parse_options(InetSocketAddress *addr, const char *str,
                               const char *opts, Error **errp)
{
    char **list;
    bool ok = false;
    size_t i;

    /* g_strsplit() gives no element at all for an empty string. */
    if (*opts == '\0') {
        error_setg(errp, "address '%s': empty option after ','", str);
        return false;
    }
    list = g_strsplit(opts, ",", -1);
    for (i = 0; list[i]; i++) {
        const char *opt = list[i];
        unsigned long to;

        if (*opt == '\0') {
            error_setg(errp, "address '%s': empty option after ','", str);
            goto out;
        }
        if (g_str_has_prefix(opt, "to=")) {
            if (!parse_decimal(opt + 3, 65535, &to)) {
                error_setg(errp, "address '%s': 'to=' expects a port number "
                           "from 0 to 65535, got '%s'", str, opt + 3);
                goto out;
            }
            addr->has_to = true;
            addr->to = (uint16_t)to;
        } else if (g_str_has_prefix(opt, "ipv4") &&
                   (opt[4] == '\0' || opt[4] == '=')) {
            if (!parse_flag_option(str, opt, "ipv4", &addr->ipv4, errp)) {
                goto out;
            }
            addr->has_ipv4 = true;
        } else if (g_str_has_prefix(opt, "ipv6") &&
                   (opt[4] == '\0' || opt[4] == '=')) {
            if (!parse_flag_option(str, opt, "ipv6", &addr->ipv6, errp)) {
                goto out;
            }
            addr->has_ipv6 = true;
        } else {
            error_setg(errp, "address '%s': unknown option '%s' (expected "
                       "'to=PORT', 'ipv4' or 'ipv6')", str, opt);
            goto out;
        }
    }
    ok = true;
out:
    g_strfreev(list);
    return ok;
}

InetSocketAddress *inet_parse(const char *str, Error **errp)
{
    InetSocketAddress *addr = g_new0(InetSocketAddress, 1);
    const char *comma;
    char *hostport = NULL;
    const char *port;

    if (!str) {
        error_setg(errp, "no address given: expected 'host:port'");
        goto fail;
    }
    comma = strchr(str, ',');
    hostport = comma ? g_strndup(str, comma - str) : g_strdup(str);

    if (hostport[0] == '[') {
        char *close = strchr(hostport, ']');

        if (!close) {
            error_setg(errp, "address '%s': missing ']' after the IPv6 "
                       "address", str);
            goto fail;
        }
        if (close == hostport + 1) {
            error_setg(errp, "address '%s': empty IPv6 address between "
                       "'[' and ']'", str);
            goto fail;
        }
        if (close[1] != ':') {
            error_setg(errp, "address '%s': expected ':' and a port after "
                       "']'", str);
            goto fail;
        }
        addr->host = g_strndup(hostport + 1, close - hostport - 1);
        port = close + 2;
        addr->has_ipv6 = addr->ipv6 = true;
    } else {
        char *colon = strrchr(hostport, ':');

        if (!colon) {
            error_setg(errp, "address '%s' has no port: expected "
                       "'host:port'", str);
            goto fail;
        }
        if (strchr(hostport, ':') != colon) {
            error_setg(errp, "address '%s': an IPv6 address must be "
                       "written in brackets, as '[addr]:port'", str);
            goto fail;
        }
        addr->host = g_strndup(hostport, colon - hostport);
        port = colon + 1;
        /* A dotted-quad host can only ever be reached over IPv4. */
        if (addr->host[0] &&
            addr->host[strspn(addr->host, "0123456789.")] == '\0') {
            addr->has_ipv4 = addr->ipv4 = true;
        }
    }
    if (*port == '\0') {
        error_setg(errp, "address '%s': expected a port after ':'", str);
        goto fail;
    }
    addr->port = g_strdup(port);

    if (comma && !inet_parse_options(addr, str, comma + 1, errp)) {
        goto fail;
    }
    g_free(hostport);
    return addr;

fail:
    g_free(hostport);
    qapi_free_InetSocketAddress(addr);
    return NULL;
}

SocketAddress *socket_parse(const char *str, Error **errp)
{
    SocketAddress *addr;
    unsigned long fd;

    if (!str) {
        error_setg(errp, "no address given: expected 'host:port', "
                   "'unix:PATH' or 'fd:N'");
        return NULL;
    }
    addr = g_new0(SocketAddress, 1);
    if (g_str_has_prefix(str, "unix:")) {
        if (str[5] == '\0') {
            error_setg(errp, "address '%s': expected a path after 'unix:'",
                       str);
            goto fail;
        }
        addr->type = SOCKET_ADDRESS_KIND_UNIX;
        addr->u.q_unix = g_new0(UnixSocketAddress, 1);
        addr->u.q_unix->path = g_strdup(str + 5);
    } else if (g_str_has_prefix(str, "fd:")) {
        if (!parse_decimal(str + 3, INT_MAX, &fd)) {
            error_setg(errp, "address '%s': expected a file descriptor "
                       "number after 'fd:'", str);
            goto fail;
        }
        addr->type = SOCKET_ADDRESS_KIND_FD;
        addr->u.fd = g_new0(String, 1);
        addr->u.fd->str = g_strdup(str + 3);
    } else {
        addr->type = SOCKET_ADDRESS_KIND_INET;
        addr->u.inet = inet_parse(str, errp);
        if (!addr->u.inet) {
            goto fail;
        }
    }
    return addr;

fail:
    qapi_free_SocketAddress(addr);
    return NULL;
}

int parse_host_port(struct sockaddr_in *saddr, const char *str)
{
    const char *colon;
    char *host;
    unsigned long port;
    int ret = -1;

    if (!str) {
        return -1;
    }
    colon = strchr(str, ':');
    if (!colon || !parse_decimal(colon + 1, 65535, &port)) {
        return -1;
    }
    host = g_strndup(str, colon - str);
    memset(saddr, 0, sizeof(*saddr));
    saddr->sin_family = AF_INET;
    saddr->sin_port = htons((uint16_t)port);
    if (host[0] == '\0') {
        saddr->sin_addr.s_addr = htonl(INADDR_ANY);
        ret = 0;
    } else if (inet_pton(AF_INET, host, &saddr->sin_addr) == 1) {
        ret = 0;
    } else {
        struct addrinfo hints = { .ai_family = AF_INET };
        struct addrinfo *res = NULL;

        if (getaddrinfo(host, NULL, &hints, &res) == 0 && res) {
            const struct sockaddr_in *sin =
                (const struct sockaddr_in *)res->ai_addr;

            saddr->sin_addr = sin->sin_addr;
            ret = 0;
        }
        if (res) {
            freeaddrinfo(res);
        }
    }
    g_free(host);
    return ret;
}

/*
 * The address family the ipv4/ipv6 flags of @addr allow.  Turning one
 * family on without mentioning the other restricts to it; turning one off
 * leaves the other.
 */
static int inet_ai_family(InetSocketAddress *addr, Error **errp)
{
    bool v4 = addr->has_ipv4 ? addr->ipv4 : !(addr->has_ipv6 && addr->ipv6);
    bool v6 = addr->has_ipv6 ? addr->ipv6 : !(addr->has_ipv4 && addr->ipv4);

    if (v4 && v6) {
        return AF_UNSPEC;
    }
    if (v4) {
        return AF_INET;
    }
    if (v6) {
        return AF_INET6;
    }
    error_setg(errp, "address excludes both IPv4 and IPv6");
    return -1;
}

static struct addrinfo *inet_resolve(const char *host, const char *port,
                                     int family, int socktype, int flags,
                                     Error **errp)
{
    struct addrinfo hints = {
        .ai_flags = flags,
        .ai_family = family,
        .ai_socktype = socktype,
    };
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, port, &hints, &res);

    if (rc != 0) {
        char *desc = inet_describe(host, port);

        if (rc == EAI_SYSTEM) {
            error_setg_errno(errp, errno, "address resolution failed for "
                             "'%s'", desc);
        } else {
            error_setg(errp, "address resolution failed for '%s': %s", desc,
                       gai_strerror(rc));
        }
        g_free(desc);
        return NULL;
    }
    return res;
}

/* Numeric text of a socket address, for messages. */
static char *sockaddr_describe(const struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST];
    char serv[NI_MAXSERV];

    if (sa->sa_family == AF_UNIX) {
        const struct sockaddr_un *sun = (const struct sockaddr_un *)sa;
        size_t off = offsetof(struct sockaddr_un, sun_path);

        if (len <= off) {
            return g_strdup("(unnamed)");
        }
        return g_strndup(sun->sun_path, len - off);
    }
    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return g_strdup("(unprintable address)");
    }
    return inet_describe(host, serv);
}

static int sockaddr_get_port(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        return ntohs(((const struct sockaddr_in *)sa)->sin_port);
    }
    return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
}

static void sockaddr_set_port(struct sockaddr *sa, int port)
{
    if (sa->sa_family == AF_INET) {
        ((struct sockaddr_in *)sa)->sin_port = htons(port);
    } else {
        ((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
    }
}

/* Waits for a connect() interrupted by a signal; returns its errno or 0. */
static int connect_wait_blocking(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };
    int err = 0;
    socklen_t len = sizeof(err);

    while (poll(&pfd, 1, -1) < 0) {
        if (errno != EINTR) {
            return errno;
        }
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
        return errno;
    }
    return err;
}

/*
 * Opens a socket and connects it to @t.  Returns the socket, with
 * *@in_progress telling whether a non-blocking connect is still under way,
 * or -1 with @errp set.
 */
static int connect_one(const SocketTarget *t, bool nonblocking,
                       bool *in_progress, Error **errp)
{
    int fd = qemu_socket(t->family, SOCK_STREAM, t->protocol);
    int err = 0;
    char *desc;

    *in_progress = false;
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket");
        return -1;
    }
    if (nonblocking) {
        qemu_set_nonblock(fd);
    }
    if (connect(fd, (const struct sockaddr *)&t->ss, t->len) < 0) {
        err = errno;
        if (nonblocking && (err == EINPROGRESS || err == EINTR)) {
            *in_progress = true;
            return fd;
        }
        if (err == EINTR) {
            /* The connect carries on in the kernel: wait for its result. */
            err = connect_wait_blocking(fd);
        }
    }
    if (err == 0) {
        return fd;
    }
    desc = sockaddr_describe((const struct sockaddr *)&t->ss, t->len);
    error_setg_errno(errp, err, "Failed to connect to '%s'", desc);
    g_free(desc);
    close(fd);
    return -1;
}

static void connect_state_free(ConnectState *s)
{
    error_free(s->err);
    g_free(s->targets);
    g_free(s);
}

/*
 * Tries the remaining targets of @s.  Returns 1 when one connected at
 * once, 0 when one is in progress (s->fd set either way), -1 when all
 * failed (s->err set).
 */
static int connect_state_advance(ConnectState *s)
{
    while (s->next < s->ntargets) {
        const SocketTarget *t = &s->targets[s->next++];
        bool in_progress;
        int fd;

        error_free(s->err);
        s->err = NULL;
        fd = connect_one(t, true, &in_progress, &s->err);
        if (fd >= 0) {
            s->fd = fd;
            return in_progress ? 0 : 1;
        }
    }
    if (!s->err) {
        error_setg(&s->err, "no address to connect to");
    }
    return -1;
}

static gboolean connect_state_ready(gint fd, GIOCondition cond,
                                    gpointer opaque);

/* Hands the outcome of a non-blocking connect to its callback. */
static void connect_state_finish(ConnectState *s, int rc)
{
    if (rc == 0) {
        g_unix_fd_add(s->fd, G_IO_OUT, connect_state_ready, s);
        return;
    }
    if (rc > 0) {
        s->callback(s->fd, NULL, s->opaque);
    } else {
        s->callback(-1, s->err, s->opaque);
    }
    connect_state_free(s);
}

static gboolean connect_state_ready(gint fd, GIOCondition cond,
                                    gpointer opaque)
{
    ConnectState *s = opaque;
    int err = 0;
    socklen_t len = sizeof(err);

    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
        err = errno;
    }
    if (err == 0) {
        connect_state_finish(s, 1);
    } else {
        const SocketTarget *t = &s->targets[s->next - 1];
        char *desc = sockaddr_describe((const struct sockaddr *)&t->ss,
                                       t->len);

        error_free(s->err);
        s->err = NULL;
        error_setg_errno(&s->err, err, "Failed to connect to '%s'", desc);
        g_free(desc);
        close(fd);
        s->fd = -1;
        connect_state_finish(s, connect_state_advance(s));
    }
    return G_SOURCE_REMOVE;
}

/*
 * Connects to the first of @targets that accepts, blocking or not.
 * Takes ownership of @targets.
 */
static int connect_targets(SocketTarget *targets, size_t ntargets,
                           NonBlockingConnectHandler *callback, void *opaque,
                           Error **errp)
{
    ConnectState *s;
    int rc, fd;

    if (!callback) {
        Error *err = NULL;
        size_t i;

        for (i = 0; i < ntargets; i++) {
            bool in_progress;

            error_free(err);
            err = NULL;
            fd = connect_one(&targets[i], false, &in_progress, &err);
            if (fd >= 0) {
                g_free(targets);
                return fd;
            }
        }
        if (!err) {
            error_setg(&err, "no address to connect to");
        }
        error_propagate(errp, err);
        g_free(targets);
        return -1;
    }

    s = g_new0(ConnectState, 1);
    s->targets = targets;
    s->ntargets = ntargets;
    s->fd = -1;
    s->callback = callback;
    s->opaque = opaque;
    rc = connect_state_advance(s);
    if (rc < 0) {
        error_propagate(errp, s->err);
        s->err = NULL;
        connect_state_free(s);
        return -1;
    }
    fd = s->fd;
    connect_state_finish(s, rc);
    return fd;
}

static int inet_connect_saddr(InetSocketAddress *saddr,
                              NonBlockingConnectHandler *callback,
                              void *opaque, Error **errp)
{
    struct addrinfo *res, *e;
    SocketTarget *targets;
    size_t n = 0;
    int family;

    if (!saddr->host || !*saddr->host) {
        error_setg(errp, "inet address has no host: expected 'host:port'");
        return -1;
    }
    if (!saddr->port || !*saddr->port) {
        error_setg(errp, "inet address '%s' has no port: expected "
                   "'host:port'", saddr->host);
        return -1;
    }
    family = inet_ai_family(saddr, errp);
    if (family < 0) {
        return -1;
    }
    res = inet_resolve(saddr->host, saddr->port, family, SOCK_STREAM, 0,
                       errp);
    if (!res) {
        return -1;
    }
    for (e = res; e; e = e->ai_next) {
        n++;
    }
    targets = g_new0(SocketTarget, n);
    n = 0;
    for (e = res; e; e = e->ai_next) {
        if (e->ai_addrlen > sizeof(targets[n].ss)) {
            continue;
        }
        targets[n].family = e->ai_family;
        targets[n].protocol = e->ai_protocol;
        targets[n].len = e->ai_addrlen;
        memcpy(&targets[n].ss, e->ai_addr, e->ai_addrlen);
        n++;
    }
    freeaddrinfo(res);
    return connect_targets(targets, n, callback, opaque, errp);
}

/* Fills a sockaddr_un for @path, or fails when it does not fit. */
static bool unix_make_sockaddr(const char *path, struct sockaddr_un *un,
                               Error **errp)
{
    size_t len = strlen(path);

    if (len >= sizeof(un->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long: %zu bytes, "
                   "at most %zu fit", path, len, sizeof(un->sun_path) - 1);
        return false;
    }
    memset(un, 0, sizeof(*un));
    un->sun_family = AF_UNIX;
    memcpy(un->sun_path, path, len + 1);
    return true;
}

static int unix_connect_saddr(UnixSocketAddress *saddr,
                              NonBlockingConnectHandler *callback,
                              void *opaque, Error **errp)
{
    SocketTarget *t;
    struct sockaddr_un un;

    if (!saddr->path || !*saddr->path) {
        error_setg(errp, "unix address has no path");
        return -1;
    }
    if (!unix_make_sockaddr(saddr->path, &un, errp)) {
        return -1;
    }
    t = g_new0(SocketTarget, 1);
    t->family = AF_UNIX;
    t->len = sizeof(un);
    memcpy(&t->ss, &un, sizeof(un));
    return connect_targets(t, 1, callback, opaque, errp);
}

/*
 * The descriptor an fd address names: a decimal number that must be an
 * open socket of this process.
 */
static int socket_get_fd(String *fdaddr, Error **errp)
{
    const char *str = fdaddr ? fdaddr->str : NULL;
    unsigned long num;
    int type;
    socklen_t len = sizeof(type);

    if (!parse_decimal(str, INT_MAX, &num)) {
        error_setg(errp, "fd address '%s' is not a file descriptor number",
                   str ? str : "");
        return -1;
    }
    if (fcntl((int)num, F_GETFD) < 0) {
        error_setg_errno(errp, errno, "fd address '%s' names no open file "
                         "descriptor", str);
        return -1;
    }
    if (getsockopt((int)num, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
        error_setg_errno(errp, errno, "fd address '%s' is not a socket",
                         str);
        return -1;
    }
    return (int)num;
}

int socket_connect(SocketAddress *addr, Error **errp,
                   NonBlockingConnectHandler *callback, void *opaque)
{
    int fd;

    switch (addr->type) {
    case SOCKET_ADDRESS_KIND_INET:
        return inet_connect_saddr(addr->u.inet, callback, opaque, errp);
    case SOCKET_ADDRESS_KIND_UNIX:
        return unix_connect_saddr(addr->u.q_unix, callback, opaque, errp);
    case SOCKET_ADDRESS_KIND_FD:
        fd = socket_get_fd(addr->u.fd, errp);
        if (fd >= 0 && callback) {
            qemu_set_nonblock(fd);
            callback(fd, NULL, opaque);
        }
        return fd;
    default:
        error_setg(errp, "unsupported socket address type %d", addr->type);
        return -1;
    }
}

/* Replaces the host and port of @saddr with the numeric ones @fd has. */
static void inet_update_from_fd(InetSocketAddress *saddr, int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    char host[NI_MAXHOST];
    char serv[NI_MAXSERV];

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), serv,
                    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return;
    }
    g_free(saddr->host);
    saddr->host = g_strdup(host);
    g_free(saddr->port);
    saddr->port = g_strdup(serv);
}

static int inet_listen_saddr(InetSocketAddress *saddr, int port_offset,
                             bool update_addr, Error **errp)
{
    const char *host = saddr->host && *saddr->host ? saddr->host : NULL;
    const char *port = saddr->port && *saddr->port ? saddr->port : "0";
    bool v6only = saddr->has_ipv4 && !saddr->ipv4;
    struct addrinfo *res, *e;
    unsigned long numeric;
    Error *err = NULL;
    int family;
    int fd = -1;

    family = inet_ai_family(saddr, errp);
    if (family < 0) {
        return -1;
    }
    if (saddr->has_to) {
        if (!parse_decimal(port, 65535, &numeric) || numeric == 0) {
            error_setg(errp, "port '%s' must be a number from 1 to 65535 "
                       "when 'to=' gives a range", port);
            return -1;
        }
        if (saddr->to < numeric) {
            error_setg(errp, "port range %s-%u is empty: 'to=' must not be "
                       "below the port", port, saddr->to);
            return -1;
        }
    }
    res = inet_resolve(host, port, family, SOCK_STREAM, AI_PASSIVE, errp);
    if (!res) {
        return -1;
    }

    for (e = res; e && fd < 0; e = e->ai_next) {
        struct sockaddr_storage ss;
        long first = sockaddr_get_port(e->ai_addr);
        long lo, hi, p;

        if (e->ai_addrlen > sizeof(ss)) {
            continue;
        }
        lo = first == 0 ? 0 : first + port_offset;
        hi = saddr->has_to ? (long)saddr->to + port_offset : lo;
        if (lo < 0 || hi > 65535) {
            error_free(err);
            err = NULL;
            error_setg(&err, "port %ld plus offset %d is out of range",
                       first, port_offset);
            continue;
        }
        memcpy(&ss, e->ai_addr, e->ai_addrlen);
        for (p = lo; p <= hi; p++) {
            int s = qemu_socket(e->ai_family, SOCK_STREAM, e->ai_protocol);
            int saved;
            char *desc;

            error_free(err);
            err = NULL;
            if (s < 0) {
                error_setg_errno(&err, errno, "Failed to create socket");
                break;
            }
            socket_set_fast_reuse(s);
            if (e->ai_family == AF_INET6) {
                int v = v6only;

                setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof(v));
            }
            sockaddr_set_port((struct sockaddr *)&ss, (int)p);
            if (bind(s, (struct sockaddr *)&ss, e->ai_addrlen) == 0 &&
                listen(s, SOMAXCONN) == 0) {
                fd = s;
                break;
            }
            saved = errno;
            desc = sockaddr_describe((struct sockaddr *)&ss, e->ai_addrlen);
            error_setg_errno(&err, saved, "Failed to listen on '%s'", desc);
            g_free(desc);
            close(s);
            if (saved != EADDRINUSE) {
                /* Another port of this address would fail the same way. */
                break;
            }
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        if (!err) {
            error_setg(&err, "no address to listen on");
        }
        error_propagate(errp, err);
        return -1;
    }
    error_free(err);
    if (update_addr) {
        inet_update_from_fd(saddr, fd);
    }
    return fd;
}

/* A fresh path for a UNIX socket, under $TMPDIR or /tmp. */
static char *unix_temp_path(Error **errp)
{
    char *path = g_build_filename(g_get_tmp_dir(), "qio-socket-XXXXXX",
                                  NULL);
    int fd = g_mkstemp(path);

    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create a temporary socket "
                         "path from '%s'", path);
        g_free(path);
        return NULL;
    }
    close(fd);
    /* Only the unique name is wanted: bind() needs the path free. */
    unlink(path);
    return path;
}

static int unix_listen_saddr(UnixSocketAddress *saddr, bool update_addr,
                             Error **errp)
{
    struct sockaddr_un un;
    struct stat st;
    char *path;
    int fd;

    if (saddr->path && *saddr->path) {
        path = g_strdup(saddr->path);
    } else {
        path = unix_temp_path(errp);
        if (!path) {
            return -1;
        }
    }
    if (!unix_make_sockaddr(path, &un, errp)) {
        goto fail;
    }
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            error_setg(errp, "Failed to listen on UNIX socket '%s': the path "
                       "exists and is not a socket", path);
            goto fail;
        }
        /* A socket left behind by an earlier listener that is gone. */
        if (unlink(path) < 0 && errno != ENOENT) {
            error_setg_errno(errp, errno, "Failed to remove stale UNIX "
                             "socket '%s'", path);
            goto fail;
        }
    }
    fd = qemu_socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create UNIX socket");
        goto fail;
    }
    if (bind(fd, (struct sockaddr *)&un, sizeof(un)) < 0) {
        error_setg_errno(errp, errno, "Failed to bind UNIX socket to '%s'",
                         path);
        close(fd);
        goto fail;
    }
    if (listen(fd, SOMAXCONN) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on UNIX socket "
                         "'%s'", path);
        unlink(path);
        close(fd);
        goto fail;
    }
    if (update_addr) {
        g_free(saddr->path);
        saddr->path = path;
    } else {
        g_free(path);
    }
    return fd;

fail:
    g_free(path);
    return -1;
}

int socket_listen(SocketAddress *addr, Error **errp)
{
    switch (addr->type) {
    case SOCKET_ADDRESS_KIND_INET:
        return inet_listen_saddr(addr->u.inet, 0, false, errp);
    case SOCKET_ADDRESS_KIND_UNIX:
        return unix_listen_saddr(addr->u.q_unix, false, errp);
    case SOCKET_ADDRESS_KIND_FD:
        return socket_get_fd(addr->u.fd, errp);
    default:
        error_setg(errp, "unsupported socket address type %d", addr->type);
        return -1;
    }
}

static int inet_dgram_saddr(InetSocketAddress *sraddr,
                            InetSocketAddress *sladdr, Error **errp)
{
    const char *rhost = sraddr->host && *sraddr->host ? sraddr->host
                                                      : "localhost";
    const char *lhost = sladdr && sladdr->host && *sladdr->host
                        ? sladdr->host : NULL;
    const char *lport = sladdr && sladdr->port && *sladdr->port
                        ? sladdr->port : "0";
    struct addrinfo *peers, *e;
    Error *err = NULL;
    int family;
    int fd = -1;

    if (!sraddr->port || !*sraddr->port) {
        error_setg(errp, "remote address '%s' has no port: expected "
                   "'host:port'", rhost);
        return -1;
    }
    family = inet_ai_family(sraddr, errp);
    if (family < 0) {
        return -1;
    }
    peers = inet_resolve(rhost, sraddr->port, family, SOCK_DGRAM, 0, errp);
    if (!peers) {
        return -1;
    }
    for (e = peers; e && fd < 0; e = e->ai_next) {
        struct addrinfo *local;
        char *desc;
        int s;

        error_free(err);
        err = NULL;
        local = inet_resolve(lhost, lport, e->ai_family, SOCK_DGRAM,
                             AI_PASSIVE, &err);
        if (!local) {
            continue;
        }
        s = qemu_socket(e->ai_family, SOCK_DGRAM, e->ai_protocol);
        if (s < 0) {
            error_setg_errno(&err, errno, "Failed to create socket");
            freeaddrinfo(local);
            continue;
        }
        socket_set_fast_reuse(s);
        if (bind(s, local->ai_addr, local->ai_addrlen) < 0) {
            desc = sockaddr_describe(local->ai_addr, local->ai_addrlen);
            error_setg_errno(&err, errno, "Failed to bind datagram socket "
                             "to '%s'", desc);
            g_free(desc);
            close(s);
        } else if (connect(s, e->ai_addr, e->ai_addrlen) < 0) {
            desc = sockaddr_describe(e->ai_addr, e->ai_addrlen);
            error_setg_errno(&err, errno, "Failed to connect datagram "
                             "socket to '%s'", desc);
            g_free(desc);
            close(s);
        } else {
            fd = s;
        }
        freeaddrinfo(local);
    }
    freeaddrinfo(peers);
    if (fd < 0) {
        if (!err) {
            error_setg(&err, "no address to send datagrams to");
        }
        error_propagate(errp, err);
        return -1;
    }
    error_free(err);
    return fd;
}

int socket_dgram(SocketAddress *remote, SocketAddress *local, Error **errp)
{
    if (!remote || remote->type != SOCKET_ADDRESS_KIND_INET) {
        error_setg(errp, "datagram sockets need an inet remote address");
        return -1;
    }
    if (local && local->type != SOCKET_ADDRESS_KIND_INET) {
        error_setg(errp, "datagram sockets need an inet local address");
        return -1;
    }
    return inet_dgram_saddr(remote->u.inet, local ? local->u.inet : NULL,
                            errp);
}

int inet_connect(const char *str, Error **errp)
{
    InetSocketAddress *addr = inet_parse(str, errp);
    int fd;

    if (!addr) {
        return -1;
    }
    fd = inet_connect_saddr(addr, NULL, NULL, errp);
    qapi_free_InetSocketAddress(addr);
    return fd;
}

int inet_nonblocking_connect(const char *str,
                             NonBlockingConnectHandler *callback,
                             void *opaque, Error **errp)
{
    InetSocketAddress *addr;
    int fd;

    g_assert(callback != NULL);
    addr = inet_parse(str, errp);
    if (!addr) {
        return -1;
    }
    fd = inet_connect_saddr(addr, callback, opaque, errp);
    qapi_free_InetSocketAddress(addr);
    return fd;
}

int inet_listen(const char *str, char *ostr, int olen,
                int socktype, int port_offset, Error **errp)
{
    InetSocketAddress *addr;
    int fd;

    if (socktype != SOCK_STREAM) {
        error_setg(errp, "inet_listen supports only SOCK_STREAM sockets");
        return -1;
    }
    addr = inet_parse(str, errp);
    if (!addr) {
        return -1;
    }
    fd = inet_listen_saddr(addr, port_offset, true, errp);
    if (fd >= 0 && ostr && olen > 0) {
        char *hostport = inet_describe(addr->host, addr->port);
        const char *opts = strchr(str, ',');

        snprintf(ostr, olen, "%s%s", hostport, opts ? opts : "");
        g_free(hostport);
    }
    qapi_free_InetSocketAddress(addr);
    return fd;
}

int unix_listen(const char *path, char *ostr, int olen, Error **errp)
{
    UnixSocketAddress addr = { NULL };
    const char *comma = path ? strchr(path, ',') : NULL;
    int fd;

    addr.path = comma ? g_strndup(path, comma - path) : g_strdup(path);
    fd = unix_listen_saddr(&addr, true, errp);
    if (fd >= 0 && ostr && olen > 0) {
        snprintf(ostr, olen, "%s", addr.path);
    }
    g_free(addr.path);
    return fd;
}

int unix_connect(const char *path, Error **errp)
{
    UnixSocketAddress addr = { (char *)path };

    return unix_connect_saddr(&addr, NULL, NULL, errp);
}

int unix_nonblocking_connect(const char *str,
                             NonBlockingConnectHandler *callback,
                             void *opaque, Error **errp)
{
    UnixSocketAddress addr = { (char *)str };

    g_assert(callback != NULL);
    return unix_connect_saddr(&addr, callback, opaque, errp);
}

QemuOptsList socket_optslist = {
    .name = "socket",
    .head = QTAILQ_HEAD_INITIALIZER(socket_optslist.head),
    .desc = {
        {
            .name = "host",
            .type = QEMU_OPT_STRING,
            .help = "remote host, or local address to listen on",
        }, {
            .name = "port",
            .type = QEMU_OPT_STRING,
            .help = "port number or service name",
        }, {
            .name = "to",
            .type = QEMU_OPT_NUMBER,
            .help = "last port a listener may fall back to",
        }, {
            .name = "ipv4",
            .type = QEMU_OPT_BOOL,
            .help = "allow or restrict to IPv4",
        }, {
            .name = "ipv6",
            .type = QEMU_OPT_BOOL,
            .help = "allow or restrict to IPv6",
        }, {
            .name = "path",
            .type = QEMU_OPT_STRING,
            .help = "UNIX socket path",
        }, {
            .name = "localaddr",
            .type = QEMU_OPT_STRING,
            .help = "local address of a datagram socket",
        }, {
            .name = "localport",
            .type = QEMU_OPT_STRING,
            .help = "local port of a datagram socket",
        },
        { /* end of the list */ }
    },
};

/* Fails unless option @name is set (and, without @allow_empty, not ""). */
static bool opts_require(QemuOpts *opts, const char *name, bool allow_empty,
                         Error **errp)
{
    const char *value = qemu_opt_get(opts, name);

    if (!value || (!allow_empty && !*value)) {
        error_setg(errp, "socket option '%s' is %s", name,
                   value ? "empty" : "not set");
        return false;
    }
    return true;
}

/*
 * Reads boolean option @name, if set, into *@has and *@value.  In a list
 * that does not check types the text may be no boolean at all: the two
 * different fallbacks of qemu_opt_get_bool() tell that case apart.
 */
static bool opts_get_flag(QemuOpts *opts, const char *name, bool *has,
                          bool *value, Error **errp)
{
    const char *text = qemu_opt_get(opts, name);

    if (!text) {
        return true;
    }
    *value = qemu_opt_get_bool(opts, name, false);
    if (*value != qemu_opt_get_bool(opts, name, true)) {
        error_setg(errp, "socket option '%s' expects 'on' or 'off', not "
                   "'%s'", name, text);
        return false;
    }
    *has = true;
    return true;
}

/* The inet address that "host", "port", "ipv4" and "ipv6" of @opts give. */
static InetSocketAddress *inet_saddr_from_opts(QemuOpts *opts, Error **errp)
{
    InetSocketAddress *saddr = g_new0(InetSocketAddress, 1);

    saddr->host = g_strdup(qemu_opt_get(opts, "host"));
    saddr->port = g_strdup(qemu_opt_get(opts, "port"));
    if (!opts_get_flag(opts, "ipv4", &saddr->has_ipv4, &saddr->ipv4, errp) ||
        !opts_get_flag(opts, "ipv6", &saddr->has_ipv6, &saddr->ipv6, errp)) {
        qapi_free_InetSocketAddress(saddr);
        return NULL;
    }
    return saddr;
}

int inet_listen_opts(QemuOpts *opts, int port_offset, Error **errp)
{
    InetSocketAddress *saddr;
    const char *to = qemu_opt_get(opts, "to");
    bool offset_applied = false;
    unsigned long num;
    Error *err = NULL;
    int fd;

    if (!opts_require(opts, "host", true, errp) ||
        !opts_require(opts, "port", true, errp)) {
        return -1;
    }
    saddr = inet_saddr_from_opts(opts, errp);
    if (!saddr) {
        return -1;
    }
    if (to) {
        uint64_t last = qemu_opt_get_number(opts, "to", UINT64_MAX);

        if (last > 65535) {
            error_setg(errp, "socket option 'to' expects a port number from "
                       "0 to 65535, not '%s'", to);
            qapi_free_InetSocketAddress(saddr);
            return -1;
        }
        /* As in QEMU, a range ending at port 0 is no range at all. */
        saddr->has_to = last != 0;
        saddr->to = (uint16_t)last;
    }
    /* inet_listen_saddr() adds no offset to a port the kernel chooses. */
    if (*saddr->port) {
        offset_applied = !parse_decimal(saddr->port, 65535, &num) || num;
    }

    fd = inet_listen_saddr(saddr, port_offset, true, &err);
    if (fd >= 0) {
        /* inet_listen_saddr() left the numeric bound address in saddr. */
        if (!parse_decimal(saddr->port, 65535, &num)) {
            error_setg(&err, "cannot read back the port of the listener");
        } else {
            long port = (long)num - (offset_applied ? port_offset : 0);

            qemu_opt_set(opts, "host", saddr->host, &err);
            if (!err) {
                qemu_opt_set_number(opts, "port", port, &err);
            }
        }
        if (err) {
            close(fd);
            fd = -1;
        }
    }
    error_propagate(errp, err);
    qapi_free_InetSocketAddress(saddr);
    return fd;
}

int inet_connect_opts(QemuOpts *opts, Error **errp,
                      NonBlockingConnectHandler *callback, void *opaque)
{
    InetSocketAddress *saddr;
    int fd;

    if (!opts_require(opts, "host", false, errp) ||
        !opts_require(opts, "port", false, errp)) {
        return -1;
    }
    saddr = inet_saddr_from_opts(opts, errp);
    if (!saddr) {
        return -1;
    }
    fd = inet_connect_saddr(saddr, callback, opaque, errp);
    qapi_free_InetSocketAddress(saddr);
    return fd;
}

int inet_dgram_opts(QemuOpts *opts, Error **errp)
{
    InetSocketAddress *remote;
    InetSocketAddress *local;
    int fd;

    if (!opts_require(opts, "port", false, errp)) {
        return -1;
    }
    remote = inet_saddr_from_opts(opts, errp);
    if (!remote) {
        return -1;
    }
    local = g_new0(InetSocketAddress, 1);
    local->host = g_strdup(qemu_opt_get(opts, "localaddr"));
    local->port = g_strdup(qemu_opt_get(opts, "localport"));
    fd = inet_dgram_saddr(remote, local, errp);
    qapi_free_InetSocketAddress(local);
    qapi_free_InetSocketAddress(remote);
    return fd;
}

int unix_listen_opts(QemuOpts *opts, Error **errp)
{
    const char *path = qemu_opt_get(opts, "path");
    UnixSocketAddress saddr = { g_strdup(path) };
    Error *err = NULL;
    int fd;

    fd = unix_listen_saddr(&saddr, true, errp);
    if (fd >= 0 && (!path || !*path)) {
        /* Tell the caller which path was picked. */
        qemu_opt_set(opts, "path", saddr.path, &err);
        if (err) {
            error_propagate(errp, err);
            unlink(saddr.path);
            close(fd);
            fd = -1;
        }
    }
    g_free(saddr.path);
    return fd;
}

int unix_connect_opts(QemuOpts *opts, Error **errp,
                      NonBlockingConnectHandler *callback, void *opaque)
{
    UnixSocketAddress saddr = { NULL };

    if (!opts_require(opts, "path", false, errp)) {
        return -1;
    }
    saddr.path = (char *)qemu_opt_get(opts, "path");
    return unix_connect_saddr(&saddr, callback, opaque, errp);
}

SocketAddress *socket_sockaddr_to_address(struct sockaddr_storage *sa,
                                          socklen_t salen, Error **errp)
{
    SocketAddress *addr;

    switch (sa->ss_family) {
    case AF_INET:
    case AF_INET6: {
        char host[NI_MAXHOST];
        char serv[NI_MAXSERV];
        InetSocketAddress *inet;
        int rc = getnameinfo((struct sockaddr *)sa, salen, host,
                             sizeof(host), serv, sizeof(serv),
                             NI_NUMERICHOST | NI_NUMERICSERV);

        if (rc != 0) {
            error_setg(errp, "Cannot format numeric socket address: %s",
                       gai_strerror(rc));
            return NULL;
        }
        inet = g_new0(InetSocketAddress, 1);
        inet->host = g_strdup(host);
        inet->port = g_strdup(serv);
        if (sa->ss_family == AF_INET) {
            inet->has_ipv4 = inet->ipv4 = true;
        } else {
            inet->has_ipv6 = inet->ipv6 = true;
        }
        addr = g_new0(SocketAddress, 1);
        addr->type = SOCKET_ADDRESS_KIND_INET;
        addr->u.inet = inet;
        return addr;
    }
    case AF_UNIX: {
        const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
        size_t off = offsetof(struct sockaddr_un, sun_path);

        addr = g_new0(SocketAddress, 1);
        addr->type = SOCKET_ADDRESS_KIND_UNIX;
        addr->u.q_unix = g_new0(UnixSocketAddress, 1);
        /* Unnamed and abstract sockets have no filesystem path. */
        if (salen > off && un->sun_path[0] != '\0') {
            size_t max = MIN((size_t)salen - off, sizeof(un->sun_path));

            addr->u.q_unix->path = g_strndup(un->sun_path, max);
        }
        return addr;
    }
    default:
        error_setg(errp, "socket family %d unsupported", sa->ss_family);
        return NULL;
    }
}

SocketAddress *socket_local_address(int fd, Error **errp)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    memset(&ss, 0, sizeof(ss));
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
        error_setg_errno(errp, errno, "Unable to query local socket "
                         "address");
        return NULL;
    }
    return socket_sockaddr_to_address(&ss, len, errp);
}

SocketAddress *socket_remote_address(int fd, Error **errp)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    memset(&ss, 0, sizeof(ss));
    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0) {
        error_setg_errno(errp, errno, "Unable to query remote socket "
                         "address");
        return NULL;
    }
    return socket_sockaddr_to_address(&ss, len, errp);
}
