#!/usr/bin/python3
"""A python3-websockets peer for qiocat's interop tests.

  ws-peer.py client URI             send binary messages of boundary sizes,
                                    check they come back, close cleanly
  ws-peer.py server HOST PORT FILE  at /download send FILE and close; at
                                    /upload write what arrives to
                                    FILE.received and print "done N"
"""
import asyncio
import os
import sys

import websockets

SIZES = [1, 125, 126, 65535, 65536, 1024 * 1024]


async def client(uri):
    async with websockets.connect(uri, max_size=None) as ws:
        for size in SIZES:
            payload = os.urandom(size)
            await ws.send(payload)
            received = bytearray()
            # The relay may re-frame the stream: gather until complete.
            while len(received) < size:
                message = await asyncio.wait_for(ws.recv(), 30)
                if not isinstance(message, bytes):
                    raise SystemExit("got a text message")
                received += message
            if bytes(received) != payload:
                raise SystemExit("echo of %d bytes differs" % size)
        await ws.close()
        if ws.close_code != 1000:
            raise SystemExit("close code %r" % ws.close_code)
    print("ok: %d messages echoed" % len(SIZES))


async def transfer(ws, path=None, file_name=None):
    path = path or ws.path
    if path == "/download":
        with open(file_name, "rb") as f:
            while True:
                chunk = f.read(65536)
                if not chunk:
                    break
                await ws.send(chunk)
        await ws.close()
        print("done sent", flush=True)
    elif path == "/upload":
        total = 0
        with open(file_name + ".received", "wb") as f:
            try:
                async for message in ws:
                    f.write(message)
                    total += len(message)
            except websockets.ConnectionClosed as exc:
                print("closed abnormally: %r" % exc, flush=True)
        print("done %d" % total, flush=True)


async def server(host, port, file_name):
    async def handler(ws, path=None):
        await transfer(ws, path, file_name)
    async with websockets.serve(handler, host, port, max_size=None):
        await asyncio.Future()


if sys.argv[1] == "client":
    asyncio.run(client(sys.argv[2]))
else:
    asyncio.run(server(sys.argv[2], int(sys.argv[3]), sys.argv[4]))
