#!/usr/bin/env python
"""manage.py for the Gatehouse Django oracle (run with the .venv-django python)."""

import os
import sys

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oracle.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
