"""The house painter: exact sizes, determinism, stable characters, real Chinese type."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from microfilm.errors import MediaError, ProviderError
from microfilm.form import preset
from microfilm.providers import registry
from microfilm.providers.base import CharacterLook, PaintRequest
from microfilm.providers.house import typeset
from microfilm.providers.house.figures import look_of
from microfilm.providers.house.painter import HousePainter, figure_spots, render
from microfilm.providers.house.scenery import read_framing, read_setting

FAMILY = preset("touching-family").palette

RED = CharacterLook(id="mei", name="Mei", look="a young woman, long black hair",
                    wardrobe="red sweater, jeans", color="#b8372c")
GREEN = CharacterLook(id="old-wang", name="老王", look="六十多岁的男人，花白短发",
                      wardrobe="绿色外套，灰色裤子", color="#2f7a4c")
GRANDMA = CharacterLook(id="grandma", name="外婆", look="七十多岁的老人，白发盘成发髻",
                        wardrobe="蓝色棉袄，红围巾", color="#3b5a8a")


def _req(**kw) -> PaintRequest:
    base = dict(kind="keyframe", prompt="she waits by the window", width=180, height=320,
                genre="touching-family", palette=FAMILY, framing="medium", time_of_day="day",
                location="living room", motifs=("window", "lamp"), characters=(RED,), seed=1)
    base.update(kw)
    return PaintRequest(**base)


def _paint(req: PaintRequest, path: Path) -> np.ndarray:
    res = HousePainter().paint(req.model_copy(update={"out": path}))
    assert res.path == path and path.is_file()
    with Image.open(path) as im:
        assert im.format == "PNG"
        assert im.size == (req.width, req.height) == (res.width, res.height)
        return np.asarray(im.convert("RGB")).copy()


def _dominant(arr: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The most common colour (coarsely binned) inside a box: a figure's coat."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    h, w = arr.shape[:2]
    patch = arr[max(0, y0):min(h, y1), max(0, x0):min(w, x1)].reshape(-1, 3).astype(int)
    assert len(patch) > 30, "the figure's torso is not in the frame"
    bins = patch // 24
    keys, counts = np.unique(bins[:, 0] * 10000 + bins[:, 1] * 100 + bins[:, 2], return_counts=True)
    top = keys[np.argmax(counts)]
    sel = patch[(bins[:, 0] * 10000 + bins[:, 1] * 100 + bins[:, 2]) == top]
    return sel.mean(axis=0)


def test_registered_through_entry_points() -> None:
    painter = registry.get("house-painter", "painter")
    assert isinstance(painter, HousePainter)
    assert HousePainter.info.capability == "painter" and HousePainter.info.version == "3"
    assert HousePainter.missing() == []


@pytest.mark.parametrize("kind", ["keyframe", "cover", "card", "reference"])
@pytest.mark.parametrize("size", [(180, 320), (161, 97), (64, 64)])
def test_every_kind_paints_exact_size_and_is_not_blank(tmp_path: Path, kind: str,
                                                       size: tuple[int, int]) -> None:
    req = _req(kind=kind, width=size[0], height=size[1], title="外婆的饺子",
               subtitle="一个关于回家的故事")
    arr = _paint(req, tmp_path / f"{kind}.png")
    assert arr.std() > 12, f"{kind} at {size} is nearly flat"
    assert arr.mean() > 20 and arr.mean() < 240


def test_same_request_same_bytes_and_seed_moves_only_the_camera(tmp_path: Path) -> None:
    req = _req(characters=(RED, GREEN), framing="wide", location="the last bus stop",
               motifs=("rain", "city lights"), time_of_day="night")
    a = (tmp_path / "a.png")
    b = (tmp_path / "b.png")
    _paint(req, a)
    _paint(req, b)
    assert a.read_bytes() == b.read_bytes()
    other = _paint(req.model_copy(update={"seed": 2}), tmp_path / "c.png")
    assert not np.array_equal(other, np.asarray(Image.open(a).convert("RGB")))
    # the looks are the same whatever the seed
    assert [s.id for s in figure_spots(req)] == ["mei", "old-wang"]


def test_a_character_keeps_its_look_across_shots_and_differs_from_another(tmp_path: Path) -> None:
    shot1 = _req(width=270, height=480, characters=(RED, GREEN), framing="medium",
                 location="kitchen", motifs=("window",), prompt="they talk", seed=4)
    shot2 = _req(width=270, height=480, characters=(RED,), framing="close-up",
                 location="park", motifs=("tree",), prompt="she turns away", seed=9)
    shot3 = _req(width=270, height=480, characters=(GREEN, RED), framing="全景",
                 location="街道", motifs=(), prompt="他们走开", seed=5)
    colours: dict[str, list[np.ndarray]] = {}
    for i, req in enumerate((shot1, shot2, shot3)):
        arr = _paint(req, tmp_path / f"shot{i}.png")
        for spot in figure_spots(req):
            colours.setdefault(spot.id, []).append(_dominant(arr, spot.torso))
    red = colours["mei"]
    green = colours["old-wang"]
    assert len(red) == 3 and len(green) == 2
    for c in red[1:]:
        assert np.abs(c - red[0]).max() < 40, (red, "Mei's sweater changed between shots")
    assert np.abs(green[1] - green[0]).max() < 40, green
    assert np.abs(red[0] - green[0]).sum() > 120, "two characters look the same"
    # and the colour is the character's own: red stays red, green stays green
    for c in red:
        assert c[0] > c[1] + 40 and c[0] > c[2] + 40
    for c in green:
        assert c[1] > c[0] + 15 and c[1] > c[2]


def test_look_words_in_english_and_chinese() -> None:
    g = look_of(GRANDMA)
    assert g.age == "elderly" and g.female and g.hair_style == "bun"
    assert min(g.hair) > 200  # 白发
    assert g.scarf is not None and g.scarf[0] > 150 and g.scarf[1] < 100  # 红围巾
    assert g.top[2] > g.top[0]  # 蓝色棉袄
    m = look_of(RED)
    assert m.hair_style == "long" and max(m.hair) < 60 and m.scarf is None
    assert m.top_kind == "sweater" and m.top == (184, 55, 44)  # the bible's own colour
    p = look_of(CharacterLook(id="parent", name="沈凤英", look="灰白短卷发，圆圆的脸",
                              wardrobe="紫红色棉袄，深色裤子", color="#6a994e"))
    assert p.hair_style == "curly" and p.hair == (156, 156, 158)
    assert p.top[0] > p.top[1] + 60 and p.top[2] > p.top[1]  # plum, not the bible's green
    # no words at all: the id alone decides, and it decides the same way every time
    a = look_of(CharacterLook(id="a", name="A", look="", wardrobe="", color="#808080"))
    b = look_of(CharacterLook(id="zz-top", name="B", look="", wardrobe="", color="#808080"))
    assert a == look_of(CharacterLook(id="a", name="A", look="", wardrobe="", color="#808080"))
    assert a != b


def test_setting_and_framing_words() -> None:
    s = read_setting("外婆家的厨房", ("窗", "灯"), "外婆在包饺子", "夜", "touching-family")
    assert s.interior and s.kind == "kitchen" and s.time == "night"
    assert {"window", "lamp", "steam"} <= s.props
    s = read_setting("the last bus stop", ("rain", "city lights"), "EXT. BUS STOP", "dusk", "")
    assert not s.interior and s.kind == "busstop" and s.time == "dusk" and s.rain
    s = read_setting("公交车站", (), "", "黄昏", "")
    assert not s.interior and s.kind == "busstop" and s.time == "dusk"
    s = read_setting("夜班大巴", ("晃动的窗帘", "掠过的灯光"), "", "夜", "")
    assert s.interior and s.kind == "vehicle"
    assert [read_framing(f) for f in ("全景", "中景", "近景", "特写", "大特写", "two-shot",
                                      "extreme wide", "close-up", "whatever")] == [
        "wide", "medium", "close", "close", "extreme-close", "medium", "extreme-wide", "close",
        "medium"]


def test_framing_sizes_the_figures() -> None:
    heights = {}
    for framing in ("wide", "medium", "close-up", "extreme close-up"):
        spot = figure_spots(_req(framing=framing))[0]
        heights[framing] = spot.head[3] - spot.head[1]
    assert heights["wide"] < heights["medium"] < heights["close-up"] < heights["extreme close-up"]


def test_missing_glyph_check_finds_tofu_and_passes_chinese() -> None:
    font = typeset.font(48, bold=True)
    assert typeset.missing_glyphs("外婆的饺子：回家，。The Last Bus", font) == []
    assert typeset.missing_glyphs("A\ue000B", font) == ["\ue000"]  # a private-use code point


def test_cover_sets_chinese_title_in_the_middle_band(tmp_path: Path) -> None:
    W, H = 270, 480
    req = _req(kind="cover", width=W, height=H, characters=(GRANDMA, RED), title="外婆的饺子",
               subtitle="春节前夕，外孙女赶回小镇。", location="外婆家", language="zh")
    a = _paint(req, tmp_path / "a.png")
    b = _paint(req.model_copy(update={"title": "饺子的外婆"}), tmp_path / "b.png")
    # every glyph drawn is a real glyph, not the font's box
    assert typeset.missing_glyphs(req.title + req.subtitle, typeset.font(40, True)) == []
    # where the two covers differ is where the title is: inside the 1:1 and 3:4 centre crops
    diff = np.abs(a.astype(int) - b.astype(int)).sum(axis=2) > 60
    ys, xs = np.nonzero(diff)
    assert len(ys) > 200, "no title was drawn"
    top, bottom = ys.min() / H, ys.max() / H
    square = ((H - W) / 2 / H, (H + W) / 2 / H)
    assert square[0] <= top and bottom <= square[1], (top, bottom, square)
    assert top > 0.12 and bottom < 0.80  # the phone UI's top and bottom bands stay free
    # the title is light type on a darkened band: strong contrast where it is set
    lum = a[diff].mean(axis=1)
    assert np.percentile(lum, 90) > 190 and np.percentile(lum, 10) < 110


def test_cover_refuses_text_its_font_cannot_draw(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="no glyph"):
        render(_req(kind="cover", title="Title \ue000"))


def test_card_sets_title_and_credit_lines(tmp_path: Path) -> None:
    req = _req(kind="card", prompt="end credits", title="外婆的饺子",
               subtitle="外婆 — 主角\n林晓 — 外孙女\n用 microfilm 制作", width=270, height=480)
    a = _paint(req, tmp_path / "a.png")
    b = _paint(req.model_copy(update={"subtitle": "外婆 — 主角\n林晓 — 外孙女\n用 microfilm 制作了"}),
               tmp_path / "b.png")
    diff = np.abs(a.astype(int) - b.astype(int)).sum(axis=2) > 60
    ys, xs = np.nonzero(diff)
    assert len(ys) > 20
    # the last credit line changed, below the title, inside the frame
    assert 0.5 < ys.mean() / 480 < 0.85 and xs.min() > 10 and xs.max() < 260
    # text is bright on a dark, calm ground
    assert np.median(a) < 90 and a.max() > 200


def test_reference_sheet_shows_the_character(tmp_path: Path) -> None:
    arr = _paint(_req(kind="reference", characters=(GRANDMA,), width=240, height=320),
                 tmp_path / "ref.png")
    body = arr[100:260, 80:160].reshape(-1, 3).astype(int)
    blue = (body[:, 2] > body[:, 0] + 40).mean()
    assert blue > 0.15, "grandma's blue coat is not on her sheet"
    with pytest.raises(ProviderError, match="characters"):
        render(_req(kind="reference", characters=()))


def test_refuses_absurd_sizes() -> None:
    with pytest.raises(ProviderError, match="width/height"):
        render(_req(width=8, height=8))


def test_real_size_keyframe(tmp_path: Path) -> None:
    """The stage paints 1296x2304 keyframes (1.2 x 1080x1920) with a real picture on them
    (its speed is measured in bench/painter_property.py, not asserted here)."""
    req = _req(width=1296, height=2304, characters=(GRANDMA, RED), location="外婆家的厨房",
               motifs=("窗", "灯", "饺子"), time_of_day="夜")
    arr = _paint(req, tmp_path / "big.png")
    assert arr.shape == (2304, 1296, 3) and arr.std() > 20
