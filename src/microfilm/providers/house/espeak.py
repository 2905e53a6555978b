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
(`python -m microfilm.providers.house.espeak`, about a tenth of a second to start), whose
synthesizer has spoken nothing before.

A fresh process is not enough on its own: eSpeak NG seeds its random generator (the jitter
in its voicing) from the clock, `time(NULL)`, when it initialises, so the same line spoken a
second later came out different (the same length, other samples), and a film's voices
differed between any two runs, on Ray or not. The generator is reseeded with a constant
before every utterance (`espeak_ng_SetRandSeed`), so a line's samples depend on the line alone.
"""

from __future__ import annotations

import ctypes
import json
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from microfilm.errors import ProviderError

# speak_lib.h constants (API revision 12)
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_RATE = 1
_VOLUME = 2
_PITCH = 3
_RANGE = 4
_EE_OK = 0

RATE_MIN, RATE_MAX = 80, 450
RAND_SEED = 1
"""eSpeak NG's random generator's seed before each utterance: any constant will do."""

# int SynthCallback(short *wav, int numsamples, espeak_EVENT *events)
_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Voice(ctypes.Structure):
    """espeak_VOICE: selection criteria for espeak_SetVoiceByProperties."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),  # 0 none, 1 male, 2 female
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


@dataclass(frozen=True)
class Speech:
    """Synthesized speech: 16-bit mono PCM at `sample_rate`."""

    samples: bytes  # little-endian int16, mono
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / 2 / self.sample_rate


@cache
def _library() -> ctypes.CDLL:
    """Load the wheel's libespeak-ng and declare the calls we use (speak_lib.h)."""
    try:
        import espeakng_loader
    except ImportError:  # pragma: no cover - a declared dependency
        raise ProviderError(
            "house-voice: the 'espeakng-loader' package is missing; "
            "reinstall microfilm (pip install -e .)"
        ) from None
    lib_path = espeakng_loader.get_library_path()
    try:
        lib = ctypes.CDLL(lib_path)
    except OSError as exc:
        raise ProviderError(f"house-voice: cannot load eSpeak NG from {lib_path}: {exc}") from exc
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
    lib.espeak_SetSynthCallback.restype = None
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetVoiceByProperties.argtypes = [ctypes.POINTER(_Voice)]
    lib.espeak_SetVoiceByProperties.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_SetParameter.restype = ctypes.c_int
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
        ctypes.c_uint, ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p,
    ]
    lib.espeak_Synth.restype = ctypes.c_int
    # espeak_Info only reports static strings, so it is safe before espeak_Initialize.
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
    lib.espeak_ng_SetRandSeed.restype = None
    return lib


def _data_path() -> Path:
    import espeakng_loader

    return Path(espeakng_loader.get_data_path())


def library_version() -> str:
    """eSpeak NG's version string (e.g. '1.52.0') without initialising the synthesizer."""
    try:
        raw = _library().espeak_Info(None)
    except ProviderError:
        return "1.52"
    return (raw or b"1.52").decode("ascii", "replace").strip() or "1.52"


@cache
def variants() -> tuple[str, ...]:
    """The voice variants this eSpeak NG data ships (the names after '+', e.g. 'f2', 'm3')."""
    folder = _data_path() / "voices" / "!v"
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name for p in folder.iterdir() if p.is_file()))


class _Engine:
    """The process's one eSpeak NG synthesizer; use through `engine()`."""

    def __init__(self) -> None:
        lib = _library()
        data_path = _data_path()
        self._lib = lib
        self._lock = threading.Lock()
        self._chunks: list[bytes] = []
        # The callback object must live as long as the library may call it.
        self._callback = _SynthCallback(self._on_audio)
        # `path` is the folder that contains espeak-ng-data.
        rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, str(data_path.parent).encode(), 0
        )
        if rate <= 0:
            raise ProviderError(
                f"house-voice: eSpeak NG failed to initialise with data at {data_path}"
            )
        self.sample_rate = int(rate)
        lib.espeak_SetSynthCallback(self._callback)
        self.version = library_version()

    def _on_audio(self, wav, numsamples, _events) -> int:  # noqa: ANN001 - ctypes types
        if wav and numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * 2))
        return 0  # continue

    def _set_voice(self, language: str, variant: str, gender: str) -> None:
        names = [f"{language}+{variant}"] if variant else []
        names.append(language)
        for name in names:
            if self._lib.espeak_SetVoiceByName(name.encode()) == _EE_OK:
                return
        spec = _Voice(
            languages=language.encode(),
            gender={"male": 1, "female": 2}.get(gender, 0),
        )
        if self._lib.espeak_SetVoiceByProperties(ctypes.byref(spec)) != _EE_OK:
            raise ProviderError(
                f"house-voice: eSpeak NG has no voice for language {language!r} "
                f"(variant {variant!r})"
            )

    def synthesize(
        self,
        text: str,
        *,
        language: str,
        variant: str = "",
        gender: str = "neutral",
        rate: int = 160,
        pitch: int = 50,
        pitch_range: int = 50,
    ) -> Speech:
        """Speak UTF-8 `text` with the voice `language[+variant]`; return its samples."""
        data = text.encode("utf-8") + b"\0"
        with self._lock:
            self._set_voice(language, variant, gender)
            self._lib.espeak_SetParameter(_RATE, max(RATE_MIN, min(RATE_MAX, int(rate))), 0)
            self._lib.espeak_SetParameter(_PITCH, max(0, min(99, int(pitch))), 0)
            self._lib.espeak_SetParameter(_RANGE, max(0, min(99, int(pitch_range))), 0)
            self._lib.espeak_SetParameter(_VOLUME, 100, 0)
            self._chunks = []
            self._lib.espeak_ng_SetRandSeed(RAND_SEED)  # not the clock's (see the top)
            try:
                status = self._lib.espeak_Synth(
                    data, len(data), 0, 0, 0, _CHARS_UTF8, None, None
                )
                samples = b"".join(self._chunks)
            finally:
                self._chunks = []
        if status != _EE_OK:
            raise ProviderError(f"house-voice: eSpeak NG synthesis failed (status {status})")
        return Speech(samples, self.sample_rate)


_init_lock = threading.Lock()


@cache
def _engine_unlocked() -> _Engine:
    return _Engine()


def engine() -> _Engine:
    """The process's eSpeak NG engine, initialised once (thread-safe)."""
    with _init_lock:
        return _engine_unlocked()


SPEAK_TIMEOUT_S = 120


def synthesize(text: str, *, language: str, variant: str = "", gender: str = "neutral",
               rate: int = 160, pitch: int = 50, pitch_range: int = 50) -> Speech:
    """Speak `text` in eSpeak NG's `language` (e.g. 'en-us', 'cmn'); see `_Engine.synthesize`.
    Spoken in a fresh process, so the same line always gives the same samples (see above)."""
    request = dict(text=text, language=language, variant=variant, gender=gender, rate=rate,
                   pitch=pitch, pitch_range=pitch_range)
    try:
        done = subprocess.run([sys.executable, "-m", __name__],
                              input=json.dumps(request).encode("utf-8"), capture_output=True,
                              timeout=SPEAK_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ProviderError(f"house-voice: eSpeak NG took over {SPEAK_TIMEOUT_S} s to speak "
                            f"{text[:40]!r}") from exc
    if done.returncode != 0 or len(done.stdout) < 4:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise ProviderError(f"house-voice: eSpeak NG failed speaking {text[:40]!r}: {why[0]}")
    return Speech(done.stdout[4:], int.from_bytes(done.stdout[:4], "little"))


def _speak_one_from_stdin() -> None:
    """The child's side: one utterance, from a synthesizer that has spoken nothing before."""
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    speech = engine().synthesize(request.pop("text"), **request)
    sys.stdout.buffer.write(speech.sample_rate.to_bytes(4, "little") + speech.samples)


if __name__ == "__main__":
    _speak_one_from_stdin()
