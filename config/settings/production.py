"""Production: every secret from the environment, HTTPS only, whitenoise for static files."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
# The development data commands (seed_demo, seed_scale) only on a throwaway server that asks for them.
if env_bool("SAMTALE_DEMO", False):
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random value of at least 50 characters.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
MIDDLEWARE = [*MIDDLEWARE[:1], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Persistent connections (DJANGO_CONN_MAX_AGE) with Django's health check: before a request's first
# query on a connection kept from an earlier request, Django checks it (SELECT 1) and reconnects if it is
# dead. Without it, after a database restart or failover every kept connection failed one request (a
# 503 at best). DJANGO_CONN_HEALTH_CHECKS=false saves that round trip, for setups where a pooler hides
# restarts from the app servers.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DJANGO_CONN_HEALTH_CHECKS", True)  # noqa: F405

# Statements are not prepared: Django's documented way (OPTIONS "server_side_binding": True with
# psycopg's "prepare_threshold") sends every statement with server-side binding, and django-pghistory
# puts its audit context in front of each write as a second statement in the same call, which
# PostgreSQL refuses for a prepared statement ("cannot insert multiple commands into a prepared
# statement"). With the default client-side binding psycopg never prepares.

# A cache shared by every worker process: the rate limits (DRF throttling) must count across workers,
# and the statistics computed by one worker serve all. The default keeps it in PostgreSQL (run
# `python manage.py createcachetable` once after migrate); DJANGO_CACHE_BACKEND and
# DJANGO_CACHE_LOCATION choose another, e.g. django.core.cache.backends.redis.RedisCache and a redis:// URL.
_CACHE_BACKEND = os.environ.get("DJANGO_CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache")
CACHES = {
    "default": {
        "BACKEND": _CACHE_BACKEND,
        "LOCATION": os.environ.get("DJANGO_CACHE_LOCATION", "samtale_cache"),
    }
}
if _CACHE_BACKEND == "django.core.cache.backends.db.DatabaseCache":
    # The table is culled past MAX_ENTRIES (Django's default: 300), starting with the keys that sort
    # first: the statistics snapshots ("reports…") before the rate-limit counters ("throttle_…", one a
    # minute per user and scope), of which a large organisation has thousands. A cull first removes the
    # expired rows, so 20,000 keeps every snapshot unless 20,000 counters are live at once; and every
    # write counts the rows, which must stay cheap.
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": int(os.environ.get("DJANGO_CACHE_MAX_ENTRIES", "20000"))}
