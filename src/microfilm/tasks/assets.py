"""Asset tasks: a keyframe, reference sheet, cover, clip, voice, lip-sync or score from its
provider, made only when the content-addressed store lacks it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from microfilm.cache import RunCounters, Store
from microfilm.tasks.runs import RunSpec, context
from microfilm.providers import jobs
from microfilm.providers.base import (
    AnimateRequest, LipSyncRequest, PaintRequest, Request, ScoreRequest, SpeechRequest,
)

@dataclass(frozen=True)
class AssetResult:
    path: Path
    made: bool  # False: the store already had it
    refused: str = ""  # the provider refused the request (content policy); nothing was stored


@dataclass(frozen=True)
class AssetTask:
    """One asset from one provider, made only if the store lacks it. A paid provider's call
    goes through `jobs.execute`: recorded in the run's ledger first, budget-checked, never
    sent twice, also when Ray retries the task on another node."""

    spec: RunSpec
    provider: str
    request: Request
    key: str
    shot_id: str = ""
    suffix: str = ""  # the stored file's ending when the provider's differs from `ext`
    # True: the task mostly waits on a paid service (the in-process executor gives such tasks
    # their own wide pool; the provider's lane bounds how many are out at once)
    remote: bool = False
    kind: ClassVar[str] = ""
    capability: ClassVar[str] = ""
    method: ClassVar[str] = ""
    ext: ClassVar[str] = ""

    def run(self) -> AssetResult:
        ctx = context(self.spec)
        provider = ctx.provider(self.provider, self.capability)
        counters = RunCounters()

        def make(tmp: Path) -> None:
            req = self.request.model_copy(update={"out": tmp})
            if provider.info.paid:  # its lane is held while the service works (microfilm.lanes)
                jobs.execute(provider, req, ledger=ctx.ledger, budget_guard=ctx.guard, out=tmp,
                             shot_id=self.shot_id or self.kind,
                             slot=lambda: ctx.lanes.slot(provider.info))
            else:
                with ctx.lanes.slot(provider.info):
                    getattr(provider, self.method)(req)

        ext = self.suffix or self.ext
        try:
            path = Store(self.spec.root, counters).produce(self.kind, self.key, ext, make)
        except jobs.RefusedError as exc:
            return AssetResult(path=Path(), made=False, refused=str(exc))
        return AssetResult(path=path, made=bool(counters.made))


@dataclass(frozen=True)
class KeyframeTask(AssetTask):
    request: PaintRequest
    kind: ClassVar[str] = "keyframe"
    capability: ClassVar[str] = "painter"
    method: ClassVar[str] = "paint"
    ext: ClassVar[str] = ".png"


@dataclass(frozen=True)
class ReferenceTask(KeyframeTask):
    kind: ClassVar[str] = "reference"


@dataclass(frozen=True)
class CoverTask(KeyframeTask):
    kind: ClassVar[str] = "cover"


@dataclass(frozen=True)
class ClipTask(AssetTask):
    request: AnimateRequest
    kind: ClassVar[str] = "clip"
    capability: ClassVar[str] = "animator"
    method: ClassVar[str] = "animate"
    ext: ClassVar[str] = ".mp4"


@dataclass(frozen=True)
class VoiceTask(AssetTask):
    request: SpeechRequest
    kind: ClassVar[str] = "voice"
    capability: ClassVar[str] = "voice"
    method: ClassVar[str] = "speak"
    ext: ClassVar[str] = ".wav"


@dataclass(frozen=True)
class LipSyncTask(AssetTask):
    request: LipSyncRequest
    kind: ClassVar[str] = "lipsync"
    capability: ClassVar[str] = "lipsync"
    method: ClassVar[str] = "lipsync"
    ext: ClassVar[str] = ".mp4"


@dataclass(frozen=True)
class ScoreTask(AssetTask):
    request: ScoreRequest
    kind: ClassVar[str] = "score"
    capability: ClassVar[str] = "composer"
    method: ClassVar[str] = "compose"
    ext: ClassVar[str] = ".wav"

