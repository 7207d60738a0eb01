"""WebSocket peers for the gateway tests (Python `websockets`, scripts/django/requirements.txt).

    ws_peer.py serve --port-file FILE --events FILE
        An echo server on 127.0.0.1 (any free port, written to FILE). Each handshake's request
        headers and each closed connection are appended to the events file as JSON lines. The
        message "close-please" is echoed, then the server closes with code 4000.

    ws_peer.py serve --port-file FILE --events FILE --hostile silent|plain
        A hostile application instead: it accepts connections and never answers (silent), or answers
        every handshake with a plain 200 page (plain).

    ws_peer.py client URL [--header 'Name: value']... [--send TEXT]... [--send-size N] [--close]
        Connects through the gateway and prints one JSON object: the refusal's status and Location,
        or the echoed messages and how the connection was closed.
"""

import argparse
import asyncio
import json
import sys

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect


def append(path, record):
    with open(path, "a", encoding="utf-8") as events:
        events.write(json.dumps(record) + "\n")


async def run_server(port_file, events):
    async def echo(connection):
        append(events, {
            "event": "open",
            "path": connection.request.path,
            "headers": [[name.lower(), value] for name, value in connection.request.headers.raw_items()],
        })
        try:
            async for message in connection:
                await connection.send(message)
                if message == "close-please":
                    await connection.close(4000, "bye")
        except ConnectionClosed:
            pass
        append(events, {"event": "closed", "path": connection.request.path, "code": connection.close_code})

    async with serve(echo, "127.0.0.1", 0, max_size=None) as server:
        port = server.sockets[0].getsockname()[1]
        with open(port_file, "w", encoding="utf-8") as out:
            out.write(str(port))
        await asyncio.Future()


async def run_hostile(port_file, mode):
    async def answer(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        if mode == "plain":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno")
            await writer.drain()
            writer.close()
        else:
            await asyncio.Future()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    with open(port_file, "w", encoding="utf-8") as out:
        out.write(str(server.sockets[0].getsockname()[1]))
    await asyncio.Future()


def run_client(url, headers, messages, close):
    result = {"echo": []}
    try:
        with connect(url, additional_headers=headers, open_timeout=20, close_timeout=10, max_size=None) as socket:
            result["opened"] = True
            for message in messages:
                socket.send(message)
                result["echo"].append(socket.recv(timeout=20))
            if close:
                socket.close()
            else:
                try:
                    socket.recv(timeout=20)
                except TimeoutError:
                    result["still_open"] = True
    except InvalidStatus as refused:
        result["status"] = refused.response.status_code
        result["location"] = refused.response.headers.get("Location")
    except ConnectionClosed as closed:
        result["closed_by"] = "peer"
        result["close_code"] = closed.rcvd.code if closed.rcvd else None
    except (OSError, TimeoutError) as error:
        result["error"] = type(error).__name__
    if "close_code" not in result and "status" not in result:
        result["close_code"] = socket.close_code if "socket" in locals() else None
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    server = sub.add_parser("serve")
    server.add_argument("--port-file", required=True)
    server.add_argument("--events", required=True)
    server.add_argument("--hostile", choices=["silent", "plain"])
    client = sub.add_parser("client")
    client.add_argument("url")
    client.add_argument("--header", action="append", default=[])
    client.add_argument("--send", action="append", default=[])
    client.add_argument("--send-size", type=int, action="append", default=[])
    client.add_argument("--close", action="store_true")
    arguments = parser.parse_args()
    if arguments.command == "serve" and arguments.hostile:
        asyncio.run(run_hostile(arguments.port_file, arguments.hostile))
        return
    if arguments.command == "serve":
        asyncio.run(run_server(arguments.port_file, arguments.events))
        return
    headers = []
    for header in arguments.header:
        name, _, value = header.partition(":")
        headers.append((name.strip(), value.strip()))
    messages = arguments.send + ["x" * size for size in arguments.send_size]
    run_client(arguments.url, headers, messages, arguments.close)


if __name__ == "__main__":
    sys.exit(main())
