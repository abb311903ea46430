#!/usr/bin/env bash
# qiocat against programs this project did not write: socat, gnutls-cli,
# gnutls-serv, python3-websockets and a headless Chromium.  Prints TAP.
set -u
. "$(dirname "$0")/lib.sh"
require socat gnutls-cli gnutls-serv certtool timeout chromium "$QIOCAT"
if ! /usr/bin/python3 -c 'import websockets' 2>/dev/null; then
    echo "Bail out! python3-websockets is missing: run scripts/deps"
    exit 1
fi

head -c $((4 * 1024 * 1024)) /dev/urandom >"$WORK/in.bin"
"$QIO_SRCDIR/scripts/mkcerts" "$WORK/pki" localhost >/dev/null
PKI=$WORK/pki

# qiocat_server LOG ADDRESS...: start qiocat -v and wait for its port.
qiocat_server() {
    local log=$1
    shift
    bg "$log" "$QIOCAT" -v "$@"
    SERVER=$LAST_PID
    wait_listen "$log"
}

# socat as the client of a qiocat echo service.
if qiocat_server "$WORK/socat-client.log" tcp-listen:127.0.0.1:0 exec:cat; then
    timeout 60 socat -t 30 - "TCP:127.0.0.1:$PORT" <"$WORK/in.bin" \
        >"$WORK/socat-client.out" 2>&1
    same_data "socat client -> qiocat -> exec:cat" "$WORK/in.bin" \
        "$WORK/socat-client.out"
else
    not_ok "socat client" "server did not start"
fi
stop "$SERVER"

# qiocat as the client of a socat echo service.
PORT=$(free_port)
bg "$WORK/socat-server.log" socat -t 30 \
    "TCP-LISTEN:$PORT,bind=127.0.0.1,reuseaddr,fork" \
    EXEC:cat
SOCAT=$LAST_PID
if wait_port "$PORT"; then
    timeout 60 "$QIOCAT" "tcp:127.0.0.1:$PORT" stdio <"$WORK/in.bin" \
        >"$WORK/socat-server.out" 2>"$WORK/socat-server.err"
    same_data "qiocat client -> socat EXEC:cat" "$WORK/in.bin" \
        "$WORK/socat-server.out"
else
    not_ok "qiocat client -> socat" "socat did not listen"
fi
stop "$SOCAT"

# gnutls-serv as the TLS server, qiocat as a verifying client.
PORT=$(free_port)
bg "$WORK/gnutls-serv.log" gnutls-serv --echo --port "$PORT" \
    --x509cafile "$PKI/ca/ca-cert.pem" \
    --x509certfile "$PKI/server/server-cert.pem" \
    --x509keyfile "$PKI/server/server-key.pem"
GSERV=$LAST_PID
if wait_port "$PORT"; then
    out=$(printf 'hello gnutls-serv\n' | timeout 20 "$QIOCAT" \
        "tcp:127.0.0.1:$PORT,tls=client,creds=$PKI/client,hostname=localhost" \
        stdio 2>"$WORK/gnutls-serv.err")
    if [ "$out" = "hello gnutls-serv" ]; then
        ok "qiocat TLS client <-> gnutls-serv --echo"
    else
        not_ok "qiocat TLS client <-> gnutls-serv" "got '$out'" \
            "$(cat "$WORK/gnutls-serv.err")"
    fi
else
    not_ok "gnutls-serv" "did not listen"
fi
stop "$GSERV"

# gnutls-cli as the client of a qiocat TLS server in front of exec:cat.
if qiocat_server "$WORK/gnutls-cli.log" \
        "tcp-listen:127.0.0.1:0,tls=server,creds=$PKI/server" exec:cat; then
    out=$( (printf 'hello gnutls-cli\n'; sleep 1) |
        timeout 20 gnutls-cli --x509cafile "$PKI/ca/ca-cert.pem" \
            --port "$PORT" localhost 2>"$WORK/gnutls-cli.err" |
        grep -a 'hello gnutls-cli')
    if [ "$out" = "hello gnutls-cli" ]; then
        ok "gnutls-cli (verifying qiocat's certificate) <-> qiocat TLS server"
    else
        not_ok "gnutls-cli <-> qiocat TLS server" "got '$out'" \
            "$(tail -n 5 "$WORK/gnutls-cli.err")" "$(cat "$WORK/gnutls-cli.log")"
    fi
else
    not_ok "gnutls-cli" "server did not start"
fi
stop "$SERVER"

# python3-websockets as the client of a qiocat websocket server.
if qiocat_server "$WORK/pyws-client.log" tcp-listen:127.0.0.1:0,ws=server \
        exec:cat; then
    if timeout 60 /usr/bin/python3 "$QIO_SRCDIR/tests/qiocat/ws-peer.py" \
            client "ws://127.0.0.1:$PORT/" >"$WORK/pyws-client.out" 2>&1; then
        ok "python websockets client <-> qiocat ws=server exec:cat"
    else
        not_ok "python websockets client" "$(cat "$WORK/pyws-client.out")" \
            "$(cat "$WORK/pyws-client.log")"
    fi
else
    not_ok "python websockets client" "server did not start"
fi
stop "$SERVER"

# qiocat as the websocket client of a python3-websockets server, one way at
# a time (a websocket has no half-close).
PORT=$(free_port)
bg "$WORK/pyws-server.log" /usr/bin/python3 \
    "$QIO_SRCDIR/tests/qiocat/ws-peer.py" server 127.0.0.1 "$PORT" \
    "$WORK/in.bin"
PYWS=$LAST_PID
if wait_port "$PORT"; then
    timeout 60 "$QIOCAT" "tcp:127.0.0.1:$PORT,ws=client,path=/download" \
        "file:$WORK/pyws-down.out" 2>"$WORK/pyws-down.err"
    same_data "qiocat ws=client downloads from python websockets" \
        "$WORK/in.bin" "$WORK/pyws-down.out"
    timeout 60 "$QIOCAT" "file:$WORK/in.bin" \
        "tcp:127.0.0.1:$PORT,ws=client,path=/upload" 2>"$WORK/pyws-up.err"
    for _ in $(seq 1 100); do
        grep -q '^done [0-9]' "$WORK/pyws-server.log" && break
        sleep 0.1
    done
    same_data "qiocat ws=client uploads to python websockets" \
        "$WORK/in.bin" "$WORK/in.bin.received"
else
    not_ok "python websockets server" "did not listen" \
        "$(cat "$WORK/pyws-server.log")"
fi
stop "$PYWS"

# A real browser: headless Chromium loads a page whose JavaScript opens a
# WebSocket to qiocat in front of exec:cat and reports the echo back.
if qiocat_server "$WORK/browser-ws.log" tcp-listen:127.0.0.1:0,ws=server \
        exec:cat; then
    WSPORT=$PORT
    HTTPPORT=$(free_port)
    bg "$WORK/http.log" /usr/bin/python3 \
        "$QIO_SRCDIR/tests/qiocat/browser-page.py" "$HTTPPORT" "$WSPORT" \
        "$WORK/browser-result"
    HTTP=$LAST_PID
    wait_port "$HTTPPORT"
    bg "$WORK/chromium.log" timeout 60 chromium --headless --no-sandbox \
        --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update \
        --disable-sync --user-data-dir="$WORK/chromium-profile" \
        "http://127.0.0.1:$HTTPPORT/"
    CHROME=$LAST_PID
    for _ in $(seq 1 600); do
        [ -s "$WORK/browser-result" ] && break
        sleep 0.1
    done
    result=$(cat "$WORK/browser-result" 2>/dev/null)
    if [ "$result" = "PASS" ]; then
        ok "headless Chromium WebSocket <-> qiocat ws=server exec:cat"
    else
        not_ok "headless Chromium" "result: '$result'" \
            "$(tail -n 5 "$WORK/chromium.log")" "$(cat "$WORK/browser-ws.log")"
    fi
    stop "$CHROME"
    stop "$HTTP"
else
    not_ok "headless Chromium" "server did not start"
fi
stop "$SERVER"

finish
