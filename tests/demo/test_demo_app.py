"""The demo app is development-only: the production settings leave it out unless asked for."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "print('demo' in settings.INSTALLED_APPS)"
)


@pytest.mark.parametrize(("flag", "installed"), [(None, "False"), ("0", "False"), ("1", "True")])
def test_production_installs_demo_only_when_asked(flag, installed):
    env = {k: v for k, v in os.environ.items() if k != "SAMTALE_DEMO"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY="k" * 60)
    if flag is not None:
        env["SAMTALE_DEMO"] = flag
    out = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == installed


def test_the_test_settings_install_demo():
    from django.conf import settings

    assert "demo" in settings.INSTALLED_APPS
