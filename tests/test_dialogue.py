"""Which lines move lips: native in the clip, lip-synced, or heard only; never a V.O."""

from __future__ import annotations

import pytest

from microfilm.errors import SpecError
from microfilm.providers import dialogue, registry
from microfilm.spec.storyboard import Shot, ShotLine


def _info(name):
    return registry.entries()[name].info


def _shot(**kw) -> Shot:
    base = dict(id="sc01-sh02", duration=4.0, framing="close-up", characters=["mei"],
                lines=[ShotLine(character="mei", text="I came back."),
                       ShotLine(character="grandma", text="(V.O.) You are late.")])
    base.update(kw)
    return Shot(**base)


def test_auto_speaks_natively_where_the_animator_speaks_and_never_lipsyncs_a_voice_over():
    kling3, kling25 = _info("kling-v3"), _info("kling")
    lipsync = _info("fal-lipsync")
    assert dialogue.deliveries(_shot(), kling3, None) == ["native", "heard"]
    assert dialogue.deliveries(_shot(), kling25, lipsync) == ["lipsync", "heard"]
    assert dialogue.deliveries(_shot(), kling25, None) == ["tts", "heard"]
    assert dialogue.deliveries(_shot(framing="wide"), kling3, lipsync) == ["tts", "heard"]
    assert dialogue.deliveries(_shot(dialogue="off"), kling3, lipsync) == ["tts", "heard"]
    assert dialogue.deliveries(_shot(dialogue="lipsync"), kling3, lipsync) == ["lipsync", "heard"]


def test_an_impossible_choice_names_the_shot():
    with pytest.raises(SpecError, match="sc01-sh02.*native.*kling"):
        dialogue.deliveries(_shot(dialogue="native"), _info("kling"), None)
    with pytest.raises(SpecError, match="sc01-sh02.*lipsync"):
        dialogue.deliveries(_shot(dialogue="lipsync"), _info("kling"), None)


def test_old_storyboards_load_with_the_defaults():
    shot = Shot.model_validate({"id": "s1", "duration": 2.0})
    assert (shot.dialogue, shot.group) == ("auto", "")
