"""A real OpenID Connect provider for the tests: django-oauth-toolkit's, in a process of its own.

`python tests/identity/oidc_provider.py CONFIG.json` sets up a provider on 127.0.0.1 (its own SQLite
database, its own cookie names, so it shares no state with Samtale), with the people, the client and the
RSA key the configuration names, and serves it until killed. `start_provider` runs it for a test and
waits until its discovery document answers. Sign-in at the provider is a plain password form; the ID
token carries the person's employee id in the claim `employee_id`.
"""

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLAIM = "employee_id"
PASSWORD = "provider-password"


@dataclass
class Provider:
    url: str
    issuer: str
    client_id: str
    client_secret: str
    private_key_pem: str
    process: subprocess.Popen

    def settings(self) -> dict:
        """Samtale's settings for signing in here (what the README's variables set)."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "SAMTALE_OIDC_ENABLED": True,
            "SAMTALE_OIDC_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/.well-known/jwks.json",
            "SAMTALE_OIDC_LOGOUT_ENDPOINT": f"{self.issuer}/logout/",
            "SAMTALE_OIDC_EMPLOYEE_ID_CLAIM": CLAIM,
            "SAMTALE_OIDC_PROVIDER_NAME": "Testleverandøren",
            "OIDC_RP_SCOPES": "openid profile",
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_private_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def start_provider(tmp_path: Path, *, samtale_url: str, people: list[str]) -> Provider:
    """Start the provider with these people (employee ids, password `PASSWORD`), a confidential client
    whose redirect and post-logout URIs are Samtale's at `samtale_url`. Raises if it does not come up."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = {
        "port": port,
        "issuer": f"{url}/o",
        "database": str(tmp_path / "provider.sqlite3"),
        "private_key_pem": new_private_key_pem(),
        "client_id": "samtale-test",
        "client_secret": "samtale-test-secret-" + os.urandom(8).hex(),
        "redirect_uri": f"{samtale_url}/sso/callback/",
        "post_logout_redirect_uri": f"{samtale_url}/accounts/login/",
        "people": people,
    }
    config_file = tmp_path / "provider.json"
    config_file.write_text(json.dumps(config))
    log = open(tmp_path / "provider.log", "w")  # noqa: SIM115 - kept open for the process's life
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, str(Path(__file__)), str(config_file)], stdout=log, stderr=subprocess.STDOUT, env=env
    )
    provider = Provider(
        url=url,
        issuer=config["issuer"],
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        private_key_pem=config["private_key_pem"],
        process=process,
    )
    _wait_until_up(provider, tmp_path / "provider.log")
    return provider


def _wait_until_up(provider: Provider, log: Path) -> None:
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            raise RuntimeError(f"the OIDC provider stopped:\n{log.read_text()}")
        try:
            if requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    provider.stop()
    raise RuntimeError(f"the OIDC provider did not start in 60 s:\n{log.read_text()}")


# --- the provider process ----------------------------------------------------------------------------


def _configure(config: dict) -> None:
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.urandom(32).hex(),
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": config["database"]}},
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [str(HERE / "provider_templates")],
                "APP_DIRS": True,
                "OPTIONS": {"context_processors": ["django.contrib.auth.context_processors.auth"]},
            }
        ],
        # Samtale runs on the same host: cookies do not tell ports apart.
        SESSION_COOKIE_NAME="provider_session",
        CSRF_COOKIE_NAME="provider_csrftoken",
        LOGIN_URL="/login/",
        LOGIN_REDIRECT_URL="/",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        USE_TZ=True,
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": config["private_key_pem"],
            "OIDC_ISS_ENDPOINT": config["issuer"],
            "PKCE_REQUIRED": True,
            "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
            "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
            "OAUTH2_VALIDATOR_CLASS": f"{__name__}.EmployeeIdValidator",
            "SCOPES": {"openid": "OpenID Connect", "profile": "Profile"},
        },
    )
    django.setup()


def _serve(config: dict) -> None:
    _configure(config)
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    global EmployeeIdValidator  # named by OAUTH2_VALIDATOR_CLASS
    from oauth2_provider.oauth2_validators import OAuth2Validator

    class EmployeeIdValidator(OAuth2Validator):
        oidc_claim_scope = None  # every claim below, whatever the scopes

        def get_additional_claims(self, request):
            return {CLAIM: request.user.username, "name": request.user.get_full_name()}

    call_command("migrate", verbosity=0)
    for employee_id in config["people"]:
        User.objects.create_user(employee_id, password=PASSWORD)
    get_application_model().objects.create(
        name="Samtale",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=config["redirect_uri"],
        post_logout_redirect_uris=config["post_logout_redirect_uri"],
        algorithm="RS256",
        skip_authorization=True,
    )
    run("127.0.0.1", config["port"], get_wsgi_application(), threading=True)


def _urlpatterns():
    from django.contrib.auth import views as auth_views
    from django.urls import include, path
    from django.views.generic import TemplateView

    return [
        path("login/", auth_views.LoginView.as_view(), name="login"),
        path("", TemplateView.as_view(template_name="signed_out.html")),
        path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    ]


def __getattr__(name):  # the URLconf's patterns, built once Django is set up
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


if __name__ == "__main__":
    _serve(json.loads(Path(sys.argv[1]).read_text()))
