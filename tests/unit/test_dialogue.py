"""Which lines move lips: native in the clip, lip-synced, or heard only; never a V.O."""

from __future__ import annotations

import pytest

from microfilm.errors import SpecError
from microfilm.providers import dialogue, registry
from microfilm.spec.storyboard import Shot, ShotLine


def _info(name):
    return registry.entries()[name].info


def _shot(**kw) -> Shot:
    base = dict(id="sc01-sh02", duration=4.0, framing="close-up", characters=["mei"],
                lines=[ShotLine(character="mei", text="I came back."),
                       ShotLine(character="grandma", text="(V.O.) You are late.")])
    base.update(kw)
    return Shot(**base)


def test_auto_speaks_natively_where_the_animator_speaks_and_never_lipsyncs_a_voice_over():
    kling3, kling25 = _info("kling-v3"), _info("kling")
    lipsync = _info("fal-lipsync")
    assert dialogue.deliveries(_shot(), kling3, None) == ["native", "heard"]
    assert dialogue.deliveries(_shot(), kling25, lipsync) == ["lipsync", "heard"]
    assert dialogue.deliveries(_shot(), kling25, None) == ["tts", "heard"]
    assert dialogue.deliveries(_shot(framing="wide"), kling3, lipsync) == ["tts", "heard"]
    assert dialogue.deliveries(_shot(dialogue="off"), kling3, lipsync) == ["tts", "heard"]
    assert dialogue.deliveries(_shot(dialogue="lipsync"), kling3, lipsync) == ["lipsync", "heard"]


def test_an_impossible_choice_names_the_shot():
    with pytest.raises(SpecError, match="sc01-sh02.*native.*kling"):
        dialogue.deliveries(_shot(dialogue="native"), _info("kling"), None)
    with pytest.raises(SpecError, match="sc01-sh02.*lipsync"):
        dialogue.deliveries(_shot(dialogue="lipsync"), _info("kling"), None)


def test_old_storyboards_load_with_the_defaults():
    shot = Shot.model_validate({"id": "s1", "duration": 2.0})
    assert (shot.dialogue, shot.group) == ("auto", "")


def _boarded(tmp_path, budget: float, edits: dict[str, str]):
    """A new 20 s film with `edits` made to its film.toml, planned up to its storyboard."""
    from microfilm import api

    root = tmp_path / "film"
    api.new(root, title="The Umbrella", genre="youth-romance", language="en", duration=20,
            logline="Two strangers share an umbrella.", seed=5, budget=budget, currency="USD")
    toml = root / "film.toml"
    text = toml.read_text(encoding="utf-8")
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new)
    toml.write_text(text, encoding="utf-8")
    api.make(root, stages=["research", "develop", "board"])
    return root


@pytest.mark.e2e  # a whole make through the pipeline: not in the fast lane
def test_a_film_lip_syncs_its_on_screen_close_lines_and_prices_them(tmp_path, monkeypatch):
    from microfilm import api
    from microfilm.estimate import estimate_plan
    from microfilm.ledger import Ledger
    from microfilm.project import Project
    from microfilm.providers.fal import FalLipSync
    from microfilm.providers.media_check import probe_video
    from microfilm.spec.storyboard import Storyboard
    from microfilm.stages.generate import Manifest
    from tests.fakes import fal as fake_fal
    from tests.fakes.server import FakeServer

    with FakeServer() as server:
        fake_fal.install(server)
        monkeypatch.setenv("FAL_KEY", "fal-test-0123456789abcdef")
        monkeypatch.setenv("FAL_QUEUE_BASE_URL", server.base_url)
        monkeypatch.setattr(FalLipSync, "poll_every_s", 0.01, raising=False)
        root = _boarded(tmp_path, 20, {'lipsync = ""': 'lipsync = "fal-lipsync"'})
        # speakers as bible ids, as the board writes them (SCHEMA.md): the first shot's line
        # is said on screen in a medium shot, the second's by someone off screen (V.O.)
        path = Project.at(root).storyboard
        board = Storyboard.load(path)
        story = [s for s in board.shots if s.kind == "shot" and s.lines and s.characters]
        assert len(story) >= 2
        for s in story:
            for line in s.lines:
                line.character = s.characters[0] if s is story[0] else "narrator"
        story[0].framing = "medium"
        board.save(path)
        api.make(root, stages=["generate"], edit_policy="keep")
        jobs = server.counts["jobs_created"]
    project = Project.at(root)
    board = Storyboard.load(project.storyboard)
    house, synced = _info("house-animator"), _info("fal-lipsync")
    planned = {s.id for s in board.shots
               if s.kind == "shot" and "lipsync" in dialogue.deliveries(s, house, synced)}
    assert planned == {story[0].id}  # the voice-over is never lip-synced
    assert jobs == len(planned)  # one lip-sync job per shot with a close on-screen line
    rows = [r for r in Ledger.for_project(root).rows() if r.capability == "lipsync"]
    assert {r.shot_id for r in rows} == planned
    manifest = Manifest.model_validate_json((project.state / "generated.json").read_text("utf-8"))
    for a in manifest.shots:
        if a.shot_id in planned:  # the synced clip, with the line's sound, replaces the clip
            assert a.clip_has_audio and probe_video(root / a.clip).has_audio
    plan = estimate_plan(project.brief(), board)
    priced = sum(ln.cost for ln in plan.lines if ln.capability == "lipsync")
    assert priced == pytest.approx(sum(r.estimated_cost for r in rows), abs=1e-3)


@pytest.mark.e2e  # a whole make through the pipeline: not in the fast lane
def test_a_line_the_clip_speaks_is_kept_from_the_clip_and_not_voiced(tmp_path, monkeypatch):
    """Kling 3.0 (the fake returns clips with a sound track) speaks the close on-screen
    line: the line heard is cut from the clip inside its window, no TTS is asked for or
    priced for it, the clip's track is never placed whole, and the master's loudness and
    subtitle timing checks pass on the result."""
    import json

    import numpy as np

    from microfilm import api
    from microfilm.estimate import estimate_plan
    from microfilm.media.audio import SR, decode
    from microfilm.project import Project
    from microfilm.spec.cut import Cut
    from microfilm.spec.manifest import Manifest
    from microfilm.spec.storyboard import Storyboard
    from tests.fakes import kling as fake_kling
    from tests.fakes.server import FakeServer

    with FakeServer() as server:
        fake_kling.serve(server, monkeypatch)
        root = _boarded(tmp_path, 50, {'animator = "house-animator"': 'animator = "kling-v3"',
                                       "[settings]": "[settings]\napprove_before_animating = false"})
        path = Project.at(root).storyboard
        board = Storyboard.load(path)
        story = [s for s in board.shots if s.kind == "shot" and s.lines and s.characters]
        assert story
        for s in board.shots:  # one shot speaks on screen; every other line is a voice-over
            for line in s.lines:
                line.character = s.characters[0] if s is story[0] else "narrator"
        story[0].framing = "medium"
        story[0].keep_clip_audio = True  # even so, the clip's whole track is never placed
        board.save(path)
        api.make(root, edit_policy="keep")
    project = Project.at(root)
    board = Storyboard.load(project.storyboard)
    shot = next(s for s in board.shots if s.id == story[0].id)
    manifest = Manifest.model_validate_json((project.state / "generated.json").read_text("utf-8"))
    spoken = [v for a in manifest.shots for v in a.voices if v.native]
    assert [v.text for v in spoken] == [ln.text for ln in shot.lines]
    others = [v for a in manifest.shots if a.shot_id != shot.id for v in a.voices]
    assert others and not any(v.native for v in others)  # voice-overs stay TTS
    # the line heard is the clip's own sound (the fake's 440 Hz tone) from the line's start
    # to the next line's start or the shot's end, nothing outside that window
    starts = [ln.start for ln in shot.lines] + [shot.duration]
    for v, end in zip(spoken, starts[1:]):
        assert "native-line" in v.path
        sound = decode(root / v.path, 1)[0]
        assert v.duration == pytest.approx(min(end, shot.duration) - v.start, abs=0.05)
        peak = np.argmax(np.abs(np.fft.rfft(sound))) * SR / len(sound)
        assert peak == pytest.approx(440, abs=5)
    # priced as sent: no voice for the line the clip speaks
    plan = estimate_plan(project.brief(), board)
    voiced = sum(ln.items for ln in plan.lines if ln.capability == "voice")
    assert voiced == sum(len(s.lines) for s in board.shots) - len(spoken)
    cut = Cut.load(project.state / "cut.json")
    assert cut.clip_audio == []  # the clip's track (and any music in it) is not in the mix
    at = next(s.start for s in cut.segments if s.shot_id == shot.id)
    placed = {round(p.start, 2) for p in cut.dialogue if "native-line" in p.path}
    assert placed == {round(at + v.start, 2) for v in spoken}
    assert {round(c.start, 2) for c in cut.cues} >= placed  # cues on with the clip's line
    qc = json.loads((root / "out" / "qc.json").read_text("utf-8"))
    checks = {c["name"]: c["passed"] for c in qc["checks"]}
    assert checks["loudness"] and checks["subtitle_timing"]
