#!/usr/bin/env python3
"""Packet probes for tests/packets.rs, run inside a test network namespace.

`probe.py serve` listens on every "tcp|udp ADDRESS PORT" line read from
stdin up to an empty line, prints "ready", and answers until stdin closes:
a TCP connection or a UDP datagram gets "from PEER", the address the
packet arrived from, so the test sees that no firewall rewrote it.

`probe.py connect TIMEOUT` reads "ID tcp|udp SOURCE DESTINATION PORT"
lines to end of input, opens every connection at once from SOURCE, and
prints "ID ok PEER" or "ID blocked REASON" for each. Standard library
only, so the test needs nothing but python3.
"""

import concurrent.futures
import selectors
import socket
import sys
import threading
import time


def family(address):
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def serve():
    selector = selectors.DefaultSelector()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            break
        transport, address, port = line.split()
        kind = socket.SOCK_STREAM if transport == "tcp" else socket.SOCK_DGRAM
        sock = socket.socket(family(address), kind)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, int(port)))
        if transport == "tcp":
            sock.listen(128)
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, transport)

    def answer():
        while True:
            for key, _ in selector.select():
                sock = key.fileobj
                try:
                    if key.data == "tcp":
                        conn, peer = sock.accept()
                        conn.setblocking(True)
                        conn.settimeout(1)
                        conn.sendall(f"from {peer[0]}\n".encode())
                        conn.close()
                    else:
                        _, peer = sock.recvfrom(512)
                        sock.sendto(f"from {peer[0]}\n".encode(), peer)
                except OSError:
                    pass

    threading.Thread(target=answer, daemon=True).start()
    print("ready", flush=True)
    # The test closes stdin (or kills us) when it is done.
    sys.stdin.read()


def probe(line, timeout):
    ident, transport, source, destination, port = line.split()
    target = (destination, int(port))
    kind = socket.SOCK_STREAM if transport == "tcp" else socket.SOCK_DGRAM
    sock = socket.socket(family(source), kind)
    try:
        sock.bind((source, 0))
        if transport == "tcp":
            sock.settimeout(timeout)
            sock.connect(target)
            reply = sock.recv(128)
        else:
            # A datagram can be lost while the first hop resolves its
            # neighbour, so it is sent again until the reply or the timeout.
            sock.connect(target)
            deadline = time.monotonic() + timeout
            reply = b""
            while not reply:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise socket.timeout("timed out")
                sock.send(b"kojo probe\n")
                sock.settimeout(min(0.25, left))
                try:
                    reply = sock.recv(128)
                except socket.timeout:
                    continue
        text = reply.decode(errors="replace").strip()
        if not text.startswith("from "):
            return f"{ident} blocked unexpected-reply:{text or 'empty'}"
        return f"{ident} ok {text[5:]}"
    except socket.timeout:
        return f"{ident} blocked timeout"
    except OSError as err:
        name = type(err).__name__ if err.errno is None else f"errno{err.errno}"
        return f"{ident} blocked {name}"
    finally:
        sock.close()


def connect(timeout):
    lines = [line.strip() for line in sys.stdin if line.strip()]
    if not lines:
        return
    workers = min(len(lines), 256)
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(lambda line: probe(line, timeout), lines):
            print(result, flush=True)


def main():
    if sys.argv[1:2] == ["serve"]:
        serve()
    elif sys.argv[1:2] == ["connect"] and len(sys.argv) == 3:
        connect(float(sys.argv[2]))
    else:
        sys.exit("usage: probe.py serve | probe.py connect TIMEOUT")


if __name__ == "__main__":
    main()
