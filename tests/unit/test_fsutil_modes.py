"""Written files take the umask's mode like any program's (0644 under 022); keys stay 0600;
temporary files are recognisable so a killed run's leftovers can be removed."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from microfilm import api
from microfilm.fsutil import atomic_write_text, current_umask, is_temp_name, remove_stale_temps
from microfilm.providers import keys


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield lambda value: os.umask(value)
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_written_files_follow_the_umask(umask, tmp_path, mask, expected):
    umask(mask)
    assert current_umask() == mask
    atomic_write_text(tmp_path / "a.txt", "hello")
    assert _mode(tmp_path / "a.txt") == expected
    film = api.new(tmp_path / "film", title="Modes", genre="touching-family",
                   logline="Files a person can read.", duration=30)
    assert _mode(film / "film.toml") == expected


def test_keys_file_stays_private_whatever_the_umask(umask, tmp_path):
    umask(0o000)
    path = keys.save("ARK_API_KEY", "ark-secret-value-123", path=tmp_path / "keys.toml")
    assert _mode(path) == 0o600
    atomic_write_text(tmp_path / "secret.txt", "x", mode=0o600)
    assert _mode(tmp_path / "secret.txt") == 0o600


def test_stale_temporary_files_are_recognised_and_removed(tmp_path):
    names = [".seg0.123.456.tmp.mp4", ".film.toml.abc123.tmp", ".k.raw.9.8.tmp.png"]
    keep = ["abc.mp4", ".hidden", "tmp.mp4"]
    for name in names + keep:
        (tmp_path / "x" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "x" / name).write_bytes(b"1")
    assert all(is_temp_name(n) for n in names) and not any(is_temp_name(n) for n in keep)
    assert remove_stale_temps(tmp_path) == 3
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == sorted(keep)
