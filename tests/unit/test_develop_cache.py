"""The develop stage's cache follows the writer's model as configured, not its class default.

An LLM writer takes its model from the environment; a draft cached under the class's default
model would come back after the model changed, even with --force (issue 10's bug). Runs
against the fake LLM server on 127.0.0.1 and reads which model each request named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from microfilm import api
from microfilm.spec.brief import Brief, ProviderChoice
from tests.fakes.llm_server import FakeLLMServer


def _film(folder: Path) -> Path:
    folder.mkdir()
    Brief(title="Dumplings", genre="touching-family", logline="A daughter comes home for New Year.",
          duration=30, providers=ProviderChoice(writer="openai-writer")).save(folder / "film.toml")
    return folder


def test_changing_the_writers_model_writes_a_new_draft(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _film(tmp_path / "film")
    with FakeLLMServer() as srv:
        monkeypatch.setenv("MICROFILM_LLM_BASE_URL", srv.openai_url)
        monkeypatch.setenv("MICROFILM_LLM_API_KEY", "sk-test-not-a-key")
        monkeypatch.setenv("MICROFILM_LLM_MODEL", "model-a")
        api.make(folder, stages=["develop"])
        first = [r.body.get("model") for r in srv.requests]
        assert first and set(first) == {"model-a"}
        screenplay_a = (folder / "screenplay.fountain").read_text(encoding="utf-8")

        api.make(folder, stages=["develop"], force=True)  # same model: the cached draft, no call
        assert len(srv.requests) == len(first)

        monkeypatch.setenv("MICROFILM_LLM_MODEL", "model-b")
        states = {s.name: s.state for s in api.status(folder).stages}
        assert states["develop"] == "stale"  # its writer's model changed
        api.make(folder, stages=["develop"], force=True)
        second = [r.body.get("model") for r in srv.requests[len(first):]]
        assert second and set(second) == {"model-b"}
    assert (folder / "screenplay.fountain").read_text(encoding="utf-8").strip()
    assert screenplay_a.strip()
