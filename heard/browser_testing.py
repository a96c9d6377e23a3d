"""Browser-test fixtures (a pytest plugin, loaded by heard/conftest.py).

Playwright drives Debian's Chromium (``/usr/bin/chromium``) where it is installed, or the
browser ``playwright install chromium`` put in Playwright's cache elsewhere. There is no
silent skip: with no browser at all the tests fail and say how to install one
(``make install`` does it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Pictures for the user guide. A test run writes them under var/ (out of git), so that it does
# not rewrite the committed ones with a pixel's difference; `make screenshots` renews those.
SCREENSHOTS = Path(os.environ.get("HEARD_SCREENSHOTS_DIR") or ROOT / "var" / "screenshots")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """Debian's Chromium if installed (None: use Playwright's own browser)."""
    return os.environ.get("HEARD_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import Error, sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the tests' own ORM calls
    # are ordinary synchronous ones, so Django's async guard is relaxed for browser tests.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    executable = chromium_path()
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=ARGS)
        except Error as error:
            pytest.fail(
                "No browser for the browser tests. Install Debian's chromium "
                "(apt-get install chromium; `make install` does it as root) or run "
                f"`.venv/bin/playwright install chromium`.\n{error}",
                pytrace=False,
            )
        yield launched
        launched.close()


def go(page: Any, locator: Any) -> None:
    """Click something that loads a new page, and wait for that page (not the old one)."""
    with page.expect_navigation():
        locator.click()


def assert_accessible(page: Any) -> None:
    """axe-core in the page: no serious or critical violation (evaluated, so CSP does not block it)."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: " + "; ".join(bad)


def screenshot(page: Any, name: str) -> None:
    """Save a full-page screenshot for the user guide (NAME.png in ``SCREENSHOTS``)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
