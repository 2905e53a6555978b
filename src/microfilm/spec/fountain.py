"""Fountain (https://fountain.io/syntax) read into a `Screenplay` and written back without loss.

Fountain is the plain-text screenplay standard: the file a writer edits by hand, diffs in git
and opens in Highland, Slugline, Beat or WriterSolo. microfilm keeps the screenplay in that
format so a person can edit it between stages, so this module must read what such apps write
and write what they read.

Reading is lenient the way those apps are: a heading directly followed by action, a
transition without a blank line after it, Chinese headings ('内景 厨房 - 夜') and short Chinese
name cues are accepted. Only what cannot be meant any other way is an error, and the message
names the file and line: an unclosed `/* boneyard` or `[[note`, a character cue with nothing
to say, a parenthetical with no words after it, a dual-dialogue '^' with no dialogue before it.

Choices the model forces (say them once, here):
- Sections ('# Act One'), synopses ('= ...') and page breaks ('===') are outline and print
  aids with no meaning on screen: they are skipped, like the boneyard.
- Notes ('[[...]]') standing alone become `Note` elements; a note inside action or dialogue
  is lifted out of the text (it is not to be spoken or drawn) into a `Note` just after it.
- A parenthetical in the middle of a speech starts a new `Dialogue` by the same speaker, so
  every `Dialogue` has at most one parenthetical, before its words. A parenthetical after the
  last words stays in the text, as apps print it.
- Emphasis (`*italic*`, `**bold**`, `_underline_`) and lyrics ('~') stay verbatim in the text.

Writing forces an element ('!' action, '@' character, '.' heading, '>' transition) whenever a
standard Fountain app would read it as something else, so a Chinese name is written '@小美'
and a Chinese heading '.内景 厨房 - 夜'; `parse(dump(sp)) == sp` for every screenplay whose
texts Fountain can hold (no blank lines inside an element, no '[[' or '/*' in the text).
"""

from __future__ import annotations

import re
from pathlib import Path

from microfilm.errors import SpecError
from microfilm.fsutil import atomic_write_text
from microfilm.spec.screenplay import Action, Dialogue, Element, Note, Scene, Screenplay, Transition
from microfilm.userfiles import read_text

__all__ = ["FountainError", "dump", "load", "parse", "save"]


class FountainError(SpecError):
    """Malformed Fountain; `line` is the 1-based line of the problem in the file."""

    def __init__(self, source: str, line: int, message: str) -> None:
        self.source = source
        self.line = line
        self.reason = message
        super().__init__(f"{source}, line {line}: {message}")


_Line = tuple[int, str]  # (1-based line number in the file, text)

# ---- what a line is -------------------------------------------------------------------

_HEADING_STD = re.compile(r"^(?:INT\.?/EXT|INT/EXT|EXT\.?/INT|I/E|INT|EXT|EST)[.\s]", re.IGNORECASE)
_HEADING_ZH = re.compile(r"^(?:内外景|外内景|内景|外景)\s*[.。:：·]?\s*\S")
_SCENE_NUMBER = re.compile(r"\s*#([\w.\-]+)#\s*$")
_TITLE_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9 _\-]{0,29}?)\s*[:：]\s*(.*)$")
_PAGE_BREAK = re.compile(r"^={3,}$")
_EXTENSION = re.compile(r"\s*[(（]([^()（）]*)[)）]\s*$")
_PAREN = re.compile(r"^[(（](.*)[)）]$", re.S)
_CJK_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·•]{1,5}$")
_NOTE = re.compile(r"[ \t]*\[\[(.*?)\]\]", re.S)
_TRANSITIONS = {"FADE IN:", "FADE OUT.", "FADE OUT:", "FADE TO BLACK.", "CUT TO BLACK."}
_TRANSITION_ZH = re.compile(r"^(?:切至|切到|叠化至|叠化|淡入|淡出|渐隐|渐显|转场|黑场)[:：。.]?$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def _is_upper(text: str) -> bool:
    """Fountain's 'entirely in uppercase': at least one cased letter and no lowercase one."""
    return any(c.isupper() for c in text) and not any(c.islower() for c in text)


def _is_heading(s: str) -> bool:
    return bool(_HEADING_STD.match(s) or _HEADING_ZH.match(s))


def _is_transition(s: str) -> bool:
    return ((_is_upper(s) and s.endswith("TO:")) or s in _TRANSITIONS
            or bool(_TRANSITION_ZH.match(s)))


def _is_centered(s: str) -> bool:
    return len(s) >= 2 and s.startswith(">") and s.endswith("<")


def _skipped(s: str) -> bool:
    """Sections, synopses and page breaks: outline aids with nothing on screen."""
    return s.startswith("#") or (s.startswith("=") and not s.startswith("==")) or bool(
        _PAGE_BREAK.match(s))


def _split_cue(s: str) -> tuple[str, str, bool, bool]:
    """'@Name (V.O.) ^' -> (name, extension, dual, forced)."""
    t = s.strip()
    forced = t.startswith("@")
    if forced:
        t = t[1:].strip()
    dual = t.endswith("^")
    if dual:
        t = t[:-1].rstrip()
    exts: list[str] = []
    while (m := _EXTENSION.search(t)) and m.start() > 0:
        exts.insert(0, m.group(1).strip())
        t = t[:m.start()].rstrip()
    return t, ") (".join(exts), dual, forced


def _is_cue_name(name: str) -> bool:
    """A name Fountain reads as a character without '@' (plus short Chinese names)."""
    return (_is_upper(name) and not name.endswith("TO:")) or bool(_CJK_NAME.match(name))


def _take_notes(text: str) -> tuple[str, list[str]]:
    """Lift inline [[notes]] out of a paragraph: the words to show, and the notes."""
    notes = [m.group(1).strip() for m in _NOTE.finditer(text)]
    if not notes:
        return text, []
    kept = []
    for line in _NOTE.sub("\x00", text).split("\n"):
        if "\x00" in line:
            line = line.replace("\x00", "").strip()
        if line.strip():
            kept.append(line)
    return "\n".join(kept), notes


# ---- reading --------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _strip_boneyard(lines: list[str], source: str) -> list[_Line]:
    """Remove /* ... */ (across lines); a line left empty by the cut disappears entirely,
    so cut lines never split a block, and every kept line keeps its number."""
    out: list[_Line] = []
    open_at: int | None = None
    for n, raw in enumerate(lines, 1):
        touched = open_at is not None
        pieces: list[str] = []
        i = 0
        while True:
            if open_at is None:
                j = raw.find("/*", i)
                if j < 0:
                    pieces.append(raw[i:])
                    break
                pieces.append(raw[i:j])
                open_at, i, touched = n, j + 2, True
            else:
                j = raw.find("*/", i)
                if j < 0:
                    break
                open_at, i = None, j + 2
        kept = "".join(pieces)
        if touched and not kept.strip():
            continue
        out.append((n, kept))
    if open_at is not None:
        raise FountainError(source, open_at,
                            "the boneyard '/*' is never closed; add '*/' where the cut text ends")
    return out


def _blocks(lines: list[_Line], source: str) -> list[list[_Line]]:
    """Paragraphs: runs of lines between blank lines (a note may hold blank lines)."""
    blocks: list[list[_Line]] = []
    cur: list[_Line] = []
    note_open: int | None = None
    for n, s in lines:
        if note_open is None and (not s.strip() or _PAGE_BREAK.match(s.strip())):
            if cur:
                blocks.append(cur)
                cur = []
            continue
        cur.append((n, s))
        i = 0
        while True:
            j = s.find("[[" if note_open is None else "]]", i)
            if j < 0:
                break
            note_open = n if note_open is None else None
            i = j + 2
    if note_open is not None:
        raise FountainError(source, note_open,
                            "the note '[[' is never closed; add ']]' where the note ends")
    if cur:
        blocks.append(cur)
    return blocks


def _title_page(block: list[_Line]) -> tuple[dict[str, str], list[_Line]] | None:
    """The title page when the first paragraph is 'Key: value' lines; else None."""
    first = block[0][1]
    s = first.strip()
    if first[:1].isspace() or _is_heading(s) or _is_transition(s) or not _TITLE_KEY.match(first):
        return None
    page: dict[str, str] = {}
    last: str | None = None
    rest: list[_Line] = []
    for idx, (_, line) in enumerate(block):
        if line[:1].isspace() and last is not None:  # an indented line continues the last key
            value = line.strip()
            page[last] = f"{page[last]}\n{value}" if page[last] else value
            continue
        m = _TITLE_KEY.match(line)
        if m is None:  # the script starts without a blank line after the title page
            rest = block[idx:]
            break
        key, value = m.group(1).strip(), m.group(2).strip()
        page[key] = f"{page[key]}\n{value}" if page.get(key) else value
        last = key
    if not any(page.values()):  # 'FADE IN:' alone is not a title page
        return None
    return page, rest


class _Reader:
    """Turns paragraphs into elements, keeping the scene they belong to."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.preamble: list[Element] = []
        self.scenes: list[Scene] = []

    @property
    def elements(self) -> list[Element]:
        return self.scenes[-1].elements if self.scenes else self.preamble

    def block(self, block: list[_Line]) -> None:
        rest = block
        while rest:
            n, raw = rest[0]
            s = raw.strip()
            if _skipped(s):
                rest = rest[1:]
            elif s.startswith("!"):
                self.action([(n, raw.lstrip()[1:])] + rest[1:])
                return
            elif s.startswith("@"):
                self.dialogue(rest)
                return
            elif (s.startswith(".") and not s.startswith("..") and len(s) > 1) or _is_heading(s):
                heading = s[1:].strip() if s.startswith(".") else s
                number = ""
                if m := _SCENE_NUMBER.search(heading):
                    number, heading = m.group(1), heading[:m.start()].rstrip()
                self.scenes.append(Scene(heading=heading, number=number))
                rest = rest[1:]
            elif _is_centered(s):
                k = 0
                while k < len(rest) and _is_centered(rest[k][1].strip()):
                    k += 1
                text = "\n".join(line.strip()[1:-1].strip() for _, line in rest[:k])
                self.elements.append(Action(text=text, centered=True))
                rest = rest[k:]
            elif s.startswith(">") or _is_transition(s):
                self.elements.append(Transition(text=s[1:].strip() if s.startswith(">") else s))
                rest = rest[1:]
            else:
                name, ext, dual, _ = _split_cue(s)
                if len(rest) > 1 and name and _is_cue_name(name):
                    self.dialogue(rest)
                elif name and _is_cue_name(name) and (ext or dual):
                    raise FountainError(self.source, n, f"the character cue '{s}' has no dialogue; "
                                        "write the line under the name, or use '!' for action")
                else:
                    self.action(rest)
                return

    def action(self, lines: list[_Line]) -> None:
        text, notes = _take_notes("\n".join(line.rstrip() for _, line in lines))
        if text.strip():
            self.elements.append(Action(text=text))
        self.elements.extend(Note(text=t) for t in notes)

    def dialogue(self, lines: list[_Line]) -> None:
        n, cue = lines[0]
        name, ext, dual, _ = _split_cue(cue)
        if not name:
            raise FountainError(self.source, n, "'@' forces a character cue but no name follows it")
        if len(lines) == 1:
            raise FountainError(self.source, n, f"the character cue '{cue.strip()}' has no "
                                "dialogue; write the line under the name, or use '!' for action")
        if dual:
            before = [e for e in self.elements if not isinstance(e, Note)]
            if not before or not isinstance(before[-1], Dialogue):
                raise FountainError(self.source, n, f"'{cue.strip()}' is marked '^' (dual "
                                    "dialogue) but no dialogue comes right before it; remove the "
                                    "'^' or put it on the second of two speakers")
        speeches: list[tuple[str, list[str]]] = []  # (parenthetical, words)
        paren, words = "", []
        for _, raw in lines[1:]:
            t = raw.strip()
            m = _PAREN.match(t)
            if m and words:
                speeches.append((paren, words))
                paren, words = m.group(1).strip(), []
            elif m and not words:
                paren = f"{paren} {m.group(1).strip()}".strip()
            else:
                words.append(t)
        speeches.append((paren, words))
        # a parenthetical after the last words stays with them, as apps print it
        if speeches[-1][1] == [] and len(speeches) > 1:
            p, _ = speeches.pop()
            speeches[-1][1].append(f"({p})")
        notes: list[str] = []
        for k, (p, w) in enumerate(speeches):
            text, found = _take_notes("\n".join(w))
            notes.extend(found)
            if not text.strip():
                raise FountainError(self.source, n, f"'{name}' has a parenthetical but no words to "
                                    "say; add the line, or turn the parenthetical into action")
            self.elements.append(Dialogue(character=name, text=text, parenthetical=p,
                                          extension=ext, dual=dual and k == 0))
        self.elements.extend(Note(text=t) for t in notes)


def parse(text: str, source: str = "screenplay.fountain") -> Screenplay:
    """Read Fountain text; `source` names the file in error messages."""
    blocks = _blocks(_strip_boneyard(_lines(text), source), source)
    title: dict[str, str] = {}
    if blocks and (found := _title_page(blocks[0])) is not None:
        title, rest = found
        blocks = ([rest] if rest else []) + blocks[1:]
    reader = _Reader(source)
    for block in blocks:
        reader.block(block)
    return Screenplay(title_page=title, preamble=reader.preamble, scenes=reader.scenes)


def load(path: Path) -> Screenplay:
    """Read a .fountain file (UTF-8; a BOM and CRLF line ends are fine)."""
    path = Path(path)
    text = read_text(path, missing="`microfilm develop` writes it",
                     located=lambda line, message: FountainError(str(path), line, message))
    return parse(text, source=str(path))


# ---- writing --------------------------------------------------------------------------


def _reads_back(lines: list[str], want: list[Element], heading: Scene | None = None) -> bool:
    """Whether a paragraph, alone, reads back as exactly `want` (and `heading`)."""
    reader = _Reader("dump")
    try:
        reader.block(list(enumerate(lines, 1)))
    except SpecError:
        return False
    if heading is not None:
        return [s.model_copy(update={"elements": []}) for s in reader.scenes] == [heading] and \
            reader.scenes[0].elements == want
    return not reader.scenes and reader.preamble == want


def _paren(text: str) -> str:
    return f"（{text}）" if _CJK.search(text) else f"({text})"


def _heading_lines(scene: Scene) -> list[str]:
    head = Scene(heading=scene.heading, number=scene.number)
    line = scene.heading + (f" #{scene.number}#" if scene.number else "")
    if _HEADING_STD.match(scene.heading) and _reads_back([line], [], head):
        return [line]
    return ["." + line]


def _action_lines(el: Action) -> list[str]:
    if el.centered:
        return [f"> {line.strip()} <" for line in el.text.split("\n")]
    lines = el.text.split("\n")
    if _reads_back(lines, [el]):
        return lines
    return ["!" + lines[0]] + lines[1:]


def _dialogue_lines(el: Dialogue, after_dialogue: bool) -> list[str]:
    plain = el.model_copy(update={"dual": False})
    body = ([_paren(el.parenthetical)] if el.parenthetical else []) + el.text.split("\n")
    ext = f" {_paren(el.extension)}" if el.extension else ""
    dual = " ^" if el.dual and after_dialogue else ""
    cue = el.character + ext
    if not (_is_upper(el.character) and _reads_back([cue] + body, [plain])):
        cue = "@" + cue
    return [cue + dual] + body


def _transition_lines(el: Transition) -> list[str]:
    if _reads_back([el.text], [el]):
        return [el.text]
    return ["> " + el.text]


def _element_lines(el: Element, previous: Element | None) -> list[str]:
    if isinstance(el, Action):
        return _action_lines(el)
    if isinstance(el, Dialogue):
        return _dialogue_lines(el, isinstance(previous, Dialogue))
    if isinstance(el, Transition):
        return _transition_lines(el)
    return [f"[[{el.text}]]"]


def _paragraphs(elements: list[Element]) -> list[list[str]]:
    out = []
    previous: Element | None = None
    for el in elements:
        if isinstance(el, Action) and not el.text.strip():
            continue
        out.append(_element_lines(el, previous))
        if not isinstance(el, Note):
            previous = el
    return out


def dump(screenplay: Screenplay) -> str:
    """Write Fountain that screenwriting apps and `parse` both read as this screenplay."""
    paragraphs: list[list[str]] = []
    if screenplay.title_page:
        page = []
        for key, value in screenplay.title_page.items():
            values = [v.strip() for v in value.strip().split("\n")]
            if len(values) == 1:
                page.append(f"{key}: {values[0]}".rstrip())
            else:
                page.append(f"{key}:")
                page.extend(f"    {v}" for v in values)
        paragraphs.append(page)
    body = _paragraphs(screenplay.preamble)
    shown = [e for e in screenplay.preamble if not (isinstance(e, Action) and not e.text.strip())]
    if (body and not screenplay.title_page and isinstance(shown[0], Action)
            and not shown[0].centered and _title_page(list(enumerate(body[0], 1))) is not None):
        body[0][0] = "!" + body[0][0]  # it would read as a title page otherwise
    paragraphs.extend(body)
    for scene in screenplay.scenes:
        paragraphs.append(_heading_lines(scene))
        paragraphs.extend(_paragraphs(scene.elements))
    return "\n\n".join("\n".join(p) for p in paragraphs) + "\n"


def save(screenplay: Screenplay, path: Path) -> None:
    """Write the screenplay to `path` atomically (the old file or the new, never half)."""
    atomic_write_text(Path(path), dump(screenplay))
