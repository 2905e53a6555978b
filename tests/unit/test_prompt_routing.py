"""The generate stage sends each provider its family's prompt (stages.prompting), and the
house providers keep the board's own prompt (so their cache keys do not move)."""

from __future__ import annotations

from microfilm.providers import registry
from microfilm.spec.bible import Bible, Character
from microfilm.spec.storyboard import Shot, ShotLine
from microfilm.stages.prompting import shot_prompt

BIBLE = Bible(characters=[Character(id="howard", name="Howard", look="grey crew cut",
                                    wardrobe="navy jacket"),
                          Character(id="clara", name="Clara", look="low ponytail", wardrobe="wool coat")])
SHOT = Shot(id="sc01-sh02", scene=1, duration=4.8, framing="close-up", camera="slow push-in",
            characters=["howard"], heard=["clara"],
            action="Howard listens, the phone to his ear; Clara is heard on the phone, not seen",
            motion="a quiet reaction: eyes, breath, a small movement of the head",
            lines=[ShotLine(character="clara", text="I saw the moon from the window.", start=0.4)])


def _info(name: str):
    return registry.entries()[name].info


def test_each_family_gets_its_own_text_and_the_house_the_boards():
    board_text = "the board's own words"
    shot = SHOT.model_copy(update={"prompt": board_text})
    assert shot_prompt(_info("house-animator"), shot, BIBLE) == board_text
    assert shot_prompt(_info("house-painter"), shot, BIBLE) == board_text
    kling = shot_prompt(_info("kling-v3"), shot, BIBLE, references=("howard",))
    hailuo = shot_prompt(_info("minimax-h3"), shot, BIBLE)
    runway = shot_prompt(_info("runway-gen4.5"), shot, BIBLE)
    assert kling != hailuo != runway != board_text
    assert "Howard <<<image_1>>>" in kling  # the reference bound to the person it shows
    assert "[Push in]" in hailuo  # Hailuo's bracketed camera command
    assert len(runway) <= 1000 and runway.startswith("A quiet reaction")  # Runway: motion first
    card = Shot(id="title", kind="title", duration=3.0, prompt="card")
    assert shot_prompt(_info("kling-v3"), card, BIBLE) == "card"


def test_a_native_speaker_gets_the_line_in_the_prompt_only_when_it_speaks_it():
    veo = _info("veo-3.1")
    spoken = shot_prompt(veo, SHOT, BIBLE, dialogue=True)
    silent = shot_prompt(veo, SHOT, BIBLE, dialogue=False)
    line = "I saw the moon from the window."
    assert line in spoken and line not in silent
