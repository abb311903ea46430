# Foundation: QAPI Error and types, util, QOM.

qio_HEADERS += include/qemu-common.h include/glib-compat.h include/qapi-types.h
qioqapi_HEADERS += include/qapi/error.h
qiosysemu_HEADERS += include/sysemu/os-posix.h
qioqemu_HEADERS += include/qemu/osdep.h include/qemu/compiler.h \
	include/qemu/typedefs.h include/qemu/error-report.h

libqio_la_SOURCES += qapi/error.c qapi/qapi-types.c util/qemu-error.c
