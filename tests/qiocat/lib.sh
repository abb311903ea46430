# Shared helpers for qiocat's shell tests: TAP output, background process
# bookkeeping and data checks.  Sourced, not run.

QIOCAT=${QIOCAT:-$QIO_BUILDDIR/tools/qiocat}
TESTS_RUN=0
TESTS_FAILED=0
BG_PIDS=()
WORK=$(mktemp -d "${TMPDIR:-/tmp}/qiocat-test.XXXXXX")

cleanup() {
    local pid
    for pid in "${BG_PIDS[@]}"; do
        kill "$pid" 2>/dev/null
    done
    for pid in "${BG_PIDS[@]}"; do
        wait "$pid" 2>/dev/null
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# ok NAME: record a passing case.  not_ok NAME WHY: a failing one.
ok() {
    TESTS_RUN=$((TESTS_RUN + 1))
    echo "ok $TESTS_RUN - $1"
}

not_ok() {
    TESTS_RUN=$((TESTS_RUN + 1))
    TESTS_FAILED=$((TESTS_FAILED + 1))
    echo "not ok $TESTS_RUN - $1"
    shift
    printf '%s\n' "$@" | sed 's/^/# /'
}

# check NAME COMMAND...: ok if COMMAND succeeds.
check() {
    local name=$1
    shift
    if "$@"; then
        ok "$name"
    else
        not_ok "$name" "command failed: $*"
    fi
}

finish() {
    echo "1..$TESTS_RUN"
    [ "$TESTS_FAILED" -eq 0 ]
}

require() {
    local tool
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "Bail out! $tool is missing: run scripts/deps"
            exit 1
        fi
    done
}

sha() {
    sha256sum "$1" | cut -d' ' -f1
}

# same_data NAME A B: ok when files A and B hold the same bytes.
same_data() {
    local a b
    a=$(sha "$2")
    b=$(sha "$3")
    if [ "$a" = "$b" ] && [ -s "$2" ]; then
        ok "$1"
    else
        not_ok "$1" "sha256 $2: $a" "sha256 $3: $b ($(stat -c %s "$3") bytes)"
    fi
}

# bg LOG COMMAND...: start COMMAND in the background, stderr+stdout to LOG.
bg() {
    local log=$1
    shift
    "$@" >"$log" 2>&1 &
    BG_PIDS+=($!)
    LAST_PID=$!
}

# wait_listen LOG: wait for qiocat -v to print its listening address, and
# set PORT (tcp) from it.
wait_listen() {
    local log=$1 i line
    for i in $(seq 1 200); do
        line=$(grep -m1 'listening on' "$log" 2>/dev/null)
        if [ -n "$line" ]; then
            PORT=${line##*:}
            return 0
        fi
        sleep 0.05
    done
    echo "# no 'listening on' line in $log:"
    sed 's/^/#   /' "$log"
    return 1
}

# wait_port PORT: wait until something accepts on 127.0.0.1:PORT.
wait_port() {
    local i
    for i in $(seq 1 200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# stop PID: terminate a background process and reap it.
stop() {
    kill "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    return 0
}
