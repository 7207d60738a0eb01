"""Minimal Django project used as a test oracle for Gatehouse.

Scripts call ``oracle.setup()`` (after putting scripts/django on sys.path)
to configure Django with ``oracle.settings``. Keep this module free of
Django imports at import time: the settings module lives in this package.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS_DJANGO = os.path.dirname(HERE)
REPO_ROOT = os.path.dirname(os.path.dirname(SCRIPTS_DJANGO))
FIXTURES = os.path.join(REPO_ROOT, "Tests", "Fixtures", "django")


def setup():
    """Point DJANGO_SETTINGS_MODULE at oracle.settings and run django.setup()."""
    if SCRIPTS_DJANGO not in sys.path:
        sys.path.insert(0, SCRIPTS_DJANGO)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oracle.settings")
    import django

    django.setup()
    return django
