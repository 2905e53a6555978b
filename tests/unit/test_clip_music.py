"""A shot that keeps its clip's sound never brings the clip's music into the film's mix
(media.clip_music): measured on the mix itself, a sustained chord under noise bursts (a
clip's music under its footsteps) drops by more than 20 dB against the bursts."""

from __future__ import annotations

import wave

import numpy as np

from microfilm.media import audio
from microfilm.media.audio import SR, ClipPlacement, MixSpec, decode

CHORD_HZ = (220.0, 330.0, 440.0, 660.0)
SECONDS = 4.0


def _clip_sound(path) -> None:
    """A chord held throughout (the clip's music), steady rain (broad noise) and 40 ms
    bursts every half second (footsteps), as a stereo 48 kHz WAV."""
    rng = np.random.default_rng(7)
    t = np.arange(int(SECONDS * SR)) / SR
    music = sum(0.08 * np.sin(2 * np.pi * f * t) for f in CHORD_HZ)
    steps = rng.normal(0.0, 0.03, t.shape)
    for start in np.arange(0.25, SECONDS - 0.1, 0.5):
        i = int(start * SR)
        steps[i:i + int(0.04 * SR)] = rng.normal(0.0, 0.15, int(0.04 * SR))
    x = np.clip(np.stack([music + steps, music + steps]), -1, 1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes((x.T * 32767).astype("<i2").tobytes())


def _tone_to_noise_db(x: np.ndarray) -> tuple[float, float]:
    """Power at the chord's frequencies against the power of the broad band above 2 kHz
    (where the chord has nothing), and the share of the whole that broad band holds."""
    x = x.mean(axis=0).astype(np.float64)
    power = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / SR)
    tones = sum(power[(freqs > f - 3) & (freqs < f + 3)].sum() for f in CHORD_HZ)
    band = power[(freqs > 2000) & (freqs < 16000)].sum()
    return 10 * np.log10(tones / band), band / power.sum()


def test_kept_clip_sound_loses_its_music_but_not_its_noises(tmp_path):
    src = tmp_path / "clip.wav"
    _clip_sound(src)
    bus, mixed = {}, {}
    for drop in (False, True):
        placed = ClipPlacement(path=src, start_s=0.0, duration=SECONDS, drop_music=drop)
        bus[drop] = _tone_to_noise_db(audio._load_effect(placed).lanes[2][None, :])
        spec = MixSpec(duration=SECONDS, out=tmp_path / f"mix-{drop}.wav", effects=(placed,))
        mixed[drop] = _tone_to_noise_db(decode(audio.render_mix(spec).path, 2))
    print(f"\nclip music, chord against noise (dB, share of noise): bus {bus}; mastered mix {mixed}")
    # on the effects bus the mix sums: the chord is gone against the rain and the steps
    assert bus[False][0] - bus[True][0] > 20.0, bus
    # in the mastered mix too (less: the gain to -14 LUFS lifts the residue, the limiter
    # holds the steps' peaks)
    assert mixed[False][0] - mixed[True][0] > 15.0, mixed
    assert mixed[True][1] > 0.3, mixed  # the rain and the steps are still the shot's sound
    assert ClipPlacement(path=src, start_s=0.0, duration=1.0).drop_music  # always, by default
