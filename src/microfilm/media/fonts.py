"""Find fonts that draw Chinese and English; libass and Pillow draw nothing without one.

Search order: MICROFILM_FONT (a file), then fontconfig's usual folders for Noto Sans CJK /
Source Han / WenQuanYi, then a Latin fallback. Debian: `apt-get install fonts-noto-cjk`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from microfilm.errors import MediaError

FONT_DIRS = (
    Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
    Path.home() / ".local/share/fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)

# (file name, family name as fontconfig/libass knows it), best first
CJK_CANDIDATES = (
    ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("NotoSansCJKsc-Regular.otf", "Noto Sans CJK SC"),
    ("NotoSansSC-Regular.ttf", "Noto Sans SC"),
    ("NotoSansSC-Regular.otf", "Noto Sans SC"),
    ("SourceHanSansSC-Regular.otf", "Source Han Sans SC"),
    ("wqy-microhei.ttc", "WenQuanYi Micro Hei"),
    ("wqy-zenhei.ttc", "WenQuanYi Zen Hei"),
    ("PingFang.ttc", "PingFang SC"),
    ("msyh.ttc", "Microsoft YaHei"),
)
CJK_BOLD_CANDIDATES = (
    ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
    ("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
)
LATIN_CANDIDATES = (("DejaVuSans.ttf", "DejaVu Sans"), ("LiberationSans-Regular.ttf", "Liberation Sans"))


@dataclass(frozen=True)
class Font:
    path: Path
    family: str
    cjk: bool


def _search(candidates: tuple[tuple[str, str], ...]) -> tuple[Path, str] | None:
    for name, family in candidates:
        for root in FONT_DIRS:
            if not root.is_dir():
                continue
            direct = list(root.rglob(name))
            if direct:
                return direct[0], family
    return None


@cache
def find_font(cjk: bool = True, bold: bool = False) -> Font:
    """A font for titles and subtitles. CJK coverage is required when `cjk` is set."""
    override = os.environ.get("MICROFILM_FONT")
    if override:
        p = Path(override)
        if not p.is_file():
            raise MediaError(f"MICROFILM_FONT={override}: no such font file")
        return Font(p, os.environ.get("MICROFILM_FONT_FAMILY", p.stem), True)
    if bold:
        hit = _search(CJK_BOLD_CANDIDATES)
        if hit:
            return Font(hit[0], hit[1], True)
    hit = _search(CJK_CANDIDATES)
    if hit:
        return Font(hit[0], hit[1], True)
    if cjk:
        raise MediaError(
            "no font that draws Chinese was found; install one (Debian: apt-get install "
            "fonts-noto-cjk) or set MICROFILM_FONT to a .ttf/.otf/.ttc file"
        )
    hit = _search(LATIN_CANDIDATES)
    if hit:
        return Font(hit[0], hit[1], False)
    raise MediaError("no usable font found; set MICROFILM_FONT to a .ttf/.otf/.ttc file")
