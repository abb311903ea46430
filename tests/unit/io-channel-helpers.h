/*
 * Traffic generator for channel tests: pushes about 1 MB through a pair
 * of channels and checks that it arrives intact.
 *
 * Usage: create a test with qio_channel_test_new(), move the data with
 * exactly one of the drivers below (threads, inline writer then inline
 * reader, or coroutines), then call qio_channel_test_validate(), which
 * checks the result and frees the test.  The channels stay owned by the
 * caller; the drivers only change their blocking mode.
 *
 * The data is 250 chunks of 4194 bytes, chunk i filled with byte value
 * i, sent from 250 iovecs and received into 250 iovecs whose boundaries
 * differ from each other and from the chunks'.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef IO_CHANNEL_HELPERS_H
#define IO_CHANNEL_HELPERS_H

#include "io/channel.h"

typedef struct QIOChannelTest QIOChannelTest;

/**
 * qio_channel_test_new:
 *
 * Allocates the data to send and the buffers to receive it into.
 *
 * Returns: a new test, freed by qio_channel_test_validate()
 */
QIOChannelTest *qio_channel_test_new(void);

/**
 * qio_channel_test_run_threads:
 * @test: the test
 * @blocking: the mode to put both channels in
 * @src: the channel to write the data to
 * @dst: the channel to read the data from (may be @src itself)
 *
 * Runs a writer thread on @src and a reader thread on @dst, and returns
 * when both have finished.  The writer loops on qio_channel_writev() and
 * the reader on qio_channel_readv() until all the data has moved; on
 * %QIO_CHANNEL_ERR_BLOCK, which is an error in blocking mode, each waits
 * with qio_channel_wait().  The writer treats a 0-byte write as an
 * error; the reader stops at end of file.
 */
void qio_channel_test_run_threads(QIOChannelTest *test,
                                  bool blocking,
                                  QIOChannel *src,
                                  QIOChannel *dst);

/**
 * qio_channel_test_run_writer:
 * @test: the test
 * @src: the channel to write the data to
 *
 * Writes all the data to @src in the calling thread, in blocking mode.
 * Use it for channels that hold the data themselves (a buffer), then
 * read it back with qio_channel_test_run_reader().
 */
void qio_channel_test_run_writer(QIOChannelTest *test,
                                 QIOChannel *src);

/**
 * qio_channel_test_run_reader:
 * @test: the test
 * @dst: the channel to read the data from
 *
 * Reads the data from @dst in the calling thread, in blocking mode,
 * until all of it arrived or end of file.
 */
void qio_channel_test_run_reader(QIOChannelTest *test,
                                 QIOChannel *dst);

/**
 * qio_channel_test_run_coroutines:
 * @test: the test
 * @src: the channel to write the data to
 * @dst: the channel to read the data from (may be @src itself)
 *
 * The coroutine driver: puts both channels in non-blocking mode, starts
 * a writer coroutine on @src and a reader coroutine on @dst, then runs
 * a GMainLoop on the default main context until both coroutines have
 * finished.  They loop like the threads of
 * qio_channel_test_run_threads() but, on %QIO_CHANNEL_ERR_BLOCK, they
 * suspend with qio_channel_yield(G_IO_OUT or G_IO_IN), and the channel
 * watch re-enters them.  Everything runs in the calling thread, which
 * must be able to iterate the default main context (normally the main
 * thread) and must not itself be in a coroutine.  Any channel whose
 * watches report readiness correctly works, including layered ones
 * (TLS, websocket) as long as their handshake is done first.
 */
void qio_channel_test_run_coroutines(QIOChannelTest *test,
                                     QIOChannel *src,
                                     QIOChannel *dst);

/**
 * qio_channel_test_validate:
 * @test: the test
 *
 * Asserts that neither side reported an error and that the received
 * bytes equal the sent ones, then frees @test.
 */
void qio_channel_test_validate(QIOChannelTest *test);

#endif /* IO_CHANNEL_HELPERS_H */
