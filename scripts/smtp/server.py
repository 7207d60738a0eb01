#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for Gatehouse's email tests (Tests/GatehouseSMTPTests).

    python scripts/smtp/server.py --outdir DIR [--mode plain|starttls|tls] [--cert C --key K]
        [--user NAME --password PW [--auth-required] [--auth-exclude PLAIN]]
        [--reject-recipient ADDR] [--no-8bitmime]

Listens on 127.0.0.1 on a free port and prints "READY <port>" on stdout once it accepts
connections. Every delivered message becomes DIR/<n>.json: {"mail_from", "rcpt_tos",
"mail_options", "auth": {"mechanism", "login", "password"} or null, "tls": bool,
"data_base64": the raw message as received (after dot-unstuffing), "parsed": headers, subject,
body and transfer encoding as Python's email package decodes them}. It runs until killed
(or its stdin closes, so a crashed test run leaves no server behind).

Modes: plain (no TLS), starttls (STARTTLS offered with --cert/--key, AUTH only after it),
tls (implicit TLS from the first byte, as smtps on port 465).
"""
import argparse
import asyncio
import base64
import email
import email.policy
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, outdir, reject):
        self.outdir = outdir
        self.reject = set(reject or [])
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        auth = getattr(session, "gatehouse_auth", None)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "auth": auth,
            "tls": session.ssl is not None or server.gatehouse_implicit_tls,
            "data_base64": base64.b64encode(envelope.original_content or b"").decode("ascii"),
            "parsed": parse(envelope.original_content or b""),
        }
        path = os.path.join(self.outdir, f"{self.count}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.replace(path + ".tmp", path)
        return "250 OK queued"


def parse(data):
    """The message as Python's email package reads it: the oracle for headers and decoding."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    body = message.get_content() if not message.is_multipart() else None
    return {
        "headers": [[name, str(value)] for name, value in message.items()],
        "subject": str(message["Subject"]) if message["Subject"] is not None else None,
        "content_type": message.get_content_type(),
        "charset": message.get_content_charset(),
        "transfer_encoding": message.get("Content-Transfer-Encoding"),
        "body": body,
        "defects": [type(d).__name__ for d in message.defects],
        "max_line_length": max((len(line) for line in data.split(b"\r\n")), default=0),
    }


class Authenticator:
    def __init__(self, user, password):
        self.user = user
        self.password = password

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        ok = login == self.user and password == self.password
        if ok:
            session.gatehouse_auth = {"mechanism": mechanism, "login": login, "password": password}
        # handled=False: aiosmtpd answers 235 or 535 itself.
        return AuthResult(success=ok, handled=False)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--outdir", required=True)
    parser.add_argument("--mode", choices=["plain", "starttls", "tls"], default="plain")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--auth-required", action="store_true")
    parser.add_argument("--auth-exclude", action="append")
    parser.add_argument("--reject-recipient", action="append")
    parser.add_argument("--no-8bitmime", action="store_true")
    args = parser.parse_args()

    context = None
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    handler = Handler(args.outdir, args.reject_recipient)
    authenticator = Authenticator(args.user, args.password) if args.user is not None else None

    def factory():
        server = SMTP(
            handler,
            # decode_data makes aiosmtpd a 7-bit server: it stops offering 8BITMIME.
            decode_data=args.no_8bitmime,
            hostname="smtp.test",
            tls_context=context if args.mode == "starttls" else None,
            authenticator=authenticator,
            auth_required=args.auth_required,
            # Implicit TLS is invisible to aiosmtpd; plain mode allows AUTH for the tests that
            # check the client's own refusal and its explicit opt-in.
            auth_require_tls=(args.mode == "starttls"),
            auth_exclude_mechanism=args.auth_exclude or [],
        )
        server.gatehouse_implicit_tls = args.mode == "tls"
        return server

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        factory, host="127.0.0.1", port=0, ssl=context if args.mode == "tls" else None
    )
    port = server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)

    # Stop when the test closes our stdin (or dies).
    stdin_closed = asyncio.Event()
    loop.add_reader(sys.stdin.fileno(), lambda: (sys.stdin.buffer.raw.read(4096) or stdin_closed.set()))
    await stdin_closed.wait()
    server.close()


if __name__ == "__main__":
    import logging
    import warnings

    logging.getLogger("mail.log").setLevel(logging.ERROR)

    warnings.simplefilter("ignore")
    asyncio.run(main())
