"""Settings read from the environment: a mistake stops the start with a message naming it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from heard.settings import env_networks


def test_networks_are_read_as_written(monkeypatch):
    monkeypatch.setenv("HEARD_WEBHOOK_ALLOWED_NETWORKS", " 10.20.0.0/16, fd00:1::/64 ,")
    assert env_networks("HEARD_WEBHOOK_ALLOWED_NETWORKS") == ["10.20.0.0/16", "fd00:1::/64"]


@pytest.mark.parametrize("written", ["10.20.0.0/33", "intranet", "10.20.0.0/16;10.30.0.0/16"])
def test_a_mistyped_network_is_refused_with_its_name(monkeypatch, written):
    monkeypatch.setenv("HEARD_WEBHOOK_ALLOWED_NETWORKS", written)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_networks("HEARD_WEBHOOK_ALLOWED_NETWORKS")
    assert "HEARD_WEBHOOK_ALLOWED_NETWORKS" in str(refused.value)
    assert repr(written) in str(refused.value)


def test_the_process_does_not_start_with_a_mistyped_network(tmp_path):
    env = {
        **os.environ,
        "HEARD_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "heard.settings",
        "HEARD_WEBHOOK_ALLOWED_NETWORKS": "10.20.0.0/33",
    }
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode != 0
    assert "HEARD_WEBHOOK_ALLOWED_NETWORKS: '10.20.0.0/33' is not an IP network" in started.stderr
