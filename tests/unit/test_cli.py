"""The `microfilm` command as a person types it: `main()` with argv, its exit status and what
it prints (Rich wraps long lines, so whitespace is squeezed before matching)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from microfilm import api
from microfilm.spec.bible import Bible
from tests.cli_run import invoke


def run(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    code, out, err = invoke(monkeypatch, capsys, *args)
    return code, re.sub(r"\s+", " ", out + err)


def test_new_refuses_a_bad_brief_naming_the_field_and_writes_nothing(monkeypatch, capsys, tmp_path):
    folder = tmp_path / "film"
    code, text = run(monkeypatch, capsys, "new", folder, "--genre", "space-opera", "--title", "X",
                     "--logline", "Y", "--duration", "60")
    assert code == 2 and "genre" in text and "touching-family" in text
    assert not (folder / "film.toml").exists()
    code, _ = run(monkeypatch, capsys, "new", folder, "--genre", "温情亲情", "--lang", "zh",
                  "--title", "外婆的饺子", "--logline", "外婆教外孙包饺子。", "--duration", "40")
    assert code == 0 and (folder / "film.toml").is_file()


def test_approve_lists_and_takes_a_persons_own_picture(monkeypatch, capsys, tmp_path, brief_film):
    folder = brief_film
    api.make(folder, stages=["research", "develop", "board"])
    code, text = run(monkeypatch, capsys, "status", folder)
    assert code == 0 and "develop" in text and "board" in text and "shots:" in text
    code, text = run(monkeypatch, capsys, "approve", folder)
    assert code == 0 and "nothing waits for approval" in text  # nothing generated yet

    cid = Bible.load(folder / "bible.yaml").characters[0].id
    photo = tmp_path / "actor.webp"
    Image.new("RGB", (60, 90), "#336699").save(photo, format="WEBP")
    code, text = run(monkeypatch, capsys, "approve", folder, "--reference", cid, "--image", photo)
    assert code == 0 and f"{cid}'s reference is now" in text
    ref = Bible.load(folder / "bible.yaml").character(cid).reference
    assert ref.startswith("refs/reference/") and ref.endswith(".webp")
    assert (folder / ref).read_bytes() == photo.read_bytes()

    code, text = run(monkeypatch, capsys, "approve", folder, "--reference", cid, "--reference", "x",
                     "--image", photo)
    assert code == 2 and "--image needs exactly one --reference" in text
    code, text = run(monkeypatch, capsys, "approve", folder, "--reference", "ghost", "--image", photo)
    assert code == 2 and "no character 'ghost'" in text and cid in text
    assert Bible.load(folder / "bible.yaml").character(cid).reference == ref  # untouched
