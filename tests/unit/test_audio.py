"""The mix, checked with meters that are not ours: pyloudnorm for loudness, a scipy 4x
oversampled peak for true peak, FFT band levels for the duck, sample steps for clicks."""

from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from microfilm import form
from microfilm.errors import SpecError
from microfilm.media import ffmpeg
from microfilm.media.audio import ClipPlacement, MixSpec, mix, render_mix
from microfilm.media.loudness import measure, parse_summaries

SR = 48_000


def make(path: Path, *lavfi_and_args: str) -> Path:
    ffmpeg.run(["-f", "lavfi", "-i", lavfi_and_args[0], *lavfi_and_args[1:], str(path)],
               what=f"test input {path.name}")
    return path


def read_wav(path: Path) -> np.ndarray:
    """(samples, channels) float64 from a 16-bit WAV, with the standard library only."""
    with wave.open(str(path)) as w:
        assert w.getsampwidth() == 2 and w.getframerate() == SR
        data = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768
        return data.reshape(-1, w.getnchannels())


def true_peak_db(x: np.ndarray) -> float:
    up = resample_poly(x, 4, 1, axis=0)
    return 20 * math.log10(np.abs(up).max())


def band_db(x: np.ndarray, t0: float, t1: float, freq: float) -> float:
    seg = x[int(t0 * SR): int(t1 * SR), 0]
    spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
    freqs = np.fft.rfftfreq(len(seg), 1 / SR)
    k = int(np.argmin(np.abs(freqs - freq)))
    return 20 * math.log10(spec[k - 3: k + 4].max() / (len(seg) / 4) + 1e-12)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("audio_in")
    return {
        # "Dialogue": tones with a syllable-like tremolo, mono 48 kHz like the house voice.
        "line_a": make(d / "a.wav", "aevalsrc=0.4*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*4*t))"
                       ":s=48000:d=2.5"),
        "line_b": make(d / "b.wav", "aevalsrc=0.05*sin(2*PI*330*t)*(0.6+0.4*sin(2*PI*3*t))"
                       ":s=48000:d=2.0"),
        "tone300": make(d / "t300.wav", "sine=f=300:r=48000:d=3"),
        # Starts at full amplitude (cosine): an unfaded placement would click.
        "cos200": make(d / "cos.wav", "aevalsrc=0.5*cos(2*PI*200*t):s=48000:d=1.5"),
        # Plucks: a sharp attack each half second, then a fast decay (high crest factor).
        "plucks": make(d / "plucks.wav",
                       "aevalsrc=0.9*sin(2*PI*1000*t)*exp(-60*mod(t\\,0.5)):s=48000:d=4"),
        "noise": make(d / "noise.wav", "anoisesrc=c=pink:r=48000:a=0.2:d=20", "-ac", "2"),
        "score3k": make(d / "s3k.wav", "sine=f=3000:r=48000:d=20", "-ac", "2"),
        # A generated clip with its own audio (video + AAC), to keep for its shot.
        "clip": make(d / "clip.mp4", "testsrc2=s=64x64:r=30:d=3", "-f", "lavfi", "-i",
                     "sine=f=500:r=48000:d=3", "-shortest", "-c:v", "libx264", "-c:a", "aac"),
    }


def test_mix_meets_loudness_targets_on_independent_meters(inputs, tmp_path):
    spec = MixSpec(
        duration=20.0, out=tmp_path / "mix.wav",
        dialogue=[(inputs["line_a"], 1.0, 0.0), (inputs["line_b"], 6.0, 0.0),
                  (inputs["line_a"], 11.0, -3.0), (inputs["line_b"], 12.5, 0.0)],
        score=inputs["noise"],
        # a pure tone is what media.clip_music takes out as music: placed as a wanted sound
        effects=[ClipPlacement(path=inputs["clip"], start_s=15.0, duration=2.0, gain_db=-6.0,
                               drop_music=False)],
        scene_changes=(10.0,),
    )
    result = render_mix(spec)
    x = read_wav(result.path)
    assert x.shape == (20 * SR, 2)
    lufs = pyloudnorm.Meter(SR).integrated_loudness(x)
    assert abs(lufs - form.TARGET_LUFS) <= 1.0, lufs
    assert true_peak_db(x) <= -1.0
    assert abs(result.loudness.integrated_lufs - lufs) < 0.5  # our meter agrees
    # The kept clip audio (500 Hz) is there, and only inside its placement.
    assert band_db(x, 15.5, 16.5, 500) > band_db(x, 18.0, 19.0, 500) + 15


def test_peaky_mix_is_true_peak_limited(inputs, tmp_path):
    # Plucks: at -14 LUFS their attacks would land over 0 dBFS without the limiter.
    result = render_mix(MixSpec(duration=6.0, out=tmp_path / "peaky.wav",
                                dialogue=[(inputs["plucks"], 1.0, 0.0)], level_lines=False))
    x = read_wav(result.path)
    assert result.limited
    assert true_peak_db(x) <= -1.0
    assert abs(pyloudnorm.Meter(SR).integrated_loudness(x) - form.TARGET_LUFS) <= 1.0


def test_score_ducks_under_dialogue_and_recovers(inputs, tmp_path):
    out = mix(MixSpec(duration=20.0, out=tmp_path / "duck.wav",
                      dialogue=[(inputs["tone300"], 8.0, 0.0)], score=inputs["score3k"],
                      scene_changes=(16.0,)))
    x = read_wav(out)
    before = band_db(x, 5.0, 7.5, 3000)
    during = band_db(x, 8.5, 10.5, 3000)
    after = band_db(x, 12.0, 14.0, 3000)
    assert 6.0 <= before - during <= 13.0, (before, during)
    assert abs(after - before) < 0.5
    # Attack about 20 ms: ducked within the line's first 100 ms.
    assert before - band_db(x, 8.05, 8.15, 3000) > 5.0
    # The dialogue itself sits above the score.
    assert band_db(x, 8.5, 10.5, 300) > during + 10
    # The score swells by about scene_swell_db (2 dB) at the scene change.
    assert 1.5 <= band_db(x, 15.95, 16.05, 3000) - before <= 2.5


def test_clip_audio_marked_as_speech_ducks_the_score(inputs, tmp_path):
    clip = {"path": inputs["clip"], "start_s": 8.0, "duration": 2.5, "ducks_score": True,
            "drop_music": False}  # a tone stands in for speech here
    x = read_wav(mix(MixSpec(duration=20.0, out=tmp_path / "duck_clip.wav",
                             effects=[clip], score=inputs["score3k"])))
    assert 6.0 <= band_db(x, 5.0, 7.5, 3000) - band_db(x, 8.5, 10.0, 3000) <= 13.0


def test_no_clicks_at_placement_edges(inputs, tmp_path):
    out = mix(MixSpec(duration=6.0, out=tmp_path / "edges.wav",
                      dialogue=[(inputs["cos200"], 1.0, 0.0)],
                      effects=[ClipPlacement(path=inputs["cos200"], start_s=3.5, duration=1.0,
                                             drop_music=False)]))
    x = read_wav(out)[:, 0]
    step = np.abs(np.diff(x))
    for edges, (s0, s1) in (((1.0, 2.5), (1.5, 2.0)), ((3.5, 4.5), (3.8, 4.2))):
        steady = step[int(s0 * SR): int(s1 * SR)].max()  # inside the placement
        assert steady > 0.001  # the tone is there (a click would step by ~0.1)
        for edge in edges:  # the placement's start and end
            lo, hi = int((edge - 0.02) * SR), int((edge + 0.02) * SR)
            assert step[lo:hi].max() <= 1.2 * steady, f"click at {edge} s"
    # The line starts where it was placed (first non-silent sample within 6 ms of 1.0 s).
    onset = np.argmax(np.abs(x) > 1e-3) / SR
    assert 1.0 <= onset <= 1.006


def test_missing_input_is_named(tmp_path):
    with pytest.raises(SpecError, match=r"dialogue\[0\]"):
        mix(MixSpec(duration=5.0, out=tmp_path / "x.wav",
                    dialogue=[(tmp_path / "nope.wav", 1.0, 0.0)]))
    with pytest.raises(ValueError, match="after the film's end"):
        MixSpec(duration=5.0, out=tmp_path / "x.wav", dialogue=[(tmp_path / "a.wav", 6.0)])
    assert not (tmp_path / "x.wav").exists()


def test_measure_agrees_with_pyloudnorm(inputs):
    loud = measure(inputs["noise"])
    with wave.open(str(inputs["noise"])) as w:
        x = np.frombuffer(w.readframes(w.getnframes()), "<i2").reshape(-1, 2) / 32768
    assert abs(loud.integrated_lufs - pyloudnorm.Meter(SR).integrated_loudness(x)) < 0.3
    assert abs(loud.true_peak_dbtp - true_peak_db(x)) < 0.5


def test_parse_summaries_handles_silence_and_noise_around():
    log = ("[Parsed_silencedetect_1 @ 0x1] silence_start: 1\n"
           "[Parsed_ebur128_0 @ 0x2] Summary:\n\n  Integrated loudness:\n"
           "    I:         -70.0 LUFS\n    Threshold:   0.0 LUFS\n\n  Loudness range:\n"
           "    LRA:         0.0 LU\n    Threshold:   0.0 LUFS\n\n  True peak:\n"
           "    Peak:       -inf dBFS\n[out#0/null @ 0x3] video:0KiB\n")
    (loud,) = parse_summaries(log)
    assert loud.integrated_lufs == -70.0 and loud.true_peak_dbtp == -math.inf
    assert parse_summaries("no meter here") == []
