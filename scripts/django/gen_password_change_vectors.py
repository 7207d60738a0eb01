#!/usr/bin/env python
"""Generate Tests/Fixtures/django/password-change-vectors.json with real Django.

    .venv-django/bin/python scripts/django/gen_password_change_vectors.py [OUTPUT]

Runs Django's PasswordChangeForm (the form behind /accounts/password_change/) on
submissions for one user and records, per case, whether the form is valid and
the errors Django attaches to each field, in Django's order. The user is built
in memory (no database): its password is set with the fastest stock hasher, so
check_password runs for real.

Per case:
  name        what the case is about
  data        the POSTed fields (a missing key is a field left out)
  valid       form.is_valid()
  errors      {field: [{"code", "message"}]}; field "__all__" for form-wide ones
Top level:
  user        {"username","first_name","last_name","email","password"} of the
              user whose password is being changed
Output is deterministic (no randomness).
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

django = oracle.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.forms import PasswordChangeForm  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

USER = {
    "username": "jdoe",
    "first_name": "John",
    "last_name": "Doe",
    "email": "john.doe@example.com",
    "password": "old correct horse",
}
GOOD = "a new staple battery"

CASES = [
    ("valid change", {"old_password": USER["password"], "new_password1": GOOD, "new_password2": GOOD}),
    ("wrong old password", {"old_password": "not it", "new_password1": GOOD, "new_password2": GOOD}),
    ("old password with other case", {"old_password": USER["password"].upper(), "new_password1": GOOD, "new_password2": GOOD}),
    ("old password padded with spaces is not stripped", {"old_password": " " + USER["password"], "new_password1": GOOD, "new_password2": GOOD}),
    ("everything missing", {}),
    ("everything empty", {"old_password": "", "new_password1": "", "new_password2": ""}),
    ("only the old password", {"old_password": USER["password"]}),
    ("confirmation missing", {"old_password": USER["password"], "new_password1": GOOD}),
    ("first new password missing", {"old_password": USER["password"], "new_password2": GOOD}),
    ("mismatch", {"old_password": USER["password"], "new_password1": GOOD, "new_password2": GOOD + "!"}),
    ("mismatch and wrong old password", {"old_password": "nope", "new_password1": GOOD, "new_password2": "different one here"}),
    ("too short", {"old_password": USER["password"], "new_password1": "k8#Lp2", "new_password2": "k8#Lp2"}),
    ("common", {"old_password": USER["password"], "new_password1": "password123", "new_password2": "password123"}),
    ("numeric", {"old_password": USER["password"], "new_password1": "4815162342108", "new_password2": "4815162342108"}),
    ("short numeric and common", {"old_password": USER["password"], "new_password1": "123456", "new_password2": "123456"}),
    ("similar to the username", {"old_password": USER["password"], "new_password1": "jdoe-jdoe-1", "new_password2": "jdoe-jdoe-1"}),
    ("similar to the email", {"old_password": USER["password"], "new_password1": "john.doe@example", "new_password2": "john.doe@example"}),
    ("mismatch of two weak passwords", {"old_password": USER["password"], "new_password1": "123", "new_password2": "1234"}),
    ("spaces are kept in new passwords", {"old_password": USER["password"], "new_password1": "  " + GOOD + "  ", "new_password2": "  " + GOOD + "  "}),
    ("the same as the old one", {"old_password": USER["password"], "new_password1": USER["password"], "new_password2": USER["password"]}),
    ("non-ASCII", {"old_password": USER["password"], "new_password1": "Ünïcødé pässwörd", "new_password2": "Ünïcødé pässwörd"}),
]


def run():
    user = User(
        username=USER["username"],
        first_name=USER["first_name"],
        last_name=USER["last_name"],
        email=USER["email"],
    )
    user.set_password(USER["password"])
    encoded = user.password
    out = []
    for name, data in CASES:
        user.password = encoded
        form = PasswordChangeForm(user, data=data)
        valid = form.is_valid()
        errors = {
            field: [{"code": e.code, "message": str(m)} for e, m in zip(errs.as_data(), errs)]
            for field, errs in form.errors.items()
        }
        out.append({"name": name, "data": data, "valid": valid, "errors": errors})
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(oracle.FIXTURES, "password-change-vectors.json")
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        cases = run()
    doc = {
        "django": django.get_version(),
        "validators": [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS],
        "user": USER,
        "cases": cases,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
