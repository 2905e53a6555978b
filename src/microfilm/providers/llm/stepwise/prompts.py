"""The prompts of each step, written from the template files in prompts/ (string.Template,
`${name}` fields): a writer can read and tune the words without reading code, and this
module only computes the values (the brief block, beat sheet, sizes, JSON of earlier steps)."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from string import Template

from pydantic import BaseModel

from microfilm import form, knowledge
from microfilm.providers.llm.schemas import (BibleSketch, Outline, OutlineScene, SceneAction,
                                             SceneActions, SceneDialogues)
from microfilm.providers.llm.stepwise.sizing import (body_seconds, dialogue_share,
                                                     planned_duration, scene_sizing,
                                                     speech_budget, suggested_scene_count)
from microfilm.spec.brief import Brief


@cache
def _template(name: str) -> Template:
    text = files(__package__).joinpath("prompts", f"{name}.txt").read_text(encoding="utf-8")
    return Template(text.removesuffix("\n"))


def _fill(name: str, **values: object) -> str:
    return _template(name).substitute({k: str(v) for k, v in values.items()})


def system_prompt(brief: Brief) -> str:
    p = brief.preset
    return _fill("system", genre_en=p.name_en, genre_zh=p.name_zh, beats=", ".join(p.beats),
                 mean_shot_s=f"{p.mean_shot_s:g}", mood=p.music_mood,
                 language_rule=_fill(f"language.{'zh' if brief.language == 'zh' else 'en'}"))


def _brief_block(brief: Brief) -> str:
    lines = [
        f"Title: {brief.title}",
        f"Logline: {brief.logline}",
        f"Target runtime: {planned_duration(brief):g} s including a {form.TITLE_CARD_S:g} s title card "
        f"and {form.CREDITS_CARD_S:g} s of credits; the scenes fill {body_seconds(brief):g} s.",
    ]
    if brief.audience:
        lines.append(f"Audience: {brief.audience}")
    if brief.brand:
        lines.append(f"Brand to feature (naturally, never as an advert): {brief.brand}")
    if brief.platform != "generic":
        lines.append(f"Platform: {brief.platform}")
    return "\n".join(lines)


def _schema_hint(model: type[BaseModel]) -> str:
    from microfilm.providers.llm.structured import wire_schema

    return "JSON schema of the reply:\n" + json.dumps(wire_schema(model), ensure_ascii=False)


def _conventions(brief: Brief) -> str:
    notes = knowledge.genre_notes(brief.genre, "en")
    return "Genre conventions:\n" + "\n".join(f"- {c}" for c in notes.conventions)


def _beat_sheet(brief: Brief) -> str:
    notes = knowledge.genre_notes(brief.genre, "en")
    body = body_seconds(brief)
    return "Beat sheet:\n" + "\n".join(
        f"- {b.name} (about {b.share * body:.0f} s): {b.description}" for b in notes.beats)


def bible_prompt(brief: Brief) -> str:
    return _fill("bible", brief=_brief_block(brief), conventions=_conventions(brief),
                 schema=_schema_hint(BibleSketch))


def outline_prompt(brief: Brief, bible: BibleSketch) -> str:
    return _fill("outline", brief=_brief_block(brief), bible=bible.model_dump_json(),
                 beat_sheet=_beat_sheet(brief), scenes=suggested_scene_count(brief),
                 beats=", ".join(brief.preset.beats), body=f"{body_seconds(brief):g}",
                 schema=_schema_hint(Outline))


def actions_prompt(brief: Brief, bible: BibleSketch, outline: Outline,
                   chunk: list[OutlineScene]) -> str:
    share = dialogue_share(brief)
    wanted = [f"scene {s.number}: {scene_sizing(s.seconds, share)[0]} action paragraph(s)"
              for s in chunk]
    return _fill("scenes", numbers=", ".join(str(s.number) for s in chunk),
                 brief=_brief_block(brief), bible=bible.model_dump_json(),
                 outline=outline.model_dump_json(), wanted="; ".join(wanted),
                 schema=_schema_hint(SceneActions))


def dialogue_prompt(brief: Brief, bible: BibleSketch, outline: Outline,
                    chunk: list[OutlineScene], actions: dict[int, SceneAction]) -> str:
    share = dialogue_share(brief)
    wanted = []
    for s in chunk:
        _, talk = scene_sizing(s.seconds, share)
        wanted.append(f"scene {s.number}: {speech_budget(talk, brief.language)} of dialogue"
                      if talk >= 1 else f"scene {s.number}: no dialogue (lines: [])")
    written = {s.number: actions[s.number].action for s in chunk}
    return _fill("dialogue", numbers=", ".join(str(s.number) for s in chunk),
                 brief=_brief_block(brief), bible=bible.model_dump_json(),
                 outline=outline.model_dump_json(),
                 written=json.dumps(written, ensure_ascii=False), wanted="; ".join(wanted),
                 schema=_schema_hint(SceneDialogues))
