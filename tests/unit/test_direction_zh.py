"""A Chinese board speaks Chinese: the words the house director writes around the script
(framing, who stands where, a voice heard off screen, the place and hour, props, light,
camera, motion, sound) are Chinese, with no English template left in; an English board is
unchanged, and the house painter reads the Chinese positions and props."""

from __future__ import annotations

import re

import pytest

from microfilm.direction.prompts import prompt_for
from microfilm.form import PRESETS
from microfilm.providers.base import Capabilities, CharacterLook, PaintRequest
from microfilm.providers.house.painter import _side, figure_spots
from microfilm.providers.house.props import read_props
from microfilm.providers.house.writer import write
from microfilm.spec.brief import Brief
from microfilm.stages.board import plan

LATIN = re.compile(r"[A-Za-z]+")
FIELDS = ("action", "motion", "sound", "light", "prompt")


def _board(genre: str, lang: str, seed: int, caps: Capabilities = Capabilities()):
    brief = Brief.from_mapping({"title": "测试" if lang == "zh" else "Test", "genre": genre,
                                "language": lang, "duration": 60, "logline": "一个测试。",
                                "seed": seed})
    draft = write(brief, seed=seed)
    return draft.bible, plan(brief, draft.bible, draft.screenplay, caps)


def _without_the_scripts_own_words(text: str, bible) -> str:
    """Names and the bible's words (a "T恤" in a wardrobe) are the writer's, not templates."""
    own = [c.name for c in bible.characters] + [w for c in bible.characters for w in (c.look, c.wardrobe)]
    own += [w for loc in bible.locations for w in (loc.name, loc.description)] + [bible.style.look]
    for words in sorted((w.rstrip(".。") for w in own if w), key=len, reverse=True):
        text = text.replace(words, " ")
    return text


@pytest.mark.parametrize("genre", [g.value for g in PRESETS])
def test_a_chinese_board_has_no_english_template_words(genre):
    caps = Capabilities(durations=(5, 10), max_duration=10) if genre.startswith(("g", "t")) else Capabilities()
    bible, board = _board(genre, "zh", seed=1, caps=caps)
    story = [s for s in board.shots if s.kind == "shot"]
    assert story
    heard = 0
    for shot in story:
        heard += bool(shot.heard)
        for field in FIELDS:
            left = LATIN.findall(_without_the_scripts_own_words(getattr(shot, field), bible))
            assert not left, (genre, shot.id, field, left, getattr(shot, field))
        assert shot.prompt.endswith("。") and "。。" not in shot.prompt
        assert shot.sound and "；；" not in shot.sound


def test_a_heard_voice_is_named_in_chinese_and_left_out_of_still_pictures():
    found = None
    for genre in (g.value for g in PRESETS):
        for seed in range(4):
            bible, board = _board(genre, "zh", seed)
            found = next(((bible, s) for s in board.shots if s.kind == "shot" and s.heard
                          and not s.characters == []), None)
            if found:
                break
        if found:
            break
    assert found, "no Chinese house board with a heard-only voice"
    bible, shot = found
    name = bible.character(shot.heard[0]).name
    assert f"{name}的声音" in shot.action or f"{name}读信" in shot.action, shot.action
    assert "人不入画" in shot.action and " heard " not in shot.action
    still = prompt_for("gpt-image", shot, bible).prompt
    assert "人不入画" not in still and name not in still.split("。")[1:2], still


def test_english_boards_keep_their_words():
    bible, board = _board("touching-family", "en", seed=1)
    shot = next(s for s in board.shots if s.kind == "shot" and len(s.characters) >= 2)
    assert " of " in shot.prompt and ". Interior, " in shot.prompt or ". Exterior, " in shot.prompt
    assert "Light: " in shot.prompt and "Camera: " in shot.prompt and " on the left" in shot.prompt


def test_the_painter_reads_chinese_positions_and_props():
    prompt = ("中景双人镜头：阿梅（长发；穿着红毛衣），在画面右侧；老王（白发；穿着蓝棉袄），在画面左侧。"
              "阿梅把信递给老王。内景，厨房，夜。道具：一封信、一只碗。光线：温暖的台灯光。")
    assert _side(prompt, "阿梅") == "right" and _side(prompt, "老王") == "left"
    assert read_props(prompt) == ("bowl", "letter")
    mei = CharacterLook(id="mei", name="阿梅", look="长发", wardrobe="红毛衣", color="#b8372c")

    def x_of(side: str) -> float:  # a single keeps the side the shot gives them
        (spot,) = figure_spots(PaintRequest(
            prompt=f"中景：阿梅（长发；穿着红毛衣），在画面{side}侧。阿梅读信。内景，厨房，夜。",
            width=320, height=180, genre="touching-family", framing="medium", time_of_day="夜",
            location="厨房", characters=(mei,), seed=3))
        return (spot.box[0] + spot.box[2]) / 2

    assert x_of("左") < 160 < x_of("右")


def test_families_that_read_chinese_get_a_chinese_films_prompt_in_chinese():
    bible, board = _board("touching-family", "zh", seed=1)
    story = [s for s in board.shots if s.kind == "shot"]
    shot = next(s for s in story if s.characters and s.heard)
    tags = {"kling": "<<<image_1>>>", "seedance": "@image1", "wan": "", "hailuo": ""}
    for family, tag in tags.items():
        p = prompt_for(family, shot, bible, dialogue=True)
        text = _without_the_scripts_own_words(p.prompt.replace(tag, " ") if tag else p.prompt, bible)
        text = re.sub(r"\[[A-Z][a-z ]+\]", " ", text)  # Hailuo's camera commands are its API's words
        assert not LATIN.findall(text), (family, p.prompt)
        assert tag in p.prompt and p.prompt.endswith("。") and len(p.prompt) <= p.max_chars
        assert "人不入画" in p.prompt  # the heard voice is named as unseen
        assert not p.negative or "水印" in p.negative
    for family in ("veo", "gpt-image", "runway"):  # English guides keep their English scaffold
        assert re.search(r"Camera: |Lighting: |lighting: |camera: ", prompt_for(family, shot, bible).prompt)
    long = shot.model_copy(update={"action": "她慢慢地收拾桌上的碗筷，" * 80})
    p = prompt_for("wan", long, bible)
    assert len(p.prompt) <= p.max_chars and p.prompt.endswith("。") and "。。" not in p.prompt
    assert p.prompt.startswith(bible.character(long.characters[0]).name)  # the subject leads
