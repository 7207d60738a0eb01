#!/usr/bin/env python
"""Generate Tests/Fixtures/django/password-vectors.json with real Django.

Run with the oracle venv (see scripts/django/venv.sh):

    .venv-django/bin/python scripts/django/gen_password_vectors.py [OUTPUT]

Every hash is made by django.contrib.auth.hashers.make_password() under the
oracle settings (scripts/django/oracle/settings.py) and every verdict comes from
Django's own check_password() / verify_password() / identify_hasher() /
hasher.must_update(). Random salts make the output differ on each run.

Per case (all keys always present, null when not applicable):
  name, kind          human label; kind is one of hash, wrong_password,
                      make_error, unusable, malformed, cross_check
  algorithm           hasher asked for (null for malformed/unusable input)
  password            the password checked against `encoded`
  encoded             the stored hash (null when make_password raised)
  fixed_salt          salt passed to make_password (null = random salt)
  verifies            check_password(password, encoded); false when Django raised
  must_update         identify_hasher(encoded).must_update(encoded) (the
                      hasher's own view; null when not identifiable / it raised)
  verify_password_must_update
                      second value of verify_password(): Django's upgrade
                      decision, independent of whether the password matched
  needs_upgrade       whether check_password(..., setter=...) called the setter
  usable              is_password_usable(encoded)
  identified          identify_hasher(encoded).algorithm, null on ValueError
  django_raises       exception type name when check_password raised (Gatehouse
                      should return false instead)
  error               "Type: message" when make_password raised
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

django = oracle.setup()

import argon2  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import (  # noqa: E402
    UNUSABLE_PASSWORD_PREFIX,
    UNUSABLE_PASSWORD_SUFFIX_LENGTH,
    Argon2PasswordHasher,
    BCryptSHA256PasswordHasher,
    PBKDF2PasswordHasher,
    PBKDF2SHA1PasswordHasher,
    ScryptPasswordHasher,
    check_password,
    get_hasher,
    get_hashers,
    identify_hasher,
    is_password_usable,
    make_password,
    verify_password,
)
from django.contrib.auth.models import User  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils.crypto import RANDOM_STRING_CHARS  # noqa: E402

LOW_ITERATIONS = 1000

PASSWORDS = [
    ("ascii", "password"),
    ("empty", ""),
    ("phrase", "correct horse battery staple"),
    ("accented", "pässwörd Ünïcödé"),
    ("emoji", "🔐🦄🔑"),
    ("long200", ("Gatehouse-long-password-0123456789-" * 6)[:200]),
    ("spaces", "  spaced  "),
]
assert len(PASSWORDS[5][1]) == 200
# Exactly 72 and 73 UTF-8 bytes: the plain-bcrypt boundary.
BCRYPT_72 = "b" * 72
BCRYPT_73 = "b" * 73


class PBKDF2LowIterations(PBKDF2PasswordHasher):
    iterations = LOW_ITERATIONS


class PBKDF2SHA1LowIterations(PBKDF2SHA1PasswordHasher):
    iterations = LOW_ITERATIONS


class BCryptSHA256LowRounds(BCryptSHA256PasswordHasher):
    rounds = 4


class ScryptLowWorkFactor(ScryptPasswordHasher):
    work_factor = 2**10
    parallelism = 1


class Argon2LowMemory(Argon2PasswordHasher):
    memory_cost = 1024
    parallelism = 1
    time_cost = 1


def exc_name(e):
    return type(e).__name__


def one_char_off(pw):
    """The password with its last character changed (or 'a' for '')."""
    if not pw:
        return "a"
    c = pw[-1]
    return pw[:-1] + chr(ord(c) + 1)


def identified(encoded):
    try:
        return identify_hasher(encoded).algorithm
    except ValueError:
        return None


def hasher_must_update(encoded):
    try:
        hasher = identify_hasher(encoded)
    except ValueError:
        return None
    try:
        return bool(hasher.must_update(encoded))
    except Exception:  # malformed input can make decode() fail
        return None


def verdict(password, encoded):
    """Django's verdicts for (password, encoded)."""
    out = {
        "verifies": False,
        "must_update": None,
        "verify_password_must_update": False,
        "needs_upgrade": False,
        "usable": None if encoded is None else is_password_usable(encoded),
        "identified": None if encoded is None else identified(encoded),
        "django_raises": None,
    }
    if encoded is None:
        return out
    out["must_update"] = hasher_must_update(encoded)
    called = []
    try:
        out["verifies"] = bool(check_password(password, encoded, setter=called.append))
    except Exception as e:
        out["django_raises"] = exc_name(e)
        out["verifies"] = False
    out["needs_upgrade"] = bool(called)
    try:
        is_correct, must_update = verify_password(password, encoded)
        assert bool(is_correct) == out["verifies"], (password, encoded)
        out["verify_password_must_update"] = bool(must_update)
    except Exception as e:
        # verify_password raised as well (same cause as check_password).
        assert out["django_raises"] == exc_name(e), (encoded, e)
        out["verify_password_must_update"] = False
    return out


CASES = []


def add(name, kind, algorithm, password, encoded, fixed_salt=None, error=None):
    case = {
        "name": name,
        "kind": kind,
        "algorithm": algorithm,
        "password": password,
        "encoded": encoded,
        "fixed_salt": fixed_salt,
    }
    case.update(verdict(password, encoded))
    case["error"] = error
    CASES.append(case)
    return case


def hash_cases(label, algorithm, hasher, passwords, fixed_salt=None, wrong=True):
    """make_password for each password; add the hash case and a wrong-password case."""
    for pname, pw in passwords:
        name = "%s %s" % (label, pname)
        try:
            encoded = make_password(pw, salt=fixed_salt, hasher=hasher)
        except Exception as e:
            add(name, "make_error", algorithm, pw, None, fixed_salt, "%s: %s" % (exc_name(e), e))
            continue
        add(name, "hash", algorithm, pw, encoded, fixed_salt)
        if wrong:
            add(name + " wrong password", "wrong_password", algorithm, one_char_off(pw), encoded, fixed_salt)


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        oracle.FIXTURES, "password-vectors.json"
    )
    started = time.time()
    preferred = get_hasher("default")
    few = [p for p in PASSWORDS if p[0] in ("ascii", "empty", "accented", "emoji")]

    # Preferred hasher at Django's default cost (a few passwords only: slow).
    hash_cases("pbkdf2_sha256 default", "pbkdf2_sha256", "pbkdf2_sha256", few)
    # Preferred hasher at a low iteration count: must_update true.
    hash_cases("pbkdf2_sha256 1000", "pbkdf2_sha256", PBKDF2LowIterations(), PASSWORDS)
    hash_cases("pbkdf2_sha1 default", "pbkdf2_sha1", "pbkdf2_sha1", PASSWORDS[:1])
    hash_cases("pbkdf2_sha1 1000", "pbkdf2_sha1", PBKDF2SHA1LowIterations(), PASSWORDS)
    for algorithm in ("bcrypt_sha256", "bcrypt", "scrypt", "md5", "argon2"):
        hash_cases(algorithm + " default", algorithm, algorithm, PASSWORDS)

    # bcrypt 72-byte boundary (plain bcrypt does not pre-hash).
    hash_cases("bcrypt default", "bcrypt", "bcrypt", [("72 bytes", BCRYPT_72), ("73 bytes", BCRYPT_73)])
    hash_cases("bcrypt_sha256 default", "bcrypt_sha256", "bcrypt_sha256", [("73 bytes", BCRYPT_73)], wrong=False)
    enc = make_password("password", hasher="bcrypt")
    add("bcrypt check 200-char password against valid hash", "cross_check", "bcrypt", PASSWORDS[5][1], enc)
    add("bcrypt check 73-byte password against valid hash", "cross_check", "bcrypt", BCRYPT_73, enc)

    # Non-default cost parameters: the hasher's must_update says true.
    hash_cases("bcrypt_sha256 rounds 4", "bcrypt_sha256", BCryptSHA256LowRounds(), PASSWORDS[:1])
    hash_cases("scrypt n=1024 p=1", "scrypt", ScryptLowWorkFactor(), PASSWORDS[:1])
    hash_cases("argon2 m=1024 t=1 p=1", "argon2", Argon2LowMemory(), PASSWORDS[:1])

    # Fixed salts: deterministic encodings Gatehouse can reproduce exactly.
    fixed = PASSWORDS[:1] + [p for p in PASSWORDS if p[0] == "accented"]
    hash_cases("fixed salt pbkdf2_sha256 1000", "pbkdf2_sha256", PBKDF2LowIterations(), fixed, "GatehouseFixedSalt0123")
    hash_cases("fixed salt pbkdf2_sha256 default", "pbkdf2_sha256", "pbkdf2_sha256", fixed[:1], "GatehouseFixedSalt0123")
    hash_cases("fixed salt pbkdf2_sha1 1000", "pbkdf2_sha1", PBKDF2SHA1LowIterations(), fixed, "GatehouseFixedSalt0123")
    hash_cases("fixed salt short pbkdf2_sha256 1000", "pbkdf2_sha256", PBKDF2LowIterations(), fixed[:1], "seasalt")
    hash_cases("fixed salt bcrypt_sha256 rounds 4", "bcrypt_sha256", "bcrypt_sha256", fixed, "$2b$04$GatehouseFixedSaltBcru")
    hash_cases("fixed salt bcrypt rounds 4", "bcrypt", "bcrypt", fixed, "$2b$04$GatehouseFixedSaltBcru")
    hash_cases("fixed salt bcrypt $2a$ rounds 12", "bcrypt", "bcrypt", fixed[:1], "$2a$12$GatehouseFixedSaltBcru")
    hash_cases("fixed salt bcrypt_sha256 rounds 12", "bcrypt_sha256", "bcrypt_sha256", fixed[:1], "$2b$12$GatehouseFixedSaltBcru")
    hash_cases("fixed salt scrypt", "scrypt", "scrypt", fixed, "GatehouseFixedSalt0123")
    hash_cases("fixed salt md5", "md5", "md5", fixed, "GatehouseFixedSalt0123")
    hash_cases("fixed salt short md5", "md5", "md5", fixed[:1], "seasalt")
    hash_cases("fixed salt argon2", "argon2", "argon2", fixed, "GatehouseFixedSalt0123")

    # argon2i / argon2d (older Django made argon2i): Django still verifies
    # any variety via argon2-cffi; must_update is true (type differs).
    for variety, typ in (("argon2i", argon2.low_level.Type.I), ("argon2d", argon2.low_level.Type.D)):
        raw = argon2.low_level.hash_secret(
            b"password", b"GatehouseFixedSalt0123", time_cost=2, memory_cost=102400,
            parallelism=8, hash_len=32, type=typ,
        ).decode("ascii")
        enc = "argon2" + raw
        add("argon2 variety %s" % variety, "hash", "argon2", "password", enc, "GatehouseFixedSalt0123")
        add("argon2 variety %s wrong password" % variety, "wrong_password", "argon2", "passwore", enc, "GatehouseFixedSalt0123")

    # No stripping/normalising of the candidate password.
    enc = make_password("  spaced  ", hasher=PBKDF2LowIterations())
    add("pbkdf2_sha256 1000 spaces checked stripped", "wrong_password", "pbkdf2_sha256", "spaced", enc)
    enc = make_password("password", hasher=PBKDF2LowIterations())
    add("pbkdf2_sha256 1000 checked uppercase", "wrong_password", "pbkdf2_sha256", "PASSWORD", enc)
    # Unicode normalisation: NFC-encoded hash checked with the NFD spelling.
    enc = make_password("p\u00e4ss", hasher=PBKDF2LowIterations())
    add("pbkdf2_sha256 1000 NFC hash checked with NFD", "wrong_password", "pbkdf2_sha256", "pa\u0308ss", enc)
    # Stored hash with surrounding whitespace.
    enc = make_password("password", hasher=PBKDF2LowIterations())
    add("pbkdf2_sha256 1000 encoded with trailing newline", "malformed", "pbkdf2_sha256", "password", enc + "\n")

    # Unusable passwords.
    for pw in ("password", ""):
        enc = make_password(None)
        add("unusable make_password(None) checked with %r" % pw, "unusable", None, pw, enc)
    add("unusable bare prefix", "unusable", None, "password", "!")
    add("unusable prefix with text", "unusable", None, "!abc", "!abc")

    # Malformed / hostile encodings.
    malformed = [
        ("empty string", ""),
        ("pbkdf2_sha256 only prefix", "pbkdf2_sha256$"),
        ("pbkdf2_sha256 non-numeric iterations", "pbkdf2_sha256$abc$salt$hash"),
        ("pbkdf2_sha256 missing hash", "pbkdf2_sha256$1000$salt"),
        ("pbkdf2_sha256 zero iterations", "pbkdf2_sha256$0$salt$hash"),
        ("pbkdf2_sha256 negative iterations", "pbkdf2_sha256$-1$salt$hash"),
        ("pbkdf2_sha256 leading-zero iterations", None),  # filled below
        ("pbkdf2_sha256 uppercase algorithm", None),
        ("unknown algorithm", "unknownalgo$1$2$3"),
        ("md5 empty salt and hash", "md5$$"),
        ("unsalted md5 (hasher not installed)", "5f4dcc3b5aa765d61d8327deb882cf99"),
        ("md5 empty salt 37 chars (unsalted_md5, not installed)", "md5$$5f4dcc3b5aa765d61d8327deb882cf99"),
        ("unsalted sha1 (hasher not installed)", "sha1$$5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"),
        ("bcrypt not bcrypt", "bcrypt$notbcrypt"),
        ("bcrypt_sha256 truncated", "bcrypt_sha256$$2b$12$short"),
        ("argon2 garbage", "argon2$garbage"),
        ("scrypt empty hash", "scrypt$16384$salt$8$1$"),
        ("scrypt huge work factor", "scrypt$1048576$salt$8$1$abc"),
        ("5000 chars", "pbkdf2_sha256$1000$" + "A" * 4981),
        ("5000 chars well-formed pbkdf2_sha256", "pbkdf2_sha256$1000$GatehouseFixedSalt0123$" + "A" * 4958),
        ("non-ASCII junk", "ü€𝄞\x00\u202e$✓$ß"),
        ("bcrypt non-ASCII", "bcrypt$$2b$12$ÄÖÜäöüÄÖÜäöüÄÖÜäöüÄÖÜäöüÄÖÜäöüÄÖÜäöüÄÖÜäöüÄÖÜä"),
        ("pbkdf2_sha256 non-ASCII salt", "pbkdf2_sha256$1000$sälz$hash"),
        ("dollar only", "$"),
        ("many dollars", "$$$$$$$$"),
    ]
    low = make_password("password", hasher=PBKDF2LowIterations())
    _, it, salt, h = low.split("$")
    fills = {
        "pbkdf2_sha256 leading-zero iterations": "pbkdf2_sha256$0%s$%s$%s" % (it, salt, h),
        "pbkdf2_sha256 uppercase algorithm": "PBKDF2_SHA256$%s$%s$%s" % (it, salt, h),
    }
    for name, enc in malformed:
        add("malformed " + name, "malformed", None, "password", enc if enc is not None else fills[name])

    # Session auth hash vectors: the real AbstractBaseUser method.
    session = []
    pw_hashes = [
        make_password("password", salt="GatehouseFixedSalt0123", hasher=PBKDF2LowIterations()),
        next(c["encoded"] for c in CASES if c["name"] == "pbkdf2_sha256 default ascii"),
        make_password("pässwörd Ünïcödé", salt="$2b$04$GatehouseFixedSaltBcru", hasher="bcrypt_sha256"),
        "!" + "x" * UNUSABLE_PASSWORD_SUFFIX_LENGTH,
        "",
    ]
    secrets = [
        settings.SECRET_KEY,
        "django-insecure-0123456789abcdefghijklmnopqrstuvwxyz!@#$%^&*(-_=+)",
        "sëcret-🔑-key",
    ]
    for sk in secrets:
        for ph in pw_hashes:
            with override_settings(SECRET_KEY=sk):
                user = User(username="session-user", password=ph)
                session.append({"secret_key": sk, "password_hash": ph, "hash": user.get_session_auth_hash()})

    argon = Argon2PasswordHasher()
    params = argon.params()
    data = {
        "django_version": django.get_version(),
        "generator": "scripts/django/gen_password_vectors.py",
        "preferred": preferred.algorithm,
        "hashers": [h.algorithm for h in get_hashers()],
        "default_iterations": {
            "pbkdf2_sha256": PBKDF2PasswordHasher.iterations,
            "pbkdf2_sha1": PBKDF2SHA1PasswordHasher.iterations,
        },
        "low_iterations": LOW_ITERATIONS,
        "bcrypt_rounds": BCryptSHA256PasswordHasher.rounds,
        "scrypt": {
            "work_factor": ScryptPasswordHasher.work_factor,
            "block_size": ScryptPasswordHasher.block_size,
            "parallelism": ScryptPasswordHasher.parallelism,
            "maxmem": ScryptPasswordHasher.maxmem,
            "dklen": 64,
        },
        "argon2": {
            "variety": "argon2id",
            "version": params.version,
            "time_cost": params.time_cost,
            "memory_cost": params.memory_cost,
            "parallelism": params.parallelism,
            "hash_len": params.hash_len,
        },
        "salt": {
            "entropy_bits": PBKDF2PasswordHasher.salt_entropy,
            "chars": RANDOM_STRING_CHARS,
            "length": len(PBKDF2PasswordHasher().salt()),
        },
        "unusable_password": {
            "prefix": UNUSABLE_PASSWORD_PREFIX,
            "suffix_length": UNUSABLE_PASSWORD_SUFFIX_LENGTH,
        },
        "cases": CASES,
        "session_auth_hash": session,
    }
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(
        "wrote %s: %d cases, %d session hashes in %.1fs"
        % (out_path, len(CASES), len(session), time.time() - started),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
