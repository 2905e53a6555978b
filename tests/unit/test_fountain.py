"""Fountain in and out: files as screenwriting apps write them, round trips, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from microfilm.errors import SpecError
from microfilm.spec import fountain
from microfilm.spec.fountain import FountainError
from microfilm.spec.screenplay import Action, Dialogue, Note, Scene, Screenplay, Transition

# An English script as Highland / Slugline export it: title page with a multi-line title,
# FADE IN, numbered scenes, boneyard, sections, synopses, a page break, emphasis, lyrics.
HIGHLAND = """\
Title:
    _**THE LAST BUS**_
    a micro film
Credit: Written by
Author: Ann Writer
Draft date: 12/30/2024
Contact:
    ann@example.com
    +1 555 0100
Time: Winter, the night before New Year
Logline: A girl misses the last bus home and finds her mother waiting.

# ACT ONE

= Ann tries to leave early.

FADE IN:

INT. KITCHEN - NIGHT #1#

Mom folds dumplings. Steam fogs the window.
The radio plays an *old* song.

MOM
(softly)
Eat while they're hot.

ANN (V.O.)
I can't stay long, Mom.
(beat)
The bus.

MOM (CONT'D)
Then take some with you.
[[Mom's hands shake here: first hint of illness.]]

/* CUT: the long argument about the job.
ANN
You never listen.

MOM
Neither do you.
*/

BRICK
Screw retirement.

STEEL ^
Screw retirement.

CUT TO:

===

EXT. BUS STATION - NIGHT #2#

Snow. The timetable flickers.

!THE LAST BUS IS GONE.

DRIVER
Last bus left an hour ago.
Walk, or wait till morning.

ANN
Then I'll walk.

~Home, home, the long way home~

i/e. ann's car - continuous

.FLASHBACK - THE SAME KITCHEN, TEN YEARS AGO

> THE END <

> FADE TO BLACK.
"""

# A Chinese script as a Chinese writer types it in a Fountain app: '@' names, full-width
# punctuation and parentheses, forced and plain Chinese headings, dual dialogue.
CHINESE = """\
Title: 最后一班车
Credit: 编剧
Author: 林小雨
Logline: 错过末班车的女孩，发现母亲一直在车站等她。
Theme: 没说出口的爱
Time: 冬天，除夕前夜

.内景 厨房 - 夜

妈妈包着饺子，蒸汽模糊了窗户。收音机里放着**老歌**。

@妈妈
（轻声）
趁热吃。

@小美（画外音）
我待不了多久，妈。

外景 车站 - 夜 #2#

雪。时刻表一闪一闪。

司机
末班车一小时前就走了。

小美 ^
那我走回去。

[[这里下雪要大一点。]]

> 叠化：

内景 小美的家——清晨

小美推开门，桌上放着一盘饺子，还冒着热气。

淡出。
"""


def test_highland_export_parses() -> None:
    sp = fountain.parse(HIGHLAND)
    assert sp.title_page["Title"] == "_**THE LAST BUS**_\na micro film"
    assert sp.title_page["Contact"] == "ann@example.com\n+1 555 0100"
    assert sp.title_page["Draft date"] == "12/30/2024"
    assert sp.title == "_**THE LAST BUS**_\na micro film"
    # sections and synopses are skipped; FADE IN: is a transition before the first scene
    assert sp.preamble == [Transition(text="FADE IN:")]
    assert [(s.heading, s.number) for s in sp.scenes] == [
        ("INT. KITCHEN - NIGHT", "1"), ("EXT. BUS STATION - NIGHT", "2"),
        ("i/e. ann's car - continuous", ""), ("FLASHBACK - THE SAME KITCHEN, TEN YEARS AGO", "")]
    kitchen = sp.scenes[0]
    assert kitchen.elements[0] == Action(
        text="Mom folds dumplings. Steam fogs the window.\nThe radio plays an *old* song.")
    assert kitchen.elements[1] == Dialogue(character="MOM", parenthetical="softly",
                                           text="Eat while they're hot.")
    # a parenthetical mid-speech starts a new speech by the same speaker
    assert kitchen.elements[2:4] == [
        Dialogue(character="ANN", extension="V.O.", text="I can't stay long, Mom."),
        Dialogue(character="ANN", extension="V.O.", parenthetical="beat", text="The bus.")]
    # an inline note leaves the words and follows them as a Note
    assert kitchen.elements[4:6] == [
        Dialogue(character="MOM", extension="CONT'D", text="Then take some with you."),
        Note(text="Mom's hands shake here: first hint of illness.")]
    # the boneyard is gone; dual dialogue marks the second speaker
    assert kitchen.elements[6:] == [
        Dialogue(character="BRICK", text="Screw retirement."),
        Dialogue(character="STEEL", text="Screw retirement.", dual=True),
        Transition(text="CUT TO:")]
    station = sp.scenes[1]
    assert station.elements[1] == Action(text="THE LAST BUS IS GONE.")  # '!' forced action
    assert station.elements[2].text == "Last bus left an hour ago.\nWalk, or wait till morning."
    assert station.elements[4] == Action(text="~Home, home, the long way home~")
    assert station.location == "BUS STATION" and station.time_of_day == "NIGHT"
    assert not station.interior
    assert sp.scenes[3].elements == [Action(text="THE END", centered=True),
                                     Transition(text="FADE TO BLACK.")]
    assert sp.speaking_characters() == ["MOM", "ANN", "BRICK", "STEEL", "DRIVER"]


def test_chinese_script_parses() -> None:
    sp = fountain.parse(CHINESE)
    assert sp.title_page["Logline"] == "错过末班车的女孩，发现母亲一直在车站等她。"
    assert [s.heading for s in sp.scenes] == ["内景 厨房 - 夜", "外景 车站 - 夜", "内景 小美的家——清晨"]
    kitchen, station, home = sp.scenes
    assert (kitchen.location, kitchen.time_of_day, kitchen.interior) == ("厨房", "夜", True)
    assert (station.location, station.number, station.interior) == ("车站", "2", False)
    assert (home.location, home.time_of_day) == ("小美的家", "清晨")
    assert kitchen.elements[0] == Action(text="妈妈包着饺子，蒸汽模糊了窗户。收音机里放着**老歌**。")
    assert kitchen.elements[1:] == [
        Dialogue(character="妈妈", parenthetical="轻声", text="趁热吃。"),
        Dialogue(character="小美", extension="画外音", text="我待不了多久，妈。")]
    # short Chinese names on their own line are cues even without '@'
    assert station.elements[1:] == [
        Dialogue(character="司机", text="末班车一小时前就走了。"),
        Dialogue(character="小美", text="那我走回去。", dual=True),
        Note(text="这里下雪要大一点。"),
        Transition(text="叠化：")]
    assert home.elements == [Action(text="小美推开门，桌上放着一盘饺子，还冒着热气。"),
                             Transition(text="淡出。")]


@pytest.mark.parametrize("text", [HIGHLAND, CHINESE])
def test_hand_written_files_round_trip(text: str) -> None:
    sp = fountain.parse(text)
    again = fountain.dump(sp)
    assert fountain.parse(again) == sp
    assert fountain.dump(fountain.parse(again)) == again  # writing is stable


def test_dump_forces_what_apps_would_misread() -> None:
    sp = Screenplay(
        title_page={"Title": "Forced", "Notes": "line one\nline two", "Contact": ""},
        preamble=[Action(text="Later: the kitchen.")],
        scenes=[
            Scene(heading="内景 厨房 - 夜", number="3", elements=[
                Dialogue(character="小美", text="你好。", parenthetical="小声", extension="画外音"),
                Dialogue(character="Mom", text="Hello.", dual=True),
                Action(text="INT. THIS IS ACTION, NOT A HEADING"),
                Action(text="BANG!\nThe door flies open."),
                Action(text="# not a section"),
                Action(text="!Bang"),
                Action(text="    indented action"),
                Transition(text="Dissolve slowly"),
                Transition(text="SMASH CUT TO:"),
                Dialogue(character="CUT TO:", text="I am a person."),
                Dialogue(character="R2D2", text="Beep."),
                Action(text="Centered\ntwo lines", centered=True),
                Note(text="a note"),
            ]),
            Scene(heading="SNIPER SCOPE POV", elements=[Action(text="Crosshairs.")]),
            Scene(heading="EXT. PARK - DAY", elements=[]),
        ])
    text = fountain.dump(sp)
    lines = text.splitlines()
    assert ".内景 厨房 - 夜 #3#" in lines
    assert "@小美 （画外音）" in lines and "（小声）" in lines
    assert "@Mom ^" in lines
    assert "!INT. THIS IS ACTION, NOT A HEADING" in lines
    assert "!BANG!" in lines and "!# not a section" in lines and "!!Bang" in lines
    assert "    indented action" in lines
    assert "> Dissolve slowly" in lines and "SMASH CUT TO:" in lines
    assert "@CUT TO:" in lines and "R2D2" in lines
    assert "> Centered <" in lines and "> two lines <" in lines
    assert ".SNIPER SCOPE POV" in lines and "EXT. PARK - DAY" in lines
    assert "Later: the kitchen." in lines
    assert lines[0] == "Title: Forced" and lines[1:4] == ["Notes:", "    line one", "    line two"]
    assert fountain.parse(text) == sp
    # without a title page, a first 'Key: value' paragraph would read as one
    bare = sp.model_copy(update={"title_page": {}})
    text = fountain.dump(bare)
    assert text.splitlines()[0] == "!Later: the kitchen."
    assert fountain.parse(text) == bare


def test_dual_without_a_partner_is_not_written() -> None:
    sp = Screenplay(scenes=[Scene(heading="INT. A - DAY", elements=[
        Action(text="Quiet."), Dialogue(character="ANN", text="Hi.", dual=True)])])
    text = fountain.dump(sp)
    assert "^" not in text
    assert fountain.parse(text).scenes[0].elements[1] == Dialogue(character="ANN", text="Hi.")


def test_load_and_save(tmp_path: Path) -> None:
    path = tmp_path / "screenplay.fountain"
    path.write_bytes(b"\xef\xbb\xbf" + CHINESE.replace("\n", "\r\n").encode("utf-8"))
    sp = fountain.load(path)
    assert sp == fountain.parse(CHINESE)
    out = tmp_path / "out" / "copy.fountain"
    fountain.save(sp, out)
    assert fountain.load(out) == sp
    assert not [p for p in out.parent.iterdir() if p.name != "copy.fountain"]  # no temp left
    with pytest.raises(SpecError, match="not found"):
        fountain.load(tmp_path / "missing.fountain")
    bad = tmp_path / "bad.fountain"
    bad.write_bytes(b"Title: x\n\nINT. A - DAY\n\n\xff\xfe broken\n")
    with pytest.raises(FountainError, match=r"bad\.fountain, line 5: not UTF-8") as exc:
        fountain.load(bad)
    assert exc.value.line == 5


ERRORS = [
    ("unclosed boneyard", "Title: x\n\nINT. A - DAY\n\nHi.\n\n/* cut this\nand this\n", 7,
     "boneyard '/*' is never closed"),
    ("unclosed note", "INT. A - DAY\n\nAnn waits. [[check\n\nthe light\n", 3,
     "note '[[' is never closed"),
    ("forced cue at end", "Title: x\n\n.内景 厨房 - 夜\n\n妈妈包饺子。\n\n@小美\n", 7,
     "'@小美' has no dialogue"),
    ("cue with extension and no words", "INT. A - DAY\n\nMOM (V.O.)\n\nShe waits.\n", 3,
     "'MOM (V.O.)' has no dialogue"),
    ("parenthetical only", "INT. A - DAY\n\nANN\n(nods)\n", 3, "parenthetical but no words"),
    ("dual with nobody before", "INT. A - DAY\n\nAnn waits.\n\nBOB ^\nHi.\n", 5,
     "no dialogue comes right before it"),
    ("dual at a new scene", "INT. A - DAY\n\nANN\nHi.\n\nINT. B - DAY\n\nBOB ^\nHi.\n", 8,
     "marked '^'"),
    ("empty forced cue", "INT. A - DAY\n\n@\nHello\n", 3, "no name follows"),
]


@pytest.mark.parametrize("name,text,line,message", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_name_file_and_line(name: str, text: str, line: int, message: str) -> None:
    with pytest.raises(FountainError) as exc:
        fountain.parse(text, source="film/screenplay.fountain")
    assert exc.value.line == line
    assert str(exc.value).startswith(f"film/screenplay.fountain, line {line}: ")
    assert message in str(exc.value)
    assert isinstance(exc.value, SpecError)


def test_lenient_where_apps_are() -> None:
    # heading straight into action, a lone uppercase line, an empty title value, stray '*/'
    sp = fountain.parse("Title: T\nAuthor:\n\nINT. HALL - DAY\nAnn runs in.\nTHE END\n\n"
                        "THE END\n\nHe shrugs */ and leaves.\n\nCUT TO:\nEXT. ROAD - DAY\n\n"
                        "Rain.\n")
    assert sp.title_page == {"Title": "T", "Author": ""}
    hall, road = sp.scenes
    assert hall.heading == "INT. HALL - DAY"
    assert hall.elements == [Action(text="Ann runs in.\nTHE END"), Action(text="THE END"),
                             Action(text="He shrugs */ and leaves."), Transition(text="CUT TO:")]
    assert road.elements == [Action(text="Rain.")]
    # a script with no title page that starts with FADE IN:
    sp = fountain.parse("FADE IN:\n\nEXT. ROAD - DAY\n\nRain.\n")
    assert sp.title_page == {} and sp.preamble == [Transition(text="FADE IN:")]
    assert fountain.parse("") == Screenplay()
