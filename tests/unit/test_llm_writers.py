"""The LLM writers against a fake server on 127.0.0.1 that speaks both APIs.

Every test uses short client timeouts and a bounded number of scripted replies; assertions
read what the server actually received (how many requests, what they asked for) and the
Draft that came back (validated, with the five elements and known speakers/locations).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from microfilm.checks import check
from microfilm.providers.base import DevelopRequest, Draft
from microfilm.providers.llm.anthropic_writer import AnthropicConfig, AnthropicWriter
from microfilm.providers.llm.openai_compat import (
    SERVICES,
    OpenAICompatConfig,
    OpenAIWriter,
    service_for,
)
from microfilm.providers.llm.schemas import Outline
from microfilm.providers.llm.stepwise import WriterError, chunk_scenes, plan_calls
from microfilm.providers.llm.structured import (
    Message,
    Reply,
    StructuredOutputError,
    generate,
    parse_json,
    repair_json,
    wire_schema,
)
from microfilm.spec.brief import Brief
from tests.fakes.llm_server import (
    FakeLLMServer,
    Hang,
    Mangle,
    Raw,
    Refuse,
    Status,
    Truncated,
    Valid,
)

SECRET = "sk-test-DO-NOT-LOG-1234567890"


def brief(language: str = "en", duration: float = 90, **kw) -> Brief:
    return Brief(title="Dumplings" if language == "en" else "饺子", genre="touching-family",
                 logline="A daughter comes home for New Year.", language=language,
                 duration=duration, **kw)


def openai_writer(srv: FakeLLMServer, **env: str) -> OpenAIWriter:
    base = {"MICROFILM_LLM_BASE_URL": srv.openai_url, "MICROFILM_LLM_MODEL": "fake-model",
            "MICROFILM_LLM_API_KEY": SECRET, "MICROFILM_LLM_TIMEOUT": "0.5",
            "MICROFILM_LLM_MAX_RETRIES": "2"}
    base.update(env)
    return OpenAIWriter(OpenAICompatConfig.from_env(base))


def anthropic_writer(srv: FakeLLMServer, mode: str = "format") -> AnthropicWriter:
    return AnthropicWriter(AnthropicConfig.from_env({
        "ANTHROPIC_API_KEY": SECRET, "MICROFILM_ANTHROPIC_BASE_URL": srv.anthropic_url,
        "MICROFILM_ANTHROPIC_JSON": mode, "MICROFILM_LLM_TIMEOUT": "0.5",
        "MICROFILM_LLM_MAX_RETRIES": "2"}))


def assert_good_draft(draft: Draft, b: Brief) -> None:
    again = Draft.model_validate_json(draft.model_dump_json())
    assert again == draft
    sp = draft.screenplay
    assert sp.title_page["Theme"] and sp.title_page["Time"] and sp.title_page["Logline"]
    assert len(sp.scenes) >= len(b.preset.beats)
    for scene in sp.scenes:
        assert draft.bible.location(scene.location) is not None, scene.heading
        for d in scene.dialogue():
            assert draft.bible.character(d.character) is not None, d.character
    errors = [f for f in check(b, draft.bible, sp) if f.severity == "error"]
    assert errors == []


# ---- repair -------------------------------------------------------------------------------


@pytest.mark.parametrize("broken, expected", [
    ('```json\n{"a": 1, "b": [1, 2,],}\n```', {"a": 1, "b": [1, 2]}),
    ('Here is the JSON you asked for:\n{"a": "x"}\nHope this helps!', {"a": "x"}),
    ('｛"名字"：“安”，"年龄"：28｝', {"名字": "安", "年龄": 28}),
    ('{"text": "他说"好"，然后走了", "n": 1}', {"text": '他说"好"，然后走了', "n": 1}),
    ('{"text": "She said "no" and left", "n": 2}', {"text": 'She said "no" and left', "n": 2}),
    ('{"ok": True, "none": None, \'k\': \'v\'}', {"ok": True, "none": None, "k": "v"}),
    ('{"a": "line one\nline two"}', {"a": "line one\nline two"}),
    ('{"scenes": [{"n": 1, "t": "ab"}, {"n": 2, "t": "cut here', {"scenes": [{"n": 1, "t": "ab"}, {"n": 2, "t": "cut here"}]}),
    ('{"scenes": [{"n": 1}, {"n": 2, "t":', {"scenes": [{"n": 1}, {"n": 2, "t": None}]}),
    ('{"a": 1 "b": 2}', {"a": 1, "b": 2}),
    ('{"a": 1, // note\n "b": 2}', {"a": 1, "b": 2}),
])
def test_repair_json_fixes_what_models_break(broken: str, expected: object) -> None:
    data, notes = parse_json(broken)
    assert data == expected
    assert notes, "a repaired reply must say what was repaired"


def test_reasoning_blocks_and_shape_slips_are_undone() -> None:
    data, notes = parse_json('<think>The user wants {"a": 1}? Let me think.</think>\n{"a": 2, "b": "y"}')
    assert data == {"a": 2, "b": "y"} and "removed the model's <think> block" in notes
    backend = ScriptedBackend([Reply('{"pair": {"a": 1, "b": "x"}}')])
    assert generate(backend, Pair, name="pair", system="s", prompt="p").attempts == 1
    backend = ScriptedBackend([Reply('[{"number": 1, "lines": []}]')])
    from microfilm.providers.llm.schemas import SceneDialogues

    result = generate(backend, SceneDialogues, name="dialogue", system="s", prompt="p")
    assert result.value.scenes[0].number == 1 and any("bare list" in r for r in result.repairs)


def test_repair_json_keeps_fullwidth_punctuation_inside_strings() -> None:
    text, _ = repair_json('{"line"："好，走吧：现在。"，}')
    assert json.loads(text) == {"line": "好，走吧：现在。"}


def test_parse_json_refuses_what_is_not_json() -> None:
    with pytest.raises(ValueError, match="no JSON"):
        parse_json("I'm sorry, I cannot produce that.")
    with pytest.raises(ValueError, match="empty"):
        parse_json("   ")


def test_wire_schema_is_closed_and_unconstrained() -> None:
    schema = wire_schema(Outline)
    scene = schema["$defs"]["OutlineScene"]
    assert scene["additionalProperties"] is False
    assert set(scene["required"]) == set(scene["properties"])
    text = json.dumps(schema)
    for keyword in ("minLength", "minimum", "exclusiveMinimum", "maxItems"):
        assert keyword not in text


# ---- the structured loop without a server -------------------------------------------------


class Pair(BaseModel):
    a: int
    b: str


class ScriptedBackend:
    label = "scripted"

    def __init__(self, replies: list[Reply]):
        self.replies = list(replies)
        self.seen: list[list[Message]] = []
        self.budgets: list[int] = []

    def complete(self, messages, spec, max_tokens):  # noqa: ANN001
        self.seen.append(list(messages))
        self.budgets.append(max_tokens)
        return self.replies.pop(0)


def test_generate_feeds_the_validation_error_back_and_succeeds() -> None:
    backend = ScriptedBackend([Reply('{"a": "not a number", "b": "x"}'), Reply('{"a": 3, "b": "x"}')])
    result = generate(backend, Pair, name="pair", system="s", prompt="p")
    assert result.value == Pair(a=3, b="x") and result.attempts == 2
    feedback = backend.seen[1][-1].content
    assert "a:" in feedback and "integer" in feedback


def test_generate_asks_again_with_a_bigger_budget_after_a_cut_off_reply() -> None:
    backend = ScriptedBackend([Reply('{"a": 3, "b": "xy', finish="length"), Reply('{"a": 3, "b": "x"}')])
    result = generate(backend, Pair, name="pair", system="s", prompt="p", max_tokens=1000)
    assert result.attempts == 2
    assert backend.budgets == [1000, 1500]
    assert "cut off" in backend.seen[1][-1].content


def test_generate_gives_up_after_the_bound_with_every_problem() -> None:
    backend = ScriptedBackend([Reply("nope"), Reply('{"a": 1}'), Reply("[]")])
    with pytest.raises(StructuredOutputError) as info:
        generate(backend, Pair, name="pair", system="s", prompt="p", attempts=3)
    assert len(info.value.attempts) == 3 and len(backend.seen) == 3
    assert "no valid pair after 3 attempt(s)" in str(info.value)


# ---- OpenAI-compatible writer through the fake server -------------------------------------


def test_openai_writer_writes_a_valid_draft_in_steps(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    b = brief()
    with FakeLLMServer() as srv:
        draft = openai_writer(srv).develop(DevelopRequest(brief=b))
    assert srv.tasks() == ["bible", "outline", "scenes", "dialogue"]
    first = srv.requests[0]
    assert first.body["response_format"]["type"] == "json_schema"
    assert first.body["response_format"]["json_schema"]["name"] == "bible"
    assert first.headers["authorization"] == f"Bearer {SECRET}"
    assert_good_draft(draft, b)
    assert SECRET not in caplog.text


def test_chinese_film_through_a_json_object_service() -> None:
    b = brief("zh")
    with FakeLLMServer() as srv:
        writer = openai_writer(srv, MICROFILM_LLM_JSON_MODE="json_object")
        draft = writer.develop(DevelopRequest(brief=b))
    assert all(r.body["response_format"] == {"type": "json_object"} for r in srv.requests)
    # json_object mode needs the word JSON and the schema in the prompt itself
    assert "JSON schema of the reply" in srv.requests[1].last_user
    assert draft.screenplay.scenes[0].heading.startswith("内景 厨房")
    assert any("\u4e00" <= ch <= "\u9fff" for d in draft.screenplay.scenes[0].dialogue() for ch in d.text)
    assert_good_draft(draft, b)


def test_broken_json_is_repaired_without_asking_again() -> None:
    def break_it(text: str) -> str:
        text = text.replace('", "', '"，"').replace("}]", "},]")
        return "```json\n" + text + "\n```\nLet me know if you need changes."

    with FakeLLMServer() as srv:
        srv.script(Mangle(break_it), Mangle(break_it), Mangle(break_it), Mangle(break_it))
        draft = openai_writer(srv).develop(DevelopRequest(brief=brief()))
    assert len(srv.requests) == 4  # no re-asks: all four replies were repaired
    assert_good_draft(draft, brief())


def test_unusable_reply_is_asked_again_with_the_error() -> None:
    with FakeLLMServer() as srv:
        srv.script(Valid(), Raw('{"scenes": [{"number": "one"}]}'))
        draft = openai_writer(srv).develop(DevelopRequest(brief=brief()))
    assert srv.tasks() == ["bible", "outline", "outline", "scenes", "dialogue"]
    retry = srv.requests[2]
    assert "unusable" in retry.last_user and "scenes.0" in retry.last_user
    assert retry.body["messages"][-2]["role"] == "assistant"
    assert_good_draft(draft, brief())


def test_cut_off_reply_is_asked_again_with_more_tokens() -> None:
    with FakeLLMServer() as srv:
        srv.script(Truncated(0.6))
        openai_writer(srv).develop(DevelopRequest(brief=brief()))
    assert srv.tasks()[:2] == ["bible", "bible"]
    assert srv.requests[1].body["max_tokens"] > srv.requests[0].body["max_tokens"]


def test_429_is_retried_after_retry_after(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeLLMServer() as srv:
        srv.script(Status(429, {"Retry-After": "1"}, "slow down"))
        draft = openai_writer(srv).develop(DevelopRequest(brief=brief()))
    assert [r.answered for r in srv.requests[:2]] == ["Status", "Valid"]
    assert srv.requests[1].at - srv.requests[0].at >= 0.9  # the server's wait was honoured
    assert_good_draft(draft, brief())
    assert "429" in caplog.text and SECRET not in caplog.text


def test_a_server_that_never_answers_in_time_fails_clearly() -> None:
    with FakeLLMServer() as srv:
        srv.script(Hang(1.0), Hang(1.0), Hang(1.0))
        with pytest.raises(WriterError) as info:
            openai_writer(srv).develop(DevelopRequest(brief=brief()))
    assert len(srv.requests) == 3  # one try and two client retries, then no more
    assert "no answer within 0.5 s" in str(info.value) and info.value.step == "bible"
    assert info.value.partial.bible is None


def test_500_and_timeout_are_retried_by_the_client() -> None:
    with FakeLLMServer() as srv:
        srv.script(Valid(), Status(500), Hang(1.5))
        draft = openai_writer(srv).develop(DevelopRequest(brief=brief()))
    assert [r.answered for r in srv.requests[:4]] == ["Valid", "Status", "Hang", "Valid"]
    assert srv.tasks()[1:4] == ["outline"] * 3
    assert_good_draft(draft, brief())


def test_refusal_fails_clearly_and_keeps_the_bible(tmp_path: Path) -> None:
    b = brief()
    with FakeLLMServer() as srv:
        srv.script(Valid(), Refuse("I won't write this story."))
        with pytest.raises(WriterError) as info:
            openai_writer(srv).develop(DevelopRequest(brief=b, out=tmp_path))
    err = info.value
    assert err.step == "outline"
    assert err.partial.bible is not None and err.partial.outline is None
    assert "declined" in str(err) and "bible (2 characters, 2 locations)" in str(err)
    assert len(srv.requests) == 2  # a refusal is not asked again
    saved = json.loads((tmp_path / "writer-progress.json").read_text(encoding="utf-8"))
    assert saved["bible"]["characters"][0]["id"] == "ann"
    assert SECRET not in str(err)

    # the re-run resumes: the bible is not asked for (or paid for) again
    with FakeLLMServer() as srv2:
        draft = openai_writer(srv2).develop(DevelopRequest(brief=b, out=tmp_path))
    assert srv2.tasks() == ["outline", "scenes", "dialogue"]
    assert_good_draft(draft, b)
    assert not (tmp_path / "writer-progress.json").exists()


def test_persistent_server_errors_fail_with_partial_progress(tmp_path: Path) -> None:
    with FakeLLMServer() as srv:
        srv.script(Valid(), Valid(), Valid(), Status(500), Status(500), Status(500))
        with pytest.raises(WriterError) as info:
            openai_writer(srv).develop(DevelopRequest(brief=brief(), out=tmp_path))
    err = info.value
    assert err.step == "dialogue"
    assert err.partial.outline is not None and len(err.partial.actions) == len(err.partial.outline.scenes)
    assert "HTTP 500" in str(err) and "Kept what was already written" in str(err)
    assert len(srv.requests) == 6  # 3 good steps + 1 try and 2 client retries


def test_invalid_json_every_time_fails_after_the_bound() -> None:
    with FakeLLMServer() as srv:
        srv.script(Raw("not json at all"), Raw("still not {"), Raw("```\n```"))
        with pytest.raises(WriterError) as info:
            openai_writer(srv).develop(DevelopRequest(brief=brief()))
    assert len(srv.requests) == 3
    assert isinstance(info.value.cause, StructuredOutputError)
    assert "no valid bible after 3 attempt(s)" in str(info.value)


def test_a_ten_minute_film_is_written_in_chunks() -> None:
    b = brief(duration=600)
    with FakeLLMServer() as srv:
        draft = openai_writer(srv).develop(DevelopRequest(brief=b))
    tasks = srv.tasks()
    assert tasks.count("scenes") >= 4 and tasks.count("scenes") == tasks.count("dialogue")
    asked = [re.search(r"^Scenes: (.*)$", r.last_user, re.M).group(1) for r in srv.requests
             if r.task == "scenes"]
    numbers = [int(n) for part in asked for n in part.split(",")]
    assert numbers == list(range(1, len(draft.screenplay.scenes) + 1))  # each scene asked once
    longest = max(len(json.dumps(r.body)) for r in srv.requests)
    assert longest < 40_000
    assert plan_calls(b).calls == len(srv.requests)
    assert_good_draft(draft, b)


# ---- Anthropic writer ---------------------------------------------------------------------


def test_anthropic_writer_structured_output_zh() -> None:
    b = brief("zh")
    with FakeLLMServer() as srv:
        draft = anthropic_writer(srv).develop(DevelopRequest(brief=b))
    first = srv.requests[0]
    assert first.api == "anthropic"
    assert SECRET in (first.headers.get("x-api-key", "") + first.headers.get("authorization", ""))
    assert first.body["output_config"]["format"]["type"] == "json_schema"
    assert "Simplified Chinese" in first.body["system"]
    assert_good_draft(draft, b)


def test_anthropic_tool_mode_with_429_broken_json_and_refusal(tmp_path: Path) -> None:
    with FakeLLMServer() as srv:
        srv.script(Status(429, {"Retry-After": "0.2"}), Valid(),
                   Mangle(lambda t: t.replace("}]}", "}],}")),  # outline: not a tool call, repaired
                   Refuse("This content conflicts with policy."))
        with pytest.raises(WriterError) as info:
            anthropic_writer(srv, "tool").develop(DevelopRequest(brief=brief(), out=tmp_path))
    assert srv.requests[1].body["tool_choice"] == {"type": "tool", "name": "bible"}
    assert info.value.step == "scenes" and info.value.partial.outline is not None
    assert "conflicts with policy" in str(info.value)


# ---- configuration ------------------------------------------------------------------------


def test_service_is_chosen_by_base_url_and_model_name() -> None:
    assert service_for("https://api.deepseek.com", None).name == "deepseek"
    assert service_for("https://dashscope.aliyuncs.com/compatible-mode/v1", None).json_mode == "json_object"
    assert service_for("https://api.moonshot.ai/v1", None).name == "moonshot"
    assert service_for("http://localhost:11434/v1", None).name == "ollama"
    assert service_for("http://127.0.0.1:8080/v1", None).name == "local"  # llama.cpp
    assert service_for(None, "deepseek-chat").name == "deepseek"
    assert service_for(None, "qwen-plus").name == "dashscope"
    assert service_for(None, "kimi-k2.6").name == "moonshot"
    assert service_for(None, None) is SERVICES["openai"]
    cfg = OpenAICompatConfig.from_env({"MICROFILM_LLM_MODEL": "deepseek-chat",
                                       "DEEPSEEK_API_KEY": SECRET})
    assert cfg.base_url == "https://api.deepseek.com" and cfg.key_env == "DEEPSEEK_API_KEY"
    assert SECRET not in repr(cfg)


def test_missing_names_what_to_set_without_values(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("MICROFILM_LLM_BASE_URL", "MICROFILM_LLM_MODEL", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    assert OpenAIWriter.missing() == ["set OPENAI_API_KEY (or MICROFILM_LLM_API_KEY) for https://api.openai.com/v1"]
    assert AnthropicWriter.missing() == ["set ANTHROPIC_API_KEY"]
    monkeypatch.setenv("MICROFILM_LLM_BASE_URL", "http://localhost:11434/v1")
    assert OpenAIWriter.missing() == []  # a local server needs no key
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    assert AnthropicWriter.missing() == []
    w = AnthropicWriter()
    assert w.info.id == "anthropic-writer" and w.info.capability == "writer" and w.info.paid


def test_chunks_cover_every_scene_once() -> None:
    from microfilm.providers.llm.schemas import OutlineScene

    scenes = [OutlineScene(number=i, beat="x", location="a", time_of_day="DAY", characters=[],
                           summary="a summary", seconds=s)
              for i, s in enumerate([40, 80, 50, 10, 120, 200, 5], 1)]
    chunks = chunk_scenes(scenes, 150)
    assert [s.number for c in chunks for s in c] == list(range(1, 8))
    assert all(sum(s.seconds for s in c) <= 150 or len(c) == 1 for c in chunks)
