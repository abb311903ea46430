/*
 * libqio: a channel talking to a child process through its stdin and
 * stdout.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_CHANNEL_COMMAND_H__
#define QIO_CHANNEL_COMMAND_H__

#include "io/channel.h"

/**
 * TYPE_QIO_CHANNEL_COMMAND:
 *
 * The QOM type name of the command channel.
 */
#define TYPE_QIO_CHANNEL_COMMAND "qio-channel-command"

/**
 * QIO_CHANNEL_COMMAND:
 * @obj: an object
 *
 * Casts @obj to #QIOChannelCommand, checking its type.
 *
 * Returns: @obj as a #QIOChannelCommand pointer
 */
#define QIO_CHANNEL_COMMAND(obj)                                        \
    OBJECT_CHECK(QIOChannelCommand, (obj), TYPE_QIO_CHANNEL_COMMAND)

typedef struct QIOChannelCommand QIOChannelCommand;

/**
 * QIOChannelCommand:
 * @writefd: the fd data is written to (the child's stdin), or -1
 * @readfd: the fd data is read from (the child's stdout), or -1
 * @pid: the child process, or -1 once it has been reaped
 *
 * A channel whose writes go to a child process's standard input and
 * whose reads come from its standard output; the child's standard error
 * is the parent's.  The channel owns both fds and the child: closing the
 * channel (or dropping its last reference) closes the fds, which gives
 * the child end of file, then reaps it.  A child still running at that
 * point gets SIGTERM, and SIGKILL if it has not exited a short while
 * later; in every case it is waited for, so no zombie remains.
 *
 * Writing to a child that has exited raises SIGPIPE, as with any pipe:
 * applications that use this channel normally ignore that signal.
 */
struct QIOChannelCommand {
    QIOChannel parent;
    int writefd;
    int readfd;
    pid_t pid;
};

/**
 * qio_channel_command_new_pid:
 * @writefd: the fd connected to the child's input, or -1
 * @readfd: the fd connected to the child's output, or -1
 * @pid: the child process
 *
 * Wraps an already running child process.  The channel takes ownership
 * of both fds (which may be the same fd, e.g. one end of a socketpair)
 * and of @pid, which it reaps when closed.
 *
 * Returns: the new channel
 */
QIOChannelCommand *qio_channel_command_new_pid(int writefd,
                                               int readfd,
                                               pid_t pid);

/**
 * qio_channel_command_new_spawn:
 * @argv: the NULL-terminated argument vector; argv[0] is the program's
 *   path, used as is (there is no PATH search)
 * @flags: O_RDONLY to read the child's output only, O_WRONLY to feed its
 *   input only, O_RDWR for both
 * @errp: pointer to a NULL-initialized error object
 *
 * Starts a child process and connects to it.  The direction not chosen
 * by @flags is /dev/null on both sides: the child reads end of file from
 * stdin (O_RDONLY) or its output is discarded (O_WRONLY), and the
 * channel likewise reads end of file or discards writes in that
 * direction.  The child's stderr is inherited.
 *
 * Returns: the new channel, or NULL with @errp set if the pipes cannot
 * be created, the process cannot be started or argv[0] cannot be
 * executed (nothing is leaked and no child remains in that case)
 */
QIOChannelCommand *qio_channel_command_new_spawn(const char *const argv[],
                                                 int flags,
                                                 Error **errp);

#endif /* QIO_CHANNEL_COMMAND_H__ */
