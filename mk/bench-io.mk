# io benchmarks, and the test of qio_channel_yield() at scale (its
# implementation lives in io/channel.c).

check_PROGRAMS += tests/unit/test-io-channel-yield-scale
TESTS += tests/unit/test-io-channel-yield-scale
tests_unit_test_io_channel_yield_scale_SOURCES = \
	tests/unit/test-io-channel-yield-scale.c

EXTRA_PROGRAMS += tests/bench/bench-io
QIO_BENCHES += tests/bench/bench-io
tests_bench_bench_io_SOURCES = tests/bench/bench-io.c $(QIO_BENCH_COMMON)
tests_bench_bench_io_LDADD = $(QIO_BENCH_LIBS)
