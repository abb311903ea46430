/*
 * Process-wide initialization of GnuTLS.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"
#include "crypto/init.h"

#include <gnutls/gnutls.h>

/*
 * gnutls_global_init() is reference counted, so calling it on every
 * qcrypto_init() would need a matching deinit each time.  Running it once
 * and remembering its result keeps the count at one for the life of the
 * process, and g_once_init_enter() makes concurrent first calls wait for
 * the single initializer instead of racing it.
 */
static gsize qcrypto_init_once;
static int qcrypto_init_result;

int qcrypto_init(Error **errp)
{
    if (g_once_init_enter(&qcrypto_init_once)) {
        qcrypto_init_result = gnutls_global_init();
        g_once_init_leave(&qcrypto_init_once, 1);
    }

    if (qcrypto_init_result < 0) {
        error_setg(errp, "Unable to initialize GnuTLS: %s",
                   gnutls_strerror(qcrypto_init_result));
        return -1;
    }
    return 0;
}
