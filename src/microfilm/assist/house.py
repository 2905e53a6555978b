"""The offline assistant: the requests that need no language model.

- fit: cut whole paragraphs (the middle of the longest scenes first, never a scene's
  opening image) or add silent beats (a place held, a look, a breath) until the estimated
  runtime is within 5% of the brief's duration;
- fix: what `check` found that has one right answer: missing bible entries (cast by the
  house writer), a missing Theme, Time or Logline on the title page, a runtime off target;
- brand: the brief's must-say lines, said by a character in a fitting scene, and the
  must-not-say words it finds (rewriting those needs an LLM writer).
Each returns the new texts; the caller turns them into a proposal.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from microfilm import checks
from microfilm.assist.script import Block, Script, completed_bible
from microfilm.assist.script_import import title_keys_added
from microfilm.spec import fountain
from microfilm.spec.screenplay import Dialogue, Scene, Screenplay

FIT_TOLERANCE = 0.05

BEATS = {
    "en": ("The {place} holds still for a moment: {detail}.",
           "{name} stops and says nothing. {Pronoun} looks at {other}.",
           "Close on {name}'s hands.",
           "{name} breathes out slowly. Nobody speaks."),
    "zh": ("{place}安静了一会儿：{detail}。",
           "{name}停下来，什么也没说，看着{other}。",
           "特写：{name}的手。",
           "{name}慢慢吐了一口气，谁都没有说话。"),
}


@dataclass
class Outcome:
    files: dict[str, str]
    summary: str
    left: list[str] = field(default_factory=list)  # what it could not do without a model


def _runtime(text: str, language: str) -> float:
    return checks.estimate_runtime(fountain.parse(text), language).total


def _without(lines: list[str], drop: list[Block]) -> str:
    gone = {k for b in drop for k in range(b.start, b.end + 1)}  # the block and its blank line
    return "\n".join(s for k, s in enumerate(lines) if k not in gone)


def fit(script: Script) -> Outcome:
    target = script.brief.duration
    lang = script.brief.language
    now = _runtime(script.text, lang)
    if abs(now - target) <= target * FIT_TOLERANCE:
        return Outcome({}, f"the script already runs {now:.0f} s for a {target:.0f} s brief")
    if now > target:
        return _cut(script, now, target)
    return _add(script, now, target)


def _cut(script: Script, now: float, target: float) -> Outcome:
    blocks = script.blocks()
    by_scene: dict[int, list[Block]] = {}
    for b in blocks:
        if b.kind in ("action", "dialogue") and b.scene >= 0:
            by_scene.setdefault(b.scene, []).append(b)
    # a scene keeps its first paragraph (its opening image) and its last (its button)
    candidates = [b for bs in by_scene.values() for b in bs[1:-1]]
    length = {s: sum(b.seconds for b in bs) for s, bs in by_scene.items()}
    drop: list[Block] = []
    total = now
    while total > target * (1 + FIT_TOLERANCE) and candidates:
        longest = max({b.scene for b in candidates}, key=lambda s: length[s])
        pick = [b for b in candidates if b.scene == longest][-1]
        candidates.remove(pick)
        drop.append(pick)
        length[longest] -= pick.seconds
        total -= pick.seconds
    text = _without(script.lines, drop)
    after = _runtime(text, script.brief.language)
    left = [] if after <= target * (1 + FIT_TOLERANCE) else [
        f"still {after:.0f} s after cutting every middle paragraph; cutting whole scenes or "
        "tightening lines needs an LLM writer"]
    return Outcome({"screenplay.fountain": text},
                   f"cut {len(drop)} paragraph(s): {now:.0f} s -> {after:.0f} s "
                   f"(brief: {target:.0f} s)", left)


def _beat_block(script: Script, scene: Scene, k: int, rng: random.Random) -> str:
    lang = script.brief.language
    seen = [d.character for d in scene.dialogue() if not d.extension]  # not voices off screen
    speakers = seen or [c.name for c in script.bible.characters]
    name = speakers[k % len(speakers)] if speakers else ""
    others = [s for s in dict.fromkeys(speakers) if s != name]
    place = script.bible.location(scene.location) if scene.location else None
    detail = (rng.choice(place.motifs) if place and place.motifs else
              ("光线慢慢移动" if lang == "zh" else "the light moves slowly"))
    character = script.bible.character(name) if name else None
    pronoun = "She" if character and character.voice.gender == "female" else "He"
    templates = [t for t in BEATS[lang] if name or "{name}" not in t]
    template = templates[k % len(templates)]
    where = scene.location.title() if scene.location.isupper() else scene.location
    words = template.format(place=where or ("这里" if lang == "zh" else "room"),
                            detail=detail, name=name, Pronoun=pronoun,
                            other=others[0] if others else ("远处" if lang == "zh" else "the door"))
    scenes = fountain.parse(".X\n\n" + words).scenes
    if len(scenes) != 1 or [e.kind for e in scenes[0].elements] != ["action"]:
        words = "!" + words  # forced action: it would read as a cue or a heading otherwise
    return words


def _add(script: Script, now: float, target: float) -> Outcome:
    from microfilm.checks import ACTION_PARAGRAPH_S

    need = math.ceil((target - now) / ACTION_PARAGRAPH_S)
    blocks = script.blocks()
    scenes = script.screenplay.scenes
    firsts = {}
    for b in blocks:  # after each scene's first paragraph (its opening image)
        if b.scene >= 0 and b.kind != "heading" and b.scene not in firsts:
            firsts[b.scene] = b
    heads = {b.scene: b for b in blocks if b.kind == "heading"}
    rng = random.Random(f"{script.brief.seed}:fit")
    inserts: dict[int, list[str]] = {}
    for k in range(min(need, 40)):
        si = k % len(scenes)
        at = (firsts.get(si) or heads[si]).end
        inserts.setdefault(at, []).append(_beat_block(script, scenes[si], k // len(scenes), rng))
    lines = script.lines
    out: list[str] = []
    for i, s in enumerate(lines):
        out.append(s)
        if i + 1 in inserts:
            for words in inserts[i + 1]:
                out += ["", words]
    text = "\n".join(out)
    after = _runtime(text, script.brief.language)
    return Outcome({"screenplay.fountain": text},
                   f"added {min(need, 40)} silent beat(s): {now:.0f} s -> {after:.0f} s "
                   f"(brief: {target:.0f} s)")


def fix(script: Script) -> Outcome:
    found = checks.check(script.brief, script.bible, script.screenplay, script.text)
    errors = [f for f in found if f.severity == "error"]
    if not found:
        return Outcome({}, "check finds nothing to fix")
    done: list[str] = []
    left: list[str] = []
    text = script.text
    title = {}
    for f in found:
        if f.code in ("missing-theme", "theme-not-in-script"):
            from microfilm.providers.house.writer import genre_theme

            title["Theme"] = script.bible.theme or genre_theme(script.brief.genre.value,
                                                               script.brief.language)
        elif f.code in ("missing-time", "time-not-in-script"):
            title["Time"] = script.bible.time or ("当下" if script.brief.language == "zh"
                                                  else "the present day")
        elif f.code == "missing-plot" and "title page" in f.message:
            title["Logline"] = script.brief.logline
    if title:
        text = title_keys_added(script.text, title, bool(script.screenplay.title_page))
        done.append(f"added {', '.join(title)} to the title page")
    files = {"screenplay.fountain": text} if text != script.text else {}
    bible = completed_bible(script, text)
    if bible is not None:
        files["bible.yaml"] = bible
        done.append("added the missing characters and places to bible.yaml")
    if any(f.code in ("off-target", "over-cap") for f in errors):
        fitted = fit(Script(script.project, script.brief, text, fountain.parse(text), script.bible))
        if "screenplay.fountain" in fitted.files:
            files["screenplay.fountain"] = fitted.files["screenplay.fountain"]
        done.append(fitted.summary)
        left += fitted.left
    handled = {"missing-theme", "theme-not-in-script", "missing-time", "time-not-in-script",
               "missing-plot", "unknown-speaker", "unknown-location", "off-target", "over-cap"}
    left += [f"{f} (needs an LLM writer)" for f in found if f.code not in handled]
    return Outcome(files, "; ".join(done) or "nothing the house writer can fix", left)


def brand(script: Script) -> Outcome:
    b = script.brief.brand
    if not b:
        return Outcome({}, "the brief has no brand; add a [brand] table to film.toml "
                           "(name, product, must_say, must_not_say, placements)")
    text = script.text
    lower = text.casefold()
    left = []
    for word in b.must_not_say:
        for n, line in enumerate(script.lines, 1):
            if word and word.casefold() in line.casefold():
                left.append(f"line {n} says '{word}', which the brand forbids; rewriting it "
                            "needs an LLM writer (or edit the line)")
    todo = [s for s in b.must_say if s.strip() and s.casefold() not in lower][: max(b.placements, 1)]
    if not todo:
        return Outcome({}, "the brand's must-say lines are already in the script"
                       if b.must_say else "the brand has no must-say line to place", left)
    blocks = script.blocks()
    scenes = script.screenplay.scenes
    names = [w.casefold() for w in (b.name, b.product) if w]

    def fitting(si: int) -> tuple[int, int, int]:
        words = " ".join(e.text for e in scenes[si].elements if hasattr(e, "text")).casefold()
        mentions = sum(words.count(n) for n in names)
        return (mentions, len(scenes[si].dialogue()) > 0, si)  # later scenes break ties

    inserts: dict[int, list[str]] = {}
    placed = []
    ranked = sorted(range(len(scenes)), key=fitting, reverse=True)
    for k, line in enumerate(todo):
        si = ranked[k % len(ranked)]
        said = [x for x in blocks if x.scene == si and x.kind == "dialogue"]
        anchor = said[0] if said else [x for x in blocks if x.scene == si][-1]
        speakers = [d.character for d in scenes[si].dialogue()]
        speaker = (speakers[1] if len(speakers) > 1 else speakers[0]) if speakers else (
            script.bible.characters[0].name if script.bible.characters else "")
        if not speaker:
            left.append(f"no character to say '{line}'")
            continue
        one = Screenplay(scenes=[Scene(heading="INT. X", elements=[Dialogue(character=speaker, text=line)])])
        block = fountain.dump(one).split("\n\n", 1)[1].strip("\n")
        inserts.setdefault(anchor.end, []).append(block)
        placed.append(f"'{line}' said by {speaker} in scene {si + 1}")
    out: list[str] = []
    for i, s in enumerate(script.lines):
        out.append(s)
        for block in inserts.get(i + 1, []):
            out += ["", block]
    return Outcome({"screenplay.fountain": "\n".join(out)}, "placed " + "; ".join(placed), left)
