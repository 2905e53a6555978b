"""Board lint: does every shot stage what the script says?

Checked against the staging read from the screenplay (microfilm.direction.staging), so a
hand-edited or LLM-proposed board is held to the same rules as the house director's:
- a heard-only character (V.O., a phone, 画外音...) on screen;
- an on-screen character who is not in the scene;
- a prompt that contradicts the scene's INT/EXT or time of day;
- a spoken line whose speaker is neither on screen nor heard-only in its shot;
- a line of the script that no shot plays;
- a prop the action names that no shot of the scene shows.
Each finding names the shot and the script line id ("sc03-l02") it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from microfilm.direction.cast import character_id
from microfilm.direction.describe import PROP_WORDS
from microfilm.direction.staging import PROPS, SceneStaging, stage
from microfilm.direction.words import time_class
from microfilm.spec.bible import Bible
from microfilm.spec.screenplay import Screenplay
from microfilm.spec.storyboard import Shot, Storyboard

_OUTSIDE = re.compile(r"(?<![a-z])(?:exterior|outdoors|ext\.)(?![a-z])|外景|室外|户外", re.I)
_INSIDE = re.compile(r"(?<![a-z])(?:interior|indoors|int\.)(?![a-z])|内景|室内", re.I)
_TIME_CLASH = {
    "night": re.compile(r"(?<![a-z])(?:daylight|daytime|midday|noon|sunny|bright sun)(?![a-z])|"
                        r"白天|正午|阳光明媚", re.I),
    "day": re.compile(r"(?<![a-z])(?:at night|nighttime|night sky|midnight|moonlit|moonlight|starry)(?![a-z])|"
                     r"深夜|午夜|夜晚",
                      re.I),
    "dawn": re.compile(r"(?<![a-z])(?:midnight|noon|midday)(?![a-z])|午夜|正午", re.I),
    "dusk": re.compile(r"(?<![a-z])(?:midnight|noon|midday|sunrise)(?![a-z])|午夜|正午|日出", re.I),
}


@dataclass(frozen=True)
class LintFinding:
    code: str
    shot: str  # the shot id, "" when no shot is at fault but a line is missing
    line: str  # the script line id ("sc03-l02"), "" when the finding is about an action
    scene: int
    message: str

    def __str__(self) -> str:
        where = f"shot {self.shot}" if self.shot else f"scene {self.scene}"
        return f"{where}" + (f" (line {self.line})" if self.line else "") + f": {self.message} [{self.code}]"


def _name(bible: Bible, cid: str) -> str:
    c = bible.character(cid)
    return c.name if c else cid


def _own_words(shot: Shot, st: SceneStaging, bible: Bible) -> str:
    """The prompt without the place's own name and description ("a night bus" at dusk)."""
    text = shot.prompt
    loc = bible.location(st.location)
    for words in ((loc.name, loc.description) if loc else ()) + (st.place,):
        if words:
            text = text.replace(words.rstrip("."), " ")
    if bible.style.look:
        text = text.replace(bible.style.look.rstrip("."), " ")
    for c in bible.characters:  # a look ("night-shift nurse") is not the hour either
        for words in (c.look, c.wardrobe):
            if words:
                text = text.replace(words, " ")
    return text


def shows(shot: Shot, prop: str) -> bool:
    words = (PROP_WORDS.get(prop, prop),) + dict(PROPS).get(prop, ())
    text = f"{shot.prompt} {shot.action}".casefold()
    return any((re.search(rf"(?<![a-z]){re.escape(w.casefold())}(?![a-z])", text) if w.isascii()
                else w in text) for w in words)


def lint_shot(shot: Shot, st: SceneStaging, bible: Bible) -> list[LintFinding]:
    out: list[LintFinding] = []
    first_line = shot.covers[0] if shot.covers else ""
    on_screen = {character_id(bible, c) for c in shot.characters}
    heard = {character_id(bible, c) for c in shot.heard}

    def add(code: str, message: str, line: str = "") -> None:
        out.append(LintFinding(code, shot.id, line or first_line, st.number, message))

    for cid in (character_id(bible, c) for c in shot.characters):
        if cid in st.heard or cid in heard:
            line = next((ln.line_id for ln in shot.lines if ln.character == cid), "")
            line = line or next((i for i, who in st.speakers.items() if who == cid), "")
            add("heard-on-screen", f"{_name(bible, cid)} is only heard in this scene but is on "
                "screen; take them out of `characters` (keep them in `heard`)", line)
        elif cid not in st.present:
            add("not-in-scene", f"{_name(bible, cid)} is on screen but not in scene {st.number} "
                f"({st.heading}); take them out of `characters`")
    for ln in shot.lines:
        if character_id(bible, ln.character) not in on_screen | heard:
            add("speaker-nowhere", f"{_name(bible, ln.character)} speaks but is neither on screen "
                "nor heard-only in this shot; add them to `characters` or `heard`", ln.line_id)
    own = _own_words(shot, st, bible)
    if st.interior and _OUTSIDE.search(own):
        add("prompt-place", f"the prompt says outdoors but the scene is INT. ({st.heading})")
    if not st.interior and _INSIDE.search(own):
        add("prompt-place", f"the prompt says indoors but the scene is EXT. ({st.heading})")
    clash = _TIME_CLASH.get(time_class(st.time_of_day))
    if st.time_of_day and clash and (m := clash.search(own)):
        add("prompt-time", f"the prompt says '{m.group(0)}' but the scene is {st.time_of_day}")
    return out


def lint(board: Storyboard, screenplay: Screenplay, bible: Bible) -> list[LintFinding]:
    """Every staging error of the board against the script, in board order."""
    stagings = {st.number: st for st in stage(screenplay, bible)}
    out: list[LintFinding] = []
    covered: set[str] = set()
    by_scene: dict[int, list[Shot]] = {}
    for shot in board.shots:
        if shot.kind != "shot":
            continue
        st = stagings.get(shot.scene)
        if st is None:
            continue
        by_scene.setdefault(shot.scene, []).append(shot)
        covered.update(ln.line_id for ln in shot.lines if ln.line_id)
        out += lint_shot(shot, st, bible)
    for number, st in stagings.items():
        shots = by_scene.get(number, [])
        for line_id in st.speakers:
            if shots and line_id not in covered and any(ln.line_id for s in shots for ln in s.lines):
                out.append(LintFinding("line-not-played", "", line_id, number,
                                       "no shot plays this line of the script"))
        for prop in st.props:
            if shots and not any(shows(s, prop) for s in shots):
                beat_shot = next((s for s in shots if s.action and prop in s.action.casefold()), shots[0])
                out.append(LintFinding("prop-not-shown", beat_shot.id,
                                       beat_shot.covers[0] if beat_shot.covers else "", number,
                                       f"the action names {PROP_WORDS.get(prop, prop)} but no shot "
                                       "of the scene shows it; add it to a prompt or an insert"))
    return out
