"""Research: the dossier (genre, audience, platform, constraints, estimate) as research.md."""

from __future__ import annotations

from microfilm.cache import cache_key
from microfilm.stages.base import StageContext, StageOutcome, Timer, is_fresh, record_run, write_managed

NAME = "research"
FORMAT = "1"


def inputs_key(ctx: StageContext) -> str:
    from microfilm.providers import registry

    entry = registry.entries().get(ctx.brief.providers.writer)
    identity = entry.info.cache_identity() if entry and entry.info else {}
    return cache_key(NAME, {"brief": ctx.brief, "format": FORMAT}, identity)


def run(ctx: StageContext) -> StageOutcome:
    from microfilm.research import write_research

    key = inputs_key(ctx)
    if is_fresh(ctx, NAME, key) and ctx.project.research.exists():
        return StageOutcome(stage=NAME, ran=False, message="research.md is up to date")
    timer = Timer()
    from microfilm.estimate import estimate_plan
    from microfilm.providers import registry

    plan = estimate_plan(ctx.brief, usd_to_cny=ctx.settings.usd_to_cny)
    writer_id = ctx.brief.providers.writer
    entry = registry.entries().get(writer_id)
    from microfilm.providers.base import HouseProvider

    is_llm = entry is not None and entry.usable and not issubclass(entry.cls, HouseProvider)
    writer = registry.get(writer_id, "writer") if is_llm else None  # an LLM also reasons
    ctx.progress(NAME, 0, 1, "writing research.md")
    text = write_research(ctx.brief, writer=writer, providers_estimate=plan.for_research())
    (result,) = write_managed(ctx, {ctx.project.research: text}, key, NAME)
    record_run(ctx, NAME, key, timer)
    ctx.progress(NAME, 1, 1, "done")  # else the bar stays at 0/1 with its clock running
    return StageOutcome(stage=NAME, ran=True,
                        message="wrote research.md" if result.written else "kept your research.md")
