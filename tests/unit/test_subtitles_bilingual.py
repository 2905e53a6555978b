"""Bilingual subtitles (中英双语字幕): the translation under the original, styled apart,
inside the safe area; one SRT/VTT per language; lines paired from the translation file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from microfilm.errors import SpecError
from microfilm.media import subtitles
from microfilm.media.fonts import find_font
from microfilm.media.subtitles import Cue, SafeArea
from microfilm.spec import translation

SCRIPTS = Path(__file__).parents[1] / "scripts"


def test_translation_pairs_speech_for_speech(tmp_path: Path) -> None:
    shutil.copy(SCRIPTS / "dumplings.zh.fountain", tmp_path / "screenplay.fountain")
    assert translation.load(tmp_path, "zh", ("zh",)) is None
    with pytest.raises(SpecError, match="screenplay.en.fountain.*--do translate"):
        translation.load(tmp_path, "zh", ("zh", "en"))
    shutil.copy(SCRIPTS / "dumplings.en.fountain", tmp_path / "screenplay.en.fountain")
    tr = translation.load(tmp_path, "zh", ("zh", "en"))
    assert tr("外婆！我回来了！") == "Grandma! I'm home!"
    assert tr("外婆，新年快乐。") == "Grandma, happy New Year."
    assert tr("没有这句") == ""
    text = (tmp_path / "screenplay.en.fountain").read_text("utf-8")
    (tmp_path / "screenplay.en.fountain").write_text(text.replace("XIAOYU\nGrandma, happy New Year.\n\n", ""), "utf-8")
    with pytest.raises(SpecError, match="5 speeches, but screenplay.fountain has 6"):
        translation.load(tmp_path, "zh", ("zh", "en"))


def test_layout_and_windows_carry_the_translation() -> None:
    long = Cue(0, 6, "这是一句非常非常长的台词，长到手机屏幕上两行都放不下，所以要分成两条字幕来显示才行。",
               "外婆", "This is a very long line, so long that two lines on a phone cannot hold it all.")
    parts = subtitles.layout([long], "zh", 12)
    assert len(parts) == 2 and all(p.translation for p in parts)
    assert " ".join(p.translation for p in parts) == long.translation
    shown = subtitles.cues_for_window(parts, 1.0, 10.0)
    assert [c.translation for c in shown] == [p.translation for p in parts]


def test_sidecars_per_language(tmp_path: Path) -> None:
    cues = [Cue(1.0, 2.5, "外婆！我回来了！", "小雨", "Grandma! I'm home!"), Cue(3.0, 4.0, "嗯。", "外婆")]
    written = subtitles.write_per_language(cues, tmp_path, "zh")
    assert sorted(p.name for p in written) == ["film.en.srt", "film.en.vtt", "film.zh.srt", "film.zh.vtt"]
    assert (tmp_path / "film.en.srt").read_text("utf-8") == "1\n00:00:01,000 --> 00:00:02,500\nGrandma! I'm home!\n"
    assert "外婆！我回来了！" in (tmp_path / "film.zh.srt").read_text("utf-8")
    assert subtitles.write_per_language(cues[1:], tmp_path / "none", "zh") == []


def _render(ass: Path, tmp: Path, w: int, h: int) -> np.ndarray:
    font = find_font(cjk=True)
    fonts = tmp / "fonts"
    fonts.mkdir()
    shutil.copy(font.path, fonts / font.path.name)
    png = tmp / "frame.png"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"color=c=0x304050:s={w}x{h}:d=1",
                    "-vf", f"subtitles=filename={ass}:fontsdir={fonts}", "-ss", "0.5",
                    "-frames:v", "1", "-y", str(png)], check=True, timeout=60)
    return np.asarray(Image.open(png).convert("RGB")).astype(int)


def _box(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    assert len(ys) > 50, "nothing drawn"
    return xs.min(), ys.min(), xs.max(), ys.max()


def test_burned_bilingual_frame_translation_under_original_inside_safe_area(tmp_path: Path) -> None:
    w, h = 1080, 1920
    area = SafeArea(top=160, bottom=440, left=60, right=160)  # a platform's UI margins
    ass = subtitles.write_ass([Cue(0, 1, "外婆！我回来了！", "小雨", "Grandma! I'm home!")],
                              tmp_path / "s.ass", width=w, height=h, language="zh",
                              font=find_font(cjk=True), margins=area)
    text = ass.read_text("utf-8")
    assert "Style: Translation," in text and ",Translation," in text
    px = _render(ass, tmp_path, w, h)
    r, g, b = px[..., 0], px[..., 1], px[..., 2]
    white = (r > 235) & (g > 235) & (b > 235)
    yellow = (r > 235) & (g > 200) & (g < 245) & (b < 170)
    wx0, wy0, wx1, wy1 = _box(white)
    yx0, yy0, yx1, yy1 = _box(yellow)
    assert yy0 > wy1, "the translation sits under the original"
    assert (yy1 - yy0) < (wy1 - wy0), "and is smaller"
    for x0, y0, x1, y1 in ((wx0, wy0, wx1, wy1), (yx0, yy0, yx1, yy1)):
        assert area.left <= x0 and x1 <= w - area.right, (x0, x1)
        assert area.top <= y0 and y1 <= h - area.bottom, (y0, y1)
