"""Serving an application for a benchmark: its database, a gunicorn on a free loopback port,
waiting for it to answer, and the peak memory of its processes. Heard's run and
django-helpdesk's use the same pieces, so that both are served alike."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path


def recreate_postgres(url: str) -> None:
    """Drop and create the database at ``url`` (the benchmark's own, never a real one)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def gunicorn(
    bindir: Path, application: str, port: int, env: dict[str, str], cwd: Path
) -> subprocess.Popen[bytes]:
    """gunicorn from ``bindir`` serving ``application`` with two workers, as for 2 cores."""
    return subprocess.Popen(
        [
            str(bindir / "gunicorn"),
            application,
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=cwd,
    )


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def peak_mib(pid: int, *, children: bool = False) -> float:
    """Largest peak resident memory (VmHWM) of a process, or of it and its children."""
    pids = [pid]
    if children:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    peaks = []
    for each in pids:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return round(max(peaks), 1)
