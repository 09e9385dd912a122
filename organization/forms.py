"""Forms about people's own accounts."""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm

from core.rate_limits import RateLimit

HOUR = 3600


def reset_mails_per_account() -> RateLimit:
    return RateLimit("password-reset-account", settings.SAMTALE_PASSWORD_RESETS_PER_ACCOUNT, HOUR)


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending an account at most SAMTALE_PASSWORD_RESETS_PER_ACCOUNT links an
    hour. Past the limit nothing is sent and the page answers as always, so the form tells nobody
    whether an address has an account or how often it was asked for."""

    def get_users(self, email):
        """The accounts of `email` that may get one more link this hour; each one yielded is counted."""
        limit = reset_mails_per_account()
        return (user for user in super().get_users(email) if limit.take(str(user.pk)))
