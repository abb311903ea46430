# socket: the SocketAddress layer (qemu-sockets) and QIOChannelSocket.

qioqemu_HEADERS += include/qemu/sockets.h
qioio_HEADERS += include/io/channel-socket.h

libqio_la_SOURCES += util/qemu-sockets.c io/channel-socket.c

check_PROGRAMS += tests/unit/test-util-sockets
TESTS += tests/unit/test-util-sockets
tests_unit_test_util_sockets_SOURCES = tests/unit/test-util-sockets.c

check_PROGRAMS += tests/unit/test-io-channel-socket
TESTS += tests/unit/test-io-channel-socket
tests_unit_test_io_channel_socket_SOURCES = \
	tests/unit/test-io-channel-socket.c
