# Websocket channel.  The crypto pieces it needs (GnuTLS initialization
# and message digests) are in mk/crypto.mk, included before this file.

qioio_HEADERS += include/io/channel-websock.h
libqio_la_SOURCES += io/channel-websock.c

check_PROGRAMS += tests/unit/test-io-channel-websock
TESTS += tests/unit/test-io-channel-websock
tests_unit_test_io_channel_websock_SOURCES = \
	tests/unit/test-io-channel-websock.c
EXTRA_DIST += tests/unit/websock-peer.py

noinst_HEADERS += io/channel-websock-priv.h

EXTRA_PROGRAMS += tests/bench/bench-websock
QIO_BENCHES += tests/bench/bench-websock
tests_bench_bench_websock_SOURCES = tests/bench/bench-websock.c \
	tests/bench/bench-common.c tests/bench/bench-common.h
tests_bench_bench_websock_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/io \
	-I$(top_srcdir)/tests/bench
tests_bench_bench_websock_LDADD = libqio.la $(QIO_LIBS)

# Fuzzing: scripts/fuzz builds the targets with clang in _build-fuzz.
EXTRA_DIST += tests/fuzz/fuzz-websock.c tests/fuzz/corpus/websock
FUZZ_SECONDS = 60
fuzz:
	$(SHELL) $(top_srcdir)/scripts/fuzz $(FUZZ_SECONDS)
.PHONY: fuzz
