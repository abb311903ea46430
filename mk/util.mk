# util: byte order, string conversions, threads, buffers, iovecs, ACLs,
# QemuOpts and the osdep helpers.

qioqemu_HEADERS += include/qemu/bswap.h include/qemu/cutils.h \
	include/qemu/thread.h include/qemu/buffer.h include/qemu/iov.h \
	include/qemu/acl.h include/qemu/option.h

libqio_la_SOURCES += util/osdep.c util/cutils.c util/qemu-thread-posix.c \
	util/buffer.c util/iov.c util/acl.c util/qemu-option.c

check_PROGRAMS += tests/unit/test-qapi-error tests/unit/test-qapi-types \
	tests/unit/test-util-buffer tests/unit/test-util-iov \
	tests/unit/test-util-acl tests/unit/test-util-thread \
	tests/unit/test-util-cutils tests/unit/test-util-osdep \
	tests/unit/test-util-qemu-opts
TESTS += tests/unit/test-qapi-error tests/unit/test-qapi-types \
	tests/unit/test-util-buffer tests/unit/test-util-iov \
	tests/unit/test-util-acl tests/unit/test-util-thread \
	tests/unit/test-util-cutils tests/unit/test-util-osdep \
	tests/unit/test-util-qemu-opts

tests_unit_test_qapi_error_SOURCES = tests/unit/test-qapi-error.c
tests_unit_test_qapi_types_SOURCES = tests/unit/test-qapi-types.c
tests_unit_test_util_buffer_SOURCES = tests/unit/test-util-buffer.c
tests_unit_test_util_iov_SOURCES = tests/unit/test-util-iov.c
tests_unit_test_util_acl_SOURCES = tests/unit/test-util-acl.c
tests_unit_test_util_thread_SOURCES = tests/unit/test-util-thread.c
tests_unit_test_util_cutils_SOURCES = tests/unit/test-util-cutils.c
tests_unit_test_util_osdep_SOURCES = tests/unit/test-util-osdep.c
tests_unit_test_util_qemu_opts_SOURCES = tests/unit/test-util-qemu-opts.c
