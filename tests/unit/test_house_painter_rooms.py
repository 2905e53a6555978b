"""The house painter's rooms and props: a hospital ward, a hall, a shop are drawn as
themselves (not as a home), a place's own name decides its kind before its motifs, and every
prop the director names, in English or Chinese, is read and drawn."""

from __future__ import annotations

import numpy as np
import pytest

from microfilm.direction.phrases import EN, ZH
from microfilm.providers.base import CharacterLook, PaintRequest
from microfilm.providers.house.painter import render
from microfilm.providers.house.prop_shapes import SHAPES
from microfilm.providers.house.props import DRAWN, read_props
from microfilm.providers.house.scenery import read_setting


@pytest.mark.parametrize("place, motifs, kind", [
    ("住院病房", (), "ward"), ("急诊室", ("锅",), "ward"), ("Hospital Ward", (), "ward"),
    ("Sports Hall", (), "hall"), ("社区礼堂", (), "hall"), ("火车站", (), "hall"),
    ("Old Bookstore", (), "shop"), ("街角小卖部", (), "shop"), ("图书馆", (), "shop"),
    ("Bedroom", ("desk", "laptop"), "bedroom"), ("茶楼", (), "cafe"), ("夜班大巴", (), "vehicle"),
])
def test_a_place_is_read_as_its_own_kind(place, motifs, kind):
    s = read_setting(place, motifs, "Interior", "night", "touching-family")
    assert s.interior and s.kind == kind, (place, s.kind)


def _frame(location: str, prompt: str, n_people: int = 0, framing: str = "wide") -> np.ndarray:
    people = tuple(CharacterLook(id=f"c{i}", name=name, look="a young woman", wardrobe="red sweater",
                                 color="#b8372c") for i, name in enumerate(("Mei", "Lin")[:n_people]))
    return np.asarray(render(PaintRequest(
        prompt=prompt, width=240, height=160, genre="touching-family", framing=framing,
        time_of_day="day", location=location, characters=people, seed=5)).convert("RGB"), dtype=float)


@pytest.mark.parametrize("location", ["Hospital Ward", "Sports Hall", "Community Hall", "Old Bookstore"])
def test_public_rooms_are_not_drawn_as_a_home(location):
    home, room = _frame("Family Room", "Interior"), _frame(location, "Interior")
    back_wall = (slice(10, 110), slice(0, 240))
    assert np.abs(home[back_wall] - room[back_wall]).mean() > 12, location


def test_a_shop_of_books_shows_many_spines():
    shop = _frame("Old Bookstore", "Interior")[20:100]
    home = _frame("Family Room", "Interior")[20:100]
    colours = lambda a: len({tuple(p) for p in (a // 24).reshape(-1, 3).astype(int)})  # noqa: E731
    assert colours(shop) > 1.5 * colours(home)


def test_every_prop_the_director_names_is_read_in_both_languages():
    for name in DRAWN:
        assert name in SHAPES
        for words in (EN.props, ZH.props):
            if name in words:
                assert read_props(f"Props: {words[name]}") == (name,), (name, words[name])
    assert read_props("道具：一台笔记本电脑、一把钥匙") == ("laptop", "key")
    assert read_props("It is five o'clock. A quiet room.") == ()  # the hour is not a clock


@pytest.mark.parametrize("prop", ["scarf", "umbrella", "clock", "bag", "laptop", "dumplings", "bicycle",
                                  "key", "ticket", "guitar", "lantern"])
def test_a_new_prop_is_drawn_in_an_insert_and_beside_a_person(prop):
    words = EN.props[prop]
    plain, insert = _frame("Kitchen", "Interior"), _frame("Kitchen", f"Interior. Props: {words}")
    lower_middle = (slice(90, 160), slice(60, 180))
    assert np.abs(plain[lower_middle] - insert[lower_middle]).mean() > 6, prop
    alone = _frame("Kitchen", "Interior. Mei on the left", 1, "medium")
    holding = _frame("Kitchen", f"Interior. Mei on the left. Props: {words}", 1, "medium")
    assert np.abs(alone - holding).max() > 60, prop


def test_a_stadium_is_stands_and_a_track_not_a_street():
    for place in ("City Stadium", "市体育场", "Running Track"):
        s = read_setting(place, (), "Exterior", "evening", "inspirational-struggle")
        assert not s.interior and s.kind == "stadium", (place, s.kind)
    street, stadium = _frame("Old Street", "Exterior"), _frame("City Stadium", "Exterior")
    track = stadium[130:160, :, :].reshape(-1, 3).mean(axis=0)
    assert track[0] > track[2] + 40  # the red-brown track under their feet
    assert np.abs(street - stadium).mean() > 12


@pytest.mark.parametrize("location, heading, falls_in_front", [
    ("Tea House", "Interior", False), ("Bus Stop", "Exterior", True)])
def test_rain_falls_outdoors_and_shows_through_the_window_indoors(monkeypatch, location, heading, falls_in_front):
    """Rain in the action of an INT. scene was drawn across the whole room (streaks over the
    floor and the people); indoors it is seen through the window only."""
    from microfilm.providers.house.scenery import base

    calls = []
    monkeypatch.setattr(base, "draw_rain", lambda *a, **k: calls.append(k))
    render(PaintRequest(prompt=f"{heading}. Rain. She waits.", width=240, height=400,
                        genre="ancient-style", framing="wide", time_of_day="dusk", location=location,
                        characters=(), seed=5))
    assert bool(calls) is falls_in_front, calls
