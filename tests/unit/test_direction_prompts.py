"""Prompts per model family: one fixed shot, one snapshot per family (tests/snapshots/prompts).

The snapshot is the exact text a provider would send. To accept a deliberate change, run
with MICROFILM_UPDATE_SNAPSHOTS=1 and review the diff of tests/snapshots/prompts/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from microfilm.direction.prompts import FAMILIES, prompt_for
from microfilm.spec.bible import Bible, Character, Location, StyleGuide
from microfilm.spec.storyboard import Shot, ShotLine

SNAPSHOTS = Path(__file__).parents[1] / "snapshots" / "prompts"
BIBLE = Bible(
    characters=[Character(id="howard", name="Howard", look="grey crew cut, weathered face",
                          wardrobe="navy padded jacket, flat cap"),
                Character(id="clara", name="Clara", look="long black hair in a low ponytail",
                          wardrobe="charcoal wool coat")],
    locations=[Location(id="courtyard-house", name="Courtyard House",
                        description="A small-town house around a courtyard with a persimmon tree")],
    style=StyleGuide(look="warm practical light, medium shots on hands and faces"),
)
SHOT = Shot(
    id="sc01-sh02", scene=1, heading="INT. COURTYARD HOUSE - NIGHT", duration=4.8,
    framing="close-up", camera="slow push-in", characters=["howard"], positions={"howard": "center"},
    heard=["clara"], action="Howard listens, the phone to his ear; Clara is heard on the phone, not seen",
    motion="a quiet reaction: eyes, breath, a small movement of the head",
    light="warm practical lamp light, deep soft shadows", location="courtyard-house",
    time_of_day="NIGHT", sound="room tone; night quiet; a phone buzzing", covers=["sc01-l03"],
    lines=[ShotLine(character="clara", text="One good thing... I saw the moon from the window.",
                    start=0.4, duration=3.0, line_id="sc01-l03")],
)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_one_shots_prompt_per_family_matches_its_snapshot(family):
    p = prompt_for(family, SHOT, BIBLE)
    text = f"{p.prompt}\n--- negative\n{p.negative}\n--- references\n" + "\n".join(
        f"{r.index}: {r.character} {r.tag}".rstrip() for r in p.references) + "\n"
    path = SNAPSHOTS / f"{family}.txt"
    if os.environ.get("MICROFILM_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text
    assert len(p.prompt) <= p.max_chars
    assert "long black hair" not in p.prompt  # the heard-only voice is never described


def test_every_family_keeps_to_its_length_limit_and_binds_references_by_name():
    long = SHOT.model_copy(update={"action": "Howard waits. " * 400})
    for family, fam in FAMILIES.items():
        p = prompt_for(family, long, BIBLE)
        assert len(p.prompt) <= fam.max_chars, family
        assert not p.prompt.endswith("..")
    kling = prompt_for("kling", SHOT, BIBLE)
    assert kling.references[0].tag == "<<<image_1>>>" and "Howard <<<image_1>>>" in kling.prompt
    assert "@image1" in prompt_for("seedance", SHOT, BIBLE).prompt
    veo = prompt_for("veo", SHOT, BIBLE, dialogue=True)
    assert "Clara's voice, off screen, says: \"One good thing" in veo.prompt
    for family in ("kling", "seedance"):  # models that voice a quoted line get it too
        spoken = prompt_for(family, SHOT, BIBLE, dialogue=True).prompt
        assert "Clara's voice, off screen, says: \"One good thing" in spoken, family
        assert "says:" not in prompt_for(family, SHOT, BIBLE).prompt, family
    assert "a phone buzzing" in veo.prompt and "phone buzzing" not in prompt_for("hailuo", SHOT, BIBLE).prompt
    with pytest.raises(ValueError, match="unknown model family"):
        prompt_for("sora-9", SHOT, BIBLE)
