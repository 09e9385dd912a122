"""The production settings for the live server of the tests (tests/security/live_server.py): plain
HTTP on the loopback (the environment switches off the HTTPS redirect) and static files from the
source folders, so no `collectstatic` is needed before a test."""

from config.settings.production import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
