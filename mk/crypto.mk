# crypto: GnuTLS initialization, message digests, TLS credentials (anon,
# x509, PSK) and sessions, plus the TLS channel that runs a session over
# another channel.  The test-time certificate factory and the
# credential/session tests are in mk/crypto-tests.mk.

qiocrypto_HEADERS += include/crypto/init.h include/crypto/hash.h
libqio_la_SOURCES += crypto/init.c crypto/hash.c

check_PROGRAMS += tests/unit/test-crypto-hash
TESTS += tests/unit/test-crypto-hash
tests_unit_test_crypto_hash_SOURCES = tests/unit/test-crypto-hash.c

qiocrypto_HEADERS += include/crypto/tlscreds.h \
	include/crypto/tlscredsanon.h include/crypto/tlscredsx509.h \
	include/crypto/tlscredspsk.h include/crypto/tlssession.h
qioio_HEADERS += include/io/channel-tls.h
noinst_HEADERS += crypto/tlscredspriv.h

libqio_la_SOURCES += crypto/tlscreds.c crypto/tlscredsanon.c \
	crypto/tlscredsx509.c crypto/tlscredspsk.c crypto/tlssession.c \
	io/channel-tls.c

check_PROGRAMS += tests/unit/test-io-channel-tls
TESTS += tests/unit/test-io-channel-tls
tests_unit_test_io_channel_tls_SOURCES = tests/unit/test-io-channel-tls.c

# Talks to gnutls-serv/gnutls-cli (gnutls-bin) and openssl s_server/
# s_client over loopback.
check_PROGRAMS += tests/unit/test-crypto-tls-interop
TESTS += tests/unit/test-crypto-tls-interop
tests_unit_test_crypto_tls_interop_SOURCES = \
	tests/unit/test-crypto-tls-interop.c
