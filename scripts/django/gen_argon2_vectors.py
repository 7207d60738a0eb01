#!/usr/bin/env python
"""Generate Tests/Fixtures/django/argon2-vectors.json with real Django and argon2-cffi.

Run with the oracle venv (see scripts/django/venv.sh):

    .venv-django/bin/python scripts/django/gen_argon2_vectors.py [OUTPUT]

Small memory costs (so Gatehouse's debug-build tests stay fast) plus one hash at
Django's own parameters. argon2id hashes come from Django's make_password() with
an Argon2PasswordHasher subclass; argon2i, argon2d and version 16 hashes (older
Django and argon2-cffi releases) from argon2-cffi's low-level hash_secret(),
prefixed with "argon2" as Django stores them. Every verdict is Django's:

  name          human label
  password      the password checked against `encoded`
  encoded       the stored hash
  fixed_salt    the salt text (null = random salt from Django)
  verifies      django.contrib.auth.hashers.check_password(password, encoded)
  must_update   the default Argon2PasswordHasher().must_update(encoded)
  summary       the default hasher's safe_summary(encoded), values as strings
"""

import importlib.metadata
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

django = oracle.setup()

from argon2.low_level import Type, hash_secret  # noqa: E402
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password  # noqa: E402

PASSWORDS = [
    "password",
    "",
    "pässwörd Ünïcödé",
    "🔐🦄🔑",
    ("Gatehouse-long-password-0123456789-" * 6)[:200],
    "tab\tand\nnewline",
    "nul\u0000inside",
]


def small(memory, time, lanes):
    class Small(Argon2PasswordHasher):
        memory_cost = memory
        time_cost = time
        parallelism = lanes

    return Small()


def wrong(password):
    return password[:-1] + chr(ord(password[-1]) + 1) if password else "a"


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(oracle.FIXTURES, "argon2-vectors.json")
    default = Argon2PasswordHasher()
    cases = []

    def add(name, password, encoded, fixed_salt):
        for label, candidate in ((name, password), (name + " wrong password", wrong(password))):
            cases.append({
                "name": label,
                "password": candidate,
                "encoded": encoded,
                "fixed_salt": fixed_salt,
                "verifies": check_password(candidate, encoded),
                "must_update": default.must_update(encoded),
                "summary": {str(k): str(v) for k, v in default.safe_summary(encoded).items()},
            })

    # argon2id through Django, small parameters, every password, random and fixed salts.
    for memory, time, lanes in ((64, 1, 1), (256, 2, 4), (96, 3, 2), (80, 1, 8)):
        hasher = small(memory, time, lanes)
        for index, password in enumerate(PASSWORDS if (memory, time, lanes) == (64, 1, 1) else PASSWORDS[:3]):
            add("django argon2id m=%d t=%d p=%d #%d" % (memory, time, lanes, index), password,
                make_password(password, hasher=hasher), None)
            salt = "GatehouseFixedSalt%04d" % index
            add("django argon2id m=%d t=%d p=%d fixed salt #%d" % (memory, time, lanes, index), password,
                make_password(password, salt, hasher=hasher), salt)

    # Other varieties and version 16, through argon2-cffi as older Django made them.
    for variety, typ in (("argon2i", Type.I), ("argon2d", Type.D), ("argon2id", Type.ID)):
        for version in (19, 16):
            for memory, time, lanes in ((64, 2, 1), (128, 1, 2)):
                salt = "GatehouseSalt%s%d" % (variety, version)
                encoded = "argon2" + hash_secret(
                    PASSWORDS[2].encode(), salt.encode(), time_cost=time, memory_cost=memory,
                    parallelism=lanes, hash_len=32, type=typ, version=version,
                ).decode("ascii")
                add("cffi %s v=%d m=%d t=%d p=%d" % (variety, version, memory, time, lanes), PASSWORDS[2], encoded, salt)

    # Other hash lengths and salt lengths.
    for hash_len, salt in ((16, "eightsal"), (64, "a-much-longer-salt-of-40-characters-xyz!")):
        encoded = "argon2" + hash_secret(b"password", salt.encode(), time_cost=1, memory_cost=64, parallelism=1,
                                         hash_len=hash_len, type=Type.ID).decode("ascii")
        add("cffi argon2id hash_len=%d salt %d bytes" % (hash_len, len(salt)), "password", encoded, salt)

    # One at Django's own parameters.
    add("django argon2id defaults fixed salt", "pässwörd 🔑", make_password("pässwörd 🔑", "GatehouseFixedSalt0123", hasher=default),
        "GatehouseFixedSalt0123")

    result = {
        "django_version": django.get_version(),
        "argon2_cffi_version": importlib.metadata.version("argon2-cffi"),
        "defaults": {
            "time_cost": default.time_cost,
            "memory_cost": default.memory_cost,
            "parallelism": default.parallelism,
        },
        "cases": cases,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote %d cases to %s" % (len(cases), out_path), file=sys.stderr)


if __name__ == "__main__":
    main()
