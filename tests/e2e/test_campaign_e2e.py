"""A 4-variant campaign made offline with the house providers, from the session's house film:
every variant's film probed and its subtitles parsed, and the shots counted as reused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from microfilm import platforms
from microfilm.campaign import cuts
from microfilm.campaign.make import make_campaign
from microfilm.media.probe import decode_frame, probe
from microfilm.spec import fountain
from microfilm.spec.screenplay import Dialogue
from microfilm.spec.storyboard import Storyboard

ZH = ["你拿着吧。", "不，你拿。我可以等。", "我还会回来的。", "我等你。", "谢谢你。", "再见。"]


def _translate(film: Path) -> list[str]:
    """screenplay.zh.fountain, speech for speech (what `assist --do translate` writes)."""
    sp = fountain.load(film / "screenplay.fountain")
    said = []
    for n, el in enumerate(e for s in sp.scenes for e in s.elements if isinstance(e, Dialogue)):
        el.text = f"{ZH[n % len(ZH)]}（{n + 1}）"
        said.append(el.text)
    fountain.save(sp, film / "screenplay.zh.fountain")
    return said


def _srt_cues(path: Path) -> list[str]:
    blocks = [b.strip().splitlines() for b in path.read_text("utf-8").split("\n\n") if b.strip()]
    assert all(b[0].isdigit() and " --> " in b[1] for b in blocks), path
    return [" ".join(b[2:]) for b in blocks]


@pytest.mark.timeout(1800)  # the session's house film is made in it, on a shared 2-core machine
def test_four_variant_campaign_reuses_the_base_and_fits_each_platform(house_film: Path, tmp_path: Path) -> None:
    film = tmp_path / "film"
    shutil.copytree(house_film, film)
    said = _translate(film)
    camp = tmp_path / "camp"
    camp.mkdir()
    (camp / "campaign.toml").write_text(
        'base = "../film"\nname = "umbrella"\n'
        '[matrix]\nplatforms = ["tiktok"]\naspects = ["9:16", "1:1"]\ncuts = ["full", "teaser"]\n'
        'languages = ["zh"]\ncovers = ["a", "b"]\n', "utf-8")
    keyframes_before = sorted((film / ".microfilm" / "assets" / "keyframe").rglob("*.png"))
    events = []
    status = make_campaign(camp / "campaign.toml", on_event=events.append)

    assert status.state == "done" and len(status.variants) == 4
    saved = json.loads((camp / "campaign.json").read_text("utf-8"))
    assert [v["state"] for v in saved["variants"]] == ["done"] * 4
    assert {e.variant for e in events} >= {v.name for v in status.variants}  # the base: up to date
    assert max(e.variants_done for e in events) >= 3 and events[-1].variants_total == 4
    # no variant painted or animated anything: every keyframe and clip came from the base's store
    assert sorted((film / ".microfilm" / "assets" / "keyframe").rglob("*.png")) == keyframes_before
    shots = len(json.loads((film / ".microfilm" / "generated.json").read_text())["shots"])
    board = Storyboard.load(film / "storyboard.yaml")
    assert [(v.aspect, v.cut) for v in status.variants] == [
        ("9:16", "full"), ("9:16", "teaser"), ("1:1", "full"), ("1:1", "teaser")]
    tall_full, tall_teaser, square_full, square_teaser = status.variants
    for v in status.variants:
        own = len(json.loads((camp / v.folder / ".microfilm" / "generated.json").read_text())["shots"])
        assert not {"keyframe", "clip", "voice", "cover"} & set(v.made), v
        assert v.reused["keyframe"] == v.reused["clip"] == own
        assert own == len(cuts.pick(board, v.cut).shots) <= shots
    assert "score" not in tall_full.made and tall_teaser.made["score"] == 1  # a new length
    assert "score" not in square_teaser.made  # the teaser's score, from the store
    assert square_full.made["reframe"] == shots and "reframe" not in square_teaser.made

    for v in status.variants:
        out = camp / v.folder / "out"
        info = probe(out / "film.mp4")
        want = (1080, 1920) if v.aspect == "9:16" else (1080, 1080)
        assert info.video.size == want, v.name
        limit = platforms.get(v.platform).max_duration_s
        assert info.duration <= limit and abs(info.duration - v.duration_s) < 0.1
        assert abs(info.duration - cuts.pick(board, v.cut).duration) < 0.1, v.name
        qc = json.loads((out / "qc.json").read_text("utf-8"))
        assert qc["passed"] and qc["facts"]["width"] == want[0], v.name
        frame = decode_frame(out / "film.mp4", info.duration / 2)
        assert frame.shape[:2] == (want[1], want[0]) and float(np.std(frame)) > 5  # a picture
        # bilingual: the English lines, each paired with its Chinese
        zh = _srt_cues(out / "film.zh.srt")
        en = _srt_cues(out / "film.en.srt")
        assert zh and len(zh) == len(en) and all(z in said for z in zh)
        for cover in v.covers:
            assert (out / cover).is_file()
        assert {"cover-a.png", "cover-b.png"} <= set(v.covers)
    square = camp / square_full.folder / "out"
    with Image.open(square / "cover-a.png") as a, Image.open(square / "cover-b.png") as b:
        assert a.size == b.size == (1080, 1080)  # both covers in the variant's frame
        diff = np.abs(np.asarray(a.convert("L"), dtype=np.int16) - np.asarray(b.convert("L"), dtype=np.int16))
        assert diff.mean() > 10  # B is another picture, not A again
