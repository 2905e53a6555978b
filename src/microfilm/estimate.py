"""What a film will cost before anything runs: the plan priced per provider and per shot.

The plan is the storyboard when there is one; before the board exists it is sketched from
the brief (shots of about four seconds, dialogue at the language's speaking rate), which
is what research.md quotes. Prices come from each provider's declared price (and its own
`price()` when it prices by size or quality), so `estimate` and the budget guard agree.
"""

from __future__ import annotations

import math
from pathlib import Path

from pydantic import BaseModel

from microfilm import form
from microfilm.config import Settings
from microfilm.providers import dialogue, planner, registry, writer_meter
from microfilm.providers.base import (
    AnimateRequest, LipSyncRequest, PaintRequest, ProviderInfo, ScoreRequest, SpeechRequest,
)
from microfilm.providers.pricing import Money, estimate, estimate_for
from microfilm.spec.bible import VoiceSpec
from microfilm.spec.brief import Brief
from microfilm.spec.storyboard import Storyboard

SKETCH_SHOT_S = 4.0  # average shot length when the plan is sketched from the brief
SKETCH_LINE_CHARS = {"en": 40, "zh": 12}  # an average line of dialogue


class Line(BaseModel):
    """The cost of one capability on one provider."""

    capability: str
    provider: str
    items: int
    units: str
    cost: float  # in the plan's currency
    paid: bool


class PlanEstimate(BaseModel):
    currency: str
    source: str  # "storyboard" or "brief"
    lines: list[Line]
    by_shot: dict[str, float]
    total: float
    budget: float
    already_paid: float = 0.0

    @property
    def over_budget(self) -> bool:
        return self.total - self.already_paid > self.budget + 1e-9 and self.total > 0

    def for_research(self) -> list[tuple[str, str, Money]]:
        """(capability, provider, cost) rows, the shape research.md's estimate takes."""
        return [(ln.capability, ln.provider, Money(ln.cost, self.currency)) for ln in self.lines]


def _price(provider_id: str, request) -> tuple[ProviderInfo | None, Money | None]:
    entry = registry.entries().get(provider_id)
    if entry is None or entry.info is None:
        return None, None
    if entry.info.paid and entry.cls is not None:  # a size-priced painter prices without a key
        try:
            return entry.info, estimate_for(entry.cls(), request)  # type: ignore[misc]
        except Exception:
            pass
    return entry.info, estimate(entry.info, request)


def _info(provider_id: str) -> ProviderInfo | None:
    entry = registry.entries().get(provider_id)
    return entry.info if entry else None


def _sketch(brief: Brief) -> Storyboard:
    """A plan of the right size from the brief alone: shots and lines, no words."""
    from microfilm.spec.storyboard import Shot, ShotLine

    body = max(SKETCH_SHOT_S, brief.duration - form.TITLE_CARD_S - form.CREDITS_CARD_S)
    n = max(1, math.ceil(body / SKETCH_SHOT_S))
    text = "x" * SKETCH_LINE_CHARS.get(brief.language, 30)
    shots = [Shot(id="title", kind="title", duration=form.TITLE_CARD_S)]
    shots += [Shot(id=f"shot{i + 1:02d}", duration=round(body / n, 3),
                   lines=[ShotLine(character="a", text=text)] if i % 2 == 0 else [])
              for i in range(n)]
    shots.append(Shot(id="credits", kind="credits", duration=form.CREDITS_CARD_S))
    w, h = brief.size
    return Storyboard(title=brief.title, language=brief.language, width=w, height=h, shots=shots)


def estimate_plan(brief: Brief, board: Storyboard | None = None, *, usd_to_cny: float | None = None,
                  already_paid: float = 0.0, characters: int = 2,
                  keyframe_oversize: float | None = None) -> PlanEstimate:
    """Price every call the generate stage will make for this plan: the same request sizes
    generate sends (microfilm.providers.planner)."""
    if keyframe_oversize is None:
        keyframe_oversize = Settings.model_fields["keyframe_oversize"].default
    source = "storyboard" if board is not None else "brief"
    board = board or _sketch(brief)
    pv = brief.providers
    currency = brief.budget.currency
    w, h = board.width, board.height
    sums: dict[tuple[str, str], list[float]] = {}
    by_shot: dict[str, float] = {}

    def add(cap: str, pid: str, request, shot_id: str = "") -> None:
        info, money = _price(pid, request)
        amount = money.to(currency, usd_to_cny).amount if money else 0.0
        slot = sums.setdefault((cap, pid), [0, 0.0, 1.0 if info and info.paid else 0.0])
        slot[0] += 1
        slot[1] += amount
        if shot_id:
            by_shot[shot_id] = round(by_shot.get(shot_id, 0.0) + amount, 6)

    genre = brief.genre.value
    animator_info = _info(pv.animator)
    # Shots a multi-shot animator renders in one call are one job (generate sends the same).
    runs = {run[0].id: run for run in planner.multishot_runs(board.shots, animator_info)} \
        if animator_info else {}
    in_run = {s.id for run in runs.values() for s in run[1:]}
    for shot in board.shots:
        card = shot.kind != "shot"  # cards are set by the house providers, free
        moved_by = _info("house-animator" if card else pv.animator)
        kw, kh = (planner.keyframe_size(w, h, moved_by, keyframe_oversize) if moved_by else (w, h))
        add("painter", "house-painter" if card else pv.painter,
            PaintRequest(prompt=shot.prompt, width=kw, height=kh, genre=genre), shot.id)
        run = runs.get(shot.id)
        seconds = (float(sum(planner.part_seconds(s.duration, animator_info.capabilities) for s in run))
                   if run and animator_info else shot.duration)
        if shot.id not in in_run:
            add("animator", "house-animator" if card else pv.animator,
                AnimateRequest(image=Path("keyframe.png"), image_sha256="", duration=seconds,
                               width=w, height=h, fps=board.fps, prompt=shot.prompt), shot.id)
        synced = _info(pv.lipsync) if pv.lipsync and not card else None
        animator = _info(pv.animator)
        ways = (dialogue.deliveries(shot, animator, synced) if animator and not card
                else ["tts"] * len(shot.lines))
        for line, way in zip(shot.lines, ways):
            if way != "native":  # a line the clip speaks is not voiced (stages/generate.py)
                add("voice", pv.voice, SpeechRequest(text=line.text, language=board.language,
                                                     voice=VoiceSpec()), shot.id)
        if synced and "lipsync" in ways:
            add("lipsync", pv.lipsync, LipSyncRequest(video=Path("clip.mp4"), video_sha256="",
                                                      audio=Path("line.wav"), audio_sha256="",
                                                      duration=shot.duration, width=w, height=h,
                                                      fps=board.fps), shot.id)
    preset = brief.preset
    add("composer", pv.composer, ScoreRequest(genre=genre, mood=preset.music_mood,
                                              tempo_bpm=preset.tempo_bpm, mode=preset.mode,
                                              duration=board.duration))
    add("painter", pv.painter, PaintRequest(kind="cover", prompt=brief.logline, width=w, height=h,
                                            genre=genre))
    # Reference sheets: painted by the painter, once per character seen in a story shot,
    # when the painter or the animator takes references (as generate does).
    takes = [i for i in (_info(pv.painter), _info(pv.animator)) if i and i.capabilities.references]
    if takes:
        seen = sorted({c for s in board.shots if s.kind == "shot" for c in s.characters})
        cast = seen if source == "storyboard" else [f"ref{i}" for i in range(characters)]
        for cid in cast:
            add("painter", pv.painter, PaintRequest(kind="reference", prompt="", width=1024,
                                                    height=1536, genre=genre), cid)
    lines = [Line(capability=cap, provider=pid, items=int(v[0]), units="calls",
                  cost=round(v[1], 4), paid=bool(v[2])) for (cap, pid), v in sums.items()]
    written = _writer_line(brief, currency, usd_to_cny)
    lines = ([written] if written else []) + lines
    return PlanEstimate(currency=currency, source=source, lines=lines, by_shot=by_shot,
                        total=round(sum(ln.cost for ln in lines), 4), budget=brief.budget.amount,
                        already_paid=round(already_paid, 4))


def _writer_line(brief: Brief, currency: str, usd_to_cny: float | None) -> Line | None:
    """The writer's tokens: the calls the stepwise writer plans for this brief, priced per
    token (providers.writer_meter, the price the ledger charges them at). None for a free
    writer (the house writer, a local server)."""
    from microfilm.providers.llm.stepwise import plan_calls

    entry = registry.entries().get(brief.providers.writer)
    if entry is None or entry.info is None or entry.info.capability != "writer":
        return None
    info = entry.info
    if entry.cls is not None:
        try:  # the instance names the model really used (from the environment)
            info = entry.cls().info  # type: ignore[misc]
        except Exception:
            pass
    if not info.paid:
        return None
    plan = plan_calls(brief)
    price = writer_meter.price_of(info)
    cost = price.of(plan.input_tokens, plan.output_tokens).to(currency, usd_to_cny).amount if price else 0.0
    return Line(capability="writer", provider=brief.providers.writer, items=plan.calls,
                units="calls" if price else f"calls ({info.model}: no token price listed)",
                cost=round(cost, 4), paid=True)
