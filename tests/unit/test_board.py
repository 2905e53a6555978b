"""Board: shots fitted to what the animator renders, timed like the script, with a
character's look in the same words in every shot that shows them."""

from __future__ import annotations

import pytest

from microfilm import checks, form
from microfilm.providers.base import Capabilities
from microfilm.providers.house.writer import write
from microfilm.spec.brief import Brief
from microfilm.stages.board import plan

CONTINUOUS = Capabilities()
KLING = Capabilities(durations=(5, 10), max_duration=10)
SORA = Capabilities(durations=(4, 8, 12), max_duration=12)


def _draft(genre: str, language: str, duration: float, seed: int):
    brief = Brief.from_mapping({"title": "Test", "genre": genre, "language": language,
                                "duration": duration, "logline": "A test film.", "seed": seed})
    return brief, write(brief, seed=seed)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("duration", [40, 90, 180])
def test_board_runtime_matches_the_scripts_estimate(language, duration):
    brief, draft = _draft("touching-family", language, duration, seed=3)
    board = plan(brief, draft.bible, draft.screenplay, CONTINUOUS)
    estimate = checks.estimate_runtime(draft.screenplay, language).total
    assert abs(board.duration - estimate) <= 0.15 * estimate, (board.duration, estimate)
    assert abs(board.duration - duration) <= 0.2 * duration
    for shot in board.shots:  # whole frames, so segments join without drift
        frames = shot.duration * form.FPS
        assert abs(frames - round(frames)) < 0.01, shot


@pytest.mark.parametrize("caps", [KLING, SORA], ids=["5-10s", "4-8-12s"])
def test_shots_use_only_lengths_the_animator_renders(caps):
    brief, draft = _draft("youth-romance", "en", 90, seed=8)
    board = plan(brief, draft.bible, draft.screenplay, caps)
    story = [s for s in board.shots if s.kind == "shot"]
    assert story
    for shot in story:
        assert shot.duration in caps.durations, shot
        assert shot.duration <= caps.max_duration
        for line in shot.lines:  # every line is heard inside its own shot
            assert line.start + line.duration <= shot.duration + 1e-6, (shot.id, line)


def test_a_characters_look_is_the_same_words_in_every_shot():
    brief, draft = _draft("inspirational-struggle", "zh", 90, seed=2)
    board = plan(brief, draft.bible, draft.screenplay, CONTINUOUS)
    for c in draft.bible.characters:
        showing = [s for s in board.shots if c.id in s.characters]
        if not showing:
            continue
        words = f"{c.look}；穿着{c.wardrobe}"  # a Chinese board says it in Chinese
        for shot in showing:
            assert words in shot.prompt, (c.id, shot.id, shot.prompt)


def test_every_dialogue_line_is_in_the_board_once():
    brief, draft = _draft("grassroots-spoof", "en", 60, seed=4)
    board = plan(brief, draft.bible, draft.screenplay, KLING)
    script = [d.text for sc in draft.screenplay.scenes for d in sc.dialogue()]
    boarded = [ln.text for s in board.shots for ln in s.lines]
    assert boarded == script
