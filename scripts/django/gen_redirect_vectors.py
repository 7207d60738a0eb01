#!/usr/bin/env python
"""Generate Tests/Fixtures/django/redirect-vectors.json with real Django.

    .venv-django/bin/python scripts/django/gen_redirect_vectors.py [OUTPUT]

Runs django.utils.http.url_has_allowed_host_and_scheme over a list of URLs
(Django's own test-suite examples, listed here as data, plus Gatehouse's
additions) and records the verdicts.

Top level:
  django_version, python_version, unicode_version (unicodedata.unidata_version:
  the Unicode tables behind the "starts with a control character" rule),
  max_url_length (django.utils.http.MAX_URL_LENGTH)
  cases: [{url, allowed_hosts, require_https, allowed, group}]
    url            the candidate (null = None)
    allowed_hosts  list of hosts (null = None); Django gets set(allowed_hosts)
    require_https  bool
    allowed        Django's verdict
    group          "main" (every URL x {"testserver"} x require_https both ways)
                   or "hosts" (extra allowed-host sets; URLs up to 100 characters)
  urlsplit: [{url, scheme, netloc, path, query, fragment, error}] for every URL:
    what Python's urllib.parse.urlsplit makes of it (error = "ValueError: ..."
    when it raises). Lets the Swift port of urlsplit be checked on its own.
Output is deterministic.
"""

import json
import os
import sys
import unicodedata
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

django = oracle.setup()

from django.utils import http as django_http  # noqa: E402
from django.utils.http import url_has_allowed_host_and_scheme  # noqa: E402

# Django's tests/utils_tests/test_http.py (URLHasAllowedHostAndSchemeTests), as data.
DJANGO_BAD = [
    "http://example.com",
    "http:///example.com",
    "https://example.com",
    "ftp://example.com",
    r"\\example.com",
    r"\\\example.com",
    r"/\\/example.com",
    r"\\//example.com",
    r"/\/example.com",
    r"\/example.com",
    r"/\example.com",
    r"http:/\//example.com",
    r"http:\/example.com",
    r"http:/\example.com",
    'javascript:alert("XSS")',
    "\njavascript:alert(x)",
    "java\nscript:alert(x)",
    "\x08//example.com",
    r"http://otherserver\@example.com",
    r"http:\\testserver\@example.com",
    r"http://testserver\me:pass@example.com",
    r"http://testserver\@example.com",
    r"http:\\testserver\confirm\me@example.com",
    "http:999999999",
    "ftp:9999999999",
    "\n",
    "http://[2001:cdba:0000:0000:0000:0000:3257:9652/",
    "http://2001:cdba:0000:0000:0000:0000:3257:9652]/",
]
DJANGO_GOOD = [
    "/view/?param=http://example.com",
    "/view/?param=https://example.com",
    "/view?param=ftp://example.com",
    "view/?param=//example.com",
    "https://testserver/",
    "HTTPS://testserver/",
    "//testserver/",
    "http://testserver/confirm?email=me@example.com",
    "/url%20with%20spaces/",
    "path/http:2222222222",
    "/confirm/me@example.com",
    "https://example.com/p",
    "HTTPS://example.com/p",
    "http://example.com/p",
    "ftp://example.com/p",
    "//example.com/p",
]

# Gatehouse's additions.
EXTRA = [
    None,
    "",
    " ",
    "\t",
    "   /next/  ",
    " //example.com",
    "\t//example.com",
    "//example.com\t",
    "/\t/example.com",
    "/\r\n/example.com",
    "\u00a0//example.com",  # NBSP: Python whitespace, stripped
    "\u2028//example.com",  # LINE SEPARATOR: Python whitespace
    "\u0085//example.com",  # NEL: Python whitespace
    "\u3000//example.com",  # IDEOGRAPHIC SPACE
    "\x00//example.com",
    "\x00",
    "/\x00",
    "\x7f//example.com",  # DEL (Cc)
    "\u200b//example.com",  # ZERO WIDTH SPACE (Cf, not whitespace)
    "\ufeff//example.com",  # BOM (Cf)
    "\u202e/next",  # RIGHT-TO-LEFT OVERRIDE (Cf)
    "\ue000/next",  # private use (Co)
    "\u0378next",  # unassigned (Cn)
    "\u1c89next",  # assigned in Unicode 16.0, Cn for Python 3.13 (Unicode 15.1)
    "\U00010000next",  # LINEAR B SYLLABLE B008 A (Lo)
    "\U0001f512/next",  # emoji (So)
    "\u00e9/next",
    "\x1c//example.com",  # FILE SEPARATOR: whitespace to Python's strip
    "\x1f//example.com",
    "\x0b//example.com",
    "///example.com",
    "////example.com",
    "/ //example.com",
    "/ /example.com",
    "//",
    "/",
    "?next=//example.com",
    "#//example.com",
    "/%2F%2Fexample.com",
    "//%65xample.com",
    "testserver",
    ":",
    "x:",
    ":/x",
    "1http://example.com",
    "+http://example.com",
    "http+x://testserver/",
    "http.://testserver/",
    "http://testserver",
    "http://testserver/",
    "http://TESTSERVER/",
    "http://testserver./",
    "http://testserver:80/",
    "http://testserver:8000/",
    "https://testserver#frag",
    "https://testserver?x=1",
    "https://testserver/?next=//example.com",
    "https:testserver",
    "https:/testserver",
    "https:",
    "https://",
    "http://",
    "//testserver",
    "//TESTSERVER/",
    "HtTp://testserver/",
    "http://testserver@example.com",
    "http://example.com@testserver/",
    "http://user:pass@testserver/",
    "http://testserver%2F@example.com",
    "mailto:someone@testserver",
    "data:text/html,<script>alert(1)</script>",
    "javascript://testserver/%0aalert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "jav\tascript:alert(1)",
    "java\x0bscript:alert(1)",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    r"\\testserver\\",
    r"\/testserver/",
    r"/\testserver/",
    "http:\\\\/example.com",
    "http:\\\\\\\\example.com",
    r"https:\\testserver\path",
    r"//testserver\@example.com",
    r"//testserver\\example.com",
    "http://[::1]/",
    "//[::1]/",
    "http://[::1]:80/",
    "http://[::1%25eth0]/",
    "http://[fe80::1%eth0]/",
    "http://[::1%]/",
    "http://[v1.test]/",
    "http://[V1.test]/",
    "http://[v1.]/",
    "http://[vz.x]/",
    "http://[1.2.3.4]/",
    "http://[::ffff:1.2.3.4]/",
    "http://[::ffff:1.2.3.04]/",
    "http://[1:2:3:4:5:6:7:8]/",
    "http://[1:2:3:4:5:6:7:8:9]/",
    "http://[1::2::3]/",
    "http://[:1::2]/",
    "http://[1::2:]/",
    "http://[12345::1]/",
    "http://[::g]/",
    "http://[::1]x]/",
    "http://]::1[/",
    "http://[]/",
    "http://[::1/",
    "http://::1]/",
    "/x?[",
    "/x#]",
    "//[::1]@example.com",
    "http://testserver\u2100.com/",  # NFKC: a/c
    "//\uff0fexample.com",  # FULLWIDTH SOLIDUS -> /
    "//example\uff1acom",  # FULLWIDTH COLON -> :
    "//exa\ufe6bmple.com",  # SMALL COMMERCIAL AT -> @
    "//exa\uff03mple.com",  # FULLWIDTH NUMBER SIGN -> #
    "//exa\uff1fmple.com",  # FULLWIDTH QUESTION MARK -> ?
    "http://\uff54\uff45\uff53\uff54\uff53\uff45\uff52\uff56\uff45\uff52/",  # fullwidth "testserver"
    "http://testserver\u3002com/",  # IDEOGRAPHIC FULL STOP
    "http://caf\u00e9/",
    "http://cafe\u0301/",
    "http://xn--caf-dma/",
    "/\uff54\uff45\uff53\uff54",
    "//\u0435xample.com",  # Cyrillic e
    "http://example.com\u0000/",
    "/" + "a" * 2047,
    "/" + "a" * 2048,
    "/" + "\u00e9" * 2047,
    "/" + "\u00e9" * 2048,
    "   /" + "a" * 2047 + "   ",
    "//testserver/" + "a" * 2040,
    "http://testserver/" + "a" * 2040,
]

MAIN_HOSTS = ["testserver"]
HOST_SETS = [
    None,
    [],
    ["testserver", "testserver2"],
    ["otherserver", "testserver"],
    ["testserver:8000"],
    ["user:pass@testserver"],
    ["[::1]", "[::1]:80"],
    ["caf\u00e9"],
    ["xn--caf-dma"],
    ["TESTSERVER"],
    ["example.com"],
    ["testserver\\@example.com"],
]


def ordered_unique(items):
    seen = set()
    out = []
    for item in items:
        key = ("none",) if item is None else ("str", item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def split_info(url):
    entry = {"url": url, "scheme": None, "netloc": None, "path": None, "query": None, "fragment": None, "error": None}
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        entry["error"] = "ValueError: %s" % exc
        return entry
    entry.update(scheme=parts.scheme, netloc=parts.netloc, path=parts.path, query=parts.query, fragment=parts.fragment)
    return entry


def dumps_one_per_line(data):
    """JSON with one list item per line (diffable, and far smaller than indent=1)."""
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
            lines.append(" %s: %s%s" % (json.dumps(key), json.dumps(value, ensure_ascii=True), comma))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(oracle.FIXTURES, "redirect-vectors.json")
    urls = ordered_unique(DJANGO_BAD + DJANGO_GOOD + EXTRA)
    cases = []
    for url in urls:
        for require_https in (False, True):
            cases.append(
                {
                    "url": url,
                    "allowed_hosts": MAIN_HOSTS,
                    "require_https": require_https,
                    "allowed": url_has_allowed_host_and_scheme(url, set(MAIN_HOSTS), require_https=require_https),
                    "group": "main",
                }
            )
    for hosts in HOST_SETS:
        for url in urls:
            if url is not None and len(url) > 100:
                continue  # the long ones are covered by "main"
            for require_https in (False, True):
                cases.append(
                    {
                        "url": url,
                        "allowed_hosts": hosts,
                        "require_https": require_https,
                        "allowed": url_has_allowed_host_and_scheme(
                            url, None if hosts is None else set(hosts), require_https=require_https
                        ),
                        "group": "hosts",
                    }
                )
    # Sanity: Django's own expectations still hold on this Django.
    for url in DJANGO_BAD:
        assert url_has_allowed_host_and_scheme(url, {"testserver", "testserver2"}) is False, url
    for url in DJANGO_GOOD[:10]:
        assert url_has_allowed_host_and_scheme(url, {"otherserver", "testserver"}) is True, url

    data = {
        "django_version": django.get_version(),
        "python_version": "%d.%d.%d" % sys.version_info[:3],
        "unicode_version": unicodedata.unidata_version,
        "max_url_length": django_http.MAX_URL_LENGTH,
        "cases": cases,
        "urlsplit": [split_info(url) for url in urls if url is not None],
    }
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(dumps_one_per_line(data))
    allowed = sum(1 for c in cases if c["allowed"])
    print("wrote %s: %d urls, %d cases (%d allowed)" % (out_path, len(urls), len(cases), allowed), file=sys.stderr)


if __name__ == "__main__":
    main()
