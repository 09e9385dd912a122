"""Hardening: password guessing is stopped, security headers are sent, production settings pass --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_login_page_locks_an_account_after_five_wrong_passwords(client):
    user = factories.UserFactory()
    for _ in range(4):
        response = client.post(reverse("login"), {"username": user.employee_id, "password": "feil-passord"})
        assert response.status_code == 200
    fifth = client.post(reverse("login"), {"username": user.employee_id, "password": "feil-passord"})
    assert fifth.status_code == 429
    right = client.post(reverse("login"), {"username": user.employee_id, "password": factories.PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_token_endpoint_locks_after_five_wrong_passwords():
    user = factories.UserFactory()
    client = APIClient()
    url = "/api/v1/auth/token/"
    wrong = {"username": user.employee_id, "password": "x"}
    for _ in range(4):
        assert client.post(url, wrong, format="json").status_code == 400
    assert client.post(url, wrong, format="json").status_code == 429
    locked = client.post(url, {"username": user.employee_id, "password": factories.PASSWORD}, format="json")
    assert locked.status_code == 429
    assert "token" not in locked.content.decode()


@pytest.mark.django_db
def test_a_success_before_the_limit_resets_the_count(client):
    user = factories.UserFactory()
    for _ in range(4):
        client.post(reverse("login"), {"username": user.employee_id, "password": "feil"})
    assert (
        client.post(
            reverse("login"), {"username": user.employee_id, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    client.logout()
    for _ in range(4):
        client.post(reverse("login"), {"username": user.employee_id, "password": "feil"})
    assert (
        client.post(
            reverse("login"), {"username": user.employee_id, "password": factories.PASSWORD}
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_pages_send_a_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_settings_pass_the_deploy_check():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-check-only-" + "y" * 30,
        "DJANGO_ALLOWED_HOSTS": "samtale.example.org",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
