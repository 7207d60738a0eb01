#!/usr/bin/env python3
"""A tiny upstream application for the gateway tests: answers every request with what it received
(method, path, headers, body length), one per line. Prints the port it listens on, then serves.

    python3 scripts/gateway/echo_upstream.py [PORT]     # PORT 0 (default) picks a free one
"""
import http.server
import sys


class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        received = 0
        while received < length:
            chunk = self.rfile.read(min(65536, length - received))
            if not chunk:
                break
            received += len(chunk)
        lines = [f"method={self.command}", f"path={self.path}"]
        lines += [f"{name.lower()}: {value}" for name, value in self.headers.items()]
        lines.append(f"body={received}")
        body = ("\n".join(lines) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = answer

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0), Echo)
print(server.server_address[1], flush=True)
server.serve_forever()
