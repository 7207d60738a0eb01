#!/usr/bin/env python
"""Write Django's common-password list to Tests/Fixtures/django/common-passwords.txt.

    .venv-django/bin/python scripts/django/gen_common_passwords.py [OUTPUT]

The output is the decompressed bytes of the installed Django's
django/contrib/auth/common-passwords.txt.gz, unchanged (UTF-8, one password
per line, LF endings, trailing newline). The script checks that the set of
stripped lines equals the set CommonPasswordValidator actually loads, and
prints the count and SHA-256 to stderr.
"""

import gzip
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

django = oracle.setup()

from django.contrib.auth.password_validation import CommonPasswordValidator  # noqa: E402


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        oracle.FIXTURES, "common-passwords.txt"
    )
    validator = CommonPasswordValidator()
    src = validator.DEFAULT_PASSWORD_LIST_PATH
    with gzip.open(src, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")
    lines = text.splitlines()
    loaded = {line.strip() for line in lines}
    if loaded != validator.passwords:
        sys.exit("mismatch between file lines and CommonPasswordValidator.passwords")
    if any(line != line.strip() or line != line.lower() for line in lines):
        print("note: some lines are not stripped/lowercased", file=sys.stderr)
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "wb") as f:
        f.write(raw)
    print(
        "wrote %s: %d lines, %d unique, sha256 %s (Django %s)"
        % (out_path, len(lines), len(validator.passwords), hashlib.sha256(raw).hexdigest(), django.get_version()),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
