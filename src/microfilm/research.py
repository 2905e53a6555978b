"""The research dossier (research.md): what a team reads before writing a word.

Offline it is built from knowledge that ships with the package (genre conventions and
beats, audience notes, platform specs) and the form's rules applied to this brief, plus a
budget and schedule estimate from the chosen providers. With an LLM writer it also asks
the model to reason about this brief (brand integration, tone, references, risks, hooks),
validated against a schema and bounded to two attempts; if that fails the dossier says so
and is still written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any, Sequence

from microfilm import form, i18n, knowledge, platforms
from microfilm.errors import ProviderError
from microfilm.spec.brief import Brief

log = logging.getLogger(__name__)

ProviderEstimate = tuple[str, str, Any]
"""(capability, provider id, estimated cost): a number in the brief's currency, or a money
object with `amount` and `currency` (and `to(currency)`)."""

def _fmt_money(amount: float, currency: str) -> str:
    return f"{'¥' if currency == 'CNY' else '$'}{amount:,.2f}"


def _cost_in(cost: Any, currency: str) -> float:
    """A cost as a number in `currency` (numbers are taken to be in it already)."""
    if cost is None:
        return 0.0
    if isinstance(cost, (int, float)):
        return float(cost)
    if hasattr(cost, "to"):
        cost = cost.to(currency)
    return float(getattr(cost, "amount", 0.0))


@dataclass(frozen=True)
class ScheduleLine:
    stage: str
    days: float
    note: str


def estimate_schedule(brief: Brief, paid: dict[str, bool]) -> list[ScheduleLine]:
    """Working days per stage for a small team (one director-editor, one reviewer)."""
    t = i18n.messages(brief.language).prefixed("research.schedule.")
    body = max(10.0, brief.duration - form.TITLE_CARD_S - form.CREDITS_CARD_S)
    shots = max(1, round(body / brief.preset.mean_shot_s))
    # a paid animator renders a clip in minutes, a few at a time, and about a third are redone
    render_days = shots * 1.33 * 4 / 60 / 6 if paid.get("animator") else 0.1
    return [
        ScheduleLine(t("develop"), 1.0 if paid.get("writer") else 0.5, t("develop_note")),
        ScheduleLine(t("board"), 0.5, t("board_note", shots=shots)),
        ScheduleLine(t("generate"), round(max(0.25, render_days), 2),
                     t("generate_paid") if paid.get("animator") else t("generate_house")),
        ScheduleLine(t("master"), 0.5, t("master_note")),
        ScheduleLine(t("review"), 1.0, t("review_note")),
    ]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows]
    return out


def _backend(writer: Any) -> Any:
    if writer is None:
        return None
    backend = getattr(writer, "backend", None)
    if backend is not None and hasattr(backend, "complete"):
        return backend
    return writer if hasattr(writer, "complete") else None


def _writer_notes(brief: Brief, backend: Any, context: str) -> list[str]:
    from microfilm.providers.llm.schemas import Research
    from microfilm.providers.llm.structured import generate

    t = i18n.messages(brief.language)
    system = ("You are a development producer for micro films (微电影). You answer with one "
              "JSON object matching the schema. " + t("research.notes.system"))
    prompt = "\n".join([
        "Task: research",
        context,
        "Reason about this brief for the team: how the brand appears naturally (empty if no "
        "brand), the tone, references worth studying and why, risks on this platform, and "
        "three hooks for the first three seconds. Be specific to this brief; 2-5 items each.",
    ])
    result = generate(backend, Research, name="research", system=system, prompt=prompt,
                      attempts=2, max_tokens=2000)
    r = result.value
    heads = t.items("research.notes.heads")
    out: list[str] = []
    for head, items in zip(heads, (r.brand_integration, r.tone, r.references, r.risks, r.hooks)):
        if items:
            out += [f"**{head}**", ""] + [f"- {x}" for x in items] + [""]
    return out


def _lines(items: Sequence[str]) -> str:
    """Lines for a template field: each ends with a newline, so an empty list leaves nothing."""
    return "".join(f"{x}\n" for x in items)


@cache
def _template(language: str) -> Template:
    name = f"research.{'zh' if language == 'zh' else 'en'}.md"
    return Template(files(i18n.__name__).joinpath(name).read_text(encoding="utf-8"))


def write_research(brief: Brief, *, writer: Any = None,
                   providers_estimate: Sequence[ProviderEstimate] | None = None) -> str:
    """The dossier as Markdown, in the brief's language: the language's template
    (i18n/research.<lang>.md) filled with this brief's tables and figures."""
    lang = "zh" if brief.language == "zh" else "en"
    t = i18n.messages(lang).prefixed("research.")
    body = max(10.0, brief.duration - form.TITLE_CARD_S - form.CREDITS_CARD_S)
    fields = {"title": brief.title, **_genre_fields(brief, t, lang, body),
              **_audience_fields(brief, t, lang), **_platform_fields(brief, t, lang),
              **_form_fields(brief, body), **_estimate_fields(brief, t, providers_estimate)}
    text = _template(lang).substitute(fields)
    backend = _backend(writer)
    if backend is not None:
        notes = [f"## {t('writer')}", ""]
        try:
            notes += _writer_notes(brief, backend, text.removesuffix("\n"))
        except ProviderError as exc:
            log.warning("research: the writer's notes failed: %s", exc)
            notes += [t("notes.failed", error=str(exc).splitlines()[0]), ""]
        text += _lines(notes)
    return text.rstrip() + "\n"


def _genre_fields(brief: Brief, t: i18n.Messages, lang: str, body: float) -> dict[str, str]:
    p = brief.preset
    notes = knowledge.genre_notes(brief.genre, lang)
    plat = platforms.get(brief.platform)
    rows = [[t("row.logline"), brief.logline],
            [t("genre"), f"{p.name_en} / {p.name_zh}"],
            [t("row.language"), brief.language],
            [t("row.runtime"), form.format_clock(brief.duration)],
            [t("row.aspect"), f"{brief.aspect} ({brief.size[0]}x{brief.size[1]})"],
            [t("platform"), plat.name(lang)]]
    if brief.audience:
        rows.append([t("audience"), brief.audience])
    if brief.brand:
        rows.append([t("row.brand"), brief.brand])
    if brief.deadline:
        rows.append([t("row.deadline"), brief.deadline.isoformat()])
    beats = [[b.name, f"{b.share:.0%}", f"{b.share * body:.0f}", b.description] for b in notes.beats]
    return {
        "brief_table": _lines(_table([t("spec"), t("value")], rows)),
        "genre_name": p.name_zh if lang == "zh" else p.name_en,
        "conventions": _lines([f"- {c}" for c in notes.conventions]),
        "shot_s": f"{p.mean_shot_s:g}", "mood": p.music_mood, "bpm": str(p.tempo_bpm),
        "transition": p.transition,
        "beats_table": _lines(_table([t("beat"), t("share"), t("seconds"), t("what")], beats)),
        "references": _lines([f"- {r}" for r in notes.references]),
        "pitfalls": _lines([f"- {x}" for x in notes.pitfalls]),
        "brand": _lines(["", f"### {t('brand')}", "", notes.brand]) if brief.brand else "",
    }


def _audience_fields(brief: Brief, t: i18n.Messages, lang: str) -> dict[str, str]:
    aud = knowledge.audience_notes(brief.audience, lang)
    return {"audience": _lines([brief.audience, ""]) if brief.audience else "",
            "audience_notes": _lines([f"- {n}" for n in aud.notes])}


def _platform_fields(brief: Brief, t: i18n.Messages, lang: str) -> dict[str, str]:
    plat = platforms.get(brief.platform)
    sa = plat.safe_area
    box = platforms.safe_area(plat.id, *brief.size).box(*brief.size)
    rows = [
        [t("row.aspects"), ", ".join(plat.aspects)],
        [t("row.upload_size"), f"{plat.resolution[0]}x{plat.resolution[1]}"],
        [t("row.longest"), form.format_clock(plat.max_duration_s)],
        [t("row.completion"),
         f"{form.format_clock(plat.sweet_spot_s[0])}-{form.format_clock(plat.sweet_spot_s[1])}"],
        [t("row.safe_area"), t("row.safe_area_value", top=sa.top, bottom=sa.bottom, left=sa.left,
                                right=sa.right)],
        [t("row.safe_box"), f"x={box[0]} y={box[1]} {box[2]}x{box[3]}"],
        [t("row.covers"), "; ".join(f"{c.name} {c.width}x{c.height}" for c in plat.covers)],
    ]
    fit = plat.fit(brief.duration, brief.aspect, lang)
    return {"platform_name": plat.name(lang), "platform_table": _lines(_table([t("spec"), t("value")], rows)),
            "platform_notes": plat.notes(lang),
            "platform_fit": _lines([f"- ⚠ {x}" for x in fit] + [""]) if fit else "",
            "read_on": platforms.READ_ON.isoformat()}


def _form_fields(brief: Brief, body: float) -> dict[str, str]:
    return {
        "runtime": form.format_clock(brief.duration),
        "low": form.format_clock(brief.duration * 0.85),
        "high": form.format_clock(min(form.MAX_DURATION_S, brief.duration * 1.15)),
        "title_s": f"{form.TITLE_CARD_S:g}", "credits_s": f"{form.CREDITS_CARD_S:g}",
        "body": f"{body:.0f}", "shots": str(max(1, round(body / brief.preset.mean_shot_s))),
        "rate": f"{form.SPEECH_RATE[brief.language]:g}",
        "words": str(round(body * 0.5 * form.SPEECH_RATE[brief.language])),
        "width": str(brief.size[0]), "height": str(brief.size[1]),
    }


def _estimate_fields(brief: Brief, t: i18n.Messages,
                     providers_estimate: Sequence[ProviderEstimate] | None) -> dict[str, str]:
    currency = brief.budget.currency
    estimate = list(providers_estimate) if providers_estimate is not None else [
        (cap, getattr(brief.providers, cap), None) for cap in
        ("writer", "painter", "animator", "voice", "composer")]
    total = 0.0
    rows = []
    paid: dict[str, bool] = {}
    for cap, pid, cost in estimate:
        amount = _cost_in(cost, currency)
        total += amount
        paid[cap] = paid.get(cap, False) or amount > 0
        if cost is not None:
            shown = _fmt_money(amount, currency)
        else:
            shown = t("free") if str(pid).startswith("house-") else "—"
        rows.append([cap, pid, shown])
    rows.append([t("total"), "", f"**{_fmt_money(total, currency)}**"])
    sched = estimate_schedule(brief, paid)
    days = sum(s.days for s in sched)
    return {
        "cost_table": _lines(_table([t("capability"), t("provider"), t("cost")], rows)),
        "budget_note": _budget_note(brief, t, total),
        "schedule_table": _lines(_table([t("stage"), t("days"), t("note")],
                                        [[s.stage, f"{s.days:g}", s.note] for s in sched])),
        "days": f"{days:g}",
        "deadline": _lines([_deadline_note(brief, t, days)]) if brief.deadline else "",
    }


def _budget_note(brief: Brief, t: i18n.Messages, total: float) -> str:
    currency, budget = brief.budget.currency, brief.budget.amount
    if budget > 0:
        left = budget - total
        return (t("budget.left", budget=_fmt_money(budget, currency), left=_fmt_money(left, currency))
                + ("" if left >= 0 else t("budget.over")))
    return t("budget.none") if total > 0 else t("budget.free")


def _deadline_note(brief: Brief, t: i18n.Messages, days: float) -> str:
    left_days = (brief.deadline - date.today()).days
    return t("deadline.left", days=left_days) + (t("deadline.ok") if left_days >= days
                                                 else t("deadline.short"))
