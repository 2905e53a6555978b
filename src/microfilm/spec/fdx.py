"""Final Draft (.fdx) read into a `Screenplay`.

An .fdx file is XML: `<FinalDraft DocumentType="Script">` holds `<Content>` with one
`<Paragraph Type="...">` per script element (Scene Heading, Action, Character,
Parenthetical, Dialogue, Transition, Shot, General, Cast List...), each with one or more
`<Text>` runs (a run per style change), and optionally a `<TitlePage>` of centred,
unlabelled paragraphs. Dual dialogue is a `<DualDialogue>` inside a paragraph, wrapping
the two speeches; script notes are `<ScriptNote>` elements inside a paragraph or in a
`<ScriptNotes>` list. (Format as Final Draft 10-13 writes it, read on 2026-12-04 from
files published by screenwriting tools that read and write it.)

The file comes from outside, so the XML is read with the standard library's expat parser
and any DOCTYPE, entity declaration or external reference is refused before it can
expand (billion laughs, external entities): a screenplay never needs one. Every element
keeps the line it started on, so what cannot be read is reported with its line.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field

from microfilm.errors import SpecError
from microfilm.spec.screenplay import Action, Dialogue, Element, Note, Scene, Screenplay, Transition

__all__ = ["FdxError", "parse"]

MAX_BYTES = 20 * 1024 * 1024
"""A feature film's .fdx is under 2 MB; anything far larger is not a screenplay."""


class FdxError(SpecError):
    """An .fdx that cannot be read; `line` is the 1-based line in the file."""

    def __init__(self, source: str, line: int, message: str) -> None:
        self.source = source
        self.line = line
        super().__init__(f"{source}, line {line}: {message}")


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list["_Node"] = field(default_factory=list)
    text: str = ""  # character data directly inside this element

    def find(self, tag: str) -> "_Node | None":
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list["_Node"]:
        return [c for c in self.children if c.tag == tag]


def _tree(data: bytes, source: str) -> _Node:
    """The XML as nodes with line numbers; DTDs and entities are refused."""
    parser = xml.parsers.expat.ParserCreate()
    root = _Node("#document", {}, 1)
    stack = [root]

    def refuse(what: str) -> None:
        raise FdxError(source, parser.CurrentLineNumber,
                       f"the file declares {what}; a screenplay needs none, so it is refused "
                       "(it could expand without limit or read other files)")

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(tag, attrs, parser.CurrentLineNumber)
        stack[-1].children.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        stack[-1].text += text

    parser.StartDoctypeDeclHandler = lambda *a: refuse("a DOCTYPE")
    parser.EntityDeclHandler = lambda *a: refuse("an entity")
    parser.UnparsedEntityDeclHandler = lambda *a: refuse("an unparsed entity")
    parser.ExternalEntityRefHandler = lambda *a: refuse("an external entity")  # type: ignore[assignment]
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise FdxError(source, exc.lineno, f"not well-formed XML: "
                       f"{xml.parsers.expat.errors.messages.get(exc.code, str(exc))} "
                       f"(column {exc.offset + 1})") from None
    return root


def _text(paragraph: _Node) -> str:
    """The paragraph's words: its <Text> runs joined (Final Draft splits runs by style)."""
    runs = [t.text for t in paragraph.all("Text")]
    return re.sub(r"[ \t]+\n", "\n", "".join(runs)).strip()


def _notes(paragraph: _Node) -> list[str]:
    found = []
    for note in paragraph.all("ScriptNote"):
        words = " ".join(_text(p) for p in note.all("Paragraph") if _text(p))
        if words:
            found.append(words)
    return found


_EXT = re.compile(r"\s*[(（]([^()（）]*)[)）]\s*$")


def _cue(text: str) -> tuple[str, str]:
    """'MOM (V.O.)' -> ('MOM', 'V.O.'); Final Draft keeps extensions in the cue's text."""
    exts = []
    while (m := _EXT.search(text)) and m.start() > 0:
        exts.insert(0, m.group(1).strip())
        text = text[:m.start()].rstrip()
    return text.strip(), ") (".join(exts)


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.preamble: list[Element] = []
        self.scenes: list[Scene] = []
        self.speaker: tuple[str, str, int] | None = None  # (name, extension, line)
        self.parenthetical = ""
        self.spoke = False  # the current speaker said something (a parenthetical may follow)
        self.dual_next = False

    @property
    def elements(self) -> list[Element]:
        return self.scenes[-1].elements if self.scenes else self.preamble

    def close_cue(self) -> None:
        speaker, self.speaker = self.speaker, None
        if speaker is not None and not self.spoke:
            name, _, line = speaker
            raise FdxError(self.source, line, f"the character cue '{name}' has no dialogue "
                           "after it; add the line in Final Draft or change the paragraph to Action")

    def paragraph(self, node: _Node, dual: bool = False) -> None:
        kind = node.attrs.get("Type", "Action")
        if (inner := node.find("DualDialogue")) is not None:
            self.close_cue()
            first = True
            for p in inner.all("Paragraph"):
                if p.attrs.get("Type") == "Character" and not first:
                    self.dual_next = True
                if p.attrs.get("Type") == "Character":
                    first = False
                self.paragraph(p, dual=True)
            self.dual_next = False
            return
        text = _text(node)
        notes = _notes(node)
        if kind == "Character":
            self.close_cue()
            name, ext = _cue(text)
            if not name:
                raise FdxError(self.source, node.line, "a Character paragraph with no name")
            self.speaker, self.parenthetical, self.spoke = (name, ext, node.line), "", False
        elif kind == "Parenthetical":
            if self.speaker is None:  # a stray parenthetical reads as action
                self.elements.append(Action(text=text))
            else:
                self.parenthetical = text.strip().strip("()（）").strip()
        elif kind == "Dialogue":
            if self.speaker is None:
                raise FdxError(self.source, node.line, "a Dialogue paragraph with no Character "
                               "cue before it; add the speaker's name above the line")
            if text:
                name, ext, _ = self.speaker
                self.elements.append(Dialogue(character=name, text=text, extension=ext,
                                              parenthetical=self.parenthetical,
                                              dual=self.dual_next))
                self.dual_next = False
                self.parenthetical, self.spoke = "", True
        else:
            self.close_cue()
            if kind == "Scene Heading":
                if text:
                    self.scenes.append(Scene(heading=text, number=node.attrs.get("Number", "")))
            elif kind == "Transition":
                if text:
                    self.elements.append(Transition(text=text))
            elif text:  # Action, Shot, General, Cast List, Lyrics...
                self.elements.append(Action(text=text))
        self.elements.extend(Note(text=n) for n in notes)


def _title_page(doc: _Node) -> dict[str, str]:
    """Final Draft's title page is centred lines without labels: the first is the title,
    'Written by' introduces the authors, and a 'Key: value' line keeps its key."""
    page = doc.find("TitlePage")
    content = page.find("Content") if page is not None else None
    lines = [_text(p) for p in (content.all("Paragraph") if content is not None else [])]
    lines = [ln for ln in lines if ln]
    out: dict[str, str] = {}
    expect_author = False
    for line in lines:
        if m := re.match(r"^([A-Za-z][A-Za-z ]{0,29}|[\u4e00-\u9fff]{1,6})\s*[:：]\s*(.+)$", line):
            out[m.group(1).strip()] = m.group(2).strip()
        elif re.fullmatch(r"(?i)(written\s+)?by|screenplay\s+by|编剧", line):
            out["Credit"] = line
            expect_author = True
        elif expect_author:
            out["Author"] = f"{out['Author']}\n{line}" if "Author" in out else line
        elif "Title" not in out:
            out["Title"] = line
    return out


def parse(data: bytes | str, source: str = "script.fdx") -> Screenplay:
    """Read a Final Draft file's bytes (or text); `source` names it in errors."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise FdxError(source, 1, f"{len(raw) // 1024 // 1024} MB is too large for a screenplay")
    root = _tree(raw, source)
    doc = root.find("FinalDraft")
    if doc is None:
        first = root.children[0] if root.children else None
        raise FdxError(source, first.line if first else 1,
                       f"not a Final Draft file: the root element is <{first.tag if first else ''}>, "
                       "not <FinalDraft>")
    content = doc.find("Content")
    if content is None:
        raise FdxError(source, doc.line, "the <FinalDraft> file has no <Content> (no script)")
    builder = _Builder(source)
    for p in content.all("Paragraph"):
        builder.paragraph(p)
    builder.close_cue()
    notes = doc.find("ScriptNotes")
    for note in notes.all("ScriptNote") if notes is not None else []:
        words = " ".join(_text(p) for p in note.all("Paragraph") if _text(p))
        if words:
            builder.elements.append(Note(text=words))
    return Screenplay(title_page=_title_page(doc), preamble=builder.preamble, scenes=builder.scenes)
