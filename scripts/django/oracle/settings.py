"""Settings for the Gatehouse Django oracle project.

Environment:
  DJANGO_SECRET_KEY  secret key (default: a fixed, public test key)
  ORACLE_DEFAULT_AUTO_FIELD  experiments only (default django.db.models.BigAutoField)
  ORACLE_DB_URL      database; one of
                       sqlite:///ABSOLUTE/PATH.db   (or sqlite:///:memory:)
                       postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME
                     (postgresql:// is accepted too). Default: in-memory SQLite.
"""

import os
from urllib.parse import parse_qsl, unquote, urlsplit

TEST_SECRET_KEY = "gatehouse-oracle-test-secret-key-not-for-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", TEST_SECRET_KEY)

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
]

MIDDLEWARE = []
ROOT_URLCONF = "oracle.urls"

# What `django-admin startproject` generates. ORACLE_DEFAULT_AUTO_FIELD exists
# only for experiments (e.g. django.db.models.AutoField); fixtures use the default.
DEFAULT_AUTO_FIELD = os.environ.get("ORACLE_DEFAULT_AUTO_FIELD", "django.db.models.BigAutoField")

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.BCryptPasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True


def database_from_url(url):
    """Turn ORACLE_DB_URL into a Django DATABASES entry (small, local parser)."""
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///abs/path.db -> netloc "" and path "/abs/path.db"
        path = unquote(parts.path)
        if parts.netloc:
            raise ValueError("sqlite URL must look like sqlite:///ABSOLUTE/PATH: %r" % url)
        if path in ("", "/", "/:memory:", ":memory:"):
            name = ":memory:"
        else:
            name = "/" + path.lstrip("/")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    if scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ValueError("postgres URL needs a database name: %r" % url)
        options = dict(parse_qsl(parts.query))
        db = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
        if options:
            db["OPTIONS"] = options
        return db
    raise ValueError("unsupported ORACLE_DB_URL scheme %r (use sqlite or postgres)" % scheme)


DATABASES = {"default": database_from_url(os.environ.get("ORACLE_DB_URL", ""))}
