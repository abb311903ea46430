# qiocat: the relay built on the library, and its end-to-end tests.

bin_PROGRAMS += tools/qiocat
tools_qiocat_SOURCES = tools/qiocat.c tools/qiocat-addr.c tools/qiocat-addr.h \
	tools/qiocat-end.c tools/qiocat-end.h
tools_qiocat_LDADD = libqio.la $(QIO_LIBS)
tools_qiocat_LDFLAGS = $(QIO_BASE_LDFLAGS)

TESTS += tests/qiocat/test-qiocat.sh tests/qiocat/test-qiocat-interop.sh
EXTRA_DIST += tests/qiocat/lib.sh tests/qiocat/test-qiocat.sh \
	tests/qiocat/test-qiocat-interop.sh tests/qiocat/many-clients.py \
	tests/qiocat/max-clients.py \
	tests/qiocat/ws-peer.py tests/qiocat/browser-page.py
