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

from microfilm.direction.staging import SceneStaging
from microfilm.direction.words import light_for, time_class

if TYPE_CHECKING:
    from microfilm.direction.coverage import ShotWords, Take

FRAMING_WORDS = {
    "extreme-wide": "Establishing extreme wide shot", "wide": "Wide shot", "medium": "Medium shot",
    "close-up": "Close-up", "extreme close-up": "Extreme close-up insert",
    "two-shot": "Medium two-shot", "over-the-shoulder": "Over-the-shoulder shot",
}
PLACE_WORDS = {True: "Interior", False: "Exterior"}
PROP_WORDS = {
    "phone": "a phone", "bowl": "a bowl", "dumplings": "a plate of dumplings",
    "suitcase": "a suitcase", "letter": "a letter", "photo": "a framed photo",
    "umbrella": "an umbrella", "scarf": "a scarf", "cup": "a cup", "book": "a book", "bag": "a bag",
    "key": "a key", "ticket": "a ticket", "flowers": "flowers", "gift": "a gift box",
    "laptop": "a laptop", "clock": "a clock", "guitar": "a guitar", "bicycle": "a bicycle",
    "lantern": "a lantern",
}
HOW_HEARD = (
    (re.compile(r"phone|电话", re.I), "on the phone"),
    (re.compile(r"voice ?(?:message|mail|note)|voicemail|record|语音|录音|留言", re.I),
     "in a recorded message"),
    (re.compile(r"letter|信", re.I), "reading a letter, in voice-over"),
    (re.compile(r"wall|door|门|墙", re.I), "through the door"),
)


@dataclass(frozen=True)
class ShotText:
    prompt: str
    action: str
    motion: str


def _clause(text: str) -> str:
    return " ".join(text.split()).strip().rstrip(".。!！?？;；,，:：")


def _who(words: "ShotWords", characters: list[str], positions: dict[str, str]) -> list[str]:
    out = []
    for cid in characters:
        c = words.bible.character(cid)
        name = c.name if c else cid
        desc = f"{name} ({c.look}; wearing {c.wardrobe})" if c and (c.look or c.wardrobe) else name
        pos = positions.get(cid, "")
        if pos and (len(characters) > 1 or pos != "center"):
            desc += " in the center" if pos == "center" else f" on the {pos}"
        out.append(desc)
    return out


def _name(words: "ShotWords", cid: str) -> str:
    c = words.bible.character(cid)
    return c.name if c else cid


def _heard_how(st: SceneStaging, take: "Take", cid: str) -> str:
    for ln in take.lines:
        if st.speakers.get(ln.id) == cid:
            cue = f"{ln.dialogue.extension} {ln.dialogue.parenthetical}"
            for pattern, how in HOW_HEARD:
                if pattern.search(cue):
                    return how
    return "off screen"


def describe(st: SceneStaging, take: "Take", characters: list[str], positions: dict[str, str],
             heard: list[str], camera: str, words: "ShotWords") -> ShotText:
    names = [_name(words, c) for c in characters]
    speakers = [st.speakers[ln.id] for ln in take.lines if st.speakers[ln.id] in characters]
    heard_bits = [f"{_name(words, h)} is heard {_heard_how(st, take, h)}, not seen" for h in heard]
    if take.action:
        action = _clause(take.action)
    elif speakers and len(set(speakers)) >= 2:
        action = f"{' and '.join(_name(words, s) for s in dict.fromkeys(speakers))} talk face to face"
    elif speakers:
        others = [n for c, n in zip(characters, names) if c not in speakers]
        action = f"{_name(words, speakers[0])} speaks" + (f" to {others[0]}" if others else "")
    elif characters and heard:
        action = f"{' and '.join(names)} listen{'s' if len(names) == 1 else ''}"
    elif take.props:
        action = f"{PROP_WORDS.get(take.props[0], take.props[0])} on its own"
    else:
        action = "the place, empty and still"
    if heard_bits:
        action += "; " + "; ".join(heard_bits)
    if speakers:
        motion = "lips move with the words, small hand gestures"
        if len(characters) > len(set(speakers)):
            motion += "; the listener reacts"
    elif characters and heard:
        motion = "a quiet reaction: eyes, breath, a small movement of the head"
    elif characters:
        motion = (_clause(re.split(r"(?<=[.!?。！？])\s*", take.action.strip())[0])
                  if take.action else "a small natural movement")
    else:
        motion = "light and air move; the camera drifts" if not take.props else "the prop is still"
    tc = time_class(st.time_of_day)
    loc = words.bible.location(st.location)
    where = f"{loc.name}: {_clause(loc.description)}" if loc and loc.description else st.place
    bits = [FRAMING_WORDS.get(take.framing, take.framing.capitalize()) + (
        f" of {', '.join(_who(words, characters, positions))}" if characters else
        (f" of {PROP_WORDS.get(take.props[0], take.props[0])}" if take.props and not characters
         else ""))]
    bits.append(action)
    bits.append(f"{PLACE_WORDS[st.interior]}, {_clause(where)}, {st.time_of_day.lower() or tc}")
    if take.props:
        bits.append("Props: " + ", ".join(PROP_WORDS.get(p, p) for p in take.props))
    bits.append("Light: " + light_for(st.interior, tc))
    bits.append(f"Camera: {camera}")
    if words.style:
        bits.append("Style: " + _clause(words.style))
    prompt = ". ".join(_clause(b) for b in bits if _clause(b)) + "."
    return ShotText(prompt=prompt, action=action, motion=motion)
