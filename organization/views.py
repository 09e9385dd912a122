"""Pages about people's own accounts: setting a new password by e-mail."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext_lazy as _

from core.rate_limits import RateLimit
from core.security import client_address
from organization.forms import HOUR, LimitedPasswordResetForm

TOO_MANY_REQUESTS = 429


def reset_requests_per_address() -> RateLimit:
    return RateLimit("password-reset-address", settings.SAMTALE_PASSWORD_RESETS_PER_ADDRESS, HOUR)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view with Samtale's templates, at most SAMTALE_PASSWORD_RESETS_PER_ADDRESS requests an
    hour from one address (every request counts, whether or not the address has an account, so the
    limit says nothing about accounts) and the account limit of `LimitedPasswordResetForm`."""

    form_class = LimitedPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        if not reset_requests_per_address().take(client_address(self.request)):
            form.add_error(
                None, _("Too many requests for a new password from this network. Try again in an hour.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=TOO_MANY_REQUESTS)
        return super().form_valid(form)
