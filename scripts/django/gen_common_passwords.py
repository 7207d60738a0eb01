#!/usr/bin/env python
"""Write Django's common-password list for Gatehouse, from the installed Django.

    .venv-django/bin/python scripts/django/gen_common_passwords.py [OUTPUT [RESOURCE]]

OUTPUT (default Tests/Fixtures/django/common-passwords.txt) gets the decompressed bytes of the
installed Django's django/contrib/auth/common-passwords.txt.gz, unchanged (UTF-8, one password per
line, LF endings, trailing newline): the tests compare Gatehouse's list with it.

RESOURCE (default Sources/Gatehouse/Resources/common-passwords.txt.gz) gets the same bytes,
gzip-compressed here (level 9, no file name, modification time 0, so a rerun on the same Django
writes the same file): the list CommonPasswordValidator loads through Bundle.module.

The script checks that the set of stripped lines equals the set Django's CommonPasswordValidator
actually loads, and prints the count and SHA-256 to stderr.
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
    resource_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        oracle.REPO_ROOT, "Sources", "Gatehouse", "Resources", "common-passwords.txt.gz"
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
    compressed = gzip.compress(raw, compresslevel=9, mtime=0)
    if gzip.decompress(compressed) != raw:
        sys.exit("the compressed list does not decompress to the list")
    os.makedirs(os.path.dirname(resource_path), exist_ok=True)
    with open(resource_path, "wb") as f:
        f.write(compressed)
    print("wrote %s: %d bytes" % (resource_path, len(compressed)), file=sys.stderr)
    print(
        "wrote %s: %d lines, %d unique, sha256 %s (Django %s)"
        % (out_path, len(lines), len(validator.passwords), hashlib.sha256(raw).hexdigest(), django.get_version()),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
