#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/Corpus/<target>/ (committed; rerun after changing this file).

Signed values come from Tests/Fixtures/django/signing-vectors.json (made by real Django); hash
strings from password-vectors.json plus low-cost ones computed here, so the fuzzer starts from
hashes that verify within the fuzz target's limits.
"""
import base64, hashlib, json, pathlib, shutil, zlib

root = pathlib.Path(__file__).resolve().parents[2]
fixtures = root / "Tests" / "Fixtures" / "django"
out = root / "Fuzz" / "Corpus"


def write(target, seeds):
    folder = out / target
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for index, seed in enumerate(seeds):
        data = seed if isinstance(seed, bytes) else seed.encode()
        (folder / f"seed-{index:02d}").write_bytes(data)


# cookie: Cookie header lines
write("cookie", [
    "sessionid=k3j9x0qabcdefghij0123456789abcde",
    "csrftoken=abcdefghijklmnopqrstuvwxyzABCDEF; sessionid=k3j9x0qabcdefghij0123456789abcde",
    "a=b;\tsessionid=abcdefgh; csrftoken=" + "aB3" * 21 + "x",
    "sessionid==abcdefgh; sessionid=",
    "theme=dark\nsessionid=ABCDEFGH12345678\ncsrftoken=short",
    "sessionid=" + "a" * 41 + ";;; ;csrftoken=abcdefghijklmnopqrstuvwxyzABCDE\u00e9",
    "sessionid=../../etc/passwd; csrftoken=\x00\x01",
])

# signing: first byte 0 stored text, 1 text signed here, 2 raw JSON, 3 raw zlib (mode = byte % 4)
vectors = json.loads((fixtures / "signing-vectors.json").read_text())
stored = [v["session_data"] for v in vectors["db_sessions"]][:4]
stored += [v["cookie"] for v in vectors["cookie_sessions"]][:2]
stored += [v["signed"] for v in vectors["fallbacks"]][:1] + [v["signed"] for v in vectors["loads"]][:2]
unsigned = [s.rsplit(":", 1)[0] for s in stored[:4]]
documents = [
    b'{}', b'{"a":1}',
    b'{"_auth_user_id":"42","_auth_user_backend":"django.contrib.auth.backends.ModelBackend","_auth_user_hash":"5e8f"}',
    b'{"k":[1,2.5,-3e-7,true,false,null,"\\u00e9\\ud83d\\ude00"],"n":{"m":{"o":[]}}}',
    b'{"big":123456789012345678901234567890,"nan":NaN,"inf":-Infinity}',
]
write("signing",
      ["\x30" + s for s in stored] + ["\x31" + s for s in unsigned]
      + [b"\x32" + d for d in documents] + [b"\x33" + zlib.compress(d) for d in documents[2:]])

# password: hash strings of every algorithm
cases = json.loads((fixtures / "password-vectors.json").read_text())["cases"]
hashes, seen = [], set()
for case in cases:
    encoded, algorithm = case.get("encoded"), case.get("algorithm")
    if encoded and algorithm not in seen:
        seen.add(algorithm)
        hashes.append(encoded)
password, salt = b"correct horse", "seasalt0123456789abcde"
for name, digest in (("pbkdf2_sha256", "sha256"), ("pbkdf2_sha1", "sha1")):
    key = hashlib.pbkdf2_hmac(digest, password, salt.encode(), 1000)
    hashes.append(f"{name}$1000${salt}${base64.b64encode(key).decode()}")
key = hashlib.scrypt(password, salt=salt.encode(), n=16, r=1, p=1, dklen=64)
hashes.append(f"scrypt$16${salt}$1$1${base64.b64encode(key).decode()}")
hashes.append(f"md5${salt}${hashlib.md5(salt.encode() + password).hexdigest()}")
hashes += [h.replace("$12$", "$04$") for h in hashes if h.startswith("bcrypt")]
hashes += ["!" + "x" * 40, hashlib.md5(password).hexdigest(), "sha1$$" + hashlib.sha1(password).hexdigest(),
           "md5$$" + hashlib.md5(password).hexdigest(), "pbkdf2_sha256$-1$$", "scrypt$0$$$$"]
write("password", hashes)

# redirect: next URLs
write("redirect", [
    "/accounts/profile/", "//testserver/done", "https://accounts.example.com/x?y#z", "//evil.example/",
    "http:///evil.example", "/\\evil.example", "\\\\evil.example", "java\tscript:alert(1)", " \x00https://evil/",
    "https://example.com:8443/", "//[::1]/", "http://[1.2.3.4]/", "//user:pass@testserver/", "http://a\u2100b/",
    "\u00a0//evil", "https:evil", "/" + "a" * 2100,
])

# path: request paths; "PATTERN\nPATH" also matches a pattern of its own
write("path", [
    "/", "/static/css/app.css", "/static/../secret/%61", "/a%2Fb", "/a/./b/../../c/", "/..", "//a//b///",
    "/reports/2024/pdf", "/%2e%2E/x", "/a\\b", "/api/v1/admin/users", "/reports/*/pdf\n/reports/x/pdf",
    "/**/x/**\n/a/b/x/c/d", "/a?c/*\n/abc/def",
])

# forward-auth: a line per header, its first byte the header (F X-Original-URI, G X-Original-Method,
# H X-Forwarded-Uri, I X-Forwarded-Method, J Cookie, K Accept, L ?redirect=1)
write("forward-auth", [
    "F/static/app.css\nGGET", "F/secret/x?a=1&b=2\nGPOST", "H/reports/2024/pdf\nIget\nL\nKtext/html",
    "F/posts/1\nH/static/app.css", "F/static/..%2Fsecret/", "F/a#frag\nGDELETE\nGPUT",
    "Jsessionid=abcdefgh12345678; csrftoken=x\nF/staff/", "H/team/a/b/edit\nIPOST\nKapplication/json",
    "F\r\nLocation: /evil", "Fhttp://evil.example/\nL",
])

# form: urlencoded bodies
write("form", [
    "username=alice&password=correct+horse&next=%2Faccounts%2Fprofile%2F",
    "csrfmiddlewaretoken=abc&csrfmiddlewaretoken=def&username=",
    "username=%3Cscript%3E%22%27&password=%E2%82%AC",
    "=&&&=x&%&%4&%zz=1&username=%C3%28",
    "next=javascript:alert(1)&username=a+b%2Bc",
])

# Inputs the targets found (docs/security.md, "Fuzzing"), kept as seeds so every run tries them again.
found = {
    "form": [b"username=?3CsCscrcript%3E%22\xcd\xa2\x00usd=%E2%82%AC"],
    "redirect": [b"//?\x00", b"\r\r\r\r\r/\r\r\r\r\r\r\r\r\r\r\r\r\r\\\r\r\r\r/\r\r\r\r\r\r\r\r\r\r\r\r\r\\\t\t\r\r\rM\r\r",
                 b"//\xc2\xa0\xc2\xa0", b"/\t//evil.example/"],
    "path": [b"/./\xd9\x8c/\x08a", b"/./\xf0\x91\x8d\x8b\x8c\x8c../", b"/./\xcd\x9d\xcf\x87/\xee\xee\xcf\x87",
             b"***********/*?c/&\x1a*\n//**/\n//x/`\xff\n/" + b"\xff" * 17 + b"/xbc["],
}
for target, inputs in found.items():
    for index, data in enumerate(inputs):
        (out / target / f"found-{index:02d}").write_bytes(data)
