"""End to end: a brief becomes a finished vertical film, offline, and the cache holds.

Each language's film is made once (module fixture) and probed independently; the cache
tests work on copies of the English project so they reuse its assets.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from microfilm import api, pipeline
from microfilm.errors import ConflictError
from microfilm.spec.storyboard import Storyboard

from tests.filmcheck import check_master, frame_at, parse_subtitles, save_png

pytestmark = pytest.mark.e2e

BRIEFS = {
    "en": dict(title="The Last Bus Home", genre="touching-family", language="en", duration=40,
               logline="A father waits every night at the last bus stop for the daughter who stopped calling.",
               seed=11),
    "zh": dict(title="外婆的饺子", genre="温情亲情", language="zh", duration=40,
               logline="春节前夕，外孙女赶回小镇，发现外婆记不清她的名字，却记得她爱吃的饺子馅。", seed=5),
}


def _artifacts() -> Path:
    import os

    p = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts")) / "e2e"
    p.mkdir(parents=True, exist_ok=True)
    return p


@pytest.fixture(scope="module")
def films(tmp_path_factory) -> dict[str, tuple[Path, pipeline.MakeReport]]:
    made = {}
    for lang, brief in BRIEFS.items():
        root = api.new(tmp_path_factory.mktemp(lang) / "film", **brief)
        made[lang] = (root, api.make(root))
    return made


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_master_meets_the_spec(films, lang):
    root, report = films[lang]
    board = Storyboard.load(root / "storyboard.yaml")
    assert 30 <= board.duration <= 60
    film = report.outputs["film"]
    check_master(film, board.duration)
    # the title card, the shots and the credits are all there
    kinds = [s.kind for s in board.shots]
    assert kinds[0] == "title" and kinds[-1] == "credits" and kinds.count("shot") >= 3
    cover = root / "out" / "cover.png"
    from PIL import Image

    assert Image.open(cover).size == (1080, 1920)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_subtitles_cover_every_line_and_follow_the_voices(films, lang):
    root, _ = films[lang]
    board = Storyboard.load(root / "storyboard.yaml")
    cues_srt, cues_vtt = parse_subtitles(root / "out" / "film.srt", root / "out" / "film.vtt")
    spoken = [ln.text for s in board.shots for ln in s.lines]
    joined = "".join(re.sub(r"\s+", "", c.content) for c in cues_srt)
    for line in spoken:
        assert re.sub(r"\s+", "", line)[:6] in joined, line
    starts = board.starts()
    expected = sorted(starts[i] + ln.start for i, s in enumerate(board.shots) for ln in s.lines)
    got = sorted(c.start.total_seconds() for c in cues_srt)
    for t in expected:  # every line has a cue starting with its voice (within a frame or two)
        assert min(abs(t - g) for g in got) < 0.1
    for c_srt, c_vtt in zip(cues_srt, cues_vtt):
        assert abs(c_srt.start.total_seconds() - _vtt_seconds(c_vtt.start)) < 0.01
    # a line's id goes with it from the screenplay to its voice and its cue
    ids = {ln.line_id for s in board.shots for ln in s.lines}
    manifest = json.loads((root / ".microfilm" / "generated.json").read_text(encoding="utf-8"))
    assert {v["line_id"] for a in manifest["shots"] for v in a["voices"]} == ids
    cut = json.loads((root / ".microfilm" / "cut.json").read_text(encoding="utf-8"))
    assert {c["line_id"] for c in cut["cues"]} <= ids and all(c["line_id"] for c in cut["cues"])


def _vtt_seconds(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_frames_are_pictures_not_blank(films, lang):
    root, report = films[lang]
    film = report.outputs["film"]
    board = Storyboard.load(root / "storyboard.yaml")
    mid = board.duration / 2
    frame = frame_at(film, mid, 1080, 1920)
    assert frame.std() > 12, "a frame from the middle of the film is nearly flat"
    save_png(film, mid, _artifacts() / f"{lang}-middle.png")
    # a frame with a subtitle on it: the bottom band has near-white text pixels
    cues = parse_subtitles(root / "out" / "film.srt", root / "out" / "film.vtt")[0]
    t = (cues[0].start.total_seconds() + cues[0].end.total_seconds()) / 2
    sub = frame_at(film, t, 1080, 1920)
    save_png(film, t, _artifacts() / f"{lang}-subtitle.png")
    band = sub[int(1920 * 0.55):int(1920 * 0.92)]
    assert (band.min(axis=2) > 235).sum() > 500, "no subtitle text drawn"


def test_unchanged_rerun_does_nothing(films, tmp_path):
    root = _copy(films["en"][0], tmp_path)
    film_before = (root / "out" / "film.mp4").read_bytes()
    report = api.make(root)
    assert report.did_nothing and report.made == {}
    assert (root / "out" / "film.mp4").read_bytes() == film_before


def test_editing_one_line_redoes_only_its_voice_and_segment(films, tmp_path):
    root = _copy(films["en"][0], tmp_path)
    board = Storyboard.load(root / "storyboard.yaml")
    target = next(s for s in board.shots if s.lines)
    old = target.lines[0].text
    words = old.split()
    new = " ".join(["Honestly,"] + words[1:]) if len(words) > 1 else "Honestly."
    fountain = root / "screenplay.fountain"
    text = fountain.read_text(encoding="utf-8")
    assert text.count(old) == 1
    fountain.write_text(text.replace(old, new), encoding="utf-8")
    report = api.make(root)
    assert report.made.get("voice") == 1

    cut = json.loads((root / ".microfilm" / "cut.json").read_text(encoding="utf-8"))
    cue = next(c for c in cut["cues"] if c["text"].startswith("Honestly,"))
    showing = [s for s in cut["segments"]
               if s["start"] < cue["end"] and cue["start"] < s["start"] + s["duration"]]
    assert 1 <= len(showing) <= 2  # its shot, and the next if the line runs past the cut
    assert report.made.get("segment") == len(showing)
    assert report.made.get("keyframe", 0) == 0 and report.made.get("clip", 0) == 0
    assert "score" not in report.made  # same word count, same timing: the score is reused
    cues = (root / "out" / "film.srt").read_text(encoding="utf-8")
    assert "Honestly," in cues
    # the hand-edited screenplay is kept, not overwritten
    assert new in fountain.read_text(encoding="utf-8")
    assert api.make(root).did_nothing


def test_conflicting_hand_edit_stops_and_says_how(films, tmp_path):
    root = _copy(films["en"][0], tmp_path)
    fountain = root / "screenplay.fountain"
    fountain.write_text(fountain.read_text(encoding="utf-8") + "\n\nA last look back.\n", encoding="utf-8")
    toml = root / "film.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("seed = 11", "seed = 12"), encoding="utf-8")
    with pytest.raises(ConflictError) as exc:
        api.make(root, stages=["develop"])
    assert "--keep" in str(exc.value) and "--force" in str(exc.value)
    assert "A last look back." in fountain.read_text(encoding="utf-8")
    api.make(root, stages=["develop"], edit_policy="keep")
    assert "A last look back." in fountain.read_text(encoding="utf-8")
    api.make(root, stages=["develop"], edit_policy="force")
    assert "A last look back." not in fountain.read_text(encoding="utf-8")
    backups = list((root / ".microfilm" / "backups").glob("screenplay.fountain.*"))
    assert backups and "A last look back." in backups[0].read_text(encoding="utf-8")


def test_status_reports_stages_shots_and_time(films, tmp_path):
    root = _copy(films["en"][0], tmp_path)
    st = api.status(root)
    assert [s.state for s in st.stages] == ["done"] * 6
    assert st.shots_done == st.shots_total > 0 and st.elapsed_s > 0
    (root / "storyboard.yaml").write_text(
        (root / "storyboard.yaml").read_text(encoding="utf-8").replace("camera: static", "camera: push-in", 1),
        encoding="utf-8")
    states = {s.name: s.state for s in api.status(root).stages}
    assert states["board"] == "edited" and states["generate"] == "stale" and states["master"] == "stale"


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "copy"
    shutil.copytree(src, dst)
    return dst


def _text_rows(frame: np.ndarray) -> np.ndarray:
    """Rows of a frame that hold near-white subtitle text, below the frame's middle."""
    lower = frame[960:]
    return np.nonzero((lower.min(axis=2) > 235).sum(axis=1) > 8)[0] + 960


def test_deliverables_for_editors_and_platforms(films):
    import xml.etree.ElementTree as ET

    import opentimelineio as otio
    from PIL import Image

    from tests.filmcheck import ffprobe, streams

    root, report = films["en"]
    out = root / "out"
    board = Storyboard.load(root / "storyboard.yaml")
    assert Image.open(out / "cover-3x4.png").size == (1080, 1440)
    assert Image.open(out / "cover-1x1.png").size == (1080, 1080)
    teaser = ffprobe(out / "teaser.mp4")
    assert 15 <= float(teaser["format"]["duration"]) <= 30.05
    assert streams(teaser, "video") and streams(teaser, "audio")
    assert not (root / "cut.otio").exists()  # an export, with the others: not a file to edit
    timeline = otio.adapters.read_from_file(str(out / "cut.otio"))
    picture = timeline.video_tracks()[0]
    assert [c.name for c in picture.find_clips()] == [s.id for s in board.shots]
    fcpx = ET.parse(out / "cut.fcpxml").getroot()
    assert fcpx.tag == "fcpxml" and len(fcpx.findall(".//asset")) >= len(board.shots)
    xmeml = ET.parse(out / "cut.xml").getroot()
    assert xmeml.tag == "xmeml" and len(xmeml.findall(".//clipitem")) >= len(board.shots)
    qc = json.loads((out / "qc.json").read_text(encoding="utf-8"))
    assert qc["passed"] is True and qc["spend"]["total"] == 0


def test_platform_variant_moves_subtitles_into_its_safe_area(films, tmp_path):
    root = _copy(films["en"][0], tmp_path)
    report = api.make(root, platforms=["reels"])
    assert report.made.get("segment", 0) > 0 and "clip" not in report.made
    film = root / "out" / "reels" / "film.mp4"
    board = Storyboard.load(root / "storyboard.yaml")
    check_master(film, board.duration)
    from PIL import Image

    assert Image.open(root / "out" / "reels" / "cover-1080x1440.png").size == (1080, 1440)
    cues = parse_subtitles(root / "out" / "film.srt", root / "out" / "film.vtt")[0]
    t = (cues[0].start.total_seconds() + cues[0].end.total_seconds()) / 2
    generic_rows = _text_rows(frame_at(root / "out" / "film.mp4", t, 1080, 1920))
    reels_rows = _text_rows(frame_at(film, t, 1080, 1920))
    # a row near-white in both frames is the picture (a white bowl the painter draws as an
    # insert), not the subtitle that moved: compare the rows that differ
    picture = set(generic_rows.tolist()) & set(reels_rows.tolist())
    generic_rows = np.array(sorted(set(generic_rows.tolist()) - picture))
    reels_rows = np.array(sorted(set(reels_rows.tolist()) - picture))
    assert len(generic_rows) and len(reels_rows)
    assert reels_rows.max() <= 1920 - 672 + 4  # above Reels' 672 px caption/button band
    assert reels_rows.max() < generic_rows.max() - 100
    again = api.make(root, platforms=["reels"])
    assert again.made == {} and not any(o.ran for o in again.outcomes)
