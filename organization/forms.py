"""Forms about people's own accounts."""

import uuid

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from background.outbox import email_enqueue
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

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Through the outbox, like every e-mail: sent by the worker, retried while the mail server is
        down, once per request (a request is the event: two in the same second give the same link)."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_enqueue(
            event_key=f"password-reset:{context['uid']}:{uuid.uuid4().hex}",
            to=to_email,
            subject=subject,
            body=body,
        )
