"""The house composer: one continuous procedural score for the whole film.

Why procedural: a film needs a bed of music that lasts exactly as long as the cut, follows
its genre's mood and marks its scene changes, offline and free. The score is built like a
small band: a chord progression in the preset's mode and tempo, a soft pad, a plucked motif
and a gentle bass, placed in the stereo field and sent to a light reverb. Each scene gets
its own progression, motif and register, entered on the bar nearest the scene change with a
swell, so scenes feel distinct while the bed stays continuous.

Everything is numpy: every note is a cached, enveloped template added into the buffer at its
onset (no per-sample Python loop), so a 10-minute score renders in a few seconds, and every
note starts and ends at zero, so nothing clicks. The same request and seed give the same
file, byte for byte.
"""

from __future__ import annotations

import math
import wave
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import numpy as np

from microfilm.errors import ProviderError
from microfilm.form import SAMPLE_RATE
from microfilm.fsutil import atomic_output
from microfilm.providers.base import (
    AudioResult,
    Capabilities,
    HouseProvider,
    ProviderInfo,
    ScoreRequest,
)

SR = SAMPLE_RATE
TARGET_LUFS = -20.0
PEAK_DBFS = -3.5  # sample peak ceiling; keeps true peak under -3 dBFS
FADE_IN_S = 1.5
FADE_OUT_S = 2.5
MAX_SCORE_S = 3600.0
_REVERB_DECIMATE = 4  # the reverb runs at 12 kHz: tails are dark anyway, and it is 4x cheaper

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "pentatonic": (0, 2, 4, 7, 9),
}

# Progressions as scale-degree indexes (chords are stacked in scale thirds; in the
# pentatonic scale that stacking gives open, quartal-sounding chords).
PROGRESSIONS: dict[str, tuple[tuple[int, ...], ...]] = {
    "major": ((0, 4, 5, 3), (0, 5, 3, 4), (5, 3, 0, 4), (0, 3, 5, 4), (0, 2, 3, 4), (3, 4, 2, 5)),
    "minor": ((0, 5, 2, 6), (0, 3, 5, 4), (0, 6, 5, 6), (0, 5, 3, 4), (0, 3, 6, 2)),
    "pentatonic": ((0, 3, 4, 1), (4, 1, 0, 3), (0, 1, 3, 0), (4, 3, 1, 4), (0, 4, 3, 1)),
}

KEYS = (0, 2, 3, 5, 7, 9, 10)  # C D Eb F G A Bb: keys that sit well for pad and bass


@dataclass(frozen=True)
class MoodStyle:
    """How a mood sounds: timbres, density and space."""

    pad_gain: float
    pad_tilt: float  # harmonic roll-off exponent: higher is darker
    pad_attack: float  # seconds
    pad_release: float
    pluck: str  # timbre of the motif: marimba, epiano, pluck, zheng, bell
    pluck_gain: float
    pluck_decay: float  # seconds (time constant)
    step_beats: float  # the motif's grid
    density: float  # chance that a motif slot sounds
    bass_gain: float
    bass_beats: tuple[float, ...]  # onsets within a bar
    bass_length: float  # beats
    reverb: float  # wet level
    bars_per_chord: int = 1
    sevenths: bool = False
    rising: bool = False  # intensity grows over the film
    register: int = 67  # lowest motif note (MIDI)


MOODS: dict[str, MoodStyle] = {
    "playful": MoodStyle(0.14, 1.6, 0.12, 0.5, "marimba", 0.55, 0.32, 0.5, 0.8,
                         0.5, (0.0, 2.0, 3.5), 0.7, 0.15),
    "tender": MoodStyle(0.22, 1.9, 0.8, 1.5, "epiano", 0.42, 0.9, 0.5, 0.6,
                        0.38, (0.0,), 3.6, 0.3, sevenths=True),
    "rising": MoodStyle(0.2, 1.4, 0.5, 1.0, "pluck", 0.45, 0.55, 0.5, 0.75,
                        0.45, (0.0, 1.0, 2.0, 3.0), 0.85, 0.25, rising=True),
    "elegiac": MoodStyle(0.24, 2.0, 1.2, 2.0, "zheng", 0.5, 1.1, 1.0, 0.6,
                         0.35, (0.0,), 3.8, 0.35, register=62),
    "warm": MoodStyle(0.22, 1.7, 0.7, 1.2, "epiano", 0.4, 0.8, 0.5, 0.65,
                      0.42, (0.0, 2.0), 1.8, 0.25, sevenths=True),
    "serene": MoodStyle(0.26, 2.2, 1.5, 2.5, "bell", 0.32, 1.6, 1.0, 0.45,
                        0.3, (0.0,), 7.6, 0.4, bars_per_chord=2, register=72),
}
DEFAULT_MOOD = "warm"


def style_for(mood: str) -> MoodStyle:
    """The style of a mood; a mood we do not know (free text) gets the warm bed."""
    return MOODS.get(mood.strip().lower(), MOODS[DEFAULT_MOOD])


# ---- sound sources ----------------------------------------------------------------------

_TABLE_SIZE = 4096


def _midi_hz(midi: float) -> float:
    return 440.0 * 2.0 ** ((midi - 69.0) / 12.0)


def _raised_cosine(n: int) -> np.ndarray:
    """0 -> 1 over n samples, smooth at both ends."""
    if n <= 0:
        return np.ones(0, np.float32)
    return (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))).astype(np.float32)


def _envelope(n: int, attack: int, release: int) -> np.ndarray:
    """An envelope that starts and ends at exactly zero: every note is clickless."""
    env = np.ones(n, np.float32)
    attack = max(1, min(attack, n // 2))
    release = max(1, min(release, n - attack))
    env[:attack] = _raised_cosine(attack)
    env[n - release:] = _raised_cosine(release)[::-1]
    env[0] = env[-1] = 0.0
    return env


@lru_cache(maxsize=64)
def _wavetable(tilt: float, harmonics: int) -> np.ndarray:
    """One cycle of a soft sawtooth-like wave: harmonic k at 1/k**tilt."""
    x = np.arange(_TABLE_SIZE) / _TABLE_SIZE
    k = np.arange(1, harmonics + 1)[:, None]
    table = np.sum(np.sin(2 * np.pi * k * x) / k**tilt, axis=0)
    return (table / np.max(np.abs(table))).astype(np.float32)


def _osc(table: np.ndarray, freq: float, n: int, phase: float = 0.0) -> np.ndarray:
    """Read `table` at `freq` for n samples: a 16.16 fixed-point phase, all integer math."""
    step = int(round(freq * _TABLE_SIZE * 65536 / SR))
    start = int(phase % 1.0 * _TABLE_SIZE * 65536)
    idx = (np.arange(n, dtype=np.int64) * step + start) >> 16
    return table[idx & (_TABLE_SIZE - 1)]


def _harmonics_below(freq: float, limit_hz: float = 9000.0, most: int = 8) -> int:
    return max(1, min(most, int(limit_hz // max(freq, 1.0))))


@lru_cache(maxsize=256)
def _pad_chord(midis: tuple[int, ...], n: int, tilt: float, attack: int, release: int) -> np.ndarray:
    """A stereo pad chord: two slightly detuned voices per note, one leaning each way."""
    out = np.zeros((2, n), np.float32)
    for i, midi in enumerate(midis):
        f = _midi_hz(midi)
        table = _wavetable(tilt, _harmonics_below(f, 6000.0, 7))
        cents = 4.0 + (i % 3)
        a = _osc(table, f * 2 ** (cents / 1200), n, phase=0.13 * i)
        b = _osc(table, f * 2 ** (-cents / 1200), n, phase=0.57 + 0.29 * i)
        out[0] += 0.65 * a + 0.35 * b
        out[1] += 0.35 * a + 0.65 * b
    out *= _envelope(n, attack, release) / max(1, len(midis))
    return out


@lru_cache(maxsize=512)
def _pluck(timbre: str, midi: int, n: int, decay: float) -> np.ndarray:
    """A mono plucked/struck note of `timbre`; it decays and ends at zero."""
    f = _midi_hz(midi)
    t = np.arange(n, dtype=np.float64) / SR
    if timbre == "epiano":
        index = 1.3 * np.exp(-t / 0.25)
        y = np.sin(2 * np.pi * f * t + index * np.sin(2 * np.pi * f * t)) * np.exp(-t / decay)
        y += 0.15 * np.sin(4 * np.pi * f * t) * np.exp(-t / (decay * 0.5))
    elif timbre in ("marimba", "bell"):
        if timbre == "marimba":
            partials = ((1.0, 1.0, 1.0), (3.93, 0.3, 0.35), (9.2, 0.06, 0.15))
        else:
            partials = ((1.0, 1.0, 1.0), (2.0, 0.45, 0.7), (3.0, 0.25, 0.5),
                        (4.2, 0.15, 0.35), (5.4, 0.08, 0.25))
        y = np.zeros(n)
        for ratio, amp, life in partials:
            if f * ratio < 9000.0:
                y += amp * np.sin(2 * np.pi * f * ratio * t) * np.exp(-t / (decay * life))
    else:  # "pluck" and "zheng": a string, upper harmonics dying first
        freq = np.full(n, f)
        if timbre == "zheng":  # the string settles from slightly sharp; later a slow vibrato
            freq = f * (1.0 + 0.008 * np.exp(-t / 0.05)
                        + 0.003 * np.clip((t - 0.35) / 0.3, 0, 1) * np.sin(2 * np.pi * 5.0 * t))
        phase = 2 * np.pi * np.cumsum(freq) / SR
        y = np.zeros(n)
        for k in range(1, _harmonics_below(f, 8000.0, 9) + 1):
            y += np.sin(k * phase) / k**1.2 * np.exp(-t * (1.0 + 0.45 * (k - 1)) / decay)
    y = y.astype(np.float32)
    y *= _envelope(n, int(0.004 * SR), int(0.03 * SR))
    return y / max(1e-6, float(np.max(np.abs(y))))


@lru_cache(maxsize=64)
def _bass(midi: int, n: int) -> np.ndarray:
    """A round bass note with a little 2nd/3rd harmonic so phones can hear it."""
    f = _midi_hz(midi)
    t = np.arange(n, dtype=np.float64) / SR
    y = np.sin(2 * np.pi * f * t) + 0.35 * np.sin(4 * np.pi * f * t) + 0.12 * np.sin(6 * np.pi * f * t)
    y *= 0.75 + 0.25 * np.exp(-t / 0.4)
    y = y.astype(np.float32) * _envelope(n, int(0.012 * SR), int(0.09 * SR))
    return y / float(np.max(np.abs(y)))


@lru_cache(maxsize=8)
def _riser(n: int, seed: int) -> np.ndarray:
    """A soft filtered-noise swell that grows into a scene change (stereo)."""
    rng = np.random.default_rng([seed, 77])
    noise = rng.standard_normal((2, n + 64))
    # two passes of a 32-tap moving average: a gentle low-pass (~1 kHz), no ringing
    kernel = np.ones(32) / 32
    smooth = np.stack([np.convolve(np.convolve(ch, kernel, "same"), kernel, "same") for ch in noise])
    smooth = smooth[:, 32:32 + n]
    shape = np.linspace(0.0, 1.0, n) ** 2.5
    y = (smooth * shape).astype(np.float32) * _envelope(n, int(0.05 * SR), int(0.04 * SR))
    return y / max(1e-6, float(np.max(np.abs(y))))


# ---- the plan: what plays when --------------------------------------------------------


@dataclass
class _Section:
    start_bar: int
    end_bar: int
    progression: tuple[int, ...]
    motif: tuple[tuple[int, int] | None, ...]  # per slot: (tone index, octave) or rest
    register: int
    pad_center: int


@dataclass
class _Plan:
    n: int
    bar_s: float
    beat_s: float
    n_bars: int
    key: int
    scale: tuple[int, ...]
    style: MoodStyle
    sections: list[_Section] = field(default_factory=list)


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed % (2**32), *stream])


def _chord_tones(degree: int, scale: tuple[int, ...], sevenths: bool) -> list[int]:
    """Semitones above the key of a chord built on `degree` by stacking scale thirds."""
    size = len(scale)
    count = 4 if sevenths and size == 7 else 3
    return [scale[(degree + 2 * i) % size] + 12 * ((degree + 2 * i) // size) for i in range(count)]


def _motif(rng: np.random.Generator, slots: int, density: float) -> tuple[tuple[int, int] | None, ...]:
    family = int(rng.integers(4))
    out: list[tuple[int, int] | None] = []
    for i in range(slots):
        if i > 0 and rng.random() > density:
            out.append(None)
            continue
        if family == 0:  # ascending
            tone = i % 4
        elif family == 1:  # up and down
            tone = (0, 1, 2, 3, 2, 1)[i % 6]
        elif family == 2:  # broken
            tone = (0, 2, 1, 3)[i % 4]
        else:
            tone = int(rng.integers(4))
        out.append((tone, int(rng.random() < 0.2)))
    return tuple(out)


def plan_score(request: ScoreRequest) -> _Plan:
    """Decide key, sections, progressions and motifs: everything but the samples."""
    mode = request.mode.strip().lower()
    if mode not in MODES:
        raise ProviderError(
            f"house-composer: mode {request.mode!r} is not known; allowed: {', '.join(MODES)}"
        )
    if not 0 < request.duration <= MAX_SCORE_S:
        raise ProviderError(
            f"house-composer: duration {request.duration} s is out of range "
            f"(0, {MAX_SCORE_S:.0f}]"
        )
    if not 30 <= request.tempo_bpm <= 240:
        raise ProviderError(
            f"house-composer: tempo_bpm {request.tempo_bpm} is out of range 30-240"
        )
    style = style_for(request.mood)
    beat_s = 60.0 / request.tempo_bpm
    bar_s = 4 * beat_s
    n = int(round(request.duration * SR))
    n_bars = int(math.ceil(request.duration / bar_s)) + 1
    rng = _rng(request.seed, 1)
    plan = _Plan(n, bar_s, beat_s, n_bars, int(rng.choice(KEYS)), MODES[mode], style)

    # Each scene change enters on the bar nearest to it.
    bounds = sorted({int(round(s / bar_s)) for s in request.scene_starts
                     if 0 < s < request.duration})
    bounds = [b for b in bounds if 0 < b < n_bars]
    edges = [0, *bounds, n_bars]
    bank = PROGRESSIONS[mode]
    slots = max(1, int(round(4 / style.step_beats)))
    previous = -1
    for i, (start, end) in enumerate(zip(edges, edges[1:])):
        srng = _rng(request.seed, 2, i)
        choice = int(srng.integers(len(bank)))
        if choice == previous:
            choice = (choice + 1 + int(srng.integers(len(bank) - 1))) % len(bank)
        previous = choice
        register = style.register + int(srng.choice((0, 0, 5, 7, -5)))
        plan.sections.append(_Section(
            start, end, bank[choice], _motif(srng, slots, style.density), register,
            pad_center=int(srng.choice((57, 60, 62))),
        ))
    return plan


def _voicing(plan: _Plan, tones: list[int], center: int) -> tuple[int, ...]:
    """Close pad voicing around `center` plus the root an octave below."""
    midis = []
    for semis in tones:
        pc = (plan.key + semis) % 12
        midi = center - 6 + ((pc - (center - 6)) % 12)
        midis.append(midi)
    root = center - 18 + ((plan.key + tones[0] - (center - 18)) % 12)
    return tuple(sorted({*midis, root}))


def _intensity(plan: _Plan, t: float, duration: float) -> float:
    if plan.style.rising:
        return 0.55 + 0.45 * min(1.0, t / max(duration, 1e-6))
    return 1.0


# ---- rendering -------------------------------------------------------------------------


def _add(buf: np.ndarray, start: int, sound: np.ndarray, gain_l: float, gain_r: float) -> None:
    """Mix `sound` (mono or stereo) into stereo `buf` at `start`, clipped to the buffer."""
    n = buf.shape[1]
    length = sound.shape[-1]
    lo, hi = max(0, start), min(n, start + length)
    if hi <= lo:
        return
    part = sound[..., lo - start:hi - start]
    if part.ndim == 1:
        buf[0, lo:hi] += gain_l * part
        buf[1, lo:hi] += gain_r * part
    else:
        buf[0, lo:hi] += gain_l * part[0]
        buf[1, lo:hi] += gain_r * part[1]


def _pan(p: float) -> tuple[float, float]:
    angle = (max(-1.0, min(1.0, p)) + 1.0) * math.pi / 4
    return math.cos(angle) * math.sqrt(2), math.sin(angle) * math.sqrt(2)


def _section_of(plan: _Plan, bar: int) -> _Section:
    for section in plan.sections:
        if section.start_bar <= bar < section.end_bar:
            return section
    return plan.sections[-1]


def _chord_degree(plan: _Plan, bar: int, duration: float) -> int:
    if bar * plan.bar_s >= duration - 2 * plan.bar_s and bar > 1:
        return 0  # the film ends on the home chord
    section = _section_of(plan, bar)
    k = (bar - section.start_bar) // plan.style.bars_per_chord
    return section.progression[k % len(section.progression)]


def render(request: ScoreRequest) -> np.ndarray:
    """The score as float32 stereo samples (2, n), before loudness and fades."""
    try:
        return _render(plan_score(request), request)
    finally:  # note templates are per score: do not keep them alive between films
        for memo in (_pad_chord, _pluck, _bass, _riser):
            memo.cache_clear()


def _render(plan: _Plan, request: ScoreRequest) -> np.ndarray:
    style = plan.style
    duration = request.duration
    buf = np.zeros((2, plan.n), np.float32)
    rng = _rng(request.seed, 3)

    # pad: one event per chord, overlapping by its release so chords cross-fade
    bar = 0
    attack, release = int(style.pad_attack * SR), int(style.pad_release * SR)
    while bar < plan.n_bars:
        section = _section_of(plan, bar)
        degree = _chord_degree(plan, bar, duration)
        span = 1
        while (span < style.bars_per_chord and bar + span < section.end_bar
               and _chord_degree(plan, bar + span, duration) == degree):
            span += 1
        tones = _chord_tones(degree, plan.scale, style.sevenths)
        start = int(round(bar * plan.bar_s * SR))
        length = int(round(span * plan.bar_s * SR)) + release
        chord = _pad_chord(_voicing(plan, tones, section.pad_center), length,
                           style.pad_tilt, attack, release)
        gain = style.pad_gain * _intensity(plan, bar * plan.bar_s, duration)
        _add(buf, start, chord, gain, gain)
        bar += span

    # motif: a per-scene cell on the chord's tones, repeated each bar with small variations
    slots = max(1, int(round(4 / style.step_beats)))
    step_s = style.step_beats * plan.beat_s
    note_n = int(min(6.0 * style.pluck_decay, 4.0) * SR)
    last_bar = int(duration / plan.bar_s)
    for bar in range(plan.n_bars):
        if bar == 0 and plan.n_bars > 4:
            continue  # the pad enters alone
        if bar >= last_bar and bar > 1:
            continue  # and ends alone under the fade
        section = _section_of(plan, bar)
        tones = _chord_tones(_chord_degree(plan, bar, duration), plan.scale, style.sevenths)
        pitches = sorted(section.register + ((plan.key + s - section.register) % 12) for s in tones)
        t_bar = bar * plan.bar_s
        level = _intensity(plan, t_bar, duration)
        for slot, cell in enumerate(section.motif):
            if cell is None:
                continue
            if (bar - section.start_bar) % 4 == 3 and slot == len(section.motif) - 1:
                continue  # every fourth bar breathes at its end
            if style.rising and rng.random() > 0.5 + 0.5 * level:
                continue
            tone, octave = cell
            midi = pitches[tone % len(pitches)] + 12 * (octave + tone // len(pitches))
            onset = t_bar + slot * step_s + float(rng.normal(0.0, 0.004))
            note = _pluck(style.pluck, int(midi), note_n, style.pluck_decay)
            gain = style.pluck_gain * level * float(rng.uniform(0.8, 1.0))
            if slot == 0:
                gain *= 1.15
            gl, gr = _pan(float(rng.uniform(-0.45, 0.45)))
            _add(buf, int(round(max(0.0, onset) * SR)), note, gain * gl, gain * gr)

    # reverb send: pad and motif, at a quarter of the rate
    send = _send(buf, _REVERB_DECIMATE)

    # bass
    for bar in range(plan.n_bars):
        if bar >= last_bar + 1:
            break
        tones = _chord_tones(_chord_degree(plan, bar, duration), plan.scale, False)
        midi = 36 + (plan.key + tones[0]) % 12
        length = int(style.bass_length * plan.beat_s * SR)
        level = _intensity(plan, bar * plan.bar_s, duration)
        for beat in style.bass_beats:
            start = int(round((bar * plan.bar_s + beat * plan.beat_s) * SR))
            note = _bass(midi + (12 if beat % 1 else 0), length)
            gain = style.bass_gain * level * (1.0 if beat == 0 else 0.8)
            _add(buf, start, note, gain, gain)

    # swell into each scene change: the new scene's chord, an octave up, grows over the bar
    # before it and a soft noise riser rises with it
    riser_n = int(plan.bar_s * SR)
    for section in plan.sections[1:]:
        end = int(round(section.start_bar * plan.bar_s * SR))
        tones = _chord_tones(_chord_degree(plan, section.start_bar, duration), plan.scale,
                             style.sevenths)
        fall = int(0.6 * riser_n)
        lift = _pad_chord(_voicing(plan, tones, section.pad_center + 12)[1:], riser_n + fall,
                          style.pad_tilt + 0.3, riser_n, fall)
        _add(buf, end - riser_n, lift, 2.5 * style.pad_gain, 2.5 * style.pad_gain)
        _add(buf, end - riser_n, _riser(riser_n, request.seed % (2**32)),
             0.5 * style.pad_gain, 0.5 * style.pad_gain)
        # and the new scene's first chord lands with a little more weight
        boom = _bass(24 + (plan.key + plan.scale[0]) % 12 + 12, int(1.5 * SR))
        _add(buf, end, boom, 0.5 * style.bass_gain, 0.5 * style.bass_gain)

    _add_reverb(buf, send, style.reverb, request.seed)
    for section in plan.sections[1:]:
        _swell(buf, int(round(section.start_bar * plan.bar_s * SR)), riser_n)
    return buf


SWELL_DB = 3.5


def _swell(buf: np.ndarray, at: int, n: int) -> None:
    """A crescendo of the whole bed over the `n` samples before `at`, easing back after.

    The gain moves slowly (a bar up, a third of a bar down) and continuously, so it shapes
    the phrase without touching the waveform's continuity.
    """
    top = 10 ** (SWELL_DB / 20)
    lo = max(0, at - n)
    rise = (np.arange(lo - at + n, n, dtype=np.float32) / n) ** 2
    buf[:, lo:at] *= 1.0 + (top - 1.0) * rise
    back = n // 3
    hi = min(buf.shape[1], at + back)
    if hi > at:
        ease = _raised_cosine(back)[::-1][: hi - at]
        buf[:, at:hi] *= 1.0 + (top - 1.0) * ease


def _send(buf: np.ndarray, factor: int) -> np.ndarray:
    """The mono sum of `buf`, averaged down by `factor` (a crude low-pass), chunk by chunk."""
    n = buf.shape[1] // factor
    out = np.empty(n, np.float32)
    step = (1 << 20) // factor
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        part = buf[:, lo * factor:hi * factor].reshape(2, hi - lo, factor)
        out[lo:hi] = part.mean(axis=(0, 2), dtype=np.float32)
    return out


def _impulse(seed: int, channel: int, seconds: float, rate: int) -> np.ndarray:
    rng = _rng(seed, 5, channel)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    ir = rng.standard_normal(n) * np.exp(-t * 6.9 / seconds)  # -60 dB at the end
    ir[: int(0.012 * rate)] = 0.0  # pre-delay
    ir *= _raised_cosine(n)[::-1] ** 0.25
    return ir / math.sqrt(float(np.sum(ir * ir)))


def _convolve(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Overlap-add FFT convolution, block by block (bounded memory)."""
    fft_n = 1 << int(math.ceil(math.log2(4 * h.size)))
    hop = fft_n - h.size + 1
    spectrum = np.fft.rfft(h, fft_n)
    out = np.zeros(x.size + h.size - 1, np.float32)
    for lo in range(0, x.size, hop):
        block = x[lo:lo + hop]
        y = np.fft.irfft(np.fft.rfft(block, fft_n) * spectrum, fft_n)
        take = min(fft_n, out.size - lo)
        out[lo:lo + take] += y[:take].astype(np.float32)
    return out


def _upsample_linear(coarse: np.ndarray, factor: int, lo: int, hi: int) -> np.ndarray:
    """Samples lo..hi of `coarse` linearly interpolated up by `factor` (vectorised)."""
    first, last = lo // factor, -(-hi // factor)
    c = coarse[first:last + 1]
    if c.size == 0:
        return np.zeros(hi - lo, np.float32)
    nxt = np.append(c[1:], c[-1]) if c.size else c
    frac = (np.arange(factor, dtype=np.float32) / factor)[None, :]
    fine = (c[:, None] + (nxt - c)[:, None] * frac).reshape(-1)
    out = fine[lo - first * factor:hi - first * factor]
    if out.size < hi - lo:
        out = np.pad(out, (0, hi - lo - out.size))
    return out


def _add_reverb(buf: np.ndarray, send: np.ndarray, wet: float, seed: int) -> None:
    if wet <= 0 or send.size == 0:
        return
    rate = SR // _REVERB_DECIMATE
    n = buf.shape[1]
    chunk = 1 << 20
    for ch in range(2):
        tail = _convolve(send, _impulse(seed % (2**32), ch, 2.2, rate))[: send.size]
        for lo in range(0, n, chunk):
            hi = min(n, lo + chunk)
            buf[ch, lo:hi] += wet * _upsample_linear(tail, _REVERB_DECIMATE, lo, hi)


def _block_powers(buf: np.ndarray, block: int) -> np.ndarray:
    """Mean square per `block` samples, summed over channels (chunked: bounded memory)."""
    count = buf.shape[1] // block
    powers = np.empty(count)
    step = max(1, (1 << 20) // block)
    for lo in range(0, count, step):
        hi = min(count, lo + step)
        part = buf[:, lo * block:hi * block].reshape(2, hi - lo, block).astype(np.float64)
        powers[lo:hi] = np.einsum("cbk,cbk->b", part, part) / block
    return powers


def _loudness(buf: np.ndarray) -> float:
    """Gated loudness estimate (BS.1770 gating on 400 ms blocks, unweighted), in LUFS."""
    block = int(0.4 * SR)
    if buf.shape[1] < block:
        power = float(np.mean(buf.astype(np.float64) ** 2) * 2)
        return -0.691 + 10 * math.log10(max(power, 1e-12))
    power = _block_powers(buf, block)
    loud = -0.691 + 10 * np.log10(np.maximum(power, 1e-12))
    gated = power[loud > -70.0]
    if gated.size == 0:
        return -70.0
    relative = -0.691 + 10 * math.log10(float(np.mean(gated))) - 10.0
    gated = power[(loud > -70.0) & (loud > relative)]
    return -0.691 + 10 * math.log10(float(np.mean(gated)))


def _peak(buf: np.ndarray) -> float:
    chunk = 1 << 20
    return max(float(np.max(np.abs(buf[:, lo:lo + chunk])))
               for lo in range(0, buf.shape[1], chunk))


LOUDNESS_OFFSET_LU = 0.0
"""K-weighting correction to the unweighted estimate (calibrated against pyloudnorm)."""


def master(buf: np.ndarray, duration: float) -> np.ndarray:
    """Set loudness under the peak ceiling, fade in and out; in place, returns `buf`."""
    n = buf.shape[1]
    fade_out = int(min(FADE_OUT_S, duration / 3) * SR)
    fade_in = int(min(FADE_IN_S, duration / 4) * SR)
    if fade_in > 0:
        buf[:, :fade_in] *= _raised_cosine(fade_in)
    if fade_out > 0:
        buf[:, n - fade_out:] *= _raised_cosine(fade_out)[::-1]
    estimate = _loudness(buf) + LOUDNESS_OFFSET_LU
    peak = _peak(buf) or 1.0
    gain = min(10 ** ((TARGET_LUFS - estimate) / 20), 10 ** (PEAK_DBFS / 20) / peak)
    buf *= np.float32(gain)
    return buf


def write_wav(path: Path, buf: np.ndarray) -> None:
    """Write float stereo (2, n) as a 16-bit WAV, chunk by chunk, atomically."""
    chunk = 1 << 20
    with atomic_output(Path(path)) as tmp:
        with wave.open(str(tmp), "wb") as wav:
            wav.setnchannels(2)
            wav.setsampwidth(2)
            wav.setframerate(SR)
            for lo in range(0, buf.shape[1], chunk):
                part = buf[:, lo:lo + chunk].T * 32767.0
                pcm = np.clip(np.round(part), -32768, 32767).astype("<i2")
                wav.writeframes(pcm.tobytes())


class HouseComposer(HouseProvider):
    """Writes one continuous procedural score for the film (pad, motif, bass)."""

    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="house-composer",
        capability="composer",
        model="procedural-score",
        version="1",
        title="Procedural score (embedded)",
        capabilities=Capabilities(max_duration=MAX_SCORE_S),
    )

    def compose(self, request: ScoreRequest) -> AudioResult:
        buf = master(render(request), request.duration)
        write_wav(Path(request.out), buf)
        return AudioResult(path=Path(request.out), duration=buf.shape[1] / SR)
