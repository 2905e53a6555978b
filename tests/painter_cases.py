"""Hypothesis strategies for house-painter requests: every genre, kind of place, framing,
time of day, number of characters and seed. Shared by tests/unit/test_painter_property.py and
bench/painter_property.py so the suite and the bench draw from the same space."""

from __future__ import annotations

from hypothesis import strategies as st

from microfilm.form import PRESETS
from microfilm.providers.base import CharacterLook, PaintRequest
from microfilm.providers.house.scenery import EXTERIOR_KINDS, FRAMINGS, INTERIOR_KINDS, TIME_WORDS

GENRES = [g.value for g in PRESETS]
PLACES = ([w for _, words in INTERIOR_KINDS for w in words[:3]]
          + [w for _, words in EXTERIOR_KINDS for w in words[:3]]
          + ["", "courtyard house", "老屋", "somewhere", "INT. ROOM", "EXT. ROAD"])
FRAMINGS_ALL = [w for _, words in FRAMINGS for w in words[:3]] + ["", "low-angle", "silhouette"]
TIMES = [w for _, words in TIME_WORDS for w in words[:3]] + ["", "continuous", "MORNING"]
PROPS = ["phone", "bowl", "suitcase", "letter", "umbrella", "rain", "snow", "lamp", "手机", "碗",
         "行李箱", "信", "window", "moon", "steam", "bench"]
INOUT = ["", "Interior", "Exterior", "indoors", "outdoors", "内景", "外景"]
LOOKS = ["a young woman, long black hair", "an old man, grey crew cut", "a boy of eight",
         "六十多岁的男人，花白短发", "七十多岁的老人，白发", "", "a tall stooped grandfather, 80"]
WORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCXYZ ,.!?'-0123456789等她的雨夜灯车站窗老屋（）：。"
WARDROBES = ["red sweater, jeans", "navy padded jacket, flat cap", "蓝色棉袄，红围巾", "", "hanfu, jade"]


@st.composite
def character(draw, i: int) -> CharacterLook:
    return CharacterLook(id=f"c{i}", name=draw(st.sampled_from(["Mei", "老王", "Howard", "X"])),
                         look=draw(st.sampled_from(LOOKS)), wardrobe=draw(st.sampled_from(WARDROBES)),
                         color=draw(st.sampled_from(["#b8372c", "#2f7a4c", "#000000", "#ffffff"])))


@st.composite
def keyframe_request(draw, max_side: int = 240) -> PaintRequest:
    n = draw(st.integers(0, 5))
    chars = tuple(draw(character(i)) for i in range(n))
    names = [c.name for c in chars]
    positions = [f"{nm} on the {side}" for nm, side in
                 zip(names, draw(st.permutations(["left", "right", "center", "left", "right"])))]
    prompt = ". ".join([draw(st.sampled_from(INOUT)),
                        " ".join(draw(st.lists(st.sampled_from(PROPS), max_size=4))),
                        ", ".join(draw(st.lists(st.sampled_from(positions or [""]), max_size=3))),
                        draw(st.text(alphabet=WORD_CHARS, max_size=12))])
    return PaintRequest(
        kind=draw(st.sampled_from(["keyframe", "keyframe", "keyframe", "cover"])),
        prompt=prompt,
        width=draw(st.integers(16, max_side)), height=draw(st.integers(16, max_side)),
        genre=draw(st.sampled_from(GENRES)), framing=draw(st.sampled_from(FRAMINGS_ALL)),
        time_of_day=draw(st.sampled_from(TIMES)), location=draw(st.sampled_from(PLACES)),
        motifs=tuple(draw(st.lists(st.sampled_from(PROPS), max_size=3))), characters=chars,
        seed=draw(st.integers(0, 2**31 - 1)), title=draw(st.sampled_from(["", "Title", "标题"])),
    )
