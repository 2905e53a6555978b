"""The LLM director through the local fake LLM server: validated, linted, re-asked, and the
house director's shots kept for a scene the model cannot direct."""

from __future__ import annotations

import json
from typing import Any

from microfilm.direction.lint import lint
from microfilm.providers.base import Capabilities
from microfilm.providers.llm.director import direct
from microfilm.providers.llm.openai_compat import OpenAICompatConfig, OpenAIWriter
from microfilm.spec import fountain
from microfilm.spec.brief import Brief
from microfilm.stages.board import plan
from tests.fakes.llm_server import FakeLLMServer, Raw, task_of
from tests.unit.test_direction_staging import BIBLE, SCRIPT

BRIEF = Brief.from_mapping({"title": "T", "genre": "touching-family", "language": "en",
                            "duration": 30, "logline": "x"})


def director(wrong_first: set[int]):
    """A fake director: frames who the house suggests, puts heard voices in `heard`; for the
    scenes in `wrong_first` it first puts the heard-only voice on screen (a lint error)."""
    asked: dict[int, int] = {}

    def respond(texts: list[str], system: str = "") -> dict[str, Any]:
        assert task_of(texts) == "shots"
        scene = json.loads(texts[0].split("\n", 2)[2])
        n = scene["scene"]
        asked[n] = asked.get(n, 0) + 1
        shots = []
        for s in scene["shots"]:
            on = list(s["house_suggestion"]["characters"])
            heard = [ln["speaker"] for ln in s["lines"] if ln["speaker"] not in on]
            if n in wrong_first and asked[n] == 1 and scene["heard_only"]:
                on.append(scene["heard_only"][0].split()[0])
            shots.append({"id": s["id"], "framing": "close-up", "camera": "static", "characters": on,
                          "positions": {c: "center" for c in on[:1]}, "heard": heard,
                          "action": "They wait by the window. " + " ".join(
                              f"A {p} is there." for p in scene["props_named"]), "motion": "breath, a blink",
                          "light": "lamp light", "sound": "rain on the window"})
        return {"shots": shots}
    return respond


def _backend(srv: FakeLLMServer):
    return OpenAIWriter(OpenAICompatConfig.from_env({
        "MICROFILM_LLM_BASE_URL": srv.openai_url, "MICROFILM_LLM_MODEL": "fake-model",
        "MICROFILM_LLM_API_KEY": "sk-test-000", "MICROFILM_LLM_TIMEOUT": "2",
        "MICROFILM_LLM_MAX_RETRIES": "0"})).backend


def test_the_llm_directs_every_scene_and_a_staging_error_is_sent_back():
    sp = fountain.parse(SCRIPT)
    with FakeLLMServer(director(wrong_first={1})) as srv:
        board, report = direct(BRIEF, BIBLE, sp, plan(BRIEF, BIBLE, sp, Capabilities()), _backend(srv))
    assert report.directed == [1, 2] and report.fallback == {}
    assert srv.tasks() == ["shots", "shots", "shots"]  # scene 1 asked twice
    retry = srv.requests[1].last_user
    assert "unusable" in retry and "only heard" in retry
    story = [s for s in board.shots if s.kind == "shot"]
    assert all(s.sound == "rain on the window" and s.framing == "close-up" for s in story)
    assert all("clara" not in s.characters for s in story if s.scene == 1)
    assert lint(board, sp, BIBLE) == []


def test_a_scene_the_model_cannot_direct_keeps_the_house_shots():
    sp = fountain.parse(SCRIPT)
    with FakeLLMServer(director(wrong_first=set())) as srv:
        srv.script(Raw("not json at all"), Raw("{}"), Raw('{"shots": []}'))
        board, report = direct(BRIEF, BIBLE, sp, plan(BRIEF, BIBLE, sp, Capabilities()), _backend(srv), attempts=3)
    assert report.directed == [2] and set(report.fallback) == {1}
    assert "shots" in report.fallback[1]
    scene1 = [s for s in board.shots if s.scene == 1 and s.kind == "shot"]
    assert scene1 and all(s.sound != "rain on the window" for s in scene1)  # the house shots
    assert lint(board, sp, BIBLE) == []


def test_a_film_with_an_llm_writer_is_directed_by_it(tmp_path, monkeypatch):
    from microfilm import api
    from microfilm.spec.storyboard import Storyboard
    from tests.fakes.llm_server import screenwriter

    shots = director(wrong_first=set())

    def respond(texts: list[str], system: str = "") -> dict[str, Any]:
        return shots(texts, system) if task_of(texts) == "shots" else screenwriter(texts, system)

    root = tmp_path / "film"
    api.new(root, title="Directed", genre="touching-family", logline="A daughter comes home.",
            language="en", duration=30, seed=3)
    toml = root / "film.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'writer = "house-writer"', 'writer = "openai-writer"'), encoding="utf-8")
    with FakeLLMServer(respond) as srv:
        for key, value in {"MICROFILM_LLM_BASE_URL": srv.openai_url, "MICROFILM_LLM_MODEL": "fake",
                           "MICROFILM_LLM_API_KEY": "sk-test-000"}.items():
            monkeypatch.setenv(key, value)
        api.make(root, stages=["research", "develop", "board"])
    assert "shots" in srv.tasks()
    story = [s for s in Storyboard.load(root / "storyboard.yaml").shots if s.kind == "shot"]
    assert story and all(s.light == "lamp light" for s in story)


def test_a_chinese_films_directed_shots_are_written_in_chinese():
    sp = fountain.parse(SCRIPT)
    brief = BRIEF.model_copy(update={"language": "zh"})
    with FakeLLMServer(director(wrong_first=set())) as srv:
        board, report = direct(brief, BIBLE, sp, plan(brief, BIBLE, sp, Capabilities()), _backend(srv))
    assert report.directed == [1, 2]
    for shot in (s for s in board.shots if s.kind == "shot"):
        assert shot.prompt.startswith("特写："), shot.prompt
        assert "光线：lamp light" in shot.prompt and "镜头：固定机位" in shot.prompt
        assert ("内景，" in shot.prompt) != ("外景，" in shot.prompt)
        assert not any(w in shot.prompt for w in ("lighting:", "camera:", "Close-up", "interior,"))
    assert lint(board, sp, BIBLE) == []
