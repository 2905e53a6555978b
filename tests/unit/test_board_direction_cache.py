"""The board's cache key carries the direction code: a change in the rules re-boards a film
boarded before it, and a storyboard edited by hand is still not lost."""

from __future__ import annotations

import shutil

import pytest

from microfilm import api
from microfilm.direction import version
from microfilm.errors import MicrofilmError
from microfilm.stages import board


def test_the_digest_follows_every_rule_file(tmp_path):
    copy = tmp_path / "direction"
    shutil.copytree(version.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = version.sources_digest(copy)
    assert before == version.sources_digest(copy) == version.code_version()
    rule = copy / "coverage.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# a new rule\n", encoding="utf-8")
    assert version.sources_digest(copy) != before
    (copy / "prompts" / "extra.yaml").write_text("a: 1\n", encoding="utf-8")
    assert len({before, version.sources_digest(copy)}) == 2


def _board(film, **kw):
    report = api.make(film, stages=["research", "develop", "board"], **kw)
    return next(o for o in report.outcomes if o.stage == "board")


def test_new_direction_reboards_and_keeps_a_hand_edit(tmp_path, monkeypatch):
    film = api.new(tmp_path / "film", title="The Last Bus", genre="touching-family",
                   logline="A daughter rides her father's last bus.", duration=30, seed=3)
    assert _board(film).ran
    assert not _board(film).ran  # nothing changed: the cached board stands
    boarded = (film / "storyboard.yaml").read_text(encoding="utf-8")

    monkeypatch.setattr(board, "code_version", lambda: "new-rules")
    again = _board(film)
    assert again.ran and "shots" in again.message  # re-boarded, rewritten (same rules' output)
    assert (film / "storyboard.yaml").read_text(encoding="utf-8") == boarded
    assert not _board(film).ran

    # A hand edit, then the rules change again: the edit is never silently overwritten.
    edited = boarded.replace("title card", "title card, hand-lettered", 1)
    assert edited != boarded
    (film / "storyboard.yaml").write_text(edited, encoding="utf-8")
    monkeypatch.setattr(board, "code_version", lambda: "newer-rules")
    with pytest.raises(MicrofilmError, match="storyboard.yaml was edited by hand.*--keep"):
        _board(film)
    assert (film / "storyboard.yaml").read_text(encoding="utf-8") == edited
    kept = _board(film, edit_policy="keep")
    assert "kept your edits" in kept.message
    assert (film / "storyboard.yaml").read_text(encoding="utf-8") == edited
