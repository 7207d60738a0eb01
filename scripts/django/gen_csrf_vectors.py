#!/usr/bin/env python
"""Generate Tests/Fixtures/django/csrf-vectors.json with real Django.

    .venv-django/bin/python scripts/django/gen_csrf_vectors.py [OUTPUT]
    .venv-django/bin/python scripts/django/gen_csrf_vectors.py --check < items.json

Everything comes from django.middleware.csrf (Django 6.1.3) under the oracle
settings. Django's masks are random; mask vectors pin the mask by patching
_get_new_csrf_string for the duration of one _mask_cipher_secret call, so the
output is deterministic except for the "django_masked" section (real random
masks, different on every run).

Sections:
  facts          secret/token length, alphabet, reason templates, defaults
  mask           [{secret, mask, token}]   _mask_cipher_secret with a fixed mask
  unmask         [{token, secret}]         _unmask_cipher_token
  django_masked  [{secret, token}]         get_token()/_mask_cipher_secret with Django's random masks
  format         [{token, problem}]        _check_token_format (problem null = fine,
                                           else "has incorrect length" / "has invalid characters")
  match          [{token, secret, matches}] _does_token_match (token already well-formed)
  scenarios      [{name, settings, request, accepted, reason}] CsrfViewMiddleware.process_view
     settings: {trusted_origins, allowed_hosts, cookie_domain, header (HTTP name, e.g. X-CSRFToken)}
     request:  {method, secure, host, server_port, origin, referer, cookie, form_token, header_token}
               (null = absent). form_token is sent as a urlencoded body; for methods
               other than POST Django never reads it.
     reason: Django's reason string when rejected, else null.

--check mode (reverse oracle): reads [{"secret": S, "token": T}] as JSON on stdin
and prints [{"format": problem-or-null, "matches": bool, "accepted": bool,
"reason": str-or-null}] where "accepted"/"reason" come from the middleware for a
POST with cookie S and form field T (plus the same through the header when
"header": true is given in the item).
"""

import json
import logging
import os
import sys
from unittest import mock
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

django = oracle.setup()

from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.middleware import csrf  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402

logging.getLogger("django.security.csrf").setLevel(logging.CRITICAL)

CHARS = csrf.CSRF_ALLOWED_CHARS
SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"
OTHER_SECRET = "0123456789ZYXWVUTSRQPONMLKJIHGFE"
MASK = "QWERTYUIOPasdfghjklzxcvbnm012345"


def mask_with(secret, mask):
    with mock.patch.object(csrf, "_get_new_csrf_string", return_value=mask):
        return csrf._mask_cipher_secret(secret)


TOKEN = mask_with(SECRET, MASK)
OTHER_TOKEN = mask_with(OTHER_SECRET, MASK)
LEGACY_COOKIE = mask_with(SECRET, "zyxwvutsrqponmlkjihgfedcbaZYXWVU")


class RecordingMiddleware(csrf.CsrfViewMiddleware):
    """The real middleware; only the failure view is replaced so the reason is visible."""

    def _reject(self, request, reason):
        response = HttpResponse(status=403)
        response.csrf_reason = reason
        return response


def view(request):
    return HttpResponse("ok")


def header_meta_name(name):
    return "HTTP_" + name.upper().replace("-", "_")


def run_request(settings_spec, req):
    overrides = {
        "CSRF_TRUSTED_ORIGINS": settings_spec.get("trusted_origins", []),
        "ALLOWED_HOSTS": settings_spec.get("allowed_hosts", ["*"]),
        "CSRF_COOKIE_DOMAIN": settings_spec.get("cookie_domain"),
        "CSRF_HEADER_NAME": header_meta_name(settings_spec.get("header", "X-CSRFToken")),
    }
    with override_settings(**overrides):
        factory = RequestFactory()
        extra = {}
        if req.get("host") is not None:
            extra["HTTP_HOST"] = req["host"]
        if req.get("server_port") is not None:
            extra["SERVER_PORT"] = str(req["server_port"])
        if req.get("origin") is not None:
            extra["HTTP_ORIGIN"] = req["origin"]
        if req.get("referer") is not None:
            extra["HTTP_REFERER"] = req["referer"]
        if req.get("header_token") is not None:
            extra[settings.CSRF_HEADER_NAME] = req["header_token"]
        if req.get("form_token") is not None:
            body = urlencode({"csrfmiddlewaretoken": req["form_token"], "field": "value"})
        else:
            body = "field=value"
        request = factory.generic(
            req["method"],
            "/submit/",
            data=body,
            content_type="application/x-www-form-urlencoded",
            secure=req["secure"],
            **extra,
        )
        if req.get("cookie") is not None:
            request.COOKIES[settings.CSRF_COOKIE_NAME] = req["cookie"]
        middleware = RecordingMiddleware(lambda r: HttpResponse())
        middleware.process_request(request)
        response = middleware.process_view(request, view, (), {})
        # What the request looked like to Django, for the record.
        req = dict(req)
        req["server_port"] = int(request.META["SERVER_PORT"])
        req["host"] = request.META.get("HTTP_HOST", request.META.get("SERVER_NAME"))
        if response is None:
            return req, True, None
        return req, False, response.csrf_reason


def scenarios():
    out = []

    def add(name, settings_spec=None, **req):
        base = {
            "method": "POST",
            "secure": False,
            "host": "testserver",
            "server_port": None,
            "origin": None,
            "referer": None,
            "cookie": SECRET,
            "form_token": TOKEN,
            "header_token": None,
        }
        base.update(req)
        spec = {"trusted_origins": [], "allowed_hosts": ["*"], "cookie_domain": None, "header": "X-CSRFToken"}
        spec.update(settings_spec or {})
        recorded, accepted, reason = run_request(spec, base)
        out.append({"name": name, "settings": spec, "request": recorded, "accepted": accepted, "reason": reason})

    https = {"secure": True, "referer": "https://testserver/form/"}

    # Safe methods.
    for method in ["GET", "HEAD", "OPTIONS", "TRACE", "get"]:
        add("safe %s without cookie or token" % method, method=method, cookie=None, form_token=None)
    add("safe GET over https without referer", method="GET", secure=True, cookie=None, form_token=None)

    # Plain http, no Origin: only cookie and token count.
    add("http POST with form token")
    add("http lowercase post with form token", method="post")
    add("http POST without cookie", cookie=None)
    add("http POST without any token", form_token=None)
    add("http POST with wrong form token", form_token=OTHER_TOKEN)
    add("http POST with short form token", form_token=TOKEN[:63])
    add("http POST with long form token", form_token=TOKEN + "a")
    add("http POST with form token containing invalid characters", form_token=TOKEN[:-1] + "!")
    add("http POST with form token of non-ASCII letters (64 code points)", form_token="\u00e9" * 64)
    add("http POST with unmasked secret as form token", form_token=SECRET)
    add("http POST with wrong unmasked secret as form token", form_token=OTHER_SECRET)
    add("http POST with empty form token falls back to header", form_token="", header_token=TOKEN)
    add("http POST with empty form token and no header", form_token="")
    add("http POST form token wins over header", form_token=OTHER_TOKEN, header_token=TOKEN)
    add("http POST header only (masked)", form_token=None, header_token=TOKEN)
    add("http POST header only (unmasked secret)", form_token=None, header_token=SECRET)
    add("http POST header wrong", form_token=None, header_token=OTHER_TOKEN)
    add("http POST header empty", form_token=None, header_token="")
    add("http POST header with invalid characters", form_token=None, header_token=SECRET[:-1] + "-")
    add("http POST header 33 characters", form_token=None, header_token=SECRET + "a")
    add("http PUT with form token only: Django never reads the body", method="PUT")
    add("http PUT with header", method="PUT", form_token=None, header_token=TOKEN)
    add("http DELETE with header", method="DELETE", form_token=None, header_token=SECRET)
    add("http PATCH with wrong header", method="PATCH", form_token=None, header_token=OTHER_TOKEN)
    add("http unknown method without token", method="PURGE", form_token=None)
    add("custom header name in reason", {"header": "X-XSRF-TOKEN"}, form_token=None, header_token=OTHER_TOKEN)
    add("custom header name accepted", {"header": "X-XSRF-TOKEN"}, form_token=None, header_token=TOKEN)
    add("custom header name with underscore", {"header": "My_Csrf2token"}, form_token=None, header_token="x")

    # Cookies.
    add("cookie empty", cookie="")
    add("cookie short", cookie=SECRET[:31])
    add("cookie with invalid characters", cookie=SECRET[:-1] + "?")
    add("cookie legacy masked (64) unmasks to the secret", cookie=LEGACY_COOKIE)
    add("cookie legacy masked with unmasked header", cookie=LEGACY_COOKIE, form_token=None, header_token=SECRET)
    add("cookie is another secret", cookie=OTHER_SECRET)
    add("cookie missing with wrong token", cookie=None, form_token=OTHER_TOKEN)

    # Origin over http.
    add("http same Origin", origin="http://testserver")
    add("http Origin with https scheme", origin="https://testserver")
    add("http Origin other host", origin="http://evil.example")
    add("http Origin null", origin="null")
    add("http Origin empty", origin="")
    add("http Origin with explicit default port", origin="http://testserver:80")
    add("http Origin upper case host", origin="http://TESTSERVER")
    add("http Origin with trailing slash", origin="http://testserver/")
    add("http host with port, matching Origin", host="testserver:8000", origin="http://testserver:8000")
    add("http host with port, Origin without", host="testserver:8000", origin="http://testserver")
    add("http upper case Host, lower case Origin", host="TESTSERVER", origin="http://testserver")
    add("http IPv6 host", {"allowed_hosts": ["[::1]"]}, host="[::1]:8000", origin="http://[::1]:8000")
    add("http bad Origin checked before cookie", origin="http://evil.example", cookie=None)
    add("http good Origin, then token checked", origin="http://testserver", form_token=OTHER_TOKEN)
    add("http Origin ignored Referer", origin="http://testserver", referer="http://evil.example/")
    add("http no Origin, hostile Referer ignored", referer="http://evil.example/")
    add("http Origin with invalid IPv6", origin="http://[::1")
    add("http Origin with NFKC trick", origin="http://evil\u2100.example")

    # Origin over https.
    add("https same Origin, no Referer", secure=True, origin="https://testserver")
    add("https Origin with http scheme", secure=True, origin="http://testserver")
    add("https Origin other host", secure=True, origin="https://evil.example")
    add("https Origin null", secure=True, origin="null")
    add("https Origin good, Referer bad (Origin wins)", secure=True, origin="https://testserver", referer="https://evil.example/")

    # Referer over https (no Origin).
    add("https same-host Referer", **https)
    add("https no Referer", secure=True)
    add("https Referer empty", secure=True, referer="")
    add("https Referer without scheme", secure=True, referer="testserver/form/")
    add("https Referer without host", secure=True, referer="https:///form/")
    add("https Referer scheme only", secure=True, referer="https://")
    add("https Referer http", secure=True, referer="http://testserver/form/")
    add("https Referer ftp", secure=True, referer="ftp://testserver/")
    add("https Referer other host", secure=True, referer="https://evil.example/x?y=1#z")
    add("https Referer re-formatted by geturl", secure=True, referer="HTTPS://evil.example/?#")
    add("https Referer with tab and leading space", secure=True, referer=" https://evil.exa\tmple/a")
    add("https Referer upper case host", secure=True, referer="https://TESTSERVER/")
    add("https Referer with credentials", secure=True, referer="https://user@testserver/")
    add("https Referer with port", secure=True, referer="https://testserver:443/")
    add("https Referer invalid IPv6", secure=True, referer="https://[::1/")
    add("https Referer IPv4 in brackets", secure=True, referer="https://[127.0.0.1]/")
    add("https Referer NFKC trick", secure=True, referer="https://evil\uff0f.example/")
    add("https host with port and matching Referer", secure=True, host="testserver:8443", referer="https://testserver:8443/x")
    add("https host with port and Referer without", secure=True, host="testserver:8443", referer="https://testserver/x")
    add("https upper case Host, lower case Referer", secure=True, host="TESTSERVER", referer="https://testserver/")
    add("https Host with trailing dot, Referer without", secure=True, host="testserver.", referer="https://testserver/")
    add("https Host with trailing dot, same Referer", secure=True, host="testserver.", referer="https://testserver./")
    add("Kelvin sign Host lower-cases to ASCII", host="\u212aexample.com", origin="http://\u212aexample.com")
    add("Kelvin sign Host against allowed hosts", {"allowed_hosts": ["kexample.com"]}, host="\u212aexample.com", origin="http://\u212aexample.com")
    add("https bad Referer checked before cookie", secure=True, referer="https://evil.example/", cookie=None)
    add("https good Referer, missing token", secure=True, referer="https://testserver/", form_token=None)

    # Trusted origins.
    wildcard = {"trusted_origins": ["https://*.example.com"]}
    add("trusted wildcard: subdomain Origin", wildcard, secure=True, origin="https://sub.example.com")
    add("trusted wildcard: bare domain Origin", wildcard, secure=True, origin="https://example.com")
    add("trusted wildcard: deep subdomain Origin", wildcard, secure=True, origin="https://a.b.example.com")
    add("trusted wildcard: http Origin", wildcard, secure=True, origin="http://sub.example.com")
    add("trusted wildcard: Origin with port", wildcard, secure=True, origin="https://sub.example.com:8443")
    add("trusted wildcard: lookalike Origin", wildcard, secure=True, origin="https://evilexample.com")
    add("trusted wildcard: upper case Origin", wildcard, secure=True, origin="https://SUB.example.com")
    add("trusted wildcard: Origin over plain http request", wildcard, origin="https://sub.example.com")
    add("trusted wildcard: subdomain Referer", wildcard, secure=True, referer="https://sub.example.com/p")
    add("trusted wildcard: bare Referer", wildcard, secure=True, referer="https://example.com/p")
    add("trusted wildcard: lookalike Referer", wildcard, secure=True, referer="https://evil-example.com/")
    add(
        "trusted wildcard pattern upper case",
        {"trusted_origins": ["https://*.EXAMPLE.com"]},
        secure=True,
        origin="https://sub.example.com",
    )
    exact = {"trusted_origins": ["https://trusted.example", "http://insecure.example", "https://ported.example:8443"]}
    add("trusted exact: Origin", exact, secure=True, origin="https://trusted.example")
    add("trusted exact: Origin upper case", exact, secure=True, origin="https://TRUSTED.example")
    add("trusted exact: Origin subdomain", exact, secure=True, origin="https://sub.trusted.example")
    add("trusted exact: http Origin", exact, origin="http://insecure.example")
    add("trusted exact: Origin with port", exact, secure=True, origin="https://ported.example:8443")
    add("trusted exact: Origin without port", exact, secure=True, origin="https://ported.example")
    add("trusted exact: Referer", exact, secure=True, referer="https://trusted.example/a")
    add("trusted exact: Referer of http-only origin", exact, secure=True, referer="https://insecure.example/")
    add("trusted exact: Referer with port", exact, secure=True, referer="https://ported.example:8443/")
    add("trusted exact: Referer wrong port", exact, secure=True, referer="https://trusted.example:444/")
    add("trusted exact: Referer subdomain", exact, secure=True, referer="https://sub.trusted.example/")
    add(
        "trusted wildcard with port",
        {"trusted_origins": ["https://*.example.com:8443"]},
        secure=True,
        origin="https://a.example.com:8443",
    )

    # Cookie domain.
    domain = {"cookie_domain": ".example.com"}
    add("cookie domain: sibling Referer", domain, secure=True, host="www.example.com", referer="https://other.example.com/")
    add("cookie domain: bare Referer", domain, secure=True, host="www.example.com", referer="https://example.com/")
    add("cookie domain: foreign Referer", domain, secure=True, host="www.example.com", referer="https://evil.example/")
    add(
        "cookie domain: non-default server port",
        domain,
        secure=True,
        host="www.example.com",
        server_port=8443,
        referer="https://other.example.com/",
    )
    add(
        "cookie domain: non-default server port, Referer with port",
        domain,
        secure=True,
        host="www.example.com",
        server_port=8443,
        referer="https://other.example.com:8443/",
    )
    add(
        "cookie domain: Referer of the host itself is not special",
        {"cookie_domain": "other.example.com"},
        secure=True,
        host="www.example.com",
        referer="https://www.example.com/",
    )

    # Disallowed hosts (ALLOWED_HOSTS).
    only_other = {"allowed_hosts": ["other.example"]}
    add("disallowed host: own Origin not recognised", only_other, origin="http://testserver")
    add("disallowed host: own Referer not recognised", only_other, secure=True, referer="https://testserver/")
    add("disallowed host: trusted Origin still fine", {"allowed_hosts": ["other.example"], "trusted_origins": ["http://testserver"]}, origin="http://testserver")
    add("allowed host by subdomain pattern", {"allowed_hosts": [".example.com"]}, host="www.example.com", origin="http://www.example.com")
    add("allowed host with trailing dot", {"allowed_hosts": ["example.com"]}, host="example.com.", origin="http://example.com.")
    add("malformed host never matches", host="bad_host", origin="http://bad_host")
    return out


def mask_vectors():
    masks = [
        "a" * 32,
        "9" * 32,
        "Z" * 32,
        MASK,
        CHARS[:32],
        CHARS[30:62],
        "zyxwvutsrqponmlkjihgfedcbaZYXWVU",
        "0aA1bB2cC3dD4eE5fF6gG7hH8iI9jJkK",
    ]
    secrets = [SECRET, OTHER_SECRET, "a" * 32, "9" * 32, CHARS[::-1][:32], CHARS[10:42]]
    out = []
    for secret in secrets:
        for mask in masks:
            out.append({"secret": secret, "mask": mask, "token": mask_with(secret, mask)})
    return out


def unmask_vectors():
    tokens = [TOKEN, OTHER_TOKEN, LEGACY_COOKIE, "a" * 64, "9" * 64, "Z" * 64, CHARS + CHARS[:2], (CHARS * 2)[5:69]]
    return [{"token": t, "secret": csrf._unmask_cipher_token(t)} for t in tokens]


def django_masked():
    out = []
    for secret in [SECRET, OTHER_SECRET, "a" * 32, "9" * 32]:
        for _ in range(3):
            out.append({"secret": secret, "token": csrf._mask_cipher_secret(secret)})
    for _ in range(4):
        request = RequestFactory().get("/")
        token = csrf.get_token(request)
        out.append({"secret": request.META["CSRF_COOKIE"], "token": token})
    return out


def format_vectors():
    candidates = [
        "",
        "a",
        SECRET,
        SECRET[:31],
        SECRET + "a",
        TOKEN,
        TOKEN[:63],
        TOKEN + "a",
        SECRET[:-1] + "!",
        TOKEN[:-1] + " ",
        " " + SECRET[1:],
        "\u00e9" * 32,
        "\u00e9" * 64,
        "\u00e9" * 16,
        "e\u0301" * 16,
        "\U0001f512" * 32,
        "\U0001f512" * 8,
        "\x00" * 32,
        "a" * 31 + "\n",
        "A" * 48,
        "_" * 32,
        "-" * 64,
        "0" * 128,
    ]
    out = []
    for token in candidates:
        try:
            csrf._check_token_format(token)
            problem = None
        except csrf.InvalidTokenFormat as exc:
            problem = exc.reason
        out.append({"token": token, "problem": problem})
    return out


def match_vectors():
    pairs = [
        (TOKEN, SECRET),
        (SECRET, SECRET),
        (OTHER_TOKEN, SECRET),
        (OTHER_SECRET, SECRET),
        (LEGACY_COOKIE, SECRET),
        (TOKEN, OTHER_SECRET),
        (mask_with(SECRET, "a" * 32), SECRET),
        (mask_with(SECRET, "9" * 32), SECRET),
        ("a" * 64, "a" * 32),
        ("a" * 64, "b" * 32),
        (SECRET[:-1] + "G", SECRET),
        (TOKEN[:-1] + ("a" if TOKEN[-1] != "a" else "b"), SECRET),
    ]
    return [{"token": t, "secret": s, "matches": csrf._does_token_match(t, s)} for t, s in pairs]


def facts():
    return {
        "django_version": django.get_version(),
        "secret_length": csrf.CSRF_SECRET_LENGTH,
        "token_length": csrf.CSRF_TOKEN_LENGTH,
        "allowed_chars": CHARS,
        "cookie_name": settings.CSRF_COOKIE_NAME,
        "header_meta_name": settings.CSRF_HEADER_NAME,
        "cookie_age": settings.CSRF_COOKIE_AGE,
        "cookie_path": settings.CSRF_COOKIE_PATH,
        "cookie_secure": settings.CSRF_COOKIE_SECURE,
        "cookie_httponly": settings.CSRF_COOKIE_HTTPONLY,
        "cookie_samesite": settings.CSRF_COOKIE_SAMESITE,
        "cookie_domain": settings.CSRF_COOKIE_DOMAIN,
        "trusted_origins": list(settings.CSRF_TRUSTED_ORIGINS),
        "use_sessions": settings.CSRF_USE_SESSIONS,
        "reasons": {
            "bad_origin": csrf.REASON_BAD_ORIGIN,
            "no_referer": csrf.REASON_NO_REFERER,
            "bad_referer": csrf.REASON_BAD_REFERER,
            "no_csrf_cookie": csrf.REASON_NO_CSRF_COOKIE,
            "csrf_token_missing": csrf.REASON_CSRF_TOKEN_MISSING,
            "malformed_referer": csrf.REASON_MALFORMED_REFERER,
            "insecure_referer": csrf.REASON_INSECURE_REFERER,
            "incorrect_length": csrf.REASON_INCORRECT_LENGTH,
            "invalid_characters": csrf.REASON_INVALID_CHARACTERS,
        },
    }


def check_mode():
    items = json.load(sys.stdin)
    results = []
    for item in items:
        secret, token = item["secret"], item["token"]
        try:
            csrf._check_token_format(token)
            problem = None
        except csrf.InvalidTokenFormat as exc:
            problem = exc.reason
        matches = problem is None and csrf._does_token_match(token, secret)
        use_header = bool(item.get("header"))
        _, accepted, reason = run_request(
            {"trusted_origins": [], "allowed_hosts": ["*"], "cookie_domain": None, "header": "X-CSRFToken"},
            {
                "method": "POST",
                "secure": True,
                "host": "testserver",
                "origin": "https://testserver",
                "cookie": secret,
                "form_token": None if use_header else token,
                "header_token": token if use_header else None,
            },
        )
        results.append({"format": problem, "matches": matches, "accepted": accepted, "reason": reason})
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


def dumps_one_per_line(data):
    """JSON with one list item per line."""
    lines = ["{"]
    keys = list(data)
    for index, key in enumerate(keys):
        value = data[key]
        comma = "," if index < len(keys) - 1 else ""
        if isinstance(value, list):
            lines.append(" %s: [" % json.dumps(key))
            for item_index, item in enumerate(value):
                item_comma = "," if item_index < len(value) - 1 else ""
                lines.append("  %s%s" % (json.dumps(item, ensure_ascii=True), item_comma))
            lines.append(" ]%s" % comma)
        else:
            lines.append(" %s: %s%s" % (json.dumps(key), json.dumps(value, ensure_ascii=True, indent=None), comma))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        check_mode()
        return
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(oracle.FIXTURES, "csrf-vectors.json")
    cases = scenarios()
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "duplicate scenario names"
    data = {
        "facts": facts(),
        "mask": mask_vectors(),
        "unmask": unmask_vectors(),
        "django_masked": django_masked(),
        "format": format_vectors(),
        "match": match_vectors(),
        "scenarios": cases,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(dumps_one_per_line(data))
    accepted = sum(1 for c in cases if c["accepted"])
    print("wrote %s: %d scenarios (%d accepted)" % (out_path, len(cases), accepted), file=sys.stderr)


if __name__ == "__main__":
    main()
