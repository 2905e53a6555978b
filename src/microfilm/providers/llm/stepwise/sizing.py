"""How big each piece of a stepwise script is: the seconds the scenes fill, how many scenes,
how much of each is action and dialogue, how scenes group into calls, and what a whole film
should cost in calls and tokens (for pricing before the first call)."""

from __future__ import annotations

from dataclasses import dataclass

from microfilm import form
from microfilm.checks import ACTION_PARAGRAPH_S  # one figure times scripts everywhere
from microfilm.providers.llm.schemas import OutlineScene
from microfilm.spec.brief import Brief


CAP_HEADROOM_S = 30.0
"""A film aimed at the cap is planned this much under it: a script always runs a little
long, and 10:00 is a hard limit while the brief's target has 15% of slack."""


def planned_duration(brief: Brief) -> float:
    return min(brief.duration, form.MAX_DURATION_S - CAP_HEADROOM_S)


def body_seconds(brief: Brief) -> float:
    """Seconds the scenes must fill: the planned runtime minus title and credits cards."""
    return max(10.0, planned_duration(brief) - form.TITLE_CARD_S - form.CREDITS_CARD_S)


def suggested_scene_count(brief: Brief) -> int:
    body = body_seconds(brief)
    beats = len(brief.preset.beats)
    return max(min(beats, max(1, int(body // 12))), min(30, round(body / 25)))


def dialogue_share(brief: Brief) -> float:
    return 0.2 if brief.genre is form.Genre.AESTHETIC_SCENERY else 0.5


def scene_sizing(seconds: float, share: float) -> tuple[int, float]:
    """(action paragraphs, seconds of dialogue) for a scene of `seconds`."""
    paragraphs = max(1, min(12, round(seconds * (1 - share) / ACTION_PARAGRAPH_S)))
    return paragraphs, max(0.0, seconds - paragraphs * ACTION_PARAGRAPH_S)


def speech_budget(seconds: float, language: str) -> str:
    units = round(seconds * form.SPEECH_RATE[language])
    return f"about {units} Chinese characters" if language == "zh" else f"about {units} words"


def chunk_scenes(scenes: list[OutlineScene], chunk_seconds: float) -> list[list[OutlineScene]]:
    """Group consecutive scenes so one reply covers about `chunk_seconds` of screen time."""
    chunks: list[list[OutlineScene]] = []
    current: list[OutlineScene] = []
    total = 0.0
    for scene in scenes:
        if current and total + scene.seconds > chunk_seconds:
            chunks.append(current)
            current, total = [], 0.0
        current.append(scene)
        total += scene.seconds
    if current:
        chunks.append(current)
    return chunks


@dataclass(frozen=True)
class CallPlan:
    """How many calls and tokens a film should take: for pricing before the first call."""

    calls: int
    input_tokens: int
    output_tokens: int


def plan_calls(brief: Brief, chunk_seconds: float = 150.0) -> CallPlan:
    body = body_seconds(brief)
    n = suggested_scene_count(brief)
    per_chunk = max(1, int(chunk_seconds // (body / n)))
    chunks = -(-n // per_chunk)
    calls = 2 + 2 * chunks  # when every reply is usable; each re-ask adds one
    # zh text costs about one token per character; en about 1.3 tokens per word
    out_per_s = 9 if brief.language == "zh" else 6
    output = 900 + 700 + int(body * out_per_s * 1.6)
    input_ = calls * 1800 + int(body * out_per_s * 2)
    return CallPlan(calls, input_, output)
