"""django-helpdesk's own virtualenv: created with `python3 -m venv` and filled from PyPI with
the exact versions in requirements.txt. Nothing of django-helpdesk is kept in this repository.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"


def ensure_venv(directory: Path) -> Path:
    """Create (or reuse) the virtualenv in `directory`; return the path of its python."""
    python = directory / "bin" / "python"
    stamp = directory / ".requirements-sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return python
    base = shutil.which("python3") or sys.executable
    subprocess.run([base, "-m", "venv", "--clear", str(directory)], check=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
    )
    stamp.write_text(wanted + "\n")
    return python
