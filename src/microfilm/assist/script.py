"""The project's script as the assistants see it: the text, what it parses to, and its
paragraphs with their line numbers, so a change is made to the lines a person wrote
(and the diff shows only that) rather than to a re-typeset copy of the file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from microfilm.checks import ACTION_PARAGRAPH_S
from microfilm import form
from microfilm.errors import MicrofilmError, SpecError
from microfilm.project import Project
from microfilm.spec import fountain
from microfilm.spec.bible import Bible, Location
from microfilm.spec.brief import Brief
from microfilm.spec.screenplay import Action, Dialogue, Element, Note, Scene, Screenplay, Transition

BlockKind = Literal["title", "heading", "action", "dialogue", "transition", "note", "other"]


@dataclass(frozen=True)
class Block:
    """One paragraph of the Fountain text: lines [start, end) (0-based), its scene."""

    start: int
    end: int
    kind: BlockKind
    scene: int  # 0-based index of the scene it belongs to; -1 before the first
    elements: tuple[Element, ...] = ()

    @property
    def seconds(self) -> float:
        """Its share of the estimated runtime, counted as `checks.estimate_runtime` does."""
        total = 0.0
        for el in self.elements:
            if isinstance(el, Dialogue):
                total += form.speech_seconds(el.text, self._lang)
            elif isinstance(el, Action) and el.text.strip():
                total += ACTION_PARAGRAPH_S
        return total

    _lang: str = "en"


def _classify(lines: list[str], first: bool, has_title: bool) -> tuple[BlockKind, tuple[Element, ...]]:
    if first and has_title:
        return "title", ()
    try:
        sp = fountain.parse(".X\n\n" + "\n".join(lines), source="block")
    except SpecError:
        return "other", ()
    if len(sp.scenes) > 1:
        return "heading", ()
    els = tuple(sp.scenes[0].elements) if sp.scenes else ()
    kinds = {type(e) for e in els if not isinstance(e, Note)}
    if kinds == {Dialogue}:
        return "dialogue", els
    if kinds == {Action}:
        return "action", els
    if kinds == {Transition}:
        return "transition", els
    if not kinds and els:
        return "note", els
    return "other", els


@dataclass
class Script:
    project: Project
    brief: Brief
    text: str
    screenplay: Screenplay
    bible: Bible

    @classmethod
    def load(cls, project: Project) -> "Script":
        for path in (project.screenplay, project.bible):
            if not path.exists():
                raise SpecError(f"{path} does not exist yet; run `microfilm develop "
                                f"{project.root}` or start from a script with `microfilm new "
                                "--from`")
        text = project.screenplay.read_text(encoding="utf-8")
        return cls(project, project.brief(), text,
                   fountain.parse(text, source=str(project.screenplay)), Bible.load(project.bible))

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def blocks(self) -> list[Block]:
        lines = self.lines
        out: list[Block] = []
        scene = -1
        i = 0
        while i < len(lines):
            if not lines[i].strip():
                i += 1
                continue
            j = i
            while j < len(lines) and lines[j].strip():
                j += 1
            kind, els = _classify(lines[i:j], not out, bool(self.screenplay.title_page))
            if kind == "heading":
                scene += 1
            out.append(Block(i, j, kind, scene, els, self.brief.language))
            i = j
        return out

    def scene_span(self, number: int) -> tuple[int, int]:
        """Lines (1-based, inclusive) of scene `number` (1-based), heading included."""
        heads = [b for b in self.blocks() if b.kind == "heading"]
        if not 1 <= number <= len(heads):
            raise MicrofilmError(f"{self.project.screenplay}: no scene {number}; the script has "
                                 f"scenes 1-{len(heads)}")
        start = heads[number - 1].start + 1
        end = heads[number].start if number < len(heads) else len(self.lines)
        while end > start and not self.lines[end - 1].strip():
            end -= 1
        return start, end

    def check_span(self, span: tuple[int, int]) -> tuple[int, int]:
        a, b = span
        n = len(self.lines)
        if not (1 <= a <= b <= n):
            raise MicrofilmError(f"{self.project.screenplay}: lines {a}-{b} are outside the "
                                 f"script (lines 1-{n})")
        return a, b

    def splice(self, span: tuple[int, int], replacement: str) -> str:
        """The text with lines span[0]..span[1] (1-based, inclusive) replaced."""
        lines = self.lines
        a, b = span
        new = replacement.strip("\n").split("\n") if replacement.strip() else []
        return "\n".join(lines[: a - 1] + new + lines[b:])

    def excerpt(self, span: tuple[int, int]) -> str:
        return "\n".join(self.lines[span[0] - 1: span[1]])


_SLUG = re.compile(r"[^a-z0-9]+")


def completed_bible(script: Script, new_text: str) -> str | None:
    """bible.yaml with every speaker and place of `new_text` that it lacks (cast by the
    house writer), or None when nothing is missing."""
    from microfilm.providers.house import writer

    sp = fountain.parse(new_text)
    bible = script.bible
    missing_people: dict[str, str] = {}
    for name in sp.speaking_characters():
        if bible.character(name) is None:
            missing_people.setdefault(name.casefold(), name)
    missing_places: dict[str, Scene] = {}
    for scene in sp.scenes:
        if scene.location and bible.location(scene.location) is None:
            missing_places.setdefault(scene.location.casefold(), scene)
    if not missing_people and not missing_places:
        return None
    action = "\n".join(e.text for s in sp.scenes for e in s.elements if isinstance(e, Action))
    taken = {c.id for c in bible.characters} | {loc.id for loc in bible.locations}
    cast = writer.cast_script(list(missing_people.values()), script.brief.genre.value,
                              script.brief.language, script.brief.seed, action)
    people = []
    for k, c in enumerate(cast):
        cid = c.id if c.id not in taken and not c.id.startswith("character-") else \
            f"character-{len(bible.characters) + k + 1}"
        taken.add(cid)
        people.append(c.model_copy(update={"id": cid}))
    places = []
    for k, scene in enumerate(missing_places.values()):
        pid = _SLUG.sub("-", scene.location.casefold()).strip("-")
        if not pid or pid in taken:
            pid = f"place-{len(bible.locations) + k + 1}"
        taken.add(pid)
        places.append(Location(id=pid, name=scene.location, interior=scene.interior))
    grown = bible.model_copy(update={"characters": bible.characters + people,
                                     "locations": bible.locations + places})
    return grown.to_yaml()
