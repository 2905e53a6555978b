"""A figure's gender follows the words first, then the name the house writer gave by gender
(its name pools), and only then the hash: Tom with a bowl haircut is drawn as a man."""

from __future__ import annotations

from microfilm.providers.base import CharacterLook
from microfilm.providers.house.figures import look_of
from microfilm.providers.house.story import names


def _look(name: str, look: str = "skinny, bowl haircut, huge confident grin", cid: str = "hero"):
    return look_of(CharacterLook(id=cid, name=name, look=look, wardrobe="silver bomber jacket",
                                 color="#f4a261"))


def test_the_writers_names_decide_a_silent_look():
    pool = names()
    for gender in ("female", "male"):
        en = [n for by in pool.en[gender].values() for n in by]
        zh = [pool.zh_surnames[i % len(pool.zh_surnames)] + g
              for i, g in enumerate(g for by in pool.zh[gender].values() for g in by)]
        ancient = [n for by in pool.ancient.values() for n in by[gender]]
        for i, name in enumerate(en + zh + ancient):
            assert _look(name, cid=f"c{i}").female == (gender == "female"), name


def test_words_still_win_over_the_name():
    assert _look("Tom", "an old woman, grey bun").female
    assert not _look("Stella", "a bearded man").female
    unknown = {_look("Xq", cid=f"c{i}").female for i in range(40)}
    assert unknown == {True, False}  # no hint at all: the hash picks either
