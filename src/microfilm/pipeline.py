"""The pipeline: stage order, staleness, and one `make` that runs whatever is stale.

Stages run in the order docs/architecture.md gives. Each decides whether it is fresh (its
inputs key matches its last run and its outputs are intact), so `make` on an unchanged
project opens a few files, hashes them, and does nothing else.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import ModuleType
from typing import Literal

from pydantic import BaseModel

from microfilm import form, runlock
from microfilm.cache import RunCounters, WrittenFiles
from microfilm.config import Settings, load_settings
from microfilm.errors import MicrofilmError, SpecError
from microfilm.executor import open_executor
from microfilm.fsutil import remove_stale_temps
from microfilm.project import Project
from microfilm.providers import lifecycle
from microfilm.spend import spend  # re-exported: spend lives below the stages
from microfilm.stages import board, cut, develop, generate, master, research
from microfilm.stages.base import (
    MANAGED_FILES, EditPolicy, ProgressFn, StageContext, StageOutcome, load_records,
)

STAGES: dict[str, ModuleType] = {
    "research": research, "develop": develop, "board": board, "generate": generate,
    "cut": cut, "master": master,
}


class MakeReport(BaseModel):
    outcomes: list[StageOutcome]
    made: dict[str, int]
    reused: dict[str, int]
    elapsed_s: float
    spend: float
    outputs: dict[str, Path]

    @property
    def did_nothing(self) -> bool:
        return not any(o.ran for o in self.outcomes)


class StageState(BaseModel):
    name: str
    state: Literal["done", "stale", "missing", "edited"]
    elapsed_s: float = 0.0
    edited_files: list[str] = []


class ProjectStatus(BaseModel):
    title: str
    stages: list[StageState]
    shots_done: int
    shots_total: int
    spend: float
    spend_by_shot: dict[str, float] = {}
    budget: float
    currency: str
    elapsed_s: float
    duration_s: float  # planned runtime from the storyboard (0 before board)


def context(project: Project, *, on_progress: ProgressFn | None = None,
            edit_policy: EditPolicy = "ask", force: bool = False,
            settings: Settings | None = None, executor: str | None = None) -> StageContext:
    brief = project.brief()
    settings = settings or load_settings(brief.settings, source=f"{project.brief_path} [settings]",
                                         executor=executor)
    brief, _ = lifecycle.apply(brief, follow_successor=settings.follow_successor,
                               source=str(project.brief_path))  # a retired model stops here
    return StageContext(project=project, brief=brief, settings=settings,
                        counters=RunCounters(), on_progress=on_progress,
                        edit_policy=edit_policy, force=force)


def _selected(stages: list[str] | None) -> list[str]:
    if not stages:
        return list(STAGES)
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise MicrofilmError(f"unknown stage(s) {', '.join(unknown)}; stages are: {', '.join(STAGES)}")
    return [s for s in STAGES if s in stages]


def _ready(ctx: StageContext, name: str, selected: list[str], shown: str) -> None:
    """Refuse to start a stage whose input is missing or unusable, saying which command
    makes it: a stage run alone before the one it needs, or a board too short to be a film."""
    p = ctx.project
    needs = {"board": ("develop", [p.bible, p.screenplay]), "generate": ("board", [p.storyboard]),
             "cut": ("generate", [generate.manifest_path(ctx)]),
             "master": ("cut", [cut.cut_path(ctx)])}
    if name in needs:
        before, files = needs[name]
        missing = [f.name for f in files if not f.exists()]
        if missing and before not in selected:
            raise SpecError(f"`{name}` needs {' and '.join(missing)} from `{before}`: run "
                            f"`microfilm {before} {shown}` first (or `microfilm make {shown}` "
                            "for every stage in order)")
    if name == "generate":
        from microfilm.spec.storyboard import Storyboard

        runtime = Storyboard.load(p.storyboard).duration
        if runtime < form.MIN_DURATION_S:
            raise SpecError(
                f"{p.storyboard}: the film would run {runtime:.1f} s, under the "
                f"{form.MIN_DURATION_S:g} s a micro film needs; write more in "
                f"{p.screenplay.name} and run `microfilm board {shown}`, or lengthen the shots")


def make(path: str | Path, *, stages: list[str] | None = None, on_progress: ProgressFn | None = None,
         edit_policy: EditPolicy = "ask", force: bool = False,
         settings: Settings | None = None, platforms: list[str] = (),
         executor: str | None = None) -> MakeReport:
    """Run the stale stages in order, then master a variant for each of `platforms`.
    `executor` (a Ray address or "auto") overrides the film's `executor` setting."""
    project = Project.at(path)
    with runlock.hold(project.root, label=str(path)):
        remove_stale_temps(project.state / "assets")  # a killed run's leftovers; none run now
        return _make(project, stages=stages, on_progress=on_progress, edit_policy=edit_policy,
                     force=force, settings=settings, platforms=platforms, shown=str(path),
                     executor=executor)


def _make(project: Project, *, stages: list[str] | None, on_progress: ProgressFn | None,
          edit_policy: EditPolicy, force: bool, settings: Settings | None,
          platforms: list[str], shown: str, executor: str | None = None) -> MakeReport:
    ctx = context(project, on_progress=on_progress, edit_policy=edit_policy, force=force,
                  settings=settings, executor=executor)
    t0 = time.monotonic()
    selected = _selected(stages)
    outcomes = []
    generate.check_cluster_ledger(ctx)  # before connecting to a cluster
    with open_executor(ctx.settings.executor, ctx.settings.workers) as ctx.executor:
        for name in selected:
            _ready(ctx, name, selected, shown)
            outcomes.append(STAGES[name].run(ctx))
        if platforms:
            from microfilm.stages.variants import make_variant

            outcomes += [make_variant(ctx, p) for p in platforms]
    outs = master.outputs(ctx)
    return MakeReport(
        outcomes=outcomes, made=dict(ctx.counters.made), reused=dict(ctx.counters.reused),
        elapsed_s=round(time.monotonic() - t0, 3),
        spend=spend(project, ctx.brief.budget.currency, ctx.settings.ledger_url).total,
        outputs={k: v for k, v in outs.items() if v.exists()},
    )


def status(path: str | Path) -> ProjectStatus:
    project = Project.at(path)
    ctx = context(project)
    records = load_records(project)
    written = WrittenFiles(project.root)
    states: list[StageState] = []
    upstream_stale = False
    for name, module in STAGES.items():
        rec = records.get(name)
        edited = [f for f in MANAGED_FILES.get(name, ()) if written.edited_by_hand(f)]
        if rec is None:
            state = "missing"
        else:
            try:
                current = module.inputs_key(ctx)
            except (MicrofilmError, OSError):
                current = None
            state = "done" if (current == rec.inputs and not upstream_stale) else "stale"
            if edited and state == "done":
                state = "edited"
        if name != "research" and state in ("missing", "stale"):
            upstream_stale = True
        states.append(StageState(name=name, state=state, elapsed_s=rec.elapsed_s if rec else 0.0,
                                 edited_files=edited))
    shots_total = shots_done = 0
    duration = 0.0
    if project.storyboard.exists():
        from microfilm.spec.storyboard import Storyboard

        sb = Storyboard.load(project.storyboard)
        shots_total, duration = len(sb.shots), sb.duration
        if generate.manifest_path(ctx).exists():
            man = generate.load_manifest(ctx)
            have = {a.shot_id for a in man.shots if (project.root / a.clip).exists()}
            shots_done = sum(1 for s in sb.shots if s.id in have)
    b = ctx.brief
    paid = spend(project, b.budget.currency, ctx.settings.ledger_url)
    return ProjectStatus(
        title=b.title, stages=states, shots_done=shots_done, shots_total=shots_total,
        spend=paid.total, spend_by_shot=paid.by_shot, budget=b.budget.amount,
        currency=b.budget.currency, elapsed_s=round(sum(r.elapsed_s for r in records.values()), 3),
        duration_s=round(duration, 3),
    )
