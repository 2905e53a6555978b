"""Research: the dossier (genre, audience, platform, constraints, estimate) as research.md."""

from __future__ import annotations

from microfilm.cache import cache_key
from microfilm.stages.base import StageContext, StageOutcome, Timer, is_fresh, record_run, write_managed

NAME = "research"
FORMAT = "1"


def inputs_key(ctx: StageContext) -> str:
    return cache_key(NAME, {"brief": ctx.brief, "format": FORMAT})


def run(ctx: StageContext) -> StageOutcome:
    from microfilm.research import write_research

    key = inputs_key(ctx)
    if is_fresh(ctx, NAME, key) and ctx.project.research.exists():
        return StageOutcome(stage=NAME, ran=False, message="research.md is up to date")
    timer = Timer()
    text = write_research(ctx.brief)
    (result,) = write_managed(ctx, {ctx.project.research: text}, key, NAME)
    record_run(ctx, NAME, key, timer)
    return StageOutcome(stage=NAME, ran=True,
                        message="wrote research.md" if result.written else "kept your research.md")
