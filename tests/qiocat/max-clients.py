#!/usr/bin/python3
"""Checks qiocat --max-clients 1 in front of an echo service: a second
client is not served while the first is connected, and is served once the
first leaves.  Usage: max-clients.py HOST PORT"""
import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])


def echo_once(sock, data):
    sock.sendall(data)
    received = b""
    while len(received) < len(data):
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
    return received


first = socket.create_connection((host, port), timeout=10)
if echo_once(first, b"first\n") != b"first\n":
    sys.exit("first client got no echo")
second = socket.create_connection((host, port), timeout=10)
second.sendall(b"second\n")
second.settimeout(1.0)
try:
    early = second.recv(4096)
    sys.exit("second client served while the first was connected: %r" % early)
except socket.timeout:
    pass
first.close()
second.settimeout(10)
received = b""
while len(received) < 7:
    chunk = second.recv(4096)
    if not chunk:
        break
    received += chunk
if received != b"second\n":
    sys.exit("second client got %r after the first left" % received)
print("ok")
