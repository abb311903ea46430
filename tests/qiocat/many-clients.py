#!/usr/bin/python3
"""Open N connections at once to an echo service, send each its own data,
half-close, and check each echo.  Usage: many-clients.py HOST PORT N"""
import os
import socket
import sys
import threading

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
failures = []
barrier = threading.Barrier(count)


def client(index):
    payload = os.urandom(64 * 1024) + b"client %d\n" % index
    try:
        with socket.create_connection((host, port), timeout=30) as sock:
            barrier.wait(timeout=30)    # all connected before any sends
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            received = bytearray()
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        if bytes(received) != payload:
            failures.append("client %d: %d bytes back, %d sent"
                            % (index, len(received), len(payload)))
    except Exception as exc:  # report every client's failure
        failures.append("client %d: %r" % (index, exc))


threads = [threading.Thread(target=client, args=(i,)) for i in range(count)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for failure in failures:
    print(failure)
sys.exit(1 if failures else 0)
