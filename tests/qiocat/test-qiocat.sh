#!/usr/bin/env bash
# qiocat end to end: every address kind and layer relaying 16 MB with a
# sha256 compared at both ends, concurrency, half-close, idle timeout,
# usage errors and TLS failures.  Prints TAP.
set -u
. "$(dirname "$0")/lib.sh"
require sha256sum timeout certtool "$QIOCAT"

MB=16
head -c "$((MB * 1024 * 1024))" /dev/urandom >"$WORK/in.bin"
"$QIO_SRCDIR/scripts/mkcerts" "$WORK/pki" localhost >/dev/null
"$QIO_SRCDIR/scripts/mkcerts" "$WORK/otherpki" localhost >/dev/null
SRV="creds=$WORK/pki/server"
CLI="creds=$WORK/pki/client"

# echo_case NAME SERVER-ADDR CLIENT-ADDR [STDIO-ADDR]: a qiocat server in
# front of exec:cat, and a qiocat client sending in.bin from stdin and
# writing the echo to stdout (through STDIO-ADDR, stdio by default).
# SERVER-ADDR/CLIENT-ADDR may use @PORT@ and @SOCK@.
echo_case() {
    local name=$1 saddr=$2 caddr=$3 stdio=${4:-stdio}
    local log="$WORK/$1.server.log" pid out sock="$WORK/$1.sock"
    out="$WORK/$1.out"
    saddr=${saddr//@SOCK@/$sock}
    bg "$log" "$QIOCAT" -v "$saddr" exec:cat
    pid=$LAST_PID
    if ! wait_listen "$log"; then
        not_ok "$name" "server did not start"
        stop "$pid"
        return
    fi
    caddr=${caddr//@PORT@/$PORT}
    caddr=${caddr//@SOCK@/$sock}
    if ! timeout 60 "$QIOCAT" "$caddr" "$stdio" <"$WORK/in.bin" >"$out" \
            2>"$WORK/$name.client.log"; then
        not_ok "$name" "client failed:" "$(cat "$WORK/$name.client.log")" \
            "server log:" "$(cat "$log")"
    else
        same_data "$name: ${MB} MB echoed intact" "$WORK/in.bin" "$out"
    fi
    stop "$pid"
}

echo_case tcp "tcp-listen:127.0.0.1:0" "tcp:127.0.0.1:@PORT@"
echo_case unix "unix-listen:@SOCK@" "unix:@SOCK@"
echo_case tls "tcp-listen:127.0.0.1:0,tls=server,$SRV" \
    "tcp:127.0.0.1:@PORT@,tls=client,$CLI,hostname=localhost"
echo_case tls-verify-client \
    "tcp-listen:127.0.0.1:0,tls=server,$SRV,verify=yes,acl=*CN=qiocat-client*" \
    "tcp:127.0.0.1:@PORT@,tls=client,$CLI,hostname=localhost"
echo_case psk "tcp-listen:127.0.0.1:0,tls=server,creds=$WORK/pki/psk" \
    "tcp:127.0.0.1:@PORT@,tls=client,creds=$WORK/pki/psk,psk-user=qiocat"
echo_case tls-unix "unix-listen:@SOCK@,tls=server,$SRV" \
    "unix:@SOCK@,tls=client,$CLI,hostname=localhost"
echo_case stdio-dash "tcp-listen:127.0.0.1:0" "tcp:127.0.0.1:@PORT@" -
# TLS on top of a websocket: close_notify is the half-close, so the echo
# goes on after the client's EOF, and the client ends without an error.
echo_case ws-tls "tcp-listen:127.0.0.1:0,ws=server,tls=server,$SRV" \
    "tcp:127.0.0.1:@PORT@,ws=client,tls=client,$CLI,hostname=localhost"

# IPv6 is probed first: a host without it skips the case, saying so.
if /usr/bin/python3 -c 'import socket
s = socket.socket(socket.AF_INET6)
s.bind(("::1", 0))' 2>/dev/null; then
    echo_case ipv6 "tcp-listen:[::1]:0" "tcp:[::1]:@PORT@"
else
    ok "ipv6 # SKIP no IPv6 loopback (::1) on this host"
fi

# oneway_case NAME SERVER-ADDR CLIENT-ADDR: a websocket on top has no
# half-close (a close frame ends both directions), so it is tested one way
# at a time: upload in.bin to a server writing a file, then download
# in.bin from a server reading it.  The addresses may use @PORT@ and
# @SOCK@ as in echo_case.
oneway_case() {
    local name=$1 log pid saddr caddr sock="$WORK/$1.sock"
    saddr=${2//@SOCK@/$sock}
    log="$WORK/$name.up.log"
    bg "$log" "$QIOCAT" -v "$saddr" "file:$WORK/$name.up"
    pid=$LAST_PID
    caddr=${3//@SOCK@/$sock}
    if wait_listen "$log" &&
            timeout 60 "$QIOCAT" "file:$WORK/in.bin" "${caddr//@PORT@/$PORT}" \
                2>"$WORK/$name.up.err"; then
        same_data "$name: ${MB} MB uploaded intact" "$WORK/in.bin" \
            "$WORK/$name.up"
    else
        not_ok "$name upload" "$(cat "$WORK/$name.up.err" "$log")"
    fi
    stop "$pid"
    log="$WORK/$name.down.log"
    bg "$log" "$QIOCAT" -v "$saddr" "file:$WORK/in.bin,mode=r"
    pid=$LAST_PID
    if wait_listen "$log" &&
            timeout 60 "$QIOCAT" "${caddr//@PORT@/$PORT}" \
                "file:$WORK/$name.down" 2>"$WORK/$name.down.err"; then
        same_data "$name: ${MB} MB downloaded intact" "$WORK/in.bin" \
            "$WORK/$name.down"
    else
        not_ok "$name download" "$(cat "$WORK/$name.down.err" "$log")"
    fi
    stop "$pid"
}
oneway_case ws "tcp-listen:127.0.0.1:0,ws=server" \
    "tcp:127.0.0.1:@PORT@,ws=client"
oneway_case ws-path "tcp-listen:127.0.0.1:0,ws=server,path=/relay" \
    "tcp:127.0.0.1:@PORT@,ws=client,path=/relay,host=example.org"
oneway_case wss "tcp-listen:127.0.0.1:0,tls=server,$SRV,ws=server" \
    "tcp:127.0.0.1:@PORT@,tls=client,$CLI,hostname=localhost,ws=client"
oneway_case ws-unix "unix-listen:@SOCK@,ws=server" "unix:@SOCK@,ws=client"
# One way over TLS (on TCP, and on a websocket): the side with nothing to
# send must still say close_notify, or the other exits with an error.
oneway_case tls-oneway "tcp-listen:127.0.0.1:0,tls=server,$SRV" \
    "tcp:127.0.0.1:@PORT@,tls=client,$CLI,hostname=localhost"
oneway_case ws-tls-oneway "tcp-listen:127.0.0.1:0,ws=server,tls=server,$SRV" \
    "tcp:127.0.0.1:@PORT@,ws=client,tls=client,$CLI,hostname=localhost"

# file: as the second address is written; as the first it is read.
file_case() {
    local log="$WORK/file.server.log" pid
    bg "$log" "$QIOCAT" -v tcp-listen:127.0.0.1:0 "file:$WORK/file.out"
    pid=$LAST_PID
    wait_listen "$log" || { not_ok "file" "no server"; stop "$pid"; return; }
    if timeout 60 "$QIOCAT" "file:$WORK/in.bin" "tcp:127.0.0.1:$PORT" \
            2>"$WORK/file.client.log"; then
        # The server finishes its connection before the client sees EOF.
        stop "$pid"
        same_data "file: ${MB} MB written to file:" "$WORK/in.bin" \
            "$WORK/file.out"
    else
        not_ok "file" "$(cat "$WORK/file.client.log")"
        stop "$pid"
    fi
}
file_case

# file:PATH,mode=a appends to what PATH already holds.
append_case() {
    local log="$WORK/append.server.log" pid
    echo "kept from before" >"$WORK/append.out"
    cat "$WORK/append.out" "$WORK/in.bin" >"$WORK/append.want"
    bg "$log" "$QIOCAT" -v tcp-listen:127.0.0.1:0 "file:$WORK/append.out,mode=a"
    pid=$LAST_PID
    wait_listen "$log" || { not_ok "append" "no server"; stop "$pid"; return; }
    if timeout 60 "$QIOCAT" "file:$WORK/in.bin" "tcp:127.0.0.1:$PORT" \
            2>"$WORK/append.client.log"; then
        stop "$pid"
        same_data "file:,mode=a: ${MB} MB appended after the old content" \
            "$WORK/append.want" "$WORK/append.out"
    else
        not_ok "append" "$(cat "$WORK/append.client.log")"
        stop "$pid"
    fi
}
append_case

# Many clients at once, each checking its own echo.
concurrent_case() {
    local log="$WORK/many.server.log" pid
    bg "$log" "$QIOCAT" -v tcp-listen:127.0.0.1:0 exec:cat
    pid=$LAST_PID
    wait_listen "$log" || { not_ok "50 clients" "no server"; stop "$pid"; return; }
    if timeout 60 /usr/bin/python3 "$QIO_SRCDIR/tests/qiocat/many-clients.py" \
            127.0.0.1 "$PORT" 50 >"$WORK/many.out" 2>&1; then
        ok "50 concurrent clients each get their own echo"
    else
        not_ok "50 concurrent clients" "$(cat "$WORK/many.out")"
    fi
    stop "$pid"
    if [ "$(grep -c '^qiocat: connection' "$log")" -ge 50 ]; then
        ok "-v prints a line per connection"
    else
        not_ok "-v prints a line per connection" "$(head -n 5 "$log")"
    fi
}
concurrent_case

max_clients_case() {
    local log="$WORK/max.server.log" pid
    bg "$log" "$QIOCAT" -v --max-clients 1 tcp-listen:127.0.0.1:0 exec:cat
    pid=$LAST_PID
    wait_listen "$log" || { not_ok "--max-clients" "no server"; stop "$pid"; return; }
    if timeout 30 /usr/bin/python3 "$QIO_SRCDIR/tests/qiocat/max-clients.py" \
            127.0.0.1 "$PORT" >"$WORK/max.out" 2>&1; then
        ok "--max-clients 1 serves the second client after the first"
    else
        not_ok "--max-clients" "$(cat "$WORK/max.out")" "$(cat "$log")"
    fi
    stop "$pid"
}
max_clients_case

stats_case() {
    local err
    err=$(printf 'abc' | timeout 20 "$QIOCAT" --stats -b 1K stdio \
        "exec:\"sh -c 'cat; echo more'\"" 2>&1 >"$WORK/stats.out")
    if [[ "$err" == *"1 connection, 3 bytes from stdio, 8 bytes from exec:"* ]] &&
            [ "$(cat "$WORK/stats.out")" = "abcmore" ]; then
        ok "--stats totals each direction"
    else
        not_ok "--stats" "$err" "stdout: $(cat "$WORK/stats.out")"
    fi
}
stats_case

# Half-close: the client shuts its write side after sending; the server
# side must still deliver the whole reply after that.
half_close_case() {
    local log="$WORK/half.server.log" pid out
    bg "$log" "$QIOCAT" -v tcp-listen:127.0.0.1:0 \
        "exec:\"sh -c 'cat >/dev/null; echo reply-after-eof'\""
    pid=$LAST_PID
    wait_listen "$log" || { not_ok "half-close" "no server"; stop "$pid"; return; }
    out=$(printf 'request' | timeout 20 "$QIOCAT" "tcp:127.0.0.1:$PORT" stdio)
    if [ "$out" = "reply-after-eof" ]; then
        ok "half-close: reply delivered after the client's EOF"
    else
        not_ok "half-close" "got '$out'" "$(cat "$log")"
    fi
    stop "$pid"
}
half_close_case

idle_case() {
    local log="$WORK/idle.server.log" pid start end rc
    bg "$log" "$QIOCAT" -v --idle-timeout 1 tcp-listen:127.0.0.1:0 exec:cat
    pid=$LAST_PID
    wait_listen "$log" || { not_ok "idle timeout" "no server"; stop "$pid"; return; }
    start=$(date +%s)
    # The client never sends and never closes; only the server's idle
    # timeout can end this connection.
    timeout 20 "$QIOCAT" "tcp:127.0.0.1:$PORT" "file:$WORK/idle.out"
    rc=$?
    end=$(date +%s)
    if [ "$rc" -ne 124 ] && [ $((end - start)) -le 10 ] &&
            grep -q 'idle for 1 seconds' "$log"; then
        ok "--idle-timeout closes an idle connection"
    else
        not_ok "--idle-timeout" "rc=$rc after $((end - start)) s" "$(cat "$log")"
    fi
    stop "$pid"
}
idle_case

# usage_case ADDRESS EXPECTED-TEXT: a bad address exits 2 with a message.
usage_case() {
    local err rc
    err=$("$QIOCAT" "$1" stdio 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" -eq 2 ] && [[ "$err" == *"$2"* ]]; then
        ok "bad address '$1' -> exit 2"
    else
        not_ok "bad address '$1'" "exit $rc, message: $err" "expected: $2"
    fi
}
usage_case "tcp:localhost" "tcp: expected HOST:PORT at 'localhost'"
usage_case "tcp:localhost:99999" "expected a port number 1-65535 at '99999'"
usage_case "tcp:[::1:80" "expected [IPV6-ADDRESS]:PORT"
usage_case "tcp-listen:x:y" "expected a port number 0-65535 at 'y'"
usage_case "unix:" "unix: expected a PATH"
usage_case "unix-listen:" "unix-listen: expected a PATH"
usage_case "exec:" "exec: expected a command"
usage_case 'exec:"cat' "unterminated double quote"
usage_case "file:" "file: expected a PATH"
usage_case "udp:1.2.3.4:5" "expected tcp:, tcp-listen:, unix:"
usage_case "tcp:h:1,tls=maybe" "tls=: expected 'client' or 'server'"
usage_case "tcp:h:1,tls=client" "tls=client: expected creds=DIR"
usage_case "tcp:h:1,creds=/x" "option 'creds=' must follow a tls= layer"
usage_case "tcp:h:1,ws=server,path=relay" "expected a path starting with '/'"
usage_case "tcp:h:1,tls=client,creds=/x,verify=maybe" "verify=: expected 'yes' or 'no'"
usage_case "tcp:h:1,bogus=1" "unknown option 'bogus'"
usage_case "tcp:h:1,ws" "expected KEY=VALUE after ','"
usage_case "stdio,mode=r" "mode= applies to file: addresses only"
usage_case "tcp::80" "tcp: expected a host name before ':' in ':80'"
usage_case "tcp:h:1,ws=maybe" "ws=: expected 'client' or 'server', got 'maybe'"
usage_case "tcp:h:1,path=/p" "option 'path=' must follow a ws= layer"
usage_case "tcp:h:1,tls=client,creds=/x,acl=*" \
    "acl=: expected after tls=server, not tls=client"
usage_case "tcp-listen:1,ws=server,host=h" \
    "host=: expected after ws=client, not ws=server"
usage_case "file:x,mode=x" "mode=: expected r, w or a, got 'x'"
usage_case "tcp:h:1,tls=" "tls=: expected a value after '='"
usage_case "stdio,tls=client,creds=/x" \
    "layers expected only on a bidirectional address"
usage_case "file:x,ws=server" \
    "(tcp:, tcp-listen:, unix:, unix-listen: or exec:), not on file:"
err=$("$QIOCAT" stdio 2>&1)
[ $? -eq 2 ] && [[ "$err" == *"expected two addresses"* ]] &&
    ok "one address -> exit 2" || not_ok "one address" "$err"
err=$("$QIOCAT" --idle-timeout -1 stdio stdio 2>&1)
[ $? -eq 2 ] &&
    [[ "$err" == *"--idle-timeout: expected a number of seconds, 0"*"-1"* ]] &&
    ok "--idle-timeout -1 -> exit 2" || not_ok "--idle-timeout -1" "$err"
err=$("$QIOCAT" -b 0 stdio stdio 2>&1)
[ $? -eq 2 ] && [[ "$err" == *"-b: expected a size"* ]] &&
    ok "-b 0 -> exit 2" || not_ok "-b 0" "$err"
err=$("$QIOCAT" tcp-listen:1 unix-listen:/x 2>&1)
[ $? -eq 2 ] && [[ "$err" == *"only one address may listen"* ]] &&
    ok "two listeners -> exit 2" || not_ok "two listeners" "$err"
"$QIOCAT" --help | grep -q 'tls=client|server,creds=DIR' &&
    ok "--help documents the grammar" || not_ok "--help"

# tls_fail_case NAME SERVER-LAYERS CLIENT-LAYERS EXPECTED-TEXT
# [SERVER-TEXT]: the client exits 1 with one line naming its endpoint and
# holding EXPECTED-TEXT; the server's log for the connection holds
# SERVER-TEXT.
tls_fail_case() {
    local name=$1 log="$WORK/$1.server.log" pid err rc i
    bg "$log" "$QIOCAT" -v "tcp-listen:127.0.0.1:0,$2" exec:cat
    pid=$LAST_PID
    wait_listen "$log" || { not_ok "$name" "no server"; stop "$pid"; return; }
    err=$(echo hello | timeout 20 "$QIOCAT" "tcp:127.0.0.1:$PORT,$3" stdio 2>&1 \
        >/dev/null)
    rc=$?
    # AddressSanitizer builds print a notice about makecontext first.
    err=$(echo "$err" | grep -v "ASan doesn't fully support makecontext")
    if [ "$rc" -eq 1 ] && [[ "$err" == "qiocat: tcp:127.0.0.1:$PORT,"* ]] &&
            [[ "$err" == *"$4"* ]] && [ "$(echo "$err" | wc -l)" -eq 1 ]; then
        ok "$name: exit 1 with one clear line naming the endpoint"
    else
        not_ok "$name" "exit $rc: $err" "expected: $4"
    fi
    if [ -n "${5:-}" ]; then
        # The server logs the connection once it has given up on it.
        for i in $(seq 1 100); do
            grep -q '^qiocat: connection 1 ' "$log" && break
            sleep 0.05
        done
        if grep -qF -- "$5" "$log"; then
            ok "$name: the server's log says why"
        else
            not_ok "$name: server log" "$(cat "$log")" "expected: $5"
        fi
    fi
    stop "$pid"
}
tls_fail_case "wrong CA" "tls=server,$SRV" \
    "tls=client,creds=$WORK/otherpki/client,hostname=localhost" \
    "TLS handshake: The certificate hasn't got a known issuer"
tls_fail_case "wrong hostname" "tls=server,$SRV" \
    "tls=client,$CLI,hostname=wrong.example" "wrong.example"
tls_fail_case "ACL refusal" \
    "tls=server,$SRV,verify=yes,acl=*CN=someone-else*" \
    "tls=client,$CLI,hostname=localhost" "TLS" \
    "TLS x509 ACL check for C=GB,O=libqio,CN=qiocat-client is denied"

err=$(timeout 20 "$QIOCAT" tcp:127.0.0.1:1 stdio 2>&1 </dev/null)
[ $? -eq 1 ] && [[ "$err" == *"tcp:127.0.0.1:1"* ]] &&
    ok "connection refused -> exit 1 naming the endpoint" ||
    not_ok "connection refused" "$err"

finish
