"""A line spoken in the clip itself, cut out of the clip's sound for the mix.

A clip from an animator that speaks dialogue carries one mixed track: the line, room tone,
and often music of its own. There is no stem to take the speech alone, so the line is
kept the only honest way short of source separation: the clip's sound only inside the
line's window (from its planned start to the next line's start or the shot's end, trailing
quiet trimmed), band-limited to the voice band, and placed in the mix as that line's
dialogue. Outside the window nothing of the clip is heard, so the film's score stays the
one music; inside it, whatever music the clip had under the line is band-limited and the
score is ducked under it like under any line.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from microfilm.fsutil import atomic_output
from microfilm.media import ffmpeg
from microfilm.media.audio import SR, decode

VOICE_BAND_HZ = (90, 7500)
"""Speech lives here; rumble and hiss (and much of a clip's music) do not."""
QUIET_DBFS = -45.0
"""A 20 ms frame under this is silence: trailing frames like it are trimmed off."""
EDGE_S = 0.01
MIN_LINE_S = 0.2
"""Shorter than this, the clip did not say the line: it is voiced instead."""


def excerpt(clip: Path, start_s: float, end_s: float, out: Path) -> float:
    """Write the clip's voice-band sound from `start_s` to `end_s` (trailing quiet trimmed)
    to `out` as a 48 kHz mono WAV; return its length in seconds (0.0 when all quiet)."""
    lo, hi = VOICE_BAND_HZ
    span = max(0.0, end_s - start_s)
    raw = out.with_suffix(".band.wav")
    ffmpeg.run(["-ss", f"{start_s:.3f}", "-t", f"{span:.3f}", "-i", str(clip), "-map", "0:a:0",
                "-vn", "-af", f"highpass=f={lo},lowpass=f={hi}", "-ar", str(SR), "-ac", "1",
                "-c:a", "pcm_s16le", str(raw)], what=f"native line from {clip.name}")
    try:
        samples = decode(raw, 1)[0]
    finally:
        raw.unlink(missing_ok=True)
    frame = int(SR * 0.02)
    n = len(samples) // frame
    rms = np.sqrt(np.mean(samples[:n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12) if n else []
    loud = np.nonzero(20 * np.log10(rms) > QUIET_DBFS)[0] if n else []
    keep = (int(loud[-1]) + 1) * frame if len(loud) else 0
    part = samples[:keep].copy()
    edge = min(int(SR * EDGE_S), len(part) // 2)
    if edge:
        ramp = np.linspace(0.0, 1.0, edge, dtype=np.float32)
        part[:edge] *= ramp
        part[-edge:] *= ramp[::-1]
    pcm = np.clip(np.round(part * 32767.0), -32768, 32767).astype("<i2")
    with atomic_output(out) as tmp, wave.open(str(tmp), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SR)
        wav.writeframes(pcm.tobytes())
    return len(part) / SR
