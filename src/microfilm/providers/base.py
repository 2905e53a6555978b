"""The five capabilities as protocols, with what each provider can do and what it costs.

A provider is a class with a `info: ProviderInfo` class attribute and one entry method
taking a typed request and returning a typed result. Requests are pydantic models: their
canonical JSON (minus the output path) plus the provider's id, model and version is the
asset's cache key, so the same request is never generated, or paid for, twice.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import ClassVar, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from microfilm.spec.bible import Bible, VoiceSpec
from microfilm.spec.brief import Brief
from microfilm.spec.screenplay import Screenplay

Capability = Literal["writer", "painter", "animator", "voice", "composer", "lipsync"]
CAPABILITIES: tuple[Capability, ...] = ("writer", "painter", "animator", "voice", "composer")
"""The five a film always has; "lipsync" is optional (fits a spoken line to a face)."""


class Price(BaseModel):
    """Price of one unit of work; `unit` is what the provider bills by."""

    model_config = ConfigDict(frozen=True)

    unit: Literal["call", "second", "image", "1k_chars", "1k_tokens", "minute"] = "call"
    amount: float = 0.0
    currency: Literal["USD", "CNY"] = "USD"


class Capabilities(BaseModel):
    model_config = ConfigDict(frozen=True)

    durations: tuple[float, ...] = ()  # discrete clip lengths the animator renders; () = any
    max_duration: float = 600.0  # longest single clip/utterance
    min_duration: float = 0.5
    sizes: tuple[tuple[int, int], ...] = ()  # () = any size
    aspects: tuple[str, ...] = ("9:16", "16:9", "1:1")
    languages: tuple[str, ...] = ("en", "zh")
    references: bool = False  # accepts reference images
    native_audio: bool = False  # clips come with their own sound
    multi_shot: int = 1  # most consecutive shots one call renders (catalogue `multi_shot`)
    reference_images: int = 0  # how many reference images one call takes (0 = none)
    concurrency: int | None = None  # jobs the service runs at once; None: lanes.DEFAULT_PAID_CONCURRENCY


class ProviderInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str  # the name used in film.toml, e.g. "house-painter", "openai-image"
    capability: Capability
    model: str
    version: str
    title: str = ""
    is_async: bool = False  # submit, poll, download
    paid: bool = False
    price: Price = Price()
    capabilities: Capabilities = Capabilities()
    extra: str = ""  # pip extra that installs its SDK, e.g. "openai"
    env_keys: tuple[str, ...] = ()  # environment variables it needs (names only)
    prices_read_on: date | None = None
    prompt_family: str = ""  # the direction prompt writer its prompts follow ("" = the board's)

    def cache_identity(self) -> dict[str, str]:
        return {"provider": self.id, "model": self.model, "version": self.version}


# ---- requests and results --------------------------------------------------------------


class Request(BaseModel):
    """Base of every provider request. `out` is where to write; it is not part of the key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    out: Path = Field(default=Path("."), exclude=True)
    seed: int = 0


class DevelopRequest(Request):
    brief: Brief


class Draft(BaseModel):
    bible: Bible
    screenplay: Screenplay


class CharacterLook(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    look: str
    wardrobe: str
    color: str


class PaintRequest(Request):
    kind: Literal["keyframe", "cover", "reference", "card"] = "keyframe"
    prompt: str
    width: int
    height: int
    genre: str
    palette: tuple[str, ...] = ()
    framing: str = "medium"
    time_of_day: str = ""
    location: str = ""
    motifs: tuple[str, ...] = ()
    characters: tuple[CharacterLook, ...] = ()
    references: tuple[str, ...] = ()  # sha256 of reference images (the key follows them)
    reference_paths: tuple[Path, ...] = Field(default=(), exclude=True)  # where they are
    title: str = ""  # for covers and cards: the words to set
    subtitle: str = ""
    language: str = "en"


class ImageResult(BaseModel):
    path: Path
    width: int
    height: int


class AnimateRequest(Request):
    image: Path = Field(exclude=True)
    image_sha256: str  # the keyframe's content, so the key follows the picture
    camera: str = "static"
    duration: float
    width: int
    height: int
    fps: int = 30
    prompt: str = ""
    references: tuple[str, ...] = ()  # sha256 of character reference images
    reference_paths: tuple[Path, ...] = Field(default=(), exclude=True)


class ShotPart(BaseModel):
    """One planned shot inside a multi-shot call: its words and the whole seconds asked for it
    (the service takes whole seconds; the clip is cut back to the planned frames after)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    shot_id: str
    prompt: str
    seconds: int = Field(ge=1)


class MultiShotRequest(AnimateRequest):
    """Several consecutive shots of one scene rendered in one call (Kling 3 multi-shot):
    `duration` is the sum of the parts' seconds, `image` the first shot's keyframe. Its own
    type, so a single-shot request's cache key does not change."""

    shots: tuple[ShotPart, ...] = Field(min_length=2)


class ClipResult(BaseModel):
    path: Path
    duration: float
    has_audio: bool = False


class LipSyncRequest(Request):
    """Fit a character's spoken line (audio placed where it is said) to the face in a clip."""

    video: Path = Field(exclude=True)
    video_sha256: str  # the clip's content, so the key follows the picture
    audio: Path = Field(exclude=True)
    audio_sha256: str  # the line's audio, padded to start where it is said
    duration: float  # the clip's length, what the service bills
    width: int
    height: int
    fps: int = 30


class SpeechRequest(Request):
    text: str
    language: Literal["en", "zh"]
    voice: VoiceSpec
    character: str = ""


class AudioResult(BaseModel):
    path: Path  # WAV, 48 kHz
    duration: float


class ScoreRequest(Request):
    genre: str
    mood: str
    tempo_bpm: int
    mode: str
    duration: float
    scene_starts: tuple[float, ...] = ()  # seconds where a new scene begins


# ---- protocols ----------------------------------------------------------------------


@runtime_checkable
class Provider(Protocol):
    info: ClassVar[ProviderInfo]

    @classmethod
    def missing(cls) -> list[str]:
        """What is missing to use this provider (extra, key); empty when usable."""
        ...


class Writer(Provider, Protocol):
    def develop(self, request: DevelopRequest) -> Draft: ...


class Painter(Provider, Protocol):
    def paint(self, request: PaintRequest) -> ImageResult: ...


class Animator(Provider, Protocol):
    def animate(self, request: AnimateRequest) -> ClipResult: ...


class LipSync(Provider, Protocol):
    def lipsync(self, request: LipSyncRequest) -> ClipResult: ...


class Voice(Provider, Protocol):
    def speak(self, request: SpeechRequest) -> AudioResult: ...


class Composer(Provider, Protocol):
    def compose(self, request: ScoreRequest) -> AudioResult: ...


class HouseProvider:
    """Mixin for embedded providers: nothing to install, no key, free."""

    @classmethod
    def missing(cls) -> list[str]:
        return []
