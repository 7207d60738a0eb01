"""Ask real Django which Host values its ALLOWED_HOSTS check accepts.

    .venv-django/bin/python scripts/django/gen_allowed_host_vectors.py > Tests/Fixtures/django/allowed-host-vectors.json

For each Host value: the domain Django's split_domain_port makes of it ("" when it is not a host),
and for each pattern list whether validate_host accepts that domain, the way HttpRequest.get_host
decides (a host with an empty domain is refused whatever the patterns).
"""
import json

import django
from django.conf import settings

settings.configure()
django.setup()

from django.http.request import split_domain_port, validate_host  # noqa: E402

HOSTS = [
    "example.com", "EXAMPLE.com", "example.com:8000", "example.com.", "example.com.:443", "www.example.com",
    "a.b.example.com", "example.com.evil.test", "evilexample.com", "xample.com", "localhost", "localhost:8000",
    "LOCALHOST", "app.localhost", "127.0.0.1", "127.0.0.1:8080", "127.0.0.2", "[::1]", "[::1]:8000", "[::1",
    "[::]", "[ffff::127.0.0.1]", "[0:0:0:0:0:0:0:1]", "[::g]", "[1]", "[]", "::1", "", ".", "..", ":80",
    "example.com:", "example.com:abc", "example.com:80:80", "exa mple.com", "example.com/", "user@example.com",
    "example_com", "-", "a..b", "xn--bcher-kva.example", "example.com\n", "*", "10.0.0.5", "10.0.0.5:1",
    "[fe80::1%25eth0]", "EXAMPLE.COM.", "sub.EXAMPLE.com:99999999999999999999",
]
PATTERNS = [
    [], ["example.com"], [".example.com"], ["*"], ["localhost", "127.0.0.1", "[::1]"], [".localhost"],
    ["EXAMPLE.COM"], ["example.com."], [""], ["10.0.0.5", ".example.com"], ["[::1]"],
]

vectors = []
for host in HOSTS:
    domain, port = split_domain_port(host)
    vectors.append({
        "host": host,
        "domain": domain,
        "allowed": [bool(domain) and validate_host(domain, patterns) for patterns in PATTERNS],
    })
print(json.dumps({"django": django.get_version(), "patterns": PATTERNS, "vectors": vectors}, indent=1))
