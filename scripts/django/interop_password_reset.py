#!/usr/bin/env python
"""Make and check password reset tokens with real Django on a database Gatehouse created.

    .venv-django/bin/python scripts/django/interop_password_reset.py django-make-token \
        --db URL --secret KEY [--fallback OLD ...] --username U
    .venv-django/bin/python scripts/django/interop_password_reset.py django-check-token \
        --db URL --secret KEY [--fallback OLD ...] --uidb64 UID --token TOKEN [--later SECONDS]

URL has the form of ORACLE_DB_URL (see interop_login.py). KEY is SECRET_KEY, each
--fallback one entry of SECRET_KEY_FALLBACKS. Django's migrate is never run.

django-make-token: Django's default_token_generator.make_token for the user, as
PasswordResetForm.save() puts it in the link. stdout:
  {"uidb64": "...", "token": "...", "user_id": "..."}

django-check-token: the user the uid names (PasswordResetConfirmView.get_user),
Django's default_token_generator.check_token for it, and what the real
PasswordResetConfirmView answers a GET of /accounts/reset/UID/TOKEN/ (through
the real SessionMiddleware). --later pins Django's clock SECONDS ahead of now
(to check the timeout). stdout:
  {"user_found": bool, "valid": bool, "view_status": 302 or 200,
   "view_location": "/accounts/reset/UID/set-password/" or null}
"""

import argparse
import json
import os
import sys
from datetime import datetime, timedelta


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("django-make-token", "django-check-token"):
        command = commands.add_parser(name)
        command.add_argument("--db", required=True)
        command.add_argument("--secret", required=True)
        command.add_argument("--fallback", action="append", default=[])
        if name == "django-make-token":
            command.add_argument("--username", required=True)
        else:
            command.add_argument("--uidb64", required=True)
            command.add_argument("--token", required=True)
            command.add_argument("--later", type=int, default=0)
    return parser.parse_args(argv)


arguments = parse_arguments(sys.argv[1:])
os.environ["ORACLE_DB_URL"] = arguments.db
os.environ["DJANGO_SECRET_KEY"] = arguments.secret

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

oracle.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.tokens import default_token_generator  # noqa: E402
from django.contrib.auth.views import PasswordResetConfirmView  # noqa: E402
from django.contrib.sessions.middleware import SessionMiddleware  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402
from django.utils.http import urlsafe_base64_encode  # noqa: E402


def make_token(username):
    model = get_user_model()
    user = model._default_manager.get(**{model.USERNAME_FIELD: username})
    return {
        "uidb64": urlsafe_base64_encode(str(user.pk).encode()),
        "token": default_token_generator.make_token(user),
        "user_id": str(user.pk),
    }


def check_token(uidb64, token, later):
    if later:
        pinned = datetime.now() + timedelta(seconds=later)
        default_token_generator._now = lambda: pinned
    view = PasswordResetConfirmView()
    user = view.get_user(uidb64)
    valid = default_token_generator.check_token(user, token)
    request = RequestFactory().get("/accounts/reset/%s/%s/" % (uidb64, token))
    response = SessionMiddleware(lambda r: PasswordResetConfirmView.as_view()(r, uidb64=uidb64, token=token))(request)
    return {
        "user_found": user is not None,
        "valid": bool(valid),
        "view_status": response.status_code,
        "view_location": response.headers.get("Location"),
    }


def main():
    with override_settings(SECRET_KEY=arguments.secret, SECRET_KEY_FALLBACKS=list(arguments.fallback)):
        if arguments.command == "django-make-token":
            result = make_token(arguments.username)
        else:
            result = check_token(arguments.uidb64, arguments.token, arguments.later)
    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
