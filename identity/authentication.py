"""API tokens that expire: DRF's token authentication, refusing a token older than its lifetime."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from identity import services


def check_token_lifetime(token) -> None:
    """401 for a token past SAMTALE_API_TOKEN_LIFETIME_DAYS (its owner makes a new one)."""
    if services.token_expired(token):
        raise AuthenticationFailed(_("The token has expired. Make a new one."), code="token_expired")


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        check_token_lifetime(token)
        return user, token


# The same scheme as DRF's `tokenAuth` in the schema, not a collision of names.
set_override(ExpiringTokenAuthentication, "suppress_collision_warning", True)
