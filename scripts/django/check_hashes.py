#!/usr/bin/env python
"""Reverse-direction oracle: ask real Django about hashes Gatehouse made.

    .venv-django/bin/python scripts/django/check_hashes.py < in.json > out.json

stdin:  [{"password": "...", "encoded": "..."}, ...]
stdout: one result per input, same order:
        [{"verifies": bool, "must_update": bool, "identified": str|null,
          "needs_upgrade": bool, "django_raises": str|null}, ...]

  verifies       django.contrib.auth.hashers.check_password(password, encoded)
                 (false when Django raised; django_raises names the exception)
  must_update    identify_hasher(encoded).must_update(encoded); false when the
                 hasher cannot be identified or its decode() raised
  identified     identify_hasher(encoded).algorithm, null on ValueError
  needs_upgrade  whether check_password(..., setter=...) called the setter
Settings: scripts/django/oracle/settings.py (DJANGO_SECRET_KEY etc. apply).
Works from any working directory.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ["DJANGO_SETTINGS_MODULE"] = "oracle.settings"
import oracle  # noqa: E402

oracle.setup()

from django.contrib.auth.hashers import check_password, identify_hasher  # noqa: E402


def judge(password, encoded):
    out = {"verifies": False, "must_update": False, "identified": None,
           "needs_upgrade": False, "django_raises": None}
    hasher = None
    try:
        hasher = identify_hasher(encoded)
        out["identified"] = hasher.algorithm
    except ValueError:
        pass
    if hasher is not None:
        try:
            out["must_update"] = bool(hasher.must_update(encoded))
        except Exception:
            out["must_update"] = False
    called = []
    try:
        out["verifies"] = bool(check_password(password, encoded, setter=called.append))
    except Exception as e:
        out["django_raises"] = type(e).__name__
    out["needs_upgrade"] = bool(called)
    return out


def main():
    items = json.load(sys.stdin)
    if not isinstance(items, list):
        sys.exit("expected a JSON list on stdin")
    results = []
    for i, item in enumerate(items):
        try:
            password, encoded = item["password"], item["encoded"]
        except (TypeError, KeyError):
            sys.exit("item %d needs 'password' and 'encoded'" % i)
        results.append(judge(password, encoded))
    json.dump(results, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
