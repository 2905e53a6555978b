"""Board lint: a board that stages the script wrong is caught, shot and line named."""

from __future__ import annotations

from microfilm import checks
from microfilm.direction.lint import lint
from microfilm.providers.base import Capabilities
from microfilm.spec import fountain
from microfilm.spec.brief import Brief
from microfilm.stages.board import plan
from tests.unit.test_direction_staging import BIBLE, SCRIPT

BRIEF = Brief.from_mapping({"title": "T", "genre": "touching-family", "language": "en",
                            "duration": 30, "logline": "x"})


def _board():
    sp = fountain.parse(SCRIPT)
    return sp, plan(BRIEF, BIBLE, sp, Capabilities())


def test_the_house_board_has_no_staging_error():
    sp, board = _board()
    assert lint(board, sp, BIBLE) == []


def test_each_staging_error_is_found_with_its_shot_and_line(tmp_path):
    sp, board = _board()
    shots = {s.id: s for s in board.shots}
    first = board.shots[1]  # scene 1 opens: Howard waits, Clara is a voice on the phone
    assert first.scene == 1 and "sc01-l01" in first.covers
    first.characters.append("clara")  # the heard-only voice put on screen
    first.prompt = first.prompt.replace("Interior", "Exterior, outdoors at noon, daylight")
    later = next(s for s in board.shots if s.scene == 2 and s.lines)
    later.characters.append("lin")  # heard-only in scene 2
    later.lines[0] = later.lines[0].model_copy(update={"character": "howard"})
    later.characters.remove("howard") if "howard" in later.characters else None
    for s in board.shots:  # nobody shows the suitcase any more
        if s.scene == 2:
            s.prompt = s.prompt.replace("suitcase", "box")
            s.action = s.action.replace("suitcase", "box")
    found = {(f.code, f.shot, f.line) for f in lint(board, sp, BIBLE)}
    assert ("heard-on-screen", first.id, "sc01-l01") in found
    assert any(c == "prompt-place" and s == first.id for c, s, _ in found)
    assert any(c == "prompt-time" and s == first.id for c, s, _ in found)
    assert ("heard-on-screen", later.id, "sc02-l03") in found
    assert ("speaker-nowhere", later.id, later.lines[0].line_id) in found
    assert any(c == "prop-not-shown" and shots[s].scene == 2 for c, s, _ in found)
    # and `microfilm check` reports them once a storyboard exists
    path = tmp_path / "storyboard.yaml"
    assert checks.check_board(path, BIBLE, sp) == []
    board.save(path)
    codes = [f.code for f in checks.check_board(path, BIBLE, sp)]
    assert "board-heard-on-screen" in codes and all(f.severity == "error"
                                                    for f in checks.check_board(path, BIBLE, sp))


def test_a_line_no_shot_plays_is_found():
    sp, board = _board()
    for s in board.shots:
        if "sc01-l02" in s.covers:
            s.lines = [ln for ln in s.lines if ln.line_id != "sc01-l02"]
    assert any(f.code == "line-not-played" and f.line == "sc01-l02" for f in lint(board, sp, BIBLE))


def test_hand_edits_to_the_direction_fields_are_kept_on_a_reboard(tmp_path):
    from microfilm import api
    from microfilm.spec.storyboard import Storyboard

    root = tmp_path / "film"
    api.new(root, title="Edits", genre="touching-family", logline="A father waits for a call.",
            language="en", duration=30, seed=5)
    api.make(root, stages=["research", "develop", "board"])
    path = root / "storyboard.yaml"
    board = Storyboard.load(path)
    shot = next(s for s in board.shots if s.kind == "shot" and s.characters)
    shot.light = "one bare bulb, hard shadows"
    shot.motion = "rain runs down the window behind them"
    shot.positions = {cid: "right" for cid in shot.characters}
    board.save(path)
    assert api.make(root, stages=["board"]).outcomes[0].message == "storyboard is up to date"
    bible = root / "bible.yaml"  # an upstream change re-boards: the hand edits still win
    bible.write_text(bible.read_text(encoding="utf-8").replace("look: ", "look: tall, ", 1),
                     encoding="utf-8")
    report = api.make(root, stages=["board"], edit_policy="keep")
    assert "kept your edits" in report.outcomes[0].message
    again = next(s for s in Storyboard.load(path).shots if s.id == shot.id)
    assert again.light == "one bare bulb, hard shadows" and again.motion.startswith("rain runs")
    assert set(again.positions.values()) == {"right"}
