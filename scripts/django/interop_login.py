#!/usr/bin/env python
"""Log in and look up users with real Django on a database Gatehouse created.

    .venv-django/bin/python scripts/django/interop_login.py django-login \
        --db URL --secret KEY [--fallback OLD ...] --username U --password P
    .venv-django/bin/python scripts/django/interop_login.py django-whoami \
        --db URL --secret KEY [--fallback OLD ...] --session SESSION_KEY

URL has the form of ORACLE_DB_URL: sqlite:///ABS/PATH or
postgres://USER[:PW]@HOST[:PORT]/DB. KEY is SECRET_KEY, each --fallback one
entry of SECRET_KEY_FALLBACKS. Works from any working directory.

Django's migrate is never run: Django works on the tables exactly as Gatehouse
made them (there is no django_migrations table, and neither command needs one).

django-login: a POST request goes through the real SessionMiddleware; the view
calls django.contrib.auth.authenticate() and login(), and the middleware saves
the session and sets the cookie. stdout (exit 0):
  {"session_key": "...", "user_id": "...", "username": "...",
   "password_rehashed": bool}   (true when authenticate() upgraded the hash)
When authenticate() refuses the credentials: {"error": "..."} and exit 1.

django-whoami: a GET request carrying Cookie: sessionid=SESSION_KEY goes through
the real SessionMiddleware and AuthenticationMiddleware (so the user comes from
django.contrib.auth.get_user, which verifies the session auth hash). stdout:
  {"username": "..." or null, "is_authenticated": bool, "user_id": "..." or null,
   "session_found": bool,           a live row whose data verified (and is not empty)
   "session_key_after": "..." or null}  the key Django's cookie names afterwards
                                        (a new one when Django cycled the key;
                                        null when it left the cookie alone)
"""

import argparse
import json
import os
import sys


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("django-login", "django-whoami"):
        command = commands.add_parser(name)
        command.add_argument("--db", required=True, help="sqlite:///ABS/PATH or postgres://USER@HOST:PORT/DB")
        command.add_argument("--secret", required=True, help="SECRET_KEY")
        command.add_argument("--fallback", action="append", default=[], help="a SECRET_KEY_FALLBACKS entry")
        if name == "django-login":
            command.add_argument("--username", required=True)
            command.add_argument("--password", required=True)
        else:
            command.add_argument("--session", required=True, help="the session cookie's value")
    return parser.parse_args(argv)


arguments = parse_arguments(sys.argv[1:])
# The oracle settings read these when Django is set up.
os.environ["ORACLE_DB_URL"] = arguments.db
os.environ["DJANGO_SECRET_KEY"] = arguments.secret

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

oracle.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import authenticate, get_user_model, login  # noqa: E402
from django.contrib.auth.middleware import AuthenticationMiddleware  # noqa: E402
from django.contrib.sessions.middleware import SessionMiddleware  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402


def django_login(username, password):
    model = get_user_model()
    original = model.objects.filter(**{model.USERNAME_FIELD: username}).values_list("password", flat=True).first()
    outcome = {}

    def view(request):
        user = authenticate(request, username=username, password=password)
        if user is None:
            outcome["error"] = "authenticate() refused the credentials"
            return HttpResponse("refused")
        login(request, user)
        outcome["user_id"] = str(user.pk)
        outcome["username"] = user.get_username()
        # check_password() saves an upgraded hash (here: more PBKDF2 iterations) during authenticate().
        outcome["password_rehashed"] = user.password != original
        return HttpResponse(status=302, headers={"Location": "/"})

    request = RequestFactory().post("/accounts/login/", {"username": username})
    response = SessionMiddleware(view)(request)
    if "error" in outcome:
        return outcome, 1
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None or not cookie.value:
        return {"error": "Django set no session cookie"}, 1
    outcome["session_key"] = cookie.value
    return outcome, 0


def django_whoami(session_key):
    seen = {}

    def view(request):
        user = request.user  # django.contrib.auth.get_user, lazily
        seen["is_authenticated"] = bool(user.is_authenticated)
        seen["username"] = user.get_username() if user.is_authenticated else None
        seen["user_id"] = str(user.pk) if user.is_authenticated else None
        return HttpResponse("ok")

    # Looked at before the request, so the answer does not depend on what get_user() then does to the row.
    probe = SessionMiddleware(view).SessionStore(session_key)
    session_found = bool(probe.load()) and probe.session_key is not None
    request = RequestFactory().get("/whoami/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = session_key
    response = SessionMiddleware(AuthenticationMiddleware(view))(request)
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    seen["session_found"] = session_found
    seen["session_key_after"] = cookie.value if cookie is not None and cookie.value else None
    return seen, 0


def main():
    overrides = {"SECRET_KEY": arguments.secret, "SECRET_KEY_FALLBACKS": list(arguments.fallback)}
    with override_settings(**overrides):
        if arguments.command == "django-login":
            result, status = django_login(arguments.username, arguments.password)
        else:
            result, status = django_whoami(arguments.session)
    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
