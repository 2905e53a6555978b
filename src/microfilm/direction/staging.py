"""Staging from the script: per scene, who is there, who is only heard, what they do, where.

Why: a video model renders exactly what a shot says, at full price. A voice on the phone,
a voice-over, a recording or a voice through a wall belongs to someone who is not in the
room, and putting them on screen is the costliest mistake a board can make. So the board
first reads the scene as a director would, and only then chooses shots.

A character is heard-only in a scene when every line they speak there is marked as not
sourced on screen (V.O., O.S., O.C., 画外音, a phone call, a recording, a letter read aloud,
a voice through a door) and no action line brings them in ("Clara steps off the bus" does,
"Clara's photo" and "calls Clara" do not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from microfilm.direction.cast import character_id, mentions
from microfilm.spec.bible import Bible
from microfilm.spec.screenplay import Action, Dialogue, Line, Scene, Screenplay

HEARD_EXTENSIONS = re.compile(
    r"\b(?:V\.?\s?O\.?|O\.?\s?S\.?|O\.?\s?C\.?|voice[- ]?over|off[- ]?screen|filtered|phone|radio|"
    r"recorded|recording|voicemail)(?![A-Za-z])|画外音|画外|旁白|电话|语音|录音|广播",
    re.IGNORECASE)
HEARD_PARENTHETICALS = re.compile(
    r"voice ?(?:message|mail|note)|voicemail|record(?:ed|ing)|answering machine|"
    r"through the (?:wall|door|window|floor|ceiling)|from (?:the )?(?:next room|outside|upstairs|"
    r"downstairs|behind the door|another room)|behind the door|off ?screen|\bletter\b|"
    r"reading (?:aloud|the letter|her letter|his letter)|read aloud|"
    r"语音|录音|留言|隔着|门外|墙那边|门后|屏幕外|画外|信里|读信|念信|广播",
    re.IGNORECASE)
# a voice on the phone is heard-only unless the action puts its speaker in the room: then the
# speaker is the one holding the phone ("Howard (on the phone)" while he sits by it)
PHONE_PARENTHETICALS = re.compile(
    r"(?:on|over|into|through) the (?:phone|line|speaker|radio|intercom)|\bphone\b|电话", re.IGNORECASE)
CALLER = re.compile(r"\b(?:calling|dials?|dialing)\b|打电话|拨通|拨打", re.IGNORECASE)
# props the action can name and the house painter can draw or a prompt should show
PROPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("phone", ("phone", "cellphone", "smartphone", "mobile", "手机", "电话")),
    ("bowl", ("bowl", "bowls", "碗")),
    ("dumplings", ("dumpling", "dumplings", "饺子")),
    ("suitcase", ("suitcase", "luggage", "行李箱", "箱子", "行李")),
    ("letter", ("letter", "envelope", "note", "信", "信封", "纸条")),
    ("photo", ("photo", "photograph", "picture frame", "照片", "相框", "合影")),
    ("umbrella", ("umbrella", "伞")),
    ("scarf", ("scarf", "围巾")),
    ("cup", ("cup", "mug", "teacup", "杯", "茶杯")),
    ("book", ("book", "notebook", "diary", "书", "本子", "日记")),
    ("bag", ("bag", "backpack", "handbag", "包", "背包")),
    ("key", ("key", "keys", "钥匙")),
    ("ticket", ("ticket", "票")),
    ("flowers", ("flower", "flowers", "bouquet", "花束", "鲜花")),
    ("gift", ("gift", "present", "box", "礼物", "盒子")),
    ("laptop", ("laptop", "computer", "电脑")),
    ("clock", ("clock", "watch", "钟", "手表")),
    ("guitar", ("guitar", "吉他")),
    ("bicycle", ("bicycle", "bike", "自行车", "单车")),
    ("lantern", ("lantern", "灯笼")),
)
_GROUP = re.compile(r"\b(?:they|both|together|everyone|the two|each other)\b|他们|她们|两人|俩|大家|一起",
                    re.IGNORECASE)


def heard_line(d: Dialogue) -> bool:
    """Whether a line's voice is not sourced on screen (V.O., a recording, 画外音...)."""
    return bool(HEARD_EXTENSIONS.search(d.extension) or HEARD_PARENTHETICALS.search(d.parenthetical))


def phone_line(d: Dialogue) -> bool:
    """A line spoken on the phone by someone who is not placing the call."""
    return bool(PHONE_PARENTHETICALS.search(d.parenthetical)) and not CALLER.search(d.parenthetical)


def props_in(text: str) -> list[str]:
    """The props an action line names, in the PROPS vocabulary, in order of mention."""
    found: list[tuple[int, str]] = []
    for name, words in PROPS:
        best = None
        for w in words:
            if w.isascii():
                m = re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text, re.IGNORECASE)
            else:
                i = text.find(w)
                m = None if i < 0 else i
                if m is not None:
                    best = m if best is None else min(best, m)
                continue
            if m:
                best = m.start() if best is None else min(best, m.start())
        if best is not None:
            found.append((best, name))
    return [n for _, n in sorted(found)]


@dataclass(frozen=True)
class Beat:
    """A unit the board times: an action paragraph, then the lines spoken after it."""

    action: str
    lines: tuple[Line, ...]
    actors: tuple[str, ...]  # present characters the action names (ids)
    props: tuple[str, ...]
    on_stage: tuple[str, ...] = ()  # present characters who have come in by this beat


@dataclass(frozen=True)
class SceneStaging:
    """What one scene puts in front of the camera, read from the script."""

    number: int
    heading: str
    interior: bool
    location: str  # the bible location id, or the heading's place
    place: str  # the place as the heading says it
    time_of_day: str
    present: tuple[str, ...]  # on screen in this scene, in order of appearance (ids)
    heard: tuple[str, ...]  # only heard in this scene (ids)
    heard_lines: frozenset[str]  # line ids whose voice is not sourced on screen
    speakers: dict[str, str]  # line id -> the speaker's bible id
    beats: tuple[Beat, ...]
    props: tuple[str, ...]

    def is_heard(self, line_id: str) -> bool:
        return line_id in self.heard_lines


def _beats(scene: Scene, lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Action paragraphs and dialogue grouped as the board times them: an action with the
    lines that follow it, an exchange of two speakers sharing one beat."""
    by_obj = {id(ln.dialogue): ln for ln in lines}
    beats: list[tuple[str, list[Line]]] = []
    pending = ""
    for el in scene.elements:
        if isinstance(el, Action):
            if beats and not beats[-1][1] and not pending:
                beats[-1] = (beats[-1][0] + " " + el.text, [])
            elif pending:
                beats.append((pending, []))
                pending = el.text
            else:
                pending = el.text
        elif isinstance(el, Dialogue):
            ln = by_obj[id(el)]
            if pending or not beats:
                beats.append((pending, [ln]))
                pending = ""
            elif (len(beats[-1][1]) == 1
                  and beats[-1][1][-1].dialogue.character != el.character):
                beats[-1][1].append(ln)  # an exchange of two lines shares a beat
            else:
                beats.append(("", [ln]))
    if pending:
        beats.append((pending, []))
    return beats


CALL = re.compile(r"\b(?:video call|phone call|facetime|on (?:the )?screen)\b|视频电话|视频通话|电话里|屏幕上",
                  re.IGNORECASE)
ARRIVES = re.compile(r"\b(?:behind|here|arrives?|appears?|walks in|steps in|in person)\b|身后|出现|走进|来了",
                     re.IGNORECASE)


def _on_a_call(raw: list[tuple[str, list[Line]]], speakers: dict[str, str], bible: Bible) -> set[str]:
    """Lines spoken by someone an action shows only on a call ("A video call: Jonah's face,
    far away"), until a parenthetical or an action brings them in ("now right behind her")."""
    remote: set[str] = set()
    out: set[str] = set()
    for action, blines in raw:
        for cid, there in mentions(bible, action):
            if CALL.search(action) and not there:
                remote.add(cid)
            elif there and not CALL.search(action):
                remote.discard(cid)
        for ln in blines:
            who = speakers[ln.id]
            if who in remote and ARRIVES.search(ln.dialogue.parenthetical):
                remote.discard(who)
            elif who in remote:
                out.add(ln.id)
    return out


def stage_scene(scene: Scene, number: int, bible: Bible) -> SceneStaging:
    lines = scene.lines(number)
    speakers = {ln.id: character_id(bible, ln.dialogue.character) for ln in lines}
    action_text = " ".join(e.text for e in scene.elements if isinstance(e, Action))
    brought_in = [cid for cid, there in mentions(bible, action_text) if there]
    heard_ids = frozenset(ln.id for ln in lines if heard_line(ln.dialogue) or (
        phone_line(ln.dialogue) and speakers[ln.id] not in brought_in))
    raw = _beats(scene, lines)
    heard_ids = heard_ids | _on_a_call(raw, speakers, bible)
    order = _order_of_appearance(raw, speakers, heard_ids, bible)
    present = tuple(order)
    heard = tuple(dict.fromkeys(speakers[i] for i in sorted(heard_ids)
                                if speakers[i] not in order and speakers[i] not in brought_in))
    beats = _staged_beats(raw, speakers, heard_ids, order, bible)
    loc = bible.location(scene.location)
    return SceneStaging(
        number=number, heading=scene.heading, interior=scene.interior,
        location=loc.id if loc else scene.location, place=scene.location,
        time_of_day=scene.time_of_day, present=present, heard=heard, heard_lines=heard_ids,
        speakers=speakers, beats=tuple(beats),
        props=tuple(dict.fromkeys(p for b in beats for p in b.props)),
    )


def _order_of_appearance(raw: list, speakers: dict[str, str], heard_ids: frozenset[str],
                         bible: Bible) -> dict[str, None]:
    """Who is present, in order of appearance: action mentions and on-screen speech, beat by beat."""
    order: dict[str, None] = {}
    for action, blines in raw:
        for cid, there in mentions(bible, action):
            if there:
                order.setdefault(cid, None)
        for ln in blines:
            if ln.id not in heard_ids:
                order.setdefault(speakers[ln.id], None)
    return order


def _staged_beats(raw: list, speakers: dict[str, str], heard_ids: frozenset[str],
                  order: dict[str, None], bible: Bible) -> list[Beat]:
    """Each beat with who acts in it and who is on stage by then ("they" means everyone so far)."""
    beats = []
    came_in: dict[str, None] = {}
    for action, blines in raw:
        actors = [cid for cid, there in mentions(bible, action) if there and cid in order]
        came_in.update(dict.fromkeys(actors))
        came_in.update(dict.fromkeys(speakers[ln.id] for ln in blines if ln.id not in heard_ids))
        if action and not actors and _GROUP.search(action):
            actors = list(came_in)
        beats.append(Beat(action=action.strip(), lines=tuple(blines), actors=tuple(actors),
                          props=tuple(props_in(action)), on_stage=tuple(came_in)))
    return beats


def stage(screenplay: Screenplay, bible: Bible) -> list[SceneStaging]:
    """Every scene's staging, scene numbers counting from 1 as line ids do."""
    return [stage_scene(sc, i, bible) for i, sc in enumerate(screenplay.scenes, start=1)]
