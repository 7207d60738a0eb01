#!/usr/bin/env python
"""Reverse-direction oracle: ask real Django to read signed values and sessions
that Gatehouse made.

    .venv-django/bin/python scripts/django/check_sessions.py < in.json > out.json

stdin: {
  "secret_key": "...",            SECRET_KEY for every item
  "fallbacks": ["..."],           SECRET_KEY_FALLBACKS (optional)
  "now": 1717171717.0,            time.time() and timezone.now() (optional: real time)
  "database_url": "sqlite:///ABS/PATH" | "postgres://..."   (optional; needed for "db_row")
  "items": [{"kind": ..., "value": "...", "salt": "...", "max_age": N}, ...]
}
kinds:
  loads          signing.loads(value, salt=salt, max_age=max_age)
  signer         Signer(salt=salt).unsign(value)
  timestamp_signer  TimestampSigner(salt=salt).unsign(value, max_age=max_age)
  db_data        signing.loads(value, salt=db SessionStore().key_salt), and the
                 backend's own SessionStore().decode(value)
  cookie         signing.loads(value, salt=signed_cookies salt,
                 max_age=SESSION_COOKIE_AGE), and signed_cookies
                 SessionStore(value).load()
  db_row         db SessionStore(session_key=value).load() against database_url;
                 also the row's expire_date as Django reads it

stdout: one result per item, same order:
  {"ok": bool, "error": exception class name or null,
   "json": json.dumps(decoded, sort_keys=True, separators=(",", ":")) or null,
   "session_json": what the session backend itself returned (db_data, cookie,
                   db_row) in the same form, or null,
   "found": db_row only: whether Django found a live row,
   "expire_date": db_row only: the row's expire_date as a Unix timestamp,
   "expiry_age": db_row only: get_expiry_age() at "now",
   "expire_at_browser_close": db_row only}
Works from any working directory.
"""

import json
import os
import sys
from datetime import datetime, timezone
from unittest import mock

request = json.load(sys.stdin)
if not isinstance(request, dict) or not isinstance(request.get("items"), list):
    sys.exit("expected {\"secret_key\": ..., \"items\": [...]} on stdin")
if request.get("database_url"):
    os.environ["ORACLE_DB_URL"] = request["database_url"]

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

oracle.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore as DBStore  # noqa: E402
from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core import signing  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

COOKIE_SALT = "django.contrib.sessions.backends.signed_cookies"


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def judge(item, now):
    kind, value = item["kind"], item["value"]
    salt, max_age = item.get("salt"), item.get("max_age")
    out = {"ok": False, "error": None, "json": None, "session_json": None}
    try:
        if kind == "loads":
            out["json"] = canonical(signing.loads(value, salt=salt or "django.core.signing", max_age=max_age))
        elif kind == "signer":
            out["json"] = canonical(signing.Signer(salt=salt).unsign(value))
        elif kind == "timestamp_signer":
            out["json"] = canonical(signing.TimestampSigner(salt=salt).unsign(value, max_age=max_age))
        elif kind == "db_data":
            out["session_json"] = canonical(DBStore().decode(value))
            out["json"] = canonical(signing.loads(value, salt=DBStore().key_salt))
        elif kind == "cookie":
            out["session_json"] = canonical(CookieStore(session_key=value).load())
            out["json"] = canonical(signing.loads(value, salt=COOKIE_SALT, max_age=settings.SESSION_COOKIE_AGE))
        elif kind == "db_row":
            store = DBStore(session_key=value)
            data = store.load()
            out["found"] = store.session_key is not None
            out["session_json"] = canonical(data)
            row = Session.objects.filter(session_key=value).first()
            out["expire_date"] = row.expire_date.timestamp() if row else None
            if out["found"]:
                modification = datetime.fromtimestamp(now, tz=timezone.utc) if now is not None else None
                kwargs = {"modification": modification} if modification else {}
                out["expiry_age"] = store.get_expiry_age(**kwargs)
                out["expire_at_browser_close"] = store.get_expire_at_browser_close()
            out["json"] = out["session_json"]
        else:
            raise ValueError("unknown kind %r" % kind)
        out["ok"] = True
    except Exception as e:  # noqa: BLE001 - the exception type is the answer
        out["error"] = type(e).__name__
    return out


def main():
    now = request.get("now")
    overrides = {"SECRET_KEY": request["secret_key"], "SECRET_KEY_FALLBACKS": request.get("fallbacks", [])}
    results = []
    with override_settings(**overrides):
        for item in request["items"]:
            if now is not None:
                aware = datetime.fromtimestamp(now, tz=timezone.utc)
                with mock.patch("django.core.signing.time.time", return_value=now), \
                        mock.patch("django.utils.timezone.now", return_value=aware):
                    results.append(judge(item, now))
            else:
                results.append(judge(item, None))
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
