"""Starting a film from a person's own script: Fountain (Chinese, dual dialogue, notes), a
Final Draft .fdx as the app writes it, and a plain-text/Markdown script."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from microfilm import checks
from microfilm.assist.script_import import detect_format, read_script, start_film
from microfilm.cache import WrittenFiles
from microfilm.cli.app import app
from microfilm.errors import SpecError
from microfilm.pipeline import context
from microfilm.project import Project
from microfilm.spec import fdx, fountain
from microfilm.spec.bible import Bible
from microfilm.spec.screenplay import Dialogue, Note
from microfilm.stages import develop

SCRIPTS = Path(__file__).parents[1] / "scripts"


def _check(root: Path) -> list[checks.Finding]:
    p = Project.at(root)
    text = p.screenplay.read_text("utf-8")
    return checks.check(p.brief(), Bible.load(p.bible), fountain.parse(text), text)


def test_chinese_fountain_kept_byte_for_byte_and_checks_clean(tmp_path: Path) -> None:
    src = SCRIPTS / "dumplings.zh.fountain"
    result = CliRunner().invoke(app, ["new", str(tmp_path / "f"), "--from", str(src)])
    assert result.exit_code == 0, result.output
    p = Project.at(tmp_path / "f")
    assert p.screenplay.read_bytes() == src.read_bytes()
    brief = p.brief()
    assert (brief.language, brief.genre.value, brief.title) == ("zh", "touching-family", "外婆的饺子")
    sp = fountain.parse(p.screenplay.read_text("utf-8"))
    assert abs(brief.duration - checks.estimate_runtime(sp, "zh").total) < 1
    bible = Bible.load(p.bible)
    # the V.O.-only mother is a character; both places come from the headings
    assert {c.name for c in bible.characters} == {"外婆", "小雨", "妈妈"}
    assert all(c.look and c.wardrobe for c in bible.characters)
    assert {loc.name for loc in bible.locations} == {"外婆家厨房", "楼下小路"}
    assert [loc.interior for loc in bible.locations] == [True, False]
    assert bible.character("外婆").voice.gender == "female"
    assert (bible.theme, bible.time) == ("家人之间说不出口的爱", "2024年除夕")
    dual = [e for s in sp.scenes for e in s.elements if isinstance(e, Dialogue) and e.dual]
    assert [d.character for d in dual] == ["外婆"]
    assert any(isinstance(e, Note) for e in sp.scenes[0].elements)
    assert [f for f in _check(p.root) if f.severity == "error"] == []
    # recorded as the person's edit against develop's inputs: make keeps it, no writer runs
    written = WrittenFiles(p.root)
    assert written.edited_by_hand("screenplay.fountain") and written.edited_by_hand("bible.yaml")
    outcome = develop.run(context(p))
    assert not outcome.ran
    assert p.screenplay.read_bytes() == src.read_bytes()


def test_final_draft_file(tmp_path: Path) -> None:
    sp = fdx.parse((SCRIPTS / "last-bus.fdx").read_bytes(), "last-bus.fdx")
    assert sp.title_page["Title"] == "The Last Bus" and sp.title_page["Author"] == "Ann Lee"
    assert [s.heading for s in sp.scenes] == ["EXT. BUS STOP - NIGHT", "INT. BUS - CONTINUOUS"]
    assert [s.number for s in sp.scenes] == ["1", "2"]
    lines = [e for s in sp.scenes for e in s.elements if isinstance(e, Dialogue)]
    assert [(d.character, d.extension, d.parenthetical, d.dual) for d in lines[:4]] == [
        ("DRIVER", "O.S.", "", False), ("TOM", "", "to himself", False),
        ("LILY", "", "", False), ("TOM", "", "", True)]
    assert "TOM (60s) waits" in sp.scenes[0].elements[0].text  # styled runs joined
    assert any(isinstance(e, Note) and "quiet" in e.text for e in sp.scenes[0].elements)
    root, _ = start_film(tmp_path / "bus", (SCRIPTS / "last-bus.fdx").read_bytes(), "last-bus.fdx",
                         genre="touching-family", logline="A father waits for the last bus.")
    text = (root / "screenplay.fountain").read_text("utf-8")
    assert fountain.parse(text).scenes == sp.scenes  # converted without loss
    assert "Logline: A father waits for the last bus." in text
    assert (root / "refs" / "script" / "last-bus.fdx").read_bytes() == (SCRIPTS / "last-bus.fdx").read_bytes()
    bible = Bible.load(root / "bible.yaml")
    assert bible.character("LILY").voice.gender == "female"
    assert bible.character("DRIVER") is not None  # heard only off screen, still cast
    assert [f for f in _check(root) if f.severity == "error"] == []


def test_plain_text_markdown_script(tmp_path: Path) -> None:
    root, imported = start_film(tmp_path / "c", (SCRIPTS / "coffee.md").read_bytes(), "coffee.md",
                                genre="youth-romance")
    assert imported.format == "plaintext"
    sp = imported.screenplay
    assert sp.title_page["Title"] == "The Coffee Cart"
    assert len(sp.scenes) == 3
    said = [(d.character, d.text, d.extension, d.parenthetical) for s in sp.scenes for d in s.dialogue()]
    assert ("Mark", "Two more for whoever comes next.", "", "to himself") in said
    assert ("MARK", "Some mornings everybody needs one free cup.", "V.O.", "") in said
    assert ("JUNE", "Who keeps paying extra?", "", "") in said
    assert len(Bible.load(root / "bible.yaml").characters) == 2  # Mark and MARK are one
    assert [f for f in _check(root) if f.severity == "error"] == []


def test_chinese_plain_text_with_colon_lines() -> None:
    text = "片名：雨夜\n\n第一场 内景 便利店 - 夜\n\n雨打在玻璃上。\n\n小美（轻声）：你又来了。\n阿杰：嗯，买伞。\n\n淡出。\n"
    assert detect_format("", text.encode()) == "plaintext"
    sp = read_script(text.encode(), "paste").screenplay
    assert sp.title_page == {"Title": "雨夜"}
    assert sp.scenes[0].heading == "内景 便利店 - 夜"
    assert [(d.character, d.parenthetical, d.text) for d in sp.scenes[0].dialogue()] == [
        ("小美", "轻声", "你又来了。"), ("阿杰", "", "嗯，买伞。")]


def test_direction_words_before_a_colon_are_action_not_speakers() -> None:
    text = ("INT. KITCHEN - NIGHT\n\nAnna: Are you staying?\n\nLater: she leaves the keys.\n\n"
            "Meanwhile: the kettle boils.\n\nBen: No.\n")
    scene = read_script(text.encode(), "paste").screenplay.scenes[0]
    assert [(d.character, d.text) for d in scene.dialogue()] == [("Anna", "Are you staying?"), ("Ben", "No.")]
    actions = [e.text for e in scene.elements if type(e).__name__ == "Action"]
    assert actions == ["Later: she leaves the keys.", "Meanwhile: the kettle boils."]


@pytest.mark.parametrize("name,data,line,words", [
    ("bad.fdx", b'<?xml version="1.0"?>\n<FinalDraft>\n<Content>\n<Paragraph Type="Action">\n'
                b"<Text>unclosed</Paragraph>\n</Content></FinalDraft>", 5, "not well-formed"),
    ("bomb.fdx", b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
                 b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>\n<FinalDraft>&lol2;</FinalDraft>',
     2, "DOCTYPE"),
    ("xxe.fdx", b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                b"\n<FinalDraft><Content/></FinalDraft>", 2, "refused"),
    ("cue.fdx", b'<FinalDraft DocumentType="Script"><Content>\n<Paragraph Type="Scene Heading">'
                b'<Text>INT. A - DAY</Text></Paragraph>\n<Paragraph Type="Character"><Text>BO'
                b'</Text></Paragraph>\n<Paragraph Type="Action"><Text>x</Text></Paragraph>'
                b"</Content></FinalDraft>", 3, "no dialogue"),
    ("script.txt", b"INT. ROOM - DAY\n\nA chair.\n\nBOB (V.O.)\n\nINT. HALL - DAY\n", 5, "nothing to say"),
    ("notes.txt", b"Just some thoughts\nabout a film\n", 1, "no scene heading"),
    ("latin1.txt", "INT. CAF\u00c9 - DAY\n\nNo.\n".encode("latin-1"), 1, "not UTF-8"),
    ("s.fountain", b"Title: X\n\nINT. A - DAY\n\n/* cut\n\nBOB\nhi\n", 5, "boneyard"),
])
def test_unreadable_scripts_name_the_line(tmp_path: Path, name: str, data: bytes, line: int,
                                          words: str) -> None:
    with pytest.raises(SpecError) as err:
        start_film(tmp_path / "x", data, name, genre="touching-family", logline="x")
    assert getattr(err.value, "line", None) == line, str(err.value)
    assert words in str(err.value) and name in str(err.value)
    assert not (tmp_path / "x").exists()  # nothing written


def test_missing_logline_is_asked_for(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="--logline"):
        start_film(tmp_path / "b", (SCRIPTS / "last-bus.fdx").read_bytes(), "last-bus.fdx",
                   genre="touching-family")
    assert not (tmp_path / "b").exists()
