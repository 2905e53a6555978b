"""Subtitles for phones: cues, line breaking for Chinese and English, SRT/WebVTT/ASS writers.

The burned-in subtitles are written as ASS for libass (the `subtitles` filter) and drawn at
the segment encode; the sidecars (film.srt, film.vtt) are plain SRT and WebVTT. Line breaking
is done here, once, by rules a phone viewer needs (at most two short, balanced lines;
Chinese never starts a line with closing punctuation), and libass is told not to re-wrap
(WrapStyle 2), so what is tested here is what is drawn.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from microfilm.fsutil import atomic_write_text
from microfilm.media.fonts import Font
from microfilm.spec.cue import Cue

# A line may not start with these (they close or end a phrase) ...
CLOSING = set("，。！？、；：”’）》」』】〉〕…—,.!?;:)]}%'\"")
# ... and may not end with these (they open one).
OPENING = set("“‘（《「『【〈〔([{")
# A break right after these reads naturally (end of a clause).
CLAUSE_END = set("，。！？；：,.!?;:…")

DEFAULT_MAX_CHARS = {"zh": 16, "en": 30}
"""Characters per line at 1080 px wide with the default style (see `style_for`):
a CJK glyph is ~56 px (Fontsize 81 at the font's 1.45 line-height ratio), 16 of them fill
~900 px inside 6% side margins; Latin averages about half a CJK cell, so ~30 letters."""


@dataclass(frozen=True)
class SafeArea:
    """Pixel margins the platform's UI covers (buttons, captions, status bar).

    Subtitles and labels stay inside them. Platform profiles may pass their own values.
    """

    top: int
    bottom: int
    left: int
    right: int

    def __post_init__(self) -> None:
        for name in ("top", "bottom", "left", "right"):
            if getattr(self, name) < 0:
                raise ValueError(f"SafeArea.{name} must be >= 0, got {getattr(self, name)}")

    @classmethod
    def default(cls, width: int, height: int) -> "SafeArea":
        """Vertical: 10% top (status bar, tabs), 20% bottom (caption, username), 6% sides.
        Horizontal and square: 5% top, 8% bottom, 5% sides (title-safe)."""
        if height > width:
            return cls(round(0.10 * height), round(0.20 * height),
                       round(0.06 * width), round(0.06 * width))
        return cls(round(0.05 * height), round(0.08 * height),
                   round(0.05 * width), round(0.05 * width))

    def scaled(self, width: int, height: int,
               reference: tuple[int, int] = (1080, 1920)) -> "SafeArea":
        """These margins, given on a `reference` frame, on a width x height frame (each axis
        in proportion): platforms publish theirs for 1080x1920."""
        sx, sy = width / reference[0], height / reference[1]
        return SafeArea(round(self.top * sy), round(self.bottom * sy),
                        round(self.left * sx), round(self.right * sx))

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        """(x, y, w, h) of the part of a width x height frame nothing covers."""
        return (self.left, self.top, width - self.left - self.right,
                height - self.top - self.bottom)

    def check(self, width: int, height: int) -> None:
        if self.left + self.right >= width * 0.8 or self.top + self.bottom >= height * 0.8:
            raise ValueError(f"SafeArea {self} leaves too little of a {width}x{height} frame")


# ---------------------------------------------------------------------------------- wrap


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _width(text: str, language: str) -> float:
    """Display width in the language's characters: zh counts a CJK character (and the curly
    quotes a CJK font draws full-width) as 1 and a Latin one as 1/2; en counts a Latin
    character as 1 and a CJK one as 2."""
    if language == "zh":
        full = sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F", "A"))
        return full + (len(text) - full) / 2
    wide = sum(1 for ch in text if _is_wide(ch))
    return wide * 2 + len(text) - wide


@dataclass(frozen=True)
class _Atom:
    text: str
    space_before: bool  # a space separated it from the previous atom (dropped at a break)


def _atoms(text: str) -> list[_Atom]:
    """Unbreakable pieces: runs of non-CJK characters between spaces (English words, Latin
    words inside Chinese) whole; CJK characters one by one. An atom that starts with
    closing punctuation is glued to the atom before it, one that ends with opening
    punctuation to the atom after it, so every remaining boundary is a legal break."""
    raw: list[_Atom] = []
    space, buf = False, ""
    for ch in text:
        if ch.isspace():
            if buf:
                raw.append(_Atom(buf, space))
                buf = ""
            space = True
        elif _is_wide(ch):
            if buf:
                raw.append(_Atom(buf, space))
                buf, space = "", False
            raw.append(_Atom(ch, space))
            space = False
        else:
            buf += ch
    if buf:
        raw.append(_Atom(buf, space))
    glued: list[_Atom] = []
    for atom in raw:
        if glued and not atom.space_before and (
                atom.text[0] in CLOSING or glued[-1].text[-1] in OPENING):
            glued[-1] = _Atom(glued[-1].text + atom.text, glued[-1].space_before)
        else:
            glued.append(atom)
    return glued


def _split_long(atom: _Atom, language: str, limit: float) -> list[_Atom]:
    """An atom wider than a whole line (a URL, a huge word) is cut by characters."""
    if _width(atom.text, language) <= limit:
        return [atom]
    out, buf = [], ""
    for ch in atom.text:
        if buf and _width(buf + ch, language) > limit:
            out.append(_Atom(buf, atom.space_before if not out else False))
            buf = ""
        buf += ch
    out.append(_Atom(buf, atom.space_before if not out else False))
    return out


def wrap(text: str, language: str, max_chars_per_line: int | None = None) -> list[str]:
    """Break `text` into balanced lines no wider than `max_chars_per_line`.

    Returns every line needed (possibly more than two); `layout()` turns more than two into
    consecutive cues. Rules: English breaks at spaces; Chinese between characters, never
    before closing punctuation (，。！？、；：”’）》) nor after opening (“‘（《); Latin words inside
    Chinese are kept whole; with k lines needed, the breaks make the lines as even as
    possible and prefer to fall after a clause's punctuation.
    """
    if language not in DEFAULT_MAX_CHARS:
        allowed = ", ".join(DEFAULT_MAX_CHARS)
        raise ValueError(f"language {language!r}: allowed values are {allowed}")
    limit = float(max_chars_per_line or DEFAULT_MAX_CHARS[language])
    if limit < 2:
        raise ValueError(f"max_chars_per_line must be at least 2, got {max_chars_per_line}")
    text = " ".join(text.split()) if language == "en" else _join_zh(text)
    if not text:
        return []
    atoms = [piece for a in _atoms(text) for piece in _split_long(a, language, limit)]
    n = len(atoms)
    widths = [_width(a.text, language) for a in atoms]
    space_w = _width(" ", language)

    def line_width(i: int, j: int) -> float:  # atoms[i:j] on one line
        w = sum(widths[i:j])
        w += sum(space_w for a in atoms[i + 1:j] if a.space_before)
        return w

    # the fewest lines that fit (greedy is optimal for that), then the most even breaks
    k, i = 0, 0
    while i < n:
        j = i + 1
        while j < n and line_width(i, j + 1) <= limit:
            j += 1
        k, i = k + 1, j
    bonus = 0.35 * limit * limit  # a clause break is worth some imbalance
    inf = float("inf")
    # best[m][j]: min cost of atoms[:j] in m lines
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for m in range(1, k + 1):
        for j in range(1, n + 1):
            for i in range(m - 1, j):
                if best[m - 1][i] == inf:
                    continue
                w = line_width(i, j)
                if w > limit:
                    continue
                cost = best[m - 1][i] + w * w
                # a clause break is worth it unless it strands a stub ("Xiaoyu," alone)
                if j < n and atoms[j - 1].text[-1] in CLAUSE_END and w >= 0.3 * limit:
                    cost -= bonus
                # ties: a slightly shorter top line (a pyramid reads faster)
                cost += 1e-6 * w * (k - m)
                if cost < best[m][j]:
                    best[m][j], back[m][j] = cost, i
    lines: list[str] = []
    j = n
    for m in range(k, 0, -1):
        i = back[m][j]
        lines.append(_render(atoms[i:j]))
        j = i
    return lines[::-1]


def _join_zh(text: str) -> str:
    """Collapse whitespace for Chinese: line breaks between CJK characters disappear;
    spaces next to Latin words stay single."""
    parts = text.split()
    out = ""
    for part in parts:
        if out and not (_is_wide(out[-1]) and _is_wide(part[0])):
            out += " "
        out += part
    return out


def _render(atoms: Sequence[_Atom]) -> str:
    out = ""
    for idx, atom in enumerate(atoms):
        if idx and atom.space_before:
            out += " "
        out += atom.text
    return out


def layout(cues: Iterable[Cue], language: str, max_chars_per_line: int | None = None,
           max_lines: int = 2) -> list[Cue]:
    """Wrap every cue; a cue needing more than `max_lines` lines becomes consecutive cues,
    its time shared in proportion to each part's length (never a third line on screen)."""
    out: list[Cue] = []
    for cue in cues:
        lines = wrap(cue.text, language, max_chars_per_line)
        if not lines:
            continue
        groups = [lines[i:i + max_lines] for i in range(0, len(lines), max_lines)]
        if len(groups) == 1:
            out.append(replace(cue, text="\n".join(lines)))
            continue
        weights = [sum(_width(line, language) for line in g) for g in groups]
        total = sum(weights)
        shares = _share_translation(cue.translation, len(groups))
        t = cue.start
        for idx, (group, w) in enumerate(zip(groups, weights)):
            end = cue.end if idx == len(groups) - 1 else t + cue.duration * w / total
            out.append(replace(cue, start=t, end=end, text="\n".join(group), translation=shares[idx]))
            t = end
    return out


def _share_translation(text: str, parts: int) -> list[str]:
    """A translation spread over the parts its original was split into, by words (Latin)
    or characters (Chinese), so each part shows about its share."""
    if not text or parts == 1:
        return [text] + [""] * (parts - 1)
    wide = any(_is_wide(ch) for ch in text)
    units = list(text) if wide else text.split()
    step = math.ceil(len(units) / parts)
    return [("" if wide else " ").join(units[k * step:(k + 1) * step]) for k in range(parts)]


def other_language(language: str) -> str:
    return "en" if language == "zh" else "zh"


def cues_for_window(cues: Iterable[Cue], start: float, end: float) -> list[Cue]:
    """The cues visible in [start, end) of the film, clipped to it and shifted so `start` is
    0: what one segment burns in, in the segment's own time base."""
    out = []
    for cue in cues:
        a, b = max(cue.start, start), min(cue.end, end)
        if b - a > 1e-3:
            out.append(replace(cue, start=a - start, end=b - start))
    return out


# ------------------------------------------------------------------------------ writers


def _ms(t: float) -> int:
    return int(round(t * 1000))


def _srt_time(t: float) -> str:
    ms = _ms(t)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def _vtt_time(t: float) -> str:
    return _srt_time(t).replace(",", ".")


def _clean_lines(text: str) -> list[str]:
    """Cue text lines with blank lines removed (a blank line ends a cue in SRT and VTT)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def write_srt(cues: Iterable[Cue], path: Path) -> Path:
    """SubRip, UTF-8, atomically. Text lines are written as given (see `layout`)."""
    blocks = []
    for idx, cue in enumerate(_ordered(cues), 1):
        lines = _clean_lines(cue.text)
        if not lines:
            continue
        blocks.append(f"{len(blocks) + 1}\n{_srt_time(cue.start)} --> {_srt_time(cue.end)}\n"
                      + "\n".join(lines) + "\n")
    path = Path(path)
    atomic_write_text(path, "\n".join(blocks))
    return path


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_vtt(cues: Iterable[Cue], path: Path) -> Path:
    """WebVTT, UTF-8, atomically; the speaker, when known, as a voice span (<v Name>)."""
    parts = ["WEBVTT\n"]
    for cue in _ordered(cues):
        lines = [_vtt_escape(line) for line in _clean_lines(cue.text)]
        if not lines:
            continue
        if cue.speaker:
            speaker = _vtt_escape(cue.speaker).replace("\n", " ")
            lines[0] = f"<v {speaker}>{lines[0]}"
            lines[-1] = f"{lines[-1]}</v>"
        parts.append(f"{_vtt_time(cue.start)} --> {_vtt_time(cue.end)}\n" + "\n".join(lines) + "\n")
    path = Path(path)
    atomic_write_text(path, "\n".join(parts))
    return path


def write_per_language(cues: Iterable[Cue], out_dir: Path, language: str,
                       stem: str = "film") -> list[Path]:
    """film.<lang>.srt and .vtt for the film's language and, when the cues carry one, the
    translation's (timed like the original): a platform takes one file per language."""
    cues = list(cues)
    if not any(c.translation for c in cues):
        return []
    written = []
    by_lang = {language: cues,
               other_language(language): [replace(c, text=c.translation, translation="")
                                          for c in cues if c.translation.strip()]}
    for lang, these in by_lang.items():
        written.append(write_srt(these, Path(out_dir) / f"{stem}.{lang}.srt"))
        written.append(write_vtt(these, Path(out_dir) / f"{stem}.{lang}.vtt"))
    return written


def _ordered(cues: Iterable[Cue]) -> list[Cue]:
    return sorted(cues, key=lambda c: (c.start, c.end))


# ---------------------------------------------------------------------------------- ASS


@dataclass(frozen=True)
class AssStyle:
    """The phone subtitle style, in pixels of the video (PlayRes = the video size)."""

    font_size: int
    outline: float
    shadow: float
    blur: float
    bold: bool = True


def style_for(width: int, height: int) -> AssStyle:
    """Size from the frame's short side, which is what a phone's screen width maps to when
    the film fills it (vertical in portrait, horizontal in landscape): Fontsize = 7.5% of it,
    81 px at 1080x1920, i.e. ~4.2% of the height. libass sizes a font by its line height;
    Noto Sans CJK's line is 1.45 em, so a CJK glyph is ~56 px, 5.2% of the width: about the
    size platforms' own captions use, legible at arm's length. Outline ~4.5% of the size
    (dark edge on any background), a 2 px shadow softened by a small blur."""
    short = min(width, height)
    size = max(12, round(0.075 * short))
    return AssStyle(font_size=size, outline=round(size * 0.045, 1),
                    shadow=round(max(1.0, size * 0.028), 1), blur=0.8)


def secondary_style(style: AssStyle) -> AssStyle:
    """The translation line's style: 70% of the original's size, regular weight."""
    size = max(10, round(style.font_size * 0.7))
    return AssStyle(font_size=size, outline=round(size * 0.05, 1),
                    shadow=round(max(1.0, size * 0.028), 1), blur=style.blur, bold=False)


def max_chars_for(width: int, language: str, margins: SafeArea, font_size: int) -> int:
    """Characters per line that fit between the margins at `font_size` (see style_for)."""
    em = font_size / 1.45  # a CJK cell, from Noto Sans CJK's line-height ratio
    usable = width - margins.left - margins.right
    cells = int(usable // em)
    return max(4, cells - 1) if language == "zh" else max(8, int(cells * 1.8))


def _ass_time(t: float) -> str:
    cs = int(round(t * 100))
    return f"{cs // 360_000:d}:{cs // 6000 % 60:02d}:{cs // 100 % 60:02d}.{cs % 100:02d}"


def _ass_escape(text: str) -> str:
    """Braces open override blocks and backslashes start tags in ASS; neither can be
    escaped portably, so they are replaced by their full-width look-alikes."""
    return text.replace("\\", "＼").replace("{", "｛").replace("}", "｝")


def write_ass(cues: Iterable[Cue], path: Path, *, width: int, height: int, language: str,
              font: Font, margins: SafeArea | None = None, style: AssStyle | None = None,
              max_chars_per_line: int | None = None, title: str = "") -> Path:
    """An ASS script for libass: bottom-centre phone style, margins from the safe area.

    Cues are laid out here (`layout`: at most two balanced lines, long cues split) and the
    script says WrapStyle 2 so libass keeps those breaks. Overlapping cues are trimmed so
    only one is on screen (libass would stack them into a third line). The font family must
    be findable by libass: pass the font's folder as `fontsdir` to the subtitles filter
    (segments.encode_segment does).
    """
    margins = margins or SafeArea.default(width, height)
    margins.check(width, height)
    style = style or style_for(width, height)
    chars = max_chars_per_line or min(
        DEFAULT_MAX_CHARS[language] if language in DEFAULT_MAX_CHARS else 30,
        max_chars_for(width, language, margins, style.font_size))
    laid = layout(_ordered(cues), language, chars)
    second = secondary_style(style)
    other = other_language(language)
    chars2 = max_chars_for(width, other, margins, second.font_size)
    events = []
    for idx, cue in enumerate(laid):
        end = cue.end
        if idx + 1 < len(laid) and laid[idx + 1].start > cue.start:
            end = min(end, laid[idx + 1].start)
        text = r"\N".join(_ass_escape(line) for line in cue.text.split("\n"))
        name = (cue.speaker or "").replace(",", " ")
        lift = 0
        if cue.translation.strip():
            under = wrap(cue.translation, other, chars2)
            # the translation sits on the safe area's bottom edge, the original just above it
            lift = len(under) * second.font_size + round(0.25 * style.font_size)
            events.append(f"Dialogue: 0,{_ass_time(cue.start)},{_ass_time(end)},Translation,"
                          f"{name},0,0,0,,{{\\blur{second.blur:g}}}"
                          + r"\N".join(_ass_escape(line) for line in under))
        events.append(f"Dialogue: 0,{_ass_time(cue.start)},{_ass_time(end)},Default,{name},"
                      f"0,0,{margins.bottom + lift if lift else 0},,{{\\blur{style.blur:g}}}{text}")
    bold = -1 if style.bold else 0
    script = "\n".join([
        "[Script Info]",
        "; written by microfilm: phone subtitles, wrapped by microfilm.media.subtitles",
        f"Title: {title}" if title else "Title: microfilm subtitles",
        "ScriptType: v4.00+",
        f"PlayResX: {width}",
        f"PlayResY: {height}",
        "WrapStyle: 2",
        "ScaledBorderAndShadow: yes",
        "YCbCr Matrix: TV.709",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        # white text, near-black outline, 50%-transparent black shadow, bottom centre (2)
        f"Style: Default,{font.family},{style.font_size},&H00FFFFFF,&H000000FF,&H00101010,"
        f"&H80000000,{bold},0,0,0,100,100,0,0,1,{style.outline:g},{style.shadow:g},2,"
        f"{margins.left},{margins.right},{margins.bottom},1",
        # the second language: smaller, not bold, pale yellow, so the eye tells them apart
        f"Style: Translation,{font.family},{second.font_size},&H0080E6FF,&H000000FF,&H00101010,"
        f"&H80000000,0,0,0,0,100,100,0,0,1,{second.outline:g},{second.shadow:g},2,"
        f"{margins.left},{margins.right},{margins.bottom},1",
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
        *events,
        "",
    ])
    path = Path(path)
    atomic_write_text(path, script)
    return path
