/*
 * One-time initialization of the cryptographic libraries libqio uses.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QCRYPTO_INIT_H
#define QCRYPTO_INIT_H

#include "qapi/error.h"

/**
 * qcrypto_init:
 * @errp: pointer to a NULL-initialized error object
 *
 * Initializes GnuTLS (gnutls_global_init()) for the whole process.  The
 * library is initialized only once, however many threads call this and
 * however often; later calls report the outcome of that first attempt.
 * Call it before creating TLS credentials or sessions.
 *
 * Returns: 0 on success, -1 with @errp set if GnuTLS could not be
 * initialized
 */
int qcrypto_init(Error **errp);

#endif /* QCRYPTO_INIT_H */
