# coroutine: intrusive lists, atomics and the ucontext coroutine layer
# (docs/coroutines.md).

qioqemu_HEADERS += include/qemu/queue.h include/qemu/atomic.h \
	include/qemu/timer.h include/qemu/coroutine.h \
	include/qemu/coroutine_int.h

libqio_la_SOURCES += util/qemu-coroutine.c util/coroutine-ucontext.c \
	util/qemu-coroutine-lock.c util/qemu-coroutine-sleep.c

EXTRA_DIST += docs/coroutines.md

check_PROGRAMS += tests/unit/test-coroutine
TESTS += tests/unit/test-coroutine
tests_unit_test_coroutine_SOURCES = tests/unit/test-coroutine.c
