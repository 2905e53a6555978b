"""What a stepwise writer has accepted so far, kept in a progress file after every step: a
failure keeps it (WriterError.partial) and a re-run with the same brief resumes from it
instead of paying for those steps again."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from pydantic import BaseModel

from microfilm.errors import ProviderError
from microfilm.fsutil import atomic_write_text
from microfilm.providers.llm.schemas import BibleSketch, Outline, SceneAction, SceneDialogue, Step
from microfilm.spec.brief import Brief

log = logging.getLogger(__name__)

PROGRESS_VERSION = 1


class Progress(BaseModel):
    """Everything accepted so far; saved after every step so nothing is paid for twice."""

    version: int = PROGRESS_VERSION
    key: str = ""  # hash of the brief, seed and writer identity this progress belongs to
    bible: BibleSketch | None = None
    outline: Outline | None = None
    actions: dict[int, SceneAction] = {}
    dialogue: dict[int, SceneDialogue] = {}
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def summary(self) -> str:
        parts = []
        if self.bible:
            parts.append(f"bible ({len(self.bible.characters)} characters, "
                         f"{len(self.bible.locations)} locations)")
        if self.outline:
            parts.append(f"outline ({len(self.outline.scenes)} scenes)")
        if self.actions:
            parts.append(f"action for {len(self.actions)} scene(s)")
        if self.dialogue:
            parts.append(f"dialogue for {len(self.dialogue)} scene(s)")
        return ", ".join(parts) or "nothing"


class WriterError(ProviderError):
    """A step failed for good; `partial` keeps every step that was accepted before it."""

    def __init__(self, message: str, *, step: Step, partial: Progress,
                 progress_path: Path | None, cause: Exception | None = None):
        super().__init__(message)
        self.step = step
        self.partial = partial
        self.progress_path = progress_path
        self.cause = cause


def load_progress(path: Path | None, key: str) -> Progress:
    if path is None or not path.exists():
        return Progress(key=key)
    try:
        progress = Progress.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        log.warning("%s: ignoring unreadable writer progress (%s)", path, exc)
        return Progress(key=key)
    if progress.key != key or progress.version != PROGRESS_VERSION:
        return Progress(key=key)  # another brief or writer: start afresh
    return progress


def progress_path_for(out: Path) -> Path | None:
    """Where a writer keeps its progress: `<request.out>/writer-progress.json`.

    None when the request names no output folder (the default "."), so a bare call never
    litters the working directory.
    """
    return None if Path(out) == Path(".") else Path(out) / "writer-progress.json"


def save_progress(path: Path | None, progress: Progress) -> None:
    if path is not None:
        atomic_write_text(path, progress.model_dump_json(indent=1))


def progress_key(brief: Brief, seed: int, identity: dict[str, str]) -> str:
    payload = json.dumps({"brief": brief.model_dump(mode="json"), "seed": seed,
                          "writer": identity}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
