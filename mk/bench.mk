# bench: programs run by `make bench`, never by make check.
#
# Other benchmarks can reuse the helpers (timing, median/min/max, the
# table with a limit column) by adding $(QIO_BENCH_COMMON) to their
# _SOURCES and linking $(QIO_BENCH_LIBS).

QIO_BENCH_COMMON = tests/bench/bench-common.c tests/bench/bench-common.h
QIO_BENCH_LIBS = libqio.la $(QIO_LIBS)

EXTRA_PROGRAMS += tests/bench/bench-coroutine
QIO_BENCHES += tests/bench/bench-coroutine
tests_bench_bench_coroutine_SOURCES = tests/bench/bench-coroutine.c \
	$(QIO_BENCH_COMMON)
tests_bench_bench_coroutine_LDADD = $(QIO_BENCH_LIBS)

EXTRA_PROGRAMS += tests/bench/bench-tls
QIO_BENCHES += tests/bench/bench-tls
tests_bench_bench_tls_SOURCES = tests/bench/bench-tls.c $(QIO_BENCH_COMMON)
tests_bench_bench_tls_LDADD = $(QIO_BENCH_LIBS)

EXTRA_DIST += docs/PERFORMANCE.md
