#!/usr/bin/env python
"""Generate Tests/Fixtures/django/password-reset-vectors.json with real Django.

    .venv-django/bin/python scripts/django/gen_password_reset_vectors.py [OUTPUT]

Records what Django 6.1's password reset machinery does, for Gatehouse to match:

  tokens   PasswordResetTokenGenerator.make_token for users built in memory (no
           database) at fixed times, with Django's clock (`_now`) pinned:
           {name, user: {id, password, last_login, email}, secret, now,
            time_zone, timestamp, token}
           last_login is ISO 8601 UTC with microseconds or null; email may be
           null (Django reads None as ""); now is the UTC instant; time_zone is
           Django's TIME_ZONE (its tokens count seconds since 2001-01-01 on that
           zone's wall clock: Django sets the process's TZ to TIME_ZONE, and the
           generator's clock is the naive datetime.now()).
  checks   check_token verdicts: {name, user, token, secret, fallbacks, now,
           time_zone, timeout, valid}
  uids     urlsafe_base64_encode of the primary key: {pk, uidb64}
  bad_uids uidb64 values Django's PasswordResetConfirmView.get_user cannot
           decode to an integer primary key (they show the invalid-link page)
  base36   int_to_base36 / base36_to_int pairs, and strings base36_to_int refuses
  forms    PasswordResetForm(data={"email": ...}) validity and errors
  matches  whether Django's case-insensitive email comparison
           (_unicode_ci_compare: NFKC, then casefold) matches two addresses
Output is deterministic (no randomness).
"""

import json
import os
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

django = oracle.setup()

from django.contrib.auth import forms as auth_forms  # noqa: E402
from django.contrib.auth.forms import PasswordResetForm  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.auth.tokens import PasswordResetTokenGenerator  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils.http import base36_to_int, int_to_base36, urlsafe_base64_decode, urlsafe_base64_encode  # noqa: E402

SECRET = "gatehouse-reset-vectors-secret-key-0123456789-abcdef"
OLD_SECRET = "gatehouse-reset-vectors-old-secret-key-9876543210-zyx"
DEFAULT_TIMEOUT = 259200  # Django's PASSWORD_RESET_TIMEOUT: 3 days

HASH = "pbkdf2_sha256$1500000$aXp6MTIzNDU2Nzg5$9Lq+7dN4dS2ZzQJqV2Y3mGf8o3v8mQ8X1o2b3c4d5e8="
OTHER_HASH = "pbkdf2_sha256$1500000$bm90dGhlc2FtZTE$Y7bq0n8Qm3m9X5o6p7q8r9s0t1u2v3w4x5y6z7A8B9C="
NOW = datetime(2026, 12, 7, 2, 30, 15, tzinfo=timezone.utc)
LAST_LOGIN = datetime(2026, 12, 1, 9, 15, 42, 123456, tzinfo=timezone.utc)


def user(pk=42, password=HASH, last_login=LAST_LOGIN, email="alice@example.com"):
    return {"id": pk, "password": password, "last_login": last_login, "email": email}


def make_user(spec):
    u = User(pk=spec["id"], username="u%d" % spec["id"], password=spec["password"], last_login=spec["last_login"])
    u.email = spec["email"]
    return u


def generator(now, time_zone, secret, fallbacks):
    """Django's generator with its clock pinned to `now` as datetime.now() reads it under TIME_ZONE."""
    local = now.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)

    class Pinned(PasswordResetTokenGenerator):
        def _now(self):
            return local

    g = Pinned()
    g.secret = secret
    g.secret_fallbacks = fallbacks
    return g


def iso(dt):
    return None if dt is None else dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def spec_json(spec):
    return {**spec, "last_login": iso(spec["last_login"])}


def make(name, spec, now=NOW, time_zone="UTC", secret=SECRET):
    g = generator(now, time_zone, secret, [])
    token = g.make_token(make_user(spec))
    return {
        "name": name,
        "user": spec_json(spec),
        "secret": secret,
        "now": iso(now),
        "time_zone": time_zone,
        "timestamp": g._num_seconds(g._now()),
        "token": token,
    }


TOKENS = [
    ("a user with last_login and email", user()),
    ("never logged in", user(last_login=None)),
    ("no email", user(email="")),
    ("email None reads as empty", user(email=None)),
    ("microseconds of last_login are dropped", user(last_login=LAST_LOGIN.replace(microsecond=999999))),
    ("last_login at a whole second", user(last_login=LAST_LOGIN.replace(microsecond=0))),
    ("another user id", user(pk=7)),
    ("a large id", user(pk=9007199254740993)),
    ("non-ASCII email and hash", user(email="zoë@exämple.com", password="argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdHNhbHQ$aGFzaA")),
    ("unusable password", user(password="!abcdefghijklmnopqrstuvwxyz0123456789ABCD")),
]
TIMES = [
    ("at the epoch of the tokens", datetime(2001, 1, 1, tzinfo=timezone.utc)),
    ("a second after", datetime(2001, 1, 1, 0, 0, 1, tzinfo=timezone.utc)),
    ("in 2069", datetime(2069, 6, 1, tzinfo=timezone.utc)),
    ("with fractional seconds", datetime(2026, 12, 7, 2, 30, 15, 999999, tzinfo=timezone.utc)),
]


def tokens():
    out = [make(name, spec) for name, spec in TOKENS]
    out += [make("now " + name, user(), now=when) for name, when in TIMES]
    out.append(make("made with the old key", user(), secret=OLD_SECRET))
    # Django's TIME_ZONE shifts the timestamp (naive local wall clock), not last_login (aware UTC).
    out.append(make("TIME_ZONE America/Chicago", user(), time_zone="America/Chicago"))
    out.append(make("TIME_ZONE Asia/Kolkata", user(), time_zone="Asia/Kolkata"))
    summer = datetime(2026, 7, 1, 12, 0, 0, tzinfo=timezone.utc)
    out.append(make("TIME_ZONE Europe/Paris in summer time", user(), now=summer, time_zone="Europe/Paris"))
    return out


def check(name, spec, token, now=NOW, secret=SECRET, fallbacks=(), timeout=DEFAULT_TIMEOUT, time_zone="UTC"):
    with override_settings(PASSWORD_RESET_TIMEOUT=timeout):
        g = generator(now, time_zone, secret, list(fallbacks))
        valid = g.check_token(make_user(spec), token)
    return {
        "name": name,
        "user": spec_json(spec),
        "token": token,
        "secret": secret,
        "fallbacks": list(fallbacks),
        "now": iso(now),
        "time_zone": time_zone,
        "timeout": timeout,
        "valid": valid,
    }


def checks():
    base = user()
    token = generator(NOW, "UTC", SECRET, []).make_token(make_user(base))
    old = generator(NOW, "UTC", OLD_SECRET, []).make_token(make_user(base))
    ts, digest = token.split("-")
    later = lambda seconds: NOW + timedelta(seconds=seconds)  # noqa: E731
    out = [
        check("fresh", base, token),
        check("a second old", base, token, now=later(1)),
        check("exactly at the timeout", base, token, now=later(DEFAULT_TIMEOUT)),
        check("a second past the timeout", base, token, now=later(DEFAULT_TIMEOUT + 1)),
        check("made in the future (clock skew)", base, token, now=NOW - timedelta(days=30)),
        check("a shorter timeout, inside", base, token, now=later(60), timeout=60),
        check("a shorter timeout, past", base, token, now=later(61), timeout=60),
        check("made with the old key, old key a fallback", base, old, fallbacks=[OLD_SECRET]),
        check("made with the old key, among several fallbacks", base, old, fallbacks=["unrelated-key-1", OLD_SECRET]),
        check("made with the old key, no fallback", base, old),
        check("made with the current key, checked where it is a fallback", base, token, secret=OLD_SECRET, fallbacks=[SECRET]),
        check("the password changed (used)", user(password=OTHER_HASH), token),
        check("logged in since", user(last_login=LAST_LOGIN + timedelta(seconds=1)), token),
        check("first login since", base, generator(NOW, "UTC", SECRET, []).make_token(make_user(user(last_login=None)))),
        check("only the microseconds of last_login differ", user(last_login=LAST_LOGIN.replace(microsecond=1)), token),
        check("the email changed", user(email="alice@example.org"), token),
        check("the email changed case", user(email="Alice@example.com"), token),
        check("email None and empty make the same token", user(email=None), generator(NOW, "UTC", SECRET, []).make_token(make_user(user(email="")))),
        check("another user's token", user(pk=43), token),
        check("empty", base, ""),
        check("no dash", base, ts + digest),
        check("two dashes", base, ts + "-" + digest + "-"),
        check("dash only", base, "-"),
        check("timestamp only", base, ts + "-"),
        check("hash only", base, "-" + digest),
        check("truncated hash", base, ts + "-" + digest[:-1]),
        check("hash with one character changed", base, ts + "-" + digest[:-1] + ("0" if digest[-1] != "0" else "1")),
        check("uppercase hash", base, ts + "-" + digest.upper()),
        check("uppercase timestamp", base, ts.upper() + "-" + digest),
        check("leading zero on the timestamp", base, "0" + ts + "-" + digest),
        check("plus sign on the timestamp", base, "+" + ts + "-" + digest),
        check("space before the timestamp", base, " " + ts + "-" + digest),
        check("underscore in the timestamp", base, ts[:1] + "_" + ts[1:] + "-" + digest),
        check("timestamp of 13 base36 digits", base, "zzzzzzzzzzzzz-" + digest),
        check("timestamp of 14 base36 digits", base, "zzzzzzzzzzzzzz-" + digest),
        check("timestamp not base36", base, "!!!-" + digest),
        check("non-ASCII timestamp", base, "ĳ" + ts + "-" + digest),
        check("non-ASCII hash", base, ts + "-" + digest[:-1] + "é"),
        check("full hex digest instead of every other digit", base, ts + "-" + digest * 2),
        check("a huge token", base, ts + "-" + "a" * 10000),
    ]
    # Under another TIME_ZONE a token is checked on the same wall clock it was made on.
    chicago = generator(NOW, "America/Chicago", SECRET, []).make_token(make_user(base))
    out.append(check("America/Chicago, fresh", base, chicago, time_zone="America/Chicago"))
    out.append(check("America/Chicago, a second past the timeout", base, chicago, now=later(DEFAULT_TIMEOUT + 1), time_zone="America/Chicago"))
    out.append(check("made under America/Chicago, checked under UTC five hours later", base, chicago, now=later(DEFAULT_TIMEOUT - 5 * 3600), time_zone="UTC"))
    return out


def uids():
    return [{"pk": pk, "uidb64": urlsafe_base64_encode(str(pk).encode())} for pk in (1, 7, 42, 100, 12345, 9007199254740993, 9223372036854775807)]


def bad_uids():
    out = []
    for text in ["", "!", "%%%", "MQ=", "TVE", "YQ", "LTE", "w6k", "AA", "bm90IGEgbnVtYmVy", "MS41", "4pyT", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw"]:
        try:
            decoded = urlsafe_base64_decode(text).decode()
            User._meta.pk.to_python(decoded)
            int(decoded)
            continue
        except (TypeError, ValueError, OverflowError, Exception):
            out.append(text)
    return out


def base36():
    pairs = [{"int": i, "base36": int_to_base36(i)} for i in (0, 1, 35, 36, 1295, 1296, 820_000_000, 2_147_483_647, 9_223_372_036_854_775_807)]
    refused = []
    for text in ["", "-", "!", "zzzzzzzzzzzzzz", "1.5", "é"]:
        try:
            base36_to_int(text)
        except ValueError:
            refused.append(text)
    return {"pairs": pairs, "refused": refused}


FORM_EMAILS = [
    "alice@example.com",
    "  alice@example.com  ",
    "ALICE@EXAMPLE.COM",
    "",
    "   ",
    "alice",
    "alice@",
    "@example.com",
    "alice@localhost",
    "alice@example",
    "alice@exam_ple.com",
    "alice@-example.com",
    "alice@example-.com",
    "alice@[127.0.0.1]",
    "alice@[::1]",
    "alice@[999.0.0.1]",
    "a.b+tag@example.co.uk",
    "a..b@example.com",
    ".a@example.com",
    '"quoted name"@example.com',
    "zoë@example.com",
    "zoe@exämple.com",
    "alice@xn--exmple-cua.com",
    "alice@example.c",
    "alice@example.com.",
    "alice@@example.com",
    "ali ce@example.com",
    "alice@exa mple.com",
    "alice\x00@example.com",
    "\u212aelvin@example.com",
    "a" * 64 + "@" + "b" * 63 + ".com",
    "a" * 250 + "@example.com",
    "alice@" + "b" * 64 + ".com",
]


def forms():
    out = []
    for email in FORM_EMAILS:
        form = PasswordResetForm(data={"email": email})
        valid = form.is_valid()
        errors = [{"code": e.code, "message": str(m)} for e, m in zip(form.errors.get("email", []).as_data(), form.errors.get("email", []))] if not valid else []
        out.append({"email": email, "valid": valid, "cleaned": form.cleaned_data.get("email") if valid else None, "errors": errors})
    missing = PasswordResetForm(data={})
    missing.is_valid()
    out.append({"email": None, "valid": False, "cleaned": None, "errors": [{"code": e.code, "message": str(m)} for e, m in zip(missing.errors["email"].as_data(), missing.errors["email"])]})
    return out


MATCH_PAIRS = [
    ("alice@example.com", "alice@example.com"),
    ("ALICE@Example.COM", "alice@example.com"),
    ("alice@example.com", "alice@example.org"),
    ("straße@example.com", "STRASSE@example.com"),
    ("ﬁona@example.com", "fiona@example.com"),
    ("ÅSA@example.com", "åsa@example.com"),
    ("Å" + "sa@example.com", "A\u030asa@example.com"),
    ("\u212aelvin@example.com", "kelvin@example.com"),
    ("ǅ@example.com", "ǆ@example.com"),
    ("alice@example.com ", "alice@example.com"),
]


def matches():
    return [{"entered": a, "stored": b, "match": auth_forms._unicode_ci_compare(a, b)} for a, b in MATCH_PAIRS]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(oracle.FIXTURES, "password-reset-vectors.json")
    doc = {
        "django": django.get_version(),
        "key_salt": PasswordResetTokenGenerator.key_salt,
        "default_timeout": DEFAULT_TIMEOUT,
        "tokens": tokens(),
        "checks": checks(),
        "uids": uids(),
        "bad_uids": bad_uids(),
        "base36": base36(),
        "forms": forms(),
        "matches": matches(),
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(doc['tokens'])} tokens and {len(doc['checks'])} checks to {path}")


if __name__ == "__main__":
    main()
