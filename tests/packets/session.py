#!/usr/bin/env python3
"""Long-lived TCP sessions and Modbus/TCP for tests/packets.rs, run inside a
test network namespace. Standard library only.

`session.py serve` reads "echo|uecho|modbus ADDRESS PORT" lines up to an
empty line, listens on each, prints "ready" and serves until stdin closes:
- echo: every line received is answered with "pong";
- uecho: every UDP datagram received is answered with "pong";
- modbus: a tiny Modbus/TCP server: read holding registers (function 3)
  answers with as many registers, each 0x1234; write single register
  (function 6) answers with the request (success); any other function gets
  exception 1 (illegal function).

`session.py client` keeps connections open across rule reloads. It reads
commands from stdin and answers each with one line:
- "open ID SOURCE DESTINATION PORT" -> "ID open" or "ID error REASON";
- "uopen ID SOURCE SOURCE_PORT DESTINATION PORT": a UDP "session" from a
  fixed source port (one conntrack entry, as a poller keeps) -> "ID open";
- "ping ID" (an echo session) -> "ID ok", "ID reset" or "ID timeout";
- "read ID TID" / "write ID TID" (a Modbus session: function 3 for 2
  registers at 0, or function 6 writing 7 to register 0) -> "ID ok",
  "ID reset", "ID timeout" or "ID closed".
Replies are awaited for TIMEOUT seconds (the first argument after
`client`): a dropped packet shows as a timeout, a rejected one as a reset.
"""

import socket
import struct
import sys
import threading
import time


def family(address):
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def echo(conn):
    with conn:
        buffer = b""
        while True:
            data = conn.recv(4096)
            if not data:
                return
            buffer += data
            while b"\n" in buffer:
                _, buffer = buffer.split(b"\n", 1)
                conn.sendall(b"pong\n")


def recv_exact(conn, count):
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def modbus(conn):
    with conn:
        while True:
            header = recv_exact(conn, 7)
            if header is None:
                return
            tid, pid, length, unit = struct.unpack(">HHHB", header)
            pdu = recv_exact(conn, length - 1)
            if pdu is None:
                return
            function = pdu[0]
            if function == 3:
                count = struct.unpack(">H", pdu[3:5])[0]
                answer = bytes([3, 2 * count]) + b"\x12\x34" * count
            elif function == 6:
                answer = pdu[:5]
            else:
                answer = bytes([function | 0x80, 1])
            conn.sendall(struct.pack(">HHHB", tid, pid, len(answer) + 1, unit) + answer)


def serve():
    listeners = []
    for line in sys.stdin:
        line = line.strip()
        if not line:
            break
        kind, address, port = line.split()
        if kind == "uecho":
            sock = socket.socket(family(address), socket.SOCK_DGRAM)
            sock.bind((address, int(port)))
            listeners.append((sock, None))
            continue
        sock = socket.socket(family(address), socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, int(port)))
        sock.listen(16)
        listeners.append((sock, echo if kind == "echo" else modbus))

    def accept(sock, handler):
        if handler is None:
            while True:
                try:
                    _, peer = sock.recvfrom(4096)
                    sock.sendto(b"pong\n", peer)
                except OSError:
                    return
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=handler, args=(conn,), daemon=True).start()

    for sock, handler in listeners:
        threading.Thread(target=accept, args=(sock, handler), daemon=True).start()
    print("ready", flush=True)
    for _ in sys.stdin:
        pass


def exchange(conn, request, expect):
    """Sends `request` and waits for `expect` bytes (or a line)."""
    try:
        conn.sendall(request)
        if expect is None:
            data = conn.recv(64)
            return "ok" if data.startswith(b"pong") else ("closed" if not data else "error")
        data = recv_exact(conn, expect)
        return "ok" if data is not None else "closed"
    except ConnectionResetError:
        return "reset"
    except socket.timeout:
        return "timeout"
    except OSError as e:
        return "reset" if "reset" in str(e).lower() else f"error {e.strerror or e}"


def uping(conn, timeout):
    """A UDP ping: a datagram can be lost while the first hop resolves its
    neighbour, so it is sent again until the reply or the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return "timeout"
        try:
            conn.send(b"ping\n")
            conn.settimeout(min(0.25, left))
            if conn.recv(64).startswith(b"pong"):
                return "ok"
        except socket.timeout:
            continue
        except OSError as e:
            return f"error {e.strerror or e}"


def client(timeout):
    sessions = {}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        command, name = words[0], words[1]
        if command == "open":
            source, destination, port = words[2], words[3], int(words[4])
            try:
                conn = socket.socket(family(destination), socket.SOCK_STREAM)
                conn.settimeout(timeout)
                conn.bind((source, 0))
                conn.connect((destination, port))
                sessions[name] = conn
                answer = "open"
            except OSError as e:
                answer = f"error {e}"
        elif command == "uopen":
            source, sport, destination, port = words[2], int(words[3]), words[4], int(words[5])
            try:
                conn = socket.socket(family(destination), socket.SOCK_DGRAM)
                conn.settimeout(timeout)
                conn.bind((source, sport))
                conn.connect((destination, port))
                sessions[name] = conn
                answer = "open"
            except OSError as e:
                answer = f"error {e}"
        elif name not in sessions:
            answer = "error no such session"
        elif command == "ping" and sessions[name].type == socket.SOCK_DGRAM:
            answer = uping(sessions[name], timeout)
        elif command == "ping":
            answer = exchange(sessions[name], b"ping\n", None)
        elif command in ("read", "write"):
            tid = int(words[2])
            if command == "read":
                pdu = struct.pack(">BHH", 3, 0, 2)
                expect = 7 + 2 + 4
            else:
                pdu = struct.pack(">BHH", 6, 0, 7)
                expect = 7 + 5
            request = struct.pack(">HHHB", tid, 0, len(pdu) + 1, 1) + pdu
            answer = exchange(sessions[name], request, expect)
        else:
            answer = "error unknown command"
        print(f"{name} {answer}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve()
    else:
        client(float(sys.argv[2]))
