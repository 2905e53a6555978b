"""`microfilm gc` on a real small film: after one line of dialogue changes, the old voice and
segment are unused; gc removes exactly those (and what else no record names), says how much
it freed, and the film still makes nothing and plays as before."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from microfilm import api
from microfilm.cli.app import main
from microfilm.spec.storyboard import Storyboard
from tests.filmcheck import ffprobe


def _cli(monkeypatch, capsys, *args: str) -> str:
    monkeypatch.setattr(sys, "argv", ["microfilm", *map(str, args)])
    monkeypatch.setenv("COLUMNS", "200")
    try:
        main()
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr()
    captured = capsys.readouterr()
    return re.sub(r"\s+", " ", captured.out + captured.err)


def _assets(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_size for p in (root / ".microfilm" / "assets").rglob("*") if p.is_file()}


def _named(root: Path) -> set[Path]:
    """Every asset the manifest and the cut name, read from the JSON files themselves."""
    state = root / ".microfilm"
    man = json.loads((state / "generated.json").read_text(encoding="utf-8"))
    cut = json.loads((state / "cut.json").read_text(encoding="utf-8"))
    names = {man["score"], man["cover"], *man["references"].values()}
    for shot in man["shots"]:
        names |= {shot["keyframe"], shot["clip"], *(v["path"] for v in shot["voices"])}
    names |= {s["path"] for s in cut["segments"]} | {d["path"] for d in cut["dialogue"]}
    return {root / n for n in names}


def test_gc_removes_what_no_record_uses_and_says_what_it_freed(house_film, tmp_path, monkeypatch, capsys):
    root = tmp_path / "film"
    shutil.copytree(house_film, root)
    before_edit = _named(root)
    board = Storyboard.load(root / "storyboard.yaml")
    old = next(s for s in board.shots if s.lines).lines[0].text
    fountain = root / "screenplay.fountain"
    fountain.write_text(fountain.read_text(encoding="utf-8").replace(old, "Honestly, " + old, 1),
                        encoding="utf-8")
    report = api.make(root)
    assert report.made.get("voice") == 1 and report.made.get("segment", 0) >= 1
    now = _named(root)
    stale = before_edit - now  # the old voice and the segment(s) that showed it
    assert stale and all(p.exists() for p in stale)

    assets = _assets(root)
    text = _cli(monkeypatch, capsys, "gc", root, "--dry-run")
    assert _assets(root) == assets  # a dry run removes nothing
    m = re.search(r"would remove (\d+) unused asset\(s\), would free ([\d.]+) (bytes|KiB|MiB)", text)
    assert m, text
    would = int(m.group(1))

    text = _cli(monkeypatch, capsys, "gc", root)
    left = _assets(root)
    gone = set(assets) - set(left)
    assert len(gone) == would and stale <= gone
    assert now <= set(left)  # everything the film uses now is kept
    freed = sum(assets[p] for p in gone)
    m = re.search(r"removed (\d+) unused asset\(s\), freed ([\d.]+) (bytes|KiB|MiB)", text)
    assert m and int(m.group(1)) == len(gone), text
    scale = {"bytes": 1, "KiB": 1024, "MiB": 1024 ** 2}[m.group(3)]
    assert abs(float(m.group(2)) * scale - freed) <= 0.05 * scale

    # the film is whole: nothing to make, the master plays, and a second gc finds nothing
    film = (root / "out" / "film.mp4").read_bytes()
    again = api.make(root)
    assert again.did_nothing and again.made == {}
    assert (root / "out" / "film.mp4").read_bytes() == film
    assert float(ffprobe(root / "out" / "film.mp4")["format"]["duration"]) > 10
    assert "removed 0 unused asset(s), freed 0 bytes" in _cli(monkeypatch, capsys, "gc", root)


def test_gc_refuses_a_folder_that_is_not_a_film(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["microfilm", "gc", str(tmp_path)])
    with pytest.raises(SystemExit) as exc:
        main()
    err = re.sub(r"\s+", " ", capsys.readouterr().err)
    assert exc.value.code == 2 and "not a film folder (no film.toml)" in err


def test_gc_waits_for_no_run_it_would_race(tmp_path):
    from microfilm import gc, runlock
    from microfilm.project import Project
    from microfilm.runlock import RunLocked

    root = api.new(tmp_path / "film", title="T", genre="youth-romance", logline="L.", duration=20)
    asset = root / ".microfilm" / "assets" / "voice" / "ab" / "abc.wav"
    asset.parent.mkdir(parents=True)
    asset.write_bytes(b"RIFF")
    with runlock.hold(root):  # a make in progress
        with pytest.raises(RunLocked):
            gc.collect(Project.at(root))
        assert gc.collect(Project.at(root), dry_run=True).removed == (asset,)  # reading is fine
        assert asset.exists()
    assert gc.collect(Project.at(root)).removed == (asset,) and not asset.exists()
