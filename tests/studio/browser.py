"""Playwright over Debian's chromium: the launcher and the screenshot keeper for browser tests.

Never `playwright install`: the tests use the system's chromium (`apt-get install chromium`)
and skip, saying why, when it is absent.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--autoplay-policy=no-user-gesture-required", "--mute-audio"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    exe = chromium_path()
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium); browser tests need it")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed (pip install 'microfilm[test]')")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Shots:
    """Numbered screenshots under tmp_path, copied to $MICROFILM_ARTIFACTS when it is set."""

    def __init__(self, root: Path, name: str):
        self.dir = root / "screenshots"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.name = re.sub(r"[^a-z0-9_-]+", "-", name.lower())
        self.n = 0

    def __call__(self, page, label: str, full_page: bool = False) -> Path:
        self.n += 1
        path = self.dir / f"{self.n:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def keep(self) -> None:
        target = os.environ.get("MICROFILM_ARTIFACTS")
        if target:
            dest = Path(target) / "studio" / self.name
            dest.mkdir(parents=True, exist_ok=True)
            for p in self.dir.iterdir():
                shutil.copy2(p, dest / p.name)


@pytest.fixture()
def shots(tmp_path: Path, request):
    keeper = Shots(tmp_path, request.node.name)
    yield keeper
    keeper.keep()
