"""The house composer writes one exact-length, clickless, level-sane stereo score."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest

from microfilm.errors import ProviderError
from microfilm.form import PRESETS, Genre
from microfilm.providers.base import Composer, ScoreRequest
from microfilm.providers.house import composer
from microfilm.providers.house.composer import HouseComposer

SR = 48000


def request(tmp_path: Path, name: str = "score.wav", **overrides) -> ScoreRequest:
    preset = PRESETS[Genre(overrides.pop("genre", "touching-family"))]
    fields = dict(genre=preset.genre.value, mood=preset.music_mood, tempo_bpm=preset.tempo_bpm,
                  mode=preset.mode, duration=20.0, scene_starts=(8.0, 14.0), seed=1)
    fields.update(overrides)
    return ScoreRequest(out=tmp_path / name, **fields)


def compose(req: ScoreRequest) -> tuple[np.ndarray, float]:
    result = HouseComposer().compose(req)
    with wave.open(str(result.path), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (SR, 2, 2)
        x = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").reshape(-1, 2) / 32768.0
    assert result.duration == pytest.approx(x.shape[0] / SR, abs=1e-9)
    return x, result.duration


def click_ratio(x: np.ndarray) -> float:
    """Largest discontinuity over the 99.9th percentile one.

    The third difference is near zero for smooth musical waveforms and equals the step for
    a discontinuity, so a click stands out of the music around it.
    """
    jumps = np.abs(np.diff(x, n=3, axis=0)).max(axis=1)
    return float(jumps.max() / max(np.quantile(jumps, 0.999), 1e-9))


def test_is_a_composer_provider():
    assert isinstance(HouseComposer(), Composer)
    info = HouseComposer.info
    assert (info.id, info.capability, info.model, info.version) == (
        "house-composer", "composer", "procedural-score", "1")


@pytest.mark.parametrize("genre", [g.value for g in Genre])
def test_every_genre_mood_is_exact_clean_and_level(tmp_path, genre):
    x, duration = compose(request(tmp_path, genre=genre, duration=17.3))
    assert x.shape[0] == round(17.3 * SR)  # exact: the bed lasts as long as the cut
    assert duration == pytest.approx(17.3, abs=1 / SR)
    assert not np.allclose(x[:, 0], x[:, 1])  # real stereo, not two copies
    peak_db = 20 * np.log10(np.max(np.abs(x)))
    assert peak_db < -3.0
    loudness = pyloudnorm.Meter(SR).integrated_loudness(x)
    assert -23.0 < loudness < -17.0, loudness
    assert click_ratio(x) < 3.0
    assert np.max(np.abs(np.diff(x, axis=0))) < 0.15  # max sample-to-sample jump


def test_click_detector_would_catch_a_click(tmp_path):
    x, _ = compose(request(tmp_path))
    clicked = x.copy()
    clicked[SR * 10:, :] += 0.08  # a step: what a note cut without an envelope does
    assert click_ratio(x) < 3.0 <= click_ratio(clicked)


@pytest.mark.parametrize("timbre", ["marimba", "epiano", "pluck", "zheng", "bell"])
def test_every_note_starts_and_ends_at_zero(timbre):
    note = composer._pluck(timbre, 72, SR, 0.8)
    assert note[0] == 0.0 and note[-1] == 0.0 and np.max(np.abs(note)) == pytest.approx(1.0)
    assert np.max(np.abs(note[-50:])) < 0.01
    pad = composer._pad_chord((48, 60, 64, 67), SR * 2, 1.8, SR // 2, SR // 2)
    assert np.all(pad[:, 0] == 0.0) and np.all(pad[:, -1] == 0.0)
    bass = composer._bass(40, SR)
    assert bass[0] == 0.0 and bass[-1] == 0.0


def test_fades_in_and_out(tmp_path):
    x, _ = compose(request(tmp_path, duration=20.0))

    def rms(a: np.ndarray) -> float:
        return float(np.sqrt(np.mean(a * a)))

    body = rms(x[5 * SR:15 * SR])
    assert rms(x[: int(0.2 * SR)]) < 0.25 * body  # starts from silence
    assert rms(x[-int(0.3 * SR):]) < 0.1 * body  # the last moments have faded
    assert rms(x[-int(2.5 * SR):-int(1.5 * SR)]) < rms(x[-int(4.5 * SR):-int(3.5 * SR)])
    assert np.max(np.abs(x[-10:])) < 1e-3 and np.max(np.abs(x[:10])) < 1e-3


def test_same_request_same_file_and_seeds_and_moods_differ(tmp_path):
    a, _ = compose(request(tmp_path, "a.wav", seed=1))
    again, _ = compose(request(tmp_path, "again.wav", seed=1))
    assert np.array_equal(a, again)
    other_seed, _ = compose(request(tmp_path, "b.wav", seed=2))
    other_mood, _ = compose(request(tmp_path, "c.wav", genre="grassroots-spoof"))
    for other in (other_seed, other_mood):
        assert a.shape == other.shape
        corr = np.corrcoef(a[:, 0], other[:, 0])[0, 1]
        assert abs(corr) < 0.5, corr


def spectrum_profile(x: np.ndarray) -> np.ndarray:
    """Energy per semitone-ish band of a mono excerpt, normalised (what notes sound)."""
    mono = x.mean(axis=1)
    spec = np.abs(np.fft.rfft(mono * np.hanning(mono.size))) ** 2
    freqs = np.fft.rfftfreq(mono.size, 1 / SR)
    edges = 55.0 * 2 ** (np.arange(0, 6 * 12 + 1) / 12)
    bands = np.array([spec[(freqs >= lo) & (freqs < hi)].sum() for lo, hi in zip(edges, edges[1:])])
    return bands / bands.sum()


@pytest.mark.parametrize("genre", ["touching-family", "grassroots-spoof"])
def test_a_scene_change_swells_and_changes_the_music(tmp_path, genre):
    with_change = request(tmp_path, "a.wav", genre=genre, duration=40.0, scene_starts=(20.0,),
                          seed=5)
    x, _ = compose(with_change)
    y, _ = compose(request(tmp_path, "b.wav", genre=genre, duration=40.0, scene_starts=(),
                           seed=5))
    bar = 4 * 60 / with_change.tempo_bpm
    boundary = round(20.0 / bar) * bar  # the change lands on the nearest bar

    def part(a: np.ndarray, start_bars: float, end_bars: float) -> np.ndarray:
        return a[int((boundary + start_bars * bar) * SR):int((boundary + end_bars * bar) * SR)]

    def rms(a: np.ndarray) -> float:
        return float(np.sqrt(np.mean(a * a)))

    # the same scene before the change is the same music (up to the master's gain)
    assert np.corrcoef(part(x, -5, -3)[:, 0], part(y, -5, -3)[:, 0])[0, 1] > 0.99
    # the bar before the change swells into it ...
    level = rms(part(y, -5, -3)) / rms(part(x, -5, -3))  # undo the master's gain difference
    assert rms(part(x, -0.25, 0)) > 1.15 * rms(part(x, -1, -0.75))
    assert rms(part(x, -0.25, 0)) * level > 1.2 * rms(part(y, -0.25, 0))
    # ... and the new scene plays other music than the old one would have
    new, old = spectrum_profile(part(x, 1, 5)), spectrum_profile(part(y, 1, 5))
    before_x, before_y = spectrum_profile(part(x, -5, -1)), spectrum_profile(part(y, -5, -1))
    assert np.abs(new - old).sum() > 3 * np.abs(before_x - before_y).sum()
    assert np.abs(new - old).sum() > 0.2


@pytest.mark.parametrize("field,value,match", [
    ("mode", "dorian", "mode 'dorian'.*allowed: major, minor, pentatonic"),
    ("duration", 0.0, "duration"),
    ("tempo_bpm", 5, "tempo_bpm"),
])
def test_bad_requests_are_clear_errors(tmp_path, field, value, match):
    with pytest.raises(ProviderError, match=match):
        compose(request(tmp_path, **{field: value}))
    assert not (tmp_path / "score.wav").exists()


def test_unknown_mood_still_scores(tmp_path):
    x, _ = compose(request(tmp_path, mood="nostalgic jazz", duration=6.0))
    assert x.shape[0] == 6 * SR and np.sqrt(np.mean(x * x)) > 0.01
