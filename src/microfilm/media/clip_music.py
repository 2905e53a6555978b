"""Take the music out of a generated clip's own sound, keeping its noises.

The film has one score. A clip from an animator with sound (Kling 3, Seedance 2, Veo, Omni)
often carries music of its own under its footsteps, rain and doors; a shot that keeps its
clip's sound (`keep_clip_audio`) must not bring that music into the mix. There is no stem
for it, so it is separated by what music is: sustained tones, horizontal lines in a
spectrogram, where footsteps, impacts, rain and room noise are vertical or spread. A
median across time finds the sustained part of every bin, a median across frequency finds
the spread part, and a soft mask keeps each time-frequency cell in proportion to how
spread it is (harmonic/percussive separation, Fitzgerald 2010). Numpy only: one STFT per
channel of a clip of a few seconds.

Honest limits: a held vowel is a sustained tone too, which is why a clip's spoken line is
never taken from here (media.native_speech cuts it out as dialogue), and a drum kit is
spread, so a clip's drums survive as knocks. What is measured (tests/unit/test_clip_music.py): a
sustained chord under noise bursts comes out more than 20 dB quieter against the bursts.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

FRAME = 2048  # 43 ms at 48 kHz: fine enough in frequency to tell a held note from noise
HOP = FRAME // 4
KERNEL = 17  # median length: ~180 ms across time, ~400 Hz across frequency
POWER = 2.0  # the mask's sharpness (Wiener-like)


def _median(a: np.ndarray, axis: int) -> np.ndarray:
    """Running median of length KERNEL along `axis`, edges padded by reflection."""
    pad = [(0, 0)] * a.ndim
    pad[axis] = (KERNEL // 2, KERNEL // 2)
    windows = sliding_window_view(np.pad(a, pad, mode="reflect"), KERNEL, axis=axis)
    return np.median(windows, axis=-1).astype(np.float32)


def _stft(x: np.ndarray, window: np.ndarray) -> np.ndarray:
    frames = sliding_window_view(x, FRAME)[::HOP]
    return np.fft.rfft(frames * window, axis=-1).astype(np.complex64)


def _istft(spec: np.ndarray, window: np.ndarray, n: int) -> np.ndarray:
    frames = np.fft.irfft(spec, n=FRAME, axis=-1).astype(np.float32) * window
    out = np.zeros(n + FRAME, dtype=np.float32)
    norm = np.zeros(n + FRAME, dtype=np.float32)
    for i, frame in enumerate(frames):
        out[i * HOP:i * HOP + FRAME] += frame
        norm[i * HOP:i * HOP + FRAME] += window * window
    return out[:n] / np.maximum(norm[:n], 1e-6)


def drop_music(x: np.ndarray) -> np.ndarray:
    """`x` (channels, samples) without its sustained tones; same shape, float32."""
    if x.shape[-1] < FRAME:
        return x.astype(np.float32, copy=True)
    window = np.hanning(FRAME).astype(np.float32)
    n = x.shape[-1]
    padded = np.pad(x, ((0, 0), (FRAME // 2, FRAME)), mode="constant")
    out = np.empty_like(x, dtype=np.float32)
    for c in range(x.shape[0]):
        spec = _stft(padded[c], window)
        mag = np.abs(spec)
        held = _median(mag, axis=0) ** POWER  # along time: what lasts
        spread = _median(mag, axis=1) ** POWER  # along frequency: what is broad
        mask = spread / (held + spread + 1e-12)
        y = _istft(spec * mask, window, padded.shape[-1])
        out[c] = y[FRAME // 2:FRAME // 2 + n]
    return out
