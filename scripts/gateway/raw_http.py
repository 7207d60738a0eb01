#!/usr/bin/env python3
"""Raw HTTP/1.1 clients for the hardening tests: what curl will not send, and floods of idle
connections. Prints one JSON object on standard output.

    python3 scripts/gateway/raw_http.py send --port P --request-file F [--seconds S]
        sends the bytes of F, prints {"status": N, "closed": bool, "head": "...", "body": "..."}
    python3 scripts/gateway/raw_http.py flood --port P --connections N [--seconds S]
        opens a keep-alive connection and checks it works; opens N connections that send nothing
        or half a request head; asks again on the keep-alive connection and on a new one; prints
        {"before": status, "during": status, "fresh": status, "fresh_seconds": t, "closed": k}
        where k counts the N connections the server closed within S seconds.
"""
import argparse
import json
import socket
import time


def read_response(sock, seconds):
    """Reads one response head (and a Content-Length body); returns (status, head text) or (0, '')."""
    sock.settimeout(seconds)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        if not lines or not lines[0].startswith("HTTP/"):
            return 0, "", ""
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return status, "\r\n".join(lines), body.decode("latin-1")
    except (socket.timeout, OSError, ValueError, IndexError):
        return 0, "", ""


def closed_by_peer(sock, seconds):
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def get(port, sock=None, seconds=10):
    own = sock is None
    if own:
        sock = socket.create_connection(("127.0.0.1", port), timeout=seconds)
    sock.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    status, _, _ = read_response(sock, seconds)
    if own:
        sock.close()
    return status


def send(arguments):
    with open(arguments.request_file, "rb") as file:
        request = file.read()
    sock = socket.create_connection(("127.0.0.1", arguments.port), timeout=arguments.seconds)
    sock.sendall(request)
    status, head, body = read_response(sock, arguments.seconds)
    closed = closed_by_peer(sock, 5)
    print(json.dumps({"status": status, "closed": closed, "head": head, "body": body}))


def flood(arguments):
    keep = socket.create_connection(("127.0.0.1", arguments.port), timeout=10)
    before = get(arguments.port, keep)
    idle = []
    for index in range(arguments.connections):
        try:
            sock = socket.create_connection(("127.0.0.1", arguments.port), timeout=5)
        except OSError:
            break
        if index % 2:
            sock.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ")
        idle.append(sock)
    during = get(arguments.port, keep)
    started = time.monotonic()
    fresh = 0
    while fresh != 200 and time.monotonic() - started < arguments.seconds:
        try:
            fresh = get(arguments.port, seconds=arguments.seconds)
        except OSError:
            fresh = 0
    fresh_seconds = time.monotonic() - started
    deadline = time.monotonic() + arguments.seconds
    closed = 0
    for sock in idle:
        if closed_by_peer(sock, max(0.05, deadline - time.monotonic())):
            closed += 1
        sock.close()
    print(json.dumps({"before": before, "during": during, "fresh": fresh, "fresh_seconds": round(fresh_seconds, 2),
                      "opened": len(idle), "closed": closed}))


parser = argparse.ArgumentParser()
parser.add_argument("mode", choices=["send", "flood"])
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--request-file")
parser.add_argument("--connections", type=int, default=100)
parser.add_argument("--seconds", type=float, default=10)
arguments = parser.parse_args()
send(arguments) if arguments.mode == "send" else flood(arguments)
