"""`manage.py check --deploy` with the production settings the README gives stays clean, with single
sign-on on and passwords off too; single sign-on half set up is an error."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

OIDC = {
    "SAMTALE_OIDC_CLIENT_ID": "samtale",
    "SAMTALE_OIDC_CLIENT_SECRET": "from-the-environment",
    "SAMTALE_OIDC_ISSUER": "https://idporten.no",
    "SAMTALE_OIDC_AUTHORIZATION_ENDPOINT": "https://login.idporten.no/authorize",
    "SAMTALE_OIDC_TOKEN_ENDPOINT": "https://idporten.no/token",
    "SAMTALE_OIDC_JWKS_ENDPOINT": "https://idporten.no/jwks.json",
    "SAMTALE_OIDC_LOGOUT_ENDPOINT": "https://login.idporten.no/logout",
    "SAMTALE_PASSWORD_LOGIN": "false",
}


def check_deploy(**extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SAMTALE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="samtale.example.no",
        **extra,
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("extra", [{}, OIDC], ids=["passwords", "single-sign-on"])
def test_check_deploy_is_clean(extra):
    result = check_deploy(**extra)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_single_sign_on_half_set_up_is_an_error():
    result = check_deploy(**{**OIDC, "SAMTALE_OIDC_JWKS_ENDPOINT": ""})
    assert result.returncode != 0
    assert "identity.E001" in result.stderr
