"""Where the voice is in a film, by an energy detector on the most exact source available:
the dialogue placements (each line's own WAV, placed at its start), else a dialogue stem,
else the master's own sound (speech band; speech is told from the score by its level
swings, see VAD_MOD_DB). The placements are exact; the master's sound is a fallback, good
to about a tenth of a second on a ducked mix."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from microfilm import form
from microfilm.errors import MediaError
from microfilm.media import ffmpeg
from microfilm.media.audio import DialoguePlacement
from microfilm.media.qc.plan import QCPlan, Segment


VAD_HOP_S = 0.01
"""Energy is measured on 10 ms frames."""
VAD_RATE = 8000
"""The mixed sound is analysed in the speech band (250-3400 Hz) at this rate."""
VAD_MERGE_GAP_S = 0.3
"""Pauses shorter than this (between words) do not end a voiced stretch."""
VAD_MIN_VOICE_S = 0.08
"""Shorter bursts (clicks, a consonant of the score) are not voice."""


def _frame_db(x: np.ndarray, rate: int) -> np.ndarray:
    hop = max(1, int(round(rate * VAD_HOP_S)))
    n = x.shape[-1] // hop
    power = np.square(x[: n * hop].astype(np.float64)).reshape(n, hop).mean(axis=1)
    return 10.0 * np.log10(power + 1e-12)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) frame index pairs of the True runs of `mask`."""
    if not mask.size:
        return []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def voiced(db: np.ndarray, high: float, low: float, offset_s: float = 0.0) -> list[Segment]:
    """Voiced stretches by hysteresis: a run above `low` dB that reaches `high` somewhere;
    runs closer than VAD_MERGE_GAP_S merge, runs shorter than VAD_MIN_VOICE_S drop."""
    runs = [(a, b) for a, b in _runs(db > low) if (db[a:b] > high).any()]
    gap = int(round(VAD_MERGE_GAP_S / VAD_HOP_S))
    merged: list[list[int]] = []
    for a, b in runs:
        if merged and a - merged[-1][1] < gap:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    least = int(round(VAD_MIN_VOICE_S / VAD_HOP_S))
    return [Segment(start=round(offset_s + a * VAD_HOP_S, 3), end=round(offset_s + b * VAD_HOP_S, 3))
            for a, b in merged if b - a >= least]


VAD_MOD_WINDOW_S = 0.25
"""Window over which the master's sound is tested for speech-like modulation."""
VAD_MOD_DB = 8.0
"""Speech swings by 10-30 dB within a quarter second (syllables, pauses); a score pad,
ducked or not, by a few dB. The spread between the loud and quiet tenths of the window
separates them where the level alone cannot (between lines the score is as loud as
speech)."""


def _mix_voice(db: np.ndarray) -> list[Segment]:
    """Voiced stretches in a full mix: windows with speech-like level swings, not far below
    the film's loudest; then each onset snapped to the first frame 6 dB over the 150 ms
    before it, and each end to the last frame followed by a 10 dB fall within 150 ms
    (speech stopping into the ducked score), since the window blurs both."""
    from numpy.lib.stride_tricks import sliding_window_view

    if db.size < 3:
        return []
    half = int(round(VAD_MOD_WINDOW_S / VAD_HOP_S / 2))
    windows = sliding_window_view(np.pad(db, half, mode="edge"), 2 * half + 1)
    p10, p90 = np.percentile(windows, [10, 90], axis=1)
    loud = p90 >= np.percentile(p90, 99) - 30.0
    mask = (p90 - p10 >= VAD_MOD_DB) & loud
    coarse = voiced(np.where(mask, 0.0, -100.0), -1.0, -1.0)
    n, look, reach = db.size, int(round(0.15 / VAD_HOP_S)), int(round(0.3 / VAD_HOP_S))
    out = []
    for seg in coarse:
        a, b = int(round(seg.start / VAD_HOP_S)), int(round(seg.end / VAD_HOP_S))
        start = a
        for k in range(max(1, a - look), min(b, a + reach)):
            if db[k] >= np.median(db[max(0, k - look):k]) + 6.0:
                start = k
                break
        end = b
        for k in range(min(n - 2, b + look), max(start, b - 2 * reach) - 1, -1):
            if db[k] - db[k + 1:k + 1 + look].min() >= 10.0:
                end = k + 1
                break
        if (end - start) * VAD_HOP_S >= 0.25:  # a spoken line, not a drum hit
            out.append(Segment(start=round(start * VAD_HOP_S, 3),
                               end=round(end * VAD_HOP_S, 3)))
    return out


def _line_span(placement: DialoguePlacement) -> Segment | None:
    """The voiced part of one dialogue line, in film time (its WAV's own onset and end)."""
    from microfilm.media.audio import decode

    x = decode(Path(placement.path), 1)[0]
    db = _frame_db(x, form.SAMPLE_RATE)
    if not db.size or db.max() < -70.0:
        return None
    peak = float(db.max())
    segs = voiced(db, max(peak - 25.0, -60.0), max(peak - 35.0, -70.0), placement.start_s)
    if not segs:
        return None
    return Segment(start=segs[0].start, end=segs[-1].end)


def _speech_band_db(path: Path, what: str) -> np.ndarray:
    """Frame levels of `path`'s first audio stream, mono, speech band, VAD_RATE."""
    res = ffmpeg.run(["-nostats", "-i", str(path), "-map", "0:a:0", "-ac", "1", "-af",
                      "highpass=f=250,lowpass=f=3400", "-ar", str(VAD_RATE), "-f", "f32le",
                      "-"], what=what)
    return _frame_db(np.frombuffer(res.stdout, dtype="<f4"), VAD_RATE)


def voice_spans(path: Path, plan: QCPlan) -> tuple[list[Segment], str]:
    """Where the voice is, from the best source the plan offers (see the module doc)."""
    if plan.dialogue:
        spans = [s for s in map(_line_span, plan.dialogue) if s is not None]
        return sorted(spans, key=lambda s: s.start), "dialogue placements"
    if plan.dialogue_stem is not None:
        stem = Path(plan.dialogue_stem)
        if not stem.is_file():
            raise MediaError(f"qc: dialogue stem {stem} does not exist")
        db = _speech_band_db(stem, f"QC voice scan of {stem}")
        if not db.size or db.max() < -70.0:
            return [], "dialogue stem"
        # dialogue alone: silence between lines, so a level gate under the loudest speech
        high = max(float(np.percentile(db, 99)) - 30.0, -60.0)
        return voiced(db, high, high - 10.0), "dialogue stem"
    return _mix_voice(_speech_band_db(path, f"QC voice scan of {path}")), "master audio"
