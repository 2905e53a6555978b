"""Every test runs with HOME and the XDG dirs under its own temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_CACHE_HOME", ".cache"),
                     ("XDG_DATA_HOME", ".local/share")):
        monkeypatch.setenv(var, str(home / sub))
    for key in list(os.environ):
        if key.endswith("_API_KEY") or key.endswith("_API_SECRET"):
            monkeypatch.delenv(key, raising=False)
    return home


@pytest.fixture(scope="session")
def house_film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short finished house film (offline, 20 s), made once per session. Read it in place;
    a test that changes it works on a copy: `shutil.copytree(house_film, tmp_path / "film")`."""
    from microfilm import api

    home = tmp_path_factory.mktemp("house-film-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_CACHE_HOME", ".cache"),
                         ("XDG_DATA_HOME", ".local/share")):
            mp.setenv(var, str(home / sub))
        root = api.new(tmp_path_factory.mktemp("house-film") / "film", title="The Umbrella",
                       genre="youth-romance", logline="Two strangers share an umbrella at a bus stop.",
                       duration=20, seed=7)
        api.make(root)
    return root


@pytest.fixture()
def brief_film(tmp_path: Path) -> Path:
    """A new film folder holding only its brief (film.toml), as `microfilm new` leaves it: a
    30 s touching-family film, seed 3. Most CLI, API and studio tests start here."""
    from microfilm import api

    return api.new(tmp_path / "film", title="The Last Bus", genre="touching-family",
                   logline="A driver waits for one last passenger.", duration=30, seed=3)


# ---- test lanes --------------------------------------------------------------------------
# Slow tests are marked here, by the fixtures they use, rather than in every file: the fast
# lane is `bash scripts/test.sh -m "not e2e and not browser"`; CI runs every lane.
FILM_FIXTURES = {"house_film"}  # a real film is made: e2e
BROWSER_FIXTURES = {"browser"}  # headless chromium through Playwright
BROWSER_HELPERS = {"owner_browser"}  # a context manager a test calls (tests/studio/test_review.py)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless chromium through Playwright (slow)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & FILM_FIXTURES or item.path.parent.name == "e2e":  # tests/e2e: whole films
            item.add_marker(pytest.mark.e2e)
        code = getattr(getattr(item, "function", None), "__code__", None)
        if used & BROWSER_FIXTURES or (code and BROWSER_HELPERS & set(code.co_names)):
            item.add_marker(pytest.mark.browser)
