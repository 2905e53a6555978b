"""What every stage shares: its context, its run record, and the hand-edit rule.

A stage is a function `run(ctx) -> StageOutcome`. It computes an inputs key from the
canonical JSON of what it reads; when the key matches the last run's record and its
outputs are still there, it does nothing. Files a person may edit (bible, screenplay,
storyboard, research) go through `write_managed`, which never overwrites a hand edit.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import BaseModel

from microfilm.cache import RunCounters, Store, WrittenFiles, cache_key
from microfilm.config import Settings
from microfilm.errors import ConflictError
from microfilm.executor import Executor
from microfilm.fsutil import atomic_write_text, sha256_file
from microfilm.project import Project
from microfilm.spec.brief import Brief

EditPolicy = Literal["ask", "keep", "force"]


class Progress(BaseModel):
    stage: str
    done: int
    total: int
    message: str = ""


ProgressFn = Callable[[Progress], None]


class StageRecord(BaseModel):
    inputs: str
    finished_at: float
    elapsed_s: float
    spend: float = 0.0
    outputs: dict[str, str] = {}  # name -> sha256 of the output file when it was made
    data: dict[str, Any] = {}


class StageOutcome(BaseModel):
    stage: str
    ran: bool
    message: str = ""


@dataclass
class StageContext:
    project: Project
    brief: Brief
    settings: Settings
    counters: RunCounters = field(default_factory=RunCounters)
    on_progress: ProgressFn | None = None
    edit_policy: EditPolicy = "ask"
    force: bool = False
    executor: Executor | None = None  # the run's (pipeline.make opens it); None: in-process

    @property
    def store(self) -> Store:
        return Store(self.project.root, self.counters)

    def progress(self, stage: str, done: int, total: int, message: str = "") -> None:
        if self.on_progress:
            self.on_progress(Progress(stage=stage, done=done, total=total, message=message))


# ---- run records -----------------------------------------------------------------------


def _records_path(project: Project) -> Path:
    return project.records


def load_records(project: Project) -> dict[str, StageRecord]:
    try:
        raw = json.loads(_records_path(project).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {k: StageRecord.model_validate(v) for k, v in raw.items()}


def save_record(project: Project, stage: str, record: StageRecord) -> None:
    records = load_records(project)
    records[stage] = record
    atomic_write_text(
        _records_path(project),
        json.dumps({k: v.model_dump(mode="json") for k, v in records.items()}, indent=1),
    )


def outputs_intact(project: Project, record: StageRecord) -> bool:
    for rel, digest in record.outputs.items():
        p = project.root / rel
        if not p.exists() or sha256_file(p) != digest:
            return False
    return True


MANAGED_FILES = {"research": ("research.md",), "develop": ("bible.yaml", "screenplay.fountain"),
                 "board": ("storyboard.yaml",)}
"""Files a stage writes that a person may edit."""


def is_fresh(ctx: StageContext, stage: str, inputs: str) -> bool:
    """Up to date: same inputs, outputs intact, and not asked to redo. The force edit policy
    also redoes a stage whose files carry hand edits, since it means "overwrite them"."""
    rec = load_records(ctx.project).get(stage)
    if ctx.edit_policy == "force" and MANAGED_FILES.get(stage):
        written = WrittenFiles(ctx.project.root)
        if any(written.edited_by_hand(f) for f in MANAGED_FILES[stage]):
            return False
    return bool(rec and rec.inputs == inputs and outputs_intact(ctx.project, rec) and not ctx.force)


class Timer:
    def __init__(self) -> None:
        self.t0 = time.monotonic()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.t0


def record_run(ctx: StageContext, stage: str, inputs: str, timer: Timer,
               outputs: list[Path] = (), spend: float = 0.0, data: dict | None = None) -> None:
    save_record(ctx.project, stage, StageRecord(
        inputs=inputs, finished_at=time.time(), elapsed_s=round(timer.elapsed, 3), spend=spend,
        outputs={str(p.relative_to(ctx.project.root)): sha256_file(p) for p in outputs},
        data=data or {},
    ))


# ---- files a person may edit -------------------------------------------------------------


def text_key(*paths: Path) -> str:
    """Key of the current contents of project files (a hand edit changes it)."""
    # Bytes decoded leniently: the key of valid UTF-8 is unchanged, and a bad file reaches the
    # reader that names its line instead of failing here.
    return cache_key("files", {p.name: (p.read_bytes().decode("utf-8", "replace") if p.is_file()
                                        else None) for p in paths})


@dataclass(frozen=True)
class ManagedWrite:
    path: Path
    written: bool  # False when a hand edit was kept


def _decide(ctx: StageContext, path: Path, inputs: str, stage: str) -> Literal["write", "keep", "backup"]:
    """What to do with a file a person may edit; raises ConflictError if a hand edit
    would be lost and the edit policy does not say what to do."""
    written = WrittenFiles(ctx.project.root)
    entry = written.entry(path.name)
    if not written.edited_by_hand(path.name):
        return "write"
    if ctx.edit_policy == "force":  # asked to regenerate: the edit goes to the backups
        return "backup"
    if entry is not None and entry["inputs"] == inputs:
        return "keep"
    if ctx.edit_policy == "keep":
        return "keep"
    what = "its inputs changed" if entry else "microfilm did not write it"
    raise ConflictError(
        f"{path.name} was edited by hand and {what} since. To keep your version, run "
        f"`microfilm {stage} {ctx.project.root} --keep`; to regenerate it (your version "
        f"is saved under .microfilm/backups/), run `microfilm {stage} {ctx.project.root} --force`."
    )


def write_managed(ctx: StageContext, files: dict[Path, str], inputs: str, stage: str) -> list[ManagedWrite]:
    """Write files a person may edit, unless they did and the edit would be lost.

    - Never edited since we wrote it: (re)write it.
    - Edited by hand and our inputs are unchanged: the edit is the truth; keep it.
    - Edited by hand and the inputs changed: stop and say how to proceed, unless the
      edit policy says keep (accept the edit against the new inputs) or force (back the
      edit up, then overwrite).
    Every file is checked before any is written, so a conflict leaves all of them as they were.
    """
    decisions = {path: _decide(ctx, path, inputs, stage) for path in files}
    written = WrittenFiles(ctx.project.root)
    results = []
    for path, text in files.items():
        decision = decisions[path]
        if decision == "keep":
            written.record_inputs(path.name, inputs)
            results.append(ManagedWrite(path, False))
            continue
        if decision == "backup":
            backup = ctx.project.state / "backups" / f"{path.name}.{time.strftime('%Y%m%d-%H%M%S')}"
            backup.parent.mkdir(parents=True, exist_ok=True)
            backup.write_bytes(path.read_bytes())
        atomic_write_text(path, text)
        written.record(path.name, inputs, text)
        results.append(ManagedWrite(path, True))
    return results
