"""Checks before any money is spent: is this a complete micro film of the right length?

`check()` reads the brief, the bible and the screenplay (and, when given, the Fountain text
so each finding points at a line) and reports:
- the five elements: time, place, characters, theme, plot (title-page keys Time, Theme and
  Logline, the scenes' locations, the cast);
- the estimated runtime (dialogue at the form's speaking rate, about 3 s per action
  paragraph, plus the title and credits cards) against the 10:00 cap and the brief's target;
- every speaking character in the bible, every scene's location in the bible's locations.
Findings are typed, name the scene and the line, and say how to fix the problem.
"""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass, field
from typing import Literal

from microfilm import form
from microfilm.spec.bible import Bible
from microfilm.spec.brief import Brief
from microfilm.spec.screenplay import Action, Dialogue, Screenplay

Severity = Literal["error", "warning"]

ACTION_PARAGRAPH_S = 3.0
"""Screen time of one action paragraph (one visual moment)."""

TARGET_TOLERANCE = 0.15
"""How far the estimated runtime may stray from the brief's target."""


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str  # e.g. "unknown-speaker", "missing-theme", "over-cap"
    message: str
    scene: int | None = None  # 1-based position of the scene in the script
    heading: str = ""
    line: int | None = None  # 1-based line in the Fountain text, when it was given

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.scene is not None:
            where.append(f"scene {self.scene}" + (f" ({self.heading})" if self.heading else ""))
        prefix = ", ".join(where)
        return f"{self.severity}: {prefix + ': ' if prefix else ''}{self.message} [{self.code}]"


@dataclass(frozen=True)
class Runtime:
    """The script's estimated runtime, by where the seconds come from."""

    dialogue: float
    action: float
    cards: float
    per_scene: tuple[float, ...] = field(default=())

    @property
    def total(self) -> float:
        return self.dialogue + self.action + self.cards


def estimate_runtime(screenplay: Screenplay, language: str) -> Runtime:
    """Dialogue at the form's speaking rate, ACTION_PARAGRAPH_S per action paragraph."""
    dialogue = action = 0.0
    per_scene = []
    for scene in screenplay.scenes:
        s = 0.0
        for el in scene.elements:
            if isinstance(el, Dialogue):
                t = form.speech_seconds(el.text, language)
                dialogue += t
                s += t
            elif isinstance(el, Action) and el.text.strip():
                action += ACTION_PARAGRAPH_S
                s += ACTION_PARAGRAPH_S
        per_scene.append(s)
    return Runtime(dialogue, action, form.TITLE_CARD_S + form.CREDITS_CARD_S, tuple(per_scene))


# ---- finding lines in the Fountain text ----------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


_SCENE_NUMBER = re.compile(r"\s*#[^#]*#\s*$")
_EXTENSION = re.compile(r"\s*[(（][^)）]*[)）]\s*$")


@dataclass
class _Lines:
    headings: dict[int, int]  # scene index -> line
    cues: dict[tuple[int, int], int]  # (scene index, element index) -> line
    title_keys: dict[str, int]


def _locate(text: str | None, screenplay: Screenplay) -> _Lines:
    found = _Lines({}, {}, {})
    if not text:
        return found
    lines = text.splitlines()
    # title page: "Key: value" lines before the first blank line
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            break
        m = re.match(r"^\s*([^:：]+?)\s*[:：]", raw)
        if m:
            found.title_keys.setdefault(m.group(1).strip().casefold(), n)
    pos = 0
    spans: list[tuple[int, int]] = []
    for si, scene in enumerate(screenplay.scenes):
        want = _norm(scene.heading.lstrip("."))
        for n in range(pos, len(lines)):
            got = _norm(_SCENE_NUMBER.sub("", lines[n]).lstrip(".").strip())
            if got == want:
                found.headings[si] = n + 1
                pos = n + 1
                break
        spans.append((found.headings.get(si, pos), len(lines)))
    heads = sorted(found.headings.items())
    for si, scene in enumerate(screenplay.scenes):
        if si not in found.headings:
            continue
        start = found.headings[si]
        later = [ln for sj, ln in heads if sj > si]
        end = later[0] - 1 if later else len(lines)
        cursor = start
        for ei, el in enumerate(scene.elements):
            if not isinstance(el, Dialogue):
                continue
            name = _norm(el.character)
            for n in range(cursor, end):
                cue = lines[n].strip().lstrip("@").rstrip("^").strip()
                cue = _EXTENSION.sub("", cue)
                if _norm(cue) == name:
                    found.cues[(si, ei)] = n + 1
                    cursor = n + 1
                    break
    return found


# ---- the checks ----------------------------------------------------------------------------


def check(brief: Brief, bible: Bible, screenplay: Screenplay,
          fountain_text: str | None = None) -> list[Finding]:
    """Everything wrong with this script before money is spent; errors first."""
    where = _locate(fountain_text, screenplay)
    findings: list[Finding] = []

    def at(si: int | None) -> dict:
        if si is None:
            return {}
        return {"scene": si + 1, "heading": screenplay.scenes[si].heading,
                "line": where.headings.get(si)}

    def title_line(key: str) -> int | None:
        if fountain_text is None:
            return None
        return where.title_keys.get(key.casefold(), 1)

    # -- the five elements
    tp = {k.casefold(): v.strip() for k, v in screenplay.title_page.items()}
    for key, element, fallback in (("Theme", "theme", bible.theme), ("Time", "time", bible.time),
                                   ("Logline", "plot", "")):
        if tp.get(key.casefold()):
            continue
        if fallback:
            findings.append(Finding(
                "warning", f"{element}-not-in-script",
                f"the {element} is only in bible.yaml; add '{key}: {fallback}' to the title page",
                line=title_line(key)))
        else:
            findings.append(Finding(
                "error", f"missing-{element}",
                f"no {element}: add a '{key}: ...' line to the title page"
                + (" (the story in one sentence)" if key == "Logline" else ""),
                line=title_line(key)))
    if not screenplay.scenes:
        findings.append(Finding("error", "missing-plot", "the script has no scenes",
                                line=title_line("Title")))
    elif not any(s.location for s in screenplay.scenes):
        findings.append(Finding("error", "missing-place",
                                "no scene heading names a place (e.g. 'INT. KITCHEN - NIGHT')",
                                **at(0)))
    if not bible.characters and not screenplay.speaking_characters():
        findings.append(Finding("error", "missing-characters",
                                "the film has no characters: none in bible.yaml and nobody speaks"))

    # -- the cast and the places exist in the bible
    known_places = ", ".join(loc.name for loc in bible.locations) or "none"
    known_people = ", ".join(c.name for c in bible.characters) or "none"
    for si, scene in enumerate(screenplay.scenes):
        if not scene.elements:
            findings.append(Finding("warning", "empty-scene", "the scene has no action or dialogue",
                                    **at(si)))
        place = scene.location
        if place and bible.location(place) is None:
            findings.append(Finding(
                "error", "unknown-location",
                f"location '{place}' is not in bible.yaml (known: {known_places}); "
                "add it there or fix the heading", **at(si)))
        reported: set[str] = set()
        for ei, el in enumerate(scene.elements):
            if not isinstance(el, Dialogue) or bible.character(el.character) is not None:
                continue
            if el.character.casefold() in reported:
                continue
            reported.add(el.character.casefold())
            pos = at(si)
            pos["line"] = where.cues.get((si, ei), pos.get("line"))
            findings.append(Finding(
                "error", "unknown-speaker",
                f"'{el.character}' speaks but is not in bible.yaml (known: {known_people}); "
                "add the character or fix the name", **pos))

    # -- runtime
    rt = estimate_runtime(screenplay, brief.language)
    total = rt.total
    breakdown = (f"{form.format_clock(total)} = dialogue {rt.dialogue:.0f} s + action "
                 f"{rt.action:.0f} s + cards {rt.cards:.0f} s")
    longest = max(range(len(rt.per_scene)), key=lambda i: rt.per_scene[i]) if rt.per_scene else None
    if total > form.MAX_DURATION_S:
        msg = (f"estimated runtime {breakdown} is over the micro film's 10:00 cap; cut "
               f"{total - form.MAX_DURATION_S:.0f} s")
        if longest is not None:
            msg += f" (the longest scene runs {rt.per_scene[longest]:.0f} s)"
        findings.append(Finding("error", "over-cap", msg, **at(longest)))
    low, high = brief.duration * (1 - TARGET_TOLERANCE), brief.duration * (1 + TARGET_TOLERANCE)
    if not low <= total <= high:
        verb = "cut" if total > high else "add"
        findings.append(Finding(
            "error", "off-target",
            f"estimated runtime {breakdown} is not within 15% of the brief's "
            f"{form.format_clock(brief.duration)} ({form.format_clock(low)}-"
            f"{form.format_clock(high)}); {verb} about {abs(total - brief.duration):.0f} s "
            "or change the brief's duration",
            **(at(longest) if total > high and longest is not None else {})))
    findings.sort(key=lambda f: (f.severity != "error", f.scene or 0, f.line or 0))
    return findings


def check_storyboard(path: Path) -> list[Finding]:
    """storyboard.yaml as `generate` will read it: each problem that would stop the run (a
    field out of range, no shots, a shared shot id, a film under the minimum) as an error."""
    from microfilm.errors import SpecError
    from microfilm.spec.storyboard import Storyboard

    try:
        board = Storyboard.load(path)
    except SpecError as exc:
        return [Finding("error", "storyboard", f"{path.name}: {line.removeprefix(f'{path}: ')}")
                for line in str(exc).splitlines()]
    if board.duration < form.MIN_DURATION_S:
        return [Finding("error", "storyboard-too-short",
                        f"{path.name}: the film runs {board.duration:.1f} s, under the "
                        f"{form.MIN_DURATION_S:g} s minimum; add or lengthen shots")]
    return []


def check_board(board_path, bible: Bible, screenplay: Screenplay) -> list[Finding]:
    """The board lint (microfilm.direction.lint) once a storyboard exists: does every shot
    stage what the script says. A missing storyboard has nothing to lint."""
    from microfilm.direction.lint import lint
    from microfilm.spec.storyboard import Storyboard

    if not board_path.exists():
        return []
    headings = {i: sc.heading for i, sc in enumerate(screenplay.scenes, start=1)}
    return [Finding("error", f"board-{f.code}", str(f), scene=f.scene,
                    heading=headings.get(f.scene, ""))
            for f in lint(Storyboard.load(board_path), screenplay, bible)]
