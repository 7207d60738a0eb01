#!/usr/bin/env python
"""Generate Tests/Fixtures/django/signing-vectors.json with real Django.

Run with the oracle venv (see scripts/django/venv.sh):

    .venv-django/bin/python scripts/django/gen_signing_vectors.py [OUTPUT]

Everything is made by django.core.signing and django.contrib.sessions under the
oracle settings, with time.time() pinned to TIMESTAMP, so the output is
deterministic. Decoded values are given as JSON *text* (Django's own
JSONSerializer output, or json.dumps(..., sort_keys=True) of what Django
decoded) so the Swift side can tell 1 from 1.0.

Sections (see scripts/django/README.md, "signing-vectors.json"):
  facts            salts, defaults, key alphabet, Django version
  base62, base64   encodings of fixed values
  json             JSONSerializer().dumps(obj) for fixed objects
  signer           Signer(key, salt, algorithm, sep).sign(value)
  timestamp_signer TimestampSigner(...).sign(value) at TIMESTAMP
  dumps            signing.dumps(obj, key, salt, compress)
  db_sessions      db SessionStore().encode(dict) (session_data column)
  cookie_sessions  signed_cookies SessionStore cookie values
  fallbacks        values signed with OLD_KEY, read with SECRET_KEY + fallbacks
  loads            signing.loads / unsign outcomes for valid and hostile input
  zip_bomb         a small signed value that decompresses to 2,000,010 bytes
  expiry           get_expiry_age/date/expire_at_browser_close for _session_expiry values
  set_expiry       what set_expiry(datetime) stores
"""

import base64
import json
import os
import sys
import zlib
from datetime import datetime, timedelta, timezone
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

django = oracle.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends import base as session_base  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore as DBStore  # noqa: E402
from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore  # noqa: E402
from django.core import signing  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

TIMESTAMP = 1_717_171_717  # 2024-05-31T16:08:37Z
SECRET_KEY = settings.SECRET_KEY
OLD_KEY = "gatehouse-oracle-previous-secret-key-rotated-out"
OTHER_KEY = "an-unrelated-secret-key-nobody-configured"
DB_SALT = DBStore().key_salt
COOKIE_SALT = "django.contrib.sessions.backends.signed_cookies"


def pinned(t=TIMESTAMP):
    return mock.patch("django.core.signing.time.time", return_value=t)


def sorted_obj(o):
    """Rebuild dicts with keys in code point order (what Gatehouse writes)."""
    if isinstance(o, dict):
        return {k: sorted_obj(o[k]) for k in sorted(o)}
    if isinstance(o, list):
        return [sorted_obj(v) for v in o]
    return o


def django_json(o):
    """Django's JSONSerializer output as text (ASCII only)."""
    return signing.JSONSerializer().dumps(o).decode("latin-1")


def canonical_json(o):
    """Sorted, compact, ASCII JSON: how the Swift test compares decoded values."""
    return json.dumps(o, sort_keys=True, separators=(",", ":"))


def outcome(fn):
    """("ok", value) or ("ExceptionName", None)."""
    try:
        return "ok", fn()
    except Exception as e:  # noqa: BLE001 - the exception type is the point
        return type(e).__name__, None


def expect_from(error):
    if error == "ok":
        return "ok"
    if error == "SignatureExpired":
        return "expired"
    if error == "BadSignature":
        return "bad_signature"
    return "malformed"


AUTH_SESSION = {
    "_auth_user_id": "42",
    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
    "_auth_user_hash": "5e8f1c0f0e5b7a3c9d2e4f6a8b0c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c",
}
UNICODE_SESSION = {
    "name": "Zoë Ünïcödé 😀",
    "ключ": "значение",
    "emoji 🔑": "𝄞 clef",
    "escapes": "quote\" backslash\\ slash/ nl\n tab\t cr\r nul\x00 del\x7f bell\x07",
    "cjk": "漢字かな",
}
NESTED_SESSION = {
    "cart": {"items": [{"sku": "A1", "qty": 2, "price": 9.99}, {"sku": "B2", "qty": 1, "price": 10.0}],
             "coupon": None, "gift": False, "express": True},
    "deep": [1, [2, [3, [4, []]]], {}],
    "_auth_user_id": "7",
}
NUMBERS_SESSION = {
    "int": 7, "neg": -3, "zero": 0, "big": 2**62, "float": 0.1, "small": 1e-07, "whole": 2.0,
    "huge": 1e300, "negzero": -0.0, "e16": 1e16, "e15": 1e15, "third": 1 / 3, "ms": 1717171717.123456,
}
LARGE_SESSION = {
    "history": ["/catalogue/page/%d/?sort=price&dir=asc" % i for i in range(400)],
    "_auth_user_id": "1",
}
EXPIRY_SESSION = {"_session_expiry": 1800, "theme": "dark"}
EXPIRY_DATE_SESSION = {"_session_expiry": "2024-06-01T00:00:00+00:00", "theme": "light"}
GATEHOUSE_SESSION = {
    "_auth_user_id": "42",
    "_gatehouse_created": TIMESTAMP - 3600,
    "_gatehouse_last_activity": TIMESTAMP - 60,
}

SESSIONS = [
    ("empty", {}),
    ("tiny", {"a": 1}),
    ("auth", AUTH_SESSION),
    ("unicode", UNICODE_SESSION),
    ("nested", NESTED_SESSION),
    ("numbers", NUMBERS_SESSION),
    ("large", LARGE_SESSION),
    ("expiry seconds", EXPIRY_SESSION),
    ("expiry date", EXPIRY_DATE_SESSION),
    ("gatehouse bookkeeping", GATEHOUSE_SESSION),
]

JSON_OBJECTS = [
    ("string", "hello"),
    ("empty string", ""),
    ("null", None),
    ("true", True),
    ("int", 42),
    ("negative int", -17),
    ("int64 max", 2**63 - 1),
    ("float", 0.5),
    ("float tenth", 0.1),
    ("float whole", 1.0),
    ("float e16", 1e16),
    ("float e15", 1e15),
    ("float 1e-5", 1e-05),
    ("float 1e-4", 0.0001),
    ("float negative zero", -0.0),
    ("float big", 1.7976931348623157e308),
    ("float tiny", 5e-324),
    ("float third", 1 / 3),
    ("float 123.456", 123.456),
    ("list", [1, "two", None, True, 3.5, [], {}]),
    ("latin1", "café"),
    ("bmp", "€ ✓ 漢"),
    ("astral", "😀 𝄞"),
    ("controls", "".join(chr(c) for c in range(0, 0x20)) + "\x7f"),
    ("c1 controls", "\x80\x9f\xa0"),
    ("quotes", "\"\\/"),
] + [("session " + name, obj) for name, obj in SESSIONS]

# Values Python writes that Gatehouse reads but writes differently (or not at all).
JSON_ONLY_READ = [
    ("huge int", 2**70),
    ("nan", float("nan")),
    ("infinity", float("inf")),
    ("minus infinity", float("-inf")),
    ("insertion order", {"b": 1, "a": 2}),
]


def b62_vectors():
    values = [0, 1, 9, 10, 35, 36, 61, 62, 63, 3843, 3844, TIMESTAMP, 1_700_000_000, -1, -62, 2**31, 2**63 - 1, -(2**63)]
    return [{"value": v, "encoded": signing.b62_encode(v)} for v in values]


def b64_vectors():
    samples = [b"", b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", bytes([0xFB, 0xFF]), bytes([0xFF] * 7), bytes(range(256))]
    return [{"hex": s.hex(), "encoded": signing.b64_encode(s).decode()} for s in samples]


def signer_vectors():
    cases = [
        ("default salt", SECRET_KEY, None, None, ":", "hello"),
        ("custom salt", SECRET_KEY, "myapp.unsubscribe", None, ":", "alice@example.com"),
        ("empty value", SECRET_KEY, "s", None, ":", ""),
        ("value with separator", SECRET_KEY, "s", None, ":", "a:b:c"),
        ("unicode value", SECRET_KEY, "s", None, ":", "Zoë 😀"),
        ("unicode salt", SECRET_KEY, "sälz", None, ":", "v"),
        ("sha1", SECRET_KEY, "legacy", "sha1", ":", "value"),
        ("separator slash", SECRET_KEY, "s", None, "/", "a/b"),
        ("separator multi", SECRET_KEY, "s", None, "::", "x"),
        ("other key", OTHER_KEY, "s", None, ":", "hello"),
        ("unicode key", "clé-secrète-🔑", "s", None, ":", "hello"),
    ]
    out = []
    for name, key, salt, algorithm, sep, value in cases:
        kwargs = {"key": key, "sep": sep, "fallback_keys": []}
        if salt is not None:
            kwargs["salt"] = salt
        if algorithm is not None:
            kwargs["algorithm"] = algorithm
        signer = signing.Signer(**kwargs)
        out.append({
            "name": name, "key": key, "salt": salt, "algorithm": signer.algorithm, "sep": sep,
            "value": value, "effective_salt": signer.salt, "signed": signer.sign(value),
            "signature": signer.signature(value),
        })
    return out


def timestamp_signer_vectors():
    cases = [
        ("default salt", None, "hello"),
        ("custom salt", "myapp.reset", "user:42"),
        ("unicode", "s", "Zoë"),
    ]
    out = []
    with pinned():
        for name, salt, value in cases:
            kwargs = {"key": SECRET_KEY, "fallback_keys": []}
            if salt is not None:
                kwargs["salt"] = salt
            signer = signing.TimestampSigner(**kwargs)
            out.append({
                "name": name, "key": SECRET_KEY, "salt": salt, "effective_salt": signer.salt, "value": value,
                "timestamp": TIMESTAMP, "encoded_timestamp": signer.timestamp(), "signed": signer.sign(value),
            })
    return out


def dumps_vectors():
    out = []
    with pinned():
        for name, obj in JSON_OBJECTS:
            for compress in (False, True):
                signed = signing.dumps(sorted_obj(obj), key=SECRET_KEY, compress=compress)
                out.append({
                    "name": name, "key": SECRET_KEY, "salt": "django.core.signing", "compress": compress,
                    "json": django_json(sorted_obj(obj)), "signed": signed,
                    "compressed": signed.startswith("."), "timestamp": TIMESTAMP,
                })
        signed = signing.dumps({"a": 1}, key=SECRET_KEY, salt="myapp.custom", compress=False)
        out.append({
            "name": "custom salt", "key": SECRET_KEY, "salt": "myapp.custom", "compress": False,
            "json": django_json({"a": 1}), "signed": signed, "compressed": False, "timestamp": TIMESTAMP,
        })
    return out


def db_session_vectors():
    out = []
    with pinned():
        for name, session in SESSIONS:
            data = DBStore().encode(sorted_obj(session))
            out.append({
                "name": name, "secret_key": SECRET_KEY, "json": django_json(sorted_obj(session)),
                "session_data": data, "compressed": data.startswith("."), "timestamp": TIMESTAMP,
            })
    return out


def cookie_session_vectors():
    out = []
    with pinned():
        for name, session in SESSIONS:
            store = CookieStore()
            store.update(sorted_obj(session))
            store.save()
            cookie = store.session_key
            assert cookie and cookie == signing.dumps(sorted_obj(session), salt=COOKIE_SALT, compress=True)
            out.append({
                "name": name, "secret_key": SECRET_KEY, "json": django_json(sorted_obj(session)),
                "cookie": cookie, "compressed": cookie.startswith("."), "timestamp": TIMESTAMP,
            })
    return out


def fallback_vectors():
    out = []
    with pinned(), override_settings(SECRET_KEY=OLD_KEY, SECRET_KEY_FALLBACKS=[]):
        old_db = DBStore().encode(AUTH_SESSION)
        store = CookieStore()
        store.update(AUTH_SESSION)
        store.save()
        old_cookie = store.session_key
        old_signed = signing.Signer(salt="myapp.unsubscribe").sign("alice@example.com")
        old_dumps = signing.dumps({"user": 42}, salt="myapp.invite")
    with pinned(), override_settings(SECRET_KEY=SECRET_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        db_result = DBStore().decode(old_db)
        assert db_result == AUTH_SESSION, "Django must read the old-key session through fallbacks"
        cookie_result = signing.loads(old_cookie, salt=COOKIE_SALT, max_age=settings.SESSION_COOKIE_AGE)
        signer_result = signing.Signer(salt="myapp.unsubscribe").unsign(old_signed)
        dumps_result = signing.loads(old_dumps, salt="myapp.invite")
    with pinned(), override_settings(SECRET_KEY=SECRET_KEY, SECRET_KEY_FALLBACKS=[]):
        without = outcome(lambda: signing.loads(old_db, salt=DB_SALT))[0]
    common = {"secret_key": SECRET_KEY, "fallbacks": [OLD_KEY], "signed_with": OLD_KEY}
    out.append({**common, "name": "db session", "kind": "db", "salt": DB_SALT, "signed": old_db,
                "json": canonical_json(db_result), "without_fallbacks": without})
    out.append({**common, "name": "cookie session", "kind": "cookie", "salt": COOKIE_SALT, "signed": old_cookie,
                "json": canonical_json(cookie_result), "without_fallbacks": "BadSignature"})
    out.append({**common, "name": "signer", "kind": "signer", "salt": "myapp.unsubscribe", "signed": old_signed,
                "value": signer_result, "without_fallbacks": "BadSignature"})
    out.append({**common, "name": "dumps", "kind": "loads", "salt": "myapp.invite", "signed": old_dumps,
                "json": canonical_json(dumps_result), "without_fallbacks": "BadSignature"})
    return out


def flip(ch):
    return "B" if ch == "A" else "A"


def loads_vectors():
    """signing.loads / unsign outcomes; every entry says what Django did."""
    out = []
    salt = "gatehouse.vectors"

    def add(name, kind, signed, *, salt=salt, max_age=None, now=TIMESTAMP, key=SECRET_KEY,
            gatehouse_expect=None, note=None):
        with pinned(now), override_settings(SECRET_KEY=key, SECRET_KEY_FALLBACKS=[]):
            if kind == "loads":
                error, value = outcome(lambda: signing.loads(signed, salt=salt, max_age=max_age))
            elif kind == "timestamp_signer":
                error, value = outcome(lambda: signing.TimestampSigner(salt=salt).unsign(signed, max_age=max_age))
            elif kind == "signer":
                error, value = outcome(lambda: signing.Signer(salt=salt).unsign(signed))
            else:
                raise ValueError(kind)
        entry = {
            "name": name, "kind": kind, "secret_key": key, "salt": salt, "signed": signed,
            "max_age": max_age, "now": now, "django_error": None if error == "ok" else error,
            "expect": gatehouse_expect or expect_from(error),
            "json": canonical_json(value) if (error == "ok" and kind == "loads") else None,
            "value": value if (error == "ok" and kind != "loads") else None,
            "note": note,
        }
        out.append(entry)

    with pinned():
        good = signing.dumps({"user": 42, "scope": "read"}, salt=salt)
        good_compressed = signing.dumps({"history": list(range(300))}, salt=salt, compress=True)
        ts = signing.TimestampSigner(salt=salt)
        plain = signing.Signer(salt=salt)
        ts_signed = ts.sign("hello")
        plain_signed = plain.sign("hello")
        other_salt = signing.dumps({"user": 42}, salt="another.salt")
        other_key = signing.dumps({"user": 42}, salt=salt, key=OTHER_KEY)
        payload, tstamp, sig = good.rsplit(":", 2)
        signed_garbage = {
            "signed invalid base64": ts.sign("!!!not-base64!!!"),
            "signed impossible base64 length": ts.sign("abcde"),
            "signed bad zlib": ts.sign("." + signing.b64_encode(b"not zlib at all").decode()),
            "signed truncated zlib": ts.sign("." + signing.b64_encode(zlib.compress(b'{"a":1}' * 50)[:-6]).decode()),
            "signed non-JSON": ts.sign(signing.b64_encode(b"{not json").decode()),
            "signed trailing data": ts.sign(signing.b64_encode(b'{"a":1} x').decode()),
            "signed bad timestamp": plain.sign(signing.b64_encode(b'{"a":1}').decode() + ":!!"),
            "signed empty timestamp": plain.sign(signing.b64_encode(b'{"a":1}').decode() + ":"),
            "signed without timestamp": plain.sign(signing.b64_encode(b'{"a":1}').decode()),
            "signed raw control character": ts.sign(signing.b64_encode(b'"a\x01b"').decode()),
        }
        latin1 = ts.sign(signing.b64_encode('{"word":"caf\u00e9"}'.encode("utf-8")).decode())
        escapes = ts.sign(signing.b64_encode(b'{"x":"\\u00e9\\ud83d\\ude00\\/"}').decode())
        python_extras = ts.sign(signing.b64_encode(b'[NaN,Infinity,-Infinity,1E2,-0,0.5e-1]').decode())
        duplicate = ts.sign(signing.b64_encode(b'{"a":1,"a":2}').decode())
        whitespace = ts.sign(signing.b64_encode(b' \t\n{ "a" : [ 1 , 2 ] }\r\n').decode())
        deep = ts.sign(signing.b64_encode(("[" * 200 + "]" * 200).encode()).decode())
        moderate = ts.sign(signing.b64_encode(("[" * 100 + "]" * 100).encode()).decode())
        padded = ts.sign(signing.b64_encode(b'{"a":1}').decode() + "=")

    add("valid", "loads", good)
    add("valid compressed", "loads", good_compressed)
    add("tampered signature", "loads", good[:-1] + flip(good[-1]))
    add("tampered payload", "loads", flip(payload[0]) + payload[1:] + ":" + tstamp + ":" + sig)
    add("tampered timestamp", "loads", payload + ":" + tstamp[:-1] + flip(tstamp[-1]) + ":" + sig)
    add("truncated signature", "loads", good[:-5])
    add("no separator", "loads", "justtext")
    add("empty", "loads", "")
    add("only separators", "loads", "::")
    add("wrong salt", "loads", other_salt)
    add("unknown key", "loads", other_key)
    add("uppercased", "loads", good.upper())
    add("non-ascii", "loads", good[:-1] + "é")
    add("expired", "loads", good, max_age=10, now=TIMESTAMP + 11)
    add("at max age", "loads", good, max_age=10, now=TIMESTAMP + 10)
    add("max age zero", "loads", good, max_age=0, now=TIMESTAMP)
    add("future timestamp", "loads", good, max_age=10, now=TIMESTAMP - 1000)
    for name, signed in signed_garbage.items():
        add(name, "loads", signed)
    add("latin-1 bytes", "loads", latin1, note="raw UTF-8 in the JSON is read as Latin-1, as Django does")
    add("escapes and surrogate pair", "loads", escapes)
    add("python number extras", "loads", python_extras)
    add("duplicate key", "loads", duplicate)
    add("whitespace", "loads", whitespace)
    add("padded base64", "loads", padded)
    add("nested 100", "loads", moderate)
    add("nested 200", "loads", deep, gatehouse_expect="malformed",
        note="Django reads 200 levels; Gatehouse stops at 128 (SigningConfiguration.maximumNestingDepth)")
    add("timestamp signer", "timestamp_signer", ts_signed)
    add("timestamp signer expired", "timestamp_signer", ts_signed, max_age=60, now=TIMESTAMP + 61)
    add("timestamp signer tampered", "timestamp_signer", ts_signed.replace("hello", "hellp"))
    add("signer", "signer", plain_signed)
    add("signer tampered", "signer", "jello" + plain_signed[5:])
    add("signer no separator", "signer", "hello")
    add("signer empty signature", "signer", "hello:")
    return out


def zip_bomb():
    with pinned():
        payload = {"a": "0" * 2_000_000}
        signed = signing.dumps(payload, salt="gatehouse.zipbomb", compress=True)
        decoded = signing.loads(signed, salt="gatehouse.zipbomb")
        assert decoded == payload
        cookie = signing.dumps(payload, salt=COOKIE_SALT, compress=True)
    return {
        "secret_key": SECRET_KEY, "salt": "gatehouse.zipbomb", "signed": signed, "cookie": cookie,
        "decoded_bytes": len(django_json(payload)), "signed_bytes": len(signed), "timestamp": TIMESTAMP,
    }


def expiry_vectors():
    modification = datetime.fromtimestamp(TIMESTAMP, tz=timezone.utc)
    cases = [
        ("default", None, {}),
        ("browser close setting", None, {"SESSION_EXPIRE_AT_BROWSER_CLOSE": True}),
        ("custom cookie age", None, {"SESSION_COOKIE_AGE": 3600}),
        ("zero", 0, {}),
        ("seconds", 1800, {}),
        ("seconds with browser close setting", 1800, {"SESSION_EXPIRE_AT_BROWSER_CLOSE": True}),
        ("iso date", "2024-06-01T00:00:00+00:00", {}),
        ("iso date with microseconds", "2024-06-01T00:00:00.250000+00:00", {}),
        ("iso date other offset", "2024-06-01T02:00:00+02:00", {}),
        ("iso date Z", "2024-06-01T00:00:00Z", {}),
        ("iso date in the past", "2024-05-01T00:00:00+00:00", {}),
    ]
    out = []
    for name, value, overrides in cases:
        with override_settings(**overrides):
            store = DBStore()
            if value is not None:
                store["_session_expiry"] = value
            age = store.get_expiry_age(modification=modification)
            date = store.get_expiry_date(modification=modification)
            out.append({
                "name": name, "session_expiry": value, "settings": overrides,
                "cookie_age": settings.SESSION_COOKIE_AGE,
                "expire_at_browser_close_setting": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
                "modification": TIMESTAMP, "expiry_age": age, "expiry_date": date.timestamp(),
                "expire_at_browser_close": store.get_expire_at_browser_close(),
            })
    return out


def set_expiry_vectors():
    out = []
    for when in [
        datetime(2024, 6, 1, 0, 0, 0, tzinfo=timezone.utc),
        datetime(2024, 6, 1, 12, 34, 56, 789012, tzinfo=timezone.utc),
        datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=timezone.utc),
        datetime(2038, 1, 19, 3, 14, 8, tzinfo=timezone.utc),
    ]:
        store = DBStore()
        store.set_expiry(when)
        out.append({"unix": when.timestamp(), "stored": store["_session_expiry"]})
    return out


def new_key_length():
    with mock.patch.object(DBStore, "exists", return_value=False):
        key = DBStore()._get_new_session_key()
    assert all(c in session_base.VALID_KEY_CHARS for c in key)
    return len(key)


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(oracle.FIXTURES, "signing-vectors.json")
    data = {
        "django_version": django.get_version(),
        "facts": {
            "secret_key": SECRET_KEY,
            "old_secret_key": OLD_KEY,
            "timestamp": TIMESTAMP,
            "db_salt": DB_SALT,
            "cached_db_salt": CachedDBStore().key_salt,
            "cookie_salt": COOKIE_SALT,
            "dumps_salt": "django.core.signing",
            "signer_default_salt": signing.Signer(key="k").salt,
            "timestamp_signer_default_salt": signing.TimestampSigner(key="k").salt,
            "default_algorithm": signing.Signer(key="k").algorithm,
            "session_key_chars": session_base.VALID_KEY_CHARS,
            "session_key_length": new_key_length(),
            "session_key_max_length": DBStore().model._meta.get_field("session_key").max_length,
            "session_serializer": settings.SESSION_SERIALIZER,
            "cookie_name": settings.SESSION_COOKIE_NAME,
            "cookie_age": settings.SESSION_COOKIE_AGE,
            "expire_at_browser_close": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
            "save_every_request": settings.SESSION_SAVE_EVERY_REQUEST,
        },
        "base62": b62_vectors(),
        "base64": b64_vectors(),
        "json": [{"name": n, "text": django_json(sorted_obj(o)), "writes_same": True} for n, o in JSON_OBJECTS]
        + [{"name": n, "text": django_json(o), "writes_same": False} for n, o in JSON_ONLY_READ],
        "signer": signer_vectors(),
        "timestamp_signer": timestamp_signer_vectors(),
        "dumps": dumps_vectors(),
        "db_sessions": db_session_vectors(),
        "cookie_sessions": cookie_session_vectors(),
        "fallbacks": fallback_vectors(),
        "loads": loads_vectors(),
        "zip_bomb": zip_bomb(),
        "expiry": expiry_vectors(),
        "set_expiry": set_expiry_vectors(),
    }
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print("wrote %s" % out_path, file=sys.stderr)


if __name__ == "__main__":
    main()
