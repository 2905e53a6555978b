"""`check` on hand-written Fountain: each finding names its scene and its line.

The scripts below are Fountain as a screenwriter types it. They are read with
microfilm.spec.fountain when that module is present; otherwise the same script is built as
Screenplay objects by hand (SCRIPT_* below mirrors the text line for line), so the checks
are tested either way and the line numbers always come from the text.
"""

from __future__ import annotations

import pytest

from microfilm import form
from microfilm.checks import ACTION_PARAGRAPH_S, Finding, check, estimate_runtime
from microfilm.spec.bible import Bible, Character, Location
from microfilm.spec.brief import Brief
from microfilm.spec.screenplay import Action, Dialogue, Scene, Screenplay

try:  # the Fountain reader lands separately; use it when it is there
    from microfilm.spec import fountain as _fountain
except ImportError:  # pragma: no cover - depends on the tree
    _fountain = None


def read(text: str, built: Screenplay) -> Screenplay:
    return _fountain.parse(text) if _fountain is not None else built


BIBLE = Bible(
    theme="love that is never said aloud",
    time="",
    characters=[Character(id="ann", name="Ann"), Character(id="mom", name="Mom")],
    locations=[Location(id="kitchen", name="Kitchen"),
               Location(id="bus-station", name="Bus Station", interior=False)],
)

BROKEN = """\
Title: The Last Bus
Credit: Written by
Author: A. Writer
Time: Winter 2024, the night before New Year
Logline: A girl misses the last bus home and finds her mother waiting.

INT. KITCHEN - NIGHT

Mom folds dumplings. Steam fogs the window.

MOM
(softly)
Eat while they are hot.

ANN
I can't stay long.

EXT. BUS STATION - NIGHT

Snow. The timetable flickers.

DRIVER
Last bus left an hour ago.

ANN
Then I'll walk.

INT. ROOFTOP - DAWN

Ann watches the sun rise over the town.
"""

BROKEN_BUILT = Screenplay(
    title_page={"Title": "The Last Bus", "Credit": "Written by", "Author": "A. Writer",
                "Time": "Winter 2024, the night before New Year",
                "Logline": "A girl misses the last bus home and finds her mother waiting."},
    scenes=[
        Scene(heading="INT. KITCHEN - NIGHT", elements=[
            Action(text="Mom folds dumplings. Steam fogs the window."),
            Dialogue(character="MOM", parenthetical="softly", text="Eat while they are hot."),
            Dialogue(character="ANN", text="I can't stay long.")]),
        Scene(heading="EXT. BUS STATION - NIGHT", elements=[
            Action(text="Snow. The timetable flickers."),
            Dialogue(character="DRIVER", text="Last bus left an hour ago."),
            Dialogue(character="ANN", text="Then I'll walk.")]),
        Scene(heading="INT. ROOFTOP - DAWN", elements=[
            Action(text="Ann watches the sun rise over the town.")]),
    ],
)


def brief(duration: float = 30, language: str = "en") -> Brief:
    return Brief(title="The Last Bus", genre="touching-family", logline="A girl misses the bus.",
                 duration=duration, language=language)


def by_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def line_of(text: str, exact: str, nth: int = 1) -> int:
    hits = [n for n, line in enumerate(text.splitlines(), 1) if line == exact]
    return hits[nth - 1]


def test_broken_script_findings_name_scene_and_line() -> None:
    sp = read(BROKEN, BROKEN_BUILT)
    found = check(brief(), BIBLE, sp, BROKEN)

    (speaker,) = by_code(found, "unknown-speaker")
    assert speaker.severity == "error"
    assert (speaker.scene, speaker.heading) == (2, "EXT. BUS STATION - NIGHT")
    assert speaker.line == line_of(BROKEN, "DRIVER") == 22
    assert "DRIVER" in speaker.message and "Ann, Mom" in speaker.message

    (place,) = by_code(found, "unknown-location")
    assert (place.scene, place.line) == (3, line_of(BROKEN, "INT. ROOFTOP - DAWN"))
    assert "ROOFTOP" in place.message and "Kitchen, Bus Station" in place.message

    # the theme is in the bible but not on the title page: a warning that says what to add
    (theme,) = by_code(found, "theme-not-in-script")
    assert theme.severity == "warning" and "Theme: love that is never said aloud" in theme.message
    assert theme.line == 1
    assert "line 22, scene 2 (EXT. BUS STATION - NIGHT)" in str(speaker)
    # errors come first
    assert [f.severity for f in found] == sorted((f.severity for f in found), key=lambda s: s != "error")


def test_missing_theme_time_and_logline_are_errors() -> None:
    text = BROKEN.replace("Time: Winter 2024, the night before New Year\n", "").replace(
        "Logline: A girl misses the last bus home and finds her mother waiting.\n", "")
    built = BROKEN_BUILT.model_copy(update={"title_page": {"Title": "The Last Bus"}})
    bible = BIBLE.model_copy(update={"theme": ""})
    found = check(brief(), bible, read(text, built), text)
    codes = {f.code for f in found if f.severity == "error"}
    assert {"missing-theme", "missing-time", "missing-plot"} <= codes
    for f in by_code(found, "missing-theme"):
        assert "Theme:" in f.message and f.line == 1


def test_missing_place_and_characters() -> None:
    sp = Screenplay(title_page={"Theme": "t", "Time": "now", "Logline": "a story"},
                    scenes=[Scene(heading=".", elements=[Action(text="Something happens.")])])
    found = check(brief(), Bible(), sp)
    codes = {f.code for f in found}
    assert "missing-place" in codes and "missing-characters" in codes
    assert by_code(found, "missing-place")[0].scene == 1


def test_too_long_script_is_over_the_cap_and_names_the_longest_scene() -> None:
    lines = ["Title: Long", "Theme: patience", "Time: one long night", "Logline: It goes on.", ""]
    scenes = []
    for k, (count) in enumerate((40, 150, 40), 1):
        heading = "INT. KITCHEN - NIGHT" if k != 2 else "EXT. BUS STATION - NIGHT"
        lines += [heading, ""]
        elements = []
        for j in range(count):
            text = f"Line {j} goes on about the weather and the bus and the long cold night ahead."
            lines += ["ANN" if j % 2 else "MOM", text, ""]
            elements.append(Dialogue(character="ANN" if j % 2 else "MOM", text=text))
        scenes.append(Scene(heading=heading, elements=elements))
    text = "\n".join(lines)
    built = Screenplay(title_page={"Title": "Long", "Theme": "patience", "Time": "one long night",
                                   "Logline": "It goes on."}, scenes=scenes)
    sp = read(text, built)
    rt = estimate_runtime(sp, "en")
    assert rt.total > form.MAX_DURATION_S
    found = check(brief(duration=540), BIBLE, sp, text)
    (cap,) = by_code(found, "over-cap")
    assert cap.severity == "error" and "10:00" in cap.message
    assert cap.scene == 2 and cap.line == line_of(text, "EXT. BUS STATION - NIGHT")
    assert by_code(found, "off-target")  # 540 s +15% is also exceeded


def test_runtime_estimate_and_target() -> None:
    sp = read(BROKEN, BROKEN_BUILT)
    rt = estimate_runtime(sp, "en")
    assert rt.action == 3 * ACTION_PARAGRAPH_S
    speech = sum(form.speech_seconds(t, "en") for t in (
        "Eat while they are hot.", "I can't stay long.", "Last bus left an hour ago.",
        "Then I'll walk."))
    assert rt.dialogue == pytest.approx(speech)
    assert rt.total == pytest.approx(speech + 9 + form.TITLE_CARD_S + form.CREDITS_CARD_S)
    assert not by_code(check(brief(duration=round(rt.total)), BIBLE, sp, BROKEN), "off-target")
    (off,) = by_code(check(brief(duration=90), BIBLE, sp, BROKEN), "off-target")
    assert "15%" in off.message and "add about" in off.message


ZH = """\
Title: 饺子
Theme: 说不出口的爱
Time: 2024年除夕前夜
Logline: 女儿回家过年，发现母亲隐瞒了病情。

.内景 厨房 - 夜

妈妈包着饺子，蒸汽模糊了窗户。

@妈妈
饺子要趁热吃。

@小安
妈，你为什么不告诉我？

@爸爸
(低声)
别怪你妈。
"""

ZH_BUILT = Screenplay(
    title_page={"Title": "饺子", "Theme": "说不出口的爱", "Time": "2024年除夕前夜",
                "Logline": "女儿回家过年，发现母亲隐瞒了病情。"},
    scenes=[Scene(heading="内景 厨房 - 夜", elements=[
        Action(text="妈妈包着饺子，蒸汽模糊了窗户。"),
        Dialogue(character="妈妈", text="饺子要趁热吃。"),
        Dialogue(character="小安", text="妈，你为什么不告诉我？"),
        Dialogue(character="爸爸", parenthetical="低声", text="别怪你妈。")])],
)


def test_chinese_script_unknown_speaker_and_complete_elements() -> None:
    bible = Bible(theme="说不出口的爱", time="除夕",
                  characters=[Character(id="an", name="小安"), Character(id="ma", name="妈妈")],
                  locations=[Location(id="kitchen", name="厨房")])
    sp = read(ZH, ZH_BUILT)
    found = check(brief(duration=20, language="zh"), bible, sp, ZH)
    (who,) = by_code(found, "unknown-speaker")
    assert who.scene == 1 and who.line == line_of(ZH, "@爸爸") and "爸爸" in who.message
    assert not by_code(found, "unknown-location")
    assert not [f for f in found if f.code.startswith("missing-")]
