#!/usr/bin/env python
"""Generate Tests/Fixtures/django/validator-vectors.json with real Django.

    .venv-django/bin/python scripts/django/gen_validator_vectors.py [OUTPUT]

Runs Django's four stock password validators (with default and non-default
options) over passwords and users and records exactly what Django says.

Per case:
  validator         class name in django.contrib.auth.password_validation
  options           keyword arguments given to the constructor ({} = defaults)
  password, user    user is {"username","first_name","last_name","email"} or null;
                    validation runs against an unsaved django User built from it
  errors            [{"code", "message"}] in Django's order, [] when valid
                    (message has its parameters already interpolated)
  help_text         validator.get_help_text()
  construct_error   "Type: message" when the constructor itself raised
                    (then errors is [] and help_text null)
Top level:
  help_texts        password_validators_help_texts() for the default settings
  combined          validate_password(password, user) with the four defaults:
                    the full error list in order
Output is deterministic (no randomness).
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

django = oracle.setup()

from django.contrib.auth import password_validation as pv  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402

JDOE = {"username": "jdoe", "first_name": "John", "last_name": "Doe", "email": "john.doe@example.com"}
CLIENT = {"username": "testclient", "first_name": "Test", "last_name": "Client", "email": "testclient@example.com"}
UNDERSCORE = {"username": "mary_jane_watson", "first_name": "Mary Jane", "last_name": "Watson-Parker", "email": "mj+spam@daily-bugle.example"}
ACCENTED = {"username": "josé.garcía", "first_name": "José", "last_name": "García", "email": "jose@ejemplo.es"}
LONGATTR = {"username": "averyveryverylongusernamethatkeepsgoing", "first_name": "Bartholomew", "last_name": "Featherstonehaugh", "email": "bartholomew.featherstonehaugh@longdomainname.example.org"}
EMPTY = {"username": "someone", "first_name": "", "last_name": "", "email": ""}
DOTTED_I = {"username": "İstanbul", "first_name": "", "last_name": "", "email": ""}


def errors_of(exc):
    return [{"code": e.code, "message": m} for e, m in zip(exc.error_list, exc.messages)]


def make_user(user):
    return None if user is None else User(**user)


CASES = []


def case(validator, options, password, user=None):
    cls = getattr(pv, validator)
    entry = {
        "validator": validator,
        "options": options,
        "password": password,
        "user": user,
        "errors": [],
        "help_text": None,
        "construct_error": None,
    }
    try:
        v = cls(**options)
    except Exception as e:
        entry["construct_error"] = "%s: %s" % (type(e).__name__, e)
        CASES.append(entry)
        return
    entry["help_text"] = str(v.get_help_text())
    try:
        v.validate(password, make_user(user))
    except ValidationError as e:
        entry["errors"] = errors_of(e)
    CASES.append(entry)


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        oracle.FIXTURES, "validator-vectors.json"
    )

    # MinimumLengthValidator: Python len() counts code points, not graphemes.
    for pw in ["", "a", "1234567", "12345678", "abcdefgh", "pässwörd", "pässwör",
               "🔐🦄🔑🔐🦄🔑🔐", "🔐🦄🔑🔐🦄🔑🔐🦄",
               "e\u0301e\u0301e\u0301e\u0301",  # 8 code points, 4 graphemes
               "👨\u200d👩\u200d👧\u200d👦",  # 7 code points, 1 grapheme
               "\r\n\r\n\r\n\r\n",  # 8 code points, 4 graphemes
               "       "]:
        case("MinimumLengthValidator", {}, pw)
    for pw in ["elevenchars", "twelve chars", "a" * 100]:
        case("MinimumLengthValidator", {"min_length": 12}, pw)
    for pw in ["", "a"]:
        case("MinimumLengthValidator", {"min_length": 1}, pw)
    case("MinimumLengthValidator", {"min_length": 0}, "")

    # UserAttributeSimilarityValidator with default options.
    U = "UserAttributeSimilarityValidator"
    for pw, user in [
        ("testclient", CLIENT),
        ("TESTCLIENT", CLIENT),
        ("testclient", None),
        ("TestClient2024", CLIENT),
        ("clienttest", CLIENT),
        ("example", CLIENT),
        ("john.doe@example.com", JDOE),
        ("johndoe", JDOE),
        ("john", JDOE),
        ("doe", JDOE),
        ("Doe!", JDOE),
        ("jdoe", JDOE),
        ("example.com", JDOE),
        ("com", JDOE),
        ("j", JDOE),
        ("xyz", JDOE),
        ("doe" + "x" * 97, JDOE),  # long password: length-ratio short cut skips "doe"
        ("doedoedoedoedoedoedoedoedoedoe", JDOE),
        ("correct horse battery staple", JDOE),
        ("Tr0ub4dor&3", CLIENT),
        ("mary_jane_watson", UNDERSCORE),
        ("maryjane", UNDERSCORE),
        ("watson", UNDERSCORE),
        ("parker", UNDERSCORE),
        ("spam", UNDERSCORE),
        ("daily-bugle", UNDERSCORE),
        ("bugle", UNDERSCORE),
        ("garcía", ACCENTED),
        ("GARCÍA", ACCENTED),
        ("garcia", ACCENTED),
        ("josé", ACCENTED),
        ("ejemplo", ACCENTED),
        ("bartholomew", LONGATTR),
        ("feather", LONGATTR),
        ("longdomainname", LONGATTR),
        ("someone", EMPTY),
        ("anything", EMPTY),
        ("istanbul", DOTTED_I),
        ("i̇stanbul", DOTTED_I),
        ("", CLIENT),
    ]:
        case(U, {}, pw, user)

    # Non-default options.
    for pw in ["testclient", "testclient1", "TESTCLIENT"]:
        case(U, {"max_similarity": 1.0}, pw, CLIENT)
    for pw in ["testclnt", "clientele", "something"]:
        case(U, {"max_similarity": 0.5}, pw, CLIENT)
    for pw in ["zzzzzzzz", "qwerty", "t"]:
        case(U, {"max_similarity": 0.1}, pw, CLIENT)
    case(U, {"max_similarity": 0.05}, "testclient", CLIENT)
    case(U, {"max_similarity": 0.0}, "testclient", CLIENT)
    case(U, {"user_attributes": ["username"]}, "testclient@example.com", CLIENT)
    case(U, {"user_attributes": ["username"]}, "example", CLIENT)
    case(U, {"user_attributes": ["username"]}, "testclient", CLIENT)
    case(U, {"user_attributes": ["email"]}, "example", CLIENT)
    case(U, {"user_attributes": ["first_name", "last_name"]}, "client", CLIENT)
    case(U, {"user_attributes": ["first_name", "last_name"]}, "testclient", CLIENT)
    case(U, {"user_attributes": ["username", "nickname"]}, "nickname", CLIENT)
    case(U, {"user_attributes": []}, "testclient", CLIENT)
    case(U, {"user_attributes": ["last_name", "username"], "max_similarity": 0.5}, "clienttest", CLIENT)

    # CommonPasswordValidator: lowercase + strip before lookup.
    for pw in ["password", "PASSWORD", "PassWord", "  password  ", "password\n", "\tpassword",
               "\u00a0password\u3000", "password1", "letmein", "qwerty", "123456", "iloveyou",
               "Tr0ub4dor&3", "correct horse battery staple", "gatehouse-is-great",
               "pässwörd", "", "pass word"]:
        case("CommonPasswordValidator", {}, pw)

    # NumericPasswordValidator: str.isdigit() semantics.
    for pw in ["123456789", "12345678a", "a12345678", "", " 12345678", "12 34",
               "-123", "1.5", "١٢٣٤٥٦٧٨", "０１２３", "²³", "½", "Ⅻ", "๑๒๓"]:
        case("NumericPasswordValidator", {}, pw)

    # validate_password() with the four defaults.
    combined = []
    for pw, user in [
        ("", None), ("123", None), ("12345678", None), ("password", None),
        ("testclient", CLIENT), ("testclie", CLIENT), ("1234", JDOE), ("jdoe", JDOE),
        ("correct horse battery staple", JDOE), ("Gatehouse#2024!", CLIENT),
        ("johndoe1", JDOE), ("١٢٣", None),
    ]:
        try:
            pv.validate_password(pw, make_user(user))
            errs = []
        except ValidationError as e:
            errs = errors_of(e)
        combined.append({"password": pw, "user": user, "errors": errs})

    data = {
        "django_version": django.get_version(),
        "generator": "scripts/django/gen_validator_vectors.py",
        "default_validators": [type(v).__name__ for v in pv.get_default_password_validators()],
        "help_texts": [str(t) for t in pv.password_validators_help_texts()],
        "cases": CASES,
        "combined": combined,
    }
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote %s: %d cases, %d combined" % (out_path, len(CASES), len(combined)), file=sys.stderr)


if __name__ == "__main__":
    main()
