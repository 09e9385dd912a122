"""The test suite: fast hashing, mail in memory, the database from DATABASE_URL or SQLite."""

import os

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403

SECRET_KEY = get_random_secret_key()
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Every statistics answer up to date; tests of the snapshots' ageing set their own.
SAMTALE_STATISTICS_MAX_AGE = 0
DATABASES["default"].setdefault("TEST", {})
# Tasks run at once, inside the request or command that enqueues them; the worker's own tests start a
# real `manage.py worker` on the database backend (SAMTALE_TASKS_BACKEND).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("SAMTALE_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    }
}
