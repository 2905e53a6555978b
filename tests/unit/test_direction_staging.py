"""Direction: line ids, character ids, and who is on screen versus only heard."""

from __future__ import annotations

from microfilm.direction.cast import character_id, clean_cue
from microfilm.direction.staging import stage
from microfilm.providers.base import Capabilities
from microfilm.spec import fountain
from microfilm.spec.bible import Bible, Character, Location
from microfilm.spec.brief import Brief
from microfilm.stages.board import plan

SCRIPT = """\
INT. KITCHEN - NIGHT

Howard sits by the phone, waiting. The phone buzzes.

CLARA (V.O.)
Sorry, Dad. Late again.

HOWARD
Eat something.

CLARA
(on the phone)
I will.

EXT. BUS STOP - DUSK

Clara steps off the bus with a suitcase.

CLARA
Dad?

HOWARD
You came.

林晓（画外音）
我回来了。
"""

BIBLE = Bible(
    characters=[Character(id="howard", name="Howard", look="grey hair", wardrobe="navy jacket"),
                Character(id="clara", name="Clara", look="long black hair", wardrobe="wool coat"),
                Character(id="lin", name="林晓", look="短发", wardrobe="白衬衫")],
    locations=[Location(id="kitchen", name="Kitchen", interior=True),
               Location(id="stop", name="Bus Stop", interior=False)],
)


def test_every_line_has_a_stable_id_derived_from_scene_and_order():
    sp = fountain.parse(SCRIPT)
    assert [ln.id for ln in sp.lines()] == ["sc01-l01", "sc01-l02", "sc01-l03",
                                            "sc02-l01", "sc02-l02", "sc02-l03"]
    assert "sc01-l01" not in fountain.dump(sp)  # derived, never written into the user's file


def test_cues_normalise_to_bible_ids():
    assert clean_cue("CLARA (V.O.)") == "CLARA"
    assert character_id(BIBLE, "CLARA (V.O.)") == "clara"
    assert character_id(BIBLE, "HOWARD") == "howard"
    assert character_id(BIBLE, "林晓（画外音）") == "lin"
    assert character_id(BIBLE, "A STRANGER") == "a-stranger"


def test_a_voice_on_the_phone_is_heard_not_present_until_the_action_brings_her_in():
    sp = fountain.parse(SCRIPT)
    one, two = stage(sp, BIBLE)
    assert one.present == ("howard",) and one.heard == ("clara",)
    assert one.interior and one.props[:1] == ("phone",)
    assert two.present == ("clara", "howard") and two.heard == ("lin",)
    assert not two.interior and "suitcase" in two.props


def test_the_board_puts_only_present_characters_on_screen_and_records_the_lines():
    sp = fountain.parse(SCRIPT)
    brief = Brief.from_mapping({"title": "T", "genre": "touching-family", "language": "en",
                                "duration": 30, "logline": "x"})
    board = plan(brief, BIBLE, sp, Capabilities())
    story = [s for s in board.shots if s.kind == "shot"]
    for shot in story:
        if shot.scene == 1:
            assert "clara" not in shot.characters, shot
        assert not set(shot.heard) & set(shot.characters)
        assert shot.covers == [ln.line_id for ln in shot.lines]
        for ln in shot.lines:  # a line is heard-only exactly when its speaker is off screen
            assert ln.character == BIBLE.character(ln.character).id
            assert (ln.character in shot.heard) == (ln.character not in shot.characters)
        assert shot.sound and shot.action not in shot.sound
        assert not shot.prompt.endswith("..")
    covered = [i for s in story for i in s.covers]
    assert covered == [ln.id for ln in sp.lines()]
    assert story[0].framing in ("wide", "extreme-wide")  # a new place opens wide
    assert "Interior" in story[0].prompt and "night" in story[0].prompt


def test_the_caller_on_the_phone_is_on_screen_the_voice_at_the_other_end_is_not():
    sp = fountain.parse("INT. KITCHEN - DUSK\n\nHoward makes dumplings alone.\n\nHOWARD\n"
                        "(on the phone)\nHave you eaten?\n\nCLARA\n(on the phone)\nBusy, Dad.\n")
    (scene,) = stage(sp, BIBLE)
    assert scene.present == ("howard",) and scene.heard == ("clara",)
    assert scene.heard_lines == frozenset({"sc01-l02"})


def test_a_voice_on_a_video_call_is_heard_until_they_turn_up():
    sp = fountain.parse("EXT. BUS STOP - DUSK\n\nHoward waits.\n\nA video call: Clara's face, far "
                        "away, grinning.\n\nCLARA\nStill waiting?\n\nHOWARD\nEvery day.\n\nCLARA\n"
                        "(now right behind him)\nLook up.\n")
    (scene,) = stage(sp, BIBLE)
    assert scene.heard_lines == frozenset({"sc01-l01"})
    assert scene.present == ("howard", "clara") and scene.heard == ()


def test_subtitles_name_the_speaker_not_the_id(tmp_path):
    from microfilm.direction.cast import speaker_name

    path = tmp_path / "bible.yaml"
    BIBLE.save(path)
    assert speaker_name(path, "clara") == "Clara" and speaker_name(path, "lin") == "林晓"
    assert speaker_name(path, "nobody") == "nobody"
    assert speaker_name(tmp_path / "missing.yaml", "clara") == "clara"


def test_a_name_whose_recording_follows_is_not_there_in_person():
    """"听沈凤英以前发的语音" (the Chinese example's bus scene): she is heard, not seen."""
    from microfilm.direction.cast import mentions

    bible = Bible(characters=[
        Character(id="child", name="沈晓萌", look="短发", wardrobe="风衣"),
        Character(id="parent", name="沈凤英", look="白发", wardrobe="红外套")])
    found = dict(mentions(bible, "回家的路上，沈晓萌一条一条地听沈凤英以前发的语音。"))
    assert found == {"child": True, "parent": False}
    # a name followed by her own action in the same clause is still there
    assert dict(mentions(bible, "沈凤英端来两碗饺子。")) == {"parent": True}
