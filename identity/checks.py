"""`manage.py check`: single sign-on switched on needs the whole of its settings."""

from django.conf import settings
from django.core import checks

REQUIRED = {
    "SAMTALE_OIDC_CLIENT_SECRET": "OIDC_RP_CLIENT_SECRET",
    "SAMTALE_OIDC_ISSUER": "SAMTALE_OIDC_ISSUER",
    "SAMTALE_OIDC_AUTHORIZATION_ENDPOINT": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "SAMTALE_OIDC_TOKEN_ENDPOINT": "OIDC_OP_TOKEN_ENDPOINT",
    "SAMTALE_OIDC_JWKS_ENDPOINT": "OIDC_OP_JWKS_ENDPOINT",
}


@checks.register()
def oidc_settings(app_configs, **kwargs):
    if not settings.SAMTALE_OIDC_ENABLED:
        return []
    missing = [variable for variable, setting in REQUIRED.items() if not getattr(settings, setting, "")]
    if not missing:
        return []
    return [
        checks.Error(
            f"SAMTALE_OIDC_CLIENT_ID is set, so single sign-on is on, but {', '.join(missing)} is not.",
            hint="Set them from the provider's discovery document (see the README).",
            id="identity.E001",
        )
    ]
