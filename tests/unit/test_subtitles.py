"""Line breaking for phones, and SRT / WebVTT / ASS files that real parsers read back."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import srt
import webvtt

from microfilm.media.fonts import Font
from microfilm.media.subtitles import (
    CLOSING, OPENING, Cue, SafeArea, cues_for_window, layout, max_chars_for, style_for,
    wrap, write_ass, write_srt, write_vtt,
)
from microfilm.media.subtitles import _width as width

ZH = [
    "我们明天早上八点在老地方见面，不见不散，好吗？",
    "他说：“你好，我是AI助手，很高兴认识你。”然后转身离开了这个城市的喧嚣。",
    "妈妈，我回来了（笑）。你看过《红楼梦》吗？那本书你送给我的时候我才十岁。",
    "这是一个非常非常长的句子，它需要被拆分成好几行，因为手机屏幕很窄，字幕最多只能显示两行。",
    "短句。",
    "你好，世界",
]
EN = [
    "I never thought I would see this old house again, not after what happened that winter.",
    "Hi there, how are you doing today, my friend?",
    "Okay.",
    "She said: \"Don't go back there (not tonight).\" And then she left.",
]
FONT = Font(Path("/nonexistent/NotoSansCJK-Bold.ttc"), "Noto Sans CJK SC", True)


@pytest.mark.parametrize("text", ZH)
@pytest.mark.parametrize("limit", [8, 12, 16])
def test_chinese_wrap_rules(text: str, limit: int) -> None:
    lines = wrap(text, "zh", limit)
    assert "".join(lines) == text.replace(" ", "")  # nothing lost, nothing added
    for idx, line in enumerate(lines):
        assert width(line, "zh") <= limit, line
        if idx > 0:
            assert line[0] not in CLOSING, f"line starts with closing punctuation: {lines}"
        if idx < len(lines) - 1:
            assert line[-1] not in OPENING, f"line ends with opening punctuation: {lines}"
    if "AI" in text:
        assert any("AI" in line for line in lines)  # a Latin word is never split


def test_chinese_prefers_clause_breaks_and_balance() -> None:
    assert wrap("我们明天早上八点在老地方见面，不见不散，好吗？", "zh", 16) == [
        "我们明天早上八点在老地方见面，", "不见不散，好吗？"]
    lines = wrap("春天来了，花开了，小鸟在树上唱歌跳舞玩耍", "zh", 16)
    assert len(lines) == 2 and abs(width(lines[0], "zh") - width(lines[1], "zh")) <= 6
    assert wrap("短句。", "zh", 16) == ["短句。"]


@pytest.mark.parametrize("text", EN)
@pytest.mark.parametrize("limit", [16, 30, 42])
def test_english_wrap_breaks_at_spaces(text: str, limit: int) -> None:
    lines = wrap(text, "en", limit)
    assert " ".join(lines) == text
    for line in lines:
        assert len(line) <= limit and line == line.strip()
    words = set(text.split())
    assert all(w in words for line in lines for w in line.split())


def test_english_lines_are_balanced() -> None:
    lines = wrap("Hi there, how are you doing today, my friend?", "en", 30)
    assert len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 8
    # a clause break when it costs little balance
    assert wrap("I came home early, but nobody was there.", "en", 30) == [
        "I came home early,", "but nobody was there."]


def test_words_longer_than_a_line_are_cut_not_overflowing() -> None:
    lines = wrap("Supercalifragilisticexpialidocious yes", "en", 12)
    assert all(len(line) <= 12 for line in lines)
    assert "".join(lines).replace(" ", "") == "Supercalifragilisticexpialidociousyes"


def test_wrap_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="allowed values"):
        wrap("hello", "fr", 20)


def test_layout_splits_long_cue_into_consecutive_two_line_cues() -> None:
    text = ("这是一个非常非常长的句子，它需要被拆分成好几行，因为手机屏幕很窄，"
            "字幕最多只能显示两行，所以我们要把它切成连续的几条字幕。")
    out = layout([Cue(10.0, 16.0, text, "旁白")], "zh", 16)
    assert len(out) >= 2
    assert all(len(c.text.split("\n")) <= 2 for c in out)
    assert out[0].start == 10.0 and out[-1].end == 16.0
    assert all(a.end == pytest.approx(b.start) for a, b in zip(out, out[1:]))
    assert "".join(c.text.replace("\n", "") for c in out) == text
    assert {c.speaker for c in out} == {"旁白"}
    short = layout([Cue(0, 1, "Okay.")], "en", 30)
    assert short == [Cue(0, 1, "Okay.")]


def test_cue_validation() -> None:
    with pytest.raises(ValueError, match="not after start"):
        Cue(2.0, 1.0, "x")
    with pytest.raises(ValueError, match="negative"):
        Cue(-1.0, 1.0, "x")


def test_cues_for_window_clips_and_shifts() -> None:
    cues = [Cue(0.0, 1.0, "a"), Cue(1.5, 3.0, "b"), Cue(2.8, 4.0, "c"), Cue(5, 6, "d")]
    got = cues_for_window(cues, 2.0, 4.0)
    assert [(round(c.start, 6), round(c.end, 6), c.text) for c in got] == [
        (0.0, 1.0, "b"), (0.8, 2.0, "c")]


CUES = [
    Cue(0.0, 1.2345, "你好 <世界> & co", "妈妈"),
    Cue(1.5, 3.25, "第一行\n\n第二行"),
    Cue(61.5, 3725.001, "Later, much later.", "Tom"),
]


def test_srt_parses_with_exact_times(tmp_path: Path) -> None:
    path = write_srt(CUES, tmp_path / "film.srt")
    subs = list(srt.parse(path.read_text(encoding="utf-8")))
    assert [s.index for s in subs] == [1, 2, 3]
    assert subs[0].start == timedelta(0) and subs[0].end == timedelta(seconds=1.234)
    assert subs[1].content == "第一行\n第二行"  # the blank line would end the cue
    assert subs[2].start == timedelta(seconds=61.5)
    assert subs[2].end == timedelta(hours=1, minutes=2, seconds=5, milliseconds=1)
    assert subs[0].content == "你好 <世界> & co"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # atomic, no leftovers


def test_vtt_parses_with_times_and_voices(tmp_path: Path) -> None:
    path = write_vtt(CUES, tmp_path / "film.vtt")
    assert path.read_text(encoding="utf-8").startswith("WEBVTT\n")
    caps = webvtt.read(str(path)).captions
    assert len(caps) == 3
    assert (caps[0].start, caps[0].end) == ("00:00:00.000", "00:00:01.234")
    assert caps[0].voice == "妈妈"
    assert "&lt;世界&gt;" in caps[0].raw_text  # escaped: not parsed as a tag
    assert caps[1].text == "第一行\n第二行"
    assert (caps[2].start, caps[2].end) == ("00:01:01.500", "01:02:05.001")
    assert caps[2].voice == "Tom"


def _ass_sections(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = line
            out[current] = []
        elif line.strip():
            out[current].append(line)
    return out


def test_ass_phone_style(tmp_path: Path) -> None:
    margins = SafeArea(top=150, bottom=400, left=70, right=90)
    cues = [Cue(0.5, 2.0, "我们明天早上八点在老地方见面，不见不散，好吗？", "妈妈"),
            Cue(1.8, 3.0, "好{的}\\N呀"),
            Cue(4.0, 12.0, "这是一个非常非常长的句子，它需要被拆分成好几行，因为手机屏幕很窄，"
                           "字幕最多只能显示两行，所以我们要把它切成连续的几条字幕。")]
    path = write_ass(cues, tmp_path / "a.ass", width=1080, height=1920, language="zh",
                     font=FONT, margins=margins)
    sections = _ass_sections(path.read_text(encoding="utf-8"))
    info = dict(line.split(": ", 1) for line in sections["[Script Info]"] if ": " in line)
    assert (info["PlayResX"], info["PlayResY"], info["WrapStyle"]) == ("1080", "1920", "2")
    fmt = [f.strip() for f in sections["[V4+ Styles]"][0].split(":", 1)[1].split(",")]
    style = dict(zip(fmt, sections["[V4+ Styles]"][1].split(":", 1)[1].split(",")))
    assert style["Fontname"] == "Noto Sans CJK SC"
    assert 75 <= int(style["Fontsize"]) <= 85  # ~4.2% of 1920
    assert style["PrimaryColour"] == "&H00FFFFFF" and style["Alignment"] == "2"
    assert (style["MarginL"], style["MarginR"], style["MarginV"]) == ("70", "90", "400")
    assert float(style["Outline"]) >= 2 and float(style["Shadow"]) >= 1
    events = [e for e in sections["[Events]"] if e.startswith("Dialogue:")]
    assert len(events) >= 4  # the long cue became consecutive cues
    parsed = []
    for e in events:
        fields = e.split(": ", 1)[1].split(",", 9)
        parsed.append((fields[1], fields[2], fields[4], fields[9]))
    for _, _, _, text in parsed:
        body = re.sub(r"^\{[^}]*\}", "", text)
        assert body.count(r"\N") <= 1  # at most two lines
        assert "{" not in body and "}" not in body  # braces cannot open override blocks
    assert parsed[0][:3] == ("0:00:00.50", "0:00:01.80", "妈妈")  # trimmed: no stacking
    assert parsed[0][3].endswith(r"我们明天早上八点在老地方见面，\N不见不散，好吗？")
    assert "＼N" in parsed[1][3]  # a literal backslash is not a line break


def test_style_scales_with_short_side() -> None:
    assert style_for(1080, 1920).font_size == style_for(1920, 1080).font_size == 81
    assert style_for(720, 1280).font_size == 54
    default = SafeArea.default(1080, 1920)
    assert default.bottom == 384 and default.left == default.right
    assert max_chars_for(1080, "zh", default, 81) == 16
    assert 26 <= max_chars_for(1080, "en", default, 81) <= 34
    with pytest.raises(ValueError):
        SafeArea(-1, 0, 0, 0)
