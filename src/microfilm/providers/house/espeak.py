"""A small ctypes binding to eSpeak NG, as shipped by the `espeakng-loader` wheel.

Why our own binding: the wheel carries a self-contained libespeak-ng with its data (its
Mandarin 'cmn' voice is correct; Debian's is not), and we need only a few calls of the
library API (speak_lib.h): initialise in synchronous mode, set a voice, set rate and pitch,
seed the random generator, synthesize, and read back the samples through the synth callback.
No audio device, no eSpeak program, no temporary files.

eSpeak NG keeps one global synthesizer per process, and it carries a little state (the
pitch-flutter phase) from one utterance to the next: in one process the same line comes out
a few samples different depending on what was spoken before it. So a film's voices would
depend on the order the threads happened to speak its lines, and a film made on a Ray cluster
would differ from one made here. Every line is therefore spoken by a fresh Python process
whose synthesizer has spoken nothing before: `espeak_engine.py` run as a script with
`python -I -S` (standard library only, about 30 ms for a line where `python -m` of this
module took 80), see that module.

A fresh process is not enough on its own: eSpeak NG seeds its random generator (the jitter
in its voicing) from the clock, `time(NULL)`, when it initialises, so the same line spoken a
second later came out different (the same length, other samples), and a film's voices
differed between any two runs, on Ray or not. The generator is reseeded with a constant
before every utterance (`espeak_ng_SetRandSeed`), so a line's samples depend on the line alone.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from microfilm.errors import ProviderError
from microfilm.providers.house import espeak_engine
from microfilm.providers.house.espeak_engine import RAND_SEED, RATE_MAX, RATE_MIN  # noqa: F401


@dataclass(frozen=True)
class Speech:
    """Synthesized speech: 16-bit mono PCM at `sample_rate`."""

    samples: bytes  # little-endian int16, mono
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / 2 / self.sample_rate


@cache
def _library_path() -> str:
    """The wheel's libespeak-ng."""
    try:
        import espeakng_loader
    except ImportError:  # pragma: no cover - a declared dependency
        raise ProviderError(
            "house-voice: the 'espeakng-loader' package is missing; "
            "reinstall microfilm (pip install -e .)"
        ) from None
    return str(espeakng_loader.get_library_path())


def _data_path() -> Path:
    import espeakng_loader

    return Path(espeakng_loader.get_data_path())


@cache
def library_version() -> str:
    """eSpeak NG's version string (e.g. '1.52.0') without initialising the synthesizer."""
    try:
        raw = espeak_engine.load_library(_library_path()).espeak_Info(None)
    except (ProviderError, espeak_engine.EngineError):
        return "1.52"
    return (raw or b"1.52").decode("ascii", "replace").strip() or "1.52"


@cache
def variants() -> tuple[str, ...]:
    """The voice variants this eSpeak NG data ships (the names after '+', e.g. 'f2', 'm3')."""
    folder = _data_path() / "voices" / "!v"
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name for p in folder.iterdir() if p.is_file()))


SPEAK_TIMEOUT_S = 120


def synthesize(text: str, *, language: str, variant: str = "", gender: str = "neutral",
               rate: int = 160, pitch: int = 50, pitch_range: int = 50) -> Speech:
    """Speak `text` in eSpeak NG's `language` (e.g. 'en-us', 'cmn'); see `Engine.synthesize`.
    Spoken in a fresh process, so the same line always gives the same samples (see above)."""
    child = [sys.executable, "-I", "-S", espeak_engine.__file__, _library_path(),
             str(_data_path().parent), language, variant, gender, str(int(rate)),
             str(int(pitch)), str(int(pitch_range))]
    try:
        done = subprocess.run(child, input=text.encode("utf-8"), capture_output=True,
                              timeout=SPEAK_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ProviderError(f"house-voice: eSpeak NG took over {SPEAK_TIMEOUT_S} s to speak "
                            f"{text[:40]!r}") from exc
    if done.returncode != 0 or len(done.stdout) < 4:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise ProviderError(f"house-voice: eSpeak NG failed speaking {text[:40]!r}: {why[0]}")
    return Speech(done.stdout[4:], int.from_bytes(done.stdout[:4], "little"))
