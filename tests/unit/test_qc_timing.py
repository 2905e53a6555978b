"""QC of subtitle timing against the voice, on tiny real films (mixed, muxed, measured).

Each voice line is a WAV with silence before and after the voiced part (as TTS engines
write them), so the check has to find the onset inside the file, not trust its start.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from microfilm import form
from microfilm.errors import MediaError
from microfilm.media import ffmpeg
from microfilm.media.audio import DialoguePlacement, MixSpec, mix
from microfilm.media.master import label_metadata, mux
from microfilm.media.qc import QCPlan, run_qc, voiced
from microfilm.media.subtitles import Cue

W, H, D = 180, 320, 10.0
LEAD_S = 0.25  # silence at the head of every line's WAV
# (start in the film, voiced seconds, f0, text)
LINES = [(1.0, 1.3, 180, "妈，我回来了。"), (4.0, 1.7, 120, "Where were you all night?"),
         (7.0, 1.1, 220, "雨停了，我们走吧。")]


def _line(path: Path, voiced_s: float, f0: int) -> Path:
    expr = (f"(0.5*sin(2*PI*{f0}*t)+0.3*sin(2*PI*{2 * f0}*t)+0.2*sin(2*PI*{3 * f0}*t))"
            "*(0.6+0.4*sin(2*PI*4.5*t))*0.5")
    ffmpeg.run(["-f", "lavfi", "-i", f"aevalsrc={expr}:s=22050:d={voiced_s}",
                "-af", f"adelay={int(LEAD_S * 1000)},apad=pad_dur=0.3", "-ac", "1",
                str(path)], what=f"line {path.name}")
    return path


def good_cues() -> list[Cue]:
    """Cues as the cut writes them: from the voice onset to a little after it ends."""
    return [Cue(round(t + LEAD_S, 3), round(t + LEAD_S + v + 0.25, 3), text)
            for t, v, _, text in LINES]


@pytest.fixture(scope="module")
def film(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("qc_timing")
    lines = [_line(d / f"line{i}.wav", v, f0) for i, (_, v, f0, _) in enumerate(LINES)]
    score = d / "score.wav"
    ffmpeg.run(["-f", "lavfi", "-i", f"anoisesrc=c=pink:r=48000:a=0.2:d={D + 1}", "-ac", "2",
                str(score)], what="score")
    placements = tuple(DialoguePlacement(path=p, start_s=t)
                       for p, (t, *_rest) in zip(lines, LINES))
    sound = mix(MixSpec(duration=D, out=d / "mix.wav", score=score, dialogue=placements))
    stem = mix(MixSpec(duration=D, out=d / "stem.wav", dialogue=placements))
    video = d / "video.mp4"
    ffmpeg.run(["-f", "lavfi", "-i", f"testsrc2=s={W}x{H}:r=30:d={D}", "-an",
                *ffmpeg.video_encode_args(form.FPS), str(video)], what="video")
    out = mux(video, sound, d / "film.mp4", label_metadata(
        title="timing", producer="microfilm", produce_id="test-timing"))
    return {"film": out, "placements": placements, "stem": stem, "dir": d}


def plan(**kw) -> QCPlan:
    return QCPlan(width=W, height=H, duration_s=D, **kw)


SOURCES = ["placements", "stem", "master"]


def timing_plan(film: dict, source: str, cues: list[Cue]) -> QCPlan:
    if source == "placements":
        return plan(cues=cues, dialogue=film["placements"])
    if source == "stem":
        return plan(cues=cues, dialogue_stem=film["stem"])
    return plan(cues=cues)


@pytest.mark.parametrize("source", SOURCES)
def test_correct_cues_pass(film, source):
    report = run_qc(film["film"], timing_plan(film, source, good_cues()))
    check = report.check("subtitle_timing")
    assert check.passed, check.detail
    assert report.passed, report.summary()
    assert report.facts.voice_source.startswith(
        {"placements": "dialogue placements", "stem": "dialogue stem",
         "master": "master audio"}[source])
    # the voice was found where it is: one stretch per line, onset inside the WAV found
    assert len(report.facts.voice) == len(LINES)
    exact = 0.03 if source == "placements" else 0.12
    for seg, (t, v, *_rest) in zip(report.facts.voice, LINES):
        assert seg.start == pytest.approx(t + LEAD_S, abs=exact)
        assert seg.end == pytest.approx(t + LEAD_S + v, abs=exact + 0.05)
    assert [c.number for c in report.facts.cue_timing] == [1, 2, 3]
    assert all(abs(c.onset_error_s) <= exact for c in report.facts.cue_timing)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("shift", [0.6, -0.5])
def test_a_shifted_cue_fails_naming_it(film, source, shift):
    cues = good_cues()
    c = cues[1]
    cues[1] = Cue(round(c.start + shift, 3), round(c.end + shift, 3), c.text)
    report = run_qc(film["film"], timing_plan(film, source, cues))
    assert [x.name for x in report.failed] == ["subtitle_timing"]
    check = report.check("subtitle_timing")
    assert check.measured >= 1
    assert 'cue 2 "Where were you all night?"' in check.detail
    assert ("after" if shift > 0 else "before") in check.detail
    assert "cue 1" not in check.detail and "cue 3" not in check.detail
    bad = [t for t in report.facts.cue_timing if not t.passed]
    assert [t.number for t in bad] == [2]
    assert bad[0].onset_error_s == pytest.approx(shift, abs=0.15)


def test_all_cues_late_fail_each_one(film):
    cues = [Cue(c.start + 0.45, c.end + 0.45, c.text) for c in good_cues()]
    report = run_qc(film["film"], timing_plan(film, "placements", cues))
    check = report.check("subtitle_timing")
    assert not check.passed and check.measured == 3
    for n, (*_rest, text) in enumerate(LINES, 1):
        assert f'cue {n} "{text[:23]}' in check.detail


@pytest.mark.parametrize("source", ["placements", "master"])
def test_a_cue_ending_before_its_line_fails(film, source):
    cues = good_cues()
    c = cues[2]
    cues[2] = Cue(c.start, c.start + 0.5, c.text)  # the line speaks for 1.1 s
    report = run_qc(film["film"], timing_plan(film, source, cues))
    check = report.check("subtitle_timing")
    assert not check.passed
    assert 'cue 3 "雨停了，我们走吧。": ends' in check.detail
    assert "before the voice does" in check.detail


def test_a_line_split_into_two_cues_is_one_voice(film):
    """layout() turns a long line into consecutive cues: only the first must meet the
    onset, only the last must outlast the voice."""
    cues = good_cues()
    c = cues[1]
    mid = round((c.start + c.end) / 2, 3)
    cues[1:2] = [Cue(c.start, mid, "Where were you"), Cue(mid, c.end, "all night?")]
    report = run_qc(film["film"], timing_plan(film, "placements", cues))
    assert report.check("subtitle_timing").passed, report.check("subtitle_timing").detail
    assert len(report.facts.cue_timing) == 4


def test_voice_without_a_cue_and_cue_without_voice(film):
    cues = good_cues()
    del cues[0]  # line 1 speaks with no subtitle
    cues.append(Cue(9.0, 9.8, "nobody says this"))
    report = run_qc(film["film"], timing_plan(film, "stem", cues))
    detail = report.check("subtitle_timing").detail
    assert "voice at 1.2" in detail and "has no cue" in detail
    assert 'cue 3 "nobody says this": no voice under it' in detail


def test_silent_film_has_nothing_to_time_against(tmp_path, film):
    video = tmp_path / "v.mp4"
    ffmpeg.run(["-f", "lavfi", "-i", f"testsrc2=s={W}x{H}:r=30:d=2", "-an",
                *ffmpeg.video_encode_args(form.FPS), str(video)], what="silent video")
    report = run_qc(video, QCPlan(width=W, height=H, cues=[(0.5, 1.5, "hello")]))
    check = report.check("subtitle_timing")
    assert not check.passed and "no sound" in check.detail


def test_missing_stem_names_the_file(film, tmp_path):
    with pytest.raises(MediaError, match="stem.*nope.wav"):
        run_qc(film["film"], plan(cues=good_cues(), dialogue_stem=tmp_path / "nope.wav"))


def test_plan_without_cues_is_unchanged(film, tmp_path):
    report = run_qc(film["film"], plan())
    assert "subtitle_timing" not in {c.name for c in report.checks}
    assert report.facts.voice == [] and report.facts.cue_timing == []
    import json

    from microfilm.media.qc import write_report

    saved = json.loads(write_report(report, tmp_path / "qc.json").read_text())
    assert saved["passed"] is True and saved["facts"]["cue_timing"] == []


def test_timing_report_serialises_per_cue(film, tmp_path):
    cues = good_cues()
    cues[0] = Cue(cues[0].start + 0.7, cues[0].end + 0.7, cues[0].text)
    report = run_qc(film["film"], timing_plan(film, "placements", cues))
    import json

    saved = json.loads(report.write(tmp_path / "qc.json").read_text())
    assert saved["passed"] is False
    first = saved["facts"]["cue_timing"][0]
    assert first["number"] == 1 and first["passed"] is False
    assert first["text"] == "妈，我回来了。" and first["onset_error_s"] == pytest.approx(0.7, abs=0.05)
    assert saved["facts"]["voice_source"] == "dialogue placements"


def test_plan_accepts_tuples_and_round_trips_json(film):
    p = plan(cues=[(1.25, 2.8, "妈，我回来了。")], dialogue=[(film["placements"][0].path, 1.0)])
    assert isinstance(p.cues[0], Cue) and p.dialogue[0].start_s == 1.0
    assert QCPlan.model_validate_json(p.model_dump_json()) == p


def test_voiced_hysteresis_merges_word_gaps():
    import numpy as np

    db = np.full(300, -80.0)
    db[50:80] = -20.0   # a word
    db[95:120] = -20.0  # 0.15 s later: same line
    db[200:203] = -20.0  # a 30 ms click: dropped
    db[250:260] = -45.0  # above low, never above high: not voice
    segs = voiced(db, high=-30.0, low=-50.0)
    assert [(s.start, s.end) for s in segs] == [(0.5, 1.2)]


@pytest.fixture(scope="module")
def house_film(tmp_path_factory) -> dict:
    """Real speech (the house eSpeak voice, zh and en) over the house composer's score."""
    from microfilm.providers.base import ScoreRequest, SpeechRequest
    from microfilm.providers.house.composer import HouseComposer
    from microfilm.providers.house.voice import HouseVoice
    from microfilm.spec.bible import VoiceSpec

    if HouseVoice.missing() or HouseComposer.missing():
        pytest.skip(f"house voice/composer unavailable: {HouseVoice.missing()}")
    d = tmp_path_factory.mktemp("qc_house")
    said = [("zh", "妈，我回来了。你怎么又不吃早饭？", VoiceSpec(gender="female")),
            ("en", "Where were you all night? I waited by the door.", VoiceSpec(gender="male")),
            ("zh", "雨停了，我们出去走走吧。", VoiceSpec(gender="male", pitch=30)),
            ("en", "Thank you for waiting for me.", VoiceSpec(gender="female", pitch=70))]
    t, placements, cues = 1.0, [], []
    for i, (lang, text, spec) in enumerate(said):
        r = HouseVoice().speak(SpeechRequest(text=text, language=lang, voice=spec,
                                             out=d / f"l{i}.wav"))
        placements.append(DialoguePlacement(path=r.path, start_s=round(t, 3)))
        cues.append(Cue(round(t, 3), round(t + r.duration, 3), text))
        t += r.duration + 1.2
    dur = round(t + 0.8, 3)
    score = HouseComposer().compose(ScoreRequest(
        genre="touching-family", mood="warm", tempo_bpm=80, mode="major", duration=dur,
        out=d / "score.wav")).path
    sound = mix(MixSpec(duration=dur, out=d / "mix.wav", score=score,
                        dialogue=tuple(placements)))
    video = d / "v.mp4"
    ffmpeg.run(["-f", "lavfi", "-i", f"testsrc2=s={W}x{H}:r=30:d={dur}", "-an",
                *ffmpeg.video_encode_args(form.FPS), str(video)], what="video")
    film = mux(video, sound, d / "film.mp4", label_metadata(
        title="house", producer="microfilm", produce_id="test-house"))
    return {"film": film, "placements": tuple(placements), "cues": cues}


def test_house_voice_over_house_score_from_the_master_sound(house_film):
    """The fallback on real speech: between lines the score is as loud as the voice, so the
    detector must tell them apart by modulation, and agree with the exact placements."""
    exact = run_qc(house_film["film"], QCPlan(width=W, height=H, cues=house_film["cues"],
                                              dialogue=house_film["placements"]))
    approx = run_qc(house_film["film"], QCPlan(width=W, height=H, cues=house_film["cues"]))
    for report in (exact, approx):
        assert report.check("subtitle_timing").passed, report.check("subtitle_timing").detail
    assert len(approx.facts.voice) == len(exact.facts.voice) == 4
    for a, e in zip(approx.facts.voice, exact.facts.voice):
        assert a.start == pytest.approx(e.start, abs=0.2)
        assert a.end == pytest.approx(e.end, abs=0.2)
    cues = list(house_film["cues"])
    c = cues[2]
    cues[2] = Cue(c.start + 0.5, c.end + 0.5, c.text)
    report = run_qc(house_film["film"], QCPlan(width=W, height=H, cues=cues))
    detail = report.check("subtitle_timing").detail
    assert 'cue 3 "雨停了，我们出去走走吧。": starts' in detail and "after the voice" in detail
    assert "cue 1" not in detail and "cue 2" not in detail and "cue 4" not in detail
