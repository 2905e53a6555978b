"""A screenplay typed as plain text or Markdown, read into a `Screenplay`.

People write scripts in a notes app, a chat window or a Markdown file long before a
screenwriting app. What this reads, and nothing cleverer:
- a title block before the first scene: '# Title' (Markdown) or 'Key: value' lines with a
  known key (Title, Author, Logline, Theme, Time, Genre; 片名/标题, 编剧, 梗概, 主题, 时间, 类型);
- scene headings: 'INT. ...', 'EXT. ...', 'INT./EXT. ...', '内景 ...', '外景 ...', optionally
  after Markdown '#'s, bold '**' or a scene number ('3.', 'Scene 3:', '第三场');
- dialogue either as a cue line (a name in capitals, or a short Chinese name, optionally with
  '(V.O.)'/'（画外音）') followed by the words, or on one line as 'NAME: words' / '名字：台词'
  (a parenthetical may follow the name: '小美（轻声）：你来了。');
- transitions ('CUT TO:', 'FADE OUT.', '切至：', '淡出。'), parentheticals on their own line
  '(softly)' under a cue; everything else is action, one paragraph per blank-line block.
What cannot be meant any other way is an error naming the line: a cue with nothing to say,
text that is not UTF-8 or holds NUL bytes.
"""

from __future__ import annotations

import re

from microfilm.errors import SpecError
from microfilm.spec.screenplay import Action, Dialogue, Element, Scene, Screenplay, Transition

__all__ = ["PlainTextError", "decode", "parse"]


class PlainTextError(SpecError):
    """Text that cannot be read as a screenplay; `line` is 1-based."""

    def __init__(self, source: str, line: int, message: str) -> None:
        self.source = source
        self.line = line
        super().__init__(f"{source}, line {line}: {message}")


TITLE_KEYS = {
    "title": "Title", "片名": "Title", "标题": "Title", "剧名": "Title",
    "author": "Author", "written by": "Author", "编剧": "Author", "作者": "Author",
    "credit": "Credit", "logline": "Logline", "梗概": "Logline", "故事梗概": "Logline",
    "一句话梗概": "Logline", "简介": "Logline", "theme": "Theme", "主题": "Theme",
    "time": "Time", "时间": "Time", "年代": "Time", "genre": "Genre", "类型": "Genre",
    "draft date": "Draft date", "contact": "Contact",
}
_HEADING = re.compile(
    r"^(?:#{1,6}\s*)?(?:\*\*)?\s*(?:(?:scene\s*)?\d+[.:：、)]\s*|第[一二三四五六七八九十百\d]+场[\s:：、]*)?"
    r"(?P<h>(?:INT\.?/EXT|INT|EXT|EST|I/E)[.\s].*|(?:内外景|外内景|内景|外景)\s*[.。:：·]?\s*\S.*?)"
    r"\s*(?:\*\*)?$", re.IGNORECASE)
_TITLE_LINE = re.compile(r"^\s*([^:：]{1,16}?)\s*[:：]\s*(.*)$")
_EXT = r"[(（](?P<ext>[^)）]*)[)）]"
_LATIN_NAME = r"[A-Z][A-Z0-9 .'\-]{0,24}"
_CJK_NAME = r"[\u3400-\u9fff·]{1,6}"
_CUE = re.compile(rf"^(?:\*\*)?(?P<name>{_LATIN_NAME}|[\u3400-\u9fff·]{{2,4}})(?:\*\*)?\s*(?:{_EXT})?\s*$")
_INLINE = re.compile(
    rf"^(?:\*\*)?(?P<name>{_LATIN_NAME}|{_CJK_NAME}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:\*\*)?"
    rf"\s*(?:{_EXT})?\s*(?:[(（](?P<paren>[^)）]*)[)）])?\s*[:：]\s*(?P<text>\S.*)$")
_PAREN = re.compile(r"^[(（](.*)[)）]$")
# 'Later: she leaves.' is direction, not a character called Later: a name written in
# mixed case before a colon is a speaker unless it is one of these words a writer uses to
# open an action line (names in capitals, 'LATER: ...', stay speakers: that is a cue).
_DIRECTION_WORDS = frozenset("""
after afterwards again back before beat camera caption card close cut dawn day dusk earlier
end evening finally flashback insert inside intercut later meanwhile moments montage morning
music next night noon note now offscreen onscreen outside pan scene series shot sign silence
sound sounds sfx soon still subtitle subtitles suddenly super text then title tonight
transition view voice wide
""".split())
_TRANSITION = re.compile(
    r"^(?:[A-Z ]+TO:|FADE IN:|FADE OUT\.?|FADE TO BLACK\.|CUT TO BLACK\.|"
    r"(?:切至|切到|叠化至|叠化|淡入|淡出|渐隐|渐显|转场|黑场)[:：。.]?)$")
_VOICE_EXT = {"画外音": "V.O.", "旁白": "V.O.", "画外": "O.S.", "OS": "O.S.", "VO": "V.O."}


def decode(data: bytes, source: str) -> str:
    """UTF-8 text (a BOM is fine); anything else is an error naming the first bad line."""
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise PlainTextError(source, line, "this is a binary file, not a script; save it as "
                             "plain text (UTF-8), Fountain or Final Draft (.fdx)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PlainTextError(source, line, "not UTF-8 text; save the file as UTF-8") from None


def _clean(line: str) -> str:
    return line.strip().removeprefix("> ").strip()


_KNOWN_EXT = {"V.O.", "O.S.", "O.C.", "CONT'D", "CONT’D", "PRE-LAP", "FILTERED", "画外音", "旁白",
              "画外", "内心独白", "电话", "继续"}


def _extension(raw: str | None, paren: str | None = "") -> tuple[str, str]:
    """(extension, parenthetical): '(to himself)' after a name is direction, not a V.O."""
    ext = (raw or "").strip()
    ext = _VOICE_EXT.get(ext.replace(".", "").upper() if ext.isascii() else ext, ext)
    if ext and ext.upper() not in _KNOWN_EXT and not paren:
        return "", ext
    return ext, (paren or "").strip()


def _is_title_key(line: str) -> tuple[str, str] | None:
    m = _TITLE_LINE.match(line)
    if m and m.group(1).strip().casefold() in TITLE_KEYS:
        return TITLE_KEYS[m.group(1).strip().casefold()], m.group(2).strip()
    return None


def parse(text: str, source: str = "script.txt") -> Screenplay:
    """Read a plain-text or Markdown screenplay; `source` names it in errors."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title: dict[str, str] = {}
    preamble: list[Element] = []
    scenes: list[Scene] = []

    def elements() -> list[Element]:
        return scenes[-1].elements if scenes else preamble

    paragraph: list[str] = []
    speaker: tuple[str, str, int] | None = None  # a cue line waiting for its words
    paren = ""

    def flush() -> None:
        if paragraph:
            elements().append(Action(text="\n".join(paragraph)))
            paragraph.clear()

    def pending_cue() -> None:
        nonlocal speaker
        if speaker is not None:
            name, _, at = speaker
            raise PlainTextError(source, at, f"'{name}' is a character cue with nothing to say; "
                                 "write the line under the name (or 'NAME: line')")

    for n, raw in enumerate(lines, 1):
        line = _clean(raw)
        if not line or re.fullmatch(r"[-*_=]{3,}", line):
            flush()
            if speaker is not None and not line:
                pending_cue()
            continue
        if not scenes and not preamble and not paragraph:
            if (kv := _is_title_key(line)) is not None:
                title[kv[0]] = kv[1]
                continue
            if (m := re.match(r"^#\s+(.+)$", line)) and not _HEADING.match(line) and "Title" not in title:
                title["Title"] = m.group(1).strip()
                continue
        if (m := _HEADING.match(line)) is not None:
            flush()
            pending_cue()
            scenes.append(Scene(heading=m.group("h").strip().rstrip("*").strip()))
            continue
        if speaker is not None:
            name, ext, _ = speaker
            if (p := _PAREN.match(line)) is not None:
                paren = p.group(1).strip()
                continue
            elements().append(Dialogue(character=name, text=line, extension=ext, parenthetical=paren))
            speaker, paren = None, ""
            continue
        prev = elements()[-1] if elements() else None
        if not paragraph and isinstance(prev, Dialogue) and not _INLINE.match(line) \
                and not _CUE.match(line) and not _TRANSITION.match(line) and _PAREN.match(line) is None \
                and lines[n - 2].strip():
            prev.text += "\n" + line  # the speech goes on, on the next line
            continue
        if _TRANSITION.match(line):
            flush()
            elements().append(Transition(text=line))
            continue
        if (m := _INLINE.match(line)) is not None and not paragraph and not (
                not m.group("name").isupper() and m.group("name").strip().casefold() in _DIRECTION_WORDS):
            ext, par = _extension(m.group("ext"), m.group("paren"))
            elements().append(Dialogue(character=m.group("name").strip(), text=m.group("text").strip(),
                                       extension=ext, parenthetical=par))
            continue
        next_line = _clean(lines[n]) if n < len(lines) else ""
        after_blank = n == 1 or not lines[n - 2].strip()
        cue = _CUE.match(line)
        if cue is not None and not next_line and not paragraph and _extension(cue.group("ext"))[0]:
            raise PlainTextError(source, n, f"'{line}' is a character cue with nothing to say; "
                                 "write the line under the name (or 'NAME: line')")
        if (m := _CUE.match(line)) is not None and not paragraph and next_line and after_blank \
                and not _HEADING.match(next_line) and (m.group("name").strip().isupper()
                                                     or not next_line.startswith(m.group("name"))):
            ext, paren = _extension(m.group("ext"))
            speaker = (m.group("name").strip(), ext, n)
            continue
        paragraph.append(line.removeprefix("#").strip() if line.startswith("#") else line)
    flush()
    pending_cue()
    if not scenes:
        raise PlainTextError(source, 1, "no scene heading found; start each scene with a line "
                             "like 'INT. KITCHEN - NIGHT' or '内景 厨房 - 夜'")
    return Screenplay(title_page=title, preamble=preamble, scenes=scenes)
