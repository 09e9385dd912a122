"""Development on one machine: SQLite unless DATABASE_URL says otherwise, e-mail to the console."""

import os

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # seed_demo, seed_scale


def _local_secret_key() -> str:
    """A per-checkout key kept outside version control, so sessions survive a restart."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _local_secret_key()
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# A demo organisation computes its statistics in a blink: the next page load shows a change.
SAMTALE_STATISTICS_REFRESH_AFTER = int(os.environ.get("SAMTALE_STATISTICS_REFRESH_AFTER", "0"))
