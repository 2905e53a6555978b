"""The words of one shot: its action, what moves, and the model-neutral prompt.

The prompt says, in this order, what a picture model needs: the shot size and who is in it
with their look in the bible's exact words (so a face and a coat stay the same from shot to
shot) and where each stands, what they do, the place with INT/EXT and the hour, the props,
the light, the camera, and the style. A heard-only character is never described: their
voice is named as coming from off screen, so no model paints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from microfilm.direction.phrases import EN, HOW_HEARD, Phrases, phrases
from microfilm.direction.staging import SceneStaging
from microfilm.spec.bible import Bible
from microfilm.spec.storyboard import Shot
from microfilm.direction.words import light_for, time_class

if TYPE_CHECKING:
    from microfilm.direction.coverage import ShotWords, Take

PROP_WORDS = EN.props  # how the lint and the LLM director name a prop to a person


@dataclass(frozen=True)
class ShotText:
    prompt: str
    action: str
    motion: str


def _clause(text: str) -> str:
    return " ".join(text.split()).strip().rstrip(".。!！?？;；,，:：")


def _who(bible: Bible, characters: list[str], positions: dict[str, str], ph: Phrases) -> list[str]:
    out = []
    for cid in characters:
        c = bible.character(cid)
        name = c.name if c else cid
        desc = (ph.look.format(name=name, look=c.look, wardrobe=c.wardrobe)
                if c and (c.look or c.wardrobe) else name)
        pos = positions.get(cid, "")
        if pos and (len(characters) > 1 or pos != "center"):
            desc += ph.at.get(pos, ph.at["center"])
        out.append(desc)
    return out


def _name(words: "ShotWords", cid: str) -> str:
    c = words.bible.character(cid)
    return c.name if c else cid


def _heard_how(st: SceneStaging, take: "Take", cid: str) -> str:
    """phone | recording | letter | door | off: how `cid`'s voice reaches the shot."""
    for ln in take.lines:
        if st.speakers.get(ln.id) == cid:
            cue = f"{ln.dialogue.extension} {ln.dialogue.parenthetical}"
            for pattern, how in HOW_HEARD:
                if pattern.search(cue):
                    return how
    return "off"


def _action(st: SceneStaging, take: "Take", characters: list[str], heard: list[str],
            speakers: list[str], words: "ShotWords", ph: Phrases) -> str:
    """The script's action; when it says nothing, what the coverage shows in plain words."""
    names = [_name(words, c) for c in characters]
    if take.action:
        action = _clause(take.action)
    elif speakers and len(set(speakers)) >= 2:
        action = ph.talk.format(names=ph.and_.join(_name(words, s) for s in dict.fromkeys(speakers)))
    elif speakers:
        others = [n for c, n in zip(characters, names) if c not in speakers]
        action = (ph.speaks_to.format(name=_name(words, speakers[0]), other=others[0]) if others
                  else ph.speaks.format(name=_name(words, speakers[0])))
    elif characters and heard:
        action = (ph.listen_one if len(names) == 1 else ph.listen_many).format(names=ph.and_.join(names))
    elif take.props:
        action = ph.prop_alone.format(prop=ph.props.get(take.props[0], take.props[0]))
    else:
        action = ph.empty
    heard_bits = [ph.heard.format(name=_name(words, h), how=ph.how_heard[_heard_how(st, take, h)])
                  for h in heard]
    if heard_bits:
        action += ph.clause_sep + ph.clause_sep.join(heard_bits)
    return action


def _motion(take: "Take", characters: list[str], heard: list[str], speakers: list[str],
            ph: Phrases) -> str:
    if speakers:
        return ph.lips + (ph.listener_reacts if len(characters) > len(set(speakers)) else "")
    if characters and heard:
        return ph.quiet_reaction
    if characters:
        return (_clause(re.split(r"(?<=[.!?。！？])\s*", take.action.strip())[0])
                if take.action else ph.small_move)
    return ph.air_moves if not take.props else ph.prop_still


@dataclass(frozen=True)
class PromptParts:
    """What the model-neutral prompt says, before it is put into one language's words."""

    framing: str  # a storyboard framing ("wide", "two-shot"...)
    subject: str  # who (with look and position) or the prop an insert is of; "" for a place
    action: str
    interior: bool
    where: str
    hour: str
    props: tuple[str, ...]
    light: str
    camera: str
    style: str


def compose(parts: PromptParts, ph: Phrases) -> str:
    """The prompt in one language: shot and subject, action, place and hour, props, light,
    camera, style; each part a sentence."""
    framing = ph.framing.get(parts.framing, parts.framing.capitalize())
    if parts.subject:
        framing = ph.of.format(framing=framing, who=parts.subject)
    bits = [framing, parts.action, ph.place_sep.join([ph.place[parts.interior], _clause(parts.where),
                                                       parts.hour])]
    if parts.props:
        bits.append(ph.props_label + ph.list_sep.join(ph.props.get(p, p) for p in parts.props))
    bits.append(ph.light_label + parts.light)
    bits.append(ph.camera_label + ph.cameras.get(parts.camera, parts.camera))
    if parts.style:
        bits.append(ph.style_label + _clause(parts.style))
    return ph.sentence_sep.join(_clause(b) for b in bits if _clause(b)) + ph.sentence_end


def _hour(time_of_day: str, ph: Phrases) -> str:
    return time_of_day.lower() or (ph.times[time_class(time_of_day)] if ph is not EN else
                                   time_class(time_of_day))


def describe(st: SceneStaging, take: "Take", characters: list[str], positions: dict[str, str],
             heard: list[str], camera: str, words: "ShotWords") -> ShotText:
    ph = phrases(words.lang)
    speakers = [st.speakers[ln.id] for ln in take.lines if st.speakers[ln.id] in characters]
    action = _action(st, take, characters, heard, speakers, words, ph)
    motion = _motion(take, characters, heard, speakers, ph)
    loc = words.bible.location(st.location)
    where = (ph.where.format(name=loc.name, description=_clause(loc.description))
             if loc and loc.description else st.place)
    subject = (ph.people_sep.join(_who(words.bible, characters, positions, ph)) if characters else
               ph.props.get(take.props[0], take.props[0]) if take.props else "")
    prompt = compose(PromptParts(
        framing=take.framing, subject=subject, action=action, interior=st.interior, where=where,
        hour=_hour(st.time_of_day, ph), props=tuple(take.props),
        light=light_for(st.interior, time_class(st.time_of_day), words.lang), camera=camera,
        style=words.style), ph)
    return ShotText(prompt=prompt, action=action, motion=motion)


def shot_prompt(shot: Shot, bible: Bible, lang: str) -> str:
    """The model-neutral prompt of a shot someone else directed (the LLM director), from its
    recorded fields, in the film's language."""
    ph = phrases(lang)
    loc = bible.location(shot.location)
    where = (ph.where.format(name=loc.name, description=_clause(loc.description))
             if loc and loc.description else (loc.name if loc else shot.location))
    heading = shot.heading.strip().upper()
    interior = heading.startswith(("INT", "内景")) or (not heading.startswith(("EXT", "外景"))
                                                      and bool(loc and loc.interior))
    return compose(PromptParts(
        framing=shot.framing, subject=ph.people_sep.join(_who(bible, shot.characters, shot.positions, ph)),
        action=_clause(shot.action), interior=interior, where=where, hour=_hour(shot.time_of_day, ph),
        props=(), light=shot.light, camera=shot.camera, style=bible.style.look), ph)
