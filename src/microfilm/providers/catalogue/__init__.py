"""The model catalogue: every paid model microfilm knows, as data, one YAML file per provider.

A model's price, capabilities and lifecycle change every quarter; keeping them in data (with
the date each was read) means such a change is a reviewed one-line edit, and the registered
client classes read their `ProviderInfo` from here instead of repeating it. A retired model
is refused before any call (see microfilm.providers.lifecycle), naming its successor.

Each file holds the provider (the company), the API references read with their dates, and
its models. A model's `name` is what film.toml picks (`animator = "kling-v3"`); `model` is
the id sent to the API; `client` is the registered entry point that speaks its protocol, or
empty when microfilm lists the model but has no client for it yet.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from microfilm.errors import SpecError
from microfilm.providers.base import Capabilities, Capability, Price, ProviderInfo
from microfilm.spec._yaml import load_yaml

Status = Literal["current", "deprecated", "retired"]


class Reference(BaseModel):
    """An API reference or price page, with the day it was read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str
    read_on: date
    note: str = ""


class Lifecycle(BaseModel):
    """Where a model is in its provider's life: current, deprecated (shut-off announced) or
    retired (no longer served). Dates are what the provider announced."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: Status = "current"
    announced: date | None = None  # when the deprecation was announced, where known
    shut_off: date | None = None  # when the provider stops (or stopped) serving it
    read_on: date  # when this lifecycle was last checked against the provider

    @model_validator(mode="after")
    def _dated(self) -> "Lifecycle":
        if self.status == "deprecated" and self.shut_off is None:
            raise ValueError("a deprecated model needs its `shut_off` date")
        if self.status == "retired" and self.shut_off is None:
            raise ValueError("a retired model needs its `shut_off` date")
        return self

    def on(self, day: date) -> Status:
        """The status on `day`: a model is retired from its shut-off day on, deprecated before
        it once a shut-off is announced."""
        if self.status == "current" or self.shut_off is None:
            return self.status
        return "retired" if day >= self.shut_off else "deprecated"


class ModelPrice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: Literal["call", "second", "image", "1k_chars", "1k_tokens", "minute"]
    amount: float = Field(ge=0)
    currency: Literal["USD", "CNY"] = "USD"
    read_on: date
    note: str = ""


class ModelCapabilities(BaseModel):
    """What the model can be asked for; the fields the board, planner and mix consult."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    durations: tuple[float, ...] = ()  # discrete clip lengths; () = any in [min, max]
    min_duration: float = 0.5
    max_duration: float = 600.0
    sizes: tuple[tuple[int, int], ...] = ()  # output sizes (w, h); () = any
    aspects: tuple[str, ...] = ("9:16", "16:9", "1:1")
    reference_images: int = 0  # how many character/subject references one call takes
    first_last_frame: bool = False
    multi_shot: int = 1  # most shots one call renders (1 = single shot)
    native_audio: bool = False  # clips come with their own sound
    dialogue: bool = False  # speaks a line written in the prompt, lips moving
    voice_reference: bool = False  # takes a voice sample to speak it with
    languages: tuple[str, ...] = ("en", "zh")
    concurrency: int | None = None  # jobs one account runs at once (microfilm.lanes)


class CatalogueModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str  # the name film.toml uses
    model: str  # the id the API takes
    version: str
    capability: Capability
    title: str
    client: str = ""  # registered entry point speaking its protocol; "" = listed, no client
    price: ModelPrice
    capabilities: ModelCapabilities = ModelCapabilities()
    lifecycle: Lifecycle
    successor: str = ""  # the catalogue name to move to when this one goes
    provider: str = ""  # filled from the file
    prompt_family: str = ""  # direction.prompts family its prompt is written for ("" = board's)

    def status_on(self, day: date | None = None) -> Status:
        return self.lifecycle.on(day or date.today())


class ProviderFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    provider: str
    title: str
    references: tuple[Reference, ...] = Field(min_length=1)
    models: tuple[CatalogueModel, ...] = Field(min_length=1)


class Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True)

    providers: tuple[ProviderFile, ...]

    @property
    def models(self) -> dict[str, CatalogueModel]:
        return {m.name: m for p in self.providers for m in p.models}

    def get(self, name: str) -> CatalogueModel | None:
        return self.models.get(name)


HERE = Path(__file__).parent


def parse(path: Path) -> ProviderFile:
    """One catalogue file; errors name the file and the field (spec._yaml)."""
    pf = load_yaml(ProviderFile, path)
    return pf.model_copy(update={"models": tuple(m.model_copy(update={"provider": pf.provider})
                                                 for m in pf.models)})


@cache
def load() -> Catalogue:
    files = [parse(p) for p in sorted(HERE.glob("*.yaml"))]
    seen: dict[str, str] = {}
    for pf in files:
        for m in pf.models:
            if m.name in seen:
                raise SpecError(f"model catalogue: {m.name!r} is listed in both {seen[m.name]} "
                                f"and {pf.provider}")
            seen[m.name] = pf.provider
    cat = Catalogue(providers=tuple(files))
    for m in cat.models.values():
        if m.successor and m.successor not in seen:
            raise SpecError(f"model catalogue {m.provider}: {m.name}'s successor "
                            f"{m.successor!r} is not in the catalogue")
    return cat


def entry(name: str) -> CatalogueModel:
    m = load().get(name)
    if m is None:
        raise SpecError(f"model catalogue: no model named {name!r}")
    return m


def info(name: str, *, is_async: bool, extra: str, env_keys: tuple[str, ...],
         sends_references: bool = True) -> ProviderInfo:
    """The `ProviderInfo` of the catalogue model `name`: what a client class declares.

    The protocol facts (sync or async, the pip extra, the key names) stay with the client;
    price, capabilities, model id and version come from the catalogue. A client that does
    not send the reference images its model could take says `sends_references=False`, so
    no sheet is painted (and paid for) only to be left out of the request."""
    m = entry(name)
    c = m.capabilities
    if not sends_references:
        c = c.model_copy(update={"reference_images": 0})
    return ProviderInfo(
        id=m.name, capability=m.capability, model=m.model, version=m.version, title=m.title,
        is_async=is_async, paid=m.price.amount > 0,
        price=Price(unit=m.price.unit, amount=m.price.amount, currency=m.price.currency),
        capabilities=Capabilities(
            durations=c.durations, min_duration=c.min_duration, max_duration=c.max_duration,
            sizes=c.sizes, aspects=c.aspects, languages=c.languages,
            references=c.reference_images > 0, native_audio=c.native_audio,
            multi_shot=c.multi_shot, reference_images=c.reference_images,
            concurrency=c.concurrency),
        extra=extra, env_keys=env_keys, prices_read_on=m.price.read_on,
        prompt_family=m.prompt_family)
