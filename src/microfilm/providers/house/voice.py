"""The house voice: eSpeak NG speaks each line, one recognisable voice per character.

Why eSpeak NG: it runs everywhere with no model download, speaks English and (through the
espeakng-loader build) correct Mandarin. A character's voice is its bible VoiceSpec: the
eSpeak variant (or one chosen from the gender), pitch and rate, so two characters with
different specs never sound alike. Output is what the mixer expects: a 48 kHz mono 16-bit WAV
with ~50 ms of silence at each end and a consistent speech level.

Where a neural Piper voice is installed (`piper` importable and MICROFILM_PIPER_MODEL naming
a local .onnx file), English lines use it instead; nothing is ever downloaded.
"""

from __future__ import annotations

import io
import os
import re
import wave
from functools import cache
from pathlib import Path
from typing import ClassVar

import numpy as np

from microfilm.errors import ProviderError
from microfilm.form import SAMPLE_RATE
from microfilm.fsutil import atomic_write_bytes
from microfilm.providers.base import (
    AudioResult,
    Capabilities,
    HouseProvider,
    ProviderInfo,
    SpeechRequest,
)
from microfilm.providers.house import espeak
from microfilm.spec.bible import VoiceSpec

ESPEAK_LANGUAGE = {"en": "en-us", "zh": "cmn"}
"""microfilm language -> eSpeak NG voice ('cmn' is Mandarin in the espeakng-loader data)."""

GENDER_VARIANT = {"female": "f3", "male": "", "neutral": ""}
"""Variant used when a VoiceSpec names a gender but no variant (eSpeak's default is male)."""

EDGE_SILENCE_S = 0.05
SPEECH_RMS_DBFS = -20.0  # level of the voiced part, so lines sit evenly in the mix
PEAK_DBFS = -1.0
PIPER_ENV = "MICROFILM_PIPER_MODEL"

_SPEAKABLE = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u3400-\u9fff\uf900-\ufaff]")


# ---- optional Piper -------------------------------------------------------------------


def piper_model() -> Path | None:
    """The local Piper voice to use for English, or None (no package, no env, no file)."""
    value = os.environ.get(PIPER_ENV, "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    if path.suffix != ".onnx" or not path.is_file():
        return None
    try:
        import piper  # noqa: F401
    except ImportError:
        return None
    if not hasattr(piper, "PiperVoice"):  # an unrelated package named 'piper'
        return None
    return path


@cache
def _piper_voice(path: Path):  # noqa: ANN202 - piper's own type
    from piper import PiperVoice

    return PiperVoice.load(str(path))


def _speak_piper(text: str, spec: VoiceSpec, model: Path) -> tuple[np.ndarray, int]:
    """Speak with Piper; multi-speaker models give each VoiceSpec its own speaker."""
    voice = _piper_voice(model)
    kwargs: dict[str, object] = {}
    try:
        from piper import SynthesisConfig  # piper-tts >= 1.3

        speakers = int(getattr(voice.config, "num_speakers", 1) or 1)
        speaker = None
        if speakers > 1:
            speaker = (spec.pitch * 31 + spec.rate * 7 + len(spec.variant)) % speakers
        kwargs["syn_config"] = SynthesisConfig(
            speaker_id=speaker, length_scale=max(0.5, min(2.0, 160 / spec.rate))
        )
    except ImportError:
        pass
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        if hasattr(voice, "synthesize_wav"):
            voice.synthesize_wav(text, wav, **kwargs)
        else:  # piper-tts < 1.3
            voice.synthesize(text, wav)
    buf.seek(0)
    with wave.open(buf, "rb") as wav:
        rate = wav.getframerate()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0, rate


def _voice_version() -> str:
    # "+seedN": lines spoken before eSpeak NG's generator was seeded (it took the clock) are
    # other bytes, so they are not reused under the same cache keys (providers/house/espeak.py)
    base = f"{espeak.library_version()}+seed{espeak.RAND_SEED}"
    model = piper_model()
    return f"{base}+piper:{model.stem}" if model else base


# ---- signal helpers -----------------------------------------------------------------


def resample(x: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Band-limited resampling by zero-padding the spectrum (numpy only).

    Speech lines are short and end in silence, so the FFT's circular wrap is inaudible.
    """
    if rate_in == rate_out or x.size == 0:
        return x.astype(np.float32)
    n_in = x.size
    n_out = int(round(n_in * rate_out / rate_in))
    spec = np.fft.rfft(x.astype(np.float64))
    keep = min(spec.size, n_out // 2 + 1)
    out = np.zeros(n_out // 2 + 1, dtype=np.complex128)
    out[:keep] = spec[:keep]
    if keep == spec.size and n_in % 2 == 0:
        out[keep - 1] *= 0.5  # the input's Nyquist bin is shared by two output bins
    y = np.fft.irfft(out, n=n_out) * (n_out / n_in)
    return y.astype(np.float32)


def active_span(x: np.ndarray, rate: int, floor_db: float = -45.0) -> tuple[int, int] | None:
    """First and last sample of audible sound (10 ms frames above peak + floor_db)."""
    frame = max(1, rate // 100)
    n = x.size // frame
    if n == 0:
        return None
    frames = x[: n * frame].reshape(n, frame).astype(np.float64)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    peak = float(rms.max())
    if peak < 1e-4:  # -80 dBFS: nothing was said
        return None
    loud = np.flatnonzero(rms > max(peak * 10 ** (floor_db / 20), 3e-4))
    return int(loud[0] * frame), int(min(x.size, (loud[-1] + 1) * frame))


def trim_and_pad(x: np.ndarray, rate: int, edge_s: float = EDGE_SILENCE_S) -> np.ndarray:
    """Keep the spoken part with exactly `edge_s` of (quiet) lead-in and tail."""
    span = active_span(x, rate)
    if span is None:
        return np.zeros(0, dtype=np.float32)
    start, end = span
    edge = int(round(edge_s * rate))
    lead = x[max(0, start - edge):start]
    tail = x[end:end + edge]
    out = np.concatenate([
        np.zeros(edge - lead.size, np.float32), lead, x[start:end], tail,
        np.zeros(edge - tail.size, np.float32),
    ]).astype(np.float32)
    ramp = min(edge, int(0.005 * rate))  # the kept edges fade to exact zero: no click
    if ramp > 0:
        fade = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, ramp, dtype=np.float32))
        out[:ramp] *= fade
        out[-ramp:] *= fade[::-1]
    return out


def level(x: np.ndarray, rate: int) -> np.ndarray:
    """Set the voiced part to SPEECH_RMS_DBFS, never letting a peak pass PEAK_DBFS."""
    frame = max(1, rate // 100)
    n = x.size // frame
    if n == 0:
        return x
    frames = x[: n * frame].reshape(n, frame).astype(np.float64)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    voiced = rms[rms > rms.max() * 0.1]
    speech_rms = float(np.sqrt(np.mean(voiced**2))) if voiced.size else float(rms.max())
    peak = float(np.max(np.abs(x)))
    if speech_rms <= 0 or peak <= 0:
        return x
    gain = min(10 ** (SPEECH_RMS_DBFS / 20) / speech_rms, 10 ** (PEAK_DBFS / 20) / peak)
    return (x * gain).astype(np.float32)


def wav_bytes(x: np.ndarray, rate: int, channels: int = 1) -> bytes:
    """16-bit PCM WAV of float samples in [-1, 1] (interleaved when channels > 1)."""
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    return buf.getvalue()


# ---- the provider ---------------------------------------------------------------------


def espeak_variant(spec: VoiceSpec) -> str:
    """The eSpeak variant for a VoiceSpec: its own, else one implied by its gender."""
    variant = spec.variant.strip().lstrip("+")
    if not variant:
        return GENDER_VARIANT.get(spec.gender, "")
    known = espeak.variants()
    if known and variant not in known:
        examples = ", ".join(v for v in known if re.fullmatch(r"[fm]\d", v))
        raise ProviderError(
            f"house-voice: voice variant {spec.variant!r} is not an eSpeak NG variant; "
            f"use one of {examples} (or another name in espeak-ng-data/voices/!v) in "
            f"bible.yaml characters[].voice.variant"
        )
    return variant


class HouseVoice(HouseProvider):
    """Speaks a line with eSpeak NG (or a local Piper voice for English)."""

    info: ClassVar[ProviderInfo] = ProviderInfo(
        id="house-voice",
        capability="voice",
        model="espeak-ng",
        version=_voice_version(),
        title="eSpeak NG (embedded)",
        capabilities=Capabilities(languages=("en", "zh")),
    )

    def speak(self, request: SpeechRequest) -> AudioResult:
        text = " ".join(request.text.split())
        who = f" for {request.character}" if request.character else ""
        if not _SPEAKABLE.search(text):
            raise ProviderError(
                f"house-voice: nothing to speak in line{who} {request.text!r}: "
                "it has no letters, digits or Chinese characters"
            )
        if request.language not in ESPEAK_LANGUAGE:
            raise ProviderError(
                f"house-voice: language {request.language!r} is not spoken; "
                f"allowed: {', '.join(ESPEAK_LANGUAGE)}"
            )
        spec = request.voice
        model = piper_model() if request.language == "en" else None
        if model is not None:
            samples, rate = _speak_piper(text, spec, model)
        else:
            speech = espeak.synthesize(
                text,
                language=ESPEAK_LANGUAGE[request.language],
                variant=espeak_variant(spec),
                gender=spec.gender,
                rate=spec.rate,
                pitch=spec.pitch,
            )
            rate = speech.sample_rate
            samples = np.frombuffer(speech.samples, dtype="<i2").astype(np.float32) / 32768.0
        # Trim at the engine's rate, resample, then trim again: resampling can ring a little.
        samples = trim_and_pad(samples, rate)
        if samples.size == 0:
            raise ProviderError(
                f"house-voice: eSpeak NG produced no sound for line{who} {request.text!r} "
                f"(language {request.language})"
            )
        out = trim_and_pad(resample(samples, rate, SAMPLE_RATE), SAMPLE_RATE)
        out = level(out, SAMPLE_RATE)
        atomic_write_bytes(Path(request.out), wav_bytes(out, SAMPLE_RATE))
        return AudioResult(path=Path(request.out), duration=out.size / SAMPLE_RATE)
