#!/usr/bin/env python3
"""A tiny upstream application for the gateway tests and for trying the gateway out: answers every
request with what it received (method, path, headers, body length), one per line.

    python3 scripts/gateway/echo_upstream.py [--port PORT] [--port-file FILE]

PORT 0 (the default) picks a free one; the port is printed, and written to FILE when given (so a
test need not read a pipe). Two paths do more:
    GET .../download?bytes=N   streams N bytes (for the streaming tests)
    GET .../slow?seconds=S     answers after S seconds (for the timeout tests)
    GET .../set-cookie?N=V     answers with `Set-Cookie: N=V; Path=/` for each pair, as written after
                               unescaping (`?=sessionid%3Dx` sets a nameless cookie) (the cookie tests)
    GET .../clear-site-data    answers with `Clear-Site-Data: "cookies", "storage"`
    GET .../short?declared=N&sent=M
                               declares a body of N bytes, sends M, then closes the connection
    GET .../stall?seconds=S    declares 10 bytes, sends 5, waits S seconds, sends the rest
"""
import argparse
import http.server
import os
import time
import urllib.parse


class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        received = self.read_body()
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path.endswith("/download"):
            return self.download(int(query.get("bytes", ["0"])[0]))
        if url.path.endswith("/slow"):
            time.sleep(float(query.get("seconds", ["5"])[0]))
        if url.path.endswith("/short") or url.path.endswith("/stall"):
            return self.broken(url.path.endswith("/short"), query)
        lines = [f"method={self.command}", f"path={self.path}"]
        lines += [f"{name.lower()}: {value}" for name, value in self.headers.items()]
        lines.append(f"body={received}")
        body = ("\n".join(lines) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if url.path.endswith("/set-cookie"):
            for pair in url.query.split("&"):
                if pair:
                    self.send_header("Set-Cookie", urllib.parse.unquote(pair) + "; Path=/")
        if url.path.endswith("/clear-site-data"):
            self.send_header("Clear-Site-Data", '"cookies", "storage"')
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def broken(self, short, query):
        declared = int(query.get("declared", ["10"])[0]) if short else 10
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(declared))
        self.end_headers()
        if short:
            self.wfile.write(b"x" * int(query.get("sent", ["5"])[0]))
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(b"x" * 5)
        self.wfile.flush()
        time.sleep(float(query.get("seconds", ["5"])[0]))
        self.wfile.write(b"y" * 5)

    def read_body(self):
        """Reads (and counts) the request body in chunks, never holding more than one."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            received = 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return received
                left = size
                while left:
                    chunk = self.rfile.read(min(65536, left))
                    if not chunk:
                        return received
                    left -= len(chunk)
                    received += len(chunk)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        received = 0
        while received < length:
            chunk = self.rfile.read(min(65536, length - received))
            if not chunk:
                break
            received += len(chunk)
        return received

    def download(self, size):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"g" * 65536
        left = size
        while left:
            piece = chunk[: min(len(chunk), left)]
            self.wfile.write(piece)
            left -= len(piece)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = answer

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # many connections at once (the concurrency test)


parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--port-file")
arguments = parser.parse_args()
server = Server(("127.0.0.1", arguments.port), Echo)
port = server.server_address[1]
print(port, flush=True)
if arguments.port_file:
    with open(arguments.port_file + ".tmp", "w") as file:
        file.write(str(port))
    os.rename(arguments.port_file + ".tmp", arguments.port_file)
server.serve_forever()
