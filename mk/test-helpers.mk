# shared test helpers
# (socket-helpers: SocketAddress builders and an IPv6 probe for the socket
# and QAPI type tests)
tests_unit_libqiotest_a_SOURCES += tests/unit/socket-helpers.c \
	tests/unit/socket-helpers.h
# (tls-test-creds: x509 credential directories for the TLS channel and
# interop tests)
tests_unit_libqiotest_a_SOURCES += tests/unit/tls-test-creds.c \
	tests/unit/tls-test-creds.h
# (scratch-dir: a private temporary directory for the file and command
# channel tests)
tests_unit_libqiotest_a_SOURCES += tests/unit/scratch-dir.c \
	tests/unit/scratch-dir.h
