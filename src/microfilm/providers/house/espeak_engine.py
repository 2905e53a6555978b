"""eSpeak NG through ctypes, and the one-utterance child process that speaks each line.

Why a module of its own, importing nothing but the standard library: every line is spoken by
a fresh process (providers/house/espeak.py says why), and that process is most of a line's
cost. Run as a script with `python -I -S` it starts in about a fifth of the time of
`python -m microfilm.providers.house.espeak`, which loaded microfilm, pydantic and
site-packages only to raise their error type. The parent passes the library and its data
folder (it knows them from the `espeakng-loader` wheel) and maps a failure to ProviderError.

    python -I -S espeak_engine.py LIBRARY DATA_PARENT LANGUAGE VARIANT GENDER RATE PITCH RANGE
        < text (UTF-8) > sample rate (4 bytes, little-endian) + samples

No json, re or threading either: each import is paid again by every line.
"""

from __future__ import annotations

import ctypes
import sys

# speak_lib.h constants (API revision 12)
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
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


class EngineError(RuntimeError):
    """eSpeak NG could not be loaded, initialised or asked to speak (the text says which)."""


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


def load_library(path: str) -> ctypes.CDLL:
    """Load libespeak-ng from `path` and declare the calls we use (speak_lib.h)."""
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise EngineError(f"cannot load eSpeak NG from {path}: {exc}") from exc
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


class Engine:
    """One process's eSpeak NG synthesizer (eSpeak keeps one global synthesizer per process;
    the process speaks one line, so nothing here is shared between threads)."""

    def __init__(self, lib: ctypes.CDLL, data_parent: str) -> None:
        self._lib = lib
        self._chunks: list[bytes] = []
        # The callback object must live as long as the library may call it.
        self._callback = _SynthCallback(self._on_audio)
        # `path` is the folder that contains espeak-ng-data.
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_parent.encode(), 0)
        if rate <= 0:
            raise EngineError(f"eSpeak NG failed to initialise with data at {data_parent}")
        self.sample_rate = int(rate)
        lib.espeak_SetSynthCallback(self._callback)

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
            raise EngineError(
                f"eSpeak NG has no voice for language {language!r} (variant {variant!r})"
            )

    def synthesize(self, text: str, *, language: str, variant: str = "",
                   gender: str = "neutral", rate: int = 160, pitch: int = 50,
                   pitch_range: int = 50) -> bytes:
        """Speak UTF-8 `text` with the voice `language[+variant]`; 16-bit mono samples."""
        data = text.encode("utf-8") + b"\0"
        self._set_voice(language, variant, gender)
        self._lib.espeak_SetParameter(_RATE, max(RATE_MIN, min(RATE_MAX, int(rate))), 0)
        self._lib.espeak_SetParameter(_PITCH, max(0, min(99, int(pitch))), 0)
        self._lib.espeak_SetParameter(_RANGE, max(0, min(99, int(pitch_range))), 0)
        self._lib.espeak_SetParameter(_VOLUME, 100, 0)
        self._chunks = []
        self._lib.espeak_ng_SetRandSeed(RAND_SEED)  # not the clock's (espeak.py says why)
        try:
            status = self._lib.espeak_Synth(data, len(data), 0, 0, 0, _CHARS_UTF8, None, None)
            samples = b"".join(self._chunks)
        finally:
            self._chunks = []
        if status != _EE_OK:
            raise EngineError(f"eSpeak NG synthesis failed (status {status})")
        return samples


def speak_one(argv: list[str]) -> None:
    """The child's side: one utterance, from a synthesizer that has spoken nothing before."""
    library, data_parent, language, variant, gender, rate, pitch, pitch_range = argv
    engine = Engine(load_library(library), data_parent)
    samples = engine.synthesize(sys.stdin.buffer.read().decode("utf-8"), language=language,
                                variant=variant, gender=gender, rate=int(rate),
                                pitch=int(pitch), pitch_range=int(pitch_range))
    sys.stdout.buffer.write(engine.sample_rate.to_bytes(4, "little") + samples)


if __name__ == "__main__":
    try:
        speak_one(sys.argv[1:])
    except EngineError as exc:
        sys.exit(str(exc))
