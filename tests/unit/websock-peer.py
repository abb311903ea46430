#!/usr/bin/python3
# Interop peer for tests/unit/test-io-channel-websock.c, built on
# python3-websockets (code this project did not write).
#
#   websock-peer.py client PORT TOTAL
#       connects to ws://127.0.0.1:PORT/interop offering "binary", sends
#       TOTAL bytes as binary messages of varied sizes, checks the echo of
#       each, then closes with 1000 and checks the close handshake.
#   websock-peer.py server 0 TOTAL
#       listens on 127.0.0.1 (port printed on stdout), echoes binary
#       messages until TOTAL bytes went by, then closes with 1000.
#
# Exits 0 only if everything matched.
#
# This library is free software; you can redistribute it and/or modify it
# under the terms of the GNU Lesser General Public License as published by
# the Free Software Foundation; either version 2.1 of the License, or (at
# your option) any later version.  See COPYING.LIB.

import asyncio
import sys

import websockets


def fail(msg):
    print("websock-peer: " + msg, file=sys.stderr)
    sys.exit(1)


def payload(total):
    return bytes((i * 13 + (i >> 9)) & 0xFF for i in range(total))


async def run_client(port, total):
    uri = "ws://127.0.0.1:%d/interop" % port
    data = payload(total)
    sizes = [1, 125, 126, 65535, 65536, 1000, 7]
    async with websockets.connect(uri, subprotocols=["binary"],
                                  compression=None,
                                  max_size=2 ** 24) as ws:
        if ws.subprotocol != "binary":
            fail("server did not select 'binary': %r" % ws.subprotocol)
        pos = 0
        i = 0
        while pos < total:
            size = min(sizes[i % len(sizes)], total - pos)
            i += 1
            await ws.send(data[pos:pos + size])
            # The server streams bytes back; frame boundaries may differ.
            got = b""
            while len(got) < size:
                msg = await ws.recv()
                if not isinstance(msg, bytes):
                    fail("got a text message")
                got += msg
            if got != data[pos:pos + size]:
                fail("echo mismatch at offset %d" % pos)
            pos += size
        await ws.close(code=1000)
        if ws.close_code != 1000:
            fail("server answered close with %r" % ws.close_code)


async def run_server(total):
    done = asyncio.get_running_loop().create_future()

    async def handler(ws, *args):
        try:
            seen = 0
            expect = payload(total)
            while seen < total:
                msg = await ws.recv()
                if not isinstance(msg, bytes):
                    fail("got a text message")
                if msg != expect[seen:seen + len(msg)]:
                    fail("data mismatch at offset %d" % seen)
                seen += len(msg)
                await ws.send(msg)
            await ws.close(code=1000)
            if ws.close_code != 1000:
                fail("client answered close with %r" % ws.close_code)
            done.set_result(True)
        except Exception as e:
            done.set_exception(e)

    async with websockets.serve(handler, "127.0.0.1", 0,
                                compression=None,
                                max_size=2 ** 24) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.wait_for(done, 60)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("client", "server"):
        fail("usage: websock-peer.py client|server PORT TOTAL")
    port = int(sys.argv[2])
    total = int(sys.argv[3])
    if sys.argv[1] == "client":
        asyncio.run(asyncio.wait_for(run_client(port, total), 60))
    else:
        asyncio.run(run_server(total))


if __name__ == "__main__":
    main()
