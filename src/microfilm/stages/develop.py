"""Develop: the brief becomes a bible and a screenplay, by the chosen writer.

The writer's draft is cached by the brief and the writer's identity, so a paid writer is
never asked twice for the same brief, even if the files are deleted.
"""

from __future__ import annotations

from pathlib import Path

from microfilm.cache import cache_key
from microfilm.errors import SpecError
from microfilm.ledger import Ledger
from microfilm.providers import registry, writer_meter
from microfilm.providers.pricing import BudgetGuard
from microfilm.providers.base import DevelopRequest, Draft
from microfilm.spec import fountain
from microfilm.spec.bible import Bible
from microfilm.stages.base import StageContext, StageOutcome, Timer, is_fresh, record_run, write_managed

NAME = "develop"


def writer_identity(writer_id: str) -> dict[str, str]:
    """The identity of the writer as it runs now. An LLM writer takes its model from the
    environment (MICROFILM_LLM_MODEL, MICROFILM_ANTHROPIC_MODEL...), and only an instance's
    info names that model; the class's names its default. A writer that cannot run here
    (no key, no SDK) is named by its class: develop would stop before writing anyway."""
    entry = registry.entries().get(writer_id)
    if entry is None or entry.info is None:
        return {"provider": writer_id}
    if entry.usable:
        return registry.get(writer_id, "writer").info.cache_identity()
    return entry.info.cache_identity()


def inputs_key(ctx: StageContext) -> str:
    return cache_key(NAME, {"brief": ctx.brief}, writer_identity(ctx.brief.providers.writer))


def run(ctx: StageContext) -> StageOutcome:
    key = inputs_key(ctx)
    p = ctx.project
    if is_fresh(ctx, NAME, key) and p.bible.exists() and p.screenplay.exists():
        return StageOutcome(stage=NAME, ran=False, message="bible and screenplay are up to date")
    if keep_imported(ctx, key):
        return StageOutcome(stage=NAME, ran=False, message="kept your own script and its bible")
    timer = Timer()
    ctx.progress(NAME, 0, 1, "writing the screenplay")
    writer = registry.get(ctx.brief.providers.writer, "writer")
    with writer_meter.metering(*_ledger_and_guard(ctx), writer.info):  # models12c: paid calls metered
        draft_path = ctx.store.produce(
            "draft", key, ".json",
            lambda tmp: tmp.write_text(
                writer.develop(DevelopRequest(brief=ctx.brief, seed=ctx.brief.seed)).model_dump_json(indent=1),
                encoding="utf-8",
            ),
        )
    draft = Draft.model_validate_json(draft_path.read_text(encoding="utf-8"))
    bible = keep_supplied_references(draft.bible, p.bible)
    results = write_managed(ctx, {p.bible: bible.to_yaml(),
                                  p.screenplay: fountain.dump(draft.screenplay)}, key, NAME)
    kept = [r.path.name for r in results if not r.written]
    record_run(ctx, NAME, key, timer)
    ctx.progress(NAME, 1, 1, "done")
    msg = "wrote bible.yaml and screenplay.fountain"
    if kept:
        msg += f" (kept your edits to {', '.join(kept)})"
    return StageOutcome(stage=NAME, ran=True, message=msg)


def _ledger_and_guard(ctx: StageContext) -> tuple[Ledger, BudgetGuard]:
    """The film's ledger and a budget guard over what it has already committed."""
    ledger = Ledger.for_project(ctx.project.root)
    budget = ctx.brief.budget
    return ledger, BudgetGuard(budget.amount, budget.currency, spent=ledger.committed(budget.currency),
                               rate=ctx.settings.usd_to_cny)


def keep_imported(ctx: StageContext, key: str) -> bool:
    """A film started from a person's script (`microfilm new --from`) has no writer's draft
    to redo: when the brief changes, its files stay theirs (unless --force asks for a draft)."""
    from microfilm.cache import WrittenFiles
    from microfilm.stages.base import load_records

    record = load_records(ctx.project).get(NAME)
    if not (record and record.data.get("imported")) or ctx.edit_policy == "force":
        return False
    for path in (ctx.project.bible, ctx.project.screenplay):
        WrittenFiles(ctx.project.root).record_inputs(path.name, key)
    record_run(ctx, NAME, key, Timer(), data=record.data)
    return True


def keep_supplied_references(bible: Bible, old_path: Path) -> Bible:
    """A new draft keeps the pictures a person gave its characters (by character id): a
    rewrite of the story must not quietly drop an actor's photo."""
    try:
        old = Bible.load(old_path) if old_path.exists() else None
    except SpecError:
        return bible  # a broken hand edit: write_managed keeps it and says so
    given = {c.id: c.reference for c in (old.characters if old else ()) if c.reference}
    if not given:
        return bible
    return bible.model_copy(update={"characters": [
        c.model_copy(update={"reference": given[c.id]}) if c.id in given else c
        for c in bible.characters]})
