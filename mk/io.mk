# io core: the QIOChannel base class, watches, QIOTask, and the file,
# command, buffer and null channels.

qioio_HEADERS += include/io/channel.h include/io/channel-watch.h \
	include/io/task.h include/io/channel-util.h include/io/channel-file.h \
	include/io/channel-command.h include/io/channel-buffer.h \
	include/io/channel-null.h

libqio_la_SOURCES += io/channel.c io/channel-watch.c io/task.c \
	io/channel-file.c io/channel-command.c io/channel-buffer.c \
	io/channel-null.c

# qio_channel_new_fd() names QIOChannelSocket, built in mk/socket.mk.
libqio_la_SOURCES += io/channel-util.c

# Traffic generator shared by every channel test (threads and coroutines).
tests_unit_libqiotest_a_SOURCES += tests/unit/io-channel-helpers.c \
	tests/unit/io-channel-helpers.h

check_PROGRAMS += tests/unit/test-io-task
TESTS += tests/unit/test-io-task
tests_unit_test_io_task_SOURCES = tests/unit/test-io-task.c

check_PROGRAMS += tests/unit/test-io-channel-file
TESTS += tests/unit/test-io-channel-file
tests_unit_test_io_channel_file_SOURCES = tests/unit/test-io-channel-file.c

check_PROGRAMS += tests/unit/test-io-channel-command
TESTS += tests/unit/test-io-channel-command
tests_unit_test_io_channel_command_SOURCES = \
	tests/unit/test-io-channel-command.c

check_PROGRAMS += tests/unit/test-io-channel-buffer
TESTS += tests/unit/test-io-channel-buffer
tests_unit_test_io_channel_buffer_SOURCES = \
	tests/unit/test-io-channel-buffer.c

check_PROGRAMS += tests/unit/test-io-channel-null
TESTS += tests/unit/test-io-channel-null
tests_unit_test_io_channel_null_SOURCES = tests/unit/test-io-channel-null.c

check_PROGRAMS += tests/unit/test-io-channel-yield
TESTS += tests/unit/test-io-channel-yield
tests_unit_test_io_channel_yield_SOURCES = \
	tests/unit/test-io-channel-yield.c

check_PROGRAMS += tests/unit/test-io-channel-all
TESTS += tests/unit/test-io-channel-all
tests_unit_test_io_channel_all_SOURCES = tests/unit/test-io-channel-all.c
