"""``manage.py check --deploy`` is clean under production settings.

Settings are read from the environment once, when the module is imported, so the check runs
in a fresh interpreter with a production environment: HTTPS on, DEBUG off, a long random
secret key and a real host name.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

CHECK = (
    "import django; django.setup(); "
    "from django.core.management import call_command; "
    "call_command('check', deploy=True, fail_level='WARNING')"
)


def _production_env(tmp_path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HEARD_", "DJANGO_", "SECURE_")) and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="heard.settings",
        HEARD_DATA_DIR=str(tmp_path),
        HEARD_HTTPS="true",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="complaints.example.gov.uk",
        CSRF_TRUSTED_ORIGINS="https://complaints.example.gov.uk",
        HEARD_CACHE_BACKEND="django.core.cache.backends.db.DatabaseCache",
        HEARD_CACHE_LOCATION="heard_cache",
    )
    env.update(extra)
    return env


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deploy_check_is_clean_in_production(tmp_path):
    result = _check(_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_the_deploy_check_is_clean_with_hsts_preload_too(tmp_path):
    result = _check(_production_env(tmp_path, HEARD_HSTS_PRELOAD="true"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_without_https(tmp_path):
    """The check has teeth: the same environment over plain HTTP is refused."""
    result = _check(_production_env(tmp_path, HEARD_HTTPS="false"))
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr  # no HSTS


def test_the_deploy_check_warns_when_rate_limits_are_counted_per_worker(tmp_path):
    """The embedded default keeps the counts in each process's memory: fine for make run,
    not for several gunicorn workers."""
    for backend in ("locmem.LocMemCache", "dummy.DummyCache"):
        env = _production_env(tmp_path, HEARD_CACHE_BACKEND=f"django.core.cache.backends.{backend}")
        result = _check(env)
        assert result.returncode != 0
        assert "heard.W001" in result.stdout + result.stderr
